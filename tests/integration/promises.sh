# promises: every promise vow enforces, proven with the real kernel, as
# root and as a user.  For each one, a call it governs works when it is
# promised and is refused when it is not: EPERM, and under report mode (the
# default) exactly one line naming what was missing.  Where an allowed call
# would fail anyway, it is made to fail differently (a bad pointer gives
# EFAULT, a closed port ECONNREFUSED), so that EPERM can only be the filter.
#
# The probe is dynamically linked, so its loader gets rpath implied; rpath
# itself is tested with a static program.  Checks that fail because vow is
# wrong would be marked "(vow bug)".
. "$LIB"

# try PROMISES PROBE-ARG...: the probe under exactly PROMISES
try() {
	_p=$1
	shift
	run "$V" --no-default -p "$_p" "$PROBE" "$@"
}
# refused PROMISES LINE WHAT PROBE-ARG...: EPERM, and LINE is the whole report
refused() {
	_l=$2 _w=$3
	_p=$1
	shift 3
	try "$_p" "$@"
	is "$out|$err" "EPERM|$_l" "$_w"
}
# allowed PROMISES RESULT WHAT PROBE-ARG...: RESULT, and nothing reported
allowed() {
	_r=$2 _w=$3
	_p=$1
	shift 3
	try "$_p" "$@"
	is "$out|$err" "$_r|" "$_w"
}
# pty CMD: run the shell command CMD with a pseudo-terminal as its stdin,
# stdout and stderr; $out is everything it wrote
pty() {
	out=$(script -qec "$1" /dev/null </dev/null 2>&1 | tr -d '\r')
}
# tryfd PROMISES PROBE-ARG...: the same with descriptor 0 open read-write on
# a file of our own (a descriptor the payload has without opening it)
: > "$WORK/scratch"
tryfd() {
	_p=$1
	shift
	out=$("$V" --no-default -p "$_p" "$PROBE" "$@" 2>"$WORK/.stderr" 0<>"$WORK/scratch")
	rc=$?
	err=$(cat "$WORK/.stderr")
}
refusedfd() {
	_l=$2 _w=$3 _p=$1
	shift 3
	tryfd "$_p" "$@"
	is "$out|$err" "EPERM|$_l" "$_w"
}
allowedfd() {
	_r=$2 _w=$3 _p=$1
	shift 3
	tryfd "$_p" "$@"
	is "$out|$err" "$_r|" "$_w"
}
me=$(id -u) mygroup=$(id -g)

# ---- stdio: every program needs it ----
allowed stdio ok "stdio: getpid works" sys getpid
allowed stdio ok "stdio: sysinfo works" sys sysinfo buf
allowed stdio ok "stdio: dup works" sys dup 0
allowed stdio ok "stdio: pipe2 works" sys pipe2 buf 0
refused stdio 'vow: denied memfd_create(): needs promise "prot_exec"' "memfd_create needs prot_exec (code written to memory, then mapped)" sys memfd_create str:x 0
allowed 'stdio prot_exec' ok "prot_exec: memfd_create works" sys memfd_create str:x 0
allowed stdio ok "stdio: socketpair(AF_UNIX) works" sys socketpair AF_UNIX SOCK_STREAM 0 buf
allowed stdio ok "stdio: kill of itself works" sys kill self 0
allowed stdio ok "stdio: tgkill of itself works" sys tgkill self self 0
allowed stdio EFAULT "stdio: fstatat(fd, \"\", AT_EMPTY_PATH) reaches the kernel" sys newfstatat 0 str: bad AT_EMPTY_PATH
# without stdio the dynamic loader cannot even map the program's libraries
try rpath sys getpid
[ "$rc" != 0 ] && ok "without stdio the program dies (status $rc)" || notok "without stdio the program ran (status 0)"
is "$out" "" "without stdio nothing of the program ran"
has "$err" 'needs promise "stdio"' "without stdio the report names stdio"

# ---- rpath: implied for a dynamic program, refused to a static one ----
run "$V" show --no-default -p stdio -- "$PROBE"
has "$out" "rpath loader  (implied: a dynamic loader's libraries, or the files of getpw ps vminfo tmppath)" "vow show: a dynamic program gets rpath implied"
allowed stdio ok "rpath (implied): a dynamic program opens a file read-only" sys open "str:$PROBE" O_RDONLY
# A static program of our own, without libc: rawsys NR ARG... makes one
# syscall and exits with its errno (0: it worked).  s:TEXT is a pointer.
static=
if command -v cc >/dev/null 2>&1; then
	cat > rawsys.c <<'EOF'
__asm__(".global _start\n_start:\n\txor %ebp, %ebp\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall cstart\n\thlt\n");
static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return r;
}
static long num(const char *s)
{
	long v = 0, base = 10;
	if (s[0] == 's' && s[1] == ':')
		return (long)(s + 2);
	if (s[0] == '0' && s[1] == 'x')
		s += 2, base = 16;
	for (; *s; s++)
		v = v * base + (*s <= '9' ? *s - '0' : (*s | 32) - 'a' + 10);
	return v;
}
void cstart(long *sp);
void cstart(long *sp)
{
	long argc = sp[0], a[6] = {0, 0, 0, 0, 0, 0};
	char **argv = (char **)(sp + 1);
	for (long i = 2; i < argc && i < 8; i++)
		a[i - 2] = num(argv[i]);
	long r = argc > 1 ? sys6(num(argv[1]), a[0], a[1], a[2], a[3], a[4], a[5]) : 0;
	sys6(231, r < 0 && r > -4096 ? -r : 0, 0, 0, 0, 0, 0);
}
EOF
	cc -static -nostdlib -ffreestanding -fno-pie -no-pie -fno-stack-protector -O2 \
		-o rawsys rawsys.c 2>/dev/null && [ "$(./rawsys 39; echo $?)" = 0 ] && static=$WORK/rawsys
