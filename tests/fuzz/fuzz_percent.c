/* fuzz_percent.c - libFuzzer target: verdict_parse_percent and cli_parse_size
 * (command-line numbers: --threshold 5%, --last 10, ...). */
#include "fuzz_common.h"
#include "cli/cli.h"
#include "cli/verdict.h"

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* argv strings are NUL-terminated: give the parser exactly that. */
    char *text = fuzz_cstring(data, size);
    if (!text)
        return 0;
    double fraction = -1;
    if (verdict_parse_percent(text, &fraction) == 0 && (!isfinite(fraction) || fraction < 0))
        fuzz_fail("verdict_parse_percent accepted a value that is not finite and >= 0", text);
    size_t n = 0;
    if (cli_parse_size(text, &n) == 0 && n == 0)
        fuzz_fail("cli_parse_size accepted 0", text);
    free(text);
    return 0;
}
