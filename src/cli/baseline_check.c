/*
 * baseline_check.c - warnings about a suspect baseline (see
 * baseline_check.h; the rules are in core/suspect.c).
 */
#include "baseline_check.h"
#include "baseline_file.h"
#include "cli.h"
#include "report.h"
#include "../core/suspect.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines kept by baseline_check(..., later = 1) for baseline_check_flush. */
static char **check_pending;
static size_t check_npending;

/* A warning line: printed now, or kept for baseline_check_flush when LATER
 * (printed now after all if memory runs out). */
static void check_warn(int later, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check_warn(int later, const char *fmt, ...)
{
    va_list ap;
    char *line = NULL, **grown = NULL;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (later && n >= 0 && (line = malloc((size_t)n + 1)) &&
        (grown = realloc(check_pending, (check_npending + 1) * sizeof *grown))) {
        va_start(ap, fmt);
        vsnprintf(line, (size_t)n + 1, fmt, ap);
        va_end(ap);
        check_pending = grown;
        check_pending[check_npending++] = line;
        return;
    }
    free(line);
    va_start(ap, fmt);
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cli_warn("%s", buf);
}

void baseline_check_flush(void)
{
    for (size_t i = 0; i < check_npending; i++) {
        cli_warn("%s", check_pending[i]);
        free(check_pending[i]);
    }
    free(check_pending);
    check_pending = NULL;
    check_npending = 0;
}

/* 1 when TEXT can be shown in a message and pasted into a shell as is. */
static int check_plain(const char *text)
{
    if (!text || !*text)
        return 0;
    for (const char *p = text; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+", *p))
            return 0;
    return 1;
}

/* The medians of BENCH's METRIC in the newest SUSPECT_HISTORY_RUNS runs of
 * F other than run SKIP, oldest first, into *MED (malloc'd, caller frees).
 * Returns 0, or -1 with the reason in ERR. */
static int check_history(store *s, const char *bench, const char *metric, const store_filter *f,
                         int64_t skip, double **med, size_t *n, char *err, size_t errlen)
{
    store_point *pts = NULL;
    size_t np = 0;
    *med = NULL;
    *n = 0;
    int r = store_history(s, bench, metric, f, &pts, &np);
    if (r == STORE_NOTFOUND)
        return 0;
    if (r != 0) {
        snprintf(err, errlen, "cannot read the history of '%s': %s", bench, store_errmsg(s));
        return -1;
    }
    if (np && !(*med = malloc(np * sizeof **med))) {
        store_points_free(pts, np);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t j = 0; j < np; j++)
        if (pts[j].run_id != skip && pts[j].status == RESULTS_OK && pts[j].summary.n > 0)
            (*med)[(*n)++] = pts[j].summary.median;
    if (*n > SUSPECT_HISTORY_RUNS) {
        memmove(*med, *med + (*n - SUSPECT_HISTORY_RUNS), SUSPECT_HISTORY_RUNS * sizeof **med);
        *n = SUSPECT_HISTORY_RUNS;
    }
    store_points_free(pts, np);
    return 0;
}

size_t baseline_check(store *s, const results_run *base, int64_t base_id, const char *label,
                      const char *name, const verdict_options *o, int later)
{
    store *const opened = s;    /* s becomes NULL when no history can be deep enough */
    const char *metric = o->metric && strcmp(o->metric, "all") ? o->metric : VERDICT_DEFAULT_METRIC;
    const char *branch = base->context.git_branch;
    int merged = base->context.source_format &&
                 !strcmp(base->context.source_format, "perfcmp-merged");
    char *machine = store_machine_fingerprint(&base->context);
    /* one run more than the history needs: the baseline's own run is left out */
    store_filter f = { SUSPECT_HISTORY_RUNS + 1, branch, machine };
    size_t nsuspect = 0, nchecked = 0;
    char err[512] = "";

    if (!machine) {
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    /* one snapshot and one read lock for all the benchmarks' histories
     * (10,000 benchmarks: 20,000 queries); without it they still work */
    if (s)
        (void)store_read_begin(s);
    /* fewer runs of the branch on the machine than a history needs: no
     * benchmark has one, so none is asked for (each benchmark's history
     * holds some of these runs only) */
    if (s) {
        store_filter probe = { SUSPECT_MIN_RUNS, branch, machine };
        store_run_info *infos = NULL;
        size_t nruns = 0;
        if (store_list_runs(s, &probe, &infos, &nruns) != 0) {
            snprintf(err, sizeof err, "cannot list the runs: %s", store_errmsg(s));
            goto out;
        }
        store_run_infos_free(infos, nruns);
        if (nruns < SUSPECT_MIN_RUNS)
            s = NULL;
    }
    for (size_t b = 0; b < base->nbenches; b++) {
        const results_bench *bb = &base->benches[b];
        const results_metric *m = results_find_metric(bb, metric);
        if (bb->status != RESULTS_OK || !m || m->nsamples == 0)
            continue;
        double threshold = verdict_threshold_for_metric(o, bb->name, metric, NULL);
        if (!isfinite(threshold))
            continue;
        nchecked++;
        suspect_spread sp;
        suspect_history h;
        int rs = merged ? 0 : suspect_check_spread(m, threshold, &sp);
        int rh = 2;
        if (rs < 0) {
            snprintf(err, sizeof err, "out of memory");
            goto out;
        }
        if (s) {
            double *med;
            size_t n;
            if (check_history(s, bb->name, metric, &f, base_id, &med, &n, err, sizeof err) != 0)
                goto out;
            rh = suspect_check_history(m->summary.median, med, n, threshold, &h);
            free(med);
            if (rh < 0) {
                snprintf(err, sizeof err, "out of memory");
                goto out;
            }
        }
        if (rs != 1 && rh != 1)
            continue;
        nsuspect++;
        char v[48], a[48], z[48], c[48], msg[768];
        size_t len = (size_t)snprintf(msg, sizeof msg, "%s: %s:", label, bb->name);
        if (rs == 1 && len < sizeof msg)
            len += (size_t)snprintf(msg + len, sizeof msg - len,
                                    " its processes' medians range from %s to %s (%+.1f%%), "
                                    "beyond their own spread and the %.3g%% threshold%s",
                                    report_format_value(sp.lo, m->unit, a, sizeof a),
                                    report_format_value(sp.hi, m->unit, z, sizeof z),
                                    100.0 * sp.change, 100.0 * threshold, rh == 1 ? ";" : "");
        if (rh == 1 && len < sizeof msg) {
            char where[160];
            if (check_plain(branch))
                snprintf(where, sizeof where, "of branch '%s' ", branch);
            else
                where[0] = '\0';
            snprintf(msg + len, sizeof msg - len,
                     " its median %s is %+.1f%% off its history: %s to %s (median %s) in the "
                     "last %zu runs %son its machine",
                     report_format_value(m->summary.median, m->unit, v, sizeof v),
                     100.0 * h.change, report_format_value(h.min, m->unit, a, sizeof a),
                     report_format_value(h.max, m->unit, z, sizeof z),
                     report_format_value(h.median, m->unit, c, sizeof c), h.n, where);
        }
        check_warn(later, "%s", msg);
    }
    if (nsuspect) {
        char cmd[256];
        int plain_name = name && check_plain(name) && strcmp(name, BASELINE_DEFAULT_NAME) != 0;
        snprintf(cmd, sizeof cmd, "perfcmp baseline save%s%s --last=5%s%s", plain_name ? " " : "",
                 plain_name ? name : "", check_plain(branch) ? " --branch=" : "",
                 check_plain(branch) ? branch : "");
        check_warn(later,
                   "%s is suspect for %zu of %zu benchmark%s: it may hold a slow or fast moment "
                   "of the machine, and a change measured against it may not be there; a "
                   "baseline merged from several runs is steadier: '%s'",
                   label, nsuspect, nchecked, nchecked == 1 ? "" : "s", cmd);
    }
out:
    store_read_end(opened);
    if (err[0])
        check_warn(later, "%s: the check for a suspect baseline stopped: %s", label, err);
    free(machine);
    return nsuspect;
}
