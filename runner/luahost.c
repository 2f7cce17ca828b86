/* luahost.c: vow lua, a hardened host for untrusted Lua scripts.
 *
 * The script runs in the payload process, after the seal, in a fresh
 * lua_State of its own: loaded as text, with a small standard library
 * (the list below, luahost_env), under limits that end it with a message
 * and status 1 rather than crash or hang the host:
 *   memory   an accounting allocator; the first refused allocation is
 *            fatal (retrying at the cap would thrash the collector);
 *   CPU      RLIMIT_CPU's SIGXCPU, wall time a one-shot timer: a signal
 *            handler arms a count hook on every running coroutine, which
 *            raises on the next VM instruction.  Nothing runs until then.
 *            A C function that runs on (pattern backtracking, a rehash)
 *            gets half a second's grace, then the process ends with
 *            status 124;
 *   steps    --steps N: a count hook, exact, at the count hook's cost.
 * A kill is sticky: the hook raises at every instruction, and pcall,
 * xpcall and coroutine.resume pass it on instead of catching it.  Code
 * that runs with hooks off cannot be made: __gc and __close metamethods
 * are refused (a looping finalizer, and Lua 5.4.4's coroutine.close
 * crash), and xpcall's handler is skipped once killed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "vow.h"

#define SCRIPT_MAX (16u << 20) /* a script or a loaded chunk, at most */
#define CHAIN_MAX 256          /* coroutines resumed inside each other */
#define MOVE_MAX (1 << 24)     /* table.move's range, at most */
/* --steps charges the budget every STEP_QUANTUM instructions of a thread:
   exact in one thread; a coroutine that ends between two charges goes
   uncounted for fewer than STEP_QUANTUM of its instructions */
#define STEP_QUANTUM 100

static struct luahost *host;
static lua_State *chain[CHAIN_MAX]; /* the running threads, outermost first */
static volatile sig_atomic_t depth, killed, stage;
static char kill_msg[160];
static timer_t wall_timer;
static uint64_t steps_left;

/* ---- ending: a message, a sticky hook ---- */

static void kill_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	lua_sethook(L, kill_hook, LUA_MASKCOUNT, 1);
	luaL_error(L, "%s", kill_msg);
}

/* Arm the kill hook on every running thread; safe in a signal handler
   (lua_sethook is, as lua.c relies on). */
static void arm_all(void)
{
	for (int i = 0; i < depth; i++)
		lua_sethook(chain[i], kill_hook, LUA_MASKCOUNT, 1);
}

static void kill_with(const char *msg)
{
	if (!killed) {
		snprintf(kill_msg, sizeof kill_msg, "%s", msg);
		killed = 1;
	}
	arm_all();
}

/* Stage 1 sets the hook; if no instruction has run half a second later, a
   C function is spinning: stage 2 ends the process from here. */
static void on_timer(int sig)
{
	if (killed && stage) {
		static const char tail[] = " (the script did not come back to Lua: a long C call or a "
		                           "blocking read; ended)\n";
		if (write(2, "vow lua: ", 9) < 0 || write(2, kill_msg, strlen(kill_msg)) < 0 ||
		    write(2, tail, sizeof tail - 1) < 0)
			_exit(124);
		_exit(124);
	}
	if (!killed) {
		const char *what = sig == SIGXCPU ? "CPU time" : "wall-clock time";
		/* snprintf is not async-signal-safe: build the text by hand */
		char *p = kill_msg;
		const char *parts[] = {what, " limit reached", NULL};
		for (int i = 0; parts[i]; i++)
			for (const char *c = parts[i]; *c && p < kill_msg + sizeof kill_msg - 1; c++)
				*p++ = *c;
		*p = 0;
		killed = 1;
	}
	arm_all();
	stage = 1;
	struct itimerspec grace = {{0, 0}, {0, 500000000}};
	timer_settime(wall_timer, 0, &grace, NULL);
}

static void steps_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	if (killed) {
		kill_hook(L, ar);
		return;
	}
	uint64_t used = host->step_quantum;
	if (steps_left <= used) {
		kill_with("instruction budget (--steps) exhausted");
		kill_hook(L, ar);
		return;
	}
	steps_left -= used;
	/* the last stretch exactly */
	int next = steps_left < STEP_QUANTUM ? (int)steps_left : STEP_QUANTUM;
	host->step_quantum = next;
	lua_sethook(L, steps_hook, LUA_MASKCOUNT, next);
}

