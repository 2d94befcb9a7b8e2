/*
 * report_markdown.c - the report as an Architecture Decision Record in
 * Michael Nygard's form, ready to drop into an adr/ folder:
 *
 *   # N. Run <name> as <verdict>      (N with --adr-number)
 *   Date: YYYY-MM-DD                  (only with --date: output stays
 *                                      byte-identical otherwise)
 *   ## Status        Proposed, or --status
 *   ## Context       a prose summary of the decisive facts (the fields
 *                    behind the leading reasons and the blockers), what is
 *                    still open, the full field table folded under it
 *   ## Decision      the verdict, confidence, scores, the rules that moved
 *                    the margin (the rest folded), blockers
 *   ## Consequences  positive (the reasons for it), negative (the risks of
 *                    the platform, the rules that favoured the runner-up),
 *                    the companion toolchain, the priority sensitivity and
 *                    what would change the decision
 *
 * Components and --what-if follow. Profile text is escaped so that it
 * cannot break a table or inject markup.
 */
#include "util/escape.h"
#include "vmctr/report.h"
#include "report_fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Profile and rule text, file names: the Markdown neutraliser (escape.h)
 * escapes inline markup, '|' (so it is safe in a table cell), block markers
 * at the start of a line and control characters; newlines become spaces. */
static void md(vm_buf *b, const char *s) { vm_esc_mds(b, s); }

/* true when s can stand in a code span as it is: printable ASCII, no '`',
 * no "##[" or "##vso[" (a CI log command marker, escape.h: md() escapes
 * its '[') */
static bool code_safe(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F || *s == '`' ||
            (*s == '#' && vm_esc_ci_marker(s, strnlen(s, 6))))
            return false;
    return true;
}

/* `code`: field paths and ids ([a-z0-9._-]) need no escaping */
static void code(vm_buf *b, const char *s)
{
    vm_buf_putc(b, '`');
    vm_buf_puts(b, s);
    vm_buf_putc(b, '`');
}

static void value(vm_buf *b, int field, const vm_value *v)
{
    char vb[1024];
    md(b, vm_value_text(vm_field(field), v, vb, sizeof vb));
}

static void verdict_x(vm_buf *b, int paradigm, int platform, int cplat, int extra);

static void verdict(vm_buf *b, int paradigm, int platform, int cplat)
{
    verdict_x(b, paradigm, platform, cplat, -1);
}

/* extra: a system's micro-VM platform beside its VMs */
static void verdict_x(vm_buf *b, int paradigm, int platform, int cplat, int extra)
{
    rf_verdict(b, "no paradigm (every one is ruled out)", paradigm, platform, cplat, extra);
}

static void because(vm_buf *b, const vm_rule *rule, const vm_values *v)
{
    int fields[VM_FIELD_COUNT];
    size_t n = vm_report_because(rule, v, fields, VM_FIELD_COUNT);
    for (size_t i = 0; i < n; i++) {
        const vm_value *x = &v->v[fields[i]];
        if (i)
            vm_buf_puts(b, "; ");
        code(b, vm_field(fields[i])->path);
        if (!x->set) {
            vm_buf_puts(b, " is unknown");
            continue;
        }
        vm_buf_puts(b, " = ");
        value(b, fields[i], x);
        if (x->line)
            vm_buf_printf(b, " (line %u)", x->line);
        else
            vm_buf_puts(b, " (--what-if)");
    }
    if (!n)
        vm_buf_puts(b, "always");
}

static void score_table(vm_buf *b, const vm_result *res, bool platforms, int chosen, int chosen2)
{
    vm_buf_puts(b, platforms ? "| platform | score | |\n|---|---:|---|\n" : "| paradigm | score | |\n|---|---:|---|\n");
    int n = platforms ? VM_TARGET_COUNT - VM_FIRST_PLATFORM : VM_PARADIGM_COUNT;
    for (int i = 0; i < n; i++) {
        int t = platforms ? VM_FIRST_PLATFORM + i : vm_paradigm_spec_order[i];
        vm_buf_puts(b, "| ");
        vm_buf_puts(b, vm_target_name(t));
        vm_buf_puts(b, " | ");
        rf_num(b, res->score[t]);
        vm_buf_puts(b, " | ");
        if ((res->excluded >> t) & 1u)
            vm_buf_puts(b, "ruled out");
        else if (t == chosen || t == chosen2)
            vm_buf_puts(b, "**chosen**");
        vm_buf_puts(b, " |\n");
    }
    vm_buf_putc(b, '\n');
}

