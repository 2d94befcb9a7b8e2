/*
 * vmctr/field.h - the profile field table.
 *
 * One table (src/lib/field.c) describes every field of a profile: its path,
 * type, allowed values and their order, bounds and help text. The loader,
 * `vmctr validate`, `vmctr schema`, the rule checker, the questionnaire and
 * docs/profile.md are all driven by it, so they cannot drift apart.
 */
#ifndef VMCTR_FIELD_H
#define VMCTR_FIELD_H

#include "common.h"

typedef enum {
    VM_T_BOOL,       /* true / false */
    VM_T_INT,        /* decimal integer within [min, max] */
    VM_T_ENUM,       /* one of values[] */
    VM_T_ENUM_LIST,  /* list of values[] (a bit set) */
    VM_T_STR_LIST,   /* list of free strings */
    VM_T_STR,        /* free string */
    VM_T_NAME,       /* DNS label: [a-z0-9-], 1..63, no leading/trailing '-' */
    VM_T_STR_MAP     /* map of string -> string */
} vm_type;

/* The field ids, in table order. X(ID, section, key) */
#define VM_FIELD_LIST(X) \
    X(META_NAME, "metadata", "name") \
    X(META_OWNER, "metadata", "owner") \
    X(META_DESCRIPTION, "metadata", "description") \
    X(META_LABELS, "metadata", "labels") \
    X(WORKLOAD_ARCHITECTURE, "workload", "architecture") \
    X(WORKLOAD_LIFECYCLE, "workload", "lifecycle") \
    X(WORKLOAD_OS, "workload", "os") \
    X(WORKLOAD_CUSTOM_KERNEL, "workload", "custom_kernel") \
    X(WORKLOAD_GUI, "workload", "gui") \
    X(WORKLOAD_HARDWARE_ACCESS, "workload", "hardware_access") \
    X(WORKLOAD_STATEFUL, "workload", "stateful") \
    X(WORKLOAD_PACKAGING, "workload", "packaging") \
    X(WORKLOAD_TWELVE_FACTOR, "workload", "twelve_factor") \
    X(ISOLATION_MULTI_TENANT, "isolation", "multi_tenant") \
    X(ISOLATION_UNTRUSTED_CODE, "isolation", "untrusted_code") \
    X(ISOLATION_SEGREGATION, "isolation", "segregation") \
    X(ISOLATION_COMPLIANCE, "isolation", "compliance") \
    X(ISOLATION_GUEST_KERNEL, "isolation", "guest_kernel") \
    X(ECONOMICS_BUDGET, "economics", "budget") \
    X(ECONOMICS_VENDOR_SUPPORT, "economics", "vendor_support") \
    X(ECONOMICS_LOCK_IN_TOLERANCE, "economics", "lock_in_tolerance") \
    X(ECONOMICS_LICENSES, "economics", "licenses") \
    X(DELIVERY_RELEASE_FREQUENCY, "delivery", "release_frequency") \
    X(DELIVERY_SCALING, "delivery", "scaling") \
    X(DELIVERY_DOWNTIME_TOLERANCE, "delivery", "downtime_tolerance") \
    X(DELIVERY_CI_CD, "delivery", "ci_cd") \
    X(TEAM_LINUX, "team", "linux") \
    X(TEAM_WINDOWS, "team", "windows") \
    X(TEAM_CONTAINERS, "team", "containers") \
    X(TEAM_KUBERNETES, "team", "kubernetes") \
    X(TEAM_IAC, "team", "iac") \
    X(TEAM_CULTURE, "team", "culture") \
    X(STRATEGY_HOSTING, "strategy", "hosting") \
    X(STRATEGY_CLOUD_PROVIDER, "strategy", "cloud_provider") \
    X(STRATEGY_ECOSYSTEM, "strategy", "ecosystem") \
    X(STRATEGY_CURRENT_PLATFORM, "strategy", "current_platform") \
    X(STRATEGY_EDGE, "strategy", "edge") \
    X(STRATEGY_MODERNIZATION, "strategy", "modernization") \
    X(OPERATIONS_AVAILABILITY, "operations", "availability") \
    X(OPERATIONS_LIVE_MIGRATION, "operations", "live_migration") \
    X(OPERATIONS_OBSERVABILITY, "operations", "observability") \
    X(OPERATIONS_INSTANCES, "operations", "instances") \
    X(OPERATIONS_FLEET, "operations", "fleet") \
    X(PRIORITIES_WORKLOAD, "priorities", "workload") \
    X(PRIORITIES_ISOLATION, "priorities", "isolation") \
    X(PRIORITIES_ECONOMICS, "priorities", "economics") \
    X(PRIORITIES_DELIVERY, "priorities", "delivery") \
    X(PRIORITIES_TEAM, "priorities", "team") \
    X(PRIORITIES_STRATEGY, "priorities", "strategy") \
    X(PRIORITIES_OPERATIONS, "priorities", "operations") \
    X(DECISION_PARADIGM, "decision", "paradigm") \
    X(DECISION_PLATFORM, "decision", "platform")

