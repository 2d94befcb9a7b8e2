/*
 * cmd_portfolio.c - `vmctr portfolio`: one summary over many profiles.
 *
 * Streams every document through batch.c (-j N). Workers evaluate and
 * encode a small fixed record per profile; `collect`, in input order on the
 * main thread, folds it into counters and bounded top-N lists and drops it.
 * So memory stays flat however many profiles there are, and the summary is
 * the same for any -j. Formats: text, json, html (self-contained, inline
 * SVG bar charts).
 */
#include "batch.h"
#include "cli.h"
#include "rulesload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/report.h"

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_RULES, OPT_NO_BUILTIN, OPT_JOBS, OPT_TOP };

static const char *const formats[] = {"text", "json", "html", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT", "text (default), json or html (self-contained, with bar charts)", OPT_FORMAT, false,
     formats},
    {"output", 'o', "FILE", "write to FILE atomically instead of stdout", OPT_OUTPUT, false, NULL},
    {"top", 'n', "N", "length of the top lists (1..100, default 10)", OPT_TOP, false, NULL},
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    VM_OPT_JOBS_ROW(OPT_JOBS),
    {0},
};

#define TOP_MAX 100
#define NAME_CAP 64
#define FILE_CAP 256

/* What a worker hands to collect for one profile (fixed size, then the
 * blocker rule indices and unknown field ids). */
typedef struct {
    uint32_t doc, line;
    int32_t paradigm, platform, cplatform;
    uint32_t ncomponents;
    double confidence;
    char name[NAME_CAP];
    char file[FILE_CAP];
    uint32_t nblockers, nunknowns;
} prec;

typedef struct {
    double confidence;
    uint32_t doc, line;
    int paradigm, platform, cplatform;
    char name[NAME_CAP];
    char file[FILE_CAP];
} low_entry;

typedef struct {
    const char *format;
    int top;
    const vm_ruleset *rules;
    uint64_t profiles, components, invalid;
    uint64_t paradigm[VM_PARADIGM_COUNT + 1];     /* last: no paradigm */
    uint64_t platform[VM_TARGET_COUNT];
    uint64_t *blockers;                           /* per rule */
    uint64_t unknowns[VM_FIELD_COUNT];
    low_entry low[TOP_MAX];
    int nlow;
    int width;                                    /* text: terminal columns */
    bool unicode;                                 /* text: block-character bars, as advise draws them */
} pctx;

