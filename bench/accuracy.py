#!/usr/bin/env python3
"""bench/accuracy.py -- how often vmctr agrees with real, cited platform decisions.

Usage:
  bench/accuracy.py --vmctr build/release/vmctr            # print the tables
  bench/accuracy.py --vmctr BIN --doc docs/accuracy.md     # and write the doc
  bench/accuracy.py --vmctr BIN --check-floor bench/decisions/floor.json \
                    --check-doc docs/accuracy.md        # the `make test` check

Every bench/decisions/*.yaml is a workload profile of one organisation's
documented decision.  Its leading comment block carries the case's facts in
`# key: value` lines (see bench/decisions/README.md):

  # <one-line summary of the decision>
  # year: 2018
  # category: micro-vm
  # decision: microvm firecracker      (paradigm, then platform or '-')
  # accept-paradigm: hybrid            (optional, space-separated)
  # accept-platform: kata-containers   (optional, space-separated)
  # note: ...                          (optional, repeated)
  # source: https://...                (repeated, at least one)

The runner asks `vmctr advise --format json` for each case and compares.
A paradigm agrees when vmctr's paradigm is the organisation's (or an accepted
alternative) and is not a tie; a platform agrees likewise, and is scored only
when the case names a platform.  For a hybrid decision the platform agrees
when either of vmctr's two platforms (VM side, container side) matches.

Output is deterministic (sorted by file name; no timestamps), so the
generated docs/accuracy.md changes only when the cases or the rules do.
python3 standard library only.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = os.path.join(HERE, "decisions")

PARADIGMS = ("vm", "container", "hybrid", "microvm")
PLATFORMS = ("vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "cloud-vm",
             "docker", "kubernetes", "kata-containers", "firecracker", "gvisor")
CATEGORIES = (
    ("vm-kept", "VMs kept or chosen"),
    ("vmware-exit", "VMware exits"),
    ("windows", "Windows shops"),
    ("container", "Containers"),
    ("small-team", "Small teams"),
    ("micro-vm", "Micro-VMs"),
    ("untrusted-code", "Untrusted code, not on micro-VMs"),
    ("hybrid", "Hybrid estates"),
    ("edge", "Edge fleets"),
    ("regulated", "Regulated industries"),
    ("gpu-ml", "GPU / ML"),
    ("telco", "Telco"),
)
GROUPS = {
    "vm": ("vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "cloud-vm"),
    "container": ("docker", "kubernetes"),
    "microvm": ("kata-containers", "firecracker", "gvisor"),
}
KEYS = ("year", "category", "decision", "accept-paradigm", "accept-platform",
        "note", "source")
TOP = 3  # reasons shown per side


class CaseError(Exception):
    pass


def parse_case(path):
    """The `# key: value` header of one case file."""
    head = {"note": [], "source": [], "summary": []}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.startswith("#"):
                break
            text = line[1:].strip()
            key, sep, value = text.partition(":")
            if sep and key in KEYS and not key.startswith("http"):
                value = value.strip()
                if key in ("note", "source"):
                    head[key].append(value)
                elif key in head:
                    raise CaseError(f"{path}:{n}: '{key}' given twice")
                else:
                    head[key] = value
            elif len(head) == 3 and not head["note"] and not head["source"]:
                head["summary"].append(text)  # title lines before the keys
    for key in ("year", "category", "decision"):
        if key not in head:
            raise CaseError(f"{path}: header has no '# {key}:' line")
    if not head["source"]:
        raise CaseError(f"{path}: header has no '# source:' line")
    for url in head["source"]:
        if not url.startswith(("http://", "https://")):
            raise CaseError(f"{path}: source is not a URL: {url}")
    if not head["year"].isdigit():
        raise CaseError(f"{path}: year is not a number: {head['year']}")
    if head["category"] not in dict(CATEGORIES):
        raise CaseError(f"{path}: unknown category {head['category']}")
    parts = head["decision"].split()
    if len(parts) != 2 or parts[0] not in PARADIGMS or \
            (parts[1] != "-" and parts[1] not in PLATFORMS):
        raise CaseError(f"{path}: decision must be 'PARADIGM PLATFORM|-': {head['decision']}")
    acc_par = head.get("accept-paradigm", "").split()
    acc_plat = head.get("accept-platform", "").split()
    for p in acc_par:
        if p not in PARADIGMS:
            raise CaseError(f"{path}: unknown accepted paradigm {p}")
    for p in acc_plat:
        if p not in PLATFORMS:
            raise CaseError(f"{path}: unknown accepted platform {p}")
    return {
        "file": os.path.basename(path),
        "name": os.path.splitext(os.path.basename(path))[0],
        "summary": " ".join(head["summary"]),
        "year": int(head["year"]),
        "category": head["category"],
        "paradigm": parts[0],
        "platform": None if parts[1] == "-" else parts[1],
        "accept_paradigm": [parts[0]] + acc_par,
        "accept_platform": ([parts[1]] if parts[1] != "-" else []) + acc_plat,
        "notes": head["note"],
        "sources": head["source"],
    }


def advise(vmctr, path):
    proc = subprocess.run([vmctr, "advise", "--format", "json", path],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False)
    if proc.returncode != 0:
        raise CaseError(f"{path}: vmctr advise exited {proc.returncode}: "
                        + proc.stderr.decode("utf-8", "replace").strip())
    return json.loads(proc.stdout.decode("utf-8"))


def tied(scores, best):
    top = scores.get(best)
    return sorted(k for k, v in scores.items() if v == top)


def reasons_for(report, target, limit=TOP):
    """The rules that pushed towards `target` hardest, strongest first."""
    out = []
    for r in report.get("rationale", []):
        eff = r.get("effects", {}).get(target, 0)
        if eff > 0:
            out.append((eff, r["rule"]))
    out.sort(key=lambda e: (-e[0], e[1]))
    return [f"{rule} (+{fmt(eff)})" for eff, rule in out[:limit]]


def blockers_of(report, target):
    return [b["rule"] for b in report.get("blockers", [])
            if target in b.get("excludes", [])]


def fmt(x):
    x = round(float(x), 2)
    return str(int(x)) if x == int(x) else f"{x:g}"


def judge(case, report):
    rec = report["recommendation"]
    # a blocked target is out of the running: it cannot tie with the choice
    blocked = {t for b in report.get("blockers", []) for t in b.get("excludes", [])}
    par_scores = {k: v for k, v in report["scores"]["paradigms"].items() if k not in blocked}
    plat_scores = {k: v for k, v in report["scores"]["platforms"].items() if k not in blocked}
    par = rec["paradigm"]
    par_tie = tied(par_scores, par)
    res = {"vmctr_paradigm": par, "paradigm_tie": par_tie if len(par_tie) > 1 else None}
    res["paradigm_ok"] = par in case["accept_paradigm"] and res["paradigm_tie"] is None
    plats = [p for p in (rec.get("platform"), rec.get("container_platform")) if p]
    res["vmctr_platforms"] = plats
    main = rec.get("platform")
    # a platform tie is a tie among the platforms of the same paradigm
    group = next((g for g in GROUPS.values() if main in g), ())
    plat_tie = tied({k: v for k, v in plat_scores.items() if k in group}, main) \
        if main in plat_scores else []
    res["platform_tie"] = plat_tie if len(plat_tie) > 1 else None
    if case["platform"] is None:
        res["platform_ok"] = None
    else:
        hit = any(p in case["accept_platform"] for p in plats)
        res["platform_ok"] = hit and res["platform_tie"] is None
    if not res["paradigm_ok"]:
        res["par_why_vmctr"] = reasons_for(report, par)
        res["par_why_org"] = reasons_for(report, case["paradigm"])
        res["par_blocked"] = blockers_of(report, case["paradigm"])
        all_par = report["scores"]["paradigms"]
        res["par_scores"] = (fmt(all_par.get(par, 0)), fmt(all_par.get(case["paradigm"], 0)))
    if res["platform_ok"] is False:
        res["plat_why_vmctr"] = reasons_for(report, main) if main else []
        res["plat_why_org"] = reasons_for(report, case["platform"])
        all_plat = report["scores"]["platforms"]
        res["plat_scores"] = (fmt(all_plat.get(main, 0)) if main else "-",
                              fmt(all_plat.get(case["platform"], 0))
                              if case["platform"] in all_plat else "n/a")
    return res


def pct(n, d):
    return "n/a" if d == 0 else f"{100.0 * n / d:.0f}%"


def tally(rows):
    par_n = len(rows)
    par_ok = sum(1 for _, r in rows if r["paradigm_ok"])
    plat_rows = [r for _, r in rows if r["platform_ok"] is not None]
    plat_ok = sum(1 for r in plat_rows if r["platform_ok"])
    return par_ok, par_n, plat_ok, len(plat_rows)


def load(vmctr, files):
    rows = []
    for path in files:
        case = parse_case(path)
        rows.append((case, judge(case, advise(vmctr, path))))
    return rows


def category_table(rows):
    lines = ["| category | cases | paradigm agrees | platform agrees (cases naming one) |",
             "|---|---:|---:|---:|"]
    for key, label in CATEGORIES:
        sub = [(c, r) for c, r in rows if c["category"] == key]
        if not sub:
            continue
        a, n, b, m = tally(sub)
        lines.append(f"| {label} (`{key}`) | {n} | {a}/{n} ({pct(a, n)}) | {b}/{m} ({pct(b, m)}) |")
    a, n, b, m = tally(rows)
    lines.append(f"| **all** | **{n}** | **{a}/{n} ({pct(a, n)})** | **{b}/{m} ({pct(b, m)})** |")
    return lines


def show_decision(par, plat):
    return f"{par} / {plat}" if plat else f"{par} / (not scored)"


def case_table(rows):
    lines = ["| case | year | category | decision | vmctr | paradigm | platform |",
             "|---|---:|---|---|---|:-:|:-:|"]
    for c, r in rows:
        vm = r["vmctr_paradigm"] + " / " + (" + ".join(r["vmctr_platforms"]) or "-")
        if r["paradigm_tie"]:
            vm += " (paradigm tie: " + ", ".join(r["paradigm_tie"]) + ")"
        elif r["platform_tie"]:
            vm += " (platform tie: " + ", ".join(r["platform_tie"]) + ")"
        po = "yes" if r["paradigm_ok"] else "**no**"
        pl = "-" if r["platform_ok"] is None else ("yes" if r["platform_ok"] else "**no**")
        lines.append(f"| [{c['name']}](#{c['name']}) | {c['year']} | {c['category']} | "
                     f"{show_decision(c['paradigm'], c['platform'])} | {vm} | {po} | {pl} |")
    return lines


def disagreement_lines(rows):
    lines = []
    for c, r in rows:
        if r["paradigm_ok"] and r["platform_ok"] is not False:
            continue
        lines.append(f"### {c['name']}")
        lines.append("")
        if c["summary"]:
            lines.append(f"{c['summary']} ({c['year']}; `bench/decisions/{c['file']}`).")
            lines.append("")
        if not r["paradigm_ok"]:
            if r["paradigm_tie"]:
                lines.append(f"- Paradigm: vmctr has no evidence separating "
                             f"{', '.join(r['paradigm_tie'])} (a tie); the organisation chose "
                             f"**{c['paradigm']}**.")
            else:
                s_v, s_o = r["par_scores"]
                lines.append(f"- Paradigm: vmctr **{r['vmctr_paradigm']}** ({s_v}) vs the "
                             f"organisation's **{c['paradigm']}** ({s_o}).")
            lines.append(f"  - for {r['vmctr_paradigm']}: "
                         + (", ".join(r["par_why_vmctr"]) or "no rule fired"))
            if c["paradigm"] != r["vmctr_paradigm"]:
                lines.append(f"  - for {c['paradigm']}: "
                             + (", ".join(r["par_why_org"]) or "no rule fired"))
            if r["par_blocked"]:
                lines.append(f"  - {c['paradigm']} is excluded by: " + ", ".join(r["par_blocked"]))
        if r["platform_ok"] is False:
            vm = " + ".join(r["vmctr_platforms"]) or "none"
            s_v, s_o = r["plat_scores"]
            tie = (" (a tie of " + ", ".join(r["platform_tie"]) + ")") if r["platform_tie"] else ""
            lines.append(f"- Platform: vmctr **{vm}** ({s_v}){tie} vs the organisation's "
                         f"**{c['platform']}** ({s_o}).")
            lines.append(f"  - for {r['vmctr_platforms'][0] if r['vmctr_platforms'] else '-'}: "
                         + (", ".join(r.get("plat_why_vmctr", [])) or "no rule"))
            lines.append(f"  - for {c['platform']}: "
                         + (", ".join(r["plat_why_org"]) or "no rule fired"))
        if c["notes"]:
            lines.append("- Case note: " + " ".join(c["notes"]))
        lines.append("")
    return lines


def source_lines(rows):
    lines = []
    for c, _ in rows:
        srcs = " ".join(f"<{u}>" for u in c["sources"])
        lines.append(f"- <a id=\"{c['name']}\"></a>**{c['name']}** ({c['year']}): {srcs}")
    return lines


def explanations():
    path = os.path.join(HERE, "decisions", "EXPLAINED.md")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return f.read().rstrip("\n").split("\n")


def write_doc(rows, path):
    a, n, b, m = tally(rows)
    out = [
        "# Accuracy against real decisions",
        "",
        "Generated by `make bench` (bench/accuracy.py over bench/decisions/*.yaml).",
        "Do not edit by hand: edit the cases or bench/decisions/EXPLAINED.md and run",
        "`python3 bench/accuracy.py --vmctr build/release/vmctr --doc docs/accuracy.md`.",
        "",
        f"Over **{n}** documented platform decisions of named organisations, vmctr's",
        f"paradigm agrees with the decision in **{a}/{n} ({pct(a, n)})** and its platform",
        f"in **{b}/{m} ({pct(b, m)})** of the cases that name a platform.",
        "",
        "Each case is a workload profile that fills only the fields its cited",
        "sources support (the evidence is quoted next to each field); everything",
        "else is absent, i.e. unknown to vmctr. A paradigm or platform counts as",
        "agreeing only when vmctr chose it (or an alternative the case accepts",
        "because its source is ambiguous) and did not merely pick it from a tie.",
        "A hybrid decision's platform agrees when either of vmctr's two",
        "platforms matches. Cases whose sources do not name one platform",
        "(\"not scored\") count for the paradigm only. The floor in",
        "bench/decisions/floor.json is checked by `make test` (test `accuracy-floor`).",
        "",
        "## By category",
        "",
    ]
    out += category_table(rows)
    out += ["", "## Cases", ""]
    out += case_table(rows)
    out += ["", "## Disagreements", "",
            "For each disagreement: the strongest rules for vmctr's choice and for",
            "the organisation's (weighted contribution in brackets), the blockers",
            "that exclude the organisation's choice, and the case's own note.",
            ""]
    out += disagreement_lines(rows)
    expl = explanations()
    if expl:
        out += expl + [""]
    out += ["## Sources", ""]
    out += source_lines(rows)
    out.append("")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def check_floor(rows, path):
    with open(path, encoding="utf-8") as f:
        floor = json.load(f)
    a, n, b, m = tally(rows)
    bad = []
    if n < floor["cases"]:
        bad.append(f"cases: {n} < floor {floor['cases']}")
    if a < floor["paradigm_agree"]:
        bad.append(f"paradigm agreement: {a}/{n} < floor {floor['paradigm_agree']}")
    if b < floor["platform_agree"]:
        bad.append(f"platform agreement: {b}/{m} < floor {floor['platform_agree']}")
    for msg in bad:
        print("accuracy floor: " + msg, file=sys.stderr)
    if not bad and (a > floor["paradigm_agree"] or b > floor["platform_agree"]):
        print(f"accuracy: {a}/{n} paradigm, {b}/{m} platform is above the floor in "
              f"{os.path.relpath(path, ROOT)}: raise it", file=sys.stderr)
    return not bad


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vmctr", required=True, help="the vmctr binary")
    ap.add_argument("--doc", help="write the generated Markdown here")
    ap.add_argument("--check-floor", metavar="JSON",
                    help="exit 1 when agreement is below this floor")
    ap.add_argument("--check-doc", metavar="MD",
                    help="exit 1 when this generated doc is not what --doc would write")
    ap.add_argument("--quiet", action="store_true", help="no tables on stdout")
    args = ap.parse_args(argv)
    files = sorted(glob.glob(os.path.join(CASES, "*.yaml")))
    try:
        rows = load(args.vmctr, files)
    except (CaseError, OSError, ValueError) as e:
        print(f"accuracy: {e}", file=sys.stderr)
        return 2
    if not args.quiet:
        print("\n".join(category_table(rows)))
        for c, r in rows:
            if not r["paradigm_ok"] or r["platform_ok"] is False:
                print(f"disagree: {c['name']}: org {c['paradigm']}/{c['platform'] or '-'}"
                      f" vmctr {r['vmctr_paradigm']}/{'+'.join(r['vmctr_platforms']) or '-'}")
    if args.doc:
        write_doc(rows, args.doc)
    status = 0
    if args.check_floor and not check_floor(rows, args.check_floor):
        status = 1
    if args.check_doc:
        fd, tmp = tempfile.mkstemp(suffix=".md")
        os.close(fd)
        try:
            write_doc(rows, tmp)
            with open(tmp, encoding="utf-8") as f:
                want = f.read()
        finally:
            os.unlink(tmp)
        try:
            with open(args.check_doc, encoding="utf-8") as f:
                have = f.read()
        except OSError:
            have = None
        if have != want:
            print(f"accuracy: {args.check_doc} is stale; run: python3 bench/accuracy.py "
                  f"--vmctr {args.vmctr} --doc {args.check_doc}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
