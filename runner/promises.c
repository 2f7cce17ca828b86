/* promises.c: OpenBSD's pledge(2) promises on Linux, as one table of data.
 *
 * A row says: this syscall, with these argument conditions, is allowed
 * when all of these promises are given.  The filter builder emits one rule
 * per row the policy satisfies; the denial report finds the rows a refused
 * call would have matched and names what they need; `vow show --promises`
 * prints the rows.  Nothing else asks "is it inet?".
 *
 * Rows are grouped from least to most risky.  Argument checks compare
 * what the kernel reads: an int or unsigned int argument only by its low
 * 32 bits (the kernel ignores the rest), pointers and longs by all 64. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>

#include "promises.h"
#include "vow.h"

/* One sorted name table: parsing, reports and suggestions read it. */
const struct promise_name promise_names[] = {
	{"chown", P_CHOWN, "change file owners"},
	{"cpath", P_CPATH, "create and remove files and directories"},
	{"dns", P_DNS, "UDP sockets for name resolution"},
	{"dpath", P_DPATH, "create special files (mknod, mkfifo)"},
	{"exec", P_EXEC, "execute programs after the payload's own start"},
	{"fattr", P_FATTR, "change file modes and times"},
	{"flock", P_FLOCK, "file locks"},
	{"getpw", P_GETPW, "read the user and group databases"},
	{"id", P_ID, "change user, group ids and resource limits"},
	{"inet", P_INET, "IPv4 and IPv6 TCP and UDP sockets"},
	{"mcast", P_MCAST, "join multicast groups (with inet)"},
	{"proc", P_PROC, "create processes, signal and reprioritise them"},
	{"prot_exec", P_PROT_EXEC, "executable memory of its own making (JITs, memfd code)"},
	{"ps", P_PS, "look at other processes"},
	{"recvfd", P_RECVFD, "receive file descriptors over sockets"},
	{"rpath", P_RPATH, "read files and directories by path"},
	{"sendfd", P_SENDFD, "send file descriptors over sockets"},
	{"settime", P_SETTIME, "set the system clock"},
	{"stdio", P_STDIO, "I/O on open descriptors, memory, time, signals, pipes"},
	{"thread", P_THREAD, "create threads"},
	{"tmppath", P_TMPPATH, "a private temporary directory"},
	{"tty", P_TTY, "terminal control (termios, window size)"},
	{"unix", P_UNIX, "unix domain sockets"},
	{"vminfo", P_VMINFO, "read memory and CPU statistics"},
	{"wpath", P_WPATH, "write files by path (no creating)"},
};
const size_t npromise_names = sizeof promise_names / sizeof *promise_names;

/* Promises whose meaning is mostly a set of files: without path rules the
   file system is open and they would mean nothing narrower than rpath, so
   they are refused there; with path rules they open files read-only (rpath,
   and for tmppath write and create too) and Landlock keeps them to their
   files below and to what the rules unveil. */
const promises_t promises_need_paths = 1u << P_GETPW | 1u << P_PS | 1u << P_TMPPATH |
                                       1u << P_VMINFO;

/* When path rules are active, the files a promise cannot work without,
   beside the promise table.  Missing ones are left out.  tmppath's is the
   private directory vow makes for the run. */
const struct promise_file promise_files[] = {
	/* stdio: the null, zero and random devices, the local time zone */
	{P_STDIO, "/dev/null", "rw"}, {P_STDIO, "/dev/zero", "r"}, {P_STDIO, "/dev/full", "rw"},
	{P_STDIO, "/dev/random", "r"}, {P_STDIO, "/dev/urandom", "r"},
	{P_STDIO, "/etc/localtime", "r"}, {P_STDIO, "/usr/share/zoneinfo", "r"},
	/* dns: the resolver's configuration */
	{P_DNS, "/etc/resolv.conf", "r"}, {P_DNS, "/etc/hosts", "r"}, {P_DNS, "/etc/host.conf", "r"},
	{P_DNS, "/etc/nsswitch.conf", "r"}, {P_DNS, "/etc/gai.conf", "r"},
	{P_DNS, "/etc/services", "r"}, {P_DNS, "/etc/protocols", "r"},
	/* getpw: the user and group databases */
	{P_GETPW, "/etc/passwd", "r"}, {P_GETPW, "/etc/group", "r"},
	{P_GETPW, "/etc/nsswitch.conf", "r"},
	/* tty: the controlling terminal and the terminal descriptions */
	/* (and the terminals its descriptors 0, 1, 2 are: policy_finish) */
	{P_TTY, "/dev/tty", "rw"}, {P_TTY, "/usr/share/terminfo", "r"},
	{P_TTY, "/etc/terminfo", "r"}, {P_TTY, "/lib/terminfo", "r"},
	/* vminfo: memory and CPU statistics */
	{P_VMINFO, "/proc/meminfo", "r"}, {P_VMINFO, "/proc/cpuinfo", "r"},
	{P_VMINFO, "/proc/stat", "r"}, {P_VMINFO, "/proc/loadavg", "r"},
	{P_VMINFO, "/sys/devices/system/cpu", "r"},
	/* ps: every process's /proc entries */
	{P_PS, "/proc", "r"},
};
const size_t npromise_files = sizeof promise_files / sizeof *promise_files;

