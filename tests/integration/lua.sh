# lua: vow lua, the sealed host for untrusted Lua scripts.  The script's
# arguments and loading, its environment (what is there and what is not),
# the kernel behind it (Landlock and the promises have the last word), the
# limits inside the Lua state (each ends the script with a message and a
# status, never a hang), and its errors.  Each case is a script in a
# directory of its own under $WORK, run as NAME/s.lua from $WORK; each run
# is under an outer `timeout -s KILL 60`, so a hang fails the check (status
# 137) instead of the suite.  Positive twins show that what a limit or a
# rule stops works without it.
. "$LIB"

# mk NAME LINE...: the script $WORK/NAME/s.lua, one line per argument
mk() {
	mkdir -p "$WORK/$1"
	_n=$1
	shift
	printf '%s\n' "$@" > "$WORK/$_n/s.lua"
}
# vl ARG...: vow lua ARG... (stdin from /dev/null): $out, $err, $rc
vl() {
	run timeout -s KILL 60 "$V" lua "$@"
}
# ends STATUS TEXT WHAT: the last run ended with STATUS, TEXT in its stderr
ends() {
	case "$rc:$err" in
	"$1:"*"$2"*) ok "$3" ;;
	*) notok "$3"; printf '#   got:      status %s, stderr: %s\n#   expected: status %s, stderr with: %s\n' "$rc" "$err" "$1" "$2" ;;
	esac
}
# key KEY: the rest of the line of $out that starts with "KEY "
key() {
	printf '%s\n' "$out" | sed -n "s/^$1 //p"
}
T=$(printf '\t')
NL='
'

# ---- arg, and loading as text only ----

mk args 'print(#arg, arg[0], arg[1], arg[2], arg[3], select("#", ...), ...)'
vl args/s.lua "a b" "" c
is "$rc|$out|$err" "0|3${T}args/s.lua${T}a b${T}${T}c${T}3${T}a b${T}${T}c|" \
	"arg[0] is the script, arg[1..] and ... its arguments, as lua.c sets them"
vl args/s.lua
is "$rc|$out" "0|0${T}args/s.lua${T}nil${T}nil${T}nil${T}0" "no arguments: an empty arg and no ..."

mk binary 'print("compiled")'
if command -v luac5.4 >/dev/null; then
	luac5.4 -o "$WORK/binary/s.luac" "$WORK/binary/s.lua"
else
	printf '\033LuaT\000\031\223\r\n\032\n\004\010\010' > "$WORK/binary/s.luac"
fi
vl binary/s.luac
is "$rc|$out|$err" "1||vow lua: attempt to load a binary chunk (mode is 't')" \
	"a compiled script is refused: text only"
vl binary/s.lua
is "$rc|$out|$err" "0|compiled|" "the same script as text runs"

vl args/nosuch.lua
is "$rc" 127 "a missing script: status 127"
has "$err" "args/nosuch.lua: No such file or directory" "a missing script: vow says so"
vl nosuch/s.lua
is "$rc" 127 "a missing script in a missing directory: status 127, as for a missing script"
has "$err" "nosuch/s.lua: No such file or directory" "a missing script in a missing directory: vow names the script"
vl args
ends 126 "args: not a regular file" "a directory as the script: status 126"

# ---- the environment ----

