/*
 * test_natsort.c - the natural order of benchmark names: family first,
 * then numeric arguments by value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/natsort.h"

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void sizes_sort_by_value_not_by_text(void **state)
{
    (void)state;
    char *v[] = { "qsort/1024", "qsort/16", "qsort/16384", "qsort/256", "qsort/4096" };
    natsort_strings(v, 5);
    assert_string_equal(v[0], "qsort/16");
    assert_string_equal(v[1], "qsort/256");
    assert_string_equal(v[2], "qsort/1024");
    assert_string_equal(v[3], "qsort/4096");
    assert_string_equal(v[4], "qsort/16384");
}

static void the_family_comes_before_the_arguments(void **state)
{
    (void)state;
    /* strcmp puts "qsort-fast/1" between qsort/... only by accident of '-'
       < '/'; by family, every qsort/N comes before or after as a block */
    char *v[] = { "qsort/2", "qsort_x/1", "qsort/10", "hash/64", "qsort-fast/1", "qsort/1" };
    natsort_strings(v, 6);
    assert_string_equal(v[0], "hash/64");
    assert_string_equal(v[1], "qsort/1");
    assert_string_equal(v[2], "qsort/2");
    assert_string_equal(v[3], "qsort/10");
    assert_string_equal(v[4], "qsort-fast/1");
    assert_string_equal(v[5], "qsort_x/1");
}

static void every_argument_counts_in_turn(void **state)
{
    (void)state;
    assert_true(natsort_cmp("mat/8/1024", "mat/16/2") < 0);
    assert_true(natsort_cmp("mat/16/2", "mat/16/10") < 0);
    assert_true(natsort_cmp("BM_x/threads:2", "BM_x/threads:16") < 0);
    assert_true(natsort_cmp("sort/64", "sort/64/2") < 0);
    assert_true(natsort_cmp("sort", "sort/1") < 0);
}

static void numbers_of_any_length_and_leading_zeros(void **state)
{
    (void)state;
    assert_true(natsort_cmp("a/99999999999999999999999", "a/100000000000000000000000") < 0);
    assert_true(natsort_cmp("a/1", "a/01") < 0);      /* same value: fewer zeros first */
    assert_true(natsort_cmp("a/01", "a/2") < 0);      /* but value decides first */
    assert_true(natsort_cmp("a/0", "a/00") < 0);
}

static void the_order_is_total_and_antisymmetric(void **state)
{
    (void)state;
    const char *v[] = { "a", "a/1", "a/01", "a/001", "a1", "a01", "b/2", "b/10", "B/1",
                        "x/1k", "x/1m", "x/01k", "", "/1", "/01", "a/1/1" };
    size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(natsort_cmp(v[i], v[i]), 0);
        for (size_t j = 0; j < n; j++) {
            int c = natsort_cmp(v[i], v[j]);
            assert_int_equal(sign(c), -sign(natsort_cmp(v[j], v[i])));
            if (i != j)
                assert_int_not_equal(c, 0);
            for (size_t k = 0; k < n; k++)
                if (c < 0 && natsort_cmp(v[j], v[k]) < 0)
                    assert_true(natsort_cmp(v[i], v[k]) < 0);
        }
    }
}

static void null_sorts_first_and_empty_lists_are_fine(void **state)
{
    (void)state;
    assert_true(natsort_cmp(NULL, "a") < 0);
    assert_true(natsort_cmp("a", NULL) > 0);
    assert_int_equal(natsort_cmp(NULL, NULL), 0);
    natsort_strings(NULL, 0);
    char *one[] = { "x" };
    natsort_strings(one, 1);
    assert_string_equal(one[0], "x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sizes_sort_by_value_not_by_text),
        cmocka_unit_test(the_family_comes_before_the_arguments),
        cmocka_unit_test(every_argument_counts_in_turn),
        cmocka_unit_test(numbers_of_any_length_and_leading_zeros),
        cmocka_unit_test(the_order_is_total_and_antisymmetric),
        cmocka_unit_test(null_sorts_first_and_empty_lists_are_fine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
