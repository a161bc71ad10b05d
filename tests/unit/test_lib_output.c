/*
 * test_lib_output.c - the table's units and rows, the command line kept
 * in the context, and the conversion of a measurement into a result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/context.h"
#include "lib/output.h"
#include "lib/runner.h"

static const char *fmt_time(double ns)
{
    static char buf[32];
    output_time(ns, buf, sizeof buf);
    return buf;
}

static void times_get_an_adaptive_unit(void **unused)
{
    (void)unused;
    assert_string_equal(fmt_time(0), "0.000 ns");
    assert_string_equal(fmt_time(1.5), "1.500 ns");
    assert_string_equal(fmt_time(12.345), "12.35 ns");
    assert_string_equal(fmt_time(999.9), "999.9 ns");
    assert_string_equal(fmt_time(1000), "1.000 us");
    assert_string_equal(fmt_time(63850.6), "63.85 us");
    assert_string_equal(fmt_time(2.5e6), "2.500 ms");
    assert_string_equal(fmt_time(123.4e6), "123.4 ms");
    assert_string_equal(fmt_time(3e9), "3.000 s");
    assert_string_equal(fmt_time(-1), "-");
}

static void sizes_and_rates_use_binary_or_decimal_prefixes(void **unused)
{
    char buf[32];
    (void)unused;
    output_bytes(512, buf, sizeof buf);
    assert_string_equal(buf, "512 B");
    output_bytes(1536, buf, sizeof buf);
    assert_string_equal(buf, "1.5 KiB");
    output_bytes(5.0 * 1024 * 1024, buf, sizeof buf);
    assert_string_equal(buf, "5.0 MiB");
    output_rate(2.5 * 1024 * 1024 * 1024, 1, buf, sizeof buf);
    assert_string_equal(buf, "2.500 GiB/s");
    output_rate(16037431, 0, buf, sizeof buf);
    assert_string_equal(buf, "16.04 M/s");
    output_rate(12, 0, buf, sizeof buf);
    assert_string_equal(buf, "12.00 /s");
}

static void the_command_line_can_be_pasted_into_a_shell(void **unused)
{
    char *argv[] = { "./bench", "--filter=sort/*", "--tags=not slow", "it's", "" };
    (void)unused;
    char *s = context_command_line(5, argv);
    assert_string_equal(s, "./bench '--filter=sort/*' '--tags=not slow' 'it'\\''s' ''");
    free(s);
    s = context_command_line(0, argv);
    assert_string_equal(s, "");
    free(s);
}

static void the_context_describes_machine_and_build(void **unused)
{
    results_run run;
    char *argv[] = { "bench", "--out=x.json" };
    (void)unused;
    results_run_init(&run);
    assert_int_equal(context_fill(&run.context, 2, argv, "gcc 12.2.0", NULL), 0);
    results_context *c = &run.context;
    assert_string_equal(c->compiler, "gcc 12.2.0");
    assert_string_equal(c->cflags, "");
    assert_string_equal(c->command, "bench --out=x.json");
    assert_string_equal(c->library_version, PERFCMP_VERSION_STRING);
    assert_true(c->cpu_count >= 1);
    assert_int_equal(strlen(c->timestamp), 20);
    assert_int_equal(c->timestamp[19], 'Z');
    assert_non_null(c->host);
    assert_non_null(c->cpu_model);
    assert_non_null(c->os);
    assert_non_null(c->kernel);
    assert_non_null(c->arch);
    assert_true(c->git_dirty >= -1 && c->git_dirty <= 1);
    assert_true(c->git_commit != NULL || c->git_dirty == -1);
    results_run_release(&run);
}

static void body(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
    }
}

static perfcmp_bench_def def = { .name = "sort", .fn = body, .tags = "cpu sort" };

static void a_measurement_becomes_a_result(void **unused)
{
    results_run run;
    measure m;
    registry_instance in = { .def = &def, .name = "sort/1024/2", .args = { 1024, 2 },
                             .nargs = 2 };
    (void)unused;
    assert_int_equal(registry_split_tags(def.tags, &in.tags, &in.ntags), 0);
    results_run_init(&run);
    measure_init(&m);
    measure_metric *w = measure_metric_get(&m, "wall_time", "ns", 0);
    measure_push(w, 10);
    measure_push(w, 12);
    measure_push(w, 11);
    measure_push(measure_metric_get(&m, "bytes_per_second", "B/s", 1), 1024.0 * 1024 * 1024);
    m.iterations = 77;

    results_bench *b = runner_add_result(&run, &in, &m);
    assert_non_null(b);
    assert_string_equal(b->name, "sort/1024/2");
    assert_string_equal(b->family, "sort");
    assert_int_equal(b->nargs, 2);
    assert_int_equal(b->args[1], 2);
    assert_int_equal(b->ntags, 2);
    assert_string_equal(b->tags[0], "cpu");
    assert_int_equal(b->status, RESULTS_OK);
    assert_null(b->error);
    assert_int_equal(b->iterations, 77);
    assert_int_equal(b->nmetrics, 2);
    assert_int_equal(b->metrics[0].nsamples, 3);
    assert_int_equal(b->metrics[1].direction, RESULTS_HIGHER_IS_BETTER);

    /* the row: median 11 ns, MAD 1 (9.1% of it), 77 x 3 */
    char buf[1024] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    output out;
    output_init(&out, 1, 11, 2);
    out.table = f;
    output_row(&out, b);

    measure_release(&m);
    measure_set_status(&m, MEASURE_CRASHED, "signal 11 (Segmentation fault)");
    registry_instance in2 = { .def = &def, .name = "sort/1" };
    results_bench *c = runner_add_result(&run, &in2, &m);
    assert_int_equal(c->status, RESULTS_CRASHED);
    assert_string_equal(c->error, "signal 11 (Segmentation fault)");
    output_row(&out, c);
    measure_release(&m);
    measure_set_status(&m, MEASURE_TIMEOUT, "timeout after 1.0 s");
    registry_instance in3 = { .def = &def, .name = "sort/2" };
    output_row(&out, runner_add_result(&run, &in3, &m));
    output_summary(&out, &run, 1.25);
    fclose(f);

    const char *want =
        "benchmark           time      +/-     iters x samples     cpu time    peak RSS    throughput   allocs  status\n"
        "sort/1024/2     11.00 ns     9.1%              77 x 3            -           -   1.000 GiB/s        -  ok\n"
        "sort/1                 -        -                   -            -           -             -        -  crashed: signal 11 (Segmentation fault)\n"
        "sort/2                 -        -                   -            -           -             -        -  timeout after 1.0 s\n"
        "3 benchmarks in 1.2 s: 1 ok, 1 crashed, 1 timed out\n";
    assert_string_equal(buf, want);

    measure_release(&m);
    registry_free_tags(in.tags, in.ntags);
    results_run_release(&run);
}

