/*
 * runner.c - perfcmp_main_ex(): flags, selection, running each instance
 * (in a child, or in this process with --no-fork), the instruction count
 * under callgrind (--instr: this program again, as a child of valgrind,
 * with the internal flag --instr-child=NAME), the complexity fits, the
 * table, the file.
 *
 * Everything printed here is what perfcmp_main was asked to print; the
 * library prints nothing anywhere else.
 */
#include "runner.h"
#include "../core/complexity.h"
#include "../core/fdio.h"
#include "clocks.h"
#include "../core/context.h"
#include "flags.h"
#include "heap.h"
#include "instr.h"
#include "isolate.h"
#include "output.h"
#include "sample.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <perfcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Iterations of the --instr run when --instr-iterations is not given: the
 * calibrated iterations, at most this many. */
#define RUNNER_INSTR_ITERATIONS 1000ull

/* Processes a benchmark's samples are split between (--processes), one
 * after another round-robin over the benchmarks; chosen by measurement
 * (docs/verdicts.md, "Processes"). */
#define RUNNER_DEFAULT_PROCESSES 6

/* Room for the reason the instruction count of one benchmark is missing. */
#define RUNNER_WHY 600

#define RUNNER_EXIT_OK 0
#define RUNNER_EXIT_FAILED 1
#define RUNNER_EXIT_USAGE 2

static char *runner_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

results_bench *runner_add_result(results_run *run, const registry_instance *in,
                                 const measure *m)
{
    results_bench *b = results_add_bench(run, in->name, in->def->name);
    if (!b)
        return NULL;
    if (in->nargs) {
        b->args = malloc(in->nargs * sizeof *b->args);
        if (!b->args)
            return NULL;
        memcpy(b->args, in->args, in->nargs * sizeof *b->args);
        b->nargs = in->nargs;
    }
    if (in->ntags) {
        b->tags = calloc(in->ntags, sizeof *b->tags);
        if (!b->tags)
            return NULL;
        for (size_t i = 0; i < in->ntags; i++) {
            if (!(b->tags[i] = runner_strdup(in->tags[i])))
                return NULL;
            b->ntags = i + 1;
        }
    }
    b->status = (results_status)m->status;
    if (m->status != MEASURE_OK &&
        results_set_str(&b->error, m->error && *m->error ? m->error : "unknown error") != 0)
        return NULL;
    b->iterations = m->iterations;
    for (size_t i = 0; i < m->nmetrics; i++) {
        const measure_metric *mm = &m->metrics[i];
        if (!results_add_metric(b, mm->name, mm->unit,
                                mm->direction ? RESULTS_HIGHER_IS_BETTER
                                              : RESULTS_LOWER_IS_BETTER,
                                mm->values, mm->n))
            return NULL;
    }
    return b;
}

static const char *runner_basename(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "bench";
}

/* Can a file be created at PATH?  0, or -1 with errno. */
static int runner_check_writable(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');

    if (!slash) {
        snprintf(dir, sizeof dir, ".");
    } else if (slash == path) {
        snprintf(dir, sizeof dir, "/");
    } else {
        if ((size_t)(slash - path) >= sizeof dir) {
            errno = ENAMETOOLONG;
            return -1;
        }
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    }
    struct stat st;
    if ((slash && slash[1] == '\0') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        errno = EISDIR;
        return -1;
    }
    return access(dir, W_OK | X_OK);
}

typedef struct runner_tick {
    output *out;
    size_t index;
    const char *name;
} runner_tick;

static void runner_on_tick(void *ctx, double elapsed)
{
    runner_tick *t = ctx;
    output_progress(t->out, t->index, t->name, elapsed);
}

/* What this run measures besides time, decided once before it starts. */
typedef struct runner_extras {
    int heap;                   /* the heap pass */
    unsigned counters;          /* perf counters that opened here */
    int instr;                  /* --instr, and callgrind is available */
    char self[PATH_MAX];        /* this program, for --instr */
} runner_extras;

/*
 * Records in C what X measures besides time (the context's "extras",
 * docs/results-format.md): "heap", "counters:NAME,..." with the events
 * that opened (instr_event_name's names), "instr".  The extras are known
 * afterwards, even when there are none.  Returns 0, or -1 on ENOMEM.
 */
