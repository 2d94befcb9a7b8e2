/*
 * test_import.c - the inventory modules: yamlsafe.c (untrusted text into
 * YAML), csvread.c (libcsv: separators, BOM, line numbers, limits) and
 * import.c (the RVTools mapping and writer) on small in-memory tables, and
 * zipread.c's loading of libzip on first use from several threads at once
 * (its failure is tests/unit/test_libload.c).
 * The generated-fixture and CLI tests are tests/import/check.py.
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
#include "yamlsafe.h"

/* ---- yamlsafe ------------------------------------------------------------- */

static char *scalar(const char *s, size_t n, size_t max)
{
    static char out[512];
    vm_buf b;
    vm_buf_init(&b);
    vm_yaml_scalar(&b, s, n, max);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    vm_buf_free(&b);
    return out;
}
#define SC(lit) scalar((lit), sizeof(lit) - 1, 0)

static void yaml_plain_only_when_safe(void **state)
{
    (void)state;
    assert_string_equal(SC("web-01"), "web-01");
    assert_string_equal(SC("Prod/Apps"), "Prod/Apps");
    assert_string_equal(SC("true"), "\"true\"");
    assert_string_equal(SC("NULL"), "\"NULL\"");
    assert_string_equal(SC("no"), "\"no\"");
    assert_string_equal(SC("1234"), "\"1234\"");
    assert_string_equal(SC(""), "\"\"");
    assert_string_equal(SC("- x"), "\"- x\"");
    assert_string_equal(SC("a: b"), "\"a: b\"");
    assert_string_equal(SC("# c"), "\"# c\"");
    assert_string_equal(SC("WEB 01"), "\"WEB 01\"");
}

static void yaml_escapes(void **state)
{
    (void)state;
    assert_string_equal(SC("a\nb"), "\"a\\nb\"");
    assert_string_equal(SC("q\"b\\"), "\"q\\\"b\\\\\"");
    /* C0 controls and DEL: a profile refuses them, the value carries U+FFFD */
    assert_string_equal(SC("\x1b[31m"), "\"\\ufffd[31m\"");
    assert_string_equal(SC("\x7f"), "\"\\ufffd\"");
    assert_string_equal(SC("a\rb"), "\"a\\ufffdb\"");
    assert_string_equal(SC("a\xe2\x80\xae" "b"), "\"a\\u202eb\""); /* RIGHT-TO-LEFT OVERRIDE */
    assert_string_equal(SC("\xe2\x80\xa8"), "\"\\u2028\"");
    assert_string_equal(SC("\xc2\x85"), "\"\\x85\"");             /* C1 NEL */
    assert_string_equal(SC("caf\xc3\xa9"), "\"caf\xc3\xa9\"");     /* UTF-8 kept */
    assert_string_equal(SC("M\xfcller"), "\"M\xc3\xbcller\"");     /* Latin-1 byte read as Latin-1 */
    assert_string_equal(scalar("a\0b", 3, 0), "\"a\\ufffdb\"");
    /* CI log command markers (escape.h): \x23 reads back as '#' */
    assert_string_equal(SC("##vso[task.setvariable variable=x]y"), "\"#\\x23vso[task.setvariable variable=x]y\"");
    assert_string_equal(SC("a ##[error]b"), "\"a #\\x23[error]b\"");
    assert_string_equal(SC("C## #vso["), "\"C## #vso[\"");
    vm_buf cb;
    vm_buf_init(&cb);
    vm_yaml_comment(&cb, "x ##vso[a.b]c", 13, 0);
    assert_string_equal(cb.data, "x #\\x23vso[a.b]c");
    vm_buf_free(&cb);
}

static void yaml_cut_at_character(void **state)
{
    (void)state;
    assert_string_equal(scalar("abcdef", 6, 4), "\"abcd...\"");
    /* a two-byte character straddling the cut is left out whole */
    assert_string_equal(scalar("abc\xc3\xa9", 5, 4), "\"abc...\"");
    char q[16];
    vm_yaml_quoted_to(q, sizeof q, "0123456789abcdefghij", 20);
    assert_true(strlen(q) < sizeof q);
    assert_int_equal(q[0], '"');
}

/* ---- csvread -------------------------------------------------------------- */

typedef struct {
    char text[2048];
    size_t len;
    uint32_t rows;
} collect;

static bool collect_row(void *ctx, const vm_row *r)
{
    collect *c = ctx;
    c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%u:", r->line);
    for (uint32_t i = 0; i < r->ncells; i++)
        c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%s[%s]", i ? "" : "", r->cells[i]);
    c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "\n");
    c->rows++;
    return true;
}