const char *promise_name(int bit)
{
	if (bit == P_LOADER)
		return "loader";
	for (size_t i = 0; i < npromise_names; i++)
		if (promise_names[i].bit == bit)
			return promise_names[i].name;
	return "?";
}

static int byname(const void *key, const void *elem)
{
	return strcmp(key, ((const struct promise_name *)elem)->name);
}

int promise_lookup(const char *name)
{
	const struct promise_name *p =
		bsearch(name, promise_names, npromise_names, sizeof *promise_names, byname);
	return p ? p->bit : -1;
}

/* Parse space-separated promise names into *out.  NULL, or an error such
   as: unknown promise "inett" (did you mean "inet"?) */
const char *promises_parse(const char *text, promises_t *out)
{
	static char msg[160];
	const char *names[64];
	for (size_t i = 0; i < npromise_names; i++)
		names[i] = promise_names[i].name;
	promises_t set = 0;
	const char *p = text;
	while (*p) {
		p += strspn(p, " \t\n,");
		size_t n = strcspn(p, " \t\n,");
		if (!n)
			break;
		char word[32];
		snprintf(word, sizeof word, "%.*s", (int)(n < 31 ? n : 31), p);
		int bit = promise_lookup(word);
		if (bit < 0) {
			const char *s = suggest(word, names, npromise_names);
			if (s)
				snprintf(msg, sizeof msg, "unknown promise \"%s\" (did you mean \"%s\"?)", word, s);
			else
				snprintf(msg, sizeof msg, "unknown promise \"%s\"", word);
			return msg;
		}
		set |= 1u << bit;
		p += n;
	}
	*out = set;
	return NULL;
}

/* ---- argument conditions ---- */

#define LO32 0xffffffffULL
#define S(p) (1u << P_##p)
#define NONE 0u

/* A row: SYSCALL allowed when NEEDS are all given and every condition
   holds.  Conditions: (arg & mask) == value. */
#define ROW(needs, name, ...) {needs, name, {__VA_ARGS__}}
#define ARG(i, mask, value) {i + 1, mask, value}

/* setsockopt(fd, LEVEL, NAME, ...) for promise P */
#define SOCKOPT(p, level, name) \
	ROW(S(p), "setsockopt", ARG(1, LO32, level), ARG(2, LO32, name))
/* the SOL_SOCKET options every kind of socket may set */
#define SOCKET_LEVEL(p) \
	SOCKOPT(p, SOL_SOCKET, SO_REUSEADDR), SOCKOPT(p, SOL_SOCKET, SO_REUSEPORT), \
	SOCKOPT(p, SOL_SOCKET, SO_KEEPALIVE), SOCKOPT(p, SOL_SOCKET, SO_SNDBUF), \
	SOCKOPT(p, SOL_SOCKET, SO_RCVBUF), SOCKOPT(p, SOL_SOCKET, SO_LINGER), \
	SOCKOPT(p, SOL_SOCKET, SO_RCVTIMEO_OLD), SOCKOPT(p, SOL_SOCKET, SO_SNDTIMEO_OLD), \
	SOCKOPT(p, SOL_SOCKET, SO_RCVTIMEO_NEW), SOCKOPT(p, SOL_SOCKET, SO_SNDTIMEO_NEW), \
	SOCKOPT(p, SOL_SOCKET, SO_OOBINLINE), SOCKOPT(p, SOL_SOCKET, SO_RCVLOWAT), \
	SOCKOPT(p, SOL_SOCKET, SO_TIMESTAMP_OLD), SOCKOPT(p, SOL_SOCKET, SO_PRIORITY)
#define SOCKET_BROADCAST(p) SOCKOPT(p, SOL_SOCKET, SO_BROADCAST)

/* flags of open-like calls that decide the promise; the rest (O_CLOEXEC,
   O_NONBLOCK, O_DIRECTORY, ...) are free */
#define OPEN_MASK (O_ACCMODE | O_CREAT | O_TRUNC | TMPFILE_BIT)
/* namespaces are never made, whatever the promises */
#define CLONE_NS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
                  CLONE_NEWPID | CLONE_NEWNET)