fi
AT_FDCWD=0xffffffffffffff9c
if [ -n "$static" ]; then
	run "$V" show --no-default -p stdio -- "$static"
	lacks "$out" "implied" "vow show: a static program gets no implied rpath"
	# openat = 257, newfstatat = 262; EPERM = 1, EFAULT = 14
	run "$V" --no-default -p stdio "$static" 257 $AT_FDCWD s:/etc/passwd 0
	is "$rc|$err" '1|vow: denied openat("/etc/passwd", O_RDONLY): needs promise "rpath"' "rpath: without it a read-only open is refused and reported"
	run "$V" --no-default -p 'stdio rpath' "$static" 257 $AT_FDCWD s:/etc/passwd 0
	is "$rc|$err" "0|" "rpath: with it the open works"
	run "$V" --no-default -p stdio "$static" 262 $AT_FDCWD s:/etc/passwd 1 0
	is "$rc|$err" '1|vow: denied newfstatat("/etc/passwd"): needs promise "rpath"' "rpath: without it stat by path is refused"
	run "$V" --no-default -p 'stdio rpath' "$static" 262 $AT_FDCWD s:/etc/passwd 1 0
	is "$rc|$err" "14|" "rpath: with it stat by path reaches the kernel (EFAULT)"
elif [ -x /sbin/ldconfig ] && ! "$V" show --no-default -p stdio -- /sbin/ldconfig | grep -q implied; then
	run "$V" --no-default -p stdio /sbin/ldconfig -p
	has "$err" 'vow: denied openat("/etc/ld.so.cache", O_RDONLY): needs promise "rpath"' "rpath: a static ldconfig cannot read its cache without it"
	run "$V" --no-default -p 'stdio rpath' /sbin/ldconfig -p
	has "$out" "in cache" "rpath: with it, ldconfig reads its cache"
else
	skip "rpath refused: no C compiler and no static program to test it with"
fi

# ---- wpath: writing by path, never creating ----
echo data > f
refused stdio 'vow: denied open("f", O_WRONLY): needs promise "wpath"' "wpath: without it a write-only open is refused" sys open str:f O_WRONLY
allowed 'stdio wpath' ok "wpath: with it the open works" sys open str:f O_WRONLY
refused stdio 'vow: denied openat("f", O_RDWR): needs promise "wpath"' "wpath: openat O_RDWR needs it too" sys openat AT_FDCWD str:f O_RDWR
refused stdio 'vow: denied open("f", O_RDONLY|O_TRUNC): needs promise "wpath"' "wpath: O_TRUNC needs it, even read-only" sys open str:f 'O_RDONLY|O_TRUNC'
is "$(cat f)" data "wpath: the refused O_TRUNC left the file as it was"
allowed 'stdio wpath' ok "wpath: with it O_TRUNC works" sys open str:f 'O_RDONLY|O_TRUNC'
is "$(wc -c < f)" 0 "wpath: and truncates"
echo data > f
refused stdio 'vow: denied truncate("f"): needs promise "wpath"' "wpath: truncate by path needs it" sys truncate str:f 0
is "$(cat f)" data "wpath: the refused truncate left the file as it was"
allowed 'stdio wpath' ok "wpath: with it truncate works" sys truncate str:f 0
is "$(wc -c < f)" 0 "wpath: and the file is empty"
allowedfd stdio ok "stdio: ftruncate of an open descriptor works" sys ftruncate 0 0
allowed stdio ok "open(O_RDONLY|O_DIRECTORY) is a read (opendir), not O_TMPFILE" sys open str:. 'O_RDONLY|O_DIRECTORY'

# ---- cpath: creating and removing; O_CREAT needs cpath and wpath ----
echo data > f
refused 'stdio wpath' 'vow: denied open("new", O_WRONLY|O_CREAT): needs promise "cpath"' "cpath: O_CREAT without it is refused" sys open str:new 'O_WRONLY|O_CREAT' 0644
refused 'stdio cpath' 'vow: denied open("new", O_WRONLY|O_CREAT): needs promise "wpath"' "cpath: O_CREAT with cpath alone is refused" sys open str:new 'O_WRONLY|O_CREAT' 0644
[ -e new ] && notok "cpath: a refused O_CREAT created the file" || ok "cpath: the refused O_CREATs created nothing"
allowed 'stdio cpath wpath' ok "cpath: O_CREAT with cpath and wpath works" sys open str:new 'O_WRONLY|O_CREAT' 0644
[ -f new ] && ok "cpath: and creates the file" || notok "cpath: the file was not created"
refused 'stdio cpath' 'vow: denied open("f", O_WRONLY): needs promise "wpath"' "cpath alone cannot open an existing file for writing" sys open str:f O_WRONLY
refused 'stdio cpath' 'vow: denied open("f", O_RDWR|O_CREAT|O_TRUNC): needs promise "wpath"' "cpath alone cannot truncate an existing file with O_CREAT" sys open str:f 'O_RDWR|O_CREAT|O_TRUNC' 0644
is "$(cat f)" data "cpath: the file is unchanged"
refused 'stdio cpath wpath' 'vow: denied open("suid", O_WRONLY|O_CREAT): never allowed' "cpath: O_CREAT of a set-id file is never allowed" sys open str:suid 'O_WRONLY|O_CREAT' 04755
[ -e suid ] && notok "cpath: the set-id file was created" || ok "cpath: no set-id file was created"
refused 'stdio wpath' 'vow: denied open(".", O_RDWR|O_TMPFILE): needs promise "cpath"' "cpath: O_TMPFILE needs it" sys open str:. 'O_RDWR|O_TMPFILE' 0600
allowed 'stdio cpath wpath' ok "cpath: with it O_TMPFILE works" sys open str:. 'O_RDWR|O_TMPFILE' 0600
refused stdio 'vow: denied creat("c"): needs promises "wpath cpath"' "cpath: creat needs cpath and wpath" sys creat str:c 0644
allowed 'stdio cpath wpath' ok "cpath: with both creat works" sys creat str:c 0644
refused stdio 'vow: denied mkdir("d"): needs promise "cpath"' "cpath: mkdir without it is refused" sys mkdir str:d 0755
[ -e d ] && notok "cpath: the refused mkdir made a directory" || ok "cpath: the refused mkdir made nothing"
allowed 'stdio cpath' ok "cpath: with it mkdir works" sys mkdir str:d 0755
[ -d d ] && ok "cpath: and makes the directory" || notok "cpath: no directory"
refused stdio 'vow: denied unlink("f"): needs promise "cpath"' "cpath: unlink without it is refused" sys unlink str:f
[ -f f ] && ok "cpath: the file is still there" || notok "cpath: the refused unlink removed the file"
allowed 'stdio cpath' ok "cpath: with it unlink works" sys unlink str:f
[ -e f ] && notok "cpath: unlink left the file" || ok "cpath: and removes the file"
# openat2 passes its flags in memory, where no filter can read them
echo data > f
try 'stdio cpath wpath' sys openat2 AT_FDCWD str:f buf 24
is "$out" ENOSYS "openat2 returns ENOSYS, so that libc uses the checked openat"

