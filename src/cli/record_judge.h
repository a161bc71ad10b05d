/*
 * record_judge.h - what `perfcmp run` and `perfcmp exec` do with a run
 * they have just measured: judge it against the baseline, store it,
 * settle doubtful rows with re-runs (--confirm), apply the run-to-run
 * noise of the history, save it as a baseline (--save-baseline) and
 * print the report.  docs/cli.md ("perfcmp run") describes the output.
 *
 * The caller measures; the re-runs of --confirm go back to it through a
 * callback, since only it knows how to measure a benchmark again.
 */
#ifndef PERFCMP_RECORD_JUDGE_H
#define PERFCMP_RECORD_JUDGE_H

#include <stddef.h>
#include "cli.h"
#include "report.h"

/*
 * Measures the benchmarks NAMES[N] again into OUT (initialised, empty),
 * for re-run WHAT ("re-run 2: ", to open an error message).  Returns 0;
 * EXIT_USAGE after printing one error line; or 128+signal when
 * interrupted (nothing printed).  A benchmark it did not measure may be
 * absent from OUT.
 */
typedef int (*record_judge_rerun_fn)(void *arg, char *const *names, size_t n, const char *what,
                                     results_run *out);

typedef struct record_judge_spec {
    const compare_opts *co;     /* the compare options (not owned) */
    const char *commit;         /* --commit, --branch, --note, or NULL */
    const char *branch;
    const char *note;
    const char *save_name;      /* --save-baseline NAME, or NULL */
    unsigned confirm;           /* --confirm N, 0: none */
    double confirm_delay;       /* --confirm-delay SECONDS before each re-run, 0: none */
    record_judge_rerun_fn rerun;/* measures again for --confirm */
    void *rerun_arg;
} record_judge_spec;

/*
 * The options that `perfcmp run` and `perfcmp exec` share for recording:
 * --save-baseline[=NAME], --commit SHA, --branch NAME, --note TEXT,
 * --confirm N (0 to MAX_CONFIRM) and --confirm-delay SECONDS (0 to 3600).  Call it with ARGV[*I] an option; it
 * fills the matching field of SPEC (values point into ARGV).  Returns 1
 * when ARGV[*I] was one of them (*I then at its last word: the caller
 * steps past it), 0 when it was not (nothing changed), or EXIT_USAGE
 * after printing one error line naming the option and the value.
 */
int record_judge_parse_option(record_judge_spec *spec, int argc, char **argv, int *i,
                              unsigned max_confirm);

/*
 * The checks of those options once all are read: --commit and --branch
 * given as empty strings are refused.  Returns 0, or EXIT_USAGE after
 * printing one error line.
 */
int record_judge_check_options(const record_judge_spec *spec);

/*
 * Judges CUR (the run just measured; its commit and branch are set from
 * SPEC) against BASE labelled BASE_LABEL when HAVE_BASELINE (else every
 * row is new), then stores it in *S (opened from CTX when NULL; the
 * caller closes it), settles it and prints the report as `perfcmp run`
 * does.  Call it with child.h's handlers installed: an interrupt before
 * storing returns 128+signal with nothing stored; from storing on, the
 * handlers only take note (SA_RESTART) and stay so.  Sets *STORED to 1
 * once the run is stored.  Returns the report's exit status (EXIT_OK,
 * EXIT_REGRESSION), EXIT_USAGE after printing one error line (followed by
 * "run N was recorded" when it was), or 128+signal.  Allocates nothing
 * that outlives the call.
 */
int record_judge(const record_judge_spec *spec, const cli_ctx *ctx, store **s,
                 const results_run *base, const char *base_label, int have_baseline,
                 results_run *cur, int *stored);

#endif
