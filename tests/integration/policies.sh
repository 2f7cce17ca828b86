# policies: each built-in policy (policies/*.lua) runs its real program
# doing its real job, and something outside the policy is refused by the
# kernel (an errno the program prints, a denial vow reports, a file that
# did not change), with the refused thing's positive twin shown without
# vow.  As root and as a user.
. "$LIB"

PY=/usr/bin/python3 NODE=/usr/bin/node LUA=/usr/bin/lua5.4
export HOME="$WORK/home"
mkdir -p "$HOME"
echo "home secret" > "$HOME/secret"

# a project: the nearest directory with .git at or above the working one
project() { # project DIR: a fresh project, the working directory
	mkdir -p "$1"
	cd "$1" || exit 1
	if [ -x /usr/bin/git ]; then /usr/bin/git init -q . 2>/dev/null || mkdir -p .git/hooks
	else mkdir -p .git/hooks; fi
	mkdir -p .git/hooks
}

run cat "$HOME/secret"
is "$rc:$out" "0:home secret" "without vow the home secret is readable (the twin of the refusals below)"

# ---- unknown names ----
run "$V" -f pyhton true
is "$rc" 125 "-f with an unknown built-in name fails with 125"
has "$err" "python" "the error suggests the policy meant (python)"
has "$err" "pyhton" "the error names what was asked"
run "$V" -f bulid true
has "$rc:$err" "125:" "-f bulid fails with 125"
has "$err" "build" "the error suggests build"

# ---- default ----
project "$WORK/default"
echo "project notes" > notes.txt
echo "TOKEN=default" > .env
run "$V" /bin/cat notes.txt
is "$rc:$out" "0:project notes" "default: cat reads a project file"
run "$V" /bin/cat "$HOME/secret"
is "$rc" 1 "default: cat of a file in the home (outside the project) fails"
has "$err" "Permission denied" "default: the home file is refused with EACCES"
lacks "$out" "home secret" "default: nothing of the home file came out"
run cat .env
is "$out" "TOKEN=default" "without vow .env is readable"
run "$V" /bin/cat .env
has "$rc:$err" "1:" "default: .env in the project is refused"
has "$err" "Permission denied" "default: .env refused with EACCES"
run "$V" /bin/sh -c 'echo changed > notes.txt'
is "$rc:$(cat notes.txt)" "2:project notes" "default: writing a project file is refused, the file is unchanged"
run "$V" /bin/sh -c 'exec /bin/ls /'
is "$rc:$out" "126:" "default: sh cannot run another program (126)"
has "$err" "exec: /bin/ls: Operation not permitted" "default: execve answered EPERM"
has "$err" 'needs promise "exec"' "default: vow names the promise exec"
run "$V" /bin/sh -c '/bin/ls /; echo "not reached"'
lacks "$out" "not reached" "default: sh cannot start a process"
has "$err" 'needs promise "proc"' "default: vow names the promise proc"

# ---- readonly ----
project "$WORK/ro"
mkdir sub
echo "one" > sub/b.txt
echo "two" > sub/a.txt
run "$V" -f readonly /bin/ls sub
is "$rc:$out" "0:a.txt
b.txt" "readonly: ls lists a project directory"
run "$V" -f readonly /bin/cat sub/a.txt sub/b.txt
is "$rc:$out" "0:two
one" "readonly: cat reads project files"
run /usr/bin/touch "$TMPDIR/bare-ro"
is "$rc" 0 "without vow a file can be made in \$TMPDIR"
rm -f "$TMPDIR/bare-ro"
run "$V" -f readonly /usr/bin/touch "$TMPDIR/ro-made"
[ "$rc" != 0 ] && [ ! -e "$TMPDIR/ro-made" ] && ok "readonly: no file can be made in \$TMPDIR (no tmppath)" ||
	notok "readonly: touch in \$TMPDIR went through ($rc)"