# ---- dpath: special files ----
refused stdio 'vow: denied mknod("fifo"): needs promise "dpath"' "dpath: mknod of a FIFO without it is refused" sys mknod str:fifo 'S_IFIFO|0644' 0
[ -e fifo ] && notok "dpath: the refused mknod made a FIFO" || ok "dpath: the refused mknod made nothing"
allowed 'stdio dpath' ok "dpath: with it mknod of a FIFO works" sys mknod str:fifo 'S_IFIFO|0644' 0
[ -p fifo ] && ok "dpath: and makes the FIFO" || notok "dpath: no FIFO"
# dpath makes named pipes only: not regular files (cpath's, with their mode
# checks), not set-id ones, not devices
try 'stdio dpath' sys mknod str:suidnod 'S_IFREG|04755' 0
is "$out" EPERM "dpath: mknod of a set-id regular file is refused"
[ -e suidnod ] && notok "dpath: mknod made a file: $(ls -l suidnod)" || ok "dpath: no file was made"
try 'stdio dpath cpath wpath' sys mknod str:regnod 'S_IFREG|0644' 0
is "$out" EPERM "dpath: mknod of a regular file is refused even with cpath"
try 'stdio dpath' sys mknod str:fifo2 'S_IFIFO|04644' 0
is "$out" EPERM "dpath: a FIFO with a set-id bit is refused"

# ---- fattr: modes and times, never the set-id and sticky bits ----
echo data > f
chmod 644 f
refused stdio 'vow: denied chmod("f"): needs promise "fattr"' "fattr: chmod without it is refused" sys chmod str:f 0600
is "$(stat -c %a f)" 644 "fattr: the refused chmod left the mode"
allowed 'stdio fattr' ok "fattr: with it chmod works" sys chmod str:f 0600
is "$(stat -c %a f)" 600 "fattr: and changes the mode"
for m in 04755 02755 01755; do
	refused 'stdio fattr' 'vow: denied chmod("f"): never allowed' "fattr: chmod $m (set-id or sticky) is refused even with fattr" sys chmod str:f $m
	is "$(stat -c %a f)" 600 "fattr: chmod $m left the mode"
done
refused 'stdio fattr' 'vow: denied fchmodat("f"): never allowed' "fattr: fchmodat with a set-gid bit is refused" sys fchmodat AT_FDCWD str:f 02600
tryfd 'stdio fattr' sys fchmod 0 04600
is "$out" EPERM "fattr: fchmod with a set-uid bit is refused"
allowedfd 'stdio fattr' ok "fattr: fchmod without one works" sys fchmod 0 0600
try 'stdio fattr' sys nr:452 AT_FDCWD str:f 04755 0
case "$out" in EPERM|ENOSYS) ok "fattr: fchmodat2 cannot set a set-id bit ($out)" ;; *) notok "fattr: fchmodat2 with a set-id bit: $out" ;; esac
is "$(stat -c %a f)" 600 "fattr: and the mode is unchanged"
refused stdio 'vow: denied utimensat("f"): needs promise "fattr"' "fattr: utimensat without it is refused" sys utimensat AT_FDCWD str:f 0 0
allowed 'stdio fattr' ok "fattr: with it utimensat works" sys utimensat AT_FDCWD str:f 0 0

# ---- chown ----
refused stdio 'vow: denied chown("f"): needs promise "chown"' "chown: chown without it is refused" sys chown str:f "$me" "$mygroup"
allowed 'stdio chown' ok "chown: with it chown works" sys chown str:f "$me" "$mygroup"
refusedfd stdio 'vow: denied fchown(): needs promise "chown"' "chown: fchown without it is refused" sys fchown 0 -1 -1
allowedfd 'stdio chown' ok "chown: with it fchown works" sys fchown 0 -1 -1

# ---- flock: file locks (on descriptor 0, a file) ----
refusedfd stdio 'vow: denied flock(): needs promise "flock"' "flock: flock without it is refused" sys flock 0 LOCK_EX
allowedfd 'stdio flock' ok "flock: with it flock works" sys flock 0 LOCK_EX
refusedfd stdio 'vow: denied fcntl(0, F_SETLK): needs promise "flock"' "flock: fcntl(F_SETLK) without it is refused" sys fcntl 0 F_SETLK buf
allowedfd 'stdio flock' ok "flock: with it fcntl(F_SETLK) works" sys fcntl 0 F_SETLK buf
allowed stdio ok "stdio: fcntl(F_GETFD) works" sys fcntl 0 F_GETFD
allowed stdio ok "stdio: fcntl(F_SETFL) works" sys fcntl 0 F_SETFL O_NONBLOCK
refused 'stdio flock' 'vow: denied fcntl(0, F_SETOWN): needs promise "proc"' "fcntl(F_SETOWN) needs proc" sys fcntl 0 F_SETOWN 0
# the command is an unsigned int: the kernel reads its low 32 bits, and so
# must the filter (both ways)
allowed stdio ok "fcntl(F_GETFD | 1<<32) is F_GETFD to the kernel, and allowed" sys fcntl 0 hi32:F_GETFD
refusedfd stdio 'vow: denied fcntl(0, F_SETLK): needs promise "flock"' "fcntl(F_SETLK | 1<<32) is still F_SETLK: refused" sys fcntl 0 hi32:F_SETLK buf

