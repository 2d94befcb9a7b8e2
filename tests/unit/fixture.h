/*
 * fixture.h - what the cmocka unit tests share. Include after <cmocka.h>.
 *
 *   fixture_builtin()      the built-in catalogue as a finished rule set;
 *   fixture_setup/_teardown, fixture_report()
 *                          the report-level fixture (test_diff, test_gate,
 *                          test_whatif): the built-in catalogue, an engine
 *                          over it and an arena, set up once per test
 *                          group, and the report of one YAML document;
 *   fixture_acceptance()   a scenario file of tests/acceptance, opened;
 *   fixture_error_case, fixture_expect_diag(), fixture_expect_errors()
 *                          the loaders' table of bad inputs: each refused,
 *                          the first diagnostic at its line:col, with a
 *                          part of the message.
 *
 * Header-only, static inline: every test is its own executable and uses
 * what it needs.
 */
#ifndef VMCTR_TEST_FIXTURE_H
#define VMCTR_TEST_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "vmctr/engine.h"
#include "vmctr/profile.h"
#include "vmctr/report.h"

/* The built-in rule set, finished; NULL when that fails. */
static inline vm_ruleset *fixture_builtin(void)
{
    vm_diags d;
    vm_diags_clear(&d);
    vm_ruleset *rs = vm_ruleset_new();
    if (rs && (vm_ruleset_add_builtin(rs, &d) != VM_OK || vm_ruleset_finish(rs, &d) != VM_OK)) {
        vm_ruleset_free(rs);
        return NULL;
    }
    return rs;
}

#ifdef VMCTR_ACCEPTANCE_DIR
/* The scenario file `name` under tests/acceptance, opened (display name:
 * `name`); fails the test when it cannot be. */
static inline vm_source *fixture_acceptance(const char *name)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/%s", VMCTR_ACCEPTANCE_DIR, name);
    vm_source *s = vm_source_open(path, name, err, sizeof err);
    if (!s)
        fail_msg("%s: %s", path, err);
    return s;
}
#endif

/* One bad input of a loader and where its first diagnostic must point. */
typedef struct {
    const char *body;
    uint32_t line, col;
    const char *msg; /* a part of the message */
} fixture_error_case;

/* Fails the test, naming case i, unless d's first diagnostic is at
 * c->line:c->col and its message contains c->msg. */
static inline void fixture_expect_diag(const vm_diags *d, size_t i, const fixture_error_case *c)
{
    if (d->count < 1 || d->items[0].line != c->line || d->items[0].col != c->col ||
        !strstr(d->items[0].message, c->msg))
        fail_msg("case %zu: %u:%u: %s", i, d->count ? d->items[0].line : 0, d->count ? d->items[0].col : 0,
                 d->count ? d->items[0].message : "(none)");
}

/* A loader under test: parses text into a, diagnostics in d (cleared). */
typedef vm_status fixture_parse_fn(vm_arena *a, const char *text, vm_diags *d, void *ctx);

/* Each of the n cases, head followed by its body, parsed into a (reset
 * first) by parse: refused with `want`, its first diagnostic where the case
 * says. */
static inline void fixture_expect_errors(vm_arena *a, const fixture_error_case *cases, size_t n, const char *head,
                                         vm_status want, fixture_parse_fn *parse, void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        char text[1024];
        int len = snprintf(text, sizeof text, "%s%s", head, cases[i].body);
        assert_true(len > 0 && (size_t)len < sizeof text);
        vm_diags d;
        vm_diags_clear(&d);
        vm_arena_reset(a);
        assert_int_equal(parse(a, text, &d, ctx), want);
        fixture_expect_diag(&d, i, &cases[i]);
    }
}

typedef struct {
    vm_ruleset *rs;
    vm_engine *e;
    vm_arena *a;
} fixture;

static inline int fixture_setup(void **state)
{
    static fixture f;
    f.rs = fixture_builtin();
    if (!f.rs)
        return -1;
    f.e = vm_engine_new(f.rs);
    f.a = vm_arena_new();
    *state = &f;
    return f.e && f.a ? 0 : -1;
}

static inline int fixture_teardown(void **state)
{
    fixture *f = *state;
    vm_engine_free(f->e);
    vm_ruleset_free(f->rs);
    vm_arena_free(f->a);
    return 0;
}

/* The report (flags: VM_REPORT_*) of the one document in `text`, parsed
 * as t.yaml into f's arena; *profile (when not NULL) gets the profile. */
static inline vm_report *fixture_report(fixture *f, const char *text, unsigned flags, vm_profile **profile)
{
    vm_doc doc = {.data = text, .len = strlen(text), .first_line = 1};
    vm_profile *p = vm_arena_alloc(f->a, sizeof *p);
    vm_report *rep = vm_arena_alloc(f->a, sizeof *rep);
    assert_non_null(p);
    assert_non_null(rep);
    bool empty = false;
    vm_diags d;
    vm_diags_clear(&d);
    assert_int_equal(vm_profile_parse(f->a, "t.yaml", &doc, p, &empty, &d), VM_OK);
    assert_int_equal(vm_report_build(f->a, f->e, p, flags, rep), VM_OK);
    if (profile)
        *profile = p;
    return rep;
}

#endif
