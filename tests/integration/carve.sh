# carve: P.carve(DIR, "rwc", {".git/hooks", ".env", "secret/*.key"}) —
# DIR writable except those paths, in rules Landlock can hold.  What is
# beside the excluded paths works, they are refused by the kernel (with
# their positive twins bare), DIR itself takes no new entries (the
# documented limitation), symlinks lead nowhere, vow show explains.
# As root and as a user.
. "$LIB"

export HOME="$WORK/home"
mkdir -p "$HOME"
T="$WORK/tree"
mkdir -p "$T/.git/hooks" "$T/src" "$T/secret" "$T/docs"
cd "$T" || exit 1
echo "ref: refs/heads/main" > .git/HEAD
echo "#!/bin/sh" > .git/hooks/pre-commit.sample
echo "int x;" > src/main.c
echo "KEY=env-secret" > .env
echo "a-key" > secret/a.key
echo "b-key" > secret/b.key
echo "other" > secret/other.txt
echo "readme" > README
ln -s .env envlink
ln -s ../.env src/uplink

CARVE="P.carve(\"$T\", \"rwc\", {\".git/hooks\", \".env\", \"secret/*.key\"})"
E="local P = require \"policy\"; return P.new{ P.system(\"rx\"), $CARVE }"
cat > "$WORK/carve.lua" <<EOF
-- the tree writable, except hooks, .env and keys
local P = require "policy"
return P.new{
  P.system("rx"),
  $CARVE,
}
EOF
# vc ARGS...: run under the carve-out given with -e
vc() { run "$V" --no-default -e "$E" "$@"; }
# vf ARGS...: the same policy from a file with -f
vf() { run "$V" -f "$WORK/carve.lua" "$@"; }

# ---- the positive twins, without vow ----
run /bin/cat .env secret/a.key secret/b.key envlink src/uplink
is "$rc:$out" "0:KEY=env-secret
a-key
b-key
KEY=env-secret
KEY=env-secret" "without vow .env, the keys and the links to .env are readable"
run /bin/sh -c 'echo bare > .git/hooks/bare && echo bare > top-bare && cat .git/hooks/bare top-bare'
is "$rc:$out" "0:bare
bare" "without vow .git/hooks and the top directory take new files"
rm -f .git/hooks/bare top-bare

# ---- beside the excluded paths: allowed ----
vc /bin/sh -c 'echo "int y;" >> src/main.c && cat src/main.c'
is "$rc:$out" "0:int x;
int y;" "-e: an existing file in an allowed directory is written"
vc /bin/sh -c 'echo new > src/new.c && mkdir src/sub && echo deep > src/sub/deep.c && cat src/new.c src/sub/deep.c'
is "$rc:$out" "0:new
deep" "-e: new files and directories are made in an allowed directory"
vc /bin/rm src/new.c
is "$rc" 0 "-e: a file in an allowed directory is removed"
[ -e src/new.c ] && notok "src/new.c is still there" || ok "-e: it is gone"
vc /bin/sh -c 'echo more >> README && cat README'
is "$rc:$out" "0:readme
more" "-e: an existing file at the top is written"
vc /bin/cat secret/other.txt
is "$rc:$out" "0:other" "-e: secret/other.txt (beside the keys) is readable"
vc /bin/sh -c 'echo changed > secret/other.txt && cat secret/other.txt'
is "$rc:$out" "0:changed" "-e: and writable"
vc /bin/cat .git/HEAD
is "$rc:$out" "0:ref: refs/heads/main" "-e: .git/HEAD (beside hooks) is readable"
vc /bin/ls docs src
is "$rc" 0 "-e: allowed directories are listed"
vf /bin/sh -c 'echo file > docs/f.txt && cat docs/f.txt'
is "$rc:$out" "0:file" "-f: the same policy from a file: a new file in docs/"

# ---- the excluded paths: refused by the kernel ----
vc /bin/sh -c 'echo evil > .git/hooks/x'
[ "$rc" != 0 ] && [ ! -e .git/hooks/x ] && ok "-e: .git/hooks/x cannot be made" || notok "-e: .git/hooks/x made ($rc)"
has "$err" "cannot create .git/hooks/x: Permission denied" "-e: refused with EACCES"
vc /bin/sh -c 'echo evil >> .git/hooks/pre-commit.sample'
is "$rc:$(cat .git/hooks/pre-commit.sample)" "2:#!/bin/sh" "-e: an existing hook cannot be changed, it is unchanged"
vf /bin/sh -c 'echo evil > .git/hooks/x'
[ "$rc" != 0 ] && [ ! -e .git/hooks/x ] && ok "-f: .git/hooks/x cannot be made" || notok "-f: .git/hooks/x made ($rc)"
vc /bin/cat .env
is "$rc:$out" "1:" "-e: .env cannot be read"
has "$err" ".env: Permission denied" "-e: .env refused with EACCES"
vf /bin/cat .env
is "$rc:$out" "1:" "-f: .env cannot be read"
vc /bin/sh -c 'echo KEY=evil > .env'
is "$(cat .env)" "KEY=env-secret" "-e: .env cannot be overwritten, it is unchanged"
vc /bin/cat secret/a.key
is "$rc:$out" "1:" "-e: secret/a.key cannot be read"
has "$err" "secret/a.key: Permission denied" "-e: refused with EACCES"
vc /bin/cat secret/b.key
is "$rc:$out" "1:" "-e: secret/b.key (the same glob) cannot be read"
vf /bin/cat secret/a.key
has "$rc:$err" "1:" "-f: secret/a.key cannot be read"
has "$err" "Permission denied" "-f: refused with EACCES"

