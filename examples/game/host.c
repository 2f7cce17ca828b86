/* host.c: a small game whose players are untrusted Lua mods, each run as
 * its own `vow lua` process.  The host itself is trusted and unsandboxed;
 * what it shows is that a mod can crash, loop, eat memory, hang or try to
 * get out, and the game goes on for the others.
 *
 *   VOW=path/to/vow ./host [-t TICKS] [-d MS] MODDIR...
 *
 * VOW is vow's path (default "vow", found in PATH).  Each MODDIR holds a
 * mod.lua; the host starts, from inside that directory,
 *
 *   $VOW lua -f game -e 'vow.env.clear()' -M 16M -C 1 -T 60 --steps 2000000 mod.lua
 *
 * so the game policy (policies/game.lua) lets the mod read its own
 * directory and nothing else (no writing, no network, no other program),
 * with an empty environment (the game policy keeps only the locale; the
 * host clears that too),
 * 16 MiB for the Lua allocator, 1 s of CPU, 2 million VM instructions and
 * 60 s in all, for the whole game.  A mod gets only its own files: modules beside mod.lua
 * (require), data files (io.open, io.lines).
 *
 * The game: an 8x8 board (x 0..7 left to right, y 0..7 top to bottom) with
 * 5 coins on it; a mod that steps onto a coin scores 1 and a new coin
 * appears.  When two step onto the same coin in one tick, the one named
 * first on the command line gets it.  Coins appear where a fixed
 * pseudo-random sequence says, so a game is the same every time.
 *
 * The protocol, one line per message, '\n'-terminated, at most 255 bytes:
 *
 *   host -> mod                        mod -> host
 *   hello NAME W H TICKS               ready
 *   tick N                             move N|E|S|W|stay
 *   state X Y SCORE [CX,CY ...]          (its answer to tick + state)
 *   over SCORE                           (then stdin is closed; the mod exits)
 *                                      say TEXT (any time, at most 15 a turn:
 *                                        the host prints it)
 *
 * Every message that wants an answer (hello, each tick) has a deadline,
 * 2000 ms by default (-d): the host sends the message to all the mods
 * still in the game, then waits for the answers with poll().  A mod is out
 * of the game, and its process ended, when it:
 *   - ends (a Lua error, or vow ending it: the host shows vow's message);
 *   - gives no answer in time (the host sends SIGTERM to its vow, which
 *     ends the sandbox; SIGKILL half a second later if need be);
 *   - answers nonsense, a line too long, or more than 16 lines in a turn;
 *   - stops reading its input (its stdin pipe is full).
 * Whatever a mod writes on stderr (its tracebacks, vow's denial notices)
 * the host reads all along and prints, the first 20 lines of each mod;
 * vow lua's last word ("vow lua: memory limit (16 MiB) reached") is the
 * reason given when the mod is out.
 * Events are printed per turn in the order of the mods, so the output of a
 * game does not depend on which mod answered first. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define W 8
#define H 8
#define COINS 5
#define MAXMODS 32
#define LINE_MAX_LEN 256   /* a line from a mod, newline included */
#define LINES_PER_TURN 16  /* "say" lines, and the answer */
#define STDERR_SHOWN 20    /* lines of each mod's stderr printed */
#define EVENTS_MAX 4096    /* bytes of events kept for a turn's report */

static const char *const vow_args[] = {
	"lua", "-f", "game", "-e", "vow.env.clear()", "-M", "16M", "-C", "1",
	"-T", "60", "--steps", "2000000", "mod.lua", NULL};

enum state { PLAYING, OUT };

struct mod {
	char name[64];
	char dir[PATH_MAX];
	pid_t pid;
	int in, out, err; /* its stdin (we write), stdout, stderr (we read); -1 closed */
	enum state state;
	char outbuf[LINE_MAX_LEN], errbuf[LINE_MAX_LEN];
	size_t outlen, errlen;
	int lines;       /* lines read this turn */
	int answered;    /* the answer of this turn came */
	char answer[LINE_MAX_LEN];
	int err_shown;   /* stderr lines printed */
	char last_vow[LINE_MAX_LEN]; /* its last "vow lua: ..." line on stderr */
	/* this turn's lines to print: what it said, its stderr, the verdict */
	char events[3][EVENTS_MAX];
	size_t evlen[3];
	int x, y, score, out_tick;
	char why[LINE_MAX_LEN + 64];
};

static struct mod mods[MAXMODS];
static int nmods, deadline_ms = 2000, ticks = 30;
static const char *vow = "vow";

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* An event of mod M, printed at the end of the turn: in the order of the
   mods, and for each what it said (SAID), then what came on its stderr
   (ERR), then how the turn ended for it (VERDICT).  Its stdout and stderr
   are two pipes: the order of lines across them is not kept. */
