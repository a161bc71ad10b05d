/*
 * test_report.c - the report writers on hand-built verdict reports: text
 * alignment and colour, units, JSON fields, JUnit escaping, Markdown
 * escaping, atomic file output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "cli/report.h"

static char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    assert_non_null(d);
    memcpy(d, s, n);
    return d;
}

static verdict_row *push(verdict_report *r, const char *bench, const char *metric,
                         const char *unit, verdict_kind kind, double base, double cur,
                         double lo, double hi, double p, const char *note)
{
    verdict_row *nr = realloc(r->rows, (r->nrows + 1) * sizeof *nr);
    assert_non_null(nr);
    r->rows = nr;
    r->caprows = r->nrows + 1;
    verdict_row *row = &r->rows[r->nrows++];
    memset(row, 0, sizeof *row);
    row->bench = xstrdup(bench);
    row->metric = xstrdup(metric);
    row->unit = xstrdup(unit);
    row->kind = kind;
    row->threshold = 0.2;
    row->base_median = base;
    row->cur_median = cur;
    row->n_base = isnan(base) ? 0 : 30;
    row->n_cur = isnan(cur) ? 0 : 30;
    row->ratio = (isnan(base) || isnan(cur)) ? NAN : cur / base;
    row->ci_low = lo;
    row->ci_high = hi;
    row->p = p;
    row->note = xstrdup(note);
    return row;
}

/* A report with one row of each common kind. */
static void sample_report(verdict_report *r)
{
    verdict_report_init(r);
    r->metric = xstrdup("wall_time");
    r->baseline_label = xstrdup("baseline 'default' (run 1)");
    r->current_label = xstrdup("run 2");
    push(r, "sort/1024", "wall_time", "ns", VERDICT_REGRESSED, 1000, 1500, 1.4, 1.6, 1e-9, NULL);
    push(r, "hash/a-much-longer-name", "wall_time", "ns", VERDICT_UNCHANGED, 2.5e6, 2.5e6,
         0.98, 1.02, 0.8, NULL);
    push(r, "added", "wall_time", "ns", VERDICT_NEW, NAN, 42, NAN, NAN, NAN, NULL);
    verdict_recount(r);
}

static char *render(const verdict_report *r, report_format fmt, int color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(report_write(f, r, fmt, color), 0);
    fclose(f);
    return buf;
}

static void values_should_use_adaptive_units(void **state)
{
    char b[64];
    (void)state;
    assert_string_equal(report_format_value(999, "ns", b, sizeof b), "999 ns");
    assert_string_equal(report_format_value(1234.5, "ns", b, sizeof b), "1.23 us");
    assert_string_equal(report_format_value(45.67e6, "ns", b, sizeof b), "45.7 ms");
    assert_string_equal(report_format_value(2.5e9, "ns", b, sizeof b), "2.50 s");
    assert_string_equal(report_format_value(3600e9, "ns", b, sizeof b), "3600 s");
    assert_string_equal(report_format_value(512, "bytes", b, sizeof b), "512 B");
    assert_string_equal(report_format_value(1536, "bytes", b, sizeof b), "1.50 KiB");
    assert_string_equal(report_format_value(3 * 1048576.0, "bytes", b, sizeof b), "3.00 MiB");
    assert_string_equal(report_format_value(2048, "B/s", b, sizeof b), "2.00 KiB/s");
    assert_string_equal(report_format_value(1.5e6, "items/s", b, sizeof b), "1.50M items/s");
    assert_string_equal(report_format_value(0.5, "widgets", b, sizeof b), "0.5 widgets");
    assert_string_equal(report_format_value(NAN, "ns", b, sizeof b), "-");
}

static void summary_should_leave_out_zero_counts(void **state)
{
    verdict_report r;
    char b[256];
    (void)state;
    verdict_report_init(&r);
    assert_string_equal(report_summary(&r, b, sizeof b), "nothing to compare");
    r.counts[VERDICT_REGRESSED] = 2;
    r.counts[VERDICT_IMPROVED] = 1;
    r.counts[VERDICT_UNCHANGED] = 40;
    r.counts[VERDICT_INCONCLUSIVE] = 1;
    assert_string_equal(report_summary(&r, b, sizeof b),
                        "2 regressed, 1 improved, 40 unchanged, 1 inconclusive");
}

