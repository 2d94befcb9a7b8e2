/*
 * cmd_diff.c - `vmctr diff A.yaml B.yaml`: how a change to a profile changes
 * its recommendation, for pull-request review.
 *
 * Pairing: the first profile of each file is compared (documents holding
 * only comments are skipped); when a file holds more profiles, a note on
 * stderr says the rest were not compared. Both sides are evaluated exactly
 * as `vmctr advise` does (vm_report_build with the same rule set), so the
 * recommendation shown for each side is what advise prints for it.
 *
 * Shown: the recommendation (paradigm, every platform, confidence) before and
 * after; the profile fields that differ (old and new value with their
 * lines); paradigm scores (all) and platform scores (changed ones); the
 * fired rules that were added, removed, or whose weighted effects changed
 * (priorities); the components added, removed or changed (recommendation
 * and their own merged fields). Exit status
 * 0, or with --exit-code 1 when the recommendation differs; 3 for an
 * invalid profile, 4 for invalid rules.
 */
#include "cli.h"
#include "diagprint.h"
#include "util/escape.h"
#include "util/jsonw.h"
#include "rulesload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/diff.h"
#include "vmctr/report.h"

enum { OPT_FORMAT = 1, OPT_RULES, OPT_NO_BUILTIN, OPT_EXIT_CODE };

static const char *const formats[] = {"text", "json", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT", "text (default) or json", OPT_FORMAT, false, formats},
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    {"exit-code", 0, NULL, "exit with 1 when the recommendation (paradigm or a platform) differs", OPT_EXIT_CODE,
     false, NULL},
    {0},
};

typedef struct {
    const char *display;
    vm_arena *a;
    vm_profile prof;
    vm_report rep;
    uint32_t nprofiles;
} side;

/* Loads the first profile of `path` into s. Returns 0, 3 or 5. */
static int load_side(const vm_cli *cli, side *s, const char *path)
{
    char err[256];
    s->display = strcmp(path, "-") == 0 ? "<stdin>" : path;
    vm_source *src = vm_source_open(path, s->display, err, sizeof err);
    if (!src) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, s->display, err);
        return VM_EIO;
    }
    vm_diags *d = malloc(sizeof *d);
    vm_arena *scratch = vm_arena_new();
    if (!d || !scratch) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        free(d);
        vm_arena_free(scratch);
        vm_source_free(src);
        return VM_EIO;
    }
    int rc = 0;
    vm_doc doc;
    int r;
    while ((r = vm_source_next(src, &doc, err, sizeof err)) == 1) {
        vm_diags_clear(d);
        bool empty = false;
        if (s->nprofiles == 0) {
            vm_status st = vm_profile_parse(s->a, s->display, &doc, &s->prof, &empty, d);
            if (st != VM_OK) {
                vm_diags_print(cli, d, s->display);
                rc = st == VM_EIO ? VM_EIO : VM_EPROFILE; /* out of memory is not a bad profile */
                break;
            }
        } else {
            /* only counted, so the note can say how many were left out */
            vm_profile tmp;
            vm_arena_reset(scratch);
            vm_status st = vm_profile_parse(scratch, s->display, &doc, &tmp, &empty, d);
            if (st == VM_EIO) { /* the count would be a guess: fail the run */
                vm_diags_print(cli, d, s->display);
                rc = VM_EIO;
                break;
            }
            if (st != VM_OK)
                empty = false;
        }
        if (!empty)
            s->nprofiles++;
    }
    if (r < 0) {
        vm_eprintf("%s: %s: %s\n", VM_PROG, s->display, err);
        rc = VM_EIO;
    }
    if (rc == 0 && s->nprofiles == 0) {
        vm_eprintf("%s:1:1: error: empty file: no profile\n", s->display);
        rc = VM_EPROFILE;
    }
    if (rc == 0 && s->nprofiles > 1)
        vm_eprintf("%s: note: %u more profile%s in this file not compared (diff compares the first)\n",
                s->display, s->nprofiles - 1, s->nprofiles == 2 ? "" : "s");
    free(d);
    vm_arena_free(scratch);
    vm_source_free(src);
    return rc;
}

/* ---- what changed (the model is vm_diff_compute, vmctr/diff.h) ------------------ */

typedef struct {
    const side *a, *b;
    const vm_ruleset *rs;
    vm_diff d;
} diff;

