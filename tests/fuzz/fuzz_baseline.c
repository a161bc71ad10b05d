/* fuzz_baseline.c - libFuzzer target: baseline_file_parse (baselines/NAME.json). */
#include "fuzz_common.h"
#include "cli/baseline_file.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    results_run run;
    baseline_info info;
    results_run_init(&run);
    memset(&info, 0, sizeof info);
    memset(err, 'x', sizeof err);
    int rc = baseline_file_parse((const char *)data, size, &run, &info, err, sizeof err);
    if (rc == 0 && info.run_id < 0)
        fuzz_fail("negative run id accepted", NULL);
    fuzz_check_outcome(rc, &run, err, sizeof err, 0);
    baseline_info_release(&info);
    results_run_release(&run);
    return 0;
}
