/*
 * report_text.c - the human report.
 *
 * Concise by default: the recommendation, paradigm score bars, the top
 * reasons with the file:line of the fields behind them, blockers, the three
 * unknowns and counterfactuals that matter most and one line per component.
 * With o->explain it shows everything the JSON report carries. Colour and
 * block characters only when the options ask for them; long text wraps to
 * o->width with a hanging indent. Output depends only on the report and the
 * options, so it is byte-identical across runs.
 */
#include "util/escape.h"
#include "util/fmath.h"
#include "vmctr/report.h"
#include "report_fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAR_MAX 24       /* bar cells at 60 columns and wider */
#define BAR_MIN 4
#define LABEL_W 16

typedef struct {
    const vm_report *r;
    const vm_render_opts *o;
    vm_buf *b;
    int width;
    int bar_cells;      /* bars fit the width: "  label(16) value(6)  bar ruled out" */
    const char *file;
} tctx;

/* ANSI styles */
#define S_BOLD "1"
#define S_DIM "2"
#define S_RED "31"
#define S_GREEN "32"
#define S_YELLOW "33"
#define S_CYAN "36"
#define S_BOLD_GREEN "1;32"
#define S_BOLD_YELLOW "1;33"

static void sty(tctx *t, const char *code)
{
    if (!t->o->color)
        return;
    vm_buf_put(t->b, "\033[", 2);
    vm_buf_puts(t->b, code);
    vm_buf_putc(t->b, 'm');
}

static void unsty(tctx *t)
{
    if (t->o->color)
        vm_buf_put(t->b, "\033[0m", 4);
}

/* display columns of UTF-8 text (every code point counts one) */
static int cols_n(const char *s, size_t n) { return vm_text_width_n(s, n); }

static int cols(const char *s) { return vm_text_width(s); }

static void spaces(vm_buf *b, int n)
{
    static const char sp[] = "                                                                ";
    while (n > 0) {
        int k = n > 64 ? 64 : n;
        vm_buf_put(b, sp, (size_t)k);
        n -= k;
    }
}

/* Writes `s` padded with spaces to `w` columns; returns columns written. */
static int pad(vm_buf *b, const char *s, int w)
{
    int c = cols(s);
    vm_buf_puts(b, s);
    if (c < w) {
        spaces(b, w - c);
        return w;
    }
    return c;
}

/* The escaped word at t->b->data[at..] does not fit from column col: it
 * is rewritten broken hard at the width, continuation lines at `indent`
 * (a long name, a URL). Returns the column after it. */
static int hard_break(tctx *t, size_t at, int col, int indent, int width)
{
    size_t n = t->b->len - at;
    char *w = malloc(n ? n : 1);
    if (!w) {
        t->b->oom = true;
        return col;
    }
    memcpy(w, t->b->data + at, n);
    t->b->len = at;
    for (size_t i = 0; i < n;) {
        size_t k = i + 1;
        while (k < n && ((unsigned char)w[k] & 0xC0) == 0x80)
            k++;
        if (col + 1 > width && col > indent) {
            vm_buf_putc(t->b, '\n');
            spaces(t->b, indent);
            col = indent;
        }
        vm_buf_put(t->b, w + i, k - i);
        col++;
        i = k;
    }
    free(w);
    return col;
}

/*
 * Word-wraps `s` starting at column `*col`; continuation lines start at
 * column `indent` (at most half the width). A word longer than a line is
 * broken hard at the width. Leaves *col at the column after the last word.
 */
static void wrap_ex(tctx *t, const char *s, int indent, int *col, bool glue)
{
    int width = t->width < 20 ? 20 : t->width;
    bool fresh = *col <= indent || glue; /* nothing on the line yet (or glued on) */
    if (indent > width / 2)
        indent = width / 2;
    while (*s) {
        while (*s == ' ' || *s == '\n')
            s++;
        if (!*s)
            break;
        size_t n = strcspn(s, " \n");
        int wc = cols_n(s, n);
        bool line_start = fresh;
        if (!line_start && *col + 1 + wc > width) {
            vm_buf_putc(t->b, '\n');
            spaces(t->b, indent);
            *col = indent;
            line_start = true;
        }
        if (!line_start) {
            vm_buf_putc(t->b, ' ');
            (*col)++;
        }
        size_t at = t->b->len;
        vm_esc_term(t->b, s, n); /* profile and rule text: escape.h */
        int ec = t->b->oom ? wc : cols_n(t->b->data + at, t->b->len - at);
        if (!t->b->oom && *col + ec > width)
            *col = hard_break(t, at, *col, indent, width);
        else
            *col += ec;
        s += n;
        fresh = false;
    }
}

static void wrap(tctx *t, const char *s, int indent, int *col) { wrap_ex(t, s, indent, col, false); }

static void wrapped_line(tctx *t, int indent, const char *s)
{
    int col = indent;
    spaces(t->b, indent);
    wrap(t, s, indent, &col);
    vm_buf_putc(t->b, '\n');
}

/* a number into a small string, for padding; no allocation */
static const char *fmt_num(double v, bool sign, char *out, size_t cap)
{
    char tmp[VM_NUM_MAX + 2];
    char *p = tmp;
    if (sign && v > 0.005)
        *p++ = '+';
    p = vm_fmt_num(p, v, 2);
    size_t n = (size_t)(p - tmp);
    if (n > cap - 1)
        n = cap - 1;
    memcpy(out, tmp, n);
    out[n] = '\0';
    return out;
}

