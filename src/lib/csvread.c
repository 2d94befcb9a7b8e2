/*
 * csvread.c - CSV tables through libcsv (the only file that sees it), and
 * the row scratch every table reader shares (see invtab.h).
 *
 * UTF-16 with a byte-order mark (LE or BE) is converted to UTF-8 first.
 * The bytes are fed to libcsv one physical line (at most 64 KiB) at a
 * time, so the line a record starts on is known for diagnostics and
 * provenance, and a cell growing past VM_LIMIT_INV_CELL_BYTES is refused
 * before libcsv's buffer can grow much further.
 *
 * libcsv is not linked: it is loaded by dynlib.h (SONAME
 * VMCTR_LIBCSV_SONAME, read by CMake from the libcsv it found) the first
 * time a CSV file is read, into one table, `lc`, whose pointer types are
 * written from csv.h's prototypes and checked against them at compile
 * time; every other vmctr command starts without it. A library that
 * cannot be loaded is an error at the file's line 1 (VM_EIO, exit 5).
 */
#include "invtab.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "dynlib.h"

#ifndef VMCTR_LIBCSV_SONAME
#error "VMCTR_LIBCSV_SONAME (libcsv's SONAME, e.g. \"libcsv.so.3\") is set by CMakeLists.txt"
#endif

/* ---- row scratch ---------------------------------------------------------- */

void vm_rowbuf_free(vm_rowbuf *rb)
{
    for (uint32_t i = 0; i < rb->cap; i++)
        free(rb->cells[i]);
    free(rb->cells);
    free(rb->lens);
    free(rb->caps);
    *rb = (vm_rowbuf){0};
}

void vm_rowbuf_clear(vm_rowbuf *rb)
{
    rb->n = 0;
    rb->bytes = 0;
}

static bool cell_room(vm_rowbuf *rb, uint32_t i, size_t need)
{
    if (i >= rb->cap) {
        uint32_t nc = rb->cap ? rb->cap * 2 : 64;
        while (nc <= i)
            nc *= 2;
        char **c = realloc(rb->cells, nc * sizeof *c);
        if (!c)
            return false;
        rb->cells = c;
        uint32_t *l = realloc(rb->lens, nc * sizeof *l);
        if (!l)
            return false;
        rb->lens = l;
        size_t *k = realloc(rb->caps, nc * sizeof *k);
        if (!k)
            return false;
        rb->caps = k;
        for (uint32_t j = rb->cap; j < nc; j++) {
            rb->cells[j] = NULL;
            rb->lens[j] = 0;
            rb->caps[j] = 0;
        }
        rb->cap = nc;
    }
    if (rb->caps[i] < need + 1) {
        size_t nk = rb->caps[i] ? rb->caps[i] : 32;
        while (nk < need + 1)
            nk *= 2;
        char *s = realloc(rb->cells[i], nk);
        if (!s)
            return false;
        rb->cells[i] = s;
        rb->caps[i] = nk;
    }
    return true;
}

bool vm_rowbuf_set(vm_rowbuf *rb, uint32_t i, const char *s, size_t n)
{
    while (rb->n < i) { /* empty cells up to i */
        if (!cell_room(rb, rb->n, 0))
            return false;
        rb->cells[rb->n][0] = '\0';
        rb->lens[rb->n] = 0;
        rb->n++;
    }
    if (!cell_room(rb, i, n))
        return false;
    if (n)
        memcpy(rb->cells[i], s, n);
    rb->cells[i][n] = '\0';
    if (i < rb->n)
        rb->bytes -= rb->lens[i];
    rb->lens[i] = (uint32_t)n;
    rb->bytes += n;
    if (i >= rb->n)
        rb->n = i + 1;
    return true;
}

bool vm_rowbuf_append(vm_rowbuf *rb, uint32_t i, const char *s, size_t n)
{
    if (i >= rb->n)
        return vm_rowbuf_set(rb, i, s, n);
    size_t old = rb->lens[i];
    if (!cell_room(rb, i, old + n))
        return false;
    memcpy(rb->cells[i] + old, s, n);
    rb->cells[i][old + n] = '\0';
    rb->lens[i] = (uint32_t)(old + n);
    rb->bytes += n;
    return true;
}

/* ---- CSV ------------------------------------------------------------------ */

/* libcsv, loaded on first use (dynlib.h); the types of the functions
 * used, written from csv.h's prototypes */