static vm_status csv(const char *data, collect *c, vm_diags *d)
{
    memset(c, 0, sizeof *c);
    vm_diags_clear(d);
    return vm_csv_read(data, strlen(data), "t.csv", "vInfo", collect_row, c, d);
}

static void csv_separators_bom_lines(void **state)
{
    (void)state;
    collect c;
    vm_diags d;
    assert_int_equal(csv("a,b\n1,2\n", &c, &d), VM_OK);
    assert_string_equal(c.text, "1:[a][b]\n2:[1][2]\n");
    assert_int_equal(csv("\xef\xbb\xbf" "a;b;c\r\n1;\"x;y\";3\r\n", &c, &d), VM_OK);
    assert_string_equal(c.text, "1:[a][b][c]\n2:[1][x;y][3]\n");
    assert_int_equal(csv("a\tb\n1\t2\n", &c, &d), VM_OK);
    assert_string_equal(c.text, "1:[a][b]\n2:[1][2]\n");
    /* a quoted line break: the next record's line is still right */
    assert_int_equal(csv("a,b\n\"x\ny\",2\nz,3", &c, &d), VM_OK);
    assert_string_equal(c.text, "1:[a][b]\n2:[x\ny][2]\n4:[z][3]\n");
}

static void csv_limits(void **state)
{
    (void)state;
    collect c;
    vm_diags d;
    size_t n = VM_LIMIT_INV_CELL_BYTES + 10;
    char *big = malloc(n + 16);
    assert_non_null(big);
    memcpy(big, "a,b\n1,", 6);
    memset(big + 6, 'x', n);
    strcpy(big + 6 + n, "\n");
    assert_int_equal(csv(big, &c, &d), VM_EPROFILE);
    assert_int_equal(d.items[0].line, 2);
    assert_int_equal(d.items[0].col, 2);
    free(big);
}

/* UTF-16 with a BOM, LE and BE: the same rows and lines as its UTF-8; a
 * pair of surrogates is one character; unpaired surrogates and odd byte
 * counts are refused with their position. */
static void csv_utf16(void **state)
{
    (void)state;
    collect c;
    vm_diags d;
    static const char le[] = "\xff\xfe" "a\0\t\0b\0\n\0" "1\0\t\0\xe9\0\n\0" "\x3d\xd8\x00\xde\t\0" "2\0";
    memset(&c, 0, sizeof c);
    vm_diags_clear(&d);
    assert_int_equal(vm_csv_read(le, sizeof le - 1, "t.csv", "vInfo", collect_row, &c, &d), VM_OK);
    assert_string_equal(c.text, "1:[a][b]\n2:[1][\xc3\xa9]\n3:[\xf0\x9f\x98\x80][2]\n");
    static const char be[] = "\xfe\xff" "\0a\0,\0b\0\n" "\0x\0,\0y";
    memset(&c, 0, sizeof c);
    assert_int_equal(vm_csv_read(be, sizeof be - 1, "t.csv", "vInfo", collect_row, &c, &d), VM_OK);
    assert_string_equal(c.text, "1:[a][b]\n2:[x][y]\n");
    /* line 2, column 3: a low surrogate alone */
    static const char lone[] = "\xff\xfe" "a\0\n\0" "1\0,\0\x00\xdc";
    vm_diags_clear(&d);
    assert_int_equal(vm_csv_read(lone, sizeof lone - 1, "t.csv", "vInfo", collect_row, &c, &d), VM_EPROFILE);
    assert_int_equal(d.items[0].line, 2);
    assert_int_equal(d.items[0].col, 3);
    assert_non_null(strstr(d.items[0].message, "U+DC00"));
    /* a high surrogate at the very end, and one followed by a letter */
    vm_diags_clear(&d);
    assert_int_equal(vm_csv_read("\xff\xfe" "a\0\x00\xd8", 6, "t.csv", "vInfo", collect_row, &c, &d), VM_EPROFILE);
    assert_int_equal(d.items[0].col, 2);
    vm_diags_clear(&d);
    assert_int_equal(vm_csv_read("\xfe\xff" "\xd8\x00\0a", 6, "t.csv", "vInfo", collect_row, &c, &d), VM_EPROFILE);
    assert_int_equal(d.items[0].col, 1);
    vm_diags_clear(&d);
    assert_int_equal(vm_csv_read("\xff\xfe" "a\0b", 5, "t.csv", "vInfo", collect_row, &c, &d), VM_EPROFILE);
    assert_non_null(strstr(d.items[0].message, "odd number of bytes"));
}

/* ---- import ---------------------------------------------------------------- */

