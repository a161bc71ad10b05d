/*
 * verdict.h - the verdict engine: compares a current run with a baseline
 * run, benchmark by benchmark and metric by metric, and says for each
 * whether it regressed, improved, stayed unchanged, is inconclusive, is
 * new, missing or failed (docs/verdicts.md explains how).
 *
 * The engine is pure: it reads two results_run values and fills a
 * verdict_report; it prints nothing and touches no store.  The commands
 * (cmd_compare.c, cmd_run.c) load the runs and hand the report to the
 * writers in report.h.
 *
 * Ownership: verdict_options holds heap copies of its glob rules
 * (verdict_options_init / verdict_options_release).  A verdict_report
 * owns every string and array reachable from it; initialise it with
 * verdict_report_init and free its contents with verdict_report_release
 * (both accept NULL).
 */
#ifndef PERFCMP_VERDICT_H
#define PERFCMP_VERDICT_H

#include <stddef.h>
#include <stdint.h>
#include "../core/results.h"

/* Defaults of `perfcmp compare`. */
#define VERDICT_DEFAULT_THRESHOLD 0.20
#define VERDICT_DEFAULT_ALPHA 0.01
#define VERDICT_DEFAULT_METRIC "wall_time"
#define VERDICT_RESAMPLES 2000u
#define VERDICT_CI_LEVEL 0.95
/* Run-to-run noise from history (verdict_apply_noise): the last
 * VERDICT_NOISE_RUNS runs on the machine, at least VERDICT_NOISE_MIN_RUNS
 * of them, and a change must exceed VERDICT_NOISE_Z times their spread. */
#define VERDICT_NOISE_RUNS 30u
#define VERDICT_NOISE_MIN_RUNS 6u
#define VERDICT_NOISE_Z 3.0
/* Base seed of the bootstrap; each row mixes in a hash of its benchmark
 * and metric names, so output is reproducible and rows are independent. */
#define VERDICT_SEED UINT64_C(0x70657266636d7031) /* "perfcmp1" */

typedef enum verdict_kind {
    VERDICT_FAILED = 0,     /* crashed / timed out / failed in the current run */
    VERDICT_REGRESSED,      /* past the threshold, worse, significant */
    VERDICT_IMPROVED,       /* past the threshold, better, significant */
    VERDICT_INCONCLUSIVE,   /* past the threshold but not significant */
    VERDICT_UNCHANGED,      /* within the threshold (or a significant change smaller than it) */
    VERDICT_NEW,            /* only in the current run */
    VERDICT_MISSING,        /* only in the baseline */
    VERDICT_NKINDS
} verdict_kind;

/* "failed", "regressed", ... (static storage). */
const char *verdict_kind_name(verdict_kind k);

/* A per-benchmark threshold: benchmarks whose name matches GLOB
 * (fnmatch(3), no flags) use FRACTION; the last matching rule wins. */
typedef struct verdict_rule {
    char *glob;
    double fraction;
} verdict_rule;

/* A per-metric threshold from --metric-threshold NAME=PCT. */
typedef struct verdict_metric_rule {
    char *metric;
    double fraction;
} verdict_metric_rule;

/* The metric name of the rows that judge a family's complexity class. */
#define VERDICT_COMPLEXITY_METRIC "complexity"

typedef struct verdict_options {
    double threshold;           /* default threshold, a fraction (0.20 = 20%) */
    verdict_rule *rules;
    size_t nrules;
    const char *metric;         /* metric name or "all"; not owned */
    double alpha;               /* significance level of the Mann-Whitney U test */
    int fail_on_improvement;    /* exit status 1 on improvements too */
    int require_ci;             /* significance also needs the ratio's CI to exclude 1 (default 1) */
    unsigned resamples;         /* bootstrap resamples */
    uint64_t seed;
    verdict_metric_rule *mrules; /* --metric-threshold, the last one for a metric wins */
    size_t nmrules;
    int no_complexity;          /* no complexity rows */
    size_t noise_runs;          /* history depth for the run-to-run noise (0: off) */
} verdict_options;

