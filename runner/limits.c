/* limits.c: the limit table, the grammar of limit values, and rlimits.
 *
 * Value grammar (command line and Lua strings):
 *   size     := DIGITS [K|M|G|T]            binary multiples, case-insensitive
 *   count    := DIGITS
 *   seconds  := DIGITS [s]                  whole seconds (cpu)
 *   duration := DIGITS[.DIGITS] [ms|s|m|h]  default unit: seconds (timeout)
 * A limit given later replaces an earlier one.  An rlimit above the hard
 * limit vow already runs under is lowered to it: a limit only says "at most". */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "vow.h"

#define GiB (1ULL << 30)
const struct vow_limit_info vow_limits[VOW_NLIMITS] = {
	[VOW_MEMORY] = {"memory", 'M', RLIMIT_AS, VOW_BYTES, 1ULL << 20, 1ULL << 50,
	                "address space per process"},
	[VOW_PROCS] = {"procs", 'P', -1, VOW_COUNT, 1, 1 << 22,
	               "processes and threads alive in the sandbox at once"},
	[VOW_NOFILE] = {"nofile", 'N', RLIMIT_NOFILE, VOW_COUNT, 1, 1 << 24,
	                "open files per process"},
	[VOW_FSIZE] = {"fsize", 'F', RLIMIT_FSIZE, VOW_BYTES, 0, 1ULL << 50,
	               "largest file a process may write"},
	[VOW_CPU] = {"cpu", 'C', RLIMIT_CPU, VOW_SECONDS, 1, 1ULL << 31, "CPU seconds per process"},
	[VOW_TIMEOUT] = {"timeout", 'T', -1, VOW_MILLIS, 1, 1000ULL << 31,
	                 "wall-clock time of the whole sandbox"},
};

int limit_lookup(const char *name)
{
	for (int i = 0; i < VOW_NLIMITS; i++)
		if (!strcmp(vow_limits[i].name, name))
			return i;
	return -1;
}

const char *limit_check(enum vow_limit l, uint64_t v)
{
	static char msg[160];
	const struct vow_limit_info *li = &vow_limits[l];
	if (v >= li->min && v <= li->max)
		return NULL;
	char lo[32], hi[32];
	snprintf(msg, sizeof msg, "%s must be between %s and %s", li->name,
	         limit_format(l, li->min, lo, sizeof lo), limit_format(l, li->max, hi, sizeof hi));
	return msg;
}

static const char *expected(enum vow_limit l)
{
	switch (vow_limits[l].unit) {
	case VOW_BYTES: return "a size such as 4096, 512K, 64M or 2G";
	case VOW_COUNT: return "a whole number";
	case VOW_SECONDS: return "whole seconds, such as 10 or 10s";
	case VOW_MILLIS: return "a duration such as 30, 2.5, 500ms or 10m";
	}
	return "a value";
}

/* Parse TEXT for limit L into *OUT (stored units); NULL or an error message. */
const char *limit_parse(enum vow_limit l, const char *text, uint64_t *out)
{
	static char msg[200];
	const char *s = text;
	if (!isdigit((unsigned char)*s))
		goto bad;
	errno = 0;
	char *end;
	unsigned long long whole = strtoull(s, &end, 10);
	if (errno == ERANGE)
		goto range;
	uint64_t v = whole;
	switch (vow_limits[l].unit) {
	case VOW_BYTES: {
		int shift = 0;
		switch (tolower((unsigned char)*end)) {
		case 'k': shift = 10; break;
		case 'm': shift = 20; break;
		case 'g': shift = 30; break;
		case 't': shift = 40; break;
		}
		if (shift) {
			end++;
			if (v > (UINT64_MAX >> shift))
				goto range;
			v <<= shift;
		}
		break;
	}
	case VOW_COUNT: break;
	case VOW_SECONDS:
		if (*end == 's')
			end++;
		break;
	case VOW_MILLIS: {
		uint64_t frac = 0, scale = 1;
		if (*end == '.') {
			end++;
			if (!isdigit((unsigned char)*end))
				goto bad;
			for (; isdigit((unsigned char)*end); end++)
				if (scale < 1000) {
					frac = frac * 10 + (*end - '0');
					scale *= 10;
				}
		}
		uint64_t unit = 1000;
		if (!strncmp(end, "ms", 2))
			unit = 1, end += 2;
		else if (*end == 's')
			unit = 1000, end++;
		else if (*end == 'm')
			unit = 60000, end++;
		else if (*end == 'h')
			unit = 3600000, end++;
		if (v > UINT64_MAX / unit / 2)
			goto range;
		v = v * unit + frac * unit / scale;
		break;
	}
	}
	if (*end)
		goto bad;
	const char *why = limit_check(l, v);
	if (why)
		return why;
	*out = v;
	return NULL;
range:
	snprintf(msg, sizeof msg, "%s %s: too large", vow_limits[l].name, text);
	return msg;
bad:
	snprintf(msg, sizeof msg, "%s \"%s\": expected %s", vow_limits[l].name, text, expected(l));
	return msg;
}

/* Format V the way limit_parse reads it back. */
char *limit_format(enum vow_limit l, uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	switch (vow_limits[l].unit) {
	case VOW_BYTES: {
		int u = -1;
		while (u < 3 && v && !(v & 1023)) {
			v >>= 10;
			u++;
		}
		if (u >= 0)
			snprintf(buf, len, "%" PRIu64 "%c", v, units[u]);
		else
			snprintf(buf, len, "%" PRIu64, v);
		break;
	}
	case VOW_COUNT: snprintf(buf, len, "%" PRIu64, v); break;
	case VOW_SECONDS: snprintf(buf, len, "%" PRIu64 "s", v); break;
	case VOW_MILLIS:
		if (v % 1000)
			snprintf(buf, len, "%" PRIu64 "ms", v);
		else
			snprintf(buf, len, "%" PRIu64 "s", v / 1000);
		break;
	}
	return buf;
}

static int setlimit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit cur;
	if (getrlimit(resource, &cur))
		return -1;
	if (hard > cur.rlim_max)
		hard = cur.rlim_max;
	if (soft > hard)
		soft = hard;
	struct rlimit r = {soft, hard};
	return setrlimit(resource, &r);
}

/* In the payload process: no allocation, only syscalls. */
int limits_apply(const struct vow_policy *p)
{
	/* No core dumps: a dump would write the payload's memory outside the policy. */
	if (setlimit(RLIMIT_CORE, 0, 0))
		return -1;
	for (int i = 0; i < VOW_NLIMITS; i++) {
		const struct vow_limit_info *li = &vow_limits[i];
		if (li->resource < 0 || !p->limit[i].set)
			continue;
		rlim_t v = p->limit[i].value, hard = v;
		/* SIGXCPU first, SIGKILL a second later for a payload that catches it */
		if (li->resource == RLIMIT_CPU)
			hard = v + 1;
		if (setlimit(li->resource, v, hard))
			return -1;
	}
	return 0;
}