/* Frees a scratch buffer; running out of memory in it is running out of
 * memory in the report (the section would be missing: never exit 0). */
static void tmp_done(vm_buf *b, vm_buf *tmp)
{
    if (tmp->oom)
        b->oom = true;
    vm_buf_free(tmp);
}

static const char *signed_str(double v, char *out, size_t cap) { return fmt_num(v, true, out, cap); }
static const char *num_str(double v, char *out, size_t cap) { return fmt_num(v, false, out, cap); }

/* A section's title in bold on a line of its own, after a blank line;
 * suffix (" (system)" or "") says which evaluation the section is of. */
static void heading(tctx *t, const char *title, const char *suffix)
{
    vm_buf_putc(t->b, '\n');
    sty(t, S_BOLD);
    vm_buf_puts(t->b, title);
    vm_buf_puts(t->b, suffix);
    unsty(t);
    vm_buf_putc(t->b, '\n');
}

static const char *name_of(const vm_report *r)
{
    const vm_value *v = &r->profile->values.v[VM_F_META_NAME];
    return v->set ? v->u.s : "(unnamed)";
}

/* "vm on hyper-v", "hybrid on vmware-esxi + kubernetes", "none"; extra: a
 * system's micro-VM platform beside its VMs */
static void verdict_x(tctx *t, int paradigm, int platform, int cplat, int extra, bool color)
{
    char plat[96];
    if (paradigm < 0) {
        if (color)
            sty(t, S_RED);
        vm_buf_puts(t->b, "none (every paradigm is ruled out)");
        if (color)
            unsty(t);
        return;
    }
    if (color)
        sty(t, S_BOLD_GREEN);
    vm_buf_puts(t->b, vm_target_name(paradigm));
    if (color)
        unsty(t);
    vm_buf_puts(t->b, " on ");
    if (platform < 0)
        vm_buf_puts(t->b, "no fitting platform");
    else
        vm_buf_puts(t->b, vm_report_platform_text(platform, cplat, plat, sizeof plat));
    if (platform >= 0 && extra >= 0) {
        vm_buf_puts(t->b, " + ");
        vm_buf_puts(t->b, vm_target_name(extra));
    }
}

static void verdict(tctx *t, int paradigm, int platform, int cplat, bool color)
{
    verdict_x(t, paradigm, platform, cplat, -1, color);
}

/* --- because: the profile fields behind a rule, with file:line --------- */

static void because_block(tctx *t, const vm_rule *rule, const vm_values *v, int indent)
{
    int fields[VM_FIELD_COUNT];
    char vb[512];
    size_t n = vm_report_because(rule, v, fields, VM_FIELD_COUNT);
    for (size_t i = 0; i < n; i++) {
        const vm_field_def *f = vm_field(fields[i]);
        const vm_value *x = &v->v[fields[i]];
        spaces(t->b, indent);
        sty(t, S_DIM);
        if (!x->set)
            vm_buf_puts(t->b, "(absent)");
        else if (x->line == 0)
            vm_buf_puts(t->b, "--what-if");
        else
        {
            vm_esc_terms(t->b, t->file);
            vm_buf_printf(t->b, ":%u", x->line);
        }
        unsty(t);
        vm_buf tmp;
        vm_buf_init(&tmp);
        vm_buf_puts(&tmp, f->path);
        if (x->set) {
            vm_buf_puts(&tmp, " = ");
            vm_buf_puts(&tmp, vm_value_text(f, x, vb, sizeof vb));
        } else {
            vm_buf_puts(&tmp, " is unknown");
        }
        /* the evidence wraps to the width like any other text: on a narrow
         * terminal the field starts on its own line under the location */
        int col = indent + 2 + (x->set && x->line ? cols(t->file) + 1 + (x->line >= 10000 ? 5 : x->line >= 1000 ? 4 : x->line >= 100 ? 3 : x->line >= 10 ? 2 : 1) : x->set ? 9 : 8);
        if (col + cols(tmp.oom ? "" : tmp.data) > t->width && col > indent + 4) {
            vm_buf_putc(t->b, '\n');
            spaces(t->b, indent + 2);
            col = indent + 2;
        } else {
            vm_buf_puts(t->b, "  ");
        }
        wrap_ex(t, tmp.oom ? "" : tmp.data, indent + 2, &col, true);
        tmp_done(t->b, &tmp);
        vm_buf_putc(t->b, '\n');
    }
}

/* --- scores ---------------------------------------------------------- */

static int bar(tctx *t, double v, double max)
{
    static const char *const eighths[8] = {"", "\u258F", "\u258E", "\u258D", "\u258C", "\u258B", "\u258A", "\u2589"};
    int used = 0;
    if (max > 0 && fabs(v) > VM_SCORE_EPS) {
        double frac = fabs(v) / max;
        if (v > 0 && t->o->unicode) {
            int e = (int)vm_lround(frac * t->bar_cells * 8);
            if (e < 1)
                e = 1;
            for (int i = 0; i < e / 8; i++)
                vm_buf_puts(t->b, "\u2588");
            used = e / 8;
            if (e % 8) {
                vm_buf_puts(t->b, eighths[e % 8]);
                used++;
            }
        } else {
            int c = (int)vm_lround(frac * t->bar_cells);
            if (c < 1)
                c = 1;
            const char *ch = v > 0 ? "#" : t->o->unicode ? "\u2591" : "-";
            for (int i = 0; i < c; i++)
                vm_buf_puts(t->b, ch);
            used = c;
        }
    }
    return used;
}

