/*
 * vmctr/buf.h - a growable output byte buffer. Renderers write into one;
 * the caller decides where the bytes go (b.data, b.len).
 *
 * Ownership: the vm_buf belongs to whoever called vm_buf_init (usually on
 * the stack); vm_buf_free releases its memory (NULL is a no-op) and leaves
 * it empty and reusable. `data` is NULL until the first write and is always
 * NUL-terminated after one.
 * Failure: on allocation failure the buffer sets `oom` and ignores every
 * further write, so callers check `oom` once at the end. No function here
 * returns an error otherwise.
 *
 * The writers used by vmctr's own renderers (cursor, numbers, escapes) are
 * internal: src/util/buf.h.
 */
#ifndef VMCTR_BUF_H
#define VMCTR_BUF_H

#include "common.h"

typedef struct {
    char *data;
    size_t len, cap;
    bool oom;
    size_t lim;     /* internal: end of the open cursor reservation (debug builds) */
} vm_buf;

/* Sets b empty (no memory yet, oom clear). b must not be NULL. */
void vm_buf_init(vm_buf *b);
/* Frees b's memory and sets it empty (oom cleared), ready for reuse; the
 * vm_buf itself stays the caller's. NULL is a no-op. */
void vm_buf_free(vm_buf *b);
/* len = 0, keeps the memory (and the oom flag). b must not be NULL. */
void vm_buf_reset(vm_buf *b);
/* Appends the NUL-terminated s (not NULL; copied). Out of memory sets
 * b->oom. */
void vm_buf_puts(vm_buf *b, const char *s);
/* Appends printf-style formatted text. Out of memory sets b->oom; an
 * output error of vsnprintf (a bad multibyte conversion) appends nothing. */
void vm_buf_printf(vm_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
