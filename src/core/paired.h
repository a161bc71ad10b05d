/*
 * paired.h - statistics of paired measurements: the judgement of an
 * interleaved A/B comparison (`perfcmp ab`, docs/verdicts.md), where round
 * i ran both builds back to back and gives one log ratio
 * d[i] = ln(median B / median A).  A slow phase of the machine that hits
 * both sides of a round cancels out of d[i].
 *
 * - the point estimate of the ratio B/A is exp(median of d);
 * - the Wilcoxon signed-rank test of "d is symmetric about 0", two-sided:
 *   the exact distribution for up to PAIRED_EXACT_MAX differences without
 *   zeros and ties, else the normal approximation with the tie correction
 *   and a continuity correction of 0.5 (as R's wilcox.test; zeros are
 *   dropped first, Wilcoxon's own method, scipy's zero_method="wilcox");
 * - a distribution-free confidence interval for the median of d from the
 *   binomial order statistics (stats_median_ci): coverage at least LEVEL,
 *   or the full range [min, max] when there are too few differences to
 *   reach it (fewer than 6 at 95%).
 *
 * Nothing here allocates memory that outlives a call; the functions take
 * their inputs by const pointer and never modify them.
 */
#ifndef PERFCMP_PAIRED_H
#define PERFCMP_PAIRED_H

#include <stddef.h>

/* Largest number of non-zero differences tested with the exact distribution. */
#define PAIRED_EXACT_MAX 50

/* The Wilcoxon signed-rank test of D[0..N-1] against 0. */
typedef struct paired_wilcoxon {
    size_t n;          /* differences that took part: the non-zero ones */
    size_t nzero;      /* zeros dropped */
    double w_plus;     /* sum of the ranks of |d| of the positive differences */
    double w_minus;    /* the same for the negative ones; w_plus + w_minus = n(n+1)/2 */
    double z;          /* normal approximation's z (0 when exact) */
    double p;          /* two-sided p-value, 1 when n == 0 */
    int exact;         /* 1 when the exact distribution gave p */
} paired_wilcoxon;

/*
 * Tests D[0..N-1] (finite values) as described above.  Returns 0 with OUT
 * filled, or -1 when a value is not finite or memory runs out (OUT is then
 * zeroed).  N == 0 gives p = 1.
 */
int paired_wilcoxon_test(const double *d, size_t n, paired_wilcoxon *out);

/*
 * The exact two-sided p-value of the signed-rank statistic W+ = W among N
 * differences without ties (ranks 1..N): 2 * P(W+ <= min(W, N(N+1)/2 - W))
 * under the null hypothesis, at most 1.  N is at most PAIRED_EXACT_MAX;
 * returns NAN otherwise or when W is out of range or memory runs out.
 */
double paired_wilcoxon_exact_p(size_t n, double w);

/* The judgement of paired log ratios. */
typedef struct paired_result {
    size_t n;              /* pairs */
    double median;         /* median of d */
    double ratio;          /* exp(median) */
    double d_low, d_high;  /* confidence interval of the median of d */
    double ratio_low, ratio_high; /* exp of it */
    paired_wilcoxon test;
} paired_result;

/*
 * Judges D[0..N-1] (N >= 1, finite): median, ratio, the interval at LEVEL
 * (0 < LEVEL < 1, e.g. 0.95) and the signed-rank test.  Returns 0, or -1
 * when N is 0, a value is not finite, LEVEL is out of range or memory runs
 * out (OUT is then zeroed).
 */
int paired_analyze(const double *d, size_t n, double level, paired_result *out);

/*
 * The log ratio of one round: ln(B / A) for medians A and B >= 0; 0 when
 * both are 0.  Returns 0, or -1 when exactly one is 0 or a value is
 * negative or not finite (*D untouched): such a round has no ratio.
 */
int paired_log_ratio(double a, double b, double *d);

#endif