static const char *profile_name(const side *s)
{
    const vm_value *v = &s->prof.values.v[VM_F_META_NAME];
    return v->set ? v->u.s : "(unnamed)";
}

/* ---- text ---------------------------------------------------------------------------- */

static void signed_num(vm_buf *b, double v)
{
    if (v > 0.005)
        vm_buf_putc(b, '+');
    vm_buf_num(b, v, 2);
}

static void effects_text(vm_buf *b, const vm_rule *r, double k)
{
    bool first = true;
    for (int t = 0; t < VM_TARGET_COUNT; t++) {
        if (r->scores[t] == 0)
            continue;
        vm_buf_printf(b, "%s%s ", first ? "" : ", ", vm_target_name(t));
        signed_num(b, r->scores[t] * k);
        first = false;
    }
    if (r->excludes) {
        vm_buf_printf(b, "%srules out ", first ? "" : "; ");
        bool f2 = true;
        for (int t = 0; t < VM_TARGET_COUNT; t++)
            if ((r->excludes >> t) & 1u) {
                vm_buf_printf(b, "%s%s", f2 ? "" : ", ", vm_target_name(t));
                f2 = false;
            }
        first = false;
    }
    if (first)
        vm_buf_puts(b, "advice only (no score)");
}

static void verdict_text(vm_buf *b, int paradigm, int platform, int cplat, int extra)
{
    char plat[96];
    if (paradigm < 0) {
        vm_buf_puts(b, "none");
        return;
    }
    vm_buf_printf(b, "%s on %s", vm_target_name(paradigm),
                  platform < 0 ? "no fitting platform" : vm_platforms_text(platform, cplat, extra, plat, sizeof plat));
}

static void value_text(vm_buf *b, const vm_field_def *f, const vm_value *v)
{
    char vb[1024];
    if (!v->set) {
        vm_buf_puts(b, "unknown");
        return;
    }
    vm_esc_terms(b, vm_value_text(f, v, vb, sizeof vb)); /* profile text: escape.h */
    vm_buf_printf(b, " (line %u)", v->line);
}

/* What the text shows of one side's recommendation. */
typedef struct {
    int paradigm, platform, container_platform;
    int extra_platform;      /* a system's micro-VM platform beside its VMs, else -1 */
    double confidence;
} verdict;

static verdict of_result(const vm_result *r)
{
    return (verdict){r->paradigm, r->platform, r->container_platform, -1, r->confidence};
}

static verdict of_report(const vm_report *r, int extra)
{
    return (verdict){r->paradigm, r->platform, r->container_platform, extra, r->confidence};
}

/* "vm on vmware-esxi (confidence 0.8) -> ...": the recommendation's
 * confidence with two decimals (fixed2), a component's as short as it goes */
static void confidence_text(vm_buf *b, double c, bool fixed2)
{
    vm_buf_puts(b, " (confidence ");
    if (fixed2)
        vm_buf_conf(b, c);
    else
        vm_buf_num(b, c, 2);
}

static void verdict_change_text(vm_buf *b, verdict o, verdict n, const char *arrow, bool fixed2)
{
    verdict_text(b, o.paradigm, o.platform, o.container_platform, o.extra_platform);
    confidence_text(b, o.confidence, fixed2);
    vm_buf_puts(b, arrow);
    verdict_text(b, n.paradigm, n.platform, n.container_platform, n.extra_platform);
    confidence_text(b, n.confidence, fixed2);
    vm_buf_puts(b, ")\n");
}

static void fields_text(const diff *df, vm_buf *b)
{
    vm_buf_printf(b, "\nFields: %zu changed\n", df->d.nfields);
    int w = 0;
    for (size_t i = 0; i < df->d.nfields; i++) {
        int l = vm_text_width(vm_field(df->d.fields[i])->path);
        if (l > w)
            w = l;
    }
    for (size_t i = 0; i < df->d.nfields; i++) {
        int f = df->d.fields[i];
        const vm_field_def *fd = vm_field(f);
        vm_buf_puts(b, "  ");
        vm_buf_pad(b, fd->path, w + 2);
        value_text(b, fd, &df->a->prof.values.v[f]);
        vm_buf_puts(b, " -> ");
        value_text(b, fd, &df->b->prof.values.v[f]);
        vm_buf_putc(b, '\n');
    }
}

/* "  name  before  after  change", no trailing blanks when the change
 * column is empty */
