# show: the resolved policy for a person, and as Lua that loads back.
. "$LIB"

printf 'vow.limit{ memory = "512M", timeout = 2.5 }\nvow.env.clear()\nvow.env.keep{"PATH"}\nvow.env.set("GREETING", "hello \\"you\\"")\nvow.nice()\n' > p.lua
run "$V" show -f ./p.lua -P 9
is "$rc" 0 "vow show exits 0"
has "$out" "policy from: ./p.lua" "show names the sources"
has "$out" "memory   512M     address space per process                           (./p.lua:1)" "show: a limit with its source"
has "$out" "procs    9        processes and threads alive in the sandbox at once  (command line (-P 9))" "show: a flag with its source"
has "$out" "timeout  2500ms" "show: the wall clock"
has "$out" "clear everything" "show: env clear"
has "$out" 'set GREETING=hello "you"' "show: env set"
has "$out" "priority: lowest CPU and I/O priority  (./p.lua:5)" "show: nice"
has "$out" "BPF instructions" "show: the filter size"

run "$V" show --lua -f ./p.lua -P 9
first="$out"
printf '%s\n' "$first" > roundtrip.lua
run "$V" show --lua --no-default -f ./roundtrip.lua
is "$out" "$first" "show --lua loads back to the same policy"
has "$first" 'vow.env.set("GREETING", "hello \"you\"")' "show --lua quotes values"

# show runs nothing
rm -f marker
run "$V" show -- sh -c 'touch marker'
[ -e marker ] && notok "show ran the command" || ok "show runs nothing"
run "$V" show -e 'vow.limit{ cpu = 2 }' -- sh -c 'x'
has "$out" "cpu      2s" "show with a command still resolves the policy"
run "$V" --lua true
is "$rc:$err" "125:vow: --lua goes with vow show" "--lua outside show is refused"
