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
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <stddef.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "promises.h"
#include "vow.h"

#define WAIT_KILLABLE_RECV (1UL << 5) /* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV */
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
#define CLONE_NS_MASK (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
                       CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)
static const unsigned long clone_ns[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
};

/* ioctl requests never allowed: both push input into a terminal. */
static const unsigned long ioctl_never[] = {TIOCSTI, TIOCLINUX};

static int rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
                const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* not on this architecture */
	int r = seccomp_rule_add_array(ctx, action, nr, n, args);
	/* EEXIST: a twin rule is there; EACCES: the default action does it */
	return r == -EEXIST || r == -EACCES ? 0 : r;
}

/* A table row's conditions as libseccomp comparisons. */
static unsigned conds(const struct cond *c, struct scmp_arg_cmp *out)
{
	unsigned n = 0;
	for (; n < 3 && c[n].arg; n++)
		out[n] = (struct scmp_arg_cmp){c[n].arg - 1, SCMP_CMP_MASKED_EQ, c[n].mask, c[n].value};
	return n;
}

bool is_listen(const char *name)
{
	return !strcmp(name, "listen") || !strcmp(name, "accept") || !strcmp(name, "accept4");
}

static bool is_fork_name(const char *name)
{
	return !strcmp(name, "clone") || !strcmp(name, "fork") || !strcmp(name, "vfork");
}

/* Rules of every filter: what no promise decides. */
static int build_common(scmp_filter_ctx ctx, const struct filter_opts *o)
{
	int r = 0;
	r |= seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	r |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0); /* the seal sets it itself */
	r |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	/* clone3 passes its flags in memory, where no filter can read them,
	   and openat2 its open flags: ENOSYS sends libc back to clone(2) and
	   openat(2), whose arguments are checked. */
	r |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
	if (o->has_promises)
		r |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "openat2", 0, NULL);
	return r;
}

/* No promises: everything is allowed but the baseline. */
static int build_baseline(scmp_filter_ctx ctx, const struct filter_opts *o, uint32_t deny)
{
	int r = 0;
	for (size_t i = 0; i < sizeof never / sizeof *never; i++) {
		/* unshare(CLONE_FILES) only gives the caller its own descriptor table */
		struct scmp_arg_cmp files = SCMP_A0(SCMP_CMP_NE, CLONE_FILES);
		bool unshare = !strcmp(never[i], "unshare");
		r |= rule(ctx, deny, never[i], unshare, unshare ? &files : NULL);
	}
	for (size_t i = 0; i < sizeof clone_ns / sizeof *clone_ns; i++) {
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, clone_ns[i], clone_ns[i]);
		r |= rule(ctx, deny, "clone", 1, &a);
	}
	/* ioctl's request is an unsigned int: compare the low 32 bits only, or
	   TIOCSTI | 1ULL << 32 would pass the filter and reach the kernel. */
	for (size_t i = 0; i < sizeof ioctl_never / sizeof *ioctl_never; i++) {
		struct scmp_arg_cmp a = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, ioctl_never[i]);
		r |= rule(ctx, deny, "ioctl", 1, &a);
	}
	/* personality(2) may only be queried (0xffffffff) or set to plain Linux
	   (0): the others turn off ASLR, map page zero or make every readable
	   mapping executable.  Any other low 32 bits hold a set bit followed,
	   cyclically, by a clear one: one rule per position. */
	for (unsigned b = 0; b < 32; b++) {
		unsigned long bit = 1UL << b, next = 1UL << ((b + 1) % 32);
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, bit | next, bit);
		r |= rule(ctx, deny, "personality", 1, &a);
	}
	/* The process cap: every new task is a clone the supervisor counts. */
	if (o->notify_forks) {
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NS_MASK, 0);
		r |= rule(ctx, SCMP_ACT_NOTIFY, "clone", 1, &a);
		r |= rule(ctx, SCMP_ACT_NOTIFY, "fork", 0, NULL);
		r |= rule(ctx, SCMP_ACT_NOTIFY, "vfork", 0, NULL);
	}
	return r;
}

