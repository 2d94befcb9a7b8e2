/*
 * test_util.c - arena, output buffer, diagnostics, the field table, the
 * '*' glob, the directory walker, and util/fmath.h against libm (this
 * test links libm; vmctr does not).
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, symlink, nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmctr/arena.h"
#include "util/buf.h"
#include "util/fmath.h"
#include "util/fs.h"
#include "util/glob.h"
#include "vmctr/diag.h"
#include "vmctr/field.h"
#include "scalar.h"

/* ---- arena ---------------------------------------------------------------- */

static void arena_alloc_zeroed_aligned(void **state)
{
    (void)state;
    vm_arena *a = vm_arena_new();
    assert_non_null(a);
    for (size_t sz = 1; sz < 200; sz += 7) {
        unsigned char *p = vm_arena_alloc(a, sz);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (size_t i = 0; i < sz; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, sz);
    }
    /* zero-size allocations still return distinct, usable pointers */
    void *z1 = vm_arena_alloc(a, 0), *z2 = vm_arena_alloc(a, 0);
    assert_non_null(z1);
    assert_non_null(z2);
    assert_ptr_not_equal(z1, z2);
    vm_arena_free(a);
}

static void arena_reset_reuses_memory(void **state)
{
    (void)state;
    vm_arena *a = vm_arena_new();
    enum { N = 40 };
    void *first[N];
    /* 40 x 10 KB spans several 64 KB blocks, plus one oversized block */
    for (int i = 0; i < N; i++)
        first[i] = vm_arena_alloc(a, 10 * 1024);
    void *big1 = vm_arena_alloc(a, 300 * 1024);
    assert_non_null(big1);
    assert_true(vm_arena_used(a) >= N * 10 * 1024 + 300 * 1024);
    vm_arena_reset(a);
    assert_int_equal(vm_arena_used(a), 0);
    for (int i = 0; i < N; i++) {
        unsigned char *p = vm_arena_alloc(a, 10 * 1024);
        assert_ptr_equal(p, first[i]);
        /* memory handed out again is zeroed again */
        for (size_t k = 0; k < 10 * 1024; k += 512)
            assert_int_equal(p[k], 0);
    }
    assert_ptr_equal(vm_arena_alloc(a, 300 * 1024), big1);
    vm_arena_free(a);
}

static void arena_uninit_aligned_and_alloc_still_zeroed(void **state)
{
    (void)state;
    vm_arena *a = vm_arena_new();
    unsigned char *u = vm_arena_alloc_uninit(a, 3000);
    assert_non_null(u);
    assert_int_equal((uintptr_t)u % _Alignof(max_align_t), 0);
    memset(u, 0xAB, 3000);
    vm_arena_reset(a);
    /* the same bytes handed out by vm_arena_alloc are cleared again */
    unsigned char *p = vm_arena_alloc(a, 3000);
    assert_ptr_equal(p, u);
    for (size_t i = 0; i < 3000; i++)
        assert_int_equal(p[i], 0);
    vm_arena_free(a);
}

static void arena_strndup_and_null(void **state)
{
    (void)state;
    vm_arena_free(NULL); /* no-op, must not crash */
    vm_arena_reset(NULL);
    assert_int_equal(vm_arena_used(NULL), 0);
    vm_arena *a = vm_arena_new();
    char *s = vm_arena_strndup(a, "hello world", 5);
    assert_string_equal(s, "hello");
    char *e = vm_arena_strndup(a, "", 0);
    assert_string_equal(e, "");
    vm_arena_free(a);
}

static void arena_huge_request_fails(void **state)
{
    (void)state;
    vm_arena *a = vm_arena_new();
    /* sizes whose rounding or block header would overflow must fail, not
     * return a tiny block */
    assert_null(vm_arena_alloc(a, SIZE_MAX));
    assert_null(vm_arena_alloc(a, SIZE_MAX - 8));
    assert_null(vm_arena_alloc(a, SIZE_MAX - 30));
    /* and the arena still works afterwards */
    assert_non_null(vm_arena_alloc(a, 16));
    vm_arena_free(a);
}

/* ---- scalar compares ----------------------------------------------------------- */

/* vm_bytes_eq agrees with memcmp for every length up to past its 16-byte
 * fast path and a difference at every position; the buffers are exactly n
 * bytes on the heap, so a read past them shows under ASan. */
static void scalar_bytes_eq_like_memcmp(void **state)
{
    (void)state;
    for (size_t n = 0; n <= 40; n++) {
        char *a = malloc(n ? n : 1), *b = malloc(n ? n : 1);
        assert_non_null(a);
        assert_non_null(b);
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] = (char)('a' + (i * 7) % 26);
        assert_true(vm_bytes_eq(a, b, n));
        for (size_t i = 0; i < n; i++) {
            b[i] ^= 0x20;
            assert_false(vm_bytes_eq(a, b, n));
            assert_int_equal(vm_bytes_eq(a, b, n), memcmp(a, b, n) == 0);
            b[i] ^= 0x20;
        }
        free(a);
        free(b);
    }
}

/* '*' takes any run ('/' included, backtracking to the last star); fold
 * matches letters in either case; the subject is n bytes, not a C string. */
