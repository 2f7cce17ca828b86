/* config.c: the config stage.  Policy files are Lua chunks run before
 * anything is sealed, with the user's full rights, so the environment is
 * small and chosen here (no luaL_openlibs): a policy can look, not touch.
 *
 *   globals   assert error ipairs next pairs pcall xpcall rawequal rawget
 *             rawlen rawset select setmetatable getmetatable tonumber
 *             tostring type print(stderr) load(text only) require(policy-lib)
 *             string(no dump) table math utf8 os(time clock date difftime getenv)
 *   vow       the primitives below, each a short luaL_Reg function that
 *             checks its arguments and calls the same setter as the CLI
 *
 * Unknown globals raise, chunks are text only, the allocator is capped and
 * a CPU-time budget ends a policy that loops.  Any error exits 125
 * before anything is forked.  Errors name the user's file and line: frames
 * of the built-in policy-lib are skipped when finding "where". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <dirent.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "embedded.h"
#include "promises.h"

#define STAGE_MEMORY (64u << 20)     /* bytes a policy may allocate */
#define STAGE_CPU_S 2                /* budget, in seconds of CPU */
#define READ_MAX (1u << 20)          /* vow.read and policy files */
#define INCLUDE_DEPTH 16

struct stage {
	lua_State *L;
	struct vow_policy *policy;
	char **argv;
	char **environ;
	size_t used;
	timer_t budget;
	bool budget_armed;
	int depth;
	char *including[INCLUDE_DEPTH]; /* files being included, for cycles */
	bool verify;                    /* policy files must be trusted */
	bool record;                    /* keep the policy files loaded */
	char **loaded;
	size_t nloaded;
	int dry;                        /* inside vow.load */
	const char *dry_name;
	const char *at;                 /* vow.at: the source errors and rules name */
};

static char G_key, loaded_key;

static struct stage *stage_of(lua_State *L)
{
	return *(struct stage **)lua_getextraspace(L);
}

/* ---- where and raise: errors name the user's line ---- */

static const char *where_from(lua_State *L, int level, char *buf, size_t len)
{
	lua_Debug ar;
	if (stage_of(L)->at) {
		snprintf(buf, len, "%s", stage_of(L)->at);
		return buf;
	}
	for (; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "Sl", &ar);
		if (ar.currentline <= 0 || !strncmp(ar.source, "@policy-lib/", 12))
			continue;
		snprintf(buf, len, "%s:%d", ar.short_src, ar.currentline);
		return buf;
	}
	/* `return P.new{...}` is a tail call: the policy's own frame is gone,
	   but the file being run is known */
	struct stage *st = stage_of(L);
	const char *file = st->depth ? st->including[st->depth - 1] : NULL;
	if (file && !strncmp(file, "policies/", 9))
		snprintf(buf, len, "%.*s (built-in policy)", (int)strlen(file) - 13, file + 9);
	else
		snprintf(buf, len, "%s", file ? file : "(vow)");
	return buf;
}

static const char *where(lua_State *L, char *buf, size_t len)
{
	return where_from(L, 1, buf, len);
}

static int stage_raise(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int stage_raise(lua_State *L, const char *fmt, ...)
{
	char w[256], msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lua_pushfstring(L, "%s: %s", where(L, w, sizeof w), msg);
	return lua_error(L);
}

/* The policy a primitive changes.  While vow.load runs a policy only to
   get the table it returns, nothing may change the policy directly: that
   change would be lost, or applied where the caller did not ask for it. */
static struct vow_policy *target(lua_State *L, const char *fn)
{
	struct stage *st = stage_of(L);
	if (st->dry)
		stage_raise(L, "%s: %s is being loaded to be composed (vow.load, extend, narrow), so it "
		               "must return its policy as a table, not change the policy directly",
		            fn, st->dry_name);
	return st->policy;
}

static const char *check_string(lua_State *L, int i, const char *fn, const char *what)
{
	if (lua_type(L, i) != LUA_TSTRING)
		stage_raise(L, "%s: %s must be a string, got %s", fn, what, luaL_typename(L, i));
	return lua_tostring(L, i);
}

/* " (did you mean X?)" or "" */
static const char *mean(const char *word, const char *const *names, size_t n, const char *prefix)
{
	static char buf[128];
	const char *s = suggest(word, names, n);
	if (!s)
		return "";
	snprintf(buf, sizeof buf, " (did you mean %s%s?)", prefix, s);
	return buf;
}

/* ---- limits ---- */

static uint64_t limit_value(lua_State *L, enum vow_limit l)
{
	const struct vow_limit_info *li = &vow_limits[l];
	uint64_t v = 0;
	if (lua_type(L, -1) == LUA_TSTRING) {
		const char *err = limit_parse(l, lua_tostring(L, -1), &v);
		if (err)
			stage_raise(L, "vow.limit: %s", err);
		return v;
	}
	if (lua_type(L, -1) != LUA_TNUMBER)
		stage_raise(L, "vow.limit: %s must be a number or a string, got %s", li->name,
		      luaL_typename(L, -1));
	lua_Number x = lua_tonumber(L, -1);
	if (li->unit == VOW_MILLIS)
		x *= 1000; /* timeout is written in seconds */
	if (!(x >= 0) || x > 9e18 || (li->unit != VOW_MILLIS && x != floor(x)))
		stage_raise(L, "vow.limit: %s must be a whole number%s, got %s", li->name,
		      li->unit == VOW_BYTES ? " of bytes" : "", lua_tostring(L, -1));
	v = (uint64_t)llround(x);
	const char *err = limit_check(l, v);
	if (err)
		stage_raise(L, "vow.limit: %s", err);
	return v;
}

/* vow.limit{memory=, procs=, nofile=, fsize=, cpu=, timeout=} */
static int vow_limit(lua_State *L)
{
	char w[256];
	if (lua_type(L, 1) != LUA_TTABLE)
		return stage_raise(L, "vow.limit: expected a table such as {memory = \"512M\"}");
	const char *names[VOW_NLIMITS];
	for (int i = 0; i < VOW_NLIMITS; i++)
		names[i] = vow_limits[i].name;
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			return stage_raise(L, "vow.limit: keys must be limit names");
		const char *k = lua_tostring(L, -2);
		int l = limit_lookup(k);
		if (l < 0)
			return stage_raise(L, "vow.limit: unknown limit \"%s\"%s", k,
			             mean(k, names, VOW_NLIMITS, ""));
		policy_limit(target(L, "vow.limit"), l, limit_value(L, l), where(L, w, sizeof w));
		lua_pop(L, 1);
	}
	return 0;
}

/* ---- capabilities ---- */

