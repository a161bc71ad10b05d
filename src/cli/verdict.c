/*
 * verdict.c - the verdict engine (see verdict.h and docs/verdicts.md).
 *
 * A row is judged like this:
 *   ratio  = median(current) / median(baseline)
 *   change = ratio - 1, "past the threshold" when |change| > threshold
 *            (strictly) in the bad or good direction of the metric;
 *   significant when the two-sided Mann-Whitney U p-value < alpha and
 *            (require_ci, the default) the 95% bootstrap CI of the ratio
 *            lies entirely on the same side of 1 as the point ratio.
 *   regressed / improved: past the threshold and significant;
 *   inconclusive: past the threshold, not significant;
 *   unchanged: not past the threshold.
 * A side with a single value (imported summaries, peak_rss) has no
 * distribution to test: such rows are judged on the threshold alone.
 */
#include "verdict.h"
#include "../core/complexity.h"

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const kind_names[VERDICT_NKINDS] = {
    [VERDICT_FAILED] = "failed",
    [VERDICT_REGRESSED] = "regressed",
    [VERDICT_IMPROVED] = "improved",
    [VERDICT_INCONCLUSIVE] = "inconclusive",
    [VERDICT_UNCHANGED] = "unchanged",
    [VERDICT_NEW] = "new",
    [VERDICT_MISSING] = "missing",
};

const char *verdict_kind_name(verdict_kind k)
{
    if ((int)k < 0 || k >= VERDICT_NKINDS)
        return "unknown";
    return kind_names[k];
}

void verdict_options_init(verdict_options *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->threshold = VERDICT_DEFAULT_THRESHOLD;
    o->metric = VERDICT_DEFAULT_METRIC;
    o->alpha = VERDICT_DEFAULT_ALPHA;
    o->require_ci = 1;
    o->resamples = VERDICT_RESAMPLES;
    o->seed = VERDICT_SEED;
    o->noise_runs = VERDICT_NOISE_RUNS;
}

void verdict_options_release(verdict_options *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nrules; i++)
        free(o->rules[i].glob);
    free(o->rules);
    o->rules = NULL;
    o->nrules = 0;
    for (size_t i = 0; i < o->nmrules; i++)
        free(o->mrules[i].metric);
    free(o->mrules);
    o->mrules = NULL;
    o->nmrules = 0;
}

int verdict_parse_percent(const char *text, double *fraction)
{
    char *end;
    if (!text || !*text || *text == ' ' || *text == '+' || *text == '-')
        return -1;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || errno)
        return -1;
    if (*end == '%')
        end++;
    if (*end || !isfinite(v) || v < 0)
        return -1;
    *fraction = v / 100.0;
    return 0;
}

int verdict_options_add_threshold(verdict_options *o, const char *text)
{
    const char *colon = strrchr(text, ':');
    double f;
    if (!colon)
        return verdict_parse_percent(text, &o->threshold) == 0 ? 0 : -1;
    if (colon == text || verdict_parse_percent(colon + 1, &f) != 0)
        return -1;
    size_t glen = (size_t)(colon - text);
    char *glob = malloc(glen + 1);
    if (!glob)
        return -2;
    memcpy(glob, text, glen);
    glob[glen] = '\0';
    verdict_rule *nr = realloc(o->rules, (o->nrules + 1) * sizeof *nr);
    if (!nr) {
        free(glob);
        return -2;
    }
    o->rules = nr;
    o->rules[o->nrules].glob = glob;
    o->rules[o->nrules].fraction = f;
    o->nrules++;
    return 0;
}

int verdict_parse_alpha(const char *text, double *alpha)
{
    char *end;
    if (!text || !*text || *text == ' ')
        return -1;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end || errno || !isfinite(v) || v <= 0 || v >= 1)
        return -1;
    *alpha = v;
    return 0;
}

double verdict_threshold_for(const verdict_options *o, const char *name)
{
    double t = o->threshold;
    for (size_t i = 0; i < o->nrules; i++)
        if (fnmatch(o->rules[i].glob, name, 0) == 0)
            t = o->rules[i].fraction;
    return t;
}

