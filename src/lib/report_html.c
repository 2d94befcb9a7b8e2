/*
 * report_html.c - the report as one self-contained HTML5 page.
 *
 * No fonts or external assets and no script the page needs: the page works
 * offline, can be mailed or attached to a ticket, reads on a phone and
 * prints cleanly (the page frame and stylesheet are html_page.c's, shared
 * with portfolio). The one inline script, for a single workload, drives
 * the optional priority sliders (see sliders()).
 * Charts are inline SVG with a number on every bar and a labelled axis: the
 * paradigm and platform scores around a zero axis (scores can be negative),
 * each category's contribution to each paradigm, and the priority
 * sensitivity (the verdict at every priority 0..5 of every category).
 * Rules that did not move the margin are folded into a <details>. Every
 * piece of text from a profile or a rule passes through vm_buf_xml. Element
 * ids are not used, so many reports can be concatenated without clashes.
 */
#include "vmctr/report.h"
#include "report_fmt.h"
#include "util/buf.h"
#include "util/fmath.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void x(vm_buf *b, const char *s) { vm_buf_xml(b, s); }
static void verdict_x(vm_buf *b, int paradigm, int platform, int cplat, int extra);

static void verdict(vm_buf *b, int paradigm, int platform, int cplat)
{
    verdict_x(b, paradigm, platform, cplat, -1);
}

/* extra: a system's micro-VM platform beside its VMs */
static void verdict_x(vm_buf *b, int paradigm, int platform, int cplat, int extra)
{
    rf_verdict(b, "none (every paradigm is ruled out)", paradigm, platform, cplat, extra);
}

static void sens_verdict(vm_buf *b, const vm_sensitivity *x, int q)
{
    verdict_x(b, x->paradigm[q], x->platform[q], x->container_platform[q], x->extra_platform[q]);
}

static void value(vm_buf *b, int field, const vm_value *v)
{
    char vb[1024];
    x(b, vm_value_text(vm_field(field), v, vb, sizeof vb));
}

static void num_cell(vm_buf *b, double v, bool sign)
{
    vm_buf_puts(b, v > 0.005 ? "<td class=\"n pos\">" : v < -0.005 ? "<td class=\"n neg\">" : "<td class=\"n zero\">");
    if (sign)
        rf_signed_num(b, v);
    else
        rf_num(b, v);
    vm_buf_puts(b, "</td>");
}

/* --- SVG charts ---------------------------------------------------------- */

#define CH_W 480
#define CH_LABEL 120
#define CH_VALUE 96
#define CH_ROW 26
#define CH_AXIS 20   /* room under a chart for the axis labels */

static void range_of(const double *v, int n, double *lo, double *hi)
{
    *lo = 0;
    *hi = 0;
    for (int i = 0; i < n; i++) {
        if (v[i] < *lo)
            *lo = v[i];
        if (v[i] > *hi)
            *hi = v[i];
    }
    if (*hi - *lo < VM_SCORE_EPS)
        *hi = 1;
}

/* x coordinate of value v on the plot */
static double xpos(double v, double lo, double hi)
{
    double plot = CH_W - CH_LABEL - CH_VALUE - 8;
    return CH_LABEL + (v - lo) / (hi - lo) * plot;
}

/* 1, 2 or 5 times a power of ten: about five ticks over the span */
static double nice_step(double span)
{
    double raw = span / 5, p = vm_pow10_floor(raw), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* Grid lines from y0 to y1 and their values under y1: the axis. */
static void axis(vm_buf *b, double lo, double hi, double y0, double y1)
{
    double st = nice_step(hi - lo);
    long k0 = (long)vm_ceil(lo / st - VM_SCORE_EPS), k1 = (long)vm_floor(hi / st + VM_SCORE_EPS);
    for (long k = k0; k <= k1; k++) {
        double v = (double)k * st, xx = xpos(v, lo, hi);
        vm_buf_puts(b, "<line class=\"grid\" x1=\"");
        rf_num(b, xx);
        vm_buf_puts(b, "\" y1=\"");
        rf_num(b, y0);
        vm_buf_puts(b, "\" x2=\"");
        rf_num(b, xx);
        vm_buf_puts(b, "\" y2=\"");
        rf_num(b, y1);
        vm_buf_puts(b, "\"/><text class=\"tick\" text-anchor=\"middle\" x=\"");
        rf_num(b, xx);
        vm_buf_puts(b, "\" y=\"");
        rf_num(b, y1 + 13);
        vm_buf_puts(b, "\">");
        rf_num(b, v);
        vm_buf_puts(b, "</text>");
    }
    vm_buf_putc(b, '\n');
}

static void svg_open(vm_buf *b, int h, const char *label)
{
    vm_buf_printf(b, "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", CH_W, h);
    x(b, label);
    vm_buf_puts(b, "\"><title>");
    x(b, label);
    vm_buf_puts(b, "</title>\n");
}

static void rect(vm_buf *b, double x0, double y, double w, double h, const char *cls)
{
    vm_buf_puts(b, "<rect x=\"");
    rf_num(b, x0);
    vm_buf_puts(b, "\" y=\"");
    rf_num(b, y);
    vm_buf_puts(b, "\" width=\"");
    rf_num(b, w < 0 ? 0 : w);
    vm_buf_puts(b, "\" height=\"");
    rf_num(b, h);
    vm_buf_puts(b, "\" rx=\"2\" class=\"");
    vm_buf_puts(b, cls);
    vm_buf_puts(b, "\"/>");
}

/* a value label after the bar end (right of zero for a negative bar) */
static void value_label(vm_buf *b, double lx, double y, const char *cls, double v, bool sign, const char *suffix)
{
    vm_buf_puts(b, "<text x=\"");
    rf_num(b, lx);
    vm_buf_puts(b, "\" y=\"");
    rf_num(b, y);
    vm_buf_puts(b, "\" class=\"val");
    if (cls) {
        vm_buf_putc(b, ' ');
        vm_buf_puts(b, cls);
    }
    vm_buf_puts(b, "\">");
    if (sign)
        rf_signed_num(b, v);
    else
        rf_num(b, v);
    if (suffix)
        vm_buf_puts(b, suffix);
    vm_buf_puts(b, "</text>");
}

/* Horizontal bars around a zero axis, a number on every bar. */
static void bar_chart(vm_buf *b, const char *label, const int *tg, int n, const vm_result *res, bool platforms,
                      int chosen, int chosen2)
{
    double v[VM_TARGET_COUNT], lo, hi;
    for (int i = 0; i < n; i++)
        v[i] = res->score[tg[i]];
    range_of(v, n, &lo, &hi);
    int h = n * CH_ROW + 10 + CH_AXIS;
    svg_open(b, h, label);
    axis(b, lo, hi, 4, n * CH_ROW + 6);
    double zx = xpos(0, lo, hi);
    for (int i = 0; i < n; i++) {
        int t = tg[i];
        bool win = t == chosen || t == chosen2;
        bool out = (res->excluded >> t) & 1u;
        double y = 5 + i * CH_ROW;
        vm_buf_puts(b, "<text x=\"");
        vm_buf_printf(b, "%d", CH_LABEL - 8);
        vm_buf_puts(b, "\" y=\"");
        rf_num(b, y + 17);
        vm_buf_puts(b, "\" text-anchor=\"end\"");
        if (win)
            vm_buf_puts(b, " class=\"win\"");
        else if (out)
            vm_buf_puts(b, " class=\"out\"");
        vm_buf_puts(b, ">");
        vm_buf_puts(b, vm_target_name(t));
        vm_buf_puts(b, "</text>");
        double x1 = xpos(v[i], lo, hi);
        double x0 = v[i] < 0 ? x1 : zx;
        char cls[48];
        if (platforms)
            snprintf(cls, sizeof cls, "plat%s", win ? " win" : "");
        else
            snprintf(cls, sizeof cls, "p-%s", vm_target_name(t));
        if (fabs(v[i]) > VM_SCORE_EPS)
            rect(b, x0, y + 4, fabs(x1 - zx), 18, cls);
        value_label(b, (v[i] < 0 ? zx : x1) + 6, y + 17, out ? "out" : win ? "win" : NULL, v[i], false,
                    out ? " ruled out" : NULL);
        vm_buf_putc(b, '\n');
    }
    vm_buf_puts(b, "<line class=\"axis\" x1=\"");
    rf_num(b, zx);
    vm_buf_puts(b, "\" y1=\"4\" x2=\"");
    rf_num(b, zx);
    vm_buf_printf(b, "\" y2=\"%d\"/>\n</svg>\n", n * CH_ROW + 6);
}

static void legend(vm_buf *b)
{
    vm_buf_puts(b, "<p class=\"legend\">");
    for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
        const char *n = vm_target_name(vm_paradigm_spec_order[i]);
        vm_buf_printf(b, "<span><i class=\"p-%s\"></i>%s</span>", n, n);
    }
    vm_buf_puts(b, "</p>\n");
}

