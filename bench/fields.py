"""The profile's spec fields as the benchmark's Python tools need them.

One copy for bench/gen_corpus.py and bench/peers/rules_to_json.py; the
authority is the field table in src/lib/field.c (docs/profile.md).
tests/acceptance/simulate.py keeps its own copy on purpose: it is an
independent reference implementation.
"""

# every spec field, by section, in table order
FIELDS = {
    "workload": ["architecture", "lifecycle", "os", "custom_kernel", "gui",
                 "hardware_access", "stateful", "packaging", "twelve_factor"],
    "isolation": ["multi_tenant", "untrusted_code", "segregation", "compliance",
                  "guest_kernel"],
    "economics": ["budget", "vendor_support", "lock_in_tolerance", "licenses"],
    "delivery": ["release_frequency", "scaling", "downtime_tolerance", "ci_cd"],
    "team": ["linux", "windows", "containers", "kubernetes", "iac", "culture"],
    "strategy": ["hosting", "cloud_provider", "ecosystem", "current_platform",
                 "edge", "modernization"],
    "operations": ["availability", "live_migration", "observability",
                   "instances", "fleet"],
}

SKILL = ["none", "basic", "advanced"]
# Ordered enums, ascending (gt..lte compare by the position here).
ORDERED = {
    "team.linux": SKILL, "team.windows": SKILL, "team.containers": SKILL,
    "team.kubernetes": SKILL,
    "team.iac": ["none", "partial", "full"],
    "team.culture": ["traditional", "transitioning", "devops"],
    "delivery.release_frequency": ["yearly", "quarterly", "monthly", "weekly",
                                   "daily", "on-demand"],
    "delivery.scaling": ["static", "scheduled", "elastic"],
    "delivery.downtime_tolerance": ["none", "minutes", "hours"],
    "delivery.ci_cd": ["none", "basic", "advanced"],
    "economics.budget": ["constrained", "moderate", "ample"],
    "economics.vendor_support": ["none", "preferred", "required"],
    "economics.lock_in_tolerance": ["low", "medium", "high"],
    "isolation.segregation": ["standard", "high", "strict"],
    "operations.availability": ["standard", "high", "critical"],
}

