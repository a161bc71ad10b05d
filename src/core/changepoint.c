/*
 * changepoint.c - E-divisive means change points and the blocked
 * Mann-Kendall / Theil-Sen trend test (see changepoint.h).
 *
 * The divergence of a split of y[0..L) at t into X = y[0..t) (m values)
 * and Y = y[t..L) (k values) is, with alpha = 1 (Matteson & James 2014,
 * eq. 5 and the Q statistic of section 2.2):
 *
 *     E = 2/(m k) * sum|Xi - Yj| - sum_{i<i'}|Xi - Xi'| / C(m,2)
 *                                - sum_{j<j'}|Yj - Yj'| / C(k,2)
 *     Q = m k / (m + k) * E
 *
 * maximised over the split tau and the end kappa of the second part (see
 * best_split); one segment costs O(L^2) time and O(L) memory.
 */
#include "changepoint.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void changepoint_opts_init(changepoint_opts *o)
{
    o->alpha = CHANGEPOINT_DEFAULT_ALPHA;
    o->min_size = CHANGEPOINT_DEFAULT_MIN_SIZE;
    o->min_change = CHANGEPOINT_DEFAULT_MIN_CHANGE;
    o->permutations = CHANGEPOINT_DEFAULT_PERMUTATIONS;
    o->seed = CHANGEPOINT_DEFAULT_SEED;
}

/*
 * Best split of Y[0..L) with both parts at least MS long: returns its Q
 * and sets *TAU (relative to Y), or returns -1 when L is too short.
 *
 * As in the paper, the second part may end before the segment does: Q is
 * maximised over tau and kappa, X = y[0..tau), Y = y[tau..kappa), so that
 * a level that shifts and comes back (a bump) is found as readily as a
 * step.  With W(a,b) the sum of |yi - yj| over a <= i < j < b:
 * A = W(0,tau), B = W(tau,kappa), C = W(0,kappa) - A - B.  For each kappa
 * W(t,kappa) is kept for every t (W[]) and updated from kappa-1 in O(L),
 * so a segment costs O(L^2) time and O(L) memory.  WA and W are scratch
 * arrays of L+1 doubles.
 */
static double best_split(const double *y, size_t L, size_t ms, size_t *tau,
                         double *wa, double *w)
{
    if (L < 2 || L < 2 * ms)
        return -1;
    size_t lo = ms > 1 ? ms : 1;
    double best = -1;
    wa[0] = 0;
    for (size_t k = 1; k <= L; k++) {
        /* add element e = k-1 to every interval [t, k) */
        size_t e = k - 1;
        double s = 0;
        w[e] = 0;
        for (size_t t = e; t-- > 0;) {
            s += fabs(y[t] - y[e]);
            w[t] += s;
        }
        wa[k] = w[0];
        if (k < 2 * lo)
            continue;
        for (size_t t = lo; t + lo <= k; t++) {
            double m = (double)t, n = (double)(k - t);
            double a = wa[t], b = w[t], c = w[0] - a - b;
            double e2 = 2.0 * c / (m * n);
            if (t >= 2)
                e2 -= a / (m * (m - 1) / 2);
            if (k - t >= 2)
                e2 -= b / (n * (n - 1) / 2);
            double q = m * n / (m + n) * e2;
            if (q > best) {
                best = q;
                *tau = t;
            }
        }
    }
    return best;
}

/* The best split over all segments of X delimited by CUTS: sets *SEG (the
 * segment's number) and *TAU (absolute index); returns its Q or -1. */
static double best_of_segments(const double *x, size_t n, const size_t *cuts, size_t ncuts,
                               size_t ms, size_t *seg, size_t *tau,
                               double *rowl, double *rowr)
{
    double best = -1;
    for (size_t s = 0; s <= ncuts; s++) {
        size_t start = s ? cuts[s - 1] : 0, end = s < ncuts ? cuts[s] : n, t = 0;
        double q = best_split(x + start, end - start, ms, &t, rowl, rowr);
        if (q > best) {
            best = q;
            *seg = s;
            *tau = start + t;
        }
    }
    return best;
}

static void shuffle(double *v, size_t n, stats_rng *rng)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)stats_rng_below(rng, i);
        if (j >= i)
            j = i - 1;
        double tmp = v[i - 1];
        v[i - 1] = v[j];
        v[j] = tmp;
    }
}

static int valid_opts(const changepoint_opts *o)
{
    return o->alpha > 0 && o->alpha < 1 && o->min_size >= 1 && o->permutations >= 1 &&
           o->min_change >= 0 && !isnan(o->min_change);
}

static double rel_change(double before, double after)
{
    if (before == 0)
        return after > 0 ? INFINITY : after < 0 ? -INFINITY : 0;
    return after / before - 1;
}

/* Fills before/after/change of CP[0..N-1] from the medians of the segments
 * they delimit in X[0..LEN). */
static void fill_levels(const double *x, size_t len, changepoint *cp, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t s0 = i ? cp[i - 1].index : 0, s1 = cp[i].index;
        size_t s2 = i + 1 < n ? cp[i + 1].index : len;
        cp[i].before = stats_median(x + s0, s1 - s0);
        cp[i].after = stats_median(x + s1, s2 - s1);
        cp[i].change = rel_change(cp[i].before, cp[i].after);
    }
}

