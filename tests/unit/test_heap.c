/*
 * test_heap.c - heap accounting: exact counts on known allocation
 * patterns, every allocation entry point, glibc's own allocations, and
 * threads.  Skipped, with the reason, where accounting is unsupported
 * (sanitizer builds, valgrind).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/heap.h"

/* Keeps the compiler from proving an allocation unused and deleting the
 * malloc/free pair (GCC does this for malloc, calloc, aligned_alloc...). */
static void escape(void *p)
{
    __asm__ volatile("" : : "g"(p) : "memory");
}

/* glibc's usable size for a request of SIZE bytes, measured outside any
 * region (100 -> 104 on x86-64: 16-byte chunks with an 8-byte header). */
static uint64_t usable_of(size_t size)
{
    void *p = malloc(size);
    uint64_t u;

    assert_non_null(p);
    u = malloc_usable_size(p);
    free(p);
    return u;
}

/* 1 when accounting is unsupported here; says why once per binary. */
static int skip_unsupported(void)
{
    static int told;
    const char *why = heap_supported();

    if (why != NULL) {
        if (!told)
            print_message("skip: heap accounting %s: every test that counts is skipped\n", why);
        told = 1;
        return 1;
    }
    return 0;
}

#define SKIP_IF_UNSUPPORTED()      \
    do {                           \
        if (skip_unsupported()) {  \
            skip();                \
            return;                \
        }                          \
    } while (0)

static void begin_and_end_report_misuse(void **unused)
{
    heap_stats s;

    memset(&s, 0xff, sizeof s);
    assert_int_equal(heap_end(&s), HEAP_ENOTACTIVE);
    assert_int_equal(s.allocs, 0);           /* zeroed on error */
    assert_string_equal(heap_strerror(HEAP_ENOTACTIVE), "no heap accounting region is open");
    assert_string_equal(heap_strerror(12345), "unknown heap accounting error");
    if (heap_supported() != NULL) {
        /* sanitizer builds and valgrind: refused, nothing to report */
        assert_int_equal(heap_begin(), HEAP_EUNSUPPORTED);
        assert_int_equal(heap_end(&s), HEAP_ENOTACTIVE);
        assert_int_equal(s.allocs, 0);
        return;
    }
    assert_int_equal(heap_begin(), HEAP_OK);
    assert_int_equal(heap_begin(), HEAP_EBUSY);
    assert_int_equal(heap_end(NULL), HEAP_OK);
    assert_int_equal(heap_end(&s), HEAP_ENOTACTIVE);
}

static void an_empty_region_counts_nothing(void **unused)
{
    heap_stats s;
    void *before;

    SKIP_IF_UNSUPPORTED();
    before = malloc(1000);                   /* outside: not counted */
    escape(before);
    assert_int_equal(heap_begin(), HEAP_OK);
    assert_int_equal(heap_end(&s), HEAP_OK);
    free(before);                            /* outside: not counted */
    assert_int_equal(s.allocs, 0);
    assert_int_equal(s.frees, 0);
    assert_int_equal(s.alloc_bytes, 0);
    assert_int_equal(s.peak_heap, 0);
    assert_int_equal(s.net_bytes, 0);
    assert_int_equal(s.leaked_bytes, 0);
}

/* 100 iterations of 3 mallocs of 48 bytes, freed at the end of each
 * iteration: 300 allocations, 300 frees, 14400 bytes, nothing left, and a
 * peak of the 3 blocks of one iteration. */
static void k_mallocs_per_iteration_are_counted_exactly(void **unused)
{
    uint64_t u48 = usable_of(48);
    heap_stats s;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    for (int it = 0; it < 100; it++) {
        void *p[3];
        for (int k = 0; k < 3; k++) {
            p[k] = malloc(48);
            escape(p[k]);
        }
        for (int k = 0; k < 3; k++)
            free(p[k]);
    }
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_int_equal(s.allocs, 300);
    assert_int_equal(s.frees, 300);
    assert_int_equal(s.alloc_bytes, 300 * 48);
    assert_int_equal(s.peak_heap, 3 * u48);
    assert_int_equal(s.net_bytes, 0);
    assert_int_equal(s.leaked_bytes, 0);
}

/* 50 iterations that each keep a 100-byte block: the net growth is 50
 * usable blocks (50 * 104 bytes with glibc on x86-64). */
static void a_leak_of_100_bytes_per_iteration_shows_as_net_growth(void **unused)
{
    uint64_t u100 = usable_of(100);
    void *kept[50];
    heap_stats s;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    for (int it = 0; it < 50; it++) {
        kept[it] = malloc(100);
        escape(kept[it]);
    }
    assert_int_equal(heap_end(&s), HEAP_OK);
    for (int it = 0; it < 50; it++)
        free(kept[it]);
    assert_int_equal(s.allocs, 50);
    assert_int_equal(s.frees, 0);
    assert_int_equal(s.alloc_bytes, 5000);
    assert_int_equal(s.leaked_bytes, 50 * u100);
    assert_int_equal(s.net_bytes, (int64_t)(50 * u100));
    assert_int_equal(s.peak_heap, 50 * u100);
}

