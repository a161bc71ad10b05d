/*
 * cmd_runs.c - perfcmp runs: list stored runs, newest first.
 */
#include "commands.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void runs_usage(FILE *f)
{
    fprintf(f,
            "usage: perfcmp runs [--last=N] [--branch=NAME] [--machine=TEXT] [--format=text|json]\n"
            "\n"
            "Lists stored runs, newest first: id, time, commit ('*' when the work tree\n"
            "was dirty), branch, number of benchmarks, baselines using the run, note.\n"
            "\n"
            "  --last=N         only the newest N runs\n"
            "  --branch=NAME    only runs recorded on branch NAME\n"
            "  --machine=TEXT   only runs whose machine fingerprint contains TEXT\n"
            "  --format=FMT     text (default) or json\n"
            "  --help, -h       this help\n");
}

/* "2026-11-23T11:30:58Z" -> "2026-11-23 11:30" in OUT. */
static void runs_short_time(const char *iso, char *out, size_t len)
{
    if (!iso) {
        snprintf(out, len, "-");
        return;
    }
    snprintf(out, len, "%.16s", iso);
    if (strlen(out) > 10 && out[10] == 'T')
        out[10] = ' ';
}

static void runs_print_text(const store_run_info *v, size_t n)
{
    printf("%5s  %-16s  %-8s  %-16s  %7s  %-12s  %s\n", "ID", "TIME (UTC)", "COMMIT", "BRANCH",
           "BENCHES", "BASELINES", "NOTE");
    for (size_t i = 0; i < n; i++) {
        const store_run_info *r = &v[i];
        char when[32], commit[16], bl[256];
        size_t bn = 0;
        runs_short_time(r->timestamp ? r->timestamp : r->recorded_at, when, sizeof when);
        snprintf(commit, sizeof commit, "%.7s%s", r->commit ? r->commit : "-",
                 r->dirty == 1 ? "*" : "");
        bl[0] = '\0';
        for (size_t k = 0; k < r->nbaselines && bn < sizeof bl; k++) {
            int w = snprintf(bl + bn, sizeof bl - bn, "%s%s", k ? "," : "", r->baselines[k]);
            if (w < 0)
                break;
            bn += (size_t)w;
        }
        char shown_commit[sizeof commit], branch[256], note[1024];
        printf("%5lld  %-16s  %-8s  %-16s  %7zu  %-*s%s%s\n", (long long)r->id, when,
               cli_display(commit, shown_commit, sizeof shown_commit),
               cli_display(r->branch, branch, sizeof branch), r->nbenches, r->note ? 12 : 0,
               bl[0] ? bl : "-", r->note ? "  " : "",
               r->note ? cli_display(r->note, note, sizeof note) : "");
    }
}

static int runs_print_json(const store_run_info *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    char *text = NULL;
    int rc = -1;
    if (!a)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const store_run_info *r = &v[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(a, o))
            goto out;
        cJSON_AddNumberToObject(o, "id", (double)r->id);
        cJSON_AddItemToObject(o, "timestamp", r->timestamp ? cJSON_CreateString(r->timestamp)
                                                           : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "recorded_at", r->recorded_at ? r->recorded_at : "");
        cJSON_AddItemToObject(o, "commit", r->commit ? cJSON_CreateString(r->commit)
                                                     : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "branch", r->branch ? cJSON_CreateString(r->branch)
                                                     : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "dirty", r->dirty < 0 ? cJSON_CreateNull()
                                                       : cJSON_CreateBool(r->dirty));
        cJSON_AddNumberToObject(o, "benchmarks", (double)r->nbenches);
        cJSON_AddItemToObject(o, "note", r->note ? cJSON_CreateString(r->note)
                                                 : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "source_format", r->source_format
                                                      ? cJSON_CreateString(r->source_format)
                                                      : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "host", r->host ? cJSON_CreateString(r->host)
                                                 : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "machine", r->machine ? cJSON_CreateString(r->machine)
                                                       : cJSON_CreateNull());
        cJSON *bl = cJSON_AddArrayToObject(o, "baselines");
        if (!bl)
            goto out;
        for (size_t k = 0; k < r->nbaselines; k++)
            cJSON_AddItemToArray(bl, cJSON_CreateString(r->baselines[k]));
    }
    text = cJSON_Print(a);
    if (!text)
        goto out;
    puts(text);
    rc = 0;
out:
    cJSON_free(text);
    cJSON_Delete(a);
    return rc;
}

int cmd_runs(int argc, char **argv, cli_ctx *ctx)
{
    const char *last = NULL, *branch = NULL, *machine = NULL, *format = "text";
    store_filter f = { 0 };
    store_run_info *v = NULL;
    size_t n = 0;
    store *s = NULL;
    int rc = EXIT_USAGE, m;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            runs_usage(stdout);
            return EXIT_OK;
        } else if ((m = cli_opt_value(argc, argv, &i, "--last", &last)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--branch", &branch)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--machine", &machine)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--format", &format)) != 0) {
            if (m < 0)
                return EXIT_USAGE;
        } else if (a[0] == '-') {
            cli_error("unknown option '%s' (see 'perfcmp runs --help')", a);
            return EXIT_USAGE;
        } else {
            cli_error("unexpected argument '%s' (see 'perfcmp runs --help')", a);
            return EXIT_USAGE;
        }
    }
    if (last && cli_parse_size(last, &f.last) != 0) {
        cli_error("invalid value '%s' for '--last': expected a positive whole number", last);
        return EXIT_USAGE;
    }
    if (cli_choice("format", format, (const char *const[]){ "text", "json", NULL }) < 0) {
        return EXIT_USAGE;
    }
    f.branch = branch;
    f.machine = machine;
    if (cli_open_store_existing(ctx, &s) != 0)
        return EXIT_USAGE;
    if (store_list_runs(s, &f, &v, &n) != 0) {
        cli_error("cannot list runs in '%s': %s", store_path(s), store_errmsg(s));
        goto out;
    }
    if (!strcmp(format, "json")) {
        if (runs_print_json(v, n) != 0) {
            cli_error("out of memory");
            goto out;
        }
    } else if (n == 0) {
        printf("no runs recorded%s in '%s'\n", branch || machine ? " matching the filter" : "",
               store_path(s));
    } else {
        runs_print_text(v, n);
    }
    rc = EXIT_OK;
out:
    store_run_infos_free(v, n);
    store_close(s);
    return rc;
}