static void score_line(vm_buf *b, int t, double before, double after)
{
    double d = after - before;
    char line[160];
    vm_buf num;
    vm_buf_init(&num);
    vm_buf_num(&num, before, 2);
    vm_buf_putc(&num, '\0');
    size_t o1 = num.len;
    vm_buf_num(&num, after, 2);
    vm_buf_putc(&num, '\0');
    size_t o2 = num.len;
    if (fabs(d) >= VM_SCORE_EPS)
        signed_num(&num, d);
    vm_buf_putc(&num, '\0');
    if (num.oom) { /* the whole diff fails (exit 5), never one line less */
        vm_buf_free(&num);
        b->oom = true;
        return;
    }
    snprintf(line, sizeof line, "  %-16s %8s %7s  %s", vm_target_name(t), num.data, num.data + o1, num.data + o2);
    vm_buf_free(&num);
    size_t ll = strlen(line);
    while (ll && line[ll - 1] == ' ')
        line[--ll] = '\0';
    vm_buf_printf(b, "%s\n", line);
}

/* every paradigm, then the platforms that moved */
static void scores_text(const vm_result *xa, const vm_result *xb, vm_buf *b)
{
    vm_buf_puts(b, "\nScores              before   after  change\n");
    for (int i = 0; i < VM_PARADIGM_COUNT; i++) {
        int t = vm_paradigm_spec_order[i];
        score_line(b, t, xa->score[t], xb->score[t]);
    }
    bool header = false;
    for (int t = VM_FIRST_PLATFORM; t < VM_TARGET_COUNT; t++) {
        if (fabs(xb->score[t] - xa->score[t]) < VM_SCORE_EPS)
            continue;
        if (!header)
            vm_buf_puts(b, "  platforms (changed ones)\n");
        header = true;
        score_line(b, t, xa->score[t], xb->score[t]);
    }
}

static void rules_text(const diff *df, vm_buf *b)
{
    const vm_report *ra = &df->a->rep, *rb = &df->b->rep;
    vm_buf_printf(b, "\nRules: %zu added, %zu removed, %zu changed\n", df->d.nadded, df->d.nremoved,
                  df->d.nchanged);
    int w = 0;
    for (size_t i = 0; i < df->d.nrules; i++) {
        int l = vm_text_width(vm_ruleset_rule(df->rs, df->d.rules[i].rule)->id);
        if (l > w)
            w = l;
    }
    for (size_t i = 0; i < df->d.nrules; i++) {
        const vm_rule *r = vm_ruleset_rule(df->rs, df->d.rules[i].rule);
        char k = df->d.rules[i].kind;
        vm_buf_printf(b, "  %c ", k);
        vm_buf_pad(b, r->id, w + 2);
        if (k == VM_DIFF_CHANGED) {
            effects_text(b, r, ra->main.factor[r->category]);
            vm_buf_puts(b, " -> ");
            effects_text(b, r, rb->main.factor[r->category]);
        } else {
            effects_text(b, r, (k == VM_DIFF_ADDED ? rb : ra)->main.factor[r->category]);
        }
        vm_buf_putc(b, '\n');
    }
}

/* removed and changed ones in A's order, then the added ones */
static void components_text(const diff *df, vm_buf *b)
{
    if (!df->a->rep.ncomponents && !df->b->rep.ncomponents)
        return;
    vm_buf_puts(b, "\nComponents\n");
    bool any = false;
    for (size_t i = 0; i < df->d.ncomponents; i++) {
        const vm_diff_component *c = &df->d.components[i];
        if (!c->a || !c->b) {
            const vm_component_report *x = c->a ? c->a : c->b;
            vm_buf_printf(b, "  %c ", c->a ? '-' : '+');
            vm_esc_terms(b, x->comp->name);
            vm_buf_printf(b, " (%s)\n", c->a ? "removed" : "added");
            any = true;
            continue;
        }
        if (!c->changed)
            continue;
        vm_buf_puts(b, "  ~ ");
        vm_esc_terms(b, c->a->comp->name);
        vm_buf_puts(b, ": ");
        verdict_change_text(b, of_result(&c->a->ev.res), of_result(&c->b->ev.res), ") -> ", false);
        /* the component's own view of its fields (merged over the parent) */
        for (int f = 0; f < VM_FIELD_COUNT; f++) {
            if (!((c->fields >> f) & 1u))
                continue;
            vm_buf_printf(b, "      %s  ", vm_field(f)->path);
            value_text(b, vm_field(f), &c->a->comp->values.v[f]);
            vm_buf_puts(b, " -> ");
            value_text(b, vm_field(f), &c->b->comp->values.v[f]);
            vm_buf_putc(b, '\n');
        }
        any = true;
    }
    if (!any)
        vm_buf_puts(b, "  (no change)\n");
}

