/*
 * fuzz_import.h - the harness shared by the import_* libFuzzer targets:
 * one import_parse of the fuzzer's bytes in FORMAT (NULL: detected from
 * the content), checked against the parser's contract (fuzz_common.h).
 */
#ifndef PERFCMP_FUZZ_IMPORT_H
#define PERFCMP_FUZZ_IMPORT_H

#include "fuzz_common.h"
#include "cli/import.h"

#include <stdint.h>

static inline void fuzz_import(const uint8_t *data, size_t size, const char *format)
{
    char err[256];
    results_run run;
    results_run_init(&run);
    memset(err, 'x', sizeof err);
    int rc = import_parse((const char *)data, size, format, &run, err, sizeof err);
    fuzz_check_outcome(rc, &run, err, sizeof err, 1);
    results_run_release(&run);
}

#endif