static void copy_str(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 sequence */
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static int process(void *ctxp, vm_worker *w, const char *file, const vm_doc *doc, vm_buf *out, vm_buf *err)
{
    (void)ctxp;
    int st;
    vm_profile *prof = vm_batch_profile(w, file, doc, err, &st);
    if (!prof)
        return st;
    vm_report *rep = vm_arena_alloc(w->arena, sizeof *rep);
    if (!rep || vm_report_build(w->arena, w->engine, prof, VM_REPORT_UNKNOWNS, rep) != VM_OK) {
        vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    prec r;
    memset(&r, 0, sizeof r);
    r.doc = doc->index;
    r.line = prof->values.v[VM_F_META_NAME].line ? prof->values.v[VM_F_META_NAME].line : doc->first_line;
    r.paradigm = rep->paradigm;
    r.platform = rep->platform;
    r.cplatform = rep->container_platform;
    r.confidence = rep->confidence;
    r.ncomponents = rep->ncomponents;
    copy_str(r.name, sizeof r.name, prof->values.v[VM_F_META_NAME].u.s);
    copy_str(r.file, sizeof r.file, file);
    /* blockers: fired rules that exclude something, once per profile */
    size_t nrules = vm_ruleset_count(rep->rules);
    uint8_t *seen = vm_arena_alloc(w->arena, nrules ? nrules : 1);
    uint16_t *blk = vm_arena_alloc(w->arena, (nrules ? nrules : 1) * sizeof *blk);
    if (!seen || !blk) {
        vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    memset(seen, 0, nrules ? nrules : 1);
    uint64_t unk = 0;
    for (uint32_t k = 0; k <= rep->ncomponents; k++) {
        const vm_eval_report *ev = k == 0 ? &rep->main : &rep->components[k - 1].ev;
        for (uint32_t i = 0; i < ev->nfired; i++) {
            uint16_t ri = ev->fired[i];
            if (!seen[ri] && vm_ruleset_rule(rep->rules, ri)->excludes) {
                seen[ri] = 1;
                blk[r.nblockers++] = ri;
            }
        }
        for (uint32_t i = 0; i < ev->nunknowns; i++)
            unk |= UINT64_C(1) << ev->unknowns[i].field;
    }
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        r.nunknowns += (unk >> f) & 1u;
    vm_buf_put(out, (const char *)&r, sizeof r);
    vm_buf_put(out, (const char *)blk, r.nblockers * sizeof *blk);
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if ((unk >> f) & 1u) {
            uint8_t id = (uint8_t)f;
            vm_buf_put(out, (const char *)&id, 1);
        }
    return VM_OK;
}

static void collect(void *ctxp, int status, vm_buf *out)
{
    pctx *c = ctxp;
    if (status == VM_EPROFILE)
        c->invalid++;
    if (status != VM_OK || out->len < sizeof(prec)) {
        vm_buf_reset(out);
        return;
    }
    prec r;
    memcpy(&r, out->data, sizeof r);
    const char *p = out->data + sizeof r;
    if (out->len < sizeof r + r.nblockers * sizeof(uint16_t) + r.nunknowns) {
        vm_buf_reset(out);
        return;
    }
    c->profiles++;
    c->components += r.ncomponents;
    c->paradigm[r.paradigm >= 0 && r.paradigm < VM_PARADIGM_COUNT ? r.paradigm : VM_PARADIGM_COUNT]++;
    if (r.platform >= 0)
        c->platform[r.platform]++;
    if (r.cplatform >= 0)
        c->platform[r.cplatform]++;
    for (uint32_t i = 0; i < r.nblockers; i++) {
        uint16_t ri;
        memcpy(&ri, p + i * sizeof ri, sizeof ri);
        if (c->blockers)
            c->blockers[ri]++;
    }
    p += r.nblockers * sizeof(uint16_t);
    for (uint32_t i = 0; i < r.nunknowns; i++)
        c->unknowns[(uint8_t)p[i] % VM_FIELD_COUNT]++;
    /* least confident: keep the `top` lowest; earlier profiles win ties */
    if (c->nlow < c->top || r.confidence < c->low[c->nlow - 1].confidence - 1e-12) {
        int i = c->nlow < c->top ? c->nlow++ : c->nlow - 1;
        while (i > 0 && r.confidence < c->low[i - 1].confidence - 1e-12) {
            c->low[i] = c->low[i - 1];
            i--;
        }
        low_entry *e = &c->low[i];
        e->confidence = r.confidence;
        e->doc = r.doc;
        e->line = r.line;
        e->paradigm = r.paradigm;
        e->platform = r.platform;
        e->cplatform = r.cplatform;
        memcpy(e->name, r.name, sizeof e->name);
        memcpy(e->file, r.file, sizeof e->file);
    }
    vm_buf_reset(out);
}

/* ---- ranking ---------------------------------------------------------------- */

typedef struct {
    int id;
    uint64_t n;
} ranked;

/* The `top` largest counts (> 0), by count descending, then id ascending. */
static int rank(const uint64_t *counts, int n, int top, ranked *out)
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
        out[j] = (ranked){i, counts[i]};
    }
    return k;
}

static const char *rec_text(int paradigm, int platform, int cplatform, char *buf, size_t cap)
{
    char t[64];
    if (paradigm < 0)
        snprintf(buf, cap, "none");
    else if (platform < 0)
        snprintf(buf, cap, "%s", vm_target_name(paradigm));
    else
        snprintf(buf, cap, "%s/%s", vm_target_name(paradigm), vm_report_platform_text(platform, cplatform, t, sizeof t));
    return buf;
}

static const char *plural(uint64_t n, const char *one, const char *many) { return n == 1 ? one : many; }

static double pct(uint64_t n, uint64_t total) { return total ? 100.0 * (double)n / (double)total : 0.0; }

/* ---- text ------------------------------------------------------------------ */

/* The bar style of `advise`: block characters in eighths with Unicode, `#`
 * without; `cells` wide at the maximum. */
static void text_bar(vm_buf *b, uint64_t n, uint64_t max, int cells, bool unicode)
{
    static const char *const eighths[8] = {"", "\u258F", "\u258E", "\u258D", "\u258C", "\u258B", "\u258A",
                                           "\u2589"};
    if (!max || !n)
        return;
    vm_buf_puts(b, "  ");
    if (unicode) {
        uint64_t e = (n * (uint64_t)cells * 8 + max / 2) / max;
        if (e < 1)
            e = 1;
        for (uint64_t i = 0; i < e / 8; i++)
            vm_buf_puts(b, "\u2588");
        vm_buf_puts(b, eighths[e % 8]);
    } else {
        uint64_t w = (n * (uint64_t)cells + max - 1) / max;
        for (uint64_t i = 0; i < w; i++)
            vm_buf_putc(b, '#');
    }
}

/* Text wrapped at c->width from column *col, continuation lines at indent. */
static void text_wrap(const pctx *c, vm_buf *b, const char *s, int indent, int *col)
{
    if (*col + vm_text_width(s) <= c->width) { /* fits: as laid out (column padding kept) */
        vm_buf_puts(b, s);
        *col += vm_text_width(s);
        return;
    }
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        size_t n = strcspn(s, " ");
        char word[512];
        size_t k = n < sizeof word ? n : sizeof word - 1;
        memcpy(word, s, k);
        word[k] = '\0';
        int wc = vm_text_width(word);
        if (*col > indent && *col + 1 + wc > c->width) {
            vm_buf_printf(b, "\n%*s", indent, "");
            *col = indent;
        } else if (*col > indent) {
            vm_buf_putc(b, ' ');
            (*col)++;
        }
        vm_buf_put(b, s, n);
        *col += wc;
        s += n;
    }
}

