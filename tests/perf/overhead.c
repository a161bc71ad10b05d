/*
 * overhead.c - what the library itself costs, measured with the library:
 *
 *   empty          an empty measured loop: what is left after the loop's
 *                  own cost is subtracted (should be about 0 ns)
 *   clobber        a loop with only a compiler barrier, which is the loop
 *                  whose cost is subtracted (about 0 ns as well)
 *   clock_mono     one clock_gettime(CLOCK_MONOTONIC) read, the clock of
 *                  wall_time
 *   clock_cpu      one clock_gettime(CLOCK_PROCESS_CPUTIME_ID) read, the
 *                  clock of cpu_time
 *   pause_resume   one perfcmp_pause_timing + perfcmp_resume_timing pair:
 *                  the part of it that falls inside the measured time
 *
 * Run: make perf, or ./build/perf/overhead [--no-fork] [--out=FILE].
 * Figures: docs/performance.md.
 */
#include <perfcmp.h>

#include <time.h>

PERFCMP_BENCH(empty, .tags = "overhead")
{
    while (perfcmp_loop(state)) {
    }
}

PERFCMP_BENCH(clobber, .tags = "overhead")
{
    while (perfcmp_loop(state))
        perfcmp_clobber();
}

PERFCMP_BENCH(clock_mono, .tags = "overhead clock")
{
    struct timespec ts;
    while (perfcmp_loop(state)) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        perfcmp_do_not_optimize(ts);
    }
}

PERFCMP_BENCH(clock_cpu, .tags = "overhead clock")
{
    struct timespec ts;
    while (perfcmp_loop(state)) {
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        perfcmp_do_not_optimize(ts);
    }
}

PERFCMP_BENCH(pause_resume, .tags = "overhead")
{
    while (perfcmp_loop(state)) {
        perfcmp_pause_timing(state);
        perfcmp_resume_timing(state);
    }
}

PERFCMP_MAIN()
