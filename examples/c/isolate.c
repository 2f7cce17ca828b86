/* isolate: counts the key=value records of an untrusted file, with the
 * parser run in a sealed child.
 *
 *   isolate FILE
 *
 * The program reads FILE itself, then vow_isolate runs parse() on the
 * text in a child that may only use stdio, for 2 seconds and 256M of
 * memory; the count comes back in the out buffer.  To show what that
 * stops, a line can make the parser misbehave as a parser bug driven by
 * an attacker would: "#!crash" writes through NULL, "#!loop" never ends,
 * "#!socket" opens a socket, "#!alloc" takes memory until malloc fails
 * and then writes to what it got, "#!read PATH" copies PATH's first line
 * into the result.  The program outlives each, says how
 * the parse ended, and exits 0 only if it parsed.
 * Build: cc isolate.c $(pkg-config --cflags --libs vow) */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <vow.h>

struct parsed {
	long records;
	char stolen[64]; /* what #!read got: nothing, when sealed */
};

static int *volatile nowhere; /* NULL, and the compiler cannot tell */
static char *volatile hoard;  /* keeps #!alloc's memory in use */

/* the parser: runs in the child, ARG is the text */
static int parse(void *arg, void *out, size_t outlen)
{
	struct parsed *res = out;
	char *line = arg;
	(void)outlen;
	res->records = 0;
	for (char *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (!strcmp(line, "#!crash"))
			*nowhere = 1;
		if (!strcmp(line, "#!loop"))
			for (;;)
				;
		if (!strcmp(line, "#!socket"))
			socket(AF_INET, SOCK_STREAM, 0);
		if (!strcmp(line, "#!alloc"))
			for (;;) {
				char *m = malloc(1 << 20); /* unchecked: the bug */
				memset(m, 1, 1 << 20);
				hoard = m;
			}
		if (!strncmp(line, "#!read ", 7)) {
			FILE *f = fopen(line + 7, "r");
			if (f && fgets(res->stolen, sizeof res->stolen, f))
				res->stolen[strcspn(res->stolen, "\n")] = 0;
			if (f)
				fclose(f);
		}
		if (*line != '#' && strchr(line, '=') > line)
			res->records++;
	}
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		err(1, "%s", path);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	char buf[4096];
	for (size_t n; mem && (n = fread(buf, 1, sizeof buf, f));)
		fwrite(buf, 1, n, mem);
	if (!mem || ferror(f) || fclose(mem))
		err(1, "%s", path);
	fclose(f);
	return text;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		errx(2, "usage: isolate FILE");
	char *text = slurp(argv[1]);

	vow_policy *p = vow_policy_new();
	if (!p || vow_policy_promise(p, "stdio") || vow_policy_limit(p, "timeout", "2") ||
	    vow_policy_limit(p, "memory", "256M"))
		errx(1, "policy: %s", vow_error());
	struct parsed res = {0};
	vow_result r;
	if (vow_isolate(parse, text, p, &res, sizeof res, &r))
		errx(1, "vow_isolate: %s", vow_error());

	/* the child's word: believe nothing it could not have counted */
	switch (r.outcome) {
	case VOW_RETURNED:
		if (r.value || res.records < 0 || (size_t)res.records > strlen(text)) {
			printf("parser returned nonsense\n");
			return 1;
		}
		res.stolen[sizeof res.stolen - 1] = 0;
		if (*res.stolen) /* only if the seal let it read: it does not */
			printf("the parser read: %s\n", res.stolen);
		printf("parsed %ld records\n", res.records);
		return 0;
	case VOW_CRASHED:
		printf("parser crashed (signal %d)\n", r.value);
		return 1;
	case VOW_VIOLATION:
		printf("parser stopped: it tried %.*s\n", (int)sizeof r.syscall, r.syscall);
		return 1;
	case VOW_TIMED_OUT:
		printf("parser timed out\n");
		return 1;
	case VOW_FAILED:
		break;
	}
	printf("parser not run: %.*s\n", (int)sizeof r.message, r.message);
	return 1;
}