static void reason_row(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const vm_reason *x)
{
    const vm_rule *rule = vm_ruleset_rule(r->rules, x->rule);
    double k = ev->factor[rule->category];
    vm_buf_puts(b, "| ");
    md(b, rule->title);
    vm_buf_puts(b, " (");
    code(b, rule->id);
    vm_buf_puts(b, ") | ");
    vm_buf_puts(b, vm_category_name(rule->category));
    vm_buf_puts(b, " | ");
    rf_signed_num(b, x->contribution);
    vm_buf_puts(b, " | ");
    bool first = true;
    for (int t = 0; t < VM_TARGET_COUNT; t++) {
        if (rule->scores[t] == 0)
            continue;
        if (!first)
            vm_buf_puts(b, ", ");
        first = false;
        vm_buf_puts(b, vm_target_name(t));
        vm_buf_putc(b, ' ');
        rf_signed_num(b, rule->scores[t] * k);
    }
    vm_buf_puts(b, " | ");
    md(b, rule->reference);
    vm_buf_puts(b, " | ");
    because(b, rule, ev->values);
    vm_buf_puts(b, " |\n");
}

/* The rows of the rules that moved the margin, or of those that did not. */
static void reason_rows(vm_buf *b, const vm_report *r, const vm_eval_report *ev, bool moved)
{
    for (uint32_t i = 0; i < ev->nreasons; i++)
        if ((fabs(ev->reasons[i].contribution) >= VM_SCORE_EPS) == moved)
            reason_row(b, r, ev, &ev->reasons[i]);
}

#define RATIONALE_HEAD "| rule | category | contribution | effects | reference | because |\n|---|---|---:|---|---|---|\n"

static void rationale(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    vm_buf_printf(b, "%s Rationale\n\n", h);
    if (r->ncomponents && ev == &r->main)
        vm_buf_puts(b, "This and the following system-level sections evaluate the fields shared by all components; "
                       "each component's own evaluation is under Components.\n\n");
    if (!ev->nreasons) {
        vm_buf_puts(b, "No scoring rule fired.\n\n");
        return;
    }
    uint32_t nzero = 0;
    for (uint32_t i = 0; i < ev->nreasons; i++)
        nzero += fabs(ev->reasons[i].contribution) < VM_SCORE_EPS;
    vm_buf_puts(b, "Fired rules by their contribution to the margin over the runner-up (weight × the category's "
                   "priority / 3).\n\n");
    if (nzero < ev->nreasons) {
        vm_buf_puts(b, RATIONALE_HEAD);
        reason_rows(b, r, ev, true);
        vm_buf_putc(b, '\n');
    }
    if (nzero) {
        vm_buf_printf(b, "<details><summary>%u more rule%s fired without moving the margin</summary>\n\n", nzero,
                      nzero == 1 ? "" : "s");
        vm_buf_puts(b, RATIONALE_HEAD);
        reason_rows(b, r, ev, false);
        vm_buf_puts(b, "\n</details>\n\n");
    }
}

static void blockers(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    vm_buf_printf(b, "%s Blockers\n\n", h);
    bool any = false;
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *rule = vm_ruleset_rule(r->rules, ev->fired[i]);
        if (!rule->excludes)
            continue;
        any = true;
        vm_buf_puts(b, "- **Ruled out: ");
        rf_targets(b, rule->excludes);
        vm_buf_puts(b, "** by ");
        code(b, rule->id);
        vm_buf_puts(b, ". ");
        md(b, rule->rationale);
        vm_buf_puts(b, " Because ");
        because(b, rule, ev->values);
        vm_buf_puts(b, ". *");
        md(b, rule->reference);
        vm_buf_puts(b, "*\n");
    }
    vm_buf_puts(b, any ? "\n" : "Nothing was ruled out.\n\n");
}

