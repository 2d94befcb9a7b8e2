/*
 * field.c - the profile field table (see field.h). Adding a field here adds
 * it to the loader, `vmctr validate`, `vmctr schema`, the rule checker and
 * docs/profile.md at once.
 */
#include "vmctr/field.h"
#include "vmctr/target.h"
#include "scalar.h"

#include <string.h>

#define V(...) (const char *const[]){__VA_ARGS__}, (uint8_t)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))
#define R(...) (const uint8_t[]){__VA_ARGS__}
#define NOV NULL, 0
#define SKILL V("none", "basic", "advanced")

/* row: TYPE, values, nvalues, rank, min, max, category, in_component, help */
#define FP(ID, SEC, KEY, PATH, ...) [VM_F_##ID] = {VM_F_##ID, SEC, KEY, PATH, (uint8_t)(sizeof(PATH) - 1), __VA_ARGS__}
#define F(ID, SEC, KEY, ...) FP(ID, SEC, KEY, "spec." SEC "." KEY, __VA_ARGS__)
#define FM(ID, KEY, ...) FP(ID, "metadata", KEY, "metadata." KEY, __VA_ARGS__)

static const vm_field_def fields[VM_FIELD_COUNT] = {
    FM(META_NAME, "name", VM_T_NAME, NOV, NULL, 1, 63, -1, false,
      "profile name: a lower-case DNS label ([a-z0-9-], 1..63 characters)"),
    FM(META_OWNER, "owner", VM_T_STR, NOV, NULL, 0, 0, -1, false,
      "team or person who owns the workload"),
    FM(META_DESCRIPTION, "description", VM_T_STR, NOV, NULL, 0, 0, -1, false,
      "one-line description of the workload"),
    FM(META_LABELS, "labels", VM_T_STR_MAP, NOV, NULL, 0, 0, -1, false,
      "free-form map of string labels"),

    F(WORKLOAD_ARCHITECTURE, "workload", "architecture", VM_T_ENUM,
      V("monolith", "modular-monolith", "microservices", "event-driven", "batch", "functions"), NULL,
      0, 0, VM_CAT_WORKLOAD, true, "application architecture"),
    F(WORKLOAD_LIFECYCLE, "workload", "lifecycle", VM_T_ENUM, V("legacy", "maintained", "greenfield"),
      NULL, 0, 0, VM_CAT_WORKLOAD, true, "where the application is in its life"),
    F(WORKLOAD_OS, "workload", "os", VM_T_ENUM, V("linux", "windows", "mixed", "other"), NULL, 0, 0,
      VM_CAT_WORKLOAD, true,
      "guest operating system (other = neither Linux nor Windows, e.g. a BSD or a legacy Unix)"),
    F(WORKLOAD_CUSTOM_KERNEL, "workload", "custom_kernel", VM_T_BOOL, NOV, NULL, 0, 0, VM_CAT_WORKLOAD,
      true, "needs its own kernel, kernel modules or a kernel version unlike the host's"),
    F(WORKLOAD_GUI, "workload", "gui", VM_T_BOOL, NOV, NULL, 0, 0, VM_CAT_WORKLOAD, true,
      "needs an interactive desktop session"),
    F(WORKLOAD_HARDWARE_ACCESS, "workload", "hardware_access", VM_T_ENUM,
      V("none", "gpu", "passthrough"), NULL, 0, 0, VM_CAT_WORKLOAD, true,
      "special hardware: gpu, or passthrough (PCI passthrough, dongles, special devices)"),
    F(WORKLOAD_STATEFUL, "workload", "stateful", VM_T_BOOL, NOV, NULL, 0, 0, VM_CAT_WORKLOAD, true,
      "keeps durable state on local disk"),
    F(WORKLOAD_PACKAGING, "workload", "packaging", VM_T_ENUM,
      V("installer", "os-package", "binary", "container-image"), NULL, 0, 0, VM_CAT_WORKLOAD, true,
      "how the software is delivered (installer = MSI, setup.exe or a hand install)"),
    F(WORKLOAD_TWELVE_FACTOR, "workload", "twelve_factor", VM_T_BOOL, NOV, NULL, 0, 0, VM_CAT_WORKLOAD,
      true, "logs to stdout/stderr, takes config from the environment, disposable processes"),

    F(ISOLATION_MULTI_TENANT, "isolation", "multi_tenant", VM_T_BOOL, NOV, NULL, 0, 0,
      VM_CAT_ISOLATION, true, "serves mutually untrusting tenants from shared infrastructure"),
    F(ISOLATION_UNTRUSTED_CODE, "isolation", "untrusted_code", VM_T_BOOL, NOV, NULL, 0, 0,
      VM_CAT_ISOLATION, true, "runs code supplied by tenants, customers or the public"),
    F(ISOLATION_SEGREGATION, "isolation", "segregation", VM_T_ENUM, V("standard", "high", "strict"),
      R(0, 1, 2), 0, 0, VM_CAT_ISOLATION, true, "how strongly workloads must be kept apart"),
    F(ISOLATION_COMPLIANCE, "isolation", "compliance", VM_T_STR_LIST, NOV, NULL, 0, 0,
      VM_CAT_ISOLATION, true,
      "regulatory regimes, e.g. [pci-dss, hipaa, gdpr, iso27001, fedramp]; non-empty means regulated"),
    F(ISOLATION_GUEST_KERNEL, "isolation", "guest_kernel", VM_T_BOOL, NOV, NULL, 0, 0,
      VM_CAT_ISOLATION, true,
      "sandboxed code needs a real Linux kernel of its own (nested containers, mounts, the full "
      "syscall ABI), though not a custom one (v1.1)"),

    F(ECONOMICS_BUDGET, "economics", "budget", VM_T_ENUM, V("constrained", "moderate", "ample"),
      R(0, 1, 2), 0, 0, VM_CAT_ECONOMICS, true, "money available for licences and support"),
    F(ECONOMICS_VENDOR_SUPPORT, "economics", "vendor_support", VM_T_ENUM,
      V("required", "preferred", "none"), R(2, 1, 0), 0, 0, VM_CAT_ECONOMICS, true,
      "need for a commercial vendor's support contract"),
    F(ECONOMICS_LOCK_IN_TOLERANCE, "economics", "lock_in_tolerance", VM_T_ENUM,
      V("low", "medium", "high"), R(0, 1, 2), 0, 0, VM_CAT_ECONOMICS, true,
      "how much dependence on one vendor is acceptable"),
    F(ECONOMICS_LICENSES, "economics", "licenses", VM_T_ENUM_LIST,
      V("windows-datacenter", "vmware", "red-hat", "suse"), NULL, 0, 0, VM_CAT_ECONOMICS, true,
      "licences already owned"),

    F(DELIVERY_RELEASE_FREQUENCY, "delivery", "release_frequency", VM_T_ENUM,
      V("on-demand", "daily", "weekly", "monthly", "quarterly", "yearly"), R(5, 4, 3, 2, 1, 0), 0, 0,
      VM_CAT_DELIVERY, true, "how often a new version goes to production"),
    F(DELIVERY_SCALING, "delivery", "scaling", VM_T_ENUM, V("static", "scheduled", "elastic"),
      R(0, 1, 2), 0, 0, VM_CAT_DELIVERY, true, "how capacity follows load"),
    F(DELIVERY_DOWNTIME_TOLERANCE, "delivery", "downtime_tolerance", VM_T_ENUM,
      V("none", "minutes", "hours"), R(0, 1, 2), 0, 0, VM_CAT_DELIVERY, true,
      "downtime acceptable for a routine update"),
    F(DELIVERY_CI_CD, "delivery", "ci_cd", VM_T_ENUM, V("none", "basic", "advanced"), R(0, 1, 2), 0, 0,
      VM_CAT_DELIVERY, true, "maturity of the build and deployment pipeline"),

    F(TEAM_LINUX, "team", "linux", VM_T_ENUM, SKILL, R(0, 1, 2), 0, 0, VM_CAT_TEAM, true, "Linux skills"),
    F(TEAM_WINDOWS, "team", "windows", VM_T_ENUM, SKILL, R(0, 1, 2), 0, 0, VM_CAT_TEAM, true,
      "Windows Server skills"),
    F(TEAM_CONTAINERS, "team", "containers", VM_T_ENUM, SKILL, R(0, 1, 2), 0, 0, VM_CAT_TEAM, true,
      "container skills (images, registries, runtimes)"),
    F(TEAM_KUBERNETES, "team", "kubernetes", VM_T_ENUM, SKILL, R(0, 1, 2), 0, 0, VM_CAT_TEAM, true,
      "Kubernetes operations skills"),
    F(TEAM_IAC, "team", "iac", VM_T_ENUM, V("none", "partial", "full"), R(0, 1, 2), 0, 0, VM_CAT_TEAM,
      true, "how much infrastructure is managed as code"),
    F(TEAM_CULTURE, "team", "culture", VM_T_ENUM, V("traditional", "transitioning", "devops"),
      R(0, 1, 2), 0, 0, VM_CAT_TEAM, true, "organisational culture"),

    F(STRATEGY_HOSTING, "strategy", "hosting", VM_T_ENUM,
      V("on-prem", "hybrid-cloud", "multi-cloud", "public-cloud"), NULL, 0, 0, VM_CAT_STRATEGY, true,
      "where the workload is meant to run"),
    F(STRATEGY_CLOUD_PROVIDER, "strategy", "cloud_provider", VM_T_ENUM,
      V("aws", "azure", "gcp", "other", "none"), NULL, 0, 0, VM_CAT_STRATEGY, true,
      "main public cloud provider"),
    F(STRATEGY_ECOSYSTEM, "strategy", "ecosystem", VM_T_ENUM,
      V("microsoft", "vmware", "open-source", "mixed"), NULL, 0, 0, VM_CAT_STRATEGY, true,
      "vendor ecosystem the organisation is built on"),
    F(STRATEGY_CURRENT_PLATFORM, "strategy", "current_platform", VM_T_ENUM,
      V("none", "vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "cloud-vm", "docker", "kubernetes"),
      NULL, 0,
      0, VM_CAT_STRATEGY, true, "platform in place today"),
    F(STRATEGY_EDGE, "strategy", "edge", VM_T_BOOL, NOV, NULL, 0, 0, VM_CAT_STRATEGY, true,
      "runs at edge sites (stores, factories, cell towers)"),
    F(STRATEGY_MODERNIZATION, "strategy", "modernization", VM_T_ENUM,
      V("retain", "rehost", "replatform", "refactor"), NULL, 0, 0, VM_CAT_STRATEGY, true,
      "modernisation path chosen for the application"),

    F(OPERATIONS_AVAILABILITY, "operations", "availability", VM_T_ENUM,
      V("standard", "high", "critical"), R(0, 1, 2), 0, 0, VM_CAT_OPERATIONS, true,
      "availability requirement"),
    F(OPERATIONS_LIVE_MIGRATION, "operations", "live_migration", VM_T_BOOL, NOV, NULL, 0, 0,
      VM_CAT_OPERATIONS, true, "running instances must move between hosts without a restart"),
    F(OPERATIONS_OBSERVABILITY, "operations", "observability", VM_T_ENUM,
      V("none", "agent-based", "cloud-native"), NULL, 0, 0, VM_CAT_OPERATIONS, true,
      "monitoring in place today"),
    F(OPERATIONS_INSTANCES, "operations", "instances", VM_T_INT, NOV, NULL, 1, 1000000,
      VM_CAT_OPERATIONS, true, "running instances at peak (1..1000000)"),
    F(OPERATIONS_FLEET, "operations", "fleet", VM_T_ENUM, V("replicas", "estate"), NULL, 0, 0,
      VM_CAT_OPERATIONS, true,
      "what the instances are: replicas of a few services, or an estate of many different "
      "applications (v1.1)"),

#define PRIO(ID, KEY) F(PRIORITIES_##ID, "priorities", KEY, VM_T_INT, NOV, NULL, 0, 5, -1, true, \
      "weight of the " KEY " rules, 0..5 (default 3; 0 switches them off for scoring)")
    PRIO(WORKLOAD, "workload"), PRIO(ISOLATION, "isolation"), PRIO(ECONOMICS, "economics"),
    PRIO(DELIVERY, "delivery"), PRIO(TEAM, "team"), PRIO(STRATEGY, "strategy"),
    PRIO(OPERATIONS, "operations"),
#undef PRIO

    F(DECISION_PARADIGM, "decision", "paradigm", VM_T_ENUM, V("vm", "container", "hybrid", "microvm"),
      NULL, 0, 0, -1, true, "paradigm the team proposes (read by vmctr check)"),
    F(DECISION_PLATFORM, "decision", "platform", VM_T_ENUM,
      V("vmware-esxi", "hyper-v", "kvm-ovirt", "proxmox-ve", "cloud-vm", "docker", "kubernetes",
        "kata-containers", "firecracker", "gvisor"),
      NULL, 0, 0, -1, true, "platform the team proposes (read by vmctr check)"),
};

