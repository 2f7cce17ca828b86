/* libvow.c: the calls of include/vow.h.  They are the vow command's own
 * mechanisms (the policy model and its setters, the config stage, the
 * sealing steps, the supervisor), reached without a command line:
 *
 *   vow_pledge, vow_unveil, vow_seal   seal the calling process; no
 *                                      supervisor, so a refusal kills
 *   vow_policy_load, vow_policy_show   the Lua config stage, in a child
 *   vow_spawn, vow_isolate             a child becomes vow's anchor and
 *                                      runs the supervisor, as `vow run`
 *
 * Errors come back as -1 and errno, with a sentence for vow_error();
 * never as an exit.  A child of libvow's ends with _exit (vow_library),
 * so the caller's atexit handlers and stdio buffers are left alone. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "proctree.h"
#include "promises.h"
#include "vow.h"
#include "../include/vow.h"

extern char **environ;

#define FILE_SETS ((1u << P_GETPW) | (1u << P_PS) | (1u << P_TMPPATH) | (1u << P_VMINFO))

static __thread char error_text[VOW_SAID_MAX];

const char *vow_error(void)
{
	return error_text;
}

static int fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(error_text, sizeof error_text, fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}

/* Is more than one thread running in this process?  (cannot tell: as if so) */
static bool threaded(void)
{
	return proc_status("/proc/self/status", "Threads") != 1;
}

/* ---- vow_pledge, vow_execve ---- */

static bool pledged;        /* a filter of libvow's with promises is in place */
static promises_t promised; /* what it allows */
static bool exec_limited;   /* execpromises hold for programs started */
static promises_t execpromised;
static uint64_t exec_cookie; /* vow_execve's key through the filter */

static int parse(const char *text, const char *what, promises_t *set)
{
	const char *err = promises_parse(text, set);
	if (err)
		return fail(EINVAL, "%s: %s", what, err);
	if (*set & FILE_SETS)
		return fail(ENOTSUP, "%s: getpw, ps, tmppath and vminfo are sets of files, which only "
		                     "path rules can give: use a policy with vow_seal",
		            what);
	return 0;
}

/* Load the filter O describes, in every thread; no_new_privs first, as
   the kernel asks of a process without CAP_SYS_ADMIN. */
static int load_filter(const struct filter_opts *o)
{
	struct seccomp_plan plan = {0};
	const char *err = seccomp_prepare(o, &plan);
	if (err)
		return fail(ENOMEM, "%s", err);
	int r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (!r)
		r = seccomp_apply(&plan);
	int e = errno;
	free(plan.prog);
	if (r < 0)
		return fail(e, "cannot load the seccomp filter: %s", strerror(e));
	return 0;
}

int vow_pledge(const char *promises, const char *execpromises)
{
	promises_t set = promised, eset = 0;
	bool has = pledged;
	if (promises) {
		if (parse(promises, "promises", &set))
			return -1;
		if (pledged && (set & ~promised))
			return fail(EPERM, "a pledge may only narrow the promises held");
		has = true;
	}
	if (execpromises) {
		if (parse(execpromises, "execpromises", &eset))
			return -1;
		if (eset & (1u << P_EXEC))
			return fail(ENOTSUP, "execpromises: exec cannot be given on: vow keeps execve to "
			                     "vow_execve, which the executed program does not have");
		if (has && (eset & ~set))
			return fail(EINVAL, "execpromises must be among the promises: the caller's filter "
			                    "stays on the executed program too");
		if (exec_limited && (eset & ~execpromised))
			return fail(EPERM, "a pledge may only narrow the execpromises held");
	}
	if (!promises && !execpromises)
		return 0;
	while (execpromises && !exec_cookie)
		if (getrandom(&exec_cookie, sizeof exec_cookie, 0) != sizeof exec_cookie)
			return fail(errno, "getrandom: %s", strerror(errno));
	/* exec brings what a dynamically linked program's loader does: map
	   its libraries executable (they are opened under rpath) */
	promises_t loader = set & (1u << P_EXEC) ? 1u << P_LOADER : 0;
	struct filter_opts o = {.has_promises = has, .promises = set | loader, .violation = VOW_KILL,
	                        .in_process = true,
	                        .exec_cookie = exec_limited || execpromises ? exec_cookie : 0};
	if (load_filter(&o))
		return -1;
	pledged = has;
	promised = set;
	if (execpromises) {
		exec_limited = true;
		execpromised = eset;
	}
	return 0;
}