enum { SAID, ERR, VERDICT };
static int any_events;

static void event(struct mod *m, int kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = sizeof m->events[kind] - m->evlen[kind];
	int n = vsnprintf(m->events[kind] + m->evlen[kind], room, fmt, ap);
	va_end(ap);
	if (n > 0)
		m->evlen[kind] += (size_t)n < room ? (size_t)n : room - 1;
	any_events = 1;
}

static void print_events(void)
{
	for (int i = 0; i < nmods; i++)
		for (int k = SAID; k <= VERDICT; k++) {
			fwrite(mods[i].events[k], 1, mods[i].evlen[k], stdout);
			mods[i].evlen[k] = 0;
		}
	any_events = 0;
	fflush(stdout);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* printable: control characters of an untrusted line become '?' */
static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 32 || *s == 127)
			*s = '?';
}

static void start(struct mod *m)
{
	int pin[2], pout[2], perr[2];
	if (pipe2(pin, O_CLOEXEC) || pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC)) {
		perror("host: pipe");
		exit(2);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("host: fork");
		exit(2);
	}
	if (pid == 0) {
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		if (chdir(m->dir)) {
			fprintf(stderr, "host: %s: %s\n", m->dir, strerror(errno));
			_exit(127);
		}
		const char *argv[sizeof vow_args / sizeof *vow_args + 1];
		argv[0] = vow;
		memcpy(argv + 1, vow_args, sizeof vow_args);
		execvp(vow, (char **)argv);
		fprintf(stderr, "host: cannot run %s: %s\n", vow, strerror(errno));
		_exit(127);
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	m->pid = pid;
	m->in = pin[1];
	m->out = pout[0];
	m->err = perr[0];
	fcntl(m->in, F_SETFL, O_NONBLOCK);
	fcntl(m->out, F_SETFL, O_NONBLOCK);
	fcntl(m->err, F_SETFL, O_NONBLOCK);
	m->state = PLAYING;
}

/* one line of stderr: remember vow's verdict, print the first lines */
static void stderr_line(struct mod *m, char *line)
{
	clean(line);
	if (!strncmp(line, "vow lua: ", 9)) { /* the reason it is out: said then */
		snprintf(m->last_vow, sizeof m->last_vow, "%s", line);
		return;
	}
	if (m->err_shown < STDERR_SHOWN)
		event(m, ERR, "  %-9s stderr: %s\n", m->name, line);
	else if (m->err_shown == STDERR_SHOWN)
		event(m, ERR, "  %-9s stderr: (the rest not shown)\n", m->name);
	m->err_shown++;
}

