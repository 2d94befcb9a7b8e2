/*
 * vmctr/gate.h - the CI gate's decision, shared by `vmctr check`, waivers
 * and every output format.
 *
 * vm_gate_judge compares what a profile proposes in spec.decision (and what
 * each of its components proposes) with what vmctr recommends, and returns
 * one vm_gate_result per checked subject: the profile itself, or each
 * component when the profile has components and some of them propose
 * something. The policy (docs/ci.md) turns what was found (vm_gate_kind)
 * into an outcome: a match passes; a proposal a blocker excludes fails; a
 * different recommendation fails at or above min_confidence and warns below
 * it (always warns with fail_on blocker); no decision is a note (a failure
 * with require_decision); with fail_on warning every warning fails.
 *
 * Strings and rule lists in a result are borrowed from the report, the
 * profile, the rule set or the arena passed in.
 */
#ifndef VMCTR_GATE_H
#define VMCTR_GATE_H

#include "report.h"

/* What was found. */
typedef enum { VM_GATE_MATCH, VM_GATE_MISMATCH, VM_GATE_BLOCKER, VM_GATE_NO_DECISION } vm_gate_kind;
/* What the gate decided, after the policy. VM_GATE_ERROR is an invalid
 * document (never returned by vm_gate_judge); VM_GATE_WAIVED a failure or
 * warning that a waiver accepts (see waiver.h). */
typedef enum {
    VM_GATE_PASS, VM_GATE_NOTE, VM_GATE_WARN, VM_GATE_FAIL, VM_GATE_ERROR, VM_GATE_WAIVED
} vm_gate_outcome;
typedef enum { VM_FAIL_ON_BLOCKER, VM_FAIL_ON_MISMATCH, VM_FAIL_ON_WARNING } vm_fail_on;

typedef struct {
    vm_fail_on fail_on;
    double min_confidence;   /* 0..1 */
    bool require_decision;
} vm_gate_policy;

#define VM_GATE_POLICY_INIT {VM_FAIL_ON_MISMATCH, 0.6, false}

/* A fired rule that excludes something a subject proposes. */
typedef struct {
    const vm_rule *rule;
    int target;                /* what of the proposal it excludes (as vm_gate_result.blocked) */
} vm_gate_blocker;

typedef struct {
    const char *component;     /* NULL for the profile itself */
    uint32_t line, col;        /* where the result points (docs/ci.md) */
    int pp, pq;                /* proposed paradigm / platform, -1 when absent */
    int rp, rq, rcq;           /* recommended paradigm, platform, hybrid's container platform */
    int rxq;                   /* a system's micro-VM platform beside its VMs, else -1 */
    uint16_t platform_tied;    /* bit per platform tied with a recommended one (the fixed
                                * order chose among them: proposing any of them matches) */
    double conf;
    vm_gate_kind kind;
    vm_gate_outcome outcome;
    int blocked;               /* blocker: the excluded target the team proposed, else -1 */
    const vm_rule *rule;       /* blocker: the first excluding rule (blockers[0]); else the top reason; may be NULL */
    /* blocker: every fired rule that excludes what the subject proposes,
     * each once: those that exclude `blocked` first, then those that
     * exclude the proposed platform too when a blocker excludes it, each
     * group in rule-set order (a system's: component by component), so
     * blockers[0] is {rule, blocked}. Allocated from the arena given to
     * vm_gate_judge; a waiver must cover each of them (waiver.h). NULL and
     * 0 for other kinds, and when out of memory. */
    const vm_gate_blocker *blockers;
    uint32_t nblockers;
    const char *reason;        /* one line: why vmctr recommends what it does; "" if none */
} vm_gate_result;

/* The most results vm_gate_judge writes for one profile. */
#define VM_GATE_MAX_RESULTS (VM_LIMIT_COMPONENTS + 1u)

/* Judges the profile `p` whose report is `rep` (built from p by
 * vm_report_build) under `pol`. Writes the results, profile first then
 * components in document order, to out[0..VM_GATE_MAX_RESULTS) and returns
 * how many (at least 1). Allocates a system's reason text and a blocker's
 * list of blocking rules from `a`; on out of memory that reason is "" or
 * that list is empty (nblockers 0, rule still the first blocking rule) and
 * *oom (oom may be NULL) is set to true, else *oom is left as it was. */
size_t vm_gate_judge(const vm_report *rep, const vm_profile *p, const vm_gate_policy *pol, vm_arena *a,
                     vm_gate_result *out, bool *oom);

/* The policy alone: the outcome of a finding of `kind` at confidence
 * `conf` under pol (not NULL). Pure. */
vm_gate_outcome vm_gate_outcome_of(vm_gate_kind kind, double conf, const vm_gate_policy *pol);

/* "pass", "note", "warning", "fail", "error", "waived" (static); "?" out
 * of range. */
const char *vm_gate_outcome_name(vm_gate_outcome o);
/* "match", "mismatch", "blocker", "no-decision" (static); "?" out of
 * range. */
const char *vm_gate_kind_name(vm_gate_kind k);

#endif
