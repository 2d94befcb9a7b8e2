/*
 * cmd_portfolio.c - `vmctr portfolio`: one summary over many profiles.
 *
 * Streams every document through batch.c (-j N). Workers evaluate and
 * write a record per profile (batch.h's record format: its summary entry,
 * vmctr/sys/portfolio.h, then its table rows, strings whole); `collect`, in
 * input order on the main thread, folds it into the summary
 * (src/lib/portfolio.c: counters and bounded top-N lists) and drops it.
 * So memory stays flat however many profiles there are, and the summary is
 * the same for any -j. Formats: text, json, html (self-contained, inline
 * SVG bar charts, in the stylesheet advise's HTML uses).
 *
 * HTML also lists every profile and component in a table (a row record per
 * evaluation, kept for the page; at most VM_PORTFOLIO_MAX_ROWS rows, the
 * rest counted). With `-o DIR/` it writes a site: DIR/index.html and one
 * advise page per profile, rendered by the worker that evaluated it, linked
 * from the table.
 */
#include "batch.h"
#include "cli.h"
#include "inputs.h"
#include "rulesload.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/escape.h"
#include "vmctr/report.h"
#include "vmctr/sys/portfolio.h"

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_RULES, OPT_NO_BUILTIN, OPT_JOBS, OPT_TOP };

static const char *const formats[] = {"text", "json", "html", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT", "text (default), json or html (self-contained, with bar charts)", OPT_FORMAT, false,
     formats},
    {"output", 'o', "FILE|DIR/", "write to FILE atomically instead of stdout; html with DIR/ (a trailing slash or "
                                 "an existing directory): a site, DIR/index.html and one page per profile",
     OPT_OUTPUT, false, NULL},
    {"top", 'n', "N", "length of the top lists (1..100, default 10)", OPT_TOP, false, NULL},
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    VM_OPT_JOBS_ROW(OPT_JOBS),
    {0},
};

#define TOP_MAX VM_PORTFOLIO_TOP_MAX

/* HTML: one row of the profile table per profile and per component. */
#define VM_PORTFOLIO_MAX_ROWS 10000
#define ROW_BLOCKERS 6
typedef struct {
    const char *name;
    const char *file;          /* profile rows */
    const char *page;          /* site mode: the profile's page; "" otherwise */
    uint32_t line;
    int32_t paradigm, platform, cplatform;
    int32_t xplatform;         /* a system's micro-VM platform beside its VMs, else -1 */
    int32_t tied;              /* recommendation.platform_ties as bits; 0 when none */
    int32_t prop_paradigm, prop_platform;  /* spec.decision, -1 when absent */
    int32_t top_rule;          /* the reason with the largest contribution, -1 */
    double confidence;
    uint8_t component;         /* 1: a component of the profile row above it */
    uint8_t nblockers;
    uint16_t blockers[ROW_BLOCKERS];
} rowrec;

typedef struct {
    const char *format;
    const vm_ruleset *rules;
    vm_portfolio agg;                             /* the summary (src/lib/portfolio.c) */
    int width;                                    /* text: terminal columns */
    bool unicode;                                 /* text: block-character bars, as advise draws them */
    bool rows_wanted;                             /* html: keep the table rows */
    const char *site;                             /* html -o DIR/: the directory, else NULL */
    rowrec *rows;                                 /* html: the table, input order */
    vm_arena *row_text;                           /* html: the rows' strings */
    uint16_t *blk;                                /* collect: one record's blockers */
    size_t nrows, caprows;
    uint64_t rows_omitted;
    bool rows_oom;
} pctx;

/* A profile's page in a site: a slug of its name and a hash of where it
 * comes from (file and document), so pages never collide and the name
 * holds only [a-z0-9-]. */
static void page_name(const char *name, const char *file, uint32_t doc, char *out, size_t cap)
{
    uint32_t h = 2166136261u;
    for (const char *q = file; *q; q++)
        h = (h ^ (unsigned char)*q) * 16777619u;
    h = (h ^ doc) * 16777619u;
    size_t n = vm_slug(name, strlen(name), out, 47);
    if (!n)
        out[n++] = 'p';
    snprintf(out + n, cap - n, "-%08x.html", h);
}

/* One table row for an evaluation, as a record (batch.h). */
static void put_row(vm_buf *out, const vm_report *rep, const vm_eval_report *ev, const vm_result *res,
                    const char *name, const char *file, const char *page, uint32_t line, bool component)
{
    int32_t top_rule = ev->nreasons && ev->reasons[0].contribution > VM_SCORE_EPS ? ev->reasons[0].rule : -1;
    int32_t paradigm = res->paradigm, platform = res->platform, cplatform = res->container_platform;
    int32_t xplatform = -1, tied = res->platform_tied;
    double confidence = res->confidence;
    if (!component) {
        /* the profile's row holds the system verdict, its micro-VM part too */
        paradigm = rep->paradigm, platform = rep->platform, cplatform = rep->container_platform;
        xplatform = rep->ncomponents ? rep->sys.extra_platform : -1;
        tied = rep->ncomponents ? rep->sys.platform_tied : rep->main.res.platform_tied;
        confidence = rep->confidence;
        if (rep->ncomponents && top_rule < 0 && rep->components[0].ev.nreasons)
            top_rule = rep->components[0].ev.reasons[0].rule;
    }
    vm_rec_put_str(out, name);
    vm_rec_put_str(out, file);
    vm_rec_put_str(out, page);
    vm_rec_put_u32(out, line);
    int32_t ints[] = {paradigm, platform, cplatform, xplatform, tied, vm_report_proposed_paradigm(ev->values),
                      vm_report_proposed_platform(ev->values), top_rule, component};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        vm_rec_put_i32(out, ints[i]);
    vm_rec_put_f64(out, confidence);
    uint32_t nb = 0;
    for (uint32_t i = 0; i < ev->nfired; i++)
        nb += vm_ruleset_rule(rep->rules, ev->fired[i])->excludes != 0;
    vm_rec_put_u32(out, nb < ROW_BLOCKERS ? nb : ROW_BLOCKERS);
    for (uint32_t i = 0, k = 0; i < ev->nfired && k < ROW_BLOCKERS; i++)
        if (vm_ruleset_rule(rep->rules, ev->fired[i])->excludes) {
            vm_rec_put_u32(out, ev->fired[i]);
            k++;
        }
}