static void text_should_align_columns_and_end_with_summary(void **state)
{
    verdict_report r;
    (void)state;
    sample_report(&r);
    char *out = render(&r, REPORT_TEXT, 0);
    assert_null(strchr(out, '\033'));
    assert_non_null(strstr(out, "comparing run 2 with baseline 'default' (run 1)"));
    /* the verdict column starts at the same offset on every table line */
    const char *lines[4] = { strstr(out, "benchmark"), strstr(out, "sort/1024"),
                             strstr(out, "hash/a-much"), strstr(out, "added") };
    const char *words[4] = { "verdict", "regressed", "unchanged", "new" };
    long col = -1;
    for (int i = 0; i < 4; i++) {
        assert_non_null(lines[i]);
        const char *w = strstr(lines[i], words[i]);
        assert_non_null(w);
        const char *eol = strchr(lines[i], '\n');
        assert_true(w < eol);
        if (col < 0)
            col = w - lines[i];
        assert_int_equal(w - lines[i], col);
    }
    /* no metric column when every row has the same metric */
    assert_null(strstr(out, "metric"));
    assert_non_null(strstr(out, "1.00 us"));
    assert_non_null(strstr(out, "1.50 us"));
    assert_non_null(strstr(out, "+50.0%"));
    assert_non_null(strstr(out, "[+40.0%, +60.0%]"));
    assert_non_null(strstr(out, "<0.001"));
    size_t n = strlen(out);
    assert_true(n > 2 && out[n - 1] == '\n');
    const char *last = out + n - 2;
    while (last > out && last[-1] != '\n')
        last--;
    assert_string_equal(last, "1 regressed, 1 unchanged, 1 new\n");
    free(out);
    verdict_report_release(&r);
}

static void text_should_colour_verdicts_only_when_asked(void **state)
{
    verdict_report r;
    (void)state;
    sample_report(&r);
    char *out = render(&r, REPORT_TEXT, 1);
    assert_non_null(strstr(out, "\033[1;31mregressed\033[0m"));
    free(out);
    verdict_report_release(&r);
}

static void text_should_show_metric_column_and_notes(void **state)
{
    verdict_report r;
    (void)state;
    sample_report(&r);
    push(&r, "sort/1024", "peak_rss", "bytes", VERDICT_UNCHANGED, 1048576, 1048576, NAN, NAN,
         NAN, "single value: threshold only");
    verdict_recount(&r);
    char *out = render(&r, REPORT_TEXT, 0);
    assert_non_null(strstr(out, "metric"));
    assert_non_null(strstr(out, "peak_rss"));
    assert_non_null(strstr(out, "1.00 MiB"));
    assert_non_null(strstr(out, "single value: threshold only"));
    free(out);
    verdict_report_release(&r);
}

static void json_should_carry_every_number(void **state)
{
    verdict_report r;
    (void)state;
    sample_report(&r);
    r.alpha = 0.05;
    r.threshold = 0.1;
    char *out = render(&r, REPORT_JSON, 0);
    cJSON *root = cJSON_Parse(out);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "schema")->valuestring, "perfcmp-compare");
    assert_float_equal(cJSON_GetObjectItem(root, "alpha")->valuedouble, 0.05, 1e-12);
    assert_float_equal(cJSON_GetObjectItem(root, "threshold")->valuedouble, 0.1, 1e-12);
    assert_int_equal(cJSON_GetObjectItem(root, "exit_status")->valueint, 1);
    cJSON *rows = cJSON_GetObjectItem(root, "results");
    assert_int_equal(cJSON_GetArraySize(rows), 3);
    cJSON *r0 = cJSON_GetArrayItem(rows, 0);
    assert_string_equal(cJSON_GetObjectItem(r0, "benchmark")->valuestring, "sort/1024");
    assert_string_equal(cJSON_GetObjectItem(r0, "verdict")->valuestring, "regressed");
    assert_string_equal(cJSON_GetObjectItem(r0, "direction")->valuestring, "lower");
    assert_string_equal(cJSON_GetObjectItem(r0, "unit")->valuestring, "ns");
    assert_float_equal(cJSON_GetObjectItem(r0, "ratio")->valuedouble, 1.5, 1e-12);
    assert_float_equal(cJSON_GetObjectItem(r0, "change")->valuedouble, 0.5, 1e-12);
    assert_float_equal(cJSON_GetObjectItem(r0, "p_value")->valuedouble, 1e-9, 1e-15);
    cJSON *ci = cJSON_GetObjectItem(r0, "ratio_ci");
    assert_int_equal(cJSON_GetArraySize(ci), 2);
    assert_float_equal(cJSON_GetArrayItem(ci, 0)->valuedouble, 1.4, 1e-12);
    cJSON *base = cJSON_GetObjectItem(r0, "baseline");
    assert_int_equal(cJSON_GetObjectItem(base, "n")->valueint, 30);
    assert_float_equal(cJSON_GetObjectItem(base, "median")->valuedouble, 1000, 1e-9);
    /* a new row: no baseline median, no p, no CI -> null, not NaN */
    cJSON *r2 = cJSON_GetArrayItem(rows, 2);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r2, "p_value")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r2, "ratio_ci")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(r2, "baseline"), "median")));
    cJSON *sum = cJSON_GetObjectItem(root, "summary");
    assert_int_equal(cJSON_GetObjectItem(sum, "regressed")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(sum, "unchanged")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(sum, "new")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(sum, "failed")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(sum, "total")->valueint, 3);
    cJSON_Delete(root);
    free(out);
    verdict_report_release(&r);
}

