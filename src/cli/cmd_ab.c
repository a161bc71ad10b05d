/*
 * cmd_ab.c - `perfcmp ab [OPTIONS] BASE_BINARY -- HEAD_BINARY [ARGS...]`:
 * an interleaved A/B comparison of two builds on one machine, in one job
 * (randomized multiple interleaved trials, Abedi & Brecht, ICPE 2017).
 *
 * 1. Both binaries list their benchmarks (ARGS --list); a benchmark in
 *    both is paired, one in a single binary becomes a `new` or `missing`
 *    row (and is still run on its side, so that each stored run is whole).
 * 2. Round 0, not judged: each binary runs the whole selection once with
 *    --processes=1 and one sample calibrated for a round's time per sample
 *    (--min-time / --samples); it warms the machine up and calibrates.  Every later run of a paired benchmark
 *    passes --iterations=N with the BASE's N to both sides, so that both
 *    do the same work per sample; a benchmark whose N iterations take
 *    longer than its share of --min-time gets fewer samples per round
 *    (at least 1), so that a slow one does not take a round's time many
 *    times over.
 * 3. Rounds 1..R: the benchmarks in a random order, and for each the two
 *    binaries back to back in a random order (A-B or B-A), each a fresh
 *    process running that benchmark alone (--filter with the name's glob
 *    characters escaped).  A seeded generator (--seed) makes the schedule
 *    reproducible.
 * 4. Round i gives d[i] = ln(median B / median A) of the metric; the
 *    verdict is made on the d (paired.h): ratio exp(median d), the
 *    Wilcoxon signed-rank p, the order-statistic interval of the median,
 *    with the threshold, alpha and report formats of `perfcmp compare`.
 * 5. Both runs are recorded (unless --no-record) in one transaction, each
 *    round's samples as one process of each metric.
 *
 * Bad input (a binary that cannot run, exits 2, writes no valid results)
 * ends everything with exit 2 and nothing recorded; an interrupt kills
 * the running binary, removes the temporary directory and exits 128+N
 * with nothing recorded, unless storing had begun (then the run finishes).
 */
#include "child.h"
#include "commands.h"
#include "import.h"
#include "report.h"
#include "verdict.h"
#include "../core/paired.h"
#include "../core/stats.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AB_DEFAULT_ROUNDS 10
#define AB_DEFAULT_SAMPLES 5
#define AB_DEFAULT_MIN_TIME 0.01
#define AB_MAX_ROUNDS 10000
#define AB_MAX_SAMPLES 100000
#define AB_CI_LEVEL 0.95

static void usage(FILE *f)
{
    fprintf(f,
            "usage: perfcmp ab [OPTIONS] BASE_BINARY -- HEAD_BINARY [ARGS...]\n"
            "\n"
            "Runs two builds of the same benchmarks interleaved on this machine and\n"
            "judges HEAD against BASE on paired per-round ratios, so that a slow\n"
            "phase of the machine that hits both cancels out.  ARGS go to both\n"
            "binaries (--filter, --tags, ...).\n"
            "\n"
            "Round 0 (not judged) warms up and calibrates the iterations per sample\n"
            "(BASE's, used by both); then each of R rounds runs every benchmark once\n"
            "on each side, adjacent, in a random order, each a fresh process.  Round\n"
            "i gives d = ln(median HEAD / median BASE); the ratio is exp(median d),\n"
            "significance the Wilcoxon signed-rank test on the d (p < alpha) with a\n"
            "95%% interval of the median of d that excludes 0.  A benchmark that is\n"
            "inconclusive after R rounds (past the threshold, not significant) gets\n"
            "more rounds, up to --max-rounds, and is judged on all of them.\n"
            "\n"
            "Options:\n"
            "  --rounds R             judged rounds (default %d; 8 or more can reach\n"
            "                         p < 0.01)\n"
            "  --max-rounds M         rounds of an inconclusive benchmark (default 2R;\n"
            "                         R: never more)\n"
            "  --samples N            samples per benchmark, side and round (default %d)\n"
            "  --min-time SECONDS     time of one side's samples in a round (default %g);\n"
            "                         sets the calibrated iterations per sample\n"
            "  --seed N               seed of the random order (default: from the clock;\n"
            "                         printed)\n"
            "  --threshold PCT        change that counts (default 20%%; GLOB:PCT for\n"
            "                         benchmarks matching GLOB, repeatable)\n"
            "  --metric-threshold NAME=PCT\n"
            "                         threshold of metric NAME (repeatable)\n"
            "  --metric NAME          wall_time (default), cpu_time, any metric, or all\n"
            "  --alpha P              significance level of the signed-rank test (0.01)\n"
            "  --fail-on-improvement  exit 1 on improvements too\n"
            "  --format FMT           text (default), json, junit, markdown\n"
            "  -o, --output FILE      write the report to FILE (the table still goes to stdout)\n"
            "  --base-commit SHA      git commit to record with BASE's run\n"
            "  --commit SHA           git commit to record with HEAD's run\n"
            "  --base-branch NAME     git branch to record with BASE's run\n"
            "  --branch NAME          git branch to record with HEAD's run\n"
            "  --note TEXT            a note stored with both runs\n"
            "  --no-record            store nothing\n"
            "  --quiet                no progress (shown on a terminal) and no line saying\n"
            "                         the seed and the runs recorded\n"
            "\n"
            "Both runs are recorded in the database (--db) in one transaction, each\n"
            "round's samples as one process; without --commit/--base-commit a run\n"
            "has no commit (the binaries would both report the work tree's).\n"
            "\n"
            "Exit status: 0 no regression, 1 regression or a benchmark that failed on\n"
            "HEAD, 2 bad usage or a binary that cannot run, exits 2 or writes no valid\n"
            "results (nothing is recorded), 128+N when interrupted by signal N.\n",
            AB_DEFAULT_ROUNDS, AB_DEFAULT_SAMPLES, AB_DEFAULT_MIN_TIME);
}

/* --- running the binaries ------------------------------------------------- */

/*
 * Runs ARGV in its own process group (child.c) with standard output on
 * /dev/null, or, with CAPTURE, read into a malloc'd string *CAPTURE
 * (caller frees).  Returns 0 with *STATUS set; -1 when it cannot start
 * (errno set); -2 when a signal interrupted us (the child was killed).
 */
