/* vow.h: a program seals itself, starts a command sealed, or runs one of
 * its functions sealed in a child.  Link with -lvow (pkg-config vow).
 * The manual is vow(3).
 *
 * Every call returns 0 (or a pointer), or -1 (NULL) with errno set, and
 * vow_error() says why in a sentence; none exits or signals the caller.
 * The calls that run a child (vow_policy_load, vow_policy_show,
 * vow_spawn, vow_isolate) fork the caller and wait for that child: with
 * SIGCHLD ignored (or SA_NOCLDWAIT) they give ECHILD, and a handler that
 * reaps every child can take their status first (ECHILD again).
 * vow_pledge, vow_unveil and vow_seal keep the process's state (the
 * promises held, the rules gathered): call them from one thread at a
 * time.  The others may run in several threads at once, each on its own
 * policy.
 *
 * ---- OpenBSD's two calls ----
 *
 *   if (vow_unveil("/var/lib/app", "rwc") || vow_unveil(NULL, NULL) ||
 *       vow_pledge("stdio rpath wpath cpath", NULL))
 *           errx(1, "%s", vow_error());
 *
 * int vow_pledge(const char *promises, const char *execpromises);
 *   From now on the process may make only the system calls PROMISES (the
 *   words of `vow show --promises`, space separated) allow; any other
 *   kills it with SIGSYS (OpenBSD sends SIGABRT).  A later call may only
 *   narrow: a promise the process no longer holds gives EPERM.  An unknown
 *   word gives EINVAL and changes nothing.  PROMISES NULL leaves them as
 *   they are.  On Linux a filter cannot be lifted, so it holds in every
 *   thread (created before or after) and in every program the process
 *   executes, so exec also allows what a dynamically linked program's
 *   loader does (map files executable; reading its libraries needs
 *   rpath).  The promises that are sets of files (getpw, ps, tmppath,
 *   vminfo) need path rules and give ENOTSUP.
 *   EXECPROMISES (NULL: as they are) are what a program the process
 *   executes may do, on top of PROMISES, which stay on it too; so they
 *   must be among PROMISES (EINVAL), and a later call may only narrow
 *   them (EPERM).  Linux applies them at exec only through vow_execve:
 *   once they are given, any other execve gets EPERM (system(3) and
 *   posix_spawn(3) included).  The executed program cannot execute
 *   another (exec among EXECPROMISES gives ENOTSUP), and a dynamically
 *   linked one gets what its loader needs (rpath, mapping files
 *   executable) if PROMISES have them.
 *
 * int vow_execve(const char *path, char *const argv[], char *const envp[]);
 *   execve(2), with the EXECPROMISES of vow_pledge applied to PATH's
 *   program.  Returns only on failure (-1 and errno); a failure after
 *   the execpromises' filter is on (vow_error() says so) leaves the
 *   caller under them too.  Without execpromises, it is execve(2).
 *
 * int vow_unveil(const char *path, const char *permissions);
 *   Adds PATH (and what lies beneath it) with PERMISSIONS, letters of
 *   r (read), w (write), x (execute), c (create and remove), l (list a
 *   directory only).  vow_unveil(NULL, NULL) then applies the rules
 *   (Landlock): from there on every other path is refused (EACCES), and
 *   vow_unveil gives EPERM.  Unlike OpenBSD, nothing is restricted before
 *   that call.  Landlock restricts the calling thread and the threads it
 *   creates afterwards, not threads that exist already: with more than one
 *   thread running, vow_unveil(NULL, NULL) gives EBUSY.  Seal before
 *   creating threads.  A missing PATH gives ENOENT, unknown letters EINVAL.
 *
 * ---- Policies ----
 *
 * A policy is the model a Lua policy file fills: promises, path rules,
 * TCP ports, limits and capabilities to keep.  Build one with the calls
 * below or load a policy file into it, then use it with vow_seal,
 * vow_spawn or vow_isolate, as often as needed.  A new policy has no
 * promises (only vow's baseline filter) and no path rules.  Values are
 * the text the command line takes ("64M", "2.5s", "any").
 *
 * vow_policy *vow_policy_new(void);
 * void vow_policy_free(vow_policy *p);
 * int vow_policy_promise(vow_policy *p, const char *promises);
 *   Adds promises: EINVAL for an unknown word, nothing added.
 * int vow_policy_unveil(vow_policy *p, const char *path, const char *permissions);
 *   A path rule, as vow_unveil: EINVAL for bad letters, nothing changed.
 *   A path that cannot be resolved (ENOENT, EACCES) adds no rule, but the
 *   policy restricts the file system from then on even if it ends up
 *   with no rule at all: asking for path rules never leaves every path
 *   open.
 * int vow_policy_connect(vow_policy *p, const char *port);
 * int vow_policy_bind(vow_policy *p, const char *port);
 *   Allow TCP connect (bind) to PORT, a number or "any"; once a policy has
 *   a port rule, TCP to other ports is refused.  EINVAL for a bad port.
 * int vow_policy_limit(vow_policy *p, const char *name, const char *value);
 *   memory, procs, nofile, fsize, cpu or timeout (vow show --help lists
 *   them); EINVAL for an unknown name or value.  A later one replaces.
 * int vow_policy_keep_cap(vow_policy *p, const char *capability);
 *   Keep a capability (e.g. "net_bind_service"); all others are dropped.
 * int vow_policy_violation(vow_policy *p, const char *mode);
 *   What a refused system call gets: "kill" (the default of vow_seal and
 *   vow_isolate), "eperm" (the call fails with EPERM), or "report" (EPERM,
 *   and a line on standard error; vow_spawn's default, as vow's).  Under
 *   vow_isolate, "kill" and "report" name the first refused call in the
 *   result; with "eperm" the kernel refuses alone and none is named.
 * int vow_policy_load(vow_policy *p, const char *file, char *const argv[]);
 *   Runs a Lua policy file (or a built-in policy by name, as vow -f) in a
 *   child process and adds what it asks for to P.  ARGV (may be NULL) is
 *   the command the policy is for, vow.argv in Lua.  A policy with an
 *   error gives EINVAL (ENOENT for a missing file) and changes nothing.
 * char *vow_policy_show(vow_policy *p, int lua);
 *   The policy as `vow show` prints it (LUA: as Lua that vow_policy_load
 *   and vow -f take back), in a string the caller frees.
 *
 * ---- Using a policy ----
 *
 * int vow_seal(vow_policy *p);
 *   Seals the calling process for good: limits, capabilities, Landlock,
 *   then seccomp, as vow does before it starts a command.  The filter
 *   holds in every thread (TSYNC).  Path rules, capabilities and priority
 *   are each thread's own: with more than one thread running, a policy
 *   with path rules or nice, or a process holding capabilities (root
 *   does), gives EBUSY.  Seal before creating threads.  What only vow's supervisor can enforce (the
 *   timeout and procs limits, violation "report", promise tmppath) gives
 *   ENOTSUP: use vow_spawn or vow_isolate for those.  Nothing is applied
 *   when the call fails before its first step; a failure after it (rare:
 *   the kernel refused a step) leaves the process partly sealed and gives
 *   the step's errno.
 *
 * int vow_spawn(vow_policy *p, char *const argv[], char *const envp[],
 *               int pipes, vow_child *c);
 *   Starts ARGV[0] (searched in PATH) sealed by P, as `vow run` would,
 *   with the environment ENVP (NULL: the caller's), edited by the policy.
 *   PIPES: VOW_PIPE_IN, VOW_PIPE_OUT, VOW_PIPE_ERR give the caller the
 *   other end of a pipe in c->in, c->out, c->err (else -1: the stream is
 *   the caller's).  It returns once the command is about to be sealed;
 *   ENOENT / EACCES when the program is not found / not executable, EINVAL
 *   for a policy vow refuses (vow_error says why).  c->pid is vow's
 *   process for the command: SIGKILL to it takes the whole sandbox down.
 *   The command runs on if the caller ends first.
 * int vow_wait(vow_child *c);
 *   Waits for the command and closes the pipes left open; returns its
 *   status as vow's exit status: the command's own, 128+N if it died of
 *   signal N, 125 if vow failed, 126 / 127 not executable / not found.
 *
 * int vow_isolate(vow_fn *fn, void *arg, vow_policy *p, void *out,
 *                 size_t outlen, vow_result *r);
 *   Runs FN(ARG, BUF, OUTLEN) in a sealed child, under vow's supervisor,
 *   and waits (with no timeout limit, as long as FN runs).  BUF is shared memory of OUTLEN bytes, copied to OUT when
 *   the child is gone (OUT and OUTLEN may be 0).  The child has a copy of
 *   the caller's memory (secrets the caller holds included: clear them
 *   first, or isolate before reading them) and only descriptors 0, 1 and
 *   2; what it starts ends with it.  Whatever FN
 *   does, the caller is untouched: R->outcome says how it ended
 *   (vow_outcome), R->value is FN's return value or the signal, R->syscall
 *   the first system call refused, R->message what vow said.  Memory
 *   beyond the policy's limit makes allocations fail (malloc returns
 *   NULL); R->peak_kb is the most the child had resident.  The return
 *   value is 0 whenever FN ran; -1 when it could not start (EINVAL for a
 *   policy vow refuses, ENOMEM, EAGAIN).  The result in OUT is the
 *   child's word: treat it as untrusted input.
 */
