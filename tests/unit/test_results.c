/*
 * test_results.c - the results model and the perfcmp-results format
 * (src/core/results.c, docs/results-format.md): builders, a write/parse
 * round trip that keeps every bit, and one test per validation error,
 * each made by changing one thing in a valid document.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <cJSON.h>
#include "core/results.h"
#include <perfcmp.h>

/* A valid file: two benchmarks, the second crashed. */
static const char base_doc[] =
    "{\n"
    "  \"schema\": \"perfcmp-results\",\n"
    "  \"version\": 1,\n"
    "  \"context\": {\n"
    "    \"timestamp\": \"2026-11-23T11:20:00Z\", \"host\": \"ci-runner-3\",\n"
    "    \"cpu_model\": \"Xeon\", \"cpu_count\": 2, \"os\": \"Linux\",\n"
    "    \"kernel\": \"6.1.0\", \"arch\": \"x86_64\", \"compiler\": \"gcc 12.2.0\",\n"
    "    \"cflags\": \"-O2 -g\", \"library_version\": \"0.1.0\",\n"
    "    \"command\": \"./bench --out=r.json\",\n"
    "    \"git\": { \"commit\": \"3f2a9c\", \"branch\": \"main\", \"dirty\": false }\n"
    "  },\n"
    "  \"benchmarks\": [\n"
    "    { \"name\": \"sort/1024\", \"family\": \"sort\", \"args\": [1024],\n"
    "      \"tags\": [\"cpu\", \"sort\"], \"status\": \"ok\", \"iterations\": 2048,\n"
    "      \"metrics\": [\n"
    "        { \"name\": \"wall_time\", \"unit\": \"ns\", \"direction\": \"lower\",\n"
    "          \"samples\": [10234.5, 10301.2, 10199.8],\n"
    "          \"summary\": { \"n\": 3, \"median\": 99 } },\n"
    "        { \"name\": \"score\", \"unit\": \"pts\", \"direction\": \"higher\",\n"
    "          \"samples\": [-1.5, 2.5] }\n"
    "      ] },\n"
    "    { \"name\": \"crash\", \"family\": \"crash\", \"args\": [], \"tags\": [],\n"
    "      \"status\": \"crashed\", \"error\": \"signal 11 (Segmentation fault)\",\n"
    "      \"iterations\": 0, \"metrics\": [] }\n"
    "  ]\n"
    "}\n";

/* BASE with the single occurrence of FROM replaced by TO (malloc'd). */
static char *edit(const char *base, const char *from, const char *to)
{
    const char *at = strstr(base, from);
    if (at == NULL)
        fail_msg("'%s' not in the document", from);
    if (strstr(at + 1, from) != NULL)
        fail_msg("'%s' occurs more than once", from);
    size_t pre = (size_t)(at - base), fl = strlen(from), tl = strlen(to);
    size_t rest = strlen(at + fl);
    char *out = malloc(pre + tl + rest + 1);
    assert_non_null(out);
    memcpy(out, base, pre);
    memcpy(out + pre, to, tl);
    memcpy(out + pre + tl, at + fl, rest + 1);
    return out;
}

/* Parses TEXT and expects it refused with exactly WANT. */
static void expect_error_len(const char *text, size_t len, const char *want)
{
    results_run run;
    char err[512];
    results_run_init(&run);
    int rc = results_parse(text, len, &run, err, sizeof err);
    if (rc != -1)
        fail_msg("accepted, expected: %s", want);
    if (strcmp(err, want) != 0)
        fail_msg("error \"%s\", expected \"%s\"", err, want);
    /* on error the run is left empty */
    assert_int_equal(run.nbenches, 0);
    assert_null(run.benches);
    assert_null(run.context.timestamp);
    assert_null(run.context.source_format);
    results_run_release(&run);
}

static void expect_error(const char *text, const char *want)
{
    expect_error_len(text, strlen(text), want);
}

/* Applies FROM -> TO to the base document and expects WANT. */
static void expect_edit_error(const char *from, const char *to, const char *want)
{
    char *doc = edit(base_doc, from, to);
    expect_error(doc, want);
    free(doc);
}

static void parse_ok(const char *text, results_run *run)
{
    char err[512];
    results_run_init(run);
    if (results_parse(text, strlen(text), run, err, sizeof err) != 0)
        fail_msg("refused: %s", err);
}

/* ---- parsing a valid file ----------------------------------------- */

/* Expected strings from Python: datetime.fromtimestamp(t, timezone.utc)
 * .strftime('%Y-%m-%dT%H:%M:%SZ'). */
static void format_time_should_give_utc_iso8601(void **state)
{
    (void)state;
    char buf[32];
    assert_int_equal(results_format_time(0, buf, sizeof buf), 0);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    assert_int_equal(results_format_time(1795000000, buf, sizeof buf), 0);
    assert_string_equal(buf, "2026-11-18T11:06:40Z");
    assert_int_equal(results_format_time(1795000000, buf, 21), 0);   /* exactly fits */
    assert_int_equal(results_format_time(1795000000, buf, 20), -1);  /* one short */
    assert_string_equal(buf, "");
    assert_int_equal(results_utc_now(buf, sizeof buf), 0);
    assert_int_equal(strlen(buf), 20);
    assert_int_equal(buf[10], 'T');
    assert_int_equal(buf[19], 'Z');
}

static void parse_should_read_every_field_of_a_valid_file(void **state)
{
    results_run run;
    parse_ok(base_doc, &run);
    assert_int_equal(run.version, 1);
    const results_context *c = &run.context;
    assert_string_equal(c->timestamp, "2026-11-23T11:20:00Z");
    assert_string_equal(c->host, "ci-runner-3");
    assert_string_equal(c->cpu_model, "Xeon");
    assert_int_equal(c->cpu_count, 2);
    assert_string_equal(c->os, "Linux");
    assert_string_equal(c->kernel, "6.1.0");
    assert_string_equal(c->arch, "x86_64");
    assert_string_equal(c->compiler, "gcc 12.2.0");
    assert_string_equal(c->cflags, "-O2 -g");
    assert_string_equal(c->library_version, "0.1.0");
    assert_string_equal(c->command, "./bench --out=r.json");
    assert_string_equal(c->git_commit, "3f2a9c");
    assert_string_equal(c->git_branch, "main");
    assert_int_equal(c->git_dirty, 0);
    /* a file without source_format came from a perfcmp bench binary */
    assert_string_equal(c->source_format, "perfcmp-results");

    assert_int_equal(run.nbenches, 2);
    const results_bench *b = &run.benches[0];
    assert_string_equal(b->name, "sort/1024");
    assert_string_equal(b->family, "sort");
    assert_int_equal(b->nargs, 1);
    assert_int_equal(b->args[0], 1024);
    assert_int_equal(b->ntags, 2);
    assert_string_equal(b->tags[0], "cpu");
    assert_string_equal(b->tags[1], "sort");
    assert_int_equal(b->status, RESULTS_OK);
    assert_null(b->error);
    assert_int_equal(b->iterations, 2048);
    assert_int_equal(b->nmetrics, 2);
    const results_metric *m = &b->metrics[0];
    assert_string_equal(m->name, "wall_time");
    assert_string_equal(m->unit, "ns");
    assert_int_equal(m->direction, RESULTS_LOWER_IS_BETTER);
    assert_int_equal(m->nsamples, 3);
    assert_true(m->samples[0] == 10234.5 && m->samples[1] == 10301.2 &&
                m->samples[2] == 10199.8);
    /* the summary is recomputed, not read ("median": 99 in the file) */
    assert_int_equal(m->summary.n, 3);
    assert_true(m->summary.median == 10234.5);
    assert_true(m->summary.min == 10199.8 && m->summary.max == 10301.2);
    /* negative values are fine for a metric with the user's own unit */
    assert_int_equal(b->metrics[1].direction, RESULTS_HIGHER_IS_BETTER);
    assert_true(b->metrics[1].samples[0] == -1.5);

    b = &run.benches[1];
    assert_int_equal(b->status, RESULTS_CRASHED);
    assert_string_equal(b->error, "signal 11 (Segmentation fault)");
    assert_int_equal(b->nmetrics, 0);
    assert_int_equal(b->nargs, 0);
    assert_int_equal(b->ntags, 0);
    results_run_release(&run);
}

