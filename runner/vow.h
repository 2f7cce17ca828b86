/* vow.h: the mechanisms behind the vow command, as one small interface.
 *
 * A policy is plain data: limits, capabilities to keep, environment edits,
 * each rule with the source that asked for it.  The mechanisms read it in two
 * halves: a pure half that resolves and checks without side effects, and a
 * kernel half that applies.  Nothing here knows about the command line or Lua;
 * both are clients of these setters. */
#ifndef VOW_INTERNAL_H
#define VOW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

struct vow_policy;

#define VOW_VERSION "0.2.0"

/* Exit statuses of the contract (DESIGN.md). */
enum {
	VOW_EXIT_FAIL = 125,     /* vow itself failed: nothing ran */
	VOW_EXIT_NOEXEC = 126,   /* found but not executable */
	VOW_EXIT_NOTFOUND = 127, /* not found */
};

/* ---- die.c: the one error family ---- */
extern bool vow_quiet;
extern bool vow_library;         /* a process libvow forked: end with _exit */
extern bool vow_silent;          /* nothing on stderr (vow_isolate) */
extern char *vow_said;           /* where the last message goes too, or NULL */
#define VOW_SAID_MAX 256
extern void (*vow_cleanup)(void); /* run by vow_exit */
_Noreturn void vow_exit(int code);
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void pdie(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* --timing: where vow's own start-up goes, in milliseconds */
extern struct vow_timing {
	bool on;
	double start, landlock, seccomp; /* start: a timestamp; the others: durations */
} vow_timing;
double vow_ms(void); /* a monotonic clock, in milliseconds */
void notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *suggest(const char *word, const char *const *names, size_t n);

/* ---- limits.c ---- */
enum vow_limit { VOW_MEMORY, VOW_PROCS, VOW_NOFILE, VOW_FSIZE, VOW_CPU, VOW_TIMEOUT, VOW_NLIMITS };
enum vow_unit { VOW_BYTES, VOW_COUNT, VOW_SECONDS, VOW_MILLIS };
struct vow_limit_info {
	const char *name;   /* Lua field and `vow show` name */
	char opt;           /* short option */
	int resource;       /* RLIMIT_*, or -1 when vow enforces it itself */
	enum vow_unit unit; /* how the value is written and stored */
	uint64_t min, max;  /* accepted range, in stored units */
	const char *what;   /* for --help and vow show */
};
extern const struct vow_limit_info vow_limits[VOW_NLIMITS];
int limit_lookup(const char *name);
const char *limit_parse(enum vow_limit l, const char *text, uint64_t *out);
const char *limit_check(enum vow_limit l, uint64_t v);
char *limit_format(enum vow_limit l, uint64_t v, char *buf, size_t len);
int limits_apply(const struct vow_policy *p);

/* ---- caps.c ---- */
int caps_lookup(const char *name); /* -1 when unknown */
const char *caps_name(int cap);
int caps_last(void);
const char *caps_check(uint64_t *keep); /* pure: can we keep these? */
struct caps_plan;
void caps_prepare(uint64_t keep, struct caps_plan *plan);
int caps_securebits(const struct caps_plan *plan);
int caps_drop(const struct caps_plan *plan);

struct caps_plan {
	uint64_t keep;
	bool privileged; /* we hold CAP_SETPCAP: bounding set and securebits can be set */
	int last;
};

/* ---- policy.c: the model ---- */
/* unveil(2) letters */
enum { VOW_R = 1, VOW_W = 2, VOW_X = 4, VOW_C = 8, VOW_L = 16 };
struct vow_path {
	char *path;     /* absolute, symlinks resolved */
	unsigned perms; /* VOW_R | VOW_W | VOW_X | VOW_C | VOW_L */
	bool dir;
	char *source;
};
enum vow_env_op { VOW_ENV_CLEAR, VOW_ENV_KEEP, VOW_ENV_SET, VOW_ENV_UNSET };
struct vow_env_edit {
	enum vow_env_op op;
	char *name, *value;
	char *kv; /* "name=value", for SET */
	char *source;
};
struct vow_policy {
	struct {
		uint64_t value;
		bool set;
		char *source;
	} limit[VOW_NLIMITS];
	uint64_t caps_keep;
	char *caps_source[64];
	struct vow_env_edit *env;
	size_t nenv;
	bool nice;
	char *nice_source;
	bool best_effort;
	/* promises: none given means only the baseline filter */
	bool has_promises;
	uint32_t promises;
	char *promise_source[32];
	int violation; /* enum vow_violation */
	bool violation_set;
	char *violation_source;
	struct vow_path *paths; /* unveiled paths, resolved, merged */
	size_t npaths;
	bool restricts_paths; /* a path rule was asked for, even one left out as missing */
	struct vow_port {
		uint16_t port;
		bool bind; /* else connect */
		char *source;
	} *ports;
	size_t nports;
	char **sources; /* policy files and chunks applied, in order */
	size_t nsources;
	char **notes; /* what policy-lib explains about the rules it made */
	size_t nnotes;
};
void policy_init(struct vow_policy *p);
void policy_free(struct vow_policy *p);
void policy_limit(struct vow_policy *p, enum vow_limit l, uint64_t v, const char *source);
void policy_keep_cap(struct vow_policy *p, int cap, const char *source);
void policy_env(struct vow_policy *p, enum vow_env_op op, const char *name, const char *value,
                const char *source);
void policy_nice(struct vow_policy *p, const char *source);
void policy_source(struct vow_policy *p, const char *name);
void policy_note(struct vow_policy *p, const char *text, const char *source);
enum vow_violation { VOW_REPORT, VOW_EPERM, VOW_KILL };
extern const char *const vow_violation_names[];
const char *policy_promise(struct vow_policy *p, const char *text, const char *source);
const char *policy_violation(struct vow_policy *p, const char *mode, const char *source);
const char *policy_unveil(struct vow_policy *p, const char *path, const char *perms, bool optional,
                          const char *home, const char *source);
const char *perms_text(unsigned perms);
bool path_beneath(const char *path, const char *dir);
const char *policy_finish(struct vow_policy *p, const char *tmpdir);
const char *policy_port(struct vow_policy *p, bool bind, long long port, const char *source);
const char *port_parse(const char *text, long long *port);
char **env_resolve(const struct vow_policy *p, char **inherited);
const char *env_get(const struct vow_policy *p, char **inherited, const char *name);
const char *policy_home(const struct vow_policy *p, char **inherited);
char *policy_pack(const struct vow_policy *p, size_t *len);
int policy_unpack(struct vow_policy *p, const char *buf, size_t len);

/* ---- landlock.c ---- */
int landlock_abi(void);
struct landlock_plan {
	int abi;
	uint64_t scoped;
	uint64_t handled_fs; /* 0: the file system is not restricted */
	uint64_t handled_net; /* 0: TCP ports are not restricted */
	const struct vow_policy *policy;
	int ruleset; /* built before fork, -1 when nothing is restricted */
};
const char *landlock_prepare(const struct vow_policy *p, struct landlock_plan *plan);
int landlock_apply(const struct landlock_plan *plan);

/* ---- seccomp.c ---- */
struct seccomp_plan {
	void *prog; /* struct sock_fprog, built before fork */
	bool notify; /* the filter sends some syscalls to the supervisor */
	bool tsync;  /* every thread of the calling process (vow_seal, vow_pledge) */
};
struct filter_opts {
	bool has_promises;
	uint32_t promises; /* given, plus what the program's start implies */
	int violation;
	bool notify_forks; /* the process cap */
	bool no_listen;    /* port rules allow no TCP bind: no listen or accept either */
	bool learn;        /* vow learn: new tasks allowed, everything else beyond the promises noted */
	bool in_process;   /* libvow's vow_pledge: no supervisor; a refusal kills, exec is a promise */
	uint64_t exec_cookie; /* nonzero: execve only with this fourth argument (vow_execve) */
	bool runs_here;    /* vow lua, vow_isolate: the payload runs vow's code, no start to exec */
};
const char *seccomp_prepare(const struct filter_opts *o, struct seccomp_plan *plan);
bool seccomp_needs_listener(const struct filter_opts *o);
bool seccomp_baseline_refuses(const char *name, const uint64_t *args);
bool seccomp_listener_free(void);
int seccomp_apply(const struct seccomp_plan *plan); /* listener fd, 0 without one, -1 error */
bool seccomp_is_fork(int nr);
bool is_listen(const char *name);
size_t seccomp_size(const struct seccomp_plan *plan);

/* ---- bpf.c: the seccomp program from a list of rules ---- */
struct bpf_cond {
	uint8_t arg; /* 0-based */
	uint64_t mask, value; /* (arg & mask) == value */
};
struct bpf_rule {
	int nr;
	uint32_t action; /* SECCOMP_RET_* */
	uint8_t n;
	struct bpf_cond c[3];
	size_t order; /* bpf_build's own */
};
struct sock_fprog *bpf_build(struct bpf_rule *rules, size_t nrules, uint32_t dflt, uint32_t newest);

/* ---- seal.c: the ordered steps, in the payload process ---- */
struct seal {
	const struct vow_policy *policy;
	struct filter_opts filter;
	uint32_t implied; /* promises the program's own start needs (its loader) */
	struct caps_plan caps;
	struct landlock_plan landlock;
	struct seccomp_plan seccomp;
	const char *path;   /* resolved program */
	char *const *argv;
	char *const *envp;
	sigset_t *origmask;
	sigset_t ignored;   /* signals ignored when vow started, ignored again in the payload */
	struct luahost *lua; /* vow lua: run this host instead of exec */
	struct isolate *fn;  /* vow_isolate: run this function instead of exec */
	bool in_process;     /* vow_seal: no supervisor, the filter kills */
	struct learn *learn; /* vow learn: note the calls, write a policy at the end */
	int listener;       /* out: seccomp listener, in the shared fd table */
	int failed_step;    /* out: index of the step that failed, -1 if none */
	int err;            /* out: errno of that step */
};
const char *seal_prepare(struct seal *s, const struct vow_policy *p);
void seal_filter_opts(const struct vow_policy *p, const char *path, struct filter_opts *o,
                      uint32_t *implied);
const char *seal_step_name(int step);
_Noreturn void seal_and_exec(struct seal *s);
_Noreturn void seal_and_run_here(struct seal *s);
int seal_here(struct seal *s);

/* ---- libvow.c: vow_isolate's function, in the payload ---- */
struct vow_verdict {
	bool prepared;    /* the anchor got as far as the supervisor */
	bool timed_out;   /* the supervisor's wall clock ended it */
	bool failed;      /* a sealing step failed: the function never ran */
	bool ended;       /* the payload ended, with this wait status: */
	int status;
	char syscall[32]; /* the first call refused */
	char said[VOW_SAID_MAX]; /* what vow said last */
};
struct isolate {
	int (*fn)(void *arg, void *out, size_t outlen);
	void *arg;
	struct isolate_page *page; /* shared: the function's result */
	size_t outlen;
	struct vow_verdict *verdict; /* shared, unmapped in the payload */
	size_t verdict_size;
};
_Noreturn void isolate_run(struct isolate *is);

/* ---- learn.c: vow learn ---- */
struct learn;
struct seccomp_notif;
struct seccomp_notif_resp;
int learn_main(int argc, char **argv);
void learn_started(struct learn *l, pid_t payload);
void learn_answer(struct learn *l, const struct seccomp_notif *req, struct seccomp_notif_resp *resp);
int learn_finish(struct learn *l);
int explain_run(const struct vow_policy *policy, const char *path, char **argv, char **envp);

/* ---- luahost.c: vow lua ---- */
struct luahost {
	const char *script; /* as given */
	char *dir;          /* its directory, resolved: require looks there */
	char *text;         /* read before sealing */
	size_t len;
	char **args;
	size_t memory;      /* the allocator's cap, 0 for none */
	size_t used;
	bool lifted;        /* the cap no longer applies (reporting, teardown) */
	uint64_t steps;     /* --steps, 0 for none */
	int step_quantum;
	uint64_t wall_ms;   /* the watchdog's deadline, 0 for none */
};
const char *luahost_prepare(struct luahost *h, const char *script, char **args);
_Noreturn void luahost_run(struct luahost *h);

/* ---- run.c ---- */
void stdio_ensure(void);
int run_resolve(struct vow_policy *p, const char *program, char **inherited, char ***envp,
                char **path);

/* ---- supervise.c ---- */
int supervise(struct seal *s);
int status_code(int status);

/* ---- sha256.c, trust.c: approved project policies ---- */
void sha256_hex(const void *data, size_t len, char out[65]);
const char *trust_dir(void);
char *trust_find(void);
bool trust_check(const char *real, const void *data, size_t len);
const char *trust_record(char *const *paths, size_t n);
const char *trust_guard(const struct vow_policy *p);

/* ---- main.c, matrix.c ---- */
int vow_main(int argc, char **argv);
int matrix_main(int argc, char **argv);

/* ---- exec.c: finding the program ---- */
int exec_resolve(const char *name, const char *pathvar, char **path); /* 0, or an exit status */
bool exec_is_dynamic(const char *path);
char **exec_deps(const char *path, const char *ld_library_path, const char *pathvar);
int exec_resolve_quiet(const char *name, const char *pathvar, char **path);
bool exec_which(const char *name, const char *pathvar, char *out, size_t len);

#endif
