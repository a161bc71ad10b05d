/*
 * test_suspect.c - when a baseline is suspect: its processes disagree
 * beyond their own spread by more than the threshold, or its median lies
 * outside the benchmark's recent history (src/core/suspect.h), and the
 * disagreement rule `baseline save --last` shares.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/results.h"
#include "core/suspect.h"

/* cmocka's assert_float_equal compares floats: doubles to EPS here */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

/* A run with one benchmark whose wall_time has samples X[N] grouped into
 * processes of GROUPS[NG] samples (NG 0: no grouping). */
static results_metric *one_metric(results_run *run, const double *x, size_t n,
                                  const size_t *groups, size_t ng)
{
    results_run_init(run);
    results_bench *b = results_add_bench(run, "qsort/4096", NULL);
    assert_non_null(b);
    results_metric *m = results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, x, n);
    assert_non_null(m);
    if (ng)
        assert_int_equal(results_metric_set_processes(m, groups, ng), 0);
    assert_int_equal(results_finish(run), 0);
    return &run->benches[0].metrics[0];
}

/* ---- history ------------------------------------------------------------- */

static const double tight[] = { 100, 102, 98, 101, 99 };

static void a_baseline_far_from_a_tight_history_is_suspect(void **state)
{
    (void)state;
    suspect_history h;
    assert_int_equal(suspect_check_history(140, tight, 5, 0.20, &h), 1);
    assert_int_equal(h.n, 5);
    assert_near(h.median, 100, 1e-9);
    assert_near(h.min, 98, 0);
    assert_near(h.max, 102, 0);
    /* MAD of the logs is |ln 0.99| = 0.01005, so the spread is 0.0149 */
    assert_near(h.spread, 1.4826 * -log(0.99), 1e-9);
    assert_near(h.z, log(1.4) / (1.4826 * -log(0.99)), 1e-9);
    assert_near(h.change, 0.40, 1e-12);
}

static void a_fast_baseline_is_as_suspect_as_a_slow_one(void **state)
{
    (void)state;
    suspect_history h;
    assert_int_equal(suspect_check_history(70, tight, 5, 0.20, &h), 1);
    assert_near(h.change, -0.30, 1e-12);
}

static void a_distance_under_half_the_threshold_is_not_suspect(void **state)
{
    (void)state;
    suspect_history h;
    /* 8% off: 5 robust sds away, but less than half of 20% */
    assert_int_equal(suspect_check_history(108, tight, 5, 0.20, &h), 0);
    assert_true(h.z > SUSPECT_Z);
    /* with a 10% threshold, more than half of it */
    assert_int_equal(suspect_check_history(108, tight, 5, 0.10, &h), 1);
}

static void a_value_inside_a_wide_history_is_not_suspect(void **state)
{
    (void)state;
    static const double wide[] = { 100, 150, 80, 120, 95, 130, 70 };
    suspect_history h;
    /* 40% above the median, but the history's runs move as much:
     * MAD of the logs ln(1/0.8) = 0.223, z = ln 1.4 / (1.4826 * 0.223) = 1.02 */
    assert_int_equal(suspect_check_history(140, wide, 7, 0.20, &h), 0);
    assert_near(h.z, log(1.4) / (1.4826 * log(1.25)), 1e-9);
    assert_near(h.min, 70, 0);
    assert_near(h.max, 150, 0);
}

static void a_history_without_spread_still_needs_half_the_threshold(void **state)
{
    (void)state;
    static const double flat[] = { 1000, 1000, 1000, 1000, 1000 };
    suspect_history h;
    assert_int_equal(suspect_check_history(1000, flat, 5, 0.01, &h), 0);
    assert_near(h.z, 0, 0);
    /* instruction counts: 0.4% off is under half of 1% */
    assert_int_equal(suspect_check_history(1004, flat, 5, 0.01, &h), 0);
    assert_true(isinf(h.z));
    assert_int_equal(suspect_check_history(1010, flat, 5, 0.01, &h), 1);
}

static void fewer_than_five_runs_are_no_history(void **state)
{
    (void)state;
    static const double few[] = { 100, 0, NAN, 101, -3, 99, 100 };
    suspect_history h;
    assert_int_equal(suspect_check_history(500, few, 7, 0.20, &h), 2);
    assert_int_equal(suspect_check_history(500, tight, 4, 0.20, &h), 2);
    assert_int_equal(suspect_check_history(500, NULL, 0, 0.20, &h), 2);
}

static void a_metric_that_is_not_judged_is_never_suspect(void **state)
{
    (void)state;
    suspect_history h;
    assert_int_equal(suspect_check_history(500, tight, 5, INFINITY, &h), 2);
    assert_int_equal(suspect_check_history(0, tight, 5, 0.20, &h), 2);
}

/* ---- spread -------------------------------------------------------------- */

