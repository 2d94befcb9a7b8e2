/* report.c - builds the report model (see report.h). */
#include "vmctr/report.h"
#include "memo.h"
#include "report_fmt.h"
#include "util/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a before b: larger contribution, then larger platform effect, then id.
 * Written with & and | rather than early returns: which key decides depends
 * on the profile, and the sort runs for every report. */
static inline bool reason_before(const vm_reason *a, const vm_reason *b)
{
    double pa = fabs(a->platform_effect), pb = fabs(b->platform_effect);
    bool by_c = fabs(a->contribution - b->contribution) > VM_SCORE_EPS;
    bool by_p = fabs(pa - pb) > VM_SCORE_EPS;
    return (by_c & (a->contribution > b->contribution)) | (!by_c & by_p & (pa > pb)) |
           (!by_c & !by_p & (a->id_rank < b->id_rank));
}

/* A stable sort of r[0..n): insertion sort of short runs, then bottom-up
 * merges through tmp (room for n). Stable, so equal reasons keep rule
 * order whatever the algorithm. */
#define SORT_RUN 8
static void sort_reasons(vm_reason *r, uint32_t n, vm_reason *tmp)
{
    for (uint32_t lo = 0; lo < n; lo += SORT_RUN) {
        uint32_t hi = lo + SORT_RUN < n ? lo + SORT_RUN : n;
        for (uint32_t i = lo + 1; i < hi; i++) {
            vm_reason x = r[i];
            uint32_t j = i;
            while (j > lo && reason_before(&x, &r[j - 1])) {
                r[j] = r[j - 1];
                j--;
            }
            r[j] = x;
        }
    }
    vm_reason *src = r, *dst = tmp;
    for (uint32_t w = SORT_RUN; w < n; w *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * w) {
            uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = reason_before(&src[j], &src[i]) ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        vm_reason *t = src;
        src = dst;
        dst = t;
    }
    if (src != r)
        memcpy(r, src, n * sizeof *r);
}

/* The rationale of a verdict at every priority 3 (every factor 1), which
 * 4 in 5 profiles have: a reason is then the rule's own scores on the
 * verdict's targets, the same for every profile with that verdict. So the
 * rules that score anything are put in rationale order once per verdict
 * and engine (kept in its memo), and a profile's rationale is its fired
 * rules taken in that order, with no sort. That is the order sorting them
 * gives when reason_before is a strict total order on the whole list (ids
 * are unique; what could break it is scores equal within VM_SCORE_EPS
 * only pairwise, not transitively): order_total checks this when the order
 * is made, and a verdict whose list fails it keeps no order (its profiles
 * are sorted, as always). */
#define ORDER_KEY_TAG 0x52000000u /* "R": the memo's rationale orders */

typedef struct {
    bool total;            /* reason_before orders the list totally: use it */
    uint32_t n;            /* rules that score anything */
    uint16_t rule[];       /* in rationale order */
} rationale_order;

static void reason_of(const vm_rule *r, uint16_t rule, int w, int ru, int pl, int cpl, double k, vm_reason *x)
{
    x->rule = rule;
    x->id_rank = r->id_rank;
    x->contribution = (w >= 0 ? r->scores[w] * k : 0) - (ru >= 0 ? r->scores[ru] * k : 0);
    x->platform_effect = pl >= 0 ? r->scores[pl] * k : 0;
    if (w == VM_T_HYBRID && cpl >= 0)
        x->platform_effect += r->scores[cpl] * k;
}

/* Whether reason_before orders the sorted list x[0..n) totally, that is
 * puts every pair (not only neighbours) as the list does. It does when the
 * list is sorted by exact values with every difference that decides either
 * 0 or above VM_SCORE_EPS (the usual case, checked on neighbours): then
 * VM_SCORE_EPS decides nothing that exact comparison would not. Else every
 * pair is compared. */