/* Without the id promise, setting user and group ids to the values they
   already have (make does it before every command) is a no-op and
   allowed: each argument is -1 or the current id of its slot. */
static int same_ids(scmp_filter_ctx ctx)
{
	uid_t u[3];
	gid_t g[3];
	if (getresuid(&u[0], &u[1], &u[2]) || getresgid(&g[0], &g[1], &g[2]))
		return 0;
	static const struct {
		const char *uid, *gid;
		int nargs;
	} calls[] = {{"setresuid", "setresgid", 3}, {"setreuid", "setregid", 2}};
	int r = 0;
	for (int gid = 0; gid < 2; gid++)
		for (size_t c = 0; c < 2; c++)
			for (unsigned pick = 0; pick < (1u << calls[c].nargs); pick++) {
				struct scmp_arg_cmp a[3];
				for (int i = 0; i < calls[c].nargs; i++)
					a[i] = (struct scmp_arg_cmp){i, SCMP_CMP_MASKED_EQ, 0xffffffffUL,
					                             pick & (1u << i) ? 0xffffffffUL
					                             : gid ? g[i] : u[i]};
				r |= rule(ctx, SCMP_ACT_ALLOW, gid ? calls[c].gid : calls[c].uid,
				          calls[c].nargs, a);
			}
	if (u[0] == u[1] && u[1] == u[2]) {
		struct scmp_arg_cmp a = {0, SCMP_CMP_MASKED_EQ, 0xffffffffUL, u[0]};
		r |= rule(ctx, SCMP_ACT_ALLOW, "setuid", 1, &a);
	}
	if (g[0] == g[1] && g[1] == g[2]) {
		struct scmp_arg_cmp a = {0, SCMP_CMP_MASKED_EQ, 0xffffffffUL, g[0]};
		r |= rule(ctx, SCMP_ACT_ALLOW, "setgid", 1, &a);
	}
	return r;
}

/* Promises: everything is refused but the rows the promises satisfy. */
static int build_promises(scmp_filter_ctx ctx, const struct filter_opts *o)
{
	promises_t have = o->promises;
	struct scmp_arg_cmp a[4];
	int r = 0;
	for (size_t i = 0; i < npromise_rows; i++) {
		const struct row *row = &promise_rows[i];
		if (row->needs & ~have)
			continue;
		if (o->no_listen && is_listen(row->syscall))
			continue;
		uint32_t act = o->notify_forks && is_fork_name(row->syscall) ? SCMP_ACT_NOTIFY
		                                                             : SCMP_ACT_ALLOW;
		r |= rule(ctx, act, row->syscall, conds(row->cond, a), a);
	}
	/* open and openat: one rule per combination of the deciding flags, or,
	   when the promises allow every combination, two rules: no create
	   flag, or a mode without set-id and sticky bits */
	bool every = true;
	uint64_t g = 0;
	do {
		every &= !(open_needs(g) & ~have);
		g = (g - open_mask) & open_mask;
	} while (g && every);
	for (size_t c = 0; every && c < nopen_calls; c++) {
		a[0] = (struct scmp_arg_cmp){open_calls[c].flags_arg, SCMP_CMP_MASKED_EQ,
		                             O_CREAT | TMPFILE_BIT, 0};
		r |= rule(ctx, SCMP_ACT_ALLOW, open_calls[c].syscall, 1, a);
		a[0] = (struct scmp_arg_cmp){open_calls[c].mode_arg, SCMP_CMP_MASKED_EQ, 07000, 0};
		r |= rule(ctx, SCMP_ACT_ALLOW, open_calls[c].syscall, 1, a);
	}
	for (size_t c = 0; !every && c < nopen_calls; c++) {
		uint64_t f = 0;
		do { /* every subset of the deciding bits */
			if (!(open_needs(f) & ~have)) {
				unsigned n = 0;
				a[n++] = (struct scmp_arg_cmp){open_calls[c].flags_arg, SCMP_CMP_MASKED_EQ,
				                               open_mask, f};
				if (f & (O_CREAT | TMPFILE_BIT)) /* never create set-id or sticky files */
					a[n++] = (struct scmp_arg_cmp){open_calls[c].mode_arg,
					                               SCMP_CMP_MASKED_EQ, 07000, 0};
				r |= rule(ctx, SCMP_ACT_ALLOW, open_calls[c].syscall, n, a);
			}
			f = (f - open_mask) & open_mask;
		} while (f);
	}
	for (size_t i = 0; i < nsocket_kinds; i++) {
		const struct socket_kind *k = &socket_table[i];
		if (k->needs & ~have)
			continue;
		a[0] = (struct scmp_arg_cmp){0, SCMP_CMP_MASKED_EQ, 0xffffffffUL, k->domain};
		a[1] = (struct scmp_arg_cmp){1, SCMP_CMP_MASKED_EQ,
		                             0xffffffffUL & ~(unsigned long)(SOCK_NONBLOCK | SOCK_CLOEXEC),
		                             k->type};
		a[2] = (struct scmp_arg_cmp){2, SCMP_CMP_MASKED_EQ, 0xffffffffUL, k->protocol};
		r |= rule(ctx, SCMP_ACT_ALLOW, "socket", 3, a);
	}
	if (!(have & (1u << P_ID)))
		r |= same_ids(ctx);
	for (size_t i = 0; i < nquiet; i++)
		if (!(quiet_table[i].unless & have) && !(quiet_table[i].when & ~have))
			r |= rule(ctx, SCMP_ACT_ERRNO(quiet_table[i].err), quiet_table[i].syscall,
			          conds(quiet_table[i].cond, a), a);
	/* Without exec the supervisor lets the payload's own start through and
	   nothing after it. */
	if (!(have & (1u << P_EXEC))) {
		r |= rule(ctx, SCMP_ACT_NOTIFY, "execve", 0, NULL);
		r |= rule(ctx, SCMP_ACT_NOTIFY, "execveat", 0, NULL);
	}
	return r;
}

