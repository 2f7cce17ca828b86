/* learn.c: vow learn, a run observed so that its policy can be written.
 *
 *   vow learn [-o FILE] [--exact] [-T SECS] [-q] [--] COMMAND [ARG...]
 *
 * The command runs with the promise stdio given and everything else sent
 * to the supervisor as a seccomp notification: the calls that need another
 * promise or touch a path.  Each one is noted (the promise table, read in
 * reverse, names its promise; its path is read from the caller's memory
 * and resolved against its working directory or directory descriptor;
 * connect and bind give their TCP port) and then let through unchanged.
 * The baseline stays refused, and is noted as such.  Nothing else is
 * restricted: no path rules, no port rules; hot calls (read, write, mmap
 * of anonymous memory, futex ...) are stdio's and never reach the
 * supervisor.  New processes and threads are allowed by the filter, and
 * counted when they first make a noted call.  At the end, learn.lua
 * (policy-lib) turns the notes into a policy for a person to review.
 *
 *   vow explain [POLICY OPTIONS] [--] COMMAND [ARG...]
 *
 * The same run and the same notes, compared at the end with the policy
 * the options name (as `vow` would apply it): every call and path that
 * policy would refuse, grouped and counted, each with the promise, path
 * rule or port that would allow it, and the lines to add. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <lua.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "proctree.h"
#include "promises.h"
#include "report.h"
#include "vow.h"

/* What was done to one path: counts, as learn.lua reads them. */
struct seen_path {
	char *path;
	unsigned long r, w, x, c, d, l;
	bool dir;
	struct seen_path *next;
};

#define NBUCKETS 4096

struct learn {
	const char *out;  /* -o FILE, NULL: standard output */
	bool exact;
	char **argv;      /* the command as given */
	char *command;    /* resolved */
	char *cwd;
	char *project; /* P.project_root(), at the end */
	char tmp[PATH_MAX];
	unsigned long promise_calls[NPROMISES];
	char *example[NPROMISES]; /* the first call that needed each */
	const struct vow_policy *explain; /* vow explain: the policy to compare with */
	uint32_t implied;                 /* what its filter adds for the program's start */
	struct refusal {
		char *call;
		unsigned long count;
	} *refused;
	size_t nrefused;
	struct seen_path *paths[NBUCKETS];
	size_t npaths;
	uint32_t connect[65536], bind[65536]; /* calls per TCP port */
	pid_t *tids; /* tasks that have made a noted call */
	size_t ntids;
	long procs;  /* most tasks alive at once, as counted */
	pid_t payload;
	bool started; /* its own execve went through */
	bool other_process, other_thread;
};

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % NBUCKETS;
}

static struct seen_path *path_entry(struct learn *l, const char *path)
{
	unsigned b = hash(path);
	for (struct seen_path *p = l->paths[b]; p; p = p->next)
		if (!strcmp(p->path, path))
			return p;
	struct seen_path *p = calloc(1, sizeof *p);
	if (!p || !(p->path = strdup(path)))
		die("out of memory");
	p->next = l->paths[b];
	l->paths[b] = p;
	l->npaths++;
	return p;
}

static int observe(struct learn *l, const char *path, char **argv, char **envp, uint64_t timeout_ms);
static void explain_print(struct learn *l);

/* ---- resolving a path as the caller meant it ---- */

/* "a/./b/../c" against BASE, lexically, into OUT. */
static bool join(const char *base, const char *path, char *out, size_t len)
{
	char buf[2 * PATH_MAX];
	if (snprintf(buf, sizeof buf, "%s/%s", path[0] == '/' ? "" : base, path) >= (int)sizeof buf)
		return false;
	size_t n = 0;
	out[0] = 0;
	for (char *save, *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			out[n] = 0;
			continue;
		}
		size_t cl = strlen(c);
		if (n + 1 + cl + 1 > len)
			return false;
		out[n++] = '/';
		memcpy(out + n, c, cl + 1);
		n += cl;
	}
	if (!n)
		snprintf(out, len, "/");
	return true;
}

/* The symlinks resolved as far as the path exists: the whole path if it
   does, else its directory and the last name as given. */