/* One bar per (category, paradigm) that moved a score, grouped by category,
 * each with its value; categories that moved nothing are named below. */
static void category_chart(vm_buf *b, const vm_eval_report *ev)
{
    const double (*cat)[VM_PARADIGM_COUNT] = ev->category;
    double flat[VM_CAT_COUNT * VM_PARADIGM_COUNT], lo, hi;
    int nrows = 0, ngroups = 0;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        int k = 0;
        for (int p = 0; p < VM_PARADIGM_COUNT; p++) {
            flat[c * VM_PARADIGM_COUNT + p] = cat[c][p];
            k += fabs(cat[c][p]) > VM_SCORE_EPS;
        }
        nrows += k;
        ngroups += k > 0;
    }
    vm_buf_puts(b, "<figure><figcaption>Contribution of each category</figcaption>\n");
    if (!nrows) {
        vm_buf_puts(b, "<p class=\"ref\">No category moved a paradigm score.</p></figure>\n");
        return;
    }
    range_of(flat, VM_CAT_COUNT * VM_PARADIGM_COUNT, &lo, &hi);
    const int rh = 16, gap = 8;
    int plot_h = nrows * rh + (ngroups - 1) * gap;
    svg_open(b, plot_h + 8 + CH_AXIS, "Contribution of each rule category to each paradigm's score");
    axis(b, lo, hi, 2, plot_h + 6);
    double zx = xpos(0, lo, hi);
    double y = 4;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        bool first = true;
        for (int k = 0; k < VM_PARADIGM_COUNT; k++) {
            int p = vm_paradigm_spec_order[k];
            double v = cat[c][p];
            if (fabs(v) < VM_SCORE_EPS)
                continue;
            if (first) {
                vm_buf_printf(b, "<text x=\"%d\" y=\"", CH_LABEL - 8);
                rf_num(b, y + 11);
                vm_buf_puts(b, "\" text-anchor=\"end\">");
                vm_buf_puts(b, vm_category_name(c));
                vm_buf_puts(b, "</text>");
            }
            first = false;
            double x1 = xpos(v, lo, hi);
            char cls[32];
            snprintf(cls, sizeof cls, "p-%s", vm_target_name(p));
            rect(b, v < 0 ? x1 : zx, y + 1, fabs(x1 - zx), rh - 3, cls);
            vm_buf_puts(b, "<title>");
            vm_buf_printf(b, "%s, %s: ", vm_category_name(c), vm_target_name(p));
            rf_signed_num(b, v);
            vm_buf_puts(b, "</title>");
            value_label(b, (v < 0 ? zx : x1) + 5, y + 11, NULL, v, true, NULL);
            y += rh;
        }
        if (!first)
            y += gap;
        vm_buf_putc(b, '\n');
    }
    vm_buf_puts(b, "<line class=\"axis\" x1=\"");
    rf_num(b, zx);
    vm_buf_puts(b, "\" y1=\"2\" x2=\"");
    rf_num(b, zx);
    vm_buf_printf(b, "\" y2=\"%d\"/>\n</svg>\n", plot_h + 6);
    legend(b);
    /* the categories that moved nothing, so none silently disappears */
    bool any = false;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        bool moved = false;
        for (int p = 0; p < VM_PARADIGM_COUNT; p++)
            moved |= fabs(cat[c][p]) > VM_SCORE_EPS;
        if (moved)
            continue;
        vm_buf_puts(b, any ? ", " : "<p class=\"note\">No effect on any paradigm: ");
        any = true;
        vm_buf_puts(b, vm_category_name(c));
    }
    if (any)
        vm_buf_puts(b, " (no rule of the category fired, its rules score platforms only, or its priority is 0).</p>\n");
    vm_buf_puts(b, "</figure>\n");
}

