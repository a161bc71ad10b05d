/*
 * test_stats.c - src/core/stats.c against known values.
 *
 * Where the reference values come from (no scipy or R on this machine):
 * - percentiles: the numpy.percentile documentation example and hand
 *   computation of R's type 7 rule h = (n-1)p, x[h] + (h-floor h)(x[h+1]-x[h]);
 * - MAD: the worked example of Wikipedia's "Median absolute deviation";
 * - standard deviation: Wikipedia's "Standard deviation" example
 *   (2,4,4,4,5,5,7,9: population 2, sample sqrt(32/7));
 * - median CI ranks: the classical table of binomial ranks (n=10 -> 2,9;
 *   n=20 -> 6,15; n=30 -> 10,21), the rest from exact integer sums of
 *   math.comb in Python (largest k with sum_{j<k} C(n,j) / 2^n <= alpha/2);
 * - Mann-Whitney exact p-values: brute-force enumeration of every
 *   assignment of ranks with itertools.combinations (small cases), and for
 *   larger ones a subset-sum count with Python's exact integers (a
 *   different algorithm from stats.c's partition count); the table of
 *   critical values of U (n1 = n2 = 10, two-sided 0.05: U <= 23);
 * - Mann-Whitney normal approximation: scipy's asymptotic formula written
 *   out by hand in Python with math.erfc
 *   (sigma = sqrt(n1 n2/12 ((n+1) - sum(t^3-t)/(n(n-1)))),
 *   z = (|U - n1 n2/2| - 0.5)/sigma, p = erfc(z/sqrt 2));
 * - xoshiro256** and splitmix64: the published vectors of the reference
 *   implementations (rand_xoshiro's test `reference`, state {1,2,3,4};
 *   splitmix64 from seed 0: e220a8397b1dcdaf, 6e789e6aa1b965f4, ...);
 * - normal CDF: tables (Phi(-1) = 0.15865525393145707, Phi(1.96) = 0.975).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/stats.h"

#define assert_close(got, want, rel)                                             \
    do {                                                                         \
        double g_ = (got), w_ = (want);                                          \
        if (!(fabs(g_ - w_) <= (rel) * fabs(w_) || g_ == w_))                    \
            fail_msg("%s = %.17g, expected %.17g", #got, g_, w_);                \
    } while (0)

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- percentiles, median, MAD ------------------------------------- */

static void percentile_should_match_the_numpy_documentation(void **state)
{
    /* numpy.percentile docs: a = [[10, 7, 4], [3, 2, 1]]; np.percentile(a, 50) == 3.5 */
    const double a[] = { 10, 7, 4, 3, 2, 1 };
    assert_close(stats_percentile(a, 6, 50), 3.5, 1e-15);
    /* np.percentile(a, 50, axis=0) == [6.5, 4.5, 2.5] */
    const double c0[] = { 10, 3 }, c1[] = { 7, 2 }, c2[] = { 4, 1 };
    assert_close(stats_percentile(c0, 2, 50), 6.5, 1e-15);
    assert_close(stats_percentile(c1, 2, 50), 4.5, 1e-15);
    assert_close(stats_percentile(c2, 2, 50), 2.5, 1e-15);
}

static void percentile_should_interpolate_linearly_between_order_statistics(void **state)
{
    /* 1..10 shuffled; type 7 by hand: p90: h = 9*0.9 = 8.1 -> 9 + 0.1*1 = 9.1;
     * p99: h = 8.91 -> 9.91; p25: h = 2.25 -> 3.25; p0 = min, p100 = max */
    const double x[] = { 7, 3, 10, 1, 9, 2, 8, 5, 4, 6 };
    assert_close(stats_percentile(x, 10, 90), 9.1, 1e-14);
    assert_close(stats_percentile(x, 10, 99), 9.91, 1e-14);
    assert_close(stats_percentile(x, 10, 25), 3.25, 1e-14);
    assert_close(stats_percentile(x, 10, 0), 1, 0);
    assert_close(stats_percentile(x, 10, 100), 10, 0);
    /* 1,3,5,7,9,11 at 90%: h = 4.5 -> 9 + 0.5*2 = 10 */
    const double y[] = { 11, 1, 9, 3, 7, 5 };
    assert_close(stats_percentile(y, 6, 90), 10, 1e-15);
}

static void percentile_should_refuse_empty_input_and_bad_p(void **state)
{
    const double x[] = { 1, 2 };
    assert_true(isnan(stats_percentile(x, 0, 50)));
    assert_true(isnan(stats_percentile(x, 2, -1)));
    assert_true(isnan(stats_percentile(x, 2, 100.5)));
    assert_true(isnan(stats_percentile(x, 2, NAN)));
}

static void median_should_handle_odd_even_single_and_empty(void **state)
{
    const double odd[] = { 5, 1, 4, 2, 3 }, even[] = { 8, 1, 4, 2 }, one[] = { 42 };
    assert_close(stats_median(odd, 5), 3, 0);
    assert_close(stats_median(even, 4), 3, 0);
    assert_close(stats_median(one, 1), 42, 0);
    assert_true(isnan(stats_median(odd, 0)));
}