typedef void dl_csv_field_cb(void *, size_t, void *);
typedef void dl_csv_record_cb(int, void *);
typedef int dl_csv_init(struct csv_parser *, unsigned char);
typedef void dl_csv_set_delim(struct csv_parser *, unsigned char);
typedef size_t dl_csv_parse(struct csv_parser *, const void *, size_t, dl_csv_field_cb *, dl_csv_record_cb *, void *);
typedef size_t dl_csv_get_buffer_size(struct csv_parser *);
typedef int dl_csv_fini(struct csv_parser *, dl_csv_field_cb *, dl_csv_record_cb *, void *);
typedef void dl_csv_free(struct csv_parser *);

#define LC_FUNCS(X)                                                                                     \
    X(csv_init) X(csv_set_delim) X(csv_parse) X(csv_get_buffer_size) X(csv_fini) X(csv_free)

VM_DYNLIB(lc, VMCTR_LIBCSV_SONAME, "libcsv", "CSV files", LC_FUNCS)

typedef struct {
    const char *file, *tab;
    vm_row_fn fn;
    void *ctx;
    vm_diags *d;
    vm_rowbuf rb;
    uint32_t line;          /* physical line being fed */
    uint32_t rec_line;      /* line the current record started on */
    uint32_t records;
    bool stop, failed;
    vm_status st;
} csv_ctx;

static void fail(csv_ctx *c, vm_status st, uint32_t line, uint32_t col, const char *msg, unsigned long v)
{
    if (!c->failed)
        vm_diag_add(c->d, VM_SEV_ERROR, c->file, line, col, "", msg, v);
    c->failed = true;
    c->stop = true;
    c->st = st;
}

static void on_field(void *s, size_t n, void *data)
{
    csv_ctx *c = data;
    if (c->stop)
        return;
    if (c->rb.n == 0) {
        uint32_t nl = 0;
        for (size_t i = 0; i < n; i++)
            nl += ((const char *)s)[i] == '\n';
        c->rec_line = c->line >= nl ? c->line - nl : 1;
    }
    if (n > VM_LIMIT_INV_CELL_BYTES) {
        fail(c, VM_EPROFILE, c->rec_line, c->rb.n + 1, "cell of more than %lu bytes refused",
             (unsigned long)VM_LIMIT_INV_CELL_BYTES);
        return;
    }
    if (c->rb.n >= VM_LIMIT_INV_COLUMNS) {
        fail(c, VM_EPROFILE, c->rec_line, c->rb.n + 1, "row of more than %lu cells refused",
             (unsigned long)VM_LIMIT_INV_COLUMNS);
        return;
    }
    if (!vm_rowbuf_set(&c->rb, c->rb.n, s ? s : "", s ? n : 0))
        fail(c, VM_EIO, c->rec_line, 0, "out of memory%.0lu", 0);
}

static void on_record(int term, void *data)
{
    (void)term;
    csv_ctx *c = data;
    if (c->stop) {
        vm_rowbuf_clear(&c->rb);
        return;
    }
    if (c->rb.n == 0)
        return;
    if (++c->records > VM_LIMIT_INV_ROWS) {
        fail(c, VM_EPROFILE, c->rec_line, 1, "more than %lu rows refused", (unsigned long)VM_LIMIT_INV_ROWS);
        return;
    }
    vm_row r = {.tab = c->tab, .unit = "line", .row = c->records, .line = c->rec_line, .ncells = c->rb.n,
                .cells = c->rb.cells, .lens = c->rb.lens};
    if (!c->fn(c->ctx, &r))
        c->stop = true;
    vm_rowbuf_clear(&c->rb);
}

