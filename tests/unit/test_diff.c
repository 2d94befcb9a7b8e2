/*
 * test_diff.c - the diff model (src/lib/diff.c): value equality per field
 * type, and vm_diff_compute on real profiles (fields, recommendation,
 * rules added/removed, components paired by name).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vmctr/diff.h"
#include "vmctr/engine.h"
#include "vmctr/profile.h"
#include "fixture.h"


static const vm_report *report(fixture *f, const char *text) { return fixture_report(f, text, 0, NULL); }

static void value_equality(void **state)
{
    (void)state;
    const vm_field_def *b = vm_field(VM_F_WORKLOAD_STATEFUL), *i = vm_field(VM_F_OPERATIONS_INSTANCES),
                       *e = vm_field(VM_F_WORKLOAD_OS), *s = vm_field(VM_F_META_NAME), *el = NULL;
    for (int f = 0; f < VM_FIELD_COUNT && !el; f++)
        if (vm_field(f)->type == VM_T_ENUM_LIST)
            el = vm_field(f);
    assert_non_null(el);
    vm_value unset = {0}, x = {.set = true, .line = 3}, y = {.set = true, .line = 9, .col = 4};
    assert_true(vm_value_equal(b, &unset, &unset));
    x.u.i = 1, y.u.i = 7; /* both true: lines and columns do not count */
    assert_true(vm_value_equal(b, &x, &y));
    assert_false(vm_value_equal(b, &x, &unset));
    assert_false(vm_value_equal(b, &unset, &y));
    y.u.i = 0;
    assert_false(vm_value_equal(b, &x, &y));
    x.u.i = 200, y.u.i = 200;
    assert_true(vm_value_equal(i, &x, &y));
    y.u.i = 201;
    assert_false(vm_value_equal(i, &x, &y));
    x.u.i = 0, y.u.i = 1;
    assert_false(vm_value_equal(e, &x, &y));
    /* an enum list compares the listed values only */
    x.u.mask = 0x5, y.u.mask = 0x5 | (el->nvalues < 32 ? 1u << el->nvalues : 0);
    assert_true(vm_value_equal(el, &x, &y));
    y.u.mask = 0x4;
    assert_false(vm_value_equal(el, &x, &y));
    /* strings by content, not by pointer */
    char n1[] = "billing", n2[] = "billing", n3[] = "billinG";
    x.u.s = n1, y.u.s = n2;
    assert_true(vm_value_equal(s, &x, &y));
    y.u.s = n3;
    assert_false(vm_value_equal(s, &x, &y));
}

static void list_and_map_equality(void **state)
{
    (void)state;
    const vm_field_def *sl = NULL, *sm = NULL;
    for (int f = 0; f < VM_FIELD_COUNT; f++) {
        if (vm_field(f)->type == VM_T_STR_LIST && !sl)
            sl = vm_field(f);
        if (vm_field(f)->type == VM_T_STR_MAP && !sm)
            sm = vm_field(f);
    }
    assert_non_null(sl);
    const char *ab[] = {"a", "b"}, *ab2[] = {"a", "b"}, *ba[] = {"b", "a"}, *joined[] = {"a, b"};
    vm_value x = {.set = true, .u.list = {.items = ab, .n = 2}}, y = {.set = true, .u.list = {.items = ab2, .n = 2}};
    assert_true(vm_value_equal(sl, &x, &y));
    y.u.list.items = ba;
    assert_false(vm_value_equal(sl, &x, &y)); /* order matters */
    y.u.list = (vm_strlist){.items = joined, .n = 1};
    assert_false(vm_value_equal(sl, &x, &y)); /* ["a", "b"] is not ["a, b"] */
    y.u.list = (vm_strlist){.items = ab, .n = 1};
    assert_false(vm_value_equal(sl, &x, &y));
    if (sm) {
        const char *k[] = {"tier", "env"}, *v1[] = {"data", "prod"}, *v2[] = {"data", "test"};
        vm_value m = {.set = true, .u.map = {.keys = k, .vals = v1, .n = 2}}, w = m;
        assert_true(vm_value_equal(sm, &m, &w));
        w.u.map.vals = v2;
        assert_false(vm_value_equal(sm, &m, &w));
    }
}