/* site mode: the profile's own advise page, written by the worker */
static int write_page(const pctx *ctx, const vm_report *rep, const char *page)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", ctx->site, page);
    vm_buf html;
    vm_buf_init(&html);
    vm_render_html(rep, &html);
    return vm_out_write_buf(path, &html);
}

/* The record of one profile: its summary entry, then its table rows. */
static int process(void *ctxp, vm_worker *w, const char *file, const vm_doc *doc, vm_buf *out, vm_buf *err)
{
    const pctx *ctx = ctxp;
    int st;
    vm_profile *prof = vm_batch_profile(w, file, doc, err, &st);
    if (!prof)
        return st;
    vm_report *rep = vm_arena_alloc(w->arena, sizeof *rep);
    /* a site's pages are full advise reports */
    unsigned flags = ctx->site ? VM_REPORT_ALL : VM_REPORT_UNKNOWNS;
    vm_portfolio_entry e;
    if (!rep || vm_report_build(w->arena, w->engine, prof, flags, rep) != VM_OK ||
        vm_portfolio_entry_of(w->arena, rep, file, doc->index, doc->first_line, &e) != VM_OK) {
        vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    char page[128] = "";
    if (ctx->site) {
        page_name(e.name, file, doc->index, page, sizeof page);
        if (write_page(ctx, rep, page) != VM_OK)
            return VM_EIO;
    }
    vm_rec_put_u32(out, e.doc);
    vm_rec_put_u32(out, e.line);
    vm_rec_put_i32(out, e.paradigm);
    vm_rec_put_i32(out, e.platform);
    vm_rec_put_i32(out, e.cplatform);
    vm_rec_put_i32(out, e.xplatform);
    vm_rec_put_u32(out, e.tied);
    vm_rec_put_f64(out, e.confidence);
    vm_rec_put_u32(out, e.ncomponents);
    vm_rec_put_str(out, e.name);
    vm_rec_put_str(out, e.file);
    vm_rec_put_u64(out, e.unknowns);
    vm_rec_put_u32(out, e.nblockers);
    for (uint32_t i = 0; i < e.nblockers; i++)
        vm_rec_put_u32(out, e.blockers[i]);
    uint32_t nrows = ctx->rows_wanted ? 1 + rep->ncomponents : 0;
    vm_rec_put_u32(out, nrows);
    for (uint32_t k = 0; k < nrows; k++) {
        if (k == 0) {
            put_row(out, rep, &rep->main, &rep->main.res, e.name, file, page, e.line, false);
        } else {
            const vm_component_report *cr = &rep->components[k - 1];
            put_row(out, rep, &cr->ev, &cr->ev.res, cr->comp->name, "", "", cr->comp->line, true);
        }
    }
    return VM_OK;
}

static const char *keep_text(pctx *c, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = vm_arena_alloc(c->row_text, n);
    if (!d) {
        c->rows_oom = true;
        return "";
    }
    return memcpy(d, s, n);
}

/* Reads a row record into *row (strings still in the record buffer). */
static void get_row(vm_rec_reader *r, rowrec *row)
{
    memset(row, 0, sizeof *row);
    row->name = vm_rec_get_str(r);
    row->file = vm_rec_get_str(r);
    row->page = vm_rec_get_str(r);
    row->line = vm_rec_get_u32(r);
    row->paradigm = vm_rec_get_i32(r);
    row->platform = vm_rec_get_i32(r);
    row->cplatform = vm_rec_get_i32(r);
    row->xplatform = vm_rec_get_i32(r);
    row->tied = vm_rec_get_i32(r);
    row->prop_paradigm = vm_rec_get_i32(r);
    row->prop_platform = vm_rec_get_i32(r);
    row->top_rule = vm_rec_get_i32(r);
    row->component = (uint8_t)vm_rec_get_i32(r);
    row->confidence = vm_rec_get_f64(r);
    uint32_t nb = vm_rec_get_u32(r);
    for (uint32_t i = 0; i < nb && vm_rec_ok(r); i++) {
        uint32_t rule = vm_rec_get_u32(r);
        if (row->nblockers < ROW_BLOCKERS)
            row->blockers[row->nblockers++] = (uint16_t)rule;
    }
}

static bool rows_room(pctx *c, size_t n)
{
    if (c->nrows + n <= c->caprows)
        return true;
    size_t cap = c->caprows ? c->caprows * 2 : 256;
    while (cap < c->nrows + n)
        cap *= 2;
    rowrec *nr = realloc(c->rows, cap * sizeof *nr);
    if (!nr)
        return false;
    c->rows = nr;
    c->caprows = cap;
    return true;
}

static void collect_rows(pctx *c, vm_rec_reader *r)
{
    uint32_t n = vm_rec_get_u32(r);
    if (!n || !vm_rec_ok(r))
        return;
    if (c->nrows + n > VM_PORTFOLIO_MAX_ROWS) {
        c->rows_omitted++;
        return;
    }
    if (!rows_room(c, n)) {
        c->rows_oom = true;
        return;
    }
    for (uint32_t k = 0; k < n; k++) {
        rowrec row;
        get_row(r, &row);
        if (!vm_rec_ok(r))
            return;
        row.name = keep_text(c, row.name);
        row.file = keep_text(c, row.file);
        row.page = keep_text(c, row.page);
        c->rows[c->nrows++] = row;
    }
}

/* Main thread, input order: folds the profile's record into the summary. */
static void collect(void *ctxp, int status, vm_buf *out)
{
    pctx *c = ctxp;
    if (status == VM_EPROFILE)
        c->agg.invalid++;
    if (status != VM_OK) {
        vm_buf_reset(out);
        return;
    }
    vm_rec_reader r;
    vm_rec_reader_init(&r, out->data, out->len);
    vm_portfolio_entry e = {0};
    e.doc = vm_rec_get_u32(&r);
    e.line = vm_rec_get_u32(&r);
    e.paradigm = vm_rec_get_i32(&r);
    e.platform = vm_rec_get_i32(&r);
    e.cplatform = vm_rec_get_i32(&r);
    e.xplatform = vm_rec_get_i32(&r);
    e.tied = (uint16_t)vm_rec_get_u32(&r);
    e.confidence = vm_rec_get_f64(&r);
    e.ncomponents = vm_rec_get_u32(&r);
    e.name = vm_rec_get_str(&r);
    e.file = vm_rec_get_str(&r);
    e.unknowns = vm_rec_get_u64(&r);
    uint32_t nb = vm_rec_get_u32(&r);
    for (uint32_t i = 0; i < nb && i < c->agg.nrules; i++)
        c->blk[i] = (uint16_t)vm_rec_get_u32(&r);
    e.blockers = c->blk;
    e.nblockers = nb;
    if (vm_rec_ok(&r) && nb <= c->agg.nrules) {
        vm_portfolio_add(&c->agg, &e);
        collect_rows(c, &r);
    }
    vm_buf_reset(out);
}

/* "hybrid/vmware-esxi + firecracker": the paradigm and every platform it
 * names; " (tie)" when a platform tied (recommendation.platform_ties) */
static const char *rec_text(int paradigm, int platform, int cplatform, int xplatform, unsigned tied, char *buf,
                            size_t cap)
{
    char t[96];
    if (paradigm < 0)
        snprintf(buf, cap, "none");
    else if (platform < 0)
        snprintf(buf, cap, "%s", vm_target_name(paradigm));
    else
        snprintf(buf, cap, "%s/%s%s", vm_target_name(paradigm),
                 vm_platforms_text(platform, cplatform, xplatform, t, sizeof t), tied ? " (tie)" : "");
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

/* Display width of s as the terminal writer (vm_esc_term) writes it. */
static int term_width(const char *s)
{
    vm_buf t;
    vm_buf_init(&t);
    vm_esc_terms(&t, s);
    int w = t.oom ? vm_text_width(s) : vm_text_width_n(t.data, t.len);
    vm_buf_free(&t);
    return w;
}

/* Text wrapped at c->width from column *col, continuation lines at indent.
 * s is terminal text already: every outside string in it went through
 * vm_esc_term (escape.h), so it holds no line break or control character. */
static void text_wrap(const pctx *c, vm_buf *b, const char *s, int indent, int *col)
{
    if (*col + vm_text_width(s) <= c->width) { /* fits: as laid out (column padding kept) */
        vm_buf_puts(b, s);
        *col += vm_text_width(s);
        return;
    }
    size_t n;
    int wc;
    while ((n = vm_text_word(&s, &wc)) > 0) {
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
    vm_ranked rk[TOP_MAX];
    vm_buf_printf(b, "%s portfolio: %llu %s, %llu %s, %llu invalid %s\n", VM_PROG, (unsigned long long)c->agg.profiles,
                  plural(c->agg.profiles, "profile", "profiles"), (unsigned long long)c->agg.components,
                  plural(c->agg.components, "component", "components"), (unsigned long long)c->agg.invalid,
                  plural(c->agg.invalid, "document", "documents"));
    /* "  label(16) count(7) pct(6)%  bar" */
    int cells = c->width - 2 - 16 - 1 - 7 - 1 - 6 - 2;
    cells = cells > 30 ? 30 : cells < 4 ? 4 : cells;
    uint64_t max = 0;
    for (int i = 0; i <= VM_PARADIGM_COUNT; i++)
        max = c->agg.paradigm[i] > max ? c->agg.paradigm[i] : max;
    vm_buf_puts(b, "\nParadigms\n");
    for (int k = 0; k < VM_PARADIGM_COUNT; k++) {
        int t = vm_paradigm_spec_order[k];
        vm_buf_printf(b, "  %-16s %7llu %5.1f%%", vm_target_name(t), (unsigned long long)c->agg.paradigm[t],
                      pct(c->agg.paradigm[t], c->agg.profiles));
        text_bar(b, c->agg.paradigm[t], max, cells, c->unicode);
        vm_buf_putc(b, '\n');
    }
    if (c->agg.paradigm[VM_PARADIGM_COUNT])
        vm_buf_printf(b, "  %-16s %7llu %5.1f%%\n", "(none)", (unsigned long long)c->agg.paradigm[VM_PARADIGM_COUNT],
                      pct(c->agg.paradigm[VM_PARADIGM_COUNT], c->agg.profiles));
    max = 0;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        max = c->agg.platform[t] > max ? c->agg.platform[t] : max;
    vm_buf_puts(b, "\nPlatforms (a hybrid counts for each of its platforms)\n");
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        vm_buf_printf(b, "  %-16s %7llu %5.1f%%", vm_target_name(t), (unsigned long long)c->agg.platform[t],
                      pct(c->agg.platform[t], c->agg.profiles));
        text_bar(b, c->agg.platform[t], max, cells, c->unicode);
        vm_buf_putc(b, '\n');
    }
    vm_buf_printf(b, "\nLeast confident decisions\n");
    if (!c->agg.nlow)
        vm_buf_puts(b, "  (none)\n");
    int wn = 0, wr = 0; /* column widths: the longest name and recommendation */
    for (int i = 0; i < c->agg.nlow; i++) {
        const vm_portfolio_low *e = &c->agg.low[i];
        char t[128];
        int w1 = term_width(e->name),
            w2 = vm_text_width(rec_text(e->paradigm, e->platform, e->cplatform, e->xplatform, e->tied, t, sizeof t));
        wn = w1 > wn ? w1 : wn;
        wr = w2 > wr ? w2 : wr;
    }
    for (int i = 0; i < c->agg.nlow; i++) {
        const vm_portfolio_low *e = &c->agg.low[i];
        char t[128];
        vm_buf line; /* whole, however long the file name */
        vm_buf_init(&line);
        vm_buf_pad(&line, e->name, wn); /* the name and the file name: escape.h */
        vm_buf_putc(&line, ' ');
        vm_buf_pad(&line, rec_text(e->paradigm, e->platform, e->cplatform, e->xplatform, e->tied, t, sizeof t), wr);
        vm_buf_putc(&line, ' ');
        vm_esc_terms(&line, e->file);
        vm_buf_printf(&line, ":%u", e->line);
        vm_buf_putc(&line, '\0');
        vm_buf_puts(b, "  ");
        vm_buf_conf(b, e->confidence);
        int col = 6;
        vm_buf_puts(b, "  ");
        col += 2;
        if (line.oom)
            b->oom = true;
        else
            text_wrap(c, b, line.data, 8, &col);
        vm_buf_free(&line);
        vm_buf_putc(b, '\n');
    }
    size_t nrules = c->rules ? vm_ruleset_count(c->rules) : 0;
    int n = vm_portfolio_rank(c->agg.blockers, (int)nrules, c->agg.top, rk);
    vm_buf_puts(b, "\nMost frequent blockers (profiles)\n");
    if (!n)
        vm_buf_puts(b, "  (none)\n");
    for (int i = 0; i < n; i++) {
        const vm_rule *r = vm_ruleset_rule(c->rules, (size_t)rk[i].id);
        vm_buf_printf(b, "  %7llu  ", (unsigned long long)rk[i].n);
        vm_buf line; /* rule text from --rules: escape.h */
        vm_buf_init(&line);
        vm_esc_terms(&line, r->id);
        vm_buf_puts(&line, ": ");
        vm_esc_terms(&line, r->title);
        vm_buf_putc(&line, '\0');
        int col = 11;
        if (line.oom)
            b->oom = true;
        else
            text_wrap(c, b, line.data, 11, &col);
        vm_buf_free(&line);
        vm_buf_putc(b, '\n');
    }
    n = vm_portfolio_rank(c->agg.unknowns, VM_FIELD_COUNT, c->agg.top, rk);
    vm_buf_puts(b, "\nMost frequent unknowns worth answering (profiles)\n");
    if (!n)
        vm_buf_puts(b, "  (none)\n");
    for (int i = 0; i < n; i++)
        vm_buf_printf(b, "  %7llu  %s\n", (unsigned long long)rk[i].n, vm_field(rk[i].id)->path);
}

/* ---- json ------------------------------------------------------------------ */

static void render_json(const pctx *c, vm_buf *b)
{
    vm_ranked rk[TOP_MAX];
    vm_buf_printf(b, "{\n  \"schema\": \"vmctr.portfolio/v1\",\n  \"profiles\": %llu,\n  \"components\": %llu,\n"
                     "  \"invalid_documents\": %llu,\n  \"paradigms\": {",
                  (unsigned long long)c->agg.profiles, (unsigned long long)c->agg.components, (unsigned long long)c->agg.invalid);
    for (int k = 0; k < VM_PARADIGM_COUNT; k++) {
        int t = vm_paradigm_spec_order[k];
        vm_buf_printf(b, "%s\"%s\": %llu", k ? ", " : "", vm_target_name(t), (unsigned long long)c->agg.paradigm[t]);
    }
    vm_buf_printf(b, ", \"none\": %llu},\n  \"platforms\": {", (unsigned long long)c->agg.paradigm[VM_PARADIGM_COUNT]);
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++)
        vm_buf_printf(b, "%s\"%s\": %llu", t > VM_FIRST_PLATFORM ? ", " : "", vm_target_name(t),
                      (unsigned long long)c->agg.platform[t]);
    vm_buf_puts(b, "},\n  \"least_confident\": [");
    for (int i = 0; i < c->agg.nlow; i++) {
        const vm_portfolio_low *e = &c->agg.low[i];
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
        /* the platform per kind of workload, as advise's recommendation.platforms */
        static const int fams[3] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
        int pl[VM_PARADIGM_COUNT];
        vm_platforms_by_family(e->paradigm, e->platform, e->cplatform, e->xplatform, pl);
        vm_buf_puts(b, ", \"platforms\": {");
        for (int k = 0, n = 0; k < 3; k++)
            if (pl[fams[k]] >= 0)
                vm_buf_printf(b, "%s\"%s\": \"%s\"", n++ ? ", " : "", vm_target_name(fams[k]),
                              vm_target_name(pl[fams[k]]));
        vm_buf_putc(b, '}');
        vm_buf_puts(b, ", \"confidence\": ");
        vm_buf_num(b, e->confidence, 2);
        vm_buf_putc(b, '}');
    }
    vm_buf_puts(b, c->agg.nlow ? "\n  ],\n  \"blockers\": [" : "],\n  \"blockers\": [");
    size_t nrules = c->rules ? vm_ruleset_count(c->rules) : 0;
    int n = vm_portfolio_rank(c->agg.blockers, (int)nrules, c->agg.top, rk);
    for (int i = 0; i < n; i++) {
        const vm_rule *r = vm_ruleset_rule(c->rules, (size_t)rk[i].id);
        vm_buf_puts(b, i ? ",\n    {\"rule\": " : "\n    {\"rule\": ");
        vm_buf_json_str(b, r->id);
        vm_buf_puts(b, ", \"title\": ");
        vm_buf_json_str(b, r->title ? r->title : "");
        vm_buf_printf(b, ", \"count\": %llu}", (unsigned long long)rk[i].n);
    }
    vm_buf_puts(b, n ? "\n  ],\n  \"unknowns\": [" : "],\n  \"unknowns\": [");
    n = vm_portfolio_rank(c->agg.unknowns, VM_FIELD_COUNT, c->agg.top, rk);
    for (int i = 0; i < n; i++)
        vm_buf_printf(b, "%s{\"field\": \"%s\", \"count\": %llu}", i ? ",\n    " : "\n    ", vm_field(rk[i].id)->path,
                      (unsigned long long)rk[i].n);
    vm_buf_puts(b, n ? "\n  ]\n}\n" : "]\n}\n");
}

/* ---- html ------------------------------------------------------------------ */

/* A horizontal SVG bar chart in the report style: count and share on every
 * bar, an axis of counts under it; labels are escaped. */
static void svg_bars(vm_buf *b, const char *title, const char *const *labels, const uint64_t *vals, int n,
                     uint64_t total)
{
    uint64_t max = 0;
    for (int i = 0; i < n; i++)
        max = vals[i] > max ? vals[i] : max;
    int rowh = 22, lw = 200, bw = 240, W = lw + bw + 110, plot = n * rowh + 4, h = plot + 24;
    uint64_t top = max ? max : 1;
    vm_buf_puts(b, "<figure><figcaption>");
    vm_buf_xml(b, title);
    vm_buf_printf(b, "</figcaption>\n<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", W, h);
    vm_buf_xml(b, title);
    vm_buf_puts(b, "\"><title>");
    vm_buf_xml(b, title);
    vm_buf_puts(b, "</title>\n");
    /* axis: 0, the half and the maximum count */
    uint64_t ticks[3] = {0, top / 2, top};
    for (int k = 0; k < 3; k++) {
        if (k == 1 && (top < 2 || ticks[1] == 0))
            continue;
        int xx = lw + (int)(ticks[k] * (uint64_t)bw / top);
        vm_buf_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"2\" x2=\"%d\" y2=\"%d\"/>"
                         "<text class=\"tick\" text-anchor=\"middle\" x=\"%d\" y=\"%d\">%llu</text>",
                      xx, xx, plot, xx, plot + 14, (unsigned long long)ticks[k]);
    }
    vm_buf_putc(b, '\n');
    for (int i = 0; i < n; i++) {
        int y = 4 + i * rowh;
        int w = (int)((vals[i] * (uint64_t)bw + top - 1) / top);
        vm_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 8, y + 14);
        vm_buf_xml(b, labels[i]);
        vm_buf_printf(b, "</text><rect class=\"plat\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"15\" rx=\"2\"/>"
                         "<text class=\"val\" x=\"%d\" y=\"%d\">%llu (%.1f%%)</text>\n",
                      lw, y + 2, w, lw + w + 6, y + 14, (unsigned long long)vals[i], pct(vals[i], total));
    }
    vm_buf_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"2\" x2=\"%d\" y2=\"%d\"/>\n</svg></figure>\n", lw, lw, plot);
}

