/*
 * test_gnuplot.c - script escaping and running the real gnuplot: hostile
 * names are drawn as text and never executed, failures are reported with
 * gnuplot's own message, the destination is replaced only on success.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/gnuplot.h"

static char tmpdir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/perfcmp-test-gnuplot-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    unsetenv("PERFCMP_GNUPLOT");
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_in_dir(const char *name)
{
    size_t n = strlen(tmpdir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", tmpdir, name);
    return p;
}

static int exists(const char *name)
{
    char *p = path_in_dir(name);
    int r = access(p, F_OK) == 0;
    free(p);
    return r;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void output_format_comes_from_the_extension(void **state)
{
    (void)state;
    gnuplot_format f;
    assert_int_equal(gnuplot_format_from_path("a.png", &f), 0);
    assert_int_equal(f, GNUPLOT_PNG);
    assert_int_equal(gnuplot_format_from_path("dir/chart.SVG", &f), 0);
    assert_int_equal(f, GNUPLOT_SVG);
    assert_int_equal(gnuplot_format_from_path("x.pdf", &f), 0);
    assert_int_equal(f, GNUPLOT_PDF);
    assert_int_equal(gnuplot_format_from_path("x.jpg", &f), -1);
    assert_int_equal(gnuplot_format_from_path("chart", &f), -1);
    assert_int_equal(gnuplot_format_from_path(".svg", &f), -1);
    assert_int_equal(gnuplot_format_from_path("out.svg/chart", &f), -1);
}

static void quote(const char *in, const char *want)
{
    char *q = gnuplot_quote(in);
    assert_non_null(q);
    assert_string_equal(q, want);
    free(q);
}

static void strings_are_single_quoted_and_quotes_joined_in(void **state)
{
    (void)state;
    quote("sort/1024", "'sort/1024'");
    quote("it's", "'it'.\"\\047\".'s'");
    quote("'; DROP TABLE runs; --", "\"\\047\".'; DROP TABLE runs; --'");
    quote("x'", "'x'.\"\\047\"");
    quote("''", "\"\\047\".\"\\047\"");
    quote("`touch x` \"q\" @m ^_{}", "'`touch x` \"q\" @m ^_{}'");
    quote("", "''");
    quote(NULL, "''");
}

static void control_characters_become_spaces_so_no_command_can_follow(void **state)
{
    (void)state;
    quote("a\n!touch pwned\r\tb\x7f", "'a !touch pwned  b '");
}

static void invalid_utf8_becomes_the_replacement_character(void **state)
{
    (void)state;
    quote("caf\xc3\xa9 \xff \xc3", "'caf\xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd'");
    quote("\xed\xa0\x80", "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'");   /* a UTF-16 surrogate */
}

static void arrays_hold_one_quoted_string_per_line(void **state)
{
    (void)state;
    const char *texts[] = { "a'b", NULL, "100% %s" };
    gnuplot_script s;
    gnuplot_script_init(&s);
    gnuplot_script_array(&s, "L", texts, 0);
    assert_null(s.buf);
    gnuplot_script_array(&s, "L", texts, 3);
    assert_string_equal(s.buf, "array L[3]\nL[1] = 'a'.\"\\047\".'b'\nL[2] = ''\nL[3] = '100% %s'\n");
    gnuplot_script_release(&s);
}

static void numbers_read_back_exactly_and_non_finite_is_nan(void **state)
{
    (void)state;
    gnuplot_script s;
    gnuplot_script_init(&s);
    gnuplot_script_number(&s, 0.1);
    gnuplot_script_printf(&s, " ");
    gnuplot_script_number(&s, 1.0 / 0.0);
    assert_false(s.oom);
    assert_string_equal(s.buf, "0.10000000000000001 NaN");
    gnuplot_script_release(&s);
}

static void every_format_finds_its_terminal_in_this_gnuplot(void **state)
{
    (void)state;
    char err[256];
    const char *t = gnuplot_terminal(GNUPLOT_PNG, 1, err, sizeof err);
    assert_non_null(t);
    assert_true(!strcmp(t, "pngcairo") || !strcmp(t, "png"));
    t = gnuplot_terminal(GNUPLOT_SVG, 1, err, sizeof err);
    assert_non_null(t);
    assert_string_equal(t, "svg");
    t = gnuplot_terminal(GNUPLOT_PDF, 1, err, sizeof err);
    assert_non_null(t);
    assert_string_equal(t, "pdfcairo");
}

