/*
 * cmd_run.c - `perfcmp run [OPTIONS] -- BENCH_BINARY [ARGS...]`: runs a
 * bench binary with --out=<temporary file>, records the run, compares it
 * with the baseline and exits 0 / 1 / 2 like `perfcmp compare`.
 *
 * The order of work is chosen so that bad input changes nothing: options
 * and the baseline are checked before the binary runs, the result file is
 * parsed and judged before anything is stored, and an interrupt (SIGINT,
 * SIGTERM, SIGHUP) while the binary runs is forwarded to it, the temporary
 * files are removed and perfcmp exits 128+signal without recording.  An
 * interrupt that arrives once storing has begun is too late to undo it:
 * the run completes (report, exit 0/1), except that --confirm re-runs
 * are skipped and perfcmp says the run was recorded and exits 128+signal.
 *
 * --confirm=N re-runs the benchmarks judged regressed or inconclusive (one
 * --filter per benchmark, glob characters escaped) up to N times; a
 * regression must show in every re-run to stand (docs/verdicts.md).
 * Re-runs are not recorded: the stored run is the first one.
 */
#include "commands.h"
#include "baseline_file.h"
#include "import.h"
#include "report.h"
#include "verdict.h"

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

#define RUN_MAX_CONFIRM 100

static void usage(FILE *f)
{
    fputs("usage: perfcmp run [OPTIONS] -- BENCH_BINARY [ARGS...]\n"
          "\n"
          "Runs BENCH_BINARY ARGS... --out=<temporary file>, records the results,\n"
          "compares them with the baseline and prints the verdicts.\n"
          "\n"
          "Options:\n"
          "  --commit SHA            git commit to record (default: the binary's)\n"
          "  --branch NAME           git branch to record\n"
          "  --note TEXT             a note stored with the run\n"
          "  --quiet                 hide the binary's standard output\n"
          "  --save-baseline[=NAME]  make this run baseline NAME (default 'default')\n"
          "                          and write DIR/NAME.json\n"
          "  --confirm N             re-run regressed or inconclusive benchmarks up to\n"
          "                          N times; a regression must persist in every re-run\n"
          "  --timeout SECONDS       stop the binary (SIGTERM, then SIGKILL 2 s later)\n"
          "                          when a run takes longer; nothing is recorded, exit 2\n"
          "and every option of 'perfcmp compare': --baseline, --against, --baseline-dir,\n"
          "--threshold, --metric-threshold, --metric, --no-complexity, --alpha, --noise-runs,\n"
          "--fail-on-improvement, --format, -o, --strict-machine.\n"
          "\n"
          "Exit status: 0 no regression (or no baseline yet), 1 regression or failed\n"
          "benchmark, 2 bad usage, a binary that crashed or wrote no valid results\n"
          "(nothing is recorded), 128+N when interrupted by signal N.\n",
          f);
}

/* --- running the child ---------------------------------------------------- */

static volatile sig_atomic_t run_signal;     /* the signal that interrupted us */
static volatile sig_atomic_t run_child_pgid; /* the bench binary's process group */

static void on_signal(int sig)
{
    run_signal = sig;
    if (run_child_pgid > 0)
        kill(-(pid_t)run_child_pgid, sig);
}

typedef struct saved_handlers {
    struct sigaction intr, term, hup;
} saved_handlers;

/*
 * Installs on_signal for SIGINT, SIGTERM and SIGHUP, saving the old
 * handlers into OLD when it is not NULL.  Without RESTART an interrupt
 * breaks our waits (waitpid) so that we can stop the child; with it, the
 * system calls it lands in resume: used while the run is stored and the
 * report written, so a late interrupt can cut neither short.
 */
static void handlers_install(saved_handlers *old, int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old ? &old->intr : NULL);
    sigaction(SIGTERM, &sa, old ? &old->term : NULL);
    sigaction(SIGHUP, &sa, old ? &old->hup : NULL);
}

static void handlers_restore(const saved_handlers *old)
{
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGTERM, &old->term, NULL);
    sigaction(SIGHUP, &old->hup, NULL);
}

/* Where the child's standard output goes. */
enum child_out { OUT_INHERIT, OUT_DEVNULL, OUT_STDERR };

