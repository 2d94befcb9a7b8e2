/*
 * test_zipload.c - libzip that cannot be loaded. This program is linked
 * with its own copy of src/lib/zipread.c, compiled with a SONAME that
 * does not exist (tests/CMakeLists.txt), so the dlopen() of libzip fails
 * as it would on a system without libzip4: reading an .xlsx is then an
 * error at the workbook's line 1 (VM_EIO: exit 5, docs/import.md), every
 * time it is tried and from any thread, never a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invtab.h"
#include "vmctr/sys/inventory.h"

static char *fixture;
static size_t fixture_len;

static void read_fixture(void)
{
    FILE *f = fopen(VMCTR_TESTS_DIR "/fuzz/corpus/import_xlsx/small.xlsx", "rb");
    assert_non_null(f);
    fixture = malloc(1 << 20);
    assert_non_null(fixture);
    fixture_len = fread(fixture, 1, 1 << 20, f);
    fclose(f);
    assert_true(fixture_len > 4 && memcmp(fixture, "PK\x03\x04", 4) == 0);
}

/* One import of the workbook: VM_EIO and exactly one error, at 1:1. */
static void import_refused(void)
{
    vm_import_opts o = {.group_by = "folder"};
    vm_import *im = vm_import_new(&o);
    assert_non_null(im);
    vm_diags *d = malloc(sizeof *d);
    assert_non_null(d);
    vm_diags_clear(d);
    assert_int_equal(vm_import_rvtools_xlsx(im, fixture, fixture_len, "small.xlsx", d), VM_EIO);
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->count, 1);
    char line[1024];
    vm_diag_format(&d->items[0], line, sizeof line);
    const char *want = "small.xlsx:1:1: error: cannot read .xlsx files: libzip could not be loaded (";
    if (strncmp(line, want, strlen(want)) != 0)
        fail_msg("got: %s", line);
    /* dlerror() names the library that was asked for */
    if (!strstr(line, VMCTR_LIBZIP_SONAME))
        fail_msg("the message does not name %s: %s", VMCTR_LIBZIP_SONAME, line);
    free(d);
    vm_import_free(im);
}

static void load_failure_is_an_error(void **state)
{
    (void)state;
    import_refused();
}

static void load_failure_is_remembered(void **state)
{
    (void)state;
    import_refused();
    import_refused();
}

static void *open_in_thread(void *arg)
{
    (void)arg;
    vm_diags *d = malloc(sizeof *d);
    if (!d)
        return (void *)1;
    vm_diags_clear(d);
    vm_zip *z = (vm_zip *)1;
    vm_status st = vm_zip_open(fixture, fixture_len, "small.xlsx", &z, d);
    bool ok = st == VM_EIO && z == NULL && d->count == 1 && d->items[0].line == 1;
    free(d);
    return ok ? NULL : (void *)1;
}

static void load_failure_from_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, open_in_thread, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r = (void *)1;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_null(r);
    }
}

int main(void)
{
    read_fixture();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(load_failure_is_an_error),
        cmocka_unit_test(load_failure_is_remembered),
        cmocka_unit_test(load_failure_from_threads),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(fixture);
    return rc;
}
