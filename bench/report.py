"""bench/report.py DATA RESULTS.md: turn bench/run's raw figures into the
report (Markdown) and the chart's data files (DATA/startup.dat,
DATA/syscalls.dat, drawn by bench/results.gp).  Standard library only."""
import csv
import glob
import json
import os
import re
import sys

data, out = sys.argv[1], sys.argv[2]


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def med(xs):
    return pct(xs, 0.5)


def summary(xs):
    return {"n": len(xs), "med": med(xs), "p25": pct(xs, 0.25), "p75": pct(xs, 0.75),
            "min": min(xs), "max": max(xs)}


def hyperfine(prefix):
    """times per command name, pooled over the rounds DATA/PREFIX-*.json"""
    times = {}
    order = []
    for path in sorted(glob.glob(os.path.join(data, prefix + "-*.json"))):
        with open(path) as f:
            for res in json.load(f)["results"]:
                name = res["command"]
                if name not in times:
                    times[name] = []
                    order.append(name)
                times[name].extend(res["times"])
    return order, times


machine = {}
with open(os.path.join(data, "machine.txt")) as f:
    for line in f:
        k, _, v = line.rstrip("\n").partition("=")
        machine[k] = v

na = {}
with open(os.path.join(data, "na.txt")) as f:
    for line in f:
        k, _, v = line.rstrip("\n").partition("|")
        if k:
            na[k] = v

lines = []
w = lines.append


def verdict(ok):
    if ok is None:
        return "n/a"
    return "**met**" if ok else "**not met**"


def fx(x, d=2):
    return "n/a" if x is None or x != x else f"{x:.{d}f}"


# --- start-up ---------------------------------------------------------------------
su_order, su_times = hyperfine("startup")
su = {k: summary([t * 1000 for t in v]) for k, v in su_times.items()}
bare = su["bare"]["med"]
floor = su["minseal"]["med"]
su_cmd = {
    "bare": "`/bin/true`",
    "minseal": "`minseal /bin/true` (the floor: one exec, no_new_privs, one Landlock rule, a 4-instruction filter)",
    "vow-stdio": "`vow --no-default -p stdio /bin/true`",
    "vow-default": "`vow /bin/true` (the built-in default policy, in a project)",
    "bwrap": "`bwrap --ro-bind / / --unshare-all /bin/true`",
    "firejail": "`firejail --quiet --noprofile /bin/true`",
    "firejail-seccomp": "`firejail --quiet --noprofile --seccomp /bin/true`",
}
all_su = ["bare", "minseal", "vow-stdio", "vow-default", "bwrap", "firejail", "firejail-seccomp"]

# --- per syscall ---------------------------------------------------------------------
sc = {}
sc_tools = []
kinds = []
with open(os.path.join(data, "syscalls.csv")) as f:
    for row in csv.DictReader(f):
        t, k = row["config"], row["kind"]
        if t not in sc_tools:
            sc_tools.append(t)
        if k not in kinds:
            kinds.append(k)
        sc.setdefault((t, k), []).append(float(row["ns"]))
scs = {key: summary(v) for key, v in sc.items()}
sc_rounds = max(len(v) for v in sc.values())
sc_label = {"bare": "bare", "minseal": "minseal", "vow": "vow `-p 'stdio rpath'`",
            "bwrap": "bwrap `--dev /dev`", "firejail-seccomp": "firejail `--seccomp`"}
hot = ["getppid", "read"]
checked = [k for k in kinds if k not in hot]

# --- workloads -------------------------------------------------------------------------
wl = {}
for name in ("python", "make", "lua"):
    order, times = hyperfine(name)
    wl[name] = (order, {k: summary(v) for k, v in times.items()})
wl_what = {
    "python": ("`python3 textproc.py` (json and re over 25,000 generated records)",
               {"bare": "bare", "vow": "`vow -f python --`", "bwrap": "bwrap (project bound writable)",
                "learn": "`vow learn -o /dev/null --`", "strace": "`strace -f -o /dev/null`"}),
    "make": ("`make -s -B -C cproj` (8 C files, rebuilt from scratch each run)",
             {"bare": "bare", "vow": "`vow -f build --`", "bwrap": "bwrap (project bound writable)",
              "learn": "`vow learn -o /dev/null --`", "strace": "`strace -f -o /dev/null`"}),
    "lua": ("`lua5.4 cpu.lua` against `vow lua cpu.lua` (sieve, sort, strings, closures)",
            {"bare": "`lua5.4`", "vow": "`vow lua`", "vow-steps": "`vow lua --steps 1000000000`"}),
}

