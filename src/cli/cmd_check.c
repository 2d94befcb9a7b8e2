/*
 * cmd_check.c - `vmctr check`: the CI gate. Compares what each profile (and
 * each component) proposes in spec.decision with what vmctr recommends and
 * decides pass / note / warn / fail (semantics: docs/ci.md). Evaluation runs
 * through batch.c; the records it produces are rendered in input order by
 * check_out.c, in text, json, sarif, junit or github format.
 */
#include "batch.h"
#include "check.h"
#include "cli.h"
#include "rulesload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/report.h"

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_RULES, OPT_NO_BUILTIN, OPT_JOBS, OPT_MIN_CONF, OPT_FAIL_ON, OPT_REQUIRE };

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
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    VM_OPT_JOBS_ROW(OPT_JOBS),
    {0},
};

typedef struct {
    ck_render rd;
    vm_buf tmp;
} cctx;

/* One thing to check: the profile as a system, or one component. */
typedef struct {
    const vm_values *v;
    const vm_eval_report *ev;      /* NULL for a system with components */
    const vm_report *rep;
    const char *component;
    bool own_paradigm;             /* a component's decision.paradigm is its own, not inherited */
} subject;

static bool has_decision(const vm_values *v)
{
    return v->v[VM_F_DECISION_PARADIGM].set || v->v[VM_F_DECISION_PLATFORM].set;
}

static bool same_pos(const vm_value *a, const vm_value *b)
{
    return a->set == b->set && (!a->set || (a->line == b->line && a->col == b->col));
}

/* The first fired rule (rule-set order) that excludes target t. */
static const vm_rule *find_blocker(const vm_report *rep, const vm_eval_report *ev, int t)
{
    const vm_eval_report *evs[VM_LIMIT_COMPONENTS + 1];
    size_t n = 0;
    if (ev)
        evs[n++] = ev;
    else
        for (uint32_t i = 0; i < rep->ncomponents; i++)
            evs[n++] = &rep->components[i].ev;
    for (size_t k = 0; k < n; k++)
        for (uint32_t i = 0; i < evs[k]->nfired; i++) {
            const vm_rule *r = vm_ruleset_rule(rep->rules, evs[k]->fired[i]);
            if ((r->excludes >> t) & 1u)
                return r;
        }
    return NULL;
}

/* The fired rule that most favours `want` over `other` (for a reason line). */
static const vm_rule *top_reason(const vm_report *rep, const vm_eval_report *ev, int want, int other)
{
    const vm_rule *best = NULL;
    double bv = 1e-9;
    for (uint32_t i = 0; ev && want >= 0 && i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rep->rules, ev->fired[i]);
        double k = ev->factor[r->category];
        double d = (r->scores[want] - (other >= 0 ? r->scores[other] : 0)) * k;
        if (d > bv) {
            bv = d;
            best = r;
        }
    }
    return best;
}

