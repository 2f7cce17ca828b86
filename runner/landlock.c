/* landlock.c: Landlock, through its three syscalls.  For now it scopes the
   payload (ABI 6): no signals to processes outside the sandbox, vow's own
   supervisor included, and no connecting to abstract unix sockets made
   outside it.  Path rules and TCP ports build on the same ruleset. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vow.h"

#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

/* The ruleset attribute as ABI 6 knows it; older headers stop at fs. */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* What each ABI adds, for errors that name the ABI a right needs. */
static const struct {
	int abi;
	uint64_t scoped;
	const char *kernel;
} features[] = {
	{6, LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET, "6.12"},
};

/* The Landlock ABI of the running kernel, or -errno. */
int landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v < 0 ? -errno : (int)v;
}

static const char *hint(int err)
{
	switch (err) {
	case ENOSYS: return "this kernel was built without Landlock";
	case EOPNOTSUPP: return "Landlock is built in but disabled at boot (add landlock to lsm=)";
	default: return strerror(err);
	}
}

const char *landlock_prepare(const struct vow_policy *p, struct landlock_plan *plan)
{
	static char msg[300];
	uint64_t want = LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	plan->abi = landlock_abi();
	plan->scoped = 0;
	for (size_t i = 0; i < sizeof features / sizeof *features; i++)
		if (plan->abi >= features[i].abi)
			plan->scoped |= features[i].scoped & want;
	if (plan->scoped == want)
		return NULL;
	for (size_t i = 0; i < sizeof features / sizeof *features; i++)
		if (want & ~plan->scoped & features[i].scoped) {
			char have[80];
			if (plan->abi < 0)
				snprintf(have, sizeof have, "no Landlock: %s", hint(-plan->abi));
			else
				snprintf(have, sizeof have, "this kernel has ABI %d", plan->abi);
			snprintf(msg, sizeof msg,
			         "keeping the payload from signalling processes outside the sandbox needs "
			         "Landlock ABI %d (Linux %s); %s",
			         features[i].abi, features[i].kernel, have);
			break;
		}
	if (p->best_effort) {
		warnx("%s; running without it (--best-effort)", msg);
		return NULL;
	}
	return msg;
}

/* Step, in the payload process: one Landlock layer, never stacked needlessly. */
int landlock_apply(const struct landlock_plan *plan)
{
	if (!plan->scoped)
		return 0;
	struct ruleset_attr attr = {0, 0, plan->scoped};
	int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (fd < 0)
		return -1;
	int r = syscall(SYS_landlock_restrict_self, fd, 0);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}