# --- vow's own ---------------------------------------------------------------------------
bpf = []
with open(os.path.join(data, "bpf.csv")) as f:
    bpf = list(csv.DictReader(f))

TIMING = re.compile(r"config stage ([\d.]+) ms, Landlock ruleset ([\d.]+) ms \((\d+) path rules?\), "
                    r"seccomp filter ([\d.]+) ms \((\d+) BPF instructions?\), in all ([\d.]+) ms")
timing = {}
timing_raw = {}
for pol in ("stdio", "default"):
    rows = []
    raw = ""
    with open(os.path.join(data, f"timing-{pol}.txt")) as f:
        for line in f:
            m = TIMING.search(line)
            if m:
                rows.append([float(x) for x in m.groups()])
            elif "timing" in line and not raw:
                raw = line.strip()
    timing[pol] = rows
    timing_raw[pol] = raw

# --- libvow ------------------------------------------------------------------------------
# kind: what one call does, and its bare counterpart (None: it is one)
lv_what = {
    "fork": ("`fork()` a child that runs the function, `_exit(0)`, `waitpid`", None),
    "isolate-stdio": ("`vow_isolate` of the same function, promises `stdio`", "fork"),
    "isolate-stdio-timeout": ("the same with `vow_policy_limit(p, \"timeout\", \"10\")`", "fork"),
    "posix_spawn": ("`posix_spawn` of /bin/true, `waitpid`", None),
    "spawn-stdio": ("`vow_spawn` of /bin/true, promises `stdio rpath`, then `vow_wait`", "posix_spawn"),
}
lv = {}
lv_path = os.path.join(data, "libvow.csv")
if os.path.exists(lv_path):  # (a bench/data/ from before libvowbench has none)
    with open(lv_path) as f:
        for row in csv.DictReader(f):
            lv.setdefault(row["kind"], []).append(float(row["us"]))
lvs = {k: summary(v) for k, v in lv.items()}

# --- the report --------------------------------------------------------------------------
w("# vow benchmarks")
w("")
w(f"Written by `make bench` (bench/run) on {machine.get('date')}; every figure comes from one run on "
  "the machine below, so compare them with each other, not with another machine's. "
  "Medians, with the spread over the repeated runs; × bare is the median over bare's median.")
w("")
w("![start-up and per-syscall overhead by tool](results.png)")
w("")
w("## Machine")
w("")
w("| | |")
w("|---|---|")
for k, label in (("cpu", "CPU"), ("cores", "cores"), ("memory", "memory"), ("kernel", "kernel"),
                 ("debian", "Debian"), ("os", "OS"), ("vow", "vow"), ("commit", "commit"),
                 ("date", "date"), ("load", "load average (1, 5, 15 min) at start; at end"),
                 ("hyperfine", "hyperfine"), ("bwrap", "bubblewrap"),
                 ("firejail", "firejail"), ("python", "python"), ("lua", "lua"), ("cc", "cc"),
                 ("rounds", "repeats"), ("elapsed", "bench/run's measuring took")):
    v = machine.get(k, "")
    if k == "load":
        v = f"{machine.get('load_start', '?')}; {machine.get('load_end', '?')}"
    if k == "elapsed":
        v = f"{v} s"
    w(f"| {label} | {v} |")
w("")

# goals
w("## Goals (DESIGN.md, \"Performance goals\")")
w("")
w("| goal | figure | |")
w("|---|---|---|")
vs, vd = su["vow-stdio"]["med"], su["vow-default"]["med"]
w(f"| start-up, `-p stdio` within 1.25x of minseal | {vs / floor:.2f}x ({vs:.2f} ms against {floor:.2f} ms) "
  f"| {verdict(vs / floor <= 1.25)} |")
