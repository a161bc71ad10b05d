/*
 * histogram.h - a log-bucketed latency histogram in the manner of
 * HdrHistogram: constant memory, O(1) record, 3 significant decimal digits
 * from 0 to 2^42 - 1 (1 ns to over an hour when values are nanoseconds).
 *
 * Layout (HdrHistogram's, with lowest discernible value 1 and 3
 * significant digits): 2048 sub-buckets per power of two, stored as 32
 * half-buckets of 1024 above a first full bucket of 2048.  Values 0..2047
 * are counted exactly; a value v >= 2048 falls in a slot 2^k wide where
 * 2^k <= v / 1024, so every slot spans at most 1/1024 (0.098%) of the
 * values in it.
 *
 * Precision: histogram_percentile(h, p) returns the highest value that is
 * equivalent to (shares a slot with) the nearest-rank p-th percentile x of
 * the recorded values, capped at the recorded maximum; so
 * x <= result <= x * (1 + 1/1024): relative error below 0.1%, and at
 * least p% of the recorded values are <= the result.  min, max, count and
 * the mean are exact (the mean up to double rounding).
 *
 * Memory: histogram_new allocates the whole histogram (33792 counters,
 * 264 KiB) once; nothing else allocates.  histogram_free releases it and
 * accepts NULL.  Not thread-safe: one histogram per thread, then merge.
 * Success and failure counts of operations are the caller's business; the
 * histogram holds only latencies.
 */
#ifndef PERFCMP_HISTOGRAM_H
#define PERFCMP_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

/* Largest value counted in its own slot; larger values are clamped to it. */
#define HISTOGRAM_MAX_VALUE ((UINT64_C(1) << 42) - 1)   /* 4398 s in ns */
/* Number of counters (the memory is HISTOGRAM_SLOTS * 8 bytes). */
#define HISTOGRAM_SLOTS (33 * 1024)
/* Worst relative width of a slot: results are within this of the truth. */
#define HISTOGRAM_PRECISION (1.0 / 1024.0)

typedef struct histogram histogram;

/* A new empty histogram, or NULL when memory runs out.  Free it with
 * histogram_free. */
histogram *histogram_new(void);

/* Frees H; accepts NULL. */
void histogram_free(histogram *h);

/* Empties H without freeing it. */
void histogram_reset(histogram *h);

/*
 * Counts VALUE once (histogram_record) or COUNT times.  A value above
 * HISTOGRAM_MAX_VALUE is counted in the top slot and reported by
 * histogram_clamped; the exact maximum is still kept.  Returns 0, or 1
 * when the value was clamped.
 */
int histogram_record(histogram *h, uint64_t value);
int histogram_record_n(histogram *h, uint64_t value, uint64_t count);

/* Adds every count of SRC to DST (SRC is unchanged). */
void histogram_merge(histogram *dst, const histogram *src);

/* Number of recorded values; 0 when empty. */
uint64_t histogram_count(const histogram *h);
/* Exact minimum and maximum of the recorded values; 0 when empty. */
uint64_t histogram_min(const histogram *h);
uint64_t histogram_max(const histogram *h);
/* Exact arithmetic mean (in double); 0 when empty. */
double histogram_mean(const histogram *h);
/* How many recorded values were above HISTOGRAM_MAX_VALUE. */
uint64_t histogram_clamped(const histogram *h);

/*
 * The P-th percentile (P in [0, 100]) within HISTOGRAM_PRECISION, as
 * described at the top; P = 0 gives the minimum and P = 100 the maximum
 * exactly.  Returns 0 when H is empty or P is out of range or NaN.
 */
uint64_t histogram_percentile(const histogram *h, double p);

/* The slot arithmetic, exposed for tests: the lowest and highest values
 * that share VALUE's slot. */
uint64_t histogram_lowest_equivalent(uint64_t value);
uint64_t histogram_highest_equivalent(uint64_t value);

#endif
