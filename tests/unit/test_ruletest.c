/*
 * test_ruletest.c - rule test files (src/lib/ruletest.c): parsing, the
 * synthetic profile keeps the test file's positions, errors with positions,
 * and vm_ruletest_check against real reports (each expectation can fail).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vmctr/engine.h"
#include "vmctr/profile.h"
#include "vmctr/ruletest.h"
#include "fixture.h"

#define HEAD "apiVersion: vmctr/v1\nkind: RuleTest\ntests:\n"

/* Runs case i of text (in f's arena, reset first); returns the number of
 * unmet expectations (-1: the profile did not load), the messages in msg. */
static int run_case(const fixture *f, const char *text, uint32_t i, vm_buf *msg, vm_diags *pd)
{
    vm_arena *a = f->a;
    vm_arena_reset(a);
    vm_ruletests ts;
    vm_diags d;
    vm_diags_clear(&d);
    assert_int_equal(vm_ruletests_parse(a, "t.test.yaml", text, strlen(text), f->rs, &ts, &d), VM_OK);
    assert_true(i < ts.n);
    const vm_ruletest *t = &ts.items[i];
    vm_doc doc = {.data = t->doc, .len = t->doc_len, .first_line = t->first_line};
    vm_profile *p = vm_arena_alloc(a, sizeof *p);
    vm_report *rep = vm_arena_alloc(a, sizeof *rep);
    bool empty;
    vm_diags_clear(pd);
    if (vm_profile_parse(a, "t.test.yaml", &doc, p, &empty, pd) != VM_OK)
        return -1;
    assert_int_equal(vm_report_build(a, f->e, p, 0, rep), VM_OK);
    vm_buf_reset(msg);
    return (int)vm_ruletest_check(t, rep, msg, NULL);
}

