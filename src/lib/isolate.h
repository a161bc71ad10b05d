/*
 * isolate.h - measuring one instance in a forked child process, so that a
 * crash, an exit() or an endless loop in a benchmark costs only that
 * benchmark.
 */
#ifndef PERFCMP_LIB_ISOLATE_H
#define PERFCMP_LIB_ISOLATE_H

#include "measure.h"
#include "sample.h"

#define ISOLATE_DEFAULT_TIMEOUT 60.0

/* Called about ten times a second while the child runs, with the seconds
 * since it started. */
typedef void (*isolate_tick_fn)(void *ctx, double elapsed);

/*
 * Forks; the child runs sample_run(FN, ARGS, NARGS, O) and sends the
 * measurement back over a pipe, then _exit()s.  The parent waits at most
 * TIMEOUT seconds, then kills the child with SIGKILL.  Fills M
 * (initialised, empty) with the child's measurement, or with status
 * MEASURE_CRASHED ("signal 11 (Segmentation fault)", "exited with status
 * 3"), MEASURE_TIMEOUT ("timeout after 1.0 s") or MEASURE_FAILED (fork or
 * pipe failed, malformed message).  TICK may be NULL.  Returns 0, or -1
 * on ENOMEM.
 */
int isolate_run(perfcmp_fn fn, const long long *args, size_t nargs, const sample_opts *o,
                double timeout, isolate_tick_fn tick, void *ctx, measure *m);

#endif
