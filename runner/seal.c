/* seal.c: the sealing order, as one ordered table of steps, run in the
 * payload process just before exec.  Everything was resolved before fork;
 * a step is only syscalls, allocates nothing, and a step that fails is
 * fatal.  The order is the contract of DESIGN.md: session, descriptors,
 * environment (passed to execve), rlimits, securebits, no_new_privs,
 * capabilities, Landlock, and seccomp last since it may forbid the rest. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "promises.h"
#include "vow.h"

#define IOPRIO_CLASS_IDLE 3
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_PRIO_VALUE(class, data) (((class) << 13) | (data))

static int step_session(struct seal *s)
{
	(void)s;
	return setsid() < 0 ? -1 : 0;
}

/* Only 0, 1 and 2 survive exec (vow opened the missing ones on /dev/null
   when it started).  The descriptor table is shared with the supervisor
   until exec, so the rest are marked close-on-exec rather than closed. */
static int step_fds(struct seal *s)
{
	(void)s;
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_SETFD, 0))
			return -1;
	return syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
}

static int step_nice(struct seal *s)
{
	if (!s->policy->nice)
		return 0;
	struct sched_param sp = {0};
	if (setpriority(PRIO_PROCESS, 0, 19) ||
	    syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)))
		return -1;
	return sched_setscheduler(0, SCHED_IDLE, &sp);
}

static int step_limits(struct seal *s)
{
	return limits_apply(s->policy);
}

static int step_securebits(struct seal *s)
{
	return caps_securebits(&s->caps);
}

/* Landlock needs it once capabilities are gone; set-id bits and file
   capabilities stop granting anything. */
static int step_nnp(struct seal *s)
{
	(void)s;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static int step_caps(struct seal *s)
{
	return caps_drop(&s->caps);
}

/* The supervisor blocks the signals it forwards; the payload gets the mask
   and the ignored signals vow started with, before seccomp may forbid
   changing them. */
static int step_sigmask(struct seal *s)
{
	struct sigaction ign = {.sa_handler = SIG_IGN};
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&s->ignored, sig) == 1 && sigaction(sig, &ign, NULL))
			return -1;
	return sigprocmask(SIG_SETMASK, s->origmask, NULL);
}

static int step_landlock(struct seal *s)
{
	return landlock_apply(&s->landlock);
}

static int step_seccomp(struct seal *s)
{
	int fd = seccomp_apply(&s->seccomp);
	if (fd < 0)
		return -1;
	__atomic_store_n(&s->listener, fd, __ATOMIC_RELEASE);
	/* a supervisor in its own memory waits for this (or, when the
	   promises refuse futex, looks again every little while) */
	if (fd > 0 && (!s->filter.has_promises || (s->filter.promises & (1u << P_STDIO))))
		syscall(SYS_futex, &s->listener, FUTEX_WAKE, 1, NULL, NULL, 0);
	return 0;
}

static const struct step {
	const char *name;
	int (*run)(struct seal *s);
	bool here; /* also when a process seals itself (vow_seal) */
} steps[] = {
	{"new session", step_session, false},
	{"close stray file descriptors", step_fds, false},
	{"lowest priority", step_nice, true},
	{"rlimits", step_limits, true},
	{"lock securebits", step_securebits, true},
	{"no_new_privs", step_nnp, true},
	{"drop capabilities", step_caps, true},
	{"restore the signal mask", step_sigmask, false},
	{"Landlock", step_landlock, true},
	{"seccomp", step_seccomp, true},
};
#define NSTEPS (int)(sizeof steps / sizeof *steps)

const char *seal_step_name(int step)
{
	return step < NSTEPS ? steps[step].name : "exec";
}

/* Pure: the filter's options for policy P and program PATH (NULL for
   vow show without a command).  A dynamically linked program (or a script,
   whose interpreter is one) reads its libraries at start, after exec: its
   loader needs rpath and read+execute mappings of files, which are added
   and shown as implied. */
void seal_filter_opts(const struct vow_policy *p, const char *path, struct filter_opts *o,
                      uint32_t *implied)
{
	*o = (struct filter_opts){0};
	o->has_promises = p->has_promises;
	o->promises = p->promises;
	o->violation = p->violation;
	o->notify_forks = p->limit[VOW_PROCS].set;
	/* With port rules and none for bind, Landlock refuses every TCP bind;
	   a listen() on a socket never bound would still take a port by
	   itself, unseen by Landlock, so listen and accept go too.  They are
	   the same calls for unix sockets: with unix promised they stay. */
	bool bind_rule = false;
	for (size_t i = 0; i < p->nports; i++)
		bind_rule |= p->ports[i].bind;
	o->no_listen = p->has_promises && p->nports && !bind_rule && !(p->promises & (1u << P_UNIX));
	*implied = 0;
	if (p->has_promises && path && exec_is_dynamic(path))
		*implied |= (1u << P_LOADER) | (~p->promises & (1u << P_RPATH));
	/* file-set promises open their files; Landlock keeps them to those */
	if (p->promises & ((1u << P_GETPW) | (1u << P_PS) | (1u << P_VMINFO)))
		*implied |= ~p->promises & (1u << P_RPATH);
	if (p->promises & (1u << P_TMPPATH))
		*implied |= ~p->promises & ((1u << P_RPATH) | (1u << P_WPATH) | (1u << P_CPATH));
	o->promises |= *implied;
}

