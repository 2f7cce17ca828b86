# game: examples/game, a host that runs each mod as its own `vow lua`
# process, survives the hostile mods and keeps the honest ones playing.
. "$LIB"

game="$(dirname "$V")/examples/game"
if ! command -v cc >/dev/null; then
	skip "game: no C compiler"
	exit 0
fi
cc -O2 -Wall -Wextra -Werror -std=gnu11 -o "$WORK/host" "$game/host.c" 2>"$WORK/cc.err"
is "$?" 0 "game: the example host builds with -Wall -Wextra -Werror"
cd "$game" || exit 1
run env VOW="$V" timeout -s KILL 120 "$WORK/host" mods/greedy mods/sweeper mods/escape mods/crash \
	mods/loop mods/membomb mods/backtrack mods/mute
is "$rc" 0 "game: the host finishes the game"
results=$(printf '%s\n' "$out" | sed -n '/^results:/,$p')
has "$results" "greedy     9 coins  played all 30 ticks" "game: an honest mod (greedy) plays every tick"
has "$results" "sweeper    9 coins  played all 30 ticks" "game: the other honest mod (sweeper) too"
has "$results" "escape     6 coins  played all 30 ticks" "game: the escaping mod is contained and plays on"
has "$results" "crash      -        out at tick 3: vow lua: mod.lua:21: attempt to index a nil value" \
	"game: a crashing mod is out, with its error"
has "$results" "loop       -        out at tick 5: vow lua: instruction budget (--steps) exhausted (status 1)" \
	"game: an endless loop is ended by --steps"
has "$results" "membomb    -        out at tick 7: vow lua: memory limit (16 MiB) reached (status 1)" \
	"game: a memory bomb is ended by -M"
has "$results" "backtrack  -        out at tick 9: vow lua: CPU time limit reached" \
	"game: pattern backtracking is ended by -C"
has "$results" "(status 124)" "game: ... with status 124, past the C call"
has "$results" "mute       -        out at tick 11: no answer within 2000 ms" "game: a silent mod is ended by the host"
# what the escaping mod tried, each refused by the kernel or absent
has "$out" "needs promises \"wpath cpath\"" "game: the escaping mod's write is refused and reported"
lacks "$out" "WORKED" "game: no escape attempt worked"
has "$out" "read the server's secret" "game: the escaping mod did try to read the secret"
lacks "$out" "admin password" "game: the host's secret never reached a mod's output"
