/*
 * test_verdict.c - the verdict engine on synthetic runs whose verdicts are
 * known by construction.
 *
 * Samples are deterministic: base values plus a fixed zig-zag jitter, so
 * every run of the test sees the same numbers.  Where a p-value matters
 * the test states why it is what it is:
 *   - two samples of 30 with every current value above every baseline
 *     value give U = 0; the normal approximation then puts z near -6.65
 *     and p near 3e-11 (the tie- and continuity-corrected normal
 *     approximation, Hollander & Wolfe, "Nonparametric Statistical
 *     Methods", sec. 4.1, worked out in a few lines of Python:
 *     z = (|0 - 450| - 0.5) / sd, sd = sqrt(30*30/12 * (61 - ties)) = 67.6
 *     (the zig-zag repeats 11 values), z = 6.65, p = 2.9e-11), far below
 *     alpha = 0.01;
 *   - the same zig-zag spread +-90% around 100 and 125 gives U = 357,
 *     z = 1.37, p = 0.171 by the same formula: not significant;
 *   - with 3 values a side, the exact two-sided p-value is never below
 *     2/20 = 0.1 (2 of the C(6,3) = 20 orderings are as extreme), so no
 *     change on 3 samples can be significant at alpha = 0.01.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/verdict.h"

#define N 30

/* Fills X[N] with CENTER * (1 + spread * j) where j zig-zags in [-1, 1]. */
static void fill(double *x, size_t n, double center, double spread)
{
    for (size_t i = 0; i < n; i++) {
        double j = (double)((i * 7) % 11) / 5.0 - 1.0;  /* -1 .. +1 */
        x[i] = center * (1.0 + spread * j);
    }
}

static results_bench *bench(results_run *run, const char *name)
{
    results_bench *b = results_add_bench(run, name, NULL);
    assert_non_null(b);
    return b;
}

static void metric(results_bench *b, const char *name, const char *unit,
                   results_direction dir, double center, double spread, size_t n)
{
    double x[64];
    assert_true(n <= 64);
    fill(x, n, center, spread);
    assert_non_null(results_add_metric(b, name, unit, dir, x, n));
}

static void wall(results_run *run, const char *name, double center, double spread)
{
    metric(bench(run, name), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, center, spread, N);
}

static const verdict_row *row_of(const verdict_report *r, const char *b, const char *m)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (!strcmp(r->rows[i].bench, b) &&
            ((m == NULL && r->rows[i].metric == NULL) ||
             (m && r->rows[i].metric && !strcmp(r->rows[i].metric, m))))
            return &r->rows[i];
    fail_msg("no row for %s/%s", b, m ? m : "-");
    return NULL;
}

typedef struct fixture {
    results_run base, cur;
    verdict_options o;
    verdict_report rep;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    results_run_init(&f->base);
    results_run_init(&f->cur);
    verdict_options_init(&f->o);
    verdict_report_init(&f->rep);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    verdict_report_release(&f->rep);
    verdict_options_release(&f->o);
    results_run_release(&f->base);
    results_run_release(&f->cur);
    free(f);
    return 0;
}

static void judge(fixture *f)
{
    assert_int_equal(results_finish(&f->base), 0);
    assert_int_equal(results_finish(&f->cur), 0);
    assert_int_equal(verdict_compare(&f->base, &f->cur, &f->o, &f->rep), 0);
}

static void clearly_slower_run_should_be_regressed(void **state)
{
    fixture *f = *state;
    wall(&f->base, "sort/1024", 100, 0.02);
    wall(&f->cur, "sort/1024", 150, 0.02);
    judge(f);
    const verdict_row *r = row_of(&f->rep, "sort/1024", "wall_time");
    assert_int_equal(r->kind, VERDICT_REGRESSED);
    assert_float_equal(r->ratio, 1.5, 1e-9);
    assert_true(r->p < 1e-6);
    assert_true(r->ci_low > 1.0 && r->ci_low <= 1.5 && r->ci_high >= 1.5);
    assert_int_equal(r->n_base, N);
    assert_int_equal(r->n_cur, N);
    assert_false(r->threshold_only);
    assert_int_equal(f->rep.counts[VERDICT_REGRESSED], 1);
    assert_int_equal(f->rep.exit_status, 1);
}

static void identical_run_should_be_unchanged(void **state)
{
    fixture *f = *state;
    wall(&f->base, "sort/1024", 100, 0.02);
    wall(&f->cur, "sort/1024", 100, 0.02);
    judge(f);
    const verdict_row *r = row_of(&f->rep, "sort/1024", "wall_time");
    assert_int_equal(r->kind, VERDICT_UNCHANGED);
    assert_float_equal(r->ratio, 1.0, 1e-12);
    assert_true(r->p > 0.5);
    assert_int_equal(f->rep.exit_status, 0);
}

static void faster_run_should_be_improved_and_exit_zero(void **state)
{
    fixture *f = *state;
    wall(&f->base, "a", 100, 0.02);
    wall(&f->cur, "a", 60, 0.02);
    judge(f);
    assert_int_equal(row_of(&f->rep, "a", "wall_time")->kind, VERDICT_IMPROVED);
    assert_int_equal(f->rep.exit_status, 0);
}