w(f"| start-up, default policy within 1.5x of minseal | {vd / floor:.2f}x ({vd:.2f} ms against {floor:.2f} ms) "
  f"| {verdict(vd / floor <= 1.5)} |")
if "bwrap" in su:
    b = su["bwrap"]["med"]
    w(f"| start-up always below bwrap | `-p stdio` {vs:.2f} ms, default {vd:.2f} ms, bwrap {b:.2f} ms "
      f"| {verdict(max(vs, vd) < b)} |")
else:
    w(f"| start-up always below bwrap | bwrap could not run: {na.get('bwrap', '')} | n/a |")
fjn = [k for k in ("firejail", "firejail-seccomp") if k in su]
if fjn:
    fj = min(su[k]["med"] for k in fjn)
    w(f"| start-up far below firejail | firejail {fj:.2f} ms is {fj / max(vs, vd):.1f}x vow's slower start-up "
      f"| {verdict(fj / max(vs, vd) >= 5)} (read as at least 5x) |")
for k in hot:
    v, f0 = scs[("vow", k)]["med"], scs[("minseal", k)]["med"]
    w(f"| hot syscall `{k}` within 5% of minseal | {v / f0:.3f}x ({v:.1f} ns against {f0:.1f} ns) "
      f"| {verdict(v / f0 <= 1.05)} |")
for k in checked:
    v, f0 = scs[("vow", k)]["med"], scs[("minseal", k)]["med"]
    w(f"| argument-checked `{k}`: a few ns over the floor | {v - f0:+.1f} ns ({v:.1f} against {f0:.1f}) "
      f"| {verdict(v - f0 <= 10)} (read as at most 10 ns) |")
for name, runs in (("python", ["vow"]), ("make", ["vow"]), ("lua", ["vow", "vow-steps"])):
    order, s = wl[name]
    for r in runs:
        ratio = s[r]["med"] / s["bare"]["med"]
        w(f"| workload {name}, {wl_what[name][1][r]} within 2% of bare | {ratio:.3f}x "
          f"| {verdict(ratio <= 1.02)} |")
w("")

# start-up
w("## Start-up: `/bin/true` under each")
w("")
w(f"hyperfine, no shell (`-N`), 10 warm-up runs a round, {su['bare']['n']} runs each pooled over "
  f"{machine.get('su_rounds')} rounds of {machine.get('su_runs')}, run from a temporary "
  "project directory (with .git) so that the default policy has a project.")
w("")
w("| run | median ms | IQR ms | min–max ms | over bare ms | × bare | × minseal |")
w("|---|---:|---:|---:|---:|---:|---:|")
for k in all_su:
    if k not in su:
        w(f"| {su_cmd[k]} | n/a: {na.get(k, 'not run')} | | | | | |")
        continue
    s = su[k]
    w(f"| {su_cmd[k]} | {s['med']:.2f} | {s['p25']:.2f}–{s['p75']:.2f} | {s['min']:.2f}–{s['max']:.2f} "
      f"| {s['med'] - bare:+.2f} | {s['med'] / bare:.2f} | {s['med'] / floor:.2f} |")
w("")

# per syscall
w("## Per syscall: nanoseconds per call (bench/tools/sysbench.c)")
w("")
w(f"Median of {sc_rounds} runs of sysbench under each (the configurations take turns), "
  "min–max in brackets; open+close and mmap+munmap are timed as pairs. vow runs with "
  "`--no-default -p 'stdio rpath'`: no path rules, so no Landlock; minseal has one Landlock rule, "
  "which every open walks. bwrap gets `--dev /dev` here (its `--ro-bind / /` leaves /dev unusable: "
  "sysbench checks that every call it times works).")
w("")
present = [t for t in ["bare", "minseal", "vow", "bwrap", "firejail-seccomp"] if t in sc_tools]
w("| ns per call | " + " | ".join(sc_label[t] for t in present) + " |")
w("|---|" + "---:|" * len(present))
for k in kinds:
    cells = []
    for t in present:
        s = scs[(t, k)]
        cells.append(f"{s['med']:.1f} [{s['min']:.1f}–{s['max']:.1f}]")
    w(f"| {k} | " + " | ".join(cells) + " |")