/* A stand-in gnuplot (a shell script) named NAME that only knows some
 * terminals.  (The list is cached per program, hence a name per list.) */
static void with_fake_gnuplot(const char *name, const char *terminals)
{
    char *p = path_in_dir(name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\necho ' %s' >&2\n", terminals);
    fclose(f);
    assert_int_equal(chmod(p, 0755), 0);
    setenv("PERFCMP_GNUPLOT", p, 1);
    free(p);
}

static void a_missing_terminal_is_named_in_the_error(void **state)
{
    (void)state;
    char err[256];
    with_fake_gnuplot("gnuplot-without-cairo", "dumb png svg");
    assert_string_equal(gnuplot_terminal(GNUPLOT_PNG, 1, err, sizeof err), "png");
    assert_null(gnuplot_terminal(GNUPLOT_PDF, 1, err, sizeof err));
    assert_non_null(strstr(err, "no 'pdfcairo' terminal"));
    with_fake_gnuplot("gnuplot-svg-only", "dumb svg");
    assert_null(gnuplot_terminal(GNUPLOT_PNG, 1, err, sizeof err));
    assert_non_null(strstr(err, "neither the 'pngcairo' nor the 'png' terminal"));
    unsetenv("PERFCMP_GNUPLOT");
}

static void a_missing_gnuplot_is_named_in_the_error(void **state)
{
    (void)state;
    char err[256];
    setenv("PERFCMP_GNUPLOT", "/nonexistent/gnuplot", 1);
    assert_null(gnuplot_terminal(GNUPLOT_SVG, 1, err, sizeof err));
    assert_string_equal(err, "cannot run '/nonexistent/gnuplot': No such file or directory "
                             "(install gnuplot, e.g. the gnuplot-nox package)");
    char *out = path_in_dir("never.svg");
    assert_int_equal(gnuplot_render("plot x\n", 7, out, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot run '/nonexistent/gnuplot'"));
    assert_false(exists("never.svg"));
    free(out);
    unsetenv("PERFCMP_GNUPLOT");
}

/* Names that would run commands if gnuplot expanded or parsed them
 * (DIR stands for the test's directory). */
static const char *hostile[] = {
    "`touch DIR/pwned1`",
    "system(\"touch DIR/pwned2\")",
    "x'\n!touch DIR/pwned3\n'",
    "a' . system('touch DIR/pwned4') . '",
    "it's \"quoted\" @m ^x _y {z} 100% <b>&amp; DIR",
    "'; DROP TABLE runs; -- DIR",
    "'' . system('touch DIR/pwned5') . ''",
    "'",
};
#define NHOSTILE (sizeof hostile / sizeof hostile[0])

/* What gnuplot's SVG terminal writes for NAME: & and < escaped, control
 * characters as the spaces we turned them into. */
static char *svg_text(const char *name)
{
    char *out = malloc(strlen(name) * 5 + 1), *o = out;
    assert_non_null(out);
    for (const char *p = name; *p; p++) {
        if (*p == '&') {
            memcpy(o, "&amp;", 5);
            o += 5;
        } else if (*p == '<') {
            memcpy(o, "&lt;", 4);
            o += 4;
        } else {
            *o++ = (unsigned char)*p < 0x20 ? ' ' : *p;
        }
    }
    *o = '\0';
    return out;
}

static void hostile_names_are_drawn_as_text_and_never_run(void **state)
{
    (void)state;
    char names[NHOSTILE][256];
    for (size_t i = 0; i < NHOSTILE; i++) {
        const char *dir = strstr(hostile[i], "DIR");
        if (dir)
            snprintf(names[i], sizeof names[i], "%.*s%s%s", (int)(dir - hostile[i]), hostile[i],
                     tmpdir, dir + 3);
        else
            snprintf(names[i], sizeof names[i], "%s", hostile[i]);
    }

    gnuplot_script s;
    gnuplot_script_init(&s);
    gnuplot_script_terminal(&s, GNUPLOT_SVG, "svg", 900, 500);
    gnuplot_script_printf(&s, "$data << EOD\n");
    for (size_t i = 0; i < NHOSTILE; i++)
        gnuplot_script_printf(&s, "%zu %zu\n", i + 1, i + 1);
    gnuplot_script_printf(&s, "EOD\nset title ");
    gnuplot_script_string(&s, names[0]);
    gnuplot_script_printf(&s, "\n");
    const char *labels[NHOSTILE];
    for (size_t i = 0; i < NHOSTILE; i++)
        labels[i] = names[i];
    gnuplot_script_array(&s, "L", labels, NHOSTILE);
    gnuplot_script_printf(&s, "set label 1 ");
    gnuplot_script_string(&s, names[1]);
    gnuplot_script_printf(&s, " at 1,2\nplot $data using 1:2:xticlabels(L[int($1)]) "
                          "with linespoints title ");
    gnuplot_script_string(&s, names[3]);
    gnuplot_script_printf(&s, "\n");
    assert_false(s.oom);

    char err[512];
    char *out = path_in_dir("hostile.svg");
    int rc = gnuplot_render(s.buf, s.len, out, err, sizeof err);
    if (rc != 0)
        fail_msg("render failed: %s", err);
    for (int i = 1; i <= 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "pwned%d", i);
        assert_false(exists(name));
    }
    char *svg = slurp(out);
    for (size_t i = 0; i < NHOSTILE; i++) {
        char *want = svg_text(names[i]);
        if (!strstr(svg, want))
            fail_msg("name %zu not drawn as text: %s", i, want);
        free(want);
    }
    free(svg);
    free(out);
    gnuplot_script_release(&s);
}

static void png_and_pdf_outputs_are_real_images(void **state)
{
    (void)state;
    static const struct { gnuplot_format f; const char *file; const char *magic; size_t n; } cases[] = {
        { GNUPLOT_PNG, "c.png", "\x89PNG\r\n\x1a\n", 8 },
        { GNUPLOT_PDF, "c.pdf", "%PDF-", 5 },
    };
    for (size_t i = 0; i < 2; i++) {
        char err[512];
        const char *term = gnuplot_terminal(cases[i].f, 1, err, sizeof err);
        assert_non_null(term);
        gnuplot_script s;
        gnuplot_script_init(&s);
        gnuplot_script_terminal(&s, cases[i].f, term, 400, 300);
        gnuplot_script_printf(&s, "plot sin(x) title ");
        gnuplot_script_string(&s, "sin");
        gnuplot_script_printf(&s, "\n");
        char *out = path_in_dir(cases[i].file);
        assert_int_equal(gnuplot_render(s.buf, s.len, out, err, sizeof err), 0);
        char *data = slurp(out);
        assert_memory_equal(data, cases[i].magic, cases[i].n);
        free(data);
        free(out);
        gnuplot_script_release(&s);
    }
}

static void a_failing_script_reports_gnuplot_s_message_and_keeps_the_old_file(void **state)
{
    (void)state;
    char *out = path_in_dir("keep.svg");
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    fputs("old", f);
    fclose(f);
    const char *script = "set terminal svg\nplot no_such_function(x)\n";
    char err[512];
    assert_int_equal(gnuplot_render(script, strlen(script), out, err, sizeof err), -1);
    assert_string_equal(err, "gnuplot failed (exit status 1): line 2: undefined function: "
                             "no_such_function");
    char *data = slurp(out);
    assert_string_equal(data, "old");
    free(data);
    free(out);
}

static void an_unwritable_destination_is_reported(void **state)
{
    (void)state;
    const char *script = "set terminal svg\nplot x\n";
    char err[512];
    assert_int_equal(gnuplot_render(script, strlen(script), "/nonexistent/dir/x.svg", err,
                                    sizeof err), -1);
    assert_string_equal(err, "cannot create '/nonexistent/dir/x.svg': No such file or directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(output_format_comes_from_the_extension),
        cmocka_unit_test(strings_are_single_quoted_and_quotes_joined_in),
        cmocka_unit_test(control_characters_become_spaces_so_no_command_can_follow),
        cmocka_unit_test(invalid_utf8_becomes_the_replacement_character),
        cmocka_unit_test(arrays_hold_one_quoted_string_per_line),
        cmocka_unit_test(numbers_read_back_exactly_and_non_finite_is_nan),
        cmocka_unit_test(every_format_finds_its_terminal_in_this_gnuplot),
        cmocka_unit_test(a_missing_terminal_is_named_in_the_error),
        cmocka_unit_test(a_missing_gnuplot_is_named_in_the_error),
        cmocka_unit_test(hostile_names_are_drawn_as_text_and_never_run),
        cmocka_unit_test(png_and_pdf_outputs_are_real_images),
        cmocka_unit_test(a_failing_script_reports_gnuplot_s_message_and_keeps_the_old_file),
        cmocka_unit_test(an_unwritable_destination_is_reported),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
