#include <math.h>
#include "wordstat.h"

struct stats stats_of(const struct vec *entries) {
	struct stats s = {0};
	size_t n = entries->len;
	if (!n) return s;
	double sum = 0, sq = 0;
	for (size_t i = 0; i < n; i++) {
		long c = ((struct entry *)entries->items[i])->count;
		sum += c;
		sq += (double)c * c;
		if (c > s.max) s.max = c;
	}
	s.mean = sum / n;
	s.stddev = sqrt(sq / n - s.mean * s.mean);
	/* entries are sorted by count, descending */
	const struct entry *a = entries->items[(n - 1) / 2], *b = entries->items[n / 2];
	s.median = (a->count + b->count) / 2.0;
	return s;
}
