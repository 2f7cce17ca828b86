/* main.c: the vow command, a thin client of the mechanisms and the config
   stage.  Options are a table for getopt_long; each one that sets policy
   calls the same setter a Lua policy would. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "promises.h"
#include "vow.h"

extern char **environ;

static const char usage[] =
	"usage: vow [run] [OPTIONS] [--] COMMAND [ARG...]   run COMMAND sealed\n"
	"       vow show [OPTIONS] [--lua] [-- COMMAND...]  print the resolved policy\n"
	"       vow show --promises                         print the promise table\n"
	"       vow lua [OPTIONS] [--steps N] SCRIPT [ARG...]  run a Lua script in the sealed host\n"
	"       vow trust [FILE...]                         approve the project's .vow.lua\n"
	"       vow matrix FILE [-j N] [--junit OUT] [--] COMMAND [ARG...]\n"
	"                                   run COMMAND under each configuration of FILE\n"
	"       vow learn [-o FILE] [--exact] [-T SECS] [-q] [--] COMMAND [ARG...]\n"
	"                                   run COMMAND observed; write the policy it needs\n"
	"       vow explain [OPTIONS] [--] COMMAND [ARG...]\n"
	"                                   run COMMAND observed; say what the policy\n"
	"                                   would refuse, and what to add\n"
	"       vow --help | --version\n"
	"\n"
	"Policy sources, applied in this order: the default policy (the project's\n"
	"trusted .vow.lua, found from here upward, else the built-in default;\n"
	"neither with --no-default or any -f), then -f and -e in command-line\n"
	"order, then the other options.  A limit given later replaces an earlier one.\n"
	"\n"
	"  -f, --policy FILE     load a Lua policy file, or a built-in policy by name\n"
	"  -e, --eval LUA        an inline policy chunk\n"
	"      --no-default      start from an empty policy\n"
	"  -M, --memory SIZE     address space per process (512M, 4G)\n"
	"  -P, --procs N         processes and threads alive in the sandbox at once\n"
	"  -N, --nofile N        open files per process\n"
	"  -F, --fsize SIZE      largest file a process may write\n"
	"  -C, --cpu SECONDS     CPU time per process\n"
	"  -T, --timeout SECS    wall-clock limit for the whole sandbox (2.5, 500ms, 10m)\n"
	"  -n, --nice            lowest CPU and I/O priority\n"
	"      --best-effort     run even if the kernel lacks a mechanism (warn)\n"
	"  -q, --quiet           no notices from vow itself, only errors\n"
	"      --timing          say where vow's own start-up went (on stderr)\n"
	"      --lua             (show) print the policy as Lua that -f loads back\n"
	"\n"
	"  -p, --promises STR    add promises, space separated (see vow show --promises)\n"
	"      --violation MODE  what a refused syscall gets: report (default), eperm, kill\n"
	"\n"
	"  -v, --unveil [PERM:]PATH  allow PATH with PERM, letters of rwxcl (default r)\n"
	"      --connect PORT    allow TCP connect to PORT (or any); with any port rule,\n"
	"                        others are refused\n"
	"      --bind PORT       allow TCP bind to PORT (likewise)\n"
	"\n"
	"      --steps N         (lua) end the script after N Lua VM instructions\n"
	"\n"
	"Built-in policies for -f: default readonly build python node lua sh\n"
	"net-client game script (vow show -f NAME prints one); vow lua's default\n"
	"is script: stdio, and reading the script's own directory.\n"
	"\n"

	"Exit status: the command's own; 128+N if it died of signal N; 125 vow\n"
	"failed and ran nothing; 126 the command is not executable; 127 not found.\n";

enum {
	OPT_NO_DEFAULT = 256,
	OPT_BEST_EFFORT,
	OPT_CONNECT,
	OPT_BIND,
	OPT_VIOLATION,
	OPT_LUA,
	OPT_PROMISES_TABLE,
	OPT_VERSION,
	OPT_STEPS,
	OPT_TIMING,
};

static const struct option long_options[] = {
	{"policy", required_argument, 0, 'f'},
	{"eval", required_argument, 0, 'e'},
	{"promises", required_argument, 0, 'p'},
	{"unveil", required_argument, 0, 'v'},
	{"memory", required_argument, 0, 'M'},
	{"procs", required_argument, 0, 'P'},
	{"nofile", required_argument, 0, 'N'},
	{"fsize", required_argument, 0, 'F'},
	{"cpu", required_argument, 0, 'C'},
	{"timeout", required_argument, 0, 'T'},
	{"connect", required_argument, 0, OPT_CONNECT},
	{"bind", required_argument, 0, OPT_BIND},
	{"violation", required_argument, 0, OPT_VIOLATION},
	{"best-effort", no_argument, 0, OPT_BEST_EFFORT},
	{"no-default", no_argument, 0, OPT_NO_DEFAULT},
	{"nice", no_argument, 0, 'n'},
	{"quiet", no_argument, 0, 'q'},
	{"lua", no_argument, 0, OPT_LUA},
	{"steps", required_argument, 0, OPT_STEPS},
	{"timing", no_argument, 0, OPT_TIMING},
	{"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, OPT_VERSION},
	{0, 0, 0, 0},
};
static const char short_options[] = "+:f:e:p:v:M:P:N:F:C:T:nqh";

struct cli {
	bool show, lua, no_default, best_effort, nice;
	bool explain;   /* vow explain */
	bool script;    /* vow lua */
	uint64_t steps; /* vow lua --steps */
	struct chunk *chunks;
	size_t nchunks;
	struct {
		uint64_t value;
		bool set;
		char source[64];
	} limit[VOW_NLIMITS];
	char **argv;
	char **connects, **binds; /* each --connect and --bind */
	size_t nconnects, nbinds;
	char **unveils; /* each -v, in order */
	size_t nunveils;
	char **promises; /* each -p, in order */
	size_t npromises;
	const char *violation;
};

