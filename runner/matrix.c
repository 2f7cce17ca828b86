/* matrix.c: vow matrix FILE [-j N] [--junit OUT] [--] COMMAND [ARG...]
 *
 * FILE (Lua) returns configurations, each a policy and an expectation
 * (policy-lib/matrix.lua says what they may hold).  Each configuration is
 * an ordinary sealed run of COMMAND: a child of this process runs vow's
 * own main with --no-default and the configuration's policy, its output
 * kept in memory files.  Up to N run at once.  policy-lib then judges each
 * run, prints the table and writes JUnit XML.  Exit status: 0 when every
 * expectation held, 1 when one did not, 125 when the matrix itself is
 * wrong. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "vow.h"

struct job {
	pid_t pid;
	int out, err; /* memory files */
	double timeout, start, seconds;
	int status;
	bool done;
};

static char *slurp_fd(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	if (len < 0)
		len = 0;
	if (len > (64 << 20))
		len = 64 << 20;
	char *buf = malloc(len + 1);
	if (!buf)
		die("out of memory");
	ssize_t n = pread(fd, buf, len, 0);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static _Noreturn void usage(void)
{
	die("usage: vow matrix FILE [-j N] [--junit OUT] [--] COMMAND [ARG...]");
}

/* One configuration, in the child: vow's own main, sealed as usual. */
static _Noreturn void run_one(struct job *j, const char *file, int index, char **command)
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(j->out, 1) < 0 || dup2(j->err, 2) < 0)
		_exit(125);
	/* the matrix's timeout first, so that a configuration's own replaces it */
	char chunk[PATH_MAX + 128];
	snprintf(chunk, sizeof chunk, "vow.limit{timeout = %g}; require(\"matrix\").apply([==[%s]==], %d)",
	         j->timeout, file, index);
	size_t n = 0;
	while (command[n])
		n++;
	char **args = calloc(n + 9, sizeof *args);
	if (!args)
		_exit(125);
	size_t a = 0;
	args[a++] = "vow";
	args[a++] = "--no-default";
	args[a++] = "-e";
	args[a++] = chunk;
	args[a++] = "--";
	for (size_t i = 0; i < n; i++)
		args[a++] = command[i];
	args[a] = NULL;
	optind = 0;
	vow_exit(vow_main((int)a, args));
}

int matrix_main(int argc, char **argv)
{
	const char *file = NULL, *junit = NULL;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int i = 0;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("usage: vow matrix FILE [-j N] [--junit OUT] [--] COMMAND [ARG...]\n"
			       "run COMMAND under each configuration FILE returns; print a table of\n"
			       "status, denials, expectation and verdict; exit 0 when all held\n");
			exit(0);
		} else if (!strncmp(a, "-j", 2)) {
			const char *v = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : "");
			char *end;
			jobs = strtol(v, &end, 10);
			if (!*v || *end || jobs < 1 || jobs > 256)
				die("matrix: -j needs a number of parallel runs from 1 to 256");
		} else if (!strcmp(a, "--junit") || !strncmp(a, "--junit=", 8)) {
			junit = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
			if (!junit || !*junit)
				die("matrix: --junit needs a file name");
		} else if (a[0] == '-' && !file) {
			die("matrix: unknown option %s (vow matrix FILE [-j N] [--junit OUT] [--] COMMAND)", a);
		} else if (!file) {
			file = a;
		} else {
			break;
		}
	}
	char **command = argv + i;
	if (!file || !*command)
		usage();
	char real[PATH_MAX];
	if (!realpath(file, real))
		pdie("matrix: %s", file);
	if (strstr(real, "]==]"))
		die("matrix: %s: an unusual file name; rename it", real);

	/* the configurations, checked, with the command as vow.argv */
	struct vow_policy p;
	policy_init(&p);
	struct stage *st = config_open(&p, command, environ);
	lua_State *L = config_lua(st);
	config_libfn(st, "matrix", "load");
	lua_pushstring(L, real);
	config_call(st, 1, 1);
	int list = lua_gettop(L);
	int n = (int)luaL_len(L, list);
	struct job *job = calloc(n, sizeof *job);
	if (!job)
		die("out of memory");
	for (int k = 0; k < n; k++) {
		lua_geti(L, list, k + 1);
		lua_getfield(L, -1, "timeout");
		job[k].timeout = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : 60;
		lua_pop(L, 2);
	}

	/* run them, JOBS at a time */
	int started = 0, running = 0, finished = 0;
	fflush(NULL);
	while (finished < n) {
		while (running < jobs && started < n) {
			struct job *j = &job[started];
			j->out = memfd_create("vow-matrix-out", MFD_CLOEXEC);
			j->err = memfd_create("vow-matrix-err", MFD_CLOEXEC);
			if (j->out < 0 || j->err < 0)
				pdie("matrix: memfd_create");
			j->start = vow_ms();
			j->pid = fork();
			if (j->pid < 0)
				pdie("matrix: fork");
			if (!j->pid)
				run_one(j, real, started + 1, command);
			started++;
			running++;
		}
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			pdie("matrix: waitpid");
		}
		for (int k = 0; k < started; k++)
			if (job[k].pid == pid && !job[k].done) {
				job[k].done = true;
				job[k].status = status;
				job[k].seconds = (vow_ms() - job[k].start) / 1000;
				running--;
				finished++;
			}
	}

	/* the verdicts, the table and the XML, from policy-lib */
	lua_createtable(L, n, 0);
	int results = lua_gettop(L);
	for (int k = 0; k < n; k++) {
		struct job *j = &job[k];
		lua_createtable(L, 0, 6);
		int code = status_code(j->status);
		lua_pushinteger(L, code);
		lua_setfield(L, -2, "status");
		if (code > 128 && code < 128 + 65) {
			lua_pushinteger(L, code - 128);
			lua_setfield(L, -2, "signal");
		}
		char *out = slurp_fd(j->out), *err = slurp_fd(j->err);
		lua_pushstring(L, out);
		lua_setfield(L, -2, "stdout");
		lua_pushstring(L, err);
		lua_setfield(L, -2, "stderr");
		lua_pushboolean(L, strstr(err, "vow: wall-clock limit") != NULL);
		lua_setfield(L, -2, "timed_out");
		lua_pushnumber(L, j->seconds);
		lua_setfield(L, -2, "seconds");
		free(out);
		free(err);
		close(j->out);
		close(j->err);
		lua_rawseti(L, results, k + 1);
	}
	config_libfn(st, "matrix", "report");
	lua_pushvalue(L, list);
	lua_pushvalue(L, results);
	config_call(st, 2, 2);
	fputs(lua_tostring(L, -2), stdout);
	int bad = (int)lua_tointeger(L, -1);
	lua_pop(L, 2);
	if (junit) {
		config_libfn(st, "matrix", "junit");
		lua_pushfstring(L, "vow matrix %s", file);
		lua_pushvalue(L, list);
		lua_pushvalue(L, results);
		config_call(st, 3, 1);
		FILE *f = fopen(junit, "we");
		if (!f || fputs(lua_tostring(L, -1), f) < 0 || fclose(f))
			pdie("matrix: cannot write %s", junit);
	}
	free(job);
	config_close(st);
	policy_free(&p);
	return bad ? 1 : 0;
}
