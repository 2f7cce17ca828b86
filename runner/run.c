/* run.c: a policy made ready for what it will seal: the environment, the
 * program, tmppath's private directory and the rules the promises imply.
 * The vow command and libvow's vow_spawn and vow_isolate share it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "promises.h"
#include "vow.h"

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

/* tmppath's private directory, and whatever the payload left in it */
static char tmpdir[PATH_MAX];

static void remove_tmpdir(void)
{
	if (*tmpdir)
		nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* vow's own descriptors 0-2 exist, so nothing it opens lands on them and
   the payload finds its standard streams (on /dev/null if they were shut). */
void stdio_ensure(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			pdie("cannot open /dev/null");
}

/* Resolve PROGRAM (NULL: a script or function runs, no program) in the
   environment P gives INHERITED; finish P's rules.  Returns 0, or vow's
   exit status after saying why (125; 126 or 127 for the program).  On
   success *ENVP and *PATH are the caller's to free. */
int run_resolve(struct vow_policy *p, const char *program, char **inherited, char ***envp,
                char **path)
{
	*envp = env_resolve(p, inherited);
	*path = NULL;
	if (program) {
		const char *pathvar = NULL;
		for (char **e = *envp; *e; e++)
			if (!strncmp(*e, "PATH=", 5))
				pathvar = *e + 5;
		int code = exec_resolve(program, pathvar, path);
		if (code) {
			free(*envp);
			*envp = NULL;
			return code;
		}
	}
	/* tmppath: a private directory for this run, TMPDIR for the payload,
	   removed at exit (by whichever of vow's processes ends last) */
	if (p->has_promises && (p->promises & (1u << P_TMPPATH)) && (p->npaths || p->restricts_paths)) {
		const char *base = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/vow.XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(tmpdir))
			pdie("cannot make the private temporary directory %s", tmpdir);
		vow_cleanup = remove_tmpdir;
		policy_env(p, VOW_ENV_SET, "TMPDIR", tmpdir, "promise tmppath");
		free(*envp);
		*envp = env_resolve(p, inherited);
	}
	const char *err = policy_finish(p, *tmpdir ? tmpdir : NULL);
	if (!err)
		err = trust_guard(p);
	if (err) {
		warnx("%s", err);
		free(*envp);
		free(*path);
		*envp = NULL;
		*path = NULL;
		return VOW_EXIT_FAIL;
	}
	return 0;
}

/* vow show: the policy as it would seal PROGRAM (NULL: none named), on
   standard output.  Returns NULL, or why it cannot. */
const char *run_show(struct stage *st, struct vow_policy *p, const char *program, bool lua)
{
	struct seccomp_plan plan = {0};
	struct filter_opts o;
	uint32_t implied;
	char *path = NULL;
	if (program && exec_resolve_quiet(program, getenv("PATH"), &path))
		path = NULL;
	seal_filter_opts(p, path, &o, &implied);
	free(path);
	const char *err = seccomp_prepare(&o, &plan);
	if (err)
		return err;
	config_show(st, lua, seccomp_size(&plan), implied);
	free(plan.prog);
	return NULL;
}