/* Append S to the list *V of *N strings (repeatable options). */
static void push(char ***v, size_t *n, char *s)
{
	*v = realloc(*v, (*n + 1) * sizeof **v);
	if (!*v)
		die("out of memory");
	(*v)[(*n)++] = s;
}

static void add_chunk(struct cli *c, bool eval, const char *text)
{
	c->chunks = realloc(c->chunks, (c->nchunks + 1) * sizeof *c->chunks);
	if (!c->chunks)
		die("out of memory");
	c->chunks[c->nchunks++] = (struct chunk){eval, text};
}

static _Noreturn void unknown_option(char **argv, int opt)
{
	const char *names[sizeof long_options / sizeof *long_options];
	size_t n = 0;
	for (const struct option *o = long_options; o->name; o++)
		names[n++] = o->name;
	if (opt)
		die("unknown option -%c (try vow --help)", opt);
	const char *arg = argv[optind - 1];
	char word[64];
	snprintf(word, sizeof word, "%s", arg + strspn(arg, "-"));
	word[strcspn(word, "=")] = 0;
	const char *s = suggest(word, names, n);
	if (s)
		die("unknown option %s (did you mean --%s?)", arg, s);
	die("unknown option %s (try vow --help)", arg);
}

static int trust_main(int n, char **files);

static void parse(struct cli *c, int argc, char **argv)
{
	int first = 1;
	if (argc > 1 && !strcmp(argv[1], "run"))
		first = 2;
	else if (argc > 1 && !strcmp(argv[1], "show"))
		first = 2, c->show = true;
	else if (argc > 1 && !strcmp(argv[1], "lua"))
		first = 2, c->script = true;
	else if (argc > 1 && !strcmp(argv[1], "trust"))
		exit(trust_main(argc - 2, argv + 2));
	else if (argc > 1 && !strcmp(argv[1], "matrix"))
		exit(matrix_main(argc - 2, argv + 2));
	else if (argc > 1 && !strcmp(argv[1], "learn"))
		exit(learn_main(argc - 1, argv + 1));
	else if (argc > 1 && !strcmp(argv[1], "explain"))
		first = 2, c->explain = true;
	if (c->show && argc > 2 && !strcmp(argv[2], "--promises") && argc == 3) {
		promises_print(stdout);
		exit(0);
	}
	optind = first;
	opterr = 0;
	int opt, index;
	while ((opt = getopt_long(argc, argv, short_options, long_options, &index)) != -1) {
		int l = -1;
		switch (opt) {
		case 'f': add_chunk(c, false, optarg); break;
		case 'e': add_chunk(c, true, optarg); break;
		case 'M': l = VOW_MEMORY; break;
		case 'P': l = VOW_PROCS; break;
		case 'N': l = VOW_NOFILE; break;
		case 'F': l = VOW_FSIZE; break;
		case 'C': l = VOW_CPU; break;
		case 'T': l = VOW_TIMEOUT; break;
		case 'p': push(&c->promises, &c->npromises, optarg); break;
		case OPT_VIOLATION: c->violation = optarg; break;
		case 'v': push(&c->unveils, &c->nunveils, optarg); break;
		case OPT_CONNECT: push(&c->connects, &c->nconnects, optarg); break;
		case OPT_BIND: push(&c->binds, &c->nbinds, optarg); break;
		case 'n': c->nice = true; break;
		case 'q': vow_quiet = true; break;
		case OPT_NO_DEFAULT: c->no_default = true; break;
		case OPT_TIMING: vow_timing.on = true; break;
		case OPT_BEST_EFFORT: c->best_effort = true; break;
		case OPT_STEPS: {
			char *end;
			errno = 0;
			c->steps = strtoull(optarg, &end, 10);
			if (!c->script)
				die("--steps goes with vow lua");
			if (!*optarg || *end || errno || !c->steps || *optarg == '-')
				die("--steps: a whole number of Lua VM instructions, at least 1");
			break;
		}
		case OPT_LUA:
			if (!c->show)
				die("--lua goes with vow show");
			c->lua = true;
			break;
		case OPT_PROMISES_TABLE:
			if (!c->show)
				die("--promises (no value) goes with vow show");
			promises_print(stdout);
			exit(0);
		case 'h': fputs(usage, stdout); exit(0);
		case OPT_VERSION: printf("vow %s\n", VOW_VERSION); exit(0);
		case ':': die("option %s needs a value", argv[optind - 1]);
		default: unknown_option(argv, optopt);
		}
		if (l >= 0) {
			const char *err = limit_parse(l, optarg, &c->limit[l].value);
			if (err)
				die("-%c: %s", vow_limits[l].opt, err);
			c->limit[l].set = true;
			snprintf(c->limit[l].source, sizeof c->limit[l].source, "command line (-%c %s)",
			         vow_limits[l].opt, optarg);
		}
	}
	c->argv = argv + optind;
	if (!c->show && !*c->argv)
		die(c->script ? "no script given (vow lua [OPTIONS] SCRIPT [ARG...])"
		              : "no command given (try vow --help)");
}