_Static_assert(VM_FIELD_COUNT <= 64, "rule read sets are 64-bit masks");

#define NAME(s) ((s) + 0 * sizeof(char[sizeof(s) - 1 <= VM_NAME_MAX ? 1 : -1]))
static const char *const categories[] = {
    NAME("workload"), NAME("isolation"), NAME("economics"), NAME("delivery"), NAME("team"),
    NAME("strategy"), NAME("operations"),
};
#undef NAME
_Static_assert(sizeof categories / sizeof categories[0] == VM_CAT_COUNT, "a name per category");

const char *const vm_spec_sections[] = {
    "workload", "isolation", "economics", "delivery", "team", "strategy", "operations",
    "priorities", "decision", "components",
};
const size_t vm_spec_section_count = sizeof vm_spec_sections / sizeof vm_spec_sections[0];

/* first field of each spec section, in vm_spec_sections order; the table
 * above keeps a section's fields together (checked by unit-util) */
static const int section_first[] = {
    VM_F_WORKLOAD_ARCHITECTURE, VM_F_ISOLATION_MULTI_TENANT, VM_F_ECONOMICS_BUDGET,
    VM_F_DELIVERY_RELEASE_FREQUENCY, VM_F_TEAM_LINUX, VM_F_STRATEGY_HOSTING,
    VM_F_OPERATIONS_AVAILABILITY, VM_F_PRIORITIES_WORKLOAD, VM_F_DECISION_PARADIGM, VM_FIELD_COUNT,
};