static bool same_verdict(const vm_sensitivity *x, int q, int q0)
{
    return vm_sensitivity_same(x, q, q0);
}

static void sens_verdict(vm_buf *b, const vm_sensitivity *x, int q);

/* The verdict at every priority 0..5 of every category: one cell per
 * priority, coloured by the paradigm it gives (faded where it is the
 * profile's own verdict), the profile's priority outlined, the range that
 * holds written on the right; the changes in words below. */
static void sensitivity_chart(vm_buf *b, const vm_eval_report *ev)
{
    if (!ev->has_sensitivity)
        return;
    const int label = 96, cw = 34, rh = 24, top = 18;
    int h = top + VM_CAT_COUNT * rh + 4;
    vm_buf_puts(b, "<figure><figcaption>Priority sensitivity</figcaption>\n");
    svg_open(b, h, "The recommendation at each priority 0 to 5 of each category, everything else held");
    for (int q = 0; q <= VM_PRIORITY_MAX; q++)
        vm_buf_printf(b, "<text class=\"tick\" text-anchor=\"middle\" x=\"%d\" y=\"12\">%d</text>",
                      label + q * cw + cw / 2, q);
    vm_buf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"12\">priority</text>\n", label + 6 * cw + 8);
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const vm_sensitivity *s = &ev->sensitivity[c];
        int y = top + c * rh;
        vm_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", label - 8, y + 15,
                      vm_category_name(c));
        for (int q = 0; q <= VM_PRIORITY_MAX; q++) {
            const char *pn = s->paradigm[q] >= 0 ? vm_target_name(s->paradigm[q]) : "none";
            vm_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"p-%s\"%s>", label + q * cw + 1,
                          y + 2, cw - 2, rh - 4, pn, same_verdict(s, q, s->priority) ? " opacity=\".35\"" : "");
            vm_buf_printf(b, "<title>%s %d: ", vm_category_name(c), q);
            sens_verdict(b, s, q);
            vm_buf_puts(b, "</title></rect>");
        }
        vm_buf_printf(b, "<rect class=\"cur\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                      label + s->priority * cw + 1, y + 2, cw - 2, rh - 4);
        vm_buf_printf(b, "<text class=\"val\" x=\"%d\" y=\"%d\">", label + 6 * cw + 8, y + 15);
        if (s->holds_from == 0 && s->holds_to == VM_PRIORITY_MAX)
            vm_buf_puts(b, "holds at every priority");
        else
            vm_buf_printf(b, "holds at %d\xe2\x80\x93%d", s->holds_from, s->holds_to);
        vm_buf_puts(b, "</text>\n");
    }
    vm_buf_puts(b, "</svg>\n");
    legend(b);
    vm_buf_puts(b, "<p class=\"note\">Outlined: the profile's priority. Faded: its own recommendation; solid: a "
                   "different one.");
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const vm_sensitivity *s = &ev->sensitivity[c];
        for (int q = 0; q <= VM_PRIORITY_MAX;) {
            int e = q;
            while (e < VM_PRIORITY_MAX && same_verdict(s, e + 1, q))
                e++;
            if (!same_verdict(s, q, s->priority)) {
                vm_buf_printf(b, e > q ? " %s %d\xe2\x80\x93%d: " : " %s %d: ", vm_category_name(c), q, e);
                sens_verdict(b, s, q);
                vm_buf_putc(b, '.');
            }
            q = e + 1;
        }
    }
    vm_buf_puts(b, "</p>\n</figure>\n");
}

/* --- sections ---------------------------------------------------------- */

static void because(vm_buf *b, const vm_report *r, const vm_rule *rule, const vm_values *v)
{
    int fields[VM_FIELD_COUNT];
    size_t n = vm_report_because(rule, v, fields, VM_FIELD_COUNT);
    if (!n)
        return;
    vm_buf_puts(b, "<ul class=\"because\">");
    for (size_t i = 0; i < n; i++) {
        const vm_value *xv = &v->v[fields[i]];
        vm_buf_puts(b, "<li><code>");
        vm_buf_puts(b, vm_field(fields[i])->path);
        vm_buf_puts(b, "</code>");
        if (!xv->set) {
            vm_buf_puts(b, " is unknown</li>");
            continue;
        }
        vm_buf_puts(b, " = <strong>");
        value(b, fields[i], xv);
        vm_buf_puts(b, "</strong> <span class=\"ref\">");
        if (xv->line) {
            x(b, r->profile->file);
            vm_buf_printf(b, ":%u", xv->line);
        } else {
            vm_buf_puts(b, "--what-if");
        }
        vm_buf_puts(b, "</span></li>");
    }
    vm_buf_puts(b, "</ul>");
}

/* "<code>ID</code><br>RATIONALE", sep, then the reference in a ref span. */
static void rule_text(vm_buf *b, const vm_rule *rule, const char *sep)
{
    vm_buf_puts(b, "<code>");
    x(b, rule->id);
    vm_buf_puts(b, "</code><br>");
    x(b, rule->rationale);
    vm_buf_puts(b, sep);
    vm_buf_puts(b, "<span class=\"ref\">");
    x(b, rule->reference);
    vm_buf_puts(b, "</span>");
}

/* A list item: a risk or suggestion of the rule, then the rule's reference. */
static void item_ref(vm_buf *b, const char *text, const vm_rule *rule)
{
    vm_buf_puts(b, "<li>");
    x(b, text);
    vm_buf_puts(b, " <span class=\"ref\">");
    x(b, rule->reference);
    vm_buf_puts(b, "</span></li>\n");
}