#define HEAD "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: svc}\n"

static void identical_profiles(void **state)
{
    fixture *f = *state;
    vm_arena_reset(f->a);
    const char *t = HEAD "spec:\n  workload: {architecture: microservices, os: linux}\n";
    vm_diff d;
    assert_int_equal(vm_diff_compute(f->a, f->rs, report(f, t), report(f, t), &d), VM_OK);
    assert_false(d.rec_changed);
    assert_int_equal(d.nfields, 0);
    assert_int_equal(d.nrules, 0);
    assert_int_equal(d.ncomponents, 0);
}

static void fields_rules_and_verdict(void **state)
{
    fixture *f = *state;
    vm_arena_reset(f->a);
    const vm_report *a = report(f, HEAD "spec:\n  workload: {architecture: monolith, os: windows, gui: true}\n");
    const vm_report *b =
        report(f, HEAD "spec:\n  workload: {architecture: microservices, os: linux,\n    gui: true}\n"
                       "  delivery: {release_frequency: on-demand}\n");
    vm_diff d;
    assert_int_equal(vm_diff_compute(f->a, f->rs, a, b, &d), VM_OK);
    /* changed and newly set fields, in field order; gui is equal (other line) */
    int want[] = {VM_F_WORKLOAD_ARCHITECTURE, VM_F_WORKLOAD_OS, VM_F_DELIVERY_RELEASE_FREQUENCY};
    assert_int_equal(d.nfields, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(d.fields[i], want[i]);
    assert_int_equal(d.rec_changed, a->paradigm != b->paradigm || a->platform != b->platform ||
                                        a->container_platform != b->container_platform);
    assert_true(d.nadded > 0);
    assert_true(d.nremoved > 0);
    assert_int_equal(d.nadded + d.nremoved + d.nchanged, d.nrules);
    /* rule-set order; each entry agrees with where the rule fired */
    for (size_t i = 0; i < d.nrules; i++) {
        if (i)
            assert_true(d.rules[i].rule > d.rules[i - 1].rule);
        bool ia = false, ib = false;
        for (uint32_t k = 0; k < a->main.nfired; k++)
            ia |= a->main.fired[k] == d.rules[i].rule;
        for (uint32_t k = 0; k < b->main.nfired; k++)
            ib |= b->main.fired[k] == d.rules[i].rule;
        char want_kind = ia && !ib ? VM_DIFF_REMOVED : !ia && ib ? VM_DIFF_ADDED : VM_DIFF_CHANGED;
        assert_int_equal(d.rules[i].kind, want_kind);
    }
}

static void priorities_change_weights(void **state)
{
    fixture *f = *state;
    vm_arena_reset(f->a);
    const vm_report *a = report(f, HEAD "spec:\n  workload: {architecture: microservices, os: linux}\n");
    const vm_report *b = report(f, HEAD "spec:\n  workload: {architecture: microservices, os: linux}\n"
                                        "  priorities: {workload: 5}\n");
    vm_diff d;
    assert_int_equal(vm_diff_compute(f->a, f->rs, a, b, &d), VM_OK);
    assert_int_equal(d.nadded + d.nremoved, 0);
    assert_true(d.nchanged > 0);
    for (size_t i = 0; i < d.nrules; i++)
        assert_int_equal(vm_ruleset_rule(f->rs, d.rules[i].rule)->category, VM_CAT_WORKLOAD);
}

static void components_paired_by_name(void **state)
{
    fixture *f = *state;
    vm_arena_reset(f->a);
    const vm_report *a = report(f, HEAD "spec:\n  workload: {os: linux}\n  components:\n"
                                        "    - {name: keep, workload: {architecture: monolith}}\n"
                                        "    - {name: gone, workload: {architecture: monolith}}\n"
                                        "    - {name: same, workload: {architecture: monolith}}\n");
    const vm_report *b = report(f, HEAD "spec:\n  workload: {os: linux}\n  components:\n"
                                        "    - {name: same, workload: {architecture: monolith}}\n"
                                        "    - {name: new, workload: {architecture: monolith}}\n"
                                        "    - {name: keep, workload: {architecture: microservices}}\n");
    vm_diff d;
    assert_int_equal(vm_diff_compute(f->a, f->rs, a, b, &d), VM_OK);
    assert_int_equal(d.ncomponents, 4);
    /* A's components in A's order, then those only in B */
    assert_string_equal(d.components[0].a->comp->name, "keep");
    assert_string_equal(d.components[0].b->comp->name, "keep");
    assert_true(d.components[0].changed);
    assert_int_equal(d.components[0].fields, UINT64_C(1) << VM_F_WORKLOAD_ARCHITECTURE);
    assert_string_equal(d.components[1].a->comp->name, "gone");
    assert_null(d.components[1].b);
    assert_string_equal(d.components[2].b->comp->name, "same");
    assert_false(d.components[2].changed);
    assert_int_equal(d.components[2].fields, 0);
    assert_null(d.components[3].a);
    assert_string_equal(d.components[3].b->comp->name, "new");
}

/* A system's micro-VM platform is part of its recommendation: a change of it
 * alone is a changed recommendation (diff --exit-code exits 1). */
static void microvm_platform_of_a_system(void **state)
{
    fixture *f = *state;
    vm_arena_reset(f->a);
#define SYS(sandbox)                                                                                      \
    HEAD "spec:\n  team: {linux: advanced, containers: basic}\n  components:\n"                           \
         "    - name: ledger\n      workload: {architecture: monolith, lifecycle: legacy, os: linux,\n"     \
         "        stateful: true, custom_kernel: true}\n"                                                  \
         "      operations: {availability: critical, live_migration: true}\n"                              \
         "    - name: sandbox\n      workload: {architecture: functions, os: linux" sandbox "}\n"          \
         "      isolation: {untrusted_code: true, multi_tenant: true}\n"
    const vm_report *a = report(f, SYS(""));
    const vm_report *b = report(f, SYS(", hardware_access: gpu"));
#undef SYS
    vm_diff d;
    assert_int_equal(vm_diff_compute(f->a, f->rs, a, b, &d), VM_OK);
    assert_int_equal(d.extra_a, a->sys.extra_platform);
    assert_int_equal(d.extra_b, b->sys.extra_platform);
    assert_true(d.extra_a >= 0);
    assert_true(d.extra_b >= 0);
    assert_int_not_equal(d.extra_a, d.extra_b);
    /* the VM part stays: only the micro-VM platform moved */
    assert_int_equal(a->paradigm, b->paradigm);
    assert_int_equal(a->platform, b->platform);
    assert_int_equal(a->container_platform, b->container_platform);
    assert_true(d.rec_changed);
    /* a single profile has no micro-VM part beside its VMs */
    const vm_report *one = report(f, HEAD "spec:\n  workload: {os: linux}\n");
    assert_int_equal(vm_diff_compute(f->a, f->rs, one, one, &d), VM_OK);
    assert_int_equal(d.extra_a, -1);
    assert_int_equal(d.extra_b, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(value_equality),
        cmocka_unit_test(list_and_map_equality),
        cmocka_unit_test(identical_profiles),
        cmocka_unit_test(fields_rules_and_verdict),
        cmocka_unit_test(priorities_change_weights),
        cmocka_unit_test(components_paired_by_name),
        cmocka_unit_test(microvm_platform_of_a_system),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
