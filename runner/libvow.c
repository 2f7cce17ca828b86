/* libvow.c: vow_pledge and vow_unveil, the calls of include/vow.h, for a
 * program that seals itself.  They use the mechanisms the vow command
 * uses (the promise table, seccomp.c's rules and bpf.c's program,
 * policy.c's path rules, landlock.c), in the calling process: there is
 * no supervisor, so a refused call kills the process, as on OpenBSD.
 * Errors come back as -1 and errno, never as an exit. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proctree.h"
#include "promises.h"
#include "vow.h"
#include "../include/vow.h"

#define FILE_SETS ((1u << P_GETPW) | (1u << P_PS) | (1u << P_TMPPATH) | (1u << P_VMINFO))

static bool pledged;        /* a filter is in place */
static promises_t promised; /* what it allows */

static int fail(int err)
{
	errno = err;
	return -1;
}

/* Is more than one thread running in this process?  (cannot tell: as if so) */
static bool threaded(void)
{
	return proc_status("/proc/self/status", "Threads") != 1;
}

int vow_pledge(const char *promises, const char *execpromises)
{
	if (execpromises)
		return fail(EINVAL); /* a filter outlives exec: see vow.h */
	if (!promises)
		return 0;
	promises_t set;
	if (promises_parse(promises, &set))
		return fail(EINVAL);
	if (set & FILE_SETS)
		return fail(ENOTSUP);
	if (pledged && (set & ~promised))
		return fail(EPERM);
	struct filter_opts o = {.has_promises = true, .promises = set, .violation = VOW_KILL,
	                        .in_process = true};
	struct seccomp_plan plan = {0};
	if (seccomp_prepare(&o, &plan))
		return fail(ENOMEM);
	/* every thread, those to come too; no_new_privs first, as the kernel
	   asks of a process without CAP_SYS_ADMIN */
	long r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (!r)
		r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, plan.prog);
	int err = errno;
	free(plan.prog);
	if (r) /* TSYNC: a positive result names a thread that could not follow */
		return fail(r > 0 ? EBUSY : err);
	pledged = true;
	promised = set;
	return 0;
}

static struct vow_policy rules;
static bool rules_open, locked;

int vow_unveil(const char *path, const char *permissions)
{
	if (locked)
		return fail(EPERM);
	if (!rules_open) {
		policy_init(&rules);
		rules_open = true;
	}
	if (path || permissions) {
		if (!path || !permissions)
			return fail(EINVAL);
		const char *home = getenv("HOME");
		if (policy_unveil(&rules, path, permissions, false, home ? home : "/", "vow_unveil"))
			return -1; /* errno: EINVAL, or the path's own */
		return 0;
	}
	/* vow_unveil(NULL, NULL): apply them */
	if (threaded())
		return fail(EBUSY);
	struct landlock_plan plan;
	if (landlock_prepare(&rules, &plan))
		return fail(landlock_abi() > 0 ? EINVAL : ENOSYS);
	int r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (!r)
		r = landlock_apply(&plan);
	int err = errno;
	if (plan.ruleset >= 0)
		close(plan.ruleset);
	if (r)
		return fail(err);
	locked = true;
	policy_free(&rules);
	return 0;
}
