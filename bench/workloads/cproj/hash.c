#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wordstat.h"

static uint64_t fnv1a(const char *s) {
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

struct table *table_new(size_t nslots) {
	struct table *t = calloc(1, sizeof *t);
	if (!t) abort();
	t->nslots = nslots;
	t->slots = calloc(nslots, sizeof *t->slots);
	if (!t->slots) abort();
	return t;
}

static void rehash(struct table *t) {
	size_t n = t->nslots * 2;
	struct entry **slots = calloc(n, sizeof *slots);
	if (!slots) abort();
	for (size_t i = 0; i < t->nslots; i++)
		for (struct entry *e = t->slots[i], *next; e; e = next) {
			next = e->next;
			size_t j = fnv1a(e->word) % n;
			e->next = slots[j];
			slots[j] = e;
		}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
}

struct entry *table_add(struct table *t, const char *word) {
	size_t i = fnv1a(word) % t->nslots;
	for (struct entry *e = t->slots[i]; e; e = e->next)
		if (!strcmp(e->word, word)) return e->count++, e;
	struct entry *e = malloc(sizeof *e);
	if (!e || !(e->word = strdup(word))) abort();
	e->count = 1;
	e->next = t->slots[i];
	t->slots[i] = e;
	if (++t->nitems > t->nslots * 3 / 4) rehash(t);
	return e;
}

void table_entries(const struct table *t, struct vec *out) {
	for (size_t i = 0; i < t->nslots; i++)
		for (struct entry *e = t->slots[i]; e; e = e->next) vec_push(out, e);
}

void table_free(struct table *t) {
	for (size_t i = 0; i < t->nslots; i++)
		for (struct entry *e = t->slots[i], *next; e; e = next) {
			next = e->next;
			free(e->word);
			free(e);
		}
	free(t->slots);
	free(t);
}
