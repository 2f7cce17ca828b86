/* landlock.c: Landlock, through its three syscalls.
 *
 * One layer holds everything: the path rules (unveil letters turned into
 * access rights), TCP ports (ABI 4: with any port rule, connect and bind
 * to every other port are refused) and the scoping (ABI 6): no signals to processes outside
 * the sandbox, vow's own supervisor included, and no connecting to abstract
 * unix sockets made outside it.  With no path rule the file system is not
 * restricted (OpenBSD: no unveil, whole tree visible); with any, everything
 * not named is refused, for uid 0 too.
 *
 * Letters and rights, on a directory (what is beneath it) / on a file:
 *   r  READ_FILE READ_DIR                        / READ_FILE
 *   w  WRITE_FILE TRUNCATE IOCTL_DEV             / the same
 *   x  EXECUTE                                   / EXECUTE
 *   c  MAKE_REG MAKE_DIR MAKE_SYM MAKE_FIFO MAKE_SOCK REMOVE_FILE REMOVE_DIR
 *      REFER (rename and link into, out of, within)  / nothing
 *   l  READ_DIR (list, read no file)               / nothing
 * Device nodes (MAKE_CHAR, MAKE_BLOCK) are never granted.  REFER keeps a
 * rename or link from moving a file where it would gain rights: out of an
 * r tree into an rwc one needs c on both. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vow.h"

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#define LANDLOCK_RULE_NET_PORT 2
struct landlock_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};
#endif
#define NET_TCP (LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP)
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

#define FS(x) LANDLOCK_ACCESS_FS_##x

/* The ruleset attribute as ABI 6 knows it; older headers stop at fs. */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* What each ABI adds, for errors that name the ABI a right needs. */
static const struct {
	int abi;
	uint64_t fs, scoped, net;
	const char *kernel, *what;
} features[] = {
	{1, FS(EXECUTE) | FS(WRITE_FILE) | FS(READ_FILE) | FS(READ_DIR) | FS(REMOVE_DIR) |
	        FS(REMOVE_FILE) | FS(MAKE_CHAR) | FS(MAKE_DIR) | FS(MAKE_REG) | FS(MAKE_SOCK) |
	        FS(MAKE_FIFO) | FS(MAKE_BLOCK) | FS(MAKE_SYM),
	 0, 0, "5.13", "enforcing path rules"},
	{2, FS(REFER), 0, 0, "5.19", "renaming and linking between rules"},
	{3, FS(TRUNCATE), 0, 0, "6.2", "refusing truncate outside w rules"},
	{4, 0, 0, NET_TCP, "6.7", "TCP port rules"},
	{5, FS(IOCTL_DEV), 0, 0, "6.10", "refusing device ioctls outside w rules"},
	{6, 0, LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET, 0, "6.12",
	 "keeping the payload from signalling processes outside the sandbox"},
};
#define NFEATURES (sizeof features / sizeof *features)

/* letter -> rights on a directory; a file keeps only FILE_RIGHTS of them */
static const uint64_t letter_rights[5] = {
	FS(READ_FILE) | FS(READ_DIR),
	FS(WRITE_FILE) | FS(TRUNCATE) | FS(IOCTL_DEV),
	FS(EXECUTE),
	FS(MAKE_REG) | FS(MAKE_DIR) | FS(MAKE_SYM) | FS(MAKE_FIFO) | FS(MAKE_SOCK) | FS(REMOVE_FILE) |
	    FS(REMOVE_DIR) | FS(REFER),
	FS(READ_DIR),
};
#define FILE_RIGHTS (FS(READ_FILE) | FS(WRITE_FILE) | FS(EXECUTE) | FS(TRUNCATE) | FS(IOCTL_DEV))

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

/* The rights of PERMS on a directory or a file. */
static uint64_t rights(unsigned perms, bool dir)
{
	uint64_t r = 0;
	for (int i = 0; i < 5; i++)
		if (perms & (1u << i))
			r |= letter_rights[i];
	return dir ? r : r & FILE_RIGHTS;
}

/* WANT minus what the kernel has: an error naming the first missing
   feature, or a warning under --best-effort. */
