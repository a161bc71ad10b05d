/*
 * gnuplot.h - charts drawn by gnuplot, run as an external program.
 *
 * A chart is a gnuplot script built in memory: numbers go into inline
 * data blocks ($name << EOD ... EOD), and every string that comes from a
 * user (benchmark names, commits, titles) goes in through
 * gnuplot_script_string(), which writes it as single-quoted gnuplot
 * strings.  gnuplot 5.4 expands `backticks` on a command line everywhere
 * except inside single quotes, does not expand @macros inside quotes, and
 * single-quoted strings have no escapes (their '' for a quote is misread
 * at the start of a string, so a quote is written as "\047" joined with
 * the '.' operator: it's -> 'it'."\047".'s'); a newline would end the
 * command, so control characters become spaces.  Tic labels given
 * with `set xtics ('label' x)` are format strings (and cut at 50 bytes when
 * they hold a '%'), so tic labels go into a string array instead
 * (gnuplot_script_array) drawn with `xticlabels(L[int($1)])`, which takes
 * them as they are.  The terminal is opened `noenhanced`, so ^ _ @ { } in
 * labels are drawn as they are.
 *
 * gnuplot_render() runs the program with fork/execvp (never a shell) in a
 * private temporary directory, with the script as a file argument, its
 * standard output (the image) going to a temporary file beside the
 * destination that is renamed into place only when gnuplot exits 0.  The
 * program is $PERFCMP_GNUPLOT, else "gnuplot" from $PATH.
 *
 * Errors: functions returning int give 0 or -1 with a one-line reason in
 * ERR[ERRLEN] (no trailing newline, no "error:" prefix).
 */
#ifndef PERFCMP_GNUPLOT_H
#define PERFCMP_GNUPLOT_H

#include <stddef.h>

typedef enum gnuplot_format {
    GNUPLOT_PNG,
    GNUPLOT_SVG,
    GNUPLOT_PDF
} gnuplot_format;

/* The output format named by PATH's extension (.png, .svg, .pdf, any
 * case).  Returns 0, or -1 for any other extension. */
int gnuplot_format_from_path(const char *path, gnuplot_format *fmt);

/* The gnuplot program used: $PERFCMP_GNUPLOT if set and non-empty, else
 * "gnuplot".  Do not free. */
const char *gnuplot_program(void);

/*
 * The terminal to use for FMT: "pngcairo" (else "png") for PNG, "svg",
 * "pdfcairo".  With CHECK, asks gnuplot which terminals it has (its
 * GPVAL_TERMINALS, the list `set terminal` prints) and fails with a reason
 * naming the missing terminal; without, returns the preferred one.
 * Returns the name (static storage) or NULL with a reason in ERR.
 */
const char *gnuplot_terminal(gnuplot_format fmt, int check, char *err, size_t errlen);

/* A growing script.  init does not allocate; release frees; after a
 * failed allocation every append is ignored and oom is set. */
typedef struct gnuplot_script {
    char *buf;
    size_t len, cap;
    int oom;
} gnuplot_script;

void gnuplot_script_init(gnuplot_script *s);
void gnuplot_script_release(gnuplot_script *s);

/* Appends trusted text (keywords, numbers) formatted as by printf.  Never
 * pass user text through FMT or a %s: use gnuplot_script_string(). */
void gnuplot_script_printf(gnuplot_script *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends TEXT as a gnuplot string expression of single-quoted strings
 * (see above); usable wherever gnuplot takes a string expression. */
void gnuplot_script_string(gnuplot_script *s, const char *text);

/* Appends "array NAME[N]" and one "NAME[i] = '...'" line per string of
 * TEXTS[0..N-1] (NULL entries become ''); nothing when N is 0.  NAME is
 * trusted text. */
void gnuplot_script_array(gnuplot_script *s, const char *name, const char *const *texts,
                          size_t n);

/* Appends a number in a form gnuplot reads back exactly ("NaN" for NaN,
 * which plots skip, and for infinities). */
void gnuplot_script_number(gnuplot_script *s, double v);

/* Appends "set terminal TERM noenhanced size W,H" with the right units
 * (pixels for PNG/SVG, inches at 96 per inch for PDF), font and
 * background. */
void gnuplot_script_terminal(gnuplot_script *s, gnuplot_format fmt, const char *term,
                             unsigned width, unsigned height);

/*
 * Escapes TEXT into a malloc'd gnuplot string expression as
 * gnuplot_script_string does.  Returns NULL on ENOMEM.  The caller frees.
 */
char *gnuplot_quote(const char *text);

/*
 * Runs gnuplot on SCRIPT[0..LEN) and writes its output to OUTPATH,
 * replacing it only on success.  Fails when gnuplot cannot be run, is
 * killed, exits non-zero (the reason then quotes gnuplot's first error
 * line) or writes nothing.
 */
int gnuplot_render(const char *script, size_t len, const char *outpath, char *err,
                   size_t errlen);

#endif
