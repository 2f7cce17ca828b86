#!/bin/sh
# bench/syscalls.sh: nanoseconds per syscall kind, bare, under the floor
# (bench/tools/minseal.c: any filter at all moves syscalls to the
# kernel's slower entry path) and under vow, medians of RUNS runs side by
# side with ratios.  Not a test: it prints figures and judges nothing.
#   sh bench/syscalls.sh [RUNS] [ITERATIONS]
set -eu
runs=${1:-7}
iters=${2:-1000000}
top=$(cd "$(dirname "$0")/.." && pwd)
tools=$top/bench/tools
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/sysbench" "$tools/sysbench.c"
cc -O2 -o "$out/minseal" "$tools/minseal.c"
vow=$top/vow

# config name, then the command prefix
set -- \
	"bare|" \
	"minseal|$out/minseal" \
	"vow-baseline|$vow --no-default -q" \
	"vow-stdio-rpath|$vow --no-default -q -p stdio -p rpath"

for cfg in "$@"; do
	name=${cfg%%|*}
	cmd=${cfg#*|}
	i=0
	while [ $i -lt "$runs" ]; do
		# shellcheck disable=SC2086
		$cmd "$out/sysbench" "$iters" | sed "s/^/$name /"
		i=$((i + 1))
	done
done > "$out/raw"

# median per (config, kind), then the table with ratios to bare and minseal
sort -k1,1 -k2,2 -k3,3n "$out/raw" | awk '
	{ key = $1 " " $2; v[key, ++n[key]] = $3; cfg[$1] = 1; kind[$2] = 1 }
	END {
		for (k in n) { m = n[k]; med[k] = (m % 2) ? v[k, (m + 1) / 2] : (v[k, m / 2] + v[k, m / 2 + 1]) / 2 }
		split("bare minseal vow-baseline vow-stdio-rpath", order, " ")
		split("getppid read open+close mmap+munmap fcntl", kinds, " ")
		printf "%-13s", "ns/call"
		for (c = 1; c <= 4; c++) printf " %16s", order[c]
		printf " %12s %12s\n", "stdio/bare", "stdio/floor"
		for (j = 1; j <= 5; j++) {
			k = kinds[j]; printf "%-13s", k
			for (c = 1; c <= 4; c++) printf " %16.1f", med[order[c] " " k]
			printf " %12.3f %12.3f\n", med["vow-stdio-rpath " k] / med["bare " k], med["vow-stdio-rpath " k] / med["minseal " k]
		}
	}'
echo "(medians of $runs runs of $iters calls; open+close and mmap+munmap use a tenth as many)"
