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
void config_trust(struct stage *st, bool verify, bool record);
char **config_loaded(struct stage *st, size_t *n);
void config_run(struct stage *st, const char *first, const struct chunk *chunks, size_t n);
void config_show(struct stage *st, bool lua, size_t filter_size, uint32_t implied);
void config_close(struct stage *st);
typedef struct lua_State lua_State;
lua_State *config_lua(struct stage *st);
void config_libfn(struct stage *st, const char *module, const char *fn);
void config_call(struct stage *st, int nargs, int nres);
void config_seal_strings(lua_State *L, int strings);
void config_copy_fields(lua_State *L, int lib, const char *const *names, size_t n);
char *read_small(const char *path, size_t *len); /* whole files up to 1 MiB */
bool config_builtin_name(const char *name); /* no '/' nor .lua: a built-in policy */
const char *run_show(struct stage *st, struct vow_policy *p, const char *program, bool lua);

#endif
