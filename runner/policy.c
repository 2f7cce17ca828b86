/* policy.c: the policy model and its setters.  The command line and the Lua
   config stage both call these, so every option reaches Lua by construction
   and every rule remembers who asked for it. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "promises.h"
#include "vow.h"

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		die("out of memory");
	return d;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

void policy_init(struct vow_policy *p)
{
	memset(p, 0, sizeof *p);
}

void policy_free(struct vow_policy *p)
{
	for (int i = 0; i < VOW_NLIMITS; i++)
		free(p->limit[i].source);
	for (int i = 0; i < 64; i++)
		free(p->caps_source[i]);
	for (size_t i = 0; i < p->nenv; i++) {
		free(p->env[i].name);
		free(p->env[i].value);
		free(p->env[i].kv);
		free(p->env[i].source);
	}
	free(p->env);
	free(p->nice_source);
	for (int i = 0; i < 32; i++)
		free(p->promise_source[i]);
	free(p->violation_source);
	for (size_t i = 0; i < p->npaths; i++) {
		free(p->paths[i].path);
		free(p->paths[i].source);
	}
	free(p->paths);
	for (size_t i = 0; i < p->nports; i++)
		free(p->ports[i].source);
	free(p->ports);
	for (size_t i = 0; i < p->nsources; i++)
		free(p->sources[i]);
	free(p->sources);
	for (size_t i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	memset(p, 0, sizeof *p);
}

/* A limit given later replaces an earlier one. */
void policy_limit(struct vow_policy *p, enum vow_limit l, uint64_t v, const char *source)
{
	p->limit[l].value = v;
	p->limit[l].set = true;
	free(p->limit[l].source);
	p->limit[l].source = xstrdup(source);
}

void policy_keep_cap(struct vow_policy *p, int cap, const char *source)
{
	if (p->caps_keep & (1ULL << cap))
		return;
	p->caps_keep |= 1ULL << cap;
	p->caps_source[cap] = xstrdup(source);
}

void policy_env(struct vow_policy *p, enum vow_env_op op, const char *name, const char *value,
                const char *source)
{
	p->env = xrealloc(p->env, (p->nenv + 1) * sizeof *p->env);
	char *kv = NULL;
	if (op == VOW_ENV_SET) {
		kv = xrealloc(NULL, strlen(name) + strlen(value) + 2);
		strcat(strcat(strcpy(kv, name), "="), value);
	}
	p->env[p->nenv++] = (struct vow_env_edit){op, name ? xstrdup(name) : NULL,
	                                          value ? xstrdup(value) : NULL, kv, xstrdup(source)};
}

void policy_nice(struct vow_policy *p, const char *source)
{
	p->nice = true;
	free(p->nice_source);
	p->nice_source = xstrdup(source);
}

/* Promises only add up; "" is the empty set, where only exit works. */
const char *policy_promise(struct vow_policy *p, const char *text, const char *source)
{
	promises_t set;
	const char *err = promises_parse(text, &set);
	if (err)
		return err;
	p->has_promises = true;
	for (int b = 0; b < NPROMISES; b++)
		if ((set & (1u << b)) && !(p->promises & (1u << b))) {
			p->promises |= 1u << b;
			p->promise_source[b] = xstrdup(source);
		}
	return NULL;
}

const char *const vow_violation_names[] = {"report", "eperm", "kill", NULL};

const char *policy_violation(struct vow_policy *p, const char *mode, const char *source)
{
	static char msg[160];
	for (int i = 0; vow_violation_names[i]; i++)
		if (!strcmp(mode, vow_violation_names[i])) {
			p->violation = i;
			p->violation_set = true;
			free(p->violation_source);
			p->violation_source = xstrdup(source);
			return NULL;
		}
	const char *s = suggest(mode, (const char *const *)vow_violation_names, 3);
	snprintf(msg, sizeof msg, "unknown violation mode \"%s\"%s%s%s (report, eperm or kill)", mode,
	         s ? " (did you mean " : "", s ? s : "", s ? "?)" : "");
	return msg;
}

/* "rwxc" letters: r read, w write, x execute, c create and remove; and l,
   list a directory's entries without reading any file (what a carve-out
   gives the directories above the paths it keeps out) */
static const char letters[] = "rwxcl";

const char *perms_text(unsigned perms)
{
	static char buf[8];
	int n = 0;
	for (int i = 0; letters[i]; i++)
		if (perms & (1u << i))
			buf[n++] = letters[i];
	buf[n] = 0;
	return buf;
}

