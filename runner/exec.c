/* exec.c: finding the program before anything is forked, so that "not
   found" (127) and "not executable" (126) cost no process and no seal. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vow.h"

/* the search path when the payload has no PATH, as execvp(3) uses */
static const char default_path[] = "/usr/local/bin:/usr/bin:/bin";

static void say(bool quiet, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(bool quiet, const char *fmt, ...)
{
	if (quiet)
		return;
	char buf[PATH_MAX + 100];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	warnx("%s", buf);
}

static int usable(const char *path)
{
	struct stat st;
	if (stat(path, &st))
		return -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return 0;
	}
	if (access(path, X_OK))
		return 0;
	return 1;
}

static int resolve(const char *name, const char *pathvar, char **out, bool quiet);

int exec_resolve(const char *name, const char *pathvar, char **out)
{
	return resolve(name, pathvar, out, false);
}

/* The same, saying nothing: for vow show. */
int exec_resolve_quiet(const char *name, const char *pathvar, char **out)
{
	return resolve(name, pathvar, out, true);
}

/* NAME with a slash is taken as it is; otherwise PATH is searched the way
   execvp(3) does (the payload's PATH, or the default one). */
static int resolve(const char *name, const char *pathvar, char **out, bool quiet)
{
	if (!*name) {
		say(quiet, "empty command name");
		return VOW_EXIT_NOTFOUND;
	}
	if (strchr(name, '/')) {
		int u = usable(name);
		if (u < 0) {
			say(quiet, "%s: %s", name, strerror(errno));
			return VOW_EXIT_NOTFOUND;
		}
		if (!u) {
			say(quiet, "%s: %s", name, strerror(errno));
			return VOW_EXIT_NOEXEC;
		}
		*out = strdup(name);
		return 0;
	}
	const char *p = pathvar ? pathvar : default_path;
	int denied = 0;
	while (1) {
		const char *colon = strchrnul(p, ':');
		char buf[PATH_MAX];
		int len = colon - p;
		snprintf(buf, sizeof buf, "%.*s%s%s", len, p, len ? "/" : "", name);
		int u = usable(buf);
		if (u > 0) {
			*out = strdup(buf);
			return 0;
		}
		if (u == 0 && errno != EISDIR)
			denied = 1;
		if (!*colon)
			break;
		p = colon + 1;
	}
	if (denied) {
		say(quiet, "%s: %s", name, strerror(EACCES));
		return VOW_EXIT_NOEXEC;
	}
	say(quiet, "%s: command not found", name);
	return VOW_EXIT_NOTFOUND;
}

/* Does PATH need a loader that reads files after exec: an ELF with an
   interpreter (PT_INTERP), or a #! script (whose interpreter is one)? */
bool exec_is_dynamic(const char *path)
{
	unsigned char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true; /* unknown: assume the common case */
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n >= 2 && buf[0] == '#' && buf[1] == '!')
		return true;
	if (n < (ssize_t)sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) || buf[EI_CLASS] != ELFCLASS64)
		return true;
	const Elf64_Ehdr *eh = (const void *)buf;
	for (int i = 0; i < eh->e_phnum; i++) {
		uint64_t off = eh->e_phoff + (uint64_t)i * eh->e_phentsize;
		if (off + sizeof(Elf64_Phdr) > (uint64_t)n)
			return true;
		const Elf64_Phdr *ph = (const void *)(buf + off);
		if (ph->p_type == PT_INTERP)
			return true;
	}
	return false;
}

/* NAME in the colon-separated PATHVAR (the default path without one): the
   first regular, executable file, written to OUT.  vow.which and the
   #!/usr/bin/env lookup of exec_deps both ask here. */
bool exec_which(const char *name, const char *pathvar, char *out, size_t len)
{
	const char *p = pathvar ? pathvar : default_path;
	while (*p) {
		size_t n = strcspn(p, ":");
		struct stat st;
		snprintf(out, len, "%.*s/%s", (int)n, p, name);
		p += n + (p[n] != 0);
		if (n && !stat(out, &st) && S_ISREG(st.st_mode) && !access(out, X_OK))
			return true;
	}
	return false;
}
