/*
 * cmd_exec.c - `perfcmp exec [OPTIONS] [-c CMDLINE]... [-- CMD [ARGS...]]`:
 * times whole commands, as hyperfine does, and records and judges the
 * result as `perfcmp run` does (record_judge.c).
 *
 * Each command (with each combination of the --param values it uses) is
 * a benchmark.  Each timed run is a posix_spawnp of it, without a shell
 * unless --shell, by a launcher process forked before anything big is
 * loaded (child.h): the wall time is CLOCK_MONOTONIC around the spawn and
 * the wait, user and system CPU time and peak RSS come from wait4's
 * rusage.  Each run is its own process, so each sample is one process of
 * its metric (docs/cli.md, "perfcmp exec").
 *
 * Bad input changes nothing: options, names and programs are checked and
 * the baseline loaded before anything runs; a command that cannot start
 * or is killed by a signal, or a --prepare/--cleanup that fails, is one
 * error line and exit 2 with nothing recorded; an interrupt is forwarded
 * to the running command and exits 128+signal with nothing recorded.
 */
#include "commands.h"
#include "baseline_file.h"
#include "child.h"
#include "cmdline.h"
#include "record_judge.h"
#include "report.h"
#include "../core/context.h"
#include "../core/stats.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXEC_MIN_RUNS 10            /* without --runs: at least this many runs */
#define EXEC_MIN_TIME 3.0           /* and this many seconds of timed runs */
#define EXEC_MAX_RUNS 1000000       /* the most --runs, --min-runs, --max-runs take */
#define EXEC_MAX_CONFIRM 100
#define EXEC_SHELL "/bin/sh"

static void usage(FILE *f)
{
    fputs("usage: perfcmp exec [OPTIONS] -- CMD [ARGS...]\n"
          "       perfcmp exec [OPTIONS] -c 'CMD ARGS' [-c 'CMD2 ARGS']... [-- CMD [ARGS...]]\n"
          "\n"
          "Times whole commands as hyperfine does, records the result as a run and\n"
          "compares it with the baseline like 'perfcmp run'.  Each command is a\n"
          "benchmark named after its command line (or -n NAME); its samples are the\n"
          "wall time, CPU time (user + system) and peak RSS of each run.  Commands run\n"
          "without a shell, their output to /dev/null and their input from /dev/null.\n"
          "\n"
          "Commands:\n"
          "  -c, --command CMDLINE   a command, split into words as sh quotes them (no\n"
          "                          $VAR, globs or operators; those need --shell);\n"
          "                          repeat for several; a command after -- comes last\n"
          "  -n, --name NAME         name the commands in order (default: the command line)\n"
          "  --shell                 run each command line with /bin/sh -c (the shell's\n"
          "                          start is timed too; nothing is subtracted)\n"
          "  --param NAME=A,B,...    run each command that has {NAME} once per value;\n"
          "                          the benchmark is NAME/A, NAME/B (repeat: all combinations)\n"
          "\n"
          "Runs:\n"
          "  --runs N                exactly N timed runs of each command\n"
          "  --min-runs N            without --runs: at least N runs (default 10)\n"
          "  --max-runs N            without --runs: at most N runs (default no limit)\n"
          "  --min-time SECONDS      without --runs: run until the timed runs took this\n"
          "                          long (default 3)\n"
          "  --warmup N              untimed runs of each command first (default 0)\n"
          "  --prepare CMDLINE       run before each run (once: for every command; once\n"
          "                          per command: for that command)\n"
          "  --cleanup CMDLINE       run after the last run of each command (likewise)\n"
          "  -i, --ignore-failure    time runs that exit non-zero too (default: the\n"
          "                          command is recorded as failed and stops)\n"
          "  --show-output           let the commands' output through\n"
          "  --quiet                 no progress (shown on a terminal) and no summary table\n"
          "  --out FILE              also write the result file (docs/results-format.md)\n"
          "\n"
          "Recording and judging, as 'perfcmp run':\n"
          "  --commit SHA            git commit to record (default: the work tree's)\n"
          "  --branch NAME           git branch to record\n"
          "  --note TEXT             a note stored with the run\n"
          "  --save-baseline[=NAME]  make this run baseline NAME (default 'default')\n"
          "                          and write DIR/NAME.json\n"
          "  --confirm N             re-run regressed or inconclusive commands up to\n"
          "                          N times; a regression must persist in every re-run\n"
          "  --confirm-delay SECONDS wait this long before a re-run that confirms a\n"
          "                          regression (default 0), so that a slow phase of\n"
          "                          the machine has passed\n"
          "and every option of 'perfcmp compare': --baseline, --against, --baseline-dir,\n"
          "--threshold, --metric-threshold, --metric, --no-complexity, --alpha, --noise-runs,\n"
          "--fail-on-improvement, --format, -o, --strict-machine.\n"
          "\n"
          "Exit status: 0 no regression (or no baseline yet), 1 regression or a command\n"
          "that exited non-zero, 2 bad usage, a missing program, a command killed by a\n"
          "signal, a failed --prepare or --cleanup (nothing is recorded), 128+N when\n"
          "interrupted by signal N.\n",
          f);
}

/* --- the commands and their benchmarks ----------------------------------- */

