/*
 * test_config.c - the repository config (src/lib/config.c): every key,
 * "not set" for absent keys, and each error with its position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vmctr/sys/config.h"
#include "fixture.h"

static vm_status parse(vm_arena *a, const char *text, vm_config *c, vm_diags *d)
{
    vm_diags_clear(d);
    return vm_config_parse(a, "c.yaml", text, strlen(text), c, d);
}

static vm_status parse_any(vm_arena *a, const char *text, vm_diags *d, void *ctx)
{
    (void)ctx;
    vm_config c;
    return parse(a, text, &c, d);
}

static void every_key(void **state)
{
    (void)state;
    vm_arena *a = vm_arena_new();
    vm_config c;
    vm_diags d;
    assert_int_equal(parse(a,
                           "apiVersion: vmctr/v1\nkind: Config\ncheck:\n  exclude: [vendor, 'k8s/*']\n"
                           "  rules: policy/\n  waivers: w.yaml\n  min_confidence: 0.4\n  fail_on: warning\n"
                           "  require_decision: true\n",
                           &c, &d),
                     VM_OK);
    assert_int_equal(c.nexclude, 2);
    assert_string_equal(c.exclude[1], "k8s/*");
    assert_string_equal(c.rules, "policy/");
    assert_string_equal(c.waivers, "w.yaml");
    assert_true(c.has_min_confidence);
    assert_true(c.min_confidence > 0.39 && c.min_confidence < 0.41);
    assert_int_equal(c.fail_on, 2);
    assert_int_equal(c.require_decision, 1);
    /* nothing set */
    assert_int_equal(parse(a, "apiVersion: vmctr/v1\nkind: Config\n", &c, &d), VM_OK);
    assert_int_equal(c.nexclude, 0);
    assert_null(c.rules);
    assert_false(c.has_min_confidence);
    assert_int_equal(c.fail_on, -1);
    assert_int_equal(c.require_decision, -1);
    assert_int_equal(parse(a, "", &c, &d), VM_OK);
    vm_arena_free(a);
}

static void errors(void **state)
{
    (void)state;
    static const fixture_error_case cases[] = {
        {"check:\n  exclud: [a]\n", 4, 3, "did you mean 'exclude'"},
        {"check:\n  fail_on: mismach\n", 4, 12, "did you mean 'mismatch'"},
        {"check:\n  min_confidence: 1.5\n", 4, 19, "from 0 to 1"},
        {"check:\n  min_confidence: x\n", 4, 19, "from 0 to 1"},
        {"check:\n  require_decision: yes\n", 4, 21, "true or false"},
        {"check:\n  exclude: vendor\n", 4, 12, "list of globs"},
        {"check:\n  rules: ''\n", 4, 10, "non-empty"},
        {"check:\n  waivers: ~\n", 4, 12, "expected a non-empty string, found null"},
        {"check:\n  rules: [a]\n", 4, 10, "expected a non-empty string, found a list"},
        {"check: [1]\n", 3, 8, "expected a mapping"},
        {"chek: {}\n", 3, 1, "did you mean 'check'"},
    };
    vm_arena *a = vm_arena_new();
    fixture_expect_errors(a, cases, sizeof cases / sizeof *cases, "apiVersion: vmctr/v1\nkind: Config\n", VM_EUSAGE,
                          parse_any, NULL);
    vm_config c;
    vm_diags d;
    assert_int_equal(parse(a, "kind: WaiverSet\n", &c, &d), VM_EUSAGE);
    assert_int_equal(parse(a, "[]\n", &c, &d), VM_EUSAGE);
    vm_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_key),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