static void score_rows(tctx *t, const vm_result *res, int from, int to, const int *order, int chosen, int chosen2)
{
    double max = 0;
    int n = to - from;
    for (int i = 0; i < n; i++) {
        int tg = order ? order[i] : from + i;
        if (fabs(res->score[tg]) > max)
            max = fabs(res->score[tg]);
    }
    for (int i = 0; i < n; i++) {
        int tg = order ? order[i] : from + i;
        bool win = tg == chosen || tg == chosen2;
        vm_buf_puts(t->b, "  ");
        if (win)
            sty(t, S_BOLD_GREEN);
        pad(t->b, vm_target_name(tg), LABEL_W);
        if (win)
            unsty(t);
        char sn[32];
        int sc = cols(num_str(res->score[tg], sn, sizeof sn));
        spaces(t->b, 6 - sc);
        vm_buf_puts(t->b, sn);
        bool excl = (res->excluded >> tg) & 1u;
        if (excl || win || (max > 0 && fabs(res->score[tg]) > VM_SCORE_EPS))
            vm_buf_puts(t->b, "  ");
        int used = bar(t, res->score[tg], max);
        if (excl || win)
            spaces(t->b, t->bar_cells - used);
        if (excl) {
            vm_buf_puts(t->b, " ");
            sty(t, S_RED);
            vm_buf_puts(t->b, "ruled out");
            unsty(t);
        } else if (win) {
            vm_buf_puts(t->b, " ");
            sty(t, S_GREEN);
            vm_buf_puts(t->b, "chosen");
            unsty(t);
        }
        vm_buf_putc(t->b, '\n');
    }
}

/* --- sections --------------------------------------------------------- */

/* "effects: vm +3, container -2", wrapped from column *col */
static void effects(tctx *t, const vm_rule *r, double k, int indent, int *col)
{
    vm_buf tmp;
    vm_buf_init(&tmp);
    bool first = true;
    vm_buf_puts(&tmp, "effects:");
    for (int tg = 0; tg < VM_TARGET_COUNT; tg++) {
        if (r->scores[tg] == 0)
            continue;
        vm_buf_puts(&tmp, first ? " " : ", ");
        first = false;
        vm_buf_puts(&tmp, vm_target_name(tg));
        vm_buf_puts(&tmp, "\xc2\xa0"); /* U+00A0 keeps a target and its number on one line */
        rf_signed_num(&tmp, r->scores[tg] * k);
    }
    if (!tmp.oom) {
        /* wrap on spaces only, then turn the glue back into spaces (the
         * text is target names and numbers: no other U+00A0) */
        size_t start = t->b->len, o = start;
        wrap(t, tmp.data, indent, col);
        for (size_t i = start; i < t->b->len; i++) {
            if (t->b->data[i] == '\xc2' && i + 1 < t->b->len && t->b->data[i + 1] == '\xa0') {
                t->b->data[o++] = ' ';
                i++;
            } else {
                t->b->data[o++] = t->b->data[i];
            }
        }
        if (!t->b->oom && t->b->data) {
            t->b->len = o;
            t->b->data[o] = '\0';
        }
    }
    tmp_done(t->b, &tmp);
}

/* "ref: REFERENCE" dimmed on a line of its own, indented, wrapped under
 * the reference. */
static void ref_line(tctx *t, const char *ref, int indent)
{
    sty(t, S_DIM);
    spaces(t->b, indent);
    vm_buf_puts(t->b, "ref: ");
    int col = indent + 5;
    wrap(t, ref, col, &col);
    unsty(t);
    vm_buf_putc(t->b, '\n');
}

static void reason(tctx *t, const vm_eval_report *ev, const vm_reason *x)
{
    const vm_rule *r = vm_ruleset_rule(t->r->rules, x->rule);
    char sn[32];
    int col = 2;
    vm_buf_puts(t->b, "  ");
    col += pad(t->b, signed_str(x->contribution, sn, sizeof sn), 6);
    sty(t, S_BOLD);
    wrap(t, r->title, 8, &col);
    unsty(t);
    vm_buf_putc(t->b, '\n');
    if (t->o->explain) {
        spaces(t->b, 8);
        sty(t, S_CYAN);
        vm_buf_puts(t->b, r->id);
        unsty(t);
        col = 8 + cols(r->id);
        char cat[48];
        snprintf(cat, sizeof cat, "(%s)", vm_category_name(r->category));
        wrap(t, cat, 8, &col);
        effects(t, r, ev->factor[r->category], 8, &col);
        vm_buf_putc(t->b, '\n');
        wrapped_line(t, 8, r->rationale);
        because_block(t, r, ev->values, 8);
        ref_line(t, r->reference, 8);
    } else {
        because_block(t, r, ev->values, 8);
    }
}

