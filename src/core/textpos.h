/*
 * textpos.h - where a byte offset falls in a text, for error messages
 * that point into a file the user can open ("line 3, column 14").
 */
#ifndef PERFCMP_TEXTPOS_H
#define PERFCMP_TEXTPOS_H

#include <stddef.h>

/*
 * Sets *LINE and *COL to the line and column of byte POS of TEXT, both
 * counted from 1; lines end at '\n', columns count bytes (not
 * characters).  Reads TEXT[0..POS), which must all exist; NULs in it are
 * counted as any other byte.  Cannot fail.
 */
void textpos_line_col(const char *text, size_t pos, size_t *line, size_t *col);

#endif
