/*
 * test_textpos.c - line and column of a byte offset, counted by hand on
 * small texts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/textpos.h"

static void the_first_byte_is_line_1_column_1(void **state)
{
    (void)state;
    size_t line = 0, col = 0;
    textpos_line_col("abc", 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
}

static void a_newline_starts_the_next_line_at_column_1(void **state)
{
    (void)state;
    const char *t = "{\n  \"a\": x\n}";       /* 'x' is byte 9 */
    size_t line = 0, col = 0;
    textpos_line_col(t, 9, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 8);
    textpos_line_col(t, 1, &line, &col);       /* the newline itself */
    assert_int_equal(line, 1);
    assert_int_equal(col, 2);
    textpos_line_col(t, 2, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    textpos_line_col(t, 12, &line, &col);      /* just past the end */
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
}

static void columns_count_bytes_and_nuls_are_bytes(void **state)
{
    (void)state;
    size_t line = 0, col = 0;
    textpos_line_col("\xc3\xa9x", 2, &line, &col);      /* after a 2-byte 'e acute' */
    assert_int_equal(line, 1);
    assert_int_equal(col, 3);
    textpos_line_col("a\0b\nc", 4, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_first_byte_is_line_1_column_1),
        cmocka_unit_test(a_newline_starts_the_next_line_at_column_1),
        cmocka_unit_test(columns_count_bytes_and_nuls_are_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
