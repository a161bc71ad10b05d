/*
 * html.h - writing user text into HTML safely.
 *
 * Benchmark names, commits and branches come from users: everything that
 * is not markup we wrote goes through html_text(), which escapes & < > " '
 * and writes control characters as spaces and bytes that are not UTF-8 as
 * U+FFFD, so the page is well-formed whatever the names hold.
 */
#ifndef PERFCMP_HTML_H
#define PERFCMP_HTML_H

#include <stdio.h>

/* Writes TEXT (NULL: nothing) to F escaped for element content and
 * attribute values (double or single quoted). */
void html_text(FILE *f, const char *text);

/* Writes formatted text escaped as html_text does.  FMT itself is
 * trusted; its expansion is escaped. */
void html_textf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Escapes TEXT into a malloc'd string (caller frees); NULL on ENOMEM. */
char *html_escape(const char *text);

#endif
