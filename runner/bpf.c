/* bpf.c: the seccomp program, generated from a list of rules.
 *
 * A rule is a syscall number, up to three masked comparisons of its
 * arguments and an action; a syscall's rules are tried in the order given
 * and the first whose comparisons all hold decides, the default action
 * otherwise.  The program checks the architecture, then finds the number
 * in a balanced tree of ranges (adjacent numbers with the same plain
 * action share one leaf), and only under the leaves of syscalls with
 * comparisons does it read an argument.  So every syscall whose answer is
 * a plain ALLOW stays in the kernel's cache and costs nothing per call.
 *
 * The program is written backwards, from its last instruction to its
 * first: every jump goes forward, to code already written, so its
 * distance is known when it is written.  A conditional jump reaches 255
 * instructions; a farther target gets a stepping stone right after the
 * jump, a copy of the target when that is a return, an unconditional
 * jump otherwise. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "vow.h"

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (ARG_LO(i) + 4)

struct emitter {
	struct sock_filter *buf; /* written from the end towards the start */
	size_t cap, n;           /* n written; the last one written is at pos n */
	size_t ret_pos[16];      /* the nearest return of each action seen */
	uint32_t ret_act[16];
	size_t nret;
	bool full;
};

/* The instruction at pos p, counting from the program's end (1 = last). */
static struct sock_filter *at(struct emitter *e, size_t p)
{
	return &e->buf[e->cap - p];
}

static size_t put(struct emitter *e, struct sock_filter f)
{
	if (e->n == e->cap) {
		e->full = true;
		return e->n;
	}
	e->n++;
	*at(e, e->n) = f;
	return e->n;
}

/* A return of ACTION, reusing the last one written. */
static size_t ret(struct emitter *e, uint32_t action)
{
	for (size_t i = 0; i < e->nret; i++)
		if (e->ret_act[i] == action)
			return e->ret_pos[i];
	size_t p = put(e, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, action));
	if (e->nret < sizeof e->ret_act / sizeof *e->ret_act) {
		e->ret_act[e->nret] = action;
		e->ret_pos[e->nret++] = p;
	}
	return p;
}

/* Makes TARGET reachable by a conditional jump written next. */
static size_t near(struct emitter *e, size_t target, size_t slack)
{
	if (e->full || e->n + slack - target <= 255)
		return target;
	struct sock_filter t = *at(e, target);
	if (BPF_CLASS(t.code) == BPF_RET) {
		size_t p = put(e, t);
		for (size_t i = 0; i < e->nret; i++)
			if (e->ret_pos[i] == target)
				e->ret_pos[i] = p; /* later jumps take the nearer copy */
		return p;
	}
	return put(e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA | BPF_K, e->n - target, 0, 0));
}

/* if (A op k) goto T else goto F */
static size_t jump(struct emitter *e, uint16_t op, uint32_t k, size_t t, size_t f)
{
	t = near(e, t, 2);
	f = near(e, f, 1);
	size_t self = e->n + 1;
	return put(e, (struct sock_filter)BPF_JUMP(BPF_JMP | op | BPF_K, k, self - 1 - t, self - 1 - f));
}

/* Control goes on at TARGET from the instruction written next. */
static void go(struct emitter *e, size_t target)
{
	if (target != e->n)
		put(e, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA | BPF_K, e->n - target, 0, 0));
}

/* (word & mask) == value: on to PASS, or to FAIL; the word's load first. */
static size_t check_word(struct emitter *e, uint32_t off, uint32_t mask, uint32_t value,
                         size_t pass, size_t fail)
{
	if (!mask)
		return value ? fail : pass;
	if (value & ~mask)
		return fail;
	jump(e, BPF_JEQ, value, pass, fail);
	if (mask != 0xffffffffu)
		put(e, (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, mask));
	return put(e, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off));
}

/* One rule: its comparisons in order, each 64-bit one as two words. */
static size_t rule(struct emitter *e, const struct bpf_rule *r, size_t fail)
{
	size_t p = ret(e, r->action);
	for (int i = r->n - 1; i >= 0; i--) {
		const struct bpf_cond *c = &r->c[i];
		p = check_word(e, ARG_HI(c->arg), c->mask >> 32, c->value >> 32, p, fail);
		p = check_word(e, ARG_LO(c->arg), (uint32_t)c->mask, (uint32_t)c->value, p, fail);
	}
	return p;
}

/* A run of numbers with one answer: a plain action, or the rules of one
   syscall with comparisons, tried in order before the action. */
struct range {
	uint32_t lo;
	uint32_t action; /* when no rule decides */
	const struct bpf_rule *rules;
	size_t nrules;
};

/* Adds a range from X.lo on; one starting at the same number is replaced,
   one with the same plain action as the range before it merged into it. */
static void add_range(struct range *r, size_t *n, struct range x)
{
	if (*n && r[*n - 1].lo == x.lo)
		(*n)--;
	if (!x.nrules && *n && !r[*n - 1].nrules && r[*n - 1].action == x.action)
		return;
	r[(*n)++] = x;
}