# ---- ioctl: allow lists ----
allowed stdio ok "stdio: ioctl(FIONREAD) works" sys ioctl pipe FIONREAD buf
allowed stdio ok "stdio: ioctl(FIOCLEX) works" sys ioctl 0 FIOCLEX 0
refused stdio 'vow: denied ioctl(0, TIOCGPGRP): needs promise "tty"' "tty: ioctl(TIOCGPGRP) without it is refused" sys ioctl 0 TIOCGPGRP buf
allowed 'stdio tty' ENOTTY "tty: with it ioctl(TIOCGPGRP) reaches the kernel (ENOTTY on /dev/null)" sys ioctl 0 TIOCGPGRP buf
refused 'stdio tty' 'vow: denied ioctl(0, 0x5452): never allowed' "ioctl(FIOASYNC) is in no allow list" sys ioctl 0 FIOASYNC buf
if command -v script >/dev/null 2>&1; then
	pty "\"$PROBE\" sys ioctl 0 TCGETS buf"
	is "$out" ok "bare: TCGETS on a pty works"
	pty "\"$V\" --no-default -p stdio \"$PROBE\" sys ioctl 0 TCGETS buf"
	is "$out" ENOTTY "tty: without it TCGETS on a pty gets ENOTTY, and no report"
	pty "\"$V\" --no-default -p stdio \"$PROBE\" sys ioctl 0 TIOCGWINSZ buf"
	is "$out" ENOTTY "tty: without it TIOCGWINSZ on a pty gets ENOTTY, and no report"
	pty "\"$V\" --no-default -p 'stdio tty' \"$PROBE\" sys ioctl 0 TCGETS buf"
	is "$out" ok "tty: with it TCGETS on a pty works"
	pty "\"$V\" --no-default -p 'stdio tty' \"$PROBE\" sys ioctl 0 TIOCGWINSZ buf"
	is "$out" ok "tty: with it TIOCGWINSZ on a pty works"
	pty "\"$V\" --no-default -p 'stdio tty' \"$PROBE\" sys ioctl 0 TIOCSTI str:x"
	is "$out" 'vow: denied ioctl(0, TIOCSTI): never allowed
EPERM' "tty: TIOCSTI is refused even with tty"
	pty "\"$V\" --no-default -p 'stdio tty' \"$PROBE\" sys ioctl 0 hi32:TIOCSTI str:x"
	is "$out" 'vow: denied ioctl(0, TIOCSTI): never allowed
EPERM' "tty: TIOCSTI | 1<<32 is refused even with tty"
	pty "\"$V\" --no-default -p 'stdio tty' \"$PROBE\" sys ioctl 0 TIOCLINUX buf"
	is "$out" 'vow: denied ioctl(0, TIOCLINUX): never allowed
EPERM' "tty: TIOCLINUX is refused even with tty"
else
	skip "tty on a pty: script(1) is not installed"
fi

# ---- inet ----
refused stdio 'vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"' "inet: socket(AF_INET, SOCK_STREAM) without it is refused" sys socket AF_INET SOCK_STREAM 0
allowed 'stdio inet' ok "inet: with it socket(AF_INET, SOCK_STREAM) works" sys socket AF_INET SOCK_STREAM 0
allowed 'stdio inet' ok "inet: socket(AF_INET6, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC) works" sys socket AF_INET6 'SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC' 0
allowed 'stdio inet' ok "inet: the domain is an int: AF_INET | 1<<32 is AF_INET" sys socket hi32:AF_INET SOCK_STREAM 0
allowed 'stdio inet' ECONNREFUSED "inet: with it connect reaches the kernel" sys connect tcp in:127.0.0.1:1 16
refused stdio 'vow: denied connect(): needs promise "dns" (or "unix", "inet")' "inet: connect without inet, unix or dns is refused" sys connect sock in:127.0.0.1:1 16
refused 'stdio inet' 'vow: denied socket(AF_INET, SOCK_RAW): never allowed' "inet: a raw socket is refused even with inet" sys socket AF_INET SOCK_RAW IPPROTO_ICMP
refused 'stdio inet' 'vow: denied socket(AF_INET, SOCK_DGRAM): never allowed' "inet: an ICMP datagram socket is refused even with inet" sys socket AF_INET SOCK_DGRAM IPPROTO_ICMP
refused 'stdio inet' 'vow: denied socket(AF_PACKET, SOCK_RAW): never allowed' "inet: a packet socket is refused even with inet" sys socket AF_PACKET SOCK_RAW 0x300
refused 'stdio inet' 'vow: denied socket(AF_NETLINK, SOCK_RAW): never allowed' "inet: a netlink socket is refused even with inet" sys socket AF_NETLINK SOCK_RAW 0
# setsockopt and getsockopt: levels and names
allowed 'stdio inet' ok "inet: setsockopt(SOL_SOCKET, SO_REUSEADDR) works" sys setsockopt tcp SOL_SOCKET SO_REUSEADDR buf 4
allowed 'stdio inet' ok "inet: setsockopt(IPPROTO_TCP, TCP_NODELAY) works" sys setsockopt tcp IPPROTO_TCP TCP_NODELAY buf 4
allowed 'stdio inet' ok "inet: setsockopt(IPPROTO_IP, IP_TOS) works" sys setsockopt tcp IPPROTO_IP IP_TOS buf 4
refused 'stdio inet' 'vow: denied setsockopt(): never allowed' "inet: setsockopt(IPPROTO_IP, IP_OPTIONS) is refused" sys setsockopt tcp IPPROTO_IP IP_OPTIONS buf 0
refused 'stdio inet' 'vow: denied setsockopt(): never allowed' "inet: setsockopt(IPPROTO_IP, IP_TRANSPARENT) is refused" sys setsockopt tcp IPPROTO_IP IP_TRANSPARENT buf 4
refused 'stdio inet' 'vow: denied setsockopt(): never allowed' "inet: setsockopt(SOL_SOCKET, SO_ATTACH_FILTER) is refused" sys setsockopt tcp SOL_SOCKET SO_ATTACH_FILTER buf 16
refused stdio 'vow: denied setsockopt(): needs promise "dns" (or "unix", "inet")' "setsockopt(SOL_SOCKET) with stdio alone is refused" sys setsockopt sock SOL_SOCKET SO_RCVBUF buf 4
allowed stdio ok "stdio: getsockopt(SOL_SOCKET, SO_TYPE) works" sys getsockopt sock SOL_SOCKET SO_TYPE buf str:xxxx
refused stdio 'vow: denied getsockopt(): needs promise "dns" (or "unix", "inet")' "getsockopt(SOL_SOCKET, SO_RCVBUF) with stdio alone is refused" sys getsockopt sock SOL_SOCKET SO_RCVBUF buf bad

