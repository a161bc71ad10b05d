/*
 * test_paired.c - src/core/paired.c (the judgement of `perfcmp ab`)
 * against known values.
 *
 * Where the reference values come from (no scipy or R on this machine):
 * - exact signed-rank p-values: brute-force enumeration of all 2^n sign
 *   assignments of the ranks of |d| in Python (itertools.product, exact
 *   fractions; p = P(|W+ - mu| >= |w - mu|)), a different algorithm from
 *   paired.c's subset-sum count; for n = 20, 30 and 50 a subset-sum count
 *   with Python's exact integers;
 * - the published table of critical values of the Wilcoxon signed-rank
 *   statistic (e.g. McCornack, "Extended tables of the Wilcoxon matched
 *   pair signed rank statistic", JASA 60 (1965); reproduced in most
 *   textbooks, such as Zar's Biostatistical Analysis, table B.12):
 *   n = 10, two-sided alpha 0.01: W <= 3, alpha 0.05: W <= 8; n = 20,
 *   alpha 0.01: W <= 37, alpha 0.05: W <= 52;
 * - normal approximation: R's wilcox.test formula (correct = TRUE) written
 *   out by hand in Python with math.erfc:
 *   var = n(n+1)(2n+1)/24 - sum(t^3 - t)/48, z = (W+ - n(n+1)/4 -+ 0.5)/sd,
 *   p = erfc(|z|/sqrt 2), zeros dropped first;
 * - the median CI: the classical table of binomial ranks (n = 10: the 2nd
 *   and 9th order statistics, coverage 97.9%).
 *
 * The brute force, in Python (r: the average ranks of |d| of the non-zero d):
 *   w = sum(ri for ri, x in zip(r, d) if x > 0); mu = sum(r) / 2
 *   hits = sum(1 for s in itertools.product((0, 1), repeat=len(r))
 *              if abs(sum(ri for ri, b in zip(r, s) if b) - mu) >= abs(w - mu))
 *   p = Fraction(hits, 2 ** len(r))
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/paired.h"

#define assert_close(got, want, rel)                                             \
    do {                                                                         \
        double g_ = (got), w_ = (want);                                          \
        if (!(fabs(g_ - w_) <= (rel) * fabs(w_) || g_ == w_))                    \
            fail_msg("%s = %.17g, expected %.17g", #got, g_, w_);                \
    } while (0)

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the exact distribution --------------------------------------- */

static void wilcoxon_exact_should_match_brute_force_enumeration(void **state)
{
    (void)state;
    static const struct {
        double d[16];
        size_t n;
        double w_plus, p;
    } cases[] = {
        /* all positive, n = 5: the smallest p there is, 2/32 */
        { { 0.1, 0.2, 0.3, 0.4, 0.5 }, 5, 15, 0.0625 },
        { { -0.01, 0.02, 0.03, 0.04, 0.05, 0.06 }, 6, 20, 0.0625 },
        { { 0.11, -0.23, 0.35, 0.47, -0.05, 0.62, 0.71, 0.84 }, 8, 32, 7.0 / 128 },
        { { -0.01, -0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10 }, 10, 52, 5.0 / 512 },
        { { -0.01, 0.02, -0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10 }, 10, 51, 7.0 / 512 },
        { { 0.5, -1.2, 2.3, 0.8, -0.3, 1.9, 2.7, -0.9, 1.1, 3.1, 0.2, 1.6 }, 12, 64, 107.0 / 2048 },
        /* (-1)^(i*i % 3) * (i+1) * 0.013, i = 0..15 */
        { { 0.013, -0.026, -0.039, 0.052, -0.065, -0.078, 0.091, -0.104, -0.117, 0.13,
            -0.143, -0.156, 0.169, -0.182, -0.195, 0.208 }, 16, 51, 6615.0 / 16384 },
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        paired_wilcoxon w;
        assert_int_equal(paired_wilcoxon_test(cases[i].d, cases[i].n, &w), 0);
        assert_true(w.exact);
        assert_int_equal(w.n, cases[i].n);
        assert_int_equal(w.nzero, 0);
        assert_close(w.w_plus, cases[i].w_plus, 0);
        assert_close(w.w_plus + w.w_minus, (double)(cases[i].n * (cases[i].n + 1) / 2), 0);
        assert_close(w.p, cases[i].p, 1e-12);
    }
}

