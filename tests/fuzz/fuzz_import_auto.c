/* fuzz_import_auto.c - libFuzzer target: import_parse, any format, detected from the content. */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *fmt = import_detect((const char *)data, size);
    if (fmt && strcmp(fmt, IMPORT_FORMAT_PERFCMP) && strcmp(fmt, IMPORT_FORMAT_GBENCH) &&
        strcmp(fmt, IMPORT_FORMAT_HYPERFINE))
        fuzz_fail("import_detect returned an unknown format", fmt);
    fuzz_import(data, size, NULL);
    return 0;
}
