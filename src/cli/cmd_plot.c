/*
 * cmd_plot.c - `perfcmp plot trend|compare|dist ... -o FILE`: charts drawn
 * by gnuplot (charts.h builds the scripts, gnuplot.h runs gnuplot).
 */
#include "commands.h"
#include "charts.h"
#include "report.h"
#include "trend.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: perfcmp plot trend BENCH_GLOB... -o FILE [--last=N] [--by-date] [--metric=NAME]\n"
          "                        [--baseline=NAME|FILE] [--threshold=PCT] [OPTIONS]\n"
          "       perfcmp plot compare [RUN] [--baseline=NAME|FILE] -o FILE [--threshold=PCT]\n"
          "                        [--metric=NAME|all] [OPTIONS]\n"
          "       perfcmp plot dist BENCH [RUN] [--baseline=NAME|FILE] -o FILE [--metric=NAME]\n"
          "                        [OPTIONS]\n"
          "\n"
          "trend:   the median over the runs with its 95% CI as a band, change points\n"
          "         marked, the baseline's level and the threshold band around it\n"
          "compare: one bar per benchmark, the ratio to the baseline with its CI,\n"
          "         coloured by verdict, with the threshold lines\n"
          "dist:    the raw samples of a run (default: the latest) and of the baseline\n"
          "         side by side\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE  the chart: .png, .svg or .pdf\n"
          "  --title TEXT       a title of your own\n"
          "  --size WxH         size in pixels (default: to suit the chart)\n"
          "  --script-only      print the gnuplot script (data inline) instead of running it\n"
          "  --metric NAME      wall_time (default) or any stored metric\n"
          "  --baseline NAME    baseline name or file (compare and dist: default 'default')\n"
          "  --threshold PCT    threshold band / lines (default 20%)\n"
          "  --last N           trend: the newest N runs (default 100)\n"
          "  --by-date          trend: the x axis is time, not commits\n"
          "  --branch NAME, --machine TEXT, --alpha P, --min-size N, --min-change PCT\n"
          "                     trend: as for 'perfcmp trend'\n"
          "\n"
          "gnuplot is $PERFCMP_GNUPLOT, else 'gnuplot' from $PATH.\n"
          "Exit status: 0 drawn, 2 bad usage, unknown benchmark, or gnuplot failed.\n",
          f);
}

typedef struct plot_args {
    const char *output;
    const char *title;
    unsigned width, height;
    int script_only;
    int by_date;
    const char *baseline;
    const char *threshold;      /* as given, parsed by verdict_options_add_threshold */
    trend_opts topt;
    char **pos;                 /* positional arguments */
    int npos;
} plot_args;

static int parse_size(const char *text, unsigned *w, unsigned *h)
{
    char *end;
    errno = 0;
    unsigned long a = strtoul(text, &end, 10);
    if (end == text || (*end != 'x' && *end != 'X') || errno)
        return -1;
    const char *p = end + 1;
    unsigned long b = strtoul(p, &end, 10);
    if (end == p || *end || errno || text[0] < '0' || text[0] > '9' || *p < '0' || *p > '9')
        return -1;
    if (a < 100 || b < 100 || a > 20000 || b > 20000)
        return -1;
    *w = (unsigned)a;
    *h = (unsigned)b;
    return 0;
}

/* Parses ARGV[2..] (after "plot KIND").  TREND_OK allows the analysis
 * options.  Returns 0 or EXIT_USAGE (printed). */
