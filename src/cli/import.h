/*
 * import.h - reading result files of every supported format into the
 * results model: perfcmp-results JSON (our own), Google Benchmark JSON
 * (--benchmark_out_format=json), hyperfine JSON (--export-json).
 */
#ifndef PERFCMP_IMPORT_H
#define PERFCMP_IMPORT_H

#include <stddef.h>
#include "../core/results.h"

/* Format names accepted by --format. */
#define IMPORT_FORMAT_PERFCMP "perfcmp"
#define IMPORT_FORMAT_GBENCH "google-benchmark"
#define IMPORT_FORMAT_HYPERFINE "hyperfine"

/*
 * Detects the format of TEXT (LEN bytes) from its content; returns one of
 * the IMPORT_FORMAT_* names, or NULL when it is none of them.
 */
const char *import_detect(const char *text, size_t len);

/*
 * Parses TEXT as FORMAT (NULL or "auto": detect) into RUN (initialised,
 * empty), sets run->context.source_format and computes the summaries.
 * Returns 0, or -1 with a one-line reason in ERR[ERRLEN] (RUN is then
 * empty): unknown format, malformed JSON, a field of the wrong type, a
 * non-finite or negative time, ...
 */
int import_parse(const char *text, size_t len, const char *format, results_run *run,
                 char *err, size_t errlen);

/*
 * import_parse, and on success a one-line warning in WARN[WARNLEN] when
 * the file was read but something of it was left out (Google Benchmark
 * counter values that are NaN or infinite), else WARN empty; on failure
 * WARN is empty too.  WARN may be NULL: import_parse is this without it.
 */
int import_parse_warn(const char *text, size_t len, const char *format, results_run *run,
                      char *warn, size_t warnlen, char *err, size_t errlen);

#endif