static void fail_on_improvement_should_make_improvements_fail(void **state)
{
    fixture *f = *state;
    f->o.fail_on_improvement = 1;
    wall(&f->base, "a", 100, 0.02);
    wall(&f->cur, "a", 60, 0.02);
    judge(f);
    assert_int_equal(row_of(&f->rep, "a", "wall_time")->kind, VERDICT_IMPROVED);
    assert_int_equal(f->rep.exit_status, 1);
}

static void significant_change_within_threshold_should_be_unchanged(void **state)
{
    fixture *f = *state;
    wall(&f->base, "a", 100, 0.01);
    wall(&f->cur, "a", 110, 0.01);   /* +10%: significant, under 20% */
    judge(f);
    const verdict_row *r = row_of(&f->rep, "a", "wall_time");
    assert_true(r->p < 0.01);
    assert_int_equal(r->kind, VERDICT_UNCHANGED);
}

static void noisy_overlap_past_threshold_should_be_inconclusive(void **state)
{
    fixture *f = *state;
    results_bench *b = bench(&f->base, "noisy");
    double base[3] = { 50, 100, 150 }, cur[3] = { 65, 130, 195 };
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, base, 3));
    b = bench(&f->cur, "noisy");
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, cur, 3));
    judge(f);
    const verdict_row *r = row_of(&f->rep, "noisy", "wall_time");
    assert_float_equal(r->ratio, 1.3, 1e-9);
    assert_true(r->p >= 0.1);       /* see the header comment */
    assert_int_equal(r->kind, VERDICT_INCONCLUSIVE);
    assert_int_equal(f->rep.exit_status, 0);
}

static void wide_spread_past_threshold_should_be_inconclusive(void **state)
{
    fixture *f = *state;
    /* 30 samples spread +-90% around 100 vs 125: medians 25% apart but the
     * distributions overlap almost entirely. */
    wall(&f->base, "spread", 100, 0.9);
    wall(&f->cur, "spread", 125, 0.9);
    judge(f);
    const verdict_row *r = row_of(&f->rep, "spread", "wall_time");
    assert_true(r->ratio > 1.2);
    assert_true(r->p >= 0.01);
    assert_int_equal(r->kind, VERDICT_INCONCLUSIVE);
}

static void single_value_should_be_judged_on_threshold_alone(void **state)
{
    fixture *f = *state;
    metric(bench(&f->base, "one"), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0, 1);
    metric(bench(&f->cur, "one"), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 125, 0, 1);
    metric(bench(&f->base, "mixed"), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0, 1);
    metric(bench(&f->cur, "mixed"), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 110, 0.02, N);
    judge(f);
    const verdict_row *r = row_of(&f->rep, "one", "wall_time");
    assert_int_equal(r->kind, VERDICT_REGRESSED);
    assert_true(r->threshold_only);
    assert_true(isnan(r->p));
    assert_true(isnan(r->ci_low));
    assert_non_null(r->note);
    assert_string_equal(r->note, "single value: threshold only");
    r = row_of(&f->rep, "mixed", "wall_time");
    assert_int_equal(r->kind, VERDICT_UNCHANGED);
    assert_true(r->threshold_only);
    assert_string_equal(r->note, "single value: threshold only");
}

static void higher_is_better_metric_should_flip_direction(void **state)
{
    fixture *f = *state;
    results_bench *b = bench(&f->base, "down");
    metric(b, "bytes_per_second", "B/s", RESULTS_HIGHER_IS_BETTER, 1000, 0.02, N);
    b = bench(&f->cur, "down");
    metric(b, "bytes_per_second", "B/s", RESULTS_HIGHER_IS_BETTER, 700, 0.02, N);
    b = bench(&f->base, "up");
    metric(b, "bytes_per_second", "B/s", RESULTS_HIGHER_IS_BETTER, 1000, 0.02, N);
    b = bench(&f->cur, "up");
    metric(b, "bytes_per_second", "B/s", RESULTS_HIGHER_IS_BETTER, 1500, 0.02, N);
    f->o.metric = "bytes_per_second";
    judge(f);
    const verdict_row *r = row_of(&f->rep, "down", "bytes_per_second");
    assert_int_equal(r->direction, RESULTS_HIGHER_IS_BETTER);
    assert_int_equal(r->kind, VERDICT_REGRESSED);
    assert_int_equal(row_of(&f->rep, "up", "bytes_per_second")->kind, VERDICT_IMPROVED);
}

/* Expected spreads computed with Python 3: d = [log(m[i]/m[i-1])];
 * 1.4826 * statistics.median(abs(x - statistics.median(d)) for x in d). */
static void noise_spread_should_be_the_scaled_mad_of_successive_log_ratios(void **state)
{
    (void)state;
    double spread = -1;
    const double m[] = { 100, 102, 99, 101, 98, 100, 103 };
    assert_int_equal(verdict_noise_spread(m, 7, &spread), 0);
    assert_true(fabs(spread - 0.007382025191821979) < 1e-12);
    /* a 30% step is one outlier among the ratios, not a wider spread */
    const double step[] = { 100, 102, 99, 101, 98, 100, 103, 130, 131, 129 };
    assert_int_equal(verdict_noise_spread(step, 10, &spread), 0);
    assert_true(fabs(spread - 0.017998400096735322) < 1e-12);
    /* unusable medians are skipped; fewer than 6 usable ones: no spread */
    const double few[] = { 100, 0, NAN, 101, -5, 102, 103, 104, INFINITY };
    spread = -1;
    assert_int_equal(verdict_noise_spread(few, 9, &spread), -1);
    assert_true(spread == -1);
    const double six[] = { 100, NAN, 101, 102, 103, 104, 105 };
    assert_int_equal(verdict_noise_spread(six, 7, &spread), 0);
    assert_int_equal(verdict_noise_spread(six, 1, &spread), -1);
    assert_int_equal(verdict_noise_spread(six, 0, &spread), -1);
}

