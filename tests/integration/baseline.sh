# baseline: refused whatever the policy says, as root and as a user.
# Each probe issues the real syscall; where an allowed call would fail
# differently (EFAULT, ENOTTY, EINVAL), EPERM proves the filter refused it.
. "$LIB"

for a in ptrace-self tiocsti tiocsti-high unshare-user unshare-files clone-newuser mount chroot bpf io_uring userfaultfd perf keyctl "personality 0x400000" "personality 0x0040000" "personality 0x100400000" "personality 0xfffffffe"; do
	case "$a" in ptrace-self) set -- ptrace 1 ;; *) set -- $a ;; esac
	run "$V" "$PROBE" "$@"
	is "$out" "EPERM" "refused: $a"
done
# positive twins: the same syscalls where harmless
run "$V" "$PROBE" personality 0xffffffff
is "$out" "ok" "personality query works"
run "$V" "$PROBE" personality 0
is "$out" "ok" "personality(PER_LINUX) works"
run "$V" "$PROBE" personality 0x100000000
is "$out" "ok" "personality with only high bits is PER_LINUX to the kernel, and allowed"
out=$("$V" "$PROBE" tiocgwinsz 2>/dev/null)
is "$out" "ENOTTY" "other ioctls reach the kernel (ENOTTY on a non-tty)"
run "$V" "$PROBE" clone3
is "$out" "ENOSYS" "clone3 returns ENOSYS so libc falls back to clone"
run "$V" sh -c 'echo child & wait'
is "$out" "child" "fork still works"
run "$V" "$PROBE" threads 3
is "$out" "3 ok" "threads still work"
# bare, outside vow, the probes behave differently (so the above proves a refusal)
run "$PROBE" bpf
is "$out" "EFAULT" "bare: bpf with a bad pointer gets EFAULT"
run "$PROBE" personality 0xffffffff
is "$out" "ok" "bare: personality query"

# foreign ABIs: the process is killed (SIGSYS, 128+31)
run "$V" "$PROBE" i386
is "$rc:$out" "159:" "an i386 syscall (int 0x80) kills the process"
run "$V" "$PROBE" x32
is "$rc:$out" "159:" "an x32 syscall kills the process"
run "$PROBE" i386
is "$rc:$out" "0:ok" "bare: the i386 entry works on this kernel"

# TIOCSTI in a real terminal: refused (the bare twin would inject, or EIO
# when the kernel disables it)
if command -v script >/dev/null; then
	out=$(script -qec "\"$V\" \"$PROBE\" tiocsti" /dev/null </dev/null 2>&1 | tr -d '\r')
	is "$out" "EPERM" "TIOCSTI in a pty is refused"
fi

# the filter is inherited and cannot be removed: nested vow only narrows
run "$V" "$V" --no-default "$PROBE" bpf
is "$out" "EPERM" "a nested vow is still filtered"
run "$V" "$V" --no-default sh -c 'grep Seccomp_filters /proc/self/status'
is "$out" "Seccomp_filters:	2" "a nested vow adds a filter, never replaces one"
run "$V" -P 4 "$V" --no-default "$PROBE" threads 10
is "$out" "1 EAGAIN" "the outer process cap counts a nested vow's payload"
run "$V" -P 4 "$V" --no-default -P 100 "$PROBE" threads 10
is "$rc" 125 "a nested process cap cannot be enforced and is refused"
has "$err" "already runs under a filter that has them" "and vow says why"
