/*
 * charts.c - gnuplot scripts for the trend, compare and dist charts
 * (see charts.h).  Only numbers and fixed keywords are formatted into the
 * script; names, commits and titles go through gnuplot_script_string or
 * gnuplot_script_array.
 */
#include "charts.h"
#include "report.h"

#include "../core/natsort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COLOR_MEDIAN "#08519c"
#define COLOR_BAND "#9ecae1"
#define COLOR_BASELINE "#2ca02c"
#define COLOR_THRESHOLD "#e5f5e0"
#define COLOR_WORSE "#d62728"
#define COLOR_BETTER "#2ca02c"

typedef struct {
    const char *name;
    size_t index;
} chart_row_key;

static int chart_row_key_cmp(const void *x, const void *y)
{
    const chart_row_key *a = x, *b = y;
    int c = natsort_cmp(a->name, b->name);
    if (c != 0)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

size_t *chart_row_order(const verdict_report *r)
{
    if (!r->nrows)
        return NULL;
    chart_row_key *keys = malloc(r->nrows * sizeof *keys);
    size_t *order = malloc(r->nrows * sizeof *order);
    if (!keys || !order) {
        free(keys);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < r->nrows; i++) {
        keys[i].name = r->rows[i].bench;
        keys[i].index = i;
    }
    qsort(keys, r->nrows, sizeof *keys, chart_row_key_cmp);
    for (size_t i = 0; i < r->nrows; i++)
        order[i] = keys[i].index;
    free(keys);
    return order;
}

const char *chart_verdict_color(verdict_kind k)
{
    switch (k) {
    case VERDICT_REGRESSED: return "#d62728";
    case VERDICT_IMPROVED: return "#2ca02c";
    case VERDICT_INCONCLUSIVE: return "#ff7f0e";
    case VERDICT_UNCHANGED: return "#9e9e9e";
    case VERDICT_FAILED: return "#000000";
    case VERDICT_NEW: return "#1f77b4";
    case VERDICT_MISSING: return "#8c564b";
    default: return "#9e9e9e";
    }
}

/* A display scale for values in UNIT up to MAXABS: returns the divisor
 * and sets *SHOWN to the unit to print (UNIT itself when unscaled). */
static double unit_scale(const char *unit, double maxabs, const char **shown)
{
    static const struct { const char *unit; double div; const char *name; } t[] = {
        { "ns", 1e9, "s" }, { "ns", 1e6, "ms" }, { "ns", 1e3, "\xc2\xb5s" },
        { "bytes", 1073741824.0, "GiB" }, { "bytes", 1048576.0, "MiB" }, { "bytes", 1024.0, "KiB" },
        { "B/s", 1073741824.0, "GiB/s" }, { "B/s", 1048576.0, "MiB/s" }, { "B/s", 1024.0, "KiB/s" },
    };
    *shown = unit;
    if (!unit || !isfinite(maxabs))
        return 1;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (!strcmp(unit, t[i].unit) && maxabs >= t[i].div) {
            *shown = t[i].name;
            return t[i].div;
        }
    }
    return 1;
}

/* "metric (unit)" as a quoted string. */
static void axis_label(gnuplot_script *s, const char *metric, const char *unit)
{
    size_t n = strlen(metric) + (unit ? strlen(unit) : 0) + 4;
    char *text = malloc(n);
    if (!text) {
        s->oom = 1;
        return;
    }
    if (unit && *unit)
        snprintf(text, n, "%s (%s)", metric, unit);
    else
        snprintf(text, n, "%s", metric);
    gnuplot_script_string(s, text);
    free(text);
}

/* Seconds since the epoch of an ISO 8601 UTC timestamp, or NAN. */
static double parse_time(const char *ts)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!ts)
        return NAN;
    const char *end = strptime(ts, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end)
        return NAN;
    double frac = 0;
    if (*end == '.') {
        char *e2;
        frac = strtod(end, &e2);
        end = e2;
    }
    if (*end != 'Z' && *end != '\0')
        return NAN;
    time_t t = timegm(&tm);
    return t == (time_t)-1 ? NAN : (double)t + frac;
}

