/*
 * cmd_compare.c - `perfcmp compare [RUN|FILE] [--baseline NAME|FILE |
 * --against RUN] [OPTIONS]`: judges a run against a baseline and exits 1
 * on a regression (docs/verdicts.md, docs/cli.md).
 *
 * Also the option handling shared with `perfcmp run` (report.h).
 */
#include "commands.h"
#include "baseline_check.h"
#include "baseline_file.h"
#include "report.h"
#include "verdict.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: perfcmp compare [RUN|FILE] [--baseline NAME|FILE | --against RUN] [OPTIONS]\n"
          "\n"
          "Compares a run (default: the latest recorded; or a result file) with a\n"
          "baseline (default: 'default', from the database, else baselines/default.json).\n"
          "\n"
          "Options:\n"
          "  --baseline NAME|FILE   baseline name or baseline/result file\n"
          "  --against RUN          compare with a stored run instead of a baseline\n"
          "  --baseline-dir DIR     where baseline files live (default: baselines)\n"
          "  --threshold PCT        change that counts (default 20%; 2.5% works)\n"
          "  --threshold GLOB:PCT   threshold for benchmarks matching GLOB (repeatable,\n"
          "                         the last matching one wins)\n"
          "  --metric-threshold NAME=PCT\n"
          "                         threshold of metric NAME (repeatable); metrics with\n"
          "                         their own default (instructions 1%, allocs 0%, ...,\n"
          "                         docs/metrics.md) do not follow --threshold\n"
          "  --metric NAME          wall_time (default), cpu_time, peak_rss, any stored\n"
          "                         metric, or all\n"
          "  --no-complexity        no complexity rows (by default each family with one\n"
          "                         argument and 4 sizes or more gets its complexity\n"
          "                         class compared when wall_time is)\n"
          "  --alpha P              significance level of the Mann-Whitney U test (0.01)\n"
          "  --noise-runs N         judge a change against the run-to-run noise of the\n"
          "                         benchmark's last N runs on this machine (default 30;\n"
          "                         0: off); within 3 sd of it, a change is inconclusive\n"
          "  --fail-on-improvement  exit 1 on improvements too\n"
          "  --format FMT           text (default), json, junit, markdown\n"
          "  -o, --output FILE      write the report to FILE (the table still goes to stdout)\n"
          "  --strict-machine       refuse to compare runs from different machines\n"
          "\n"
          "Warns on stderr when the baseline is suspect: its processes disagree beyond\n"
          "their own spread by more than the threshold, or its median lies outside the\n"
          "benchmark's last 20 runs of its branch and machine (docs/cli.md, 'A suspect\n"
          "baseline'); the warnings change no verdict and no exit status.\n"
          "\n"
          "Exit status: 0 no regression, 1 regression or failed benchmark, 2 bad usage\n"
          "or input.\n",
          f);
}

void compare_opts_init(compare_opts *co)
{
    memset(co, 0, sizeof *co);
    verdict_options_init(&co->vopt);
    co->format = REPORT_TEXT;
    co->check_baseline = 1;
}

void compare_opts_release(compare_opts *co)
{
    if (co)
        verdict_options_release(&co->vopt);
}