has "$err" "Operation not permitted" "readonly: refused by the kernel (EPERM)"
has "$err" 'needs promises "wpath cpath"' "readonly: vow names the promises it lacks"
run "$V" -f readonly /bin/sh -c 'echo x > sub/a.txt'
is "$rc:$(cat sub/a.txt)" "2:two" "readonly: a project file cannot be overwritten, it is unchanged"
run "$V" -f readonly /bin/cat "$HOME/secret"
has "$rc:$err" "1:" "readonly: the home file is refused"
has "$err" "Permission denied" "readonly: with EACCES"

# ---- python ----
if [ -x "$PY" ]; then
	project "$WORK/py"
	mkdir -p pkg
	cat > pkg/__init__.py <<'EOF'
from .words import shout
EOF
	cat > pkg/words.py <<'EOF'
import re
def shout(s):
    return re.sub(r"[aeiou]", lambda m: m.group(0).upper(), s)
EOF
	echo '{"fruit": ["pear", "fig", "pear", "plum", "pear"]}' > data.json
	cat > main.py <<'EOF'
import collections, json, os, sys
from pkg import shout
with open("data.json") as f:
    data = json.load(f)
counts = collections.Counter(data["fruit"])
out = os.path.join(os.environ["TMPDIR"], "report.txt")
with open(out, "w") as f:
    for name, n in counts.most_common():
        f.write("%s %d\n" % (shout(name), n))
with open(out) as f:
    sys.stdout.write(f.read())
print("tmp:", os.path.dirname(out) != os.environ.get("ORIG_TMP"))
EOF
	run env ORIG_TMP="$TMPDIR" "$V" -f python "$PY" main.py
	is "$rc:$out" "0:pEAr 3
fIg 1
plUm 1
tmp: True" "python: a script with a local package and json, re, collections writes and reads its \$TMPDIR"
	run "$V" -f python "$PY" -c 'import sys; print(open(sys.argv[1]).read())' "$HOME/secret"
	is "$rc" 1 "python: reading the home file fails"
	has "$err" "PermissionError: [Errno 13] Permission denied" "python: the home file is refused with EACCES"
	run "$V" -f python "$PY" -c 'open("written.txt", "w").write("x")'
	[ "$rc" = 1 ] && [ ! -e written.txt ] && ok "python: no file can be made in the project" ||
		notok "python: written.txt made or wrong status ($rc)"
	has "$err" "Permission denied" "python: writing into the project is refused with EACCES"
	run "$V" -f python "$PY" -c 'open("data.json", "a").write("x")'
	is "$rc:$(cat data.json)" '1:{"fruit": ["pear", "fig", "pear", "plum", "pear"]}' \
		"python: appending to a project file is refused, the file is unchanged"
	run "$V" -f python "$PY" -c 'import socket; socket.socket()'
	is "$rc" 1 "python: socket() fails"
	has "$err" 'vow: denied socket(AF_INET' "python: vow reports the socket"
	has "$err" 'needs promise "inet"' "python: naming the promise inet"
	has "$err" "PermissionError: [Errno 1] Operation not permitted" "python: the kernel answered EPERM"
	run "$V" -f python "$PY" -c 'import subprocess; subprocess.run(["/bin/true"])'
	[ "$rc" != 0 ] && ok "python: a subprocess cannot be started" || notok "python: subprocess ran"
	has "$err" 'needs promise "proc"' "python: vow names the promise proc"
else
	skip "python: $PY is not installed"
fi

# ---- build ----
if [ -x /usr/bin/make ] && [ -x /usr/bin/cc ]; then
	project "$WORK/cproj"
	mkdir -p src build
	cat > Makefile <<'EOF'
CC = /usr/bin/cc
build/hello: build/main.o build/greet.o
	$(CC) -o $@ build/main.o build/greet.o
build/%.o: src/%.c src/greet.h
	$(CC) -c -O2 -Wall -o $@ $<
hook:
	echo '#!/bin/sh' > .git/hooks/pre-commit
policy:
	echo 'vow.promise("inet")' >> .vow.lua
