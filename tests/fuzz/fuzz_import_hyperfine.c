/* fuzz_import_hyperfine.c - libFuzzer target: import_parse, hyperfine JSON. */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import(data, size, IMPORT_FORMAT_HYPERFINE);
    return 0;
}
