/*
 * clocks.h - the two clocks a benchmark is measured with: CLOCK_MONOTONIC
 * wall time and CLOCK_PROCESS_CPUTIME_ID process CPU time, in nanoseconds.
 */
#ifndef PERFCMP_LIB_CLOCKS_H
#define PERFCMP_LIB_CLOCKS_H

#include <stdint.h>
#include <time.h>

/* Monotonic wall time in ns since an arbitrary start. */
static inline uint64_t clocks_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CPU time (user + system) of the whole process in ns. */
static inline uint64_t clocks_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* CPU time of the calling thread in ns. */
static inline uint64_t clocks_thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Resolution of the monotonic clock in ns as the kernel reports it
 * (clock_getres), at least 1.  Never fails. */
uint64_t clocks_resolution_ns(void);

/*
 * Cost of one monotonic clock read in ns: the median over a few batches
 * of back-to-back reads.  Takes about a millisecond.  Never fails.
 */
double clocks_read_cost_ns(void);

/* Same for one read of the process CPU-time clock. */
double clocks_cpu_read_cost_ns(void);

#endif
