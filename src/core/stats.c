/*
 * stats.c - descriptive statistics, the Mann-Whitney U test, bootstrap
 * confidence intervals and a deterministic PRNG (see stats.h).
 *
 * Conventions: percentiles are R's type 7 (numpy's default "linear"),
 * the median CI uses binomial order statistics, Mann-Whitney follows
 * scipy.stats.mannwhitneyu (exact two-sided p for small samples without
 * ties, else the normal approximation with tie and continuity correction).
 */
#include "stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Order statistics                                                    */
/* ------------------------------------------------------------------ */

static int stats_cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static void stats_insertion_sort(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void stats_sort(double *v, size_t n)
{
    if (n <= 16)
        stats_insertion_sort(v, n);
    else
        qsort(v, n, sizeof *v, stats_cmp_double);
}

/*
 * Rearranges V[0..N-1] so that V[K] is the value it would have if V were
 * sorted, everything before it is <= and everything after it is >=
 * (nth_element).  Expected O(N).
 */
static void stats_select(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;

    while (hi > lo + 16) {
        /* median of three as the pivot, moved to v[lo] */
        size_t mid = lo + (hi - lo) / 2;
        double t;
        if (v[mid] < v[lo]) { t = v[mid]; v[mid] = v[lo]; v[lo] = t; }
        if (v[hi] < v[lo]) { t = v[hi]; v[hi] = v[lo]; v[lo] = t; }
        if (v[hi] < v[mid]) { t = v[hi]; v[hi] = v[mid]; v[mid] = t; }
        t = v[mid]; v[mid] = v[lo]; v[lo] = t;
        double pivot = v[lo];

        /* Hoare partition of v[lo+1..hi] around pivot */
        size_t i = lo, j = hi + 1;
        for (;;) {
            do i++; while (v[i] < pivot);
            do j--; while (v[j] > pivot);
            if (i >= j)
                break;
            t = v[i]; v[i] = v[j]; v[j] = t;
        }
        t = v[lo]; v[lo] = v[j]; v[j] = t;

        if (j == k)
            return;
        if (k < j)
            hi = j - 1;
        else
            lo = j + 1;
    }
    stats_insertion_sort(v + lo, hi - lo + 1);
}

/* Smallest value of V[0..N-1], N > 0. */
static double stats_min_of(const double *v, size_t n)
{
    double m = v[0];
    for (size_t i = 1; i < n; i++)
        if (v[i] < m)
            m = v[i];
    return m;
}

/* Linear interpolation between a and b at fraction t in [0,1]. */
static double stats_lerp(double a, double b, double t)
{
    if (t == 0.0 || a == b)
        return a;
    return a + (b - a) * t;
}

/* Type-7 percentile of sorted S[0..N-1], P in [0,100]. */
static double stats_percentile_sorted(const double *s, size_t n, double p)
{
    double h = (double)(n - 1) * (p / 100.0);
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return s[n - 1];
    return stats_lerp(s[lo], s[lo + 1], h - (double)lo);
}

/* Median of V[0..N-1] (N > 0), reordering V. */
static double stats_median_inplace(double *v, size_t n)
{
    size_t k = (n - 1) / 2;
    stats_select(v, n, k);
    if (n % 2 == 1)
        return v[k];
    double upper = stats_min_of(v + k + 1, n - k - 1);
    return v[k] + (upper - v[k]) / 2.0;
}

/* A malloc'd copy of X[0..N-1] for the in-place selections (N > 0), or
 * NULL when out of memory; the caller frees it. */
static double *stats_copy(const double *x, size_t n)
{
    double *v = malloc(n * sizeof *v);
    if (v != NULL)
        memcpy(v, x, n * sizeof *v);
    return v;
}

double stats_median(const double *x, size_t n)
{
    if (n == 0 || x == NULL)
        return NAN;
    double *v = stats_copy(x, n);
    if (v == NULL)
        return NAN;
    double m = stats_median_inplace(v, n);
    free(v);
    return m;
}

double stats_percentile(const double *x, size_t n, double p)
{
    if (n == 0 || x == NULL || !(p >= 0.0 && p <= 100.0))
        return NAN;
    double *v = stats_copy(x, n);
    if (v == NULL)
        return NAN;

    double h = (double)(n - 1) * (p / 100.0);
    size_t lo = (size_t)floor(h);
    double r;
    if (lo >= n - 1) {
        stats_select(v, n, n - 1);
        r = v[n - 1];
    } else {
        stats_select(v, n, lo);
        double next = stats_min_of(v + lo + 1, n - lo - 1);
        r = stats_lerp(v[lo], next, h - (double)lo);
    }
    free(v);
    return r;
}

/* Raw MAD of V[0..N-1] around MED, overwriting V with the deviations. */
static double stats_mad_inplace(double *v, size_t n, double med)
{
    for (size_t i = 0; i < n; i++)
        v[i] = fabs(v[i] - med);
    return stats_median_inplace(v, n);
}

double stats_mad(const double *x, size_t n)
{
    if (n == 0 || x == NULL)
        return NAN;
    double *v = stats_copy(x, n);
    if (v == NULL)
        return NAN;
    double med = stats_median_inplace(v, n);
    double mad = stats_mad_inplace(v, n, med);
    free(v);
    return mad;
}

/* ------------------------------------------------------------------ */
/* Median confidence interval                                          */
/* ------------------------------------------------------------------ */

/*
 * The 1-based rank K of the lower bound of the distribution-free CI of
 * the median: the largest K with P(Binom(N, 1/2) <= K-1) <= ALPHA/2.
 * Returns 0 when even K = 1 does not reach the level.
 */
static size_t stats_median_ci_rank(size_t n, double alpha)
{
    double half = alpha / 2.0;
    double nd = (double)n;
    /* Start far enough in the lower tail (20 standard deviations) that
     * the mass below the start is negligible (< 1e-80), so that the pmf
     * at the start neither underflows nor matters. */
    double start = floor(nd / 2.0 - 10.0 * sqrt(nd));
    size_t j = start > 0.0 ? (size_t)start : 0;
    double pmf = exp(lgamma(nd + 1.0) - lgamma((double)j + 1.0) -
                     lgamma(nd - (double)j + 1.0) - nd * log(2.0));
    if (j == 0)
        pmf = ldexp(1.0, -(int)(n < 1070 ? n : 1070)); /* exact 2^-n */
    double cdf = 0.0;
    size_t k = 0;
    /* invariant: cdf = P(B <= j-1); rank j+1 is valid when P(B <= j) <= half */
    for (; j <= n / 2; j++) {
        cdf += pmf;                 /* now P(B <= j) */
        if (cdf > half * (1.0 + 1e-12))
            break;
        k = j + 1;
        pmf = pmf * (nd - (double)j) / ((double)j + 1.0);
    }
    return k;
}

/* CI of the median from sorted S[0..N-1]. */
static void stats_median_ci_sorted(const double *s, size_t n, double level,
                                   double *lo, double *hi)
{
    size_t k = stats_median_ci_rank(n, 1.0 - level);
    if (k == 0) {
        *lo = s[0];
        *hi = s[n - 1];
    } else {
        *lo = s[k - 1];
        *hi = s[n - k];
    }
}

int stats_median_ci(const double *x, size_t n, double level, double *lo, double *hi)
{
    if (n == 0 || x == NULL || !(level > 0.0 && level < 1.0))
        return -1;
    double *v = stats_copy(x, n);
    if (v == NULL)
        return -1;
    size_t k = stats_median_ci_rank(n, 1.0 - level);
    if (k == 0) {
        stats_select(v, n, 0);
        *lo = v[0];
        stats_select(v, n, n - 1);
        *hi = v[n - 1];
    } else {
        stats_select(v, n, k - 1);
        *lo = v[k - 1];
        stats_select(v, n, n - k);
        *hi = v[n - k];
    }
    free(v);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Summary                                                             */
/* ------------------------------------------------------------------ */

int stats_summarize(const double *x, size_t n, stats_summary *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || x == NULL)
        return -1;
    double *v = stats_copy(x, n);
    if (v == NULL)
        return -1;
    stats_sort(v, n);

    out->n = n;
    out->min = v[0];
    out->max = v[n - 1];

    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    double mean = sum / (double)n;
    /* keep the mean inside [min, max] despite rounding */
    if (mean < out->min) mean = out->min;
    if (mean > out->max) mean = out->max;
    out->mean = mean;
    if (n >= 2) {
        double ss = 0.0;
        for (size_t i = 0; i < n; i++) {
            double d = v[i] - mean;
            ss += d * d;
        }
        out->stddev = sqrt(ss / (double)(n - 1));
    }

    out->median = stats_percentile_sorted(v, n, 50.0);
    out->p90 = stats_percentile_sorted(v, n, 90.0);
    out->p99 = stats_percentile_sorted(v, n, 99.0);
    stats_median_ci_sorted(v, n, 0.95, &out->ci_low, &out->ci_high);
    out->mad = stats_mad_inplace(v, n, out->median);
    free(v);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Normal distribution                                                 */
/* ------------------------------------------------------------------ */

double stats_normal_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* ------------------------------------------------------------------ */
/* Mann-Whitney U                                                      */
/* ------------------------------------------------------------------ */

#define STATS_MWU_EXACT_MAX 50

/*
 * The exact null distribution of U for the last (m, n) asked for, per
 * thread: compare runs use the same sample counts for every benchmark, so
 * it is computed once per run instead of once per benchmark.
 */
static _Thread_local struct {
    size_t m, n;
    double cdf[STATS_MWU_EXACT_MAX * STATS_MWU_EXACT_MAX + 1];
} stats_mwu_cache;

/*
 * Fills the cache with P(U <= u), u = 0..m*n, for samples of sizes M, N
 * without ties.  The number of arrangements with U = u is the number of
 * partitions of u into at most M parts each at most N (a Gaussian
 * binomial coefficient), counted by adding part sizes j = 1..N:
 * T[i][u] += T[i-1][u-j].  All terms are positive, so doubles lose no
 * more than rounding.  Returns 0, -1 on ENOMEM.
 */
static int stats_mwu_exact_cdf(size_t m, size_t n)
{
    if (stats_mwu_cache.m == m && stats_mwu_cache.n == n)
        return 0;
    size_t umax = m * n;
    size_t w = umax + 1;
    double *t = calloc((m + 1) * w, sizeof *t);
    if (t == NULL)
        return -1;
    for (size_t i = 0; i <= m; i++)
        t[i * w] = 1.0;
    for (size_t j = 1; j <= n; j++)
        for (size_t i = 1; i <= m; i++) {
            double *row = t + i * w;
            const double *prev = t + (i - 1) * w;
            for (size_t u = j; u <= i * j; u++)
                row[u] += prev[u - j];
        }
    const double *dist = t + m * w;
    double total = 0.0;
    for (size_t u = 0; u <= umax; u++)
        total += dist[u];
    double acc = 0.0;
    for (size_t u = 0; u <= umax; u++) {
        acc += dist[u];
        stats_mwu_cache.cdf[u] = acc / total;
    }
    free(t);
    stats_mwu_cache.m = m;
    stats_mwu_cache.n = n;
    return 0;
}

int stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
                       stats_mwu *out)
{
    int rc = -1;
    double *sa = NULL, *sb = NULL;

    memset(out, 0, sizeof *out);
    if (na == 0 || nb == 0 || a == NULL || b == NULL)
        goto out;
    sa = malloc(na * sizeof *sa);
    sb = malloc(nb * sizeof *sb);
    if (sa == NULL || sb == NULL)
        goto out;
    memcpy(sa, a, na * sizeof *sa);
    memcpy(sb, b, nb * sizeof *sb);
    stats_sort(sa, na);
    stats_sort(sb, nb);

    /* Merge the two sorted samples, giving each group of equal values
     * its average rank; R1 is the rank sum of A. */
    double r1 = 0.0, tie_term = 0.0;
    size_t i = 0, j = 0, rank = 0;
    int ties = 0;
    while (i < na || j < nb) {
        double v;
        if (j >= nb || (i < na && sa[i] <= sb[j]))
            v = sa[i];
        else
            v = sb[j];
        size_t ca = 0, cb = 0;
        while (i < na && sa[i] == v) { i++; ca++; }
        while (j < nb && sb[j] == v) { j++; cb++; }
        double t = (double)(ca + cb);
        double avg = (double)rank + (t + 1.0) / 2.0;
        r1 += (double)ca * avg;
        if (ca + cb > 1) {
            ties = 1;
            tie_term += t * t * t - t;
        }
        rank += ca + cb;
    }
    double dna = (double)na, dnb = (double)nb;
    double u1 = r1 - dna * (dna + 1.0) / 2.0;
    double mu = dna * dnb / 2.0;
    out->u = u1;

    if (!ties && na <= STATS_MWU_EXACT_MAX && nb <= STATS_MWU_EXACT_MAX) {
        if (stats_mwu_exact_cdf(na, nb) != 0)
            goto out;
        double u2 = dna * dnb - u1;
        double umin = u1 < u2 ? u1 : u2;
        double p = 2.0 * stats_mwu_cache.cdf[(size_t)umin];
        out->p = p > 1.0 ? 1.0 : p;
        out->z = 0.0;
        out->exact = 1;
    } else {
        double nn = dna + dnb;
        double var = dna * dnb / 12.0 * ((nn + 1.0) - tie_term / (nn * (nn - 1.0)));
        double s = var > 0.0 ? sqrt(var) : 0.0;
        double d = u1 - mu;
        double num = fabs(d) - 0.5;          /* continuity correction */
        if (num < 0.0)
            num = 0.0;
        if (s > 0.0) {
            double z = num / s;
            out->z = d < 0.0 ? -z : z;
            double p = erfc(z / sqrt(2.0)); /* 2 * (1 - Phi(z)) */
            out->p = p > 1.0 ? 1.0 : p;
        } else {
            /* every value equal: no evidence of a difference */
            out->z = 0.0;
            out->p = 1.0;
        }
        out->exact = 0;
    }
    rc = 0;
out:
    free(sa);
    free(sb);
    return rc;
}

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64 seeding, xoshiro256** (Blackman & Vigna)           */
/* ------------------------------------------------------------------ */

static uint64_t stats_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void stats_rng_seed(stats_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = stats_splitmix64(&x);
}

static inline uint64_t stats_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t stats_rng_next(stats_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = stats_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = stats_rotl(s[3], 45);
    return result;
}

/* 64x64 -> 128-bit product, the same result on every platform. */
static inline void stats_mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
#ifdef __SIZEOF_INT128__
    unsigned __int128 m = (unsigned __int128)a * b;
    *hi = (uint64_t)(m >> 64);
    *lo = (uint64_t)m;
#else
    uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    *lo = (mid << 32) | (p00 & 0xffffffffu);
#endif
}