int compare_parse_option(compare_opts *co, int argc, char **argv, int *i)
{
    const char *v;
    int m;
    const char *a = argv[*i];

    if (!strcmp(a, "--fail-on-improvement")) {
        co->vopt.fail_on_improvement = 1;
        goto taken;
    }
    if (!strcmp(a, "--strict-machine")) {
        co->strict_machine = 1;
        goto taken;
    }
    if (!strcmp(a, "--no-complexity")) {
        co->vopt.no_complexity = 1;
        goto taken;
    }
#define VALUE_OPT(name_, short_)                                            \
    m = cli_opt_value_short(argc, argv, i, name_, short_, &v);              \
    if (m < 0)                                                              \
        return EXIT_USAGE;                                                  \
    if (m > 0)

    VALUE_OPT("--threshold", NULL) {
        int rc = verdict_options_add_threshold(&co->vopt, v);
        if (rc == -2) {
            cli_error("out of memory");
            return EXIT_USAGE;
        }
        if (rc != 0) {
            cli_error("invalid threshold '%s': expected a percentage >= 0 such as 20%% or GLOB:5%%", v);
            return EXIT_USAGE;
        }
        goto taken;
    }
    VALUE_OPT("--metric-threshold", NULL) {
        int rc = verdict_options_add_metric_threshold(&co->vopt, v);
        if (rc == -2) {
            cli_error("out of memory");
            return EXIT_USAGE;
        }
        if (rc != 0) {
            cli_error("invalid metric threshold '%s': expected NAME=PCT such as instructions=2%%", v);
            return EXIT_USAGE;
        }
        goto taken;
    }
    VALUE_OPT("--noise-runs", NULL) {
        char *end;
        errno = 0;
        unsigned long n = strtoul(v, &end, 10);
        if (*v < '0' || *v > '9' || *end || errno || n > 100000) {
            cli_error("invalid value '%s' for '--noise-runs': expected a number of runs, 0 for none", v);
            return EXIT_USAGE;
        }
        co->vopt.noise_runs = (size_t)n;
        goto taken;
    }
    VALUE_OPT("--alpha", NULL) {
        if (verdict_parse_alpha(v, &co->vopt.alpha) != 0) {
            cli_error("invalid alpha '%s': expected a number between 0 and 1 (exclusive)", v);
            return EXIT_USAGE;
        }
        goto taken;
    }
    VALUE_OPT("--metric", NULL) {
        if (!*v) {
            cli_error("invalid metric '': expected a metric name or 'all'");
            return EXIT_USAGE;
        }
        co->vopt.metric = v;
        goto taken;
    }
    VALUE_OPT("--format", NULL) {
        int k = cli_choice("format", v, report_format_names);
        if (k < 0)
            return EXIT_USAGE;
        co->format = (report_format)k;
        goto taken;
    }
    VALUE_OPT("--output", "-o") {
        if (!*v) {
            cli_error("option '-o' needs a file name");
            return EXIT_USAGE;
        }
        co->output = v;
        goto taken;
    }
    VALUE_OPT("--baseline", NULL) {
        if (!*v) {
            cli_error("invalid baseline '': expected a name or a file");
            return EXIT_USAGE;
        }
        co->baseline = v;
        goto taken;
    }
    VALUE_OPT("--against", NULL) {
        co->against = v;
        goto taken;
    }
    VALUE_OPT("--baseline-dir", NULL) {
        co->baseline_dir = v;
        goto taken;
    }
#undef VALUE_OPT
    return 0;
taken:
    (*i)++;     /* past the option, or past its separate value */
    return 1;
}

/* A malloc'd formatted string (caller frees), or NULL on ENOMEM. */
static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *out = malloc((size_t)n + 1);
    if (!out)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return out;
}

/* A command-line word names a file when it is an existing regular file or
 * ends in ".json". */
static int names_file(const char *text)
{
    struct stat st;
    size_t n = strlen(text);
    if (n >= 5 && !strcmp(text + n - 5, ".json"))
        return 1;
    return stat(text, &st) == 0 && S_ISREG(st.st_mode);
}

int compare_load_baseline(store *s, const compare_opts *co, results_run *out, char **label)
{
    return compare_load_baseline_pre(s, co, NULL, out, label);
}

int compare_load_baseline_pre(store *s, const compare_opts *co, cli_results_prefetch *pre,
                              results_run *out, char **label)
{
    char err[1024];
    *label = NULL;
    if (co->against) {
        int64_t id;
        cli_results_prefetch_cancel(pre);
        if (!s) {
            cli_error("no run '%s': no runs recorded yet", co->against);
            return EXIT_USAGE;
        }
        if (cli_parse_run_id(s, co->against, &id) != 0)
            return EXIT_USAGE;
        int rc = store_load_run(s, id, out);
        if (rc != 0)
            return cli_error_run(s, id, rc);    /* "no run 9 in 'DB'", as show says */
        *label = str_printf("run %lld", (long long)id);
        return *label ? 0 : (cli_error("out of memory"), EXIT_USAGE);
    }

    const char *name = co->baseline ? co->baseline : BASELINE_DEFAULT_NAME;
    if (pre || names_file(name)) {
        /* An existing file (even one whose name is also a valid baseline
         * name) or a path ending in .json: read it as a file. */
        if ((pre ? cli_results_prefetch_finish(pre, out)
                 : cli_load_results_file(name, NULL, out)) != 0)
            return EXIT_USAGE;
        *label = str_printf("'%s'", name);
        if (!*label) {
            cli_error("out of memory");
            return EXIT_USAGE;
        }
        if (co->check_baseline)
            baseline_check(s, out, 0, *label, NULL, &co->vopt, 1);
        return 0;
    }
    int64_t run_id = 0;
    int rc = baseline_resolve(s, name, co->baseline_dir, out, &run_id, err, sizeof err);
    if (rc == STORE_NOTFOUND) {
        *label = str_printf("%s", name);
        return *label ? STORE_NOTFOUND : (cli_error("out of memory"), EXIT_USAGE);
    }
    if (rc != 0) {
        cli_error("baseline '%s': %s", name, err);
        return EXIT_USAGE;
    }
    if (run_id > 0) {
        *label = str_printf("baseline '%s' (run %lld)", name, (long long)run_id);
    } else {
        char *path = baseline_file_path(co->baseline_dir, name);
        *label = path ? str_printf("baseline '%s' (%s)", name, path) : NULL;
        free(path);
    }
    if (!*label) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    if (co->check_baseline)
        baseline_check(s, out, run_id, *label, name, &co->vopt, 1);
    return 0;
}

