#!/bin/sh
# untrusted.sh: a script you were sent and do not trust.  It does some
# honest work (counts primes, writes result.txt here), but first it tries
# to take over the machine.  demo/run runs it under vow with demo/policy.lua.
#
#   sh untrusted.sh PROBE VICTIM SHELL MARK
#
# PROBE is build/probe (one kernel operation; prints "ok" or the errno name).
# VICTIM and SHELL are processes outside the sandbox (a sleep and demo/run's
# shell); MARK names the daemon it tries to leave behind.  Each attack
# prints one line, ATTACK NAME RESULT [DETAIL], where RESULT "ok" means the
# attack worked; the script goes on whatever happens.
probe=$1 victim=$2 shell=$3 mark=$4

# An exit status as a word: ok (0, the attack worked), killed:SIGNAME, exit:N.
signame() {
	if [ "$1" = 0 ]; then echo ok
	elif [ "$1" -gt 128 ]; then echo "killed:SIG$(kill -l $(($1 - 128)))"
	else echo "exit:$1"; fi
}

# try NAME PROBE-ACTION...: report what the kernel answered the probe
try() {
	name=$1
	shift
	answer=$("$probe" "$@" 2> /dev/null)
	echo "ATTACK $name ${answer:-$(signame $?)}"
}

# 1. A fork bomb: every copy starts two more and holds on (511 copies in all,
#    a bound kept so that a broken sandbox cannot hurt the machine; each
#    copy adds a line to born.log).  It gets 3 seconds, then timeout(1)
#    kills it; vow's wall clock is the backstop.
timeout 3 sh -c '
	bomb() { echo >> born.log; [ "$1" = 0 ] && exec sleep 60; bomb $(($1 - 1)) & bomb $(($1 - 1)) & wait; }
	bomb 8 & exec sleep 60' 2> bomb.log
refused=$(grep -c 'fork' bomb.log)
[ "$refused" -gt 0 ] && result=refused:$refused || result=ok
echo "ATTACK fork-bomb $result $(wc -l < born.log) of 511 copies ran (sh: $(sed -n 's/.*: //p' bomb.log | sort -u | head -n 1))"
rm -f born.log bomb.log

# 2. A runaway loop that never ends and eats a CPU.
( while :; do :; done ) 2>/dev/null
echo "ATTACK cpu-loop $(signame $?)"

# 3. A memory bomb: map and touch 4 GiB.
try memory-bomb alloc 4294967296

# 4. Fill the disk: write 100 MiB of zeros into a file here.
( head -c 100M /dev/zero > fill.bin ) 2>/dev/null
echo "ATTACK fill-disk $(signame $?) the file stopped at $(wc -c < fill.bin) bytes"
rm -f fill.bin

# 5, 6. Kill processes outside: a sleep of the user's, the user's own shell.
try kill-victim kill "$victim" 9
try kill-shell kill "$shell" 9

# 7. Take over vow's supervisor, our parent, with ptrace.
try ptrace-parent ptrace "$PPID"

# 8. Read the secrets of a process outside through /proc.
if err=$(cat "/proc/$victim/environ" 2>&1 > stolen.env); then
	echo "ATTACK read-environ ok $(tr '\0' '\n' < stolen.env | grep -c TOKEN) token(s) found"
else
	echo "ATTACK read-environ denied $err"
fi
rm -f stolen.env

# 9. Type a command into the user's terminal (TIOCSTI on fd 0).
try tiocsti tiocsti

# 10. Become "root" in a new user namespace.
try user-namespace unshare-user

# 11. Leave a daemon behind: setsid and a double fork, so it outlives us.
setsid sh -c 'sleep "$1" & echo $! > daemon.pid' daemon "$mark" < /dev/null > /dev/null 2>&1
pid=$(cat daemon.pid)
kill -0 "$pid" 2>/dev/null && echo "ATTACK daemon running:$pid" || echo "ATTACK daemon failed"
rm -f daemon.pid

# 12. Steal the API token the user has in their environment.
if [ -n "${DEMO_API_TOKEN+set}" ]; then
	echo "ATTACK env-secret ok DEMO_API_TOKEN=$DEMO_API_TOKEN"
else
	echo "ATTACK env-secret unset"
fi

# 13. A syscall through the 32-bit entry (int 0x80), which filters written
#     for 64-bit syscalls could miss (try runs it in a subshell: $(...)).
try i386-syscall i386

# 14. Phone home: open a TCP connection to send what it found.
try phone-home sys socket AF_INET SOCK_STREAM 0

# 15. Write machine code into memory and run it (a JIT spray).
try exec-memory sys mmap 0 4096 'PROT_READ|PROT_WRITE|PROT_EXEC' 'MAP_PRIVATE|MAP_ANONYMOUS' -1 0

# 16. Make a set-user-ID file for later.
echo > suid.sh
try setuid-file sys chmod str:suid.sh 04755
rm -f suid.sh

# ---- the honest work: count the primes below 100, write the result here ----
count=0 sum=0 n=2
while [ $n -lt 100 ]; do
	d=2
	while [ $((d * d)) -le $n ] && [ $((n % d)) -ne 0 ]; do d=$((d + 1)); done
	[ $((d * d)) -gt $n ] && count=$((count + 1)) sum=$((sum + n))
	n=$((n + 1))
done
echo "primes below 100: $count, sum $sum" > result.txt
echo "HONEST $(cat result.txt)"