static const char *gate_text(const rowrec *r, const char **cls)
{
    if (r->prop_paradigm < 0 && r->prop_platform < 0) {
        *cls = "";
        return "no decision";
    }
    bool match = vm_report_proposal_matches(r->prop_paradigm, r->prop_platform, r->paradigm, r->platform,
                                            r->cplatform, r->xplatform);
    *cls = match ? "ok" : "bad";
    return match ? "matches" : "differs";
}

static void html_row(const pctx *c, vm_buf *b, const rowrec *r)
{
    char t[128];
    vm_buf_puts(b, r->component ? "<tr><td>\xe2\x86\xb3 " : "<tr><td><strong>");
    if (!r->component && r->page[0]) {
        vm_buf_printf(b, "<a href=\"%s\">", r->page); /* [a-z0-9-.] only */
        vm_buf_xml(b, r->name);
        vm_buf_puts(b, "</a>");
    } else {
        vm_buf_xml(b, r->name);
    }
    vm_buf_puts(b, r->component ? "" : "</strong>");
    if (!r->component) {
        vm_buf_puts(b, "<br><span class=\"ref\">");
        vm_buf_xml(b, r->file);
        vm_buf_printf(b, ":%u</span>", r->line);
    }
    vm_buf_printf(b, "</td><td class=\"nw\"><i class=\"dot p-%s\"></i>%s</td><td class=\"nw\">", r->paradigm >= 0 ? vm_target_name(r->paradigm) : "none",
                  r->paradigm >= 0 ? vm_target_name(r->paradigm) : "none");
    vm_buf_xml(b, r->platform >= 0 ? vm_platforms_text(r->platform, r->cplatform, r->xplatform, t, sizeof t)
                                   : "none");
    if (r->platform >= 0 && r->tied) {
        /* recommendation.platform_ties: another platform scored the same */
        vm_buf_puts(b, " <span class=\"ref\" title=\"tied platforms: ");
        vm_buf_xml(b, vm_report_ties_text((uint16_t)r->tied, t, sizeof t));
        vm_buf_puts(b, "\">(tie)</span>");
    }
    vm_buf_puts(b, "</td><td class=\"n\">");
    vm_buf_conf(b, r->confidence);
    vm_buf_puts(b, "</td><td>");
    const char *cls, *g = gate_text(r, &cls);
    if (*cls) {
        vm_buf_printf(b, "<span class=\"badge %s\">%s</span><br><span class=\"ref\">proposes ", cls, g);
        vm_buf_puts(b, r->prop_paradigm >= 0 ? vm_target_name(r->prop_paradigm) : "any paradigm");
        if (r->prop_platform >= 0) {
            vm_buf_puts(b, " on ");
            vm_buf_puts(b, vm_target_name(r->prop_platform));
        }
        vm_buf_puts(b, "</span>");
    } else {
        vm_buf_printf(b, "<span class=\"ref\">%s</span>", g);
    }
    vm_buf_puts(b, "</td><td>");
    if (r->top_rule >= 0)
        vm_buf_xml(b, vm_ruleset_rule(c->rules, (size_t)r->top_rule)->title);
    vm_buf_puts(b, "</td><td>");
    for (int i = 0; i < r->nblockers; i++) {
        if (i)
            vm_buf_puts(b, "<br>");
        vm_buf_xml(b, vm_ruleset_rule(c->rules, r->blockers[i])->title);
    }
    vm_buf_puts(b, "</td></tr>\n");
}