static int parse_args(int argc, char **argv, plot_args *pa, int trend_ok, const char *kind)
{
    int only_args = 0;
    for (int i = 2; i < argc;) {
        const char *a = argv[i], *v;
        int m;
        if (only_args || a[0] != '-' || a[1] == '\0') {
            pa->pos[pa->npos++] = argv[i++];
            continue;
        }
        if (!strcmp(a, "--")) {
            only_args = 1;
            i++;
            continue;
        }
        if (!strcmp(a, "--script-only")) {
            pa->script_only = 1;
            i++;
            continue;
        }
        if (trend_ok && !strcmp(a, "--by-date")) {
            pa->by_date = 1;
            i++;
            continue;
        }
        if (trend_ok) {
            m = trend_parse_option(&pa->topt, argc, argv, &i, 1);
            if (m == EXIT_USAGE)
                return EXIT_USAGE;
            if (m == 1)
                continue;
        }
        /* options kept as given; EMPTY is the error for an empty value */
        const struct {
            const char *name, *shortname, **dst, *empty;
        } text_opts[] = {
            { "--metric", NULL, trend_ok ? NULL : &pa->topt.metric,
              "invalid metric '': expected a metric name" },
            { "--output", "-o", &pa->output, "option '-o' needs a file name" },
            { "--title", NULL, &pa->title, NULL },
            { "--baseline", NULL, &pa->baseline, "invalid baseline '': expected a name or a file" },
        };
        m = 0;
        for (size_t k = 0; k < sizeof text_opts / sizeof text_opts[0] && m == 0; k++) {
            if (!text_opts[k].dst)
                continue;
            m = trend_take_value(argc, argv, &i, text_opts[k].name, text_opts[k].shortname, &v);
            if (m == EXIT_USAGE)
                return EXIT_USAGE;
            if (m == 1 && !*v && text_opts[k].empty) {
                cli_error("%s", text_opts[k].empty);
                return EXIT_USAGE;
            }
            if (m == 1)
                *text_opts[k].dst = v;
        }
        if (m == 1)
            continue;
        m = trend_take_value(argc, argv, &i, "--size", NULL, &v);
        if (m == EXIT_USAGE)
            return EXIT_USAGE;
        if (m == 1) {
            if (parse_size(v, &pa->width, &pa->height) != 0) {
                cli_error("invalid size '%s': expected WIDTHxHEIGHT in pixels, 100 to 20000 each", trend_safe(v));
                return EXIT_USAGE;
            }
            continue;
        }
        if (strcmp(kind, "dist") != 0) {
            m = trend_take_value(argc, argv, &i, "--threshold", NULL, &v);
            if (m == EXIT_USAGE)
                return EXIT_USAGE;
            if (m == 1) {
                double f;
                if (cli_parse_percent(v, &f) != 0) {
                    cli_error("invalid threshold '%s': expected a percentage >= 0 such as 20%%", trend_safe(v));
                    return EXIT_USAGE;
                }
                pa->threshold = v;
                continue;
            }
        }
        cli_error("unknown option '%s' (see 'perfcmp plot --help')", trend_safe(a));
        return EXIT_USAGE;
    }
    return 0;
}

/* Checks -o and picks the terminal: 0 or EXIT_USAGE (printed). */
static int output_format(const plot_args *pa, chart_opts *co)
{
    char err[512];
    memset(co, 0, sizeof *co);
    co->width = pa->width;
    co->height = pa->height;
    co->title = pa->title;
    if (!pa->output && !pa->script_only) {
        cli_error("no output file: give -o FILE (.png, .svg or .pdf) or --script-only");
        return EXIT_USAGE;
    }
    co->fmt = GNUPLOT_SVG;
    if (pa->output && gnuplot_format_from_path(pa->output, &co->fmt) != 0) {
        cli_error("unknown output type '%s': expected a .png, .svg or .pdf file name", trend_safe(pa->output));
        return EXIT_USAGE;
    }
    co->term = gnuplot_terminal(co->fmt, !pa->script_only, err, sizeof err);
    if (!co->term) {
        cli_error("%s", trend_safe(err));
        return EXIT_USAGE;
    }
    return 0;
}

