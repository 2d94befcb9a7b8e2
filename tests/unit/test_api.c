/*
 * test_api.c - what the public headers promise about NULL and failure
 * (include/vmctr/common.h "Conventions" and each declaration): every
 * vm_*_free accepts NULL, the arguments documented as "may be NULL" may be,
 * and out of memory comes back as VM_EIO rather than as a user error or a
 * NULL hidden in a result.
 *
 * Out of memory is made with the linker: this test is linked with
 * -Wl,--wrap=malloc (tests/CMakeLists.txt), so every malloc in libvmctr's
 * objects goes through __wrap_malloc below and fails while `fail_malloc`
 * is set. The arena takes its blocks from malloc; an arena filled to leave
 * `room` bytes in its block makes the allocation that does not fit fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "vmctr/vmctr.h"

void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
static bool fail_malloc;
void *__wrap_malloc(size_t n) { return fail_malloc ? NULL : __real_malloc(n); }

/* An arena whose first block (64 KiB, arena.c BLOCK_MIN) has `room` bytes
 * left: the next allocation past them needs a new block from malloc. */
static vm_arena *arena_with_room(size_t room)
{
    vm_arena *a = vm_arena_new();
    assert_non_null(a);
    assert_non_null(vm_arena_alloc_uninit(a, 64u * 1024u - room));
    return a;
}

static void frees_accept_null(void **state)
{
    (void)state;
    vm_arena_free(NULL);
    vm_arena_reset(NULL);
    assert_int_equal(vm_arena_trim(NULL, 0), 0);
    assert_int_equal(vm_arena_used(NULL), 0);
    vm_buf_free(NULL);
    vm_engine_free(NULL);
    vm_ruleset_free(NULL);
    vm_source_free(NULL);
}

static void documented_nulls(void **state)
{
    (void)state;
    /* vm_source_mem: display may be NULL, and the name is then NULL */
    vm_source *s = vm_source_mem("a: 1\n", 5, NULL);
    assert_non_null(s);
    assert_null(vm_source_name(s));
    vm_source_free(s);
    /* vm_field_value_help(_count): NULL field */
    assert_null(vm_field_value_help(NULL, 0));
    assert_int_equal(vm_field_value_help_count(NULL), 0);
    /* vm_diag_add: path and file may be NULL */
    vm_diags d;
    vm_diags_clear(&d);
    vm_diag_add(&d, VM_SEV_ERROR, NULL, 2, 3, NULL, "bad %s", "thing");
    char line[64];
    assert_int_equal(vm_diag_format(&d.items[0], line, sizeof line), strlen("<input>:2:3: error: bad thing"));
    assert_string_equal(line, "<input>:2:3: error: bad thing");
    /* vm_suggest: cands may be NULL when n is 0 */
    assert_null(vm_suggest("word", NULL, 0));
    /* vm_waivers_match: w may be NULL */
    vm_gate_result r = {.outcome = VM_GATE_FAIL, .kind = VM_GATE_MISMATCH};
    assert_int_equal(vm_waivers_match(NULL, "p.yaml", "p", &r, 0), -1);
    /* vm_html_open: title may be NULL */
    vm_buf b;
    vm_buf_init(&b);
    vm_html_open(&b, NULL);
    assert_false(b.oom);
    assert_non_null(strstr(b.data, "<title></title>"));
    vm_buf_free(&b);
    assert_null(b.data);
    /* vm_system_compose: no parts */
    vm_system sys;
    vm_system_compose(NULL, 0, &sys);
    assert_int_equal(sys.paradigm, -1);
}

/* The length vm_diag_format returns is what it wrote, and cap 0 writes
 * nothing (it returned SIZE_MAX before, cap - 1 on an unsigned 0). */
