/*
 * test_lib_registry.c - registration order, argument ranges and lists,
 * instance names, tags, and definition errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lib/registry.h"

static void body(perfcmp_state *state)
{
    while (perfcmp_loop(state)) {
    }
}

static int reset(void **unused)
{
    (void)unused;
    registry_clear();
    return 0;
}

/* The values of SPEC joined by commas, or "ERROR: reason". */
static const char *values(perfcmp_arg_spec spec)
{
    static char buf[1024];
    long long v[64];
    char err[200];
    long long n = registry_dimension(&spec, v, 64, err, sizeof err);
    size_t len = 0;

    if (n < 0) {
        snprintf(buf, sizeof buf, "ERROR: %s", err);
        return buf;
    }
    buf[0] = '\0';
    for (long long i = 0; i < n; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%lld", i ? "," : "", v[i]);
    return buf;
}

static void ranges_are_geometric_and_include_hi(void **unused)
{
    (void)unused;
    /* the example of perfcmp.h */
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(8, 8192, 4)),
                        "8,32,128,512,2048,8192");
    /* hi is included even when it is not a power of mult */
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(10, 100, 4)), "10,40,100");
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(8, 100, 4)), "8,32,100");
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(5, 5, 2)), "5");
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(1, 3, 2)), "1,2,3");
}

static void ranges_near_the_largest_value_do_not_overflow(void **unused)
{
    (void)unused;
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(4611686018427387904LL,
                                                                9223372036854775807LL, 2)),
                        "4611686018427387904,9223372036854775807");
}

static void invalid_ranges_are_errors(void **unused)
{
    (void)unused;
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(0, 8, 2)),
                        "ERROR: invalid PERFCMP_RANGE(0, 8, 2): needs 1 <= lo <= hi and mult >= 2");
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(16, 8, 2)),
                        "ERROR: invalid PERFCMP_RANGE(16, 8, 2): needs 1 <= lo <= hi and mult >= 2");
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_RANGE(1, 8, 1)),
                        "ERROR: invalid PERFCMP_RANGE(1, 8, 1): needs 1 <= lo <= hi and mult >= 2");
    /* 1, 2, 4, 8 is one value too many for room for 3 */
    perfcmp_arg_spec four = PERFCMP_RANGE(1, 8, 2);
    long long v[3];
    char err[100];
    assert_int_equal(registry_dimension(&four, v, 3, err, sizeof err), -1);
    assert_string_equal(err, "PERFCMP_RANGE has more than 3 values");
    perfcmp_arg_spec list = PERFCMP_LIST(1, 2, 3, 4);
    assert_int_equal(registry_dimension(&list, v, 3, err, sizeof err), -1);
    assert_string_equal(err, "PERFCMP_LIST has more than 3 values");
    perfcmp_arg_spec three = PERFCMP_RANGE(1, 4, 2);
    assert_int_equal(registry_dimension(&three, v, 3, err, sizeof err), 3);
}

static void lists_keep_their_order_and_may_hold_anything(void **unused)
{
    (void)unused;
    assert_string_equal(values((perfcmp_arg_spec)PERFCMP_LIST(100, 1, -5, 0)), "100,1,-5,0");
    assert_string_equal(values((perfcmp_arg_spec){ 0 }), "");
}