/* Metrics with a threshold of their own (docs/metrics.md explains each). */
static const struct {
    const char *metric;
    double fraction, floor;
} metric_defaults[] = {
    /* exact counts from callgrind; close between runs from perf counters */
    { "instructions", 0.01, 0 },
    { "hw_instructions", 0.01, 0 },
    /* heap: per iteration, from one pass; the floors keep glibc's chunk
     * rounding and amortised allocations from counting */
    { "allocs", 0, 0.5 },
    { "alloc_bytes", 0.01, 1 },
    { "peak_heap", 0.10, 64 },
    { "leaked_bytes", 0.10, 1 },
    { "success_rate", 0.01, 0 },
    /* reported, not judged: they move with the machine, the scheduler or
     * the calibrated iterations, not only with the code */
    { "latency_max", INFINITY, 0 },
    { "ops_total", INFINITY, 0 },
    { "duration", INFINITY, 0 },
    { "cycles", INFINITY, 0 },
    { "branches", INFINITY, 0 },
    { "branch_misses", INFINITY, 0 },
    { "cache_misses", INFINITY, 0 },
    { "task_clock", INFINITY, 0 },
    { "page_faults", INFINITY, 0 },
    { "context_switches", INFINITY, 0 },
};

int verdict_metric_default(const char *metric, double *fraction, double *floor)
{
    for (size_t i = 0; metric && i < sizeof metric_defaults / sizeof metric_defaults[0]; i++)
        if (!strcmp(metric_defaults[i].metric, metric)) {
            if (fraction)
                *fraction = metric_defaults[i].fraction;
            if (floor)
                *floor = metric_defaults[i].floor;
            return 1;
        }
    return 0;
}

int verdict_options_add_metric_threshold(verdict_options *o, const char *text)
{
    const char *eq = text ? strchr(text, '=') : NULL;
    double f;
    if (!eq || eq == text || verdict_parse_percent(eq + 1, &f) != 0)
        return -1;
    size_t len = (size_t)(eq - text);
    char *name = malloc(len + 1);
    if (!name)
        return -2;
    memcpy(name, text, len);
    name[len] = '\0';
    verdict_metric_rule *nr = realloc(o->mrules, (o->nmrules + 1) * sizeof *nr);
    if (!nr) {
        free(name);
        return -2;
    }
    o->mrules = nr;
    o->mrules[o->nmrules].metric = name;
    o->mrules[o->nmrules].fraction = f;
    o->nmrules++;
    return 0;
}

double verdict_threshold_for_metric(const verdict_options *o, const char *bench,
                                    const char *metric, double *floor)
{
    double t = 0, fl = 0;
    int own = verdict_metric_default(metric, &t, &fl);
    int set = 0;
    for (size_t i = 0; metric && i < o->nmrules; i++)
        if (!strcmp(o->mrules[i].metric, metric)) {
            t = o->mrules[i].fraction;
            set = 1;
        }
    if (floor)
        *floor = fl;
    if (!set && !own)
        t = verdict_threshold_for(o, bench);
    return t;
}

void verdict_report_init(verdict_report *r)
{
    if (!r)
        return;
    memset(r, 0, sizeof *r);
    r->threshold = VERDICT_DEFAULT_THRESHOLD;
    r->alpha = VERDICT_DEFAULT_ALPHA;
}

void verdict_report_release(verdict_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nrows; i++) {
        free(r->rows[i].bench);
        free(r->rows[i].metric);
        free(r->rows[i].unit);
        free(r->rows[i].note);
    }
    free(r->rows);
    free(r->metric);
    free(r->baseline_label);
    free(r->current_label);
    free(r->baseline_machine);
    free(r->current_machine);
    verdict_report_init(r);
}

int verdict_row_set_note(verdict_row *row, const char *note)
{
    return results_set_str(&row->note, note);
}

int verdict_apply_floor(verdict_row *row, double floor)
{
    char buf[160];
    if (isinf(row->threshold))
        return verdict_row_set_note(row, "not judged (reported only)");
    if (!(floor > 0) || row->kind == VERDICT_UNCHANGED ||
        (row->kind != VERDICT_REGRESSED && row->kind != VERDICT_IMPROVED &&
         row->kind != VERDICT_INCONCLUSIVE))
        return 0;
    if (!(fabs(row->cur_median - row->base_median) < floor))
        return 0;
    row->kind = VERDICT_UNCHANGED;
    snprintf(buf, sizeof buf, "change below %g %s", floor,
             row->unit && *row->unit ? row->unit : "");
    return verdict_row_set_note(row, buf);
}

