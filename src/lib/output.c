/*
 * output.c - the progress line and the results table.
 */
#include "output.h"
#include "clocks.h"
#include "sample.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUTPUT_GREEN "\033[32m"
#define OUTPUT_RED "\033[31m"
#define OUTPUT_RESET "\033[0m"

void output_init(output *o, int quiet, int name_width, size_t total)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");

    memset(o, 0, sizeof *o);
    o->total = total;
    o->name_width = name_width < 9 ? 9 : name_width;
    if (quiet)
        return;
    o->table = stdout;
    if (isatty(STDERR_FILENO))
        o->progress = stderr;
    o->color = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

/* Prints V with 4 significant digits at most and UNIT. */
static void output_scaled(double v, const char *unit, char *buf, size_t len)
{
    if (v < 10)
        snprintf(buf, len, "%.3f %s", v, unit);
    else if (v < 100)
        snprintf(buf, len, "%.2f %s", v, unit);
    else
        snprintf(buf, len, "%.1f %s", v, unit);
}

void output_time(double ns, char *buf, size_t len)
{
    if (!isfinite(ns) || ns < 0)
        snprintf(buf, len, "-");
    else if (ns < 1e3)
        output_scaled(ns, "ns", buf, len);
    else if (ns < 1e6)
        output_scaled(ns / 1e3, "us", buf, len);
    else if (ns < 1e9)
        output_scaled(ns / 1e6, "ms", buf, len);
    else
        output_scaled(ns / 1e9, "s", buf, len);
}

void output_bytes(double b, char *buf, size_t len)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    size_t u = 0;
    if (!isfinite(b) || b < 0) {
        snprintf(buf, len, "-");
        return;
    }
    while (b >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
        b /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f B", b);
    else
        snprintf(buf, len, "%.1f %s", b, units[u]);
}

void output_rate(double r, int bytes, char *buf, size_t len)
{
    static const char *const bunits[] = { "B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s" };
    static const char *const iunits[] = { "/s", "k/s", "M/s", "G/s", "T/s" };
    const char *const *units = bytes ? bunits : iunits;
    double step = bytes ? 1024 : 1000;
    size_t u = 0;

    if (!isfinite(r) || r < 0) {
        snprintf(buf, len, "-");
        return;
    }
    while (r >= step && u < 4) {
        r /= step;
        u++;
    }
    output_scaled(r, units[u], buf, len);
}

void output_clear_progress(output *o)
{
    if (!o->progress || o->progress_len == 0)
        return;
    fprintf(o->progress, "\r%*s\r", (int)o->progress_len, "");
    fflush(o->progress);
    o->progress_len = 0;
}

void output_progress(output *o, size_t index, const char *name, double elapsed)
{
    char line[256];
    int n;

    if (!o->progress)
        return;
    n = snprintf(line, sizeof line, "[%zu/%zu] %.160s  %.1f s", index, o->total, name, elapsed);
    if (n < 0)
        return;
    size_t len = strlen(line);
    fprintf(o->progress, "\r%s", line);
    if (len < o->progress_len)
        fprintf(o->progress, "%*s\r%s", (int)(o->progress_len - len), "", line);
    fflush(o->progress);
    o->progress_len = len;
}

void output_count(double v, char *buf, size_t len)
{
    if (!isfinite(v) || v < 0)
        snprintf(buf, len, "-");
    else if (v == floor(v) && v < 1e6)
        snprintf(buf, len, "%.0f", v);
    else if (v < 10)
        snprintf(buf, len, "%.3g", v);
    else if (v < 1e4)
        snprintf(buf, len, "%.1f", v);
    else if (v < 1e6)
        snprintf(buf, len, "%.0f", v);
    else if (v < 1e9)
        output_scaled(v / 1e6, "M", buf, len);
    else
        output_scaled(v / 1e9, "G", buf, len);
    /* "12.3 k" -> "12.3k" */
    char *sp = strchr(buf, ' ');
    if (sp)
        memmove(sp, sp + 1, strlen(sp));
}