/* Is PATH the directory DIR or beneath it (both absolute, resolved)? */
bool path_beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strcmp(dir, "/") || (!strncmp(path, dir, n) && (path[n] == '/' || !path[n]));
}

/* realpath and stat, with the last parent directory remembered: a
   carve-out unveils a hundred entries of one directory, and realpath
   costs a readlink per component. */
static char *resolve(const char *path, char *real, struct stat *st)
{
	static char last_dir[PATH_MAX], last_real[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (path[0] == '/' && slash > path && slash[1] && strcmp(slash + 1, ".") &&
	    strcmp(slash + 1, "..") && (size_t)(slash - path) < sizeof last_dir &&
	    !strncmp(path, last_dir, slash - path) && !last_dir[slash - path] &&
	    !lstat(path, st) && !S_ISLNK(st->st_mode) &&
	    snprintf(real, PATH_MAX, "%s%s", last_real, slash) < PATH_MAX)
		return real;
	if (!realpath(path, real) || stat(real, st))
		return NULL;
	if (path[0] == '/' && slash > path && (size_t)(slash - path) < sizeof last_dir) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
		if (realpath(dir, last_real))
			snprintf(last_dir, sizeof last_dir, "%s", dir);
		else
			last_dir[0] = 0;
	}
	return real;
}

/* Paths only add up: the same path unveiled twice gets both sets of
   letters.  PATH is resolved now: "~" is the home, relative paths start
   at the working directory, symlinks are followed to what they name.
   An error's errno is EINVAL for bad letters or an empty path, else the
   path's own (ENOENT ...). */
const char *policy_unveil(struct vow_policy *p, const char *path, const char *perms, bool optional,
                          const char *home, const char *source)
{
	static char msg[PATH_MAX + 200];
	unsigned set = 0;
	for (const char *c = perms; *c; c++) {
		const char *at = strchr(letters, *c);
		if (!at || !*c) {
			snprintf(msg, sizeof msg, "unknown permission '%c' in \"%s\" (letters: r w x c l)", *c,
			         perms);
			errno = EINVAL;
			return msg;
		}
		set |= 1u << (at - letters);
	}
	if (!set) {
		errno = EINVAL;
		return "empty permissions cannot take away what another rule gives (Landlock only "
		       "adds): leave the path out instead";
	}
	/* from here the file system is restricted, even if this path is missing
	   and left out: a policy whose optional paths all vanish must not open
	   the whole tree */
	p->restricts_paths = true;
	char full[PATH_MAX], real[PATH_MAX];
	if (path[0] == '~' && (path[1] == 0 || path[1] == '/'))
		snprintf(full, sizeof full, "%s%s", home, path + 1);
	else
		snprintf(full, sizeof full, "%s", path);
	if (!*full) {
		errno = EINVAL;
		return "an empty path";
	}
	struct stat st;
	if (!resolve(full, real, &st)) {
		if (optional && errno == ENOENT)
			return NULL;
		snprintf(msg, sizeof msg, "%s: %s%s", path, strerror(errno),
		         errno == ENOENT ? " (in a policy, vow.unveil(path, perms, {optional = true}) "
		                           "leaves out a missing path)"
		                         : "");
		return msg;
	}
	for (size_t i = 0; i < p->npaths; i++)
		if (!strcmp(p->paths[i].path, real)) {
			/* letters this rule adds: name its source too */
			if (set & ~p->paths[i].perms && strcmp(p->paths[i].source, source)) {
				char *both;
				if (asprintf(&both, "%s; %s: %s", p->paths[i].source, perms_text(set & ~p->paths[i].perms),
				             source) < 0)
					die("out of memory");
				free(p->paths[i].source);
				p->paths[i].source = both;
			}
			p->paths[i].perms |= set;
			return NULL;
		}
	p->paths = xrealloc(p->paths, (p->npaths + 1) * sizeof *p->paths);
	p->paths[p->npaths++] = (struct vow_path){xstrdup(real), set, S_ISDIR(st.st_mode), xstrdup(source)};
	return NULL;
}

/* After every source: what the promises bring when path rules are active,
   and the refusal of file-set promises without them.  TMPDIR is the
   private directory made for tmppath (NULL for vow show). */
