/* seccomp.c: the filter's rules, made into a program by bpf.c before fork
   and loaded in the payload as the very last sealing step (it may forbid
   the steps before it).  libseccomp only names the syscalls.
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

#include "proctree.h"
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
/* ioctl requests never allowed: both push input into a terminal. */
static const unsigned long ioctl_never[] = {TIOCSTI, TIOCLINUX};

/* The rules of one filter, in the order they are tried. */
struct rules {
	struct bpf_rule *v;
	size_t n, cap;
};

static void rule(struct rules *rs, uint32_t action, const char *name, unsigned n,
                 const struct bpf_cond *c)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return; /* not on this architecture */
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 256;
		if (!(rs->v = realloc(rs->v, rs->cap * sizeof *rs->v)))
			die("out of memory");
	}
	struct bpf_rule *r = &rs->v[rs->n++];
	*r = (struct bpf_rule){.nr = nr, .action = action, .n = n};
	if (n)
		memcpy(r->c, c, n * sizeof *c);
}

/* A table row's conditions as comparisons. */
static unsigned conds(const struct cond *c, struct bpf_cond *out)
{
	unsigned n = 0;
	for (; n < 3 && c[n].arg; n++)
		out[n] = (struct bpf_cond){c[n].arg - 1, c[n].mask, c[n].value};
	return n;
}

#define LO32 0xffffffffu
#define EVERY ~(uint64_t)0

bool is_listen(const char *name)
{
	return !strcmp(name, "listen") || !strcmp(name, "accept") || !strcmp(name, "accept4");
}

static bool is_fork_name(const char *name)
{
	return !strcmp(name, "clone") || !strcmp(name, "fork") || !strcmp(name, "vfork");
}

/* Rules of every filter: what no promise decides. */
static void build_common(struct rules *rs, const struct filter_opts *o)
{
	/* clone3 passes its flags in memory, where no filter can read them,
	   and openat2 its open flags: ENOSYS sends libc back to clone(2) and
	   openat(2), whose arguments are checked. */
	rule(rs, SECCOMP_RET_ERRNO | ENOSYS, "clone3", 0, NULL);
	if (o->has_promises)
		rule(rs, SECCOMP_RET_ERRNO | ENOSYS, "openat2", 0, NULL);
	/* execpromises (vow_pledge): a program starts only through vow_execve,
	   which stacks their filter first and passes the cookie in execve's
	   unused fourth argument; any other execve gets EPERM */
	if (o->exec_cookie && (!o->has_promises || (o->promises & (1u << P_EXEC)))) {
		rule(rs, SECCOMP_RET_ALLOW, "execve", 1, &(struct bpf_cond){3, ~0ULL, o->exec_cookie});
		rule(rs, SECCOMP_RET_ERRNO | EPERM, "execve", 0, NULL);
		rule(rs, SECCOMP_RET_ERRNO | EPERM, "execveat", 0, NULL);
	}
}

/* No promises: everything is allowed but the baseline. */
static void build_baseline(struct rules *rs, const struct filter_opts *o, uint32_t deny)
{
	for (size_t i = 0; i < sizeof never / sizeof *never; i++) {
		/* unshare(CLONE_FILES) only gives the caller its own descriptor table */
		if (!strcmp(never[i], "unshare"))
			rule(rs, SECCOMP_RET_ALLOW, "unshare", 1, &(struct bpf_cond){0, EVERY, CLONE_FILES});
		rule(rs, deny, never[i], 0, NULL);
	}
	/* No namespaces from clone; with the process cap, every new task is
	   a clone the supervisor counts. */
	uint32_t task = o->notify_forks ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_ALLOW;
	rule(rs, task, "clone", 1, &(struct bpf_cond){0, CLONE_NS_MASK, 0});
	rule(rs, deny, "clone", 0, NULL);
	if (o->notify_forks) {
		rule(rs, task, "fork", 0, NULL);
		rule(rs, task, "vfork", 0, NULL);
	}
	/* ioctl's request is an unsigned int: compare the low 32 bits only, or
	   TIOCSTI | 1ULL << 32 would pass the filter and reach the kernel. */
	for (size_t i = 0; i < sizeof ioctl_never / sizeof *ioctl_never; i++)
		rule(rs, deny, "ioctl", 1, &(struct bpf_cond){1, LO32, ioctl_never[i]});
	/* personality(2) may only be queried (0xffffffff) or set to plain Linux
	   (0): the others turn off ASLR, map page zero or make every readable
	   mapping executable.  The kernel reads the low 32 bits. */
	rule(rs, SECCOMP_RET_ALLOW, "personality", 1, &(struct bpf_cond){0, LO32, 0});
	rule(rs, SECCOMP_RET_ALLOW, "personality", 1, &(struct bpf_cond){0, LO32, LO32});
	rule(rs, deny, "personality", 0, NULL);
}