/* A command as given. */
typedef struct exec_cmd {
    char *line;             /* the command line (owned): -c's text, or the words after -- */
    char **words;           /* its words (owned; for --shell unused) */
    size_t nwords;
    const char *name;       /* -n NAME (not owned), or NULL */
    const char *prepare;    /* --prepare, --cleanup for it (not owned), or NULL */
    const char *cleanup;
} exec_cmd;

/* A benchmark: a command with one value of each parameter it uses. */
typedef struct exec_bench {
    char *name;             /* "FAMILY/V1/V2", or FAMILY without parameters */
    char *family;           /* the command's name */
    long long *args;        /* the values when all are integers, else nargs 0 */
    size_t nargs;
    char **argv;            /* what runs (NULL-terminated) */
    char **prepare;         /* or NULL */
    char **cleanup;         /* or NULL */
    char *program;          /* the file argv[0] resolves to (no --shell), or NULL */
    double *wall, *cpu, *rss;   /* per timed run: ns, ns, bytes */
    size_t n, cap;
    int failed;             /* a run exited non-zero (without --ignore-failure) */
    char error[128];        /* then why */
} exec_bench;

typedef struct exec {
    exec_cmd *cmds;
    size_t ncmds;
    cmdline_param *params;
    size_t nparams;
    exec_bench *benches;
    size_t nbenches;
    int shell, ignore_failure, quiet, progress;
    size_t warmup, runs, min_runs, max_runs;
    double min_time;
    child_opts child;
    child_launcher launcher;    /* starts every child (see child.h) */
} exec;

static void exec_bench_release(exec_bench *b)
{
    free(b->name);
    free(b->family);
    free(b->args);
    cmdline_words_free(b->argv);
    cmdline_words_free(b->prepare);
    cmdline_words_free(b->cleanup);
    free(b->program);
    free(b->wall);
    free(b->cpu);
    free(b->rss);
}

static void exec_release(exec *e)
{
    for (size_t i = 0; e->cmds && i < e->ncmds; i++) {
        free(e->cmds[i].line);
        cmdline_words_free(e->cmds[i].words);
    }
    free(e->cmds);
    for (size_t i = 0; i < e->nparams; i++)
        cmdline_param_release(&e->params[i]);
    free(e->params);
    for (size_t i = 0; i < e->nbenches; i++)
        exec_bench_release(&e->benches[i]);
    free(e->benches);
}

/*
 * The words to run for command line LINE (WORDS[NWORDS] its split, or
 * NULL to split LINE here) with parameter values substituted: sh -c LINE
 * with --shell, else the words one by one, so that a value with blanks
 * stays one word.  Returns a NULL-terminated array (cmdline_words_free
 * it), or NULL after printing one error line.
 */
static char **exec_argv(const exec *e, const char *line, char *const *words, size_t nwords,
                        const char *const *names, const char *const *values, size_t n,
                        const char *what)
{
    char **split = NULL, **out = NULL;
    size_t nsplit = 0;
    char err[128];
    if (e->shell) {
        out = calloc(4, sizeof *out);
        if (!out)
            goto nomem;
        out[0] = strdup(EXEC_SHELL);
        out[1] = strdup("-c");
        out[2] = cmdline_subst(line, names, values, n);
        if (!out[0] || !out[1] || !out[2])
            goto nomem;
        return out;
    }
    if (!words) {
        int r = cmdline_split(line, &split, &nsplit, err, sizeof err);
        if (r == -2)
            goto nomem;
        if (r != 0) {
            cli_error("invalid %s '%s': %s", what, line, err);
            return NULL;
        }
        words = split;
        nwords = nsplit;
    }
    if (nwords == 0) {
        cli_error("empty %s '%s'", what, line);
        goto fail;
    }
    out = calloc(nwords + 1, sizeof *out);
    if (!out)
        goto nomem;
    for (size_t i = 0; i < nwords; i++) {
        out[i] = cmdline_subst(words[i], names, values, n);
        if (!out[i])
            goto nomem;
    }
    if (!out[0][0]) {
        cli_error("empty %s '%s': no program name", what, line);
        goto fail;
    }
    cmdline_words_free(split);
    return out;
nomem:
    cli_error("out of memory");
fail:
    cmdline_words_free(split);
    cmdline_words_free(out);
    return NULL;
}

/* Checks that ARGV[0] can run (not with --shell); sets *PROGRAM when not
 * NULL.  Returns 0, or EXIT_USAGE after one error line. */
static int exec_check_program(const exec *e, char *const *argv, char **program)
{
    if (e->shell)
        return 0;
    char *p = child_find_program(argv[0]);
    if (!p) {
        cli_error("cannot run '%s': %s", argv[0], strerror(errno));
        return EXIT_USAGE;
    }
    if (program)
        *program = p;
    else
        free(p);
    return 0;
}

/* Is TEXT a whole decimal integer that fits a long long? */
static int exec_integer(const char *text, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || errno || !(text[0] == '-' || (text[0] >= '0' && text[0] <= '9')))
        return 0;
    *out = v;
    return 1;
}

/*
 * Appends the benchmark of command C with the parameters USED[0..NUSED-1]
 * (indices into e->params) at values IDX.  Returns 0, or EXIT_USAGE
 * after one error line.
 */
