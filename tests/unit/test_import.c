/*
 * test_import.c - reading Google Benchmark and hyperfine JSON (and our own
 * format) into the results model: grouping, units, counters, failures,
 * detection and the messages for bad input.
 *
 * Small inline documents carry the exact values a test checks; the real
 * files under tests/data/ (made by the real tools, see
 * tests/data/gen/README.md) check that what the tools actually write is
 * read as intended.
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

#include "cli/import.h"
#include "core/stats.h"

static int parse(const char *text, const char *format, results_run *run, char *err,
                 size_t errlen)
{
    results_run_init(run);
    err[0] = '\0';
    return import_parse(text, strlen(text), format, run, err, errlen);
}

static void parse_ok(const char *text, const char *format, results_run *run)
{
    char err[256];
    if (parse(text, format, run, err, sizeof err) != 0)
        fail_msg("import_parse: %s", err);
}

/* The reason import_parse gives for TEXT. */
static void assert_refused(const char *text, const char *format, const char *reason)
{
    results_run run;
    char err[256];
    if (parse(text, format, &run, err, sizeof err) != -1) {
        results_run_release(&run);
        fail_msg("accepted: %s", text);
    }
    assert_string_equal(err, reason);
    assert_int_equal(run.nbenches, 0);
}

static char *read_data(const char *rel, size_t *len)
{
    const char *root = getenv("PERFCMP_ROOT");
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repository root or set PERFCMP_ROOT)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void parse_file_ok(const char *rel, results_run *run)
{
    size_t len;
    char *text = read_data(rel, &len);
    char err[256];
    results_run_init(run);
    if (import_parse(text, len, NULL, run, err, sizeof err) != 0)
        fail_msg("%s: %s", rel, err);
    free(text);
}

static void assert_samples(const results_metric *m, const double *want, size_t n)
{
    assert_non_null(m);
    assert_int_equal(m->nsamples, n);
    for (size_t i = 0; i < n; i++)
        assert_true(fabs(m->samples[i] - want[i]) <= 1e-9 * fabs(want[i]));
}

/* ---- Google Benchmark --------------------------------------------------- */

#define GB_HEAD "{\"context\": {\"date\": \"2026-11-23T12:30:58+01:00\", \"host_name\": \"vm\"," \
                " \"executable\": \"./bench\", \"num_cpus\": 4, \"mhz_per_cpu\": 2596," \
                " \"library_build_type\": \"release\"}, \"benchmarks\": ["
#define GB_ROW(name, rt, ct, unit) \
    "{\"name\": \"" name "\", \"run_name\": \"" name "\", \"run_type\": \"iteration\"," \
    " \"repetitions\": 3, \"iterations\": 1000, \"real_time\": " rt ", \"cpu_time\": " ct "," \
    " \"time_unit\": \"" unit "\"}"
#define GB_AGG(name, agg, rt) \
    "{\"name\": \"" name "_" agg "\", \"run_name\": \"" name "\", \"run_type\": \"aggregate\"," \
    " \"aggregate_name\": \"" agg "\", \"iterations\": 3, \"real_time\": " rt "," \
    " \"cpu_time\": " rt ", \"time_unit\": \"ns\"}"

static void gbench_repetitions_should_become_samples_and_aggregates_be_skipped(void **state)
{
    (void)state;
    results_run run;
    parse_ok(GB_HEAD GB_ROW("BM_a/8/3", "10", "9", "ns") "," GB_ROW("BM_a/8/3", "30", "29", "ns")
             "," GB_ROW("BM_a/8/3", "20", "19", "ns") "," GB_AGG("BM_a/8/3", "mean", "20") ","
             GB_AGG("BM_a/8/3", "median", "20") "," GB_AGG("BM_a/8/3", "stddev", "10") ","
             GB_AGG("BM_a/8/3", "cv", "0.5") "]}",
             NULL, &run);
    assert_string_equal(run.context.source_format, "google-benchmark");
    assert_int_equal(run.nbenches, 1);
    const results_bench *b = &run.benches[0];
    assert_string_equal(b->name, "BM_a/8/3");
    assert_string_equal(b->family, "BM_a");
    assert_int_equal(b->nargs, 2);
    assert_int_equal(b->args[0], 8);
    assert_int_equal(b->args[1], 3);
    assert_int_equal(b->iterations, 1000);
    assert_int_equal(b->status, RESULTS_OK);
    const double wall[] = { 10, 30, 20 }, cpu[] = { 9, 29, 19 };
    assert_samples(results_find_metric(b, "wall_time"), wall, 3);
    assert_samples(results_find_metric(b, "cpu_time"), cpu, 3);
    /* summaries are computed: the median of {10, 30, 20} is 20 */
    assert_true(results_find_metric(b, "wall_time")->summary.median == 20.0);
    assert_int_equal(results_find_metric(b, "wall_time")->direction, RESULTS_LOWER_IS_BETTER);
    assert_string_equal(results_find_metric(b, "wall_time")->unit, "ns");
    results_run_release(&run);
}

static void gbench_context_should_map_onto_the_model(void **state)
{
    (void)state;
    results_run run;
    parse_ok(GB_HEAD GB_ROW("BM_a", "1", "1", "ns") "]}", NULL, &run);
    /* 12:30:58 at +01:00 is 11:30:58 UTC */
    assert_string_equal(run.context.timestamp, "2026-11-23T11:30:58Z");
    assert_string_equal(run.context.host, "vm");
    assert_string_equal(run.context.command, "./bench");
    assert_int_equal(run.context.cpu_count, 4);
    assert_int_equal(run.context.git_dirty, -1);
    assert_null(run.context.git_commit);
    results_run_release(&run);
}

static void gbench_time_units_should_be_converted_to_ns(void **state)
{
    (void)state;
    results_run run;
    parse_ok(GB_HEAD GB_ROW("BM_us", "1.5", "1.25", "us") "," GB_ROW("BM_ms", "2", "2", "ms") ","
             GB_ROW("BM_s", "0.5", "0.5", "s") "," GB_ROW("BM_ns", "7", "7", "ns") "]}",
             NULL, &run);
    assert_int_equal(run.nbenches, 4);
    const double us[] = { 1500 }, ms[] = { 2e6 }, s[] = { 5e8 }, ns[] = { 7 };
    const double uscpu[] = { 1250 };
    assert_samples(results_find_metric(&run.benches[0], "wall_time"), us, 1);
    assert_samples(results_find_metric(&run.benches[0], "cpu_time"), uscpu, 1);
    assert_samples(results_find_metric(&run.benches[1], "wall_time"), ms, 1);
    assert_samples(results_find_metric(&run.benches[2], "wall_time"), s, 1);
    assert_samples(results_find_metric(&run.benches[3], "wall_time"), ns, 1);
    results_run_release(&run);
}

static void gbench_counters_should_become_metrics_with_direction(void **state)
{
    (void)state;
    results_run run;
    parse_ok(GB_HEAD
             "{\"name\": \"BM_c\", \"run_type\": \"iteration\", \"iterations\": 5,"
             " \"real_time\": 10, \"cpu_time\": 10, \"time_unit\": \"ns\","
             " \"bytes_per_second\": 1e9, \"items_per_second\": 2e6, \"cache_misses\": 12,"
             " \"frames_per_second\": 60, \"label\": \"hello\"},"
             "{\"name\": \"BM_c\", \"run_type\": \"iteration\", \"iterations\": 5,"
             " \"real_time\": 12, \"cpu_time\": 11, \"time_unit\": \"ns\","
             " \"bytes_per_second\": 1.1e9, \"items_per_second\": 2.2e6, \"cache_misses\": 14,"
             " \"frames_per_second\": 61, \"label\": \"hello\"}]}",
             NULL, &run);
    assert_int_equal(run.nbenches, 1);
    const results_bench *b = &run.benches[0];
    assert_int_equal(b->nmetrics, 6);
    const results_metric *m = results_find_metric(b, "bytes_per_second");
    const double bps[] = { 1e9, 1.1e9 };
    assert_samples(m, bps, 2);
    assert_string_equal(m->unit, "B/s");
    assert_int_equal(m->direction, RESULTS_HIGHER_IS_BETTER);
    m = results_find_metric(b, "items_per_second");
    assert_non_null(m);
    assert_string_equal(m->unit, "items/s");
    assert_int_equal(m->direction, RESULTS_HIGHER_IS_BETTER);
    m = results_find_metric(b, "cache_misses");
    const double cm[] = { 12, 14 };
    assert_samples(m, cm, 2);
    assert_string_equal(m->unit, "");
    assert_int_equal(m->direction, RESULTS_LOWER_IS_BETTER);
    m = results_find_metric(b, "frames_per_second");
    assert_non_null(m);
    assert_int_equal(m->direction, RESULTS_HIGHER_IS_BETTER);
    assert_null(results_find_metric(b, "label"));
    results_run_release(&run);
}

