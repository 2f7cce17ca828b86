/* libvow-test: one use of include/vow.h per run, for tests/integration/libvow.sh.
 *
 *   libvow-test ACTION [ARG...]
 *
 * prints what each call returned ("0", or the errno's name) and what the
 * kernel then did with a plain system call ("open ok", "open EACCES");
 * a call the promises refuse kills it with SIGSYS, which the test sees. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vow.h"

extern char **environ;

static const char *name(int r)
{
	if (!r)
		return "0";
	switch (errno) {
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case EACCES: return "EACCES";
	case ENOTSUP: return "ENOTSUP";
	case EBADF: return "EBADF";
	case EMFILE: return "EMFILE";
	case ENOMEM: return "ENOMEM";
	case ECHILD: return "ECHILD";
	default: return strerror(errno);
	}
}

static void try_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	printf("open %s\n", fd >= 0 ? "ok" : name(-1));
	fflush(stdout);
	if (fd >= 0)
		close(fd);
}

static void *opener(void *arg)
{
	sleep(1); /* after the main thread's pledge */
	try_open(arg, O_RDONLY);
	return NULL;
}

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* ---- the policy API: the actions below, one per line of actions[] ---- */

/* a failed call as "EINVAL said": its errno, and whether vow_error() has
 * a sentence for it ("silent" if not); a call that worked as "0" */
static void said(int r)
{
	const char *n = name(r), *e = r ? vow_error() : "";
	printf(r ? "%s %s\n" : "%s\n", n, e && *e ? "said" : "silent");
}

/* one setter by the name of its policy-file primitive, for the tables */
static int set(vow_policy *p, const char *what, const char *a, const char *b)
{
	if (!strcmp(what, "promise"))
		return vow_policy_promise(p, a);
	if (!strcmp(what, "unveil"))
		return vow_policy_unveil(p, a, b);
	if (!strcmp(what, "connect"))
		return vow_policy_connect(p, a);
	if (!strcmp(what, "bind"))
		return vow_policy_bind(p, a);
	if (!strcmp(what, "limit"))
		return vow_policy_limit(p, a, b);
	if (!strcmp(what, "cap"))
		return vow_policy_keep_cap(p, a);
	if (!strcmp(what, "violation"))
		return vow_policy_violation(p, a);
	return -1;
}

struct row {
	const char *what, *a, *b;
};

/* P after a list of setters, each printed with what it returned */
static vow_policy *build(const struct row *rows, size_t n)
{
	vow_policy *p = vow_policy_new();
	for (size_t i = 0; p && i < n; i++) {
		printf("%s ", rows[i].what);
		said(set(p, rows[i].what, rows[i].a, rows[i].b));
	}
	return p;
}

/* do P and Q show the same as Lua? */
static bool same(vow_policy *p, vow_policy *q)
{
	char *a = vow_policy_show(p, 1), *b = vow_policy_show(q, 1);
	bool eq = a && b && !strcmp(a, b);
	free(a);
	free(b);
	return eq;
}

static void try_socket(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	printf("socket %s\n", s >= 0 ? "ok" : name(-1));
	if (s >= 0)
		close(s);
}

/* can this process still map 256 MiB? (not under a 64M memory limit) */
static void try_malloc(void)
{
	void *m = malloc(256 << 20);
	printf("malloc %s\n", m ? "ok" : "NULL");
	free(m);
}

/* the caller after vow_isolate or vow_wait: unsealed, no child left */
static void caller_ok(const char *path)
{
	try_open(path, O_RDONLY);
	try_socket();
	printf("children %s\n", waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD ? "none" : "left");
}

/* each setter refuses (with a sentence), and adds nothing to a new policy */
static int policy_errors(int argc, char **argv)
{
	static const struct row bad[] = {
		{"promise", "stdio nosuch"}, {"unveil", ".", "rz"}, {"unveil", "/nonexistent/dir", "r"},
		{"connect", "http"}, {"bind", "65536"}, {"limit", "speed", "1"},
		{"limit", "memory", "lots"}, {"cap", "nosuch"}, {"violation", "ignore"},
	};
	printf("pledge ");
	said(vow_pledge("stdio nosuch", NULL));
	printf("unveil ");
	said(vow_unveil("/nonexistent/dir", "r"));
	vow_policy *empty = vow_policy_new();
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		vow_policy *p = build(&bad[i], 1);
		printf("%s\n", same(p, empty) ? "nothing added" : "changed");
		vow_policy_free(p);
	}
	vow_policy_free(empty);
	return 0;
}