static void reasons(tctx *t, const vm_eval_report *ev, const char *suffix)
{
    uint32_t shown = 0;
    if (t->o->explain) {
        char title[64];
        snprintf(title, sizeof title, "Rationale: %u rules, by contribution", ev->nreasons);
        heading(t, title, suffix);
        if (ev->nreasons) {
            sty(t, S_DIM);
            wrapped_line(t, 2, "How to read: the number before a rule is its contribution, what it adds to "
                               "the margin between the recommendation and the runner-up (its weight x its "
                               "category's priority / 3); effects are what it adds to each score. Confidence = "
                               "margin / (margin + 5), from 0 to 1.");
            unsty(t);
        }
        if (!ev->nreasons)
            vm_buf_puts(t->b, "  (no scoring rule fired)\n");
        for (uint32_t i = 0; i < ev->nreasons; i++)
            reason(t, ev, &ev->reasons[i]);
        return;
    }
    heading(t, "Why", suffix);
    for (uint32_t i = 0; i < ev->nreasons && shown < 5; i++) {
        const vm_reason *x = &ev->reasons[i];
        if (x->contribution < -VM_SCORE_EPS || (fabs(x->contribution) < VM_SCORE_EPS && x->platform_effect <= VM_SCORE_EPS))
            continue;
        reason(t, ev, x);
        shown++;
    }
    if (!shown)
        vm_buf_puts(t->b, "  (no rule favours the recommendation over the runner-up)\n");
}

static void blockers(tctx *t, const vm_eval_report *ev, const char *suffix)
{
    bool any = false;
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(t->r->rules, ev->fired[i]);
        if (!r->excludes)
            continue;
        if (!any)
            heading(t, "Ruled out", suffix);
        any = true;
        vm_buf_puts(t->b, "  ");
        sty(t, S_RED);
        vm_buf_puts(t->b, t->o->unicode ? "\u2717 " : "x ");
        vm_buf tmp;
        vm_buf_init(&tmp);
        bool first = true;
        for (int tg = 0; tg < VM_TARGET_COUNT; tg++) {
            if (!((r->excludes >> tg) & 1u))
                continue;
            if (!first)
                vm_buf_puts(&tmp, ", ");
            first = false;
            vm_buf_puts(&tmp, vm_target_name(tg));
        }
        vm_buf_puts(&tmp, " by ");
        vm_buf_puts(&tmp, r->id);
        int col = 4;
        if (!tmp.oom)
            wrap_ex(t, tmp.data, 4, &col, true);
        tmp_done(t->b, &tmp);
        unsty(t);
        vm_buf_putc(t->b, '\n');
        wrapped_line(t, 4, r->rationale);
        because_block(t, r, ev->values, 4);
        if (t->o->explain)
            ref_line(t, r->reference, 4);
    }
}

/* " (reference)" wrapped like the text before it */
static void paren_ref(tctx *t, const char *ref, int indent, int *col)
{
    vm_buf tmp;
    vm_buf_init(&tmp);
    vm_buf_putc(&tmp, '(');
    vm_buf_puts(&tmp, ref);
    vm_buf_putc(&tmp, ')');
    if (!tmp.oom)
        wrap(t, tmp.data, indent, col);
    tmp_done(t->b, &tmp);
}

static void risks(tctx *t, const vm_eval_report *ev)
{
    /* a platform the fixed order picked among tied ones was not chosen */
    bool tied = ev->res.platform >= 0 && ((ev->res.platform_tied >> ev->res.platform) & 1u);
    if (ev->nrisks)
        heading(t, tied ? "Risks of the platform shown (first of the tied ones)" : "Risks of the chosen platform", "");
    for (uint32_t i = 0; i < ev->nrisks; i++) {
        const vm_rule *r = vm_ruleset_rule(t->r->rules, ev->risks[i].rule);
        int col = 4;
        vm_buf_puts(t->b, t->o->unicode ? "  \u2022 " : "  - ");
        wrap(t, r->risks[ev->risks[i].index], 4, &col);
        sty(t, S_DIM);
        paren_ref(t, r->reference, 4, &col);
        unsty(t);
        vm_buf_putc(t->b, '\n');
    }
}

static void suggestions(tctx *t, const vm_eval_report *ev)
{
    if (ev->nsuggestions)
        heading(t, "Companion toolchain", "");
    for (int tp = 0; tp < VM_REPORT_TOPIC_COUNT; tp++) {
        bool topic_shown = false;
        for (uint32_t i = 0; i < ev->nsuggestions; i++) {
            if (ev->suggestions[i].topic != tp)
                continue;
            const vm_rule *r = vm_ruleset_rule(t->r->rules, ev->suggestions[i].rule);
            if (!topic_shown) {
                vm_buf_puts(t->b, "  ");
                sty(t, S_BOLD);
                vm_buf_puts(t->b, vm_report_topic_titles[tp]);
                unsty(t);
                vm_buf_putc(t->b, '\n');
                topic_shown = true;
            }
            int col = 6;
            vm_buf_puts(t->b, t->o->unicode ? "    \u2022 " : "    - ");
            wrap(t, r->suggests[ev->suggestions[i].index].text, 6, &col);
            sty(t, S_DIM);
            paren_ref(t, r->reference, 6, &col);
            unsty(t);
            vm_buf_putc(t->b, '\n');
        }
    }
}