static void tags_split_on_spaces_and_commas(void **unused)
{
    char **t;
    size_t n;
    (void)unused;
    assert_int_equal(registry_split_tags(" cpu, slow,,io\tx ", &t, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(t[0], "cpu");
    assert_string_equal(t[1], "slow");
    assert_string_equal(t[2], "io");
    assert_string_equal(t[3], "x");
    registry_free_tags(t, n);
    assert_int_equal(registry_split_tags(NULL, &t, &n), 0);
    assert_int_equal(n, 0);
    assert_null(t);
    assert_int_equal(registry_split_tags(" , ", &t, &n), 0);
    assert_int_equal(n, 0);
}

static perfcmp_bench_def def_b = { .name = "b", .fn = body, .file = "x.c", .line = 20 };
static perfcmp_bench_def def_a = { .name = "a", .fn = body, .file = "x.c", .line = 30 };
static perfcmp_bench_def def_c = { .name = "c", .fn = body, .file = "a.c", .line = 99 };

static void definitions_are_ordered_by_file_and_line(void **unused)
{
    (void)unused;
    perfcmp_register(&def_a);
    perfcmp_register(&def_b);
    perfcmp_register(&def_c);
    perfcmp_register(&def_b); /* twice: ignored */
    perfcmp_register(NULL);
    const perfcmp_bench_def *d = registry_first();
    assert_string_equal(d->name, "c");
    assert_string_equal(d->next_->name, "b");
    assert_string_equal(d->next_->next_->name, "a");
    assert_null(d->next_->next_->next_);
}

static perfcmp_bench_def def_grid = {
    .name = "grid", .fn = body, .tags = "cpu big", .file = "g.c", .line = 1,
    .args = { PERFCMP_LIST(1, 2), PERFCMP_RANGE(10, 1000, 10), PERFCMP_LIST(-1) },
};

static void arguments_expand_to_their_product_last_fastest(void **unused)
{
    registry_list l = { 0 };
    char err[200];
    (void)unused;
    perfcmp_register(&def_grid);
    assert_int_equal(registry_expand(&l, err, sizeof err), 0);
    assert_int_equal(l.n, 6);
    const char *want[] = { "grid/1/10/-1", "grid/1/100/-1", "grid/1/1000/-1",
                           "grid/2/10/-1", "grid/2/100/-1", "grid/2/1000/-1" };
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(l.v[i].name, want[i]);
        assert_int_equal(l.v[i].nargs, 3);
        assert_ptr_equal(l.v[i].def, &def_grid);
        assert_null(l.v[i].error);
        assert_int_equal(l.v[i].ntags, 2);
        assert_string_equal(l.v[i].tags[1], "big");
    }
    assert_int_equal(l.v[4].args[0], 2);
    assert_int_equal(l.v[4].args[1], 100);
    assert_int_equal(l.v[4].args[2], -1);
    registry_list_release(&l);
    registry_list_release(NULL);
}

static perfcmp_bench_def def_gap = {
    .name = "gap", .fn = body, .file = "g.c", .line = 2,
    .args = { PERFCMP_LIST(1), { 0 }, PERFCMP_LIST(3) },
};
static perfcmp_bench_def def_badrange = {
    .name = "badrange", .fn = body, .file = "g.c", .line = 3,
    .args = { PERFCMP_RANGE(8, 4, 2) },
};
static perfcmp_bench_def def_plain = { .name = "plain", .fn = body, .file = "g.c", .line = 4 };
static perfcmp_bench_def def_threads = { .name = "threads", .fn = body, .file = "g.c", .line = 5,
                                         .threads = PERFCMP_MAX_THREADS + 1 };
static perfcmp_bench_def def_minus = { .name = "minus", .fn = body, .file = "g.c", .line = 6,
                                       .threads = -2 };

static void bad_arguments_make_one_failed_instance(void **unused)
{
    registry_list l = { 0 };
    char err[200];
    (void)unused;
    perfcmp_register(&def_gap);
    perfcmp_register(&def_badrange);
    perfcmp_register(&def_plain);
    perfcmp_register(&def_threads);
    perfcmp_register(&def_minus);
    assert_int_equal(registry_expand(&l, err, sizeof err), 0);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.v[3].name, "threads");
    assert_string_equal(l.v[3].error, "bad options: invalid .threads = 257: expected 1 to 256");
    assert_string_equal(l.v[4].error, "bad options: invalid .threads = -2: expected 1 to 256");
    assert_string_equal(l.v[0].name, "gap");
    assert_string_equal(l.v[0].error, "bad arguments: argument 3 is set but argument 2 is not");
    assert_string_equal(l.v[1].name, "badrange");
    assert_string_equal(l.v[1].error,
                        "bad arguments: invalid PERFCMP_RANGE(8, 4, 2): needs 1 <= lo <= hi and mult >= 2");
    assert_string_equal(l.v[2].name, "plain");
    assert_int_equal(l.v[2].nargs, 0);
    assert_null(l.v[2].error);
    registry_list_release(&l);
}

static perfcmp_bench_def def_dup1 = { .name = "same", .fn = body, .file = "one.c", .line = 3 };
static perfcmp_bench_def def_dup2 = { .name = "same", .fn = body, .file = "two.c", .line = 9 };

static void two_definitions_with_one_name_are_refused(void **unused)
{
    registry_list l = { 0 };
    char err[200];
    (void)unused;
    perfcmp_register(&def_dup2);
    perfcmp_register(&def_dup1);
    assert_int_equal(registry_expand(&l, err, sizeof err), -2);
    assert_string_equal(err, "benchmark 'same' is defined twice (one.c:3 and two.c:9)");
    assert_int_equal(l.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranges_are_geometric_and_include_hi),
        cmocka_unit_test(ranges_near_the_largest_value_do_not_overflow),
        cmocka_unit_test(invalid_ranges_are_errors),
        cmocka_unit_test(lists_keep_their_order_and_may_hold_anything),
        cmocka_unit_test(tags_split_on_spaces_and_commas),
        cmocka_unit_test_setup(definitions_are_ordered_by_file_and_line, reset),
        cmocka_unit_test_setup(arguments_expand_to_their_product_last_fastest, reset),
        cmocka_unit_test_setup(bad_arguments_make_one_failed_instance, reset),
        cmocka_unit_test_setup(two_definitions_with_one_name_are_refused, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