static void noise_should_demote_only_changes_within_its_band(void **state)
{
    (void)state;
    verdict_row row;
    memset(&row, 0, sizeof row);
    row.kind = VERDICT_REGRESSED;
    row.ratio = 1.10;           /* ln 1.10 = 0.095 < 3 * 0.05 */
    assert_int_equal(verdict_apply_noise(&row, 0.05, 12, 3.0), 1);
    assert_int_equal(row.kind, VERDICT_INCONCLUSIVE);
    assert_string_equal(row.note, "within the run-to-run noise of repeated runs of one build (12 pairs; 3 sd: +16.2%)");
    row.kind = VERDICT_IMPROVED;
    row.ratio = 0.90;           /* ln 0.90 = -0.105 */
    assert_int_equal(verdict_apply_noise(&row, 0.05, 7, 3.0), 1);
    assert_int_equal(row.kind, VERDICT_INCONCLUSIVE);
    assert_string_equal(row.note, "within the run-to-run noise of repeated runs of one build (7 pairs; 3 sd: -13.9%)");
    free(row.note);
    row.note = NULL;

    row.kind = VERDICT_REGRESSED;
    row.ratio = 1.20;           /* ln 1.20 = 0.182 > 0.15: stands */
    assert_int_equal(verdict_apply_noise(&row, 0.05, 12, 3.0), 0);
    assert_int_equal(row.kind, VERDICT_REGRESSED);
    assert_null(row.note);
    row.ratio = 1.10;
    assert_int_equal(verdict_apply_noise(&row, 0.0, 12, 3.0), 0);   /* no spread */
    assert_int_equal(verdict_apply_noise(&row, NAN, 12, 3.0), 0);
    row.threshold_only = 1;                                          /* exact metrics */
    assert_int_equal(verdict_apply_noise(&row, 0.05, 12, 3.0), 0);
    row.threshold_only = 0;
    row.kind = VERDICT_UNCHANGED;
    assert_int_equal(verdict_apply_noise(&row, 0.05, 12, 3.0), 0);
    row.kind = VERDICT_REGRESSED;
    row.ratio = INFINITY;                                            /* a zero baseline */
    assert_int_equal(verdict_apply_noise(&row, 0.05, 12, 3.0), 0);
    assert_int_equal(row.kind, VERDICT_REGRESSED);
}

static void percentages_should_follow_one_rule(void **state)
{
    (void)state;
    double f = -1;
    assert_int_equal(verdict_parse_percent("20", &f), 0);
    assert_true(f == 0.2);
    assert_int_equal(verdict_parse_percent("2.5%", &f), 0);
    assert_true(f == 0.025);
    assert_int_equal(verdict_parse_percent("0", &f), 0);
    assert_true(f == 0);
    assert_int_equal(verdict_parse_percent("1e2%", &f), 0);
    assert_true(f == 1);
    const char *bad[] = { "", " 5", "5 %", "+5", "-5", "-0", "5%%", "%", "x", "5x",
                          "nan", "inf", "1e999", NULL };
    for (size_t i = 0; bad[i]; i++) {
        f = -1;
        if (verdict_parse_percent(bad[i], &f) != -1 || f != -1)
            fail_msg("'%s' was accepted", bad[i]);
    }
}

static void glob_thresholds_should_apply_last_match(void **state)
{
    fixture *f = *state;
    assert_int_equal(verdict_options_add_threshold(&f->o, "sort/*:50%"), 0);
    assert_int_equal(verdict_options_add_threshold(&f->o, "sort/1024:5"), 0);
    assert_int_equal(verdict_options_add_threshold(&f->o, "10%"), 0);
    assert_float_equal(verdict_threshold_for(&f->o, "sort/64"), 0.50, 1e-12);
    assert_float_equal(verdict_threshold_for(&f->o, "sort/1024"), 0.05, 1e-12);
    assert_float_equal(verdict_threshold_for(&f->o, "hash/64"), 0.10, 1e-12);

    wall(&f->base, "sort/64", 100, 0.01);
    wall(&f->cur, "sort/64", 130, 0.01);     /* +30% < 50% */
    wall(&f->base, "sort/1024", 100, 0.01);
    wall(&f->cur, "sort/1024", 108, 0.01);   /* +8% > 5% */
    wall(&f->base, "hash/64", 100, 0.01);
    wall(&f->cur, "hash/64", 130, 0.01);     /* +30% > 10% */
    judge(f);
    assert_int_equal(row_of(&f->rep, "sort/64", "wall_time")->kind, VERDICT_UNCHANGED);
    assert_int_equal(row_of(&f->rep, "sort/1024", "wall_time")->kind, VERDICT_REGRESSED);
    assert_float_equal(row_of(&f->rep, "sort/1024", "wall_time")->threshold, 0.05, 1e-12);
    assert_int_equal(row_of(&f->rep, "hash/64", "wall_time")->kind, VERDICT_REGRESSED);
}