static void glob_stars_and_case(void **state)
{
    (void)state;
    static const struct {
        const char *p, *s;
        bool exact, folded;
    } cases[] = {
        {"", "", true, true},
        {"*", "", true, true},
        {"*", "a/b", true, true},
        {"a*c", "abbc", true, true},
        {"*win*", "Windows", false, true},
        {"*win*", "darwin", true, true},
        {"a*b*c", "aXbYbZc", true, true},
        {"a*b", "ab/b", true, true},
        {"a*b", "abc", false, false},
        {"ab", "a", false, false},
        {"a", "ab", false, false},
        {"Dockerfile", "dockerfile", false, true},
        {"**x", "yx", true, true},
        {"x**", "x", true, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i].s);
        assert_int_equal(vm_glob(cases[i].p, cases[i].s, n, false), cases[i].exact);
        assert_int_equal(vm_glob(cases[i].p, cases[i].s, n, true), cases[i].folded);
    }
    assert_true(vm_glob("ab", "abc", 2, false)); /* n bytes only */
    assert_false(vm_glob("abc", "abc", 2, false));
}

static void scalar_eq_words(void **state)
{
    (void)state;
    static const char *const words[] = {"", "o", "os", "gui", "team", "linux", "windows",
                                        "workload", "operations", "release_frequency",
                                        "app.kubernetes.io/part-of"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        for (size_t v = 0; v < sizeof words / sizeof *words; v++) {
            size_t n = strlen(words[v]);
            assert_int_equal(vm_scalar_eq(words[v], n, words[w]), w == v);
        }
        /* a prefix, or the word with one more byte, is not the word */
        size_t n = strlen(words[w]);
        char buf[64];
        memcpy(buf, words[w], n);
        buf[n] = 'x';
        assert_false(vm_scalar_eq(buf, n + 1, words[w]));
        if (n)
            assert_false(vm_scalar_eq(words[w], n - 1, words[w]));
    }
    /* an embedded NUL never matches a shorter word */
    assert_false(vm_scalar_eq("os\0x", 4, "os"));
}

/* ---- buf -------------------------------------------------------------------- */

static const char *num(vm_buf *b, double v, int digits)
{
    vm_buf_reset(b);
    vm_buf_num(b, v, digits);
    return b->len ? b->data : "";
}

static void buf_num_deterministic(void **state)
{
    (void)state;
    vm_buf b;
    vm_buf_init(&b);
    assert_string_equal(num(&b, 0.1 + 0.2, 2), "0.3");
    assert_string_equal(num(&b, 0.1 + 0.2, 6), "0.3");
    assert_string_equal(num(&b, -0.0, 2), "0");
    assert_string_equal(num(&b, -0.001, 2), "0"); /* rounds to zero: no "-0" */
    assert_string_equal(num(&b, 0.0, 0), "0");
    assert_string_equal(num(&b, 1.0, 2), "1");
    assert_string_equal(num(&b, 2.50, 2), "2.5");
    assert_string_equal(num(&b, -1.25, 2), "-1.25");
    assert_string_equal(num(&b, 0.825, 1), "0.8");
    assert_string_equal(num(&b, 0.05, 2), "0.05");
    assert_string_equal(num(&b, 9.999, 2), "10");
    assert_string_equal(num(&b, 2.5, 0), "3");
    assert_string_equal(num(&b, 1.0 / 3.0, 4), "0.3333");
    assert_string_equal(num(&b, 123456789.0, 2), "123456789");
    assert_string_equal(num(&b, 123456789.25, 2), "123456789.25");
    assert_string_equal(num(&b, -99999999.5, 2), "-99999999.5");
    assert_string_equal(num(&b, 10000.75, 2), "10000.75");
    assert_string_equal(num(&b, 1e20, 2), "100000000000000000000");
    assert_string_equal(num(&b, -1e20, 2), "-100000000000000000000");
    assert_string_equal(num(&b, 0.5, 9), "0.5");  /* digits clamped to 6 */
    assert_string_equal(num(&b, 1e-9, 9), "0");
    assert_string_equal(num(&b, 0.1, -3), "0");   /* negative digits = 0 */
    assert_string_equal(num(&b, 0.0 / 0.0, 2), "0"); /* NaN */
    assert_string_equal(num(&b, 1.0 / 0.0, 2), "0"); /* inf */
    assert_false(b.oom);
    vm_buf_free(&b);
    vm_buf_free(NULL);
}

/* vm_buf_int splits by magnitude: every digit count and both sides of
 * each power of ten must print as printf does. */
static void buf_int_matches_printf(void **state)
{
    (void)state;
    vm_buf b;
    vm_buf_init(&b);
    char want[32];
    long long vals[200];
    size_t n = 0;
    long long p10 = 1;
    for (int d = 0; d <= 18; d++) { /* p10 = 10^d */
        vals[n++] = p10 - 1;
        vals[n++] = p10;
        vals[n++] = p10 + 1;
        vals[n++] = -p10;
        vals[n++] = -(p10 - 1);
        vals[n++] = p10 * 7 + 3;
        if (d < 18)
            p10 *= 10;
    }
    vals[n++] = LLONG_MAX;
    vals[n++] = LLONG_MIN;
    vals[n++] = (long long)UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        vm_buf_reset(&b);
        vm_buf_int(&b, vals[i]);
        snprintf(want, sizeof want, "%lld", vals[i]);
        assert_string_equal(b.data, want);
    }
    for (long long v = -1000; v <= 120000; v += 7) {
        vm_buf_reset(&b);
        vm_buf_int(&b, v);
        snprintf(want, sizeof want, "%lld", v);
        assert_string_equal(b.data, want);
    }
    vm_buf_free(&b);
}