# ---- sendto: an address needs inet, unix or dns; none works with stdio ----
allowed stdio ok "stdio: sendto without an address works" sys sendto sock str:x 1 0 0 0
refused stdio 'vow: denied sendto(): needs promise "dns" (or "unix", "inet")' "sendto with an address and stdio alone is refused" sys sendto sock str:x 1 0 buf 16
allowed 'stdio unix' EISCONN "unix: with it sendto with an address reaches the kernel" sys sendto sock str:x 1 0 buf 16
# the address is a pointer: all 64 bits count
refused stdio 'vow: denied sendto(): needs promise "dns" (or "unix", "inet")' "sendto whose address has only high bits set is still refused" sys sendto sock str:x 1 0 hi32:0 16
allowed 'stdio unix' EFAULT "unix: and the kernel saw that address (EFAULT)" sys sendto sock str:x 1 0 hi32:0 16
allowed 'stdio inet' ok "inet: sendto with an address works" sys sendto udp str:x 1 0 in:127.0.0.1:9 16

# ---- mcast ----
refused 'stdio inet' 'vow: denied setsockopt(): needs promise "mcast"' "mcast: setsockopt(IP_MULTICAST_TTL) without it is refused" sys setsockopt udp IPPROTO_IP IP_MULTICAST_TTL buf 4
allowed 'stdio inet mcast' ok "mcast: with it (and inet) setsockopt(IP_MULTICAST_TTL) works" sys setsockopt udp IPPROTO_IP IP_MULTICAST_TTL buf 4

# ---- unix ----
refused stdio 'vow: denied socket(AF_UNIX, SOCK_STREAM): needs promise "unix"' "unix: socket(AF_UNIX) without it is refused" sys socket AF_UNIX SOCK_STREAM 0
allowed 'stdio unix' ok "unix: with it socket(AF_UNIX, SOCK_STREAM) works" sys socket AF_UNIX SOCK_STREAM 0
allowed 'stdio unix' ok "unix: with it socket(AF_UNIX, SOCK_DGRAM) works" sys socket AF_UNIX SOCK_DGRAM 0
allowed 'stdio unix' ok "unix: with it setsockopt(SOL_SOCKET) works" sys setsockopt sock SOL_SOCKET SO_RCVBUF buf 4
refused 'stdio unix' 'vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"' "unix does not give AF_INET" sys socket AF_INET SOCK_STREAM 0

# ---- dns: UDP (and TCP) sockets for the resolver ----
allowed 'stdio dns' ok "dns: with it socket(AF_INET, SOCK_DGRAM) works" sys socket AF_INET SOCK_DGRAM 0
allowed 'stdio dns' ok "dns: with it sendto a name server works" sys sendto udp str:x 1 0 in:127.0.0.1:53 16
allowed 'stdio dns' ok "dns: with it connect of a UDP socket works" sys connect udp in:127.0.0.1:53 16
refused stdio 'vow: denied socket(AF_INET, SOCK_DGRAM): needs promise "dns" (or "inet")' "dns: without it (or inet) the UDP socket is refused" sys socket AF_INET SOCK_DGRAM 0
refused 'stdio dns' 'vow: denied socket(AF_INET, SOCK_RAW): never allowed' "dns: a raw socket is refused" sys socket AF_INET SOCK_RAW IPPROTO_UDP
refused 'stdio dns' 'vow: denied socket(AF_UNIX, SOCK_STREAM): needs promise "unix"' "dns does not give AF_UNIX" sys socket AF_UNIX SOCK_STREAM 0
# dns gives UDP sockets only: no TCP connection anywhere (seccomp cannot see
# a UDP packet's port; OpenBSD's dns allows port 53 only)
refused 'stdio dns' 'vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"' "dns: a TCP socket is refused" sys socket AF_INET SOCK_STREAM 0

# ---- sendfd, recvfd: descriptors over sockets ----
allowed 'stdio sendfd' ok "sendfd: with it sendmsg with SCM_RIGHTS works" sys sendmsg sock fdmsg 0
allowed 'stdio recvfd' EAGAIN "recvfd: with it recvmsg reaches the kernel (EAGAIN)" sys recvmsg sock msg MSG_DONTWAIT
try stdio sys sendmsg sock fdmsg 0
is "$out" EPERM "sendfd: without it sendmsg with SCM_RIGHTS is refused"
try stdio sys recvmsg sock msg MSG_DONTWAIT
is "$out" EPERM "recvfd: without it recvmsg is refused"
# the report names the narrowest promise first, then the others that would do
try stdio sys sendmsg sock fdmsg 0
is "$err" 'vow: denied sendmsg(): needs promise "sendfd" (or "dns", "unix", "inet")' "sendfd: the report names sendfd first"
try stdio sys recvmsg sock msg MSG_DONTWAIT
is "$err" 'vow: denied recvmsg(): needs promise "recvfd" (or "dns", "unix", "inet")' "recvfd: the report names recvfd first"

