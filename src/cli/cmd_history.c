/*
 * cmd_history.c - `perfcmp history BENCH [OPTIONS]`: one benchmark's
 * values over the stored runs, oldest first, one row per run.
 */
#include "commands.h"
#include "report.h"
#include "trend.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: perfcmp history BENCH [--metric=NAME] [--last=N] [--branch=NAME]\n"
          "                       [--machine=TEXT] [--format=text|json|csv]\n"
          "\n"
          "Shows one benchmark's median and its 95% confidence interval in every stored\n"
          "run, oldest first, with the change from the previous run.\n"
          "\n"
          "Options:\n"
          "  --metric NAME    wall_time (default), cpu_time, peak_rss or any stored metric\n"
          "  --last N         only the newest N runs that have the benchmark\n"
          "  --branch NAME    only runs recorded on branch NAME\n"
          "  --machine TEXT   only runs whose machine fingerprint contains TEXT\n"
          "  --format FMT     text (default), json or csv\n"
          "\n"
          "Exit status: 0 shown, 2 bad usage or unknown benchmark or metric.\n",
          f);
}

enum history_format { HISTORY_TEXT, HISTORY_JSON, HISTORY_CSV };

/* Relative change of point I from the previous ok point, or NAN. */
static double change_from_previous(const trend_series *t, size_t k)
{
    if (k == 0)
        return NAN;
    double prev = t->values[k - 1], cur = t->values[k];
    return prev != 0 ? (cur / prev - 1) * 100 : NAN;
}

/* Fills CHANGE[i] for every point (NAN for failed ones and the first). */
static void changes(const trend_series *t, double *change)
{
    for (size_t i = 0; i < t->npts; i++)
        change[i] = NAN;
    for (size_t k = 0; k < t->nused; k++)
        change[t->used[k]] = change_from_previous(t, k);
}

/* The unit of the newest point that has one, or NULL. */
static const char *unit_of(const trend_series *t)
{
    const char *unit = NULL;
    for (size_t i = 0; i < t->npts; i++)
        if (t->pts[i].unit)
            unit = t->pts[i].unit;
    return unit;
}

static int print_text(const trend_series *t, const char *metric, const double *change)
{
    const char *unit = unit_of(t);
    printf("%s  %s (%s%s%s), %zu run%s\n", t->bench, metric, unit ? unit : "",
           unit ? ", " : "", t->direction == RESULTS_HIGHER_IS_BETTER ? "higher is better"
                                                                     : "lower is better",
           t->npts, t->npts == 1 ? "" : "s");
    enum { NCOL = 8 };
    static const char *head[NCOL] = { "run", "time", "commit", "branch", "median",
                                      "ci low", "ci high", "change" };
    static const int right[NCOL] = { 1, 0, 0, 0, 1, 1, 1, 1 };
    size_t width[NCOL];
    char (*cells)[NCOL][96] = calloc(t->npts ? t->npts : 1, sizeof *cells);
    if (!cells) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    for (int c = 0; c < NCOL; c++)
        width[c] = strlen(head[c]);
    for (size_t i = 0; i < t->npts; i++) {
        const store_point *p = &t->pts[i];
        char (*row)[96] = cells[i];
        snprintf(row[0], 96, "%lld", (long long)p->run_id);
        snprintf(row[1], 96, "%s", p->timestamp ? p->timestamp : "-");
        trend_short_commit(p->commit, row[2], 96);
        snprintf(row[3], 96, "%s", p->branch && *p->branch ? p->branch : "-");
        if (p->status != RESULTS_OK || p->summary.n == 0) {
            snprintf(row[4], 96, "%s", results_status_name(p->status));
            row[5][0] = row[6][0] = '\0';
            snprintf(row[7], 96, "-");
        } else {
            report_format_value(p->summary.median, p->unit, row[4], 96);
            report_format_value(p->summary.ci_low, p->unit, row[5], 96);
            report_format_value(p->summary.ci_high, p->unit, row[6], 96);
            if (isfinite(change[i]))
                snprintf(row[7], 96, "%+.1f%%", change[i]);
            else
                snprintf(row[7], 96, "-");
        }
        for (int c = 0; c < NCOL; c++)
            if (strlen(row[c]) > width[c])
                width[c] = strlen(row[c]);
    }
    for (int c = 0; c < NCOL; c++)
        printf("%s%*s%s", c ? "  " : "  ", right[c] ? (int)width[c] : -(int)width[c], head[c],
               c == NCOL - 1 ? "\n" : "");
    for (size_t i = 0; i < t->npts; i++)
        for (int c = 0; c < NCOL; c++)
            printf("  %*s%s", right[c] ? (int)width[c] : -(int)width[c], cells[i][c],
                   c == NCOL - 1 ? "\n" : "");
    free(cells);
    return EXIT_OK;
}