static void new_missing_and_failed_should_be_reported(void **state)
{
    fixture *f = *state;
    wall(&f->base, "kept", 100, 0.02);
    wall(&f->cur, "kept", 100, 0.02);
    wall(&f->cur, "added", 100, 0.02);
    wall(&f->base, "gone", 100, 0.02);
    wall(&f->base, "boom", 100, 0.02);
    results_bench *b = bench(&f->cur, "boom");
    b->status = RESULTS_CRASHED;
    assert_int_equal(results_set_str(&b->error, "signal 11 (Segmentation fault)"), 0);
    judge(f);
    assert_int_equal(f->rep.nrows, 4);
    /* current order first, then the baseline-only ones */
    assert_string_equal(f->rep.rows[0].bench, "kept");
    assert_string_equal(f->rep.rows[1].bench, "added");
    assert_string_equal(f->rep.rows[2].bench, "boom");
    assert_string_equal(f->rep.rows[3].bench, "gone");
    assert_int_equal(row_of(&f->rep, "added", "wall_time")->kind, VERDICT_NEW);
    assert_int_equal(row_of(&f->rep, "gone", "wall_time")->kind, VERDICT_MISSING);
    const verdict_row *r = row_of(&f->rep, "boom", "wall_time");
    assert_int_equal(r->kind, VERDICT_FAILED);
    assert_non_null(strstr(r->note, "crashed"));
    assert_non_null(strstr(r->note, "signal 11"));
    assert_int_equal(f->rep.counts[VERDICT_FAILED], 1);
    assert_int_equal(f->rep.counts[VERDICT_NEW], 1);
    assert_int_equal(f->rep.counts[VERDICT_MISSING], 1);
    assert_int_equal(f->rep.counts[VERDICT_UNCHANGED], 1);
    assert_int_equal(f->rep.exit_status, 1);
}

/* A metric the current run no longer has, and a benchmark that failed in
 * the baseline (no metrics) and is gone now: both missing rows that say
 * why, neither a failure (paths the coverage report showed untested). */
static void lost_metric_and_failed_baseline_bench_should_be_missing_rows(void **state)
{
    fixture *f = *state;
    results_bench *b = bench(&f->base, "m");
    metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, 80, 0.02, N);
    b = bench(&f->cur, "m");
    metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    b = bench(&f->base, "hung");
    b->status = RESULTS_TIMEOUT;
    f->o.metric = "all";
    judge(f);
    assert_int_equal(f->rep.nrows, 3);
    assert_int_equal(row_of(&f->rep, "m", "wall_time")->kind, VERDICT_UNCHANGED);
    const verdict_row *r = row_of(&f->rep, "m", "cpu_time");
    assert_int_equal(r->kind, VERDICT_MISSING);
    assert_string_equal(r->note, "metric not in current run");
    assert_int_equal(r->n_base, N);
    assert_true(fabs(r->base_median - 80) < 2);
    r = row_of(&f->rep, "hung", NULL);
    assert_int_equal(r->kind, VERDICT_MISSING);
    assert_string_equal(r->note, "baseline timeout");
    assert_int_equal(f->rep.counts[VERDICT_MISSING], 2);
    assert_int_equal(f->rep.exit_status, 0);
}

static void new_and_missing_alone_should_not_fail(void **state)
{
    fixture *f = *state;
    wall(&f->cur, "added", 100, 0.02);
    wall(&f->base, "gone", 100, 0.02);
    judge(f);
    assert_int_equal(f->rep.exit_status, 0);
}

static void metric_all_should_judge_every_metric(void **state)
{
    fixture *f = *state;
    results_bench *b = bench(&f->base, "m");
    metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    metric(b, "peak_rss", "bytes", RESULTS_LOWER_IS_BETTER, 1 << 20, 0, 1);
    b = bench(&f->cur, "m");
    metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, 200, 0.02, N);
    metric(b, "peak_rss", "bytes", RESULTS_LOWER_IS_BETTER, 1 << 20, 0, 1);
    f->o.metric = "all";
    judge(f);
    assert_int_equal(f->rep.nrows, 3);
    assert_int_equal(row_of(&f->rep, "m", "wall_time")->kind, VERDICT_UNCHANGED);
    assert_int_equal(row_of(&f->rep, "m", "cpu_time")->kind, VERDICT_REGRESSED);
    assert_int_equal(row_of(&f->rep, "m", "peak_rss")->kind, VERDICT_UNCHANGED);
    assert_true(row_of(&f->rep, "m", "peak_rss")->threshold_only);
}

static void default_metric_should_ignore_others(void **state)
{
    fixture *f = *state;
    results_bench *b = bench(&f->base, "m");
    metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    b = bench(&f->cur, "m");
    metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, 300, 0.02, N);
    judge(f);
    assert_int_equal(f->rep.nrows, 1);
    assert_int_equal(f->rep.exit_status, 0);
    assert_true(verdict_run_has_metric(&f->cur, "cpu_time"));
    assert_false(verdict_run_has_metric(&f->cur, "instructions"));
    assert_true(verdict_run_has_metric(&f->cur, "all"));
}