int vow_execve(const char *path, char *const argv[], char *const envp[])
{
	if (!path || !argv)
		return fail(EINVAL, "vow_execve: no program (NULL)");
	if (!exec_limited) {
		execve(path, argv, envp);
		return fail(errno, "%s: %s", path, strerror(errno));
	}
	if (pledged && !(promised & (1u << P_EXEC)))
		return fail(EPERM, "the promises held do not include exec");
	/* fail early where it can be seen: once their filter is on, a failed
	   exec leaves this process under the execpromises too */
	if (access(path, X_OK))
		return fail(errno, "%s: %s", path, strerror(errno));
	promises_t e = execpromised | (1u << P_EXEC);
	if (exec_is_dynamic(path)) /* its loader reads and maps its libraries */
		e |= (1u << P_LOADER) | (1u << P_RPATH);
	struct filter_opts o = {.has_promises = true, .promises = e, .violation = VOW_KILL,
	                        .in_process = true};
	if (load_filter(&o))
		return -1;
	syscall(SYS_execve, path, argv, envp, exec_cookie);
	return fail(errno, "%s: %s (this process now holds the execpromises too)", path, strerror(errno));
}

/* ---- vow_unveil ---- */

static struct vow_policy rules;
static bool rules_open, locked;

int vow_unveil(const char *path, const char *permissions)
{
	if (locked)
		return fail(EPERM, "the rules are locked: vow_unveil(NULL, NULL) was called");
	if (!rules_open) {
		policy_init(&rules);
		rules_open = true;
	}
	if (path || permissions) {
		if (!path || !permissions)
			return fail(EINVAL, "a path and its permissions, or NULL and NULL to lock");
		const char *err = policy_unveil(&rules, path, permissions, false,
		                                policy_home(&rules, environ), "vow_unveil");
		return err ? fail(errno, "%s", err) : 0;
	}
	/* vow_unveil(NULL, NULL): apply them */
	if (threaded())
		return fail(EBUSY, "Landlock cannot restrict threads that already run: unveil before "
		                   "creating threads");
	struct landlock_plan plan;
	const char *err = landlock_prepare(&rules, &plan);
	if (err)
		return fail(landlock_abi() > 0 ? EINVAL : ENOSYS, "%s", err);
	int r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (!r)
		r = landlock_apply(&plan);
	int e = errno;
	if (plan.ruleset >= 0)
		close(plan.ruleset);
	if (r)
		return fail(e, "cannot apply the path rules: %s", strerror(e));
	locked = true;
	policy_free(&rules);
	return 0;
}

/* ---- policies ---- */

#define CHECK(p)                                                                   \
	do {                                                                       \
		if (!(p))                                                          \
			return fail(EINVAL, "%s: no policy (NULL)", __func__);     \
	} while (0)

vow_policy *vow_policy_new(void)
{
	struct vow_policy *p = malloc(sizeof *p);
	if (!p) {
		fail(ENOMEM, "out of memory");
		return NULL;
	}
	policy_init(p);
	return p;
}

void vow_policy_free(vow_policy *p)
{
	if (!p)
		return;
	policy_free(p);
	free(p);
}

static int setter(const char *err, int e)
{
	return err ? fail(e, "%s", err) : 0;
}

int vow_policy_promise(vow_policy *p, const char *promises)
{
	CHECK(p && promises);
	return setter(policy_promise(p, promises, "vow_policy_promise"), EINVAL);
}

int vow_policy_unveil(vow_policy *p, const char *path, const char *permissions)
{
	CHECK(p && path && permissions);
	const char *err =
		policy_unveil(p, path, permissions, false, policy_home(p, environ), "vow_policy_unveil");
	return setter(err, errno);
}

static int port(vow_policy *p, bool bind, const char *text)
{
	CHECK(p && text);
	long long n;
	const char *err = port_parse(text, &n);
	if (!err)
		err = policy_port(p, bind, n, bind ? "vow_policy_bind" : "vow_policy_connect");
	return setter(err, EINVAL);
}

int vow_policy_connect(vow_policy *p, const char *text)
{
	return port(p, false, text);
}

int vow_policy_bind(vow_policy *p, const char *text)
{
	return port(p, true, text);
}

