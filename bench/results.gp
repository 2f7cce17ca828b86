# bench/results.gp: the chart of bench/RESULTS.md, from the data files
# bench/report.py writes into DIR.
#   gnuplot -e "data='DIR'; out='PNG'; term='pngcairo'" bench/results.gp
if (!exists("term")) term = "pngcairo"
if (term eq "pngcairo") {
	set terminal pngcairo size 1500,520 font "sans,10" noenhanced
} else {
	set terminal png size 1500,520 noenhanced
}
load data."/vars.gp"
set output out
set multiplot layout 1,3 title "vow and the alternatives: overhead over a bare run (medians; bench/RESULTS.md)"

set style fill solid 0.8 border -1
set grid ytics
unset key

# 1: start-up overhead over bare /bin/true, ms, log scale (firejail is tens
# of times the rest); bars clipped at 0.01 ms from below
set title "start-up of /bin/true: ms over bare (log scale)"
set boxwidth 0.6
set logscale y
set yrange [0.01:200]
set xtics rotate by -30 nomirror
set ylabel "ms"
clip(x) = x > 0.01 ? x : 0.01
plot data."/startup.dat" using 0:(clip($2)):5:xtic(1) with boxes lc rgb variable, \
     ""                  using 0:(clip($2)):(clip($3)):(clip($4)) with yerrorbars lc rgb "black" pt 7 ps 0.3, \
     ""                  using 0:(clip($2)):(sprintf("%.2f", $2)) with labels offset 0,0.8

# 2 and 3: per syscall, ns per call over bare, by tool
unset logscale y
set yrange [*:*]
set xtics norotate
set ylabel "ns per call"
set xzeroaxis
set style data histogram
set style histogram clustered gap 1
set key top left autotitle columnheader
set offsets 0, 0, graph 0.3, 0
lbl(x) = abs(x) < 0.5 ? "0" : sprintf("%.0f", x)
bx(i) = $0 + (i - 2 - (ntools - 1) / 2.0) / (ntools + 1.0)
do for [part in "1 2"] {
	if (part eq "1") {
		set title "per syscall: ns over bare (single calls)"
	} else {
		set title "per syscall: ns over bare (pairs; minseal's open pays Landlock)"
	}
	plot for [i=2:ntools+1] data."/syscalls-".part.".dat" using i:xtic(1) lc rgb word(colours, i-1), \
	     for [i=2:ntools+1] "" using (bx(i)):(column(i) >= 0 ? column(i) : NaN):(lbl(column(i))) with labels offset 0,0.7 notitle, \
	     for [i=2:ntools+1] "" using (bx(i)):(column(i) < 0 ? column(i) : NaN):(lbl(column(i))) with labels offset 0,-0.7 notitle
}
unset multiplot