static int show(int argc, char **argv) /* show: as text, "--", as Lua */
{
	static const struct row rows[] = {
		{"promise", "stdio rpath"}, {"unveil", ".", "r"}, {"connect", "443"},
		{"limit", "memory", "32M"}, {"limit", "memory", "64M"}, {"limit", "timeout", "2"},
		{"cap", "net_bind_service"}, {"violation", "eperm"},
	};
	vow_policy *p = build(rows, sizeof rows / sizeof *rows);
	char *text = vow_policy_show(p, 0), *lua = vow_policy_show(p, 1);
	printf("%s--\n%s", text ? text : "NULL\n", lua ? lua : "NULL\n");
	free(text);
	free(lua);
	vow_policy_free(p);
	return 0;
}

static int seal(int argc, char **argv) /* seal DIR FILE-IN-DIR OUTSIDE: open both, then socket */
{
	vow_policy *p = build((struct row[]){{"promise", "stdio rpath"}, {"unveil", argv[2], "r"}}, 2);
	printf("seal ");
	said(vow_seal(p));
	try_open(argv[3], O_RDONLY);
	try_open(argv[4], O_RDONLY);
	try_socket(); /* not reached: SIGSYS */
	return 0;
}

static int seal_limits(int argc, char **argv) /* memory and nofile hold after vow_seal */
{
	static const struct row rows[] = {
		{"promise", "stdio"}, {"limit", "memory", "64M"}, {"limit", "nofile", "8"},
	};
	vow_policy *p = build(rows, sizeof rows / sizeof *rows);
	try_malloc();
	printf("seal ");
	said(vow_seal(p));
	try_malloc();
	int fd;
	while ((fd = dup(0)) >= 0 && fd < 64)
		;
	printf("dup %s\n", fd >= 0 ? "ok" : name(-1));
	return 0;
}

/* seal-unsupported DIR OUTSIDE: what only the supervisor enforces gives
 * ENOTSUP, and the rest of the policy (stdio, DIR, 64M) is not applied */