# ---- prot_exec: executable memory ----
refused stdio 'vow: denied mmap(PROT_READ|PROT_EXEC): needs promise "prot_exec"' "prot_exec: an anonymous PROT_EXEC mapping without it is refused" sys mmap 0 4096 'PROT_READ|PROT_EXEC' 'MAP_PRIVATE|MAP_ANONYMOUS' -1 0
allowed 'stdio prot_exec' ok "prot_exec: with it the mapping works" sys mmap 0 4096 'PROT_READ|PROT_EXEC' 'MAP_PRIVATE|MAP_ANONYMOUS' -1 0
refused stdio 'vow: denied mprotect(PROT_READ|PROT_EXEC): needs promise "prot_exec"' "prot_exec: mprotect to PROT_EXEC without it is refused" sys mprotect buf 4096 'PROT_READ|PROT_EXEC'
allowed 'stdio prot_exec' ok "prot_exec: with it mprotect to PROT_EXEC works" sys mprotect buf 4096 'PROT_READ|PROT_EXEC'
allowed stdio ok "stdio: mprotect without PROT_EXEC works" sys mprotect buf 4096 PROT_READ
allowed stdio ok "stdio: a read+exec mapping of a file works (the dynamic loader's)" sys mmap 0 4096 'PROT_READ|PROT_EXEC' MAP_PRIVATE "fd:$PROBE" 0
refused stdio 'vow: denied mmap(PROT_READ|PROT_WRITE|PROT_EXEC): needs promise "prot_exec"' "prot_exec: a writable executable mapping of a file is refused" sys mmap 0 4096 'PROT_READ|PROT_WRITE|PROT_EXEC' MAP_PRIVATE "fd:$PROBE" 0
# a memfd mapped both writable and read+exec would be writable code: the
# memfd itself needs prot_exec
try stdio sys mmap 0 4096 'PROT_READ|PROT_EXEC' MAP_SHARED memfd 0
is "$out" "setup:EPERM" "prot_exec: no memfd without it, so no read+exec mapping of one"
allowed 'stdio prot_exec' ok "prot_exec: with it a read+exec mapping of a memfd works" sys mmap 0 4096 'PROT_READ|PROT_EXEC' MAP_SHARED memfd 0

# ---- tty is above; thread and proc: clone flags ----
thread='CLONE_VM|CLONE_SIGHAND|CLONE_THREAD'
refused stdio 'vow: denied clone(0x10900): needs promise "thread"' "thread: clone of a thread without it is refused" sys clone "$thread" 0 0 0 0
allowed 'stdio thread' ok "thread: with it clone of a thread works" sys clone "$thread" 0 0 0 0
refused 'stdio proc' 'vow: denied clone(0x10900): needs promise "thread"' "thread: proc does not give threads" sys clone "$thread" 0 0 0 0
allowed 'stdio thread' "3 ok" "thread: with it pthread_create works" threads 3
refused stdio 'vow: denied clone(0x11): needs promise "proc"' "proc: clone of a process without it is refused" sys clone SIGCHLD 0 0 0 0
allowed 'stdio proc' ok "proc: with it clone of a process works" sys clone SIGCHLD 0 0 0 0
refused 'stdio thread' 'vow: denied clone(0x11): needs promise "proc"' "proc: thread does not give processes" sys clone SIGCHLD 0 0 0 0
refused stdio 'vow: denied fork(): needs promise "proc"' "proc: fork without it is refused" sys fork
allowed 'stdio proc' ok "proc: with it fork works" sys fork
refused stdio 'vow: denied vfork(): needs promise "proc"' "proc: vfork without it is refused" sys vfork
refused 'stdio proc' 'vow: denied clone(0x10000011): never allowed' "proc: clone(CLONE_NEWUSER) is refused even with proc" sys clone 'CLONE_NEWUSER|SIGCHLD' 0 0 0 0
refused 'stdio proc thread' 'vow: denied clone(0x40010900): never allowed' "proc: clone(CLONE_NEWNET) of a thread is refused even with proc and thread" sys clone "CLONE_NEWNET|$thread" 0 0 0 0
refused stdio 'vow: denied sched_setaffinity(): needs promise "proc"' "proc: sched_setaffinity without it is refused" sys sched_setaffinity 0 8 bad
allowed 'stdio proc' EFAULT "proc: with it sched_setaffinity reaches the kernel" sys sched_setaffinity 0 8 bad
refused stdio 'vow: denied setsid(): needs promise "proc"' "proc: setsid without it is refused" sys setsid
try 'stdio proc' child sys setpgid 0 0
is "$(echo "$out" | tail -n 1)|$err" "ok|" "proc: with it a child's setpgid works"
# prlimit64: reading is stdio, setting needs proc or id; the new limit is a
# pointer, all 64 bits count
allowed stdio ok "stdio: prlimit64 reading a limit works" sys prlimit64 0 RLIMIT_NOFILE 0 buf
refused stdio 'vow: denied prlimit64(): needs promise "id" (or "proc")' "prlimit64 setting a limit with stdio alone is refused" sys prlimit64 0 RLIMIT_NOFILE bad 0
refused stdio 'vow: denied prlimit64(): needs promise "id" (or "proc")' "prlimit64 whose new limit has only high bits set is refused" sys prlimit64 0 RLIMIT_NOFILE hi32:0 0
allowed 'stdio proc' EFAULT "proc: with it prlimit64 setting a limit reaches the kernel" sys prlimit64 0 RLIMIT_NOFILE bad 0
allowed 'stdio id' EFAULT "id: with it prlimit64 setting a limit reaches the kernel" sys prlimit64 0 RLIMIT_NOFILE bad 0