mk env \
	'local function keys(t) local k = {} for n in pairs(t) do k[#k + 1] = n end table.sort(k) return table.concat(k, " ") end' \
	'local function p(k, ...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(k .. " " .. table.concat(t, " ")) end' \
	'p("globals", keys(_G))' \
	'p("G", _G == _ENV)' \
	'p("dofile", dofile, loadfile)' \
	'p("load", type(load))' \
	'p("hostenv", load("return os.execute")(), load("return debug")(), load("return package")())' \
	'x_global = 42' \
	'p("scriptenv", load("return x_global")())' \
	'p("ownenv", load("return x, os", "c", "t", {x = 7})())' \
	'p("binary", load("\27LuaT\0\25\147\r\n\26\n", "b", "b"))' \
	'p("reader", pcall(load, function() return nil end))' \
	'p("dump", string.dump, ("").dump, (pcall(function() return (""):dump() end)))' \
	'p("string", keys(string))' \
	'p("table", keys(table))' \
	'p("math", keys(math))' \
	'p("utf8", keys(utf8))' \
	'p("coroutine", keys(coroutine))' \
	'p("os", keys(os))' \
	'p("io", keys(io))' \
	'p("absent", debug, package, rawget(_G, "package"), warn, _G.os.execute)' \
	'p("escapes", os.execute, io.popen, io.tmpfile, os.remove, os.rename, os.tmpname, io.input, io.output)' \
	'p("strmt", getmetatable(""))' \
	'p("strmtset", (pcall(function() getmetatable("").__index = function() return "pwned" end end)))' \
	'p("strsetmt", (pcall(setmetatable, "", {})))' \
	'p("strrawset", (pcall(rawset, getmetatable(""), "__index", {})))' \
	'string.upper = function() return "evil" end' \
	'p("method", ("x"):upper(), ("ab"):rep(2, "-"))' \
	'p("filemt", getmetatable(io.stdout))' \
	'p("filesetmt", (pcall(setmetatable, io.stdout, {})))' \
	'p("filetype", io.type(io.stdout))' \
	'p("gc", (pcall(collectgarbage, "stop")), (pcall(collectgarbage, "generational")), (pcall(collectgarbage, "incremental", 0, 1e9)), math.type(collectgarbage("count")), collectgarbage("count") > 0)' \
	'p("compute", math.floor(7 / 2), math.maxinteger, utf8.char(228, 8364), utf8.len("äb"), table.concat({1, 2, 3}, ","), ("%5.2f"):format(math.pi), select(2, ("a,b,c"):gsub(",", ";")))' \
	'local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)' \
	'p("cowrap", co(1), co(10))' \
	'p("time", math.type(os.time()), type(os.clock()), os.date("!%Y", 0), os.difftime(2, 1), os.getenv("TZ") == arg[1])'
export TZ=UTC
vl env/s.lua UTC
is "$rc|$err" "0|" "the environment script runs"
is "$(key globals)" "_G _VERSION arg assert collectgarbage coroutine error getmetatable io ipairs load math next os pairs pcall print rawequal rawget rawlen rawset require select setmetatable string table tonumber tostring type utf8 xpcall" \
	"the globals are the documented list"
is "$(key G)" "true" "_G is the script's environment"
is "$(key dofile)" "nil nil" "no dofile, no loadfile"
is "$(key load)" "function" "load is there"
is "$(key hostenv)" "nil nil nil" "load without an env sees the script's environment, not the host's (os.execute, debug, package)"
is "$(key scriptenv)" "42" "load without an env sees the script's globals"
is "$(key ownenv)" "7 nil" "load with an env uses it"
is "$(key binary)" "nil attempt to load a binary chunk (mode is 't')" "load refuses a binary chunk, whatever the mode asked"
is "$(key reader)" "false load: only strings can be loaded here" "load refuses a reader function"
is "$(key dump)" "nil nil false" "no string.dump, nor (\"\"):dump through the string metatable"
is "$(key string)" "byte char find format gmatch gsub len lower match pack packsize rep reverse sub unpack upper" \
	"string: everything but dump"
is "$(key table)" "concat insert move pack remove sort unpack" "table"
# (less the 5.3 compatibility functions a distribution's build may add)
is "$(key math | tr ' ' '\n' | grep -vx 'atan2\|cosh\|frexp\|ldexp\|log10\|pow\|sinh\|tanh' | tr '\n' ' ')" \
	"abs acos asin atan ceil cos deg exp floor fmod huge log max maxinteger min mininteger modf pi rad random randomseed sin sqrt tan tointeger type ult " "math"
