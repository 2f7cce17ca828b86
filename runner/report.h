/* report.h: naming what a refused call needed. */
#ifndef REPORT_H
#define REPORT_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "promises.h"

#define REPORT_NEVER ((promises_t)~0u)
#define REPORT_BURST 32 /* reports at once */
#define REPORT_RATE 8   /* then reports a second */

/* Path syscalls, and what each asks of Landlock (LOOK: nothing). */
enum path_op { PATH_LOOK, PATH_OPEN, PATH_EXEC, PATH_MAKE, PATH_REMOVE, PATH_WRITE };
struct path_call {
	const char *name;
	int path, dirfd; /* argument positions; dirfd -1: the working directory */
	enum path_op op;
	int path2, dirfd2; /* rename's and link's other name, -1 none */
	enum path_op op2;
};
extern const struct path_call path_calls[];
extern const size_t npath_calls;

promises_t call_needs(const char *name, const uint64_t *args, promises_t have);
void report_denial(int nr, const uint64_t *args, pid_t pid, bool show_pid, promises_t needs,
                   promises_t have, const char *reason);
void report_summary(void);
char *report_syscall_name(int nr);
void report_describe(const char *name, int nr, const uint64_t *args, pid_t pid, char *buf, size_t len);
void report_read_path(pid_t pid, uint64_t addr, char *out, size_t len);

#endif
