/*
 * fuzz_common.h - checks shared by the libFuzzer targets of tests/fuzz/.
 *
 * A target feeds the fuzzer's bytes to one parser.  Beyond "does not crash,
 * leak or hit undefined behaviour" (the sanitizers' job), each checks the
 * parser's contract: on failure a non-empty reason and an empty
 * run; on success a run that serialises and parses back to the same shape.
 * A broken contract calls fuzz_fail(), which aborts so that libFuzzer
 * keeps the input as a crash.
 */
#ifndef PERFCMP_FUZZ_COMMON_H
#define PERFCMP_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/results.h"

static inline void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz contract broken: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    abort();
}

/* The fuzzer's bytes as a NUL-terminated string, like an argv string
 * (malloc'd, the caller frees it); NULL when out of memory. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

/* ERR after a failed parse: non-empty and NUL-terminated within ERRLEN. */
static inline void fuzz_check_reason(const char *err, size_t errlen)
{
    if (memchr(err, '\0', errlen) == NULL)
        fuzz_fail("reason is not NUL-terminated", NULL);
    if (err[0] == '\0')
        fuzz_fail("failure without a reason", NULL);
    /* A reason may quote the input, newlines included: cli_error() turns
     * control characters into '?', which keeps the message on one line
     * (tests/cli/bad_inputs.bats checks that end to end). */
}

static inline void fuzz_check_empty(const results_run *run)
{
    if (run->nbenches != 0 || run->benches != NULL)
        fuzz_fail("run not left empty after a failed parse", NULL);
}

/* 1 if S is valid UTF-8 (no overlong forms, surrogates or values past
 * U+10FFFF): every accepted name must be. */
static inline int fuzz_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p++;
        int n;
        unsigned min, cp;
        if (c < 0x80)
            continue;
        if ((c & 0xe0) == 0xc0) { n = 1; min = 0x80; cp = c & 0x1f; }
        else if ((c & 0xf0) == 0xe0) { n = 2; min = 0x800; cp = c & 0x0f; }
        else if ((c & 0xf8) == 0xf0) { n = 3; min = 0x10000; cp = c & 0x07; }
        else return 0;
        for (int i = 0; i < n; i++) {
            if ((*p & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (*p++ & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
    }
    return 1;
}

/*
 * A run that was accepted must be writable and must read back: the same
 * benchmarks, in order, with the same number of metrics and samples.
 */
static inline void fuzz_check_roundtrip(const results_run *run)
{
    char err[512] = "";
    for (size_t i = 0; i < run->nbenches; i++) {
        if (!fuzz_utf8_valid(run->benches[i].name))
            fuzz_fail("accepted a name that is not UTF-8", NULL);
        for (size_t m = 0; m < run->benches[i].nmetrics; m++)
            if (!fuzz_utf8_valid(run->benches[i].metrics[m].name))
                fuzz_fail("accepted a metric name that is not UTF-8", NULL);
    }
    char *json = results_to_json(run);
    if (!json)
        fuzz_fail("results_to_json failed on an accepted run", NULL);
    results_run back;
    results_run_init(&back);
    if (results_parse(json, strlen(json), &back, err, sizeof err) != 0)
        fuzz_fail("own output does not parse back", err);
    if (back.nbenches != run->nbenches)
        fuzz_fail("round trip changed the number of benchmarks", NULL);
    for (size_t i = 0; i < run->nbenches; i++) {
        const results_bench *a = &run->benches[i], *b = &back.benches[i];
        if (strcmp(a->name, b->name) != 0)
            fuzz_fail("round trip changed a benchmark name", a->name);
        if (a->nmetrics != b->nmetrics || a->status != b->status)
            fuzz_fail("round trip changed a benchmark", a->name);
        for (size_t m = 0; m < a->nmetrics; m++)
            if (a->metrics[m].nsamples != b->metrics[m].nsamples)
                fuzz_fail("round trip changed a sample count", a->name);
    }
    results_run_release(&back);
    free(json);
}

/*
 * The whole contract after a parser returned RC into RUN with reason ERR
 * (ERRLEN bytes, filled with 'x' before the call): success gives a run
 * that round-trips (and, when IMPORTED, names its source format), failure
 * a reason and an empty run.
 */
static inline void fuzz_check_outcome(int rc, const results_run *run, const char *err,
                                      size_t errlen, int imported)
{
    if (rc == 0) {
        if (imported && !run->context.source_format)
            fuzz_fail("accepted run without a source format", NULL);
        fuzz_check_roundtrip(run);
    } else {
        fuzz_check_reason(err, errlen);
        fuzz_check_empty(run);
    }
}

#endif