/* Pads [*LO, *HI] by 8% (or around a single value). */
static void pad_range(double *lo, double *hi)
{
    double span = *hi - *lo;
    if (!(span > 0)) {
        span = fabs(*hi) > 0 ? fabs(*hi) * 0.1 : 1;
        *lo -= span / 2;
        *hi += span / 2;
        return;
    }
    *lo -= span * 0.08;
    *hi += span * 0.08;
}

static void set_range(gnuplot_script *s, const char *axis, double lo, double hi)
{
    gnuplot_script_printf(s, "set %srange [", axis);
    gnuplot_script_number(s, lo);
    gnuplot_script_printf(s, ":");
    gnuplot_script_number(s, hi);
    gnuplot_script_printf(s, "]\n");
}

static void common_style(gnuplot_script *s)
{
    gnuplot_script_printf(s, "set encoding utf8\n"
                             "set border 3 lc rgb '#555555'\n"
                             "set tics nomirror\n"
                             "set grid ytics lc rgb '#e6e6e6' lt 1\n"
                             "set key outside bottom center horizontal noenhanced\n");
}

/* ---- trend ----------------------------------------------------------- */

static int trend_panel(gnuplot_script *s, const chart_trend_panel *p, size_t k, int by_date,
                       unsigned width, const char *title)
{
    const trend_series *t = p->series;
    size_t n = t->nused;
    const char *unit = NULL;
    for (size_t i = 0; i < t->npts; i++)
        if (t->pts[i].unit)
            unit = t->pts[i].unit;

    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!x) {
        s->oom = 1;
        return -1;
    }
    double ylo = INFINITY, yhi = -INFINITY, maxabs = 0;
    for (size_t i = 0; i < n; i++) {
        const stats_summary *u = &t->pts[t->used[i]].summary;
        x[i] = by_date ? parse_time(t->pts[t->used[i]].timestamp) : (double)(i + 1);
        maxabs = fmax(maxabs, fabs(u->median));
    }
    int has_base = isfinite(p->baseline);
    if (has_base)
        maxabs = fmax(maxabs, fabs(p->baseline));
    const char *shown;
    double div = unit_scale(unit, maxabs, &shown);

    gnuplot_script_printf(s, "$trend%zu << EOD\n", k);
    for (size_t i = 0; i < n; i++) {
        const stats_summary *u = &t->pts[t->used[i]].summary;
        double lo = isfinite(u->ci_low) ? u->ci_low : u->median;
        double hi = isfinite(u->ci_high) ? u->ci_high : u->median;
        if (!isfinite(x[i]))
            continue;
        gnuplot_script_number(s, x[i]);
        gnuplot_script_printf(s, " ");
        gnuplot_script_number(s, u->median / div);
        gnuplot_script_printf(s, " ");
        gnuplot_script_number(s, lo / div);
        gnuplot_script_printf(s, " ");
        gnuplot_script_number(s, hi / div);
        gnuplot_script_printf(s, "\n");
        ylo = fmin(ylo, lo / div);
        yhi = fmax(yhi, hi / div);
    }
    gnuplot_script_printf(s, "EOD\n");
    if (!isfinite(ylo)) {
        free(x);
        return 1;               /* nothing to draw */
    }
    double base = has_base ? p->baseline / div : NAN;
    double band = has_base && p->threshold > 0 ? p->threshold : 0;
    if (has_base) {
        ylo = fmin(ylo, base * (1 - band));
        yhi = fmax(yhi, base * (1 + band));
    }
    pad_range(&ylo, &yhi);

    gnuplot_script_printf(s, "unset object\nunset arrow\nunset label\n");
    /* title: the benchmark, and the creep when there is one */
    gnuplot_script_printf(s, "set title ");
    gnuplot_script_string(s, title ? title : t->bench);
    if (t->creeping) {
        char buf[96];
        snprintf(buf, sizeof buf, "creeping %+.1f%%/run (%+.1f%% over %zu runs)",
                 t->trend.rate * 100, t->trend.total * 100, n);
        gnuplot_script_printf(s, " . '   ' . ");
        gnuplot_script_string(s, buf);
    }
    gnuplot_script_printf(s, "\nset ylabel ");
    axis_label(s, p->metric, shown);
    gnuplot_script_printf(s, "\n");
    set_range(s, "y", ylo, yhi);

    const char *const *labels = NULL;
    char **owned = NULL;
    if (by_date) {
        gnuplot_script_printf(s, "set xdata time\nset timefmt '%%s'\n"
                                 "set format x \"%%Y-%%m-%%d\\n%%H:%%M\"\n"
                                 "set xtics autofreq norotate\nset xlabel ''\n"
                                 "set autoscale x\nset rmargin 8\n");
    } else {
        /* a short commit per run, thinned to about one per 28 pixels */
        size_t fit = width / 28 > 2 ? width / 28 : 2;
        size_t step = (n + fit - 1) / fit;
        owned = calloc(n ? n : 1, sizeof *owned);
        if (!owned) {
            free(x);
            s->oom = 1;
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            if ((n - 1 - i) % step != 0)
                continue;
            const char *c = t->pts[t->used[i]].commit;
            owned[i] = malloc(24);
            if (!owned[i]) {
                s->oom = 1;
                break;
            }
            if (c && *c)
                trend_short_commit(c, owned[i], 24);
            else
                snprintf(owned[i], 24, "run %lld", (long long)t->pts[t->used[i]].run_id);
        }
        labels = (const char *const *)owned;
        gnuplot_script_array(s, "L", labels, n ? n : 0);
        gnuplot_script_printf(s, "set xdata\nset format x '%%g'\nset xtics rotate by 45 right\n"
                                 "set xlabel ''\n");
        set_range(s, "x", 0.5, (double)n + 0.5);
    }

    if (band > 0) {
        gnuplot_script_printf(s, "set object 1 rectangle from graph 0, first ");
        gnuplot_script_number(s, base * (1 - band));
        gnuplot_script_printf(s, " to graph 1, first ");
        gnuplot_script_number(s, base * (1 + band));
        gnuplot_script_printf(s, " fillcolor rgb '" COLOR_THRESHOLD "' fillstyle solid 1.0 "
                                 "noborder behind\n");
    }
    for (size_t i = 0; i < t->ncps; i++) {
        const changepoint *cp = &t->cps[i];
        double xm = (x[cp->index - 1] + x[cp->index]) / 2;
        if (!isfinite(xm))
            continue;
        const char *color = trend_is_worse(cp->change, t->direction) ? COLOR_WORSE : COLOR_BETTER;
        gnuplot_script_printf(s, "set arrow %zu from ", i + 1);
        gnuplot_script_number(s, xm);
        gnuplot_script_printf(s, ", graph 0 to ");
        gnuplot_script_number(s, xm);
        gnuplot_script_printf(s, ", graph 1 nohead dt 2 lw 1.5 lc rgb '%s' front\n", color);
        char text[48];
        snprintf(text, sizeof text, "%+.1f%%", cp->change * 100);
        gnuplot_script_printf(s, "set label %zu ", i + 1);
        gnuplot_script_string(s, text);
        gnuplot_script_printf(s, " at ");
        gnuplot_script_number(s, xm);
        gnuplot_script_printf(s, ", graph 0.95 left offset 0.4,0 textcolor rgb '%s' front\n", color);
    }

    gnuplot_script_printf(s, "plot $trend%zu using 1:3:4 with filledcurves fc rgb '" COLOR_BAND
                             "' fs transparent solid 0.45 noborder title '95%% CI of the median', \\\n"
                             "     $trend%zu using 1:2%s with linespoints lw 2 pt 7 ps 0.6 "
                             "lc rgb '" COLOR_MEDIAN "' title 'median'",
                          k, k, by_date ? "" : ":xticlabels(L[int($1)])");
    if (has_base) {
        gnuplot_script_printf(s, ", \\\n     ");
        gnuplot_script_number(s, base);
        gnuplot_script_printf(s, " with lines dt 2 lw 1.5 lc rgb '" COLOR_BASELINE "' title ");
        gnuplot_script_string(s, p->baseline_label ? p->baseline_label : "baseline");
        if (band > 0) {
            char text[64];
            snprintf(text, sizeof text, "threshold \xc2\xb1%g%%", band * 100);
            gnuplot_script_printf(s, ", \\\n     keyentry with boxes fc rgb '" COLOR_THRESHOLD
                                     "' fs solid 1.0 title ");
            gnuplot_script_string(s, text);
        }
    }
    gnuplot_script_printf(s, "\n");
    if (owned) {
        for (size_t i = 0; i < n; i++)
            free(owned[i]);
        free(owned);
    }
    free(x);
    return s->oom ? -1 : 0;
}