static void output_should_be_reproducible(void **state)
{
    fixture *f = *state;
    verdict_report again;
    wall(&f->base, "a", 100, 0.05);
    wall(&f->cur, "a", 112, 0.05);
    judge(f);
    verdict_report_init(&again);
    assert_int_equal(verdict_compare(&f->base, &f->cur, &f->o, &again), 0);
    assert_true(f->rep.rows[0].ci_low == again.rows[0].ci_low);
    assert_true(f->rep.rows[0].ci_high == again.rows[0].ci_high);
    assert_true(f->rep.rows[0].p == again.rows[0].p);
    verdict_report_release(&again);
}

/* Rows judged on 1, 2 and 7 threads are the same, bit for bit: each row's
 * bootstrap has its own seed, whatever thread judges it. */
static void rows_should_not_depend_on_the_number_of_threads(void **state)
{
    fixture *f = *state;
    char name[32];
    verdict_report again[3];
    static const char *const threads[] = { "1", "2", "7" };
    /* enough rows for several threads (judge_jobs_run: 4 chunks of 32) */
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "b/%d", i);
        wall(&f->base, name, 100 + i, 0.05 + 0.001 * (i % 50));
        wall(&f->cur, name, (100 + i) * (i % 7 == 0 ? 1.25 : 1.01), 0.05);
    }
    judge(f);
    for (int k = 0; k < 3; k++) {
        setenv("PERFCMP_THREADS", threads[k], 1);
        assert_int_equal(verdict_threads(), (unsigned)atoi(threads[k]));
        verdict_report_init(&again[k]);
        assert_int_equal(verdict_compare(&f->base, &f->cur, &f->o, &again[k]), 0);
        assert_int_equal(again[k].nrows, f->rep.nrows);
        for (size_t i = 0; i < f->rep.nrows; i++) {
            const verdict_row *a = &f->rep.rows[i], *b = &again[k].rows[i];
            assert_string_equal(a->bench, b->bench);
            assert_int_equal(a->kind, b->kind);
            assert_memory_equal(&a->ci_low, &b->ci_low, sizeof a->ci_low);
            assert_memory_equal(&a->ci_high, &b->ci_high, sizeof a->ci_high);
            assert_memory_equal(&a->p, &b->p, sizeof a->p);
        }
        verdict_report_release(&again[k]);
    }
    unsetenv("PERFCMP_THREADS");
    assert_true(f->rep.counts[VERDICT_REGRESSED] > 0);
}

static void thresholds_and_alpha_should_be_validated(void **state)
{
    verdict_options o;
    double a;
    (void)state;
    verdict_options_init(&o);
    assert_int_equal(verdict_options_add_threshold(&o, "abc"), -1);
    assert_int_equal(verdict_options_add_threshold(&o, "-5%"), -1);
    assert_int_equal(verdict_options_add_threshold(&o, ""), -1);
    assert_int_equal(verdict_options_add_threshold(&o, "5%%"), -1);
    assert_int_equal(verdict_options_add_threshold(&o, ":5%"), -1);
    assert_int_equal(verdict_options_add_threshold(&o, "sort*:"), -1);
    assert_int_equal(verdict_options_add_threshold(&o, "sort*:x"), -1);
    assert_int_equal(verdict_options_add_threshold(&o, "nan"), -1);
    assert_int_equal(verdict_options_add_threshold(&o, "inf%"), -1);
    assert_int_equal(o.nrules, 0);
    assert_float_equal(o.threshold, 0.20, 1e-12);
    assert_int_equal(verdict_options_add_threshold(&o, "2.5%"), 0);
    assert_float_equal(o.threshold, 0.025, 1e-12);
    assert_int_equal(verdict_options_add_threshold(&o, "a:b:7"), 0);
    assert_string_equal(o.rules[0].glob, "a:b");
    assert_float_equal(o.rules[0].fraction, 0.07, 1e-12);
    verdict_options_release(&o);

    assert_int_equal(verdict_parse_alpha("0", &a), -1);
    assert_int_equal(verdict_parse_alpha("1", &a), -1);
    assert_int_equal(verdict_parse_alpha("1.5", &a), -1);
    assert_int_equal(verdict_parse_alpha("-0.1", &a), -1);
    assert_int_equal(verdict_parse_alpha("x", &a), -1);
    assert_int_equal(verdict_parse_alpha("0.05", &a), 0);
    assert_float_equal(a, 0.05, 1e-12);
}

static void zero_baseline_median_should_not_divide_by_zero(void **state)
{
    fixture *f = *state;
    metric(bench(&f->base, "z"), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 0, 0, N);
    metric(bench(&f->cur, "z"), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 0, 0, N);
    metric(bench(&f->base, "zi"), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 0, 0, N);
    metric(bench(&f->cur, "zi"), "wall_time", "ns", RESULTS_LOWER_IS_BETTER, 10, 0.02, N);
    judge(f);
    assert_int_equal(row_of(&f->rep, "z", "wall_time")->kind, VERDICT_UNCHANGED);
    const verdict_row *r = row_of(&f->rep, "zi", "wall_time");
    assert_true(isinf(r->ratio));
    assert_int_equal(r->kind, VERDICT_REGRESSED);
}

