/*
 * test_cmdline.c - the command lines of perfcmp exec: split as sh quotes
 * them without expanding, joined back, and --param lists substituted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cmdline.h"

/* Splits LINE, expecting success, and checks the words against WANT
 * (NULL-terminated). */
static void split_gives(const char *line, const char *const *want)
{
    char **w = NULL;
    size_t n = 99, k = 0;
    char err[128] = "";
    assert_int_equal(cmdline_split(line, &w, &n, err, sizeof err), 0);
    assert_non_null(w);
    for (; want[k]; k++) {
        assert_true(k < n);
        assert_string_equal(w[k], want[k]);
    }
    assert_int_equal(n, k);
    assert_null(w[n]);
    cmdline_words_free(w);
}

static void split_should_separate_words_at_blanks(void **state)
{
    (void)state;
    split_gives("sleep 0.01", (const char *[]){ "sleep", "0.01", NULL });
    split_gives("  grep\t-c  x\n file ", (const char *[]){ "grep", "-c", "x", "file", NULL });
    split_gives("true", (const char *[]){ "true", NULL });
}

static void split_should_keep_quoted_text_in_one_word(void **state)
{
    (void)state;
    split_gives("grep 'a b' \"c d\"", (const char *[]){ "grep", "a b", "c d", NULL });
    split_gives("x 'it'\\''s'", (const char *[]){ "x", "it's", NULL });
    split_gives("x \"a\\\"b\\\\c\\$d\\e\"", (const char *[]){ "x", "a\"b\\c$d\\e", NULL });
    split_gives("x a\\ b", (const char *[]){ "x", "a b", NULL });
    split_gives("x '' \"\"", (const char *[]){ "x", "", "", NULL });
    split_gives("x pre'mid'post", (const char *[]){ "x", "premidpost", NULL });
}

static void split_should_expand_nothing(void **state)
{
    (void)state;
    split_gives("echo $HOME * ~ > f ; ls | wc",
                (const char *[]){ "echo", "$HOME", "*", "~", ">", "f", ";", "ls", "|", "wc", NULL });
}

static void split_of_a_blank_line_should_give_no_words(void **state)
{
    (void)state;
    split_gives("", (const char *[]){ NULL });
    split_gives("   \t ", (const char *[]){ NULL });
}

static void split_should_refuse_unterminated_quotes(void **state)
{
    (void)state;
    char **w = (char **)1;
    size_t n = 5;
    char err[128];
    assert_int_equal(cmdline_split("x 'abc", &w, &n, err, sizeof err), -1);
    assert_string_equal(err, "unterminated single quote");
    assert_null(w);
    assert_int_equal(n, 0);
    assert_int_equal(cmdline_split("x \"abc", &w, &n, err, sizeof err), -1);
    assert_string_equal(err, "unterminated double quote");
    assert_int_equal(cmdline_split("x abc\\", &w, &n, err, sizeof err), -1);
    assert_string_equal(err, "a backslash at the end");
}

static void join_should_split_back_into_the_same_words(void **state)
{
    (void)state;
    char *words[] = { "grep", "-c", "a b", "it's", "", "$x", "plain/path.txt", NULL };
    char *line = cmdline_join(words, 7);
    assert_string_equal(line, "grep -c 'a b' 'it'\\''s' '' '$x' plain/path.txt");
    char **back;
    size_t n;
    assert_int_equal(cmdline_split(line, &back, &n, NULL, 0), 0);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(back[i], words[i]);
    cmdline_words_free(back);
    free(line);
    char **dup = cmdline_words_dup(words, 3);
    assert_string_equal(dup[2], "a b");
    assert_null(dup[3]);
    cmdline_words_free(dup);
    cmdline_words_free(NULL);
}

static void param_should_split_values_at_commas(void **state)
{
    (void)state;
    cmdline_param p = { NULL, NULL, 0 };
    char err[128];
    assert_int_equal(cmdline_param_parse("ms=1,10,100", &p, err, sizeof err), 0);
    assert_string_equal(p.name, "ms");
    assert_int_equal(p.nvalues, 3);
    assert_string_equal(p.values[0], "1");
    assert_string_equal(p.values[2], "100");
    /* parsing again replaces */
    assert_int_equal(cmdline_param_parse("_f2=a b.txt", &p, err, sizeof err), 0);
    assert_string_equal(p.name, "_f2");
    assert_int_equal(p.nvalues, 1);
    assert_string_equal(p.values[0], "a b.txt");
    cmdline_param_release(&p);
    assert_null(p.name);
    cmdline_param_release(NULL);
}

static void param_should_refuse_bad_names_and_values(void **state)
{
    (void)state;
    cmdline_param p = { NULL, NULL, 0 };
    char err[128];
    assert_int_equal(cmdline_param_parse("ms", &p, err, sizeof err), -1);
    assert_string_equal(err, "expected NAME=VALUE,VALUE,...");
    assert_int_equal(cmdline_param_parse("=1,2", &p, err, sizeof err), -1);
    assert_int_equal(cmdline_param_parse("1x=1", &p, err, sizeof err), -1);
    assert_int_equal(cmdline_param_parse("a-b=1", &p, err, sizeof err), -1);
    assert_int_equal(cmdline_param_parse("n=", &p, err, sizeof err), -1);
    assert_string_equal(err, "empty value 1");
    assert_int_equal(cmdline_param_parse("n=1,,2", &p, err, sizeof err), -1);
    assert_string_equal(err, "empty value 2");
    assert_int_equal(cmdline_param_parse("n=1,2,", &p, err, sizeof err), -1);
    assert_string_equal(err, "empty value 3");
    assert_int_equal(cmdline_param_parse("n=1,2,1", &p, err, sizeof err), -1);
    assert_string_equal(err, "value '1' appears twice");
    assert_int_equal(cmdline_param_parse("n=a\tb", &p, err, sizeof err), -1);
    assert_string_equal(err, "a value holds a control character");
    assert_null(p.name);
}

static void subst_should_replace_known_names_only(void **state)
{
    (void)state;
    const char *names[] = { "n", "nn" };
    const char *values[] = { "10", "x y" };
    char *s = cmdline_subst("a{n}b{nn}c{m}{n", names, values, 2);
    assert_string_equal(s, "a10bx yc{m}{n");
    free(s);
    s = cmdline_subst("{n}{n}", names, values, 2);
    assert_string_equal(s, "1010");
    free(s);
    s = cmdline_subst("plain", names, values, 0);
    assert_string_equal(s, "plain");
    free(s);
    assert_int_equal(cmdline_uses("sleep 0.{ms}", "ms"), 1);
    assert_int_equal(cmdline_uses("sleep 0.{ms", "ms"), 0);
    assert_int_equal(cmdline_uses("{m}", "ms"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_should_separate_words_at_blanks),
        cmocka_unit_test(split_should_keep_quoted_text_in_one_word),
        cmocka_unit_test(split_should_expand_nothing),
        cmocka_unit_test(split_of_a_blank_line_should_give_no_words),
        cmocka_unit_test(split_should_refuse_unterminated_quotes),
        cmocka_unit_test(join_should_split_back_into_the_same_words),
        cmocka_unit_test(param_should_split_values_at_commas),
        cmocka_unit_test(param_should_refuse_bad_names_and_values),
        cmocka_unit_test(subst_should_replace_known_names_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