static void gbench_with_only_aggregates_should_use_the_median_as_one_value(void **state)
{
    (void)state;
    results_run run;
    parse_ok(GB_HEAD GB_AGG("BM_x/64", "mean", "110") "," GB_AGG("BM_x/64", "median", "100") ","
             GB_AGG("BM_x/64", "stddev", "5") "," GB_AGG("BM_y", "mean", "42") "]}",
             NULL, &run);
    assert_int_equal(run.nbenches, 2);
    const double med[] = { 100 }, mean[] = { 42 };
    assert_samples(results_find_metric(&run.benches[0], "wall_time"), med, 1);
    assert_string_equal(run.benches[0].name, "BM_x/64");
    /* no median: the mean */
    assert_samples(results_find_metric(&run.benches[1], "wall_time"), mean, 1);
    /* an aggregate's "iterations" counts repetitions, not iterations */
    assert_int_equal(run.benches[0].iterations, 0);
    results_run_release(&run);
}

static void gbench_bigo_and_rms_rows_should_not_be_benchmarks(void **state)
{
    (void)state;
    results_run run;
    parse_ok(GB_HEAD GB_ROW("BM_acc/256", "141", "141", "ns") ","
             GB_ROW("BM_acc/1024", "569", "565", "ns") ","
             "{\"name\": \"BM_acc_BigO\", \"run_name\": \"BM_acc\", \"run_type\": \"aggregate\","
             " \"aggregate_name\": \"BigO\", \"cpu_coefficient\": 0.55, \"real_coefficient\": 0.55,"
             " \"big_o\": \"N\", \"time_unit\": \"ns\"},"
             "{\"name\": \"BM_acc_RMS\", \"run_name\": \"BM_acc\", \"run_type\": \"aggregate\","
             " \"aggregate_name\": \"RMS\", \"rms\": 0.0025}]}",
             NULL, &run);
    assert_int_equal(run.nbenches, 2);
    assert_null(results_find_bench(&run, "BM_acc"));
    assert_null(results_find_bench(&run, "BM_acc_BigO"));
    results_run_release(&run);
}

static void gbench_error_should_mark_the_benchmark_failed(void **state)
{
    (void)state;
    results_run run;
    parse_ok(GB_HEAD "{\"name\": \"BM_fails\", \"run_name\": \"BM_fails\", \"run_type\": "
             "\"iteration\", \"error_occurred\": true, \"error_message\": \"no input\","
             " \"iterations\": 1, \"real_time\": 0, \"cpu_time\": 0, \"time_unit\": \"ns\"},"
             GB_ROW("BM_ok", "5", "5", "ns") "]}",
             NULL, &run);
    assert_int_equal(run.nbenches, 2);
    assert_int_equal(run.benches[0].status, RESULTS_FAILED);
    assert_string_equal(run.benches[0].error, "no input");
    assert_int_equal(run.benches[0].nmetrics, 0);
    assert_int_equal(run.benches[1].status, RESULTS_OK);
    results_run_release(&run);
}

static void gbench_without_run_name_should_group_by_name(void **state)
{
    (void)state;
    results_run run;
    parse_ok("{\"context\": {}, \"benchmarks\": ["
             "{\"name\": \"BM_old/4\", \"iterations\": 10, \"real_time\": 1, \"cpu_time\": 1},"
             "{\"name\": \"BM_old/4\", \"iterations\": 10, \"real_time\": 2, \"cpu_time\": 2},"
             "{\"name\": \"BM_old/4_mean\", \"aggregate_name\": \"mean\", \"real_time\": 1.5,"
             " \"cpu_time\": 1.5}]}",
             NULL, &run);
    /* no time_unit: ns */
    assert_int_equal(run.nbenches, 1);
    const double w[] = { 1, 2 };
    assert_samples(results_find_metric(&run.benches[0], "wall_time"), w, 2);
    results_run_release(&run);
}

static void gbench_real_files_should_be_read_as_the_tool_meant(void **state)
{
    (void)state;
    results_run run;
    parse_file_ok("gbench/repetitions.json", &run);
    assert_int_equal(run.nbenches, 4);
    const results_bench *b = results_find_bench(&run, "BM_sort/64");
    assert_non_null(b);
    assert_int_equal(results_find_metric(b, "wall_time")->nsamples, 5);
    b = results_find_bench(&run, "BM_fails");
    assert_non_null(b);
    assert_int_equal(b->status, RESULTS_FAILED);
    assert_string_equal(b->error, "could not open the input");
    /* BM_vector_push is in us in the file (1.488...): ns here */
    b = results_find_bench(&run, "BM_vector_push");
    assert_non_null(b);
    assert_true(results_find_metric(b, "wall_time")->samples[0] > 1000.0);
    results_run_release(&run);

    parse_file_ok("gbench/complexity.json", &run);
    assert_int_equal(run.nbenches, 4);
    results_run_release(&run);

    parse_file_ok("gbench/counters.json", &run);
    assert_int_equal(run.nbenches, 2);
    assert_non_null(results_find_metric(&run.benches[0], "bytes_per_second"));
    assert_non_null(results_find_metric(&run.benches[0], "cache_lines"));
    results_run_release(&run);

    parse_file_ok("gbench/aggregates_only.json", &run);
    assert_int_equal(run.nbenches, 2);
    assert_int_equal(results_find_metric(&run.benches[0], "wall_time")->nsamples, 1);
    results_run_release(&run);
}

/* ---- Google Benchmark: NaN, Infinity, iterations 0 ----------------------- */

/* The warning import_parse_warn gives for TEXT, which it must accept. */
static void parse_warn_ok(const char *text, const char *format, results_run *run, char *warn,
                          size_t warnlen)
{
    char err[256];
    results_run_init(run);
    snprintf(warn, warnlen, "not set");
    if (import_parse_warn(text, strlen(text), format, run, warn, warnlen, err, sizeof err) != 0)
        fail_msg("import_parse_warn: %s", err);
}

#define GB_COUNTER_ROW(name, rt, counters) \
    "{\"name\": \"" name "\", \"run_name\": \"" name "\", \"run_type\": \"iteration\"," \
    " \"iterations\": 10, \"real_time\": " rt ", \"cpu_time\": " rt ", \"time_unit\": \"ns\"," \
    counters "}"

