/* proctree.h: the sandbox's processes, for the supervisor. */
#ifndef PROCTREE_H
#define PROCTREE_H
#include <sys/types.h>

struct task {
	pid_t pid, ppid;
	char state;
	long threads;
	int mark;
};
int proc_stat(int dirfd, const char *name, struct task *t);
long proc_status(const char *path, const char *field);
long proctree_count(pid_t root);
void proctree_kill(pid_t root);

#endif
