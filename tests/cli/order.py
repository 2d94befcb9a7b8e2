#!/usr/bin/env python3
"""Reports and diagnostics come out in input order, with one stream for both.

    tests/cli/order.py BIN

`vmctr advise`, `check` and `validate` write reports through stdio's
buffer and diagnostics straight to stderr (src/cli/batch.c); with -j N a
job of up to 32 documents at a time. Whatever the buffering, a reader of
stdout and stderr merged
(a CI log, `2>&1`) must see every document's report and diagnostics where
the document stands: after the documents before it, before those after it,
and a file's own messages (an empty file) after
the previous file's reports.

Inputs (generated): a.yaml with 70 profiles (three jobs at -j 2), b.yaml
with an invalid document between two valid ones, c.yaml not vmctr's (its
errors), d.yaml (b again), e.yaml empty, and f.yaml with 40 profiles and
an invalid one at document 35. Each line of the merged output is placed by
(file, document): reports and error records by their file and document,
diagnostics by "FILE:LINE:" (the document holding that line), the
empty-file error after its file. The sequence must be sorted. Run at -j 1
and -j 2 with the files named, and at -j 1 on the directory. The old build
wrote e.yaml's error before d.yaml's last report. Standard library only.
Ends with "N passed, N failed".
"""
import json
import os
import re
import subprocess
import sys
import tempfile

BIN = os.path.abspath(sys.argv[1])
passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print(f"ok   {name}")


def bad(name, why):
    global failed
    failed += 1
    print(f"FAIL {name}: {why}")


PROFILE = """apiVersion: vmctr/v1
kind: WorkloadProfile
metadata:
  name: p{n}
spec:
  workload:
    architecture: {arch}
  team:
    containers: {team}
"""
INVALID = """apiVersion: vmctr/v1
kind: WorkloadProfile
metadata:
  name: broken{n}
spec:
  workload:
    architecture: nope
"""


def stream(n, bad_at=()):
    docs = []
    for i in range(n):
        if i in bad_at:
            docs.append(INVALID.format(n=i))
        else:
            docs.append(PROFILE.format(n=i, arch=("monolith", "microservices")[i % 2],
                                       team=("none", "basic", "advanced")[i % 3]))
    return "---\n".join(docs)


def doc_starts(text):
    """1-based first line of each document (a document starts after ---)."""
    starts, line = [1], 1
    for ln in text.split("\n"):
        if ln == "---":
            starts.append(line + 1)
        line += 1
    return starts


def main():
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "a.yaml": stream(70),
            "b.yaml": stream(3, bad_at=(1,)),
            "c.yaml": "apiVersion: v1\nkind: ConfigMap\n",
            "d.yaml": stream(3, bad_at=(1,)),
            "e.yaml": "",
            "f.yaml": stream(40, bad_at=(35,)),
        }
        order = sorted(files)
        starts = {}
        for name, text in files.items():
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
            starts[name] = doc_starts(text)

        def place(line):
            """(file index, 0-based document) of a line of merged output."""
            if line.startswith("{"):
                j = json.loads(line)
                if j.get("schema") == "vmctr.error/v1":
                    return (order.index(os.path.basename(j["file"])), j["document"])
                prof = j["profile"]
                return (order.index(os.path.basename(prof["file"])), prof["document"])
            m = re.match(r"^(?:\./)?(\w\.yaml):(\d+):\d+: (error|warning|note)", line)
            if m:
                name, ln = m.group(1), int(m.group(2))
                if "empty file" in line:
                    return (order.index(name), 10**6)
                return (order.index(name), max(i for i, s in enumerate(starts[name]) if s <= ln))
            return None

        cases = [
            ("advise --format ndjson -j 1 FILES", ["advise", "--format", "ndjson", "-j", "1"] + order),
            ("advise --format ndjson -j 2 FILES", ["advise", "--format", "ndjson", "-j", "2"] + order),
            ("advise --format ndjson -j 1 DIR", ["advise", "--format", "ndjson", "-j", "1", "."]),
        ]
        for title, args in cases:
            r = subprocess.run([BIN] + args, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            lines = r.stdout.decode("utf-8", "replace").splitlines()
            seq, unplaced = [], []
            for ln in lines:
                p = place(ln)
                if p is None:
                    unplaced.append(ln)
                else:
                    seq.append(p)
            reports = sum(1 for ln in lines if ln.startswith('{"schema":"vmctr.report/v1"'))
            diags = sum(1 for ln in lines if re.match(r"^(\./)?\w\.yaml:\d+:\d+: error", ln))
            # a: 70, b and d: 2 each, f: 39; the errors of b, d and f's
            # invalid documents, c's three (advise reads every file it is
            # given or finds) and e's (empty)
            want = 70 + 2 + 2 + 39
            want_diags = 1 + 1 + 1 + 3 + 1
            bad_seq = [(a, b) for a, b in zip(seq, seq[1:]) if b < a]
            if bad_seq:
                bad(title, f"out of order: {bad_seq[:3]}")
            elif unplaced:
                bad(title, f"unexpected lines: {unplaced[:3]}")
            elif reports != want or diags != want_diags:
                bad(title, f"{reports} reports and {diags} diagnostics, want {want} and {want_diags}")
            elif r.returncode != 3:
                bad(title, f"exit {r.returncode}, want 3")
            else:
                ok(f"{title}: {len(seq)} lines in input order, stdout and stderr merged")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