static void gbench_nonfinite_counters_should_be_left_out_with_one_warning(void **state)
{
    (void)state;
    results_run run;
    char warn[256];
    /* hit_rate is NaN in one repetition of two; ratio is never finite;
     * a NaN in an aggregate the import does not read says nothing */
    parse_warn_ok(GB_HEAD GB_COUNTER_ROW("BM_h", "10", "\"hit_rate\": NaN, \"ratio\": -Infinity,"
                                         " \"lookups\": 0")
                  "," GB_COUNTER_ROW("BM_h", "12", "\"hit_rate\": 0.5, \"ratio\": Infinity,"
                                     " \"lookups\": 4")
                  ",{\"name\": \"BM_h_cv\", \"run_name\": \"BM_h\", \"run_type\": \"aggregate\","
                  " \"aggregate_name\": \"cv\", \"iterations\": 2, \"real_time\": NaN,"
                  " \"cpu_time\": -NaN, \"lookups\": NaN}]}",
                  NULL, &run, warn, sizeof warn);
    assert_string_equal(warn, "benchmark 'BM_h': counter 'hit_rate' is not finite (NaN); left "
                              "out (and 2 more non-finite counter values)");
    assert_int_equal(run.nbenches, 1);
    const results_bench *b = &run.benches[0];
    const double hit[] = { 0.5 }, lookups[] = { 0, 4 }, wall[] = { 10, 12 };
    assert_samples(results_find_metric(b, "hit_rate"), hit, 1);
    assert_null(results_find_metric(b, "ratio"));
    assert_samples(results_find_metric(b, "lookups"), lookups, 2);
    assert_samples(results_find_metric(b, "wall_time"), wall, 2);
    results_run_release(&run);

    /* one value: the warning says no more; a finite file gives none */
    parse_warn_ok(GB_HEAD GB_COUNTER_ROW("BM_i", "1", "\"items_per_second\": -Infinity") "]}",
                  "google-benchmark", &run, warn, sizeof warn);
    assert_string_equal(warn, "benchmark 'BM_i': counter 'items_per_second' is not finite "
                              "(-Infinity); left out");
    assert_null(results_find_metric(&run.benches[0], "items_per_second"));
    results_run_release(&run);
    parse_warn_ok(GB_HEAD GB_ROW("BM_a", "1", "1", "ns") "]}", NULL, &run, warn, sizeof warn);
    assert_string_equal(warn, "");
    results_run_release(&run);
}

static void gbench_nonfinite_times_should_be_refused_naming_benchmark_and_field(void **state)
{
    (void)state;
    assert_refused(GB_HEAD GB_ROW("BM_a", "NaN", "1", "ns") "]}", NULL,
                   "benchmark 'BM_a': 'real_time' is not a finite number (NaN)");
    assert_refused(GB_HEAD GB_ROW("BM_a", "1", "-Infinity", "ns") "]}", NULL,
                   "benchmark 'BM_a': 'cpu_time' is not a finite number (-Infinity)");
    assert_refused(GB_HEAD GB_ROW("BM_a", "Infinity", "1", "us") "]}", "google-benchmark",
                   "benchmark 'BM_a': 'real_time' is not a finite number (Infinity)");
    assert_refused(GB_HEAD GB_ROW("BM_a", "-NaN", "1", "ns") "]}", NULL,
                   "benchmark 'BM_a': 'real_time' is not a finite number (NaN)");
    /* a benchmark of aggregates only: its median is its value */
    assert_refused(GB_HEAD GB_AGG("BM_x", "median", "NaN") "]}", NULL,
                   "benchmark 'BM_x': 'real_time' is not a finite number (NaN)");
    /* the warning of an earlier counter is not left behind by the error */
    results_run run;
    char warn[64] = "not set", err[256];
    const char *t = GB_HEAD GB_COUNTER_ROW("BM_c", "1", "\"r\": NaN") ","
                    GB_ROW("BM_t", "NaN", "1", "ns") "]}";
    results_run_init(&run);
    assert_int_equal(import_parse_warn(t, strlen(t), NULL, &run, warn, sizeof warn, err,
                                       sizeof err), -1);
    assert_string_equal(err, "benchmark 'BM_t': 'real_time' is not a finite number (NaN)");
    assert_string_equal(warn, "");
}

static void gbench_nonfinite_tokens_should_be_read_only_where_they_are_values(void **state)
{
    (void)state;
    results_run run;
    char warn[256];
    /* in strings (escaped quotes too) they are text and stay as written */
    parse_warn_ok(GB_HEAD "{\"name\": \"BM_\\\"NaN\\\"/Infinity\", \"run_type\": \"iteration\","
                  " \"iterations\": 1, \"real_time\": 1, \"cpu_time\": 1,"
                  " \"label\": \"-Infinity \\\\\", \"n\": NaN}]}",
                  NULL, &run, warn, sizeof warn);
    assert_string_equal(run.benches[0].name, "BM_\"NaN\"/Infinity");
    assert_string_equal(warn, "benchmark 'BM_\"NaN\"/Infinity': counter 'n' is not finite (NaN); "
                              "left out");
    results_run_release(&run);
    /* the file's own null stays a null, wherever the NaN around it are */
    assert_refused(GB_HEAD GB_COUNTER_ROW("BM_a", "1", "\"x\": NaN, \"y\": null, \"z\": Infinity")
                   "," GB_ROW("BM_b", "1", "null", "ns") "]}", NULL,
                   "benchmark 'BM_b': 'cpu_time' is not a number");
    parse_warn_ok(GB_HEAD GB_COUNTER_ROW("BM_a", "1", "\"x\": null, \"y\": NaN, \"z\": 3") "]}",
                  NULL, &run, warn, sizeof warn);
    assert_string_equal(warn, "benchmark 'BM_a': counter 'y' is not finite (NaN); left out");
    assert_null(results_find_metric(&run.benches[0], "x"));
    assert_non_null(results_find_metric(&run.benches[0], "z"));
    results_run_release(&run);
    /* not tokens: a name that begins like one */
    assert_refused(GB_HEAD GB_ROW("BM_a", "NaNa", "1", "ns") "]}", NULL,
                   "invalid JSON at line 1, column 293");
}

static void nonfinite_tokens_should_stay_invalid_json_outside_google_benchmark(void **state)
{
    (void)state;
    const char *h = "{\"results\": [{\"command\": \"x\", \"times\": [Infinity]}]}";
    assert_refused(h, NULL, "invalid JSON at line 1, column 41");
    assert_refused(h, "hyperfine", "invalid JSON at line 1, column 41");
    assert_null(import_detect(h, strlen(h)));
    assert_refused("{\"schema\": \"perfcmp-results\", \"version\": 1, \"benchmarks\": [{\"name\":"
                   " \"a\", \"metrics\": [{\"name\": \"wall_time\", \"samples\": [NaN]}]}]}",
                   NULL, "invalid JSON at line 1, column 120");
    /* a Google Benchmark file forced to another format stays strict too */
    const char *g = GB_HEAD GB_COUNTER_ROW("BM_a", "1", "\"r\": NaN") "]}";
    assert_refused(g, "perfcmp", "invalid JSON at line 1, column 314");
    assert_string_equal(import_detect(g, strlen(g)), IMPORT_FORMAT_GBENCH);
}

static void gbench_invalid_json_with_nonfinite_tokens_should_say_where_in_the_file(void **state)
{
    (void)state;
    /* the error is past a NaN (3 bytes, read as 4) and an Infinity (8, read
     * as 4): its column is the file's */
    assert_refused(GB_HEAD GB_COUNTER_ROW("BM_a", "1", "\"r\": NaN, \"s\": Infinity, \"t\": x")
                   "]}", NULL, "invalid JSON at line 1, column 339");
    /* as for the same file with 1.0 in place of the NaN */
    assert_refused("{\"context\": {},\n\"benchmarks\": [{\"name\": \"BM_a\", \"r\": NaN,\n"
                   "\"real_time\": 1,,}]}", NULL, "invalid JSON at line 3, column 17");
    assert_refused(GB_HEAD GB_COUNTER_ROW("BM_a", "1", "\"r\": -Infinity") ",",
                   NULL, "invalid JSON: unexpected end of file (truncated?)");
}