static int caps_keep(lua_State *L)
{
	char w[256];
	int n = lua_gettop(L);
	if (n == 1 && lua_type(L, 1) == LUA_TTABLE) {
		n = lua_rawlen(L, 1);
		for (int i = 1; i <= n; i++)
			lua_rawgeti(L, 1, i);
		lua_remove(L, 1);
	}
	for (int i = 1; i <= n; i++) {
		const char *name = check_string(L, i, "vow.caps.keep", "a capability name");
		int c = caps_lookup(name);
		if (c < 0) {
			const char *all[64];
			for (int j = 0; j < 64; j++)
				all[j] = j <= caps_last() ? strdup(caps_name(j)) : NULL;
			char msg[160];
			snprintf(msg, sizeof msg, "%s", mean(name, all, 64, ""));
			for (int j = 0; j < 64; j++)
				free((char *)all[j]);
			return stage_raise(L, "vow.caps.keep: unknown capability \"%s\"%s", name, msg);
		}
		policy_keep_cap(target(L, "vow.caps.keep"), c, where(L, w, sizeof w));
	}
	return 0;
}

/* ---- environment: edits replayed in order over the inherited one ---- */

static const char *check_envname(lua_State *L, int i, const char *fn)
{
	const char *s = check_string(L, i, fn, "a variable name");
	if (!*s || strchr(s, '='))
		stage_raise(L, "%s: \"%s\" is not a variable name", fn, s);
	return s;
}

static int env_clear(lua_State *L)
{
	char w[256];
	policy_env(target(L, "vow.env.clear"), VOW_ENV_CLEAR, NULL, NULL, where(L, w, sizeof w));
	return 0;
}

static int env_keep(lua_State *L)
{
	char w[256];
	int n = lua_gettop(L);
	if (n == 1 && lua_type(L, 1) == LUA_TTABLE) {
		n = lua_rawlen(L, 1);
		for (int i = 1; i <= n; i++)
			lua_rawgeti(L, 1, i);
		lua_remove(L, 1);
	}
	for (int i = 1; i <= n; i++)
		policy_env(target(L, "vow.env.keep"), VOW_ENV_KEEP, check_envname(L, i, "vow.env.keep"),
		           NULL, where(L, w, sizeof w));
	return 0;
}

static int env_set(lua_State *L)
{
	char w[256];
	const char *name = check_envname(L, 1, "vow.env.set");
	const char *value = check_string(L, 2, "vow.env.set", "the value");
	policy_env(target(L, "vow.env.set"), VOW_ENV_SET, name, value, where(L, w, sizeof w));
	return 0;
}

static int env_unset(lua_State *L)
{
	char w[256];
	const char *name = check_envname(L, 1, "vow.env.unset");
	policy_env(target(L, "vow.env.unset"), VOW_ENV_UNSET, name, NULL, where(L, w, sizeof w));
	return 0;
}

static int env_get_(lua_State *L)
{
	struct stage *st = stage_of(L);
	const char *v = env_get(st->policy, st->environ, check_envname(L, 1, "vow.env.get"));
	if (v)
		lua_pushstring(L, v);
	else
		lua_pushnil(L);
	return 1;
}

/* ---- switches ---- */

static int vow_nice(lua_State *L)
{
	char w[256];
	policy_nice(target(L, "vow.nice"), where(L, w, sizeof w));
	return 0;
}

/* vow.promise("stdio rpath"): promises only add up */
static int vow_promise(lua_State *L)
{
	char w[256];
	const char *text = check_string(L, 1, "vow.promise", "promises");
	const char *err = policy_promise(target(L, "vow.promise"), text, where(L, w, sizeof w));
	if (err)
		return stage_raise(L, "vow.promise: %s", err);
	return 0;
}

static int vow_violation(lua_State *L)
{
	char w[256];
	const char *mode = check_string(L, 1, "vow.violation", "a mode");
	const char *err = policy_violation(target(L, "vow.violation"), mode, where(L, w, sizeof w));
	if (err)
		return stage_raise(L, "vow.violation: %s", err);
	return 0;
}

/* vow.connect(port), vow.bind(port): TCP ports, only adding up */
static int port_rule(lua_State *L, bool bind)
{
	char w[256];
	const char *fn = bind ? "vow.bind" : "vow.connect";
	long long port;
	if (lua_type(L, 1) == LUA_TSTRING && !strcmp(lua_tostring(L, 1), "any"))
		port = 0;
	else if (!lua_isinteger(L, 1) || lua_tointeger(L, 1) == 0)
		return stage_raise(L, "%s: a port is a whole number from 1 to 65535 or \"any\", got %s", fn,
		                   lua_type(L, 1) == LUA_TNUMBER ? lua_tostring(L, 1) : luaL_typename(L, 1));
	else
		port = lua_tointeger(L, 1);
	const char *err = policy_port(target(L, fn), bind, port, where(L, w, sizeof w));
	if (err)
		return stage_raise(L, "%s: %s", fn, err);
	return 0;
}

static int vow_connect(lua_State *L)
{
	return port_rule(L, false);
}

static int vow_bind(lua_State *L)
{
	return port_rule(L, true);
}

static const char *home(struct stage *st);

/* vow.unveil(path, perms [, {optional = true}]): paths only add up */
static int vow_unveil(lua_State *L)
{
	char w[256];
	const char *path = check_string(L, 1, "vow.unveil", "a path");
	const char *perms = lua_isnoneornil(L, 2) ? "r" : check_string(L, 2, "vow.unveil", "permissions");
	bool optional = false;
	if (!lua_isnoneornil(L, 3)) {
		if (lua_type(L, 3) != LUA_TTABLE)
			return stage_raise(L, "vow.unveil: the third argument is a table such as {optional = true}");
		lua_getfield(L, 3, "optional");
		optional = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	/* the home only where "~" asks for it: finding it builds the
	   payload's whole environment */
	const char *err = policy_unveil(target(L, "vow.unveil"), path, perms, optional,
	                                path[0] == '~' ? home(stage_of(L)) : "", where(L, w, sizeof w));
	if (err)
		return stage_raise(L, "vow.unveil: %s", err);
	return 0;
}

static int vow_best_effort(lua_State *L)
{
	target(L, "vow.best_effort")->best_effort = true;
	return 0;
}

static int vow_quiet_(lua_State *L)
{
	target(L, "vow.quiet");
	vow_quiet = true;
	return 0;
}

/* ---- introspection: read-only ---- */

static const char *home(struct stage *st)
{
	return policy_home(st->policy, st->environ);
}

/* "~" and "~/x" name the user's home; other paths are used as given. */
static const char *expand(lua_State *L, int i, const char *fn)
{
	const char *p = check_string(L, i, fn, "a path");
	if (p[0] == '~' && (p[1] == 0 || p[1] == '/')) {
		lua_pushfstring(L, "%s%s", home(stage_of(L)), p + 1);
		lua_replace(L, i);
		p = lua_tostring(L, i);
	}
	return p;
}

static int vow_cwd(lua_State *L)
{
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof buf))
		return luaL_fileresult(L, 0, "getcwd");
	lua_pushstring(L, buf);
	return 1;
}

