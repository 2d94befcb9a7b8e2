#!/usr/bin/env python3
"""bench/report.py's targets, on made-up results (ctest bench-report).

    report_check.py [VMCTR]   (the binary is not used: ctest passes it)

The generated docs/performance.md is what users read to see whether a
target is met. This checks, on results built here, that a ratio below a
target reads **no** whatever the baseline reads, that the baseline's
"within 5%" verdict has the right sign both for ratios (higher is better)
and for the start (lower is better), that a baseline command that failed
reads n/a rather than a number, that without a baseline the doc has
neither its section nor its targets, and that the section "What each step
cost" lands after the baseline's (tests/bench/compare_check.py tests its
verdicts).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from testlib import REPO, Tally  # noqa: E402
sys.path.insert(0, os.path.join(REPO, "bench"))
import report  # noqa: E402

T = Tally()
check = T.ok


def run(kind, size, seconds, **kw):
    r = {"kind": kind, "size": size, "seconds": seconds, "profiles": size,
         "name": kind, "cmd": kind}
    if size:
        r["per_s"] = size / seconds
    r.update(kw)
    return r


def results(baseline=True, base_error=False):
    n = 1000
    runs = [run("floor", n, 1.0), run("ndjson", n, 2.0), run("csv", n, 1.25),
            run("start", None, 0.003), run("start-noop", None, 0.002)]
    if baseline:
        runs += [run("base-floor", n, 1.0),
                 run("base-ndjson", n, 1.8),     # 0.556x: this tree's 0.5x is -10%
                 run("base-csv", n, 1.26),       # this tree +0.8%: within
                 run("base-start", None, 0.0028)]  # 1.4x the no-op: this tree's 1.5x is worse
        if base_error:
            runs[-3] = {"kind": "base-ndjson", "size": n, "name": "x", "cmd": "x", "error": "exit 3"}
    res = {"sizes": [n], "runs": runs, "notes": [], "rounds": 1, "jre_max": 0, "peer_max": 0,
           "machine": {"date": "2026-01-01"}}
    if baseline:
        res["baseline"] = {"rev": "0123456789ab", "version": "vmctr 0.0.1"}
    return res


def row(table, start):
    return [l for l in table.splitlines() if l.startswith("| " + start)]


# below the target: no, with the baseline beside it
t1, t2, t3 = report.render(results())
r = row(t2, "throughput >= 0.6x the floor (1,000)")
check(len(r) == 1 and "0.50x (the baseline here: 0.56x)" in r[0] and r[0].endswith("| **no** |"),
      "0.6x row: %r" % r)
r = row(t2, "throughput >= 0.7x the floor (1,000)")
check(len(r) == 1 and r[0].endswith("| yes |"), "0.7x row: %r" % r)
# the baseline's verdicts, both directions (cells: measure, baseline, this
# tree, change, within?, change from the least of the rounds: - where the
# runs kept no rounds, as the start-up's)
def cells(line):
    return [c.strip() for c in line.strip("|").split("|")]


r = row(t3, "`advise --format ndjson`, 1,000 profiles")
check(len(r) == 1 and cells(r[0])[3:] == ["-10.0%", "**no**", "-"], "ndjson vs baseline: %r" % r)
r = row(t3, "`advise --format csv`, 1,000 profiles")
check(len(r) == 1 and cells(r[0])[3:] == ["+0.8%", "yes", "-"], "csv vs baseline: %r" % r)
r = row(t3, "`advise small.yaml`")
check(len(r) == 1 and cells(r[0])[3:] == ["-6.7%", "**no**", "-"], "start vs baseline: %r" % r)
# with rounds: the verdict reads the medians, the last column the least times
noisy = results()
for x in noisy["runs"]:
    if x["kind"] == "ndjson":
        x["times"] = [1.5, 2.0, 2.6]     # least 1.5: this tree 0.667x the floor
    if x["kind"] == "base-ndjson":
        x["times"] = [1.6, 1.8, 1.9]     # least 1.6: the baseline 0.625x
    if x["kind"] in ("floor", "base-floor"):
        x["times"] = [1.0, 1.0, 1.2]
_, _, t3n = report.render(noisy)
r = row(t3n, "`advise --format ndjson`, 1,000 profiles")
check(len(r) == 1 and cells(r[0])[3:] == ["-10.0%", "**no**", "+6.7%"], "least-of-rounds column: %r" % r)
doc = report.doc(results(), t1, t2, t3)
check("## Against the baseline on this machine" in doc, "no baseline section in the doc")

# a failed baseline command: n/a, never a number
t1, t2, t3 = report.render(results(base_error=True))
r = row(t3, "`advise --format ndjson`, 1,000 profiles")
check(len(r) == 1 and r[0].count("n/a") == 5, "failed baseline row: %r" % r)
r = row(t2, "throughput >= 0.6x the floor (1,000)")
check(len(r) == 1 and "baseline" not in r[0] and r[0].endswith("| **no** |"), "0.6x row, failed baseline: %r" % r)

# the steps section (bench/compare.py --section) sits after the baseline's,
# before "What is measured"; without one the doc has none
steps = "## What each step cost\n\nmade-up table\n"
doc = report.doc(results(), t1, t2, t3, steps)
a, b, c = (doc.find(h) for h in ("## Against the baseline", "## What each step cost", "## What is measured"))
check(-1 < a < b < c and "made-up table" in doc, "steps section misplaced: %d %d %d" % (a, b, c))
nosteps = report.doc(results(), t1, t2, t3)
check("## What each step cost" not in nosteps and 'section "What each step cost"' not in nosteps,
      "a steps section, or a pointer to one, out of nothing")
check('section "What each step cost"' in doc, "the baseline section does not point to the steps")

# no baseline: neither the section nor its targets
t1, t2, t3 = report.render(results(baseline=False))
doc = report.doc(results(baseline=False), t1, t2, t3)
check(t3 == "" and "within 5%" not in t2 and "the baseline here" not in t2
      and "## Against the baseline" not in doc, "a doc without baseline mentions one")

sys.exit(T.done())
