#!/usr/bin/env python3
"""bench/compare.py, the steps of docs/performance.md (ctest bench-compare).

    compare_check.py VMCTR   (its directory holds bench-floor)

Verdicts on made-up measurements: a step is met only with the same output
bytes as the line before it and the least CPU time within 5% of that
line's, as printed (+5.0% is within, +5.1% is not, a median never
decides; the same time with other bytes is not); a description cannot
break the table. Then one real run of --steps --section on a tiny corpus:
a tree that is not there, or whose advise fails, is named and the step
after it is not judged (never "yes"), the same binary twice reads "same
bytes", another output reads "differs" and "no", `#` inside a
description stays. Timing itself is not checked: that is the benchmark's
job, not a test's.
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
def tree(label, what, digest, best, med, step=True, prev=True):
    return {"label": label, "what": what, "digest": digest * 32, "best": best, "med": med,
            "ins": None, "step": step, "prev": prev}


# least times judge, never medians (b's median is 50% slower, c's 0%); the
# output is compared with the line before, not the first (e's bytes are d's)
trees = [tree("a", "first", "aa", 0.020, 0.030, step=False, prev=False),
         tree("b", "same bytes, 5.0% slower", "aa", 0.021, 0.045),
         tree("c", "same bytes, 5.1% slower", "aa", 0.021 * 1.051, 0.021),
         tree("d", "other bytes, faster", "bb", 0.015, 0.015),
         tree("e", "d's bytes | <b>x</b> `code`", "bb", 0.015, 0.015),
         tree("g", "same bytes, 5.04% slower: printed +5.0%", "bb", 0.015 * 1.0504, 0.015),
         tree("f", "after a tree not timed", "bb", 0.015, 0.015, prev=False)]
trees[6]["step"] = False  # as main() leaves it
table, targets = compare.tables(trees, (0.01, 0.01, None), "head")
verdicts = {t[0].split("`")[1]: (t[1], t[2]) for t in targets}
check(verdicts.get("b") == ("same bytes, +5.0%", "yes"), "b: %r" % (verdicts.get("b"),))
check(verdicts.get("c") == ("same bytes, +5.1%", "no"), "c: %r" % (verdicts.get("c"),))
check(verdicts.get("d", ("", ""))[1] == "no" and "output differs" in verdicts["d"][0],
      "d: %r" % (verdicts.get("d"),))
check(verdicts.get("e") == ("same bytes, +0.0%", "yes"), "e: %r" % (verdicts.get("e"),))
check(verdicts.get("g") == ("same bytes, +5.0%", "yes"), "g (+5.04%%): %r" % (verdicts.get("g"),))
check(len(targets) == 5 and "f" not in verdicts, "one target per judged step: %r" % list(verdicts))
for name, rows in (("row", [l for l in table.splitlines() if l.startswith("| `e`")]),
                   ("target", ["| %s | %s | %s |" % tuple(t) for t in targets if t[0].startswith("`e`")])):
    check(len(rows) == 1 and "\\|" in rows[0] and "<b>" not in rows[0] and "`code`" not in rows[0]
          and rows[0].count(" | ") == (7 if name == "row" else 2),
          "a description's |, HTML or backticks reach the %s: %r" % (name, rows))
least, med = compare.summarise([[3.0, 1.0, 2.0], [5.0, 4.0, 9.0]])
check(least == [1.0, 4.0] and med == [2.0, 5.0], "summarise: %r %r" % (least, med))
row_f = [l for l in table.splitlines() if l.startswith("| `f`")]
check(len(row_f) == 1 and "same bytes" not in row_f[0] and row_f[0].split(" | ")[5] == "-",
      "a row after a tree not timed is compared with an earlier one: %r" % row_f)

# the corpus cache follows the generator and bench/fields.py, which it imports
with tempfile.TemporaryDirectory() as tmp:
    os.makedirs(os.path.join(tmp, "src", "bench"))
    os.makedirs(os.path.join(tmp, "build"))
    gen = os.path.join(tmp, "src", "bench", "gen_corpus.py")
    with open(gen, "w") as f:
        f.write("import sys\nopen(sys.argv[-1], 'w').write('x: 1\\n')\n")
    names = []
    for fields in ("A = 1\n", "A = 2\n"):
        with open(os.path.join(tmp, "src", "bench", "fields.py"), "w") as f:
            f.write(fields)
        names.append(compare.make_corpus(os.path.join(tmp, "src"), "x", os.path.join(tmp, "build"), 3)[0])
    check(names[0] != names[1] and all(os.path.exists(n) for n in names),
          "an edit of fields.py reuses the corpus: %r" % names)

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
    failing = os.path.join(tmp, "failing")
    with open(failing, "w") as f:  # a "vmctr" whose advise fails
        f.write("#!/bin/sh\necho 'no such command' >&2\nexit 3\n")
    os.chmod(failing, 0o755)
    sf = os.path.join(tmp, "steps")
    with open(sf, "w") as f:
        f.write("# made up\n"
                "one=%s -- the tree # a comment\n"
                "two=%s step -- the same binary (issue #11)\n"
                "gone=%s step -- not there\n"
                "after=%s step -- after a tree that is not there\n"
                "three=%s -- more\n"
                "four=%s step -- another output\n"
                "fails=%s -- advise fails\n"
                % (vmctr, vmctr, os.path.join(tmp, "missing"), vmctr, vmctr, other, failing))
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
    t2 = line("| `two` the same binary (issue #11):").split("|")
    check(len(t2) > 2 and t2[2].strip().startswith("same bytes"), "two's target: %r" % t2)
    check("`gone` was not timed" in out, "the missing tree is not named")
    check("the step `after` is not judged" in out and
          not any(l.startswith("| `after`") and l.endswith("| yes |") for l in lines),
          "the step after a missing tree was judged")
    check(not any(l.startswith("| `gone`") for l in lines), "a missing tree has a row")
    check("`fails` was not timed: advise exited with 3: no such command." in out and
          not any(l.startswith("| `fails`") for l in lines), "a failing tree is not named")
    check("(issue #11)" in line("| `two` (step)") and "a comment" not in out,
          "comments: %r" % line("| `two` (step)"))
    # a NAME that could break the table is refused
    p = subprocess.run([sys.executable, os.path.join(REPO, "bench", "compare.py"), "--build", build,
                        "--rounds", "1", "--corpus", corpus, "a|b=" + vmctr], capture_output=True, text=True)
    check(p.returncode != 0 and "a NAME is" in p.stderr, "NAME a|b: %d %r" % (p.returncode, p.stderr[-200:]))
    # without --section a missing tree is an error, not a silent omission
    p = subprocess.run([sys.executable, os.path.join(REPO, "bench", "compare.py"), "--build", build,
                        "--rounds", "1", "--corpus", corpus, "x=" + os.path.join(tmp, "missing")],
                       capture_output=True, text=True)
    check(p.returncode != 0 and "not an executable" in p.stderr, "missing tree without --section: %d %r"
          % (p.returncode, p.stderr[-200:]))
    # --build-tree (make bench's baseline) refuses what is not a commit,
    # and an option in disguise, before building anything
    for rev, said in (("no-such-revision-xyz", "is not a commit"), ("--output=x", "is not a revision")):
        p = subprocess.run([sys.executable, os.path.join(REPO, "bench", "compare.py"), "--build", build,
                            "--build-tree=" + rev], capture_output=True, text=True)
        check(p.returncode == 1 and p.stdout == "" and said in p.stderr,
              "--build-tree %s: %d %r" % (rev, p.returncode, p.stderr[-200:]))
    # a malformed steps line is refused with its line number
    with open(sf, "w") as f:
        f.write("one=%s stop -- what\n" % vmctr)
    p = subprocess.run([sys.executable, os.path.join(REPO, "bench", "compare.py"), "--build", build,
                        "--steps", sf, "--rounds", "1", "--corpus", corpus], capture_output=True, text=True)
    check(p.returncode != 0 and ":1: expected" in p.stderr, "bad steps line: %r" % p.stderr[-200:])

sys.exit(T.done())