static bool order_total(const vm_reason *x, uint32_t n)
{
    bool exact = true;
    for (uint32_t i = 0; i + 1 < n; i++) {
        double c = x[i].contribution - x[i + 1].contribution;
        double p = fabs(x[i].platform_effect) - fabs(x[i + 1].platform_effect);
        exact &= c != 0 ? c > VM_SCORE_EPS : p != 0 ? p > VM_SCORE_EPS : x[i].id_rank < x[i + 1].id_rank;
    }
    if (exact)
        return true;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++)
            if (!reason_before(&x[i], &x[j]))
                return false;
    return true;
}

/* The memo's order for a verdict, made on first use; NULL when there is
 * none to use (the order is not total, the memo is full, or out of
 * memory: the caller sorts, with the same result). */
static const rationale_order *order_for(vm_engine *e, const vm_ruleset *rs, const vm_result *res)
{
    int w = res->paradigm, ru = res->runner_up, pl = res->platform, cpl = res->container_platform;
    _Static_assert(VM_TARGET_COUNT + 1 <= 31, "a verdict's targets + 1 fit in 5 bits each");
    uint32_t key = ORDER_KEY_TAG | (uint32_t)(w + 1) | (uint32_t)(ru + 1) << 5 | (uint32_t)(pl + 1) << 10 |
                   (uint32_t)(cpl + 1) << 15;
    const rationale_order *o = vm_engine_memo_get(e, key);
    if (o)
        return o->total ? o : NULL;
    if (!vm_engine_memo_room(e))
        return NULL;
    size_t nr = vm_ruleset_count(rs);
    rationale_order *no = malloc(sizeof *no + (nr ? nr : 1) * sizeof no->rule[0]);
    vm_reason *x = malloc((nr ? nr : 1) * 2 * sizeof *x);
    if (!no || !x) {
        free(no);
        free(x);
        return NULL;
    }
    uint32_t n = 0;
    for (size_t i = 0; i < nr; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, i);
        if (r->scores_any)
            reason_of(r, (uint16_t)i, w, ru, pl, cpl, 1.0, &x[n++]);
    }
    sort_reasons(x, n, x + nr);
    no->n = n;
    no->total = order_total(x, n);
    for (uint32_t i = 0; i < n; i++)
        no->rule[i] = x[i].rule;
    free(x);
    if (!vm_engine_memo_put(e, key, no)) {
        free(no);
        return NULL;
    }
    return no->total ? no : NULL;
}

/* ev's reasons (room for nfired + 1) at factor 1, in the memo's order for
 * its verdict. False when there is no order to use: the caller builds
 * them in rule order and sorts. */
static bool reasons_in_order(vm_arena *a, vm_engine *e, const vm_ruleset *rs, vm_eval_report *ev)
{
    const rationale_order *o = order_for(e, rs, &ev->res);
    if (!o)
        return false;
    size_t nr = vm_ruleset_count(rs);
    uint8_t *fired = vm_arena_alloc(a, nr ? nr : 1); /* zeroed */
    if (!fired)
        return false;
    for (uint32_t i = 0; i < ev->nfired; i++)
        fired[ev->fired[i]] = 1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < o->n; i++) {
        ev->reasons[n].rule = o->rule[i]; /* written in any case, kept by the count */
        n += fired[o->rule[i]];
    }
    const vm_result *res = &ev->res;
    for (uint32_t i = 0; i < n; i++) {
        uint16_t rule = ev->reasons[i].rule;
        reason_of(vm_ruleset_rule(rs, rule), rule, res->paradigm, res->runner_up, res->platform,
                  res->container_platform, 1.0, &ev->reasons[i]);
    }
    ev->nreasons = n;
    return true;
}

static int topic_index(const char *topic)
{
    for (int t = 0; t < VM_REPORT_TOPIC_COUNT; t++)
        if (strcmp(vm_report_topics[t], topic) == 0)
            return t;
    return VM_REPORT_TOPIC_COUNT - 1; /* the loader accepts only these topics */
}