static void expectations_pass_and_fail(void **state)
{
    const fixture *f = *state;
    vm_buf msg;
    vm_buf_init(&msg);
    vm_diags pd;
    const char *good = HEAD "  - name: kernel\n    profile:\n      workload: {os: linux, custom_kernel: true}\n"
                            "    expect:\n      fires: [workload.custom-kernel]\n"
                            "      blockers: workload.custom-kernel\n      excludes: [container, docker]\n"
                            "      not_fires: [workload.windows-os]\n      paradigm: vm\n";
    assert_int_equal(run_case(f, good, 0, &msg, &pd), 0);
    /* each expectation, negated, fails alone with its message */
    static const struct {
        const char *expect, *msg;
    } bad[] = {
        {"fires: [workload.windows-os]", "expected workload.windows-os to fire"},
        {"not_fires: [workload.custom-kernel]", "not to fire"},
        {"blockers: [workload.monolith]", "expected blocker workload.monolith"},
        {"excludes: [vm]", "expected vm to be excluded"},
        {"paradigm: container", "expected paradigm container"},
        {"platform: kubernetes", "expected platform kubernetes"},
        {"contribution: [{rule: workload.greenfield}]", "a contribution from workload.greenfield"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[512];
        snprintf(text, sizeof text, HEAD "  - name: x\n    profile: {workload: {os: linux, custom_kernel: true}}\n"
                                         "    expect:\n      %s\n", bad[i].expect);
        assert_int_equal(run_case(f, text, 0, &msg, &pd), 1);
        if (!strstr(msg.data, bad[i].msg))
            fail_msg("case %zu: %s", i, msg.data);
    }
    vm_buf_free(&msg);
}

/* A bad field in an inline profile is reported where the test file has it,
 * block or flow style. */
static void inline_profile_positions(void **state)
{
    const fixture *f = *state;
    vm_buf msg;
    vm_buf_init(&msg);
    vm_diags pd;
    /* want: what run_case returns; line:col of the first diagnostic when -1 */
    static const struct {
        const char *text;
        int want;
        uint32_t line, col;
    } cases[] = {
        {HEAD "  - name: x\n    profile:\n      workload:\n        os: linux\n        gui: yes\n"
              "    expect: {}\n",
         -1, 8, 14},
        {HEAD "  - name: x\n    profile: {workload: {os: linux, gui: yes}}\n    expect: {}\n", -1, 5, 42},
        /* a profile whose mapping ends the file (no final newline) */
        {HEAD "  - name: x\n    expect: {paradigm: vm}\n    profile:\n      workload: {os: other}", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(run_case(f, cases[i].text, 0, &msg, &pd), cases[i].want);
        if (cases[i].want == -1) {
            assert_int_equal(pd.items[0].line, cases[i].line);
            assert_int_equal(pd.items[0].col, cases[i].col);
        }
    }
    vm_buf_free(&msg);
}

static vm_status parse(vm_arena *a, const char *text, vm_diags *d, void *rs)
{
    vm_ruletests ts;
    return vm_ruletests_parse(a, "t.yaml", text, strlen(text), rs, &ts, d);
}

static void parse_errors(void **state)
{
    const fixture *f = *state;
    static const fixture_error_case cases[] = {
        {"  - name: x\n    profile: {}\n    expect: {fire: []}\n", 6, 14, "did you mean 'fires'"},
        {"  - name: x\n    profile: {}\n    expect: {fires: [workload.custom-kernal]}\n", 6, 22,
         "did you mean 'workload.custom-kernel'"},
        {"  - name: x\n    profile: {}\n    expect: {paradigm: kubernetes}\n", 6, 24, "not a paradigm"},
        {"  - name: x\n    profile: {}\n    expect: {platform: vm}\n", 6, 24, "not a platform"},
        {"  - name: x\n    profile: {}\n    expect: {excludes: [vmm]}\n", 6, 25, "not a paradigm or platform"},
        {"  - name: x\n    expect: {}\n", 4, 5, "needs a 'profile'"},
        {"  - profile: {}\n    expect: {}\n", 4, 5, "missing required key 'name'"},
        {"  - name: x\n    profile: [a]\n    expect: {}\n", 5, 14, "mapping of spec fields"},
        {"  - name: x\n    profile: {}\n    expect: {contribution: [{min: 1}]}\n", 6, 29, "names its 'rule'"},
        /* file: stays inside the test file's directory */
        {"  - name: x\n    file: /etc/passwd\n    expect: {}\n", 5, 11, "'/etc/passwd' is an absolute path"},
        {"  - name: x\n    file: ../../secret.yaml\n    expect: {}\n", 5, 11, "has a '..' component"},
        {"  - name: x\n    file: cases/../../x.yaml\n    expect: {}\n", 5, 11, "has a '..' component"},
        {"  - name: x\n    file: \"cases//..\"\n    expect: {}\n", 5, 11, "has a '..' component"},
    };
    fixture_expect_errors(f->a, cases, sizeof cases / sizeof *cases, HEAD, VM_ERULES, parse, f->rs);
}

/* file: names a path inside the test file's directory, where it is written */
static void case_file_accepted(void **state)
{
    const fixture *f = *state;
    static const char *const ok[] = {"cases/p.yaml", "./p.yaml", "a..b.yaml", "..x/p.yaml", "cases/.../p.yaml"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        char text[256];
        snprintf(text, sizeof text, HEAD "  - name: x\n    file: %s\n    expect: {}\n", ok[i]);
        vm_arena_reset(f->a);
        vm_ruletests ts;
        vm_diags d;
        vm_diags_clear(&d);
        assert_int_equal(vm_ruletests_parse(f->a, "t.test.yaml", text, strlen(text), f->rs, &ts, &d), VM_OK);
        assert_int_equal(ts.n, 1);
        assert_string_equal(ts.items[0].file, ok[i]);
        assert_int_equal(ts.items[0].file_line, 5);
        assert_int_equal(ts.items[0].file_col, 11);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(expectations_pass_and_fail),
        cmocka_unit_test(inline_profile_positions),
        cmocka_unit_test(parse_errors),
        cmocka_unit_test(case_file_accepted),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
