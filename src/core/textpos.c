/*
 * textpos.c - line and column of a byte offset (see textpos.h).
 */
#include "textpos.h"

void textpos_line_col(const char *text, size_t pos, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < pos; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}
