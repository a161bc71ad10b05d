/*
 * sample.c - calibration and sampling of one instance.
 *
 * 1. Calibration (sample_calib_step): run the body with n = 1, then with
 *    the n that the last run's time per iteration predicts for the target
 *    (the time budget divided by the number of samples, and at least 1000
 *    times the clock's resolution), growing at most 100x a step, until a
 *    run made with a predicted n confirms it: its own time per iteration
 *    agrees with the prediction's within 25%.  So the first run, which is
 *    cold (page faults, empty caches, untrained branch predictors) and can
 *    take 10-50 times a warm one, never decides n alone, as it did when n
 *    was scaled from the first run that lasted a tenth of the target.  A
 *    run lasts from the loop's start to its end including paused time,
 *    so that a body that pauses a lot still takes about the budget.
 * 2. Warm-up: the confirming run had about n iterations and lasted about
 *    a sample, so it is the warm-up; otherwise (fixed iterations, or no
 *    confirmation after SAMPLE_CALIB_PREDICTIONS tries) one run of n
 *    iterations, discarded.
 * 3. Overhead: SAMPLE_OVERHEAD_RUNS runs of an empty measured loop of n
 *    iterations (fewer when that would take longer than a sample); their
 *    median per-iteration wall and CPU time is subtracted from every
 *    sample, clamped at 0.
 * 4. Samples: the body runs once per sample with n iterations.  Perf
 *    counters (--counters) are read around the loop of every sample,
 *    outside the clock's window; the empty loop's counts are subtracted.
 * 5. Heap pass (--heap, the default): one more run of n iterations with
 *    heap accounting, which doubles the cost of an allocation and so is
 *    never done while timing.
 *
 * Threads (.threads = N): every run starts N-1 threads besides this one,
 * each running the body with its own state and the same n; the state
 * group's barriers start their loops together.  Perf counters are opened
 * in this thread before any worker exists, so the workers inherit them.
 */
#include "sample.h"
#include "clocks.h"
#include "state.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* Kept out of line and called through a pointer, as a user's body is. */
__attribute__((noinline)) static void sample_empty_body(perfcmp_state *state)
{
    while (perfcmp_loop(state))
        perfcmp_clobber();
}

static void (*volatile sample_empty_fn)(perfcmp_state *) = sample_empty_body;

static int sample_cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static double sample_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, sample_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Runs FN once with N iterations in one thread, time only; returns 0 or
 * -1 when the body failed. */
static int sample_once(perfcmp_fn fn, perfcmp_state *s, state_priv *p, const long long *args,
                       size_t nargs, uint64_t n)
{
    state_begin(s, p, args, nargs, n);
    fn(s);
    return state_end(s, p);
}

double sample_loop_cost_ns(void)
{
    static double cost = -1;
    enum { RUNS = 5, N = 100000 };

    if (cost < 0) {
        perfcmp_state s;
        state_priv p;
        double v[RUNS];
        memset(&p, 0, sizeof p);
        for (int i = 0; i < RUNS; i++) {
            sample_once(sample_empty_fn, &s, &p, NULL, 0, N);
            v[i] = (double)p.wall_ns / N;
        }
        cost = sample_median(v, RUNS);
        if (cost <= 0)
            cost = 0.01;
    }
    return cost;
}

double sample_target_ns(const sample_opts *o)
{
    double t = o->min_time * 1e9 / (o->samples > 0 ? o->samples : 1);
    double floor_ns = 1000.0 * (double)clocks_resolution_ns();
    return t > floor_ns ? t : floor_ns;
}

/* --- running the body in one or more threads ---------------------------- */

typedef struct sample_ctx sample_ctx;

typedef struct sample_thread {
    sample_ctx *ctx;
    int index;
} sample_thread;

