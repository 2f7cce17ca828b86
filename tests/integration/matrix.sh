# matrix: `vow matrix FILE -- COMMAND` runs COMMAND under each
# configuration of FILE, prints a table of verdicts, exits 0 when every
# expectation held and 1 when one did not, writes JUnit XML; a broken
# matrix file stops it with 125.  The shipped policies checked with it.
# As root and as a user.
. "$LIB"

PY=/usr/bin/python3
export HOME="$WORK/home"
mkdir -p "$HOME" "$WORK/proj/.git"
cd "$WORK/proj" || exit 1
echo "project data" > data.txt
DATA="$WORK/proj/data.txt"

# row NAME: the table's line for configuration NAME
row() { printf '%s\n' "$out" | grep "^$1  "; }

# ---- the shipped policies, one python3 script ----
if [ -x "$PY" ]; then
	cat > check.py <<'EOF'
import os, socket, sys, time
if os.environ.get("MATRIX_HANG"):
    time.sleep(30)
print(open(sys.argv[1]).read().strip())
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
except OSError as e:
    print("socket refused:", e)
    sys.exit(3)
print("socket made")
EOF
	cat > shipped.lua <<'EOF'
local P = require "policy"
local data = vow.argv[3]
return {
  { name = "net-client", policy = "net-client", expect = "pass" },
  { name = "default", policy = "default", expect = "denied", denied = "inet" },
  { name = "python", policy = "python", expect = "denied", denied = "inet" },
  { name = "readonly", policy = "readonly", expect = "denied", denied = "inet" },
  { name = "python fails", policy = "python", expect = "fail" },
  { name = "readonly refused", policy = "readonly", expect = "denied" },
  { name = "no project", expect = "denied", denied = data,
    policy = P.new{ promises = "stdio rpath inet", P.interpreter("python3"), P.system(),
                    paths = { [vow.cwd() .. "/check.py"] = "r" } } },
  { name = "by hand", expect = "pass", policy = function()
      vow.include("python")
      vow.promise("inet")
    end },
  { name = "unrestricted", policy = function() end, expect = "pass" },
}
EOF
	run "$PY" check.py "$DATA"
	is "$rc:$out" "0:project data
socket made" "without vow the script reads the file and makes a socket"
	run "$V" matrix shipped.lua -- "$PY" check.py "$DATA"
	is "$rc" 0 "shipped policies: every expectation held (exit 0)"
	has "$out" "9 of 9 configurations as expected" "shipped policies: the summary line"
	has "$(row net-client)" "ok: exit 0" "net-client: the script reads the project and makes a socket"
	has "$(row default)" "1 (inet)" "default: one denial, naming inet, in the denials column"
	has "$(row default)" "ok: refused for lack of inet" "default: refused for lack of inet"
	has "$(row python)" "ok: refused for lack of inet" "python: refused for lack of inet"
	has "$(row readonly)" "ok: refused for lack of inet" "readonly: refused for lack of inet"
	has "$(row 'python fails')" "ok: exit 3" "python: the script's own status (3) is a fail"
	has "$(row 'readonly refused')" "ok: refused" "expect = denied without a name: something was refused"
	has "$(row 'no project')" "ok: refused $DATA" "a policy without the project: the file refused (EACCES)"
	has "$(row 'by hand')" "ok: exit 0" "a function policy adding inet to python passes"
	has "$(row unrestricted)" "ok: exit 0" "an empty policy passes"
	head -n 1 > "$WORK/head" <<EOF
$out
EOF
	is "$(tr -s ' ' < "$WORK/head")" "configuration status denials expected verdict" "the table's header"

	run "$V" matrix -j 1 shipped.lua -- "$PY" check.py "$DATA"
	j1=$out
	run "$V" matrix -j 4 shipped.lua -- "$PY" check.py "$DATA"
	is "$out" "$j1" "-j 1 and -j 4 give the same table"
	run "$V" matrix -j4 shipped.lua "$PY" check.py "$DATA"
	is "$rc:$out" "0:$j1" "-j4 (joined) and no -- give the same"

	# a project with an untrusted .vow.lua: each configuration starts empty
	echo 'vow.promise("stdio")' > .vow.lua
	run "$V" true
	is "$rc" 125 "(an untrusted .vow.lua here makes a plain run fail)"
	run "$V" matrix shipped.lua -- "$PY" check.py "$DATA"
	is "$rc:$out" "0:$j1" "the matrix does not apply the project's .vow.lua"
	rm .vow.lua

	# a hanging configuration
	cat > hang.lua <<'EOF'