/* ---- memory ---- */

static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct luahost *h = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		h->used -= old;
		return NULL;
	}
	if (nsize > old && h->memory && !h->lifted &&
	    (killed || h->used - old + nsize > h->memory)) {
		if (!killed) {
			char msg[96];
			snprintf(msg, sizeof msg, "memory limit (%zu MiB) reached", h->memory >> 20);
			kill_with(msg);
		}
		return NULL;
	}
	void *p = realloc(ptr, nsize);
	if (p)
		h->used += nsize - old;
	return p;
}

/* ---- wrappers that keep the kill sticky ---- */

static void track(lua_State *co)
{
	if (depth >= CHAIN_MAX)
		luaL_error(co, "coroutines nested more than %d deep", CHAIN_MAX);
	chain[depth] = co;
	depth++;
	if (killed)
		lua_sethook(co, kill_hook, LUA_MASKCOUNT, 1);
}

static int rethrow_if_killed(lua_State *L)
{
	if (killed)
		return luaL_error(L, "%s", kill_msg);
	return 0;
}

/* pcall and xpcall as the stock ones (continuations, so a coroutine may
   yield inside them), but a kill passes through */
static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
	rethrow_if_killed(L);
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		return 2;
	}
	return lua_gettop(L) - (int)extra;
}

static int safe_pcall(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_pushboolean(L, 1);
	lua_insert(L, 1);
	int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
	return finish_pcall(L, status, 0);
}

/* The stock function, the wrapper's upvalue, with the wrapper's arguments. */
static int call_stock(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* xpcall's handler: the user's, unless the script is being ended (then
   the handler would run with hooks off and could loop forever). */
static int xpcall_handler(lua_State *L)
{
	if (killed)
		return 1;
	return call_stock(L);
}

static int safe_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, xpcall_handler, 1);
	lua_replace(L, 2);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2); /* handler, true, function, arguments */
	int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
	return finish_pcall(L, status, 2);
}

static int resume_tracked(lua_State *L, lua_State *co, int nargs)
{
	track(co);
	int nres, status = lua_resume(co, L, nargs, &nres);
	depth--;
	rethrow_if_killed(L);
	if (status == LUA_OK || status == LUA_YIELD) {
		if (!lua_checkstack(L, nres + 1))
			return luaL_error(L, "too many results to resume");
		lua_xmove(co, L, nres);
		return nres;
	}
	lua_xmove(co, L, 1); /* the error */
	return -1;
}

static int co_resume(lua_State *L)
{
	lua_State *co = lua_tothread(L, 1);
	luaL_argexpected(L, co, 1, "coroutine");
	int nargs = lua_gettop(L) - 1;
	if (!lua_checkstack(co, nargs))
		return luaL_error(L, "too many arguments to resume");
	lua_xmove(L, co, nargs);
	int r = resume_tracked(L, co, nargs);
	if (r < 0) {
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return 2;
	}
	lua_pushboolean(L, 1);
	lua_insert(L, -(r + 1));
	return r + 1;
}

static int co_wrapped(lua_State *L)
{
	lua_State *co = lua_tothread(L, lua_upvalueindex(1));
	int nargs = lua_gettop(L);
	if (!lua_checkstack(co, nargs))
		return luaL_error(L, "too many arguments to resume");
	lua_xmove(L, co, nargs);
	int r = resume_tracked(L, co, nargs);
	if (r < 0)
		return lua_error(L);
	return r;
}

static int co_wrap(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_State *co = lua_newthread(L);
	lua_pushvalue(L, 1);
	lua_xmove(L, co, 1);
	lua_pushcclosure(L, co_wrapped, 1);
	return 1;
}

/* setmetatable: tables only, and no __gc or __close (they run with hooks
   off, or reach Lua 5.4.4's coroutine.close crash). */
