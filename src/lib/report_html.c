/*
 * report_html.c - the report as one self-contained HTML5 page.
 *
 * No scripts, fonts or external assets: the page works offline, can be
 * mailed or attached to a ticket, and prints cleanly (@media print). Charts
 * are inline SVG: the paradigm and platform scores as bar charts around a
 * zero axis (scores can be negative) and each category's contribution to
 * each paradigm as a grouped bar chart. Every piece of text from a profile
 * or a rule passes through vm_buf_xml. Element ids are not used, so many
 * reports can be concatenated without clashes.
 */
#include "vmctr/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void x(vm_buf *b, const char *s) { vm_buf_xml(b, s); }
static void num(vm_buf *b, double v) { vm_buf_num(b, v, 2); }

static void signed_num(vm_buf *b, double v)
{
    if (v > 0.005)
        vm_buf_putc(b, '+');
    num(b, v);
}

static const char *const CSS =
    ":root{--fg:#1d2430;--muted:#5b6472;--line:#d9dee6;--bg:#fff;--panel:#f6f8fa;--accent:#1f6feb;"
    "--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;"
    "--vm:#3b6ea5;--container:#2a9d8f;--hybrid:#8e6cbf;--microvm:#d08a2e}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,\"Segoe UI\","
    "Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
    "main{max-width:1040px;margin:0 auto;padding:32px 24px 48px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 12px;padding-bottom:6px;"
    "border-bottom:1px solid var(--line)}h3{font-size:16px;margin:22px 0 8px}\n"
    ".meta{color:var(--muted);font-size:13px;margin:0}\n"
    "code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}\n"
    ".verdict{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:20px 0}\n"
    ".card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 16px}\n"
    ".card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}\n"
    ".card .v{font-size:20px;font-weight:600}\n"
    ".card.main{border-left:4px solid var(--accent)}\n"
    ".meter{height:8px;background:var(--line);border-radius:4px;margin-top:6px;overflow:hidden}\n"
    ".meter span{display:block;height:100%;background:var(--accent)}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}\n"
    "figure{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px}\n"
    "figcaption{font-weight:600;font-size:14px;margin-bottom:6px}\n"
    "svg{display:block;width:100%;height:auto}\n"
    "svg text{font:12px system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;fill:#1d2430}\n"
    "svg .axis{stroke:#8c95a3;stroke-width:1}svg .grid{stroke:#e3e7ed;stroke-width:1}\n"
    "svg .win{font-weight:700}svg .out{fill:#8c95a3}\n"
    ".p-vm{fill:var(--vm);background:var(--vm)}.p-container{fill:var(--container);background:var(--container)}"
    ".p-hybrid{fill:var(--hybrid);background:var(--hybrid)}.p-microvm{fill:var(--microvm);background:var(--microvm)}"
    ".plat{fill:#6e7b8f}.plat.win{fill:var(--accent)}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;color:var(--muted);margin:4px 0 0}\n"
    ".legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}\n"
    "table{width:100%;border-collapse:collapse;font-size:14px;margin:8px 0}\n"
    "th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}\n"
    "th{background:var(--panel);font-weight:600;font-size:13px}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    ".pos{color:var(--ok)}.neg{color:var(--bad)}.zero{color:var(--muted)}\n"
    ".ref{color:var(--muted);font-size:13px}.nw{white-space:nowrap}.because .ref{display:block}\n"
    ".because{margin:0;padding:0;list-style:none;font-size:13px}\n"
    ".badge{display:inline-block;font-size:12px;padding:1px 8px;border-radius:10px;border:1px solid var(--line);"
    "background:#fff;white-space:nowrap}\n"
    ".badge.bad{color:var(--bad);border-color:#f1aeb5}.badge.ok{color:var(--ok);border-color:#a7d8b4}"
    ".badge.warn{color:var(--warn);border-color:#e7cf8e}\n"
    ".blocker{border-left:4px solid var(--bad);background:#fff5f5;padding:8px 12px;margin:8px 0;border-radius:4px}\n"
    ".whatif{border-left:4px solid var(--warn);background:#fffaf0}\n"
    "ul.plain{padding-left:20px}ul.plain li{margin:4px 0}\n"
    "section.component{border:1px solid var(--line);border-radius:8px;padding:4px 20px 16px;margin:20px 0}\n"
    "footer{margin-top:40px;color:var(--muted);font-size:12px}\n"
    "@media print{body{font-size:10.5pt}main{max-width:none;padding:0}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h2{break-after:avoid}figure,.card,.blocker,tr{break-inside:avoid}"
    "section.component{break-before:page;border:none;padding:0}"
    ".charts{grid-template-columns:1fr 1fr}a{color:inherit;text-decoration:none}}\n";