static int vow_home(lua_State *L)
{
	lua_pushstring(L, home(stage_of(L)));
	return 1;
}

static int vow_exists(lua_State *L)
{
	struct stat st;
	lua_pushboolean(L, stat(expand(L, 1, "vow.exists"), &st) == 0);
	return 1;
}

/* vow.readable(path): whether this user could read PATH (or, a
   directory, list or enter it) by the file permissions alone, as the
   payload will, without capabilities: access(2) checks with the real
   ids, and for a user other than root without any capability. */
static int vow_readable(lua_State *L)
{
	const char *path = expand(L, 1, "vow.readable");
	lua_pushboolean(L, !faccessat(AT_FDCWD, path, R_OK, 0) || !faccessat(AT_FDCWD, path, X_OK, 0));
	return 1;
}

static int vow_which(lua_State *L)
{
	struct stage *st = stage_of(L);
	const char *name = check_string(L, 1, "vow.which", "a program name");
	if (strchr(name, '/')) {
		lua_pushstring(L, name);
		return access(name, X_OK) ? 0 : 1;
	}
	char buf[PATH_MAX];
	if (exec_which(name, env_get(st->policy, st->environ, "PATH"), buf, sizeof buf))
		lua_pushstring(L, buf);
	else
		lua_pushnil(L);
	return 1;
}

/* Whole small files (up to 1 MiB); nil, message, errno otherwise. */
char *read_small(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) || S_ISDIR(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		goto fail;
	}
	char *buf = malloc(READ_MAX + 1);
	if (!buf)
		goto fail;
	size_t n = 0;
	for (ssize_t r; n <= READ_MAX && (r = read(fd, buf + n, READ_MAX + 1 - n)) != 0; n += r)
		if (r < 0) {
			free(buf);
			goto fail;
		}
	close(fd);
	if (n > READ_MAX) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	*len = n;
	return buf;
fail:;
	int e = errno;
	close(fd);
	errno = e;
	return NULL;
}

static int vow_read(lua_State *L)
{
	const char *path = expand(L, 1, "vow.read");
	size_t len;
	char *buf = read_small(path, &len);
	if (!buf)
		return luaL_fileresult(L, 0, path);
	lua_pushlstring(L, buf, len);
	free(buf);
	return 1;
}

/* vow.exec_deps(program): the files it needs to start, as a list; a name
   without '/' is looked up in the payload's PATH.  nil, message, errno
   when it cannot be read. */
static int vow_exec_deps(lua_State *L)
{
	struct stage *st = stage_of(L);
	const char *name = expand(L, 1, "vow.exec_deps");
	if (!strchr(name, '/')) {
		lua_pushcfunction(L, vow_which);
		lua_pushvalue(L, 1);
		lua_call(L, 1, 1);
		if (lua_isnil(L, -1)) {
			luaL_pushfail(L);
			lua_pushfstring(L, "%s: not found in PATH", name);
			lua_pushinteger(L, ENOENT);
			return 3;
		}
		name = lua_tostring(L, -1);
	}
	char **deps = exec_deps(name, env_get(st->policy, st->environ, "LD_LIBRARY_PATH"),
	                        env_get(st->policy, st->environ, "PATH"));
	if (!deps)
		return luaL_fileresult(L, 0, name);
	lua_newtable(L);
	for (int i = 0; deps[i]; i++) {
		lua_pushstring(L, deps[i]);
		lua_rawseti(L, -2, i + 1);
		free(deps[i]);
	}
	free(deps);
	return 1;
}

/* vow.realpath(path): the path with every symlink resolved; nil, message,
   errno when it does not exist. */
static int vow_realpath(lua_State *L)
{
	const char *path = expand(L, 1, "vow.realpath");
	char buf[PATH_MAX];
	if (!realpath(path, buf))
		return luaL_fileresult(L, 0, path);
	lua_pushstring(L, buf);
	return 1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* vow.list's entries carry their type in front of the name */
static int by_entry_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* vow.list(dir): its entries as a sorted list of {name =, type =}, type
   one of "file", "dir", "link", "other" (symlinks are not followed); nil,
   message, errno when it cannot be read. */
static int vow_list(lua_State *L)
{
	const char *path = expand(L, 1, "vow.list");
	DIR *d = opendir(path);
	if (!d)
		return luaL_fileresult(L, 0, path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **more = realloc(names, cap * sizeof *names);
			if (!more)
				break;
			names = more;
		}
		/* the type travels in front of the name: one allocation each */
		/* the directory entry's type, or, where the file system keeps
		   none there, the inode's */
		struct stat sb;
		char t = e->d_type == DT_REG ? 'f' : e->d_type == DT_DIR ? 'd' : e->d_type == DT_LNK ? 'l' : 'o';
		if (e->d_type == DT_UNKNOWN && !fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW))
			t = S_ISREG(sb.st_mode) ? 'f' : S_ISDIR(sb.st_mode) ? 'd' : S_ISLNK(sb.st_mode) ? 'l' : 'o';
		size_t len = strlen(e->d_name);
		char *s = malloc(len + 2);
		if (!s)
			break;
		memcpy(s + 1, e->d_name, len + 1);
		s[0] = t;
		names[n++] = s;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_entry_name);
	lua_createtable(L, n, 0);
	for (size_t i = 0; i < n; i++) {
		static const char *const types[] = {['f'] = "file", ['d'] = "dir", ['l'] = "link", ['o'] = "other"};
		lua_createtable(L, 0, 2);
		lua_pushstring(L, names[i] + 1);
		lua_setfield(L, -2, "name");
		lua_pushstring(L, types[(unsigned char)names[i][0]]);
		lua_setfield(L, -2, "type");
		lua_rawseti(L, -2, i + 1);
		free(names[i]);
	}
	free(names);
	return 1;
}

/* ---- for policy-lib: errors and rules that name the user's line ---- */

/* vow.note(text): an explanation `vow show` prints with the rules. */
static int vow_note(lua_State *L)
{
	char w[256];
	const char *text = check_string(L, 1, "vow.note", "the text");
	policy_note(target(L, "vow.note"), text, where(L, w, sizeof w));
	return 0;
}

