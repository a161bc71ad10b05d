/*
 * instr.h - instruction and event counts for a measured region, two ways.
 *
 * (a) Performance counters of the kernel (perf_event_open(2)): hardware
 *     events (instructions, cycles, branches, branch misses, cache misses)
 *     where the CPU exposes them to this process, and software events
 *     (task clock, page faults, context switches) that every Linux kernel
 *     has.  User-space only (exclude_kernel), which is what
 *     kernel.perf_event_paranoid = 2 allows without privileges.  Virtual
 *     machines often expose no PMU at all: the hardware events then fail
 *     with ENOENT and are reported unsupported, never printed.
 *
 * (b) valgrind's callgrind, for instruction counts that are the same on
 *     every run on any machine of the same architecture: the process runs
 *     under `valgrind --tool=callgrind --instr-atstart=no`, the region is
 *     bracketed by client requests (instr_callgrind_begin/end, no-ops
 *     outside valgrind), and the parent reads the instruction count (Ir)
 *     from callgrind's output files.
 *
 * Nothing here prints, and nothing allocates except the stdio stream
 * that the callgrind parsers read through (closed before they return).
 * Functions that can fail return -1 with errno set (or a count, where
 * said).
 */
#ifndef PERFCMP_INSTR_H
#define PERFCMP_INSTR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ------------------------------------------------------------------ */
/* (a) perf_event_open                                                 */
/* ------------------------------------------------------------------ */

typedef enum instr_event {
    INSTR_INSTRUCTIONS = 0,  /* retired instructions (hardware) */
    INSTR_CYCLES,            /* CPU cycles (hardware) */
    INSTR_BRANCHES,          /* retired branch instructions (hardware) */
    INSTR_BRANCH_MISSES,     /* mispredicted branches (hardware) */
    INSTR_CACHE_MISSES,      /* last-level cache misses (hardware) */
    INSTR_TASK_CLOCK,        /* CPU time of the task in ns (software) */
    INSTR_PAGE_FAULTS,       /* page faults (software) */
    INSTR_CONTEXT_SWITCHES,  /* context switches (software) */
    INSTR_NEVENTS
} instr_event;

#define INSTR_MASK(e) (1u << (e))
/* The default set of --counters: the hardware events. */
#define INSTR_MASK_HARDWARE 0x1fu

/* The metric name of event E: "instructions", "cycles", "branches",
 * "branch_misses", "cache_misses", "task_clock", "page_faults",
 * "context_switches"; NULL when out of range.  Static storage. */
const char *instr_event_name(instr_event e);

/* Its unit in result files: "ns" for task_clock, "count" otherwise. */
const char *instr_event_unit(instr_event e);

/* Parses one event name; '-' and '_' are interchangeable, so perf's
 * "branch-misses" works too.  Returns the event or -1. */
int instr_event_parse(const char *name, size_t len);

/*
 * Parses a comma-separated list ("instructions,cycles") into a mask of
 * INSTR_MASK bits.  Returns 0, or -1 when a name is unknown or the list
 * is empty; the offending name (truncated to fit, NUL-terminated) is then
 * copied to BAD[BADLEN] when BAD is not NULL.
 */
int instr_parse_list(const char *list, unsigned *mask, char *bad, size_t badlen);

/* Open counters of the calling thread (and of threads it creates after
 * instr_counters_open).  Plain value; initialise with
 * instr_counters_init, close with instr_counters_release. */
typedef struct instr_counters {
    int fd[INSTR_NEVENTS];     /* -1 when not open */
    int err[INSTR_NEVENTS];    /* for a requested event that did not open: its errno */
    unsigned requested;        /* mask given to instr_counters_open */
    unsigned open;             /* mask of the events that opened */
    /* value, time enabled, time running at instr_counters_start: the
     * kernel's reset does not clear what threads that have exited since
     * the open added, so stop reports the difference */
    uint64_t base[INSTR_NEVENTS][3];
} instr_counters;

typedef struct instr_values {
    uint64_t value[INSTR_NEVENTS];  /* count over the region, indexed by instr_event */
    unsigned valid;                 /* mask of the events with a value */
    unsigned scaled;                /* mask of the events the kernel multiplexed:
                                       value = raw * enabled / running, an estimate */
} instr_values;

/* Sets every fd to -1; no system call, no allocation. */
void instr_counters_init(instr_counters *c);

/*
 * Opens a disabled counter for each event in MASK.  Never fails as a
 * whole: returns the number of events that opened (0 when none did), and
 * records each failure's errno in c->err (ENOENT or EOPNOTSUPP: the
 * CPU/VM does not provide the event; EACCES/EPERM: perf_event_paranoid
 * forbids it; ENOSYS: no perf_event_open).  Call instr_counters_release
 * afterwards in every case.
 */
