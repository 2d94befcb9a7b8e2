#!/usr/bin/env python3
"""Priority sensitivity is what a re-run says (docs/report.md).

For every example and acceptance profile, and a seeded random variant of
each with other priorities, the report's `sensitivity` predicts the verdict
(paradigm, platform, container platform) at every priority 0..5 of every
category: `holds_from..holds_to` keep the profile's verdict, `changes` list
the others. Each prediction is checked against a real run with
`--what-if priorities.<category>=<q>` (for a system: each component's
verdict against its own sensitivity). Ends with "N passed, N failed".

    tests/cli/sensitivity.py BIN
"""
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CATS = ["workload", "isolation", "economics", "delivery", "team", "strategy", "operations"]
passed = failed = changes = 0


def run(*args):
    p = subprocess.run([BIN, "advise", "--format", "ndjson", *args], capture_output=True, text=True, cwd=REPO)
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]


def verdict(rec):
    return (rec["paradigm"], rec["platform"], rec["container_platform"])


def predicted(s, q):
    for c in s["changes"]:
        if c["priority"] == q:
            return (c["paradigm"], c["platform"], c["container_platform"])
    return None  # the profile's own verdict


def evaluations(rep):
    """(name, own verdict, sensitivity) of each evaluation whose verdict a re-run shows."""
    if rep["components"]:
        return [(c["name"], verdict(c["recommendation"]), c["sensitivity"]) for c in rep["components"]]
    return [("", verdict(rep["recommendation"]), rep["sensitivity"])]


def variant(path, tmp, rng):
    """The profile with a random priorities block (top level only)."""
    with open(os.path.join(REPO, path)) as f:
        text = f.read()
    if text.count("\n---") or "priorities:" in text:
        return None
    prio = "".join(f"    {c}: {rng.randint(0, 5)}\n" for c in CATS)
    m = re.search(r"^spec:\n", text, re.M)
    if not m:
        return None
    out = os.path.join(tmp, os.path.basename(path))
    with open(out, "w") as f:
        f.write(text[: m.end()] + "  priorities:\n" + prio + text[m.end():])
    return out


def check(path):
    msgs = []
    base = run(path)
    if len(base) != 1:
        return 0, []
    rep = base[0]
    n = 0
    for ci, cat in enumerate(CATS):
        for q in range(6):
            alt = run("--what-if", f"priorities.{cat}={q}", path)[0]["what_if"]["report"]
            got = evaluations(alt)
            for (name, own, sens), (_, now, _) in zip(evaluations(rep), got):
                s = sens[ci]
                want = predicted(s, q) or own
                inside = s["holds_from"] <= q <= s["holds_to"]
                n += 1
                if want != own:
                    global changes
                    changes += 1
                if now != want or (inside and want != own):
                    msgs.append(f"{path} {name} {cat}={q}: predicted {want} (holds {s['holds_from']}..{s['holds_to']}), "
                                f"a re-run gives {now}")
    return n, msgs


def main():
    global passed, failed
    rng = random.Random(16)
    files = sorted(os.path.join("examples", f) for f in os.listdir(os.path.join(REPO, "examples")) if f.endswith(".yaml"))
    files += sorted(os.path.join("tests", "acceptance", f)
                    for f in os.listdir(os.path.join(REPO, "tests", "acceptance")) if f.endswith(".yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        todo = list(files)
        for f in files:
            v = variant(f, tmp, rng)
            if v:
                todo.append(v)
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
            for n, msgs in ex.map(check, todo):
                if msgs:
                    failed += len(msgs)
                    for m in msgs[:5]:
                        print("FAIL " + m)
                passed += n - len(msgs)
    # the claim is not vacuous: some predictions are changes
    print(f"{changes} predicted changes of verdict among the checks")
    if changes == 0:
        print("FAIL no prediction was a change: the check proves nothing")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


sys.exit(main())