static int runner_record_extras(results_context *c, const runner_extras *x)
{
    char list[256] = "counters:";
    size_t len = strlen(list), start = len;

    c->extras_known = 1;
    if (x->heap && results_context_add_extra(c, "heap") != 0)
        return -1;
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        if (!(x->counters & INSTR_MASK(e)))
            continue;
        int n = snprintf(list + len, sizeof list - len, "%s%s", len > start ? "," : "",
                         instr_event_name((instr_event)e));
        if (n > 0 && (size_t)n < sizeof list - len)
            len += (size_t)n;
        list[len] = '\0';
    }
    if (len > start && results_context_add_extra(c, list) != 0)
        return -1;
    if (x->instr && results_context_add_extra(c, "instr") != 0)
        return -1;
    return 0;
}

/* Options of instance IN: the command line wins over the definition. */
static void runner_options(const flags *f, const runner_extras *x, const perfcmp_bench_def *d,
                           sample_opts *o, double *timeout)
{
    memset(o, 0, sizeof *o);
    o->threads = d->threads > 1 ? d->threads : 1;
    o->latency = d->latency ? 1 : 0;
    if (x) {
        o->heap = x->heap;
        o->counters = x->counters;
        o->hw_instructions = x->instr;
    }
    o->samples = f->samples ? f->samples : d->samples > 0 ? d->samples : SAMPLE_DEFAULT_SAMPLES;
    o->min_time = f->min_time > 0  ? f->min_time
                  : d->min_time > 0 ? d->min_time
                                    : SAMPLE_DEFAULT_MIN_TIME;
    o->iterations = f->iterations       ? (uint64_t)f->iterations
                    : d->iterations > 0 ? (uint64_t)d->iterations
                                        : 0;
    *timeout = f->timeout > 0  ? f->timeout
               : d->timeout > 0 ? d->timeout
                                : ISOLATE_DEFAULT_TIMEOUT;
}

/*
 * Measures process P (0-based) of NPROC of instance IN into M.  The
 * samples and the time budget are split between the processes (the
 * first ones take one more sample when they do not divide evenly); the
 * first process calibrates the iterations and runs the heap pass, the
 * others take ITERATIONS (the first's) and time only.  Returns 0, or -1
 * on ENOMEM.
 */
static int runner_measure(const flags *f, const runner_extras *x, const registry_instance *in,
                          output *out, size_t index, int p, int nproc, uint64_t iterations,
                          measure *m)
{
    sample_opts o;
    double timeout;
    runner_tick tick = { out, index, in->name };

    if (in->error)
        return measure_set_status(m, MEASURE_FAILED, in->error);
    runner_options(f, x, in->def, &o, &timeout);
    if (nproc > 1) {
        int total = o.samples;
        o.samples = total / nproc + (p < total % nproc ? 1 : 0);
        o.min_time = o.min_time * (double)o.samples / (double)total;
        if (p > 0) {
            o.heap = 0;
            o.iterations = iterations;
        }
    }
    output_progress(out, index, in->name, 0);
    if (f->no_fork)
        return sample_run(in->def->fn, in->args, in->nargs, &o, m);
    return isolate_run(in->def->fn, in->args, in->nargs, &o, timeout, runner_on_tick, &tick, m);
}

/* The processes instance IN's samples are split between: --processes, 6
 * by default, 1 with --no-fork, never more than its samples. */
static int runner_process_count(const flags *f, const registry_instance *in)
{
    sample_opts o;
    double timeout;
    int k = f->processes ? f->processes : RUNNER_DEFAULT_PROCESSES;

    if (f->no_fork)
        return 1;
    runner_options(f, NULL, in->def, &o, &timeout);
    return k < o.samples ? k : o.samples;
}

/*
 * Adds the samples of a later process M of bench B to it: each metric that
 * B has and that is taken per sample becomes one more process of that
 * metric (results_metric_append_process); peak_rss (one value a process)
 * and what only the first process measured stay the first process's.
 * A process that did not finish makes B's status and error its own.
 * Returns 0, or -1 on ENOMEM.
 */