secret:
	cat .env
top:
	echo x > at-top.txt
check: build/hello
	./build/hello
EOF
	printf '#include "greet.h"\nint main(void) { greet("make"); return 0; }\n' > src/main.c
	printf 'void greet(const char *who);\n' > src/greet.h
	printf '#include <stdio.h>\n#include "greet.h"\nvoid greet(const char *who) { printf("built by %%s\\n", who); }\n' > src/greet.c
	echo 'return {}' > .vow.lua
	echo 'API_KEY=build-secret' > .env
	run "$V" -f build /usr/bin/make -s
	is "$rc" 0 "build: make builds the C project"
	run build/hello
	is "$rc:$out" "0:built by make" "build: the program it built runs and prints"
	run "$V" -f build /usr/bin/make -s check
	is "$rc:$out" "0:built by make" "build: make check runs what the build made (x on the project)"
	run "$V" -f sh /bin/sh -c ./build/hello
	has "$rc:$err" "126:" "sh: what the build made is not executable under sh (no x on the project)"
	ls build > "$WORK/built.txt"
	is "$(cat "$WORK/built.txt")" "greet.o
hello
main.o" "build: the objects and the program are in build/"
	touch src/greet.c
	run "$V" -f build /usr/bin/make
	has "$rc:$out" "0:/usr/bin/cc -c -O2 -Wall -o build/greet.o src/greet.c" "build: a changed source is rebuilt"
	lacks "$out" "build/main.o src/main.c" "build: the unchanged one is not"

	run "$V" -f build /usr/bin/make -s hook
	[ "$rc" != 0 ] && [ ! -e .git/hooks/pre-commit ] && ok "build: make cannot plant .git/hooks/pre-commit" ||
		notok "build: the hook was written ($rc)"
	has "$err" "Permission denied" "build: the hook is refused with EACCES"
	run "$V" -f build /bin/sh -c 'echo x >> .git/config'
	[ "$rc" != 0 ] && ! grep -q '^x$' .git/config && ok "build: .git/config is not changed" ||
		notok "build: .git/config changed ($rc)"
	run "$V" -f build /usr/bin/make -s policy
	is "$rc:$(cat .vow.lua)" "2:return {}" "build: .vow.lua cannot be changed (make fails, the file is unchanged)"
	has "$err" "Permission denied" "build: .vow.lua refused with EACCES"
	run /bin/cat .env
	is "$out" "API_KEY=build-secret" "without vow .env is readable"
	run "$V" -f build /usr/bin/make -s secret
	[ "$rc" != 0 ] && ok "build: make cannot read .env" || notok "build: .env was read"
	lacks "$out" "build-secret" "build: nothing of .env came out"
	has "$err" ".env: Permission denied" "build: .env refused with EACCES"
	run "$V" -f build /usr/bin/make -s top
	[ "$rc" != 0 ] && [ ! -e at-top.txt ] && ok "build: nothing is created in the project's top directory (list-only)" ||
		notok "build: at-top.txt was made ($rc)"
	run "$V" -f build /bin/cat "$HOME/secret"
	has "$rc:$err" "1:" "build: the home file is refused"
	has "$err" "Permission denied" "build: with EACCES"
	run "$V" -f build "$PROBE" sys socket AF_INET SOCK_STREAM 0
	is "$out" "EPERM" "build: no network (socket answered EPERM)"
	has "$err" 'needs promise "inet"' "build: vow names inet"
else
	skip "build: make or cc is not installed"
fi

