/*
 * test_values.c - `field=value` assignments (vm_values_set_text, used by
 * --set and --what-if) and the text form of values (vm_value_text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmctr/profile.h"

static vm_arena *A;
static vm_values V;
static char ERR[256];
static int FIELD;

static vm_status set(const char *assignment)
{
    ERR[0] = '\0';
    FIELD = -1;
    return vm_values_set_text(A, &V, assignment, &FIELD, ERR, sizeof ERR);
}

static const char *text(vm_field_id id)
{
    static char buf[512];
    return vm_value_text(vm_field(id), &V.v[id], buf, sizeof buf);
}

static int setup(void **state)
{
    (void)state;
    A = vm_arena_new();
    memset(&V, 0, sizeof V);
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vm_arena_free(A);
    return 0;
}

static void set_enum(void **state)
{
    (void)state;
    assert_int_equal(set("workload.os=windows"), VM_OK);
    assert_int_equal(FIELD, VM_F_WORKLOAD_OS);
    assert_true(V.v[VM_F_WORKLOAD_OS].set);
    assert_int_equal(V.v[VM_F_WORKLOAD_OS].u.i, 1);
    assert_int_equal(V.v[VM_F_WORKLOAD_OS].line, 0); /* command line */
    assert_int_equal(V.v[VM_F_WORKLOAD_OS].col, 0);
    assert_string_equal(text(VM_F_WORKLOAD_OS), "windows");
    assert_int_equal(set("spec.delivery.release_frequency=daily"), VM_OK);
    assert_int_equal(FIELD, VM_F_DELIVERY_RELEASE_FREQUENCY);
    assert_string_equal(text(VM_F_DELIVERY_RELEASE_FREQUENCY), "daily");
    /* an unknown value leaves the old one in place */
    assert_int_equal(set("workload.os=windos"), VM_EPROFILE);
    assert_string_equal(ERR, "spec.workload.os: 'windos' is not one of linux, windows, mixed, other "
                             "(did you mean 'windows'?)");
    assert_int_equal(FIELD, VM_F_WORKLOAD_OS);
    assert_string_equal(text(VM_F_WORKLOAD_OS), "windows");
    assert_int_equal(set("workload.os=beos"), VM_EPROFILE);
    assert_string_equal(ERR, "spec.workload.os: 'beos' is not one of linux, windows, mixed, other");
}

static void set_unknown_and_null(void **state)
{
    (void)state;
    assert_int_equal(set("workload.os=linux"), VM_OK);
    assert_int_equal(set("workload.os=unknown"), VM_OK);
    assert_false(V.v[VM_F_WORKLOAD_OS].set);
    assert_string_equal(text(VM_F_WORKLOAD_OS), "unknown");
    assert_int_equal(set("workload.os=linux"), VM_OK);
    assert_int_equal(set("workload.os=~"), VM_OK);
    assert_false(V.v[VM_F_WORKLOAD_OS].set);
    assert_int_equal(set("workload.os=linux"), VM_OK);
    assert_int_equal(set("workload.os=null"), VM_OK);
    assert_false(V.v[VM_F_WORKLOAD_OS].set);
    assert_int_equal(set("workload.os=linux"), VM_OK);
    assert_int_equal(set("workload.os="), VM_OK);
    assert_false(V.v[VM_F_WORKLOAD_OS].set);
}