int changepoint_detect(const double *x, size_t n, const changepoint_opts *o,
                       changepoint **out, size_t *nout)
{
    changepoint_opts def;
    double *rowl = NULL, *rowr = NULL, *buf = NULL;
    size_t *cuts = NULL;
    changepoint *cp = NULL;
    size_t ncp = 0;
    int rc = -1;

    *out = NULL;
    *nout = 0;
    if (!o) {
        changepoint_opts_init(&def);
        o = &def;
    }
    if (!valid_opts(o))
        return -1;
    if (n == 0)
        return 0;
    rowl = malloc((n + 1) * sizeof *rowl);
    rowr = malloc((n + 1) * sizeof *rowr);
    buf = malloc(n * sizeof *buf);
    cuts = malloc(n * sizeof *cuts);
    cp = malloc(n * sizeof *cp);
    if (!rowl || !rowr || !buf || !cuts || !cp)
        goto out;

    stats_rng rng;
    stats_rng_seed(&rng, o->seed);
    /* the test fails for good once this many permutations reach q */
    double limit = o->alpha * (o->permutations + 1.0);

    for (;;) {
        size_t seg = 0, tau = 0;
        double q = best_of_segments(x, n, cuts, ncp, o->min_size, &seg, &tau, rowl, rowr);
        if (!(q > 0))
            break;
        unsigned reached = 0, r;
        for (r = 0; r < o->permutations; r++) {
            memcpy(buf, x, n * sizeof *buf);
            for (size_t s = 0; s <= ncp; s++) {
                size_t start = s ? cuts[s - 1] : 0, end = s < ncp ? cuts[s] : n;
                shuffle(buf + start, end - start, &rng);
            }
            size_t ps, pt;
            double pq = best_of_segments(buf, n, cuts, ncp, o->min_size, &ps, &pt, rowl, rowr);
            if (pq >= q * (1 - 1e-9))
                reached++;
            if (reached + 1.0 > limit)
                break;
        }
        double p = (reached + 1.0) / (o->permutations + 1.0);
        if (r < o->permutations || p > o->alpha)
            break;
        /* insert the cut, keeping cuts[] and cp[] sorted by index */
        size_t at = seg;
        memmove(cuts + at + 1, cuts + at, (ncp - at) * sizeof *cuts);
        memmove(cp + at + 1, cp + at, (ncp - at) * sizeof *cp);
        cuts[at] = tau;
        cp[at] = (changepoint){ .index = tau, .q = q, .p = p };
        ncp++;
    }

    /* merge away the weakest splits until every shift reaches min_change */
    for (;;) {
        fill_levels(x, n, cp, ncp);
        size_t weakest = ncp;
        for (size_t i = 0; i < ncp; i++) {
            double mag = fabs(cp[i].change);
            if (mag < o->min_change && (weakest == ncp || mag < fabs(cp[weakest].change)))
                weakest = i;
        }
        if (weakest == ncp)
            break;
        memmove(cp + weakest, cp + weakest + 1, (ncp - weakest - 1) * sizeof *cp);
        ncp--;
    }
    rc = 0;
    if (ncp) {
        *out = cp;
        *nout = ncp;
        cp = NULL;
    }
out:
    free(rowl);
    free(rowr);
    free(buf);
    free(cuts);
    free(cp);
    return rc;
}

static int changepoint_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int changepoint_trend_test(const double *x, size_t n, const size_t *cuts, size_t ncuts,
                           changepoint_trend *out)
{
    double *sorted = NULL, *slopes = NULL;
    int rc = -1;

    memset(out, 0, sizeof *out);
    out->p = 1;
    if (n < 2)
        return -1;
    int positive = 1;
    for (size_t i = 0; i < n; i++)
        if (!(x[i] > 0))
            positive = 0;
    sorted = malloc(n * sizeof *sorted);
    slopes = malloc((n * (n - 1) / 2) * sizeof *slopes);
    if (!sorted || !slopes)
        goto out;

    double s = 0, var = 0;
    size_t nslopes = 0;
    for (size_t b = 0; b <= ncuts; b++) {
        size_t start = b ? cuts[b - 1] : 0, end = b < ncuts ? cuts[b] : n;
        if (end > n)
            end = n;
        if (start >= end || end - start < 2)
            continue;
        size_t L = end - start;
        for (size_t i = start; i < end; i++) {
            for (size_t j = i + 1; j < end; j++) {
                s += (x[j] > x[i]) - (x[j] < x[i]);
                double gi = positive ? log(x[i]) : x[i], gj = positive ? log(x[j]) : x[j];
                slopes[nslopes++] = (gj - gi) / (double)(j - i);
            }
        }
        /* variance with the tie correction (Kendall 1975) */
        double dl = (double)L, v = dl * (dl - 1) * (2 * dl + 5);
        memcpy(sorted, x + start, L * sizeof *sorted);
        qsort(sorted, L, sizeof *sorted, changepoint_cmp_double);
        for (size_t i = 0; i < L;) {
            size_t j = i + 1;
            while (j < L && sorted[j] == sorted[i])
                j++;
            double t = (double)(j - i);
            v -= t * (t - 1) * (2 * t + 5);
            i = j;
        }
        var += v / 18.0;
    }
    out->s = s;
    out->var_s = var;
    if (var > 0) {
        double num = s > 0 ? s - 1 : s < 0 ? s + 1 : 0;
        out->z = num / sqrt(var);
        out->p = erfc(fabs(out->z) / sqrt(2.0));
    }
    double slope = nslopes ? stats_median(slopes, nslopes) : 0;
    if (isnan(slope))
        slope = 0;
    if (positive) {
        out->rate = expm1(slope);
        out->total = expm1(slope * (double)(n - 1));
    } else {
        double med = stats_median(x, n);
        out->rate = med != 0 && !isnan(med) ? slope / fabs(med) : 0;
        out->total = out->rate * (double)(n - 1);
    }
    rc = 0;
out:
    free(sorted);
    free(slopes);
    return rc;
}
