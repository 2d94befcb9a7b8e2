/*
 * test_fmath.c - util/fmath.h against libm: the same results, on seeded
 * random values and on the edges (both neighbours of every integer below
 * 2^53 that matters, every half, every power of ten, signed zeros, NaN and
 * the infinities). This test links libm; vmctr does not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/fmath.h"

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
        cmocka_unit_test(floor_ceil_match_libm),
        cmocka_unit_test(lround_matches_libm),
        cmocka_unit_test(pow10_floor_steps_match_libm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
