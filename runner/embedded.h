/* embedded.h: policy-lib/ and policies/, carried inside the binary. */
#ifndef EMBEDDED_H
#define EMBEDDED_H
#include <stddef.h>

struct embedded {
	const char *name; /* "policy-lib/show.lua", "policies/default.lua" */
	const char *data;
	size_t len;
};
extern const struct embedded embedded_files[];
const struct embedded *embedded_find(const char *dir, const char *name);

#endif