static void cli_free(struct cli *c)
{
	free(c->chunks);
	free(c->promises);
	free(c->unveils);
	free(c->connects);
	free(c->binds);
}

static bool any_file(const struct cli *c)
{
	for (size_t i = 0; i < c->nchunks; i++)
		if (!c->chunks[i].eval)
			return true;
	return false;
}

/* The flags come last: they override what the policy files said. */
static void apply_flags(const struct cli *c, struct vow_policy *p)
{
	for (int l = 0; l < VOW_NLIMITS; l++)
		if (c->limit[l].set)
			policy_limit(p, l, c->limit[l].value, c->limit[l].source);
	if (c->nice)
		policy_nice(p, "command line (-n)");
	if (c->best_effort)
		p->best_effort = true;
	for (size_t i = 0; i < c->npromises; i++) {
		const char *err = policy_promise(p, c->promises[i], "command line (-p)");
		if (err)
			die("-p: %s", err);
	}
	/* -v [PERM:]PATH: PERM is letters of rwxc, r when absent; a prefix of up
	   to five lower-case letters before ':' is taken as PERM (write ./x:y
	   for a path that looks like one) */
	for (size_t i = 0; i < c->nunveils; i++) {
		const char *arg = c->unveils[i], *colon = strchr(arg, ':');
		char perms[8] = "r";
		const char *path = arg;
		if (colon && colon > arg && colon - arg <= 5 &&
		    strspn(arg, "abcdefghijklmnopqrstuvwxyz") == (size_t)(colon - arg)) {
			snprintf(perms, sizeof perms, "%.*s", (int)(colon - arg), arg);
			path = colon + 1;
		}
		const char *err = policy_unveil(p, path, perms, false, policy_home(p, environ), "command line (-v)");
		if (err)
			die("-v: %s", err);
	}
	for (int bind = 0; bind < 2; bind++)
		for (size_t i = 0; i < (bind ? c->nbinds : c->nconnects); i++) {
			const char *text = bind ? c->binds[i] : c->connects[i];
			long long port;
			const char *err = port_parse(text, &port);
			if (!err)
				err = policy_port(p, bind, port, bind ? "command line (--bind)"
				                                      : "command line (--connect)");
			if (err)
				die("%s %s: %s", bind ? "--bind" : "--connect", text, err);
		}
	if (c->violation) {
		const char *err = policy_violation(p, c->violation, "command line (--violation)");
		if (err)
			die("--violation: %s", err);
	}
}

/* vow trust [FILE...]: approve policy files (the project's .vow.lua when
   none is named) and every policy file they include. */
static int trust_main(int n, char **files)
{
	char *found = NULL;
	if (n == 1 && (!strcmp(files[0], "-h") || !strcmp(files[0], "--help"))) {
		printf("usage: vow trust [FILE...]\n"
		       "approve the project policy (.vow.lua, found from here upward) or FILE, and the\n"
		       "policy files it includes, as they are now; read it first with vow show\n");
		return 0;
	}
	if (n == 0) {
		if (!(found = trust_find()))
			die("trust: no .vow.lua here or in a directory above; name the policy file");
		files = &found;
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		char real[PATH_MAX];
		if (files[i][0] == '-')
			die("trust: unknown option %s (vow trust [FILE...])", files[i]);
		if (!realpath(files[i], real))
			pdie("trust: %s", files[i]);
		/* run it once, as vow would with no command, to learn what it loads;
		   a policy with a mistake is not trusted */
		struct vow_policy p;
		policy_init(&p);
		char *none[] = {NULL};
		struct stage *st = config_open(&p, none, environ);
		config_trust(st, false, true);
		config_run(st, real, NULL, 0);
		size_t nloaded;
		char **loaded = config_loaded(st, &nloaded);
		const char *err = trust_record(loaded, nloaded);
		if (err)
			die("trust: %s", err);
		for (size_t j = 0; j < nloaded; j++)
			printf("vow: trusted %s%s\n", loaded[j], j ? " (included)" : "");
		config_close(st);
		policy_free(&p);
	}
	free(found);
	return 0;
}

