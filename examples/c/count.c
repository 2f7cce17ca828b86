/* count: lines and words of an untrusted file, counted after the program
 * has given up everything but stdio.
 *
 *   count INPUT OUTPUT
 *
 * It opens INPUT and OUTPUT first, then vow_pledge("stdio"): from there
 * on it can read and write the descriptors it has and nothing else.  To
 * show what that stops, a line "#!open PATH" in the input makes the
 * parser open PATH, as a parser bug driven by an attacker would: the
 * kernel kills the process with SIGSYS instead, and nothing of PATH
 * reaches OUTPUT.  Build: cc count.c $(pkg-config --cflags --libs vow) */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <vow.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		errx(2, "usage: count INPUT OUTPUT");
	FILE *in = fopen(argv[1], "r");
	if (!in)
		err(1, "%s", argv[1]);
	FILE *out = fopen(argv[2], "w");
	if (!out)
		err(1, "%s", argv[2]);
	if (vow_pledge("stdio", NULL))
		err(1, "vow_pledge");

	/* from here on, the input is in charge */
	char line[4096];
	long lines = 0, words = 0;
	while (fgets(line, sizeof line, in)) {
		if (!strncmp(line, "#!open ", 7)) {
			line[strcspn(line, "\n")] = 0;
			FILE *f = fopen(line + 7, "r"); /* not reached: SIGSYS */
			if (f)
				fprintf(out, "stole a look at %s\n", line + 7);
		}
		lines++;
		for (char *w = strtok(line, " \t\n"); w; w = strtok(NULL, " \t\n"))
			words++;
	}
	fprintf(out, "%ld lines, %ld words\n", lines, words);
	return fclose(out) ? 1 : 0;
}
