# default: the built-in default policy (no --no-default, no -f) is a real
# sandbox: it reads the system and the project, writes only in a private
# $TMPDIR, runs nothing but the command, makes no process and no
# connection, and keeps its limits.  Each refusal is the kernel's (an
# errno, a vow denial, a file left as it was), shown beside its positive
# twin, as root and as a user.
. "$LIB"

# a home with a dotfile in it, and a project (a .git directory) beside it,
# which is the working directory; TMPDIR stays $WORK, outside both
export HOME="$WORK/home"
mkdir -p "$HOME" "$WORK/proj/.git"
echo "home secret" > "$HOME/.bashrc"
cd "$WORK/proj" || exit 1
echo "project notes" > notes.txt
echo "TOKEN=42" > .env

# ---- reading: the project and the system trees, not the home ----
run cat "$HOME/.bashrc"
is "$rc:$out" "0:home secret" "bare: the home dotfile is readable"
run "$V" cat "$HOME/.bashrc"
is "$rc:$out" "1:" "default: cat of a file in \$HOME fails, nothing read"
has "$err" "Permission denied" "default: reading \$HOME is refused with EACCES"
run "$V" "$PROBE" sys open "str:$HOME/.bashrc" O_RDONLY
is "$out" "EACCES" "default: open(O_RDONLY) of a file in \$HOME gets EACCES"
run "$V" cat notes.txt
is "$rc:$out" "0:project notes" "default: a file in the project tree is read"
run "$V" "$PROBE" sys open str:notes.txt O_RDONLY
is "$out" "ok" "default: open(O_RDONLY) of a project file works"
run "$V" cat /etc/passwd
[ "$rc" = 0 ] && [ -n "$out" ] && ok "default: /etc/passwd (the system tree) is read" || notok "default: /etc/passwd not read ($rc)"
run cat .env
is "$out" "TOKEN=42" "bare: the project's .env is readable"
run "$V" cat .env
is "$rc:$out" "1:" "default: the project's .env is refused, nothing read"
# the working directory is the home: there is no project, the home stays shut
run sh -c 'cd "$HOME" && "$0" cat .bashrc' "$V"
is "$rc:$out" "1:" "default: run from \$HOME, its files are still refused (no project tree)"
has "$err" "Permission denied" "default: run from \$HOME: EACCES"

# /etc without its secrets, as root too (a user is refused anyway)
if is_root; then
	run cat /etc/shadow
	[ "$rc" = 0 ] && ok "bare: root reads /etc/shadow" || notok "bare: root cannot read /etc/shadow ($rc)"
	run "$V" cat /etc/shadow
	is "$rc:$out" "1:" "default: root cannot read /etc/shadow"
	has "$err" "Permission denied" "default: /etc/shadow is refused to root with EACCES"
	run "$V" "$PROBE" sys open str:/etc/shadow O_RDONLY
	is "$out" "EACCES" "default: open(O_RDONLY) of /etc/shadow gets EACCES, as root"
	run "$V" show -- /bin/true
	lacks "$out" "/etc in one rule" "default: root gets the carve-out of /etc"
else
	run "$V" "$PROBE" sys open str:/etc/shadow O_RDONLY
	is "$out" "EACCES" "default: open(O_RDONLY) of /etc/shadow gets EACCES"
	# none of the secrets is readable by this user: /etc is one rule, and
	# their file permissions still keep them out
	run "$V" show -- /bin/true
	has "$out" "/etc in one rule: this user can read none of its secrets" "default: a user gets /etc in one rule"
	run "$V" "$PROBE" sys open str:/etc/gshadow O_RDONLY
	is "$out" "EACCES" "default: open(O_RDONLY) of /etc/gshadow gets EACCES from its permissions"
	run "$V" "$PROBE" sys open str:/etc/hostname O_RDONLY
	is "$out" "ok" "default: /etc/hostname still opens"
fi

# ---- writing: only in the private $TMPDIR ----
run "$V" sh -c 'echo changed > notes.txt'
is "$rc:$(cat notes.txt)" "2:project notes" "default: writing a project file is refused, the file is unchanged"
run "$V" "$PROBE" sys open str:notes.txt O_WRONLY
is "$out" "EACCES" "default: open(O_WRONLY) of a project file gets EACCES"
run "$V" "$PROBE" sys open "str:$WORK/outside" 'O_WRONLY|O_CREAT' 0644
is "$out" "EACCES" "default: creating a file in the caller's \$TMPDIR (outside the private one) gets EACCES"
[ -e "$WORK/outside" ] && notok "default: the refused file exists" || ok "default: no file was created outside \$TMPDIR"
run "$V" "$PROBE" sys open "str:$HOME/.bashrc" 'O_WRONLY|O_TRUNC'
is "$out:$(cat "$HOME/.bashrc")" "EACCES:home secret" "default: truncating a home file gets EACCES, the file is unchanged"
# (sh's builtins only: the default runs no other program)
run "$V" sh -c 'echo kept > "$TMPDIR/f" && read l < "$TMPDIR/f" && echo "$l" && echo "$TMPDIR"'
is "$rc:$(echo "$out" | head -1)" "0:kept" "default: a file in \$TMPDIR is written and read back"
dir=$(echo "$out" | tail -1)
case "$dir" in "$WORK"/vow.?*) ok "default: \$TMPDIR is a fresh directory in the caller's ($dir)" ;; *) notok "default: \$TMPDIR is $dir" ;; esac
[ -n "$dir" ] && [ ! -e "$dir" ] && ok "default: the private \$TMPDIR is gone afterwards" || notok "default: $dir is left behind"

