/* report.c: what a refused syscall needed, and the one place that says so.
 *
 *   vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"
 *   vow: denied ptrace(PTRACE_ATTACH, 1234): never allowed
 *   vow: denied openat("/etc/passwd", O_WRONLY) in pid 4321: needs promise "wpath"
 *
 * The promise table decides: a call's needs are those of the row it would
 * have matched with the fewest promises missing.  Reports are rate-limited
 * (a burst, then a few a second) and the rest counted for a summary. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/ptrace.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "promises.h"
#include "report.h"
#include "vow.h"

#define NEVER REPORT_NEVER

static int popcount(promises_t x)
{
	return __builtin_popcount(x);
}

static bool holds(const struct cond *c, const uint64_t *args)
{
	for (int i = 0; i < 3 && c[i].arg; i++)
		if ((args[c[i].arg - 1] & c[i].mask) != c[i].value)
			return false;
	return true;
}

/* How many rows a promise set appears in: the fewer, the narrower it is,
   and the narrowest is what a report names first. */
static int breadth(promises_t needs)
{
	int n = 0;
	for (size_t i = 0; i < npromise_rows; i++)
		if (promise_rows[i].needs & needs)
			n++;
	return n;
}

struct candidates {
	promises_t set[16];
	int specific[16]; /* conditions the matching row checked: more is a closer fit */
	int n;
};

static void add(struct candidates *c, promises_t needs, int specific)
{
	for (int i = 0; i < c->n; i++)
		if (c->set[i] == needs) {
			if (specific > c->specific[i])
				c->specific[i] = specific;
			return;
		}
	if (c->n < 16) {
		c->specific[c->n] = specific;
		c->set[c->n++] = needs;
	}
}

static int nconds(const struct cond *k)
{
	int n = 0;
	while (n < 3 && k[n].arg)
		n++;
	return n;
}

/* Every promise set that would allow NAME(ARGS). */
static void candidates(const char *name, const uint64_t *args, struct candidates *c)
{
	c->n = 0;
	for (size_t i = 0; i < npromise_rows; i++)
		if (!strcmp(promise_rows[i].syscall, name) && holds(promise_rows[i].cond, args))
			add(c, promise_rows[i].needs, nconds(promise_rows[i].cond));
	for (size_t i = 0; i < nopen_calls; i++)
		if (!strcmp(open_calls[i].syscall, name)) {
			uint64_t f = args[open_calls[i].flags_arg];
			bool creat = f & (O_CREAT | TMPFILE_BIT);
			if (!creat || !(args[open_calls[i].mode_arg] & 07000))
				add(c, open_needs(f), 1);
		}
	if (!strcmp(name, "socket"))
		for (size_t i = 0; i < nsocket_kinds; i++) {
			const struct socket_kind *k = &socket_table[i];
			if ((uint32_t)args[0] == (uint32_t)k->domain &&
			    ((uint32_t)args[1] & ~(uint32_t)(SOCK_NONBLOCK | SOCK_CLOEXEC)) == (uint32_t)k->type &&
			    (uint32_t)args[2] == (uint32_t)k->protocol)
				add(c, k->needs, 3);
		}
}

/* Order: fewest promises missing from HAVE, then the row that checked the
   call most closely, then the narrowest promise. */
static bool better(const struct candidates *c, int a, int b, promises_t have)
{
	int ma = popcount(c->set[a] & ~have), mb = popcount(c->set[b] & ~have);
	if (ma != mb)
		return ma < mb;
	if (c->specific[a] != c->specific[b])
		return c->specific[a] > c->specific[b];
	return breadth(c->set[a]) < breadth(c->set[b]);
}

/* What the call NAME(ARGS) needs, given HAVE; NEVER if no promise allows
   it.  The report names the others that would do as well. */
promises_t call_needs(const char *name, const uint64_t *args, promises_t have)
{
	struct candidates c;
	candidates(name, args, &c);
	int best = -1;
	for (int i = 0; i < c.n; i++)
		if (best < 0 || better(&c, i, best, have))
			best = i;
	return best < 0 ? NEVER : c.set[best];
}

/* ---- decoding a few arguments for people ---- */