static const char *build(scmp_filter_ctx ctx, const struct filter_opts *o)
{
	static char msg[160];
	uint32_t deny = o->violation == VOW_EPERM ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_NOTIFY;
	int r = build_common(ctx, o);
	if (o->has_promises)
		r |= build_promises(ctx, o);
	else
		r |= build_baseline(ctx, o, deny);
	if (r) {
		snprintf(msg, sizeof msg, "cannot build the seccomp filter: %s", strerror(-r));
		return msg;
	}
	return NULL;
}

static bool masked(uint64_t v, unsigned long mask, unsigned long want)
{
	return (v & mask) == want;
}

/* Would the baseline refuse NAME(ARGS)?  The same lists as the filter. */
bool seccomp_baseline_refuses(const char *name, const uint64_t *args)
{
	for (size_t i = 0; i < sizeof never / sizeof *never; i++)
		if (!strcmp(name, never[i]))
			return strcmp(name, "unshare") || args[0] != CLONE_FILES;
	if (!strcmp(name, "clone"))
		return args[0] & CLONE_NS_MASK;
	if (!strcmp(name, "ioctl"))
		for (size_t i = 0; i < sizeof ioctl_never / sizeof *ioctl_never; i++)
			if (masked(args[1], 0xffffffffUL, ioctl_never[i]))
				return true;
	if (!strcmp(name, "personality"))
		return (uint32_t)args[0] != 0 && (uint32_t)args[0] != 0xffffffffU;
	return false;
}

/* Does this filter send anything to the supervisor? */
bool seccomp_needs_listener(const struct filter_opts *o)
{
	if (o->notify_forks || o->violation != VOW_EPERM)
		return true;
	return o->has_promises && !(o->promises & (1u << P_EXEC));
}

/* Before libseccomp's program, a few instructions of our own that only
   look at the architecture and the number (so the kernel still caches
   every plain ALLOW): a foreign ABI kills the process, whether another
   architecture (i386 through int 0x80) or x32's numbers (bit 30); a
   number above the newest syscall libseccomp names gets ENOSYS, as on an
   older kernel, so that libc falls back and nothing unreviewed passes. */
