/*
 * record_judge.c - judge, store, confirm, report: the second half of
 * `perfcmp run` and `perfcmp exec` (see record_judge.h).
 *
 * The order of work is chosen so that bad input changes nothing: the run
 * is judged before anything is stored.  An interrupt that arrives once
 * storing has begun is too late to undo it: the run completes (report,
 * exit 0/1), except that --confirm re-runs are skipped and perfcmp says
 * the run was recorded and exits 128+signal.
 *
 * --confirm=N re-runs the benchmarks judged regressed or inconclusive up
 * to N times; a regression must show in every re-run to stand
 * (docs/verdicts.md).  Re-runs are not recorded: the stored run is the
 * first one.  --confirm-delay=S waits S seconds before each re-run that
 * has a regression to confirm, so that a slow phase of the machine that
 * the run before met (they last seconds to a minute or more on shared
 * machines) has passed when it is re-run.
 */
#include "record_judge.h"
#include "baseline_file.h"
#include "child.h"
#include "commands.h"
#include "verdict.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- confirmation re-runs ----------------------------------------------- */

/* Longest --confirm-delay, in seconds. */
#define CONFIRM_DELAY_MAX 3600

/* Sleeps SECONDS, or until an interrupt is noted (child_signal).  Returns
 * 0, or 128+signal when interrupted. */
static int confirm_wait(double seconds)
{
    struct timespec end, now;
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += (time_t)seconds;
    end.tv_nsec += (long)((seconds - floor(seconds)) * 1e9);
    if (end.tv_nsec >= 1000000000L) {
        end.tv_sec++;
        end.tv_nsec -= 1000000000L;
    }
    for (;;) {
        if (child_signal())
            return 128 + child_signal();
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
            return 0;
        /* in slices, so that an interrupt is acted on within 0.1 s even
         * where the handlers restart system calls */
        struct timespec slice = { 0, 100000000L };
        nanosleep(&slice, NULL);
    }
}

/* Per-row state of the confirmation. */
typedef struct confirm_state {
    int pending;        /* still to be re-run */
    int first_regressed;/* the first run judged it regressed */
    unsigned streak;    /* consecutive regressed judgements ending at the latest */
} confirm_state;

static int needs_rerun(verdict_kind k)
{
    return k == VERDICT_REGRESSED || k == VERDICT_INCONCLUSIVE;
}

