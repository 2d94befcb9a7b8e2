/*
 * vmctr/rules.h - rule sets: loading, checking and compiling rule files.
 *
 * Rule files (format: docs/rules.md) are parsed with the same YAML reader as
 * profiles, checked against the field table (unknown fields and values are
 * errors with file:line:col and "did you mean") and compiled once into a
 * flat form: each condition becomes a small array of nodes evaluated without
 * allocation. A later rule with the id of an earlier one replaces it (this
 * is how `--rules DIR` overrides built-in rules).
 */
#ifndef VMCTR_RULES_H
#define VMCTR_RULES_H

#include "common.h"
#include "diag.h"
#include "field.h"
#include "target.h"

typedef enum {
    VM_OP_EQ, VM_OP_NE, VM_OP_IN, VM_OP_NOT_IN, VM_OP_GT, VM_OP_GTE,
    VM_OP_LT, VM_OP_LTE, VM_OP_CONTAINS, VM_OP_KNOWN, VM_OP_UNKNOWN,
    VM_OP_ALL, VM_OP_ANY, VM_OP_NOT, VM_OP_TRUE
} vm_op;

/* A compiled condition node. Composite nodes (ALL/ANY/NOT) are followed by
 * their children; `skip` is the number of nodes in this subtree. */
typedef struct {
    uint8_t op;          /* vm_op */
    uint8_t nkids;       /* ALL/ANY/NOT: direct children */
    uint16_t skip;       /* nodes in this subtree, itself included */
    int16_t field;       /* leaf: vm_field_id */
    int64_t num;         /* EQ/NE/GT..: enum index, bool, int; ordered enums use the rank */
    uint32_t mask;       /* IN/NOT_IN: bit per enum index; CONTAINS on enum lists */
    const char *str;     /* CONTAINS on string lists */
} vm_cond;

typedef struct {
    const char *topic;   /* pipeline, iac, observability, hybrid-cloud, platform */
    const char *text;
} vm_suggestion;

typedef struct {
    /* what evaluation reads for every fired or varied rule, first and side
     * by side (64 bytes): one or two cache lines a rule, not three */
    float scores[VM_TARGET_COUNT];
    int category;                       /* vm_category */
    uint16_t excludes;                  /* bit per vm_target */
    uint16_t applies_to;                /* bit per vm_target; 0 = always */
    uint16_t id_rank;                   /* position in id order (set by vm_ruleset_finish) */
    uint16_t id_len;                    /* strlen(id) (set by vm_ruleset_finish) */
    bool scores_any;                    /* some score is not 0 (set by vm_ruleset_finish) */
    bool scores_paradigm;               /* some paradigm's score is not 0 (likewise) */
    const char *id, *title, *reference, *rationale;
    const char *file;                   /* where it was defined */
    uint32_t line, col;
    bool builtin;
    const vm_cond *cond; uint16_t ncond;
    const vm_suggestion *suggests; uint16_t nsuggests;
    const char *const *risks; uint16_t nrisks;
    uint64_t reads;                     /* bit per vm_field_id the condition reads */
    uint64_t tests_unknown;             /* bit per field a condition tests as unknown (likewise) */
} vm_rule;

typedef struct vm_ruleset vm_ruleset;

/* An empty rule set owned by the caller (vm_ruleset_free); everything its
 * rules point to lives in it. NULL when out of memory. */
vm_ruleset *vm_ruleset_new(void);
/* Frees the set, its rules and every string they point to (engines and
 * reports built on it must be gone). NULL is a no-op. */
void vm_ruleset_free(vm_ruleset *rs);

/* Parses one rule file and adds (or replaces by id) its rules; `file` and
 * the len bytes of data are copied into the set. Only before
 * vm_ruleset_finish. Returns VM_OK; VM_ERULES with positioned errors in d
 * (the file's valid rules are still added); VM_EIO when out of memory
 * ("out of memory" in d; some of the file's rules may be added). */
vm_status vm_ruleset_add(vm_ruleset *rs, const char *file, const char *data,
                         size_t len, bool builtin, vm_diags *d);

/* Adds vmctr's built-in catalogue (the rule files of rules/, compiled into
 * the library at build time, so no YAML is parsed) to an empty rule set, as
 * builtin rules; their strings are static. Returns VM_OK, VM_ERULES when rs
 * is not empty or finished, VM_EIO when out of memory (rs unchanged on
 * failure; the reason in d). */
vm_status vm_ruleset_add_builtin(vm_ruleset *rs, vm_diags *d);

/* Finishes the set: builds the field -> rules index, the id order and the
 * digest. Call it after the last vm_ruleset_add; the set is then read-only
 * and may be shared between threads; a second call does nothing. Returns
 * VM_OK, or VM_EIO when out of memory ("out of memory" in d; the set is then
 * unusable). */
vm_status vm_ruleset_finish(vm_ruleset *rs, vm_diags *d);

/* Lint checks beyond loading (conditions that can never hold, rules with
 * no effect, ...): appends warnings to d, never errors. Allocates nothing. */
void vm_ruleset_lint(const vm_ruleset *rs, vm_diags *d);

/* The isolation invariant of the profile contract (rules_invariant.c): a
 * warning in d for each case (untrusted code; multi-tenant with high
 * segregation; strict segregation) whose surely-firing rules do not exclude
 * `container` and `hybrid`, or let a Linux-only micro-VM run a non-Linux
 * OS. Part of vm_ruleset_lint. */
void vm_ruleset_check_isolation(const vm_ruleset *rs, vm_diags *d);

/* The number of rules in the set. */
size_t vm_ruleset_count(const vm_ruleset *rs);
/* Rule i, borrowed from the set (valid while it lives and no rule is
 * added); NULL past the end. */
const vm_rule *vm_ruleset_rule(const vm_ruleset *rs, size_t i);
/* The rule with this id (borrowed, as vm_ruleset_rule); NULL if none. */
const vm_rule *vm_ruleset_find(const vm_ruleset *rs, const char *id);
/* The rule id closest to `id` for a did-you-mean ("delivery.frequent-releases"
 * for "delivery.frequent-release", or for the bare slug "frequent-release"),
 * or NULL when none is close or out of memory. The id belongs to rs. */
const char *vm_ruleset_suggest(const vm_ruleset *rs, const char *id);
/* "sha256:<hex>" over every rule file added, in load order (its name, a NUL
 * and its bytes): the same files in the same order give the same digest.
 * Borrowed from the set; "" before vm_ruleset_finish. */
const char *vm_ruleset_digest(const vm_ruleset *rs);
/* Rules whose condition reads `field`: *n indices into the set, borrowed
 * from it. Before vm_ruleset_finish, or for a field out of range: NULL and
 * *n = 0. n not NULL. */
const uint16_t *vm_ruleset_readers(const vm_ruleset *rs, int field, size_t *n);

/* For a leaf eq, ne, in, not_in, gt, gte, lt or lte on a bool or an enum of
 * at most 32 values: true with *out = the values for which it holds, bit i
 * for value index i (ordered operators compare ranks). False, *out
 * untouched, for any other node. */
bool vm_cond_values(const vm_cond *c, uint32_t *out);

#endif