/* profile groups (a profile row and its component rows) in a paradigm's
 * section, least confident first, then input order */
typedef struct {
    size_t first, n;
} group;

static const pctx *sort_ctx;
static int group_cmp(const void *a, const void *b)
{
    const group *x = a, *y = b;
    double cx = sort_ctx->rows[x->first].confidence, cy = sort_ctx->rows[y->first].confidence;
    if (cx < cy - VM_CONF_EPS)
        return -1;
    if (cx > cy + VM_CONF_EPS)
        return 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static void profile_table(const pctx *c, vm_buf *b)
{
    vm_buf_puts(b, "<h2>Every profile</h2>\n");
    if (c->rows_oom)
        b->oom = true; /* exit 5 with a message, never a page without its table */
    size_t ng = 0;
    for (size_t i = 0; i < c->nrows; i++)
        ng += !c->rows[i].component;
    group *g = ng ? malloc(ng * sizeof *g) : NULL;
    if (ng && !g) {
        b->oom = true;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        if (!c->rows[i].component)
            g[k++] = (group){i, 1};
        else if (k)
            g[k - 1].n++;
    }
    sort_ctx = c;
    if (ng)
        qsort(g, ng, sizeof *g, group_cmp);
    vm_buf_puts(b, "<p class=\"ref\">One section per recommended paradigm, least confident first; a system's "
                   "components follow it (\xe2\x86\xb3). <em>Gate</em>: the profile's proposal "
                   "(<code>spec.decision</code>) against the recommendation.");
    if (c->site)
        vm_buf_puts(b, " Each name links to the profile's full report.");
    vm_buf_puts(b, "</p>\n<nav class=\"filter\" aria-label=\"paradigms\">");
    for (int kk = 0; kk <= VM_PARADIGM_COUNT; kk++) {
        int t = kk < VM_PARADIGM_COUNT ? vm_paradigm_spec_order[kk] : -1;
        uint64_t n = t >= 0 ? c->agg.paradigm[t] : c->agg.paradigm[VM_PARADIGM_COUNT];
        if (n)
            vm_buf_printf(b, "<a href=\"#%s\">%s (%llu)</a>", t >= 0 ? vm_target_name(t) : "none",
                          t >= 0 ? vm_target_name(t) : "none", (unsigned long long)n);
    }
    vm_buf_puts(b, "</nav>\n");
    for (int kk = 0; kk <= VM_PARADIGM_COUNT; kk++) {
        int t = kk < VM_PARADIGM_COUNT ? vm_paradigm_spec_order[kk] : -1;
        bool any = false;
        for (size_t i = 0; i < ng; i++) {
            const rowrec *r = &c->rows[g[i].first];
            if ((t >= 0 && r->paradigm != t) || (t < 0 && r->paradigm >= 0 && r->paradigm < VM_PARADIGM_COUNT))
                continue;
            if (!any)
                vm_buf_printf(b, "<section id=\"%s\">\n<h3>%s</h3>\n<div class=\"scroll\"><table class=\"wide\">\n"
                                 "<thead><tr><th>profile</th><th>paradigm</th><th>platform</th>"
                                 "<th class=\"n\">confidence</th><th>gate</th><th>top reason</th><th>blockers</th>"
                                 "</tr></thead>\n<tbody>\n",
                              t >= 0 ? vm_target_name(t) : "none", t >= 0 ? vm_target_name(t) : "no paradigm");
            any = true;
            for (size_t j = 0; j < g[i].n; j++)
                html_row(c, b, &c->rows[g[i].first + j]);
        }
        if (any)
            vm_buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
    }
    if (c->rows_omitted)
        vm_buf_printf(b, "<p class=\"ref\">%llu more profiles are counted above but not listed (the table keeps "
                         "the first %d rows).</p>\n",
                      (unsigned long long)c->rows_omitted, VM_PORTFOLIO_MAX_ROWS);
    free(g);
}

static void render_html(const pctx *c, vm_buf *b)
{
    vm_ranked rk[TOP_MAX];
    const char *labels[TOP_MAX > VM_TARGET_COUNT ? TOP_MAX : VM_TARGET_COUNT];
    uint64_t vals[TOP_MAX > VM_TARGET_COUNT ? TOP_MAX : VM_TARGET_COUNT];
    vm_html_open(b, "vmctr portfolio");
    vm_buf_puts(b, "<header>\n<h1>vmctr portfolio</h1>\n");
    vm_buf_printf(b, "<p class=\"meta\">%llu %s, %llu %s, %llu invalid %s \xc2\xb7 vmctr " VMCTR_VERSION
                     " \xc2\xb7 %zu rules \xc2\xb7 <span class=\"mono\">",
                  (unsigned long long)c->agg.profiles, plural(c->agg.profiles, "profile", "profiles"),
                  (unsigned long long)c->agg.components, plural(c->agg.components, "component", "components"),
                  (unsigned long long)c->agg.invalid, plural(c->agg.invalid, "document", "documents"),
                  c->rules ? vm_ruleset_count(c->rules) : (size_t)0);
    if (c->rules)
        vm_buf_xml(b, vm_ruleset_digest(c->rules));
    vm_buf_puts(b, "</span></p>\n</header>\n");
    vm_buf_puts(b, "<div class=\"howto\"><p><strong>How to read this.</strong> Each profile was evaluated on its "
                   "own, as <code>vmctr advise</code> does; the charts count the recommendations (a hybrid counts "
                   "for each of its platforms), the table lists every profile with its confidence (0 to 1: how far "
                   "the winner leads the runner-up), whether its own proposal matches and the rule that favoured "
                   "the winner most. Start with the least confident and with those whose proposal differs.</p>"
                   "</div>\n");
    int n = 0;
    for (int k = 0; k < VM_PARADIGM_COUNT; k++) {
        labels[n] = vm_target_name(vm_paradigm_spec_order[k]);
        vals[n++] = c->agg.paradigm[vm_paradigm_spec_order[k]];
    }
    if (c->agg.paradigm[VM_PARADIGM_COUNT]) {
        labels[n] = "(none)";
        vals[n++] = c->agg.paradigm[VM_PARADIGM_COUNT];
    }
    vm_buf_puts(b, "<h2>Recommendations</h2>\n<div class=\"charts\">\n");
    svg_bars(b, "Paradigms", labels, vals, n, c->agg.profiles);
    n = 0;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        labels[n] = vm_target_name(t);
        vals[n++] = c->agg.platform[t];
    }
    svg_bars(b, "Platforms (a hybrid counts for each of its platforms)", labels, vals, n, c->agg.profiles);
    vm_buf_puts(b, "</div>\n");
    profile_table(c, b);
    vm_buf_puts(b, "<h2>Least confident decisions</h2>\n");
    if (!c->agg.nlow)
        vm_buf_puts(b, "<p>None.</p>\n");
    else
        vm_buf_puts(b, "<div class=\"scroll\"><table>\n<thead><tr><th class=\"n\">confidence</th><th>profile</th>"
                       "<th>recommendation</th><th>file</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < c->agg.nlow; i++) {
        const vm_portfolio_low *e = &c->agg.low[i];
        char t[128];
        vm_buf_puts(b, "<tr><td class=\"n\">");
        vm_buf_conf(b, e->confidence);
        vm_buf_puts(b, "</td><td>");
        vm_buf_xml(b, e->name);
        vm_buf_puts(b, "</td><td>");
        vm_buf_xml(b, rec_text(e->paradigm, e->platform, e->cplatform, e->xplatform, e->tied, t, sizeof t));
        vm_buf_puts(b, "</td><td><code>");
        vm_buf_xml(b, e->file);
        vm_buf_printf(b, ":%u</code></td></tr>\n", e->line);
    }
    if (c->agg.nlow)
        vm_buf_puts(b, "</tbody>\n</table></div>\n");
    size_t nrules = c->rules ? vm_ruleset_count(c->rules) : 0;
    n = vm_portfolio_rank(c->agg.blockers, (int)nrules, c->agg.top, rk);
    vm_buf_puts(b, "<h2>Most frequent blockers</h2>\n");
    if (!n)
        vm_buf_puts(b, "<p>None.</p>\n");
    for (int i = 0; i < n; i++) {
        labels[i] = vm_ruleset_rule(c->rules, (size_t)rk[i].id)->title;
        vals[i] = rk[i].n;
    }
    if (n)
        svg_bars(b, "Profiles with each blocker", labels, vals, n, c->agg.profiles);
    n = vm_portfolio_rank(c->agg.unknowns, VM_FIELD_COUNT, c->agg.top, rk);
    vm_buf_puts(b, "<h2>Most frequent unknowns worth answering</h2>\n");
    if (!n)
        vm_buf_puts(b, "<p>None.</p>\n");
    for (int i = 0; i < n; i++) {
        labels[i] = vm_field(rk[i].id)->path;
        vals[i] = rk[i].n;
    }
    if (n)
        svg_bars(b, "Profiles where answering the field could move the margin", labels, vals, n, c->agg.profiles);
    vm_buf_puts(b, "<footer>Generated by vmctr " VMCTR_VERSION ".</footer>\n");
    vm_html_close(b);
}

