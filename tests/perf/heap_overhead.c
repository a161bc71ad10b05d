/*
 * heap_overhead.c - what heap accounting costs (tests/perf/metrics_figures.sh
 * runs it; figures in docs/metrics.md):
 *
 *   malloc_free    one malloc(64) + free pair per iteration, 10^6 fixed
 *                  iterations per sample: its wall_time is the cost of a
 *                  pair through the interposed allocator with no region
 *                  open, which is all the timed samples ever see, with or
 *                  without the heap pass.  The heap pass then runs the same
 *                  10^6 pairs once more while counting: the difference in
 *                  the binary's run time with and without --no-heap is the
 *                  cost of counting.
 *   no_alloc       the same loop without the allocation, for scale
 */
#include <perfcmp.h>

#include <stdlib.h>

PERFCMP_BENCH(malloc_free, .tags = "heap", .iterations = 1000000, .samples = 15)
{
    while (perfcmp_loop(state)) {
        void *p = malloc(64);
        perfcmp_do_not_optimize(p);
        free(p);
    }
}

PERFCMP_BENCH(no_alloc, .tags = "heap", .iterations = 1000000, .samples = 15)
{
    char buf[64];
    while (perfcmp_loop(state)) {
        void *p = buf;
        perfcmp_do_not_optimize(p);
    }
}

PERFCMP_MAIN()
