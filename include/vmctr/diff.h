/*
 * vmctr/diff.h - what changed between two reports (`vmctr diff`): the
 * recommendation, the profile fields, the fired rules and the components.
 * The model only; the CLI renders it as text or JSON.
 */
#ifndef VMCTR_DIFF_H
#define VMCTR_DIFF_H

#include "arena.h"
#include "common.h"
#include "profile.h"
#include "report.h"
#include "rules.h"

/* How a fired rule differs between A and B. */
typedef enum {
    VM_DIFF_ADDED = '+',     /* fired in B only */
    VM_DIFF_REMOVED = '-',   /* fired in A only */
    VM_DIFF_CHANGED = '~',   /* fired in both, weighted differently (priorities) */
} vm_diff_kind;

typedef struct {
    uint16_t rule;           /* index in the rule set */
    char kind;               /* a vm_diff_kind */
} vm_diff_rule;

/* A component of A or B, paired by name. */
typedef struct {
    const vm_component_report *a, *b; /* NULL: absent on that side */
    uint64_t fields;         /* both present: bit f set when the component's
                              * own view of field f (merged over its parent)
                              * differs */
    bool changed;            /* both present: paradigm, platform, container
                              * platform, confidence (to 0.005) or a field
                              * differs */
} vm_diff_component;

typedef struct {
    bool rec_changed;        /* paradigm or a platform: platform, container
                              * platform or a system's micro-VM platform */
    int extra_a, extra_b;    /* a system's micro-VM platform beside its VMs
                              * (recommendation.platforms.microvm of a
                              * VM + micro-VM system), else -1 */
    int fields[VM_FIELD_COUNT]; /* profile fields that differ, in field order */
    size_t nfields;
    vm_diff_rule *rules;     /* in rule-set order */
    size_t nrules, nadded, nremoved, nchanged;
    vm_diff_component *components; /* A's in A's order, then those only in B */
    size_t ncomponents;
} vm_diff;

/* Compares the reports ra and rb (built with the rule set rs, their
 * profiles in ->profile) into *out. Arrays are allocated in `a`; they and
 * the component pointers into the reports live as long as `a` and the
 * reports do. Returns VM_OK, or VM_EIO when out of memory (*out then
 * partly filled, not usable). */
vm_status vm_diff_compute(vm_arena *a, const vm_ruleset *rs, const vm_report *ra, const vm_report *rb,
                          vm_diff *out);

/* Whether x and y, values of field f, are the same answer: both unknown, or
 * equal contents (list items and map entries in order). Lines and columns
 * are not compared. Pure; no argument may be NULL. */
bool vm_value_equal(const vm_field_def *f, const vm_value *x, const vm_value *y);

#endif