/* Without the id promise, setting user and group ids to the values they
   already have (make does it before every command) is a no-op and
   allowed: each argument is -1 or the current id of its slot. */
static void same_ids(struct rules *rs)
{
	uid_t u[3];
	gid_t g[3];
	if (getresuid(&u[0], &u[1], &u[2]) || getresgid(&g[0], &g[1], &g[2]))
		return;
	static const struct {
		const char *uid, *gid;
		int nargs;
	} calls[] = {{"setresuid", "setresgid", 3}, {"setreuid", "setregid", 2}};
	for (int gid = 0; gid < 2; gid++)
		for (size_t c = 0; c < 2; c++)
			for (unsigned pick = 0; pick < (1u << calls[c].nargs); pick++) {
				struct bpf_cond a[3];
				for (int i = 0; i < calls[c].nargs; i++)
					a[i] = (struct bpf_cond){i, LO32, pick & (1u << i) ? LO32 : gid ? g[i] : u[i]};
				rule(rs, SECCOMP_RET_ALLOW, gid ? calls[c].gid : calls[c].uid, calls[c].nargs, a);
			}
	if (u[0] == u[1] && u[1] == u[2])
		rule(rs, SECCOMP_RET_ALLOW, "setuid", 1, &(struct bpf_cond){0, LO32, u[0]});
	if (g[0] == g[1] && g[1] == g[2])
		rule(rs, SECCOMP_RET_ALLOW, "setgid", 1, &(struct bpf_cond){0, LO32, g[0]});
}

