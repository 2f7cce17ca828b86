# baseline: refused whatever the policy says, as root and as a user.
# Each probe issues the real syscall; where an allowed call would fail
# differently (EFAULT, ENOTTY, EINVAL), EPERM proves the filter refused it.
. "$LIB"

for a in ptrace-self tiocsti tiocsti-high unshare-user unshare-files-user clone-newuser mount chroot bpf io_uring userfaultfd perf keyctl "personality 0x400000" "personality 0x0040000" "personality 0x100400000" "personality 0xfffffffe"; do
	case "$a" in ptrace-self) set -- ptrace 1 ;; *) set -- $a ;; esac
	run "$V" --no-default "$PROBE" "$@"
	is "$out" "EPERM" "refused: $a"
done
# positive twins: the same syscalls where harmless
run "$V" --no-default "$PROBE" unshare-files
is "$out" "ok" "unshare(CLONE_FILES) (a descriptor table of its own, no namespace) works"
run "$V" --no-default -p stdio "$PROBE" unshare-files
is "$out" "ok" "unshare(CLONE_FILES) works under stdio too"
run "$V" --no-default -p stdio "$PROBE" unshare-files-user
is "$out" "EPERM" "unshare(CLONE_FILES|CLONE_NEWUSER) is refused under stdio"
run "$V" --no-default "$PROBE" personality 0xffffffff
is "$out" "ok" "personality query works"
run "$V" --no-default "$PROBE" personality 0
is "$out" "ok" "personality(PER_LINUX) works"
run "$V" --no-default "$PROBE" personality 0x100000000
is "$out" "ok" "personality with only high bits is PER_LINUX to the kernel, and allowed"
out=$("$V" --no-default "$PROBE" tiocgwinsz 2>/dev/null)
is "$out" "ENOTTY" "other ioctls reach the kernel (ENOTTY on a non-tty)"
run "$V" --no-default "$PROBE" clone3
is "$out" "ENOSYS" "clone3 returns ENOSYS so libc falls back to clone"
run "$V" --no-default sh -c 'echo child & wait'
is "$out" "child" "fork still works"
run "$V" --no-default "$PROBE" threads 3
is "$out" "3 ok" "threads still work"
# bare, outside vow, the probes behave differently (so the above proves a refusal)
run "$PROBE" bpf
is "$out" "EFAULT" "bare: bpf with a bad pointer gets EFAULT"
run "$PROBE" personality 0xffffffff
is "$out" "ok" "bare: personality query"

# foreign ABIs: the process is killed (SIGSYS, 128+31)
# under report mode (the default) each refusal is one line naming it
run "$V" --no-default "$PROBE" bpf
is "$err" "vow: denied bpf(): never allowed" "a baseline refusal is reported"
run "$V" --no-default --violation eperm "$PROBE" bpf
is "$out|$err" "EPERM|" "--violation eperm: refused without a report"
run "$V" --no-default --violation kill "$PROBE" bpf
is "$rc:$err" "159:vow: denied bpf(): never allowed" "--violation kill: reported, then killed (128+SIGSYS)"
run "$V" --no-default "$PROBE" i386
is "$rc:$out" "159:" "an i386 syscall (int 0x80) kills the process"
run "$V" --no-default "$PROBE" x32
is "$rc:$out" "159:" "an x32 syscall kills the process"
run "$PROBE" i386
is "$rc:$out" "0:ok" "bare: the i386 entry works on this kernel"

# TIOCSTI in a real terminal: refused (the bare twin would inject, or EIO
# when the kernel disables it)
if command -v script >/dev/null; then
	out=$(script -qec "\"$V\" --no-default \"$PROBE\" tiocsti" /dev/null </dev/null 2>&1 | tr -d '\r')
	is "$out" "vow: denied ioctl(0, TIOCSTI): never allowed
EPERM" "TIOCSTI in a pty is refused and reported"
fi

# the filter is inherited and cannot be removed: nested vow only narrows
run "$V" --no-default "$V" --no-default "$PROBE" bpf
is "$out" "EPERM" "a nested vow is still filtered"
run "$V" --no-default "$V" --no-default sh -c 'grep Seccomp_filters /proc/self/status'
is "$out" "Seccomp_filters:	2" "a nested vow adds a filter, never replaces one"
# (the inner vow's own processes count too: 3 of the 4; its anchor cannot be
# inspected by an unprivileged supervisor, which then counts one more)
run "$V" --no-default -P 4 "$V" --no-default "$PROBE" threads 10
case "$out" in "1 EAGAIN"|"0 EAGAIN") ok "the outer process cap counts a nested vow's payload ($out)" ;;
*) notok "the outer process cap counts a nested vow's payload: $out" ;; esac
run "$V" --no-default -P 4 "$V" --no-default -P 100 "$PROBE" threads 10
is "$rc" 125 "a nested process cap cannot be enforced and is refused"
has "$err" "already runs under a filter that has them" "and vow says why"

# every syscall of the never-allowed list, through the raw syscall with bad
# pointers: the report's "never allowed" and EPERM prove the filter refused
# it (the kernel would answer EFAULT, EINVAL or ENOSYS).  Numbers stand for
# the names the probe does not know (x86_64).
for name in ptrace process_vm_readv process_vm_writev pidfd_getfd kcmp bpf io_uring_setup \
	io_uring_enter=426 io_uring_register=427 userfaultfd perf_event_open keyctl add_key \
	request_key mount umount2 pivot_root chroot unshare setns fsopen fsconfig=431 fsmount=432 \
	fspick=433 move_mount open_tree mount_setattr=442 open_by_handle_at name_to_handle_at \
	kexec_load kexec_file_load init_module finit_module delete_module reboot swapon swapoff \
	acct syslog quotactl quotactl_fd=443 iopl ioperm vhangup lookup_dcookie uselib \
	sethostname setdomainname clock_settime clock_adjtime adjtimex settimeofday; do
	call=${name%%=*}
	arg=$call
	[ "$name" = "$call" ] || arg="nr:${name#*=}"
	run "$V" --no-default "$PROBE" sys "$arg" bad bad bad bad
	case "$out|$err" in
	"EPERM|vow: denied $call("*"): never allowed") ok "never allowed: $call" ;;
	*) notok "never allowed: $call"; printf '#   got: %s|%s\n' "$out" "$err" ;;
	esac
done