const char *policy_finish(struct vow_policy *p, const char *tmpdir)
{
	static char msg[200];
	if (!p->has_promises)
		return NULL;
	bool user_rules = p->npaths || p->restricts_paths;
	if (!user_rules && (p->promises & promises_need_paths)) {
		for (int b = 0; b < NPROMISES; b++)
			if (p->promises & promises_need_paths & (1u << b)) {
				snprintf(msg, sizeof msg,
				         "promise \"%s\" is a set of files, which only path rules can "
				         "give: add one (-v, vow.unveil), or promise %s instead",
				         promise_name(b), b == P_TMPPATH ? "rpath wpath cpath" : "rpath");
				return msg;
			}
	}
	if (!user_rules)
		return NULL;
	for (size_t i = 0; i < npromise_files; i++) {
		const struct promise_file *f = &promise_files[i];
		if (!(p->promises & (1u << f->bit)))
			continue;
		char source[64];
		snprintf(source, sizeof source, "promise %s", promise_name(f->bit));
		const char *err = policy_unveil(p, f->path, f->perms, true, "/", source);
		if (err)
			return err;
	}
	/* tty: the terminals its standard descriptors are */
	for (int fd = 0; fd < 3 && (p->promises & (1u << P_TTY)); fd++) {
		char name[PATH_MAX];
		if (!isatty(fd) || ttyname_r(fd, name, sizeof name))
			continue;
		const char *err = policy_unveil(p, name, "rw", true, "/", "promise tty");
		if (err)
			return err;
	}
	if ((p->promises & (1u << P_TMPPATH)) && tmpdir) {
		const char *err = policy_unveil(p, tmpdir, "rwc", false, "/", "promise tmppath");
		if (err)
			return err;
	}
	return NULL;
}

/* A TCP port to connect to or bind; ports only add up.  With any, TCP
   connect and bind to every other port are refused.  Port 0 stands for
   "any": connect (or bind) to every port, while the other kind stays
   limited to the ports named for it (none: refused). */
const char *policy_port(struct vow_policy *p, bool bind, long long port, const char *source)
{
	if (port < 0 || port > 65535)
		return "a TCP port is a number from 1 to 65535, or \"any\"";
	for (size_t i = 0; i < p->nports; i++)
		if (p->ports[i].port == port && p->ports[i].bind == bind)
			return NULL;
	p->ports = xrealloc(p->ports, (p->nports + 1) * sizeof *p->ports);
	p->ports[p->nports++] = (struct vow_port){(uint16_t)port, bind, xstrdup(source)};
	return NULL;
}

const char *port_parse(const char *text, long long *port)
{
	if (!strcmp(text, "any")) {
		*port = 0;
		return NULL;
	}
	if (!*text || strspn(text, "0123456789") != strlen(text) || strlen(text) > 5)
		return "a TCP port is a number from 1 to 65535, or \"any\"";
	*port = atoll(text);
	if (!*port)
		return "a TCP port is a number from 1 to 65535, or \"any\"";
	return NULL;
}

void policy_source(struct vow_policy *p, const char *name)
{
	p->sources = xrealloc(p->sources, (p->nsources + 1) * sizeof *p->sources);
	p->sources[p->nsources++] = xstrdup(name);
}

/* A note for `vow show`: "TEXT  (SOURCE)". */
void policy_note(struct vow_policy *p, const char *text, const char *source)
{
	char *s;
	if (asprintf(&s, "%s  (%s)", text, source) < 0)
		die("out of memory");
	p->notes = xrealloc(p->notes, (p->nnotes + 1) * sizeof *p->notes);
	p->notes[p->nnotes++] = s;
}

/* ---- the environment: edits replayed in order over the inherited one ---- */

static size_t namelen(const char *kv)
{
	const char *eq = strchr(kv, '=');
	return eq ? (size_t)(eq - kv) : strlen(kv);
}

static ssize_t find(char **env, size_t n, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < n; i++)
		if (namelen(env[i]) == len && !strncmp(env[i], name, len))
			return i;
	return -1;
}

/* The environment the payload gets: a new NULL-terminated array whose
   strings are either inherited or owned by the policy. */
