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

/* ---- what each choice means (vmctr init's `?`) ---------------------------
 *
 * One short line per choice of every enum, list-of-enums and bool field, in
 * values[] order (bools: true, then false), paraphrasing the source article
 * (§13-§15) and docs/profile.md. unit-util checks that every field with
 * choices has exactly one line per choice. */
#define D(...) \
    {(const char *const[]){__VA_ARGS__}, (uint8_t)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))}
#define D_SKILL(WHAT) D("no one on the team has " WHAT " skills", \
                        "the team can run and fix " WHAT " by following known procedures", \
                        "the team designs, automates and troubleshoots " WHAT " on its own")

typedef struct {
    const char *const *s;
    uint8_t n;
} value_help;

static const value_help value_helps[VM_FIELD_COUNT] = {
    [VM_F_WORKLOAD_ARCHITECTURE] = D("one deployable unit, scaled and upgraded as a whole",
                                     "one deployable unit split into clear internal modules",
                                     "many small services, each deployed and scaled on its own",
                                     "services that react to events or messages on a queue or stream",
                                     "jobs that start, process a batch of work and end",
                                     "short functions run on demand (Function-as-a-Service)"),
    [VM_F_WORKLOAD_LIFECYCLE] = D("inherited software, changed rarely and with care",
                                  "in service and still developed, but not new",
                                  "a new project, free to choose its architecture"),
    [VM_F_WORKLOAD_OS] = D("runs on Linux", "runs on Windows (Windows Server)",
                           "parts run on Linux and parts on Windows",
                           "neither: a BSD, Solaris, AIX or another Unix"),
    [VM_F_WORKLOAD_CUSTOM_KERNEL] = D("needs its own kernel, kernel modules or a kernel version unlike the host's",
                                      "runs on whatever kernel the host has"),
    [VM_F_WORKLOAD_GUI] = D("users need an interactive desktop session",
                            "no desktop: a service, a job or a web front end"),
    [VM_F_WORKLOAD_HARDWARE_ACCESS] = D("ordinary CPU, memory, disk and network only",
                                        "needs GPUs (machine learning, rendering)",
                                        "needs a device handed through: PCI cards, USB dongles, capture cards"),
    [VM_F_WORKLOAD_STATEFUL] = D("keeps durable data on its local disk",
                                 "keeps no durable local state (data lives in a database or service)"),
    [VM_F_WORKLOAD_PACKAGING] = D("an installer run by hand: MSI, setup.exe or manual steps",
                                  "an operating system package: deb or rpm",
                                  "a binary or archive copied into place",
                                  "a container image pushed to a registry"),
    [VM_F_WORKLOAD_TWELVE_FACTOR] = D("logs to stdout, reads config from the environment, processes are disposable",
                                      "expects log files, config files or long-lived processes"),
    [VM_F_ISOLATION_MULTI_TENANT] = D("serves tenants who must not trust each other, on shared infrastructure",
                                      "serves one organisation, or each tenant has its own infrastructure"),
    [VM_F_ISOLATION_UNTRUSTED_CODE] = D("runs code written by customers, tenants or the public",
                                        "runs only code your own organisation wrote or vetted"),
    [VM_F_ISOLATION_SEGREGATION] = D("ordinary separation: well-configured containers are enough",
                                     "workloads must be kept well apart (sensitive data, other teams)",
                                     "the strongest separation, as between hostile tenants: hardware-level"),
    [VM_F_ISOLATION_GUEST_KERNEL] = D("sandboxed code needs a real Linux kernel (nested containers, mounts, all "
                                      "syscalls)",
                                      "sandboxed code gets by with a partial or emulated kernel interface"),
    [VM_F_ECONOMICS_BUDGET] = D("little money: open-source platforms and few licences",
                                "licences and support are affordable when they pay off",
                                "cost is not what decides"),
    [VM_F_ECONOMICS_VENDOR_SUPPORT] = D("a commercial support contract is mandatory",
                                        "a support contract is welcome but not mandatory",
                                        "community support is enough"),
    [VM_F_ECONOMICS_LOCK_IN_TOLERANCE] = D("depending on one vendor is to be avoided",
                                           "some dependence on one vendor is acceptable",
                                           "depending on one vendor is fine"),
    [VM_F_ECONOMICS_LICENSES] = D("Windows Server Datacenter (unlimited Windows guests per host)",
                                  "VMware vSphere licences",
                                  "Red Hat subscriptions (RHEL, OpenShift, virtualisation)",
                                  "SUSE subscriptions (SLES, Rancher, Harvester)"),
    [VM_F_DELIVERY_RELEASE_FREQUENCY] = D("whenever a change is ready, several times a day",
                                          "about once a day", "about once a week", "about once a month",
                                          "a few times a year", "once a year or less"),
    [VM_F_DELIVERY_SCALING] = D("fixed capacity, sized once",
                                "capacity changes on a known schedule (month end, office hours)",
                                "capacity follows load automatically, up and down"),
    [VM_F_DELIVERY_DOWNTIME_TOLERANCE] = D("updates must not interrupt service (rolling updates)",
                                           "a few minutes of planned downtime per update",
                                           "a maintenance window of hours is acceptable"),
    [VM_F_DELIVERY_CI_CD] = D("builds and deployments are done by hand",
                              "automated build and test; deployment partly by hand or script",
                              "full pipeline: build, test, publish and deploy automatically"),
    [VM_F_TEAM_LINUX] = D_SKILL("Linux"),
    [VM_F_TEAM_WINDOWS] = D_SKILL("Windows Server"),
    [VM_F_TEAM_CONTAINERS] = D_SKILL("container (images, registries, runtimes)"),
    [VM_F_TEAM_KUBERNETES] = D_SKILL("Kubernetes"),
    [VM_F_TEAM_IAC] = D("infrastructure is set up by hand",
                        "some infrastructure is code (Terraform, Ansible), some by hand",
                        "all infrastructure is versioned code applied by automation"),
    [VM_F_TEAM_CULTURE] = D("separate development and operations teams, manual provisioning",
                            "moving toward DevOps: some shared ownership and automation",
                            "development and operations work as one, automating routine work"),
    [VM_F_STRATEGY_HOSTING] = D("your own data centres", "your data centres plus one public cloud",
                                "several public clouds", "one public cloud only"),
    [VM_F_STRATEGY_CLOUD_PROVIDER] = D("Amazon Web Services", "Microsoft Azure", "Google Cloud",
                                       "another public cloud", "no public cloud"),
    [VM_F_STRATEGY_ECOSYSTEM] = D("built on Microsoft: Windows Server, Active Directory, Azure, System Center",
                                  "built on VMware: vSphere, vCenter, NSX, vSAN",
                                  "built on open source: Linux, KVM, Proxmox, Kubernetes",
                                  "no single vendor dominates"),
    [VM_F_STRATEGY_CURRENT_PLATFORM] = D("nothing yet: a new start", "VMware vSphere / ESXi",
                                         "Microsoft Hyper-V", "KVM, managed with oVirt or similar",
                                         "Proxmox VE", "virtual machines rented from a public cloud",
                                         "Docker hosts without an orchestrator", "Kubernetes clusters"),
    [VM_F_STRATEGY_EDGE] = D("runs at edge sites: stores, factories, cell towers",
                             "runs in data centres or the cloud"),
    [VM_F_STRATEGY_MODERNIZATION] = D("keep it as it is, where it is",
                                      "move it unchanged to new infrastructure (lift and shift)",
                                      "move it with small changes, such as a managed database or a container image",
                                      "rewrite or restructure it, for example into services"),
    [VM_F_OPERATIONS_AVAILABILITY] = D("ordinary: an outage of a few hours is survivable",
                                       "outages hurt: failover and redundancy are expected",
                                       "business-critical: must keep running through host failures"),
    [VM_F_OPERATIONS_LIVE_MIGRATION] = D("running instances must move between hosts without a restart (vMotion)",
                                         "instances may be restarted elsewhere"),
    [VM_F_OPERATIONS_OBSERVABILITY] = D("little or no monitoring today",
                                        "monitoring agents on each machine (Zabbix, Nagios, SCOM)",
                                        "metrics, logs and traces collected centrally (Prometheus, ELK, Jaeger)"),
    [VM_F_OPERATIONS_FLEET] = D("the instances are copies of a few services",
                                "the instances are many different applications"),
    [VM_F_DECISION_PARADIGM] = D("virtual machines", "containers", "VMs and containers side by side",
                                 "micro-VMs: VM isolation with container lightness"),
    [VM_F_DECISION_PLATFORM] = D("VMware vSphere / ESXi", "Microsoft Hyper-V", "KVM managed with oVirt",
                                 "Proxmox VE: KVM and LXC behind a web interface",
                                 "virtual machines in a public cloud", "Docker hosts without an orchestrator",
                                 "Kubernetes", "Kata Containers: each pod in a lightweight VM",
                                 "Firecracker: minimal micro-VMs that start in milliseconds",
                                 "gVisor: containers behind a kernel implemented in user space"),
};
#undef D_SKILL
#undef D

