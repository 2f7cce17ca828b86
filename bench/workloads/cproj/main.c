#include <stdio.h>
#include <stdlib.h>
#include "wordstat.h"

int main(int argc, char **argv) {
	FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
	if (!f) return perror(argv[1]), 1;
	struct strbuf text = {0};
	int c;
	while ((c = getc(f)) != EOF) sb_addc(&text, (char)c);
	char *s = sb_take(&text);
	struct table *t = table_new(64);
	size_t words = parse_words(s, t);
	struct vec v = {0};
	table_entries(t, &v);
	sort_entries(&v);
	struct stats st = stats_of(&v);
	printf("%zu words, %zu distinct, mean %.2f, sd %.2f, median %.1f, max %ld\n",
	       words, v.len, st.mean, st.stddev, st.median, st.max);
	for (size_t i = 0; i < v.len && i < 10; i++) {
		struct entry *e = v.items[i];
		printf("%8ld %s\n", e->count, e->word);
	}
	vec_free(&v);
	table_free(t);
	free(s);
	return 0;
}
