/* trust.c: per-project policies and the hashes that approve them.
 *
 * A project's .vow.lua, found from the working directory upward, becomes
 * its default policy once `vow trust` has approved its exact content: the
 * SHA-256 of each policy file it loads is kept, beside the file's path, in
 * $XDG_STATE_HOME/vow/trusted (~/.local/state/vow/trusted).  A file that
 * changed since, by anyone, is refused until it is read and trusted again.
 * No policy may unveil that store for writing (trust_guard). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vow.h"

#define STORE_MAX (4u << 20)

/* The store's directory: $XDG_STATE_HOME/vow, else ~/.local/state/vow. */
const char *trust_dir(void)
{
	static char dir[PATH_MAX];
	const char *state = getenv("XDG_STATE_HOME");
	if (state && state[0] == '/') {
		snprintf(dir, sizeof dir, "%s/vow", state);
		return dir;
	}
	const char *home = getenv("HOME");
	struct passwd *pw;
	if ((!home || home[0] != '/') && (pw = getpwuid(getuid())))
		home = pw->pw_dir;
	snprintf(dir, sizeof dir, "%s/.local/state/vow", home && *home ? home : "/");
	return dir;
}

/* The project policy for the working directory: the nearest .vow.lua at
   or above it, owned by the user (or root), symlinks resolved.  NULL
   when there is none. */
char *trust_find(void)
{
	char dir[PATH_MAX];
	if (!getcwd(dir, sizeof dir))
		return NULL;
	for (;;) {
		char path[PATH_MAX + 16];
		struct stat st;
		snprintf(path, sizeof path, "%s/.vow.lua", strcmp(dir, "/") ? dir : "");
		if (!stat(path, &st)) {
			if (st.st_uid != getuid() && st.st_uid != 0) {
				notice("ignoring %s: it belongs to uid %u, not to you", path, (unsigned)st.st_uid);
				return NULL;
			}
			char real[PATH_MAX];
			return strdup(realpath(path, real) ? real : path);
		}
		char *slash = strrchr(dir, '/');
		if (!slash || !strcmp(dir, "/"))
			return NULL;
		if (slash == dir)
			slash[1] = 0;
		else
			*slash = 0;
	}
}

/* The store's text (empty when there is none), or NULL on an error. */
static char *store_read(const char *store)
{
	int fd = open(store, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? strdup("") : NULL;
	char *buf = malloc(STORE_MAX + 1);
	size_t n = 0;
	ssize_t r = 0;
	while (buf && n < STORE_MAX && (r = read(fd, buf + n, STORE_MAX - n)) > 0)
		n += r;
	close(fd);
	if (!buf || r < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	return buf;
}

/* Is this content of the file at REAL (a resolved path) trusted? */
bool trust_check(const char *real, const void *data, size_t len)
{
	char store[PATH_MAX + 16], hex[65], want[PATH_MAX + 80];
	snprintf(store, sizeof store, "%s/trusted", trust_dir());
	sha256_hex(data, len, hex);
	snprintf(want, sizeof want, "%s  %s\n", hex, real);
	char *text = store_read(store);
	bool ok = false;
	for (char *line = text; line && *line && !ok;) {
		char *end = strchr(line, '\n');
		size_t l = end ? (size_t)(end - line + 1) : strlen(line);
		ok = l == strlen(want) && !memcmp(line, want, l);
		line += l;
	}
	free(text);
	return ok;
}

/* Trust the current content of each file: one line per file, replacing
   the file's old line; the store is written whole and renamed into
   place.  An error message, or NULL. */
const char *trust_record(char *const *paths, size_t n)
{
	static char msg[PATH_MAX + 128];
	char store[PATH_MAX + 16], tmp[PATH_MAX + 32];
	const char *dir = trust_dir();
	/* make the directory and its parents, private */
	char part[PATH_MAX];
	snprintf(part, sizeof part, "%s", dir);
	for (char *s = part + 1;; s++)
		if (*s == '/' || !*s) {
			char c = *s;
			*s = 0;
			if (mkdir(part, 0700) && errno != EEXIST) {
				snprintf(msg, sizeof msg, "cannot make %s: %s", part, strerror(errno));
				return msg;
			}
			if (!(*s = c))
				break;
		}
	snprintf(store, sizeof store, "%s/trusted", dir);
	char *old = store_read(store);
	if (!old) {
		snprintf(msg, sizeof msg, "cannot read %s: %s", store, strerror(errno));
		return msg;
	}
	snprintf(tmp, sizeof tmp, "%s/.trusted.%d", dir, (int)getpid());
	FILE *f = fopen(tmp, "we");
	if (!f) {
		free(old);
		snprintf(msg, sizeof msg, "cannot write %s: %s", tmp, strerror(errno));
		return msg;
	}
	/* the old lines of other files */
	for (char *line = old; *line;) {
		char *end = strchr(line, '\n');
		size_t l = end ? (size_t)(end - line + 1) : strlen(line);
		bool replaced = false;
		for (size_t i = 0; i < n && l > 66; i++)
			replaced |= l - 67 == strlen(paths[i]) && !memcmp(line + 66, paths[i], l - 67);
		if (!replaced && l > 66)
			fwrite(line, 1, l, f);
		line += l;
	}
	free(old);
	for (size_t i = 0; i < n; i++) {
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		struct stat st;
		char *buf = NULL;
		if (fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size <= (off_t)STORE_MAX &&
		    (buf = malloc(st.st_size + 1)) && read(fd, buf, st.st_size) == st.st_size) {
			char hex[65];
			sha256_hex(buf, st.st_size, hex);
			fprintf(f, "%s  %s\n", hex, paths[i]);
		} else {
			snprintf(msg, sizeof msg, "cannot read %s: %s", paths[i], strerror(errno ? errno : EIO));
			free(buf);
			if (fd >= 0)
				close(fd);
			fclose(f);
			unlink(tmp);
			return msg;
		}
		free(buf);
		close(fd);
	}
	if (fflush(f) || fsync(fileno(f)) || fclose(f) || rename(tmp, store)) {
		snprintf(msg, sizeof msg, "cannot write %s: %s", store, strerror(errno));
		unlink(tmp);
		return msg;
	}
	return NULL;
}

/* No path rule may let the payload write or create in the trust store:
   neither on it, nor on a directory above it, nor beneath it. */
const char *trust_guard(const struct vow_policy *p)
{
	static char msg[2 * PATH_MAX + 200];
	char dir[PATH_MAX], real[PATH_MAX], rest[PATH_MAX] = "";
	snprintf(dir, sizeof dir, "%s", trust_dir());
	/* resolve what exists of it */
	while (!realpath(dir, real)) {
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			snprintf(real, sizeof real, "/");
			break;
		}
		char tail[PATH_MAX];
		snprintf(tail, sizeof tail, "%s%s", slash, rest);
		snprintf(rest, sizeof rest, "%s", tail);
		*slash = 0;
	}
	char store[2 * PATH_MAX];
	snprintf(store, sizeof store, "%s%s", strcmp(real, "/") ? real : "", rest);
	for (size_t i = 0; i < p->npaths; i++) {
		const struct vow_path *vp = &p->paths[i];
		if (!(vp->perms & (VOW_W | VOW_C)))
			continue;
		if (path_beneath(store, vp->path) || path_beneath(vp->path, store)) {
			snprintf(msg, sizeof msg,
			         "%s:%s (%s) would let the payload change vow's trust store %s; "
			         "unveil the directories beside it instead",
			         vp->path, perms_text(vp->perms), vp->source, store);
			return msg;
		}
	}
	return NULL;
}
