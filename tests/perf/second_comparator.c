/*
 * second_comparator.c - qsort/1024 of docs/examples/bench_examples.c, in
 * two builds: as it is (one comparator), and with -DSECOND_COMPARATOR as
 * it was before issue 13, when one untimed sort after the loop used a
 * second, counting comparator.  tests/perf/second_comparator.sh builds
 * both, and the same two for Google Benchmark
 * (second_comparator_gbench.cc), and runs them interleaved.
 */
#include <perfcmp.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t example_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static unsigned long sort_comparisons;

#ifdef SECOND_COMPARATOR
static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_int_counting(const void *a, const void *b)
{
    sort_comparisons++;
    return cmp_int(a, b);
}
#define CMP_AFTER cmp_int_counting
#else
static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    sort_comparisons++;
    return (x > y) - (x < y);
}
#define CMP_AFTER cmp_int
#endif

PERFCMP_BENCH(qsort, .args = { PERFCMP_LIST(1024) })
{
    size_t n = (size_t)perfcmp_arg(state, 0);
    int *input = malloc(n * sizeof *input);
    int *work = malloc(n * sizeof *work);
    uint64_t seed = 7;
    if (!input || !work) {
        perfcmp_fail(state, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        input[i] = (int)(example_next(&seed) % 1000000);
    while (perfcmp_loop(state)) {
        memcpy(work, input, n * sizeof *work);
        qsort(work, n, sizeof *work, cmp_int);
        perfcmp_clobber();
    }
    memcpy(work, input, n * sizeof *work);
    sort_comparisons = 0;
    qsort(work, n, sizeof *work, CMP_AFTER);
    perfcmp_counter(state, "comparisons", (double)sort_comparisons, "count",
                    PERFCMP_LOWER_IS_BETTER);
out:
    free(input);
    free(work);
}

PERFCMP_MAIN()