is "$(key utf8)" "char charpattern codepoint codes len offset" "utf8"
is "$(key coroutine)" "close create isyieldable resume running status wrap yield" "coroutine"
is "$(key os)" "clock date difftime exit getenv time" "os: time clock date difftime getenv exit only"
is "$(key io)" "close lines open read stderr stdin stdout type write" "io: the standard streams, read write lines open close type only"
is "$(key absent)" "nil nil nil nil nil" "no debug, no package, no warn, no os.execute through _G"
is "$(key escapes)" "nil nil nil nil nil nil nil nil" "no os.execute, io.popen, io.tmpfile, os.remove, os.rename, os.tmpname, io.input, io.output"
is "$(key strmt)" "false" "getmetatable(\"\") is false"
is "$(key strmtset):$(key strsetmt):$(key strrawset)" "false:false:false" \
	"the string metatable cannot be changed (assignment, setmetatable, rawset)"
is "$(key method)" "X ab-ab" "string methods are untouched by a patched string table"
is "$(key filemt)" "false" "getmetatable of a file is false"
is "$(key filesetmt)" "false" "the file metatable cannot be replaced"
is "$(key filetype)" "file" "io.type works"
is "$(key gc)" "false false false float true" "collectgarbage: stop, generational, incremental refused; count works"
is "$(key compute)" "3 9223372036854775807 ä€ 2 1,2,3  3.14 2" "math, utf8, table and string compute"
is "$(key cowrap)" "2 20" "coroutines yield and resume"
is "$(key time)" "integer number 1970 1.0 true" "os.time, clock, date, difftime and getenv work"

# stdin and stdout: an honest filter
mk filter 'local n = 0' 'for line in io.lines() do n = n + tonumber(line) end' \
	'io.write("sum ", n, "\n")' 'print(io.read("l"))'
out=$(printf '3\n4\n5\n' | timeout -s KILL 60 "$V" lua filter/s.lua 2>"$WORK/.stderr")
rc=$? err=$(cat "$WORK/.stderr")
is "$rc|$out|$err" "0|sum 12${NL}nil|" "a script reads stdin and writes stdout"

# require: beside the script, dotted names for subdirectories, init.lua
mk req \
	'local m = require("helper")' \
	'local d = require("sub.deep")' \
	'local p = require("pkg")' \
	'print(m.hi(), d.name, p.name, require("helper") == m)' \
	'local ok, e = pcall(require, "nosuch")' \
	'print(ok, (e:match("^module .nosuch. not found")))' \
	'print(pcall(require, "../secret"))'
printf '%s\n' 'local M = {}' 'function M.hi() return "hi" end' 'return M' > "$WORK/req/helper.lua"
mkdir -p "$WORK/req/sub" "$WORK/req/pkg"
printf '%s\n' 'return {name = "deep:" .. ...}' > "$WORK/req/sub/deep.lua"
printf '%s\n' 'return {name = "pkg/init"}' > "$WORK/req/pkg/init.lua"
echo 'return "secret module"' > "$WORK/secret.lua"
vl req/s.lua
is "$rc|$err" "0|" "require: the script runs"
is "$(echo "$out" | sed -n 1p)" "hi${T}deep:sub.deep${T}pkg/init${T}true" \
	"require: a module beside the script, sub.deep from sub/deep.lua, pkg from pkg/init.lua, loaded once"
is "$(echo "$out" | sed -n 2p)" "false${T}module 'nosuch' not found" "require: a missing module is an error naming it"
has "$(echo "$out" | sed -n 3p)" "false${T}module '../secret' not found" "require: no way out of the directory with .."
mk reqmiss 'require("nosuch")' 'print("after")'
vl reqmiss/s.lua
ends 1 "vow lua: reqmiss/s.lua:1: module 'nosuch' not found" "require: an uncaught missing module ends the script, status 1"
is "$out" "" "require: nothing runs after a missing module"
# a bare script name: its directory is ".", and require still finds the module
run sh -c 'cd "$1" && exec timeout -s KILL 60 "$2" lua s.lua' sh "$WORK/req" "$V"
is "$rc|$(echo "$out" | sed -n 1p)" "0|hi${T}deep:sub.deep${T}pkg/init${T}true" "require works for a script named without a directory"
# LUA_PATH: searched, but the policy decides what can be read
mkdir -p "$WORK/libs"
echo 'return "ext module"' > "$WORK/libs/extmod.lua"
mk lpath 'local ok, r = pcall(require, "extmod")' 'print(ok, ok and r or (r:match("Permission denied") and "denied" or r))'
run timeout -s KILL 60 "$V" lua -e "vow.env.set('LUA_PATH', '$WORK/libs/?.lua')" lpath/s.lua
is "$rc|$out" "0|false${T}denied" "require along LUA_PATH outside the script's directory: refused by Landlock"
run timeout -s KILL 60 "$V" lua -e "vow.env.set('LUA_PATH', '$WORK/libs/?.lua')" -v "r:$WORK/libs" lpath/s.lua
is "$rc|$out" "0|true${T}ext module" "require along LUA_PATH works where the policy lets the script read"

