#include <stdlib.h>
#include "wordstat.h"

void vec_push(struct vec *v, void *item) {
	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->items = realloc(v->items, v->cap * sizeof *v->items);
		if (!v->items) abort();
	}
	v->items[v->len++] = item;
}

void vec_free(struct vec *v) {
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}