static int exec_add_bench(exec *e, const exec_cmd *c, const size_t *used, const size_t *idx,
                          size_t nused)
{
    const char *names[16], *values[16];
    exec_bench *b = &e->benches[e->nbenches];
    memset(b, 0, sizeof *b);
    e->nbenches++;
    const char *family = c->name ? c->name : c->line;
    size_t len = strlen(family) + 1;
    int all_int = nused > 0;
    b->args = calloc(nused ? nused : 1, sizeof *b->args);
    if (!b->args)
        goto nomem;
    for (size_t k = 0; k < nused; k++) {
        names[k] = e->params[used[k]].name;
        values[k] = e->params[used[k]].values[idx[k]];
        len += strlen(values[k]) + 1;
        if (all_int && !exec_integer(values[k], &b->args[k]))
            all_int = 0;
    }
    b->nargs = all_int ? nused : 0;
    b->family = strdup(family);
    b->name = malloc(len);
    if (!b->family || !b->name)
        goto nomem;
    size_t at = (size_t)snprintf(b->name, len, "%s", family);
    for (size_t k = 0; k < nused; k++)
        at += (size_t)snprintf(b->name + at, len - at, "/%s", values[k]);
    b->argv = exec_argv(e, c->line, c->words, c->nwords, names, values, nused, "command");
    if (!b->argv)
        return EXIT_USAGE;
    if (c->prepare) {
        b->prepare = exec_argv(e, c->prepare, NULL, 0, names, values, nused, "--prepare command");
        if (!b->prepare)
            return EXIT_USAGE;
    }
    if (c->cleanup) {
        b->cleanup = exec_argv(e, c->cleanup, NULL, 0, names, values, nused, "--cleanup command");
        if (!b->cleanup)
            return EXIT_USAGE;
    }
    if (exec_check_program(e, b->argv, &b->program) != 0 ||
        (b->prepare && exec_check_program(e, b->prepare, NULL) != 0) ||
        (b->cleanup && exec_check_program(e, b->cleanup, NULL) != 0))
        return EXIT_USAGE;
    return 0;
nomem:
    cli_error("out of memory");
    return EXIT_USAGE;
}

/* Does command C use parameter NAME (in itself, its --prepare or --cleanup)? */
static int exec_cmd_uses(const exec_cmd *c, const char *name)
{
    if (cmdline_uses(c->line, name))
        return 1;
    for (size_t i = 0; i < c->nwords; i++)
        if (cmdline_uses(c->words[i], name))
            return 1;
    return (c->prepare && cmdline_uses(c->prepare, name)) ||
           (c->cleanup && cmdline_uses(c->cleanup, name));
}

/*
 * Expands the commands into benchmarks: each command once per
 * combination of the values of the parameters it uses (the first
 * parameter varies slowest).  Checks names and programs.  Returns 0, or
 * EXIT_USAGE after one error line.
 */
static int exec_make_benches(exec *e)
{
    size_t total = 0;
    for (size_t i = 0; i < e->ncmds; i++) {
        size_t k = 1;
        for (size_t p = 0; p < e->nparams; p++)
            if (exec_cmd_uses(&e->cmds[i], e->params[p].name)) {
                if (k > EXEC_MAX_RUNS / e->params[p].nvalues) {
                    cli_error("too many parameter combinations");
                    return EXIT_USAGE;
                }
                k *= e->params[p].nvalues;
            }
        total += k;
    }
    for (size_t p = 0; p < e->nparams; p++) {
        int any = 0;
        for (size_t i = 0; i < e->ncmds && !any; i++)
            any = exec_cmd_uses(&e->cmds[i], e->params[p].name);
        if (!any) {
            cli_error("parameter '%s' is not used: no command has '{%s}'", e->params[p].name,
                      e->params[p].name);
            return EXIT_USAGE;
        }
    }
    e->benches = calloc(total ? total : 1, sizeof *e->benches);
    if (!e->benches) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < e->ncmds; i++) {
        size_t used[16], idx[16] = { 0 }, nused = 0;
        for (size_t p = 0; p < e->nparams; p++)
            if (exec_cmd_uses(&e->cmds[i], e->params[p].name))
                used[nused++] = p;
        for (;;) {
            if (exec_add_bench(e, &e->cmds[i], used, idx, nused) != 0)
                return EXIT_USAGE;
            /* the next combination: the last parameter varies fastest */
            size_t k = nused;
            while (k > 0) {
                k--;
                if (++idx[k] < e->params[used[k]].nvalues)
                    break;
                idx[k] = 0;
                if (k == 0) {
                    k = SIZE_MAX;
                    break;
                }
            }
            if (nused == 0 || k == SIZE_MAX)
                break;
        }
    }
    /* Names as a result file takes them (valid UTF-8, no control
     * characters, unique): checked on a run of empty benchmarks. */
    results_run r;
    char err[256];
    int rc = 0;
    results_run_init(&r);
    for (size_t i = 0; i < e->nbenches && rc == 0; i++) {
        if (results_find_bench(&r, e->benches[i].name)) {
            cli_error("two commands are named '%s': name them with -n", e->benches[i].name);
            rc = EXIT_USAGE;
        } else if (!results_add_bench(&r, e->benches[i].name, e->benches[i].family)) {
            cli_error("out of memory");
            rc = EXIT_USAGE;
        }
    }
    if (rc == 0 && results_validate(&r, err, sizeof err) != 0) {
        cli_error("invalid command name: %s (name it with -n)", err);
        rc = EXIT_USAGE;
    }
    results_run_release(&r);
    return rc;
}