static void parse_should_ignore_unknown_keys_and_accept_a_baseline_block(void **state)
{
    char *d1 = edit(base_doc, "\"version\": 1,",
                    "\"version\": 1, \"future\": [1, {\"x\": null}, \"y\"],\n"
                    "\"baseline\": { \"name\": \"default\", \"run_id\": 12,"
                    " \"saved_at\": \"2026-11-23T12:00:00Z\","
                    " \"machine\": \"Xeon | 2 cores | Linux x86_64\" },");
    char *d2 = edit(d1, "\"iterations\": 2048,", "\"iterations\": 2048, \"colour\": \"blue\",");
    char *d3 = edit(d2, "\"direction\": \"lower\",", "\"direction\": \"lower\", \"p\": {},");
    char *d4 = edit(d3, "\"cpu_count\": 2,", "\"cpu_count\": 2, \"gpu\": \"none\",");
    results_run run;
    parse_ok(d4, &run);
    assert_int_equal(run.nbenches, 2);
    assert_int_equal(run.benches[0].iterations, 2048);
    assert_int_equal(run.context.cpu_count, 2);
    results_run_release(&run);
    free(d1);
    free(d2);
    free(d3);
    free(d4);
}

static void parse_should_accept_missing_optional_fields(void **state)
{
    /* no context at all, a benchmark with only a name and metrics: the
     * family comes from the name, status is ok, no args, tags, iterations */
    const char *doc =
        "{\"schema\":\"perfcmp-results\",\"version\":1,\"benchmarks\":["
        "{\"name\":\"hash/64/8\",\"metrics\":[{\"name\":\"wall_time\",\"unit\":\"ns\","
        "\"direction\":\"lower\",\"samples\":[1]}]}]}";
    results_run run;
    parse_ok(doc, &run);
    assert_null(run.context.timestamp);
    assert_null(run.context.git_commit);
    assert_int_equal(run.context.git_dirty, -1);
    assert_int_equal(run.context.cpu_count, 0);
    assert_string_equal(run.benches[0].family, "hash");
    assert_int_equal(run.benches[0].status, RESULTS_OK);
    assert_int_equal(run.benches[0].nargs, 0);
    assert_int_equal(run.benches[0].iterations, 0);
    results_run_release(&run);

    /* null git (outside a work tree), null branch (detached), dirty unknown,
     * a stored run's source_format kept */
    char *d1 = edit(base_doc, "\"git\": { \"commit\": \"3f2a9c\", \"branch\": \"main\", \"dirty\": false }",
                    "\"git\": null, \"source_format\": \"hyperfine\"");
    parse_ok(d1, &run);
    assert_null(run.context.git_commit);
    assert_int_equal(run.context.git_dirty, -1);
    assert_string_equal(run.context.source_format, "hyperfine");
    results_run_release(&run);
    char *d2 = edit(base_doc, "\"branch\": \"main\", \"dirty\": false",
                    "\"branch\": null, \"dirty\": true");
    parse_ok(d2, &run);
    assert_null(run.context.git_branch);
    assert_int_equal(run.context.git_dirty, 1);
    results_run_release(&run);
    free(d1);
    free(d2);
}

/* ---- the context's extras ------------------------------------------ */

static void assert_extras(const results_context *c, const char *const *want, size_t n)
{
    assert_int_equal(c->extras_known, 1);
    assert_int_equal(c->nextras, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(c->extras[i], want[i]);
}

static void extras_should_survive_a_write_and_parse_in_order(void **state)
{
    static const char *const want[] = { "heap", "counters:instructions,cycles", "instr" };
    char *doc = edit(base_doc, "\"command\": \"./bench --out=r.json\",",
                     "\"command\": \"./bench --out=r.json\",\n"
                     "    \"extras\": [\"heap\", \"counters:instructions,cycles\", \"instr\"],");
    results_run run, back;
    parse_ok(doc, &run);
    assert_extras(&run.context, want, 3);
    char *json = results_to_json(&run);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"extras\":\t[\"heap\", \"counters:instructions,cycles\", \"instr\"]"));
    parse_ok(json, &back);
    assert_extras(&back.context, want, 3);
    free(json);
    free(doc);
    results_run_release(&run);
    results_run_release(&back);

    /* none ran: an empty array, which is not the same as not recorded */
    doc = edit(base_doc, "\"cpu_count\": 2,", "\"cpu_count\": 2, \"extras\": [],");
    parse_ok(doc, &run);
    assert_extras(&run.context, NULL, 0);
    json = results_to_json(&run);
    assert_non_null(strstr(json, "\"extras\":\t[]"));
    parse_ok(json, &back);
    assert_extras(&back.context, NULL, 0);
    free(json);
    free(doc);
    results_run_release(&run);
    results_run_release(&back);

    /* built with the builder */
    results_run_init(&run);
    assert_int_equal(results_context_add_extra(&run.context, "heap"), 0);
    json = results_to_json(&run);
    parse_ok(json, &back);
    assert_extras(&back.context, want, 1);
    free(json);
    results_run_release(&run);
    results_run_release(&back);
    /* release leaves them unknown */
    assert_int_equal(run.context.extras_known, 0);
    assert_null(run.context.extras);
}

static void extras_should_be_optional_in_older_files(void **state)
{
    /* base_doc has no "extras", as files before it did not: they load,
     * the extras are unknown, and writing adds no "extras" key */
    results_run run;
    parse_ok(base_doc, &run);
    assert_int_equal(run.context.extras_known, 0);
    assert_int_equal(run.context.nextras, 0);
    assert_null(run.context.extras);
    char *json = results_to_json(&run);
    assert_non_null(json);
    assert_null(strstr(json, "extras"));
    free(json);
    results_run_release(&run);

    /* null is "not recorded" too */
    char *doc = edit(base_doc, "\"cpu_count\": 2,", "\"cpu_count\": 2, \"extras\": null,");
    parse_ok(doc, &run);
    assert_int_equal(run.context.extras_known, 0);
    results_run_release(&run);
    free(doc);
}

