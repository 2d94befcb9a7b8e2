/*
 * vmctr/ruletest.h - tests for rule files (`vmctr rules test`, docs/rules.md).
 *
 * A test file (`*.test.yaml`) is one document, `apiVersion: vmctr/v1`,
 * `kind: RuleTest`, with a list `tests`. Each case has a `name`, a profile
 * (`profile:` the fields of `spec` as a mapping, or `file:` a
 * WorkloadProfile file relative to the test file's directory and inside it:
 * an absolute path or a `..` component is an error) and `expect`:
 *
 *     expect:
 *       fires: [workload.custom-kernel]        # each of these rules fires
 *       not_fires: [workload.microservices]    # none of these fires
 *       blockers: [workload.custom-kernel]     # these fire and exclude something
 *       excludes: [container, docker]          # these targets are excluded
 *       paradigm: vm                           # the recommended paradigm
 *       platform: kvm-ovirt                    # the recommended platform
 *       contribution:                          # a rule's effect on the margin
 *         - {rule: workload.custom-kernel, min: 0.5, max: 10}
 *
 * Rule ids are checked against the rule set in effect (did-you-mean).
 * For a profile with components, a rule fires or a target is excluded when
 * it does so for any component, and paradigm/platform are the system's.
 */
#ifndef VMCTR_RULETEST_H
#define VMCTR_RULETEST_H

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "report.h"

#define VM_LIMIT_RULE_TESTS 4096u        /* cases in one test file */

typedef struct {
    const char *rule;
    bool has_min, has_max;
    double min, max;
} vm_rt_contribution;

typedef struct {
    const char *name;
    uint32_t line, col;              /* the case's list entry */
    /* the profile: a synthetic WorkloadProfile document (profile:) whose
     * lines map to the test file's from `first_line`, or a file path */
    const char *doc;
    size_t doc_len;
    uint32_t first_line;
    const char *file;                /* as written, relative to the test file; NULL for profile: */
    uint32_t file_line, file_col;    /* where `file:`'s value is written */
    const char *const *fires, *const *not_fires, *const *blockers;
    uint32_t nfires, nnot_fires, nblockers;
    uint16_t excludes;               /* bit per vm_target */
    int paradigm, platform;          /* -1: not asserted */
    const vm_rt_contribution *contribution;
    uint32_t ncontribution;
} vm_ruletest;

typedef struct {
    const char *file;
    const vm_ruletest *items;
    uint32_t n;
} vm_ruletests;

/* Parses a test file's bytes into *out: the cases, their strings, `file`
 * and a copy of data are allocated from a; rule ids are checked against rs.
 * Returns VM_OK; VM_ERULES with positioned errors in d; VM_EIO when out of
 * memory ("out of memory" in d). On failure out->n is 0. */
vm_status vm_ruletests_parse(vm_arena *a, const char *file, const char *data, size_t len, const vm_ruleset *rs,
                             vm_ruletests *out, vm_diags *d);

/* Checks the expectations of t against the report of its profile. Appends
 * one line per unmet expectation to msg ("expected X to fire", ...; out of
 * memory sets msg->oom) and returns how many were unmet (0: the case
 * passes). Marks every rule that fired in fired[] (one flag per rule of the
 * set; fired may be NULL) for coverage. */
uint32_t vm_ruletest_check(const vm_ruletest *t, const vm_report *rep, vm_buf *msg, bool *fired);

#endif
