/*
 * clocks.c - clock resolution and the cost of reading the clocks.
 */
#include "clocks.h"

#include <stdlib.h>

uint64_t clocks_resolution_ns(void)
{
    struct timespec ts;
    if (clock_getres(CLOCK_MONOTONIC, &ts) != 0)
        return 1;
    uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    return ns ? ns : 1;
}

static int clocks_cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Median over BATCHES batches of the per-read cost of READ. */
static double clocks_cost(uint64_t (*read)(void))
{
    enum { BATCHES = 9, READS = 1000 };
    double cost[BATCHES];

    for (int b = 0; b < BATCHES; b++) {
        volatile uint64_t sink = 0;
        uint64_t t0 = clocks_wall_ns();
        for (int i = 0; i < READS; i++)
            sink += read();
        uint64_t t1 = clocks_wall_ns();
        (void)sink;
        cost[b] = (double)(t1 - t0) / READS;
    }
    qsort(cost, BATCHES, sizeof cost[0], clocks_cmp_double);
    return cost[BATCHES / 2];
}

static uint64_t clocks_wall_read(void)
{
    return clocks_wall_ns();
}

static uint64_t clocks_cpu_read(void)
{
    return clocks_cpu_ns();
}

double clocks_read_cost_ns(void)
{
    return clocks_cost(clocks_wall_read);
}

double clocks_cpu_read_cost_ns(void)
{
    return clocks_cost(clocks_cpu_read);
}
