/*
 * flags.c - parsing a bench binary's flags.
 */
#include "flags.h"
#include "instr.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* FLAG_OPTIONAL: a value only as --opt=VALUE; --opt alone has none. */
enum flags_kind { FLAG_BOOL, FLAG_VALUE, FLAG_OPTIONAL };

typedef struct flags_option {
    const char *name;
    enum flags_kind kind;
} flags_option;

static const flags_option flags_options[] = {
    { "list", FLAG_BOOL },      { "no-fork", FLAG_BOOL },  { "quiet", FLAG_BOOL },
    { "help", FLAG_BOOL },      { "version", FLAG_BOOL },  { "filter", FLAG_VALUE },
    { "tags", FLAG_VALUE },     { "out", FLAG_VALUE },     { "samples", FLAG_VALUE },
    { "min-time", FLAG_VALUE }, { "timeout", FLAG_VALUE },  { "no-heap", FLAG_BOOL },
    { "counters", FLAG_OPTIONAL }, { "instr", FLAG_BOOL },  { "instr-iterations", FLAG_VALUE },
    { "instr-child", FLAG_VALUE }, { "processes", FLAG_VALUE }, { "iterations", FLAG_VALUE },
};

void flags_usage(FILE *out, const char *prog)
{
    fprintf(out,
            "usage: %s [options]\n"
            "\n"
            "Runs the benchmarks of this binary and prints a table of the results.\n"
            "\n"
            "options:\n"
            "  --list              print the selected benchmark instances and exit\n"
            "  --filter=GLOB       run instances whose name matches GLOB (repeatable;\n"
            "                      any may match), e.g. --filter='sort/*'\n"
            "  --tags=EXPR         run instances whose tags satisfy EXPR: tags combined\n"
            "                      with and, or, not and parentheses, e.g.\n"
            "                      --tags='(cpu or memory) and not slow' (repeatable;\n"
            "                      all must hold)\n"
            "  --out=FILE          write the results as JSON (perfcmp-results) to FILE\n"
            "  --samples=N         samples per benchmark (default 30)\n"
            "  --min-time=SECONDS  time budget of a benchmark's samples (default 0.5)\n"
            "  --processes=K       take a benchmark's samples in K processes (default 6),\n"
            "                      one after another round-robin over the benchmarks,\n"
            "                      so that a run samples the machine's slow and fast\n"
            "                      phases; the samples and the budget are split\n"
            "                      between them (1 with --no-fork)\n"
            "  --iterations=N      iterations per sample, instead of calibrating\n"
            "  --timeout=SECONDS   kill a benchmark after this long (default 60)\n"
            "  --no-fork           run benchmarks in this process (no crash isolation,\n"
            "                      no timeout)\n"
            "  --no-heap           skip the heap pass: no allocs, alloc_bytes, peak_heap\n"
            "                      and leaked_bytes metrics (measured by default in one\n"
            "                      extra run after the timed samples)\n"
            "  --counters[=LIST]   read CPU counters (perf_event_open) in every sample:\n"
            "                      any of instructions,cycles,branches,branch-misses,\n"
            "                      cache-misses,task-clock,page-faults,context-switches\n"
            "                      (default: the first five)\n"
            "  --instr             count instructions per iteration exactly, in one run\n"
            "                      under valgrind's callgrind (slow)\n"
            "  --instr-iterations=N  iterations of the --instr run (default: the\n"
            "                      calibrated iterations, at most 1000)\n"
            "  --quiet             print no table and no progress\n"
            "  --help              print this help and exit\n"
            "  --version           print the library version and exit\n"
            "\n"
            "The command-line values override the benchmarks' own .samples, .min_time\n"
            "and .timeout.  Exit status: 0 all benchmarks ran, 1 some benchmark failed,\n"
            "crashed or timed out, 2 bad usage or an I/O error.\n",
            prog);
}

static int flags_positive_int(const char *v, int max, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (end == v || *end || errno || n < 1 || n > max || *v == '+' || *v == ' ')
        return -1;
    *out = (int)n;
    return 0;
}

static int flags_positive_seconds(const char *v, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(d) || d <= 0 || d > 1e6 || *v == ' ')
        return -1;
    *out = d;
    return 0;
}