int verdict_noise_spread_builds(const double *medians, const char *const *builds, size_t n,
                                double *spread, size_t *npairs)
{
    double *d = n > 1 ? malloc((n - 1) * sizeof *d) : NULL;
    size_t nd = 0;

    *npairs = 0;
    if (n > 1 && !d)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!(isfinite(medians[i]) && medians[i] > 0) || (builds && !builds[i]))
            continue;
        /* the newest earlier run of the same build */
        for (size_t j = i; j-- > 0;) {
            if (!(isfinite(medians[j]) && medians[j] > 0) ||
                (builds && (!builds[j] || strcmp(builds[j], builds[i]) != 0)))
                continue;
            d[nd++] = log(medians[i] / medians[j]);
            break;
        }
    }
    int rc = 1;
    *npairs = nd;
    if (nd + 1 >= VERDICT_NOISE_MIN_RUNS) {
        double mad = stats_mad(d, nd);
        if (isfinite(mad)) {
            *spread = 1.4826 * mad;
            rc = 0;
        } else {
            rc = -1;
        }
    }
    free(d);
    return rc;
}

int verdict_noise_spread(const double *medians, size_t n, double *spread)
{
    size_t npairs;
    return verdict_noise_spread_builds(medians, NULL, n, spread, &npairs) == 0 ? 0 : -1;
}

int verdict_apply_noise(verdict_row *row, double spread, size_t nruns, double z)
{
    if ((row->kind != VERDICT_REGRESSED && row->kind != VERDICT_IMPROVED) ||
        row->threshold_only || !(spread > 0) || !(z > 0) ||
        !(isfinite(row->ratio) && row->ratio > 0))
        return 0;
    double band = z * spread;
    if (fabs(log(row->ratio)) > band)
        return 0;
    char note[160];
    snprintf(note, sizeof note,
             "within the run-to-run noise of repeated runs of one build (%zu pairs; %g sd: %+.1f%%)",
             nruns, z, 100.0 * (exp(row->ratio > 1 ? band : -band) - 1));
    row->kind = VERDICT_INCONCLUSIVE;
    return verdict_row_set_note(row, note) == 0 ? 1 : -1;
}

int verdict_run_has_metric(const results_run *run, const char *name)
{
    if (!strcmp(name, "all"))
        return 1;
    for (size_t i = 0; run && i < run->nbenches; i++)
        if (results_find_metric(&run->benches[i], name))
            return 1;
    return 0;
}

uint64_t verdict_row_seed(uint64_t seed, const char *bench, const char *metric)
{
    /* FNV-1a over "bench\0metric", then a splitmix64 finaliser. */
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)(bench ? bench : ""); *p; p++)
        h = (h ^ *p) * UINT64_C(0x100000001b3);
    h = (h ^ 0) * UINT64_C(0x100000001b3);
    for (const unsigned char *p = (const unsigned char *)(metric ? metric : ""); *p; p++)
        h = (h ^ *p) * UINT64_C(0x100000001b3);
    uint64_t z = h ^ seed;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/*
 * Sets ROW's kind from its ratio, threshold, p and interval (filled):
 * unchanged within the threshold; past it, regressed or improved when
 * significant (p below alpha and, with require_ci, the interval on the
 * ratio's side of 1), else inconclusive.
 */
void verdict_decide(verdict_row *row, const verdict_options *o)
{
    double change = row->ratio - 1.0, threshold = row->threshold;
    int higher = row->direction == RESULTS_HIGHER_IS_BETTER;
    int worse = higher ? change < -threshold : change > threshold;
    int better = higher ? change > threshold : change < -threshold;

    if (!worse && !better) {
        row->kind = VERDICT_UNCHANGED;
        return;
    }
    int significant = row->p < o->alpha;
    if (significant && o->require_ci && !isnan(row->ci_low)) {
        /* The interval must not contain 1: all of it on the point ratio's side. */
        if (row->ratio > 1)
            significant = row->ci_low > 1.0;
        else
            significant = row->ci_high < 1.0;
    }
    if (!significant)
        row->kind = VERDICT_INCONCLUSIVE;
    else
        row->kind = worse ? VERDICT_REGRESSED : VERDICT_IMPROVED;
}

