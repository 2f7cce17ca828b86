/* supervise.c: the processes around the payload.
 *
 *   vow (anchor) ── supervisor ── payload ── whatever it starts
 *
 * The anchor is the process the user's shell waits on.  It forwards
 * signals to the supervisor and returns its status.  The supervisor is a
 * child subreaper, so everything the payload starts stays below it; it
 * forwards signals to the payload, enforces the wall clock and the process
 * cap, and when the payload ends it kills whatever is left.  If the anchor
 * is killed (even by SIGKILL) the supervisor learns it through its parent-
 * death signal and kills the sandbox; if the supervisor is killed, its
 * orphans fall to the anchor, also a subreaper, which does the same.
 * Neither is dumpable, so the payload cannot ptrace or read them, and
 * Landlock scoping keeps it from signalling them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "promises.h"
#include "proctree.h"
#include "report.h"
#include "vow.h"

/* Signals passed on to the payload. */
static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
#define SIG_ANCHOR_DIED SIGRTMIN

/* A wait status as vow's exit status: the command's own, 128+N for
   signal N. */
int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return VOW_EXIT_FAIL;
}

/* ---- the process cap ----
 * Every new task in the sandbox is a clone, fork or vfork that the filter
 * sends here, so live + approved-since-last-count bounds the tasks alive
 * from above.  Only when that bound reaches the cap are tasks counted again
 * in /proc; a clone approved but not yet visible there is still counted
 * while its caller may be inside it (a thread makes one syscall at a time,
 * so its next clone, its death, or its being blocked elsewhere ends that). */
struct cap {
	long max, bound;
	pid_t *inflight; /* callers of approved clones that may not show yet */
	size_t ninflight;
	unsigned long refused;
};

static void inflight_drop(struct cap *c, size_t i)
{
	c->inflight[i] = c->inflight[--c->ninflight];
}

/* Is TID certainly done with its clone? Unknown counts as not done. */
static int clone_done(pid_t tid)
{
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/%d/syscall", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH; /* gone */
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	if (buf[0] < '0' || buf[0] > '9')
		return 0; /* "running", or not in a syscall */
	return !seccomp_is_fork(atoi(buf));
}

static void cap_recount(struct cap *c, pid_t root)
{
	for (size_t i = 0; i < c->ninflight;)
		if (clone_done(c->inflight[i]))
			inflight_drop(c, i);
		else
			i++;
	c->bound = proctree_count(root) + c->ninflight;
}

static int cap_allow(struct cap *c, pid_t caller, pid_t root)
{
	for (size_t i = 0; i < c->ninflight; i++)
		if (c->inflight[i] == caller)
			inflight_drop(c, i--);
	if (c->bound + 1 > c->max)
		cap_recount(c, root);
	if (c->bound + 1 > c->max)
		return 0;
	c->bound++;
	c->inflight = realloc(c->inflight, (c->ninflight + 1) * sizeof *c->inflight);
	if (!c->inflight)
		die("out of memory");
	c->inflight[c->ninflight++] = caller;
	return 1;
}

struct sup {
	struct seal *s;
	struct cap cap;
	pid_t self, payload;
	bool started; /* the payload's own execve went through */
};

/* vow learn's notes, in the supervisor */
static struct learn *learning;

static bool is_exec(const char *name)
{
	return !strcmp(name, "execve") || !strcmp(name, "execveat");
}

/* A notified call: the payload's own start, a clone to count, or a
   refusal to report.  The promise table decides which, as in the filter. */