static void unknowns(tctx *t, const vm_eval_report *ev, const char *suffix)
{
    if (!ev->nunknowns)
        return;
    char vb[256];
    heading(t, "Answer these next", suffix);
    uint32_t n = t->o->explain ? ev->nunknowns : (ev->nunknowns < 3 ? ev->nunknowns : 3);
    for (uint32_t i = 0; i < n; i++) {
        const vm_variation *u = &ev->unknowns[i];
        const vm_field_def *f = vm_field(u->field);
        vm_buf tmp;
        vm_buf_init(&tmp);
        vm_buf_puts(&tmp, f->path);
        vm_buf_puts(&tmp, ": ");
        if (u->flips)
            vm_buf_printf(&tmp, "could change the recommendation (%s would give %s); ",
                          vm_value_text(f, &u->value, vb, sizeof vb), vm_target_name(u->paradigm));
        else
            vm_buf_printf(&tmp, "would not change the paradigm (%s keeps %s); ",
                          vm_value_text(f, &u->value, vb, sizeof vb), vm_target_name(u->paradigm));
        vm_buf_puts(&tmp, ev == &t->r->main && t->r->ncomponents ? "moves a component's margin by up to "
                                                                 : "moves the margin by up to ");
        rf_num(&tmp, u->swing);
        if (!tmp.oom) {
            int col = 4;
            if (u->flips)
                sty(t, S_YELLOW);
            vm_buf_puts(t->b, t->o->unicode ? "  ? " : "  ? ");
            wrap(t, tmp.data, 4, &col);
            if (u->flips)
                unsty(t);
            vm_buf_putc(t->b, '\n');
        }
        tmp_done(t->b, &tmp);
    }
}

static void counterfactuals(tctx *t, const vm_eval_report *ev, const char *suffix)
{
    if (!ev->ncf)
        return;
    char vb[256], fb[256], plat[96];
    heading(t, "What would change it", suffix);
    uint32_t n = t->o->explain ? ev->ncf : (ev->ncf < 3 ? ev->ncf : 3);
    for (uint32_t i = 0; i < n; i++) {
        const vm_variation *c = &ev->cf[i];
        const vm_field_def *f = vm_field(c->field);
        const vm_value *from = &ev->values->v[c->field];
        vm_buf tmp;
        vm_buf_init(&tmp);
        vm_buf_printf(&tmp, "if %s were %s (now %s), vmctr would recommend %s", f->path,
                      vm_value_text(f, &c->value, vb, sizeof vb), vm_value_text(f, from, fb, sizeof fb),
                      vm_target_name(c->paradigm));
        if (c->platform >= 0) {
            char tie[160];
            vm_buf_printf(&tmp, " on %s%s", vm_variation_platform_text(c, plat, sizeof plat),
                          vm_variation_tie_note(c, tie, sizeof tie));
        }
        if (!tmp.oom) {
            int col = 4;
            vm_buf_puts(t->b, t->o->unicode ? "  \u2192 " : "  > ");
            wrap(t, tmp.data, 4, &col);
            vm_buf_putc(t->b, '\n');
        }
        tmp_done(t->b, &tmp);
    }
}

/* What the verdict cannot claim: a platform tie, too little evidence. */
static void verdict_notes(tctx *t, const vm_verdict *v, bool questions)
{
    char ties[200], line[400];
    if (v->paradigm >= 0 && v->evidence < VM_MIN_EVIDENCE) {
        sty(t, S_YELLOW);
        /* the questions are there unless no answer could move anything
         * (every priority 0, say) */
        wrapped_line(t, 0, questions ? "Too little to decide: no known field of this profile bears on the paradigm, "
                                       "so the verdict above is only the fixed tie order. Answer the questions below."
                                     : "Too little to decide: no known field of this profile bears on the paradigm, "
                                       "so the verdict above is only the fixed tie order.");
        unsty(t);
    }
    if (v->platform_tied) {
        snprintf(line, sizeof line,
                 "Platform tie: %s score the same and nothing in the profile separates them; the first is "
                 "shown by fixed order, not chosen on evidence.",
                 vm_report_ties_text(v->platform_tied, ties, sizeof ties));
        sty(t, S_YELLOW);
        wrapped_line(t, 0, line);
        unsty(t);
    }
}

/* ", runner-up vm"; without one (and not a system), why there is none */
static void runner_up(vm_buf *b, int runner, int paradigm, bool system)
{
    if (runner >= 0) {
        vm_buf_puts(b, ", runner-up ");
        vm_buf_puts(b, vm_target_name(runner));
    } else if (paradigm >= 0 && !system) {
        vm_buf_puts(b, ", no runner-up: every other paradigm is ruled out");
    }
}

/* The verdict's plain text, for measuring it. */
static int verdict_cols(int paradigm, int platform, int cplat, int extra)
{
    char plat[64];
    if (paradigm < 0)
        return cols("none (every paradigm is ruled out)");
    return cols(vm_target_name(paradigm)) + 4 +
           cols(platform < 0 ? "no fitting platform" : vm_report_platform_text(platform, cplat, plat, sizeof plat)) +
           (platform >= 0 && extra >= 0 ? 3 + cols(vm_target_name(extra)) : 0);
}