static int runner_merge_process(results_bench *b, const measure *m)
{
    if (m->status != MEASURE_OK) {
        b->status = (results_status)m->status;
        return results_set_str(&b->error, m->error && *m->error ? m->error : "unknown error");
    }
    for (size_t i = 0; i < m->nmetrics; i++) {
        const measure_metric *mm = &m->metrics[i];
        results_metric *rm = results_find_metric(b, mm->name);
        if (!rm || mm->n == 0 || strcmp(mm->name, "peak_rss") == 0)
            continue;
        if (results_metric_append_process(rm, mm->values, mm->n) != 0)
            return -1;
    }
    return 0;
}

/* --- --instr ------------------------------------------------------------ */

/* Removes every file in DIR, then DIR. */
static void runner_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            unlinkat(dirfd(d), e->d_name, 0);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* The last line of valgrind's log LOG that says something (preferring
 * valgrind's own "==PID== ..." lines), into BUF[LEN]; "" when none. */
static void runner_log_reason(const char *log, char *buf, size_t len)
{
    char line[512], last[512] = "", last_vg[512] = "";
    FILE *fp = fopen(log, "r");

    buf[0] = '\0';
    if (!fp)
        return;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *p = line;
        int vg = 0;
        if (p[0] == '=' && p[1] == '=') {
            const char *q = strstr(p + 2, "==");
            if (q) {
                p = q + 2;
                vg = 1;
            }
        }
        while (*p == ' ')
            p++;
        if (!*p)
            continue;
        snprintf(vg ? last_vg : last, sizeof last, "%s", p);
    }
    fclose(fp);
    /* the program's own last words (an "error: ..." line) first */
    snprintf(buf, len, "%s", last[0] ? last : last_vg);
}

static double runner_median_of(const measure *m, const char *name)
{
    const measure_metric *mm = measure_find(m, name);
    return mm && mm->n ? stats_median(mm->values, mm->n) : 0;
}

/*
 * Counts the instructions per iteration of IN under callgrind (this
 * program run again as "valgrind ... SELF --instr-child=NAME") and adds
 * metric "instructions" to M (measured, ok).  When it cannot, M is left
 * as it was and the reason goes to WHY[WHYLEN].  Returns 0, or -1 on
 * ENOMEM.
 */
static int runner_instr(const flags *f, const runner_extras *x, const registry_instance *in,
                        measure *m, char *why, size_t whylen)
{
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX], out[PATH_MAX + 16], log[PATH_MAX + 16], part[PATH_MAX + 32];
    char arg_name[1100], arg_n[64], reason[400];
    uint64_t n = f->instr_iterations;
    uint64_t ir[SAMPLE_CALLGRIND_PARTS];
    int status = 0, rc = 0;

    why[0] = '\0';
    if (n == 0)
        n = m->iterations < RUNNER_INSTR_ITERATIONS ? m->iterations : RUNNER_INSTR_ITERATIONS;
    if (n == 0)
        n = 1;
    snprintf(dir, sizeof dir, "%s/perfcmp-instr.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        snprintf(why, whylen, "cannot make a temporary directory in '%s': %s",
                 tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return 0;
    }
    snprintf(out, sizeof out, "%s/cg.out", dir);
    snprintf(log, sizeof log, "%s/cg.log", dir);
    snprintf(arg_name, sizeof arg_name, "--instr-child=%s", in->name);
    snprintf(arg_n, sizeof arg_n, "--instr-iterations=%llu", (unsigned long long)n);
    char *argv[] = { (char *)x->self, arg_name, arg_n, NULL };

    /* callgrind runs some 50 times slower than native: the warm-up, N and
     * 2N iterations of the body */
    double iter_s = runner_median_of(m, "wall_time") * 1e-9 * (double)(in->def->threads > 1 ? in->def->threads : 1);
    double timeout = 60.0 + 100.0 * 4.0 * (double)n * iter_s;
    if (instr_callgrind_run_timed(argv, out, log, timeout, &status) != 0) {
        if (errno == ETIMEDOUT)
            snprintf(why, whylen, "timeout after %.0f s under callgrind", timeout);
        else
            snprintf(why, whylen, "cannot run valgrind: %s", strerror(errno));
        goto out;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        runner_log_reason(log, reason, sizeof reason);
        if (WIFSIGNALED(status))
            snprintf(why, whylen, "valgrind was killed by signal %d%s%s", WTERMSIG(status),
                     reason[0] ? ": " : "", reason);
        else
            snprintf(why, whylen, "valgrind exited with status %d%s%s", WEXITSTATUS(status),
                     reason[0] ? ": " : "", reason);
        goto out;
    }
    for (int i = 0; i < SAMPLE_CALLGRIND_PARTS; i++) {
        snprintf(part, sizeof part, "%s.%d", out, i + 1);
        if (instr_callgrind_parse_totals(part, &ir[i]) != 0) {
            snprintf(why, whylen, "cannot read callgrind's output '%.300s': %s", part,
                     errno == EINVAL ? "no instruction totals" : strerror(errno));
            goto out;
        }
    }
    measure_metric *mm = measure_metric_get(m, "instructions", "count", 0);
    if (!mm || measure_push(mm, sample_callgrind_per_iteration(ir, n)) != 0)
        rc = -1;