static void render_text(const diff *df, vm_buf *b)
{
    const vm_report *ra = &df->a->rep, *rb = &df->b->rep;
    for (int k = 0; k < 2; k++) { /* file names and profile names: escape.h */
        const side *s = k ? df->b : df->a;
        vm_buf_puts(b, k ? "+++ " : "--- ");
        vm_esc_terms(b, s->display);
        vm_buf_puts(b, " (");
        vm_esc_terms(b, profile_name(s));
        vm_buf_puts(b, ")\n");
    }
    vm_buf_printf(b, "\nRecommendation: %s\n", df->d.rec_changed ? "changed" : "unchanged");
    vm_buf_puts(b, "  ");
    verdict_change_text(b, of_report(ra, df->d.extra_a), of_report(rb, df->d.extra_b), ")\n  -> ", true);
    fields_text(df, b);
    scores_text(&ra->main.res, &rb->main.res, b);
    rules_text(df, b);
    components_text(df, b);
}

/* ---- json ------------------------------------------------------------------------------- */

static void side_json(jw *j, const char *key, const side *s)
{
    jw_key(j, key);
    jw_obj(j);
    jw_kstr(j, "file", s->display);
    jw_kstr(j, "name", profile_name(s));
    jw_kint(j, "document", s->prof.doc_index);
    jw_kint(j, "line", s->prof.line);
    jw_obj_end(j);
}

static void target_or_null(jw *j, const char *k, int t)
{
    jw_key(j, k);
    if (t >= 0)
        jw_str(j, vm_target_name(t));
    else
        jw_null(j);
}

static void rec_json(jw *j, const char *key, const vm_report *r, int extra)
{
    jw_key(j, key);
    jw_obj(j);
    target_or_null(j, "paradigm", r->paradigm);
    target_or_null(j, "platform", r->platform);
    target_or_null(j, "container_platform", r->container_platform);
    /* the platform per kind of workload, as advise's recommendation.platforms */
    static const int fams[3] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
    int pl[VM_PARADIGM_COUNT];
    vm_platforms_by_family(r->paradigm, r->platform, r->container_platform, extra, pl);
    jw_key(j, "platforms");
    jw_obj(j);
    for (int i = 0; i < 3; i++)
        if (pl[fams[i]] >= 0)
            jw_key(j, vm_target_name(fams[i])), jw_str(j, vm_target_name(pl[fams[i]]));
    jw_obj_end(j);
    jw_knum(j, "confidence", r->confidence, 2);
    jw_obj_end(j);
}

static void value_json(jw *j, const vm_field_def *f, const vm_value *v)
{
    char vb[1024];
    jw_obj(j);
    jw_key(j, "value");
    if (v->set)
        jw_str(j, vm_value_text(f, v, vb, sizeof vb));
    else
        jw_null(j);
    jw_key(j, "line");
    if (v->set)
        jw_int(j, v->line);
    else
        jw_null(j);
    jw_obj_end(j);
}

static void effects_json(jw *j, const char *key, const vm_rule *r, double k)
{
    jw_key(j, key);
    jw_obj(j);
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        if (r->scores[t] != 0)
            jw_knum(j, vm_target_name(t), r->scores[t] * k, 2);
    jw_obj_end(j);
}

static void field_change_json(jw *j, int f, const vm_value *a, const vm_value *b)
{
    jw_obj(j);
    jw_kstr(j, "field", vm_field(f)->path);
    jw_key(j, "a");
    value_json(j, vm_field(f), a);
    jw_key(j, "b");
    value_json(j, vm_field(f), b);
    jw_obj_end(j);
}

/* "paradigms": every one, "platforms": every one, each {a, b, change} */
static void scores_json(jw *j, const vm_result *xa, const vm_result *xb)
{
    jw_key(j, "scores");
    jw_obj(j);
    for (int pass = 0; pass < 2; pass++) {
        jw_key(j, pass ? "platforms" : "paradigms");
        jw_obj(j);
        int n = pass ? VM_TARGET_COUNT - VM_FIRST_PLATFORM : VM_PARADIGM_COUNT;
        for (int i = 0; i < n; i++) {
            int t = pass ? VM_FIRST_PLATFORM + i : vm_paradigm_spec_order[i];
            jw_key(j, vm_target_name(t));
            jw_obj(j);
            jw_knum(j, "a", xa->score[t], 2);
            jw_knum(j, "b", xb->score[t], 2);
            jw_knum(j, "change", xb->score[t] - xa->score[t], 2);
            jw_obj_end(j);
        }
        jw_obj_end(j);
    }
    jw_obj_end(j);
}

