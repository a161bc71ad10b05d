/*
 * trend.h - one benchmark's history read from the store and analysed for
 * change points and creeping trends (changepoint.h), as `perfcmp trend`,
 * `perfcmp plot trend` and `perfcmp report` show it; and the option
 * parsing those commands and `perfcmp history` share.
 *
 * Ownership: a trend_series owns everything reachable from it; initialise
 * it with trend_series_init (allocates nothing), free its contents with
 * trend_series_release (accepts NULL).
 */
#ifndef PERFCMP_TREND_H
#define PERFCMP_TREND_H

#include <stddef.h>
#include <stdint.h>
#include "cli.h"
#include "store.h"
#include "../core/changepoint.h"

#define TREND_DEFAULT_WINDOW 100
#define TREND_DEFAULT_METRIC "wall_time"

typedef struct trend_opts {
    const char *metric;          /* not owned */
    size_t window;               /* the newest WINDOW runs (0: all) */
    const char *branch;          /* NULL: any */
    const char *machine;         /* substring of the fingerprint; NULL: any */
    changepoint_opts cp;         /* alpha, min_size, min_change, permutations, seed */
    int keep_failed_only;        /* trend_load: a window of failed runs only is not NOTFOUND */
} trend_opts;

/* Sets the defaults (metric wall_time, window 100, changepoint defaults). */
void trend_opts_init(trend_opts *o);

typedef struct trend_series {
    char *bench;
    store_point *pts;            /* the history, oldest first (failed runs too) */
    size_t npts;
    size_t *used;                /* indices into pts of the ok points analysed */
    double *values;              /* their medians (nused values) */
    size_t nused;
    changepoint *cps;            /* change points; their index is into values/used */
    size_t ncps;
    changepoint_trend trend;     /* trend test inside the segments */
    int creeping;                /* trend significant and past min_change */
    results_direction direction; /* of the newest ok point (lower when none) */
} trend_series;

void trend_series_init(trend_series *t);
void trend_series_release(trend_series *t);

/*
 * Reads BENCH's history of O->metric from S within O's window and filters
 * and, when ANALYSE, finds its change points and trend.  Returns 0;
 * STORE_NOTFOUND when there are no points at all (the benchmark or metric
 * is unknown, or the filters leave nothing) or, unless O->keep_failed_only,
 * only failed runs (which the store returns for any metric name); -1 with
 * one line in ERR on a
 * store error or ENOMEM (OUT is then released).
 */
int trend_load(store *s, const char *bench, const trend_opts *o, int analyse,
               trend_series *out, char *err, size_t errlen);

/* 1 when a relative CHANGE is in the bad direction for DIR. */
int trend_is_worse(double change, results_direction dir);

/* The median of BENCH's METRIC samples in RUN (ok benchmarks only), or NAN. */
double trend_run_median(const results_run *run, const char *bench, const char *metric);

/* TEXT for a one-line message: control characters shown as '?', cut at
 * 1024 bytes.  Returns one of 4 static buffers used in turn (so up to 4 in
 * one call); do not free. */
const char *trend_safe(const char *text);

/* The first 7 characters of COMMIT into BUF[LEN] ("-" when NULL/empty). */
const char *trend_short_commit(const char *commit, char *buf, size_t len);

/*
 * Option helpers.  trend_take_value matches ARGV[*I] against NAME taking
 * a value ("--name=V" or "--name V"; SHORT such as "-o" too when not
 * NULL): returns 1 and sets *VALUE (advancing *I), 0 when it is not that
 * option, EXIT_USAGE after printing an error when the value is missing.
 *
 * trend_parse_option consumes the analysis options shared by trend, plot
 * trend and report: --metric, --last (the history window; --window is
 * its older spelling, kept as an alias), --alpha, --min-size,
 * --min-change, --branch, --machine.
 * Returns 1 when consumed, 0 when ARGV[*I] is another option, EXIT_USAGE
 * after printing one error line on a bad value.
 */
int trend_take_value(int argc, char **argv, int *i, const char *name, const char *shortname,
                     const char **value);
int trend_parse_option(trend_opts *o, int argc, char **argv, int *i);

/* Parses a size for option OPT ("--last"); prints the error.  0 or EXIT_USAGE. */
int trend_parse_count(const char *opt, const char *text, size_t *out);

#endif