static void render_text(const pctx *c, vm_buf *b)
{
    ranked rk[TOP_MAX];
    vm_buf_printf(b, "%s portfolio: %llu %s, %llu %s, %llu invalid %s\n", VM_PROG, (unsigned long long)c->profiles,
                  plural(c->profiles, "profile", "profiles"), (unsigned long long)c->components,
                  plural(c->components, "component", "components"), (unsigned long long)c->invalid,
                  plural(c->invalid, "document", "documents"));
    /* "  label(16) count(7) pct(6)%  bar" */
    int cells = c->width - 2 - 16 - 1 - 7 - 1 - 6 - 2;
    cells = cells > 30 ? 30 : cells < 4 ? 4 : cells;
    uint64_t max = 0;
    for (int i = 0; i <= VM_PARADIGM_COUNT; i++)
        max = c->paradigm[i] > max ? c->paradigm[i] : max;
    vm_buf_puts(b, "\nParadigms\n");
    for (int k = 0; k < VM_PARADIGM_COUNT; k++) {
        int t = vm_paradigm_spec_order[k];
        vm_buf_printf(b, "  %-16s %7llu %5.1f%%", vm_target_name(t), (unsigned long long)c->paradigm[t],
                      pct(c->paradigm[t], c->profiles));
        text_bar(b, c->paradigm[t], max, cells, c->unicode);
        vm_buf_putc(b, '\n');
    }
    if (c->paradigm[VM_PARADIGM_COUNT])
        vm_buf_printf(b, "  %-16s %7llu %5.1f%%\n", "(none)", (unsigned long long)c->paradigm[VM_PARADIGM_COUNT],
                      pct(c->paradigm[VM_PARADIGM_COUNT], c->profiles));
    max = 0;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        max = c->platform[t] > max ? c->platform[t] : max;
    vm_buf_puts(b, "\nPlatforms (a hybrid counts for both of its platforms)\n");
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        vm_buf_printf(b, "  %-16s %7llu %5.1f%%", vm_target_name(t), (unsigned long long)c->platform[t],
                      pct(c->platform[t], c->profiles));
        text_bar(b, c->platform[t], max, cells, c->unicode);
        vm_buf_putc(b, '\n');
    }
    vm_buf_printf(b, "\nLeast confident decisions\n");
    if (!c->nlow)
        vm_buf_puts(b, "  (none)\n");
    int wn = 0, wr = 0; /* column widths: the longest name and recommendation */
    for (int i = 0; i < c->nlow; i++) {
        const low_entry *e = &c->low[i];
        char t[128];
        int w1 = vm_text_width(e->name), w2 = vm_text_width(rec_text(e->paradigm, e->platform, e->cplatform, t, sizeof t));
        wn = w1 > wn ? w1 : wn;
        wr = w2 > wr ? w2 : wr;
    }
    for (int i = 0; i < c->nlow; i++) {
        const low_entry *e = &c->low[i];
        char t[128];
        char line[FILE_CAP + 256];
        snprintf(line, sizeof line, "%-*s %-*s %s:%u", wn, e->name, wr,
                 rec_text(e->paradigm, e->platform, e->cplatform, t, sizeof t), e->file, e->line);
        vm_buf_printf(b, "  %.2f", e->confidence);
        int col = 6;
        vm_buf_puts(b, "  ");
        col += 2;
        text_wrap(c, b, line, 8, &col);
        vm_buf_putc(b, '\n');
    }
    size_t nrules = c->rules ? vm_ruleset_count(c->rules) : 0;
    int n = c->blockers ? rank(c->blockers, (int)nrules, c->top, rk) : 0;
    vm_buf_puts(b, "\nMost frequent blockers (profiles)\n");
    if (!n)
        vm_buf_puts(b, "  (none)\n");
    for (int i = 0; i < n; i++) {
        const vm_rule *r = vm_ruleset_rule(c->rules, (size_t)rk[i].id);
        vm_buf_printf(b, "  %7llu  ", (unsigned long long)rk[i].n);
        char line[1024];
        snprintf(line, sizeof line, "%s: %s", r->id, r->title ? r->title : "");
        int col = 11;
        text_wrap(c, b, line, 11, &col);
        vm_buf_putc(b, '\n');
    }
    n = rank(c->unknowns, VM_FIELD_COUNT, c->top, rk);
    vm_buf_puts(b, "\nMost frequent unknowns worth answering (profiles)\n");
    if (!n)
        vm_buf_puts(b, "  (none)\n");
    for (int i = 0; i < n; i++)
        vm_buf_printf(b, "  %7llu  %s\n", (unsigned long long)rk[i].n, vm_field(rk[i].id)->path);
}