/* "rules": {"added": [...], "removed": [...], "changed": [...]} */
static void rules_json(jw *j, const diff *df)
{
    static const char kinds[3] = {VM_DIFF_ADDED, VM_DIFF_REMOVED, VM_DIFF_CHANGED};
    static const char *const names[3] = {"added", "removed", "changed"};
    const vm_report *ra = &df->a->rep, *rb = &df->b->rep;
    jw_key(j, "rules");
    jw_obj(j);
    for (int k = 0; k < 3; k++) {
        jw_key(j, names[k]);
        jw_arr(j);
        for (size_t i = 0; i < df->d.nrules; i++) {
            if (df->d.rules[i].kind != kinds[k])
                continue;
            const vm_rule *r = vm_ruleset_rule(df->rs, df->d.rules[i].rule);
            jw_obj(j);
            jw_kstr(j, "rule", r->id);
            jw_kstr(j, "category", vm_category_name(r->category));
            if (k != 0)
                effects_json(j, k == 2 ? "effects_a" : "effects", r, ra->main.factor[r->category]);
            if (k != 1)
                effects_json(j, k == 2 ? "effects_b" : "effects", r, rb->main.factor[r->category]);
            jw_key(j, "excludes");
            jw_arr(j);
            for (int t = 0; t < VM_TARGET_COUNT; t++)
                if ((r->excludes >> t) & 1u)
                    jw_str(j, vm_target_name(t));
            jw_arr_end(j);
            jw_obj_end(j);
        }
        jw_arr_end(j);
    }
    jw_obj_end(j);
}

static void component_json(jw *j, const vm_diff_component *c)
{
    jw_obj(j);
    jw_kstr(j, "name", (c->a ? c->a : c->b)->comp->name);
    for (int s = 0; s < 2; s++) {
        const vm_component_report *x = s ? c->b : c->a;
        jw_key(j, s ? "b" : "a");
        if (!x) {
            jw_null(j);
            continue;
        }
        jw_obj(j);
        target_or_null(j, "paradigm", x->ev.res.paradigm);
        target_or_null(j, "platform", x->ev.res.platform);
        jw_knum(j, "confidence", x->ev.res.confidence, 2);
        jw_obj_end(j);
    }
    /* fields of the component (merged over the parent) that differ */
    jw_key(j, "fields");
    jw_arr(j);
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if ((c->fields >> f) & 1u)
            field_change_json(j, f, &c->a->comp->values.v[f], &c->b->comp->values.v[f]);
    jw_arr_end(j);
    jw_obj_end(j);
}

static void render_json(const diff *df, vm_buf *b)
{
    jw j;
    jw_init(&j, b, true);
    jw_obj(&j);
    jw_kstr(&j, "schema", "vmctr.diff/v1");
    side_json(&j, "a", df->a);
    side_json(&j, "b", df->b);
    jw_key(&j, "recommendation");
    jw_obj(&j);
    jw_kbool(&j, "changed", df->d.rec_changed);
    rec_json(&j, "a", &df->a->rep, df->d.extra_a);
    rec_json(&j, "b", &df->b->rep, df->d.extra_b);
    jw_obj_end(&j);
    jw_key(&j, "fields");
    jw_arr(&j);
    for (size_t i = 0; i < df->d.nfields; i++) {
        int f = df->d.fields[i];
        field_change_json(&j, f, &df->a->prof.values.v[f], &df->b->prof.values.v[f]);
    }
    jw_arr_end(&j);
    scores_json(&j, &df->a->rep.main.res, &df->b->rep.main.res);
    rules_json(&j, df);
    jw_key(&j, "components");
    jw_arr(&j);
    for (size_t i = 0; i < df->d.ncomponents; i++)
        component_json(&j, &df->d.components[i]);
    jw_arr_end(&j);
    jw_obj_end(&j);
    vm_buf_putc(b, '\n');
}

/* ---- command -------------------------------------------------------------------------- */