/* "Recommendation: container on kubernetes (confidence 0.82, runner-up vm)",
 * the parenthesis wrapped to the width under the verdict. */
static void rec_line(tctx *t, const char *label, int paradigm, int platform, int cplat, int extra,
                     double confidence, int runner, bool system)
{
    sty(t, S_BOLD);
    vm_buf_puts(t->b, label);
    unsty(t);
    verdict_x(t, paradigm, platform, cplat, extra, true);
    int col = cols(label) + verdict_cols(paradigm, platform, cplat, extra);
    vm_buf tmp;
    vm_buf_init(&tmp);
    vm_buf_puts(&tmp, "(confidence ");
    rf_conf(&tmp, confidence);
    runner_up(&tmp, runner, paradigm, system);
    vm_buf_putc(&tmp, ')');
    if (!tmp.oom)
        wrap(t, tmp.data, cols(label), &col);
    tmp_done(t->b, &tmp);
    vm_buf_putc(t->b, '\n');
}

static void scores(tctx *t, const vm_eval_report *ev, int chosen, const char *suffix)
{
    heading(t, "Paradigm scores", suffix);
    score_rows(t, &ev->res, 0, VM_PARADIGM_COUNT, vm_paradigm_spec_order, chosen, -1);
    if (t->o->explain) {
        heading(t, "Platform scores", suffix);
        score_rows(t, &ev->res, VM_FIRST_PLATFORM, VM_TARGET_COUNT, NULL, ev->res.platform,
                   ev->res.container_platform);
    }
}

/* Per category: the priorities over which the verdict holds, and what the
 * others give, in runs of equal verdicts ("at 4..5: microvm on kata"). */
static void sensitivity(tctx *t, const vm_eval_report *ev, const char *suffix)
{
    if (!ev->has_sensitivity)
        return;
    char plat[64];
    heading(t, "Priority sensitivity", suffix);
    sty(t, S_DIM);
    wrapped_line(t, 2, "How far each category's priority (0..5, spec.priorities) can move, everything else held, "
                       "before the recommendation changes.");
    unsty(t);
    vm_buf steady;
    vm_buf_init(&steady);
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const vm_sensitivity *x = &ev->sensitivity[c];
        if (!vm_sensitivity_changes(x)) {
            vm_buf_puts(&steady, steady.len ? ", " : "");
            vm_buf_printf(&steady, "%s (%d)", vm_category_name(c), x->priority);
            continue;
        }
        vm_buf tmp;
        vm_buf_init(&tmp);
        vm_buf_printf(&tmp, "%s (priority %d): holds at %d..%d", vm_category_name(c), x->priority, x->holds_from,
                      x->holds_to);
        int q0 = x->priority;
        for (int q = 0; q <= VM_PRIORITY_MAX;) {
            bool own = vm_sensitivity_same(x, q, q0);
            int e = q;
            while (e + 1 <= VM_PRIORITY_MAX && vm_sensitivity_same(x, e + 1, q))
                e++;
            if (!own) {
                if (e > q)
                    vm_buf_printf(&tmp, "; at %d..%d: ", q, e);
                else
                    vm_buf_printf(&tmp, "; at %d: ", q);
                if (x->paradigm[q] < 0)
                    vm_buf_puts(&tmp, "none");
                else
                    vm_buf_printf(&tmp, "%s on %s", vm_target_name(x->paradigm[q]),
                                  x->platform[q] < 0 ? "no fitting platform"
                                                     : vm_sensitivity_platform_text(x, q, plat, sizeof plat));
            }
            q = e + 1;
        }
        if (!tmp.oom) {
            int col = 4;
            vm_buf_puts(t->b, t->o->unicode ? "  \u2195 " : "  ~ ");
            sty(t, S_YELLOW);
            wrap(t, tmp.data, 4, &col);
            unsty(t);
            vm_buf_putc(t->b, '\n');
        }
        tmp_done(t->b, &tmp);
    }
    if (steady.len && !steady.oom) {
        vm_buf_puts(&steady, ": the recommendation holds at every priority 0..5");
        int col = 4;
        vm_buf_puts(t->b, "    ");
        wrap(t, steady.data, 4, &col);
        vm_buf_putc(t->b, '\n');
    }
    tmp_done(t->b, &steady);
}

/* Everything about one evaluation (the profile's, or a component's). */
static void evaluation(tctx *t, const vm_eval_report *ev, int chosen, const char *suffix)
{
    scores(t, ev, chosen, suffix);
    reasons(t, ev, suffix);
    blockers(t, ev, suffix);
    if (t->o->explain) {
        risks(t, ev);
        suggestions(t, ev);
    }
    unknowns(t, ev, suffix);
    counterfactuals(t, ev, suffix);
    if (t->o->explain)
        sensitivity(t, ev, suffix);
}

