/*
 * cmd_check.c - `vmctr check`: the CI gate. Compares what each profile (and
 * each component) proposes in spec.decision with what vmctr recommends and
 * decides pass / note / warn / fail (src/lib/gate.c; semantics: docs/ci.md). Evaluation runs
 * through batch.c; the records it produces are rendered in input order by
 * check_out.c, in text, json, sarif, junit or github format.
 */
#include "batch.h"
#include "check.h"
#include "cli.h"
#include "inputs.h"
#include "scanfiles.h"
#include "rulesload.h"
#include "cfgload.h"
#include "waivers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/gate.h"
#include "vmctr/report.h"

enum {
    OPT_FORMAT = 1, OPT_OUTPUT, OPT_RULES, OPT_NO_BUILTIN, OPT_JOBS, OPT_MIN_CONF, OPT_FAIL_ON, OPT_REQUIRE,
    OPT_WAIVERS, OPT_NO_WAIVERS, OPT_TODAY, OPT_EXCLUDE, OPT_VERBOSE, OPT_QUIET, OPT_NOTES, OPT_CONFIG, OPT_NO_CONFIG,
    OPT_EVIDENCE
};

static const char *const formats[] = {"text", "json", "sarif", "junit", "github", NULL};
static const char *const fail_ons[] = {"blocker", "mismatch", "warning", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT",
     "text (default), json, sarif (SARIF 2.1.0 for code scanning), junit (JUnit XML for GitLab/Jenkins) "
     "or github (workflow command annotations)",
     OPT_FORMAT, false, formats},
    {"output", 'o', "FILE", "write to FILE atomically instead of stdout", OPT_OUTPUT, false, NULL},
    {"min-confidence", 0, "X",
     "a different recommendation fails only at this confidence or above, else it warns (0..1, default 0.6)",
     OPT_MIN_CONF, false, NULL},
    {"fail-on", 0, "LEVEL",
     "blocker: only excluded proposals fail; mismatch (default): also confident mismatches; warning: any "
     "warning fails too",
     OPT_FAIL_ON, false, fail_ons},
    {"require-decision", 0, NULL, "fail a profile or component that proposes nothing (default: a note)", OPT_REQUIRE,
     false, NULL},
    {"notes", 0, NULL, "also report 'no decision' notes in sarif and github output (default: only in text, json, junit)",
     OPT_NOTES, false, NULL},
    {"quiet", 'q', NULL, "text and github: print only failures (no passes, notes, warnings or summary)", OPT_QUIET,
     false, NULL},
    {"verbose", 'v', NULL, "name on stderr every file of a directory skipped as not a vmctr file", OPT_VERBOSE, false,
     NULL},
    {"exclude", 0, "GLOB",
     "skip paths in directories that match GLOB ('*' matches '/' too; repeatable); explicit files are always read",
     OPT_EXCLUDE, true, NULL},
    {"waivers", 0, "FILE",
     "accept listed failures until their expiry (WaiverSet; default " VM_DEFAULT_WAIVERS " when present)",
     OPT_WAIVERS, false, NULL},
    {"no-waivers", 0, NULL, "ignore every waiver file (a strict run)", OPT_NO_WAIVERS, false, NULL},
    {"today", 0, "DATE", "judge waiver expiry as of DATE (YYYY-MM-DD; default: today in UTC)", OPT_TODAY, false,
     NULL},
    {"config", 0, "FILE", "read defaults from FILE (default " VM_DEFAULT_CONFIG " when present; options win)",
     OPT_CONFIG, false, NULL},
    {"no-config", 0, NULL, "ignore the config file", OPT_NO_CONFIG, false, NULL},
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    VM_OPT_JOBS_ROW(OPT_JOBS),
    {"evidence", 0, "DIR",
     "also warn where a profile contradicts the repository in DIR (vmctr scan's signals; never changes the "
     "verdict)",
     OPT_EVIDENCE, false, NULL},
    {0},
};