static void verdict(vm_buf *b, int paradigm, int platform, int cplat)
{
    if (paradigm < 0) {
        vm_buf_puts(b, "none (every paradigm is ruled out)");
        return;
    }
    vm_buf_puts(b, vm_target_name(paradigm));
    vm_buf_puts(b, " on ");
    if (platform < 0) {
        vm_buf_puts(b, "no fitting platform");
        return;
    }
    vm_buf_puts(b, vm_target_name(platform));
    if (cplat >= 0) {
        vm_buf_puts(b, " + ");
        vm_buf_puts(b, vm_target_name(cplat));
    }
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
        signed_num(b, v);
    else
        num(b, v);
    vm_buf_puts(b, "</td>");
}

/* --- SVG charts ---------------------------------------------------------- */

#define CH_W 480
#define CH_LABEL 120
#define CH_VALUE 96
#define CH_ROW 26

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
    if (*hi - *lo < 1e-9)
        *hi = 1;
}

/* x coordinate of value v on the plot */
static double xpos(double v, double lo, double hi)
{
    double plot = CH_W - CH_LABEL - CH_VALUE - 8;
    return CH_LABEL + (v - lo) / (hi - lo) * plot;
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
    num(b, x0);
    vm_buf_puts(b, "\" y=\"");
    num(b, y);
    vm_buf_puts(b, "\" width=\"");
    num(b, w < 0 ? 0 : w);
    vm_buf_puts(b, "\" height=\"");
    num(b, h);
    vm_buf_puts(b, "\" rx=\"2\" class=\"");
    vm_buf_puts(b, cls);
    vm_buf_puts(b, "\"/>");
}