void vm_section_fields(int sec, int *first, int *count)
{
    if (sec < 0 || sec >= (int)(sizeof section_first / sizeof *section_first) - 1) {
        *first = *count = 0;
        return;
    }
    *first = section_first[sec];
    *count = section_first[sec + 1] - section_first[sec];
}

const vm_field_def *vm_field(vm_field_id id)
{
    if ((int)id < 0 || id >= VM_FIELD_COUNT)
        return NULL;
    return &fields[id];
}

int vm_field_find(const char *path, size_t len)
{
    bool spec = len > 5 && memcmp(path, "spec.", 5) == 0;
    if (spec) {
        path += 5;
        len -= 5;
    }
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = &fields[i];
        if (spec && f->path[0] != 's')
            continue; /* metadata.* is not under spec */
        size_t sl = strlen(f->section), kl = strlen(f->key);
        if (len == sl + 1 + kl && memcmp(path, f->section, sl) == 0 && path[sl] == '.' &&
            memcmp(path + sl + 1, f->key, kl) == 0)
            return i;
    }
    return -1;
}

/* Runs for every enum value the loader reads: the first byte turns away
 * nearly every other candidate, so strlen and the compare run about once. */
int vm_field_enum_index(const vm_field_def *f, const char *text, size_t len)
{
    if (len == 0)
        return -1; /* no value is empty */
    for (int i = 0; i < f->nvalues; i++) {
        const char *v = f->values[i];
        if (v[0] == text[0] && strlen(v) == len && vm_bytes_eq(v, text, len))
            return i;
    }
    return -1;
}

const char *vm_category_name(int cat)
{
    return cat >= 0 && cat < VM_CAT_COUNT ? categories[cat] : "?";
}

int vm_category_find(const char *name, size_t len)
{
    for (int i = 0; i < VM_CAT_COUNT; i++)
        if (strlen(categories[i]) == len && memcmp(categories[i], name, len) == 0)
            return i;
    return -1;
}