# ---- prctl: a subset ----
allowed stdio ok "stdio: prctl(PR_SET_NAME) works" sys prctl PR_SET_NAME str:x
allowed stdio ok "stdio: prctl(PR_SET_NAME | 1<<32) is PR_SET_NAME to the kernel" sys prctl hi32:PR_SET_NAME str:x
allowed stdio ok "stdio: prctl(PR_SET_NO_NEW_PRIVS) works" sys prctl PR_SET_NO_NEW_PRIVS 1 0 0 0
refused 'stdio proc id' 'vow: denied prctl(0x4): never allowed' "prctl(PR_SET_DUMPABLE, 1) is refused" sys prctl PR_SET_DUMPABLE 1
refused 'stdio proc id' 'vow: denied prctl(0x23): never allowed' "prctl(PR_SET_MM) is refused" sys prctl PR_SET_MM 0
refused 'stdio proc id' 'vow: denied prctl(0x59616d61): never allowed' "prctl(PR_SET_PTRACER) is refused" sys prctl PR_SET_PTRACER 0

# ---- id, settime ----
# (setting an id to the value it already has changes nothing, and is allowed:
# the refusals use another id)
other=1; [ "$me" = 1 ] && other=2
refused stdio 'vow: denied setuid(): needs promise "id"' "id: setuid to another uid without it is refused" sys setuid "$other"
refused stdio 'vow: denied setresuid(): needs promise "id"' "id: setresuid to another uid without it is refused" sys setresuid -1 "$other" -1
refused stdio 'vow: denied setgid(): needs promise "id"' "id: setgid to another gid without it is refused" sys setgid "$other"
allowed stdio ok "id: setuid to its own uid (a no-op) works without it" sys setuid "$me"
allowed stdio ok "id: setresuid(-1, -1, -1) (a no-op) works without it" sys setresuid -1 -1 -1
allowed 'stdio id' ok "id: with it setuid (to its own uid) works" sys setuid "$me"
refused stdio 'vow: denied setpriority(): needs promise "id" (or "proc")' "setpriority with stdio alone is refused" sys setpriority PRIO_PROCESS 0 0
allowed 'stdio id' ok "id: with it setpriority works" sys setpriority PRIO_PROCESS 0 0
refused stdio 'vow: denied clock_settime(): needs promise "settime"' "settime: clock_settime without it is refused" sys clock_settime CLOCK_REALTIME bad
allowed 'stdio settime' EFAULT "settime: with it clock_settime reaches the kernel" sys clock_settime CLOCK_REALTIME bad

# ---- exec: the payload's own start, and nothing after it ----
refused stdio "vow: denied execve(\"$PROBE\"): needs promise \"exec\"" "exec: without it a second execve is refused" exec "$PROBE" sys getpid
allowed 'stdio exec' ok "exec: with it a second execve works" exec "$PROBE" sys getpid
refused stdio "vow: denied execveat(\"$PROBE\"): needs promise \"exec\"" "exec: without it execveat is refused" sys execveat AT_FDCWD "str:$PROBE" 0 0 0
try 'stdio proc' child exec "$PROBE" sys getpid
child=$(echo "$out" | head -n 1)
is "$(echo "$out" | tail -n 1)|$err" "EPERM|vow: denied execve(\"$PROBE\") in pid $child: needs promise \"exec\"" "exec: without it a forked child cannot execute either, and the report names its pid"
try 'stdio proc exec' child exec "$PROBE" sys getpid
is "$(echo "$out" | tail -n 1)|$err" "ok|" "exec: with it a forked child executes"
printf '#!/bin/sh\necho script ran\n' > script.sh
chmod 755 script.sh
run "$V" --no-default -p stdio ./script.sh
is "$rc|$out|$err" "0|script ran|" "exec: a #! script is the payload's own start, and runs without exec"
printf '#!/bin/sh\nexec "$1" sys getpid\n' > exec.sh
chmod 755 exec.sh
run "$V" --no-default -p stdio ./exec.sh "$PROBE"
[ "$rc" != 0 ] && ok "exec: without it the script's own exec fails (status $rc)" || notok "exec: the script's exec worked without exec"
has "$err" "vow: denied execve(\"$PROBE\"): needs promise \"exec\"" "exec: and is reported"
run "$V" --no-default -p 'stdio exec' ./exec.sh "$PROBE"
is "$rc|$out" "0|ok" "exec: with it the script's exec works"

# ---- the empty promise set: only exit ----
try '' sys getpid
[ "$rc" != 0 ] && ok "-p '': a dynamic program dies (status $rc)" || notok "-p '': a dynamic program exited 0"
is "$out" "" "-p '': nothing of it ran"
has "$err" 'needs promise "stdio"' "-p '': the report names stdio"
if [ -n "$static" ]; then
	run "$V" --no-default -p '' "$static"
	is "$rc" 0 "-p '': a static program that only exits exits 0"
	run "$V" --no-default -p '' "$static" 39
	has "$err" 'vow: denied getpid(): needs promise "stdio"' "-p '': getpid is refused and reported"
	is "$rc" 1 "-p '': the refused getpid gets EPERM and the program exits with it"
else
	skip "-p '' with a static program: no C compiler"
fi