/* Horizontal bars around a zero axis. cls[i] is the bar's class. */
static void bar_chart(vm_buf *b, const char *label, const int *tg, int n, const vm_result *res, bool platforms,
                      int chosen, int chosen2)
{
    double v[VM_TARGET_COUNT], lo, hi;
    for (int i = 0; i < n; i++)
        v[i] = res->score[tg[i]];
    range_of(v, n, &lo, &hi);
    int h = n * CH_ROW + 10;
    svg_open(b, h, label);
    double zx = xpos(0, lo, hi);
    for (int i = 0; i < n; i++) {
        int t = tg[i];
        bool win = t == chosen || t == chosen2;
        bool out = (res->excluded >> t) & 1u;
        double y = 5 + i * CH_ROW;
        vm_buf_puts(b, "<text x=\"");
        vm_buf_printf(b, "%d", CH_LABEL - 8);
        vm_buf_puts(b, "\" y=\"");
        num(b, y + 17);
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
        if (fabs(v[i]) > 1e-9)
            rect(b, x0, y + 4, fabs(x1 - zx), 18, cls);
        /* value label right of the bar end (or of zero) */
        double lx = (v[i] < 0 ? zx : x1) + 6;
        vm_buf_puts(b, "<text x=\"");
        num(b, lx);
        vm_buf_puts(b, "\" y=\"");
        num(b, y + 17);
        vm_buf_puts(b, out ? "\" class=\"out\">" : win ? "\" class=\"win\">" : "\">");
        num(b, v[i]);
        if (out)
            vm_buf_puts(b, " ruled out");
        vm_buf_puts(b, "</text>\n");
    }
    vm_buf_puts(b, "<line class=\"axis\" x1=\"");
    num(b, zx);
    vm_buf_puts(b, "\" y1=\"4\" x2=\"");
    num(b, zx);
    vm_buf_printf(b, "\" y2=\"%d\"/>\n</svg>\n", h - 4);
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

/* Grouped bars: for every category that moved a score, one bar per paradigm. */
static void category_chart(vm_buf *b, const vm_eval_report *ev)
{
    const double (*cat)[VM_PARADIGM_COUNT] = ev->category;
    double flat[VM_CAT_COUNT * VM_PARADIGM_COUNT], lo, hi;
    int used[VM_CAT_COUNT], nu = 0;
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        bool any = false;
        for (int p = 0; p < VM_PARADIGM_COUNT; p++) {
            flat[c * VM_PARADIGM_COUNT + p] = cat[c][p];
            any |= fabs(cat[c][p]) > 1e-9;
        }
        if (any)
            used[nu++] = c;
    }
    vm_buf_puts(b, "<figure><figcaption>Contribution of each category</figcaption>\n");
    if (!nu) {
        vm_buf_puts(b, "<p class=\"ref\">No category moved a paradigm score.</p></figure>\n");
        return;
    }
    range_of(flat, VM_CAT_COUNT * VM_PARADIGM_COUNT, &lo, &hi);
    const int bh = 7, gap = 12;
    int gh = VM_PARADIGM_COUNT * bh + gap;
    int h = nu * gh + 10;
    svg_open(b, h, "Contribution of each rule category to each paradigm's score");
    double zx = xpos(0, lo, hi);
    for (int i = 0; i < nu; i++) {
        int c = used[i];
        double y = 5 + i * gh;
        vm_buf_printf(b, "<text x=\"%d\" y=\"", CH_LABEL - 8);
        num(b, y + VM_PARADIGM_COUNT * bh / 2.0 + 4);
        vm_buf_puts(b, "\" text-anchor=\"end\">");
        vm_buf_puts(b, vm_category_name(c));
        vm_buf_puts(b, "</text>");
        for (int k = 0; k < VM_PARADIGM_COUNT; k++) {
            int p = vm_paradigm_spec_order[k];
            double v = cat[c][p];
            if (fabs(v) < 1e-9)
                continue;
            double x1 = xpos(v, lo, hi);
            char cls[32];
            snprintf(cls, sizeof cls, "p-%s", vm_target_name(p));
            rect(b, v < 0 ? x1 : zx, y + k * bh, fabs(x1 - zx), bh - 1, cls);
            vm_buf_puts(b, "<title>");
            vm_buf_printf(b, "%s, %s: ", vm_category_name(c), vm_target_name(p));
            signed_num(b, v);
            vm_buf_puts(b, "</title>");
        }
        /* summary label: the largest contribution */
        vm_buf_puts(b, "\n");
    }
    vm_buf_puts(b, "<line class=\"axis\" x1=\"");
    num(b, zx);
    vm_buf_puts(b, "\" y1=\"2\" x2=\"");
    num(b, zx);
    vm_buf_printf(b, "\" y2=\"%d\"/>\n</svg>\n", h - 2);
    legend(b);
    vm_buf_puts(b, "</figure>\n");
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

static void targets(vm_buf *b, uint16_t mask)
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

static void rationale(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    vm_buf_printf(b, "<%s>Rationale</%s>\n", h, h);
    if (!ev->nreasons) {
        vm_buf_puts(b, "<p>No scoring rule fired.</p>\n");
        return;
    }
    vm_buf_puts(b, "<p class=\"ref\">Fired rules by their contribution to the margin between the recommendation "
                   "and the runner-up.</p>\n<table>\n<thead><tr><th class=\"n\">contribution</th><th>rule</th>"
                   "<th>category</th><th>effects</th><th>because</th></tr></thead>\n<tbody>\n");
    for (uint32_t i = 0; i < ev->nreasons; i++) {
        const vm_reason *rs = &ev->reasons[i];
        const vm_rule *rule = vm_ruleset_rule(r->rules, rs->rule);
        double k = ev->factor[rule->category];
        vm_buf_puts(b, "<tr>");
        num_cell(b, rs->contribution, true);
        vm_buf_puts(b, "<td><strong>");
        x(b, rule->title);
        vm_buf_puts(b, "</strong><br><code>");
        x(b, rule->id);
        vm_buf_puts(b, "</code><br>");
        x(b, rule->rationale);
        vm_buf_puts(b, "<br><span class=\"ref\">");
        x(b, rule->reference);
        vm_buf_puts(b, "</span></td><td>");
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
            signed_num(b, rule->scores[t] * k);
            vm_buf_puts(b, "</span>");
        }
        vm_buf_puts(b, "</td><td>");
        because(b, r, rule, ev->values);
        vm_buf_puts(b, "</td></tr>\n");
    }
    vm_buf_puts(b, "</tbody>\n</table>\n");
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
        targets(b, rule->excludes);
        vm_buf_puts(b, "</strong> by <code>");
        x(b, rule->id);
        vm_buf_puts(b, "</code><br>");
        x(b, rule->rationale);
        vm_buf_puts(b, " <span class=\"ref\">");
        x(b, rule->reference);
        vm_buf_puts(b, "</span>");
        because(b, r, rule, ev->values);
        vm_buf_puts(b, "</div>\n");
    }
    if (!any)
        vm_buf_puts(b, "<p>Nothing was ruled out.</p>\n");
}

