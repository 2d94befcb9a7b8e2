/*
 * test_source.c - the document splitter (source.c) on its own: where it cuts,
 * the line numbers and indexes it reports, oversized documents and lines,
 * and that a file source cuts exactly like a memory source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmctr/profile.h"

#define MAXDOCS 16

typedef struct {
    char *data[MAXDOCS];
    size_t len[MAXDOCS];
    uint32_t first_line[MAXDOCS], index[MAXDOCS];
    bool too_large[MAXDOCS];
    int n;
} docs;

static void docs_free(docs *d)
{
    for (int i = 0; i < d->n; i++)
        free(d->data[i]);
    d->n = 0;
}

/* Collects every document of a source (copied, since data is borrowed). */
static void collect(vm_source *s, docs *out)
{
    memset(out, 0, sizeof *out);
    vm_doc doc;
    char err[128];
    int r;
    while ((r = vm_source_next(s, &doc, err, sizeof err)) == 1) {
        assert_true(out->n < MAXDOCS);
        int i = out->n++;
        out->data[i] = malloc(doc.len + 1);
        assert_non_null(out->data[i]);
        memcpy(out->data[i], doc.data, doc.len);
        out->data[i][doc.len] = '\0';
        out->len[i] = doc.len;
        out->first_line[i] = doc.first_line;
        out->index[i] = doc.index;
        out->too_large[i] = doc.too_large;
    }
    assert_int_equal(r, 0);
    /* after the end, the source keeps saying "end" */
    assert_int_equal(vm_source_next(s, &doc, err, sizeof err), 0);
}

static void split_mem(const char *text, size_t len, docs *out)
{
    vm_source *s = vm_source_mem(text, len, "mem.yaml");
    assert_non_null(s);
    assert_string_equal(vm_source_name(s), "mem.yaml");
    collect(s, out);
    vm_source_free(s);
}

#define SPLIT(text, out) split_mem(text, strlen(text), out)

static void expect_doc(const docs *d, int i, const char *text, uint32_t line)
{
    assert_true(i < d->n);
    assert_string_equal(d->data[i], text);
    assert_int_equal(d->first_line[i], line);
    assert_int_equal(d->index[i], (uint32_t)i);
    assert_false(d->too_large[i]);
}

/* A document text splits into, starting at line `line`. */
typedef struct {
    const char *text;
    uint32_t line;
} want_doc;

/* text splits into n documents, none too large, each at its index; the
 * i-th is want[i] (want NULL: only the count is checked). */
static void expect_split(const char *text, int n, const want_doc *want)
{
    docs d;
    SPLIT(text, &d);
    assert_int_equal(d.n, n);
    for (int i = 0; want && i < n; i++)
        expect_doc(&d, i, want[i].text, want[i].line);
    docs_free(&d);
}

static void single_document(void **state)
{
    (void)state;
    expect_split("a: 1\nb: 2\n", 1, (const want_doc[]){{"a: 1\nb: 2\n", 1}});
    /* no final newline */
    expect_split("a: 1\nb: 2", 1, (const want_doc[]){{"a: 1\nb: 2", 1}});
}

static void start_markers(void **state)
{
    (void)state;
    expect_split("a: 1\n---\nb: 2\n--- # third\nc: 3\n", 3,
                 (const want_doc[]){{"a: 1\n", 1}, {"---\nb: 2\n", 2}, {"--- # third\nc: 3\n", 4}});
    /* leading marker, and `--- value` on the marker line */
    expect_split("---\na: 1\n--- {b: 2}\n", 2, (const want_doc[]){{"---\na: 1\n", 1}, {"--- {b: 2}\n", 3}});
}

static void not_markers(void **state)
{
    (void)state;
    /* `----`, `---x`, an indented `---` and `...x` are content, not boundaries */
    expect_split("a: |\n  ---\n  ...\nb: ----\n---x: 1\n...y: 2\n", 1,
                 (const want_doc[]){{"a: |\n  ---\n  ...\nb: ----\n---x: 1\n...y: 2\n", 1}});
}

static void end_markers_and_directives(void **state)
{
    (void)state;
    expect_split("# leading comment\n%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\nb: 2\n...\n# trailing\n", 2,
                 (const want_doc[]){{"# leading comment\n%YAML 1.2\n---\na: 1\n...\n", 1},
                                    {"%YAML 1.2\n---\nb: 2\n...\n", 6}});
    /* `...` then a bare document */
    expect_split("a: 1\n...\nb: 2\n", 2, (const want_doc[]){{"a: 1\n...\n", 1}, {"b: 2\n", 3}});
}

