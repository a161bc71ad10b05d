/*
 * changepoint.h - change points and slow trends in a series of per-run
 * values (one benchmark's medians, oldest first).
 *
 * Change points: E-divisive means (Matteson & James, "A Nonparametric
 * Approach for Multiple Change Point Analysis of Multivariate Data", JASA
 * 2014) with alpha = 1, the method behind MongoDB's
 * signal-processing-algorithms and Apache Otava (Hunter): recursive
 * bisection, each new split at the point tau maximising the scaled energy
 * divergence Q between y[start..tau) and y[tau..kappa) over tau and the
 * end kappa (as in the paper; the simplification kappa = end of segment
 * misses a level that shifts and comes back), accepted when a permutation
 * test (values shuffled within the current segments) finds it
 * significant.  The
 * generator is seeded with a fixed seed, so equal input gives equal output.
 * Splits whose adjacent segments' medians differ by less than min_change
 * are then merged away, weakest first.
 *
 * Trends: a Mann-Kendall test for a monotone trend inside the segments
 * between change points (the blocked form of Hirsch's seasonal Kendall
 * test: S and its variance summed over blocks, so a step between blocks
 * is not mistaken for a trend), with the Theil-Sen slope of log(x) from
 * pairs inside the same block, reported as a relative change per step.
 *
 * Nothing here allocates memory that outlives a call except the array
 * returned by changepoint_detect().
 */
#ifndef PERFCMP_CHANGEPOINT_H
#define PERFCMP_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

#define CHANGEPOINT_DEFAULT_ALPHA 0.01
#define CHANGEPOINT_DEFAULT_MIN_SIZE 3
#define CHANGEPOINT_DEFAULT_MIN_CHANGE 0.05
#define CHANGEPOINT_DEFAULT_PERMUTATIONS 199
#define CHANGEPOINT_DEFAULT_SEED UINT64_C(0x70657266636d70)  /* "perfcmp" */

typedef struct changepoint_opts {
    double alpha;            /* significance level of the permutation test, in (0,1) */
    size_t min_size;         /* minimum segment length, >= 1 */
    double min_change;       /* minimum |after/before - 1| of segment medians (fraction, >= 0) */
    unsigned permutations;   /* permutations per test, >= 1 */
    uint64_t seed;           /* seed of the permutation generator */
} changepoint_opts;

/* Sets the defaults above. */
void changepoint_opts_init(changepoint_opts *o);

typedef struct changepoint {
    size_t index;            /* first index of the new level: x[index-1] -> x[index] */
    double q;                /* divergence statistic Q when it was found */
    double p;                /* permutation p-value when it was accepted */
    double before, after;    /* medians of the final segments either side */
    double change;           /* after / before - 1 (+-INFINITY when before is 0) */
} changepoint;

/*
 * Finds the change points of X[0..N-1] (finite values).  Sets *OUT to a
 * malloc'd array of *NOUT change points sorted by index (NULL when there is
 * none); the caller frees it with free().  O is NULL for the defaults.
 * Returns 0, or -1 when O is invalid or memory runs out (*OUT is then
 * NULL and *NOUT 0).
 */
int changepoint_detect(const double *x, size_t n, const changepoint_opts *o,
                       changepoint **out, size_t *nout);

typedef struct changepoint_trend {
    double s;                /* Mann-Kendall S summed over blocks */
    double var_s;            /* its variance under no trend, tie-corrected */
    double z;                /* continuity-corrected normal score */
    double p;                /* two-sided p-value (1 when var_s is 0) */
    double rate;             /* relative change per step: exp(Theil-Sen slope of log x) - 1 */
    double total;            /* relative change over the series: (1+rate)^(n-1) - 1 */
} changepoint_trend;

/*
 * Tests X[0..N-1] for a monotone trend inside the blocks delimited by
 * CUTS[0..NCUTS-1] (sorted indices where a block starts; NULL/0 for one
 * block).  When some x <= 0 the slope is taken on x itself and divided by
 * the median.  Returns 0, or -1 when N < 2 or memory runs out (OUT is then
 * zeroed with p = 1).
 */
int changepoint_trend_test(const double *x, size_t n, const size_t *cuts, size_t ncuts,
                           changepoint_trend *out);

#endif
