#!/usr/bin/python3
"""Proposes a `fires` / `quiet` case for rules that have none in cases.yaml.

    tests/rules/propose.py [RULE_ID...]      # default: every rule without a case

For each rule it searches the answers the rule's condition reads for the
smallest set that makes the rule fire (fewest fields given, the rest
unknown), and for the nearest miss: the same answers with one changed by
the smallest step (one rank on an ordered scale, another value, or the
field left unknown). It prints YAML to paste into tests/rules/cases.yaml
after reading it: the cases file is reviewed test data, not regenerated.
Uses the condition semantics of tests/acceptance/simulate.py.
"""
import itertools
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "acceptance"))
import simulate  # noqa: E402

UNKNOWN = object()


def leaves(cond):
    if "all" in cond or "any" in cond:
        for c in cond.get("all", cond.get("any")):
            yield from leaves(c)
    elif "not" in cond:
        yield from leaves(cond["not"])
    else:
        yield cond


def norm(path):
    return path[5:] if path.startswith("spec.") else path


def candidates(path, rule_leaves):
    kind = simulate.field_type(path)
    if kind[0] == "bool":
        return [True, False]
    if kind[0] == "enum":
        order = simulate.ORDERED.get(path)
        return list(order) if order else list(kind[1])
    if kind[0] == "enumlist":
        return [[v] for v in kind[1]]
    if kind[0] == "strlist":
        vals = [lf["value"] for lf in rule_leaves if norm(lf["field"]) == path and lf["op"] == "contains"]
        return [[v] for v in dict.fromkeys(vals)] + [["other"]]
    if kind[0] == "int":
        out = []
        for lf in rule_leaves:
            if norm(lf["field"]) == path and isinstance(lf.get("value"), int):
                for d in (0, -1, 1):
                    x = lf["value"] + d
                    if kind[1] <= x <= kind[2] and x not in out:
                        out.append(x)
        return out or [1]
    return []


def spec_of(assign):
    spec = {}
    for path, v in assign.items():
        if v is UNKNOWN:
            continue
        sec, _, name = path.partition(".")
        spec.setdefault(sec, {})[name] = v
    return spec


def fires(rule, assign):
    cond = rule.get("when")
    return cond is None or simulate.eval_cond(cond, spec_of(assign), set())


def step(path, a, b):
    """How far apart two answers are: 1 rank on an ordered scale, else 1;
    leaving a field unknown costs 2 (a changed answer teaches more)."""
    if a is UNKNOWN or b is UNKNOWN:
        return 2
    order = simulate.ORDERED.get(path)
    if order:
        return abs(order.index(a) - order.index(b))
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
        return abs(a - b)
    return 1


def propose(rule):
    lv = list(leaves(rule["when"])) if rule.get("when") else []
    paths = list(dict.fromkeys(norm(lf["field"]) for lf in lv))
    cands = {p: candidates(p, lv) for p in paths}
    best = None
    for k in range(0, len(paths) + 1):
        for subset in itertools.combinations(paths, k):
            pools = [cands[p] for p in subset]
            if len(list(itertools.product(*pools))) > 20000:
                continue
            for values in itertools.product(*pools):
                assign = dict(zip(subset, values))
                if not fires(rule, assign):
                    continue
                # nearest miss: change one given answer, or give an absent one
                miss = None
                for p in paths:
                    for alt in cands[p] + [UNKNOWN]:
                        cur = assign.get(p, UNKNOWN)
                        if alt == cur or (alt is UNKNOWN and cur is UNKNOWN):
                            continue
                        trial = dict(assign)
                        trial[p] = alt
                        if fires(rule, trial):
                            continue
                        cost = step(p, cur, alt) if cur is not UNKNOWN else 1
                        if miss is None or cost < miss[0]:
                            miss = (cost, trial)
                if miss is None:
                    continue
                score = (k, miss[0])
                if best is None or score < best[0]:
                    best = (score, assign, miss[1])
        if best is not None:
            break
    return best


def flow(assign):
    items = []
    for p, v in assign.items():
        if v is UNKNOWN:
            items.append(f"{p}: ~")
        elif isinstance(v, bool):
            items.append(f"{p}: {'true' if v else 'false'}")
        elif isinstance(v, list):
            items.append(f"{p}: [{', '.join(str(x) for x in v)}]")
        else:
            items.append(f"{p}: {v}")
    return "{" + ", ".join(items) + "}"


def main():
    rules = []
    for f in sorted(os.listdir(os.path.join(HERE, "..", "..", "rules"))):
        with open(os.path.join(HERE, "..", "..", "rules", f)) as fp:
            rules += yaml.safe_load(fp)["rules"]
    have = {}
    cases = os.path.join(HERE, "cases.yaml")
    if os.path.exists(cases):
        with open(cases) as fp:
            have = yaml.safe_load(fp) or {}
    want = sys.argv[1:] or [r["id"] for r in rules if r["id"] not in have]
    for r in rules:
        if r["id"] not in want:
            continue
        if not r.get("when"):
            print(f"{r['id']}:\n  always: true    # no condition: advice filtered by applies_to\n  fires: {{}}")
            continue
        b = propose(r)
        if b is None:
            print(f"# {r['id']}: no case found (a condition that can never hold?)")
            continue
        print(f"{r['id']}:\n  fires: {flow(b[1])}\n  quiet: {flow(b[2])}")


if __name__ == "__main__":
    main()
