# learn: `vow learn` runs a command observed and writes its policy.  The
# learned policy runs the same command to the same result (its output, the
# files it writes), and the kernel refuses what the run did not do: a
# socket (EPERM), a write beside what was written, a program not run, a
# port not connected to (EACCES).  As root and as a user.
. "$LIB"

PY=/usr/bin/python3
spid=""
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	spid=""
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM

# promises FILE: the words of its promises line
promises() { sed -n 's/^ *promises = "\([^"]*\)",.*/\1/p' "$1"; }
# refused ERROR WHAT [FILE]: the last run failed with ERROR in its error
# output, and FILE, if given, does not exist
refused() {
	if [ "$rc" = 0 ]; then notok "$2"; echo "#   status 0: it went through"
	elif [ -n "${3:-}" ] && [ -e "$3" ]; then notok "$2"; echo "#   $3 was made"
	else has "$err" "$1" "$2"; fi
}
# letters FILE PATH: the letters of the rule on exactly PATH
letters() { sed -n "s|^ *{ \"$2\", \"\([a-z]*\)\".*|\1|p" "$1"; }

run "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out" "ok" "without vow the probe makes an AF_INET socket (the twin of the refusals below)"

# ---- ls of a directory ----
mkdir -p a other
for f in one two three; do echo "$f" > "a/$f"; done
echo hidden > other/x
run ls a
bare=$out
run "$V" learn -q -o pa.lua -- ls a
is "$rc:$out" "0:$bare" "ls: the observed run lists the directory as a bare one"
run "$V" --no-default -f pa.lua -- ls a
is "$rc:$out" "0:$bare" "ls: the learned policy lists the same"
lacks "$(promises pa.lua)" "inet" "ls: the promises lack inet"
run "$V" --no-default -f pa.lua -- "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out" "EPERM" "ls policy: socket(AF_INET) is refused (EPERM)"
run "$V" --no-default -f pa.lua -- ls other
refused "Permission denied" "ls policy: a directory the run did not list is refused (EACCES)"

# ---- python3: json and re, a file read, a file written into out/ ----
if [ -x "$PY" ]; then
	pyver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	mkdir -p b/out b/data
	cd "$WORK/b" || exit 1
	echo '{"fruit": ["pear", "fig", "plum"]}' > data/in.json
	cat > conv.py <<'EOF'
import json, re
with open("data/in.json") as f:
    data = json.load(f)
words = [re.sub(r"[aeiou]", lambda m: m.group(0).upper(), w) for w in data["fruit"]]
with open("out/result.txt", "w") as f:
    f.write(",".join(words) + "\n")
print("converted", len(words))
EOF
	run "$PY" conv.py
	bare="$rc:$out:$(cat out/result.txt)"
	rm -f out/result.txt
	run "$V" learn -q -o ../pb.lua -- "$PY" conv.py
	is "$rc:$out:$(cat out/result.txt)" "$bare" "python: the observed run prints and writes as a bare one"
	rm -f out/result.txt
	run "$V" --no-default -f ../pb.lua -- "$PY" conv.py
	is "$rc:$out:$(cat out/result.txt 2>/dev/null)" "0:converted 3:pEAr,fIg,plUm" \
		"python: the learned policy prints the same and writes out/result.txt"
	has " $(promises ../pb.lua) " " rpath wpath cpath " "python: the promises are stdio rpath wpath cpath"
	lacks "$(promises ../pb.lua)" "inet" "python: the promises lack inet"
	case $(letters ../pb.lua "$WORK/b/out") in
	*c*) ok "python: out/ has a rule with c" ;;
	*) notok "python: out/ has a rule with c"; grep -n out ../pb.lua | sed 's/^/#   /' ;;
	esac
	run "$V" --no-default -f ../pb.lua -- "$PY" -c 'import socket; socket.socket()'
	has "$err" "PermissionError: [Errno 1] Operation not permitted" "python policy: socket() is refused (EPERM)"
	run "$PY" -c 'open("data/twin.txt", "w").write("x")'
	[ "$rc" = 0 ] && [ -e data/twin.txt ] && ok "without vow a file can be made in data/" ||
		notok "without vow data/twin.txt was not made ($rc)"
	run "$V" --no-default -f ../pb.lua -- "$PY" -c 'open("data/new.txt", "w").write("x")'
	refused "PermissionError: [Errno 13] Permission denied" "python policy: no file can be made in data/ (EACCES)" \
		data/new.txt
	run "$V" --no-default -f ../pb.lua -- "$PY" -c "open('$WORK/top.txt', 'w').write('x')"
	refused "PermissionError: [Errno 13] Permission denied" "python policy: no file can be made in \$WORK itself (EACCES)" \
		"$WORK/top.txt"
	run "$V" show -f ../pb.lua -- "$PY" conv.py
	is "$rc" 0 "python: vow show accepts the learned file"

	# --exact: a rule per file, no directory read whole
	rm -f out/result.txt
	run "$V" learn -q --exact -o ../pbx.lua -- "$PY" conv.py
	rm -f out/result.txt
	run "$V" --no-default -f ../pbx.lua -- "$PY" conv.py
	is "$rc:$out:$(cat out/result.txt 2>/dev/null)" "0:converted 3:pEAr,fIg,plUm" \
		"python --exact: the learned policy prints the same and writes out/result.txt"
	has "$(letters ../pb.lua "/usr/lib/python$pyver")" "r" "python: by default /usr/lib/python$pyver is read whole"
	lacks "$(letters ../pbx.lua "/usr/lib/python$pyver")" "r" "python --exact: /usr/lib/python$pyver is not read whole"
	has "$(cat ../pbx.lua)" "{ \"/usr/lib/python$pyver/json/__pycache__/decoder.cpython-" \
		"python --exact: the files read are listed one by one (json's decoder)"
	cd "$WORK" || exit 1
