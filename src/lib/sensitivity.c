/*
 * sensitivity.c - how far each category's priority can move before the
 * verdict changes (docs/report.md "Priority sensitivity").
 *
 * A fired rule adds weight x priority / 3 to each target it scores, so with
 * everything else held, every score is linear in one category's priority:
 * score(t, q) = score(t) + (q / 3 - factor(c)) x B(c, t), where B(c, t) is
 * the summed weight of the fired rules of category c on target t. Which
 * rules fire does not depend on priorities unless a rule's condition reads
 * a priorities.* field, which the rule loader refuses today ("unknown
 * field"); should that change, such a category's profile is evaluated again
 * at each priority instead (nreaders below). Exclusions do not depend on
 * priorities: priority 0 switches off a category's scores, not its
 * blockers. The verdict at each priority 0..5 is then decided
 * by the engine's own vm_result_decide, so ties break exactly as in a run
 * with that priority written in the profile.
 *
 * A system's sensitivity is about the system verdict: the priority varies
 * wherever it applies (the parent and every component that does not set
 * it itself, as --what-if does), each such component's result at that
 * priority is computed as above, and the results are composed again
 * (vm_system_compose). The components' scores are needed in full there
 * (a family's platform is settled by votes, then by summed scores), so no
 * shortcut is taken: 7 categories x 6 priorities x the inheriting
 * components, each a few additions and one decide.
 */
#include "vmctr/report.h"

#include <math.h>
#include <string.h>

/* The shortcut "nothing can overtake" must be conservative: a margin within
 * SENS_SLACK (far above VM_SCORE_EPS) of twice the largest move is
 * evaluated, not assumed to stand. */
#define SENS_SLACK 1e-6

static double mean_factor(const double *factor)
{
    double s = 0;
    for (int c = 0; c < VM_CAT_COUNT; c++)
        s += factor[c];
    return s / VM_CAT_COUNT;
}

bool vm_sensitivity_same(const vm_sensitivity *s, int a, int b)
{
    return s->paradigm[a] == s->paradigm[b] && s->platform[a] == s->platform[b] &&
           s->container_platform[a] == s->container_platform[b] && s->extra_platform[a] == s->extra_platform[b];
}

/* The summed weight of each category's fired rules on each target. */
static void category_weights(const vm_ruleset *rs, const vm_eval_report *ev, double base[][VM_TARGET_COUNT])
{
    memset(base, 0, sizeof(double) * VM_CAT_COUNT * VM_TARGET_COUNT);
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            base[r->category][t] += r->scores[t];
    }
}

/* The open range (lo, hi) of d over which the verdict of a result stands
 * when every score t moves by d x b[t] (the scores are linear in a
 * category's priority, and exclusions do not move): its paradigm leads
 * every other paradigm that is not excluded, and its platform every other
 * platform of its family, by more than SENS_SLACK. Then no tie rule can
 * matter and the verdict is the same; outside it, the verdict is decided
 * again. Computed once per category, tested for each priority. */
typedef struct {
    double lo, hi;
} stand_range;

static bool stands_at(const stand_range *s, double d) { return s->lo < d && d < s->hi; }

/* Narrows *s to the d where w leads every other target of [lo, hi] that is
 * not excluded: score(w) - score(t) + d x (b[w] - b[t]) > SENS_SLACK. */
static void lead_range(const vm_result *res, int w, int lo, int hi, const double *b, stand_range *s)
{
    for (int t = lo; t <= hi; t++) {
        if (t == w || ((res->excluded >> t) & 1u))
            continue;
        double gap = res->score[w] - res->score[t], slope = b[w] - b[t];
        if (slope > 0) {
            double x = (SENS_SLACK - gap) / slope;
            s->lo = x > s->lo ? x : s->lo;
        } else if (slope < 0) {
            double x = (SENS_SLACK - gap) / slope;
            s->hi = x < s->hi ? x : s->hi;
        } else if (!(gap > SENS_SLACK)) {
            s->lo = INFINITY; /* never */
            s->hi = -INFINITY;
        }
    }
}

static stand_range verdict_range(const vm_result *res, const double *b)
{
    stand_range s = {-INFINITY, INFINITY};
    int w = res->paradigm;
    if (w < 0)
        return s; /* everything excluded, at every priority */
    lead_range(res, w, 0, VM_PARADIGM_COUNT - 1, b, &s);
    int lo, hi;
    if (res->platform < 0)
        return s; /* the family is excluded, at every priority */
    if (vm_family_range(w == VM_T_HYBRID ? VM_T_VM : w, &lo, &hi))
        lead_range(res, res->platform, lo, hi, b, &s);
    else
        s.lo = INFINITY, s.hi = -INFINITY;
    /* a hybrid's container platform must keep its lead as well (a system
     * composes it, and its tie decides whether it votes) */
    if (w == VM_T_HYBRID && res->container_platform >= 0 && vm_family_range(VM_T_CONTAINER, &lo, &hi))
        lead_range(res, res->container_platform, lo, hi, b, &s);
    return s;
}