struct name {
	unsigned long value;
	const char *name;
};
static const struct name families[] = {
	{AF_UNIX, "AF_UNIX"}, {AF_INET, "AF_INET"}, {AF_INET6, "AF_INET6"},
	{AF_NETLINK, "AF_NETLINK"}, {AF_PACKET, "AF_PACKET"}, {0, NULL}};
static const struct name socktypes[] = {
	{SOCK_STREAM, "SOCK_STREAM"}, {SOCK_DGRAM, "SOCK_DGRAM"}, {SOCK_RAW, "SOCK_RAW"},
	{SOCK_SEQPACKET, "SOCK_SEQPACKET"}, {0, NULL}};
static const struct name ioctls[] = {
	{TIOCSTI, "TIOCSTI"}, {TIOCLINUX, "TIOCLINUX"}, {TCGETS, "TCGETS"}, {TCSETS, "TCSETS"},
	{TCSETSW, "TCSETSW"}, {TCSETSF, "TCSETSF"}, {TIOCGWINSZ, "TIOCGWINSZ"},
	{TIOCSWINSZ, "TIOCSWINSZ"}, {TIOCSPGRP, "TIOCSPGRP"}, {TIOCGPGRP, "TIOCGPGRP"},
	{FIONREAD, "FIONREAD"}, {FIONBIO, "FIONBIO"}, {FIOCLEX, "FIOCLEX"}, {FIONCLEX, "FIONCLEX"},
	{TIOCSCTTY, "TIOCSCTTY"}, {0, NULL}};
static const struct name fcntls[] = {
	{F_GETLK, "F_GETLK"}, {F_SETLK, "F_SETLK"}, {F_SETLKW, "F_SETLKW"},
	{F_OFD_GETLK, "F_OFD_GETLK"}, {F_OFD_SETLK, "F_OFD_SETLK"}, {F_OFD_SETLKW, "F_OFD_SETLKW"},
	{F_SETOWN, "F_SETOWN"}, {F_SETSIG, "F_SETSIG"}, {F_SETLEASE, "F_SETLEASE"},
	{F_NOTIFY, "F_NOTIFY"}, {F_ADD_SEALS, "F_ADD_SEALS"}, {0, NULL}};
static const struct name ptraces[] = {
	{PTRACE_TRACEME, "PTRACE_TRACEME"}, {PTRACE_ATTACH, "PTRACE_ATTACH"},
	{PTRACE_SEIZE, "PTRACE_SEIZE"}, {PTRACE_PEEKDATA, "PTRACE_PEEKDATA"},
	{PTRACE_POKEDATA, "PTRACE_POKEDATA"}, {0, NULL}};

static const char *lookup(const struct name *t, unsigned long v, char *buf, size_t len)
{
	for (; t->name; t++)
		if (t->value == v)
			return t->name;
	snprintf(buf, len, "%#lx", v);
	return buf;
}

/* Path syscalls: where their names are, and what each asks of Landlock.
   The first name is the one a report shows. */
