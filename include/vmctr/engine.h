/*
 * vmctr/engine.h - evaluates a compiled rule set against a profile's values.
 *
 * A vm_engine is per-thread scratch sized once for its rule set; evaluating
 * a profile allocates nothing. (The report layer keeps what depends only on
 * the rule set and a verdict in the engine's memo, src/lib/memo.h: at most
 * 96 blocks, freed with the engine.) Scoring (docs/rules.md): a fired rule adds
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

/* Scores, contributions, margins and swings are sums of a few products of
 * small decimals: two that differ by less than VM_SCORE_EPS are equal (a
 * tie, a zero), whatever the order of the additions. */
#define VM_SCORE_EPS 1e-9
/* A confidence (a ratio in [0, 1]) compared with a threshold given as text
 * (--min-confidence 0.6): within VM_CONF_EPS counts as reaching it. */
#define VM_CONF_EPS 1e-12

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

/* An engine for a finished rule set (vm_ruleset_finish), owned by the
 * caller (vm_engine_free). rs is borrowed and must outlive the engine; one
 * engine per thread, one rule set may serve many. NULL when out of memory. */
vm_engine *vm_engine_new(const vm_ruleset *rs);
/* Frees the engine (not its rule set). NULL is a no-op. */
void vm_engine_free(vm_engine *e);
/* The rule set the engine was made for (borrowed, as passed to
 * vm_engine_new). */
const vm_ruleset *vm_engine_rules(const vm_engine *e);

/* How many values the questions (unknowns, counterfactuals) try for a
 * field at most: the first ones its rules name (docs/rules.md, "Limits"). */
#define VM_ENGINE_MAX_CANDIDATES 32
/* How many values the questions try for field (vm_field_id) under the
 * finished rule set rs; *cut (optional) is set when the rules name more
 * than VM_ENGINE_MAX_CANDIDATES and the rest are not tried, and *cut_rule
 * (optional) to the index of the first rule whose value did not fit (-1
 * when none, or when what did not fit is no rule's). Allocates nothing.
 * 0 (*cut false, *cut_rule -1) for a NULL rs or a field out of range. */
size_t vm_ruleset_candidates(const vm_ruleset *rs, int field, bool *cut, int *cut_rule);

/* Evaluates every rule against v into *out (all of it written) and keeps
 * the fired state in e for the questions below. `fired`, when not NULL,
 * receives the indices of the fired rules in rule-set order (room for
 * vm_ruleset_count entries; out->nfired of them). Allocates nothing; never
 * fails. */
void vm_engine_eval(vm_engine *e, const vm_values *v, vm_result *out, uint16_t *fired);

/* Contribution of rule `rule` (< vm_ruleset_count) to `target` with the
 * priorities of the last vm_engine_eval: weight x factor. */
double vm_engine_contribution(const vm_engine *e, size_t rule, int target);

/* Recomputes paradigm, runner-up, platforms, ties, margins and confidences
 * of r from its score, excluded and scale, in place. Never fails. */
void vm_result_decide(vm_result *r);

/* The engine's state after vm_engine_eval (what the variations read), so
 * that a system's variations can switch between its components without
 * evaluating them again: vm_engine_state_size bytes, saved right after a
 * component's eval and restored before varying it. */
size_t vm_engine_state_size(const vm_engine *e);
/* Copies e's state into `state`, caller's memory of vm_engine_state_size(e)
 * bytes (any alignment). */
void vm_engine_save(const vm_engine *e, void *state);
/* Puts back a state saved from the same engine (or one of the same rule
 * set); state is only read. */
void vm_engine_restore(vm_engine *e, const void *state);

/* A system's verdict, composed from its components' results (spec "How a
 * system is composed"; docs/rules.md "Systems with components"). */
typedef struct {
    int paradigm;               /* the common paradigm, hybrid when they differ, -1 when
                                 * a component has none (or there are none) */
    int platforms[VM_PARADIGM_COUNT]; /* per family: [VM_T_VM], [VM_T_CONTAINER],
                                 * [VM_T_MICROVM] the platform its components chose (a
                                 * hybrid component counts as VMs plus containers);
                                 * -1 when no component runs that kind; [VM_T_HYBRID] -1 */
    int platform;               /* the paradigm's platform; hybrid: the VMs', else the
                                 * micro-VMs', else the containers' */
    int container_platform;     /* hybrid: the containers' platform (when another
                                 * family gives `platform`), else -1 */
    int extra_platform;         /* hybrid with VMs and micro-VMs: the micro-VMs', else -1 */
    uint16_t platform_tied;     /* bit per platform tied with a family's choice */
    double confidence;          /* the lowest of the components' */
    double platform_confidence; /* the lowest of the components' */
    bool by_votes;              /* every family's platform has the most votes alone
                                 * among the platforms no component of that family
                                 * excludes (the summed scores broke no tie, no tied
                                 * component's platform was taken) */
} vm_system;

/* Composes n component results (borrowed, not NULL) into *out (all of it
 * written); n may be 0 (parts may then be NULL: paradigm -1). Never fails. */
void vm_system_compose(const vm_result *const *parts, uint32_t n, vm_system *out);

