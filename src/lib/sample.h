/*
 * sample.h - measuring one benchmark instance in the current process:
 * warm-up, calibration of the iterations per sample, the cost of the
 * measured loop itself, and the samples.
 */
#ifndef PERFCMP_LIB_SAMPLE_H
#define PERFCMP_LIB_SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <perfcmp.h>
#include "measure.h"

#define SAMPLE_DEFAULT_SAMPLES 30
#define SAMPLE_DEFAULT_MIN_TIME 0.5
/* Most iterations calibration chooses for one sample. */
#define SAMPLE_MAX_ITERATIONS 1000000000ull
/* Runs of the empty loop whose median is the loop's cost. */
#define SAMPLE_OVERHEAD_RUNS 5

typedef struct sample_opts {
    int samples;             /* >= 1 */
    double min_time;         /* seconds for all samples together, > 0 */
    uint64_t iterations;     /* fixed iterations per sample; 0 calibrates */
    int threads;             /* run the body in this many threads (0 or 1: one) */
    int latency;             /* .latency: every iteration is one timed operation */
    int heap;                /* the heap pass after the samples */
    unsigned counters;       /* INSTR_MASK bits of the perf counters to read in
                                every sample; 0: none */
    int hw_instructions;     /* name the perf instruction count "hw_instructions"
                                (--instr owns "instructions") */
} sample_opts;

/*
 * Measures FN with ARGS into M (initialised, empty):
 *  - wall_time and cpu_time (ns per iteration, loop overhead subtracted,
 *    one value per sample), bytes_per_second / items_per_second when the
 *    body set them, the body's counters;
 *  - with O->counters, one metric per counter that opened (per iteration,
 *    the empty loop's count subtracted, one value per sample);
 *  - in latency mode (O->latency, or a body that calls perfcmp_op_*):
 *    latency_p50/p90/p99/p999/max, success_rate, ops_per_second,
 *    ops_total, duration (one value per sample);
 *  - with O->heap, when heap accounting works in this process: allocs,
 *    alloc_bytes, leaked_bytes (per iteration) and peak_heap (of the whole
 *    loop) from one extra run after the samples (one value each);
 *  - peak_rss (one value, getrusage of this process).
 * With O->threads = N > 1 the body runs in N threads with N iterations
 * each: times are the slowest thread's, counts are totals, both divided
 * by the iterations of one thread.  A failure of the body (perfcmp_fail,
 * misuse) sets M's status to MEASURE_FAILED with its message and drops
 * the metrics.  Returns 0, or -1 on ENOMEM.
 */
int sample_run(perfcmp_fn fn, const long long *args, size_t nargs, const sample_opts *o,
               measure *m);

/* The runs of sample_callgrind, each dumped as one callgrind part in this
 * order: the empty loop with N and 2N iterations, the body with N and 2N. */
#define SAMPLE_CALLGRIND_PARTS 4

/*
 * For --instr, in a process running under callgrind: runs FN with ARGS
 * (threads and latency mode as O says) once uncounted to warm up, then
 * the SAMPLE_CALLGRIND_PARTS counted runs.  Returns 0; 1 when the body
 * failed, with the reason in MSG[MSGLEN]; -1 on ENOMEM.
 */
int sample_callgrind(perfcmp_fn fn, const long long *args, size_t nargs, const sample_opts *o,
                     uint64_t n, char *msg, size_t msglen);

/*
 * Instructions per iteration from the instruction counts IR of the parts
 * of sample_callgrind with N iterations: the body's 2N run minus its N
 * run (which removes what a run costs once), less the same difference of
 * the empty loop (the loop's own instructions), divided by N; clamped
 * at 0.
 */
double sample_callgrind_per_iteration(const uint64_t ir[SAMPLE_CALLGRIND_PARTS], uint64_t n);

/*
 * Calibration of the iterations per sample, as a sequence of runs whose
 * durations the caller measures (sample_run times the body; the unit
 * tests feed made-up durations).  Every run's time per iteration gives
 * the n that would last the target; a run made with that n confirms it
 * when its own time per iteration agrees within SAMPLE_CALIB_AGREE, so a
 * single run, the first and cold one in particular, never decides n.
 * Between runs n grows at most SAMPLE_CALIB_GROWTH times.
 *
 *     sample_calib c;
 *     sample_calib_init(&c, target_ns);
 *     do t = <duration in ns of a run of c.next iterations>;
 *     while (!sample_calib_step(&c, t));
 *     <c.n iterations per sample; c.warm: the last run was the warm-up>
 *
 * Holds no resources: nothing to release.
 */
/* Largest ratio of two runs' times per iteration that still agree. */
#define SAMPLE_CALIB_AGREE 1.25
/* Most growth of n from one run to the next. */
#define SAMPLE_CALIB_GROWTH 100.0
/* Runs made with a predicted n before calibration settles for the last
 * prediction without its confirmation. */
#define SAMPLE_CALIB_PREDICTIONS 4

typedef struct sample_calib {
    double target;           /* ns of one sample */
    uint64_t next;           /* iterations of the next run */
    int predicted;           /* next is the prediction of the last run */
    double last;             /* ns per iteration of the last run; 0: none */
    int predictions;         /* runs made with a predicted n */
    int runs;                /* runs taken into account */
    /* the result, once sample_calib_step returned 1 */
    uint64_t n;              /* iterations per sample, 1 .. SAMPLE_MAX_ITERATIONS */
    int warm;                /* the last run had about n iterations and lasted
                                about a sample: it counts as the warm-up */
} sample_calib;

/* Sets up C for samples of TARGET ns (> 0): the first run has 1 iteration. */
void sample_calib_init(sample_calib *c, double target);

/*
 * Takes the duration T in ns (>= 0; from the loop's start to its end,
 * pauses included) of a run of c->next iterations.  Returns 1 when
 * calibration is done (c->n, c->warm set), 0 when another run of
 * c->next iterations is needed.  Always ends: runs too short to predict
 * from grow n SAMPLE_CALIB_GROWTH times up to SAMPLE_MAX_ITERATIONS, and
 * at most SAMPLE_CALIB_PREDICTIONS runs are made with a predicted n
 * (usually: 1 to 4 short runs, then one or two of about a sample).
 */
int sample_calib_step(sample_calib *c, double t);

/*
 * Per-iteration cost in ns of an empty measured loop, measured once and
 * cached.  Call it before forking so that children inherit the value.
 */
double sample_loop_cost_ns(void);

/* Target duration in ns of one sample for O. */
double sample_target_ns(const sample_opts *o);

#endif