/* The separator: the most frequent of , ; TAB outside quotes on line 1. */
static unsigned char sniff_delim(const char *p, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool q = false;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch == '"')
            q = !q;
        else if (!q && (ch == '\n' || ch == '\r'))
            break;
        else if (!q && ch == ',')
            comma++;
        else if (!q && ch == ';')
            semi++;
        else if (!q && ch == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* UTF-16 text after its byte-order mark (big-endian when be) as UTF-8,
 * malloc'd, in *out. A surrogate without its partner and an odd byte count
 * are refused with their position: line (counted at U+000A) and column
 * (in characters). */
static vm_status from_utf16(const unsigned char *p, size_t len, bool be, const char *file, vm_diags *d,
                            char **out, size_t *outlen)
{
    if (len % 2) {
        vm_diag_add(d, VM_SEV_ERROR, file, 1, 1, "", "UTF-16 text with an odd number of bytes (%lu)",
                    (unsigned long)len);
        return VM_EPROFILE;
    }
    size_t n = len / 2;
    char *u = malloc(n * 3 + 1); /* a unit is at most 3 bytes; a pair of units 4 */
    if (!u) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
#define UNIT(k) (be ? (unsigned)p[2 * (k)] << 8 | p[2 * (k) + 1] : (unsigned)p[2 * (k) + 1] << 8 | p[2 * (k)])
    size_t o = 0;
    uint32_t line = 1, col = 0;
    for (size_t i = 1; i < n; i++) { /* unit 0 is the byte-order mark */
        uint32_t cp = UNIT(i);
        col++;
        if (cp >= 0xd800 && cp <= 0xdfff) {
            unsigned lo = cp <= 0xdbff && i + 1 < n ? UNIT(i + 1) : 0;
            if (lo < 0xdc00 || lo > 0xdfff) {
                vm_diag_add(d, VM_SEV_ERROR, file, line, col, "",
                            "unpaired UTF-16 surrogate U+%04lX (the export is damaged or not UTF-16)",
                            (unsigned long)cp);
                free(u);
                return VM_EPROFILE;
            }
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i++;
        }
        if (cp < 0x80) {
            u[o++] = (char)cp;
        } else if (cp < 0x800) {
            u[o++] = (char)(0xc0 | cp >> 6);
            u[o++] = (char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            u[o++] = (char)(0xe0 | cp >> 12);
            u[o++] = (char)(0x80 | (cp >> 6 & 0x3f));
            u[o++] = (char)(0x80 | (cp & 0x3f));
        } else {
            u[o++] = (char)(0xf0 | cp >> 18);
            u[o++] = (char)(0x80 | (cp >> 12 & 0x3f));
            u[o++] = (char)(0x80 | (cp >> 6 & 0x3f));
            u[o++] = (char)(0x80 | (cp & 0x3f));
        }
        if (cp == '\n') {
            line++;
            col = 0;
        }
    }
#undef UNIT
    u[o] = '\0';
    *out = u;
    *outlen = o;
    return VM_OK;
}

vm_status vm_csv_read(const char *data, size_t len, const char *file, const char *tab, vm_row_fn fn,
                      void *ctx, vm_diags *d)
{
    const unsigned char *b = (const unsigned char *)data;
    if (len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff))) {
        /* UTF-16 with a byte-order mark (Excel's "Unicode text", some
         * Windows exports): read as its UTF-8 (which never starts with
         * 0xFF or 0xFE, so this does not recur). Lines are the same. */
        char *u = NULL;
        size_t ulen = 0;
        vm_status st = from_utf16(b, len, b[0] == 0xfe, file, d, &u, &ulen);
        if (st)
            return st;
        st = vm_csv_read(u, ulen, file, tab, fn, ctx, d);
        free(u);
        return st;
    }
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (!lc_ready(file, d))
        return VM_EIO;
    struct csv_parser p;
    if (lc.csv_init(&p, CSV_APPEND_NULL) != 0) {
        vm_diag_add(d, VM_SEV_ERROR, file, 0, 0, "", "out of memory");
        return VM_EIO;
    }
    lc.csv_set_delim(&p, sniff_delim(data, len));
    csv_ctx c = {.file = file, .tab = tab, .fn = fn, .ctx = ctx, .d = d, .line = 1, .rec_line = 1, .st = VM_OK};
    size_t off = 0;
    while (off < len && !c.stop) {
        size_t end = off;
        size_t cap = off + 65536 < len ? off + 65536 : len;
        while (end < cap && data[end] != '\n')
            end++;
        bool nl = end < cap;
        if (nl)
            end++;
        if (lc.csv_parse(&p, data + off, end - off, on_field, on_record, &c) != end - off && !c.stop)
            fail(&c, VM_EIO, c.line, 0, "CSV reader failed (out of memory)%.0lu", 0);
        if (!c.stop && lc.csv_get_buffer_size(&p) > (size_t)VM_LIMIT_INV_CELL_BYTES + 65536)
            fail(&c, VM_EPROFILE, c.rec_line, c.rb.n + 1, "cell of more than %lu bytes refused",
                 (unsigned long)VM_LIMIT_INV_CELL_BYTES);
        if (nl)
            c.line++;
        off = end;
    }
    if (!c.stop)
        lc.csv_fini(&p, on_field, on_record, &c);
    lc.csv_free(&p);
    vm_rowbuf_free(&c.rb);
    return c.st;
}
