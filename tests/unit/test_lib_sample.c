/*
 * test_lib_sample.c - the measured loop (state.c), sampling (sample.c)
 * and isolation in a child process (isolate.c).  Timing assertions use
 * process CPU time, which does not depend on the machine's load, and are
 * one-sided: time spent outside the measured part must not be counted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/isolate.h"
#include "lib/output.h"
#include "lib/sample.h"
#include "lib/state.h"

static void spin_cpu(uint64_t ns)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    uint64_t end = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + ns;
    for (;;) {
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        if ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec >= end)
            break;
    }
}

/* Runs BODY once for N iterations; returns state_end's result. */
static int run_once(perfcmp_fn body, state_priv *p, const long long *args, size_t nargs,
                    uint64_t n)
{
    perfcmp_state s;
    memset(p, 0, sizeof *p);
    state_begin(&s, p, args, nargs, n);
    body(&s);
    return state_end(&s, p);
}

static uint64_t count;

static void counting(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        count++;
        perfcmp_clobber();
    }
}

static void the_loop_runs_exactly_the_iterations_asked(void **unused)
{
    state_priv p;
    (void)unused;
    uint64_t ns[] = { 1, 2, 3, 1000, 123457 };
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        count = 0;
        assert_int_equal(run_once(counting, &p, NULL, 0, ns[i]), 0);
        assert_int_equal(count, ns[i]);
    }
}

static uint64_t seen_iterations;

static void outside_work(perfcmp_state *state)
{
    spin_cpu(5000000); /* setup: 5 ms of CPU time, not measured */
    seen_iterations = perfcmp_iterations(state);
    while (perfcmp_loop(state))
        perfcmp_clobber();
    spin_cpu(5000000); /* teardown */
}

static void code_before_and_after_the_loop_is_not_measured(void **unused)
{
    state_priv p;
    (void)unused;
    assert_int_equal(run_once(outside_work, &p, NULL, 0, 10), 0);
    assert_int_equal(seen_iterations, 10);
    assert_true(p.cpu_ns < 5000000);
}

static void paused_work(perfcmp_state *state)
{
    perfcmp_pause_timing(state); /* before the loop: no effect */
    perfcmp_resume_timing(state);
    while (perfcmp_loop(state)) {
        perfcmp_pause_timing(state);
        perfcmp_pause_timing(state); /* twice: no effect */
        spin_cpu(3000000);
        perfcmp_resume_timing(state);
        perfcmp_resume_timing(state);
    }
}

static void time_between_pause_and_resume_is_not_measured(void **unused)
{
    state_priv p;
    (void)unused;
    assert_int_equal(run_once(paused_work, &p, NULL, 0, 3), 0);
    assert_true(p.cpu_ns < 3000000);
}

static void paused_at_the_end(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        perfcmp_pause_timing(state);
}

static void a_loop_that_ends_paused_is_fine(void **unused)
{
    state_priv p;
    (void)unused;
    assert_int_equal(run_once(paused_at_the_end, &p, NULL, 0, 5), 0);
}

static void fails_at_ten(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        if (++count == 10)
            perfcmp_fail(state, "gave up at 10");
    }
}

static void fails_before(perfcmp_state *state)
{
    perfcmp_fail(state, NULL);
    while (perfcmp_loop(state))
        count++;
}

static void perfcmp_fail_ends_the_loop_with_its_message(void **unused)
{
    state_priv p;
    (void)unused;
    count = 0;
    assert_int_equal(run_once(fails_at_ten, &p, NULL, 0, 1000), -1);
    assert_int_equal(count, 10);
    assert_string_equal(p.message, "gave up at 10");
    count = 0;
    assert_int_equal(run_once(fails_before, &p, NULL, 0, 1000), -1);
    assert_int_equal(count, 0);
    assert_string_equal(p.message, "perfcmp_fail() called");
}

static void no_loop(perfcmp_state *state)
{
    (void)state;
}

