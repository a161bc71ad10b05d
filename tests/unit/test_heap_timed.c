/*
 * test_heap_timed.c - the malloc interposition of heap.c counts only in
 * the heap pass, never while a sample is timed.  (Issue 13 listed the
 * interposition as a suspect for qsort/1024's gap to Google Benchmark;
 * it was not the cause, see docs/performance.md, and this keeps it so.)
 *
 * libperfcmp's malloc/free wrappers are always linked into a bench
 * binary; while heap accounting is off they cost one relaxed load and a
 * predicted branch per call.  A timed sample that ran with accounting on
 * would pay malloc_usable_size and four atomic operations per allocation
 * (glibc's qsort mallocs its buffer above 1 KiB).  No timing here: the
 * body asks heap_counting() in every iteration and the test checks in
 * which of the body's calls it was on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/heap.h"
#include "lib/measure.h"
#include "lib/sample.h"

enum { MAX_CALLS = 16 };

static int calls;
static int counting_in_call[MAX_CALLS];   /* iterations that saw counting on */
static int iterations_in_call[MAX_CALLS];

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The example's qsort/1024 (glibc mallocs the merge buffer), plus an
 * explicit malloc so that the heap pass has something to count. */
static void sorting(perfcmp_state *state)
{
    enum { N = 1024 };
    int input[N], work[N];
    int call = calls < MAX_CALLS ? calls : MAX_CALLS - 1;

    calls++;
    for (int i = 0; i < N; i++)
        input[i] = (int)((unsigned)i * 2654435761u % 1000000u);
    while (perfcmp_loop(state)) {
        void *p = malloc(64);
        counting_in_call[call] += heap_counting();
        iterations_in_call[call]++;
        memcpy(work, input, sizeof work);
        qsort(work, N, sizeof work[0], cmp_int);
        free(p);
        perfcmp_clobber();
    }
}

static void reset(void)
{
    calls = 0;
    memset(counting_in_call, 0, sizeof counting_in_call);
    memset(iterations_in_call, 0, sizeof iterations_in_call);
}

static void counting_is_off_in_every_timed_sample(void **unused)
{
    measure m;
    sample_opts o = { .samples = 4, .min_time = 0.01, .iterations = 20, .heap = 1 };
    int pass = heap_supported() == NULL;
    (void)unused;

    reset();
    measure_init(&m);
    assert_int_equal(heap_counting(), 0);
    assert_int_equal(sample_run(sorting, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    /* one warm-up call, one per sample, and the heap pass */
    assert_int_equal(calls, 1 + 4 + pass);
    for (int i = 0; i < 1 + 4; i++) {
        assert_int_equal(iterations_in_call[i], 20);
        assert_int_equal(counting_in_call[i], 0);
    }
    if (pass) {
        /* the heap pass counts in every iteration, and only there */
        assert_int_equal(iterations_in_call[5], 20);
        assert_int_equal(counting_in_call[5], 20);
        measure_metric *allocs = measure_find(&m, "allocs");
        assert_non_null(allocs);
        assert_true(allocs->values[0] >= 1);
    } else {
        print_message("note: heap accounting %s: no heap pass to check\n", heap_supported());
    }
    /* and the region is closed again */
    assert_int_equal(heap_counting(), 0);
    assert_int_equal(heap_pause(), HEAP_ENOTACTIVE);
    measure_release(&m);
}

static void no_heap_means_counting_is_never_on(void **unused)
{
    measure m;
    sample_opts o = { .samples = 3, .min_time = 0.01, .iterations = 10, .heap = 0 };
    (void)unused;

    reset();
    measure_init(&m);
    assert_int_equal(sample_run(sorting, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    assert_int_equal(calls, 1 + 3);
    for (int i = 0; i < calls; i++) {
        assert_int_equal(iterations_in_call[i], 10);
        assert_int_equal(counting_in_call[i], 0);
    }
    assert_null(measure_find(&m, "allocs"));
    assert_int_equal(heap_counting(), 0);
    measure_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counting_is_off_in_every_timed_sample),
        cmocka_unit_test(no_heap_means_counting_is_never_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
