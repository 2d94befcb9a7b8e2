#!/usr/bin/env python3
"""Translate vmctr rule files (rules/*.yaml) for the benchmark peers.

The peers run the same rule catalogue as vmctr, so that the benchmark compares
engines, not catalogues.  This reads every `*.yaml` in the rules directories
given (in name order; a later rule with the same id replaces an earlier one,
as `--rules DIR` does) and writes:

  --py FILE     a normalised catalogue for bench/peers/py_peer.py
  --jre FILE    json-rules-engine 7 rules plus metadata for jre_peer.js
  --clips FILE  CLIPS defrules for bench/peers/clips_peer.c

Rule language (docs/ and the profile spec, "Rule files"): `when` nests
all / any / not; a leaf is {field, op, value}; ops eq ne in not_in gt gte lt
lte contains known unknown; gt..lte compare ordered enums by rank (table
bench/fields.py) and integers by value; a leaf on an absent field is false, except
`unknown`; no `when` means always.

    rules_to_json.py --py out/py.json --jre out/jre.json rules/
"""

import argparse
import glob
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from fields import FIELDS, ORDERED  # noqa: E402  (bench/fields.py)

CATEGORIES = ["workload", "isolation", "economics", "delivery", "team",
              "strategy", "operations"]
PARADIGMS = ["vm", "container", "hybrid", "microvm"]
PLATFORMS = ["vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "docker",
             "kubernetes", "kata-containers", "firecracker", "gvisor"]
# which platforms belong to which paradigm (hybrid: any)
PLATFORM_PARADIGM = {
    "vmware-esxi": "vm", "hyper-v": "vm", "kvm-ovirt": "vm",
    "proxmox-ve": "vm", "docker": "container", "kubernetes": "container",
    "kata-containers": "microvm", "firecracker": "microvm",
    "gvisor": "microvm",
}

ALL_FIELDS = ["%s.%s" % (s, f) for s in CATEGORIES for f in FIELDS[s]]
OPS = {"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains",
       "known", "unknown"}


def die(msg):
    sys.stderr.write("rules_to_json: error: %s\n" % msg)
    sys.exit(4)


def norm_field(f):
    if not isinstance(f, str):
        die("field is not a string: %r" % (f,))
    return f[5:] if f.startswith("spec.") else f


def norm_cond(c, rid):
    """Return a normalised condition tree (dicts with all/any/not/leaf)."""
    if not isinstance(c, dict):
        die("%s: condition is not a mapping: %r" % (rid, c))
    if "all" in c:
        return {"all": [norm_cond(x, rid) for x in (c["all"] or [])]}
    if "any" in c:
        return {"any": [norm_cond(x, rid) for x in (c["any"] or [])]}
    if "not" in c:
        return {"not": norm_cond(c["not"], rid)}
    if "field" in c:
        op = c.get("op")
        if op not in OPS:
            die("%s: unknown op %r" % (rid, op))
        leaf = {"field": norm_field(c["field"]), "op": op}
        if op not in ("known", "unknown"):
            leaf["value"] = c.get("value")
        return leaf
    die("%s: condition has none of all/any/not/field: %r" % (rid, c))


def load_rules(dirs):
    by_id = {}
    order = []
    for d in dirs:
        files = sorted(glob.glob(os.path.join(d, "*.yaml"))) if os.path.isdir(d) else [d]
        for path in files:
            with open(path, encoding="utf-8") as fh:
                doc = yaml.safe_load(fh)
            if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
                die("%s: no 'rules' list" % path)
            for r in doc["rules"]:
                rid = r.get("id")
                if not rid:
                    die("%s: rule without id" % path)
                cat = r.get("category") or rid.split(".")[0]
                when = r.get("when")
                rule = {
                    "id": rid,
                    "category": cat,
                    "reference": r.get("reference", ""),
                    "when": norm_cond(when, rid) if when is not None else None,
                    "scores": {k: float(v) for k, v in (r.get("scores") or {}).items()},
                    "excludes": list(r.get("excludes") or []),
                }
                if rid not in by_id:
                    order.append(rid)
                by_id[rid] = rule
    if not order:
        die("no rules found in %s" % " ".join(dirs))
    return [by_id[i] for i in order]


def leaf_fields(c, out):
    if c is None:
        return out
    for k in ("all", "any"):
        if k in c:
            for x in c[k]:
                leaf_fields(x, out)
            return out
    if "not" in c:
        return leaf_fields(c["not"], out)
    if c["field"] not in out:
        out.append(c["field"])
    return out


