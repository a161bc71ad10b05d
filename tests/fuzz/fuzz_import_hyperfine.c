/* fuzz_import_hyperfine.c - libFuzzer target: import_parse, hyperfine JSON. */
#include "fuzz_common.h"
#include "cli/import.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    results_run run;
    results_run_init(&run);
    memset(err, 'x', sizeof err);
    if (import_parse((const char *)data, size, IMPORT_FORMAT_HYPERFINE, &run, err, sizeof err) == 0) {
        if (!run.context.source_format)
            fuzz_fail("accepted run without a source format", NULL);
        fuzz_check_roundtrip(&run);
    } else {
        fuzz_check_reason(err, sizeof err);
        fuzz_check_empty(&run);
    }
    results_run_release(&run);
    return 0;
}
