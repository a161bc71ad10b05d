/*
 * bigo.h - asymptotic complexity fit of (n, time) pairs, and a verdict on
 * a change of complexity between a baseline and a current run.
 *
 * For each candidate f(n) the coefficient c of t = c * f(n) is a
 * least-squares fit through the origin, and the candidate with the lowest
 * normalised root-mean-square residual wins.  Logarithms are base 2.  Two
 * weightings:
 *
 *  BIGO_ABSOLUTE  exactly Google Benchmark's (src/complexity.cc):
 *                 c = sum(t*f) / sum(f^2), RMS = sqrt(mean((t - c*f)^2)) /
 *                 mean(t).  The largest n dominate both sums, so with 10%
 *                 noise it picks the wrong class in about 1 of 20 fits
 *                 (O(N) taken for O(NlogN) and back).
 *  BIGO_RELATIVE  weighted by 1/t^2, the right weighting for timing noise
 *                 that is proportional to the time: c = sum(f/t) /
 *                 sum(f^2/t^2), RMS = sqrt(mean(((t - c*f)/t)^2)), i.e. the
 *                 RMS of the relative residuals.  Every size counts
 *                 equally; the default to use.
 *
 * No allocation anywhere: a bigo_fit is a plain value the caller owns.
 */
#ifndef PERFCMP_BIGO_H
#define PERFCMP_BIGO_H

#include <stddef.h>

/* Candidate complexity classes, in increasing order of growth; the order
 * of the standard classes is what bigo_compare() ranks by. */
typedef enum bigo_class {
    BIGO_1 = 0,        /* "O(1)" */
    BIGO_LOGN,         /* "O(logN)" */
    BIGO_N,            /* "O(N)" */
    BIGO_NLOGN,        /* "O(NlogN)" */
    BIGO_N2,           /* "O(N^2)" */
    BIGO_N3,           /* "O(N^3)" */
    BIGO_NSTANDARD,    /* number of standard classes */
    BIGO_USER = BIGO_NSTANDARD  /* the user-supplied function, if any */
} bigo_class;

typedef enum bigo_weight {
    BIGO_RELATIVE = 0,
    BIGO_ABSOLUTE = 1
} bigo_weight;

/* A user-supplied cost function f(n); must be finite for the n given. */
typedef double (*bigo_fn)(double n);

typedef struct bigo_fit {
    bigo_class best;                   /* lowest normalised RMS */
    double coef;                       /* coefficient of the best class */
    double rms;                        /* normalised RMS of the best class */
    /* Every candidate's fit, so that a caller can see how close the
     * runner-up was.  Index by bigo_class; [BIGO_USER] is valid only when
     * has_user is 1. */
    double coefs[BIGO_NSTANDARD + 1];
    double rmss[BIGO_NSTANDARD + 1];
    int has_user;
    const char *user_name;             /* as given to bigo_fit_points (not copied) */
    bigo_weight weight;
    size_t npoints;
} bigo_fit;

/* The cost function of a standard class (f(n) = 1, log2 n, n, n log2 n,
 * n^2, n^3); NULL for BIGO_USER or an out-of-range value. */
bigo_fn bigo_class_fn(bigo_class c);

/* "O(1)", "O(logN)", "O(N)", "O(NlogN)", "O(N^2)", "O(N^3)"; for BIGO_USER
 * "f(N)"; "?" for anything else.  Static storage. */
const char *bigo_class_name(bigo_class c);

/* Parses a name written by bigo_class_name (standard classes only).
 * Returns the class, or -1 for an unknown name. */
int bigo_class_parse(const char *name);

/* The display name of FIT's best class: the user's name for BIGO_USER
 * (or "f(N)" when none was given). */
const char *bigo_fit_name(const bigo_fit *fit);

/*
 * Least-squares fit of t = c * f(n) for one function F over COUNT points
 * with weighting W.  Writes the coefficient and the normalised RMS.
 * Returns 0, or -1 when COUNT < 2, a value is not finite, an n is not
 * positive, a t is negative (or 0, for BIGO_RELATIVE), the mean of T is 0,
 * or f(n) is 0 at every n (outputs are then untouched).
 */
int bigo_fit_one(const double *n, const double *t, size_t count, bigo_fn f,
                 bigo_weight w, double *coef, double *rms);

/*
 * Fits every standard class, and USER_FN when it is not NULL (named
 * USER_NAME, which may be NULL and is not copied), and picks the one with
 * the lowest normalised RMS; on a tie the lower class wins.  A class
 * whose fit is undefined for these points (e.g. O(logN) when every n is 1)
 * takes part with an infinite RMS.  Returns 0, or -1 when the input is
 * invalid as for bigo_fit_one (FIT is then zeroed).
 */
int bigo_fit_points(const double *n, const double *t, size_t count,
                    bigo_fn user_fn, const char *user_name, bigo_weight w,
                    bigo_fit *fit);

typedef enum bigo_verdict {
    BIGO_SAME = 0,         /* same class */
    BIGO_WORSE,            /* current grows clearly faster than baseline: a scaling regression */
    BIGO_BETTER,           /* current grows clearly slower */
    BIGO_INCONCLUSIVE      /* classes differ but the data does not tell them
                              apart clearly, a fit is too poor, or a side
                              used a user function */
} bigo_verdict;

/* "same", "worse", "better", "inconclusive"; "?" otherwise. */
const char *bigo_verdict_name(bigo_verdict v);

/* A fit is "clear" when its best RMS is at most BIGO_MAX_RMS.  On one
 * side's data, another class is told apart from the best one when its RMS
 * is at least BIGO_MARGIN(npoints) times the best's and BIGO_MIN_GAP above
 * it; the margin shrinks from 3 at 4 points towards 1.5 as points are
 * added, because an RMS from few points is itself noisy.  Tuned by
 * simulation (docs/metrics.md): with relative weighting and 11 sizes
 * 16..16384, no O(N) vs O(N) pair in 2000 was judged a change at up to 40%
 * noise, and O(N) -> O(NlogN) was detected every time at up to 10%. */
#define BIGO_MAX_RMS 0.25
#define BIGO_MARGIN(npoints) (1.5 + 6.0 / (double)(npoints))
#define BIGO_MIN_GAP 0.02

/*
 * Judges the change of complexity from BASELINE to CURRENT (both from
 * bigo_fit_points).  Equal best classes give BIGO_SAME (two BIGO_USER
 * count as equal: the caller passes the same function on both sides).  Different
 * standard classes give BIGO_WORSE or BIGO_BETTER only when each side's
 * data is clearly told apart from the other side's class (so a O(N) vs
 * O(NlogN) wobble on noisy data is BIGO_INCONCLUSIVE, not a regression);
 * a fit with RMS above BIGO_MAX_RMS, or a BIGO_USER on either side with
 * different classes, gives BIGO_INCONCLUSIVE.  NULL arguments give
 * BIGO_INCONCLUSIVE.
 */
bigo_verdict bigo_compare(const bigo_fit *baseline, const bigo_fit *current);

#endif
