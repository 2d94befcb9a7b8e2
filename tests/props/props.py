#!/usr/bin/env python3
"""Property tests: every claim vmctr prints about a generated profile holds.

    tests/props/props.py BIN [--seed N] [--count N] [--xfail CHECK,...] [-v]

A seeded generator writes COUNT workload profiles (default 2000; at least a
third are systems with components; every section, priorities, sparse to
dense) as one multi-document stream, `vmctr advise --format ndjson` evaluates
them, and these checks run on the reports:

  claims-single     every counterfactual and every unknown ("Answer these
                    next": `could_change`, `example`, `paradigm`) of a profile
                    without components holds when re-run with --what-if:
                    the counterfactual's change gives its paradigm and
                    platform, and the same platform tie (`platform_ties`,
                    absent when the re-run has none), an unknown's example answer gives its paradigm,
                    and when `could_change` is false no answer of an enum or
                    bool field changes the paradigm.
  claims-component  the same for each component's own claims (--what-if sets
                    the field in the parent and every component, so the
                    component sees the answer whether it inherits or not).
  claims-system     the same for the top-level claims of a system, against
                    the system verdict.
  isolation         the isolation invariant (../shared/spec/profile-v1.md):
                    a workload (profile or component) with untrusted code, or
                    multi-tenant with high/strict segregation, or strict
                    segregation, gets `vm` or `microvm` (never container nor
                    hybrid); a micro-VM platform chosen for it runs its OS
                    (Firecracker, Kata and gVisor run Linux only).
  mono-isolation    raising priorities.isolation never moves a verdict
                    (profile, component or system) from vm/microvm to
                    container.
  mono-team         one step more team readiness (team.containers,
                    team.kubernetes, team.iac, team.culture, delivery.ci_cd;
                    raised wherever it is set) never moves a container verdict
                    away from container.
  hyperv-reason     a workload (profile or component) gets Hyper-V over every
                    other VM platform only with a Windows or Microsoft reason
                    (a Windows or mixed OS, Windows skills, a Microsoft
                    ecosystem, Datacenter licences, Azure, Hyper-V today); a
                    tie is not a choice and is left to the tie report.
  cloud-vm          a workload hosted in a public cloud that gets `vm` or
                    `hybrid` names `cloud-vm` (the provider's instances), not
                    an on-premises hypervisor.
  risks             every risk a report shows for a profile or a component
                    comes from a rule with `applies_to` that names the
                    recommended paradigm or one of its platforms (no VMware
                    risk under a container verdict).
  risks-system      the same for the risks shown at the top of a system,
                    against the system's paradigm and platforms.
  sensitivity       the priority sensitivity (`sensitivity`: per category,
                    holds_from..holds_to and the verdict at every other
                    priority) of a profile, a component and a system holds:
                    for each category and each priority 0..5, the re-run
                    with priorities.<category> set to it (--what-if, which
                    sets it in the parent and in every component that does
                    not set it itself; a component that sets it itself is
                    re-run with its own priority edited) keeps the verdict
                    (paradigm and every platform of recommendation.platforms)
                    inside [holds_from, holds_to], and gives the `changes`
                    entry's verdict outside it, so the first value outside
                    the range changes the verdict.
  scale             every priority multiplied by the same factor (every
                    priority k, k = 1..5, on a quarter of the profiles, parent
                    and components alike) keeps, at every level, the
                    paradigm, the platforms and both printed confidences.
  determinism       -j 1, -j 2 and -j 3 give byte-identical ndjson.
  check-tie         `vmctr check` accepts any tied platform (docs/ci.md): for
                    a profile whose recommendation has a platform tie
                    (`platform_ties`), spec.decision naming each tied platform
                    (alone, and with the recommended paradigm) passes as a
                    match whose message names the tie, and an untied,
                    unrecommended, unexcluded platform of the tie's family
                    is a mismatch (fail at --min-confidence 0.6 or above,
                    else a warning). The decision is read by no rule: the
                    variant's recommendation (advise, at every level, and the
                    one check judged against) must equal the original's.
  check-tie-system  the same for systems with a tie at the top: the system
                    result (its platforms per kind of workload match too).
  check-tie-component the same for components: the profile's decision as each
                    component inherits it (a hybrid one as one side of it),
                    and a component with a tie of its own given the decision
                    itself; a proposal a binding blocker excludes must be a
                    blocker instead. Each check-tie* needs at least
                    COUNT/100 (at least 1) tie passes and as many mismatches.

The what-if re-runs are batched: one `vmctr advise --what-if F=V` run per
distinct answer, over a stream of every profile that makes a claim about it.
Python 3 standard library only. --xfail CHECK marks a check as expected to
fail (it then passes when it fails, and fails when it passes, so the mark
cannot outlive the bug). Ends with "N passed, N failed"; exit 1 on failure.
"""
import argparse
import collections
import copy
import json
import os
import random
import subprocess
import sys

ENV = dict(os.environ, NO_COLOR="1", LC_ALL="C")
CHECKS = ["claims-single", "claims-component", "claims-system", "isolation",
          "mono-isolation", "mono-team", "hyperv-reason", "cloud-vm", "risks", "risks-system",
          "sensitivity", "scale", "determinism", "check-tie", "check-tie-system", "check-tie-component"]
