/*
 * cmd_trend.c - `perfcmp trend [BENCH_GLOB...] [OPTIONS]`: change points
 * (E-divisive means) and creeping trends (Mann-Kendall / Theil-Sen) in the
 * per-run medians of each benchmark; with --since=N, exit 1 when one in
 * the bad direction falls in the last N runs (docs/trends.md).
 */
#include "commands.h"
#include "report.h"
#include "trend.h"

#include <cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("usage: perfcmp trend [BENCH_GLOB...] [--metric=NAME] [--last=N] [--alpha=P]\n"
          "                     [--min-size=N] [--min-change=PCT] [--since=N]\n"
          "                     [--branch=NAME] [--machine=TEXT] [--format=text|json]\n"
          "\n"
          "Finds where each benchmark's level shifted (change points, E-divisive means\n"
          "on the per-run medians) and slow creeps (Mann-Kendall trend test).\n"
          "\n"
          "Options:\n"
          "  --metric NAME     wall_time (default) or any stored metric\n"
          "  --last N          analyse the newest N runs of each benchmark (default 100;\n"
          "                    --window N is the same)\n"
          "  --alpha P         significance level of the tests (default 0.01)\n"
          "  --min-size N      fewest runs between change points (default 3)\n"
          "  --min-change PCT  smallest shift or total creep reported (default 5%)\n"
          "  --since N         exit 1 when a change for the worse starts in the last N runs\n"
          "                    (or the series creeps for the worse); without it, exit 0\n"
          "  --branch NAME     only runs recorded on branch NAME\n"
          "  --machine TEXT    only runs whose machine fingerprint contains TEXT\n"
          "  --format FMT      text (default) or json\n"
          "\n"
          "Exit status: 0 no gated regression, 1 a change for the worse in the last\n"
          "--since runs, 2 bad usage or no matching benchmark.\n",
          f);
}

/* Counts of what was found, for the summary and the exit status. */
typedef struct trend_totals {
    size_t benches, with_change, changes, creeping, gated;
} trend_totals;

/* 1 when change point CP of T starts within the last SINCE analysed runs. */
static int in_gate(const trend_series *t, const changepoint *cp, size_t since)
{
    return since > 0 && cp->index + since >= t->nused;
}

static int creep_gated(const trend_series *t, size_t since)
{
    return since > 0 && t->creeping && trend_is_worse(t->trend.total, t->direction);
}

static const char *unit_of(const trend_series *t)
{
    const char *unit = NULL;
    for (size_t i = 0; i < t->npts; i++)
        if (t->pts[i].unit)
            unit = t->pts[i].unit;
    return unit;
}

static void format_p(double p, char *buf, size_t len)
{
    if (p < 0.001)
        snprintf(buf, len, "p < 0.001");
    else
        snprintf(buf, len, "p = %.3f", p);
}

