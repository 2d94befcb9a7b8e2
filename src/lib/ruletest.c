/*
 * ruletest.c - rule test files (see vmctr/ruletest.h): parsing through the
 * shared YAML reader with positioned, did-you-mean errors, and checking a
 * case's expectations against a report.
 *
 * An inline `profile:` mapping is not rebuilt from events: its source lines
 * are cut from the test file, placed as written under `spec:` of a synthetic
 * WorkloadProfile document, and later parsed by the profile loader with
 * the line numbers of the test file, so a bad field in a test case is
 * reported where it is written.
 */
#include "vmctr/ruletest.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/target.h"
#include "yreader.h"

#define HEADER "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata:\n  name: rule-test\nspec:"
#define HEADER_LINES 5u

typedef struct {
    yreader r;
    const char *data;          /* the test file (with a final newline) */
    size_t len;
    const vm_ruleset *rs;
} tctx;

/* Byte offset of 1-based (line, col), col counted in characters. */
static size_t offset_of(const tctx *c, uint32_t line, uint32_t col)
{
    size_t i = 0;
    for (uint32_t l = 1; l < line && i < c->len; i++)
        if (c->data[i] == '\n')
            l++;
    for (uint32_t k = 1; k < col && i < c->len && c->data[i] != '\n'; k++) {
        i++;
        while (i < c->len && ((unsigned char)c->data[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static bool rule_ok(tctx *c, const char *id, uint32_t line, uint32_t col, const char *path)
{
    return yr_rule_known(&c->r, c->rs, id, line, col, path);
}

static const char *text(tctx *c, const char *path)
{
    yreader *r = &c->r;
    if (!yr_expect_text(r, path))
        return NULL;
    const char *s = vm_arena_strndup(r->a, r->ev.text, r->ev.len);
    if (!s)
        yr_nomem(r);
    return s;
}

/* A list of rule ids (or one id). */
static void rule_list(tctx *c, const char *path, const char *const **out, uint32_t *n)
{
    yreader *r = &c->r;
    const char **v = vm_arena_alloc(r->a, VM_LIMIT_ITEMS * sizeof *v);
    if (!v) {
        yr_nomem(r);
        return;
    }
    *out = v;
    bool seq = r->ev.kind == YE_SEQ_START;
    if (seq && !yr_next(r))
        return;
    while (!seq || r->ev.kind != YE_SEQ_END) {
        uint32_t l = r->ev.line, co = r->ev.col;
        const char *id = text(c, path);
        if (id && rule_ok(c, id, l, co, path) && *n < VM_LIMIT_ITEMS)
            v[(*n)++] = id;
        if (!seq || !yr_next(r))
            break;
    }
}

static void target_list(tctx *c, const char *path, uint16_t *mask)
{
    yreader *r = &c->r;
    bool seq = r->ev.kind == YE_SEQ_START;
    if (seq && !yr_next(r))
        return;
    while (!seq || r->ev.kind != YE_SEQ_END) {
        int t = r->ev.kind == YE_SCALAR ? vm_target_find(r->ev.text, r->ev.len) : -1;
        if (t < 0) {
            char w[64];
            yr_err(r, r->ev.line, r->ev.col, path, "'%s' is not a paradigm or platform id", yr_text(r, w, sizeof w));
            if (!yr_skip(r))
                return;
        } else {
            *mask |= (uint16_t)(1u << t);
        }
        if (!seq || !yr_next(r))
            break;
    }
}

static int one_target(tctx *c, const char *path, bool paradigm)
{
    yreader *r = &c->r;
    int t = r->ev.kind == YE_SCALAR ? vm_target_find(r->ev.text, r->ev.len) : -1;
    if (t < 0 || vm_target_is_paradigm(t) != paradigm) {
        char w[64];
        yr_err(r, r->ev.line, r->ev.col, path, "'%s' is not a %s id", yr_text(r, w, sizeof w),
               paradigm ? "paradigm" : "platform");
        yr_skip(r);
        return -1;
    }
    return t;
}

static bool number(tctx *c, const char *path, double *out)
{
    yreader *r = &c->r;
    char w[64], *end;
    yr_text(r, w, sizeof w);
    double x = strtod(w, &end);
    if (r->ev.kind != YE_SCALAR || end == w || *end) {
        yr_err(r, r->ev.line, r->ev.col, path, "expected a number, found '%s'", w);
        yr_skip(r);
        return false;
    }
    *out = x;
    return true;
}

static void contributions(tctx *c, const char *path, vm_ruletest *t)
{
    yreader *r = &c->r;
    if (!yr_expect_list(r, path, "{rule, min, max}"))
        return;
    vm_rt_contribution *v = vm_arena_alloc(r->a, VM_LIMIT_ITEMS * sizeof *v);
    if (!v) {
        yr_nomem(r);
        return;
    }
    t->contribution = v;
    enum { C_RULE, C_MIN, C_MAX, C_COUNT };
    static const char *const keys[C_COUNT] = {"rule", "min", "max"};
    const yr_path where = {NULL, path, 0};
    while (yr_next(r) && r->ev.kind != YE_SEQ_END) {
        if (!yr_expect_map(r, path))
            continue;
        vm_rt_contribution x = {0};
        uint32_t ml = r->ev.line, mc = r->ev.col;
        yr_keys it = {.words = keys, .n = C_COUNT}; /* a repeated key: the last one counts */
        for (int k; (k = yr_each_key(r, &where, &it)) >= 0;) {
            uint32_t l = r->ev.line, co = r->ev.col;
            if (k == C_RULE) {
                x.rule = text(c, path);
                if (x.rule && !rule_ok(c, x.rule, l, co, path))
                    x.rule = NULL;
            } else if (k == C_MIN) {
                x.has_min = number(c, path, &x.min);
            } else {
                x.has_max = number(c, path, &x.max);
            }
        }
        if (r->fatal)
            return;
        if (!x.rule)
            yr_err(r, ml, mc, path, "a contribution names its 'rule'");
        else if (t->ncontribution < VM_LIMIT_ITEMS)
            v[t->ncontribution++] = x;
    }
}

static void expectations(tctx *c, const char *path, vm_ruletest *t)
{
    yreader *r = &c->r;
    if (!yr_expect_map(r, path))
        return;
    enum { E_FIRES, E_NOT_FIRES, E_BLOCKERS, E_EXCLUDES, E_PARADIGM, E_PLATFORM, E_CONTRIBUTION, E_COUNT };
    static const char *const keys[E_COUNT] = {"fires", "not_fires", "blockers", "excludes", "paradigm", "platform",
                                              "contribution"};
    char kp[128];
    const yr_path where = {NULL, path, 0};
    yr_keys it = {.words = keys, .n = E_COUNT}; /* a repeated key: the last one counts */
    for (int k; (k = yr_each_key(r, &where, &it)) >= 0;) {
        snprintf(kp, sizeof kp, "%s.%s", path, keys[k]);
        switch (k) {
        case E_FIRES: rule_list(c, kp, &t->fires, &t->nfires); break;
        case E_NOT_FIRES: rule_list(c, kp, &t->not_fires, &t->nnot_fires); break;
        case E_BLOCKERS: rule_list(c, kp, &t->blockers, &t->nblockers); break;
        case E_EXCLUDES: target_list(c, kp, &t->excludes); break;
        case E_PARADIGM: t->paradigm = one_target(c, kp, true); break;
        case E_PLATFORM: t->platform = one_target(c, kp, false); break;
        case E_CONTRIBUTION: contributions(c, kp, t); break;
        }
        if (r->fatal)
            return;
    }
}

/* Cuts the mapping at r->ev (MAP_START) from the source into a synthetic
 * profile document. Leaves r->ev at its MAP_END. */
static void inline_profile(tctx *c, const char *path, vm_ruletest *t)
{
    yreader *r = &c->r;
    uint32_t sl = r->ev.line, sc = r->ev.col;
    size_t so = offset_of(c, sl, sc);
    bool flow = so < c->len && c->data[so] == '{';
    if (!yr_skip(r))
        return;
    uint32_t el = r->ev.line, ec = r->ev.col;
    vm_buf b;
    vm_buf_init(&b);
    vm_buf_puts(&b, HEADER);
    if (flow) {
        size_t eo = offset_of(c, el, ec) + 1;
        /* pad so that the mapping starts in its own column: positions stay exact */
        for (uint32_t k = 6; k <= sc - 1 || k == 6; k++)
            vm_buf_putc(&b, ' ');
        vm_buf_put(&b, c->data + so, eo > so && eo <= c->len ? eo - so : 0);
        vm_buf_putc(&b, '\n');
        t->first_line = sl > HEADER_LINES - 1 ? sl - (HEADER_LINES - 1) : 1;
    } else {
        vm_buf_putc(&b, '\n');
        uint32_t last = el > sl ? el : sl + 1;
        size_t o = offset_of(c, sl, 1), end = offset_of(c, last, 1);
        while (o < end) {
            size_t nl = o;
            while (nl < end && c->data[nl] != '\n')
                nl++;
            /* lines as written: their indentation nests them under spec: and
             * keeps every column exact */
            vm_buf_put(&b, c->data + o, nl - o);
            vm_buf_putc(&b, '\n');
            o = nl + 1;
        }
        t->first_line = sl > HEADER_LINES ? sl - HEADER_LINES : 1;
    }
    char *doc = b.oom ? NULL : vm_arena_alloc(r->a, b.len + 1);
    if (!doc) {
        yr_err(r, sl, sc, path, "out of memory"); /* at the case's profile */
        r->oom = r->fatal = true;
    } else {
        memcpy(doc, b.data, b.len);
        t->doc = doc;
        t->doc_len = b.len;
    }
    vm_buf_free(&b);
}

/* A case's `file:` must stay inside the directory that holds the test file:
 * a test file comes from the repository under review, and must not make
 * vmctr read /etc/passwd or ../../secret.yaml (whose diagnostics would echo
 * it into the log). Refused here, by its text: an absolute path and a '..'
 * component. Symbolic links are the CLI's to resolve (cmd_rules_test.c). */
static void case_file(tctx *c, const char *path, vm_ruletest *t)
{
    yreader *r = &c->r;
    t->file_line = r->ev.line;
    t->file_col = r->ev.col;
    t->file = text(c, path);
    if (!t->file)
        return;
    const char *why = NULL;
    if (t->file[0] == '/')
        why = "is an absolute path";
    for (const char *p = t->file; !why && *p;) {
        size_t k = strcspn(p, "/");
        if (k == 2 && p[0] == '.' && p[1] == '.')
            why = "has a '..' component";
        p += k;
        p += strspn(p, "/");
    }
    if (why) {
        char w[64];
        yr_err(r, t->file_line, t->file_col, path,
               "'%s' %s: give a path relative to the test file's directory, inside it", yr_text(r, w, sizeof w),
               why);
        t->file = NULL;
    }
}

static void parse_case(tctx *c, vm_ruletest *out, uint32_t *n, uint32_t index)
{
    yreader *r = &c->r;
    char path[48], kp[96];
    snprintf(path, sizeof path, "tests[%u]", index);
    if (r->ev.kind != YE_MAP_START) {
        yr_err(r, r->ev.line, r->ev.col, path, "a test case is a mapping (name, profile or file, expect)");
        yr_skip(r);
        return;
    }
    size_t before = r->d->errors;
    vm_ruletest t;
    memset(&t, 0, sizeof t);
    t.paradigm = t.platform = -1;
    t.line = r->ev.line;
    t.col = r->ev.col;
    enum { T_NAME, T_PROFILE, T_FILE, T_EXPECT, T_COUNT };
    static const char *const keys[T_COUNT] = {"name", "profile", "file", "expect"};
    uint32_t seen[T_COUNT] = {0};
    const yr_path where = {NULL, path, 0};
    yr_keys it = {.words = keys, .n = T_COUNT, .seen = seen};
    for (int k; (k = yr_each_key(r, &where, &it)) >= 0;) {
        snprintf(kp, sizeof kp, "%s.%s", path, keys[k]);
        switch (k) {
        case T_NAME: t.name = text(c, kp); break;
        case T_PROFILE:
            if (r->ev.kind != YE_MAP_START) {
                yr_err(r, r->ev.line, r->ev.col, kp, "profile is a mapping of spec fields (workload, team, ...)");
                yr_skip(r);
            } else {
                inline_profile(c, kp, &t);
            }
            break;
        case T_FILE: case_file(c, kp, &t); break;
        case T_EXPECT: expectations(c, kp, &t); break;
        }
        if (r->fatal)
            return;
    }
    if (r->fatal)
        return;
    if (!seen[T_NAME])
        yr_err(r, t.line, t.col, path, "missing required key 'name'");
    if (seen[T_PROFILE] && seen[T_FILE])
        yr_err(r, seen[T_FILE], 1, path, "give 'profile' or 'file', not both");
    else if (!seen[T_PROFILE] && !seen[T_FILE])
        yr_err(r, t.line, t.col, path, "a test case needs a 'profile' (spec fields) or a 'file'");
    if (!seen[T_EXPECT])
        yr_err(r, t.line, t.col, path, "missing required key 'expect'");
    if (r->d->errors > before)
        return;
    if (*n >= VM_LIMIT_RULE_TESTS) {
        yr_err(r, t.line, t.col, path, "more than %u test cases", VM_LIMIT_RULE_TESTS);
        r->fatal = true;
        return;
    }
    out[(*n)++] = t;
}

/* parse_case as yr_list_file's item */
struct case_list {
    tctx *c;
    vm_ruletest *items;
    uint32_t *n;
};
static void case_item(void *ctx, uint32_t i)
{
    struct case_list *l = ctx;
    parse_case(l->c, l->items, l->n, i);
}

vm_status vm_ruletests_parse(vm_arena *a, const char *file, const char *data, size_t len, const vm_ruleset *rs,
                             vm_ruletests *out, vm_diags *d)
{
    memset(out, 0, sizeof *out);
    size_t before = d->errors;
    if (yr_too_large(d, file, len, VM_LIMIT_RULE_FILE, "test file"))
        return VM_ERULES;
    out->file = vm_arena_strndup(a, file, strlen(file));
    vm_ruletest *items = vm_arena_alloc(a, VM_LIMIT_RULE_TESTS * sizeof *items);
    char *copy = vm_arena_alloc(a, len + 2);
    tctx c = {.r = {.a = a, .file = out->file, .d = d}, .rs = rs};
    if (copy) {
        memcpy(copy, data, len);
        if (!len || data[len - 1] != '\n')
            copy[len++] = '\n';
        copy[len] = '\0';
    }
    c.data = copy;
    c.len = len;
    if (!out->file || !items || !copy || !(c.r.p = ye_open(copy, len, 1))) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    yreader *r = &c.r;
    uint32_t n = 0;
    if (!yr_doc_start(r, "empty test file"))
        goto done;
    if (r->ev.kind != YE_MAP_START) {
        yr_err(r, r->ev.line, r->ev.col, "", "a test file is a mapping (apiVersion, kind, tests)");
        goto done;
    }
    struct case_list cl = {&c, items, &n};
    const yr_list_file f = {.kind = "RuleTest", .key = "tests", .what = "test cases", .item = case_item, .ctx = &cl};
    if (!yr_list_file_keys(r, &f))
        goto done;
    yr_doc_end(r, "a test file holds one document");
done:
    ye_close(r->p);
    if (r->oom)
        return VM_EIO;
    if (d->errors > before)
        return VM_ERULES;
    out->items = items;
    out->n = n;
    return VM_OK;
}

/* ---- checking ------------------------------------------------------------------ */

/* The report's evaluations into evs: the profile's own, then each
 * component's. Returns how many. */
static size_t evaluations(const vm_report *rep, const vm_eval_report *evs[VM_LIMIT_COMPONENTS + 1])
{
    size_t n = 0;
    evs[n++] = &rep->main;
    for (uint32_t i = 0; i < rep->ncomponents && n < VM_LIMIT_COMPONENTS + 1; i++)
        evs[n++] = &rep->components[i].ev;
    return n;
}

static bool rule_fired(const vm_report *rep, const vm_rule *rule)
{
    const vm_eval_report *evs[VM_LIMIT_COMPONENTS + 1];
    size_t n = evaluations(rep, evs);
    for (size_t k = 0; k < n; k++)
        for (uint32_t i = 0; i < evs[k]->nfired; i++)
            if (vm_ruleset_rule(rep->rules, evs[k]->fired[i]) == rule)
                return true;
    return false;
}

static bool contribution_of(const vm_report *rep, const vm_rule *rule, double *out)
{
    const vm_eval_report *ev = rep->ncomponents ? NULL : &rep->main;
    for (uint32_t c = 0; c <= rep->ncomponents; c++) {
        if (!ev)
            ev = c < rep->ncomponents ? &rep->components[c].ev : NULL;
        for (uint32_t i = 0; ev && i < ev->nreasons; i++)
            if (vm_ruleset_rule(rep->rules, ev->reasons[i].rule) == rule) {
                *out = ev->reasons[i].contribution;
                return true;
            }
        ev = NULL;
    }
    return false;
}

uint32_t vm_ruletest_check(const vm_ruletest *t, const vm_report *rep, vm_buf *msg, bool *fired)
{
    uint32_t bad = 0;
    const vm_eval_report *evs[VM_LIMIT_COMPONENTS + 1];
    size_t n = evaluations(rep, evs);
    uint16_t excl = 0;
    for (size_t k = 0; k < n; k++) {
        excl |= evs[k]->res.excluded;
        for (uint32_t i = 0; fired && i < evs[k]->nfired; i++)
            fired[evs[k]->fired[i]] = true;
    }
    for (uint32_t i = 0; i < t->nfires; i++) {
        const vm_rule *r = vm_ruleset_find(rep->rules, t->fires[i]);
        if (!r || !rule_fired(rep, r)) {
            vm_buf_printf(msg, "expected %s to fire; it did not\n", t->fires[i]);
            bad++;
        }
    }
    for (uint32_t i = 0; i < t->nnot_fires; i++) {
        const vm_rule *r = vm_ruleset_find(rep->rules, t->not_fires[i]);
        if (r && rule_fired(rep, r)) {
            vm_buf_printf(msg, "expected %s not to fire; it fired\n", t->not_fires[i]);
            bad++;
        }
    }
    for (uint32_t i = 0; i < t->nblockers; i++) {
        const vm_rule *r = vm_ruleset_find(rep->rules, t->blockers[i]);
        if (!r || !r->excludes || !rule_fired(rep, r)) {
            vm_buf_printf(msg, "expected blocker %s to fire and exclude something; %s\n", t->blockers[i],
                          r && !r->excludes ? "the rule excludes nothing" : "it did not fire");
            bad++;
        }
    }
    for (int x = 0; x < VM_TARGET_COUNT; x++)
        if (((t->excludes >> x) & 1u) && !((excl >> x) & 1u)) {
            vm_buf_printf(msg, "expected %s to be excluded; it was not\n", vm_target_name(x));
            bad++;
        }
    if (t->paradigm >= 0 && rep->paradigm != t->paradigm) {
        vm_buf_printf(msg, "expected paradigm %s; vmctr recommends %s\n", vm_target_name(t->paradigm),
                      rep->paradigm >= 0 ? vm_target_name(rep->paradigm) : "nothing");
        bad++;
    }
    if (t->platform >= 0 && rep->platform != t->platform && rep->container_platform != t->platform) {
        vm_buf_printf(msg, "expected platform %s; vmctr recommends %s\n", vm_target_name(t->platform),
                      rep->platform >= 0 ? vm_target_name(rep->platform) : "nothing");
        bad++;
    }
    for (uint32_t i = 0; i < t->ncontribution; i++) {
        const vm_rt_contribution *c = &t->contribution[i];
        const vm_rule *r = vm_ruleset_find(rep->rules, c->rule);
        double v = 0;
        if (!r || !contribution_of(rep, r, &v)) {
            vm_buf_printf(msg, "expected a contribution from %s; it has none\n", c->rule);
            bad++;
        } else if ((c->has_min && v < c->min - VM_SCORE_EPS) || (c->has_max && v > c->max + VM_SCORE_EPS)) {
            vm_buf_printf(msg, "expected the contribution of %s to be ", c->rule);
            if (c->has_min && c->has_max)
                vm_buf_printf(msg, "from %g to %g", c->min, c->max);
            else
                vm_buf_printf(msg, "%s %g", c->has_min ? "at least" : "at most", c->has_min ? c->min : c->max);
            vm_buf_printf(msg, "; it is %.4g\n", v);
            bad++;
        }
    }
    return bad;
}