static void risks_and_toolchain(vm_buf *b, const vm_report *r, const vm_eval_report *ev, const char *h)
{
    if (ev->nrisks) {
        vm_buf_printf(b, "<%s>Risks of the chosen platform</%s>\n<ul class=\"plain\">\n", h, h);
        for (uint32_t i = 0; i < ev->nrisks; i++) {
            const vm_rule *rule = vm_ruleset_rule(r->rules, ev->risks[i].rule);
            vm_buf_puts(b, "<li>");
            x(b, rule->risks[ev->risks[i].index]);
            vm_buf_puts(b, " <span class=\"ref\">");
            x(b, rule->reference);
            vm_buf_puts(b, "</span></li>\n");
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
            vm_buf_puts(b, "<li>");
            x(b, rule->suggests[ev->suggestions[i].index].text);
            vm_buf_puts(b, " <span class=\"ref\">");
            x(b, rule->reference);
            vm_buf_puts(b, "</span></li>\n");
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
                   "margin.</p>\n<table>\n<thead><tr><th>field</th><th>could change the paradigm</th>"
                   "<th class=\"n\">swing</th><th>for example</th></tr></thead>\n<tbody>\n");
    for (uint32_t i = 0; i < ev->nunknowns; i++) {
        const vm_variation *u = &ev->unknowns[i];
        vm_buf_puts(b, "<tr><td><code>");
        vm_buf_puts(b, vm_field(u->field)->path);
        vm_buf_puts(b, u->flips ? "</code></td><td><span class=\"badge warn\">yes</span></td>"
                                : "</code></td><td>no</td>");
        vm_buf_puts(b, "<td class=\"n\">");
        num(b, u->swing);
        vm_buf_puts(b, "</td><td>");
        value(b, u->field, &u->value);
        vm_buf_puts(b, " → ");
        vm_buf_puts(b, vm_target_name(u->paradigm));
        vm_buf_puts(b, "</td></tr>\n");
    }
    vm_buf_puts(b, "</tbody>\n</table>\n");
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
        verdict(b, c->paradigm, c->platform, -1);
        vm_buf_puts(b, "</strong>.</li>\n");
    }
    vm_buf_puts(b, "</ul>\n");
}