static void breaks_out(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        break;
}

static void two_loops(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
    }
    while (perfcmp_loop(state))
        count++;
}

static void misusing_the_loop_fails_the_benchmark(void **unused)
{
    state_priv p;
    (void)unused;
    assert_int_equal(run_once(no_loop, &p, NULL, 0, 5), -1);
    assert_string_equal(p.message, "the benchmark body did not call perfcmp_loop()");
    assert_int_equal(run_once(breaks_out, &p, NULL, 0, 5), -1);
    assert_string_equal(p.message, "the benchmark body left the perfcmp_loop() loop early");
    count = 0;
    assert_int_equal(run_once(two_loops, &p, NULL, 0, 5), -1);
    assert_int_equal(count, 0);
    assert_string_equal(p.message, "perfcmp_loop() was called again after its loop ended");
}

static long long got_args[3];

static void reads_args(perfcmp_state *state)
{
    got_args[0] = perfcmp_arg(state, 0);
    got_args[1] = perfcmp_arg(state, 1);
    while (perfcmp_loop(state)) {
    }
    if (got_args[0] == 7)
        got_args[2] = perfcmp_arg(state, 2);
}

static void arguments_are_read_and_out_of_range_fails(void **unused)
{
    state_priv p;
    long long args2[] = { 7, 8 };
    long long args1[] = { 9 };
    (void)unused;
    assert_int_equal(run_once(reads_args, &p, args2, 2, 3), -1);
    assert_int_equal(got_args[0], 7);
    assert_int_equal(got_args[1], 8);
    assert_int_equal(got_args[2], 0);
    assert_string_equal(p.message, "perfcmp_arg(2): the instance has 2 arguments");
    assert_int_equal(run_once(reads_args, &p, args1, 1, 3), -1);
    assert_int_equal(got_args[1], 0);
    assert_string_equal(p.message, "perfcmp_arg(1): the instance has 1 argument");
}

static const char *counter_case;

static void sets_counters(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
    }
    if (strcmp(counter_case, "ok") == 0) {
        assert_int_equal(perfcmp_counter(state, "misses", 1, "count", PERFCMP_LOWER_IS_BETTER), 0);
        assert_int_equal(perfcmp_counter(state, "misses", 2, "count", PERFCMP_LOWER_IS_BETTER), 0);
        assert_int_equal(perfcmp_counter(state, "hits", 3, NULL, PERFCMP_HIGHER_IS_BETTER), 0);
    } else if (strcmp(counter_case, "reserved") == 0) {
        assert_int_equal(perfcmp_counter(state, "wall_time", 1, "ns", 0), -1);
    } else if (strcmp(counter_case, "empty") == 0) {
        assert_int_equal(perfcmp_counter(state, "", 1, "ns", 0), -1);
    } else if (strcmp(counter_case, "nan") == 0) {
        assert_int_equal(perfcmp_counter(state, "x", NAN, "ns", 0), -1);
    } else if (strcmp(counter_case, "many") == 0) {
        char name[16];
        for (int i = 0; i < STATE_MAX_COUNTERS; i++) {
            snprintf(name, sizeof name, "c%d", i);
            assert_int_equal(perfcmp_counter(state, name, i, "", 0), 0);
        }
        assert_int_equal(perfcmp_counter(state, "one_more", 1, "", 0), -1);
    }
}