/* A nested vow: the kernel gives one seccomp listener per filter chain
   and the outer vow holds it.  Report mode falls back to eperm (the
   default), the rest is refused unless --best-effort. */
static const char *nested(const struct vow_policy *p, struct filter_opts *o)
{
	static char msg[300];
	const char *what = NULL;
	if (o->notify_forks)
		what = "the process cap";
	/* (a payload of vow's own code has no start to let through: the
	   filter refuses exec alone) */
	else if (!o->runs_here && o->has_promises && !(o->promises & (1u << P_EXEC)) &&
	         (p->npaths || p->restricts_paths))
		/* Landlock's x rules still keep execution to the files unveiled
		   x (the program and what it needs to start): the filter lets
		   execve through and Landlock decides */
		o->promises |= 1u << P_EXEC;
	else if (!o->runs_here && o->has_promises && !(o->promises & (1u << P_EXEC)))
		what = "refusing exec after the payload's start";
	else if (o->violation != VOW_EPERM && p->violation_set)
		what = "--violation report and kill";
	if (!what) {
		o->violation = VOW_EPERM;
		return NULL;
	}
	snprintf(msg, sizeof msg,
	         "%s needs seccomp notifications, but vow already runs under a filter that has them "
	         "(a nested vow?); the outer sandbox's rules still apply",
	         what);
	if (!p->best_effort)
		return msg;
	warnx("%s; running without (--best-effort)", msg);
	o->notify_forks = false;
	o->violation = VOW_EPERM;
	if (!o->runs_here)
		o->promises |= 1u << P_EXEC;
	return NULL;
}

/* Pure: everything the steps need, resolved before fork. */
const char *seal_prepare(struct seal *s, const struct vow_policy *p)
{
	const char *err;
	s->policy = p;
	s->listener = 0;
	s->failed_step = -1;
	uint64_t keep = p->caps_keep;
	if ((err = caps_check(&keep))) {
		if (!p->best_effort)
			return err;
		warnx("%s; dropping it (--best-effort)", err);
	}
	caps_prepare(keep, &s->caps);
	double t = vow_ms();
	if ((err = landlock_prepare(p, &s->landlock)))
		return err;
	vow_timing.landlock = vow_ms() - t;
	seal_filter_opts(p, s->path, &s->filter, &s->implied);
	s->filter.in_process = s->in_process;
	s->filter.runs_here = s->lua || s->fn;
	if (s->learn) {
		/* what a dynamically linked start implies is noted too, except the
		   loader's mappings (no policy asks for those) */
		s->filter.learn = true;
		s->filter.promises = p->promises | (1u << P_LOADER);
	}
	if (seccomp_needs_listener(&s->filter) && !seccomp_listener_free() &&
	    (err = nested(p, &s->filter)))
		return err;
	t = vow_ms();
	if ((err = seccomp_prepare(&s->filter, &s->seccomp)))
		return err;
	vow_timing.seccomp = vow_ms() - t;
	return NULL;
}

/* vow_seal: the calling process seals itself, with the steps that make
   sense there.  Returns 0, or -1 with errno and s->failed_step. */
int seal_here(struct seal *s)
{
	for (int i = 0; i < NSTEPS; i++)
		if (steps[i].here && steps[i].run(s)) {
			s->failed_step = i;
			s->err = errno;
			return -1;
		}
	return 0;
}

/* vow lua and vow_isolate, in the payload process: its own memory, the
   supervisor's descriptor table until the filter's listener has landed
   there.  Then a table of its own, without the listener (a thread of the
   payload could answer its own notifications with it) or anything else
   of vow's. */
_Noreturn void seal_and_run_here(struct seal *s)
{
	/* the supervisor's verdict is not the payload's to write */
	if (s->fn && s->fn->verdict)
		munmap(s->fn->verdict, s->fn->verdict_size);
	/* dumpable again, as an exec would make it, so that the supervisor can
	   read the paths of refused calls (process_vm_readv) */
	prctl(PR_SET_DUMPABLE, 1);
	for (int i = 0; i < NSTEPS; i++)
		if (steps[i].run(s)) {
			s->failed_step = i;
			s->err = errno;
			_exit(VOW_EXIT_FAIL);
		}
	if (syscall(SYS_unshare, CLONE_FILES) || syscall(SYS_close_range, 3, ~0U, 0)) {
		s->failed_step = NSTEPS;
		s->err = errno;
		_exit(VOW_EXIT_FAIL);
	}
	environ = (char **)s->envp; /* os.getenv sees the policy's environment */
	if (s->fn)
		isolate_run(s->fn);
	luahost_run(s->lua);
}

/* In the payload process.  It shares memory with the supervisor, which is
   suspended until exec (vfork semantics), so failures are reported by
   writing into *s and nothing else is touched.  It runs on a stack
   AddressSanitizer does not know, so it is left uninstrumented. */
__attribute__((no_sanitize_address)) void seal_and_exec(struct seal *s)
{
	for (int i = 0; i < NSTEPS; i++)
		if (steps[i].run(s)) {
			s->failed_step = i;
			s->err = errno;
			_exit(VOW_EXIT_FAIL);
		}
	execve(s->path, s->argv, s->envp);
	s->failed_step = NSTEPS;
	s->err = errno;
	_exit(errno == ENOENT ? VOW_EXIT_NOTFOUND : VOW_EXIT_NOEXEC);
}
