/* bpfcheck: vow's seccomp program generator against the rules it was
 * given.  For random rule lists (small ones, and ones long enough that
 * jumps need stepping stones) and for the filters of real promise sets,
 * every program is run by a classic-BPF interpreter on many syscalls and
 * arguments and must answer as the rules say (first match of a syscall's
 * rules, else the default); and the kernel must accept it.
 * Prints TAP-style lines; exit status 1 on any failure. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "promises.h"
#include "vow.h"

#ifdef __x86_64__
#define ARCH AUDIT_ARCH_X86_64
#define FOREIGN 0x40000000u
#else
#define ARCH AUDIT_ARCH_AARCH64
#define FOREIGN 0x80000000u
#endif

static int failures, checks;

static void result(int ok, const char *what)
{
	checks++;
	if (!ok)
		failures++;
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
}

/* Classic BPF as seccomp runs it (only what the generator may emit). */
static uint32_t run(const struct sock_fprog *p, const struct seccomp_data *d, int *bad)
{
	uint32_t a = 0;
	for (unsigned pc = 0; pc < p->len; pc++) {
		const struct sock_filter *f = &p->filter[pc];
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k > sizeof *d - 4 || f->k % 4) {
				*bad = 1;
				return 0;
			}
			memcpy(&a, (const char *)d + f->k, 4);
			break;
		case BPF_ALU | BPF_AND | BPF_K: a &= f->k; break;
		case BPF_JMP | BPF_JA | BPF_K: pc += f->k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += a == f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += a >= f->k ? f->jt : f->jf; break;
		case BPF_RET | BPF_K: return f->k;
		default: *bad = 1; return 0;
		}
	}
	*bad = 1; /* ran off the end */
	return 0;
}

/* What the rules say: the first rule of the number whose comparisons
   all hold, else DFLT; above NEWEST ENOSYS, foreign numbers and
   architectures kill. */
static uint32_t expect(const struct bpf_rule *r, size_t n, uint32_t dflt, uint32_t newest,
                       const struct seccomp_data *d)
{
	uint32_t nr = d->nr;
	if (d->arch != ARCH || nr >= FOREIGN)
		return SECCOMP_RET_KILL_PROCESS;
	if (nr > newest)
		return SECCOMP_RET_ERRNO | ENOSYS;
	for (size_t i = 0; i < n; i++) {
		if ((uint32_t)r[i].nr != nr)
			continue;
		int all = 1;
		for (int c = 0; c < r[i].n; c++)
			all &= (d->args[r[i].c[c].arg] & r[i].c[c].mask) == r[i].c[c].value;
		if (all)
			return r[i].action;
	}
	return dflt;
}

static uint64_t rnd64(void)
{
	return (uint64_t)random() << 62 ^ (uint64_t)random() << 31 ^ (uint64_t)random();
}

/* An argument likely to matter: a rule's value, nearly one, or noise. */
static uint64_t pick(const struct bpf_rule *r, size_t n)
{
	if (!n || random() % 4 == 0)
		return random() % 2 ? rnd64() : (uint64_t)(random() % 8);
	const struct bpf_rule *x = &r[random() % n];
	if (!x->n)
		return rnd64();
	const struct bpf_cond *c = &x->c[random() % x->n];
	uint64_t v = c->value | (rnd64() & ~c->mask);
	if (random() % 3 == 0)
		v ^= 1ULL << (random() % 64);
	return v;
}

/* Does the kernel take the program?  A child loads it and says so in a
   shared page, with no syscall (the program may refuse every one, exit
   included); then it spins until the parent kills it. */
static int kernel_accepts(const struct sock_fprog *p)
{
	volatile int *said = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (said == MAP_FAILED)
		return 0;
	*said = -1;
	fflush(stdout); /* not twice, whatever the child does */
	pid_t pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, p)) {
			*said = 1;
			_exit(1);
		}
		*said = 0;
		for (;;)
			;
	}
	while (pid > 0 && *said < 0 && waitpid(pid, NULL, WNOHANG) == 0)
		usleep(100);
	int ok = pid > 0 && *said == 0;
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	munmap((void *)said, 4096);
	return ok;
}

/* Run PROG on many inputs against the rules; a copy of the rules is
   kept because bpf_build reorders its own. */