char **env_resolve(const struct vow_policy *p, char **inherited)
{
	size_t n = 0, cap = 16;
	for (char **e = inherited; e && *e; e++)
		cap++;
	for (size_t i = 0; i < p->nenv; i++)
		cap++;
	char **env = xrealloc(NULL, cap * sizeof *env);
	for (char **e = inherited; e && *e; e++)
		if (strchr(*e, '='))
			env[n++] = *e;
	for (size_t i = 0; i < p->nenv; i++) {
		const struct vow_env_edit *ed = &p->env[i];
		ssize_t at = ed->name ? find(env, n, ed->name) : -1;
		switch (ed->op) {
		case VOW_ENV_CLEAR: n = 0; break;
		case VOW_ENV_UNSET:
			if (at >= 0)
				env[at] = env[--n];
			break;
		case VOW_ENV_KEEP: {
			size_t ninh = 0;
			while (inherited && inherited[ninh])
				ninh++;
			ssize_t from = find(inherited, ninh, ed->name);
			if (at < 0 && from >= 0)
				env[n++] = inherited[from];
			break;
		}
		case VOW_ENV_SET:
			if (at >= 0)
				env[at] = ed->kv;
			else
				env[n++] = ed->kv;
			break;
		}
	}
	env[n] = NULL;
	return env;
}

/* "~": HOME as the payload will have it, else the passwd entry, else "/".
   vow.home(), "~" in Lua paths and "~" in -v all ask here. */
const char *policy_home(const struct vow_policy *p, char **inherited)
{
	const char *h = env_get(p, inherited, "HOME");
	if (h && *h)
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_dir : "/";
}

/* The value NAME will have in the payload, or NULL. */
const char *env_get(const struct vow_policy *p, char **inherited, const char *name)
{
	char **env = env_resolve(p, inherited);
	const char *v = NULL;
	size_t n = 0;
	while (env[n])
		n++;
	ssize_t at = find(env, n, name);
	if (at >= 0)
		v = env[at] + strlen(name) + 1;
	free(env);
	return v;
}

/* ---- a policy as bytes: libvow runs a Lua policy in a child process and
   takes back what it made ---- */
struct packer {
	char *buf;
	size_t len, cap;
	const char *at, *end; /* reading */
	bool bad;
};

static void put(struct packer *k, const void *v, size_t n)
{
	if (k->len + n > k->cap) {
		k->cap = (k->len + n) * 2 + 256;
		k->buf = xrealloc(k->buf, k->cap);
	}
	memcpy(k->buf + k->len, v, n);
	k->len += n;
}

static void put_u64(struct packer *k, uint64_t v)
{
	put(k, &v, sizeof v);
}

/* a string as its length + 1, 0 for NULL */
static void put_str(struct packer *k, const char *s)
{
	put_u64(k, s ? strlen(s) + 1 : 0);
	if (s)
		put(k, s, strlen(s));
}

static uint64_t get_u64(struct packer *k)
{
	uint64_t v = 0;
	if ((size_t)(k->end - k->at) < sizeof v) {
		k->bad = true;
		return 0;
	}
	memcpy(&v, k->at, sizeof v);
	k->at += sizeof v;
	return v;
}

static char *get_str(struct packer *k)
{
	uint64_t n = get_u64(k);
	if (!n)
		return NULL;
	if (n - 1 > (uint64_t)(k->end - k->at)) {
		k->bad = true;
		return NULL;
	}
	char *s = xrealloc(NULL, n);
	memcpy(s, k->at, n - 1);
	s[n - 1] = 0;
	k->at += n - 1;
	return s;
}

/* a count of items each at least MIN bytes long: no more than the bytes left allow */
static size_t get_count(struct packer *k, size_t min)
{
	uint64_t n = get_u64(k);
	if (n > (uint64_t)(k->end - k->at) / min) {
		k->bad = true;
		return 0;
	}
	return n;
}

char *policy_pack(const struct vow_policy *p, size_t *len)
{
	struct packer k = {0};
	for (int i = 0; i < VOW_NLIMITS; i++) {
		put_u64(&k, p->limit[i].value);
		put_u64(&k, p->limit[i].set);
		put_str(&k, p->limit[i].source);
	}
	put_u64(&k, p->caps_keep);
	for (int i = 0; i < 64; i++)
		put_str(&k, p->caps_source[i]);
	put_u64(&k, p->nenv);
	for (size_t i = 0; i < p->nenv; i++) {
		put_u64(&k, p->env[i].op);
		put_str(&k, p->env[i].name);
		put_str(&k, p->env[i].value);
		put_str(&k, p->env[i].source);
	}
	put_u64(&k, p->nice);
	put_str(&k, p->nice_source);
	put_u64(&k, p->best_effort);
	put_u64(&k, p->has_promises);
	put_u64(&k, p->promises);
	for (int i = 0; i < 32; i++)
		put_str(&k, p->promise_source[i]);
	put_u64(&k, p->violation);
	put_u64(&k, p->violation_set);
	put_str(&k, p->violation_source);
	put_u64(&k, p->npaths);
	for (size_t i = 0; i < p->npaths; i++) {
		put_str(&k, p->paths[i].path);
		put_u64(&k, p->paths[i].perms);
		put_u64(&k, p->paths[i].dir);
		put_str(&k, p->paths[i].source);
	}
	put_u64(&k, p->restricts_paths);
	put_u64(&k, p->nports);
	for (size_t i = 0; i < p->nports; i++) {
		put_u64(&k, p->ports[i].port);
		put_u64(&k, p->ports[i].bind);
		put_str(&k, p->ports[i].source);
	}
	put_u64(&k, p->nsources);
	for (size_t i = 0; i < p->nsources; i++)
		put_str(&k, p->sources[i]);
	put_u64(&k, p->nnotes);
	for (size_t i = 0; i < p->nnotes; i++)
		put_str(&k, p->notes[i]);
	*len = k.len;
	return k.buf;
}

