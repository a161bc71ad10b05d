/*
 * utf8.h - validating UTF-8 byte by byte, for code that must pass user
 * text (benchmark names, messages, host names) on only when it is valid:
 * the result files, the gnuplot scripts, the HTML report.
 *
 * Valid means RFC 3629: no overlong forms, no surrogates (U+D800..DFFF),
 * nothing past U+10FFFF.  Nothing here allocates.
 */
#ifndef PERFCMP_UTF8_H
#define PERFCMP_UTF8_H

#include <stddef.h>

/*
 * Length (1 to 4) of the valid UTF-8 sequence that starts at P, or 0 when
 * the bytes at P are not one (a stray continuation byte, a sequence cut
 * short or by a NUL, an overlong form, a surrogate, past U+10FFFF).  An
 * ASCII byte, NUL included, is a sequence of 1.  P must point into a
 * NUL-terminated string: no byte past a NUL is read.
 */
size_t utf8_seq_len(const unsigned char *p);

/*
 * 0 when the NUL-terminated STR is valid UTF-8, -1 when it is not.  On
 * 0, *CTRL is 1 when STR holds an ASCII control character (below 0x20,
 * or 0x7f), else 0.
 */
int utf8_check(const char *str, int *ctrl);

#endif
