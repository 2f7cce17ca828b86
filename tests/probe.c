/* probe: one kernel operation per run, for tests and the demo.
 *
 *   probe ACTION [ARG...]
 *
 * prints one line: "ok" when the kernel allowed the operation, otherwise the
 * errno's name (EPERM, EACCES, ...), or a value for the queries.
 * `probe sys NAME ARG...` issues any raw syscall by name (see sys_arg below
 * for the arguments it understands); `probe child ACTION...` does ACTION in
 * a forked child, which prints its pid first; `probe exec PATH ARG...`
 * executes PATH.  Exit status 0 unless the usage is wrong (2); a signal
 * kills it as it would kill any program, which is what some tests look for. */
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <termios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <stdbool.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <time.h>
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
	const char *n = strerrorname_np(e);
	if (n)
		return n;
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

/* ---- sys: one raw syscall, by name, with arguments from the command line ----
 *
 *   probe sys NAME [ARG...]        (up to 6 arguments)
 *   probe sysloop COUNT NAME [ARG...]   the same call COUNT times
 *
 * An ARG is a number (strtoull, base 0: 42, 0x2a, 0644, -1), a constant's
 * name (O_WRONLY, AF_INET, F_GETFD, TIOCSTI, ...), several joined by "|"
 * (O_WRONLY|O_CREAT), or one of:
 *   bad        a bad pointer (1): an allowed call fails with EFAULT, a
 *              refused one with EPERM
 *   null       0
 *   self       this process's pid
 *   buf        a pointer to a fresh, zeroed, page-aligned 4096-byte buffer
 *   str:TEXT   a pointer to TEXT
 *   hi32:ARG   ARG | 1<<32: junk in the high half, which the kernel ignores
 *              for an int argument and not for a pointer or a long
 *   in:A.B.C.D:PORT  a pointer to a struct sockaddr_in (length 16)
 *   msg        a pointer to a struct msghdr: one byte ("x") and room for
 *              one descriptor's SCM_RIGHTS (for recvmsg)
 *   fdmsg      the same, carrying descriptor 0 as SCM_RIGHTS (for sendmsg)
 * and descriptors made before the call (a failure prints "setup:ERRNO",
 * exit status 3):
 *   pipe, pipew   the read end (one byte waiting) or the write end of a pipe
 *   sock, dgram   an AF_UNIX stream or datagram socketpair's end
 *   udp, tcp      an AF_INET socket
 *   memfd         a memfd_create file of 4096 bytes, read-write
 *   fd:PATH       PATH opened O_RDONLY
 * clone, fork and vfork that succeed make a child that only _exits (0),
 * reaped unless it is a thread. */