int verdict_judge(const double *base, size_t nb, const double *cur, size_t nc,
                  results_direction dir, double threshold, const verdict_options *o,
                  uint64_t seed, verdict_row *row)
{
    row->n_base = nb;
    row->n_cur = nc;
    row->threshold = threshold;
    row->direction = dir;
    row->base_median = stats_median(base, nb);
    row->cur_median = stats_median(cur, nc);
    row->ci_low = row->ci_high = NAN;
    row->p = NAN;
    row->threshold_only = (nb < 2 || nc < 2);

    if (isnan(row->base_median) || isnan(row->cur_median))
        return -1;  /* only when memory runs out (n >= 1 here) */
    if (row->base_median == 0)
        row->ratio = row->cur_median == 0 ? 1.0 : INFINITY;
    else
        row->ratio = row->cur_median / row->base_median;

    double change = row->ratio - 1.0;
    int worse = dir == RESULTS_HIGHER_IS_BETTER ? change < -threshold : change > threshold;
    int better = dir == RESULTS_HIGHER_IS_BETTER ? change > threshold : change < -threshold;

    if (row->threshold_only) {
        row->kind = worse ? VERDICT_REGRESSED : better ? VERDICT_IMPROVED : VERDICT_UNCHANGED;
        return 0;
    }

    stats_mwu mwu;
    if (stats_mann_whitney(base, nb, cur, nc, &mwu) != 0)
        return -1;
    row->p = mwu.p;
    double lo, hi;
    if (row->base_median > 0 &&
        stats_bootstrap_ratio_ci(base, nb, cur, nc, VERDICT_CI_LEVEL, o->resamples,
                                 seed, &lo, &hi) == 0) {
        row->ci_low = lo;
        row->ci_high = hi;
    }

    verdict_decide(row, o);
    return 0;
}

/*
 * The hierarchical test of verdict_judge_metrics: BM and CM have 2 or more
 * processes each.  The process is the unit: the medians of the processes'
 * medians are compared, the U test ranks the process medians, and the
 * interval comes from the two-stage bootstrap.
 */
static int verdict_judge_processes(const results_metric *bm, const results_metric *cm,
                                   double threshold, const verdict_options *o, uint64_t seed,
                                   verdict_row *row)
{
    int rc = -1;
    double *pb = malloc(bm->nprocesses * sizeof *pb);
    double *pc = malloc(cm->nprocesses * sizeof *pc);
    stats_mwu mwu;
    double lo, hi;

    if (!pb || !pc ||
        stats_group_medians(bm->samples, bm->nsamples, bm->processes, bm->nprocesses, pb) != 0 ||
        stats_group_medians(cm->samples, cm->nsamples, cm->processes, cm->nprocesses, pc) != 0)
        goto out;
    row->n_base = bm->nsamples;
    row->n_cur = cm->nsamples;
    row->k_base = bm->nprocesses;
    row->k_cur = cm->nprocesses;
    row->threshold = threshold;
    row->direction = cm->direction;
    row->base_median = stats_median(pb, bm->nprocesses);
    row->cur_median = stats_median(pc, cm->nprocesses);
    row->ci_low = row->ci_high = NAN;
    row->p = NAN;
    row->threshold_only = 0;
    if (isnan(row->base_median) || isnan(row->cur_median))
        goto out;
    if (row->base_median == 0)
        row->ratio = row->cur_median == 0 ? 1.0 : INFINITY;
    else
        row->ratio = row->cur_median / row->base_median;
    if (stats_mann_whitney(pb, bm->nprocesses, pc, cm->nprocesses, &mwu) != 0)
        goto out;
    row->p = mwu.p;
    if (row->base_median > 0 &&
        stats_bootstrap_nested_ratio_ci(bm->samples, bm->nsamples, bm->processes, bm->nprocesses,
                                        cm->samples, cm->nsamples, cm->processes, cm->nprocesses,
                                        VERDICT_CI_LEVEL, o->resamples, seed, &lo, &hi) == 0) {
        row->ci_low = lo;
        row->ci_high = hi;
    }
    verdict_decide(row, o);
    rc = 0;
out:
    free(pb);
    free(pc);
    return rc;
}