const char *vm_field_value_help(const vm_field_def *f, int i)
{
    if (!f || (int)f->id < 0 || f->id >= VM_FIELD_COUNT)
        return NULL;
    const value_help *h = &value_helps[f->id];
    return i >= 0 && i < h->n ? h->s[i] : NULL;
}

unsigned vm_field_value_help_count(const vm_field_def *f)
{
    return f && (int)f->id >= 0 && f->id < VM_FIELD_COUNT ? value_helps[f->id].n : 0;
}

#define NAME(s) ((s) + 0 * sizeof(char[sizeof(s) - 1 <= VM_NAME_MAX ? 1 : -1]))
static const char *const categories[] = {
#define VM_X_(id, s) NAME(s),
    VM_CATEGORY_LIST(VM_X_)
#undef VM_X_
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
    /* compared in one pass, without a strlen per value: the loader looks
     * up every enum scalar of every profile here. The first byte turns
     * away nearly every other value; v is read only up to its terminator
     * (v[k] is tested before text's byte is). */
    for (int i = 0; i < f->nvalues; i++) {
        const char *v = f->values[i];
        if (v[0] != text[0])
            continue;
        size_t k = 1;
        while (k < len && v[k] && v[k] == text[k])
            k++;
        if (k == len && v[k] == '\0')
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
    return vm_scalar_index(name, len, categories, VM_CAT_COUNT);
}