static int safe_setmetatable(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (!lua_isnil(L, 2)) {
		luaL_checktype(L, 2, LUA_TTABLE);
		static const char *const refused[] = {"__gc", "__close"};
		for (int i = 0; i < 2; i++) {
			lua_pushstring(L, refused[i]);
			if (lua_rawget(L, 2) != LUA_TNIL)
				return luaL_error(L, "setmetatable: %s metamethods are not allowed here", refused[i]);
			lua_pop(L, 1);
		}
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

/* ---- library functions that cannot be interrupted, made bounded ---- */


/* string.rep: empty pieces give "" at once (the stock one loops N times,
   which no hook can stop) */
static int safe_rep(lua_State *L)
{
	size_t l, lsep;
	luaL_checklstring(L, 1, &l);
	lua_Integer n = luaL_checkinteger(L, 2);
	luaL_optlstring(L, 3, "", &lsep);
	if (n <= 0 || l + lsep == 0) {
		lua_pushliteral(L, "");
		return 1;
	}
	return call_stock(L);
}

/* table.move: at most MOVE_MAX elements in one call */
static int safe_move(lua_State *L)
{
	lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
	if (e >= f && (lua_Unsigned)e - (lua_Unsigned)f >= MOVE_MAX)
		return luaL_error(L, "table.move: more than %d elements at once", MOVE_MAX);
	return call_stock(L);
}

/* load: text only, bounded, and the script's environment unless one is
   given (the stock load would hand out the host's globals) */
static int safe_load(lua_State *L)
{
	size_t len;
	if (lua_type(L, 1) != LUA_TSTRING)
		return luaL_error(L, "load: only strings can be loaded here");
	const char *s = lua_tolstring(L, 1, &len);
	if (len > SCRIPT_MAX)
		return luaL_error(L, "load: chunk larger than %u MiB", SCRIPT_MAX >> 20);
	const char *name = luaL_optstring(L, 2, s);
	bool env = lua_gettop(L) >= 4;
	if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
		luaL_pushfail(L);
		lua_insert(L, -2);
		return 2;
	}
	if (env)
		lua_pushvalue(L, 4);
	else
		lua_pushvalue(L, lua_upvalueindex(1));
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	return 1;
}

static int safe_collectgarbage(lua_State *L)
{
	const char *opt = luaL_optstring(L, 1, "collect");
	if (!strcmp(opt, "count")) {
		lua_pushnumber(L, (lua_Number)host->used / 1024);
		return 1;
	}
	if (!strcmp(opt, "collect")) {
		lua_gc(L, LUA_GCCOLLECT);
		lua_pushinteger(L, 0);
		return 1;
	}
	return luaL_error(L, "collectgarbage: only \"count\" and \"collect\" here");
}

/* os.exit: the script ends here, its output flushed */
static int safe_exit(lua_State *L)
{
	int code = lua_isboolean(L, 1) ? !lua_toboolean(L, 1) : (int)luaL_optinteger(L, 1, 0);
	fflush(NULL);
	_exit(code & 0xff);
}

/* require: pure-Lua modules, loaded as text into the script's
   environment, with a private table of loaded modules.  Searched beside
   the script (NAME.lua, NAME/init.lua, dots for slashes), then along
   LUA_PATH_5_4 or LUA_PATH as the payload's environment sets them (";;"
   for the default, /usr/local/share/lua/5.4 and /usr/share/lua/5.4).
   Only .lua files, and only where the policy lets the script read. */
/* One template: ? is the module's path. */
static FILE *find_module_in(const char *rel, const char *template, char *path, size_t size,
                            luaL_Buffer *tried)
{
	size_t at = 0;
	for (const char *c = template; *c && at + 1 < size; c++)
		if (*c == '?')
			at += snprintf(path + at, size - at, "%s", rel);
		else
			path[at++] = *c;
	path[at < size ? at : size - 1] = 0;
	size_t n = strlen(path);
	if (n < 4 || strcmp(path + n - 4, ".lua")) /* pure Lua only */
		return NULL;
	FILE *f = fopen(path, "re");
	if (!f) {
		luaL_addstring(tried, "\n\tno file '");
		luaL_addstring(tried, path);
		luaL_addstring(tried, errno == ENOENT ? "'" : "' (");
		if (errno != ENOENT) {
			luaL_addstring(tried, strerror(errno));
			luaL_addstring(tried, ")");
		}
	}
	return f;
}

#define LUA_DEFAULT_PATH                                                              \
	"/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;"               \
	"/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua"

static FILE *find_module(const char *rel, char *path, size_t size, luaL_Buffer *tried)
{
	const char *env = getenv("LUA_PATH_5_4");
	if (!env)
		env = getenv("LUA_PATH");
	char templates[8192];
	snprintf(templates, sizeof templates, "%s/?.lua;%s/?/init.lua;%s", host->dir, host->dir,
	         env ? env : LUA_DEFAULT_PATH);
	for (char *t = templates, *next; t; t = next) {
		next = strchr(t, ';');
		if (next)
			*next++ = 0;
		if (!*t) { /* ";;": the default path here */
			FILE *f = find_module_in(rel, LUA_DEFAULT_PATH, path, size, tried);
			if (f)
				return f;
			continue;
		}
		FILE *f = find_module_in(rel, t, path, size, tried);
		if (f)
			return f;
	}
	return NULL;
}

static int safe_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	lua_settop(L, 1);
	if (lua_getfield(L, lua_upvalueindex(1), name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	char rel[256], path[PATH_MAX + 300];
	if (strlen(name) >= sizeof rel)
		return luaL_error(L, "module '%s' not found (the name is too long)", name);
	snprintf(rel, sizeof rel, "%s", name);
	for (char *c = rel; *c; c++)
		if (*c == '.')
			*c = '/';
	if (strstr(rel, "..") || rel[0] == '/' || !rel[0])
		return luaL_error(L, "module '%s' not found (a module name is dotted words)", name);
	luaL_Buffer tried;
	luaL_buffinit(L, &tried);
	FILE *f = find_module(rel, path, sizeof path, &tried);
	if (!f) {
		luaL_pushresult(&tried);
		return luaL_error(L, "module '%s' not found:%s", name, lua_tostring(L, -1));
	}
	luaL_pushresult(&tried);
	lua_pop(L, 1);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	char chunk[4096];
	size_t n, total = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && (total += n) <= SCRIPT_MAX)
		luaL_addlstring(&b, chunk, n);
	fclose(f);
	if (total > SCRIPT_MAX)
		return luaL_error(L, "module '%s' is larger than %u MiB", name, SCRIPT_MAX >> 20);
	luaL_pushresult(&b);
	size_t len;
	const char *text = lua_tolstring(L, -1, &len);
	lua_pushfstring(L, "@%s", path);
	if (luaL_loadbufferx(L, text, len, lua_tostring(L, -1), "t") != LUA_OK)
		return lua_error(L);
	lua_pushvalue(L, lua_upvalueindex(2));
	lua_setupvalue(L, -2, 1);
	lua_pushvalue(L, 1);
	lua_pushstring(L, path);
	lua_call(L, 2, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, lua_upvalueindex(1), name);
	return 1;
}

/* ---- the script's environment ---- */

/* Replace field NAME of the table on top with FN, the old value its upvalue. */
static void wrap_field(lua_State *L, const char *name, lua_CFunction fn)
{
	lua_getfield(L, -1, name);
	lua_pushcclosure(L, fn, 1);
	lua_setfield(L, -2, name);
}

static void make_env(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
		{LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
		{LUA_OSLIBNAME, luaopen_os},     {LUA_IOLIBNAME, luaopen_io},
	};
	enum { BASE, STRING, TABLE, MATH, UTF8, CO, OS, IO, NLIBS };
	int lib[NLIBS];
	for (int i = 0; i < NLIBS; i++) {
		luaL_requiref(L, libs[i].name, libs[i].func, 0);
		lib[i] = lua_gettop(L);
	}
	/* the real string table is what ("x"):method() reaches: no dump, a
	   bounded rep, and a metatable the script can neither read nor change */
	config_seal_strings(L, lib[STRING]);
	lua_pushvalue(L, lib[STRING]);
	wrap_field(L, "rep", safe_rep);
	lua_pop(L, 1);
	/* files' metatable too: a __gc put there would run with hooks off */
	luaL_getmetatable(L, LUA_FILEHANDLE);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);

	static const char *const base[] = {
		"assert", "error", "ipairs", "next", "pairs", "select", "tonumber", "tostring", "type",
		"rawequal", "rawget", "rawlen", "rawset", "getmetatable", "print", "_VERSION"};
	config_copy_fields(L, lib[BASE], base, sizeof base / sizeof *base);
	int env = lua_gettop(L);
	static const luaL_Reg wrapped[] = {
		{"pcall", safe_pcall}, {"xpcall", safe_xpcall}, {"setmetatable", safe_setmetatable},
		{"collectgarbage", safe_collectgarbage}, {NULL, NULL}};
	luaL_setfuncs(L, wrapped, 0);
	lua_pushvalue(L, env);
	lua_pushcclosure(L, safe_load, 1);
	lua_setfield(L, env, "load");
	lua_newtable(L); /* require's own loaded modules */
	lua_pushvalue(L, env);
	lua_pushcclosure(L, safe_require, 2);
	lua_setfield(L, env, "require");

	config_copy_fields(L, lib[STRING], NULL, 0);
	lua_setfield(L, env, "string");
	config_copy_fields(L, lib[TABLE], NULL, 0);
	wrap_field(L, "move", safe_move);
	lua_setfield(L, env, "table");
	config_copy_fields(L, lib[MATH], NULL, 0);
	lua_setfield(L, env, "math");
	config_copy_fields(L, lib[UTF8], NULL, 0);
	lua_setfield(L, env, "utf8");
	static const char *const co[] = {"create", "isyieldable", "running", "status", "yield", "close"};
	config_copy_fields(L, lib[CO], co, sizeof co / sizeof *co);
	lua_pushcfunction(L, co_resume);
	lua_setfield(L, -2, "resume");
	lua_pushcfunction(L, co_wrap);
	lua_setfield(L, -2, "wrap");
	lua_setfield(L, env, "coroutine");
	static const char *const os[] = {"time", "clock", "date", "difftime", "getenv"};
	config_copy_fields(L, lib[OS], os, sizeof os / sizeof *os);
	lua_pushcfunction(L, safe_exit);
	lua_setfield(L, -2, "exit");
	lua_setfield(L, env, "os");
	static const char *const io[] = {"write", "read", "lines", "open", "close", "type",
	                                 "stdin", "stdout", "stderr"};
	config_copy_fields(L, lib[IO], io, sizeof io / sizeof *io);
	lua_setfield(L, env, "io");
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
	lua_replace(L, lib[BASE]); /* the environment, at the first slot */
	lua_settop(L, lib[BASE]);
}