static void counterfactuals(vm_buf *b, const vm_eval_report *ev, const char *h);

/* The sub-heading "H# TITLE" before the first item of a list; counts the
 * items in *n. */
static void subheading_once(vm_buf *b, uint32_t *n, const char *h, const char *title)
{
    if (!(*n)++)
        vm_buf_printf(b, "%s# %s\n\n", h, title);
}

/* A list item: a risk or suggestion of the rule, then the rule's reference. */
static void item_ref(vm_buf *b, const char *text, const vm_rule *rule)
{
    vm_buf_puts(b, "- ");
    md(b, text);
    vm_buf_puts(b, " (");
    md(b, rule->reference);
    vm_buf_puts(b, ")\n");
}

static void consequences(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    vm_buf_printf(b, "%s Consequences\n\n", h);
    /* positive: what the chosen option brings, from the reasons for it */
    uint32_t npos = 0;
    for (uint32_t i = 0; i < ev->nreasons && npos < 6; i++) {
        const vm_reason *x = &ev->reasons[i];
        if (x->contribution < VM_SCORE_EPS)
            continue;
        const vm_rule *rule = vm_ruleset_rule(r->rules, x->rule);
        subheading_once(b, &npos, h, "Positive");
        vm_buf_puts(b, "- **");
        md(b, rule->title);
        vm_buf_puts(b, ".** ");
        md(b, rule->rationale);
        vm_buf_putc(b, '\n');
    }
    if (npos)
        vm_buf_putc(b, '\n');
    /* negative: the risks of the platform and what favoured the runner-up */
    uint32_t nneg = 0;
    for (uint32_t i = 0; i < ev->nrisks; i++) {
        const vm_rule *rule = vm_ruleset_rule(r->rules, ev->risks[i].rule);
        subheading_once(b, &nneg, h, "Negative");
        item_ref(b, rule->risks[ev->risks[i].index], rule);
    }
    for (uint32_t i = 0; i < ev->nreasons; i++) {
        const vm_reason *x = &ev->reasons[i];
        if (x->contribution > -VM_SCORE_EPS)
            continue;
        const vm_rule *rule = vm_ruleset_rule(r->rules, x->rule);
        subheading_once(b, &nneg, h, "Negative");
        vm_buf_puts(b, "- We give up what favoured ");
        vm_buf_puts(b, ev->res.runner_up >= 0 ? vm_target_name(ev->res.runner_up) : "the alternatives");
        vm_buf_puts(b, ": ");
        md(b, rule->title);
        vm_buf_puts(b, " (");
        rf_signed_num(b, x->contribution);
        vm_buf_puts(b, ").\n");
    }
    if (nneg)
        vm_buf_putc(b, '\n');
    if (ev->nsuggestions)
        vm_buf_printf(b, "%s# Companion toolchain\n\n", h);
    for (int tp = 0; tp < VM_REPORT_TOPIC_COUNT; tp++) {
        bool shown = false;
        for (uint32_t i = 0; i < ev->nsuggestions; i++) {
            if (ev->suggestions[i].topic != tp)
                continue;
            const vm_rule *rule = vm_ruleset_rule(r->rules, ev->suggestions[i].rule);
            if (!shown)
                vm_buf_printf(b, "**%s**\n\n", vm_report_topic_titles[tp]);
            shown = true;
            item_ref(b, rule->suggests[ev->suggestions[i].index].text, rule);
        }
        if (shown)
            vm_buf_putc(b, '\n');
    }
    counterfactuals(b, ev, h); /* and the priority sensitivity */
}

/* Per category whose priority can change the verdict: the range that keeps
 * it and what the other priorities give, in runs of equal verdicts; then
 * the categories whose every priority keeps it. */
