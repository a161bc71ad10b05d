/*
 * state.c - the functions a benchmark body calls: the slow path of the
 * measured loop, timing pauses, arguments, throughput, counters,
 * operations (latency mode), failure; and the barriers of a group of
 * threads with the regions (heap, counters, callgrind) they open.
 *
 * Clock order: the CPU clock is read before the wall clock when a segment
 * starts and after it when a segment stops, so the (slower) CPU-clock
 * read never falls inside the wall-time interval.  The regions open
 * before the first clock read of the loop and close after the last, so
 * their own cost is not timed.
 */
#include "state.h"
#include "clocks.h"


#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { STATE_BEFORE = 0, STATE_RUNNING = 1, STATE_AFTER = 2 };

static const char *const state_reserved[] = {
    "wall_time", "cpu_time", "peak_rss", "bytes_per_second", "items_per_second",
    "allocs", "alloc_bytes", "peak_heap", "leaked_bytes", "instructions",
    "latency_p50", "latency_p90", "latency_p99", "latency_p999", "latency_max",
    "success_rate", "ops_per_second", "ops_total", "duration",
    /* --counters */
    "hw_instructions", "cycles", "branches", "branch_misses", "cache_misses", "task_clock",
    "page_faults", "context_switches",
};

void state_failf(state_priv *p, const char *fmt, ...)
{
    va_list ap;
    if (p->failed)
        return;
    p->failed = 1;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
}

/* --- groups: barriers and regions ------------------------------------ */

int state_group_init(state_group *g, int nthreads, instr_counters *counters)
{
    memset(g, 0, sizeof *g);
    g->nthreads = nthreads > 0 ? nthreads : 1;
    g->counters = counters;
    g->heap_rc = HEAP_ENOTACTIVE;
    if (g->nthreads > 1) {
        if (pthread_mutex_init(&g->mu, NULL) != 0)
            return -1;
        if (pthread_cond_init(&g->cv, NULL) != 0) {
            pthread_mutex_destroy(&g->mu);
            return -1;
        }
        g->sync_ready = 1;
    }
    return 0;
}

void state_group_reset(state_group *g, unsigned extra)
{
    g->extra = extra;
    g->heap_rc = HEAP_ENOTACTIVE;
    memset(&g->heap, 0, sizeof g->heap);
    for (int b = 0; b < 2; b++) {
        g->expected[b] = g->nthreads;
        g->arrived[b] = 0;
        g->released[b] = 0;
    }
}

void state_group_destroy(state_group *g)
{
    if (g == NULL || !g->sync_ready)
        return;
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    g->sync_ready = 0;
}

static void state_open_regions(state_group *g)
{
    if (g->extra & STATE_HEAP)
        g->heap_rc = heap_begin();
    if (g->extra & STATE_COUNTERS)
        instr_counters_start(g->counters);
    if (g->extra & STATE_CALLGRIND)
        instr_callgrind_begin();
}

static void state_close_regions(state_group *g)
{
    if (g->extra & STATE_CALLGRIND)
        instr_callgrind_end(NULL);
    /* disabled here, read by the caller once the threads have exited:
     * inherited counts reach the counter when a thread ends */
    if (g->extra & STATE_COUNTERS)
        instr_counters_pause(g->counters);
    if ((g->extra & STATE_HEAP) && g->heap_rc == HEAP_OK)
        heap_end(&g->heap);
}

/*
 * The thread of P reaches barrier B (0: the loop's start, 1: its end),
 * or with LEAVE gives it up (it failed, or will never reach it).  The
 * last thread to arrive or leave opens (B = 0) or closes (B = 1) the
 * regions and releases the others; a thread that arrives waits for that.
 * Without a group, or a second time, nothing happens.
 */