static void row_seed_should_differ_by_row_and_be_stable(void **state)
{
    (void)state;
    uint64_t a = verdict_row_seed(VERDICT_SEED, "a", "wall_time");
    assert_true(a == verdict_row_seed(VERDICT_SEED, "a", "wall_time"));
    assert_true(a != verdict_row_seed(VERDICT_SEED, "b", "wall_time"));
    assert_true(a != verdict_row_seed(VERDICT_SEED, "a", "cpu_time"));
    /* "ab"+"c" and "a"+"bc" must not collide: the separator is hashed. */
    assert_true(verdict_row_seed(1, "ab", "c") != verdict_row_seed(1, "a", "bc"));
}

/* --- metrics with their own thresholds, complexity rows (issue 5) ---- */

static void one(results_bench *b, const char *name, const char *unit, double v)
{
    assert_non_null(results_add_metric(b, name, unit, RESULTS_LOWER_IS_BETTER, &v, 1));
}

static void metric_defaults_should_override_the_global_threshold(void **state)
{
    fixture *f = *state;
    results_bench *b = bench(&f->base, "k"), *c = bench(&f->cur, "k");
    one(b, "instructions", "count", 1000);
    one(c, "instructions", "count", 1015);      /* +1.5%: past 1% */
    one(b, "allocs", "count", 3);
    one(c, "allocs", "count", 3.4);             /* below the half-allocation floor */
    one(b, "alloc_bytes", "bytes", 100);
    one(c, "alloc_bytes", "bytes", 103);        /* +3%, 3 bytes: past 1% and the floor */
    one(b, "peak_heap", "bytes", 200);
    one(c, "peak_heap", "bytes", 240);          /* +20% but 40 bytes: below 64 */
    one(b, "leaked_bytes", "bytes", 0);
    one(c, "leaked_bytes", "bytes", 4);         /* a new leak */
    metric(b, "cycles", "count", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    metric(c, "cycles", "count", RESULTS_LOWER_IS_BETTER, 300, 0.02, N);
    metric(b, "my_counter", "x", RESULTS_LOWER_IS_BETTER, 100, 0.02, N);
    metric(c, "my_counter", "x", RESULTS_LOWER_IS_BETTER, 115, 0.02, N); /* within 20% */
    f->o.metric = "all";
    judge(f);
    const verdict_row *r = row_of(&f->rep, "k", "instructions");
    assert_int_equal(r->kind, VERDICT_REGRESSED);
    assert_float_equal(r->threshold, 0.01, 1e-12);
    r = row_of(&f->rep, "k", "allocs");
    assert_int_equal(r->kind, VERDICT_UNCHANGED);
    assert_string_equal(r->note, "change below 0.5 count");
    assert_int_equal(row_of(&f->rep, "k", "alloc_bytes")->kind, VERDICT_REGRESSED);
    assert_int_equal(row_of(&f->rep, "k", "peak_heap")->kind, VERDICT_UNCHANGED);
    assert_int_equal(row_of(&f->rep, "k", "leaked_bytes")->kind, VERDICT_REGRESSED);
    r = row_of(&f->rep, "k", "cycles");
    assert_int_equal(r->kind, VERDICT_UNCHANGED);
    assert_true(isinf(r->threshold));
    assert_string_equal(r->note, "not judged (reported only)");
    r = row_of(&f->rep, "k", "my_counter");
    assert_int_equal(r->kind, VERDICT_UNCHANGED);
    assert_float_equal(r->threshold, 0.20, 1e-12);
}

static void metric_thresholds_should_parse_and_win(void **unused)
{
    verdict_options o;
    double floor = -1, fr = -1;
    (void)unused;
    verdict_options_init(&o);
    assert_int_equal(verdict_options_add_threshold(&o, "5%"), 0);
    assert_int_equal(verdict_options_add_threshold(&o, "net/*:50%"), 0);
    /* the global and glob rules: metrics without a default of their own */
    assert_float_equal(verdict_threshold_for_metric(&o, "net/1", "wall_time", &floor), 0.50, 1e-12);
    assert_float_equal(floor, 0, 0);
    assert_float_equal(verdict_threshold_for_metric(&o, "x", "wall_time", NULL), 0.05, 1e-12);
    assert_float_equal(verdict_threshold_for_metric(&o, "x", NULL, NULL), 0.05, 1e-12);
    /* a default of its own, even under a glob rule */
    assert_float_equal(verdict_threshold_for_metric(&o, "net/1", "instructions", NULL), 0.01, 1e-12);
    assert_float_equal(verdict_threshold_for_metric(&o, "x", "allocs", &floor), 0, 0);
    assert_float_equal(floor, 0.5, 0);
    /* --metric-threshold wins, the last one for a metric */
    assert_int_equal(verdict_options_add_metric_threshold(&o, "instructions=3%"), 0);
    assert_int_equal(verdict_options_add_metric_threshold(&o, "instructions=2.5"), 0);
    assert_int_equal(verdict_options_add_metric_threshold(&o, "my_counter=7%"), 0);
    assert_float_equal(verdict_threshold_for_metric(&o, "x", "instructions", NULL), 0.025, 1e-12);
    assert_float_equal(verdict_threshold_for_metric(&o, "x", "my_counter", NULL), 0.07, 1e-12);
    assert_int_equal(verdict_options_add_metric_threshold(&o, "instructions"), -1);
    assert_int_equal(verdict_options_add_metric_threshold(&o, "=5%"), -1);
    assert_int_equal(verdict_options_add_metric_threshold(&o, "x=-1%"), -1);
    assert_int_equal(verdict_options_add_metric_threshold(&o, "x=abc"), -1);
    assert_int_equal(o.nmrules, 3);
    assert_int_equal(verdict_metric_default("cycles", &fr, NULL), 1);
    assert_true(isinf(fr));
    assert_int_equal(verdict_metric_default("wall_time", NULL, NULL), 0);
    verdict_options_release(&o);
}

/* Family F at sizes 16 .. 16384 with wall time COST(n). */
static void family(results_run *run, const char *f, double (*cost)(double))
{
    for (long long n = 16; n <= 16384; n *= 4) {
        char name[64];
        snprintf(name, sizeof name, "%s/%lld", f, n);
        results_bench *b = results_add_bench(run, name, f);
        assert_non_null(b);
        b->args = malloc(sizeof *b->args);
        assert_non_null(b->args);
        b->args[0] = n;
        b->nargs = 1;
        metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, cost((double)n), 0.02, N);
    }
}