static void sensitivity(vm_buf *b, const vm_eval_report *ev, const char *h)
{
    if (!ev->has_sensitivity)
        return;
    vm_buf_printf(b, "%s# Priority sensitivity\n\n", h);
    int steady = 0;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const vm_sensitivity *x = &ev->sensitivity[c];
        if (!vm_sensitivity_changes(x)) {
            steady++;
            continue;
        }
        vm_buf_puts(b, "- ");
        code(b, vm_field(VM_F_PRIORITIES_WORKLOAD + c)->path);
        vm_buf_printf(b, " (now %d): holds at %d..%d", x->priority, x->holds_from, x->holds_to);
        for (int q = 0; q <= VM_PRIORITY_MAX;) {
            int e = q;
            while (e < VM_PRIORITY_MAX && vm_sensitivity_same(x, e + 1, q))
                e++;
            if (!vm_sensitivity_same(x, q, x->priority)) {
                vm_buf_printf(b, e > q ? "; at %d..%d: " : "; at %d: ", q, e);
                verdict_x(b, x->paradigm[q], x->platform[q], x->container_platform[q], x->extra_platform[q]);
            }
            q = e + 1;
        }
        vm_buf_puts(b, ".\n");
    }
    if (steady == VM_CAT_COUNT) {
        vm_buf_puts(b, "- Every priority 0..5 of every category keeps the recommendation (everything else held).\n");
    } else if (steady) {
        vm_buf_puts(b, "- Every priority 0..5 of ");
        int k = 0;
        for (int c = 0; c < VM_CAT_COUNT; c++) {
            if (vm_sensitivity_changes(&ev->sensitivity[c]))
                continue;
            vm_buf_puts(b, k == 0 ? "" : k == steady - 1 ? " and " : ", ");
            vm_buf_puts(b, vm_category_name(c));
            k++;
        }
        vm_buf_puts(b, " keeps the recommendation (everything else held).\n");
    }
    vm_buf_putc(b, '\n');
}

/* What would change the verdict: single fields, then priorities. */
static void counterfactuals(vm_buf *b, const vm_eval_report *ev, const char *h)
{
    if (ev->ncf) {
        vm_buf_printf(b, "%s# This decision would change if\n\n", h);
        for (uint32_t i = 0; i < ev->ncf; i++) {
            const vm_variation *c = &ev->cf[i];
            vm_buf_puts(b, "- ");
            code(b, vm_field(c->field)->path);
            vm_buf_puts(b, " were ");
            value(b, c->field, &c->value);
            vm_buf_puts(b, " (now ");
            value(b, c->field, &ev->values->v[c->field]);
            vm_buf_puts(b, "): vmctr would recommend ");
            verdict_x(b, c->paradigm, c->platform, c->container_platform, c->extra_platform);
            char tie[160];
            vm_buf_puts(b, vm_variation_tie_note(c, tie, sizeof tie));
            vm_buf_puts(b, ".\n");
        }
        vm_buf_putc(b, '\n');
    }
    sensitivity(b, ev, h);
}

static void unknowns(vm_buf *b, const vm_eval_report *ev)
{
    if (!ev->nunknowns)
        return;
    vm_buf_puts(b, "Not yet answered, ranked by how far an answer could move the margin (answer these next):\n\n");
    vm_buf_puts(b, "| field | could change the paradigm | swing | for example |\n|---|---|---:|---|\n");
    for (uint32_t i = 0; i < ev->nunknowns; i++) {
        const vm_variation *u = &ev->unknowns[i];
        vm_buf_puts(b, "| ");
        code(b, vm_field(u->field)->path);
        vm_buf_puts(b, u->flips ? " | **yes** | " : " | no | ");
        rf_num(b, u->swing);
        vm_buf_puts(b, " | ");
        value(b, u->field, &u->value);
        vm_buf_puts(b, " → ");
        vm_buf_puts(b, vm_target_name(u->paradigm));
        vm_buf_puts(b, " |\n");
    }
    vm_buf_putc(b, '\n');
}