static void wilcoxon_exact_should_agree_with_the_critical_value_table(void **state)
{
    (void)state;
    /* n = 10, two-sided: W <= 3 is significant at 0.01, W = 4 is not;
     * W <= 8 at 0.05, W = 9 is not. */
    assert_true(paired_wilcoxon_exact_p(10, 3) < 0.01);
    assert_true(paired_wilcoxon_exact_p(10, 4) > 0.01);
    assert_true(paired_wilcoxon_exact_p(10, 8) < 0.05);
    assert_true(paired_wilcoxon_exact_p(10, 9) > 0.05);
    /* W+ and W- = n(n+1)/2 - W+ give the same two-sided p */
    assert_close(paired_wilcoxon_exact_p(10, 52), paired_wilcoxon_exact_p(10, 3), 0);
    /* n = 20: 37 at 0.01, 52 at 0.05 */
    assert_true(paired_wilcoxon_exact_p(20, 37) < 0.01);
    assert_true(paired_wilcoxon_exact_p(20, 38) > 0.01);
    assert_true(paired_wilcoxon_exact_p(20, 52) < 0.05);
    assert_true(paired_wilcoxon_exact_p(20, 53) > 0.05);
    /* and the exact values (subset-sum count with exact integers) */
    assert_close(paired_wilcoxon_exact_p(10, 3), 5.0 / 512, 1e-15);
    assert_close(paired_wilcoxon_exact_p(20, 37), 4947.0 / 524288, 1e-14);
    assert_close(paired_wilcoxon_exact_p(20, 53), 6969.0 / 131072, 1e-14);
    assert_close(paired_wilcoxon_exact_p(30, 109), 5331939.0 / 536870912, 1e-13);
}

static void wilcoxon_exact_should_reach_fifty_and_refuse_more(void **state)
{
    (void)state;
    assert_close(paired_wilcoxon_exact_p(50, 300), 119284999439.0 / 140737488355328.0, 1e-12);
    assert_close(paired_wilcoxon_exact_p(50, 466), 55780416609243.0 / 562949953421312.0, 1e-12);
    /* the centre of the distribution: p capped at 1 */
    assert_close(paired_wilcoxon_exact_p(50, 637), 1.0, 0);
    assert_true(isnan(paired_wilcoxon_exact_p(51, 10)));
    assert_true(isnan(paired_wilcoxon_exact_p(10, 56)));    /* past n(n+1)/2 */
    assert_true(isnan(paired_wilcoxon_exact_p(10, 2.5)));
    assert_true(isnan(paired_wilcoxon_exact_p(10, -1)));
    assert_close(paired_wilcoxon_exact_p(0, 0), 1.0, 0);
}

/* ---- the normal approximation --------------------------------------- */

static void wilcoxon_should_use_the_normal_approximation_with_ties_and_zeros(void **state)
{
    (void)state;
    /* one zero (dropped), ties among 0.1 and 0.3: 9 differences left */
    const double d[] = { 0, 0.1, 0.1, -0.2, 0.3, 0.3, 0.3, 0.4, 0.5, -0.1 };
    paired_wilcoxon w;
    assert_int_equal(paired_wilcoxon_test(d, N_OF(d), &w), 0);
    assert_false(w.exact);
    assert_int_equal(w.n, 9);
    assert_int_equal(w.nzero, 1);
    assert_close(w.w_plus, 39, 0);
    assert_close(w.z, 1.9089599560700594, 1e-12);
    assert_close(w.p, 0.05626725758772275, 1e-9);
    /* (brute force over the 2^9 sign assignments with these average
     * ranks: 15/256 = 0.0586, so the approximation is close) */
}

static void wilcoxon_should_use_the_normal_approximation_past_fifty(void **state)
{
    (void)state;
    double d[60];
    for (int i = 0; i < 60; i++)
        d[i] = ((i % 2) ? -1.0 : 1.0) * (i + 1) + (i % 3 == 0 ? 0.5 * (i + 1) : 0);
    paired_wilcoxon w;
    assert_int_equal(paired_wilcoxon_test(d, 60, &w), 0);
    assert_false(w.exact);
    assert_close(w.w_plus, 1018.5, 0);
    assert_close(w.z, 0.7582707928023643, 1e-12);
    assert_close(w.p, 0.4482888884811258, 1e-9);
}

static void wilcoxon_should_give_p_one_without_differences(void **state)
{
    (void)state;
    const double zeros[] = { 0, 0, 0, 0 };
    paired_wilcoxon w;
    assert_int_equal(paired_wilcoxon_test(zeros, 4, &w), 0);
    assert_int_equal(w.n, 0);
    assert_int_equal(w.nzero, 4);
    assert_close(w.p, 1.0, 0);
    assert_int_equal(paired_wilcoxon_test(NULL, 0, &w), 0);
    assert_close(w.p, 1.0, 0);
}

