/*
 * report.h - writers of a verdict_report: an aligned text table (coloured
 * on a terminal), JSON, JUnit XML and Markdown (docs/verdicts.md shows
 * each); and, at the end, the option handling that `perfcmp compare` and
 * `perfcmp run` share (implemented in cmd_compare.c).
 *
 * The writers only read the report.  They return 0, or -1 when writing
 * fails (errno set) or memory runs out.
 */
#ifndef PERFCMP_REPORT_H
#define PERFCMP_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include "cli.h"
#include "verdict.h"

typedef enum report_format {
    REPORT_TEXT = 0,
    REPORT_JSON,
    REPORT_JUNIT,
    REPORT_MARKDOWN
} report_format;

/* The formats' names in the enum's order, NULL-terminated. */
extern const char *const report_format_names[];

/* "text", "json", "junit", "markdown" -> *OUT.  0, or -1 for another name. */
int report_format_parse(const char *name, report_format *out);

/*
 * The summary line: "2 regressed, 1 improved, 40 unchanged" (zero counts
 * left out; "nothing to compare" when there are no rows) into BUF[LEN].
 * Returns BUF.
 */
char *report_summary(const verdict_report *r, char *buf, size_t len);

/* Writes R to F in FMT; COLOR (text only) adds ANSI colours. */
int report_write(FILE *f, const verdict_report *r, report_format fmt, int color);

/* The JSON form as a cJSON-printed string the caller frees; NULL on ENOMEM. */
char *report_json(const verdict_report *r);

/* Writes R in FMT to PATH atomically (a temporary file in the same
 * directory, then rename).  Returns 0, or -1 with errno set; PATH is then
 * untouched. */
int report_write_file(const char *path, const verdict_report *r, report_format fmt);

/* Formats VALUE in UNIT with an adaptive scale ("1.23 us", "4.0 MiB",
 * "1.5M items/s") into BUF[LEN]; "-" for NAN.  Returns BUF. */
char *report_format_value(double value, const char *unit, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Shared by cmd_compare.c and cmd_run.c (implemented in cmd_compare.c) */
/* ------------------------------------------------------------------ */

typedef struct compare_opts {
    verdict_options vopt;       /* threshold(s), metric, alpha, fail_on_improvement */
    report_format format;
    const char *output;         /* -o FILE, or NULL (stdout) */
    int strict_machine;
    const char *baseline;       /* --baseline NAME|FILE, or NULL: "default" */
    const char *against;        /* --against RUN, or NULL */
    const char *baseline_dir;   /* --baseline-dir DIR, or NULL: "baselines" */
    int check_baseline;         /* compare_load_baseline warns when the baseline is
                                   suspect (baseline_check.h); 1 from compare_opts_init */
} compare_opts;

void compare_opts_init(compare_opts *co);
void compare_opts_release(compare_opts *co);

/*
 * Tries to consume the compare option at ARGV[*I] (and its value, either
 * "--opt=VALUE" or "--opt VALUE").  Returns 1 and advances *I when it was
 * one; 0 when ARGV[*I] is not a compare option; EXIT_USAGE after printing
 * one error line when its value is bad.
 */
int compare_parse_option(compare_opts *co, int argc, char **argv, int *i);

/*
 * Opens the database named by CTX only when its file exists, so that
 * reading commands never create one.  Returns 0 with *S set (NULL when
 * there is no database), or EXIT_USAGE after printing one error line.
 */
int compare_open_existing_store(const cli_ctx *ctx, store **s);

/*
 * Loads the baseline CO names (--against RUN from S, else --baseline
 * NAME|FILE or "default", store first then DIR/NAME.json) into OUT
 * (initialised, empty) and sets *LABEL (malloc'd, caller frees) to a
 * description such as "baseline 'default' (run 3)".  S may be NULL (no
 * database).  With co->check_baseline, a baseline (not a run of
 * --against) is checked for suspect benchmarks (baseline_check), and the
 * warnings are kept for compare_judge to print.  Returns 0; STORE_NOTFOUND when the named baseline
 * exists nowhere (nothing printed; *LABEL names it); EXIT_USAGE after
 * printing one error line.
 */
int compare_load_baseline(store *s, const compare_opts *co, results_run *out, char **label);
/* compare_load_baseline with the baseline file's parse already started
 * (PRE, from cli_results_prefetch_start on the same name; may be NULL):
 * finishes it instead of reading the file again, and frees PRE either way. */
int compare_load_baseline_pre(store *s, const compare_opts *co, cli_results_prefetch *pre,
                              results_run *out, char **label);

/*
 * Compares CURRENT with BASELINE into REP (initialised, empty) and fills
 * its labels and machines; prints the warnings compare_load_baseline kept
 * about a suspect baseline; warns on stderr when the machines differ, or
 * with --strict-machine prints an error.  Returns 0, or EXIT_USAGE after
 * printing one error line (REP is then released).
 */
int compare_judge(const compare_opts *co, const results_run *baseline, const char *base_label,
                  const results_run *current, const char *cur_label, verdict_report *rep);

/*
 * The run-to-run noise check (docs/verdicts.md): for each `regressed` or
 * `improved` row of REP, the medians of its benchmark and metric in the
 * last co->vopt.noise_runs runs of S on CURRENT's machine (runs before
 * CURRENT_ID when it is > 0: a stored current run is not its own history)
 * give verdict_noise_spread, and verdict_apply_noise demotes the row to
 * `inconclusive` when unchanged code has moved as much.  Does nothing when
 * S is NULL or noise_runs is 0.  Returns 0 (REP recounted), or EXIT_USAGE
 * after printing one error line.
 */
int compare_apply_history(const compare_opts *co, store *s, const results_run *current,
                          int64_t current_id, verdict_report *rep);

/*
 * Writes REP as CO asks: to -o FILE in --format (then the text table on
 * stdout too), else to stdout in --format.  COLOR applies to text on a
 * terminal.  Returns REP's exit status, or EXIT_USAGE after printing one
 * error line when the report cannot be written.
 */
int compare_emit(const compare_opts *co, const verdict_report *rep, int color);

#endif
