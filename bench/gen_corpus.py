#!/usr/bin/env python3
"""Deterministic corpus generator for the vmctr benchmark.

Writes N workload profiles (vmctr/v1, see the profile spec) as one
multi-document YAML stream, each document starting with `---`.  Every profile
is valid against the spec; it uses every section, with realistic combinations
drawn from a few archetypes (legacy Windows, cloud-native, untrusted tenant
code, regulated core, edge, batch, ...).  About 20% of the profiles have 2-3
`components`, about 20% have `priorities`, about 30% have a `decision`.
A few fields are dropped at random so that reports carry `unknowns`.

Standard library only.  The same --count and --seed always give the same
bytes.

    gen_corpus.py --count 100000 --seed 1 -o corpus.yaml
    gen_corpus.py --single -o small.yaml        # one small profile
"""

import argparse
import random
import sys

from fields import FIELDS, ORDERED  # bench/fields.py

PARADIGMS = ["vm", "container", "hybrid", "microvm"]
PLATFORMS = ["vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "docker",
             "kubernetes", "kata-containers", "firecracker", "gvisor"]
CATEGORIES = ["workload", "isolation", "economics", "delivery", "team",
              "strategy", "operations"]

# The values each enum field is drawn from: the ordered enums as
# bench/fields.py ranks them, and the others. vendor_support and
# release_frequency are listed here in another order than their rank: a
# --seed draws from these lists by position, and keeps giving the same bytes.
ENUMS = dict(ORDERED, **{
    "workload.architecture": ["monolith", "modular-monolith", "microservices",
                              "event-driven", "batch", "functions"],
    "workload.lifecycle": ["legacy", "maintained", "greenfield"],
    "workload.os": ["linux", "windows", "mixed", "other"],
    "workload.hardware_access": ["none", "gpu", "passthrough"],
    "workload.packaging": ["installer", "os-package", "binary", "container-image"],
    "economics.vendor_support": ["required", "preferred", "none"],
    "delivery.release_frequency": ["on-demand", "daily", "weekly", "monthly",
                                   "quarterly", "yearly"],
    "strategy.hosting": ["on-prem", "hybrid-cloud", "multi-cloud", "public-cloud"],
    "strategy.cloud_provider": ["aws", "azure", "gcp", "other", "none"],
    "strategy.ecosystem": ["microsoft", "vmware", "open-source", "mixed"],
    "strategy.current_platform": ["none", "vmware-esxi", "hyper-v", "kvm-ovirt",
                                  "proxmox-ve", "docker", "kubernetes"],
    "strategy.modernization": ["retain", "rehost", "replatform", "refactor"],
    "operations.observability": ["none", "agent-based", "cloud-native"],
    "operations.fleet": ["replicas", "estate"],
})
COMPLIANCE = ["pci-dss", "hipaa", "gdpr", "iso27001", "fedramp", "sox"]
LICENSES = ["windows-datacenter", "vmware", "red-hat", "suse"]

WORDS = ["billing", "ledger", "orders", "catalog", "search", "auth", "report",
         "payroll", "crm", "erp", "gateway", "media", "ingest", "stream",
         "render", "notify", "inventory", "pricing", "claims", "portal",
         "telemetry", "scheduler", "archive", "sandbox", "kiosk", "pos"]
TEAMS = ["payments", "platform", "data", "core", "retail", "risk", "infra",
         "growth", "identity", "ops", "finance", "edge"]
DESCRIPTIONS = [
    "Handles card authorisation and settlement for the retail channel",
    "Nightly consolidation of ledgers from the regional subsidiaries",
    "Customer-facing API serving the mobile and web storefronts",
    "Vendor-supplied package installed by hand on a Windows server",
    "Runs functions uploaded by customers inside the hosted platform",
    "Collects sensor readings at factory sites and forwards them upstream",
    "Internal reporting suite used by finance at month end",
    "Batch rendering of product images for the catalogue",
    "Identity provider fronting all internal applications",
    "Point-of-sale back office running in every store",
]