#ifndef VOW_H
#define VOW_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

int vow_pledge(const char *promises, const char *execpromises);
int vow_execve(const char *path, char *const argv[], char *const envp[]);
int vow_unveil(const char *path, const char *permissions);
const char *vow_error(void);

typedef struct vow_policy vow_policy;
vow_policy *vow_policy_new(void);
void vow_policy_free(vow_policy *p);
int vow_policy_promise(vow_policy *p, const char *promises);
int vow_policy_unveil(vow_policy *p, const char *path, const char *permissions);
int vow_policy_connect(vow_policy *p, const char *port);
int vow_policy_bind(vow_policy *p, const char *port);
int vow_policy_limit(vow_policy *p, const char *name, const char *value);
int vow_policy_keep_cap(vow_policy *p, const char *capability);
int vow_policy_violation(vow_policy *p, const char *mode);
int vow_policy_load(vow_policy *p, const char *file, char *const argv[]);
char *vow_policy_show(vow_policy *p, int lua);

int vow_seal(vow_policy *p);

enum { VOW_PIPE_IN = 1, VOW_PIPE_OUT = 2, VOW_PIPE_ERR = 4 };
typedef struct vow_child {
	pid_t pid;
	int in, out, err; /* the caller's ends, -1 when not asked for */
} vow_child;
int vow_spawn(vow_policy *p, char *const argv[], char *const envp[], int pipes, vow_child *c);
int vow_wait(vow_child *c);

typedef enum vow_outcome {
	VOW_RETURNED,  /* FN returned (or the child exited): value is its return value */
	VOW_CRASHED,   /* the child died of signal VALUE (SIGSEGV, SIGABRT, SIGXCPU...) */
	VOW_VIOLATION, /* a refused system call (syscall) ended it */
	VOW_TIMED_OUT, /* the policy's timeout passed: it was killed */
	VOW_FAILED,    /* vow could not seal the child: FN never ran (message says why) */
} vow_outcome;
typedef struct vow_result {
	vow_outcome outcome;
	int value;         /* FN's return value, or the signal */
	char syscall[32];  /* the first refused system call, "" if none */
	char message[256]; /* what vow said about the end, "" if nothing */
	double seconds;    /* wall-clock time of the child */
	long peak_kb;      /* its largest resident size, KiB */
} vow_result;
typedef int vow_fn(void *arg, void *out, size_t outlen);
int vow_isolate(vow_fn *fn, void *arg, vow_policy *p, void *out, size_t outlen, vow_result *r);

#ifdef __cplusplus
}
#endif
#endif
