/*
 * perfcmp.h - the public API of libperfcmp, a micro-benchmark library.
 *
 * Writing a benchmark:
 *
 *     #include <perfcmp.h>
 *
 *     PERFCMP_BENCH(sum_array, .tags = "cpu", .args = { PERFCMP_RANGE(64, 65536, 8) })
 *     {
 *         size_t n = (size_t)perfcmp_arg(state, 0);
 *         int *v = calloc(n, sizeof *v);          // setup: not timed
 *         while (perfcmp_loop(state)) {           // the measured loop
 *             long s = 0;
 *             for (size_t i = 0; i < n; i++) s += v[i];
 *             perfcmp_do_not_optimize(s);
 *         }
 *         perfcmp_set_bytes(state, n * sizeof *v); // bytes per iteration
 *         free(v);                                 // teardown: not timed
 *     }
 *
 *     PERFCMP_MAIN()
 *
 * Build: cc bench.c $(pkg-config --cflags --libs perfcmp)
 *
 * Memory: the library owns every string and pointer it hands out; nothing
 * returned by this API needs to be freed by the caller.  Strings passed in
 * (names, units, tags) must stay valid for the life of the process
 * (string literals are the normal case), except where a function says it
 * copies them.
 *
 * Errors: the library never exits the process on a user's behalf.  Misuse
 * inside a benchmark (an argument index out of range, a counter with an
 * empty name) marks that benchmark as failed with a message in the result
 * file instead of aborting the run.
 */
#ifndef PERFCMP_H
#define PERFCMP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PERFCMP_VERSION_MAJOR 0
#define PERFCMP_VERSION_MINOR 1
#define PERFCMP_VERSION_PATCH 0
#define PERFCMP_VERSION_STRING "0.1.0"

/* Version of the result-file schema written by this library. */
#define PERFCMP_RESULTS_SCHEMA "perfcmp-results"
/* Version 2 added the samples' grouping by process ("processes"); readers
 * of this library read versions 1 and 2. */
#define PERFCMP_RESULTS_VERSION 2

#if defined(__GNUC__) || defined(__clang__)
#define PERFCMP_API __attribute__((visibility("default")))
#else
#define PERFCMP_API
#endif

/* Returns the library version as "MAJOR.MINOR.PATCH" (static storage). */
PERFCMP_API const char *perfcmp_version(void);

/* ------------------------------------------------------------------ */
/* Registration                                                        */
/* ------------------------------------------------------------------ */

/* Maximum number of integer argument dimensions of one benchmark. */
#define PERFCMP_MAX_ARGS 4
/* Most threads one benchmark may run its body in (.threads). */
#define PERFCMP_MAX_THREADS 256

/*
 * One argument dimension: either a geometric range lo, lo*mult, ... up to
 * and including hi (hi itself is always included), or an explicit list.
 */
typedef struct perfcmp_arg_spec {
    long long lo, hi, mult;     /* range; mult >= 2 */
    const long long *list;      /* explicit values, or NULL */
    size_t nlist;
} perfcmp_arg_spec;

/* PERFCMP_RANGE(8, 8192, 4) -> 8, 32, 128, 512, 2048, 8192 */
#define PERFCMP_RANGE(lo_, hi_, mult_) \
    { .lo = (lo_), .hi = (hi_), .mult = (mult_), .list = NULL, .nlist = 0 }
/* PERFCMP_LIST(1, 10, 100) */
#define PERFCMP_LIST(...)                                                   \
    { .lo = 0, .hi = 0, .mult = 0,                                          \
      .list = (const long long[]){ __VA_ARGS__ },                          \
      .nlist = sizeof((const long long[]){ __VA_ARGS__ }) / sizeof(long long) }

typedef struct perfcmp_state perfcmp_state;
typedef void (*perfcmp_fn)(perfcmp_state *state);

/*
 * A benchmark definition.  Users do not fill this in by hand: the
 * PERFCMP_BENCH macro does, and the options after the name are designated
 * initializers for these fields.  Zero means "use the default".
 */
typedef struct perfcmp_bench_def {
    const char *name;           /* family name, e.g. "sort" */
    perfcmp_fn fn;
    const char *tags;           /* space or comma separated words */
    int samples;                /* samples to take (default 30) */
    double min_time;            /* time budget in seconds (default 0.5) */
    double timeout;             /* seconds before the child is killed (default 60) */
    long long iterations;       /* fixed iterations per sample (skip calibration) */
    perfcmp_arg_spec args[PERFCMP_MAX_ARGS];
    int latency;                /* 1: every iteration is one operation whose
                                   latency is recorded (latency mode) */
    int threads;                /* run the body in this many threads at once
                                   (default 1, at most PERFCMP_MAX_THREADS) */
    const char *file;           /* filled by the macro */
    int line;
    struct perfcmp_bench_def *next_; /* library use only */
} perfcmp_bench_def;

