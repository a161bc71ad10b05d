/*
 * test_lib_metrics.c - what the runner measures besides time (issue 5):
 * the heap pass, perf counters, latency mode and the perfcmp_op_* API,
 * threads (.threads) and their barriers, the callgrind arithmetic.
 * Everything goes through sample_run, as a bench binary does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "lib/heap.h"
#include "lib/instr.h"
#include "lib/sample.h"
#include "lib/state.h"

static double one_value(const measure *m, const char *name)
{
    const measure_metric *mm = measure_find(m, name);
    assert_non_null(mm);
    assert_int_equal(mm->n, 1);
    return mm->values[0];
}

/* --- heap pass ------------------------------------------------------ */

/* setup and teardown allocate; the loop allocates 2 blocks and frees one */
static void two_allocs_one_kept(perfcmp_state *state)
{
    void *setup = malloc(5000);
    void **kept = calloc(perfcmp_iterations(state), sizeof *kept);
    uint64_t i = 0;
    perfcmp_do_not_optimize(setup);
    while (perfcmp_loop(state)) {
        void *a = malloc(40);
        kept[i++] = malloc(24);
        perfcmp_do_not_optimize(a);
        free(a);
    }
    for (uint64_t k = 0; k < i; k++)
        free(kept[k]);
    free(kept);
    free(setup);
}

