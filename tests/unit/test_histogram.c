/*
 * test_histogram.c - the latency histogram against exact nearest-rank
 * percentiles of the recorded values (a sorted copy), for several
 * distributions across 1 ns .. 1 hour.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/histogram.h"
#include "core/stats.h"

#define NVALUES 200000

/* Percentiles in thousandths of a percent, so the exact rank is integer
 * arithmetic independent of the code under test. */
static const uint64_t pmilli[] = {
    1, 100, 1000, 10000, 25000, 50000, 75000, 90000, 95000, 99000, 99900, 99990, 99999
};
#define NP (sizeof pmilli / sizeof pmilli[0])

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted V[0..N-1]: the value of rank
 * ceil(p * n), p = PM / 100000. */
static uint64_t exact_percentile(const uint64_t *v, uint64_t n, uint64_t pm)
{
    uint64_t rank = (pm * n + 99999) / 100000;
    if (rank < 1)
        rank = 1;
    return v[rank - 1];
}

/* Records V into a new histogram and checks count, min, max, mean and
 * every percentile in pmilli against the sorted values. */
static void check_against_exact(uint64_t *v, uint64_t n, const char *what)
{
    histogram *h = histogram_new();
    double sum = 0.0;

    assert_non_null(h);
    for (uint64_t i = 0; i < n; i++) {
        assert_int_equal(histogram_record(h, v[i]), 0);
        sum += (double)v[i];
    }
    qsort(v, n, sizeof *v, cmp_u64);
    assert_int_equal(histogram_count(h), n);
    assert_int_equal(histogram_min(h), v[0]);
    assert_int_equal(histogram_max(h), v[n - 1]);
    assert_int_equal(histogram_percentile(h, 0.0), v[0]);
    assert_int_equal(histogram_percentile(h, 100.0), v[n - 1]);
    assert_true(fabs(histogram_mean(h) - sum / (double)n) <= 1e-9 * (sum / (double)n));
    for (size_t i = 0; i < NP; i++) {
        uint64_t exact = exact_percentile(v, n, pmilli[i]);
        uint64_t got = histogram_percentile(h, (double)pmilli[i] / 1000.0);
        double rel = exact ? ((double)got - (double)exact) / (double)exact : (double)got;
        /* the result is the top of the exact value's slot: never below it,
         * and at most 1/1024 above it */
        if (got < exact || rel > HISTOGRAM_PRECISION || rel > 0.001)
            fail_msg("%s: p%.3f = %llu, exact %llu (relative error %.6f)", what,
                     (double)pmilli[i] / 1000.0, (unsigned long long)got,
                     (unsigned long long)exact, rel);
    }
    histogram_free(h);
}

static void slot_arithmetic_matches_hdr_histogram(void **unused)
{
    /* 0..2047 are exact; bucket k >= 1 holds [1024 * 2^k, 2048 * 2^k) in
     * slots 2^k wide (HdrHistogram with 3 significant digits). */
    assert_int_equal(histogram_lowest_equivalent(0), 0);
    assert_int_equal(histogram_highest_equivalent(0), 0);
    assert_int_equal(histogram_lowest_equivalent(2047), 2047);
    assert_int_equal(histogram_highest_equivalent(2047), 2047);
    assert_int_equal(histogram_lowest_equivalent(2049), 2048);
    assert_int_equal(histogram_highest_equivalent(2048), 2049);
    assert_int_equal(histogram_lowest_equivalent(4095), 4094);
    assert_int_equal(histogram_highest_equivalent(4096), 4099);
    /* 1e9: 2^29 <= 1e9 < 2^30, so bucket 19, slot width 2^19 = 524288;
     * floor(1e9 / 524288) = 1907, 1907 * 524288 = 999817216 */
    assert_int_equal(histogram_lowest_equivalent(1000000000), 999817216);
    assert_int_equal(histogram_highest_equivalent(1000000000), 999817216 + 524287);
    assert_int_equal(histogram_highest_equivalent(HISTOGRAM_MAX_VALUE), HISTOGRAM_MAX_VALUE);
}