static void extras_should_be_refused_when_not_an_array_of_names(void **state)
{
    expect_edit_error("\"cpu_count\": 2,", "\"cpu_count\": 2, \"extras\": \"heap\",",
                      "context.extras: expected an array of strings");
    expect_edit_error("\"cpu_count\": 2,", "\"cpu_count\": 2, \"extras\": {\"heap\": true},",
                      "context.extras: expected an array of strings");
    expect_edit_error("\"cpu_count\": 2,", "\"cpu_count\": 2, \"extras\": [\"heap\", \"\"],",
                      "context.extras[1]: expected a non-empty string");
    expect_edit_error("\"cpu_count\": 2,", "\"cpu_count\": 2, \"extras\": [1],",
                      "context.extras[0]: expected a non-empty string");
    expect_edit_error("\"cpu_count\": 2,", "\"cpu_count\": 2, \"extras\": [\"a\\nb\"],",
                      "context.extras[0]: contains a control character");
}

static void extras_json_helpers_should_round_trip_through_an_object(void **state)
{
    static const char *const want[] = { "heap", "counters:cycles" };
    results_context c, d;
    memset(&c, 0, sizeof c);
    memset(&d, 0, sizeof d);
    cJSON *o = cJSON_CreateObject();
    assert_non_null(o);

    /* unknown: nothing added, and reading nothing gives unknown */
    assert_int_equal(results_context_extras_to_json(&c, o), 0);
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "extras"));
    assert_int_equal(results_context_extras_from_json(o, &d), 0);
    assert_int_equal(d.extras_known, 0);

    assert_int_equal(results_context_add_extra(&c, "heap"), 0);
    assert_int_equal(results_context_add_extra(&c, "counters:cycles"), 0);
    assert_int_equal(results_context_extras_to_json(&c, o), 0);
    /* what the store would keep: text, parsed again */
    char *text = cJSON_PrintUnformatted(o);
    assert_non_null(text);
    assert_string_equal(text, "{\"extras\":[\"heap\",\"counters:cycles\"]}");
    cJSON *back = cJSON_Parse(text);
    assert_int_equal(results_context_extras_from_json(back, &d), 0);
    assert_extras(&d, want, 2);
    /* reading again replaces, not appends */
    assert_int_equal(results_context_extras_from_json(back, &d), 0);
    assert_extras(&d, want, 2);
    cJSON_Delete(back);
    cJSON_free(text);

    /* malformed: -1, and the extras are unknown */
    back = cJSON_Parse("{\"extras\":[\"heap\",7]}");
    assert_int_equal(results_context_extras_from_json(back, &d), -1);
    assert_int_equal(d.extras_known, 0);
    assert_int_equal(d.nextras, 0);
    assert_null(d.extras);
    cJSON_Delete(back);

    cJSON_Delete(o);
    for (size_t i = 0; i < c.nextras; i++)
        free(c.extras[i]);
    free(c.extras);
}

static void parse_should_accept_any_printable_utf8_in_names(void **state)
{
    /* quotes, backslashes, backticks, $(...), non-ASCII: all legal names */
    char *doc = edit(base_doc, "\"name\": \"sort/1024\"",
                     "\"name\": \"na\\u00efve \\\"q\\\" \\\\ `id` $(rm -rf /) \xe2\x98\x83 \xf0\x9f\x98\x80\"");
    results_run run;
    parse_ok(doc, &run);
    assert_string_equal(run.benches[0].name,
                        "na\xc3\xafve \"q\" \\ `id` $(rm -rf /) \xe2\x98\x83 \xf0\x9f\x98\x80");
    results_run_release(&run);
    free(doc);

    /* exactly 1024 bytes is allowed */
    char name[1025 + 16];
    memset(name, 'x', 1024);
    name[1024] = '\0';
    char quoted[1100];
    snprintf(quoted, sizeof quoted, "\"name\": \"%s\"", name);
    doc = edit(base_doc, "\"name\": \"crash\"", quoted);
    parse_ok(doc, &run);
    assert_int_equal(strlen(run.benches[1].name), 1024);
    results_run_release(&run);
    free(doc);
}

/* ---- validation errors -------------------------------------------- */

static void parse_should_refuse_wrong_schema_and_version(void **state)
{
    expect_edit_error("\"schema\": \"perfcmp-results\",\n", "",
                      "not a perfcmp-results file (missing \"schema\")");
    expect_edit_error("\"perfcmp-results\"", "\"pytest-benchmark\"",
                      "not a perfcmp-results file (schema 'pytest-benchmark')");
    expect_edit_error("\"perfcmp-results\"", "3",
                      "not a perfcmp-results file (\"schema\" is not a string)");
    expect_edit_error("\"version\": 1", "\"version\": 7",
                      "unsupported schema version 7 (this perfcmp reads versions 1 to 2)");
    expect_edit_error("\"version\": 1", "\"version\": 0",
                      "unsupported schema version 0 (this perfcmp reads versions 1 to 2)");
    expect_edit_error("\"version\": 1", "\"version\": 1.5", "version: expected an integer");
    expect_edit_error("\"version\": 1", "\"version\": \"1\"", "version: expected an integer");
    expect_edit_error("\"version\": 1,", "", "missing \"version\"");
    expect_error("[1, 2]", "not a perfcmp-results file (the top level is not an object)");
    expect_error("\"perfcmp-results\"",
                 "not a perfcmp-results file (the top level is not an object)");
}