/* Prints or renders S.  Returns EXIT_OK or EXIT_USAGE (printed). */
static int finish(const plot_args *pa, gnuplot_script *s)
{
    char err[1024];
    if (s->oom) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    if (pa->script_only) {
        fputs("# gnuplot script written by perfcmp; draw it with: gnuplot -d SCRIPT > FILE\n",
              stdout);
        fwrite(s->buf, 1, s->len, stdout);
        if (fflush(stdout) != 0) {
            cli_error("cannot write the script: %s", strerror(errno));
            return EXIT_USAGE;
        }
        return EXIT_OK;
    }
    if (gnuplot_render(s->buf, s->len, pa->output, err, sizeof err) != 0) {
        cli_error("%s", trend_safe(err));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int plot_trend(int argc, char **argv, cli_ctx *ctx, plot_args *pa)
{
    store *s = NULL;
    char **names = NULL, *sel = NULL, *label = NULL;
    size_t nnames = 0, npanels = 0;
    trend_series *series = NULL;
    chart_trend_panel *panels = NULL;
    results_run base;
    gnuplot_script script;
    chart_opts co;
    double threshold = VERDICT_DEFAULT_THRESHOLD;
    int rc = EXIT_USAGE, have_base = 0;

    results_run_init(&base);
    gnuplot_script_init(&script);
    if (parse_args(argc, argv, pa, 1, "trend") != 0)
        goto out;
    if (pa->npos == 0) {
        cli_error("plot trend needs at least one benchmark name or glob");
        goto out;
    }
    if (pa->threshold) {
        if (!pa->baseline) {
            cli_error("--threshold draws a band around the baseline: give --baseline NAME too");
            goto out;
        }
        cli_parse_percent(pa->threshold, &threshold);
    }
    if (output_format(pa, &co) != 0 || cli_open_store(ctx, &s) != 0)
        goto out;
    if (store_bench_names(s, &names, &nnames) != 0) {
        cli_error("%s", store_errmsg(s));
        goto out;
    }
    sel = calloc(nnames + 1, 1);
    series = calloc(nnames + 1, sizeof *series);
    panels = calloc(nnames + 1, sizeof *panels);
    if (!sel || !series || !panels) {
        cli_error("out of memory");
        goto out;
    }
    for (int g = 0; g < pa->npos; g++) {
        int hit = 0;
        for (size_t i = 0; i < nnames; i++)
            if (fnmatch(pa->pos[g], names[i], 0) == 0)
                sel[i] = hit = 1;
        if (!hit) {
            cli_error("no benchmark '%s' in the database", trend_safe(pa->pos[g]));
            goto out;
        }
    }
    if (pa->baseline) {
        compare_opts cmp;
        compare_opts_init(&cmp);
        cmp.baseline = pa->baseline;
        int br = compare_load_baseline(s, &cmp, &base, &label);
        compare_opts_release(&cmp);
        if (br == STORE_NOTFOUND) {
            cli_error("no baseline '%s' in the database nor in baselines/", trend_safe(pa->baseline));
            goto out;
        }
        if (br != 0)
            goto out;
        have_base = 1;
    }
    for (size_t i = 0; i < nnames; i++) {
        if (!sel[i])
            continue;
        char err[512];
        int lr = trend_load(s, names[i], &pa->topt, 1, &series[npanels], err, sizeof err);
        if (lr == STORE_NOTFOUND)
            continue;
        if (lr != 0) {
            cli_error("%s", trend_safe(err));
            goto out;
        }
        chart_trend_panel *p = &panels[npanels];
        p->series = &series[npanels];
        p->metric = pa->topt.metric;
        p->baseline = have_base ? trend_run_median(&base, names[i], pa->topt.metric) : NAN;
        p->baseline_label = label;
        p->threshold = have_base ? threshold : 0;
        npanels++;
    }
    if (npanels == 0) {
        cli_error("no '%s' values recorded for the benchmarks given%s", trend_safe(pa->topt.metric),
                  pa->topt.branch || pa->topt.machine ? " and filters" : "");
        goto out;
    }
    if (chart_trend(&script, &co, panels, npanels, pa->by_date) != 0) {
        if (script.oom)
            cli_error("out of memory");
        else
            cli_error("nothing to draw: no run of the benchmarks given has a value");
        goto out;
    }
    rc = finish(pa, &script);
out:
    for (size_t i = 0; i < npanels; i++)
        trend_series_release(&series[i]);
    free(series);
    free(panels);
    free(sel);
    free(label);
    store_names_free(names, nnames);
    results_run_release(&base);
    gnuplot_script_release(&script);
    store_close(s);
    return rc;
}

/* Loads the run named by TEXT (NULL: the latest) into RUN and sets *ID.
 * Returns 0 or EXIT_USAGE (printed). */
static int load_run(store *s, const char *text, results_run *run, int64_t *id)
{
    if (cli_parse_run_id(s, text ? text : "latest", id) != 0)
        return EXIT_USAGE;
    int r = store_load_run(s, *id, run);
    if (r == STORE_NOTFOUND) {
        cli_error("no run %lld in the database", (long long)*id);
        return EXIT_USAGE;
    }
    if (r != 0) {
        cli_error("%s", store_errmsg(s));
        return EXIT_USAGE;
    }
    return 0;
}

static int plot_compare(int argc, char **argv, cli_ctx *ctx, plot_args *pa)
{
    store *s = NULL;
    results_run base, cur;
    compare_opts cmp;
    verdict_report rep;
    gnuplot_script script;
    chart_opts co;
    char *label = NULL, curlabel[64];
    int64_t id;
    int rc = EXIT_USAGE;

    results_run_init(&base);
    results_run_init(&cur);
    compare_opts_init(&cmp);
    verdict_report_init(&rep);
    gnuplot_script_init(&script);
    if (parse_args(argc, argv, pa, 0, "compare") != 0)
        goto out;
    if (pa->npos > 1) {
        cli_error("unexpected argument '%s': plot compare takes one run", trend_safe(pa->pos[1]));
        goto out;
    }
    cmp.baseline = pa->baseline;
    cmp.vopt.metric = pa->topt.metric;
    if (pa->threshold && verdict_options_add_threshold(&cmp.vopt, pa->threshold) != 0) {
        cli_error("out of memory");
        goto out;
    }
    if (output_format(pa, &co) != 0 || cli_open_store(ctx, &s) != 0)
        goto out;
    if (load_run(s, pa->npos ? pa->pos[0] : NULL, &cur, &id) != 0)
        goto out;
    int br = compare_load_baseline(s, &cmp, &base, &label);
    if (br == STORE_NOTFOUND) {
        cli_error("no baseline '%s' in the database nor in baselines/",
                  trend_safe(pa->baseline ? pa->baseline : "default"));
        goto out;
    }
    if (br != 0)
        goto out;
    if (!verdict_run_has_metric(&cur, cmp.vopt.metric) && !verdict_run_has_metric(&base, cmp.vopt.metric)) {
        cli_error("no metric '%s' in run %lld nor in the baseline", trend_safe(cmp.vopt.metric), (long long)id);
        goto out;
    }
    snprintf(curlabel, sizeof curlabel, "run %lld", (long long)id);
    if (compare_judge(&cmp, &base, label, &cur, curlabel, &rep) != 0)
        goto out;
    if (chart_compare(&script, &co, &rep) != 0) {
        if (script.oom)
            cli_error("out of memory");
        else
            cli_error("nothing to draw: no benchmark is in both run %lld and the baseline",
                      (long long)id);
        goto out;
    }
    rc = finish(pa, &script);
out:
    free(label);
    results_run_release(&base);
    results_run_release(&cur);
    compare_opts_release(&cmp);
    verdict_report_release(&rep);
    gnuplot_script_release(&script);
    store_close(s);
    return rc;
}

static int plot_dist(int argc, char **argv, cli_ctx *ctx, plot_args *pa)
{
    store *s = NULL;
    results_run base, cur;
    compare_opts cmp;
    gnuplot_script script;
    chart_opts co;
    char *label = NULL, curlabel[64];
    int64_t id;
    int rc = EXIT_USAGE, have_base = 0;

    results_run_init(&base);
    results_run_init(&cur);
    compare_opts_init(&cmp);
    gnuplot_script_init(&script);
    if (parse_args(argc, argv, pa, 0, "dist") != 0)
        goto out;
    if (pa->npos == 0) {
        cli_error("plot dist needs a benchmark name");
        goto out;
    }
    if (pa->npos > 2) {
        cli_error("unexpected argument '%s': plot dist takes a benchmark and a run", trend_safe(pa->pos[2]));
        goto out;
    }
    const char *bench = pa->pos[0], *metric = pa->topt.metric;
    if (output_format(pa, &co) != 0 || cli_open_store(ctx, &s) != 0)
        goto out;
    if (load_run(s, pa->npos > 1 ? pa->pos[1] : NULL, &cur, &id) != 0)
        goto out;
    const results_bench *cb = results_find_bench(&cur, bench);
    if (!cb) {
        cli_error("no benchmark '%s' in run %lld", trend_safe(bench), (long long)id);
        goto out;
    }
    const results_metric *cm = results_find_metric(cb, metric);
    if (!cm || cm->nsamples == 0) {
        cli_error("no '%s' samples of benchmark '%s' in run %lld", trend_safe(metric), trend_safe(bench), (long long)id);
        goto out;
    }
    cmp.baseline = pa->baseline;
    int br = compare_load_baseline(s, &cmp, &base, &label);
    if (br == STORE_NOTFOUND && pa->baseline) {
        cli_error("no baseline '%s' in the database nor in baselines/", trend_safe(pa->baseline));
        goto out;
    }
    if (br != 0 && br != STORE_NOTFOUND)
        goto out;
    const results_metric *bm = NULL;
    if (br == 0) {
        const results_bench *bb = results_find_bench(&base, bench);
        bm = bb ? results_find_metric(bb, metric) : NULL;
        if (!bm || bm->nsamples == 0) {
            cli_warn("no '%s' samples of '%s' in %s: drawing run %lld alone", trend_safe(metric),
                     trend_safe(bench), trend_safe(label ? label : "the baseline"), (long long)id);
            bm = NULL;
        }
        have_base = bm != NULL;
    } else {
        cli_warn("no baseline 'default': drawing run %lld alone", (long long)id);
    }
    snprintf(curlabel, sizeof curlabel, "run %lld", (long long)id);
    if (chart_dist(&script, &co, bench, metric, cm->unit, have_base ? bm->samples : NULL,
                   have_base ? bm->nsamples : 0, have_base && label ? label : "baseline",
                   cm->samples, cm->nsamples, curlabel) != 0) {
        cli_error("out of memory");
        goto out;
    }
    rc = finish(pa, &script);
out:
    free(label);
    results_run_release(&base);
    results_run_release(&cur);
    compare_opts_release(&cmp);
    gnuplot_script_release(&script);
    store_close(s);
    return rc;
}

int cmd_plot(int argc, char **argv, cli_ctx *ctx)
{
    plot_args pa;
    int rc;

    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return EXIT_OK;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_OK;
        }
    }
    memset(&pa, 0, sizeof pa);
    trend_opts_init(&pa.topt);
    pa.pos = calloc((size_t)argc, sizeof *pa.pos);
    if (!pa.pos) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "trend"))
        rc = plot_trend(argc, argv, ctx, &pa);
    else if (!strcmp(argv[1], "compare"))
        rc = plot_compare(argc, argv, ctx, &pa);
    else if (!strcmp(argv[1], "dist"))
        rc = plot_dist(argc, argv, ctx, &pa);
    else {
        cli_error("unknown chart '%s': expected trend, compare or dist", trend_safe(argv[1]));
        rc = EXIT_USAGE;
    }
    free(pa.pos);
    return rc;
}