/* Lemire's nearly divisionless unbiased bounded integers. */
uint64_t stats_rng_below(stats_rng *r, uint64_t n)
{
    uint64_t hi, lo;
    if (n == 0)
        return 0;
    stats_mul128(stats_rng_next(r), n, &hi, &lo);
    if (lo < n) {
        uint64_t threshold = (0 - n) % n;
        while (lo < threshold)
            stats_mul128(stats_rng_next(r), n, &hi, &lo);
    }
    return hi;
}

double stats_rng_double(stats_rng *r)
{
    return (double)(stats_rng_next(r) >> 11) * 0x1.0p-53;
}

/* ------------------------------------------------------------------ */
/* Bootstrap                                                           */
/* ------------------------------------------------------------------ */

/* Uniform in [0, N) from 32 random bits (Lemire, 32-bit), N < 2^32;
 * *BITS holds a spare half of the last 64-bit output, or 0 bits. */
typedef struct stats_bits {
    uint64_t word;
    int have;                   /* 32-bit halves left in word */
} stats_bits;

static inline uint32_t stats_below32(stats_rng *r, stats_bits *b, uint32_t n)
{
    for (;;) {
        if (b->have == 0) {
            b->word = stats_rng_next(r);
            b->have = 2;
        }
        uint32_t x = (uint32_t)(b->word >> 32);
        b->word <<= 32;
        b->have--;
        uint64_t m = (uint64_t)x * n;
        uint32_t lo = (uint32_t)m;
        if (lo >= n || lo >= (uint32_t)(0u - n) % n)
            return (uint32_t)(m >> 32);
    }
}

