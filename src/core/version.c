/*
 * version.c - the one place the version string is returned from; the
 * number itself lives in include/perfcmp.h.
 */
#include <perfcmp.h>

PERFCMP_API const char *perfcmp_version(void)
{
    return PERFCMP_VERSION_STRING;
}
