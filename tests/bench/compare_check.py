#!/usr/bin/env python3
"""bench/compare.py, the steps of docs/performance.md (ctest bench-compare).

    compare_check.py VMCTR   (its directory holds bench-floor)

Verdicts on made-up measurements: a step is met only with the same output
bytes and CPU time within 5% of the tree before it (+5.0% is within, +5.1%
is not; the same time with other bytes is not). Then one real run of
--steps --section on a tiny corpus: a tree that is not there is named and
the step after it is not measured (never "yes"), the same binary twice
reads "same bytes", and another output reads "differs" and "no". Timing
itself is not checked: that is the benchmark's job, not a test's.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from testlib import REPO, Tally  # noqa: E402
sys.path.insert(0, os.path.join(REPO, "bench"))
import compare  # noqa: E402

T = Tally()
check = T.ok

# --- verdicts ---------------------------------------------------------------
trees = [("a", "first", "/x", None), ("b", "same bytes, 5.0% slower", "/x", None),
         ("c", "same bytes, 5.1% slower", "/x", None), ("d", "other bytes, faster", "/x", None)]
steps = [False, True, True, True]
digests = [None, "aa" * 32, "aa" * 32, "aa" * 32, "bb" * 32]
best = [0.010, 0.020, 0.021, 0.022071, 0.015]
_, targets = compare.tables(trees, steps, (digests, best, best, [None] * 5), __file__, 1, True)
verdicts = {t[0].split("`")[1]: (t[1], t[2]) for t in targets}
check(verdicts.get("b") == ("same bytes, +5.0%", "yes"), "b: %r" % (verdicts.get("b"),))
check(verdicts.get("c") == ("same bytes, +5.1%", "no"), "c: %r" % (verdicts.get("c"),))
check(verdicts.get("d", ("", ""))[1] == "no" and "output differs" in verdicts["d"][0],
      "d: %r" % (verdicts.get("d"),))
check(len(targets) == 3, "one target per step: %d" % len(targets))

# --- one real run -------------------------------------------------------------
if len(sys.argv) < 2:
    sys.exit("usage: compare_check.py VMCTR")
vmctr = os.path.abspath(sys.argv[1])
build = os.path.dirname(vmctr)
with tempfile.TemporaryDirectory() as tmp:
    other = os.path.join(tmp, "other")
    with open(other, "w") as f:  # another "vmctr": other bytes out
        f.write("#!/bin/sh\necho other\n")
    os.chmod(other, 0o755)
    corpus = os.path.join(tmp, "corpus.yaml")
    subprocess.check_call([sys.executable, os.path.join(REPO, "bench", "gen_corpus.py"),
                           "--count", "3", "--seed", "1", "-o", corpus])
    sf = os.path.join(tmp, "steps")
    with open(sf, "w") as f:
        f.write("# made up\n"
                "one=%s -- the tree\n"
                "two=%s step -- the same binary\n"
                "gone=%s step -- not there\n"
                "after=%s step -- after a tree that is not there\n"
                "three=%s -- more\n"
                "four=%s step -- another output\n"
                % (vmctr, vmctr, os.path.join(tmp, "missing"), vmctr, vmctr, other))
    p = subprocess.run([sys.executable, os.path.join(REPO, "bench", "compare.py"), "--build", build,
                        "--steps", sf, "--section", "--rounds", "2", "--corpus", corpus],
                       capture_output=True, text=True)
    out = p.stdout
    check(p.returncode == 0, "--section exited %d: %s" % (p.returncode, p.stderr[-500:]))
    check(out.startswith("## What each step cost"), "no section heading")
    lines = out.splitlines()

    def line(start):
        m = [l for l in lines if l.startswith(start)]
        return m[0] if len(m) == 1 else ""

    check("same bytes" in line("| `two` (step)"), "two: %r" % line("| `two` (step)"))
    check("differs" in line("| `four` (step)"), "four: %r" % line("| `four` (step)"))
    check(line("| `four` another output:").endswith("| no |"), "four's target: %r" % line("| `four` another"))
    check(line("| `two` the same binary:").split("|")[2].strip().startswith("same bytes"),
          "two's target: %r" % line("| `two` the same binary:"))
    check("`gone` was not timed" in out, "the missing tree is not named")
    check("the step `after` is not measured" in out and
          not any(l.startswith("| `after`") and l.endswith("| yes |") for l in lines),
          "the step after a missing tree was judged")
    check(not any(l.startswith("| `gone`") for l in lines), "a missing tree has a row")
    # without --section a missing tree is an error, not a silent omission
    p = subprocess.run([sys.executable, os.path.join(REPO, "bench", "compare.py"), "--build", build,
                        "--rounds", "1", "--corpus", corpus, "x=" + os.path.join(tmp, "missing")],
                       capture_output=True, text=True)
    check(p.returncode != 0 and "not an executable" in p.stderr, "missing tree without --section: %d %r"
          % (p.returncode, p.stderr[-200:]))
    # a malformed steps line is refused with its line number
    with open(sf, "w") as f:
        f.write("one=%s stop -- what\n" % vmctr)
    p = subprocess.run([sys.executable, os.path.join(REPO, "bench", "compare.py"), "--build", build,
                        "--steps", sf, "--rounds", "1", "--corpus", corpus], capture_output=True, text=True)
    check(p.returncode != 0 and ":1: expected" in p.stderr, "bad steps line: %r" % p.stderr[-200:])

sys.exit(T.done())