static void gbench_zero_iterations_should_be_refused_unless_the_run_failed(void **state)
{
    (void)state;
    assert_refused(GB_HEAD GB_ROW("BM_a", "1", "1", "ns") ","
                   "{\"name\": \"BM_z\", \"run_type\": \"iteration\", \"iterations\": 0,"
                   " \"real_time\": 0, \"cpu_time\": 0, \"time_unit\": \"ns\"}]}", NULL,
                   "benchmark 'BM_z': 'iterations' is 0, so the row measured nothing");
    /* in any repetition, not only the first */
    assert_refused(GB_HEAD GB_ROW("BM_r", "1", "1", "ns") ","
                   "{\"name\": \"BM_r\", \"run_name\": \"BM_r\", \"run_type\": \"iteration\","
                   " \"error_occurred\": false, \"iterations\": 0, \"real_time\": 0,"
                   " \"cpu_time\": 0}]}", "google-benchmark",
                   "benchmark 'BM_r': 'iterations' is 0, so the row measured nothing");
    /* a failed run may stop before its first iteration: it is a failure */
    results_run run;
    parse_ok(GB_HEAD "{\"name\": \"BM_f\", \"run_type\": \"iteration\", \"error_occurred\": true,"
             " \"error_message\": \"setup failed\", \"iterations\": 0, \"real_time\": 0,"
             " \"cpu_time\": 0, \"time_unit\": \"ns\"}]}", NULL, &run);
    assert_int_equal(run.benches[0].status, RESULTS_FAILED);
    assert_string_equal(run.benches[0].error, "setup failed");
    results_run_release(&run);
}

static void gbench_real_nonfinite_files_should_be_read_as_the_tool_meant(void **state)
{
    (void)state;
    results_run run;
    char warn[256], err[256];
    size_t len;
    char *text = read_data("gbench/nonfinite-counter.json", &len);
    results_run_init(&run);
    if (import_parse_warn(text, len, NULL, &run, warn, sizeof warn, err, sizeof err) != 0)
        fail_msg("nonfinite-counter.json: %s", err);
    free(text);
    /* hit_rate is NaN in both repetitions (and in every aggregate, which
     * are not read, lookups too in the cv) */
    assert_string_equal(warn, "benchmark 'BM_hit_rate/iterations:1000': counter 'hit_rate' is "
                              "not finite (NaN); left out (and 1 more non-finite counter value)");
    assert_int_equal(run.nbenches, 1);
    assert_null(results_find_metric(&run.benches[0], "hit_rate"));
    assert_int_equal(results_find_metric(&run.benches[0], "lookups")->nsamples, 2);
    assert_int_equal(results_find_metric(&run.benches[0], "wall_time")->nsamples, 2);
    results_run_release(&run);

    const struct { const char *file, *reason; } bad[] = {
        { "gbench/nonfinite-real-time-nan.json", "benchmark 'BM_manual_nan/iterations:10/"
          "manual_time': 'real_time' is not a finite number (NaN)" },
        { "gbench/nonfinite-real-time-minus-infinity.json", "benchmark 'BM_manual_neg_inf/"
          "iterations:10/manual_time': 'real_time' is not a finite number (-Infinity)" },
        { "gbench/iterations-zero.json",
          "benchmark 'BM_sort/64': 'iterations' is 0, so the row measured nothing" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        text = read_data(bad[i].file, &len);
        results_run_init(&run);
        assert_int_equal(import_parse(text, len, NULL, &run, err, sizeof err), -1);
        assert_string_equal(err, bad[i].reason);
        assert_int_equal(run.nbenches, 0);
        free(text);
    }
}

/* ---- hyperfine ---------------------------------------------------------- */

static void hyperfine_times_should_become_wall_time_samples_in_ns(void **state)
{
    (void)state;
    results_run run;
    parse_ok("{\"results\": [{\"command\": \"sleep 0.01\", \"mean\": 0.011, \"user\": 0.001,"
             " \"system\": 0.0005, \"times\": [0.011, 0.0105, 0.0115],"
             " \"exit_codes\": [0, 0, 0]},"
             "{\"command\": \"./x --n 5\", \"name\": \"x-5\", \"mean\": 0.002,"
             " \"times\": [0.002], \"exit_codes\": [0], \"parameters\": {\"n\": \"5\"}}]}",
             NULL, &run);
    assert_string_equal(run.context.source_format, "hyperfine");
    assert_int_equal(run.nbenches, 2);
    const results_bench *b = &run.benches[0];
    assert_string_equal(b->name, "sleep 0.01");
    const double w[] = { 11e6, 10.5e6, 11.5e6 };
    assert_samples(results_find_metric(b, "wall_time"), w, 3);
    /* user and system as single means: cpu_time is their sum, one value */
    const double cpu[] = { 1.5e6 };
    assert_samples(results_find_metric(b, "cpu_time"), cpu, 1);
    /* a "name" wins over the command; numeric parameters are arguments */
    b = &run.benches[1];
    assert_string_equal(b->name, "x-5");
    assert_int_equal(b->nargs, 1);
    assert_int_equal(b->args[0], 5);
    assert_null(results_find_metric(b, "cpu_time"));
    results_run_release(&run);
}

static void hyperfine_per_run_user_and_system_should_give_cpu_samples(void **state)
{
    (void)state;
    results_run run;
    parse_ok("{\"results\": [{\"command\": \"c\", \"times\": [0.01, 0.02],"
             " \"user\": [0.004, 0.006], \"system\": [0.001, 0.002]}]}", NULL, &run);
    const double cpu[] = { 5e6, 8e6 };
    assert_samples(results_find_metric(&run.benches[0], "cpu_time"), cpu, 2);
    results_run_release(&run);
}

static void hyperfine_nonzero_exit_codes_should_mark_the_command_failed(void **state)
{
    (void)state;
    results_run run;
    parse_file_ok("hyperfine/failing.json", &run);
    const results_bench *b = results_find_bench(&run, "false");
    assert_non_null(b);
    assert_int_equal(b->status, RESULTS_FAILED);
    assert_string_equal(b->error, "exited with status 1 in 5 of 5 runs");
    assert_int_equal(results_find_bench(&run, "true")->status, RESULTS_OK);
    results_run_release(&run);

    parse_file_ok("hyperfine/sleep.json", &run);
    assert_int_equal(run.nbenches, 2);
    assert_int_equal(results_find_metric(&run.benches[0], "wall_time")->nsamples, 10);
    /* 'sleep 0.01' takes at least 10 ms */
    assert_true(results_find_metric(&run.benches[0], "wall_time")->summary.min >= 1e7);
    results_run_release(&run);
}

/* Each way a hyperfine file can be wrong names the command and the field
 * (error paths the coverage report showed untested). */
static void hyperfine_malformed_commands_should_be_refused_naming_the_field(void **state)
{
    (void)state;
#define HF(body) "{\"results\": [" body "]}"
    assert_refused(HF("{\"command\": \"x\", \"times\": [1]}, 7"), "hyperfine",
                   "results[1] is not an object");
    assert_refused(HF("{\"command\": \"\", \"times\": [1]}"), "hyperfine",
                   "results[0]: 'command' is missing or not a string");
    assert_refused(HF("{\"times\": [1]}"), NULL,
                   "results[0]: 'command' is missing or not a string");
    assert_refused("{\"results\": {\"command\": \"x\"}}", "hyperfine",
                   "'results' is not an array");
    assert_refused(HF("{\"command\": \"x\", \"times\": 0.1}"), NULL,
                   "command 'x': 'times' is not an array");
    assert_refused(HF("{\"command\": \"x\", \"times\": [0.1, \"0.2\"]}"), NULL,
                   "command 'x': 'times' holds a value that is not a number");
    assert_refused(HF("{\"command\": \"x\", \"exit_codes\": [0]}"), NULL,
                   "command 'x' has neither 'times' nor 'mean'");
    assert_refused(HF("{\"command\": \"x\", \"mean\": -1}"), NULL,
                   "command 'x': 'mean' is negative");
    assert_refused(HF("{\"command\": \"x\", \"mean\": 1e999}"), NULL,
                   "command 'x': 'mean' is not a finite number");
    assert_refused(HF("{\"command\": \"x\", \"mean\": 1e305}"), NULL,
                   "command 'x': 'mean' is too large");
    assert_refused(HF("{\"command\": \"x\", \"mean\": \"fast\"}"), NULL,
                   "command 'x': 'mean' is not a number or an array of numbers");
    assert_refused(HF("{\"command\": \"x\", \"times\": [1], \"user\": [-1]}"), NULL,
                   "command 'x': 'user' holds a negative value");
    assert_refused(HF("{\"command\": \"x\", \"times\": [1], \"system\": {}}"), NULL,
                   "command 'x': 'system' is not a number or an array of numbers");
    assert_refused(HF("{\"command\": \"x\", \"times\": [1], \"exit_codes\": 0}"), NULL,
                   "command 'x': 'exit_codes' is not an array");
    assert_refused(HF("{\"command\": \"x\", \"times\": [1], \"exit_codes\": [\"0\"]}"),
                   NULL, "command 'x': 'exit_codes' holds a value that is not a number");
    assert_refused(HF("{\"command\": \"x\", \"times\": [1], \"exit_codes\": [0.5]}"), NULL,
                   "command 'x': exit code 0.5 is not a valid exit status");
#undef HF
}

/* What hyperfine writes in its other shapes: only a mean, user and system
 * of different lengths, a run killed by a signal (null), parameters that
 * are not numbers. */
static void hyperfine_other_shapes_should_be_read_as_the_tool_meant(void **state)
{
    (void)state;
    results_run run;
    parse_ok("{\"results\": [{\"command\": \"m\", \"mean\": 0.25, \"user\": [0.1, 0.3],"
             " \"system\": [0.01], \"exit_codes\": [0, null, 3],"
             " \"parameters\": {\"n\": \"12\", \"mode\": \"fast\", \"k\": 7, \"f\": 0.5,"
             " \"big\": \"99999999999999999999\"}}]}", NULL, &run);
    const results_bench *b = &run.benches[0];
    const double wall[] = { 0.25e9 };
    assert_samples(results_find_metric(b, "wall_time"), wall, 1);
    /* lengths differ: the means of user and of system, summed, one value */
    const double cpu[] = { 0.2e9 + 0.01e9 };
    assert_samples(results_find_metric(b, "cpu_time"), cpu, 1);
    assert_int_equal(b->status, RESULTS_FAILED);
    assert_string_equal(b->error, "killed by a signal in 2 of 3 runs");
    /* numeric parameters only, in order: "12" and 7 */
    assert_int_equal(b->nargs, 2);
    assert_int_equal(b->args[0], 12);
    assert_int_equal(b->args[1], 7);
    results_run_release(&run);
}

/* ---- detection and errors ----------------------------------------------- */

static void detect_should_name_each_format(void **state)
{
    (void)state;
    const char *p = "{\"schema\": \"perfcmp-results\", \"version\": 1}";
    const char *g = GB_HEAD GB_ROW("BM_a", "1", "1", "ns") "]}";
    const char *h = "{\"results\": [{\"command\": \"true\", \"times\": [0.1]}]}";
    assert_string_equal(import_detect(p, strlen(p)), IMPORT_FORMAT_PERFCMP);
    assert_string_equal(import_detect(g, strlen(g)), IMPORT_FORMAT_GBENCH);
    assert_string_equal(import_detect(h, strlen(h)), IMPORT_FORMAT_HYPERFINE);
    assert_null(import_detect("{\"foo\": 1}", 10));
    assert_null(import_detect("{\"schema\": \"other\"}", 19));
    assert_null(import_detect("[1, 2]", 6));
    assert_null(import_detect("{\"results\": [", 13));
    assert_null(import_detect("", 0));
}

static void perfcmp_files_should_go_through_the_results_parser(void **state)
{
    (void)state;
    results_run in, out;
    results_run_init(&in);
    results_bench *b = results_add_bench(&in, "sort/8", NULL);
    assert_non_null(b);
    const double x[] = { 3, 1, 2 };
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, x, 3));
    assert_int_equal(results_set_str(&in.context.timestamp, "2026-11-23T11:20:00Z"), 0);
    assert_int_equal(results_finish(&in), 0);
    char *json = results_to_json(&in);
    assert_non_null(json);
    parse_ok(json, NULL, &out);
    assert_string_equal(out.context.source_format, "perfcmp-results");
    assert_int_equal(out.nbenches, 1);
    assert_samples(results_find_metric(&out.benches[0], "wall_time"), x, 3);
    results_run_release(&out);
    /* the same file forced as another format is refused */
    assert_refused(json, "hyperfine", "'results' is not an array");
    free(json);
    results_run_release(&in);
}

