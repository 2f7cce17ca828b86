/* die.c: how vow speaks.  Every message starts with "vow: "; die() saves
   errno first and never returns; a failed sealing step is fatal, never
   logged and skipped. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vow.h"

bool vow_quiet;
bool vow_library;
bool vow_silent;
char *vow_said;
void (*vow_cleanup)(void);

/* The end of every vow process that is not a payload.  In a process libvow
   forked, the caller's atexit handlers and stdio buffers are not ours to
   run: _exit, after vow's own cleanup. */
void vow_exit(int code)
{
	if (vow_cleanup)
		vow_cleanup();
	if (vow_library)
		_exit(code);
	exit(code);
}

static void say(const char *fmt, va_list ap, const char *tail)
{
	char buf[4096];
	int n = snprintf(buf, sizeof buf, "vow: ");
	n += vsnprintf(buf + n, sizeof buf - n, fmt, ap);
	if (n > (int)sizeof buf - 2)
		n = sizeof buf - 2;
	if (tail)
		n += snprintf(buf + n, sizeof buf - n, ": %s", tail);
	if (n > (int)sizeof buf - 2)
		n = sizeof buf - 2;
	/* the last thing said, for libvow's caller (a shared page) */
	if (vow_said)
		snprintf(vow_said, VOW_SAID_MAX, "%.*s", n - 5, buf + 5);
	buf[n++] = '\n';
	/* one write, so lines from several processes never interleave */
	if (!vow_silent && write(STDERR_FILENO, buf, n) < 0) {
	}
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap, NULL);
	va_end(ap);
	vow_exit(VOW_EXIT_FAIL);
}

void pdie(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap, strerror(e));
	va_end(ap);
	vow_exit(VOW_EXIT_FAIL);
}

void warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap, NULL);
	va_end(ap);
}

void notice(const char *fmt, ...)
{
	if (vow_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	say(fmt, ap, NULL);
	va_end(ap);
}

/* Edit distance, for "did you mean": small words only, so the table fits. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 99;
	size_t d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			size_t m = sub < del ? sub : del;
			m = m < ins ? m : ins;
			/* a swap of two neighbours counts as one edit */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < m)
				m = d[i - 2][j - 2] + 1;
			d[i][j] = m;
		}
	return d[la][lb];
}

/* The closest name within a third of the word's length (at least 1, at
   most 3 edits), or NULL. */
const char *suggest(const char *word, const char *const *names, size_t n)
{
	size_t len = strlen(word), limit = len / 3;
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	const char *best = NULL;
	size_t bestd = limit + 1;
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			continue;
		size_t dd = distance(word, names[i]);
		if (dd < bestd) {
			bestd = dd;
			best = names[i];
		}
	}
	return best;
}

struct vow_timing vow_timing;

double vow_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