/* Sets the defaults above; allocates nothing. */
void verdict_options_init(verdict_options *o);
/* Frees the rules; accepts NULL. */
void verdict_options_release(verdict_options *o);

/*
 * Parses a percentage "20", "20%", "2.5%" into a fraction (0.2): a finite
 * number >= 0 without a sign, then an optional '%'; the one rule for every
 * percentage option (--threshold, --metric-threshold, --min-change, ...).
 * Returns 0, or -1 with *FRACTION untouched.
 */
int verdict_parse_percent(const char *text, double *fraction);

/*
 * Parses a --threshold value: "PCT" sets the default threshold, "GLOB:PCT"
 * (split at the last ':') appends a rule.  PCT is as verdict_parse_percent:
 * "20", "20%", "2.5%".  Returns 0, -1 when TEXT is invalid (an empty glob,
 * a percentage that is not a finite number >= 0) and -2 on ENOMEM; O is
 * unchanged on error.
 */
int verdict_options_add_threshold(verdict_options *o, const char *text);

/* Parses an --alpha value: a number strictly between 0 and 1.  0 or -1. */
int verdict_parse_alpha(const char *text, double *alpha);

/* The threshold that applies to benchmark NAME under O. */
double verdict_threshold_for(const verdict_options *o, const char *name);

/*
 * The default of a metric with a threshold of its own (docs/metrics.md):
 * returns 1 and sets *FRACTION (INFINITY: reported, not judged) and
 * *FLOOR (an absolute change, in the metric's unit, below which no
 * change counts; 0 for none), or returns 0 when METRIC has none and the
 * --threshold rules apply.  instructions and hw_instructions 1%; allocs
 * 0% but at least half an allocation per iteration; alloc_bytes 1%, at
 * least 1 byte; peak_heap 10%, at least 64 bytes; leaked_bytes 10%, at
 * least 1 byte (from 0 any leak of a byte per iteration is a
 * regression); success_rate 1%; CPU event counts other than
 * instructions, latency_max, ops_total and duration are not judged.
 */
int verdict_metric_default(const char *metric, double *fraction, double *floor);

/*
 * Parses a --metric-threshold value "NAME=PCT" (PCT as for --threshold)
 * and appends it to O.  Returns 0, -1 when TEXT is invalid (no '=', an
 * empty name, a bad percentage) and -2 on ENOMEM; O is unchanged on error.
 */
int verdict_options_add_metric_threshold(verdict_options *o, const char *text);

/*
 * The threshold for metric METRIC of benchmark BENCH under O: a
 * --metric-threshold for METRIC, else METRIC's default, else
 * verdict_threshold_for(O, BENCH).  Sets *FLOOR (may be NULL) to the
 * metric's absolute floor (0 when none).
 */
double verdict_threshold_for_metric(const verdict_options *o, const char *bench,
                                    const char *metric, double *floor);

/* One row: one benchmark and one metric. */
typedef struct verdict_row {
    char *bench;
    char *metric;               /* NULL for a failed benchmark with no metric selected */
    char *unit;                 /* may be NULL */
    results_direction direction;
    verdict_kind kind;
    double threshold;           /* fraction that applied */
    size_t n_base, n_cur;       /* sample counts (0 on the absent side) */
    double base_median, cur_median; /* NAN on the absent side */
    double ratio;               /* cur / base; NAN when not computable, INFINITY when base is 0 */
    double ci_low, ci_high;     /* 95% bootstrap CI of the ratio; NAN when not computed */
    double p;                   /* Mann-Whitney U two-sided p; NAN when not computed */
    size_t k_base, k_cur;       /* processes of each side when judged with the process as
                                   the unit (verdict_judge_metrics), else 0 */
    int threshold_only;         /* 1: a side had a single value, judged on the threshold alone */
    unsigned reruns;            /* re-runs that judged this row (perfcmp run --confirm) */
    char *note;                 /* extra words for the reader, or NULL */
} verdict_row;

