/*
 * test_utf8.c - UTF-8 validation against the well-formed byte sequences
 * of the Unicode Standard (chapter 3, table 3-7) and the malformed cases
 * of Markus Kuhn's "UTF-8 decoder capability and stress test"
 * (https://www.cl.cam.ac.uk/~mgk25/ucs/examples/UTF-8-test.txt):
 * overlong forms, surrogates, code points past U+10FFFF, stray
 * continuation bytes and sequences cut short.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/utf8.h"

static size_t seq_len(const char *s)
{
    return utf8_seq_len((const unsigned char *)s);
}

static void ascii_and_nul_are_one_byte(void **state)
{
    (void)state;
    assert_int_equal(seq_len("A"), 1);
    assert_int_equal(seq_len("\x7f"), 1);
    assert_int_equal(seq_len(""), 1);
}

static void the_shortest_and_longest_forms_of_each_length_are_valid(void **state)
{
    (void)state;
    assert_int_equal(seq_len("\xc2\x80"), 2);            /* U+0080 */
    assert_int_equal(seq_len("\xdf\xbf"), 2);            /* U+07FF */
    assert_int_equal(seq_len("\xe0\xa0\x80"), 3);        /* U+0800 */
    assert_int_equal(seq_len("\xe2\x82\xac"), 3);        /* U+20AC euro sign */
    assert_int_equal(seq_len("\xed\x9f\xbf"), 3);        /* U+D7FF, before the surrogates */
    assert_int_equal(seq_len("\xee\x80\x80"), 3);        /* U+E000, after them */
    assert_int_equal(seq_len("\xef\xbf\xbf"), 3);        /* U+FFFF */
    assert_int_equal(seq_len("\xf0\x90\x80\x80"), 4);    /* U+10000 */
    assert_int_equal(seq_len("\xf0\x9f\x98\x80"), 4);    /* U+1F600 */
    assert_int_equal(seq_len("\xf4\x8f\xbf\xbf"), 4);    /* U+10FFFF */
}

static void overlong_forms_are_refused(void **state)
{
    (void)state;
    assert_int_equal(seq_len("\xc0\xaf"), 0);            /* '/' in 2 bytes */
    assert_int_equal(seq_len("\xc1\xbf"), 0);
    assert_int_equal(seq_len("\xe0\x80\xaf"), 0);        /* '/' in 3 bytes */
    assert_int_equal(seq_len("\xe0\x9f\xbf"), 0);        /* U+07FF in 3 bytes */
    assert_int_equal(seq_len("\xf0\x80\x80\xaf"), 0);    /* '/' in 4 bytes */
    assert_int_equal(seq_len("\xf0\x8f\xbf\xbf"), 0);    /* U+FFFF in 4 bytes */
}

static void surrogates_and_code_points_past_10ffff_are_refused(void **state)
{
    (void)state;
    assert_int_equal(seq_len("\xed\xa0\x80"), 0);        /* U+D800 */
    assert_int_equal(seq_len("\xed\xbf\xbf"), 0);        /* U+DFFF */
    assert_int_equal(seq_len("\xf4\x90\x80\x80"), 0);    /* U+110000 */
    assert_int_equal(seq_len("\xf7\xbf\xbf\xbf"), 0);    /* U+1FFFFF */
    assert_int_equal(seq_len("\xf8\x88\x80\x80\x80"), 0); /* 5-byte form */
    assert_int_equal(seq_len("\xfe"), 0);
    assert_int_equal(seq_len("\xff"), 0);
}

static void stray_and_cut_short_sequences_are_refused(void **state)
{
    (void)state;
    assert_int_equal(seq_len("\x80"), 0);                /* lone continuation */
    assert_int_equal(seq_len("\xbf"), 0);
    assert_int_equal(seq_len("\xc3"), 0);                /* cut by the NUL */
    assert_int_equal(seq_len("\xe2\x82"), 0);
    assert_int_equal(seq_len("\xf0\x9f\x98"), 0);
    assert_int_equal(seq_len("\xc3 "), 0);               /* followed by ASCII */
    assert_int_equal(seq_len("\xe2\x82\xc3\xa9"), 0);    /* by another lead byte */
}

static void check_accepts_valid_text_and_reports_control_characters(void **state)
{
    (void)state;
    int ctrl = -1;
    assert_int_equal(utf8_check("", &ctrl), 0);
    assert_int_equal(ctrl, 0);
    assert_int_equal(utf8_check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", &ctrl), 0);
    assert_int_equal(ctrl, 0);
    assert_int_equal(utf8_check("a\tb", &ctrl), 0);
    assert_int_equal(ctrl, 1);
    assert_int_equal(utf8_check("a\x7f", &ctrl), 0);
    assert_int_equal(ctrl, 1);
    assert_int_equal(utf8_check("\x1b[31m", &ctrl), 0);
    assert_int_equal(ctrl, 1);
}

static void check_refuses_any_malformed_sequence(void **state)
{
    (void)state;
    int ctrl;
    assert_int_equal(utf8_check("ok\xff", &ctrl), -1);
    assert_int_equal(utf8_check("\xc0\xaf", &ctrl), -1);
    assert_int_equal(utf8_check("name\xed\xa0\x80", &ctrl), -1);
    assert_int_equal(utf8_check("\xe2\x82", &ctrl), -1);
    assert_int_equal(utf8_check("\xc3\xa9\xa9", &ctrl), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_and_nul_are_one_byte),
        cmocka_unit_test(the_shortest_and_longest_forms_of_each_length_are_valid),
        cmocka_unit_test(overlong_forms_are_refused),
        cmocka_unit_test(surrogates_and_code_points_past_10ffff_are_refused),
        cmocka_unit_test(stray_and_cut_short_sequences_are_refused),
        cmocka_unit_test(check_accepts_valid_text_and_reports_control_characters),
        cmocka_unit_test(check_refuses_any_malformed_sequence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
