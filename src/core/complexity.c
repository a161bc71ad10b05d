/*
 * complexity.c - complexity fits of a run's families (see complexity.h).
 */
#include "complexity.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void complexity_fits_free(complexity_fit *fits, size_t n)
{
    if (fits == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(fits[i].family);
    free(fits);
}

const complexity_fit *complexity_find(const complexity_fit *fits, size_t n, const char *family)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fits[i].family, family) == 0)
            return &fits[i];
    return NULL;
}

void complexity_describe(const complexity_fit *fit, char *buf, size_t len)
{
    snprintf(buf, len, "complexity of %s: %s (rms %.1f%%, %zu sizes %lld..%lld)", fit->family,
             bigo_class_name(fit->fit.best), 100.0 * fit->fit.rms, fit->npoints, fit->min_n,
             fit->max_n);
}

cJSON *complexity_fits_json(const complexity_fit *fits, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    if (a == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const complexity_fit *c = &fits[i];
        cJSON *o = cJSON_CreateObject();
        if (o == NULL)
            goto fail;
        cJSON_AddItemToArray(a, o);
        if (!cJSON_AddStringToObject(o, "family", c->family) ||
            !cJSON_AddStringToObject(o, "metric", "wall_time") ||
            !cJSON_AddStringToObject(o, "class", bigo_class_name(c->fit.best)) ||
            !cJSON_AddNumberToObject(o, "coefficient", c->fit.coef) ||
            !cJSON_AddNumberToObject(o, "rms", c->fit.rms) ||
            !cJSON_AddNumberToObject(o, "points", (double)c->npoints) ||
            !cJSON_AddNumberToObject(o, "min_arg", (double)c->min_n) ||
            !cJSON_AddNumberToObject(o, "max_arg", (double)c->max_n))
            goto fail;
    }
    return a;
fail:
    cJSON_Delete(a);
    return NULL;
}

/* The median of METRIC of B when B can be a point of a fit, else NAN. */
static double complexity_point(const results_bench *b, const char *metric)
{
    if (b->status != RESULTS_OK || b->nargs != 1 || b->args[0] < 1 || b->family == NULL)
        return NAN;
    const results_metric *m = results_find_metric(b, metric);
    if (m == NULL || m->nsamples == 0)
        return NAN;
    double v = stats_median(m->samples, m->nsamples);
    return isfinite(v) && v > 0 ? v : NAN;
}

/* Orders benchmark indices by family, then by position in RUN. */
static int complexity_cmp(const void *pa, const void *pb, void *ctx)
{
    const results_run *run = ctx;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = strcmp(run->benches[a].family, run->benches[b].family);
    if (c != 0)
        return c;
    return (a > b) - (a < b);
}

static int complexity_cmp_first(const void *pa, const void *pb)
{
    const complexity_fit *a = pa, *b = pb;
    return (a->first > b->first) - (a->first < b->first);
}

int complexity_fit_run(const results_run *run, const char *metric, complexity_fit **out,
                       size_t *n)
{
    complexity_fit *fits = NULL;
    size_t nfits = 0, nidx = 0, *idx = NULL;
    double *xs = NULL, *ts = NULL;
    int rc = -1;

    *out = NULL;
    *n = 0;
    if (run->nbenches == 0)
        return 0;
    xs = malloc(run->nbenches * sizeof *xs);
    ts = malloc(run->nbenches * sizeof *ts);
    idx = malloc(run->nbenches * sizeof *idx);
    fits = calloc(run->nbenches, sizeof *fits);
    if (xs == NULL || ts == NULL || idx == NULL || fits == NULL)
        goto out;
    /* the candidate points, grouped by family */
    for (size_t i = 0; i < run->nbenches; i++)
        if (run->benches[i].family != NULL && isfinite(complexity_point(&run->benches[i], metric)))
            idx[nidx++] = i;
    qsort_r(idx, nidx, sizeof *idx, complexity_cmp, (void *)run);
    for (size_t g = 0; g < nidx;) {
        const char *family = run->benches[idx[g]].family;
        size_t end = g, count = 0;
        long long lo = 0, hi = 0;

        while (end < nidx && strcmp(run->benches[idx[end]].family, family) == 0)
            end++;
        for (size_t k = g; k < end; k++) {
            const results_bench *b = &run->benches[idx[k]];
            xs[count] = (double)b->args[0];
            ts[count] = complexity_point(b, metric);
            if (count == 0 || b->args[0] < lo)
                lo = b->args[0];
            if (count == 0 || b->args[0] > hi)
                hi = b->args[0];
            count++;
        }
        size_t first = idx[g];
        g = end;
        if (count < COMPLEXITY_MIN_POINTS || lo == hi)
            continue;
        complexity_fit *f = &fits[nfits];
        if (bigo_fit_points(xs, ts, count, NULL, NULL, BIGO_RELATIVE, &f->fit) != 0)
            continue;
        size_t len = strlen(family) + 1;
        if ((f->family = malloc(len)) == NULL)
            goto out;
        memcpy(f->family, family, len);
        f->npoints = count;
        f->min_n = lo;
        f->max_n = hi;
        f->first = first;
        nfits++;
    }
    qsort(fits, nfits, sizeof *fits, complexity_cmp_first);
    rc = 0;
out:
    free(xs);
    free(ts);
    free(idx);
    if (rc != 0 || nfits == 0) {
        complexity_fits_free(fits, nfits);
        fits = NULL;
        nfits = 0;
    }
    *out = fits;
    *n = nfits;
    return rc;
}