static void print_series_text(const trend_series *t, size_t since, trend_totals *tot)
{
    const char *unit = unit_of(t);
    char pbuf[32];
    if (t->ncps == 0 && !t->creeping) {
        printf("%s: no change in %zu run%s\n", t->bench, t->nused, t->nused == 1 ? "" : "s");
        return;
    }
    if (t->ncps)
        printf("%s: %zu change point%s in %zu runs\n", t->bench, t->ncps,
               t->ncps == 1 ? "" : "s", t->nused);
    else
        printf("%s: no change point in %zu runs\n", t->bench, t->nused);
    for (size_t i = 0; i < t->ncps; i++) {
        const changepoint *cp = &t->cps[i];
        const store_point *before = &t->pts[t->used[cp->index - 1]];
        const store_point *after = &t->pts[t->used[cp->index]];
        char c0[16], c1[16], v0[48], v1[48];
        int worse = trend_is_worse(cp->change, t->direction), gated = in_gate(t, cp, since);
        format_p(cp->p, pbuf, sizeof pbuf);
        printf("  run %lld (%zu of %zu)  %s -> %s  %+.1f%%  %s -> %s  %s  %s%s\n",
               (long long)after->run_id, cp->index + 1, t->nused,
               trend_short_commit(before->commit, c0, sizeof c0),
               trend_short_commit(after->commit, c1, sizeof c1), cp->change * 100,
               report_format_value(cp->before, unit, v0, sizeof v0),
               report_format_value(cp->after, unit, v1, sizeof v1), pbuf,
               worse ? "worse" : "better", gated && worse ? "  [in the last --since runs]" : "");
        tot->changes++;
        if (gated && worse)
            tot->gated++;
    }
    if (t->creeping) {
        format_p(t->trend.p, pbuf, sizeof pbuf);
        printf("  creeping %+.1f%%/run (%+.1f%% over %zu runs, %s)  %s\n", t->trend.rate * 100,
               t->trend.total * 100, t->nused, pbuf,
               trend_is_worse(t->trend.total, t->direction) ? "worse" : "better");
        tot->creeping++;
        if (creep_gated(t, since))
            tot->gated++;
    }
    tot->with_change++;
}

/* Adds T to the JSON array ARR; 0 or -1 on ENOMEM. */
static int add_series_json(cJSON *arr, const trend_series *t, size_t since, trend_totals *tot)
{
    cJSON *o = cJSON_CreateObject(), *cps = cJSON_CreateArray();
    if (!o || !cps) {
        cJSON_Delete(o);
        cJSON_Delete(cps);
        return -1;
    }
    cJSON_AddItemToArray(arr, o);
    cJSON_AddItemToObject(o, "name", cJSON_CreateString(t->bench));
    cJSON_AddItemToObject(o, "runs", cJSON_CreateNumber((double)t->nused));
    cJSON_AddItemToObject(o, "unit", cli_json_string(unit_of(t)));
    cJSON_AddItemToObject(o, "direction", cJSON_CreateString(
                              t->direction == RESULTS_HIGHER_IS_BETTER ? "higher" : "lower"));
    cJSON_AddItemToObject(o, "change_points", cps);
    for (size_t i = 0; i < t->ncps; i++) {
        const changepoint *cp = &t->cps[i];
        const store_point *before = &t->pts[t->used[cp->index - 1]];
        const store_point *after = &t->pts[t->used[cp->index]];
        int worse = trend_is_worse(cp->change, t->direction), gated = in_gate(t, cp, since);
        cJSON *c = cJSON_CreateObject();
        if (!c)
            return -1;
        cJSON_AddItemToArray(cps, c);
        cJSON_AddItemToObject(c, "run_id", cJSON_CreateNumber((double)after->run_id));
        cJSON_AddItemToObject(c, "position", cJSON_CreateNumber((double)cp->index + 1));
        cJSON_AddItemToObject(c, "previous_run_id", cJSON_CreateNumber((double)before->run_id));
        cJSON_AddItemToObject(c, "commit_before", cli_json_string(before->commit));
        cJSON_AddItemToObject(c, "commit_after", cli_json_string(after->commit));
        cJSON_AddItemToObject(c, "before", cli_json_number(cp->before));
        cJSON_AddItemToObject(c, "after", cli_json_number(cp->after));
        cJSON_AddItemToObject(c, "change_pct", cli_json_number(cp->change * 100));
        cJSON_AddItemToObject(c, "p", cli_json_number(cp->p));
        cJSON_AddItemToObject(c, "worse", cJSON_CreateBool(worse));
        cJSON_AddItemToObject(c, "gated", cJSON_CreateBool(gated && worse));
        tot->changes++;
        if (gated && worse)
            tot->gated++;
    }
    cJSON *tr = cJSON_CreateObject();
    if (!tr)
        return -1;
    cJSON_AddItemToObject(o, "trend", tr);
    cJSON_AddItemToObject(tr, "creeping", cJSON_CreateBool(t->creeping));
    cJSON_AddItemToObject(tr, "rate_pct_per_run", cli_json_number(t->trend.rate * 100));
    cJSON_AddItemToObject(tr, "total_pct", cli_json_number(t->trend.total * 100));
    cJSON_AddItemToObject(tr, "mann_kendall_s", cli_json_number(t->trend.s));
    cJSON_AddItemToObject(tr, "z", cli_json_number(t->trend.z));
    cJSON_AddItemToObject(tr, "p", cli_json_number(t->trend.p));
    cJSON_AddItemToObject(tr, "worse", cJSON_CreateBool(t->creeping &&
                                                        trend_is_worse(t->trend.total, t->direction)));
    cJSON_AddItemToObject(tr, "gated", cJSON_CreateBool(creep_gated(t, since)));
    if (t->creeping) {
        tot->creeping++;
        if (creep_gated(t, since))
            tot->gated++;
    }
    if (t->ncps || t->creeping)
        tot->with_change++;
    return 0;
}