/* ---- errors: the script's own frames ---- */

static bool own_frame(const char *source)
{
	size_t n = strlen(host->dir);
	return source[0] == '@' && (!strcmp(source + 1, host->script) ||
	                            (!strncmp(source + 1, host->dir, n) && source[1 + n] == '/'));
}

static int message_handler(lua_State *L)
{
	luaL_Buffer b;
	const char *msg = lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER
	                      ? lua_tostring(L, 1)
	                      : NULL;
	char other[64];
	if (!msg) { /* never a metamethod of the script's: it could loop */
		snprintf(other, sizeof other, "(error object is a %s value)", luaL_typename(L, 1));
		msg = other;
	}
	if (killed) {
		lua_pushstring(L, msg);
		return 1;
	}
	luaL_buffinit(L, &b);
	luaL_addstring(&b, msg);
	lua_Debug ar;
	int shown = 0, same = 0;
	char line[PATH_MAX + 128], last[PATH_MAX + 128] = "";
	/* lua_getstack walks from the top: a hundred levels, not a deep
	   recursion's hundred thousand */
	for (int level = 1; level <= 100 && lua_getstack(L, level, &ar) && shown < 12; level++) {
		lua_getinfo(L, "Sln", &ar);
		if (!own_frame(ar.source) || ar.currentline <= 0)
			continue;
		snprintf(line, sizeof line, "\n  %s:%d: in %s%s%s", ar.short_src, ar.currentline,
		         ar.name ? "function '" : *ar.what == 'm' ? "the main chunk" : "a function",
		         ar.name ? ar.name : "", ar.name ? "'" : "");
		if (!strcmp(line, last)) { /* deep recursion: once, and a count */
			same++;
			continue;
		}
		if (same) {
			char more[64];
			snprintf(more, sizeof more, "\n  (the same, %d more times)", same);
			luaL_addstring(&b, more);
			same = 0;
		}
		if (!shown++)
			luaL_addstring(&b, "\ntraceback:");
		luaL_addstring(&b, line);
		snprintf(last, sizeof last, "%s", line);
	}
	if (same) {
		char more[64];
		snprintf(more, sizeof more, "\n  (the same, %d more times, and deeper)", same);
		luaL_addstring(&b, more);
	}
	luaL_pushresult(&b);
	return 1;
}

