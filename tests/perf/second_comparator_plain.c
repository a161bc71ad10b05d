/*
 * second_comparator_plain.c - no benchmark library at all: how much slower
 * are plain qsorts of 1024 ints right after one qsort with a second
 * comparator, and for how many sorts?
 *
 *     second_comparator_plain [SORTS [ROUNDS]]     (default 1000 40)
 *
 * Rounds alternate the untimed sort that precedes SORTS timed ones: with
 * the same comparator, or with another one of the same machine code at
 * another address.  Each timed sort is timed alone (CLOCK_MONOTONIC);
 * printed: per range of the sort's index, the median over the rounds of
 * each kind, and their ratio.  tests/perf/second_comparator.sh runs it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* the same code at another address; the asm keeps the two apart */
__attribute__((noinline)) static int cmp_other(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    __asm__ volatile("");
    return (x > y) - (x < y);
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    enum { N = 1024 };
    static const int edge[] = { 0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
    int sorts = argc > 1 ? atoi(argv[1]) : 1000, rounds = argc > 2 ? atoi(argv[2]) : 40;
    int input[N], work[N], done[2] = { 0, 0 };
    uint64_t seed = 7;

    if (sorts < 1 || sorts > 10000 || rounds < 2) {
        fprintf(stderr, "usage: second_comparator_plain [SORTS<=10000 [ROUNDS>=2]]\n");
        return 2;
    }
    double *t = malloc(sizeof *t * 2 * (size_t)rounds * (size_t)sorts);
    double *v = malloc(sizeof *v * (size_t)rounds * (size_t)sorts);
    if (!t || !v)
        return 1;
    for (int i = 0; i < N; i++)
        input[i] = (int)(next(&seed) % 1000000);
    for (int r = 0; r < rounds; r++) {
        int kind = r & 1;
        memcpy(work, input, sizeof work);
        qsort(work, N, sizeof work[0], kind ? cmp_other : cmp_int);
        double *row = t + ((size_t)kind * (size_t)rounds + (size_t)done[kind]++) * (size_t)sorts;
        for (int i = 0; i < sorts; i++) {
            double t0 = now_ns();
            memcpy(work, input, sizeof work);
            qsort(work, N, sizeof work[0], cmp_int);
            __asm__ volatile("" : : : "memory");
            row[i] = now_ns() - t0;
        }
    }
    printf("sorts after   same comparator   other comparator   ratio\n");
    for (size_t j = 0; j + 1 < sizeof edge / sizeof edge[0] && edge[j] < sorts; j++) {
        double med[2];
        for (int kind = 0; kind < 2; kind++) {
            size_t m = 0;
            for (int r = 0; r < done[kind]; r++)
                for (int i = edge[j]; i < edge[j + 1] && i < sorts; i++)
                    v[m++] = t[((size_t)kind * (size_t)rounds + (size_t)r) * (size_t)sorts + (size_t)i];
            qsort(v, m, sizeof v[0], cmp_double);
            med[kind] = v[m / 2];
        }
        printf("%5d-%-5d   %11.2f us    %11.2f us     %.3f\n", edge[j],
               (edge[j + 1] < sorts ? edge[j + 1] : sorts) - 1, med[0] / 1e3, med[1] / 1e3,
               med[1] / med[0]);
    }
    free(t);
    free(v);
    return 0;
}