/* What vm_engine_questions varied of one evaluation, kept when asked
 * (vm_questions.keep): per field, its candidates' results, or none. A
 * system's questions vary the same field in the same component again;
 * they take these instead (the same results). Lives in the arena given. */
typedef struct vm_kept vm_kept;

/* A component as the system's variations see it. */
typedef struct {
    const vm_values *values;    /* merged over the parent */
    const vm_result *res;       /* its result */
    const void *state;          /* vm_engine_save after its eval */
    uint64_t own;               /* bit per field it sets itself */
    const vm_kept *kept;        /* its questions' variations, or NULL */
} vm_part;

typedef struct {
    int field;              /* vm_field_id */
    vm_value value;         /* the value tried (list values point into the engine) */
    int paradigm;           /* what vmctr would recommend with it */
    int platform;
    int container_platform; /* hybrid: the containers' platform, else -1 */
    int extra_platform;     /* systems: see vm_system, else -1 */
    double margin;          /* new margin of that recommendation (systems:
                             * the composed confidence) */
    double swing;           /* unknowns: largest change of the base margin */
    uint16_t platform_tied; /* bit per platform tied with a named one (the fixed order
                             * chose among them), 0 when none */
    bool flips;             /* the paradigm changes */
    int distance;           /* counterfactuals: steps on an ordered scale, else 1 */
} vm_variation;

/* The questions a report asks, computed together by vm_engine_questions:
 * up to unknowns_cap unknowns and cf_cap counterfactuals (a cap of 0 skips
 * that question; the caller owns both arrays). The answers are those of
 * vm_engine_unknowns and vm_engine_counterfactuals, asked one by one; an
 * absent field's candidates are varied once for both. */
typedef struct {
    vm_variation *unknowns;
    size_t unknowns_cap, nunknowns;
    vm_variation *cf;
    size_t cf_cap, ncf;
    vm_arena *keep;         /* optional: keep the variations in it, ... */
    vm_kept *kept;          /* ... here (set by vm_engine_questions) */
} vm_questions;
/* Fills q's arrays (sets nunknowns and ncf; no counterfactuals when base
 * has no paradigm), with the precondition and ownership of
 * vm_engine_unknowns. Allocates only with q->keep (then q->kept, from
 * that arena). Returns VM_OK, or VM_EIO when keeping ran out of memory
 * (the answers are complete all the same; q->kept is then NULL). */
vm_status vm_engine_questions(vm_engine *e, const vm_values *v, const vm_result *base, vm_questions *q);

/* Absent fields ranked by how far an answer could move the margin between
 * the two best paradigms (largest first; ties in field order): the best
 * `cap` into out[0..cap), returning how many (cap may be 0). Uses the fired
 * state of the last vm_engine_eval on the same values; list values in out
 * point into e and live as long as it. Allocates nothing; never fails. */
size_t vm_engine_unknowns(vm_engine *e, const vm_values *v, const vm_result *base,
                          vm_variation *out, size_t cap);

/* The smallest single-field changes that change the paradigm, one per
 * field, smallest distance first, at most cap into out; returns how many (0
 * when base has no paradigm). Same precondition and ownership as
 * vm_engine_unknowns. */
size_t vm_engine_counterfactuals(vm_engine *e, const vm_values *v, const vm_result *base,
                                 vm_variation *out, size_t cap);

/* The same questions about a system's verdict: a field varies wherever it
 * applies, in the parent and in every part that does not set it itself
 * (as --what-if does), and the results are composed again. A field that
 * every part sets is not asked. `parent` holds the parent's own values
 * (`from` of a counterfactual, and whether a field is unknown). Swings are
 * the largest change of an affected part's margin; a variation's margin is
 * the composed system's confidence. The engine's state is left as the last
 * restored part's, or as it was when every part's variations were kept
 * (vm_part.kept). scratch: caller's memory of vm_engine_system_scratch(n)
 * bytes, aligned for a double and a pointer. */
/* The bytes of scratch the system questions below need for nparts parts. */
size_t vm_engine_system_scratch(uint32_t nparts);
/* vm_engine_unknowns for a system of n parts (borrowed; their states from
 * vm_engine_save): at most cap into out, returns how many. Never fails. */
size_t vm_engine_system_unknowns(vm_engine *e, const vm_values *parent, const vm_part *parts, uint32_t n,
                                 const vm_system *base, void *scratch, vm_variation *out, size_t cap);
/* vm_engine_counterfactuals for a system, as vm_engine_system_unknowns;
 * 0 when base has no paradigm. */
size_t vm_engine_system_counterfactuals(vm_engine *e, const vm_values *parent, const vm_part *parts, uint32_t n,
                                        const vm_system *base, void *scratch, vm_variation *out, size_t cap);
/* Both, in one pass (see vm_questions), as vm_engine_system_unknowns;
 * sets q->nunknowns and q->ncf. Never fails. */
void vm_engine_system_questions(vm_engine *e, const vm_values *parent, const vm_part *parts, uint32_t n,
                                const vm_system *base, void *scratch, vm_questions *q);

#endif
