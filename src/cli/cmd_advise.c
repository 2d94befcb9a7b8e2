/*
 * cmd_advise.c - `vmctr advise`: the recommendation and its explanation for
 * every profile of every input, in the chosen format. Runs through batch.c,
 * so many files, directories, streams and `-j N` behave alike.
 */
#include "batch.h"
#include "cli.h"
#include "rulesload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmctr/report.h"

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_RULES, OPT_NO_BUILTIN, OPT_WHAT_IF, OPT_EXPLAIN, OPT_JOBS, OPT_STATUS,
       OPT_ADR_NUMBER, OPT_DATE };

static const char *const statuses[] = {"proposed", "accepted", "rejected", "deprecated", "superseded", NULL};

static const char *const formats[] = {"text", "json", "ndjson", "csv", "markdown", "html", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT", "text (default), json, ndjson (one lean report per line: rule texts by id), csv "
                              "(one row per profile and component), markdown (an ADR) or html",
     OPT_FORMAT, false, formats},
    {"output", 'o', "FILE|DIR/", "write to FILE atomically instead of stdout; markdown with DIR/ (a trailing "
                                 "slash or an existing directory): one ADR file per document, DIR/NNNN-name.md",
     OPT_OUTPUT, false, NULL},
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    {"what-if", 'w', "FIELD=VALUE",
     "also show the result with this answer changed (repeatable; in a system: the parent and every component that "
     "does not set the field)",
     OPT_WHAT_IF, true, NULL},
    {"explain", 'e', NULL, "text: show every rule, unknown and counterfactual, not just the summary", OPT_EXPLAIN,
     false, NULL},
    VM_OPT_JOBS_ROW(OPT_JOBS),
    {"status", 0, "STATUS", "markdown: the ADR's status (default proposed)", OPT_STATUS, false, statuses},
    {"adr-number", 0, "N", "markdown: number the ADR 'N. Title' (1..9999); several documents count up from N",
     OPT_ADR_NUMBER, false, NULL},
    {"date", 0, "YYYY-MM-DD", "markdown: a Date line (none by default, so output stays reproducible)", OPT_DATE,
     false, NULL},
    {0},
};

/* --format json over more than one document (or any invalid one) writes one
 * JSON value, a report list (docs/report.md): the reports in input order as
 * `items`, the error records of the invalid documents as `errors`. One valid
 * document alone stays a plain report, so `jq .recommendation` keeps working.
 * The first report is held back until a second document decides the form;
 * error records are kept for the closing `errors` array, at most
 * VM_LIST_MAX_ERRORS of them (the rest are counted in `errors_omitted`). */
#define VM_LIST_MAX_ERRORS 10000

typedef struct {
    vm_buf first;            /* the first report, until the form is known */
    bool have_first;
    bool listing;            /* the list object has been opened */
    uint32_t nitems;
    vm_buf errors;           /* error records, indented, comma-separated */
    uint32_t nerrors, omitted;
} json_list;

/* Markdown over several documents: each ADR gets the next number (from
 * --adr-number) and, with -o DIR/, a file of its own, written in input
 * order by the collect hook. The worker puts the file's slug on a first
 * line of its output when a directory is the target. */
typedef struct {
    unsigned next;           /* the next ADR number, 0: unnumbered */
    const char *dir;         /* -o DIR/, or NULL */
    unsigned files;
    bool failed;
} adr_out;

typedef struct {
    const char *format;
    unsigned flags;          /* what vm_report_build computes */
    vm_render_opts ro;
    const char **what_if;
    int nwhat_if;
    json_list list;
    vm_adr_opts adr;
    adr_out adrs;
} actx;

static void slug_of(const char *name, char *out, size_t cap)
{
    size_t n = vm_slug(name, strlen(name), out, cap - 1 < 60 ? cap - 1 : 60);
    while (n && out[n - 1] == '-')
        n--;
    if (!n)
        n = (size_t)snprintf(out, cap, "profile");
    out[n] = '\0';
}

