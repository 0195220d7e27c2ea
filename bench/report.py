#!/usr/bin/env python3
"""report.py - tables, Markdown and plot for bench/run-all.sh.

    report.py --work DIR [--plot] [--stat median|mean|min]

Reads DIR/real.out, DIR/ours.out, DIR/mpi.out (key=value lines, each
prefixed with step=NAME by run-all.sh) and DIR/meta.txt.  Prints the text
tables (run-all.sh saves them as table.txt) and writes DIR/results.md (a
section for docs/performance.md).  With --plot also DIR/pingpong.dat,
DIR/plot.gp and, through gnuplot, DIR/performance-rtt.png.

Python 3 standard library only; report_results.py reads the results,
report_format.py formats them, report_plot.py draws the plot.
"""
import argparse
import os

from report_format import Table, Targets, bw, fnum, fratio, size_label
from report_plot import plot
from report_results import ROUTES, SIDES, Side, isnum, load

ENC_TITLE = {"default": "PvmDataDefault", "raw": "PvmDataRaw", "inplace": "PvmDataInPlace"}
ROUTE_TITLE = {
    "daemon": "daemon",
    "direct": "direct",
    "oneside": "one-side",
    "default": "default",
}


def has_pingpong(real, ours):
    return any(r.get("step", "").startswith("pingpong") for s in (real, ours) for r in s.rows)


def pingpong_tables(real, ours, mpi, sizes, encs, stat, tg):
    """One table per encoding: each route and size against its target."""
    tables = []
    for enc in encs:
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
    return tables


def spawn_tables(real, ours, tg):
    """Spawn of 1, 16 and 64 tasks (and across 4 hosts when measured)."""
    tables = []
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
    return tables


def farm_tables(real, ours, tg):
    """The master/worker farm on two routes."""
    tables = []
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
    return tables


def group_tables(real, ours, tg):
    """Barrier, bcast and reduce with 8 and 32 members (no targets)."""
    tables = []
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
    return tables


def memory_tables(real, ours, tg):
    """Idle daemon, idle task, daemon after the run."""
    tables = []
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
    return tables


def error_lines(real, ours, mpi):
    """Every error line of every side."""
    errors = []
    for name, side in (("PVM 3.4.6", real), ("ours", ours), ("Open MPI", mpi)):
        for r in side.rows:
            if "error" in r:
                where = " ".join("%s=%s" % (k, v) for k, v in r.items() if k != "error")
                errors.append("%s: %s error=%s" % (name, where, r["error"]))
    return errors


def text_report(meta, tables, summary, errors):
    """The text tables, as printed and saved as table.txt."""
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
    out.append(summary)
    if errors:
        out.append("errors:\n" + "\n".join("  " + e for e in errors))
    return "\n\n".join(out)


def markdown_report(meta, stat, tables, summary, tg, errors):
    """results.md, a section for docs/performance.md."""
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
    return "\n".join(md)


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
    tables = []  # (section, Table)
    if has_pingpong(real, ours):
        tables += pingpong_tables(real, ours, mpi, sizes, encs, stat, tg)
    tables += spawn_tables(real, ours, tg)
    tables += farm_tables(real, ours, tg)
    tables += group_tables(real, ours, tg)
    tables += memory_tables(real, ours, tg)
    errors = error_lines(real, ours, mpi)
    c = tg.count
    summary = "targets: %d pass, %d MISS, %d error, %d n/a" % (c["pass"], c["MISS"], c["error"], c["n/a"])
    print(text_report(meta, tables, summary, errors))
    with open(os.path.join(args.work, "results.md"), "w") as f:
        f.write(markdown_report(meta, stat, tables, summary, tg, errors))
    if args.plot and has_pingpong(real, ours):
        plot(args.work, sizes, real, ours, mpi)


if __name__ == "__main__":
    main()
