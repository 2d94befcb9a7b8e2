/* buf.c - growable output buffer and deterministic number/escape writers. */
#include "util/buf.h"
#include "util/escape.h"
#include "util/fmath.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vm_buf_init(vm_buf *b) { memset(b, 0, sizeof *b); }

void vm_buf_free(vm_buf *b)
{
    if (!b)
        return;
    free(b->data);
    memset(b, 0, sizeof *b);
}

void vm_buf_reset(vm_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

bool vm_buf_grow_(vm_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void vm_buf_puts(vm_buf *b, const char *s) { vm_buf_put(b, s, strlen(s)); }

void vm_buf_printf(vm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        vm_buf_put(b, tmp, (size_t)n);
        return;
    }
    if (!vm_buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* "00" "01" ... "99": two digits per division when writing integers */
static const char digits2[201] = "0001020304050607080910111213141516171819"
                                 "2021222324252627282930313233343536373839"
                                 "4041424344454647484950515253545556575859"
                                 "6061626364656667686970717273747576777879"
                                 "8081828384858687888990919293949596979899";

static inline char *put2(char *p, unsigned v)
{
    memcpy(p, digits2 + 2 * v, 2);
    return p + 2;
}

/* 1 or 2 digits of v < 100 */
static inline char *put12(char *p, unsigned v)
{
    if (v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    return put2(p, v);
}

/* Exactly 4 digits of v < 10000 */
static inline char *put4(char *p, unsigned v)
{
    return put2(put2(p, v / 100), v % 100);
}

/* Writes an unsigned integer in decimal at p, without printf; returns the
 * end. What reports print is small (scores, line and column numbers), so
 * up to 8 digits are split by magnitude into pairs with 32-bit divisions
 * by constants: no digit count, no loop. Larger values count their digits
 * and are stored from the right, two per division. */
static char *utoa(char *p, unsigned long long v)
{
    if (v < 100)
        return put12(p, (unsigned)v);
    if (v < 10000) {
        unsigned x = (unsigned)v;
        return put2(put12(p, x / 100), x % 100);
    }
    if (v < 100000000) {
        unsigned x = (unsigned)v, hi = x / 10000, lo = x % 10000;
        p = hi < 100 ? put12(p, hi) : put2(put12(p, hi / 100), hi % 100);
        return put4(p, lo);
    }
    static const unsigned long long pow10[20] = {
        1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
        1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
        100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
        1000000000000000000ULL, 10000000000000000000ULL,
    };
    size_t n = 9;
    while (n < 20 && v >= pow10[n])
        n++;
    char *end = p + n, *q = end;
    while (v >= 100) {
        q -= 2;
        memcpy(q, digits2 + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v < 10)
        q[-1] = (char)('0' + v);
    else
        memcpy(q - 2, digits2 + 2 * v, 2);
    return end;
}

char *vm_fmt_int_(char *p, long long v)
{
    unsigned long long u = (unsigned long long)v;
    if (v < 0) {
        *p++ = '-';
        u = 0ULL - u;
    }
    return utoa(p, u);
}

void vm_buf_int(vm_buf *b, long long v)
{
    char *p = vm_buf_cur(b, VM_INT_MAX);
    if (p)
        vm_buf_commit(b, vm_fmt_int(p, v));
}

char *vm_fmt_num_(char *p, double v, int digits)
{
    static const double pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    static const unsigned long long ipow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (!isfinite(v))
        v = 0;
    if (digits < 0)
        digits = 0;
    if (digits > 6)
        digits = 6;
    double x = fabs(v) * pow10[digits];
    if (!(x <= 9e15)) {
        /* beyond exact integers: printf's digits (at most VM_NUM_MAX) */
        int n = snprintf(p, VM_NUM_MAX, "%.0f", v);
        return p + (n > 0 ? n : 0);
    }
    /* round(x), half away from zero (x >= 0, below 2^53: exact) */
    unsigned long long ip = (unsigned long long)vm_lround(x);
    unsigned long long whole, frac;
    if (digits == 2) { /* what reports use: constant divisors */
        whole = ip / 100;
        frac = ip % 100;
    } else {
        whole = ip / ipow10[digits];
        frac = ip % ipow10[digits];
    }
    if (v < 0 && ip != 0)
        *p++ = '-';
    p = utoa(p, whole);
    if (frac != 0) {
        /* the decimals without trailing zeros, zero-padded on the left */
        int fl = digits;
        while (frac % 10 == 0) {
            frac /= 10;
            fl--;
        }
        *p++ = '.';
        for (int i = fl - 1; i >= 0; i--) {
            p[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        p += fl;
    }
    return p;
}

char *vm_fmt_conf(char *p, double c)
{
    if (!(c > 0))
        c = 0;
    if (c > 1)
        c = 1;
    double x = c * 100;
    unsigned ip = (unsigned)x;
    if (x - (double)ip >= 0.5)
        ip++;
    *p++ = (char)('0' + ip / 100);
    *p++ = '.';
    *p++ = (char)('0' + ip / 10 % 10);
    *p++ = (char)('0' + ip % 10);
    return p;
}

void vm_buf_conf(vm_buf *b, double c)
{
    char *p = vm_buf_cur(b, 4);
    if (p)
        vm_buf_commit(b, vm_fmt_conf(p, c));
}

void vm_buf_num(vm_buf *b, double v, int digits)
{
    char *p = vm_buf_cur(b, VM_NUM_MAX);
    if (p)
        vm_buf_commit(b, vm_fmt_num(p, v, digits));
}

int vm_text_width(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int vm_text_width_n(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

size_t vm_text_word(const char **s, int *width)
{
    while (**s == ' ')
        (*s)++;
    size_t n = strcspn(*s, " ");
    *width = vm_text_width_n(*s, n);
    return n;
}

void vm_buf_pad(vm_buf *b, const char *s, int width)
{
    size_t at = b->len;
    vm_esc_terms(b, s);
    int w = b->len > at ? vm_text_width_n(b->data + at, b->len - at) : 0;
    for (; w < width; w++)
        vm_buf_putc(b, ' ');
}
