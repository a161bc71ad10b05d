/*
 * context.h - where and how a run was made: host, CPU, kernel, compiler,
 * git state (the "context" of a result file).
 */
#ifndef PERFCMP_CORE_CONTEXT_H
#define PERFCMP_CORE_CONTEXT_H

#include "results.h"

/*
 * Fills CTX (of a run just initialised with results_run_init) for a run
 * started now by the command line ARGV[0..ARGC-1] of a bench binary built
 * by COMPILER with CFLAGS (either may be NULL: "unknown", "").  The git
 * fields come from running git in the current directory and stay NULL
 * (git_dirty -1) when that fails.  Returns 0, or -1 on ENOMEM.
 */
int context_fill(results_context *ctx, int argc, char **argv, const char *compiler,
                 const char *cflags);

/*
 * The command line ARGV[0..ARGC-1] as one string a shell would split back
 * into the same words (arguments with special characters single-quoted).
 * Returns a malloc'd string the caller frees, or NULL on ENOMEM.
 */
char *context_command_line(int argc, char **argv);

/*
 * A hash of the file PATH, "fnv1a64:" and 16 hex digits, into BUF[LEN]
 * (25 bytes hold it): two runs with the same id ran the same code, which
 * is what the verdict's run-to-run noise check needs to know
 * (docs/verdicts.md).  context_fill takes it of /proc/self/exe.  Returns
 * 0, or -1 with BUF "" (errno set) when the file cannot be read.
 */
int context_file_id(const char *path, char *buf, size_t len);

/* The "model name" of /proc/cpuinfo into BUF[LEN], or "unknown". */
void context_cpu_model(char *buf, size_t len);

#endif
