/* proctree.c: the processes of a sandbox, found through /proc.
 *
 * Every process a sandbox starts descends from the supervisor, which is a
 * child subreaper: an orphan is adopted by it, not by init, so nothing can
 * leave the tree by double-forking or setsid.  This kernel may lack
 * /proc/PID/task/TID/children, so the tree is rebuilt from each process's
 * parent in /proc/PID/stat. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proctree.h"
#include "vow.h"

/* pid, state, ppid and thread count from /proc/PID/stat (or a task's). */
int proc_stat(int dirfd, const char *name, struct task *t)
{
	char buf[1024];
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* the command name may hold spaces and parentheses: skip to the last ')' */
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	t->pid = atoi(buf);
	t->state = p[2];
	char *f = p + 2;
	long fields[18];
	for (int i = 0; i < 18; i++) {
		f = strchr(f, ' ');
		if (!f)
			return -1;
		fields[i] = strtol(++f, NULL, 10);
	}
	t->ppid = fields[0];     /* field 4 */
	t->threads = fields[16]; /* field 20 */
	return 0;
}

/* The number after "FIELD:" in the status file PATH (/proc/PID/status),
   or -1 when it cannot be read. */
long proc_status(const char *path, const char *field)
{
	char buf[4096], key[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	int kl = snprintf(key, sizeof key, "\n%s:\t", field);
	const char *at = strstr(buf, key);
	return at ? strtol(at + kl, NULL, 10) : -1;
}

/* Every process on the machine: returns the count, *out is malloc'd. */
static size_t scan(struct task **out)
{
	size_t n = 0, cap = 256;
	struct task *t = malloc(cap * sizeof *t);
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = procfd < 0 ? NULL : fdopendir(procfd);
	if (!t || !d)
		pdie("cannot read /proc");
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char name[64];
		snprintf(name, sizeof name, "%.20s/stat", e->d_name);
		if (n == cap && !(t = realloc(t, (cap *= 2) * sizeof *t)))
			die("out of memory");
		if (!proc_stat(procfd, name, &t[n]))
			n++;
	}
	closedir(d);
	*out = t;
	return n;
}

static int bypid(const void *a, const void *b)
{
	return ((const struct task *)a)->pid - ((const struct task *)b)->pid;
}

enum { UNKNOWN, IN, OUT };

/* IN when T descends from ROOT, else OUT; memoised in t->mark. */
static int descends(struct task *all, size_t n, struct task *t, pid_t root)
{
	for (int depth = 0; !t->mark; depth++) {
		if (t->ppid == root) {
			t->mark = IN;
			break;
		}
		struct task key = {.pid = t->ppid};
		struct task *parent = bsearch(&key, all, n, sizeof *all, bypid);
		if (!parent || parent == t || t->ppid <= 1 || depth > 4096) {
			t->mark = OUT;
			break;
		}
		t->mark = descends(all, n, parent, root);
	}
	return t->mark;
}

/* Mark the descendants of ROOT (not ROOT itself); returns how many. */
static size_t mark(struct task *t, size_t n, pid_t root)
{
	size_t found = 0;
	qsort(t, n, sizeof *t, bypid);
	for (size_t i = 0; i < n; i++)
		t[i].mark = UNKNOWN;
	for (size_t i = 0; i < n; i++)
		found += descends(t, n, &t[i], root) == IN;
	return found;
}

/* Threads alive among ROOT's descendants (zombies hold none). */
long proctree_count(pid_t root)
{
	struct task *t;
	size_t n = scan(&t);
	mark(t, n, root);
	long count = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i].mark == IN && t[i].state != 'Z' && t[i].state != 'X')
			count += t[i].threads;
	free(t);
	return count;
}

static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
}

/* SIGKILL every descendant of ROOT until none is left, reaping what is
   handed back.  The caller has its own child's status already.  A pid is
   pinned with a pidfd and its parent checked again before the signal, so a
   recycled pid outside the tree is never hit. */
void proctree_kill(pid_t root)
{
	for (int round = 0; round < 10000; round++) {
		reap();
		/* Every process left in a subreaper's tree descends from one of its
		   children: with none, there is nothing to look for. */
		if (root == getpid() && waitpid(-1, NULL, WNOHANG | __WALL) < 0 && errno == ECHILD)
			return;
		struct task *t;
		size_t n = scan(&t);
		size_t found = mark(t, n, root);
		size_t killed = 0;
		for (size_t i = 0; i < n; i++) {
			if (t[i].mark != IN || t[i].state == 'Z' || t[i].state == 'X' ||
			    t[i].pid <= 1 || t[i].pid == getpid())
				continue;
			int pfd = syscall(SYS_pidfd_open, t[i].pid, 0);
			if (pfd < 0)
				continue;
			char name[64];
			struct task again;
			snprintf(name, sizeof name, "/proc/%d/stat", t[i].pid);
			if (!proc_stat(AT_FDCWD, name, &again) && again.ppid == t[i].ppid &&
			    !syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0))
				killed++;
			close(pfd);
		}
		free(t);
		if (!found)
			return;
		if (!killed) {
			/* only zombies left, waiting for their parents to be reaped */
			struct timespec ts = {0, 1000000};
			nanosleep(&ts, NULL);
		}
	}
}
