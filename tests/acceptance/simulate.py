#!/usr/bin/python3
"""Reference oracle for the vmctr rule catalogue.

Loads and validates rules/*.yaml, evaluates workload profiles with the
engine's documented semantics, and checks the acceptance scenarios listed in
tests/acceptance/expect.tsv.  Standard library + PyYAML only.

Usage:
  simulate.py                      # validate rules, run every scenario in expect.tsv
  simulate.py -v                   # ... and print fired rules and scores for every scenario
  simulate.py PROFILE.yaml [...]   # evaluate given profiles (always verbose)
  simulate.py --json PROFILE.yaml  # machine-readable result (for cross-checking the C engine)
Options: --rules DIR (default <repo>/rules), --expect FILE, --article FILE
(text the rule prose must not copy; default ../shared/seed/*.txt when present).

Semantics implemented (the contract the C engine is checked against):
  * A leaf {field, op, value} on an absent field is false, except op
    `unknown`; `ne`/`not_in` on an absent field are false too.  `null` is
    absent.  A list field (isolation.compliance, economics.licenses) that is
    empty counts as absent, so `known` means "present and non-empty".
  * `gt/gte/lt/lte` compare integers, or the ordered enums below by rank.
  * `contains` is list membership.
  * Rule contribution = weight * priority(category) / 3 (priority default 3,
    0 switches scoring off, excludes still apply).  Exact rational arithmetic.
  * Paradigm = best non-excluded paradigm, ties in order vm, container,
    microvm, hybrid.  Platform = best non-excluded platform of that paradigm's
    family, ties in family order; the hybrid family is the VM platforms (a
    VM platform hosting Kubernetes).
  * Platform ties: the platforms of the family that share the chosen one's
    score (two or more), else none.
  * Components: each component's sections are merged over the parent's field
    by field (maps merge, scalars and lists replace) and evaluated alone; its
    blockers bind it alone.  The system paradigm is the common paradigm, else
    hybrid (none when a component has none).  The system names one platform
    per kind of workload present (vm, container, microvm; a hybrid component
    counts as VMs plus containers): the one most of those components chose,
    a tie by their summed scores of it, then family order.  The system's
    `platform` is the paradigm's; for hybrid the VMs', else the micro-VMs',
    else the containers'; `container_platform` the containers' beside them.
"""
import argparse
import glob
import json
import os
import re
import sys
from fractions import Fraction

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# --------------------------------------------------------------------------
# The profile contract (../shared/spec/profile-v1.md)
# --------------------------------------------------------------------------
LEVEL = ["none", "basic", "advanced"]
SPEC = {
    "workload": {
        "architecture": ("enum", ["monolith", "modular-monolith", "microservices",
                                  "event-driven", "batch", "functions"]),
        "lifecycle": ("enum", ["legacy", "maintained", "greenfield"]),
        "os": ("enum", ["linux", "windows", "mixed", "other"]),
        "custom_kernel": ("bool",),
        "gui": ("bool",),
        "hardware_access": ("enum", ["none", "gpu", "passthrough"]),
        "stateful": ("bool",),
        "packaging": ("enum", ["installer", "os-package", "binary", "container-image"]),
        "twelve_factor": ("bool",),
    },
    "isolation": {
        "multi_tenant": ("bool",),
        "untrusted_code": ("bool",),
        "segregation": ("enum", ["standard", "high", "strict"]),
        "compliance": ("strlist",),
        "guest_kernel": ("bool",),
    },
    "economics": {
        "budget": ("enum", ["constrained", "moderate", "ample"]),
        "vendor_support": ("enum", ["required", "preferred", "none"]),
        "lock_in_tolerance": ("enum", ["low", "medium", "high"]),
        "licenses": ("enumlist", ["windows-datacenter", "vmware", "red-hat", "suse"]),
    },
    "delivery": {
        "release_frequency": ("enum", ["on-demand", "daily", "weekly", "monthly",
                                       "quarterly", "yearly"]),
        "scaling": ("enum", ["static", "scheduled", "elastic"]),
        "downtime_tolerance": ("enum", ["none", "minutes", "hours"]),
        "ci_cd": ("enum", ["none", "basic", "advanced"]),
    },
    "team": {
        "linux": ("enum", LEVEL),
        "windows": ("enum", LEVEL),
        "containers": ("enum", LEVEL),
        "kubernetes": ("enum", LEVEL),
        "iac": ("enum", ["none", "partial", "full"]),
        "culture": ("enum", ["traditional", "transitioning", "devops"]),
    },
    "strategy": {
        "hosting": ("enum", ["on-prem", "hybrid-cloud", "multi-cloud", "public-cloud"]),
        "cloud_provider": ("enum", ["aws", "azure", "gcp", "other", "none"]),
        "ecosystem": ("enum", ["microsoft", "vmware", "open-source", "mixed"]),
        "current_platform": ("enum", ["none", "vmware-esxi", "hyper-v", "kvm-ovirt",
                                      "proxmox-ve", "cloud-vm", "docker", "kubernetes"]),
        "edge": ("bool",),
        "modernization": ("enum", ["retain", "rehost", "replatform", "refactor"]),
    },
    "operations": {
        "availability": ("enum", ["standard", "high", "critical"]),
        "live_migration": ("bool",),
        "observability": ("enum", ["none", "agent-based", "cloud-native"]),
        "instances": ("int", 1, 1000000),
        "fleet": ("enum", ["replicas", "estate"]),
    },
}
CATEGORIES = list(SPEC)


