/*
 * rules_lint.c - checks of a loaded rule set beyond what loading enforces
 * (`vmctr rules lint`): conditions that can never hold, rules with no
 * effect, rules that fire for every profile, risks shown for every
 * recommendation, overlong rationales, and the isolation invariant
 * (rules_invariant.c). Findings are warnings; the rule set itself is not
 * changed.
 */
#include "vmctr/rules.h"
#include "vmctr/engine.h"

#include <string.h>

/* Two leaves under one ALL that can never both hold. */
static bool leaves_conflict(const vm_cond *a, const vm_cond *b)
{
    if (a->field != b->field)
        return false;
    if ((a->op == VM_OP_KNOWN && b->op == VM_OP_UNKNOWN) || (a->op == VM_OP_UNKNOWN && b->op == VM_OP_KNOWN))
        return true;
    if (a->op == VM_OP_UNKNOWN && b->op != VM_OP_UNKNOWN)
        return true;
    if (b->op == VM_OP_UNKNOWN && a->op != VM_OP_UNKNOWN)
        return true;
    uint32_t ma, mb;
    return vm_cond_values(a, &ma) && vm_cond_values(b, &mb) && (ma & mb) == 0;
}

static void lint_node(const vm_rule *rule, const vm_cond *c, vm_diags *d)
{
    if (c->op != VM_OP_ALL && c->op != VM_OP_ANY && c->op != VM_OP_NOT) {
        return;
    }
    const vm_cond *kids[256];
    int nk = 0;
    const vm_cond *k = c + 1;
    for (int i = 0; i < c->nkids; i++) {
        kids[nk++] = k;
        lint_node(rule, k, d);
        k += k->skip;
    }
    if (c->op != VM_OP_ALL)
        return;
    for (int i = 0; i < nk; i++)
        for (int j = i + 1; j < nk; j++)
            if (kids[i]->skip == 1 && kids[j]->skip == 1 && leaves_conflict(kids[i], kids[j]))
                vm_diag_add(d, VM_SEV_WARNING, rule->file, rule->line, rule->col, rule->id,
                            "condition can never hold: two tests of %s under 'all' exclude each other",
                            vm_field(kids[i]->field)->path + 5);
}

/* A field whose rules name more values than the questions try: what would
 * change a verdict is then looked for among the first ones only. */
static void lint_candidates(const vm_ruleset *rs, vm_diags *d)
{
    for (int f = 0; f < VM_FIELD_COUNT; f++) {
        bool cut = false;
        int at = -1;
        size_t n = vm_ruleset_candidates(rs, f, &cut, &at);
        if (!cut)
            continue;
        /* at the first rule whose value is left out (a rule's position,
         * as every other warning has) */
        const vm_rule *r = at >= 0 ? vm_ruleset_rule(rs, (size_t)at) : NULL;
        vm_diag_add(d, VM_SEV_WARNING, r ? r->file : "<rules>", r ? r->line : 0, r ? r->col : 0, r ? r->id : "",
                    "%s: the rules test more values than the %zu that unknowns and counterfactuals try; "
                    "a change to one of the others%s is not looked for",
                    vm_field(f)->path, n, r ? " (from this rule on)" : "");
    }
}

void vm_ruleset_lint(const vm_ruleset *rs, vm_diags *d)
{
    for (size_t i = 0; i < vm_ruleset_count(rs); i++) {
        const vm_rule *rule = vm_ruleset_rule(rs, i);
        if (rule->ncond)
            lint_node(rule, rule->cond, d);
        bool scores = false;
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            scores |= rule->scores[t] != 0;
        if (!scores && !rule->excludes && !rule->nsuggests && !rule->nrisks)
            vm_diag_add(d, VM_SEV_WARNING, rule->file, rule->line, rule->col, rule->id,
                        "rule has no effect: no scores, excludes, suggests or risks");
        if (!rule->ncond && !rule->applies_to && (scores || rule->excludes))
            vm_diag_add(d, VM_SEV_WARNING, rule->file, rule->line, rule->col, rule->id,
                        "rule has no 'when' and so fires for every profile");
        if (rule->nrisks && !rule->applies_to)
            vm_diag_add(d, VM_SEV_WARNING, rule->file, rule->line, rule->col, rule->id,
                        "rule has risks but no 'applies_to', so they are shown for every recommendation");
        if (strlen(rule->rationale) > 400)
            vm_diag_add(d, VM_SEV_WARNING, rule->file, rule->line, rule->col, rule->id,
                        "rationale longer than 400 characters: keep it to one or two sentences");
    }
    vm_ruleset_check_isolation(rs, d);
    lint_candidates(rs, d);
}
