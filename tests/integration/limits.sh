# limits: rlimits per process and the supervisor's own limits, each with
# its positive twin.  Root is the harder case: they must bind uid 0 too.
. "$LIB"

# memory: RLIMIT_AS
run "$V" --no-default -M 64M "$PROBE" alloc 268435456
is "$out" "ENOMEM" "-M 64M: a 256 MiB mapping is refused"
run "$V" --no-default -M 64M "$PROBE" alloc 16777216
is "$out" "ok" "-M 64M: a 16 MiB mapping works"

# open files: RLIMIT_NOFILE (0, 1, 2 are open)
run "$V" --no-default -N 20 "$PROBE" openmany 100
is "$out" "17 EMFILE" "-N 20: the 21st descriptor is refused"
run "$V" --no-default -N 200 "$PROBE" openmany 100
is "$out" "100 ok" "-N 200: 100 opens work"
run "$V" --no-default -N 16000000 sh -c 'ulimit -n'
is "$out" "$(ulimit -Hn)" "a limit above vow's hard limit is lowered to it"

# file size: RLIMIT_FSIZE, SIGXFSZ past it
run "$V" --no-default -F 1M sh -c 'head -c 2097152 /dev/zero > big'
is "$rc" 153 "-F 1M: writing 2 MiB dies of SIGXFSZ (128+25)"
is "$(wc -c < big)" 1048576 "-F 1M: the file stops at 1 MiB"
run "$V" --no-default -F 4M sh -c 'head -c 2097152 /dev/zero > big2'
is "$rc:$(wc -c < big2)" "0:2097152" "-F 4M: 2 MiB are written"

# CPU: RLIMIT_CPU, SIGXCPU
run "$V" --no-default -C 1 "$PROBE" spin
is "$rc" 152 "-C 1: a spinning payload dies of SIGXCPU (128+24)"
run "$V" --no-default -C 5 "$PROBE" alloc 4096
is "$rc:$out" "0:ok" "-C 5: a short payload runs"

# no core dumps, whatever the policy
run "$V" --no-default sh -c 'ulimit -c'
is "$out" "0" "core dumps are off"
run "$V" sh -c 'ulimit -c'
is "$out" "0" "core dumps are off under the default policy too"

# wall clock: the whole sandbox
start=$(date +%s%N)
run "$V" --no-default -T 0.5 sh -c 'sleep 10 & sleep 10'
ms=$(( ($(date +%s%N) - start) / 1000000 ))
is "$rc" 137 "-T 0.5: the payload is killed (128+9)"
is "$err" "vow: wall-clock limit of 500ms reached: killing the sandbox" "-T: vow says why"
[ "$ms" -lt 5000 ] && ok "-T 0.5: vow returned well before the payload's 10 s" || notok "-T 0.5 took $ms ms"
run "$V" --no-default -T 5 sh -c 'exit 6'
is "$rc" 6 "-T 5: a quick payload keeps its status"
run "$V" --no-default -q -T 0.2 sleep 5
is "$rc:$err" "137:" "-q: no notice from vow"

# processes and threads: vow's own cap, as root too
run "$V" --no-default -P 5 "$PROBE" threads 10
is "$out" "4 EAGAIN" "-P 5: the 5th task (4 threads + main) is the last"
run "$V" --no-default -P 50 "$PROBE" threads 10
is "$out" "10 ok" "-P 50: 10 threads start"
run "$V" --no-default -P 5 sh -c 'for i in 1 2 3 4; do sleep 1 & done; sleep 1 & wait'
is "$rc" 2 "-P 5: sh's fifth child is refused"
has "$err" "vow: process limit reached (5 processes and threads): new ones are refused" "-P: vow says so once"
has "$err" "Cannot fork" "-P: the payload sees fork fail"
run "$V" --no-default -P 5 sh -c 'for i in 1 2 3 4; do (exit 0) ; done; for i in 1 2 3 4; do sleep 0.1 & done; wait'
is "$rc" 0 "-P 5: exited children free their slots"
# the cap counts the sandbox only, not the user's other processes
for i in 1 2 3 4 5 6; do sleep 30 & done
run "$V" --no-default -P 3 sh -c 'sleep 0.1 & wait'
is "$rc" 0 "-P 3: processes outside the sandbox do not count"
kill $(jobs -p) 2>/dev/null; wait 2>/dev/null
# a fork bomb ends at the cap and leaves nothing behind
run "$V" --no-default -q -T 3 -P 30 sh -c 'b() { b | b & }; b; sleep 1; exit 9'
[ "$rc" = 9 ] || [ "$rc" = 137 ] && ok "a fork bomb under -P 30 is contained (status $rc)" || notok "fork bomb status $rc"
is "$(alive 'sh -c b() { b | b & }; b; sleep 1; exit 9')" "" "no process of the fork bomb survives"

# nice: lowest CPU and I/O priority
run "$V" --no-default -n sh -c 'cut -d" " -f19 /proc/self/stat; chrt -p $$; ionice -p $$'
is "$(echo "$out" | sed -n 1p)" 19 "-n: nice 19"
has "$out" "scheduling policy: SCHED_IDLE" "-n: SCHED_IDLE"
is "$(echo "$out" | tail -1)" idle "-n: idle I/O class"
run "$V" --no-default sh -c 'cut -d" " -f19 /proc/self/stat'
is "$out" "$(cut -d" " -f19 /proc/self/stat)" "without -n the priority is unchanged"
