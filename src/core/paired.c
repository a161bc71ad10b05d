/*
 * paired.c - the Wilcoxon signed-rank test and the median of paired log
 * ratios (see paired.h).
 */
#include "paired.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The largest value of W+ with PAIRED_EXACT_MAX differences. */
#define PAIRED_MAX_SUM (PAIRED_EXACT_MAX * (PAIRED_EXACT_MAX + 1) / 2)

double paired_wilcoxon_exact_p(size_t n, double w)
{
    /* counts[s]: sign assignments of ranks 1..k whose positive ranks add
     * up to s; at most 2^50 each, exact in a double */
    double counts[PAIRED_MAX_SUM + 1];
    if (n > PAIRED_EXACT_MAX)
        return NAN;
    size_t total = n * (n + 1) / 2;
    if (!(w >= 0) || w > (double)total || w != floor(w))
        return NAN;
    if (n == 0)
        return 1.0;
    memset(counts, 0, (total + 1) * sizeof counts[0]);
    counts[0] = 1;
    size_t top = 0;
    for (size_t k = 1; k <= n; k++) {
        top += k;
        for (size_t s = top; s >= k; s--)
            counts[s] += counts[s - k];
    }
    double lower = fmin(w, (double)total - w);
    double tail = 0;
    for (size_t s = 0; (double)s <= lower; s++)
        tail += counts[s];
    double p = 2.0 * ldexp(tail, -(int)n);
    return p < 1.0 ? p : 1.0;
}

typedef struct paired_abs {
    double v;       /* |d| */
    int positive;
} paired_abs;

static int paired_cmp_abs(const void *pa, const void *pb)
{
    double a = ((const paired_abs *)pa)->v, b = ((const paired_abs *)pb)->v;
    return (a > b) - (a < b);
}

int paired_wilcoxon_test(const double *d, size_t n, paired_wilcoxon *out)
{
    paired_abs *v = NULL;
    int rc = -1;

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(d[i]))
            goto out;
    if (n && !(v = malloc(n * sizeof *v)))
        goto out;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (d[i] == 0) {
            out->nzero++;
            continue;
        }
        v[m].v = fabs(d[i]);
        v[m].positive = d[i] > 0;
        m++;
    }
    out->n = m;
    out->p = 1.0;
    if (m == 0) {
        rc = 0;
        goto out;
    }
    qsort(v, m, sizeof *v, paired_cmp_abs);

    /* Average ranks over ties; the tie correction's sum of t^3 - t. */
    double wplus = 0, ties = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && v[j].v == v[i].v)
            j++;
        double t = (double)(j - i);
        double rank = ((double)i + 1 + (double)j) / 2.0;  /* mean of ranks i+1 .. j */
        for (size_t k = i; k < j; k++)
            if (v[k].positive)
                wplus += rank;
        ties += t * t * t - t;
        i = j;
    }
    double nd = (double)m;
    double total = nd * (nd + 1) / 2;
    out->w_plus = wplus;
    out->w_minus = total - wplus;

    if (m <= PAIRED_EXACT_MAX && ties == 0 && out->nzero == 0) {
        out->p = paired_wilcoxon_exact_p(m, wplus);
        out->exact = 1;
        rc = isnan(out->p) ? -1 : 0;
        goto out;
    }
    double mean = total / 2;
    double var = nd * (nd + 1) * (2 * nd + 1) / 24.0 - ties / 48.0;
    double diff = wplus - mean;
    if (!(var > 0) || fabs(diff) <= 0.5) {
        out->z = 0;
        out->p = 1.0;
    } else {
        out->z = (diff - (diff > 0 ? 0.5 : -0.5)) / sqrt(var);
        double p = 2.0 * stats_normal_cdf(-fabs(out->z));
        out->p = p < 1.0 ? p : 1.0;
    }
    rc = 0;
out:
    free(v);
    if (rc != 0)
        memset(out, 0, sizeof *out);
    return rc;
}

int paired_analyze(const double *d, size_t n, double level, paired_result *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0 || !d || !(level > 0 && level < 1))
        return -1;
    if (paired_wilcoxon_test(d, n, &out->test) != 0)
        return -1;
    out->n = n;
    out->median = stats_median(d, n);
    if (isnan(out->median) || stats_median_ci(d, n, level, &out->d_low, &out->d_high) != 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    out->ratio = exp(out->median);
    out->ratio_low = exp(out->d_low);
    out->ratio_high = exp(out->d_high);
    return 0;
}

int paired_log_ratio(double a, double b, double *d)
{
    if (!isfinite(a) || !isfinite(b) || a < 0 || b < 0)
        return -1;
    if (a == 0 && b == 0) {
        *d = 0;
        return 0;
    }
    if (a == 0 || b == 0)
        return -1;
    *d = log(b / a);
    return 0;
}