static void reason_row(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const vm_reason *rs)
{
    const vm_rule *rule = vm_ruleset_rule(r->rules, rs->rule);
    double k = ev->factor[rule->category];
    vm_buf_puts(b, "<tr>");
    num_cell(b, rs->contribution, true);
    vm_buf_puts(b, "<td><strong>");
    x(b, rule->title);
    vm_buf_puts(b, "</strong><br>");
    rule_text(b, rule, "<br>");
    vm_buf_puts(b, "</td><td>");
    vm_buf_puts(b, vm_category_name(rule->category));
    vm_buf_puts(b, "</td><td class=\"mono\">");
    bool first = true;
    for (int t = 0; t < VM_TARGET_COUNT; t++) {
        if (rule->scores[t] == 0)
            continue;
        vm_buf_puts(b, first ? "<span class=\"nw\">" : "<br><span class=\"nw\">");
        first = false;
        vm_buf_puts(b, vm_target_name(t));
        vm_buf_putc(b, ' ');
        rf_signed_num(b, rule->scores[t] * k);
        vm_buf_puts(b, "</span>");
    }
    vm_buf_puts(b, "</td><td>");
    because(b, r, rule, ev->values);
    vm_buf_puts(b, "</td></tr>\n");
}

/* The rows of the rules that moved the margin, or of those that did not. */
static void reason_rows(vm_buf *b, const vm_report *r, const vm_eval_report *ev, bool moved)
{
    for (uint32_t i = 0; i < ev->nreasons; i++)
        if ((fabs(ev->reasons[i].contribution) >= VM_SCORE_EPS) == moved)
            reason_row(b, r, ev, &ev->reasons[i]);
}

static const char RATIONALE_HEAD[] =
    "<div class=\"scroll\"><table class=\"wide\">\n<thead><tr><th class=\"n\">contribution</th><th>rule</th>"
    "<th>category</th><th>effects</th><th>because</th></tr></thead>\n<tbody>\n";

/* The rules that moved the margin in a table; those that did not (they may
 * still move platform scores) folded into a <details> below it. */
static void rationale(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    vm_buf_printf(b, "<%s>Rationale</%s>\n", h, h);
    if (!ev->nreasons) {
        vm_buf_puts(b, "<p>No scoring rule fired.</p>\n");
        return;
    }
    uint32_t nzero = 0;
    for (uint32_t i = 0; i < ev->nreasons; i++)
        nzero += fabs(ev->reasons[i].contribution) < VM_SCORE_EPS;
    uint32_t nmoved = ev->nreasons - nzero;
    vm_buf_puts(b, "<p class=\"ref\">Fired rules by their contribution to the margin between the recommendation "
                   "and the runner-up (weight \xc3\x97 the category's priority / 3; effects: what the rule adds to "
                   "each score).</p>\n");
    if (nmoved) {
        vm_buf_puts(b, RATIONALE_HEAD);
        reason_rows(b, r, ev, true);
        vm_buf_puts(b, "</tbody>\n</table></div>\n");
    } else {
        vm_buf_puts(b, "<p>No fired rule moved the margin.</p>\n");
    }
    if (nzero) {
        vm_buf_printf(b, "<details><summary>%u more rule%s that fired without moving the margin (platform "
                         "effects, or equal effects on both)</summary>\n",
                      nzero, nzero == 1 ? "" : "s");
        vm_buf_puts(b, RATIONALE_HEAD);
        reason_rows(b, r, ev, false);
        vm_buf_puts(b, "</tbody>\n</table></div>\n</details>\n");
    }
}

static void blockers(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    vm_buf_printf(b, "<%s>Blockers</%s>\n", h, h);
    bool any = false;
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *rule = vm_ruleset_rule(r->rules, ev->fired[i]);
        if (!rule->excludes)
            continue;
        any = true;
        vm_buf_puts(b, "<div class=\"blocker\"><strong>Ruled out: ");
        rf_targets(b, rule->excludes);
        vm_buf_puts(b, "</strong> by ");
        rule_text(b, rule, " ");
        because(b, r, rule, ev->values);
        vm_buf_puts(b, "</div>\n");
    }
    if (!any)
        vm_buf_puts(b, "<p>Nothing was ruled out.</p>\n");
}

static void risks_and_toolchain(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    if (ev->nrisks) {
        /* a platform the fixed order picked among tied ones was not chosen */
        bool tied = ev->res.platform >= 0 && ((ev->res.platform_tied >> ev->res.platform) & 1u);
        vm_buf_printf(b, "<%s>%s</%s>\n<ul class=\"plain\">\n", h,
                      tied ? "Risks of the platform shown (first of the tied ones)" : "Risks of the chosen platform", h);
        for (uint32_t i = 0; i < ev->nrisks; i++) {
            const vm_rule *rule = vm_ruleset_rule(r->rules, ev->risks[i].rule);
            item_ref(b, rule->risks[ev->risks[i].index], rule);
        }
        vm_buf_puts(b, "</ul>\n");
    }
    if (ev->nsuggestions)
        vm_buf_printf(b, "<%s>Companion toolchain</%s>\n", h, h);
    for (int tp = 0; tp < VM_REPORT_TOPIC_COUNT; tp++) {
        bool shown = false;
        for (uint32_t i = 0; i < ev->nsuggestions; i++) {
            if (ev->suggestions[i].topic != tp)
                continue;
            const vm_rule *rule = vm_ruleset_rule(r->rules, ev->suggestions[i].rule);
            if (!shown)
                vm_buf_printf(b, "<p><strong>%s</strong></p>\n<ul class=\"plain\">\n", vm_report_topic_titles[tp]);
            shown = true;
            item_ref(b, rule->suggests[ev->suggestions[i].index].text, rule);
        }
        if (shown)
            vm_buf_puts(b, "</ul>\n");
    }
}