static void canonical(const char *path, char *out)
{
	if (realpath(path, out))
		return;
	char dir[PATH_MAX], real[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir || !realpath((*slash = 0, dir), real) ||
	    snprintf(out, PATH_MAX, "%s/%s", strcmp(real, "/") ? real : "", slash + 1) >= PATH_MAX)
		snprintf(out, PATH_MAX, "%s", path);
}

/* The path argument at ADDR of task TID, relative to DIRFD (or its working
   directory), resolved into OUT.  False when it cannot be read. */
static bool task_path(pid_t tid, int dirfd, uint64_t addr, char *out)
{
	char raw[PATH_MAX], base[PATH_MAX] = "/", link[64];
	report_read_path(tid, addr, raw, sizeof raw);
	if (!addr || !raw[0] || !strcmp(raw, "?"))
		return false;
	if (raw[0] != '/') {
		if (dirfd == AT_FDCWD || dirfd < 0)
			snprintf(link, sizeof link, "/proc/%d/cwd", tid);
		else
			snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, dirfd);
		ssize_t n = readlink(link, base, sizeof base - 1);
		if (n <= 0 || base[0] != '/')
			return false;
		base[n] = 0;
	}
	char joined[PATH_MAX];
	if (!join(base, raw, joined, sizeof joined))
		return false;
	canonical(joined, out);
	return true;
}

static void note_path(struct learn *l, pid_t tid, int dirfd, uint64_t addr, enum path_op op,
                      uint64_t flags)
{
	char path[PATH_MAX];
	if (op == PATH_LOOK || !task_path(tid, dirfd, addr, path))
		return; /* stat, access, chmod ...: no right of Landlock's */
	struct stat st;
	bool exists = !lstat(path, &st);
	bool dir = exists && S_ISDIR(st.st_mode);
	struct seen_path *p = NULL;
	switch (op) {
	case PATH_OPEN:
		if (flags & O_PATH)
			return; /* no access right: Landlock does not look */
		if ((flags & TMPFILE_BIT) == TMPFILE_BIT) {
			/* an unnamed file made in the directory PATH */
			char inside[PATH_MAX];
			if (snprintf(inside, sizeof inside, "%s/(O_TMPFILE)", path) >= (int)sizeof inside)
				return;
			p = path_entry(l, inside);
			p->c++, p->w++;
			return;
		}
		/* a file that is not there and is not being made: the open fails,
		   and the policy needs nothing for it */
		if (!exists && !(flags & O_CREAT))
			return;
		p = path_entry(l, path);
		p->dir |= dir;
		/* O_CREAT: made this time or not, it may have to be made the next
		   time (an output written again) */
		if ((flags & O_CREAT) && (!exists || S_ISREG(st.st_mode)))
			p->c++;
		if ((flags & O_ACCMODE) != O_WRONLY)
			dir ? p->l++ : p->r++;
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
			p->w++;
		return;
	case PATH_MAKE:
		if (!exists)
			path_entry(l, path)->c++;
		return;
	default:
		break;
	}
	if (!exists)
		return; /* the call fails */
	p = path_entry(l, path);
	switch (op) {
	case PATH_EXEC: p->x++; return;
	case PATH_REMOVE: p->d++; p->dir |= dir; return;
	case PATH_WRITE: p->w++; return;
	default: return;
	}
}

/* connect and bind: the TCP port of an AF_INET or AF_INET6 address,
   or -1 (another family, another socket type, unreadable). */
static int tcp_port(pid_t tid, const uint64_t *args)
{
	struct sockaddr_storage sa;
	size_t len = args[2] < sizeof sa ? args[2] : sizeof sa;
	struct iovec local = {&sa, len}, remote = {(void *)(uintptr_t)args[1], len};
	if (len < sizeof(sa_family_t) || process_vm_readv(tid, &local, 1, &remote, 1, 0) != (ssize_t)len)
		return -1;
	int port;
	if (sa.ss_family == AF_INET && len >= sizeof(struct sockaddr_in))
		port = ntohs(((struct sockaddr_in *)&sa)->sin_port);
	else if (sa.ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
		port = ntohs(((struct sockaddr_in6 *)&sa)->sin6_port);
	else
		return -1;
	/* the socket's type, from a copy of the caller's descriptor */
	int pidfd = syscall(SYS_pidfd_open, tid, 0);
	int fd = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, (int)args[0], 0);
	int type = 0, proto = 0;
	socklen_t tl = sizeof type, pl = sizeof proto;
	bool tcp = fd >= 0 && !getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) &&
	           !getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &pl) && type == SOCK_STREAM &&
	           (proto == IPPROTO_TCP || proto == 0);
	if (fd >= 0)
		close(fd);
	if (pidfd >= 0)
		close(pidfd);
	return tcp ? port : -1;
}