/* ---- json ------------------------------------------------------------------ */

static void render_json(const pctx *c, vm_buf *b)
{
    ranked rk[TOP_MAX];
    vm_buf_printf(b, "{\n  \"schema\": \"vmctr.portfolio/v1\",\n  \"profiles\": %llu,\n  \"components\": %llu,\n"
                     "  \"invalid_documents\": %llu,\n  \"paradigms\": {",
                  (unsigned long long)c->profiles, (unsigned long long)c->components, (unsigned long long)c->invalid);
    for (int k = 0; k < VM_PARADIGM_COUNT; k++) {
        int t = vm_paradigm_spec_order[k];
        vm_buf_printf(b, "%s\"%s\": %llu", k ? ", " : "", vm_target_name(t), (unsigned long long)c->paradigm[t]);
    }
    vm_buf_printf(b, ", \"none\": %llu},\n  \"platforms\": {", (unsigned long long)c->paradigm[VM_PARADIGM_COUNT]);
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        vm_buf_printf(b, "%s\"%s\": %llu", t > VM_FIRST_PLATFORM ? ", " : "", vm_target_name(t),
                      (unsigned long long)c->platform[t]);
    vm_buf_puts(b, "},\n  \"least_confident\": [");
    for (int i = 0; i < c->nlow; i++) {
        const low_entry *e = &c->low[i];
        vm_buf_puts(b, i ? ",\n    {\"profile\": " : "\n    {\"profile\": ");
        vm_buf_json_str(b, e->name);
        vm_buf_puts(b, ", \"file\": ");
        vm_buf_json_str(b, e->file);
        vm_buf_printf(b, ", \"document\": %u, \"line\": %u, \"paradigm\": ", e->doc, e->line);
        if (e->paradigm >= 0)
            vm_buf_json_str(b, vm_target_name(e->paradigm));
        else
            vm_buf_puts(b, "null");
        vm_buf_puts(b, ", \"platform\": ");
        if (e->platform >= 0)
            vm_buf_json_str(b, vm_target_name(e->platform));
        else
            vm_buf_puts(b, "null");
        if (e->cplatform >= 0)
            vm_buf_printf(b, ", \"container_platform\": \"%s\"", vm_target_name(e->cplatform));
        vm_buf_puts(b, ", \"confidence\": ");
        vm_buf_num(b, e->confidence, 2);
        vm_buf_putc(b, '}');
    }
    vm_buf_puts(b, c->nlow ? "\n  ],\n  \"blockers\": [" : "],\n  \"blockers\": [");
    size_t nrules = c->rules ? vm_ruleset_count(c->rules) : 0;
    int n = c->blockers ? rank(c->blockers, (int)nrules, c->top, rk) : 0;
    for (int i = 0; i < n; i++) {
        const vm_rule *r = vm_ruleset_rule(c->rules, (size_t)rk[i].id);
        vm_buf_puts(b, i ? ",\n    {\"rule\": " : "\n    {\"rule\": ");
        vm_buf_json_str(b, r->id);
        vm_buf_puts(b, ", \"title\": ");
        vm_buf_json_str(b, r->title ? r->title : "");
        vm_buf_printf(b, ", \"count\": %llu}", (unsigned long long)rk[i].n);
    }
    vm_buf_puts(b, n ? "\n  ],\n  \"unknowns\": [" : "],\n  \"unknowns\": [");
    n = rank(c->unknowns, VM_FIELD_COUNT, c->top, rk);
    for (int i = 0; i < n; i++)
        vm_buf_printf(b, "%s{\"field\": \"%s\", \"count\": %llu}", i ? ",\n    " : "\n    ", vm_field(rk[i].id)->path,
                      (unsigned long long)rk[i].n);
    vm_buf_puts(b, n ? "\n  ]\n}\n" : "]\n}\n");
}