/* html -o DIR/ (a trailing slash or an existing directory): a site, the
 * summary in DIR/index.html. Returns 0 or VM_EIO (said). */
static int site_setup(pctx *ctx, const char **output)
{
    static char dir[4096], index[4096 + 16];
    int is_dir = vm_out_dir(*output, dir, sizeof dir);
    if (is_dir <= 0)
        return is_dir < 0 ? VM_EIO : 0;
    ctx->site = dir;
    snprintf(index, sizeof index, "%s/index.html", dir);
    *output = index;
    return 0;
}

/* The summary in the chosen format to fp. Returns 0 or VM_EIO (said). */
static int write_summary(const pctx *ctx, FILE *fp)
{
    vm_buf out;
    vm_buf_init(&out);
    if (strcmp(ctx->format, "json") == 0)
        render_json(ctx, &out);
    else if (strcmp(ctx->format, "html") == 0)
        render_html(ctx, &out);
    else {
        render_text(ctx, &out);
        vm_text_fit_tail(&out, 0, ctx->width);
    }
    int rc = 0;
    if (out.oom || ctx->agg.oom) { /* never a summary that left a profile out */
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
    } else {
        fwrite(out.data, 1, out.len, fp);
    }
    vm_buf_free(&out);
    return rc;
}

/* The options into ctx, ro, *output, *jobs and *top. Returns -1 to go on,
 * else the exit status (--help, a usage error). */