static void answer(int listener, struct sup *sv)
{
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	if (seccomp_notify_alloc(&req, &resp))
		die("out of memory");
	/* the ioctl itself: libseccomp turns every failure into ECANCELED */
	memset(req, 0, sizeof *req);
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req)) {
		seccomp_notify_free(req, resp);
		if (errno == ENOENT || errno == EINTR)
			return; /* the caller died or was interrupted */
		/* unanswered, the payload would wait forever: end it */
		pdie("cannot read the payload's seccomp notifications");
	}
	if (learning) {
		learn_answer(learning, req, resp);
		seccomp_notify_respond(listener, resp);
		seccomp_notify_free(req, resp);
		return;
	}
	const struct filter_opts *o = &sv->s->filter;
	uint64_t args[6];
	for (int i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	char *name = report_syscall_name(req->data.nr);
	promises_t needs = REPORT_NEVER;
	bool allowed;
	if (!name)
		allowed = false;
	else if (o->has_promises) {
		needs = call_needs(name, args, o->promises);
		allowed = needs != REPORT_NEVER && !(needs & ~o->promises) &&
		          !(o->no_listen && is_listen(name));
	} else
		allowed = !seccomp_baseline_refuses(name, args);
	resp->id = req->id;
	resp->val = 0;
	resp->flags = 0;
	resp->error = -EPERM;
	if (!allowed && name && is_exec(name) && !sv->started && req->pid == (uint32_t)sv->payload) {
		/* the one execve the payload makes before it is itself: let it through */
		sv->started = true;
		allowed = true;
	}
	if (allowed && name && seccomp_is_fork(req->data.nr) && o->notify_forks) {
		if (!cap_allow(&sv->cap, req->pid, sv->self)) {
			allowed = false;
			resp->error = -EAGAIN;
			if (!sv->cap.refused++)
				notice("process limit reached (%ld processes and threads): "
				       "new ones are refused",
				       sv->cap.max);
		}
	} else if (!allowed) {
		struct vow_verdict *v = sv->s->fn ? sv->s->fn->verdict : NULL;
		if (v && !v->syscall[0])
			snprintf(v->syscall, sizeof v->syscall, "%s", name ? name : "?");
		if (o->violation != VOW_EPERM)
			report_denial(req->data.nr, args, req->pid, req->pid != (uint32_t)sv->payload, needs,
			              o->promises,
			              name && o->no_listen && is_listen(name)
			                  ? "the port rules allow no TCP bind, so no listening either"
			                  : NULL);
		if (o->violation == VOW_KILL) {
			seccomp_notify_free(req, resp);
			free(name);
			report_summary();
			proctree_kill(sv->self);
			vow_exit(128 + SIGSYS);
		}
	}
	if (allowed) {
		resp->error = 0;
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	}
	seccomp_notify_respond(listener, resp); /* ENOENT: the caller is gone */
	seccomp_notify_free(req, resp);
	free(name);
}

/* ---- the supervisor ---- */

__attribute__((no_sanitize_address)) static int seal_child(void *arg)
{
	seal_and_exec(arg);
}

static _Noreturn void finish(pid_t self, int code)
{
	report_summary();
	proctree_kill(self);
	/* vow learn: the policy, once nothing is left running */
	if (learning && learn_finish(learning) && !code)
		code = VOW_EXIT_FAIL;
	vow_exit(code);
}

/* vow_isolate: how the payload ended, for the caller */
static void verdict_end(const struct seal *s, int status)
{
	if (s->fn && s->fn->verdict) {
		s->fn->verdict->status = status;
		s->fn->verdict->ended = true;
	}
}

/* The payload failed before it became itself: say where. */
static int payload_failed(const struct seal *s, int status)
{
	if (s->fn && s->fn->verdict)
		s->fn->verdict->failed = true;
	if ((s->lua || s->fn) && seal_step_name(s->failed_step)[0] == 'e') /* after the seal */
		warnx("cannot give the script a descriptor table of its own: %s", strerror(s->err));
	else if (seal_step_name(s->failed_step)[0] == 'e') /* exec */
		warnx("cannot execute %s: %s", s->path, strerror(s->err));
	else
		warnx("sealing failed at step \"%s\": %s", seal_step_name(s->failed_step),
		      strerror(s->err));
	return status_code(status);
}