static void parse_should_refuse_malformed_json(void **state)
{
    size_t len = strlen(base_doc);
    /* truncated: cJSON stops at the end of the text */
    results_run run;
    char err[256];
    results_run_init(&run);
    assert_int_equal(results_parse(base_doc, len - 4, &run, err, sizeof err), -1);
    unsigned long at;
    if (sscanf(err, "invalid JSON near byte %lu", &at) != 1)
        fail_msg("error \"%s\"", err);
    assert_true(at < len);
    /* truncated inside a string */
    const char *in_str = strstr(base_doc, "ci-runner");
    assert_int_equal(results_parse(base_doc, (size_t)(in_str - base_doc) + 3, &run, err,
                                   sizeof err), -1);
    assert_true(strncmp(err, "invalid JSON near byte ", 23) == 0);

    expect_error("", "empty file");
    expect_error(" \n\t\r\n", "empty file");
    expect_error("{\"schema\": NaN}", "invalid JSON near byte 11 (line 1, column 12)");
    expect_error("{\n \"schema\":\n  NaN}", "invalid JSON near byte 15 (line 3, column 3)");
    expect_error("{} {}", "invalid JSON near byte 3 (line 1, column 4): data after the end");
    /* two documents: the second starts on the line after the first ends */
    char *two = malloc(2 * len + 1);
    assert_non_null(two);
    memcpy(two, base_doc, len);
    memcpy(two + len, base_doc, len + 1);
    size_t lines = 0;
    for (const char *q = base_doc; *q; q++)
        lines += *q == '\n';
    char want[128];
    snprintf(want, sizeof want,
             "invalid JSON near byte %zu (line %zu, column 1): data after the end", len, lines + 1);
    expect_error(two, want);
    free(two);
    expect_error_len("\xff\xfe{\0\"\0", 6, "not UTF-8 (the file is UTF-16)");
    /* a raw control character in a string is not JSON (cJSON would keep it) */
    expect_error("{\"schema\": \"perf\001cmp\"}",
                 "invalid JSON near byte 16 (line 1, column 17): control character in a string");
    expect_error("{\n\"schema\":\n\"perf\tcmp\"}",
                 "invalid JSON near byte 17 (line 3, column 6): control character in a string");
    /* a raw NUL inside a string: the text is given with its length */
    expect_error_len("{\n\"a\": \"x\0y\"}", 13,
                     "invalid JSON near byte 9 (line 2, column 8): control character in a string");
    /* ... and in a name of the valid document */
    char *nul = edit(base_doc, "\"crash\", \"family\"", "\"cr@sh\", \"family\"");
    char *at_sign = strchr(nul, '@');
    *at_sign = '\0';
    results_run_init(&run);
    assert_int_equal(results_parse(nul, len, &run, err, sizeof err), -1);
    unsigned long byte, line, col;
    assert_int_equal(sscanf(err, "invalid JSON near byte %lu (line %lu, column %lu)", &byte,
                            &line, &col), 3);
    assert_int_equal(byte, (size_t)(at_sign - nul));
    assert_int_equal(line, 22);
    assert_non_null(strstr(err, "): control character in a string"));
    free(nul);
    /* \u0000 would cut a name short */
    expect_error("{\"a\": \"x\\u0000\"}",
                 "invalid JSON near byte 8 (line 1, column 9): \\u0000 in a string");
    /* "\\u0000" is an escaped backslash and the text u0000: fine */
    char *ok = edit(base_doc, "\"crash\", \"family\"", "\"cr\\\\u0000sh\", \"family\"");
    parse_ok(ok, &run);
    assert_string_equal(run.benches[1].name, "cr\\u0000sh");
    results_run_release(&run);
    free(ok);
}

static void parse_should_survive_deep_nesting(void **state)
{
    size_t depth = 100000;
    char *deep = malloc(depth + 1);
    assert_non_null(deep);
    memset(deep, '[', depth);
    deep[depth] = '\0';
    results_run run;
    char err[128];
    results_run_init(&run);
    assert_int_equal(results_parse(deep, depth, &run, err, sizeof err), -1);
    assert_true(strncmp(err, "invalid JSON near byte ", 23) == 0);
    free(deep);
}

static void parse_should_refuse_bad_context_fields(void **state)
{
    expect_edit_error("\"context\": {", "\"context\": [], \"x\": {", "context: expected an object");
    expect_edit_error("\"cpu_count\": 2", "\"cpu_count\": \"2\"",
                      "context.cpu_count: expected an integer");
    expect_edit_error("\"cpu_count\": 2", "\"cpu_count\": -4",
                      "context.cpu_count: -4 is out of range");
    expect_edit_error("\"host\": \"ci-runner-3\"", "\"host\": 3",
                      "context.host: expected a string or null");
    expect_edit_error("\"dirty\": false", "\"dirty\": \"no\"",
                      "context.git.dirty: expected true, false or null");
    expect_edit_error("\"commit\": \"3f2a9c\", ", "",
                      "context.git.commit: expected a non-empty string");
    expect_edit_error("\"git\": {", "\"git\": 1, \"x\": {",
                      "context.git: expected an object or null");
    expect_edit_error("\"ci-runner-3\"", "\"ci-\xff\"", "context.host: not valid UTF-8");
}

static void parse_should_refuse_bad_benchmark_fields(void **state)
{
    expect_edit_error("\"benchmarks\": [", "\"benchmarks\": {}, \"x\": [", "benchmarks: expected an array");
    expect_edit_error("\"benchmarks\"", "\"benches\"", "missing \"benchmarks\"");
    expect_edit_error("\"crash\", \"family\"", "\"sort/1024\", \"family\"",
                      "duplicate benchmark name 'sort/1024'");
    expect_edit_error("\"name\": \"sort/1024\"", "\"name\": \"\"",
                      "benchmarks[0].name: expected a non-empty string");
    expect_edit_error("\"name\": \"sort/1024\"", "\"name\": 1024",
                      "benchmarks[0].name: expected a non-empty string");
    expect_edit_error("\"name\": \"sort/1024\", ", "", "benchmarks[0]: missing \"name\"");
    expect_edit_error("\"name\": \"crash\"", "\"name\": \"cr\xff\xfe\"",
                      "benchmarks[1].name: not valid UTF-8");
    expect_edit_error("\"name\": \"crash\"", "\"name\": \"cr\xc0\xaf\"",
                      "benchmarks[1].name: not valid UTF-8");        /* overlong '/' */
    expect_edit_error("\"name\": \"crash\"", "\"name\": \"cr\xed\xa0\x80\"",
                      "benchmarks[1].name: not valid UTF-8");        /* a surrogate */
    expect_edit_error("\"name\": \"crash\"", "\"name\": \"cr\xf4\x90\x80\x80\"",
                      "benchmarks[1].name: not valid UTF-8");        /* past U+10FFFF */
    expect_edit_error("\"name\": \"crash\"", "\"name\": \"cr\\nsh\"",
                      "benchmarks[1].name: contains a control character");
    expect_edit_error("\"name\": \"crash\"", "\"name\": \"cr\\u007fsh\"",
                      "benchmarks[1].name: contains a control character");
    char name[1100], quoted[1200];
    memset(name, 'y', 1025);
    name[1025] = '\0';
    snprintf(quoted, sizeof quoted, "\"name\": \"%s\"", name);
    expect_edit_error("\"name\": \"crash\"", quoted, "benchmarks[1].name: longer than 1024 bytes");
    expect_edit_error("\"family\": \"sort\"", "\"family\": [\"sort\"]",
                      "benchmarks[0].family: expected a non-empty string");
    expect_edit_error("{ \"name\": \"crash\"", "7, { \"name\": \"crash\"",
                      "benchmarks[1]: expected an object");
    expect_edit_error("\"args\": [1024]", "\"args\": [1024.5]",
                      "benchmarks[0].args[0]: expected an integer");
    expect_edit_error("\"args\": [1024]", "\"args\": [1, \"1024\"]",
                      "benchmarks[0].args[1]: expected an integer");
    expect_edit_error("\"args\": [1024]", "\"args\": [1e30]",
                      "benchmarks[0].args[0]: 1e+30 is out of range");
    expect_edit_error("\"args\": [1024]", "\"args\": 1024",
                      "benchmarks[0].args: expected an array of integers");
    expect_edit_error("\"tags\": [\"cpu\", \"sort\"]", "\"tags\": [\"cpu\", 5]",
                      "benchmarks[0].tags[1]: expected a non-empty string");
    expect_edit_error("\"tags\": [\"cpu\", \"sort\"]", "\"tags\": \"cpu\"",
                      "benchmarks[0].tags: expected an array of strings");
    expect_edit_error("\"status\": \"ok\"", "\"status\": \"fine\"",
                      "benchmarks[0].status: expected \"ok\", \"failed\", \"crashed\" or \"timeout\"");
    expect_edit_error("\"error\": \"signal 11 (Segmentation fault)\"", "\"error\": 11",
                      "benchmarks[1].error: expected a string or null");
    expect_edit_error("\"iterations\": 2048", "\"iterations\": -1",
                      "benchmarks[0].iterations: -1 is out of range");
    expect_edit_error("\"iterations\": 2048", "\"iterations\": 1e300",
                      "benchmarks[0].iterations: 1e+300 is out of range");
    expect_edit_error("\"iterations\": 2048", "\"iterations\": \"2048\"",
                      "benchmarks[0].iterations: expected an integer");
    expect_edit_error("\"iterations\": 0, \"metrics\": []", "\"iterations\": 0",
                      "benchmarks[1]: missing \"metrics\"");
    expect_edit_error("\"metrics\": []", "\"metrics\": {}",
                      "benchmarks[1].metrics: expected an array");
}