static void bad_input_should_be_refused_with_a_reason(void **state)
{
    (void)state;
    assert_refused("", NULL, "empty file");
    assert_refused(" \n\t", NULL, "empty file");
    assert_refused("{\"results\": [{\"command\": \"x\", \"times\": [0.1",
                   NULL, "invalid JSON: unexpected end of file (truncated?)");
    assert_refused("{\"results\": [{\"command\": \"x\", \"times\": [NaN]}]}", NULL,
                   "invalid JSON at line 1, column 41");
    assert_refused("{\"a\": 1} {\"b\": 2}", NULL,
                   "invalid JSON: unexpected data after the end of the document");
    assert_refused("{\"foo\": 1}", NULL,
                   "not a perfcmp, Google Benchmark or hyperfine results file");
    assert_refused("{\"foo\": 1}", "csv",
                   "unknown format 'csv' (expected auto, perfcmp, google-benchmark or hyperfine)");
    assert_refused(GB_HEAD "]}", NULL, "no benchmarks in the file");
    assert_refused(GB_HEAD GB_ROW("BM_a", "-1", "1", "ns") "]}", NULL,
                   "benchmark 'BM_a': 'real_time' is negative (-1)");
    /* 1e999 is a valid JSON number that overflows to infinity */
    assert_refused(GB_HEAD GB_ROW("BM_a", "1e999", "1", "ns") "]}", NULL,
                   "benchmark 'BM_a': 'real_time' is not a finite number (Infinity)");
    assert_refused(GB_HEAD GB_ROW("BM_a", "1", "1", "min") "]}", NULL,
                   "benchmark 'BM_a': unknown time_unit (expected ns, us, ms or s)");
    assert_refused(GB_HEAD "{\"name\": \"BM_a\", \"run_type\": \"iteration\", \"cpu_time\": 1}]}",
                   NULL, "benchmark 'BM_a': 'real_time' is missing");
    assert_refused(GB_HEAD "{\"name\": \"BM_a\", \"iterations\": 1e300, \"real_time\": 1}]}", NULL,
                   "benchmark 'BM_a': 'iterations' is out of range (1e+300)");
    assert_refused("{\"results\": [{\"command\": \"x\", \"times\": [0.1],"
                   " \"exit_codes\": [1e300]}]}", NULL,
                   "command 'x': exit code 1e+300 is not a valid exit status");
    assert_refused("{\"results\": [{\"command\": \"x\", \"times\": [0.1, -0.2]}]}", NULL,
                   "command 'x': 'times' holds a negative value");
    assert_refused("{\"results\": [{\"command\": \"x\", \"times\": [1e999]}]}", NULL,
                   "command 'x': 'times' holds a non-finite value");
    assert_refused("{\"results\": [{\"command\": \"x\", \"times\": [1]},"
                   " {\"command\": \"x\", \"times\": [2]}]}", NULL,
                   "command 'x' appears twice");
    assert_refused("\xff\xfe{\0", NULL, "the file is UTF-16; expected UTF-8 JSON");
    /* finite values whose statistics overflow */
    /* finite seconds that overflow as nanoseconds */
    assert_refused("{\"results\": [{\"command\": \"x\", \"times\": [1e305]}]}", NULL,
                   "command 'x': 'times' holds a value too large");
}

/* Values near the largest double: refused with the overflow message, or
 * accepted with every statistic finite; never an infinite summary. */
