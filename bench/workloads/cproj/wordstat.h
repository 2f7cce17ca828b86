/* wordstat: counts words of its input and prints statistics */
#ifndef WORDSTAT_H
#define WORDSTAT_H
#include <stddef.h>

struct vec { void **items; size_t len, cap; };
void vec_push(struct vec *v, void *item);
void vec_free(struct vec *v);

struct strbuf { char *s; size_t len, cap; };
void sb_addc(struct strbuf *b, char c);
void sb_adds(struct strbuf *b, const char *s);
char *sb_take(struct strbuf *b);

struct entry { char *word; long count; struct entry *next; };
struct table { struct entry **slots; size_t nslots, nitems; };
struct table *table_new(size_t nslots);
struct entry *table_add(struct table *t, const char *word);
void table_entries(const struct table *t, struct vec *out);
void table_free(struct table *t);

void sort_entries(struct vec *v);
size_t parse_words(const char *text, struct table *t);

struct stats { double mean, stddev, median; long max; };
struct stats stats_of(const struct vec *entries);
#endif