/* A task not seen before: another process or thread, and a count. */
static void note_task(struct learn *l, pid_t tid)
{
	for (size_t i = 0; i < l->ntids; i++)
		if (l->tids[i] == tid)
			return;
	l->tids = realloc(l->tids, (l->ntids + 1) * sizeof *l->tids);
	if (!l->tids)
		die("out of memory");
	l->tids[l->ntids++] = tid;
	if (tid == l->payload)
		return;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/status", tid);
	pid_t tgid = proc_status(path, "Tgid");
	if (tgid < 0)
		return; /* gone already */
	if (tgid != tid)
		l->other_thread = true;
	if (tgid != l->payload)
		l->other_process = true;
	long alive = proctree_count(getpid());
	if (alive > l->procs)
		l->procs = alive;
}

/* The supervisor's answer to a noted call: let it through, unless no
   promise allows it. */
void learn_answer(struct learn *l, const struct seccomp_notif *req, struct seccomp_notif_resp *resp)
{
	uint64_t args[6];
	for (int i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	pid_t tid = req->pid;
	char *name = report_syscall_name(req->data.nr);
	/* what is given, and what earlier calls needed: connect() after
	   socket(AF_UNIX) needs no promise beyond unix */
	const promises_t given = (1u << P_STDIO) | (1u << P_LOADER);
	promises_t have = given;
	for (int b = 0; b < NPROMISES; b++)
		if (l->promise_calls[b])
			have |= 1u << b;
	promises_t needs = name ? call_needs(name, args, have) : REPORT_NEVER;
	/* the payload's own start is not an exec the policy must promise */
	bool start = name && !l->started && tid == l->payload &&
	             (!strcmp(name, "execve") || !strcmp(name, "execveat"));
	if (start) {
		l->started = true;
		needs = given;
	}
	resp->id = req->id;
	resp->val = 0;
	note_task(l, tid);
	if (needs == REPORT_NEVER) {
		char call[400];
		report_describe(name, req->data.nr, args, tid, call, sizeof call);
		size_t i = 0;
		while (i < l->nrefused && strcmp(l->refused[i].call, call))
			i++;
		if (i == l->nrefused) {
			l->refused = realloc(l->refused, (l->nrefused + 1) * sizeof *l->refused);
			if (!l->refused || !(l->refused[i].call = strdup(call)))
				die("out of memory");
			l->refused[l->nrefused++].count = 0;
		}
		l->refused[i].count++;
		resp->error = -EPERM;
		resp->flags = 0;
		free(name);
		return;
	}
	for (int b = 0; b < NPROMISES; b++)
		if (needs & ~given & (1u << b) && !l->promise_calls[b]++) {
			char call[400];
			report_describe(name, req->data.nr, args, tid, call, sizeof call);
			if (!(l->example[b] = strdup(call)))
				die("out of memory");
		}
	for (size_t i = 0; name && i < npath_calls; i++) {
		const struct path_call *c = &path_calls[i];
		if (strcmp(name, c->name))
			continue;
		uint64_t flags = !strcmp(name, "open")     ? args[1]
		                 : !strcmp(name, "openat") ? args[2]
		                 : !strcmp(name, "creat")  ? (uint64_t)(O_CREAT | O_WRONLY | O_TRUNC)
		                                           : 0;
		note_path(l, tid, c->dirfd < 0 ? AT_FDCWD : (int)args[c->dirfd], args[c->path], c->op, flags);
		if (c->path2 >= 0)
			note_path(l, tid, c->dirfd2 < 0 ? AT_FDCWD : (int)args[c->dirfd2], args[c->path2], c->op2, 0);
	}
	if (name && (!strcmp(name, "connect") || !strcmp(name, "bind"))) {
		int port = tcp_port(tid, args);
		if (port > 0 || (port == 0 && !strcmp(name, "bind")))
			(!strcmp(name, "connect") ? l->connect : l->bind)[port]++;
	}
	resp->error = 0;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	free(name);
}

/* ---- the notes, as a Lua table for learn.write ---- */

static void set_string(lua_State *L, const char *key, const char *value)
{
	if (!value)
		return;
	lua_pushstring(L, value);
	lua_setfield(L, -2, key);
}

static void set_count(lua_State *L, const char *key, unsigned long n)
{
	if (!n)
		return;
	lua_pushinteger(L, (lua_Integer)n);
	lua_setfield(L, -2, key);
}

static void push_deps(lua_State *L, const char *program)
{
	char **deps = exec_deps(program, getenv("LD_LIBRARY_PATH"), getenv("PATH"));
	if (!deps)
		return;
	lua_createtable(L, 0, 0);
	for (int i = 0; deps[i]; i++) {
		lua_pushstring(L, deps[i]);
		lua_rawseti(L, -2, i + 1);
		free(deps[i]);
	}
	free(deps);
	lua_setfield(L, -2, program);
}

static void push_ports(lua_State *L, const char *key, const uint32_t *count)
{
	lua_newtable(L);
	for (int port = 0; port < 65536; port++) /* bind's 0: an ephemeral port */
		if (count[port]) {
			lua_pushinteger(L, count[port]);
			lua_rawseti(L, -2, port);
		}
	lua_setfield(L, -2, key);
}

static void push_obs(lua_State *L, struct learn *l)
{
	lua_newtable(L);
	lua_newtable(L);
	for (int i = 0; l->argv[i]; i++) {
		lua_pushstring(L, l->argv[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "argv");
	set_string(L, "command", l->command);
	set_string(L, "cwd", l->cwd);
	set_string(L, "home", getenv("HOME"));
	set_string(L, "tmp", l->tmp);
	char date[64];
	time_t now = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	set_string(L, "date", date);

	set_string(L, "project", l->project);

	lua_newtable(L);
	for (int b = 0; b < NPROMISES; b++)
		if (b != P_LOADER)
			set_count(L, promise_name(b), l->promise_calls[b]);
	if (l->other_process)
		set_count(L, "proc", l->promise_calls[P_PROC] + 1);
	if (l->other_thread)
		set_count(L, "thread", l->promise_calls[P_THREAD] + 1);
	lua_setfield(L, -2, "promises");

	lua_createtable(L, (int)l->nrefused, 0);
	for (size_t i = 0; i < l->nrefused; i++) {
		lua_createtable(L, 0, 2);
		set_string(L, "call", l->refused[i].call);
		set_count(L, "count", l->refused[i].count);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "refused");

	lua_newtable(L); /* paths */
	lua_newtable(L); /* exec_deps, filled as programs are found */
	push_deps(L, l->command);
	for (int b = 0; b < NBUCKETS; b++)
		for (struct seen_path *p = l->paths[b]; p; p = p->next) {
			if (p->x && strcmp(p->path, l->command))
				push_deps(L, p->path);
			lua_createtable(L, 0, 7);
			set_count(L, "r", p->r);
			set_count(L, "w", p->w);
			set_count(L, "x", p->x);
			set_count(L, "c", p->c);
			set_count(L, "d", p->d);
			set_count(L, "l", p->l);
			if (p->dir) {
				lua_pushboolean(L, 1);
				lua_setfield(L, -2, "dir");
			}
			lua_setfield(L, -3, p->path);
		}
	lua_setfield(L, -3, "exec_deps");
	lua_setfield(L, -2, "paths");

	push_ports(L, "connect", l->connect);
	push_ports(L, "bind", l->bind);
	lua_pushinteger(L, l->procs > 0 ? l->procs : 1);
	lua_setfield(L, -2, "procs");

	lua_createtable(L, 0, 0); /* the files promises unveil by themselves */
	for (size_t i = 0; i < npromise_files; i++) {
		lua_createtable(L, 0, 3);
		set_string(L, "promise", promise_name(promise_files[i].bit));
		set_string(L, "path", promise_files[i].path);
		set_string(L, "perms", promise_files[i].perms);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "promise_files");
}

/* After the run, in the supervisor: the policy, to -o FILE or standard
   output.  Returns 0, or VOW_EXIT_FAIL when it could not be written. */
int learn_finish(struct learn *l)
{
	if (l->explain) {
		explain_print(l);
		return 0;
	}
	struct vow_policy p;
	policy_init(&p);
	char *argv[] = {NULL};
	struct stage *st = config_open(&p, argv, environ);
	lua_State *L = config_lua(st);
	/* the project, as P.project_root finds it from the working directory */
	config_libfn(st, "policy", "project_root");
	lua_pushstring(L, l->cwd);
	config_call(st, 1, 1);
	if (lua_type(L, -1) == LUA_TSTRING && !(l->project = strdup(lua_tostring(L, -1))))
		die("out of memory");
	lua_pop(L, 1);
	config_libfn(st, "learn", "write");
	push_obs(L, l);
	lua_createtable(L, 0, 1);
	lua_pushboolean(L, l->exact);
	lua_setfield(L, -2, "exact");
	config_call(st, 2, 1);
	size_t len;
	const char *text = lua_tolstring(L, -1, &len);
	int code = 0;
	FILE *f = l->out ? fopen(l->out, "w") : stdout;
	if (!f || !text || fwrite(text, 1, len, f) != len || (l->out ? fclose(f) : fflush(f))) {
		warnx("cannot write the learned policy%s%s: %s", l->out ? " to " : "", l->out ? l->out : "",
		      strerror(errno));
		code = VOW_EXIT_FAIL;
	} else if (l->out)
		notice("wrote the learned policy to %s (%zu paths seen)", l->out, l->npaths);
	config_close(st);
	policy_free(&p);
	return code;
}


/* ---- vow explain: the notes against a policy ---- */

/* Does a rule of P grant RIGHT on PATH (the rule's path or beneath it)? */
static bool granted(const struct vow_policy *p, const char *path, unsigned right)
{
	for (size_t i = 0; i < p->npaths; i++)
		if (path_beneath(path, p->paths[i].path) && (p->paths[i].perms & right))
			return true;
	return false;
}

/* PATH's directory, in OUT (which may be PATH itself) */
static void parent_of(const char *path, char *out)
{
	if (out != path)
		snprintf(out, PATH_MAX, "%s", path);
	char *slash = strrchr(out, '/');
	if (slash == out)
		slash[1] = 0;
	else if (slash)
		*slash = 0;
}

/* A refused path and the rule that would allow it. */
struct missing {
	char rule[PATH_MAX]; /* where the rule would go */
	unsigned perms;
	unsigned long count;
	const char *what; /* "read", "created" ... */
	char example[PATH_MAX];
};

static struct missing *miss_add(struct missing **m, size_t *n, const char *rule, unsigned perms,
                                const char *what, const char *example)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*m)[i].rule, rule)) {
			(*m)[i].perms |= perms;
			(*m)[i].count++;
			return &(*m)[i];
		}
	*m = realloc(*m, (*n + 1) * sizeof **m);
	if (!*m)
		die("out of memory");
	struct missing *x = &(*m)[(*n)++];
	snprintf(x->rule, sizeof x->rule, "%s", rule);
	x->perms = perms;
	x->count = 1;
	x->what = what;
	snprintf(x->example, sizeof x->example, "%s", example);
	return x;
}