static void parse_should_refuse_bad_metrics_and_samples(void **state)
{
    expect_edit_error("\"name\": \"wall_time\", ", "",
                      "benchmarks[0].metrics[0]: missing \"name\"");
    expect_edit_error("\"unit\": \"ns\", ", "", "benchmarks[0].metrics[0]: missing \"unit\"");
    expect_edit_error("\"samples\": [-1.5, 2.5]", "\"samplez\": [-1.5, 2.5]",
                      "benchmarks[0].metrics[1]: missing \"samples\"");
    char *dup = edit(base_doc, "\"name\": \"score\"", "\"name\": \"wall_time\"");
    char *dup2 = edit(dup, "[-1.5, 2.5]", "[1.5, 2.5]");
    expect_error(dup2, "benchmarks[0]: duplicate metric name 'wall_time'");
    free(dup);
    free(dup2);
    expect_edit_error("\"direction\": \"lower\"", "\"direction\": \"down\"",
                      "benchmarks[0].metrics[0].direction: expected \"lower\" or \"higher\"");
    expect_edit_error("[10234.5, 10301.2, 10199.8]", "[10234.5, 10301.2, 1e999]",
                      "benchmarks[0].metrics[0].samples[2]: expected a finite number");
    expect_edit_error("[10234.5, 10301.2, 10199.8]", "[10234.5, -1e999, 1]",
                      "benchmarks[0].metrics[0].samples[1]: expected a finite number");
    expect_edit_error("[10234.5, 10301.2, 10199.8]", "[10234.5, null, 1]",
                      "benchmarks[0].metrics[0].samples[1]: expected a finite number");
    expect_edit_error("[10234.5, 10301.2, 10199.8]", "[10234.5, \"3\", 1]",
                      "benchmarks[0].metrics[0].samples[1]: expected a finite number");
    expect_edit_error("[10234.5, 10301.2, 10199.8]", "[10234.5, -3, 1]",
                      "benchmarks[0].metrics[0].samples[1]: negative value -3 for a metric in ns");
    expect_edit_error("[10234.5, 10301.2, 10199.8]", "[]",
                      "benchmarks[0].metrics[0].samples: expected at least one sample");
    expect_edit_error("[10234.5, 10301.2, 10199.8]", "\"10234.5\"",
                      "benchmarks[0].metrics[0].samples: expected an array of numbers");
    /* bytes and throughput units are never negative either */
    expect_edit_error("\"unit\": \"pts\"", "\"unit\": \"bytes\"",
                      "benchmarks[0].metrics[1].samples[0]: negative value -1.5 for a metric in bytes");
    expect_edit_error("\"unit\": \"pts\"", "\"unit\": \"B/s\"",
                      "benchmarks[0].metrics[1].samples[0]: negative value -1.5 for a metric in B/s");
}

/* Version 2's per-process sample counts: each way they can be wrong, and
 * names the store could not keep (error paths the coverage report showed
 * untested). */
static void parse_should_refuse_bad_process_counts_and_unstorable_names(void **state)
{
    (void)state;
    static const struct { const char *procs, *want; } bad[] = {
        { "{}", "benchmarks[0].metrics[0].processes: expected an array of 1 to 3 counts" },
        { "[]", "benchmarks[0].metrics[0].processes: expected an array of 1 to 3 counts" },
        { "[1, 1, 1, 1]", "benchmarks[0].metrics[0].processes: expected an array of 1 to 3 counts" },
        { "[0, 3]", "benchmarks[0].metrics[0].processes[0]: expected a whole number of samples, "
                    "at least 1" },
        { "[2, 0.5]", "benchmarks[0].metrics[0].processes[1]: expected a whole number of samples, "
                      "at least 1" },
        { "[4]", "benchmarks[0].metrics[0].processes[0]: expected a whole number of samples, "
                 "at least 1" },
        { "[1, 1]", "benchmarks[0].metrics[0].processes: the counts do not add up to the 3 samples" },
    };
    char *v2 = edit(base_doc, "\"version\": 1", "\"version\": 2");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char to[128];
        snprintf(to, sizeof to, "[10234.5, 10301.2, 10199.8], \"processes\": %s", bad[i].procs);
        char *doc = edit(v2, "[10234.5, 10301.2, 10199.8]", to);
        expect_error(doc, bad[i].want);
        free(doc);
    }
    /* good counts are kept; version 1 files never had them */
    results_run run;
    char *doc = edit(v2, "[10234.5, 10301.2, 10199.8]",
                     "[10234.5, 10301.2, 10199.8], \"processes\": [2, 1]");
    parse_ok(doc, &run);
    assert_int_equal(run.benches[0].metrics[0].nprocesses, 2);
    assert_int_equal(run.benches[0].metrics[0].processes[0], 2);
    results_run_release(&run);
    free(doc);
    doc = edit(base_doc, "[10234.5, 10301.2, 10199.8]",
               "[10234.5, 10301.2, 10199.8], \"processes\": [1, 1]");
    parse_ok(doc, &run);
    results_run_release(&run);
    free(doc);
    free(v2);

    expect_edit_error("\"schema\": \"perfcmp-results\"", "\"schema\": \"perf\\u0001\"",
                      "not a perfcmp-results file (unknown schema)");
    expect_edit_error("\"family\": \"sort\"", "\"family\": \"so\\u0007rt\"",
                      "benchmarks[0].family: contains a control character");
    expect_edit_error("\"tags\": [\"cpu\", \"sort\"]", "\"tags\": [\"cpu\", \"\\u001b[31m\"]",
                      "benchmarks[0].tags[1]: contains a control character");
    expect_edit_error("\"unit\": \"pts\"", "\"unit\": \"p\\nts\"",
                      "benchmarks[0].metrics[1].unit: contains a control character");
}