int chart_trend(gnuplot_script *s, const chart_opts *o, const chart_trend_panel *panels,
                size_t npanels, int by_date)
{
    size_t drawable = 0;
    for (size_t i = 0; i < npanels; i++)
        drawable += panels[i].series->nused > 0;
    if (drawable == 0)
        return -1;
    unsigned width = o->width ? o->width : 1000;
    unsigned height = o->height ? o->height : (unsigned)(80 + 340 * (drawable < 30 ? drawable : 30));
    gnuplot_script_terminal(s, o->fmt, o->term, width, height);
    common_style(s);
    if (drawable > 1) {
        gnuplot_script_printf(s, "set multiplot layout %zu,1", drawable);
        if (o->title) {
            gnuplot_script_printf(s, " title ");
            gnuplot_script_string(s, o->title);
        }
        gnuplot_script_printf(s, "\n");
    }
    for (size_t i = 0, k = 0; i < npanels; i++) {
        if (panels[i].series->nused == 0)
            continue;
        /* a single panel: the given title replaces the benchmark's */
        if (trend_panel(s, &panels[i], ++k, by_date, width,
                        drawable == 1 ? o->title : NULL) < 0)
            return -1;
    }
    if (drawable > 1)
        gnuplot_script_printf(s, "unset multiplot\n");
    return s->oom ? -1 : 0;
}