# ---- the documented limitation: no new entries directly in DIR ----
vc /bin/sh -c 'echo x > newtop'
[ "$rc" != 0 ] && [ ! -e newtop ] && ok "-e: a new file directly in DIR is refused (the documented limitation)" ||
	notok "-e: newtop made ($rc)"
has "$err" "Permission denied" "-e: with EACCES"
vc /bin/mkdir newdir
[ "$rc" != 0 ] && [ ! -e newdir ] && ok "-e: a new directory directly in DIR is refused" || notok "-e: newdir made"
vc /bin/rm README
[ "$rc" != 0 ] && [ -e README ] && ok "-e: an entry directly in DIR cannot be removed" || notok "-e: README removed"
vc /bin/sh -c 'echo x > secret/c.txt'
[ "$rc" != 0 ] && [ ! -e secret/c.txt ] && ok "-e: nor in secret/ (list-only, it holds excluded files)" ||
	notok "-e: secret/c.txt made"
vc /bin/sh -c 'echo x > .git/newfile'
[ "$rc" != 0 ] && [ ! -e .git/newfile ] && ok "-e: nor in .git/ (list-only, it holds hooks)" || notok "-e: .git/newfile made"
vc /bin/mv .env src/moved
[ "$rc" != 0 ] && [ -e .env ] && [ ! -e src/moved ] && ok "-e: .env cannot be moved into an allowed directory" ||
	notok "-e: .env moved ($rc)"
vc /bin/mv secret/a.key secret/a.txt
[ "$rc" != 0 ] && [ -e secret/a.key ] && ok "-e: a key cannot be renamed out of its pattern" || notok "-e: a.key renamed"
vc /bin/ln .env src/hard
[ "$rc" != 0 ] && [ ! -e src/hard ] && ok "-e: .env cannot be hard-linked into an allowed directory" ||
	notok "-e: hard link made ($rc)"
vc /bin/ls -a
has "$out" ".env" "-e: excluded names can still be listed (l), as documented"

# ---- symlinks give no access ----
vc /bin/cat envlink
is "$rc:$out" "1:" "-e: a symlink planted in DIR pointing at .env gives nothing"
has "$err" "envlink: Permission denied" "-e: refused with EACCES"
vc /bin/cat src/uplink
is "$rc:$out" "1:" "-e: a symlink in an allowed directory pointing at .env gives nothing"
vc /bin/sh -c 'ln -s ../secret/a.key src/keylink && cat src/keylink'
[ "$rc" != 0 ] && ok "-e: a symlink the payload plants to a key gives nothing" || notok "-e: read the key through a new link"
lacks "$out" "a-key" "-e: nothing of the key came out"
vc /bin/sh -c 'echo KEY=evil > envlink'
is "$(cat .env)" "KEY=env-secret" "-e: writing through the link leaves .env unchanged"

# ---- vow show explains ----
run "$V" show --no-default -e "$E"
is "$rc" 0 "vow show with the carve-out"
has "$out" "carve-out: $T:rwc except .git/hooks, .env, secret/*.key" "vow show prints the carve-out: line"
has "$out" "kept out: " "it lists what is kept out"
for p in .git/hooks .env secret/a.key secret/b.key; do
	has "$out" "$T/$p" "kept out or listed: $p"
done
has "$out" "get only l (list): nothing can be created or removed directly in them" "it states the limitation"
has "$out" "l    $T  " "DIR itself gets only l"
has "$out" "rwc  $T/src  " "src gets rwc"
lacks "$out" "$T/.env " "no rule names .env"
has "$out" "symlinks in $T" "it notes the symlinks left out"
run "$V" show -f "$WORK/carve.lua"
has "$out" "carve-out: $T:rwc" "vow show -f FILE prints it too"
has "$out" "($WORK/carve.lua:5)" "naming the policy's line"

# ---- mistakes ----
run "$V" --no-default -e "local P = require 'policy'; local c = P.carve('$WORK/nope', 'rwc', {'.env'}); return c" true
is "$rc" 125 "carving a missing directory: 125"
has "$err" "-e:1: P.carve: $WORK/nope does not exist" "naming the line and the directory"
run "$V" --no-default -e "local P = require 'policy'; local c = P.carve('$T', 'rwc', {'../x'}); return c" true
is "$rc" 125 "'..' in a carve-out: 125"
run "$V" --no-default -e "local P = require 'policy'; local c = P.carve('$T', 'rwc', {}); return c" true
is "$rc" 125 "a carve-out with nothing to keep out: 125"
run "$V" --no-default -e "local P = require 'policy'; local c = P.carve('$T', 'rwq', {'.env'}); return c" true
is "$rc" 125 "a carve-out with an unknown letter: 125"
has "$err" "-e:1: P.carve: " "naming the line"
has "$err" "rwq" "and the letters"
exit 0