typedef struct {
    ck_render rd;
    vm_buf tmp;
} cctx;

/* One gate result as a record of the document's output: a blocker that is
 * not waived names its first blocking rule that no waiver covers. */
static void put_result(const vm_gate_result *g, const vm_waiver_verdict *v, const vm_profile *prof,
                       const char *file, const vm_doc *doc, vm_buf *out)
{
    int waiver = v->waiver;
    const vm_rule *rule = g->rule;
    int blocked = g->blocked;
    if (v->uncovered.rule) {
        rule = v->uncovered.rule;
        blocked = v->uncovered.target;
    }
    const vm_value *name = &prof->values.v[VM_F_META_NAME];
    ck_rec r = {.tag = 'I', .file = file, .doc = doc->index, .doc_line = doc->first_line, .line = g->line,
                .col = g->col, .profile = name->set ? name->u.s : "", .component = g->component ? g->component : "",
                .pp = g->pp, .pq = g->pq, .rp = g->rp, .rq = g->rq, .rcq = g->rcq, .rxq = g->rxq,
                .tied = g->platform_tied, .conf = g->conf, .kind = (int)g->kind, .outcome = (int)g->outcome,
                .blocked = blocked, .reason = g->reason};
    if (waiver >= 0) {
        r.orig = r.outcome;
        r.outcome = CK_WAIVED;
        r.waiver = waiver + 1;
    }
    r.rule_id = rule ? rule->id : "";
    r.rule_title = rule && rule->title ? rule->title : "";
    ck_put(out, &r);
    /* the other waivers it used (each covers another blocking rule) */
    for (uint32_t i = 0; i < VM_LIMIT_WAIVERS; i++) {
        if (!v->used[i / 64]) {
            i |= 63;
            continue;
        }
        if (((v->used[i / 64] >> (i % 64)) & 1u) && (int)i != waiver) {
            ck_rec u = {.tag = 'U', .file = file, .doc = doc->index, .doc_line = doc->first_line,
                        .waiver = (int)i + 1};
            ck_put(out, &u);
        }
    }
}