/* Promises: everything is refused but the rows the promises satisfy. */
static void build_promises(struct rules *rs, const struct filter_opts *o)
{
	promises_t have = o->promises;
	struct bpf_cond a[3];
	for (size_t i = 0; i < npromise_rows; i++) {
		const struct row *row = &promise_rows[i];
		if (row->needs & ~have)
			continue;
		if (o->no_listen && is_listen(row->syscall))
			continue;
		uint32_t act = o->notify_forks && is_fork_name(row->syscall) ? SECCOMP_RET_USER_NOTIF
		                                                             : SECCOMP_RET_ALLOW;
		rule(rs, act, row->syscall, conds(row->cond, a), a);
	}
	/* vow learn counts new tasks by their calls, not by notifications
	   (which a signal can interrupt) */
	if (o->learn) {
		rule(rs, SECCOMP_RET_ALLOW, "clone", 1, &(struct bpf_cond){0, CLONE_NS_MASK, 0});
		rule(rs, SECCOMP_RET_ALLOW, "fork", 0, NULL);
		rule(rs, SECCOMP_RET_ALLOW, "vfork", 0, NULL);
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
		const char *name = open_calls[c].syscall;
		rule(rs, SECCOMP_RET_ALLOW, name, 1,
		     &(struct bpf_cond){open_calls[c].flags_arg, O_CREAT | TMPFILE_BIT, 0});
		rule(rs, SECCOMP_RET_ALLOW, name, 1, &(struct bpf_cond){open_calls[c].mode_arg, 07000, 0});
	}
	for (size_t c = 0; !every && c < nopen_calls; c++) {
		uint64_t f = 0;
		do { /* every subset of the deciding bits */
			if (!(open_needs(f) & ~have)) {
				unsigned n = 0;
				a[n++] = (struct bpf_cond){open_calls[c].flags_arg, open_mask, f};
				if (f & (O_CREAT | TMPFILE_BIT)) /* never create set-id or sticky files */
					a[n++] = (struct bpf_cond){open_calls[c].mode_arg, 07000, 0};
				rule(rs, SECCOMP_RET_ALLOW, open_calls[c].syscall, n, a);
			}
			f = (f - open_mask) & open_mask;
		} while (f);
	}
	for (size_t i = 0; i < nsocket_kinds; i++) {
		const struct socket_kind *k = &socket_table[i];
		if (k->needs & ~have)
			continue;
		a[0] = (struct bpf_cond){0, LO32, k->domain};
		a[1] = (struct bpf_cond){1, LO32 & ~(uint64_t)(SOCK_NONBLOCK | SOCK_CLOEXEC), k->type};
		a[2] = (struct bpf_cond){2, LO32, k->protocol};
		rule(rs, SECCOMP_RET_ALLOW, "socket", 3, a);
	}
	if (!(have & (1u << P_ID)))
		same_ids(rs);
	for (size_t i = 0; i < nquiet; i++)
		if (!(quiet_table[i].unless & have) && !(quiet_table[i].when & ~have))
			rule(rs, SECCOMP_RET_ERRNO | quiet_table[i].err, quiet_table[i].syscall,
			     conds(quiet_table[i].cond, a), a);
	/* Without exec the supervisor lets the payload's own start through and
	   nothing after it (a process sealing itself has started already). */
	if (!(have & (1u << P_EXEC)) && !o->in_process && !o->runs_here) {
		rule(rs, SECCOMP_RET_USER_NOTIF, "execve", 0, NULL);
		rule(rs, SECCOMP_RET_USER_NOTIF, "execveat", 0, NULL);
	}
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
	if (o->in_process)
		return false;
	if (o->notify_forks || o->violation != VOW_EPERM)
		return true;
	return o->has_promises && !(o->promises & (1u << P_EXEC)) && !o->runs_here;
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
	uint32_t deny = o->violation == VOW_EPERM ? SECCOMP_RET_ERRNO | EPERM
	                : o->in_process           ? SECCOMP_RET_KILL_PROCESS
	                                          : SECCOMP_RET_USER_NOTIF;
	struct rules rs = {0};
	build_common(&rs, o);
	if (o->has_promises)
		build_promises(&rs, o);
	else
		build_baseline(&rs, o, deny);
	plan->prog = bpf_build(rs.v, rs.n, o->has_promises ? deny : SECCOMP_RET_ALLOW, newest_known());
	free(rs.v);
	if (!plan->prog)
		return "cannot build the seccomp filter: more than 4096 instructions";
	plan->notify = seccomp_needs_listener(o);
	plan->tsync = o->in_process;
	return NULL;
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
	if (plan->tsync) /* every thread of the process, or none */
		flags |= SECCOMP_FILTER_FLAG_TSYNC;
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, plan->prog);
	if (r < 0 && errno == EINVAL && plan->notify)
		r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags & ~WAIT_KILLABLE_RECV, plan->prog);
	if (r < 0)
		return -1;
	if (r > 0 && plan->tsync) { /* a thread that could not follow */
		errno = EBUSY;
		return -1;
	}
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
	if (proc_status("/proc/self/status", "Seccomp") == 0)
		return true;
	static char stack[16384] __attribute__((aligned(16)));
	int err = -1;
	pid_t pid = clone(try_listener, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &err);
	if (pid < 0)
		return false;
	waitpid(pid, NULL, 0);
	return err == 0;
}