static char *import(const char *csvtext, const char *group, vm_status *st)
{
    vm_import_opts o = {.group_by = group};
    vm_import *im = vm_import_new(&o);
    assert_non_null(im);
    vm_diags d;
    vm_diags_clear(&d);
    *st = vm_import_rvtools_csv(im, "vInfo", csvtext, strlen(csvtext), "inv.csv", &d);
    char *out = NULL;
    if (*st == VM_OK) {
        vm_buf b;
        vm_buf_init(&b);
        *st = vm_import_write(im, &b, &d);
        out = strdup(b.data ? b.data : "");
        vm_buf_free(&b);
    }
    vm_import_free(im);
    return out;
}

static void import_names_unique_dns_labels(void **state)
{
    (void)state;
    vm_status st;
    char *out = import("VM,Template\nWeb 01,False\nweb_01,False\n---,False\nTpl,True\n", NULL, &st);
    assert_int_equal(st, VM_OK);
    assert_non_null(strstr(out, "name: web-01  #"));
    assert_non_null(strstr(out, "name: web-01-2  #"));
    assert_non_null(strstr(out, "name: vm  #"));
    assert_null(strstr(out, "Tpl"));
    free(out);
}

static void import_fills_only_evidence(void **state)
{
    (void)state;
    vm_status st;
    char *out = import("VM,Annotation,App,Datacenter,OS according to the configuration file,FT State\n"
                       "a,\"note\",shop,DC,Other (64-bit),notConfigured\n",
                       NULL, &st);
    assert_int_equal(st, VM_OK);
    assert_null(strstr(out, "os:"));            /* "Other (64-bit)" says nothing */
    assert_null(strstr(out, "availability:"));  /* notConfigured */
    assert_non_null(strstr(out, "    App: shop  # vInfo line 2, \"App\"\n"));
    assert_non_null(strstr(out, "current_platform: vmware-esxi  # vInfo line 2"));
    assert_null(strstr(out, "team:"));
    free(out);
}

static void import_group_split(void **state)
{
    (void)state;
    char text[8192] = "VM,Annotation,Application,Datacenter\n";
    for (int i = 0; i < 70; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "vm%d,,big,DC\n", i);
    strcat(text, "alone,,,DC\n");
    vm_status st;
    char *out = import(text, "Application", &st);
    assert_int_equal(st, VM_OK);
    assert_non_null(strstr(out, "name: big-part-1"));
    assert_non_null(strstr(out, "name: big-part-2"));
    assert_non_null(strstr(out, "name: alone"));
    free(out);
}

/* ---- zipread: libzip is loaded on first use, once ------------------------- */

static char xlsx[1 << 16];
static size_t xlsx_len;

static bool count_bytes(void *ctx, const char *data, size_t len)
{
    (void)data;
    *(size_t *)ctx += len;
    return true;
}

/* Opens the workbook and reads its vInfo sheet's XML; NULL on success. */
static void *zip_in_thread(void *arg)
{
    (void)arg;
    vm_diags *d = malloc(sizeof *d);
    if (!d)
        return (void *)1;
    vm_diags_clear(d);
    vm_zip *z = NULL;
    size_t n = 0;
    bool ok = vm_zip_open(xlsx, xlsx_len, "small.xlsx", &z, d) == VM_OK &&
              vm_zip_stream(z, "xl/workbook.xml", 1 << 20, false, count_bytes, &n, d) == VM_OK && n > 0;
    vm_zip_close(z);
    free(d);
    return ok ? NULL : (void *)1;
}

static void zip_first_use_from_threads(void **state)
{
    (void)state;
    FILE *f = fopen(VMCTR_TESTS_DIR "/fuzz/corpus/import_xlsx/small.xlsx", "rb");
    assert_non_null(f);
    xlsx_len = fread(xlsx, 1, sizeof xlsx, f);
    fclose(f);
    assert_true(xlsx_len > 4 && xlsx_len < sizeof xlsx);
    /* the first vm_zip_open of the process happens in four threads at once */
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, zip_in_thread, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r = (void *)1;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_null(r);
    }
    assert_null(zip_in_thread(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_plain_only_when_safe),
        cmocka_unit_test(yaml_escapes),
        cmocka_unit_test(yaml_cut_at_character),
        cmocka_unit_test(csv_separators_bom_lines),
        cmocka_unit_test(csv_limits),
        cmocka_unit_test(csv_utf16),
        cmocka_unit_test(import_names_unique_dns_labels),
        cmocka_unit_test(import_fills_only_evidence),
        cmocka_unit_test(import_group_split),
        cmocka_unit_test(zip_first_use_from_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
