/*
 * test_lib_flags.c - the bench binary's command line: every option in
 * both spellings, the one-line errors, and selection by --filter/--tags.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lib/flags.h"
#include "lib/instr.h"

#define ARGV(...) ((char *[]){ "bench", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "bench", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(f, err, ...) flags_parse((f), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (err), sizeof(err))

static void every_option_is_read(void **unused)
{
    flags f;
    char err[256];
    (void)unused;
    assert_int_equal(PARSE(&f, err, "--list", "--no-fork", "--quiet", "--filter=a*",
                           "--filter", "b", "--tags=cpu", "--out", "r.json", "--samples=7",
                           "--min-time", "0.25", "--timeout=1.5"),
                     0);
    assert_true(f.list && f.no_fork && f.quiet);
    assert_false(f.help || f.version);
    assert_int_equal(f.nfilters, 2);
    assert_string_equal(f.filters[0], "a*");
    assert_string_equal(f.filters[1], "b");
    assert_int_equal(f.ntags, 1);
    assert_string_equal(f.out, "r.json");
    assert_int_equal(f.samples, 7);
    assert_true(f.min_time == 0.25);
    assert_true(f.timeout == 1.5);
    flags_release(&f);

    assert_false(f.no_heap || f.instr || f.counters || f.instr_iterations || f.instr_child);
    flags_release(&f);

    assert_int_equal(PARSE(&f, err, "--no-heap", "--counters=cycles,branch-misses", "--instr",
                           "--instr-iterations", "50", "--instr-child=sort/8"),
                     0);
    assert_true(f.no_heap && f.instr);
    assert_int_equal(f.counters, INSTR_MASK(INSTR_CYCLES) | INSTR_MASK(INSTR_BRANCH_MISSES));
    assert_int_equal(f.instr_iterations, 50);
    assert_string_equal(f.instr_child, "sort/8");
    flags_release(&f);
    /* --counters alone: the hardware events; it takes no separate value */
    assert_int_equal(PARSE(&f, err, "--counters"), 0);
    assert_int_equal(f.counters, INSTR_MASK_HARDWARE);
    flags_release(&f);
    assert_int_equal(flags_parse(&f, 3, ARGV("--counters", "cycles"), err, sizeof err), 2);
    assert_string_equal(err, "unexpected argument 'cycles'");
    flags_release(&f);

    assert_int_equal(PARSE(&f, err, "-h"), 0);
    assert_true(f.help);
    flags_release(&f);
    assert_int_equal(PARSE(&f, err, "--version"), 0);
    assert_true(f.version);
    flags_release(&f);
}

/* The error message of a command line that must be refused. */
static const char *refused(int argc, char **argv)
{
    static char err[256];
    flags f;
    int rc = flags_parse(&f, argc, argv, err, sizeof err);
    flags_release(&f);
    assert_int_equal(rc, 2);
    return err;
}
#define REFUSED(...) refused(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void errors_are_one_line_naming_the_option_and_value(void **unused)
{
    (void)unused;
    assert_string_equal(REFUSED("--x"), "unknown option '--x'");
    assert_string_equal(REFUSED("--x=1"), "unknown option '--x'");
    assert_string_equal(REFUSED("-q"), "unknown option '-q'");
    assert_string_equal(REFUSED("--"), "unknown option '--'");
    assert_string_equal(REFUSED("-"), "unexpected argument '-'");
    assert_string_equal(REFUSED("file"), "unexpected argument 'file'");
    assert_string_equal(REFUSED("--lis"), "unknown option '--lis'");
    assert_string_equal(REFUSED("--samples=abc"),
                        "invalid value 'abc' for --samples: expected a positive integer (at most 1000000)");
    assert_string_equal(REFUSED("--samples=0"),
                        "invalid value '0' for --samples: expected a positive integer (at most 1000000)");
    assert_string_equal(REFUSED("--samples=-3"),
                        "invalid value '-3' for --samples: expected a positive integer (at most 1000000)");
    assert_string_equal(REFUSED("--samples=5x"),
                        "invalid value '5x' for --samples: expected a positive integer (at most 1000000)");
    assert_string_equal(REFUSED("--samples=1000001"),
                        "invalid value '1000001' for --samples: expected a positive integer (at most 1000000)");
    assert_string_equal(REFUSED("--samples="),
                        "invalid value '' for --samples: expected a positive integer (at most 1000000)");
    assert_string_equal(REFUSED("--min-time=0"),
                        "invalid value '0' for --min-time: expected a positive number of seconds");
    assert_string_equal(REFUSED("--min-time=nan"),
                        "invalid value 'nan' for --min-time: expected a positive number of seconds");
    assert_string_equal(REFUSED("--min-time=inf"),
                        "invalid value 'inf' for --min-time: expected a positive number of seconds");
    assert_string_equal(REFUSED("--timeout=1s"),
                        "invalid value '1s' for --timeout: expected a positive number of seconds");
    assert_string_equal(REFUSED("--tags=a and"),
                        "invalid value 'a and' for --tags: expected a tag at column 6, got end of expression");
    assert_string_equal(REFUSED("--filter="), "invalid value '' for --filter: expected a glob pattern");
    assert_string_equal(REFUSED("--out="), "invalid value '' for --out: expected a file name");
    assert_string_equal(REFUSED("--out"), "option '--out' needs a value");
    assert_string_equal(REFUSED("--quiet=1"), "option '--quiet' takes no value");
    assert_string_equal(REFUSED("--counters=flops"),
                        "invalid value 'flops' for --counters: unknown counter 'flops' (known:"
                        " instructions, cycles, branches, branch-misses, cache-misses, task-clock,"
                        " page-faults, context-switches)");
    assert_string_equal(REFUSED("--counters="),
                        "invalid value '' for --counters: expected counter names such as"
                        " instructions,cycles");
    assert_string_equal(REFUSED("--instr-iterations=0"),
                        "invalid value '0' for --instr-iterations: expected a positive integer"
                        " (at most 1000000000)");
    assert_string_equal(REFUSED("--instr-iterations=-5"),
                        "invalid value '-5' for --instr-iterations: expected a positive integer"
                        " (at most 1000000000)");
    assert_string_equal(REFUSED("--no-heap=1"), "option '--no-heap' takes no value");
}

