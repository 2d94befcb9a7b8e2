/*
 * gate.c - the CI gate's decision (see vmctr/gate.h): which subjects a
 * profile has, what each proposes against what vmctr recommends, where the
 * result points, the blocker or reason behind it, and the policy.
 */
#include "vmctr/gate.h"

#include <string.h>

#include "vmctr/target.h"

static bool has_decision(const vm_values *v)
{
    return v->v[VM_F_DECISION_PARADIGM].set || v->v[VM_F_DECISION_PLATFORM].set;
}

static bool same_pos(const vm_value *a, const vm_value *b)
{
    return a->set == b->set && (!a->set || (a->line == b->line && a->col == b->col));
}

/* One thing to check: the profile as a system, or one component. */
typedef struct {
    const vm_values *v;
    const vm_eval_report *ev;      /* NULL for a system with components */
    const vm_component *comp;      /* NULL for the profile */
    bool own_paradigm;             /* a component's decision.paradigm is its own, not inherited */
    bool own_platform;             /* likewise its decision.platform */
} subject;

/* Whether a system proposal of paradigm pp (or -1) binds component
 * result c for target t (spec: a component's blockers bind that component
 * only), given `fams`, the families the components' recommendations run
 * (vm_paradigm_runs). A proposal of one paradigm puts every component on it
 * and on its platform, so every component's blocker of either binds; a
 * hybrid system is parts of different paradigms, not parts that each run
 * hybrid, so a part's hybrid blocker does not; otherwise a platform binds
 * the components of its family, and when no component runs that family,
 * every one, since any of them may be the one it names (sys_excluded then
 * blocks the platform only when every component excludes it). */
static bool part_binds(const vm_result *c, int t, int pp, unsigned fams)
{
    if (t < VM_FIRST_PLATFORM)
        return t != VM_T_HYBRID;
    if (pp == VM_T_VM || pp == VM_T_CONTAINER || pp == VM_T_MICROVM)
        return true;
    int fam = vm_platform_family(t);
    return !((fams >> fam) & 1u) || vm_paradigm_runs(c->paradigm, fam);
}

/* The families the components' recommendations run, as bits. */
static unsigned part_families(const vm_report *rep)
{
    unsigned fams = 0;
    for (uint32_t i = 0; i < rep->ncomponents; i++)
        for (int f = 0; f < VM_PARADIGM_COUNT; f++)
            if (vm_paradigm_runs(rep->components[i].ev.res.paradigm, f))
                fams |= 1u << f;
    return fams;
}

/* What a system proposal of paradigm pp may not put its components on: a
 * target some bound component excludes (part_binds), or, for a platform of
 * a family no component runs, one that every component excludes. */
static uint16_t sys_excluded(const vm_report *rep, int pp)
{
    unsigned fams = part_families(rep);
    uint16_t excl = 0;
    for (int t = 0; t < VM_TARGET_COUNT; t++) {
        bool any = false, all = rep->ncomponents > 0;
        for (uint32_t i = 0; i < rep->ncomponents; i++) {
            const vm_result *c = &rep->components[i].ev.res;
            bool x = (c->excluded >> t) & 1u;
            any |= x && part_binds(c, t, pp, fams);
            all &= x;
        }
        bool every = t >= VM_FIRST_PLATFORM && !(pp == VM_T_VM || pp == VM_T_CONTAINER || pp == VM_T_MICROVM) &&
                     !((fams >> vm_platform_family(t)) & 1u);
        if (every ? all : any)
            excl |= (uint16_t)(1u << t);
    }
    return excl;
}

/* The blockers of a subject (vm_gate_result.blockers): for each of the n
 * groups, every fired rule that excludes search[g], shown as excluding
 * shown[g], each rule once, into r->blockers from a; r->rule is the first.
 * For a system (ev NULL), the rules of the components the proposal binds
 * (part_binds). Out of memory: r->rule alone, nblockers 0, *oom set. */
