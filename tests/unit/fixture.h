/*
 * fixture.h - the cmocka fixture the report-level unit tests share
 * (test_diff, test_gate, test_whatif): the built-in catalogue, an engine
 * over it and an arena, set up once per test group, and the report of one
 * YAML document. Header-only, static inline: every test is its own
 * executable and uses what it needs.
 */
#ifndef VMCTR_TEST_FIXTURE_H
#define VMCTR_TEST_FIXTURE_H

#include <string.h>

#include "vmctr/engine.h"
#include "vmctr/profile.h"
#include "vmctr/report.h"

typedef struct {
    vm_ruleset *rs;
    vm_engine *e;
    vm_arena *a;
} fixture;

static inline int fixture_setup(void **state)
{
    static fixture f;
    vm_diags d;
    vm_diags_clear(&d);
    f.rs = vm_ruleset_new();
    if (!f.rs || vm_ruleset_add_builtin(f.rs, &d) != VM_OK || vm_ruleset_finish(f.rs, &d) != VM_OK)
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