__attribute__((no_sanitize_address)) static int seal_fork_child(void *arg)
{
	seal_and_exec(arg);
}

static _Noreturn void supervisor(struct seal *s, pid_t anchor, sigset_t *sigs)
{
	pid_t self = getpid();
	/* The tty's signals reach the anchor only, which forwards them once. */
	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIG_ANCHOR_DIED) || getppid() != anchor)
		_exit(VOW_EXIT_FAIL);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || prctl(PR_SET_DUMPABLE, 0))
		pdie("cannot set up the supervisor");
	int sfd = signalfd(-1, sigs, SFD_CLOEXEC);
	if (sfd < 0)
		pdie("signalfd");
	int tfd = -1;
	if (s->policy->limit[VOW_TIMEOUT].set) {
		uint64_t ms = s->policy->limit[VOW_TIMEOUT].value;
		struct itimerspec it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000000}};
		tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
		if (tfd < 0 || timerfd_settime(tfd, 0, &it, NULL))
			pdie("cannot arm the wall-clock limit");
	}

	/* The payload shares descriptors with us until it execs, so its
	   listener lands in our table.  Without exec it cannot start alone (we
	   answer its execve), so it gets its own memory and reports through a
	   shared page; otherwise it borrows ours until exec, vfork-style. */
	size_t stacksize = 1 << 18;
	char *stack = mmap(NULL, stacksize, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		pdie("cannot map a stack for the payload");
	bool here = s->lua || s->fn; /* the payload runs vow's code, no program */
	bool borrow = !here && (!s->seccomp.notify || !s->filter.has_promises ||
	                          (s->filter.promises & (1u << P_EXEC)));
	struct seal *sh = s;
	if (!borrow) {
		sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (sh == MAP_FAILED)
			pdie("cannot map the payload's report page");
		*sh = *s;
	}
	pid_t payload;
	if (here) { /* it runs on this stack, in its own copy of memory */
		payload = syscall(SYS_clone, CLONE_FILES | SIGCHLD, NULL, NULL, NULL, 0);
		if (payload == 0)
			seal_and_run_here(sh);
	} else
		payload = borrow ? clone(seal_child, stack + stacksize,
		                         CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, s)
		                 : clone(seal_fork_child, stack + stacksize, CLONE_FILES | SIGCHLD, sh);
	if (payload < 0)
		pdie("cannot start the payload");
	munmap(stack, stacksize);
	/* our own copy: wait until its filter (and listener) are in place */
	while (!borrow && s->seccomp.notify && !__atomic_load_n(&sh->listener, __ATOMIC_ACQUIRE) &&
	       sh->failed_step < 0) {
		siginfo_t si = {0};
		if (!waitid(P_PID, payload, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid)
			break;
		struct timespec t = {0, 200000};
		syscall(SYS_futex, &sh->listener, FUTEX_WAIT, 0, &t, NULL, 0);
	}
	/* from here on the supervisor reads only its own memory: a payload of
	   vow's own code shares a page with it, which it could write once its
	   code is no longer vow's */
	s->listener = __atomic_load_n(&sh->listener, __ATOMIC_ACQUIRE);
	s->failed_step = sh->failed_step;
	s->err = sh->err;
	if (s->failed_step >= 0) {
		int status;
		waitpid(payload, &status, 0);
		finish(self, payload_failed(s, status));
	}

	/* the one execve of a payload's own start: none when it runs vow's code */
	struct sup sv = {.s = s, .self = self, .payload = payload, .started = here};
	if (s->learn) {
		learning = s->learn;
		learn_started(learning, payload);
	}
	sv.cap = (struct cap){.max = s->policy->limit[VOW_PROCS].value, .bound = 1};
	/* Wake this process on the notifying task's CPU at once (Linux 6.6):
	   the shorter a notified fork waits to be read, the less often a
	   signal arriving meanwhile fails it with EINTR. */
	if (s->listener > 0)
		ioctl(s->listener, SECCOMP_IOW(4, __u64), 1UL); /* NOTIF_SET_FLAGS, SYNC_WAKE_UP */
	struct pollfd pfd[3] = {{sfd, POLLIN, 0}, {tfd, POLLIN, 0}, {s->listener, POLLIN, 0}};
	if (s->listener <= 0)
		pfd[2].fd = -1;
	for (;;) {
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			pdie("poll");
		}
		if (pfd[2].revents & POLLIN)
			answer(s->listener, &sv);
		else if (pfd[2].revents & (POLLHUP | POLLERR | POLLNVAL))
			pfd[2].fd = -1; /* no task left under the filter: the rest is the payload's exit */
		if (pfd[1].revents & POLLIN) {
			char buf[32];
			notice("wall-clock limit of %s reached: killing the sandbox",
			       limit_format(VOW_TIMEOUT, s->policy->limit[VOW_TIMEOUT].value, buf,
			                    sizeof buf));
			if (s->fn && s->fn->verdict)
				s->fn->verdict->timed_out = true;
			kill(payload, SIGKILL);
			int status;
			waitpid(payload, &status, 0);
			verdict_end(s, status);
			finish(self, status_code(status));
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof si) != sizeof si)
			continue;
		if ((int)si.ssi_signo == SIG_ANCHOR_DIED)
			finish(self, VOW_EXIT_FAIL);
		if (si.ssi_signo != SIGCHLD) {
			kill(payload, si.ssi_signo);
			continue;
		}
		int status;
		pid_t pid;
		while ((pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0)
			if (pid == payload) {
				/* a step after the filter may have failed (vow lua's own
				   descriptor table): only these two words are read back */
				s->failed_step = sh->failed_step;
				s->err = sh->err;
				verdict_end(s, status);
				finish(self, s->failed_step >= 0 ? payload_failed(s, status)
				                                 : status_code(status));
			}
	}
}