static void median_should_not_modify_its_input(void **state)
{
    double x[] = { 9, 1, 8, 2, 7, 3, 6, 4, 5, 0, 11, 10, 19, 13, 12, 18, 14, 17, 15, 16 };
    double copy[N_OF(x)];
    memcpy(copy, x, sizeof x);
    assert_close(stats_median(x, N_OF(x)), 9.5, 0);
    assert_close(stats_mad(x, N_OF(x)), 5, 0);
    assert_memory_equal(x, copy, sizeof x);
}

static void median_should_agree_with_a_sort_on_large_inputs(void **state)
{
    /* quickselect against the definition, on data with many duplicates */
    enum { N = 10001 };
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    stats_rng r;
    stats_rng_seed(&r, 7);
    for (size_t i = 0; i < N; i++)
        x[i] = (double)stats_rng_below(&r, 500);
    double m = stats_median(x, N);
    size_t below = 0, equal = 0;
    for (size_t i = 0; i < N; i++) {
        below += x[i] < m;
        equal += x[i] == m;
    }
    /* the median of an odd count: fewer than half below, at least half at or below */
    assert_true(below <= N / 2);
    assert_true(below + equal > N / 2);
    assert_true(equal > 0);
    free(x);
}

static void mad_should_match_the_wikipedia_example(void **state)
{
    /* Wikipedia "Median absolute deviation": (1,1,2,2,4,6,9): median 2,
     * deviations (1,1,0,0,2,4,7), MAD = 1 */
    const double x[] = { 1, 1, 2, 2, 4, 6, 9 };
    assert_close(stats_mad(x, 7), 1, 0);
    assert_true(isnan(stats_mad(x, 0)));
}

/* ---- summary ------------------------------------------------------ */

static void summarize_should_fill_every_field(void **state)
{
    /* 1..10: mean 5.5, sample sd sqrt(82.5/9) = 3.0276503540974917,
     * median 5.5, MAD median(|x-5.5|) = 2.5, p90 9.1, p99 9.91,
     * 95% CI of the median: ranks 2 and 9 (binomial table, n = 10) */
    const double x[] = { 3, 9, 1, 10, 2, 8, 4, 7, 5, 6 };
    stats_summary s;
    assert_int_equal(stats_summarize(x, 10, &s), 0);
    assert_int_equal(s.n, 10);
    assert_close(s.min, 1, 0);
    assert_close(s.max, 10, 0);
    assert_close(s.mean, 5.5, 1e-15);
    assert_close(s.stddev, 3.0276503540974917, 1e-14);
    assert_close(s.median, 5.5, 0);
    assert_close(s.mad, 2.5, 0);
    assert_close(s.p90, 9.1, 1e-14);
    assert_close(s.p99, 9.91, 1e-14);
    assert_close(s.ci_low, 2, 0);
    assert_close(s.ci_high, 9, 0);
}

static void summarize_should_use_the_sample_standard_deviation(void **state)
{
    /* Wikipedia "Standard deviation": population sd 2, sample sd sqrt(32/7) */
    const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    stats_summary s;
    assert_int_equal(stats_summarize(x, 8, &s), 0);
    assert_close(s.mean, 5, 0);
    assert_close(s.stddev, sqrt(32.0 / 7.0), 1e-15);
}

static void summarize_should_handle_one_sample_and_equal_samples(void **state)
{
    const double one[] = { 12.5 };
    stats_summary s;
    assert_int_equal(stats_summarize(one, 1, &s), 0);
    assert_int_equal(s.n, 1);
    assert_close(s.min, 12.5, 0);
    assert_close(s.max, 12.5, 0);
    assert_close(s.mean, 12.5, 0);
    assert_close(s.stddev, 0, 0);
    assert_close(s.median, 12.5, 0);
    assert_close(s.mad, 0, 0);
    assert_close(s.p99, 12.5, 0);
    assert_close(s.ci_low, 12.5, 0);
    assert_close(s.ci_high, 12.5, 0);

    double same[40];
    for (size_t i = 0; i < N_OF(same); i++)
        same[i] = 0.1;
    assert_int_equal(stats_summarize(same, N_OF(same), &s), 0);
    assert_close(s.mean, 0.1, 0);        /* kept inside [min, max] */
    assert_close(s.stddev, 0, 0);
    assert_close(s.mad, 0, 0);
    assert_close(s.ci_low, 0.1, 0);
    assert_close(s.ci_high, 0.1, 0);
}

static void summarize_should_refuse_empty_input_and_zero_the_summary(void **state)
{
    stats_summary s;
    memset(&s, 0xff, sizeof s);
    assert_int_equal(stats_summarize(NULL, 0, &s), -1);
    assert_int_equal(s.n, 0);
    assert_close(s.median, 0, 0);
}

/* ---- median CI ------------------------------------------------------ */