static void check_subject(const subject *s, const vm_profile *prof, const char *file, const vm_doc *doc,
                          const ck_render *opt, vm_arena *a, vm_buf *out, bool *failed)
{
    const vm_report *rep = s->rep;
    ck_rec r = {.tag = 'I', .file = file, .doc = doc->index, .doc_line = doc->first_line};
    const vm_value *name = &prof->values.v[VM_F_META_NAME];
    r.profile = name->set ? name->u.s : "";
    r.component = s->component ? s->component : "";
    r.pp = vm_report_proposed_paradigm(s->v);
    r.pq = vm_report_proposed_platform(s->v);
    uint16_t excl = 0;
    if (s->ev) {
        r.rp = s->ev->res.paradigm;
        r.rq = s->ev->res.platform;
        r.rcq = s->ev->res.container_platform;
        r.conf = s->ev->res.confidence;
        excl = s->ev->res.excluded;
    } else {
        r.rp = rep->paradigm;
        r.rq = rep->platform;
        r.rcq = rep->container_platform;
        r.conf = rep->confidence;
        for (uint32_t i = 0; i < rep->ncomponents; i++)
            excl |= rep->components[i].ev.res.excluded;
    }
    /* where the result points */
    const vm_value *dp = &s->v->v[VM_F_DECISION_PARADIGM], *dq = &s->v->v[VM_F_DECISION_PLATFORM];
    const vm_component *comp = NULL;
    if (s->component)
        for (uint32_t i = 0; i < prof->ncomponents; i++)
            if (&prof->components[i].values == s->v)
                comp = &prof->components[i];
    bool inherited = comp && same_pos(dp, &prof->values.v[VM_F_DECISION_PARADIGM]) &&
                     same_pos(dq, &prof->values.v[VM_F_DECISION_PLATFORM]);
    if (comp && (inherited || !has_decision(s->v))) {
        r.line = comp->line;
        r.col = comp->col;
    } else if (dp->set) {
        r.line = dp->line;
        r.col = dp->col;
    } else if (dq->set) {
        r.line = dq->line;
        r.col = dq->col;
    } else if (name->set) {
        r.line = name->line;
        r.col = name->col;
    } else {
        r.line = doc->first_line;
        r.col = 1;
    }
    r.rule_id = r.rule_title = r.reason = "";
    r.blocked = -1;

    if (r.pp < 0 && r.pq < 0) {
        r.kind = CK_NO_DECISION;
    } else {
        /* a component that inherits a hybrid proposal is one side of it */
        bool part = comp && !s->own_paradigm && r.pp == VM_T_HYBRID;
        int fam = r.pq >= 0 ? vm_platform_family(r.pq) : -1;
        bool platform_applies = r.pq >= 0 && (!part || fam == r.rp || r.rp == VM_T_HYBRID);
        int blocked = -1;
        if (part) {
            if (((excl >> VM_T_VM) & 1u) && ((excl >> VM_T_CONTAINER) & 1u))
                blocked = VM_T_HYBRID;
        } else if (r.pp >= 0 && ((excl >> r.pp) & 1u)) {
            blocked = r.pp;
        }
        if (blocked < 0 && platform_applies && ((excl >> r.pq) & 1u))
            blocked = r.pq;
        bool para_ok = r.pp < 0 || r.pp == r.rp ||
                       (part && (r.rp == VM_T_VM || r.rp == VM_T_CONTAINER));
        bool plat_ok = !platform_applies || r.pq == r.rq || r.pq == r.rcq;
        if (blocked >= 0) {
            r.kind = CK_BLOCKER;
            const vm_rule *b = find_blocker(rep, s->ev,
                                            blocked == VM_T_HYBRID && part ? VM_T_CONTAINER : blocked);
            r.blocked = blocked;
            if (b) {
                r.rule_id = b->id;
                r.rule_title = b->title ? b->title : "";
            }
        } else if (para_ok && plat_ok && r.rp >= 0) {
            r.kind = CK_MATCH;
        } else {
            r.kind = CK_MISMATCH;
        }
    }
    /* a reason for the recommendation */
    if (r.kind != CK_BLOCKER && r.rp >= 0) {
        if (s->ev) {
            const vm_rule *t;
            if (r.pp >= 0 && r.pp != r.rp)
                t = top_reason(rep, s->ev, r.rp, r.pp);
            else if (r.kind == CK_MISMATCH && r.pq >= 0 && r.rq >= 0)
                t = top_reason(rep, s->ev, r.rq, r.pq);
            else
                t = s->ev->nreasons ? vm_ruleset_rule(rep->rules, s->ev->reasons[0].rule) : NULL;
            if (!t && s->ev->nreasons)
                t = vm_ruleset_rule(rep->rules, s->ev->reasons[0].rule);
            if (t) {
                r.rule_id = t->id;
                r.rule_title = t->title ? t->title : "";
                r.reason = r.rule_title;
            }
        } else {
            vm_buf tb;
            vm_buf_init(&tb);
            vm_buf_puts(&tb, "components: ");
            for (uint32_t i = 0; i < rep->ncomponents; i++)
                vm_buf_printf(&tb, "%s%s %s", i ? ", " : "", rep->components[i].comp->name,
                              vm_target_name(rep->components[i].ev.res.paradigm));
            char *t = tb.oom ? NULL : vm_arena_alloc(a, tb.len + 1);
            if (t) {
                memcpy(t, tb.data, tb.len);
                t[tb.len] = '\0';
                r.reason = t;
            }
            vm_buf_free(&tb);
        }
    }
    /* the policy */
    switch (r.kind) {
    case CK_MATCH: r.outcome = CK_PASS; break;
    case CK_NO_DECISION: r.outcome = opt->require_decision ? CK_FAIL : CK_NOTE; break;
    case CK_BLOCKER: r.outcome = CK_FAIL; break;
    default:
        r.outcome = opt->fail_on != CK_FAIL_ON_BLOCKER && r.conf >= opt->min_confidence - 1e-12 ? CK_FAIL : CK_WARN;
        break;
    }
    if (r.outcome == CK_WARN && opt->fail_on == CK_FAIL_ON_WARNING)
        r.outcome = CK_FAIL;
    if (r.outcome == CK_FAIL)
        *failed = true;
    ck_put(out, &r);
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
    bool failed = false;
    bool parent = has_decision(&prof->values);
    bool any = parent;
    for (uint32_t i = 0; i < prof->ncomponents; i++)
        any |= has_decision(&prof->components[i].values);
    if (!any || parent || prof->ncomponents == 0) {
        subject s = {.v = &prof->values, .ev = prof->ncomponents ? NULL : &rep->main, .rep = rep};
        check_subject(&s, prof, file, doc, &ctx->rd, w->arena, out, &failed);
    }
    for (uint32_t i = 0; any && i < prof->ncomponents; i++) {
        const vm_component *c = &prof->components[i];
        subject s = {.v = &c->values, .ev = &rep->components[i].ev, .rep = rep, .component = c->name,
                     .own_paradigm = !same_pos(&c->values.v[VM_F_DECISION_PARADIGM],
                                               &prof->values.v[VM_F_DECISION_PARADIGM])};
        check_subject(&s, prof, file, doc, &ctx->rd, w->arena, out, &failed);
    }
    if (out->oom) {
        vm_buf_printf(err, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
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
    vm_buf_put(out, ctx->tmp.data, ctx->tmp.len);
    if (ctx->tmp.oom)
        out->oom = true;
}

static int write_buf(FILE *fp, vm_buf *b)
{
    if (b->oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        return VM_EIO;
    }
    if (b->len)
        fwrite(b->data, 1, b->len, fp);
    vm_buf_reset(b);
    return 0;
}

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    cctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ck_render_init(&ctx.rd);
    ctx.rd.fail_on = CK_FAIL_ON_MISMATCH;
    ctx.rd.min_confidence = 0.6;
    vm_rules_opts ro = {0};
    const char *output = NULL;
    int jobs = 1;
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_FORMAT:
            for (int i = 0; formats[i]; i++)
                if (strcmp(formats[i], p.arg) == 0)
                    ctx.rd.format = (ck_format)i;
            break;
        case OPT_FAIL_ON:
            for (int i = 0; fail_ons[i]; i++)
                if (strcmp(fail_ons[i], p.arg) == 0)
                    ctx.rd.fail_on = (ck_fail_on)i;
            break;
        case OPT_OUTPUT: output = p.arg; break;
        case OPT_RULES: ro.dir = p.arg; break;
        case OPT_NO_BUILTIN: ro.no_builtin = true; break;
        case OPT_REQUIRE: ctx.rd.require_decision = true; break;
        case OPT_MIN_CONF: {
            char *end;
            double x = strtod(p.arg, &end);
            if (end == p.arg || *end || !(x >= 0.0 && x <= 1.0))
                return vm_usage_error(cli, "--min-confidence takes a number from 0 to 1, not '%s'", p.arg);
            ctx.rd.min_confidence = x;
            break;
        }
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
    if (p.npos == 0)
        return vm_usage_error(cli, "no input files (give FILE..., a directory, or '-' for stdin)");
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
    ctx.rd.rules = rs;
    vm_buf_init(&ctx.tmp);
    ck_render_begin(&ctx.rd, &ctx.tmp);
    rc = write_buf(fp, &ctx.tmp);
    vm_batch b = {.process = process, .collect = collect, .ctx = &ctx, .rules = rs, .jobs = jobs, .out = fp};
    if (!rc)
        rc = vm_batch_run(&b, cli, p.pos, p.npos);
    /* close the document even after an I/O error, so stdout stays well-formed */
    vm_buf_reset(&ctx.tmp);
    ck_render_end(&ctx.rd, &ctx.tmp, rc);
    rc = vm_worst(rc, write_buf(fp, &ctx.tmp));
    if (ctx.rd.oom)
        rc = vm_worst(rc, VM_EIO);
    if (rc == VM_EIO && output)
        vm_out_abort(o);
    else
        rc = vm_worst(rc, vm_out_commit(o));
    vm_buf_free(&ctx.tmp);
    ck_render_free(&ctx.rd);
    vm_ruleset_free(rs);
    return rc;
}

const vm_cmd cmd_check = {
    .name = "check",
    .summary = "CI gate: fail when a profile's proposed decision contradicts the recommendation",
    .usage = "[OPTIONS] FILE|DIR|-...",
    .opts = opts,
    .run = run,
    .description =
        "Compares what each profile proposes (spec.decision.paradigm and .platform) with what vmctr "
        "recommends, for the profile and for each component (a component without a decision of its own "
        "inherits the profile's). A proposal that a blocker excludes always fails; a different "
        "recommendation fails when its confidence is at least --min-confidence and warns below it; a "
        "profile without a decision gets a note (it fails with --require-decision). --fail-on blocker "
        "turns mismatches into warnings; --fail-on warning makes warnings fail too.\n\n"
        "Exit status: 0 every check passes, 1 some check fails, 3 an input is not a valid profile (the "
        "other documents are still checked; 3 wins over 1 so that CI shows the input error), 4 invalid "
        "rules, 5 I/O error (with -o, the file is then left as it was). See docs/ci.md.",
    .examples = "vmctr check profiles/\n"
                "vmctr check --format github profiles/\n"
                "vmctr check --format sarif -o vmctr.sarif profiles/\n"
                "vmctr check --format junit -o vmctr-junit.xml --min-confidence 0.4 profiles/\n"
                "vmctr check --fail-on warning --require-decision billing.yaml",
};
