# config: the Lua config stage: restricted, strict, budgeted, and every
# error names the file and line before anything runs.
. "$LIB"

# a policy error stops vow before anything runs
rm -f marker
run "$V" --no-default -e 'vow.limit{memroy = "1G"}' sh -c 'touch marker'
is "$rc:$err" '125:vow: -e:1: vow.limit: unknown limit "memroy" (did you mean memory?)' "unknown limit, with a suggestion"
[ -e marker ] && notok "policy error: the command ran" || ok "policy error: nothing ran"
run "$V" --no-default -e 'vow.limit{memory = "1G"}' sh -c 'touch marker'
[ "$rc" = 0 ] && [ -e marker ] && ok "without the error the same command runs" || notok "without the error the command did not run ($rc)"

run "$V" -e 'vow.limits{}' true
is "$err" 'vow: -e:1: vow.limits does not exist (did you mean vow.limit?)' "a typo in a vow function"
run "$V" -e 'vow.env.sett("A", "b")' true
is "$err" 'vow: -e:1: vow.env.sett does not exist (did you mean vow.env.set?)' "a typo in vow.env"
run "$V" -e 'local x = strng.rep("a", 2)' true
is "$err" 'vow: -e:1: unknown global "strng" (did you mean string?)' "an unknown global"
run "$V" -e 'x = 1' true
is "$err" 'vow: -e:1: assignment to undeclared global "x" (use local)' "assigning a global"
run "$V" -e 'vow.limit = nil' true
is "$err" 'vow: -e:1: vow is read-only' "vow is read-only"
run "$V" -e 'vow.caps.keep("net_bind_servce")' true
is "$err" 'vow: -e:1: vow.caps.keep: unknown capability "net_bind_servce" (did you mean net_bind_service?)' "a capability typo"

# errors name the user's file and line
printf -- '-- a policy\nlocal a = 1\nvow.limit{ procs = -4 }\n' > bad.lua
run "$V" -f ./bad.lua true
is "$rc:$err" "125:vow: ./bad.lua:3: vow.limit: procs must be a whole number, got -4" "an error names the policy file and line"
printf 'vow.limit{ memory = "512Q" }\n' > bad2.lua
run "$V" -f ./bad2.lua true
is "$err" 'vow: ./bad2.lua:1: vow.limit: memory "512Q": expected a size such as 4096, 512K, 64M or 2G' "a bad size in a file"
printf 'vow.limit{ procs = 1.5 }\n' > bad3.lua
run "$V" -f bad3.lua true
is "$err" 'vow: bad3.lua:1: vow.limit: procs must be a whole number, got 1.5' "a fraction where a count is needed"
printf 'vow.limit(5)\n' > bad4.lua
run "$V" -f bad4.lua true
is "$err" 'vow: bad4.lua:1: vow.limit: expected a table such as {memory = "512M"}' "vow.limit needs a table"
printf 'local t = nil\nreturn t.x\n' > bad5.lua
run "$V" -f bad5.lua true
has "$err" "vow: bad5.lua:2: attempt to index a nil value" "a Lua runtime error names the line"
printf 'vow.limit{\n' > bad6.lua
run "$V" -f bad6.lua true
has "$rc:$err" "125:vow: bad6.lua:" "a syntax error names the file"
run "$V" -f ./missing.lua true
is "$rc:$err" "125:vow: cannot read policy ./missing.lua: No such file or directory" "a missing policy file"
run "$V" -f defualt true
is "$rc:$err" '125:vow: no built-in policy "defualt" (did you mean default?) (a file needs a '"'"'/'"'"' or .lua)' "a built-in policy typo"

# the environment is small: a policy can look, not touch
for name in io package debug dofile loadfile collectgarbage; do
	run "$V" -e "local ok = pcall(function() return $name end) assert(not ok, '$name is reachable')" true
	is "$rc" 0 "$name is not reachable"
done
for expr in 'os.execute' 'os.remove' 'os.rename' 'os.exit' 'os.tmpname' 'os.setlocale' 'string.dump' '("").dump' 'getmetatable("").__index.dump'; do
	run "$V" -e "local ok, v = pcall(function() return $expr end) assert(not (ok and v), '$expr is reachable')" true
	is "$rc" 0 "$expr is not reachable"
done
run "$V" -e 'assert(getmetatable("") == false)' true
is "$rc" 0 "the string metatable is hidden"
run "$V" -e 'local f, e = load("\27LuaT\0\25\147\13\10\26\10") assert(not f and e:find("binary"), e)' true
is "$rc" 0 "load refuses binary chunks"
run "$V" -e 'local f = load("return io") assert(not pcall(f))' true
is "$rc" 0 "load without env sees the stage's globals, not the real ones"
run "$V" -e 'local ok, e = pcall(load, function() return nil end) assert(not ok)' true
is "$rc" 0 "load refuses reader functions"
luac5.4 -o chunk.luac bad.lua 2>/dev/null || printf '\033LuaT\0' > chunk.luac
run "$V" -f ./chunk.luac true
has "$rc:$err" "125:vow: " "a binary policy file is refused"
has "$err" "binary chunk" "and says it is binary"
run "$V" show --no-default -e 'vow.promise("stdio") vow.promise("rpath stdio")' -e 'vow.violation("eperm")'
has "$out" "promises: rpath stdio" "vow.promise adds up"
has "$out" "violation: eperm" "vow.violation sets the mode"
run "$V" -e 'vow.promise("stdio inett")' true
is "$rc:$err" '125:vow: -e:1: vow.promise: unknown promise "inett" (did you mean "inet"?)' "vow.promise names the line and suggests"
run "$V" -e 'vow.violation("kil")' true
has "$rc:$err" '125:vow: -e:1: vow.violation: unknown violation mode "kil"' "vow.violation checks its mode"
run "$V" -e 'assert(require("show").human)' true
is "$rc" 0 "require finds policy-lib modules"
run "$V" -e 'require("socket")' true
is "$err" 'vow: -e:1: require: no module "socket" in vow'"'"'s policy-lib' "require finds nothing else"
run "$V" -e 'print("hello", 1, true)' true
is "$out|$err" "|hello	1	true" "print writes to stderr"

