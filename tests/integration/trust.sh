# trust: a project's .vow.lua is its default policy only once `vow trust`
# approved its exact content (and that of every file it includes); any
# change refuses it again, and no policy may unveil the trust store for
# writing.  As root and as a user; the store lives under $WORK.
. "$LIB"

export HOME="$WORK/home"
export XDG_STATE_HOME="$WORK/state"
mkdir -p "$HOME" "$XDG_STATE_HOME"
STORE="$XDG_STATE_HOME/vow/trusted"
proj="$WORK/proj"
mkdir -p "$proj/out" "$proj/inc" "$proj/sub/deeper"
cd "$proj" || exit 1
mkdir .git
echo "note" > notes.txt

# the project policy: the default one, plus out/ writable
cat > .vow.lua <<'EOF'
-- the default policy, and out/ writable for the payload
local P = require "policy"
return P.load("default"):extend{ paths = { [P.project_root() .. "/out"] = "rwc" } }
EOF
real=$(realpath .vow.lua)

# ---- untrusted ----
run "$V" true
is "$rc" 125 "an untrusted .vow.lua: vow refuses to run (125)"
has "$err" "vow trust" "the message says to run vow trust"
has "$err" "$real" "the message names the policy file"
run "$V" /bin/sh -c 'echo ran > out/untrusted'
[ "$rc" = 125 ] && [ ! -e out/untrusted ] && ok "an untrusted .vow.lua: nothing ran" || notok "the payload ran ($rc)"
[ -e "$STORE" ] && notok "the store was made before any vow trust" || ok "no store before vow trust"
run "$V" show
is "$rc" 0 "vow show prints an untrusted .vow.lua (0)"
has "$out" "NOT TRUSTED: $real" "vow show has a NOT TRUSTED line naming it"
has "$out" "policy from: $real" "vow show prints the policy it makes"
has "$out" "rwc  $proj/out" "vow show lists its rule on out/"
run "$V" -e 'vow.promise("stdio")' true
is "$rc" 125 "-e does not replace the untrusted project policy: still refused"
run "$V" --no-default true
is "$rc" 0 "--no-default wins over an untrusted project policy"
run "$V" -f default /bin/cat notes.txt
is "$rc:$out" "0:note" "-f wins over an untrusted project policy"
run "$V" -f readonly true
is "$rc" 0 "-f NAME wins too"

# ---- trusting ----
run "$V" trust
is "$rc:$out" "0:vow: trusted $real" "vow trust approves the .vow.lua found here"
[ -f "$STORE" ] && ok "the store is \$XDG_STATE_HOME/vow/trusted" || notok "no $STORE"
is "$(stat -c %a "$XDG_STATE_HOME/vow")" 700 "the store's directory is private (0700)"
is "$(grep -c . "$STORE")" 1 "the store has one line"
is "$(cat "$STORE")" "$(sha256sum "$real")" "the stored line is the file's sha256sum with its absolute path"

# ---- trusted: its rules apply ----
run "$V" /bin/sh -c 'echo written > out/a'
is "$rc:$(cat out/a 2>/dev/null)" "0:written" "trusted: its rule lets the payload write out/"
run "$V" /bin/sh -c 'echo written > notes.txt'
is "$rc:$(cat notes.txt)" "2:note" "trusted: the rest of the project is still read-only (default)"
run "$V" /bin/cat notes.txt
is "$rc:$out" "0:note" "trusted: reading the project works"
run "$V" show
lacks "$out" "NOT TRUSTED" "vow show has no NOT TRUSTED line once trusted"
cd sub/deeper || exit 1
run "$V" /bin/sh -c 'echo deep > ../../out/b'
is "$rc:$(cat ../../out/b 2>/dev/null)" "0:deep" "trusted: it applies from a subdirectory of the project too"
cd "$proj" || exit 1
run "$V" -f default /bin/sh -c 'echo no > out/c'
[ "$rc" != 0 ] && [ ! -e out/c ] && ok "-f wins over the trusted project policy (out/ not writable)" ||
	notok "-f default wrote out/c ($rc)"