/* x = a permutation of 1..n, so that order statistic k has value k. */
static double *shuffled_ranks(size_t n, uint64_t seed)
{
    double *x = malloc(n * sizeof *x);
    assert_non_null(x);
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(i + 1);
    stats_rng r;
    stats_rng_seed(&r, seed);
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)stats_rng_below(&r, i + 1);
        double t = x[i];
        x[i] = x[j];
        x[j] = t;
    }
    return x;
}

static void median_ci_should_use_the_binomial_order_statistics(void **state)
{
    static const struct { size_t n; double level; double lo, hi; } cases[] = {
        { 10, 0.95, 2, 9 },          /* published table */
        { 20, 0.95, 6, 15 },         /* published table */
        { 30, 0.95, 10, 21 },        /* published table; math.comb: P(B<=9)=0.0214 */
        { 100, 0.95, 40, 61 },       /* math.comb */
        { 1000, 0.95, 469, 532 },    /* math.comb */
        { 100000, 0.95, 49690, 50311 }, /* exact integer sums in Python */
        { 30, 0.99, 8, 23 },         /* math.comb */
        { 30, 0.90, 11, 20 },        /* math.comb */
        { 6, 0.95, 1, 6 },           /* 1/64 <= 0.025: ranks 1 and 6 */
        { 5, 0.95, 1, 5 },           /* 1/32 > 0.025: too few, the full range */
        { 2, 0.95, 1, 2 },
        { 1, 0.95, 1, 1 },
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        double *x = shuffled_ranks(cases[i].n, i + 1);
        double lo = -1, hi = -1;
        assert_int_equal(stats_median_ci(x, cases[i].n, cases[i].level, &lo, &hi), 0);
        if (lo != cases[i].lo || hi != cases[i].hi)
            fail_msg("n=%zu level=%g: [%g, %g], expected [%g, %g]", cases[i].n,
                     cases[i].level, lo, hi, cases[i].lo, cases[i].hi);
        /* the summary uses the same 95% interval */
        if (cases[i].level == 0.95 && cases[i].n <= 1000) {
            stats_summary s;
            assert_int_equal(stats_summarize(x, cases[i].n, &s), 0);
            assert_close(s.ci_low, cases[i].lo, 0);
            assert_close(s.ci_high, cases[i].hi, 0);
        }
        free(x);
    }
}

static void median_ci_should_refuse_empty_input_and_bad_levels(void **state)
{
    const double x[] = { 1, 2, 3 };
    double lo, hi;
    assert_int_equal(stats_median_ci(x, 0, 0.95, &lo, &hi), -1);
    assert_int_equal(stats_median_ci(x, 3, 0, &lo, &hi), -1);
    assert_int_equal(stats_median_ci(x, 3, 1, &lo, &hi), -1);
}

/* ---- Mann-Whitney ---------------------------------------------------- */

static void check_mwu(const double *a, size_t na, const double *b, size_t nb,
                      double u, double p, int exact, double prel)
{
    stats_mwu m;
    assert_int_equal(stats_mann_whitney(a, na, b, nb, &m), 0);
    assert_close(m.u, u, 0);
    assert_close(m.p, p, prel);
    assert_int_equal(m.exact, exact);
}

static void mann_whitney_exact_should_match_brute_force_enumeration(void **state)
{
    /* itertools.combinations over C(11,5) = 462 rank sets: U = 7, p = 41/231 */
    const double a[] = { 1.1, 2.3, 3.8, 5.0, 7.2 };
    const double b[] = { 2.0, 4.1, 6.3, 8.4, 9.9, 10.5 };
    check_mwu(a, 5, b, 6, 7, 41.0 / 231.0, 1, 1e-12);
    /* the other way round: U2 = 30 - 7, same two-sided p */
    check_mwu(b, 6, a, 5, 23, 41.0 / 231.0, 1, 1e-12);

    /* C(16,8) = 12870 rank sets: U = 8, p = 67/6435 */
    const double a2[] = { 12.1, 14.3, 9.8, 11.0, 15.2, 10.4, 13.7, 12.9 };
    const double b2[] = { 13.3, 16.1, 14.9, 17.4, 12.5, 15.8, 18.2, 16.6 };
    check_mwu(a2, 8, b2, 8, 8, 67.0 / 6435.0, 1, 1e-12);

    /* complete separation of 5 and 5: p = 2/C(10,5) = 1/126 */
    const double a3[] = { 1, 2, 3, 4, 5 }, b3[] = { 6, 7, 8, 9, 10 };
    check_mwu(a3, 5, b3, 5, 0, 1.0 / 126.0, 1, 1e-12);
    check_mwu(b3, 5, a3, 5, 25, 1.0 / 126.0, 1, 1e-12);

    /* one value each: p = 2 * 1/2, capped at 1 */
    const double one[] = { 1 }, two[] = { 2 };
    check_mwu(one, 1, two, 1, 0, 1.0, 1, 0);
}