def field_type(path):
    sec, _, name = path.partition(".")
    return SPEC.get(sec, {}).get(name)


# Ordered enums, ascending: their values in SPEC, which lists two of them
# from the top (release_frequency from on-demand, vendor_support from
# required).
ORDERED = {path: field_type(path)[1] for path in (
    "team.linux", "team.windows", "team.containers", "team.kubernetes",
    "team.iac", "team.culture", "delivery.scaling", "delivery.downtime_tolerance",
    "delivery.ci_cd", "economics.budget", "economics.lock_in_tolerance",
    "isolation.segregation", "operations.availability")}
ORDERED.update({path: field_type(path)[1][::-1] for path in (
    "delivery.release_frequency", "economics.vendor_support")})

PARADIGMS = ["vm", "container", "microvm", "hybrid"]          # tie order
VM_PLATFORMS = ["vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "cloud-vm"]
FAMILY = {
    "vm": VM_PLATFORMS,
    "container": ["docker", "kubernetes"],
    "microvm": ["kata-containers", "firecracker", "gvisor"],
    "hybrid": VM_PLATFORMS,
}
PLATFORMS = VM_PLATFORMS + ["docker", "kubernetes", "kata-containers",
                            "firecracker", "gvisor"]
TARGETS = PARADIGMS + PLATFORMS
TOPICS = ["pipeline", "iac", "observability", "hybrid-cloud", "platform"]
OPS = ["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains",
       "known", "unknown"]
RULE_KEYS = {"id", "title", "category", "reference", "rationale", "when",
             "scores", "excludes", "suggests", "risks", "applies_to"}
ID_RE = re.compile(r"^([a-z]+)\.([a-z0-9-]+)$")
DNS_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


# --------------------------------------------------------------------------
# Rule loading and validation
# --------------------------------------------------------------------------
class Invalid(Exception):
    pass


def _check_value(where, path, ftype, value):
    kind = ftype[0]
    if kind == "bool":
        if not isinstance(value, bool):
            raise Invalid(f"{where}: {path} expects true/false, got {value!r}")
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"{where}: {path} expects an integer, got {value!r}")
    elif kind in ("enum", "enumlist"):
        if value not in ftype[1]:
            raise Invalid(f"{where}: {path}: {value!r} is not one of {', '.join(ftype[1])}")
    elif kind == "strlist":
        if not isinstance(value, str):
            raise Invalid(f"{where}: {path} expects a string, got {value!r}")