/* vow.limit_number(name, value): a limit as the number vow keeps (bytes,
   a count, milliseconds for timeout), to compare two limits. */
static int vow_limit_number(lua_State *L)
{
	const char *name = check_string(L, 1, "vow.limit_number", "a limit name");
	int l = limit_lookup(name);
	if (l < 0)
		return stage_raise(L, "unknown limit \"%s\"", name);
	lua_settop(L, 2);
	lua_pushinteger(L, (lua_Integer)limit_value(L, l));
	return 1;
}

/* vow.fail(message): raise an error naming the policy file and line that
   called into policy-lib, not the library's own. */
static int vow_fail(lua_State *L)
{
	return stage_raise(L, "%s", check_string(L, 1, "vow.fail", "the message"));
}

/* vow.source(): "file:line" of that same caller. */
static int vow_source(lua_State *L)
{
	char w[256];
	lua_pushstring(L, where(L, w, sizeof w));
	return 1;
}

/* vow.at(source, fn, ...): call fn with rules and errors naming SOURCE
   (what policy-lib recorded when the user wrote the rule). */
static int vow_at(lua_State *L)
{
	struct stage *st = stage_of(L);
	check_string(L, 1, "vow.at", "the source");
	luaL_checktype(L, 2, LUA_TFUNCTION);
	const char *saved = st->at;
	st->at = lua_tostring(L, 1); /* alive: it stays at index 1 */
	int r = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0);
	st->at = saved;
	if (r != LUA_OK)
		return lua_error(L);
	return lua_gettop(L) - 1;
}

static int vow_kernel(lua_State *L)
{
	struct utsname u;
	lua_createtable(L, 0, 3);
	int abi = landlock_abi();
	if (abi > 0)
		lua_pushinteger(L, abi);
	else
		lua_pushboolean(L, 0);
	lua_setfield(L, -2, "landlock");
	lua_pushboolean(L, seccomp_api_get() >= 5);
	lua_setfield(L, -2, "seccomp_notify");
	lua_pushboolean(L, seccomp_listener_free());
	lua_setfield(L, -2, "seccomp_listener");
	if (!uname(&u)) {
		lua_pushstring(L, u.release);
		lua_setfield(L, -2, "release");
	}
	return 1;
}