# ---- the kernel has the last word ----

mk fs 'print(io.open(arg[1]))' 'print(pcall(io.lines, arg[1]))' \
	'local f = assert(io.open(arg[0]:match("^(.*)/") .. "/data.txt")) print(f:read("l")) f:close()'
echo hello > "$WORK/fs/data.txt"
echo secret > "$WORK/secret.txt"
vl fs/s.lua "$WORK/secret.txt"
is "$rc|$err" "0|" "reading outside the directory: the script goes on"
is "$(echo "$out" | sed -n 1p)" "nil${T}$WORK/secret.txt: Permission denied${T}13" \
	"io.open of a file outside the script's directory: Permission denied (Landlock)"
is "$(echo "$out" | sed -n 2p)" "false${T}cannot open file '$WORK/secret.txt' (Permission denied)" "io.lines outside: Permission denied"
is "$(echo "$out" | sed -n 3p)" "hello" "a file beside the script is read"
vl fs/s.lua /etc/passwd
is "$(echo "$out" | sed -n 1p)" "nil${T}/etc/passwd: Permission denied${T}13" "io.open(\"/etc/passwd\"): Permission denied"
vl "$WORK/fs/s.lua" "$WORK/secret.txt"
is "$rc|$(echo "$out" | sed -n 1p)|$(echo "$out" | sed -n 3p)" "0|nil${T}$WORK/secret.txt: Permission denied${T}13|hello" \
	"the same with the script named by its absolute path"

mk write 'local f, e = io.open(arg[1], "w")' 'print(f and "opened" or f, e)' \
	'if f then f:write("written\n") f:close() end' 'local r = io.open(arg[1])' 'print(r and r:read("l"))'
mkdir -p "$WORK/out"
vl write/s.lua "$WORK/write/out.txt"
is "$out" "nil${T}$WORK/write/out.txt: Operation not permitted${NL}nil" "writing a file: the script sees EPERM"
is "$err" "vow: denied openat(\"$WORK/write/out.txt\", O_WRONLY|O_CREAT|O_TRUNC): needs promises \"wpath cpath\"" \
	"writing a file: vow's denial line names wpath cpath"
is "$rc" 0 "writing a file: the script ends normally"
[ -e "$WORK/write/out.txt" ] && notok "no file is written" || ok "no file is written"
# as for commands: the same line for the same call from sh
run timeout -s KILL 60 "$V" --no-default -p 'stdio rpath' sh -c 'echo x > "$1"' sh "$WORK/write/out.txt"
is "$(echo "$err" | grep '^vow: denied')" "vow: denied openat(\"$WORK/write/out.txt\", O_WRONLY|O_CREAT|O_TRUNC): needs promises \"wpath cpath\"" \
	"a command's denial of the same call reads the same"
mk exitdeny 'io.open(arg[1], "w")' 'os.exit(0)'
vl exitdeny/s.lua "$WORK/exitdeny/out.txt"
case "$rc|$err" in
'0|vow: denied openat('*', O_WRONLY|O_CREAT|O_TRUNC): needs promises "wpath cpath"') ok "os.exit does not skip the report of a denied call" ;;
*) notok "os.exit does not skip the report of a denied call"; echo "#   got: $rc|$err" ;;
esac
mk exec 'print(os.execute, io.popen)' 'os.execute("touch " .. arg[1])'
vl exec/s.lua "$WORK/exec/touched"
ends 1 "attempt to call a nil value (field 'execute')" "os.execute is nil: calling it is an error, status 1"
[ -e "$WORK/exec/touched" ] && notok "os.execute ran nothing" || ok "os.execute ran nothing"