static void empty_streams(void **state)
{
    (void)state;
    /* a stream with no document yields exactly one empty document */
    expect_split("", 1, (const want_doc[]){{"", 1}});
    expect_split("# only a comment\n\n", 1, (const want_doc[]){{"# only a comment\n\n", 1}});
    /* comments after the last document are not a document */
    expect_split("a: 1\n...\n# bye\n\n", 1, NULL);
    /* a trailing `---` opens one more (empty) document */
    expect_split("a: 1\n---\n", 2, (const want_doc[]){{"a: 1\n", 1}, {"---\n", 2}});
}

static void crlf_and_bom(void **state)
{
    (void)state;
    expect_split("\xEF\xBB\xBF---\r\na: 1\r\n---\r\nb: 2\r\n...\r\n", 2,
                 (const want_doc[]){{"\xEF\xBB\xBF---\r\na: 1\r\n", 1}, {"---\r\nb: 2\r\n...\r\n", 3}});
}

/* A stream: a document of `lines` comment-free lines padded to over the
 * limit, then a small one. */
static char *big_stream(size_t body, const char *tail, size_t *len, uint32_t *body_lines)
{
    size_t tl = strlen(tail);
    char *s = malloc(body + tl + 64);
    assert_non_null(s);
    size_t n = (size_t)sprintf(s, "big: |\n");
    uint32_t lines = 1;
    while (n < body) {
        memcpy(s + n, "  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 64);
        n += 64;
        lines++;
    }
    memcpy(s + n, tail, tl);
    *len = n + tl;
    *body_lines = lines;
    return s;
}

/* The documents of big_stream(body, tail, ...) in d; *len and *body_lines
 * as big_stream gives them. */
static void split_big_stream(size_t body, const char *tail, docs *d, size_t *len, uint32_t *body_lines)
{
    char *s = big_stream(body, tail, len, body_lines);
    split_mem(s, *len, d);
    free(s);
}

static void large_document_discarded(void **state)
{
    (void)state;
    size_t len;
    uint32_t lines;
    docs d;
    split_big_stream(VM_LIMIT_DOC_BYTES + 200000, "---\nsmall: 1\n", &d, &len, &lines);
    assert_int_equal(d.n, 2);
    assert_true(d.too_large[0]);
    assert_int_equal(d.first_line[0], 1);
    assert_int_equal(d.index[0], 0);
    assert_int_equal(d.len[0], VM_LIMIT_DOC_BYTES);
    expect_doc(&d, 1, "---\nsmall: 1\n", lines + 1);
    docs_free(&d);

    /* exactly at the limit is still fine */
    split_big_stream(VM_LIMIT_DOC_BYTES - 64, "", &d, &len, &lines);
    assert_true(len <= VM_LIMIT_DOC_BYTES);
    assert_int_equal(d.n, 1);
    assert_false(d.too_large[0]);
    assert_int_equal(d.len[0], len);
    docs_free(&d);

    /* the oversized document is last: nothing after it */
    split_big_stream(VM_LIMIT_DOC_BYTES + 10, "", &d, &len, &lines);
    assert_int_equal(d.n, 1);
    assert_true(d.too_large[0]);
    docs_free(&d);

    /* an oversized document ended by `...`, then a bare document */
    split_big_stream(VM_LIMIT_DOC_BYTES + 10, "...\nnext: 1\n", &d, &len, &lines);
    assert_int_equal(d.n, 2);
    assert_true(d.too_large[0]);
    expect_doc(&d, 1, "next: 1\n", lines + 2);
    docs_free(&d);
}

static void long_line(void **state)
{
    (void)state;
    /* one line longer than a document, no newline at all */
    size_t n = VM_LIMIT_DOC_BYTES + 300000;
    char *s = malloc(n + 64);
    assert_non_null(s);
    memcpy(s, "a: ", 3);
    memset(s + 3, 'x', n - 3);
    docs d;
    split_mem(s, n, &d);
    assert_int_equal(d.n, 1);
    assert_true(d.too_large[0]);
    assert_int_equal(d.first_line[0], 1);
    docs_free(&d);
    /* the same line, then a newline and two more documents */
    strcpy(s + n, "\n---\nb: 1\n---\nc: 2\n");
    split_mem(s, strlen(s), &d);
    assert_int_equal(d.n, 3);
    assert_true(d.too_large[0]);
    expect_doc(&d, 1, "---\nb: 1\n", 2);
    expect_doc(&d, 2, "---\nc: 2\n", 4);
    docs_free(&d);
    /* a small document first, then the long line in a second one */
    memcpy(s, "a: 1\n---\n", 9);
    split_mem(s, strlen(s), &d);
    assert_int_equal(d.n, 4);
    expect_doc(&d, 0, "a: 1\n", 1);
    assert_true(d.too_large[1]);
    assert_int_equal(d.first_line[1], 2);
    assert_int_equal(d.index[1], 1);
    expect_doc(&d, 2, "---\nb: 1\n", 4);
    expect_doc(&d, 3, "---\nc: 2\n", 6);
    docs_free(&d);
    free(s);
}

static void many_documents(void **state)
{
    (void)state;
    /* 5000 documents over many read chunks: indexes and lines stay exact */
    size_t cap = 5000 * 32;
    char *s = malloc(cap);
    size_t n = 0;
    for (int i = 0; i < 5000; i++)
        n += (size_t)snprintf(s + n, cap - n, "---\nk: %d\n# c\n", i);
    vm_source *src = vm_source_mem(s, n, "many");
    vm_doc doc;
    char err[64];
    uint32_t count = 0;
    while (vm_source_next(src, &doc, err, sizeof err) == 1) {
        char want[64];
        snprintf(want, sizeof want, "---\nk: %u\n# c\n", count);
        assert_int_equal(doc.index, count);
        assert_int_equal(doc.first_line, 1 + 3 * count);
        assert_int_equal(doc.len, strlen(want));
        assert_memory_equal(doc.data, want, doc.len);
        count++;
    }
    assert_int_equal(count, 5000);
    vm_source_free(src);
    free(s);
}

/* Writes the n bytes at s to a new file under /tmp; its name into path
 * (at least sizeof TEMP_NAME bytes). The caller unlinks it. */
#define TEMP_NAME "/tmp/vmctr-test-source-XXXXXX"
static void temp_file(const char *s, size_t n, char *path)
{
    memcpy(path, TEMP_NAME, sizeof TEMP_NAME);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, s, n), (ssize_t)n);
    close(fd);
}

