/*
 * baseline_check.h - the warnings about a suspect baseline, printed when
 * a baseline is saved (`baseline save`, `run --save-baseline`) and when
 * `compare` and `run` judge against one (docs/cli.md, "A suspect
 * baseline").  The rules are core/suspect.h's; this reads the history
 * from the store and words the warnings.
 */
#ifndef PERFCMP_BASELINE_CHECK_H
#define PERFCMP_BASELINE_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"
#include "verdict.h"

/*
 * Checks each ok benchmark of BASE (a baseline, run BASE_ID in S when > 0,
 * else read from a file) for metric O->metric (wall_time when it is
 * "all"), at the threshold O gives it: its processes' spread
 * (suspect_check_spread; not for a baseline merged by `baseline save
 * --runs`, whose runs were checked when it was saved) and its distance
 * from its history in S (suspect_check_history: the newest
 * SUSPECT_HISTORY_RUNS runs other than BASE_ID, of BASE's branch and
 * machine; S may be NULL: no history).  Prints on stderr one warning
 * line per suspect benchmark, naming LABEL ("baseline 'default' (run
 * 3)"), then a summary that suggests `perfcmp baseline save [NAME]
 * --last=5` (NAME: the baseline's name, NULL when it is a file given by
 * path).  Prints nothing when nothing is suspect.  A store that cannot
 * be read, or memory running out, stops the check with one warning line:
 * it never fails a command.  With LATER, the lines are kept instead and
 * printed by baseline_check_flush(), so that a command that fails before
 * it judges (a bench binary that does not run) prints only its error
 * line.  Returns the number of suspect benchmarks.
 */
size_t baseline_check(store *s, const results_run *base, int64_t base_id, const char *label,
                      const char *name, const verdict_options *o, int later);

/* Prints on stderr, and forgets, the lines baseline_check kept for later;
 * does nothing when there are none.  Cannot fail. */
void baseline_check_flush(void);

#endif
