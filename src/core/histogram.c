/*
 * histogram.c - HdrHistogram-style latency histogram (see histogram.h).
 *
 * Index arithmetic as in HdrHistogram_c (hdr_histogram.c) with
 * unit_magnitude 0, sub_bucket_count 2048 (sub_bucket_half_count_magnitude
 * 10) and bucket_count 32:
 *   bucket(v)     = 63 - clz(v | 2047) - 10        (0 for v < 2048)
 *   sub_bucket(v) = v >> bucket(v)                  (1024..2047 above bucket 0)
 *   index         = ((bucket + 1) << 10) + sub_bucket - 1024
 */
#include "histogram.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HIST_SUB_BUCKET_COUNT 2048u
#define HIST_SUB_BUCKET_MASK ((uint64_t)HIST_SUB_BUCKET_COUNT - 1)
#define HIST_HALF_MAGNITUDE 10
#define HIST_HALF_COUNT 1024u

struct histogram {
    uint64_t total;
    uint64_t min, max;
    uint64_t clamped;
    double sum;
    uint64_t counts[HISTOGRAM_SLOTS];
};

static int hist_bucket(uint64_t v)
{
    return 63 - __builtin_clzll(v | HIST_SUB_BUCKET_MASK) - HIST_HALF_MAGNITUDE;
}

static size_t hist_index(uint64_t v)
{
    int b = hist_bucket(v);
    uint64_t sub = v >> b;
    return ((size_t)(b + 1) << HIST_HALF_MAGNITUDE) + (size_t)sub - HIST_HALF_COUNT;
}

/* The lowest value of slot I. */
static uint64_t hist_value_at(size_t i)
{
    int b = (int)(i >> HIST_HALF_MAGNITUDE) - 1;
    uint64_t sub = (i & (HIST_HALF_COUNT - 1)) + HIST_HALF_COUNT;

    if (b < 0) {
        sub -= HIST_HALF_COUNT;
        b = 0;
    }
    return sub << b;
}

uint64_t histogram_lowest_equivalent(uint64_t value)
{
    if (value > HISTOGRAM_MAX_VALUE)
        value = HISTOGRAM_MAX_VALUE;
    return hist_value_at(hist_index(value));
}

uint64_t histogram_highest_equivalent(uint64_t value)
{
    if (value > HISTOGRAM_MAX_VALUE)
        value = HISTOGRAM_MAX_VALUE;
    return histogram_lowest_equivalent(value) + ((uint64_t)1 << hist_bucket(value)) - 1;
}

histogram *histogram_new(void)
{
    histogram *h = calloc(1, sizeof *h);

    if (h != NULL)
        histogram_reset(h);
    return h;
}

void histogram_free(histogram *h)
{
    free(h);
}

void histogram_reset(histogram *h)
{
    memset(h, 0, sizeof *h);
    h->min = UINT64_MAX;
}

int histogram_record_n(histogram *h, uint64_t value, uint64_t count)
{
    int clamped = 0;
    uint64_t slot = value;

    if (count == 0)
        return 0;
    if (slot > HISTOGRAM_MAX_VALUE) {
        slot = HISTOGRAM_MAX_VALUE;
        h->clamped += count;
        clamped = 1;
    }
    h->counts[hist_index(slot)] += count;
    h->total += count;
    h->sum += (double)value * (double)count;
    if (value < h->min)
        h->min = value;
    if (value > h->max)
        h->max = value;
    return clamped;
}

int histogram_record(histogram *h, uint64_t value)
{
    return histogram_record_n(h, value, 1);
}

void histogram_merge(histogram *dst, const histogram *src)
{
    if (src->total == 0)
        return;
    for (size_t i = 0; i < HISTOGRAM_SLOTS; i++)
        dst->counts[i] += src->counts[i];
    dst->total += src->total;
    dst->clamped += src->clamped;
    dst->sum += src->sum;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

uint64_t histogram_count(const histogram *h)
{
    return h->total;
}

uint64_t histogram_min(const histogram *h)
{
    return h->total ? h->min : 0;
}

uint64_t histogram_max(const histogram *h)
{
    return h->total ? h->max : 0;
}

double histogram_mean(const histogram *h)
{
    return h->total ? h->sum / (double)h->total : 0.0;
}

uint64_t histogram_clamped(const histogram *h)
{
    return h->clamped;
}

uint64_t histogram_percentile(const histogram *h, double p)
{
    uint64_t rank, seen = 0;

    if (h->total == 0 || !(p >= 0.0 && p <= 100.0))
        return 0;
    if (p == 0.0)
        return h->min;
    if (p == 100.0)
        return h->max;
    /* nearest rank: the smallest value with at least p% of values <= it,
     * rank = ceil(p/100 * n); the factor keeps 99.9/100 * 100000 =
     * 99900.00000000001 from rounding up to 99901 */
    rank = (uint64_t)ceil(p / 100.0 * (double)h->total * (1.0 - 1e-12));
    if (rank < 1)
        rank = 1;
    if (rank > h->total)
        rank = h->total;
    for (size_t i = 0; i < HISTOGRAM_SLOTS; i++) {
        seen += h->counts[i];
        if (seen >= rank) {
            uint64_t v = histogram_highest_equivalent(hist_value_at(i));
            if (v > h->max)
                v = h->max;
            if (v < h->min)
                v = h->min;
            return v;
        }
    }
    return h->max;
}