# ---- no new process, no other program ----
run "$V" "$PROBE" sys fork
is "$out|$err" 'EPERM|vow: denied fork(): needs promise "proc"' "default: fork is refused, and vow names proc"
run "$V" -p proc "$PROBE" sys fork
is "$out|$err" "ok|" "default with -p proc: fork works"
run "$V" sh -c '(exit 0); echo "not reached"'
lacks "$out" "not reached" "default: sh cannot start a subshell"
has "$err" 'needs promise "proc"' "default: sh's fork is reported as needing proc"
run "$V" "$PROBE" exec "$PROBE" sys getpid
is "$out|$err" "EPERM|vow: denied execve(\"$PROBE\"): needs promise \"exec\"" "default: a second exec is refused, and vow names exec"
run "$V" -p exec "$PROBE" exec "$PROBE" sys getpid
is "$out|$err" "ok|" "default with -p exec: the command may execute itself again"
run "$V" -p exec "$PROBE" exec /bin/true
is "$out" "EACCES" "default with -p exec: another program (not a dependency of the command) gets EACCES"
run "$V" ./no-such-program
is "$rc" 127 "default: a missing command still exits 127"
run "$V" no-such-command-here
is "$rc:$err" "127:vow: no-such-command-here: command not found" "default: a command not in PATH still exits 127"
printf 'echo hi\n' > notexec; chmod 644 notexec
run "$V" ./notexec
is "$rc" 126 "default: a command that is not executable still exits 126"
printf '#!/bin/sh\necho script "$@"\n' > script; chmod 755 script
run "$V" ./script a b
is "$rc:$out" "0:script a b" "default: a #! script runs (itself and its interpreter are its dependencies)"
run "$V" sh -c 'exit 3'
is "$rc" 3 "default: the payload's own status"
run "$V" sh -c 'kill -TERM $$'
is "$rc" 143 "default: died of SIGTERM: 128+15"

# ---- no network ----
run "$V" "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out|$err" 'EPERM|vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"' "default: an AF_INET socket is refused, and vow names inet"
run "$V" "$PROBE" sys connect sock in:127.0.0.1:1 16
is "$out|$err" 'EPERM|vow: denied connect(): needs promise "dns" (or "unix", "inet")' "default: connect is refused, and vow names inet"
run "$V" -p inet "$PROBE" sys connect tcp in:127.0.0.1:1 16
is "$out|$err" "ECONNREFUSED|" "default with -p inet: connect reaches the network stack"

# ---- the baseline still holds ----
run "$V" "$PROBE" bpf
is "$out|$err" "EPERM|vow: denied bpf(): never allowed" "default: bpf is never allowed"

# ---- limits ----
hard=$(ulimit -Hn)
want=8192; [ "$hard" != unlimited ] && [ "$hard" -lt 8192 ] && want=$hard
run "$V" sh -c 'ulimit -n'
is "$out" "$want" "default: at most 8192 open files"
want=4096; [ "$hard" != unlimited ] && [ "$hard" -lt 4096 ] && want=$hard
run "$V" -N 4096 sh -c 'ulimit -n'
is "$out" "$want" "default with -N 4096: the flag replaces the default's limit"
run "$V" sh -c 'ulimit -c'
is "$out" 0 "default: no core dumps"
# (threads need the thread promise; the cap is the default's, as root too)
run "$V" -p thread "$PROBE" threads 1100
is "$out" "1023 EAGAIN" "default: at most 1024 processes and threads (1023 threads + main)"
has "$err" "vow: process limit reached (1024 processes and threads)" "default: vow says the cap was reached"
run "$V" -p thread -P 2000 "$PROBE" threads 1100
is "$out" "1100 ok" "default with -P 2000: 1100 threads start"

# ---- what replaces it ----
run "$V" --no-default "$PROBE" sys fork
is "$out|$err" "ok|" "--no-default: no promise filter, fork works"
printf 'vow.limit{ nofile = 100 }\n' > p.lua
run "$V" -f ./p.lua cat "$HOME/.bashrc"
is "$rc:$out" "0:home secret" "-f: the file's policy replaces the default (the home is readable)"
run "$V" show
has "$out" "promises: rpath stdio tmppath" "vow show: the default's promises"
has "$out" "nofile   8192" "vow show: the default's open-file limit"

# a vow inside a vow: the inner default works (its exec restriction falls to
# Landlock's x rules, since the outer vow holds the seccomp listener)
cd "$WORK/proj" || exit 1
cp "$V" "$WORK/vow-inner"
if [ -n "${ASAN_OPTIONS:-}" ]; then
	# an instrumented vow cannot run sealed: its sanitizer needs /proc
	skip "nested: the sanitizer build cannot run inside a sandbox"
else
run "$V" -f sh "$WORK/vow-inner" /bin/cat notes.txt
is "$rc:$out" "0:project notes" "nested: the inner default policy runs its command"
run "$V" -f sh /usr/bin/env /bin/true
is "$rc" 0 "nested: bare under the outer sh policy, env runs another program"
run "$V" -f sh "$WORK/vow-inner" /usr/bin/env /bin/true
is "$rc" 126 "nested: the inner default still refuses a second program (126)"
has "$err" "Permission denied" "nested: with EACCES from Landlock's x rules"
fi
run "$V" --no-default -e 'assert(#vow.known.promises > 20)' true
is "$rc" 0 "vow.known lists have a length"