int verdict_judge_metrics(const results_metric *bm, const results_metric *cm, double threshold,
                          const verdict_options *o, uint64_t seed, verdict_row *row)
{
    if (bm->nprocesses >= 2 && cm->nprocesses >= 2)
        return verdict_judge_processes(bm, cm, threshold, o, seed, row);
    row->k_base = row->k_cur = 0;
    return verdict_judge(bm->samples, bm->nsamples, cm->samples, cm->nsamples, cm->direction,
                         threshold, o, seed, row);
}

/* --- building the report ------------------------------------------------ */

verdict_row *verdict_add_row(verdict_report *r, const char *bench, const char *metric,
                             const char *unit, results_direction dir, verdict_kind kind)
{
    if (r->nrows == r->caprows) {
        size_t ncap = r->caprows ? r->caprows * 2 : 16;
        verdict_row *nr = realloc(r->rows, ncap * sizeof *nr);
        if (!nr)
            return NULL;
        r->rows = nr;
        r->caprows = ncap;
    }
    verdict_row *row = &r->rows[r->nrows];
    memset(row, 0, sizeof *row);
    row->base_median = row->cur_median = NAN;
    row->ratio = row->ci_low = row->ci_high = row->p = NAN;
    row->direction = dir;
    row->kind = kind;
    if (results_set_str(&row->bench, bench) != 0 || results_set_str(&row->metric, metric) != 0 ||
        results_set_str(&row->unit, unit) != 0) {
        free(row->bench);
        free(row->metric);
        free(row->unit);
        return NULL;
    }
    r->nrows++;
    return row;
}

void verdict_recount(verdict_report *r)
{
    memset(r->counts, 0, sizeof r->counts);
    for (size_t i = 0; i < r->nrows; i++)
        if (r->rows[i].kind < VERDICT_NKINDS)
            r->counts[r->rows[i].kind]++;
    r->exit_status = (r->counts[VERDICT_FAILED] || r->counts[VERDICT_REGRESSED] ||
                      (r->fail_on_improvement && r->counts[VERDICT_IMPROVED]))
                         ? 1
                         : 0;
}

static int metric_selected(const verdict_options *o, const char *name)
{
    return !strcmp(o->metric, "all") || !strcmp(o->metric, name);
}

static int metric_usable(const results_metric *m)
{
    return m && m->nsamples > 0;
}

/* Index of a run's benchmarks by name, for O(log n) lookups. */
typedef struct name_index {
    const results_bench **by_name;
    size_t n;
} name_index;

static int cmp_bench_ptr(const void *a, const void *b)
{
    const results_bench *x = *(const results_bench *const *)a;
    const results_bench *y = *(const results_bench *const *)b;
    return strcmp(x->name, y->name);
}

static int index_build(name_index *ix, const results_run *run)
{
    ix->n = run->nbenches;
    ix->by_name = NULL;
    if (ix->n == 0)
        return 0;
    ix->by_name = malloc(ix->n * sizeof *ix->by_name);
    if (!ix->by_name)
        return -1;
    for (size_t i = 0; i < ix->n; i++)
        ix->by_name[i] = &run->benches[i];
    qsort(ix->by_name, ix->n, sizeof *ix->by_name, cmp_bench_ptr);
    return 0;
}

static const results_bench *index_find(const name_index *ix, const char *name)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->by_name[mid]->name, name);
        if (c == 0)
            return ix->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int status_note(verdict_row *row, const results_bench *b, const char *prefix)
{
    char buf[1024];
    const char *st = results_status_name(b->status);
    if (b->error && *b->error)
        snprintf(buf, sizeof buf, "%s%s: %s", prefix, st ? st : "failed", b->error);
    else
        snprintf(buf, sizeof buf, "%s%s", prefix, st ? st : "failed");
    return verdict_row_set_note(row, buf);
}

