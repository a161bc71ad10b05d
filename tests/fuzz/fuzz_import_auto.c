/* fuzz_import_auto.c - libFuzzer target: import_parse, any format, detected from the content. */
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
    const char *fmt = import_detect((const char *)data, size);
    if (fmt && strcmp(fmt, IMPORT_FORMAT_PERFCMP) && strcmp(fmt, IMPORT_FORMAT_GBENCH) &&
        strcmp(fmt, IMPORT_FORMAT_HYPERFINE))
        fuzz_fail("import_detect returned an unknown format", fmt);
    if (import_parse((const char *)data, size, NULL, &run, err, sizeof err) == 0) {
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