else
	skip "python: $PY is not installed"
fi

# ---- a shell script running cat, tr, sort and wc ----
mkdir -p c/out c/in
cd "$WORK/c" || exit 1
printf 'pear\nfig\napple\nfig\n' > in/words
cat > pipe.sh <<'EOF'
cat in/words | tr a-z A-Z | sort -u > out/sorted
wc -l < out/sorted
EOF
run sh pipe.sh
bare="$rc:$out:$(cat out/sorted)"
rm -f out/sorted
run "$V" learn -q -o ../pc.lua -- sh pipe.sh
is "$rc:$out:$(cat out/sorted)" "$bare" "sh: the observed pipeline prints and writes as a bare one"
rm -f out/sorted
run "$V" --no-default -f ../pc.lua -- sh pipe.sh
is "$rc:$out:$(cat out/sorted 2>/dev/null)" "0:3:APPLE
FIG
PEAR" "sh: the learned policy prints the same and writes out/sorted"
lacks "$(promises ../pc.lua)" "inet" "sh: the promises lack inet"
run "$V" --no-default -f ../pc.lua -- "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out" "EPERM" "sh policy: socket(AF_INET) is refused (EPERM)"
run "$V" --no-default -f ../pc.lua -- sh -c 'echo x > new.txt'
refused "Permission denied" "sh policy: no file can be made beside out/ (EACCES)" new.txt
run "$V" --no-default -f ../pc.lua -- sh -c 'head -n 1 in/words'
is "$rc" 126 "sh policy: a program the script did not run cannot be executed (126)"
has "$err" "Permission denied" "sh policy: execve answered EACCES"
cd "$WORK" || exit 1

# ---- make building a small C project ----
if [ -x /usr/bin/make ] && command -v cc >/dev/null; then
	# the shape of bench/workloads/cproj, which is not staged with the tests
	mkdir -p d/cproj
	cd "$WORK/d" || exit 1
	cat > cproj/Makefile <<'EOF'
CC ?= cc
CFLAGS ?= -O2 -Wall
OBJ = main.o stats.o
wordstat: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) -lm
%.o: %.c wordstat.h
	$(CC) $(CFLAGS) -c -o $@ $<