/* One row for a benchmark that failed in the current run. */
static int add_failed(verdict_report *r, const results_bench *cb, const results_bench *bb,
                      const verdict_options *o)
{
    const char *metric = strcmp(o->metric, "all") ? o->metric : NULL;
    const results_metric *cm = metric ? results_find_metric(cb, metric) : NULL;
    const results_metric *bm = (metric && bb) ? results_find_metric(bb, metric) : NULL;
    const char *unit = cm ? cm->unit : bm ? bm->unit : NULL;
    results_direction dir = cm ? cm->direction : bm ? bm->direction : RESULTS_LOWER_IS_BETTER;
    verdict_row *row = verdict_add_row(r, cb->name, metric, unit, dir, VERDICT_FAILED);
    if (!row)
        return -1;
    row->threshold = verdict_threshold_for_metric(o, cb->name, metric, NULL);
    if (metric_usable(bm)) {
        row->n_base = bm->nsamples;
        row->base_median = stats_median(bm->samples, bm->nsamples);
    }
    if (metric_usable(cm)) {
        row->n_cur = cm->nsamples;
        row->cur_median = stats_median(cm->samples, cm->nsamples);
    }
    return status_note(row, cb, "");
}

/*
 * The judging of the rows with samples on both sides is the bulk of a
 * compare (the bootstrap above all), and each row's result depends on its
 * own inputs and seed only.  So add_current only appends such a row and
 * notes a job; judge_jobs then judges the jobs on up to
 * verdict_threads() threads.  The rows, and so the output, are the same
 * whatever the number of threads.
 */
typedef struct judge_job {
    size_t row;                 /* index in the report's rows */
    const results_metric *bm, *cm;
    double threshold, floor;
    uint64_t seed;
} judge_job;

typedef struct judge_jobs {
    judge_job *v;
    size_t n, cap;
} judge_jobs;

static int jobs_push(judge_jobs *j, const judge_job *job)
{
    if (j->n == j->cap) {
        size_t nc = j->cap ? j->cap * 2 : 64;
        judge_job *nv = realloc(j->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        j->v = nv;
        j->cap = nc;
    }
    j->v[j->n++] = *job;
    return 0;
}

/* Judges one job's row (verdict_judge_metrics, then its note and floor).
 * 0, or -1 on ENOMEM. */
static int judge_one(verdict_report *r, const judge_job *job, const verdict_options *o)
{
    verdict_row *row = &r->rows[job->row];
    if (verdict_judge_metrics(job->bm, job->cm, job->threshold, o, job->seed, row) != 0)
        return -1;
    if (row->threshold_only && verdict_row_set_note(row, "single value: threshold only") != 0)
        return -1;
    return verdict_apply_floor(row, job->floor);
}

unsigned verdict_threads(void)
{
    const char *env = getenv("PERFCMP_THREADS");
    if (env && *env) {
        char *end;
        errno = 0;
        unsigned long n = strtoul(env, &end, 10);
        if (!*end && !errno && n >= 1)
            return n > VERDICT_MAX_THREADS ? VERDICT_MAX_THREADS : (unsigned)n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > VERDICT_MAX_THREADS ? VERDICT_MAX_THREADS : (unsigned)n;
}

typedef struct judge_shared {
    verdict_report *r;
    const judge_jobs *jobs;
    const verdict_options *o;
    atomic_size_t next;         /* the next job to take */
    atomic_int failed;          /* a job ran out of memory */
} judge_shared;

/* Jobs are taken in chunks of this many: few enough atomic operations,
 * small enough that the threads finish together. */
#define JUDGE_CHUNK 32u

static void *judge_worker(void *arg)
{
    judge_shared *sh = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, JUDGE_CHUNK);
        if (i >= sh->jobs->n || atomic_load(&sh->failed))
            break;
        size_t end = i + JUDGE_CHUNK < sh->jobs->n ? i + JUDGE_CHUNK : sh->jobs->n;
        for (; i < end; i++) {
            if (judge_one(sh->r, &sh->jobs->v[i], sh->o) != 0) {
                atomic_store(&sh->failed, 1);
                break;
            }
        }
    }
    return NULL;
}