static void file_matches_memory(void **state)
{
    (void)state;
    /* a stream that crosses read chunks in the middle of lines */
    size_t cap = 400000, n = 0;
    char *s = malloc(cap);
    for (int i = 0; n < 300000; i++)
        n += (size_t)snprintf(s + n, cap - n, i % 97 == 0 ? "---\nname: doc-%d\n" : "k%d: value\n", i);
    char path[sizeof TEMP_NAME];
    temp_file(s, n, path);

    char err[128] = "";
    vm_source *src = vm_source_open(path, "shown.yaml", err, sizeof err);
    assert_non_null(src);
    assert_string_equal(vm_source_name(src), "shown.yaml");
    /* compare document by document */
    vm_source *mem = vm_source_mem(s, n, "m");
    vm_doc a, b;
    int ra, rb, count = 0;
    do {
        ra = vm_source_next(src, &a, err, sizeof err);
        rb = vm_source_next(mem, &b, err, sizeof err);
        assert_int_equal(ra, rb);
        if (ra == 1) {
            assert_int_equal(a.len, b.len);
            assert_memory_equal(a.data, b.data, a.len);
            assert_int_equal(a.first_line, b.first_line);
            assert_int_equal(a.index, b.index);
            count++;
        }
    } while (ra == 1);
    assert_true(count > 100);
    vm_source_free(src);
    vm_source_free(mem);
    unlink(path);
    free(s);
}

/* One document of long_stream: where it starts in the stream, its length
 * and first line, and whether the splitter must refuse it as too large. */
typedef struct {
    size_t off, len;
    uint32_t line;
    bool big;
} gen_doc;

/* A seeded stream of about 6 MB: small documents of 1 to 3,000 lines,
 * some of 100-700 KB, one over the document limit after the first 4 MB
 * and one line longer than a document (so both cross the point, 2 MB in,
 * where the splitter's reads grow from 16 KB to 64 KB, and the chunks
 * fall in the middle of lines and of markers). want[] says where each
 * document is. */
