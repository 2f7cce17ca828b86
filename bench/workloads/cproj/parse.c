#include <ctype.h>
#include <stdlib.h>
#include "wordstat.h"

/* words are runs of letters, digits, apostrophes and inner hyphens,
   folded to lower case */
size_t parse_words(const char *text, struct table *t) {
	struct strbuf b = {0};
	size_t n = 0;
	for (const char *p = text;; p++) {
		unsigned char c = (unsigned char)*p;
		int inner = (c == '\'' || c == '-') && b.len && isalnum((unsigned char)p[1]);
		if (c && (isalnum(c) || inner)) {
			sb_addc(&b, (char)tolower(c));
			continue;
		}
		if (b.len) {
			char *w = sb_take(&b);
			table_add(t, w);
			n++;
			free(w);
		}
		if (!c) break;
	}
	return n;
}
