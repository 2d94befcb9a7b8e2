/*
 * invtab.h (internal) - inventory tables: rows of text cells read from a
 * CSV file (csvread.c, the only file that sees libcsv), from a zip archive
 * (zipread.c, the only file that sees libzip) and from the sheets of an
 * .xlsx workbook (xlsx.c, the only file that sees expat). The readers hand
 * rows to a callback one at a time, so a large export never becomes a tree.
 *
 * Every reader is bounded (VM_LIMIT_INV_* in vmctr/inventory.h) and
 * reports a refusal as a diagnostic with a position: for a CSV file the
 * line and column, for a zip entry its index, for XML the line and column
 * inside the named entry.
 */
#ifndef VMCTR_INVTAB_H
#define VMCTR_INVTAB_H

#include "vmctr/diag.h"
#include "vmctr/sys/inventory.h"

/* One row. cells[i] is NUL-terminated UTF-8 (or whatever bytes the file
 * had: the writer neutralises them), lens[i] its length; cells past the
 * end of a short row are not there (ncells says how many). */
typedef struct {
    const char *tab;            /* "vInfo", or the CSV's own name */
    uint32_t row;               /* 1-based: sheet row number or CSV record number (header = 1) */
    uint32_t line;              /* CSV: physical line where the record starts; xlsx: = row */
    const char *unit;           /* how `line` is named in provenance: "line" (CSV) or "row" (xlsx) */
    uint32_t ncells;
    char **cells;
    const uint32_t *lens;
} vm_row;

/* Returns false to stop reading (the reader then returns VM_OK). */
typedef bool (*vm_row_fn)(void *ctx, const vm_row *r);

/* ---- CSV (csvread.c) ------------------------------------------------------ *
 * A UTF-8 BOM is skipped; a UTF-16 BOM is refused. The separator is the
 * first of ',', ';' or TAB that occurs most often outside quotes in the
 * first line (European spreadsheets write ';'). */
vm_status vm_csv_read(const char *data, size_t len, const char *file, const char *tab, vm_row_fn fn,
                      void *ctx, vm_diags *d);

/* ---- zip (zipread.c) ------------------------------------------------------ */
typedef struct vm_zip vm_zip;
/* Opens an archive held in memory (borrowed until vm_zip_close) and checks
 * every entry first: count, names (no absolute paths, no '..', no
 * backslashes or control characters), declared sizes and compression
 * ratio. VM_EPROFILE with a diagnostic when refused, VM_EIO when out
 * of memory. */
vm_status vm_zip_open(const void *data, size_t len, const char *file, vm_zip **out, vm_diags *d);
void vm_zip_close(vm_zip *z);
bool vm_zip_has(vm_zip *z, const char *name);
/* Streams entry `name` to fn in chunks; refuses (VM_EPROFILE) an entry
 * that inflates past `max` bytes, past its declared size, or (read to its
 * end) to less than its declared size: a directory that lies about the
 * size is not trusted either way. Missing entry:
 * VM_EPROFILE with a diagnostic unless `optional` (then VM_OK, no call). */
typedef bool (*vm_zip_chunk_fn)(void *ctx, const char *data, size_t len);
vm_status vm_zip_stream(vm_zip *z, const char *name, size_t max, bool optional, vm_zip_chunk_fn fn,
                        void *ctx, vm_diags *d);

/* ---- xlsx (xlsx.c) -------------------------------------------------------- */
typedef struct vm_xlsx vm_xlsx;
/* Reads the workbook's sheet list and shared strings. */
vm_status vm_xlsx_open(vm_zip *z, const char *file, vm_xlsx **out, vm_diags *d);
void vm_xlsx_close(vm_xlsx *x);
bool vm_xlsx_has_sheet(const vm_xlsx *x, const char *name);
/* Streams the rows of sheet `name` (absent: VM_OK, no rows). */
vm_status vm_xlsx_rows(vm_xlsx *x, const char *name, vm_row_fn fn, void *ctx, vm_diags *d);

/* ---- row scratch shared by the readers (csvread.c) ------------------------ */
typedef struct {
    char **cells;
    uint32_t *lens;
    size_t *caps;
    uint32_t n, cap;
    size_t bytes;               /* total of this row */
} vm_rowbuf;
void vm_rowbuf_free(vm_rowbuf *rb);
/* Sets cell i (growing the row with empty cells up to it); false on OOM. */
bool vm_rowbuf_set(vm_rowbuf *rb, uint32_t i, const char *s, size_t n);
/* Appends to cell i; false on OOM. */
bool vm_rowbuf_append(vm_rowbuf *rb, uint32_t i, const char *s, size_t n);
void vm_rowbuf_clear(vm_rowbuf *rb);

#endif
