/*
 * output.h - what a bench binary prints: a progress line on stderr (only
 * on a terminal) and the results table on stdout.
 */
#ifndef PERFCMP_LIB_OUTPUT_H
#define PERFCMP_LIB_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include "../core/results.h"

/* A sample shorter than this many times the clock's resolution, or than
 * the per-sample target divided by OUTPUT_SHORT_FACTOR, is too short to
 * trust. */
#define OUTPUT_SHORT_RESOLUTIONS 1000.0
#define OUTPUT_SHORT_FACTOR 10.0

typedef struct output {
    FILE *table;            /* NULL: no table */
    FILE *progress;         /* NULL: no progress line */
    int color;              /* colour the status column */
    int name_width;
    size_t total;           /* instances to run */
    size_t index;           /* 1-based instance being run */
    const char *name;
    size_t progress_len;    /* characters of the progress line shown */
    int header_done;
    double target_ns;       /* per-sample target of the row about to be printed
                               (sample_target_ns), set by the caller; 0: unknown,
                               and then no note on short samples */
} output;

/*
 * Sets up O for TOTAL instances whose longest name has NAME_WIDTH
 * characters.  QUIET disables everything; otherwise the table goes to
 * stdout and the progress line to stderr when it is a terminal; colour
 * when stdout is a terminal, TERM is not "dumb" and NO_COLOR is unset or
 * empty.  Never fails.
 */
void output_init(output *o, int quiet, int name_width, size_t total);

/* Shows "[I/N] NAME  ELAPSED" as the progress line. */
void output_progress(output *o, size_t index, const char *name, double elapsed);

/* Erases the progress line. */
void output_clear_progress(output *o);

/*
 * Prints the table row of B (with the header before the first row): the
 * status gets "(leaks 104 B/iter)" when the heap pass saw the loop's heap
 * grow, and lines indented by two spaces follow: "samples too short to
 * trust: ..." when o->target_ns is set and a sample (the median one,
 * with the loop's own cost) lasted under OUTPUT_SHORT_RESOLUTIONS times
 * the clock's resolution or under the target by more than
 * OUTPUT_SHORT_FACTOR times; latency percentiles, callgrind instructions
 * and perf counters when B has them.
 */
void output_row(output *o, const results_bench *b);

/* Prints one line "  TEXT" (formatted) in the table, e.g. a reason why a
 * metric was not measured. */
void output_note(output *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints one line "TEXT" (formatted) in the table, not indented. */
void output_line(output *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formats a count (allocations, instructions per iteration): "0", "3",
 * "2.5", "12345", "4.560M" into BUF. */
void output_count(double v, char *buf, size_t len);

/* Prints the closing line: counts by status and the total time. */
void output_summary(output *o, const results_run *run, double seconds);

/* Formats NS nanoseconds with an adaptive unit ("1.234 us") into BUF. */
void output_time(double ns, char *buf, size_t len);
/* Formats BYTES as "1.5 MiB" into BUF. */
void output_bytes(double bytes, char *buf, size_t len);
/* Formats a rate: "2.10 GiB/s" (BYTES != 0) or "3.45 M/s" into BUF. */
void output_rate(double per_second, int bytes, char *buf, size_t len);

#endif