/*
 * One index below N32 as stats_below32 draws it, from the spare bits
 * *WORD / *HAVE and the generator ST (locals of the caller: see
 * stats_resample_median).
 */
static inline uint32_t stats_draw(stats_rng *st, uint64_t *word, int *have, uint32_t n32)
{
    uint64_t m;
    for (;;) {
        if (*have == 0) {
            *word = stats_rng_next(st);
            *have = 2;
        }
        uint32_t x = (uint32_t)(*word >> 32);
        *word <<= 32;
        (*have)--;
        m = (uint64_t)x * n32;
        uint32_t lo = (uint32_t)m;
        if (lo >= n32 || lo >= (uint32_t)(0u - n32) % n32)
            break;
    }
    return (uint32_t)(m >> 32);
}

/*
 * How many of the 16 nibbles of P are at most K1, into *I1, and at most
 * K2, into *I2 (K1, K2 < 15, and at most 15 nibbles at most K2, as for
 * prefix sums of at most 15 draws).  Per byte lane, 0x80 + K - nibble keeps its high bit exactly when
 * the nibble is at most K (no borrow leaves a lane); the two counts are
 * summed in the low and high nibble of each lane, and the lanes are added
 * up by one multiplication (each total is at most 15, so nothing carries).
 */
static inline void stats_nibbles_at_most2(uint64_t p, size_t k1, size_t k2,
                                          size_t *i1, size_t *i2)
{
    const uint64_t lanes = UINT64_C(0x0f0f0f0f0f0f0f0f), high = UINT64_C(0x8080808080808080);
    const uint64_t ones = UINT64_C(0x0101010101010101);
    uint64_t x0 = p & lanes, x1 = (p >> 4) & lanes;
    uint64_t c1 = (uint64_t)k1 * ones | high, c2 = (uint64_t)k2 * ones | high;
    uint64_t le = (((c1 - x0) & high) >> 7) + (((c1 - x1) & high) >> 7) +
                  (((c2 - x0) & high) >> 3) + (((c2 - x1) & high) >> 3);
    uint64_t sum = (le * ones) >> 56;
    *i1 = (size_t)(sum & 15);
    *i2 = (size_t)(sum >> 4);
}