static void setfield_str(lua_State *L, const char *k, const char *v)
{
	if (!v)
		return;
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

/* The policy so far, as plain tables (what `vow show` renders). */
static void push_policy(lua_State *L, const struct vow_policy *p)
{
	char buf[64];
	lua_newtable(L);
	lua_newtable(L);
	for (int i = 0; i < VOW_NLIMITS; i++) {
		if (!p->limit[i].set)
			continue;
		lua_createtable(L, 0, 4);
		lua_pushinteger(L, p->limit[i].value);
		lua_setfield(L, -2, "value");
		setfield_str(L, "text", limit_format(i, p->limit[i].value, buf, sizeof buf));
		setfield_str(L, "source", p->limit[i].source);
		setfield_str(L, "what", vow_limits[i].what);
		lua_setfield(L, -2, vow_limits[i].name);
	}
	lua_setfield(L, -2, "limits");
	lua_newtable(L);
	for (int c = 0, n = 0; c < 64; c++)
		if (p->caps_keep & (1ULL << c)) {
			lua_createtable(L, 0, 2);
			setfield_str(L, "name", caps_name(c));
			setfield_str(L, "source", p->caps_source[c]);
			lua_rawseti(L, -2, ++n);
		}
	lua_setfield(L, -2, "caps");
	static const char *const ops[] = {"clear", "keep", "set", "unset"};
	lua_newtable(L);
	for (size_t i = 0; i < p->nenv; i++) {
		lua_createtable(L, 0, 4);
		setfield_str(L, "op", ops[p->env[i].op]);
		setfield_str(L, "name", p->env[i].name);
		setfield_str(L, "value", p->env[i].value);
		setfield_str(L, "source", p->env[i].source);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "env");
	if (p->nice) {
		lua_createtable(L, 0, 1);
		setfield_str(L, "source", p->nice_source);
		lua_setfield(L, -2, "nice");
	}
	lua_pushboolean(L, p->best_effort);
	lua_setfield(L, -2, "best_effort");
	lua_pushboolean(L, vow_quiet);
	lua_setfield(L, -2, "quiet");
	lua_newtable(L);
	for (size_t i = 0; i < p->nsources; i++) {
		lua_pushstring(L, p->sources[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "sources");
	lua_pushboolean(L, p->has_promises);
	lua_setfield(L, -2, "has_promises");
	lua_newtable(L);
	for (size_t i = 0, n = 0; i < npromise_names; i++) {
		int b = promise_names[i].bit;
		if (!(p->promises & (1u << b)))
			continue;
		lua_createtable(L, 0, 2);
		setfield_str(L, "name", promise_names[i].name);
		setfield_str(L, "source", p->promise_source[b]);
		lua_rawseti(L, -2, ++n);
	}
	lua_setfield(L, -2, "promises");
	if (p->violation_set) {
		lua_createtable(L, 0, 2);
		setfield_str(L, "mode", vow_violation_names[p->violation]);
		setfield_str(L, "source", p->violation_source);
		lua_setfield(L, -2, "violation");
	}
	lua_newtable(L);
	for (size_t i = 0; i < p->npaths; i++) {
		lua_createtable(L, 0, 4);
		setfield_str(L, "path", p->paths[i].path);
		setfield_str(L, "perms", perms_text(p->paths[i].perms));
		setfield_str(L, "source", p->paths[i].source);
		lua_pushboolean(L, p->paths[i].dir);
		lua_setfield(L, -2, "dir");
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "paths");
	lua_pushboolean(L, p->restricts_paths);
	lua_setfield(L, -2, "restricts_paths");
	lua_newtable(L);
	for (size_t i = 0; i < p->nports; i++) {
		lua_createtable(L, 0, 3);
		if (p->ports[i].port)
			lua_pushinteger(L, p->ports[i].port);
		else
			lua_pushstring(L, "any");
		lua_setfield(L, -2, "port");
		setfield_str(L, "kind", p->ports[i].bind ? "bind" : "connect");
		setfield_str(L, "source", p->ports[i].source);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "ports");
	lua_createtable(L, p->nnotes, 0);
	for (size_t i = 0; i < p->nnotes; i++) {
		lua_pushstring(L, p->notes[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "notes");
}

static int vow_policy(lua_State *L)
{
	push_policy(L, stage_of(L)->policy);
	return 1;
}

/* ---- loading chunks ---- */

/* Load a text chunk with the stage's globals as its _ENV. */
static int load_text(lua_State *L, const char *buf, size_t len, const char *chunkname)
{
	int r = luaL_loadbufferx(L, buf, len, chunkname, "t");
	if (r == LUA_OK) {
		lua_rawgetp(L, LUA_REGISTRYINDEX, &G_key);
		lua_setupvalue(L, -2, 1);
	}
	return r;
}

static const struct embedded *builtin(const char *dir, const char *name)
{
	for (const struct embedded *e = embedded_files; e->name; e++) {
		size_t dl = strlen(dir);
		if (!strncmp(e->name, dir, dl) && e->name[dl] == '/' &&
		    !strncmp(e->name + dl + 1, name, strlen(name)) &&
		    !strcmp(e->name + dl + 1 + strlen(name), ".lua"))
			return e;
	}
	return NULL;
}

/* A NAME without '/' and without ".lua" is a built-in policy; anything
   else is a file, relative to the including file's directory. */
bool config_builtin_name(const char *name)
{
	size_t n = strlen(name);
	return !strchr(name, '/') && !(n > 4 && !strcmp(name + n - 4, ".lua"));
}

static void builtin_names(const char **names, size_t *n, size_t max)
{
	*n = 0;
	for (const struct embedded *e = embedded_files; e->name && *n < max; e++)
		if (!strncmp(e->name, "policies/", 9)) {
			static char buf[32][64];
			snprintf(buf[*n], sizeof buf[*n], "%.*s", (int)strlen(e->name + 9) - 4, e->name + 9);
			names[*n] = buf[*n];
			++*n;
		}
}

/* Load (not run) a policy: pushes the chunk, or returns an error string. */
static const char *load_policy(lua_State *L, const char *name, const char *from_dir, char **key)
{
	static char msg[PATH_MAX + 256];
	if (config_builtin_name(name)) {
		const struct embedded *e = builtin("policies", name);
		if (!e) {
			const char *names[32];
			size_t n;
			builtin_names(names, &n, 32);
			snprintf(msg, sizeof msg, "no built-in policy \"%s\"%s (a file needs a '/' or .lua)",
			         name, mean(name, names, n, ""));
			return msg;
		}
		char chunk[128];
		snprintf(chunk, sizeof chunk, "@%s (built-in policy)", name);
		*key = strdup(e->name);
		if (load_text(L, e->data, e->len, chunk))
			return lua_tostring(L, -1);
		return NULL;
	}
	char path[PATH_MAX];
	if (name[0] != '/' && from_dir)
		snprintf(path, sizeof path, "%s/%s", from_dir, name);
	else
		snprintf(path, sizeof path, "%s", name);
	size_t len;
	char *buf = read_small(path, &len);
	if (!buf) {
		snprintf(msg, sizeof msg, "cannot read policy %s: %s", path, strerror(errno));
		return msg;
	}
	char real[PATH_MAX];
	*key = strdup(realpath(path, real) ? real : path);
	struct stage *st = stage_of(L);
	if (st->verify && !trust_check(*key, buf, len)) {
		free(buf);
		snprintf(msg, sizeof msg,
		         "%s is not trusted, or changed since it was trusted: read it (vow show prints "
		         "the policy it makes) and run `vow trust %s` to use it, or give --no-default or -f",
		         *key, *key);
		return msg;
	}
	if (st->record) {
		bool seen = false;
		for (size_t i = 0; i < st->nloaded; i++)
			seen |= !strcmp(st->loaded[i], *key);
		if (!seen) {
			char **more = realloc(st->loaded, (st->nloaded + 1) * sizeof *more);
			if (!more)
				die("out of memory");
			st->loaded = more;
			st->loaded[st->nloaded++] = strdup(*key);
		}
	}
	lua_pushfstring(L, "@%s", path);
	int r = load_text(L, buf, len, lua_tostring(L, -1));
	free(buf);
	lua_remove(L, -2);
	return r == LUA_OK ? NULL : lua_tostring(L, -1);
}

/* The directory of the file the caller's chunk came from, or NULL. */
static char *caller_dir(lua_State *L)
{
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "S", &ar);
		if (ar.source[0] != '@' || strstr(ar.source, "(built-in policy)") ||
		    !strncmp(ar.source, "@policy-lib/", 12))
			continue;
		char *d = strdup(ar.source + 1);
		char *slash = strrchr(d, '/');
		if (slash)
			*slash = 0;
		else
			strcpy(d, ".");
		return d;
	}
	return NULL;
}

/* Call the policy chunk on top of the stack.  A policy either changes the
   policy directly through vow.*, or returns it as a table (policy-lib's
   policy.new), which is applied here; anything else it returns is a
   mistake. */
static int stage_require(lua_State *L);
static void run_policy(lua_State *L, const char *name)
{
	lua_call(L, 0, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return;
	}
	if (lua_type(L, -1) != LUA_TTABLE)
		stage_raise(L, "%s returned a %s; a policy returns nothing or a table made by "
		               "require \"policy\".new", name, luaL_typename(L, -1));
	lua_pushcfunction(L, stage_require);
	lua_pushliteral(L, "policy");
	lua_call(L, 1, 1);
	lua_getfield(L, -1, "apply");
	lua_pushvalue(L, -3);
	lua_call(L, 1, 0);
	lua_pop(L, 2);
}

static int run_protected(lua_State *L)
{
	const char *name = lua_tostring(L, 2);
	lua_settop(L, 1);
	run_policy(L, name);
	return 0;
}

/* Load a policy by name for vow.include or vow.load: pushes the chunk and
   records it as being included, for cycles. */
static void enter_policy(lua_State *L, const char *fn, const char *name)
{
	struct stage *st = stage_of(L);
	char *dir = caller_dir(L), *key = NULL;
	const char *err = load_policy(L, name, dir, &key);
	free(dir);
	if (err) {
		free(key);
		stage_raise(L, "%s: %s", fn, err);
	}
	for (int i = 0; i < st->depth; i++)
		if (!strcmp(st->including[i], key)) {
			free(key);
			stage_raise(L, "%s: %s includes itself", fn, name);
		}
	if (st->depth == INCLUDE_DEPTH) {
		free(key);
		stage_raise(L, "%s: includes nested more than %d deep", fn, INCLUDE_DEPTH);
	}
	st->including[st->depth++] = key;
}

/* vow.include(name_or_path): apply another policy, here and now. */
static int vow_include(lua_State *L)
{
	struct stage *st = stage_of(L);
	const char *name = check_string(L, 1, "vow.include", "a policy name or path");
	target(L, "vow.include");
	enter_policy(L, "vow.include", name);
	lua_pushcfunction(L, run_protected);
	lua_insert(L, -2);
	lua_pushvalue(L, 1);
	int r = lua_pcall(L, 2, 0, 0);
	free(st->including[--st->depth]);
	if (r != LUA_OK)
		return lua_error(L);
	return 0;
}

/* vow.load(name_or_path): run a policy only to get the table it returns,
   to extend or narrow it; it may not change the policy directly. */
static int vow_load(lua_State *L)
{
	struct stage *st = stage_of(L);
	const char *name = check_string(L, 1, "vow.load", "a policy name or path");
	enter_policy(L, "vow.load", name);
	const char *saved = st->dry_name;
	st->dry++;
	st->dry_name = name;
	int r = lua_pcall(L, 0, 1, 0);
	st->dry--;
	st->dry_name = saved;
	free(st->including[--st->depth]);
	if (r != LUA_OK)
		return lua_error(L);
	if (lua_type(L, -1) != LUA_TTABLE)
		return stage_raise(L, "vow.load: %s returns %s, not a policy table; only a policy that "
		                      "returns require \"policy\".new{...} can be extended or narrowed",
		                   name, luaL_typename(L, -1));
	return 1;
}

/* require: pure-Lua modules of policy-lib, from inside the binary. */
static int stage_require(lua_State *L)
{
	const char *name = check_string(L, 1, "require", "a module name");
	lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
	if (lua_getfield(L, -1, name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	char file[128];
	snprintf(file, sizeof file, "%s", name);
	for (char *c = file; *c; c++)
		if (*c == '.')
			*c = '/';
	const struct embedded *e = builtin("policy-lib", file);
	if (!e)
		return stage_raise(L, "require: no module \"%s\" in vow's policy-lib", name);
	/* policy-lib is built into vow compiled: only it is loaded as bytecode */
	if (luaL_loadbufferx(L, e->data, e->len, e->name, "b") != LUA_OK)
		return lua_error(L);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &G_key);
	lua_setupvalue(L, -2, 1);
	lua_pushstring(L, name);
	lua_call(L, 1, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, name);
	return 1;
}

/* load: text only, and without an env argument the stage's globals (the
   stock load would hand out the real global table). */
static int stage_load(lua_State *L)
{
	size_t len;
	if (lua_type(L, 1) != LUA_TSTRING)
		return stage_raise(L, "load: only strings can be loaded here");
	const char *s = lua_tolstring(L, 1, &len);
	const char *name = luaL_optstring(L, 2, "=(load)");
	int r = luaL_loadbufferx(L, s, len, name, "t");
	if (r != LUA_OK) {
		lua_pushnil(L);
		lua_insert(L, -2);
		return 2;
	}
	if (!lua_isnoneornil(L, 4))
		lua_pushvalue(L, 4);
	else
		lua_rawgetp(L, LUA_REGISTRYINDEX, &G_key);
	lua_setupvalue(L, -2, 1);
	return 1;
}

static int stage_print(lua_State *L)
{
	int n = lua_gettop(L);
	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);
		fprintf(stderr, "%s%s", i > 1 ? "\t" : "", s);
		lua_pop(L, 1);
	}
	fputc('\n', stderr);
	return 0;
}

/* ---- strictness: unknown names raise ---- */

static int lua_next_(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 2);
	if (lua_next(L, 1))
		return 2;
	lua_pushnil(L);
	return 1;
}

static int names_of(lua_State *L, int t, const char **names, int max)
{
	int n = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		if (lua_type(L, -2) == LUA_TSTRING && n < max)
			names[n++] = lua_tostring(L, -2); /* anchored by the table */
		lua_pop(L, 1);
	}
	qsort(names, n, sizeof *names, by_name); /* suggestions do not depend on hash order */
	return n;
}

