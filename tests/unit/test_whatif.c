/*
 * test_whatif.c - the --what-if report (src/lib/whatif.c): the answers
 * reach the profile and the components that inherit the field, never one
 * that sets it itself, nor the real profile; a bad answer is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vmctr/engine.h"
#include "vmctr/profile.h"
#include "vmctr/report.h"
#include "fixture.h"


static vm_report *report(fixture *f, const char *text) { return fixture_report(f, text, VM_REPORT_ALL, NULL); }

#define HEAD "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: svc}\n"

static void answers_change_the_profile_only(void **state)
{
    fixture *f = *state;
    vm_arena_reset(f->a);
    vm_report *rep = report(f, HEAD "spec:\n  workload: {architecture: microservices, os: linux}\n"
                                    "  delivery: {release_frequency: daily}\n");
    int paradigm = rep->paradigm;
    static const char *const set[] = {"delivery.release_frequency=yearly", "workload.architecture=monolith",
                                      "workload.os=windows"};
    char err[200] = "";
    assert_int_equal(vm_report_what_if(f->a, f->e, rep, VM_REPORT_ALL, set, 3, err, sizeof err), VM_OK);
    assert_non_null(rep->what_if);
    assert_ptr_equal(rep->what_if_set, set);
    assert_int_equal(rep->nwhat_if, 3);
    const vm_values *real = &rep->profile->values, *alt = &rep->what_if->profile->values;
    const vm_field_def *rf = vm_field(VM_F_DELIVERY_RELEASE_FREQUENCY);
    assert_string_equal(rf->values[alt->v[VM_F_DELIVERY_RELEASE_FREQUENCY].u.i], "yearly");
    assert_string_equal(rf->values[real->v[VM_F_DELIVERY_RELEASE_FREQUENCY].u.i], "daily");
    assert_int_equal(alt->v[VM_F_DELIVERY_RELEASE_FREQUENCY].line, 0); /* the command line */
    /* the real report is as it was; the what-if one evaluates the answers */
    assert_int_equal(rep->paradigm, paradigm);
    assert_int_equal(rep->what_if->paradigm, VM_T_VM);
    assert_null(rep->what_if->what_if);
}

static void components_that_inherit(void **state)
{
    fixture *f = *state;
    vm_arena_reset(f->a);
    vm_report *rep = report(f, HEAD "spec:\n  workload: {os: linux}\n  components:\n"
                                    "    - {name: own, workload: {os: windows, architecture: monolith}}\n"
                                    "    - {name: inherits, workload: {architecture: microservices}}\n");
    static const char *const set[] = {"workload.os=other"};
    char err[200] = "";
    assert_int_equal(vm_report_what_if(f->a, f->e, rep, 0, set, 1, err, sizeof err), VM_OK);
    const vm_profile *alt = rep->what_if->profile, *real = rep->profile;
    assert_int_equal(alt->ncomponents, 2);
    const vm_field_def *os = vm_field(VM_F_WORKLOAD_OS);
    assert_string_equal(os->values[alt->values.v[VM_F_WORKLOAD_OS].u.i], "other");
    assert_string_equal(os->values[alt->components[0].values.v[VM_F_WORKLOAD_OS].u.i], "windows");
    assert_string_equal(os->values[alt->components[1].values.v[VM_F_WORKLOAD_OS].u.i], "other");
    /* the real profile's components are untouched */
    assert_ptr_not_equal(alt->components, real->components);
    assert_string_equal(os->values[real->components[1].values.v[VM_F_WORKLOAD_OS].u.i], "linux");
    assert_int_equal(rep->what_if->ncomponents, 2);
}

static void bad_answers_are_refused(void **state)
{
    fixture *f = *state;
    vm_arena_reset(f->a);
    vm_report *rep = report(f, HEAD "spec:\n  workload: {os: linux}\n");
    static const char *const bad[][1] = {{"workload.os=plan9"}, {"workload.nope=1"}, {"no-equals-sign"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[200] = "";
        assert_int_equal(vm_report_what_if(f->a, f->e, rep, 0, bad[i], 1, err, sizeof err), VM_EUSAGE);
        assert_true(err[0] != '\0');
        assert_null(rep->what_if);
        assert_int_equal(rep->nwhat_if, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answers_change_the_profile_only),
        cmocka_unit_test(components_that_inherit),
        cmocka_unit_test(bad_answers_are_refused),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