static void diag_format_caps(void **state)
{
    (void)state;
    vm_diags d;
    vm_diags_clear(&d);
    vm_diag_add(&d, VM_SEV_WARNING, "f.yaml", 1, 2, "spec.x", "message");
    char out[8] = "xxxxxxx";
    assert_int_equal(vm_diag_format(&d.items[0], out, 0), 0);
    assert_string_equal(out, "xxxxxxx");
    assert_int_equal(vm_diag_format(&d.items[0], out, 1), 0);
    assert_string_equal(out, "");
    assert_int_equal(vm_diag_format(&d.items[0], out, sizeof out), 7);
    assert_string_equal(out, "f.yaml:");
}

/* vm_values_set_text: out of memory while copying a list's items is
 * VM_EIO, never VM_OK with a NULL item, and vals is unchanged on failure. */
static void set_text_out_of_memory(void **state)
{
    (void)state;
    bool eio = false, ok = false;
    for (size_t room = 0; room <= 256; room += 16) {
        vm_arena *a = arena_with_room(room);
        vm_values vals;
        memset(&vals, 0, sizeof vals);
        char err[64] = "";
        fail_malloc = true;
        vm_status st = vm_values_set_text(a, &vals, "isolation.compliance=pci-dss,hipaa", NULL, err, sizeof err);
        fail_malloc = false;
        const vm_value *v = &vals.v[VM_F_ISOLATION_COMPLIANCE];
        if (st == VM_OK) {
            ok = true;
            assert_true(v->set);
            assert_int_equal(v->u.list.n, 2);
            assert_string_equal(v->u.list.items[0], "pci-dss");
            assert_string_equal(v->u.list.items[1], "hipaa");
        } else {
            assert_int_equal(st, VM_EIO);
            assert_string_equal(err, "out of memory");
            assert_false(v->set);
            eio = true;
        }
        vm_arena_free(a);
    }
    assert_true(eio); /* both outcomes were reached: the loop covers the copies */
    assert_true(ok);
}

/* vm_report_what_if: out of memory is VM_EIO, not VM_EUSAGE (the assignment
 * is a valid one), and rep is unchanged on failure. */
static void what_if_out_of_memory(void **state)
{
    (void)state;
    vm_diags d;
    vm_diags_clear(&d);
    vm_ruleset *rs = vm_ruleset_new();
    assert_non_null(rs);
    assert_int_equal(vm_ruleset_add_builtin(rs, &d), VM_OK);
    assert_int_equal(vm_ruleset_finish(rs, &d), VM_OK);
    vm_engine *e = vm_engine_new(rs);
    vm_arena *pa = vm_arena_new();
    assert_non_null(e);
    assert_non_null(pa);
    static const char text[] = "apiVersion: vmctr/v1\nkind: WorkloadProfile\nmetadata: {name: svc}\n"
                               "spec:\n  workload: {architecture: microservices, os: linux}\n";
    vm_doc doc = {.data = text, .len = sizeof text - 1, .first_line = 1};
    vm_profile p;
    vm_report rep;
    bool empty = false;
    assert_int_equal(vm_profile_parse(pa, "t.yaml", &doc, &p, &empty, &d), VM_OK);
    assert_int_equal(vm_report_build(pa, e, &p, 0, &rep), VM_OK);
    static const char *const set[] = {"isolation.compliance=pci-dss,hipaa"};
    bool eio = false, ok = false;
    for (size_t room = 0; room <= 8192; room += 16) {
        vm_arena *a = arena_with_room(room);
        char err[64] = "";
        rep.what_if = NULL;
        fail_malloc = true;
        vm_status st = vm_report_what_if(a, e, &rep, 0, set, 1, err, sizeof err);
        fail_malloc = false;
        if (st == VM_OK) {
            ok = true;
            assert_non_null(rep.what_if);
        } else {
            assert_int_equal(st, VM_EIO);
            assert_string_equal(err, "out of memory");
            assert_null(rep.what_if);
            eio = true;
        }
        vm_arena_free(a);
    }
    assert_true(eio);
    assert_true(ok);
    vm_arena_free(pa);
    vm_engine_free(e);
    vm_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(frees_accept_null),
        cmocka_unit_test(documented_nulls),
        cmocka_unit_test(diag_format_caps),
        cmocka_unit_test(set_text_out_of_memory),
        cmocka_unit_test(what_if_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
