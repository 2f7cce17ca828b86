# paths: unveil letters on Landlock, proven by the kernel's answers, each
# with its positive twin, as root and as a user.
. "$LIB"

# the system programs and their libraries (the work directory sits beside
# the probe, so the probe's directory is not unveiled)
B="--no-default -v rx:/usr"
mkdir -p in out
echo inside > in/f
echo secret > out/secret

# read
run "$V" $B -v r:in cat in/f
is "$rc:$out" "0:inside" "r: a file beneath the rule is read"
run "$V" $B -v r:in cat out/secret
is "$rc" 1 "r: a file outside every rule is refused"
has "$err" "Permission denied" "r: with EACCES"
run "$V" $B -v r:in ls in
is "$out" "f" "r: the directory is listed"
run "$V" --no-default cat out/secret
is "$out" "secret" "no rule at all: the file system is not restricted"

# write
run "$V" $B -v r:in sh -c 'echo changed > in/f'
is "$rc:$(cat in/f)" "2:inside" "r: writing is refused and the file is unchanged"
run "$V" $B -v rw:in sh -c 'echo changed > in/f'
is "$rc:$(cat in/f)" "0:changed" "rw: writing works"
echo inside > in/f
run "$V" $B -v r:in truncate -s 0 in/f
is "$rc:$(cat in/f)" "1:inside" "r: truncate is refused, the file keeps its content"
run "$V" $B -v rw:in truncate -s 0 in/f
is "$rc:$(wc -c < in/f)" "0:0" "rw: truncate works"
echo inside > in/f

# create and remove
run "$V" $B -v rw:in touch in/new
is "$rc" 1 "rw: creating a file is refused"
[ -e in/new ] && notok "rw: the refused file exists" || ok "rw: no file was created"
run "$V" $B -v rwc:in touch in/new
is "$rc" 0 "rwc: creating a file works"
[ -e in/new ] && ok "rwc: the file exists" || notok "rwc: no file"
run "$V" $B -v rw:in rm in/new
is "$rc" 1 "rw: removing a file is refused"
[ -e in/new ] && ok "rw: the file is still there" || notok "rw: the file was removed"
run "$V" $B -v rwc:in rm in/new
[ "$rc" = 0 ] && [ ! -e in/new ] && ok "rwc: removing works" || notok "rwc: remove failed ($rc)"
run "$V" $B -v rwc:in mkdir in/d
[ "$rc" = 0 ] && [ -d in/d ] && ok "rwc: mkdir works" || notok "rwc: mkdir failed"
run "$V" $B -v rw:in rmdir in/d
[ "$rc" != 0 ] && [ -d in/d ] && ok "rw: rmdir is refused" || notok "rw: rmdir went through"
run "$V" $B -v rwc:in mkfifo in/p
[ "$rc" = 0 ] && [ -p in/p ] && ok "rwc: a fifo can be made" || notok "rwc: mkfifo failed"

# execute
cp /usr/bin/true in/t
run "$V" $B -v r:in sh -c ./in/t
is "$rc" 126 "r: executing is refused (no x)"
run "$V" $B -v rx:in ./in/t
is "$rc" 0 "rx: executing works"
run "$V" $B -v rwc:in sh -c 'cp /usr/bin/true in/t2 && ./in/t2'
is "$rc" 126 "rwc: a program written there cannot be run"

# escapes: a symlink, a hard link and a rename that would bring an outside
# file into the writable tree
ln -sf ../out/secret in/link
run "$V" $B -v rwc:in cat in/link
is "$rc" 1 "a symlink in a writable tree to a file outside is refused"
run "$V" $B -v rwc:in ln "$PWD/out/secret" in/hard
[ "$rc" != 0 ] && [ ! -e in/hard ] && ok "a hard link of an outside file into the tree is refused" || notok "hard link made ($rc)"
run "$V" $B -v rwc:in mv "$PWD/out/secret" in/moved
[ "$rc" != 0 ] && [ -e out/secret ] && [ ! -e in/moved ] && ok "a rename of an outside file into the tree is refused" || notok "rename went through ($rc)"
mkdir -p ro
echo keep > ro/k
run "$V" $B -v r:ro -v rwc:in mv "$PWD/ro/k" in/k
[ "$rc" != 0 ] && [ -e ro/k ] && ok "a rename out of a read-only tree into a writable one is refused" || notok "rename out of r tree ($rc)"
run "$V" $B -v rwc:ro -v rwc:in mv "$PWD/ro/k" in/k
[ "$rc" = 0 ] && [ -e in/k ] && ok "with c on both trees the rename works" || notok "rename between rwc trees failed ($rc)"

# a rule on a single file takes file rights only
run "$V" $B -v "r:$PWD/out/secret" cat out/secret
is "$out" "secret" "a file rule: that file is read"
echo other > out/other
run "$V" $B -v "r:$PWD/out/secret" cat out/other
is "$rc" 1 "a file rule: its neighbour is refused"
run "$V" $B -v "rwc:$PWD/out/secret" sh -c "echo x > $PWD/out/new"
[ ! -e out/new ] && ok "a file rule with c creates nothing beside it" || notok "created beside a file rule"