static void the_first_error_is_the_one_reported(void **unused)
{
    (void)unused;
    assert_string_equal(REFUSED("--samples=x", "--bogus"),
                        "invalid value 'x' for --samples: expected a positive integer (at most 1000000)");
}

static void selection_needs_any_filter_and_every_tag_expression(void **unused)
{
    flags f;
    char err[256];
    char *cpu_slow[] = { "cpu", "slow" };
    char *memory[] = { "memory" };
    (void)unused;

    assert_int_equal(PARSE(&f, err, "--list"), 0);
    assert_true(flags_select(&f, "anything/1", NULL, 0));
    flags_release(&f);

    assert_int_equal(PARSE(&f, err, "--filter=sort/*", "--filter=hash"), 0);
    assert_true(flags_select(&f, "sort/1024", NULL, 0));
    assert_true(flags_select(&f, "hash", NULL, 0));
    assert_false(flags_select(&f, "hash/1", NULL, 0));
    assert_false(flags_select(&f, "sorted", NULL, 0));
    flags_release(&f);

    /* * crosses '/' */
    assert_int_equal(PARSE(&f, err, "--filter=sort*"), 0);
    assert_true(flags_select(&f, "sort/1/2", NULL, 0));
    flags_release(&f);

    assert_int_equal(PARSE(&f, err, "--tags=cpu or memory", "--tags=not slow"), 0);
    assert_false(flags_select(&f, "x", cpu_slow, 2));
    assert_true(flags_select(&f, "x", memory, 1));
    assert_false(flags_select(&f, "x", NULL, 0));
    flags_release(&f);

    assert_int_equal(PARSE(&f, err, "--tags=memory", "--filter=a*"), 0);
    assert_false(flags_select(&f, "b", memory, 1));
    assert_true(flags_select(&f, "a", memory, 1));
    flags_release(&f);
}

static void usage_names_every_option(void **unused)
{
    char buf[8192] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    (void)unused;
    assert_non_null(f);
    flags_usage(f, "bench_x");
    fclose(f);
    assert_non_null(strstr(buf, "usage: bench_x [options]"));
    const char *opts[] = { "--list", "--filter=GLOB", "--tags=EXPR", "--out=FILE",
                           "--samples=N", "--min-time=SECONDS", "--timeout=SECONDS",
                           "--no-fork", "--quiet", "--help", "--version", "--no-heap",
                           "--counters[=LIST]", "--instr", "--instr-iterations=N" };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        assert_non_null(strstr(buf, opts[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_option_is_read),
        cmocka_unit_test(errors_are_one_line_naming_the_option_and_value),
        cmocka_unit_test(the_first_error_is_the_one_reported),
        cmocka_unit_test(selection_needs_any_filter_and_every_tag_expression),
        cmocka_unit_test(usage_names_every_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
