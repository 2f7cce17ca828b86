# libvow: a program seals itself with include/vow.h (vow_pledge, vow_unveil);
# build/libvow-test makes one call per run.  A refusal by the promises is
# SIGSYS (status 159), a refused path EACCES from the kernel.
. "$LIB"
T=$LIBVOW_TEST
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
run "$T" execpromises
is "$out" "EINVAL" "execpromises: EINVAL (a filter outlives exec on Linux)"
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
