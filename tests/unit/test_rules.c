/*
 * test_rules.c - the rule catalogue and the rule engine.
 *
 *  - every built-in rule fires on its `fires` case and stays quiet on its
 *    `quiet` case (tests/rules/cases.yaml, or the path in argv[1]); the test
 *    fails when a built-in rule has no case, or a case names no rule;
 *  - each class of rule-file error with its exact line:column and message;
 *  - the engine's documented semantics: unknown fields, ordered
 *    comparisons, contains, priorities, tie-breaks, confidence, overrides,
 *    unknowns and counterfactuals (applied back with vm_values_set_text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memo.h"
#include "util/buf.h"
#include "util/fs.h"
#include "vmctr/sys/builtin.h"
#include "vmctr/engine.h"
#include "vmctr/profile.h"
#include "vmctr/report.h"
#include "vmctr/rules.h"
#include "yevent.h"
#include "fixture.h"

#ifndef VMCTR_RULE_CASES
#ifdef VMCTR_ACCEPTANCE_DIR
#define VMCTR_RULE_CASES VMCTR_ACCEPTANCE_DIR "/../rules/cases.yaml"
#else
#define VMCTR_RULE_CASES "tests/rules/cases.yaml"
#endif
#endif

static const char *cases_path = VMCTR_RULE_CASES;
static vm_diags D;

static void dump_diags(const vm_diags *d)
{
    char line[700];
    for (size_t i = 0; i < d->count; i++) {
        vm_diag_format(&d->items[i], line, sizeof line);
        print_message("  diag: %s\n", line);
    }
}

static vm_ruleset *builtin_set(void)
{
    vm_ruleset *rs = vm_ruleset_new();
    assert_non_null(rs);
    for (size_t i = 0; i < vm_builtin_rules_count; i++) {
        vm_diags_clear(&D);
        vm_status st = vm_ruleset_add(rs, vm_builtin_rules[i].name, vm_builtin_rules[i].data,
                                      vm_builtin_rules[i].len, true, &D);
        if (st != VM_OK)
            dump_diags(&D);
        assert_int_equal(st, VM_OK);
    }
    return rs;
}

static vm_ruleset *finish(vm_ruleset *rs)
{
    vm_diags_clear(&D);
    assert_int_equal(vm_ruleset_finish(rs, &D), VM_OK);
    return rs;
}

/* ---- the cases file ------------------------------------------------------------ */

typedef struct {
    char id[96];
    char fires[16][160];   /* "field=value" */
    int nfires;
    char quiet[16][160];
    int nquiet;
    bool has_fires, has_quiet, always;
    uint32_t line;
} rcase;

static rcase CASES[512];
static int NCASES;

typedef struct {
    ye_parser *p;
    ye_event ev;
    char err[256];
} yp;

static void next(yp *y)
{
    uint32_t l, c;
    if (!ye_next(y->p, &y->ev, y->err, sizeof y->err, &l, &c))
        fail_msg("%s:%u:%u: %s", cases_path, l, c, y->err);
}

static void text(const yp *y, char *out, size_t cap)
{
    snprintf(out, cap, "%.*s", (int)y->ev.len, y->ev.text);
}

/* {field: value|[a, b]|~, ...} into "field=value" strings */
static int read_answers(yp *y, char out[][160])
{
    int n = 0;
    if (y->ev.kind == YE_SCALAR)   /* `{}` or `~` */
        return 0;
    assert_int_equal(y->ev.kind, YE_MAP_START);
    for (next(y); y->ev.kind != YE_MAP_END; next(y)) {
        assert_int_equal(y->ev.kind, YE_SCALAR);
        assert_true(n < 16);
        char key[96], val[128] = "";
        text(y, key, sizeof key);
        next(y);
        if (y->ev.kind == YE_SEQ_START) {
            size_t k = 0;
            for (next(y); y->ev.kind != YE_SEQ_END; next(y)) {
                char item[64];
                text(y, item, sizeof item);
                k += (size_t)snprintf(val + k, sizeof val - k, "%s%s", k ? ", " : "", item);
            }
        } else {
            assert_int_equal(y->ev.kind, YE_SCALAR);
            text(y, val, sizeof val);
            if (strcmp(val, "~") == 0 || strcmp(val, "null") == 0)
                val[0] = '\0';
        }
        snprintf(out[n++], 160, "%s=%s", key, val);
    }
    return n;
}

static void load_cases(void)
{
    size_t len = 0, max = (size_t)16 << 20; /* far above the file's size */
    char *data = NULL;
    if (vm_read_file(cases_path, max, &data, &len) != 0 || len > max)
        fail_msg("cannot read %s", cases_path);
    yp y = {.p = ye_open(data, len, 1)};
    assert_non_null(y.p);
    next(&y); /* stream */
    next(&y); /* document */
    next(&y);
    assert_int_equal(y.ev.kind, YE_MAP_START);
    for (next(&y); y.ev.kind != YE_MAP_END; next(&y)) {
        assert_true(NCASES < 512);
        rcase *c = &CASES[NCASES++];
        memset(c, 0, sizeof *c);
        text(&y, c->id, sizeof c->id);
        c->line = y.ev.line;
        for (int k = 0; k < NCASES - 1; k++)
            if (strcmp(CASES[k].id, c->id) == 0)
                fail_msg("%s:%u: two cases for %s", cases_path, c->line, c->id);
        next(&y);
        assert_int_equal(y.ev.kind, YE_MAP_START);
        for (next(&y); y.ev.kind != YE_MAP_END; next(&y)) {
            char key[32];
            text(&y, key, sizeof key);
            next(&y);
            if (strcmp(key, "fires") == 0) {
                c->has_fires = true;
                c->nfires = read_answers(&y, c->fires);
            } else if (strcmp(key, "quiet") == 0) {
                c->has_quiet = true;
                c->nquiet = read_answers(&y, c->quiet);
            } else if (strcmp(key, "always") == 0) {
                char v[16];
                text(&y, v, sizeof v);
                c->always = strcmp(v, "true") == 0;
            } else {
                fail_msg("%s:%u: unknown key '%s' in the case of %s", cases_path, y.ev.line, key, c->id);
            }
        }
    }
    ye_close(y.p);
    free(data);
}

/* Does rule `id` fire for these answers? */
static bool fires_with(vm_engine *e, const vm_ruleset *rs, vm_arena *a, char answers[][160], int n,
                       const char *id, const rcase *c)
{
    vm_values v;
    memset(&v, 0, sizeof v);
    for (int i = 0; i < n; i++) {
        char err[400];
        if (vm_values_set_text(a, &v, answers[i], NULL, err, sizeof err) != VM_OK)
            fail_msg("%s:%u: case of %s: '%s': %s", cases_path, c->line, id, answers[i], err);
    }
    uint16_t fired[VM_LIMIT_RULES];
    vm_result res;
    vm_engine_eval(e, &v, &res, fired);
    const vm_rule *r = vm_ruleset_find(rs, id);
    for (uint32_t i = 0; i < res.nfired; i++)
        if (vm_ruleset_rule(rs, fired[i]) == r)
            return true;
    return false;
}

static void every_builtin_rule_has_a_case(void **state)
{
    (void)state;
    vm_ruleset *rs = finish(builtin_set());
    int missing = 0;
    for (size_t i = 0; i < vm_ruleset_count(rs); i++) {
        const char *id = vm_ruleset_rule(rs, i)->id;
        bool found = false;
        for (int k = 0; k < NCASES && !found; k++)
            found = strcmp(CASES[k].id, id) == 0;
        if (!found) {
            print_message("built-in rule %s has no case in %s\n", id, cases_path);
            missing++;
        }
    }
    int stray = 0;
    for (int k = 0; k < NCASES; k++)
        if (!vm_ruleset_find(rs, CASES[k].id)) {
            print_message("%s:%u: case for %s, which is not a built-in rule\n", cases_path, CASES[k].line,
                          CASES[k].id);
            stray++;
        }
    vm_ruleset_free(rs);
    assert_int_equal(missing, 0);
    assert_int_equal(stray, 0);
}