EOF
	printf 'double stats_rms(const double *v, int n);\n' > cproj/wordstat.h
	printf '#include <math.h>\n#include "wordstat.h"\ndouble stats_rms(const double *v, int n) { double s = 0; for (int i = 0; i < n; i++) s += v[i] * v[i]; return sqrt(s / n); }\n' > cproj/stats.c
	printf '#include <stdio.h>\n#include "wordstat.h"\nint main(void) { double v[] = {3, 4, 5}; printf("rms %%.3f\\n", stats_rms(v, 3)); return 0; }\n' > cproj/main.c
	run make -s -B -C cproj
	bare="$rc:$out:$(./cproj/wordstat)"
	rm -f cproj/*.o cproj/wordstat
	run "$V" learn -q -o ../pd.lua -- make -s -B -C cproj
	is "$rc:$out:$(./cproj/wordstat 2>&1)" "$bare" "make: the observed build works as a bare one"
	rm -f cproj/*.o cproj/wordstat
	run "$V" --no-default -f ../pd.lua -- make -s -B -C cproj
	is "$rc:$out" "0:" "make: the learned policy builds the project"
	[ -x cproj/wordstat ] && is "$(./cproj/wordstat)" "rms 4.082" "make: the program built under it runs" ||
		notok "make: cproj/wordstat was not built"
	cd "$WORK" || exit 1
else
	skip "make: make or cc is not installed"
fi

# ---- a TCP client and a loopback server outside the sandbox ----
if [ -x "$PY" ]; then
	mkdir -p e
	cd "$WORK/e" || exit 1
	cat > server.py <<'EOF'
import os, select, socket, sys
socks = []
for _ in range(2):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    socks.append(s)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(" ".join(str(s.getsockname()[1]) for s in socks) + "\n")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    ready, _, _ = select.select(socks, [], [], 120)
    if not ready:
        sys.exit("idle for 120 s")  # left behind by a killed test
    for s in ready:
        c, _ = s.accept()
        line = c.makefile().readline().strip()
        c.sendall(("%s on %d\n" % (line, s.getsockname()[1])).encode())
        c.close()
EOF
	cat > client.py <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.sendall(b"hello\n")
print(s.makefile().readline().strip())
EOF
	"$PY" server.py ports </dev/null >server.log 2>&1 &
	spid=$!
	if wait_for test -s ports; then read -r p1 p2 < ports; else
		notok "tcp: the loopback server did not start: $(cat server.log)"
		p1=1 p2=2 # the checks below fail, one by one
	fi
	run "$PY" client.py "$p2"
	is "$rc:$out" "0:hello on $p2" "without vow the client reaches the server's second port"
	run "$V" learn -q -o ../pe.lua -- "$PY" client.py "$p1"
	is "$rc:$out" "0:hello on $p1" "tcp: the observed client talks to the server"
	has "$(cat ../pe.lua)" "  connect = { $p1 }," "tcp: the policy connects to that port only"
	run "$V" --no-default -f ../pe.lua -- "$PY" client.py "$p1"
	is "$rc:$out" "0:hello on $p1" "tcp: the learned policy talks to the server"
	run "$V" --no-default -f ../pe.lua -- "$PY" client.py "$p2"
	refused "PermissionError: [Errno 13] Permission denied" \
		"tcp policy: the client cannot reach the second port (Landlock: EACCES)"
	run "$V" --no-default -f ../pe.lua -- "$PROBE" sys connect tcp "in:127.0.0.1:$p2" 16
	is "$out" "EACCES" "tcp policy: the probe's connect to the second port answered EACCES"
	run "$V" show -f ../pe.lua -- "$PY" client.py "$p1"
	is "$rc" 0 "tcp: vow show accepts the learned file"
	cleanup
	cd "$WORK" || exit 1
else
	skip "tcp: $PY is not installed"
fi

# ---- the baseline, refused while learning and named in the header ----
run "$V" learn -q -o pt.lua -- "$PROBE" ptrace 1
is "$rc:$out" "0:EPERM" "ptrace: the observed probe saw EPERM"
has "$(sed '/^local P/q' pt.lua)" "--   ptrace(PTRACE_ATTACH, 1)" "ptrace: the header comment names the refused call"

# ---- exit status, standard output, errors ----
run "$V" learn -q -o p3.lua -- sh -c 'echo first; exit 3'
is "$rc:$out" "3:first" "learn exits with the command's status (3)"
has "$(cat p3.lua 2>/dev/null)" "return P.new{" "and still writes the policy"
run "$V" learn -q -- sh -c 'echo first; exit 3'
is "$rc:$(echo "$out" | sed -n 1p):$(echo "$out" | sed -n 2p | cut -c1-23)" "3:first:-- Learned by vow learn" \
	"without -o the policy follows the command's output on standard output"
run "$V" learn -o never.lua -p inet -- touch ran
has "$rc:$err" "125:vow: learn: -p is not an option of learn" "an option learn does not take (-p) exits 125 and says so"
[ ! -e ran ] && [ ! -e never.lua ] && ok "-p: nothing ran, nothing was written" || notok "-p: the command ran or a policy was written"
run "$V" learn
is "$rc:$err" "125:vow: learn: no command to learn from (usage: vow learn [-o FILE] [--exact] [-T SECS] [-q] [--] COMMAND [ARG...])" \
	"learn with no command exits 125"
run "$V" learn -q -o no-such-dir/p.lua -- true
case "$rc:$err" in
"125:"*no-such-dir/p.lua*) ok "-o into a missing directory exits 125 naming the path" ;;
*) notok "-o into a missing directory exits 125 naming the path"; echo "#   got: $rc: $err" ;;
esac
exit 0