int vow_main(int argc, char **argv)
{
	struct cli c = {0};
	vow_timing.start = vow_ms();
	stdio_ensure();
	parse(&c, argc, argv);

	struct vow_policy p;
	policy_init(&p);
	struct stage *st = config_open(&p, c.argv, environ);
	/* the default policy: the project's trusted .vow.lua, else the
	   built-in one; the user's -f or --no-default always win */
	char *project = NULL;
	bool untrusted = false;
	/* vow lua's default is the script policy; a project's policy is made
	   for its commands, not for the scripts vow hosts */
	if (!c.no_default && !any_file(&c) && !c.script && (project = trust_find())) {
		size_t len;
		char *text = read_small(project, &len);
		untrusted = !text || !trust_check(project, text, len);
		free(text);
		config_trust(st, !c.show, false); /* vow show reads an untrusted one */
	}
	config_run(st,
	           c.no_default || any_file(&c) ? NULL
	           : project                    ? project
	           : c.script                   ? "script"
	                                        : "default",
	           c.chunks, c.nchunks);
	apply_flags(&c, &p);
	double config_ms = vow_ms() - vow_timing.start;

	if (c.show) {
		const char *ferr = policy_finish(&p, NULL);
		if (!ferr)
			ferr = trust_guard(&p);
		if (ferr)
			die("%s", ferr);
		if (project && untrusted)
			printf("NOT TRUSTED: %s is what vow would apply here, but it has not been approved as it "
			       "is now; read it, then run `vow trust` to use it\n",
			       project);
	}
	free(project);
	if (c.show) {
		const char *err = run_show(st, &p, c.argv[0], c.lua);
		if (err)
			die("%s", err);
		config_close(st);
		policy_free(&p);
		cli_free(&c);
		return 0;
	}
	config_close(st);

	char *path = NULL, **envp = NULL;
	int code;
	struct luahost host;
	if (c.script) {
		/* the script is read now; the host runs it sealed, in the payload */
		const char *err = luahost_prepare(&host, c.argv[0], c.argv + 1);
		if (err) {
			int e = errno;
			warnx("%s", err);
			return e == ENOENT ? VOW_EXIT_NOTFOUND : VOW_EXIT_NOEXEC;
		}
		host.steps = c.steps;
		/* -M caps the Lua allocator (a clean error), not the address space */
		if (p.limit[VOW_MEMORY].set) {
			host.memory = p.limit[VOW_MEMORY].value;
			p.limit[VOW_MEMORY].set = false;
		}
		/* -T: the host's watchdog first, the supervisor a second later */
		if (p.limit[VOW_TIMEOUT].set) {
			host.wall_ms = p.limit[VOW_TIMEOUT].value;
			p.limit[VOW_TIMEOUT].value += 1000;
		}
	}
	if ((code = run_resolve(&p, c.script ? NULL : c.argv[0], environ, &envp, &path)))
		return code;
	if (c.explain) {
		/* the run observed, not sealed; the policy is what it is compared with */
		code = explain_run(&p, path, c.argv, envp);
		free(path);
		free(envp);
		policy_free(&p);
		cli_free(&c);
		return code;
	}

	sigset_t origmask;
	struct seal s = {.path = path, .argv = c.argv, .envp = envp, .origmask = &origmask,
	                 .lua = c.script ? &host : NULL};
	const char *err = seal_prepare(&s, &p);
	if (err)
		die("%s", err);
	if (vow_timing.on)
		fprintf(stderr,
		        "vow: timing: config stage %.2f ms, Landlock ruleset %.2f ms (%zu path rules), "
		        "seccomp filter %.2f ms (%zu BPF instructions), in all %.2f ms before the payload "
		        "starts\n",
		        config_ms, vow_timing.landlock, p.npaths, vow_timing.seccomp,
		        seccomp_size(&s.seccomp), vow_ms() - vow_timing.start);
	code = supervise(&s);
	free(s.seccomp.prog);
	free(path);
	free(envp);
	if (s.landlock.ruleset >= 0)
		close(s.landlock.ruleset);
	policy_free(&p);
	cli_free(&c);
	return code;
}

int main(int argc, char **argv)
{
	vow_exit(vow_main(argc, argv));
}