static void junit_should_escape_names_and_count_failures(void **state)
{
    verdict_report r;
    (void)state;
    sample_report(&r);
    push(&r, "a<b>&\"c'", "wall_time", "ns", VERDICT_FAILED, 1, NAN, NAN, NAN, NAN,
         "crashed: signal 11\x01");
    push(&r, "noisy", "wall_time", "ns", VERDICT_INCONCLUSIVE, 100, 130, 0.9, 1.6, 0.2, NULL);
    verdict_recount(&r);
    char *out = render(&r, REPORT_JUNIT, 0);
    assert_non_null(strstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert_non_null(strstr(out, "tests=\"5\" failures=\"2\" errors=\"0\" skipped=\"1\""));
    assert_non_null(strstr(out, "name=\"a&lt;b&gt;&amp;&quot;c&apos;\""));
    assert_null(strstr(out, "a<b"));
    assert_null(strchr(out, '\x01'));
    assert_non_null(strstr(out, "<failure type=\"regressed\""));
    assert_non_null(strstr(out, "<failure type=\"failed\""));
    assert_non_null(strstr(out, "<skipped message=\"inconclusive"));
    assert_non_null(strstr(out, "classname=\"perfcmp.wall_time\" name=\"sort/1024\""));
    free(out);
    verdict_report_release(&r);
}

static void markdown_should_escape_table_characters(void **state)
{
    verdict_report r;
    (void)state;
    sample_report(&r);
    push(&r, "pipe|name_*x*", "wall_time", "ns", VERDICT_UNCHANGED, 10, 10, 0.9, 1.1, 0.9, NULL);
    verdict_recount(&r);
    char *out = render(&r, REPORT_MARKDOWN, 0);
    assert_non_null(strstr(out, "**perfcmp: 1 regressed, 2 unchanged, 1 new**"));
    assert_non_null(strstr(out, "| Benchmark | Baseline | Current | Change | 95% CI | p | Verdict |"));
    assert_non_null(strstr(out, "pipe\\|name\\_\\*x\\*"));
    assert_non_null(strstr(out, "| **regressed** |"));
    /* header + separator + 4 rows */
    int rows = 0;
    for (const char *p = out; (p = strstr(p, "\n|")) != NULL; p++)
        rows++;
    assert_int_equal(rows, 6);
    free(out);
    verdict_report_release(&r);
}

static void write_file_should_replace_atomically(void **state)
{
    verdict_report r;
    char dir[] = "/tmp/perfcmp-report-XXXXXX", path[128], bad[160];
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.json", dir);
    sample_report(&r);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("old", f);
    fclose(f);
    assert_int_equal(report_write_file(path, &r, REPORT_JSON), 0);
    char *want = render(&r, REPORT_JSON, 0);
    f = fopen(path, "r");
    assert_non_null(f);
    char got[16384];
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    assert_string_equal(got, want);
    free(want);
    /* a directory that does not exist: fails, leaves nothing behind */
    snprintf(bad, sizeof bad, "%s/missing/out.json", dir);
    assert_int_equal(report_write_file(bad, &r, REPORT_JSON), -1);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            entries++;
    closedir(d);
    assert_int_equal(entries, 1);
    unlink(path);
    rmdir(dir);
    verdict_report_release(&r);
}

static void formats_should_parse_by_name(void **state)
{
    report_format f;
    (void)state;
    assert_int_equal(report_format_parse("json", &f), 0);
    assert_int_equal(f, REPORT_JSON);
    assert_int_equal(report_format_parse("junit", &f), 0);
    assert_int_equal(f, REPORT_JUNIT);
    assert_int_equal(report_format_parse("markdown", &f), 0);
    assert_int_equal(f, REPORT_MARKDOWN);
    assert_int_equal(report_format_parse("text", &f), 0);
    assert_int_equal(f, REPORT_TEXT);
    assert_int_equal(report_format_parse("xml", &f), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_should_use_adaptive_units),
        cmocka_unit_test(summary_should_leave_out_zero_counts),
        cmocka_unit_test(text_should_align_columns_and_end_with_summary),
        cmocka_unit_test(text_should_colour_verdicts_only_when_asked),
        cmocka_unit_test(text_should_show_metric_column_and_notes),
        cmocka_unit_test(json_should_carry_every_number),
        cmocka_unit_test(junit_should_escape_names_and_count_failures),
        cmocka_unit_test(markdown_should_escape_table_characters),
        cmocka_unit_test(write_file_should_replace_atomically),
        cmocka_unit_test(formats_should_parse_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