/* A buffer grown by doubling from 16 to 4096 bytes: 1 malloc + 8
 * reallocs, each counted as an allocation of its new size; one free. */
static void realloc_counts_each_resize_and_ends_balanced(void **unused)
{
    heap_stats s;
    char *p;
    uint64_t bytes = 16;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    p = malloc(16);
    for (size_t size = 32; size <= 4096; size *= 2) {
        p = realloc(p, size);
        assert_non_null(p);
        p[size - 1] = 1;
        escape(p);
        bytes += size;
    }
    free(p);
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_int_equal(s.allocs, 9);
    assert_int_equal(s.frees, 1);
    assert_int_equal(s.alloc_bytes, bytes);
    assert_int_equal(s.net_bytes, 0);
    assert_true(s.peak_heap >= 4096 && s.peak_heap < 4096 + 4096);
}

static void realloc_to_zero_frees_and_realloc_of_null_allocates(void **unused)
{
    heap_stats s;
    void *p, *q;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    p = realloc(NULL, 200);                  /* = malloc(200) */
    assert_non_null(p);
    q = realloc(p, 0);                       /* glibc: frees p, returns NULL */
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_null(q);
    assert_int_equal(s.allocs, 1);
    assert_int_equal(s.frees, 1);
    assert_int_equal(s.alloc_bytes, 200);
    assert_int_equal(s.net_bytes, 0);
}

static void calloc_counts_the_product(void **unused)
{
    heap_stats s;
    int *p;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    p = calloc(10, 100);
    escape(p);
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_non_null(p);
    assert_int_equal(p[249], 0);
    free(p);
    assert_int_equal(s.allocs, 1);
    assert_int_equal(s.alloc_bytes, 1000);
    assert_int_equal(s.net_bytes, (int64_t)usable_of(1000));
}

static void aligned_allocations_are_counted_and_aligned(void **unused)
{
    heap_stats s;
    void *a = NULL, *b, *c, *d, *e;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    assert_int_equal(posix_memalign(&a, 64, 1000), 0);
    b = aligned_alloc(128, 1024);
    c = memalign(4096, 100);
    d = valloc(100);
    e = pvalloc(100);
    escape(b);
    escape(c);
    escape(d);
    escape(e);
    assert_true(a != NULL && b != NULL && c != NULL && d != NULL && e != NULL);
    assert_int_equal((uintptr_t)a % 64, 0);
    assert_int_equal((uintptr_t)b % 128, 0);
    assert_int_equal((uintptr_t)c % 4096, 0);
    assert_int_equal((uintptr_t)d % 4096, 0);
    assert_int_equal((uintptr_t)e % 4096, 0);
    free(a);
    free(b);
    free(c);
    free(d);
    free(e);
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_int_equal(s.allocs, 5);
    assert_int_equal(s.frees, 5);
    assert_int_equal(s.alloc_bytes, 1000 + 1024 + 100 + 100 + 100);
    assert_int_equal(s.net_bytes, 0);
}

static void posix_memalign_refuses_bad_alignments_without_counting(void **unused)
{
    heap_stats s;
    void *p = &p;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    assert_int_equal(posix_memalign(&p, 0, 10), EINVAL);
    assert_int_equal(posix_memalign(&p, 3, 10), EINVAL);
    assert_int_equal(posix_memalign(&p, 24, 10), EINVAL);   /* 3 * sizeof(void *) */
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_ptr_equal(p, &p);                                 /* untouched */
    assert_int_equal(s.allocs, 0);
}

static void reallocarray_is_counted_and_checks_overflow(void **unused)
{
    volatile size_t half = SIZE_MAX / 2;     /* hidden from the compiler's size checks */
    heap_stats s;
    void *p, *q;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    p = reallocarray(NULL, 10, 30);
    escape(p);
    errno = 0;
    q = reallocarray(NULL, half, 3);
    assert_int_equal(errno, ENOMEM);
    free(p);
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_non_null(p);
    assert_null(q);
    assert_int_equal(s.allocs, 1);
    assert_int_equal(s.frees, 1);
    assert_int_equal(s.alloc_bytes, 300);
}

/* glibc calls malloc through the PLT from inside libc, so its own
 * allocations are counted too: strdup, fopen's FILE, getline's buffer. */
static void allocations_inside_glibc_are_counted(void **unused)
{
    heap_stats s;
    char *d, *line = NULL;
    size_t cap = 0;
    FILE *f;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    d = strdup("hello");
    escape(d);
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_non_null(d);
    free(d);
    assert_int_equal(s.allocs, 1);
    assert_int_equal(s.alloc_bytes, 6);

    assert_int_equal(heap_begin(), HEAP_OK);
    f = fopen("/proc/self/stat", "r");
    assert_non_null(f);
    assert_true(getline(&line, &cap, f) > 0);
    fclose(f);
    free(line);
    assert_int_equal(heap_end(&s), HEAP_OK);
    /* the FILE, its read buffer and the line (getline may grow it with
     * realloc, which counts as an allocation but not a free) */
    assert_true(s.allocs >= 3);
    assert_true(s.frees >= 3);
    assert_int_equal(s.net_bytes, 0);
}