static double linear(double n) { return 3 * n; }
static double quadratic(double n) { return n * n / 16; }

static void a_change_of_complexity_should_be_a_scaling_regression(void **state)
{
    fixture *f = *state;
    family(&f->base, "find", linear);
    family(&f->cur, "find", quadratic);
    family(&f->base, "same", linear);
    family(&f->cur, "same", linear);
    family(&f->cur, "newfam", linear);        /* only in the current run: no row */
    verdict_options_add_threshold(&f->o, "1000000%");
    judge(f);
    const verdict_row *r = row_of(&f->rep, "find", VERDICT_COMPLEXITY_METRIC);
    assert_int_equal(r->kind, VERDICT_REGRESSED);
    assert_int_equal(r->n_base, 6);
    assert_int_equal(r->n_cur, 6);
    assert_non_null(strstr(r->note, "O(N) -> O(N^2): scaling regression"));
    r = row_of(&f->rep, "same", VERDICT_COMPLEXITY_METRIC);
    assert_int_equal(r->kind, VERDICT_UNCHANGED);
    assert_true(!strncmp(r->note, "O(N) (rms ", 10));
    for (size_t i = 0; i < f->rep.nrows; i++)
        assert_true(strcmp(f->rep.rows[i].bench, "newfam") ||
                    strcmp(f->rep.rows[i].metric, VERDICT_COMPLEXITY_METRIC));
    /* every size within the threshold, the exit status from the fit alone */
    assert_int_equal(f->rep.counts[VERDICT_REGRESSED], 1);
    assert_int_equal(f->rep.exit_status, 1);

    /* not when another metric is selected, nor with no_complexity */
    verdict_report_release(&f->rep);
    f->o.no_complexity = 1;
    assert_int_equal(verdict_compare(&f->base, &f->cur, &f->o, &f->rep), 0);
    assert_int_equal(f->rep.exit_status, 0);
    for (size_t i = 0; i < f->rep.nrows; i++)
        assert_string_not_equal(f->rep.rows[i].metric, VERDICT_COMPLEXITY_METRIC);
}


/* Issue 14: the noise is taken between runs of one build only.  Values
 * computed with Python's statistics module (median, then 1.4826 * MAD of
 * the log ratios of each run to the previous run of its build). */
static void noise_spread_should_pair_runs_of_one_build_only(void **state)
{
    (void)state;
    double spread = -1;
    size_t npairs = 99;
    /* alternating builds a b a b ...: a 30% step between builds is no noise */
    double alt[] = { 100, 130, 100, 130, 100, 130, 100, 130, 100, 130, 100, 130 };
    const char *altb[] = { "a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a", "b" };
    assert_int_equal(verdict_noise_spread_builds(alt, altb, 12, &spread, &npairs), 0);
    assert_int_equal(npairs, 10);
    assert_true(spread == 0.0);
    /* noisy alternating: a 100,103,98,101,99,102; b 130,128,133,131,129,134
     * -> 10 pairs, 1.4826 * MAD = 0.03384570067504161 (Python) */
    double noisy[] = { 100, 130, 103, 128, 98, 133, 101, 131, 99, 129, 102, 134 };
    assert_int_equal(verdict_noise_spread_builds(noisy, altb, 12, &spread, &npairs), 0);
    assert_int_equal(npairs, 10);
    assert_float_equal(spread, 0.03384570067504161, 1e-12);
    /* the same history taken as one build: a band of 3 sd covers +-30% */
    assert_int_equal(verdict_noise_spread(noisy, 12, &spread), 0);
    assert_true(3 * spread > log(1.3));
    /* stepped a a a b b b: 4 pairs, fewer than the 5 needed */
    double step[] = { 100, 101, 99, 130, 131, 129 };
    const char *stepb[] = { "a", "a", "a", "b", "b", "b" };
    spread = -1;
    assert_int_equal(verdict_noise_spread_builds(step, stepb, 6, &spread, &npairs), 1);
    assert_int_equal(npairs, 4);
    assert_true(spread == -1);
    /* every run a build of its own (CI on new commits) or unknown: no pairs */
    const char *own[] = { "1", "2", "3", "4", "5", "6", NULL, NULL };
    double eight[] = { 100, 101, 99, 100, 102, 98, 100, 100 };
    assert_int_equal(verdict_noise_spread_builds(eight, own, 8, &spread, &npairs), 1);
    assert_int_equal(npairs, 0);
}