#define P1(name, path, dirfd, op) {name, path, dirfd, op, -1, -1, PATH_LOOK}
#define P2(name, path, dirfd, op, path2, dirfd2, op2) {name, path, dirfd, op, path2, dirfd2, op2}
const struct path_call path_calls[] = {
	P1("open", 0, -1, PATH_OPEN), P1("openat", 1, 0, PATH_OPEN), P1("creat", 0, -1, PATH_OPEN),
	P1("execve", 0, -1, PATH_EXEC), P1("execveat", 1, 0, PATH_EXEC),
	P1("stat", 0, -1, PATH_LOOK), P1("lstat", 0, -1, PATH_LOOK), P1("newfstatat", 1, 0, PATH_LOOK),
	P1("statx", 1, 0, PATH_LOOK), P1("access", 0, -1, PATH_LOOK), P1("faccessat", 1, 0, PATH_LOOK),
	P1("faccessat2", 1, 0, PATH_LOOK), P1("readlink", 0, -1, PATH_LOOK),
	P1("readlinkat", 1, 0, PATH_LOOK), P1("chdir", 0, -1, PATH_LOOK),
	P1("mkdir", 0, -1, PATH_MAKE), P1("mkdirat", 1, 0, PATH_MAKE), P1("mknod", 0, -1, PATH_MAKE),
	P1("mknodat", 1, 0, PATH_MAKE), P1("symlink", 1, -1, PATH_MAKE), P1("symlinkat", 2, 1, PATH_MAKE),
	P2("link", 0, -1, PATH_LOOK, 1, -1, PATH_MAKE), P2("linkat", 1, 0, PATH_LOOK, 3, 2, PATH_MAKE),
	P1("rmdir", 0, -1, PATH_REMOVE), P1("unlink", 0, -1, PATH_REMOVE), P1("unlinkat", 1, 0, PATH_REMOVE),
	P2("rename", 0, -1, PATH_REMOVE, 1, -1, PATH_MAKE),
	P2("renameat", 1, 0, PATH_REMOVE, 3, 2, PATH_MAKE),
	P2("renameat2", 1, 0, PATH_REMOVE, 3, 2, PATH_MAKE),
	P1("truncate", 0, -1, PATH_WRITE),
	P1("chmod", 0, -1, PATH_LOOK), P1("fchmodat", 1, 0, PATH_LOOK), P1("chown", 0, -1, PATH_LOOK),
	P1("lchown", 0, -1, PATH_LOOK), P1("fchownat", 1, 0, PATH_LOOK), P1("utimensat", 1, 0, PATH_LOOK),
	P1("statfs", 0, -1, PATH_LOOK), P1("chroot", 0, -1, PATH_LOOK), P1("mount", 1, -1, PATH_LOOK),
	P1("umount2", 0, -1, PATH_LOOK), P1("pivot_root", 0, -1, PATH_LOOK), P1("acct", 0, -1, PATH_LOOK),
	P1("swapon", 0, -1, PATH_LOOK), P1("getxattr", 0, -1, PATH_LOOK), P1("setxattr", 0, -1, PATH_LOOK),
	P1("inotify_add_watch", 1, -1, PATH_LOOK),
};
#undef P1
#undef P2
const size_t npath_calls = sizeof path_calls / sizeof *path_calls;

/* Read a NUL-terminated string from the payload, a page at a time. */
void report_read_path(pid_t pid, uint64_t addr, char *out, size_t len)
{
	size_t got = 0;
	out[0] = 0;
	while (got < len - 1) {
		size_t room = 4096 - ((addr + got) & 4095);
		if (room > len - 1 - got)
			room = len - 1 - got;
		struct iovec local = {out + got, room}, remote = {(void *)(uintptr_t)(addr + got), room};
		ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			break;
		if (memchr(out + got, 0, n))
			return;
		got += n;
	}
	out[got] = 0;
	if (!got)
		snprintf(out, len, "%s", addr ? "?" : "NULL");
}

/* "name(decoded arguments)" */
static void describe(const char *name, const uint64_t *a, pid_t pid, char *buf, size_t len)
{
	char x[32], y[32], path[256];
	for (size_t i = 0; i < npath_calls; i++)
		if (!strcmp(name, path_calls[i].name)) {
			report_read_path(pid, a[path_calls[i].path], path, sizeof path);
			if (!strcmp(name, "open") || !strcmp(name, "openat")) {
				uint64_t f = a[!strcmp(name, "open") ? 1 : 2];
				static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
				snprintf(buf, len, "%s(\"%s\", %s%s%s%s)", name, path, acc[f & 3],
				         f & O_CREAT ? "|O_CREAT" : "", f & O_TRUNC ? "|O_TRUNC" : "",
				         (f & TMPFILE_BIT) == TMPFILE_BIT ? "|O_TMPFILE" : "");
			} else
				snprintf(buf, len, "%s(\"%s\")", name, path);
			return;
		}
	if (!strcmp(name, "socket"))
		snprintf(buf, len, "%s(%s, %s)", name, lookup(families, (uint32_t)a[0], x, sizeof x),
		         lookup(socktypes, (uint32_t)a[1] & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), y, sizeof y));
	else if (!strcmp(name, "ioctl"))
		snprintf(buf, len, "%s(%d, %s)", name, (int)a[0], lookup(ioctls, (uint32_t)a[1], x, sizeof x));
	else if (!strcmp(name, "fcntl"))
		snprintf(buf, len, "%s(%d, %s)", name, (int)a[0], lookup(fcntls, (uint32_t)a[1], x, sizeof x));
	else if (!strcmp(name, "ptrace"))
		snprintf(buf, len, "%s(%s, %d)", name, lookup(ptraces, a[0], x, sizeof x), (int)a[1]);
	else if (!strcmp(name, "kill") || !strcmp(name, "tkill"))
		snprintf(buf, len, "%s(%d, %d)", name, (int)a[0], (int)a[1]);
	else if (!strcmp(name, "clone") || !strcmp(name, "unshare"))
		snprintf(buf, len, "%s(%#llx)", name, (unsigned long long)a[0]);
	else if (!strcmp(name, "mmap") || !strcmp(name, "mprotect"))
		snprintf(buf, len, "%s(PROT_%s%s%s)", name, a[2] & PROT_READ ? "READ" : "NONE",
		         a[2] & PROT_WRITE ? "|PROT_WRITE" : "", a[2] & PROT_EXEC ? "|PROT_EXEC" : "");
	else if (!strcmp(name, "prctl") || !strcmp(name, "personality"))
		snprintf(buf, len, "%s(%#llx)", name, (unsigned long long)a[0]);
	else
		snprintf(buf, len, "%s()", name);
}