/* The risks and suggestions of the fired rules that apply to the
 * recommendation (applies_to), in rule-set order: every renderer shows
 * these lists, so they are chosen once, here. */
static bool applies_to_targets(const vm_rule *r, uint16_t targets)
{
    return !r->applies_to || (r->applies_to & targets) != 0;
}

/* The targets a verdict names: paradigm, platform, container platform (for
 * a system every platform it names). */
static uint16_t targets3(int paradigm, int platform, int cplat)
{
    uint16_t m = 0;
    int ts[3] = {paradigm, platform, cplat};
    for (int i = 0; i < 3; i++)
        if (ts[i] >= 0)
            m |= (uint16_t)(1u << ts[i]);
    return m;
}

static uint16_t result_targets(const vm_result *res)
{
    return targets3(res->paradigm, res->platform, res->container_platform);
}

static uint16_t system_targets(const vm_system *s)
{
    uint16_t m = targets3(s->paradigm, s->platform, s->container_platform);
    for (int f = 0; f < VM_PARADIGM_COUNT; f++)
        if (s->platforms[f] >= 0)
            m |= (uint16_t)(1u << s->platforms[f]);
    return m;
}

static vm_status collect_advice(vm_arena *a, const vm_ruleset *rs, vm_eval_report *ev, uint16_t targets)
{
    /* the fired rules with advice that applies, listed in one pass */
    uint16_t *with = vm_arena_alloc_uninit(a, (ev->nfired ? ev->nfired : 1) * sizeof(uint16_t));
    if (!with)
        return VM_EIO;
    uint32_t nr = 0, ns = 0, nw = 0;
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
        bool has = (r->nrisks | r->nsuggests) != 0 && applies_to_targets(r, targets);
        with[nw] = ev->fired[i];
        nw += has;
        nr += has ? r->nrisks : 0;
        ns += has ? r->nsuggests : 0;
    }
    ev->risks = nr ? vm_arena_alloc(a, nr * sizeof(vm_advice)) : NULL;
    ev->suggestions = ns ? vm_arena_alloc(a, ns * sizeof(vm_advice)) : NULL;
    if ((nr && !ev->risks) || (ns && !ev->suggestions))
        return VM_EIO;
    for (uint32_t i = 0; i < nw; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, with[i]);
        for (uint16_t k = 0; k < r->nrisks; k++)
            ev->risks[ev->nrisks++] = (vm_advice){with[i], k, 0};
        for (uint16_t k = 0; k < r->nsuggests; k++)
            ev->suggestions[ev->nsuggestions++] =
                (vm_advice){with[i], k, (uint8_t)topic_index(r->suggests[k].topic)};
    }
    return VM_OK;
}

/* The known fields behind the paradigm: read by a fired rule that scores
 * (at a non-zero priority) or excludes a paradigm. */
static uint64_t evidence_of(const vm_ruleset *rs, const vm_eval_report *ev, const vm_values *v)
{
    uint64_t read = 0;
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
        bool para = (r->excludes & ((1u << VM_PARADIGM_COUNT) - 1)) != 0;
        if (ev->factor[r->category] != 0)
            para |= r->scores_paradigm;
        read |= para ? r->reads : 0;
    }
    /* of those, the known ones (a rule may test a field as unknown) */
    uint64_t mask = 0;
    for (uint64_t m = read; m; m &= m - 1) {
        int f = __builtin_ctzll(m);
        const vm_value *x = &v->v[f];
        const vm_field_def *d = vm_field(f);
        bool k = x->set;
        if (k && d->type == VM_T_STR_LIST)
            k = x->u.list.n > 0;
        else if (k && d->type == VM_T_ENUM_LIST)
            k = x->u.mask != 0;
        mask |= (uint64_t)k << f;
    }
    return mask;
}

/* kept: NULL, or where a component's questions keep their variations for
 * the system's (vm_kept; NULL when there are none). */