/* The policy policy_pack wrote, into *P (initialised here); -1 when the
   bytes are not one, with *P empty. */
int policy_unpack(struct vow_policy *p, const char *buf, size_t len)
{
	struct packer k = {.at = buf, .end = buf + len};
	policy_init(p);
	for (int i = 0; i < VOW_NLIMITS; i++) {
		p->limit[i].value = get_u64(&k);
		p->limit[i].set = get_u64(&k);
		p->limit[i].source = get_str(&k);
	}
	p->caps_keep = get_u64(&k);
	for (int i = 0; i < 64; i++)
		p->caps_source[i] = get_str(&k);
	p->nenv = get_count(&k, 32);
	p->env = p->nenv ? xrealloc(NULL, p->nenv * sizeof *p->env) : NULL;
	for (size_t i = 0; i < p->nenv; i++) {
		struct vow_env_edit *e = &p->env[i];
		e->op = get_u64(&k);
		e->name = get_str(&k);
		e->value = get_str(&k);
		e->source = get_str(&k);
		e->kv = NULL;
		if (e->op > VOW_ENV_UNSET || (e->op != VOW_ENV_CLEAR && !e->name) ||
		    (e->op == VOW_ENV_SET && !e->value))
			k.bad = true;
		else if (e->op == VOW_ENV_SET && asprintf(&e->kv, "%s=%s", e->name, e->value) < 0)
			die("out of memory");
	}
	p->nice = get_u64(&k);
	p->nice_source = get_str(&k);
	p->best_effort = get_u64(&k);
	p->has_promises = get_u64(&k);
	p->promises = get_u64(&k);
	for (int i = 0; i < 32; i++)
		p->promise_source[i] = get_str(&k);
	p->violation = get_u64(&k);
	p->violation_set = get_u64(&k);
	p->violation_source = get_str(&k);
	if (p->violation > VOW_KILL)
		k.bad = true;
	p->npaths = get_count(&k, 32);
	p->paths = p->npaths ? xrealloc(NULL, p->npaths * sizeof *p->paths) : NULL;
	for (size_t i = 0; i < p->npaths; i++) {
		p->paths[i].path = get_str(&k);
		p->paths[i].perms = get_u64(&k);
		p->paths[i].dir = get_u64(&k);
		p->paths[i].source = get_str(&k);
		if (!p->paths[i].path || p->paths[i].path[0] != '/')
			k.bad = true;
	}
	p->restricts_paths = get_u64(&k);
	p->nports = get_count(&k, 24);
	p->ports = p->nports ? xrealloc(NULL, p->nports * sizeof *p->ports) : NULL;
	for (size_t i = 0; i < p->nports; i++) {
		uint64_t port = get_u64(&k);
		p->ports[i].port = port;
		p->ports[i].bind = get_u64(&k);
		p->ports[i].source = get_str(&k);
		if (port > 65535)
			k.bad = true;
	}
	p->nsources = get_count(&k, 8);
	p->sources = p->nsources ? xrealloc(NULL, p->nsources * sizeof *p->sources) : NULL;
	for (size_t i = 0; i < p->nsources; i++)
		p->sources[i] = get_str(&k);
	p->nnotes = get_count(&k, 8);
	p->notes = p->nnotes ? xrealloc(NULL, p->nnotes * sizeof *p->notes) : NULL;
	for (size_t i = 0; i < p->nnotes; i++)
		p->notes[i] = get_str(&k);
	if (k.bad || k.at != k.end) {
		policy_free(p);
		return -1;
	}
	return 0;
}