static void cards(vm_buf *b, int paradigm, int platform, int cplat, double conf, int runner, const vm_result *res,
                  bool margin)
{
    vm_buf_puts(b, "<div class=\"verdict\">\n<div class=\"card main\"><div class=\"k\">Paradigm</div><div class=\"v\">");
    vm_buf_puts(b, vm_target_name(paradigm));
    vm_buf_puts(b, "</div></div>\n");
    if (paradigm == VM_T_HYBRID && cplat >= 0) {
        vm_buf_puts(b, "<div class=\"card\"><div class=\"k\">VM foundation</div><div class=\"v\">");
        vm_buf_puts(b, vm_target_name(platform));
        vm_buf_puts(b, "</div></div>\n<div class=\"card\"><div class=\"k\">Container platform</div><div class=\"v\">");
        vm_buf_puts(b, vm_target_name(cplat));
        vm_buf_puts(b, "</div></div>\n");
    } else {
        vm_buf_puts(b, "<div class=\"card\"><div class=\"k\">Platform</div><div class=\"v\">");
        vm_buf_puts(b, vm_target_name(platform));
        vm_buf_puts(b, "</div></div>\n");
    }
    vm_buf_puts(b, "<div class=\"card\"><div class=\"k\">Confidence</div><div class=\"v\">");
    num(b, conf);
    vm_buf_puts(b, "</div><div class=\"meter\"><span style=\"width:");
    vm_buf_num(b, conf * 100, 0);
    vm_buf_puts(b, "%\"></span></div></div>\n<div class=\"card\"><div class=\"k\">Runner-up</div><div class=\"v\">");
    vm_buf_puts(b, vm_target_name(runner));
    vm_buf_puts(b, "</div>");
    if (margin && runner >= 0) {
        vm_buf_puts(b, "<div class=\"ref\">margin ");
        num(b, res->margin);
        vm_buf_puts(b, "</div>");
    }
    vm_buf_puts(b, "</div>\n</div>\n");
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
    vm_buf_puts(b, "</figure>\n</div>\n");
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
    vm_buf_puts(b, "</code>:</p>\n<table>\n<thead><tr><th></th><th>now</th><th>what if</th><th class=\"n\">change</th>"
                   "</tr></thead>\n<tbody>\n<tr><td>recommendation</td><td>");
    verdict(b, r->paradigm, r->platform, r->container_platform);
    vm_buf_puts(b, "</td><td><strong>");
    verdict(b, w->paradigm, w->platform, w->container_platform);
    vm_buf_puts(b, "</strong></td><td class=\"n\">");
    vm_buf_puts(b, r->paradigm != w->paradigm ? "<span class=\"badge warn\">changes</span>" : "unchanged");
    vm_buf_puts(b, "</td></tr>\n<tr><td>confidence</td><td>");
    num(b, r->confidence);
    vm_buf_puts(b, "</td><td>");
    num(b, w->confidence);
    vm_buf_puts(b, "</td>");
    num_cell(b, w->confidence - r->confidence, true);
    vm_buf_puts(b, "</tr>\n<tr><td>runner-up</td><td>");
    vm_buf_puts(b, vm_target_name(r->runner_up));
    vm_buf_puts(b, "</td><td>");
    vm_buf_puts(b, vm_target_name(w->runner_up));
    vm_buf_puts(b, "</td><td></td></tr>\n");
    for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
        int t = vm_paradigm_spec_order[i];
        vm_buf_printf(b, "<tr><td>score: %s</td><td>", vm_target_name(t));
        num(b, r->main.res.score[t]);
        vm_buf_puts(b, "</td><td>");
        num(b, w->main.res.score[t]);
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
    vm_buf_puts(b, "</tbody>\n</table>\n</div>\n");
}

