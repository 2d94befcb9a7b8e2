#!/usr/bin/env python3
"""Benchmark peer: Python + PyYAML (C loader) + naive rules + json.dumps.

The plain way to write vmctr in a scripting language, for comparison in
bench/run.sh: load every document of a multi-document YAML stream with
`yaml.load_all(..., Loader=yaml.CLoader)`, evaluate every rule of the
catalogue (translated from rules/ by rules_to_json.py --py) with a recursive
interpreter, pick the paradigm and the platform, and print one JSON report per
profile (NDJSON) with the fired rules, blockers and unknowns.  Components are
evaluated one by one on the merged spec, as vmctr does.  It does no
validation and no counterfactuals, so it does less work than vmctr.

    py_peer.py CATALOGUE.json CORPUS.yaml > reports.ndjson
"""

import json
import sys

import yaml

CAT = None
PRIO_DEFAULT = 3


def flatten(spec):
    """{section: {field: v}} -> {"section.field": v}, nulls dropped."""
    flat = {}
    for sec in CAT["categories"]:
        d = spec.get(sec)
        if isinstance(d, dict):
            for k, v in d.items():
                if v is not None:
                    flat[sec + "." + k] = v
    return flat


def cmp_val(field, v):
    order = CAT["ordered"].get(field)
    if order is not None:
        return order.index(v) if v in order else None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return v


def leaf(c, flat):
    op = c["op"]
    f = c["field"]
    if f not in flat:
        return op == "unknown"
    v = flat[f]
    if op == "known":
        return True
    if op == "unknown":
        return False
    want = c["value"]
    if op == "eq":
        return v == want
    if op == "ne":
        return v != want
    if op == "in":
        return v in want
    if op == "not_in":
        return v not in want
    if op == "contains":
        return isinstance(v, list) and want in v
    a, b = cmp_val(f, v), cmp_val(f, want)
    if a is None or b is None:
        return False
    if op == "gt":
        return a > b
    if op == "gte":
        return a >= b
    if op == "lt":
        return a < b
    return a <= b


def holds(c, flat):
    if c is None:
        return True
    if "all" in c:
        return all(holds(x, flat) for x in c["all"])
    if "any" in c:
        return any(holds(x, flat) for x in c["any"])
    if "not" in c:
        return not holds(c["not"], flat)
    return leaf(c, flat)


def evaluate(spec):
    flat = flatten(spec)
    prio = spec.get("priorities") or {}
    par = {p: 0.0 for p in CAT["paradigms"]}
    plat = {p: 0.0 for p in CAT["platforms"]}
    excluded = set()
    rationale, blockers = [], []
    for r in CAT["rules"]:
        if not holds(r["when"], flat):
            continue
        if r["excludes"]:
            excluded.update(r["excludes"])
            blockers.append({"rule": r["id"], "excludes": r["excludes"],
                             "reference": r["reference"]})
        w = prio.get(r["category"], PRIO_DEFAULT) / 3.0
        if w == 0 or not r["scores"]:
            continue
        total = 0.0
        for k, s in r["scores"].items():
            c = s * w
            if k in par:
                par[k] += c
                total += c
            elif k in plat:
                plat[k] += c
        rationale.append({
            "rule": r["id"], "category": r["category"], "contribution": total,
            "reference": r["reference"],
            "because": [{"field": "spec." + f, "value": flat[f]}
                        for f in r["fields"] if f in flat]})
    cands = [p for p in CAT["paradigms"] if p not in excluded] or CAT["paradigms"]
    ranked = sorted(cands, key=lambda p: (-par[p], CAT["paradigms"].index(p)))
    best = ranked[0]
    second = par[ranked[1]] if len(ranked) > 1 else 0.0
    margin = par[best] - second
    conf = margin / (abs(par[best]) + abs(second) + 1.0)
    pp = CAT["platform_paradigm"]
    pcands = [p for p in CAT["platforms"] if p not in excluded
              and (best == "hybrid" or pp[p] == best)] or CAT["platforms"]
    platform = max(pcands, key=lambda p: (plat[p], -CAT["platforms"].index(p)))
    unknowns = [{"field": "spec." + f, "swing": CAT["swing"].get(f, 0.0)}
                for f in CAT["fields"] if f not in flat]
    rationale.sort(key=lambda x: (-abs(x["contribution"]), x["rule"]))
    return {"paradigm": best, "platform": platform,
            "confidence": round(max(0.0, min(1.0, conf)), 3)}, \
        {"paradigms": par, "platforms": plat}, rationale, blockers, unknowns


def merge(parent, comp):
    out = dict(parent)
    for k, v in comp.items():
        if k == "name":
            continue
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            m = dict(out[k])
            m.update(v)
            out[k] = m
        else:
            out[k] = v
    return out


def report(doc, fname):
    spec = doc.get("spec") or {}
    rec, scores, rationale, blockers, unknowns = evaluate(spec)
    comps = []
    for c in spec.get("components") or []:
        crec = evaluate(merge(spec, c))[0]
        comps.append({"name": c.get("name"), "recommendation": crec})
    if comps:
        ps = {c["recommendation"]["paradigm"] for c in comps}
        rec["paradigm"] = "hybrid" if len(ps) > 1 else ps.pop()
    return {"schema": "vmctr.report/v1",
            "profile": {"name": (doc.get("metadata") or {}).get("name"),
                        "file": fname},
            "recommendation": rec, "scores": scores, "rationale": rationale,
            "blockers": blockers, "unknowns": unknowns,
            "counterfactuals": [], "components": comps}


def main():
    global CAT
    if len(sys.argv) != 3:
        sys.stderr.write("usage: py_peer.py CATALOGUE.json CORPUS.yaml\n")
        return 2
    with open(sys.argv[1]) as fh:
        CAT = json.load(fh)
    out = sys.stdout
    n = 0
    with open(sys.argv[2], "rb") as fh:
        for doc in yaml.load_all(fh, Loader=yaml.CLoader):
            if doc is None:
                continue
            out.write(json.dumps(report(doc, sys.argv[2])))
            out.write("\n")
            n += 1
    sys.stderr.write("py_peer: %d profiles\n" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