# /proc and devices are outside too unless unveiled
run "$V" $B cat /proc/self/status
is "$rc" 1 "/proc is refused unless unveiled"
run "$V" $B -v r:/proc sh -c 'head -1 /proc/self/status'
has "$out" "Name:" "/proc with r"

# the rules, as vow show lists them, and their errors
run "$V" show $B -v rwc:in -v wx:in
has "$out" "rwxc /" "the same path twice merges its letters"
run "$V" $B -v rz:in true
is "$rc:$err" "125:vow: -v: unknown permission 'z' in \"rz\" (letters: r w x c l)" "an unknown letter is refused"
run "$V" $B -v r:no-such-dir true
is "$rc:$err" "125:vow: -v: no-such-dir: No such file or directory (in a policy, vow.unveil(path, perms, {optional = true}) leaves out a missing path)" "a missing path is refused"
printf 'vow.unveil("nothere", "r")\n' > p.lua
run "$V" $B -f ./p.lua true
has "$rc:$err" "125:vow: ./p.lua:1: vow.unveil: nothere: No such file or directory" "a missing path names the policy line"
run "$V" $B -e 'vow.unveil("nothere", "r", {optional = true})' -v r:in cat in/f
is "$rc:$out" "0:inside" "an optional missing path is left out"
# a policy whose path rules are all optional and all missing keeps the file
# system closed: it asked for path rules, so none does not mean "all"
run "$V" --no-default -v rx:/ -e 'vow.unveil("nothere", "r", {optional = true})' "$PROBE" sys open str:in/f O_RDONLY
is "$out" "ok" "bare twin: with a real rule the file opens"
run "$V" --no-default -e 'vow.unveil("nothere", "r", {optional = true})' /bin/true
is "$rc" 126 "only a missing optional rule: nothing may even be executed (126)"
run "$V" show --no-default -e 'vow.unveil("nothere", "r", {optional = true})'
has "$out" "none of their paths exists: every path is refused" "vow show says the file system is closed"
run "$V" $B -e 'vow.unveil("in", "")' true
has "$rc:$err" "125:vow: -e:1: vow.unveil: empty permissions" "empty permissions are refused"
run "$V" show --no-default -e 'vow.unveil("~", "r")'
has "$out" "r    $HOME" "~ is the home"
run "$V" show --no-default -v in
has "$out" "r    $PWD/in" "-v PATH alone means r, resolved from the working directory"
ln -sfn "$PWD/in" lnk
run "$V" show --no-default -v r:lnk
has "$out" "r    $PWD/in" "a symlink is resolved to what it names"

# promises bring the files they cannot work without, when path rules are on
P="--no-default -v rx:/usr"
# (sh runs other programs: proc and exec, which bring no files)
run "$V" $P -p 'stdio proc exec' sh -c 'cat /dev/null && head -c 4 /dev/urandom | wc -c'
is "$rc:$out" "0:4" "stdio brings /dev/null and /dev/urandom"
run "$V" $P cat /dev/null
is "$rc" 1 "without promises, /dev/null is outside the rules"
run "$V" $P -p 'stdio getpw' id -un
is "$rc:$out" "0:$(id -un)" "getpw: the user database is read"
run "$V" $P -p 'stdio getpw' cat /etc/hostname
is "$rc" 1 "getpw: other files in /etc stay refused"
run "$V" $P -p 'stdio getpw' cat /etc/shadow
is "$rc" 1 "getpw: /etc/shadow is not one of its files"
run "$V" $P -p 'stdio vminfo proc exec' sh -c 'head -1 /proc/meminfo'
has "$out" "MemTotal:" "vminfo: /proc/meminfo is read"
run "$V" $P -p 'stdio vminfo proc exec' sh -c 'head -1 /proc/self/status'
is "$rc" 1 "vminfo: other /proc files stay refused"
run "$V" $P -p 'stdio ps proc exec' sh -c 'head -1 /proc/1/stat | cut -d" " -f1'
is "$out" "1" "ps: other processes' /proc entries are read"
run "$V" $P -p 'stdio dns' cat /etc/hosts
is "$rc" 0 "dns: /etc/hosts is read"
run "$V" $P -p 'stdio tmppath proc exec' sh -c 'echo kept > "$TMPDIR/f" && cat "$TMPDIR/f" && echo "$TMPDIR"'
is "$(echo "$out" | head -1)" "kept" "tmppath: a private directory, written and read"
dir=$(echo "$out" | tail -1)
case "$dir" in "$TMPDIR"/vow.*) ok "tmppath: TMPDIR points at it ($dir)" ;; *) notok "tmppath: TMPDIR is $dir" ;; esac
[ -e "$dir" ] && notok "tmppath: the directory is left behind" || ok "tmppath: the directory is removed afterwards"
run "$V" $P -p 'stdio tmppath' sh -c "echo x > $PWD/in/tmpx"
[ ! -e in/tmpx ] && ok "tmppath: writing outside its directory is refused" || notok "tmppath wrote outside"