/* The syscall's name (malloc'd), or NULL when it has none here. */
char *report_syscall_name(int nr)
{
	return seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
}

/* "name(decoded arguments)" for call NR named NAME (or NULL). */
void report_describe(const char *name, int nr, const uint64_t *args, pid_t pid, char *buf, size_t len)
{
	char fallback[32];
	if (!name)
		snprintf(fallback, sizeof fallback, "syscall_%d", nr);
	describe(name ? name : fallback, args, pid, buf, len);
}

/* ---- the report ---- */

static struct {
	double tokens, last;
	unsigned long suppressed, total;
} rate = {REPORT_BURST, 0, 0, 0};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* "\"a b\"": the promise names in SET */
static int quote(promises_t set, char *buf, size_t len)
{
	int n = 0, at = snprintf(buf, len, "\"");
	for (int b = 0; b < NPROMISES; b++)
		if (set & (1u << b))
			at += snprintf(buf + at, len - at, "%s%s", n++ ? " " : "", promise_name(b));
	return at + snprintf(buf + at, len - at, "\"");
}

/* The one function that reports a refusal.  NEEDS is what call_needs()
   found (NEVER: no promise allows it). */
void report_denial(int nr, const uint64_t *args, pid_t pid, bool show_pid, promises_t needs,
                   promises_t have, const char *reason)
{
	rate.total++;
	double t = now();
	rate.tokens += (t - rate.last) * REPORT_RATE;
	rate.last = t;
	if (rate.tokens > REPORT_BURST)
		rate.tokens = REPORT_BURST;
	if (rate.tokens < 1) {
		rate.suppressed++;
		return;
	}
	rate.tokens--;

	char *name = report_syscall_name(nr);
	char call[400], who[32] = "", why[200];
	report_describe(name, nr, args, pid, call, sizeof call);
	if (show_pid)
		snprintf(who, sizeof who, " in pid %d", pid);
	if (reason)
		snprintf(why, sizeof why, "%s", reason);
	else if (needs == NEVER)
		snprintf(why, sizeof why, "never allowed");
	else {
		int at = snprintf(why, sizeof why, "needs promise%s ",
		                  popcount(needs & ~have) > 1 ? "s" : "");
		at += quote(needs & ~have, why + at, sizeof why - at);
		/* the others that would do as well, narrowest first */
		struct candidates c;
		candidates(name ? name : "", args, &c); /* no name: no row */
		int others = 0;
		for (int round = 0; round < c.n; round++) {
			int pick = -1;
			for (int i = 0; i < c.n; i++)
				if (c.set[i] != needs && popcount(c.set[i] & ~have) == popcount(needs & ~have) &&
				    (pick < 0 || better(&c, i, pick, have)))
					pick = i;
			if (pick < 0)
				break;
			at += snprintf(why + at, sizeof why - at, others++ ? ", " : " (or ");
			at += quote(c.set[pick] & ~have, why + at, sizeof why - at);
			c.set[pick] = needs; /* used */
		}
		if (others)
			snprintf(why + at, sizeof why - at, ")");
	}
	warnx("denied %s%s: %s", call, who, why);
	free(name);
}

/* At exit: what the rate limit kept quiet. */
void report_summary(void)
{
	if (rate.suppressed)
		warnx("%lu more denied calls were not reported (%lu in all)", rate.suppressed, rate.total);
}