/* ---- compare --------------------------------------------------------- */

int chart_compare(gnuplot_script *s, const chart_opts *o, const verdict_report *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nrows; i++)
        n += isfinite(r->rows[i].ratio);
    if (n == 0)
        return -1;
    int all = r->metric && !strcmp(r->metric, "all");
    char **labels = calloc(n, sizeof *labels);
    size_t *order = chart_row_order(r);
    if (!labels || !order) {
        free(labels);
        free(order);
        s->oom = 1;
        return -1;
    }
    unsigned width = o->width ? o->width : (unsigned)(n * 36 + 240 > 700 ? (n * 36 + 240 < 8000 ? n * 36 + 240 : 8000) : 700);
    unsigned height = o->height ? o->height : 520;
    gnuplot_script_terminal(s, o->fmt, o->term, width, height);
    common_style(s);

    double thr = r->threshold;
    double ylo = 1 - thr, yhi = 1 + thr;
    int present[VERDICT_NKINDS] = { 0 };
    gnuplot_script_printf(s, "$cmp << EOD\n");
    size_t k = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const verdict_row *row = &r->rows[order[i]];
        if (!isfinite(row->ratio))
            continue;
        double lo = isfinite(row->ci_low) ? row->ci_low : row->ratio;
        double hi = isfinite(row->ci_high) ? row->ci_high : row->ratio;
        ylo = fmin(ylo, fmin(lo, row->ratio));
        yhi = fmax(yhi, fmax(hi, row->ratio));
        present[row->kind] = 1;
        gnuplot_script_printf(s, "%zu ", k + 1);
        gnuplot_script_number(s, row->ratio);
        gnuplot_script_printf(s, " ");
        gnuplot_script_number(s, lo);
        gnuplot_script_printf(s, " ");
        gnuplot_script_number(s, hi);
        gnuplot_script_printf(s, " 0x%s\n", chart_verdict_color(row->kind) + 1);
        size_t len = strlen(row->bench) + (row->metric ? strlen(row->metric) : 0) + 2;
        if (!(labels[k] = malloc(len))) {
            s->oom = 1;
            break;
        }
        if (all && row->metric)
            snprintf(labels[k], len, "%s %s", row->bench, row->metric);
        else
            snprintf(labels[k], len, "%s", row->bench);
        k++;
    }
    gnuplot_script_printf(s, "EOD\n");
    gnuplot_script_array(s, "L", (const char *const *)labels, k);
    ylo = fmin(ylo, 1);
    yhi = fmax(yhi, 1);
    pad_range(&ylo, &yhi);
    if (ylo < 0)
        ylo = 0;

    gnuplot_script_printf(s, "set title ");
    if (o->title) {
        gnuplot_script_string(s, o->title);
    } else {
        gnuplot_script_string(s, r->current_label ? r->current_label : "current");
        gnuplot_script_printf(s, " . ' vs ' . ");
        gnuplot_script_string(s, r->baseline_label ? r->baseline_label : "baseline");
    }
    gnuplot_script_printf(s, "\nset ylabel ");
    gnuplot_script_string(s, "current / baseline");
    if (!all && r->metric) {
        gnuplot_script_printf(s, " . ' (' . ");
        gnuplot_script_string(s, r->metric);
        gnuplot_script_printf(s, " . ')'");
    }
    /* the first label, rotated, reaches left of the plot: make room */
    size_t first = k ? strlen(labels[0]) : 0;
    gnuplot_script_printf(s, "\nset xtics rotate by 45 right\nset xlabel ''\nset rmargin 4\nset lmargin %u\n",
                          (unsigned)(first * 0.65 > 10 ? (first * 0.65 < 60 ? first * 0.65 : 60) : 10));
    set_range(s, "x", 0.5, (double)k + 0.5);
    set_range(s, "y", ylo, yhi);
    gnuplot_script_printf(s, "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead "
                             "lc rgb '#555555' lw 1\n");
    if (thr > 0) {
        gnuplot_script_printf(s, "set arrow 2 from graph 0, first ");
        gnuplot_script_number(s, 1 + thr);
        gnuplot_script_printf(s, " to graph 1, first ");
        gnuplot_script_number(s, 1 + thr);
        gnuplot_script_printf(s, " nohead dt 2 lc rgb '#777777'\nset arrow 3 from graph 0, first ");
        gnuplot_script_number(s, 1 - thr);
        gnuplot_script_printf(s, " to graph 1, first ");
        gnuplot_script_number(s, 1 - thr);
        gnuplot_script_printf(s, " nohead dt 2 lc rgb '#777777'\n");
    }
    gnuplot_script_printf(s, "set style fill solid 0.85 border lc rgb '#444444'\n"
                             "plot $cmp using 1:2:($1-0.35):($1+0.35):(1):2:5:xticlabels(L[int($1)]) "
                             "with boxxyerror lc rgb variable notitle, \\\n"
                             "     $cmp using 1:2:3:4 with yerrorbars lc rgb '#222222' pt 7 ps 0.4 "
                             "title '95%% CI'");
    if (thr > 0) {
        char text[64];
        snprintf(text, sizeof text, "threshold \xc2\xb1%g%%", thr * 100);
        gnuplot_script_printf(s, ", \\\n     keyentry with lines dt 2 lc rgb '#777777' title ");
        gnuplot_script_string(s, text);
    }
    for (int kind = 0; kind < VERDICT_NKINDS; kind++) {
        if (!present[kind])
            continue;
        gnuplot_script_printf(s, ", \\\n     keyentry with boxes fc rgb '%s' title ",
                              chart_verdict_color((verdict_kind)kind));
        gnuplot_script_string(s, verdict_kind_name((verdict_kind)kind));
    }
    gnuplot_script_printf(s, "\n");
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    free(order);
    return s->oom ? -1 : 0;
}