struct sysname {
	const char *name;
	long nr;
};
#define NR(x) {#x, SYS_##x}
static const struct sysname sysnames[] = {
	NR(read), NR(write), NR(open), NR(close), NR(stat), NR(fstat), NR(lstat), NR(poll),
	NR(lseek), NR(mmap), NR(mprotect), NR(munmap), NR(brk), NR(rt_sigaction), NR(ioctl),
	NR(pread64), NR(pwrite64), NR(readv), NR(writev), NR(access), NR(pipe), NR(select),
	NR(sched_yield), NR(mremap), NR(msync), NR(mincore), NR(madvise), NR(dup), NR(dup2),
	NR(pause), NR(nanosleep), NR(getitimer), NR(alarm), NR(setitimer), NR(getpid),
	NR(sendfile), NR(socket), NR(connect), NR(accept), NR(sendto), NR(recvfrom), NR(sendmsg),
	NR(recvmsg), NR(shutdown), NR(bind), NR(listen), NR(getsockname), NR(getpeername),
	NR(socketpair), NR(setsockopt), NR(getsockopt), NR(clone), NR(fork), NR(vfork),
	NR(execve), NR(exit), NR(wait4), NR(kill), NR(uname), NR(fcntl), NR(flock), NR(fsync),
	NR(fdatasync), NR(truncate), NR(ftruncate), NR(getdents64), NR(getcwd), NR(chdir),
	NR(fchdir), NR(rename), NR(mkdir), NR(rmdir), NR(creat), NR(link), NR(unlink),
	NR(symlink), NR(readlink), NR(chmod), NR(fchmod), NR(chown), NR(fchown), NR(lchown),
	NR(umask), NR(gettimeofday), NR(getrlimit), NR(getrusage), NR(sysinfo), NR(times),
	NR(ptrace), NR(getuid), NR(syslog), NR(getgid), NR(setuid), NR(setgid), NR(geteuid),
	NR(getegid), NR(setpgid), NR(getppid), NR(getpgrp), NR(setsid), NR(setreuid),
	NR(setregid), NR(getgroups), NR(setgroups), NR(setresuid), NR(getresuid),
	NR(setresgid), NR(getresgid), NR(getpgid), NR(setfsuid), NR(setfsgid), NR(getsid),
	NR(capget), NR(capset), NR(rt_sigpending), NR(sigaltstack), NR(utime), NR(mknod),
	NR(personality), NR(statfs), NR(fstatfs), NR(getpriority), NR(setpriority),
	NR(sched_setparam), NR(sched_getparam), NR(sched_setscheduler), NR(sched_getscheduler),
	NR(mlock), NR(munlock), NR(vhangup), NR(pivot_root), NR(prctl), NR(arch_prctl),
	NR(adjtimex), NR(setrlimit), NR(chroot), NR(sync), NR(acct), NR(settimeofday),
	NR(mount), NR(umount2), NR(swapon), NR(swapoff), NR(reboot), NR(sethostname),
	NR(setdomainname), NR(iopl), NR(ioperm), NR(init_module), NR(delete_module),
	NR(quotactl), NR(gettid), NR(setxattr), NR(getxattr), NR(fsetxattr), NR(tkill),
	NR(time), NR(futex), NR(sched_setaffinity), NR(sched_getaffinity), NR(set_tid_address),
	NR(fadvise64), NR(timer_create), NR(clock_settime), NR(clock_gettime),
	NR(clock_getres), NR(clock_nanosleep), NR(exit_group), NR(tgkill), NR(utimes),
	NR(waitid), NR(add_key), NR(request_key), NR(keyctl), NR(ioprio_set), NR(ioprio_get),
	NR(inotify_init1), NR(openat), NR(mkdirat), NR(mknodat), NR(fchownat), NR(futimesat),
	NR(newfstatat), NR(unlinkat), NR(renameat), NR(linkat), NR(symlinkat), NR(readlinkat),
	NR(fchmodat), NR(faccessat), NR(pselect6), NR(ppoll), NR(unshare), NR(splice),
	NR(tee), NR(vmsplice), NR(utimensat), NR(signalfd4), NR(timerfd_create), NR(eventfd2),
	NR(epoll_create1), NR(dup3), NR(pipe2), NR(prlimit64), NR(name_to_handle_at),
	NR(open_by_handle_at), NR(clock_adjtime), NR(syncfs), NR(sendmmsg), NR(recvmmsg),
	NR(setns), NR(getcpu), NR(process_vm_readv), NR(process_vm_writev), NR(kcmp),
	NR(finit_module), NR(renameat2), NR(seccomp), NR(getrandom), NR(memfd_create),
	NR(kexec_load), NR(kexec_file_load), NR(bpf), NR(execveat), NR(userfaultfd),
	NR(membarrier), NR(mlock2), NR(copy_file_range), NR(pkey_mprotect), NR(statx),
	NR(rseq), NR(pidfd_send_signal), NR(io_uring_setup), NR(open_tree), NR(move_mount),
	NR(fsopen), NR(pidfd_open), NR(clone3), NR(close_range), NR(openat2), NR(pidfd_getfd),
	NR(faccessat2), NR(perf_event_open), NR(accept4), NR(landlock_create_ruleset),
	NR(uselib), NR(lookup_dcookie), NR(set_robust_list), NR(rt_sigprocmask),
};