static const struct row table[] = {
	/* always: the empty promise set still lets a process end */
	ROW(NONE, "exit"), ROW(NONE, "exit_group"),

	/* stdio: the process itself, its open descriptors, memory, time */
	ROW(S(STDIO), "read"), ROW(S(STDIO), "write"), ROW(S(STDIO), "readv"),
	ROW(S(STDIO), "writev"), ROW(S(STDIO), "pread64"), ROW(S(STDIO), "pwrite64"),
	ROW(S(STDIO), "preadv"), ROW(S(STDIO), "pwritev"), ROW(S(STDIO), "preadv2"),
	ROW(S(STDIO), "pwritev2"), ROW(S(STDIO), "close"), ROW(S(STDIO), "close_range"),
	ROW(S(STDIO), "dup"), ROW(S(STDIO), "dup2"), ROW(S(STDIO), "dup3"), ROW(S(STDIO), "lseek"),
	ROW(S(STDIO), "fstat"), ROW(S(STDIO), "fsync"), ROW(S(STDIO), "fdatasync"),
	ROW(S(STDIO), "ftruncate"), ROW(S(STDIO), "fadvise64"), ROW(S(STDIO), "sendfile"),
	ROW(S(STDIO), "splice"), ROW(S(STDIO), "tee"), ROW(S(STDIO), "vmsplice"),
	ROW(S(STDIO), "copy_file_range"), ROW(S(STDIO), "sync_file_range"),
	ROW(S(STDIO), "getdents64"), ROW(S(STDIO), "fchdir"), ROW(S(STDIO), "fstatfs"),
	/* fstat(3) in glibc is fstatat(fd, "", AT_EMPTY_PATH): with that flag a
	   path is looked up only when one is given, for metadata only */
	ROW(S(STDIO), "newfstatat", ARG(3, AT_EMPTY_PATH, AT_EMPTY_PATH)),
	ROW(S(STDIO), "statx", ARG(2, AT_EMPTY_PATH, AT_EMPTY_PATH)),
	ROW(S(STDIO), "brk"), ROW(S(STDIO), "munmap"), ROW(S(STDIO), "mremap"),
	ROW(S(STDIO), "madvise"), ROW(S(STDIO), "mincore"), ROW(S(STDIO), "msync"),
	ROW(S(STDIO), "mlock"), ROW(S(STDIO), "mlock2"), ROW(S(STDIO), "munlock"),
	ROW(S(STDIO), "membarrier"),
	/* no PROT_EXEC without prot_exec; a dynamically linked program's
	   loader (implied, never asked for) maps files read+execute: never
	   anonymous or writable code */
	ROW(S(STDIO), "mmap", ARG(2, PROT_EXEC, 0)),
	ROW(S(STDIO) | S(LOADER), "mmap", ARG(2, PROT_WRITE, 0), ARG(3, MAP_ANONYMOUS, 0)),
	ROW(S(STDIO), "mprotect", ARG(2, PROT_EXEC, 0)),
	ROW(S(STDIO), "pkey_mprotect", ARG(2, PROT_EXEC, 0)),
	ROW(S(STDIO), "pkey_alloc"), ROW(S(STDIO), "pkey_free"), /* keys over its own memory */
	ROW(S(STDIO), "unshare", ARG(0, ~0ULL, CLONE_FILES)), /* a descriptor table of its own */
	ROW(S(STDIO), "rt_sigaction"), ROW(S(STDIO), "rt_sigprocmask"),
	ROW(S(STDIO), "rt_sigreturn"), ROW(S(STDIO), "rt_sigsuspend"),
	ROW(S(STDIO), "rt_sigpending"), ROW(S(STDIO), "rt_sigtimedwait"),
	ROW(S(STDIO), "sigaltstack"), ROW(S(STDIO), "pause"), ROW(S(STDIO), "alarm"),
	ROW(S(STDIO), "getitimer"), ROW(S(STDIO), "setitimer"),
	ROW(S(STDIO), "timer_create"), ROW(S(STDIO), "timer_settime"),
	ROW(S(STDIO), "timer_gettime"), ROW(S(STDIO), "timer_getoverrun"),
	ROW(S(STDIO), "timer_delete"),
	ROW(S(STDIO), "timerfd_create"), ROW(S(STDIO), "timerfd_settime"),
	ROW(S(STDIO), "timerfd_gettime"),
	ROW(S(STDIO), "clock_gettime"), ROW(S(STDIO), "clock_getres"),
	ROW(S(STDIO), "clock_nanosleep"), ROW(S(STDIO), "nanosleep"), ROW(S(STDIO), "gettimeofday"),
	ROW(S(STDIO), "time"), ROW(S(STDIO), "times"), ROW(S(STDIO), "getrusage"),
	ROW(S(STDIO), "getpid"), ROW(S(STDIO), "gettid"), ROW(S(STDIO), "getppid"),
	ROW(S(STDIO), "getuid"), ROW(S(STDIO), "geteuid"), ROW(S(STDIO), "getgid"),
	ROW(S(STDIO), "getegid"), ROW(S(STDIO), "getresuid"), ROW(S(STDIO), "getresgid"),
	ROW(S(STDIO), "getgroups"), ROW(S(STDIO), "getpgid"), ROW(S(STDIO), "getpgrp"),
	ROW(S(STDIO), "getsid"), ROW(S(STDIO), "getrlimit"), ROW(S(STDIO), "getpriority"),
	ROW(S(STDIO), "uname"), ROW(S(STDIO), "sysinfo"), ROW(S(STDIO), "umask"),
	ROW(S(STDIO), "getrandom"), ROW(S(STDIO), "getcpu"), ROW(S(STDIO), "sched_yield"),
	ROW(S(STDIO), "sched_getaffinity"), ROW(S(STDIO), "sched_getparam"),
	ROW(S(STDIO), "sched_getscheduler"), ROW(S(STDIO), "sched_get_priority_max"),
	ROW(S(STDIO), "sched_get_priority_min"),
	ROW(S(STDIO), "futex"), ROW(S(STDIO), "futex_waitv"), ROW(S(STDIO), "futex_wake"),
	ROW(S(STDIO), "futex_wait"), ROW(S(STDIO), "futex_requeue"), ROW(S(STDIO), "cachestat"),
	ROW(S(STDIO), "map_shadow_stack"), ROW(S(STDIO), "set_robust_list"),
	ROW(S(STDIO), "get_robust_list"), ROW(S(STDIO), "set_tid_address"), ROW(S(STDIO), "rseq"),
	ROW(S(STDIO), "restart_syscall"),
	ROW(S(STDIO), "arch_prctl"), ROW(S(STDIO), "wait4"), ROW(S(STDIO), "waitid"),
	ROW(S(STDIO), "pipe"), ROW(S(STDIO), "pipe2"), ROW(S(STDIO), "eventfd"),
	ROW(S(STDIO), "eventfd2"), ROW(S(STDIO), "signalfd"), ROW(S(STDIO), "signalfd4"),
	ROW(S(STDIO), "poll"), ROW(S(STDIO), "ppoll"), ROW(S(STDIO), "select"),
	ROW(S(STDIO), "pselect6"), ROW(S(STDIO), "epoll_create"), ROW(S(STDIO), "epoll_create1"),
	ROW(S(STDIO), "epoll_ctl"), ROW(S(STDIO), "epoll_wait"), ROW(S(STDIO), "epoll_pwait"),
	ROW(S(STDIO), "epoll_pwait2"),
	/* signals: without proc the sandbox is this one process, and Landlock
	   scoping keeps signals inside the sandbox, so these reach only itself */
	ROW(S(STDIO), "kill"), ROW(S(STDIO), "tkill"), ROW(S(STDIO), "tgkill"),
	ROW(S(STDIO), "rt_sigqueueinfo"), ROW(S(STDIO), "rt_tgsigqueueinfo"),
	/* sockets it already has: a connected socketpair, or one passed in */
	ROW(S(STDIO), "socketpair", ARG(0, LO32, AF_UNIX)),
	ROW(S(STDIO), "recvfrom"), ROW(S(STDIO), "shutdown"), ROW(S(STDIO), "getsockname"),
	ROW(S(STDIO), "getpeername"),
	ROW(S(STDIO), "sendto", ARG(4, ~0ULL, 0)), /* no address: a connected socket */
	ROW(S(STDIO), "getsockopt", ARG(1, LO32, SOL_SOCKET), ARG(2, LO32, SO_TYPE)),
	ROW(S(STDIO), "getsockopt", ARG(1, LO32, SOL_SOCKET), ARG(2, LO32, SO_ERROR)),
	/* descriptors: only the flag-level fcntls */
	ROW(S(STDIO), "fcntl", ARG(1, LO32, F_DUPFD)), ROW(S(STDIO), "fcntl", ARG(1, LO32, F_GETFD)),
	ROW(S(STDIO), "fcntl", ARG(1, LO32, F_SETFD)), ROW(S(STDIO), "fcntl", ARG(1, LO32, F_GETFL)),
	ROW(S(STDIO), "fcntl", ARG(1, LO32, F_SETFL)),
	ROW(S(STDIO), "fcntl", ARG(1, LO32, F_DUPFD_CLOEXEC)),
	ROW(S(STDIO), "fcntl", ARG(1, LO32, F_GETPIPE_SZ)),
	ROW(S(STDIO), "fcntl", ARG(1, LO32, F_SETPIPE_SZ)),
	ROW(S(STDIO), "fcntl", ARG(1, LO32, F_GET_SEALS)), ROW(S(STDIO), "fcntl", ARG(1, LO32, F_ADD_SEALS)),
	ROW(S(STDIO), "fcntl", ARG(1, LO32, F_GETOWN)), ROW(S(STDIO), "fcntl", ARG(1, LO32, F_GETSIG)),
	/* a seccomp listener of its own (a nested vow's supervisor) */
	ROW(S(STDIO), "ioctl", ARG(1, LO32, SECCOMP_IOCTL_NOTIF_RECV)),
	ROW(S(STDIO), "ioctl", ARG(1, LO32, SECCOMP_IOCTL_NOTIF_SEND)),
	ROW(S(STDIO), "ioctl", ARG(1, LO32, SECCOMP_IOCTL_NOTIF_ID_VALID)),
	ROW(S(STDIO), "ioctl", ARG(1, LO32, FIONREAD)), ROW(S(STDIO), "ioctl", ARG(1, LO32, FIONBIO)),
	ROW(S(STDIO), "ioctl", ARG(1, LO32, FIOCLEX)), ROW(S(STDIO), "ioctl", ARG(1, LO32, FIONCLEX)),
	/* limits may be read, and lowered only with proc or id */
	ROW(S(STDIO), "prlimit64", ARG(2, ~0ULL, 0)),
	/* prctl: naming, reading, and narrowing itself further */
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_SET_NAME)), ROW(S(STDIO), "prctl", ARG(0, LO32, PR_GET_NAME)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_GET_DUMPABLE)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_GET_SECCOMP)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_SET_SECCOMP)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_GET_NO_NEW_PRIVS)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_SET_NO_NEW_PRIVS)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_CAPBSET_READ)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_GET_KEEPCAPS)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_GET_PDEATHSIG)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_SET_PDEATHSIG)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_SET_VMA)),
	/* dropping privileges further (what a nested vow does to itself) */
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_SET_DUMPABLE), ARG(1, ~0ULL, 0)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_CAPBSET_DROP)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_GET_SECUREBITS)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_SET_SECUREBITS)), /* needs CAP_SETPCAP anyway */
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_CAP_AMBIENT), ARG(1, ~0ULL, PR_CAP_AMBIENT_IS_SET)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_CAP_AMBIENT), ARG(1, ~0ULL, PR_CAP_AMBIENT_LOWER)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_CAP_AMBIENT), ARG(1, ~0ULL, PR_CAP_AMBIENT_CLEAR_ALL)),
	ROW(S(STDIO), "prctl", ARG(0, LO32, PR_GET_CHILD_SUBREAPER)),
	ROW(S(STDIO), "capset"), /* with no capability left, it can only lower */
	ROW(S(STDIO), "capget"), ROW(S(STDIO), "seccomp"), ROW(S(STDIO), "landlock_create_ruleset"),
	ROW(S(STDIO), "landlock_add_rule"), ROW(S(STDIO), "landlock_restrict_self"),

	/* rpath: reading by path */
	ROW(S(RPATH), "chdir"), ROW(S(RPATH), "getcwd"), ROW(S(RPATH), "stat"), ROW(S(RPATH), "lstat"),
	ROW(S(RPATH), "newfstatat"), ROW(S(RPATH), "statx"), ROW(S(RPATH), "access"),
	ROW(S(RPATH), "faccessat"), ROW(S(RPATH), "faccessat2"), ROW(S(RPATH), "readlink"),
	ROW(S(RPATH), "readlinkat"), ROW(S(RPATH), "statfs"), ROW(S(RPATH), "getdents64"),
	ROW(S(RPATH), "getxattr"), ROW(S(RPATH), "lgetxattr"), ROW(S(RPATH), "fgetxattr"),
	ROW(S(RPATH), "listxattr"), ROW(S(RPATH), "llistxattr"), ROW(S(RPATH), "flistxattr"),
	ROW(S(RPATH), "inotify_init1"), ROW(S(RPATH), "inotify_add_watch"),
	ROW(S(RPATH), "inotify_rm_watch"),
	/* open and openat: rows generated from their flags, see open_needs() */

	/* wpath: writing by path, never creating */
	ROW(S(WPATH), "getcwd"), ROW(S(WPATH), "truncate"),
	/* cpath: creating and removing names */
	ROW(S(CPATH), "mkdir"), ROW(S(CPATH), "mkdirat"), ROW(S(CPATH), "rmdir"),
	ROW(S(CPATH), "unlink"), ROW(S(CPATH), "unlinkat"), ROW(S(CPATH), "rename"),
	ROW(S(CPATH), "renameat"), ROW(S(CPATH), "renameat2"), ROW(S(CPATH), "link"),
	ROW(S(CPATH), "linkat"), ROW(S(CPATH), "symlink"), ROW(S(CPATH), "symlinkat"),
	ROW(S(CPATH) | S(WPATH), "creat", ARG(1, 07000, 0)),
	/* dpath: named pipes (regular files are cpath's, devices never) */
	ROW(S(DPATH), "mknod", ARG(1, S_IFMT | 07000, S_IFIFO)),
	ROW(S(DPATH), "mknodat", ARG(2, S_IFMT | 07000, S_IFIFO)),
	/* fattr: modes and times, never the set-id or sticky bits */
	ROW(S(FATTR), "chmod", ARG(1, 07000, 0)), ROW(S(FATTR), "fchmod", ARG(1, 07000, 0)),
	ROW(S(FATTR), "fchmodat", ARG(2, 07000, 0)), ROW(S(FATTR), "fchmodat2", ARG(2, 07000, 0)),
	ROW(S(FATTR), "utime"),
	ROW(S(FATTR), "utimes"), ROW(S(FATTR), "futimesat"), ROW(S(FATTR), "utimensat"),
	ROW(S(FATTR), "setxattr"), ROW(S(FATTR), "lsetxattr"), ROW(S(FATTR), "fsetxattr"),
	ROW(S(FATTR), "removexattr"), ROW(S(FATTR), "lremovexattr"), ROW(S(FATTR), "fremovexattr"),
	ROW(S(CHOWN), "chown"), ROW(S(CHOWN), "fchown"), ROW(S(CHOWN), "lchown"),
	ROW(S(CHOWN), "fchownat"),
	ROW(S(FLOCK), "flock"), ROW(S(FLOCK), "fcntl", ARG(1, LO32, F_GETLK)),
	ROW(S(FLOCK), "fcntl", ARG(1, LO32, F_SETLK)), ROW(S(FLOCK), "fcntl", ARG(1, LO32, F_SETLKW)),
	ROW(S(FLOCK), "fcntl", ARG(1, LO32, F_OFD_GETLK)),
	ROW(S(FLOCK), "fcntl", ARG(1, LO32, F_OFD_SETLK)),
	ROW(S(FLOCK), "fcntl", ARG(1, LO32, F_OFD_SETLKW)),

	/* tty: terminal control; TIOCSTI and TIOCLINUX never */
	ROW(S(TTY), "ioctl", ARG(1, LO32, TCGETS)), ROW(S(TTY), "ioctl", ARG(1, LO32, TCSETS)),
	ROW(S(TTY), "ioctl", ARG(1, LO32, TCSETSW)), ROW(S(TTY), "ioctl", ARG(1, LO32, TCSETSF)),
	ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCGWINSZ)), ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCSWINSZ)),
	ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCGPGRP)), ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCSPGRP)),
	ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCGSID)), ROW(S(TTY), "ioctl", ARG(1, LO32, TCFLSH)),
	ROW(S(TTY), "ioctl", ARG(1, LO32, TCXONC)), ROW(S(TTY), "ioctl", ARG(1, LO32, TCSBRK)),
	ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCSBRK)), ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCCBRK)),
	ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCGPTN)), ROW(S(TTY), "ioctl", ARG(1, LO32, TIOCSPTLCK)),

	/* sockets: socket() rows come from socket_table below */
	ROW(S(INET), "bind"), ROW(S(INET), "listen"), ROW(S(INET), "connect"),
	ROW(S(INET), "accept"), ROW(S(INET), "accept4"), ROW(S(INET), "sendto"),
	ROW(S(INET), "sendmsg"), ROW(S(INET), "recvmsg"), ROW(S(INET), "sendmmsg"),
	ROW(S(INET), "recvmmsg"),
	/* socket options: by level and name, the everyday ones; reading any is fine */
	SOCKET_LEVEL(INET), SOCKET_BROADCAST(INET),
	SOCKOPT(INET, IPPROTO_TCP, TCP_NODELAY), SOCKOPT(INET, IPPROTO_TCP, TCP_MAXSEG),
	SOCKOPT(INET, IPPROTO_TCP, TCP_CORK), SOCKOPT(INET, IPPROTO_TCP, TCP_KEEPIDLE),
	SOCKOPT(INET, IPPROTO_TCP, TCP_KEEPINTVL), SOCKOPT(INET, IPPROTO_TCP, TCP_KEEPCNT),
	SOCKOPT(INET, IPPROTO_TCP, TCP_SYNCNT), SOCKOPT(INET, IPPROTO_TCP, TCP_LINGER2),
	SOCKOPT(INET, IPPROTO_TCP, TCP_DEFER_ACCEPT), SOCKOPT(INET, IPPROTO_TCP, TCP_WINDOW_CLAMP),
	SOCKOPT(INET, IPPROTO_TCP, TCP_QUICKACK), SOCKOPT(INET, IPPROTO_TCP, TCP_CONGESTION),
	SOCKOPT(INET, IPPROTO_TCP, TCP_USER_TIMEOUT), SOCKOPT(INET, IPPROTO_TCP, TCP_FASTOPEN),
	SOCKOPT(INET, IPPROTO_TCP, TCP_NOTSENT_LOWAT), SOCKOPT(INET, IPPROTO_TCP, TCP_FASTOPEN_CONNECT),
	SOCKOPT(INET, IPPROTO_IP, IP_TOS), SOCKOPT(INET, IPPROTO_IP, IP_TTL),
	SOCKOPT(INET, IPPROTO_IP, IP_RECVERR), SOCKOPT(INET, IPPROTO_IP, IP_MTU_DISCOVER),
	SOCKOPT(INET, IPPROTO_IP, IP_PKTINFO), SOCKOPT(INET, IPPROTO_IP, IP_RECVTOS),
	SOCKOPT(INET, IPPROTO_IP, IP_RECVTTL), SOCKOPT(INET, IPPROTO_IP, IP_FREEBIND),
	SOCKOPT(INET, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT),
	SOCKOPT(INET, IPPROTO_IPV6, IPV6_V6ONLY), SOCKOPT(INET, IPPROTO_IPV6, IPV6_RECVERR),
	SOCKOPT(INET, IPPROTO_IPV6, IPV6_TCLASS), SOCKOPT(INET, IPPROTO_IPV6, IPV6_UNICAST_HOPS),
	SOCKOPT(INET, IPPROTO_IPV6, IPV6_RECVPKTINFO), SOCKOPT(INET, IPPROTO_IPV6, IPV6_MTU_DISCOVER),
	ROW(S(INET), "getsockopt"), ROW(S(INET), "ioctl", ARG(1, LO32, SIOCATMARK)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IP), ARG(2, LO32, IP_ADD_MEMBERSHIP)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IP), ARG(2, LO32, IP_DROP_MEMBERSHIP)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IP), ARG(2, LO32, IP_MULTICAST_IF)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IP), ARG(2, LO32, IP_MULTICAST_TTL)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IP), ARG(2, LO32, IP_MULTICAST_LOOP)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IPV6), ARG(2, LO32, IPV6_JOIN_GROUP)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IPV6), ARG(2, LO32, IPV6_LEAVE_GROUP)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IPV6), ARG(2, LO32, IPV6_MULTICAST_IF)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IPV6), ARG(2, LO32, IPV6_MULTICAST_HOPS)),
	ROW(S(INET) | S(MCAST), "setsockopt", ARG(1, LO32, IPPROTO_IPV6), ARG(2, LO32, IPV6_MULTICAST_LOOP)),
	ROW(S(UNIX), "bind"), ROW(S(UNIX), "listen"), ROW(S(UNIX), "connect"), ROW(S(UNIX), "accept"),
	ROW(S(UNIX), "accept4"), ROW(S(UNIX), "sendto"), ROW(S(UNIX), "sendmsg"),
	ROW(S(UNIX), "recvmsg"), ROW(S(UNIX), "getsockopt", ARG(1, LO32, SOL_SOCKET)),
	SOCKET_LEVEL(UNIX), SOCKOPT(UNIX, SOL_SOCKET, SO_PASSCRED),
	/* the resolver: connect, send and receive on the sockets dns makes */
	ROW(S(DNS), "connect"), ROW(S(DNS), "sendto"), ROW(S(DNS), "sendmsg"),
	ROW(S(DNS), "sendmmsg"), ROW(S(DNS), "recvmsg"),
	SOCKET_LEVEL(DNS), SOCKOPT(DNS, IPPROTO_IP, IP_RECVERR),
	SOCKOPT(DNS, IPPROTO_IPV6, IPV6_RECVERR), SOCKOPT(DNS, IPPROTO_IPV6, IPV6_V6ONLY),
	ROW(S(DNS), "getsockopt", ARG(1, LO32, SOL_SOCKET)),
	ROW(S(SENDFD), "sendmsg"), ROW(S(SENDFD), "sendmmsg"),
	ROW(S(RECVFD), "recvmsg"), ROW(S(RECVFD), "recvmmsg"),

	/* thread: clone with CLONE_THREAD (namespace flags are refused first) */
	ROW(S(THREAD), "clone",
	    ARG(0, CLONE_THREAD | CLONE_VM | CLONE_NS, CLONE_THREAD | CLONE_VM)),
	/* proc: processes, their signals and priorities */
	ROW(S(PROC), "fork"), ROW(S(PROC), "vfork"), ROW(S(PROC), "clone", ARG(0, CLONE_THREAD | CLONE_NS, 0)),
	ROW(S(PROC), "setsid"), ROW(S(PROC), "setpgid"), ROW(S(PROC), "setpriority"),
	ROW(S(PROC), "sched_setaffinity"), ROW(S(PROC), "sched_setparam"),
	ROW(S(PROC), "sched_setscheduler"), ROW(S(PROC), "prlimit64"), ROW(S(PROC), "setrlimit"),
	ROW(S(PROC), "ioprio_get"), ROW(S(PROC), "ioprio_set"), ROW(S(PROC), "pidfd_open"),
	ROW(S(PROC), "pidfd_send_signal"),
	ROW(S(PROC), "prctl", ARG(0, LO32, PR_SET_CHILD_SUBREAPER)),
	ROW(S(PROC), "fcntl", ARG(1, LO32, F_SETOWN)), ROW(S(PROC), "fcntl", ARG(1, LO32, F_SETSIG)),
	/* exec: see the supervisor, which lets the payload's own start through */
	ROW(S(EXEC), "execve"), ROW(S(EXEC), "execveat"),
	/* prot_exec: executable memory */
	ROW(S(PROT_EXEC), "mmap"), ROW(S(PROT_EXEC), "mprotect"), ROW(S(PROT_EXEC), "pkey_mprotect"),
	ROW(S(PROT_EXEC), "memfd_create"), /* code written to memory, then mapped */
	/* id: credentials and limits (the kernel still wants the capabilities) */
	ROW(S(ID), "setuid"), ROW(S(ID), "setgid"), ROW(S(ID), "setreuid"), ROW(S(ID), "setregid"),
	ROW(S(ID), "setresuid"), ROW(S(ID), "setresgid"), ROW(S(ID), "setgroups"),
	ROW(S(ID), "setfsuid"), ROW(S(ID), "setfsgid"), ROW(S(ID), "prlimit64"),
	ROW(S(ID), "setrlimit"), ROW(S(ID), "setpriority"),
	/* settime: the clock (CAP_SYS_TIME still needed) */
	ROW(S(SETTIME), "clock_settime"), ROW(S(SETTIME), "settimeofday"),
	ROW(S(SETTIME), "adjtimex"), ROW(S(SETTIME), "clock_adjtime"),
};
const struct row *promise_rows = table;

