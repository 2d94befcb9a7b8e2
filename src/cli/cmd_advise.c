/*
 * cmd_advise.c - `vmctr advise`: the recommendation and its explanation for
 * every profile of every input, in the chosen format. Runs through batch.c,
 * so many files, directories, streams and `-j N` behave alike.
 */
#include "batch.h"
#include "cli.h"
#include "rulesload.h"

#include <stdlib.h>
#include <string.h>

#include "vmctr/report.h"

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_RULES, OPT_NO_BUILTIN, OPT_WHAT_IF, OPT_EXPLAIN, OPT_JOBS };

static const char *const formats[] = {"text", "json", "ndjson", "csv", "markdown", "html", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT", "text (default), json, ndjson (one lean report per line: rule texts by id), csv "
                              "(one row per profile and component), markdown (an ADR) or html",
     OPT_FORMAT, false, formats},
    {"output", 'o', "FILE", "write to FILE atomically instead of stdout", OPT_OUTPUT, false, NULL},
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    {"what-if", 'w', "FIELD=VALUE", "also show the result with this answer changed (repeatable)", OPT_WHAT_IF, true,
     NULL},
    {"explain", 'e', NULL, "text: show every rule, unknown and counterfactual, not just the summary", OPT_EXPLAIN,
     false, NULL},
    VM_OPT_JOBS_ROW(OPT_JOBS),
    {0},
};

typedef struct {
    const char *format;
    unsigned flags;          /* what vm_report_build computes */
    vm_render_opts ro;
    const char **what_if;
    int nwhat_if;
} actx;

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
        }
        return st;
    }
    vm_report *rep = vm_arena_alloc(w->arena, sizeof *rep);
    if (!rep || vm_report_build(w->arena, w->engine, prof, ctx->flags, rep) != VM_OK) {
        vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    if (ctx->nwhat_if) {
        vm_profile *alt = vm_arena_alloc(w->arena, sizeof *alt);
        vm_report *wrep = vm_arena_alloc(w->arena, sizeof *wrep);
        if (!alt || !wrep) {
            vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
            return VM_EIO;
        }
        *alt = *prof;
        if (prof->ncomponents) {
            alt->components = vm_arena_alloc(w->arena, prof->ncomponents * sizeof(vm_component));
            if (!alt->components)
                return VM_EIO;
            memcpy(alt->components, prof->components, prof->ncomponents * sizeof(vm_component));
        }
        for (int i = 0; i < ctx->nwhat_if; i++) {
            char msg[400];
            /* a what-if answer applies to the whole system, components included */
            if (vm_values_set_text(w->arena, &alt->values, ctx->what_if[i], NULL, msg, sizeof msg) != VM_OK) {
                vm_buf_printf(err, "%s: --what-if: %s\n", VM_PROG, msg);
                return VM_EUSAGE;
            }
            for (uint32_t c = 0; c < alt->ncomponents; c++)
                vm_values_set_text(w->arena, &alt->components[c].values, ctx->what_if[i], NULL, msg, sizeof msg);
        }
        if (vm_report_build(w->arena, w->engine, alt, ctx->flags, wrep) != VM_OK)
            return VM_EIO;
        rep->what_if = wrep;
        rep->what_if_set = ctx->what_if;
        rep->nwhat_if = (uint32_t)ctx->nwhat_if;
    }
    const char *f = ctx->format;
    if (strcmp(f, "json") == 0)
        vm_render_json(rep, out, true);
    else if (strcmp(f, "ndjson") == 0)
        vm_render_ndjson(rep, out);
    else if (strcmp(f, "csv") == 0)
        vm_render_csv(rep, out);
    else if (strcmp(f, "markdown") == 0)
        vm_render_markdown(rep, out);
    else if (strcmp(f, "html") == 0)
        vm_render_html(rep, out);
    else
        vm_render_text(rep, &ctx->ro, out);
    return VM_OK;
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
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_FORMAT: ctx.format = p.arg; break;
        case OPT_OUTPUT: output = p.arg; break;
        case OPT_RULES: ro.dir = p.arg; break;
        case OPT_NO_BUILTIN: ro.no_builtin = true; break;
        case OPT_EXPLAIN: ctx.ro.explain = true; break;
        case OPT_WHAT_IF:
            if (ctx.nwhat_if >= 64)
                return vm_usage_error(cli, "too many --what-if options (at most 64)");
            if (!strchr(p.arg, '='))
                return vm_usage_error(cli, "--what-if takes FIELD=VALUE, e.g. delivery.release_frequency=quarterly");
            wi[ctx.nwhat_if++] = p.arg;
            break;
        case OPT_JOBS: {
            int e = vm_batch_jobs_arg(cli, p.arg, &jobs);
            if (e)
                return e;
            break;
        }
        }
    }
    if (c < 0)
        return p.status;
    ctx.what_if = wi;
    /* check what-if assignments once, up front, as usage errors */
    for (int i = 0; i < ctx.nwhat_if; i++) {
        vm_values tmp;
        char msg[400];
        vm_arena *a = vm_arena_new();
        memset(&tmp, 0, sizeof tmp);
        vm_status st = vm_values_set_text(a, &tmp, wi[i], NULL, msg, sizeof msg);
        vm_arena_free(a);
        if (st != VM_OK)
            return vm_usage_error(cli, "--what-if: %s", msg);
    }
    vm_ruleset *rs;
    int rc = vm_cli_load_rules(cli, &ro, &rs);
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
    if (strcmp(ctx.format, "csv") == 0) {
        vm_buf hb;
        vm_buf_init(&hb);
        vm_render_csv_header(&hb);
        fwrite(hb.data, 1, hb.len, fp);
        vm_buf_free(&hb);
    }
    vm_batch b = {.process = process, .ctx = &ctx, .rules = rs, .jobs = jobs, .out = fp};
    rc = vm_batch_run(&b, cli, p.pos, p.npos);
    if (rc == VM_EIO && output) {
        vm_out_abort(o);
    } else {
        rc = vm_worst(rc, vm_out_commit(o));
    }
    vm_ruleset_free(rs);
    return rc;
}

const vm_cmd cmd_advise = {
    .name = "advise",
    .summary = "recommend a paradigm and platform for each profile, and explain why",
    .usage = "[OPTIONS] FILE|DIR|-...",
    .opts = opts,
    .run = run,
    .description = "Evaluates each profile (every document of every file; directories are searched for *.yaml and "
                   "*.yml) against the rule catalogue and prints the recommendation, the scores, the rules that "
                   "drove it with the profile lines behind them, blockers, risks, the unknowns worth answering "
                   "next and the smallest changes that would alter the result. Invalid documents are reported "
                   "and the run goes on; the exit code is then 3.",
    .examples = "vmctr advise billing.yaml\n"
                "vmctr advise --format json billing.yaml | jq .recommendation\n"
                "vmctr advise --what-if delivery.release_frequency=quarterly billing.yaml\n"
                "vmctr advise --format ndjson -j 2 inventory/ > reports.ndjson\n"
                "vmctr advise --format markdown -o docs/adr/0007-billing-platform.md billing.yaml",
};
