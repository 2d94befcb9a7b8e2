#!/usr/bin/env python3
"""Every text-like output stays inert, whatever the input (docs/security.md).

    tests/cli/hostile_output.py BIN

Makes, in a temporary directory, inputs whose every outside string is
hostile: file and directory names with ESC sequences, BEL, CR, LF, DEL,
NEL, U+2028, bidi controls, ZWSP, invalid UTF-8 and a line that starts with
"::error file=..."; profile text (owner, description, labels, compliance),
rule text (title, rationale, reference, risks, suggestions), a waiver and
rule-test case names with LF, NEL, C1 controls, U+2028/2029, bidi controls,
ZWSP, "::", "##[" and Azure Pipelines' "##vso[task.setvariable ...]".
Files whose names begin with "::error::" and "##vso[" are also given as
operands relative to the current directory, so that a name starts a line
(a CSV row's first cell). Then it runs every subcommand in every text-like
format (text, markdown, github, csv, scan's YAML comments; --explain,
--verbose), plainly and
under GITHUB_ACTIONS=true, and asserts of stdout and stderr alike:

  * valid UTF-8; no C0 control but LF (and TAB), no DEL, no C1 control, no
    U+2028/U+2029, no bidi or invisible format character (escape.h's list);
  * no line holds "##[" or "##vso[" (any case) anywhere: Azure Pipelines'
    agent finds "##vso[" with IndexOf (Command.TryParse), and so does
    GitHub's runner "##[" (ActionCommand.TryParse);
  * no line begins, after blanks (Unicode white space, as .NET's
    TrimStart), with "::" outside a GitHub stream, and
    none begins with the forged annotation.

Every data format (JSON, NDJSON, SARIF, JUnit, HTML; `validate --format
json`'s diagnostics) runs too, and its stdout is held to valid UTF-8 and
the marker rule: those reports are printed to CI logs as well, and their
writers escape the second '#' (\u0023, &#35;) losslessly.

`scan --base` keeps the base profile's own lines byte for byte
(docs/scan.md): those lines of its stdout are not vmctr's text and are
left out of the checks (docs/security.md says so).

A new command or format whose output writes an outside string raw fails
here: add it to CASES. Ends with "N passed, N failed".
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import testlib  # noqa: E402
from testlib import REPO  # noqa: E402

BIN = testlib.binary()
T = testlib.Tally()

# What a file name may hold (any byte but '/' and NUL).
NAME = (b"x\n::error file=README.md,line=1::FORGED\r\n##[error]F\x1b]0;pwned\x07\x1b[2J\x1b[31m"
        b"\xc2\x85\xe2\x80\xa8\xe2\x80\xae\xe2\x81\xa6\xe2\x80\x8b\xd8\x9c\xff\xfe\x7f"
        b" ##vso[task.setvariable variable=x]y")
# Names that begin a line when given relative to the current directory.
LEAD = (b"::error file=README.md,line=1::FORGED", b"##vso[task.setvariable variable=x]y",
        b"##VSO[task.complete result=Succeeded]", b"##[error]F")
# What YAML lets through in a double-quoted scalar (C0 controls but tab and
# LF are refused by the loader; so are invalid UTF-8 and raw controls).
TEXT = (r"evil\n::error file=README.md,line=1::FORGED \u202e\u2066\u200b\u061c\u0085\u2028\u2029"
        r"\u009b31m\u009d0;t\u009c\ufeff\u200f\n##[error]F ##vso[task.setvariable variable=x]y"
        r"\n##vso[task.complete result=Succeeded]done end")
FORGED = ("::error file=README.md",)
MARKERS = ("##[", "##vso[")  # found anywhere in a line (compared in lower case)
# Formats that write outside strings with the JSON or XML writer: held to
# the markers and to no line that begins with "::" (their control
# characters are the format's escapes; JSON writes a line feed as \n, XML
# as &#10;, so no data starts a line).
DATA_FORMATS = (b"json", b"ndjson", b"sarif", b"junit", b"html")


def bad_chars(s):
    return [c for c in s if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f
            or ord(c) in (0x61c, 0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff) or 0x200b <= ord(c) <= 0x200f
            or 0x202a <= ord(c) <= 0x202e or 0x2060 <= ord(c) <= 0x2064 or 0x2066 <= ord(c) <= 0x2069
            or 0xfff9 <= ord(c) <= 0xfffb]


def problems(data, github_stream, echoed=frozenset(), data_format=False):
    """What is wrong with one output stream, or []. Lines in `echoed` are
    a base profile's own, which `scan --base` keeps byte for byte. A data
    format (JSON, SARIF, JUnit, HTML) is held to UTF-8 and the markers
    only."""
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["invalid UTF-8: %s" % e]
    out = []
    bad = [] if data_format else bad_chars(s)
    if bad:
        out.append("control, bidi or format characters: %r" % sorted(set(bad)))
    for line in s.split("\n"):
        if line in echoed:
            continue
        low = line.lower()
        if any(m in low for m in MARKERS):
            out.append("a line holds a CI log command marker: %r" % line[:120])
            break
        line = line.lstrip()  # GitHub's runner trims leading white space before it parses a command
        if data_format:
            if line.startswith("::"):
                out.append("a line of a data format begins a workflow command: %r" % line[:120])
                break
            continue
        if line.startswith(FORGED) or (not github_stream and line.startswith("::")):
            out.append("a line begins a workflow command: %r" % line[:120])
            break
    return out


def profile(name, owner, extra=""):
    return ("apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: %s\n  owner: \"%s\"\n"
            "  description: \"%s\"\n  labels: {\"%s\": \"%s\"}\nspec:\n"
            "  workload: {architecture: monolith, os: linux, custom_kernel: true}\n"
            "  isolation: {compliance: [\"%s\"]}\n"
            "  decision: {paradigm: container, platform: kubernetes}\n%s"
            % (name, owner, TEXT, "k" + TEXT, TEXT, TEXT, extra))


RULES = """apiVersion: vmctr/v1
kind: RuleSet
rules:
  - id: strategy.evil-text
    title: "Title %(t)s"
    category: strategy
    reference: "ref %(t)s"
    rationale: "Rationale %(t)s"
    when: {field: workload.os, op: eq, value: linux}
    scores: {vm: 1}
    excludes: [microvm]
    risks: ["risk %(t)s"]
    suggests:
      - {topic: pipeline, text: "suggest %(t)s"}