/* The result of ev's values with priorities.<c> = q, everything else held:
 * from the linear scores, or (when a rule reads the priority) by evaluating
 * again, which leaves the engine's state as that evaluation's. With
 * `stands` (the caller's stand_range holds at q), the verdict is not
 * decided again: the scores, paradigm and platforms are exact, the margins,
 * confidences and ties are ev's (what composing a system's verdict reads
 * of a part besides its choices and scores goes only into the system's
 * confidence and ties, which sensitivity does not report). */
static vm_status result_at(vm_arena *a, vm_engine *e, const vm_eval_report *ev, const double base[][VM_TARGET_COUNT],
                           int c, int q, bool reread, bool stands, vm_values **alt, vm_result *r)
{
    int fid = VM_F_PRIORITIES_WORKLOAD + c;
    if (reread) {
        if (!*alt && !(*alt = vm_arena_alloc(a, sizeof **alt)))
            return VM_EIO;
        **alt = *ev->values;
        (*alt)->v[fid].set = true;
        (*alt)->v[fid].u.i = q;
        vm_engine_eval(e, *alt, r, NULL);
        return VM_OK;
    }
    *r = ev->res;
    double f[VM_CAT_COUNT];
    memcpy(f, ev->factor, sizeof f);
    double d = q / 3.0 - f[c];
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        r->score[t] += d * base[c][t];
    f[c] = q / 3.0;
    r->scale = mean_factor(f);
    if (!stands)
        vm_result_decide(r);
    return VM_OK;
}

static void holds(vm_sensitivity *s)
{
    int q0 = s->priority;
    int lo = q0, hi = q0;
    while (lo > 0 && vm_sensitivity_same(s, lo - 1, q0))
        lo--;
    while (hi < VM_PRIORITY_MAX && vm_sensitivity_same(s, hi + 1, q0))
        hi++;
    s->holds_from = (uint8_t)lo;
    s->holds_to = (uint8_t)hi;
}

vm_status vm_report_sensitivity(vm_arena *a, vm_engine *e, vm_eval_report *ev)
{
    const vm_ruleset *rs = vm_engine_rules(e);
    double base[VM_CAT_COUNT][VM_TARGET_COUNT];
    category_weights(rs, ev, base);
    vm_values *alt = NULL;
    bool reran = false;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        vm_sensitivity *s = &ev->sensitivity[c];
        int fid = VM_F_PRIORITIES_WORKLOAD + c;
        const vm_value *pv = &ev->values->v[fid];
        s->priority = (uint8_t)(pv->set ? pv->u.i : 3);
        size_t nreaders = 0;
        vm_ruleset_readers(rs, fid, &nreaders);
        double reach = 0; /* the largest weight of this category on any target */
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            reach = fabs(base[c][t]) > reach ? fabs(base[c][t]) : reach;
        stand_range range = verdict_range(&ev->res, base[c]);
        for (int q = 0; q <= VM_PRIORITY_MAX; q++) {
            vm_result r;
            /* no score moves by more than half of both margins (paradigm and
             * platform): nothing can overtake, the verdict stands */
            double move = fabs(q / 3.0 - ev->factor[c]) * reach;
            bool stands = q == s->priority || move == 0 ||
                          (ev->res.paradigm >= 0 && ev->res.margin > 2 * move + SENS_SLACK &&
                           ev->res.platform_margin > 2 * move + SENS_SLACK) ||
                          stands_at(&range, q / 3.0 - ev->factor[c]);
            if (!nreaders && stands) {
                r.paradigm = ev->res.paradigm;
                r.platform = ev->res.platform;
                r.container_platform = ev->res.container_platform;
            } else {
                if (result_at(a, e, ev, (const double(*)[VM_TARGET_COUNT])base, c, q, nreaders != 0, false, &alt, &r) !=
                    VM_OK)
                    return VM_EIO;
                reran |= nreaders != 0;
            }
            s->paradigm[q] = (int8_t)r.paradigm;
            s->platform[q] = (int8_t)r.platform;
            s->container_platform[q] = (int8_t)r.container_platform;
            s->extra_platform[q] = -1;
        }
        holds(s);
        s->exact_linear = nreaders == 0;
    }
    if (reran) {
        /* leave the engine's state as the profile's own evaluation did (a
         * system's questions read it) */
        vm_result r;
        vm_engine_eval(e, ev->values, &r, NULL);
    }
    return VM_OK;
}