# Archetypes: partial field settings; weights set the corpus mix.
ARCHETYPES = [
    ("legacy-windows", 18, {
        "workload": {"architecture": "monolith", "lifecycle": "legacy",
                     "os": "windows", "packaging": "installer",
                     "stateful": True, "twelve_factor": False},
        "team": {"windows": "advanced", "containers": "none",
                 "kubernetes": "none", "culture": "traditional"},
        "strategy": {"ecosystem": "microsoft", "current_platform": "hyper-v",
                     "hosting": "on-prem", "modernization": "retain"},
        "delivery": {"release_frequency": "quarterly", "scaling": "static"},
    }),
    ("cloud-native", 26, {
        "workload": {"architecture": "microservices", "lifecycle": "greenfield",
                     "os": "linux", "packaging": "container-image",
                     "stateful": False, "twelve_factor": True,
                     "custom_kernel": False},
        "team": {"linux": "advanced", "containers": "advanced",
                 "kubernetes": "advanced", "culture": "devops", "iac": "full"},
        "strategy": {"ecosystem": "open-source", "hosting": "public-cloud",
                     "modernization": "refactor"},
        "delivery": {"release_frequency": "daily", "scaling": "elastic",
                     "ci_cd": "advanced", "downtime_tolerance": "none"},
        "operations": {"observability": "cloud-native"},
    }),
    ("untrusted-tenant", 10, {
        "workload": {"architecture": "functions", "lifecycle": "greenfield",
                     "os": "linux", "stateful": False},
        "isolation": {"multi_tenant": True, "untrusted_code": True,
                      "segregation": "strict"},
        "delivery": {"release_frequency": "daily", "scaling": "elastic"},
        "team": {"linux": "advanced", "containers": "advanced",
                 "culture": "devops"},
    }),
    ("regulated-core", 14, {
        "workload": {"architecture": "monolith", "lifecycle": "legacy",
                     "os": "linux", "stateful": True},
        "isolation": {"segregation": "high"},
        "economics": {"budget": "ample", "vendor_support": "required"},
        "delivery": {"release_frequency": "quarterly",
                     "downtime_tolerance": "hours"},
        "team": {"containers": "none", "kubernetes": "none",
                 "culture": "traditional"},
        "strategy": {"ecosystem": "vmware", "current_platform": "vmware-esxi",
                     "hosting": "on-prem", "modernization": "retain"},
        "operations": {"availability": "critical", "live_migration": True},
    }),
    ("small-budget-linux", 12, {
        "workload": {"architecture": "modular-monolith", "os": "linux",
                     "packaging": "os-package"},
        "economics": {"budget": "constrained", "vendor_support": "none",
                      "lock_in_tolerance": "low"},
        "team": {"linux": "advanced", "containers": "basic",
                 "kubernetes": "none"},
        "strategy": {"ecosystem": "open-source", "hosting": "on-prem"},
    }),
    ("custom-kernel", 6, {
        "workload": {"custom_kernel": True, "os": "linux",
                     "hardware_access": "passthrough", "packaging": "binary"},
        "operations": {"availability": "high"},
    }),
    ("edge", 7, {
        "workload": {"architecture": "event-driven", "os": "linux",
                     "packaging": "container-image"},
        "strategy": {"edge": True, "hosting": "hybrid-cloud"},
        "delivery": {"release_frequency": "weekly", "scaling": "static"},
        "operations": {"instances": 400},
    }),
    ("batch-gpu", 7, {
        "workload": {"architecture": "batch", "os": "linux",
                     "hardware_access": "gpu", "stateful": False},
        "delivery": {"scaling": "scheduled"},
        "team": {"containers": "basic", "kubernetes": "basic"},
    }),
]

BOOL_FIELDS = {"custom_kernel", "gui", "stateful", "twelve_factor",
               "multi_tenant", "untrusted_code", "edge", "live_migration",
               "guest_kernel"}
BOOL_TRUE_P = {"custom_kernel": 0.05, "gui": 0.08, "stateful": 0.45,
               "twelve_factor": 0.4, "multi_tenant": 0.2,
               "untrusted_code": 0.08, "edge": 0.08, "live_migration": 0.25,
               "guest_kernel": 0.03}


def random_value(rng, section, field):
    key = section + "." + field
    if field in BOOL_FIELDS:
        return rng.random() < BOOL_TRUE_P[field]
    if key in ENUMS:
        return rng.choice(ENUMS[key])
    if field == "compliance":
        if rng.random() < 0.5:
            return []
        return sorted(rng.sample(COMPLIANCE, rng.randint(1, 3)))
    if field == "licenses":
        return sorted(rng.sample(LICENSES, rng.randint(0, 2)))
    if field == "instances":
        return rng.choice([1, 2, 3, 4, 6, 8, 12, 20, 40, 80, 150, 600, 2500,
                           12000])
    raise KeyError(key)


