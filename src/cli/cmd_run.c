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
 *
 * Judging, storing, confirming and reporting are record_judge.c's, shared
 * with `perfcmp exec`; spawning the child with interrupts forwarded is
 * child.c's.
 */
#include "commands.h"
#include "baseline_file.h"
#include "child.h"
#include "import.h"
#include "record_judge.h"
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
          "                          and write DIR/NAME.json; warns, as 'baseline\n"
          "                          save' does, when the run is a suspect baseline\n"
          "  --confirm N             re-run regressed or inconclusive benchmarks up to\n"
          "                          N times; a regression must persist in every re-run\n"
          "  --confirm-delay SECONDS wait this long before a re-run that confirms a\n"
          "                          regression (default 0), so that a slow phase of\n"
          "                          the machine has passed\n"
          "  --timeout SECONDS       stop the binary (SIGTERM, then SIGKILL 2 s later)\n"
          "                          when a run takes longer; nothing is recorded, exit 2\n"
          "and every option of 'perfcmp compare': --baseline, --against, --baseline-dir,\n"
          "--threshold, --metric-threshold, --metric, --no-complexity, --alpha, --noise-runs,\n"
          "--fail-on-improvement, --format, -o, --strict-machine.  Like compare, warns\n"
          "on stderr when the baseline is suspect (docs/cli.md, 'A suspect baseline').\n"
          "\n"
          "Exit status: 0 no regression (or no baseline yet), 1 regression or failed\n"
          "benchmark, 2 bad usage, a binary that crashed or wrote no valid results\n"
          "(nothing is recorded), 128+N when interrupted by signal N.\n",
          f);
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
    child_opts child;           /* its output and timeout (seconds for one run; 0: no limit) */
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

    int sr = child_spawn_wait(argv, &spec->child, &status, NULL);
    if (sr == -2) {
        rc = 128 + child_signal();
        goto out;
    }
    if (sr == -3) {
        cli_error("%s'%s' did not finish within %g s (--timeout) and was killed", what, bin,
                  spec->child.timeout);
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

/* record_judge_rerun_fn for --confirm: the binary again with one --filter
 * per benchmark. */
static int rerun(void *arg, char *const *names, size_t n, const char *what, results_run *out)
{
    char **filters = calloc(n ? n : 1, sizeof *filters);
    int rc = EXIT_USAGE;
    if (!filters) {
        cli_error("out of memory");
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        filters[i] = filter_arg(names[i]);
        if (!filters[i]) {
            cli_error("out of memory");
            goto out;
        }
    }
    rc = run_once(arg, filters, n, what, out);
out:
    for (size_t i = 0; i < n; i++)
        free(filters[i]);
    free(filters);
    return rc;
}

/* --- the command ----------------------------------------------------------- */

int cmd_run(int argc, char **argv, cli_ctx *ctx)
{
    compare_opts co;
    record_judge_spec rj = { 0 };
    int quiet = 0, have_baseline = 0;
    run_spec spec = { NULL, 0, { .out = CHILD_OUT_INHERIT } };
    store *s = NULL;
    results_run base, cur;
    char *base_label = NULL;
    child_handlers old;
    int rc = EXIT_USAGE, installed = 0, stored = 0;

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
        if ((m = record_judge_parse_option(&rj, argc, argv, &i, RUN_MAX_CONFIRM)) == EXIT_USAGE)
            goto out;
        if (m == 1) {
            i++;
            continue;
        }
        const char *v = NULL;
        if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
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
            spec.child.timeout = t;
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
    if (record_judge_check_options(&rj) != 0)
        goto out;
    spec.cmd = argv + i;
    spec.ncmd = argc - i;
    /* With a machine-readable report on stdout, the binary's table goes to stderr. */
    spec.child.out = quiet ? CHILD_OUT_DEVNULL
                     : (co.format != REPORT_TEXT && !co.output) ? CHILD_OUT_STDERR
                                                                : CHILD_OUT_INHERIT;

    /* The baseline first: a bad one stops us before the binary runs. */
    if (compare_open_existing_store(ctx, &s) != 0)
        goto out;
    int br = compare_load_baseline(s, &co, &base, &base_label);
    if (br != 0 && br != STORE_NOTFOUND)
        goto out;
    have_baseline = br == 0;

    child_handlers_install(&old, 0);
    installed = 1;
    rc = run_once(&spec, NULL, 0, "", &cur);
    if (rc != 0)
        goto out;
    rc = EXIT_USAGE;
    if (child_signal()) {
        rc = 128 + child_signal();
        goto out;
    }
    rj.co = &co;
    rj.rerun = rerun;
    rj.rerun_arg = &spec;
    rc = record_judge(&rj, ctx, &s, &base, base_label, have_baseline, &cur, &stored);
out:
    /* Once a run is stored, our handlers stay until the process exits: a
     * signal in the last microseconds (closing the store, returning from
     * main) must not kill us with 128+N after the run was recorded. */
    if (installed && !stored)
        child_handlers_restore(&old);
    results_run_release(&base);
    results_run_release(&cur);
    free(base_label);
    store_close(s);
    compare_opts_release(&co);
    return rc;
}