int vow_policy_limit(vow_policy *p, const char *name, const char *value)
{
	CHECK(p && name && value);
	int l = limit_lookup(name);
	if (l < 0)
		return fail(EINVAL, "unknown limit \"%s\" (memory, procs, nofile, fsize, cpu, timeout)", name);
	uint64_t v;
	const char *err = limit_parse(l, value, &v);
	if (err)
		return fail(EINVAL, "%s: %s", name, err);
	policy_limit(p, l, v, "vow_policy_limit");
	return 0;
}

int vow_policy_keep_cap(vow_policy *p, const char *capability)
{
	CHECK(p && capability);
	int cap = caps_lookup(capability);
	if (cap < 0)
		return fail(EINVAL, "unknown capability \"%s\"", capability);
	policy_keep_cap(p, cap, "vow_policy_keep_cap");
	return 0;
}

int vow_policy_violation(vow_policy *p, const char *mode)
{
	CHECK(p && mode);
	return setter(policy_violation(p, mode, "vow_policy_violation"), EINVAL);
}

/* A copy of P to finish and seal, leaving the caller's as it was. */
static int policy_copy(const struct vow_policy *p, struct vow_policy *to)
{
	size_t len;
	char *buf = policy_pack(p, &len);
	int r = policy_unpack(to, buf, len);
	free(buf);
	return r;
}

/* ---- children ---- */

static void *shared(size_t size)
{
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return m == MAP_FAILED ? NULL : m;
}

/* In a child of libvow's: vow's ways of ending and speaking, and none of
   the caller's buffered output, which is the caller's to write. */
static void child_begin(char *said)
{
	vow_library = true;
	vow_said = said;
	*said = 0;
	__fpurge(stdout);
	__fpurge(stderr);
}

/* Can this process see its children end?  Not with SIGCHLD ignored or
   SA_NOCLDWAIT: the kernel reaps them unseen. */
static int children_seen(void)
{
	struct sigaction sa;
	if (!sigaction(SIGCHLD, NULL, &sa) && (sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_NOCLDWAIT)))
		return fail(ECHILD, "SIGCHLD is ignored here (or SA_NOCLDWAIT is set), so the kernel "
		                    "reaps children unseen: give it SIG_DFL or a handler");
	return 0;
}

static int wait_child(pid_t pid, int *status, struct rusage *ru)
{
	pid_t r;
	while ((r = wait4(pid, status, 0, ru)) < 0 && errno == EINTR) {
	}
	return r == pid ? 0 : -1;
}

static bool read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 0;
	*buf = NULL;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			char *more = realloc(*buf, cap = cap * 2 + 4096);
			if (!more)
				return false;
			*buf = more;
		}
		ssize_t n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		if (n == 0)
			return true;
		*len += n;
	}
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= n;
	}
	return true;
}

/* The config stage (Lua) runs in a child: its errors end the child, its
   CPU budget is the child's timer, and its memory goes with it.  The
   child writes back what it made (LOAD: the policy, packed) or printed
   (vow show), which lands in *OUT. */
static int stage_child(struct vow_policy *p, const char *file, char *const argv[], int lua,
                       char **out, size_t *outlen)
{
	if (children_seen())
		return -1;
	char *said = shared(VOW_SAID_MAX);
	int fds[2];
	if (!said)
		return fail(ENOMEM, "out of memory");
	if (pipe2(fds, O_CLOEXEC)) {
		int e = errno;
		munmap(said, VOW_SAID_MAX);
		return fail(e, "pipe: %s", strerror(e));
	}
	pid_t pid = fork();
	if (pid == 0) {
		child_begin(said);
		vow_silent = true; /* what it says comes back in vow_error() */
		close(fds[0]);
		char *none[] = {NULL};
		struct stage *st = config_open(p, argv ? (char **)argv : none, environ);
		if (file) {
			struct chunk c = {false, file};
			config_run(st, NULL, &c, 1);
			size_t len;
			char *buf = policy_pack(p, &len);
			vow_exit(write_all(fds[1], buf, len) ? 0 : VOW_EXIT_FAIL);
		}
		const char *err = policy_finish(p, NULL);
		if (!err)
			err = trust_guard(p);
		if (!err && dup2(fds[1], STDOUT_FILENO) < 0)
			err = "cannot give vow show its output";
		if (!err)
			err = run_show(st, p, argv ? argv[0] : NULL, lua);
		if (err)
			die("%s", err);
		vow_exit(fflush(stdout) ? VOW_EXIT_FAIL : 0);
	}
	int e = errno;
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		munmap(said, VOW_SAID_MAX);
		return fail(e, "fork: %s", strerror(e));
	}
	bool got = read_all(fds[0], out, outlen);
	close(fds[0]);
	int status;
	int r = 0;
	if (wait_child(pid, &status, NULL))
		r = fail(ECHILD, "the policy's process was reaped by someone else");
	else if (!WIFEXITED(status) || WEXITSTATUS(status) || !got)
		r = fail(EINVAL, "%s", *said ? said : "the policy's process failed");
	if (r) {
		free(*out);
		*out = NULL;
	}
	munmap(said, VOW_SAID_MAX);
	return r;
}