static int seal_unsupported(int argc, char **argv)
{
	static const struct row rows[] = {
		{"limit", "timeout", "2"}, {"limit", "procs", "5"},
		{"violation", "report"}, {"promise", "tmppath"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct row r[] = {{"promise", "stdio"}, {"unveil", argv[2], "r"},
		                  {"limit", "memory", "64M"}, rows[i]};
		vow_policy *p = build(r, sizeof r / sizeof *r);
		printf("seal ");
		said(vow_seal(p));
		vow_policy_free(p);
	}
	try_malloc();
	try_open(argv[3], O_RDONLY);
	try_socket();
	return 0;
}

/* seal-threads DIR OUTSIDE: with paths and a second thread, EBUSY and
 * nothing applied; without paths the filter binds that thread too */
static int seal_threads(int argc, char **argv)
{
	pthread_t t;
	pthread_create(&t, NULL, opener, argv[3]);
	struct row paths[] = {{"promise", "stdio rpath"}, {"unveil", argv[2], "r"}};
	vow_policy *p = build(paths, 2);
	printf("seal ");
	said(vow_seal(p));
	try_open(argv[3], O_RDONLY);
	vow_policy *q = build((struct row[]){{"promise", "stdio"}}, 1);
	printf("seal ");
	said(vow_seal(q));
	pthread_join(t, NULL); /* its open kills the process */
	return 0;
}

/* load FILE [ARG...]: into a policy of "stdio", then show it as Lua (or
 * vow_error() and whether a failed load changed it) */
static int load(int argc, char **argv)
{
	vow_policy *p = vow_policy_new(), *before = vow_policy_new();
	vow_policy_promise(p, "stdio");
	vow_policy_promise(before, "stdio");
	printf("load ");
	int r = vow_policy_load(p, argv[2], argc > 3 ? argv + 3 : NULL);
	said(r);
	char *lua = vow_policy_show(p, 1);
	if (r)
		printf("error %s\n%s\n", vow_error(), same(p, before) ? "unchanged" : "changed");
	else
		printf("%s", lua ? lua : "NULL\n");
	free(lua);
	vow_policy_free(p);
	vow_policy_free(before);
	return 0;
}

/* what a pipe carries until EOF, its newlines shown as | */
static void drain(const char *label, int fd)
{
	char buf[4096];
	size_t n = 0;
	ssize_t k;
	while (n < sizeof buf - 1 && (k = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += k;
	buf[n] = 0;
	for (char *s = buf; *s; s++)
		if (*s == '\n')
			*s = '|';
	printf("%s %s\n", label, buf);
}

/* spawn ARGV under P, feed it IN, print its output and status */
static void spawn(vow_policy *p, char **cmd, char **envp, int pipes, const char *in)
{
	vow_child c;
	printf("spawn ");
	int r = vow_spawn(p, cmd, envp, pipes, &c);
	said(r);
	if (r)
		return;
	if (c.in >= 0) {
		if (write(c.in, in, strlen(in)) < 0)
			printf("write %s\n", name(-1));
		close(c.in);
		c.in = -1;
	}
	if (c.out >= 0)
		drain("out", c.out);
	if (c.err >= 0)
		drain("err", c.err);
	printf("status %d\n", vow_wait(&c));
}

/* spawn NOEXEC: pipes both ways and an exit status; the environment
 * given; a death by signal; a missing and a non-executable program */
static int spawn_basic(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	vow_policy *p = vow_policy_new();
	spawn(p, (char *[]){"sh", "-c", "echo hi; cat; exit 3", NULL}, NULL,
	      VOW_PIPE_IN | VOW_PIPE_OUT, "data\n");
	spawn(p, (char *[]){"/bin/sh", "-c", "echo \"$VOWTEST:${HOME-unset}\"", NULL},
	      (char *[]){"VOWTEST=yes", NULL}, VOW_PIPE_OUT, NULL);
	spawn(p, (char *[]){"sh", "-c", "kill -9 $$", NULL}, NULL, 0, NULL);
	spawn(p, (char *[]){"vow-no-such-program", NULL}, NULL, 0, NULL);
	spawn(p, (char *[]){argv[2], NULL}, NULL, 0, NULL);
	vow_policy_free(p);
	caller_ok(argv[2]);
	return 0;
}

/* spawn-ro FILE: under "stdio rpath", touch FILE (report: EPERM and a
 * line), then sh writing FILE under violation "kill" (SIGSYS) */
static int spawn_ro(int argc, char **argv)
{
	vow_policy *p = build((struct row[]){{"promise", "stdio rpath"}}, 1);
	spawn(p, (char *[]){"touch", argv[2], NULL}, NULL, VOW_PIPE_ERR, NULL);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "echo x > '%s'", argv[2]);
	vow_policy *q = build((struct row[]){{"promise", "stdio rpath"}, {"violation", "kill"}}, 2);
	spawn(q, (char *[]){"sh", "-c", cmd, NULL}, NULL, 0, NULL);
	return 0;
}

/* is a "sleep 31.5" running? (the command of spawn-kill) */
static bool sleeping(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool found = false;
	while (d && !found && (e = readdir(d))) {
		char path[300], buf[16];
		snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		found = read(fd, buf, sizeof buf) == 11 && !memcmp(buf, "sleep\0" "31.5", 11);
		close(fd);
	}
	if (d)
		closedir(d);
	return found;
}

static void wait_sleeping(bool want)
{
	for (int i = 0; i < 100 && sleeping() != want; i++)
		usleep(50000);
	printf("running %s\n", sleeping() ? "yes" : "no");
}

static int spawn_kill(int argc, char **argv) /* SIGKILL to c.pid ends the command too */
{
	vow_policy *p = vow_policy_new();
	vow_child c;
	printf("spawn ");
	int r = vow_spawn(p, (char *[]){"sleep", "31.5", NULL}, NULL, 0, &c);
	said(r);
	if (r)
		return 1;
	wait_sleeping(true);
	kill(c.pid, SIGKILL);
	printf("status %d\n", vow_wait(&c));
	wait_sleeping(false);
	return 0;
}

/* ---- vow_isolate: each function misbehaves in one way ---- */

static int touched;         /* set in a child: the caller's stays 0 */
static int *volatile nowhere; /* NULL, and the compiler cannot know it */
static volatile long spins;

static int fn_return(void *arg, void *out, size_t outlen)
{
	touched = 1;
	snprintf(out, outlen, "hello %d", *(int *)arg);
	return *(int *)arg * 7;
}

static int fn_crash(void *arg, void *out, size_t outlen)
{
	snprintf(out, outlen, "before the crash");
	*nowhere = 1;
	return 0;
}

static int fn_loop(void *arg, void *out, size_t outlen)
{
	for (;;)
		spins++;
	return 0;
}

/* take and touch 1 MiB at a time until malloc says no; ARG: then crash */
static int fn_memory(void *arg, void *out, size_t outlen)
{
	long mb = 0;
	char *m;
	while ((m = malloc(1 << 20))) {
		memset(m, 1, 1 << 20);
		mb++;
	}
	snprintf(out, outlen, mb < 64 ? "stopped under 64M" : "got %ld MiB", mb);
	if (arg)
		*nowhere = 1;
	return -1;
}

static int fn_socket(void *arg, void *out, size_t outlen)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	snprintf(out, outlen, "%s", s >= 0 ? "socket ok" : name(-1));
	return s >= 0 ? 0 : -1;
}

/* ARG: a file to make inside the unveiled directory, one outside */
static int fn_write(void *arg, void *out, size_t outlen)
{
	char **paths = arg;
	int in = open(paths[0], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	char inside[32];
	snprintf(inside, sizeof inside, "%s", in >= 0 ? "ok" : name(-1));
	int fd = open(paths[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644), err = errno;
	snprintf(out, outlen, "inside %s outside %s", inside, fd >= 0 ? "ok" : name(-1));
	return fd >= 0 ? 0 : err;
}

/* ARG: the caller's pid */
static int fn_kill(void *arg, void *out, size_t outlen)
{
	int r = kill(*(pid_t *)arg, SIGKILL), err = errno;
	char caller[32];
	snprintf(caller, sizeof caller, "%s", name(r));
	pid_t pp = getppid();
	int r2 = pp > 0 ? kill(pp, SIGKILL) : 0;
	snprintf(out, outlen, "caller %s parent %s", caller, pp > 0 ? name(r2) : "none");
	return r ? err : 0;
}

static int fn_fork(void *arg, void *out, size_t outlen)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(5);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ARG: a descriptor the caller has open */
static int fn_fds(void *arg, void *out, size_t outlen)
{
	int r = fcntl(*(int *)arg, F_GETFD);
	snprintf(out, outlen, "%s", r >= 0 ? "open" : name(-1));
	return r;
}

static const char *const outcomes[] = {
	[VOW_RETURNED] = "RETURNED", [VOW_CRASHED] = "CRASHED", [VOW_VIOLATION] = "VIOLATION",
	[VOW_TIMED_OUT] = "TIMED_OUT", [VOW_FAILED] = "FAILED",
};

/* isolate FN under P, print how it ended ("isolate 0 RETURNED 42 -",
 * "isolate 0 CRASHED 11 -", "isolate 0 VIOLATION - socket") and the out
 * buffer if anything came back (OUT false: no buffer given) */
static void isolate(vow_fn *fn, void *arg, vow_policy *p, bool out, vow_result *r)
{
	char buf[128] = "";
	memset(r, 0, sizeof *r);
	int rc = vow_isolate(fn, arg, p, out ? buf : NULL, out ? sizeof buf - 1 : 0, r);
	const char *o = rc ? "-" : (unsigned)r->outcome < sizeof outcomes / sizeof *outcomes ? outcomes[r->outcome] : "?";
	printf("isolate %s %s ", name(rc), o);
	if (!rc && (r->outcome == VOW_RETURNED || r->outcome == VOW_CRASHED))
		printf("%d ", r->value);
	else
		printf("- ");
	printf("%.*s\n", (int)sizeof r->syscall, r->syscall[0] ? r->syscall : "-");
	buf[sizeof buf - 1] = 0;
	if (*buf)
		printf("out %s\n", buf);
}

static vow_policy *promising(const char *promises)
{
	return build((struct row[]){{"promise", promises}}, 1);
}

/* each isolate-* action takes a FILE outside all the policies' paths,
 * which the caller opens afterwards (caller_ok) */
static int isolate_return(int argc, char **argv)
{
	vow_result r;
	int six = 6;
	vow_policy *p = promising("stdio");
	isolate(fn_return, &six, p, true, &r);
	printf("seconds %s\n", r.seconds >= 0 && r.seconds < 5 ? "ok" : "wrong");
	printf("touched %d\n", touched);
	isolate(fn_return, &six, p, false, &r);
	vow_policy_free(p);
	caller_ok(argv[2]);
	return 0;
}

static int isolate_crash(int argc, char **argv)
{
	vow_result r;
	vow_policy *p = promising("stdio");
	isolate(fn_crash, NULL, p, true, &r);
	vow_policy_free(p);
	caller_ok(argv[2]);
	return 0;
}

static int isolate_timeout(int argc, char **argv)
{
	vow_result r;
	vow_policy *p = build((struct row[]){{"promise", "stdio"}, {"limit", "timeout", "1"}}, 2);
	isolate(fn_loop, NULL, p, true, &r);
	printf("seconds %s\n", r.seconds >= 1 && r.seconds < 3 ? "1 to 3" : "wrong");
	caller_ok(argv[2]);
	return 0;
}

static int isolate_memory(int argc, char **argv)
{
	vow_result r;
	vow_policy *p = build((struct row[]){{"promise", "stdio"}, {"limit", "memory", "64M"}}, 2);
	isolate(fn_memory, NULL, p, true, &r);
	if (r.peak_kb >= 30000)
		printf("peak over 30000 KiB\n");
	else
		printf("peak %ld KiB\n", r.peak_kb);
	isolate(fn_memory, "crash", p, true, &r);
	caller_ok(argv[2]);
	return 0;
}

/* socket() without inet: under violation kill (the default), eperm, report */
static int isolate_socket(int argc, char **argv)
{
	vow_result r;
	isolate(fn_socket, NULL, promising("stdio"), true, &r);
	printf("message %.*s\n", (int)sizeof r.message, r.message);
	for (int i = 0; i < 2; i++) {
		const char *mode = i ? "report" : "eperm";
		vow_policy *p = build((struct row[]){{"promise", "stdio"}, {"violation", mode}}, 2);
		isolate(fn_socket, NULL, p, true, &r);
		printf("message %.*s\n", (int)sizeof r.message, r.message);
	}
	caller_ok(argv[2]);
	return 0;
}

/* isolate-write FILE DIR OUTSIDE-DIR: DIR unveiled rwc, OUTSIDE-DIR not */
static int isolate_write(int argc, char **argv)
{
	vow_result r;
	char made[4200], stolen[4200];
	snprintf(made, sizeof made, "%s/made", argv[3]);
	snprintf(stolen, sizeof stolen, "%s/stolen", argv[4]);
	vow_policy *p = build((struct row[]){{"promise", "stdio rpath wpath cpath"},
	                                     {"unveil", argv[3], "rwc"}}, 2);
	isolate(fn_write, (char *[]){made, stolen}, p, true, &r);
	caller_ok(argv[2]);
	return 0;
}

static int isolate_kill(int argc, char **argv)
{
	vow_result r;
	pid_t me = getpid();
	isolate(fn_kill, &me, promising("stdio"), true, &r);
	caller_ok(argv[2]);
	return 0;
}

static int isolate_fork(int argc, char **argv) /* without proc, then with */
{
	vow_result r;
	isolate(fn_fork, NULL, promising("stdio"), true, &r);
	isolate(fn_fork, NULL, promising("stdio proc"), true, &r);
	caller_ok(argv[2]);
	return 0;
}

static int isolate_fds(int argc, char **argv) /* the child has only 0, 1 and 2 */
{
	vow_result r;
	int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	int nocloexec = dup(fd);
	isolate(fn_fds, &fd, promising("stdio"), true, &r);
	isolate(fn_fds, &nocloexec, promising("stdio"), true, &r);
	caller_ok(argv[2]);
	return 0;
}

/* refused FILE: a policy vow refuses (getpw needs path rules) gives
 * EINVAL from each use, and nothing runs or is applied */
static int refused(int argc, char **argv)
{
	vow_policy *p = promising("stdio getpw");
	vow_child c;
	vow_result r;
	printf("seal ");
	said(vow_seal(p));
	printf("spawn ");
	said(vow_spawn(p, (char *[]){"true", NULL}, NULL, 0, &c));
	isolate(fn_return, &(int){6}, p, true, &r);
	printf("said %s\n", *vow_error() ? "yes" : "no");
	caller_ok(argv[2]);
	return 0;
}

static const struct action {
	const char *name;
	int args; /* how many it needs */
	int (*run)(int argc, char **argv);
} actions[] = {
	{"policy-errors", 0, policy_errors},
	{"show", 0, show},
	{"seal", 3, seal},
	{"seal-limits", 0, seal_limits},
	{"seal-unsupported", 2, seal_unsupported},
	{"seal-threads", 2, seal_threads},
	{"load", 1, load},
	{"spawn", 1, spawn_basic},
	{"spawn-ro", 1, spawn_ro},
	{"spawn-kill", 0, spawn_kill},
	{"isolate-return", 1, isolate_return},
	{"isolate-crash", 1, isolate_crash},
	{"isolate-timeout", 1, isolate_timeout},
	{"isolate-memory", 1, isolate_memory},
	{"isolate-socket", 1, isolate_socket},
	{"isolate-write", 3, isolate_write},
	{"isolate-kill", 1, isolate_kill},
	{"isolate-fork", 1, isolate_fork},
	{"isolate-fds", 1, isolate_fds},
	{"refused", 1, refused},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *a = argv[1], *x = argc > 2 ? argv[2] : "/etc/hostname";
	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
		if (!strcmp(a, actions[i].name))
			return argc < 2 + actions[i].args ? 2 : actions[i].run(argc, argv);
	if (!strcmp(a, "pledge")) { /* pledge PROMISES PATH [w]: then open PATH */
		printf("pledge %s\n", name(vow_pledge(argv[2], NULL)));
		try_open(argv[3], argc > 4 ? O_WRONLY | O_CREAT : O_RDONLY);
		return 0;
	}
	if (!strcmp(a, "narrow")) { /* stdio rpath, then more (EPERM), then less */
		printf("%s ", name(vow_pledge("stdio rpath", NULL)));
		printf("%s ", name(vow_pledge("stdio rpath inet", NULL)));
		printf("%s\n", name(vow_pledge("stdio", NULL)));
		try_open(x, O_RDONLY);
		return 0;
	}
	if (!strcmp(a, "execpromises")) { /* the errors, each changing nothing */
		printf("%s ", name(vow_pledge("stdio exec", "stdio inet")));   /* not among them */
		printf("%s ", name(vow_pledge("stdio exec", "stdio exec")));   /* exec passed on */
		printf("%s ", name(vow_pledge("stdio exec", "stdio nosuch"))); /* unknown */
		printf("%s ", name(vow_pledge("stdio rpath wpath exec", "stdio rpath")));
		printf("%s ", name(vow_pledge(NULL, "stdio rpath wpath")));    /* wider */
		printf("%s\n", name(vow_pledge(NULL, "stdio")));               /* narrower */
		return 0;
	}
	if (!strcmp(a, "isolate-nested")) { /* under an outer vow: kill needs its listener, eperm not */
		vow_policy *p = vow_policy_new();
		vow_policy_promise(p, "stdio");
		vow_result r;
		char buf[32] = "";
		printf("kill %s\n", name(vow_isolate(fn_return, &(int){2}, p, buf, sizeof buf, &r)));
		vow_policy_violation(p, "eperm");
		int rc = vow_isolate(fn_return, &(int){2}, p, buf, sizeof buf, &r);
		printf("eperm %s %d %d %s\n", name(rc), r.outcome, r.value, buf);
		vow_policy_free(p);
		return 0;
	}
	if (!strcmp(a, "seal-env")) { /* seal-env FILE: its environment edits apply to this process */
		vow_policy *p = vow_policy_new();
		printf("load %s ", name(vow_policy_load(p, argv[2], NULL)));
		printf("seal %s\n", name(vow_seal(p)));
		vow_policy_free(p); /* the environment outlives the policy */
		printf("VOWSET=%s HOME=%s\n", getenv("VOWSET") ? getenv("VOWSET") : "(unset)",
		       getenv("HOME") ? "set" : "(unset)");
		return 0;
	}
	if (!strcmp(a, "sigchld-ignored")) { /* children reaped unseen: refused, not a hang */
		signal(SIGCHLD, SIG_IGN);
		vow_policy *p = vow_policy_new();
		vow_result r;
		vow_child c;
		printf("isolate %s ", name(vow_isolate(fn_return, &(int){1}, p, NULL, 0, &r)));
		printf("spawn %s ", name(vow_spawn(p, (char *[]){"true", NULL}, NULL, 0, &c)));
		printf("load %s\n", name(vow_policy_load(p, "readonly", NULL)));
		vow_policy_free(p);
		return 0;
	}
	if (!strcmp(a, "execve")) { /* execve PROMISES EXECPROMISES|- [vow] PROGRAM ARG... */
		printf("pledge %s\n", name(vow_pledge(argv[2], strcmp(argv[3], "-") ? argv[3] : NULL)));
		int via = !strcmp(argv[4], "vow");
		char **args = argv + 4 + via;
		if (via)
			vow_execve(args[0], args, environ);
		else
			execve(args[0], args, environ);
		printf("%s %s\n", via ? "vow_execve" : "execve", name(-1));
		return 0;
	}
	if (!strcmp(a, "fileset"))
		return printf("%s\n", name(vow_pledge("stdio getpw", NULL))), 0;
	if (!strcmp(a, "exec")) { /* exec is a promise like any other */
		printf("pledge %s\n", name(vow_pledge("stdio rpath", NULL)));
		execl("/bin/true", "true", (char *)NULL);
		printf("exec %s\n", name(-1));
		return 0;
	}
	if (!strcmp(a, "thread")) { /* a thread started before the pledge is bound by it */
		pthread_t t;
		pthread_create(&t, NULL, opener, (void *)x);
		printf("pledge %s\n", name(vow_pledge("stdio", NULL)));
		pthread_join(t, NULL);
		return 0;
	}
	if (!strcmp(a, "unveil")) { /* unveil DIR FILE-IN-DIR: then FILE and x */
		printf("%s ", name(vow_unveil(argv[2], "r")));
		printf("%s ", name(vow_unveil(NULL, NULL)));
		printf("%s\n", name(vow_unveil("/", "r")));
		try_open(argv[3], O_RDONLY);
		try_open("/etc/hostname", O_RDONLY);
		return 0;
	}
	if (!strcmp(a, "unveil-errors")) {
		printf("%s ", name(vow_unveil("/nonexistent/dir", "r")));
		printf("%s ", name(vow_unveil("/etc", "rz")));
		printf("%s\n", name(vow_unveil("/etc", NULL)));
		try_open("/etc/hostname", O_RDONLY); /* nothing applied */
		return 0;
	}
	if (!strcmp(a, "unveil-threads")) {
		pthread_t t;
		pthread_create(&t, NULL, idle, NULL);
		printf("%s %s\n", name(vow_unveil("/usr", "r")), name(vow_unveil(NULL, NULL)));
		try_open("/etc/hostname", O_RDONLY);
		return 0;
	}
	return 2;
}
