/* portfolio.c - `vmctr portfolio`'s aggregation (vmctr/sys/portfolio.h). */
#include "vmctr/sys/portfolio.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(VM_FIELD_COUNT <= 64, "vm_portfolio_entry.unknowns is a 64-bit mask");

vm_status vm_portfolio_entry_of(vm_arena *a, const vm_report *rep, const char *file, uint32_t doc,
                                uint32_t doc_line, vm_portfolio_entry *e)
{
    const vm_value *name = &rep->profile->values.v[VM_F_META_NAME];
    memset(e, 0, sizeof *e);
    e->doc = doc;
    e->line = name->line ? name->line : doc_line;
    e->paradigm = rep->paradigm;
    e->platform = rep->platform;
    e->cplatform = rep->container_platform;
    e->xplatform = rep->ncomponents ? rep->sys.extra_platform : -1;
    e->tied = rep->ncomponents ? rep->sys.platform_tied : rep->main.res.platform_tied;
    e->confidence = rep->confidence;
    e->ncomponents = rep->ncomponents;
    e->name = name->set ? name->u.s : "";
    e->file = file;
    /* blockers: fired rules that exclude something, once per profile */
    size_t nrules = vm_ruleset_count(rep->rules);
    uint8_t *seen = vm_arena_alloc(a, nrules ? nrules : 1);
    uint16_t *blk = vm_arena_alloc(a, (nrules ? nrules : 1) * sizeof *blk);
    if (!seen || !blk)
        return VM_EIO;
    memset(seen, 0, nrules ? nrules : 1);
    for (uint32_t k = 0; k <= rep->ncomponents; k++) {
        const vm_eval_report *ev = k == 0 ? &rep->main : &rep->components[k - 1].ev;
        for (uint32_t i = 0; i < ev->nfired; i++) {
            uint16_t ri = ev->fired[i];
            if (!seen[ri] && vm_ruleset_rule(rep->rules, ri)->excludes) {
                seen[ri] = 1;
                blk[e->nblockers++] = ri;
            }
        }
        for (uint32_t i = 0; i < ev->nunknowns; i++)
            e->unknowns |= UINT64_C(1) << ev->unknowns[i].field;
    }
    e->blockers = blk;
    return VM_OK;
}

vm_status vm_portfolio_init(vm_portfolio *p, size_t nrules, int top)
{
    memset(p, 0, sizeof *p);
    p->top = top < 1 ? 1 : top > VM_PORTFOLIO_TOP_MAX ? VM_PORTFOLIO_TOP_MAX : top;
    p->nrules = nrules;
    p->blockers = calloc(nrules ? nrules : 1, sizeof *p->blockers);
    return p->blockers ? VM_OK : VM_EIO;
}

void vm_portfolio_free(vm_portfolio *p)
{
    for (int i = 0; i < p->nlow; i++) {
        free(p->low[i].name);
        free(p->low[i].file);
    }
    free(p->blockers);
    memset(p, 0, sizeof *p);
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* least confident: keep the `top` lowest; earlier profiles win ties */
static void keep_low(vm_portfolio *p, const vm_portfolio_entry *e)
{
    bool full = p->nlow == p->top;
    if (full && !(e->confidence < p->low[p->nlow - 1].confidence - VM_CONF_EPS))
        return;
    char *name = dup(e->name), *file = dup(e->file);
    if (!name || !file) {
        free(name);
        free(file);
        p->oom = true;
        return;
    }
    int i;
    if (full) { /* the last one drops out */
        i = p->nlow - 1;
        free(p->low[i].name);
        free(p->low[i].file);
    } else {
        i = p->nlow++;
    }
    while (i > 0 && e->confidence < p->low[i - 1].confidence - VM_CONF_EPS) {
        p->low[i] = p->low[i - 1];
        i--;
    }
    p->low[i] = (vm_portfolio_low){e->confidence, e->doc, e->line, e->paradigm, e->platform, e->cplatform,
                                e->xplatform, e->tied, name, file};
}

void vm_portfolio_add(vm_portfolio *p, const vm_portfolio_entry *e)
{
    p->profiles++;
    p->components += e->ncomponents;
    p->paradigm[e->paradigm >= 0 && e->paradigm < VM_PARADIGM_COUNT ? e->paradigm : VM_PARADIGM_COUNT]++;
    if (e->platform >= 0 && e->platform < VM_TARGET_COUNT)
        p->platform[e->platform]++;
    if (e->cplatform >= 0 && e->cplatform < VM_TARGET_COUNT)
        p->platform[e->cplatform]++;
    if (e->xplatform >= 0 && e->xplatform < VM_TARGET_COUNT)
        p->platform[e->xplatform]++;
    for (uint32_t i = 0; i < e->nblockers; i++)
        if (e->blockers[i] < p->nrules)
            p->blockers[e->blockers[i]]++;
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        p->unknowns[f] += (e->unknowns >> f) & 1u;
    keep_low(p, e);
}

int vm_portfolio_rank(const uint64_t *counts, int n, int top, vm_ranked *out)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!counts[i])
            continue;
        if (k == top && counts[i] <= out[k - 1].n)
            continue;
        int j = k < top ? k++ : k - 1;
        while (j > 0 && counts[i] > out[j - 1].n) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = (vm_ranked){i, counts[i]};
    }
    return k;
}