static void mann_whitney_exact_should_agree_with_the_critical_value_table(void **state)
{
    /* Table of critical values of U, n1 = n2 = 10, two-sided alpha 0.05:
     * U <= 23 is significant.  Exact p by subset-sum counting in Python:
     * U = 23 -> 0.04325705254497824, U = 24 -> 0.05242590227110351. */
    const double a[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    double b[] = { 2.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5 };
    check_mwu(a, 10, b, 10, 23, 0.04325705254497824, 1, 1e-12);
    b[0] = 1.5;
    check_mwu(a, 10, b, 10, 24, 0.05242590227110351, 1, 1e-12);
}

static void mann_whitney_exact_should_reach_fifty_per_sample(void **state)
{
    /* a = 1..50, b = j + 5.5 with b[0] = 0.5, b[1] = 3.5: U = 1000;
     * subset-sum count with exact integers: p = 0.08545121551827177 */
    double a[50], b[50];
    for (int j = 0; j < 50; j++) {
        a[j] = j + 1;
        b[j] = j + 1 + 5.5;
    }
    b[0] = 0.5;
    b[1] = 3.5;
    check_mwu(a, 50, b, 50, 1000, 0.08545121551827177, 1, 1e-10);

    /* a = 1..30, b = j + 10.5: U = 190, p = 7.215017756201367e-05;
     * b = j + 0.5: U = 435, p = 0.8315004828724888 */
    double c[30], d[30];
    for (int j = 0; j < 30; j++) {
        c[j] = j + 1;
        d[j] = j + 1 + 10.5;
    }
    check_mwu(c, 30, d, 30, 190, 7.215017756201367e-05, 1, 1e-10);
    for (int j = 0; j < 30; j++)
        d[j] = j + 1 + 0.5;
    check_mwu(c, 30, d, 30, 435, 0.8315004828724888, 1, 1e-10);
    /* and again, now from the cached distribution of (30, 30) */
    check_mwu(c, 30, d, 30, 435, 0.8315004828724888, 1, 1e-10);
}

static void mann_whitney_should_use_the_normal_approximation_with_ties(void **state)
{
    /* ties -> asymptotic; hand formula in Python:
     * U = 7.5, tie term sum(t^3-t) = 84 (counts 1,2,4,3,3,1,2),
     * z = -2.5584085962673253, p = 0.010515245935858918 */
    const double a[] = { 1, 2, 2, 3, 3, 3, 4, 5 };
    const double b[] = { 3, 4, 4, 5, 5, 6, 7, 7 };
    stats_mwu m;
    assert_int_equal(stats_mann_whitney(a, 8, b, 8, &m), 0);
    assert_int_equal(m.exact, 0);
    assert_close(m.u, 7.5, 0);
    assert_close(m.z, -2.5584085962673253, 1e-12);
    assert_close(m.p, 0.010515245935858918, 1e-12);
    /* swapping the samples flips z and keeps p */
    assert_int_equal(stats_mann_whitney(b, 8, a, 8, &m), 0);
    assert_close(m.u, 56.5, 0);
    assert_close(m.z, 2.5584085962673253, 1e-12);
    assert_close(m.p, 0.010515245935858918, 1e-12);
}

static void mann_whitney_should_use_the_normal_approximation_past_fifty(void **state)
{
    /* a = 0..59, b = 20.5..74.5 (55 values), no ties: U = 780,
     * z = -4.868265382761153, p = 1.1258207796772934e-06 (hand formula) */
    double a[60], b[55];
    for (int i = 0; i < 60; i++)
        a[i] = i;
    for (int i = 0; i < 55; i++)
        b[i] = i + 20.5;
    stats_mwu m;
    assert_int_equal(stats_mann_whitney(a, 60, b, 55, &m), 0);
    assert_int_equal(m.exact, 0);
    assert_close(m.u, 780, 0);
    assert_close(m.z, -4.868265382761153, 1e-12);
    assert_close(m.p, 1.1258207796772934e-06, 1e-10);
}

static void mann_whitney_should_give_p_one_for_identical_samples(void **state)
{
    const double a[] = { 5, 5, 5, 5 }, b[] = { 5, 5, 5 };
    stats_mwu m;
    assert_int_equal(stats_mann_whitney(a, 4, b, 3, &m), 0);
    assert_close(m.u, 6, 0);      /* every pair a tie: 12 * 0.5 */
    assert_close(m.p, 1, 0);
    assert_close(m.z, 0, 0);
    /* equal samples without ties inside: U = n1 n2 / 2, p capped at 1 */
    const double c[] = { 1, 2, 3, 4 };
    assert_int_equal(stats_mann_whitney(c, 4, c, 4, &m), 0);
    assert_close(m.u, 8, 0);
    assert_close(m.p, 1, 0);
}

static void mann_whitney_should_refuse_empty_samples(void **state)
{
    const double a[] = { 1 };
    stats_mwu m;
    assert_int_equal(stats_mann_whitney(a, 0, a, 1, &m), -1);
    assert_int_equal(stats_mann_whitney(a, 1, a, 0, &m), -1);
}

/* ---- PRNG --------------------------------------------------------- */

static void rng_should_reproduce_the_reference_vectors(void **state)
{
    /* rand_xoshiro, test `reference`: "produced with the reference implementation" */
    static const uint64_t want[] = {
        11520u, 0u, 1509978240u, UINT64_C(1215971899390074240),
        UINT64_C(1216172134540287360), UINT64_C(607988272756665600),
        UINT64_C(16172922978634559625), UINT64_C(8476171486693032832),
        UINT64_C(10595114339597558777), UINT64_C(2904607092377533576),
    };
    stats_rng r = { { 1, 2, 3, 4 } };
    for (size_t i = 0; i < N_OF(want); i++)
        assert_true(stats_rng_next(&r) == want[i]);

    /* seeding fills the state with splitmix64's outputs from the seed:
     * from 0: e220a8397b1dcdaf 6e789e6aa1b965f4 06c45d188009454f f88bb8a8724c81ec */
    stats_rng_seed(&r, 0);
    assert_true(r.s[0] == UINT64_C(0xe220a8397b1dcdaf));
    assert_true(r.s[1] == UINT64_C(0x6e789e6aa1b965f4));
    assert_true(r.s[2] == UINT64_C(0x06c45d188009454f));
    assert_true(r.s[3] == UINT64_C(0xf88bb8a8724c81ec));
}

static void rng_below_should_be_in_range_and_uniform(void **state)
{
    stats_rng r;
    stats_rng_seed(&r, 12345);
    size_t counts[6] = { 0 };
    for (int i = 0; i < 60000; i++) {
        uint64_t v = stats_rng_below(&r, 6);
        assert_true(v < 6);
        counts[v]++;
    }
    /* expected 10000 each, sd ~91: 5 sd either way (fixed seed, not flaky) */
    for (int i = 0; i < 6; i++)
        assert_in_range(counts[i], 9550, 10450);
    for (int i = 0; i < 100; i++)
        assert_true(stats_rng_below(&r, 1) == 0);
    uint64_t big = UINT64_C(0x8000000000000001);   /* the rejection path matters here */
    for (int i = 0; i < 1000; i++)
        assert_true(stats_rng_below(&r, big) < big);
}

static void rng_double_should_be_in_the_unit_interval(void **state)
{
    stats_rng r;
    stats_rng_seed(&r, 99);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double d = stats_rng_double(&r);
        assert_true(d >= 0.0 && d < 1.0);
        sum += d;
    }
    assert_close(sum / 100000, 0.5, 0.01);
}