static int by_rule(const void *a, const void *b)
{
	return strcmp(((const struct missing *)a)->rule, ((const struct missing *)b)->rule);
}

/* What the policy would refuse, on standard error; the lines to add. */
static void explain_print(struct learn *l)
{
	const struct vow_policy *p = l->explain;
	FILE *f = stderr;
	uint32_t have = p->has_promises ? p->promises | l->implied | (1u << P_STDIO) : ~0u;
	if (l->other_process && !l->promise_calls[P_PROC])
		l->promise_calls[P_PROC] = 1;
	if (l->other_thread && !l->promise_calls[P_THREAD])
		l->promise_calls[P_THREAD] = 1;
	uint32_t add = 0;
	for (int b = 0; b < NPROMISES; b++)
		if (b != P_LOADER && l->promise_calls[b] && !(have & (1u << b)))
			add |= 1u << b;

	/* paths: only when the policy has path rules (else Landlock is off) */
	struct missing *m = NULL;
	size_t nm = 0;
	bool restricts = p->npaths || p->restricts_paths;
	for (int b = 0; restricts && b < NBUCKETS; b++)
		for (struct seen_path *e = l->paths[b]; e; e = e->next) {
			char dir[PATH_MAX];
			parent_of(e->path, dir);
			if (e->r && !granted(p, e->path, VOW_R))
				miss_add(&m, &nm, e->path, VOW_R, "read", e->path);
			if (e->l && !granted(p, e->path, VOW_R | VOW_L))
				miss_add(&m, &nm, e->path, VOW_L, "listed", e->path);
			if (e->x && !granted(p, e->path, VOW_X))
				miss_add(&m, &nm, e->path, VOW_X, "executed", e->path);
			/* and what it needs to start: its loader is executed too */
			char **deps = e->x ? exec_deps(e->path, getenv("LD_LIBRARY_PATH"), getenv("PATH")) : NULL;
			for (int i = 0; deps && deps[i]; i++) {
				/* as P.program gives them: read and execute (the loader is
				   executed, the libraries mapped) */
				unsigned lack = (granted(p, deps[i], VOW_R) ? 0 : VOW_R) |
				                (granted(p, deps[i], VOW_X) ? 0 : VOW_X);
				if (strcmp(deps[i], e->path) && lack)
					miss_add(&m, &nm, deps[i], lack, "needed to start", e->path);
				free(deps[i]);
			}
			free(deps);
			if (e->c && !granted(p, dir, VOW_C))
				miss_add(&m, &nm, dir, VOW_C | (e->w ? VOW_W : 0), "created", e->path);
			else if (e->w && !granted(p, e->path, VOW_W))
				miss_add(&m, &nm, e->c ? dir : e->path, VOW_W, "written", e->path);
			if (e->d && !granted(p, dir, VOW_C))
				miss_add(&m, &nm, dir, VOW_C, "removed", e->path);
		}
	/* a rule goes on what exists now (a file made and removed during the
	   run has no rule of its own next time); one beneath another with the
	   same letters or fewer is not needed */
	for (size_t i = 0; i < nm; i++) {
		struct stat st;
		while (lstat(m[i].rule, &st) && strcmp(m[i].rule, "/"))
			parent_of(m[i].rule, m[i].rule);
	}
	if (nm)
		qsort(m, nm, sizeof *m, by_rule);
	size_t kept = 0;
	for (size_t i = 0; i < nm; i++) {
		bool covered = false;
		for (size_t j = 0; j < kept && !covered; j++) {
			if (path_beneath(m[i].rule, m[j].rule) && !(m[i].perms & ~m[j].perms)) {
				m[j].count += m[i].count;
				covered = true;
			} else if (!strcmp(m[i].rule, m[j].rule)) {
				m[j].perms |= m[i].perms, m[j].count += m[i].count;
				covered = true;
			}
		}
		if (!covered)
			m[kept++] = m[i];
	}
	nm = kept;

	/* ports: only when the policy has port rules */
	int ports[2][64], nports[2] = {0, 0};
	for (int kind = 0; p->nports && kind < 2; kind++) {
		const uint32_t *count = kind ? l->bind : l->connect;
		for (int port = kind; port < 65536 && nports[kind] < 64; port++) {
			if (!count[port])
				continue;
			bool ok = false;
			for (size_t i = 0; i < p->nports; i++)
				ok |= p->ports[i].bind == (kind == 1) && (p->ports[i].port == port || !p->ports[i].port);
			if (!ok)
				ports[kind][nports[kind]++] = port;
		}
	}
	bool cap = p->limit[VOW_PROCS].set && l->procs > (long)p->limit[VOW_PROCS].value;

	const char *source = p->nsources ? p->sources[0] : "the command line";
	if (!add && !nm && !nports[0] && !nports[1] && !cap && !l->nrefused) {
		fprintf(f, "vow explain: nothing this run did would be refused by the policy (%s)\n", source);
		return;
	}
	fprintf(f, "vow explain: what the policy (%s) would refuse in this run:\n", source);
	if (add) {
		fprintf(f, "\n  seccomp, calls that need a promise the policy lacks:\n");
		for (int b = 0; b < NPROMISES; b++) {
			if (!(add & (1u << b)))
				continue;
			if (l->example[b])
				fprintf(f, "    %-9s %lu call%s, first %s\n", promise_name(b), l->promise_calls[b],
				        l->promise_calls[b] == 1 ? "" : "s", l->example[b]);
			else
				fprintf(f, "    %-9s new %s made\n", promise_name(b),
				        b == P_THREAD ? "threads were" : "processes were");
		}
	}
	if (nm) {
		fprintf(f, "\n  Landlock, paths no rule covers:\n");
		for (size_t i = 0; i < nm; i++) {
				fprintf(f, "    %-5s %s  (%lu %s, e.g. %s)\n", perms_text(m[i].perms), m[i].rule,
			        m[i].count, m[i].what, m[i].example);
		}
	}
	for (int kind = 0; kind < 2; kind++)
		if (nports[kind]) {
			fprintf(f, "\n  Landlock, TCP ports no rule covers (%s):", kind ? "bind" : "connect");
			for (int i = 0; i < nports[kind]; i++)
				fprintf(f, " %d", ports[kind][i]);
			fprintf(f, "\n");
		}
	if (cap)
		fprintf(f, "\n  the process cap: %ld processes and threads at once, the policy allows %llu\n",
		        l->procs, (unsigned long long)p->limit[VOW_PROCS].value);
	if (l->nrefused) {
		fprintf(f, "\n  refused by every policy (the baseline; no line can add these):\n");
		for (size_t i = 0; i < l->nrefused; i++)
			fprintf(f, "    %s  (%lu)\n", l->refused[i].call, l->refused[i].count);
	}
	if (!add && !nm && !nports[0] && !nports[1] && !cap)
		return;
	if (!p->nsources)
		goto flags;
	if (strchr(source, '/'))
		fprintf(f, "\nTo allow them, add to %s:\n", source);
	else /* a built-in policy: the lines go in a policy of the user's own */
		fprintf(f, "\nTo allow them, add to a policy file of your own that builds on %s "
		        "(the project's .vow.lua, or -f FILE):\n", source);
	if (add) {
		fprintf(f, "  promises: \"");
		for (int b = 0, n = 0; b < NPROMISES; b++)
			if (add & (1u << b))
				fprintf(f, "%s%s", n++ ? " " : "", promise_name(b));
		fprintf(f, "\"\n");
	}
	for (size_t i = 0; i < nm; i++) {
		fprintf(f, "  { \"%s\", \"%s\" },\n", m[i].rule, perms_text(m[i].perms));
	}
	for (int kind = 0; kind < 2; kind++)
		if (nports[kind]) {
			fprintf(f, "  %s = {", kind ? "bind" : "connect");
			for (int i = 0; i < nports[kind]; i++)
				fprintf(f, "%s%d", i ? ", " : " ", ports[kind][i]);
			fprintf(f, " },\n");
		}
	if (cap)
		fprintf(f, "  limits = { procs = %ld },\n", 2 * l->procs);
flags:
	fprintf(f, p->nsources ? "or on the command line:" : "\nTo allow them, add to the command line:");
	for (int b = 0; b < NPROMISES; b++)
		if (add & (1u << b))
			fprintf(f, " -p %s", promise_name(b));
	for (size_t i = 0; i < nm; i++) {
		fprintf(f, " -v %s:%s", perms_text(m[i].perms), m[i].rule);
	}
	for (int kind = 0; kind < 2; kind++)
		for (int i = 0; i < nports[kind]; i++)
			fprintf(f, " --%s %d", kind ? "bind" : "connect", ports[kind][i]);
	if (cap)
		fprintf(f, " -P %ld", 2 * l->procs);
	fprintf(f, "\n");
	free(m);
}