out:
    runner_remove_dir(dir);
    return rc;
}

/*
 * --instr-child=NAME: this process runs under callgrind for runner_instr.
 * Runs instance NAME (the exact name) as sample_callgrind says and prints
 * nothing but errors.  Returns the exit status: 0, 1 when the benchmark
 * failed, 2 when there is no such instance or memory ran out.
 */
static int runner_instr_child(const flags *f, const registry_list *list)
{
    const registry_instance *in = NULL;
    sample_opts o;
    double timeout;
    char msg[600] = "";

    for (size_t i = 0; i < list->n && !in; i++)
        if (strcmp(list->v[i].name, f->instr_child) == 0)
            in = &list->v[i];
    if (!in) {
        fprintf(stderr, "error: no benchmark named '%s'\n", f->instr_child);
        return RUNNER_EXIT_USAGE;
    }
    if (in->error) {
        fprintf(stderr, "error: %s\n", in->error);
        return RUNNER_EXIT_FAILED;
    }
    runner_options(f, NULL, in->def, &o, &timeout);
    int rc = sample_callgrind(in->def->fn, in->args, in->nargs, &o,
                              f->instr_iterations ? f->instr_iterations : 1, msg, sizeof msg);
    if (rc < 0) {
        fprintf(stderr, "error: out of memory\n");
        return RUNNER_EXIT_USAGE;
    }
    if (rc > 0) {
        fprintf(stderr, "error: %s\n", msg);
        return RUNNER_EXIT_FAILED;
    }
    return RUNNER_EXIT_OK;
}

/* Decides what the run measures besides time, and says (unless QUIET)
 * what it cannot measure of what was asked. */
static void runner_decide_extras(const flags *f, runner_extras *x, int quiet)
{
    memset(x, 0, sizeof *x);
    x->heap = !f->no_heap && heap_supported() == NULL;
    if (f->counters) {
        instr_counters c;
        instr_counters_open(&c, f->counters);
        x->counters = c.open;
        for (int e = 0; e < INSTR_NEVENTS; e++)
            if ((c.requested & INSTR_MASK(e)) && !(c.open & INSTR_MASK(e)) && !quiet)
                fprintf(stderr, "warning: counter '%s' not measured: %s\n",
                        instr_event_name((instr_event)e), instr_strerror(c.err[e]));
        instr_counters_release(&c);
    }
    if (f->instr) {
        const char *why = instr_callgrind_unavailable();
        ssize_t len = why ? -1 : readlink("/proc/self/exe", x->self, sizeof x->self - 1);
        if (why == NULL && len <= 0)
            why = "cannot find the path of this program (/proc/self/exe)";
        if (why) {
            if (!quiet)
                fprintf(stderr, "warning: --instr: instructions not measured: %s\n", why);
        } else {
            x->self[len] = '\0';
            x->instr = 1;
        }
    }
}

/*
 * RUN as JSON with the complexity fits FITS[NFITS] as a top-level
 * "complexity" array (when there are any).  Returns a malloc'd string, or
 * NULL on ENOMEM.
 */
