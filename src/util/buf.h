/*
 * util/buf.h (internal) - the writers vmctr's renderers use on a vm_buf
 * (vmctr/buf.h): inline byte/literal writers, the reserve-and-cursor API of
 * the hot paths, deterministic numbers and the escaping writers.
 * Not installed: the cursor API lets a caller write into the buffer's
 * memory directly, which is only safe with the invariants below.
 */
#ifndef VMCTR_UTIL_BUF_H
#define VMCTR_UTIL_BUF_H

#include <assert.h>
#include <string.h>

#include "vmctr/buf.h"

/* The small writers below are a few instructions each; left to itself the
 * compiler (with LTO) keeps some out of line, and then writing a byte or a
 * two-byte literal is a call (plus a memcpy call). So they are always
 * inlined. */
#if defined(__GNUC__)
#define VM_BUF_INLINE static inline __attribute__((always_inline))
#else
#define VM_BUF_INLINE static inline
#endif

/* Room for `extra` more bytes (and the NUL); false once out of memory. */
bool vm_buf_grow_(vm_buf *b, size_t extra);
VM_BUF_INLINE bool vm_buf_reserve(vm_buf *b, size_t extra)
{
    return (!b->oom && b->len + extra + 1 <= b->cap) || vm_buf_grow_(b, extra);
}
static inline void vm_buf_put(vm_buf *b, const char *s, size_t n)
{
    /* n == 0 may come with s == NULL (an empty buffer's data), and
     * memcpy(d, NULL, 0) is undefined behaviour; the buffer stays a C
     * string as after any write */
    if (n == 0) {
        if (b->data)
            b->data[b->len] = '\0';
        return;
    }
    if (!vm_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}
/* A string literal, for hot paths: always inlined, so with the length a
 * constant it is a capacity check and a few moves. (vm_buf_put is left to
 * the compiler: forcing it inline everywhere costs 35 KB of code.) */
#define VM_BUF_LIT(b, lit) vm_buf_lit_((b), (lit), sizeof(lit) - 1)
VM_BUF_INLINE void vm_buf_lit_(vm_buf *b, const char *s, size_t n)
{
    if (!vm_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}
VM_BUF_INLINE void vm_buf_putc(vm_buf *b, char c)
{
    if (!vm_buf_reserve(b, 1))
        return;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
/*
 * Direct writing, for renderers' hot paths: reserve an upper bound once,
 * store through a cursor, then commit. One capacity check for a whole entry
 * instead of one call and check per piece. vm_buf_cur returns NULL once out
 * of memory (nothing must be written then).
 */
VM_BUF_INLINE char *vm_buf_cur(vm_buf *b, size_t max)
{
    if (!vm_buf_reserve(b, max))
        return NULL;
#ifndef NDEBUG
    b->lim = b->len + max;
#endif
    return b->data + b->len;
}
/* Debug and sanitizer builds check that the writer stayed inside what it
 * reserved: a miscounted upper bound is a heap overflow waiting for a
 * longer input, and this catches it on the inputs the tests have. */
VM_BUF_INLINE void vm_buf_commit(vm_buf *b, char *end)
{
    assert(end >= b->data + b->len && (size_t)(end - b->data) <= b->lim);
    b->len = (size_t)(end - b->data);
    *end = '\0';
}
VM_BUF_INLINE char *vm_cpy(char *p, const void *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}
/* A string literal: its length is a constant, so the copy is a few moves. */
#define VM_LIT(p, lit) vm_cpy((p), (lit), sizeof(lit) - 1)
/* Cursor forms of vm_buf_int and vm_buf_num; they write at most
 * VM_INT_MAX / VM_NUM_MAX bytes ("%.0f" of a huge double has 309 digits). */
#define VM_INT_MAX 20
#define VM_NUM_MAX 320
char *vm_fmt_int_(char *p, long long v);
static inline char *vm_fmt_int(char *p, long long v)
{
    /* one digit (columns, most scores) without the call */
    if ((unsigned long long)v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    return vm_fmt_int_(p, v);
}
char *vm_fmt_num_(char *p, double v, int digits);
static inline char *vm_fmt_num(char *p, double v, int digits)
{
    /* Most scores are whole numbers: those print as integers whatever the
     * digits (|v| * 10^6 stays exact, nothing to round; -0 prints as 0). */
    if (v >= -1e9 && v <= 1e9) {
        long long i = (long long)v;
        if ((double)i == v)
            return vm_fmt_int(p, i);
    }
    return vm_fmt_num_(p, v, digits);
}

/* A double with at most `digits` decimals, trailing zeros trimmed, "-0"
 * printed as "0": deterministic across machines. */
void vm_buf_num(vm_buf *b, double v, int digits);
/* A confidence (in [0, 1]) with exactly two decimals ("0.40"), rounded
 * half away from zero as vm_buf_num rounds, so text and JSON agree
 * (printf's %.2f rounds a half to even: 0.625 -> "0.62"). Out of range or
 * not a number: clamped to [0, 1]. vm_fmt_conf writes at most 5 bytes and
 * no NUL. */
char *vm_fmt_conf(char *p, double c);
void vm_buf_conf(vm_buf *b, double c);
/* A decimal integer. */
void vm_buf_int(vm_buf *b, long long v);
/* JSON string literal with escapes; always valid UTF-8 (invalid bytes
 * become \ufffd; C1, bidi and other escape.h code points are \uHHHH; the
 * second '#' of "##[" and "##vso[", CI log command markers, is \u0023).
 * Implemented with the other neutralisers in escape.c. */
void vm_buf_json_str(vm_buf *b, const char *s);
void vm_buf_json_strn(vm_buf *b, const char *s, size_t n);
/* Display width of UTF-8 text: code points (vmctr's texts have no wide
 * characters). */
int vm_text_width(const char *s);
/* The same of the first n bytes of s. */
int vm_text_width_n(const char *s, size_t n);
/* The next word of space-separated text, for a word wrapper: skips the
 * spaces at *s and returns the word's length in bytes, its display width
 * in *width; 0 at the end of s (no word left). *s is left at the word. */
size_t vm_text_word(const char **s, int *width);
/* s as terminal text (vm_esc_term, escape.h), then spaces up to `width`
 * display columns. */
void vm_buf_pad(vm_buf *b, const char *s, int width);
/* XML/HTML text or attribute escape; only XML 1.0 characters come out
 * (other code points, C1/bidi controls and invalid UTF-8 become U+FFFD);
 * the second '#' of "##[" and "##vso[" is &#35;. See escape.h. */
void vm_buf_xml(vm_buf *b, const char *s);

#endif