int vow_policy_load(vow_policy *p, const char *file, char *const argv[])
{
	CHECK(p && file);
	struct stat st;
	if (!config_builtin_name(file) && stat(file, &st))
		return fail(errno, "cannot read policy %s: %s", file, strerror(errno));
	char *buf;
	size_t len;
	if (stage_child(p, file, argv, 0, &buf, &len))
		return -1;
	struct vow_policy loaded;
	int r = policy_unpack(&loaded, buf, len);
	free(buf);
	if (r)
		return fail(EINVAL, "the policy's process sent back no policy");
	policy_free(p);
	*p = loaded;
	return 0;
}

char *vow_policy_show(vow_policy *p, int lua)
{
	if (!p) {
		fail(EINVAL, "vow_policy_show: no policy (NULL)");
		return NULL;
	}
	char *buf;
	size_t len;
	if (stage_child(p, NULL, NULL, lua, &buf, &len))
		return NULL;
	char *text = realloc(buf, len + 1);
	if (!text) {
		free(buf);
		fail(ENOMEM, "out of memory");
		return NULL;
	}
	text[len] = 0;
	return text;
}

/* ---- vow_seal ---- */

/* Does this process hold a capability (in any thread's permitted set,
   as far as the calling thread's tells)? */
static bool holds_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {0};
	if (syscall(SYS_capget, &h, d))
		return true;
	return d[0].permitted || d[1].permitted;
}

/* ENV with strings of its own (the policy's go with it); NULL entries of
   a failed copy are left out. */
static char **env_copy(char **env)
{
	size_t n = 0;
	while (env[n])
		n++;
	char **copy = calloc(n + 1, sizeof *copy);
	for (size_t i = 0, j = 0; copy && i < n; i++)
		if ((copy[j] = strdup(env[i])))
			j++;
	free(env);
	return copy ? copy : environ;
}

/* What only the supervisor can enforce, for a process sealing itself. */
static int in_process_only(const struct vow_policy *p)
{
	if (p->limit[VOW_TIMEOUT].set || p->limit[VOW_PROCS].set)
		return fail(ENOTSUP, "the %s limit needs vow's supervisor: use vow_spawn or vow_isolate",
		            p->limit[VOW_TIMEOUT].set ? "timeout" : "procs");
	if (p->violation_set && p->violation == VOW_REPORT)
		return fail(ENOTSUP, "violation \"report\" needs vow's supervisor: use \"kill\" or \"eperm\", "
		                     "or vow_spawn or vow_isolate");
	if (p->has_promises && (p->promises & (1u << P_TMPPATH)))
		return fail(ENOTSUP, "promise tmppath makes a private directory that vow removes at the "
		                     "end: use vow_spawn or vow_isolate");
	return 0;
}

int vow_seal(vow_policy *policy)
{
	CHECK(policy);
	if (in_process_only(policy))
		return -1;
	struct vow_policy p;
	if (policy_copy(policy, &p))
		return fail(ENOMEM, "out of memory");
	int r = -1;
	const char *err = policy_finish(&p, NULL);
	if (err) {
		fail(EINVAL, "%s", err);
		goto out;
	}
	/* Landlock, capabilities and priority are each thread's own */
	if (threaded() && (p.npaths || p.restricts_paths || p.nice || holds_caps())) {
		fail(EBUSY, "path rules, capabilities and priority cannot reach threads that already "
		            "run: seal before creating threads");
		goto out;
	}
	sigset_t mask;
	struct seal s = {.argv = NULL, .origmask = &mask, .in_process = true};
	if (!p.violation_set)
		p.violation = VOW_KILL;
	if ((err = seal_prepare(&s, &p))) {
		fail(EINVAL, "%s", err);
		goto out;
	}
	if (seal_here(&s))
		fail(s.err, "sealing failed at step \"%s\": %s", seal_step_name(s.failed_step),
		     strerror(s.err));
	else {
		r = 0;
		if (p.nenv) /* the environment the policy gives, its own copy (the old may be static: left) */
			environ = env_copy(env_resolve(&p, environ));
		if (p.has_promises) {
			pledged = true;
			promised = s.filter.promises;
		}
	}
	free(s.seccomp.prog);
	if (s.landlock.ruleset >= 0)
		close(s.landlock.ruleset);
out:
	policy_free(&p);
	return r;
}