static int set_notef(verdict_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int set_notef(verdict_row *row, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return verdict_row_set_note(row, buf);
}

/* Judges ROW again on the re-run's samples. */
static int rejudge(verdict_row *row, const results_bench *bb, const results_bench *rb,
                   const verdict_options *o, unsigned k)
{
    const results_metric *bm = results_find_metric(bb, row->metric);
    const results_metric *rm = results_find_metric(rb, row->metric);
    if (!bm || !rm || !bm->nsamples || !rm->nsamples)
        return 1;
    verdict_row fresh = *row;
    double floor = 0;
    verdict_threshold_for_metric(o, row->bench, row->metric, &floor);
    if (verdict_judge_metrics(bm, rm, row->threshold, o,
                              verdict_row_seed(o->seed + k, row->bench, row->metric), &fresh) != 0)
        return -1;
    *row = fresh;   /* same strings; new numbers and kind */
    return verdict_apply_floor(row, floor);
}

/*
 * Re-runs up to N times the benchmarks of REP that are regressed or
 * inconclusive and settles them (docs/verdicts.md, "Confirming").
 * Returns 0, or the exit status of a failed re-run (error printed).
 */
static int confirm(const record_judge_spec *spec, const results_run *base,
                   const verdict_options *o, unsigned n, verdict_report *rep)
{
    confirm_state *cs = calloc(rep->nrows ? rep->nrows : 1, sizeof *cs);
    char **names = calloc(rep->nrows ? rep->nrows : 1, sizeof *names);
    size_t nnames = 0;
    results_run rr;
    int rc = EXIT_USAGE;
    results_run_init(&rr);
    if (!cs || !names) {
        cli_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < rep->nrows; i++) {
        verdict_row *row = &rep->rows[i];
        /* a complexity row is a fit over a whole family: not re-run */
        cs[i].pending = needs_rerun(row->kind) && row->metric != NULL &&
                        strcmp(row->metric, VERDICT_COMPLEXITY_METRIC) != 0;
        cs[i].first_regressed = row->kind == VERDICT_REGRESSED;
        cs[i].streak = row->kind == VERDICT_REGRESSED;
    }

    for (unsigned k = 1; k <= n; k++) {
        if (child_signal()) { /* arrived while the first run was stored */
            rc = 128 + child_signal();
            goto out;
        }
        /* Each benchmark with a pending row, once. */
        nnames = 0;
        for (size_t i = 0; i < rep->nrows; i++) {
            if (!cs[i].pending)
                continue;
            int dup = 0;
            for (size_t j = 0; j < i && !dup; j++)
                dup = cs[j].pending && !strcmp(rep->rows[j].bench, rep->rows[i].bench);
            if (dup)
                continue;
            names[nnames++] = rep->rows[i].bench;
        }
        if (!nnames)
            break;
        /* The wait is for a regression to confirm; a re-run that only
         * settles inconclusive rows (which fail nothing) starts at once.
         * A row it finds regressed must persist in the next, delayed one. */
        int to_confirm = 0;
        for (size_t i = 0; i < rep->nrows && !to_confirm; i++)
            to_confirm = cs[i].pending && rep->rows[i].kind == VERDICT_REGRESSED;
        if (spec->confirm_delay > 0 && to_confirm) {
            fprintf(stderr, "waiting %g s before re-run %u (%zu benchmark%s; --confirm-delay)\n",
                    spec->confirm_delay, k, nnames, nnames == 1 ? "" : "s");
            int w = confirm_wait(spec->confirm_delay);
            if (w != 0) {
                rc = w;
                goto out;
            }
        }
        char what[64];
        snprintf(what, sizeof what, "re-run %u: ", k);
        results_run_release(&rr);
        results_run_init(&rr);
        int r1 = spec->rerun(spec->rerun_arg, names, nnames, what, &rr);
        if (r1 != 0) {
            rc = r1;
            goto out;
        }
        for (size_t i = 0; i < rep->nrows; i++) {
            verdict_row *row = &rep->rows[i];
            if (!cs[i].pending)
                continue;
            const results_bench *rb = results_find_bench(&rr, row->bench);
            const results_bench *bb = results_find_bench(base, row->bench);
            if (!rb || !bb) {
                cs[i].pending = 0;
                if (set_notef(row, "re-run %u did not run it", k) != 0)
                    goto oom;
                continue;
            }
            if (rb->status != RESULTS_OK) {
                row->kind = VERDICT_FAILED;
                row->reruns = k;
                cs[i].pending = 0;
                if (set_notef(row, "re-run %u: %s%s%s", k, results_status_name(rb->status),
                              rb->error ? ": " : "", rb->error ? rb->error : "") != 0)
                    goto oom;
                continue;
            }
            verdict_kind before = row->kind;
            int jr = rejudge(row, bb, rb, o, k);
            if (jr < 0)
                goto oom;
            if (jr > 0) {
                cs[i].pending = 0;
                if (set_notef(row, "re-run %u has no %s", k, row->metric) != 0)
                    goto oom;
                continue;
            }
            row->reruns = k;
            if (row->kind == VERDICT_REGRESSED) {
                cs[i].streak++;
                continue;               /* must persist: re-run again while we may */
            }
            cs[i].streak = 0;
            if (before == VERDICT_REGRESSED) {
                cs[i].pending = 0;
                if (set_notef(row, "regression not confirmed by re-run %u", k) != 0)
                    goto oom;
            } else if (row->kind != VERDICT_INCONCLUSIVE) {
                cs[i].pending = 0;
                if (set_notef(row, "settled by re-run %u", k) != 0)
                    goto oom;
            }
        }
    }
    /* Close the books. */
    for (size_t i = 0; i < rep->nrows; i++) {
        verdict_row *row = &rep->rows[i];
        if (!cs[i].pending)
            continue;
        if (row->kind == VERDICT_REGRESSED && cs[i].streak < 2) {
            /* Regressed only in the last re-run: never confirmed. */
            row->kind = VERDICT_INCONCLUSIVE;
            if (set_notef(row, "regressed in re-run %u only, not confirmed", row->reruns) != 0)
                goto oom;
        } else if (row->kind == VERDICT_REGRESSED) {
            if (set_notef(row, "confirmed by %u re-run%s", row->reruns,
                          row->reruns == 1 ? "" : "s") != 0)
                goto oom;
        } else if (row->kind == VERDICT_INCONCLUSIVE && row->reruns) {
            if (set_notef(row, "still inconclusive after %u re-run%s", row->reruns,
                          row->reruns == 1 ? "" : "s") != 0)
                goto oom;
        }
    }
    verdict_recount(rep);
    rc = 0;
    goto out;
oom:
    cli_error("out of memory");
    rc = EXIT_USAGE;
out:
    free(names);
    free(cs);
    results_run_release(&rr);
    return rc;
}

/* --- judge, store, report ------------------------------------------------ */


int record_judge_parse_option(record_judge_spec *spec, int argc, char **argv, int *i,
                              unsigned max_confirm)
{
    const char *a = argv[*i], *v = NULL;
    int m;

    if (!strcmp(a, "--save-baseline") || !strncmp(a, "--save-baseline=", 16)) {
        const char *name = a[15] == '=' ? a + 16 : BASELINE_DEFAULT_NAME;
        if (!store_valid_baseline_name(name)) {
            cli_error("invalid baseline name '%s': use letters, digits, '.', '_' and '-'", name);
            return EXIT_USAGE;
        }
        spec->save_name = name;
        return 1;
    }
    if ((m = cli_opt_value(argc, argv, i, "--commit", &spec->commit)) != 0
        || (m = cli_opt_value(argc, argv, i, "--branch", &spec->branch)) != 0
        || (m = cli_opt_value(argc, argv, i, "--note", &spec->note)) != 0)
        return m < 0 ? EXIT_USAGE : 1;
    if ((m = cli_opt_value(argc, argv, i, "--confirm", &v)) != 0) {
        if (m < 0)
            return EXIT_USAGE;
        char *end;
        errno = 0;
        unsigned long c = strtoul(v, &end, 10);
        if (*v < '0' || *v > '9' || *end || errno || c > max_confirm) {
            cli_error("invalid value '%s' for --confirm: expected 0 to %u", v, max_confirm);
            return EXIT_USAGE;
        }
        spec->confirm = (unsigned)c;
        return 1;
    }
    if ((m = cli_opt_value(argc, argv, i, "--confirm-delay", &v)) != 0) {
        if (m < 0)
            return EXIT_USAGE;
        char *end;
        errno = 0;
        double t = strtod(v, &end);
        if (end == v || *end || errno || !isfinite(t) || t < 0 || t > CONFIRM_DELAY_MAX) {
            cli_error("invalid value '%s' for --confirm-delay: expected seconds from 0 to %d",
                      v, CONFIRM_DELAY_MAX);
            return EXIT_USAGE;
        }
        spec->confirm_delay = t;
        return 1;
    }
    return 0;
}

int record_judge_check_options(const record_judge_spec *spec)
{
    if ((spec->commit && !*spec->commit) || (spec->branch && !*spec->branch)) {
        cli_error("option '%s' needs a value",
                  spec->commit && !*spec->commit ? "--commit" : "--branch");
        return EXIT_USAGE;
    }
    return 0;
}

int record_judge(const record_judge_spec *spec, const cli_ctx *ctx, store **s,
                 const results_run *base, const char *base_label, int have_baseline,
                 results_run *cur, int *stored)
{
    const compare_opts *co = spec->co;
    verdict_report rep;
    int rc = EXIT_USAGE;

    verdict_report_init(&rep);
    if ((spec->commit && results_set_str(&cur->context.git_commit, spec->commit) != 0) ||
        (spec->branch && results_set_str(&cur->context.git_branch, spec->branch) != 0)) {
        cli_error("out of memory");
        goto out;
    }

    /* Judge before storing, so that a bad metric or machine stores nothing. */
    if (have_baseline) {
        if (compare_judge(co, base, base_label, cur, "this run", &rep) != 0)
            goto out;
    } else {
        /* (a run whose every benchmark failed has no metrics to check) */
        int any_ok = 0;
        for (size_t i = 0; i < cur->nbenches && !any_ok; i++)
            any_ok = cur->benches[i].status == RESULTS_OK;
        if (any_ok && !verdict_run_has_metric(cur, co->vopt.metric)) {
            cli_error("unknown metric '%s': the run does not have it", co->vopt.metric);
            goto out;
        }
        results_run empty;
        results_run_init(&empty);
        if (verdict_compare(&empty, cur, &co->vopt, &rep) != 0) {
            cli_error("out of memory");
            goto out;
        }
    }

    /* Last moment to honour an interrupt by recording nothing.  One that
     * arrives from here on finds the run being (or already) stored: it
     * only sets child_signal(), and we finish the report, which takes
     * milliseconds, so that exit 128+N always means "nothing recorded"
     * (except for --confirm, below). */
    if (child_signal()) {
        rc = 128 + child_signal();
        goto out;
    }
    /* From here an interrupt must not break a system call (SQLite's
     * writes, the report's): the handler only takes note of it. */
    child_handlers_install(NULL, 1);
    if (!*s && cli_open_store(ctx, s) != 0)
        goto out;
    int64_t id = 0;
    if (store_add_run(*s, cur, spec->note, &id) != 0) {
        cli_error("cannot record the run: %s", store_errmsg(*s));
        goto out;
    }
    *stored = 1;
    char label[64];
    snprintf(label, sizeof label, "run %lld", (long long)id);
    if (results_set_str(&rep.current_label, label) != 0) {
        cli_error("out of memory");
        goto out;
    }

    FILE *info = (co->format == REPORT_TEXT || co->output) ? stdout : stderr;
    const char *base_name = co->baseline ? co->baseline : BASELINE_DEFAULT_NAME;
    /* The first run of 'run --save-baseline': it becomes the baseline the
     * next run is compared with; say so instead of "no baseline". */
    int first_saved = !have_baseline && spec->save_name && !strcmp(spec->save_name, base_name);
    if (!have_baseline) {
        const char *name = base_name;
        if (first_saved)
            fprintf(info, "first run: no baseline '%s' to compare with yet; recorded run %lld "
                          "and saving it as baseline '%s'\n", name, (long long)id, name);
        else if (spec->save_name)
            fprintf(info, "no baseline '%s' yet: recorded run %lld\n", name, (long long)id);
        else
            fprintf(info, "no baseline '%s' yet: recorded run %lld; save one with 'perfcmp baseline save'\n",
                    name, (long long)id);
        results_set_str(&rep.baseline_label, "no baseline");
    } else if (spec->confirm > 0 && (rep.counts[VERDICT_REGRESSED] || rep.counts[VERDICT_INCONCLUSIVE])) {
        child_handlers_install(NULL, 0);      /* waits for re-runs must break */
        int cr = confirm(spec, base, &co->vopt, spec->confirm, &rep);
        child_handlers_install(NULL, 1);
        if (cr != 0) {
            fprintf(stderr, "run %lld was recorded; its confirmation did not finish\n", (long long)id);
            rc = cr;
            goto out;
        }
    }

    /* The final verdicts against the run-to-run noise of the history
     * (the runs before this one). */
    if (have_baseline && compare_apply_history(co, *s, cur, id, &rep) != 0) {
        fprintf(stderr, "run %lld was recorded\n", (long long)id);
        goto out;
    }
    if (spec->save_name) {
        fflush(info);       /* our lines before the one on stderr */
        if (baseline_save_run(*s, spec->save_name, co->baseline_dir, id, stderr) != 0) {
            fprintf(stderr, "run %lld was recorded\n", (long long)id);
            goto out;
        }
    }
    /* With nothing to compare with, a text table of 'new' rows says
     * nothing the bench binary's own table did not: one line instead,
     * unless a benchmark failed (those rows, and exit 1, must show). */
    if (!have_baseline && co->format == REPORT_TEXT && !co->output &&
        rep.counts[VERDICT_FAILED] == 0) {
        size_t nb = cur->nbenches;
        if (first_saved)
            printf("%zu benchmark%s recorded; the next run will be compared with baseline '%s'\n",
                   nb, nb == 1 ? "" : "s", base_name);
        else
            printf("%zu benchmark%s recorded, none compared\n", nb, nb == 1 ? "" : "s");
        rc = EXIT_OK;
        goto out;
    }
    rc = compare_emit(co, &rep, ctx ? ctx->color : 0);
out:
    verdict_report_release(&rep);
    return rc;
}
