/*
 * complexity.h - the complexity class of each benchmark family of a run:
 * for a family whose instances have one argument (the size n), the
 * medians of a metric (normally wall_time) against n, fitted by bigo.h
 * with relative weighting.
 *
 * The bench binary writes these fits into its result file ("complexity",
 * docs/results-format.md) and prints them; compare computes them again
 * from the stored samples of both runs (the same function on the same
 * numbers gives the same fit), so nothing new has to be stored.
 *
 * Ownership: complexity_fit_run returns a malloc'd array whose family
 * strings it owns; free it with complexity_fits_free (accepts NULL).
 */
#ifndef PERFCMP_COMPLEXITY_H
#define PERFCMP_COMPLEXITY_H

#include <stddef.h>
#include "bigo.h"
#include "results.h"

/* Fewest sizes a family needs for a fit. */
#define COMPLEXITY_MIN_POINTS 4

typedef struct complexity_fit {
    char *family;
    bigo_fit fit;                  /* fit.best, fit.coef (ns per f(n)), fit.rms */
    size_t npoints;
    long long min_n, max_n;
    size_t first;                  /* index in the run of the family's first point */
} complexity_fit;

/*
 * Fits every family of RUN that has at least COMPLEXITY_MIN_POINTS
 * instances with status ok, exactly one argument n >= 1, and METRIC with
 * a positive finite median.  Families come in the order of their first
 * instance.  Sets *OUT (NULL when none) and *N.  Returns 0, or -1 on
 * ENOMEM (*OUT NULL, *N 0).
 */
int complexity_fit_run(const results_run *run, const char *metric, complexity_fit **out,
                       size_t *n);

/* Frees N fits and the array. */
void complexity_fits_free(complexity_fit *fits, size_t n);

/*
 * FIT as one line of the bench binary's table, without a newline, into
 * BUF[LEN] (cut short to fit):
 * "complexity of sort: O(NlogN) (rms 3.1%, 8 sizes 32..4096)".
 */
void complexity_describe(const complexity_fit *fit, char *buf, size_t len);

/*
 * FITS[N] as the "complexity" array of a result file (metric wall_time;
 * docs/results-format.md).  Returns a new cJSON array the caller frees
 * with cJSON_Delete, or NULL on ENOMEM.
 */
struct cJSON;
struct cJSON *complexity_fits_json(const complexity_fit *fits, size_t n);

/* The fit of FAMILY in FITS[N], or NULL. */
const complexity_fit *complexity_find(const complexity_fit *fits, size_t n, const char *family);

#endif