/*
 * The small case of stats_resample_median (N <= 15), on the caller's
 * generator *ST and spare bits *WORD / *HAVE: returns the resample's
 * median of sorted S[0..N-1], whose 0-based middle ranks are K1 and K2.
 * Inline, so that a caller that keeps the state in locals across many
 * resamples (stats_bootstrap_ratio_ci) keeps it in registers.
 */
#if defined(__GNUC__)
#define STATS_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define STATS_ALWAYS_INLINE inline
#endif

static STATS_ALWAYS_INLINE double stats_resample_median_small(stats_rng *st, uint64_t *word,
                                                              int *have, const double *s,
                                                              size_t n, size_t k1, size_t k2)
{
    uint32_t n32 = (uint32_t)n;
    uint64_t h = 0;
    for (size_t i = 0;;) {
        while (*have == 0 && i + 2 <= n) {
            uint64_t w = stats_rng_next(st);
            uint64_t m1 = (w >> 32) * n32, m2 = (w & 0xffffffffu) * n32;
            if (__builtin_expect((uint32_t)m1 < n32 || (uint32_t)m2 < n32, 0)) {
                *word = w;
                *have = 2;
                break;
            }
            h += (uint64_t)1 << (4 * (m1 >> 32));
            h += (uint64_t)1 << (4 * (m2 >> 32));
            i += 2;
        }
        if (i >= n)
            break;
        h += (uint64_t)1 << (4 * stats_draw(st, word, have, n32));
        i++;
    }
    uint64_t p = h * UINT64_C(0x1111111111111111);
    size_t i1, i2;
    stats_nibbles_at_most2(p, k1, k2, &i1, &i2);
    double lo = s[i1];
    double hi = s[i2];
    return lo + (hi - lo) / 2.0;
}