static const char *json(vm_buf *b, const char *s, size_t n)
{
    vm_buf_reset(b);
    vm_buf_json_strn(b, s, n);
    return b->data;
}

static void buf_json_escapes(void **state)
{
    (void)state;
    vm_buf b;
    vm_buf_init(&b);
    assert_string_equal(json(&b, "plain", 5), "\"plain\"");
    assert_string_equal(json(&b, "", 0), "\"\"");
    assert_string_equal(json(&b, "a\"b\\c", 5), "\"a\\\"b\\\\c\"");
    assert_string_equal(json(&b, "\n\r\t", 3), "\"\\n\\r\\t\"");
    assert_string_equal(json(&b, "\x01\x1f\b\f", 4), "\"\\u0001\\u001f\\u0008\\u000c\"");
    assert_string_equal(json(&b, "a\0b", 3), "\"a\\u0000b\"");
    assert_string_equal(json(&b, "\x7f", 1), "\"\\u007f\""); /* DEL: terminals act on it */
    assert_string_equal(json(&b, "\xc2\xa7" "14.2", 6), "\"\xc2\xa7" "14.2\""); /* UTF-8 kept */
    assert_string_equal(json(&b, "/", 1), "\"/\"");
    vm_buf_reset(&b);
    vm_buf_json_str(&b, NULL);
    assert_string_equal(b.data, "null");
    vm_buf_reset(&b);
    vm_buf_json_str(&b, "x");
    assert_string_equal(b.data, "\"x\"");
    vm_buf_free(&b);
}

static void buf_xml_escapes(void **state)
{
    (void)state;
    vm_buf b;
    vm_buf_init(&b);
    vm_buf_xml(&b, "a<b>&\"c\"'d'");
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
    vm_buf_reset(&b);
    vm_buf_xml(&b, "x\x01y\tz\n\r\x7f");
    /* not an XML 1.0 character (or DEL): U+FFFD; line breaks as references */
    assert_string_equal(b.data, "x\xEF\xBF\xBDy\tz&#10;&#13;\xEF\xBF\xBD");
    vm_buf_reset(&b);
    vm_buf_xml(&b, NULL); /* nothing */
    vm_buf_xml(&b, "");
    assert_int_equal(b.len, 0);
    vm_buf_free(&b);
}

static void buf_growth_and_printf(void **state)
{
    (void)state;
    vm_buf b;
    vm_buf_init(&b);
    for (int i = 0; i < 10000; i++)
        vm_buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 10000);
    assert_int_equal(b.data[9999], 'a' + 9999 % 26);
    assert_int_equal(b.data[10000], '\0');
    vm_buf_reset(&b);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    vm_buf_printf(&b, "[%s|%d]", big, 42); /* longer than the 256-byte fast path */
    assert_int_equal(b.len, 999 + 5);
    assert_int_equal(b.data[0], '[');
    assert_string_equal(b.data + 1000, "|42]");
    vm_buf_printf(&b, "%s", "");
    assert_int_equal(b.len, 1004);
    vm_buf_puts(&b, "!");
    assert_string_equal(b.data + 1000, "|42]!");
    assert_false(b.oom);
    vm_buf_free(&b);
}

/* ---- diag ------------------------------------------------------------------ */

static void diag_suggest(void **state)
{
    (void)state;
    const vm_field_def *rf = vm_field(VM_F_DELIVERY_RELEASE_FREQUENCY);
    assert_string_equal(vm_suggest("dayly", rf->values, rf->nvalues), "daily");
    assert_string_equal(vm_suggest("weekley", rf->values, rf->nvalues), "weekly");
    assert_string_equal(vm_suggest("ondemand", rf->values, rf->nvalues), "on-demand");
    assert_null(vm_suggest("fortnightly", rf->values, rf->nvalues));
    assert_null(vm_suggest("", rf->values, rf->nvalues));
    const vm_field_def *ar = vm_field(VM_F_WORKLOAD_ARCHITECTURE);
    assert_string_equal(vm_suggest("micro", ar->values, ar->nvalues), "microservices"); /* prefix */
    assert_string_equal(vm_suggest("monolit", ar->values, ar->nvalues), "monolith");
    assert_null(vm_suggest("xyz", ar->values, ar->nvalues));
    const char *keys[] = {"architecture", "lifecycle", "os"};
    assert_string_equal(vm_suggest("architecure", keys, 3), "architecture");
    assert_null(vm_suggest("anything", keys, 0));
    char longw[200];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    assert_null(vm_suggest(longw, keys, 3)); /* long words: no suggestion, no overflow */
}