static void decision_lines(vm_buf *b, int paradigm, int platform, int cplat, int extra, double confidence, int runner,
                           const vm_result *res, bool margin)
{
    vm_buf_puts(b, "- Recommendation: **");
    verdict_x(b, paradigm, platform, cplat, extra);
    vm_buf_puts(b, "**\n- Confidence: ");
    rf_conf(b, confidence);
    if (margin && runner >= 0) {
        vm_buf_puts(b, " (margin ");
        rf_num(b, res->margin);
        vm_buf_puts(b, " over the runner-up)");
    }
    vm_buf_puts(b, "\n- Runner-up: ");
    vm_buf_puts(b, runner >= 0 ? vm_target_name(runner)
                   : margin    ? "none (every other paradigm is ruled out)"
                               : "none (a system: see the components)");
    vm_buf_putc(b, '\n');
}

/* What the verdict cannot claim: too little evidence, a platform tie. */
static void verdict_notes(vm_buf *b, const vm_verdict *v)
{
    char ties[200];
    if (v->paradigm >= 0 && v->evidence < VM_MIN_EVIDENCE)
        vm_buf_puts(b, "- **Too little to decide:** no known field bears on the paradigm; the recommendation is "
                       "only the fixed tie order\n");
    if (v->platform_tied)
        vm_buf_printf(b, "- **Platform tie:** %s score the same and nothing in the profile separates them; the first "
                         "is shown by fixed order, not chosen on evidence\n",
                      vm_report_ties_text(v->platform_tied, ties, sizeof ties));
}

/* Rationale and blockers belong to the decision (one level down), the
 * consequences are a section of their own. */
static void evaluation(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    char sub[8];
    snprintf(sub, sizeof sub, "%s#", h);
    rationale(b, r, ev, sub);
    blockers(b, r, ev, sub);
    consequences(b, r, ev, h);
}

/* The fields behind the leading reasons and the blockers, in that order,
 * each once: what decided it. */
static size_t decisive(const vm_report *r, const vm_eval_report *ev, int *out, size_t cap)
{
    size_t n = 0;
    bool seen[VM_FIELD_COUNT] = {false};
    int fields[VM_FIELD_COUNT];
    for (int pass = 0; pass < 2; pass++) {
        uint32_t used = 0;
        uint32_t lim = pass ? ev->nfired : ev->nreasons;
        for (uint32_t i = 0; i < lim && n < cap; i++) {
            const vm_rule *rule;
            if (pass == 0) {
                if (ev->reasons[i].contribution < VM_SCORE_EPS || used >= 4)
                    continue;
                used++;
                rule = vm_ruleset_rule(r->rules, ev->reasons[i].rule);
            } else {
                rule = vm_ruleset_rule(r->rules, ev->fired[i]);
                if (!rule->excludes)
                    continue;
            }
            size_t k = vm_report_because(rule, ev->values, fields, VM_FIELD_COUNT);
            for (size_t f = 0; f < k && n < cap; f++)
                if (!seen[fields[f]] && ev->values->v[fields[f]].set) {
                    seen[fields[f]] = true;
                    out[n++] = fields[f];
                }
        }
    }
    return n;
}

