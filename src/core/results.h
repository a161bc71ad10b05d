/*
 * results.h - the in-memory model of one run of benchmarks, and the
 * perfcmp-results JSON file format (docs/results-format.md) that carries it.
 *
 * Ownership: a results_run owns everything reachable from it (all strings
 * and arrays are heap copies).  Initialise with results_run_init(), free
 * the contents with results_run_release(); both accept NULL.  Builders
 * (results_add_bench, results_add_metric) copy the strings they are given.
 *
 * The library (bench binaries) builds a run and writes it; the CLI reads
 * files (and importers for foreign formats fill the same model), and the
 * store saves and loads it.
 */
#ifndef PERFCMP_RESULTS_H
#define PERFCMP_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "stats.h"

typedef enum results_direction {
    RESULTS_LOWER_IS_BETTER = 0,
    RESULTS_HIGHER_IS_BETTER = 1
} results_direction;

typedef enum results_status {
    RESULTS_OK = 0,
    RESULTS_FAILED,      /* perfcmp_fail() or a library error */
    RESULTS_CRASHED,     /* killed by a signal or exited early */
    RESULTS_TIMEOUT      /* exceeded its timeout */
} results_status;

/* One metric of one benchmark: raw samples and their summary. */
typedef struct results_metric {
    char *name;                  /* "wall_time", "cpu_time", "peak_rss", "bytes_per_second", ... */
    char *unit;                  /* "ns", "bytes", "B/s", "items/s", or the user's */
    results_direction direction;
    double *samples;             /* nsamples raw values (for a single value, nsamples == 1) */
    size_t nsamples;
    size_t *processes;           /* samples of each process, in order: samples[0..processes[0]-1]
                                    came from the first process, and so on; they add up to
                                    nsamples.  NULL / 0 when not known (one process, a version 1
                                    file, an imported format, a single value) */
    size_t nprocesses;
    stats_summary summary;       /* computed from samples by results_finish() */
} results_metric;

typedef struct results_bench {
    char *name;                  /* full instance name, "sort/1024" */
    char *family;                /* "sort" */
    long long *args;             /* nargs arguments */
    size_t nargs;
    char **tags;                 /* ntags words */
    size_t ntags;
    results_status status;
    char *error;                 /* NULL when ok: "signal 11 (Segmentation fault)", "timeout after 1.0 s" */
    uint64_t iterations;         /* iterations per sample; 0 when unknown (imported) */
    results_metric *metrics;
    size_t nmetrics;
} results_bench;

typedef struct results_context {
    char *timestamp;             /* UTC, ISO 8601 "2026-11-23T11:20:00Z" */
    char *host;
    char *cpu_model;
    int cpu_count;
    char *os;                    /* "Linux" */
    char *kernel;                /* uname release */
    char *arch;                  /* "x86_64" */
    char *compiler;              /* "gcc 12.2.0" */
    char *cflags;
    char *library_version;
    char *command;               /* the bench binary's command line */
    char *binary_id;             /* a hash of the bench binary's file ("fnv1a64:0123abcd..."):
                                    runs with equal ids ran the same code; NULL when not known */
    char *git_commit;            /* NULL outside a git work tree */
    char *git_branch;
    int git_dirty;               /* -1 unknown, 0 clean, 1 dirty */
    char *source_format;         /* "perfcmp-results", "google-benchmark", "hyperfine" */
    char **extras;               /* what the bench binary measured besides time, in its
                                    order: "heap", "counters:instructions,cycles", "instr" */
    size_t nextras;
    int extras_known;            /* 0: not recorded (older files, other formats); 1: extras
                                    lists everything (possibly nothing) */
} results_context;

typedef struct results_run {
    int version;                 /* schema version of the file it came from */
    results_context context;
    results_bench *benches;
    size_t nbenches;
} results_run;

void results_run_init(results_run *run);
void results_run_release(results_run *run);

/* Appends a benchmark named NAME (copied) and returns it, or NULL on ENOMEM.
 * FAMILY may be NULL (then the part of NAME before the first '/').
 * The returned pointer is valid until the next results_add_bench. */
results_bench *results_add_bench(results_run *run, const char *name, const char *family);

/* Appends a metric with NSAMPLES samples (copied) and returns it, or NULL
 * on ENOMEM.  Valid until the next results_add_metric on the same bench. */
results_metric *results_add_metric(results_bench *b, const char *name, const char *unit,
                                   results_direction dir, const double *samples,
                                   size_t nsamples);

/*
 * Sets M's grouping of samples by process to COUNTS[N] (copied); N 0
 * clears it.  Returns 0, or -1 with errno EINVAL when a count is 0 or the
 * counts do not add up to M->nsamples, ENOMEM when out of memory (M is
 * unchanged on error).
 */
