/*
 * sensitivity.c - how far each category's priority can move before the
 * verdict changes (docs/report.md "Priority sensitivity").
 *
 * A fired rule adds weight x priority / 3 to each target it scores, so with
 * everything else held, every score is linear in one category's priority:
 * score(t, q) = score(t) + (q / 3 - factor(c)) x B(c, t), where B(c, t) is
 * the summed weight of the fired rules of category c on target t. Which
 * rules fire does not depend on priorities unless a rule's condition reads
 * a priorities.* field (no built-in rule does); for such a category the
 * profile is evaluated again at each priority instead. Exclusions do not
 * depend on priorities. The verdict at each priority 0..5 is then decided
 * by the engine's own vm_result_decide, so ties break exactly as in a run
 * with that priority written in the profile.
 */
#include "vmctr/report.h"

#include <math.h>
#include <string.h>

static double mean_factor(const double *factor)
{
    double s = 0;
    for (int c = 0; c < VM_CAT_COUNT; c++)
        s += factor[c];
    return s / VM_CAT_COUNT;
}

static bool same(const vm_sensitivity *s, int a, int b)
{
    return s->paradigm[a] == s->paradigm[b] && s->platform[a] == s->platform[b] &&
           s->container_platform[a] == s->container_platform[b];
}

vm_status vm_report_sensitivity(vm_arena *a, vm_engine *e, vm_eval_report *ev)
{
    const vm_ruleset *rs = vm_engine_rules(e);
    double base[VM_CAT_COUNT][VM_TARGET_COUNT];
    memset(base, 0, sizeof base);
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            base[r->category][t] += r->scores[t];
    }
    vm_values *alt = NULL;
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
        for (int q = 0; q <= VM_PRIORITY_MAX; q++) {
            vm_result r;
            /* no score moves by more than half of both margins (paradigm and
             * platform): nothing can overtake, the verdict stands */
            double move = fabs(q / 3.0 - ev->factor[c]) * reach;
            bool stands = q == s->priority || move == 0 ||
                          (ev->res.paradigm >= 0 && ev->res.margin > 2 * move + 1e-6 &&
                           ev->res.platform_margin > 2 * move + 1e-6);
            if (!nreaders && stands) {
                r.paradigm = ev->res.paradigm;
                r.platform = ev->res.platform;
                r.container_platform = ev->res.container_platform;
            } else if (nreaders) {
                /* a rule reads this priority: evaluate the profile again */
                if (!alt && !(alt = vm_arena_alloc(a, sizeof *alt)))
                    return VM_EIO;
                *alt = *ev->values;
                alt->v[fid].set = true;
                alt->v[fid].u.i = q;
                vm_engine_eval(e, alt, &r, NULL);
            } else {
                r = ev->res;
                double f[VM_CAT_COUNT];
                memcpy(f, ev->factor, sizeof f);
                double d = q / 3.0 - f[c];
                for (int t = 0; t < VM_TARGET_COUNT; t++)
                    r.score[t] += d * base[c][t];
                f[c] = q / 3.0;
                r.scale = mean_factor(f);
                vm_result_decide(&r);
            }
            s->paradigm[q] = (int8_t)r.paradigm;
            s->platform[q] = (int8_t)r.platform;
            s->container_platform[q] = (int8_t)r.container_platform;
        }
        int q0 = s->priority;
        int lo = q0, hi = q0;
        while (lo > 0 && same(s, lo - 1, q0))
            lo--;
        while (hi < VM_PRIORITY_MAX && same(s, hi + 1, q0))
            hi++;
        s->holds_from = (uint8_t)lo;
        s->holds_to = (uint8_t)hi;
        s->exact_linear = nreaders == 0;
    }
    return VM_OK;
}

bool vm_sensitivity_changes(const vm_sensitivity *s)
{
    for (int q = 0; q <= VM_PRIORITY_MAX; q++)
        if (!same(s, q, s->priority))
            return true;
    return false;
}
