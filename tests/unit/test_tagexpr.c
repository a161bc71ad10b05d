/*
 * test_tagexpr.c - the tag expression parser: precedence (not > and >
 * or), parentheses, glob words, and error messages with their columns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lib/tagexpr.h"

/* Parses TEXT and returns its fully parenthesised form (static buffer). */
static const char *shape(const char *text)
{
    static char buf[512];
    char err[200];
    tagexpr *e = NULL;

    if (tagexpr_parse(text, &e, err, sizeof err) != 0) {
        snprintf(buf, sizeof buf, "ERROR %s", err);
        return buf;
    }
    tagexpr_format(e, buf, sizeof buf);
    tagexpr_free(e);
    return buf;
}

/* The error message of TEXT, or "" when it parses. */
static const char *error_of(const char *text)
{
    static char err[200];
    tagexpr *e = NULL;
    if (tagexpr_parse(text, &e, err, sizeof err) == 0) {
        tagexpr_free(e);
        return "";
    }
    assert_null(e);
    return err;
}

/* Does TEXT match the space-separated tag list TAGS? */
static int matches(const char *text, const char *tags)
{
    char copy[256], *words[16], *save = NULL;
    size_t n = 0;
    char err[200];
    tagexpr *e = NULL;

    snprintf(copy, sizeof copy, "%s", tags);
    for (char *w = strtok_r(copy, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save))
        words[n++] = w;
    assert_int_equal(tagexpr_parse(text, &e, err, sizeof err), 0);
    int r = tagexpr_match(e, words, n);
    tagexpr_free(e);
    return r;
}

static void a_word_parses_to_itself(void **unused)
{
    (void)unused;
    assert_string_equal(shape("cpu"), "cpu");
    assert_string_equal(shape("  io-bound.v2:x  "), "io-bound.v2:x");
}

static void and_binds_tighter_than_or(void **unused)
{
    (void)unused;
    assert_string_equal(shape("a or b and c"), "(a or (b and c))");
    assert_string_equal(shape("a and b or c"), "((a and b) or c)");
    assert_string_equal(shape("a and b or c and d"), "((a and b) or (c and d))");
}

static void not_binds_tighter_than_and(void **unused)
{
    (void)unused;
    assert_string_equal(shape("not a and b"), "((not a) and b)");
    assert_string_equal(shape("not not a"), "(not (not a))");
    assert_string_equal(shape("a or not b and c"), "(a or ((not b) and c))");
}

static void operators_associate_to_the_left(void **unused)
{
    (void)unused;
    assert_string_equal(shape("a or b or c"), "((a or b) or c)");
    assert_string_equal(shape("a and b and c"), "((a and b) and c)");
}

static void parentheses_override_precedence(void **unused)
{
    (void)unused;
    assert_string_equal(shape("(a or b) and c"), "((a or b) and c)");
    assert_string_equal(shape("not (a or b)"), "(not (a or b))");
    assert_string_equal(shape("((a))"), "a");
    assert_string_equal(shape("(cpu or memory) and not slow"),
                        "((cpu or memory) and (not slow))");
    assert_string_equal(shape("(a)and(b)"), "(a and b)");
}

static void keywords_are_lowercase_and_whole_words(void **unused)
{
    (void)unused;
    /* AND is a tag, not the operator; "andy" and "notes" are tags */
    assert_string_equal(error_of("a AND b"),
                        "expected 'and', 'or' or the end at column 3, got 'AND'");
    assert_string_equal(shape("andy or notes"), "(andy or notes)");
}

static void matching_follows_the_operators(void **unused)
{
    (void)unused;
    assert_true(matches("cpu", "cpu slow"));
    assert_false(matches("cpu", "memory"));
    assert_false(matches("cpu", ""));
    assert_true(matches("not slow", ""));
    assert_false(matches("not slow", "cpu slow"));
    assert_true(matches("(cpu or memory) and not slow", "memory"));
    assert_false(matches("(cpu or memory) and not slow", "memory slow"));
    assert_false(matches("(cpu or memory) and not slow", "io"));
    assert_true(matches("cpu or memory and slow", "cpu"));
    assert_false(matches("(cpu or memory) and slow", "cpu"));
}

static void words_with_glob_characters_are_patterns(void **unused)
{
    (void)unused;
    assert_true(matches("mem*", "memory"));
    assert_false(matches("mem*", "cpu"));
    assert_true(matches("size-?", "size-8"));
    assert_true(matches("not io*", "cpu"));
    /* without glob characters a word must be equal, not a prefix */
    assert_false(matches("mem", "memory"));
}

static void errors_name_the_problem_and_its_column(void **unused)
{
    (void)unused;
    assert_string_equal(error_of(""), "empty tag expression");
    assert_string_equal(error_of("   "), "empty tag expression");
    assert_string_equal(error_of("(cpu or"), "expected a tag at column 8, got end of expression");
    assert_string_equal(error_of("(cpu"), "unmatched '(' at column 1");
    assert_string_equal(error_of("a and (b or c"), "unmatched '(' at column 7");
    assert_string_equal(error_of("cpu)"), "unmatched ')' at column 4");
    assert_string_equal(error_of(")"), "unmatched ')' at column 1");
    assert_string_equal(error_of("not"), "expected a tag after 'not' at column 4, got end of expression");
    assert_string_equal(error_of("not and x"), "expected a tag after 'not' at column 5, got 'and'");
    assert_string_equal(error_of("a and or b"), "expected a tag at column 7, got 'or'");
    assert_string_equal(error_of("and"), "expected a tag at column 1, got 'and'");
    assert_string_equal(error_of("a b"), "expected 'and', 'or' or the end at column 3, got 'b'");
    assert_string_equal(error_of("a & b"), "unexpected character '&' at column 3");
    assert_string_equal(error_of("()"), "unmatched ')' at column 2");
    assert_string_equal(error_of("(a) (b)"), "expected 'and', 'or' or the end at column 5, got '('");
}

static void deep_nesting_is_refused_not_crashed_on(void **unused)
{
    char text[2001];
    (void)unused;
    memset(text, '(', 1000);
    text[1000] = 'a';
    memset(text + 1001, ')', 999);
    text[2000] = '\0';
    assert_string_equal(error_of(text), "expression nested too deeply at column 201");
    /* 100 levels are fine */
    char ok[302];
    memset(ok, '(', 100);
    ok[100] = 'x';
    memset(ok + 101, ')', 100);
    ok[201] = '\0';
    assert_string_equal(shape(ok), "x");
}

static void format_reports_the_length_it_needs(void **unused)
{
    tagexpr *e = NULL;
    char err[100], small[4];
    (void)unused;
    assert_int_equal(tagexpr_parse("a and b", &e, err, sizeof err), 0);
    assert_int_equal(tagexpr_format(e, small, sizeof small), strlen("(a and b)"));
    assert_string_equal(small, "(a ");
    tagexpr_free(e);
    tagexpr_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_word_parses_to_itself),
        cmocka_unit_test(and_binds_tighter_than_or),
        cmocka_unit_test(not_binds_tighter_than_and),
        cmocka_unit_test(operators_associate_to_the_left),
        cmocka_unit_test(parentheses_override_precedence),
        cmocka_unit_test(keywords_are_lowercase_and_whole_words),
        cmocka_unit_test(matching_follows_the_operators),
        cmocka_unit_test(words_with_glob_characters_are_patterns),
        cmocka_unit_test(errors_name_the_problem_and_its_column),
        cmocka_unit_test(deep_nesting_is_refused_not_crashed_on),
        cmocka_unit_test(format_reports_the_length_it_needs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
