/*
 * flags.h - the command line of a bench binary.
 */
#ifndef PERFCMP_LIB_FLAGS_H
#define PERFCMP_LIB_FLAGS_H

#include <stdio.h>
#include "tagexpr.h"

#define FLAGS_MAX_SAMPLES 1000000
#define FLAGS_MAX_PROCESSES 1000

typedef struct flags {
    int list, no_fork, quiet, help, version;
    const char **filters;   /* --filter globs (pointers into argv) */
    size_t nfilters;
    tagexpr **tags;         /* --tags expressions, all must match */
    size_t ntags;
    const char *out;        /* --out FILE or NULL */
    int samples;            /* 0 when not given */
    int processes;          /* --processes=K; 0 when not given */
    unsigned long long iterations; /* --iterations=N; 0 when not given (calibrate) */
    double min_time;        /* 0 when not given */
    double timeout;         /* 0 when not given */
    int no_heap;            /* --no-heap: skip the heap pass */
    unsigned counters;      /* --counters[=LIST]: INSTR_MASK bits; 0 when not given */
    int instr;              /* --instr: instructions under callgrind */
    unsigned long long instr_iterations; /* --instr-iterations=N; 0 when not given */
    const char *instr_child; /* --instr-child=NAME (internal: the run under callgrind) */
} flags;

/* Most iterations --instr-iterations accepts. */
#define FLAGS_MAX_INSTR_ITERATIONS 1000000000ull

/*
 * Parses ARGV[1..ARGC-1] into F (zeroed here first).  Options take their
 * value as --opt=VALUE or --opt VALUE.  Returns 0; 2 on a usage error
 * with a one-line message (without "error: ") in ERR[ERRLEN], such as
 * "unknown option '--x'" or "invalid value 'abc' for --samples: expected
 * a positive integer"; -1 on ENOMEM.  Release F with flags_release()
 * whatever the result.
 */
int flags_parse(flags *f, int argc, char **argv, char *err, size_t errlen);

void flags_release(flags *f);

/* Prints the --help text for program PROG to OUT. */
void flags_usage(FILE *out, const char *prog);

/* Does instance NAME with TAGS pass the --filter and --tags of F? */
int flags_select(const flags *f, const char *name, char *const *tags, size_t ntags);

#endif
