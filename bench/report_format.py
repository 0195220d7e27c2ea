"""report_format.py - numbers, ratios and tables of report.py, as text and Markdown,
and the count of targets met."""
from report_results import isnum


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
