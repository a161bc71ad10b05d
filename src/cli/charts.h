/*
 * charts.h - the gnuplot scripts of perfcmp's charts (trend, compare,
 * dist), shared by `perfcmp plot` and `perfcmp report`.
 *
 * Every builder appends a complete script (terminal line first, no
 * `set output`: gnuplot_render() takes the image from gnuplot's standard
 * output) to an initialised gnuplot_script.  Numbers go in data blocks,
 * user text only through gnuplot_script_string/array (see gnuplot.h).
 * Builders return 0, or -1 when memory runs out (S->oom) or there is
 * nothing to draw (no point with a value).
 */
#ifndef PERFCMP_CHARTS_H
#define PERFCMP_CHARTS_H

#include <stddef.h>
#include "gnuplot.h"
#include "trend.h"
#include "verdict.h"

typedef struct chart_opts {
    gnuplot_format fmt;
    const char *term;         /* gnuplot_terminal(fmt, ...) */
    unsigned width, height;   /* 0: a size that suits the chart */
    const char *title;        /* NULL: a title from the data */
} chart_opts;

/* One benchmark's panel of a trend chart. */
typedef struct chart_trend_panel {
    const trend_series *series;    /* loaded with analysis (trend_load) */
    const char *metric;
    double baseline;               /* the baseline's median, NAN when none */
    const char *baseline_label;    /* "baseline 'default'" */
    double threshold;              /* band baseline*(1 +- threshold) when > 0 */
} chart_trend_panel;

/*
 * Medians over the runs with their 95% CI as a band, the baseline level
 * as a dashed line with the threshold band shaded around it, change
 * points as vertical lines labelled with their shift, the x axis labelled
 * by short commit (thinned to fit) or, with BY_DATE, by date.  One panel
 * per benchmark, stacked.
 */
int chart_trend(gnuplot_script *s, const chart_opts *o, const chart_trend_panel *panels,
                size_t npanels, int by_date);

/*
 * One bar per row of R with a ratio: current/baseline drawn from 1, its
 * CI as an error bar, coloured by verdict; the threshold lines at
 * 1 +- R->threshold.  Bars are in chart_row_order.  Rows without a ratio (new, missing, failed) are
 * left out.
 */
int chart_compare(gnuplot_script *s, const chart_opts *o, const verdict_report *r);

/*
 * Raw samples of two runs side by side: a box plot of each with the
 * samples as points over it.  LABELS name A and B.
 */
int chart_dist(gnuplot_script *s, const chart_opts *o, const char *bench, const char *metric,
               const char *unit, const double *a, size_t na, const char *alabel,
               const double *b, size_t nb, const char *blabel);

/*
 * The order R's rows are shown in by the compare chart and the HTML
 * report: by benchmark name in natural order (natsort.h: qsort/16 before
 * qsort/1024), rows of one benchmark (its metrics) in their order in R.
 * Returns a malloc'd array of R->nrows row indices, which the caller
 * frees, or NULL when out of memory or R has no rows.
 */
size_t *chart_row_order(const verdict_report *r);

/* The fill colour of verdict K as "#rrggbb" (static). */
const char *chart_verdict_color(verdict_kind k);

#endif
