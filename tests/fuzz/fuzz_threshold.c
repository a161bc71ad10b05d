/*
 * fuzz_threshold.c - libFuzzer target: the --threshold PCT / GLOB:PCT and
 * --alpha parsers of compare and run (src/cli/verdict.h).
 *
 * Input: lines.  Every line but the last is given to
 * verdict_options_add_threshold (and to verdict_parse_alpha); the last is a
 * benchmark name looked up with verdict_threshold_for.
 */
#include "fuzz_common.h"
#include "cli/verdict.h"

#include <math.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    if (!text)
        return 0;

    verdict_options o;
    verdict_options_init(&o);
    char *line = text;
    char *nl;
    while ((nl = strchr(line, '\n')) != NULL) {
        *nl = '\0';
        double before = o.threshold;
        size_t nrules = o.nrules;
        int rc = verdict_options_add_threshold(&o, line);
        if (rc == 0) {
            if (!isfinite(o.threshold) || o.threshold < 0)
                fuzz_fail("threshold accepted that is not finite and >= 0", line);
            for (size_t i = 0; i < o.nrules; i++)
                if (!o.rules[i].glob || !o.rules[i].glob[0] || !isfinite(o.rules[i].fraction) ||
                    o.rules[i].fraction < 0)
                    fuzz_fail("bad rule accepted", line);
        } else if (rc == -1) {
            if (o.nrules != nrules || o.threshold != before)
                fuzz_fail("options changed by a refused threshold", line);
        }
        double alpha;
        if (verdict_parse_alpha(line, &alpha) == 0 && !(alpha > 0 && alpha < 1))
            fuzz_fail("alpha accepted outside (0, 1)", line);
        line = nl + 1;
    }
    double t = verdict_threshold_for(&o, line);
    if (!isfinite(t) || t < 0)
        fuzz_fail("verdict_threshold_for gave a threshold that is not finite and >= 0", line);
    verdict_options_release(&o);
    free(text);
    return 0;
}