has "$err" "Permission denied" "-f default: refused by the kernel (EACCES)"
run "$V" --no-default -v r:/usr -v r:/etc /bin/sh -c 'echo no > out/d'
[ "$rc" != 0 ] && [ ! -e out/d ] && ok "--no-default wins over the trusted project policy" ||
	notok "--no-default wrote out/d ($rc)"

# ---- changed: refused again ----
cp .vow.lua "$WORK/vow.lua.orig"
sed -i 's/writable/Writable/' .vow.lua   # one byte, in a comment
run "$V" true
is "$rc" 125 "one byte changed (in a comment): refused again"
has "$err" "vow trust" "the message says to run vow trust"
run "$V" show
has "$out" "NOT TRUSTED" "vow show: NOT TRUSTED again"
cp "$WORK/vow.lua.orig" .vow.lua
run "$V" true
is "$rc" 0 "the original content restored: trusted again (the content is what is trusted)"
touch -d '2001-01-01' .vow.lua
run "$V" true
is "$rc" 0 "a new modification time alone changes nothing"

# a payload the policy lets write the project rewrites the policy
cat > .vow.lua <<'EOF'
-- a careless policy: the whole project writable (the policy file too)
vow.include("default")
vow.unveil(vow.cwd(), "rwc")
EOF
run "$V" trust
is "$rc" 0 "a policy that makes the project writable is trusted"
run "$V" /bin/sh -c 'echo "vow.promise(\"inet\")" >> .vow.lua'
is "$rc" 0 "its payload appends to .vow.lua"
has "$(cat .vow.lua)" 'vow.promise("inet")' "the file changed"
run "$V" "$PROBE" sys socket AF_INET SOCK_STREAM 0
is "$rc" 125 "the payload's change is refused: nothing runs (125)"
lacks "$out" "ok" "the promise it added was not granted"
has "$err" "not trusted, or changed" "the message says it changed"

# a policy with a mistake is not trusted
printf 'vow.include("default")\nvow.promise("inett")\n' > .vow.lua
cp "$STORE" "$WORK/store.before"
run "$V" trust
is "$rc" 125 "vow trust of a policy with a mistake fails (125)"
has "$err" ".vow.lua:2" "the error names its line"
is "$(cat "$STORE")" "$(cat "$WORK/store.before")" "the store is unchanged"

# ---- included files are trusted with it ----
cat > inc/extra.lua <<'EOF'
vow.unveil("out", "rwc")
EOF
cat > .vow.lua <<'EOF'
vow.include("default")
vow.include("inc/extra.lua")
EOF
run "$V" true
is "$rc" 125 "a new .vow.lua with an include: untrusted"
run "$V" trust
is "$rc:$out" "0:vow: trusted $real
vow: trusted $(realpath inc/extra.lua) (included)" "vow trust approves the included file with it"
has "$(cat "$STORE")" "$(sha256sum "$(realpath inc/extra.lua)")" "the included file's hash is in the store"
has "$(cat "$STORE")" "$(sha256sum "$real")" "and the policy's"
is "$(grep -c "  $real\$" "$STORE")" 1 "the policy's old line was replaced, not kept"
run "$V" /bin/sh -c 'echo inc > out/e'
is "$rc:$(cat out/e 2>/dev/null)" "0:inc" "the included file's rule applies"
echo '-- changed' >> inc/extra.lua
run "$V" /bin/sh -c 'echo inc > out/f'
[ "$rc" = 125 ] && [ ! -e out/f ] && ok "the included file changed: refused (125), nothing ran" ||
	notok "ran with a changed include ($rc)"
has "$err" "inc/extra.lua is not trusted, or changed" "the message names the included file"
run "$V" trust
is "$rc" 0 "trusting again"
run "$V" true
is "$rc" 0 "then it runs"
# an included file the payload may write, changed by the payload
cp inc/extra.lua out/extra.lua
printf 'vow.include("default")\nvow.include("out/extra.lua")\n' > .vow.lua
run "$V" trust
is "$rc" 0 "a policy including a file in out/ (which it makes writable) is trusted"
run "$V" /bin/sh -c 'echo "vow.promise(\"inet\")" >> out/extra.lua'
is "$rc:$(tail -n 1 out/extra.lua)" '0:vow.promise("inet")' "its payload rewrites the included file"
run "$V" "$PROBE" sys socket AF_INET SOCK_STREAM 0
[ "$rc" = 125 ] && [ "$out" = "" ] && ok "the next run is refused (125): the rewritten include is not trusted" ||
	notok "ran with the payload's include ($rc: $out)"