/* __index of a strict table: upvalues WHAT ("" for globals) and, for a
   read-only proxy, the real table. */
static int strict_index(lua_State *L)
{
	const char *names[128];
	const char *what = lua_tostring(L, lua_upvalueindex(1));
	int real = lua_isnone(L, lua_upvalueindex(2)) ? 1 : lua_upvalueindex(2);
	if (real != 1) {
		lua_pushvalue(L, 2);
		if (lua_rawget(L, real) != LUA_TNIL || lua_type(L, 2) == LUA_TNUMBER)
			return 1; /* a list ends in nil, so that ipairs works */
	}
	const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
	if (!k)
		return stage_raise(L, "%s has no such field", *what ? what : "the environment");
	int n = names_of(L, real, names, 128);
	if (!*what)
		return stage_raise(L, "unknown global \"%s\"%s", k, mean(k, names, n, ""));
	char prefix[64];
	snprintf(prefix, sizeof prefix, "%s.", what);
	return stage_raise(L, "%s.%s does not exist%s", what, k, mean(k, names, n, prefix));
}

static int strict_newindex(lua_State *L)
{
	const char *what = lua_tostring(L, lua_upvalueindex(1));
	const char *k = lua_tostring(L, 2);
	if (!*what)
		return stage_raise(L, "assignment to undeclared global \"%s\" (use local)", k ? k : "?");
	return stage_raise(L, "%s is read-only", what);
}

static int strict_pairs(lua_State *L)
{
	lua_pushcfunction(L, lua_next_);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushnil(L);
	return 3;
}

/* The globals table on top raises on unknown names and on new globals. */
static int strict_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
	return 1;
}

