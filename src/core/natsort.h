/*
 * natsort.h - the order benchmark names are shown in: natural order, by
 * family (the name up to the first '/'), then by the rest with runs of
 * digits compared as numbers, so qsort/16 < qsort/256 < qsort/1024 <
 * qsort/16384 (plain strcmp puts qsort/1024 before qsort/16).
 */
#ifndef PERFCMP_NATSORT_H
#define PERFCMP_NATSORT_H

#include <stddef.h>

/*
 * Compares benchmark names A and B naturally: first their families (the
 * text before the first '/', or the whole name), then what follows.
 * Within each part, a run of ASCII digits is compared with a run of
 * digits by its numeric value (of any length: no overflow), other bytes
 * as unsigned chars.  Numbers equal in value but spelled with more
 * leading zeros sort after ("a/01" > "a/1"), and names that differ in
 * nothing else are ordered by strcmp, so the order is total: 0 only when
 * A and B are the same string.  NULL sorts before any string.  Returns
 * <0, 0 or >0 as strcmp does.  Cannot fail.
 */
int natsort_cmp(const char *a, const char *b);

/*
 * Sorts the N strings of V in place with natsort_cmp.  V may be NULL
 * when N is 0.  Allocates nothing; cannot fail.
 */
void natsort_strings(char **v, size_t n);

#endif