static char *runner_json(const results_run *run, const complexity_fit *fits, size_t nfits)
{
    char *json = results_to_json(run), *arr = NULL, *out = NULL;
    cJSON *a = NULL;

    if (!json || nfits == 0)
        return json;
    if (!(a = complexity_fits_json(fits, nfits)))
        goto done;
    if (!(arr = cJSON_Print(a)))
        goto done;
    /* splice it in before the closing brace, indented one level more */
    char *close = strrchr(json, '}');
    size_t head = close ? (size_t)(close - json) : 0, extra = 0;
    while (head > 0 && (json[head - 1] == '\n' || json[head - 1] == ' ' || json[head - 1] == '\t'))
        head--;
    for (const char *p = arr; *p; p++)
        extra += *p == '\n';
    size_t cap = head + strlen(arr) + extra + 64;
    if (!close || !(out = malloc(cap)))
        goto done;
    size_t k = (size_t)snprintf(out, cap, "%.*s,\n\t\"complexity\": ", (int)head, json);
    for (const char *p = arr; *p && k + 3 < cap; p++) {
        out[k++] = *p;
        if (*p == '\n')
            out[k++] = '\t';
    }
    snprintf(out + k, cap - k, "\n}\n");
done:
    cJSON_Delete(a);
    free(arr);
    free(json);
    return out;
}

/* Writes TEXT to PATH atomically (a temporary file, then a rename).
 * Returns 0, or -1 with errno. */
static int runner_write_file(const char *text, const char *path)
{
    static unsigned counter;
    size_t tlen = strlen(path) + 64, len = strlen(text);
    char *tmp = malloc(tlen);
    int fd = -1, rc = -1, saved = 0;

    if (!tmp)
        return -1;
    if (fdio_in_place(path)) {   /* --out=/dev/null, a FIFO, a symlink */
        rc = fdio_write_in_place(path, text, len);
        goto out;
    }
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, tlen, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0)
        goto out;
    if (fdio_write_all(fd, text, len) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = saved;
out:
    free(tmp);
    return rc;
}