static void huge_values_should_never_give_infinite_statistics(void **state)
{
    (void)state;
    results_run run;
    char err[256];
    int rc = parse(GB_HEAD GB_ROW("BM_a", "1.7e308", "1", "ns") ","
                   GB_ROW("BM_a", "1.0e308", "1", "ns") "," GB_ROW("BM_a", "0", "1", "ns") "]}",
                   NULL, &run, err, sizeof err);
    if (rc != 0) {
        assert_string_equal(err, "benchmark 'BM_a': metric 'wall_time': values too large for "
                                 "the statistics (they overflow)");
        return;
    }
    const stats_summary *u = &results_find_metric(&run.benches[0], "wall_time")->summary;
    const double v[] = { u->min, u->max, u->mean, u->stddev, u->median, u->mad, u->p90, u->p99,
                         u->ci_low, u->ci_high };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_true(isfinite(v[i]));
    results_run_release(&run);
}

/* A copy of the Google Benchmark file A with its top-level key
 * "benchmarks" escaped ("\u0062enchmarks"), which sends it the tree's
 * way (import_gbench) instead of gb_stream's.  Caller frees. */
static char *tree_way(const char *a)
{
    size_t len = strlen(a);
    char *b = malloc(len + 8);
    assert_non_null(b);
    memcpy(b, a, len + 1);
    char *k = strstr(b, "\"benchmarks\"");
    assert_non_null(k);
    size_t off = (size_t)(k - b);
    memmove(b + off + 6, b + off + 1, len - off);   /* "benchmarks" -> "\u0062enchmarks" */
    memcpy(b + off + 1, "\\u0062", 6);
    return b;
}

/* RA and RB hold the same benchmarks, metrics and samples, bit for bit. */
static void assert_same_runs(const results_run *ra, const results_run *rb)
{
    assert_int_equal(ra->nbenches, rb->nbenches);
    assert_string_equal(ra->context.timestamp, rb->context.timestamp);
    assert_string_equal(ra->context.host, rb->context.host);
    for (size_t i = 0; i < ra->nbenches; i++) {
        const results_bench *x = &ra->benches[i], *y = &rb->benches[i];
        assert_string_equal(x->name, y->name);
        assert_string_equal(x->family, y->family);
        assert_int_equal(x->nargs, y->nargs);
        for (size_t j = 0; j < x->nargs; j++)
            assert_int_equal(x->args[j], y->args[j]);
        assert_int_equal(x->iterations, y->iterations);
        assert_int_equal(x->status, y->status);
        assert_int_equal(x->nmetrics, y->nmetrics);
        for (size_t m = 0; m < x->nmetrics; m++) {
            assert_string_equal(x->metrics[m].name, y->metrics[m].name);
            assert_string_equal(x->metrics[m].unit, y->metrics[m].unit);
            assert_int_equal(x->metrics[m].direction, y->metrics[m].direction);
            assert_int_equal(x->metrics[m].nsamples, y->metrics[m].nsamples);
            assert_memory_equal(x->metrics[m].samples, y->metrics[m].samples,
                                x->metrics[m].nsamples * sizeof(double));
        }
    }
}

/* Reads the GB file A the streamed way into RA and, with its top-level
 * key escaped, the tree's way into RB (both initialised here; the caller
 * releases them), and asserts that the two runs are the same. */
static void read_both_ways(const char *a, results_run *ra, results_run *rb)
{
    char *b = tree_way(a);
    results_run_init(ra);
    results_run_init(rb);
    parse_ok(a, NULL, ra);
    parse_ok(b, NULL, rb);
    assert_same_runs(ra, rb);
    free(b);
}

/* A Google Benchmark file is read row by row (gb_stream) when it can be,
 * else as one tree; both must give the same run.  An escaped key at the
 * top level ("\u0062enchmarks" is "benchmarks") sends the same file the
 * tree's way. */
static void gbench_streamed_and_tree_reading_should_agree(void **state)
{
    (void)state;
    size_t cap = 1 << 20, len = 0;
    char *a = malloc(cap);
    assert_non_null(a);
    len += (size_t)snprintf(a + len, cap - len, "{\"context\": {\"date\": \"2026-12-06T03:00:00+00:00\", "
                            "\"host_name\": \"h\", \"num_cpus\": 2}, \"benchmarks\": [");
    for (int i = 0; i < 200; i++) {
        for (int r = 0; r < 5; r++)
            len += (size_t)snprintf(a + len, cap - len,
                                    "%s{\"name\": \"BM_x/%d\", \"run_name\": \"BM_x/%d\", "
                                    "\"run_type\": \"iteration\", \"repetitions\": 5, "
                                    "\"repetition_index\": %d, \"iterations\": %d, "
                                    "\"real_time\": %.17g, \"cpu_time\": %.17g, "
                                    "\"time_unit\": \"%s\", \"items_per_second\": %d, \"c\": %d}",
                                    i || r ? ", " : "", i, i, r, 1000 + i, 10.0 + i + r * 0.37,
                                    9.5 + i + r * 0.41, i % 3 ? "ns" : "us", 100 + r, i % 7);
        len += (size_t)snprintf(a + len, cap - len,
                                ", {\"name\": \"BM_x/%d_median\", \"run_name\": \"BM_x/%d\", "
                                "\"run_type\": \"aggregate\", \"aggregate_name\": \"median\", "
                                "\"real_time\": 1, \"cpu_time\": 1, \"time_unit\": \"ns\"}",
                                i, i);
    }
    /* a benchmark with only aggregates */
    len += (size_t)snprintf(a + len, cap - len,
                            ", {\"name\": \"BM_agg_mean\", \"run_name\": \"BM_agg\", "
                            "\"run_type\": \"aggregate\", \"aggregate_name\": \"mean\", "
                            "\"real_time\": 42.5, \"cpu_time\": 41, \"time_unit\": \"ns\"}]}\n");
    assert_true(len < cap - 64);
    results_run ra, rb;
    read_both_ways(a, &ra, &rb);
    assert_int_equal(ra.nbenches, 201);
    assert_int_equal(ra.benches[0].nmetrics, 4);   /* wall, cpu, items_per_second, c */
    assert_int_equal(ra.benches[200].metrics[0].nsamples, 1);
    results_run_release(&ra);
    results_run_release(&rb);
    free(a);
}

/* The rows after the first are read without cJSON (gbf_parse) when they
 * are flat and plain; rows that are not go to cJSON.  Either way the run
 * is the one of the tree's reading: numbers cJSON reads oddly, repeated
 * keys, strings, true/false/null, an escaped name, units, counters. */
#define GBF_FIRST "{\"name\": \"BM_f\", \"run_type\": \"iteration\", \"iterations\": 1," \
                  " \"real_time\": 1, \"cpu_time\": 1, \"time_unit\": \"ns\"}"