struct constant {
	const char *name;
	unsigned long long value;
};
#define C(x) {#x, (unsigned long long)(x)}
static const struct constant constants[] = {
	C(AT_FDCWD), C(AT_EMPTY_PATH), C(AT_SYMLINK_NOFOLLOW), C(AT_REMOVEDIR),
	C(O_RDONLY), C(O_WRONLY), C(O_RDWR), C(O_ACCMODE), C(O_CREAT), C(O_EXCL), C(O_TRUNC),
	C(O_APPEND), C(O_NONBLOCK), C(O_DIRECTORY), C(O_TMPFILE), C(O_CLOEXEC), C(O_PATH),
	C(O_NOFOLLOW), C(O_NOCTTY),
	C(AF_UNIX), C(AF_INET), C(AF_INET6), C(AF_PACKET), C(AF_NETLINK), C(SOCK_STREAM),
	C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_SEQPACKET), C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
	C(IPPROTO_IP), C(IPPROTO_TCP), C(IPPROTO_UDP), C(IPPROTO_ICMP), C(IPPROTO_IPV6),
	C(IPPROTO_RAW), C(SOL_SOCKET), C(SO_TYPE), C(SO_ERROR), C(SO_REUSEADDR), C(SO_RCVBUF),
	C(SO_SNDBUF), C(SO_KEEPALIVE), C(SO_BINDTODEVICE), C(SO_ATTACH_FILTER), C(SO_MARK),
	C(TCP_NODELAY), C(IP_TOS), C(IP_TTL), C(IP_HDRINCL), C(IP_OPTIONS), C(IP_RECVERR),
	C(IP_TRANSPARENT), C(IP_MULTICAST_TTL), C(IP_MULTICAST_LOOP), C(IP_ADD_MEMBERSHIP),
	C(IPV6_V6ONLY), C(MSG_DONTWAIT), C(MSG_NOSIGNAL),
	C(PROT_NONE), C(PROT_READ), C(PROT_WRITE), C(PROT_EXEC), C(MAP_PRIVATE), C(MAP_SHARED),
	C(MAP_ANONYMOUS), C(MAP_FIXED),
	C(F_DUPFD), C(F_GETFD), C(F_SETFD), C(F_GETFL), C(F_SETFL), C(F_GETLK), C(F_SETLK),
	C(F_SETLKW), C(F_OFD_GETLK), C(F_OFD_SETLK), C(F_SETOWN), C(F_GETOWN), C(F_SETSIG),
	C(F_SETLEASE), C(F_GETLEASE), C(F_NOTIFY), C(F_DUPFD_CLOEXEC), C(F_ADD_SEALS),
	C(F_GET_SEALS), C(F_SETPIPE_SZ), C(F_GETPIPE_SZ), C(FD_CLOEXEC),
	C(LOCK_SH), C(LOCK_EX), C(LOCK_UN), C(LOCK_NB),
	C(FIONREAD), C(FIONBIO), C(FIOCLEX), C(FIONCLEX), C(FIOASYNC), C(TCGETS), C(TCSETS),
	C(TIOCGWINSZ), C(TIOCSWINSZ), C(TIOCGPGRP), C(TIOCSPGRP), C(TIOCSTI), C(TIOCLINUX),
	C(TIOCSCTTY), C(TIOCNOTTY), C(TIOCGSID), C(TIOCEXCL), C(SIOCATMARK),
	C(CLONE_VM), C(CLONE_FS), C(CLONE_FILES), C(CLONE_SIGHAND), C(CLONE_THREAD),
	C(CLONE_VFORK), C(CLONE_PARENT), C(CLONE_SYSVSEM), C(CLONE_NEWNS), C(CLONE_NEWUSER),
	C(CLONE_NEWPID), C(CLONE_NEWNET), C(CLONE_NEWUTS), C(CLONE_NEWIPC), C(CLONE_NEWCGROUP),
	C(SIGCHLD), C(SIGKILL), C(SIGTERM), C(SIGUSR1), C(SIGSYS),
	C(PR_SET_NAME), C(PR_GET_NAME), C(PR_SET_DUMPABLE), C(PR_GET_DUMPABLE),
	C(PR_SET_NO_NEW_PRIVS), C(PR_GET_NO_NEW_PRIVS), C(PR_SET_PDEATHSIG), C(PR_SET_SECCOMP),
	C(PR_GET_SECCOMP), C(PR_SET_MM), C(PR_SET_CHILD_SUBREAPER), C(PR_SET_KEEPCAPS),
	C(PR_CAPBSET_DROP), C(PR_CAPBSET_READ), C(PR_SET_SECUREBITS), C(PR_SET_PTRACER),
	C(PR_SET_TIMERSLACK), C(PR_SET_VMA),
	C(RLIMIT_NOFILE), C(RLIMIT_CPU), C(RLIMIT_AS), C(RLIMIT_NPROC), C(RLIMIT_CORE),
	C(PRIO_PROCESS), C(PRIO_PGRP), C(PRIO_USER), C(CLOCK_REALTIME), C(CLOCK_MONOTONIC),
	C(S_IFIFO), C(S_IFREG), C(S_IFCHR), C(S_IFSOCK), C(S_ISUID), C(S_ISGID), C(S_ISVTX),
	C(MFD_CLOEXEC), C(MFD_ALLOW_SEALING),
};