static void set_bool_and_int(void **state)
{
    (void)state;
    assert_int_equal(set("workload.gui=true"), VM_OK);
    assert_int_equal(V.v[VM_F_WORKLOAD_GUI].u.i, 1);
    assert_string_equal(text(VM_F_WORKLOAD_GUI), "true");
    assert_int_equal(set("workload.gui=false"), VM_OK);
    assert_string_equal(text(VM_F_WORKLOAD_GUI), "false");
    assert_int_equal(set("workload.gui=yes"), VM_EPROFILE);
    assert_string_equal(ERR, "spec.workload.gui: expected true or false, found 'yes'");
    assert_string_equal(text(VM_F_WORKLOAD_GUI), "false");

    assert_int_equal(set("operations.instances=250"), VM_OK);
    assert_int_equal(V.v[VM_F_OPERATIONS_INSTANCES].u.i, 250);
    assert_string_equal(text(VM_F_OPERATIONS_INSTANCES), "250");
    assert_int_equal(set("operations.instances=0"), VM_EPROFILE);
    assert_string_equal(ERR, "spec.operations.instances: expected an integer in 1..1000000, found '0'");
    assert_int_equal(set("operations.instances=12abc"), VM_EPROFILE);
    assert_int_equal(set("operations.instances=99999999999999999999999"), VM_EPROFILE);
    assert_int_equal(V.v[VM_F_OPERATIONS_INSTANCES].u.i, 250);
    assert_int_equal(set("priorities.team=0"), VM_OK);
    assert_true(V.v[VM_F_PRIORITIES_TEAM].set);
    assert_string_equal(text(VM_F_PRIORITIES_TEAM), "0");
    assert_int_equal(set("priorities.team=6"), VM_EPROFILE);
}

static void set_lists(void **state)
{
    (void)state;
    assert_int_equal(set("economics.licenses=[vmware, suse]"), VM_OK);
    assert_int_equal(V.v[VM_F_ECONOMICS_LICENSES].u.mask, (1u << 1) | (1u << 3));
    assert_string_equal(text(VM_F_ECONOMICS_LICENSES), "vmware, suse");
    assert_int_equal(set("economics.licenses=red-hat"), VM_OK);
    assert_string_equal(text(VM_F_ECONOMICS_LICENSES), "red-hat");
    assert_int_equal(set("economics.licenses=[]"), VM_OK);
    assert_true(V.v[VM_F_ECONOMICS_LICENSES].set);
    assert_int_equal(V.v[VM_F_ECONOMICS_LICENSES].u.mask, 0);
    assert_string_equal(text(VM_F_ECONOMICS_LICENSES), "");
    assert_int_equal(set("economics.licenses=vmware,oracle"), VM_EPROFILE);
    assert_string_equal(ERR, "spec.economics.licenses: 'oracle' is not a known value");

    assert_int_equal(set("isolation.compliance=pci-dss,hipaa"), VM_OK);
    const vm_strlist *l = &V.v[VM_F_ISOLATION_COMPLIANCE].u.list;
    assert_int_equal(l->n, 2);
    assert_string_equal(l->items[0], "pci-dss");
    assert_string_equal(l->items[1], "hipaa");
    assert_int_equal(l->lines[0], 0);
    assert_string_equal(text(VM_F_ISOLATION_COMPLIANCE), "pci-dss, hipaa");
    assert_int_equal(set("isolation.compliance=[ gdpr ,  iso27001 ]"), VM_OK);
    assert_string_equal(text(VM_F_ISOLATION_COMPLIANCE), "gdpr, iso27001");
    /* long lists are kept whole up to the item limit, and refused past it */
    char many[8192];
    size_t n = (size_t)snprintf(many, sizeof many, "isolation.compliance=");
    for (unsigned i = 0; i < VM_LIMIT_ITEMS; i++)
        n += (size_t)snprintf(many + n, sizeof many - n, "%sr%u", i ? "," : "", i);
    assert_int_equal(set(many), VM_OK);
    assert_int_equal(V.v[VM_F_ISOLATION_COMPLIANCE].u.list.n, VM_LIMIT_ITEMS);
    assert_string_equal(V.v[VM_F_ISOLATION_COMPLIANCE].u.list.items[VM_LIMIT_ITEMS - 1], "r255");
    snprintf(many + n, sizeof many - n, ",one-more");
    assert_int_equal(set(many), VM_EPROFILE);
    assert_string_equal(ERR, "spec.isolation.compliance: more than 256 items");
    assert_int_equal(V.v[VM_F_ISOLATION_COMPLIANCE].u.list.n, VM_LIMIT_ITEMS); /* unchanged */
    assert_int_equal(set("isolation.compliance=[]"), VM_OK);
    assert_int_equal(V.v[VM_F_ISOLATION_COMPLIANCE].u.list.n, 0);
    assert_true(V.v[VM_F_ISOLATION_COMPLIANCE].set);
}