/* Freeing in the region what was allocated before it lowers the level:
 * net growth goes negative, the leak signal stays 0. */
static void freeing_older_blocks_gives_negative_net_growth(void **unused)
{
    uint64_t u500 = usable_of(500);
    heap_stats s;
    void *old;

    SKIP_IF_UNSUPPORTED();
    old = malloc(500);
    escape(old);
    assert_int_equal(heap_begin(), HEAP_OK);
    free(old);
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_int_equal(s.frees, 1);
    assert_int_equal(s.net_bytes, -(int64_t)u500);
    assert_int_equal(s.leaked_bytes, 0);
    assert_int_equal(s.peak_heap, 0);
}

/* What is allocated while paused is not counted; frees while counting
 * are, whatever the block. */
static void paused_allocations_are_not_counted(void **unused)
{
    heap_stats s;
    void *a, *b;

    assert_int_equal(heap_pause(), HEAP_ENOTACTIVE);
    assert_int_equal(heap_resume(), HEAP_ENOTACTIVE);
    SKIP_IF_UNSUPPORTED();
    assert_int_equal(heap_begin(), HEAP_OK);
    a = malloc(10);
    escape(a);
    assert_int_equal(heap_pause(), HEAP_OK);
    b = malloc(20);
    escape(b);
    assert_int_equal(heap_resume(), HEAP_OK);
    free(a);
    free(b);
    assert_int_equal(heap_end(&s), HEAP_OK);
    assert_int_equal(s.allocs, 1);
    assert_int_equal(s.alloc_bytes, 10);
    assert_int_equal(s.frees, 2);
    assert_int_equal(s.net_bytes, -(int64_t)usable_of(20));
    assert_int_equal(heap_pause(), HEAP_ENOTACTIVE);
}

#define NTHREADS 4
#define PER_THREAD 2000

static void *thread_work(void *arg)
{
    (void)arg;
    for (int i = 0; i < PER_THREAD; i++) {
        void *p = malloc(64);
        escape(p);
        free(p);
    }
    return NULL;
}

/* Counters are process-wide atomics: 4 threads x 2000 malloc/free pairs
 * give exactly 8000 of each (pthread_create's own allocations are made
 * before the region opens: the threads wait on a barrier). */
static pthread_barrier_t start_barrier;

static void *thread_main(void *arg)
{
    pthread_barrier_wait(&start_barrier);
    thread_work(arg);
    pthread_barrier_wait(&start_barrier);
    return NULL;
}

static void threads_are_counted_exactly(void **unused)
{
    pthread_t th[NTHREADS];
    heap_stats s;

    SKIP_IF_UNSUPPORTED();
    assert_int_equal(pthread_barrier_init(&start_barrier, NULL, NTHREADS + 1), 0);
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, NULL), 0);
    assert_int_equal(heap_begin(), HEAP_OK);
    pthread_barrier_wait(&start_barrier);    /* go */
    pthread_barrier_wait(&start_barrier);    /* all done */
    assert_int_equal(heap_end(&s), HEAP_OK);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start_barrier);
    assert_int_equal(s.allocs, NTHREADS * PER_THREAD);
    assert_int_equal(s.frees, NTHREADS * PER_THREAD);
    assert_int_equal(s.alloc_bytes, NTHREADS * PER_THREAD * 64);
    assert_int_equal(s.net_bytes, 0);
    assert_true(s.peak_heap >= usable_of(64) && s.peak_heap <= NTHREADS * usable_of(64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(begin_and_end_report_misuse),
        cmocka_unit_test(an_empty_region_counts_nothing),
        cmocka_unit_test(k_mallocs_per_iteration_are_counted_exactly),
        cmocka_unit_test(a_leak_of_100_bytes_per_iteration_shows_as_net_growth),
        cmocka_unit_test(realloc_counts_each_resize_and_ends_balanced),
        cmocka_unit_test(realloc_to_zero_frees_and_realloc_of_null_allocates),
        cmocka_unit_test(calloc_counts_the_product),
        cmocka_unit_test(aligned_allocations_are_counted_and_aligned),
        cmocka_unit_test(posix_memalign_refuses_bad_alignments_without_counting),
        cmocka_unit_test(reallocarray_is_counted_and_checks_overflow),
        cmocka_unit_test(allocations_inside_glibc_are_counted),
        cmocka_unit_test(freeing_older_blocks_gives_negative_net_growth),
        cmocka_unit_test(paused_allocations_are_not_counted),
        cmocka_unit_test(threads_are_counted_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
