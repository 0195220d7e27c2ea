"""report_plot.py - report.py's plot: WORK/pingpong.dat, WORK/plot.gp and, through
gnuplot, WORK/performance-rtt.png (round trip and bandwidth against size)."""
import os
import subprocess
import sys

from report_format import size_label
from report_results import isnum


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