static void gbench_rows_read_without_cjson_should_be_read_as_cjson_reads_them(void **state)
{
    (void)state;
    static const char *const rows[] = {
        /* numbers as cJSON reads them: leading zeros, exponents, "-0" */
        "{\"name\": \"BM_n\", \"iterations\": 0010, \"real_time\": 1.5e+02,"
        " \"cpu_time\": 1E2, \"time_unit\": \"us\", \"c\": -0}",
        "{\"name\": \"BM_n\", \"iterations\": 3, \"real_time\": 100.,"
        " \"cpu_time\": 0.000001e8, \"time_unit\": \"us\", \"c\": -1.25}",
        /* long strings, scanned eight bytes at a time: a backslash and a
         * control character past the first eight send them to cJSON */
        "{\"name\": \"BM_a_rather_long_benchmark_name/1024\", \"real_time\": 3,"
        " \"label\": \"0123456789abcdef\\\"q\\\" and more\"}",
        "{\"name\": \"BM_a_rather_long_benchmark_name/1024\", \"real_time\": 4,"
        " \"label\": \"0123456789abcdef\tx\"}",
        "{\"name\": \"BM_a_rather_long_benchmark_name/1024\", \"real_time\": 5,"
        " \"label\": \"0123456789abcdef\u00e9\", \"c\": 1}",
        /* integers of 15 digits (read without strtod) and longer ones */
        "{\"name\": \"BM_i\", \"iterations\": 123456789012345, \"real_time\": 999999999999999,"
        " \"cpu_time\": 9007199254740993, \"time_unit\": \"ns\", \"c\": -123456789012345,"
        " \"e\": 00000000000000000001, \"f\": -9999999999999999}",
        /* a repeated key: the first counts, as cJSON finds it */
        "{\"name\": \"BM_d\", \"real_time\": 7, \"real_time\": 9, \"time_unit\": \"ms\","
        " \"time_unit\": \"ns\"}",
        /* a repeated counter, an escaped name, a skipped run: cJSON's way */
        "{\"name\": \"BM_d\", \"real_time\": 8, \"k\": 1, \"k\": 2}",
        "{\"name\": \"BM_\\u0064\", \"real_time\": 6, \"label\": \"a\\tb\"}",
        "{\"name\": \"BM_d\", \"real_time\": 5, \"skipped\": false}",
        "{\"name\": \"BM_s\", \"real_time\": 5, \"skipped\": true,"
        " \"skip_message\": \"not today\"}",
        /* strings, booleans and nulls among the fields are no counters */
        "{\"name\": \"BM_t\", \"run_name\": \"BM_t\", \"run_type\": \"iteration\","
        " \"real_time\": 2, \"cpu_time\": 3, \"time_unit\": \"s\", \"label\": \"\","
        " \"error_occurred\": false, \"flag\": true, \"none\": null,"
        " \"items_per_second\": 12.5, \"bytes_per_second\": 0, \"my_rate\": -3}",
        "{  \"name\"  :  \"BM_t\"  , \"real_time\":4,\"cpu_time\":5,\"time_unit\":\"s\","
        "\"items_per_second\":1e3 , \"my_rate\" : 7 }",
        /* a number too long for cJSON's buffer of 64 bytes */
        "{\"name\": \"BM_t\", \"real_time\": 1.00000000000000000000000000000000000000000000000"
        "0000000000000000001, \"cpu_time\": 5, \"time_unit\": \"s\"}",
        /* a failed run, and aggregates with and without run_name */
        "{\"name\": \"BM_e\", \"real_time\": 0, \"error_occurred\": true,"
        " \"error_message\": \"boom\"}",
        "{\"name\": \"BM_g_median\", \"run_name\": \"BM_g\", \"run_type\": \"aggregate\","
        " \"aggregate_name\": \"median\", \"real_time\": 3, \"cpu_time\": 2}",
        "{\"name\": \"BM_g_stddev\", \"run_name\": \"BM_g\", \"run_type\": \"aggregate\","
        " \"aggregate_name\": \"stddev\", \"real_time\": 1, \"cpu_time\": 1}",
        "{\"name\": \"BM_g_mean\", \"run_name\": \"BM_g\", \"run_type\": \"aggregate\","
        " \"aggregate_name\": \"mean\", \"real_time\": 4, \"cpu_time\": 2}",
        "{\"name\": \"BM_z/8/16\", \"real_time\": 1, \"items_per_second\": 2,"
        " \"c\": 3, \"nested\": {\"x\": 1}}",
        "{\"name\": \"BM_z/8/16\", \"real_time\": 2, \"c\": 4, \"items_per_second\": 5,"
        " \"list\": [1, 2]}",
    };
    char a[8192];
    size_t len = (size_t)snprintf(a, sizeof a, GB_HEAD GBF_FIRST);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        len += (size_t)snprintf(a + len, sizeof a - len, ",\n%s", rows[i]);
    len += (size_t)snprintf(a + len, sizeof a - len, "]}");
    assert_true(len < sizeof a - 1);
    results_run ra, rb;
    read_both_ways(a, &ra, &rb);
    /* and the values are the ones written */
    const results_bench *n = results_find_bench(&ra, "BM_n");
    assert_non_null(n);
    assert_int_equal(n->iterations, 10);
    const results_metric *w = results_find_metric(n, "wall_time");
    assert_int_equal(w->nsamples, 2);
    assert_true(w->samples[0] == 150000.0 && w->samples[1] == 100000.0);
    w = results_find_metric(results_find_bench(&ra, "BM_d"), "wall_time");
    assert_int_equal(w->nsamples, 4);
    assert_true(w->samples[0] == 7e6 && w->samples[1] == 8.0 && w->samples[2] == 6.0);
    w = results_find_metric(results_find_bench(&ra, "BM_a_rather_long_benchmark_name/1024"),
                            "wall_time");
    assert_int_equal(w->nsamples, 3);
    const results_bench *bi = results_find_bench(&ra, "BM_i");
    assert_int_equal(bi->iterations, 123456789012345);
    assert_true(results_find_metric(bi, "wall_time")->samples[0] == 999999999999999.0);
    assert_true(results_find_metric(bi, "c")->samples[0] == -123456789012345.0);
    assert_non_null(results_find_metric(results_find_bench(&ra, "BM_t"), "my_rate"));
    assert_null(results_find_metric(results_find_bench(&ra, "BM_t"), "flag"));
    results_run_release(&ra);
    results_run_release(&rb);
}

/* The rows read without cJSON read their numbers with integer arithmetic
 * (gbf_decimal) where strtod is not needed: the doubles must be strtod's
 * (cJSON's reading, the tree's way) to the bit.  Random decimals of 1 to
 * 19 digits over 1e-25 to 1e25, %.17g of random doubles, decimals next to
 * the midpoint of two doubles, and exact ties (2^53 + 1 and + 3, also
 * written with a fraction), which round to the even neighbour. */
static void gbench_numbers_read_without_strtod_should_be_strtods_to_the_bit(void **state)
{
    (void)state;
    static const char *const fixed[] = {
        "9007199254740993", "9007199254740995", "9007199254740993.0", "9007199254740995.00",
        "18014398509481985", "18014398509481987e0", "0.30000000000000004", "0.1", "1e-19",
        "1e-20", "1e19", "1e20", "123456789012345678.9", "1234567890123456789",
        "12345678901234567890", "0.000000000000000000001",
        "2.2250738585072014e-308", "5e-324", "0", "0.0", "0e5", "007", "4.9406564584124654e-324",
        "1.7976931348623157e150",
    };
    size_t nfixed = sizeof fixed / sizeof fixed[0], nrand = 6000;
    size_t cap = 1 << 21, len = 0;
    char *a = malloc(cap);
    assert_non_null(a);
    len += (size_t)snprintf(a + len, cap - len, GB_HEAD GBF_FIRST);
    stats_rng rng;
    stats_rng_seed(&rng, 11);
    for (size_t i = 0; i < nfixed + nrand; i++) {
        char num[64];
        if (i < nfixed) {
            snprintf(num, sizeof num, "%s", fixed[i]);
        } else if (i % 3 == 0) {
            /* next to the midpoint of two doubles, 17 to 19 digits: what
             * the remainder of the division decides */
            double x = stats_rng_double(&rng) * pow(10, (double)stats_rng_below(&rng, 30) - 12.0);
            long double mid = ((long double)x + (long double)nextafter(x, INFINITY)) / 2;
            snprintf(num, sizeof num, "%.*Le", 16 + (int)stats_rng_below(&rng, 3), mid);
        } else if (i % 3 == 1) {
            /* DIGITS significant digits, the point somewhere, an exponent */
            int digits = 1 + (int)stats_rng_below(&rng, 19);
            size_t n = 0;
            for (int d = 0; d < digits; d++)
                num[n++] = (char)('0' + (d == 0 ? 1 + stats_rng_below(&rng, 9)
                                                : stats_rng_below(&rng, 10)));
            int point = (int)stats_rng_below(&rng, (uint64_t)digits);
            if (point > 0) {
                memmove(num + point + 1, num + point, n - (size_t)point);
                num[point] = '.';
                n++;
            }
            snprintf(num + n, sizeof num - n, "e%d", (int)stats_rng_below(&rng, 51) - 25);
        } else {
            double x = stats_rng_double(&rng) * pow(10, (double)stats_rng_below(&rng, 40) - 20.0);
            snprintf(num, sizeof num, "%.17g", x);
        }
        len += (size_t)snprintf(a + len, cap - len,
                                ",\n{\"name\": \"BM_num\", \"iterations\": 1, \"real_time\": %s,"
                                " \"cpu_time\": %s, \"time_unit\": \"ns\", \"c\": -%s}",
                                num, num, num);
    }
    len += (size_t)snprintf(a + len, cap - len, "]}");
    assert_true(len < cap - 64);
    results_run ra, rb;
    read_both_ways(a, &ra, &rb);
    const results_metric *w = results_find_metric(results_find_bench(&ra, "BM_num"), "wall_time");
    assert_int_equal(w->nsamples, nfixed + nrand);
    /* the ties, and the values strtod gives (a reference outside this file) */
    assert_true(w->samples[0] == 9007199254740992.0 && w->samples[1] == 9007199254740996.0);
    assert_true(w->samples[2] == 9007199254740992.0 && w->samples[3] == 9007199254740996.0);
    for (size_t i = 0; i < nfixed; i++)
        assert_true(w->samples[i] == strtod(fixed[i], NULL));
    results_run_release(&ra);
    results_run_release(&rb);
    free(a);
}