/*
 * Adds a definition to the registry.  Called by PERFCMP_BENCH from a
 * constructor before main(); the definition must have static storage.
 */
PERFCMP_API void perfcmp_register(perfcmp_bench_def *def);

#define PERFCMP_CAT_(a, b) a##b
#define PERFCMP_CAT(a, b) PERFCMP_CAT_(a, b)

/*
 * PERFCMP_BENCH(name, options...) { body using `state` }
 * Defines and self-registers a benchmark.  Options are designated
 * initializers of perfcmp_bench_def: .tags, .samples, .min_time,
 * .timeout, .iterations, .args, .latency, .threads.
 */
#define PERFCMP_BENCH(name_, ...)                                            \
    static void PERFCMP_CAT(perfcmp_bench_fn_, name_)(perfcmp_state *state); \
    static perfcmp_bench_def PERFCMP_CAT(perfcmp_bench_def_, name_) = {      \
        .name = #name_,                                                      \
        .fn = PERFCMP_CAT(perfcmp_bench_fn_, name_),                         \
        .file = __FILE__,                                                    \
        .line = __LINE__,                                                    \
        __VA_ARGS__                                                          \
    };                                                                       \
    __attribute__((constructor)) static void                                 \
    PERFCMP_CAT(perfcmp_bench_reg_, name_)(void)                             \
    {                                                                        \
        perfcmp_register(&PERFCMP_CAT(perfcmp_bench_def_, name_));           \
    }                                                                        \
    static void PERFCMP_CAT(perfcmp_bench_fn_, name_)(perfcmp_state *state)

/* ------------------------------------------------------------------ */
/* Inside a benchmark                                                  */
/* ------------------------------------------------------------------ */

/*
 * The state of one sample.  Its fields are private to the library; they
 * are visible only so that perfcmp_loop() can be inlined.
 */
struct perfcmp_state {
    uint64_t left_;             /* iterations left in this sample */
    int running_;               /* 0 before the loop, 1 inside, 2 after */
    void *priv_;                /* library data */
};

/* Slow path of perfcmp_loop(); do not call directly. */
PERFCMP_API int perfcmp_loop_(perfcmp_state *state);

/*
 * The measured loop: while (perfcmp_loop(state)) { ... }.  Returns
 * non-zero while iterations remain.  The clock starts at the first call
 * and stops at the call that returns 0; code before and after the loop
 * is not timed.  Call it in exactly one loop per benchmark body.
 */
static inline int perfcmp_loop(perfcmp_state *state)
{
    if (state->left_ != 0) {
        state->left_--;
        return 1;
    }
    return perfcmp_loop_(state);
}

/* Iterations this sample will run (valid inside the body). */
PERFCMP_API uint64_t perfcmp_iterations(const perfcmp_state *state);

/*
 * Argument I of this instance (0-based).  Returns 0 and marks the
 * benchmark failed if I is out of range.
 */
PERFCMP_API long long perfcmp_arg(const perfcmp_state *state, int i);

/* Stop and restart the clock inside the loop, for per-iteration setup. */
PERFCMP_API void perfcmp_pause_timing(perfcmp_state *state);
PERFCMP_API void perfcmp_resume_timing(perfcmp_state *state);

/* Bytes / items processed per iteration: gives bytes_per_second and
 * items_per_second metrics (higher is better). */
PERFCMP_API void perfcmp_set_bytes(perfcmp_state *state, uint64_t bytes_per_iter);
PERFCMP_API void perfcmp_set_items(perfcmp_state *state, uint64_t items_per_iter);

typedef enum perfcmp_direction {
    PERFCMP_LOWER_IS_BETTER = 0,
    PERFCMP_HIGHER_IS_BETTER = 1
} perfcmp_direction;

/*
 * Records a custom metric for this sample: NAME (copied) with UNIT
 * (copied) and a direction.  Called once per sample (after the loop), it
 * yields one value per sample.  Returns 0, or -1 if NAME is empty or too
 * many counters were set (the benchmark is then marked failed).
 */
PERFCMP_API int perfcmp_counter(perfcmp_state *state, const char *name,
                                double value, const char *unit,
                                perfcmp_direction direction);

/* Marks the benchmark failed with MESSAGE (copied); the loop ends. */
PERFCMP_API void perfcmp_fail(perfcmp_state *state, const char *message);

/*
 * Latency mode: the latency of single operations, recorded in a histogram
 * (3 significant digits), gives per sample the metrics latency_p50,
 * latency_p90, latency_p99, latency_p999, latency_max (ns, lower is
 * better), success_rate (fraction of operations that succeeded, higher),
 * ops_per_second (successful operations per second, higher), ops_total
 * (operations of the sample) and duration (ns the sample's loop took).
 *
 * Either give .latency = 1 in PERFCMP_BENCH: every iteration of the
 * measured loop is one operation (one clock read per iteration, about
 * 20-50 ns, so it suits operations of a microsecond or more), and
 * perfcmp_op_failed() marks the current iteration failed.  Or bracket
 * each operation inside the loop with perfcmp_op_begin() and
 * perfcmp_op_end() (several per iteration allowed, not nested; two clock
 * reads each), ending a failed one with perfcmp_op_failed() instead of
 * perfcmp_op_end().  A failed operation is counted, its latency is not
 * recorded.  Misuse (outside the loop, nested, end without begin, begin
 * with .latency = 1, an operation still open when the loop ends) marks
 * the benchmark failed.
 */
