#!/usr/bin/env python3
"""`vmctr version`: what it claims is what the program does.

    tests/cli/version.py BIN

  * `version --format json` is one JSON object, schema vmctr.version/v1;
    its version is the first line of `--version` and VMCTR_VERSION;
  * the rules count and digest are those of `vmctr rules list` (footer) and
    of `advise --format json` (tool.rules_digest);
  * every document format it names is the one the program really reads or
    writes: the "schema" member of advise/check/portfolio/diff JSON, of the
    ndjson error record and of itself; the apiVersion of a profile written
    by `vmctr init` and of the built-in rule files;
  * the library versions are those pkg-config reports (same machine);
  * the text form carries the same values; output is deterministic.
Ends with "N passed, N failed".
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import testlib  # noqa: E402
from testlib import REPO  # noqa: E402

BIN = testlib.binary()
ENV = testlib.env(COLUMNS="100")
EX = os.path.join(REPO, "examples", "billing-api.yaml")
T = testlib.Tally(verbose=True)
ok = T.ok


def run(*args, stdin=None, codes=(0,)):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, env=ENV, cwd=REPO, input=stdin)
    if p.returncode not in codes:
        sys.exit("vmctr %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr[:300]))
    return p.stdout


raw = run("version", "--format", "json")
v = json.loads(raw)
ok(raw == run("version", "--format", "json"), "version --format json is deterministic")
ok(v["schema"] == "vmctr.version/v1" and v["name"] == "vmctr", "schema and name", v)
first = run("--version").splitlines()[0]
ok(first == "vmctr " + v["version"], "version = --version's first line", first)
hdr = open(os.path.join(REPO, "include", "vmctr", "common.h")).read()
ok('#define VMCTR_VERSION "%s"' % v["version"] in hdr, "version = VMCTR_VERSION")

footer = " ".join(run("rules", "list").strip().splitlines()[-2:])
m = re.search(r"(\d+) rules? \(.*\),? digest (\S+)$", footer)
ok(m and int(m.group(1)) == v["rules"]["count"] and m.group(2) == v["rules"]["digest"],
   "rules count and digest = rules list", footer)
rep = json.loads(run("advise", "--format", "json", EX))
ok(rep["tool"]["rules_digest"] == v["rules"]["digest"], "rules digest = the report's tool.rules_digest",
   rep["tool"])

s = v["schemas"]
ok(rep["schema"] == s["report"], "report schema", rep["schema"])
rl = json.loads(run("advise", "--format", "json", EX, EX))
ok(rl["schema"] == s["report-list"], "report list schema (two documents)", rl["schema"])
wv = os.path.join(REPO, "examples", "waivers", "gate.yaml")
ok(re.search(r"^apiVersion: %s$" % re.escape(s["waivers"]), open(wv).read(), re.M), "waivers apiVersion",
   open(wv).read()[:300])
ck = json.loads(run("check", "--format", "json", EX, codes=(0, 1)))
ok(ck["schema"] == s["check"], "check schema", ck["schema"])
pf = json.loads(run("portfolio", "--format", "json", EX))
ok(pf["schema"] == s["portfolio"], "portfolio schema", pf["schema"])
df = json.loads(run("diff", "--format", "json", EX, EX))
ok(df["schema"] == s["diff"], "diff schema", df["schema"])
er = json.loads(run("advise", "--format", "ndjson", "-", stdin="apiVersion: nope\n", codes=(3,)).splitlines()[0])
ok(er["schema"] == s["error"], "error record schema", er["schema"])
rt = json.loads(run("rules", "test", "--format", "json", os.path.join(REPO, "rules", "tests"), codes=(0, 1)))
ok(rt["schema"] == s["rules-test"], "rules test schema", rt["schema"])
ok(s["version"] == v["schema"], "version schema names itself")
# every JSON document id the sources write is listed (add new ones to
# schemas[] in src/cli/cmd_version.c)
ids = set()
for d in ("src/cli", "src/lib"):
    for f in sorted(glob.glob(os.path.join(REPO, d, "*.c"))):
        ids |= set(re.findall(r'vmctr\.[a-z-]+/v[0-9]+', open(f, encoding="utf-8", errors="replace").read()))
ok(ids <= set(s.values()), "every vmctr.*/vN id in src/ is listed by version", sorted(ids - set(s.values())))
# every output format has a schema users can validate against: a file in
# schemas/ or one `vmctr schema` prints (report, report list, error record)
printed = {s["report"], s["report-list"], s["error"]}
missing = sorted(i for i in ids if i not in printed and not os.path.exists(
    os.path.join(REPO, "schemas", i.split(".", 1)[1].replace("/", "-") + ".json")))
ok(not missing, "every output id has schemas/<name>-vN.json or is printed by vmctr schema", missing)
prof = run("init", "--no-input", "--set", "name=x")
ok(re.search(r"^apiVersion: %s$" % re.escape(s["profile"]), prof, re.M), "profile apiVersion (vmctr init)",
   prof[:200])
rule_files = sorted(glob.glob(os.path.join(REPO, "rules", "*.yaml")))
ok(rule_files and all(re.search(r"^apiVersion: %s$" % re.escape(s["rules"]), open(f).read(), re.M)
                      for f in rule_files), "rules apiVersion (rules/*.yaml)")

if shutil.which("pkg-config"):
    for lib, pc in (("libyaml", "yaml-0.1"), ("cjson", "libcjson")):
        p = subprocess.run(["pkg-config", "--modversion", pc], capture_output=True, text=True)
        ok(p.returncode == 0 and p.stdout.strip() == v["libraries"][lib], "%s version = pkg-config %s" % (lib, pc),
           (p.stdout.strip(), v["libraries"][lib]))
else:
    ok(all(re.match(r"^\d+\.\d+\.\d+$", x) for x in v["libraries"].values()), "library versions look like x.y.z")

text = run("version")
ok(text == run("version"), "text form is deterministic")
ok(text.startswith(first + "\n"), "text starts with --version's line")
for needle in [v["rules"]["digest"], str(v["rules"]["count"]), v["libraries"]["libyaml"], v["libraries"]["cjson"]] + \
        ["%s %s" % (k, x) for k, x in s.items()]:
    ok(needle in text, "text form names %s" % needle)

p = subprocess.run([BIN, "version", "extra"], capture_output=True, text=True, env=ENV)
ok(p.returncode == 2, "an operand is a usage error")
p = subprocess.run([BIN, "version", "--format", "xml"], capture_output=True, text=True, env=ENV)
ok(p.returncode == 2, "an unknown format is a usage error")

sys.exit(T.done())