/* --- measuring ------------------------------------------------------------ */

static double exec_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double exec_tv_ns(struct timeval tv)
{
    return (double)tv.tv_sec * 1e9 + (double)tv.tv_usec * 1e3;
}

static int exec_push(exec_bench *b, double wall, double cpu, double rss)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        double *w = realloc(b->wall, cap * sizeof *w);
        if (!w)
            return -1;
        b->wall = w;
        double *c = realloc(b->cpu, cap * sizeof *c);
        if (!c)
            return -1;
        b->cpu = c;
        double *r = realloc(b->rss, cap * sizeof *r);
        if (!r)
            return -1;
        b->rss = r;
        b->cap = cap;
    }
    b->wall[b->n] = wall;
    b->cpu[b->n] = cpu;
    b->rss[b->n] = rss;
    b->n++;
    return 0;
}

/* The progress line on a terminal: overwritten in place, cleared by
 * exec_progress_done. */
static void exec_progress(const exec *e, const exec_bench *b, size_t k, const char *what, size_t i,
                          double spent)
{
    char name[80];
    if (!e->progress)
        return;
    if (e->runs)
        fprintf(stderr, "\rperfcmp exec: %s (%zu of %zu): %s %zu of %zu\033[K",
                cli_display(b->name, name, sizeof name), k + 1, e->nbenches, what, i,
                !strcmp(what, "warmup") ? e->warmup : e->runs);
    else
        fprintf(stderr, "\rperfcmp exec: %s (%zu of %zu): %s %zu, %.1f s\033[K",
                cli_display(b->name, name, sizeof name), k + 1, e->nbenches, what, i, spent);
    fflush(stderr);
}

static void exec_progress_done(const exec *e)
{
    if (e->progress) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

/*
 * Runs ARGV once (a --prepare or --cleanup command, WHAT names it) and
 * requires exit status 0.  Returns 0, EXIT_USAGE after one error line, or
 * 128+signal when interrupted.
 */
static int exec_helper(exec *e, char *const *argv, const char *what, const char *bench)
{
    int status = 0;
    int r = child_launcher_run(&e->launcher, argv, &e->child, &status, NULL, NULL);
    if (r == -2) {
        exec_progress_done(e);
        return 128 + child_signal();
    }
    if (r != 0) {
        exec_progress_done(e);
        cli_error("cannot run '%s': %s", argv[0], strerror(errno));
        return EXIT_USAGE;
    }
    if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
        exec_progress_done(e);
        if (WIFSIGNALED(status))
            cli_error("%s of '%s' was killed by signal %d (%s)", what, bench, WTERMSIG(status),
                      strsignal(WTERMSIG(status)));
        else
            cli_error("%s of '%s' exited with status %d", what, bench, WEXITSTATUS(status));
        return EXIT_USAGE;
    }
    return 0;
}

/*
 * Measures benchmark K: its warmup runs, then its timed runs (each after
 * its --prepare), then its --cleanup.  Earlier samples are dropped.
 * Returns 0 (b->failed set when a run exited non-zero without
 * --ignore-failure), EXIT_USAGE after one error line, or 128+signal.
 */
static int exec_measure(exec *e, size_t k)
{
    exec_bench *b = &e->benches[k];
    double spent = 0, shown = 0;
    int rc;

    b->n = 0;
    b->failed = 0;
    b->error[0] = '\0';
    for (size_t i = 0;; i++) {
        int warm = i < e->warmup;
        size_t run = warm ? i + 1 : i - e->warmup + 1;
        if (!warm) {
            size_t done = i - e->warmup;
            if (e->runs ? done >= e->runs
                        : done >= e->max_runs || (done >= e->min_runs && spent >= e->min_time))
                break;
        }
        double now = exec_now();
        if (now - shown >= 0.1) {
            exec_progress(e, b, k, warm ? "warmup" : "run", run, spent);
            shown = now;
        }
        if (b->prepare && (rc = exec_helper(e, b->prepare, "--prepare", b->name)) != 0)
            return rc;
        int status = 0;
        struct rusage ru;
        double wall = 0;
        int r = child_launcher_run(&e->launcher, b->argv, &e->child, &status, &ru, &wall);
        if (r == -2) {
            exec_progress_done(e);
            return 128 + child_signal();
        }
        if (r != 0) {
            exec_progress_done(e);
            cli_error("cannot run '%s': %s", b->argv[0], strerror(errno));
            return EXIT_USAGE;
        }
        if (WIFSIGNALED(status)) {
            int sig = WTERMSIG(status);
            exec_progress_done(e);
            cli_error("'%s' was killed by signal %d (%s) in %s %zu", b->name, sig, strsignal(sig),
                      warm ? "warmup run" : "run", run);
            return EXIT_USAGE;
        }
        if (WEXITSTATUS(status) != 0 && !e->ignore_failure) {
            b->failed = 1;
            snprintf(b->error, sizeof b->error, "exited with status %d in %s %zu",
                     WEXITSTATUS(status), warm ? "warmup run" : "run", run);
            break;
        }
        if (warm)
            continue;
        spent += wall / 1e9;
        if (exec_push(b, wall, exec_tv_ns(ru.ru_utime) + exec_tv_ns(ru.ru_stime),
                      (double)ru.ru_maxrss * 1024.0) != 0) {
            exec_progress_done(e);
            cli_error("out of memory");
            return EXIT_USAGE;
        }
    }
    if (b->cleanup && (rc = exec_helper(e, b->cleanup, "--cleanup", b->name)) != 0)
        return rc;
    exec_progress_done(e);
    return 0;
}