static void parse_should_name_the_place_deep_in_a_file(void **state)
{
    /* four benchmarks; the sixth sample of the fourth is not a number */
    char doc[4096];
    size_t o = (size_t)snprintf(doc, sizeof doc,
                                "{\"schema\":\"perfcmp-results\",\"version\":1,\"benchmarks\":[");
    for (int i = 0; i < 4; i++)
        o += (size_t)snprintf(doc + o, sizeof doc - o,
                              "%s{\"name\":\"b/%d\",\"metrics\":[{\"name\":\"wall_time\","
                              "\"unit\":\"ns\",\"direction\":\"lower\",\"samples\":"
                              "[1,2,3,4,5,%s,7]}]}",
                              i ? "," : "", i, i == 3 ? "true" : "6");
    snprintf(doc + o, sizeof doc - o, "]}");
    expect_error(doc, "benchmarks[3].metrics[0].samples[5]: expected a finite number");
}

static void parse_should_cope_with_a_small_or_missing_error_buffer(void **state)
{
    results_run run;
    results_run_init(&run);
    assert_int_equal(results_parse("[]", 2, &run, NULL, 0), -1);
    char small[8];
    assert_int_equal(results_parse("[]", 2, &run, small, sizeof small), -1);
    assert_string_equal(small, "not a p");
    results_run_release(&run);
}

/* ---- writing and the round trip ------------------------------------ */

static void assert_str_same(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_true(a == b);
    else
        assert_string_equal(a, b);
}

static void assert_runs_equal(const results_run *x, const results_run *y)
{
    const results_context *a = &x->context, *b = &y->context;
    assert_str_same(a->timestamp, b->timestamp);
    assert_str_same(a->host, b->host);
    assert_str_same(a->cpu_model, b->cpu_model);
    assert_int_equal(a->cpu_count, b->cpu_count);
    assert_str_same(a->os, b->os);
    assert_str_same(a->kernel, b->kernel);
    assert_str_same(a->arch, b->arch);
    assert_str_same(a->compiler, b->compiler);
    assert_str_same(a->cflags, b->cflags);
    assert_str_same(a->library_version, b->library_version);
    assert_str_same(a->command, b->command);
    assert_str_same(a->git_commit, b->git_commit);
    assert_str_same(a->git_branch, b->git_branch);
    assert_int_equal(a->git_dirty, b->git_dirty);
    assert_str_same(a->source_format, b->source_format);
    assert_int_equal(x->nbenches, y->nbenches);
    for (size_t i = 0; i < x->nbenches; i++) {
        const results_bench *p = &x->benches[i], *q = &y->benches[i];
        assert_string_equal(p->name, q->name);
        assert_string_equal(p->family, q->family);
        assert_int_equal(p->nargs, q->nargs);
        for (size_t k = 0; k < p->nargs; k++)
            assert_true(p->args[k] == q->args[k]);
        assert_int_equal(p->ntags, q->ntags);
        for (size_t k = 0; k < p->ntags; k++)
            assert_string_equal(p->tags[k], q->tags[k]);
        assert_int_equal(p->status, q->status);
        assert_str_same(p->error, q->error);
        assert_true(p->iterations == q->iterations);
        assert_int_equal(p->nmetrics, q->nmetrics);
        for (size_t k = 0; k < p->nmetrics; k++) {
            const results_metric *m = &p->metrics[k], *n = &q->metrics[k];
            assert_string_equal(m->name, n->name);
            assert_string_equal(m->unit, n->unit);
            assert_int_equal(m->direction, n->direction);
            assert_int_equal(m->nsamples, n->nsamples);
            /* bit for bit */
            assert_memory_equal(m->samples, n->samples, m->nsamples * sizeof *m->samples);
            assert_memory_equal(&m->summary, &n->summary, sizeof m->summary);
        }
    }
}

static const double tricky[] = {
    0.30000000000000004,        /* 0.1 + 0.2: %.15g would print 0.3 */
    0.1, 1.0 / 3.0, 2.0 / 3.0, 1e-300, 4.9406564584124654e-324, DBL_MAX,
    123456789.12345679, 10234.5, 9007199254740993.0, 1e21, 0.0, 7,
};

static void build_run(results_run *run)
{
    results_run_init(run);
    results_context *c = &run->context;
    assert_int_equal(results_set_str(&c->timestamp, "2026-11-23T11:20:00Z"), 0);
    assert_int_equal(results_set_str(&c->host, "h\xc3\xb6st \"quoted\""), 0);
    assert_int_equal(results_set_str(&c->cpu_model, "Intel(R) Xeon(R) CPU @ 2.20GHz"), 0);
    c->cpu_count = 64;
    assert_int_equal(results_set_str(&c->os, "Linux"), 0);
    assert_int_equal(results_set_str(&c->kernel, "6.1.0-18-amd64"), 0);
    assert_int_equal(results_set_str(&c->arch, "x86_64"), 0);
    assert_int_equal(results_set_str(&c->compiler, "gcc 12.2.0"), 0);
    assert_int_equal(results_set_str(&c->cflags, ""), 0);
    assert_int_equal(results_set_str(&c->library_version, PERFCMP_VERSION_STRING), 0);
    assert_int_equal(results_set_str(&c->command, "./b --out='x y.json'\t\\"), 0);
    assert_int_equal(results_set_str(&c->git_commit, "0123456789abcdef0123456789abcdef01234567"), 0);
    c->git_dirty = 1;               /* detached: branch stays NULL */
    assert_int_equal(results_set_str(&c->source_format, "perfcmp-results"), 0);

    results_bench *b = results_add_bench(run, "sort/1024/-5", NULL);
    assert_non_null(b);
    static const long long args[] = { 1024, -5, LLONG_MIN, LLONG_MAX, 9007199254740992LL, 0 };
    b->args = malloc(sizeof args);
    assert_non_null(b->args);
    memcpy(b->args, args, sizeof args);
    b->nargs = sizeof args / sizeof args[0];
    b->tags = calloc(2, sizeof *b->tags);
    assert_non_null(b->tags);
    b->ntags = 2;
    assert_int_equal(results_set_str(&b->tags[0], "cpu"), 0);
    assert_int_equal(results_set_str(&b->tags[1], "\xe2\x98\x83"), 0);
    b->iterations = UINT64_MAX;
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, tricky,
                                       sizeof tricky / sizeof tricky[0]));
    double neg[] = { -1.5, -0.0, 1e-310 };
    assert_non_null(results_add_metric(b, "my counter \"x\"", "widgets", RESULTS_HIGHER_IS_BETTER,
                                       neg, 3));

    b = results_add_bench(run, "crash `id` $(reboot)", "crash");
    assert_non_null(b);
    b->status = RESULTS_TIMEOUT;
    assert_int_equal(results_set_str(&b->error, "timeout after 1.0 s\nline two"), 0);

    b = results_add_bench(run, "failed", NULL);
    assert_non_null(b);
    b->status = RESULTS_FAILED;           /* no message: written as "" */
    assert_int_equal(results_finish(run), 0);
}