w("")
others = [t for t in present if t not in ("bare",)]
w("| ratio | " + " | ".join(f"{sc_label[t]} × bare" for t in others)
  + " | " + " | ".join(f"{sc_label[t]} × minseal" for t in others if t != "minseal") + " |")
w("|---|" + "---:|" * (2 * len(others) - 1))
for k in kinds:
    b, f0 = scs[("bare", k)]["med"], scs[("minseal", k)]["med"]
    cells = [f"{scs[(t, k)]['med'] / b:.3f}" for t in others]
    cells += [f"{scs[(t, k)]['med'] / f0:.3f}" for t in others if t != "minseal"]
    w(f"| {k} | " + " | ".join(cells) + " |")
w("")
w("Under vow, getppid and read are allowed outright (the kernel's seccomp cache decides them without "
  "running the filter); fcntl, open and mmap are allowed only with certain arguments, so the filter runs.")
w("")

# workloads
w("## Workloads")
w("")
w(f"hyperfine, no shell, {machine.get('wl_rounds')} rounds of {machine.get('wl_runs')} run(s) of each, "
  "the runs taking turns (one warm-up run first), pooled, from the temporary project directory (vow's start-up is included).")
w("")
w("| workload | run | median s | IQR s | min–max s | over bare ms | × bare |")
w("|---|---|---:|---:|---:|---:|---:|")
for name in ("python", "make", "lua"):
    order, s = wl[name]
    what, labels = wl_what[name]
    for r in order:
        x = s[r]
        w(f"| {what if r == order[0] else ''} | {labels.get(r, r)} | {x['med']:.3f} "
          f"| {x['p25']:.3f}–{x['p75']:.3f} | {x['min']:.3f}–{x['max']:.3f} "
          f"| {(x['med'] - s['bare']['med']) * 1000:+.1f} | {x['med'] / s['bare']['med']:.3f} |")
w("")
# vow learn against strace: both observe every process of the run
for name in ("python", "make"):
    order, s = wl[name]
    if "learn" in s and "strace" in s:
        b, l, t = s["bare"]["med"], s["learn"]["med"], s["strace"]["med"]
        w(f"- `vow learn` on {name}: {l / b:.2f}x bare, against {t / b:.2f}x for `strace -f`: "
          f"its overhead is {(l - b) / max(t - b, 1e-9) * 100:.0f}% of strace's.")
w("")

# vow's own
w("## vow's own figures")
w("")
w("Size of the seccomp program (what `vow show` prints on its promises line):")
w("")
w("| policy | BPF instructions | from | |")
w("|---|---:|---|---|")
for row in bpf:
    w(f"| {row['policy']} | {row['instructions'] or 'n/a'} | `{row['command']}` | {row['note']} |")
w("")
n_t = len(timing["stdio"])
w(f"Where vow's start-up goes, from its own `--timing` switch (median of {n_t} runs, min–max in brackets, ms):")
w("")
w("| component | `--no-default -p stdio` | default policy |")
w("|---|---:|---:|")
comps = [("config stage (Lua policy, resolving it)", 0), ("Landlock ruleset", 1), ("seccomp filter", 3),
         ("in all, before the payload starts", 5)]
counts = [("path rules", 2), ("BPF instructions", 4)]
for label, i in comps:
    cells = []
    for pol in ("stdio", "default"):
        rows = timing[pol]
        if rows:
            xs = [r[i] for r in rows]
            cells.append(f"{med(xs):.2f} [{min(xs):.2f}–{max(xs):.2f}]")
        else:
            cells.append("n/a")
    w(f"| {label} | " + " | ".join(cells) + " |")
cells = []
for pol, key in (("stdio", "vow-stdio"), ("default", "vow-default")):
    rows = timing[pol]
    cells.append(f"{su[key]['med'] - bare - med([r[5] for r in rows]):.2f}" if rows else "n/a")
w("| not covered by `--timing`: start-up over bare (hyperfine) minus \"in all\" "
  "(vow's own exec, loading and exit, the supervisor's fork and wait) | " + " | ".join(cells) + " |")