/* Benchmarks among NAMES[0..N) matching any of GLOBS[0..NG) (all when NG
 * is 0): sets SEL[i].  Returns the count; prints an error and returns -1
 * when a glob matches nothing. */
static long select_benches(char **names, size_t n, char **globs, int ng, char *sel)
{
    long count = 0;
    for (size_t i = 0; i < n; i++)
        sel[i] = ng == 0;
    for (int g = 0; g < ng; g++) {
        int hit = 0;
        for (size_t i = 0; i < n; i++) {
            if (fnmatch(globs[g], names[i], 0) == 0) {
                sel[i] = 1;
                hit = 1;
            }
        }
        if (!hit) {
            cli_error("no benchmark matches '%s'", trend_safe(globs[g]));
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        count += sel[i];
    return count;
}

int cmd_trend(int argc, char **argv, cli_ctx *ctx)
{
    trend_opts o;
    size_t since = 0;
    int json = 0, only_args = 0, nglobs = 0, rc = EXIT_USAGE;
    char **globs = calloc((size_t)argc + 1, sizeof *globs);
    char **names = NULL, *sel = NULL, *text = NULL;
    size_t nnames = 0;
    store *s = NULL;
    cJSON *root = NULL, *arr = NULL;
    trend_totals tot = { 0 };

    if (!globs) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    trend_opts_init(&o);
    for (int i = 1; i < argc;) {
        const char *a = argv[i], *v;
        if (!only_args) {
            if (!strcmp(a, "--")) {
                only_args = 1;
                i++;
                continue;
            }
            if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
                usage(stdout);
                rc = EXIT_OK;
                goto out;
            }
            int m = trend_parse_option(&o, argc, argv, &i);
            if (m == EXIT_USAGE)
                goto out;
            if (m == 1)
                continue;
            m = trend_take_value(argc, argv, &i, "--since", NULL, &v);
            if (m == EXIT_USAGE)
                goto out;
            if (m == 1) {
                if (trend_parse_count("--since", v, &since) != 0)
                    goto out;
                continue;
            }
            m = trend_take_value(argc, argv, &i, "--format", NULL, &v);
            if (m == EXIT_USAGE)
                goto out;
            if (m == 1) {
                int k = cli_choice("format", v, (const char *const[]){ "text", "json", NULL });
                if (k < 0)
                    goto out;
                json = k == 1;
                continue;
            }
            if (a[0] == '-' && a[1] != '\0') {
                cli_error("unknown option '%s' (see 'perfcmp trend --help')", trend_safe(a));
                goto out;
            }
        }
        globs[nglobs++] = argv[i++];
    }
    if (cli_open_store_existing(ctx, &s) != 0)
        goto out;
    if (store_bench_names(s, &names, &nnames) != 0) {
        cli_error("%s", store_errmsg(s));
        goto out;
    }
    sel = calloc(nnames + 1, 1);
    if (!sel) {
        cli_error("out of memory");
        goto out;
    }
    if (nnames == 0 && nglobs > 0) {
        cli_error("no benchmark matches '%s': no runs recorded yet", trend_safe(globs[0]));
        goto out;
    }
    if (select_benches(names, nnames, globs, nglobs, sel) < 0)
        goto out;

    if (json) {
        root = cJSON_CreateObject();
        arr = cJSON_CreateArray();
        if (!root || !arr) {
            cJSON_Delete(arr);
            cli_error("out of memory");
            goto out;
        }
        cJSON_AddItemToObject(root, "metric", cJSON_CreateString(o.metric));
        cJSON_AddItemToObject(root, "window", cJSON_CreateNumber((double)o.window));
        cJSON_AddItemToObject(root, "alpha", cJSON_CreateNumber(o.cp.alpha));
        cJSON_AddItemToObject(root, "permutations", cJSON_CreateNumber(o.cp.permutations));
        cJSON_AddItemToObject(root, "min_size", cJSON_CreateNumber((double)o.cp.min_size));
        cJSON_AddItemToObject(root, "min_change_pct", cJSON_CreateNumber(o.cp.min_change * 100));
        cJSON_AddItemToObject(root, "since", since ? cJSON_CreateNumber((double)since)
                                                   : cJSON_CreateNull());
        cJSON_AddItemToObject(root, "benchmarks", arr);
    }
    for (size_t i = 0; i < nnames; i++) {
        if (!sel[i])
            continue;
        trend_series t;
        char err[512];
        int lr = trend_load(s, names[i], &o, 1, &t, err, sizeof err);
        if (lr == STORE_NOTFOUND)
            continue;           /* no values of this metric (or none past the filters) */
        if (lr != 0) {
            cli_error("%s", trend_safe(err));
            goto out;
        }
        tot.benches++;
        if (json) {
            if (add_series_json(arr, &t, since, &tot) != 0) {
                trend_series_release(&t);
                cli_error("out of memory");
                goto out;
            }
        } else {
            print_series_text(&t, since, &tot);
        }
        trend_series_release(&t);
    }
    if (tot.benches == 0 && nglobs > 0) {
        cli_error("no '%s' values recorded for the benchmarks given%s", trend_safe(o.metric),
                  o.branch || o.machine ? " and filters" : "");
        goto out;
    }
    rc = since && tot.gated ? EXIT_REGRESSION : EXIT_OK;
    if (json) {
        cJSON_AddItemToObject(root, "change_points", cJSON_CreateNumber((double)tot.changes));
        cJSON_AddItemToObject(root, "creeping", cJSON_CreateNumber((double)tot.creeping));
        cJSON_AddItemToObject(root, "gated", cJSON_CreateNumber((double)tot.gated));
        cJSON_AddItemToObject(root, "exit_status", cJSON_CreateNumber(rc));
        text = cJSON_Print(root);
        if (!text) {
            cli_error("out of memory");
            rc = EXIT_USAGE;
            goto out;
        }
        puts(text);
    } else if (tot.benches == 0) {
        printf("no '%s' values recorded yet\n", o.metric);
    } else {
        printf("\n%zu change point%s, %zu creeping, in %zu of %zu benchmark%s", tot.changes,
               tot.changes == 1 ? "" : "s", tot.creeping, tot.with_change, tot.benches,
               tot.benches == 1 ? "" : "s");
        if (since)
            printf("; %zu for the worse in the last %zu run%s\n", tot.gated, since,
                   since == 1 ? "" : "s");
        else
            printf("\n");
    }
    if (fflush(stdout) != 0) {
        cli_error("cannot write the output: %s", strerror(errno));
        rc = EXIT_USAGE;
    }
out:
    free(text);
    cJSON_Delete(root);
    free(sel);
    store_names_free(names, nnames);
    store_close(s);
    free(globs);
    return rc;
}
