/*
 * test_changepoint.c - E-divisive change points and the Mann-Kendall /
 * Theil-Sen trend test on synthetic series with known answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "core/changepoint.h"

/* The test's own noise: a 64-bit LCG (Knuth's MMIX constants) and
 * Box-Muller, so the series do not depend on the code under test. */
static uint64_t lcg_state;
static double lcg_uniform(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((lcg_state >> 11) + 0.5) / 9007199254740992.0;
}
static double gauss(void)
{
    double u = lcg_uniform(), v = lcg_uniform();
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* LEVEL(i) times (1 + noise * N(0,1)) for i < n. */
static void series(double *x, size_t n, uint64_t seed, double noise, double (*level)(size_t))
{
    lcg_state = seed;
    for (size_t i = 0; i < n; i++)
        x[i] = level(i) * (1 + noise * gauss());
}

static double flat(size_t i) { (void)i; return 100; }
static double step_up_at_12(size_t i) { return i < 12 ? 100 : 130; }
static double step_down_at_30(size_t i) { return i < 30 ? 100 : 80; }
static double two_steps(size_t i) { return i < 20 ? 100 : i < 40 ? 125 : 100; }
static double creep(size_t i) { return 100 * pow(1.02, (double)i); }

static void detect(const double *x, size_t n, changepoint **cp, size_t *ncp)
{
    assert_int_equal(changepoint_detect(x, n, NULL, cp, ncp), 0);
}

static void step_up_by_30_percent_is_found_where_it_happened(void **state)
{
    (void)state;
    double x[20];
    changepoint *cp;
    size_t n;
    series(x, 20, 1, 0.01, step_up_at_12);
    detect(x, 20, &cp, &n);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].index, 12);
    assert_true(cp[0].p <= 0.01);
    assert_float_equal(cp[0].change, 0.30, 0.03);
    free(cp);
}

static void step_down_by_20_percent_is_found_where_it_happened(void **state)
{
    (void)state;
    double x[60];
    changepoint *cp;
    size_t n;
    series(x, 60, 2, 0.02, step_down_at_30);
    detect(x, 60, &cp, &n);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].index, 30);
    assert_float_equal(cp[0].change, -0.20, 0.03);
    free(cp);
}

static void two_steps_give_two_change_points_in_order(void **state)
{
    (void)state;
    double x[60];
    changepoint *cp;
    size_t n;
    series(x, 60, 3, 0.02, two_steps);
    detect(x, 60, &cp, &n);
    assert_int_equal(n, 2);
    assert_int_equal(cp[0].index, 20);
    assert_int_equal(cp[1].index, 40);
    assert_true(cp[0].change > 0.2 && cp[0].change < 0.3);
    assert_true(cp[1].change < -0.15 && cp[1].change > -0.25);
    free(cp);
}

static void lone_spike_is_not_a_change_point(void **state)
{
    (void)state;
    double x[30];
    changepoint *cp;
    size_t n;
    series(x, 30, 4, 0.01, flat);
    x[15] *= 3;
    detect(x, 30, &cp, &n);
    assert_int_equal(n, 0);
    assert_null(cp);
    /* nor at the very end of the series */
    series(x, 30, 5, 0.01, flat);
    x[29] *= 3;
    detect(x, 30, &cp, &n);
    assert_int_equal(n, 0);
}

/*
 * Each test is at level alpha = 0.01, so a few noise series in a thousand
 * do show a spurious shift: tests/perf/changepoint_rates measures 0.0% at
 * cv 2% and about 1% at cv 5% (a dip of 3 runs past min-change).  Here:
 * none in 20 series at cv 2%, at most one in 20 at cv 4%.
 */
static void pure_noise_has_no_change_point_at_the_defaults(void **state)
{
    (void)state;
    double x[100];
    size_t noisy = 0;
    for (uint64_t seed = 10; seed < 30; seed++) {
        changepoint *cp;
        size_t n;
        series(x, 100, seed, 0.02, flat);
        detect(x, 100, &cp, &n);
        assert_int_equal(n, 0);
        series(x, 100, seed + 100, 0.04, flat);
        detect(x, 100, &cp, &n);
        noisy += n > 0;
        free(cp);
    }
    assert_true(noisy <= 1);
}