static void strict_globals(lua_State *L)
{
	lua_createtable(L, 0, 3);
	lua_pushstring(L, "");
	lua_pushcclosure(L, strict_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushstring(L, "");
	lua_pushcclosure(L, strict_newindex, 1);
	lua_setfield(L, -2, "__newindex");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
}

/* Replace the table on top by a read-only proxy of it that raises on
   unknown names (with a suggestion) and on any assignment. */
static void protect(lua_State *L, const char *what)
{
	int real = lua_gettop(L);
	lua_newtable(L);
	lua_createtable(L, 0, 4);
	lua_pushstring(L, what);
	lua_pushvalue(L, real);
	lua_pushcclosure(L, strict_index, 2);
	lua_setfield(L, -2, "__index");
	lua_pushstring(L, what);
	lua_pushcclosure(L, strict_newindex, 1);
	lua_setfield(L, -2, "__newindex");
	lua_pushvalue(L, real);
	lua_pushcclosure(L, strict_pairs, 1);
	lua_setfield(L, -2, "__pairs");
	lua_pushvalue(L, real);
	lua_pushcclosure(L, strict_len, 1);
	lua_setfield(L, -2, "__len");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_replace(L, real);
}

/* A read-only list of NAMES as field WHAT of vow.known (on the stack). */
static void push_names(lua_State *L, const char *const *names, size_t n, const char *what)
{
	char full[64];
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushstring(L, names[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	snprintf(full, sizeof full, "vow.known.%s", what);
	protect(L, full);
	lua_setfield(L, -2, what);
}

/* ---- building the environment ---- */

static const luaL_Reg vow_funcs[] = {
	{"limit", vow_limit},     {"nice", vow_nice},     {"best_effort", vow_best_effort},
	{"promise", vow_promise}, {"violation", vow_violation}, {"unveil", vow_unveil},
	{"connect", vow_connect}, {"bind", vow_bind},
	{"quiet", vow_quiet_},    {"cwd", vow_cwd},       {"home", vow_home},
	{"exists", vow_exists},   {"readable", vow_readable}, {"which", vow_which},
	{"read", vow_read},
	{"kernel", vow_kernel},   {"policy", vow_policy}, {"include", vow_include},
	{"exec_deps", vow_exec_deps}, {"load", vow_load},     {"list", vow_list},
	{"realpath", vow_realpath}, {"fail", vow_fail},     {"source", vow_source},
	{"at", vow_at},           {"note", vow_note},     {"limit_number", vow_limit_number},
	{NULL, NULL},
};
static const luaL_Reg caps_funcs[] = {{"keep", caps_keep}, {NULL, NULL}};
static const luaL_Reg env_funcs[] = {
	{"clear", env_clear}, {"keep", env_keep}, {"set", env_set},
	{"unset", env_unset}, {"get", env_get_},  {NULL, NULL},
};
static const char *const base_allowed[] = {
	"assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "rawequal", "rawget",
	"rawlen", "rawset", "select", "setmetatable", "getmetatable", "tonumber", "tostring",
	"type", "_VERSION",
};
static const char *const os_allowed[] = {"time", "clock", "date", "difftime", "getenv"};

/* Copy the fields of the library table at LIB (all, or only NAMES) into a
   new table on top. */
/* The real string table (at STRINGS), which ("x"):method() reaches
   whatever a chunk's environment holds: no dump, and a metatable that can
   neither be read nor changed (it is shared by the whole state). */
void config_seal_strings(lua_State *L, int strings)
{
	lua_pushnil(L);
	lua_setfield(L, strings, "dump");
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);
}

/* A new table, pushed, holding the fields NAMES (N of them; all when
   NAMES is NULL) of the table at LIB: what a restricted environment is
   made of (the config stage's and vow lua's). */
void config_copy_fields(lua_State *L, int lib, const char *const *names, size_t n)
{
	lua_newtable(L);
	if (names) {
		for (size_t i = 0; i < n; i++) {
			lua_getfield(L, lib, names[i]);
			lua_setfield(L, -2, names[i]);
		}
		return;
	}
	lua_pushnil(L);
	while (lua_next(L, lib)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, -4);
	}
}

static void *stage_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct stage *st = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		st->used -= old;
		return NULL;
	}
	if (nsize > old && st->used - old + nsize > STAGE_MEMORY)
		return NULL;
	void *p = realloc(ptr, nsize);
	if (p)
		st->used = st->used - old + nsize;
	return p;
}

/* The budget: a CPU-time timer whose signal arms a count hook that
   raises at the next instruction (a hook always set would slow every
   instruction of every policy), sticky so that pcall cannot swallow it. */
static lua_State *budget_L;

static void stage_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	lua_sethook(L, stage_hook, LUA_MASKCOUNT, 1);
	char w[256];
	lua_pushfstring(L, "%s: policy ran too long (more than %d s of CPU)", where_from(L, 0, w, sizeof w),
	                STAGE_CPU_S);
	lua_error(L);
}

static timer_t *budget_timer;
static volatile sig_atomic_t budget_fired;

/* First the hook; a second later, if the policy is still inside one C
   call (a pattern that backtracks forever), vow ends here. */
static void budget_spent(int sig)
{
	(void)sig;
	if (budget_fired++) {
		static const char msg[] = "vow: policy ran too long (stuck in one C call)\n";
		if (write(2, msg, sizeof msg - 1) < 0)
			_exit(VOW_EXIT_FAIL);
		_exit(VOW_EXIT_FAIL);
	}
	if (budget_L)
		lua_sethook(budget_L, stage_hook, LUA_MASKCOUNT, 1);
	struct itimerspec again = {{0, 0}, {1, 0}};
	if (budget_timer)
		timer_settime(*budget_timer, 0, &again, NULL);
}

static int stage_panic(lua_State *L)
{
	die("internal Lua error: %s", lua_tostring(L, -1));
}

