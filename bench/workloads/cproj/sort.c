#include <stdlib.h>
#include <string.h>
#include "wordstat.h"

static int by_count(const void *a, const void *b) {
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
	if (x->count != y->count) return x->count < y->count ? 1 : -1;
	return strcmp(x->word, y->word);
}

/* merge sort on top of qsort for runs: stable whatever libc does */
static void merge(void **a, void **tmp, size_t lo, size_t mid, size_t hi) {
	size_t i = lo, j = mid, k = lo;
	while (i < mid && j < hi) tmp[k++] = by_count(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
	while (i < mid) tmp[k++] = a[i++];
	while (j < hi) tmp[k++] = a[j++];
	memcpy(a + lo, tmp + lo, (hi - lo) * sizeof *a);
}

void sort_entries(struct vec *v) {
	enum { RUN = 32 };
	void **tmp = malloc((v->len + 1) * sizeof *tmp);
	if (!tmp) abort();
	for (size_t lo = 0; lo < v->len; lo += RUN) {
		size_t n = v->len - lo < RUN ? v->len - lo : RUN;
		qsort(v->items + lo, n, sizeof *v->items, by_count);
	}
	for (size_t w = RUN; w < v->len; w *= 2)
		for (size_t lo = 0; lo + w < v->len; lo += 2 * w) {
			size_t hi = lo + 2 * w < v->len ? lo + 2 * w : v->len;
			merge(v->items, tmp, lo, lo + w, hi);
		}
	free(tmp);
}
