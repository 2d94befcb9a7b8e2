#!/usr/bin/env python3
"""Acceptance: the C engine against the scenarios and against the oracle.

    tests/acceptance/check.py BIN

1. Every row of tests/acceptance/expect.tsv: `vmctr advise --format json`
   must recommend the expected paradigm, a platform among the allowed ones
   and the expected paradigm for each component.
2. When PyYAML is available (for tests/acceptance/simulate.py, the Python
   reference implementation of the documented semantics), every acceptance
   and example profile is evaluated by both, and the scores of all paradigms
   and platforms, the excluded targets, the paradigm and the platform must
   agree (for components too). Under CI=true a missing PyYAML is a failure.

Standard library only; ends with "N passed, N failed".
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.abspath(sys.argv[1])
passed = failed = 0


def ok():
    global passed
    passed += 1


def fail(msg):
    global failed
    failed += 1
    print("FAIL " + msg)


def advise(path):
    out = subprocess.run([BIN, "advise", "--format", "json", path], capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        raise RuntimeError(f"vmctr advise {path}: exit {out.returncode}: {out.stderr.strip()}")
    doc = json.loads(out.stdout) if out.stdout.strip() else None
    if doc is None:
        return []
    # several documents come as one report list (docs/report.md)
    if doc.get("schema") == "vmctr.report-list/v1":
        if doc["errors"]:
            raise RuntimeError(f"vmctr advise {path}: error records {doc['errors']}")
        return doc["items"]
    return [doc]


def excluded(ev):
    return sorted({t for b in ev["blockers"] for t in b["excludes"]})


# 1. expectations
with open(os.path.join(HERE, "expect.tsv")) as f:
    rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("file\t")]
for name, paradigm, platforms, comps in rows:
    path = os.path.join("tests", "acceptance", name)
    try:
        r = advise(path)[0]
    except Exception as e:  # noqa: BLE001 - reported as a failure
        fail(str(e))
        continue
    rec = r["recommendation"]
    got_comps = ",".join(f'{c["name"]}={c["recommendation"]["paradigm"]}' for c in r["components"]) or "-"
    bad = []
    if rec["paradigm"] != paradigm:
        bad.append(f"paradigm {rec['paradigm']} (expected {paradigm})")
    if platforms != "*" and rec["platform"] not in platforms.split(","):
        bad.append(f"platform {rec['platform']} (expected one of {platforms})")
    if got_comps != comps:
        bad.append(f"components {got_comps} (expected {comps})")
    if bad:
        fail(f"{name}: " + "; ".join(bad))
    else:
        ok()
print(f"scenarios: {len(rows)} checked")

# 2. the oracle
have_yaml = subprocess.run([sys.executable, "-c", "import yaml"], capture_output=True).returncode == 0
py = sys.executable
if not have_yaml and os.path.exists("/usr/bin/python3"):
    if subprocess.run(["/usr/bin/python3", "-c", "import yaml"], capture_output=True).returncode == 0:
        py, have_yaml = "/usr/bin/python3", True
if not have_yaml:
    if os.environ.get("CI") == "true":
        fail("oracle: PyYAML not available (apt-get install python3-yaml)")
    else:
        print("SKIP oracle: PyYAML not available (apt-get install python3-yaml)")
else:
    files = sorted(os.path.join("tests", "acceptance", f) for f in os.listdir(HERE) if f.endswith(".yaml"))
    files += sorted(os.path.join("examples", f) for f in os.listdir(os.path.join(REPO, "examples")) if f.endswith(".yaml"))
    n = 0
    for path in files:
        with open(os.path.join(REPO, path)) as f:
            if sum(1 for line in f if line.startswith("---")) > 1:
                continue  # the oracle reads one document per file
        sim = subprocess.run([py, os.path.join(HERE, "simulate.py"), "--json", path], capture_output=True,
                             text=True, cwd=REPO)
        if sim.returncode != 0:
            fail(f"oracle failed on {path}: {sim.stderr.strip()[:200]}")
            continue
        oracle = json.loads(sim.stdout)
        mine = advise(path)
        if len(oracle) != len(mine):
            fail(f"{path}: {len(mine)} reports, oracle {len(oracle)}")
            continue
        for o, m in zip(oracle, mine):
            pairs = [("", o, m, m)]
            for oc, mc in zip(o.get("components", []), m["components"]):
                pairs.append((f" component {mc['name']}", oc, mc, mc))
            if len(o.get("components", [])) != len(m["components"]):
                fail(f"{path}: component count differs")
            for label, oe, me, mrec in pairs:
                n += 1
                bad = []
                # A system's top-level scores are vmctr's evaluation of the shared
                # fields (docs/report.md) and the oracle's sum over components:
                # for a system only the verdict is compared; its components are
                # compared in full.
                system = label == "" and bool(m["components"])
                scores = dict(me["scores"]["paradigms"], **me["scores"]["platforms"])
                for t, v in ([] if system else oe["scores"].items()):
                    if abs(float(v) - scores[t]) > 0.006:
                        bad.append(f"score {t} {scores[t]} (oracle {v})")
                if not system and sorted(oe.get("excluded", [])) != excluded(me):
                    bad.append(f"excluded {excluded(me)} (oracle {sorted(oe.get('excluded', []))})")
                rec = mrec["recommendation"]
                if rec["paradigm"] != oe["paradigm"]:
                    bad.append(f"paradigm {rec['paradigm']} (oracle {oe['paradigm']})")
                if rec["platform"] != oe["platform"]:
                    bad.append(f"platform {rec['platform']} (oracle {oe['platform']})")
                for key in ("container_platform", "platforms", "platform_ties"):
                    if rec[key] != oe[key]:
                        bad.append(f"{key} {rec[key]} (oracle {oe[key]})")
                if bad:
                    fail(f"{path}{label}: " + "; ".join(bad[:4]))
                else:
                    ok()
    print(f"oracle: {n} evaluations compared")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