static vm_status eval_one(vm_arena *a, vm_engine *e, const vm_values *v, unsigned flags, vm_eval_report *ev,
                          vm_kept **kept)
{
    const vm_ruleset *rs = vm_engine_rules(e);
    size_t nr = vm_ruleset_count(rs);
    memset(ev, 0, sizeof *ev);
    ev->values = v;
    ev->fired = vm_arena_alloc(a, (nr ? nr : 1) * sizeof(uint16_t));
    if (!ev->fired)
        return VM_EIO;
    vm_engine_eval(e, v, &ev->res, ev->fired);
    ev->nfired = ev->res.nfired;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const vm_value *p = &v->v[VM_F_PRIORITIES_WORKLOAD + c];
        ev->factor[c] = p->set ? (double)p->u.i / 3.0 : 1.0;
    }
    ev->reasons = vm_arena_alloc(a, (ev->nfired + 1) * sizeof(vm_reason));
    if (!ev->reasons)
        return VM_EIO;
    bool unit = true;
    for (int c = 0; c < VM_CAT_COUNT; c++)
        unit &= ev->factor[c] == 1.0;
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
        double k = ev->factor[r->category];
        for (int t = 0; t < VM_PARADIGM_COUNT; t++)
            ev->category[r->category][t] += r->scores[t] * k;
    }
    if (!unit || !reasons_in_order(a, e, rs, ev)) {
        /* a reason per fired rule that moves a score; it is written in any
         * case and kept by advancing the count (no branch on the rule) */
        const vm_result *res = &ev->res;
        ev->nreasons = 0;
        for (uint32_t i = 0; i < ev->nfired; i++) {
            const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
            double k = ev->factor[r->category];
            reason_of(r, ev->fired[i], res->paradigm, res->runner_up, res->platform, res->container_platform, k,
                      &ev->reasons[ev->nreasons]);
            ev->nreasons += r->scores_any & (k != 0);
        }
        vm_reason *tmp = ev->nreasons > SORT_RUN ? vm_arena_alloc_uninit(a, ev->nreasons * sizeof *tmp) : NULL;
        if (ev->nreasons > SORT_RUN && !tmp)
            return VM_EIO;
        sort_reasons(ev->reasons, ev->nreasons, tmp);
    }
    ev->evidence = evidence_of(rs, ev, v);
    if ((flags & VM_REPORT_ADVICE) && collect_advice(a, rs, ev, result_targets(&ev->res)) != VM_OK)
        return VM_EIO;
    if (flags & (VM_REPORT_UNKNOWNS | VM_REPORT_COUNTERFACTUALS)) {
        vm_questions q = {.unknowns = ev->unknowns,
                          .unknowns_cap = (flags & VM_REPORT_UNKNOWNS) ? VM_REPORT_MAX_UNKNOWNS : 0,
                          .cf = ev->cf,
                          .cf_cap = (flags & VM_REPORT_COUNTERFACTUALS) ? VM_REPORT_MAX_CF : 0,
                          .keep = kept ? a : NULL};
        if (vm_engine_questions(e, v, &ev->res, &q) != VM_OK)
            return VM_EIO;
        ev->nunknowns = (uint32_t)q.nunknowns;
        ev->ncf = (uint32_t)q.ncf;
        if (kept)
            *kept = q.kept;
    }
    if (flags & VM_REPORT_SENSITIVITY) {
        if (vm_report_sensitivity(a, e, ev) != VM_OK)
            return VM_EIO;
        ev->has_sensitivity = true;
    }
    return VM_OK;
}