typedef struct verdict_report {
    verdict_row *rows;
    size_t nrows, caprows;
    size_t counts[VERDICT_NKINDS];
    int exit_status;            /* 0 or 1, see verdict_recount */
    /* Copied from the options for the writers. */
    double threshold, alpha;
    int fail_on_improvement;
    char *metric;               /* "wall_time", "all", ... */
    /* Set by the caller for the writers (heap strings, may stay NULL). */
    char *baseline_label;       /* "baseline 'default' (run 3)", a file path, "run 4" */
    char *current_label;        /* "run 5", a file path */
    char *baseline_machine, *current_machine;
    int machines_differ;
} verdict_report;

void verdict_report_init(verdict_report *r);
void verdict_report_release(verdict_report *r);

/*
 * Returns 1 if metric NAME occurs in some benchmark of RUN (NAME "all":
 * always 1), else 0.
 */
int verdict_run_has_metric(const results_run *run, const char *name);

/* At most this many threads judge the rows of a compare. */
#define VERDICT_MAX_THREADS 16u

/*
 * How many threads verdict_compare judges rows on: PERFCMP_THREADS when
 * set to a number >= 1, else the online processors; at most
 * VERDICT_MAX_THREADS.  The report is the same whatever the number (each
 * row's bootstrap has its own seed, verdict_row_seed).
 */
unsigned verdict_threads(void);

/*
 * Compares CURRENT with BASELINE under O and fills OUT (initialised and
 * empty).  The rows are judged on verdict_threads() threads when there
 * are enough of them; each row is judged by one thread alone.  Rows come in CURRENT's benchmark order, then the benchmarks
 * only in BASELINE, then (when wall_time is selected, unless
 * o->no_complexity) one row per family whose complexity both runs fit
 * (complexity.h): metric VERDICT_COMPLEXITY_METRIC, bench the family,
 * kind from bigo_compare (worse: regressed, a scaling regression;
 * better: improved; inconclusive; same: unchanged), the note naming the
 * classes ("O(N) -> O(N^2)"), n_base / n_cur the sizes fitted.  Returns 0, or -1 on ENOMEM (OUT is then released);
 * the caller checks metric names beforehand with verdict_run_has_metric.
 */
int verdict_compare(const results_run *baseline, const results_run *current,
                    const verdict_options *o, verdict_report *out);

/*
 * Judges one metric: BASE[NB] against CUR[NC] (NB, NC >= 1) with
 * direction DIR and threshold THRESHOLD, filling ROW's numbers, kind and
 * threshold_only (names and note untouched).  Exposed for the re-runs of
 * `perfcmp run --confirm` and the tests.  SEED seeds the bootstrap.
 * Returns 0, or -1 on ENOMEM.
 */
int verdict_judge(const double *base, size_t nb, const double *cur, size_t nc,
                  results_direction dir, double threshold, const verdict_options *o,
                  uint64_t seed, verdict_row *row);

/*
 * Judges metric CM of the current run against BM of the baseline, as
 * verdict_judge, with CM's direction.  When both sides' samples come
 * from 2 or more processes (results_metric.processes), the process is the
 * unit (docs/verdicts.md, "Processes"): the medians compared are the
 * medians of the process medians, p is the U test of the process medians,
 * and the interval comes from a two-stage bootstrap that resamples
 * processes, then samples (stats_bootstrap_nested_ratio_ci); ROW's k_base
 * and k_cur say how many processes.  Otherwise the samples are pooled,
 * as verdict_judge.  Returns 0, or -1 on ENOMEM.
 */
int verdict_judge_metrics(const results_metric *bm, const results_metric *cm, double threshold,
                          const verdict_options *o, uint64_t seed, verdict_row *row);

