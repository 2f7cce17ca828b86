/* libvowbench: microseconds per call of libvow's calls that run a child,
 * each beside its bare counterpart, for bench/run's libvow section.
 *
 *   libvowbench ITERATIONS       prints: kind,us_per_call (one CSV line a kind)
 *
 * The kinds take turns call by call, so that drift on the machine hits them
 * alike; a few untimed calls of each go first.  Every call's result is
 * checked and one that fails ends the benchmark (exit 1, with why): a call
 * that fails must not be timed as fast.  vow_seal is one-way, so not here.
 * Build: cc -Iinclude libvowbench.c build/libvow.a (and vow's LDLIBS). */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vow.h"

extern char **environ;

struct kind {
	const char *name;
	void (*call)(struct kind *k);
	const char *promises; /* its policy, for the vow_ kinds */
	const char *timeout;
	vow_policy *p;
	double ns; /* summed over the timed calls */
};

static int *page;         /* fork's MAP_SHARED page */
static int seq;           /* what the next call's function must write */
static char *true_argv[] = {"/bin/true", NULL};

/* what runs in the child: writes an int where it is told */
static int work(void *arg, void *out, size_t outlen)
{
	if (outlen < sizeof(int))
		return 1;
	*(int *)out = *(int *)arg;
	return 0;
}

static void reap(struct kind *k, pid_t pid, int *want)
{
	int status;
	pid_t r;
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
	}
	if (r != pid)
		err(1, "%s: waitpid", k->name);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		errx(1, "%s: the child ended with status %#x", k->name, status);
	if (want && *page != *want)
		errx(1, "%s: the child wrote %d, not %d", k->name, *page, *want);
}

/* the bare floor of running a function in a child */
static void call_fork(struct kind *k)
{
	int want = ++seq;
	pid_t pid = fork();
	if (pid < 0)
		err(1, "%s", k->name);
	if (pid == 0)
		_exit(work(&want, page, sizeof *page));
	reap(k, pid, &want);
}

static void call_isolate(struct kind *k)
{
	int want = ++seq, got = 0;
	vow_result r;
	if (vow_isolate(work, &want, k->p, &got, sizeof got, &r))
		errx(1, "%s: vow_isolate: %s", k->name, vow_error());
	if (r.outcome != VOW_RETURNED || r.value || got != want)
		errx(1, "%s: the function did not return as it should (outcome %d, value %d, "
		        "wrote %d, not %d): %.*s", k->name, (int)r.outcome, r.value, got, want,
		     (int)sizeof r.message, r.message);
}

static void call_posix_spawn(struct kind *k)
{
	pid_t pid;
	int e = posix_spawn(&pid, true_argv[0], NULL, NULL, true_argv, environ);
	if (e)
		errx(1, "%s: %s", k->name, strerror(e));
	reap(k, pid, NULL);
}

static void call_spawn(struct kind *k)
{
	vow_child c;
	if (vow_spawn(k->p, true_argv, NULL, 0, &c))
		errx(1, "%s: vow_spawn: %s", k->name, vow_error());
	int code = vow_wait(&c);
	if (code < 0)
		errx(1, "%s: vow_wait: %s", k->name, vow_error());
	if (code)
		errx(1, "%s: %s exited %d", k->name, true_argv[0], code);
}

/* Once, before timing: the command runs clean under the policy, with
   nothing on its standard error (under vow_spawn's default violation,
   "report", a refused call gets EPERM and a line there, and true might
   still exit 0). */
static void spawn_quiet(struct kind *k)
{
	vow_child c;
	if (vow_spawn(k->p, true_argv, NULL, VOW_PIPE_ERR, &c))
		errx(1, "%s: vow_spawn: %s", k->name, vow_error());
	char buf[512];
	size_t len = 0;
	for (ssize_t n; len < sizeof buf - 1 && (n = read(c.err, buf + len, sizeof buf - 1 - len)) > 0;)
		len += n;
	buf[len] = 0;
	int code = vow_wait(&c);
	if (code || len)
		errx(1, "%s: %s under the policy: status %d, said \"%s\"", k->name, true_argv[0],
		     code, buf);
}

static struct kind kinds[] = {
	{"fork", call_fork, NULL, NULL, NULL, 0},
	{"isolate-stdio", call_isolate, "stdio", NULL, NULL, 0},
	{"isolate-stdio-timeout", call_isolate, "stdio", "10", NULL, 0},
	{"posix_spawn", call_posix_spawn, NULL, NULL, NULL, 0},
	{"spawn-stdio", call_spawn, "stdio rpath", NULL, NULL, 0},
};
enum { NKINDS = sizeof kinds / sizeof *kinds, WARMUP = 3 };

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
	char *end;
	long n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || *end || n <= 0)
		errx(2, "usage: libvowbench ITERATIONS");

	page = mmap(NULL, sizeof *page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		err(1, "mmap");
	for (struct kind *k = kinds; k < kinds + NKINDS; k++) {
		if (!k->promises)
			continue;
		if (!(k->p = vow_policy_new()) || vow_policy_promise(k->p, k->promises) ||
		    (k->timeout && vow_policy_limit(k->p, "timeout", k->timeout)))
			errx(1, "%s: policy: %s", k->name, vow_error());
		if (k->call == call_spawn)
			spawn_quiet(k);
	}

	for (long i = -WARMUP; i < n; i++)
		for (struct kind *k = kinds; k < kinds + NKINDS; k++) {
			double t0 = now();
			k->call(k);
			if (i >= 0)
				k->ns += now() - t0;
		}

	for (struct kind *k = kinds; k < kinds + NKINDS; k++) {
		printf("%s,%.2f\n", k->name, k->ns / n / 1000);
		vow_policy_free(k->p);
	}
	return fflush(stdout) ? 1 : 0;
}
