/*
 * cmd_show.c - perfcmp show: one run's context and a table of its
 * benchmarks (median, confidence interval of the median, n, status), then
 * the complexity class of each family measured at several sizes.
 */
#include "commands.h"
#include "../core/complexity.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show_usage(FILE *f)
{
    fprintf(f,
            "usage: perfcmp show RUN [--format=text|json]\n"
            "       perfcmp show --file=PATH [--format=text|json]\n"
            "\n"
            "Shows a stored run: where and when it was made (with the extras the bench\n"
            "binary measured, when it recorded them), then each benchmark's metrics\n"
            "with median, 95%% confidence interval of the median, number of samples\n"
            "and status, then one line per family with one size argument and at least\n"
            "4 sizes: its complexity class fitted to the wall_time medians, as the\n"
            "bench binary prints it. RUN is a run id or 'latest'. With --file, shows\n"
            "a result file (any format 'record' reads) without storing it.\n"
            "\n"
            "  --format=FMT     text (default) or json (the perfcmp-results document\n"
            "                   with its \"complexity\" array, plus a \"stored\" block\n"
            "                   for a stored run)\n"
            "  --file=PATH      show a result file instead of a stored run\n"
            "  --help, -h       this help\n");
}

/* VALUE in UNIT, scaled to a readable prefix: "1.074 us", "70.01 GB/s". */
static void show_value(double v, const char *unit, char *out, size_t len)
{
    if (isnan(v)) {
        snprintf(out, len, "-");
        return;
    }
    const char *u = unit ? unit : "";
    double a = fabs(v);
    if (!strcmp(u, "ns")) {
        if (a >= 1e9)
            snprintf(out, len, "%.4g s", v / 1e9);
        else if (a >= 1e6)
            snprintf(out, len, "%.4g ms", v / 1e6);
        else if (a >= 1e3)
            snprintf(out, len, "%.4g us", v / 1e3);
        else
            snprintf(out, len, "%.4g ns", v);
    } else if (!strcmp(u, "bytes")) {
        if (a >= 1073741824.0)
            snprintf(out, len, "%.4g GiB", v / 1073741824.0);
        else if (a >= 1048576.0)
            snprintf(out, len, "%.4g MiB", v / 1048576.0);
        else if (a >= 1024.0)
            snprintf(out, len, "%.4g KiB", v / 1024.0);
        else
            snprintf(out, len, "%.4g B", v);
    } else if (!strcmp(u, "B/s") || !strcmp(u, "items/s")) {
        /* decimal prefixes: "70.01 GB/s", "17.08 M items/s" */
        int bytes = !strcmp(u, "B/s");
        const char *pre = a >= 1e9 ? "G" : a >= 1e6 ? "M" : a >= 1e3 ? "k" : "";
        double div = a >= 1e9 ? 1e9 : a >= 1e6 ? 1e6 : a >= 1e3 ? 1e3 : 1.0;
        snprintf(out, len, "%.4g %s%s%s", v / div, pre, bytes ? "" : (*pre ? " " : ""),
                 bytes ? "B/s" : "items/s");
    } else {
        snprintf(out, len, *u ? "%.4g %s" : "%.4g", v, u);
    }
}

static void show_context(const results_run *run, const store_run_info *info)
{
    const results_context *c = &run->context;
    if (info)
        printf("run %lld (%s), recorded %s\n", (long long)info->id,
               c->source_format ? c->source_format : "unknown format",
               info->recorded_at ? info->recorded_at : "-");
    else
        printf("results file (%s)\n", c->source_format ? c->source_format : "unknown format");
    printf("  %-10s %s\n", "time", c->timestamp ? c->timestamp : "-");
    if (c->git_commit || c->git_branch)
        printf("  %-10s %s%s%s%s\n", "commit", c->git_commit ? c->git_commit : "-",
               c->git_dirty == 1 ? " (dirty)" : "", c->git_branch ? "  branch " : "",
               c->git_branch ? c->git_branch : "");
    char *fp = store_machine_fingerprint(c);
    printf("  %-10s %s\n", "machine", fp ? fp : "-");
    free(fp);
    if (c->host)
        printf("  %-10s %s\n", "host", c->host);
    if (c->compiler && *c->compiler)
        printf("  %-10s %s%s%s\n", "compiler", c->compiler, c->cflags && *c->cflags ? " " : "",
               c->cflags ? c->cflags : "");
    if (c->command && *c->command)
        printf("  %-10s %s\n", "command", c->command);
    if (c->extras_known) {
        printf("  %-10s", "extras");
        for (size_t i = 0; i < c->nextras; i++)
            printf("%s%s", i ? ", " : " ", c->extras[i]);
        printf("%s\n", c->nextras ? "" : " none");
    }
    if (info && info->nbaselines) {
        printf("  %-10s", "baselines");
        for (size_t i = 0; i < info->nbaselines; i++)
            printf("%s%s", i ? ", " : " ", info->baselines[i]);
        printf("\n");
    }
    if (info && info->note) {
        char note[1024];
        printf("  %-10s %s\n", "note", cli_display(info->note, note, sizeof note));
    }
}

