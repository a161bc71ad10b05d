/* fuzz_results.c - libFuzzer target: results_parse (perfcmp-results JSON). */
#include "fuzz_common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    results_run run;
    results_run_init(&run);
    memset(err, 'x', sizeof err);
    /* The parser takes a length and need not see a NUL: libFuzzer's buffer
     * has none, so ASan reports any read past the end. */
    int rc = results_parse((const char *)data, size, &run, err, sizeof err);
    fuzz_check_outcome(rc, &run, err, sizeof err, 0);
    results_run_release(&run);
    return 0;
}
