/*
 * bigo.c - complexity fit (see bigo.h).
 */
#include "bigo.h"

#include <math.h>
#include <string.h>

static double bigo_f1(double n) { (void)n; return 1.0; }
static double bigo_flogn(double n) { return log2(n); }
static double bigo_fn1(double n) { return n; }
static double bigo_fnlogn(double n) { return n * log2(n); }
static double bigo_fn2(double n) { return n * n; }
static double bigo_fn3(double n) { return n * n * n; }

static const struct {
    const char *name;
    bigo_fn fn;
} bigo_classes[BIGO_NSTANDARD] = {
    [BIGO_1] = { "O(1)", bigo_f1 },
    [BIGO_LOGN] = { "O(logN)", bigo_flogn },
    [BIGO_N] = { "O(N)", bigo_fn1 },
    [BIGO_NLOGN] = { "O(NlogN)", bigo_fnlogn },
    [BIGO_N2] = { "O(N^2)", bigo_fn2 },
    [BIGO_N3] = { "O(N^3)", bigo_fn3 },
};

bigo_fn bigo_class_fn(bigo_class c)
{
    if ((int)c < 0 || c >= BIGO_NSTANDARD)
        return NULL;
    return bigo_classes[c].fn;
}

const char *bigo_class_name(bigo_class c)
{
    if (c == BIGO_USER)
        return "f(N)";
    if ((int)c < 0 || c > BIGO_USER)
        return "?";
    return bigo_classes[c].name;
}

int bigo_class_parse(const char *name)
{
    if (name == NULL)
        return -1;
    for (int c = 0; c < BIGO_NSTANDARD; c++)
        if (strcmp(name, bigo_classes[c].name) == 0)
            return c;
    return -1;
}

const char *bigo_fit_name(const bigo_fit *fit)
{
    if (fit == NULL)
        return "?";
    if (fit->best == BIGO_USER && fit->user_name != NULL)
        return fit->user_name;
    return bigo_class_name(fit->best);
}

/* Validates the points; 0 when usable. */
static int bigo_check(const double *n, const double *t, size_t count, bigo_weight w)
{
    double sum = 0.0;

    if (n == NULL || t == NULL || count < 2 || (w != BIGO_RELATIVE && w != BIGO_ABSOLUTE))
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(n[i]) || !isfinite(t[i]) || n[i] <= 0.0 || t[i] < 0.0)
            return -1;
        if (w == BIGO_RELATIVE && t[i] == 0.0)
            return -1;
        sum += t[i];
    }
    return sum > 0.0 ? 0 : -1;
}

/* The fit itself, on checked points.  With weights w_i (1 for absolute,
 * 1/t_i^2 for relative) the coefficient minimising sum w_i (t_i - c g_i)^2
 * is c = sum(w g t) / sum(w g^2). */
static int bigo_fit_checked(const double *n, const double *t, size_t count, bigo_fn f,
                            bigo_weight w, double *coef, double *rms)
{
    double sgg = 0.0, stg = 0.0, st = 0.0, ss = 0.0, c;

    for (size_t i = 0; i < count; i++) {
        double g = f(n[i]);
        if (!isfinite(g))
            return -1;
        if (w == BIGO_RELATIVE) {
            double x = g / t[i];
            sgg += x * x;
            stg += x;
        } else {
            sgg += g * g;
            stg += t[i] * g;
        }
        st += t[i];
    }
    if (!(sgg > 0.0) || !isfinite(sgg) || !isfinite(stg))
        return -1;
    c = stg / sgg;
    for (size_t i = 0; i < count; i++) {
        double r = t[i] - c * f(n[i]);
        if (w == BIGO_RELATIVE)
            r /= t[i];
        ss += r * r;
    }
    *coef = c;
    *rms = sqrt(ss / (double)count);
    if (w == BIGO_ABSOLUTE)
        *rms /= st / (double)count;
    return 0;
}

int bigo_fit_one(const double *n, const double *t, size_t count, bigo_fn f,
                 bigo_weight w, double *coef, double *rms)
{
    if (f == NULL || coef == NULL || rms == NULL || bigo_check(n, t, count, w) != 0)
        return -1;
    return bigo_fit_checked(n, t, count, f, w, coef, rms);
}

int bigo_fit_points(const double *n, const double *t, size_t count,
                    bigo_fn user_fn, const char *user_name, bigo_weight w,
                    bigo_fit *fit)
{
    int last;

    if (fit == NULL)
        return -1;
    memset(fit, 0, sizeof *fit);
    if (bigo_check(n, t, count, w) != 0)
        return -1;
    fit->npoints = count;
    fit->weight = w;
    fit->has_user = user_fn != NULL;
    fit->user_name = user_name;
    last = user_fn != NULL ? BIGO_USER : BIGO_NSTANDARD - 1;
    fit->best = BIGO_1;
    fit->rms = INFINITY;
    for (int c = 0; c <= last; c++) {
        bigo_fn f = c == BIGO_USER ? user_fn : bigo_classes[c].fn;
        double coef = 0.0, rms = INFINITY;
        if (bigo_fit_checked(n, t, count, f, w, &coef, &rms) != 0) {
            coef = 0.0;
            rms = INFINITY;
        }
        fit->coefs[c] = coef;
        fit->rmss[c] = rms;
        if (rms < fit->rms) {
            fit->best = (bigo_class)c;
            fit->rms = rms;
            fit->coef = coef;
        }
    }
    /* O(1) always has a finite fit (f = 1 and the t are checked), so best
     * and rms are set. */
    return 0;
}

const char *bigo_verdict_name(bigo_verdict v)
{
    switch (v) {
    case BIGO_SAME: return "same";
    case BIGO_WORSE: return "worse";
    case BIGO_BETTER: return "better";
    case BIGO_INCONCLUSIVE: return "inconclusive";
    }
    return "?";
}

/* 1 when, on the data behind FIT, class OTHER fits clearly worse than the
 * best class. */
static int bigo_clearly_apart(const bigo_fit *fit, bigo_class other)
{
    double best = fit->rms, r = fit->rmss[other];

    if (!isfinite(r))
        return 1;
    return r >= BIGO_MARGIN(fit->npoints) * best && r - best >= BIGO_MIN_GAP;
}

bigo_verdict bigo_compare(const bigo_fit *baseline, const bigo_fit *current)
{
    if (baseline == NULL || current == NULL || baseline->npoints < 2 || current->npoints < 2)
        return BIGO_INCONCLUSIVE;
    if (baseline->best == current->best)
        return BIGO_SAME;
    if (baseline->best == BIGO_USER || current->best == BIGO_USER)
        return BIGO_INCONCLUSIVE;
    if (!(baseline->rms <= BIGO_MAX_RMS) || !(current->rms <= BIGO_MAX_RMS))
        return BIGO_INCONCLUSIVE;
    if (!bigo_clearly_apart(current, baseline->best) ||
        !bigo_clearly_apart(baseline, current->best))
        return BIGO_INCONCLUSIVE;
    return current->best > baseline->best ? BIGO_WORSE : BIGO_BETTER;
}