static void unknowns(vm_buf *b, const vm_eval_report *ev, const char *h)
{
    if (!ev->nunknowns)
        return;
    vm_buf_printf(b, "<%s>Answer these next</%s>\n", h, h);
    vm_buf_puts(b, "<p class=\"ref\">Fields the profile leaves open, ranked by how far an answer could move the "
                   "margin.</p>\n<div class=\"scroll\"><table>\n<thead><tr><th>field</th><th>could change the paradigm</th>"
                   "<th class=\"n\">swing</th><th>for example</th></tr></thead>\n<tbody>\n");
    for (uint32_t i = 0; i < ev->nunknowns; i++) {
        const vm_variation *u = &ev->unknowns[i];
        vm_buf_puts(b, "<tr><td><code>");
        vm_buf_puts(b, vm_field(u->field)->path);
        vm_buf_puts(b, u->flips ? "</code></td><td><span class=\"badge warn\">yes</span></td>"
                                : "</code></td><td>no</td>");
        vm_buf_puts(b, "<td class=\"n\">");
        rf_num(b, u->swing);
        vm_buf_puts(b, "</td><td>");
        value(b, u->field, &u->value);
        vm_buf_puts(b, " → ");
        vm_buf_puts(b, vm_target_name(u->paradigm));
        vm_buf_puts(b, "</td></tr>\n");
    }
    vm_buf_puts(b, "</tbody>\n</table></div>\n");
}

static void counterfactuals(vm_buf *b, const vm_eval_report *ev, const char *h)
{
    if (!ev->ncf)
        return;
    vm_buf_printf(b, "<%s>What would change the decision</%s>\n<ul class=\"plain\">\n", h, h);
    for (uint32_t i = 0; i < ev->ncf; i++) {
        const vm_variation *c = &ev->cf[i];
        vm_buf_puts(b, "<li>If <code>");
        vm_buf_puts(b, vm_field(c->field)->path);
        vm_buf_puts(b, "</code> were <strong>");
        value(b, c->field, &c->value);
        vm_buf_puts(b, "</strong> (now ");
        value(b, c->field, &ev->values->v[c->field]);
        vm_buf_puts(b, "), vmctr would recommend <strong>");
        verdict_x(b, c->paradigm, c->platform, c->container_platform, c->extra_platform);
        char tie[160];
        vm_buf_puts(b, "</strong>");
        vm_buf_xml(b, vm_variation_tie_note(c, tie, sizeof tie));
        vm_buf_puts(b, ".</li>\n");
    }
    vm_buf_puts(b, "</ul>\n");
}

static void cards(vm_buf *b, int paradigm, int platform, int cplat, int extra, double confidence, int runner,
                  const vm_result *res, bool margin)
{
    vm_buf_puts(b, "<div class=\"verdict\">\n<div class=\"card main\"><div class=\"k\">Paradigm</div><div class=\"v\">");
    vm_buf_puts(b, vm_target_name(paradigm));
    vm_buf_puts(b, "</div></div>\n");
    if (paradigm == VM_T_HYBRID &&
        (cplat >= 0 || extra >= 0 || (platform >= 0 && vm_platform_family(platform) != VM_T_VM))) {
        /* one card per kind of workload the verdict places */
        static const char *const label[VM_PARADIGM_COUNT] = {
            [VM_T_VM] = "VM platform", [VM_T_CONTAINER] = "Container platform", [VM_T_MICROVM] = "Micro-VM platform"};
        int shown[3] = {platform, cplat, extra};
        for (int i = 0; i < 3; i++) {
            if (shown[i] < 0)
                continue;
            vm_buf_printf(b, "<div class=\"card\"><div class=\"k\">%s</div><div class=\"v\">",
                          label[vm_platform_family(shown[i])]);
            vm_buf_puts(b, vm_target_name(shown[i]));
            vm_buf_puts(b, "</div></div>\n");
        }
    } else {
        vm_buf_puts(b, "<div class=\"card\"><div class=\"k\">Platform</div><div class=\"v\">");
        vm_buf_puts(b, vm_target_name(platform));
        vm_buf_puts(b, "</div></div>\n");
    }
    vm_buf_puts(b, "<div class=\"card\"><div class=\"k\">Confidence</div><div class=\"v\">");
    rf_conf(b, confidence);
    vm_buf_puts(b, "</div><div class=\"meter\"><span style=\"width:");
    vm_buf_num(b, confidence * 100, 0);
    vm_buf_puts(b, "%\"></span></div></div>\n<div class=\"card\"><div class=\"k\">Runner-up</div><div class=\"v\">");
    vm_buf_puts(b, runner >= 0 ? vm_target_name(runner) : "none");
    vm_buf_puts(b, "</div>");
    if (runner < 0)
        vm_buf_puts(b, margin ? "<div class=\"ref\">every other paradigm is ruled out</div>"
                              : "<div class=\"ref\">a system: see the components</div>");
    if (margin && runner >= 0) {
        vm_buf_puts(b, "<div class=\"ref\">margin ");
        rf_num(b, res->margin);
        vm_buf_puts(b, "</div>");
    }
    vm_buf_puts(b, "</div>\n</div>\n");
}

/* What the verdict cannot claim: too little evidence, a platform tie. */
static void verdict_notes(vm_buf *b, const vm_verdict *v)
{
    char ties[200];
    if (v->paradigm >= 0 && v->evidence < VM_MIN_EVIDENCE)
        vm_buf_puts(b, "<p><span class=\"badge warn\">too little to decide</span> No known field bears on the "
                       "paradigm; the recommendation is only the fixed tie order.</p>\n");
    if (v->platform_tied)
        vm_buf_printf(b, "<p><span class=\"badge warn\">platform tie</span> %s score the same and nothing in the "
                         "profile separates them; the first is shown by fixed order, not chosen on evidence.</p>\n",
                      vm_report_ties_text(v->platform_tied, ties, sizeof ties));
}

static void charts(vm_buf *b, const vm_eval_report *ev, int chosen, const char *caption)
{
    int pt[VM_TARGET_COUNT - VM_FIRST_PLATFORM];
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        pt[t - VM_FIRST_PLATFORM] = t;
    vm_buf_puts(b, "<div class=\"charts\">\n<figure><figcaption>");
    vm_buf_puts(b, caption);
    vm_buf_puts(b, "</figcaption>\n");
    bar_chart(b, "Paradigm scores", vm_paradigm_spec_order, VM_PARADIGM_COUNT, &ev->res, false, chosen, -1);
    vm_buf_puts(b, "</figure>\n");
    category_chart(b, ev);
    vm_buf_puts(b, "<figure><figcaption>Platform scores</figcaption>\n");
    bar_chart(b, "Platform scores", pt, VM_TARGET_COUNT - VM_FIRST_PLATFORM, &ev->res, true, ev->res.platform,
              ev->res.container_platform);
    vm_buf_puts(b, "</figure>\n");
    sensitivity_chart(b, ev);
    vm_buf_puts(b, "</div>\n");
}

