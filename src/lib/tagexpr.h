/*
 * tagexpr.h - tag expressions selecting benchmarks by their tags:
 *
 *     expr   := or
 *     or     := and ( "or" and )*
 *     and    := unary ( "and" unary )*
 *     unary  := "not" unary | "(" expr ")" | WORD
 *
 * "not" binds tighter than "and", which binds tighter than "or".  A WORD
 * is a run of letters, digits and _ - . : / * ? [ ]; it matches a
 * benchmark that has a tag equal to it, or, when it contains * ? or [,
 * a tag it matches as an fnmatch(3) pattern.  The keywords are lowercase.
 *
 * Ownership: tagexpr_parse() returns a tree the caller frees with
 * tagexpr_free() (accepts NULL).
 */
#ifndef PERFCMP_LIB_TAGEXPR_H
#define PERFCMP_LIB_TAGEXPR_H

#include <stddef.h>

typedef struct tagexpr tagexpr;

/*
 * Parses TEXT.  Returns 0 and sets *OUT, or -1 with *OUT NULL and a
 * one-line reason with the 1-based column in ERR[ERRLEN], e.g.
 * "expected a tag after 'not' at column 5", "unmatched '(' at column 1".
 * Out of memory is reported as "out of memory".
 */
int tagexpr_parse(const char *text, tagexpr **out, char *err, size_t errlen);

/* Does the set TAGS[0..NTAGS-1] satisfy E?  Returns 1 or 0. */
int tagexpr_match(const tagexpr *e, char *const *tags, size_t ntags);

/*
 * Writes E fully parenthesised into BUF[LEN] ("(not slow and cpu)"), for
 * tests and messages.  Returns the length it needed (as snprintf).
 */
size_t tagexpr_format(const tagexpr *e, char *buf, size_t len);

void tagexpr_free(tagexpr *e);

#endif