static int ab_spawn(char **argv, char **capture, int *status)
{
    child_opts o = { .out = CHILD_OUT_DEVNULL, .capture = capture };
    return child_spawn_wait(argv, &o, status, NULL);
}

/* --- the state of one comparison ---------------------------------------- */

enum { SIDE_BASE = 0, SIDE_HEAD = 1 };
static const char *const side_names[2] = { "BASE", "HEAD" };

typedef struct ab_bench {
    char *name;
    int in[2];                  /* listed by BASE, HEAD */
    int failed[2];              /* 1 + the round it failed in; 0 while it runs */
    uint64_t iterations;        /* per sample in rounds 1..R (0: calibrate) */
    int extended;               /* 1: inconclusive after R rounds, runs more */
    int samples;                /* per side and round */
} ab_bench;

typedef struct ab {
    const char *bin[2];
    char **args;                /* ARGS for both (not owned) */
    int nargs;
    ab_bench *benches;          /* HEAD's list order, then BASE's others */
    size_t nbenches;
    results_run rec[2];         /* what gets stored */
    int rounds, samples;
    int max_rounds;             /* of an inconclusive benchmark; 0: 2 * rounds */
    double min_time;
    int quiet;
    const char *metric;         /* --metric: a name or "all" */
    char dir[512];              /* the temporary directory */
    char file[600];             /* DIR/results.json */
} ab;

static void ab_release(ab *a)
{
    for (size_t i = 0; i < a->nbenches; i++)
        free(a->benches[i].name);
    free(a->benches);
    results_run_release(&a->rec[0]);
    results_run_release(&a->rec[1]);
}

