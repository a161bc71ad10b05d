/*
 * state.h - what stands behind perfcmp_state's priv_ while a benchmark
 * body runs one sample, and the functions of the public API that act on
 * it (perfcmp_loop_, perfcmp_arg, perfcmp_pause_timing, ...).
 *
 * A run of the body may also measure things besides time (heap
 * accounting, performance counters, callgrind instruction counts) and
 * may run in several threads at once.  Those belong to a state_group
 * shared by the threads of one run: the regions open at the loop's start
 * (after every thread reached it, before any thread's clock starts) and
 * close at its end (after every thread's clock stopped), so that neither
 * setup, teardown nor the hooks' own cost is counted.
 */
#ifndef PERFCMP_LIB_STATE_H
#define PERFCMP_LIB_STATE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <perfcmp.h>
#include "../core/histogram.h"
#include "heap.h"
#include "instr.h"

/* Most custom counters one benchmark may set. */
#define STATE_MAX_COUNTERS 16
#define STATE_MESSAGE_MAX 512

/* What a run measures besides time (state_group.extra). */
#define STATE_HEAP 0x1u         /* heap_begin .. heap_end around the loop */
#define STATE_COUNTERS 0x2u     /* perf counters around the loop */
#define STATE_CALLGRIND 0x4u    /* callgrind client requests around the loop */

typedef struct state_counter {
    char name[64];
    char unit[32];
    int direction;
    double value;
} state_counter;

/*
 * The threads of one run of the body and what they measure together.
 * Set up with state_group_init (once; it creates a mutex and a condition
 * variable when NTHREADS > 1), prepare each run with state_group_reset,
 * destroy with state_group_destroy.
 */
typedef struct state_group {
    int nthreads;                       /* >= 1 */
    unsigned extra;                     /* STATE_* bits of this run */
    instr_counters *counters;           /* open counters when STATE_COUNTERS */
    /* results of the run's region */
    int heap_rc;                        /* HEAP_OK, or why no heap figures */
    heap_stats heap;
    /* the start (0) and end (1) barriers of the loop */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int expected[2], arrived[2], released[2];
    int sync_ready;                     /* mu and cv were created */
} state_group;

/* Returns 0, or -1 when the mutex or condition variable cannot be made. */
int state_group_init(state_group *g, int nthreads, instr_counters *counters);
/* Prepares G for one run measuring EXTRA. */
void state_group_reset(state_group *g, unsigned extra);
void state_group_destroy(state_group *g);

typedef struct state_priv {
    /* set by the caller before each sample; state_begin keeps them */
    const long long *args;
    size_t nargs;
    uint64_t iterations;
    state_group *group;                 /* NULL: one thread, time only */
    int thread_index;
    int latency;                        /* .latency: each iteration is one operation */
    histogram *hist;                    /* where operation latencies go, or NULL */

    /* timing of the sample */
    int paused;
    uint64_t wall_start, cpu_start;     /* start of the running segment */
    uint64_t wall_ns, cpu_ns;           /* accumulated over segments */
    uint64_t span_start;                /* wall time at the loop's start */
    uint64_t span_ns;                   /* loop start to end, pauses included */
    int barrier_done[2];                /* passed (or left) the start / end barrier */

    /* operations (latency mode and perfcmp_op_*) */
    uint64_t lat_left;                  /* .latency: iterations left after this one */
    uint64_t lat_mark;                  /* timed ns at the start of this iteration */
    int op_open, op_failed;             /* an operation is open / marked failed */
    uint64_t op_start;
    uint64_t ops_ok, ops_failed;
    int uses_ops;                       /* the body called perfcmp_op_*: sticks */

    /* what the body reported */
    uint64_t bytes, items;              /* per iteration, 0 when unset */
    state_counter counters[STATE_MAX_COUNTERS];
    size_t ncounters;
    int failed;                         /* perfcmp_fail or misuse */
    char message[STATE_MESSAGE_MAX];
} state_priv;

/*
 * Prepares S (backed by P) for one sample of ITERATIONS (>= 1) iterations
 * of an instance with ARGS.  Clears everything the body reports except
 * the failure and uses_ops, which stick; keeps group, thread_index,
 * latency and hist.  Never fails.
 */
void state_begin(perfcmp_state *s, state_priv *p, const long long *args, size_t nargs,
                 uint64_t iterations);

/*
 * After the body returned: checks that the loop ran to its end (else
 * marks P failed) and leaves the group's barriers the thread did not
 * reach, so that the other threads and the regions are not held up.
 * Returns 0 when the sample is valid, -1 when the benchmark failed
 * (P->message says why).
 */
int state_end(perfcmp_state *s, state_priv *p);

/* Marks P failed with a formatted message (the first failure wins). */
void state_failf(state_priv *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
