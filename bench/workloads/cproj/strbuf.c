#include <stdlib.h>
#include <string.h>
#include "wordstat.h"

static void grow(struct strbuf *b, size_t need) {
	if (b->len + need + 1 <= b->cap) return;
	while (b->len + need + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 32;
	b->s = realloc(b->s, b->cap);
	if (!b->s) abort();
}

void sb_addc(struct strbuf *b, char c) {
	grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = 0;
}

void sb_adds(struct strbuf *b, const char *s) {
	size_t n = strlen(s);
	grow(b, n);
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

char *sb_take(struct strbuf *b) {
	char *s = b->s ? b->s : strdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}