/* The bootstrap seed of row (BENCH, METRIC) under base seed SEED. */
uint64_t verdict_row_seed(uint64_t seed, const char *bench, const char *metric);

/*
 * Appends a row for (BENCH, METRIC, UNIT: copied, may be NULL) of KIND to R,
 * its numbers NAN and its counts 0.  Returns the row (valid until the next
 * append), or NULL on ENOMEM (R unchanged).  The caller recounts.
 */
verdict_row *verdict_add_row(verdict_report *r, const char *bench, const char *metric,
                             const char *unit, results_direction dir, verdict_kind kind);

/*
 * Sets ROW's kind from its ratio, threshold, direction, p and interval:
 * unchanged within the threshold; past it, regressed or improved when
 * significant (p below O->alpha and, with O->require_ci, the interval on
 * the ratio's side of 1), else inconclusive.  The one rule for compare,
 * run and ab.
 */
void verdict_decide(verdict_row *row, const verdict_options *o);

/* Recomputes R's counts and exit status: 1 if any row is failed or
 * regressed (or improved when fail_on_improvement), else 0. */
void verdict_recount(verdict_report *r);

/* Sets ROW's note to a copy of NOTE (NULL clears it).  0, or -1 on ENOMEM. */
int verdict_row_set_note(verdict_row *row, const char *note);

/*
 * After verdict_judge: a row judged regressed, improved or inconclusive
 * whose medians differ by less than FLOOR (> 0) becomes unchanged with a
 * note saying so; a row whose threshold is infinite gets the note "not
 * judged (reported only)".  Returns 0, or -1 on ENOMEM.
 */
int verdict_apply_floor(verdict_row *row, double floor);

/*
 * The run-to-run noise of a benchmark from its history: MEDIANS[0..N-1]
 * are the medians of its last N runs on one machine, oldest first.  The
 * spread is 1.4826 times the median absolute deviation of the successive
 * log ratios ln(m[i] / m[i-1]): a robust estimate of the standard
 * deviation of ln(current / baseline) between two runs of unchanged code
 * (a step in the history is one outlier among the ratios, not a rise in
 * the spread).  Returns 0 with *SPREAD set, or -1 when fewer than
 * VERDICT_NOISE_MIN_RUNS medians are positive and finite, or on ENOMEM.
 */
int verdict_noise_spread(const double *medians, size_t n, double *spread);

/*
 * The run-to-run noise of a benchmark from runs of unchanged code only
 * (docs/verdicts.md, "Run-to-run noise"): as verdict_noise_spread, but the
 * log ratios are taken between each run and the newest earlier run of the
 * same build, BUILDS[i] naming the code of run i (store_point.build; a
 * NULL entry is a run of unknown code and takes part in no pair; BUILDS
 * NULL: all runs are of one build).  A history that alternates between
 * builds, or steps from one to the next, so gives no ratio across a change
 * of code.  Sets *NPAIRS to the number of ratios.  Returns 0 with *SPREAD
 * set when there are at least VERDICT_NOISE_MIN_RUNS - 1 of them, 1 when
 * there are fewer (*SPREAD untouched), -1 on ENOMEM.
 */
int verdict_noise_spread_builds(const double *medians, const char *const *builds, size_t n,
                                double *spread, size_t *npairs);

/*
 * Demotes a `regressed` or `improved` ROW to `inconclusive` when its change
 * lies within Z times SPREAD (verdict_noise_spread of NRUNS runs), i.e.
 * when unchanged code has moved as much from one run to the next, and says
 * so in the note.  Rows judged on a single value (exact metrics) and rows
 * without a finite positive ratio are left alone.  Returns 1 when it
 * demoted the row, 0 when not, -1 on ENOMEM.  The caller recounts.
 */
int verdict_apply_noise(verdict_row *row, double spread, size_t nruns, double z);

#endif