has "$err" "out/extra.lua is not trusted, or changed" "naming the included file"

# P.load of a file is trusted along too
cat > inc/base.lua <<'EOF'
local P = require "policy"
return P.load("default"):extend{ paths = { ["out"] = "rwc" } }
EOF
cat > .vow.lua <<'EOF'
local P = require "policy"
return P.load("inc/base.lua")
EOF
run "$V" trust
has "$rc:$out" "0:" "vow trust of a policy that P.loads a file"
has "$out" "$(realpath inc/base.lua) (included)" "the P.loaded file is trusted with it"
run "$V" /bin/sh -c 'echo load > out/g'
is "$rc:$(cat out/g 2>/dev/null)" "0:load" "its rule applies"
sed -i 's/rwc/rwcx/' inc/base.lua
run "$V" true
is "$rc" 125 "the P.loaded file changed: refused"

# ---- the trust store cannot be unveiled for writing ----
mkdir -p "$WORK/elsewhere"
run "$V" --no-default -v rx:/usr -v "rwc:$WORK/elsewhere" true
is "$rc" 0 "a writable rule beside the store is fine"
run "$V" --no-default -e 'vow.unveil(os.getenv("XDG_STATE_HOME") .. "/vow", "rwc")' true
is "$rc" 125 "unveiling the store's directory rwc: refused (125)"
has "$err" "trust store" "the error says it is the trust store"
run "$V" --no-default -e 'vow.unveil(os.getenv("XDG_STATE_HOME"), "rwc")' true
is "$rc" 125 "unveiling a directory above the store rwc: refused"
has "$err" "-e:1" "the error names the policy's line"
run "$V" --no-default -v "w:$STORE" true
is "$rc" 125 "unveiling the store file itself w: refused"
run "$V" --no-default -v "rwc:$WORK" /bin/sh -c "echo x >> '$STORE'"
is "$rc" 125 "-v rwc on a directory above the store: refused"
run "$V" --no-default -v rx:/usr -v "r:$XDG_STATE_HOME" /bin/cat "$STORE"
is "$rc" 0 "reading the store is allowed"
run "$V" -f default -e 'vow.unveil("~", "rwc")' true
is "$rc" 0 "~ rwc is allowed while the store is elsewhere (\$XDG_STATE_HOME outside the home)"
# the store in the home (no XDG_STATE_HOME)
run env -u XDG_STATE_HOME "$V" -f default -e 'vow.unveil("~", "rwc")' true
is "$rc" 125 "~ rwc refused when the store is ~/.local/state/vow"
has "$err" "$HOME/.local/state/vow" "naming the store in the home"
run env -u XDG_STATE_HOME "$V" -f default -e 'vow.unveil("~/.local/state/vow/x", "rwc")' true
is "$rc" 125 "a rule beneath the store: refused"
# a trusted .vow.lua that asks for it is refused when it is applied
cat > .vow.lua <<'EOF'
vow.include("default")
vow.unveil(os.getenv("XDG_STATE_HOME"), "rwc")
EOF
"$V" trust >/dev/null 2>&1
cp "$STORE" "$WORK/store.before"
run "$V" /bin/sh -c "echo '0000  $WORK/evil' >> '$STORE'"
is "$rc" 125 "a project policy unveiling the store rwc is refused (125), even trusted"
has "$err" ".vow.lua:2" "naming the line"
is "$(cat "$STORE")" "$(cat "$WORK/store.before")" "the store is unchanged"

# no .vow.lua anywhere
mkdir -p "$WORK/plain/.git"
cd "$WORK/plain" || exit 1
run "$V" trust
is "$rc" 125 "vow trust with no .vow.lua here fails (125)"
has "$err" ".vow.lua" "saying there is none"
run "$V" /bin/cat "$proj/notes.txt"
[ "$rc" != 0 ] && ok "outside the project its policy does not apply (default: the other project unreadable)" ||
	notok "read another project's file"
exit 0
