/*
 * suspect.h - when a baseline is not to be trusted: the rules behind the
 * warnings of `perfcmp baseline save`, `compare` and `run` (docs/cli.md,
 * "A suspect baseline"), and the rule `baseline save --runs` uses for
 * runs that disagree.
 *
 * A baseline is one stretch of the machine's time.  It is suspect for a
 * benchmark when
 *  - spread: its processes disagree beyond their own spread (the interval
 *    of the median of the slowest process and that of the fastest do not
 *    overlap) by more than the verdict threshold: the run caught the
 *    machine in phases as far apart as a change the verdict would report
 *    (suspect_check_spread);
 *  - history: its median lies outside the benchmark's recent history on
 *    the same branch and machine: more than SUSPECT_Z robust standard
 *    deviations (SUSPECT_MAD_SCALE times the MAD of the log medians) and
 *    more than half the threshold from the history's median, with at
 *    least SUSPECT_MIN_RUNS runs of history (suspect_check_history).
 * SUSPECT_Z is Iglewicz and Hoaglin's cut-off for the modified z-score
 * (0.6745 (x - median) / MAD > 3.5); the half threshold plays the part of
 * LNT's "ignore changes below 1%": a baseline closer than that to its
 * history cannot move a verdict by much, however tight the history.
 *
 * Pure functions on numbers and results_metric values: nothing printed,
 * nothing allocated that outlives a call.
 */
#ifndef PERFCMP_SUSPECT_H
#define PERFCMP_SUSPECT_H

#include <stddef.h>
#include "results.h"

/* The history: the newest SUSPECT_HISTORY_RUNS runs, at least SUSPECT_MIN_RUNS. */
#define SUSPECT_HISTORY_RUNS 20u
#define SUSPECT_MIN_RUNS 5u
/* A robust z-score beyond SUSPECT_Z is outside the history. */
#define SUSPECT_Z 3.5
/* 1.4826 MAD estimates the standard deviation of a normal sample. */
#define SUSPECT_MAD_SCALE 1.4826
/* `baseline save --runs`: runs disagree when also more than 5% apart. */
#define SUSPECT_MERGE_MIN_CHANGE 0.05

/* One measurement's median and the spread it has of its own. */
typedef struct suspect_view {
    double median;
    double lo, hi;
} suspect_view;

/*
 * The view of a whole metric, as `baseline save --runs` compares runs:
 * with 2 or more processes, the median of the process medians and the
 * range of the process medians; otherwise the median of the samples and
 * the 95% interval of that median (M's summary; the median alone when
 * the interval is not finite).  Returns 0, or -1 when M has no samples
 * or on ENOMEM (*V then unset).
 */
int suspect_metric_view(const results_metric *m, suspect_view *v);

/*
 * One view per process of M: the median of the process's samples and the
 * distribution-free 95% interval of that median (the whole range of a
 * process of 5 samples or fewer).  OUT has room for
 * results_metric_process_count(M) views; a metric without a grouping is
 * one process.  Returns the number of views, or -1 when M has no samples
 * or on ENOMEM.
 */
long suspect_process_views(const results_metric *m, suspect_view *out);

/*
 * The rule for measurements that disagree: among V[0..N-1] (views with a
 * median that is not finite are skipped), the one with the lowest median
 * and the one with the highest disagree when the highest one's interval
 * lies wholly above the lowest one's (hi.lo > lo.hi) and its median is
 * more than MIN_CHANGE (a fraction) above the lowest, which must be
 * positive.  Returns 1 and sets *LO and *HI (either may be NULL) to their
 * indices when they disagree, else 0.
 */
int suspect_disagree(const suspect_view *v, size_t n, double min_change, size_t *lo,
                     size_t *hi);

/* What suspect_check_spread found. */
typedef struct suspect_spread {
    size_t nprocesses;
    double median;      /* the median of the process medians */
    double lo, hi;      /* the lowest and the highest process median */
    double change;      /* hi / lo - 1 */
} suspect_spread;

/*
 * The spread rule: M (a baseline's metric) is suspect when its processes
 * disagree (suspect_disagree over suspect_process_views) by more than
 * THRESHOLD (a fraction, the verdict's threshold for M).  A metric of
 * fewer than 2 processes is never suspect by this rule, nor is one whose
 * THRESHOLD is not finite.  Fills OUT (when there are 2 or more
 * processes).  Returns 1 suspect, 0 not, -1 on ENOMEM.
 */
int suspect_check_spread(const results_metric *m, double threshold, suspect_spread *out);

/* What suspect_check_history found. */
typedef struct suspect_history {
    size_t n;           /* positive, finite medians in the history */
    double median;      /* their median (of an even number, the geometric mean of
                           the middle two: the median of the logarithms) */
    double min, max;    /* their range */
    double spread;      /* SUSPECT_MAD_SCALE * MAD of their logarithms */
    double z;           /* |ln(value / median)| / spread; INFINITY when spread is 0
                           and value differs from median, 0 when equal */
    double change;      /* value / median - 1 */
} suspect_history;

/*
 * The history rule: VALUE (a baseline's median) against HIST[0..N-1], the
 * medians of the benchmark's recent runs (non-positive and non-finite
 * ones are left out).  Suspect when z > SUSPECT_Z and |change| >
 * THRESHOLD / 2.  Fills OUT when there is history enough.  Returns 1
 * suspect, 0 not, 2 when fewer than SUSPECT_MIN_RUNS medians are left, or
 * VALUE is not positive, or THRESHOLD not finite (not judged), -1 on
 * ENOMEM.
 */
int suspect_check_history(double value, const double *hist, size_t n, double threshold,
                          suspect_history *out);

#endif