/* Do rules A and B compare the same low word, alone, for one action? */
static bool same_word(const struct bpf_rule *a, const struct bpf_rule *b)
{
	return a->n == 1 && b->n == 1 && a->action == b->action && a->c[0].arg == b->c[0].arg &&
	       a->c[0].mask == b->c[0].mask && !(a->c[0].mask >> 32) && !(a->c[0].value >> 32) &&
	       !(b->c[0].value >> 32);
}

/* A range's code: its action, or its rules and then its action.  A run
   of rules that each compare the same word with one value (fcntl's
   commands, prctl's options) loads that word once. */
static size_t leaf(struct emitter *e, const struct range *r)
{
	size_t p = ret(e, r->action);
	for (size_t i = r->nrules; i-- > 0;) {
		size_t first = i;
		while (first > 0 && same_word(&r->rules[first - 1], &r->rules[i]))
			first--;
		if (first == i) {
			p = rule(e, &r->rules[i], p);
			continue;
		}
		const struct bpf_cond *c = &r->rules[i].c[0];
		for (size_t k = i + 1; k-- > first;)
			p = jump(e, BPF_JEQ, (uint32_t)r->rules[k].c[0].value, ret(e, r->rules[k].action), p);
		if ((uint32_t)c->mask != 0xffffffffu)
			put(e, (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, (uint32_t)c->mask));
		p = put(e, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(c->arg)));
		i = first;
	}
	return p;
}

/* The subtree over ranges [i, j]; A holds the syscall number. */
static size_t tree(struct emitter *e, const struct range *r, size_t i, size_t j)
{
	if (i == j)
		return leaf(e, &r[i]);
	size_t m = i + (j - i + 1) / 2;
	size_t right = tree(e, r, m, j);
	size_t left = tree(e, r, i, m - 1);
	return jump(e, BPF_JGE, r[m].lo, right, left);
}

static int by_nr(const void *a, const void *b)
{
	const struct bpf_rule *x = a, *y = b;
	if (x->nr != y->nr)
		return (uint32_t)x->nr < (uint32_t)y->nr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

#ifdef __x86_64__
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#define FOREIGN_FROM 0x40000000u /* x32's numbers */
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#define FOREIGN_FROM 0x80000000u
#else
#error "vow's seccomp program knows x86_64 and aarch64"
#endif

/* The program for RULES (reordered here) and DFLT, all syscall numbers up
   to NEWEST known; above it ENOSYS, as on an older kernel, and from the
   foreign range on, or under another architecture, the process is killed. */
struct sock_fprog *bpf_build(struct bpf_rule *rules, size_t nrules, uint32_t dflt, uint32_t newest)
{
	for (size_t i = 0; i < nrules; i++)
		rules[i].order = i;
	qsort(rules, nrules, sizeof *rules, by_nr);

	/* the ranges: at most two per syscall with rules, and the two above */
	struct range *r = calloc(2 * nrules + 3, sizeof *r);
	if (!r)
		die("out of memory");
	size_t nr = 0;
	add_range(r, &nr, (struct range){0, dflt, NULL, 0});
	for (size_t i = 0, j; i < nrules; i = j) {
		for (j = i; j < nrules && rules[j].nr == rules[i].nr; j++)
			;
		if ((uint32_t)rules[i].nr > newest)
			continue;
		/* a rule without comparisons ends the syscall's list */
		size_t k = i;
		while (k < j && rules[k].n)
			k++;
		uint32_t last = k < j ? rules[k].action : dflt;
		add_range(r, &nr, (struct range){rules[i].nr, last, &rules[i], k - i});
		add_range(r, &nr, (struct range){rules[i].nr + 1, dflt, NULL, 0});
	}
	add_range(r, &nr, (struct range){newest + 1, SECCOMP_RET_ERRNO | ENOSYS, NULL, 0});
	add_range(r, &nr, (struct range){FOREIGN_FROM, SECCOMP_RET_KILL_PROCESS, NULL, 0});

	struct emitter e = {.cap = BPF_MAXINSNS};
	e.buf = malloc(e.cap * sizeof *e.buf);
	if (!e.buf)
		die("out of memory");
	ret(&e, SECCOMP_RET_KILL_PROCESS);
	ret(&e, dflt);
	go(&e, tree(&e, r, 0, nr - 1));
	size_t load_nr = put(&e, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	                                                       offsetof(struct seccomp_data, nr)));
	jump(&e, BPF_JEQ, NATIVE_AUDIT_ARCH, load_nr, ret(&e, SECCOMP_RET_KILL_PROCESS));
	put(&e, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
	free(r);
	if (e.full) {
		free(e.buf);
		return NULL;
	}
	struct sock_fprog *prog = malloc(sizeof *prog + e.n * sizeof *e.buf);
	if (!prog)
		die("out of memory");
	prog->len = e.n;
	prog->filter = (struct sock_filter *)(prog + 1);
	memcpy(prog->filter, at(&e, e.n), e.n * sizeof *e.buf);
	free(e.buf);
	return prog;
}