static void constant_and_tiny_series_have_no_change_point(void **state)
{
    (void)state;
    double x[10] = { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5 };
    changepoint *cp = (changepoint *)1;
    size_t n = 7;
    detect(x, 10, &cp, &n);
    assert_int_equal(n, 0);
    assert_null(cp);
    detect(x, 0, &cp, &n);
    assert_int_equal(n, 0);
    detect(x, 1, &cp, &n);
    assert_int_equal(n, 0);
}

static void invalid_options_are_refused(void **state)
{
    (void)state;
    double x[4] = { 1, 2, 3, 4 };
    changepoint *cp;
    size_t n;
    changepoint_opts o;
    changepoint_opts_init(&o);
    o.min_size = 0;
    assert_int_equal(changepoint_detect(x, 4, &o, &cp, &n), -1);
    changepoint_opts_init(&o);
    o.alpha = 0;
    assert_int_equal(changepoint_detect(x, 4, &o, &cp, &n), -1);
    changepoint_opts_init(&o);
    o.permutations = 0;
    assert_int_equal(changepoint_detect(x, 4, &o, &cp, &n), -1);
}

/*
 * Ten 0s then ten 1s: the split at 10 has cross sum 100 and no within
 * distances, so by eq. 5 of Matteson & James (2014) E = 2*100/(10*10) = 2
 * and Q = (10*10/20) * E = 10.  No other arrangement of the values reaches
 * it except the reversed one (2 of C(20,10) = 184756), so none of the 199
 * permutations does and p = 1/200.
 */
static void divergence_and_p_value_match_the_hand_computed_values(void **state)
{
    (void)state;
    double x[20];
    for (int i = 0; i < 20; i++)
        x[i] = i < 10 ? 0 : 1;
    changepoint *cp;
    size_t n;
    detect(x, 20, &cp, &n);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].index, 10);
    assert_float_equal(cp[0].q, 10.0, 1e-9);
    assert_float_equal(cp[0].p, 1.0 / 200, 1e-12);
    assert_true(isinf(cp[0].change) && cp[0].change > 0);
    free(cp);
}

static void min_size_keeps_short_segments_out(void **state)
{
    (void)state;
    /* a level shift two runs before the end: too short a segment at the
     * default min_size of 3, found with min_size 2 */
    double x[40];
    changepoint *cp;
    size_t n;
    for (int i = 0; i < 40; i++)
        x[i] = i < 38 ? 100 + (i % 2) : 200 + (i % 2);
    detect(x, 40, &cp, &n);
    for (size_t i = 0; i < n; i++)
        assert_true(cp[i].index <= 37);
    free(cp);
    changepoint_opts o;
    changepoint_opts_init(&o);
    o.min_size = 2;
    assert_int_equal(changepoint_detect(x, 40, &o, &cp, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].index, 38);
    free(cp);
}

static void min_change_merges_small_shifts(void **state)
{
    (void)state;
    /* a clean 3% step: significant, but under the default 5% */
    double x[40];
    changepoint *cp;
    size_t n;
    for (int i = 0; i < 40; i++)
        x[i] = (i < 20 ? 100 : 103) + 0.01 * (i % 3);
    detect(x, 40, &cp, &n);
    assert_int_equal(n, 0);
    changepoint_opts o;
    changepoint_opts_init(&o);
    o.min_change = 0.02;
    assert_int_equal(changepoint_detect(x, 40, &o, &cp, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].index, 20);
    free(cp);
}

static void detection_is_deterministic(void **state)
{
    (void)state;
    double x[60];
    changepoint *a, *b;
    size_t na, nb;
    series(x, 60, 6, 0.05, two_steps);
    detect(x, 60, &a, &na);
    detect(x, 60, &b, &nb);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(a[i].index, b[i].index);
        assert_true(a[i].p == b[i].p);
    }
    free(a);
    free(b);
}

/*
 * Mann-Kendall on 1..5: S = 10 (all 10 pairs increase), Var(S) =
 * n(n-1)(2n+5)/18 = 5*4*15/18 = 16.667, z = (S-1)/sqrt(Var) = 2.2045,
 * p = 2(1 - Phi(2.2045)) = 0.0275 (Hirsch, Slack & Smith 1982, eq. 1-3;
 * the same figures as pymannkendall.original_test([1,2,3,4,5])).
 */