static void context(vm_buf *b, const vm_report *r)
{
    const vm_profile *p = r->profile;
    const vm_values *v = &p->values;
    const vm_value *name = &v->v[VM_F_META_NAME];
    vm_buf_puts(b, "## Context\n\n");
    if (v->v[VM_F_META_DESCRIPTION].set) {
        md(b, v->v[VM_F_META_DESCRIPTION].u.s);
        vm_buf_puts(b, "\n\n");
    }
    vm_buf_puts(b, "**");
    md(b, name->set ? name->u.s : "(unnamed)");
    vm_buf_puts(b, "** is described in ");
    if (!code_safe(p->file))
        md(b, p->file);
    else
        code(b, p->file);
    vm_buf_printf(b, " (document %u, line %u)", p->doc_index + 1, p->line);
    if (v->v[VM_F_META_OWNER].set) {
        vm_buf_puts(b, ", owned by ");
        md(b, v->v[VM_F_META_OWNER].u.s);
    }
    vm_buf_puts(b, ".");
    if (r->ncomponents)
        vm_buf_printf(b, " It is a system of %u components, each evaluated on its own (see Components).",
                      r->ncomponents);
    int dec[VM_FIELD_COUNT];
    size_t nd = decisive(r, &r->main, dec, 12);
    if (nd) {
        vm_buf_puts(b, " The facts that decide it: ");
        for (size_t i = 0; i < nd; i++) {
            if (i)
                vm_buf_puts(b, i + 1 == nd ? " and " : ", ");
            code(b, vm_field(dec[i])->path);
            vm_buf_puts(b, " is ");
            value(b, dec[i], &v->v[dec[i]]);
            if (v->v[dec[i]].line)
                vm_buf_printf(b, " (line %u)", v->v[dec[i]].line);
        }
        vm_buf_putc(b, '.');
    }
    unsigned absent = 0, open_flips = 0;
    uint64_t everywhere = ~UINT64_C(0); /* fields every component sets: not a system question */
    for (uint32_t i = 0; i < r->ncomponents; i++)
        everywhere &= r->components[i].comp->own;
    if (!r->ncomponents)
        everywhere = 0;
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if (vm_field(f)->category >= 0 && !v->v[f].set && !((everywhere >> f) & 1u))
            absent++;
    for (uint32_t i = 0; i < r->main.nunknowns; i++)
        open_flips += r->main.unknowns[i].flips;
    if (absent) {
        vm_buf_printf(b, " %u question%s %s unanswered%s", absent, absent == 1 ? "" : "s", absent == 1 ? "is" : "are",
                      r->ncomponents ? " at the system level" : "");
        if (open_flips) {
            vm_buf_puts(b, "; answering ");
            uint32_t k = 0;
            for (uint32_t i = 0; i < r->main.nunknowns; i++) {
                if (!r->main.unknowns[i].flips)
                    continue;
                if (k)
                    vm_buf_puts(b, k + 1 == open_flips ? " or " : ", ");
                k++;
                code(b, vm_field(r->main.unknowns[i].field)->path);
            }
            vm_buf_puts(b, " could change the decision.");
        } else {
            vm_buf_puts(b, "; none of them could change the decision on its own.");
        }
    }
    int pp = vm_report_proposed_paradigm(v), pf = vm_report_proposed_platform(v);
    if (pp >= 0 || pf >= 0) {
        vm_buf_puts(b, " The profile proposes ");
        vm_buf_puts(b, pp >= 0 ? vm_target_name(pp) : "any paradigm");
        if (pf >= 0) {
            vm_buf_puts(b, " on ");
            vm_buf_puts(b, vm_target_name(pf));
        }
        vm_buf_putc(b, '.');
    }
    vm_buf_puts(b, "\n\n");
    /* everything else, folded */
    unsigned nset = 0;
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        nset += v->v[f].set && f != VM_F_META_NAME && f != VM_F_META_OWNER && f != VM_F_META_DESCRIPTION;
    if (nset) {
        vm_buf_printf(b, "<details><summary>Every field the profile states (%u)</summary>\n\n"
                         "| field | value | line |\n|---|---|---:|\n",
                      nset);
        for (int f = 0; f < VM_FIELD_COUNT; f++) {
            if (!v->v[f].set || f == VM_F_META_NAME || f == VM_F_META_OWNER || f == VM_F_META_DESCRIPTION)
                continue;
            vm_buf_puts(b, "| ");
            code(b, vm_field(f)->path);
            vm_buf_puts(b, " | ");
            value(b, f, &v->v[f]);
            vm_buf_printf(b, " | %u |\n", v->v[f].line);
        }
        vm_buf_puts(b, "\n</details>\n\n");
    } else {
        vm_buf_puts(b, "The profile states no field of its own.\n\n");
    }
    unknowns(b, &r->main);
}