static void output_header(output *o)
{
    fprintf(o->table, "%-*s  %11s  %7s  %18s  %11s  %10s  %12s  %7s  %s\n", o->name_width,
            "benchmark", "time", "+/-", "iters x samples", "cpu time", "peak RSS",
            "throughput", "allocs", "status");
    o->header_done = 1;
}

static double output_median(const results_bench *b, const char *metric, size_t *n)
{
    const results_metric *m = results_find_metric(b, metric);
    stats_summary s;
    if (n)
        *n = m ? m->nsamples : 0;
    if (!m || m->nsamples == 0 || stats_summarize(m->samples, m->nsamples, &s) != 0)
        return NAN;
    return s.median;
}

/* The lines under a row: latency, instructions, perf counters. */
static void output_details(output *o, const results_bench *b)
{
    static const char *const lat[][2] = {
        { "latency_p50", "p50" }, { "latency_p90", "p90" }, { "latency_p99", "p99" },
        { "latency_p999", "p99.9" }, { "latency_max", "max" },
    };
    static const char *const events[] = {
        "hw_instructions", "cycles", "branches", "branch_misses", "cache_misses",
        "task_clock", "page_faults", "context_switches",
    };
    char buf[48];
    double v;

    if (isfinite(output_median(b, "latency_p50", NULL))) {
        fputs("  latency", o->table);
        for (size_t i = 0; i < sizeof lat / sizeof lat[0]; i++) {
            output_time(output_median(b, lat[i][0], NULL), buf, sizeof buf);
            fprintf(o->table, "  %s %s", lat[i][1], buf);
        }
        v = output_median(b, "success_rate", NULL);
        if (isfinite(v))
            fprintf(o->table, "  succeeded %.1f%%", 100.0 * v);
        fputc('\n', o->table);
    }
    const results_metric *ins = results_find_metric(b, "instructions");
    if (ins && ins->nsamples > 0) {
        output_count(output_median(b, "instructions", NULL), buf, sizeof buf);
        fprintf(o->table, "  instructions %s per iteration (%s)\n", buf,
                ins->nsamples == 1 ? "callgrind" : "perf counters");
    }
    int any = 0;
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        v = output_median(b, events[i], NULL);
        if (!isfinite(v))
            continue;
        if (strcmp(events[i], "task_clock") == 0)
            output_time(v, buf, sizeof buf);
        else
            output_count(v, buf, sizeof buf);
        fprintf(o->table, "%s %s %s", any ? "," : "  counters per iteration:", events[i], buf);
        any = 1;
    }
    if (any)
        fputc('\n', o->table);
}

/* "samples too short to trust: ..." under B's row when its median sample
 * lasted too little; nothing when o->target_ns is unknown. */
static void output_short_samples(output *o, const results_bench *b)
{
    char each[32], target[32];
    double wall = output_median(b, "wall_time", NULL);
    double res = (double)clocks_resolution_ns();

    if (o->target_ns <= 0 || !isfinite(wall) || b->iterations == 0)
        return;
    /* wall_time has the loop's own cost taken out; a sample lasted it too */
    double sample = (wall + sample_loop_cost_ns()) * (double)b->iterations;
    output_time(sample, each, sizeof each);
    if (sample < OUTPUT_SHORT_RESOLUTIONS * res) {
        fprintf(o->table,
                "  samples too short to trust: %s each, under %.0fx the clock's resolution"
                " (%.0f ns)\n", each, OUTPUT_SHORT_RESOLUTIONS, res);
    } else if (sample * OUTPUT_SHORT_FACTOR < o->target_ns) {
        output_time(o->target_ns, target, sizeof target);
        fprintf(o->table, "  samples too short to trust: %s each, more than %.0fx under the %s"
                " target\n", each, OUTPUT_SHORT_FACTOR, target);
    }
}