/* Samples of 6 processes of 5 samples each, process p at level LV[p]
 * with a small deterministic spread inside the process. */
static void fill_processes(results_metric *m, double *buf, size_t *groups, const double *lv)
{
    for (int p = 0; p < 6; p++) {
        groups[p] = 5;
        for (int j = 0; j < 5; j++)
            buf[p * 5 + j] = lv[p] * (1.0 + 0.001 * j);
    }
    memset(m, 0, sizeof *m);
    m->samples = buf;
    m->nsamples = 30;
    m->processes = groups;
    m->nprocesses = 6;
    m->direction = RESULTS_LOWER_IS_BETTER;
}

/* The process is the unit: processes at two levels (a per-process level,
 * as the example suite shows on a noisy machine) make a +20% move of the
 * median of process medians inconclusive, where pooling the 30 samples
 * calls it a regression. */
static void processes_should_be_the_unit_of_the_test(void **state)
{
    (void)state;
    verdict_options o;
    verdict_options_init(&o);
    double b[30], c[30];
    size_t gb[6], gc[6];
    results_metric bm, cm;
    const double lb[] = { 100, 100, 100, 150, 150, 150 };
    const double lc[] = { 150, 150, 150, 150, 150, 150 };
    fill_processes(&bm, b, gb, lb);
    fill_processes(&cm, c, gc, lc);
    verdict_row row;
    memset(&row, 0, sizeof row);
    assert_int_equal(verdict_judge_metrics(&bm, &cm, 0.05, &o, 1, &row), 0);
    assert_int_equal(row.k_base, 6);
    assert_int_equal(row.k_cur, 6);
    /* medians of the process medians: 125.x and 150.3 */
    assert_float_equal(row.base_median, (100.2 + 150.3) / 2, 1e-9);
    assert_float_equal(row.cur_median, 150.3, 1e-9);
    assert_true(row.p > 0.01);
    assert_int_equal(row.kind, VERDICT_INCONCLUSIVE);
    /* the same samples without the grouping: 30 against 30, a U test
     * certain of a difference that is one process level */
    bm.nprocesses = cm.nprocesses = 0;
    assert_int_equal(verdict_judge_metrics(&bm, &cm, 0.05, &o, 1, &row), 0);
    assert_int_equal(row.k_base, 0);
    assert_true(row.p < 0.001);
    /* every process 30% slower: regressed on the process level too (the U
     * test of 6 against 6 separated process medians: p = 2/924) */
    const double lq[] = { 100, 101, 99, 100.5, 102, 98 };
    const double ls[] = { 130, 131.3, 128.7, 130.65, 132.6, 127.4 };
    fill_processes(&bm, b, gb, lq);
    fill_processes(&cm, c, gc, ls);
    assert_int_equal(verdict_judge_metrics(&bm, &cm, 0.05, &o, 1, &row), 0);
    assert_float_equal(row.p, 2.0 / 924.0, 1e-9);
    assert_int_equal(row.kind, VERDICT_REGRESSED);
    assert_true(row.ci_low > 1.0 && row.ci_low <= row.ratio && row.ratio <= row.ci_high);
    verdict_options_release(&o);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(clearly_slower_run_should_be_regressed),
        T(identical_run_should_be_unchanged),
        T(faster_run_should_be_improved_and_exit_zero),
        T(fail_on_improvement_should_make_improvements_fail),
        T(significant_change_within_threshold_should_be_unchanged),
        T(noisy_overlap_past_threshold_should_be_inconclusive),
        T(wide_spread_past_threshold_should_be_inconclusive),
        T(single_value_should_be_judged_on_threshold_alone),
        T(higher_is_better_metric_should_flip_direction),
        T(percentages_should_follow_one_rule),
        T(noise_spread_should_be_the_scaled_mad_of_successive_log_ratios),
        T(noise_should_demote_only_changes_within_its_band),
        T(glob_thresholds_should_apply_last_match),
        T(new_missing_and_failed_should_be_reported),
        T(lost_metric_and_failed_baseline_bench_should_be_missing_rows),
        T(new_and_missing_alone_should_not_fail),
        T(metric_all_should_judge_every_metric),
        T(default_metric_should_ignore_others),
        T(output_should_be_reproducible),
        T(rows_should_not_depend_on_the_number_of_threads),
        T(zero_baseline_median_should_not_divide_by_zero),
        T(metric_defaults_should_override_the_global_threshold),
        T(a_change_of_complexity_should_be_a_scaling_regression),
        cmocka_unit_test(metric_thresholds_should_parse_and_win),
        cmocka_unit_test(thresholds_and_alpha_should_be_validated),
        cmocka_unit_test(row_seed_should_differ_by_row_and_be_stable),
        cmocka_unit_test(noise_spread_should_pair_runs_of_one_build_only),
        cmocka_unit_test(processes_should_be_the_unit_of_the_test),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
