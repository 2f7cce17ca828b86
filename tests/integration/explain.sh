# explain: one observed run lists everything a policy would refuse, and
# the lines it suggests are what the real, sealed run then needs.
. "$LIB"
PY=/usr/bin/python3

# the baseline: refused in the observed run too, by the kernel, and listed
run "$V" explain --no-default -- "$PROBE" ptrace 1
is "$out" "EPERM" "explain: ptrace stays refused (EPERM) while observed"
has "$err" "refused by every policy" "explain lists the baseline refusal"
has "$err" "ptrace(PTRACE_ATTACH, 1)" "explain names the refused call"

# a promise the policy lacks: the call goes through while observed ...
sock="import socket; socket.socket(); print('made')"
run "$V" explain --no-default -p 'stdio rpath' -- "$PY" -c "$sock"
is "$out" "made" "explain lets the socket be made (the run is not cut short)"
has "$err" "inet      1 call, first socket(AF_INET, SOCK_STREAM)" "explain: the call that needs inet, counted"
has "$err" "-p inet" "explain suggests -p inet"
# ... and the policy itself refuses it: the kernel's EPERM
run "$V" -q --no-default -p 'stdio rpath' -- "$PY" -c "$sock"
has "$err" "PermissionError: [Errno 1] Operation not permitted" "the same policy, sealed: socket() gets EPERM"
run "$V" explain --no-default -p 'stdio rpath inet' -- "$PY" -c "$sock"
has "$err" "nothing this run did would be refused" "with inet given, explain finds nothing to add"
run "$V" -q --no-default -p 'stdio rpath inet' -- "$PY" -c "$sock"
is "$out" "made" "and the sealed run makes its socket"

# paths: everything a run does is listed, not only the first refusal
# (in a directory of its own: $WORK is also the home, where vow keeps its trust store)
D=$WORK/proj
mkdir -p "$D/out" "$D/data"
echo secret > "$D/data/kept"
rules="-p stdio -p rpath -p wpath -p cpath -v rx:/usr -v r:/etc -v rwc:$D/out"
script="echo a > '$D/out/a'; echo b > '$D/b'; read x < '$D/data/kept'; echo done"
# shellcheck disable=SC2086
run "$V" explain --no-default $rules -- /bin/sh -c "$script"
is "$out" "done" "explain: the script ran to its end"
is "$(cat "$D/b" 2>/dev/null)" "b" "explain let the write outside the rules happen"
has "$err" "wc    $D  (1 created, e.g. $D/b)" "explain: the file made outside the rules, with its rule"
has "$err" "r     $D/data/kept  (1 read" "explain: the file read outside the rules"
lacks "$err" "$D/out" "explain: nothing under the allowed directory is listed"
lacks "$err" "promises:" "explain: the promises given are enough"
add=$(printf '%s\n' "$err" | sed -n 's/^To allow them, add to the command line: //p')
has "$add" "-v wc:$D" "explain: the flags to add"
# the same policy sealed: the kernel refuses both, and nothing is written
rm -f "$D/b"
# shellcheck disable=SC2086
run "$V" -q --no-default $rules -- /bin/sh -c "echo b > '$D/b'"
has "$err" "Permission denied" "the policy, sealed: the write outside its rules is refused"
is "$(ls "$D/b" 2>/dev/null)" "" "and the file was not made"
# shellcheck disable=SC2086
run "$V" -q --no-default $rules -- /bin/cat "$D/data/kept"
has "$err" "Permission denied" "the policy, sealed: the read outside its rules is refused"
# with the suggested flags added, the sealed run does it all
# shellcheck disable=SC2086
run "$V" -q --no-default $rules $add -- /bin/sh -c "$script"
is "$rc:$out:$(cat "$D/b" 2>/dev/null)" "0:done:b" "the policy with explain's flags added runs the script"
# shellcheck disable=SC2086
run "$V" explain --no-default $rules $add -- /bin/sh -c "$script"
has "$err" "nothing this run did would be refused" "explain then has nothing more to add"

# programs run: exec is a promise, and the program a path rule
# shellcheck disable=SC2086
run "$V" explain --no-default -p stdio -p rpath -v rx:/usr/bin/dash -v r:/usr/lib -v r:/etc -- /bin/sh -c '/bin/ls / >/dev/null; echo ran'
is "$out" "ran" "explain: the program ran"
has "$err" "exec      1 call, first execve(\"/bin/ls\")" "explain: exec is missing, with the call"
has "$err" "x     /usr/bin/ls  (1 executed" "explain: the program's x rule is missing"
has "$err" "l     /  (1 listed" "explain: the directory listed is missing"

# a policy file: its name is where the lines go
cat > "$WORK/pol.lua" <<EOF
vow.promise("stdio rpath")
EOF
run "$V" explain -f "$WORK/pol.lua" -- "$PY" -c "$sock"
has "$err" "what the policy ($WORK/pol.lua) would refuse" "explain names the policy file"
has "$err" "To allow them, add to $WORK/pol.lua:" "explain says which file the lines belong in"
has "$err" '  promises: "inet"' "explain: the Lua line to add there"
has "$err" "or on the command line: -p inet" "explain: and the flag"

# ports: a connect to a port no rule names
cat > "$WORK/srv.py" <<'EOF'
import socket, sys
ss = [socket.socket() for _ in range(2)]
for s in ss:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(" ".join(str(s.getsockname()[1]) for s in ss))
import time; time.sleep(20)
EOF
"$PY" "$WORK/srv.py" "$WORK/ports" & srv=$!
trap 'kill $srv 2>/dev/null' EXIT
wait_for test -s "$WORK/ports"
set -- $(cat "$WORK/ports")
p1=$1 p2=$2
cli="import socket; socket.create_connection(('127.0.0.1', $p2)); print('connected')"
run "$V" explain --no-default -p 'stdio rpath inet' --connect "$p1" -- "$PY" -c "$cli"
is "$out" "connected" "explain lets the connect happen"
has "$err" "TCP ports no rule covers (connect): $p2" "explain: the port no rule names"
has "$err" "--connect $p2" "explain suggests --connect $p2"
run "$V" -q --no-default -p 'stdio rpath inet' --connect "$p1" -- "$PY" -c "$cli"
has "$err" "PermissionError: [Errno 13] Permission denied" "the policy, sealed: that connect gets EACCES"
run "$V" -q --no-default -p 'stdio rpath inet' --connect "$p1" --connect "$p2" -- "$PY" -c "$cli"
is "$out" "connected" "with the port added, the sealed connect works"
kill $srv 2>/dev/null
wait $srv 2>/dev/null

# its own status is the command's
run "$V" explain --no-default -- /bin/sh -c 'exit 4'
is "$rc" 4 "explain exits with the command's status"
run "$V" explain --no-default -- /nonexistent/cmd
is "$rc" 127 "explain: a missing command is 127, as for a run"