def validate_cond(where, cond):
    if not isinstance(cond, dict):
        raise Invalid(f"{where}: condition must be a mapping, got {cond!r}")
    if "all" in cond or "any" in cond:
        if len(cond) != 1:
            raise Invalid(f"{where}: all/any must stand alone in a condition")
        key = next(iter(cond))
        items = cond[key]
        if not isinstance(items, list) or not items:
            raise Invalid(f"{where}: {key} needs a non-empty list")
        for i, c in enumerate(items):
            validate_cond(f"{where}.{key}[{i}]", c)
        return
    if "not" in cond:
        if len(cond) != 1:
            raise Invalid(f"{where}: not must stand alone in a condition")
        validate_cond(f"{where}.not", cond["not"])
        return
    extra = set(cond) - {"field", "op", "value"}
    if extra:
        raise Invalid(f"{where}: unknown keys {sorted(extra)}")
    path = cond.get("field")
    op = cond.get("op")
    if not isinstance(path, str):
        raise Invalid(f"{where}: leaf needs a field")
    if path.startswith("spec."):
        path = path[5:]
    ftype = field_type(path)
    if ftype is None:
        raise Invalid(f"{where}: unknown field {path!r}")
    if op not in OPS:
        raise Invalid(f"{where}: unknown op {op!r}")
    kind = ftype[0]
    islist = kind in ("strlist", "enumlist")
    if op in ("known", "unknown"):
        if "value" in cond:
            raise Invalid(f"{where}: op {op} takes no value")
        return
    if "value" not in cond:
        raise Invalid(f"{where}: op {op} needs a value")
    value = cond["value"]
    if op == "contains":
        if not islist:
            raise Invalid(f"{where}: contains applies to list fields, not {path}")
        _check_value(where, path, ftype, value)
    elif op in ("in", "not_in"):
        if islist:
            raise Invalid(f"{where}: {op} does not apply to list field {path}")
        if not isinstance(value, list) or not value:
            raise Invalid(f"{where}: {op} needs a non-empty list value")
        for v in value:
            _check_value(where, path, ftype, v)
    elif op in ("eq", "ne"):
        if islist:
            raise Invalid(f"{where}: {op} does not apply to list field {path}")
        _check_value(where, path, ftype, value)
    else:  # ordering ops
        if kind != "int" and path not in ORDERED:
            raise Invalid(f"{where}: {op} needs an integer or ordered enum, {path} is neither")
        _check_value(where, path, ftype, value)


def _check_weight(where, target, w):
    if isinstance(w, bool) or not isinstance(w, (int, float)):
        raise Invalid(f"{where}: weight for {target} must be a number")
    if not -10 <= w <= 10:
        raise Invalid(f"{where}: weight for {target} out of [-10, 10]")
    if isinstance(w, float) and round(w, 1) != w:
        raise Invalid(f"{where}: weight for {target} has more than one decimal")


def _ngrams(text, n):
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def validate_rule(where, rule, file_category, article_grams, ngram):
    if not isinstance(rule, dict):
        raise Invalid(f"{where}: a rule must be a mapping")
    extra = set(rule) - RULE_KEYS
    if extra:
        raise Invalid(f"{where}: unknown keys {sorted(extra)}")
    for key in ("id", "title", "category", "reference", "rationale"):
        if not isinstance(rule.get(key), str) or not rule[key].strip():
            raise Invalid(f"{where}: missing or empty {key}")
    m = ID_RE.match(rule["id"])
    if not m:
        raise Invalid(f"{where}: id {rule['id']!r} is not category.slug")
    if m.group(1) != rule["category"]:
        raise Invalid(f"{where}: id prefix {m.group(1)} != category {rule['category']}")
    if rule["category"] not in CATEGORIES:
        raise Invalid(f"{where}: unknown category {rule['category']}")
    if file_category and rule["category"] != file_category:
        raise Invalid(f"{where}: category {rule['category']} in {file_category}.yaml")
    if "when" in rule and rule["when"] is not None:
        validate_cond(f"{where}.when", rule["when"])
    scores = rule.get("scores") or {}
    if not isinstance(scores, dict):
        raise Invalid(f"{where}: scores must be a mapping")
    for t, w in scores.items():
        if t not in TARGETS:
            raise Invalid(f"{where}: unknown score target {t!r}")
        _check_weight(where, t, w)
    for key in ("excludes", "applies_to"):
        for t in rule.get(key) or []:
            if t not in TARGETS:
                raise Invalid(f"{where}: unknown {key} target {t!r}")
    for s in rule.get("suggests") or []:
        if not isinstance(s, dict) or set(s) != {"topic", "text"}:
            raise Invalid(f"{where}: suggests items are {{topic, text}}")
        if s["topic"] not in TOPICS:
            raise Invalid(f"{where}: unknown suggests topic {s['topic']!r}")
    for r in rule.get("risks") or []:
        if not isinstance(r, str) or not r.strip():
            raise Invalid(f"{where}: risks must be non-empty strings")
    if not scores and not rule.get("excludes") and not rule.get("suggests") \
            and not rule.get("risks"):
        raise Invalid(f"{where}: rule has no effect")
    if not rule.get("when") and not rule.get("applies_to"):
        raise Invalid(f"{where}: an unconditional rule must have applies_to")
    if article_grams:
        prose = [rule["title"], rule["rationale"]] + list(rule.get("risks") or []) \
            + [s["text"] for s in rule.get("suggests") or []]
        for text in prose:
            copied = _ngrams(text, ngram) & article_grams
            if copied:
                raise Invalid(f"{where}: prose copies the article: {sorted(copied)[0]!r}")