/* batch collect hook for markdown: numbers each ADR, writes it to its file */
static void collect_adr(void *ctxp, int status, vm_buf *out)
{
    actx *ctx = ctxp;
    adr_out *a = &ctx->adrs;
    if (status != VM_OK || !out->len)
        return;
    const char *text = out->data;
    size_t n = out->len;
    char slug[80] = "";
    if (a->dir) {
        const char *nl = memchr(text, '\n', n);
        size_t k = nl ? (size_t)(nl - text) : 0;
        if (k >= sizeof slug)
            k = sizeof slug - 1;
        memcpy(slug, text, k);
        slug[k] = '\0';
        if (nl) {
            n -= (size_t)(nl + 1 - text);
            text = nl + 1;
        }
    }
    vm_buf res;
    vm_buf_init(&res);
    if (a->next && n > 2 && text[0] == '#' && text[1] == ' ') {
        vm_buf_printf(&res, "# %u. ", a->next);
        vm_buf_put(&res, text + 2, n - 2);
    } else {
        vm_buf_put(&res, text, n);
    }
    if (a->dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%04u-%s.md", a->dir, a->next ? a->next : a->files + 1, slug);
        if (res.oom || vm_out_write(path, res.data, res.len) != VM_OK)
            a->failed = true;
        vm_buf_reset(out);
        if (res.oom)
            out->oom = true; /* the batch says "out of memory" and exits 5; no file for this ADR */
        a->files++;
    } else {
        vm_buf_reset(out);
        if (a->files++)
            VM_BUF_LIT(out, "\n");
        vm_buf_put(out, res.data ? res.data : "", res.len);
        if (res.oom)
            out->oom = true;
    }
    if (a->next)
        a->next++;
    vm_buf_free(&res);
}

/* Appends s (a pretty report, ending in a newline) indented by four spaces,
 * without its final newline. JSON strings hold no raw newline, so every
 * newline starts a line of the report. */
static void put_indented(vm_buf *b, const char *s, size_t n)
{
    if (n && s[n - 1] == '\n')
        n--;
    VM_BUF_LIT(b, "    ");
    for (size_t i = 0; i < n; i++) {
        vm_buf_putc(b, s[i]);
        if (s[i] == '\n')
            VM_BUF_LIT(b, "    ");
    }
}

static void list_open(json_list *l, vm_buf *out)
{
    VM_BUF_LIT(out, "{\n  \"schema\": \"vmctr.report-list/v1\",\n  \"items\": [");
    l->listing = true;
    if (l->have_first) {
        VM_BUF_LIT(out, "\n");
        put_indented(out, l->first.data, l->first.len);
        l->nitems++;
        l->have_first = false;
        vm_buf_free(&l->first);
    }
}

/* batch collect hook (input order): turns each document's output into its
 * place in the list. */
static void collect_json(void *ctxp, int status, vm_buf *out)
{
    json_list *l = &((actx *)ctxp)->list;
    if (status == VM_OK) {
        if (!l->listing && !l->have_first) {
            vm_buf_put(&l->first, out->data ? out->data : "", out->len);
            l->have_first = true;
            vm_buf_reset(out);
            return;
        }
        vm_buf item = *out;   /* take the bytes; out is rebuilt around them */
        vm_buf_init(out);
        if (!l->listing)
            list_open(l, out);
        vm_buf_puts(out, l->nitems ? ",\n" : "\n");
        put_indented(out, item.data ? item.data : "", item.len);
        if (item.oom)
            out->oom = true;
        vm_buf_free(&item);
        l->nitems++;
    } else if (status == VM_EPROFILE && out->len) {
        if (l->nerrors < VM_LIST_MAX_ERRORS) {
            vm_buf_puts(&l->errors, l->nerrors ? ",\n    " : "\n    ");
            vm_buf_put(&l->errors, out->data, out->len - 1); /* without the newline */
            l->nerrors++;
        } else {
            l->omitted++;
        }
        vm_buf_reset(out);
        if (!l->listing)
            list_open(l, out);
    }
}