/* ---- bootstrap ------------------------------------------------------ */

static void bootstrap_should_be_exact_for_constant_samples(void **state)
{
    double a[30], b[30];
    for (int i = 0; i < 30; i++) {
        a[i] = 100;
        b[i] = 200;
    }
    double lo, hi;
    assert_int_equal(stats_bootstrap_ratio_ci(a, 30, b, 30, 0.95, 2000, 1, &lo, &hi), 0);
    assert_close(lo, 2, 0);
    assert_close(hi, 2, 0);
}

static void bootstrap_should_follow_a_known_resampling_distribution(void **state)
{
    /* A = {1, 3}: the median of a resample is 1, 2 or 3 with probability
     * 1/4, 1/2, 1/4; B = {6}: the ratio is 6, 3 or 2.  Both tails hold a
     * quarter of the mass, far more than 2.5%, so the 95% interval is
     * exactly [2, 6]. */
    const double a[] = { 3, 1 }, b[] = { 6 };
    double lo, hi;
    assert_int_equal(stats_bootstrap_ratio_ci(a, 2, b, 1, 0.95, 2000, 42, &lo, &hi), 0);
    assert_close(lo, 2, 0);
    assert_close(hi, 6, 0);
    /* at 40% the interval is the middle of the distribution: [3, 3] */
    assert_int_equal(stats_bootstrap_ratio_ci(a, 2, b, 1, 0.40, 2000, 42, &lo, &hi), 0);
    assert_close(lo, 3, 0);
    assert_close(hi, 3, 0);
}

static void bootstrap_should_be_deterministic_and_cover_the_true_ratio(void **state)
{
    double a[30], b[30], a_rev[30];
    stats_rng r;
    stats_rng_seed(&r, 3);
    for (int i = 0; i < 30; i++) {
        a[i] = 1000 + 50 * stats_rng_double(&r);
        b[i] = 1500 + 75 * stats_rng_double(&r);    /* ratio of medians about 1.5 */
    }
    for (int i = 0; i < 30; i++)
        a_rev[i] = a[29 - i];
    double lo1, hi1, lo2, hi2, lo3, hi3, lo99, hi99;
    assert_int_equal(stats_bootstrap_ratio_ci(a, 30, b, 30, 0.95, 2000, 7, &lo1, &hi1), 0);
    assert_int_equal(stats_bootstrap_ratio_ci(a, 30, b, 30, 0.95, 2000, 7, &lo2, &hi2), 0);
    /* same seed: the same bits; the order of the samples does not matter */
    assert_memory_equal(&lo1, &lo2, sizeof lo1);
    assert_memory_equal(&hi1, &hi2, sizeof hi1);
    assert_int_equal(stats_bootstrap_ratio_ci(a_rev, 30, b, 30, 0.95, 2000, 7, &lo3, &hi3), 0);
    assert_memory_equal(&lo1, &lo3, sizeof lo1);
    assert_memory_equal(&hi1, &hi3, sizeof hi1);

    double point = stats_median(b, 30) / stats_median(a, 30);
    assert_true(lo1 < point && point < hi1);
    assert_true(lo1 > 1.4 && hi1 < 1.6);
    /* a higher level gives a wider interval */
    assert_int_equal(stats_bootstrap_ratio_ci(a, 30, b, 30, 0.99, 2000, 7, &lo99, &hi99), 0);
    assert_true(lo99 <= lo1 && hi99 >= hi1);
}