static _Noreturn void setup_failed(void)
{
	printf("setup:%s\n", errname(errno));
	exit(3);
}

static long setup_fd(long fd)
{
	if (fd < 0)
		setup_failed();
	return fd;
}

static void *page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		setup_failed();
	return p;
}

/* a msghdr with one byte, and descriptor FD as SCM_RIGHTS unless FD < 0 */
static struct msghdr *message(int fd)
{
	struct {
		struct msghdr m;
		struct iovec iov;
		char byte;
		union {
			char space[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} ctl;
	} *b = page();
	b->byte = 'x';
	b->iov = (struct iovec){&b->byte, 1};
	b->m.msg_iov = &b->iov;
	b->m.msg_iovlen = 1;
	b->m.msg_control = b->ctl.space;
	b->m.msg_controllen = sizeof b->ctl.space;
	if (fd >= 0) {
		struct cmsghdr *c = CMSG_FIRSTHDR(&b->m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof fd);
	}
	return &b->m;
}

static bool constant(const char *s, size_t n, unsigned long long *v)
{
	for (size_t i = 0; i < sizeof constants / sizeof *constants; i++)
		if (strlen(constants[i].name) == n && !strncmp(constants[i].name, s, n)) {
			*v = constants[i].value;
			return true;
		}
	return false;
}

static _Noreturn void bad_arg(const char *s)
{
	fprintf(stderr, "probe: cannot read argument %s\n", s);
	exit(2);
}

/* numbers and constant names, joined by | */
static unsigned long long number(const char *s)
{
	unsigned long long v = 0;
	for (const char *p = s;;) {
		size_t n = strcspn(p, "|");
		unsigned long long x;
		char *end;
		if (!n)
			bad_arg(s);
		if (!constant(p, n, &x)) {
			errno = 0;
			x = strtoull(p, &end, 0);
			if (errno || end != p + n)
				bad_arg(s);
		}
		v |= x;
		if (!p[n])
			return v;
		p += n + 1;
	}
}

static unsigned long long sys_arg(const char *s)
{
	int sv[2];
	if (!strcmp(s, "bad"))
		return 1;
	if (!strcmp(s, "null"))
		return 0;
	if (!strcmp(s, "self"))
		return getpid();
	if (!strcmp(s, "buf"))
		return (uintptr_t)page();
	if (!strncmp(s, "str:", 4))
		return (uintptr_t)(s + 4);
	if (!strncmp(s, "hi32:", 5))
		return sys_arg(s + 5) | 1ULL << 32;
	if (!strncmp(s, "in:", 3)) {
		struct sockaddr_in *in = page();
		char host[64];
		snprintf(host, sizeof host, "%s", s + 3);
		char *colon = strrchr(host, ':');
		if (!colon)
			bad_arg(s);
		*colon = 0;
		in->sin_family = AF_INET;
		in->sin_port = htons(atoi(colon + 1));
		if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
			bad_arg(s);
		return (uintptr_t)in;
	}
	if (!strcmp(s, "msg"))
		return (uintptr_t)message(-1);
	if (!strcmp(s, "fdmsg"))
		return (uintptr_t)message(0);
	if (!strcmp(s, "pipe") || !strcmp(s, "pipew")) {
		if (pipe(sv) || write(sv[1], "x", 1) != 1)
			setup_failed();
		return s[4] ? sv[1] : sv[0];
	}
	if (!strcmp(s, "sock") || !strcmp(s, "dgram")) {
		if (socketpair(AF_UNIX, s[0] == 's' ? SOCK_STREAM : SOCK_DGRAM, 0, sv))
			setup_failed();
		return sv[0];
	}
	if (!strcmp(s, "udp") || !strcmp(s, "tcp"))
		return setup_fd(socket(AF_INET, s[0] == 'u' ? SOCK_DGRAM : SOCK_STREAM, 0));
	if (!strcmp(s, "memfd")) {
		long fd = setup_fd(syscall(SYS_memfd_create, "probe", 0));
		if (ftruncate(fd, 4096))
			setup_failed();
		return fd;
	}
	if (!strncmp(s, "fd:", 3))
		return setup_fd(open(s + 3, O_RDONLY));
	return number(s);
}

/* clone, fork, vfork: the child does nothing but exit(0), without touching
   memory, so a shared address space or stack cannot be harmed. */
static long raw_fork(long nr, const unsigned long long *a)
{
	long r;
	register long r10 __asm__("r10") = a[3];
	register long r8 __asm__("r8") = a[4];
	__asm__ volatile("syscall\n\t"
	                 "test %%rax, %%rax\n\t"
	                 "jnz 1f\n\t"
	                 "mov $60, %%eax\n\t" /* SYS_exit */
	                 "xor %%edi, %%edi\n\t"
	                 "syscall\n"
	                 "1:"
	                 : "=a"(r)
	                 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8)
	                 : "rcx", "r11", "memory");
	if (r < 0) {
		errno = -r;
		return -1;
	}
	if (!(nr == SYS_clone && (a[0] & CLONE_THREAD)))
		waitpid(r, NULL, __WALL);
	return r;
}