void output_row(output *o, const results_bench *b)
{
    char time[32] = "-", spread[16] = "-", iters[40] = "-", cpu[32] = "-", rss[32] = "-",
         rate[32] = "-", allocs[32] = "-", leak[64] = "";
    const results_metric *wall = results_find_metric(b, "wall_time");
    const char *status = results_status_name(b->status);

    if (!o->table)
        return;
    output_clear_progress(o);
    if (!o->header_done)
        output_header(o);
    if (b->status == RESULTS_OK && wall && wall->nsamples > 0) {
        stats_summary s;
        if (stats_summarize(wall->samples, wall->nsamples, &s) == 0) {
            output_time(s.median, time, sizeof time);
            if (s.median > 0)
                snprintf(spread, sizeof spread, "%.1f%%", 100.0 * s.mad / s.median);
            else
                snprintf(spread, sizeof spread, "%s", s.mad > 0 ? "-" : "0.0%");
        }
        snprintf(iters, sizeof iters, "%llu x %zu", (unsigned long long)b->iterations,
                 wall->nsamples);
        output_time(output_median(b, "cpu_time", NULL), cpu, sizeof cpu);
        output_bytes(output_median(b, "peak_rss", NULL), rss, sizeof rss);
        double bps = output_median(b, "bytes_per_second", NULL);
        double ips = output_median(b, "items_per_second", NULL);
        if (isfinite(bps))
            output_rate(bps, 1, rate, sizeof rate);
        else if (isfinite(ips))
            output_rate(ips, 0, rate, sizeof rate);
        output_count(output_median(b, "allocs", NULL), allocs, sizeof allocs);
        double leaked = output_median(b, "leaked_bytes", NULL);
        if (isfinite(leaked) && leaked > 0) {
            char amount[32];
            output_count(leaked, amount, sizeof amount);
            snprintf(leak, sizeof leak, " (leaks %s B/iter)", amount);
        }
    }
    fprintf(o->table, "%-*s  %11s  %7s  %18s  %11s  %10s  %12s  %7s  ", o->name_width, b->name,
            time, spread, iters, cpu, rss, rate, allocs);
    /* "crashed: signal 11 (...)", but "timeout after 1.0 s" */
    int repeats = b->error && strncmp(b->error, status, strlen(status)) == 0;
    if (o->color)
        fputs(b->status == RESULTS_OK ? OUTPUT_GREEN : OUTPUT_RED, o->table);
    fputs(repeats ? b->error : status, o->table);
    if (o->color)
        fputs(OUTPUT_RESET, o->table);
    if (b->error && !repeats)
        fprintf(o->table, ": %s", b->error);
    fputs(leak, o->table);
    fputc('\n', o->table);
    if (b->status == RESULTS_OK) {
        output_short_samples(o, b);
        output_details(o, b);
    }
    fflush(o->table);
}

static void output_vline(output *o, const char *indent, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void output_vline(output *o, const char *indent, const char *fmt, va_list ap)
{
    if (!o->table)
        return;
    output_clear_progress(o);
    fputs(indent, o->table);
    vfprintf(o->table, fmt, ap);
    fputc('\n', o->table);
    fflush(o->table);
}

void output_note(output *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    output_vline(o, "  ", fmt, ap);
    va_end(ap);
}

void output_line(output *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    output_vline(o, "", fmt, ap);
    va_end(ap);
}

void output_summary(output *o, const results_run *run, double seconds)
{
    size_t count[4] = { 0 };
    static const char *const words[4] = { "ok", "failed", "crashed", "timed out" };

    if (!o->table)
        return;
    output_clear_progress(o);
    for (size_t i = 0; i < run->nbenches; i++)
        if ((unsigned)run->benches[i].status < 4)
            count[run->benches[i].status]++;
    fprintf(o->table, "%zu benchmark%s in %.1f s: %zu ok", run->nbenches,
            run->nbenches == 1 ? "" : "s", seconds, count[0]);
    for (int s = 1; s < 4; s++)
        if (count[s])
            fprintf(o->table, ", %zu %s", count[s], words[s]);
    fputc('\n', o->table);
    fflush(o->table);
}
