/* probe: one kernel operation per run, for tests and the demo.
 *
 *   probe ACTION [ARG...]
 *
 * prints one line: "ok" when the kernel allowed the operation, otherwise the
 * errno's name (EPERM, EACCES, ...), or a value for the queries.  Exit
 * status 0 unless the usage is wrong (2); a signal kills it as it would kill
 * any program, which is what some tests look for. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e)
{
	static char buf[16];
	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EMFILE: return "EMFILE";
	case ESRCH: return "ESRCH";
	case EFAULT: return "EFAULT";
	case EBADF: return "EBADF";
	case ENOENT: return "ENOENT";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EIO: return "EIO";
	case ENOTTY: return "ENOTTY";
	case EFBIG: return "EFBIG";
	}
	snprintf(buf, sizeof buf, "errno%d", e);
	return buf;
}

static int report(long r)
{
	puts(errname(r < 0 ? errno : 0));
	return 0;
}

/* A raw syscall through the i386 entry (int 0x80): getpid is 20 there. */
static long i386_getpid(void)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	return r;
}

/* An x32 syscall number: the 64-bit getpid with bit 30 set. */
static long x32_getpid(void)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(0x40000000L | SYS_getpid) : "rcx", "r11", "memory");
	return r;
}

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static int abstract_addr(const char *name, struct sockaddr_un *a)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	size_t n = strlen(name);
	if (n > sizeof a->sun_path - 2)
		n = sizeof a->sun_path - 2;
	memcpy(a->sun_path + 1, name, n);
	return offsetof(struct sockaddr_un, sun_path) + 1 + n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: probe ACTION [ARG...]\n");
		return 2;
	}
	const char *a = argv[1];
	long arg = argc > 2 ? strtol(argv[2], NULL, 0) : 0;

	if (!strcmp(a, "ptrace")) /* ptrace PID: attach */
		return report(ptrace(PTRACE_ATTACH, (pid_t)arg, 0, 0));
	if (!strcmp(a, "kill")) /* kill PID [SIG]: default signal 0, a probe */
		return report(kill((pid_t)arg, argc > 3 ? atoi(argv[3]) : 0));
	if (!strcmp(a, "tiocsti")) { /* push a byte into fd 0's terminal */
		char c = '#';
		return report(ioctl(0, TIOCSTI, &c));
	}
	if (!strcmp(a, "tiocsti-high")) { /* the same with junk in the high 32 bits */
		char c = '#';
		return report(syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (1UL << 32), &c));
	}
	if (!strcmp(a, "tiocgwinsz")) { /* harmless tty ioctl, the positive twin */
		struct winsize w;
		return report(ioctl(0, TIOCGWINSZ, &w));
	}
	if (!strcmp(a, "unshare-user"))
		return report(unshare(CLONE_NEWUSER));
	if (!strcmp(a, "unshare-files")) /* no namespace: still refused (unshare is) */
		return report(unshare(CLONE_FILES));
	if (!strcmp(a, "clone-newuser")) { /* clone(2) with a namespace flag */
		long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
		if (r == 0)
			_exit(0);
		if (r > 0)
			waitpid(r, NULL, 0);
		return report(r);
	}
	if (!strcmp(a, "clone3")) {
		struct {
			uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
		} args = {.exit_signal = SIGCHLD};
		long r = syscall(SYS_clone3, &args, sizeof args);
		if (r == 0)
			_exit(0);
		if (r > 0)
			waitpid(r, NULL, 0);
		return report(r);
	}
	if (!strcmp(a, "mount"))
		return report(mount("none", "/tmp", "tmpfs", 0, NULL));
	if (!strcmp(a, "chroot"))
		return report(chroot("/"));
	if (!strcmp(a, "bpf")) /* BPF_PROG_LOAD with a bad pointer: EFAULT if it got through */
		return report(syscall(SYS_bpf, 5, (void *)8, 8));
	if (!strcmp(a, "io_uring")) {
		struct io_uring_params p = {0};
		long fd = syscall(SYS_io_uring_setup, 1, &p);
		return report(fd);
	}
	if (!strcmp(a, "userfaultfd"))
		return report(syscall(SYS_userfaultfd, 0));
	if (!strcmp(a, "perf")) {
		struct perf_event_attr pe = {.type = PERF_TYPE_SOFTWARE, .size = sizeof pe,
		                             .config = PERF_COUNT_SW_CPU_CLOCK, .exclude_kernel = 1};
		return report(syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0));
	}
	if (!strcmp(a, "keyctl")) /* KEYCTL_GET_KEYRING_ID of the session keyring */
		return report(syscall(SYS_keyctl, 0, -3, 0));
	if (!strcmp(a, "personality")) /* personality VALUE */
		return report(syscall(SYS_personality, (unsigned long)strtoul(argv[2], NULL, 0)));
	if (!strcmp(a, "i386"))
		return report(i386_getpid() < 0 ? (errno = -i386_getpid(), -1) : 0);
	if (!strcmp(a, "x32")) {
		long r = x32_getpid();
		return report(r < 0 ? (errno = -r, -1) : 0);
	}
	if (!strcmp(a, "setuid")) /* setuid UID */
		return report(setuid((uid_t)arg));
	if (!strcmp(a, "capset-all")) { /* try to raise every capability */
		struct {
			uint32_t version;
			int pid;
		} h = {0x20080522, 0};
		struct {
			uint32_t eff, perm, inh;
		} d[2] = {{~0u, ~0u, 0}, {~0u, ~0u, 0}};
		return report(syscall(SYS_capset, &h, d));
	}
	if (!strcmp(a, "alloc")) { /* alloc BYTES: map and touch */
		size_t n = strtoull(argv[2], NULL, 0);
		char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return report(-1);
		for (size_t i = 0; i < n; i += 4096)
			p[i] = 1;
		return report(0);
	}
	if (!strcmp(a, "openmany")) { /* openmany N: how many opens of /dev/null succeed */
		long i = 0;
		for (; i < arg; i++)
			if (open("/dev/null", O_RDONLY) < 0)
				break;
		printf("%ld %s\n", i, i < arg ? errname(errno) : "ok");
		return 0;
	}
	if (!strcmp(a, "threads")) { /* threads N: how many threads start */
		long i = 0;
		for (pthread_t t; i < arg; i++) {
			int e = pthread_create(&t, NULL, idle, NULL);
			if (e) {
				printf("%ld %s\n", i, errname(e));
				return 0;
			}
		}
		printf("%ld ok\n", i);
		return 0;
	}
	if (!strcmp(a, "spin")) /* burn CPU until a limit stops it */
		for (volatile unsigned long i = 0;; i++)
			;
	if (!strcmp(a, "fds")) { /* list open descriptors */
		for (int fd = 0; fd < 1024; fd++)
			if (fcntl(fd, F_GETFD) >= 0)
				printf("%d ", fd);
		printf("\n");
		return 0;
	}
	if (!strcmp(a, "abstract-listen") || !strcmp(a, "abstract-connect")) {
		struct sockaddr_un addr;
		int len = abstract_addr(argv[2], &addr);
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (s < 0)
			return report(-1);
		if (a[9] == 'l') { /* listen, say so, serve until killed */
			if (bind(s, (struct sockaddr *)&addr, len) || listen(s, 8))
				return report(-1);
			puts("listening");
			fflush(stdout);
			for (;;) {
				int c = accept(s, NULL, NULL);
				if (c >= 0)
					close(c);
			}
		}
		return report(connect(s, (struct sockaddr *)&addr, len));
	}
	if (!strcmp(a, "securebits")) /* the securebits, in hex */
		return printf("%#x\n", prctl(PR_GET_SECUREBITS)), 0;
	if (!strcmp(a, "euid"))
		return printf("%d\n", geteuid()), 0;
	if (!strcmp(a, "dumpable")) /* the dumpable flag of this process */
		return printf("%d\n", prctl(PR_GET_DUMPABLE)), 0;
	fprintf(stderr, "probe: unknown action %s\n", a);
	return 2;
}