# another policy lets it write
printf '%s\n' 'vow.promise("stdio rpath wpath cpath")' "vow.unveil(\"$WORK/write\", \"r\")" \
	"vow.unveil(\"$WORK/out\", \"rwc\")" > "$WORK/writer.lua"
vl -f "$WORK/writer.lua" write/s.lua "$WORK/out/a.txt"
is "$rc|$out|$err" "0|opened${T}nil${NL}written|" "-f a policy with wpath cpath: the script writes and reads back, nothing denied"
is "$(cat "$WORK/out/a.txt" 2>&1)" "written" "-f a policy with wpath cpath and the directory unveiled rwc: the file is written"
vl -f "$WORK/writer.lua" write/s.lua "$WORK/write/b.txt"
is "$(echo "$out" | sed -n 1p)" "nil${T}$WORK/write/b.txt: Permission denied" \
	"-f: outside the rwc directory, Landlock still refuses"
vl --no-default -p 'stdio rpath wpath cpath' -v "rwc:$WORK/out" write/s.lua "$WORK/out/c.txt"
is "$rc|$err|$(cat "$WORK/out/c.txt" 2>&1)" "0||written" "--no-default -p 'stdio rpath wpath cpath' -v rwc:DIR: writing works"

# ---- limits ----

# memory: -M caps the allocator; the first refused allocation is fatal
mk rep31 "print(#string.rep('x', 2^31))"
vl -M 64M rep31/s.lua
case "$rc:$err" in
"1:vow lua: memory limit (64 MiB) reached" | "1:vow lua: "*"resulting string too large"*)
	ok "-M 64M: string.rep('x', 2^31) fails cleanly, status 1" ;;
*) notok "-M 64M: string.rep('x', 2^31) fails cleanly, status 1"; echo "#   got: $rc $err" ;;
esac
mk rep30 "print(#string.rep('x', 2^30))"
vl -M 64M rep30/s.lua
is "$rc|$out|$err" "1||vow lua: memory limit (64 MiB) reached" "-M 64M: string.rep('x', 2^30) reaches the memory limit"
mk rep20 "print(#string.rep('x', 2^20))"
vl -M 64M rep20/s.lua
is "$rc|$out|$err" "0|1048576|" "-M 64M: a 1 MiB string is made"
mk double "local s = 'x' while true do s = s .. s end"
vl -M 64M double/s.lua
is "$rc|$err" "1|vow lua: memory limit (64 MiB) reached" "-M 64M: a doubling string reaches the limit"
mk thrash 'while true do pcall(string.rep, "x", 1e8) end'
vl -M 64M -T 20 thrash/s.lua
is "$rc|$err" "1|vow lua: memory limit (64 MiB) reached" "-M 64M: pcall around failing allocations does not swallow the limit"
mk grow 'local t = {} for i = 1, 1e9 do t[i] = i end'
vl -M 32M grow/s.lua
is "$rc|$err" "1|vow lua: memory limit (32 MiB) reached" "-M 32M: a growing table reaches the limit"