static void set_errors(void **state)
{
    (void)state;
    assert_int_equal(set("workload.os"), VM_EUSAGE);
    assert_string_equal(ERR, "'workload.os': expected field=value");
    assert_int_equal(set("workload.oss=linux"), VM_EUSAGE);
    assert_string_equal(ERR, "unknown field 'workload.oss' (did you mean 'workload.os'?)");
    assert_int_equal(set("spec.delivery.cicd=basic"), VM_EUSAGE);
    assert_string_equal(ERR, "unknown field 'spec.delivery.cicd' (did you mean 'delivery.ci_cd'?)");
    assert_int_equal(set("nothing.like.it=1"), VM_EUSAGE);
    assert_string_equal(ERR, "unknown field 'nothing.like.it'");
    /* metadata is not a setting */
    assert_int_equal(set("metadata.name=x"), VM_EUSAGE);
    assert_int_equal(set("=x"), VM_EUSAGE);
    /* a value containing '=' belongs to the value */
    assert_int_equal(set("workload.os=linux=1"), VM_EPROFILE);
}

static void value_text_all_types(void **state)
{
    (void)state;
    char buf[128];
    vm_value v = {0};
    assert_string_equal(vm_value_text(vm_field(VM_F_WORKLOAD_OS), &v, buf, sizeof buf), "unknown");
    v.set = true;
    v.u.s = "billing-api";
    assert_string_equal(vm_value_text(vm_field(VM_F_META_NAME), &v, buf, sizeof buf), "billing-api");
    const char *keys[] = {"tier", "zone"}, *vals[] = {"backend", "eu"};
    vm_value m = {.set = true};
    m.u.map.keys = keys;
    m.u.map.vals = vals;
    m.u.map.n = 2;
    assert_string_equal(vm_value_text(vm_field(VM_F_META_LABELS), &m, buf, sizeof buf),
                        "tier=backend, zone=eu");
    /* truncation stays inside the buffer and NUL-terminated */
    char small[8];
    memset(small, 'Z', sizeof small);
    vm_value_text(vm_field(VM_F_META_LABELS), &m, small, sizeof small);
    assert_int_equal(strlen(small), 7);
    vm_value e = {.set = true};
    e.u.mask = 0xF;
    char tiny[12];
    vm_value_text(vm_field(VM_F_ECONOMICS_LICENSES), &e, tiny, sizeof tiny);
    assert_string_equal(tiny, "windows-dat");
    const char *items[] = {"a-long-regime", "b"};
    vm_value l = {.set = true};
    l.u.list.items = items;
    l.u.list.n = 2;
    vm_value_text(vm_field(VM_F_ISOLATION_COMPLIANCE), &l, tiny, sizeof tiny);
    assert_string_equal(tiny, "a-long-regi");
    /* every enum value round-trips through set/text */
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = vm_field(i);
        if (f->type != VM_T_ENUM)
            continue;
        for (int k = 0; k < f->nvalues; k++) {
            char a[128];
            snprintf(a, sizeof a, "%s=%s", f->path, f->values[k]);
            assert_int_equal(set(a), VM_OK);
            assert_int_equal(FIELD, i);
            assert_int_equal(V.v[i].u.i, k);
            assert_string_equal(text((vm_field_id)i), f->values[k]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_enum),
        cmocka_unit_test(set_unknown_and_null),
        cmocka_unit_test(set_bool_and_int),
        cmocka_unit_test(set_lists),
        cmocka_unit_test(set_errors),
        cmocka_unit_test(value_text_all_types),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