for label, i in counts:
    cells = [f"{int(med([r[i] for r in timing[p]]))}" if timing[p] else "n/a" for p in ("stdio", "default")]
    w(f"| {label} | " + " | ".join(cells) + " |")
for pol in ("stdio", "default"):
    if not timing[pol]:
        w("")
        w(f"(`--timing` printed no line this report reads for {pol}: {timing_raw[pol] or 'nothing'})")
w("")

# libvow
if lvs:
    w("## libvow: its calls that run a child, beside the bare calls")
    w("")
    w(f"From bench/tools/libvowbench.c, linked with build/libvow.a: µs per call, the mean of "
      f"{machine.get('lv_iters')} calls of each kind in each of {machine.get('lv_rounds')} rounds "
      "(a fresh process a round, the kinds taking turns call by call, a few untimed calls first); "
      "median over the rounds, min–max of the rounds' means. The function writes an int into shared "
      "memory; every call's result (that int, the outcome, the exit status) is checked, so a call "
      "that failed would end the run instead of being timed. vow_seal is one-way: not timed.")
    w("")
    w("| kind | one call | median µs | min–max µs | bare counterpart | over it µs | × it |")
    w("|---|---|---:|---:|---|---:|---:|")
    for k, (what, base) in lv_what.items():
        if k not in lvs:
            w(f"| {k} | {what} | n/a | | | | |")
            continue
        x = lvs[k]
        b = lvs.get(base or k)
        over = f"{x['med'] - b['med']:+.1f}" if b else "n/a"
        ratio = f"{x['med'] / b['med']:.2f}" if b else "n/a"
        w(f"| {k} | {what} | {x['med']:.1f} | {x['min']:.1f}–{x['max']:.1f} | {base or '(bare)'} "
          f"| {over} | {ratio} |")
    w("")
    w("fork makes one process; vow_isolate forks an anchor, which resolves the policy and builds the "
      "seccomp filter (and the Landlock ruleset, when the policy has path rules), then forks vow's "
      "supervisor, which forks the sealed child: three processes instead of one, and a seccomp listener "
      "the supervisor watches so that it can name a refused call. The timeout is one more timer in the "
      "supervisor. vow_spawn is the same three processes around the exec, against posix_spawn's one, "
      "and the supervisor answers the command's execve through that listener (the policy does not "
      "promise exec).")
    w("")

# not measured
w("## Not measured")
w("")
if na:
    for k, v in na.items():
        w(f"- {k}: n/a, {v}")
else:
    w("Everything above ran: bubblewrap and firejail both work on this machine.")
w("")
w("Raw figures (hyperfine JSON, CSV) are in bench/data/ after a run; they are not committed.")

with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")

# --- the chart's data ------------------------------------------------------------------------
colour = {"minseal": "#999999", "vow-stdio": "#4477aa", "vow-default": "#223d66", "vow": "#4477aa",
          "bwrap": "#ee8833", "firejail": "#cc3311", "firejail-seccomp": "#882211"}
with open(os.path.join(data, "startup.dat"), "w") as f:
    f.write("# tool overhead_ms p25 p75 (over bare's median) colour\n")
    for k in all_su[1:]:
        if k in su:
            s = su[k]
            f.write(f"{k} {s['med'] - bare:.4f} {s['p25'] - bare:.4f} {s['p75'] - bare:.4f} "
                    f"{int(colour[k][1:], 16)}\n")
for part, ks in (("1", [k for k in kinds if k in ("getppid", "read", "fcntl")]),
                 ("2", [k for k in kinds if k not in ("getppid", "read", "fcntl")])):
    with open(os.path.join(data, f"syscalls-{part}.dat"), "w") as f:
        f.write("kind " + " ".join(others) + "\n")
        for k in ks:
            b = scs[("bare", k)]["med"]
            f.write(k + " " + " ".join(f"{scs[(t, k)]['med'] - b:.2f}" for t in others) + "\n")
with open(os.path.join(data, "vars.gp"), "w") as f:
    f.write(f"ntools = {len(others)}\n")
    f.write('colours = "' + " ".join(colour[t] for t in others) + '"\n')