# ---- names ----
try 'stdio inett' sys getpid
is "$rc|$out|$err" '125||vow: -p: unknown promise "inett" (did you mean "inet"?)' "an unknown promise: status 125, a suggestion, nothing runs"
try 'stdio prot-exec' sys getpid
is "$rc|$err" '125|vow: -p: unknown promise "prot-exec" (did you mean "prot_exec"?)' "prot-exec: did you mean prot_exec"
run "$V" --no-default -e 'vow.promise("rpat")' "$PROBE" sys getpid
is "$rc|$out|$err" '125||vow: -e:1: vow.promise: unknown promise "rpat" (did you mean "rpath"?)' "vow.promise: an unknown promise names the line"
for p in getpw ps tmppath vminfo; do
	try "stdio $p" sys getpid
	instead=rpath; [ $p = tmppath ] && instead="rpath wpath cpath"
	is "$rc|$out|$err" "125||vow: promise \"$p\" is a set of files, which only path rules can give: add one (-v, vow.unveil), or promise $instead instead" "$p without path rules: status 125, nothing runs"
done

# ---- promises only add up ----
run "$V" --no-default -p stdio -p inet "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out|$err" "ok|" "two -p flags add up"
run "$V" --no-default -e 'vow.promise("inet")' -p stdio "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out|$err" "ok|" "vow.promise in -e and -p add up"
run "$V" --no-default -e 'vow.promise("stdio")' -e 'vow.promise("unix")' "$PROBE" sys socket AF_UNIX SOCK_STREAM 0
is "$out|$err" "ok|" "two vow.promise calls add up"
run "$V" --no-default -p stdio -p unix "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out" EPERM "and give no more than their union"

# ---- violation modes ----
run "$V" --no-default -p stdio --violation eperm "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$rc|$out|$err" "0|EPERM|" "--violation eperm: EPERM and no report"
run "$V" --no-default -p stdio --violation report "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$rc|$out|$err" '0|EPERM|vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"' "--violation report: EPERM and one line"
run "$V" --no-default -p stdio --violation kill "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$rc|$out|$err" '159||vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"' "--violation kill: the line, status 159, and the call never returns"
run "$V" --no-default -p 'stdio proc exec' --violation kill sh -c 'sleep 4791 & echo started; "$0" sys socket AF_INET SOCK_STREAM 0; echo survived' "$PROBE"
is "$rc|$out" "159|started" "--violation kill: a refusal in a child kills the whole sandbox"
has "$err" 'vow: denied socket(AF_INET, SOCK_STREAM) in pid ' "--violation kill: the line names the child's pid"
is "$(alive 'sleep 4791')" "" "--violation kill: no process is left behind"
run "$V" --no-default -e 'vow.violation("eperm")' -p stdio "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out|$err" "EPERM|" "vow.violation(\"eperm\") works as --violation eperm"

# ---- the report: its pid, and its rate limit ----
try 'stdio proc' child sys socket AF_INET SOCK_STREAM 0
child=$(echo "$out" | head -n 1)
is "$(echo "$out" | tail -n 1)|$err" "EPERM|vow: denied socket(AF_INET, SOCK_STREAM) in pid $child: needs promise \"inet\"" "a refusal in another process than the payload's first names its pid"
try stdio sysloop 1000 socket AF_INET SOCK_STREAM 0
is "$out" "1000 EPERM" "1000 refused calls all get EPERM"
lines=$(printf '%s\n' "$err" | grep -c '^vow: denied socket(AF_INET, SOCK_STREAM): needs promise "inet"$')
[ "$lines" -ge 32 ] && [ "$lines" -le 48 ] && ok "the rate limit lets a burst of 32 (and a few more) through: $lines" || notok "rate limit: $lines report lines"
is "$(printf '%s\n' "$err" | tail -n 1)" "vow: $((1000 - lines)) more denied calls were not reported (1000 in all)" "the summary counts the rest, and the total"
is "$(printf '%s\n' "$err" | grep -vc '^vow: denied ')" 1 "nothing else is printed"

# ---- nested vow: the inner one cannot regain what the outer lacks ----
outer='stdio rpath proc exec'
run "$V" --no-default -p "$outer" "$V" --no-default -p 'stdio exec' "$PROBE" sys getpid
is "$rc|$out" "0|ok" "nested: an inner vow runs under an outer one's promises"
run "$V" --no-default -p "$outer" "$V" --no-default -p 'stdio inet exec' "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out" EPERM "nested: inner inet does not give what the outer lacks"
has "$err" 'vow: denied socket(AF_INET, SOCK_STREAM) in pid ' "nested: the outer vow reports it"
run "$V" --no-default -p "$outer inet" "$V" --no-default -p 'stdio exec' "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out" EPERM "nested: the inner vow narrows what the outer gives"
run "$V" --no-default -p "$outer" "$V" --no-default -p stdio "$PROBE" sys getpid
is "$rc|$out" "125|" "nested: an inner vow without exec cannot refuse exec, and refuses to run"
has "$err" "already runs under a filter that has them" "nested: and says why"
run "$V" --no-default -p "$outer" "$V" --no-default -p 'stdio exec' "$PROBE" exec "$PROBE" sys getpid
is "$out" ok "nested: exec given by both works"
run "$V" --no-default -p 'stdio rpath proc' sh -c '"$0" --no-default -p "stdio exec" "$1" sys getpid' "$V" "$PROBE"
is "$rc|$out" "126|" "nested: without exec in the outer, no inner vow runs"
has "$err" "vow: denied execve(\"$V\") in pid " "nested: the outer reports the refused execve"

# an inner vow that holds the listener (the outer one has none) answers it
# (fork: the outer allows it, the inner does not, so the inner is asked)
run "$V" --no-default -T 20 -p 'stdio rpath exec proc' --violation eperm \
	"$V" --no-default -p 'stdio rpath' "$PROBE" sys fork
is "$rc:$out" "0:EPERM" "nested: an inner vow with the listener answers its calls (no hang)"
has "$err" 'vow: denied fork(): needs promise "proc"' "nested: and reports them"
# eperm mode is silent, refused execs included
run "$V" --no-default --violation eperm -p stdio "$PROBE" exec /bin/true
is "$out|$err" "EPERM|" "eperm: a refused execve gets EPERM and no report"