/* ---- dist ------------------------------------------------------------ */

static void samples_block(gnuplot_script *s, const char *name, const double *v, size_t n,
                          double div)
{
    gnuplot_script_printf(s, "$%s << EOD\n", name);
    for (size_t i = 0; i < n; i++) {
        gnuplot_script_number(s, v[i] / div);
        gnuplot_script_printf(s, "\n");
    }
    gnuplot_script_printf(s, "EOD\n");
}

/* Deterministic horizontal spread of point I of N within +-0.18. */
static double jitter(size_t i)
{
    /* the fractional part of i times the golden ratio: evenly spread */
    double f = fmod((double)i * 0.6180339887498949, 1.0);
    return (f - 0.5) * 0.36;
}

int chart_dist(gnuplot_script *s, const chart_opts *o, const char *bench, const char *metric,
               const char *unit, const double *a, size_t na, const char *alabel,
               const double *b, size_t nb, const char *blabel)
{
    if (na + nb == 0)
        return -1;
    double maxabs = 0, ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < na; i++)
        maxabs = fmax(maxabs, fabs(a[i]));
    for (size_t i = 0; i < nb; i++)
        maxabs = fmax(maxabs, fabs(b[i]));
    const char *shown;
    double div = unit_scale(unit, maxabs, &shown);
    for (size_t i = 0; i < na; i++) {
        ylo = fmin(ylo, a[i] / div);
        yhi = fmax(yhi, a[i] / div);
    }
    for (size_t i = 0; i < nb; i++) {
        ylo = fmin(ylo, b[i] / div);
        yhi = fmax(yhi, b[i] / div);
    }
    pad_range(&ylo, &yhi);

    gnuplot_script_terminal(s, o->fmt, o->term, o->width ? o->width : 720,
                            o->height ? o->height : 520);
    common_style(s);
    samples_block(s, "a", a, na, div);
    samples_block(s, "b", b, nb, div);
    gnuplot_script_printf(s, "$points << EOD\n");
    for (size_t i = 0; i < na; i++) {
        gnuplot_script_number(s, 1 + jitter(i));
        gnuplot_script_printf(s, " ");
        gnuplot_script_number(s, a[i] / div);
        gnuplot_script_printf(s, "\n");
    }
    for (size_t i = 0; i < nb; i++) {
        gnuplot_script_number(s, 2 + jitter(i));
        gnuplot_script_printf(s, " ");
        gnuplot_script_number(s, b[i] / div);
        gnuplot_script_printf(s, "\n");
    }
    gnuplot_script_printf(s, "EOD\n$ticks << EOD\n1\n2\nEOD\n");
    const char *labels[2] = { alabel, blabel };
    gnuplot_script_array(s, "L", labels, 2);
    gnuplot_script_printf(s, "set title ");
    gnuplot_script_string(s, o->title ? o->title : bench);
    if (!o->title && na && nb) {
        double ma = stats_median(a, na), mb = stats_median(b, nb);
        char va[48], vb[48], text[160];
        report_format_value(ma, unit, va, sizeof va);
        report_format_value(mb, unit, vb, sizeof vb);
        if (ma != 0)
            snprintf(text, sizeof text, "median %s -> %s (%+.1f%%)", va, vb, (mb / ma - 1) * 100);
        else
            snprintf(text, sizeof text, "median %s -> %s", va, vb);
        gnuplot_script_printf(s, " . \"\\n\" . ");
        gnuplot_script_string(s, text);
    }
    gnuplot_script_printf(s, "\nset ylabel ");
    axis_label(s, metric, shown);
    gnuplot_script_printf(s, "\nset xlabel ''\nset key off\n");
    set_range(s, "x", 0.4, 2.6);
    set_range(s, "y", ylo, yhi);
    gnuplot_script_printf(s, "set style boxplot nooutliers\nset boxwidth 0.5\n"
                             "set style fill solid 0.35 border lc rgb '" COLOR_MEDIAN "'\n"
                             "plot ");
    int first = 1;
    if (na) {
        gnuplot_script_printf(s, "$a using (1):1 with boxplot fc rgb '" COLOR_BAND "' notitle");
        first = 0;
    }
    if (nb) {
        gnuplot_script_printf(s, "%s$b using (2):1 with boxplot fc rgb '#fdae6b' notitle",
                              first ? "" : ", \\\n     ");
    }
    gnuplot_script_printf(s, ", \\\n     $points using 1:2 with points pt 7 ps 0.45 "
                             "lc rgb '#333333' notitle, \\\n"
                             "     $ticks using 1:(");
    gnuplot_script_number(s, (ylo + yhi) / 2);
    gnuplot_script_printf(s, "):(''):xticlabels(L[int($1)]) with labels notitle\n");
    return s->oom ? -1 : 0;
}