static void bootstrap_should_refuse_empty_samples_zero_medians_and_bad_arguments(void **state)
{
    const double a[] = { 1, 2, 3 }, zero[] = { 0, 0, 0, 5 };
    double lo = -7, hi = -7;
    assert_int_equal(stats_bootstrap_ratio_ci(a, 0, a, 3, 0.95, 100, 1, &lo, &hi), -1);
    assert_int_equal(stats_bootstrap_ratio_ci(a, 3, a, 0, 0.95, 100, 1, &lo, &hi), -1);
    assert_int_equal(stats_bootstrap_ratio_ci(zero, 4, a, 3, 0.95, 100, 1, &lo, &hi), -1);
    assert_int_equal(stats_bootstrap_ratio_ci(a, 3, a, 3, 0.95, 0, 1, &lo, &hi), -1);
    assert_int_equal(stats_bootstrap_ratio_ci(a, 3, a, 3, 1.5, 100, 1, &lo, &hi), -1);
    /* a resample of A whose median is 0 also fails (median of A itself is 1) */
    const double some_zero[] = { 0, 1, 2 };
    assert_int_equal(stats_bootstrap_ratio_ci(some_zero, 3, a, 3, 0.95, 2000, 1, &lo, &hi), -1);
    assert_close(lo, -7, 0);
}

/* ---- normal CDF ----------------------------------------------------- */

static void normal_cdf_should_match_the_tables(void **state)
{
    assert_close(stats_normal_cdf(0), 0.5, 1e-15);
    assert_close(stats_normal_cdf(-1), 0.15865525393145707, 1e-14);
    assert_close(stats_normal_cdf(1.959963984540054), 0.975, 1e-14);
    assert_close(stats_normal_cdf(-8), 6.220960574271819e-16, 1e-10);
}


static void group_medians_should_take_each_process_alone(void **state)
{
    (void)state;
    const double x[] = { 3, 1, 2, 10, 30, 20, 40, 7 };
    const size_t g[] = { 3, 4, 1 };
    double out[3];
    assert_int_equal(stats_group_medians(x, 8, g, 3, out), 0);
    assert_float_equal(out[0], 2, 0);
    assert_float_equal(out[1], 25, 0);
    assert_float_equal(out[2], 7, 0);
    const size_t bad[] = { 3, 4 };
    assert_int_equal(stats_group_medians(x, 8, bad, 2, out), -1);
    const size_t empty[] = { 3, 0, 5 };
    assert_int_equal(stats_group_medians(x, 8, empty, 3, out), -1);
}

static void nested_bootstrap_should_resample_processes_then_samples(void **state)
{
    (void)state;
    /* constant processes: every resample gives the same ratio, 12/10 */
    double a[12], b[12];
    const size_t g[] = { 4, 4, 4 };
    for (int i = 0; i < 12; i++) {
        a[i] = 10;
        b[i] = 12;
    }
    double lo, hi;
    assert_int_equal(stats_bootstrap_nested_ratio_ci(a, 12, g, 3, b, 12, g, 3, 0.95, 500, 1,
                                                     &lo, &hi), 0);
    assert_float_equal(lo, 1.2, 1e-12);
    assert_float_equal(hi, 1.2, 1e-12);
    /* processes at two levels on A: the interval must span the levels'
     * ratios (resampling processes), which a pooled bootstrap of 12 samples
     * each at 10 and 20 also does, but narrower */
    for (int i = 0; i < 12; i++)
        a[i] = i < 4 ? 10 : i < 8 ? 20 : 15;
    assert_int_equal(stats_bootstrap_nested_ratio_ci(a, 12, g, 3, b, 12, g, 3, 0.95, 2000, 7,
                                                     &lo, &hi), 0);
    assert_float_equal(lo, 12.0 / 20.0, 1e-12);
    assert_float_equal(hi, 12.0 / 10.0, 1e-12);
    double lo2, hi2;
    assert_int_equal(stats_bootstrap_nested_ratio_ci(a, 12, g, 3, b, 12, g, 3, 0.95, 2000, 7,
                                                     &lo2, &hi2), 0);
    assert_true(lo == lo2 && hi == hi2); /* same seed, same interval */
    const size_t bad[] = { 4, 4 };
    assert_int_equal(stats_bootstrap_nested_ratio_ci(a, 12, bad, 2, b, 12, g, 3, 0.95, 100, 1,
                                                     &lo, &hi), -1);
}

/* ---- the bootstrap against a plain copy of its first version ---------- */

/* stats_below32 as it was: a bounded index from 32 random bits, the spare
 * half of each 64-bit output kept for the next draw. */