# ---- sh ----
project "$WORK/shproj"
mkdir d
for f in cherry apple banana date elderberry; do echo "$f" > "d/$f"; done
run "$V" -f sh /bin/sh -c 'ls d | sort -r | head -n 3 | tr a-z A-Z'
is "$rc:$out" "0:ELDERBERRY
DATE
CHERRY" "sh: a pipeline ls | sort | head | tr"
# a pipeline's processes end while the shell starts the next ones: the
# shell's fork must not fail for it (20 runs, all alike)
good=0 i=0 why=""
while [ $i -lt 20 ]; do
	i=$((i + 1))
	run "$V" -f sh /bin/sh -c 'ls d | sort -r | head -n 3 | tr a-z A-Z'
	if [ "$rc:$out" = "0:ELDERBERRY
DATE
CHERRY" ]; then good=$((good + 1)); else why="$rc: $err"; fi
done
is "$good" 20 "sh: the pipeline works 20 times out of 20"
[ -n "$why" ] && echo "#   a failed run: $why"
run "$V" -f sh /bin/sh -c 'cat d/* | grep an | sed s/an/AN/g > "$TMPDIR/o" && wc -l < "$TMPDIR/o" && cat "$TMPDIR/o"'
is "$rc:$out" "0:1
bANANa" "sh: a pipeline redirects into its \$TMPDIR and reads it back"
run /bin/sh -c "echo bare > '$WORK/sh-outside'"
is "$rc:$(cat "$WORK/sh-outside")" "0:bare" "without vow a file beside the project can be written"
run "$V" -f sh /bin/sh -c "echo changed > '$WORK/sh-outside'"
is "$rc:$(cat "$WORK/sh-outside")" "2:bare" "sh: writing outside \$TMPDIR is refused, the file is unchanged"
has "$err" "Permission denied" "sh: with EACCES"
run "$V" -f sh /bin/sh -c 'echo x > d/apple'
is "$rc:$(cat d/apple)" "2:apple" "sh: a project file cannot be overwritten"
run "$V" -f sh "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$out" "EPERM" "sh: no network: socket answered EPERM"
has "$err" 'needs promise "inet"' "sh: vow names inet"
if [ -x "$PY" ]; then
	run "$V" -f sh /bin/sh -c "$PY -c 'import socket; socket.create_connection((\"127.0.0.1\", 9))' 2>&1 | tail -n 1"
	is "$out" "PermissionError: [Errno 1] Operation not permitted" "sh: a program in the pipeline is refused the network"
fi

# ---- node ----
if [ -x "$NODE" ]; then
	project "$WORK/nodeproj"
	mkdir lib
	cat > lib/greet.js <<'EOF'
module.exports = (name) => "hello " + name + " from " + require("path").basename(__dirname);
EOF
	cat > main.js <<'EOF'
const greet = require("./lib/greet");
const fs = require("fs"), path = require("path");
const f = path.join(process.env.TMPDIR, "n.txt");
fs.writeFileSync(f, [3, 1, 2].sort().join("-"));
console.log(greet("vow"), fs.readFileSync(f, "utf8"));
EOF
	run "$V" -f node "$NODE" main.js
	is "$rc:$out" "0:hello vow from lib 1-2-3" "node: a script requiring a local module, writing its \$TMPDIR"
	run "$V" -f node "$NODE" -e 'require("fs").writeFileSync("out.txt", "x")'
	[ "$rc" != 0 ] && [ ! -e out.txt ] && ok "node: no file can be written in the project" || notok "node: out.txt ($rc)"
	has "$err" "EACCES: permission denied" "node: writing in the project is refused with EACCES"
	run "$V" -f node "$NODE" -e 'console.log(require("fs").readFileSync(process.argv[1], "utf8"))' "$HOME/secret"
	[ "$rc" != 0 ] && ok "node: the home file cannot be read" || notok "node: the home file was read"
	lacks "$out" "home secret" "node: nothing of it came out"
	has "$err" "EACCES: permission denied" "node: the home file is refused with EACCES"
	run "$V" -f node "$NODE" -e 'require("child_process").execFileSync("/bin/true")'
	[ "$rc" != 0 ] && ok "node: no subprocess" || notok "node: a subprocess ran"
	has "$err" 'needs promise "proc"' "node: vow names proc"
else
	skip "node: $NODE is not installed"
fi

# ---- lua ----
if [ -x "$LUA" ]; then
	project "$WORK/luaproj"
	mkdir lualib
	cat > lualib/shapes.lua <<'EOF'
local M = {}
function M.area(w, h) return w * h end
return M
EOF
	cat > main.lua <<'EOF'
package.path = "./lualib/?.lua;" .. package.path
local shapes = require "shapes"
local t = {}
for w = 1, 3 do t[#t + 1] = string.format("%d", shapes.area(w, 2)) end
local name = os.getenv("TMPDIR") .. "/l.txt"
local f = assert(io.open(name, "w")); f:write(table.concat(t, ",")); f:close()
print("areas " .. io.open(name):read("a"))
EOF
	run "$V" -f lua "$LUA" main.lua
	is "$rc:$out" "0:areas 2,4,6" "lua: a script requiring a local module, writing its \$TMPDIR"
	run "$V" -f lua "$LUA" -e 'print(io.open("lw.txt", "w"))'
	is "$out" "nil	lw.txt: Permission denied	13" "lua: io.open for writing in the project is refused (EACCES)"
	[ -e lw.txt ] && notok "lua: lw.txt exists" || ok "lua: no file was made"
	run "$V" -f lua "$LUA" -e 'print(io.open("main.lua", "a"))'
	has "$out" "main.lua: Permission denied" "lua: appending to the script is refused"
	run "$V" -f lua "$LUA" -e 'print(os.execute("/bin/true"))'
	is "$out" "nil	Operation not permitted	1" "lua: os.execute is refused (EPERM)"
	has "$err" 'needs promise "proc"' "lua: vow names proc"
	run "$V" -f lua "$LUA" -e 'print(io.open(os.getenv("HOME") .. "/secret"))'
	has "$out" "secret: Permission denied" "lua: the home file is refused"
else
	skip "lua: $LUA is not installed"
fi

# ---- game ----
if [ -x "$LUA" ]; then
	mkdir -p "$WORK/game/mods/hello"
	cd "$WORK/game" || exit 1
	echo "level=3" > mods/hello/data.txt
	echo "other mod's data" > other.txt
	cat > mods/hello/mod.lua <<'EOF'
local dir = arg[0]:match("^(.*)/[^/]*$") or "."
local data = assert(io.open(dir .. "/data.txt")):read("l")
local what = arg[1]
if what == "outside" then print(io.open(dir .. "/../../other.txt")) return end
if what == "home" then print(io.open(arg[2] .. "/secret")) return end
if what == "write" then print(io.open(dir .. "/data.txt", "w")) return end
if what == "create" then print(io.open(dir .. "/save.txt", "w")) return end
if what == "tmp" then print(io.open(arg[2] .. "/save.txt", "w")) return end
if what == "exec" then print(os.execute("/bin/true")) return end
local line = io.read("l")
io.write("mod got ", tostring(line), " with ", data, "\n")
EOF
	out=$(echo ping | "$V" -f game "$LUA" mods/hello/mod.lua 2>"$WORK/.stderr"); rc=$?
	is "$rc:$out" "0:mod got ping with level=3" "game: the mod talks over stdin/stdout and reads its data file"
	run cat other.txt
	is "$out" "other mod's data" "without vow the file beside the mod's tree is readable"
	run "$V" -f game "$LUA" mods/hello/mod.lua outside
	is "$out" "nil	mods/hello/../../other.txt: Permission denied	13" "game: a file outside the mod's directory is refused (EACCES)"
	run "$V" -f game "$LUA" mods/hello/mod.lua home "$HOME"
	has "$out" "secret: Permission denied" "game: the home file is refused"
	run "$V" -f game "$LUA" mods/hello/mod.lua write
	has "$out" "Operation not permitted" "game: overwriting its own data file is refused"
	is "$(cat mods/hello/data.txt)" "level=3" "game: the data file is unchanged"
	run "$V" -f game "$LUA" mods/hello/mod.lua create
	[ -e mods/hello/save.txt ] && notok "game: save.txt was made" || ok "game: nothing is created in its directory"
	has "$out" "Operation not permitted" "game: creating is refused (EPERM)"
	run "$V" -f game "$LUA" mods/hello/mod.lua tmp "$TMPDIR"
	has "$out" "Operation not permitted" "game: no \$TMPDIR either"
	[ -e "$TMPDIR/save.txt" ] && notok "game: a file was made in \$TMPDIR" || ok "game: nothing made in \$TMPDIR"
	run "$V" -f game "$LUA" mods/hello/mod.lua exec
	is "$out" "nil	Operation not permitted	1" "game: os.execute is refused (EPERM)"
	has "$err" 'needs promise "proc"' "game: vow names proc"
else
	skip "game: $LUA is not installed"
fi

# ---- net-client ----
if [ -x "$PY" ]; then
	project "$WORK/netproj"
	mkdir -p "$WORK/srv"
	echo "hello over tcp" > "$WORK/srv/hello.txt"
	freeport() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
	port=$(freeport)
	"$PY" -m http.server --bind 127.0.0.1 --directory "$WORK/srv" "$port" >"$WORK/srv.log" 2>&1 &
	spid=$!
	trap 'kill $spid 2>/dev/null' EXIT
	up() { "$PY" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$port"; }
	wait_for up || notok "net-client: the loopback server did not start"
	cat > fetch.py <<'EOF'
import sys, urllib.request
url = "http://127.0.0.1:%s/hello.txt" % sys.argv[1]
print(urllib.request.urlopen(url, timeout=10).read().decode().strip())
EOF
	run "$PY" fetch.py "$port"
	is "$rc:$out" "0:hello over tcp" "without vow the fetch works"
	run "$V" -f net-client "$PY" fetch.py "$port"
	is "$rc:$out" "0:hello over tcp" "net-client: python3 urllib fetches from the loopback server"
	run "$V" "$PY" fetch.py "$port"
	[ "$rc" != 0 ] && ok "default: the same fetch fails" || notok "default: the fetch went through"
	lacks "$out" "hello over tcp" "default: nothing was fetched"
	has "$err" 'vow: denied socket(AF_INET' "default: the socket is reported"
	has "$err" 'needs promise "inet"' "default: naming inet"
	has "$err" "Operation not permitted" "default: the kernel answered EPERM"
	p2=$(freeport)
	run "$PROBE" sys bind tcp "in:127.0.0.1:$p2" 16
	is "$out" "ok" "without vow a TCP port can be bound"
	run "$V" -f net-client "$PROBE" sys bind tcp "in:127.0.0.1:$p2" 16
	is "$out" "EACCES" "net-client: bind on a TCP port is refused (EACCES)"
	run "$V" -f net-client "$PY" -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()' "$p2"
	is "$rc" 1 "net-client: a python server cannot bind its port"
	has "$err" "PermissionError: [Errno 13] Permission denied" "net-client: with EACCES"
	# listen() on a socket never bound takes an ephemeral port by itself,
	# which Landlock does not see: with no bind rule vow refuses listen
	run "$PROBE" sys listen tcp 5
	is "$out" "ok" "without vow listen on an unbound TCP socket works"
	run "$V" -f net-client "$PROBE" sys listen tcp 5
	is "$out" "EPERM" "net-client: listen on an unbound TCP socket is refused (EPERM)"
	has "$err" "denied listen(" "net-client: and vow reports it"
	run "$V" -f net-client --bind "$p2" "$PROBE" sys listen tcp 5
	is "$out" "ok" "net-client with --bind PORT: listen is allowed again"
	run "$V" -f net-client /bin/cat "$HOME/secret"
	has "$rc:$err" "1:" "net-client: the home file is still refused"
	has "$err" "Permission denied" "net-client: with EACCES"
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	trap - EXIT
	has "$(cat "$WORK/srv.log")" '"GET /hello.txt HTTP/1.1" 200' "net-client: the server saw the request"
else
	skip "net-client: $PY is not installed"
fi
exit 0