/* One row of the table, formatted. */
typedef struct show_row {
    const char *bench, *metric;
    char median[48], ci[104], n[24];
    const results_bench *b;
} show_row;

static void show_status(const results_bench *b, char *out, size_t len)
{
    if (b->status == RESULTS_OK)
        snprintf(out, len, "ok");
    else
        snprintf(out, len, "%s%s%s", results_status_name(b->status), b->error ? ": " : "",
                 b->error ? b->error : "");
}

static int show_table(const results_run *run)
{
    size_t nrows = 0, r = 0;
    for (size_t i = 0; i < run->nbenches; i++)
        nrows += run->benches[i].nmetrics ? run->benches[i].nmetrics : 1;
    show_row *rows = calloc(nrows ? nrows : 1, sizeof *rows);
    if (!rows)
        return -1;
    int wn = (int)strlen("BENCHMARK"), wm = (int)strlen("METRIC");
    int wd = (int)strlen("MEDIAN"), wc = (int)strlen("95% CI OF MEDIAN"), wk = 1;
    for (size_t i = 0; i < run->nbenches; i++) {
        const results_bench *b = &run->benches[i];
        for (size_t m = 0; m < (b->nmetrics ? b->nmetrics : 1); m++) {
            show_row *w = &rows[r++];
            w->b = b;
            w->bench = m == 0 ? b->name : "";
            if (b->nmetrics == 0) {
                w->metric = "-";
                snprintf(w->median, sizeof w->median, "-");
                snprintf(w->ci, sizeof w->ci, "-");
                snprintf(w->n, sizeof w->n, "-");
            } else {
                const results_metric *mt = &b->metrics[m];
                char lo[48], hi[48];
                w->metric = mt->name;
                show_value(mt->summary.median, mt->unit, w->median, sizeof w->median);
                show_value(mt->summary.ci_low, mt->unit, lo, sizeof lo);
                show_value(mt->summary.ci_high, mt->unit, hi, sizeof hi);
                snprintf(w->ci, sizeof w->ci, "[%s, %s]", lo, hi);
                snprintf(w->n, sizeof w->n, "%zu", mt->summary.n);
            }
            int l;
            if ((l = (int)strlen(w->bench)) > wn)
                wn = l;
            if ((l = (int)strlen(w->metric)) > wm)
                wm = l;
            if ((l = (int)strlen(w->median)) > wd)
                wd = l;
            if ((l = (int)strlen(w->ci)) > wc)
                wc = l;
            if ((l = (int)strlen(w->n)) > wk)
                wk = l;
        }
    }
    if (wn > 60)
        wn = 60;
    printf("\n%-*s  %-*s  %*s  %-*s  %*s  %s\n", wn, "BENCHMARK", wm, "METRIC", wd, "MEDIAN", wc,
           "95% CI OF MEDIAN", wk, "N", "STATUS");
    for (size_t i = 0; i < nrows; i++) {
        char status[256];
        show_status(rows[i].b, status, sizeof status);
        printf("%-*s  %-*s  %*s  %-*s  %*s  %s\n", wn, rows[i].bench, wm, rows[i].metric, wd,
               rows[i].median, wc, rows[i].ci, wk, rows[i].n, status);
    }
    free(rows);
    return 0;
}

/* One line per fitted family, as the bench binary prints them. */
static void show_complexity(const complexity_fit *fits, size_t nfits)
{
    for (size_t i = 0; i < nfits; i++) {
        char line[1200];
        complexity_describe(&fits[i], line, sizeof line);
        printf("%s\n", line);
    }
}

/* The "complexity" array of FITS[NFITS], formatted and indented by one tab
 * (malloc'd), or NULL on ENOMEM. */
static char *show_complexity_json(const complexity_fit *fits, size_t nfits)
{
    cJSON *a = complexity_fits_json(fits, nfits);
    char *text = a ? cJSON_Print(a) : NULL, *out = NULL;
    if (text) {
        size_t extra = 0;
        for (const char *p = text; *p; p++)
            extra += *p == '\n';
        if ((out = malloc(strlen(text) + extra + 1))) {
            char *o = out;
            for (const char *p = text; *p; p++) {
                *o++ = *p;
                if (*p == '\n')
                    *o++ = '\t';
            }
            *o = '\0';
        }
    }
    cJSON_free(text);
    cJSON_Delete(a);
    return out;
}

/* The "stored" block of a stored run, unformatted JSON (free with
 * cJSON_free), or NULL on ENOMEM. */