local P = require "policy"
return {
  { name = "quick", policy = "python", expect = "fail" },
  { name = "hangs", policy = P.load("python"):extend{ env = { set = { MATRIX_HANG = "1" } } },
    expect = "pass", timeout = 1 },
}
EOF
	start=$(date +%s)
	run "$V" matrix hang.lua -- "$PY" check.py "$DATA"
	took=$(( $(date +%s) - start ))
	is "$rc" 1 "a hanging configuration: the matrix fails (1)"
	has "$(row hangs)" "timeout" "the status column says timeout"
	has "$(row hangs)" "FAILED: timed out" "the verdict says timed out"
	has "$(row quick)" "ok: exit 3" "the other configuration is judged as usual"
	[ "$took" -lt 10 ] && ok "timeout = 1 ended it (${took}s, not the 30 s it sleeps)" || notok "the matrix took ${took}s"
	[ -z "$(alive "$PY check.py $DATA")" ] && ok "nothing of the hanging run is left" ||
		notok "a payload survived: $(alive "$PY check.py $DATA")"
else
	skip "the python3 matrix: $PY is not installed"
fi

# ---- expectations that do not hold, and JUnit XML ----
cat > mixed.lua <<'EOF'
local P = require "policy"
return {
  { name = "sh", policy = "sh", expect = "pass" },
  { name = "default lacks proc", policy = "default", expect = "denied", denied = "proc" },
  { name = "default passes?", policy = "default", expect = "pass" },
  { name = "net refused?", policy = "sh", expect = "denied", denied = "inet" },
  { name = "shadow refused?", policy = "sh", expect = "denied", denied = "/etc/shadow" },
  { name = "sh & <fails>", policy = "sh", expect = "fail" },
  { name = "hangs", policy = P.load("sh"):extend{ env = { set = { HANG = "1" } } }, expect = "pass", timeout = 1 },
}
EOF
CMD='if [ -n "$HANG" ]; then exec /bin/sleep 30; fi; /usr/bin/tr a-z A-Z < "$1"'
run /bin/sh -c "$CMD" sh "$DATA"
is "$out" "PROJECT DATA" "without vow the shell command prints"
run "$V" matrix --junit "$WORK/out.xml" mixed.lua -- /bin/sh -c "$CMD" sh "$DATA"
is "$rc" 1 "expectations that do not hold: exit 1"
has "$out" "2 of 7 configurations as expected" "the summary counts them"
has "$(row sh)" "ok: exit 0" "sh: the command passes"
has "$(row 'default lacks proc')" "ok: refused for lack of proc" "default: refused for lack of proc"
has "$(row 'default passes?')" "FAILED: exit 2" "a wrong pass: FAILED with the status"
has "$(row 'net refused?')" "FAILED: nothing needing inet was refused" "a wrong denied = inet: FAILED"
has "$(row 'shadow refused?')" "FAILED: /etc/shadow was not refused" "a wrong denied = /path: FAILED"
has "$(row 'sh & <fails>')" "FAILED: exit 0" "a wrong fail: FAILED"
has "$(row hangs)" "FAILED: timed out" "the hanging one: timed out"
[ -s "$WORK/out.xml" ] && ok "--junit wrote the file" || notok "--junit wrote nothing"
if [ -x "$PY" ]; then
	run "$PY" -c '
import sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot()
cases = suite.findall("testcase")
print(suite.tag, suite.get("tests"), suite.get("failures"), len(cases))
for c in cases:
    f = c.find("failure")
    print(c.get("name") + ":", "failure" if f is not None else "ok")