static void state_barrier(state_priv *p, int b, int leave)
{
    state_group *g = p->group;

    if (g == NULL || p->barrier_done[b])
        return;
    p->barrier_done[b] = 1;
    if (g->nthreads == 1) {
        if (!g->released[b]) {
            g->released[b] = 1;
            if (b == 0)
                state_open_regions(g);
            else
                state_close_regions(g);
        }
        return;
    }
    pthread_mutex_lock(&g->mu);
    if (leave)
        g->expected[b]--;
    else
        g->arrived[b]++;
    if (!g->released[b] && g->arrived[b] >= g->expected[b]) {
        g->released[b] = 1;
        if (b == 0)
            state_open_regions(g);
        else
            state_close_regions(g);
        pthread_cond_broadcast(&g->cv);
    } else if (!leave) {
        while (!g->released[b])
            pthread_cond_wait(&g->cv, &g->mu);
    }
    pthread_mutex_unlock(&g->mu);
}

/* The regions a pause of P's clock pauses too: only with one thread (a
 * region counts the whole process) and while it is open. */
static unsigned state_pausable(const state_priv *p)
{
    const state_group *g = p->group;
    if (g == NULL || g->nthreads != 1 || !g->released[0] || g->released[1])
        return 0;
    return g->extra;
}

/* --- one sample -------------------------------------------------------- */

void state_begin(perfcmp_state *s, state_priv *p, const long long *args, size_t nargs,
                 uint64_t iterations)
{
    p->args = args;
    p->nargs = nargs;
    p->iterations = iterations ? iterations : 1;
    p->paused = 0;
    p->wall_start = p->cpu_start = 0;
    p->wall_ns = p->cpu_ns = 0;
    p->span_start = p->span_ns = 0;
    p->barrier_done[0] = p->barrier_done[1] = 0;
    p->lat_left = p->lat_mark = 0;
    p->op_open = p->op_failed = 0;
    p->op_start = 0;
    p->ops_ok = p->ops_failed = 0;
    p->bytes = p->items = 0;
    p->ncounters = 0;
    s->left_ = 0;
    s->running_ = STATE_BEFORE;
    s->priv_ = p;
}

int state_end(perfcmp_state *s, state_priv *p)
{
    if (!p->failed) {
        if (s->running_ == STATE_BEFORE)
            state_failf(p, "the benchmark body did not call perfcmp_loop()");
        else if (s->running_ == STATE_RUNNING)
            state_failf(p, "the benchmark body left the perfcmp_loop() loop early");
    }
    state_barrier(p, 0, 1);
    state_barrier(p, 1, 1);
    return p->failed ? -1 : 0;
}

/* Ends the loop at its next perfcmp_loop() call. */
static void state_stop_loop(perfcmp_state *s, state_priv *p)
{
    s->left_ = 0;
    p->lat_left = 0;
}

/* The CPU clock of P: the process's, or with several threads the
 * thread's own (the process clock does not see the time other threads
 * spend running on other CPUs until their next tick; the runner sums the
 * threads' figures instead). */
static uint64_t state_cpu_now(const state_priv *p)
{
    return p->group && p->group->nthreads > 1 ? clocks_thread_cpu_ns() : clocks_cpu_ns();
}

static void state_start_clock(state_priv *p)
{
    p->cpu_start = state_cpu_now(p);
    p->wall_start = clocks_wall_ns();
}

static void state_stop_clock(state_priv *p)
{
    uint64_t w = clocks_wall_ns();
    uint64_t c = state_cpu_now(p);
    p->wall_ns += w - p->wall_start;
    p->cpu_ns += c >= p->cpu_start ? c - p->cpu_start : 0;
}

