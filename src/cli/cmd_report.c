/*
 * cmd_report.c - `perfcmp report --html DIR`: a static, self-contained
 * directory (index.html and SVG charts, no network, no script) with the
 * latest run against the baseline and every benchmark's trend.
 */
#include "commands.h"
#include "baseline_file.h"
#include "charts.h"
#include "html.h"
#include "report.h"
#include "trend.h"

#include <errno.h>
#include <math.h>
#include <perfcmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: perfcmp report --html DIR [--baseline=NAME|FILE | --against=RUN] [--last=N]\n"
          "                      [OPTIONS]\n"
          "\n"
          "Writes DIR/index.html with SVG charts beside it: the latest run compared\n"
          "with the baseline (table of verdicts and a chart), and for every benchmark\n"
          "its trend chart and change points.  The directory is self-contained: no\n"
          "network, no scripts; open index.html in any browser.\n"
          "\n"
          "Options:\n"
          "  --html DIR        where to write (created if missing)\n"
          "  --baseline NAME|FILE\n"
          "                    baseline name or file (default 'default')\n"
          "  --against RUN     compare with a stored run instead of a baseline\n"
          "  --baseline-dir DIR\n"
          "                    where baseline files live (default: baselines)\n"
          "  --last N          trends over the newest N runs (default 100)\n"
          "  --metric NAME     wall_time (default) or any stored metric\n"
          "  --threshold PCT   threshold of the comparison (default 20%)\n"
          "  --alpha P, --min-size N, --min-change PCT, --branch NAME, --machine TEXT\n"
          "                    as for 'perfcmp trend'\n"
          "\n"
          "Exit status: 0 written, 2 bad usage, no runs, or a chart could not be drawn.\n",
          f);
}

/* DIR/NAME, malloc'd; NULL on ENOMEM. */
static char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/* mkdir -p DIR, failing when DIR is not a directory in the end.
 * Returns 0, or -1 with errno set. */
