#!/usr/bin/env python3
"""report.py - tables, Markdown and plot for bench/run-all.sh.

    report.py --work DIR [--plot] [--stat median|mean|min]

Reads DIR/real.out, DIR/ours.out, DIR/mpi.out (key=value lines, each
prefixed with step=NAME by run-all.sh) and DIR/meta.txt.  Prints the text
tables (run-all.sh saves them as table.txt) and writes DIR/results.md (a
section for docs/performance.md).  With --plot also DIR/pingpong.dat,
DIR/plot.gp and, through gnuplot, DIR/performance-rtt.png.

Python 3 standard library only.
"""
import argparse
import os
import re
import subprocess
import sys

SIDES = ("real", "ours", "mpi")
ROUTES = ("daemon", "direct", "oneside", "default")
ENC_TITLE = {"default": "PvmDataDefault", "raw": "PvmDataRaw", "inplace": "PvmDataInPlace"}
ROUTE_TITLE = {
    "daemon": "daemon",
    "direct": "direct",
    "oneside": "one-side",
    "default": "default",
}


# ------------------------------------------------------------------ parsing
def parse_line(line):
    kv = {}
    for tok in line.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            kv[k] = v
    return kv


def load(work):
    data = {}
    for side in SIDES:
        path = os.path.join(work, side + ".out")
        rows = []
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    line = line.strip()
                    if line and not line.startswith("#"):
                        rows.append(parse_line(line))
        data[side] = rows
    meta = {}
    versions = []
    path = os.path.join(work, "meta.txt")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("#"):
                    versions.append(line[1:].strip())
                else:
                    m = re.match(r"^(\w+)=(.*)$", line)
                    if m:
                        meta[m.group(1)] = m.group(2)
    return data, meta, versions


class Side:
    """Results of one side: lookups that return a number, 'error' or None."""

    def __init__(self, rows, stat):
        self.rows = rows
        self.stat = stat
        self.step_errors = {}
        for r in rows:
            if "error" in r and "route" not in r and "test" not in r:
                self.step_errors[r.get("step", "")] = r["error"]
        self.build_error = "build" in self.step_errors or "start" in self.step_errors

    def _find(self, step, **match):
        found = None
        for r in self.rows:
            if r.get("step", "") != step:
                continue
            if all(r.get(k) == str(v) for k, v in match.items()):
                found = r
        return found

    def _missing(self, step, match):
        if self.build_error:
            return "error"
        for r in self.rows:
            # an error line of this step that names no other value of the cell
            # (e.g. "route=daemon error=spawn_failed" for every size)
            if r.get("step", "") == step and "error" in r:
                if all(r.get(k, str(v)) == str(v) for k, v in match.items()):
                    return "error"
        return None

    def value(self, step, key, **match):
        r = self._find(step, **match)
        if r is None:
            return self._missing(step, match)
        if "error" in r:
            return "error"
        v = r.get(key)
        try:
            return float(v)
        except (TypeError, ValueError):
            return None


    def rtt(self, enc, route, size):
        key = {"median": "rtt_med_us", "mean": "rtt_us", "min": "rtt_min_us"}[self.stat]
        step = "mpi-pingpong" if route == "mpi" else "pingpong-" + enc
        return self.value(step, key, route=route, size=size)


def isnum(v):
    return isinstance(v, float)


# --------------------------------------------------------------- formatting
def fnum(v, unit=""):
    if v is None:
        return "n/a"
    if not isnum(v):
        return str(v)
    a = abs(v)
    if a == 0:
        s = "0"
    elif a < 1:
        s = "%.3f" % v
    elif a < 10:
        s = "%.2f" % v
    elif a < 1000:
        s = "%.1f" % v
    else:
        s = "%.0f" % v
    return s + unit


def fratio(a, b):
    if not (isnum(a) and isnum(b)) or b == 0:
        return "-"
    r = a / b
    if r < 0.1:
        return "%.3fx" % r
    if r < 10:
        return "%.2fx" % r
    return "%.0fx" % r