PERFCMP_API int perfcmp_loop_(perfcmp_state *s)
{
    state_priv *p = s->priv_;

    switch (s->running_) {
    case STATE_BEFORE:
        if (p->failed) {
            state_barrier(p, 0, 1);
            state_barrier(p, 1, 1);
            s->running_ = STATE_AFTER;
            return 0;
        }
        state_barrier(p, 0, 0);
        s->running_ = STATE_RUNNING;
        if (p->latency) {
            /* every iteration takes this slow path */
            s->left_ = 0;
            p->lat_left = p->iterations - 1;
        } else {
            s->left_ = p->iterations - 1;
        }
        p->lat_mark = 0;
        state_start_clock(p);
        p->span_start = p->wall_start;
        return 1;
    case STATE_RUNNING:
        if (p->latency && !p->failed) {
            /* the iteration just done was one operation: its timed ns */
            uint64_t now = clocks_wall_ns();
            uint64_t t = p->wall_ns + (p->paused ? 0 : now - p->wall_start);
            if (p->op_failed) {
                p->ops_failed++;
                p->op_failed = 0;
            } else {
                p->ops_ok++;
                if (p->hist)
                    histogram_record(p->hist, t - p->lat_mark);
            }
            p->lat_mark = t;
            if (p->lat_left > 0) {
                p->lat_left--;
                return 1;
            }
        }
        if (!p->paused)
            state_stop_clock(p);
        p->span_ns = clocks_wall_ns() - p->span_start;
        p->paused = 0;
        if (p->op_open && !p->failed)
            state_failf(p, "perfcmp_op_begin() without perfcmp_op_end() when the loop ended");
        state_barrier(p, 1, 0);
        s->running_ = STATE_AFTER;
        return 0;
    default:
        state_failf(p, "perfcmp_loop() was called again after its loop ended");
        s->left_ = 0;
        return 0;
    }
}

PERFCMP_API uint64_t perfcmp_iterations(const perfcmp_state *s)
{
    const state_priv *p = s->priv_;
    return p->iterations;
}

PERFCMP_API long long perfcmp_arg(const perfcmp_state *s, int i)
{
    state_priv *p = s->priv_;
    if (i < 0 || (size_t)i >= p->nargs) {
        state_failf(p, "perfcmp_arg(%d): the instance has %zu argument%s", i, p->nargs,
                    p->nargs == 1 ? "" : "s");
        /* end the loop if it runs */
        state_stop_loop((perfcmp_state *)s, p);
        return 0;
    }
    return p->args[i];
}

PERFCMP_API void perfcmp_pause_timing(perfcmp_state *s)
{
    state_priv *p = s->priv_;
    if (s->running_ != STATE_RUNNING || p->paused)
        return;
    state_stop_clock(p);
    p->paused = 1;
    unsigned extra = state_pausable(p);
    if ((extra & STATE_HEAP) && p->group->heap_rc == HEAP_OK)
        heap_pause();
    if (extra & STATE_COUNTERS)
        instr_counters_pause(p->group->counters);
    if (extra & STATE_CALLGRIND)
        instr_callgrind_pause();
}

PERFCMP_API void perfcmp_resume_timing(perfcmp_state *s)
{
    state_priv *p = s->priv_;
    if (s->running_ != STATE_RUNNING || !p->paused)
        return;
    unsigned extra = state_pausable(p);
    if (extra & STATE_CALLGRIND)
        instr_callgrind_resume();
    if (extra & STATE_COUNTERS)
        instr_counters_resume(p->group->counters);
    if ((extra & STATE_HEAP) && p->group->heap_rc == HEAP_OK)
        heap_resume();
    p->paused = 0;
    state_start_clock(p);
}

PERFCMP_API void perfcmp_set_bytes(perfcmp_state *s, uint64_t bytes_per_iter)
{
    state_priv *p = s->priv_;
    p->bytes = bytes_per_iter;
}

PERFCMP_API void perfcmp_set_items(perfcmp_state *s, uint64_t items_per_iter)
{
    state_priv *p = s->priv_;
    p->items = items_per_iter;
}