' "$WORK/out.xml"
	is "$rc:$out" "0:testsuite 7 5 7
sh: ok
default lacks proc: ok
default passes?: failure
net refused?: failure
shadow refused?: failure
sh & <fails>: failure
hangs: failure" "the XML parses: one testcase per configuration, a failure element for each failed one"
	has "$(cat "$WORK/out.xml")" 'message="timed out"' "the timed-out one's failure says so"
fi
run "$V" matrix -j 1 mixed.lua -- /bin/sh -c "$CMD" sh "$DATA"
j1=$out
run "$V" matrix -j 4 mixed.lua -- /bin/sh -c "$CMD" sh "$DATA"
is "$rc:$out" "1:$j1" "-j 1 and -j 4 give the same verdicts (mixed)"

# ---- broken matrix files: 125, naming the file and line ----
printf 'return {\n  { name = "a", policy = "default", expect = "pass" },\n  { name = "b", policy = "default", expct = "pass" },\n}\n' > key.lua
run "$V" matrix key.lua -- /bin/true
is "$rc" 125 "an unknown key: 125"
has "$err" "expct" "the error names the key"
has "$err" "key.lua: configuration 2" "unknown key: the error names the matrix file and the configuration"
printf 'return {\n  { name = "a", policy = "default", expect = "pass" },\n  { name = "b", policy = "default", expect = "passes" },\n}\n' > expect.lua
run "$V" matrix expect.lua -- /bin/true
is "$rc" 125 "a bad expect: 125"
has "$err" "passes" "the error names the bad value"
has "$err" "expect.lua: configuration \"b\"" "bad expect: the error names the matrix file and the configuration"
printf 'return {\n  { name = "a", policy = "default", expect = "pass" }\n  { name = "b", policy = "default", expect = "pass" },\n}\n' > syntax.lua
run "$V" matrix syntax.lua -- /bin/true
is "$rc" 125 "a Lua syntax error: 125"
has "$err" "syntax.lua:3:" "syntax error: the error names the matrix file and line"
printf 'return {\n  { name = "a", policy = "default", expect = "pass", denied = "inet" },\n}\n' > denied.lua
run "$V" matrix denied.lua -- /bin/true
is "$rc" 125 "denied without expect = denied: 125"
has "$err" "denied.lua: configuration \"a\"" "denied without expect: the error names the matrix file and the configuration"
printf 'return {\n  { name = "a", policy = "default", expect = "pass" },\n  { name = "a", policy = "sh", expect = "pass" },\n}\n' > twice.lua
run "$V" matrix twice.lua -- /bin/true
is "$rc" 125 "a name used twice: 125"
printf 'return {}\n' > empty.lua
run "$V" matrix empty.lua -- /bin/true
is "$rc" 125 "an empty matrix: 125"
printf 'return {\n  { name = "a", policy = { promises = "stdio inett" }, expect = "pass" },\n}\n' > promise.lua
run "$V" matrix promise.lua -- /bin/true
[ "$rc" = 125 ] || [ "$rc" = 1 ] && ok "an unknown promise in a configuration fails the matrix ($rc)" ||
	notok "an unknown promise: status $rc"
has "$out$err" 'did you mean "inet"' "the error suggests inet"
has "$out$err" "promise.lua: P.new" "unknown promise: the error names the matrix file"
run "$V" matrix key.lua -- /bin/sh -c "echo ran > '$WORK/ran-key'"
[ -e "$WORK/ran-key" ] && notok "a broken matrix ran a configuration" || ok "a broken matrix runs nothing"
run "$V" matrix "$WORK/missing.lua" -- /bin/true
is "$rc" 125 "a missing matrix file: 125"
has "$err" "missing.lua" "naming it"
run "$V" matrix --frobnicate mixed.lua -- /bin/true
is "$rc" 125 "an unknown option: 125"
run "$V" matrix -j 0 mixed.lua -- /bin/true
is "$rc" 125 "-j 0: 125"
run "$V" matrix mixed.lua
is "$rc" 125 "no command: 125"
exit 0