static void every_slot_is_narrower_than_the_stated_precision(void **unused)
{
    stats_rng rng;

    stats_rng_seed(&rng, 5);
    for (int i = 0; i < 100000; i++) {
        uint64_t v = stats_rng_below(&rng, HISTOGRAM_MAX_VALUE) + 1;
        uint64_t lo = histogram_lowest_equivalent(v), hi = histogram_highest_equivalent(v);
        assert_true(lo <= v && v <= hi);
        assert_true((double)(hi - lo) <= (double)lo * HISTOGRAM_PRECISION);
    }
    /* one hour in ns is inside the range */
    assert_true(UINT64_C(3600000000000) <= HISTOGRAM_MAX_VALUE);
}

static void empty_histogram_reports_zeros(void **unused)
{
    histogram *h = histogram_new();

    assert_non_null(h);
    assert_int_equal(histogram_count(h), 0);
    assert_int_equal(histogram_min(h), 0);
    assert_int_equal(histogram_max(h), 0);
    assert_true(histogram_mean(h) == 0.0);
    assert_int_equal(histogram_percentile(h, 50.0), 0);
    histogram_free(h);
    histogram_free(NULL);
}

static void small_values_are_exact(void **unused)
{
    uint64_t v[1000];

    for (int i = 0; i < 1000; i++)
        v[i] = (uint64_t)(1000 - i);          /* 1000..1: exact slots */
    {
        histogram *h = histogram_new();
        assert_non_null(h);
        for (int i = 0; i < 1000; i++)
            histogram_record(h, v[i]);
        /* nearest rank over 1..1000: p50 = 500, p99.9 = 999, p0.1 = 1 */
        assert_int_equal(histogram_percentile(h, 50.0), 500);
        assert_int_equal(histogram_percentile(h, 99.9), 999);
        assert_int_equal(histogram_percentile(h, 0.1), 1);
        assert_int_equal(histogram_percentile(h, 25.05), 251);
        histogram_free(h);
    }
    check_against_exact(v, 1000, "1..1000");
}

static void uniform_values_match_exact_percentiles(void **unused)
{
    uint64_t *v = malloc(NVALUES * sizeof *v);
    stats_rng rng;

    assert_non_null(v);
    stats_rng_seed(&rng, 11);
    for (int i = 0; i < NVALUES; i++)
        v[i] = 1 + stats_rng_below(&rng, 1000000);          /* 1 ns .. 1 ms */
    check_against_exact(v, NVALUES, "uniform");
    free(v);
}

static void log_uniform_values_from_1ns_to_1h_match_exact_percentiles(void **unused)
{
    uint64_t *v = malloc(NVALUES * sizeof *v);
    stats_rng rng;

    assert_non_null(v);
    stats_rng_seed(&rng, 12);
    for (int i = 0; i < NVALUES; i++)
        v[i] = (uint64_t)exp(stats_rng_double(&rng) * log(3.6e12)); /* 1 ns .. 1 h */
    check_against_exact(v, NVALUES, "log-uniform");
    free(v);
}

static void normal_values_match_exact_percentiles(void **unused)
{
    uint64_t *v = malloc(NVALUES * sizeof *v);
    stats_rng rng;

    assert_non_null(v);
    stats_rng_seed(&rng, 13);
    for (int i = 0; i < NVALUES; i++) {
        double s = 0.0;                  /* Irwin-Hall: sum of 12 uniforms - 6 ~ N(0,1) */
        for (int k = 0; k < 12; k++)
            s += stats_rng_double(&rng);
        v[i] = (uint64_t)(50000.0 + 5000.0 * (s - 6.0));   /* 50 us +- 5 us */
    }
    check_against_exact(v, NVALUES, "normal");
    free(v);
}

/* 90% fast operations around 10 us, 10% slow ones around 10 ms: the tail
 * percentiles land in the second mode. */
static void bimodal_values_match_exact_percentiles(void **unused)
{
    uint64_t *v = malloc(NVALUES * sizeof *v);
    stats_rng rng;

    assert_non_null(v);
    stats_rng_seed(&rng, 14);
    for (int i = 0; i < NVALUES; i++) {
        double u = stats_rng_double(&rng);
        if (stats_rng_below(&rng, 10) == 0)
            v[i] = (uint64_t)(1e7 * (0.5 + u));
        else
            v[i] = (uint64_t)(1e4 * (0.5 + u));
    }
    check_against_exact(v, NVALUES, "bimodal");
    free(v);
}