struct stage *config_open(struct vow_policy *p, char **argv, char **environ)
{
	struct stage *st = calloc(1, sizeof *st);
	if (!st)
		die("out of memory");
	st->policy = p;
	st->argv = argv;
	st->environ = environ;
	lua_State *L = st->L = lua_newstate(stage_alloc, st);
	if (!L)
		die("cannot create the Lua state");
	*(struct stage **)lua_getextraspace(L) = st;
	lua_atpanic(L, stage_panic);
	budget_L = L;
	budget_fired = 0;
	struct sigaction sa = {.sa_handler = budget_spent, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGVTALRM};
	struct itimerspec it = {{0, 0}, {STAGE_CPU_S, 0}};
	if (sigaction(SIGVTALRM, &sa, NULL) || timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &st->budget) ||
	    timer_settime(st->budget, 0, &it, NULL))
		die("cannot arm the policy's time budget");
	st->budget_armed = true;
	budget_timer = &st->budget;

	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
		{LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_OSLIBNAME, luaopen_os},
	};
	int lib[6];
	for (int i = 0; i < 6; i++) {
		luaL_requiref(L, libs[i].name, libs[i].func, 0);
		lib[i] = lua_gettop(L);
	}
	config_seal_strings(L, lib[1]);

	lua_newtable(L); /* the globals of every policy chunk */
	int G = lua_gettop(L);
	config_copy_fields(L, lib[0], base_allowed, sizeof base_allowed / sizeof *base_allowed);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, G);
	}
	lua_pop(L, 1);
	static const luaL_Reg wrapped[] = {
		{"load", stage_load}, {"require", stage_require}, {"print", stage_print}};
	for (size_t i = 0; i < 3; i++) {
		lua_pushcfunction(L, wrapped[i].func);
		lua_setfield(L, G, wrapped[i].name);
	}
	static const char *const libnames[] = {"", "string", "table", "math", "utf8"};
	for (int i = 1; i < 5; i++) {
		config_copy_fields(L, lib[i], NULL, 0);
		protect(L, libnames[i]);
		lua_setfield(L, G, libnames[i]);
	}
	config_copy_fields(L, lib[5], os_allowed, sizeof os_allowed / sizeof *os_allowed);
	protect(L, "os");
	lua_setfield(L, G, "os");

	luaL_newlib(L, vow_funcs);
	luaL_newlib(L, caps_funcs);
	protect(L, "vow.caps");
	lua_setfield(L, -2, "caps");
	luaL_newlib(L, env_funcs);
	protect(L, "vow.env");
	lua_setfield(L, -2, "env");
	lua_newtable(L);
	for (int i = 0; argv && argv[i]; i++) {
		lua_pushstring(L, argv[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "argv");
	lua_pushstring(L, VOW_VERSION);
	lua_setfield(L, -2, "version");
	/* vow.known: the names the primitives accept, for policy-lib */
	const char *names[64];
	lua_createtable(L, 0, 3);
	for (size_t i = 0; i < npromise_names; i++)
		names[i] = promise_names[i].name;
	push_names(L, names, npromise_names, "promises");
	for (int i = 0; i < VOW_NLIMITS; i++)
		names[i] = vow_limits[i].name;
	push_names(L, names, VOW_NLIMITS, "limits");
	push_names(L, vow_violation_names, 3, "violations");
	protect(L, "vow.known");
	lua_setfield(L, -2, "known");
	protect(L, "vow");
	lua_setfield(L, G, "vow");
	lua_pushvalue(L, G);
	lua_setfield(L, G, "_G");
	lua_pushvalue(L, G);
	strict_globals(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &G_key);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
	lua_settop(L, 0);
	return st;
}

static void run_or_die(lua_State *L, int loaded, const char *name)
{
	if (loaded == LUA_OK) {
		lua_pushcfunction(L, run_protected);
		lua_insert(L, -2);
		lua_pushstring(L, name);
	}
	if (loaded != LUA_OK || lua_pcall(L, 2, 0, 0) != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		if (lua_type(L, -1) != LUA_TSTRING)
			msg = "policy raised a non-string error";
		if (strstr(msg, "not enough memory"))
			die("policy used more than %u MiB of memory", STAGE_MEMORY >> 20);
		die("%s", msg);
	}
}

/* Trust: VERIFY refuses policy files whose content was not approved by
   `vow trust` (a project policy and what it includes); RECORD keeps the
   list of files loaded (for `vow trust` to approve). */
void config_trust(struct stage *st, bool verify, bool record)
{
	st->verify = verify;
	st->record = record;
}

char **config_loaded(struct stage *st, size_t *n)
{
	*n = st->nloaded;
	return st->loaded;
}

/* The default policy (FIRST: "default", a project policy's path, or NULL
   for none), then -f and -e in order.  Only FIRST is checked for trust:
   the user's own -f and -e are the user's word. */
void config_run(struct stage *st, const char *first, const struct chunk *chunks, size_t n)
{
	lua_State *L = st->L;
	char *key = NULL;
	if (first) {
		const char *err = load_policy(L, first, NULL, &key);
		if (err)
			die("%s", err);
		st->including[st->depth++] = key;
		policy_source(st->policy, strcmp(first, "default") ? first : "default (built-in policy)");
		run_or_die(L, LUA_OK, first);
		free(st->including[--st->depth]);
	}
	st->verify = false;
	int evals = 0;
	for (size_t i = 0; i < n; i++) {
		if (chunks[i].eval) {
			char name[32];
			evals++;
			if (evals > 1)
				snprintf(name, sizeof name, "=-e #%d", evals);
			else
				snprintf(name, sizeof name, "=-e");
			policy_source(st->policy, name + 1);
			st->including[st->depth++] = strdup(name + 1); /* what where() names after a tail call */
			run_or_die(L, load_text(L, chunks[i].text, strlen(chunks[i].text), name), name + 1);
			free(st->including[--st->depth]);
			continue;
		}
		key = NULL;
		const char *err = load_policy(L, chunks[i].text, NULL, &key);
		if (err)
			die("%s", err);
		policy_source(st->policy, chunks[i].text);
		st->including[st->depth++] = key;
		run_or_die(L, LUA_OK, chunks[i].text);
		free(st->including[--st->depth]);
	}
}

/* `vow show`: policy-lib's show module renders vow.policy(). */
void config_show(struct stage *st, bool lua, size_t filter_size, uint32_t implied)
{
	lua_State *L = st->L;
	lua_settop(L, 0);
	lua_pushcfunction(L, stage_require);
	lua_pushstring(L, "show");
	if (lua_pcall(L, 1, 1, 0) != LUA_OK)
		die("%s", lua_tostring(L, -1));
	lua_getfield(L, -1, lua ? "lua" : "human");
	push_policy(L, st->policy);
	lua_pushinteger(L, filter_size);
	lua_setfield(L, -2, "filter_size");
	lua_pushinteger(L, landlock_abi());
	lua_setfield(L, -2, "landlock_abi");
	lua_newtable(L);
	for (int b = 0, n = 0; b < NPROMISES; b++)
		if (implied & (1u << b)) {
			lua_pushstring(L, promise_name(b));
			lua_rawseti(L, -2, ++n);
		}
	lua_setfield(L, -2, "implied");
	if (lua_pcall(L, 1, 1, 0) != LUA_OK)
		die("%s", lua_tostring(L, -1));
	fputs(lua_tostring(L, -1), stdout);
}

/* For vow matrix: call policy-lib from C. */
lua_State *config_lua(struct stage *st)
{
	return st->L;
}

static int require_protected(lua_State *L)
{
	return stage_require(L);
}

/* Call the function below NARGS arguments; a Lua error ends vow (125). */
void config_call(struct stage *st, int nargs, int nres)
{
	if (lua_pcall(st->L, nargs, nres, 0) != LUA_OK)
		die("%s", lua_type(st->L, -1) == LUA_TSTRING ? lua_tostring(st->L, -1) : "policy error");
}

/* Push policy-lib's module NAME's field FN. */
void config_libfn(struct stage *st, const char *module, const char *fn)
{
	lua_pushcfunction(st->L, require_protected);
	lua_pushstring(st->L, module);
	config_call(st, 1, 1);
	lua_getfield(st->L, -1, fn);
	lua_remove(st->L, -2);
}

void config_close(struct stage *st)
{
	if (st->budget_armed) {
		timer_delete(st->budget);
		signal(SIGVTALRM, SIG_DFL);
	}
	budget_L = NULL;
	budget_timer = NULL;
	for (size_t i = 0; i < st->nloaded; i++)
		free(st->loaded[i]);
	free(st->loaded);
	lua_close(st->L);
	free(st);
}