static int agree(const struct sock_fprog *prog, const struct bpf_rule *r, size_t n, uint32_t dflt,
                 uint32_t newest, long tries)
{
	for (long t = 0; t < tries; t++) {
		struct seccomp_data d = {.arch = ARCH};
		int k = random() % 20;
		uint32_t nr = k == 0 ? newest + 1 + random() % 50 : k == 1 ? FOREIGN + random() % 600
		            : k == 2 ? (uint32_t)random() : n && k > 5 ? (uint32_t)r[random() % n].nr
		            : (uint32_t)(random() % (newest + 1));
		d.nr = (int)nr;
		if (k == 3)
			d.arch = AUDIT_ARCH_I386;
		for (int i = 0; i < 6; i++)
			d.args[i] = pick(r, n);
		int bad = 0;
		uint32_t got = run(prog, &d, &bad), want = expect(r, n, dflt, newest, &d);
		if (bad || got != want) {
			printf("# nr %d arch %x args %llx %llx %llx: got %x, want %x%s\n", d.nr, d.arch,
			       (unsigned long long)d.args[0], (unsigned long long)d.args[1],
			       (unsigned long long)d.args[2], got, want, bad ? " (bad program)" : "");
			return 0;
		}
	}
	return 1;
}

static const uint32_t actions[] = {
	SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM, SECCOMP_RET_ERRNO | ENOTTY,
	SECCOMP_RET_USER_NOTIF, SECCOMP_RET_ERRNO | EACCES,
};

/* SPREAD: 1, over all numbers; 0, crowded on a few; 2, on a few and
   mostly one word compared with many values (fcntl's commands). */
static void random_rules(size_t n, uint32_t newest, int spread, const char *what)
{
	struct bpf_rule *r = calloc(n, sizeof *r), *copy = calloc(n, sizeof *r);
	for (size_t i = 0; i < n; i++) {
		if (spread == 2 && random() % 5) {
			static const uint64_t masks[] = {0xffffffffULL, 0xff, ~0ULL};
			r[i] = (struct bpf_rule){.nr = random() % 3, .action = actions[random() % 2], .n = 1};
			r[i].c[0] = (struct bpf_cond){random() % 2, masks[random() % 3], random() % 40};
			continue;
		}
		r[i].nr = spread == 1 ? random() % (newest + 1) : random() % 12;
		r[i].action = actions[random() % 5];
		r[i].n = random() % 4;
		for (int c = 0; c < r[i].n; c++) {
			static const uint64_t masks[] = {~0ULL, 0xffffffffULL, 0xffffffff00000000ULL, 07000, 0};
			uint64_t m = random() % 3 ? masks[random() % 5] : rnd64();
			r[i].c[c] = (struct bpf_cond){random() % 6, m, rnd64() & m};
			if (random() % 10 == 0)
				r[i].c[c].value = rnd64(); /* may never match */
		}
	}
	memcpy(copy, r, n * sizeof *r);
	uint32_t dflt = actions[random() % 5];
	struct sock_fprog *prog = bpf_build(r, n, dflt, newest);
	char msg[200];
	snprintf(msg, sizeof msg, "%s: %zu rules, %u instructions, answers as the rules say", what, n,
	         prog ? prog->len : 0);
	result(prog && agree(prog, copy, n, dflt, newest, 20000), msg);
	if (prog) {
		snprintf(msg, sizeof msg, "%s: the kernel loads it", what);
		result(kernel_accepts(prog), msg);
	}
	free(prog);
	free(r);
	free(copy);
}

int main(void)
{
	srandom(20261122);
	for (int i = 0; i < 20; i++)
		random_rules(1 + random() % 40, 460, 1, "random rules");
	for (int i = 0; i < 5; i++)
		random_rules(40, 460, 0, "rules crowded on a few numbers");
	for (int i = 0; i < 5; i++)
		random_rules(60, 460, 2, "one word against many values");
	for (int i = 0; i < 5; i++)
		random_rules(600, 460, 1, "long rule lists (far jumps)");
	random_rules(0, 460, 1, "no rules at all");

	/* The filters vow builds, loaded by the kernel. */
	static const char *const sets[] = {"stdio", "stdio rpath", "stdio rpath wpath cpath tmppath",
	                                   "stdio inet dns unix", "stdio proc exec id"};
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
		for (int mode = 0; mode < 16; mode++) {
			/* libvow's: in process (4), execve keyed for vow_execve (8) */
			struct filter_opts o = {.has_promises = true, .violation = mode & 1 ? VOW_EPERM : 0,
			                        .notify_forks = mode & 2, .in_process = mode & 4,
			                        .exec_cookie = mode & 8 ? 0x8badf00ddeadbeefULL : 0};
			if (promises_parse(sets[i], &o.promises))
				return 2;
			struct seccomp_plan plan = {0};
			char msg[200];
			const char *err = seccomp_prepare(&o, &plan);
			snprintf(msg, sizeof msg, "promises \"%s\" (mode %d): %zu instructions, loaded by the kernel",
			         sets[i], mode, seccomp_size(&plan));
			result(!err && kernel_accepts(plan.prog), msg);
			free(plan.prog);
		}
	printf("%d of %d checks failed\n", failures, checks);
	return failures != 0;
}