def load_rules(rules_dir, article=None, ngram=5):
    article_grams = None
    if article and os.path.exists(article):
        with open(article, encoding="utf-8") as f:
            article_grams = _ngrams(f.read(), ngram)
    rules, seen = [], {}
    files = sorted(glob.glob(os.path.join(rules_dir, "*.yaml")))
    if not files:
        raise Invalid(f"{rules_dir}: no rule files")
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        base = os.path.splitext(os.path.basename(path))[0]
        if not isinstance(doc, dict) or doc.get("apiVersion") != "vmctr/v1" \
                or doc.get("kind") != "RuleSet" or not isinstance(doc.get("rules"), list):
            raise Invalid(f"{path}: not a vmctr/v1 RuleSet")
        file_cat = base if base in CATEGORIES else None
        for i, rule in enumerate(doc["rules"]):
            where = f"{os.path.relpath(path)}: rules[{i}]"
            validate_rule(where, rule, file_cat, article_grams, ngram)
            if rule["id"] in seen:
                raise Invalid(f"{where}: duplicate id {rule['id']} (also in {seen[rule['id']]})")
            seen[rule["id"]] = path
            rules.append(rule)
    return rules


# --------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------
SECTIONS_EXTRA = {"priorities", "decision", "components"}


def _clean_section(where, sec, data):
    """Validate one section and drop nulls (null == absent)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Invalid(f"{where}: {sec} must be a mapping")
    out = {}
    for k, v in data.items():
        ftype = SPEC[sec].get(k)
        if ftype is None:
            raise Invalid(f"{where}: unknown field {sec}.{k}")
        if v is None:
            continue
        if ftype[0] in ("strlist", "enumlist"):
            if not isinstance(v, list):
                raise Invalid(f"{where}: {sec}.{k} must be a list")
            for item in v:
                _check_value(where, f"{sec}.{k}", ftype, item)
        else:
            _check_value(where, f"{sec}.{k}", ftype, v)
            if ftype[0] == "int" and not ftype[1] <= v <= ftype[2]:
                raise Invalid(f"{where}: {sec}.{k} out of range")
        out[k] = v
    return out


def _clean_spec(where, spec, allow_components):
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        raise Invalid(f"{where}: spec must be a mapping")
    out = {}
    for sec, data in spec.items():
        if sec in SPEC:
            out[sec] = _clean_section(where, sec, data)
        elif sec == "priorities":
            pr = data or {}
            for k, v in pr.items():
                if k not in CATEGORIES or isinstance(v, bool) or not isinstance(v, int) \
                        or not 0 <= v <= 5:
                    raise Invalid(f"{where}: bad priority {k}: {v!r}")
            out[sec] = dict(pr)
        elif sec == "decision":
            out[sec] = dict(data or {})
        elif sec == "components" and allow_components:
            if not isinstance(data, list):
                raise Invalid(f"{where}: components must be a list")
            names, comps = set(), []
            for i, c in enumerate(data):
                if not isinstance(c, dict) or not DNS_RE.match(str(c.get("name", ""))):
                    raise Invalid(f"{where}: components[{i}] needs a DNS-label name")
                if c["name"] in names:
                    raise Invalid(f"{where}: duplicate component {c['name']}")
                names.add(c["name"])
                body = {k: v for k, v in c.items() if k != "name"}
                comps.append((c["name"], _clean_spec(f"{where}: {c['name']}", body, False)))
            out[sec] = comps
        elif sec == "name" and not allow_components:
            continue
        else:
            raise Invalid(f"{where}: unknown section {sec}")
    return out


def load_profile(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict) or doc.get("apiVersion") != "vmctr/v1" \
            or doc.get("kind") != "WorkloadProfile":
        raise Invalid(f"{path}: not a vmctr/v1 WorkloadProfile")
    name = (doc.get("metadata") or {}).get("name")
    if not isinstance(name, str) or not DNS_RE.match(name):
        raise Invalid(f"{path}: metadata.name must be a DNS label")
    return name, _clean_spec(path, doc.get("spec"), True)


def merge(parent, comp):
    out = {k: dict(v) for k, v in parent.items() if k != "components"}
    for sec, data in comp.items():
        out.setdefault(sec, {}).update(data)
    return out


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------
def lookup(spec, path):
    if path.startswith("spec."):
        path = path[5:]
    sec, _, name = path.partition(".")
    v = spec.get(sec, {}).get(name)
    if isinstance(v, list) and not v:
        return None
    return v


def _rank(path, v):
    order = ORDERED.get(path)
    return order.index(v) if order else v


# the ops that compare the value as written (the others compare ranks)
_VALUE_OPS = {
    "eq": lambda v, want: v == want,
    "ne": lambda v, want: v != want,
    "in": lambda v, want: v in want,
    "not_in": lambda v, want: v not in want,
    "contains": lambda v, want: want in v,
}


def eval_cond(cond, spec, used):
    if "all" in cond:
        return all([eval_cond(c, spec, used) for c in cond["all"]])
    if "any" in cond:
        return any([eval_cond(c, spec, used) for c in cond["any"]])
    if "not" in cond:
        return not eval_cond(cond["not"], spec, used)
    path = cond["field"][5:] if cond["field"].startswith("spec.") else cond["field"]
    op, want = cond["op"], cond.get("value")
    v = lookup(spec, path)
    if op == "unknown":
        return v is None
    if v is None:
        return False
    used.add(path)
    if op == "known":
        return True
    if op in _VALUE_OPS:
        return _VALUE_OPS[op](v, want)
    a, b = _rank(path, v), _rank(path, want)
    return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]


def evaluate(spec, rules):
    prio = {c: 3 for c in CATEGORIES}
    prio.update(spec.get("priorities", {}))
    scores = {t: Fraction(0) for t in TARGETS}
    excluded, fired = {}, []
    for rule in rules:
        used = set()
        when = rule.get("when")
        if when and not eval_cond(when, spec, used):
            continue
        factor = Fraction(prio[rule["category"]], 3)
        contrib = {}
        for t, w in (rule.get("scores") or {}).items():
            c = Fraction(str(w)) * factor
            if c:
                scores[t] += c
                contrib[t] = c
        for t in rule.get("excludes") or []:
            excluded.setdefault(t, rule["id"])
        fired.append((rule, contrib, sorted(used)))
    paradigm = best([p for p in PARADIGMS if p not in excluded], scores)
    platform, cplat, ties = None, None, []
    if paradigm:
        fam = [p for p in FAMILY[paradigm] if p not in excluded]
        platform = best(fam, scores)
        if platform is not None:
            ties = [p for p in fam if scores[p] == scores[platform]]
            if len(ties) < 2:
                ties = []
    if paradigm == "hybrid":
        # the orchestrator on the VMs: Kubernetes unless ruled out
        cplat = next((p for p in ("kubernetes", "docker") if p not in excluded), None)
    platforms = {}
    if paradigm == "hybrid":
        platforms = {k: v for k, v in (("vm", platform), ("container", cplat)) if v}
    elif paradigm and platform:
        platforms = {paradigm: platform}
    return {"paradigm": paradigm, "platform": platform, "container_platform": cplat,
            "platforms": platforms, "platform_ties": ties, "scores": scores,
            "excluded": excluded, "fired": fired}


def best(candidates, scores):
    top = None
    for c in candidates:               # candidates are in tie order
        if top is None or scores[c] > scores[top]:
            top = c
    return top


def compose(results):
    """A system's verdict from its components' (spec "How a system is composed")."""
    paradigms = [r["paradigm"] for r in results]
    if not results or None in paradigms:
        return {"paradigm": None, "platform": None, "container_platform": None,
                "platforms": {}, "platform_ties": []}
    paradigm = paradigms[0] if len(set(paradigms)) == 1 else "hybrid"
    votes, sums, present = {}, {}, set()
    evidence_for, tied_with = set(), {}
    for r in results:
        sides = [("microvm" if r["paradigm"] == "microvm" else
                  "container" if r["paradigm"] == "container" else "vm",
                  r["platform"], r["platform_ties"])]
        if r["paradigm"] == "hybrid":
            sides.append(("container", r["container_platform"], []))
        for fam, plat, ties in sides:
            present.add(fam)
            for t in FAMILY[fam]:
                sums[t] = sums.get(t, Fraction(0)) + r["scores"][t]
            if plat is None:
                continue
            votes[plat] = votes.get(plat, 0) + 1
            if ties:
                tied_with.setdefault(plat, set()).update(ties)
            else:
                evidence_for.add(plat)
    platforms, all_ties = {}, set()
    for fam in ("vm", "container", "microvm"):
        if fam not in present:
            continue
        cands = [t for t in FAMILY[fam] if votes.get(t)]
        if not cands:
            platforms[fam] = None
            continue
        win = None
        for t in cands:                 # family order breaks the last tie
            if win is None or (votes[t], sums[t]) > (votes[win], sums[win]):
                win = t
        tie = {t for t in cands if t != win and votes[t] == votes[win] and sums[t] == sums[win]}
        if tie:
            tie.add(win)
        if win not in evidence_for:
            tie |= tied_with.get(win, set())
        if len(tie) >= 2:
            all_ties |= tie
        platforms[fam] = win
    if paradigm != "hybrid":
        platform, cplat = platforms.get(paradigm), None
    elif "vm" in present:
        platform, cplat = platforms.get("vm"), platforms.get("container")
    elif "microvm" in present:
        platform, cplat = platforms.get("microvm"), platforms.get("container")
    else:
        platform, cplat = platforms.get("container"), None
    return {"paradigm": paradigm, "platform": platform, "container_platform": cplat,
            "platforms": {k: v for k, v in platforms.items() if v},
            "platform_ties": [t for t in PLATFORMS if t in all_ties]}


def evaluate_profile(spec, rules):
    comps = spec.get("components") or []
    if not comps:
        res = evaluate(spec, rules)
        res["components"] = []
        return res
    results = [(name, evaluate(merge(spec, c), rules)) for name, c in comps]
    system = compose([r for _, r in results])
    total = {t: sum((r["scores"][t] for _, r in results), Fraction(0)) for t in TARGETS}
    return dict(system, scores=total, excluded={}, fired=[], components=results)


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------
def fmt(x):
    return f"{float(x):g}"


def describe(res, indent="    "):
    lines = []
    s = res["scores"]
    lines.append(indent + "paradigms: " + "  ".join(f"{p}={fmt(s[p])}" for p in PARADIGMS))
    lines.append(indent + "platforms: " + "  ".join(f"{p}={fmt(s[p])}" for p in PLATFORMS))
    if res["excluded"]:
        lines.append(indent + "excluded: " + ", ".join(
            f"{t} (by {rid})" for t, rid in res["excluded"].items()))
    advisory = []
    for rule, contrib, used in res["fired"]:
        if not contrib and not rule.get("excludes"):
            advisory.append(rule["id"])
            continue
        c = " ".join(f"{t}{'+' if v >= 0 else ''}{fmt(v)}" for t, v in contrib.items())
        if rule.get("excludes"):
            c += " excludes " + ",".join(rule["excludes"])
        lines.append(f"{indent}  {rule['id']:<42} {c}")
    if advisory:
        lines.append(f"{indent}  advisory only: " + ", ".join(advisory))
    for name, r in res["components"]:
        lines.append(f"{indent}component {name}: {r['paradigm']}/{r['platform']}")
        lines.append(describe(r, indent + "    "))
    return "\n".join(lines)


def as_json(name, res):
    def one(r):
        return {"paradigm": r["paradigm"], "platform": r["platform"],
                "container_platform": r["container_platform"], "platforms": r["platforms"],
                "platform_ties": r["platform_ties"],
                "scores": {t: float(r["scores"][t]) for t in TARGETS},
                "excluded": sorted(r["excluded"]),
                "fired": [rule["id"] for rule, _, _ in r["fired"]]}
    out = {"profile": name, **one(res),
           "components": [{"name": n, **one(r)} for n, r in res["components"]]}
    return out


def margin(res):
    s = sorted((res["scores"][p] for p in PARADIGMS if p not in res["excluded"]),
               reverse=True)
    return s[0] - s[1] if len(s) > 1 else s[0]


def run_expect(expect, rules, verbose):
    base = os.path.dirname(os.path.abspath(expect))
    ok = bad = 0
    with open(expect, encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    listed = {row[0] for row in rows[1:]}
    for path in sorted(glob.glob(os.path.join(base, "*.yaml"))):
        if os.path.basename(path) not in listed:
            print(f"FAIL {os.path.basename(path)}: no row in {os.path.basename(expect)}")
            bad += 1
    for row in rows[1:]:
        if len(row) != 4:
            print(f"FAIL malformed row: {row}")
            bad += 1
            continue
        fname, want_p, want_plat, want_comp = row
        path = os.path.join(base, fname)
        with open(path, encoding="utf-8") as f:
            if not f.readline().startswith("#"):
                print(f"FAIL {fname}: first line must be a comment naming its source")
                bad += 1
                continue
        try:
            name, spec = load_profile(path)
        except Invalid as e:
            print(f"FAIL {fname}: invalid profile: {e}")
            bad += 1
            continue
        res = evaluate_profile(spec, rules)
        got_comp = ",".join(f"{n}={r['paradigm']}" for n, r in res["components"]) or "-"
        errs = []
        if res["paradigm"] != want_p:
            errs.append(f"paradigm {res['paradigm']} != {want_p}")
        if want_plat != "*" and res["platform"] not in want_plat.split(","):
            errs.append(f"platform {res['platform']} not in {want_plat}")
        if want_comp != "-" or got_comp != "-":
            if sorted(want_comp.split(",")) != sorted(got_comp.split(",")):
                errs.append(f"components {got_comp} != {want_comp}")
        status = "ok  " if not errs else "FAIL"
        info = f"{res['paradigm']}/{res['platform']}"
        if res["components"]:
            info += f" [{got_comp}]"
        else:
            info += f" (margin {fmt(margin(res))})"
        print(f"{status} {fname:<40} {info}" + ("" if not errs else "  -- " + "; ".join(errs)))
        if errs or verbose:
            print(describe(res))
        ok += not errs
        bad += bool(errs)
    print(f"\n{ok} passed, {bad} failed, {ok + bad} scenarios")
    return bad == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("profiles", nargs="*")
    ap.add_argument("--rules", default=os.path.join(REPO, "rules"))
    ap.add_argument("--expect", default=os.path.join(HERE, "expect.tsv"))
    seeds = sorted(glob.glob(os.path.join(REPO, "..", "shared", "seed", "*.txt")))
    ap.add_argument("--article", default=seeds[0] if seeds else None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    try:
        rules = load_rules(args.rules, args.article)
    except Invalid as e:
        print(f"invalid rules: {e}", file=sys.stderr)
        return 4
    counts = {}
    for r in rules:
        counts[r["category"]] = counts.get(r["category"], 0) + 1
    if not args.json:
        print(f"{len(rules)} rules valid: " + ", ".join(f"{c}={counts.get(c, 0)}" for c in CATEGORIES))
    if args.profiles:
        out = []
        for p in args.profiles:
            try:
                name, spec = load_profile(p)
            except Invalid as e:
                print(f"invalid profile: {e}", file=sys.stderr)
                return 3
            res = evaluate_profile(spec, rules)
            if args.json:
                out.append(as_json(name, res))
            else:
                print(f"{p}: {res['paradigm']}/{res['platform']}")
                print(describe(res))
        if args.json:
            print(json.dumps(out, indent=2))
        return 0
    return 0 if run_expect(args.expect, rules, args.verbose) else 1


if __name__ == "__main__":
    sys.exit(main())