/*
 * Median of a resample (with replacement) of sorted S[0..N-1]: draws N
 * indices, counts how often each was drawn and walks the counts to the
 * middle order statistics.  O(N), no comparisons.  CNT has N entries.
 *
 * The spare bits and the generator's state are kept in locals: CNT is
 * uint32_t, which may alias BITS->have (an int), so through the pointers
 * they would be stored and loaded again on every draw.  Two draws per
 * 64-bit output while no half is spare; a half that might be rejected
 * (its low product below N, a chance of N in 2^32) goes the general way
 * (stats_draw).  The same draws in the same order as stats_below32.
 *
 * Up to 15 samples (a Google Benchmark file's repetitions, a process's
 * samples), the counts are nibbles of one 64-bit word: multiplied by
 * 0x1111...1 it holds in nibble j how many draws were <= j (no sum
 * exceeds 15, so nothing carries), and the index of the K-th smallest
 * draw is the number of those prefix sums that are <= K.  The same
 * index as the walk over CNT, without memory.
 */
static double stats_resample_median(stats_rng *r, stats_bits *bits, const double *s,
                                    size_t n, uint32_t *cnt)
{
    uint64_t word = bits->word;
    int have = bits->have;
    stats_rng st = *r;
    uint32_t n32 = (uint32_t)n;
    size_t k1 = (n - 1) / 2, k2 = n / 2;   /* 0-based middle ranks */
    double lo, hi;

    if (n <= 15) {
        double m = stats_resample_median_small(&st, &word, &have, s, n, k1, k2);
        *r = st;
        bits->word = word;
        bits->have = have;
        return m;
    } else {
        memset(cnt, 0, n * sizeof *cnt);
        for (size_t i = 0;;) {
            while (have == 0 && i + 2 <= n) {
                uint64_t w = stats_rng_next(&st);
                uint64_t m1 = (w >> 32) * n32, m2 = (w & 0xffffffffu) * n32;
                if (__builtin_expect((uint32_t)m1 < n32 || (uint32_t)m2 < n32, 0)) {
                    word = w;
                    have = 2;
                    break;
                }
                cnt[m1 >> 32]++;
                cnt[m2 >> 32]++;
                i += 2;
            }
            if (i >= n)
                break;
            cnt[stats_draw(&st, &word, &have, n32)]++;
            i++;
        }
        size_t cum = 0, idx = 0;
        while (cum + cnt[idx] <= k1)
            cum += cnt[idx++];
        lo = s[idx];
        while (cum + cnt[idx] <= k2)
            cum += cnt[idx++];
        hi = s[idx];
    }
    *r = st;
    bits->word = word;
    bits->have = have;
    return lo + (hi - lo) / 2.0;
}