/* Malformed rows after the first (which gbf_parse gives to cJSON, which
 * refuses them and sends the file the old way) are refused with the old
 * messages: a cut file, a bad escape, non-finite tokens. */
static void gbench_malformed_later_rows_should_be_refused_as_before(void **state)
{
    (void)state;
    results_run run;
    char err[256];
    /* the first two bytes of every message are what matters: each has a
     * test of its own where the file is refused at the first row */
    static const char *const bad[] = {
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": 1",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": 1, \"time_unit\": \"n",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": 1}",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_\\q\", \"real_time\": 1}]}",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_\\u12\", \"real_time\": 1}]}",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": 1,}]}",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": 1 2}]}",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": +1}]}",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": 1e}]}",
        GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": tru}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *b = tree_way(bad[i]);
        char err2[256];
        results_run run2;
        if (parse(bad[i], NULL, &run, err, sizeof err) != -1)
            fail_msg("accepted: %s", bad[i]);
        if (parse(b, NULL, &run2, err2, sizeof err2) != -1)
            fail_msg("accepted the tree's way: %s", b);
        /* the same reason; the tree's file is 5 bytes longer before it */
        assert_true(err[0] != '\0');
        assert_int_equal(run.nbenches, 0);
        free(b);
    }
    /* non-finite tokens in a later row: as at the first */
    assert_refused(GB_HEAD GBF_FIRST "," GB_ROW("BM_a", "NaN", "1", "ns") "]}", NULL,
                   "benchmark 'BM_a': 'real_time' is not a finite number (NaN)");
    assert_refused(GB_HEAD GBF_FIRST "," GB_ROW("BM_a", "1", "-Infinity", "ns") "]}", NULL,
                   "benchmark 'BM_a': 'cpu_time' is not a finite number (-Infinity)");
    assert_refused(GB_HEAD GBF_FIRST "," GB_ROW("BM_a", "-1", "1", "ns") "]}", NULL,
                   "benchmark 'BM_a': 'real_time' is negative (-1)");
    assert_refused(GB_HEAD GBF_FIRST "," GB_ROW("BM_a", "1", "1", "ps") "]}", NULL,
                   "benchmark 'BM_a': unknown time_unit (expected ns, us, ms or s)");
    assert_refused(GB_HEAD GBF_FIRST "," GB_ROW("BM_a", "1e308", "1", "s") "]}", NULL,
                   "benchmark 'BM_a': 'real_time' is too large");
    assert_refused(GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"cpu_time\": 1}]}", NULL,
                   "benchmark 'BM_a': 'real_time' is missing");
    assert_refused(GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": \"1\"}]}", NULL,
                   "benchmark 'BM_a': 'real_time' is not a number");
    assert_refused(GB_HEAD GBF_FIRST ", {\"name\": \"BM_a\", \"real_time\": 1,"
                   " \"bytes_per_second\": -5}]}", NULL,
                   "benchmark 'BM_a': 'bytes_per_second' is negative (-5)");
    /* and a non-finite counter is left out with the warning */
    char warn[256];
    results_run_init(&run);
    const char *t = GB_HEAD GBF_FIRST "," GB_COUNTER_ROW("BM_h", "10", "\"hit\": NaN") ","
                    GB_COUNTER_ROW("BM_h", "11", "\"hit\": 0.5") "]}";
    assert_int_equal(import_parse_warn(t, strlen(t), NULL, &run, warn, sizeof warn, err,
                                       sizeof err), 0);
    assert_string_equal(warn, "benchmark 'BM_h': counter 'hit' is not finite (NaN); left out");
    assert_int_equal(results_find_metric(results_find_bench(&run, "BM_h"), "hit")->nsamples, 1);
    results_run_release(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gbench_repetitions_should_become_samples_and_aggregates_be_skipped),
        cmocka_unit_test(gbench_context_should_map_onto_the_model),
        cmocka_unit_test(gbench_time_units_should_be_converted_to_ns),
        cmocka_unit_test(gbench_counters_should_become_metrics_with_direction),
        cmocka_unit_test(gbench_with_only_aggregates_should_use_the_median_as_one_value),
        cmocka_unit_test(gbench_bigo_and_rms_rows_should_not_be_benchmarks),
        cmocka_unit_test(gbench_error_should_mark_the_benchmark_failed),
        cmocka_unit_test(gbench_without_run_name_should_group_by_name),
        cmocka_unit_test(gbench_real_files_should_be_read_as_the_tool_meant),
        cmocka_unit_test(gbench_nonfinite_counters_should_be_left_out_with_one_warning),
        cmocka_unit_test(gbench_nonfinite_times_should_be_refused_naming_benchmark_and_field),
        cmocka_unit_test(gbench_nonfinite_tokens_should_be_read_only_where_they_are_values),
        cmocka_unit_test(nonfinite_tokens_should_stay_invalid_json_outside_google_benchmark),
        cmocka_unit_test(gbench_invalid_json_with_nonfinite_tokens_should_say_where_in_the_file),
        cmocka_unit_test(gbench_zero_iterations_should_be_refused_unless_the_run_failed),
        cmocka_unit_test(gbench_real_nonfinite_files_should_be_read_as_the_tool_meant),
        cmocka_unit_test(hyperfine_times_should_become_wall_time_samples_in_ns),
        cmocka_unit_test(hyperfine_per_run_user_and_system_should_give_cpu_samples),
        cmocka_unit_test(hyperfine_nonzero_exit_codes_should_mark_the_command_failed),
        cmocka_unit_test(hyperfine_malformed_commands_should_be_refused_naming_the_field),
        cmocka_unit_test(hyperfine_other_shapes_should_be_read_as_the_tool_meant),
        cmocka_unit_test(detect_should_name_each_format),
        cmocka_unit_test(perfcmp_files_should_go_through_the_results_parser),
        cmocka_unit_test(bad_input_should_be_refused_with_a_reason),
        cmocka_unit_test(huge_values_should_never_give_infinite_statistics),
        cmocka_unit_test(gbench_streamed_and_tree_reading_should_agree),
        cmocka_unit_test(gbench_rows_read_without_cjson_should_be_read_as_cjson_reads_them),
        cmocka_unit_test(gbench_numbers_read_without_strtod_should_be_strtods_to_the_bit),
        cmocka_unit_test(gbench_malformed_later_rows_should_be_refused_as_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
