/*
 * bench_examples.c - example benchmarks written with libperfcmp: hashing,
 * sorting, copying and allocating, at several sizes.
 *
 *     make && ./build/examples/bench_examples --tags='not slow'
 *     ./build/examples/bench_examples --filter='memcpy*' --out=results.json
 */
#include <perfcmp.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A small deterministic generator for the inputs (xorshift64). */
static uint64_t example_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void example_fill(unsigned char *buf, size_t n, uint64_t seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)example_next(&seed);
}

/* --- hashing --------------------------------------------------------- */

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

/* FNV-1a over 4 KiB, 64 KiB and 1 MiB. */
PERFCMP_BENCH(fnv1a, .tags = "cpu hash", .args = { PERFCMP_RANGE(4096, 1 << 20, 16) })
{
    size_t n = (size_t)perfcmp_arg(state, 0);
    unsigned char *buf = malloc(n);
    if (!buf) {
        perfcmp_fail(state, "out of memory");
        return;
    }
    example_fill(buf, n, 42);
    while (perfcmp_loop(state)) {
        uint64_t h = fnv1a(buf, n);
        perfcmp_do_not_optimize(h);
    }
    perfcmp_set_bytes(state, n);
    free(buf);
}

/* --- sorting --------------------------------------------------------- */

/*
 * One comparator for the timed sorts and for the sort that counts.  A
 * second, counting comparator passed to qsort after the loop made the
 * timed sorts of the next sample 5-25% slower: glibc's qsort calls the
 * comparator through one indirect call, and once that call has seen two
 * targets the CPU predicts it worse for a while (docs/performance.md,
 * "qsort and a second comparator").  The count costs the timed sorts
 * under 1%.
 */
static unsigned long sort_comparisons;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    sort_comparisons++;
    return (x > y) - (x < y);
}

/*
 * qsort of N random ints.  Each iteration sorts a fresh copy of the same
 * input, so the copy (a memcpy, small beside the sort) is timed too.
 */
PERFCMP_BENCH(qsort, .tags = "cpu sort", .args = { PERFCMP_RANGE(16, 16384, 4) })
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
    perfcmp_set_items(state, n);

    /* Code after the loop is not timed: count the comparisons of one sort
     * and report them as a custom metric. */
    memcpy(work, input, n * sizeof *work);
    sort_comparisons = 0;
    qsort(work, n, sizeof *work, cmp_int);
    perfcmp_counter(state, "comparisons", (double)sort_comparisons, "count",
                    PERFCMP_LOWER_IS_BETTER);
out:
    free(input);
    free(work);
}

/* --- copying --------------------------------------------------------- */

/* memcpy of 64 B, 2 KiB, 64 KiB and 2 MiB. */
PERFCMP_BENCH(memcpy, .tags = "memory", .args = { PERFCMP_RANGE(64, 2 << 20, 32) })
{
    size_t n = (size_t)perfcmp_arg(state, 0);
    unsigned char *src = malloc(n), *dst = malloc(n);
    if (!src || !dst) {
        perfcmp_fail(state, "out of memory");
        goto out;
    }
    example_fill(src, n, 1);
    memset(dst, 0, n);
    while (perfcmp_loop(state)) {
        memcpy(dst, src, n);
        perfcmp_clobber();
    }
    perfcmp_set_bytes(state, n);
out:
    free(src);
    free(dst);
}

/* --- allocating ------------------------------------------------------ */

struct node {
    struct node *next;
    long value;
};

/* Builds a linked list of N malloc'd nodes and frees it again. */
PERFCMP_BENCH(linked_list, .tags = "memory alloc", .args = { PERFCMP_LIST(100, 10000) })
{
    long n = (long)perfcmp_arg(state, 0);
    while (perfcmp_loop(state)) {
        struct node *head = NULL;
        for (long i = 0; i < n; i++) {
            struct node *x = malloc(sizeof *x);
            if (!x) {
                perfcmp_fail(state, "out of memory");
                break;
            }
            x->next = head;
            x->value = i;
            head = x;
        }
        perfcmp_do_not_optimize(head);
        while (head) {
            struct node *next = head->next;
            free(head);
            head = next;
        }
    }
    perfcmp_set_items(state, (uint64_t)n);
}

/* A large working set: 64 MiB touched page by page.  Tagged slow so that
 * --tags='not slow' leaves it out. */
PERFCMP_BENCH(touch_pages, .tags = "memory slow", .samples = 10)
{
    size_t n = (size_t)64 << 20;
    while (perfcmp_loop(state)) {
        unsigned char *p = malloc(n);
        if (!p) {
            perfcmp_fail(state, "out of memory");
            break;
        }
        for (size_t i = 0; i < n; i += 4096)
            p[i] = (unsigned char)i;
        perfcmp_do_not_optimize(p);
        free(p);
    }
    perfcmp_set_bytes(state, n);
}

PERFCMP_MAIN()