/* Judges every job of JOBS (their rows exist in R).  0, or -1 on ENOMEM. */
static int judge_jobs_run(verdict_report *r, const judge_jobs *jobs, const verdict_options *o)
{
    unsigned nt = verdict_threads();
    pthread_t tid[VERDICT_MAX_THREADS];
    unsigned started = 0;
    judge_shared sh = { .r = r, .jobs = jobs, .o = o };

    atomic_init(&sh.next, 0);
    atomic_init(&sh.failed, 0);
    /* below a few chunks a thread costs more than it saves */
    if (jobs->n < 4 * JUDGE_CHUNK)
        nt = 1;
    /* the calling thread is one of the workers; a thread that cannot be
     * started leaves its share to the others */
    for (unsigned t = 1; t < nt; t++)
        if (pthread_create(&tid[started], NULL, judge_worker, &sh) == 0)
            started++;
    judge_worker(&sh);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    return atomic_load(&sh.failed) ? -1 : 0;
}

/* Rows for the selected metrics of a benchmark present in the current run
 * (BB: its baseline counterpart, NULL when new).  A row with samples on
 * both sides is appended unjudged and its job noted in JOBS. */
static int add_current(verdict_report *r, const results_bench *cb, const results_bench *bb,
                       const verdict_options *o, judge_jobs *jobs)
{
    int base_failed = bb && bb->status != RESULTS_OK;

    for (size_t m = 0; m < cb->nmetrics; m++) {
        const results_metric *cm = &cb->metrics[m];
        if (!metric_selected(o, cm->name) || !metric_usable(cm))
            continue;
        double floor;
        double t = verdict_threshold_for_metric(o, cb->name, cm->name, &floor);
        const results_metric *bm = (bb && !base_failed) ? results_find_metric(bb, cm->name) : NULL;
        if (!metric_usable(bm)) {
            verdict_row *row = verdict_add_row(r, cb->name, cm->name, cm->unit, cm->direction, VERDICT_NEW);
            if (!row)
                return -1;
            row->threshold = t;
            row->n_cur = cm->nsamples;
            row->cur_median = stats_median(cm->samples, cm->nsamples);
            if (base_failed && status_note(row, bb, "baseline ") != 0)
                return -1;
            else if (!base_failed && bb && verdict_row_set_note(row, "metric not in baseline") != 0)
                return -1;
            continue;
        }
        verdict_row *row = verdict_add_row(r, cb->name, cm->name, cm->unit, cm->direction,
                                   VERDICT_UNCHANGED);
        if (!row)
            return -1;
        judge_job job = { .row = r->nrows - 1, .bm = bm, .cm = cm, .threshold = t,
                          .floor = floor, .seed = verdict_row_seed(o->seed, cb->name, cm->name) };
        if (jobs_push(jobs, &job) != 0)
            return -1;
    }
    /* Metrics the baseline has and the current run lacks. */
    if (bb && !base_failed) {
        for (size_t m = 0; m < bb->nmetrics; m++) {
            const results_metric *bm = &bb->metrics[m];
            if (!metric_selected(o, bm->name) || !metric_usable(bm) ||
                metric_usable(results_find_metric(cb, bm->name)))
                continue;
            verdict_row *row = verdict_add_row(r, cb->name, bm->name, bm->unit, bm->direction,
                                       VERDICT_MISSING);
            if (!row)
                return -1;
            row->threshold = verdict_threshold_for_metric(o, cb->name, bm->name, NULL);
            row->n_base = bm->nsamples;
            row->base_median = stats_median(bm->samples, bm->nsamples);
            if (verdict_row_set_note(row, "metric not in current run") != 0)
                return -1;
        }
    }
    return 0;
}

static int add_missing(verdict_report *r, const results_bench *bb, const verdict_options *o)
{
    double t = verdict_threshold_for(o, bb->name);
    int any = 0;
    for (size_t m = 0; m < bb->nmetrics; m++) {
        const results_metric *bm = &bb->metrics[m];
        if (!metric_selected(o, bm->name) || !metric_usable(bm))
            continue;
        verdict_row *row = verdict_add_row(r, bb->name, bm->name, bm->unit, bm->direction,
                                   VERDICT_MISSING);
        if (!row)
            return -1;
        row->threshold = verdict_threshold_for_metric(o, bb->name, bm->name, NULL);
        row->n_base = bm->nsamples;
        row->base_median = stats_median(bm->samples, bm->nsamples);
        any = 1;
    }
    if (!any && bb->nmetrics == 0) {
        /* A benchmark that failed in the baseline and has no metrics. */
        verdict_row *row = verdict_add_row(r, bb->name, strcmp(o->metric, "all") ? o->metric : NULL,
                                   NULL, RESULTS_LOWER_IS_BETTER, VERDICT_MISSING);
        if (!row)
            return -1;
        row->threshold = t;
        if (bb->status != RESULTS_OK && status_note(row, bb, "baseline ") != 0)
            return -1;
    }
    return 0;
}