/* Most order statistics stats_interval_tails keeps for either tail. */
#define STATS_TAIL_MAX 64

/*
 * The candidates for the order statistics stats_interval_of needs, in one
 * pass over V[0..N-1] (not reordered) instead of two quickselects over
 * all of it.  LOW (2 * STATS_TAIL_MAX entries) collects the values below
 * a threshold, HIGH those above another; when one is full, stats_select
 * keeps its NL smallest (NH largest) and its threshold tightens to the
 * largest (smallest) kept.  Most values fail both comparisons.  Returns
 * 0 with LOW[0..*CL-1] holding the NL = KLO + 2 smallest values of V and
 * nothing smaller, and HIGH[0..*CH-1] the NH = N - KHI largest and
 * nothing larger (so their order statistics are those of V), or -1 when
 * NL or NH exceeds STATS_TAIL_MAX or V holds a NaN or a zero: the caller
 * then selects over V as before.  Without NaN and zeros, values that
 * compare equal have the same bits, so the values found are exactly
 * those of stats_select and stats_min_of over V.
 */
static int stats_interval_tails(const double *v, size_t n, size_t klo, size_t khi,
                                double *low, size_t *cl, double *high, size_t *ch)
{
    const size_t cap = 2 * STATS_TAIL_MAX;
    size_t nl = klo + 2, nh = n - khi, l = 0, g = 0;
    double tl = INFINITY, th = -INFINITY;
    if (nl > STATS_TAIL_MAX || nh > STATS_TAIL_MAX || nl > n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        if (!(fabs(x) > 0.0))   /* NaN or zero */
            return -1;
        if (x < tl) {
            low[l++] = x;
            if (l == cap) {
                stats_select(low, l, nl - 1);
                l = nl;
                tl = low[nl - 1];
            }
        }
        if (x > th) {
            high[g++] = x;
            if (g == cap) {
                stats_select(high, g, g - nh);
                memmove(high, high + g - nh, nh * sizeof *high);
                g = nh;
                th = high[0];
            }
        }
    }
    if (l < nl || g < nh)
        return -1;
    *cl = l;
    *ch = g;
    return 0;
}

/*
 * The percentile interval at LEVEL of V[0..N-1] (N >= 1, may be
 * reordered): the (1-LEVEL)/2 and (1+LEVEL)/2 quantiles, interpolated
 * between order statistics, into *LO and *HI.  Short tails (2000
 * resamples at 95% or 99%) come from stats_interval_tails; the values
 * are those of the two quickselects over V, to the bit.
 */