/*
 * Runs ARGV (ARGV[0] searched in PATH) in its own process group and waits.
 * Returns 0 with *STATUS set (waitpid status); -1 when it cannot start
 * (errno set); -2 when a signal interrupted us (the child was killed);
 * -3 when TIMEOUT seconds (0: no limit) passed and the child was killed.
 */
static int spawn_wait(char **argv, enum child_out out, double timeout, int *status)
{
    int pfd[2];
    pid_t pid;
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        setpgid(0, 0);
        if (out == OUT_DEVNULL) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0) {
                dup2(fd, STDOUT_FILENO);
                close(fd);
            }
        } else if (out == OUT_STDERR) {
            dup2(STDERR_FILENO, STDOUT_FILENO);
        }
        execvp(argv[0], argv);
        int e = errno;
        ssize_t w = write(pfd[1], &e, sizeof e);
        (void)w;
        /* This copy of the array dies with the child; freeing it keeps
         * leak checkers that follow forks (valgrind) quiet. */
        free(argv);
        _exit(127);
    }
    /* Both sides set the group, so it exists before we may signal it. */
    setpgid(pid, pid);
    run_child_pgid = pid;
    close(pfd[1]);
    int child_errno = 0;
    ssize_t got;
    do {
        got = read(pfd[0], &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    close(pfd[0]);

    int rc = 0, st = 0;
    struct timespec tick = { 0, 10 * 1000 * 1000 };
    int waited_ms = 0, timed_out = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        pid_t w = waitpid(pid, &st, run_signal || timeout > 0 ? WNOHANG : 0);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            rc = -1;
            break;
        }
        if (timeout > 0 && !timed_out && !run_signal) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double el = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
            if (el >= timeout) {
                timed_out = 1;
                kill(-pid, SIGTERM);
            } else {
                nanosleep(&tick, NULL);
                continue;
            }
        }
        if (run_signal || timed_out) {
            /* Forwarded already; give it two seconds, then kill it. */
            if (waited_ms >= 2000) {
                kill(-pid, SIGKILL);
                waited_ms = -1000000;
            }
            nanosleep(&tick, NULL);
            waited_ms += 10;
        }
    }
    run_child_pgid = 0;
    if (run_signal) {
        kill(-pid, SIGKILL); /* whatever the binary left behind */
        return -2;
    }
    if (timed_out) {
        kill(-pid, SIGKILL);
        return -3;
    }
    if (got == (ssize_t)sizeof child_errno) {
        errno = child_errno;
        return -1;
    }
    *status = st;
    return rc;
}

/* A private temporary directory for the result file. */
typedef struct tmpdir {
    char dir[512];
    char file[600];
} tmpdir;

static int tmpdir_make(tmpdir *t)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(t->dir, sizeof t->dir, "%s/perfcmp-run-XXXXXX", base);
    if (!mkdtemp(t->dir)) {
        t->dir[0] = '\0';
        return -1;
    }
    snprintf(t->file, sizeof t->file, "%s/results.json", t->dir);
    return 0;
}