static void diag_format(void **state)
{
    (void)state;
    vm_diags d;
    vm_diags_clear(&d);
    vm_diag_add(&d, VM_SEV_ERROR, "f.yaml", 17, 24, "spec.delivery.release_frequency",
                "'%s' is not one of %s", "dayly", "daily");
    vm_diag_add(&d, VM_SEV_WARNING, "f.yaml", 0, 0, "", "no line %d", 7);
    vm_diag_add(&d, VM_SEV_ERROR, NULL, 3, 0, NULL, "bare");
    assert_int_equal(d.count, 3);
    assert_int_equal(d.errors, 2);
    char out[512];
    size_t n = vm_diag_format(&d.items[0], out, sizeof out);
    assert_string_equal(out, "f.yaml:17:24: error: spec.delivery.release_frequency: 'dayly' is not one of daily");
    assert_int_equal(n, strlen(out));
    vm_diag_format(&d.items[1], out, sizeof out);
    assert_string_equal(out, "f.yaml: warning: no line 7");
    vm_diag_format(&d.items[2], out, sizeof out);
    assert_string_equal(out, "<input>:3:1: error: bare");
    /* truncation: always NUL-terminated, returns what was written */
    char small[10];
    n = vm_diag_format(&d.items[0], small, sizeof small);
    assert_int_equal(n, 9);
    assert_string_equal(small, "f.yaml:17");
}

static void diag_cap(void **state)
{
    (void)state;
    vm_diags d;
    vm_diags_clear(&d);
    for (unsigned i = 0; i < VM_LIMIT_ERRORS + 7; i++)
        vm_diag_add(&d, VM_SEV_ERROR, "f", i + 1, 1, "", "error %u", i);
    vm_diag_add(&d, VM_SEV_WARNING, "f", 1, 1, "", "warn");
    assert_int_equal(d.count, VM_LIMIT_ERRORS);
    assert_int_equal(d.dropped, 8);
    assert_int_equal(d.errors, VM_LIMIT_ERRORS + 7);
    assert_string_equal(d.items[VM_LIMIT_ERRORS - 1].message, "error 19");
    /* "out of memory" is never among the errors not shown (a loader tells
     * it from bad input by it, and it is printed): it takes the last
     * place, whose error is counted as dropped instead; said once */
    assert_false(vm_diags_out_of_memory(&d, 0));
    vm_diag_add(&d, VM_SEV_ERROR, "f", 0, 0, "", "%s", "out of memory");
    assert_true(vm_diags_out_of_memory(&d, 0));
    assert_true(vm_diags_out_of_memory(&d, VM_LIMIT_ERRORS - 1));
    assert_false(vm_diags_out_of_memory(&d, VM_LIMIT_ERRORS));
    assert_int_equal(d.count, VM_LIMIT_ERRORS);
    assert_string_equal(d.items[VM_LIMIT_ERRORS - 1].message, "out of memory");
    assert_string_equal(d.items[VM_LIMIT_ERRORS - 2].message, "error 18");
    assert_int_equal(d.dropped, 9);
    assert_int_equal(d.errors, VM_LIMIT_ERRORS + 8);
    vm_diag_add(&d, VM_SEV_ERROR, "f", 0, 0, "", "out of memory");
    assert_string_equal(d.items[VM_LIMIT_ERRORS - 2].message, "error 18");
    assert_int_equal(d.dropped, 10);
    /* messages and paths longer than the buffers are truncated, not overflowed */
    char longp[300], longm[1000];
    memset(longp, 'p', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    memset(longm, 'm', sizeof longm - 1);
    longm[sizeof longm - 1] = '\0';
    vm_diags_clear(&d);
    assert_int_equal(d.count, 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.dropped, 0);
    vm_diag_add(&d, VM_SEV_ERROR, "f", 1, 1, longp, "%s", longm);
    assert_int_equal(strlen(d.items[0].path), sizeof d.items[0].path - 1);
    assert_int_equal(strlen(d.items[0].message), sizeof d.items[0].message - 1);
}

/* ---- field table -------------------------------------------------------------- */

static void field_table_consistent(void **state)
{
    (void)state;
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = vm_field(i);
        assert_non_null(f);
        assert_int_equal(f->id, i);
        assert_non_null(f->help);
        assert_true(strlen(f->help) > 0);
        char want[128];
        if (strcmp(f->section, "metadata") == 0) {
            snprintf(want, sizeof want, "metadata.%s", f->key);
            assert_false(f->in_component);
            assert_int_equal(f->category, -1);
        } else {
            snprintf(want, sizeof want, "spec.%s.%s", f->section, f->key);
            assert_true(f->in_component);
        }
        assert_string_equal(f->path, want);
        assert_int_equal(f->path_len, strlen(f->path));
        /* the category is the section, for the seven rule categories */
        int cat = vm_category_find(f->section, strlen(f->section));
        if (strcmp(f->section, "priorities") == 0 || strcmp(f->section, "decision") == 0 ||
            strcmp(f->section, "metadata") == 0)
            assert_int_equal(f->category, -1);
        else
            assert_int_equal(f->category, cat);
        if (f->type == VM_T_ENUM || f->type == VM_T_ENUM_LIST) {
            assert_non_null(f->values);
            assert_true(f->nvalues >= 2);
            if (f->type == VM_T_ENUM_LIST)
                assert_true(f->nvalues <= 32); /* a bit per value in a uint32_t mask */
            for (int v = 0; v < f->nvalues; v++) {
                assert_non_null(f->values[v]);
                assert_true(strlen(f->values[v]) > 0);
                assert_int_equal(vm_field_enum_index(f, f->values[v], strlen(f->values[v])), v);
                for (int w = 0; w < v; w++)
                    assert_string_not_equal(f->values[v], f->values[w]);
            }
            if (f->rank) {
                unsigned seen = 0;
                for (int v = 0; v < f->nvalues; v++) {
                    assert_true(f->rank[v] < f->nvalues);
                    seen |= 1u << f->rank[v];
                }
                assert_int_equal(seen, (1u << f->nvalues) - 1); /* a permutation */
            }
            assert_int_equal(vm_field_enum_index(f, "no-such-value", 13), -1);
        } else {
            assert_null(f->values);
            assert_int_equal(f->nvalues, 0);
            assert_null(f->rank);
        }
        if (f->type == VM_T_INT)
            assert_true(f->min <= f->max);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(f->path, vm_field(j)->path);
    }
    assert_null(vm_field((vm_field_id)VM_FIELD_COUNT));
    assert_null(vm_field((vm_field_id)-1));
}