typedef enum {
#define VM_X_(id, s, k) VM_F_##id,
    VM_FIELD_LIST(VM_X_)
#undef VM_X_
    VM_FIELD_COUNT
} vm_field_id;

/* The seven rule categories, which are also the spec sections that rules
 * may read, in spec order. */
#define VM_CATEGORY_LIST(X)                                                                        \
    X(WORKLOAD, "workload") X(ISOLATION, "isolation") X(ECONOMICS, "economics")                    \
    X(DELIVERY, "delivery") X(TEAM, "team") X(STRATEGY, "strategy") X(OPERATIONS, "operations")

typedef enum {
#define VM_X_(id, s) VM_CAT_##id,
    VM_CATEGORY_LIST(VM_X_)
#undef VM_X_
    VM_CAT_COUNT
} vm_category;

typedef struct {
    vm_field_id id;
    const char *section;     /* "workload", ..., "metadata" */
    const char *key;         /* "architecture" */
    const char *path;        /* document path: "spec.workload.architecture" */
    uint8_t path_len;        /* strlen(path), for writers on the hot path */
    vm_type type;
    const char *const *values; /* enum values in the spec's order */
    uint8_t nvalues;
    const uint8_t *rank;     /* ordered enums: rank[i] is the order of values[i]; NULL if unordered */
    int64_t min, max;        /* VM_T_INT bounds */
    int category;            /* vm_category, or -1 for metadata/priorities/decision */
    bool in_component;       /* may appear in a components[] item */
    const char *help;        /* one line for --help, schema and docs */
} vm_field_def;

/* The field's definition (static, never freed); NULL for an id out of range. */
const vm_field_def *vm_field(vm_field_id id);

/* Looks up a field by the len bytes at path (need not be NUL-terminated).
 * Accepts "workload.os", "spec.workload.os" and "metadata.name". Returns
 * the vm_field_id, or -1 when no field has that path. */
int vm_field_find(const char *path, size_t len);

/* What choice i of an enum, list-of-enums or bool field means, in one short
 * line (bools: 0 is true, 1 is false), for the questionnaire's `?`. A
 * static string; NULL when the field has no such choice or f is NULL. */
const char *vm_field_value_help(const vm_field_def *f, int i);
/* The number of vm_field_value_help lines of f (its choices); 0 for other
 * types and for a NULL f. */
unsigned vm_field_value_help_count(const vm_field_def *f);

/* Index of the len bytes at text among f's enum values (f not NULL), or
 * -1 (also for an empty text and a field without values). */
int vm_field_enum_index(const vm_field_def *f, const char *text, size_t len);

/* Name of a category ("workload"), a static string; "?" out of range. */
const char *vm_category_name(int cat);
/* The vm_category named by the len bytes at name; -1 when unknown. */
int vm_category_find(const char *name, size_t len);

/* Section names accepted under spec (the categories, priorities, decision,
 * components) in document order. */
extern const char *const vm_spec_sections[];
extern const size_t vm_spec_section_count;

/* The fields of spec section `sec` (index into vm_spec_sections) are ids
 * *first .. *first + *count - 1; both 0 for components or a sec out of
 * range. first and count not NULL. */
void vm_section_fields(int sec, int *first, int *count);

#endif