static void counters_are_kept_and_misuse_fails(void **unused)
{
    state_priv p;
    (void)unused;
    counter_case = "ok";
    assert_int_equal(run_once(sets_counters, &p, NULL, 0, 1), 0);
    assert_int_equal(p.ncounters, 2);
    assert_string_equal(p.counters[0].name, "misses");
    assert_true(p.counters[0].value == 2);
    assert_string_equal(p.counters[1].unit, "");
    assert_int_equal(p.counters[1].direction, 1);

    counter_case = "reserved";
    assert_int_equal(run_once(sets_counters, &p, NULL, 0, 1), -1);
    assert_string_equal(p.message, "perfcmp_counter(): 'wall_time' is the name of a standard metric");
    counter_case = "empty";
    assert_int_equal(run_once(sets_counters, &p, NULL, 0, 1), -1);
    assert_string_equal(p.message, "perfcmp_counter(): empty counter name");
    counter_case = "nan";
    assert_int_equal(run_once(sets_counters, &p, NULL, 0, 1), -1);
    assert_string_equal(p.message, "perfcmp_counter(): value of 'x' is not a finite number");
    counter_case = "many";
    assert_int_equal(run_once(sets_counters, &p, NULL, 0, 1), -1);
    assert_string_equal(p.message, "perfcmp_counter(): more than 16 counters");
}

/* --- sample_run --------------------------------------------------- */

static int calls;

static void counted_calls(perfcmp_state *state)
{
    calls++;
    while (perfcmp_loop(state))
        perfcmp_clobber();
    perfcmp_set_bytes(state, 100);
    perfcmp_counter(state, "call", calls, "n", PERFCMP_LOWER_IS_BETTER);
}