static long sys_nr(const char *name)
{
	for (size_t i = 0; i < sizeof sysnames / sizeof *sysnames; i++)
		if (!strcmp(sysnames[i].name, name))
			return sysnames[i].nr;
	if (!strncmp(name, "nr:", 3))
		return strtol(name + 3, NULL, 0);
	fprintf(stderr, "probe: unknown syscall %s\n", name);
	exit(2);
}

/* one call: 0 or -1 with errno */
static long sys_call(long nr, const unsigned long long *a)
{
	if (nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork)
		return raw_fork(nr, a) < 0 ? -1 : 0;
	return syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]) < 0 ? -1 : 0;
}

/* sys NAME ARG... and sysloop COUNT NAME ARG... (argv from NAME on) */
static int sys_action(int argc, char **argv, long count)
{
	if (argc < 1 || argc > 7) {
		fprintf(stderr, "usage: probe sys NAME [ARG...] (at most 6)\n");
		return 2;
	}
	long nr = sys_nr(argv[0]);
	unsigned long long a[6] = {0};
	for (int i = 1; i < argc; i++)
		a[i - 1] = sys_arg(argv[i]);
	fflush(stdout);
	if (count < 0)
		return report(sys_call(nr, a));
	int first = -1;
	bool same = true;
	for (long i = 0; i < count; i++) {
		int e = sys_call(nr, a) < 0 ? errno : 0;
		if (first < 0)
			first = e;
		else if (e != first)
			same = false;
	}
	if (same)
		printf("%ld %s\n", count, errname(first));
	else
		printf("%ld mixed\n", count);
	return 0;
}

static int act(int argc, char **argv);

static int act(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: probe ACTION [ARG...]\n");
		return 2;
	}
	const char *a = argv[1];
	long arg = argc > 2 ? strtol(argv[2], NULL, 0) : 0;

	if (!strcmp(a, "sys")) /* sys NAME ARG...: see above */
		return sys_action(argc - 2, argv + 2, -1);
	if (!strcmp(a, "sysloop")) { /* sysloop COUNT NAME ARG...: "COUNT RESULT" or "COUNT mixed" */
		if (argc < 4)
			return fprintf(stderr, "usage: probe sysloop COUNT NAME [ARG...]\n"), 2;
		return sys_action(argc - 3, argv + 3, arg);
	}
	if (!strcmp(a, "child")) { /* child ACTION...: a forked child prints its pid, then does ACTION */
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0)
			return report(-1);
		if (pid == 0) {
			printf("%d\n", getpid());
			fflush(stdout);
			exit(act(argc - 1, argv + 1));
		}
		int status;
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	if (!strcmp(a, "exec")) { /* exec PATH ARG...: execute PATH (ARG... as its arguments) */
		if (argc < 3)
			return fprintf(stderr, "usage: probe exec PATH [ARG...]\n"), 2;
		execv(argv[2], argv + 2);
		return report(-1);
	}

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
	if (!strcmp(a, "unshare-files")) /* no namespace: a descriptor table of its own, allowed */
		return report(unshare(CLONE_FILES));
	if (!strcmp(a, "unshare-files-user")) /* CLONE_FILES with a namespace: refused */
		return report(unshare(CLONE_FILES | CLONE_NEWUSER));
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

int main(int argc, char **argv)
{
	return act(argc, argv);
}