/* ---- vow_spawn ---- */

/* Move FD above the standard descriptors (a caller with 0-2 shut may have
   been given them for its pipes); -1 stays -1. */
static int high(int fd)
{
	return fd < 0 ? -1 : fcntl(fd, F_DUPFD, 10);
}

int vow_spawn(vow_policy *p, char *const argv[], char *const envp[], int pipes, vow_child *c)
{
	CHECK(p && argv && argv[0] && c);
	if (pipes & ~(VOW_PIPE_IN | VOW_PIPE_OUT | VOW_PIPE_ERR))
		return fail(EINVAL, "pipes: VOW_PIPE_IN, VOW_PIPE_OUT and VOW_PIPE_ERR");
	if (children_seen())
		return -1;
	int ends[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}}, ready[2] = {-1, -1};
	char *said = shared(VOW_SAID_MAX);
	int e = 0;
	if (!said)
		e = ENOMEM;
	for (int i = 0; i < 3 && !e; i++)
		if ((pipes & (1 << i)) && pipe2(ends[i], O_CLOEXEC))
			e = errno;
	if (!e && pipe2(ready, O_CLOEXEC))
		e = errno;
	pid_t pid = e ? -1 : fork();
	if (pid == 0) {
		child_begin(said);
		vow_silent = true; /* until the command starts: vow_error() says it */
		/* the command's ends become 0, 1, 2; the ready pipe 3; nothing
		   else of the caller's stays open in vow's processes */
		int mine[4] = {high(ends[0][0]), high(ends[1][1]), high(ends[2][1]), high(ready[1])};
		for (int i = 0; i < 3; i++)
			if (mine[i] >= 0 && dup2(mine[i], i) < 0)
				pdie("cannot set up the command's standard streams");
		if (dup2(mine[3], 3) < 0 || syscall(SYS_close_range, 4, ~0U, 0))
			pdie("cannot set up the command's descriptors");
		stdio_ensure();
		char **env, *path;
		int code = run_resolve(p, argv[0], envp ? (char **)envp : environ, &env, &path);
		if (code)
			vow_exit(code);
		sigset_t mask;
		struct seal s = {.path = path, .argv = argv, .envp = env, .origmask = &mask};
		const char *err = seal_prepare(&s, p);
		if (err)
			die("%s", err);
		if (write(3, "", 1) != 1 || close(3))
			pdie("cannot tell the caller");
		vow_silent = false; /* from here on, as `vow run` on the command's stderr */
		vow_said = NULL;
		vow_exit(supervise(&s));
	}
	if (pid < 0 && !e)
		e = errno;
	for (int i = 0; i < 3; i++) /* the command's ends */
		if (ends[i][i == 0 ? 0 : 1] >= 0)
			close(ends[i][i == 0 ? 0 : 1]);
	if (ready[1] >= 0)
		close(ready[1]);
	char byte;
	ssize_t n = -1;
	while (pid > 0 && (n = read(ready[0], &byte, 1)) < 0 && errno == EINTR) {
	}
	if (ready[0] >= 0)
		close(ready[0]);
	int r = 0;
	if (e)
		r = fail(e, "cannot start the command: %s", strerror(e));
	else if (n != 1) {
		/* it ended before the supervisor: its status says why */
		int status, code = wait_child(pid, &status, NULL) ? VOW_EXIT_FAIL : status_code(status);
		e = code == VOW_EXIT_NOTFOUND ? ENOENT : code == VOW_EXIT_NOEXEC ? EACCES : EINVAL;
		r = fail(e, "%s", *said ? said : "vow could not start the command");
	}
	if (r)
		for (int i = 0; i < 3; i++)
			if (ends[i][i == 0 ? 1 : 0] >= 0)
				close(ends[i][i == 0 ? 1 : 0]);
	if (said)
		munmap(said, VOW_SAID_MAX);
	if (r)
		return -1;
	*c = (vow_child){pid, ends[0][1], ends[1][0], ends[2][0]};
	return 0;
}