static void component_full(tctx *t, const vm_component_report *c)
{
    const vm_result *res = &c->ev.res;
    vm_buf_putc(t->b, '\n');
    sty(t, S_BOLD);
    vm_buf tmp;
    vm_buf_init(&tmp);
    /* the names escaped before the words are wrapped: a line feed in a file
     * name is "\n", not a place to break the line (escape.h) */
    vm_buf_puts(&tmp, "== Component ");
    vm_esc_terms(&tmp, c->comp->name);
    vm_buf_puts(&tmp, " (");
    vm_esc_terms(&tmp, t->file);
    vm_buf_printf(&tmp, ":%u) ==", c->comp->line);
    int col = 0;
    if (!tmp.oom)
        wrap(t, tmp.data, 0, &col);
    tmp_done(t->b, &tmp);
    unsty(t);
    vm_buf_putc(t->b, '\n');
    rec_line(t, "Recommendation: ", res->paradigm, res->platform, res->container_platform, -1, res->confidence,
             res->runner_up, false);
    vm_verdict vd;
    vm_eval_verdict(&c->ev, &vd);
    verdict_notes(t, &vd, c->ev.nunknowns > 0);
    evaluation(t, &c->ev, res->paradigm, "");
}

static void components_summary(tctx *t)
{
    int w = 0;
    for (uint32_t i = 0; i < t->r->ncomponents; i++) {
        int c = cols(t->r->components[i].comp->name);
        if (c > w)
            w = c;
    }
    heading(t, "Components", "");
    for (uint32_t i = 0; i < t->r->ncomponents; i++) {
        const vm_component_report *c = &t->r->components[i];
        const vm_result *res = &c->ev.res;
        vm_buf_puts(t->b, "  ");
        int ind = 2 + w + 2 > t->width / 2 ? 4 : 2 + w + 2;
        int col = 2 + pad(t->b, c->comp->name, w + 2);
        verdict(t, res->paradigm, res->platform, res->container_platform, true);
        col += verdict_cols(res->paradigm, res->platform, res->container_platform, -1);
        vm_buf tmp;
        vm_buf_init(&tmp);
        vm_buf_puts(&tmp, "(confidence ");
        rf_conf(&tmp, res->confidence);
        runner_up(&tmp, res->runner_up, res->paradigm, false);
        vm_buf_putc(&tmp, ')');
        if (!tmp.oom)
            wrap(t, tmp.data, ind, &col);
        tmp_done(t->b, &tmp);
        vm_buf_putc(t->b, '\n');
    }
    vm_buf_puts(t->b, "  system: ");
    verdict_x(t, t->r->paradigm, t->r->platform, t->r->container_platform, t->r->sys.extra_platform, true);
    int col = 10 + verdict_cols(t->r->paradigm, t->r->platform, t->r->container_platform, t->r->sys.extra_platform);
    wrap(t, t->r->paradigm == VM_T_HYBRID ? "(the components' paradigms differ)" : "(every component has this paradigm)", 10,
         &col);
    vm_buf_putc(t->b, '\n');
}

static void what_if(tctx *t)
{
    const vm_report *a = t->r, *w = t->r->what_if;
    char plat[96], plat2[96];
    vm_buf_putc(t->b, '\n');
    sty(t, S_BOLD);
    vm_buf_puts(t->b, "What if ");
    for (uint32_t i = 0; i < a->nwhat_if; i++) {
        if (i)
            vm_buf_puts(t->b, ", ");
        vm_esc_terms(t->b, a->what_if_set[i]);
    }
    vm_buf_putc(t->b, ':');
    unsty(t);
    vm_buf_putc(t->b, '\n');
    const char *arrow = t->o->unicode ? " \u2192 " : " -> ";
    bool changed = a->paradigm != w->paradigm;
    vm_buf_puts(t->b, "  paradigm    ");
    vm_buf_puts(t->b, vm_target_name(a->paradigm));
    vm_buf_puts(t->b, arrow);
    if (changed)
        sty(t, S_BOLD_YELLOW);
    vm_buf_puts(t->b, vm_target_name(w->paradigm));
    if (changed)
        unsty(t);
    vm_buf_puts(t->b, changed ? "  (changes)\n" : "  (unchanged)\n");
    vm_buf_puts(t->b, "  platform    ");
    vm_verdict va, vw;
    vm_report_verdict(a, &va);
    vm_report_verdict(w, &vw);
    char tie[160];
    vm_buf_puts(t->b, a->platform >= 0 ? vm_verdict_platform_text(&va, plat, sizeof plat) : "none");
    vm_buf_puts(t->b, vm_verdict_tie_note(&va, tie, sizeof tie));
    vm_buf_puts(t->b, arrow);
    vm_buf_puts(t->b, w->platform >= 0 ? vm_verdict_platform_text(&vw, plat2, sizeof plat2) : "none");
    vm_buf_puts(t->b, vm_verdict_tie_note(&vw, tie, sizeof tie));
    vm_buf_puts(t->b, "\n  confidence  ");
    rf_conf(t->b, a->confidence);
    vm_buf_puts(t->b, arrow);
    rf_conf(t->b, w->confidence);
    vm_buf_puts(t->b, "\n  runner-up   ");
    vm_buf_puts(t->b, vm_target_name(a->runner_up));
    vm_buf_puts(t->b, arrow);
    vm_buf_puts(t->b, vm_target_name(w->runner_up));
    for (int i = 0; i < VM_PARADIGM_COUNT && !a->ncomponents; i++) {
        if (i == 0)
            vm_buf_puts(t->b, "\n  scores     ");
        int tg = vm_paradigm_spec_order[i];
        double o = a->main.res.score[tg], n = w->main.res.score[tg];
        vm_buf_puts(t->b, i ? ", " : " ");
        vm_buf_puts(t->b, vm_target_name(tg));
        vm_buf_putc(t->b, ' ');
        rf_num(t->b, o);
        if (fabs(n - o) > VM_SCORE_EPS) {
            vm_buf_puts(t->b, arrow);
            rf_num(t->b, n);
            vm_buf_puts(t->b, " (");
            rf_signed_num(t->b, n - o);
            vm_buf_putc(t->b, ')');
        }
    }
    vm_buf_putc(t->b, '\n');
    for (uint32_t i = 0; i < a->ncomponents && i < w->ncomponents; i++) {
        const vm_result *o = &a->components[i].ev.res, *n = &w->components[i].ev.res;
        vm_buf_puts(t->b, "  component ");
        vm_esc_terms(t->b, a->components[i].comp->name);
        vm_buf_puts(t->b, ": ");
        vm_buf_puts(t->b, vm_target_name(o->paradigm));
        vm_buf_puts(t->b, arrow);
        vm_buf_puts(t->b, vm_target_name(n->paradigm));
        vm_buf_puts(t->b, " (confidence ");
        rf_conf(t->b, o->confidence);
        vm_buf_puts(t->b, arrow);
        rf_conf(t->b, n->confidence);
        vm_buf_puts(t->b, ")\n");
    }
}