/* ---- html ------------------------------------------------------------------ */

/* A horizontal SVG bar chart; labels are escaped. */
static void svg_bars(vm_buf *b, const char *title, const char *const *labels, const uint64_t *vals, int n,
                     uint64_t total)
{
    uint64_t max = 0;
    for (int i = 0; i < n; i++)
        max = vals[i] > max ? vals[i] : max;
    int rowh = 22, lw = 260, bw = 360, h = n * rowh + 8;
    vm_buf_puts(b, "<figure><figcaption>");
    vm_buf_xml(b, title);
    vm_buf_printf(b, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
                     "viewBox=\"0 0 %d %d\"><title>",
                  lw + bw + 140, h, lw + bw + 140, h);
    vm_buf_xml(b, title);
    vm_buf_puts(b, "</title>\n");
    for (int i = 0; i < n; i++) {
        int y = 4 + i * rowh;
        int w = max ? (int)((vals[i] * (uint64_t)bw + max - 1) / max) : 0;
        vm_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 8, y + 15);
        vm_buf_xml(b, labels[i]);
        vm_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" rx=\"2\"/>"
                         "<text x=\"%d\" y=\"%d\">%llu (%.1f%%)</text>\n",
                      lw, y + 2, w, lw + w + 6, y + 15, (unsigned long long)vals[i], pct(vals[i], total));
    }
    vm_buf_puts(b, "</svg></figure>\n");
}