/* read what stderr has; returns 0 at end of file */
static int drain_err(struct mod *m)
{
	char chunk[4096];
	while (m->err >= 0) {
		ssize_t n = read(m->err, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 1; /* EAGAIN: nothing more for now */
		if (n == 0) {
			if (m->errlen) {
				m->errbuf[m->errlen] = 0;
				stderr_line(m, m->errbuf);
				m->errlen = 0;
			}
			close_fd(&m->err);
			return 0;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (chunk[i] == 0)
				chunk[i] = '?';
			if (chunk[i] == '\n' || m->errlen == sizeof m->errbuf - 1) {
				m->errbuf[m->errlen] = 0;
				stderr_line(m, m->errbuf);
				m->errlen = 0;
				if (chunk[i] == '\n')
					continue;
			}
			m->errbuf[m->errlen++] = chunk[i];
		}
	}
	return 0;
}

/* End M's process: wait a moment for it to exit by itself (unless
   kill_it), then SIGTERM to its vow, which ends the sandbox, and SIGKILL
   half a second later if need be.  Reads the rest of its stderr; returns
   its wait status. */
static int end_process(struct mod *m, int kill_it)
{
	close_fd(&m->in);
	close_fd(&m->out);
	int status = 0, reaped = 0, termed = 0;
	long long until = now_ms() + (kill_it ? 0 : 300);
	for (;;) {
		if (waitpid(m->pid, &status, WNOHANG) == m->pid) {
			reaped = 1;
			break;
		}
		if (now_ms() >= until) {
			if (termed)
				break;
			termed = 1;
			kill(m->pid, SIGTERM);
			until = now_ms() + 500;
		}
		struct pollfd p = {m->err, POLLIN, 0};
		if (m->err >= 0 && poll(&p, 1, 10) > 0)
			drain_err(m);
		else if (m->err < 0)
			usleep(10000);
	}
	if (!reaped) {
		kill(m->pid, SIGKILL);
		waitpid(m->pid, &status, 0);
	}
	/* the vow is gone: what is left in the pipe is all there is */
	while (m->err >= 0) {
		struct pollfd p = {m->err, POLLIN, 0};
		if (poll(&p, 1, 200) <= 0 || !drain_err(m))
			break;
	}
	close_fd(&m->err);
	return status;
}

/* why a process ended, in words: vow's own message if it gave one */
static void describe(struct mod *m, int status)
{
	if (m->last_vow[0])
		snprintf(m->why, sizeof m->why, "%s (status %d)", m->last_vow,
		         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	else if (WIFEXITED(status))
		snprintf(m->why, sizeof m->why, "it exited with status %d", WEXITSTATUS(status));
	else
		snprintf(m->why, sizeof m->why, "killed by signal %d", WTERMSIG(status));
}

/* Take M out of the game at TICK (0: at the start): end its process and
   say why (WHY, or what its end tells). */
static void knock_out(struct mod *m, int tick, const char *why)
{
	if (m->state == OUT)
		return;
	m->state = OUT;
	m->out_tick = tick;
	int status = end_process(m, why != NULL);
	if (why)
		snprintf(m->why, sizeof m->why, "%s", why);
	else
		describe(m, status);
	if (tick)
		event(m, VERDICT, "  %-9s OUT at tick %d: %s\n", m->name, tick, m->why);
	else
		event(m, VERDICT, "  %-9s OUT at the start: %s\n", m->name, m->why);
}

/* send one message to M */
static void send_to(struct mod *m, int tick, const char *fmt, ...)
{
	if (m->state != PLAYING)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof msg)
		len = sizeof msg - 1;
	ssize_t n = write(m->in, msg, len);
	if (n < 0 && errno == EPIPE)
		return; /* it has ended: its stdout says so next */
	if (n != len)
		knock_out(m, tick, "it stopped reading its input");
}

/* one line from a mod's stdout; the answer it waits for is `want`
   ("ready" or "move") */
static void stdout_line(struct mod *m, char *line, const char *want, int tick)
{
	if (++m->lines > LINES_PER_TURN) {
		knock_out(m, tick, "more than 16 lines in one turn");
		return;
	}
	clean(line);
	if (!strncmp(line, "say ", 4)) {
		event(m, SAID, "  %-9s says: %s\n", m->name, line + 4);
		return;
	}
	size_t wl = strlen(want);
	if (!m->answered && !strncmp(line, want, wl) && (line[wl] == 0 || line[wl] == ' ')) {
		m->answered = 1;
		snprintf(m->answer, sizeof m->answer, "%s", line[wl] ? line + wl + 1 : "");
		return;
	}
	char why[LINE_MAX_LEN + 64];
	snprintf(why, sizeof why, "answered \"%.60s\" (expected %s)", line, want);
	knock_out(m, tick, why);
}

static void read_out(struct mod *m, const char *want, int tick)
{
	char chunk[1024];
	while (m->state == PLAYING && m->out >= 0) {
		ssize_t n = read(m->out, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		if (n == 0) { /* it ended: vow's stderr line says why */
			knock_out(m, tick, NULL);
			return;
		}
		for (ssize_t i = 0; i < n && m->state == PLAYING; i++) {
			if (chunk[i] == 0)
				chunk[i] = '?'; /* a NUL would cut the line short */
			if (chunk[i] == '\n') {
				m->outbuf[m->outlen] = 0;
				m->outlen = 0;
				stdout_line(m, m->outbuf, want, tick);
			} else if (m->outlen == sizeof m->outbuf - 1) {
				knock_out(m, tick, "a line longer than 255 bytes");
			} else
				m->outbuf[m->outlen++] = chunk[i];
		}
	}
}

/* wait, until the deadline, for every mod in the game to answer `want` */
static void collect(const char *want, int tick)
{
	for (int i = 0; i < nmods; i++)
		mods[i].answered = mods[i].lines = 0;
	long long deadline = now_ms() + deadline_ms;
	for (;;) {
		struct pollfd p[2 * MAXMODS];
		struct mod *who[2 * MAXMODS];
		int np = 0, waiting = 0;
		for (int i = 0; i < nmods; i++) {
			struct mod *m = &mods[i];
			if (m->state != PLAYING)
				continue;
			if (!m->answered)
				waiting++;
			if (m->out >= 0)
				p[np] = (struct pollfd){m->out, POLLIN, 0}, who[np++] = m;
			if (m->err >= 0)
				p[np] = (struct pollfd){m->err, POLLIN, 0}, who[np++] = m;
		}
		long long left = deadline - now_ms();
		if (!waiting || left <= 0)
			break;
		int r = poll(p, np, (int)left);
		if (r < 0 && errno != EINTR) {
			perror("host: poll");
			exit(2);
		}
		/* stderr first: vow's notice comes before the mod's end */
		for (int j = 0; j < np && r > 0; j++)
			if (p[j].revents && p[j].fd == who[j]->err)
				drain_err(who[j]);
		for (int j = 0; j < np && r > 0; j++)
			if (p[j].revents && p[j].fd == who[j]->out && who[j]->state == PLAYING)
				read_out(who[j], want, tick);
	}
	for (int i = 0; i < nmods; i++) {
		struct mod *m = &mods[i];
		if (m->state == PLAYING && !m->answered) {
			char why[96];
			snprintf(why, sizeof why, "no answer within %d ms; the host ended it", deadline_ms);
			knock_out(m, tick, why);
		} else if (m->state == PLAYING)
			drain_err(m); /* a notice that came with the answer */
	}
}

/* the coins: a fixed sequence, so that every game is the same */
static int coin_x[COINS], coin_y[COINS];
static unsigned rng = 12345;

static int coin_at(int x, int y)
{
	for (int c = 0; c < COINS; c++)
		if (coin_x[c] == x && coin_y[c] == y)
			return c;
	return -1;
}

static void place_coin(int c)
{
	do {
		rng = rng * 1103515245u + 12345u;
		coin_x[c] = (rng >> 16) % W;
		rng = rng * 1103515245u + 12345u;
		coin_y[c] = (rng >> 16) % H;
	} while (coin_at(coin_x[c], coin_y[c]) != c);
}

static void coins_text(char *s, size_t size)
{
	size_t o = 0;
	for (int c = 0; c < COINS && o < size; c++)
		o += snprintf(s + o, size - o, " %d,%d", coin_x[c], coin_y[c]);
}

static int by_score(const void *a, const void *b)
{
	const struct mod *x = *(struct mod *const *)a, *y = *(struct mod *const *)b;
	if ((x->state == PLAYING) != (y->state == PLAYING))
		return x->state == PLAYING ? -1 : 1;
	if (x->state == OUT && x->out_tick != y->out_tick)
		return y->out_tick - x->out_tick;
	if (x->score != y->score)
		return y->score - x->score;
	return x < y ? -1 : 1;
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "t:d:")) != -1) {
		if (opt == 't')
			ticks = atoi(optarg);
		else if (opt == 'd')
			deadline_ms = atoi(optarg);
		else
			goto usage;
	}
	if (optind >= argc || argc - optind > MAXMODS || ticks < 1 || deadline_ms < 1) {
	usage:
		fprintf(stderr, "usage: VOW=path/to/vow %s [-t TICKS] [-d MS] MODDIR...\n", argv[0]);
		return 2;
	}
	const char *v = getenv("VOW");
	static char vow_path[PATH_MAX];
	if (v && *v)
		vow = v;
	if (strchr(vow, '/')) { /* the mods run from their own directories */
		if (!realpath(vow, vow_path)) {
			fprintf(stderr, "host: %s: %s\n", vow, strerror(errno));
			return 2;
		}
		vow = vow_path;
	}
	signal(SIGPIPE, SIG_IGN);

	printf("game: %dx%d board, %d coins, %d ticks, %d ms per answer; each mod runs as\n"
	       "  vow", W, H, COINS, ticks, deadline_ms);
	for (int i = 0; vow_args[i]; i++)
		printf(strchr(vow_args[i], ' ') || strchr(vow_args[i], '(') ? " '%s'" : " %s", vow_args[i]);
	printf("\n  from its own directory\n\n");

	for (int i = optind; i < argc; i++) {
		struct mod *m = &mods[nmods];
		char *d = argv[i];
		size_t len = strlen(d);
		while (len > 1 && d[len - 1] == '/')
			d[--len] = 0;
		const char *base = strrchr(d, '/') ? strrchr(d, '/') + 1 : d;
		snprintf(m->name, sizeof m->name, "%s", base);
		snprintf(m->dir, sizeof m->dir, "%s", d);
		m->in = m->out = m->err = -1;
		m->x = (nmods * 3) % W;
		m->y = (nmods * 5 + 2) % H;
		nmods++;
	}
	for (int c = 0; c < COINS; c++) {
		coin_x[c] = coin_y[c] = -1;
		place_coin(c);
	}
	long long t0 = now_ms();
	for (int i = 0; i < nmods; i++)
		start(&mods[i]);

	printf("start:\n");
	for (int i = 0; i < nmods; i++)
		send_to(&mods[i], 0, "hello %s %d %d %d\n", mods[i].name, W, H, ticks);
	collect("ready", 0);
	for (int i = 0; i < nmods; i++)
		if (mods[i].state == PLAYING)
			event(&mods[i], VERDICT, "  %-9s ready\n", mods[i].name);
	print_events();

	int t;
	for (t = 1; t <= ticks; t++) {
		char coins[256];
		coins_text(coins, sizeof coins);
		for (int i = 0; i < nmods; i++)
			send_to(&mods[i], t, "tick %d\nstate %d %d %d%s\n", t, mods[i].x, mods[i].y,
			        mods[i].score, coins);
		collect("move", t);
		/* the moves, in command-line order */
		for (int i = 0; i < nmods; i++) {
			struct mod *m = &mods[i];
			if (m->state != PLAYING)
				continue;
			const char *d = m->answer;
			int dx = 0, dy = 0;
			if (!strcmp(d, "N"))
				dy = -1;
			else if (!strcmp(d, "S"))
				dy = 1;
			else if (!strcmp(d, "E"))
				dx = 1;
			else if (!strcmp(d, "W"))
				dx = -1;
			else if (strcmp(d, "stay")) {
				char why[LINE_MAX_LEN + 32];
				snprintf(why, sizeof why, "answered \"move %.60s\"", d);
				knock_out(m, t, why);
				continue;
			}
			if (m->x + dx >= 0 && m->x + dx < W)
				m->x += dx;
			if (m->y + dy >= 0 && m->y + dy < H)
				m->y += dy;
			int c = coin_at(m->x, m->y);
			if (c >= 0) {
				m->score++;
				place_coin(c);
			}
		}
		int playing = 0;
		for (int i = 0; i < nmods; i++)
			playing += mods[i].state == PLAYING;
		if (any_events) {
			printf("tick %d:\n", t);
			print_events();
		}
		if (!playing)
			break;
	}

	/* the end: each mod still in the game gets its score and end of file,
	   may say goodbye, and should exit with status 0 */
	for (int i = 0; i < nmods; i++) {
		struct mod *m = &mods[i];
		send_to(m, t, "over %d\n", m->score);
		close_fd(&m->in);
	}
	for (int i = 0; i < nmods; i++) {
		struct mod *m = &mods[i];
		if (m->state != PLAYING)
			continue;
		long long until = now_ms() + deadline_ms;
		m->lines = 0;
		while (m->state == PLAYING && m->out >= 0 && now_ms() < until) {
			struct pollfd p = {m->out, POLLIN, 0};
			if (poll(&p, 1, (int)(until - now_ms())) <= 0)
				break;
			char chunk[1024];
			ssize_t n = read(m->out, chunk, sizeof chunk);
			if (n <= 0)
				break;
			for (ssize_t j = 0; j < n; j++) {
				if (chunk[j] == 0)
					chunk[j] = '?';
				if (chunk[j] == '\n' || m->outlen == sizeof m->outbuf - 1) {
					m->outbuf[m->outlen] = 0;
					m->outlen = 0;
					clean(m->outbuf);
					if (!strncmp(m->outbuf, "say ", 4) && ++m->lines <= LINES_PER_TURN)
						event(m, SAID, "  %-9s says: %s\n", m->name, m->outbuf + 4);
				} else
					m->outbuf[m->outlen++] = chunk[j];
			}
		}
		int status = end_process(m, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			describe(m, status);
			m->state = OUT;
			m->out_tick = ticks + 1; /* played to the end, then failed */
			event(m, VERDICT, "  %-9s ended badly: %s\n", m->name, m->why);
		}
	}
	printf("game over after %.1f s:\n", (now_ms() - t0) / 1000.0);
	print_events();

	printf("\nresults:\n");
	struct mod *order[MAXMODS];
	for (int i = 0; i < nmods; i++)
		order[i] = &mods[i];
	qsort(order, nmods, sizeof *order, by_score);
	for (int i = 0; i < nmods; i++) {
		struct mod *m = order[i];
		if (m->state == PLAYING)
			printf("  %-9s %2d coins  played all %d ticks\n", m->name, m->score, t - 1);
		else if (m->out_tick > ticks)
			printf("  %-9s %2d coins  played all %d ticks, then: %s\n", m->name, m->score,
			       ticks, m->why);
		else if (m->out_tick == 0)
			printf("  %-9s  -        out at the start: %s\n", m->name, m->why);
		else
			printf("  %-9s  -        out at tick %d: %s\n", m->name, m->out_tick, m->why);
	}
	return 0;
}