static uint32_t ref_below32(stats_rng *r, uint64_t *word, int *have, uint32_t n)
{
    for (;;) {
        if (*have == 0) {
            *word = stats_rng_next(r);
            *have = 2;
        }
        uint32_t x = (uint32_t)(*word >> 32);
        *word <<= 32;
        (*have)--;
        uint64_t m = (uint64_t)x * n;
        uint32_t lo = (uint32_t)m;
        if (lo >= n || lo >= (uint32_t)(0u - n) % n)
            return (uint32_t)(m >> 32);
    }
}

static int ref_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of one resample of sorted S[N]: counts and a walk. */
static double ref_resample_median(stats_rng *r, uint64_t *word, int *have, const double *s,
                                  size_t n, uint32_t *cnt)
{
    memset(cnt, 0, n * sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        cnt[ref_below32(r, word, have, (uint32_t)n)]++;
    size_t k1 = (n - 1) / 2, k2 = n / 2, cum = 0, idx = 0;
    while (cum + cnt[idx] <= k1)
        cum += cnt[idx++];
    double lo = s[idx];
    while (cum + cnt[idx] <= k2)
        cum += cnt[idx++];
    return lo + (s[idx] - lo) / 2.0;
}

/* Type-7 quantile of sorted V[N] at fraction Q, as stats_interval_of. */
static double ref_quantile(const double *v, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t k = (size_t)floor(h);
    if (k >= n - 1)
        return v[n - 1];
    double t = h - (double)k;
    return (t == 0.0 || v[k] == v[k + 1]) ? v[k] : v[k] + (v[k + 1] - v[k]) * t;
}

/* The faster resampling (two draws per output, nibble counts up to 15
 * samples) must give exactly the interval of the plain one, for every
 * sample count on either side of 15 and both parities. */
static void bootstrap_should_equal_the_plain_resampling_bit_for_bit(void **state)
{
    (void)state;
    enum { R = 300 };
    double a[40], b[40], sa[40], sb[40], ratios[R];
    uint32_t cnt[40];
    for (size_t na = 1; na <= 40; na += (na < 20 ? 1 : 7)) {
        size_t nb = na % 3 == 0 ? na : na + 1;
        for (size_t i = 0; i < 40; i++) {
            a[i] = 100.0 + (double)((i * 7919) % 97) / 7.0;
            b[i] = 104.0 + (double)((i * 104729) % 89) / 5.0;
        }
        for (uint64_t seed = 1; seed <= 3; seed++) {
            double lo, hi;
            assert_int_equal(stats_bootstrap_ratio_ci(a, na, b, nb, 0.95, R, seed, &lo, &hi), 0);
            memcpy(sa, a, na * sizeof *sa);
            memcpy(sb, b, nb * sizeof *sb);
            qsort(sa, na, sizeof *sa, ref_cmp);
            qsort(sb, nb, sizeof *sb, ref_cmp);
            stats_rng r;
            uint64_t word = 0;
            int have = 0;
            stats_rng_seed(&r, seed);
            for (int i = 0; i < R; i++) {
                double ma = ref_resample_median(&r, &word, &have, sa, na, cnt);
                double mb = ref_resample_median(&r, &word, &have, sb, nb, cnt);
                ratios[i] = mb / ma;
            }
            qsort(ratios, R, sizeof *ratios, ref_cmp);
            /* the fractions computed as stats_interval_of does, rounding and all */
            double alpha = 1.0 - 0.95;
            double want_lo = ref_quantile(ratios, R, alpha / 2.0 * 100.0 / 100.0);
            double want_hi = ref_quantile(ratios, R, (1.0 - alpha / 2.0) * 100.0 / 100.0);
            assert_memory_equal(&lo, &want_lo, sizeof lo);
            assert_memory_equal(&hi, &want_hi, sizeof hi);
        }
    }
}

/* The interval of stats_bootstrap_ratio_ci against qsort and the type-7
 * rule, for one sample set: the same draws as the plain resampling. */
static void check_interval_against_sort(const double *a, size_t na, const double *b,
                                        size_t nb, double level, unsigned R, uint64_t seed)
{
    double sa[20], sb[20], lo, hi;
    uint32_t cnt[20];
    double *ratios = malloc(R * sizeof *ratios);
    assert_non_null(ratios);
    assert_int_equal(stats_bootstrap_ratio_ci(a, na, b, nb, level, R, seed, &lo, &hi), 0);
    memcpy(sa, a, na * sizeof *sa);
    memcpy(sb, b, nb * sizeof *sb);
    qsort(sa, na, sizeof *sa, ref_cmp);
    qsort(sb, nb, sizeof *sb, ref_cmp);
    stats_rng r;
    uint64_t word = 0;
    int have = 0;
    stats_rng_seed(&r, seed);
    for (unsigned i = 0; i < R; i++) {
        double ma = ref_resample_median(&r, &word, &have, sa, na, cnt);
        double mb = ref_resample_median(&r, &word, &have, sb, nb, cnt);
        ratios[i] = mb / ma;
    }
    qsort(ratios, R, sizeof *ratios, ref_cmp);
    double alpha = 1.0 - level;
    double want_lo = ref_quantile(ratios, R, alpha / 2.0 * 100.0 / 100.0);
    double want_hi = ref_quantile(ratios, R, (1.0 - alpha / 2.0) * 100.0 / 100.0);
    assert_memory_equal(&lo, &want_lo, sizeof lo);
    assert_memory_equal(&hi, &want_hi, sizeof hi);
    free(ratios);
}

/* The percentile interval (one pass keeping both tails, quickselect when a
 * tail is long or a ratio is zero) must be exactly the one of a full sort,
 * for 1, 2 and few resamples, tails just under and over the buffer, many
 * levels, and ratios with many ties (few distinct samples), negative
 * ratios and zeros. */
static void interval_should_equal_a_sort_of_the_ratios(void **state)
{
    (void)state;
    static const unsigned counts[] = { 1, 2, 3, 4, 5, 7, 10, 50, 51, 52, 53, 100, 101,
                                       199, 200, 257, 1000, 2000, 2600, 4001 };
    static const double levels[] = { 0.5, 0.8, 0.9, 0.95, 0.99, 0.999 };
    double a[20], b[20];
    stats_rng g;
    stats_rng_seed(&g, 12345);
    for (int set = 0; set < 7; set++) {
        size_t na = (size_t[]){ 1, 2, 3, 10, 10, 16, 20 }[set];
        size_t nb = (size_t[]){ 1, 3, 2, 10, 9, 20, 15 }[set];
        for (size_t i = 0; i < 20; i++) {
            switch (set) {
            case 0: case 3:         /* two values: heavy ties */
                a[i] = 100.0;
                b[i] = (i % 3 == 0) ? 101.0 : 99.0;
                break;
            case 4:                 /* signs mixed, a zero among b */
                a[i] = (i % 4 == 0) ? -50.0 : 50.0 + (double)i;
                b[i] = (i == 2) ? 0.0 : (i % 2 ? -3.0 : 7.0);
                break;
            default:                /* random */
                a[i] = 90.0 + 20.0 * stats_rng_double(&g);
                b[i] = 90.0 + 20.0 * stats_rng_double(&g);
                break;
            }
        }
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
            for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++)
                for (uint64_t seed = 1; seed <= 2; seed++)
                    check_interval_against_sort(a, na, b, nb, levels[l], counts[c], seed);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bootstrap_should_equal_the_plain_resampling_bit_for_bit),
        cmocka_unit_test(interval_should_equal_a_sort_of_the_ratios),
        cmocka_unit_test(percentile_should_match_the_numpy_documentation),
        cmocka_unit_test(percentile_should_interpolate_linearly_between_order_statistics),
        cmocka_unit_test(percentile_should_refuse_empty_input_and_bad_p),
        cmocka_unit_test(median_should_handle_odd_even_single_and_empty),
        cmocka_unit_test(median_should_not_modify_its_input),
        cmocka_unit_test(median_should_agree_with_a_sort_on_large_inputs),
        cmocka_unit_test(mad_should_match_the_wikipedia_example),
        cmocka_unit_test(summarize_should_fill_every_field),
        cmocka_unit_test(summarize_should_use_the_sample_standard_deviation),
        cmocka_unit_test(summarize_should_handle_one_sample_and_equal_samples),
        cmocka_unit_test(summarize_should_refuse_empty_input_and_zero_the_summary),
        cmocka_unit_test(median_ci_should_use_the_binomial_order_statistics),
        cmocka_unit_test(median_ci_should_refuse_empty_input_and_bad_levels),
        cmocka_unit_test(mann_whitney_exact_should_match_brute_force_enumeration),
        cmocka_unit_test(mann_whitney_exact_should_agree_with_the_critical_value_table),
        cmocka_unit_test(mann_whitney_exact_should_reach_fifty_per_sample),
        cmocka_unit_test(mann_whitney_should_use_the_normal_approximation_with_ties),
        cmocka_unit_test(mann_whitney_should_use_the_normal_approximation_past_fifty),
        cmocka_unit_test(mann_whitney_should_give_p_one_for_identical_samples),
        cmocka_unit_test(mann_whitney_should_refuse_empty_samples),
        cmocka_unit_test(rng_should_reproduce_the_reference_vectors),
        cmocka_unit_test(rng_below_should_be_in_range_and_uniform),
        cmocka_unit_test(rng_double_should_be_in_the_unit_interval),
        cmocka_unit_test(bootstrap_should_be_exact_for_constant_samples),
        cmocka_unit_test(bootstrap_should_follow_a_known_resampling_distribution),
        cmocka_unit_test(bootstrap_should_be_deterministic_and_cover_the_true_ratio),
        cmocka_unit_test(bootstrap_should_refuse_empty_samples_zero_medians_and_bad_arguments),
        cmocka_unit_test(normal_cdf_should_match_the_tables),
        cmocka_unit_test(group_medians_should_take_each_process_alone),
        cmocka_unit_test(nested_bootstrap_should_resample_processes_then_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