static void every_builtin_rule_fires_and_stays_quiet(void **state)
{
    (void)state;
    vm_ruleset *rs = finish(builtin_set());
    vm_engine *e = vm_engine_new(rs);
    vm_arena *a = vm_arena_new();
    int bad = 0, checked = 0;
    for (int k = 0; k < NCASES; k++) {
        rcase *c = &CASES[k];
        const vm_rule *r = vm_ruleset_find(rs, c->id);
        if (!r)
            continue;
        vm_arena_reset(a);
        if (!c->has_fires) {
            print_message("%s:%u: %s: no 'fires'\n", cases_path, c->line, c->id);
            bad++;
            continue;
        }
        if (!fires_with(e, rs, a, c->fires, c->nfires, c->id, c)) {
            print_message("%s:%u: %s does not fire on its 'fires' case\n", cases_path, c->line, c->id);
            bad++;
        }
        if (c->always) {
            /* advice without a condition: it fires on every profile and
             * applies_to chooses where it is shown */
            if (r->ncond != 0 || r->applies_to == 0 || c->has_quiet) {
                print_message("%s:%u: %s: 'always' needs a rule without 'when', with applies_to, and no "
                              "quiet case\n", cases_path, c->line, c->id);
                bad++;
            }
            checked++;
            continue;
        }
        if (!c->has_quiet) {
            print_message("%s:%u: %s: no 'quiet'\n", cases_path, c->line, c->id);
            bad++;
            continue;
        }
        if (fires_with(e, rs, a, c->quiet, c->nquiet, c->id, c)) {
            print_message("%s:%u: %s fires on its 'quiet' case\n", cases_path, c->line, c->id);
            bad++;
        }
        checked++;
    }
    print_message("  %d rules checked against their cases\n", checked);
    vm_arena_free(a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
    assert_int_equal(bad, 0);
}

/* ---- rule-file errors with exact positions ----------------------------------------- */

#define HDR "apiVersion: vmctr/v1\nkind: RuleSet\nrules:\n"
/* a rule's first key `id` is on line 4, column 9 ("  - id: ") */
#define RULE(id, cat) "  - id: " id "\n    title: T\n    category: " cat "\n    reference: R\n    rationale: Why.\n"
/* RULE() takes lines 4-8; the next key is on line 9 */

static vm_status add_text(vm_ruleset *rs, const char *text, bool builtin)
{
    vm_diags_clear(&D);
    vm_status st = vm_ruleset_add(rs, "t.yaml", text, strlen(text), builtin, &D);
    if (st == VM_OK)
        assert_int_equal(D.errors, 0);
    else
        assert_true(D.errors > 0);
    return st;
}

static const vm_diag *find_diag(uint32_t line, uint32_t col, const char *frag)
{
    for (size_t i = 0; i < D.count; i++) {
        const vm_diag *g = &D.items[i];
        if (g->line == line && g->col == col && strstr(g->message, frag) && strcmp(g->file, "t.yaml") == 0 &&
            g->severity == VM_SEV_ERROR)
            return g;
    }
    print_message("expected %u:%u ...%s...\n", line, col, frag);
    dump_diags(&D);
    return NULL;
}

/* The file fails to load with exactly one error, this one. */
static void one_error(const char *text, uint32_t line, uint32_t col, const char *frag)
{
    vm_ruleset *rs = vm_ruleset_new();
    assert_int_equal(add_text(rs, text, false), VM_ERULES);
    assert_non_null(find_diag(line, col, frag));
    if (D.count != 1)
        dump_diags(&D);
    assert_int_equal(D.count, 1);
    vm_ruleset_free(rs);
}

static void error_classes(void **state)
{
    (void)state;
    /* unknown field, with did-you-mean */
    one_error(HDR RULE("delivery.a", "delivery") "    when: {field: delivery.release_frequncy, op: eq, value: daily}\n"
                  "    scores: {container: 1}\n",
              9, 19, "unknown field 'delivery.release_frequncy' (did you mean 'delivery.release_frequency'?)");
    /* a value outside the enum, with did-you-mean, in a list */
    one_error(HDR RULE("delivery.a", "delivery")
              "    when: {field: delivery.release_frequency, op: in, value: [daily, dayly]}\n"
              "    scores: {container: 1}\n",
              9, 70, "'dayly' is not a value of delivery.release_frequency (one of on-demand, daily, weekly, "
                     "monthly, quarterly, yearly) (did you mean 'daily'?)");
    /* bad op */
    one_error(HDR RULE("delivery.a", "delivery") "    when: {field: delivery.ci_cd, op: eqq, value: none}\n"
                  "    scores: {vm: 1}\n",
              9, 39, "unknown op 'eqq' (did you mean 'eq'?)");
    /* an op that does not apply to the field's type */
    one_error(HDR RULE("workload.a", "workload") "    when: {field: workload.gui, op: gt, value: false}\n"
                  "    scores: {vm: 1}\n",
              9, 37, "op 'gt' does not apply to workload.gui; use eq, ne, known, unknown");
    one_error(HDR RULE("isolation.a", "isolation") "    when: {field: isolation.compliance, op: eq, value: pci}\n"
                  "    scores: {vm: 1}\n",
              9, 45, "op 'eq' does not apply to isolation.compliance; use contains, known, unknown");
    /* an ordered op on an unordered enum */
    one_error(HDR RULE("workload.a", "workload") "    when: {field: workload.os, op: gte, value: linux}\n"
                  "    scores: {vm: 1}\n",
              9, 36, "(it is not an ordered field)");
    /* a duplicate id within one layer */
    one_error(HDR RULE("team.a", "team") "    scores: {vm: 1}\n" RULE("team.a", "team") "    scores: {vm: 2}\n",
              10, 9, "duplicate rule id 'team.a' (first defined at t.yaml:4)");
    /* bad id format */
    one_error(HDR RULE("Team_A", "team") "    scores: {vm: 1}\n", 4, 9, "'Team_A' is not a rule id");
    one_error(HDR RULE("cloud.a", "team") "    scores: {vm: 1}\n", 4, 9, "'cloud.a' is not a rule id");
    /* category does not match the id */
    one_error(HDR RULE("team.a", "delivery") "    scores: {vm: 1}\n", 6, 15,
              "category 'delivery' does not match the id prefix of 'team.a'");
    /* unknown category */
    one_error(HDR RULE("team.a", "teams") "    scores: {vm: 1}\n", 6, 15,
              "unknown category 'teams' (one of workload, isolation, economics, delivery, team, strategy, "
              "operations) (did you mean 'team'?)");
    /* missing required keys: one error per key, at the rule */
    {
        vm_ruleset *rs = vm_ruleset_new();
        assert_int_equal(add_text(rs, HDR "  - id: team.a\n    category: team\n    scores: {vm: 1}\n", false),
                         VM_ERULES);
        assert_non_null(find_diag(4, 9, "missing required key 'title' in rule team.a"));
        assert_non_null(find_diag(4, 9, "missing required key 'reference' in rule team.a"));
        assert_non_null(find_diag(4, 9, "missing required key 'rationale' in rule team.a"));
        assert_int_equal(D.count, 3);
        vm_ruleset_free(rs);
    }
    /* unknown rule key, with did-you-mean */
    one_error(HDR RULE("team.a", "team") "    scores: {vm: 1}\n    exclude: [vm]\n", 10, 5,
              "unknown key 'exclude' in rules[0] (did you mean 'excludes'?)");
    /* unknown targets in scores and excludes */
    one_error(HDR RULE("team.a", "team") "    scores: {kubernets: 1}\n", 9, 14,
              "unknown paradigm or platform 'kubernets' (did you mean 'kubernetes'?)");
    one_error(HDR RULE("team.a", "team") "    scores: {vm: 1}\n    excludes: [contaner]\n", 10, 16,
              "unknown paradigm or platform 'contaner' (did you mean 'container'?)");
    /* weights are numbers in [-100, 100] */
    one_error(HDR RULE("team.a", "team") "    scores: {vm: 101}\n", 9, 18,
              "a weight is a number between -100 and 100, found '101'");
    /* wrong apiVersion / kind */
    one_error("apiVersion: vmctr/v2\nkind: RuleSet\nrules: []\n", 1, 13,
              "'vmctr/v2' is not supported: expected 'vmctr/v1'");
    one_error("apiVersion: vmctr/v1\nkind: Rules\nrules: []\n", 2, 7, "'Rules' is not supported: expected 'RuleSet'");
    one_error("apiVersion: vmctr/v1\nkind: WorkloadProfile\nrules: []\n", 2, 7, "this is a profile, not a rule file");
    one_error("kind: RuleSet\nrules: []\n", 1, 1, "missing required key 'apiVersion'");
    /* malformed YAML */
    one_error(HDR "  - id: team.a\n    title: \"unterminated\n", 6, 1, "malformed YAML");
    one_error("apiVersion: vmctr/v1\nrules: [\n", 3, 1,
              "malformed YAML: did not find expected node content while parsing a flow node (line 3)");
    one_error("", 1, 1, "empty rule file");
}

/* ---- engine semantics -------------------------------------------------------------- */

static vm_ruleset *user_set(const char *text)
{
    vm_ruleset *rs = vm_ruleset_new();
    vm_status st = add_text(rs, text, false);
    if (st != VM_OK)
        dump_diags(&D);
    assert_int_equal(st, VM_OK);
    return finish(rs);
}

typedef struct {
    vm_arena *a;
    vm_values v;
    vm_result res;
    uint16_t fired[VM_LIMIT_RULES];
} evalctx;

static void set(evalctx *x, const char *assignment)
{
    char err[400];
    if (vm_values_set_text(x->a, &x->v, assignment, NULL, err, sizeof err) != VM_OK)
        fail_msg("%s: %s", assignment, err);
}

static bool fired(const evalctx *x, const vm_ruleset *rs, const char *id)
{
    for (uint32_t i = 0; i < x->res.nfired; i++)
        if (strcmp(vm_ruleset_rule(rs, x->fired[i])->id, id) == 0)
            return true;
    return false;
}

/* The rationale is the fired rules that score (at a priority above 0), in
 * the documented order: larger contribution, then larger platform effect
 * (each equal within VM_SCORE_EPS), then rule id. Checked on every pair of
 * 600 generated profiles, at priority 3 everywhere (where the order comes
 * from the engine's memo of each verdict) and at random priorities (where
 * it is sorted), and on a second engine that builds its memo afresh. */
static bool reason_precedes(const vm_reason *a, const vm_reason *b)
{
    if (fabs(a->contribution - b->contribution) > VM_SCORE_EPS)
        return a->contribution > b->contribution;
    double pa = fabs(a->platform_effect), pb = fabs(b->platform_effect);
    if (fabs(pa - pb) > VM_SCORE_EPS)
        return pa > pb;
    return a->id_rank < b->id_rank;
}

static uint64_t rng_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void random_values(vm_arena *a, vm_values *v, uint64_t *seed, bool priorities)
{
    memset(v, 0, sizeof *v);
    char as[200], err[200];
    for (int f = 0; f < VM_FIELD_COUNT; f++) {
        const vm_field_def *d = vm_field(f);
        bool prio = f >= VM_F_PRIORITIES_WORKLOAD && f < VM_F_PRIORITIES_WORKLOAD + VM_CAT_COUNT;
        if ((prio && !priorities) || (!prio && d->category < 0) || rng_next(seed) % 3 == 0)
            continue;
        if (d->type == VM_T_ENUM || d->type == VM_T_ENUM_LIST)
            snprintf(as, sizeof as, "%s=%s", d->path, d->values[rng_next(seed) % d->nvalues]);
        else if (d->type == VM_T_BOOL)
            snprintf(as, sizeof as, "%s=%s", d->path, rng_next(seed) % 2 ? "true" : "false");
        else if (d->type == VM_T_INT)
            snprintf(as, sizeof as, "%s=%lld", d->path,
                     (long long)(d->min + (int64_t)(rng_next(seed) % (uint64_t)(d->max - d->min + 1))));
        else
            continue;
        assert_int_equal(vm_values_set_text(a, v, as, NULL, err, sizeof err), VM_OK);
    }
}

static void check_rationale(const vm_ruleset *rs, const vm_eval_report *ev)
{
    uint32_t want = 0;
    for (uint32_t i = 0; i < ev->nfired; i++) {
        const vm_rule *r = vm_ruleset_rule(rs, ev->fired[i]);
        want += r->scores_any && ev->factor[r->category] != 0;
    }
    assert_int_equal(ev->nreasons, want);
    for (uint32_t i = 0; i < ev->nreasons; i++) {
        bool is_fired = false;
        for (uint32_t j = 0; j < ev->nfired; j++)
            is_fired |= ev->fired[j] == ev->reasons[i].rule;
        assert_true(is_fired);
        for (uint32_t j = i + 1; j < ev->nreasons; j++)
            assert_true(reason_precedes(&ev->reasons[i], &ev->reasons[j]));
    }
}

static void rationale_is_in_order(void **state)
{
    (void)state;
    vm_ruleset *rs = finish(builtin_set());
    vm_engine *e = vm_engine_new(rs), *fresh = NULL;
    vm_arena *a = vm_arena_new();
    uint64_t seed = 7;
    uint32_t memo_checked = 0;
    for (int i = 0; i < 600; i++) {
        vm_arena_reset(a);
        vm_values v;
        random_values(a, &v, &seed, i % 3 == 2);
        vm_profile p = {.file = "t.yaml", .line = 1, .values = v};
        vm_report rep, again;
        assert_int_equal(vm_report_build(a, e, &p, 0, &rep), VM_OK);
        check_rationale(rs, &rep.main);
        /* the same profile on an engine whose memo starts empty */
        vm_engine_free(fresh);
        fresh = vm_engine_new(rs);
        assert_int_equal(vm_report_build(a, fresh, &p, 0, &again), VM_OK);
        assert_int_equal(again.main.nreasons, rep.main.nreasons);
        assert_memory_equal(again.main.reasons, rep.main.reasons, rep.main.nreasons * sizeof(vm_reason));
        memo_checked += i % 3 != 2;
    }
    assert_true(memo_checked >= 400);
    assert_true(vm_engine_memo_count(e) > 0); /* the profiles at priority 3 took the memo's orders */
    vm_engine_free(fresh);
    vm_engine_free(e);
    vm_arena_free(a);
    vm_ruleset_free(rs);
}

/* "moves the margin by up to S": the swing an unknown reports is the
 * largest change of the base margin over every answer of the field (its
 * example answer is the one that flips, which may move it less), on 400
 * generated profiles, by evaluating every value of each enum or boolean
 * unknown. */
static void unknown_swing_is_the_largest(void **state)
{
    (void)state;
    vm_ruleset *rs = finish(builtin_set());
    vm_engine *e = vm_engine_new(rs);
    vm_arena *a = vm_arena_new();
    uint64_t seed = 41;
    uint32_t checked = 0, not_example = 0;
    for (int i = 0; i < 400; i++) {
        vm_arena_reset(a);
        vm_values v;
        random_values(a, &v, &seed, i % 3 == 2);
        vm_result base;
        vm_engine_eval(e, &v, &base, NULL);
        if (base.paradigm < 0 || base.runner_up < 0)
            continue;
        vm_variation u[VM_FIELD_COUNT];
        size_t n = vm_engine_unknowns(e, &v, &base, u, VM_FIELD_COUNT);
        double bm = base.score[base.paradigm] - base.score[base.runner_up];
        for (size_t k = 0; k < n; k++) {
            const vm_field_def *d = vm_field(u[k].field);
            if (d->type != VM_T_ENUM && d->type != VM_T_BOOL)
                continue;
            double top = 0, example = -1;
            int nv = d->type == VM_T_BOOL ? 2 : d->nvalues;
            for (int j = 0; j < nv; j++) {
                vm_values w = v;
                w.v[u[k].field] = (vm_value){.set = true, .u.i = j};
                vm_result r;
                vm_engine_eval(e, &w, &r, NULL);
                double m = ((r.excluded >> base.paradigm) & 1u) ? -1e6
                                                                : r.score[base.paradigm] - r.score[base.runner_up];
                double sw = m <= -1e5 ? bm + 1.0 : fabs(m - bm);
                top = sw > top ? sw : top;
                if (j == u[k].value.u.i)
                    example = sw;
            }
            assert_true(fabs(top - u[k].swing) < 1e-9);
            assert_true(example >= 0 && example <= u[k].swing + 1e-9);
            not_example += example < u[k].swing - 1e-9;
            checked++;
        }
    }
    assert_true(checked > 1000);
    assert_true(not_example > 0); /* some example answers do move it less */
    vm_arena_free(a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

/* A full memo (memo.h): the rationale is sorted, the same as from an
 * engine whose memo keeps the orders, and the blocks kept stay found. */
static void rationale_with_memo_full(void **state)
{
    (void)state;
    vm_ruleset *rs = finish(builtin_set());
    vm_engine *full = vm_engine_new(rs), *e = vm_engine_new(rs);
    vm_arena *a = vm_arena_new();
    uint32_t k = 0;
    for (; vm_engine_memo_room(full); k++) {
        uint32_t *b = malloc(sizeof *b);
        assert_non_null(b);
        *b = k;
        assert_true(vm_engine_memo_put(full, k, b)); /* keys below any tag of report.c */
    }
    assert_true(k > 0 && k < VM_ENGINE_MEMO_SLOTS);
    uint32_t *extra = malloc(sizeof *extra);
    assert_non_null(extra);
    assert_false(vm_engine_memo_put(full, k, extra)); /* no room: the block stays ours */
    free(extra);
    uint64_t seed = 13;
    for (int i = 0; i < 200; i++) {
        vm_arena_reset(a);
        vm_values v;
        random_values(a, &v, &seed, i % 4 == 3);
        vm_profile p = {.file = "t.yaml", .line = 1, .values = v};
        vm_report rf, rm;
        assert_int_equal(vm_report_build(a, full, &p, 0, &rf), VM_OK);
        assert_int_equal(vm_report_build(a, e, &p, 0, &rm), VM_OK);
        check_rationale(rs, &rf.main);
        assert_int_equal(rf.main.nreasons, rm.main.nreasons);
        assert_memory_equal(rf.main.reasons, rm.main.reasons, rm.main.nreasons * sizeof(vm_reason));
    }
    for (uint32_t i = 0; i < k; i++) {
        const uint32_t *b = vm_engine_memo_get(full, i);
        assert_non_null(b);
        assert_int_equal(*b, i);
    }
    assert_null(vm_engine_memo_get(full, k));
    vm_engine_free(full);
    vm_engine_free(e);
    vm_arena_free(a);
    vm_ruleset_free(rs);
}

/* A system's questions take what each component's own questions varied
 * (vm_kept) instead of varying it again: the answers are the same as
 * without, on 300 generated systems of 2 to 4 components. */
static void system_questions_reuse_components(void **state)
{
    (void)state;
    vm_ruleset *rs = finish(builtin_set());
    vm_engine *e = vm_engine_new(rs);
    vm_arena *a = vm_arena_new();
    uint64_t seed = 11;
    uint32_t reused = 0;
    for (int sys = 0; sys < 300; sys++) {
        vm_arena_reset(a);
        vm_values parent;
        random_values(a, &parent, &seed, sys % 4 == 3);
        uint32_t n = 2 + (uint32_t)(rng_next(&seed) % 3);
        vm_values *vals = vm_arena_alloc(a, n * sizeof *vals);
        vm_result *res = vm_arena_alloc(a, n * sizeof *res);
        vm_part *with = vm_arena_alloc(a, n * sizeof *with), *without = vm_arena_alloc(a, n * sizeof *without);
        const vm_result **ptrs = vm_arena_alloc(a, n * sizeof *ptrs);
        assert_true(vals && res && with && without && ptrs);
        for (uint32_t i = 0; i < n; i++) {
            vm_values own;
            random_values(a, &own, &seed, false);
            vals[i] = parent;
            uint64_t mask = 0;
            for (int f = 0; f < VM_FIELD_COUNT; f++)
                if (own.v[f].set && rng_next(&seed) % 4 == 0) {
                    vals[i].v[f] = own.v[f];
                    mask |= UINT64_C(1) << f;
                }
            vm_engine_eval(e, &vals[i], &res[i], NULL);
            void *st = vm_arena_alloc(a, vm_engine_state_size(e));
            assert_non_null(st);
            vm_engine_save(e, st);
            vm_variation u[VM_REPORT_MAX_UNKNOWNS], cf[VM_REPORT_MAX_CF];
            vm_questions q = {.unknowns = u, .unknowns_cap = VM_REPORT_MAX_UNKNOWNS, .cf = cf,
                              .cf_cap = VM_REPORT_MAX_CF, .keep = a};
            assert_int_equal(vm_engine_questions(e, &vals[i], &res[i], &q), VM_OK);
            assert_non_null(q.kept);
            with[i] = (vm_part){&vals[i], &res[i], st, mask, q.kept};
            without[i] = with[i];
            without[i].kept = NULL;
            ptrs[i] = &res[i];
        }
        vm_system base;
        vm_system_compose(ptrs, n, &base);
        vm_variation u1[VM_REPORT_MAX_UNKNOWNS], c1[VM_REPORT_MAX_CF], u2[VM_REPORT_MAX_UNKNOWNS], c2[VM_REPORT_MAX_CF];
        memset(u1, 0, sizeof u1), memset(c1, 0, sizeof c1), memset(u2, 0, sizeof u2), memset(c2, 0, sizeof c2);
        vm_questions q1 = {.unknowns = u1, .unknowns_cap = VM_REPORT_MAX_UNKNOWNS, .cf = c1, .cf_cap = VM_REPORT_MAX_CF};
        vm_questions q2 = {.unknowns = u2, .unknowns_cap = VM_REPORT_MAX_UNKNOWNS, .cf = c2, .cf_cap = VM_REPORT_MAX_CF};
        void *scratch = vm_arena_alloc(a, vm_engine_system_scratch(n));
        assert_non_null(scratch);
        vm_engine_system_questions(e, &parent, without, n, &base, scratch, &q1);
        vm_engine_system_questions(e, &parent, with, n, &base, scratch, &q2);
        assert_int_equal(q1.nunknowns, q2.nunknowns);
        assert_int_equal(q1.ncf, q2.ncf);
        assert_memory_equal(u1, u2, q1.nunknowns * sizeof *u1);
        assert_memory_equal(c1, c2, q1.ncf * sizeof *c1);
        reused += q2.nunknowns + q2.ncf;
    }
    assert_true(reused > 300);
    vm_engine_free(e);
    vm_arena_free(a);
    vm_ruleset_free(rs);
}

/* Contributions equal within VM_SCORE_EPS only pairwise (a chain 0.6e-9
 * apart: b ~ a, b ~ c, but c > a) make the order not total. Such a
 * verdict keeps no memo and its rationale is sorted, as it always was: for
 * a and c alone, c comes first; with b as well, the stable sort of the rule
 * order leaves a, b, c (each next to a tie). A memo of a, b, c would put a
 * before c in both. */
static void rationale_near_ties_are_sorted(void **state)
{
    (void)state;
    vm_ruleset *rs = user_set(HDR RULE("team.a", "team") "    when: {field: team.linux, op: known}\n    scores: {vm: 0.001}\n"
                              RULE("team.b", "team")
                              "    when: {field: team.windows, op: known}\n    scores: {vm: 0.0010000006}\n"
                              RULE("team.c", "team")
                              "    when: {field: team.linux, op: known}\n    scores: {vm: 0.0010000012}\n");
    vm_engine *e = vm_engine_new(rs);
    for (int round = 0; round < 4; round++) {
        evalctx x = {.a = vm_arena_new()};
        set(&x, "team.linux=basic");
        if (round % 2)
            set(&x, "team.windows=basic");
        vm_profile p = {.file = "t.yaml", .line = 1, .values = x.v};
        vm_report rep;
        assert_int_equal(vm_report_build(x.a, e, &p, 0, &rep), VM_OK);
        const char *two[] = {"team.c", "team.a"}, *three[] = {"team.a", "team.b", "team.c"};
        const char **want = round % 2 ? three : two;
        assert_int_equal(rep.main.nreasons, round % 2 ? 3 : 2);
        for (uint32_t i = 0; i < rep.main.nreasons; i++)
            assert_string_equal(vm_ruleset_rule(rs, rep.main.reasons[i].rule)->id, want[i]);
        vm_arena_free(x.a);
    }
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

/* The priority keys in category order (VM_CAT_*), as --what-if takes them. */
static const char *const category_keys[] = {"workload", "isolation", "economics", "delivery", "team", "strategy",
                                            "operations"};

/* The sensitivity tests' rule set: vm 3 from team, container 2 from delivery. */
static vm_ruleset *team_vs_delivery_set(void)
{
    return user_set(HDR RULE("team.t", "team") "    when: {field: team.linux, op: known}\n    scores: {vm: 3}\n"
                    RULE("delivery.d", "delivery")
                    "    when: {field: delivery.release_frequency, op: known}\n    scores: {container: 2}\n");
}

/* The fields both rules of team_vs_delivery_set() read. */
static void set_team_and_delivery(evalctx *x)
{
    set(x, "team.linux=basic");
    set(x, "delivery.release_frequency=daily");
}

/* What team_vs_delivery_set() gives, alone or per component: the verdict
 * holds for team 2..5 and delivery 0..4, and delivery 5 makes it container. */
static void assert_team_2_5_delivery_0_4(const vm_report *rep)
{
    const vm_sensitivity *team = &rep->main.sensitivity[VM_CAT_TEAM], *del = &rep->main.sensitivity[VM_CAT_DELIVERY];
    assert_int_equal(team->holds_from, 2);
    assert_int_equal(team->holds_to, 5);
    assert_int_equal(del->holds_from, 0);
    assert_int_equal(del->holds_to, 4);
    assert_int_equal(del->paradigm[5], VM_T_CONTAINER);
}

/* Priority sensitivity is exact: vm 3 (team) against container 2 (delivery)
 * holds for team 2..5 (at 2 the tie goes to vm, the first in tie order) and
 * delivery 0..4 (2 x 5 / 3 > 3); each prediction agrees with an evaluation
 * at that priority. */
static void sensitivity_is_exact(void **state)
{
    (void)state;
    vm_ruleset *rs = team_vs_delivery_set();
    vm_engine *e = vm_engine_new(rs);
    evalctx x = {.a = vm_arena_new()};
    set_team_and_delivery(&x);
    vm_profile p = {.file = "t.yaml", .line = 1, .values = x.v};
    vm_report rep;
    assert_int_equal(vm_report_build(x.a, e, &p, VM_REPORT_SENSITIVITY, &rep), VM_OK);
    assert_true(rep.main.has_sensitivity);
    const vm_sensitivity *team = &rep.main.sensitivity[VM_CAT_TEAM];
    assert_int_equal(rep.paradigm, VM_T_VM);
    assert_int_equal(team->priority, 3);
    assert_team_2_5_delivery_0_4(&rep);
    assert_int_equal(team->paradigm[1], VM_T_CONTAINER);
    assert_int_equal(team->paradigm[0], VM_T_CONTAINER);
    assert_false(vm_sensitivity_changes(&rep.main.sensitivity[VM_CAT_ISOLATION]));
    /* every prediction against a real evaluation with that priority */
    for (int c = 0; c < VM_CAT_COUNT; c++)
        for (int q = 0; q <= VM_PRIORITY_MAX; q++) {
            evalctx y = {.a = x.a, .v = x.v};
            char as[64];
            snprintf(as, sizeof as, "priorities.%s=%d", category_keys[c], q);
            set(&y, as);
            vm_engine_eval(e, &y.v, &y.res, NULL);
            assert_int_equal(y.res.paradigm, rep.main.sensitivity[c].paradigm[q]);
            assert_int_equal(y.res.platform, rep.main.sensitivity[c].platform[q]);
        }
    vm_arena_free(x.a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

/* A system's sensitivity is about the system verdict: the priority varies
 * in the parent and in every component that inherits it (as --what-if
 * does), never in a component that sets it itself. Both components give vm
 * 3 against container 2; lowering team makes only the inheriting one
 * container (the system turns hybrid at 0..1, not container as the parent's
 * fields alone would say); raising delivery to 5 moves both. Every
 * prediction agrees with a system built with that priority applied. */
static void system_sensitivity_is_about_the_system(void **state)
{
    (void)state;
    vm_ruleset *rs = team_vs_delivery_set();
    vm_engine *e = vm_engine_new(rs);
    evalctx x = {.a = vm_arena_new()};
    set_team_and_delivery(&x);
    vm_component comps[2] = {{.name = "own", .line = 2, .values = x.v}, {.name = "inh", .line = 3, .values = x.v}};
    evalctx o = {.a = x.a, .v = x.v};
    set(&o, "priorities.team=3");
    comps[0].values = o.v;
    comps[0].own = UINT64_C(1) << VM_F_PRIORITIES_TEAM;
    vm_profile p = {.file = "t.yaml", .line = 1, .values = x.v, .components = comps, .ncomponents = 2};
    vm_report rep;
    assert_int_equal(vm_report_build(x.a, e, &p, VM_REPORT_SENSITIVITY, &rep), VM_OK);
    assert_int_equal(rep.paradigm, VM_T_VM);
    assert_true(rep.main.has_sensitivity);
    const vm_sensitivity *team = &rep.main.sensitivity[VM_CAT_TEAM];
    assert_team_2_5_delivery_0_4(&rep);
    assert_int_equal(team->paradigm[0], VM_T_HYBRID);
    assert_int_equal(team->paradigm[1], VM_T_HYBRID);
    /* the components' own sensitivities stay their own */
    assert_int_equal(rep.components[0].ev.sensitivity[VM_CAT_TEAM].paradigm[0], VM_T_CONTAINER);
    for (int c = 0; c < VM_CAT_COUNT; c++)
        for (int q = 0; q <= VM_PRIORITY_MAX; q++) {
            char as[64];
            snprintf(as, sizeof as, "priorities.%s=%d", category_keys[c], q);
            vm_component alt[2] = {comps[0], comps[1]};
            evalctx y = {.a = x.a, .v = x.v};
            set(&y, as);
            for (int i = 0; i < 2; i++)
                if (!((alt[i].own >> (VM_F_PRIORITIES_WORKLOAD + c)) & 1u)) {
                    evalctx z = {.a = x.a, .v = alt[i].values};
                    set(&z, as);
                    alt[i].values = z.v;
                }
            vm_profile ap = {.file = "t.yaml", .line = 1, .values = y.v, .components = alt, .ncomponents = 2};
            vm_report ar;
            assert_int_equal(vm_report_build(x.a, e, &ap, 0, &ar), VM_OK);
            const vm_sensitivity *s = &rep.main.sensitivity[c];
            assert_int_equal(ar.paradigm, s->paradigm[q]);
            assert_int_equal(ar.platform, s->platform[q]);
            assert_int_equal(ar.container_platform, s->container_platform[q]);
            assert_int_equal(ar.sys.extra_platform, s->extra_platform[q]);
        }
    vm_arena_free(x.a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

static void unknown_fields_make_leaves_false(void **state)
{
    (void)state;
    vm_ruleset *rs = user_set(
        HDR RULE("team.ne", "team") "    when: {field: team.linux, op: ne, value: none}\n    scores: {vm: 1}\n"
        RULE("team.notin", "team") "    when: {field: team.linux, op: not_in, value: [none]}\n    scores: {vm: 1}\n"
        RULE("team.lt", "team") "    when: {field: team.linux, op: lt, value: advanced}\n    scores: {vm: 1}\n"
        RULE("team.known", "team") "    when: {field: team.linux, op: known}\n    scores: {vm: 1}\n"
        RULE("team.unknown", "team") "    when: {field: team.linux, op: unknown}\n    scores: {vm: 1}\n"
        RULE("team.not-eq", "team") "    when: {not: {field: team.linux, op: eq, value: none}}\n    scores: {vm: 1}\n"
        RULE("isolation.contains", "isolation")
        "    when: {field: isolation.compliance, op: contains, value: pci-dss}\n    scores: {vm: 1}\n"
        RULE("isolation.no-list", "isolation") "    when: {field: isolation.compliance, op: unknown}\n"
        "    scores: {vm: 1}\n");
    vm_engine *e = vm_engine_new(rs);
    evalctx x = {.a = vm_arena_new()};
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_false(fired(&x, rs, "team.ne"));
    assert_false(fired(&x, rs, "team.notin"));
    assert_false(fired(&x, rs, "team.lt"));
    assert_false(fired(&x, rs, "team.known"));
    assert_true(fired(&x, rs, "team.unknown"));
    assert_true(fired(&x, rs, "team.not-eq")); /* not of a false leaf */
    assert_false(fired(&x, rs, "isolation.contains"));
    assert_true(fired(&x, rs, "isolation.no-list"));
    /* an empty list counts as unknown */
    set(&x, "isolation.compliance=[]");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fired(&x, rs, "isolation.no-list"));
    set(&x, "team.linux=basic");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fired(&x, rs, "team.ne"));
    assert_true(fired(&x, rs, "team.notin"));
    assert_true(fired(&x, rs, "team.lt"));
    assert_true(fired(&x, rs, "team.known"));
    assert_false(fired(&x, rs, "team.unknown"));
    vm_arena_free(x.a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

static void ordered_comparisons(void **state)
{
    (void)state;
    /* documented order, ascending: yearly < quarterly < monthly < weekly < daily < on-demand */
    vm_ruleset *rs = user_set(HDR RULE("delivery.gte-weekly", "delivery")
                              "    when: {field: delivery.release_frequency, op: gte, value: weekly}\n"
                              "    scores: {container: 1}\n" RULE("delivery.lt-monthly", "delivery")
                              "    when: {field: delivery.release_frequency, op: lt, value: monthly}\n"
                              "    scores: {vm: 1}\n" RULE("operations.gt-10", "operations")
                              "    when: {field: operations.instances, op: gt, value: 10}\n    scores: {vm: 1}\n"
                              RULE("team.lte-basic", "team")
                              "    when: {field: team.kubernetes, op: lte, value: basic}\n    scores: {vm: 1}\n");
    vm_engine *e = vm_engine_new(rs);
    evalctx x = {.a = vm_arena_new()};
    static const struct {
        const char *value;
        bool gte_weekly, lt_monthly;
    } freq[] = {{"yearly", false, true}, {"quarterly", false, true}, {"monthly", false, false},
                {"weekly", true, false}, {"daily", true, false},     {"on-demand", true, false}};
    for (size_t i = 0; i < sizeof freq / sizeof *freq; i++) {
        char a[80];
        snprintf(a, sizeof a, "delivery.release_frequency=%s", freq[i].value);
        set(&x, a);
        vm_engine_eval(e, &x.v, &x.res, x.fired);
        assert_int_equal(fired(&x, rs, "delivery.gte-weekly"), freq[i].gte_weekly);
        assert_int_equal(fired(&x, rs, "delivery.lt-monthly"), freq[i].lt_monthly);
    }
    set(&x, "operations.instances=10");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_false(fired(&x, rs, "operations.gt-10"));
    set(&x, "operations.instances=11");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fired(&x, rs, "operations.gt-10"));
    /* none < basic < advanced */
    set(&x, "team.kubernetes=basic");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fired(&x, rs, "team.lte-basic"));
    set(&x, "team.kubernetes=advanced");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_false(fired(&x, rs, "team.lte-basic"));
    vm_arena_free(x.a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

/* Every leaf operator on a bool, an unordered and an ordered enum, alone (the
 * engine's one-mask fast path), under `not` (folded into a mask), beside an
 * integer leaf in `all` (a compiled program) and in an `any` of masks,
 * against the documented meaning, for every value and for unknown. */
static bool leaf_truth(const vm_field_def *f, const char *op, int v, int w, int x)
{
    /* x: value index or -1 (unknown); v: operand index; w: second `in` value */
    if (strcmp(op, "unknown") == 0)
        return x < 0;
    if (x < 0)
        return false;
    int rx = f->rank ? f->rank[x] : x, rv = f->rank ? f->rank[v] : v;
    if (strcmp(op, "known") == 0) return true;
    if (strcmp(op, "eq") == 0) return x == v;
    if (strcmp(op, "ne") == 0) return x != v;
    if (strcmp(op, "in") == 0) return x == v || x == w;
    if (strcmp(op, "not_in") == 0) return x != v && x != w;
    if (strcmp(op, "gt") == 0) return rx > rv;
    if (strcmp(op, "gte") == 0) return rx >= rv;
    if (strcmp(op, "lt") == 0) return rx < rv;
    return rx <= rv; /* lte */
}

static void every_leaf_op_matches_its_definition(void **state)
{
    (void)state;
    static const char *const fields[] = {"workload.custom_kernel", "workload.architecture", "team.linux"};
    static const char *const ops[] = {"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "known", "unknown"};
    static const char *const bools[] = {"false", "true"};
    int checked = 0;
    for (size_t fi = 0; fi < sizeof fields / sizeof *fields; fi++) {
        int fid = vm_field_find(fields[fi], strlen(fields[fi]));
        assert_true(fid >= 0);
        const vm_field_def *f = vm_field(fid);
        bool isbool = f->type == VM_T_BOOL;
        int n = isbool ? 2 : f->nvalues;
        const char *sec = fi == 2 ? "team" : "workload";
        vm_buf text;
        vm_buf_init(&text);
        vm_buf_puts(&text, HDR);
        int nrules = 0;
        for (size_t oi = 0; oi < sizeof ops / sizeof *ops; oi++) {
            bool set_op = oi == 2 || oi == 3, ordered = oi >= 4 && oi <= 7, arity0 = oi >= 8;
            if ((isbool && (set_op || ordered)) || (ordered && !f->rank))
                continue;
            for (int v = 0; v < (arity0 ? 1 : n); v++) {
                const char *val = isbool ? bools[v] : f->values[v];
                const char *val2 = isbool ? bools[(v + 1) % n] : f->values[(v + 1) % n];
                char leaf[200];
                if (arity0)
                    snprintf(leaf, sizeof leaf, "{field: %s, op: %s}", fields[fi], ops[oi]);
                else if (set_op)
                    snprintf(leaf, sizeof leaf, "{field: %s, op: %s, value: [%s, %s]}", fields[fi], ops[oi], val, val2);
                else
                    snprintf(leaf, sizeof leaf, "{field: %s, op: %s, value: %s}", fields[fi], ops[oi], val);
                /* three shapes: alone, negated, beside an integer leaf that holds */
                vm_buf_printf(&text, "  - id: %s.r%d\n    title: T\n    category: %s\n    reference: R\n"
                              "    rationale: Why.\n    when: %s\n    scores: {vm: 1}\n", sec, nrules++, sec, leaf);
                vm_buf_printf(&text, "  - id: %s.r%d\n    title: T\n    category: %s\n    reference: R\n"
                              "    rationale: Why.\n    when: {not: %s}\n    scores: {vm: 1}\n", sec, nrules++, sec,
                              leaf);
                vm_buf_printf(&text, "  - id: %s.r%d\n    title: T\n    category: %s\n    reference: R\n"
                              "    rationale: Why.\n    when: {all: [{field: operations.instances, op: gt, "
                              "value: 1}, %s]}\n    scores: {vm: 1}\n", sec, nrules++, sec, leaf);
                /* and beside a leaf that is false (team.windows is never set) */
                vm_buf_printf(&text, "  - id: %s.r%d\n    title: T\n    category: %s\n    reference: R\n"
                              "    rationale: Why.\n    when: {any: [{field: team.windows, op: known}, %s]}\n"
                              "    scores: {vm: 1}\n", sec, nrules++, sec, leaf);
            }
        }
        vm_ruleset *rs = user_set(text.data);
        vm_buf_free(&text);
        vm_engine *e = vm_engine_new(rs);
        evalctx x = {.a = vm_arena_new()};
        for (int xv = -1; xv < n; xv++) {
            memset(&x.v, 0, sizeof x.v);
            set(&x, "operations.instances=5");
            if (xv >= 0) {
                char a[120];
                snprintf(a, sizeof a, "%s=%s", fields[fi], isbool ? bools[xv] : f->values[xv]);
                set(&x, a);
            }
            vm_engine_eval(e, &x.v, &x.res, x.fired);
            int r = 0;
            for (size_t oi = 0; oi < sizeof ops / sizeof *ops; oi++) {
                bool set_op = oi == 2 || oi == 3, ordered = oi >= 4 && oi <= 7, arity0 = oi >= 8;
                if ((isbool && (set_op || ordered)) || (ordered && !f->rank))
                    continue;
                for (int v = 0; v < (arity0 ? 1 : n); v++) {
                    bool want = leaf_truth(f, ops[oi], v, (v + 1) % n, xv);
                    char id[4][40];
                    for (int k = 0; k < 4; k++)
                        snprintf(id[k], sizeof id[k], "%s.r%d", sec, r + k);
                    if (fired(&x, rs, id[0]) != want || fired(&x, rs, id[1]) == want || fired(&x, rs, id[2]) != want ||
                        fired(&x, rs, id[3]) != want)
                        fail_msg("%s %s operand %d, value %d: expected %d", fields[fi], ops[oi], v, xv, want);
                    r += 4;
                    checked++;
                }
            }
        }
        vm_arena_free(x.a);
        vm_engine_free(e);
        vm_ruleset_free(rs);
    }
    print_message("  %d leaf evaluations checked\n", checked);
    assert_true(checked > 100);
}

static void contains_is_case_insensitive(void **state)
{
    (void)state;
    vm_ruleset *rs = user_set(HDR RULE("isolation.pci", "isolation")
                              "    when: {field: isolation.compliance, op: contains, value: PCI-DSS}\n"
                              "    scores: {vm: 1}\n" RULE("economics.rh", "economics")
                              "    when: {field: economics.licenses, op: contains, value: red-hat}\n"
                              "    scores: {kvm-ovirt: 1}\n");
    vm_engine *e = vm_engine_new(rs);
    evalctx x = {.a = vm_arena_new()};
    set(&x, "isolation.compliance=[hipaa, pci-dss]");
    set(&x, "economics.licenses=[vmware, red-hat]");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fired(&x, rs, "isolation.pci"));
    assert_true(fired(&x, rs, "economics.rh"));
    set(&x, "isolation.compliance=[pci]");
    set(&x, "economics.licenses=[suse]");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_false(fired(&x, rs, "isolation.pci"));
    assert_false(fired(&x, rs, "economics.rh"));
    vm_arena_free(x.a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

static void priorities_and_excludes(void **state)
{
    (void)state;
    vm_ruleset *rs = user_set(HDR RULE("delivery.fast", "delivery")
                              "    when: {field: delivery.ci_cd, op: eq, value: advanced}\n"
                              "    scores: {container: 6}\n    excludes: [vm]\n" RULE("team.k8s", "team")
                              "    when: {field: team.kubernetes, op: eq, value: advanced}\n"
                              "    scores: {container: 3, microvm: 3}\n");
    vm_engine *e = vm_engine_new(rs);
    evalctx x = {.a = vm_arena_new()};
    set(&x, "delivery.ci_cd=advanced");
    set(&x, "team.kubernetes=advanced");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fabs(x.res.score[VM_T_CONTAINER] - 9.0) < 1e-9); /* default priority 3: factor 1 */
    /* weight x priority / 3 */
    set(&x, "priorities.team=5");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fabs(x.res.score[VM_T_CONTAINER] - 11.0) < 1e-9);
    assert_true(fabs(x.res.score[VM_T_MICROVM] - 5.0) < 1e-9);
    /* priority 0 switches scoring off, the rule still fires and still excludes */
    set(&x, "priorities.delivery=0");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fired(&x, rs, "delivery.fast"));
    assert_true(fabs(x.res.score[VM_T_CONTAINER] - 5.0) < 1e-9);
    assert_true((x.res.excluded >> VM_T_VM) & 1u);
    assert_int_not_equal(x.res.paradigm, VM_T_VM);
    vm_arena_free(x.a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

/* Multiplying every priority by the same number leaves the confidence
 * (and the verdict) where it was (docs/rules.md "Confidence"). */
static void confidence_scale_invariant(void **state)
{
    (void)state;
    vm_ruleset *rs = builtin_set();
    vm_engine *e = vm_engine_new(rs);
    static const char *const base[] = {"workload.architecture=microservices", "workload.lifecycle=legacy",
                                       "delivery.release_frequency=daily", "team.culture=traditional",
                                       "economics.budget=constrained", "operations.availability=critical",
                                       "strategy.current_platform=vmware-esxi"};
    static const char *const cats[] = {"workload", "isolation", "economics", "delivery", "team", "strategy",
                                       "operations"};
    double conf[3];
    int paradigm[3];
    for (int k = 0; k < 3; k++) {
        evalctx x = {.a = vm_arena_new()};
        for (size_t i = 0; i < sizeof base / sizeof *base; i++)
            set(&x, base[i]);
        for (int c = 0; c < 7; c++) {
            char a[64];
            snprintf(a, sizeof a, "priorities.%s=%d", cats[c], 1 + 2 * k); /* all 1, all 3, all 5 */
            set(&x, a);
        }
        vm_engine_eval(e, &x.v, &x.res, x.fired);
        conf[k] = x.res.confidence;
        paradigm[k] = x.res.paradigm;
        vm_arena_free(x.a);
    }
    assert_true(conf[0] > 0 && conf[0] < 1);
    for (int k = 1; k < 3; k++) {
        assert_int_equal(paradigm[k], paradigm[0]);
        assert_true(fabs(conf[k] - conf[0]) < 1e-9);
    }
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

static vm_result part(int paradigm, int platform, int cplat, uint16_t tied, double conf)
{
    vm_result r;
    memset(&r, 0, sizeof r);
    r.paradigm = paradigm;
    r.platform = platform;
    r.container_platform = cplat;
    r.platform_tied = tied;
    r.confidence = conf;
    r.platform_confidence = tied ? 0 : 0.5;
    return r;
}

/* spec "How a system is composed": a platform per kind of workload, chosen
 * by the components of that kind; no sibling's blocker or score leaks in. */
static void system_composition(void **state)
{
    (void)state;
    vm_system s;
    /* a micro-VM sandbox and a container tier: both stay visible */
    vm_result a = part(VM_T_MICROVM, VM_T_FIRECRACKER, -1, 0, 0.7);
    vm_result b = part(VM_T_CONTAINER, VM_T_KUBERNETES, -1, 0, 0.6);
    a.score[VM_T_VMWARE_ESXI] = 9; /* a VM platform no component runs is never named */
    const vm_result *ab[] = {&a, &b};
    vm_system_compose(ab, 2, &s);
    assert_int_equal(s.paradigm, VM_T_HYBRID);
    assert_int_equal(s.platforms[VM_T_MICROVM], VM_T_FIRECRACKER);
    assert_int_equal(s.platforms[VM_T_CONTAINER], VM_T_KUBERNETES);
    assert_int_equal(s.platforms[VM_T_VM], -1);
    assert_int_equal(s.platform, VM_T_FIRECRACKER);
    assert_int_equal(s.container_platform, VM_T_KUBERNETES);
    assert_true(fabs(s.confidence - 0.6) < 1e-9);
    /* VMs and micro-VMs: the micro-VM platform is the extra one */
    vm_result c = part(VM_T_VM, VM_T_KVM_OVIRT, -1, 0, 0.9);
    const vm_result *ac[] = {&c, &a};
    vm_system_compose(ac, 2, &s);
    assert_int_equal(s.platform, VM_T_KVM_OVIRT);
    assert_int_equal(s.container_platform, -1);
    assert_int_equal(s.extra_platform, VM_T_FIRECRACKER);
    /* majority within a kind; a hybrid component counts as VMs + containers */
    vm_result h = part(VM_T_HYBRID, VM_T_VMWARE_ESXI, VM_T_KUBERNETES, 0, 0.5);
    vm_result d = part(VM_T_VM, VM_T_VMWARE_ESXI, -1, 0, 0.5);
    const vm_result *chd[] = {&c, &h, &d};
    vm_system_compose(chd, 3, &s);
    assert_int_equal(s.paradigm, VM_T_HYBRID);
    assert_int_equal(s.platform, VM_T_VMWARE_ESXI);
    assert_int_equal(s.container_platform, VM_T_KUBERNETES);
    assert_int_equal(s.platform_tied, 0);
    /* one vote each, equal summed scores: a tie, reported */
    const vm_result *cd[] = {&c, &d};
    vm_system_compose(cd, 2, &s);
    assert_int_equal(s.paradigm, VM_T_VM);
    assert_int_equal(s.platform, VM_T_VMWARE_ESXI);
    assert_int_equal(s.platform_tied, (1u << VM_T_VMWARE_ESXI) | (1u << VM_T_KVM_OVIRT));
    /* summed scores break it */
    c.score[VM_T_KVM_OVIRT] = 2;
    vm_system_compose(cd, 2, &s);
    assert_int_equal(s.platform, VM_T_KVM_OVIRT);
    assert_int_equal(s.platform_tied, 0);
    /* a component that chose its platform on a tie passes the tie on */
    vm_result t = part(VM_T_VM, VM_T_VMWARE_ESXI, -1, (1u << VM_T_VMWARE_ESXI) | (1u << VM_T_HYPER_V), 0.4);
    const vm_result *tt[] = {&t};
    vm_system_compose(tt, 1, &s);
    assert_int_equal(s.platform_tied, (1u << VM_T_VMWARE_ESXI) | (1u << VM_T_HYPER_V));
    assert_false(s.by_votes);
    /* ... but casts no vote: beside one component on kvm-ovirt (chosen on
     * evidence) the system is on kvm-ovirt, not an esxi 'majority' of a
     * fixed-order pick and a real one (c2 and d: one vote each) */
    vm_result c2 = part(VM_T_VM, VM_T_KVM_OVIRT, -1, 0, 0.9);
    c2.score[VM_T_KVM_OVIRT] = 5;
    const vm_result *tc[] = {&t, &c2};
    vm_system_compose(tc, 2, &s);
    assert_int_equal(s.platform, VM_T_KVM_OVIRT);
    assert_int_equal(s.platform_tied, 0);
    const vm_result *tdc[] = {&t, &d, &c2};
    vm_system_compose(tdc, 3, &s);
    assert_int_equal(s.platform, VM_T_KVM_OVIRT); /* 1:1, summed scores */
    /* every component tied: the summed scores among their tied platforms */
    vm_result t2 = part(VM_T_VM, VM_T_VMWARE_ESXI, -1, (1u << VM_T_VMWARE_ESXI) | (1u << VM_T_HYPER_V), 0.4);
    const vm_result *t12[] = {&t, &t2};
    vm_system_compose(t12, 2, &s);
    assert_int_equal(s.platform, VM_T_VMWARE_ESXI);
    assert_int_equal(s.platform_tied, (1u << VM_T_VMWARE_ESXI) | (1u << VM_T_HYPER_V));
    t2.score[VM_T_HYPER_V] = 1;
    vm_system_compose(t12, 2, &s);
    assert_int_equal(s.platform, VM_T_HYPER_V);
    assert_int_equal(s.platform_tied, 0);
    /* a component with no paradigm leaves the system without one */
    vm_result n = part(-1, -1, -1, 0, 0);
    const vm_result *cn[] = {&c, &n};
    vm_system_compose(cn, 2, &s);
    assert_int_equal(s.paradigm, -1);
    assert_int_equal(s.platform, -1);
}

/* A component's blockers bind it, and the system's platform of a kind is
 * where every component of that kind runs: a platform that one of them
 * excludes is not chosen, nor named in a tie, while the components chose
 * one that none of them excludes (on-prem proxmox-ve and a public-cloud
 * part whose blocker excludes on-prem hypervisors: cloud-vm). */
static void system_avoids_excluded_platforms(void **state)
{
    (void)state;
    vm_system s;
    vm_result onprem = part(VM_T_VM, VM_T_PROXMOX_VE, -1, 0, 0.8);
    onprem.score[VM_T_PROXMOX_VE] = 9; /* the larger summed score */
    vm_result cloud = part(VM_T_VM, VM_T_CLOUD_VM, -1, 0, 0.7);
    cloud.score[VM_T_CLOUD_VM] = 3;
    cloud.excluded = (1u << VM_T_VMWARE_ESXI) | (1u << VM_T_HYPER_V) | (1u << VM_T_KVM_OVIRT) | (1u << VM_T_PROXMOX_VE);
    const vm_result *oc[] = {&onprem, &cloud};
    vm_system_compose(oc, 2, &s);
    assert_int_equal(s.platform, VM_T_CLOUD_VM);
    assert_int_equal(s.platform_tied, 0);
    /* two on-prem votes to one: still not where the cloud part cannot run */
    const vm_result *ooc[] = {&onprem, &onprem, &cloud};
    vm_system_compose(ooc, 3, &s);
    assert_int_equal(s.platform, VM_T_CLOUD_VM);
    /* a container part's exclusions do not bind the VM parts */
    vm_result ct = part(VM_T_CONTAINER, VM_T_KUBERNETES, -1, 0, 0.7);
    ct.excluded = (1u << VM_T_PROXMOX_VE) | (1u << VM_T_DOCKER);
    const vm_result *oct[] = {&onprem, &ct};
    vm_system_compose(oct, 2, &s);
    assert_int_equal(s.platforms[VM_T_VM], VM_T_PROXMOX_VE);
    /* nothing every part can run on: the votes decide as before */
    vm_result onprem2 = onprem;
    onprem2.excluded = 1u << VM_T_CLOUD_VM;
    const vm_result *o2c[] = {&onprem2, &onprem2, &cloud};
    vm_system_compose(o2c, 3, &s);
    assert_int_equal(s.platform, VM_T_PROXMOX_VE);

    /* generated parts: the chosen platform of each kind is one its parts
     * chose (on evidence, else among their ties), and neither it nor a
     * platform tied with it is excluded by a part of that kind while the
     * parts chose one that none of them excludes */
    uint64_t seed = 0x2545f4914f6cdd1du;
    unsigned checked = 0, avoided = 0, past_votes = 0;
    for (int k = 0; k < 20000; k++) {
        vm_result parts[4];
        const vm_result *ptrs[4];
        int n = 1 + (int)(rng_next(&seed) % 4);
        for (int i = 0; i < n; i++) {
            int para = (int)(rng_next(&seed) % VM_PARADIGM_COUNT);
            int fams[2] = {para == VM_T_HYBRID ? VM_T_VM : para, para == VM_T_HYBRID ? VM_T_CONTAINER : -1};
            int plat[2] = {-1, -1};
            uint16_t excl = 0, tied = 0;
            vm_result *r = &parts[i];
            memset(r, 0, sizeof *r);
            for (int f = 0; f < 2 && fams[f] >= 0; f++) {
                int lo, hi;
                vm_family_range(fams[f], &lo, &hi);
                for (int t = lo; t <= hi; t++) {
                    if (rng_next(&seed) % 4 == 0)
                        excl |= (uint16_t)(1u << t);
                    r->score[t] = (double)(rng_next(&seed) % 4);
                }
                plat[f] = lo + (int)(rng_next(&seed) % (uint64_t)(hi - lo + 1));
                excl &= (uint16_t)~(1u << plat[f]); /* a part never chooses what it excludes */
                if (f == 0 && rng_next(&seed) % 3 == 0) {
                    tied = (uint16_t)(1u << plat[f]);
                    for (int t = lo; t <= hi; t++)
                        if (!((excl >> t) & 1u) && rng_next(&seed) % 2)
                            tied |= (uint16_t)(1u << t);
                    if (tied == (uint16_t)(1u << plat[f]))
                        tied = 0;
                }
            }
            *r = part(para, plat[0], plat[1], tied, 0.5);
            r->excluded = excl;
            ptrs[i] = r;
        }
        vm_system_compose(ptrs, (uint32_t)n, &s);
        static const int kinds[3] = {VM_T_VM, VM_T_CONTAINER, VM_T_MICROVM};
        for (int q = 0; q < 3; q++) {
            int fam = kinds[q], lo, hi;
            vm_family_range(fam, &lo, &hi);
            uint16_t range = 0, voted = 0, pool = 0, banned = 0;
            for (int t = lo; t <= hi; t++)
                range |= (uint16_t)(1u << t);
            bool present = false;
            for (int i = 0; i < n; i++) {
                const vm_result *r = ptrs[i];
                int pl = -1;
                if (r->paradigm == fam || (r->paradigm == VM_T_HYBRID && (fam == VM_T_VM || fam == VM_T_CONTAINER)))
                    pl = fam == VM_T_CONTAINER && r->paradigm == VM_T_HYBRID ? r->container_platform : r->platform;
                else
                    continue;
                present = true;
                banned |= r->excluded & range;
                uint16_t ties = fam == VM_T_CONTAINER && r->paradigm == VM_T_HYBRID ? 0 : r->platform_tied;
                if (ties & (1u << pl))
                    pool |= ties;
                else
                    voted |= (uint16_t)(1u << pl);
            }
            int got = s.platforms[fam];
            if (!present) {
                assert_int_equal(got, -1);
                continue;
            }
            /* a platform no part of the kind excludes: one voted for if
             * any, else one a tied part had; only when there is none, the
             * votes (else the ties) as if nothing were excluded */
            uint16_t ok = (uint16_t)~banned;
            uint16_t from = voted & ok ? voted & ok : pool & ok ? pool & ok : voted ? voted : pool;
            assert_true(got >= 0 && ((from >> got) & 1u));
            checked++;
            if ((voted | pool) & ok) {
                assert_false((banned >> got) & 1u);
                assert_int_equal(s.platform_tied & range & banned, 0);
                avoided += ((voted | pool) & banned) != 0;
                past_votes += voted && !(voted & ok);
            }
        }
    }
    assert_true(checked > 10000);
    assert_true(avoided > 1000); /* the generator makes the case often */
    assert_true(past_votes > 20);  /* every vote banned, a tied part's platform free */
}

static void tie_break_and_confidence(void **state)
{
    (void)state;
    vm_result r;
    /* all zero: vm, container, microvm, hybrid */
    memset(&r, 0, sizeof r);
    vm_result_decide(&r);
    assert_int_equal(r.paradigm, VM_T_VM);
    assert_int_equal(r.runner_up, VM_T_CONTAINER);
    r.excluded = 1u << VM_T_VM;
    vm_result_decide(&r);
    assert_int_equal(r.paradigm, VM_T_CONTAINER);
    assert_int_equal(r.runner_up, VM_T_MICROVM);
    r.excluded |= 1u << VM_T_CONTAINER;
    r.score[VM_T_MICROVM] = r.score[VM_T_HYBRID] = 2;
    vm_result_decide(&r);
    assert_int_equal(r.paradigm, VM_T_MICROVM);
    assert_int_equal(r.runner_up, VM_T_HYBRID);
    /* every paradigm ruled out: none */
    r.excluded = 0xF;
    vm_result_decide(&r);
    assert_int_equal(r.paradigm, -1);
    assert_int_equal(r.platform, -1);
    /* confidence = margin / (margin + 5) */
    memset(&r, 0, sizeof r);
    r.score[VM_T_VM] = 3;
    r.score[VM_T_CONTAINER] = 1;
    r.score[VM_T_HYBRID] = -4;
    vm_result_decide(&r);
    assert_int_equal(r.paradigm, VM_T_VM);
    assert_true(fabs(r.margin - 2.0) < 1e-9);
    assert_true(fabs(r.confidence - 2.0 / 7.0) < 1e-9);
    r.score[VM_T_CONTAINER] = 3;
    vm_result_decide(&r);
    assert_int_equal(r.paradigm, VM_T_VM); /* tie: vm first */
    assert_true(fabs(r.confidence) < 1e-9);
    /* platform ties in platform id order within the family, and reported */
    assert_int_equal(r.platform, VM_T_VMWARE_ESXI);
    assert_int_equal(r.platform_tied, (1u << VM_T_VMWARE_ESXI) | (1u << VM_T_HYPER_V) | (1u << VM_T_KVM_OVIRT) |
                                          (1u << VM_T_PROXMOX_VE) | (1u << VM_T_CLOUD_VM));
    assert_true(fabs(r.platform_confidence) < 1e-9);
    r.score[VM_T_KVM_OVIRT] = 2;
    r.score[VM_T_HYPER_V] = 1;
    vm_result_decide(&r);
    assert_int_equal(r.platform, VM_T_KVM_OVIRT);
    assert_int_equal(r.platform_tied, 0);
    assert_true(fabs(r.platform_margin - 1.0) < 1e-9);
    assert_true(fabs(r.platform_confidence - 1.0 / 6.0) < 1e-9);
    /* confidence does not move when every score and the scale double */
    memset(&r, 0, sizeof r);
    r.score[VM_T_VM] = 3;
    r.score[VM_T_CONTAINER] = 1;
    r.scale = 1;
    vm_result_decide(&r);
    double c1 = r.confidence;
    r.score[VM_T_VM] = 6;
    r.score[VM_T_CONTAINER] = 2;
    r.scale = 2;
    vm_result_decide(&r);
    assert_true(fabs(r.confidence - c1) < 1e-12);
}

static void user_rule_overrides_builtin(void **state)
{
    (void)state;
    vm_ruleset *rs = builtin_set();
    size_t n = vm_ruleset_count(rs);
    const vm_rule *old = vm_ruleset_find(rs, "delivery.frequent-releases");
    assert_non_null(old);
    assert_true(old->builtin);
    assert_int_equal(add_text(rs,
                              HDR RULE("delivery.frequent-releases", "delivery")
                              "    when: {field: delivery.release_frequency, op: eq, value: yearly}\n"
                              "    scores: {vm: 7}\n",
                              false),
                     VM_OK);
    finish(rs);
    assert_int_equal(vm_ruleset_count(rs), n); /* replaced, not added */
    const vm_rule *r = vm_ruleset_find(rs, "delivery.frequent-releases");
    assert_false(r->builtin);
    assert_string_equal(r->file, "t.yaml");
    assert_true(fabs(r->scores[VM_T_VM] - 7) < 1e-9);
    assert_true(r->scores[VM_T_CONTAINER] == 0);
    vm_engine *e = vm_engine_new(rs);
    evalctx x = {.a = vm_arena_new()};
    set(&x, "delivery.release_frequency=daily");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_false(fired(&x, rs, "delivery.frequent-releases"));
    set(&x, "delivery.release_frequency=yearly");
    vm_engine_eval(e, &x.v, &x.res, x.fired);
    assert_true(fired(&x, rs, "delivery.frequent-releases"));
    /* a second user rule with the same id is an error (same layer) */
    assert_int_equal(add_text(rs,
                              HDR RULE("delivery.frequent-releases", "delivery") "    scores: {vm: 1}\n", false),
                     VM_ERULES);
    assert_non_null(strstr(D.items[0].message, "duplicate rule id 'delivery.frequent-releases'"));
    vm_arena_free(x.a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

/* Every acceptance profile: unknowns are absent fields; each
 * counterfactual, applied with vm_values_set_text, changes the paradigm to
 * the one it names. */
static void unknowns_and_counterfactuals(void **state)
{
    (void)state;
    vm_ruleset *rs = finish(builtin_set());
    vm_engine *e = vm_engine_new(rs);
    vm_arena *a = vm_arena_new();
    static const char *const files[] = {
        "nodejs-microservices.yaml", "legacy-dotnet-windows.yaml", "untrusted-tenant-code.yaml",
        "small-budget-linux.yaml",   "sparse-legacy.yaml",         "sparse-microservices.yaml",
        "gpu-model-training.yaml",   "org-not-ready.yaml",         "regulated-health-records.yaml",
        "serverless-functions.yaml", "multi-cloud-portability.yaml"};
    int ncf = 0, nunk = 0;
    for (size_t fi = 0; fi < sizeof files / sizeof *files; fi++) {
        char err[256];
        vm_source *src = fixture_acceptance(files[fi]);
        vm_doc doc;
        assert_int_equal(vm_source_next(src, &doc, err, sizeof err), 1);
        vm_profile p;
        bool empty = false;
        vm_arena_reset(a);
        vm_diags_clear(&D);
        assert_int_equal(vm_profile_parse(a, files[fi], &doc, &p, &empty, &D), VM_OK);
        vm_result base;
        vm_engine_eval(e, &p.values, &base, NULL);
        vm_variation u[16], cf[16];
        size_t nu = vm_engine_unknowns(e, &p.values, &base, u, 16);
        for (size_t i = 0; i < nu; i++) {
            assert_false(p.values.v[u[i].field].set);
            assert_true(u[i].swing > 0);
            if (i)
                assert_true(u[i - 1].flips > u[i].flips ||
                            (u[i - 1].flips == u[i].flips && u[i - 1].swing >= u[i].swing - 1e-9));
        }
        nunk += (int)nu;
        /* counterfactuals use the fired state of the last eval on these values */
        vm_engine_eval(e, &p.values, &base, NULL);
        size_t nc = vm_engine_counterfactuals(e, &p.values, &base, cf, 16);
        for (size_t i = 0; i < nc; i++) {
            const vm_field_def *f = vm_field(cf[i].field);
            char vb[256], assign[400];
            snprintf(assign, sizeof assign, "%s=%s", f->path, vm_value_text(f, &cf[i].value, vb, sizeof vb));
            vm_values alt = p.values;
            if (vm_values_set_text(a, &alt, assign, NULL, err, sizeof err) != VM_OK)
                fail_msg("%s: %s: %s", files[fi], assign, err);
            vm_result r;
            vm_engine_eval(e, &alt, &r, NULL);
            if (r.paradigm == base.paradigm || r.paradigm != cf[i].paradigm)
                fail_msg("%s: counterfactual %s should give %s, gives %s (base %s)", files[fi], assign,
                         vm_target_name(cf[i].paradigm), vm_target_name(r.paradigm), vm_target_name(base.paradigm));
            assert_int_equal(r.platform, cf[i].platform);
            ncf++;
        }
        vm_source_free(src);
    }
    print_message("  %d unknowns and %d counterfactuals checked\n", nunk, ncf);
    assert_true(ncf > 0);
    assert_true(nunk > 0);
    vm_arena_free(a);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

static void lint_warnings(void **state)
{
    (void)state;
    vm_ruleset *rs = user_set(HDR RULE("delivery.never", "delivery")
                              "    when:\n      all:\n"
                              "        - {field: delivery.release_frequency, op: eq, value: daily}\n"
                              "        - {field: delivery.release_frequency, op: eq, value: quarterly}\n"
                              "    scores: {container: 1}\n" RULE("delivery.fine", "delivery")
                              "    when:\n      all:\n"
                              "        - {field: delivery.release_frequency, op: gte, value: weekly}\n"
                              "        - {field: delivery.release_frequency, op: ne, value: on-demand}\n"
                              "    scores: {container: 1}\n" RULE("delivery.noop", "delivery")
                              "    when: {field: delivery.ci_cd, op: eq, value: none}\n");
    vm_diags_clear(&D);
    vm_ruleset_lint(rs, &D);
    assert_int_equal(D.errors, 0);
    /* 2 rule findings, then the 3 cases of the isolation invariant this set
     * (which has no isolation rule) breaks */
    assert_int_equal(D.count, 5);
    for (size_t i = 2; i < 5; i++)
        assert_non_null(strstr(D.items[i].message, "isolation invariant"));
    assert_int_equal(D.items[0].severity, VM_SEV_WARNING);
    assert_int_equal(D.items[0].line, 4);
    assert_string_equal(D.items[0].path, "delivery.never");
    assert_non_null(strstr(D.items[0].message, "condition can never hold"));
    assert_string_equal(D.items[1].path, "delivery.noop");
    assert_non_null(strstr(D.items[1].message, "rule has no effect"));
    vm_ruleset_free(rs);
    /* the built-in catalogue is lint-clean */
    rs = finish(builtin_set());
    vm_diags_clear(&D);
    vm_ruleset_lint(rs, &D);
    if (D.count)
        dump_diags(&D);
    assert_int_equal(D.count, 0);
    vm_ruleset_free(rs);
}

/* A field whose rules name more values than the questions try: the
 * warning stands at the first rule whose value is left out (33 strings:
 * the 33rd rule), or at no rule when only the questions' own "other"
 * string is (exactly 32). */
static void lint_candidates_cut(void **state)
{
    (void)state;
    for (int nrules = 32; nrules <= 33; nrules++) {
        vm_buf b;
        vm_buf_init(&b);
        vm_buf_puts(&b, HDR);
        for (int i = 0; i < nrules; i++)
            vm_buf_printf(&b, RULE("isolation.r%02d", "isolation")
                          "    when: {field: isolation.compliance, op: contains, value: reg-%02d}\n"
                          "    scores: {vm: 1}\n", i, i);
        assert_false(b.oom);
        vm_ruleset *rs = user_set(b.data);
        vm_diags_clear(&D);
        vm_ruleset_lint(rs, &D);
        const vm_diag *cut = NULL;
        for (size_t i = 0; i < D.count; i++)
            if (strstr(D.items[i].message, "spec.isolation.compliance: the rules test more values than the 32"))
                cut = &D.items[i];
        assert_non_null(cut);
        if (nrules == 33) {
            assert_string_equal(cut->path, "isolation.r32");
            assert_int_equal(cut->line, 4 + 7 * 32);
            assert_non_null(strstr(cut->message, "(from this rule on)"));
        } else {
            assert_string_equal(cut->file, "<rules>");
            assert_null(strstr(cut->message, "(from this rule on)"));
        }
        vm_ruleset_free(rs);
        vm_buf_free(&b);
    }
}

/* The isolation invariant (rules_invariant.c): a user set that lets
 * untrusted code, multi-tenant segregation or strict segregation reach a
 * shared kernel gets a warning per case; one that excludes the shared-kernel
 * paradigms in every case (whatever else the profile says) gets none. */
static size_t invariant_warnings(const char *text, const char *frag)
{
    vm_ruleset *rs = user_set(text);
    vm_diags_clear(&D);
    vm_ruleset_check_isolation(rs, &D);
    size_t n = 0;
    for (size_t i = 0; i < D.count; i++) {
        assert_int_equal(D.items[i].severity, VM_SEV_WARNING);
        n += strstr(D.items[i].message, frag) != NULL;
    }
    vm_ruleset_free(rs);
    return n;
}

static void isolation_invariant(void **state)
{
    (void)state;
    /* nothing excludes anything: all three cases warn */
    assert_int_equal(invariant_warnings(HDR RULE("workload.any", "workload")
                                        "    when: {field: workload.gui, op: eq, value: true}\n"
                                        "    scores: {vm: 1}\n",
                                        "may be placed on a shared host kernel"),
                     3);
    /* excluding only container leaves the pods of a hybrid */
    assert_int_equal(invariant_warnings(HDR RULE("isolation.sandbox", "isolation")
                                        "    when:\n      any:\n"
                                        "        - {field: isolation.untrusted_code, op: eq, value: true}\n"
                                        "        - {field: isolation.segregation, op: eq, value: strict}\n"
                                        "        - all:\n"
                                        "            - {field: isolation.multi_tenant, op: eq, value: true}\n"
                                        "            - {field: isolation.segregation, op: gte, value: high}\n"
                                        "    excludes: [container]\n",
                                        "excludes hybrid"),
                     3);
    /* a condition that also needs another field does not surely fire */
    assert_int_equal(invariant_warnings(HDR RULE("isolation.sandbox", "isolation")
                                        "    when:\n      all:\n"
                                        "        - {field: isolation.untrusted_code, op: eq, value: true}\n"
                                        "        - {field: workload.gui, op: eq, value: false}\n"
                                        "    excludes: [container, hybrid, microvm]\n" RULE("isolation.others", "isolation")
                                        "    when:\n      any:\n"
                                        "        - {field: isolation.segregation, op: eq, value: strict}\n"
                                        "        - {field: isolation.multi_tenant, op: eq, value: true}\n"
                                        "    excludes: [container, hybrid, microvm]\n",
                                        "untrusted code"),
                     1);
    /* shared kernels excluded, but a Linux-only micro-VM may run Windows */
    const char *linux_only = HDR RULE("isolation.sandbox", "isolation")
        "    when:\n      any:\n"
        "        - {field: isolation.untrusted_code, op: eq, value: true}\n"
        "        - {field: isolation.segregation, op: eq, value: strict}\n"
        "        - all:\n"
        "            - {field: isolation.multi_tenant, op: eq, value: true}\n"
        "            - not: {field: isolation.segregation, op: lt, value: high}\n"
        "    excludes: [container, hybrid]\n" RULE("workload.windows", "workload")
        "    when: {field: workload.os, op: in, value: [windows, other]}\n"
        "    excludes: [microvm]\n";
    assert_int_equal(invariant_warnings(linux_only, "may be placed on a shared host kernel"), 0);
    assert_int_equal(invariant_warnings(linux_only, "workload.os mixed may get a micro-VM"), 3);
    /* the built-in catalogue keeps the invariant */
    vm_ruleset *rs = finish(builtin_set());
    vm_diags_clear(&D);
    vm_ruleset_check_isolation(rs, &D);
    if (D.count)
        dump_diags(&D);
    assert_int_equal(D.count, 0);
    vm_ruleset_free(rs);
}

static int setup(void **state)
{
    (void)state;
    load_cases();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        cases_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_builtin_rule_has_a_case),
        cmocka_unit_test(every_builtin_rule_fires_and_stays_quiet),
        cmocka_unit_test(error_classes),
        cmocka_unit_test(unknown_fields_make_leaves_false),
        cmocka_unit_test(rationale_is_in_order),
        cmocka_unit_test(unknown_swing_is_the_largest),
        cmocka_unit_test(rationale_near_ties_are_sorted),
        cmocka_unit_test(rationale_with_memo_full),
        cmocka_unit_test(system_questions_reuse_components),
        cmocka_unit_test(sensitivity_is_exact),
        cmocka_unit_test(system_sensitivity_is_about_the_system),
        cmocka_unit_test(ordered_comparisons),
        cmocka_unit_test(every_leaf_op_matches_its_definition),
        cmocka_unit_test(contains_is_case_insensitive),
        cmocka_unit_test(priorities_and_excludes),
        cmocka_unit_test(confidence_scale_invariant),
        cmocka_unit_test(system_composition),
        cmocka_unit_test(system_avoids_excluded_platforms),
        cmocka_unit_test(tie_break_and_confidence),
        cmocka_unit_test(user_rule_overrides_builtin),
        cmocka_unit_test(unknowns_and_counterfactuals),
        cmocka_unit_test(lint_warnings),
        cmocka_unit_test(lint_candidates_cut),
        cmocka_unit_test(isolation_invariant),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