def size_label(s):
    s = int(s)
    if s >= 1048576 and s % 1048576 == 0:
        return "%d MB" % (s // 1048576)
    if s >= 1024 and s % 1024 == 0:
        return "%d KB" % (s // 1024)
    return "%d B" % s


def bw(size, rtt):
    return 2.0 * size / rtt if isnum(rtt) and rtt > 0 else rtt


class Table:
    def __init__(self, title, headers, right):
        self.title = title
        self.headers = headers
        self.right = right  # set of right-aligned column indices
        self.rows = []

    def add(self, row):
        self.rows.append([str(c) for c in row])

    def text(self):
        w = [len(h) for h in self.headers]
        for r in self.rows:
            for i, c in enumerate(r):
                w[i] = max(w[i], len(c))

        def fmt(r):
            cells = [(c.rjust(w[i]) if i in self.right else c.ljust(w[i])) for i, c in enumerate(r)]
            return " | ".join(cells).rstrip()

        out = [self.title, fmt(self.headers), "-+-".join("-" * x for x in w)]
        out += [fmt(r) for r in self.rows]
        return "\n".join(out)

    def markdown(self):
        out = ["| " + " | ".join(self.headers) + " |"]
        out.append("|" + "|".join(("---:" if i in self.right else "---") for i in range(len(self.headers))) + "|")
        for r in self.rows:
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
        return "\n".join(out)


class Targets:
    def __init__(self):
        self.count = {"pass": 0, "MISS": 0, "error": 0, "n/a": 0}
        self.misses = []

    def judge(self, what, ok, ours, ref):
        """ok: True/False from the comparison; ours/ref: the values."""
        if ours == "error":
            res = "error"
        elif not isnum(ours) or not all(isnum(r) for r in ref):
            res = "n/a"
        else:
            res = "pass" if ok else "MISS"
        self.count[res] += 1
        if res in ("MISS", "error"):
            self.misses.append("%s: %s" % (what, res))
        return res


# ------------------------------------------------------------------ report
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--plot", action="store_true")
    ap.add_argument("--stat", default=None)
    args = ap.parse_args()

    data, meta, versions = load(args.work)
    stat = args.stat or meta.get("stat", "median")
    real, ours, mpi = (Side(data[s], stat) for s in SIDES)
    sizes = [int(s) for s in meta.get("sizes", "8,1024,65536,1048576,16777216").split(",") if s]
    encs = [e for e in meta.get("encs", "default,raw,inplace").split(",") if e]
    tg = Targets()
    tables = []  # (section, Table, notes)

    # ---------------------------------------------------------- ping-pong
    have_pp = any(r.get("step", "").startswith("pingpong") for s in (real, ours) for r in s.rows)
    for enc in encs if have_pp else []:
        t = Table(
            "Ping-pong, %s: %s round trip (µs) and bandwidth 2*size/rtt (MB/s)" % (ENC_TITLE.get(enc, enc), stat),
            [
                "size",
                "route",
                "PVM us",
                "ours us",
                "ours/PVM",
                "MPI us",
                "ours/MPI",
                "PVM MB/s",
                "ours MB/s",
                "MPI MB/s",
                "target",
                "result",
            ],
            set(range(2, 10)),
        )
        for size in sizes:
            m = mpi.rtt(enc, "mpi", size)
            for route in ROUTES:
                a = real.rtt(enc, route, size)
                b = ours.rtt(enc, route, size)
                target, res = "-", ""
                what = "ping-pong %s %s %s" % (enc, ROUTE_TITLE[route], size_label(size))
                if route in ("daemon", "default"):
                    target = "rtt <= PVM"
                    ok = isnum(a) and isnum(b) and b <= a
                    res = tg.judge(what + " (" + target + ")", ok, b, [a])
                elif size <= 1024:
                    target = "rtt <= PVM/10, <= 5x MPI"
                    ok = isnum(a) and isnum(b) and isnum(m) and b <= a / 10 and b <= 5 * m
                    res = tg.judge(what + " (" + target + ")", ok, b, [a, m])
                elif size >= 1048576 and enc in ("raw", "default"):
                    target = "MB/s >= 5x PVM"
                    ok = isnum(a) and isnum(b) and bw(size, b) >= 5 * bw(size, a)
                    res = tg.judge(what + " (" + target + ")", ok, b, [a])
                elif size >= 1048576 and enc == "inplace":
                    target = "MB/s >= MPI"
                    ok = isnum(b) and isnum(m) and bw(size, b) >= bw(size, m)
                    res = tg.judge(what + " (" + target + ")", ok, b, [m])
                t.add(
                    [
                        size_label(size),
                        ROUTE_TITLE[route],
                        fnum(a),
                        fnum(b),
                        fratio(b, a),
                        fnum(m),
                        fratio(b, m),
                        fnum(bw(size, a)),
                        fnum(bw(size, b)),
                        fnum(bw(size, m)),
                        target,
                        res,
                    ]
                )
        tables.append(("pingpong", t))

    # -------------------------------------------------------------- spawn
    if any(r.get("test") == "spawn" or r.get("step") == "spawn" for s in (real, ours) for r in s.rows):
        cross = any(r.get("step") == "spawn-4hosts" and "note" not in r for r in ours.rows)
        hosts = ""
        for r in ours.rows:
            if r.get("step") == "spawn-4hosts" and r.get("n") == "64" and "hosts" in r:
                hosts = " (tasks ran on %s of %s hosts)" % (r["hosts"], r.get("vm_hosts", "?"))
        headers = ["N", "measured until", "PVM ms", "ours ms", "ours/PVM", "target", "result"]
        if cross:
            headers.append("ours, 4 hosts ms")
        t = Table(
            "Spawn: ms until pvm_spawn returns / until all N tasks have enrolled and said ready (median of reps)"
            + ("; last column: ours across 4 network-namespace hosts" + hosts if cross else ""),
            headers,
            {2, 3, 4, 7},
        )
        for n in (1, 16, 64):
            for key, label in (("spawn_ms", "pvm_spawn returns"), ("ready_ms", "all N ready")):
                a = real.value("spawn", key, test="spawn", n=n)
                b = ours.value("spawn", key, test="spawn", n=n)
                target, res = "-", ""
                if n == 64:
                    target = "<= PVM/3"
                    res = tg.judge("spawn 64, %s (%s)" % (label, target), isnum(a) and isnum(b) and b * 3 <= a, b, [a])
                row = [n, label, fnum(a), fnum(b), fratio(b, a), target, res]
                if cross:
                    row.append(fnum(ours.value("spawn-4hosts", key, test="spawn", n=n)))
                t.add(row)
        tables.append(("spawn", t))

    # --------------------------------------------------------------- farm
    if any(r.get("step", "").startswith("farm") for s in (real, ours) for r in s.rows):
        t = Table(
            "Farm: 4 workers, 8-byte requests and answers, one outstanding item per worker (items/s, median of 3)",
            ["route", "PVM items/s", "ours items/s", "ours/PVM", "target", "result"],
            {1, 2, 3},
        )
        for route in ("default", "direct"):
            step = "farm-" + route
            a = real.value(step, "items_per_s", test="farm")
            b = ours.value(step, "items_per_s", test="farm")
            target = ">= 3x PVM"
            res = tg.judge("farm %s (%s)" % (route, target), isnum(a) and isnum(b) and b >= 3 * a, b, [a])
            label = "default (PvmRoute untouched)" if route == "default" else "direct (PvmRouteDirect)"
            t.add([label, fnum(a), fnum(b), fratio(b, a), target, res])
        tables.append(("farm", t))

    # -------------------------------------------------------------- group
    if any(r.get("step", "").startswith("group") for s in (real, ours) for r in s.rows):
        t = Table(
            "Groups: time per operation (µs), all members on this host",
            ["operation", "members", "PVM us", "ours us", "ours/PVM"],
            {1, 2, 3, 4},
        )
        for m in (8, 32):
            for op in ("barrier", "bcast", "reduce"):
                step = "group-%d" % m
                a = real.value(step, "us_per_op", test="group", op=op, members=m)
                b = ours.value(step, "us_per_op", test="group", op=op, members=m)
                name = {"barrier": "pvm_barrier", "bcast": "pvm_bcast (8 B)", "reduce": "pvm_reduce (PvmSum, 1 int)"}[op]
                if b == "error":
                    tg.misses.append("group %s, %d members: error" % (op, m))
                t.add([name, m, fnum(a), fnum(b), fratio(b, a)])
        tables.append(("group", t))

    # ------------------------------------------------------------- memory
    if any(r.get("test") in ("memory", "daemon_rss") for s in (real, ours) for r in s.rows):
        t = Table(
            "Memory: VmRSS (kB) from /proc/PID/status",
            ["process", "PVM kB", "ours kB", "ours/PVM"],
            {1, 2, 3},
        )
        rows = [
            ("idle daemon (just started)", "daemon-rss-idle", "rss_kb", {"test": "daemon_rss"}),
            ("idle task (enrolled, blocked in pvm_recv)", "memory", "task_rss_kb", {"test": "memory"}),
            ("daemon after the whole run", "daemon-rss-after", "rss_kb", {"test": "daemon_rss"}),
        ]
        for label, step, key, match in rows:
            a = real.value(step, key, **match)
            b = ours.value(step, key, **match)
            if step == "memory" and b == "error":
                tg.misses.append("memory of an idle task: error")
            t.add([label, fnum(a), fnum(b), fratio(b, a)])
        tables.append(("memory", t))

    # ------------------------------------------------------------- errors
    errors = []
    for name, side in (("PVM 3.4.6", real), ("ours", ours), ("Open MPI", mpi)):
        for r in side.rows:
            if "error" in r:
                where = " ".join("%s=%s" % (k, v) for k, v in r.items() if k != "error")
                errors.append("%s: %s error=%s" % (name, where, r["error"]))

    # --------------------------------------------------------------- text
    head = []
    head.append("PVM 3.4.6 vs ours vs Open MPI (bench/run-all.sh, %s run, %s)" % (meta.get("mode", "?"), meta.get("date", "?")))
    head.append("host: %s" % meta.get("host", "?"))
    head.append(
        "load average: %s at start, %s at end; run took %s s"
        % (meta.get("load_start", "?"), meta.get("load_end", "?"), meta.get("elapsed_s", "?"))
    )
    head.append("PVM 3.4.6: %s;  ours: %s;  MPI: %s" % (meta.get("real", "?"), meta.get("ours", "?"), meta.get("mpi", "?")))
    head.append("ratio ours/X: < 1 means ours takes less time (tables in us/ms/kB) or, for items/s, > 1 means ours is faster")
    out = ["\n".join(head)]
    for _, t in tables:
        out.append(t.text())
    c = tg.count
    summary = "targets: %d pass, %d MISS, %d error, %d n/a" % (c["pass"], c["MISS"], c["error"], c["n/a"])
    out.append(summary)
    if errors:
        out.append("errors:\n" + "\n".join("  " + e for e in errors))
    print("\n\n".join(out))

    # ----------------------------------------------------------- markdown
    md = []
    md.append("## Results")
    md.append("")
    md.append(
        "Measured %s with `%s` (%s run; bench scripts at git %s)."
        % (meta.get("date", "?"), meta.get("command", "bench/run-all.sh"), meta.get("mode", "?"), meta.get("git", "?"))
    )
    md.append("")
    md.append("- Machine: %s." % meta.get("host", "?"))
    md.append(
        "- Load average %s at the start and %s at the end; the run took %s s."
        % (meta.get("load_start", "?"), meta.get("load_end", "?"), meta.get("elapsed_s", "?"))
    )
    md.append(
        "- PVM 3.4.6: %s. Ours: %s. Open MPI: %s."
        % (meta.get("real", "?"), meta.get("ours", "?"), meta.get("mpi", "?"))
    )
    md.append(
        "- Ping-pong cells: %s of N timed round trips, about %s s of timed round trips per cell."
        % (stat, meta.get("pp_time", "?"))
    )
    md.append("- **%s**." % summary.capitalize())
    md.append("")
    section_title = {
        "pingpong": None,
        "spawn": "### Spawn",
        "farm": "### Farm",
        "group": "### Groups",
        "memory": "### Memory",
    }
    first_pp = True
    for sec, t in tables:
        if sec == "pingpong":
            if first_pp:
                md.append("### Ping-pong")
                md.append("")
                md.append("![Round trip and bandwidth against message size](performance-rtt.png)")
                md.append("")
                first_pp = False
            md.append("#### " + t.title.split(":")[0].replace("Ping-pong, ", "Encoding "))
        else:
            md.append(section_title[sec])
        md.append("")
        md.append(t.title.split(": ", 1)[1][0].upper() + t.title.split(": ", 1)[1][1:] + ".")
        md.append("")
        md.append(t.markdown().replace(" us |", " µs |"))
        md.append("")
    if tg.misses or errors:
        md.append("### Missed targets and errors")
        md.append("")
        for m_ in tg.misses:
            md.append("- " + m_)
        for e in errors:
            md.append("- `" + e + "`")
        md.append("")
    with open(os.path.join(args.work, "results.md"), "w") as f:
        f.write("\n".join(md))

    # --------------------------------------------------------------- plot
    if args.plot and have_pp:
        plot(args.work, sizes, real, ours, mpi)


def plot(work, sizes, real, ours, mpi):
    series = [
        ("PVM 3.4.6, daemon", real, "raw", "daemon", 'lc rgb "#d62728" dt 2 pt 6'),
        ("PVM 3.4.6, direct", real, "raw", "direct", 'lc rgb "#d62728" dt 1 pt 7'),
        ("PVM 3.4.6, direct, InPlace", real, "inplace", "direct", 'lc rgb "#ff9896" dt 3 pt 9'),
        ("ours, daemon", ours, "raw", "daemon", 'lc rgb "#1f77b4" dt 2 pt 4'),
        ("ours, direct", ours, "raw", "direct", 'lc rgb "#1f77b4" dt 1 pt 5'),
        ("ours, direct, InPlace", ours, "inplace", "direct", 'lc rgb "#9ecae1" dt 3 pt 11'),
        ("Open MPI (shared memory)", mpi, "mpi", "mpi", 'lc rgb "#2ca02c" dt 1 pt 13'),
    ]
    dat = os.path.join(work, "pingpong.dat")
    used = []
    with open(dat, "w") as f:
        f.write("# size rtt_us MB/s -- one block per series (PvmDataRaw unless marked)\n")
        for title, side, enc, route, style in series:
            pts = [(s, side.rtt(enc, route, s)) for s in sizes]
            pts = [(s, v) for s, v in pts if isnum(v) and v > 0]
            if not pts:
                continue
            f.write("# %s\n" % title)
            for s, v in pts:
                f.write("%d %.4f %.4f\n" % (s, v, 2.0 * s / v))
            f.write("\n\n")
            used.append((title, style))
    if not used:
        return
    xt = ", ".join('"%s" %d' % (size_label(s), s) for s in sizes)
    png = os.path.join(work, "performance-rtt.png")

    def plots(col):
        return ", \\\n     ".join(
            "'%s' index %d using 1:%d with linespoints %s lw 2 ps 1.2 title '%s'" % (dat, i, col, style, title)
            for i, (title, style) in enumerate(used)
        )

    gp = """set terminal pngcairo size 1500,620 enhanced font 'DejaVu Sans,11'
set output '%s'
set multiplot layout 1,2 title 'Ping-pong on one host (PvmDataRaw unless marked; median round trip)'
set logscale xy
set grid xtics ytics mytics
set key top left box opaque font ',9'
set xtics (%s)
set xlabel 'message size'
set ylabel 'round trip (µs)'
set format y '10^{%%T}'
set title 'Round-trip time (lower is better)'
plot %s
set key bottom right
set ylabel 'bandwidth 2·size/rtt (MB/s)'
set title 'Bandwidth (higher is better)'
plot %s
unset multiplot
""" % (png, xt, plots(2), plots(3))
    gpath = os.path.join(work, "plot.gp")
    with open(gpath, "w") as f:
        f.write(gp)
    try:
        r = subprocess.run(["gnuplot", gpath], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            sys.stderr.write("report.py: gnuplot failed:\n" + r.stderr)
    except (OSError, subprocess.TimeoutExpired) as e:
        sys.stderr.write("report.py: gnuplot not run: %s\n" % e)


if __name__ == "__main__":
    main()
