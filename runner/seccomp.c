/* seccomp.c: the filter, built with libseccomp before fork and loaded in the
   payload as the very last sealing step (it may forbid the steps before it).
 *
 * The baseline is always on, with or without promises: the rows below are
 * refused whatever the policy says, foreign ABIs (i386 through int 0x80,
 * x32) kill the process, and namespace creation is refused.  Syscalls not
 * named keep the kernel's cached ALLOW, so hot calls cost what any filter
 * costs and no more. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vow.h"

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif

/* Never allowed: each one reaches past the sandbox, or into the kernel's
   least-audited corners.  A promise named for one may lift it later. */
static const char *const never[] = {
	/* other processes' memory and tracing */
	"ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
	/* kernel attack surface with a history of escapes */
	"bpf", "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd",
	"perf_event_open", "keyctl", "add_key", "request_key",
	/* mounts, roots and namespaces */
	"mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "fsopen", "fsconfig",
	"fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
	/* file handles bypass path checks */
	"open_by_handle_at", "name_to_handle_at",
	/* the machine itself */
	"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
	"reboot", "swapon", "swapoff", "acct", "syslog", "quotactl", "quotactl_fd", "iopl",
	"ioperm", "vhangup", "lookup_dcookie", "uselib", "sethostname", "setdomainname",
	/* the clock is everyone's (a settime promise may lift these) */
	"clock_settime", "clock_adjtime", "adjtimex", "settimeofday",
};

/* clone flags that make namespaces; CLONE_NEWTIME shares bits with the exit
   signal in clone(2), so it is checked nowhere but unshare, refused above. */
static const unsigned long clone_ns[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
};

/* ioctl requests never allowed: both push input into a terminal. */
static const unsigned long ioctl_never[] = {TIOCSTI, TIOCLINUX};

/* personality(2) may only be queried (0xffffffff) or set to plain Linux
   (0): the other personalities turn off ASLR, map page zero or make every
   readable mapping executable. */
static int rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
                const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* not on this architecture */
	int r = seccomp_rule_add_array(ctx, action, nr, n, args);
	return r == -EEXIST ? 0 : r;
}

static const char *build(scmp_filter_ctx ctx, bool notify)
{
	static char msg[160];
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	int r = 0;
	r |= seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	r |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0); /* the seal sets it itself */
	r |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; i < sizeof never / sizeof *never; i++)
		r |= rule(ctx, eperm, never[i], 0, NULL);
	/* clone3 passes its flags in memory, where no filter can read them:
	   ENOSYS sends libc back to clone(2), whose flags are checked. */
	r |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
	for (size_t i = 0; i < sizeof clone_ns / sizeof *clone_ns; i++) {
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, clone_ns[i], clone_ns[i]);
		r |= rule(ctx, eperm, "clone", 1, &a);
	}
	/* ioctl's request is an unsigned int: compare the low 32 bits only, or
	   TIOCSTI | 1ULL << 32 would pass the filter and reach the kernel. */
	for (size_t i = 0; i < sizeof ioctl_never / sizeof *ioctl_never; i++) {
		struct scmp_arg_cmp a = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, ioctl_never[i]);
		r |= rule(ctx, eperm, "ioctl", 1, &a);
	}
	/* personality: a value other than 0 and 0xffffffff (low 32 bits) has a
	   set bit followed, cyclically, by a clear one; one rule per position. */
	for (unsigned b = 0; b < 32; b++) {
		unsigned long bit = 1UL << b, next = 1UL << ((b + 1) % 32);
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, bit | next, bit);
		r |= rule(ctx, eperm, "personality", 1, &a);
	}
	/* The process cap: every new task is a clone the supervisor counts. */
	if (notify) {
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ,
		                                CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
		                                    CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
		                                    CLONE_NEWNET,
		                                0);
		r |= rule(ctx, SCMP_ACT_NOTIFY, "clone", 1, &a);
		r |= rule(ctx, SCMP_ACT_NOTIFY, "fork", 0, NULL);
		r |= rule(ctx, SCMP_ACT_NOTIFY, "vfork", 0, NULL);
	}
	if (r) {
		snprintf(msg, sizeof msg, "cannot build the seccomp filter: %s", strerror(-r));
		return msg;
	}
	return NULL;
}

const char *seccomp_prepare(bool notify, struct seccomp_plan *plan)
{
	static char msg[160];
	const char *err = NULL;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return "cannot build the seccomp filter: out of memory";
	err = build(ctx, notify);
	int fd = -1;
	if (!err) {
		/* libseccomp 2.5 exports only to a file descriptor */
		fd = memfd_create("vow-bpf", MFD_CLOEXEC);
		int r = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
		if (r) {
			snprintf(msg, sizeof msg, "cannot export the seccomp filter: %s", strerror(-r));
			err = msg;
		}
	}
	if (!err) {
		off_t len = lseek(fd, 0, SEEK_END);
		struct sock_fprog *prog = malloc(sizeof *prog + len);
		if (!prog)
			die("out of memory");
		prog->filter = (struct sock_filter *)(prog + 1);
		prog->len = len / sizeof(struct sock_filter);
		if (pread(fd, prog->filter, len, 0) != len)
			pdie("cannot read the seccomp filter back");
		plan->prog = prog;
		plan->notify = notify;
	}
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return err;
}

size_t seccomp_size(const struct seccomp_plan *plan)
{
	return plan->prog ? ((struct sock_fprog *)plan->prog)->len : 0;
}

/* Step, in the payload process: returns the listener fd, 0 without one. */
int seccomp_apply(const struct seccomp_plan *plan)
{
	unsigned flags = plan->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, plan->prog);
	if (r < 0)
		return -1;
	return plan->notify ? (int)r : 0;
}

bool seccomp_is_fork(int nr)
{
	return nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork;
}

/* Can this process still get a seccomp listener?  The kernel allows one
   per filter chain, so not under a filter that has one (a nested vow).
   Without any filter it can; under one, a throwaway child tries. */
static int try_listener(void *arg)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {1, &allow};
	int *err = arg;
	*err = 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog) < 0)
		*err = errno;
	_exit(0);
}

bool seccomp_listener_free(void)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = 0;
		const char *m = strstr(buf, "\nSeccomp:\t");
		if (m && m[10] == '0')
			return true;
	}
	static char stack[16384] __attribute__((aligned(16)));
	int err = -1;
	pid_t pid = clone(try_listener, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &err);
	if (pid < 0)
		return false;
	waitpid(pid, NULL, 0);
	return err == 0;
}
