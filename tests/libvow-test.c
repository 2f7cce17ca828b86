/* libvow-test: one use of include/vow.h per run, for tests/integration/libvow.sh.
 *
 *   libvow-test ACTION [ARG...]
 *
 * prints what each call returned ("0", or the errno's name) and what the
 * kernel then did with a plain system call ("open ok", "open EACCES");
 * a call the promises refuse kills it with SIGSYS, which the test sees. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vow.h"

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

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *a = argv[1], *x = argc > 2 ? argv[2] : "/etc/hostname";
	setvbuf(stdout, NULL, _IONBF, 0);
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
	if (!strcmp(a, "execpromises"))
		return printf("%s\n", name(vow_pledge("stdio", "stdio"))), 0;
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
