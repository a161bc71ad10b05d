/*
 * test_lib_measure.c - the measurement of one instance and the message a
 * forked child sends it back in: round trips, and refusal of every
 * truncated or corrupted message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/measure.h"

static void fill(measure *m)
{
    measure_metric *w = measure_metric_get(m, "wall_time", "ns", 0);
    assert_non_null(w);
    for (int i = 0; i < 100; i++)
        assert_int_equal(measure_push(w, 1000.0 + i), 0);
    measure_metric *c = measure_metric_get(m, "ops", "op/s", 1);
    assert_non_null(c);
    assert_int_equal(measure_push(c, 0.5), 0);
    assert_non_null(measure_metric_get(m, "empty", "", 0));
    m->iterations = 12345;
}

static void metrics_are_found_or_added_once(void **unused)
{
    measure m;
    (void)unused;
    measure_init(&m);
    fill(&m);
    assert_int_equal(m.nmetrics, 3);
    measure_metric *again = measure_metric_get(&m, "wall_time", "other", 1);
    assert_ptr_equal(again, &m.metrics[0]);
    assert_string_equal(again->unit, "ns");
    assert_null(measure_find(&m, "nope"));
    measure_release(&m);
    measure_release(NULL);
}

static void the_first_failure_sticks(void **unused)
{
    measure m;
    (void)unused;
    measure_init(&m);
    assert_int_equal(measure_set_status(&m, MEASURE_CRASHED, "signal 11 (Segmentation fault)"), 0);
    assert_int_equal(measure_set_status(&m, MEASURE_FAILED, "later"), 0);
    assert_int_equal(m.status, MEASURE_CRASHED);
    assert_string_equal(m.error, "signal 11 (Segmentation fault)");
    measure_release(&m);
}

static void a_message_round_trips(void **unused)
{
    measure m, back;
    size_t len;
    (void)unused;
    measure_init(&m);
    measure_init(&back);
    fill(&m);
    unsigned char *buf = measure_encode(&m, &len);
    assert_non_null(buf);
    assert_int_equal(measure_message_size(buf, len), len);
    assert_int_equal(measure_decode(buf, len, &back), 0);
    assert_int_equal(back.status, MEASURE_OK);
    assert_null(back.error);
    assert_int_equal(back.iterations, 12345);
    assert_int_equal(back.nmetrics, 3);
    assert_string_equal(back.metrics[0].name, "wall_time");
    assert_int_equal(back.metrics[0].n, 100);
    assert_true(back.metrics[0].values[99] == 1099.0);
    assert_string_equal(back.metrics[1].unit, "op/s");
    assert_int_equal(back.metrics[1].direction, 1);
    assert_int_equal(back.metrics[2].n, 0);
    free(buf);
    measure_release(&m);
    measure_release(&back);
}

static void a_failure_round_trips(void **unused)
{
    measure m, back;
    size_t len;
    (void)unused;
    measure_init(&m);
    measure_init(&back);
    measure_set_status(&m, MEASURE_FAILED, "no input file");
    unsigned char *buf = measure_encode(&m, &len);
    assert_int_equal(measure_decode(buf, len, &back), 0);
    assert_int_equal(back.status, MEASURE_FAILED);
    assert_string_equal(back.error, "no input file");
    assert_int_equal(back.nmetrics, 0);
    free(buf);
    measure_release(&m);
    measure_release(&back);
}

static void every_truncation_is_refused(void **unused)
{
    measure m, back;
    size_t len;
    (void)unused;
    measure_init(&m);
    fill(&m);
    unsigned char *buf = measure_encode(&m, &len);
    for (size_t cut = 0; cut < len; cut++) {
        measure_init(&back);
        assert_int_equal(measure_decode(buf, cut, &back), -1);
        assert_int_equal(back.nmetrics, 0);
        assert_int_equal(measure_message_size(buf, cut), cut < 16 ? 0 : len);
    }
    free(buf);
    measure_release(&m);
}

static void corrupted_messages_are_refused(void **unused)
{
    measure m, back;
    size_t len;
    (void)unused;
    measure_init(&m);
    fill(&m);
    unsigned char *buf = measure_encode(&m, &len);

    /* bad magic */
    buf[0] ^= 0xff;
    assert_int_equal(measure_message_size(buf, len), SIZE_MAX);
    measure_init(&back);
    assert_int_equal(measure_decode(buf, len, &back), -1);
    buf[0] ^= 0xff;

    /* an unknown status (first payload field) */
    int32_t status = 9;
    memcpy(buf + 16, &status, 4);
    measure_init(&back);
    assert_int_equal(measure_decode(buf, len, &back), -1);
    status = 0;
    memcpy(buf + 16, &status, 4);

    /* trailing garbage: payload length one more, one byte appended */
    unsigned char *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 0;
    uint64_t payload;
    memcpy(&payload, longer + 8, 8);
    payload++;
    memcpy(longer + 8, &payload, 8);
    measure_init(&back);
    assert_int_equal(measure_decode(longer, len + 1, &back), -1);
    free(longer);

    /* a metric name length far past the end */
    size_t name_at = 16 + 4 + 8 + 4 + 4; /* status, iterations, no error, nmetrics */
    uint32_t huge = 0x7fffffff;
    memcpy(buf + name_at, &huge, 4);
    measure_init(&back);
    assert_int_equal(measure_decode(buf, len, &back), -1);

    free(buf);
    measure_release(&m);
}

static void ok_with_an_error_or_failed_without_one_is_refused(void **unused)
{
    measure m, back;
    size_t len;
    (void)unused;
    measure_init(&m);
    m.status = MEASURE_FAILED; /* set by hand: no message */
    unsigned char *buf = measure_encode(&m, &len);
    measure_init(&back);
    assert_int_equal(measure_decode(buf, len, &back), -1);
    free(buf);
    measure_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metrics_are_found_or_added_once),
        cmocka_unit_test(the_first_failure_sticks),
        cmocka_unit_test(a_message_round_trips),
        cmocka_unit_test(a_failure_round_trips),
        cmocka_unit_test(every_truncation_is_refused),
        cmocka_unit_test(corrupted_messages_are_refused),
        cmocka_unit_test(ok_with_an_error_or_failed_without_one_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