/* Applies option O with value V (NULL for booleans). */
static int flags_apply(flags *f, const flags_option *o, const char *v, char *err,
                       size_t errlen)
{
    const char *name = o->name;
    char why[200];

    if (strcmp(name, "list") == 0) {
        f->list = 1;
    } else if (strcmp(name, "no-fork") == 0) {
        f->no_fork = 1;
    } else if (strcmp(name, "quiet") == 0) {
        f->quiet = 1;
    } else if (strcmp(name, "help") == 0) {
        f->help = 1;
    } else if (strcmp(name, "version") == 0) {
        f->version = 1;
    } else if (strcmp(name, "filter") == 0) {
        if (!*v) {
            snprintf(err, errlen, "invalid value '' for --filter: expected a glob pattern");
            return 2;
        }
        const char **p = realloc(f->filters, (f->nfilters + 1) * sizeof *p);
        if (!p)
            return -1;
        f->filters = p;
        f->filters[f->nfilters++] = v;
    } else if (strcmp(name, "tags") == 0) {
        tagexpr *e;
        if (tagexpr_parse(v, &e, why, sizeof why) != 0) {
            if (strcmp(why, "out of memory") == 0)
                return -1;
            snprintf(err, errlen, "invalid value '%s' for --tags: %s", v, why);
            return 2;
        }
        tagexpr **p = realloc(f->tags, (f->ntags + 1) * sizeof *p);
        if (!p) {
            tagexpr_free(e);
            return -1;
        }
        f->tags = p;
        f->tags[f->ntags++] = e;
    } else if (strcmp(name, "out") == 0) {
        if (!*v) {
            snprintf(err, errlen, "invalid value '' for --out: expected a file name");
            return 2;
        }
        f->out = v;
    } else if (strcmp(name, "samples") == 0) {
        if (flags_positive_int(v, FLAGS_MAX_SAMPLES, &f->samples) != 0) {
            snprintf(err, errlen,
                     "invalid value '%s' for --samples: expected a positive integer"
                     " (at most %d)", v, FLAGS_MAX_SAMPLES);
            return 2;
        }
    } else if (strcmp(name, "no-heap") == 0) {
        f->no_heap = 1;
    } else if (strcmp(name, "instr") == 0) {
        f->instr = 1;
    } else if (strcmp(name, "counters") == 0) {
        char bad[64];
        if (!v) {
            f->counters = INSTR_MASK_HARDWARE;
        } else if (!*v) {
            snprintf(err, errlen, "invalid value '' for --counters: expected counter names"
                                  " such as instructions,cycles");
            return 2;
        } else if (instr_parse_list(v, &f->counters, bad, sizeof bad) != 0) {
            snprintf(err, errlen,
                     "invalid value '%s' for --counters: unknown counter '%s' (known:"
                     " instructions, cycles, branches, branch-misses, cache-misses,"
                     " task-clock, page-faults, context-switches)", v, bad);
            return 2;
        }
    } else if (strcmp(name, "processes") == 0) {
        if (flags_positive_int(v, FLAGS_MAX_PROCESSES, &f->processes) != 0) {
            snprintf(err, errlen,
                     "invalid value '%s' for --processes: expected a positive integer"
                     " (at most %d)", v, FLAGS_MAX_PROCESSES);
            return 2;
        }
    } else if (strcmp(name, "instr-iterations") == 0 || strcmp(name, "iterations") == 0) {
        int instr = strcmp(name, "instr-iterations") == 0;
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (end == v || *end || errno || n < 1 || n > FLAGS_MAX_INSTR_ITERATIONS ||
            *v < '0' || *v > '9') {
            snprintf(err, errlen,
                     "invalid value '%s' for --%s: expected a positive integer"
                     " (at most %llu)", v, name, FLAGS_MAX_INSTR_ITERATIONS);
            return 2;
        }
        if (instr)
            f->instr_iterations = n;
        else
            f->iterations = n;
    } else if (strcmp(name, "instr-child") == 0) {
        if (!*v) {
            snprintf(err, errlen, "invalid value '' for --instr-child: expected a benchmark name");
            return 2;
        }
        f->instr_child = v;
    } else if (strcmp(name, "min-time") == 0 || strcmp(name, "timeout") == 0) {
        double *dst = strcmp(name, "timeout") == 0 ? &f->timeout : &f->min_time;
        if (flags_positive_seconds(v, dst) != 0) {
            snprintf(err, errlen,
                     "invalid value '%s' for --%s: expected a positive number of seconds",
                     v, name);
            return 2;
        }
    }
    return 0;
}

int flags_parse(flags *f, int argc, char **argv, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const flags_option *o = NULL;
        const char *value = NULL;

        if (strcmp(arg, "-h") == 0)
            arg = "--help";
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (arg[0] == '-' && arg[1] != '\0')
                snprintf(err, errlen, "unknown option '%s'", arg);
            else
                snprintf(err, errlen, "unexpected argument '%s'", arg);
            return 2;
        }
        const char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        for (size_t k = 0; k < sizeof flags_options / sizeof flags_options[0]; k++)
            if (strlen(flags_options[k].name) == len &&
                memcmp(flags_options[k].name, arg + 2, len) == 0)
                o = &flags_options[k];
        if (!o) {
            snprintf(err, errlen, "unknown option '%.*s'", (int)(len + 2), arg);
            return 2;
        }
        if (o->kind == FLAG_BOOL && eq) {
            snprintf(err, errlen, "option '--%s' takes no value", o->name);
            return 2;
        }
        if (o->kind == FLAG_OPTIONAL) {
            value = eq ? eq + 1 : NULL;
        } else if (o->kind == FLAG_VALUE) {
            if (eq) {
                value = eq + 1;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                snprintf(err, errlen, "option '--%s' needs a value", o->name);
                return 2;
            }
        }
        int rc = flags_apply(f, o, value, err, errlen);
        if (rc != 0)
            return rc;
    }
    return 0;
}

void flags_release(flags *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->ntags; i++)
        tagexpr_free(f->tags[i]);
    free(f->tags);
    free(f->filters);
    memset(f, 0, sizeof *f);
}

int flags_select(const flags *f, const char *name, char *const *tags, size_t ntags)
{
    if (f->nfilters > 0) {
        size_t i;
        for (i = 0; i < f->nfilters; i++)
            if (fnmatch(f->filters[i], name, 0) == 0)
                break;
        if (i == f->nfilters)
            return 0;
    }
    for (size_t i = 0; i < f->ntags; i++)
        if (!tagexpr_match(f->tags[i], tags, ntags))
            return 0;
    return 1;
}