# CPU and wall-clock time
mk loop 'while true do end'
vl -C 1 loop/s.lua
ends 1 "CPU time limit reached" "-C 1: an endless loop ends, status 1"
is "$(echo "$err" | grep -c '^vow lua: .*CPU time limit reached$')" 1 "-C: one line says why"
vl -T 1 loop/s.lua
ends 1 "wall-clock time limit reached" "-T 1: an endless loop ends, status 1"
is "$(echo "$err" | grep -c '^vow lua: .*wall-clock time limit reached$')" 1 "-T: one line says why"
mk short 'local n = 0 for i = 1, 1e6 do n = n + i end print(n)'
vl -C 20 -T 20 short/s.lua
is "$rc|$out|$err" "0|500000500000|" "-C 20 -T 20: a short loop finishes"
mk swallow 'while true do pcall(function() while true do end end) end'
vl -T 1 swallow/s.lua
ends 1 "wall-clock time limit reached" "-T 1: pcall does not swallow the kill"
vl -C 1 swallow/s.lua
ends 1 "CPU time limit reached" "-C 1: pcall does not swallow the kill"
mk resume 'while true do print(coroutine.resume(coroutine.create(function() while true do end end))) end'
vl -T 1 resume/s.lua
ends 1 "wall-clock time limit reached" "-T 1: coroutine.resume does not swallow the kill"
is "$out" "" "-T 1: coroutine.resume returned nothing to the script"
mk wrap 'coroutine.wrap(function() while true do end end)()'
vl -T 1 wrap/s.lua
ends 1 "wall-clock time limit reached" "-T 1: a loop inside coroutine.wrap ends"
mk nested 'coroutine.wrap(function() coroutine.resume(coroutine.create(function() while true do end end)) while true do end end)()'
vl -T 1 nested/s.lua
ends 1 "wall-clock time limit reached" "-T 1: a loop in a coroutine inside a coroutine ends"
mk xploop 'print(xpcall(function() while true do end end, function() while true do end end))'
vl -T 1 xploop/s.lua
ends 1 "wall-clock time limit reached" "-T 1: xpcall with a looping handler ends"
mk xperr 'print(xpcall(error, function() while true do end end))'
vl -T 1 xperr/s.lua
ends 1 "wall-clock time limit reached" "-T 1: a looping xpcall handler of an ordinary error ends"
mk xpok 'print(xpcall(error, function(m) return "handled " .. tostring(m) end, "e", 0))'
vl xpok/s.lua
is "$rc|$out" "0|false${T}handled e" "xpcall's handler runs for an ordinary error"
# the wrappers keep what stock Lua 5.4 allows: yielding inside pcall and xpcall
mk pcallyield 'local co = coroutine.wrap(function() print(pcall(coroutine.yield, 1)) return "end" end)' \
	'print(co())' 'print(co("resumed"))'
vl pcallyield/s.lua
is "$rc|$out|$err" "0|1${NL}true${T}resumed${NL}end|" "a coroutine can yield inside pcall, as in stock Lua 5.4"
mk xpcallyield 'local co = coroutine.wrap(function() print(xpcall(coroutine.yield, print, 1)) return "end" end)' \
	'print(co())' 'print(co("resumed"))'
vl xpcallyield/s.lua
is "$rc|$out|$err" "0|1${NL}true${T}resumed${NL}end|" "a coroutine can yield inside xpcall, as in stock Lua 5.4"
mk sortloop 'table.sort({3, 2, 1}, function() while true do end end)'
vl -T 1 sortloop/s.lua
ends 1 "wall-clock time limit reached" "-T 1: a looping table.sort comparator ends"

# --steps: an exact instruction budget
vl --steps 100000 loop/s.lua
is "$rc" 1 "--steps 100000: an endless loop ends, status 1"
has "$err" "instruction budget (--steps) exhausted" "--steps: vow says why"
mk sum 'local n = 0 for i = 1, 100000 do n = n + i end print(n)'
vl --steps 1000000 sum/s.lua
is "$rc|$out|$err" "0|5000050000|" "--steps 1000000: a loop of about 200000 instructions finishes"
vl --steps 20000 sum/s.lua
is "$rc|$out" "1|" "--steps 20000: the same loop is stopped"
has "$err" "instruction budget (--steps) exhausted" "--steps 20000: vow says why"
vl --steps 100000 swallow/s.lua
ends 1 "instruction budget (--steps) exhausted" "--steps: pcall does not swallow the budget"
mk costeps 'for i = 1, 1000 do coroutine.wrap(function() for j = 1, 900 do end end)() end print("done")'
vl --steps 10000000 costeps/s.lua
is "$rc|$out" "0|done" "--steps 10000000: 1000 coroutines of 900 iterations finish"
vl --steps 100000 costeps/s.lua
ends 1 "instruction budget (--steps) exhausted" "--steps 100000: instructions run in short coroutines count too (about 900000 of them)"
is "$out" "" "--steps 100000: the coroutines' loop does not finish"
vl --steps 0 sum/s.lua
is "$rc|$err" "125|vow: --steps: a whole number of Lua VM instructions, at least 1" "--steps 0 is refused"
vl --steps abc sum/s.lua
is "$rc|$err" "125|vow: --steps: a whole number of Lua VM instructions, at least 1" "--steps abc is refused"
vl --steps -5 sum/s.lua
is "$rc" 125 "--steps -5 is refused"
run timeout -s KILL 60 "$V" --steps 10 true
is "$rc|$err" "125|vow: --steps goes with vow lua" "--steps without vow lua is refused"

