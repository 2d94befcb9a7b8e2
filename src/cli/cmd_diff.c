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
 * Shown: the recommendation (paradigm, platform, confidence) before and
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
#include "util/jsonw.h"
#include "rulesload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/report.h"

enum { OPT_FORMAT = 1, OPT_RULES, OPT_NO_BUILTIN, OPT_EXIT_CODE };

static const char *const formats[] = {"text", "json", NULL};

static const vm_opt opts[] = {
    {"format", 'f', "FORMAT", "text (default) or json", OPT_FORMAT, false, formats},
    VM_OPT_RULES_ROWS(OPT_RULES, OPT_NO_BUILTIN),
    {"exit-code", 0, NULL, "exit with 1 when the recommendation (paradigm or platform) differs", OPT_EXIT_CODE,
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
                rc = VM_EPROFILE;
                break;
            }
        } else {
            /* only counted, so the note can say how many were left out */
            vm_profile tmp;
            vm_arena_reset(scratch);
            if (vm_profile_parse(scratch, s->display, &doc, &tmp, &empty, d) != VM_OK)
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

/* ---- what changed ---------------------------------------------------------------- */

typedef struct {
    int field;
} field_change;

typedef struct {
    uint16_t rule;
    char kind;               /* '+', '-', '~' */
} rule_change;

typedef struct {
    const side *a, *b;
    const vm_ruleset *rs;
    field_change fields[VM_FIELD_COUNT];
    size_t nfields;
    rule_change *rules;
    size_t nrules;
    bool rec_changed;
} diff;

static bool value_equal(const vm_field_def *f, const vm_value *x, const vm_value *y)
{
    if (x->set != y->set)
        return false;
    if (!x->set)
        return true;
    char bx[1024], by[1024];
    return strcmp(vm_value_text(f, x, bx, sizeof bx), vm_value_text(f, y, by, sizeof by)) == 0;
}

static bool fired_in(const vm_eval_report *ev, uint16_t rule)
{
    for (uint32_t i = 0; i < ev->nfired; i++)
        if (ev->fired[i] == rule)
            return true;
    return false;
}

static bool effects_differ(const vm_rule *r, const vm_eval_report *x, const vm_eval_report *y)
{
    for (int t = 0; t < VM_TARGET_COUNT; t++)
        if (fabs(r->scores[t] * x->factor[r->category] - r->scores[t] * y->factor[r->category]) > 1e-9)
            return true;
    return false;
}

static int compute(diff *df)
{
    const vm_values *va = &df->a->prof.values, *vb = &df->b->prof.values;
    for (int f = 0; f < VM_FIELD_COUNT; f++)
        if (!value_equal(vm_field(f), &va->v[f], &vb->v[f]))
            df->fields[df->nfields++].field = f;
    const vm_eval_report *ea = &df->a->rep.main, *eb = &df->b->rep.main;
    size_t n = vm_ruleset_count(df->rs);
    df->rules = malloc((n ? n : 1) * sizeof *df->rules);
    if (!df->rules)
        return VM_EIO;
    /* rule-set order; removed and added interleave by that order */
    for (size_t i = 0; i < n; i++) {
        bool ia = fired_in(ea, (uint16_t)i), ib = fired_in(eb, (uint16_t)i);
        char k = 0;
        if (ia && !ib)
            k = '-';
        else if (!ia && ib)
            k = '+';
        else if (ia && ib && effects_differ(vm_ruleset_rule(df->rs, i), ea, eb))
            k = '~';
        if (k)
            df->rules[df->nrules++] = (rule_change){(uint16_t)i, k};
    }
    const vm_report *ra = &df->a->rep, *rb = &df->b->rep;
    df->rec_changed = ra->paradigm != rb->paradigm || ra->platform != rb->platform ||
                      ra->container_platform != rb->container_platform;
    return 0;
}

static const char *profile_name(const side *s)
{
    const vm_value *v = &s->prof.values.v[VM_F_META_NAME];
    return v->set ? v->u.s : "(unnamed)";
}

static const vm_component_report *find_component(const vm_report *r, const char *name)
{
    for (uint32_t i = 0; i < r->ncomponents; i++)
        if (strcmp(r->components[i].comp->name, name) == 0)
            return &r->components[i];
    return NULL;
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

static void verdict_text(vm_buf *b, int paradigm, int platform, int cplat)
{
    char plat[64];
    if (paradigm < 0) {
        vm_buf_puts(b, "none");
        return;
    }
    vm_buf_printf(b, "%s on %s", vm_target_name(paradigm),
                  platform < 0 ? "no fitting platform" : vm_report_platform_text(platform, cplat, plat, sizeof plat));
}

static void value_text(vm_buf *b, const vm_field_def *f, const vm_value *v)
{
    char vb[1024];
    if (!v->set) {
        vm_buf_puts(b, "unknown");
        return;
    }
    vm_buf_printf(b, "%s (line %u)", vm_value_text(f, v, vb, sizeof vb), v->line);
}

static void render_text(const diff *df, vm_buf *b)
{
    const vm_report *ra = &df->a->rep, *rb = &df->b->rep;
    vm_buf_printf(b, "--- %s (%s)\n+++ %s (%s)\n", df->a->display, profile_name(df->a), df->b->display,
                  profile_name(df->b));

    vm_buf_printf(b, "\nRecommendation: %s\n", df->rec_changed ? "changed" : "unchanged");
    vm_buf_puts(b, "  ");
    verdict_text(b, ra->paradigm, ra->platform, ra->container_platform);
    vm_buf_printf(b, " (confidence %.2f", ra->confidence);
    vm_buf_puts(b, ")\n  -> ");
    verdict_text(b, rb->paradigm, rb->platform, rb->container_platform);
    vm_buf_printf(b, " (confidence %.2f", rb->confidence);
    vm_buf_puts(b, ")\n");

    vm_buf_printf(b, "\nFields: %zu changed\n", df->nfields);
    int w = 0;
    for (size_t i = 0; i < df->nfields; i++) {
        int l = vm_text_width(vm_field(df->fields[i].field)->path);
        if (l > w)
            w = l;
    }
    for (size_t i = 0; i < df->nfields; i++) {
        int f = df->fields[i].field;
        const vm_field_def *fd = vm_field(f);
        vm_buf_puts(b, "  ");
        vm_buf_pad(b, fd->path, w + 2);
        value_text(b, fd, &df->a->prof.values.v[f]);
        vm_buf_puts(b, " -> ");
        value_text(b, fd, &df->b->prof.values.v[f]);
        vm_buf_putc(b, '\n');
    }

    const vm_result *xa = &ra->main.res, *xb = &rb->main.res;
    vm_buf_puts(b, "\nScores              before   after  change\n");
    for (int pass = 0; pass < 2; pass++) {
        int n = pass ? VM_TARGET_COUNT - VM_FIRST_PLATFORM : VM_PARADIGM_COUNT;
        bool header = false;
        for (int i = 0; i < n; i++) {
            int t = pass ? VM_FIRST_PLATFORM + i : vm_paradigm_spec_order[i];
            double d = xb->score[t] - xa->score[t];
            if (pass && fabs(d) < 1e-9)
                continue;
            if (pass && !header) {
                vm_buf_puts(b, "  platforms (changed ones)\n");
                header = true;
            }
            char line[160];
            vm_buf num;
            vm_buf_init(&num);
            vm_buf_num(&num, xa->score[t], 2);
            vm_buf_putc(&num, '\0');
            size_t o1 = num.len;
            vm_buf_num(&num, xb->score[t], 2);
            vm_buf_putc(&num, '\0');
            size_t o2 = num.len;
            if (fabs(d) >= 1e-9)
                signed_num(&num, d);
            vm_buf_putc(&num, '\0');
            if (num.oom) {
                vm_buf_free(&num);
                continue;
            }
            snprintf(line, sizeof line, "  %-16s %8s %7s  %s", vm_target_name(t), num.data, num.data + o1,
                     num.data + o2);
            vm_buf_free(&num);
            /* no trailing blanks when the change column is empty */
            size_t ll = strlen(line);
            while (ll && line[ll - 1] == ' ')
                line[--ll] = '\0';
            vm_buf_printf(b, "%s\n", line);
        }
    }

    size_t na = 0, nr = 0, nc = 0;
    for (size_t i = 0; i < df->nrules; i++)
        df->rules[i].kind == '+' ? na++ : df->rules[i].kind == '-' ? nr++ : nc++;
    vm_buf_printf(b, "\nRules: %zu added, %zu removed, %zu changed\n", na, nr, nc);
    w = 0;
    for (size_t i = 0; i < df->nrules; i++) {
        int l = vm_text_width(vm_ruleset_rule(df->rs, df->rules[i].rule)->id);
        if (l > w)
            w = l;
    }
    for (size_t i = 0; i < df->nrules; i++) {
        const vm_rule *r = vm_ruleset_rule(df->rs, df->rules[i].rule);
        char k = df->rules[i].kind;
        vm_buf_printf(b, "  %c ", k);
        vm_buf_pad(b, r->id, w + 2);
        if (k == '~') {
            effects_text(b, r, ra->main.factor[r->category]);
            vm_buf_puts(b, " -> ");
            effects_text(b, r, rb->main.factor[r->category]);
        } else {
            effects_text(b, r, (k == '+' ? rb : ra)->main.factor[r->category]);
        }
        vm_buf_putc(b, '\n');
    }

    if (ra->ncomponents || rb->ncomponents) {
        vm_buf_puts(b, "\nComponents\n");
        bool any = false;
        for (int pass = 0; pass < 2; pass++) {
            const vm_report *x = pass ? rb : ra, *y = pass ? ra : rb;
            for (uint32_t i = 0; i < x->ncomponents; i++) {
                const vm_component_report *cx = &x->components[i];
                const vm_component_report *cy = find_component(y, cx->comp->name);
                if (!cy) {
                    vm_buf_printf(b, "  %c %s (%s)\n", pass ? '+' : '-', cx->comp->name,
                                  pass ? "added" : "removed");
                    any = true;
                    continue;
                }
                if (pass)
                    continue;
                const vm_result *o = &cx->ev.res, *n = &cy->ev.res;
                int nf = 0;
                for (int f = 0; f < VM_FIELD_COUNT; f++)
                    nf += !value_equal(vm_field(f), &cx->comp->values.v[f], &cy->comp->values.v[f]);
                if (o->paradigm == n->paradigm && o->platform == n->platform &&
                    fabs(o->confidence - n->confidence) < 0.005 && nf == 0)
                    continue;
                vm_buf_printf(b, "  ~ %s: ", cx->comp->name);
                verdict_text(b, o->paradigm, o->platform, o->container_platform);
                vm_buf_puts(b, " (confidence ");
                vm_buf_num(b, o->confidence, 2);
                vm_buf_puts(b, ") -> ");
                verdict_text(b, n->paradigm, n->platform, n->container_platform);
                vm_buf_puts(b, " (confidence ");
                vm_buf_num(b, n->confidence, 2);
                vm_buf_puts(b, ")\n");
                /* the component's own view of its fields (merged over the parent) */
                for (int f = 0; f < VM_FIELD_COUNT; f++) {
                    if (value_equal(vm_field(f), &cx->comp->values.v[f], &cy->comp->values.v[f]))
                        continue;
                    vm_buf_printf(b, "      %s  ", vm_field(f)->path);
                    value_text(b, vm_field(f), &cx->comp->values.v[f]);
                    vm_buf_puts(b, " -> ");
                    value_text(b, vm_field(f), &cy->comp->values.v[f]);
                    vm_buf_putc(b, '\n');
                }
                any = true;
            }
        }
        if (!any)
            vm_buf_puts(b, "  (no change)\n");
    }
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

static void rec_json(jw *j, const char *key, const vm_report *r)
{
    jw_key(j, key);
    jw_obj(j);
    target_or_null(j, "paradigm", r->paradigm);
    target_or_null(j, "platform", r->platform);
    target_or_null(j, "container_platform", r->container_platform);
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

static void render_json(const diff *df, vm_buf *b)
{
    const vm_report *ra = &df->a->rep, *rb = &df->b->rep;
    jw j;
    jw_init(&j, b, true);
    jw_obj(&j);
    jw_kstr(&j, "schema", "vmctr.diff/v1");
    side_json(&j, "a", df->a);
    side_json(&j, "b", df->b);
    jw_key(&j, "recommendation");
    jw_obj(&j);
    jw_kbool(&j, "changed", df->rec_changed);
    rec_json(&j, "a", ra);
    rec_json(&j, "b", rb);
    jw_obj_end(&j);

    jw_key(&j, "fields");
    jw_arr(&j);
    for (size_t i = 0; i < df->nfields; i++) {
        int f = df->fields[i].field;
        jw_obj(&j);
        jw_kstr(&j, "field", vm_field(f)->path);
        jw_key(&j, "a");
        value_json(&j, vm_field(f), &df->a->prof.values.v[f]);
        jw_key(&j, "b");
        value_json(&j, vm_field(f), &df->b->prof.values.v[f]);
        jw_obj_end(&j);
    }
    jw_arr_end(&j);

    const vm_result *xa = &ra->main.res, *xb = &rb->main.res;
    jw_key(&j, "scores");
    jw_obj(&j);
    for (int pass = 0; pass < 2; pass++) {
        jw_key(&j, pass ? "platforms" : "paradigms");
        jw_obj(&j);
        int n = pass ? VM_TARGET_COUNT - VM_FIRST_PLATFORM : VM_PARADIGM_COUNT;
        for (int i = 0; i < n; i++) {
            int t = pass ? VM_FIRST_PLATFORM + i : vm_paradigm_spec_order[i];
            jw_key(&j, vm_target_name(t));
            jw_obj(&j);
            jw_knum(&j, "a", xa->score[t], 2);
            jw_knum(&j, "b", xb->score[t], 2);
            jw_knum(&j, "change", xb->score[t] - xa->score[t], 2);
            jw_obj_end(&j);
        }
        jw_obj_end(&j);
    }
    jw_obj_end(&j);

    jw_key(&j, "rules");
    jw_obj(&j);
    static const char kinds[3] = {'+', '-', '~'};
    static const char *const names[3] = {"added", "removed", "changed"};
    for (int k = 0; k < 3; k++) {
        jw_key(&j, names[k]);
        jw_arr(&j);
        for (size_t i = 0; i < df->nrules; i++) {
            if (df->rules[i].kind != kinds[k])
                continue;
            const vm_rule *r = vm_ruleset_rule(df->rs, df->rules[i].rule);
            jw_obj(&j);
            jw_kstr(&j, "rule", r->id);
            jw_kstr(&j, "category", vm_category_name(r->category));
            if (k != 0)
                effects_json(&j, k == 2 ? "effects_a" : "effects", r, ra->main.factor[r->category]);
            if (k != 1)
                effects_json(&j, k == 2 ? "effects_b" : "effects", r, rb->main.factor[r->category]);
            jw_key(&j, "excludes");
            jw_arr(&j);
            for (int t = 0; t < VM_TARGET_COUNT; t++)
                if ((r->excludes >> t) & 1u)
                    jw_str(&j, vm_target_name(t));
            jw_arr_end(&j);
            jw_obj_end(&j);
        }
        jw_arr_end(&j);
    }
    jw_obj_end(&j);

    jw_key(&j, "components");
    jw_arr(&j);
    for (int pass = 0; pass < 2; pass++) {
        const vm_report *x = pass ? rb : ra, *y = pass ? ra : rb;
        for (uint32_t i = 0; i < x->ncomponents; i++) {
            const vm_component_report *cx = &x->components[i];
            const vm_component_report *cy = find_component(y, cx->comp->name);
            if (pass && cy)
                continue;
            jw_obj(&j);
            jw_kstr(&j, "name", cx->comp->name);
            const vm_component_report *ca = pass ? NULL : cx, *cb = pass ? cx : cy;
            for (int s = 0; s < 2; s++) {
                const vm_component_report *c = s ? cb : ca;
                jw_key(&j, s ? "b" : "a");
                if (!c) {
                    jw_null(&j);
                    continue;
                }
                jw_obj(&j);
                target_or_null(&j, "paradigm", c->ev.res.paradigm);
                target_or_null(&j, "platform", c->ev.res.platform);
                jw_knum(&j, "confidence", c->ev.res.confidence, 2);
                jw_obj_end(&j);
            }
            /* fields of the component (merged over the parent) that differ */
            jw_key(&j, "fields");
            jw_arr(&j);
            for (int f = 0; ca && cb && f < VM_FIELD_COUNT; f++) {
                if (value_equal(vm_field(f), &ca->comp->values.v[f], &cb->comp->values.v[f]))
                    continue;
                jw_obj(&j);
                jw_kstr(&j, "field", vm_field(f)->path);
                jw_key(&j, "a");
                value_json(&j, vm_field(f), &ca->comp->values.v[f]);
                jw_key(&j, "b");
                value_json(&j, vm_field(f), &cb->comp->values.v[f]);
                jw_obj_end(&j);
            }
            jw_arr_end(&j);
            jw_obj_end(&j);
        }
    }
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
    rc = vm_worst(load_side(cli, &sa, p.pos[0]), load_side(cli, &sb, p.pos[1]));
    if (rc)
        goto done;
    if (vm_report_build(sa.a, e, &sa.prof, 0, &sa.rep) != VM_OK ||
        vm_report_build(sb.a, e, &sb.prof, 0, &sb.rep) != VM_OK || compute(&df) != 0) {
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
        rc = exit_code && df.rec_changed ? VM_FAIL : 0;
    }
    vm_buf_free(&b);
done:
    free(df.rules);
    vm_engine_free(e);
    vm_arena_free(sa.a);
    vm_arena_free(sb.a);
    vm_ruleset_free(rs);
    return rc;
}

const vm_cmd cmd_diff = {
    .name = "diff",
    .summary = "show how a change to a profile changes its recommendation",
    .usage = "[OPTIONS] A.yaml B.yaml",
    .opts = opts,
    .run = run,
    .description = "Evaluates the first profile of A and of B exactly as 'vmctr advise' does and shows what "
                   "changed: the recommendation (paradigm, platform, confidence), the profile fields (old and "
                   "new value with their lines), the paradigm scores and the platform scores that moved, the "
                   "fired rules that were added, removed or weigh differently, and the components whose "
                   "recommendation changed. Further profiles in a file are not compared (a note says so). "
                   "Either file may be '-' (standard input). Exit status 0 even when they differ, unless "
                   "--exit-code is given: then 1 when the paradigm or platform differs.",
    .examples = "vmctr diff billing.yaml billing-new.yaml\n"
                "git show main:billing.yaml | vmctr diff --exit-code - billing.yaml\n"
                "vmctr diff --format json old.yaml new.yaml | jq .recommendation",
};