void vm_render_text(const vm_report *r, const vm_render_opts *o, vm_buf *b)
{
    tctx t = {.r = r, .o = o, .b = b, .width = o->width > 0 ? o->width : 80, .file = r->profile->file};
    t.bar_cells = t.width - 2 - LABEL_W - 6 - 2 - 10;
    t.bar_cells = t.bar_cells > BAR_MAX ? BAR_MAX : t.bar_cells < BAR_MIN ? BAR_MIN : t.bar_cells;
    const vm_profile *p = r->profile;
    bool comps = r->ncomponents > 0;

    sty(&t, S_BOLD);
    vm_esc_terms(b, name_of(r));
    unsty(&t);
    sty(&t, S_DIM);
    {
        vm_buf tmp;
        vm_buf_init(&tmp);
        vm_esc_terms(&tmp, p->file); /* before wrapping: a line feed is "\n", not a break */
        vm_buf_printf(&tmp, ":%u", p->line);
        if (p->doc_index)
            vm_buf_printf(&tmp, " (document %u)", p->doc_index + 1);
        int col = cols(name_of(r)) + 1;
        vm_buf_putc(b, ' ');
        if (!tmp.oom)
            wrap(&t, tmp.data, 2, &col);
        tmp_done(b, &tmp);
    }
    unsty(&t);
    vm_buf_putc(b, '\n');
    vm_verdict vd;
    vm_report_verdict(r, &vd);
    rec_line(&t, "Recommendation: ", vd.paradigm, vd.platform, vd.container_platform, vd.extra_platform, vd.confidence,
             vd.runner_up, comps);
    verdict_notes(&t, &vd, r->main.nunknowns > 0);
    int pp = vm_report_proposed_paradigm(&p->values), pf = vm_report_proposed_platform(&p->values);
    if (pp >= 0 || pf >= 0) {
        bool match = vm_report_proposal_matches(pp, pf, r->paradigm, r->platform, r->container_platform,
                                                vd.extra_platform);
        sty(&t, S_BOLD);
        vm_buf_puts(b, "Proposed:       ");
        unsty(&t);
        vm_buf_puts(b, pp >= 0 ? vm_target_name(pp) : "(any paradigm)");
        if (pf >= 0) {
            vm_buf_puts(b, " on ");
            vm_buf_puts(b, vm_target_name(pf));
        }
        sty(&t, match ? S_GREEN : S_RED);
        vm_buf_puts(b, match ? " (matches)" : " (differs)");
        unsty(&t);
        vm_buf_putc(b, '\n');
    }

    if (r->what_if)
        what_if(&t);
    if (comps)
        components_summary(&t);
    if (comps) {
        /* a system: its questions; each component's evaluation follows in full */
        unknowns(&t, &r->main, " (system)");
        counterfactuals(&t, &r->main, " (system)");
        if (o->explain)
            sensitivity(&t, &r->main, " (system)");
    } else {
        evaluation(&t, &r->main, r->paradigm, "");
    }
    if (o->explain)
        for (uint32_t i = 0; i < r->ncomponents; i++)
            component_full(&t, &r->components[i]);
    if (!o->explain) {
        uint32_t n = r->main.nreasons;
        for (uint32_t i = 0; i < r->ncomponents; i++)
            n += r->components[i].ev.nreasons;
        char hint[240];
        if (n)
            snprintf(hint, sizeof hint,
                     "Run with --explain for all %u scoring rules (and how to read their numbers), platform "
                     "scores, risks, the companion toolchain%s.",
                     n, comps ? " and each component in full" : "");
        else
            snprintf(hint, sizeof hint,
                     "No scoring rule fired: the profile says too little to prefer one paradigm. Answer the "
                     "questions above (or write a profile with 'vmctr init').");
        vm_buf_putc(b, '\n');
        sty(&t, S_DIM);
        wrapped_line(&t, 0, hint);
        unsty(&t);
    }
}