/* vow explain, from vow_main once POLICY is resolved for the program at
   PATH: the run observed, the comparison at its end. */
int explain_run(const struct vow_policy *policy, const char *path, char **argv, char **envp)
{
	static struct learn l;
	l.explain = policy;
	l.argv = argv;
	if (!(l.command = realpath(path, NULL)) && !(l.command = strdup(path)))
		die("out of memory");
	l.cwd = getcwd(NULL, 0);
	struct filter_opts o;
	seal_filter_opts(policy, path, &o, &l.implied);
	return observe(&l, path, argv, envp, policy->limit[VOW_TIMEOUT].set ? policy->limit[VOW_TIMEOUT].value : 0);
}

/* ---- the command line ---- */

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
	char msg[300];
	snprintf(msg, sizeof msg, fmt, arg);
	die("learn: %s (usage: vow learn [-o FILE] [--exact] [-T SECS] [-q] [--] COMMAND [ARG...])", msg);
}

int learn_main(int argc, char **argv)
{
	static struct learn l;
	struct vow_policy p;
	policy_init(&p);
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'}, {"exact", no_argument, NULL, 'E'},
		{"timeout", required_argument, NULL, 'T'}, {"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	optind = 0; /* from the start: vow_main may have parsed before */
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "+:o:T:q", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': l.out = optarg; break;
		case 'E': l.exact = true; break;
		case 'T': {
			uint64_t ms;
			const char *err = limit_parse(VOW_TIMEOUT, optarg, &ms);
			if (err)
				usage_error("-T: %s", err);
			policy_limit(&p, VOW_TIMEOUT, ms, "command line (-T)");
			break;
		}
		case 'q': vow_quiet = true; break;
		case ':': usage_error("%s needs a value", argv[optind - 1]); break;
		default: {
			char name[64];
			if (optopt)
				snprintf(name, sizeof name, "-%c", optopt);
			else
				snprintf(name, sizeof name, "%s", argv[optind - 1]);
			usage_error("%s is not an option of learn: the command runs with everything open, "
			            "so policy options would not be what it learns under",
			            name);
		}
		}
	}
	if (optind >= argc)
		usage_error("%s", "no command to learn from");
	l.argv = argv + optind;
	char *path = NULL;
	int code = exec_resolve(l.argv[0], getenv("PATH"), &path);
	if (code)
		return code;
	/* by the name exec will give it (python3 -> python3.11) */
	l.command = realpath(path, NULL);
	if (!l.command)
		l.command = path;
	l.cwd = getcwd(NULL, 0);
	const char *tmp = getenv("TMPDIR");
	if (!realpath(tmp && *tmp ? tmp : "/tmp", l.tmp))
		snprintf(l.tmp, sizeof l.tmp, "/tmp");
	if (l.out) { /* before the run: its effects are not for nothing */
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s", l.out);
		char *slash = strrchr(dir, '/');
		if (slash)
			slash == dir ? (void)(dir[1] = 0) : (void)(*slash = 0);
		if (access(slash ? dir : ".", W_OK) || (!access(l.out, F_OK) && access(l.out, W_OK)))
			die("learn: -o %s: %s", l.out, strerror(errno));
	}
	uint64_t timeout = p.limit[VOW_TIMEOUT].set ? p.limit[VOW_TIMEOUT].value : 0;
	policy_free(&p);
	return observe(&l, path, l.argv, environ, timeout);
}

/* The observed run: stdio, and the rest sent to the supervisor, where
   learn_answer notes it (report mode is what sends refusals there). */
static int observe(struct learn *l, const char *path, char **argv, char **envp, uint64_t timeout_ms)
{
	if (!seccomp_listener_free())
		die("%s needs seccomp notifications, but vow already runs under a filter that has them "
		    "(inside another vow?)", l->explain ? "explain" : "learn");
	struct vow_policy p;
	policy_init(&p);
	p.has_promises = true;
	p.promises = 1u << P_STDIO;
	p.violation = VOW_REPORT;
	if (timeout_ms)
		policy_limit(&p, VOW_TIMEOUT, timeout_ms, "the policy");
	sigset_t origmask;
	struct seal s = {.path = path, .argv = argv, .envp = envp, .origmask = &origmask, .learn = l};
	const char *err = policy_finish(&p, NULL);
	if (!err)
		err = seal_prepare(&s, &p);
	if (err)
		die("%s", err);
	int code = supervise(&s);
	free(s.seccomp.prog);
	policy_free(&p);
	return code;
}

void learn_started(struct learn *l, pid_t payload)
{
	l->payload = payload;
	l->procs = 1;
}
