"""report_results.py - the raw results of bench/run-all.sh, for report.py.

load() reads WORK/real.out, ours.out, mpi.out (key=value lines, each prefixed with
step=NAME) and WORK/meta.txt; a Side answers lookups into one side's rows.
"""
import os
import re

SIDES = ("real", "ours", "mpi")
ROUTES = ("daemon", "direct", "oneside", "default")


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