# the budget and the memory cap
run "$V" -e 'while true do end' true
is "$rc:$err" "125:vow: -e:1: policy ran too long (more than 2 s of CPU)" "a looping policy is stopped"
run "$V" -e 'while true do pcall(function() while true do end end) end' true
is "$rc" 125 "pcall cannot swallow the budget"
has "$err" "policy ran too long" "pcall cannot swallow the budget: message"
run timeout -s KILL 30 "$V" -e 'print(("a"):rep(40):find(("a*"):rep(40) .. "b"))' true
is "$rc:$err" "125:vow: policy ran too long (stuck in one C call)" "a policy stuck in one C call (a backtracking pattern) is ended too"
run "$V" -e 'local t = {} for i = 1, 1e8 do t[i] = ("x"):rep(10000) .. i end' true
is "$rc:$err" "125:vow: policy used more than 64 MiB of memory" "a policy's memory is capped"

# includes
mkdir -p sub
printf 'vow.include("inner.lua")\n' > sub/outer.lua
printf 'vow.limit{ nofile = 77 }\n' > sub/inner.lua
run "$V" show -f sub/outer.lua
has "$out" "nofile   77" "an include is resolved beside the including file"
has "$out" "inner.lua:1" "and the rule names the included file"
printf 'vow.include("loop2.lua")\n' > sub/loop1.lua
printf 'vow.include("loop1.lua")\n' > sub/loop2.lua
run "$V" -f sub/loop1.lua true
is "$rc:$err" "125:vow: sub/loop2.lua:1: vow.include: loop1.lua includes itself" "an include cycle is refused"
run "$V" show --no-default -e 'vow.include("default")'
has "$out" "procs    1024" "a built-in policy can be included by name"
run "$V" -e 'vow.include("nope")' true
has "$err" 'vow: -e:1: vow.include: no built-in policy "nope"' "an unknown built-in include"

# order: default, then -f/-e in order, then flags; later limits replace earlier
run "$V" show
has "$out" "procs    1024" "the default policy applies without -f"
printf 'vow.limit{ nofile = 100 }\n' > p.lua
run "$V" show -f ./p.lua
lacks "$out" "procs    1024" "any -f replaces the default policy"
run "$V" show -e 'vow.limit{ nofile = 100 }'
has "$out" "procs    1024" "-e alone keeps the default policy"
run "$V" show --no-default -e 'vow.limit{ nofile = 100 }'
lacks "$out" "procs" "--no-default drops the default policy"
run "$V" show --no-default -e 'vow.limit{ nofile = 100 }' -e 'vow.limit{ nofile = 200 }'
has "$out" "nofile   200" "a later chunk replaces an earlier limit"
has "$out" "(-e #2:1)" "and the rule names the later chunk"
run "$V" show --no-default -N 50 -e 'vow.limit{ nofile = 100 }'
has "$out" "nofile   50       open files per process                              (command line (-N 50))" "flags apply after the chunks"

# introspection
run "$V" --no-default -e 'assert(vow.argv[1] == "sh" and vow.argv[3] == "exit 0" and #vow.argv == 3)' sh -c 'exit 0'
is "$rc" 0 "vow.argv is the command"
run "$V" --no-default -e "assert(vow.cwd() == '$PWD', vow.cwd())" true
is "$rc" 0 "vow.cwd()"
run "$V" --no-default -e "assert(vow.home() == '$HOME')" true
is "$rc" 0 "vow.home()"
run "$V" --no-default -e 'assert(vow.exists("/etc/passwd") and not vow.exists("/nonexistent") and vow.exists("~"))' true
is "$rc" 0 "vow.exists()"
run "$V" --no-default -e 'assert(vow.which("sh"):match("/sh$") and vow.which("no-such-tool") == nil)' true
is "$rc" 0 "vow.which()"
printf 'secret=42\n' > data.txt
run "$V" --no-default -e 'assert(vow.read("data.txt") == "secret=42\n") local v, e = vow.read("nope") assert(v == nil and e:find("No such file"))' true
is "$rc" 0 "vow.read() reads small files, fails softly"
head -c 2000000 /dev/zero > big.bin
run "$V" --no-default -e 'local v, e = vow.read("big.bin") assert(v == nil and e:find("too large"), e)' true
is "$rc" 0 "vow.read() refuses large files"
run "$V" --no-default -e 'local k = vow.kernel() assert(type(k.landlock) == "number" and k.landlock >= 6 and k.seccomp_notify == true and k.release)' true
is "$rc" 0 "vow.kernel() reports Landlock and seccomp"
run "$V" --no-default -e 'vow.limit{ memory = "64M" } local p = vow.policy() assert(p.limits.memory.value == 64 * 1024 * 1024 and p.limits.memory.text == "64M" and p.limits.memory.source == "-e:1")' true
is "$rc" 0 "vow.policy() shows the policy so far"
run "$V" --no-default -e 'vow.limit{ timeout = 1.5, cpu = 3, fsize = 4096 } local l = vow.policy().limits assert(l.timeout.value == 1500 and l.cpu.value == 3 and l.fsize.text == "4K")' true
is "$rc" 0 "numbers in vow.limit use seconds and bytes"
run "$V" -e 'vow.exec_deps(5)' true
is "$rc:$err" "125:vow: -e:1: vow.exec_deps: a path must be a string, got number" "vow.exec_deps checks its argument"