/* vm_section_fields gives exactly the fields whose section is that name */
static void section_ranges(void **state)
{
    (void)state;
    int covered = 0;
    for (size_t sec = 0; sec < vm_spec_section_count; sec++) {
        int first, count;
        vm_section_fields((int)sec, &first, &count);
        if (strcmp(vm_spec_sections[sec], "components") == 0) {
            assert_int_equal(count, 0);
            continue;
        }
        assert_true(count > 0);
        int expected = 0;
        for (int i = 0; i < VM_FIELD_COUNT; i++)
            if (strcmp(vm_field(i)->section, vm_spec_sections[sec]) == 0)
                expected++;
        assert_int_equal(count, expected);
        for (int i = first; i < first + count; i++)
            assert_string_equal(vm_field(i)->section, vm_spec_sections[sec]);
        covered += count;
    }
    /* every field but metadata's belongs to exactly one spec section */
    assert_int_equal(covered, VM_FIELD_COUNT - VM_F_WORKLOAD_ARCHITECTURE);
    int first, count;
    vm_section_fields(-1, &first, &count);
    assert_int_equal(count, 0);
}

/* init's `?`: every field with choices explains each of them, one line
 * each, and no other field has explanations */
static void value_helps_complete(void **state)
{
    (void)state;
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = vm_field(i);
        unsigned want = f->type == VM_T_BOOL ? 2u
                        : f->type == VM_T_ENUM || f->type == VM_T_ENUM_LIST ? f->nvalues
                                                                            : 0u;
        if (vm_field_value_help_count(f) != want)
            fail_msg("%s: %u value explanations for %u choices", f->path, vm_field_value_help_count(f), want);
        for (unsigned k = 0; k < want; k++) {
            const char *m = vm_field_value_help(f, (int)k);
            assert_non_null(m);
            assert_true(strlen(m) > 3 && strlen(m) < 100); /* one short line */
            assert_null(strchr(m, '\n'));
        }
        assert_null(vm_field_value_help(f, (int)want));
        assert_null(vm_field_value_help(f, -1));
    }
    assert_null(vm_field_value_help(NULL, 0));
    assert_string_equal(vm_field_value_help(vm_field(VM_F_WORKLOAD_OS), 1), "runs on Windows (Windows Server)");
}

static void field_find(void **state)
{
    (void)state;
    for (int i = 0; i < VM_FIELD_COUNT; i++) {
        const vm_field_def *f = vm_field(i);
        assert_int_equal(vm_field_find(f->path, strlen(f->path)), i);
        if (strncmp(f->path, "spec.", 5) == 0)
            assert_int_equal(vm_field_find(f->path + 5, strlen(f->path) - 5), i);
    }
#define FIND(s) vm_field_find(s, strlen(s))
    assert_int_equal(FIND("workload.os"), VM_F_WORKLOAD_OS);
    assert_int_equal(FIND("spec.workload.os"), VM_F_WORKLOAD_OS);
    assert_int_equal(FIND("metadata.name"), VM_F_META_NAME);
    assert_int_equal(FIND("spec.metadata.name"), -1); /* metadata is not under spec */
    assert_int_equal(FIND("workload.oss"), -1);
    assert_int_equal(FIND("workload"), -1);
    assert_int_equal(FIND("workload."), -1);
    assert_int_equal(FIND("spec."), -1);
    assert_int_equal(FIND("spec"), -1);
    assert_int_equal(FIND(""), -1);
    assert_int_equal(FIND("spec.spec.workload.os"), -1);
    assert_int_equal(FIND(".os"), -1);
    /* the length is honoured: no NUL needed */
    assert_int_equal(vm_field_find("workload.osX", 11), VM_F_WORKLOAD_OS);
    assert_int_equal(vm_field_find("delivery.ci_cd=advanced", 14), VM_F_DELIVERY_CI_CD);
#undef FIND
    for (int c = 0; c < VM_CAT_COUNT; c++) {
        const char *n = vm_category_name(c);
        assert_int_equal(vm_category_find(n, strlen(n)), c);
        assert_string_equal(vm_spec_sections[c], n);
    }
    assert_string_equal(vm_category_name(-1), "?");
    assert_string_equal(vm_category_name(VM_CAT_COUNT), "?");
    assert_int_equal(vm_category_find("priorities", 10), -1);
    assert_int_equal(vm_spec_section_count, 10);
}

