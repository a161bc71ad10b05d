/* fuzz_import_gbench.c - libFuzzer target: import_parse, Google Benchmark JSON. */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import(data, size, IMPORT_FORMAT_GBENCH);
    return 0;
}