#ifdef __x86_64__
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#define X32_BIT 0x40000000
static struct sock_filter prefix[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 0, 4),   /* else kill */
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_BIT, 2, 0),               /* kill */
	BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0 /* newest */, 2, 0),       /* ENOSYS */
	BPF_JUMP(BPF_JMP | BPF_JA | BPF_K, 2, 0, 0),                      /* libseccomp's */
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
};
#define PREFIX_NEWEST 4
#else
static struct sock_filter prefix[] = {
	BPF_JUMP(BPF_JMP | BPF_JA | BPF_K, 0, 0, 0),
};
#define PREFIX_NEWEST -1
#endif

static void prefix_set_newest(unsigned nr)
{
	if (PREFIX_NEWEST >= 0)
		prefix[PREFIX_NEWEST].k = nr;
}

/* The highest syscall number libseccomp can name on this architecture. */
static unsigned newest_known(void)
{
	static const char *const newest[] = {
		"set_mempolicy_home_node", "futex_waitv", "process_mrelease", "memfd_secret",
		"landlock_restrict_self", "epoll_pwait2", "close_range", "openat2",
	};
	unsigned best = 0;
	for (size_t i = 0; i < sizeof newest / sizeof *newest; i++) {
		int nr = seccomp_syscall_resolve_name(newest[i]);
		if (nr != __NR_SCMP_ERROR && (unsigned)nr > best)
			best = nr;
	}
	/* names libseccomp learnt after these, found by asking for numbers */
	for (char *name; (name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, best + 1)); free(name))
		best++;
	return best;
}

const char *seccomp_prepare(const struct filter_opts *o, struct seccomp_plan *plan)
{
	static char msg[160];
	const char *err = NULL;
	uint32_t deny = o->violation == VOW_EPERM ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_NOTIFY;
	scmp_filter_ctx ctx = seccomp_init(o->has_promises ? deny : SCMP_ACT_ALLOW);
	if (!ctx)
		return "cannot build the seccomp filter: out of memory";
	err = build(ctx, o);
	int fds[2] = {-1, -1};
	if (!err) {
		/* libseccomp 2.5 exports only to a file descriptor; a pipe holds a
		   whole filter (4096 instructions are 32 KiB) and needs no file */
		int r = pipe2(fds, O_CLOEXEC) ? -errno : 0;
		if (!r)
			fcntl(fds[1], F_SETPIPE_SZ, 1 << 16);
		if (!r)
			r = seccomp_export_bpf(ctx, fds[1]);
		if (r) {
			snprintf(msg, sizeof msg, "cannot export the seccomp filter: %s", strerror(-r));
			err = msg;
		}
	}
	if (!err) {
		size_t pre = sizeof prefix / sizeof *prefix, max = BPF_MAXINSNS;
		struct sock_fprog *prog = malloc(sizeof *prog + (pre + max) * sizeof(struct sock_filter));
		if (!prog)
			die("out of memory");
		prog->filter = (struct sock_filter *)(prog + 1);
		prefix_set_newest(newest_known());
		memcpy(prog->filter, prefix, sizeof prefix);
		close(fds[1]);
		fds[1] = -1;
		size_t got = 0;
		for (ssize_t n; (n = read(fds[0], (char *)(prog->filter + pre) + got,
		                          max * sizeof(struct sock_filter) - got)) > 0;)
			got += n;
		if (!got || got % sizeof(struct sock_filter))
			die("cannot read the seccomp filter back");
		prog->len = pre + got / sizeof(struct sock_filter);
		plan->prog = prog;
		plan->notify = seccomp_needs_listener(o);
	}
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
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
	/* Once the supervisor has read a notification, the caller waits for
	   the answer killable only (Linux 5.19): a signal arriving meanwhile
	   would otherwise fail the call with EINTR, which fork never does. */
	unsigned flags = plan->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER | WAIT_KILLABLE_RECV : 0;
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, plan->prog);
	if (r < 0 && errno == EINVAL && plan->notify)
		r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags & ~WAIT_KILLABLE_RECV, plan->prog);
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