/* Removes the directory and whatever the binary left in it. */
static void tmpdir_remove(tmpdir *t)
{
    if (!t->dir[0])
        return;
    DIR *d = opendir(t->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", t->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(t->dir);
    t->dir[0] = '\0';
}

/* "--filter=" + NAME with fnmatch's special characters escaped; malloc'd. */
static char *filter_arg(const char *name)
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

typedef struct run_spec {
    char **cmd;                 /* BENCH_BINARY ARGS... (not owned) */
    int ncmd;
    enum child_out out;
    double timeout;             /* seconds for one run of the binary; 0: no limit */
} run_spec;

/*
 * Runs the binary once with FILTERS (NFILTERS, may be 0; the user's own
 * --filter arguments are then dropped) and parses its result file into
 * RUN (initialised, empty).  WHAT names the attempt in messages ("" or
 * "re-run 2 of ").  Returns 0; EXIT_USAGE after one error line; or
 * 128+signal when interrupted (nothing printed).
 */
static int run_once(const run_spec *spec, char **filters, size_t nfilters, const char *what,
                    results_run *run)
{
    tmpdir t = { "", "" };
    char **argv = NULL;
    char *outarg = NULL, *text = NULL;
    const char *bin = spec->cmd[0];
    char err[512];
    int rc = EXIT_USAGE, status = 0;

    if (tmpdir_make(&t) != 0) {
        cli_error("cannot create a temporary directory: %s", strerror(errno));
        goto out;
    }
    size_t olen = strlen(t.file) + 7;
    outarg = malloc(olen);
    argv = calloc((size_t)spec->ncmd + nfilters + 2, sizeof *argv);
    if (!outarg || !argv) {
        cli_error("out of memory");
        goto out;
    }
    snprintf(outarg, olen, "--out=%s", t.file);
    size_t k = 0;
    for (int i = 0; i < spec->ncmd; i++) {
        const char *a = spec->cmd[i];
        if (nfilters && i > 0) {
            if (!strncmp(a, "--filter=", 9))
                continue;
            if (!strcmp(a, "--filter") && i + 1 < spec->ncmd) {
                i++;
                continue;
            }
        }
        argv[k++] = spec->cmd[i];
    }
    for (size_t i = 0; i < nfilters; i++)
        argv[k++] = filters[i];
    argv[k++] = outarg;
    argv[k] = NULL;

    int sr = spawn_wait(argv, spec->out, spec->timeout, &status);
    if (sr == -2) {
        rc = 128 + run_signal;
        goto out;
    }
    if (sr == -3) {
        cli_error("%s'%s' did not finish within %g s (--timeout) and was killed", what, bin,
                  spec->timeout);
        goto out;
    }
    if (sr != 0) {
        cli_error("cannot run '%s': %s", bin, strerror(errno));
        goto out;
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        cli_error("%s'%s' was killed by signal %d (%s)", what, bin, sig, strsignal(sig));
        goto out;
    }
    int code = WEXITSTATUS(status);
    if (code != 0 && code != 1) {
        cli_error("%s'%s' exited with status %d", what, bin, code);
        goto out;
    }
    size_t len;
    struct stat st;
    if (stat(t.file, &st) != 0) {
        cli_error("%s'%s' exited with status %d and wrote no results", what, bin, code);
        goto out;
    }
    text = cli_read_file(t.file, &len, err, sizeof err);
    if (!text) {
        cli_error("cannot read the results of '%s': %s", bin, err);
        goto out;
    }
    if (import_parse(text, len, IMPORT_FORMAT_PERFCMP, run, err, sizeof err) != 0) {
        cli_error("%s'%s' wrote an invalid result file: %s", what, bin, err);
        goto out;
    }
    rc = 0;
out:
    tmpdir_remove(&t);
    free(text);
    free(outarg);
    free(argv);
    return rc;
}

/* --- confirmation re-runs ----------------------------------------------- */

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
static int confirm(const run_spec *spec, const results_run *base, const verdict_options *o,
                   unsigned n, verdict_report *rep)
{
    confirm_state *cs = calloc(rep->nrows ? rep->nrows : 1, sizeof *cs);
    char **filters = calloc(rep->nrows ? rep->nrows : 1, sizeof *filters);
    size_t nfilters = 0;
    results_run rr;
    int rc = EXIT_USAGE;
    results_run_init(&rr);
    if (!cs || !filters) {
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
        if (run_signal) { /* arrived while the first run was stored */
            rc = 128 + run_signal;
            goto out;
        }
        /* One --filter per benchmark with a pending row. */
        for (size_t i = 0; i < nfilters; i++)
            free(filters[i]);
        nfilters = 0;
        for (size_t i = 0; i < rep->nrows; i++) {
            if (!cs[i].pending)
                continue;
            int dup = 0;
            for (size_t j = 0; j < i && !dup; j++)
                dup = cs[j].pending && !strcmp(rep->rows[j].bench, rep->rows[i].bench);
            if (dup)
                continue;
            filters[nfilters] = filter_arg(rep->rows[i].bench);
            if (!filters[nfilters]) {
                cli_error("out of memory");
                goto out;
            }
            nfilters++;
        }
        if (!nfilters)
            break;
        char what[64];
        snprintf(what, sizeof what, "re-run %u: ", k);
        results_run_release(&rr);
        results_run_init(&rr);
        int r1 = run_once(spec, filters, nfilters, what, &rr);
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
    for (size_t i = 0; i < nfilters; i++)
        free(filters[i]);
    free(filters);
    free(cs);
    results_run_release(&rr);
    return rc;
}

/* --- the command ----------------------------------------------------------- */

int cmd_run(int argc, char **argv, cli_ctx *ctx)
{
    compare_opts co;
    const char *commit = NULL, *branch = NULL, *note = NULL, *save_name = NULL;
    int quiet = 0, have_baseline = 0;
    unsigned confirm_n = 0;
    run_spec spec = { NULL, 0, OUT_INHERIT, 0 };
    store *s = NULL;
    results_run base, cur;
    verdict_report rep;
    char *base_label = NULL;
    saved_handlers old;
    int rc = EXIT_USAGE, installed = 0, stored = 0;

    compare_opts_init(&co);
    results_run_init(&base);
    results_run_init(&cur);
    verdict_report_init(&rep);

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
        const char *v = NULL;
        if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--save-baseline") || !strncmp(a, "--save-baseline=", 16)) {
            save_name = a[15] == '=' ? a + 16 : BASELINE_DEFAULT_NAME;
            if (!store_valid_baseline_name(save_name)) {
                cli_error("invalid baseline name '%s': use letters, digits, '.', '_' and '-'",
                          save_name);
                goto out;
            }
        } else if ((m = cli_opt_value(argc, argv, &i, "--commit", &commit)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--branch", &branch)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--note", &note)) != 0) {
            if (m < 0)
                goto out;
        } else if ((m = cli_opt_value(argc, argv, &i, "--confirm", &v)) != 0) {
            if (m < 0)
                goto out;
            char *end;
            errno = 0;
            unsigned long c = strtoul(v, &end, 10);
            if (*v < '0' || *v > '9' || *end || errno || c > RUN_MAX_CONFIRM) {
                cli_error("invalid value '%s' for --confirm: expected 0 to %d", v,
                          RUN_MAX_CONFIRM);
                goto out;
            }
            confirm_n = (unsigned)c;
        } else if ((m = cli_opt_value(argc, argv, &i, "--timeout", &v)) != 0) {
            if (m < 0)
                goto out;
            char *end;
            errno = 0;
            double t = strtod(v, &end);
            if (end == v || *end || errno || !isfinite(t) || t <= 0 || t > 1e7) {
                cli_error("invalid value '%s' for --timeout: expected seconds > 0", v);
                goto out;
            }
            spec.timeout = t;
        } else {
            cli_error("unknown option '%s' (see 'perfcmp run --help')", a);
            goto out;
        }
        i++;    /* past the option, or past its separate value */
    }
    if (i >= argc) {
        cli_error("no benchmark binary given (usage: perfcmp run [OPTIONS] -- BENCH_BINARY [ARGS...])");
        goto out;
    }
    if (co.against && co.baseline) {
        cli_error("options '--baseline' and '--against' cannot be used together");
        goto out;
    }
    if ((commit && !*commit) || (branch && !*branch)) {
        cli_error("option '%s' needs a value", commit && !*commit ? "--commit" : "--branch");
        goto out;
    }
    spec.cmd = argv + i;
    spec.ncmd = argc - i;
    /* With a machine-readable report on stdout, the binary's table goes to stderr. */
    spec.out = quiet ? OUT_DEVNULL
               : (co.format != REPORT_TEXT && !co.output) ? OUT_STDERR
                                                          : OUT_INHERIT;

    /* The baseline first: a bad one stops us before the binary runs. */
    if (compare_open_existing_store(ctx, &s) != 0)
        goto out;
    int br = compare_load_baseline(s, &co, &base, &base_label);
    if (br != 0 && br != STORE_NOTFOUND)
        goto out;
    have_baseline = br == 0;

    handlers_install(&old, 0);
    installed = 1;
    rc = run_once(&spec, NULL, 0, "", &cur);
    if (rc != 0)
        goto out;
    rc = EXIT_USAGE;
    if (run_signal) {
        rc = 128 + run_signal;
        goto out;
    }
    if ((commit && results_set_str(&cur.context.git_commit, commit) != 0) ||
        (branch && results_set_str(&cur.context.git_branch, branch) != 0)) {
        cli_error("out of memory");
        goto out;
    }

    /* Judge before storing, so that a bad metric or machine stores nothing. */
    if (have_baseline) {
        if (compare_judge(&co, &base, base_label, &cur, "this run", &rep) != 0)
            goto out;
    } else {
        if (!verdict_run_has_metric(&cur, co.vopt.metric)) {
            cli_error("unknown metric '%s': the run does not have it", co.vopt.metric);
            goto out;
        }
        results_run empty;
        results_run_init(&empty);
        if (verdict_compare(&empty, &cur, &co.vopt, &rep) != 0) {
            cli_error("out of memory");
            goto out;
        }
    }

    /* Last moment to honour an interrupt by recording nothing.  One that
     * arrives from here on finds the run being (or already) stored: it
     * only sets run_signal, and we finish the report, which takes
     * milliseconds, so that exit 128+N always means "nothing recorded"
     * (except for --confirm, below). */
    if (run_signal) {
        rc = 128 + run_signal;
        goto out;
    }
    /* From here an interrupt must not break a system call (SQLite's
     * writes, the report's): the handler only takes note of it. */
    handlers_install(NULL, 1);
    if (!s && cli_open_store(ctx, &s) != 0)
        goto out;
    int64_t id = 0;
    if (store_add_run(s, &cur, note, &id) != 0) {
        cli_error("cannot record the run: %s", store_errmsg(s));
        goto out;
    }
    stored = 1;
    char label[64];
    snprintf(label, sizeof label, "run %lld", (long long)id);
    if (results_set_str(&rep.current_label, label) != 0) {
        cli_error("out of memory");
        goto out;
    }

    FILE *info = (co.format == REPORT_TEXT || co.output) ? stdout : stderr;
    const char *base_name = co.baseline ? co.baseline : BASELINE_DEFAULT_NAME;
    /* The first run of 'run --save-baseline': it becomes the baseline the
     * next run is compared with; say so instead of "no baseline". */
    int first_saved = !have_baseline && save_name && !strcmp(save_name, base_name);
    if (!have_baseline) {
        const char *name = base_name;
        if (first_saved)
            fprintf(info, "first run: no baseline '%s' to compare with yet; recorded run %lld "
                          "and saving it as baseline '%s'\n", name, (long long)id, name);
        else if (save_name)
            fprintf(info, "no baseline '%s' yet: recorded run %lld\n", name, (long long)id);
        else
            fprintf(info, "no baseline '%s' yet: recorded run %lld; save one with 'perfcmp baseline save'\n",
                    name, (long long)id);
        results_set_str(&rep.baseline_label, "no baseline");
    } else if (confirm_n > 0 && (rep.counts[VERDICT_REGRESSED] || rep.counts[VERDICT_INCONCLUSIVE])) {
        handlers_install(NULL, 0);      /* waits for re-runs must break */
        int cr = confirm(&spec, &base, &co.vopt, confirm_n, &rep);
        handlers_install(NULL, 1);
        if (cr != 0) {
            fprintf(stderr, "run %lld was recorded; its confirmation did not finish\n", (long long)id);
            rc = cr;
            goto out;
        }
    }

    /* The final verdicts against the run-to-run noise of the history
     * (the runs before this one). */
    if (have_baseline && compare_apply_history(&co, s, &cur, id, &rep) != 0) {
        fprintf(stderr, "run %lld was recorded\n", (long long)id);
        goto out;
    }
    if (save_name) {
        fflush(info);       /* our lines before the one on stderr */
        if (baseline_save_run(s, save_name, co.baseline_dir, id, stderr) != 0) {
            fprintf(stderr, "run %lld was recorded\n", (long long)id);
            goto out;
        }
    }
    /* With nothing to compare with, a text table of 'new' rows says
     * nothing the bench binary's own table did not: one line instead,
     * unless a benchmark failed (those rows, and exit 1, must show). */
    if (!have_baseline && co.format == REPORT_TEXT && !co.output &&
        rep.counts[VERDICT_FAILED] == 0) {
        size_t nb = cur.nbenches;
        if (first_saved)
            printf("%zu benchmark%s recorded; the next run will be compared with baseline '%s'\n",
                   nb, nb == 1 ? "" : "s", base_name);
        else
            printf("%zu benchmark%s recorded, none compared\n", nb, nb == 1 ? "" : "s");
        rc = EXIT_OK;
        goto out;
    }
    rc = compare_emit(&co, &rep, ctx ? ctx->color : 0);
out:
    /* Once a run is stored, our handlers stay until the process exits: a
     * signal in the last microseconds (closing the store, returning from
     * main) must not kill us with 128+N after the run was recorded. */
    if (installed && !stored)
        handlers_restore(&old);
    verdict_report_release(&rep);
    results_run_release(&base);
    results_run_release(&cur);
    free(base_label);
    store_close(s);
    compare_opts_release(&co);
    return rc;
}