struct sample_ctx {
    const long long *args;
    size_t nargs;
    int nthreads;                /* of the body */
    int latency;
    perfcmp_state *states;       /* nthreads */
    state_priv *privs;           /* nthreads */
    sample_thread *threads;      /* nthreads */
    pthread_t *tids;             /* nthreads */
    histogram **hists;           /* nthreads, or NULL outside latency mode */
    instr_counters counters;
    int group_ready;
    state_group group;
    /* the run in progress */
    perfcmp_fn fn;
    /* combined results of the last run */
    state_priv res;
    instr_values values;
};

static void sample_body(sample_ctx *c, int i)
{
    c->fn(&c->states[i]);
    state_end(&c->states[i], &c->privs[i]);
}

static void *sample_thread_main(void *arg)
{
    sample_thread *t = arg;
    sample_body(t->ctx, t->index);
    return NULL;
}

/*
 * Runs FN with N iterations in NTHREADS threads (1 .. c->nthreads),
 * measuring EXTRA (STATE_* bits) around the loop; RECORD: operation
 * latencies go to the histograms.  Combines the threads' results into
 * c->res and the counters' values into c->values.  Returns 0, or -1 when
 * the body failed (c->res.message says why).
 */
static int sample_exec(sample_ctx *c, perfcmp_fn fn, int nthreads, uint64_t n, unsigned extra,
                       int record)
{
    int created = 0;

    c->fn = fn;
    c->group.nthreads = nthreads;
    state_group_reset(&c->group, extra);
    for (int i = 0; i < nthreads; i++) {
        state_priv *p = &c->privs[i];
        p->group = &c->group;
        p->thread_index = i;
        p->latency = c->latency;
        p->hist = record && c->hists ? c->hists[i] : NULL;
        if (p->hist)
            histogram_reset(p->hist);
        state_begin(&c->states[i], p, c->args, c->nargs, n);
    }
    for (int i = 1; i < nthreads; i++) {
        int e = pthread_create(&c->tids[i], NULL, sample_thread_main, &c->threads[i]);
        if (e != 0) {
            /* the threads not made give up the barriers, failed */
            for (int k = i; k < nthreads; k++) {
                state_failf(&c->privs[k], "cannot create thread %d of %d: %s", k + 1, nthreads,
                            strerror(e));
                state_end(&c->states[k], &c->privs[k]);
            }
            break;
        }
        created = i;
    }
    sample_body(c, 0);
    for (int i = 1; i <= created; i++)
        pthread_join(c->tids[i], NULL);
    if (extra & STATE_COUNTERS) {
        if (instr_counters_stop(&c->counters, &c->values) != 0)
            memset(&c->values, 0, sizeof c->values);
    } else {
        memset(&c->values, 0, sizeof c->values);
    }

    /* thread 0's figures, then the others' */
    c->res = c->privs[0];
    for (int i = 1; i < nthreads; i++) {
        const state_priv *p = &c->privs[i];
        state_priv *r = &c->res;
        if (p->wall_ns > r->wall_ns)
            r->wall_ns = p->wall_ns;
        r->cpu_ns += p->cpu_ns;   /* each thread's own CPU time */
        if (p->span_ns > r->span_ns)
            r->span_ns = p->span_ns;
        r->bytes += p->bytes;
        r->items += p->items;
        r->ops_ok += p->ops_ok;
        r->ops_failed += p->ops_failed;
        r->uses_ops |= p->uses_ops;
        if (p->failed && !r->failed) {
            r->failed = 1;
            memcpy(r->message, p->message, sizeof r->message);
        }
        if (record && c->hists)
            histogram_merge(c->hists[0], c->hists[i]);
    }
    return c->res.failed ? -1 : 0;
}

static void sample_ctx_release(sample_ctx *c)
{
    if (c->hists)
        for (int i = 0; i < c->nthreads; i++)
            histogram_free(c->hists[i]);
    free(c->hists);
    instr_counters_release(&c->counters);
    if (c->group_ready)
        state_group_destroy(&c->group);
    free(c->states);
    free(c->privs);
    free(c->threads);
    free(c->tids);
    memset(c, 0, sizeof *c);
}