static void the_heap_pass_counts_the_loop_only(void **unused)
{
    measure m;
    sample_opts o = { .samples = 3, .min_time = 0.01, .iterations = 100, .heap = 1 };
    (void)unused;
    if (heap_supported() != NULL) {
        print_message("skipped: heap accounting %s\n", heap_supported());
        skip();
    }
    measure_init(&m);
    assert_int_equal(sample_run(two_allocs_one_kept, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    /* per iteration: malloc(40) + malloc(24), the 24 bytes stay */
    assert_true(one_value(&m, "allocs") == 2);
    assert_true(one_value(&m, "alloc_bytes") == 64);
    /* live bytes are usable sizes: 24 for a malloc(24) carved fresh, but
     * glibc may hand out a reused chunk up to 16 bytes bigger when the
     * rest would be too small to split off; so a few blocks of the 100
     * can count 40 */
    double leaked = one_value(&m, "leaked_bytes"), peak = one_value(&m, "peak_heap");
    assert_true(leaked >= 24 && leaked <= 24 + 16 * 5 / 100.0);
    /* 100 kept blocks, plus one block of 40 (usable 40) at the peak */
    assert_true(peak >= 100 * 24 + 40 && peak <= 100 * 24 + 40 + 16 * 6);
    assert_int_equal(measure_find(&m, "allocs")->direction, 0);
    assert_string_equal(measure_find(&m, "allocs")->unit, "count");
    assert_string_equal(measure_find(&m, "peak_heap")->unit, "bytes");
    /* time is still one value per sample */
    assert_int_equal(measure_find(&m, "wall_time")->n, 3);
    measure_release(&m);
}

static void without_the_heap_pass_there_are_no_heap_metrics(void **unused)
{
    measure m;
    sample_opts o = { .samples = 2, .min_time = 0.01, .iterations = 10 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(sample_run(two_allocs_one_kept, NULL, 0, &o, &m), 0);
    assert_null(measure_find(&m, "allocs"));
    assert_null(measure_find(&m, "leaked_bytes"));
    measure_release(&m);
}

/* --- threads --------------------------------------------------------- */

#define NT 4
static atomic_int arrived;
static atomic_int early;          /* a thread ran an iteration before all had arrived */
static atomic_ullong per_thread[NT];

static void counts_per_thread(perfcmp_state *state)
{
    int t = perfcmp_thread_index(state);
    atomic_fetch_add(&arrived, 1);
    int first = 1;
    while (perfcmp_loop(state)) {
        if (first && atomic_load(&arrived) % NT != 0)
            atomic_store(&early, 1);
        first = 0;
        atomic_fetch_add(&per_thread[t], 1);
    }
    perfcmp_set_items(state, 2);
}

static void every_thread_runs_every_iteration_after_all_arrived(void **unused)
{
    measure m;
    sample_opts o = { .samples = 3, .min_time = 0.01, .iterations = 1000, .threads = NT };
    (void)unused;
    atomic_store(&arrived, 0);
    atomic_store(&early, 0);
    for (int i = 0; i < NT; i++)
        atomic_store(&per_thread[i], 0);
    measure_init(&m);
    assert_int_equal(sample_run(counts_per_thread, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    /* warm-up + 3 samples, 1000 iterations each, in every thread */
    for (int i = 0; i < NT; i++)
        assert_int_equal(atomic_load(&per_thread[i]), 4000);
    assert_int_equal(atomic_load(&early), 0);
    /* 4 threads x 2 items per iteration over one iteration's wall time */
    const measure_metric *ips = measure_find(&m, "items_per_second");
    const measure_metric *wall = measure_find(&m, "wall_time");
    assert_non_null(ips);
    for (size_t k = 0; k < ips->n; k++)
        if (wall->values[k] > 0)
            assert_true(fabs(ips->values[k] * wall->values[k] * 1e-9 - 8) < 1e-6);
    measure_release(&m);
}

static void thread_index_and_count(perfcmp_state *state)
{
    if (perfcmp_threads(state) != 1 || perfcmp_thread_index(state) != 0)
        perfcmp_fail(state, "one thread expected");
    while (perfcmp_loop(state))
        perfcmp_clobber();
}

static void without_threads_the_index_is_0_of_1(void **unused)
{
    measure m;
    sample_opts o = { .samples = 1, .min_time = 0.01, .iterations = 10 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(sample_run(thread_index_and_count, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    measure_release(&m);
    /* a bare state, as in the loop tests: one thread too */
    perfcmp_state s;
    state_priv p;
    memset(&p, 0, sizeof p);
    state_begin(&s, &p, NULL, 0, 3);
    thread_index_and_count(&s);
    assert_int_equal(state_end(&s, &p), 0);
}

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* 20 us of this thread's CPU time per iteration */
static void spins_20us(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        uint64_t end = thread_cpu_ns() + 20000;
        while (thread_cpu_ns() < end)
            ;
    }
}

static void cpu_time_adds_up_the_threads(void **unused)
{
    measure m;
    sample_opts o = { .samples = 3, .min_time = 0.01, .iterations = 50, .threads = 2 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(sample_run(spins_20us, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    /* each thread's own CPU clock, summed: 2 x 20 us per iteration and
     * whatever the last clock read of each spin overshoots (a system call
     * of about a microsecond), independent of the machine's load; the
     * slowest thread's alone would be 20 us, the process clock read in
     * both threads about 80 us */
    const measure_metric *cpu = measure_find(&m, "cpu_time");
    for (size_t k = 0; k < cpu->n; k++)
        assert_true(cpu->values[k] >= 39000 && cpu->values[k] <= 60000);
    measure_release(&m);
}

/* thread 2 fails before its loop, thread 3 never calls the loop: the
 * others must not wait for them forever */
static void some_threads_give_up(perfcmp_state *state)
{
    int t = perfcmp_thread_index(state);
    if (t == 2) {
        perfcmp_fail(state, "thread 2 gives up");
    } else if (t == 3) {
        return;
    }
    while (perfcmp_loop(state))
        perfcmp_clobber();
}

static void a_thread_that_fails_does_not_hold_up_the_others(void **unused)
{
    measure m;
    sample_opts o = { .samples = 2, .min_time = 0.01, .iterations = 100, .threads = 4,
                      .heap = 1 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(sample_run(some_threads_give_up, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_FAILED);
    assert_string_equal(m.error, "thread 2 gives up");
    measure_release(&m);
}

/* --- latency mode ------------------------------------------------------ */

static unsigned op_count;

static void each_iteration_an_operation(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        if (op_count++ % 4 == 0)
            perfcmp_op_failed(state);
        perfcmp_clobber();
    }
}

static void latency_mode_records_every_iteration(void **unused)
{
    measure m;
    sample_opts o = { .samples = 3, .min_time = 0.01, .iterations = 400, .latency = 1 };
    (void)unused;
    measure_init(&m);
    op_count = 0;
    assert_int_equal(sample_run(each_iteration_an_operation, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    const char *names[] = { "latency_p50", "latency_p90", "latency_p99", "latency_p999",
                            "latency_max" };
    for (size_t i = 0; i < 5; i++) {
        const measure_metric *mm = measure_find(&m, names[i]);
        assert_non_null(mm);
        assert_int_equal(mm->n, 3);
        assert_string_equal(mm->unit, "ns");
        assert_int_equal(mm->direction, 0);
        if (i > 0)
            for (size_t k = 0; k < 3; k++)
                assert_true(mm->values[k] >= measure_find(&m, names[i - 1])->values[k]);
    }
    /* 400 iterations a sample, every fourth failed (400 is a multiple of 4) */
    const measure_metric *sr = measure_find(&m, "success_rate");
    const measure_metric *total = measure_find(&m, "ops_total");
    for (size_t k = 0; k < 3; k++) {
        assert_true(sr->values[k] == 0.75);
        assert_true(total->values[k] == 400);
    }
    assert_int_equal(sr->direction, 1);
    assert_string_equal(sr->unit, "fraction");
    assert_non_null(measure_find(&m, "ops_per_second"));
    assert_non_null(measure_find(&m, "duration"));
    measure_release(&m);
}

static void two_ops_per_iteration(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        perfcmp_op_begin(state);
        perfcmp_clobber();
        perfcmp_op_end(state);
        perfcmp_op_begin(state);
        perfcmp_op_failed(state);
    }
}

static void the_op_api_turns_latency_mode_on(void **unused)
{
    measure m;
    sample_opts o = { .samples = 2, .min_time = 0.01, .iterations = 50, .threads = 2 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(sample_run(two_ops_per_iteration, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    /* 2 threads x 50 iterations x 2 operations, half of them failed */
    const measure_metric *total = measure_find(&m, "ops_total");
    assert_non_null(total);
    assert_int_equal(total->n, 2);
    assert_true(total->values[0] == 200 && total->values[1] == 200);
    assert_true(measure_find(&m, "success_rate")->values[0] == 0.5);
    assert_int_equal(measure_find(&m, "latency_p50")->n, 2);
    measure_release(&m);
}

static void op_end_alone(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        perfcmp_op_end(state);
}

static void op_nested(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        perfcmp_op_begin(state);
        perfcmp_op_begin(state);
    }
}

static void op_left_open(perfcmp_state *state)
{
    int first = 1;
    while (perfcmp_loop(state)) {
        if (first)
            perfcmp_op_begin(state);
        first = 0;
    }
}

static void op_outside(perfcmp_state *state)
{
    perfcmp_op_begin(state);
    while (perfcmp_loop(state))
        perfcmp_clobber();
}

static void op_failed_alone(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        perfcmp_op_failed(state);
}

static void misusing_the_op_api_fails_the_benchmark(void **unused)
{
    static const struct {
        perfcmp_fn fn;
        int latency;
        const char *error;
    } cases[] = {
        { op_end_alone, 0, "perfcmp_op_end() without perfcmp_op_begin()" },
        { op_nested, 0, "perfcmp_op_begin() while an operation is open (operations do not nest)" },
        { op_left_open, 0, "perfcmp_op_begin() without perfcmp_op_end() when the loop ended" },
        { op_outside, 0, "perfcmp_op_begin() outside the measured loop" },
        { op_failed_alone, 0, "perfcmp_op_failed() without perfcmp_op_begin()" },
        { two_ops_per_iteration, 1,
          "perfcmp_op_begin() in a benchmark with .latency = 1, where every iteration is "
          "already one operation" },
    };
    (void)unused;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        measure m;
        sample_opts o = { .samples = 2, .min_time = 0.01, .iterations = 5,
                          .latency = cases[i].latency };
        measure_init(&m);
        assert_int_equal(sample_run(cases[i].fn, NULL, 0, &o, &m), 0);
        assert_int_equal(m.status, MEASURE_FAILED);
        assert_string_equal(m.error, cases[i].error);
        measure_release(&m);
    }
}

static void no_ops(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        perfcmp_clobber();
}

static void outside_latency_mode_there_are_no_latency_metrics(void **unused)
{
    measure m;
    sample_opts o = { .samples = 2, .min_time = 0.01, .iterations = 5 };
    (void)unused;
    measure_init(&m);
    assert_int_equal(sample_run(no_ops, NULL, 0, &o, &m), 0);
    assert_null(measure_find(&m, "latency_p50"));
    assert_null(measure_find(&m, "success_rate"));
    measure_release(&m);
}

/* --- perf counters ------------------------------------------------------ */

static void touches_pages(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        perfcmp_pause_timing(state);
        char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        perfcmp_resume_timing(state);
        if (p == MAP_FAILED) {
            perfcmp_fail(state, "mmap failed");
            continue;
        }
        for (size_t i = 0; i < (1u << 20); i += 4096)
            p[i] = 1;
        perfcmp_clobber();
        perfcmp_pause_timing(state);
        munmap(p, 1 << 20);
        perfcmp_resume_timing(state);
    }
}

static void software_counters_give_one_value_per_sample(void **unused)
{
    instr_counters c;
    measure m;
    sample_opts o = { .samples = 3, .min_time = 0.01, .iterations = 20,
                      .counters = INSTR_MASK(INSTR_PAGE_FAULTS) };
    (void)unused;
    if (instr_counters_open(&c, o.counters) == 0) {
        print_message("skipped: page-faults counter %s\n", instr_strerror(c.err[INSTR_PAGE_FAULTS]));
        instr_counters_release(&c);
        skip();
    }
    instr_counters_release(&c);
    measure_init(&m);
    assert_int_equal(sample_run(touches_pages, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    const measure_metric *pf = measure_find(&m, "page_faults");
    assert_non_null(pf);
    assert_int_equal(pf->n, 3);
    assert_string_equal(pf->unit, "count");
    /* 256 fresh pages touched per iteration: one fault each (the kernel
     * may map a few neighbours at once, "fault-around", for file pages
     * only); the mmap and munmap are paused */
    for (size_t k = 0; k < pf->n; k++)
        assert_true(pf->values[k] >= 250 && pf->values[k] <= 260);
    assert_null(measure_find(&m, "cycles"));
    measure_release(&m);
}

/* every thread maps 64 fresh pages per iteration and touches them */
static void threads_touch_pages(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
        char *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (p == MAP_FAILED) {
            perfcmp_fail(state, "mmap failed");
            continue;
        }
        for (size_t i = 0; i < 64 * 4096; i += 4096)
            p[i] = 1;
        perfcmp_clobber();
        munmap(p, 64 * 4096);
    }
}

static void counters_count_every_thread_once_per_sample(void **unused)
{
    instr_counters c;
    measure m;
    sample_opts o = { .samples = 4, .min_time = 0.01, .iterations = 10, .threads = 2,
                      .counters = INSTR_MASK(INSTR_PAGE_FAULTS) };
    (void)unused;
    if (instr_counters_open(&c, o.counters) == 0) {
        print_message("skipped: page-faults counter %s\n", instr_strerror(c.err[INSTR_PAGE_FAULTS]));
        instr_counters_release(&c);
        skip();
    }
    instr_counters_release(&c);
    measure_init(&m);
    assert_int_equal(sample_run(threads_touch_pages, NULL, 0, &o, &m), 0);
    assert_int_equal(m.status, MEASURE_OK);
    const measure_metric *pf = measure_find(&m, "page_faults");
    assert_non_null(pf);
    assert_int_equal(pf->n, 4);
    /* 2 threads x 64 pages per iteration, in every sample: the threads of
     * earlier runs, whose counts the kernel keeps adding to the counter,
     * must not show (they would make the samples grow) */
    for (size_t k = 0; k < pf->n; k++)
        assert_true(pf->values[k] >= 126 && pf->values[k] <= 134);
    measure_release(&m);
}

/* --- callgrind arithmetic --------------------------------------------- */

static void instructions_are_the_bodys_difference_less_the_loops(void **unused)
{
    (void)unused;
    /* empty N = 1000 + 3N, empty 2N = 1000 + 6N; body N = 5000 + 13N,
     * body 2N = 5000 + 26N: 13N - 3N over N = 10 per iteration */
    uint64_t n = 100;
    uint64_t ir[SAMPLE_CALLGRIND_PARTS] = { 1000 + 3 * n, 1000 + 6 * n, 5000 + 13 * n,
                                            5000 + 26 * n };
    assert_true(sample_callgrind_per_iteration(ir, n) == 10);
    /* never negative */
    uint64_t odd[SAMPLE_CALLGRIND_PARTS] = { 0, 500, 0, 100 };
    assert_true(sample_callgrind_per_iteration(odd, 10) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_heap_pass_counts_the_loop_only),
        cmocka_unit_test(without_the_heap_pass_there_are_no_heap_metrics),
        cmocka_unit_test(every_thread_runs_every_iteration_after_all_arrived),
        cmocka_unit_test(without_threads_the_index_is_0_of_1),
        cmocka_unit_test(cpu_time_adds_up_the_threads),
        cmocka_unit_test(a_thread_that_fails_does_not_hold_up_the_others),
        cmocka_unit_test(latency_mode_records_every_iteration),
        cmocka_unit_test(the_op_api_turns_latency_mode_on),
        cmocka_unit_test(misusing_the_op_api_fails_the_benchmark),
        cmocka_unit_test(outside_latency_mode_there_are_no_latency_metrics),
        cmocka_unit_test(software_counters_give_one_value_per_sample),
        cmocka_unit_test(counters_count_every_thread_once_per_sample),
        cmocka_unit_test(instructions_are_the_bodys_difference_less_the_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