PERFCMP_API int perfcmp_main_ex(int argc, char **argv, const char *compiler,
                                const char *cflags)
{
    flags f;
    registry_list list = { 0 };
    results_run run;
    output out;
    measure m;
    runner_extras extras;
    complexity_fit *fits = NULL;
    size_t nfits = 0;
    char *json = NULL;
    char err[1024];
    size_t *sel = NULL, nsel = 0, failed = 0;
    int *nproc = NULL;
    char *instr_why = NULL;      /* nsel reasons, RUNNER_WHY bytes each */
    int rc = RUNNER_EXIT_USAGE, name_width = 0;
    const char *prog = runner_basename(argc > 0 ? argv[0] : NULL);

    results_run_init(&run);
    measure_init(&m);
    int r = flags_parse(&f, argc, argv, err, sizeof err);
    if (r != 0) {
        fprintf(stderr, "error: %s\n", r < 0 ? "out of memory" : err);
        goto out;
    }
    if (f.help) {
        flags_usage(stdout, prog);
        rc = RUNNER_EXIT_OK;
        goto out;
    }
    if (f.version) {
        printf("%s (libperfcmp %s)\n", prog, perfcmp_version());
        rc = RUNNER_EXIT_OK;
        goto out;
    }
    r = registry_expand(&list, err, sizeof err);
    if (r != 0) {
        fprintf(stderr, "error: %s\n", err);
        goto out;
    }
    if (f.instr_child) {
        rc = runner_instr_child(&f, &list);
        goto out;
    }
    sel = malloc((list.n ? list.n : 1) * sizeof *sel);
    if (!sel) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    for (size_t i = 0; i < list.n; i++) {
        const registry_instance *in = &list.v[i];
        if (!flags_select(&f, in->name, in->tags, in->ntags))
            continue;
        sel[nsel++] = i;
        if ((int)strlen(in->name) > name_width)
            name_width = (int)strlen(in->name);
    }
    if (f.list) {
        for (size_t i = 0; i < nsel; i++)
            printf("%s\n", list.v[sel[i]].name);
        rc = fflush(stdout) == 0 ? RUNNER_EXIT_OK : RUNNER_EXIT_USAGE;
        goto out;
    }
    if (nsel == 0) {
        fprintf(stderr, "error: %s\n",
                list.n ? "no benchmark matches --filter and --tags" : "no benchmarks defined");
        goto out;
    }
    if (f.out && runner_check_writable(f.out) != 0) {
        fprintf(stderr, "error: cannot write '%s': %s\n", f.out, strerror(errno));
        goto out;
    }
    if (context_fill(&run.context, argc, argv, compiler, cflags) != 0) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    run.version = PERFCMP_RESULTS_VERSION;
    runner_decide_extras(&f, &extras, f.quiet);
    if (runner_record_extras(&run.context, &extras) != 0) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    sample_loop_cost_ns(); /* once, before forking: children inherit it */

    output_init(&out, f.quiet, name_width, nsel);
    uint64_t start = clocks_wall_ns();
    /* Round-robin: process 0 of every benchmark, then process 1 of every
     * benchmark that is still going, and so on, so that each benchmark's
     * processes are spread across the run (and its slow and fast phases).
     * Bench i of RUN is selected instance i. */
    if (!(nproc = calloc(nsel, sizeof *nproc)) || !(instr_why = calloc(nsel, RUNNER_WHY))) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    int rounds = 1;
    for (size_t i = 0; i < nsel; i++) {
        nproc[i] = runner_process_count(&f, &list.v[sel[i]]);
        if (nproc[i] > rounds)
            rounds = nproc[i];
    }
    for (int p = 0; p < rounds; p++) {
        for (size_t i = 0; i < nsel; i++) {
            const registry_instance *in = &list.v[sel[i]];
            char why[RUNNER_WHY] = "";
            results_bench *b = p > 0 ? &run.benches[i] : NULL;
            if (p >= nproc[i] || (b && b->status != RESULTS_OK))
                continue;
            measure_release(&m);
            if (runner_measure(&f, &extras, in, &out, i + 1, p, nproc[i],
                               b ? b->iterations : 0, &m) != 0 ||
                (p == 0 && extras.instr && m.status == MEASURE_OK &&
                 runner_instr(&f, &extras, in, &m, why, sizeof why) != 0) ||
                (p == 0 ? !(b = runner_add_result(&run, in, &m))
                        : runner_merge_process(b, &m) != 0)) {
                output_clear_progress(&out);
                fprintf(stderr, "error: out of memory\n");
                goto out;
            }
            if (p == 0 && why[0])
                snprintf(instr_why + i * RUNNER_WHY, RUNNER_WHY, "%s", why);
            if (p == nproc[i] - 1 || b->status != RESULTS_OK) {
                if (b->status != RESULTS_OK)
                    failed++;
                sample_opts so;
                double to;
                runner_options(&f, &extras, in->def, &so, &to);
                out.target_ns = sample_target_ns(&so); /* for "samples too short" */
                output_row(&out, b);
                if (instr_why[i * RUNNER_WHY])
                    output_note(&out, "instructions not measured: %s", instr_why + i * RUNNER_WHY);
            }
        }
    }
    output_clear_progress(&out);
    if (results_finish(&run) != 0 ||
        complexity_fit_run(&run, "wall_time", &fits, &nfits) != 0) {
        fprintf(stderr, "error: out of memory\n");
        goto out;
    }
    for (size_t i = 0; i < nfits; i++) {
        char line[1200];
        complexity_describe(&fits[i], line, sizeof line);
        output_line(&out, "%s", line);
    }
    if (!f.no_heap && heap_supported())
        output_line(&out, "heap metrics not measured: %s", heap_supported());
    output_summary(&out, &run, (double)(clocks_wall_ns() - start) * 1e-9);
    if (f.out && (!(json = runner_json(&run, fits, nfits)) ||
                  runner_write_file(json, f.out) != 0)) {
        fprintf(stderr, "error: cannot write '%s': %s\n", f.out,
                json ? strerror(errno) : "out of memory");
        goto out;
    }
    rc = failed ? RUNNER_EXIT_FAILED : RUNNER_EXIT_OK;

out:
    free(json);
    complexity_fits_free(fits, nfits);
    free(nproc);
    free(instr_why);
    free(sel);
    measure_release(&m);
    results_run_release(&run);
    registry_list_release(&list);
    flags_release(&f);
    return rc;
}