static void component(vm_buf *b, const vm_report *r, const vm_component_report *c)
{
    const vm_result *res = &c->ev.res;
    vm_buf_puts(b, "### Component ");
    md(b, c->comp->name);
    vm_buf_printf(b, "\n\nDefined at line %u.\n\n", c->comp->line);
    decision_lines(b, res->paradigm, res->platform, res->container_platform, -1, res->confidence, res->runner_up, res,
                   true);
    vm_verdict cv;
    vm_eval_verdict(&c->ev, &cv);
    verdict_notes(b, &cv);
    vm_buf_putc(b, '\n');
    score_table(b, res, false, res->paradigm, -1);
    rationale(b, r, &c->ev, "####");
    blockers(b, r, &c->ev, "####");
    consequences(b, r, &c->ev, "####");
    unknowns(b, &c->ev);
}

static void what_if(vm_buf *b, const vm_report *r)
{
    const vm_report *w = r->what_if;
    vm_buf_puts(b, "### What if\n\nWith ");
    for (uint32_t i = 0; i < r->nwhat_if; i++) {
        if (i)
            vm_buf_puts(b, ", ");
        md(b, r->what_if_set[i]);
    }
    vm_buf_puts(b, ":\n\n| | now | what if |\n|---|---|---|\n| recommendation | ");
    vm_verdict vr, vw;
    vm_report_verdict(r, &vr);
    vm_report_verdict(w, &vw);
    char tie[160];
    verdict_x(b, vr.paradigm, vr.platform, vr.container_platform, vr.extra_platform);
    vm_buf_puts(b, vm_verdict_tie_note(&vr, tie, sizeof tie));
    vm_buf_puts(b, " | ");
    verdict_x(b, vw.paradigm, vw.platform, vw.container_platform, vw.extra_platform);
    vm_buf_puts(b, vm_verdict_tie_note(&vw, tie, sizeof tie));
    vm_buf_puts(b, " |\n| confidence | ");
    rf_conf(b, r->confidence);
    vm_buf_puts(b, " | ");
    rf_conf(b, w->confidence);
    vm_buf_puts(b, " |\n| runner-up | ");
    vm_buf_puts(b, vm_target_name(r->runner_up));
    vm_buf_puts(b, " | ");
    vm_buf_puts(b, vm_target_name(w->runner_up));
    vm_buf_puts(b, " |\n");
    for (int i = 0; i < VM_PARADIGM_COUNT && !r->ncomponents; i++) {
        int t = vm_paradigm_spec_order[i];
        vm_buf_printf(b, "| score: %s | ", vm_target_name(t));
        rf_num(b, r->main.res.score[t]);
        vm_buf_puts(b, " | ");
        rf_num(b, w->main.res.score[t]);
        double d = w->main.res.score[t] - r->main.res.score[t];
        if (fabs(d) > VM_SCORE_EPS) {
            vm_buf_puts(b, " (");
            rf_signed_num(b, d);
            vm_buf_putc(b, ')');
        }
        vm_buf_puts(b, " |\n");
    }
    for (uint32_t i = 0; i < r->ncomponents && i < w->ncomponents; i++) {
        const vm_result *o = &r->components[i].ev.res, *n = &w->components[i].ev.res;
        vm_buf_puts(b, "| component ");
        md(b, r->components[i].comp->name);
        vm_buf_puts(b, " | ");
        verdict(b, o->paradigm, o->platform, o->container_platform);
        vm_buf_puts(b, " | ");
        verdict(b, n->paradigm, n->platform, n->container_platform);
        vm_buf_puts(b, " |\n");
    }
    vm_buf_puts(b, "\n");
}

void vm_render_markdown(const vm_report *r, vm_buf *b) { vm_render_adr(r, NULL, b); }

