/*
 * utf8.c - UTF-8 validation (see utf8.h).
 */
#include "utf8.h"

size_t utf8_seq_len(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    size_t n;
    unsigned min, cp;
    if ((p[0] & 0xe0) == 0xc0) {
        n = 2; min = 0x80; cp = p[0] & 0x1f;
    } else if ((p[0] & 0xf0) == 0xe0) {
        n = 3; min = 0x800; cp = p[0] & 0x0f;
    } else if ((p[0] & 0xf8) == 0xf0) {
        n = 4; min = 0x10000; cp = p[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)      /* a NUL stops here too */
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

int utf8_check(const char *str, int *ctrl)
{
    const unsigned char *s = (const unsigned char *)str;
    *ctrl = 0;
    while (*s) {
        size_t n = utf8_seq_len(s);
        if (n == 0)
            return -1;
        if (n == 1 && (*s < 0x20 || *s == 0x7f))
            *ctrl = 1;
        s += n;
    }
    return 0;
}
