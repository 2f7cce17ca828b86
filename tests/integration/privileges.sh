# privileges: capabilities, securebits, no_new_privs, descriptors, session
# and environment, as the kernel reports them inside the sandbox.
. "$LIB"

caps() { grep -E "^Cap$1:" /proc/self/status | cut -f2; }

run "$V" --no-default grep -E '^(Cap(Inh|Prm|Eff|Amb)|NoNewPrivs):' /proc/self/status
is "$out" "CapInh:	0000000000000000
CapPrm:	0000000000000000
CapEff:	0000000000000000
CapAmb:	0000000000000000
NoNewPrivs:	1" "no capability in four sets, no_new_privs on"
if is_root; then
	run "$V" --no-default grep '^CapBnd:' /proc/self/status
	is "$out" "CapBnd:	0000000000000000" "root: the bounding set is empty"
	run "$V" --no-default "$PROBE" securebits
	is "$out" "0x2b" "root: securebits: noroot on, setuid fixup and keep_caps locked off"
	# root regains nothing on exec: the payload's own children
	run "$V" --no-default sh -c 'grep CapEff /proc/self/status'
	is "$out" "CapEff:	0000000000000000" "root: an exec inside the sandbox gains nothing"
	run "$V" --no-default "$PROBE" capset-all
	is "$out" "EPERM" "root: capset cannot raise anything"
	# keep one capability: it survives exec through the ambient set
	run "$V" --no-default -e 'vow.caps.keep{"net_bind_service"}' sh -c 'grep -E "^Cap(Prm|Eff|Bnd|Amb):" /proc/self/status'
	is "$out" "CapPrm:	0000000000000400
CapEff:	0000000000000400
CapBnd:	0000000000000400
CapAmb:	0000000000000400" "root: caps.keep keeps net_bind_service alone"
	run "$V" show --no-default -e 'vow.caps.keep("CAP_NET_BIND_SERVICE", "net_bind_service")'
	has "$out" "net_bind_service" "caps.keep accepts CAP_ names"
else
	run "$V" --no-default -e 'vow.caps.keep{"net_bind_service"}' true
	is "$rc:$err" "125:vow: cannot keep capability net_bind_service: vow does not hold it" "unprivileged: keeping a capability vow lacks is refused"
	run "$V" --no-default --best-effort -e 'vow.caps.keep{"net_bind_service"}' sh -c 'grep CapEff /proc/self/status'
	is "$out" "CapEff:	0000000000000000" "unprivileged: --best-effort runs without it"
	has "$err" "dropping it (--best-effort)" "--best-effort warns"
	# a set-user-ID program grants nothing under no_new_privs
	run "$V" --no-default "$PROBE" euid
	is "$out" "$(id -u)" "unprivileged: euid stays the user's"
fi
run "$V" --no-default "$PROBE" setuid 0
if is_root; then is "$out" "ok" "root: setuid(0) to itself is harmless"; else is "$out" "EPERM" "setuid(0) is refused"; fi

# descriptors: only 0, 1 and 2 cross into the payload
exec 5</dev/null 7>/dev/null
run "$V" --no-default "$PROBE" fds
is "$out" "0 1 2 " "stray descriptors are closed"
exec 5<&- 7>&-
out=$("$V" --no-default "$PROBE" fds <&- 2>/dev/null)
is "$out" "0 1 2 " "a closed stdin is reopened"
out=$("$V" --no-default readlink /proc/self/fd/0 <&- 2>/dev/null)
is "$out" "/dev/null" "on /dev/null"

# a new session, led by the payload
run "$V" --no-default sh -c 'echo $(cut -d" " -f6 /proc/$$/stat) $$'
set -- $out
is "$1" "$2" "the payload leads its own session"

# environment edits, replayed in order
run env -i A=1 B=2 C=3 PATH=/usr/bin:/bin "$V" --no-default -e 'vow.env.clear() vow.env.keep{"A", "PATH"} vow.env.set("D", "4") vow.env.set("A", "x") vow.env.keep("B") vow.env.unset("B")' env
is "$(echo "$out" | sort | tr '\n' ' ')" "A=x D=4 PATH=/usr/bin:/bin " "env: clear, keep, set, unset in order"
run env -i A=1 PATH=/usr/bin:/bin "$V" --no-default env
is "$(echo "$out" | sort | tr '\n' ' ')" "A=1 PATH=/usr/bin:/bin " "env: inherited unchanged by default"
run env -i A=1 PATH=/usr/bin:/bin "$V" --no-default -e 'vow.env.set("B", "2") assert(vow.env.get("B") == "2" and vow.env.get("A") == "1") vow.env.clear() assert(vow.env.get("A") == nil)' true
is "$rc" 0 "vow.env.get sees the edits so far"
run "$V" --no-default -e 'vow.env.set("A=B", "x")' true
is "$rc:$err" '125:vow: -e:1: vow.env.set: "A=B" is not a variable name' "env names are checked"