static void constant_values_give_that_value(void **unused)
{
    uint64_t *v = malloc(1000 * sizeof *v);

    assert_non_null(v);
    for (int i = 0; i < 1000; i++)
        v[i] = 123456789;
    check_against_exact(v, 1000, "constant");
    free(v);
}

static void merge_equals_recording_everything_in_one(void **unused)
{
    histogram *a = histogram_new(), *b = histogram_new(), *all = histogram_new();
    stats_rng rng;

    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(all);
    stats_rng_seed(&rng, 21);
    for (int i = 0; i < 50000; i++) {
        uint64_t x = (uint64_t)exp(stats_rng_double(&rng) * log(1e10));
        histogram_record(i % 3 ? a : b, x);
        histogram_record(all, x);
    }
    histogram_merge(a, b);
    assert_int_equal(histogram_count(a), histogram_count(all));
    assert_int_equal(histogram_min(a), histogram_min(all));
    assert_int_equal(histogram_max(a), histogram_max(all));
    assert_true(fabs(histogram_mean(a) - histogram_mean(all)) <= 1e-9 * histogram_mean(all));
    for (double p = 0.0; p <= 100.0; p += 0.5)
        assert_int_equal(histogram_percentile(a, p), histogram_percentile(all, p));
    /* merging an empty histogram changes nothing */
    histogram_reset(b);
    histogram_merge(a, b);
    assert_int_equal(histogram_count(a), 50000);
    histogram_free(a);
    histogram_free(b);
    histogram_free(all);
}

static void record_n_counts_repeated_values(void **unused)
{
    histogram *h = histogram_new();

    assert_non_null(h);
    assert_int_equal(histogram_record_n(h, 100, 0), 0);
    assert_int_equal(histogram_count(h), 0);
    histogram_record_n(h, 100, 99);
    histogram_record_n(h, 5000000, 1);
    assert_int_equal(histogram_count(h), 100);
    assert_int_equal(histogram_percentile(h, 99.0), 100);
    assert_int_equal(histogram_percentile(h, 99.5), 5000000);
    assert_true(fabs(histogram_mean(h) - (99.0 * 100 + 5e6) / 100.0) < 1e-9);
    histogram_reset(h);
    assert_int_equal(histogram_count(h), 0);
    assert_int_equal(histogram_max(h), 0);
    histogram_free(h);
}

static void values_beyond_the_range_are_clamped_but_counted(void **unused)
{
    histogram *h = histogram_new();
    const uint64_t big = UINT64_C(1) << 50;

    assert_non_null(h);
    histogram_record(h, 1000);
    assert_int_equal(histogram_record(h, big), 1);
    assert_int_equal(histogram_clamped(h), 1);
    assert_int_equal(histogram_count(h), 2);
    assert_int_equal(histogram_max(h), big);
    assert_int_equal(histogram_percentile(h, 100.0), big);
    /* the top percentile below 100 reads the top slot: the largest
     * trackable value */
    assert_int_equal(histogram_percentile(h, 99.0), HISTOGRAM_MAX_VALUE);
    histogram_free(h);
}

static void percentile_out_of_range_gives_zero(void **unused)
{
    histogram *h = histogram_new();

    assert_non_null(h);
    histogram_record(h, 42);
    assert_int_equal(histogram_percentile(h, -1.0), 0);
    assert_int_equal(histogram_percentile(h, 100.5), 0);
    assert_int_equal(histogram_percentile(h, NAN), 0);
    assert_int_equal(histogram_percentile(h, 50.0), 42);
    histogram_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slot_arithmetic_matches_hdr_histogram),
        cmocka_unit_test(every_slot_is_narrower_than_the_stated_precision),
        cmocka_unit_test(empty_histogram_reports_zeros),
        cmocka_unit_test(small_values_are_exact),
        cmocka_unit_test(uniform_values_match_exact_percentiles),
        cmocka_unit_test(log_uniform_values_from_1ns_to_1h_match_exact_percentiles),
        cmocka_unit_test(normal_values_match_exact_percentiles),
        cmocka_unit_test(bimodal_values_match_exact_percentiles),
        cmocka_unit_test(constant_values_give_that_value),
        cmocka_unit_test(merge_equals_recording_everything_in_one),
        cmocka_unit_test(record_n_counts_repeated_values),
        cmocka_unit_test(values_beyond_the_range_are_clamped_but_counted),
        cmocka_unit_test(percentile_out_of_range_gives_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