/* ---- directory walker: symbolic links stay inside the root ------------------ */

typedef struct {
    char seen[16][64];  /* "errno-or-code rel-path" of each error */
    int n;
    size_t root;        /* strlen of the root and its slash */
    int targets;        /* entries whose target kind the visit saw right */
} walk_log;

static void walk_err(void *ctx, const char *path, int err)
{
    walk_log *l = ctx;
    if (l->n < 16)
        snprintf(l->seen[l->n++], sizeof l->seen[0], "%d %s", err, path + l->root);
}

/* Takes every entry but skip*.yaml; descends every directory, links too. */
static vm_walk_action walk_visit(void *ctx, const vm_dirent *e)
{
    walk_log *l = ctx;
    if (strcmp(e->name, "in.yaml") == 0)
        l->targets += e->kind == VM_ENT_LINK && e->target == VM_ENT_FILE;
    if (strcmp(e->name, "back") == 0)
        l->targets += e->kind == VM_ENT_LINK && e->target == VM_ENT_DIR;
    if (strcmp(e->name, "a.yaml") == 0)
        l->targets += e->kind == VM_ENT_FILE && e->target == VM_ENT_FILE;
    if (strncmp(e->name, "skip", 4) == 0)
        return VM_WALK_SKIP;
    return e->target == VM_ENT_DIR ? VM_WALK_DESCEND : VM_WALK_TAKE;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(path);
}

static void touch(const char *dir, const char *rel, const char *text)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void link_at(const char *dir, const char *rel, const char *target)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    assert_int_equal(symlink(target, p), 0);
}

static bool logged(const walk_log *l, int err, const char *rel)
{
    char want[64];
    snprintf(want, sizeof want, "%d %s", err, rel);
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->seen[i], want) == 0)
            return true;
    return false;
}

/*
 * A tree under review (root/) beside a file outside it (out/creds.yaml):
 * links that lead outside it, taken or descended, are neither read nor
 * walked and are errors (VM_WALK_EOUTSIDE), whether absolute, relative
 * (../..) or to a directory; a link skipped by the caller is not even
 * resolved; a link inside to a file is taken, one to a directory inside
 * (the root itself: a loop) is not followed and is no error; a dangling
 * link is its errno. Walked once through the real path and once through a
 * link to the root (the root's realpath is what counts).
 */