/* ---- the anchor ---- */

int supervise(struct seal *s)
{
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIG_ANCHOR_DIED);
	for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
		sigaddset(&sigs, forwarded[i]);
	if (sigprocmask(SIG_BLOCK, &sigs, s->origmask))
		pdie("sigprocmask");
	/* A signal ignored by whoever started vow (sh does so for `cmd &`) is
	   dropped unseen; take it as default (it is blocked, so it waits to be
	   read) and let the payload inherit the ignoring again. */
	sigemptyset(&s->ignored);
	/* SIGCHLD ignored (or SA_NOCLDWAIT) would reap vow's children unseen
	   and leave it waiting forever: the default here, and the payload
	   gets the ignoring back */
	struct sigaction oldchld, dflchld = {.sa_handler = SIG_DFL};
	if (!sigaction(SIGCHLD, &dflchld, &oldchld) && oldchld.sa_handler == SIG_IGN)
		sigaddset(&s->ignored, SIGCHLD);
	for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++) {
		struct sigaction old, dfl = {.sa_handler = SIG_DFL};
		if (!sigaction(forwarded[i], NULL, &old) && old.sa_handler == SIG_IGN) {
			sigaddset(&s->ignored, forwarded[i]);
			sigaction(forwarded[i], &dfl, NULL);
		}
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || prctl(PR_SET_DUMPABLE, 0))
		pdie("cannot become the sandbox's reaper");
	pid_t anchor = getpid();
	pid_t sup = fork();
	if (sup < 0)
		pdie("fork");
	if (sup == 0)
		supervisor(s, anchor, &sigs);
	for (;;) {
		siginfo_t si;
		if (sigwaitinfo(&sigs, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			kill(sup, si.si_signo);
			continue;
		}
		int status;
		pid_t pid;
		while ((pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0)
			if (pid == sup) {
				/* the supervisor's orphans, if it was killed, are ours */
				proctree_kill(anchor);
				return status_code(status);
			}
	}
}