static void processes_apart_beyond_their_spread_and_the_threshold_are_suspect(void **state)
{
    (void)state;
    static const double x[] = { 100, 101, 102, 100, 101, 102, 130, 131, 132 };
    static const size_t g[] = { 3, 3, 3 };
    results_run run;
    results_metric *m = one_metric(&run, x, 9, g, 3);
    suspect_spread sp;
    assert_int_equal(suspect_check_spread(m, 0.20, &sp), 1);
    assert_int_equal(sp.nprocesses, 3);
    assert_near(sp.median, 101, 0);
    assert_near(sp.lo, 101, 0);
    assert_near(sp.hi, 131, 0);
    assert_near(sp.change, 30.0 / 101.0, 1e-12);
    /* 29.7% apart: not more than a 30% threshold */
    assert_int_equal(suspect_check_spread(m, 0.30, &sp), 0);
    results_run_release(&run);
}

static void processes_within_their_own_spread_are_not_suspect(void **state)
{
    (void)state;
    /* medians 101 and 130, but the first process reaches 140 */
    static const double x[] = { 100, 101, 140, 99, 130, 131 };
    static const size_t g[] = { 3, 3 };
    results_run run;
    results_metric *m = one_metric(&run, x, 6, g, 2);
    suspect_spread sp;
    assert_int_equal(suspect_check_spread(m, 0.20, &sp), 0);
    assert_near(sp.change, 29.0 / 101.0, 1e-12);
    results_run_release(&run);
}

static void one_process_has_no_spread_to_judge(void **state)
{
    (void)state;
    static const double x[] = { 100, 300, 100, 300, 100, 300 };
    results_run run;
    results_metric *m = one_metric(&run, x, 6, NULL, 0);
    suspect_spread sp;
    assert_int_equal(suspect_check_spread(m, 0.20, &sp), 0);
    suspect_view v[1];
    assert_int_equal(suspect_process_views(m, v), 1);
    assert_near(v[0].median, 200, 0);
    results_run_release(&run);
}

/* ---- the disagreement rule and the views ---------------------------------- */

static void views_disagree_beyond_their_spread_and_the_minimum_change(void **state)
{
    (void)state;
    suspect_view v[] = { { NAN, NAN, NAN }, { 100, 98, 102 }, { 104, 103, 106 } };
    size_t lo = 9, hi = 9;
    /* intervals apart, but only 4% */
    assert_int_equal(suspect_disagree(v, 3, SUSPECT_MERGE_MIN_CHANGE, &lo, &hi), 0);
    assert_int_equal(lo, 9);
    v[2] = (suspect_view){ 110, 108, 112 };
    assert_int_equal(suspect_disagree(v, 3, SUSPECT_MERGE_MIN_CHANGE, &lo, &hi), 1);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 2);
    /* overlapping intervals: no disagreement however far the medians */
    v[2] = (suspect_view){ 150, 101, 200 };
    assert_int_equal(suspect_disagree(v, 3, SUSPECT_MERGE_MIN_CHANGE, NULL, NULL), 0);
    assert_int_equal(suspect_disagree(v, 1, 0.0, NULL, NULL), 0);
}

static void a_metric_view_is_the_range_of_its_process_medians(void **state)
{
    (void)state;
    static const double x[] = { 100, 101, 102, 110, 111, 112, 130, 131, 132 };
    static const size_t g[] = { 3, 3, 3 };
    results_run run;
    results_metric *m = one_metric(&run, x, 9, g, 3);
    suspect_view v;
    assert_int_equal(suspect_metric_view(m, &v), 0);
    assert_near(v.median, 111, 0);
    assert_near(v.lo, 101, 0);
    assert_near(v.hi, 131, 0);
    suspect_view pv[3];
    assert_int_equal(suspect_process_views(m, pv), 3);
    assert_near(pv[1].median, 111, 0);
    assert_near(pv[1].lo, 110, 0);      /* 3 samples: the whole range */
    assert_near(pv[1].hi, 112, 0);
    results_run_release(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_baseline_far_from_a_tight_history_is_suspect),
        cmocka_unit_test(a_fast_baseline_is_as_suspect_as_a_slow_one),
        cmocka_unit_test(a_distance_under_half_the_threshold_is_not_suspect),
        cmocka_unit_test(a_value_inside_a_wide_history_is_not_suspect),
        cmocka_unit_test(a_history_without_spread_still_needs_half_the_threshold),
        cmocka_unit_test(fewer_than_five_runs_are_no_history),
        cmocka_unit_test(a_metric_that_is_not_judged_is_never_suspect),
        cmocka_unit_test(processes_apart_beyond_their_spread_and_the_threshold_are_suspect),
        cmocka_unit_test(processes_within_their_own_spread_are_not_suspect),
        cmocka_unit_test(one_process_has_no_spread_to_judge),
        cmocka_unit_test(views_disagree_beyond_their_spread_and_the_minimum_change),
        cmocka_unit_test(a_metric_view_is_the_range_of_its_process_medians),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
