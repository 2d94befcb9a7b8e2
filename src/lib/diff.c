/* diff.c - the diff model of two reports (see vmctr/diff.h). */
#include "vmctr/diff.h"

#include <math.h>
#include <string.h>

_Static_assert(VM_FIELD_COUNT <= 64, "vm_diff_component.fields is a 64-bit mask");

bool vm_value_equal(const vm_field_def *f, const vm_value *x, const vm_value *y)
{
    if (x->set != y->set)
        return false;
    if (!x->set)
        return true;
    switch (f->type) {
    case VM_T_BOOL: return (x->u.i != 0) == (y->u.i != 0);
    case VM_T_INT:
    case VM_T_ENUM: return x->u.i == y->u.i;
    case VM_T_ENUM_LIST: {
        uint32_t used = f->nvalues >= 32 ? UINT32_MAX : (UINT32_C(1) << f->nvalues) - 1;
        return ((x->u.mask ^ y->u.mask) & used) == 0;
    }
    case VM_T_STR_LIST:
        if (x->u.list.n != y->u.list.n)
            return false;
        for (uint32_t i = 0; i < x->u.list.n; i++)
            if (strcmp(x->u.list.items[i], y->u.list.items[i]) != 0)
                return false;
        return true;
    case VM_T_STR_MAP:
        if (x->u.map.n != y->u.map.n)
            return false;
        for (uint32_t i = 0; i < x->u.map.n; i++)
            if (strcmp(x->u.map.keys[i], y->u.map.keys[i]) != 0 || strcmp(x->u.map.vals[i], y->u.map.vals[i]) != 0)
                return false;
        return true;
    case VM_T_STR:
    case VM_T_NAME: return strcmp(x->u.s, y->u.s) == 0;
    }
    return false;
}

static bool fired_in(const vm_eval_report *ev, uint16_t rule)
{
    for (uint32_t i = 0; i < ev->nfired; i++)
        if (ev->fired[i] == rule)
            return true;
    return false;
}

static bool effects_differ(const vm_rule *r, const vm_eval_report *x, const vm_eval_report *y)
{
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        if (fabs(r->scores[t] * x->factor[r->category] - r->scores[t] * y->factor[r->category]) > VM_SCORE_EPS)
            return true;
    return false;
}

static const vm_component_report *find_component(const vm_report *r, const char *name)
{
    for (uint32_t i = 0; i < r->ncomponents; i++)
        if (strcmp(r->components[i].comp->name, name) == 0)
            return &r->components[i];
    return NULL;
}

static vm_status rules_diff(vm_arena *a, const vm_ruleset *rs, const vm_eval_report *ea, const vm_eval_report *eb,
                            vm_diff *d)
{
    size_t n = vm_ruleset_count(rs);
    d->rules = vm_arena_alloc(a, (n ? n : 1) * sizeof *d->rules);
    if (!d->rules)
        return VM_EIO;
    /* rule-set order; removed and added interleave by that order */
    for (size_t i = 0; i < n; i++) {
        bool ia = fired_in(ea, (uint16_t)i), ib = fired_in(eb, (uint16_t)i);
        char k = 0;
        if (ia && !ib)
            k = VM_DIFF_REMOVED, d->nremoved++;
        else if (!ia && ib)
            k = VM_DIFF_ADDED, d->nadded++;
        else if (ia && ib && effects_differ(vm_ruleset_rule(rs, i), ea, eb))
            k = VM_DIFF_CHANGED, d->nchanged++;
        if (k)
            d->rules[d->nrules++] = (vm_diff_rule){(uint16_t)i, k};
    }
    return VM_OK;
}

static void component_pair(vm_diff_component *c)
{
    if (!c->a || !c->b)
        return;
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if (!vm_value_equal(vm_field(f), &c->a->comp->values.v[f], &c->b->comp->values.v[f]))
            c->fields |= UINT64_C(1) << f;
    const vm_result *o = &c->a->ev.res, *n = &c->b->ev.res;
    c->changed = o->paradigm != n->paradigm || o->platform != n->platform ||
                 o->container_platform != n->container_platform || !(fabs(o->confidence - n->confidence) < 0.005) || c->fields != 0;
}

static vm_status components_diff(vm_arena *a, const vm_report *ra, const vm_report *rb, vm_diff *d)
{
    size_t cap = (size_t)ra->ncomponents + rb->ncomponents;
    d->components = vm_arena_alloc(a, (cap ? cap : 1) * sizeof *d->components);
    if (!d->components)
        return VM_EIO;
    for (uint32_t i = 0; i < ra->ncomponents; i++) {
        vm_diff_component *c = &d->components[d->ncomponents++];
        *c = (vm_diff_component){.a = &ra->components[i], .b = find_component(rb, ra->components[i].comp->name)};
        component_pair(c);
    }
    for (uint32_t i = 0; i < rb->ncomponents; i++)
        if (!find_component(ra, rb->components[i].comp->name))
            d->components[d->ncomponents++] = (vm_diff_component){.b = &rb->components[i]};
    return VM_OK;
}

/* A system's micro-VM platform beside its VMs, else -1. */
static int extra_of(const vm_report *r) { return r->ncomponents ? r->sys.extra_platform : -1; }

vm_status vm_diff_compute(vm_arena *a, const vm_ruleset *rs, const vm_report *ra, const vm_report *rb, vm_diff *out)
{
    memset(out, 0, sizeof *out);
    const vm_values *va = &ra->profile->values, *vb = &rb->profile->values;
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if (!vm_value_equal(vm_field(f), &va->v[f], &vb->v[f]))
            out->fields[out->nfields++] = f;
    out->extra_a = extra_of(ra);
    out->extra_b = extra_of(rb);
    /* the paradigm and every platform it names (a system's micro-VM part too) */
    out->rec_changed = ra->paradigm != rb->paradigm || ra->platform != rb->platform ||
                       ra->container_platform != rb->container_platform || out->extra_a != out->extra_b;
    if (rules_diff(a, rs, &ra->main, &rb->main, out) != VM_OK || components_diff(a, ra, rb, out) != VM_OK)
        return VM_EIO;
    return VM_OK;
}