int compare_judge(const compare_opts *co, const results_run *baseline, const char *base_label,
                  const results_run *current, const char *cur_label, verdict_report *rep)
{
    if (!verdict_run_has_metric(current, co->vopt.metric) &&
        !verdict_run_has_metric(baseline, co->vopt.metric)) {
        cli_error("unknown metric '%s': neither %s nor %s has it", co->vopt.metric,
                  cur_label, base_label);
        return EXIT_USAGE;
    }
    /* the baseline's warnings (compare_load_baseline), now that it is judged */
    baseline_check_flush();
    char *bm = store_machine_fingerprint(&baseline->context);
    char *cm = store_machine_fingerprint(&current->context);
    int rc = EXIT_USAGE;
    if (!bm || !cm) {
        cli_error("out of memory");
        goto out;
    }
    /* Instruction counts from callgrind are the same on any machine of the
     * same architecture: only a different architecture matters then, and
     * a different build is worth a word. */
    int only_instructions = !strcmp(co->vopt.metric, "instructions");
    if (only_instructions && strcmp(bm, cm) != 0 &&
        !strcmp(baseline->context.arch ? baseline->context.arch : "",
                current->context.arch ? current->context.arch : "")) {
        const char *bc = baseline->context.compiler ? baseline->context.compiler : "unknown";
        const char *cc = current->context.compiler ? current->context.compiler : "unknown";
        const char *bf = baseline->context.cflags ? baseline->context.cflags : "";
        const char *cf = current->context.cflags ? current->context.cflags : "";
        if (strcmp(bc, cc) != 0 || strcmp(bf, cf) != 0)
            cli_warn("comparing instruction counts of different builds: '%s %s' vs '%s %s'",
                     bc, bf, cc, cf);
    } else if (strcmp(bm, cm) != 0) {
        if (co->strict_machine) {
            cli_error("comparing runs from different machines: '%s' vs '%s'", bm, cm);
            goto out;
        }
        cli_warn("comparing runs from different machines: '%s' vs '%s'", bm, cm);
    }
    if (verdict_compare(baseline, current, &co->vopt, rep) != 0) {
        cli_error("out of memory");
        goto out;
    }
    rep->machines_differ = strcmp(bm, cm) != 0;
    rep->baseline_machine = bm;
    rep->current_machine = cm;
    bm = cm = NULL;
    if (results_set_str(&rep->baseline_label, base_label) != 0 ||
        results_set_str(&rep->current_label, cur_label) != 0) {
        cli_error("out of memory");
        verdict_report_release(rep);
        goto out;
    }
    rc = 0;
out:
    free(bm);
    free(cm);
    return rc;
}

/* The medians of ROW's benchmark and metric in the last N runs of S on
 * MACHINE before CURRENT_ID (any when 0) into *MED, and what code each
 * ran into *BUILDS (store_point.build, NULL when unknown), both malloc'd
 * (history_free), oldest first.  0, or EXIT_USAGE after printing one error
 * line. */