void vm_render_html(const vm_report *r, vm_buf *b)
{
    const vm_profile *p = r->profile;
    const vm_value *name = &p->values.v[VM_F_META_NAME];
    const char *nm = name->set ? name->u.s : "(unnamed)";
    bool comps = r->ncomponents > 0;

    vm_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"vmctr " VMCTR_VERSION "\">\n<title>vmctr: ");
    x(b, nm);
    vm_buf_puts(b, " \xe2\x80\x94 ");
    verdict(b, r->paradigm, r->platform, r->container_platform);
    vm_buf_puts(b, "</title>\n<style>\n");
    vm_buf_puts(b, CSS);
    vm_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n<header>\n<h1>");
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
    verdict(b, r->paradigm, r->platform, r->container_platform);
    vm_buf_puts(b, "</strong>");
    if (r->paradigm == VM_T_HYBRID && r->container_platform >= 0 && r->platform >= 0)
        vm_buf_printf(b, ": virtual machines on %s as the foundation, with %s for the containerised parts",
                      vm_target_name(r->platform), vm_target_name(r->container_platform));
    vm_buf_puts(b, ".</p>\n");
    cards(b, r->paradigm, r->platform, r->container_platform, r->confidence, r->runner_up, &r->main.res, !comps);
    int pp = vm_report_proposed_paradigm(&p->values), pf = vm_report_proposed_platform(&p->values);
    if (pp >= 0 || pf >= 0) {
        bool match = (pp < 0 || pp == r->paradigm) && (pf < 0 || pf == r->platform || pf == r->container_platform);
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
        vm_buf_puts(b, "<table>\n<thead><tr><th>component</th><th>recommendation</th><th class=\"n\">confidence</th>"
                       "<th>runner-up</th></tr></thead>\n<tbody>\n");
        for (uint32_t i = 0; i < r->ncomponents; i++) {
            const vm_result *res = &r->components[i].ev.res;
            vm_buf_puts(b, "<tr><td>");
            x(b, r->components[i].comp->name);
            vm_buf_puts(b, "</td><td>");
            verdict(b, res->paradigm, res->platform, res->container_platform);
            vm_buf_puts(b, "</td><td class=\"n\">");
            num(b, res->confidence);
            vm_buf_puts(b, "</td><td>");
            vm_buf_puts(b, vm_target_name(res->runner_up));
            vm_buf_puts(b, "</td></tr>\n");
        }
        vm_buf_puts(b, "<tr><td><strong>system</strong></td><td><strong>");
        verdict(b, r->paradigm, r->platform, r->container_platform);
        vm_buf_puts(b, "</strong></td><td class=\"n\">");
        num(b, r->confidence);
        vm_buf_puts(b, r->paradigm == VM_T_HYBRID ? "</td><td>the components' paradigms differ</td></tr>\n"
                                                   : "</td><td>every component agrees</td></tr>\n");
        vm_buf_puts(b, "</tbody>\n</table>\n");
    }
    if (r->what_if)
        what_if(b, r);

    vm_buf_puts(b, "<h2>Scores</h2>\n");
    charts(b, &r->main, comps ? r->main.res.paradigm : r->paradigm,
           comps ? "Paradigm scores (shared fields)" : "Paradigm scores");
    evaluation(b, r, &r->main, "h2");

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
            cards(b, res->paradigm, res->platform, res->container_platform, res->confidence, res->runner_up, res,
                  true);
            charts(b, &c->ev, res->paradigm, "Paradigm scores");
            evaluation(b, r, &c->ev, "h4");
            vm_buf_puts(b, "</section>\n");
        }
    }
    vm_buf_puts(b, "<footer>Generated by vmctr " VMCTR_VERSION ". Scores: a fired rule adds its weight times its "
                   "category's priority / 3; confidence = margin / (margin + 5 × mean priority / 3).</footer>\n</main>\n</body>\n</html>\n");
}