static void write_then_parse_should_give_back_the_same_run(void **state)
{
    results_run run, back;
    build_run(&run);
    char *json = results_to_json(&run);
    assert_non_null(json);
    assert_true(json[strlen(json) - 1] == '\n');
    parse_ok(json, &back);
    /* the one difference: a missing error message reads back as "" */
    assert_string_equal(back.benches[2].error, "");
    free(back.benches[2].error);
    back.benches[2].error = NULL;
    assert_runs_equal(&run, &back);
    /* even the sign of zero survives */
    assert_true(signbit(back.benches[0].metrics[1].samples[1]));

    /* written again, the same text */
    assert_int_equal(results_set_str(&back.benches[2].error, NULL), 0);
    char *again = results_to_json(&back);
    assert_non_null(again);
    assert_string_equal(json, again);
    free(json);
    free(again);
    results_run_release(&run);
    results_run_release(&back);
}

static void write_should_follow_the_documented_layout(void **state)
{
    results_run run;
    build_run(&run);
    char *json = results_to_json(&run);
    assert_non_null(json);
    /* the documented keys, the integers exactly, errors only when not ok */
    const char *want[] = {
        "\"schema\":\t\"perfcmp-results\"", "\"version\":\t2,", "\"cpu_count\":\t64",
        "\"git\":\t{", "\"branch\":\tnull", "\"dirty\":\ttrue",
        "\"args\":\t[1024, -5, -9223372036854775808, 9223372036854775807, 9007199254740992, 0]",
        "\"iterations\":\t18446744073709551615", "\"status\":\t\"timeout\"",
        "\"error\":\t\"timeout after 1.0 s\\nline two\"", "\"direction\":\t\"higher\"",
        "0.30000000000000004", "\"summary\":\t{", "\"ci_low\":", "\"ci_high\":",
        "\"status\":\t\"failed\",\n\t\t\t\"error\":\t\"\"",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(json, want[i]) == NULL)
            fail_msg("'%s' not in:\n%s", want[i], json);
    /* an ok benchmark has no error key */
    const char *first = strstr(json, "\"name\":\t\"sort/1024/-5\"");
    const char *second = strstr(json, "\"name\":\t\"crash");
    assert_non_null(first);
    assert_non_null(second);
    const char *err = strstr(first, "\"error\"");
    assert_true(err == NULL || err > second);
    free(json);

    /* outside a git work tree, "git": null */
    results_set_str(&run.context.git_commit, NULL);
    json = results_to_json(&run);
    assert_non_null(strstr(json, "\"git\":\tnull"));
    free(json);
    results_run_release(&run);
}

static void write_should_replace_invalid_utf8_in_messages(void **state)
{
    results_run run, back;
    results_run_init(&run);
    results_bench *b = results_add_bench(&run, "x", NULL);
    assert_non_null(b);
    b->status = RESULTS_FAILED;
    assert_int_equal(results_set_str(&b->error, "bad \xff byte, cut \xe2\x98"), 0);
    char *json = results_to_json(&run);
    assert_non_null(json);
    parse_ok(json, &back);
    assert_string_equal(back.benches[0].error, "bad \xef\xbf\xbd byte, cut \xef\xbf\xbd\xef\xbf\xbd");
    free(json);
    results_run_release(&run);
    results_run_release(&back);
}

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_results.XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int remove_tmpdir(void **state)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.json", tmpdir);
    unlink(path);
    return rmdir(tmpdir) == 0 ? 0 : -1;
}

static void write_file_should_write_atomically_and_leave_no_temporary(void **state)
{
    results_run run, back;
    build_run(&run);
    assert_int_equal(results_set_str(&run.benches[2].error, "gave up"), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/out.json", tmpdir);
    /* an old file is replaced */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("old", f);
    fclose(f);
    assert_int_equal(results_write_file(&run, path), 0);

    f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    buf[n] = '\0';
    parse_ok(buf, &back);
    assert_runs_equal(&run, &back);
    char *json = results_to_json(&run);
    assert_string_equal(buf, json);
    free(json);
    free(buf);

    /* nothing but out.json in the directory */
    DIR *d = opendir(tmpdir);
    assert_non_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            assert_string_equal(e->d_name, "out.json");
            files++;
        }
    closedir(d);
    assert_int_equal(files, 1);
    unlink(path);

    /* a missing directory: -1 with errno */
    snprintf(path, sizeof path, "%s/no/such/dir.json", tmpdir);
    errno = 0;
    assert_int_equal(results_write_file(&run, path), -1);
    assert_int_equal(errno, ENOENT);
    results_run_release(&run);
    results_run_release(&back);
}

/* ---- the model ----------------------------------------------------- */

/* results_merge_run: a baseline merged from runs keeps each run's
 * processes; what only one side has, or failed, is left out. */
static void merge_run_should_append_processes(void **state)
{
    (void)state;
    results_run dst, src;
    results_run_init(&dst);
    results_run_init(&src);
    double d1[] = { 10, 11, 12, 13 }, s1[] = { 20, 21, 22 }, s2[] = { 30 };
    size_t dg[] = { 2, 2 };
    results_bench *b = results_add_bench(&dst, "a", NULL);
    results_metric *m = results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, d1, 4);
    assert_int_equal(results_metric_set_processes(m, dg, 2), 0);
    results_add_metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, d1, 4);
    b = results_add_bench(&dst, "only_dst", NULL);
    results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, d1, 2);
    b = results_add_bench(&dst, "failed_src", NULL);
    results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, d1, 2);

    b = results_add_bench(&src, "a", NULL);
    results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, s1, 3); /* no grouping */
    results_add_metric(b, "peak_rss", "bytes", RESULTS_LOWER_IS_BETTER, s2, 1);
    b = results_add_bench(&src, "only_src", NULL);
    results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, s1, 3);
    b = results_add_bench(&src, "failed_src", NULL);
    results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, s1, 3);
    b->status = RESULTS_CRASHED;

    assert_int_equal(results_merge_run(&dst, &src), 1);
    m = &dst.benches[0].metrics[0];
    assert_int_equal(m->nsamples, 7);
    assert_int_equal(m->nprocesses, 3);
    assert_int_equal(m->processes[0], 2);
    assert_int_equal(m->processes[1], 2);
    assert_int_equal(m->processes[2], 3);
    assert_true(m->samples[4] == 20 && m->samples[6] == 22);
    assert_true(m->summary.median == 13);        /* of 10 11 12 13 20 21 22 */
    assert_int_equal(dst.benches[0].metrics[1].nsamples, 4);   /* cpu_time: src has none */
    assert_int_equal(dst.benches[0].nmetrics, 2);              /* peak_rss not taken */
    assert_int_equal(dst.benches[1].metrics[0].nsamples, 2);
    assert_int_equal(dst.benches[2].metrics[0].nsamples, 2);
    assert_int_equal(dst.nbenches, 3);

    /* a second merge of a grouped source adds each of its groups */
    assert_int_equal(results_merge_run(&src, &dst), 1);
    m = &src.benches[0].metrics[0];
    assert_int_equal(m->nsamples, 10);
    assert_int_equal(m->nprocesses, 4);
    assert_int_equal(m->processes[0], 3);
    assert_int_equal(m->processes[3], 3);
    results_run_release(&dst);
    results_run_release(&src);
}