/* --- the result ------------------------------------------------------------- */

/*
 * Benchmarks of E into RUN (initialised, empty): all of them, or when
 * ONLY is not NULL those named in ONLY[NONLY].  Each timed run gives one
 * sample of each metric.  The samples carry no grouping by process:
 * every run is a process of its own, so they are independent as they
 * are, and a grouping of ones would only make the checks that compare
 * the spread between a run's processes with the spread within them see
 * no spread within.  Returns 0, -1 on ENOMEM.
 */
static int exec_results(const exec *e, results_run *run, char *const *only, size_t nonly)
{
    for (size_t i = 0; i < e->nbenches; i++) {
        const exec_bench *eb = &e->benches[i];
        if (only) {
            size_t j = 0;
            while (j < nonly && strcmp(only[j], eb->name))
                j++;
            if (j == nonly)
                continue;
        }
        results_bench *b = results_add_bench(run, eb->name, eb->family);
        if (!b)
            return -1;
        b->iterations = 1;
        if (eb->nargs) {
            b->args = malloc(eb->nargs * sizeof *b->args);
            if (!b->args)
                return -1;
            memcpy(b->args, eb->args, eb->nargs * sizeof *b->args);
            b->nargs = eb->nargs;
        }
        if (eb->failed) {
            b->status = RESULTS_FAILED;
            if (results_set_str(&b->error, eb->error) != 0)
                return -1;
            continue;
        }
        if (!results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, eb->wall, eb->n) ||
            !results_add_metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, eb->cpu, eb->n) ||
            !results_add_metric(b, "peak_rss", "bytes", RESULTS_LOWER_IS_BETTER, eb->rss, eb->n))
            return -1;
    }
    return results_finish(run);
}

/*
 * The run's context: this machine, the git state of the current directory
 * and the perfcmp command line (context_fill, as a bench binary records
 * it), source_format "perfcmp-exec", and as binary_id the programs' files
 * (all benchmarks' programs, without --shell).
 */
static int exec_context(const exec *e, results_context *c, int argc, char **argv)
{
    char **full = calloc((size_t)argc + 2, sizeof *full);
    if (!full)
        return -1;
    full[0] = "perfcmp";
    for (int i = 0; i < argc; i++)
        full[i + 1] = argv[i];
    int rc = context_fill(c, argc + 1, full, NULL, NULL);
    free(full);
    if (rc != 0 || results_set_str(&c->source_format, "perfcmp-exec") != 0)
        return -1;
    /* One id over the programs' ids, in benchmark order. */
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    int ok = !e->shell;
    for (size_t i = 0; i < e->nbenches && ok; i++) {
        char id[64];
        if (!e->benches[i].program || context_file_id(e->benches[i].program, id, sizeof id) != 0) {
            ok = 0;
            break;
        }
        if (e->nbenches == 1) {
            return results_set_str(&c->binary_id, id);
        }
        for (const char *p = id; *p; p++) {
            h ^= (unsigned char)*p;
            h *= UINT64_C(0x100000001b3);
        }
    }
    char buf[32];
    snprintf(buf, sizeof buf, "fnv1a64:%016llx", (unsigned long long)h);
    return results_set_str(&c->binary_id, ok ? buf : NULL);
}

/* The summary table of the measurements on F. */
static void exec_summary(const exec *e, FILE *f)
{
    size_t w = 7;
    char name[256];
    for (size_t i = 0; i < e->nbenches; i++) {
        size_t l = strlen(cli_display(e->benches[i].name, name, sizeof name));
        if (l > w)
            w = l;
    }
    fprintf(f, "%-*s  %6s  %10s  %10s  %10s  %10s  %10s\n", (int)w, "command", "runs",
            "wall", "min", "max", "cpu", "peak rss");
    for (size_t i = 0; i < e->nbenches; i++) {
        const exec_bench *b = &e->benches[i];
        cli_display(b->name, name, sizeof name);
        if (b->failed || !b->n) {
            fprintf(f, "%-*s  %6zu  failed: %s\n", (int)w, name, b->n,
                    b->failed ? b->error : "no runs");
            continue;
        }
        char v[5][32];
        double *tmp = malloc(b->n * sizeof *tmp);
        double cpu = NAN, rss = NAN;
        if (tmp) {
            memcpy(tmp, b->cpu, b->n * sizeof *tmp);
            cpu = stats_median(tmp, b->n);
            memcpy(tmp, b->rss, b->n * sizeof *tmp);
            rss = stats_median(tmp, b->n);
            memcpy(tmp, b->wall, b->n * sizeof *tmp);
        }
        double med = tmp ? stats_median(tmp, b->n) : NAN;
        double lo = b->wall[0], hi = b->wall[0];
        for (size_t j = 1; j < b->n; j++) {
            lo = b->wall[j] < lo ? b->wall[j] : lo;
            hi = b->wall[j] > hi ? b->wall[j] : hi;
        }
        free(tmp);
        fprintf(f, "%-*s  %6zu  %10s  %10s  %10s  %10s  %10s\n", (int)w, name, b->n,
                report_format_value(med, "ns", v[0], sizeof v[0]),
                report_format_value(lo, "ns", v[1], sizeof v[1]),
                report_format_value(hi, "ns", v[2], sizeof v[2]),
                report_format_value(cpu, "ns", v[3], sizeof v[3]),
                report_format_value(rss, "bytes", v[4], sizeof v[4]));
    }
    fflush(f);
}