static int run(vm_cli *cli, int argc, char **argv)
{
    vm_optparse p;
    vm_opt_init(&p, cli, argc, argv);
    const char *format = "text";
    vm_rules_opts ro = {0};
    bool exit_code = false;
    int c;
    while ((c = vm_opt_next(&p)) > 0) {
        switch (c) {
        case OPT_FORMAT: format = p.arg; break;
        case OPT_RULES: ro.dir = p.arg; break;
        case OPT_NO_BUILTIN: ro.no_builtin = true; break;
        case OPT_EXIT_CODE: exit_code = true; break;
        }
    }
    if (c < 0)
        return p.status;
    if (p.npos != 2)
        return vm_usage_error(cli, p.npos < 2 ? "needs two profiles: A.yaml B.yaml" : "unexpected argument '%s'",
                              p.npos > 2 ? p.pos[2] : "");
    if (strcmp(p.pos[0], "-") == 0 && strcmp(p.pos[1], "-") == 0)
        return vm_usage_error(cli, "standard input ('-') can be only one of the two profiles");
    vm_ruleset *rs;
    int rc = vm_cli_load_rules(cli, &ro, &rs);
    if (rc)
        return rc;
    side sa = {.a = vm_arena_new()}, sb = {.a = vm_arena_new()};
    vm_engine *e = vm_engine_new(rs);
    diff df = {.a = &sa, .b = &sb, .rs = rs};
    if (!sa.a || !sb.a || !e) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
        goto done;
    }
    rc = load_side(cli, &sa, p.pos[0]); /* A's messages before B's (argument order is unspecified) */
    rc = vm_worst(rc, load_side(cli, &sb, p.pos[1]));
    if (rc)
        goto done;
    if (vm_report_build(sa.a, e, &sa.prof, 0, &sa.rep) != VM_OK ||
        vm_report_build(sb.a, e, &sb.prof, 0, &sb.rep) != VM_OK ||
        vm_diff_compute(sa.a, rs, &sa.rep, &sb.rep, &df.d) != VM_OK) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
        goto done;
    }
    vm_buf b;
    vm_buf_init(&b);
    if (strcmp(format, "json") == 0)
        render_json(&df, &b);
    else
        render_text(&df, &b);
    if (b.oom) {
        fprintf(stderr, "%s: out of memory\n", VM_PROG);
        rc = VM_EIO;
    } else {
        if (strcmp(format, "json") != 0) {
            /* the text fits the terminal */
            vm_buf fit;
            vm_buf_init(&fit);
            vm_text_fit(b.data ? b.data : "", b.len, vm_term_width(stdout), &fit);
            if (fit.oom) { /* never half a diff with exit 0 */
                fprintf(stderr, "%s: out of memory\n", VM_PROG);
                vm_buf_free(&fit);
                vm_buf_free(&b);
                rc = VM_EIO;
                goto done;
            }
            fwrite(fit.data ? fit.data : "", 1, fit.len, stdout);
            vm_buf_free(&fit);
        } else {
            fwrite(b.data, 1, b.len, stdout);
        }
        rc = exit_code && df.d.rec_changed ? VM_FAIL : 0;
    }
    vm_buf_free(&b);
done:
    vm_engine_free(e);
    vm_arena_free(sa.a);
    vm_arena_free(sb.a);
    vm_ruleset_free(rs);
    return rc;
}

VM_COMMAND(diff,
    .summary = "show how a change to a profile changes its recommendation",
    .usage = "[OPTIONS] A.yaml B.yaml",
    .description = "Evaluates the first profile of A and of B exactly as 'vmctr advise' does and shows what "
                   "changed: the recommendation (paradigm, every platform, confidence), the profile fields (old and "
                   "new value with their lines), the paradigm scores and the platform scores that moved, the "
                   "fired rules that were added, removed or weigh differently, and the components whose "
                   "recommendation changed. Further profiles in a file are not compared (a note says so). "
                   "Either file may be '-' (standard input). Exit status 0 even when they differ, unless "
                   "--exit-code is given: then 1 when the paradigm or a platform differs (for a system, any platform "
                   "of recommendation.platforms, its micro-VM part too).",
    .examples = "vmctr diff billing.yaml billing-new.yaml\n"
                "git show main:billing.yaml | vmctr diff --exit-code - billing.yaml\n"
                "vmctr diff --format json old.yaml new.yaml | jq .recommendation"
);
