/*
 * runner.h - running selected instances and turning their measurements
 * into the results model.  perfcmp_main_ex() (perfcmp.h) is built on it.
 */
#ifndef PERFCMP_LIB_RUNNER_H
#define PERFCMP_LIB_RUNNER_H

#include "../core/results.h"
#include "measure.h"
#include "registry.h"

/*
 * Appends instance IN with its measurement M to RUN (copying everything).
 * Returns the new benchmark, or NULL on ENOMEM.
 */
results_bench *runner_add_result(results_run *run, const registry_instance *in,
                                 const measure *m);

#endif