static int parse_opts(vm_cli *cli, vm_optparse *p, pctx *ctx, vm_rules_opts *ro, const char **output, int *jobs,
                      int *top)
{
    int c;
    while ((c = vm_opt_next(p)) > 0) {
        char *end;
        long n;
        switch (c) {
        case OPT_FORMAT: ctx->format = p->arg; break;
        case OPT_OUTPUT: *output = p->arg; break;
        case OPT_RULES: ro->dir = p->arg; break;
        case OPT_NO_BUILTIN: ro->no_builtin = true; break;
        case OPT_TOP:
            n = strtol(p->arg, &end, 10);
            if (*end || n < 1 || n > TOP_MAX)
                return vm_usage_error(cli, "--top takes a number from 1 to %d", TOP_MAX);
            *top = (int)n;
            break;
        case OPT_JOBS: {
            int e = vm_batch_jobs_arg(cli, p->arg, jobs);
            if (e)
                return e;
            break;
        }
        }
    }
    if (c < 0)
        return p->status;
    if (p->npos == 0)
        return vm_inputs_missing(cli);
    return -1;
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
    int top = 10;
    vm_rules_opts ro = {0};
    const char *output = NULL;
    int jobs = 1;
    int rc = parse_opts(cli, &p, ctx, &ro, &output, &jobs, &top);
    if (rc >= 0) {
        free(ctx);
        return rc;
    }
    vm_ruleset *rs;
    rc = vm_cli_load_rules(cli, &ro, &rs);
    if (rc) {
        free(ctx);
        return rc;
    }
    ctx->rules = rs;
    ctx->rows_wanted = strcmp(ctx->format, "html") == 0;
    /* html -o DIR/: a site (DIR/index.html and a page per profile) */
    if (ctx->rows_wanted && site_setup(ctx, &output) != 0) {
        free(ctx);
        vm_ruleset_free(rs);
        return VM_EIO;
    }
    size_t nrules = vm_ruleset_count(rs);
    bool ready = vm_portfolio_init(&ctx->agg, nrules, top) == VM_OK &&
                 (ctx->blk = malloc((nrules ? nrules : 1) * sizeof *ctx->blk)) != NULL &&
                 (!ctx->rows_wanted || (ctx->row_text = vm_arena_new()) != NULL);
    vm_out *o = ready ? vm_out_open(output) : NULL;
    if (!o) {
        if (!ready)
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
        goto done;
    }
    FILE *fp = vm_out_fp(o);
    ctx->width = vm_term_width(fp);
    ctx->unicode = vm_term_unicode();
    vm_batch b = {.process = process, .collect = collect, .ctx = ctx, .rules = rs, .jobs = jobs, .out = fp,
                  .detect = true};
    rc = vm_batch_run(&b, cli, p.pos, p.npos);
    if (rc != VM_EIO && rc != VM_EUSAGE && write_summary(ctx, fp) != 0)
        rc = VM_EIO;
    if ((rc == VM_EIO || rc == VM_EUSAGE) && output)
        vm_out_abort(o);
    else
        rc = vm_worst(rc, vm_out_commit(o));
done:
    vm_portfolio_free(&ctx->agg);
    vm_arena_free(ctx->row_text);
    free(ctx->blk);
    free(ctx->rows);
    free(ctx);
    vm_ruleset_free(rs);
    return rc;
}

VM_COMMAND(portfolio,
    .summary = "summarise the recommendations over many profiles",
    .usage = "[OPTIONS] FILE|DIR|-...",
    .description = "Evaluates every profile of the inputs and prints one summary: how many profiles, how many "
                   "were invalid, the recommendations per paradigm and per platform, the least confident "
                   "decisions, the blockers that fire most often and the unknowns most worth answering. Memory "
                   "does not grow with the number of profiles. Invalid documents are reported on stderr and "
                   "counted; the exit code is then 3. A symbolic link in a directory that leads outside it is "
                   "not read: an error (exit 5).",
    .examples = "vmctr portfolio inventory/\n"
                "vmctr portfolio --format html -o portfolio.html -j 4 inventory/\n"
                "cat profiles.yaml | vmctr portfolio --format json - | jq .paradigms"
);