def rank(field, value, rid):
    if field in ORDERED:
        if value not in ORDERED[field]:
            die("%s: %r is not a value of ordered enum %s" % (rid, value, field))
        return ORDERED[field].index(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        die("%s: %s is neither an ordered enum nor a number" % (rid, field))
    return value


def swing_table(rules):
    """field -> sum of |score| of the rules that read it (for `unknowns`)."""
    sw = {}
    for r in rules:
        tot = sum(abs(v) for k, v in r["scores"].items() if k in PARADIGMS)
        for f in leaf_fields(r["when"], []):
            sw[f] = sw.get(f, 0.0) + tot
    return sw


# ---------------------------------------------------------------- py peer
def to_py(rules):
    return {
        "paradigms": PARADIGMS, "platforms": PLATFORMS,
        "platform_paradigm": PLATFORM_PARADIGM, "categories": CATEGORIES,
        "ordered": ORDERED, "fields": ALL_FIELDS, "swing": swing_table(rules),
        "rules": [dict(r, fields=leaf_fields(r["when"], [])) for r in rules],
    }


# ---------------------------------------------------------------- json-rules-engine
def jre_cond(c, rid):
    """json-rules-engine condition.  Custom operators (jre_peer.js) give the
    vmctr semantics: every leaf on an undefined fact is false except
    `v_unknown`.  Ordered comparisons use the numeric `FIELD#rank` fact."""
    for k in ("all", "any"):
        if k in c:
            return {k: [jre_cond(x, rid) for x in c[k]]}
    if "not" in c:
        return {"not": jre_cond(c["not"], rid)}
    f, op = c["field"], c["op"]
    if op in ("gt", "gte", "lt", "lte"):
        builtin = {"gt": "greaterThan", "gte": "greaterThanInclusive",
                   "lt": "lessThan", "lte": "lessThanInclusive"}[op]
        fact = f + "#rank" if f in ORDERED else f
        return {"fact": fact, "operator": builtin,
                "value": rank(f, c["value"], rid)}
    return {"fact": f, "operator": "v_" + op,
            "value": c.get("value") if op not in ("known", "unknown") else None}


def to_jre(rules):
    out = []
    for i, r in enumerate(rules):
        cond = jre_cond(r["when"], r["id"]) if r["when"] is not None else {"all": []}
        if not any(k in cond for k in ("all", "any", "not")):
            cond = {"all": [cond]}  # a top-level leaf must be wrapped
        out.append({"name": r["id"], "conditions": cond,
                    "event": {"type": "fired", "params": {"rule": i}}})
    meta = to_py(rules)
    for r in meta["rules"]:
        r.pop("when", None)
    return {"engine_rules": out, **meta}


# ---------------------------------------------------------------- CLIPS
def clips_val(v):
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(v)
    return '"%s"' % str(v).replace('\\', '\\\\').replace('"', '\\"')


class _Var:
    def __init__(self):
        self.n = 0

    def __call__(self):
        self.n += 1
        return "?v%d" % self.n


def clips_leaf(c, var, rid):
    """One pattern over the ordered facts (val FIELD VALUE...) that
    clips_peer.c asserts for each present field (plus (val FIELD#rank N) for
    ordered enums).  An absent field has no fact, so every positive pattern
    is false on it, as the rule language wants."""
    f, op, v = c["field"], c["op"], c.get("value")
    if op in ("known", "unknown"):
        return "(val %s $?)" % f
    if op in ("eq", "ne") and isinstance(v, list):
        vals = " ".join(clips_val(x) for x in v)
        if op == "eq":
            return "(val %s%s)" % (f, " " + vals if vals else "")
        x = var()
        if not v:
            return "(val %s ? $?)" % f
        return "(val %s $?%s&:(neq (create$ $?%s) (create$ %s)))" % (f, x[1:], x[1:], vals)
    x = var()
    if op == "eq":
        return "(val %s %s)" % (f, clips_val(v))
    if op == "ne":
        return "(val %s %s&~%s)" % (f, x, clips_val(v))
    if op == "in":
        return "(val %s %s&%s)" % (f, x, "|".join(clips_val(y) for y in (v or [])) or "NONE")
    if op == "not_in":
        return "(val %s %s%s)" % (f, x, "".join("&~" + clips_val(y) for y in (v or [])))
    if op == "contains":
        return "(val %s $? %s $?)" % (f, clips_val(v))
    cmp = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
    fact = f + "#rank" if f in ORDERED else f
    return "(val %s %s&:(numberp %s)&:(%s %s %s))" % (fact, x, x, cmp, x,
                                                     clips_val(rank(f, v, rid)))


def clips_ce(c, var, rid, neg=False):
    """Conditional elements in negation normal form: `not` is pushed down to
    the leaves by De Morgan, where it becomes CLIPS's (not PATTERN)."""
    if "not" in c:
        return clips_ce(c["not"], var, rid, not neg)
    for k in ("all", "any"):
        if k in c:
            conj = (k == "all") != neg
            if not c[k]:
                # all [] is true, any [] is false
                return "" if conj else "(val __never__)"
            parts = [clips_ce(x, var, rid, neg) for x in c[k]]
            parts = [p for p in parts if p]
            if not parts:
                return ""
            if len(parts) == 1:
                return parts[0]
            return "(%s %s)" % ("and" if conj else "or", " ".join(parts))
    pat = clips_leaf(c, var, rid)
    positive = c["op"] != "unknown"
    return pat if positive != neg else "(not %s)" % pat


def to_clips(rules):
    """CLIPS 6.30 source: one defrule per vmctr rule, matched by the Rete
    network against the profile's (val ...) facts; the RHS calls the peer's
    C function (fired N).  An `or` can fire a rule more than once; the peer
    counts each rule once."""
    out = [";; generated by bench/peers/rules_to_json.py -- do not edit"]
    for i, r in enumerate(rules):
        lhs = clips_ce(r["when"], _Var(), r["id"]) if r["when"] is not None else ""
        out.append("(defrule r%d %s\n  =>\n  (fired %d))" % (i, lhs, i))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rules", nargs="+", help="rule directories or files")
    ap.add_argument("--py")
    ap.add_argument("--jre")
    ap.add_argument("--clips")
    a = ap.parse_args()
    rules = load_rules(a.rules)
    if a.py:
        with open(a.py, "w") as fh:
            json.dump(to_py(rules), fh, indent=1)
    if a.jre:
        with open(a.jre, "w") as fh:
            json.dump(to_jre(rules), fh, indent=1)
    if a.clips:
        with open(a.clips, "w") as fh:
            fh.write(to_clips(rules))
    sys.stderr.write("rules_to_json: %d rules\n" % len(rules))


if __name__ == "__main__":
    main()
