/*
 * util/fmath.h (internal) - the four libm functions the renderers used
 * (floor, ceil, lround, and pow(10, floor(log10(x)))), without libm.
 *
 * Linking libm cost every start of vmctr about 0.5 ms on the benchmark
 * machine, a fifth of a process start (its IFUNC resolvers and
 * relocations; bench/profiling.md item 21), for a handful of calls in the
 * text and HTML renderers. Everything else the tree needs of <math.h>
 * (fabs, isfinite, INFINITY) the compiler expands inline.
 *
 * Each function gives exactly what the libm call gave, on the domain
 * stated: tests/unit/test_util.c compares them with libm on seeded
 * random values, both sides of every power of ten and every half.
 */
#ifndef VMCTR_UTIL_FMATH_H
#define VMCTR_UTIL_FMATH_H

#include <stdint.h>

/* floor(x), for every double: NaN, the infinities and every |x| >= 2^52
 * (all integers) come back as they are, and so do +0 and -0. */
static inline double vm_floor(double x)
{
    if (x == 0 || !(x > -0x1p52 && x < 0x1p52))
        return x;
    double t = (double)(int64_t)x; /* toward zero, exact below 2^52 */
    return t > x ? t - 1.0 : t;
}

/* ceil(x), for every double (-floor(-x), which keeps ceil's -0 for x in
 * (-1, 0)). */
static inline double vm_ceil(double x) { return -vm_floor(-x); }

/* lround(x), half away from zero, for finite |x| < 2^63 (lround's result
 * is unspecified beyond long's range and for NaN; callers pass bar
 * lengths, and util/buf.c the scaled numbers it writes, below 9e15). Below 2^52 the truncation and a - t are exact, so the test
 * against 0.5 is; above it every double is an integer. */
static inline long vm_lround(double x)
{
    double a = x < 0 ? -x : x;
    int64_t t = (int64_t)a;
    if (a - (double)t >= 0.5)
        t++;
    return (long)(x < 0 ? -t : t);
}

/* The largest power of ten 10^k, -22 <= k <= 22 (the double nearest to
 * it, as a literal or pow(10, k) gives it), that is not above x; 1e-22
 * for a smaller positive x, 1e22 for a larger one. It differs from
 * pow(10, floor(log10(x))) only for an x within rounding below a power of
 * ten, where log10 may round up to the power itself: x / p is then about
 * 10 against about 1, and a chart's step (1, 2, 5 or 10 times p,
 * report_html.c) is the same double for every x >= 1e-5; below, where
 * 10 x 10^k is not always the double 10^(k+1), it can be its neighbour
 * (tests/unit/test_util.c). A chart's span is at least about 0.1. */
static inline double vm_pow10_floor(double x)
{
    static const double p10[] = {
        1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8,
        1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,   1e2,   1e3,   1e4,   1e5,   1e6,  1e7,
        1e8,   1e9,   1e10,  1e11,  1e12,  1e13,  1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21, 1e22,
    };
    int lo = 0, hi = (int)(sizeof p10 / sizeof p10[0]) - 1;
    if (!(x >= p10[0]))
        return p10[0];
    while (lo < hi) { /* the last index with p10[i] <= x */
        int mid = (lo + hi + 1) / 2;
        if (p10[mid] <= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    return p10[lo];
}

#endif