int results_metric_set_processes(results_metric *m, const size_t *counts, size_t n);

/*
 * Appends SAMPLES[N] (N >= 1, copied) to M as the samples of one more
 * process and recomputes M's summary.  When M has samples but no
 * grouping, those become the first process.  Returns 0, or -1 on ENOMEM
 * (M unchanged).
 */
int results_metric_append_process(results_metric *m, const double *samples, size_t n);

/*
 * Merges the measurements of SRC into DST, for a baseline made of several
 * runs: every ok benchmark of DST that SRC also has ok gets, for each of
 * its metrics that SRC's benchmark has too, SRC's samples appended
 * process by process (a metric without a grouping counts as one process),
 * and its summary recomputed.  Benchmarks and metrics only in SRC, and
 * failed ones on either side, are left out; DST's context stays.  Returns
 * the number of DST's benchmarks that took samples from SRC, or -1 on
 * ENOMEM (DST is then partly merged: the caller releases it).
 */
long results_merge_run(results_run *dst, const results_run *src);

/* The number of processes M's samples came from: nprocesses, or 1 when
 * the grouping is not known and there are samples. */
size_t results_metric_process_count(const results_metric *m);

/* Finds a metric by name; NULL if absent. */
results_metric *results_find_metric(const results_bench *b, const char *name);
/* Finds a benchmark by full name; NULL if absent. */
results_bench *results_find_bench(const results_run *run, const char *name);

/* Copies STR into *DST (freeing the old value); STR may be NULL.  Returns 0, -1 on ENOMEM. */
int results_set_str(char **dst, const char *str);

/* T as a timestamp of the format, UTC ISO 8601 ("2026-11-23T11:20:00Z"),
 * into BUF[LEN] (LEN 21 or more holds it).  Returns 0, or -1 with BUF ""
 * when T is out of range or LEN too small.  results_utc_now: the same for
 * the current time. */
int results_format_time(time_t t, char *buf, size_t len);
int results_utc_now(char *buf, size_t len);

/*
 * Appends EXTRA (copied) to C's extras and marks them known.  Returns 0,
 * -1 on ENOMEM (C unchanged).
 */
int results_context_add_extra(results_context *c, const char *extra);

/*
 * The context's "extras" for other writers and readers of a context as
 * JSON (the store keeps the context as a JSON object):
 *
 * results_context_extras_to_json adds C's extras to the cJSON object OBJ
 * as "extras" (an array of strings) when C->extras_known, and nothing
 * otherwise.  Returns 0, or -1 on ENOMEM (OBJ then unchanged).
 *
 * results_context_extras_from_json reads OBJ's "extras" into C, replacing
 * C's extras: absent or null leaves them unknown.  Returns 0, or -1 when
 * it is not an array of names as results_parse() accepts them or on
 * ENOMEM (C's extras then unknown and empty).
 */
struct cJSON;
int results_context_extras_to_json(const results_context *c, struct cJSON *obj);
int results_context_extras_from_json(const struct cJSON *obj, results_context *c);

/* Recomputes every metric's summary from its samples.  Returns 0, -1 on ENOMEM. */
int results_finish(results_run *run);

/* Status names as in the file: "ok", "failed", "crashed", "timeout".
 * results_status_parse returns -1 for an unknown name. */
const char *results_status_name(results_status s);
int results_status_parse(const char *name);

/*
 * Checks the strings of RUN as results_parse() checks those of a file:
 * benchmark, family, tag, metric and unit names valid UTF-8 without
 * control characters and at most 1024 bytes; benchmark, family, tag and
 * metric names not empty; benchmark names unique, metric names unique
 * within a benchmark.  Importers of foreign formats call it so that every
 * stored run can be written to a baseline file and read back.  Returns 0,
 * or -1 with a one-line reason naming the place in ERR[ERRLEN].
 */
int results_validate(const results_run *run, char *err, size_t errlen);

/*
 * Serialises RUN as perfcmp-results JSON (schema version
 * PERFCMP_RESULTS_VERSION).  Returns a malloc'd NUL-terminated string the
 * caller frees, or NULL on ENOMEM.
 */
char *results_to_json(const results_run *run);

/* Writes results_to_json(RUN) to PATH atomically (temporary file, then
 * rename).  Returns 0, or -1 with errno set. */
int results_write_file(const results_run *run, const char *path);

/*
 * Parses perfcmp-results JSON TEXT (LEN bytes, need not be NUL-terminated)
 * into RUN, which must be initialised and empty.  Validates every field:
 * types, schema name and version, finite non-negative times, unique
 * benchmark names.  Returns 0, or -1 with a one-line reason (no file name,
 * no trailing newline) in ERR[ERRLEN]; RUN is then released (empty).
 */
int results_parse(const char *text, size_t len, results_run *run, char *err, size_t errlen);

#endif