static void find_blockers(const vm_report *rep, const vm_eval_report *ev, const int *search, const int *shown,
                          int n, vm_arena *a, vm_gate_result *r, bool *oom)
{
    const vm_eval_report *evs[VM_LIMIT_COMPONENTS + 1];
    size_t ne = 0, cap = 0;
    unsigned fams = ev ? 0 : part_families(rep);
    if (ev)
        evs[ne++] = ev;
    else
        for (uint32_t i = 0; i < rep->ncomponents && ne < VM_LIMIT_COMPONENTS + 1; i++)
            evs[ne++] = &rep->components[i].ev;
    for (int g = 0; g < n; g++)
        for (size_t k = 0; k < ne; k++)
            for (uint32_t i = 0; i < evs[k]->nfired && (ev || part_binds(&evs[k]->res, search[g], r->pp, fams)); i++) {
                const vm_rule *x = vm_ruleset_rule(rep->rules, evs[k]->fired[i]);
                if ((x->excludes >> search[g]) & 1u) {
                    if (!r->rule)
                        r->rule = x;
                    cap++;
                }
            }
    if (!cap)
        return;
    vm_gate_blocker *list = vm_arena_alloc(a, cap * sizeof *list);
    if (!list) {
        if (oom)
            *oom = true;
        return;
    }
    uint32_t m = 0;
    for (int g = 0; g < n; g++)
        for (size_t k = 0; k < ne; k++)
            for (uint32_t i = 0; i < evs[k]->nfired && (ev || part_binds(&evs[k]->res, search[g], r->pp, fams)); i++) {
                const vm_rule *x = vm_ruleset_rule(rep->rules, evs[k]->fired[i]);
                if (!((x->excludes >> search[g]) & 1u))
                    continue;
                uint32_t j = 0;
                while (j < m && list[j].rule != x) /* fired in two components, or excludes both */
                    j++;
                if (j == m)
                    list[m++] = (vm_gate_blocker){x, shown[g]};
            }
    r->blockers = list;
    r->nblockers = m;
}

/* The fired rule that most favours `want` over `other` (for a reason line). */
static const vm_rule *top_reason(const vm_report *rep, const vm_eval_report *ev, int want, int other)
{
    const vm_rule *best = NULL;
    double bv = VM_SCORE_EPS;
    for (uint32_t i = 0; ev && want >= 0 && i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rep->rules, ev->fired[i]);
        double k = ev->factor[r->category];
        double d = (r->scores[want] - (other >= 0 ? r->scores[other] : 0)) * k;
        if (d > bv) {
            bv = d;
            best = r;
        }
    }
    return best;
}

vm_gate_outcome vm_gate_outcome_of(vm_gate_kind kind, double conf, const vm_gate_policy *pol)
{
    vm_gate_outcome o;
    switch (kind) {
    case VM_GATE_MATCH: o = VM_GATE_PASS; break;
    case VM_GATE_NO_DECISION: o = pol->require_decision ? VM_GATE_FAIL : VM_GATE_NOTE; break;
    case VM_GATE_BLOCKER: o = VM_GATE_FAIL; break;
    default:
        o = pol->fail_on != VM_FAIL_ON_BLOCKER && conf >= pol->min_confidence - VM_CONF_EPS ? VM_GATE_FAIL : VM_GATE_WARN;
        break;
    }
    if (o == VM_GATE_WARN && pol->fail_on == VM_FAIL_ON_WARNING)
        o = VM_GATE_FAIL;
    return o;
}

/* Where the result points: a component that inherits its decision or has
 * none at its name, one that sets only its platform at that; else
 * decision.paradigm, decision.platform, metadata.name, the document's first
 * line. */
static void locate(const subject *s, const vm_profile *prof, vm_gate_result *r)
{
    const vm_value *dp = &s->v->v[VM_F_DECISION_PARADIGM], *dq = &s->v->v[VM_F_DECISION_PLATFORM];
    const vm_value *name = &prof->values.v[VM_F_META_NAME];
    bool inherited = s->comp && same_pos(dp, &prof->values.v[VM_F_DECISION_PARADIGM]) &&
                     same_pos(dq, &prof->values.v[VM_F_DECISION_PLATFORM]);
    if (s->comp && (inherited || !has_decision(s->v))) {
        r->line = s->comp->line;
        r->col = s->comp->col;
    } else if (s->comp && !s->own_paradigm && s->own_platform) {
        r->line = dq->line; /* its own platform under an inherited paradigm */
        r->col = dq->col;
    } else if (dp->set) {
        r->line = dp->line;
        r->col = dp->col;
    } else if (dq->set) {
        r->line = dq->line;
        r->col = dq->col;
    } else if (name->set) {
        r->line = name->line;
        r->col = name->col;
    } else {
        r->line = prof->line;
        r->col = 1;
    }
}