static results_bench *bench_with(results_run *run, const char *name)
{
    static const double wall[] = { 100, 100, 100 };
    results_bench *b = results_add_bench(run, name, NULL);
    assert_non_null(b);
    b->iterations = 10;
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, wall, 3));
    return b;
}

static void add1(results_bench *b, const char *name, const char *unit, double v)
{
    assert_non_null(results_add_metric(b, name, unit, RESULTS_LOWER_IS_BETTER, &v, 1));
}

static void heap_latency_and_instructions_show_in_the_table(void **unused)
{
    results_run run;
    char buf[2048] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    output out;
    (void)unused;

    assert_non_null(f);
    results_run_init(&run);
    output_init(&out, 1, 6, 3);
    out.table = f;

    results_bench *b = bench_with(&run, "leaky");
    add1(b, "allocs", "count", 1);
    add1(b, "leaked_bytes", "bytes", 104);
    output_row(&out, b);

    b = bench_with(&run, "lat");
    add1(b, "allocs", "count", 2.5);
    add1(b, "leaked_bytes", "bytes", 0);
    add1(b, "latency_p50", "ns", 1200);
    add1(b, "latency_p90", "ns", 1500);
    add1(b, "latency_p99", "ns", 3000);
    add1(b, "latency_p999", "ns", 8000);
    add1(b, "latency_max", "ns", 12000);
    add1(b, "success_rate", "fraction", 0.99);
    output_row(&out, b);

    b = bench_with(&run, "count");
    add1(b, "instructions", "count", 5003);
    add1(b, "page_faults", "count", 0.5);
    add1(b, "task_clock", "ns", 99);
    output_row(&out, b);
    output_note(&out, "instructions not measured: %s", "why");
    output_line(&out, "complexity of %s: %s", "x", "O(N)");
    fclose(f);

    const char *want =
        "benchmark         time      +/-     iters x samples     cpu time    peak RSS    throughput   allocs  status\n"
        "leaky         100.0 ns     0.0%              10 x 3            -           -             -        1  ok (leaks 104 B/iter)\n"
        "lat           100.0 ns     0.0%              10 x 3            -           -             -      2.5  ok\n"
        "  latency  p50 1.200 us  p90 1.500 us  p99 3.000 us  p99.9 8.000 us  max 12.00 us  succeeded 99.0%\n"
        "count         100.0 ns     0.0%              10 x 3            -           -             -        -  ok\n"
        "  instructions 5003 per iteration (callgrind)\n"
        "  counters per iteration: task_clock 99.00 ns, page_faults 0.5\n"
        "  instructions not measured: why\n"
        "complexity of x: O(N)\n";
    assert_string_equal(buf, want);
    results_run_release(&run);
}

static void counts_are_short_and_exact_when_whole(void **unused)
{
    char buf[32];
    (void)unused;
    output_count(0, buf, sizeof buf);
    assert_string_equal(buf, "0");
    output_count(3, buf, sizeof buf);
    assert_string_equal(buf, "3");
    output_count(0.001234, buf, sizeof buf);
    assert_string_equal(buf, "0.00123");
    output_count(2.5, buf, sizeof buf);
    assert_string_equal(buf, "2.5");
    output_count(12.34, buf, sizeof buf);
    assert_string_equal(buf, "12.3");
    output_count(10003, buf, sizeof buf);
    assert_string_equal(buf, "10003");
    output_count(123456.7, buf, sizeof buf);
    assert_string_equal(buf, "123457");
    output_count(4.56e6, buf, sizeof buf);
    assert_string_equal(buf, "4.560M");
    output_count(-1, buf, sizeof buf);
    assert_string_equal(buf, "-");
}

static void quiet_output_prints_nothing(void **unused)
{
    output out;
    (void)unused;
    output_init(&out, 1, 10, 3);
    assert_null(out.table);
    assert_null(out.progress);
    output_progress(&out, 1, "x", 0.5);
    output_clear_progress(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(times_get_an_adaptive_unit),
        cmocka_unit_test(sizes_and_rates_use_binary_or_decimal_prefixes),
        cmocka_unit_test(the_command_line_can_be_pasted_into_a_shell),
        cmocka_unit_test(the_context_describes_machine_and_build),
        cmocka_unit_test(a_measurement_becomes_a_result),
        cmocka_unit_test(heap_latency_and_instructions_show_in_the_table),
        cmocka_unit_test(counts_are_short_and_exact_when_whole),
        cmocka_unit_test(quiet_output_prints_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
