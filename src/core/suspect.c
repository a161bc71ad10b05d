/*
 * suspect.c - the rules for a suspect baseline (see suspect.h).
 */
#include "suspect.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>

int suspect_metric_view(const results_metric *m, suspect_view *v)
{
    if (!m || m->nsamples == 0)
        return -1;
    if (m->nprocesses >= 2) {
        double *med = malloc(m->nprocesses * sizeof *med);
        if (!med || stats_group_medians(m->samples, m->nsamples, m->processes, m->nprocesses,
                                        med) != 0) {
            free(med);
            return -1;
        }
        v->median = stats_median(med, m->nprocesses);
        v->lo = v->hi = med[0];
        for (size_t i = 1; i < m->nprocesses; i++) {
            v->lo = fmin(v->lo, med[i]);
            v->hi = fmax(v->hi, med[i]);
        }
        free(med);
        return 0;
    }
    v->median = m->summary.median;
    v->lo = m->summary.ci_low;
    v->hi = m->summary.ci_high;
    if (!isfinite(v->lo) || !isfinite(v->hi))
        v->lo = v->hi = v->median;
    return 0;
}

long suspect_process_views(const results_metric *m, suspect_view *out)
{
    if (!m || m->nsamples == 0)
        return -1;
    size_t one = m->nsamples;
    const size_t *groups = m->nprocesses ? m->processes : &one;
    size_t ngroups = m->nprocesses ? m->nprocesses : 1, at = 0;
    for (size_t g = 0; g < ngroups; g++) {
        const double *x = m->samples + at;
        size_t n = groups[g];
        if (n == 0 || at + n > m->nsamples)
            return -1;
        out[g].median = stats_median(x, n);
        if (stats_median_ci(x, n, 0.95, &out[g].lo, &out[g].hi) != 0 ||
            !isfinite(out[g].median))
            return -1;
        at += n;
    }
    return (long)ngroups;
}

int suspect_disagree(const suspect_view *v, size_t n, double min_change, size_t *lo,
                     size_t *hi)
{
    size_t l = n, h = n;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i].median))
            continue;
        if (l == n || v[i].median < v[l].median)
            l = i;
        if (h == n || v[i].median > v[h].median)
            h = i;
    }
    if (l == n || l == h || !(v[l].median > 0) || !(v[h].lo > v[l].hi) ||
        !(v[h].median / v[l].median > 1.0 + min_change))
        return 0;
    if (lo)
        *lo = l;
    if (hi)
        *hi = h;
    return 1;
}

int suspect_check_spread(const results_metric *m, double threshold, suspect_spread *out)
{
    size_t k = m ? results_metric_process_count(m) : 0;
    if (k < 2 || m->nprocesses < 2)
        return 0;
    suspect_view *v = malloc(k * sizeof *v);
    if (!v)
        return -1;
    double *med = malloc(k * sizeof *med);
    if (!med || suspect_process_views(m, v) != (long)k) {
        free(med);
        free(v);
        return -1;
    }
    out->nprocesses = k;
    out->lo = out->hi = v[0].median;
    for (size_t i = 0; i < k; i++) {
        med[i] = v[i].median;
        out->lo = fmin(out->lo, v[i].median);
        out->hi = fmax(out->hi, v[i].median);
    }
    out->median = stats_median(med, k);
    out->change = out->lo > 0 ? out->hi / out->lo - 1.0 : NAN;
    int r = isfinite(threshold) && threshold >= 0 && suspect_disagree(v, k, threshold, NULL, NULL);
    free(med);
    free(v);
    return r;
}

int suspect_check_history(double value, const double *hist, size_t n, double threshold,
                          suspect_history *out)
{
    if (!(value > 0) || !isfinite(value) || !isfinite(threshold) || threshold < 0)
        return 2;
    double *lg = malloc((n ? n : 1) * sizeof *lg);
    if (!lg)
        return -1;
    size_t k = 0;
    double mn = INFINITY, mx = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!(hist[i] > 0) || !isfinite(hist[i]))
            continue;
        lg[k++] = log(hist[i]);
        mn = fmin(mn, hist[i]);
        mx = fmax(mx, hist[i]);
    }
    if (k < SUSPECT_MIN_RUNS) {
        free(lg);
        return 2;
    }
    double center = stats_median(lg, k);
    double spread = SUSPECT_MAD_SCALE * stats_mad(lg, k);
    double dist = fabs(log(value) - center);
    free(lg);
    out->n = k;
    out->median = exp(center);
    out->min = mn;
    out->max = mx;
    out->spread = spread;
    out->z = spread > 0 ? dist / spread : dist > 0 ? INFINITY : 0.0;
    out->change = value / out->median - 1.0;
    return out->z > SUSPECT_Z && fabs(out->change) > threshold / 2.0;
}
