/*
 * trend.c - loading and analysing one benchmark's history (see trend.h).
 */
#include "trend.h"
#include "verdict.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void trend_opts_init(trend_opts *o)
{
    memset(o, 0, sizeof *o);
    o->metric = TREND_DEFAULT_METRIC;
    o->window = TREND_DEFAULT_WINDOW;
    changepoint_opts_init(&o->cp);
}

void trend_series_init(trend_series *t)
{
    memset(t, 0, sizeof *t);
    t->trend.p = 1;
}

void trend_series_release(trend_series *t)
{
    if (!t)
        return;
    free(t->bench);
    store_points_free(t->pts, t->npts);
    free(t->used);
    free(t->values);
    free(t->cps);
    trend_series_init(t);
}

int trend_is_worse(double change, results_direction dir)
{
    return dir == RESULTS_HIGHER_IS_BETTER ? change < 0 : change > 0;
}

double trend_run_median(const results_run *run, const char *bench, const char *metric)
{
    const results_bench *b = results_find_bench(run, bench);
    const results_metric *m = b && b->status == RESULTS_OK ? results_find_metric(b, metric) : NULL;
    return m && m->nsamples ? stats_median(m->samples, m->nsamples) : NAN;
}

const char *trend_safe(const char *text)
{
    static char bufs[4][1032];
    static unsigned turn;
    char *b = bufs[turn++ % 4];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p && n < 1024; p++)
        b[n++] = *p < 0x20 || *p == 0x7f ? '?' : (char)*p;
    if (text && strlen(text) > 1024) {
        memcpy(b + n, "...", 3);
        n += 3;
    }
    b[n] = '\0';
    return b;
}

const char *trend_short_commit(const char *commit, char *buf, size_t len)
{
    if (!commit || !*commit)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.7s", commit);
    return buf;
}

int trend_load(store *s, const char *bench, const trend_opts *o, int analyse,
               trend_series *out, char *err, size_t errlen)
{
    store_filter f = { .last = o->window, .branch = o->branch, .machine = o->machine };
    int rc = -1;

    trend_series_init(out);
    if (!(out->bench = strdup(bench))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (store_history(s, bench, o->metric, &f, &out->pts, &out->npts) != 0) {
        snprintf(err, errlen, "%s", store_errmsg(s));
        goto fail;
    }
    /* a benchmark that failed without metrics shows with a NULL unit and
     * no values: only count it when the metric exists elsewhere */
    size_t with_values = 0;
    for (size_t i = 0; i < out->npts; i++)
        if (out->pts[i].unit || out->pts[i].summary.n > 0)
            with_values++;
    if (out->npts == 0 || (with_values == 0 && !o->keep_failed_only)) {
        rc = STORE_NOTFOUND;
        goto fail;
    }
    out->used = malloc(out->npts * sizeof *out->used);
    out->values = malloc(out->npts * sizeof *out->values);
    if (!out->used || !out->values) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < out->npts; i++) {
        const store_point *p = &out->pts[i];
        if (p->status != RESULTS_OK || p->summary.n == 0 || !isfinite(p->summary.median))
            continue;
        out->used[out->nused] = i;
        out->values[out->nused++] = p->summary.median;
        out->direction = p->direction;
    }
    if (analyse && out->nused > 0) {
        if (changepoint_detect(out->values, out->nused, &o->cp, &out->cps, &out->ncps) != 0) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        size_t *cuts = NULL;
        if (out->ncps && !(cuts = malloc(out->ncps * sizeof *cuts))) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < out->ncps; i++)
            cuts[i] = out->cps[i].index;
        if (out->nused >= 2 &&
            changepoint_trend_test(out->values, out->nused, cuts, out->ncps, &out->trend) != 0) {
            free(cuts);
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        free(cuts);
        out->creeping = out->trend.p < o->cp.alpha && fabs(out->trend.total) >= o->cp.min_change &&
                        isfinite(out->trend.total);
    }
    return 0;
fail:
    trend_series_release(out);
    return rc;
}

int trend_take_value(int argc, char **argv, int *i, const char *name, const char *shortname,
                     const char **value)
{
    int m = cli_opt_value_short(argc, argv, i, name, shortname, value);
    if (m < 0)
        return EXIT_USAGE;
    if (m == 1)
        (*i)++;                     /* past the option or its separate value */
    return m;
}

int trend_parse_count(const char *opt, const char *text, size_t *out)
{
    if (cli_parse_size(text, out) != 0) {
        cli_error("invalid value '%s' for '%s': expected a positive whole number", trend_safe(text), opt);
        return EXIT_USAGE;
    }
    return 0;
}

int trend_parse_option(trend_opts *o, int argc, char **argv, int *i)
{
    const char *v;
    int m;

#define VALUE_OPT(name_)                                  \
    m = trend_take_value(argc, argv, i, name_, NULL, &v); \
    if (m == EXIT_USAGE)                                  \
        return EXIT_USAGE;                                \
    if (m == 1)

    VALUE_OPT("--metric") {
        if (!*v) {
            cli_error("invalid metric '': expected a metric name");
            return EXIT_USAGE;
        }
        o->metric = v;
        return 1;
    }
    VALUE_OPT("--last") {
        return trend_parse_count("--last", v, &o->window) ? EXIT_USAGE : 1;
    }
    VALUE_OPT("--window") {     /* trend's older spelling of --last */
        return trend_parse_count("--window", v, &o->window) ? EXIT_USAGE : 1;
    }
    VALUE_OPT("--min-size") {
        return trend_parse_count("--min-size", v, &o->cp.min_size) ? EXIT_USAGE : 1;
    }
    VALUE_OPT("--alpha") {
        char *end;
        errno = 0;
        double a = strtod(v, &end);
        if (!*v || *end || errno || !(a > 0 && a < 1)) {
            cli_error("invalid alpha '%s': expected a number between 0 and 1 (exclusive)", trend_safe(v));
            return EXIT_USAGE;
        }
        o->cp.alpha = a;
        /* enough permutations that p can fall to alpha/2 (199 at least) */
        double perms = ceil(2 / a) - 1;
        o->cp.permutations = perms > CHANGEPOINT_DEFAULT_PERMUTATIONS
                                 ? (perms < 1e6 ? (unsigned)perms : 1000000u)
                                 : CHANGEPOINT_DEFAULT_PERMUTATIONS;
        return 1;
    }
    VALUE_OPT("--min-change") {
        if (verdict_parse_percent(v, &o->cp.min_change) != 0) {
            cli_error("invalid min-change '%s': expected a percentage >= 0 such as 5%%", trend_safe(v));
            return EXIT_USAGE;
        }
        return 1;
    }
    VALUE_OPT("--branch") {
        o->branch = v;
        return 1;
    }
    VALUE_OPT("--machine") {
        o->machine = v;
        return 1;
    }
#undef VALUE_OPT
    return 0;
}