# stacks
mk recurse 'local function f() return 1 + f() end' 'f()'
vl recurse/s.lua
ends 1 "stack overflow" "deep Lua recursion: stack overflow, status 1"
[ "$(echo "$err" | wc -l)" -le 20 ] && ok "deep recursion: the traceback is short" ||
	notok "deep recursion: the traceback is short (got $(echo "$err" | wc -l) lines)"
mk cstack 'local t = setmetatable({}, {__index = function(t, k) return t[k] end})' 'return t.x'
vl cstack/s.lua
ends 1 "C stack overflow" "C stack overflow through __index, status 1"
mk cowrap 'local function f() return coroutine.wrap(f)() end' 'f()'
vl cowrap/s.lua
ends 1 "C stack overflow" "nested coroutine.wrap: C stack overflow, status 1"

# long single C calls
mk pattern 'print(("a"):rep(40):find(("a*"):rep(40) .. "b"))'
vl -T 1 pattern/s.lua
ends 124 "did not come back to Lua" "-T 1: pattern backtracking ends with status 124"
has "$err" "wall-clock time limit reached" "-T 1: pattern backtracking: vow says which limit"
vl -C 1 pattern/s.lua
ends 124 "did not come back to Lua" "-C 1: pattern backtracking ends with status 124"
mk smallpat 'print(("a"):rep(10):find(("a*"):rep(3) .. "b"))' 'print(("a"):rep(10):find(("a*"):rep(3)))'
vl -T 20 smallpat/s.lua
is "$rc|$out" "0|nil${NL}1${T}10" "a small pattern works"
mk repempty 'print(#string.rep("", 2^62), #("").rep("", 2^62, ""), string.rep("ab", 3, ","))'
vl -T 10 repempty/s.lua
is "$rc|$out|$err" "0|0${T}0${T}ab,ab,ab|" "string.rep('', 2^62) returns \"\" at once"
mk move 'print(table.move({}, 1, 1e15, 1, {}))'
vl -T 10 move/s.lua
ends 1 "table.move" "table.move({}, 1, 1e15, 1, {}) is refused with an error, status 1"
is "$out" "" "table.move over a huge range does nothing"
mk movesmall 'print(table.concat(table.move({1, 2, 3}, 1, 3, 2), ","))'
vl movesmall/s.lua
is "$rc|$out" "0|1,1,2,3" "table.move over a small range works"
mk collide 'local t = {} for i = 1, 2^18 do t[i * (2^18 - 1)] = true end print("done")'
vl -T 1 collide/s.lua
case "$rc" in
124 | 1) has "$err" "wall-clock time limit reached" "-T 1: colliding integer keys end (status $rc)" ;;
*) notok "-T 1: colliding integer keys end with status 124 or 1"; echo "#   got: $rc $err" ;;
esac

# code that would run with hooks off
mk gc 'setmetatable({}, {__gc = function() while true do end end})' 'collectgarbage()' 'print("survived")'
vl -T 10 gc/s.lua
is "$rc|$out" "1|" "a __gc metamethod is refused, status 1"
has "$err" "setmetatable: __gc metamethods are not allowed here" "__gc: vow says why"
mk gctrue 'print(pcall(setmetatable, {}, {__gc = true}))'
vl gctrue/s.lua
is "$rc|$out" "0|false${T}setmetatable: __gc metamethods are not allowed here" "__gc = true is refused too (it would arm a finalizer)"
mk gclate 'local mt = {}' 'local t = setmetatable({}, mt)' 'mt.__gc = function() while true do end end' \
	't = nil' 'collectgarbage()' 'print("survived")'