static void mann_kendall_matches_the_textbook_figures(void **state)
{
    (void)state;
    double x[5] = { 1, 2, 3, 4, 5 };
    changepoint_trend t;
    assert_int_equal(changepoint_trend_test(x, 5, NULL, 0, &t), 0);
    assert_float_equal(t.s, 10, 0);
    assert_float_equal(t.var_s, 300.0 / 18, 1e-9);
    assert_float_equal(t.z, 2.2045, 1e-4);
    assert_float_equal(t.p, 0.0275, 1e-4);
}

/* With ties 1,1,2,2,3: S = 8, Var = (300 - 2*(2*1*9))/18 = 14.667. */
static void mann_kendall_corrects_the_variance_for_ties(void **state)
{
    (void)state;
    double x[5] = { 1, 1, 2, 2, 3 };
    changepoint_trend t;
    assert_int_equal(changepoint_trend_test(x, 5, NULL, 0, &t), 0);
    assert_float_equal(t.s, 8, 0);
    assert_float_equal(t.var_s, 264.0 / 18, 1e-9);
    assert_float_equal(t.z, 7 / sqrt(264.0 / 18), 1e-9);
}

static void theil_sen_rate_of_a_geometric_series_is_exact(void **state)
{
    (void)state;
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = 50 * exp(0.1 * i);
    changepoint_trend t;
    assert_int_equal(changepoint_trend_test(x, 10, NULL, 0, &t), 0);
    assert_float_equal(t.rate, expm1(0.1), 1e-12);
    assert_float_equal(t.total, expm1(0.9), 1e-12);
    assert_true(t.p < 0.001);
}

static void slow_creep_of_two_percent_per_run_is_a_significant_trend(void **state)
{
    (void)state;
    double x[20];
    series(x, 20, 7, 0.01, creep);
    changepoint *cp;
    size_t n;
    detect(x, 20, &cp, &n);
    size_t cuts[20];
    for (size_t i = 0; i < n; i++)
        cuts[i] = cp[i].index;
    free(cp);
    changepoint_trend t;
    assert_int_equal(changepoint_trend_test(x, 20, cuts, n, &t), 0);
    assert_true(t.p < 0.01);
    assert_float_equal(t.rate, 0.02, 0.005);
    assert_true(t.total > 0.3);
}

static void a_step_is_not_mistaken_for_a_trend_inside_blocks(void **state)
{
    (void)state;
    double x[40];
    lcg_state = 8;
    for (int i = 0; i < 40; i++)
        x[i] = (i < 20 ? 100 : 130) * (1 + 0.01 * gauss());
    changepoint_trend whole, blocked;
    size_t cut = 20;
    assert_int_equal(changepoint_trend_test(x, 40, NULL, 0, &whole), 0);
    assert_int_equal(changepoint_trend_test(x, 40, &cut, 1, &blocked), 0);
    assert_true(whole.p < 0.001);      /* unblocked: the step looks like a trend */
    assert_true(blocked.p > 0.01);     /* within the levels: none */
}

static void trend_test_refuses_fewer_than_two_values(void **state)
{
    (void)state;
    double x[1] = { 1 };
    changepoint_trend t;
    assert_int_equal(changepoint_trend_test(x, 1, NULL, 0, &t), -1);
    assert_float_equal(t.p, 1, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(step_up_by_30_percent_is_found_where_it_happened),
        cmocka_unit_test(step_down_by_20_percent_is_found_where_it_happened),
        cmocka_unit_test(two_steps_give_two_change_points_in_order),
        cmocka_unit_test(lone_spike_is_not_a_change_point),
        cmocka_unit_test(pure_noise_has_no_change_point_at_the_defaults),
        cmocka_unit_test(constant_and_tiny_series_have_no_change_point),
        cmocka_unit_test(invalid_options_are_refused),
        cmocka_unit_test(divergence_and_p_value_match_the_hand_computed_values),
        cmocka_unit_test(min_size_keeps_short_segments_out),
        cmocka_unit_test(min_change_merges_small_shifts),
        cmocka_unit_test(detection_is_deterministic),
        cmocka_unit_test(mann_kendall_matches_the_textbook_figures),
        cmocka_unit_test(mann_kendall_corrects_the_variance_for_ties),
        cmocka_unit_test(theil_sen_rate_of_a_geometric_series_is_exact),
        cmocka_unit_test(slow_creep_of_two_percent_per_run_is_a_significant_trend),
        cmocka_unit_test(a_step_is_not_mistaken_for_a_trend_inside_blocks),
        cmocka_unit_test(trend_test_refuses_fewer_than_two_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