/* One row per family whose complexity both runs fit. */
static int add_complexity(verdict_report *r, const results_run *baseline,
                          const results_run *current, const verdict_options *o)
{
    complexity_fit *bf = NULL, *cf = NULL;
    size_t nb = 0, nc = 0;
    int rc = -1;
    char note[160];

    if (complexity_fit_run(baseline, "wall_time", &bf, &nb) != 0 ||
        complexity_fit_run(current, "wall_time", &cf, &nc) != 0)
        goto out;
    for (size_t i = 0; i < nc; i++) {
        const complexity_fit *c = &cf[i];
        const complexity_fit *b = complexity_find(bf, nb, c->family);
        if (!b)
            continue;
        bigo_verdict v = bigo_compare(&b->fit, &c->fit);
        verdict_kind kind = v == BIGO_WORSE      ? VERDICT_REGRESSED
                            : v == BIGO_BETTER   ? VERDICT_IMPROVED
                            : v == BIGO_SAME     ? VERDICT_UNCHANGED
                                                 : VERDICT_INCONCLUSIVE;
        verdict_row *row = verdict_add_row(r, c->family, VERDICT_COMPLEXITY_METRIC, NULL,
                                   RESULTS_LOWER_IS_BETTER, kind);
        if (!row)
            goto out;
        row->threshold = verdict_threshold_for(o, c->family);
        row->threshold_only = 1;
        row->n_base = b->npoints;
        row->n_cur = c->npoints;
        if (v == BIGO_SAME)
            snprintf(note, sizeof note, "%s (rms %.0f%% -> %.0f%%)", bigo_fit_name(&c->fit),
                     100 * b->fit.rms, 100 * c->fit.rms);
        else
            snprintf(note, sizeof note, "%s -> %s%s (rms %.0f%% -> %.0f%%)",
                     bigo_fit_name(&b->fit), bigo_fit_name(&c->fit),
                     v == BIGO_WORSE ? ": scaling regression" : "", 100 * b->fit.rms,
                     100 * c->fit.rms);
        if (verdict_row_set_note(row, note) != 0)
            goto out;
    }
    rc = 0;
out:
    complexity_fits_free(bf, nb);
    complexity_fits_free(cf, nc);
    return rc;
}

int verdict_compare(const results_run *baseline, const results_run *current,
                    const verdict_options *o, verdict_report *out)
{
    name_index bix = { NULL, 0 }, cix = { NULL, 0 };
    judge_jobs jobs = { NULL, 0, 0 };
    int rc = -1;

    out->threshold = o->threshold;
    out->alpha = o->alpha;
    out->fail_on_improvement = o->fail_on_improvement;
    if (results_set_str(&out->metric, o->metric) != 0)
        goto out;
    if (index_build(&bix, baseline) != 0 || index_build(&cix, current) != 0)
        goto out;

    for (size_t i = 0; i < current->nbenches; i++) {
        const results_bench *cb = &current->benches[i];
        const results_bench *bb = index_find(&bix, cb->name);
        int r2 = cb->status != RESULTS_OK ? add_failed(out, cb, bb, o)
                                          : add_current(out, cb, bb, o, &jobs);
        if (r2 != 0)
            goto out;
    }
    if (judge_jobs_run(out, &jobs, o) != 0)
        goto out;
    for (size_t i = 0; i < baseline->nbenches; i++) {
        const results_bench *bb = &baseline->benches[i];
        if (!index_find(&cix, bb->name) && add_missing(out, bb, o) != 0)
            goto out;
    }
    if (!o->no_complexity && metric_selected(o, "wall_time") &&
        add_complexity(out, baseline, current, o) != 0)
        goto out;
    verdict_recount(out);
    rc = 0;
out:
    free(bix.by_name);
    free(cix.by_name);
    free(jobs.v);
    if (rc != 0)
        verdict_report_release(out);
    return rc;
}
