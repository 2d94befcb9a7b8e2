/*
 * scalar.h (internal) - YAML 1.2 core-schema scalar rules shared by the
 * profile and rule loaders: null, booleans, integers, DNS labels.
 */
#ifndef VMCTR_SCALAR_H
#define VMCTR_SCALAR_H

#include "vmctr/common.h"

#include <string.h>

/* Whether the first w and the last w of the n bytes (w <= n <= 2w) at a
 * and b are equal: two loads from each side, overlapping when n < 2w, so
 * never outside the n bytes. w is a constant (4 or 8) at each call, so
 * each memcpy is one load. */
static inline bool vm_ends_eq(const char *a, const char *b, size_t n, size_t w)
{
    uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    memcpy(&a0, a, w);
    memcpy(&a1, a + n - w, w);
    memcpy(&b0, b, w);
    memcpy(&b1, b + n - w, w);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* memcmp(a, b, n) == 0 without the call, for the short keys and values of
 * a profile (the loader compares one per key and per enum value). Up to 16
 * bytes it takes two loads from each side (vm_ends_eq), so it never reads
 * outside the n bytes. */
static inline bool vm_bytes_eq(const char *a, const char *b, size_t n)
{
    if (n >= 8 && n <= 16)
        return vm_ends_eq(a, b, n, 8);
    if (n >= 4 && n < 8)
        return vm_ends_eq(a, b, n, 4);
    if (n < 4) /* 0, n / 2 and n - 1 cover every byte of 1 to 3 */
        return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
    return memcmp(a, b, n) == 0;
}

/* Whether the n bytes at s are exactly the C string w. Key lookups call
 * this for every candidate and nearly every candidate differs at its first
 * byte, so that is compared first; for the one that matches, strlen and
 * vm_bytes_eq beat a loop over the bytes (and fold to constants when w is a
 * literal). Never reads w past its terminator. */
static inline bool vm_scalar_eq(const char *s, size_t n, const char *w)
{
    if (n == 0)
        return w[0] == '\0';
    return w[0] == s[0] && strlen(w) == n && vm_bytes_eq(w, s, n);
}

/* The index of the n bytes at s among the nw words (vm_scalar_eq), or -1. */
static inline int vm_scalar_index(const char *s, size_t n, const char *const *words, int nw)
{
    for (int i = 0; i < nw; i++)
        if (vm_scalar_eq(s, n, words[i]))
            return i;
    return -1;
}

/* Plain `~`, `null`, `Null`, `NULL` or empty. Inline: the loader asks it
 * of every value, and the length settles nearly all of them. */
static inline bool vm_scalar_is_null(const char *s, size_t n, bool plain)
{
    if (!plain)
        return false;
    if (n == 0)
        return true;
    if (n == 1)
        return s[0] == '~';
    return n == 4 && (vm_scalar_eq(s, n, "null") || vm_scalar_eq(s, n, "Null") ||
                      vm_scalar_eq(s, n, "NULL"));
}
/* 1 for true/True/TRUE, 0 for false/False/FALSE, -1 otherwise. */
int vm_scalar_bool(const char *s, size_t n);
/* YAML 1.1 booleans that YAML 1.2 reads as strings (yes, no, on, off, y, n). */
bool vm_scalar_yaml11_bool(const char *s, size_t n);
/* Decimal integer with optional sign; false with *why on error (overflow,
 * not a number). */
bool vm_scalar_int(const char *s, size_t n, int64_t *out, const char **why);
/* NULL when s is a DNS label, else why not. */
const char *vm_scalar_dns_label(const char *s, size_t n);

#endif