PERFCMP_API int perfcmp_counter(perfcmp_state *s, const char *name, double value,
                                const char *unit, perfcmp_direction direction)
{
    state_priv *p = s->priv_;
    state_counter *c = NULL;

    if (!name || !*name) {
        state_failf(p, "perfcmp_counter(): empty counter name");
        goto fail;
    }
    if (strlen(name) >= sizeof c->name) {
        state_failf(p, "perfcmp_counter(): counter name '%.20s...' is longer than %zu bytes",
                    name, sizeof c->name - 1);
        goto fail;
    }
    if (unit && strlen(unit) >= sizeof c->unit) {
        state_failf(p, "perfcmp_counter(): unit of '%s' is longer than %zu bytes", name,
                    sizeof c->unit - 1);
        goto fail;
    }
    for (size_t i = 0; i < sizeof state_reserved / sizeof state_reserved[0]; i++)
        if (strcmp(name, state_reserved[i]) == 0) {
            state_failf(p, "perfcmp_counter(): '%s' is the name of a standard metric", name);
            goto fail;
        }
    if (!isfinite(value)) {
        state_failf(p, "perfcmp_counter(): value of '%s' is not a finite number", name);
        goto fail;
    }
    for (size_t i = 0; i < p->ncounters; i++)
        if (strcmp(p->counters[i].name, name) == 0)
            c = &p->counters[i];
    if (!c) {
        if (p->ncounters == STATE_MAX_COUNTERS) {
            state_failf(p, "perfcmp_counter(): more than %d counters", STATE_MAX_COUNTERS);
            goto fail;
        }
        c = &p->counters[p->ncounters++];
        snprintf(c->name, sizeof c->name, "%s", name);
    }
    snprintf(c->unit, sizeof c->unit, "%s", unit ? unit : "");
    c->direction = direction == PERFCMP_HIGHER_IS_BETTER ? 1 : 0;
    c->value = value;
    return 0;

fail:
    state_stop_loop(s, p);
    return -1;
}

PERFCMP_API void perfcmp_fail(perfcmp_state *s, const char *message)
{
    state_priv *p = s->priv_;
    state_failf(p, "%s", message && *message ? message : "perfcmp_fail() called");
    state_stop_loop(s, p);
}

/* --- operations --------------------------------------------------------- */

/* Checks a perfcmp_op_* call by WHO; 0 when it may go on. */
static int state_op_check(perfcmp_state *s, state_priv *p, const char *who)
{
    p->uses_ops = 1;
    if (p->failed)
        return -1;
    if (s->running_ != STATE_RUNNING) {
        state_failf(p, "%s() outside the measured loop", who);
        state_stop_loop(s, p);
        return -1;
    }
    return 0;
}

PERFCMP_API void perfcmp_op_begin(perfcmp_state *s)
{
    state_priv *p = s->priv_;
    if (state_op_check(s, p, "perfcmp_op_begin") != 0)
        return;
    if (p->latency) {
        state_failf(p, "perfcmp_op_begin() in a benchmark with .latency = 1, where every "
                       "iteration is already one operation");
    } else if (p->op_open) {
        state_failf(p, "perfcmp_op_begin() while an operation is open (operations do not nest)");
    } else {
        p->op_open = 1;
        p->op_start = clocks_wall_ns();
        return;
    }
    state_stop_loop(s, p);
}

PERFCMP_API void perfcmp_op_end(perfcmp_state *s)
{
    uint64_t now = clocks_wall_ns();
    state_priv *p = s->priv_;
    if (state_op_check(s, p, "perfcmp_op_end") != 0)
        return;
    if (!p->op_open) {
        state_failf(p, "perfcmp_op_end() without perfcmp_op_begin()");
        state_stop_loop(s, p);
        return;
    }
    p->op_open = 0;
    p->ops_ok++;
    if (p->hist)
        histogram_record(p->hist, now - p->op_start);
}

PERFCMP_API void perfcmp_op_failed(perfcmp_state *s)
{
    state_priv *p = s->priv_;
    if (state_op_check(s, p, "perfcmp_op_failed") != 0)
        return;
    if (p->latency) {
        p->op_failed = 1;
    } else if (p->op_open) {
        p->op_open = 0;
        p->ops_failed++;
    } else {
        state_failf(p, "perfcmp_op_failed() without perfcmp_op_begin()");
        state_stop_loop(s, p);
    }
}

PERFCMP_API int perfcmp_thread_index(const perfcmp_state *s)
{
    const state_priv *p = s->priv_;
    return p->thread_index;
}

PERFCMP_API int perfcmp_threads(const perfcmp_state *s)
{
    const state_priv *p = s->priv_;
    return p->group ? p->group->nthreads : 1;
}

PERFCMP_API void perfcmp_use_pointer_(const volatile void *ptr)
{
    (void)ptr;
}