/*
 * Optional priority sliders (a single workload): the page carries the
 * per-category sums of the fired rules' scores for every target (priority
 * factor 1) and the ruled-out targets; scores are linear in each priority
 * (score = sum over categories of priority / 3 x sum), so a small inline
 * script recomputes the verdict exactly as vm_result_decide does: the best
 * paradigm not ruled out (ties in the order vm, container, microvm,
 * hybrid), the best platform of its family not ruled out (of the VM family
 * for hybrid, with kubernetes, else docker, beside it). The section is
 * `hidden` and the script only reveals it, so without scripts the page is
 * complete and unchanged; it is not printed. Numbers and fixed names only:
 * nothing from the profile goes into the script.
 */
static void sliders(vm_buf *b, const vm_report *r, const vm_eval_report *ev)
{
    double s[VM_CAT_COUNT][VM_TARGET_COUNT] = {{0}};
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *rule = vm_ruleset_rule(r->rules, ev->fired[i]);
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            s[rule->category][t] += rule->scores[t];
    }
    vm_buf_puts(b, "<section class=\"sliders\" id=\"sliders\" hidden>\n<h3>Try other priorities</h3>\n"
                   "<p class=\"note\">Move a category's priority (0..5, <code>spec.priorities</code>): the "
                   "recommendation is recomputed in this page from the rules that fired, ruled-out options "
                   "included \xe2\x80\x94 the same as <code>vmctr advise --what-if priorities.CATEGORY=N</code>."
                   "</p>\n<form class=\"sl\">\n");
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const vm_value *p = &ev->values->v[VM_F_PRIORITIES_WORKLOAD + c];
        int q = p->set ? (int)p->u.i : 3;
        const char *cn = vm_category_name(c);
        vm_buf_printf(b, "<div><label for=\"sl-%s\">%s</label> <input type=\"range\" min=\"0\" max=\"5\" "
                         "step=\"1\" value=\"%d\" id=\"sl-%s\" name=\"%s\"> <output for=\"sl-%s\">%d</output></div>\n",
                      cn, cn, q, cn, cn, cn, q);
    }
    vm_buf_puts(b, "</form>\n<p>Recommendation: <output class=\"sl-verdict\"></output></p>\n</section>\n"
                   "<script type=\"application/json\" id=\"sliders-model\">{\"names\":[");
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        vm_buf_printf(b, "%s\"%s\"", t ? "," : "", vm_target_name(t));
    vm_buf_printf(b, "],\"excluded\":%u,\"fam\":{", (unsigned)ev->res.excluded);
    static const int fams[] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
    for (size_t i = 0; i < sizeof fams / sizeof *fams; i++) {
        int lo, hi;
        vm_family_range(fams[i], &lo, &hi);
        vm_buf_printf(b, "%s\"%d\":[%d,%d]", i ? "," : "", fams[i], lo, hi);
    }
    vm_buf_printf(b, "},\"order\":[%d,%d,%d,%d],\"hybrid\":%d,\"vm\":%d,\"k8s\":%d,\"docker\":%d,\"sums\":[",
                  VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM, VM_T_HYBRID, VM_T_HYBRID, VM_T_VM, VM_T_KUBERNETES,
                  VM_T_DOCKER);
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        vm_buf_puts(b, c ? ",[" : "[");
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            vm_buf_printf(b, "%s%.17g", t ? "," : "", s[c][t]);
        vm_buf_putc(b, ']');
    }
    /* the script holds no '&' and no '<' (the page's text promise, checked
     * by the report fuzz target, covers it too) */
    vm_buf_puts(b, "]}</script>\n<script>\n"
        "(function () {\n"
        "  var sec = document.getElementById('sliders'), m = JSON.parse(document.getElementById('sliders-model')"
        ".textContent);\n"
        "  var inputs = sec.querySelectorAll('input'), out = sec.querySelector('.sl-verdict');\n"
        "  function ex(t) { return Math.floor(m.excluded / Math.pow(2, t)) % 2 === 1; }\n"
        "  function best(sc, lo, hi) {\n"
        "    var b = -1;\n"
        "    for (var t = lo; t !== hi + 1; t++) {\n"
        "      if (ex(t)) continue;\n"
        "      if (b === -1 || sc[t] > sc[b] + 1e-9) b = t;\n"
        "    }\n"
        "    return b;\n"
        "  }\n"
        "  function decide() {\n"
        "    var sc = m.names.map(function () { return 0; }), c, t, i;\n"
        "    for (c = 0; c !== inputs.length; c++) {\n"
        "      var k = inputs[c].value / 3;\n"
        "      inputs[c].nextElementSibling.textContent = inputs[c].value;\n"
        "      for (t = 0; t !== sc.length; t++) sc[t] += m.sums[c][t] * k;\n"
        "    }\n"
        "    var p = -1, pl = -1, cp = -1;\n"
        "    for (i = 0; i !== m.order.length; i++) {\n"
        "      t = m.order[i];\n"
        "      if (ex(t)) continue;\n"
        "      if (p === -1 || sc[t] > sc[p] + 1e-9) p = t;\n"
        "    }\n"
        "    if (p !== -1) {\n"
        "      var f = m.fam[p === m.hybrid ? m.vm : p];\n"
        "      if (f) pl = best(sc, f[0], f[1]);\n"
        "      if (p === m.hybrid) cp = !ex(m.k8s) ? m.k8s : !ex(m.docker) ? m.docker : -1;\n"
        "    }\n"
        "    out.textContent = p === -1 ? 'no paradigm (every one is ruled out)' : m.names[p] + ' on ' +\n"
        "      (pl === -1 ? 'no fitting platform' : m.names[pl] + (cp !== -1 ? ' + ' + m.names[cp] : ''));\n"
        "    out.setAttribute('data-paradigm', p === -1 ? '' : m.names[p]);\n"
        "    out.setAttribute('data-platform', pl === -1 ? '' : m.names[pl]);\n"
        "    out.setAttribute('data-container-platform', cp === -1 ? '' : m.names[cp]);\n"
        "  }\n"
        "  for (var j = 0; j !== inputs.length; j++) inputs[j].addEventListener('input', decide);\n"
        "  decide();\n"
        "  sec.hidden = false;\n"
        "})();\n"
        "</script>\n");
}