static const char *missing(const struct vow_policy *p, int abi, uint64_t want_fs,
                           uint64_t want_scoped, uint64_t want_net, uint64_t *have_fs,
                           uint64_t *have_scoped, uint64_t *have_net)
{
	static char msg[600];
	*have_fs = *have_scoped = *have_net = 0;
	for (size_t i = 0; i < NFEATURES; i++)
		if (abi >= features[i].abi) {
			*have_fs |= features[i].fs;
			*have_scoped |= features[i].scoped;
			*have_net |= features[i].net;
		}
	*have_fs &= want_fs;
	*have_scoped &= want_scoped;
	*have_net &= want_net;
	/* one message naming every feature the kernel lacks */
	char list[400] = "";
	int n = 0, first = -1;
	for (size_t i = 0; i < NFEATURES; i++)
		if ((want_fs & ~*have_fs & features[i].fs) ||
		    (want_scoped & ~*have_scoped & features[i].scoped) ||
		    (want_net & ~*have_net & features[i].net)) {
			n += snprintf(list + n, sizeof list - n > 0 ? sizeof list - n : 0, "%s%s",
			              n ? ", " : "", features[i].what);
			if (first < 0)
				first = i;
		}
	if (first < 0)
		return NULL;
	char have[80];
	if (abi < 0)
		snprintf(have, sizeof have, "no Landlock: %s", hint(-abi));
	else
		snprintf(have, sizeof have, "this kernel has ABI %d", abi);
	size_t last = NFEATURES - 1;
	while (!((want_fs & ~*have_fs & features[last].fs) ||
	         (want_scoped & ~*have_scoped & features[last].scoped) ||
	         (want_net & ~*have_net & features[last].net)))
		last--;
	snprintf(msg, sizeof msg, "%s need%s Landlock ABI %d (Linux %s); %s", list,
	         first == (int)last ? "s" : "", features[last].abi, features[last].kernel, have);
	if (!p->best_effort)
		return msg;
	warnx("%s; running without %s (--best-effort)", msg, first == (int)last ? "it" : "them");
	return NULL;
}

/* With any port rule both kinds are handled, except a kind given "any". */
static uint64_t net_wanted(const struct vow_policy *p)
{
	uint64_t want = p->nports ? NET_TCP : 0;
	for (size_t i = 0; i < p->nports; i++)
		if (!p->ports[i].port)
			want &= ~(p->ports[i].bind ? LANDLOCK_ACCESS_NET_BIND_TCP
			                           : LANDLOCK_ACCESS_NET_CONNECT_TCP);
	return want;
}

const char *landlock_prepare(const struct vow_policy *p, struct landlock_plan *plan)
{
	static char msg[PATH_MAX + 100];
	uint64_t want_fs = 0;
	for (size_t i = 0; i < NFEATURES; i++)
		want_fs |= features[i].fs;
	if (!p->npaths && !p->restricts_paths)
		want_fs = 0;
	/* device nodes are never made, but the right must be handled to refuse it */
	plan->abi = landlock_abi();
	const char *err = missing(p, plan->abi, want_fs,
	                          LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
	                          net_wanted(p), &plan->handled_fs, &plan->scoped,
	                          &plan->handled_net);
	if (err)
		return err;
	plan->ruleset = -1;
	plan->policy = p;
	if (!plan->scoped && !plan->handled_fs && !plan->handled_net)
		return NULL;
	/* The whole ruleset is built here, before fork: the payload only
	   restricts itself with it, so no descriptor is needed after its
	   open-file limit is set. */
	struct ruleset_attr attr = {plan->handled_fs, plan->handled_net, plan->scoped};
	size_t size = plan->scoped ? sizeof attr
	              : plan->handled_net ? 2 * sizeof(uint64_t) : sizeof attr.handled_access_fs;
	int rs = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (rs < 0) {
		snprintf(msg, sizeof msg, "cannot make the Landlock ruleset: %s", strerror(errno));
		return msg;
	}
	for (size_t i = 0; plan->handled_fs && i < p->npaths; i++) {
		const struct vow_path *vp = &p->paths[i];
		struct landlock_path_beneath_attr pb = {rights(vp->perms, vp->dir) & plan->handled_fs, -1};
		if (!pb.allowed_access)
			continue; /* l on a file: nothing a file has */
		pb.parent_fd = open(vp->path, O_PATH | O_CLOEXEC);
		int e = errno;
		if (pb.parent_fd < 0 ||
		    (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) && (e = errno))) {
			snprintf(msg, sizeof msg, "%s: %s", vp->path, strerror(e));
			if (pb.parent_fd >= 0)
				close(pb.parent_fd);
			close(rs);
			return msg;
		}
		close(pb.parent_fd);
	}
	/* TCP ports: connect and bind, each to the ports named for it */
	for (size_t i = 0; plan->handled_net && i < p->nports; i++) {
		const struct vow_port *vp = &p->ports[i];
		struct landlock_net_port_attr np = {
			vp->bind ? LANDLOCK_ACCESS_NET_BIND_TCP : LANDLOCK_ACCESS_NET_CONNECT_TCP, vp->port};
		if (!(np.allowed_access & plan->handled_net))
			continue; /* "any" */
		if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_NET_PORT, &np, 0)) {
			snprintf(msg, sizeof msg, "TCP port %u: %s", vp->port, strerror(errno));
			close(rs);
			return msg;
		}
	}
	plan->ruleset = rs;
	return NULL;
}

/* Step, in the payload process: one Landlock layer, never stacked needlessly. */
int landlock_apply(const struct landlock_plan *plan)
{
	if (plan->ruleset < 0)
		return 0;
	int r = syscall(SYS_landlock_restrict_self, plan->ruleset, 0);
	int e = errno;
	close(plan->ruleset);
	errno = e;
	return r;
}