static int panic(lua_State *L)
{
	fprintf(stderr, "vow lua: internal Lua panic: %s\n",
	        lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
	_exit(70);
}

/* ---- before sealing, and in the payload ---- */

const char *luahost_prepare(struct luahost *h, const char *script, char **args)
{
	static char msg[PATH_MAX + 64];
	memset(h, 0, sizeof *h);
	h->script = script;
	h->args = args;
	int fd = open(script, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(msg, sizeof msg, "%s: %s", script, strerror(errno));
		return msg;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > SCRIPT_MAX) {
		close(fd);
		snprintf(msg, sizeof msg, "%s: %s", script,
		         S_ISREG(st.st_mode) ? "larger than 16 MiB" : "not a regular file");
		return msg;
	}
	h->text = malloc(st.st_size + 1);
	if (!h->text)
		die("out of memory");
	ssize_t n = read(fd, h->text, st.st_size);
	close(fd);
	if (n != st.st_size) {
		snprintf(msg, sizeof msg, "%s: cannot read it", script);
		return msg;
	}
	h->len = n;
	char real[PATH_MAX];
	if (!realpath(script, real))
		snprintf(real, sizeof real, "%s", script);
	char *slash = strrchr(real, '/');
	if (slash)
		*slash = 0;
	h->dir = strdup(slash ? real : ".");
	return NULL;
}

_Noreturn void luahost_run(struct luahost *h)
{
	host = h;
	lua_State *L = lua_newstate(alloc, h);
	if (!L)
		die("cannot create the Lua state");
	lua_atpanic(L, panic);
	/* the collector lua5.4 itself runs: generational (the incremental
	   one cost scripts about a tenth more time) */
	lua_gc(L, LUA_GCGEN, 0, 0);
	track(L);
	make_env(L); /* index 1 */
	if (h->steps) {
		steps_left = h->steps;
		h->step_quantum = steps_left < STEP_QUANTUM ? (int)steps_left : STEP_QUANTUM;
		lua_sethook(L, steps_hook, LUA_MASKCOUNT, h->step_quantum);
	}
	struct sigaction sa = {.sa_handler = on_timer, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGXCPU, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
	if (timer_create(CLOCK_MONOTONIC, &sev, &wall_timer))
		die("cannot make the watchdog timer");
	if (h->wall_ms) {
		struct itimerspec it = {{0, 0}, {h->wall_ms / 1000, (h->wall_ms % 1000) * 1000000}};
		timer_settime(wall_timer, 0, &it, NULL);
	}

	lua_pushcfunction(L, message_handler);
	int status;
	char chunk[PATH_MAX + 2];
	snprintf(chunk, sizeof chunk, "@%s", h->script);
	status = luaL_loadbufferx(L, h->text, h->len, chunk, "t");
	if (status == LUA_OK) {
		lua_pushvalue(L, 1);
		lua_setupvalue(L, -2, 1);
		/* arg, as the standalone interpreter sets it */
		int n = 0;
		while (h->args[n])
			n++;
		lua_createtable(L, n, 2);
		lua_pushliteral(L, "vow");
		lua_rawseti(L, -2, -1);
		lua_pushstring(L, h->script);
		lua_rawseti(L, -2, 0);
		for (int i = 0; i < n; i++) {
			lua_pushstring(L, h->args[i]);
			lua_rawseti(L, -2, i + 1);
		}
		lua_setfield(L, 1, "arg");
		luaL_checkstack(L, n, "too many arguments");
		for (int i = 0; i < n; i++)
			lua_pushstring(L, h->args[i]);
		status = lua_pcall(L, n, 0, 2);
	}
	fflush(stdout);
	h->lifted = true;
	if (status != LUA_OK || killed) {
		const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		if (killed && (!msg || status == LUA_ERRMEM || !strstr(msg, kill_msg)))
			fprintf(stderr, "vow lua: %s\n", kill_msg);
		else
			fprintf(stderr, "vow lua: %s\n", msg ? msg : "error");
		fflush(NULL);
		_exit(1);
	}
	fflush(NULL);
	_exit(0);
}