static int history_medians(store *s, const verdict_row *row, const char *machine, size_t n,
                           int64_t current_id, double **med, char ***builds, size_t *nmed)
{
    store_filter f = { n + 1, NULL, machine };
    store_point *pts = NULL;
    size_t np = 0;
    *med = NULL;
    *builds = NULL;
    *nmed = 0;
    int r = store_history(s, row->bench, row->metric, &f, &pts, &np);
    if (r == STORE_NOTFOUND)
        return 0;
    if (r != 0) {
        cli_error("cannot read the history of '%s': %s", row->bench, store_errmsg(s));
        return EXIT_USAGE;
    }
    if (np && (!(*med = malloc(np * sizeof **med)) || !(*builds = calloc(np, sizeof **builds)))) {
        store_points_free(pts, np);
        free(*med);
        *med = NULL;
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    for (size_t j = 0; j < np; j++)
        if ((current_id <= 0 || pts[j].run_id < current_id) && pts[j].status == RESULTS_OK) {
            (*builds)[*nmed] = pts[j].build;    /* moved */
            pts[j].build = NULL;
            (*med)[(*nmed)++] = pts[j].summary.median;
        }
    if (*nmed > n) {        /* the newest N */
        for (size_t j = 0; j < *nmed - n; j++)
            free((*builds)[j]);
        memmove(*med, *med + (*nmed - n), n * sizeof **med);
        memmove(*builds, *builds + (*nmed - n), n * sizeof **builds);
        *nmed = n;
    }
    store_points_free(pts, np);
    return 0;
}

static void history_free(double *med, char **builds, size_t n)
{
    for (size_t j = 0; builds && j < n; j++)
        free(builds[j]);
    free(builds);
    free(med);
}

/* Adds WORDS to ROW's note ("NOTE; WORDS").  0, or -1 on ENOMEM. */
static int add_note(verdict_row *row, const char *words)
{
    char buf[512];
    if (!row->note)
        return verdict_row_set_note(row, words);
    snprintf(buf, sizeof buf, "%s; %s", row->note, words);
    return verdict_row_set_note(row, buf);
}

int compare_apply_history(const compare_opts *co, store *s, const results_run *current,
                          int64_t current_id, verdict_report *rep)
{
    if (!s || co->vopt.noise_runs == 0)
        return 0;
    char *machine = store_machine_fingerprint(&current->context);
    if (!machine) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    int rc = 0;
    for (size_t i = 0; i < rep->nrows && rc == 0; i++) {
        verdict_row *row = &rep->rows[i];
        if ((row->kind != VERDICT_REGRESSED && row->kind != VERDICT_IMPROVED) ||
            row->threshold_only || !row->metric ||
            !strcmp(row->metric, VERDICT_COMPLEXITY_METRIC))
            continue;
        double *med, spread;
        char **builds;
        size_t nmed, npairs = 0;
        rc = history_medians(s, row, machine, co->vopt.noise_runs, current_id, &med, &builds,
                             &nmed);
        int r = rc == 0 && nmed ? verdict_noise_spread_builds(med, (const char *const *)builds,
                                                              nmed, &spread, &npairs)
                                : 1;
        if (rc == 0 && r == 0 && verdict_apply_noise(row, spread, npairs, VERDICT_NOISE_Z) < 0)
            r = -1;
        if (rc == 0 && r == 1 && nmed >= VERDICT_NOISE_MIN_RUNS) {
            /* a history deep enough, but not of repeated runs of one build:
             * its spread would count changes of code as noise */
            char note[200];
            snprintf(note, sizeof note,
                     "no noise check: %zu of the last %zu runs repeat a build (%u needed)",
                     npairs, nmed, VERDICT_NOISE_MIN_RUNS - 1);
            if (add_note(row, note) != 0)
                r = -1;
        }
        if (rc == 0 && r < 0) {
            cli_error("out of memory");
            rc = EXIT_USAGE;
        }
        history_free(med, builds, nmed);
    }
    free(machine);
    verdict_recount(rep);
    return rc;
}

int compare_emit(const compare_opts *co, const verdict_report *rep, int color)
{
    if (co->output) {
        if (report_write_file(co->output, rep, co->format) != 0) {
            cli_error("cannot write '%s': %s", co->output, strerror(errno));
            return EXIT_USAGE;
        }
        if (report_write(stdout, rep, REPORT_TEXT, color) != 0 || fflush(stdout) != 0) {
            cli_error("cannot write the report: %s", strerror(errno));
            return EXIT_USAGE;
        }
        return rep->exit_status;
    }
    if (report_write(stdout, rep, co->format, color && co->format == REPORT_TEXT) != 0 ||
        fflush(stdout) != 0) {
        cli_error("cannot write the report: %s", strerror(errno));
        return EXIT_USAGE;
    }
    return rep->exit_status;
}

int compare_open_existing_store(const cli_ctx *ctx, store **s)
{
    struct stat st;
    const char *path = store_default_path(ctx ? ctx->db : NULL);
    *s = NULL;
    if (!store_is_server(path) && stat(path, &st) != 0 && errno == ENOENT)
        return 0;
    return cli_open_store(ctx, s);
}

int cmd_compare(int argc, char **argv, cli_ctx *ctx)
{
    compare_opts co;
    const char *what = NULL;
    store *s = NULL;
    results_run base, cur;
    verdict_report rep;
    char *base_label = NULL, *cur_label = NULL;
    int64_t cur_id = 0;     /* the current run's id when it is a stored one */
    cli_results_prefetch *pre = NULL;
    int rc = EXIT_USAGE;

    compare_opts_init(&co);
    results_run_init(&base);
    results_run_init(&cur);
    verdict_report_init(&rep);

    for (int i = 1; i < argc;) {
        const char *a = argv[i];
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
        if (a[0] == '-' && a[1] != '\0') {
            cli_error("unknown option '%s' (see 'perfcmp compare --help')", a);
            goto out;
        }
        if (what) {
            cli_error("too many arguments: '%s' (see 'perfcmp compare --help')", a);
            goto out;
        }
        what = a;
        i++;
    }
    if (co.against && co.baseline) {
        cli_error("options '--baseline' and '--against' cannot be used together");
        goto out;
    }

    if (compare_open_existing_store(ctx, &s) != 0)
        goto out;

    /* A baseline file is parsed in a thread of its own while the current
     * run is read from the store: for big files the two longest serial
     * steps.  Not while another file is parsed: both files would be
     * mapped at once (10,000 x 10 benchmarks: 131 MB at the peak instead
     * of 85 MB). */
    const char *bname = co.baseline ? co.baseline : BASELINE_DEFAULT_NAME;
    if (!co.against && s && !(what && (names_file(what) || !strcmp(what, "-"))) &&
        names_file(bname))
        pre = cli_results_prefetch_start(bname, NULL);

    /* The current run. */
    if (what && (names_file(what) || !strcmp(what, "-"))) {
        if (cli_load_results_file(what, NULL, &cur) != 0)
            goto out;
        cur_label = str_printf("'%s'", what);
    } else {
        int64_t id;
        if (!s) {
            if (what)
                cli_error("no run '%s': no runs recorded yet", what);
            else
                cli_error("no runs recorded yet");
            goto out;
        }
        if (cli_parse_run_id(s, what ? what : "latest", &id) != 0)
            goto out;
        int lr = store_load_run(s, id, &cur);
        if (lr != 0) {
            cli_error_run(s, id, lr);
            goto out;
        }
        cur_label = str_printf("run %lld", (long long)id);
        cur_id = id;
    }
    if (!cur_label) {
        cli_error("out of memory");
        goto out;
    }

    int br = compare_load_baseline_pre(s, &co, pre, &base, &base_label);
    pre = NULL;     /* compare_load_baseline_pre took it */
    if (br == STORE_NOTFOUND) {
        const char *name = co.baseline ? co.baseline : BASELINE_DEFAULT_NAME;
        char *path = baseline_file_path(co.baseline_dir, name);
        cli_error("no baseline '%s' in the database nor '%s' (save one with 'perfcmp baseline save')",
                  name, path ? path : name);
        free(path);
        goto out;
    }
    if (br != 0)
        goto out;

    if (compare_judge(&co, &base, base_label, &cur, cur_label, &rep) != 0 ||
        compare_apply_history(&co, s, &cur, cur_id, &rep) != 0)
        goto out;
    rc = compare_emit(&co, &rep, ctx ? ctx->color : 0);
out:
    cli_results_prefetch_cancel(pre);
    verdict_report_release(&rep);
    results_run_release(&base);
    results_run_release(&cur);
    free(base_label);
    free(cur_label);
    store_close(s);
    compare_opts_release(&co);
    return rc;
}