/* Sets up C for O.  Returns 0, or -1 on ENOMEM (or when the group's mutex
 * cannot be made); release C in both cases. */
static int sample_ctx_init(sample_ctx *c, const long long *args, size_t nargs,
                           const sample_opts *o)
{
    int n = o->threads > 1 ? o->threads : 1;

    memset(c, 0, sizeof *c);
    instr_counters_init(&c->counters);
    c->args = args;
    c->nargs = nargs;
    c->nthreads = n;
    c->latency = o->latency ? 1 : 0;
    c->states = calloc((size_t)n, sizeof *c->states);
    c->privs = calloc((size_t)n, sizeof *c->privs);
    c->threads = calloc((size_t)n, sizeof *c->threads);
    c->tids = calloc((size_t)n, sizeof *c->tids);
    if (!c->states || !c->privs || !c->threads || !c->tids)
        return -1;
    for (int i = 0; i < n; i++) {
        c->threads[i].ctx = c;
        c->threads[i].index = i;
    }
    if (state_group_init(&c->group, n, &c->counters) != 0)
        return -1;
    c->group_ready = 1;
    return 0;
}

/* One histogram per thread, made before any timed run. 0 or -1 (ENOMEM). */
static int sample_ctx_histograms(sample_ctx *c)
{
    if (c->hists)
        return 0;
    c->hists = calloc((size_t)c->nthreads, sizeof *c->hists);
    if (!c->hists)
        return -1;
    for (int i = 0; i < c->nthreads; i++)
        if (!(c->hists[i] = histogram_new()))
            return -1;
    return 0;
}

void sample_calib_init(sample_calib *c, double target)
{
    memset(c, 0, sizeof *c);
    c->target = target > 0 ? target : 1;
    c->next = 1;
}

/* The iterations that would last C's target at EST ns per iteration:
 * at least 1, at most SAMPLE_MAX_ITERATIONS and SAMPLE_CALIB_GROWTH times
 * N; *CAPPED is set when the growth limit cut it. */
static uint64_t sample_calib_scale(const sample_calib *c, uint64_t n, double est, int *capped)
{
    double want = est > 0 ? ceil(c->target / est) : HUGE_VAL;
    double most = (double)n * SAMPLE_CALIB_GROWTH;

    *capped = want > most;
    if (want > most)
        want = most;
    if (want > (double)SAMPLE_MAX_ITERATIONS)
        want = (double)SAMPLE_MAX_ITERATIONS;
    return want >= 1 ? (uint64_t)want : 1;
}

static int sample_calib_done(sample_calib *c, uint64_t ran, uint64_t n)
{
    c->n = n;
    /* the last run had n iterations give or take a factor 2, and so lasted
     * about a sample (or n is 1 and it lasted one iteration) */
    c->warm = n <= 2 * ran && ran <= 2 * n;
    return 1;
}

int sample_calib_step(sample_calib *c, double t)
{
    uint64_t ran = c->next;
    double est = (t > 0 ? t : 0) / (double)ran;
    int capped;
    uint64_t want = sample_calib_scale(c, ran, est, &capped);

    c->runs++;
    if (c->predicted) {
        /* RAN was the last run's prediction: does this run confirm it? */
        double hi = est > c->last ? est : c->last;
        double lo = est > c->last ? c->last : est;
        c->predictions++;
        /* agreed: the faster of the two, as noise (an interrupt, another
         * process) only ever makes a run slower */
        if (lo > 0 && hi <= lo * SAMPLE_CALIB_AGREE)
            return sample_calib_done(c, ran, sample_calib_scale(c, ran, lo, &capped));
        if (want == ran || c->predictions >= SAMPLE_CALIB_PREDICTIONS)
            return sample_calib_done(c, ran, want);
    }
    if (ran >= SAMPLE_MAX_ITERATIONS && want >= ran)
        return sample_calib_done(c, ran, SAMPLE_MAX_ITERATIONS);
    c->last = est;
    c->next = want;
    c->predicted = !capped;
    return 0;
}

