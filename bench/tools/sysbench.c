/* sysbench: ns per syscall for a few syscall kinds, to compare seccomp filter cost.
   usage: sysbench [iterations]   prints: kind ns_per_call
   (bench/'s copy of ../shared/tools/sysbench.c: it first checks that each call
   works, since a sandbox that refuses one would make it look cheap) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv) {
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	char buf[1];
	int z = open("/dev/zero", O_RDONLY);
	int nul = open("/dev/null", O_RDONLY);
	void *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (z < 0 || nul < 0 || read(z, buf, 1) != 1 || close(nul) || m == MAP_FAILED ||
	    munmap(m, 4096) || fcntl(z, F_GETFD) < 0 || syscall(SYS_getppid) < 0) {
		fprintf(stderr, "sysbench: a call it times fails here: %s\n", strerror(errno));
		return 1;
	}
	double t0 = now();
	for (long i = 0; i < n; i++) syscall(SYS_getppid);
	double t1 = now();
	for (long i = 0; i < n; i++) read(z, buf, 1);
	double t2 = now();
	for (long i = 0; i < n / 10; i++) close(open("/dev/null", O_RDONLY));
	double t3 = now();
	for (long i = 0; i < n / 10; i++) munmap(mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), 4096);
	double t4 = now();
	for (long i = 0; i < n; i++) fcntl(z, F_GETFD);
	double t5 = now();
	printf("getppid %.1f\nread %.1f\nopen+close %.1f\nmmap+munmap %.1f\nfcntl %.1f\n",
	       (t1 - t0) / n, (t2 - t1) / n, (t3 - t2) / (n / 10), (t4 - t3) / (n / 10), (t5 - t4) / n);
	return 0;
}