/* --- confirmation re-runs ---------------------------------------------------- */

typedef struct exec_rerun_arg {
    exec *e;
} exec_rerun_arg;

/* record_judge_rerun_fn: measures the named benchmarks again. */
static int exec_rerun(void *arg, char *const *names, size_t n, const char *what,
                      results_run *out)
{
    exec *e = ((exec_rerun_arg *)arg)->e;
    (void)what;
    for (size_t i = 0; i < e->nbenches; i++) {
        size_t j = 0;
        while (j < n && strcmp(names[j], e->benches[i].name))
            j++;
        if (j == n)
            continue;
        int rc = exec_measure(e, i);
        if (rc != 0)
            return rc;
    }
    if (exec_results(e, out, names, n) != 0) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    return 0;
}

/* --- options ------------------------------------------------------------------ */

/* A count option: a whole number, at least MIN (0 or 1), at most EXEC_MAX_RUNS. */
static int exec_count(const char *opt, const char *v, size_t min, size_t *out)
{
    size_t n = 0;
    if (!strcmp(v, "0") && min == 0) {
        *out = 0;
        return 0;
    }
    if (cli_parse_size(v, &n) != 0 || n > EXEC_MAX_RUNS) {
        if (min == 0)
            cli_error("invalid value '%s' for '%s': expected a whole number", v, opt);
        else
            cli_error("invalid value '%s' for '%s': expected a positive whole number", v, opt);
        return EXIT_USAGE;
    }
    *out = n;
    return 0;
}

/* Appends a string to a growing array of pointers (not owned). */
static int exec_push_str(const char ***v, size_t *n, const char *s)
{
    const char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    nv[(*n)++] = s;
    *v = nv;
    return 0;
}

/* --prepare or --cleanup given K times for NCMDS commands: 0, 1 or NCMDS. */
static int exec_assign(const char *opt, const char **v, size_t k, exec *e, int cleanup)
{
    if (k > 1 && k != e->ncmds) {
        cli_error("option '%s' given %zu times for %zu commands: give it once, or once per command",
                  opt, k, e->ncmds);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < e->ncmds && k; i++) {
        const char *s = v[k == 1 ? 0 : i];
        if (cleanup)
            e->cmds[i].cleanup = s;
        else
            e->cmds[i].prepare = s;
    }
    return 0;
}

/* --- the command ---------------------------------------------------------------- */