vl -T 10 gclate/s.lua
is "$rc|$out|$err" "0|survived|" "a __gc added after setmetatable never runs"
mk close 'local x <close> = setmetatable({}, {__close = function() end})' 'print("closed")'
vl close/s.lua
is "$rc|$out" "1|" "a __close metamethod is refused, status 1"
has "$err" "setmetatable: __close metamethods are not allowed here" "__close: vow says why"
mk tostr 'error(setmetatable({}, {__tostring = function() while true do end end}))'
vl -T 10 tostr/s.lua
ends 1 "(error object is a table value)" "a looping __tostring on an error object does not hang"
mk gcstop 'collectgarbage("stop")' 'print("stopped")'
vl gcstop/s.lua
is "$rc|$out" "1|" "collectgarbage(\"stop\") is refused, status 1"
has "$err" "collectgarbage" "collectgarbage(\"stop\"): the error names it"

# os.exit
mk exit 'io.write("partial") print(" line")' 'io.write("unflushed")' 'os.exit(3)' 'print("after")'
vl exit/s.lua
is "$rc|$out|$err" "3|partial line${NL}unflushed|" "os.exit(3): status 3, output flushed"
mk exittrue 'os.exit(true)'
vl exittrue/s.lua
is "$rc" 0 "os.exit(true): status 0"
mk exitfalse 'os.exit(false)'
vl exitfalse/s.lua
is "$rc" 1 "os.exit(false): status 1"

# ---- errors ----

mk tb 'local function inner()' '  error("boom")' 'end' 'local function outer()' '  inner()' 'end' 'outer()'
vl tb/s.lua
is "$rc|$out" "1|" "an error: status 1"
is "$err" "vow lua: tb/s.lua:2: boom
traceback:
  tb/s.lua:2: in function 'inner'
  tb/s.lua:5: in function 'outer'
  tb/s.lua:7: in the main chunk" "an error: the message and a traceback of the script's own frames"
lacks "$err" "[C]" "the traceback has no C frames"
lacks "$err" "in ?" "the traceback has no host frames"
mk tbmod 'local m = require("bad")' 'm.go()'
printf '%s\n' 'local M = {}' 'function M.go()' '  error("bad module")' 'end' 'return M' > "$WORK/tbmod/bad.lua"
vl tbmod/s.lua
is "$rc" 1 "an error in a module: status 1"
has "$err" "bad.lua:3: bad module" "an error in a module: its message"
has "$err" "tbmod/s.lua:2: in the main chunk" "an error in a module: the script's frame is in the traceback"
lacks "$err" "[C]" "an error in a module: no C frames"
mk tbsort 'table.sort({3, 2, 1}, function(a, b)' '  error("cmp")' 'end)'
vl tbsort/s.lua
ends 1 "tbsort/s.lua:2: cmp" "an error under a C function: status 1, the message"
lacks "$err" "[C]" "an error under a C function: no C frames in the traceback"
mk errtable 'error({code = 1})'
vl errtable/s.lua
ends 1 "(error object is a table value)" "an error object that is a table: status 1, named by its type"
mk syntax 'print("unclosed'
vl syntax/s.lua
ends 1 "syntax/s.lua:1: unfinished string" "a syntax error: status 1, the message"

# the script policies hand the script none of the host's environment
mkdir -p "$WORK/envtest"
printf 'print(os.getenv("VOW_TEST_SECRET"), os.getenv("LANG"))\n' > "$WORK/envtest/env.lua"
out=$(VOW_TEST_SECRET=leaked LANG=C.UTF-8 timeout 60 "$V" lua "$WORK/envtest/env.lua" 2>&1)
is "$out" "nil	C.UTF-8" "vow lua's default: the host's environment is not passed on (the locale is)"
out=$(VOW_TEST_SECRET=leaked timeout 60 "$V" lua -f game "$WORK/envtest/env.lua" 2>/dev/null | cut -f1)
is "$out" "nil" "the game policy: the host's environment is not passed on"
out=$(VOW_TEST_SECRET=leaked timeout 60 "$V" lua --no-default -p 'stdio rpath' -v "$WORK/envtest" "$WORK/envtest/env.lua" 2>/dev/null | cut -f1)
is "$out" "leaked" "with a policy that keeps it, the script sees the environment (twin)"
