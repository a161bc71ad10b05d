/*
 * stats.h - descriptive statistics and tests on samples of doubles.
 *
 * All functions take the samples by const pointer and never modify them;
 * any scratch space is allocated inside and freed before returning.
 * Functions that can fail return a negative value (or NAN where noted)
 * and never abort.  NaN inputs are the caller's to reject beforehand.
 */
#ifndef PERFCMP_STATS_H
#define PERFCMP_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Summary of one metric's samples. */
typedef struct stats_summary {
    size_t n;
    double min, max, mean, stddev;   /* stddev: sample (n-1) standard deviation; 0 when n < 2 */
    double median;
    double mad;                      /* median absolute deviation, unscaled (raw MAD) */
    double p90, p99;                 /* percentiles, linear interpolation (type 7, as R/numpy default) */
    double ci_low, ci_high;          /* 95% confidence interval of the median (distribution-free, order statistics) */
} stats_summary;

/* Fills OUT from X[0..N-1].  Returns 0, or -1 when N == 0 or memory runs out
 * (OUT is then zeroed). */
int stats_summarize(const double *x, size_t n, stats_summary *out);

/* Median of X[0..N-1]; NAN when N == 0. */
double stats_median(const double *x, size_t n);

/* Percentile P in [0,100] with linear interpolation between order
 * statistics (R type 7 / numpy "linear"); NAN when N == 0 or P out of range. */
double stats_percentile(const double *x, size_t n, double p);

/* Raw median absolute deviation; NAN when N == 0. */
double stats_mad(const double *x, size_t n);

/*
 * Distribution-free confidence interval for the median at LEVEL (e.g.
 * 0.95), from the binomial order statistics; for n too small to reach the
 * level, the full range [min, max].  Returns 0, or -1 when N == 0.
 */
int stats_median_ci(const double *x, size_t n, double level, double *lo, double *hi);

/* Mann-Whitney U test, two-sided. */
typedef struct stats_mwu {
    double u;          /* U statistic of the first sample */
    double z;          /* normal approximation z (0 when exact) */
    double p;          /* two-sided p-value */
    int exact;         /* 1 when the exact distribution was used */
} stats_mwu;

/* Exact when both n are small and there are no ties, else the normal
 * approximation with tie correction and continuity correction.
 * Returns 0, or -1 when a sample is empty or memory runs out. */
int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                       stats_mwu *out);

/*
 * Bootstrap confidence interval (percentile method) of the ratio
 * median(B)/median(A), with RESAMPLES resamples from a deterministic
 * generator seeded with SEED, so equal inputs give equal output.
 * Returns 0, or -1 when a sample is empty, a median of A is 0, or memory
 * runs out.
 */
int stats_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
                             double level, unsigned resamples, uint64_t seed,
                             double *lo, double *hi);

/*
 * The median of each group of X[0..N-1]: GROUPS[0..NGROUPS-1] are the
 * sizes of consecutive groups (the samples of one process each), adding up
 * to N.  OUT has NGROUPS entries.  Returns 0, or -1 when the groups do not
 * add up to N, a group is empty, or memory runs out.
 */
int stats_group_medians(const double *x, size_t n, const size_t *groups, size_t ngroups,
                        double *out);

/*
 * Two-stage (hierarchical) bootstrap confidence interval of the ratio
 * median of group medians of B / the same of A, for samples grouped by
 * process (Kalibera & Jones, ISMM 2013, with medians for means): each
 * resample draws NGA groups of A with replacement, then each drawn
 * group's samples with replacement, takes every drawn group's median and
 * the median of those; the same for B.  GA[NGA] and GB[NGB] are the group
 * sizes as for stats_group_medians.  Percentile method, RESAMPLES
 * resamples from a generator seeded with SEED.  Returns 0, or -1 when a
 * side is empty, the groups do not add up, A's statistic is 0 in a
 * resample, or memory runs out.
 */
int stats_bootstrap_nested_ratio_ci(const double *a, size_t na, const size_t *ga, size_t nga,
                                    const double *b, size_t nb, const size_t *gb, size_t ngb,
                                    double level, unsigned resamples, uint64_t seed,
                                    double *lo, double *hi);

/* Deterministic PRNG (splitmix64 / xoshiro256**), for reproducible output. */
typedef struct stats_rng { uint64_t s[4]; } stats_rng;
void stats_rng_seed(stats_rng *r, uint64_t seed);
uint64_t stats_rng_next(stats_rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t stats_rng_below(stats_rng *r, uint64_t n);
/* Uniform double in [0,1). */
double stats_rng_double(stats_rng *r);

/* Standard normal CDF. */
double stats_normal_cdf(double z);

#endif
