/*
 * cmd_plot.c - `perfcmp plot trend|compare|dist ... -o FILE`: charts drawn
 * by gnuplot (charts.h builds the scripts, gnuplot.h runs gnuplot).
 */
#include "commands.h"
#include "baseline_file.h"
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
          "                        [--baseline=NAME|FILE | --against=RUN] [--threshold=PCT] [OPTIONS]\n"
          "       perfcmp plot compare [RUN] [--baseline=NAME|FILE | --against=RUN] -o FILE\n"
          "                        [--threshold=PCT] [--metric=NAME|all] [OPTIONS]\n"
          "       perfcmp plot dist BENCH [RUN] [--baseline=NAME|FILE | --against=RUN] -o FILE\n"
          "                        [--metric=NAME] [OPTIONS]\n"
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
          "  --baseline NAME|FILE\n"
          "                     baseline name or file (default 'default'; trend draws\n"
          "                     no baseline when there is no 'default')\n"
          "  --against RUN      a stored run instead of a baseline\n"
          "  --baseline-dir DIR where baseline files live (default: baselines)\n"
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
    const char *against;        /* --against RUN: a stored run as the baseline */
    const char *baseline_dir;   /* --baseline-dir DIR, or NULL: "baselines" */
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
            m = trend_parse_option(&pa->topt, argc, argv, &i);
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
            { "--against", NULL, &pa->against, "invalid run '': expected a run id or 'latest'" },
            { "--baseline-dir", NULL, &pa->baseline_dir, "option '--baseline-dir' needs a directory" },
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
                if (verdict_parse_percent(v, &f) != 0) {
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
    if (pa->against && pa->baseline) {
        cli_error("options '--baseline' and '--against' cannot be used together");
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

/* What the charts share: the store, a baseline, the script; for compare
 * and dist also the run drawn. */
typedef struct plot_job {
    store *s;
    results_run base, cur;
    compare_opts cmp;           /* how the baseline is found and judged */
    gnuplot_script script;
    chart_opts co;
    char *label;                /* the baseline's (malloc'd) */
    char curlabel[64];          /* "run ID" */
    int64_t id;                 /* the run drawn */
} plot_job;

static void plot_job_init(plot_job *j)
{
    memset(j, 0, sizeof *j);
    results_run_init(&j->base);
    results_run_init(&j->cur);
    compare_opts_init(&j->cmp);
    j->cmp.check_baseline = 0;  /* compare and run warn of a suspect baseline */
    gnuplot_script_init(&j->script);
}

static void plot_job_release(plot_job *j)
{
    free(j->label);
    results_run_release(&j->base);
    results_run_release(&j->cur);
    compare_opts_release(&j->cmp);
    gnuplot_script_release(&j->script);
    store_close(j->s);
}

/* Checks -o and opens the store.  Returns 0 or EXIT_USAGE (printed). */
static int plot_job_open(plot_job *j, const plot_args *pa, cli_ctx *ctx)
{
    if (output_format(pa, &j->co) != 0 || cli_open_store_existing(ctx, &j->s) != 0)
        return EXIT_USAGE;
    return 0;
}

/* Loads the run named by TEXT (NULL: the latest) into J->cur, setting
 * J->id and J->curlabel.  Returns 0 or EXIT_USAGE (printed). */
static int plot_job_load_run(plot_job *j, const char *text)
{
    if (cli_parse_run_id(j->s, text ? text : "latest", &j->id) != 0)
        return EXIT_USAGE;
    int r = store_load_run(j->s, j->id, &j->cur);
    if (r != 0)
        return cli_error_run(j->s, j->id, r);
    snprintf(j->curlabel, sizeof j->curlabel, "run %lld", (long long)j->id);
    return 0;
}

/*
 * Loads the baseline PA names (--against RUN, else --baseline NAME, else
 * 'default', looked up in the database, then in --baseline-dir) into
 * J->base and J->label.  Returns 0; STORE_NOTFOUND, nothing printed, when
 * neither is given, there is no default baseline and NEED is 0; else
 * EXIT_USAGE (printed).
 */
static int plot_job_load_baseline(plot_job *j, const plot_args *pa, int need)
{
    const char *name = pa->baseline;
    j->cmp.baseline = name;
    j->cmp.against = pa->against;
    j->cmp.baseline_dir = pa->baseline_dir;
    int br = compare_load_baseline(j->s, &j->cmp, &j->base, &j->label);
    if (br == STORE_NOTFOUND && (name || need)) {
        char *path = baseline_file_path(pa->baseline_dir, name ? name : BASELINE_DEFAULT_NAME);
        cli_error("no baseline '%s' in the database nor '%s' (save one with 'perfcmp baseline save')",
                  trend_safe(name ? name : "default"), trend_safe(path ? path : "baselines/"));
        free(path);
        return EXIT_USAGE;
    }
    return br;
}

static int plot_trend(cli_ctx *ctx, plot_args *pa)
{
    plot_job j;
    char **names = NULL, *sel = NULL;
    size_t nnames = 0, npanels = 0;
    trend_series *series = NULL;
    chart_trend_panel *panels = NULL;
    double threshold = VERDICT_DEFAULT_THRESHOLD;
    int rc = EXIT_USAGE, have_base = 0;

    plot_job_init(&j);
    if (pa->npos == 0) {
        cli_error("plot trend needs at least one benchmark name or glob");
        goto out;
    }
    if (pa->threshold)
        verdict_parse_percent(pa->threshold, &threshold);
    if (plot_job_open(&j, pa, ctx) != 0)
        goto out;
    if (store_bench_names(j.s, &names, &nnames) != 0) {
        cli_error("%s", store_errmsg(j.s));
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
    /* The baseline's level and the threshold band: --baseline, else
     * 'default' when there is one (as plot compare and report do). */
    int br = plot_job_load_baseline(&j, pa, 0);
    if (br == STORE_NOTFOUND && pa->threshold) {
        cli_error("--threshold draws a band around the baseline, and there is no baseline "
                  "'default': give --baseline NAME");
        goto out;
    }
    if (br != 0 && br != STORE_NOTFOUND)
        goto out;
    have_base = br == 0;
    for (size_t i = 0; i < nnames; i++) {
        if (!sel[i])
            continue;
        char err[512];
        int lr = trend_load(j.s, names[i], &pa->topt, 1, &series[npanels], err, sizeof err);
        if (lr == STORE_NOTFOUND)
            continue;
        if (lr != 0) {
            cli_error("%s", trend_safe(err));
            goto out;
        }
        chart_trend_panel *p = &panels[npanels];
        p->series = &series[npanels];
        p->metric = pa->topt.metric;
        p->baseline = have_base ? trend_run_median(&j.base, names[i], pa->topt.metric) : NAN;
        p->baseline_label = j.label;
        p->threshold = have_base ? threshold : 0;
        npanels++;
    }
    if (npanels == 0) {
        cli_error("no '%s' values recorded for the benchmarks given%s", trend_safe(pa->topt.metric),
                  pa->topt.branch || pa->topt.machine ? " and filters" : "");
        goto out;
    }
    if (chart_trend(&j.script, &j.co, panels, npanels, pa->by_date) != 0) {
        if (j.script.oom)
            cli_error("out of memory");
        else
            cli_error("nothing to draw: no run of the benchmarks given has a value");
        goto out;
    }
    rc = finish(pa, &j.script);
out:
    for (size_t i = 0; i < npanels; i++)
        trend_series_release(&series[i]);
    free(series);
    free(panels);
    free(sel);
    store_names_free(names, nnames);
    plot_job_release(&j);
    return rc;
}

static int plot_compare(cli_ctx *ctx, plot_args *pa)
{
    plot_job j;
    verdict_report rep;
    int rc = EXIT_USAGE;

    plot_job_init(&j);
    verdict_report_init(&rep);
    if (pa->npos > 1) {
        cli_error("unexpected argument '%s': plot compare takes one run", trend_safe(pa->pos[1]));
        goto out;
    }
    j.cmp.vopt.metric = pa->topt.metric;
    if (pa->threshold && verdict_options_add_threshold(&j.cmp.vopt, pa->threshold) != 0) {
        cli_error("out of memory");
        goto out;
    }
    if (plot_job_open(&j, pa, ctx) != 0 || plot_job_load_run(&j, pa->npos ? pa->pos[0] : NULL) != 0)
        goto out;
    if (plot_job_load_baseline(&j, pa, 1) != 0)
        goto out;
    const char *metric = j.cmp.vopt.metric;
    if (!verdict_run_has_metric(&j.cur, metric) && !verdict_run_has_metric(&j.base, metric)) {
        cli_error("no metric '%s' in run %lld nor in the baseline", trend_safe(metric), (long long)j.id);
        goto out;
    }
    if (compare_judge(&j.cmp, &j.base, j.label, &j.cur, j.curlabel, &rep) != 0 ||
        compare_apply_history(&j.cmp, j.s, &j.cur, j.id, &rep) != 0)
        goto out;
    if (chart_compare(&j.script, &j.co, &rep) != 0) {
        if (j.script.oom)
            cli_error("out of memory");
        else
            cli_error("nothing to draw: no benchmark is in both run %lld and the baseline",
                      (long long)j.id);
        goto out;
    }
    rc = finish(pa, &j.script);
out:
    verdict_report_release(&rep);
    plot_job_release(&j);
    return rc;
}

static int plot_dist(cli_ctx *ctx, plot_args *pa)
{
    plot_job j;
    int rc = EXIT_USAGE, have_base = 0;

    plot_job_init(&j);
    if (pa->npos == 0) {
        cli_error("plot dist needs a benchmark name");
        goto out;
    }
    if (pa->npos > 2) {
        cli_error("unexpected argument '%s': plot dist takes a benchmark and a run", trend_safe(pa->pos[2]));
        goto out;
    }
    const char *bench = pa->pos[0], *metric = pa->topt.metric;
    if (plot_job_open(&j, pa, ctx) != 0 || plot_job_load_run(&j, pa->npos > 1 ? pa->pos[1] : NULL) != 0)
        goto out;
    const results_bench *cb = results_find_bench(&j.cur, bench);
    if (!cb) {
        cli_error("no benchmark '%s' in run %lld", trend_safe(bench), (long long)j.id);
        goto out;
    }
    const results_metric *cm = results_find_metric(cb, metric);
    if (!cm || cm->nsamples == 0) {
        cli_error("no '%s' samples of benchmark '%s' in run %lld", trend_safe(metric), trend_safe(bench), (long long)j.id);
        goto out;
    }
    int br = plot_job_load_baseline(&j, pa, 0);
    if (br != 0 && br != STORE_NOTFOUND)
        goto out;
    const results_metric *bm = NULL;
    if (br == 0) {
        const results_bench *bb = results_find_bench(&j.base, bench);
        bm = bb ? results_find_metric(bb, metric) : NULL;
        if (!bm || bm->nsamples == 0) {
            cli_warn("no '%s' samples of '%s' in %s: drawing run %lld alone", trend_safe(metric),
                     trend_safe(bench), trend_safe(j.label ? j.label : "the baseline"), (long long)j.id);
            bm = NULL;
        }
        have_base = bm != NULL;
    } else {
        cli_warn("no baseline 'default': drawing run %lld alone", (long long)j.id);
    }
    if (chart_dist(&j.script, &j.co, bench, metric, cm->unit, have_base ? bm->samples : NULL,
                   have_base ? bm->nsamples : 0, have_base && j.label ? j.label : "baseline",
                   cm->samples, cm->nsamples, j.curlabel) != 0) {
        cli_error("out of memory");
        goto out;
    }
    rc = finish(pa, &j.script);
out:
    plot_job_release(&j);
    return rc;
}

/* The charts; TREND_OK: the analysis options of 'perfcmp trend' apply. */
static const struct plot_chart {
    const char *name;
    int (*fn)(cli_ctx *ctx, plot_args *pa);
    int trend_ok;
} plot_charts[] = {
    { "trend", plot_trend, 1 },
    { "compare", plot_compare, 0 },
    { "dist", plot_dist, 0 },
};

int cmd_plot(int argc, char **argv, cli_ctx *ctx)
{
    plot_args pa;
    int rc;

    if (argc < 2) {
        cli_error("no chart given: expected trend, compare or dist (see 'perfcmp plot --help')");
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
    const struct plot_chart *c = NULL;
    for (size_t k = 0; k < sizeof plot_charts / sizeof plot_charts[0] && !c; k++)
        if (!strcmp(argv[1], plot_charts[k].name))
            c = &plot_charts[k];
    if (!c) {
        cli_error("unknown chart '%s': expected trend, compare or dist", trend_safe(argv[1]));
        rc = EXIT_USAGE;
    } else {
        rc = parse_args(argc, argv, &pa, c->trend_ok, c->name);
        if (rc == 0)
            rc = c->fn(ctx, &pa);
    }
    free(pa.pos);
    return rc;
}
