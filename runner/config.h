/* config.h: the Lua config stage, a client of the policy setters. */
#ifndef CONFIG_H
#define CONFIG_H
#include "vow.h"

struct chunk {
	bool eval;        /* -e text, else -f file or built-in name */
	const char *text;
};
struct stage;

struct stage *config_open(struct vow_policy *p, char **argv, char **environ);
void config_run(struct stage *st, bool use_default, const struct chunk *chunks, size_t n);
void config_show(struct stage *st, bool lua, size_t filter_size, uint32_t implied);
void config_close(struct stage *st);

#endif
