/*
 * natsort.c - natural order of benchmark names (natsort.h).
 */
#include "natsort.h"

#include <stdlib.h>
#include <string.h>

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Compares A[0..NA) and B[0..NB) naturally.  *ZEROS receives, for the
 * first pair of numbers equal in value but not in spelling, the sign of
 * the difference in their leading zeros (left alone otherwise).
 */
static int natsort_part(const char *a, size_t na, const char *b, size_t nb, int *zeros)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[j];
        if (is_digit(ca) && is_digit(cb)) {
            size_t za = 0, zb = 0;
            while (i + za < na && a[i + za] == '0')
                za++;
            while (j + zb < nb && b[j + zb] == '0')
                zb++;
            size_t sa = i + za, sb = j + zb, ea = sa, eb = sb;
            while (ea < na && is_digit((unsigned char)a[ea]))
                ea++;
            while (eb < nb && is_digit((unsigned char)b[eb]))
                eb++;
            size_t la = ea - sa, lb = eb - sb;
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = memcmp(a + sa, b + sb, la);
            if (c != 0)
                return c < 0 ? -1 : 1;
            if (*zeros == 0 && za != zb)
                *zeros = za < zb ? -1 : 1;
            i = ea;
            j = eb;
            continue;
        }
        if (ca != cb)
            return ca < cb ? -1 : 1;
        i++;
        j++;
    }
    if (i < na)
        return 1;
    if (j < nb)
        return -1;
    return 0;
}

int natsort_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a == b ? 0 : (a ? 1 : -1);
    const char *sa = strchr(a, '/'), *sb = strchr(b, '/');
    size_t fa = sa ? (size_t)(sa - a) : strlen(a);
    size_t fb = sb ? (size_t)(sb - b) : strlen(b);
    int zeros = 0;
    int c = natsort_part(a, fa, b, fb, &zeros);
    if (c != 0)
        return c;
    c = natsort_part(a + fa, strlen(a + fa), b + fb, strlen(b + fb), &zeros);
    if (c != 0)
        return c;
    if (zeros != 0)
        return zeros;
    c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

static int natsort_cmp_ptr(const void *x, const void *y)
{
    return natsort_cmp(*(char *const *)x, *(char *const *)y);
}

void natsort_strings(char **v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, natsort_cmp_ptr);
}
