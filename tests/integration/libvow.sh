# libvow: a program seals itself with include/vow.h (vow_pledge, vow_unveil);
# build/libvow-test makes one call per run.  A refusal by the promises is
# SIGSYS (status 159), a refused path EACCES from the kernel.
. "$LIB"
T=$LIBVOW_TEST
# make sanitize runs instrumented callers: their runtime catches a crash
# itself and cannot allocate under a small address-space limit
sanitized=${ASAN_OPTIONS:+yes}
echo secret > "$WORK/kept"
mkdir -p "$WORK/shown" && echo hi > "$WORK/shown/f"

run "$T" pledge 'stdio rpath' "$WORK/kept"
is "$rc:$out" "0:pledge 0
open ok" "vow_pledge(\"stdio rpath\"): reading still works"
run "$T" pledge stdio "$WORK/kept"
is "$rc:$out" "159:pledge 0" "vow_pledge(\"stdio\"): an open kills the process with SIGSYS"
run "$T" pledge 'stdio rpath' "$WORK/new" w
is "$rc:$out:$(ls "$WORK/new" 2>/dev/null)" "159:pledge 0:" "without wpath cpath, an open for writing kills, and no file is made"
run "$T" narrow "$WORK/kept"
is "$rc:$out" "159:0 EPERM 0" "a later pledge may narrow (0), not widen (EPERM); the narrower one holds"
printf 'vow.promise("stdio")\nvow.env.clear()\nvow.env.set("VOWSET", "from the policy")\n' > "$WORK/env.lua"
run "$T" seal-env "$WORK/env.lua"
is "$rc:$out" "0:load 0 seal 0
VOWSET=from the policy HOME=(unset)" "vow_seal: the policy's environment edits apply to the process, and outlive the policy"
# inside a sandbox already: the outer vow holds the one seccomp listener
if [ -n "$sanitized" ]; then
	skip "isolate-nested: the sanitizer build cannot run inside a sandbox"
else
	run "$V" --no-default -p 'stdio rpath proc exec' "$T" isolate-nested
	is "$rc:$out" "0:kill EINVAL
eperm 0 0 14 hello 2" "vow_isolate inside a vow: violation kill is refused (EINVAL, it needs the listener the outer vow holds); eperm runs"
fi
run "$T" sigchld-ignored
is "$rc:$out" "0:isolate ECHILD spawn ECHILD load ECHILD" \
	"with SIGCHLD ignored, the calls that wait for a child refuse (ECHILD) instead of losing it"
run "$T" execpromises
is "$out" "EINVAL ENOTSUP EINVAL 0 EPERM 0" "execpromises: not among the promises EINVAL, exec among them ENOTSUP, unknown EINVAL; then they may only narrow (EPERM, 0)"
W='stdio rpath wpath cpath exec'
run "$T" execve "$W" - vow /bin/sh -c "echo x > '$WORK/no-exec-promises'"
is "$rc:$out:$(cat "$WORK/no-exec-promises" 2>/dev/null)" "0:pledge 0:x" "vow_execve without execpromises: the program has the caller's promises (it writes a file)"
run "$T" execve "$W" 'stdio rpath' vow /bin/sh -c "echo x > '$WORK/via-vow'"
is "$rc:$out:$(ls "$WORK/via-vow" 2>/dev/null)" "159:pledge 0:" "vow_execve: the program runs under the execpromises (stdio rpath): its write kills it, and no file is made"
run "$T" execve "$W" 'stdio rpath' vow /bin/cat "$WORK/kept"
is "$rc:$out" "0:pledge 0
secret" "vow_execve: what the execpromises allow works (a dynamically linked cat reads)"
run "$T" execve "$W" 'stdio rpath' /bin/sh -c "echo x > '$WORK/plain'"
is "$rc:$out:$(ls "$WORK/plain" 2>/dev/null)" "0:pledge 0
execve EPERM:" "with execpromises, a plain execve gets EPERM: no program starts without them"
run "$T" execve 'stdio rpath exec proc' 'stdio rpath proc' vow /bin/sh -c 'ls "$0"; echo status $?' "$WORK/kept"
is "$out" "pledge 0
status 126" "the program vow_execve started cannot execute another (sh: EPERM, 126)"
run "$T" execve "$W" 'stdio rpath' vow "$WORK/missing"
is "$rc:$out" "0:pledge 0
vow_execve ENOENT" "vow_execve of a missing program: ENOENT, and the caller goes on"
run "$T" fileset
is "$out" "ENOTSUP" "a promise that is a set of files: ENOTSUP"
run "$T" pledge 'stdio nosuch' "$WORK/kept"
is "$rc:$out" "0:pledge EINVAL
open ok" "an unknown promise: EINVAL, and nothing is restricted"
run "$T" exec
is "$rc:$out" "159:pledge 0" "without exec, execve kills"
run "$T" thread "$WORK/kept"
is "$rc:$out" "159:pledge 0" "a thread that was running before the pledge is bound too (TSYNC)"

run "$T" unveil "$WORK/shown" "$WORK/shown/f"
is "$out" "0 0 EPERM
open ok
open EACCES" "vow_unveil: the rule holds, every other path gets EACCES, and no rule can be added after"
run "$T" unveil-errors
is "$out" "ENOENT EINVAL EINVAL
open ok" "vow_unveil: a missing path ENOENT, bad letters EINVAL, half a call EINVAL; nothing applied"
run "$T" unveil-threads
is "$out" "0 EBUSY
open ok" "vow_unveil(NULL, NULL) with two threads running: EBUSY, nothing applied"

# examples/c/count: opens its files, pledges stdio, then parses the input
printf 'one two\nthree\n' > "$WORK/honest.txt"
run "$EXAMPLE_COUNT" "$WORK/honest.txt" "$WORK/count.out"
is "$rc:$(cat "$WORK/count.out")" "0:2 lines, 3 words" "examples/c/count: an honest input is counted"
printf 'one\n#!open %s\nthree\n' "$WORK/kept" > "$WORK/hostile.txt"
echo before > "$WORK/count.out"
run "$EXAMPLE_COUNT" "$WORK/hostile.txt" "$WORK/count.out"
is "$rc" 159 "examples/c/count: the hostile input's open kills it with SIGSYS"
lacks "$(cat "$WORK/count.out")" "stole" "examples/c/count: nothing of the other file reached the output"

# the policy API: a vow_policy built call by call or loaded from a file,
# then vow_seal (this process), vow_spawn (a command) or vow_isolate (one
# function in a sealed child, the caller untouched)
run "$T" policy-errors
is "$out" "pledge EINVAL said
unveil ENOENT said
promise EINVAL said
nothing added
unveil EINVAL said
nothing added
unveil ENOENT said
changed
connect EINVAL said
nothing added
bind EINVAL said
nothing added
limit EINVAL said
nothing added
limit EINVAL said
nothing added
cap EINVAL said
nothing added
violation EINVAL said
nothing added" "each refused argument: its errno, a sentence in vow_error(), and nothing added to the policy (but a path that cannot be resolved leaves the file system restricted)"

run "$T" show
is "$(echo "$out" | sed '1,/^--$/d')" "$("$V" show --lua --no-default -p 'stdio rpath' -v r:. --connect 443 \
	-M 32M -M 64M -T 2 --violation eperm -e 'vow.caps.keep("net_bind_service")')" \
	"vow_policy_show(p, 1): the Lua vow show --lua prints for the same options (the later memory limit replaces)"
text=$(echo "$out" | sed -n '/^policy from/,/^--$/p')
has "$text" "memory   64M" "vow_policy_show(p, 0): the memory limit, as vow show prints it"
lacks "$text" "32M" "vow_policy_show(p, 0): a later limit replaced the earlier one"
has "$text" "r    $WORK " "vow_policy_show(p, 0): the path rule, made absolute"
has "$text" "connect 443" "vow_policy_show(p, 0): the port rule"
has "$text" "violation: eperm" "vow_policy_show(p, 0): the violation mode"

run "$T" seal "$WORK/shown" "$WORK/shown/f" "$WORK/kept"
is "$rc:$out" "159:promise 0
unveil 0
seal 0
open ok
open EACCES" "vow_seal: the path rule holds, another path gets EACCES, socket() kills with SIGSYS"
if [ -n "$sanitized" ]; then
	skip "seal-limits: the sanitizer's allocator cannot live under a 64M address space"
else
	run "$T" seal-limits
	is "$rc:$out" "0:promise 0
limit 0
limit 0
malloc ok
seal 0
malloc NULL
dup EMFILE" "vow_seal: the memory limit makes a 256 MiB malloc fail, nofile 8 makes dup fail with EMFILE"
fi
run "$T" seal-unsupported "$WORK/shown" "$WORK/kept"
is "$rc:$out" "0:promise 0
unveil 0
limit 0
limit 0
seal ENOTSUP said
promise 0
unveil 0
limit 0
limit 0
seal ENOTSUP said
promise 0
unveil 0
limit 0
violation 0
seal ENOTSUP said
promise 0
unveil 0
limit 0
promise 0
seal ENOTSUP said
malloc ok
open ok
socket ok" "vow_seal: timeout, procs, violation report and tmppath give ENOTSUP, and nothing of the policy is applied"
run "$T" seal-threads "$WORK/shown" "$WORK/kept"
if [ "$(id -u)" = 0 ]; then
	# root holds capabilities, which are each thread's own: EBUSY either way
	is "$rc:$out" "0:promise 0
unveil 0
seal EBUSY said
open ok
promise 0
seal EBUSY said
open ok" "vow_seal with a second thread, as root: EBUSY for path rules and for the capabilities to drop; nothing applied"
else
	is "$rc:$out" "159:promise 0
unveil 0
seal EBUSY said
open ok
promise 0
seal 0" "vow_seal: path rules with a second thread give EBUSY (nothing applied); without, the filter binds that thread too"
fi

cat > "$WORK/pol.lua" <<LUA
vow.promise("rpath")
vow.unveil("$WORK/shown", "r")
vow.limit{ memory = "64M" }
if vow.argv[1] == "cat" then vow.promise("inet") end
LUA
run "$T" load "$WORK/pol.lua" cat x
is "$out" "load 0
$("$V" show --lua --no-default -p stdio -f "$WORK/pol.lua" -- cat x)" \
	"vow_policy_load: the file (with vow.argv) adds what vow -f would"
echo "$out" | sed 1d > "$WORK/back.lua"
run "$T" load "$WORK/back.lua"
is "$out" "load 0
$(cat "$WORK/back.lua")" "vow_policy_load takes back what vow_policy_show(p, 1) wrote"
run "$T" load readonly
is "$out" "load 0
$("$V" show --lua --no-default -p stdio -f readonly)" "vow_policy_load: a built-in policy by name"
printf 'vow.promise("rpath")\nvow.promise("nosuch")\n' > "$WORK/half.lua"
run "$T" load "$WORK/half.lua"
is "$out" "load EINVAL said
error $WORK/half.lua:2: vow.promise: unknown promise \"nosuch\"
unchanged" "vow_policy_load: an error on line 2 gives EINVAL, says where, and line 1's promise is not added"
printf 'vow.promise("rpath"\n' > "$WORK/broken.lua"
run "$T" load "$WORK/broken.lua"
is "$(echo "$out" | sed 2d)" "load EINVAL said
unchanged" "vow_policy_load: a file Lua cannot parse gives EINVAL and changes nothing"
has "$out" "error $WORK/broken.lua:2:" "vow_policy_load: vow_error() names the file and line"
run "$T" load "$WORK/missing.lua"
is "$out" "load ENOENT said
error cannot read policy $WORK/missing.lua: No such file or directory
unchanged" "vow_policy_load: a missing file gives ENOENT"

printf '#!/bin/sh\necho ran\n' > "$WORK/noexec"
run "$T" spawn "$WORK/noexec"
is "$rc:$out" "0:spawn 0
out hi|data|
status 3
spawn 0
out yes:unset|
status 0
spawn 0
status 137
spawn ENOENT said
spawn EACCES said
open ok
socket ok
children none" "vow_spawn: pipes both ways and the exit status, ENVP as given, 128+N for a signal, ENOENT and EACCES"
run "$T" spawn-ro "$WORK/ro-new"
is "$rc:$(echo "$out" | grep -v '^err ')" "0:promise 0
spawn 0
status 1
promise 0
violation 0
spawn 0
status 159" "vow_spawn under stdio rpath: touch fails (report), sh is killed (violation kill)"
has "$out" "err vow: denied openat(\"$WORK/ro-new\", O_WRONLY|O_CREAT): needs promises \"wpath cpath\"" \
	"vow_spawn: violation report by default, its line on the command's standard error"
is "$(ls "$WORK/ro-new" 2>/dev/null)" "" "vow_spawn under stdio rpath: no file was made"
run "$T" spawn-kill
is "$rc:$out" "0:spawn 0
running yes
status 137
running no" "vow_spawn: SIGKILL to c.pid takes the command down too"

run "$T" isolate-return "$WORK/kept"
is "$rc:$out" "0:promise 0
isolate 0 RETURNED 42 -
out hello 6
seconds ok
touched 0
isolate 0 RETURNED 42 -
open ok
socket ok
children none" "vow_isolate: ARG in, the value and OUT back, the caller's memory untouched, OUT may be NULL"
if [ -n "$sanitized" ]; then
	skip "isolate-crash: the sanitizer catches the NULL write itself"
else
	run "$T" isolate-crash "$WORK/kept"
	is "$rc:$out" "0:promise 0
isolate 0 CRASHED 11 -
out before the crash
open ok
socket ok
children none" "vow_isolate: a NULL dereference is VOW_CRASHED with SIGSEGV; OUT keeps what was written before"
fi
run "$T" isolate-timeout "$WORK/kept"
is "$rc:$out" "0:promise 0
limit 0
isolate 0 TIMED_OUT - -
seconds 1 to 3
open ok
socket ok
children none" "vow_isolate: an endless loop under a 1 s timeout is VOW_TIMED_OUT after 1 to 3 s"
if [ -n "$sanitized" ]; then
	skip "isolate-memory: the sanitizer's allocator cannot live under a 64M address space"
else
	run "$T" isolate-memory "$WORK/kept"
	is "$rc:$out" "0:promise 0
limit 0
isolate 0 RETURNED -1 -
out stopped under 64M
peak over 30000 KiB
isolate 0 CRASHED 11 -
out stopped under 64M
open ok
socket ok
children none" "vow_isolate under 64M: malloc returns NULL (peak_kb shows the memory used); writing to it crashes"
fi
run "$T" isolate-socket "$WORK/kept"
is "$rc:$out" "0:promise 0
isolate 0 VIOLATION - socket
message denied socket(AF_INET, SOCK_STREAM): needs promise \"inet\"
promise 0
violation 0
isolate 0 RETURNED -1 -
out EPERM
message 
promise 0
violation 0
isolate 0 RETURNED -1 socket
out EPERM
message denied socket(AF_INET, SOCK_STREAM): needs promise \"inet\"
open ok
socket ok
children none" "vow_isolate: socket() without inet is VOW_VIOLATION (kill), EPERM inside (eperm, report); the caller can still make one"
has "$err" "denied socket(AF_INET, SOCK_STREAM)" "vow_isolate under violation report: the line on standard error"
mkdir -p "$WORK/rw" "$WORK/other"
run "$T" isolate-write "$WORK/kept" "$WORK/rw" "$WORK/other"
is "$rc:$out" "0:promise 0
unveil 0
isolate 0 RETURNED 13 -
out inside ok outside EACCES
open ok
socket ok
children none" "vow_isolate: creating a file in the unveiled directory works, outside it EACCES inside the function"
is "$(ls "$WORK/rw"):$(ls "$WORK/other")" "made:" "vow_isolate: the file outside was not made"
run "$T" isolate-kill "$WORK/kept"
is "$rc:$out" "0:promise 0
isolate 0 RETURNED 1 -
out caller EPERM parent EPERM
open ok
socket ok
children none" "vow_isolate: kill(caller, SIGKILL) and kill(getppid(), SIGKILL) get EPERM; the caller lives"
run "$T" isolate-fork "$WORK/kept"
is "$rc:$out" "0:promise 0
isolate 0 VIOLATION - clone
promise 0
isolate 0 RETURNED 5 -
open ok
socket ok
children none" "vow_isolate: fork without proc is VOW_VIOLATION (clone); with proc it runs"
run "$T" isolate-fds "$WORK/kept"
is "$rc:$out" "0:promise 0
isolate 0 RETURNED -1 -
out EBADF
promise 0
isolate 0 RETURNED -1 -
out EBADF
open ok
socket ok
children none" "vow_isolate: the child has none of the caller's descriptors beyond 0, 1 and 2"

run "$T" refused "$WORK/kept"
is "$rc:$out" "0:promise 0
seal EINVAL said
spawn EINVAL said
isolate EINVAL - - -
said yes
open ok
socket ok
children none" "a policy vow refuses (getpw without path rules): EINVAL from vow_seal, vow_spawn and vow_isolate, nothing applied"

# examples/c/isolate: reads the file, parses it in vow_isolate's child
printf 'name=vow\nversion=0.2\n# a comment\n\nlang=c\n=no key\n' > "$WORK/honest.conf"
run "$EXAMPLE_ISOLATE" "$WORK/honest.conf"
is "$rc:$out" "0:parsed 3 records" "examples/c/isolate: an honest file is parsed"
for case in "crash:parser crashed (signal 11)" "loop:parser timed out" \
	"socket:parser stopped: it tried socket" "alloc:parser crashed (signal 11)"; do
	printf 'a=1\n#!%s\nb=2\n' "${case%%:*}" > "$WORK/hostile.conf"
	run "$EXAMPLE_ISOLATE" "$WORK/hostile.conf"
	case "$sanitized:$case" in
	yes:crash:* | yes:alloc:*) skip "examples/c/isolate: #!${case%%:*}: the sanitizer catches it itself" ;;
	*) is "$rc:$out" "1:${case#*:}" "examples/c/isolate: #!${case%%:*} is survived" ;;
	esac
done