static int make_dirs(const char *dir)
{
    struct stat st;
    if (cli_mkdirs(dir) != 0 || stat(dir, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

/* Renders chart script S as DIR/NAME.  0, or EXIT_USAGE (printed). */
static int write_chart(const char *dir, const char *name, gnuplot_script *s)
{
    char err[1024];
    char *path = path_join(dir, name);
    if (!path || s->oom) {
        free(path);
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    int rc = gnuplot_render(s->buf, s->len, path, err, sizeof err);
    free(path);
    if (rc != 0) {
        cli_error("%s", trend_safe(err));
        return EXIT_USAGE;
    }
    return 0;
}

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;"
    "max-width:1100px;padding:0 1em;color:#222;background:#fff}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}\n"
    "h3{margin-bottom:.3em;font-family:ui-monospace,monospace;word-break:break-all}\n"
    ".meta,.note{color:#555}.summary{font-weight:600}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}\n"
    "th,td{padding:.25em .7em;border-bottom:1px solid #e5e5e5;text-align:right}\n"
    "th{background:#f5f5f5}td.name{text-align:left;font-family:ui-monospace,monospace;"
    "word-break:break-all}\n"
    "td.verdict{font-weight:600;text-align:left}\n"
    "tr.v-regressed td.verdict,.worse{color:#c62828}tr.v-improved td.verdict,.better{color:#2e7d32}\n"
    "tr.v-inconclusive td.verdict{color:#ef6c00}tr.v-failed td.verdict{color:#000}\n"
    "tr.v-unchanged td.verdict{color:#757575}\n"
    "img.chart{max-width:100%;height:auto;border:1px solid #eee;margin:.4em 0}\n"
    "nav ul{columns:3;font-family:ui-monospace,monospace;font-size:.9em}\n"
    "article{margin-bottom:2em}footer{margin-top:3em;color:#888;font-size:.85em}\n";

static void fmt_p(double p, char *buf, size_t len)
{
    if (!isfinite(p))
        snprintf(buf, len, "-");
    else if (p < 0.001)
        snprintf(buf, len, "<0.001");
    else
        snprintf(buf, len, "%.3f", p);
}

static void write_comparison(FILE *f, const verdict_report *rep, int has_chart)
{
    char buf[256];
    fputs("<section id=\"comparison\">\n<h2>", f);
    html_textf(f, "%s against %s", rep->current_label ? rep->current_label : "latest run",
               rep->baseline_label ? rep->baseline_label : "the baseline");
    fputs("</h2>\n<p class=\"summary\">", f);
    html_text(f, report_summary(rep, buf, sizeof buf));
    fputs("</p>\n", f);
    if (rep->machines_differ) {
        fputs("<p class=\"note\">", f);
        html_textf(f, "The runs come from different machines: %s and %s.",
                   rep->baseline_machine ? rep->baseline_machine : "?",
                   rep->current_machine ? rep->current_machine : "?");
        fputs("</p>\n", f);
    }
    if (has_chart)
        fputs("<img class=\"chart\" src=\"compare.svg\" alt=\"ratio of the latest run to the "
              "baseline, per benchmark\">\n", f);
    fputs("<table class=\"verdicts\">\n<thead><tr><th>benchmark</th><th>metric</th>"
          "<th>baseline</th><th>current</th><th>change</th><th>95% CI</th><th>p</th>"
          "<th>verdict</th></tr></thead>\n<tbody>\n", f);
    size_t *order = chart_row_order(rep);   /* NULL only when out of memory */
    for (size_t i = 0; i < rep->nrows; i++) {
        const verdict_row *r = &rep->rows[order ? order[i] : i];
        const char *kind = verdict_kind_name(r->kind);
        char v0[48], v1[48], p[32];
        fprintf(f, "<tr class=\"v-%s\"><td class=\"name\">", kind);
        html_text(f, r->bench);
        fputs("</td><td>", f);
        html_text(f, r->metric ? r->metric : "-");
        fputs("</td><td>", f);
        html_text(f, report_format_value(r->base_median, r->unit, v0, sizeof v0));
        fputs("</td><td>", f);
        html_text(f, report_format_value(r->cur_median, r->unit, v1, sizeof v1));
        fputs("</td><td>", f);
        if (isfinite(r->ratio))
            fprintf(f, "%+.1f%%", (r->ratio - 1) * 100);
        else
            fputs("-", f);
        fputs("</td><td>", f);
        if (isfinite(r->ci_low) && isfinite(r->ci_high))
            fprintf(f, "[%+.1f%%, %+.1f%%]", (r->ci_low - 1) * 100, (r->ci_high - 1) * 100);
        else
            fputs("-", f);
        fmt_p(r->p, p, sizeof p);
        fputs("</td><td>", f);
        html_text(f, p);
        fprintf(f, "</td><td class=\"verdict\">%s", kind);
        if (r->note) {
            fputs(" <small>(", f);
            html_text(f, r->note);
            fputs(")</small>", f);
        }
        fputs("</td></tr>\n", f);
    }
    free(order);
    fputs("</tbody>\n</table>\n</section>\n", f);
}

static void write_bench(FILE *f, const trend_series *t, size_t k, const char *chart)
{
    const char *unit = NULL;
    for (size_t i = 0; i < t->npts; i++)
        if (t->pts[i].unit)
            unit = t->pts[i].unit;
    fprintf(f, "<article class=\"bench\" id=\"b%zu\">\n<h3>", k);
    html_text(f, t->bench);
    fputs("</h3>\n", f);
    if (t->ncps == 0 && !t->creeping)
        fprintf(f, "<p class=\"finding\">No change in %zu run%s.</p>\n", t->nused,
                t->nused == 1 ? "" : "s");
    if (t->creeping) {
        int worse = trend_is_worse(t->trend.total, t->direction);
        char p[32];
        fmt_p(t->trend.p, p, sizeof p);
        fprintf(f, "<p class=\"finding %s\">Creeping %+.1f%%/run (%+.1f%% over %zu runs, "
                   "p %s%s), for the %s.</p>\n", worse ? "worse" : "better",
                t->trend.rate * 100, t->trend.total * 100, t->nused,
                p[0] == '<' ? "&lt; " : "= ", p[0] == '<' ? p + 1 : p, worse ? "worse" : "better");
    }
    if (chart) {
        fprintf(f, "<img class=\"chart\" src=\"%s\" alt=\"trend of ", chart);
        html_text(f, t->bench);
        fputs("\">\n", f);
    }
    if (t->ncps) {
        fputs("<table class=\"changes\">\n<thead><tr><th>run</th><th>commits</th><th>before</th>"
              "<th>after</th><th>change</th><th>p</th><th></th></tr></thead>\n<tbody>\n", f);
        for (size_t i = 0; i < t->ncps; i++) {
            const changepoint *cp = &t->cps[i];
            const store_point *b = &t->pts[t->used[cp->index - 1]];
            const store_point *a = &t->pts[t->used[cp->index]];
            char c0[16], c1[16], v0[48], v1[48], p[32];
            int worse = trend_is_worse(cp->change, t->direction);
            fmt_p(cp->p, p, sizeof p);
            fprintf(f, "<tr class=\"%s\"><td>%lld</td><td class=\"name\">", worse ? "worse" : "better",
                    (long long)a->run_id);
            html_text(f, trend_short_commit(b->commit, c0, sizeof c0));
            fputs(" &rarr; ", f);
            html_text(f, trend_short_commit(a->commit, c1, sizeof c1));
            fputs("</td><td>", f);
            html_text(f, report_format_value(cp->before, unit, v0, sizeof v0));
            fputs("</td><td>", f);
            html_text(f, report_format_value(cp->after, unit, v1, sizeof v1));
            fprintf(f, "</td><td>%+.1f%%</td><td>", cp->change * 100);
            html_text(f, p);
            fprintf(f, "</td><td>%s</td></tr>\n", worse ? "worse" : "better");
        }
        fputs("</tbody>\n</table>\n", f);
    }
    fputs("</article>\n", f);
}

int cmd_report(int argc, char **argv, cli_ctx *ctx)
{
    const char *dir = NULL, *baseline = NULL;
    trend_opts topt;
    store *s = NULL;
    store_run_info info;
    results_run base, cur;
    compare_opts cmp;
    verdict_report rep;
    char **names = NULL, *label = NULL, *index_path = NULL, *tmp_path = NULL;
    size_t nnames = 0, ncharts = 0;
    trend_series *series = NULL;
    FILE *f = NULL;
    int rc = EXIT_USAGE, have_cmp = 0;
    int64_t latest;

    trend_opts_init(&topt);
    memset(&info, 0, sizeof info);
    results_run_init(&base);
    results_run_init(&cur);
    compare_opts_init(&cmp);
    cmp.check_baseline = 0;     /* compare and run warn of a suspect baseline */
    verdict_report_init(&rep);

    for (int i = 1; i < argc;) {
        const char *a = argv[i], *v;
        int m;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            rc = EXIT_OK;
            goto out;
        }
        m = trend_parse_option(&topt, argc, argv, &i);
        if (m == EXIT_USAGE)
            goto out;
        if (m == 1)
            continue;
        m = trend_take_value(argc, argv, &i, "--html", NULL, &v);
        if (m == EXIT_USAGE)
            goto out;
        if (m == 1) {
            if (!*v) {
                cli_error("option '--html' needs a directory");
                goto out;
            }
            dir = v;
            continue;
        }
        m = trend_take_value(argc, argv, &i, "--baseline", NULL, &v);
        if (m == EXIT_USAGE)
            goto out;
        if (m == 1) {
            if (!*v) {
                cli_error("invalid baseline '': expected a name or a file");
                goto out;
            }
            baseline = v;
            continue;
        }
        m = trend_take_value(argc, argv, &i, "--against", NULL, &v);
        if (m == EXIT_USAGE)
            goto out;
        if (m == 1) {
            if (!*v) {
                cli_error("invalid run '': expected a run id or 'latest'");
                goto out;
            }
            cmp.against = v;
            continue;
        }
        m = trend_take_value(argc, argv, &i, "--baseline-dir", NULL, &v);
        if (m == EXIT_USAGE)
            goto out;
        if (m == 1) {
            if (!*v) {
                cli_error("option '--baseline-dir' needs a directory");
                goto out;
            }
            cmp.baseline_dir = v;
            continue;
        }
        m = trend_take_value(argc, argv, &i, "--threshold", NULL, &v);
        if (m == EXIT_USAGE)
            goto out;
        if (m == 1) {
            int tr = verdict_options_add_threshold(&cmp.vopt, v);
            if (tr == -2) {
                cli_error("out of memory");
                goto out;
            }
            if (tr != 0) {
                cli_error("invalid threshold '%s': expected a percentage >= 0 such as 20%% or "
                          "GLOB:5%%", trend_safe(v));
                goto out;
            }
            continue;
        }
        if (a[0] == '-')
            cli_error("unknown option '%s' (see 'perfcmp report --help')", trend_safe(a));
        else
            cli_error("unexpected argument '%s' (see 'perfcmp report --help')", trend_safe(a));
        goto out;
    }
    if (!dir) {
        cli_error("no output directory: give --html DIR (see 'perfcmp report --help')");
        goto out;
    }
    if (cmp.against && baseline) {
        cli_error("options '--baseline' and '--against' cannot be used together");
        goto out;
    }
    if (cli_open_store_existing(ctx, &s) != 0)
        goto out;
    int lr = store_latest_run(s, &latest);
    if (lr == STORE_NOTFOUND) {
        cli_error("no runs recorded yet: nothing to report");
        goto out;
    }
    if (lr != 0 || store_run_info_get(s, latest, &info) != 0 ||
        store_load_run(s, latest, &cur) != 0) {
        cli_error("%s", store_errmsg(s));
        goto out;
    }
    cmp.baseline = baseline;
    cmp.vopt.metric = topt.metric;
    int br = compare_load_baseline(s, &cmp, &base, &label);
    if (br == STORE_NOTFOUND && baseline) {
        char *path = baseline_file_path(cmp.baseline_dir, baseline);
        cli_error("no baseline '%s' in the database nor '%s' (save one with 'perfcmp baseline save')",
                  trend_safe(baseline), trend_safe(path ? path : "baselines/"));
        free(path);
        goto out;
    }
    if (br != 0 && br != STORE_NOTFOUND)
        goto out;
    if (br == 0) {
        char curlabel[64];
        snprintf(curlabel, sizeof curlabel, "run %lld", (long long)latest);
        if (compare_judge(&cmp, &base, label, &cur, curlabel, &rep) != 0 ||
            compare_apply_history(&cmp, s, &cur, latest, &rep) != 0)
            goto out;
        have_cmp = 1;
    }
    if (store_bench_names(s, &names, &nnames) != 0) {
        cli_error("%s", store_errmsg(s));
        goto out;
    }
    series = calloc(nnames + 1, sizeof *series);
    if (!series) {
        cli_error("out of memory");
        goto out;
    }
    if (make_dirs(dir) != 0) {
        cli_error("cannot create directory '%s': %s", trend_safe(dir), strerror(errno));
        goto out;
    }

    /* the charts */
    char err[512];
    const char *term = gnuplot_terminal(GNUPLOT_SVG, 1, err, sizeof err);
    if (!term) {
        cli_error("%s", trend_safe(err));
        goto out;
    }
    int cmp_chart = 0;
    if (have_cmp) {
        gnuplot_script sc;
        chart_opts co = { .fmt = GNUPLOT_SVG, .term = term };
        gnuplot_script_init(&sc);
        if (chart_compare(&sc, &co, &rep) == 0) {
            if (write_chart(dir, "compare.svg", &sc) != 0) {
                gnuplot_script_release(&sc);
                goto out;
            }
            cmp_chart = 1;
            ncharts++;
        } else if (sc.oom) {
            cli_error("out of memory");
            gnuplot_script_release(&sc);
            goto out;
        }
        gnuplot_script_release(&sc);
    }
    char **chart_names = calloc(nnames + 1, sizeof *chart_names);
    if (!chart_names) {
        cli_error("out of memory");
        goto out;
    }
    int chart_rc = 0;
    for (size_t i = 0; i < nnames && chart_rc == 0; i++) {
        int r = trend_load(s, names[i], &topt, 1, &series[i], err, sizeof err);
        if (r == STORE_NOTFOUND)
            continue;
        if (r != 0) {
            cli_error("%s", trend_safe(err));
            chart_rc = EXIT_USAGE;
            break;
        }
        if (series[i].nused == 0)
            continue;
        chart_trend_panel p = {
            .series = &series[i], .metric = topt.metric,
            .baseline = have_cmp ? trend_run_median(&base, names[i], topt.metric) : NAN,
            .baseline_label = label,
            .threshold = have_cmp ? verdict_threshold_for(&cmp.vopt, names[i]) : 0,
        };
        chart_opts co = { .fmt = GNUPLOT_SVG, .term = term, .width = 1000, .height = 380 };
        gnuplot_script sc;
        gnuplot_script_init(&sc);
        if (chart_trend(&sc, &co, &p, 1, 0) == 0) {
            char name[32];
            snprintf(name, sizeof name, "trend-%03zu.svg", i + 1);
            chart_rc = write_chart(dir, name, &sc);
            if (chart_rc == 0 && !(chart_names[i] = strdup(name))) {
                cli_error("out of memory");
                chart_rc = EXIT_USAGE;
            }
            ncharts += chart_rc == 0;
        } else if (sc.oom) {
            cli_error("out of memory");
            chart_rc = EXIT_USAGE;
        }
        gnuplot_script_release(&sc);
    }

    /* the page */
    if (chart_rc == 0) {
        index_path = path_join(dir, "index.html");
        tmp_path = path_join(dir, ".index.html.tmp");
        if (!index_path || !tmp_path) {
            cli_error("out of memory");
            chart_rc = EXIT_USAGE;
        } else if (!(f = fopen(tmp_path, "w"))) {
            cli_error("cannot write '%s': %s", trend_safe(index_path), strerror(errno));
            chart_rc = EXIT_USAGE;
        }
    }
    if (chart_rc == 0) {
        char c[16];
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<title>perfcmp report</title>\n<style>\n", f);
        fputs(css, f);
        fputs("</style>\n</head>\n<body>\n<h1>perfcmp report</h1>\n<p class=\"meta\">", f);
        html_textf(f, "Latest run %lld, %s, commit %s%s%s, on %s.", (long long)latest,
                   info.timestamp ? info.timestamp : "time unknown",
                   trend_short_commit(info.commit, c, sizeof c),
                   info.branch ? " on branch " : "", info.branch ? info.branch : "",
                   info.machine ? info.machine : "an unknown machine");
        fputs("</p>\n", f);
        if (have_cmp)
            write_comparison(f, &rep, cmp_chart);
        else
            fprintf(f, "<section id=\"comparison\">\n<h2>Comparison</h2>\n<p class=\"note\">"
                       "No baseline 'default' yet: save one with <code>perfcmp baseline save"
                       "</code>.</p>\n</section>\n");
        size_t shown = 0, with_change = 0, changes = 0;
        for (size_t i = 0; i < nnames; i++) {
            if (series[i].nused == 0)
                continue;
            shown++;
            changes += series[i].ncps;
            with_change += series[i].ncps || series[i].creeping;
        }
        fputs("<section id=\"trends\">\n<h2>", f);
        html_textf(f, "Trends of %s over the last %zu runs", topt.metric, topt.window);
        fprintf(f, "</h2>\n<p class=\"summary\">%zu change point%s; %zu of %zu benchmark%s "
                   "changed.</p>\n<nav><ul>\n", changes, changes == 1 ? "" : "s", with_change,
                shown, shown == 1 ? "" : "s");
        for (size_t i = 0; i < nnames; i++) {
            if (series[i].nused == 0)
                continue;
            fprintf(f, "<li><a href=\"#b%zu\">", i + 1);
            html_text(f, names[i]);
            fputs("</a></li>\n", f);
        }
        fputs("</ul></nav>\n", f);
        for (size_t i = 0; i < nnames; i++)
            if (series[i].nused > 0)
                write_bench(f, &series[i], i + 1, chart_names[i]);
        fprintf(f, "</section>\n<footer>Written by perfcmp %s.</footer>\n</body>\n</html>\n",
                perfcmp_version());
        int werr = ferror(f);
        if (fclose(f) != 0 || werr) {
            f = NULL;
            cli_error("cannot write '%s': %s", trend_safe(index_path), strerror(errno ? errno : EIO));
            chart_rc = EXIT_USAGE;
        } else if ((f = NULL, rename(tmp_path, index_path) != 0)) {
            cli_error("cannot write '%s': %s", trend_safe(index_path), strerror(errno));
            chart_rc = EXIT_USAGE;
        }
    }
    for (size_t i = 0; i < nnames; i++)
        free(chart_names[i]);
    free(chart_names);
    if (chart_rc != 0) {
        if (f)
            fclose(f);
        f = NULL;
        if (tmp_path)
            unlink(tmp_path);
        goto out;
    }
    printf("wrote '%s' and %zu chart%s\n", index_path, ncharts, ncharts == 1 ? "" : "s");
    rc = EXIT_OK;
out:
    if (series)
        for (size_t i = 0; i < nnames; i++)
            trend_series_release(&series[i]);
    free(series);
    store_names_free(names, nnames);
    free(label);
    free(index_path);
    free(tmp_path);
    store_run_info_release(&info);
    results_run_release(&base);
    results_run_release(&cur);
    compare_opts_release(&cmp);
    verdict_report_release(&rep);
    store_close(s);
    return rc;
}