static char *show_stored(const store_run_info *info)
{
    cJSON *st = cJSON_CreateObject();
    char *block = NULL;
    if (!st)
        return NULL;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)info->id);
    cJSON_AddRawToObject(st, "run_id", id);
    cJSON_AddStringToObject(st, "recorded_at", info->recorded_at ? info->recorded_at : "");
    cJSON_AddItemToObject(st, "note", info->note ? cJSON_CreateString(info->note)
                                                 : cJSON_CreateNull());
    cJSON_AddStringToObject(st, "source_format", info->source_format ? info->source_format : "");
    cJSON_AddStringToObject(st, "machine", info->machine ? info->machine : "");
    cJSON *bl = cJSON_AddArrayToObject(st, "baselines");
    for (size_t i = 0; bl && i < info->nbaselines; i++)
        cJSON_AddItemToArray(bl, cJSON_CreateString(info->baselines[i]));
    block = cJSON_PrintUnformatted(st);
    cJSON_Delete(st);
    return block;
}

/* Prints the run as perfcmp-results JSON: results_to_json's text as it
 * is (exact numbers), with the "complexity" array of FITS[NFITS] (when
 * there are any) and, for a stored run, a "stored" block before the
 * closing brace. */
static int show_json(const results_run *run, const store_run_info *info,
                     const complexity_fit *fits, size_t nfits)
{
    char *json = results_to_json(run), *block = NULL, *cx = NULL;
    int rc = -1;
    if (!json)
        goto out;
    if (nfits && !(cx = show_complexity_json(fits, nfits)))
        goto out;
    if (!info && !cx) {
        fputs(json, stdout);    /* ends with its own newline */
        rc = 0;
        goto out;
    }
    if (info && !(block = show_stored(info)))
        goto out;
    char *close = strrchr(json, '}');
    if (!close)
        goto out;
    size_t head = (size_t)(close - json);
    while (head > 0 && (json[head - 1] == '\n' || json[head - 1] == ' ' || json[head - 1] == '\t'))
        head--;
    printf("%.*s", (int)head, json);
    if (cx)
        printf(",\n\t\"complexity\":\t%s", cx);
    if (block)
        printf(",\n\t\"stored\":\t%s", block);
    printf("\n}\n");
    rc = 0;
out:
    cJSON_free(block);
    free(cx);
    free(json);
    return rc;
}

int cmd_show(int argc, char **argv, cli_ctx *ctx)
{
    const char *format = "text", *file = NULL, *run_arg = NULL;
    results_run run;
    store_run_info info;
    store *s = NULL;
    complexity_fit *fits = NULL;
    size_t nfits = 0;
    int rc = EXIT_USAGE, m, have_info = 0;

    results_run_init(&run);
    memset(&info, 0, sizeof info);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            show_usage(stdout);
            return EXIT_OK;
        } else if ((m = cli_opt_value(argc, argv, &i, "--format", &format)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--file", &file)) != 0) {
            if (m < 0)
                return EXIT_USAGE;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_error("unknown option '%s' (see 'perfcmp show --help')", a);
            return EXIT_USAGE;
        } else if (run_arg) {
            cli_error("unexpected argument '%s': show takes one run", a);
            return EXIT_USAGE;
        } else {
            run_arg = a;
        }
    }
    if (cli_choice("format", format, (const char *const[]){ "text", "json", NULL }) < 0) {
        return EXIT_USAGE;
    }
    if (file && run_arg) {
        cli_error("give either a run or --file, not both");
        return EXIT_USAGE;
    }
    if (!file && !run_arg) {
        cli_error("no run given (see 'perfcmp show --help')");
        return EXIT_USAGE;
    }
    if (file) {
        if (cli_load_results_file(file, NULL, &run) != 0)
            goto out;
    } else {
        int64_t id;
        if (cli_open_store_existing(ctx, &s) != 0 || cli_parse_run_id(s, run_arg, &id) != 0)
            goto out;
        int r = store_run_info_get(s, id, &info);
        if (r == 0)
            r = store_load_run(s, id, &run);
        if (r != 0) {
            cli_error_run(s, id, r);
            goto out;
        }
        have_info = 1;
    }
    if (complexity_fit_run(&run, "wall_time", &fits, &nfits) != 0) {
        cli_error("out of memory");
        goto out;
    }
    if (!strcmp(format, "json")) {
        if (show_json(&run, have_info ? &info : NULL, fits, nfits) != 0) {
            cli_error("out of memory");
            goto out;
        }
    } else {
        show_context(&run, have_info ? &info : NULL);
        if (show_table(&run) != 0) {
            cli_error("out of memory");
            goto out;
        }
        show_complexity(fits, nfits);
    }
    rc = EXIT_OK;
out:
    complexity_fits_free(fits, nfits);
    results_run_release(&run);
    store_run_info_release(&info);
    store_close(s);
    return rc;
}