PERFCMP_API void perfcmp_op_begin(perfcmp_state *state);
PERFCMP_API void perfcmp_op_end(perfcmp_state *state);
PERFCMP_API void perfcmp_op_failed(perfcmp_state *state);

/*
 * Multi-threaded benchmarks (.threads = N): the body runs in N threads at
 * once, each with its own state and the same iterations; every thread's
 * loop starts together.  perfcmp_thread_index() is this thread's index,
 * 0 .. N-1 (0 when .threads is not set), perfcmp_threads() is N.
 */
PERFCMP_API int perfcmp_thread_index(const perfcmp_state *state);
PERFCMP_API int perfcmp_threads(const perfcmp_state *state);

/* Barriers against dead-code elimination.  perfcmp_do_not_optimize(v)
 * makes the compiler believe V is read; perfcmp_clobber() that all memory
 * may have been read and written. */
PERFCMP_API void perfcmp_use_pointer_(const volatile void *p);
#if defined(__GNUC__) || defined(__clang__)
#define perfcmp_do_not_optimize(value) __asm__ volatile("" : : "r,m"(value) : "memory")
#define perfcmp_clobber() __asm__ volatile("" : : : "memory")
#else
#define perfcmp_do_not_optimize(value) perfcmp_use_pointer_(&(value))
#define perfcmp_clobber() perfcmp_use_pointer_(NULL)
#endif

/* ------------------------------------------------------------------ */
/* Running                                                             */
/* ------------------------------------------------------------------ */

/*
 * Parses the bench binary's flags (see --help), runs the selected
 * benchmarks and writes the table and the result file.  Returns the
 * process exit status: 0 all ran, 1 some benchmark failed (crashed, timed
 * out, called perfcmp_fail), 2 bad flags or an I/O error (a one-line
 * message on stderr).  Does not call exit().
 *
 * COMPILER and CFLAGS describe how the bench binary was built; they go
 * into the result file's context ("compiler", "cflags").  Either may be
 * NULL ("unknown" and "").  Use perfcmp_main(), which fills them in.
 */
PERFCMP_API int perfcmp_main_ex(int argc, char **argv, const char *compiler,
                                const char *cflags);

#define PERFCMP_STR_(x) #x
#define PERFCMP_STR(x) PERFCMP_STR_(x)

/* The compiler of the translation unit that includes this header. */
#if defined(__clang__)
#define PERFCMP_COMPILER_NAME_ "clang"
#define PERFCMP_COMPILER_VERSION_ PERFCMP_STR(__clang_major__) "." \
    PERFCMP_STR(__clang_minor__) "." PERFCMP_STR(__clang_patchlevel__)
#elif defined(__GNUC__)
#define PERFCMP_COMPILER_NAME_ "gcc"
#define PERFCMP_COMPILER_VERSION_ PERFCMP_STR(__GNUC__) "." \
    PERFCMP_STR(__GNUC_MINOR__) "." PERFCMP_STR(__GNUC_PATCHLEVEL__)
#endif
#if defined(PERFCMP_COMPILER_NAME_)
#define PERFCMP_COMPILER PERFCMP_COMPILER_NAME_ " " PERFCMP_COMPILER_VERSION_
#elif defined(__VERSION__)
#define PERFCMP_COMPILER __VERSION__
#else
#define PERFCMP_COMPILER "unknown"
#endif

/*
 * Define PERFCMP_CFLAGS as a string literal when compiling the bench
 * binary to record its flags, e.g. -DPERFCMP_CFLAGS='"-O2 -g"'.
 */
#if defined(PERFCMP_CFLAGS)
#define PERFCMP_CFLAGS_STRING_ PERFCMP_CFLAGS
#else
#define PERFCMP_CFLAGS_STRING_ ""
#endif

/*
 * perfcmp_main_ex() with the compiler and flags of the caller's
 * translation unit (it is inline so that they are the bench binary's, not
 * the library's).  Same return values.
 */
static inline int perfcmp_main(int argc, char **argv)
{
    return perfcmp_main_ex(argc, argv, PERFCMP_COMPILER, PERFCMP_CFLAGS_STRING_);
}

#define PERFCMP_MAIN()                                                       \
    int main(int argc, char **argv) { return perfcmp_main(argc, argv); }

#ifdef __cplusplus
}
#endif

#endif /* PERFCMP_H */
