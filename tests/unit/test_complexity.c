/*
 * test_complexity.c - complexity fits of a run's families (complexity.c):
 * which instances make points, the fitted class on exact cost functions,
 * and the order of the families.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/complexity.h"

/* Adds instance FAMILY/N with 3 wall_time samples around T. */
static results_bench *add(results_run *run, const char *family, long long n, double t)
{
    char name[64];
    double v[3] = { t * 0.99, t, t * 1.01 };
    snprintf(name, sizeof name, "%s/%lld", family, n);
    results_bench *b = results_add_bench(run, name, family);
    assert_non_null(b);
    b->args = malloc(sizeof *b->args);
    assert_non_null(b->args);
    b->args[0] = n;
    b->nargs = 1;
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, v, 3));
    return b;
}

static void each_family_gets_the_class_of_its_cost(void **unused)
{
    results_run run;
    complexity_fit *fits;
    size_t n;
    (void)unused;
    results_run_init(&run);
    for (long long k = 64; k <= 8192; k *= 2) {
        add(&run, "quad", k, 0.5 * (double)k * (double)k);
        add(&run, "lin", k, 3.0 * (double)k + 0.0);
        add(&run, "nlogn", k, 2.0 * (double)k * log2((double)k));
    }
    assert_int_equal(complexity_fit_run(&run, "wall_time", &fits, &n), 0);
    assert_int_equal(n, 3);
    /* in the order of each family's first instance */
    assert_string_equal(fits[0].family, "quad");
    assert_string_equal(fits[1].family, "lin");
    assert_string_equal(fits[2].family, "nlogn");
    assert_int_equal(fits[0].fit.best, BIGO_N2);
    assert_int_equal(fits[1].fit.best, BIGO_N);
    assert_int_equal(fits[2].fit.best, BIGO_NLOGN);
    /* exact data: the coefficient is the medians' own */
    assert_true(fabs(fits[0].fit.coef - 0.5) < 1e-9);
    assert_true(fabs(fits[1].fit.coef - 3.0) < 1e-9);
    assert_true(fabs(fits[2].fit.coef - 2.0) < 1e-9);
    assert_true(fits[1].fit.rms < 1e-9);
    assert_int_equal(fits[1].npoints, 8);
    assert_int_equal(fits[1].min_n, 64);
    assert_int_equal(fits[1].max_n, 8192);
    assert_ptr_equal(complexity_find(fits, n, "lin"), &fits[1]);
    assert_null(complexity_find(fits, n, "nope"));
    complexity_fits_free(fits, n);
    results_run_release(&run);
}

static void only_ok_one_argument_instances_with_a_positive_median_count(void **unused)
{
    results_run run;
    complexity_fit *fits;
    size_t n;
    (void)unused;
    results_run_init(&run);
    /* three sizes only: no fit */
    for (long long k = 8; k <= 32; k *= 2)
        add(&run, "few", k, (double)k);
    /* five sizes, but two failed and one with a zero time: three points */
    for (long long k = 8; k <= 128; k *= 2) {
        results_bench *b = add(&run, "broken", k, k == 64 ? 0 : (double)k);
        if (k == 8 || k == 16)
            b->status = RESULTS_FAILED;
    }
    /* two arguments */
    for (long long k = 8; k <= 128; k *= 2) {
        results_bench *b = add(&run, "two", k, (double)k);
        long long *a = realloc(b->args, 2 * sizeof *a);
        assert_non_null(a);
        a[1] = 1;
        b->args = a;
        b->nargs = 2;
    }
    /* sizes below 1 */
    for (long long k = -2; k <= 1; k++)
        add(&run, "zero", k, 1);
    /* no argument at all */
    results_bench *b = results_add_bench(&run, "plain", NULL);
    double v = 5;
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, &v, 1));
    /* four good sizes and one failed: fitted on four */
    for (long long k = 8; k <= 128; k *= 2) {
        results_bench *g = add(&run, "good", k, (double)k * (double)k);
        if (k == 128)
            g->status = RESULTS_CRASHED;
    }
    assert_int_equal(complexity_fit_run(&run, "wall_time", &fits, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(fits[0].family, "good");
    assert_int_equal(fits[0].npoints, 4);
    assert_int_equal(fits[0].max_n, 64);
    assert_int_equal(fits[0].fit.best, BIGO_N2);
    complexity_fits_free(fits, n);

    /* another metric, absent: nothing */
    assert_int_equal(complexity_fit_run(&run, "cpu_time", &fits, &n), 0);
    assert_int_equal(n, 0);
    assert_null(fits);
    results_run_release(&run);

    /* an empty run */
    results_run_init(&run);
    assert_int_equal(complexity_fit_run(&run, "wall_time", &fits, &n), 0);
    assert_int_equal(n, 0);
    assert_null(fits);
    complexity_fits_free(NULL, 0);
    results_run_release(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_family_gets_the_class_of_its_cost),
        cmocka_unit_test(only_ok_one_argument_instances_with_a_positive_median_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
