/*
 * vmctr/engine.h - evaluates a compiled rule set against a profile's values.
 *
 * A vm_engine is per-thread scratch sized once for its rule set; evaluating
 * a profile allocates nothing. Scoring (docs/rules.md): a fired rule adds
 * weight x priority(category) / 3 to each target it scores; a target that a
 * fired rule excludes can never win. The paradigm is the best non-excluded
 * one (ties: vm, container, microvm, hybrid); the platform is the best
 * non-excluded one of that paradigm's family (ties in platform id order).
 *
 * What-would-change questions (unknowns, counterfactuals) re-evaluate only
 * the rules that read the field being varied, through the rule set's
 * field -> rules index, against the fired state of the last vm_engine_eval.
 */
#ifndef VMCTR_ENGINE_H
#define VMCTR_ENGINE_H

#include "profile.h"
#include "rules.h"

/* confidence = margin / (margin + VM_CONFIDENCE_K x scale), where scale is
 * the mean of the seven priority factors (priority / 3): multiplying every
 * priority by the same number multiplies every score and the scale alike,
 * so the confidence does not move (docs/rules.md "Confidence"). */
#define VM_CONFIDENCE_K 5.0

typedef struct {
    double score[VM_TARGET_COUNT];  /* summed contributions per target */
    uint16_t excluded;              /* bit per target */
    int paradigm;                   /* vm_target, -1 when every paradigm is excluded */
    int runner_up;                  /* second paradigm, -1 if none */
    int platform;                   /* -1 when none fits */
    int container_platform;         /* hybrid: the orchestrator on the VMs; else -1 */
    double margin;                  /* score(paradigm) - score(runner_up) */
    double confidence;              /* in [0, 1] */
    double scale;                   /* mean priority factor (0: taken as 1) */
    uint16_t platform_tied;         /* bit per platform sharing the best score with
                                     * `platform` when two or more do, else 0 */
    double platform_margin;         /* score(platform) - the next one of its family */
    double platform_confidence;     /* the same formula as confidence, on that margin */
    uint32_t nfired;
} vm_result;

typedef struct vm_engine vm_engine;

vm_engine *vm_engine_new(const vm_ruleset *rs);
void vm_engine_free(vm_engine *e);
const vm_ruleset *vm_engine_rules(const vm_engine *e);

/* Evaluates every rule. `fired`, when not NULL, receives the indices of the
 * fired rules in rule-set order (room for vm_ruleset_count entries). */
void vm_engine_eval(vm_engine *e, const vm_values *v, vm_result *out, uint16_t *fired);

/* Contribution of rule i to target t for these values (weight x factor). */
double vm_engine_contribution(const vm_engine *e, size_t rule, int target);

/* Recomputes paradigm/platform/confidence from scores and exclusions. */
void vm_result_decide(vm_result *r);

typedef struct {
    int field;              /* vm_field_id */
    vm_value value;         /* the value tried (list values point into the engine) */
    int paradigm;           /* what vmctr would recommend with it */
    int platform;
    double margin;          /* new margin of that recommendation */
    double swing;           /* unknowns: largest change of the base margin */
    bool flips;             /* the paradigm changes */
    int distance;           /* counterfactuals: steps on an ordered scale, else 1 */
} vm_variation;

/* Absent fields ranked by how far an answer could move the margin between
 * the two best paradigms (largest first; ties in field order). Uses the
 * fired state of the last vm_engine_eval on the same values. */
size_t vm_engine_unknowns(vm_engine *e, const vm_values *v, const vm_result *base,
                          vm_variation *out, size_t cap);

/* The smallest single-field changes that change the paradigm, one per
 * field, smallest distance first. Same precondition as unknowns. */
size_t vm_engine_counterfactuals(vm_engine *e, const vm_values *v, const vm_result *base,
                                 vm_variation *out, size_t cap);

#endif