/* `tied`: the platforms that share the best score of their family with the
 * recommended one (vm_result.platform_tied, vm_system.platform_tied): the
 * fixed tie order picked the recommended one, no evidence did, so
 * proposing another of them is no mismatch. */
static void find_kind(const subject *s, const vm_report *rep, uint16_t excl, uint16_t tied, vm_arena *a,
                      vm_gate_result *r, bool *oom)
{
    if (r->pp < 0 && r->pq < 0) {
        r->kind = VM_GATE_NO_DECISION;
        return;
    }
    /* a component that inherits a hybrid proposal is one side of it: the
     * inherited platform names one side, and applies to it only when it is
     * of that side's family; a platform the component sets itself is its
     * own proposal and always applies */
    bool part = s->comp && !s->own_paradigm && r->pp == VM_T_HYBRID;
    int fam = r->pq >= 0 ? vm_platform_family(r->pq) : -1;
    bool platform_applies = r->pq >= 0 && (!part || s->own_platform || fam == r->rp || r->rp == VM_T_HYBRID);
    int blocked = -1;
    if (part) {
        /* a side of a hybrid system runs VMs, containers or micro-VMs */
        if (((excl >> VM_T_VM) & 1u) && ((excl >> VM_T_CONTAINER) & 1u) && ((excl >> VM_T_MICROVM) & 1u))
            blocked = VM_T_HYBRID;
    } else if (r->pp >= 0 && ((excl >> r->pp) & 1u)) {
        blocked = r->pp;
    }
    /* what the blockers exclude: the blocked target, then the proposed
     * platform when a blocker excludes it too */
    int search[2], shown[2], ns = 0;
    if (blocked >= 0) {
        search[ns] = blocked == VM_T_HYBRID && part ? VM_T_CONTAINER : blocked;
        shown[ns++] = blocked;
    }
    if (platform_applies && ((excl >> r->pq) & 1u) && r->pq != blocked) {
        if (blocked < 0)
            blocked = r->pq;
        search[ns] = shown[ns] = r->pq;
        ns++;
    }
    bool para_ok = r->pp < 0 || r->pp == r->rp ||
                   (part && (r->rp == VM_T_VM || r->rp == VM_T_CONTAINER || r->rp == VM_T_MICROVM));
    /* a system names a platform per kind of workload: any of them matches */
    bool plat_ok = !platform_applies || r->pq == r->rq || r->pq == r->rcq || ((tied >> r->pq) & 1u) ||
                   (!s->ev && rep->ncomponents && r->pq == rep->sys.platforms[vm_platform_family(r->pq)]);
    if (blocked >= 0) {
        r->kind = VM_GATE_BLOCKER;
        r->blocked = blocked;
        find_blockers(rep, s->ev, search, shown, ns, a, r, oom);
    } else if (para_ok && plat_ok && r->rp >= 0) {
        r->kind = VM_GATE_MATCH;
    } else {
        r->kind = VM_GATE_MISMATCH;
    }
}

/* A reason for the recommendation: the rule that most favours it over the
 * proposal; for a system with components, each component's paradigm. */
