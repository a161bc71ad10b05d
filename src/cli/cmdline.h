/*
 * cmdline.h - command lines for `perfcmp exec`: a line split into words
 * the way a POSIX shell quotes them, without expanding anything; words
 * joined back into a line a shell would split the same way; parameter
 * lists (--param NAME=A,B,C) and their {NAME} substitution.
 *
 * Ownership: every char ** returned here is a NULL-terminated array of
 * malloc'd strings, freed with cmdline_words_free().  A cmdline_param owns
 * its strings (cmdline_param_release).
 */
#ifndef PERFCMP_CMDLINE_H
#define PERFCMP_CMDLINE_H

#include <stddef.h>

/* Frees WORDS and each string in it; accepts NULL. */
void cmdline_words_free(char **words);

/*
 * Splits LINE into words as sh(1) would with nothing to expand: blanks
 * (space, tab, newline) separate words; 'single quotes' keep everything
 * up to the next single quote; "double quotes" keep everything, a
 * backslash in them escaping only $ ` " \ and newline; a backslash
 * outside quotes keeps the next character ('\\' + newline is dropped).
 * No variables, globs, ~, redirections or operators: '$HOME', '*',
 * '>' and ';' are plain characters.  Sets *WORDS (the caller frees it
 * with cmdline_words_free) and *N (0 for a blank line).  Returns 0; -1
 * with a reason in ERR[ERRLEN] for an unterminated quote or a trailing
 * backslash (*WORDS NULL); -2 when out of memory.
 */
int cmdline_split(const char *line, char ***words, size_t *n, char *err, size_t errlen);

/*
 * WORDS[0..N-1] as one line that cmdline_split (and sh) splits back into
 * the same words: a word with characters other than letters, digits and
 * _-./=:,+@%{} is single-quoted ("it's" becomes 'it'\''s'), an empty word
 * is ''.  Returns a malloc'd string the caller frees, NULL on ENOMEM.
 */
char *cmdline_join(char *const *words, size_t n);

/* A copy of WORDS[0..N-1] with a NULL after them (cmdline_words_free it);
 * NULL on ENOMEM. */
char **cmdline_words_dup(char *const *words, size_t n);

/* One --param NAME=V1,V2,...: the values in the order given. */
typedef struct cmdline_param {
    char *name;
    char **values;      /* nvalues strings */
    size_t nvalues;
} cmdline_param;

/* Frees P's strings and zeroes it; accepts NULL. */
void cmdline_param_release(cmdline_param *p);

/*
 * Parses TEXT, "NAME=V1,V2,...", into P (zeroed or released).  NAME is a
 * letter or '_' then letters, digits and '_'; the values are split at
 * commas, each non-empty, distinct, and without control characters.
 * Returns 0; -1 with a reason in ERR[ERRLEN] (P untouched); -2 when out
 * of memory.
 */
int cmdline_param_parse(const char *text, cmdline_param *p, char *err, size_t errlen);

/*
 * TEXT with each "{NAME}" of the N parameters NAMES replaced by the
 * matching VALUES entry; braces around anything else stay as they are.
 * Returns a malloc'd string the caller frees, NULL on ENOMEM.
 */
char *cmdline_subst(const char *text, const char *const *names, const char *const *values,
                    size_t n);

/* 1 when TEXT holds "{NAME}", else 0. */
int cmdline_uses(const char *text, const char *name);

#endif