/* Chooses the iterations per sample into *N; *WARM: the last run of the
 * body counts as the warm-up.  Returns 0, or -1 when the body failed. */
static int sample_calibrate(sample_ctx *c, perfcmp_fn fn, double target, uint64_t *n, int *warm)
{
    sample_calib k;

    sample_calib_init(&k, target);
    for (;;) {
        if (sample_exec(c, fn, c->nthreads, k.next, 0, 0) != 0)
            return -1;
        /* the loop's real duration: more than wall_ns when it pauses */
        const state_priv *p = &c->res;
        double t = (double)(p->span_ns > p->wall_ns ? p->span_ns : p->wall_ns);
        if (sample_calib_step(&k, t))
            break;
    }
    *n = k.n;
    *warm = k.warm;
    return 0;
}

/* What the empty loop costs per iteration. */
typedef struct sample_overhead_cost {
    double wall, cpu;
    double counts[INSTR_NEVENTS];   /* per open counter */
} sample_overhead_cost;

/* Median per-iteration cost of the empty loop at N (in one thread, in
 * the same latency mode, with the same counters as the samples). */
static void sample_overhead(sample_ctx *c, uint64_t n, double target, unsigned extra,
                            sample_overhead_cost *out)
{
    double w[SAMPLE_OVERHEAD_RUNS], cp[SAMPLE_OVERHEAD_RUNS];
    double k[INSTR_NEVENTS][SAMPLE_OVERHEAD_RUNS];
    double cost = sample_loop_cost_ns();
    double most = target / cost;

    memset(out, 0, sizeof *out);
    if ((double)n > most)
        n = most >= 1 ? (uint64_t)most : 1;
    for (int i = 0; i < SAMPLE_OVERHEAD_RUNS; i++) {
        sample_exec(c, sample_empty_fn, 1, n, extra, 0);
        w[i] = (double)c->res.wall_ns / (double)n;
        cp[i] = (double)c->res.cpu_ns / (double)n;
        for (int e = 0; e < INSTR_NEVENTS; e++)
            k[e][i] = (c->values.valid & INSTR_MASK(e)) ? (double)c->values.value[e] / (double)n
                                                        : 0;
    }
    out->wall = sample_median(w, SAMPLE_OVERHEAD_RUNS);
    out->cpu = sample_median(cp, SAMPLE_OVERHEAD_RUNS);
    for (int e = 0; e < INSTR_NEVENTS; e++)
        out->counts[e] = sample_median(k[e], SAMPLE_OVERHEAD_RUNS);
}

/* Appends V to metric NAME (added with UNIT and DIRECTION when absent).
 * Returns 0 or -1 on ENOMEM. */
static int sample_push(measure *m, const char *name, const char *unit, int direction, double v)
{
    measure_metric *mm = measure_metric_get(m, name, unit, direction);
    return mm && measure_push(mm, v) == 0 ? 0 : -1;
}

/* Records the sample just taken. Returns 0 or -1 on ENOMEM. */
static int sample_record(measure *m, const state_priv *p, uint64_t n, double over_wall,
                         double over_cpu)
{
    double raw = (double)p->wall_ns / (double)n;
    double wall = raw - over_wall;
    double cpu = (double)p->cpu_ns / (double)n - over_cpu;

    if (wall < 0)
        wall = 0;
    if (cpu < 0)
        cpu = 0;
    if (sample_push(m, "wall_time", "ns", 0, wall) || sample_push(m, "cpu_time", "ns", 0, cpu))
        return -1;
    /* throughput from the corrected time, or the raw one if that is 0 */
    double secs = (wall > 0 ? wall : raw) * 1e-9;
    if (p->bytes && sample_push(m, "bytes_per_second", "B/s", 1,
                                secs > 0 ? (double)p->bytes / secs : 0))
        return -1;
    if (p->items && sample_push(m, "items_per_second", "items/s", 1,
                                secs > 0 ? (double)p->items / secs : 0))
        return -1;
    for (size_t i = 0; i < p->ncounters; i++) {
        const state_counter *c = &p->counters[i];
        if (sample_push(m, c->name, c->unit, c->direction, c->value))
            return -1;
    }
    return 0;
}