vm_status vm_report_build(vm_arena *a, vm_engine *e, const vm_profile *p, unsigned flags, vm_report *out)
{
    memset(out, 0, sizeof *out);
    out->profile = p;
    out->rules = vm_engine_rules(e);
    unsigned what = VM_REPORT_UNKNOWNS | VM_REPORT_COUNTERFACTUALS;
    /* a system's questions and its priority sensitivity are about the
     * system (below), not the parent's fields alone */
    unsigned sys_only = what | VM_REPORT_ADVICE | VM_REPORT_SENSITIVITY;
    vm_status st = eval_one(a, e, &p->values, p->ncomponents ? flags & ~sys_only : flags, &out->main, NULL);
    if (st != VM_OK)
        return st;
    if (p->ncomponents == 0) {
        out->paradigm = out->main.res.paradigm;
        out->platform = out->main.res.platform;
        out->container_platform = out->main.res.container_platform;
        out->runner_up = out->main.res.runner_up;
        out->confidence = out->main.res.confidence;
        return VM_OK;
    }
    uint32_t n = p->ncomponents;
    out->components = vm_arena_alloc(a, n * sizeof(vm_component_report));
    const vm_result **res = vm_arena_alloc(a, n * sizeof *res);
    vm_part *parts = (flags & what) ? vm_arena_alloc(a, n * sizeof *parts) : NULL;
    if (!out->components || !res || ((flags & what) && !parts))
        return VM_EIO;
    out->ncomponents = n;
    size_t stsz = vm_engine_state_size(e);
    for (uint32_t i = 0; i < n; i++) {
        out->components[i].comp = &p->components[i];
        vm_kept *kept = NULL;
        st = eval_one(a, e, &p->components[i].values, flags, &out->components[i].ev, parts ? &kept : NULL);
        if (st != VM_OK)
            return st;
        res[i] = &out->components[i].ev.res;
        if (parts) {
            void *state = vm_arena_alloc_uninit(a, stsz);
            if (!state)
                return VM_EIO;
            vm_engine_save(e, state); /* eval_one's questions leave the state as its eval did */
            parts[i] = (vm_part){&p->components[i].values, res[i], state, p->components[i].own, kept};
        }
    }
    vm_system_compose(res, n, &out->sys);
    out->paradigm = out->sys.paradigm;
    out->platform = out->sys.platform;
    out->container_platform = out->sys.container_platform;
    out->runner_up = -1;
    out->confidence = out->sys.confidence;
    /* the shared fields' risks and suggestions that concern the system's
     * verdict (each component has its own) */
    if ((flags & VM_REPORT_ADVICE) &&
        collect_advice(a, vm_engine_rules(e), &out->main, system_targets(&out->sys)) != VM_OK)
        return VM_EIO;
    if ((flags & VM_REPORT_SENSITIVITY) && vm_report_system_sensitivity(a, e, out) != VM_OK)
        return VM_EIO;
    if (parts) {
        void *scratch = vm_arena_alloc_uninit(a, vm_engine_system_scratch(n));
        if (!scratch)
            return VM_EIO;
        vm_eval_report *m = &out->main;
        vm_questions q = {.unknowns = m->unknowns,
                          .unknowns_cap = (flags & VM_REPORT_UNKNOWNS) ? VM_REPORT_MAX_UNKNOWNS : 0,
                          .cf = m->cf,
                          .cf_cap = (flags & VM_REPORT_COUNTERFACTUALS) ? VM_REPORT_MAX_CF : 0};
        vm_engine_system_questions(e, &p->values, parts, n, &out->sys, scratch, &q);
        m->nunknowns = (uint32_t)q.nunknowns;
        m->ncf = (uint32_t)q.ncf;
    }
    return VM_OK;
}

/* A verdict's recommendation; the rest zero. */
static void verdict_init(vm_verdict *out, int paradigm, int platform, int cplat, int extra, int runner_up)
{
    memset(out, 0, sizeof *out);
    out->paradigm = paradigm;
    out->platform = platform;
    out->container_platform = cplat;
    out->extra_platform = extra;
    out->runner_up = runner_up;
}