static void fixed_iterations_give_one_value_per_sample(void **unused)
{
    measure m;
    sample_opts o = { .samples = 6, .min_time = 0.01, .iterations = 50 };
    (void)unused;
    measure_init(&m);
    calls = 0;
    assert_int_equal(sample_run(counted_calls, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    assert_int_equal(m.iterations, 50);
    /* one warm-up call, then one call per sample */
    assert_int_equal(calls, 7);
    const char *per_sample[] = { "wall_time", "cpu_time", "bytes_per_second", "call" };
    for (size_t i = 0; i < 4; i++) {
        measure_metric *mm = measure_find(&m, per_sample[i]);
        assert_non_null(mm);
        assert_int_equal(mm->n, 6);
        for (size_t k = 0; k < mm->n; k++)
            assert_true(mm->values[k] >= 0 && isfinite(mm->values[k]));
    }
    /* counters come from the samples only, not from the warm-up */
    measure_metric *c = measure_find(&m, "call");
    assert_true(c->values[0] == 2 && c->values[5] == 7);
    assert_int_equal(measure_find(&m, "bytes_per_second")->direction, 1);
    measure_metric *rss = measure_find(&m, "peak_rss");
    assert_non_null(rss);
    assert_int_equal(rss->n, 1);
    assert_true(rss->values[0] > 0);
    assert_null(measure_find(&m, "items_per_second"));
    measure_release(&m);
}

static void calibration_chooses_at_least_one_iteration(void **unused)
{
    measure m;
    sample_opts o = { .samples = 3, .min_time = 0.003 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(sample_run(counting, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    assert_true(m.iterations >= 1 && m.iterations <= SAMPLE_MAX_ITERATIONS);
    assert_int_equal(measure_find(&m, "wall_time")->n, 3);
    measure_release(&m);
    assert_true(sample_target_ns(&o) >= 1e6);
    assert_true(sample_loop_cost_ns() > 0);
}

static void a_failing_benchmark_keeps_no_metrics(void **unused)
{
    measure m;
    sample_opts o = { .samples = 3, .min_time = 0.003 };
    (void)unused;
    measure_init(&m);
    count = 0;
    assert_int_equal(sample_run(fails_at_ten, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_FAILED);
    assert_string_equal(m.error, "gave up at 10");
    assert_int_equal(m.nmetrics, 0);
    measure_release(&m);

    measure_init(&m);
    assert_int_equal(sample_run(NULL, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_FAILED);
    assert_string_equal(m.error, "no benchmark function");
    measure_release(&m);
}

/* --- calibration (issue 15) --------------------------------------- */

/*
 * A made-up body for sample_calib_step, so that no clock is read: each run
 * of n iterations takes FIXED + n * WARM ns, the first iteration of each
 * of the first COLD_RUNS runs COLD ns more; with JITTER, every other run
 * is that much slower (a factor).
 */
typedef struct model {
    double warm, cold, fixed, jitter;
    int cold_runs;
} model;

/* Calibrates against MD for TARGET ns into *C; returns the ns spent in
 * all runs together. */
static double calibrate_model(const model *md, double target, sample_calib *c)
{
    double spent = 0;
    sample_calib_init(c, target);
    for (int run = 0; run < 100; run++) {
        double t = md->fixed + (double)c->next * md->warm + (run < md->cold_runs ? md->cold : 0);
        if (md->jitter > 0 && run % 2)
            t *= md->jitter;
        spent += t;
        if (sample_calib_step(c, t))
            return spent;
    }
    fail_msg("calibration did not end after 100 runs");
    return spent;
}

/* --min-time=0.05 with 30 samples: 1.67 ms per sample */
#define TARGET_005 (0.05e9 / 30)

static void calibration_is_not_fooled_by_a_cold_first_iteration(void **unused)
{
    /* 20 us an iteration, the first one 50x that: scaling from the first
     * run alone gave 2 iterations instead of about 83 */
    model md = { .warm = 20000, .cold = 49 * 20000.0, .cold_runs = 1 };
    sample_calib c;
    (void)unused;
    double spent = calibrate_model(&md, TARGET_005, &c);
    double want = TARGET_005 / md.warm;
    assert_true(c.n >= want / 1.25 && c.n <= want * 1.25);
    assert_true(c.warm);
    /* the cold run, a short one, one of about a sample */
    assert_true(c.runs <= 4);
    assert_true(spent < 3 * TARGET_005);
}

static void calibration_waits_for_a_slow_start_to_fade(void **unused)
{
    /* three cold runs of 10 iterations' worth each */
    model md = { .warm = 5000, .cold = 50000, .cold_runs = 3 };
    sample_calib c;
    (void)unused;
    calibrate_model(&md, TARGET_005, &c);
    double want = TARGET_005 / md.warm;
    assert_true(c.n >= want / 1.25 && c.n <= want * 1.25);
}

static void calibration_of_a_warm_body_costs_about_two_samples(void **unused)
{
    /* 1 ns an iteration and 40 ns a run (the clock reads): 1, 100, 10^4,
     * 10^6 iterations, then the prediction, which is the warm-up too */
    model md = { .warm = 1, .fixed = 40 };
    double target = 0.5e9 / 30;
    sample_calib c;
    (void)unused;
    double spent = calibrate_model(&md, target, &c);
    assert_true(c.n >= target / 1.25 && c.n <= target * 1.25);
    assert_true(c.warm);
    assert_true(c.runs <= 5);
    assert_true(spent < 2.2 * target);
}

static void one_iteration_longer_than_a_sample_gives_one_iteration(void **unused)
{
    model md = { .warm = 5e6, .cold = 45e6, .cold_runs = 1 };
    sample_calib c;
    (void)unused;
    calibrate_model(&md, TARGET_005, &c);
    assert_int_equal(c.n, 1);
    assert_true(c.warm);
    assert_true(c.runs <= 3);
}

static void a_noisy_body_still_gets_an_answer(void **unused)
{
    /* every other run 60% slower: never two runs that agree */
    model md = { .warm = 100, .jitter = 1.6 };
    sample_calib c;
    (void)unused;
    calibrate_model(&md, TARGET_005, &c);
    assert_true(c.runs <= 5 + SAMPLE_CALIB_PREDICTIONS);
    double want = TARGET_005 / md.warm;
    assert_true(c.n >= want / 2 && c.n <= want * 2);
}

static void a_body_too_fast_for_the_clock_gets_the_most_iterations(void **unused)
{
    model md = { .warm = 0 };
    sample_calib c;
    (void)unused;
    calibrate_model(&md, TARGET_005, &c);
    assert_int_equal(c.n, SAMPLE_MAX_ITERATIONS);
    assert_true(c.runs <= 6);
}

static int cold_spun;

static void cold_first_iteration(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t end = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec +
                       (cold_spun ? 20000u : 50u * 20000u);
        do
            clock_gettime(CLOCK_MONOTONIC, &ts);
        while ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec < end);
        cold_spun = 1;
    }
}

static void sample_run_is_not_fooled_by_a_cold_first_iteration(void **unused)
{
    /* 20 us per iteration spun on the wall clock, the first 1 ms: about
     * 83 iterations fill a 1.67 ms sample; a loaded machine only makes
     * iterations longer, so the count can only be lower (the old 2 is far
     * below the bound) */
    measure m;
    sample_opts o = { .samples = 30, .min_time = 0.05 };
    (void)unused;
    measure_init(&m);
    cold_spun = 0;
    assert_int_equal(sample_run(cold_first_iteration, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    assert_true(m.iterations >= 83 / 3 && m.iterations <= 84 * 1.25);
    measure_release(&m);
}

/* The table row of a benchmark of ITERATIONS x 3 samples of WALL ns per
 * iteration, printed with a per-sample target of TARGET ns, into BUF. */
static void row_with(double wall, uint64_t iterations, double target, char *buf, size_t len)
{
    results_run run;
    output out;
    const double samples[] = { wall, wall, wall };
    FILE *f = fmemopen(buf, len - 1, "w");

    assert_non_null(f);
    memset(buf, 0, len);
    results_run_init(&run);
    results_bench *b = results_add_bench(&run, "b", NULL);
    assert_non_null(b);
    b->iterations = iterations;
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, samples, 3));
    output_init(&out, 1, 4, 1);
    out.table = f;
    out.target_ns = target;
    output_row(&out, b);
    fclose(f);
    results_run_release(&run);
}

static void the_table_says_when_samples_are_too_short_to_trust(void **unused)
{
    char buf[1024];
    (void)unused;
    /* 30 ns: a single iteration, under 1000x the clock's resolution
     * (unless the clock is coarser than 1 ns, when it is all the more) */
    row_with(30, 1, TARGET_005, buf, sizeof buf);
    assert_non_null(strstr(buf, "\n  samples too short to trust: "));
    assert_non_null(strstr(buf, " each, under 1000x the clock's resolution ("));
    /* 5 x 20 us = 100 us against 1.67 ms */
    row_with(20000, 5, TARGET_005, buf, sizeof buf);
    assert_non_null(strstr(buf, "\n  samples too short to trust: 100.0 us each, more than 10x"
                                " under the 1.667 ms target\n"));
    /* 10 x 20 us = 200 us: long enough */
    row_with(20000, 10, TARGET_005, buf, sizeof buf);
    assert_null(strstr(buf, "too short"));
    /* no target given: no judgement */
    row_with(30, 1, 0, buf, sizeof buf);
    assert_null(strstr(buf, "too short"));
}

/* --- isolate_run -------------------------------------------------- */

static void terminates(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        raise(SIGTERM);
}

static void exits_five(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        exit(5);
}

static void never_ends(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        for (;;)
            perfcmp_clobber();
}

static int ticks;

static void on_tick(void *ctx, double elapsed)
{
    (void)ctx;
    assert_true(elapsed >= 0);
    ticks++;
}

static void a_child_reports_its_measurement(void **unused)
{
    measure m;
    sample_opts o = { .samples = 4, .min_time = 0.01, .iterations = 20 };
    (void)unused;
    measure_init(&m);
    calls = 0;
    assert_int_equal(isolate_run(counted_calls, NULL, 0, &o, 30, NULL, NULL, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    assert_int_equal(m.iterations, 20);
    assert_int_equal(measure_find(&m, "wall_time")->n, 4);
    assert_int_equal(measure_find(&m, "call")->n, 4);
    assert_int_equal(calls, 0); /* the calls happened in the child */
    measure_release(&m);
}

static void a_child_killed_by_a_signal_is_a_crash(void **unused)
{
    measure m;
    sample_opts o = { .samples = 2, .min_time = 0.01 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(isolate_run(terminates, NULL, 0, &o, 30, NULL, NULL, &m), 0);
    assert_int_equal(m.status, MEASURE_CRASHED);
    assert_string_equal(m.error, "signal 15 (Terminated)");
    assert_int_equal(m.nmetrics, 0);
    measure_release(&m);
}

static void a_child_that_exits_is_a_crash(void **unused)
{
    measure m;
    sample_opts o = { .samples = 2, .min_time = 0.01 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(isolate_run(exits_five, NULL, 0, &o, 30, NULL, NULL, &m), 0);
    assert_int_equal(m.status, MEASURE_CRASHED);
    assert_string_equal(m.error, "exited with status 5");
    measure_release(&m);
}

static void a_child_past_its_timeout_is_killed(void **unused)
{
    measure m;
    sample_opts o = { .samples = 2, .min_time = 0.01 };
    (void)unused;
    measure_init(&m);
    ticks = 0;
    assert_int_equal(isolate_run(never_ends, NULL, 0, &o, 0.25, on_tick, NULL, &m), 0);
    assert_int_equal(m.status, MEASURE_TIMEOUT);
    assert_string_equal(m.error, "timeout after 0.2 s");
    assert_true(ticks >= 1);
    measure_release(&m);
}

static void a_failure_in_the_child_comes_back_as_failed(void **unused)
{
    measure m;
    sample_opts o = { .samples = 2, .min_time = 0.01 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(isolate_run(fails_before, NULL, 0, &o, 30, NULL, NULL, &m), 0);
    assert_int_equal(m.status, MEASURE_FAILED);
    assert_string_equal(m.error, "perfcmp_fail() called");
    measure_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_loop_runs_exactly_the_iterations_asked),
        cmocka_unit_test(code_before_and_after_the_loop_is_not_measured),
        cmocka_unit_test(time_between_pause_and_resume_is_not_measured),
        cmocka_unit_test(a_loop_that_ends_paused_is_fine),
        cmocka_unit_test(perfcmp_fail_ends_the_loop_with_its_message),
        cmocka_unit_test(misusing_the_loop_fails_the_benchmark),
        cmocka_unit_test(arguments_are_read_and_out_of_range_fails),
        cmocka_unit_test(counters_are_kept_and_misuse_fails),
        cmocka_unit_test(fixed_iterations_give_one_value_per_sample),
        cmocka_unit_test(calibration_chooses_at_least_one_iteration),
        cmocka_unit_test(a_failing_benchmark_keeps_no_metrics),
        cmocka_unit_test(calibration_is_not_fooled_by_a_cold_first_iteration),
        cmocka_unit_test(calibration_waits_for_a_slow_start_to_fade),
        cmocka_unit_test(calibration_of_a_warm_body_costs_about_two_samples),
        cmocka_unit_test(one_iteration_longer_than_a_sample_gives_one_iteration),
        cmocka_unit_test(a_noisy_body_still_gets_an_answer),
        cmocka_unit_test(a_body_too_fast_for_the_clock_gets_the_most_iterations),
        cmocka_unit_test(sample_run_is_not_fooled_by_a_cold_first_iteration),
        cmocka_unit_test(the_table_says_when_samples_are_too_short_to_trust),
        cmocka_unit_test(a_child_reports_its_measurement),
        cmocka_unit_test(a_child_killed_by_a_signal_is_a_crash),
        cmocka_unit_test(a_child_that_exits_is_a_crash),
        cmocka_unit_test(a_child_past_its_timeout_is_killed),
        cmocka_unit_test(a_failure_in_the_child_comes_back_as_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