static void builders_should_copy_and_find(void **state)
{
    results_run run;
    results_run_init(&run);
    assert_int_equal(run.version, PERFCMP_RESULTS_VERSION);
    assert_int_equal(run.context.git_dirty, -1);
    char name[] = "matmul/64/8";
    results_bench *b = results_add_bench(&run, name, NULL);
    assert_non_null(b);
    name[0] = 'X';                       /* copied, not kept */
    assert_string_equal(b->name, "matmul/64/8");
    assert_string_equal(b->family, "matmul");
    assert_int_equal(b->status, RESULTS_OK);
    b = results_add_bench(&run, "plain", NULL);
    assert_string_equal(b->family, "plain");
    b = results_add_bench(&run, "a/b", "fam");
    assert_string_equal(b->family, "fam");
    for (int i = 0; i < 100; i++) {     /* growth keeps earlier entries */
        char n[32];
        snprintf(n, sizeof n, "g/%d", i);
        assert_non_null(results_add_bench(&run, n, NULL));
    }
    assert_int_equal(run.nbenches, 103);
    assert_string_equal(results_find_bench(&run, "matmul/64/8")->name, "matmul/64/8");
    assert_string_equal(results_find_bench(&run, "g/99")->name, "g/99");
    assert_null(results_find_bench(&run, "matmul"));

    b = results_find_bench(&run, "plain");
    double s[] = { 3, 1, 2 };
    results_metric *m = results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, s, 3);
    assert_non_null(m);
    s[0] = 100;                          /* copied */
    assert_true(m->samples[0] == 3);
    assert_true(m->summary.median == 2);
    assert_non_null(results_add_metric(b, "peak_rss", "bytes", RESULTS_LOWER_IS_BETTER, s, 1));
    assert_non_null(results_add_metric(b, "empty", "x", RESULTS_LOWER_IS_BETTER, NULL, 0));
    assert_string_equal(results_find_metric(b, "wall_time")->unit, "ns");
    assert_string_equal(results_find_metric(b, "peak_rss")->unit, "bytes");
    assert_null(results_find_metric(b, "cpu_time"));

    /* results_finish recomputes after the samples changed */
    m = results_find_metric(b, "wall_time");
    m->samples[0] = 10;
    assert_int_equal(results_finish(&run), 0);
    assert_true(m->summary.median == 2 && m->summary.max == 10);
    assert_int_equal(results_find_metric(b, "empty")->summary.n, 0);

    char *str = NULL;
    assert_int_equal(results_set_str(&str, "one"), 0);
    assert_int_equal(results_set_str(&str, "two"), 0);
    assert_string_equal(str, "two");
    assert_int_equal(results_set_str(&str, NULL), 0);
    assert_null(str);

    results_run_release(&run);
    assert_int_equal(run.nbenches, 0);
    results_run_release(&run);           /* twice is fine */
    results_run_release(NULL);
    results_run_init(NULL);
}

static void status_names_should_round_trip(void **state)
{
    const results_status all[] = { RESULTS_OK, RESULTS_FAILED, RESULTS_CRASHED, RESULTS_TIMEOUT };
    const char *names[] = { "ok", "failed", "crashed", "timeout" };
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(results_status_name(all[i]), names[i]);
        assert_int_equal(results_status_parse(names[i]), (int)all[i]);
    }
    assert_int_equal(results_status_parse("OK"), -1);
    assert_int_equal(results_status_parse(""), -1);
    assert_int_equal(results_status_parse(NULL), -1);
    assert_string_equal(results_status_name((results_status)42), "unknown");
}

static void validate_should_refuse_what_the_parser_refuses(void **st)
{
    (void)st;
    char err[256];
    results_run run;
    double v[2] = { 1, 2 };
    results_run_init(&run);
    results_bench *b = results_add_bench(&run, "sort/8", NULL);
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, v, 2));
    assert_int_equal(results_validate(&run, err, sizeof err), 0);

    /* a counter named like an existing metric */
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, v, 2));
    assert_int_equal(results_validate(&run, err, sizeof err), -1);
    assert_string_equal(err, "benchmark 'sort/8': duplicate metric name 'wall_time'");
    b->nmetrics--;
    free(b->metrics[1].name); free(b->metrics[1].unit); free(b->metrics[1].samples);

    /* bytes that are not UTF-8, then an escape character */
    assert_int_equal(results_set_str(&b->name, "sort\xff"), 0);
    assert_int_equal(results_validate(&run, err, sizeof err), -1);
    assert_string_equal(err, "benchmarks[0].name: not valid UTF-8");
    assert_int_equal(results_set_str(&b->name, "sort\x1b[31m"), 0);
    assert_int_equal(results_validate(&run, err, sizeof err), -1);
    assert_string_equal(err, "benchmarks[0].name: contains a control character");
    assert_int_equal(results_set_str(&b->name, "sort/8"), 0);

    /* two benchmarks of one name */
    results_bench *c = results_add_bench(&run, "sort/8", NULL);
    assert_non_null(c);
    assert_int_equal(results_validate(&run, err, sizeof err), -1);
    assert_string_equal(err, "duplicate benchmark name 'sort/8'");
    results_run_release(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_time_should_give_utc_iso8601),
        cmocka_unit_test(parse_should_read_every_field_of_a_valid_file),
        cmocka_unit_test(parse_should_ignore_unknown_keys_and_accept_a_baseline_block),
        cmocka_unit_test(parse_should_accept_missing_optional_fields),
        cmocka_unit_test(parse_should_accept_any_printable_utf8_in_names),
        cmocka_unit_test(extras_should_survive_a_write_and_parse_in_order),
        cmocka_unit_test(extras_should_be_optional_in_older_files),
        cmocka_unit_test(extras_should_be_refused_when_not_an_array_of_names),
        cmocka_unit_test(extras_json_helpers_should_round_trip_through_an_object),
        cmocka_unit_test(parse_should_refuse_wrong_schema_and_version),
        cmocka_unit_test(parse_should_refuse_malformed_json),
        cmocka_unit_test(parse_should_survive_deep_nesting),
        cmocka_unit_test(parse_should_refuse_bad_context_fields),
        cmocka_unit_test(parse_should_refuse_bad_benchmark_fields),
        cmocka_unit_test(parse_should_refuse_bad_metrics_and_samples),
        cmocka_unit_test(parse_should_refuse_bad_process_counts_and_unstorable_names),
        cmocka_unit_test(parse_should_name_the_place_deep_in_a_file),
        cmocka_unit_test(parse_should_cope_with_a_small_or_missing_error_buffer),
        cmocka_unit_test(write_then_parse_should_give_back_the_same_run),
        cmocka_unit_test(write_should_follow_the_documented_layout),
        cmocka_unit_test(write_should_replace_invalid_utf8_in_messages),
        cmocka_unit_test_setup_teardown(write_file_should_write_atomically_and_leave_no_temporary,
                                        make_tmpdir, remove_tmpdir),
        cmocka_unit_test(builders_should_copy_and_find),
        cmocka_unit_test(merge_run_should_append_processes),
        cmocka_unit_test(status_names_should_round_trip),
        cmocka_unit_test(validate_should_refuse_what_the_parser_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