/* The perf counters of the sample just taken, per iteration. */
static int sample_record_counters(measure *m, const sample_ctx *c, uint64_t n,
                                  const sample_overhead_cost *over, int hw_instructions)
{
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        if (!(c->values.valid & INSTR_MASK(e)))
            continue;
        const char *name = instr_event_name((instr_event)e);
        if (e == INSTR_INSTRUCTIONS && hw_instructions)
            name = "hw_instructions";
        double v = (double)c->values.value[e] / (double)n - over->counts[e];
        if (sample_push(m, name, instr_event_unit((instr_event)e), 0, v > 0 ? v : 0))
            return -1;
    }
    return 0;
}

/* The operations of the sample just taken (latency mode). */
static int sample_record_latency(measure *m, const sample_ctx *c)
{
    const state_priv *p = &c->res;
    const histogram *h = c->hists ? c->hists[0] : NULL;
    uint64_t total = p->ops_ok + p->ops_failed;
    static const struct {
        const char *name;
        double pct;
    } pcts[] = {
        { "latency_p50", 50 }, { "latency_p90", 90 }, { "latency_p99", 99 },
        { "latency_p999", 99.9 }, { "latency_max", 100 },
    };

    if (!h || total == 0)
        return 0;
    if (histogram_count(h) > 0)
        for (size_t i = 0; i < sizeof pcts / sizeof pcts[0]; i++)
            if (sample_push(m, pcts[i].name, "ns", 0,
                            (double)histogram_percentile(h, pcts[i].pct)))
                return -1;
    double secs = (double)p->wall_ns * 1e-9;
    if (sample_push(m, "success_rate", "fraction", 1, (double)p->ops_ok / (double)total) ||
        sample_push(m, "ops_per_second", "ops/s", 1, secs > 0 ? (double)p->ops_ok / secs : 0) ||
        sample_push(m, "ops_total", "count", 1, (double)total) ||
        sample_push(m, "duration", "ns", 0, (double)p->wall_ns))
        return -1;
    return 0;
}

/* The heap pass, run after the samples. */
static int sample_heap_pass(measure *m, sample_ctx *c, perfcmp_fn fn, uint64_t n)
{
    if (heap_supported() != NULL)
        return 0;
    if (sample_exec(c, fn, c->nthreads, n, STATE_HEAP, 0) != 0)
        return 1;
    if (c->group.heap_rc != HEAP_OK)
        return 0;
    const heap_stats *h = &c->group.heap;
    if (sample_push(m, "allocs", "count", 0, (double)h->allocs / (double)n) ||
        sample_push(m, "alloc_bytes", "bytes", 0, (double)h->alloc_bytes / (double)n) ||
        sample_push(m, "peak_heap", "bytes", 0, (double)h->peak_heap) ||
        sample_push(m, "leaked_bytes", "bytes", 0, (double)h->leaked_bytes / (double)n))
        return -1;
    return 0;
}

static int sample_peak_rss(measure *m)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return sample_push(m, "peak_rss", "bytes", 0, (double)ru.ru_maxrss * 1024.0);
}

/* Drops the metrics of a failed instance and sets its message. */
static int sample_failed(measure *m, const state_priv *p)
{
    measure tmp;
    measure_init(&tmp);
    tmp.iterations = m->iterations;
    measure_release(m);
    *m = tmp;
    return measure_set_status(m, MEASURE_FAILED, p->message);
}