static int print_json(const trend_series *t, const char *metric, const double *change)
{
    int rc = EXIT_USAGE;
    cJSON *root = cJSON_CreateObject(), *runs = cJSON_CreateArray();
    char *text = NULL;
    if (!root || !runs)
        goto out;
    cJSON_AddItemToObject(root, "benchmark", cJSON_CreateString(t->bench));
    cJSON_AddItemToObject(root, "metric", cJSON_CreateString(metric));
    cJSON_AddItemToObject(root, "unit", cli_json_string(unit_of(t)));
    cJSON_AddItemToObject(root, "direction", cJSON_CreateString(
                              t->direction == RESULTS_HIGHER_IS_BETTER ? "higher" : "lower"));
    cJSON_AddItemToObject(root, "runs", runs);
    for (size_t i = 0; i < t->npts; i++) {
        const store_point *p = &t->pts[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            goto out;
        cJSON_AddItemToArray(runs, o);
        int ok = p->status == RESULTS_OK && p->summary.n > 0;
        cJSON_AddItemToObject(o, "run_id", cJSON_CreateNumber((double)p->run_id));
        cJSON_AddItemToObject(o, "timestamp", cli_json_string(p->timestamp));
        cJSON_AddItemToObject(o, "commit", cli_json_string(p->commit));
        cJSON_AddItemToObject(o, "branch", cli_json_string(p->branch));
        cJSON_AddItemToObject(o, "machine", cli_json_string(p->machine));
        cJSON_AddItemToObject(o, "status", cJSON_CreateString(results_status_name(p->status)));
        cJSON_AddItemToObject(o, "n", cJSON_CreateNumber((double)p->summary.n));
        cJSON_AddItemToObject(o, "median", cli_json_number(ok ? p->summary.median : NAN));
        cJSON_AddItemToObject(o, "ci_low", cli_json_number(ok ? p->summary.ci_low : NAN));
        cJSON_AddItemToObject(o, "ci_high", cli_json_number(ok ? p->summary.ci_high : NAN));
        cJSON_AddItemToObject(o, "change_pct", cli_json_number(change[i]));
    }
    text = cJSON_Print(root);
    if (!text)
        goto out;
    puts(text);
    rc = EXIT_OK;
out:
    if (rc != EXIT_OK)
        cli_error("out of memory");
    free(text);
    cJSON_Delete(root);
    return rc;
}

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
static void csv_field(const char *s, int last)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                putchar('"');
            putchar(*p);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
    putchar(last ? '\n' : ',');
}

/* The shortest of %.15g..%.17g that reads back as V. */
static void csv_number(double v, int last)
{
    if (isfinite(v)) {
        char buf[40];
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, v);
            if (strtod(buf, NULL) == v)
                break;
        }
        fputs(buf, stdout);
    }
    putchar(last ? '\n' : ',');
}

static int print_csv(const trend_series *t, const double *change)
{
    puts("run_id,timestamp,commit,branch,status,median,ci_low,ci_high,change_pct,unit");
    for (size_t i = 0; i < t->npts; i++) {
        const store_point *p = &t->pts[i];
        int ok = p->status == RESULTS_OK && p->summary.n > 0;
        printf("%lld,", (long long)p->run_id);
        csv_field(p->timestamp, 0);
        csv_field(p->commit, 0);
        csv_field(p->branch, 0);
        csv_field(results_status_name(p->status), 0);
        csv_number(ok ? p->summary.median : NAN, 0);
        csv_number(ok ? p->summary.ci_low : NAN, 0);
        csv_number(ok ? p->summary.ci_high : NAN, 0);
        csv_number(change[i], 0);
        csv_field(p->unit, 1);
    }
    return EXIT_OK;
}