int vow_wait(vow_child *c)
{
	if (!c || c->pid <= 0)
		return fail(EINVAL, "vow_wait: no child");
	int fds[3] = {c->in, c->out, c->err};
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	c->in = c->out = c->err = -1;
	int status;
	if (wait_child(c->pid, &status, NULL))
		return fail(errno, "waitpid: %s", strerror(errno));
	c->pid = 0;
	return status_code(status);
}

/* ---- vow_isolate ---- */

struct isolate_page {
	int returned; /* the function returned (its word: the child wrote it) */
	int value;
	_Alignas(16) unsigned char out[];
};

/* In the sealed payload: the function, then its result into shared memory. */
void isolate_run(struct isolate *is)
{
	int v = is->fn(is->arg, is->outlen ? is->page->out : NULL, is->outlen);
	is->page->value = v;
	is->page->returned = 1;
	if (__fpending(stdout))
		fflush(stdout);
	_exit(0);
}

int vow_isolate(vow_fn *fn, void *arg, vow_policy *p, void *out, size_t outlen, vow_result *r)
{
	CHECK(fn && p && r && (out || !outlen));
	memset(r, 0, sizeof *r);
	if (children_seen())
		return -1;
	size_t pagelen = sizeof(struct isolate_page) + outlen;
	struct isolate_page *page = shared(pagelen);
	struct vow_verdict *v = shared(sizeof *v);
	if (!page || !v) {
		if (page)
			munmap(page, pagelen);
		return fail(ENOMEM, "out of memory");
	}
	pid_t parent = getpid();
	double t0 = vow_ms();
	pid_t pid = fork();
	if (pid == 0) {
		/* the anchor: gone with the caller's thread, and with it the rest */
		child_begin(v->said);
		/* the result says what vow saw; only "report" asks for lines too */
		vow_silent = !(p->violation_set && p->violation == VOW_REPORT);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(VOW_EXIT_FAIL);
		syscall(SYS_close_range, 3, ~0U, 0);
		if (!p->violation_set) { /* the status is the report; set, so that it holds */
			p->violation = VOW_KILL;
			p->violation_set = true;
		}
		char **env, *path, *none[] = {NULL};
		int code = run_resolve(p, NULL, environ, &env, &path);
		if (code)
			vow_exit(code);
		struct isolate is = {fn, arg, page, outlen, v, sizeof *v};
		sigset_t mask;
		struct seal s = {.argv = none, .envp = env, .origmask = &mask, .fn = &is};
		const char *err = seal_prepare(&s, p);
		if (err)
			die("%s", err);
		v->prepared = true;
		vow_exit(supervise(&s));
	}
	int e = errno, status;
	struct rusage ru;
	int ret = 0;
	if (pid < 0)
		ret = fail(e == ENOMEM ? ENOMEM : EAGAIN, "fork: %s", strerror(e));
	else if (wait_child(pid, &status, &ru))
		ret = fail(ECHILD, "the isolated child was reaped by someone else");
	else if (!v->prepared)
		ret = fail(EINVAL, "%s", v->said[0] ? v->said : "vow could not prepare the child");
	if (!ret) {
		r->seconds = (vow_ms() - t0) / 1000;
		r->peak_kb = ru.ru_maxrss;
		snprintf(r->syscall, sizeof r->syscall, "%s", v->syscall);
		snprintf(r->message, sizeof r->message, "%s", v->said);
		/* the supervisor's word first, then the payload's own status */
		int mode = p->violation_set ? p->violation : VOW_KILL;
		int code = status_code(status);
		if (v->failed)
			r->outcome = VOW_FAILED;
		else if (v->timed_out)
			r->outcome = VOW_TIMED_OUT;
		else if (v->syscall[0] && mode == VOW_KILL && code == 128 + SIGSYS)
			r->outcome = VOW_VIOLATION, r->value = SIGSYS;
		else if (!v->ended) {
			r->outcome = VOW_FAILED;
			if (!r->message[0])
				snprintf(r->message, sizeof r->message,
				         "vow's supervisor ended before the function (status %d)", code);
		} else if (WIFSIGNALED(v->status))
			r->outcome = VOW_CRASHED, r->value = WTERMSIG(v->status);
		else if (page->returned && !WEXITSTATUS(v->status))
			r->outcome = VOW_RETURNED, r->value = page->value;
		else
			r->outcome = VOW_RETURNED, r->value = WEXITSTATUS(v->status);
		if (outlen)
			memcpy(out, page->out, outlen);
	}
	munmap(page, pagelen);
	munmap(v, sizeof *v);
	return ret;
}
