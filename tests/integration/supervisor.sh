# supervisor: signals forwarded, nothing outlives the sandbox, and the
# payload cannot reach the supervisor or anything else outside.
. "$LIB"

# every forwarded signal reaches the payload, which decides what to do.
# (sh starts `cmd &` with INT and QUIT ignored, and a shell cannot trap what
# it was started ignoring: env gives them their default back)
for sig in INT TERM HUP QUIT USR1 USR2; do
	rm -f sig.out # (a stale "ready" would send the signal before vow is up)
	env --default-signal=INT,QUIT "$V" --no-default -T 20 sh -c "trap 'echo got $sig; exit 7' $sig; echo ready; while :; do sleep 0.05; done" > sig.out 2>&1 &
	vp=$!
	wait_for grep -q ready sig.out
	kill -$sig $vp
	wait $vp; rc=$?
	is "$rc:$(tail -1 sig.out)" "7:got $sig" "SIG$sig is forwarded to the payload"
done
# ignored when vow started: still ignored by the payload (as without vow)
rm -f sig.out
"$V" --no-default -T 20 sh -c 'echo ready; sleep 0.5; echo alive' > sig.out 2>&1 &
vp=$!
wait_for grep -q ready sig.out
kill -INT $vp; wait $vp; rc=$?
is "$rc:$(tail -1 sig.out)" "0:alive" "a signal ignored by vow's caller stays ignored by the payload"
# an untrapped SIGTERM ends the payload: 128+15
rm -f sig.out
"$V" --no-default sh -c 'echo ready; exec sleep 20' > sig.out 2>&1 &
vp=$!
wait_for grep -q ready sig.out
sleep 0.1
kill -TERM $vp; wait $vp
is "$?" 143 "SIGTERM to vow ends an untrapping payload with 143"

# nothing escapes by double-forking or setsid once the payload ends
run "$V" --no-default sh -c 'setsid sh -c "sleep 4711 &"; (sleep 4712 &); exit 0'
is "$rc" 0 "the payload exits"
is "$(alive 'sleep 4711')$(alive 'sleep 4712')" "" "double-forked and setsid children are killed with the payload"

# the wall clock kills everything, not just the payload
run "$V" --no-default -q -T 0.3 sh -c 'setsid sh -c "sleep 4713 &"; sleep 10'
is "$rc" 137 "-T kills the payload"
is "$(alive 'sleep 4713')" "" "-T kills what it started too"

# vow itself killed, even by SIGKILL: nothing of the sandbox survives
rm -f k.out
"$V" --no-default sh -c 'setsid sh -c "sleep 4714 &"; echo ready; sleep 4715' > k.out 2>&1 &
vp=$!
wait_for grep -q ready k.out
wait_for test -n "$(alive 'sleep 4714')"
kill -KILL $vp; wait $vp 2>/dev/null
wait_for test -z "$(alive 'sleep 4714')$(alive 'sleep 4715')"
is "$(alive 'sleep 4714')$(alive 'sleep 4715')" "" "vow killed by SIGKILL: the sandbox dies with it"

# the supervisor killed: the anchor reaps and kills what is left
rm -f k.out
"$V" --no-default sh -c 'echo ready; sleep 4716' > k.out 2>&1 &
vp=$!
wait_for grep -q ready k.out
sup=$(pgrep -P $vp)
kill -KILL "$sup"; wait $vp; rc=$?
wait_for test -z "$(alive 'sleep 4716')"
is "$(alive 'sleep 4716')" "" "supervisor killed: the sandbox dies with it"
is "$rc" 137 "supervisor killed: vow reports 128+9"

# the payload cannot reach the supervisor: not ptrace-able, not dumpable,
# not signalled (Landlock scoping), and the same for the anchor
run "$V" --no-default sh -c '"$0" ptrace $PPID; "$0" kill $PPID; "$0" kill $PPID 15; cat /proc/$PPID/environ >/dev/null 2>&1 && echo readable || echo unreadable' "$PROBE"
is "$out" "EPERM
EPERM
EPERM
unreadable" "the supervisor cannot be traced, signalled or read"
run "$V" --no-default sh -c 'anchor=$(cut -d" " -f4 /proc/$PPID/stat); "$0" ptrace $anchor; "$0" kill $anchor 15' "$PROBE"
is "$out" "EPERM
EPERM" "the anchor cannot be traced or signalled"
# nor other processes of the user
sleep 4717 & victim=$!
run "$V" --no-default "$PROBE" kill $victim 15
is "$out" "EPERM" "a process outside the sandbox cannot be signalled"
run "$V" --no-default "$PROBE" ptrace $victim
is "$out" "EPERM" "a process outside the sandbox cannot be traced"
kill -0 $victim && ok "and it is still alive" || notok "the victim died"
kill $victim; wait $victim 2>/dev/null
# positive twin: inside the sandbox signals work
run "$V" --no-default sh -c 'sleep 5 & "$0" kill $! 15' "$PROBE"
is "$out" "ok" "a process inside the sandbox can be signalled"

# abstract unix sockets made outside are out of reach
name="vow-test-$$-$(id -u)"
"$PROBE" abstract-listen "$name" > listen.out &
lp=$!
wait_for grep -q listening listen.out
run "$PROBE" abstract-connect "$name"
is "$out" "ok" "outside, the abstract socket accepts"
run "$V" --no-default "$PROBE" abstract-connect "$name"
is "$out" "EPERM" "inside, an abstract socket made outside is refused"
kill $lp; wait $lp 2>/dev/null
run "$V" --no-default sh -c '"$0" abstract-listen inner > l.out & while ! grep -q listening l.out 2>/dev/null; do sleep 0.05; done; "$0" abstract-connect inner' "$PROBE"
is "$out" "ok" "an abstract socket made inside the sandbox works"

# started by a process that ignores SIGCHLD (inherited across exec): vow
# must still see its children end, and the command gets the ignoring back
if command -v python3 >/dev/null; then
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$V" --no-default grep SigIgn /proc/self/status >chld.out 2>&1 &
	cp=$!
	i=0
	while kill -0 $cp 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 $cp 2>/dev/null
	wait $cp
	rc=$?
	mask=$(sed -n 's/^SigIgn:[[:space:]]*/0x/p' chld.out)
	is "$rc:$(( ${mask:-0} >> 16 & 1 ))" "0:1" \
		"with SIGCHLD ignored by its parent, vow ends with the command, which has SIGCHLD ignored again"
else
	skip "python3 is not installed"
fi