static void stats_interval_of(double *ratios, size_t n, double level, double *lo, double *hi)
{
    double alpha = 1.0 - level;
    double plo = alpha / 2.0 * 100.0, phi = (1.0 - alpha / 2.0) * 100.0;
    double h = (double)(n - 1) * (plo / 100.0);
    size_t k = (size_t)floor(h);
    double hh = (double)(n - 1) * (phi / 100.0);
    size_t kh = (size_t)floor(hh), cl, ch;
    double low[2 * STATS_TAIL_MAX], high[2 * STATS_TAIL_MAX];
    if (n >= 2 && k <= kh && kh < n - 1 &&
        stats_interval_tails(ratios, n, k, kh, low, &cl, high, &ch) == 0) {
        stats_select(low, cl, k);
        *lo = stats_lerp(low[k], stats_min_of(low + k + 1, cl - k - 1), h - (double)k);
        size_t j = ch - (n - kh);   /* where V's order statistic KH is in HIGH */
        stats_select(high, ch, j);
        *hi = stats_lerp(high[j], stats_min_of(high + j + 1, ch - j - 1), hh - (double)kh);
        return;
    }
    if (k >= n - 1) {
        stats_select(ratios, n, n - 1);
        *lo = ratios[n - 1];
    } else {
        stats_select(ratios, n, k);
        *lo = stats_lerp(ratios[k], stats_min_of(ratios + k + 1, n - k - 1), h - (double)k);
    }
    h = (double)(n - 1) * (phi / 100.0);
    k = (size_t)floor(h);
    if (k >= n - 1) {
        stats_select(ratios, n, n - 1);
        *hi = ratios[n - 1];
    } else {
        stats_select(ratios, n, k);
        *hi = stats_lerp(ratios[k], stats_min_of(ratios + k + 1, n - k - 1), h - (double)k);
    }
}

int stats_bootstrap_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
                             double level, unsigned resamples, uint64_t seed,
                             double *lo, double *hi)
{
    int rc = -1;
    double *sa = NULL, *sb = NULL, *ratios = NULL;
    uint32_t *cnt = NULL;

    if (na == 0 || nb == 0 || a == NULL || b == NULL || resamples == 0 ||
        !(level > 0.0 && level < 1.0) || na > UINT32_MAX || nb > UINT32_MAX)
        goto out;
    sa = malloc(na * sizeof *sa);
    sb = malloc(nb * sizeof *sb);
    ratios = malloc(resamples * sizeof *ratios);
    cnt = malloc((na > nb ? na : nb) * sizeof *cnt);
    if (sa == NULL || sb == NULL || ratios == NULL || cnt == NULL)
        goto out;
    memcpy(sa, a, na * sizeof *sa);
    memcpy(sb, b, nb * sizeof *sb);
    stats_sort(sa, na);
    stats_sort(sb, nb);
    if (stats_percentile_sorted(sa, na, 50.0) == 0.0)
        goto out;

    stats_rng rng;
    stats_bits bits = { 0, 0 };
    stats_rng_seed(&rng, seed);
    if (na <= 15 && nb <= 15) {
        /* the common case (repetitions of a benchmark): the generator and
         * the spare bits stay in locals for all the resamples; the same
         * draws in the same order as the loop below */
        uint64_t word = 0;
        int have = 0;
        size_t ka1 = (na - 1) / 2, ka2 = na / 2, kb1 = (nb - 1) / 2, kb2 = nb / 2;
        for (unsigned i = 0; i < resamples; i++) {
            double ma = stats_resample_median_small(&rng, &word, &have, sa, na, ka1, ka2);
            double mb = stats_resample_median_small(&rng, &word, &have, sb, nb, kb1, kb2);
            if (ma == 0.0)
                goto out;
            ratios[i] = mb / ma;
        }
    } else {
        for (unsigned i = 0; i < resamples; i++) {
            double ma = stats_resample_median(&rng, &bits, sa, na, cnt);
            double mb = stats_resample_median(&rng, &bits, sb, nb, cnt);
            if (ma == 0.0)
                goto out;
            ratios[i] = mb / ma;
        }
    }

    stats_interval_of(ratios, resamples, level, lo, hi);
    rc = 0;
out:
    free(sa);
    free(sb);
    free(ratios);
    free(cnt);
    return rc;
}