static void evaluation(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    rationale(b, r, ev, h);
    blockers(b, r, ev, h);
    risks_and_toolchain(b, r, ev, h);
    unknowns(b, ev, h);
    counterfactuals(b, ev, h);
}

static void what_if(vm_buf *b, const vm_report *r)
{
    const vm_report *w = r->what_if;
    vm_buf_puts(b, "<h2>What if</h2>\n<div class=\"card whatif\"><p>With <code>");
    for (uint32_t i = 0; i < r->nwhat_if; i++) {
        if (i)
            vm_buf_puts(b, "</code>, <code>");
        x(b, r->what_if_set[i]);
    }
    vm_buf_puts(b, "</code>:</p>\n<div class=\"scroll\"><table>\n<thead><tr><th></th><th>now</th><th>what if</th><th class=\"n\">change</th>"
                   "</tr></thead>\n<tbody>\n<tr><td>recommendation</td><td>");
    vm_verdict vr, vw;
    vm_report_verdict(r, &vr);
    vm_report_verdict(w, &vw);
    char tie[160];
    verdict_x(b, vr.paradigm, vr.platform, vr.container_platform, vr.extra_platform);
    vm_buf_xml(b, vm_verdict_tie_note(&vr, tie, sizeof tie));
    vm_buf_puts(b, "</td><td><strong>");
    verdict_x(b, vw.paradigm, vw.platform, vw.container_platform, vw.extra_platform);
    vm_buf_puts(b, "</strong>");
    vm_buf_xml(b, vm_verdict_tie_note(&vw, tie, sizeof tie));
    vm_buf_puts(b, "</td><td class=\"n\">");
    vm_buf_puts(b, r->paradigm != w->paradigm ? "<span class=\"badge warn\">changes</span>" : "unchanged");
    vm_buf_puts(b, "</td></tr>\n<tr><td>confidence</td><td>");
    rf_conf(b, r->confidence);
    vm_buf_puts(b, "</td><td>");
    rf_conf(b, w->confidence);
    vm_buf_puts(b, "</td>");
    num_cell(b, w->confidence - r->confidence, true);
    vm_buf_puts(b, "</tr>\n<tr><td>runner-up</td><td>");
    vm_buf_puts(b, vm_target_name(r->runner_up));
    vm_buf_puts(b, "</td><td>");
    vm_buf_puts(b, vm_target_name(w->runner_up));
    vm_buf_puts(b, "</td><td></td></tr>\n");
    for (int i = 0; i < VM_PARADIGM_COUNT && !r->ncomponents; i++) {
        int t = vm_paradigm_spec_order[i];
        vm_buf_printf(b, "<tr><td>score: %s</td><td>", vm_target_name(t));
        rf_num(b, r->main.res.score[t]);
        vm_buf_puts(b, "</td><td>");
        rf_num(b, w->main.res.score[t]);
        vm_buf_puts(b, "</td>");
        num_cell(b, w->main.res.score[t] - r->main.res.score[t], true);
        vm_buf_puts(b, "</tr>\n");
    }
    for (uint32_t i = 0; i < r->ncomponents && i < w->ncomponents; i++) {
        const vm_result *o = &r->components[i].ev.res, *n = &w->components[i].ev.res;
        vm_buf_puts(b, "<tr><td>component ");
        x(b, r->components[i].comp->name);
        vm_buf_puts(b, "</td><td>");
        verdict(b, o->paradigm, o->platform, o->container_platform);
        vm_buf_puts(b, "</td><td>");
        verdict(b, n->paradigm, n->platform, n->container_platform);
        vm_buf_puts(b, "</td><td class=\"n\">");
        vm_buf_puts(b, o->paradigm != n->paradigm ? "<span class=\"badge warn\">changes</span>" : "unchanged");
        vm_buf_puts(b, "</td></tr>\n");
    }
    vm_buf_puts(b, "</tbody>\n</table></div>\n</div>\n");
}