vm_status vm_report_system_sensitivity(vm_arena *a, vm_engine *e, vm_report *rep)
{
    const vm_ruleset *rs = vm_engine_rules(e);
    uint32_t n = rep->ncomponents;
    double(*base)[VM_CAT_COUNT][VM_TARGET_COUNT] = vm_arena_alloc(a, n * sizeof *base);
    vm_result *row = vm_arena_alloc(a, n * sizeof *row);
    const vm_result **ptrs = vm_arena_alloc(a, n * sizeof *ptrs);
    if (!base || !row || !ptrs)
        return VM_EIO;
    for (uint32_t i = 0; i < n; i++) {
        category_weights(rs, &rep->components[i].ev, base[i]);
        ptrs[i] = &row[i];
    }
    vm_values *alt = NULL;
    bool reran = false;
    vm_eval_report *m = &rep->main;
    stand_range *range = vm_arena_alloc_uninit(a, n * sizeof *range);
    if (!range)
        return VM_EIO;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        vm_sensitivity *s = &m->sensitivity[c];
        int fid = VM_F_PRIORITIES_WORKLOAD + c;
        const vm_value *pv = &rep->profile->values.v[fid];
        s->priority = (uint8_t)(pv->set ? pv->u.i : 3);
        size_t nreaders = 0;
        vm_ruleset_readers(rs, fid, &nreaders);
        for (uint32_t i = 0; i < n; i++)
            range[i] = verdict_range(&rep->components[i].ev.res, base[i][c]);
        for (int q = 0; q <= VM_PRIORITY_MAX; q++) {
            /* every part keeps its paradigm and platforms and the votes
             * alone chose the system's platforms: the system's verdict
             * stands, whatever the summed scores do */
            bool all_stand = rep->sys.by_votes && !nreaders;
            for (uint32_t i = 0; i < n && all_stand; i++) {
                const vm_component_report *cr = &rep->components[i];
                all_stand = q == s->priority || ((cr->comp->own >> fid) & 1u) ||
                            stands_at(&range[i], q / 3.0 - cr->ev.factor[c]);
            }
            if (all_stand) {
                s->paradigm[q] = (int8_t)rep->sys.paradigm;
                s->platform[q] = (int8_t)rep->sys.platform;
                s->container_platform[q] = (int8_t)rep->sys.container_platform;
                s->extra_platform[q] = (int8_t)rep->sys.extra_platform;
                continue;
            }
            for (uint32_t i = 0; i < n; i++) {
                const vm_component_report *cr = &rep->components[i];
                if (q == s->priority || ((cr->comp->own >> fid) & 1u)) {
                    row[i] = cr->ev.res; /* it sets the priority itself, or nothing moves */
                    continue;
                }
                /* a part that left its platform to the fixed order casts no
                 * vote (vm_system_compose); where it stands, its platform
                 * leads and it votes: decided again, so that its tie is
                 * the one at q, not ev's */
                bool stands = stands_at(&range[i], q / 3.0 - cr->ev.factor[c]) && !cr->ev.res.platform_tied;
                if (result_at(a, e, &cr->ev, (const double(*)[VM_TARGET_COUNT])base[i], c, q, nreaders != 0, stands,
                              &alt, &row[i]) != VM_OK)
                    return VM_EIO;
                reran |= nreaders != 0;
            }
            vm_system sys;
            vm_system_compose(ptrs, n, &sys);
            s->paradigm[q] = (int8_t)sys.paradigm;
            s->platform[q] = (int8_t)sys.platform;
            s->container_platform[q] = (int8_t)sys.container_platform;
            s->extra_platform[q] = (int8_t)sys.extra_platform;
        }
        holds(s);
        s->exact_linear = nreaders == 0;
    }
    (void)reran; /* the system's questions read each part's saved state or kept variations
                  * (vm_part), never the engine's current state */
    m->has_sensitivity = true;
    return VM_OK;
}

bool vm_sensitivity_changes(const vm_sensitivity *s)
{
    for (int q = 0; q <= VM_PRIORITY_MAX; q++)
        if (!vm_sensitivity_same(s, q, s->priority))
            return true;
    return false;
}

void vm_sensitivity_platforms(const vm_sensitivity *s, int q, int out[VM_PARADIGM_COUNT])
{
    vm_platforms_by_family(s->paradigm[q], s->platform[q], s->container_platform[q], s->extra_platform[q], out);
}