CATEGORIES = ["workload", "isolation", "economics", "delivery", "team", "strategy", "operations"]
COMPLIANCE = ["pci-dss", "hipaa", "gdpr", "iso27001", "fedramp", "sox", "dora"]
INSTANCES = [1, 2, 3, 5, 6, 10, 19, 20, 21, 49, 50, 51, 100, 199, 200, 201, 1000, 50000]
READINESS = ["team.containers", "team.kubernetes", "team.iac", "team.culture", "delivery.ci_cd"]
ORDER = {
    "team.containers": ["none", "basic", "advanced"],
    "team.kubernetes": ["none", "basic", "advanced"],
    "team.iac": ["none", "partial", "full"],
    "team.culture": ["traditional", "transitioning", "devops"],
    "delivery.ci_cd": ["none", "basic", "advanced"],
}
SHARED_KERNEL = {"container", "hybrid"}
LINUX_ONLY = {"firecracker", "kata-containers", "gvisor"}
MIN_CONFIDENCE = 0.6   # check's --min-confidence (Vmctr.check)
VM_PLATFORMS = {"vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "cloud-vm"}
FAMILY = {**{p: "vm" for p in VM_PLATFORMS}, "docker": "container", "kubernetes": "container",
          "kata-containers": "microvm", "firecracker": "microvm", "gvisor": "microvm"}


# --------------------------------------------------------------------------
# running vmctr
# --------------------------------------------------------------------------
class Vmctr:
    def __init__(self, binary):
        self.bin = binary
        self.runs = 0

    def raw(self, args, stdin):
        self.runs += 1
        p = subprocess.run([self.bin, *args], input=stdin, capture_output=True, env=ENV)
        if p.returncode != 0:
            sys.exit(f"props: vmctr {' '.join(args)}: exit {p.returncode}: "
                     f"{p.stderr.decode(errors='replace')[:500]}")
        return p.stdout

    def check(self, stream):
        """`vmctr check --format json` of a stream with the default policy
        (no repository config, no waivers); exit 1 is a failed gate."""
        self.runs += 1
        args = ["check", "--format", "json", "--no-config", "--no-waivers",
                "--min-confidence", str(MIN_CONFIDENCE), "--fail-on", "mismatch", "-"]
        p = subprocess.run([self.bin, *args], input=stream.encode(), capture_output=True, env=ENV)
        if p.returncode not in (0, 1):
            sys.exit(f"props: vmctr {' '.join(args)}: exit {p.returncode}: "
                     f"{p.stderr.decode(errors='replace')[:500]}")
        return json.loads(p.stdout)

    def advise(self, stream, extra=()):
        """ndjson reports of a stream, in document order."""
        out = self.raw(["advise", "--format", "ndjson", *extra, "-"], stream.encode())
        reps = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
        return sorted(reps, key=lambda r: r["profile"]["document"])


def field_table(vm):
    """path -> (type, values) from `vmctr schema` (the loader's own table)."""
    schema = json.loads(vm.raw(["schema"], b""))
    table = {}
    for sec in CATEGORIES:
        for name, p in schema["$defs"][sec]["properties"].items():
            path = f"{sec}.{name}"
            if "enum" in p:
                table[path] = ("enum", [v for v in p["enum"] if v is not None])
            elif "boolean" in p.get("type", []):
                table[path] = ("bool", [True, False])
            elif "integer" in p.get("type", []):
                table[path] = ("int", INSTANCES)
            elif p.get("items", {}).get("enum"):
                table[path] = ("enumlist", p["items"]["enum"])
            else:
                table[path] = ("strlist", COMPLIANCE)
    return table


def decision_platforms(vm):
    """The platforms spec.decision.platform takes, in platform order (each
    must have a family in FAMILY)."""
    schema = json.loads(vm.raw(["schema"], b""))
    out = [p for p in schema["$defs"]["decision"]["properties"]["platform"]["enum"] if p is not None]
    if set(out) != set(FAMILY):
        sys.exit(f"props: decision platforms {out} are not those of FAMILY {sorted(FAMILY)}")
    return out


# --------------------------------------------------------------------------
# the generator
# --------------------------------------------------------------------------
def gen_value(rng, ftype, values):
    if ftype in ("enum", "bool", "int"):
        return rng.choice(values)
    k = rng.choice([0, 1, 1, 1, 2, 2, 3])
    return sorted(rng.sample(values, k))


def gen_sections(rng, table, density):
    spec = {}
    for path, (ftype, values) in table.items():
        if rng.random() < density:
            sec, name = path.split(".")
            spec.setdefault(sec, {})[name] = gen_value(rng, ftype, values)
    return spec


def gen_priorities(rng):
    if rng.random() < 0.5:
        return None
    return {c: rng.randint(0, 5) for c in CATEGORIES if rng.random() < 0.5}


def gen_profile(rng, table, i, system):
    spec = gen_sections(rng, table, rng.choice([0.05, 0.15, 0.3, 0.5, 0.7, 0.9]))
    pri = gen_priorities(rng)
    if pri:
        spec["priorities"] = pri
    if system:
        comps = []
        for c in range(rng.randint(1, 4)):
            comp = {"name": f"part-{c}"}
            comp.update(gen_sections(rng, table, rng.choice([0.05, 0.15, 0.3, 0.5])))
            if rng.random() < 0.15:
                cp = gen_priorities(rng)
                if cp:
                    comp["priorities"] = cp
            comps.append(comp)
        spec["components"] = comps
    return {"name": f"gen-{i}", "spec": spec}


def to_yaml(docs):
    """A multi-document stream; each spec written in flow (JSON) style."""
    parts = []
    for d in docs:
        parts.append("apiVersion: vmctr/v1\nkind: WorkloadProfile\n"
                     f"metadata: {{name: {d['name']}}}\nspec: {json.dumps(d['spec'])}\n")
    return "---\n".join(parts)


def merged(spec, comp):
    """A component's effective fields: maps merge, scalars and lists replace."""
    out = {}
    for sec in CATEGORIES + ["priorities"]:
        m = dict(spec.get(sec) or {})
        m.update(comp.get(sec) or {})
        out[sec] = m
    return out


def get(fields, path):
    sec, name = path.split(".")
    return (fields.get(sec) or {}).get(name)


# --------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------
class Result:
    def __init__(self, verbose):
        self.counts = collections.Counter()   # check -> claims checked
        self.fails = collections.defaultdict(list)
        self.notes = {}                       # check -> what was checked, in kinds
        self.verbose = verbose

    def check(self, name, ok, msg):
        self.counts[name] += 1
        if not ok:
            self.fails[name].append(msg)


def levels(rep):
    """(level name, level kind, report part) for every place that makes claims."""
    if rep["components"]:
        yield "system", "system", rep
        for c in rep["components"]:
            yield f"component {c['name']}", "component", c
    else:
        yield "profile", "single", rep


def find_level(rep, level):
    if level in ("system", "profile"):
        return rep
    name = level.split(" ", 1)[1]
    return next(c for c in rep["components"] if c["name"] == name)


def assignment(field, value):
    path = field[5:] if field.startswith("spec.") else field
    if value is None:
        v = "unknown"
    elif isinstance(value, bool):
        v = "true" if value else "false"
    elif isinstance(value, list):
        v = "[" + ",".join(value) + "]"
    else:
        v = str(value)
    return f"{path}={v}"


def collect_claims(docs, reps, table):
    """assignment -> list of (doc index, level, kind, expectation)."""
    claims = collections.defaultdict(list)
    for i, rep in enumerate(reps):
        for level, kind, part in levels(rep):
            cur = part["recommendation"]["paradigm"]
            def add(field, value, what, paradigm, platform=None):
                claims[assignment(field, value)].append(
                    (i, level, kind, (what, paradigm, platform), field[5:], value))
            for cf in part["counterfactuals"]:
                add(cf["field"], cf["value"], "cf", cf["paradigm"],
                    (cf.get("platform"), sorted(cf.get("platform_ties", []))))
            for u in part["unknowns"]:
                add(u["field"], u["example"], "example", u["paradigm"])
                if u["could_change"] and u["paradigm"] == cur:
                    add(u["field"], u["example"], "differs", cur)
                if not u["could_change"]:
                    ftype, values = table[u["field"][5:]]
                    if ftype in ("enum", "bool"):
                        for v in values:
                            add(u["field"], v, "same", cur)
    return claims


def owns(doc, level, path):
    """Whether the component of `level` sets the field itself."""
    if not level.startswith("component "):
        return False
    name = level.split(" ", 1)[1]
    comp = next(c for c in doc["spec"]["components"] if c["name"] == name)
    sec, key = path.split(".")
    return (comp.get(sec) or {}).get(key) is not None


def edited(doc, level, path, value):
    """The profile with the component of `level` setting the field to value."""
    spec = json.loads(json.dumps(doc["spec"]))
    name = level.split(" ", 1)[1]
    comp = next(c for c in spec["components"] if c["name"] == name)
    sec, key = path.split(".")
    comp.setdefault(sec, {})[key] = value
    return {"name": doc["name"], "spec": spec}


def judge(res, docs, i, level, kind, claim, assign, w):
    """One claim against the re-run's recommendation w."""
    what, paradigm, platform = claim
    name = f"claims-{kind}"
    where = f"{docs[i]['name']} {level}: {assign}"
    if what == "cf":
        # the platform, and the tie it was picked from when nothing chose it
        platform, ties = platform
        wties = sorted(w.get("platform_ties") or [])
        res.check(name, w["paradigm"] == paradigm and w["platform"] == platform and ties == wties,
                  f"{where}: counterfactual says {paradigm} on {platform} (ties {ties}), "
                  f"the re-run gives {w['paradigm']} on {w['platform']} (ties {wties})")
    elif what == "example":
        res.check(name, w["paradigm"] == paradigm,
                  f"{where}: unknown's example says {paradigm}, the re-run gives {w['paradigm']}")
    elif what == "differs":
        res.check(name, False, f"{where}: unknown could_change but its example keeps {paradigm}")
    else:
        res.check(name, w["paradigm"] == paradigm,
                  f"{where}: unknown says no answer changes {paradigm}, "
                  f"the re-run gives {w['paradigm']}")


def check_claims(vm, docs, reps, table, res):
    """Re-runs every claim: one --what-if run per distinct answer over the
    profiles that make a claim about it. --what-if gives a system's answer to
    the parent and to the components that do not set the field themselves
    (the spec's "wherever it applies"); a component's own claim about a
    field it sets itself is re-run on the profile with that component's
    field edited instead (one run for all of them)."""
    claims = collect_claims(docs, reps, table)
    own = []
    for assign in sorted(claims):
        items = [c for c in claims[assign] if not owns(docs[c[0]], c[1], c[4])]
        own += [c for c in claims[assign] if owns(docs[c[0]], c[1], c[4])]
        if not items:
            continue
        idx = sorted({c[0] for c in items})
        alt = vm.advise(to_yaml([docs[i] for i in idx]), ["--what-if", assign])
        pos = {i: k for k, i in enumerate(idx)}
        for i, level, kind, claim, path, value in items:
            w = find_level(alt[pos[i]]["what_if"]["report"], level)["recommendation"]
            judge(res, docs, i, level, kind, claim, assign, w)
    if own:
        alt = vm.advise(to_yaml([edited(docs[i], level, path, value)
                                 for i, level, kind, claim, path, value in own]))
        for (i, level, kind, claim, path, value), rep in zip(own, alt):
            w = find_level(rep, level)["recommendation"]
            judge(res, docs, i, level, kind, claim, assignment("spec." + path, value), w)


def isolated(fields):
    if get(fields, "isolation.untrusted_code") is True:
        return "untrusted code"
    seg = get(fields, "isolation.segregation")
    if get(fields, "isolation.multi_tenant") is True and seg in ("high", "strict"):
        return "multi-tenant with segregation " + seg
    if seg == "strict":
        return "strict segregation"
    return None


def workloads(doc, rep):
    """(level, merged fields, report part) of the profile, or of each component."""
    spec = doc["spec"]
    if not rep["components"]:
        return [("profile", merged(spec, {}), rep)]
    return [(f"component {c['name']}", merged(spec, c), rc)
            for c, rc in zip(spec["components"], rep["components"])]


def check_isolation(docs, reps, res):
    for d, rep in zip(docs, reps):
        for level, fields, part in workloads(d, rep):
            why = isolated(fields)
            if not why:
                continue
            r = part["recommendation"]
            os_ = get(fields, "workload.os")
            ok = r["paradigm"] not in SHARED_KERNEL and not (
                r["paradigm"] == "microvm" and os_ in ("windows", "mixed", "other")
                and r["platform"] in LINUX_ONLY)
            res.check("isolation", ok, f"{d['name']} {level} ({why}, os {os_}): "
                      f"{r['paradigm']} on {r['platform']}")


def microsoft_reason(fields):
    return (get(fields, "workload.os") in ("windows", "mixed")
            or get(fields, "team.windows") in ("basic", "advanced")
            or get(fields, "strategy.ecosystem") == "microsoft"
            or "windows-datacenter" in (get(fields, "economics.licenses") or [])
            or get(fields, "strategy.cloud_provider") == "azure"
            or get(fields, "strategy.current_platform") == "hyper-v")


def check_hyperv(docs, reps, res):
    for d, rep in zip(docs, reps):
        for level, fields, part in workloads(d, rep):
            r = part["recommendation"]
            if r["paradigm"] not in ("vm", "hybrid"):
                continue
            pl = part["scores"]["platforms"]
            others = [v for k, v in pl.items() if k != "hyper-v" and k in VM_PLATFORMS]
            if r["platform"] == "hyper-v" and all(pl["hyper-v"] > v for v in others):
                res.check("hyperv-reason", microsoft_reason(fields),
                          f"{d['name']} {level}: Hyper-V chosen (score {pl['hyper-v']}) "
                          "without a Windows or Microsoft reason")
            elif r["platform"] is not None:
                res.check("hyperv-reason", True, "")


def check_cloud_vm(docs, reps, res):
    for d, rep in zip(docs, reps):
        for level, fields, part in workloads(d, rep):
            r = part["recommendation"]
            if get(fields, "strategy.hosting") == "public-cloud" and r["paradigm"] in ("vm", "hybrid"):
                res.check("cloud-vm", r["platform"] == "cloud-vm",
                          f"{d['name']} {level}: hosted in a public cloud, but {r['paradigm']} "
                          f"on {r['platform']}")


def check_risks(vm, reps, res):
    applies = {r["id"]: set(r["applies_to"])
               for r in json.loads(vm.raw(["rules", "list", "--format", "json"], b""))["items"]}
    for rep in reps:
        top = " system" if rep["components"] else " profile"
        parts = [(top, rep)] + [(f" component {c['name']}", c) for c in rep["components"]]
        for level, part in parts:
            name = "risks-system" if level == " system" else "risks"
            r = part["recommendation"]
            named = {r["paradigm"], r["platform"], r.get("container_platform")}
            named |= set((r.get("platforms") or {}).values())
            for risk in part["risks"]:
                ok = bool(applies[risk["rule"]] & named)
                res.check(name, ok, f"{rep['profile']['name']}{level}: risk of {risk['rule']} "
                          f"(applies to {sorted(applies[risk['rule']])}) shown for {sorted(filter(None, named))}")


def verdicts(rep):
    out = {"system" if rep["components"] else "profile": rep["recommendation"]["paradigm"]}
    for c in rep["components"]:
        out[f"component {c['name']}"] = c["recommendation"]["paradigm"]
    return out


def raised_isolation(rng, doc):
    """The profile with priorities.isolation raised (parent and components)."""
    spec = json.loads(json.dumps(doc["spec"]))
    cur = (spec.get("priorities") or {}).get("isolation", 3)
    if cur >= 5:
        return None
    spec.setdefault("priorities", {})["isolation"] = rng.randint(cur + 1, 5)
    for c in spec.get("components", []):
        p = c.get("priorities") or {}
        if "isolation" in p and p["isolation"] < 5:
            p["isolation"] = rng.randint(p["isolation"] + 1, 5)
    return {"name": doc["name"], "spec": spec}


def raised_readiness(doc, path):
    """The profile with one more step of `path` wherever it is set, or None."""
    spec = json.loads(json.dumps(doc["spec"]))
    sec, name = path.split(".")
    order = ORDER[path]
    changed = False
    for holder in [spec] + spec.get("components", []):
        v = (holder.get(sec) or {}).get(name)
        if v is not None and order.index(v) + 1 < len(order):
            holder[sec][name] = order[order.index(v) + 1]
            changed = True
    return {"name": doc["name"], "spec": spec} if changed else None


def check_monotonic(vm, rng, docs, reps, res):
    before = [verdicts(r) for r in reps]
    # priorities.isolation
    pairs = [(i, raised_isolation(rng, docs[i])) for i in range(len(docs))
             if any(p in ("vm", "microvm") for p in before[i].values())]
    pairs = [(i, d) for i, d in pairs if d]
    after = vm.advise(to_yaml([d for _, d in pairs]))
    for (i, d), rep in zip(pairs, after):
        now = verdicts(rep)
        for level, p in before[i].items():
            if p in ("vm", "microvm"):
                res.check("mono-isolation", now[level] != "container",
                          f"{docs[i]['name']} {level}: {p} -> container when priorities.isolation "
                          f"is raised to {d['spec']['priorities']['isolation']}")
    # team readiness
    for path in READINESS:
        pairs = [(i, raised_readiness(docs[i], path)) for i in range(len(docs))
                 if "container" in before[i].values()]
        pairs = [(i, d) for i, d in pairs if d]
        after = vm.advise(to_yaml([d for _, d in pairs]))
        for (i, d), rep in zip(pairs, after):
            now = verdicts(rep)
            for level, p in before[i].items():
                if p == "container":
                    res.check("mono-team", now[level] == "container",
                              f"{docs[i]['name']} {level}: container -> {now[level]} "
                              f"with one step more {path}")


def scaled(doc, k):
    """The profile with every priority k, parent and components alike."""
    d = copy.deepcopy(doc)
    d["spec"]["priorities"] = {c: k for c in CATEGORIES}
    for comp in d["spec"].get("components", []):
        comp.pop("priorities", None)
    return d


def check_scale(vm, docs, res):
    """Every priority multiplied by the same factor (all k, k = 1..5, is the
    default all-3 times k/3) moves neither the verdict nor either printed
    confidence, at every level (docs/rules.md "Confidence")."""
    sample = docs[: max(1, len(docs) // 4)]
    runs = {k: vm.advise(to_yaml([scaled(d, k) for d in sample])) for k in range(1, 6)}
    for i, d in enumerate(sample):
        seen = {}
        for k in range(1, 6):
            for level, _, part in levels(runs[k][i]):
                r = part["recommendation"]
                v = (r["paradigm"], r.get("platform"), r.get("container_platform"),
                     r["confidence"], r.get("platform_confidence"))
                if level in seen:
                    k0, v0 = seen[level]
                    res.check("scale", v == v0, f"{d['name']} {level}: {v0} with every priority {k0}, "
                                                f"{v} with every priority {k}")
                else:
                    seen[level] = (k, v)


def verdict_of(r):
    """What a sensitivity claim is about: the paradigm and the platform of
    each family it names (recommendation.platforms; a `changes` entry
    without that map is read from its platform and container platform)."""
    pl = r.get("platforms")
    if pl is None:
        pl = {}
        if r["paradigm"] in ("vm", "hybrid") and r["platform"]:
            pl["vm"] = r["platform"]
        elif r["paradigm"] in ("container", "microvm") and r["platform"]:
            pl[r["paradigm"]] = r["platform"]
        if r["paradigm"] == "hybrid" and r.get("container_platform"):
            pl["container"] = r["container_platform"]
    return (r["paradigm"], tuple(sorted(pl.items())))


def show(v):
    return f"{v[0]} on {dict(v[1]) or 'no platform'}"


def check_sensitivity(vm, docs, reps, res):
    """Every priority of every category, at every level: inside the range
    the re-run keeps the verdict, outside it gives the `changes` entry."""
    runs = collections.defaultdict(list)   # assignment -> (doc, level, expected verdict)
    own = []                               # (doc, level, path, q, expected)
    for i, rep in enumerate(reps):
        for level, kind, part in levels(rep):
            base = verdict_of(part["recommendation"])
            for s in part["sensitivity"]:
                changes = {c["priority"]: verdict_of(c) for c in s["changes"]}
                if any(s["holds_from"] <= q <= s["holds_to"] for q in changes) or \
                        not s["holds_from"] <= s["priority"] <= s["holds_to"]:
                    res.check("sensitivity", False, f"{docs[i]['name']} {level}: {s['category']} "
                              f"holds at {s['holds_from']}..{s['holds_to']} but lists changes {sorted(changes)}")
                    continue
                for q in range(6):
                    if q == s["priority"]:
                        continue
                    inside = s["holds_from"] <= q <= s["holds_to"]
                    if not inside and q in (s["holds_from"] - 1, s["holds_to"] + 1) and q not in changes:
                        res.check("sensitivity", False, f"{docs[i]['name']} {level}: {s['category']} "
                                  f"at {q}, the first value outside {s['holds_from']}..{s['holds_to']}, "
                                  "lists no change")
                        continue
                    # further out the verdict may come back (no entry in changes)
                    want = changes.get(q, base)
                    path = f"priorities.{s['category']}"
                    item = (i, level, kind, want, inside, s)
                    if owns(docs[i], level, path):
                        own.append((item, path, q))
                    else:
                        runs[f"{path}={q}"].append(item)

    def judge_one(item, assign, got):
        i, level, kind, want, inside, s = item
        res.check("sensitivity", got == want,
                  f"{docs[i]['name']} {level} ({kind}): {s['category']} priority {s['priority']} holds at "
                  f"{s['holds_from']}..{s['holds_to']}; {assign} should give {show(want)}"
                  f"{' (the verdict)' if inside else ''}, the re-run gives {show(got)}")

    for assign in sorted(runs):
        items = runs[assign]
        idx = sorted({it[0] for it in items})
        alt = vm.advise(to_yaml([docs[i] for i in idx]), ["--what-if", assign])
        pos = {i: k for k, i in enumerate(idx)}
        for it in items:
            w = find_level(alt[pos[it[0]]]["what_if"]["report"], it[1])["recommendation"]
            judge_one(it, assign, verdict_of(w))
    if own:
        alt = vm.advise(to_yaml([edited(docs[it[0]], it[1], path, q) for it, path, q in own]))
        for (it, path, q), rep in zip(own, alt):
            judge_one(it, f"{it[1]} {path}={q}", verdict_of(find_level(rep, it[1])["recommendation"]))


def excluded(part):
    """What the blockers of a profile or a component exclude."""
    return {t for b in part["blockers"] for t in b["excludes"]}


SINGLE = ("vm", "container", "microvm")


def runs(paradigm):
    """The families a workload of `paradigm` runs on (a hybrid: VMs and containers)."""
    return {"vm", "container"} if paradigm == "hybrid" else {paradigm} - {None}


def binds(paradigm, t, pp, fams):
    """Whether a component of `paradigm` that excludes t blocks a system
    proposal of paradigm pp and target t (docs/ci.md): a paradigm other than
    hybrid binds every component; so does a platform under a proposal of one
    paradigm (every component is put on it); otherwise a platform binds the
    components of its family, or every one when no component runs that
    family (see system_excluded)."""
    if t not in FAMILY:
        return t != "hybrid"
    if pp in SINGLE or FAMILY[t] not in fams:
        return True
    return FAMILY[t] in runs(paradigm)


def system_excluded(rep, pp):
    """What a system proposal of paradigm pp may not name: its components'
    binding blockers, and a platform of a family no component runs only when
    every component excludes it."""
    comps = rep["components"]
    fams = set().union(*(runs(c["recommendation"]["paradigm"]) for c in comps))
    out = set()
    for t in set().union(*(excluded(c) for c in comps)):
        if t in FAMILY and pp not in SINGLE and FAMILY[t] not in fams:
            if all(t in excluded(c) for c in comps):
                out.add(t)
        elif any(t in excluded(c) and binds(c["recommendation"]["paradigm"], t, pp, fams) for c in comps):
            out.add(t)
    return out


def named_platforms(rec, system):
    """The platforms a proposal matches without a tie: the recommended one
    and a hybrid's container platform; a system's platform per kind of
    workload (recommendation.platforms) too."""
    named = {rec["platform"], rec.get("container_platform")}
    if system:
        named |= set((rec.get("platforms") or {}).values())
    return named - {None}


def gate_expect(rec, excl, pp, pq, part, system):
    """What `check` must say of the proposal pp/pq (paradigm or None,
    platform) against a recommendation whose blockers exclude excl
    (docs/ci.md): "blocker" when a blocker excludes the proposal, "tie"
    (a match) when the platform is one of the tied ones, "match" when it is
    a recommended one, "mismatch" for another platform of a family the
    recommendation names; None when the platform is not what decides (another
    paradigm, a family the recommendation does not name, or a side of a
    hybrid proposal the platform does not concern). part: a component that
    inherits a hybrid proposal (one side of it)."""
    rp = rec["paradigm"]
    if rp is None:
        return None
    fam = FAMILY[pq]
    applies = not part or fam == rp or rp == "hybrid"
    if part:
        blocked = {"vm", "container", "microvm"} <= excl
    else:
        blocked = pp is not None and pp in excl
    if blocked or (applies and pq in excl):
        return "blocker"
    para_ok = pp is None or pp == rp or (part and rp in ("vm", "container", "microvm"))
    if not para_ok or not applies:
        return None
    ties = rec["platform_ties"]
    named = named_platforms(rec, system)
    if fam not in {FAMILY[t] for t in named | set(ties)}:
        return None
    if pq in ties:
        return "tie"
    return "match" if pq in named else "mismatch"


def tie_decisions(i, rec, excl, system, platforms):
    """The decisions to try on a subject whose recommendation has a tie:
    each tied platform alone and with the recommended paradigm, and one
    platform of the tie's family that is neither tied, recommended nor
    excluded (alone or with the paradigm, by turns), when there is one."""
    ties = rec["platform_ties"]
    out = []
    for t in ties:
        out.append({"platform": t})
        out.append({"paradigm": rec["paradigm"], "platform": t})
    fam = FAMILY[ties[0]]
    named = named_platforms(rec, system)
    other = [p for p in platforms if FAMILY[p] == fam and p not in ties and p not in named and p not in excl]
    if other:
        u = other[i % len(other)]
        out.append({"platform": u} if i % 2 else {"paradigm": rec["paradigm"], "platform": u})
    return out


def check_rec_differs(cr, rec):
    """Where the recommendation `check` judged against (its json result)
    differs from the report's, or None."""
    want = {"paradigm": rec["paradigm"], "platform": rec["platform"], "confidence": rec["confidence"],
            "platform_ties": rec["platform_ties"], "container_platform": rec.get("container_platform")}
    got = {"paradigm": cr.get("paradigm"), "platform": cr.get("platform"), "confidence": cr.get("confidence"),
           "platform_ties": cr.get("platform_ties", []), "container_platform": cr.get("container_platform")}
    if "microvm_platform" in cr:
        want["microvm_platform"] = (rec.get("platforms") or {}).get("microvm")
        got["microvm_platform"] = cr["microvm_platform"]
    bad = [k for k in want if want[k] != got[k]]
    return ", ".join(f"{k} {got[k]} (advise: {want[k]})" for k in bad) or None


def check_ties(vm, docs, reps, res, platforms, count):
    """A decision naming any tied platform passes `check`; an untied one of
    the same family is a mismatch. One `vmctr check` run and one `vmctr
    advise` run over a stream of every variant."""
    variants = []   # (doc index, variant profile, decision, component index or None)
    for i, rep in enumerate(reps):
        rec = rep["recommendation"]
        if rep["components"]:
            subjects = [(None, rec, system_excluded(rep, None), True)]
            subjects += [(k, c["recommendation"], excluded(c), False) for k, c in enumerate(rep["components"])]
        else:
            subjects = [(None, rec, excluded(rep), False)]
        for k, r, excl, system in subjects:
            if not r["platform_ties"] or r["paradigm"] is None:
                continue
            for decision in tie_decisions(i, r, excl, system, platforms):
                spec = copy.deepcopy(docs[i]["spec"])
                (spec if k is None else spec["components"][k])["decision"] = decision
                variants.append((i, {"name": docs[i]["name"], "spec": spec}, decision, k))
    if not variants:
        return
    stream = to_yaml([v[1] for v in variants])
    out = vm.check(stream)
    results = {(r["document"], r.get("component")): r for r in out["results"]}
    alt = vm.advise(stream)
    tally = {n: collections.Counter() for n in ("check-tie", "check-tie-system", "check-tie-component")}
    for pos, ((i, _, decision, k), arep) in enumerate(zip(variants, alt)):
        rep = reps[i]
        comps = rep["components"]
        pp, pq = decision.get("paradigm"), decision["platform"]
        # (check, level, component name, report part, excluded, part of a hybrid, system)
        if not comps:
            subj = [("check-tie", "profile", None, rep, excluded(rep), False, False)]
        elif k is None:
            subj = [("check-tie-system", "system", None, rep, system_excluded(rep, pp), False, True)]
            subj += [("check-tie-component", f"component {c['name']}", c["name"], c, excluded(c),
                      pp == "hybrid", False) for c in comps]
        else:
            c = comps[k]
            subj = [("check-tie-component", f"component {c['name']}", c["name"], c, excluded(c), False, False)]
        # the decision is read by no rule: every level's recommendation is
        # the original's (a difference fails the variant, it is not skipped)
        changed = [lv for lv, _, part in levels(rep)
                   if find_level(arep, lv)["recommendation"] != part["recommendation"]]
        if changed:
            res.check(subj[0][0], False, f"{docs[i]['name']}: decision {json.dumps(decision)} changed the "
                                         f"recommendation of {', '.join(changed)}")
            continue
        for name, level, cname, part, excl, hpart, system in subj:
            rec = part["recommendation"]
            want = gate_expect(rec, excl, pp, pq, hpart, system)
            if want is None:
                continue
            tally[name][want] += 1
            where = (f"{docs[i]['name']} {level}: decision {json.dumps(decision)}"
                     f"{' (inherited)' if cname and k is None else ''}")
            r = results.get((pos, cname))
            if r is None:
                res.check(name, False, f"{where}: check gives no result for it")
                continue
            diff = check_rec_differs(r["recommendation"], rec)
            ties = rec["platform_ties"]
            got = f"{r['status']}/{r['gate']}: {r['message']}"
            if diff:
                res.check(name, False, f"{where}: check judged against another recommendation: {diff}")
            elif r["proposed"] != {"paradigm": pp, "platform": pq}:
                res.check(name, False, f"{where}: check read the proposal {r['proposed']}")
            elif want in ("tie", "match"):
                note = f" (a platform tie: {', '.join(ties)})" if ties else ""
                ok = r["gate"] == "match" and r["status"] == "pass" and note in r["message"]
                res.check(name, ok, f"{where}: {pq} is {'tied' if want == 'tie' else 'recommended'} "
                                    f"(ties {ties}), so a pass{' naming the tie' if ties else ''}; check gives {got}")
            elif want == "blocker":
                res.check(name, r["gate"] == "blocker" and r["status"] == "fail",
                          f"{where}: a blocker excludes {pq}, check gives {got}")
            else:
                conf = rec["confidence"]
                status = {"fail"} if conf >= MIN_CONFIDENCE else {"warning"}
                if abs(conf - MIN_CONFIDENCE) < 0.005:   # printed to 2 places
                    status = {"fail", "warning"}
                res.check(name, r["gate"] == "mismatch" and r["status"] in status,
                          f"{where}: {pq} is neither tied ({ties}) nor recommended, so a mismatch "
                          f"({'/'.join(sorted(status))} at confidence {conf}); check gives {got}")
    need = max(1, count // 100)
    for name, t in tally.items():
        res.notes[name] = (f"{t['tie']} tied, {t['mismatch']} untied (mismatch), {t['match']} recommended, "
                           f"{t['blocker']} blocked; needs {need} tied and {need} untied")
        if t["tie"] < need or t["mismatch"] < need:
            res.check(name, False, f"too few cases: {t['tie']} tied and {t['mismatch']} untied "
                                   f"platforms checked, {need} of each needed")


def check_determinism(vm, stream, res):
    outs = [vm.raw(["advise", "--format", "ndjson", "-j", str(j), "-"], stream.encode())
            for j in (1, 2, 3)]
    res.check("determinism", outs[0] == outs[1] == outs[2],
              "ndjson output differs between -j 1, -j 2 and -j 3")


# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bin")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("VMCTR_PROPS_SEED", "12")))
    ap.add_argument("--count", type=int, default=int(os.environ.get("VMCTR_PROPS_COUNT", "2000")))
    ap.add_argument("--xfail", default="", help="comma-separated checks expected to fail")
    ap.add_argument("--only", default="", help="comma-separated checks to run (default: all)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    args = ap.parse_args()
    xfail = {x for x in args.xfail.split(",") if x}
    bad = (xfail | {x for x in args.only.split(",") if x}) - set(CHECKS)
    if bad:
        sys.exit(f"props: unknown check(s) {sorted(bad)}; checks are {CHECKS}")

    vm = Vmctr(os.path.abspath(args.bin))
    rng = random.Random(args.seed)
    table = field_table(vm)
    docs = [gen_profile(rng, table, i, system=(i % 3 == 0 or rng.random() < 0.1))
            for i in range(args.count)]
    stream = to_yaml(docs)
    reps = vm.advise(stream)
    if len(reps) != len(docs):
        sys.exit(f"props: {len(docs)} profiles but {len(reps)} reports")
    nsys = sum(1 for d in docs if "components" in d["spec"])
    print(f"seed {args.seed}: {len(docs)} profiles, {nsys} systems "
          f"({100 * nsys // len(docs)}%), "
          f"{sum(len(d['spec'].get('components', [])) for d in docs)} components")

    only = [x for x in args.only.split(",") if x] or CHECKS
    res = Result(args.verbose)
    if any(c.startswith("claims-") for c in only):
        check_claims(vm, docs, reps, table, res)
    if "isolation" in only:
        check_isolation(docs, reps, res)
    if "mono-isolation" in only or "mono-team" in only:
        check_monotonic(vm, rng, docs, reps, res)
    if "hyperv-reason" in only:
        check_hyperv(docs, reps, res)
    if "cloud-vm" in only:
        check_cloud_vm(docs, reps, res)
    if "risks" in only or "risks-system" in only:
        check_risks(vm, reps, res)
    if "sensitivity" in only:
        check_sensitivity(vm, docs, reps, res)
    if "scale" in only:
        check_scale(vm, docs, res)
    if any(c.startswith("check-tie") for c in only):
        check_ties(vm, docs, reps, res, decision_platforms(vm), args.count)
    if "determinism" in only:
        check_determinism(vm, stream, res)

    passed = failed = 0
    for name in only:
        n, bad = res.counts[name], res.fails[name]
        status = "ok" if not bad else "FAIL"
        if name in xfail:
            status = "XFAIL (expected)" if bad else "XPASS (remove --xfail)"
        print(f"{name:17} {n - len(bad):6} of {n:6} hold  {status}")
        if name in res.notes:
            print(f"    {res.notes[name]}")
        for msg in bad[: None if args.verbose else 5]:
            print(f"    {msg}")
        if len(bad) > 5 and not args.verbose:
            print(f"    ... {len(bad) - 5} more (-v shows all)")
        if n == 0:
            print(f"    {name}: nothing was checked")
        good = (not bad) != (name in xfail) and n > 0
        passed += good
        failed += not good
    print(f"{vm.runs} vmctr runs")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