void vm_render_html(const vm_report *r, vm_buf *b)
{
    const vm_profile *p = r->profile;
    const vm_value *name = &p->values.v[VM_F_META_NAME];
    const char *nm = name->set ? name->u.s : "(unnamed)";
    bool comps = r->ncomponents > 0;

    vm_buf title;
    vm_buf_init(&title);
    vm_buf_puts(&title, "vmctr: ");
    vm_buf_puts(&title, nm);
    vm_buf_puts(&title, " \xe2\x80\x94 ");
    verdict_x(&title, r->paradigm, r->platform, r->container_platform, r->ncomponents ? r->sys.extra_platform : -1);
    vm_html_open(b, title.oom ? "vmctr" : title.data);
    if (title.oom)
        b->oom = true; /* out of memory fails the report (exit 5), docs/security.md */
    vm_buf_free(&title);
    vm_buf_puts(b, "<header>\n<h1>");
    x(b, nm);
    vm_buf_puts(b, "</h1>\n<p class=\"meta\">");
    x(b, p->file);
    vm_buf_printf(b, ":%u (document %u) \xc2\xb7 vmctr " VMCTR_VERSION " \xc2\xb7 %zu rules \xc2\xb7 <span class=\"mono\">",
                  p->line, p->doc_index + 1, vm_ruleset_count(r->rules));
    x(b, vm_ruleset_digest(r->rules));
    vm_buf_puts(b, "</span></p>\n");
    const vm_value *desc = &p->values.v[VM_F_META_DESCRIPTION];
    if (desc->set) {
        vm_buf_puts(b, "<p>");
        x(b, desc->u.s);
        vm_buf_puts(b, "</p>\n");
    }
    vm_buf_puts(b, "</header>\n");

    vm_buf_puts(b, "<h2>Recommendation</h2>\n<p>");
    vm_buf_puts(b, comps ? "The system should run as <strong>" : "Run this workload as <strong>");
    verdict_x(b, r->paradigm, r->platform, r->container_platform, comps ? r->sys.extra_platform : -1);
    vm_buf_puts(b, "</strong>");
    if (r->paradigm == VM_T_HYBRID && r->container_platform >= 0 && r->platform >= 0 &&
        vm_platform_family(r->platform) == VM_T_VM)
        vm_buf_printf(b, ": virtual machines on %s as the foundation, with %s for the containerised parts",
                      vm_target_name(r->platform), vm_target_name(r->container_platform));
    vm_buf_puts(b, ".</p>\n");
    vm_verdict vd;
    vm_report_verdict(r, &vd);
    cards(b, r->paradigm, r->platform, r->container_platform, vd.extra_platform, r->confidence, r->runner_up,
          &r->main.res, !comps);
    verdict_notes(b, &vd);
    int pp = vm_report_proposed_paradigm(&p->values), pf = vm_report_proposed_platform(&p->values);
    if (pp >= 0 || pf >= 0) {
        bool match = vm_report_proposal_matches(pp, pf, r->paradigm, r->platform, r->container_platform,
                                                vd.extra_platform);
        vm_buf_puts(b, "<p>The profile proposes <strong>");
        vm_buf_puts(b, pp >= 0 ? vm_target_name(pp) : "any paradigm");
        if (pf >= 0) {
            vm_buf_puts(b, " on ");
            vm_buf_puts(b, vm_target_name(pf));
        }
        vm_buf_puts(b, match ? "</strong> <span class=\"badge ok\">matches</span></p>\n"
                             : "</strong> <span class=\"badge bad\">differs</span></p>\n");
    }
    if (comps) {
        vm_buf_puts(b, "<div class=\"scroll\"><table>\n<thead><tr><th>component</th><th>recommendation</th>"
                       "<th class=\"n\">confidence</th><th>runner-up</th></tr></thead>\n<tbody>\n");
        for (uint32_t i = 0; i < r->ncomponents; i++) {
            const vm_result *res = &r->components[i].ev.res;
            vm_buf_puts(b, "<tr><td>");
            x(b, r->components[i].comp->name);
            vm_buf_puts(b, "</td><td>");
            verdict(b, res->paradigm, res->platform, res->container_platform);
            vm_buf_puts(b, "</td><td class=\"n\">");
            rf_conf(b, res->confidence);
            vm_buf_puts(b, "</td><td>");
            vm_buf_puts(b, vm_target_name(res->runner_up));
            vm_buf_puts(b, "</td></tr>\n");
        }
        vm_buf_puts(b, "<tr><td><strong>system</strong></td><td><strong>");
        verdict_x(b, r->paradigm, r->platform, r->container_platform, r->sys.extra_platform);
        vm_buf_puts(b, "</strong></td><td class=\"n\">");
        rf_conf(b, r->confidence);
        vm_buf_puts(b, r->paradigm == VM_T_HYBRID ? "</td><td>the components' paradigms differ</td></tr>\n"
                                                   : "</td><td>every component has this paradigm</td></tr>\n");
        vm_buf_puts(b, "</tbody>\n</table></div>\n");
    }
    if (r->what_if)
        what_if(b, r);

    vm_buf_puts(b, "<div class=\"howto\"><p><strong>How to read this.</strong> Each rule that fires adds its "
                   "weight \xc3\x97 its category's priority / 3 to the paradigms and platforms it favours (or "
                   "takes it away); a blocker rules a target out whatever its score. The highest paradigm wins; "
                   "the <em>margin</em> is its lead over the runner-up and <em>confidence</em> = margin / (margin "
                   "+ 5 \xc3\x97 the mean priority / 3), from 0 to 1. Every bar carries its number; the "
                   "rationale lists the rules by how much they moved the margin, and the sensitivity chart shows "
                   "how far each priority can move before the recommendation changes.</p></div>\n");
    if (comps) {
        /* the system's questions; each component's evaluation follows */
        unknowns(b, &r->main, "h2");
        counterfactuals(b, &r->main, "h2");
        if (r->main.has_sensitivity) {
            /* the system verdict at every priority (the components' follow) */
            vm_buf_puts(b, "<h2>Priority sensitivity of the system</h2>\n<div class=\"charts\">\n");
            sensitivity_chart(b, &r->main);
            vm_buf_puts(b, "</div>\n");
        }
    } else {
        vm_buf_puts(b, "<h2>Scores</h2>\n");
        charts(b, &r->main, r->paradigm, "Paradigm scores");
        sliders(b, r, &r->main);
        evaluation(b, r, &r->main, "h2");
    }

    if (comps) {
        vm_buf_puts(b, "<h2>Components</h2>\n");
        for (uint32_t i = 0; i < r->ncomponents; i++) {
            const vm_component_report *c = &r->components[i];
            const vm_result *res = &c->ev.res;
            vm_buf_puts(b, "<section class=\"component\">\n<h3>Component ");
            x(b, c->comp->name);
            vm_buf_puts(b, " <span class=\"ref\">");
            x(b, p->file);
            vm_buf_printf(b, ":%u</span></h3>\n", c->comp->line);
            cards(b, res->paradigm, res->platform, res->container_platform, -1, res->confidence, res->runner_up, res,
                  true);
            vm_verdict cv;
            vm_eval_verdict(&c->ev, &cv);
            verdict_notes(b, &cv);
            charts(b, &c->ev, res->paradigm, "Paradigm scores");
            evaluation(b, r, &c->ev, "h4");
            vm_buf_puts(b, "</section>\n");
        }
    }
    vm_buf_puts(b, "<footer>Generated by vmctr " VMCTR_VERSION ". Scores: a fired rule adds its weight times its "
                   "category's priority / 3; confidence = margin / (margin + 5 \xc3\x97 the mean priority / 3)."
                   "</footer>\n");
    vm_html_close(b);
}