static void render_html(const pctx *c, vm_buf *b)
{
    ranked rk[TOP_MAX];
    const char *labels[TOP_MAX > VM_TARGET_COUNT ? TOP_MAX : VM_TARGET_COUNT];
    uint64_t vals[TOP_MAX > VM_TARGET_COUNT ? TOP_MAX : VM_TARGET_COUNT];
    vm_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<title>vmctr portfolio</title>\n<style>\n"
                   "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222}\n"
                   "svg text{font-size:13px;fill:#222}svg rect{fill:#3b6ea5}\n"
                   "figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}\n"
                   "table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;"
                   "text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
                   "</style>\n</head>\n<body>\n<h1>vmctr portfolio</h1>\n");
    vm_buf_printf(b, "<p>%llu %s, %llu %s, %llu invalid %s.</p>\n", (unsigned long long)c->profiles,
                  plural(c->profiles, "profile", "profiles"), (unsigned long long)c->components,
                  plural(c->components, "component", "components"), (unsigned long long)c->invalid,
                  plural(c->invalid, "document", "documents"));
    int n = 0;
    for (int k = 0; k < VM_PARADIGM_COUNT; k++) {
        labels[n] = vm_target_name(vm_paradigm_spec_order[k]);
        vals[n++] = c->paradigm[vm_paradigm_spec_order[k]];
    }
    if (c->paradigm[VM_PARADIGM_COUNT]) {
        labels[n] = "(none)";
        vals[n++] = c->paradigm[VM_PARADIGM_COUNT];
    }
    vm_buf_puts(b, "<h2>Recommendations</h2>\n");
    svg_bars(b, "Paradigms", labels, vals, n, c->profiles);
    n = 0;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        labels[n] = vm_target_name(t);
        vals[n++] = c->platform[t];
    }
    svg_bars(b, "Platforms (a hybrid counts for both of its platforms)", labels, vals, n, c->profiles);
    vm_buf_puts(b, "<h2>Least confident decisions</h2>\n");
    if (!c->nlow)
        vm_buf_puts(b, "<p>None.</p>\n");
    else
        vm_buf_puts(b, "<table>\n<tr><th>confidence</th><th>profile</th><th>recommendation</th><th>file</th></tr>\n");
    for (int i = 0; i < c->nlow; i++) {
        const low_entry *e = &c->low[i];
        char t[128];
        vm_buf_printf(b, "<tr><td class=\"n\">%.2f</td><td>", e->confidence);
        vm_buf_xml(b, e->name);
        vm_buf_puts(b, "</td><td>");
        vm_buf_xml(b, rec_text(e->paradigm, e->platform, e->cplatform, t, sizeof t));
        vm_buf_puts(b, "</td><td>");
        vm_buf_xml(b, e->file);
        vm_buf_printf(b, ":%u</td></tr>\n", e->line);
    }
    if (c->nlow)
        vm_buf_puts(b, "</table>\n");
    size_t nrules = c->rules ? vm_ruleset_count(c->rules) : 0;
    n = c->blockers ? rank(c->blockers, (int)nrules, c->top, rk) : 0;
    vm_buf_puts(b, "<h2>Most frequent blockers</h2>\n");
    if (!n)
        vm_buf_puts(b, "<p>None.</p>\n");
    for (int i = 0; i < n; i++) {
        labels[i] = vm_ruleset_rule(c->rules, (size_t)rk[i].id)->id;
        vals[i] = rk[i].n;
    }
    if (n)
        svg_bars(b, "Profiles with each blocker", labels, vals, n, c->profiles);
    n = rank(c->unknowns, VM_FIELD_COUNT, c->top, rk);
    vm_buf_puts(b, "<h2>Most frequent unknowns worth answering</h2>\n");
    if (!n)
        vm_buf_puts(b, "<p>None.</p>\n");
    for (int i = 0; i < n; i++) {
        labels[i] = vm_field(rk[i].id)->path;
        vals[i] = rk[i].n;
    }
    if (n)
        svg_bars(b, "Profiles where answering the field could move the margin", labels, vals, n, c->profiles);
    vm_buf_puts(b, "<footer><p>Generated by vmctr " VMCTR_VERSION ".</p></footer>\n</body>\n</html>\n");
}

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    pctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    ctx->format = "text";
    ctx->top = 10;
    vm_rules_opts ro = {0};
    const char *output = NULL;
    int jobs = 1;
    int c;
    int rc = 0;
    while ((c = vm_opt_next(&p)) > 0) {
        char *end;
        long n;
        switch (c) {
        case OPT_FORMAT: ctx->format = p.arg; break;
        case OPT_OUTPUT: output = p.arg; break;
        case OPT_RULES: ro.dir = p.arg; break;
        case OPT_NO_BUILTIN: ro.no_builtin = true; break;
        case OPT_TOP:
            n = strtol(p.arg, &end, 10);
            if (*end || n < 1 || n > TOP_MAX) {
                free(ctx);
                return vm_usage_error(cli, "--top takes a number from 1 to %d", TOP_MAX);
            }
            ctx->top = (int)n;
            break;
        case OPT_JOBS: {
            int e = vm_batch_jobs_arg(cli, p.arg, &jobs);
            if (e) {
                free(ctx);
                return e;
            }
            break;
        }
        }
    }
    if (c < 0 || p.npos == 0) {
        free(ctx);
        return c < 0 ? p.status : vm_usage_error(cli, "no input files (give FILE..., a directory, or '-' for stdin)");
    }
    vm_ruleset *rs;
    rc = vm_cli_load_rules(cli, &ro, &rs);
    if (rc) {
        free(ctx);
        return rc;
    }
    ctx->rules = rs;
    size_t nrules = vm_ruleset_count(rs);
    ctx->blockers = calloc(nrules ? nrules : 1, sizeof *ctx->blockers);
    vm_out *o = ctx->blockers ? vm_out_open(output) : NULL;
    if (!o) {
        if (!ctx->blockers)
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
        free(ctx->blockers);
        free(ctx);
        vm_ruleset_free(rs);
        return VM_EIO;
    }
    FILE *fp = vm_out_fp(o);
    ctx->width = vm_term_width(fp);
    ctx->unicode = vm_term_unicode();
    vm_batch b = {.process = process, .collect = collect, .ctx = ctx, .rules = rs, .jobs = jobs, .out = fp};
    rc = vm_batch_run(&b, cli, p.pos, p.npos);
    if (rc != VM_EIO && rc != VM_EUSAGE) {
        vm_buf out;
        vm_buf_init(&out);
        if (strcmp(ctx->format, "json") == 0)
            render_json(ctx, &out);
        else if (strcmp(ctx->format, "html") == 0)
            render_html(ctx, &out);
        else
            render_text(ctx, &out);
        if (out.oom) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            rc = VM_EIO;
        } else {
            fwrite(out.data, 1, out.len, fp);
        }
        vm_buf_free(&out);
    }
    if ((rc == VM_EIO || rc == VM_EUSAGE) && output)
        vm_out_abort(o);
    else
        rc = vm_worst(rc, vm_out_commit(o));
    free(ctx->blockers);
    free(ctx);
    vm_ruleset_free(rs);
    return rc;
}

const vm_cmd cmd_portfolio = {
    .name = "portfolio",
    .summary = "summarise the recommendations over many profiles",
    .usage = "[OPTIONS] FILE|DIR|-...",
    .opts = opts,
    .run = run,
    .description = "Evaluates every profile of the inputs and prints one summary: how many profiles, how many "
                   "were invalid, the recommendations per paradigm and per platform, the least confident "
                   "decisions, the blockers that fire most often and the unknowns most worth answering. Memory "
                   "does not grow with the number of profiles. Invalid documents are reported on stderr and "
                   "counted; the exit code is then 3.",
    .examples = "vmctr portfolio inventory/\n"
                "vmctr portfolio --format html -o portfolio.html -j 4 inventory/\n"
                "cat profiles.yaml | vmctr portfolio --format json - | jq .paradigms",
};