int stats_group_medians(const double *x, size_t n, const size_t *groups, size_t ngroups,
                        double *out)
{
    size_t off = 0;
    for (size_t g = 0; g < ngroups; g++) {
        if (groups[g] == 0 || groups[g] > n - off)
            return -1;
        out[g] = stats_median(x + off, groups[g]);
        if (isnan(out[g]))
            return -1;
        off += groups[g];
    }
    return off == n ? 0 : -1;
}

/* One side of stats_bootstrap_nested_ratio_ci: S holds the samples with
 * each group's slice sorted, OFF[g] where group g starts. */
typedef struct stats_nested_side {
    double *s;
    const size_t *groups;
    size_t *off;
    size_t ngroups;
    double *pm;                 /* ngroups medians of one resample */
} stats_nested_side;

static int stats_nested_init(stats_nested_side *d, const double *x, size_t n,
                             const size_t *groups, size_t ngroups)
{
    size_t o = 0;
    d->groups = groups;
    d->ngroups = ngroups;
    d->s = stats_copy(x, n);
    d->off = malloc(ngroups * sizeof *d->off);
    d->pm = malloc(ngroups * sizeof *d->pm);
    if (d->s == NULL || d->off == NULL || d->pm == NULL)
        return -1;
    for (size_t g = 0; g < ngroups; g++) {
        if (groups[g] == 0 || groups[g] > n - o || groups[g] > UINT32_MAX)
            return -1;
        d->off[g] = o;
        stats_sort(d->s + o, groups[g]);
        o += groups[g];
    }
    return o == n ? 0 : -1;
}

static void stats_nested_release(stats_nested_side *d)
{
    free(d->s);
    free(d->off);
    free(d->pm);
}

/* The median of the group medians of one two-stage resample of D. */
static double stats_nested_resample(stats_rng *r, stats_bits *bits, stats_nested_side *d,
                                    uint32_t *cnt)
{
    for (size_t j = 0; j < d->ngroups; j++) {
        size_t g = stats_below32(r, bits, (uint32_t)d->ngroups);
        d->pm[j] = stats_resample_median(r, bits, d->s + d->off[g], d->groups[g], cnt);
    }
    return stats_median_inplace(d->pm, d->ngroups);
}

int stats_bootstrap_nested_ratio_ci(const double *a, size_t na, const size_t *ga, size_t nga,
                                    const double *b, size_t nb, const size_t *gb, size_t ngb,
                                    double level, unsigned resamples, uint64_t seed,
                                    double *lo, double *hi)
{
    int rc = -1;
    stats_nested_side da = { 0 }, db = { 0 };
    double *ratios = NULL;
    uint32_t *cnt = NULL;
    size_t maxg = 1;

    if (na == 0 || nb == 0 || nga == 0 || ngb == 0 || resamples == 0 ||
        !(level > 0.0 && level < 1.0) || nga > UINT32_MAX || ngb > UINT32_MAX)
        goto out;
    if (stats_nested_init(&da, a, na, ga, nga) != 0 || stats_nested_init(&db, b, nb, gb, ngb) != 0)
        goto out;
    for (size_t g = 0; g < nga; g++)
        maxg = ga[g] > maxg ? ga[g] : maxg;
    for (size_t g = 0; g < ngb; g++)
        maxg = gb[g] > maxg ? gb[g] : maxg;
    ratios = malloc(resamples * sizeof *ratios);
    cnt = malloc(maxg * sizeof *cnt);
    if (ratios == NULL || cnt == NULL)
        goto out;

    stats_rng rng;
    stats_bits bits = { 0, 0 };
    stats_rng_seed(&rng, seed);
    for (unsigned i = 0; i < resamples; i++) {
        double ma = stats_nested_resample(&rng, &bits, &da, cnt);
        double mb = stats_nested_resample(&rng, &bits, &db, cnt);
        if (ma == 0.0)
            goto out;
        ratios[i] = mb / ma;
    }
    stats_interval_of(ratios, resamples, level, lo, hi);
    rc = 0;
out:
    stats_nested_release(&da);
    stats_nested_release(&db);
    free(ratios);
    free(cnt);
    return rc;
}