/* Calls refused without a report when a promise is missing: isatty(3)
   asks every program's stdout, and "not a terminal" is the honest answer
   for a payload without tty. */
const struct quiet quiet_table[] = {
	{NONE, S(TTY), "ioctl", ENOTTY, {ARG(1, LO32, TCGETS)}},
	{NONE, S(TTY), "ioctl", ENOTTY, {ARG(1, LO32, TIOCGWINSZ)}},
	/* glibc asks nscd and systemd-userdb over unix sockets before it reads
	   /etc/passwd: with getpw and without unix, "no daemon here" quietly */
	{S(GETPW), S(UNIX), "socket", EACCES,
	 {ARG(0, LO32, AF_UNIX), ARG(1, LO32, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK)}},
};
const size_t nquiet = sizeof quiet_table / sizeof *quiet_table;
const size_t npromise_rows = sizeof table / sizeof *table;

/* socket(domain, type, protocol): who may make which.  The type's
   SOCK_NONBLOCK and SOCK_CLOEXEC bits are free. */
const struct socket_kind socket_table[] = {
	{S(INET), AF_INET, SOCK_STREAM, 0}, {S(INET), AF_INET, SOCK_STREAM, IPPROTO_TCP},
	{S(INET), AF_INET, SOCK_DGRAM, 0}, {S(INET), AF_INET, SOCK_DGRAM, IPPROTO_UDP},
	{S(INET), AF_INET6, SOCK_STREAM, 0}, {S(INET), AF_INET6, SOCK_STREAM, IPPROTO_TCP},
	{S(INET), AF_INET6, SOCK_DGRAM, 0}, {S(INET), AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
	{S(DNS), AF_INET, SOCK_DGRAM, 0}, {S(DNS), AF_INET, SOCK_DGRAM, IPPROTO_UDP},
	{S(DNS), AF_INET6, SOCK_DGRAM, 0}, {S(DNS), AF_INET6, SOCK_DGRAM, IPPROTO_UDP},
	{S(UNIX), AF_UNIX, SOCK_STREAM, 0}, {S(UNIX), AF_UNIX, SOCK_DGRAM, 0},
	{S(UNIX), AF_UNIX, SOCK_SEQPACKET, 0},
};
const size_t nsocket_kinds = sizeof socket_table / sizeof *socket_table;

/* The promises an open with FLAGS needs: read access rpath, write access
   or O_TRUNC wpath, O_CREAT or O_TMPFILE cpath (and, being a write, wpath:
   cpath alone must not open an existing file for writing). */
promises_t open_needs(uint64_t flags)
{
	promises_t needs = 0;
	int acc = flags & O_ACCMODE;
	if (acc == O_RDONLY || acc == O_RDWR || acc == O_ACCMODE)
		needs |= S(RPATH);
	if (acc != O_RDONLY || (flags & O_TRUNC))
		needs |= S(WPATH);
	if (flags & (O_CREAT | TMPFILE_BIT))
		needs |= S(CPATH) | S(WPATH);
	return needs;
}

/* open-like syscalls: name, flags argument, mode argument */
const struct open_call open_calls[] = {{"open", 1, 2}, {"openat", 2, 3}};
const size_t nopen_calls = sizeof open_calls / sizeof *open_calls;
const uint64_t open_mask = OPEN_MASK;

/* `vow show --promises`: the table for people, promise by promise. */
void promises_print(FILE *f)
{
	fprintf(f, "Promises (vow -p 'stdio rpath', vow.promise): each allows the syscalls\n"
	           "listed, some only with the arguments shown as [argN&mask=value].\n"
	           "A row marked with + needs the other promises named too; +loader rows are\n"
	           "given, never asked for, to dynamically linked programs (with rpath).\n"
	           "\nalways: exit exit_group (the empty promise set, -p '', allows only these)\n");
	for (size_t i = 0; i < npromise_names; i++) {
		int b = promise_names[i].bit;
		if (promises_need_paths & (1u << b)) {
			fprintf(f, "\n%s: %s (only with path rules: opens read-only%s, Landlock keeps it "
			           "to its files)\n",
			        promise_names[i].name, promise_names[i].what,
			        b == P_TMPPATH ? ", writes and creates in a private directory" : "");
			for (size_t k = 0; k < npromise_files; k++)
				if (promise_files[k].bit == b)
					fprintf(f, "  %s %s\n", promise_files[k].perms, promise_files[k].path);
			continue;
		}
		fprintf(f, "\n%s: %s\n ", promise_names[i].name, promise_names[i].what);
		int col = 1;
		char item[160];
		/* the rows, then open's flag classes, then socket kinds */
		static const struct {
			int bit;
			const char *text;
		} opens[] = {{P_RPATH, " open/openat(O_RDONLY, O_RDWR+wpath)"},
		             {P_WPATH, " open/openat(O_WRONLY, O_RDWR+rpath, O_TRUNC)"},
		             {P_CPATH, " open/openat(O_CREAT, O_TMPFILE, no set-id modes)+wpath"}};
		size_t nitems = npromise_rows + 3 + nsocket_kinds;
		for (size_t r = 0; r < nitems; r++) {
			int n = 0;
			if (r < npromise_rows) {
				const struct row *row = &promise_rows[r];
				if (!(row->needs & (1u << b)))
					continue;
				n = snprintf(item, sizeof item, " %s", row->syscall);
				for (int c = 0; c < 3 && row->cond[c].arg; c++) {
					const struct cond *k = &row->cond[c];
					if (k->mask == 0xffffffffULL || k->mask == ~0ULL)
						n += snprintf(item + n, sizeof item - n, "[arg%d=%#llx]", k->arg - 1,
						              (unsigned long long)k->value);
					else
						n += snprintf(item + n, sizeof item - n, "[arg%d&%#llo=%#llo]", k->arg - 1,
						              (unsigned long long)k->mask, (unsigned long long)k->value);
				}
				for (int o = 0; o < NPROMISES; o++)
					if (o != b && row->needs & (1u << o))
						n += snprintf(item + n, sizeof item - n, "+%s", promise_name(o));
			} else if (r < npromise_rows + 3) {
				if (opens[r - npromise_rows].bit != b)
					continue;
				n = snprintf(item, sizeof item, "%s", opens[r - npromise_rows].text);
			} else {
				const struct socket_kind *k = &socket_table[r - npromise_rows - 3];
				if (!(k->needs & (1u << b)))
					continue;
				n = snprintf(item, sizeof item, " socket(%d,%d,%d)", k->domain, k->type, k->protocol);
			}
			if (col + n > 78) {
				fprintf(f, "\n ");
				col = 1;
			}
			fputs(item, f);
			col += n;
		}
		fputc('\n', f);
	}
	fprintf(f, "\nNever allowed, whatever the promises: ptrace, bpf, io_uring, userfaultfd,\n"
	           "perf_event_open, keyrings, mounts, namespaces, module and kexec calls,\n"
	           "file handles, TIOCSTI/TIOCLINUX, personality changes, i386 and x32 calls.\n"
	           "clone3 and openat2 return ENOSYS so that libc uses clone and openat.\n");
}