""" % {"t": TEXT}

RULE_TESTS = """apiVersion: vmctr/v1
kind: RuleTest
tests:
  - name: "passes %(t)s"
    profile: {workload: {os: linux}}
    expect: {fires: [strategy.evil-text]}
  - name: "fails %(t)s"
    profile: {workload: {os: linux}}
    expect: {paradigm: container, not_fires: [strategy.evil-text]}
  - name: "missing file %(t)s"
    file: "missing %(t)s.yaml"
    expect: {fires: [strategy.evil-text]}
""" % {"t": TEXT}

WAIVERS = """apiVersion: vmctr/v1
kind: WaiverSet
waivers:
  - profile: hostile*
    rule: workload.custom-kernel
    reason: "reason %(t)s"
    owner: "owner %(t)s"
    expires: 2027-01-31
  - profile: "nothing-%(t)s"
    rule: strategy.evil-text
    reason: "unused %(t)s"
    owner: "owner %(t)s"
    expires: 2020-01-31
""" % {"t": TEXT}


def write(path, text):
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8"))


def main():
    tmp = tempfile.mkdtemp(prefix="vmctr-hostile-out.")
    try:
        return run_all(os.fsencode(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(tmp):
    j = os.path.join
    try:
        d = j(tmp, NAME + b"-dir")
        os.mkdir(d)
    except OSError as e:
        T.skip("the file system refuses hostile names: %s" % e)
        return T.done()
    a, b = j(d, NAME + b"-a.yaml"), j(d, NAME + b"-b.yaml")
    write(a, profile("hostile-a", "team"))
    write(b, profile("hostile-b", "team" + TEXT,
                     "  components:\n    - name: web\n      workload: {architecture: microservices}\n"))
    bad = j(tmp, NAME + b"-invalid.yaml")
    write(bad, "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: \"x%s\", \"k%s\": 1}\n" % (TEXT, TEXT))
    rules = j(tmp, NAME + b"-rules")
    os.mkdir(rules)
    write(j(rules, NAME + b".yaml"), RULES)
    tests = j(tmp, NAME + b"-tests")
    os.mkdir(tests)
    write(j(tests, NAME + b".test.yaml"), RULE_TESTS)
    write(j(tests, NAME + b".yaml"), RULES)
    waivers = j(tmp, NAME + b"-waivers.yaml")
    write(waivers, WAIVERS)
    repo = j(tmp, NAME + b"-repo")  # scan: evidence names the files
    os.makedirs(j(repo, NAME + b"-k8s"))
    write(j(repo, NAME + b".Dockerfile"), "FROM alpine\n")
    write(j(repo, NAME + b"-k8s", b"deploy.yaml"), "apiVersion: apps/v1\nkind: StatefulSet\n")
    lead = j(tmp, b"lead")  # operands relative to it: a name starts a line
    os.mkdir(lead)
    for n in LEAD:
        write(j(lead, n + b".yaml"), profile("hostile-lead", "team"))
    L = [n + b".yaml" for n in LEAD]
    lead_cases = [
        [b"advise", b"--format", b"csv", *L], [b"advise", *L], [b"advise", b"--format", b"markdown", L[1]],
        [b"check", *L], [b"check", b"--format", b"github", *L], [b"check", b"--verbose", b"."],
        [b"portfolio", *L], [b"validate", b"--verbose", *L], [b"diff", L[0], L[1]],
    ]
    R = [b"--rules", rules]
    cases = [
        [b"advise", a], [b"advise", b], [b"advise", b"--explain", b], [b"advise", b"--explain", *R, b],
        [b"advise", b"--format", b"markdown", *R, b], [b"advise", b"--format", b"csv", *R, b],
        [b"advise", *R, b"--what-if", b"workload.os=windows", b], [b"advise", bad],
        [b"check", d], [b"check", *R, b], [b"check", b"--verbose", d], [b"check", b"--format", b"github", *R, d],
        [b"check", *R, b"--waivers", waivers, b"--today", b"2026-12-06", d],
        [b"check", b"--format", b"github", *R, b"--waivers", waivers, b"--today", b"2026-12-06", d],
        [b"check", bad], [b"check", b"--format", b"github", bad],
        [b"portfolio", d], [b"portfolio", *R, d], [b"portfolio", *R, d, bad],
        [b"diff", a, b], [b"diff", *R, a, b], [b"diff", b, a], [b"diff", a, bad],
        [b"rules", b"list", *R], [b"rules", b"show", b"strategy.evil-text", *R], [b"rules", b"lint", rules],
        [b"rules", b"test", tests], [b"rules", b"test", b"--no-builtin-rules", tests],
        [b"validate", d, bad], [b"validate", bad], [b"validate", b"--verbose", d, bad],
        [b"scan", repo], [b"scan", b"--base", b, repo],
    ]
    # the data formats, printed to a CI log as often as the text ones
    F = lambda f: [b"--format", f]  # noqa: E731
    cases += [
        [b"advise", *F(b"json"), *R, b], [b"advise", *F(b"ndjson"), *R, a, b], [b"advise", *F(b"html"), *R, b],
        [b"advise", *F(b"json"), *R, b"--what-if", b"workload.os=windows", b], [b"advise", *F(b"json"), bad],
        [b"check", *F(b"json"), *R, b], [b"check", *F(b"sarif"), *R, b], [b"check", *F(b"junit"), *R, b],
        [b"check", *F(b"json"), *R, b"--waivers", waivers, b"--today", b"2026-12-06", d],
        [b"check", *F(b"sarif"), *R, b"--waivers", waivers, b"--today", b"2026-12-06", d],
        [b"check", *F(b"junit"), *R, b"--waivers", waivers, b"--today", b"2026-12-06", d],
        [b"check", *F(b"json"), bad], [b"check", *F(b"sarif"), bad], [b"check", *F(b"junit"), bad],
        [b"portfolio", *F(b"json"), *R, d, bad], [b"portfolio", *F(b"html"), *R, d, bad],
        [b"diff", *F(b"json"), *R, a, b], [b"diff", *F(b"json"), a, bad],
        [b"rules", b"list", *F(b"json"), *R], [b"rules", b"show", b"strategy.evil-text", *F(b"json"), *R],
        [b"rules", b"test", *F(b"json"), tests], [b"rules", b"test", *F(b"junit"), tests],
        [b"validate", *F(b"json"), d, bad],
    ]
    lead_cases += [
        [b"advise", *F(b"json"), *L], [b"advise", *F(b"ndjson"), *L], [b"advise", *F(b"html"), L[1]],
        [b"check", *F(b"json"), *L], [b"check", *F(b"sarif"), *L], [b"check", *F(b"junit"), *L],
        [b"portfolio", *F(b"json"), *L], [b"portfolio", *F(b"html"), *L], [b"diff", *F(b"json"), L[0], L[1]],
        [b"validate", *F(b"json"), *L],
    ]
    for args, cwd in [(c, REPO) for c in cases] + [(c, lead) for c in lead_cases]:
        for gh in (False, True):
            env = testlib.env(COLUMNS="60")
            env.pop("GITHUB_ACTIONS", None)
            if gh:
                env["GITHUB_ACTIONS"] = "true"
            p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd,
                               stdin=subprocess.DEVNULL, timeout=120)
            what = b" ".join(args).replace(tmp, b"T").replace(NAME, b"N").decode("utf-8", "backslashreplace")
            what += " (GITHUB_ACTIONS=true)" if gh else ""
            if p.returncode > 5 or p.returncode < 0:
                T.ok(False, what + ": exit %d" % p.returncode, p.stderr[-300:])
                continue
            github_out = b"github" in args
            echoed = frozenset()
            if b"--base" in args:
                with open(args[args.index(b"--base") + 1], "rb") as f:
                    echoed = frozenset(f.read().decode("utf-8").split("\n"))
            fmt = args[args.index(b"--format") + 1] if b"--format" in args else b"text"
            data_out = fmt in DATA_FORMATS
            for stream, data, ghs in (("stdout", p.stdout, github_out), ("stderr", p.stderr, gh)):
                probs = problems(data, ghs, echoed if stream == "stdout" else frozenset(),
                                 data_out and stream == "stdout")
                T.ok(not probs, "%s: %s is inert" % (what, stream), "; ".join(probs))
            if not p.stdout and not p.stderr:
                T.ok(False, what + ": no output at all (the case tests nothing)")
    return T.done()


if __name__ == "__main__":
    sys.exit(main())