/* 1 if BENCH is a stored benchmark name, 0 if not, -1 on error (printed). */
static int bench_exists(store *s, const char *bench)
{
    char **names = NULL;
    size_t n = 0;
    if (store_bench_names(s, &names, &n) != 0) {
        cli_error("%s", store_errmsg(s));
        return -1;
    }
    int found = 0;
    for (size_t i = 0; i < n && !found; i++)
        found = !strcmp(names[i], bench);
    store_names_free(names, n);
    return found;
}

int cmd_history(int argc, char **argv, cli_ctx *ctx)
{
    trend_opts o;
    enum history_format fmt = HISTORY_TEXT;
    const char *bench = NULL;
    store *s = NULL;
    trend_series t;
    double *change = NULL;
    int rc = EXIT_USAGE;

    trend_opts_init(&o);
    o.window = 0;
    trend_series_init(&t);
    int only_args = 0;
    for (int i = 1; i < argc;) {
        const char *a = argv[i], *v;
        if (only_args)
            goto positional;
        if (!strcmp(a, "--")) {
            only_args = 1;
            i++;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return EXIT_OK;
        }
        int m = trend_parse_option(&o, argc, argv, &i);
        if (m == EXIT_USAGE)
            return EXIT_USAGE;
        if (m == 1) {
            continue;
        }
        m = trend_take_value(argc, argv, &i, "--format", NULL, &v);
        if (m == EXIT_USAGE)
            return EXIT_USAGE;
        if (m == 1) {
            int k = cli_choice("format", v, (const char *const[]){ "text", "json", "csv", NULL });
            if (k < 0)
                return EXIT_USAGE;
            fmt = (enum history_format)k; /* the enum's order */
            continue;
        }
        if (a[0] == '-' && a[1] != '\0') {
            cli_error("unknown option '%s' (see 'perfcmp history --help')", trend_safe(a));
            return EXIT_USAGE;
        }
positional:
        if (bench) {
            cli_error("unexpected argument '%s': history shows one benchmark", trend_safe(a));
            return EXIT_USAGE;
        }
        bench = a;
        i++;
    }
    if (!bench) {
        cli_error("no benchmark given (see 'perfcmp history --help')");
        return EXIT_USAGE;
    }
    if (cli_open_store_existing(ctx, &s) != 0)
        return EXIT_USAGE;

    char err[512];
    int lr = trend_load(s, bench, &o, 0, &t, err, sizeof err);
    if (lr == STORE_NOTFOUND && (o.window || o.branch || o.machine)) {
        /* the window may hold only failed runs: show them when the metric
         * has values in some run */
        trend_opts all = o;
        all.window = 0;
        all.branch = all.machine = NULL;
        lr = trend_load(s, bench, &all, 0, &t, err, sizeof err);
        trend_series_release(&t);
        if (lr == 0) {
            o.keep_failed_only = 1;
            lr = trend_load(s, bench, &o, 0, &t, err, sizeof err);
            if (lr == STORE_NOTFOUND) {
                cli_error("no '%s' values of benchmark '%s' match the filters", trend_safe(o.metric), trend_safe(bench));
                goto out;
            }
        }
    }
    if (lr == STORE_NOTFOUND) {
        int exists = bench_exists(s, bench);
        if (exists == 0)
            cli_error("no benchmark '%s' in the database", trend_safe(bench));
        else if (exists == 1)
            cli_error("no metric '%s' recorded for benchmark '%s'", trend_safe(o.metric), trend_safe(bench));
        goto out;
    }
    if (lr != 0) {
        cli_error("%s", trend_safe(err));
        goto out;
    }
    change = malloc(t.npts * sizeof *change);
    if (!change) {
        cli_error("out of memory");
        goto out;
    }
    changes(&t, change);
    if (fmt == HISTORY_JSON)
        rc = print_json(&t, o.metric, change);
    else if (fmt == HISTORY_CSV)
        rc = print_csv(&t, change);
    else
        rc = print_text(&t, o.metric, change);
    if (fflush(stdout) != 0) {
        cli_error("cannot write the output: %s", strerror(errno));
        rc = EXIT_USAGE;
    }
out:
    free(change);
    trend_series_release(&t);
    store_close(s);
    return rc;
}