static int process(void *ctxp, vm_worker *w, const char *file, const vm_doc *doc, vm_buf *out, vm_buf *err)
{
    cctx *ctx = ctxp;
    int st;
    vm_profile *prof = vm_batch_profile(w, file, doc, err, &st);
    if (!prof && st != VM_BATCH_EMPTY && (st == VM_EPROFILE || w->diags.count)) {
        /* the invalid document becomes records of the report too */
        for (size_t i = 0; i < w->diags.count; i++) {
            const vm_diag *d = &w->diags.items[i];
            if (d->severity != VM_SEV_ERROR)
                continue;
            char text[520];
            snprintf(text, sizeof text, "%s%s%s", d->path, d->path[0] ? ": " : "", d->message);
            ck_rec r = {.tag = 'E', .file = file, .doc = doc->index, .doc_line = doc->first_line,
                        .line = d->line ? d->line : doc->first_line, .col = d->col ? d->col : 1, .text = text};
            ck_put(out, &r);
        }
        if (w->diags.count == 0) {
            ck_rec r = {.tag = 'E', .file = file, .doc = doc->index, .doc_line = doc->first_line,
                        .line = doc->first_line, .col = 1, .text = "invalid profile"};
            ck_put(out, &r);
        }
    }
    if (!prof)
        return st;
    vm_report *rep = vm_arena_alloc(w->arena, sizeof *rep);
    if (!rep || vm_report_build(w->arena, w->engine, prof, 0, rep) != VM_OK) {
        vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    vm_gate_result res[VM_GATE_MAX_RESULTS];
    bool oom = false, failed = false;
    size_t n = vm_gate_judge(rep, prof, &ctx->rd.pol, w->arena, res, &oom);
    const vm_value *name = &prof->values.v[VM_F_META_NAME];
    for (size_t i = 0; i < n; i++) {
        vm_waiver_verdict v;
        int wv = vm_waivers_apply(ctx->rd.waivers, file, name->set ? name->u.s : "", &res[i], ctx->rd.today, &v);
        failed |= wv < 0 && res[i].outcome == VM_GATE_FAIL;
        put_result(&res[i], &v, prof, file, doc, out);
    }
    if (oom)
        out->oom = true;
    if (out->oom)
        return VM_EIO; /* the batch says "out of memory" for out (emit), once */
    return failed ? VM_FAIL : VM_OK;
}

/* Main thread, input order: turn the document's records into the format. */
static void collect(void *ctxp, int status, vm_buf *out)
{
    (void)status;
    cctx *ctx = ctxp;
    if (!out->len)
        return;
    vm_buf_reset(&ctx->tmp);
    ck_render_doc(&ctx->rd, out->data, out->len, &ctx->tmp);
    vm_buf_reset(out);
    if (ctx->tmp.len)
        vm_buf_put(out, ctx->tmp.data, ctx->tmp.len);
    if (ctx->tmp.oom) {
        out->oom = true; /* said by the batch (emit); tmp is reused: said once */
        ctx->tmp.oom = false;
    }
}

/* Writes b and empties it; out of memory in b is said here, once (the flag
 * is cleared: b is written again after it). */
static int write_buf(FILE *fp, vm_buf *b)
{
    if (b->oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        b->oom = false;
        vm_buf_reset(b);
        return VM_EIO;
    }
    if (b->len)
        fwrite(b->data, 1, b->len, fp);
    vm_buf_reset(b);
    return 0;
}

/* What the options and the config decided, for check_inputs. */
typedef struct {
    vm_rules_opts ro;
    const char *waivers, *output, *evidence;
    const char **excl;
    size_t nexcl;
    bool no_waivers, verbose;
    int jobs;
    char **pos;
    int npos;
} check_args;

static int check_inputs(vm_cli *cli, cctx *ctxp, const check_args *ar);

/* check's options beyond the renderer's (ck_render). */
typedef struct {
    vm_rules_opts ro;
    const char *output, *waivers, *today, *evidence, *config;
    bool no_waivers, verbose, no_config;
    bool set_minconf, set_failon, set_require; /* given: the config does not override them */
    int jobs;
    size_t nexcl;              /* --exclude globs in excl[] */
} check_opts;

/* The options into rd (format, policy, quiet, notes), o and excl[].
 * Returns -1 to go on, else the exit status (--help, a usage error). */
static int parse_opts(vm_cli *cli, vm_optparse *p, ck_render *rd, check_opts *o, const char **excl)
{
    int c;
    while ((c = vm_opt_next(p)) > 0) {
        switch (c) {
        case OPT_FORMAT:
            for (int i = 0; formats[i]; i++)
                if (strcmp(formats[i], p->arg) == 0)
                    rd->format = (ck_format)i;
            break;
        case OPT_FAIL_ON:
            for (int i = 0; fail_ons[i]; i++)
                if (strcmp(fail_ons[i], p->arg) == 0)
                    rd->pol.fail_on = (vm_fail_on)i;
            o->set_failon = true;
            break;
        case OPT_OUTPUT: o->output = p->arg; break;
        case OPT_RULES: o->ro.dir = p->arg; break;
        case OPT_NO_BUILTIN: o->ro.no_builtin = true; break;
        case OPT_REQUIRE:
            rd->pol.require_decision = true;
            o->set_require = true;
            break;
        case OPT_CONFIG: o->config = p->arg; break;
        case OPT_NO_CONFIG: o->no_config = true; break;
        case OPT_WAIVERS: o->waivers = p->arg; break;
        case OPT_NO_WAIVERS: o->no_waivers = true; break;
        case OPT_TODAY: o->today = p->arg; break;
        case OPT_EXCLUDE: excl[o->nexcl++] = p->arg; break;
        case OPT_VERBOSE: o->verbose = true; break;
        case OPT_QUIET: rd->quiet = true; break;
        case OPT_NOTES: rd->notes = true; break;
        case OPT_EVIDENCE: o->evidence = p->arg; break;
        case OPT_MIN_CONF: {
            char *end;
            double x = strtod(p->arg, &end);
            if (end == p->arg || *end || !(x >= 0.0 && x <= 1.0))
                return vm_usage_error(cli, "--min-confidence takes a number from 0 to 1, not '%s'", p->arg);
            rd->pol.min_confidence = x;
            o->set_minconf = true;
            break;
        }
        case OPT_JOBS: {
            int e = vm_batch_jobs_arg(cli, p->arg, &o->jobs);
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
    if (o->waivers && o->no_waivers)
        return vm_usage_error(cli, "--waivers and --no-waivers contradict each other");
    if (o->config && o->no_config)
        return vm_usage_error(cli, "--config and --no-config contradict each other");
    return -1;
}

/* The repository config under the options: options > config > defaults. */
static void apply_config(const vm_config *cfg, ck_render *rd, check_opts *o)
{
    if (!o->set_minconf && cfg->has_min_confidence)
        rd->pol.min_confidence = cfg->min_confidence;
    if (!o->set_failon && cfg->fail_on >= 0)
        rd->pol.fail_on = (vm_fail_on)cfg->fail_on;
    if (!o->set_require && cfg->require_decision >= 0)
        rd->pol.require_decision = cfg->require_decision == 1;
    if (!o->ro.dir)
        o->ro.dir = cfg->rules;
    if (!o->waivers && !o->no_waivers)
        o->waivers = cfg->waivers;
}

static int check(vm_cli *cli, int argc, char **argv, const char **excl)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    cctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ck_render_init(&ctx.rd);
    ctx.rd.pol = (vm_gate_policy)VM_GATE_POLICY_INIT;
    check_opts o = {.jobs = 1};
    int rc = parse_opts(cli, &p, &ctx.rd, &o, excl);
    if (rc >= 0)
        return rc;
    rc = vm_cli_today(cli, o.today, &ctx.rd.today);
    if (rc)
        return rc;
    /* the repository config: options > config > defaults */
    vm_arena *ca = vm_arena_new();
    vm_config cfg;
    if (!ca) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    const char *found = NULL;
    rc = o.no_config ? 0 : vm_cli_load_config(cli, o.config, ca, &cfg, &found);
    if (rc || o.no_config) {
        vm_arena_free(ca);
        if (rc)
            return rc;
        memset(&cfg, 0, sizeof cfg);
        cfg.fail_on = cfg.require_decision = -1;
        ca = NULL;
    }
    apply_config(&cfg, &ctx.rd, &o);
    /* a found config's paths are the checkout's: checked where used */
    rc = vm_cli_config_paths(found, o.ro.dir == cfg.rules ? cfg.rules : NULL,
                             o.waivers == cfg.waivers ? cfg.waivers : NULL);
    if (rc) {
        vm_arena_free(ca);
        return rc;
    }
    /* excludes: the config's, then the options' */
    const char **all = calloc((size_t)cfg.nexclude + o.nexcl + 1, sizeof *all);
    if (!all) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        vm_arena_free(ca);
        return VM_EIO;
    }
    for (uint32_t i = 0; i < cfg.nexclude; i++)
        all[i] = cfg.exclude[i];
    for (size_t i = 0; i < o.nexcl; i++)
        all[cfg.nexclude + i] = excl[i];
    check_args ar = {.ro = o.ro, .waivers = o.waivers, .output = o.output, .evidence = o.evidence, .excl = all,
                     .nexcl = cfg.nexclude + o.nexcl, .no_waivers = o.no_waivers, .verbose = o.verbose,
                     .jobs = o.jobs, .pos = p.pos, .npos = p.npos};
    rc = check_inputs(cli, &ctx, &ar);
    free(all);
    vm_arena_free(ca);
    return rc;
}

/* The run proper, after options and config. */
static int check_inputs(vm_cli *cli, cctx *ctxp, const check_args *ar)
{
    cctx ctx = *ctxp; /* owned from here: freed below */
    const vm_rules_opts ro = ar->ro;
    const char *waivers = ar->waivers, *output = ar->output, *evidence = ar->evidence;
    const char **excl = ar->excl;
    size_t nexcl = ar->nexcl;
    bool no_waivers = ar->no_waivers, verbose = ar->verbose;
    int jobs = ar->jobs;
    int rc = 0;
    vm_ruleset *rs;
    rc = vm_cli_load_rules(cli, &ro, &rs);
    if (rc)
        return rc;
    vm_arena *wa = vm_arena_new();
    vm_waivers wset;
    bool wloaded = false;
    if (!wa) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
    } else if (!no_waivers)
        rc = vm_cli_load_waivers(cli, waivers, rs, ctx.rd.today, wa, &wset, &wloaded);
    if (!rc && wloaded) {
        ctx.rd.waivers = &wset;
        ctx.rd.uses = calloc(wset.n ? wset.n : 1, sizeof *ctx.rd.uses);
        if (!ctx.rd.uses) {
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
            rc = VM_EIO;
        }
    }
    if (!rc && evidence)
        rc = vm_check_evidence(cli, evidence, ar->pos, ar->npos);
    vm_out *o = rc ? NULL : vm_out_open(output);
    if (!o) {
        free(ctx.rd.uses);
        vm_arena_free(wa);
        vm_ruleset_free(rs);
        return rc ? rc : VM_EIO;
    }
    FILE *fp = vm_out_fp(o);
    ctx.rd.rules = rs;
    vm_buf_init(&ctx.tmp);
    ck_render_begin(&ctx.rd, &ctx.tmp);
    rc = write_buf(fp, &ctx.tmp);
    vm_batch_stats stats = {0};
    vm_batch b = {.process = process, .collect = collect, .ctx = &ctx, .rules = rs, .jobs = jobs, .out = fp,
                  .detect = true, .verbose = verbose, .exclude = excl, .nexclude = nexcl, .stats = &stats};
    if (!rc)
        rc = vm_batch_run(&b, cli, ar->pos, ar->npos);
    ctx.rd.skipped_files = stats.foreign;
    ctx.rd.excluded = stats.excluded;
    /* a mistyped path or a directory without profiles must not pass */
    bool none = rc <= VM_FAIL && stats.documents == 0;
    if (none) {
        fprintf(stderr, "%s check: no profiles found", VM_PROG);
        if (stats.foreign || stats.excluded)
            fprintf(stderr, " (%u %s not vmctr, %u excluded)", stats.foreign,
                    stats.foreign == 1 ? "file was" : "files were", stats.excluded);
        fputs("\n", stderr);
        rc = VM_EUSAGE;
    }
    /* the waivers that expired or matched nothing, after every input */
    if (ctx.rd.waivers && rc != VM_EIO) {
        vm_buf recs;
        vm_buf_init(&recs);
        if (ck_waiver_records(&ctx.rd, wset.file, &recs))
            rc = vm_worst(rc, VM_FAIL);
        vm_buf_reset(&ctx.tmp);
        if (recs.len)
            ck_render_doc(&ctx.rd, recs.data, recs.len, &ctx.tmp);
        if (recs.oom)
            ctx.rd.oom = true;
        vm_buf_free(&recs);
        rc = vm_worst(rc, write_buf(fp, &ctx.tmp));
    }
    /* close the document even after an I/O error, so stdout stays well-formed */
    vm_buf_reset(&ctx.tmp);
    ck_render_end(&ctx.rd, &ctx.tmp, rc);
    rc = vm_worst(rc, write_buf(fp, &ctx.tmp));
    if (ctx.rd.oom) {
        if (rc != VM_EIO)
            fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = vm_worst(rc, VM_EIO);
    }
    if ((rc == VM_EIO || none) && output)
        vm_out_abort(o);
    else
        rc = vm_worst(rc, vm_out_commit(o));
    vm_buf_free(&ctx.tmp);
    ck_render_free(&ctx.rd);
    free(ctx.rd.uses);
    vm_arena_free(wa);
    vm_ruleset_free(rs);
    return rc;
}

static int run(vm_cli *cli, int argc, char **argv)
{
    const char **excl = calloc((size_t)argc + 1, sizeof *excl);
    if (!excl) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    int rc = check(cli, argc, argv, excl);
    free(excl);
    return rc;
}

VM_COMMAND(check,
    .summary = "CI gate: fail when a profile's proposed decision contradicts the recommendation",
    .usage = "[OPTIONS] FILE|DIR|-...",
    .description =
        "Compares what each profile proposes (spec.decision.paradigm and .platform) with what vmctr "
        "recommends, for the profile and for each component (a component without a decision of its own "
        "inherits the profile's). A proposal that a blocker excludes always fails; a different "
        "recommendation fails when its confidence is at least --min-confidence and warns below it; a "
        "profile without a decision gets a note (it fails with --require-decision). --fail-on blocker "
        "turns mismatches into warnings; --fail-on warning makes warnings fail too.\n\n"
        "Waivers (--waivers FILE, default " VM_DEFAULT_WAIVERS " when present) accept a warning or failure "
        "of one profile or component, with a reason, an owner and an expiry date at most 365 days ahead; "
        "a waived check is shown as waived in every format. A waiver that expired fails (the day after its "
        "expires date); one that matched nothing is a warning.\n\n"
        "Defaults come from --config FILE (else " VM_DEFAULT_CONFIG " when present): options > config > "
        "built-in defaults (--exclude adds to the config's globs). Both default files are read from the "
        "current directory, the waiver file also with --no-config: on a pull request you do not trust, use "
        "--no-config, the options spelled out and --waivers a copy from the base branch (or --no-waivers); "
        "see docs/ci.md. A file check finds rather than is given (a default file, or the rules or waivers "
        "path a found config names) is read only when it is a regular file (a rule directory may be a "
        "directory) inside the checkout, the nearest directory up that holds .git, else the current one; "
        "otherwise it is an error (exit 5) and the file is not read.\n\n"
        "In a directory, only files whose first document declares apiVersion vmctr/... are checked (others "
        "are counted as skipped; --exclude GLOB skips paths); explicit files are always checked; a symbolic link "
        "that leads outside the directory is not read: an error (exit 5). Finding no "
        "profile at all is an error (exit 2). 'No decision' notes appear in sarif and github output only with "
        "--notes.\n\n"
        "Exit status: 0 every check passes, 1 some check fails, 2 usage error or no profile found, 3 an input is not a valid profile (the "
        "other documents are still checked; 3 wins over 1 so that CI shows the input error), 4 invalid "
        "rules or an invalid waiver file, 5 I/O error, a link out of a directory or a found file out of the checkout (with -o, the file is then left as it was). See docs/ci.md.",
    .examples = "vmctr check profiles/\n"
                "vmctr check --format github profiles/\n"
                "vmctr check --format sarif -o vmctr.sarif profiles/\n"
                "vmctr check --format junit -o vmctr-junit.xml --min-confidence 0.4 profiles/\n"
                "vmctr check --fail-on warning --require-decision billing.yaml\n"
                "vmctr check --waivers .vmctr/waivers.yaml --today 2026-12-06 profiles/\n"
                "vmctr check --exclude 'vendor/*' --verbose ."
);