int cmd_exec(int argc, char **argv, cli_ctx *ctx)
{
    compare_opts co;
    record_judge_spec rj = { 0 };
    const char *out_file = NULL;
    const char **lines = NULL, **names = NULL, **prepares = NULL, **cleanups = NULL;
    size_t nlines = 0, nnames = 0, nprepares = 0, ncleanups = 0;
    int show_output = 0, have_baseline = 0, runs_given = 0, auto_given = 0, min_runs_given = 0;
    exec e;
    store *s = NULL;
    results_run base, cur;
    char *base_label = NULL;
    child_handlers old;
    int rc = EXIT_USAGE, installed = 0, stored = 0;

    memset(&e, 0, sizeof e);
    e.launcher.pid = -1;
    e.min_runs = EXEC_MIN_RUNS;
    e.max_runs = EXEC_MAX_RUNS;
    e.min_time = EXEC_MIN_TIME;
    compare_opts_init(&co);
    results_run_init(&base);
    results_run_init(&cur);

    int i = 1;
    while (i < argc) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-')
            break;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            rc = EXIT_OK;
            goto out;
        }
        int m = compare_parse_option(&co, argc, argv, &i);
        if (m == EXIT_USAGE)
            goto out;
        if (m == 1)
            continue;
        if ((m = record_judge_parse_option(&rj, argc, argv, &i, EXEC_MAX_CONFIRM)) == EXIT_USAGE)
            goto out;
        if (m == 1) {
            i++;
            continue;
        }
        const char *v = NULL;
        if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            e.quiet = 1;
        } else if (!strcmp(a, "--shell")) {
            e.shell = 1;
        } else if (!strcmp(a, "--ignore-failure") || !strcmp(a, "-i")) {
            e.ignore_failure = 1;
        } else if (!strcmp(a, "--show-output")) {
            show_output = 1;
        } else if ((m = cli_opt_value_short(argc, argv, &i, "--command", "-c", &v)) != 0) {
            if (m < 0 || exec_push_str(&lines, &nlines, v) != 0)
                goto out;
        } else if ((m = cli_opt_value_short(argc, argv, &i, "--name", "-n", &v)) != 0) {
            if (m < 0 || exec_push_str(&names, &nnames, v) != 0)
                goto out;
        } else if ((m = cli_opt_value(argc, argv, &i, "--prepare", &v)) != 0) {
            if (m < 0 || exec_push_str(&prepares, &nprepares, v) != 0)
                goto out;
        } else if ((m = cli_opt_value(argc, argv, &i, "--cleanup", &v)) != 0) {
            if (m < 0 || exec_push_str(&cleanups, &ncleanups, v) != 0)
                goto out;
        } else if ((m = cli_opt_value(argc, argv, &i, "--param", &v)) != 0) {
            if (m < 0)
                goto out;
            char err[128];
            cmdline_param p = { NULL, NULL, 0 };
            int r = cmdline_param_parse(v, &p, err, sizeof err);
            if (r != 0) {
                if (r == -2)
                    cli_error("out of memory");
                else
                    cli_error("invalid value '%s' for '--param': %s", v, err);
                goto out;
            }
            for (size_t k = 0; k < e.nparams; k++) {
                if (!strcmp(e.params[k].name, p.name)) {
                    cli_error("parameter '%s' is given twice", p.name);
                    cmdline_param_release(&p);
                    goto out;
                }
            }
            cmdline_param *np = e.nparams < 16 ? realloc(e.params, (e.nparams + 1) * sizeof *np)
                                               : NULL;
            if (!np) {
                cli_error(e.nparams < 16 ? "out of memory" : "at most 16 parameters");
                cmdline_param_release(&p);
                goto out;
            }
            e.params = np;
            e.params[e.nparams++] = p;
        } else if ((m = cli_opt_value(argc, argv, &i, "--runs", &v)) != 0) {
            if (m < 0 || exec_count("--runs", v, 1, &e.runs) != 0)
                goto out;
            runs_given = 1;
        } else if ((m = cli_opt_value(argc, argv, &i, "--min-runs", &v)) != 0) {
            if (m < 0 || exec_count("--min-runs", v, 1, &e.min_runs) != 0)
                goto out;
            min_runs_given = 1;
            auto_given = auto_given ? auto_given : 1;
        } else if ((m = cli_opt_value(argc, argv, &i, "--max-runs", &v)) != 0) {
            if (m < 0 || exec_count("--max-runs", v, 1, &e.max_runs) != 0)
                goto out;
            auto_given = auto_given ? auto_given : 2;
        } else if ((m = cli_opt_value(argc, argv, &i, "--warmup", &v)) != 0) {
            if (m < 0 || exec_count("--warmup", v, 0, &e.warmup) != 0)
                goto out;
        } else if ((m = cli_opt_value(argc, argv, &i, "--min-time", &v)) != 0) {
            if (m < 0)
                goto out;
            char *end;
            errno = 0;
            double t = strtod(v, &end);
            if (end == v || *end || errno || !isfinite(t) || t < 0 || t > 1e6) {
                cli_error("invalid value '%s' for '--min-time': expected seconds >= 0", v);
                goto out;
            }
            e.min_time = t;
            auto_given = auto_given ? auto_given : 3;
        } else if ((m = cli_opt_value(argc, argv, &i, "--out", &out_file)) != 0) {
            if (m < 0)
                goto out;
            if (!*out_file) {
                cli_error("option '--out' needs a value");
                goto out;
            }
        } else {
            cli_error("unknown option '%s' (see 'perfcmp exec --help')", a);
            goto out;
        }
        i++;    /* past the option, or past its separate value */
    }

    /* The commands: every -c, then the one after --. */
    e.ncmds = nlines + (i < argc);
    if (e.ncmds == 0) {
        cli_error("no command given (see 'perfcmp exec --help')");
        goto out;
    }
    if (runs_given && auto_given) {
        cli_error("options '--runs' and '%s' cannot be used together",
                  auto_given == 1 ? "--min-runs" : auto_given == 2 ? "--max-runs" : "--min-time");
        goto out;
    }
    if (e.min_runs > e.max_runs && !min_runs_given)
        e.min_runs = e.max_runs;    /* --max-runs below the default minimum */
    if (e.min_runs > e.max_runs) {
        cli_error("--min-runs %zu is more than --max-runs %zu", e.min_runs, e.max_runs);
        goto out;
    }
    if (nnames > e.ncmds) {
        cli_error("%zu names (-n) for %zu command%s", nnames, e.ncmds, e.ncmds == 1 ? "" : "s");
        goto out;
    }
    if (co.against && co.baseline) {
        cli_error("options '--baseline' and '--against' cannot be used together");
        goto out;
    }
    if (record_judge_check_options(&rj) != 0)
        goto out;
    e.cmds = calloc(e.ncmds, sizeof *e.cmds);
    if (!e.cmds) {
        cli_error("out of memory");
        goto out;
    }
    for (size_t k = 0; k < e.ncmds; k++) {
        exec_cmd *c = &e.cmds[k];
        c->name = k < nnames ? names[k] : NULL;
        if (c->name && !*c->name) {
            cli_error("empty name given to -n");
            goto out;
        }
        if (k < nlines) {
            c->line = strdup(lines[k]);
            if (!c->line)
                goto nomem;
            if (!e.shell) {
                char err[128];
                int r = cmdline_split(c->line, &c->words, &c->nwords, err, sizeof err);
                if (r == -2)
                    goto nomem;
                if (r != 0) {
                    cli_error("invalid command '%s': %s", c->line, err);
                    goto out;
                }
            }
            if (strspn(c->line, " \t\n") == strlen(c->line)) {
                cli_error("empty command '%s'", c->line);
                goto out;
            }
        } else {
            size_t nw = (size_t)(argc - i);
            c->words = cmdline_words_dup(argv + i, nw);
            c->nwords = nw;
            if (!c->words)
                goto nomem;
            if (e.shell) {  /* the words, joined by blanks, are the script */
                size_t len = 1;
                for (size_t w = 0; w < nw; w++)
                    len += strlen(argv[i + (int)w]) + 1;
                c->line = malloc(len);
                if (!c->line)
                    goto nomem;
                size_t at = 0;
                for (size_t w = 0; w < nw; w++)
                    at += (size_t)snprintf(c->line + at, len - at, "%s%s", w ? " " : "",
                                           argv[i + (int)w]);
            } else {
                c->line = cmdline_join(argv + i, nw);
                if (!c->line)
                    goto nomem;
            }
            if (!argv[i][0] || strspn(c->line, " \t\n") == strlen(c->line)) {
                cli_error("empty command '%s'", argv[i]);
                goto out;
            }
        }
    }
    if (exec_assign("--prepare", prepares, nprepares, &e, 0) != 0 ||
        exec_assign("--cleanup", cleanups, ncleanups, &e, 1) != 0)
        goto out;
    if (exec_make_benches(&e) != 0)
        goto out;
    if (out_file) {
        /* The directory must exist: checked before anything runs. */
        char *dir = strdup(out_file);
        if (!dir)
            goto nomem;
        char *slash = strrchr(dir, '/');
        const char *why = NULL;
        struct stat st;
        if (slash) {
            *slash = '\0';
            if (stat(*dir ? dir : "/", &st) != 0)
                why = strerror(errno);
            else if (!S_ISDIR(st.st_mode))
                why = strerror(ENOTDIR);
        }
        if (why)
            cli_error("cannot write '%s': %s", out_file, why);
        free(dir);
        if (why)
            goto out;
    }

    e.child.in_devnull = 1;
    if (show_output) {
        /* With a machine-readable report on stdout, their output goes to stderr. */
        e.child.out = (co.format != REPORT_TEXT && !co.output) ? CHILD_OUT_STDERR
                                                               : CHILD_OUT_INHERIT;
    } else {
        e.child.out = CHILD_OUT_DEVNULL;
        e.child.err_devnull = 1;
    }
    e.progress = !e.quiet && isatty(STDERR_FILENO) && !show_output;

    /* The launcher before anything big is loaded (child.h says why). */
    if (child_launcher_start(&e.launcher) != 0) {
        cli_error("cannot start a process: %s", strerror(errno));
        goto out;
    }
    /* The baseline first: a bad one stops us before anything runs. */
    if (compare_open_existing_store(ctx, &s) != 0)
        goto out;
    int br = compare_load_baseline(s, &co, &base, &base_label);
    if (br != 0 && br != STORE_NOTFOUND)
        goto out;
    have_baseline = br == 0;

    child_handlers_install(&old, 0);
    installed = 1;
    for (size_t k = 0; k < e.nbenches; k++) {
        rc = exec_measure(&e, k);
        if (rc != 0)
            goto out;
        rc = EXIT_USAGE;
    }
    if (child_signal()) {
        rc = 128 + child_signal();
        goto out;
    }
    if (exec_context(&e, &cur.context, argc, argv) != 0 || exec_results(&e, &cur, NULL, 0) != 0)
        goto nomem;
    if (!e.quiet)
        exec_summary(&e, (co.format == REPORT_TEXT || co.output) ? stdout : stderr);

    exec_rerun_arg ra = { &e };
    rj.co = &co;
    rj.rerun = exec_rerun;
    rj.rerun_arg = &ra;
    rc = record_judge(&rj, ctx, &s, &base, base_label, have_baseline, &cur, &stored);
    if (out_file && stored && (rc == EXIT_OK || rc == EXIT_REGRESSION)) {
        if (results_write_file(&cur, out_file) != 0) {
            cli_error("cannot write '%s': %s", out_file, strerror(errno));
            fprintf(stderr, "the run was recorded\n");
            rc = EXIT_USAGE;
        }
    }
    goto out;
nomem:
    cli_error("out of memory");
    rc = EXIT_USAGE;
out:
    /* Once a run is stored, our handlers stay until the process exits
     * (see cmd_run.c). */
    if (installed && !stored)
        child_handlers_restore(&old);
    child_launcher_stop(&e.launcher);
    exec_release(&e);
    free(lines);
    free(names);
    free(prepares);
    free(cleanups);
    results_run_release(&base);
    results_run_release(&cur);
    free(base_label);
    store_close(s);
    compare_opts_release(&co);
    return rc;
}