static void find_reason(const subject *s, const vm_report *rep, vm_arena *a, vm_gate_result *r, bool *oom)
{
    if (r->kind == VM_GATE_BLOCKER || r->rp < 0)
        return;
    if (s->ev) {
        const vm_rule *t;
        if (r->pp >= 0 && r->pp != r->rp)
            t = top_reason(rep, s->ev, r->rp, r->pp);
        else if (r->kind == VM_GATE_MISMATCH && r->pq >= 0 && r->rq >= 0)
            t = top_reason(rep, s->ev, r->rq, r->pq);
        else
            t = s->ev->nreasons ? vm_ruleset_rule(rep->rules, s->ev->reasons[0].rule) : NULL;
        if (!t && s->ev->nreasons)
            t = vm_ruleset_rule(rep->rules, s->ev->reasons[0].rule);
        if (t) {
            r->rule = t;
            r->reason = t->title ? t->title : "";
        }
        return;
    }
    vm_buf tb;
    vm_buf_init(&tb);
    vm_buf_puts(&tb, "components: ");
    for (uint32_t i = 0; i < rep->ncomponents; i++)
        vm_buf_printf(&tb, "%s%s %s", i ? ", " : "", rep->components[i].comp->name,
                      vm_target_name(rep->components[i].ev.res.paradigm));
    char *t = tb.oom ? NULL : vm_arena_alloc(a, tb.len + 1);
    if (t) {
        memcpy(t, tb.data, tb.len);
        t[tb.len] = '\0';
        r->reason = t;
    } else if (oom) {
        *oom = true;
    }
    vm_buf_free(&tb);
}

static void judge(const subject *s, const vm_report *rep, const vm_profile *prof, const vm_gate_policy *pol,
                  vm_arena *a, vm_gate_result *r, bool *oom)
{
    memset(r, 0, sizeof *r);
    r->component = s->comp ? s->comp->name : NULL;
    r->pp = vm_report_proposed_paradigm(s->v);
    r->pq = vm_report_proposed_platform(s->v);
    uint16_t excl = 0, tied;
    if (s->ev) {
        r->rp = s->ev->res.paradigm;
        r->rq = s->ev->res.platform;
        r->rcq = s->ev->res.container_platform;
        r->rxq = -1;
        r->conf = s->ev->res.confidence;
        excl = s->ev->res.excluded;
        tied = s->ev->res.platform_tied;
    } else {
        r->rp = rep->paradigm;
        r->rq = rep->platform;
        r->rcq = rep->container_platform;
        r->rxq = rep->ncomponents ? rep->sys.extra_platform : -1;
        r->conf = rep->confidence;
        tied = rep->sys.platform_tied;
        excl = sys_excluded(rep, r->pp);
    }
    r->blocked = -1;
    r->reason = "";
    r->platform_tied = tied;
    locate(s, prof, r);
    find_kind(s, rep, excl, tied, a, r, oom);
    find_reason(s, rep, a, r, oom);
    r->outcome = vm_gate_outcome_of(r->kind, r->conf, pol);
}

size_t vm_gate_judge(const vm_report *rep, const vm_profile *p, const vm_gate_policy *pol, vm_arena *a,
                     vm_gate_result *out, bool *oom)
{
    size_t n = 0;
    bool parent = has_decision(&p->values);
    bool any = parent;
    for (uint32_t i = 0; i < p->ncomponents; i++)
        any |= has_decision(&p->components[i].values);
    if (!any || parent || p->ncomponents == 0) {
        subject s = {.v = &p->values, .ev = p->ncomponents ? NULL : &rep->main};
        judge(&s, rep, p, pol, a, &out[n++], oom);
    }
    for (uint32_t i = 0; any && i < p->ncomponents && n < VM_GATE_MAX_RESULTS; i++) {
        const vm_component *c = &p->components[i];
        subject s = {.v = &c->values, .ev = &rep->components[i].ev, .comp = c,
                     .own_paradigm = !same_pos(&c->values.v[VM_F_DECISION_PARADIGM],
                                               &p->values.v[VM_F_DECISION_PARADIGM]),
                     .own_platform = c->values.v[VM_F_DECISION_PLATFORM].set &&
                                     !same_pos(&c->values.v[VM_F_DECISION_PLATFORM],
                                               &p->values.v[VM_F_DECISION_PLATFORM])};
        judge(&s, rep, p, pol, a, &out[n++], oom);
    }
    return n;
}

const char *vm_gate_outcome_name(vm_gate_outcome o)
{
    static const char *const n[] = {"pass", "note", "warning", "fail", "error", "waived"};
    return (unsigned)o <= VM_GATE_WAIVED ? n[o] : "?";
}

const char *vm_gate_kind_name(vm_gate_kind k)
{
    static const char *const n[] = {"match", "mismatch", "blocker", "no-decision"};
    return (unsigned)k <= VM_GATE_NO_DECISION ? n[k] : "?";
}