void vm_eval_verdict(const vm_eval_report *ev, vm_verdict *out)
{
    const vm_result *r = &ev->res;
    verdict_init(out, r->paradigm, r->platform, r->container_platform, -1, r->runner_up);
    for (int f = 0; f < VM_PARADIGM_COUNT; f++)
        out->platforms[f] = -1;
    if (r->paradigm == VM_T_HYBRID) {
        out->platforms[VM_T_VM] = r->platform;
        out->platforms[VM_T_CONTAINER] = r->container_platform;
    } else if (r->paradigm >= 0) {
        out->platforms[r->paradigm] = r->platform;
    }
    out->platform_tied = r->platform_tied;
    out->confidence = r->confidence;
    out->margin = r->margin;
    out->platform_confidence = r->platform_confidence;
    out->platform_margin = r->platform_margin;
    out->single = true;
    out->evidence = (uint32_t)__builtin_popcountll(ev->evidence);
}

void vm_report_verdict(const vm_report *r, vm_verdict *out)
{
    if (r->ncomponents == 0) {
        vm_eval_verdict(&r->main, out);
        return;
    }
    const vm_system *s = &r->sys;
    verdict_init(out, s->paradigm, s->platform, s->container_platform, s->extra_platform, -1);
    memcpy(out->platforms, s->platforms, sizeof out->platforms);
    out->platform_tied = s->platform_tied;
    out->confidence = s->confidence;
    out->platform_confidence = s->platform_confidence;
    uint64_t ev = 0;
    for (uint32_t i = 0; i < r->ncomponents; i++)
        ev |= r->components[i].ev.evidence;
    out->evidence = (uint32_t)__builtin_popcountll(ev);
}

static const char *three(int a, int b, int c, char *buf, size_t cap)
{
    int t[3] = {a, b, c};
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < 3; i++) {
        if (t[i] < 0)
            continue;
        int w = snprintf(buf + at, cap - at, "%s%s", at ? " + " : "", vm_target_name(t[i]));
        if (w < 0 || (size_t)w >= cap - at)
            break;
        at += (size_t)w;
    }
    return buf;
}

void vm_platforms_by_family(int paradigm, int platform, int cplat, int extra, int out[VM_PARADIGM_COUNT])
{
    for (int f = 0; f < VM_PARADIGM_COUNT; f++)
        out[f] = -1;
    if (paradigm < 0)
        return;
    if (paradigm != VM_T_HYBRID) {
        out[paradigm] = platform;
        return;
    }
    if (platform >= 0)
        out[vm_platform_family(platform)] = platform;
    if (cplat >= 0)
        out[VM_T_CONTAINER] = cplat;
    if (extra >= 0)
        out[VM_T_MICROVM] = extra;
}

const char *vm_platforms_text(int platform, int cplat, int extra, char *buf, size_t cap)
{
    return three(platform, cplat, extra, buf, cap);
}

void rf_num(vm_buf *b, double v) { vm_buf_num(b, v, 2); }

void rf_signed_num(vm_buf *b, double v)
{
    if (v > 0.005)
        vm_buf_putc(b, '+');
    rf_num(b, v);
}

void rf_conf(vm_buf *b, double v) { vm_buf_conf(b, v); }

void rf_targets(vm_buf *b, uint16_t mask)
{
    bool first = true;
    for (int t = 0; t < VM_TARGET_COUNT; t++) {
        if (!((mask >> t) & 1u))
            continue;
        if (!first)
            vm_buf_puts(b, ", ");
        first = false;
        vm_buf_puts(b, vm_target_name(t));
    }
}

void rf_verdict(vm_buf *b, const char *none, int paradigm, int platform, int cplat, int extra)
{
    char plat[128];
    if (paradigm < 0) {
        vm_buf_puts(b, none);
        return;
    }
    vm_buf_puts(b, vm_target_name(paradigm));
    vm_buf_puts(b, " on ");
    vm_buf_puts(b, platform < 0 ? "no fitting platform" : three(platform, cplat, extra, plat, sizeof plat));
}

const char *vm_verdict_platform_text(const vm_verdict *v, char *buf, size_t cap)
{
    return three(v->platform, v->container_platform, v->extra_platform, buf, cap);
}