void vm_render_adr(const vm_report *r, const vm_adr_opts *o, vm_buf *b)
{
    const vm_profile *p = r->profile;
    const vm_value *name = &p->values.v[VM_F_META_NAME];
    bool comps = r->ncomponents > 0;

    vm_verdict vd;
    vm_report_verdict(r, &vd);
    int pp = vm_report_proposed_paradigm(&p->values), pf = vm_report_proposed_platform(&p->values);
    bool accepted = pp >= 0 && vm_report_proposal_matches(pp, pf, r->paradigm, r->platform, r->container_platform,
                                                          vd.extra_platform);

    vm_buf_puts(b, "# ");
    if (o && o->number)
        vm_buf_printf(b, "%u. ", o->number);
    vm_buf_puts(b, "Run ");
    md(b, name->set ? name->u.s : "(unnamed)");
    vm_buf_puts(b, " as ");
    verdict_x(b, vd.paradigm, vd.platform, vd.container_platform, vd.extra_platform);
    vm_buf_puts(b, "\n\n");
    if (o && o->date)
        vm_buf_printf(b, "Date: %s\n\n", o->date);
    vm_buf_puts(b, "## Status\n\n");
    if (o && o->status)
        md(b, o->status);
    else
        vm_buf_puts(b, "Proposed");
    vm_buf_puts(b, "\n\n");

    context(b, r);

    vm_buf_puts(b, "## Decision\n\n");
    vm_buf_puts(b, comps ? "The system will run as **" : "We will run this workload as **");
    verdict_x(b, vd.paradigm, vd.platform, vd.container_platform, vd.extra_platform);
    vm_buf_puts(b, "**");
    if (r->paradigm == VM_T_HYBRID && r->platform >= 0 && r->container_platform >= 0 &&
        vm_platform_family(r->platform) == VM_T_VM)
        vm_buf_printf(b, ": virtual machines on %s as the foundation, with %s for the containerised parts",
                      vm_target_name(r->platform), vm_target_name(r->container_platform));
    vm_buf_puts(b, ".\n\n");
    decision_lines(b, r->paradigm, r->platform, r->container_platform, vd.extra_platform, r->confidence,
                   r->runner_up, &r->main.res, !comps);
    verdict_notes(b, &vd);
    if (pp >= 0 || pf >= 0) {
        vm_buf_puts(b, "- Proposed in the profile: ");
        vm_buf_puts(b, pp >= 0 ? vm_target_name(pp) : "any paradigm");
        if (pf >= 0) {
            vm_buf_puts(b, " on ");
            vm_buf_puts(b, vm_target_name(pf));
        }
        vm_buf_puts(b, accepted ? " (matches the recommendation)\n" : " (differs from the recommendation)\n");
    }
    if (comps) {
        vm_buf_puts(b, "- Components: ");
        for (uint32_t i = 0; i < r->ncomponents; i++) {
            if (i)
                vm_buf_puts(b, ", ");
            md(b, r->components[i].comp->name);
            vm_buf_puts(b, " → ");
            verdict(b, r->components[i].ev.res.paradigm, r->components[i].ev.res.platform,
                    r->components[i].ev.res.container_platform);
        }
        vm_buf_puts(b, r->paradigm == VM_T_HYBRID ? " (their paradigms differ, so the system is hybrid)\n"
                                                   : " (they agree)\n");
    }
    vm_buf_putc(b, '\n');
    if (!comps) {
        score_table(b, &r->main.res, false, r->paradigm, -1);
        score_table(b, &r->main.res, true, r->main.res.platform, r->main.res.container_platform);
    }

    if (r->what_if)
        what_if(b, r);

    if (comps)
        counterfactuals(b, &r->main, "##"); /* the system's; each component's evaluation follows */
    else
        evaluation(b, r, &r->main, "##");

    if (comps) {
        vm_buf_puts(b, "## Components\n\n");
        for (uint32_t i = 0; i < r->ncomponents; i++)
            component(b, r, &r->components[i]);
    }
    vm_buf_printf(b, "---\n\n*Generated by vmctr %s with %zu rules (%s); regenerate rather than edit the "
                     "generated sections.*\n",
                  VMCTR_VERSION, vm_ruleset_count(r->rules), vm_ruleset_digest(r->rules));
}