static int sample_fail_msg(measure *m, const char *msg)
{
    state_priv p;
    memset(&p, 0, sizeof p);
    state_failf(&p, "%s", msg);
    return sample_failed(m, &p);
}

int sample_run(perfcmp_fn fn, const long long *args, size_t nargs, const sample_opts *o,
               measure *m)
{
    sample_ctx c;
    sample_overhead_cost over;
    double target = sample_target_ns(o);
    uint64_t n = o->iterations;
    unsigned extra = 0;
    int warm = 0;
    int rc;

    if (!fn)
        return sample_fail_msg(m, "no benchmark function");
    if (sample_ctx_init(&c, args, nargs, o) != 0) {
        rc = -1;
        goto out;
    }
    /* before any worker thread exists, so that they inherit them */
    if (o->counters && instr_counters_open(&c.counters, o->counters) > 0)
        extra = STATE_COUNTERS;
    if (c.latency && sample_ctx_histograms(&c) != 0) {
        rc = -1;
        goto out;
    }
    if (n == 0 && sample_calibrate(&c, fn, target, &n, &warm) != 0)
        goto failed;
    m->iterations = n;
    if (!warm && sample_exec(&c, fn, c.nthreads, n, 0, 0) != 0) /* warm-up */
        goto failed;
    /* a body that calls perfcmp_op_* has shown it by now */
    if (c.res.uses_ops && sample_ctx_histograms(&c) != 0) {
        rc = -1;
        goto out;
    }
    sample_overhead(&c, n, target, extra, &over);

    for (int i = 0; i < o->samples; i++) {
        if (sample_exec(&c, fn, c.nthreads, n, extra, 1) != 0)
            goto failed;
        if (sample_record(m, &c.res, n, over.wall, over.cpu) != 0 ||
            sample_record_counters(m, &c, n, &over, o->hw_instructions) != 0 ||
            sample_record_latency(m, &c) != 0) {
            rc = -1;
            goto out;
        }
    }
    if (o->heap) {
        rc = sample_heap_pass(m, &c, fn, n);
        if (rc > 0)
            goto failed;
        if (rc < 0)
            goto out;
    }
    rc = sample_peak_rss(m);
    goto out;

failed:
    rc = sample_failed(m, &c.res);
out:
    sample_ctx_release(&c);
    return rc;
}

int sample_callgrind(perfcmp_fn fn, const long long *args, size_t nargs, const sample_opts *o,
                     uint64_t n, char *msg, size_t msglen)
{
    sample_ctx c;
    int rc = -1;

    if (n == 0)
        n = 1;
    if (sample_ctx_init(&c, args, nargs, o) != 0)
        goto out;
    /* uncounted: lazy binding, first-touch and one-time initialisation */
    if (sample_exec(&c, sample_empty_fn, 1, n, 0, 0) != 0 ||
        sample_exec(&c, fn, c.nthreads, n, 0, 0) != 0)
        goto failed;
    if (sample_exec(&c, sample_empty_fn, 1, n, STATE_CALLGRIND, 0) != 0 ||
        sample_exec(&c, sample_empty_fn, 1, 2 * n, STATE_CALLGRIND, 0) != 0 ||
        sample_exec(&c, fn, c.nthreads, n, STATE_CALLGRIND, 0) != 0 ||
        sample_exec(&c, fn, c.nthreads, 2 * n, STATE_CALLGRIND, 0) != 0)
        goto failed;
    rc = 0;
    goto out;
failed:
    snprintf(msg, msglen, "%s", c.res.message);
    rc = 1;
out:
    sample_ctx_release(&c);
    return rc;
}

double sample_callgrind_per_iteration(const uint64_t ir[SAMPLE_CALLGRIND_PARTS], uint64_t n)
{
    double empty = (double)ir[1] - (double)ir[0];
    double body = (double)ir[3] - (double)ir[2];
    double v = (body - empty) / (double)(n ? n : 1);
    return v > 0 ? v : 0;
}