static void ab_progress(const ab *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ab_progress(const ab *a, const char *fmt, ...)
{
    if (a->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("perfcmp ab: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int ab_tmpdir_make(ab *a)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(a->dir, sizeof a->dir, "%s/perfcmp-ab-XXXXXX", base);
    if (!mkdtemp(a->dir)) {
        a->dir[0] = '\0';
        return -1;
    }
    snprintf(a->file, sizeof a->file, "%s/results.json", a->dir);
    return 0;
}

static void ab_tmpdir_remove(ab *a)
{
    if (!a->dir[0])
        return;
    DIR *d = opendir(a->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", a->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(a->dir);
    a->dir[0] = '\0';
}

/* "--filter=" + NAME with fnmatch's special characters escaped; malloc'd. */
static char *ab_filter_arg(const char *name)
{
    size_t n = strlen(name);
    char *out = malloc(9 + 2 * n + 1);
    if (!out)
        return NULL;
    memcpy(out, "--filter=", 9);
    size_t k = 9;
    for (const char *p = name; *p; p++) {
        if (strchr("*?[]\\", *p))
            out[k++] = '\\';
        out[k++] = *p;
    }
    out[k] = '\0';
    return out;
}

/* Describes how a binary ended, for an error line; 0 when it exited 0 or
 * 1 (1: some benchmark failed, which the result file tells). */
static int ab_check_status(const char *bin, int status, const char *what)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        cli_error("'%s'%s was killed by signal %d (%s)", bin, what, sig, strsignal(sig));
        return EXIT_USAGE;
    }
    int code = WEXITSTATUS(status);
    if (code != 0 && code != 1) {
        cli_error("'%s'%s exited with status %d", bin, what, code);
        return EXIT_USAGE;
    }
    return 0;
}

/*
 * Runs binary SIDE with ARGS (without the user's --filter when FILTER is
 * given), then EXTRA[NEXTRA], then FILTER and --out, and parses its result
 * file into OUT (initialised, empty).  WHAT names the run in messages
 * (" in round 3").  Returns 0; EXIT_USAGE after one error line; or
 * 128+signal when interrupted.
 */
static int ab_invoke(ab *a, int side, const char *filter, char **extra, int nextra,
                     const char *what, results_run *out)
{
    char **argv = NULL;
    char *outarg = NULL, *text = NULL;
    const char *bin = a->bin[side];
    char err[512];
    int rc = EXIT_USAGE, status = 0;

    size_t olen = strlen(a->file) + 7;
    outarg = malloc(olen);
    argv = calloc((size_t)a->nargs + (size_t)nextra + 4, sizeof *argv);
    if (!outarg || !argv) {
        cli_error("out of memory");
        goto out;
    }
    snprintf(outarg, olen, "--out=%s", a->file);
    size_t k = 0;
    argv[k++] = (char *)bin;
    for (int i = 0; i < a->nargs; i++) {
        const char *x = a->args[i];
        if (filter) {
            if (!strncmp(x, "--filter=", 9))
                continue;
            if (!strcmp(x, "--filter") && i + 1 < a->nargs) {
                i++;
                continue;
            }
        }
        argv[k++] = a->args[i];
    }
    for (int i = 0; i < nextra; i++)
        argv[k++] = extra[i];
    if (filter)
        argv[k++] = (char *)filter;
    argv[k++] = outarg;
    argv[k] = NULL;

    unlink(a->file);
    int sr = ab_spawn(argv, NULL, &status);
    if (sr == -2) {
        rc = 128 + child_signal();
        goto out;
    }
    if (sr != 0) {
        cli_error("cannot run '%s': %s", bin, strerror(errno));
        goto out;
    }
    if (ab_check_status(bin, status, what) != 0)
        goto out;
    struct stat st;
    if (stat(a->file, &st) != 0) {
        cli_error("'%s'%s exited with status %d and wrote no results", bin, what,
                  WEXITSTATUS(status));
        goto out;
    }
    size_t len;
    text = cli_read_file(a->file, &len, err, sizeof err);
    if (!text) {
        cli_error("cannot read the results of '%s'%s: %s", bin, what, err);
        goto out;
    }
    if (import_parse(text, len, IMPORT_FORMAT_PERFCMP, out, err, sizeof err) != 0) {
        cli_error("'%s'%s wrote an invalid result file: %s", bin, what, err);
        goto out;
    }
    rc = 0;
out:
    free(text);
    free(outarg);
    free(argv);
    return rc;
}

/* Adds NAME to the benchmarks as listed by SIDE. */
static int ab_add_listed(ab *a, const char *name, int side)
{
    for (size_t i = 0; i < a->nbenches; i++)
        if (!strcmp(a->benches[i].name, name)) {
            a->benches[i].in[side] = 1;
            return 0;
        }
    ab_bench *nb = realloc(a->benches, (a->nbenches + 1) * sizeof *nb);
    if (!nb)
        return -1;
    a->benches = nb;
    ab_bench *b = &a->benches[a->nbenches];
    memset(b, 0, sizeof *b);
    if (!(b->name = strdup(name)))
        return -1;
    b->in[side] = 1;
    b->samples = a->samples;
    a->nbenches++;
    return 0;
}

/* SIDE's --list (with the user's ARGS) into the benchmarks.  0, or
 * EXIT_USAGE / 128+N as ab_invoke. */
static int ab_list(ab *a, int side)
{
    char **argv = calloc((size_t)a->nargs + 3, sizeof *argv);
    char *text = NULL;
    int status = 0, rc = EXIT_USAGE;
    if (!argv) {
        cli_error("out of memory");
        goto out;
    }
    argv[0] = (char *)a->bin[side];
    for (int i = 0; i < a->nargs; i++)
        argv[i + 1] = a->args[i];
    argv[a->nargs + 1] = "--list";
    int sr = ab_spawn(argv, &text, &status);
    if (sr == -2) {
        rc = 128 + child_signal();
        goto out;
    }
    if (sr != 0) {
        cli_error("cannot run '%s': %s", a->bin[side], strerror(errno));
        goto out;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        cli_error("'%s' --list exited with status %d", a->bin[side], WEXITSTATUS(status));
        goto out;
    }
    if (ab_check_status(a->bin[side], status, " --list") != 0)
        goto out;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (*line && ab_add_listed(a, line, side) != 0) {
            cli_error("out of memory");
            goto out;
        }
        line = nl ? nl + 1 : NULL;
    }
    rc = 0;
out:
    free(text);
    free(argv);
    return rc;
}

/* Copies the family, arguments and tags of SRC into DST. */
static int ab_copy_bench_info(results_bench *dst, const results_bench *src)
{
    if (src->nargs) {
        if (!(dst->args = malloc(src->nargs * sizeof *dst->args)))
            return -1;
        memcpy(dst->args, src->args, src->nargs * sizeof *dst->args);
        dst->nargs = src->nargs;
    }
    if (src->ntags) {
        if (!(dst->tags = calloc(src->ntags, sizeof *dst->tags)))
            return -1;
        for (size_t i = 0; i < src->ntags; i++) {
            if (!(dst->tags[i] = strdup(src->tags[i])))
                return -1;
            dst->ntags = i + 1;
        }
    }
    return 0;
}

/* Marks benchmark B failed on SIDE in ROUND with the status of RB; the
 * stored run gets the status and the error. */
static int ab_mark_failed(ab *a, ab_bench *b, int side, int round, const results_bench *rb)
{
    results_bench *sb = results_find_bench(&a->rec[side], b->name);
    char msg[1024];
    b->failed[side] = round + 1;
    if (!sb)
        return 0;
    sb->status = rb->status != RESULTS_OK ? rb->status : RESULTS_FAILED;
    snprintf(msg, sizeof msg, "%s%sin round %d", rb->error ? rb->error : "",
             rb->error ? ", " : "", round);
    return results_set_str(&sb->error, msg);
}

/* Appends the samples of every metric of RB as one more process of SB's. */
static int ab_append_round(results_bench *sb, const results_bench *rb)
{
    for (size_t m = 0; m < rb->nmetrics; m++) {
        const results_metric *rm = &rb->metrics[m];
        if (!rm->nsamples)
            continue;
        results_metric *sm = results_find_metric(sb, rm->name);
        if (!sm) {
            if (!results_add_metric(sb, rm->name, rm->unit, rm->direction, rm->samples,
                                    rm->nsamples))
                return -1;
            continue;
        }
        if (results_metric_append_process(sm, rm->samples, rm->nsamples) != 0)
            return -1;
    }
    return 0;
}

/*
 * Round 0: each side runs its whole selection once with --processes=1.
 * Fills the stored runs' contexts and benchmark entries, the iterations
 * per sample and the samples per round.  0, EXIT_USAGE or 128+N.
 */
static int ab_round0(ab *a)
{
    results_run r0[2];
    char samples[32], min_time[48];
    char *extra[5] = { "--processes=1", samples, min_time, "--no-heap", "--quiet" };
    int rc = EXIT_USAGE;

    results_run_init(&r0[0]);
    results_run_init(&r0[1]);
    /* one sample, calibrated for the time of one sample in the rounds */
    snprintf(samples, sizeof samples, "--samples=1");
    snprintf(min_time, sizeof min_time, "--min-time=%.17g", a->min_time / a->samples);
    for (int side = 0; side < 2; side++) {
        rc = ab_invoke(a, side, NULL, extra, 5, " in round 0", &r0[side]);
        if (rc != 0)
            goto out;
        rc = EXIT_USAGE;
        /* the run's context: the machine, the build, the binary */
        a->rec[side].version = r0[side].version;
        a->rec[side].context = r0[side].context;
        memset(&r0[side].context, 0, sizeof r0[side].context);
    }
    if (strcmp(a->metric, "all") != 0 && !verdict_run_has_metric(&r0[SIDE_BASE], a->metric) &&
        !verdict_run_has_metric(&r0[SIDE_HEAD], a->metric)) {
        cli_error("unknown metric '%s': neither '%s' nor '%s' has it", a->metric,
                  a->bin[SIDE_BASE], a->bin[SIDE_HEAD]);
        goto out;
    }
    for (size_t i = 0; i < a->nbenches; i++) {
        ab_bench *b = &a->benches[i];
        for (int side = 0; side < 2; side++) {
            if (!b->in[side])
                continue;
            const results_bench *rb = results_find_bench(&r0[side], b->name);
            if (!rb) {
                cli_error("'%s' lists '%s' but did not run it in round 0", a->bin[side], b->name);
                goto out;
            }
            results_bench *sb = results_add_bench(&a->rec[side], b->name, rb->family);
            if (!sb || ab_copy_bench_info(sb, rb) != 0) {
                cli_error("out of memory");
                goto out;
            }
            if (rb->status != RESULTS_OK) {
                if (ab_mark_failed(a, b, side, 0, rb) != 0) {
                    cli_error("out of memory");
                    goto out;
                }
            }
        }
        /* BASE's iterations for both sides, else the only side's */
        int from = (b->in[SIDE_BASE] && !b->failed[SIDE_BASE]) ? SIDE_BASE : SIDE_HEAD;
        const results_bench *rb = b->in[from] ? results_find_bench(&r0[from], b->name) : NULL;
        if (!rb || rb->status != RESULTS_OK)
            continue;
        b->iterations = rb->iterations;
        /* a benchmark whose sample outlasts its share of the round's time
         * gets fewer samples: about --min-time per side and round */
        const results_metric *wm = results_find_metric(rb, "wall_time");
        if (wm && wm->nsamples && rb->iterations) {
            double sample_s = stats_median(wm->samples, wm->nsamples) * (double)rb->iterations / 1e9;
            /* calibration aims at min_time / samples: only a benchmark
             * whose single iteration is much longer is cut */
            if (sample_s > 1.5 * a->min_time / a->samples) {
                double fit = floor(a->min_time / sample_s + 0.5);
                b->samples = fit >= 1 ? (int)fit : 1;
            }
        }
        for (int side = 0; side < 2; side++) {
            results_bench *sb = b->in[side] ? results_find_bench(&a->rec[side], b->name) : NULL;
            if (sb)
                sb->iterations = b->iterations;
        }
    }
    rc = 0;
out:
    results_run_release(&r0[0]);
    results_run_release(&r0[1]);
    return rc;
}

/* Runs benchmark B on SIDE once in ROUND.  0, EXIT_USAGE or 128+N. */
static int ab_run_one(ab *a, ab_bench *b, int side, int round)
{
    results_run rr;
    char iters[48], samples[32], min_time[48], what[48];
    char *extra[6];
    int nextra = 0, rc;
    char *filter = ab_filter_arg(b->name);

    results_run_init(&rr);
    if (!filter) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    extra[nextra++] = "--processes=1";
    if (b->iterations) {
        snprintf(iters, sizeof iters, "--iterations=%llu", (unsigned long long)b->iterations);
        extra[nextra++] = iters;
    }
    snprintf(samples, sizeof samples, "--samples=%d", b->samples);
    extra[nextra++] = samples;
    /* the same time per sample as round 0 calibrated for */
    snprintf(min_time, sizeof min_time, "--min-time=%.17g",
             a->min_time * (double)b->samples / (double)a->samples);
    extra[nextra++] = min_time;
    extra[nextra++] = "--no-heap";
    extra[nextra++] = "--quiet";
    snprintf(what, sizeof what, " in round %d", round);
    rc = ab_invoke(a, side, filter, extra, nextra, what, &rr);
    if (rc != 0)
        goto out;
    rc = EXIT_USAGE;
    const results_bench *rb = results_find_bench(&rr, b->name);
    results_bench *sb = results_find_bench(&a->rec[side], b->name);
    if (!rb) {
        cli_error("'%s' did not run '%s'%s", a->bin[side], b->name, what);
        goto out;
    }
    if (rb->status != RESULTS_OK) {
        if (ab_mark_failed(a, b, side, round, rb) != 0)
            goto oom;
    } else if (sb && ab_append_round(sb, rb) != 0) {
        goto oom;
    }
    rc = 0;
    goto out;
oom:
    cli_error("out of memory");
out:
    free(filter);
    results_run_release(&rr);
    return rc;
}

/* Rounds FIRST..LAST in a random order from RNG, of every benchmark or,
 * with EXTENDED_ONLY, of those marked extended.  0, EXIT_USAGE or 128+N. */
static int ab_rounds(ab *a, stats_rng *rng, int first_round, int last_round, int extended_only)
{
    size_t *order = malloc((a->nbenches ? a->nbenches : 1) * sizeof *order);
    int rc = EXIT_USAGE;
    if (!order) {
        cli_error("out of memory");
        return rc;
    }
    for (int r = first_round; r <= last_round; r++) {
        if (extended_only)
            ab_progress(a, "round %d of %d (the inconclusive benchmarks)", r, last_round);
        else
            ab_progress(a, "round %d of %d", r, last_round);
        for (size_t i = 0; i < a->nbenches; i++)
            order[i] = i;
        for (size_t i = a->nbenches; i > 1; i--) {     /* Fisher-Yates */
            size_t j = (size_t)stats_rng_below(rng, i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < a->nbenches; i++) {
            ab_bench *b = &a->benches[order[i]];
            if (extended_only && !b->extended)
                continue;
            int first = (int)stats_rng_below(rng, 2);
            for (int k = 0; k < 2; k++) {
                int side = k ? 1 - first : first;
                if (!b->in[side] || b->failed[side])
                    continue;
                rc = ab_run_one(a, b, side, r);
                if (rc != 0)
                    goto out;
                if (child_signal()) {
                    rc = 128 + child_signal();
                    goto out;
                }
            }
        }
    }
    rc = 0;
out:
    free(order);
    return rc;
}

/* --- the verdicts ----------------------------------------------------------- */

static int ab_set_notef(verdict_row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ab_set_notef(verdict_row *row, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return verdict_row_set_note(row, buf);
}

/* The median of each round's samples of M into a malloc'd array of
 * *N (caller frees); NULL on ENOMEM or a bad grouping. */
static double *ab_round_medians(const results_metric *m, size_t *n)
{
    size_t k = results_metric_process_count(m);
    double *out = malloc((k ? k : 1) * sizeof *out);
    *n = k;
    if (!out)
        return NULL;
    if (m->nprocesses == 0) {
        out[0] = stats_median(m->samples, m->nsamples);
        return out;
    }
    if (stats_group_medians(m->samples, m->nsamples, m->processes, m->nprocesses, out) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static int ab_metric_selected(const ab *a, const char *name)
{
    return !strcmp(a->metric, "all") || !strcmp(a->metric, name);
}

/* Fills a row of SIDE only (new / missing): its median of round medians. */
static int ab_fill_side(verdict_row *row, const results_metric *m, int side)
{
    size_t k;
    double *med = ab_round_medians(m, &k);
    if (!med)
        return -1;
    if (side == SIDE_HEAD) {
        row->n_cur = m->nsamples;
        row->cur_median = stats_median(med, k);
    } else {
        row->n_base = m->nsamples;
        row->base_median = stats_median(med, k);
    }
    free(med);
    return 0;
}

/* One judged row: metric BM of BASE against HM of HEAD, paired by round. */
static int ab_judge_metric(const ab *a, const char *bench, const results_metric *bm,
                           const results_metric *hm, const verdict_options *o,
                           verdict_report *rep)
{
    size_t kb = 0, kh = 0;
    double *mb = ab_round_medians(bm, &kb), *mh = ab_round_medians(hm, &kh), *d = NULL;
    double floor = 0;
    int rc = -1;
    verdict_row *row = verdict_add_row(rep, bench, hm->name, hm->unit, hm->direction,
                                  VERDICT_UNCHANGED);
    if (!mb || !mh || !row || !(d = malloc((kb ? kb : 1) * sizeof *d)))
        goto out;
    row->threshold = verdict_threshold_for_metric(o, bench, hm->name, &floor);
    row->n_base = bm->nsamples;
    row->n_cur = hm->nsamples;
    row->k_base = kb;
    row->k_cur = kh;
    row->base_median = stats_median(mb, kb);
    row->cur_median = stats_median(mh, kh);
    if (kb != kh) {
        row->kind = VERDICT_INCONCLUSIVE;
        rc = ab_set_notef(row, "not in every round: %zu vs %zu rounds", kb, kh);
        goto out;
    }
    for (size_t i = 0; i < kb; i++) {
        if (paired_log_ratio(mb[i], mh[i], &d[i]) != 0) {
            row->kind = VERDICT_INCONCLUSIVE;
            row->ratio = row->base_median > 0 ? row->cur_median / row->base_median : NAN;
            rc = ab_set_notef(row, "round %zu has a median of 0 on one side: no paired ratio",
                              i + 1);
            goto out;
        }
    }
    paired_result pr;
    if (paired_analyze(d, kb, AB_CI_LEVEL, &pr) != 0)
        goto out;
    row->ratio = pr.ratio;
    row->ci_low = pr.ratio_low;
    row->ci_high = pr.ratio_high;
    row->p = pr.test.p;
    verdict_decide(row, o);
    if (ab_set_notef(row, "paired, %zu round%s", kb, kb == 1 ? "" : "s") != 0)
        goto out;
    rc = verdict_apply_floor(row, floor);
out:
    free(mb);
    free(mh);
    free(d);
    return rc;
}

/* The rows of benchmark B.  0, or -1 on ENOMEM. */
static int ab_judge_bench(const ab *a, const ab_bench *b, const verdict_options *o,
                          verdict_report *rep)
{
    const results_bench *bb = b->in[SIDE_BASE] ? results_find_bench(&a->rec[SIDE_BASE], b->name)
                                               : NULL;
    const results_bench *hb = b->in[SIDE_HEAD] ? results_find_bench(&a->rec[SIDE_HEAD], b->name)
                                               : NULL;
    const char *only_metric = strcmp(a->metric, "all") ? a->metric : NULL;

    if (hb && b->failed[SIDE_HEAD]) {
        const results_metric *m = only_metric ? results_find_metric(hb, only_metric) : NULL;
        verdict_row *row = verdict_add_row(rep, b->name, only_metric, m ? m->unit : NULL,
                                      m ? m->direction : RESULTS_LOWER_IS_BETTER, VERDICT_FAILED);
        if (!row)
            return -1;
        row->threshold = verdict_threshold_for_metric(o, b->name, only_metric, NULL);
        return ab_set_notef(row, "HEAD %s: %s", results_status_name(hb->status),
                            hb->error ? hb->error : "");
    }
    int base_failed = bb && b->failed[SIDE_BASE];
    if (hb) {
        /* HEAD's metrics: judged against BASE's, or new */
        for (size_t m = 0; m < hb->nmetrics; m++) {
            const results_metric *hm = &hb->metrics[m];
            if (!ab_metric_selected(a, hm->name) || !hm->nsamples)
                continue;
            const results_metric *bm = (bb && !base_failed) ? results_find_metric(bb, hm->name)
                                                            : NULL;
            if (bm && bm->nsamples) {
                if (ab_judge_metric(a, b->name, bm, hm, o, rep) != 0)
                    return -1;
                continue;
            }
            verdict_row *row = verdict_add_row(rep, b->name, hm->name, hm->unit, hm->direction,
                                          VERDICT_NEW);
            if (!row || ab_fill_side(row, hm, SIDE_HEAD) != 0)
                return -1;
            row->threshold = verdict_threshold_for_metric(o, b->name, hm->name, NULL);
            int nr = base_failed ? ab_set_notef(row, "BASE %s: %s",
                                                results_status_name(bb->status),
                                                bb->error ? bb->error : "")
                     : bb ? verdict_row_set_note(row, "metric not in BASE")
                          : verdict_row_set_note(row, "only in HEAD");
            if (nr != 0)
                return -1;
        }
        if (!base_failed && hb->nmetrics == 0 && bb == NULL) {
            verdict_row *row = verdict_add_row(rep, b->name, only_metric, NULL,
                                          RESULTS_LOWER_IS_BETTER, VERDICT_NEW);
            if (!row || verdict_row_set_note(row, "only in HEAD") != 0)
                return -1;
        }
    }
    if (!bb)
        return 0;
    /* BASE's metrics that HEAD lacks: missing */
    for (size_t m = 0; m < bb->nmetrics; m++) {
        const results_metric *bm = &bb->metrics[m];
        const results_metric *hm = hb ? results_find_metric(hb, bm->name) : NULL;
        if (!ab_metric_selected(a, bm->name) || !bm->nsamples || (hm && hm->nsamples))
            continue;
        if (hb && base_failed)
            continue;       /* its new rows say so */
        verdict_row *row = verdict_add_row(rep, b->name, bm->name, bm->unit, bm->direction,
                                      VERDICT_MISSING);
        if (!row || ab_fill_side(row, bm, SIDE_BASE) != 0)
            return -1;
        row->threshold = verdict_threshold_for_metric(o, b->name, bm->name, NULL);
        if (verdict_row_set_note(row, hb ? "metric not in HEAD" : "only in BASE") != 0)
            return -1;
    }
    if (!hb && bb->nmetrics == 0) {
        verdict_row *row = verdict_add_row(rep, b->name, only_metric, NULL, RESULTS_LOWER_IS_BETTER,
                                      VERDICT_MISSING);
        if (!row)
            return -1;
        int nr = base_failed ? ab_set_notef(row, "only in BASE, %s: %s",
                                            results_status_name(bb->status),
                                            bb->error ? bb->error : "")
                             : verdict_row_set_note(row, "only in BASE");
        if (nr != 0)
            return -1;
    }
    return 0;
}

/* --- the command ---------------------------------------------------------- */

/* Parses a number of seconds > 0. */
static int ab_parse_seconds(const char *v, double *out)
{
    char *end;
    errno = 0;
    double t = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(t) || t <= 0 || t > 1e6)
        return -1;
    *out = t;
    return 0;
}

/* Checks that PATH names an executable file (a name without '/' is left
 * to the search of PATH at run time).  0, or EXIT_USAGE after one line. */
static int ab_check_binary(const char *path)
{
    struct stat st;
    if (!*path) {
        cli_error("cannot run '': empty binary name");
        return EXIT_USAGE;
    }
    if (!strchr(path, '/'))
        return 0;
    if (stat(path, &st) != 0) {
        cli_error("cannot run '%s': %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    if (S_ISDIR(st.st_mode)) {
        cli_error("cannot run '%s': is a directory", path);
        return EXIT_USAGE;
    }
    if (access(path, X_OK) != 0) {
        cli_error("cannot run '%s': %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    return 0;
}

/* Sets the commit and branch of run R: VALUE when given, else none (a
 * bench binary reports the commit of its working directory, which is not
 * the commit it was built from). */
static int ab_label_run(results_run *r, const char *commit, const char *branch)
{
    r->context.git_dirty = -1;
    return results_set_str(&r->context.git_commit, commit) != 0 ||
                   results_set_str(&r->context.git_branch, branch) != 0
               ? -1
               : 0;
}

/*
 * After rounds 1..R: the benchmarks with a row that is inconclusive on
 * its R paired rounds (past the threshold, not significant) run rounds
 * R+1..max_rounds more, and are judged on all of them.  A change near
 * the threshold on a noisy runner then gets the rounds it needs, and a
 * clear case costs nothing more.  Looking twice at one benchmark lets
 * chance reach significance at either look: at most twice alpha, for
 * the rows that were already past the threshold (docs/cli.md).
 * 0, EXIT_USAGE or 128+N.
 */
static int ab_extend(ab *a, const verdict_options *o, stats_rng *rng)
{
    int last = a->max_rounds ? a->max_rounds : 2 * a->rounds;
    if (last > AB_MAX_ROUNDS)
        last = AB_MAX_ROUNDS;
    if (last <= a->rounds)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < a->nbenches; i++) {
        ab_bench *b = &a->benches[i];
        if (!b->in[SIDE_BASE] || !b->in[SIDE_HEAD] || b->failed[SIDE_BASE] ||
            b->failed[SIDE_HEAD])
            continue;
        verdict_report scratch;
        verdict_report_init(&scratch);
        if (ab_judge_bench(a, b, o, &scratch) != 0) {
            verdict_report_release(&scratch);
            cli_error("out of memory");
            return EXIT_USAGE;
        }
        for (size_t r = 0; r < scratch.nrows; r++) {
            const verdict_row *row = &scratch.rows[r];
            if (row->kind == VERDICT_INCONCLUSIVE && row->k_base == row->k_cur && !isnan(row->p))
                b->extended = 1;
        }
        verdict_report_release(&scratch);
        n += (size_t)b->extended;
    }
    if (n == 0)
        return 0;
    ab_progress(a, "%zu benchmark%s inconclusive after %d rounds: rounds %d to %d", n,
                n == 1 ? "" : "s", a->rounds, a->rounds + 1, last);
    return ab_rounds(a, rng, a->rounds + 1, last, 1);
}

int cmd_ab(int argc, char **argv, cli_ctx *ctx)
{
    compare_opts co;
    ab a;
    const char *commit = NULL, *branch = NULL, *base_commit = NULL, *base_branch = NULL;
    const char *note = NULL;
    int no_record = 0, have_seed = 0, installed = 0, storing = 0, quiet = 0;
    uint64_t seed = 0;
    store *s = NULL;
    verdict_report rep;
    child_handlers old;
    char *blabel = NULL, *hlabel = NULL;
    int rc = EXIT_USAGE;

    compare_opts_init(&co);
    verdict_report_init(&rep);
    memset(&a, 0, sizeof a);
    results_run_init(&a.rec[0]);
    results_run_init(&a.rec[1]);
    a.rounds = AB_DEFAULT_ROUNDS;
    a.samples = AB_DEFAULT_SAMPLES;
    a.min_time = AB_DEFAULT_MIN_TIME;

    int i = 1;
    while (i < argc) {
        const char *o = argv[i];
        const char *v = NULL;
        int m;
        if (o[0] != '-' || !strcmp(o, "-") || !strcmp(o, "--"))
            break;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            usage(stdout);
            rc = EXIT_OK;
            goto out;
        } else if (!strcmp(o, "--fail-on-improvement")) {
            co.vopt.fail_on_improvement = 1;
        } else if (!strcmp(o, "--no-record")) {
            no_record = 1;
        } else if (!strcmp(o, "--quiet") || !strcmp(o, "-q")) {
            a.quiet = 1;
        } else if ((m = cli_opt_value(argc, argv, &i, "--rounds", &v)) != 0) {
            size_t n;
            if (m < 0)
                goto out;
            if (cli_parse_size(v, &n) != 0 || n > AB_MAX_ROUNDS) {
                cli_error("invalid value '%s' for --rounds: expected 1 to %d", v, AB_MAX_ROUNDS);
                goto out;
            }
            a.rounds = (int)n;
        } else if ((m = cli_opt_value(argc, argv, &i, "--max-rounds", &v)) != 0) {
            size_t n;
            if (m < 0)
                goto out;
            if (cli_parse_size(v, &n) != 0 || n < 1 || n > AB_MAX_ROUNDS) {
                cli_error("invalid value '%s' for --max-rounds: expected 1 to %d", v,
                          AB_MAX_ROUNDS);
                goto out;
            }
            a.max_rounds = (int)n;
        } else if ((m = cli_opt_value(argc, argv, &i, "--samples", &v)) != 0) {
            size_t n;
            if (m < 0)
                goto out;
            if (cli_parse_size(v, &n) != 0 || n > AB_MAX_SAMPLES) {
                cli_error("invalid value '%s' for --samples: expected 1 to %d", v,
                          AB_MAX_SAMPLES);
                goto out;
            }
            a.samples = (int)n;
        } else if ((m = cli_opt_value(argc, argv, &i, "--min-time", &v)) != 0) {
            if (m < 0)
                goto out;
            if (ab_parse_seconds(v, &a.min_time) != 0) {
                cli_error("invalid value '%s' for --min-time: expected seconds > 0", v);
                goto out;
            }
        } else if ((m = cli_opt_value(argc, argv, &i, "--seed", &v)) != 0) {
            char *end;
            if (m < 0)
                goto out;
            errno = 0;
            unsigned long long n = strtoull(v, &end, 10);
            if (*v < '0' || *v > '9' || *end || errno) {
                cli_error("invalid value '%s' for --seed: expected a number >= 0", v);
                goto out;
            }
            seed = (uint64_t)n;
            have_seed = 1;
        } else if ((m = cli_opt_value(argc, argv, &i, "--threshold", &v)) != 0) {
            if (m < 0)
                goto out;
            int r = verdict_options_add_threshold(&co.vopt, v);
            if (r != 0) {
                if (r == -2)
                    cli_error("out of memory");
                else
                    cli_error("invalid threshold '%s': expected a percentage >= 0 such as 20%% or GLOB:5%%", v);
                goto out;
            }
        } else if ((m = cli_opt_value(argc, argv, &i, "--metric-threshold", &v)) != 0) {
            if (m < 0)
                goto out;
            int r = verdict_options_add_metric_threshold(&co.vopt, v);
            if (r != 0) {
                if (r == -2)
                    cli_error("out of memory");
                else
                    cli_error("invalid metric threshold '%s': expected NAME=PCT such as instructions=2%%", v);
                goto out;
            }
        } else if ((m = cli_opt_value(argc, argv, &i, "--metric", &v)) != 0) {
            if (m < 0)
                goto out;
            if (!*v) {
                cli_error("invalid metric '': expected a metric name or 'all'");
                goto out;
            }
            co.vopt.metric = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--alpha", &v)) != 0) {
            if (m < 0)
                goto out;
            if (verdict_parse_alpha(v, &co.vopt.alpha) != 0) {
                cli_error("invalid alpha '%s': expected a number between 0 and 1 (exclusive)", v);
                goto out;
            }
        } else if ((m = cli_opt_value(argc, argv, &i, "--format", &v)) != 0) {
            if (m < 0)
                goto out;
            int k = cli_choice("format", v, report_format_names);
            if (k < 0)
                goto out;
            co.format = (report_format)k;
        } else if ((m = cli_opt_value_short(argc, argv, &i, "--output", "-o", &v)) != 0) {
            if (m < 0)
                goto out;
            if (!*v) {
                cli_error("option '-o' needs a file name");
                goto out;
            }
            co.output = v;
        } else if ((m = cli_opt_value(argc, argv, &i, "--commit", &commit)) != 0 ||
                   (m = cli_opt_value(argc, argv, &i, "--base-commit", &base_commit)) != 0 ||
                   (m = cli_opt_value(argc, argv, &i, "--branch", &branch)) != 0 ||
                   (m = cli_opt_value(argc, argv, &i, "--base-branch", &base_branch)) != 0 ||
                   (m = cli_opt_value(argc, argv, &i, "--note", &note)) != 0) {
            if (m < 0)
                goto out;
            const char *given = strchr(o, '=') ? strchr(o, '=') + 1 : argv[i];
            if (!*given) {
                cli_error("option '%.*s' needs a value", (int)strcspn(o, "="), o);
                goto out;
            }
        } else {
            cli_error("unknown option '%s' (see 'perfcmp ab --help')", o);
            goto out;
        }
        i++;    /* past the option, or past its separate value */
    }
    if (i >= argc || !strcmp(argv[i], "--")) {
        cli_error("no BASE binary given (usage: perfcmp ab [OPTIONS] BASE_BINARY -- HEAD_BINARY [ARGS...])");
        goto out;
    }
    a.bin[SIDE_BASE] = argv[i++];
    if (i >= argc || strcmp(argv[i], "--") != 0) {
        if (i < argc)
            cli_error("expected '--' after BASE binary '%s', not '%s' (usage: perfcmp ab [OPTIONS] BASE_BINARY -- HEAD_BINARY [ARGS...])",
                      a.bin[SIDE_BASE], argv[i]);
        else
            cli_error("no HEAD binary given (usage: perfcmp ab [OPTIONS] BASE_BINARY -- HEAD_BINARY [ARGS...])");
        goto out;
    }
    i++;
    if (i >= argc) {
        cli_error("no HEAD binary given (usage: perfcmp ab [OPTIONS] BASE_BINARY -- HEAD_BINARY [ARGS...])");
        goto out;
    }
    a.bin[SIDE_HEAD] = argv[i++];
    a.args = argv + i;
    a.nargs = argc - i;
    a.metric = co.vopt.metric;
    if (ab_check_binary(a.bin[SIDE_BASE]) != 0 || ab_check_binary(a.bin[SIDE_HEAD]) != 0)
        goto out;
    /* An existing database is checked now, not after minutes of rounds;
     * a missing one is created only when the runs are stored. */
    if (!no_record && compare_open_existing_store(ctx, &s) != 0)
        goto out;
    quiet = a.quiet;
    if (!have_seed) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        seed = ((uint64_t)now.tv_sec * 1000000007u) ^ (uint64_t)now.tv_nsec ^
               ((uint64_t)getpid() << 32);
        seed %= 1000000000000ull;   /* short enough to retype */
    }
    stats_rng rng;
    stats_rng_seed(&rng, seed);
    if (a.quiet == 0 && !isatty(STDERR_FILENO))
        a.quiet = 1;    /* progress lines only on a terminal */

    child_handlers_install(&old, 0);
    installed = 1;
    if (ab_tmpdir_make(&a) != 0) {
        cli_error("cannot create a temporary directory: %s", strerror(errno));
        goto out;
    }
    for (int side = 0; side < 2; side++) {
        rc = ab_list(&a, side);
        if (rc != 0)
            goto out;
        rc = EXIT_USAGE;
    }
    if (a.nbenches == 0) {
        cli_error("no benchmarks to compare: neither '%s' nor '%s' lists one", a.bin[SIDE_BASE],
                  a.bin[SIDE_HEAD]);
        goto out;
    }
    ab_progress(&a, "%zu benchmarks, %d rounds, seed %llu", a.nbenches, a.rounds,
                (unsigned long long)seed);
    ab_progress(&a, "round 0 (calibration, not judged)");
    if ((rc = ab_round0(&a)) != 0 || (rc = ab_rounds(&a, &rng, 1, a.rounds, 0)) != 0 ||
        (rc = ab_extend(&a, &co.vopt, &rng)) != 0)
        goto out;
    rc = EXIT_USAGE;
    if (results_finish(&a.rec[0]) != 0 || results_finish(&a.rec[1]) != 0 ||
        ab_label_run(&a.rec[SIDE_BASE], base_commit, base_branch) != 0 ||
        ab_label_run(&a.rec[SIDE_HEAD], commit, branch) != 0)
        goto oom;

    /* The verdicts: HEAD's benchmarks in its order, then BASE's others. */
    rep.threshold = co.vopt.threshold;
    rep.alpha = co.vopt.alpha;
    rep.fail_on_improvement = co.vopt.fail_on_improvement;
    if (results_set_str(&rep.metric, co.vopt.metric) != 0)
        goto oom;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < a.nbenches; k++) {
            const ab_bench *b = &a.benches[k];
            if ((pass == 0) != (b->in[SIDE_HEAD] != 0))
                continue;
            if (ab_judge_bench(&a, b, &co.vopt, &rep) != 0)
                goto oom;
        }
    verdict_recount(&rep);
    rep.baseline_machine = store_machine_fingerprint(&a.rec[SIDE_BASE].context);
    rep.current_machine = store_machine_fingerprint(&a.rec[SIDE_HEAD].context);
    if (!rep.baseline_machine || !rep.current_machine)
        goto oom;
    rep.machines_differ = strcmp(rep.baseline_machine, rep.current_machine) != 0;

    /* Last moment to honour an interrupt by recording nothing. */
    if (child_signal()) {
        rc = 128 + child_signal();
        goto out;
    }
    child_handlers_install(NULL, 1);   /* from here a signal only takes note */
    storing = 1;
    int64_t ids[2] = { 0, 0 };
    if (!no_record) {
        if (!s && cli_open_store(ctx, &s) != 0)
            goto out;
        if (store_begin(s) != 0) {
            cli_error("cannot record the runs: %s", store_errmsg(s));
            goto out;
        }
        char hnote[96];
        if (store_add_run(s, &a.rec[SIDE_BASE], note ? note : "perfcmp ab: BASE", &ids[0]) != 0)
            goto store_failed;
        snprintf(hnote, sizeof hnote, "perfcmp ab: HEAD against run %lld", (long long)ids[0]);
        if (store_add_run(s, &a.rec[SIDE_HEAD], note ? note : hnote, &ids[1]) != 0)
            goto store_failed;
        if (store_commit(s) != 0)
            goto store_failed;
    }
    for (int side = 0; side < 2; side++) {
        char **lab = side ? &hlabel : &blabel;
        size_t n = strlen(a.bin[side]) + 64;
        if (!(*lab = malloc(n)))
            goto oom;
        if (ids[side])
            snprintf(*lab, n, "%s '%s' (run %lld)", side_names[side], a.bin[side],
                     (long long)ids[side]);
        else
            snprintf(*lab, n, "%s '%s'", side_names[side], a.bin[side]);
    }
    if (results_set_str(&rep.baseline_label, blabel) != 0 ||
        results_set_str(&rep.current_label, hlabel) != 0)
        goto oom;
    /* After the work, so that an error is always the one line on stderr. */
    if (ldexp(2.0, -a.rounds) >= co.vopt.alpha)
        cli_warn("%d round%s cannot give p < %g: no change can be significant (use --rounds=%d or more)",
                 a.rounds, a.rounds == 1 ? "" : "s", co.vopt.alpha,
                 (int)ceil(log2(2.0 / co.vopt.alpha) + 1e-9));
    if (!quiet) {
        FILE *info = (co.format == REPORT_TEXT || co.output) ? stdout : stderr;
        if (no_record)
            fprintf(info, "%d rounds, seed %llu; nothing recorded (--no-record)\n", a.rounds,
                    (unsigned long long)seed);
        else
            fprintf(info, "%d rounds, seed %llu; recorded BASE as run %lld, HEAD as run %lld\n",
                    a.rounds, (unsigned long long)seed, (long long)ids[0], (long long)ids[1]);
    }
    ab_tmpdir_remove(&a);
    rc = compare_emit(&co, &rep, ctx ? ctx->color : 0);
    goto out;
store_failed:
    cli_error("cannot record the runs: %s", store_errmsg(s));
    store_rollback(s);
    goto out;
oom:
    cli_error("out of memory");
    rc = EXIT_USAGE;
out:
    ab_tmpdir_remove(&a);
    /* Once storing began, our handlers stay until the process exits, so a
     * late signal cannot turn a recorded comparison into 128+N. */
    if (installed && !storing)
        child_handlers_restore(&old);
    free(blabel);
    free(hlabel);
    verdict_report_release(&rep);
    store_close(s);
    ab_release(&a);
    compare_opts_release(&co);
    return rc;
}