int instr_counters_open(instr_counters *c, unsigned mask);

/* Resets, reads (the base stop subtracts) and enables every open
 * counter.  Returns 0, or -1 with errno. */
int instr_counters_start(instr_counters *c);

/* Disable and re-enable every open counter without resetting it (for
 * perfcmp_pause_timing / perfcmp_resume_timing).  Return 0, or -1 with
 * errno. */
int instr_counters_pause(instr_counters *c);
int instr_counters_resume(instr_counters *c);

/* Disables every open counter and reads it into OUT.  Returns 0, or -1
 * with errno (OUT then has valid == 0). */
int instr_counters_stop(instr_counters *c, instr_values *out);

/* Closes every open counter; accepts a zeroed or initialised value. */
void instr_counters_release(instr_counters *c);

/* Why an event did not open, for errno ERR from c->err: a static phrase
 * such as "not supported by this CPU or virtual machine". */
const char *instr_strerror(int err);

/* kernel.perf_event_paranoid, or -100 when it cannot be read. */
int instr_perf_paranoid(void);

/* ------------------------------------------------------------------ */
/* (b) callgrind                                                       */
/* ------------------------------------------------------------------ */

/* 1 when this process runs under valgrind (any tool), else 0. */
int instr_under_valgrind(void);

/* Starts counting: CALLGRIND_ZERO_STATS, CALLGRIND_START_INSTRUMENTATION.
 * No-ops outside callgrind. */
void instr_callgrind_begin(void);

/* Stops counting and writes the counts since instr_callgrind_begin as a
 * new part of the output (CALLGRIND_STOP_INSTRUMENTATION,
 * CALLGRIND_DUMP_STATS_AT(LABEL)); LABEL may be NULL.  No-ops outside
 * callgrind. */
void instr_callgrind_end(const char *label);

/* Stop and restart instrumentation inside a region without writing a
 * part (CALLGRIND_STOP/START_INSTRUMENTATION).  No-ops outside callgrind. */
void instr_callgrind_pause(void);
void instr_callgrind_resume(void);

/* NULL when callgrind can be used from this process (valgrind is on PATH
 * and this is not a sanitizer build), else a static reason. */
const char *instr_callgrind_unavailable(void);

/*
 * Reads the instruction count of one callgrind output file: the Ir column
 * (found from the "events:" line) of its "totals:" line, or of its
 * "summary:" line when there is no totals line.  Returns 0, or -1 with
 * errno: the open/read error, or EINVAL when the file has no events line
 * with Ir or no totals/summary line.
 */
int instr_callgrind_parse_totals(const char *path, uint64_t *ir);

/*
 * Sums the instruction counts of every file that one callgrind run wrote
 * to OUT_FILE (as given with --callgrind-out-file, no %p): OUT_FILE.1,
 * OUT_FILE.2, ... (one per instr_callgrind_end) and OUT_FILE itself (the
 * dump at exit).  Writes the number of files read to *NFILES when NFILES
 * is not NULL.  Returns 0, or -1 with errno (ENOENT when no file exists,
 * or a parse error as above).
 */
int instr_callgrind_collect(const char *out_file, uint64_t *ir, unsigned *nfiles);

/*
 * Runs ARGV (ARGV[0] looked up on PATH, no shell) under
 * `valgrind --tool=callgrind --instr-atstart=no
 *  --callgrind-out-file=OUT_FILE`, and waits for it.  valgrind's and the
 * program's stdout and stderr go to LOG_FILE (created or truncated, mode
 * 0600), or to /dev/null when LOG_FILE is NULL; on a failure the log says
 * why (e.g. "Possibly corrupted debuginfo file" when this valgrind cannot
 * read the binary's DWARF).  The program must not fork children that also
 * write OUT_FILE (callgrind follows fork; use one process).  Writes the
 * program's wait status to *STATUS.  Returns 0 when valgrind ran
 * (whatever the exit status), or -1 with errno: from fork or pipe, from
 * opening LOG_FILE, or from execvp when valgrind could not be started
 * (ENOENT: not installed).
 */
int instr_callgrind_run(char *const argv[], const char *out_file, const char *log_file,
                        int *status);

/*
 * instr_callgrind_run with a limit: after TIMEOUT seconds (> 0; 0 means
 * none) valgrind is killed with SIGKILL and -1 is returned with errno
 * ETIMEDOUT.  Otherwise the same.
 */
int instr_callgrind_run_timed(char *const argv[], const char *out_file, const char *log_file,
                              double timeout, int *status);

#endif