/* After the batch: the plain report, or the list's closing part. */
static void finish_json(json_list *l, FILE *fp)
{
    if (l->listing) {
        vm_buf b;
        vm_buf_init(&b);
        vm_buf_puts(&b, l->nitems ? "\n  ],\n  \"errors\": [" : "],\n  \"errors\": [");
        vm_buf_put(&b, l->errors.data ? l->errors.data : "", l->errors.len);
        vm_buf_puts(&b, l->nerrors ? "\n  ],\n  \"errors_omitted\": " : "],\n  \"errors_omitted\": ");
        vm_buf_int(&b, l->omitted);
        VM_BUF_LIT(&b, "\n}\n");
        fwrite(b.data, 1, b.len, fp);
        vm_buf_free(&b);
    } else if (l->have_first) {
        fwrite(l->first.data, 1, l->first.len, fp);
    }
    vm_buf_free(&l->first);
    vm_buf_free(&l->errors);
}

static int process(void *ctxp, vm_worker *w, const char *file, const vm_doc *doc, vm_buf *out, vm_buf *err)
{
    actx *ctx = ctxp;
    int st;
    vm_profile *prof = vm_batch_profile(w, file, doc, err, &st);
    if (!prof) {
        if (st == VM_EPROFILE && strcmp(ctx->format, "ndjson") == 0) {
            vm_buf_puts(out, "{\"schema\":\"vmctr.error/v1\",\"file\":");
            vm_buf_json_str(out, file);
            vm_buf_printf(out, ",\"document\":%u,\"line\":%u,\"errors\":%zu}\n", doc->index, doc->first_line,
                          w->diags.errors);
        } else if (st == VM_EPROFILE && strcmp(ctx->format, "json") == 0) {
            vm_buf_puts(out, "{\"schema\": \"vmctr.error/v1\", \"file\": ");
            vm_buf_json_str(out, file);
            vm_buf_printf(out, ", \"document\": %u, \"line\": %u, \"errors\": %zu}\n", doc->index,
                          doc->first_line, w->diags.errors);
        }
        return st;
    }
    vm_report *rep = vm_arena_alloc(w->arena, sizeof *rep);
    if (!rep || vm_report_build(w->arena, w->engine, prof, ctx->flags, rep) != VM_OK) {
        vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    if (ctx->nwhat_if) {
        char msg[400];
        vm_status ws = vm_report_what_if(w->arena, w->engine, rep, ctx->flags, ctx->what_if,
                                         (uint32_t)ctx->nwhat_if, msg, sizeof msg);
        if (ws == VM_EUSAGE)
            vm_buf_printf(err, "%s: --what-if: %s\n", VM_PROG, msg);
        else if (ws != VM_OK)
            vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        if (ws != VM_OK)
            return ws;
    }
    const char *f = ctx->format;
    if (strcmp(f, "json") == 0)
        vm_render_json(rep, out);
    else if (strcmp(f, "ndjson") == 0)
        vm_render_ndjson(rep, out);
    else if (strcmp(f, "csv") == 0)
        vm_render_csv(rep, out);
    else if (strcmp(f, "markdown") == 0) {
        if (ctx->adrs.dir) {
            char slug[80];
            const vm_value *nm = &prof->values.v[VM_F_META_NAME];
            slug_of(nm->set ? nm->u.s : "profile", slug, sizeof slug);
            vm_buf_puts(out, slug);
            vm_buf_putc(out, '\n');
        }
        vm_render_adr(rep, &ctx->adr, out);
    }
    else if (strcmp(f, "html") == 0)
        vm_render_html(rep, out);
    else {
        size_t from = out->len;
        vm_render_text(rep, &ctx->ro, out);
        vm_text_fit_tail(out, from, ctx->ro.width); /* the lines no renderer wraps: long names, bars at 20 */
    }
    return VM_OK;
}

/* YYYY-MM-DD with a month 1..12 and a day 1..31 */
static bool valid_date(const char *d)
{
    bool okd = strlen(d) == 10 && d[4] == '-' && d[7] == '-';
    for (int i = 0; okd && i < 10; i++)
        okd = i == 4 || i == 7 || (d[i] >= '0' && d[i] <= '9');
    int mo = okd ? (d[5] - '0') * 10 + (d[6] - '0') : 0, dy = okd ? (d[8] - '0') * 10 + (d[9] - '0') : 0;
    return okd && mo >= 1 && mo <= 12 && dy >= 1 && dy <= 31;
}

/* The options into ctx, ro, *output, *jobs and wi[] (the --what-if
 * assignments). Returns -1 to go on, else the exit status (--help, a usage
 * error). */
static int parse_opts(vm_cli *cli, vm_optparse *p, actx *ctx, vm_rules_opts *ro, const char **output, int *jobs,
                      const char **wi)
{
    int c;
    while ((c = vm_opt_next(p)) > 0) {
        switch (c) {
        case OPT_FORMAT: ctx->format = p->arg; break;
        case OPT_OUTPUT: *output = p->arg; break;
        case OPT_RULES: ro->dir = p->arg; break;
        case OPT_NO_BUILTIN: ro->no_builtin = true; break;
        case OPT_EXPLAIN: ctx->ro.explain = true; break;
        case OPT_STATUS: {
            static char st[16];
            snprintf(st, sizeof st, "%s", p->arg);
            st[0] = (char)(st[0] - 'a' + 'A');
            ctx->adr.status = st;
            break;
        }
        case OPT_ADR_NUMBER: {
            char *end;
            long n = strtol(p->arg, &end, 10);
            if (*end || n < 1 || n > 9999)
                return vm_usage_error(cli, "--adr-number takes a number from 1 to 9999");
            ctx->adrs.next = (unsigned)n;
            break;
        }
        case OPT_DATE:
            if (!valid_date(p->arg))
                return vm_usage_error(cli, "--date takes YYYY-MM-DD, e.g. 2026-03-01");
            ctx->adr.date = p->arg;
            break;
        case OPT_WHAT_IF:
            if (ctx->nwhat_if >= 64)
                return vm_usage_error(cli, "too many --what-if options (at most 64)");
            if (!strchr(p->arg, '='))
                return vm_usage_error(cli, "--what-if takes FIELD=VALUE, e.g. delivery.release_frequency=quarterly");
            wi[ctx->nwhat_if++] = p->arg;
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
    ctx->what_if = wi;
    /* check what-if assignments once, up front, as usage errors */
    for (int i = 0; i < ctx->nwhat_if; i++) {
        vm_values tmp;
        char msg[400];
        vm_arena *a = vm_arena_new();
        memset(&tmp, 0, sizeof tmp);
        vm_status st = vm_values_set_text(a, &tmp, wi[i], NULL, msg, sizeof msg);
        vm_arena_free(a);
        if (st != VM_OK)
            return vm_usage_error(cli, "--what-if: %s", msg);
    }
    bool md = strcmp(ctx->format, "markdown") == 0;
    if ((ctx->adr.status || ctx->adrs.next || ctx->adr.date) && !md)
        return vm_usage_error(cli, "--status, --adr-number and --date are for --format markdown");
    return -1;
}

/* markdown -o DIR/: one ADR file per document, nothing on stdout. Returns 0
 * or VM_EIO (said). */
static int adr_dir(actx *ctx, const char **output)
{
    static char dir[4096];
    int is_dir = vm_out_dir(*output, dir, sizeof dir);
    if (is_dir <= 0)
        return is_dir < 0 ? VM_EIO : 0;
    ctx->adrs.dir = dir;
    *output = NULL;
    return 0;
}

/* CSV: the header line, never a CSV without it. False when out of memory (said). */
static bool csv_header(FILE *fp)
{
    vm_buf hb;
    vm_buf_init(&hb);
    vm_render_csv_header(&hb);
    bool oom = hb.oom;
    if (!oom)
        fwrite(hb.data, 1, hb.len, fp);
    vm_buf_free(&hb);
    if (oom)
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
    return !oom;
}

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    actx ctx = {.format = "text"};
    vm_rules_opts ro = {0};
    const char *output = NULL;
    int jobs = 1;
    const char *wi[64];
    int rc = parse_opts(cli, &p, &ctx, &ro, &output, &jobs, wi);
    if (rc >= 0)
        return rc;
    bool md = strcmp(ctx.format, "markdown") == 0;
    if (md && adr_dir(&ctx, &output) != 0)
        return VM_EIO;
    vm_ruleset *rs;
    rc = vm_cli_load_rules(cli, &ro, &rs);
    if (rc)
        return rc;
    vm_out *o = vm_out_open(output);
    if (!o) {
        vm_ruleset_free(rs);
        return VM_EIO;
    }
    FILE *fp = vm_out_fp(o);
    ctx.ro.color = vm_term_color(cli, fp);
    ctx.ro.unicode = vm_term_unicode();
    /* CSV has no column for unknowns or counterfactuals: do not compute them */
    ctx.flags = strcmp(ctx.format, "csv") == 0 ? 0u : VM_REPORT_ALL;
    ctx.ro.width = vm_term_width(fp);
    if (strcmp(ctx.format, "csv") == 0 && !csv_header(fp)) { /* exit 5 */
        vm_out_abort(o);
        vm_ruleset_free(rs);
        return VM_EIO;
    }
    bool json = strcmp(ctx.format, "json") == 0;
    vm_buf_init(&ctx.list.first);
    vm_buf_init(&ctx.list.errors);
    bool numbered = md && (ctx.adrs.next || ctx.adrs.dir);
    vm_batch b = {.process = process, .collect = json ? collect_json : numbered ? collect_adr : NULL, .ctx = &ctx,
                  .rules = rs, .jobs = jobs, .out = fp};
    rc = vm_batch_run(&b, cli, p.pos, p.npos);
    if (ctx.adrs.failed)
        rc = vm_worst(rc, VM_EIO);
    if (json) {
        if (ctx.list.first.oom || ctx.list.errors.oom) {
            if (rc != VM_EIO)
                fprintf(stderr, "%s: out of memory\n", VM_PROG);
            rc = vm_worst(rc, VM_EIO);
        }
        finish_json(&ctx.list, fp);
    }
    if (rc == VM_EIO && output) {
        vm_out_abort(o);
    } else {
        rc = vm_worst(rc, vm_out_commit(o));
    }
    vm_ruleset_free(rs);
    return rc;
}

VM_COMMAND(advise,
    .summary = "recommend a paradigm and platform for each profile, and explain why",
    .usage = "[OPTIONS] FILE|DIR|-...",
    .description = "Evaluates each profile (every document of every file; directories are searched for *.yaml and "
                   "*.yml) against the rule catalogue and prints the recommendation, the scores, the rules that "
                   "drove it with the profile lines behind them, blockers, risks, the unknowns worth answering "
                   "next and the smallest changes that would alter the result. Invalid documents are reported "
                   "and the run goes on; the exit code is then 3. A symbolic link in a directory that leads "
                   "outside it is not read: an error (exit 5).",
    .examples = "vmctr advise billing.yaml\n"
                "vmctr advise --format json billing.yaml | jq .recommendation\n"
                "vmctr advise --what-if delivery.release_frequency=quarterly billing.yaml\n"
                "vmctr advise --format ndjson -j 2 inventory/ > reports.ndjson\n"
                "vmctr advise --format markdown -o docs/adr/0007-billing-platform.md billing.yaml\n"
                "vmctr advise --format markdown --adr-number 7 --status accepted -o docs/adr/ billing.yaml"
);