def make_sections(rng, drop_p):
    """Sections from an archetype plus noise; fields dropped with drop_p."""
    names = [a[0] for a in ARCHETYPES]
    weights = [a[1] for a in ARCHETYPES]
    arche = ARCHETYPES[names.index(rng.choices(names, weights)[0])][2]
    spec = {}
    for section in CATEGORIES:
        base = arche.get(section, {})
        out = {}
        for field in FIELDS[section]:
            if field in base and rng.random() > 0.12:
                val = base[field]
            else:
                val = random_value(rng, section, field)
            if rng.random() < drop_p:
                continue  # unknown
            out[field] = val
        # keep the os/team combination plausible
        spec[section] = out
    w = spec["workload"]
    if w.get("os") == "windows" and "team" in spec and rng.random() < 0.8:
        spec["team"]["windows"] = rng.choice(["basic", "advanced"])
    if spec["strategy"].get("hosting") == "on-prem" and \
            "cloud_provider" in spec["strategy"]:
        spec["strategy"]["cloud_provider"] = "none"
    return spec


def fmt_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(v) + "]"
    return str(v)


def emit_section(lines, indent, section, fields, flow=False):
    pad = " " * indent
    if not fields:
        return
    if flow:
        items = ", ".join("%s: %s" % (k, fmt_scalar(v)) for k, v in fields.items())
        lines.append("%s%s: {%s}" % (pad, section, items))
        return
    lines.append("%s%s:" % (pad, section))
    for k, v in fields.items():
        lines.append("%s  %s: %s" % (pad, k, fmt_scalar(v)))


def make_profile(rng, idx):
    name = "%s-%s-%06d" % (rng.choice(WORDS), rng.choice(WORDS), idx)
    spec = make_sections(rng, drop_p=0.07)
    lines = ["---",
             "# bench corpus profile %06d (bench/gen_corpus.py)" % idx,
             "apiVersion: vmctr/v1",
             "kind: WorkloadProfile",
             "metadata:",
             "  name: " + name,
             "  owner: %s-team" % rng.choice(TEAMS),
             "  description: " + rng.choice(DESCRIPTIONS),
             "  labels:",
             "    tier: " + rng.choice(["frontend", "backend", "data", "batch"]),
             "    cost-centre: cc-%04d" % rng.randint(1, 9999),
             "    environment: " + rng.choice(["production", "staging", "test"]),
             "    region: " + rng.choice(["eu-west", "eu-central", "us-east",
                                          "us-west", "ap-south"]),
             "    app.kubernetes.io/part-of: " + rng.choice(WORDS) + "-suite",
             "spec:"]
    for section in CATEGORIES:
        emit_section(lines, 2, section, spec[section])
    if rng.random() < 0.20:
        lines.append("  priorities:")
        for cat in rng.sample(CATEGORIES, rng.randint(2, 5)):
            lines.append("    %s: %d" % (cat, rng.randint(0, 5)))
    if rng.random() < 0.30:
        lines.append("  decision:")
        lines.append("    paradigm: " + rng.choice(PARADIGMS))
        lines.append("    platform: " + rng.choice(PLATFORMS))
    if rng.random() < 0.20:
        lines.append("  components:")
        used = set()
        for _ in range(rng.randint(2, 3)):
            cname = rng.choice(WORDS)
            while cname in used:
                cname = rng.choice(WORDS)
            used.add(cname)
            lines.append("    - name: " + cname)
            sub = make_sections(rng, drop_p=0.0)
            for section in rng.sample(["workload", "delivery", "isolation",
                                       "team", "operations"], 2):
                keep = rng.sample(list(sub[section].items()),
                                  min(4, len(sub[section])))
                emit_section(lines, 6, section, dict(keep), flow=True)
    return "\n".join(lines) + "\n"


SMALL = """apiVersion: vmctr/v1
kind: WorkloadProfile
metadata:
  name: billing-api
  owner: payments-team
spec:
  workload:
    architecture: microservices
    lifecycle: greenfield
    os: linux
    packaging: container-image
    twelve_factor: true
  delivery:
    release_frequency: daily
    scaling: elastic
    ci_cd: advanced
  team:
    linux: advanced
    containers: advanced
    kubernetes: basic
    culture: devops
  operations:
    availability: high
    instances: 40
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--single", action="store_true",
                    help="write one small profile (no '---')")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    out = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8")
    if a.single:
        out.write(SMALL)
    else:
        rng = random.Random(a.seed)
        buf = []
        for i in range(a.count):
            buf.append(make_profile(rng, i))
            if len(buf) >= 1000:
                out.write("".join(buf))
                buf = []
        out.write("".join(buf))
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