static void wilcoxon_should_refuse_values_that_are_not_finite(void **state)
{
    (void)state;
    const double d[] = { 0.1, NAN, 0.3 };
    const double e[] = { 0.1, INFINITY, 0.3 };
    paired_wilcoxon w;
    assert_int_equal(paired_wilcoxon_test(d, 3, &w), -1);
    assert_int_equal(w.n, 0);
    assert_int_equal(paired_wilcoxon_test(e, 3, &w), -1);
}

/* ---- the point estimate and the interval ----------------------------- */

static void analyze_should_give_the_ratio_of_the_median_log_ratio(void **state)
{
    (void)state;
    /* odd n: the middle one */
    const double d[] = { 0.3, -0.1, 0.2, 0.05, 0.1 };
    paired_result r;
    assert_int_equal(paired_analyze(d, N_OF(d), 0.95, &r), 0);
    assert_int_equal(r.n, 5);
    assert_close(r.median, 0.1, 1e-15);
    assert_close(r.ratio, exp(0.1), 1e-15);
    /* n = 5 cannot reach 95%: the full range */
    assert_close(r.d_low, -0.1, 0);
    assert_close(r.d_high, 0.3, 0);
    assert_close(r.ratio_low, exp(-0.1), 1e-15);
    assert_close(r.ratio_high, exp(0.3), 1e-15);
    /* even n: the mean of the middle two */
    const double e[] = { log(1.1), log(1.3), log(1.2), log(1.4) };
    assert_int_equal(paired_analyze(e, 4, 0.95, &r), 0);
    assert_close(r.ratio, exp((log(1.2) + log(1.3)) / 2), 1e-15);
}

static void analyze_should_take_the_classical_ranks_for_the_interval(void **state)
{
    (void)state;
    /* n = 10: the 2nd and 9th order statistics */
    const double d[] = { 0.09, -0.02, 0.05, 0.11, 0.03, 0.07, 0.01, 0.2, 0.04, 0.06 };
    paired_result r;
    assert_int_equal(paired_analyze(d, N_OF(d), 0.95, &r), 0);
    assert_close(r.d_low, 0.01, 0);
    assert_close(r.d_high, 0.11, 0);
    assert_close(r.median, 0.055, 1e-15);
    /* W- = rank of |-0.02| = 2: exact p 2 * 3/1024 */
    assert_true(r.test.exact);
    assert_close(r.test.w_minus, 2, 0);
    assert_close(r.test.p, 6.0 / 1024, 1e-15);
}

static void analyze_should_refuse_empty_input_bad_levels_and_nan(void **state)
{
    (void)state;
    const double d[] = { 0.1, 0.2 };
    const double bad[] = { 0.1, NAN };
    paired_result r;
    assert_int_equal(paired_analyze(d, 0, 0.95, &r), -1);
    assert_int_equal(paired_analyze(d, 2, 0, &r), -1);
    assert_int_equal(paired_analyze(d, 2, 1, &r), -1);
    assert_int_equal(paired_analyze(bad, 2, 0.95, &r), -1);
    assert_int_equal(r.n, 0);
}

static void log_ratio_should_handle_zeros_and_refuse_bad_medians(void **state)
{
    (void)state;
    double d = 42;
    assert_int_equal(paired_log_ratio(2, 3, &d), 0);
    assert_close(d, log(1.5), 1e-15);
    assert_int_equal(paired_log_ratio(0, 0, &d), 0);
    assert_close(d, 0, 0);
    d = 42;
    assert_int_equal(paired_log_ratio(0, 1, &d), -1);
    assert_int_equal(paired_log_ratio(1, 0, &d), -1);
    assert_int_equal(paired_log_ratio(-1, 1, &d), -1);
    assert_int_equal(paired_log_ratio(1, NAN, &d), -1);
    assert_int_equal(paired_log_ratio(INFINITY, 1, &d), -1);
    assert_close(d, 42, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wilcoxon_exact_should_match_brute_force_enumeration),
        cmocka_unit_test(wilcoxon_exact_should_agree_with_the_critical_value_table),
        cmocka_unit_test(wilcoxon_exact_should_reach_fifty_and_refuse_more),
        cmocka_unit_test(wilcoxon_should_use_the_normal_approximation_with_ties_and_zeros),
        cmocka_unit_test(wilcoxon_should_use_the_normal_approximation_past_fifty),
        cmocka_unit_test(wilcoxon_should_give_p_one_without_differences),
        cmocka_unit_test(wilcoxon_should_refuse_values_that_are_not_finite),
        cmocka_unit_test(analyze_should_give_the_ratio_of_the_median_log_ratio),
        cmocka_unit_test(analyze_should_take_the_classical_ranks_for_the_interval),
        cmocka_unit_test(analyze_should_refuse_empty_input_bad_levels_and_nan),
        cmocka_unit_test(log_ratio_should_handle_zeros_and_refuse_bad_medians),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