static void walk_links_stay_inside(void **state)
{
    (void)state;
    char base[] = "/tmp/vmctr-walk.XXXXXX";
    assert_non_null(mkdtemp(base));
    char root[PATH_MAX], out[PATH_MAX], abs_creds[PATH_MAX], alias[PATH_MAX];
    snprintf(root, sizeof root, "%s/root", base);
    snprintf(out, sizeof out, "%s/out", base);
    snprintf(abs_creds, sizeof abs_creds, "%s/out/creds.yaml", base);
    snprintf(alias, sizeof alias, "%s/alias", base);
    assert_int_equal(mkdir(root, 0700), 0);
    assert_int_equal(mkdir(out, 0700), 0);
    char sub[PATH_MAX + 8];
    snprintf(sub, sizeof sub, "%s/sub", root);
    assert_int_equal(mkdir(sub, 0700), 0);
    touch(out, "creds.yaml", "AWS_SECRET_ACCESS_KEY: x\n");
    touch(root, "a.yaml", "a\n");
    link_at(root, "in.yaml", "a.yaml");              /* inside: taken */
    link_at(root, "sub/in2.yaml", "../a.yaml");      /* inside, through ..: taken */
    link_at(root, "abs.yaml", abs_creds);            /* absolute, outside */
    link_at(root, "sub/up.yaml", "../../out/creds.yaml"); /* relative, outside */
    link_at(root, "outdir", "../out");               /* a directory outside */
    link_at(root, "back", ".");                      /* the root itself: a loop */
    link_at(root, "sub/dang.yaml", "nowhere.yaml");  /* dangling */
    link_at(root, "skip.yaml", abs_creds);           /* outside, but not wanted */
    link_at(base, "alias", "root");

    for (int pass = 0; pass < 2; pass++) {
        const char *r = pass ? alias : root;
        walk_log l = {.root = strlen(r) + 1};
        vm_walk_opts o = {NULL, walk_visit, walk_err, &l, 8};
        vm_pathlist got = {0};
        assert_int_equal(vm_walk(r, &o, &got), 0);
        vm_pathlist_sort(&got);
        assert_int_equal(got.n, 3);
        assert_string_equal(got.v[0] + l.root, "a.yaml");
        assert_string_equal(got.v[1] + l.root, "in.yaml");
        assert_string_equal(got.v[2] + l.root, "sub/in2.yaml");
        assert_int_equal(l.n, 4);
        assert_true(logged(&l, VM_WALK_EOUTSIDE, "abs.yaml"));
        assert_true(logged(&l, VM_WALK_EOUTSIDE, "sub/up.yaml"));
        assert_true(logged(&l, VM_WALK_EOUTSIDE, "outdir"));
        assert_true(logged(&l, ENOENT, "sub/dang.yaml"));
        assert_int_equal(l.targets, 3);
        vm_pathlist_free(&got);
    }
    assert_int_equal(nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* vm_path_within: a file under the root, through links inside or through
 * a linked directory inside, is within; a link (to a file, or a directory
 * on the way) that resolves outside is not, nor is a sibling sharing the
 * root's name as a prefix; "/" holds everything; a missing path is -1. */
static void path_within_resolves_links(void **state)
{
    (void)state;
    char base[] = "/tmp/vmctr-within.XXXXXX";
    assert_non_null(mkdtemp(base));
    char root[PATH_MAX], p[PATH_MAX + 32], abs_creds[PATH_MAX];
    snprintf(root, sizeof root, "%s/root", base);
    snprintf(abs_creds, sizeof abs_creds, "%s/rootx/creds.yaml", base);
    assert_int_equal(mkdir(root, 0700), 0);
    snprintf(p, sizeof p, "%s/rootx", base);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/d", root);
    assert_int_equal(mkdir(p, 0700), 0);
    touch(root, "d/a.yaml", "a\n");
    touch(base, "rootx/creds.yaml", "k: v\n");
    link_at(root, "in.yaml", "d/a.yaml");
    link_at(root, "dl", "d");
    link_at(root, "out.yaml", abs_creds);
    link_at(root, "outdir", "../rootx");
    static const struct {
        const char *rel;
        bool inside;
    } cases[] = {{"d/a.yaml", true},   {"in.yaml", true},        {"dl/a.yaml", true}, {".", true},
                 {"out.yaml", false}, {"outdir/creds.yaml", false}, {"..", false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", root, cases[i].rel);
        bool in = !cases[i].inside;
        assert_int_equal(vm_path_within(p, root, &in), 0);
        if (in != cases[i].inside)
            fail_msg("%s: inside %d, want %d", cases[i].rel, in, cases[i].inside);
        in = false;
        assert_int_equal(vm_path_within(p, "/", &in), 0);
        assert_true(in);
    }
    bool in = true;
    snprintf(p, sizeof p, "%s/missing.yaml", root);
    errno = 0;
    assert_int_equal(vm_path_within(p, root, &in), -1);
    assert_int_equal(errno, ENOENT);
    assert_true(in); /* untouched */
    assert_int_equal(nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* vm_checkout_root: the nearest directory up holding .git (a directory or
 * a file, as in a worktree), resolved; without one, "." resolved. */
static void checkout_root_finds_git(void **state)
{
    (void)state;
    char base[] = "/tmp/vmctr-root.XXXXXX";
    assert_non_null(mkdtemp(base));
    char *rbase = realpath(base, NULL);
    assert_non_null(rbase);
    char p[PATH_MAX + 64], want[PATH_MAX + 64], cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    static const char *const dirs[] = {"repo", "repo/.git", "repo/a", "repo/a/b", "wt", "wt/sub"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", base, dirs[i]);
        assert_int_equal(mkdir(p, 0700), 0);
    }
    snprintf(want, sizeof want, "%s/wt", base);
    touch(want, ".git", "gitdir: elsewhere\n"); /* a worktree's .git file */
    static const char *const runs[][2] = {{"repo/a/b", "repo"}, {"repo", "repo"}, {"wt/sub", "wt"}, {"", ""}};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", base, runs[i][0]);
        assert_int_equal(chdir(p), 0);
        char *root = vm_checkout_root();
        assert_non_null(root);
        snprintf(want, sizeof want, "%s%s%s", rbase, *runs[i][1] ? "/" : "", runs[i][1]);
        assert_string_equal(root, want);
        free(root);
    }
    assert_int_equal(chdir(cwd), 0);
    free(rbase);
    assert_int_equal(nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* ---- fmath: the same results as libm, on seeded random values and on the
 * edges (both neighbours of every half and of every power of ten, signed
 * zeros, NaN and the infinities) -------------------------------------- */

/* splitmix64: the same values on every run */
static uint64_t rng_state = 0x5eed2026u;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* A double of any sign and exponent (every bit pattern but NaN's), or one
 * of magnitude below 2^s for small s, half the time: the ranges renderers
 * see. */
static double any_double(void)
{
    uint64_t bits = rnd();
    double x;
    if (bits & 1) {
        memcpy(&x, &bits, sizeof x);
        if (isnan(x))
            x = 0.5;
        return x;
    }
    int scale = (int)(rnd() % 64) - 10;
    return ((double)(int64_t)(rnd() >> 11) / 0x1p53 - 0.5) * ldexp(1.0, scale);
}

/* same double, bit for bit (so -0 is not +0), or both NaN */
static void assert_same(double got, double want, double x, const char *what)
{
    bool same = memcmp(&got, &want, sizeof got) == 0 || (isnan(got) && isnan(want));
    if (!same)
        fail_msg("%s(%.17g) = %.17g, libm %.17g", what, x, got, want);
}

static void check_floor_ceil(double x)
{
    assert_same(vm_floor(x), floor(x), x, "vm_floor");
    assert_same(vm_ceil(x), ceil(x), x, "vm_ceil");
}

static void floor_ceil_match_libm(void **state)
{
    (void)state;
    const double edges[] = {0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 0x1p52, -0x1p52, 0x1p52 - 0.5, -0x1p52 + 0.5,
                            0x1p53, 0x1p63, -0x1p63, 1e300, -1e300, 5e-324, -5e-324, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        check_floor_ceil(edges[i]);
    /* both neighbours of integers and halves */
    for (int k = -2000; k <= 2000; k++) {
        double v = k / 2.0;
        check_floor_ceil(v);
        check_floor_ceil(nextafter(v, INFINITY));
        check_floor_ceil(nextafter(v, -INFINITY));
    }
    for (int i = 0; i < 1000000; i++)
        check_floor_ceil(any_double());
}

static void check_lround(double x)
{
    long got = vm_lround(x), want = lround(x);
    if (got != want)
        fail_msg("vm_lround(%.17g) = %ld, libm %ld", x, got, want);
}

static void lround_matches_libm(void **state)
{
    (void)state;
    /* every half and both its neighbours, where rounding decides */
    for (int k = -4000; k <= 4000; k++) {
        double v = k / 2.0;
        check_lround(v);
        check_lround(nextafter(v, INFINITY));
        check_lround(nextafter(v, -INFINITY));
    }
    const double edges[] = {0.49999999999999994, -0.49999999999999994, 0x1p52 + 1, -0x1p52 - 1, 0x1p62, -0x1p62,
                            4503599627370495.5, -4503599627370495.5};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        check_lround(edges[i]);
    for (int i = 0; i < 1000000; i++) {
        double x = any_double();
        if (fabs(x) < 0x1p62) /* lround's result is unspecified beyond long */
            check_lround(x);
    }
}

/* report_html.c's axis step, as it was with libm and as it is now */
static double step_of(double raw, double p)
{
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* The same step from 1e-5 up (spans of 5e-5; a chart's span is a sum of
 * weights times thirds, or 1 when it is under VM_SCORE_EPS: at least about
 * 0.1). Below, within a power of ten's rounding, libm's log10 may round up
 * to the next power where the table keeps the one below, and 10 x 10^k
 * is not always the double 10^(k+1) (k = -22, -17, -15, -11, -6): then
 * the steps are neighbours, one unit in the last place apart. */
static void check_step(double raw)
{
    double want = step_of(raw, pow(10, floor(log10(raw))));
    double got = step_of(raw, vm_pow10_floor(raw));
    if (memcmp(&got, &want, sizeof got) == 0)
        return;
    if (raw >= 1e-5 || (got != nextafter(want, INFINITY) && got != nextafter(want, 0)))
        fail_msg("nice step of %.17g: %.17g, with libm %.17g", raw, got, want);
}

static void pow10_floor_steps_match_libm(void **state)
{
    (void)state;
    /* both sides of every power of ten, and of 2 and 5 times it */
    for (int k = -22; k <= 22; k++) {
        double p = pow(10, k);
        const double mult[] = {1, 2, 5};
        for (int j = 0; j < 3; j++) {
            double v = p * mult[j];
            check_step(v);
            double up = v, down = v;
            for (int n = 0; n < 4; n++) {
                up = nextafter(up, INFINITY);
                down = nextafter(down, 0);
                check_step(up);
                check_step(down);
            }
        }
        /* and the power itself is what pow gives */
        assert_same(vm_pow10_floor(p), p, p, "vm_pow10_floor");
    }
    for (int i = 0; i < 1000000; i++) {
        /* spans of 3e-11 (below VM_SCORE_EPS) to 2e19, far above any weight */
        double raw = ldexp((double)(rnd() >> 11) / 0x1p53 + 0.5, (int)(rnd() % 100) - 35) / 5;
        check_step(raw);
    }
    /* outside the table: the ends of it */
    assert_true(vm_pow10_floor(1e-30) == 1e-22);
    assert_true(vm_pow10_floor(0) == 1e-22);
    assert_true(vm_pow10_floor(1e30) == 1e22);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_alloc_zeroed_aligned),
        cmocka_unit_test(path_within_resolves_links),
        cmocka_unit_test(checkout_root_finds_git),
        cmocka_unit_test(arena_reset_reuses_memory),
        cmocka_unit_test(arena_uninit_aligned_and_alloc_still_zeroed),
        cmocka_unit_test(arena_strndup_and_null),
        cmocka_unit_test(arena_huge_request_fails),
        cmocka_unit_test(scalar_bytes_eq_like_memcmp),
        cmocka_unit_test(scalar_eq_words),
        cmocka_unit_test(glob_stars_and_case),
        cmocka_unit_test(buf_num_deterministic),
        cmocka_unit_test(buf_int_matches_printf),
        cmocka_unit_test(buf_json_escapes),
        cmocka_unit_test(buf_xml_escapes),
        cmocka_unit_test(buf_growth_and_printf),
        cmocka_unit_test(diag_suggest),
        cmocka_unit_test(diag_format),
        cmocka_unit_test(diag_cap),
        cmocka_unit_test(field_table_consistent),
        cmocka_unit_test(field_find),
        cmocka_unit_test(value_helps_complete),
        cmocka_unit_test(section_ranges),
        cmocka_unit_test(walk_links_stay_inside),
        cmocka_unit_test(floor_ceil_match_libm),
        cmocka_unit_test(lround_matches_libm),
        cmocka_unit_test(pow10_floor_steps_match_libm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