static char *long_stream(unsigned seed, size_t *len, gen_doc *want, int cap, int *nwant)
{
    size_t scap = 8u * 1024 * 1024, n = 0;
    char *s = malloc(scap);
    assert_non_null(s);
    uint32_t line = 1;
    int nd = 0;
    bool oversized = false, longline = false;
    unsigned x = seed;
    while (n < 6u * 1024 * 1024) {
        assert_true(nd < cap);
        x = x * 1103515245u + 12345u;
        unsigned r = (x >> 8) & 0xffff;
        gen_doc *d = &want[nd++];
        d->off = n;
        d->line = line;
        d->big = false;
        size_t lines;
        if (!oversized && n > 4u * 1024 * 1024) {
            oversized = d->big = true;
            lines = VM_LIMIT_DOC_BYTES / 15 + 500;
        } else {
            lines = r % 64 == 0 ? 10000 + r % 60000 : 1 + r % 3000;
        }
        n += (size_t)sprintf(s + n, "---\nk: %d\nb: |\n", nd);
        line += 3;
        for (size_t i = 0; i < lines; i++) {
            memcpy(s + n, "  xxxxxxxxxxxx\n", 15);
            n += 15;
            line++;
        }
        if (!longline && n > 3u * 1024 * 1024) {
            /* a line longer than a document: the document is refused */
            longline = d->big = true;
            memset(s + n, 'y', VM_LIMIT_DOC_BYTES + 70000);
            n += VM_LIMIT_DOC_BYTES + 70000;
            s[n++] = '\n';
            line++;
        }
        d->len = n - d->off;
    }
    *len = n;
    *nwant = nd;
    return s;
}

/* Every document of src against want[]: same count, indexes and first
 * lines; same bytes unless refused as too large. */
static void expect_stream(vm_source *src, const char *s, const gen_doc *want, int nwant)
{
    vm_doc doc;
    char err[128];
    int count = 0, r;
    while ((r = vm_source_next(src, &doc, err, sizeof err)) == 1) {
        assert_true(count < nwant);
        const gen_doc *w = &want[count];
        assert_int_equal(doc.index, (uint32_t)count);
        assert_int_equal(doc.first_line, w->line);
        assert_int_equal(doc.too_large, w->big);
        if (!w->big) {
            assert_int_equal(doc.len, w->len);
            assert_memory_equal(doc.data, s + w->off, w->len);
        }
        count++;
    }
    assert_int_equal(r, 0);
    assert_int_equal(count, nwant);
}

static void long_stream_read_sizes(void **state)
{
    (void)state;
    enum { CAP = 4096 };
    gen_doc *want = malloc(CAP * sizeof *want);
    assert_non_null(want);
    for (unsigned seed = 1; seed <= 3; seed++) {
        size_t n;
        int nwant;
        char *s = long_stream(seed, &n, want, CAP, &nwant);
        vm_source *mem = vm_source_mem(s, n, "m");
        expect_stream(mem, s, want, nwant);
        vm_source_free(mem);

        char path[sizeof TEMP_NAME];
        temp_file(s, n, path);
        char err[128] = "";
        vm_source *file = vm_source_open(path, NULL, err, sizeof err);
        assert_non_null(file);
        expect_stream(file, s, want, nwant);
        vm_source_free(file);
        unlink(path);
        free(s);
    }
    free(want);
}

static void open_errors(void **state)
{
    (void)state;
    char err[128] = "";
    vm_source *s = vm_source_open("/nonexistent/dir/p.yaml", NULL, err, sizeof err);
    assert_null(s);
    assert_non_null(strstr(err, "cannot open"));
    assert_non_null(strstr(err, "No such file"));
    vm_source_free(NULL); /* no-op */
    /* display defaults to the path */
    char path[sizeof TEMP_NAME];
    temp_file("", 0, path);
    s = vm_source_open(path, NULL, err, sizeof err);
    assert_non_null(s);
    assert_string_equal(vm_source_name(s), path);
    docs d;
    collect(s, &d);
    assert_int_equal(d.n, 1); /* an empty file: one empty document */
    assert_int_equal(d.len[0], 0);
    docs_free(&d);
    vm_source_free(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_document),
        cmocka_unit_test(start_markers),
        cmocka_unit_test(not_markers),
        cmocka_unit_test(end_markers_and_directives),
        cmocka_unit_test(empty_streams),
        cmocka_unit_test(crlf_and_bom),
        cmocka_unit_test(large_document_discarded),
        cmocka_unit_test(long_line),
        cmocka_unit_test(many_documents),
        cmocka_unit_test(file_matches_memory),
        cmocka_unit_test(long_stream_read_sizes),
        cmocka_unit_test(open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