const char *vm_variation_platform_text(const vm_variation *v, char *buf, size_t cap)
{
    return three(v->platform, v->container_platform, v->extra_platform, buf, cap);
}

const char *vm_report_tie_note(uint16_t tied, char *buf, size_t cap)
{
    if (!cap)
        return "";
    buf[0] = '\0';
    if (!tied)
        return buf;
    char t[128];
    snprintf(buf, cap, " (a platform tie: %s)", vm_report_ties_text(tied, t, sizeof t));
    return buf;
}

const char *vm_variation_tie_note(const vm_variation *v, char *buf, size_t cap)
{
    return vm_report_tie_note(v->platform >= 0 ? v->platform_tied : 0, buf, cap);
}

const char *vm_verdict_tie_note(const vm_verdict *v, char *buf, size_t cap)
{
    return vm_report_tie_note(v->platform >= 0 ? v->platform_tied : 0, buf, cap);
}

const char *vm_sensitivity_platform_text(const vm_sensitivity *s, int q, char *buf, size_t cap)
{
    return three(s->platform[q], s->container_platform[q], s->extra_platform[q], buf, cap);
}

const char *vm_report_ties_text(uint16_t tied, char *buf, size_t cap)
{
    size_t at = 0;
    buf[0] = 0;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        if (!((tied >> t) & 1u))
            continue;
        int w = snprintf(buf + at, cap - at, "%s%s", at ? ", " : "", vm_target_name(t));
        if (w < 0 || (size_t)w >= cap - at)
            break;
        at += (size_t)w;
    }
    return buf;
}

const char *vm_report_platform_text(int platform, int container_platform, char *buf, size_t cap)
{
    if (container_platform >= 0)
        snprintf(buf, cap, "%s + %s", vm_target_name(platform), vm_target_name(container_platform));
    else
        snprintf(buf, cap, "%s", vm_target_name(platform));
    return buf;
}

/* The target an enum field (spec.decision.*) names, or -1 when unset. */
static int proposed(const vm_values *v, int field)
{
    const vm_value *x = &v->v[field];
    if (!x->set)
        return -1;
    const char *name = vm_field(field)->values[x->u.i];
    return vm_target_find(name, strlen(name));
}

int vm_report_proposed_paradigm(const vm_values *v) { return proposed(v, VM_F_DECISION_PARADIGM); }

int vm_report_proposed_platform(const vm_values *v) { return proposed(v, VM_F_DECISION_PLATFORM); }

bool vm_report_proposal_matches(int pp, int pf, int paradigm, int platform, int cplat, int extra)
{
    return (pp < 0 || pp == paradigm) && (pf < 0 || pf == platform || pf == cplat || pf == extra);
}

size_t vm_report_because(const vm_rule *rule, const vm_values *v, int *fields, size_t cap)
{
    size_t n = 0;
    uint64_t unknown_tested = rule->tests_unknown;
    for (uint64_t bits = rule->reads; bits && n < cap; bits &= bits - 1) {
        int f = __builtin_ctzll(bits);
        if (v->v[f].set || ((unknown_tested >> f) & 1u))
            fields[n++] = f;
    }
    return n;
}

bool vm_report_applies(const vm_rule *r, const vm_result *res)
{
    return applies_to_targets(r, result_targets(res));
}

const char *const vm_report_topics[] = {
    "pipeline", "iac", "observability", "hybrid-cloud", "platform",
};
const char *const vm_report_topic_titles[] = {
    "CI/CD pipeline", "Infrastructure as code", "Observability", "Hybrid cloud", "Platform",
};
_Static_assert(sizeof vm_report_topics / sizeof vm_report_topics[0] == VM_REPORT_TOPIC_COUNT, "a name per topic");
_Static_assert(sizeof vm_report_topic_titles / sizeof vm_report_topic_titles[0] == VM_REPORT_TOPIC_COUNT,
               "a title per topic");
