/*
 * results.c - the results model and the perfcmp-results JSON format
 * (docs/results-format.md).  See results.h.
 *
 * Writing builds a cJSON tree; numbers are formatted here (shortest of
 * %.15g/%.16g/%.17g that reads back exactly, integers exactly) and added
 * as raw JSON, so every double survives a write/parse round trip.
 * Reading parses with cJSON and then validates every field, naming the
 * place of the first problem: "benchmarks[3].metrics[0].samples[5]: ...".
 */
#include "results.h"
#include "fdio.h"
#include "textpos.h"
#include "utf8.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <perfcmp.h>

/* Limits on what a file may hold (beyond them the file is refused). */
#define RESULTS_MAX_NAME 1024                  /* bytes of a name, unit or tag */
#define RESULTS_MAX_BENCHES ((size_t)1000000)
#define RESULTS_MAX_SAMPLES ((size_t)10000000)
#define RESULTS_MAX_METRICS ((size_t)1024)     /* per benchmark */
#define RESULTS_MAX_ARGS ((size_t)1024)
#define RESULTS_MAX_TAGS ((size_t)1024)
#define RESULTS_MAX_EXTRAS ((size_t)1024)

/* ------------------------------------------------------------------ */
/* Model                                                               */
/* ------------------------------------------------------------------ */

void results_run_init(results_run *run)
{
    if (run == NULL)
        return;
    memset(run, 0, sizeof *run);
    run->version = PERFCMP_RESULTS_VERSION;
    run->context.git_dirty = -1;
}

static void results_metric_release(results_metric *m)
{
    free(m->name);
    free(m->unit);
    free(m->samples);
    free(m->processes);
    memset(m, 0, sizeof *m);
}

static void results_bench_release(results_bench *b)
{
    free(b->name);
    free(b->family);
    free(b->args);
    for (size_t i = 0; i < b->ntags; i++)
        free(b->tags[i]);
    free(b->tags);
    free(b->error);
    for (size_t i = 0; i < b->nmetrics; i++)
        results_metric_release(&b->metrics[i]);
    free(b->metrics);
    memset(b, 0, sizeof *b);
}

/* Frees C's extras and marks them unknown. */
static void results_extras_clear(results_context *c)
{
    for (size_t i = 0; i < c->nextras; i++)
        free(c->extras[i]);
    free(c->extras);
    c->extras = NULL;
    c->nextras = 0;
    c->extras_known = 0;
}

static void results_context_release(results_context *c)
{
    free(c->timestamp);
    free(c->host);
    free(c->cpu_model);
    free(c->os);
    free(c->kernel);
    free(c->arch);
    free(c->compiler);
    free(c->cflags);
    free(c->library_version);
    free(c->binary_id);
    free(c->command);
    free(c->git_commit);
    free(c->git_branch);
    free(c->source_format);
    results_extras_clear(c);
}

void results_run_release(results_run *run)
{
    if (run == NULL)
        return;
    results_context_release(&run->context);
    for (size_t i = 0; i < run->nbenches; i++)
        results_bench_release(&run->benches[i]);
    free(run->benches);
    results_run_init(run);
}

static char *results_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

int results_context_add_extra(results_context *c, const char *extra)
{
    char *copy = results_strndup(extra, strlen(extra));
    char **grown = copy ? realloc(c->extras, (c->nextras + 1) * sizeof *grown) : NULL;
    if (grown == NULL) {
        free(copy);
        return -1;
    }
    c->extras = grown;
    c->extras[c->nextras++] = copy;
    c->extras_known = 1;
    return 0;
}

int results_format_time(time_t t, char *buf, size_t len)
{
    struct tm tm;
    if (len == 0)
        return -1;
    if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        buf[0] = '\0';
        return -1;
    }
    return 0;
}

int results_utc_now(char *buf, size_t len)
{
    return results_format_time(time(NULL), buf, len);
}

int results_set_str(char **dst, const char *str)
{
    char *copy = NULL;
    if (str != NULL) {
        copy = results_strndup(str, strlen(str));
        if (copy == NULL)
            return -1;
    }
    free(*dst);
    *dst = copy;
    return 0;
}

results_bench *results_add_bench(results_run *run, const char *name, const char *family)
{
    results_bench nb;
    memset(&nb, 0, sizeof nb);
    nb.status = RESULTS_OK;
    nb.name = results_strndup(name, strlen(name));
    if (family != NULL) {
        nb.family = results_strndup(family, strlen(family));
    } else {
        const char *slash = strchr(name, '/');
        /* "/x" has no family before its slash: the family is the whole name */
        nb.family = results_strndup(name, slash && slash != name ? (size_t)(slash - name)
                                                                 : strlen(name));
    }
    if (nb.name == NULL || nb.family == NULL)
        goto fail;
    /* Grow by one: callers (store, importers) may also have filled the
     * array with an exact-size allocation, so no hidden capacity is
     * assumed. */
    results_bench *grown = realloc(run->benches, (run->nbenches + 1) * sizeof *grown);
    if (grown == NULL)
        goto fail;
    run->benches = grown;
    grown[run->nbenches] = nb;
    return &grown[run->nbenches++];
fail:
    results_bench_release(&nb);
    return NULL;
}

results_metric *results_add_metric(results_bench *b, const char *name, const char *unit,
                                   results_direction dir, const double *samples,
                                   size_t nsamples)
{
    results_metric m;
    memset(&m, 0, sizeof m);
    m.direction = dir;
    m.name = results_strndup(name, strlen(name));
    m.unit = results_strndup(unit ? unit : "", unit ? strlen(unit) : 0);
    if (m.name == NULL || m.unit == NULL)
        goto fail;
    if (nsamples > 0) {
        m.samples = malloc(nsamples * sizeof *m.samples);
        if (m.samples == NULL)
            goto fail;
        memcpy(m.samples, samples, nsamples * sizeof *m.samples);
        m.nsamples = nsamples;
        if (stats_summarize(m.samples, m.nsamples, &m.summary) != 0)
            goto fail;
    }
    results_metric *grown = realloc(b->metrics, (b->nmetrics + 1) * sizeof *grown);
    if (grown == NULL)
        goto fail;
    b->metrics = grown;
    grown[b->nmetrics] = m;
    return &grown[b->nmetrics++];
fail:
    results_metric_release(&m);
    return NULL;
}

int results_metric_set_processes(results_metric *m, const size_t *counts, size_t n)
{
    size_t sum = 0, *copy = NULL;

    for (size_t i = 0; i < n; i++) {
        if (counts[i] == 0 || counts[i] > m->nsamples - sum) {
            errno = EINVAL;
            return -1;
        }
        sum += counts[i];
    }
    if (n > 0 && sum != m->nsamples) {
        errno = EINVAL;
        return -1;
    }
    if (n > 0) {
        if ((copy = malloc(n * sizeof *copy)) == NULL)
            return -1;
        memcpy(copy, counts, n * sizeof *copy);
    }
    free(m->processes);
    m->processes = copy;
    m->nprocesses = n;
    return 0;
}

int results_metric_append_process(results_metric *m, const double *samples, size_t n)
{
    size_t np = m->nprocesses ? m->nprocesses + 1 : m->nsamples ? 2 : 1;
    double *v = malloc((m->nsamples + n) * sizeof *v);
    size_t *p = malloc(np * sizeof *p);
    stats_summary sum;

    if (v == NULL || p == NULL)
        goto fail;
    if (m->nsamples)
        memcpy(v, m->samples, m->nsamples * sizeof *v);
    memcpy(v + m->nsamples, samples, n * sizeof *v);
    if (m->nprocesses)
        memcpy(p, m->processes, m->nprocesses * sizeof *p);
    else if (m->nsamples)
        p[0] = m->nsamples;
    p[np - 1] = n;
    if (stats_summarize(v, m->nsamples + n, &sum) != 0)
        goto fail;
    free(m->samples);
    free(m->processes);
    m->samples = v;
    m->processes = p;
    m->nsamples += n;
    m->nprocesses = np;
    m->summary = sum;
    return 0;
fail:
    free(v);
    free(p);
    return -1;
}

long results_merge_run(results_run *dst, const results_run *src)
{
    long merged = 0;
    for (size_t i = 0; i < dst->nbenches; i++) {
        results_bench *d = &dst->benches[i];
        const results_bench *s = results_find_bench(src, d->name);
        int took = 0;
        if (d->status != RESULTS_OK || s == NULL || s->status != RESULTS_OK)
            continue;
        for (size_t k = 0; k < d->nmetrics; k++) {
            const results_metric *sm = results_find_metric(s, d->metrics[k].name);
            if (sm == NULL || sm->nsamples == 0)
                continue;
            size_t whole = sm->nsamples;
            const size_t *groups = sm->nprocesses ? sm->processes : &whole;
            size_t ngroups = sm->nprocesses ? sm->nprocesses : 1, off = 0;
            for (size_t g = 0; g < ngroups; g++) {
                if (results_metric_append_process(&d->metrics[k], sm->samples + off,
                                                  groups[g]) != 0)
                    return -1;
                off += groups[g];
            }
            took = 1;
        }
        merged += took;
    }
    return merged;
}

size_t results_metric_process_count(const results_metric *m)
{
    return m->nprocesses ? m->nprocesses : m->nsamples ? 1 : 0;
}

results_metric *results_find_metric(const results_bench *b, const char *name)
{
    for (size_t i = 0; i < b->nmetrics; i++)
        if (b->metrics[i].name != NULL && strcmp(b->metrics[i].name, name) == 0)
            return &b->metrics[i];
    return NULL;
}

results_bench *results_find_bench(const results_run *run, const char *name)
{
    for (size_t i = 0; i < run->nbenches; i++)
        if (run->benches[i].name != NULL && strcmp(run->benches[i].name, name) == 0)
            return &run->benches[i];
    return NULL;
}

int results_finish(results_run *run)
{
    for (size_t i = 0; i < run->nbenches; i++) {
        results_bench *b = &run->benches[i];
        for (size_t j = 0; j < b->nmetrics; j++) {
            results_metric *m = &b->metrics[j];
            if (m->nsamples == 0) {
                memset(&m->summary, 0, sizeof m->summary);
                continue;
            }
            if (stats_summarize(m->samples, m->nsamples, &m->summary) != 0)
                return -1;
        }
    }
    return 0;
}

static const char *const results_status_names[] = {
    [RESULTS_OK] = "ok",
    [RESULTS_FAILED] = "failed",
    [RESULTS_CRASHED] = "crashed",
    [RESULTS_TIMEOUT] = "timeout",
};
#define RESULTS_NSTATUS (sizeof results_status_names / sizeof results_status_names[0])

const char *results_status_name(results_status s)
{
    if ((unsigned)s >= RESULTS_NSTATUS)
        return "unknown";
    return results_status_names[s];
}

int results_status_parse(const char *name)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < RESULTS_NSTATUS; i++)
        if (strcmp(name, results_status_names[i]) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

/* Formats D so that strtod gives D back; "null" when not finite. */
static void results_format_double(char *buf, size_t size, double d)
{
    if (!isfinite(d)) {
        snprintf(buf, size, "null");
        return;
    }
    if (d == 0.0) {
        snprintf(buf, size, signbit(d) ? "-0" : "0");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, d);
        /* a locale with a decimal comma: JSON wants a point */
        for (char *p = buf; *p; p++)
            if (*p == ',')
                *p = '.';
        if (strtod(buf, NULL) == d)
            break;
    }
}

/* A growable string, for the raw JSON of number arrays. */
typedef struct results_buf {
    char *data;
    size_t len, cap;
    int oom;
} results_buf;

static void results_buf_add(results_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Adds KEY: raw TEXT to OBJ; returns 0, -1 on ENOMEM. */
static int results_add_raw(cJSON *obj, const char *key, const char *text)
{
    cJSON *item = cJSON_CreateRaw(text);
    if (item == NULL)
        return -1;
    cJSON_AddItemToObject(obj, key, item);
    return 0;
}

static int results_add_double(cJSON *obj, const char *key, double d)
{
    char num[40];
    results_format_double(num, sizeof num, d);
    return results_add_raw(obj, key, num);
}

static int results_add_u64(cJSON *obj, const char *key, uint64_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v);
    return results_add_raw(obj, key, num);
}

static int results_add_i64(cJSON *obj, const char *key, long long v)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", v);
    return results_add_raw(obj, key, num);
}

/*
 * A JSON string item for STR.  Bytes that are not valid UTF-8 (a message
 * from a benchmark, a host name) become U+FFFD, so that what is written
 * can always be read back.  NULL on ENOMEM.
 */
static cJSON *results_json_string(const char *str)
{
    int ctrl;
    if (utf8_check(str, &ctrl) == 0)
        return cJSON_CreateString(str);
    size_t len = strlen(str);
    char *clean = malloc(len * 3 + 1);
    if (clean == NULL)
        return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)str;
    while (*p) {
        size_t take = utf8_seq_len(p);
        if (take == 0) {
            memcpy(clean + o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        } else {
            memcpy(clean + o, p, take);
            o += take;
            p += take;
        }
    }
    clean[o] = '\0';
    cJSON *item = cJSON_CreateString(clean);
    free(clean);
    return item;
}

/* Adds KEY: "STR" (or null when STR is NULL). */
static int results_add_string(cJSON *obj, const char *key, const char *str)
{
    cJSON *item = str ? results_json_string(str) : cJSON_CreateNull();
    if (item == NULL)
        return -1;
    cJSON_AddItemToObject(obj, key, item);
    return 0;
}

static int results_add_samples(cJSON *obj, const double *v, size_t n)
{
    results_buf b = { NULL, 0, 0, 0 };
    char num[40];
    results_buf_add(&b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            results_buf_add(&b, ", ", 2);
        results_format_double(num, sizeof num, v[i]);
        results_buf_add(&b, num, strlen(num));
    }
    results_buf_add(&b, "]", 1);
    int rc = b.oom ? -1 : results_add_raw(obj, "samples", b.data);
    free(b.data);
    return rc;
}

int results_context_extras_to_json(const results_context *c, cJSON *obj)
{
    if (!c->extras_known)
        return 0;
    cJSON *a = cJSON_CreateArray();
    if (a == NULL)
        return -1;
    for (size_t i = 0; i < c->nextras; i++) {
        cJSON *e = results_json_string(c->extras[i] ? c->extras[i] : "");
        if (e == NULL) {
            cJSON_Delete(a);
            return -1;
        }
        cJSON_AddItemToArray(a, e);
    }
    cJSON_AddItemToObject(obj, "extras", a);
    return 0;
}

static cJSON *results_context_json(const results_context *c)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    const struct { const char *key; const char *val; } strs[] = {
        { "timestamp", c->timestamp }, { "host", c->host },
        { "cpu_model", c->cpu_model },
    };
    const struct { const char *key; const char *val; } strs2[] = {
        { "os", c->os }, { "kernel", c->kernel }, { "arch", c->arch },
        { "compiler", c->compiler }, { "cflags", c->cflags },
        { "library_version", c->library_version }, { "command", c->command },
        { "source_format", c->source_format }, { "binary_id", c->binary_id },
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (strs[i].val != NULL && results_add_string(o, strs[i].key, strs[i].val) != 0)
            goto fail;
    if (results_add_i64(o, "cpu_count", c->cpu_count) != 0)
        goto fail;
    for (size_t i = 0; i < sizeof strs2 / sizeof strs2[0]; i++)
        if (strs2[i].val != NULL && results_add_string(o, strs2[i].key, strs2[i].val) != 0)
            goto fail;
    if (results_context_extras_to_json(c, o) != 0)
        goto fail;
    if (c->git_commit == NULL) {
        if (cJSON_AddNullToObject(o, "git") == NULL)
            goto fail;
    } else {
        cJSON *g = cJSON_AddObjectToObject(o, "git");
        if (g == NULL || results_add_string(g, "commit", c->git_commit) != 0 ||
            results_add_string(g, "branch", c->git_branch) != 0)
            goto fail;
        cJSON *d = c->git_dirty < 0 ? cJSON_CreateNull() : cJSON_CreateBool(c->git_dirty > 0);
        if (d == NULL)
            goto fail;
        cJSON_AddItemToObject(g, "dirty", d);
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static cJSON *results_metric_json(const results_metric *m)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    if (results_add_string(o, "name", m->name ? m->name : "") != 0 ||
        results_add_string(o, "unit", m->unit ? m->unit : "") != 0 ||
        results_add_string(o, "direction",
                           m->direction == RESULTS_HIGHER_IS_BETTER ? "higher" : "lower") != 0 ||
        results_add_samples(o, m->samples, m->nsamples) != 0)
        goto fail;
    if (m->nprocesses > 0) {
        cJSON *a = cJSON_AddArrayToObject(o, "processes");
        if (a == NULL)
            goto fail;
        for (size_t i = 0; i < m->nprocesses; i++) {
            cJSON *c = cJSON_CreateNumber((double)m->processes[i]);
            if (c == NULL)
                goto fail;
            cJSON_AddItemToArray(a, c);
        }
    }
    cJSON *s = cJSON_AddObjectToObject(o, "summary");
    const stats_summary *y = &m->summary;
    if (s == NULL || results_add_u64(s, "n", y->n) != 0 ||
        results_add_double(s, "min", y->min) != 0 ||
        results_add_double(s, "max", y->max) != 0 ||
        results_add_double(s, "mean", y->mean) != 0 ||
        results_add_double(s, "stddev", y->stddev) != 0 ||
        results_add_double(s, "median", y->median) != 0 ||
        results_add_double(s, "mad", y->mad) != 0 ||
        results_add_double(s, "p90", y->p90) != 0 ||
        results_add_double(s, "p99", y->p99) != 0 ||
        results_add_double(s, "ci_low", y->ci_low) != 0 ||
        results_add_double(s, "ci_high", y->ci_high) != 0)
        goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static cJSON *results_bench_json(const results_bench *b)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    if (results_add_string(o, "name", b->name ? b->name : "") != 0 ||
        results_add_string(o, "family", b->family ? b->family : "") != 0)
        goto fail;
    cJSON *args = cJSON_AddArrayToObject(o, "args");
    if (args == NULL)
        goto fail;
    for (size_t i = 0; i < b->nargs; i++) {
        char num[32];
        snprintf(num, sizeof num, "%lld", b->args[i]);
        cJSON *a = cJSON_CreateRaw(num);
        if (a == NULL)
            goto fail;
        cJSON_AddItemToArray(args, a);
    }
    cJSON *tags = cJSON_AddArrayToObject(o, "tags");
    if (tags == NULL)
        goto fail;
    for (size_t i = 0; i < b->ntags; i++) {
        cJSON *t = results_json_string(b->tags[i] ? b->tags[i] : "");
        if (t == NULL)
            goto fail;
        cJSON_AddItemToArray(tags, t);
    }
    if (results_add_string(o, "status", results_status_name(b->status)) != 0)
        goto fail;
    if ((b->error != NULL || b->status != RESULTS_OK) &&
        results_add_string(o, "error", b->error ? b->error : "") != 0)
        goto fail;
    if (results_add_u64(o, "iterations", b->iterations) != 0)
        goto fail;
    cJSON *metrics = cJSON_AddArrayToObject(o, "metrics");
    if (metrics == NULL)
        goto fail;
    for (size_t i = 0; i < b->nmetrics; i++) {
        cJSON *m = results_metric_json(&b->metrics[i]);
        if (m == NULL)
            goto fail;
        cJSON_AddItemToArray(metrics, m);
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

char *results_to_json(const results_run *run)
{
    char *out = NULL;
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    if (results_add_string(root, "schema", PERFCMP_RESULTS_SCHEMA) != 0 ||
        results_add_i64(root, "version", PERFCMP_RESULTS_VERSION) != 0)
        goto out;
    cJSON *ctx = results_context_json(&run->context);
    if (ctx == NULL)
        goto out;
    cJSON_AddItemToObject(root, "context", ctx);
    cJSON *benches = cJSON_AddArrayToObject(root, "benchmarks");
    if (benches == NULL)
        goto out;
    for (size_t i = 0; i < run->nbenches; i++) {
        cJSON *b = results_bench_json(&run->benches[i]);
        if (b == NULL)
            goto out;
        cJSON_AddItemToArray(benches, b);
    }
    out = cJSON_Print(root);
    if (out != NULL) {
        /* end the file with a newline, as text files do */
        size_t len = strlen(out);
        char *grown = realloc(out, len + 2);
        if (grown == NULL) {
            cJSON_free(out);
            out = NULL;
            goto out;
        }
        out = grown;
        out[len] = '\n';
        out[len + 1] = '\0';
    }
out:
    cJSON_Delete(root);
    return out;
}

static int results_write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int results_write_file(const results_run *run, const char *path)
{
    int rc = -1, fd = -1, saved;
    char *json = NULL, *tmp = NULL;
    static unsigned counter;

    json = results_to_json(run);
    if (json == NULL) {
        errno = ENOMEM;
        goto out;
    }
    if (fdio_in_place(path)) {   /* /dev/null, a FIFO, a symlink */
        rc = fdio_write_in_place(path, json, strlen(json));
        goto out;
    }
    size_t tlen = strlen(path) + 64;
    tmp = malloc(tlen);
    if (tmp == NULL)
        goto out;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, tlen, "%s.tmp.%ld.%u", path, (long)getpid(), counter++);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            goto out;
    }
    if (fd < 0)
        goto out;
    if (results_write_all(fd, json, strlen(json)) != 0 || fsync(fd) != 0)
        goto fail_unlink;
    if (close(fd) != 0) {
        fd = -1;
        goto fail_unlink;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail_unlink;
    rc = 0;
    goto out;
fail_unlink:
    saved = errno;
    if (fd >= 0)
        close(fd);
    fd = -1;
    unlink(tmp);
    errno = saved;
out:
    saved = errno;
    if (fd >= 0)
        close(fd);
    free(tmp);
    cJSON_free(json);
    errno = saved;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

typedef struct results_reader {
    char *err;
    size_t errlen;
    char path[128];              /* place being read: "benchmarks[3].metrics[0]" */
    int version;                 /* of the file being read */
} results_reader;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static int results_fail(results_reader *r, const char *fmt, ...)
{
    va_list ap;
    if (r->err != NULL && r->errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(r->err, r->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Number of items of an array, counted without cJSON's int limit; stops
 * counting past LIMIT. */
static size_t results_array_len(const cJSON *arr, size_t limit)
{
    size_t n = 0;
    for (const cJSON *it = arr->child; it != NULL && n <= limit; it = it->next)
        n++;
    return n;
}

enum { RESULTS_TEXT = 0, RESULTS_NAME = 1, RESULTS_NONEMPTY = 2 };

/*
 * Reads string ITEM (at PLACE.KEY) into *OUT (malloc'd).  FLAGS: RESULTS_NAME
 * (no control characters, at most RESULTS_MAX_NAME bytes), RESULTS_NONEMPTY.
 * With NULLOK, JSON null gives *OUT = NULL.
 */
static int results_read_string(results_reader *r, const cJSON *item, const char *place,
                               const char *key, int flags, int nullok, char **out)
{
    const char *sep = place[0] && key[0] ? "." : "";
    if (nullok && cJSON_IsNull(item)) {
        free(*out);
        *out = NULL;
        return 0;
    }
    if (!cJSON_IsString(item) || item->valuestring == NULL ||
        ((flags & RESULTS_NONEMPTY) && item->valuestring[0] == '\0'))
        return results_fail(r, "%s%s%s: expected a %sstring%s", place, sep, key,
                            (flags & RESULTS_NONEMPTY) ? "non-empty " : "",
                            nullok ? " or null" : "");
    const char *s = item->valuestring;
    int ctrl;
    if (utf8_check(s, &ctrl) != 0)
        return results_fail(r, "%s%s%s: not valid UTF-8", place, sep, key);
    if (flags & RESULTS_NAME) {
        if (ctrl)
            return results_fail(r, "%s%s%s: contains a control character", place, sep, key);
        if (strlen(s) > RESULTS_MAX_NAME)
            return results_fail(r, "%s%s%s: longer than %d bytes", place, sep, key,
                                RESULTS_MAX_NAME);
    }
    char *copy = results_strndup(s, strlen(s));
    if (copy == NULL)
        return results_fail(r, "out of memory");
    free(*out);
    *out = copy;
    return 0;
}

/* Reads an integral number in [LO, HI] (both exactly representable). */
static int results_read_integer(results_reader *r, const cJSON *item, const char *place,
                                const char *key, double lo, double hi, double *out)
{
    const char *sep = place[0] && key[0] ? "." : "";
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) ||
        item->valuedouble != floor(item->valuedouble))
        return results_fail(r, "%s%s%s: expected an integer", place, sep, key);
    double v = item->valuedouble;
    if (v < lo || v > hi)
        return results_fail(r, "%s%s%s: %.15g is out of range", place, sep, key, v);
    *out = v;
    return 0;
}

static const cJSON *results_get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Reads "extras" item IT (may be NULL: absent) into C, replacing C's
 * extras; absent or null leaves them unknown. */
static int results_read_extras(results_reader *r, const cJSON *it, results_context *c)
{
    results_extras_clear(c);
    if (it == NULL || cJSON_IsNull(it))
        return 0;
    if (!cJSON_IsArray(it))
        return results_fail(r, "context.extras: expected an array of strings");
    size_t n = results_array_len(it, RESULTS_MAX_EXTRAS);
    if (n > RESULTS_MAX_EXTRAS)
        return results_fail(r, "context.extras: more than %zu entries", RESULTS_MAX_EXTRAS);
    if (n > 0 && (c->extras = calloc(n, sizeof *c->extras)) == NULL)
        return results_fail(r, "out of memory");
    size_t i = 0;
    for (const cJSON *e = it->child; e != NULL; e = e->next, i++) {
        char sub[64];
        snprintf(sub, sizeof sub, "context.extras[%zu]", i);
        c->nextras = i + 1;   /* so that release frees what was read */
        if (results_read_string(r, e, sub, "", RESULTS_NAME | RESULTS_NONEMPTY, 0,
                                &c->extras[i]) != 0)
            return -1;
    }
    c->extras_known = 1;
    return 0;
}

int results_context_extras_from_json(const cJSON *obj, results_context *c)
{
    results_reader r = { NULL, 0, "", PERFCMP_RESULTS_VERSION };
    const cJSON *it = cJSON_IsObject(obj) ? results_get(obj, "extras") : NULL;
    if (results_read_extras(&r, it, c) != 0) {
        results_extras_clear(c);
        return -1;
    }
    return 0;
}

static int results_read_context(results_reader *r, const cJSON *ctx, results_context *c)
{
    if (ctx == NULL || cJSON_IsNull(ctx))
        return 0;
    if (!cJSON_IsObject(ctx))
        return results_fail(r, "context: expected an object");
    const struct { const char *key; char **dst; } strs[] = {
        { "timestamp", &c->timestamp }, { "host", &c->host },
        { "cpu_model", &c->cpu_model }, { "os", &c->os },
        { "kernel", &c->kernel }, { "arch", &c->arch },
        { "compiler", &c->compiler }, { "cflags", &c->cflags },
        { "library_version", &c->library_version }, { "command", &c->command },
        { "source_format", &c->source_format }, { "binary_id", &c->binary_id },
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        const cJSON *it = results_get(ctx, strs[i].key);
        if (it != NULL &&
            results_read_string(r, it, "context", strs[i].key, RESULTS_TEXT, 1, strs[i].dst) != 0)
            return -1;
    }
    const cJSON *it = results_get(ctx, "cpu_count");
    if (it != NULL && !cJSON_IsNull(it)) {
        double v;
        if (results_read_integer(r, it, "context", "cpu_count", 0, INT_MAX, &v) != 0)
            return -1;
        c->cpu_count = (int)v;
    }
    const cJSON *git = results_get(ctx, "git");
    if (git != NULL && !cJSON_IsNull(git)) {
        if (!cJSON_IsObject(git))
            return results_fail(r, "context.git: expected an object or null");
        if (results_read_string(r, results_get(git, "commit"), "context.git", "commit",
                                RESULTS_NAME | RESULTS_NONEMPTY, 0, &c->git_commit) != 0)
            return -1;
        it = results_get(git, "branch");
        if (it != NULL &&
            results_read_string(r, it, "context.git", "branch", RESULTS_NAME, 1,
                                &c->git_branch) != 0)
            return -1;
        it = results_get(git, "dirty");
        if (it == NULL || cJSON_IsNull(it))
            c->git_dirty = -1;
        else if (cJSON_IsBool(it))
            c->git_dirty = cJSON_IsTrue(it) ? 1 : 0;
        else
            return results_fail(r, "context.git.dirty: expected true, false or null");
    }
    return results_read_extras(r, results_get(ctx, "extras"), c);
}

/* The standard metrics, whose values are never negative. */
static int results_nonnegative_metric(const char *name, const char *unit)
{
    static const char *const units[] = { "ns", "bytes", "B/s", "items/s" };
    static const char *const names[] = {
        "wall_time", "cpu_time", "peak_rss", "bytes_per_second", "items_per_second",
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

static int results_read_metric(results_reader *r, const cJSON *o, const char *place,
                               results_metric *m)
{
    if (!cJSON_IsObject(o))
        return results_fail(r, "%s: expected an object", place);
    static const char *const required[] = { "name", "unit", "direction", "samples" };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (results_get(o, required[i]) == NULL)
            return results_fail(r, "%s: missing \"%s\"", place, required[i]);
    if (results_read_string(r, results_get(o, "name"), place, "name",
                            RESULTS_NAME | RESULTS_NONEMPTY, 0, &m->name) != 0 ||
        results_read_string(r, results_get(o, "unit"), place, "unit", RESULTS_NAME, 0,
                            &m->unit) != 0)
        return -1;
    const cJSON *dir = results_get(o, "direction");
    if (cJSON_IsString(dir) && strcmp(dir->valuestring, "lower") == 0)
        m->direction = RESULTS_LOWER_IS_BETTER;
    else if (cJSON_IsString(dir) && strcmp(dir->valuestring, "higher") == 0)
        m->direction = RESULTS_HIGHER_IS_BETTER;
    else
        return results_fail(r, "%s.direction: expected \"lower\" or \"higher\"", place);

    const cJSON *samples = results_get(o, "samples");
    if (!cJSON_IsArray(samples))
        return results_fail(r, "%s.samples: expected an array of numbers", place);
    size_t n = results_array_len(samples, RESULTS_MAX_SAMPLES);
    if (n == 0)
        return results_fail(r, "%s.samples: expected at least one sample", place);
    if (n > RESULTS_MAX_SAMPLES)
        return results_fail(r, "%s.samples: more than %zu samples", place,
                            RESULTS_MAX_SAMPLES);
    m->samples = malloc(n * sizeof *m->samples);
    if (m->samples == NULL)
        return results_fail(r, "out of memory");
    int nonneg = results_nonnegative_metric(m->name, m->unit);
    size_t i = 0;
    for (const cJSON *it = samples->child; it != NULL; it = it->next, i++) {
        if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
            return results_fail(r, "%s.samples[%zu]: expected a finite number", place, i);
        if (nonneg && it->valuedouble < 0.0)
            return results_fail(r, "%s.samples[%zu]: negative value %.17g for a metric in %s",
                                place, i, it->valuedouble, m->unit);
        m->samples[i] = it->valuedouble;
    }
    m->nsamples = n;
    /* Version 2: how many of the samples each process took, in order. */
    const cJSON *procs = r->version >= 2 ? results_get(o, "processes") : NULL;
    if (procs != NULL && !cJSON_IsNull(procs)) {
        size_t np = cJSON_IsArray(procs) ? results_array_len(procs, n + 1) : 0;
        if (!cJSON_IsArray(procs) || np == 0 || np > n)
            return results_fail(r, "%s.processes: expected an array of 1 to %zu counts", place, n);
        size_t *counts = malloc(np * sizeof *counts), k = 0;
        if (counts == NULL)
            return results_fail(r, "out of memory");
        for (const cJSON *it = procs->child; it != NULL; it = it->next, k++) {
            if (!cJSON_IsNumber(it) || !(it->valuedouble >= 1) ||
                it->valuedouble != floor(it->valuedouble) || it->valuedouble > (double)n) {
                free(counts);
                return results_fail(r, "%s.processes[%zu]: expected a whole number of samples, "
                                    "at least 1", place, k);
            }
            counts[k] = (size_t)it->valuedouble;
        }
        int rc = results_metric_set_processes(m, counts, np);
        int e = errno;
        free(counts);
        if (rc != 0)
            return e == EINVAL
                       ? results_fail(r, "%s.processes: the counts do not add up to the %zu samples",
                                      place, n)
                       : results_fail(r, "out of memory");
    }
    /* "summary" is recomputed from the samples, so it is not read. */
    if (stats_summarize(m->samples, m->nsamples, &m->summary) != 0)
        return results_fail(r, "out of memory");
    return 0;
}

static int results_read_bench(results_reader *r, const cJSON *o, size_t idx, results_bench *b)
{
    char place[64];
    snprintf(place, sizeof place, "benchmarks[%zu]", idx);
    if (!cJSON_IsObject(o))
        return results_fail(r, "%s: expected an object", place);
    const cJSON *it = results_get(o, "name");
    if (it == NULL)
        return results_fail(r, "%s: missing \"name\"", place);
    if (results_read_string(r, it, place, "name", RESULTS_NAME | RESULTS_NONEMPTY, 0,
                            &b->name) != 0)
        return -1;

    it = results_get(o, "family");
    if (it != NULL) {
        if (results_read_string(r, it, place, "family", RESULTS_NAME | RESULTS_NONEMPTY, 0,
                                &b->family) != 0)
            return -1;
    } else {
        const char *slash = strchr(b->name, '/');
        b->family = results_strndup(b->name, slash && slash != b->name
                                                 ? (size_t)(slash - b->name)
                                                 : strlen(b->name));
        if (b->family == NULL)
            return results_fail(r, "out of memory");
    }

    it = results_get(o, "args");
    if (it != NULL) {
        if (!cJSON_IsArray(it))
            return results_fail(r, "%s.args: expected an array of integers", place);
        size_t n = results_array_len(it, RESULTS_MAX_ARGS);
        if (n > RESULTS_MAX_ARGS)
            return results_fail(r, "%s.args: more than %zu arguments", place,
                                RESULTS_MAX_ARGS);
        if (n > 0) {
            b->args = calloc(n, sizeof *b->args);
            if (b->args == NULL)
                return results_fail(r, "out of memory");
        }
        size_t i = 0;
        for (const cJSON *a = it->child; a != NULL; a = a->next, i++) {
            char sub[96];
            double v;
            snprintf(sub, sizeof sub, "%s.args[%zu]", place, i);
            /* -2^63 .. 2^63, which is what LLONG_MAX reads back as */
            if (results_read_integer(r, a, sub, "", -9223372036854775808.0,
                                     9223372036854775808.0, &v) != 0)
                return -1;
            b->args[i] = v >= 9223372036854775808.0 ? LLONG_MAX : (long long)v;
        }
        b->nargs = n;
    }

    it = results_get(o, "tags");
    if (it != NULL) {
        if (!cJSON_IsArray(it))
            return results_fail(r, "%s.tags: expected an array of strings", place);
        size_t n = results_array_len(it, RESULTS_MAX_TAGS);
        if (n > RESULTS_MAX_TAGS)
            return results_fail(r, "%s.tags: more than %zu tags", place, RESULTS_MAX_TAGS);
        if (n > 0) {
            b->tags = calloc(n, sizeof *b->tags);
            if (b->tags == NULL)
                return results_fail(r, "out of memory");
        }
        size_t i = 0;
        for (const cJSON *t = it->child; t != NULL; t = t->next, i++) {
            char sub[96];
            snprintf(sub, sizeof sub, "%s.tags[%zu]", place, i);
            b->ntags = i + 1;   /* so that release frees what was read */
            if (results_read_string(r, t, sub, "", RESULTS_NAME | RESULTS_NONEMPTY, 0,
                                    &b->tags[i]) != 0)
                return -1;
        }
    }

    it = results_get(o, "status");
    b->status = RESULTS_OK;
    if (it != NULL) {
        int s = cJSON_IsString(it) ? results_status_parse(it->valuestring) : -1;
        if (s < 0)
            return results_fail(r, "%s.status: expected \"ok\", \"failed\", \"crashed\" "
                                "or \"timeout\"", place);
        b->status = (results_status)s;
    }

    it = results_get(o, "error");
    if (it != NULL && results_read_string(r, it, place, "error", RESULTS_TEXT, 1, &b->error) != 0)
        return -1;

    it = results_get(o, "iterations");
    if (it != NULL && !cJSON_IsNull(it)) {
        double v;
        /* up to 2^64, which is what UINT64_MAX reads back as */
        if (results_read_integer(r, it, place, "iterations", 0, 18446744073709551616.0, &v) != 0)
            return -1;
        b->iterations = v >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)v;
    }

    it = results_get(o, "metrics");
    if (it == NULL)
        return results_fail(r, "%s: missing \"metrics\"", place);
    if (!cJSON_IsArray(it))
        return results_fail(r, "%s.metrics: expected an array", place);
    size_t n = results_array_len(it, RESULTS_MAX_METRICS);
    if (n > RESULTS_MAX_METRICS)
        return results_fail(r, "%s.metrics: more than %zu metrics", place, RESULTS_MAX_METRICS);
    if (n > 0) {
        b->metrics = calloc(n, sizeof *b->metrics);
        if (b->metrics == NULL)
            return results_fail(r, "out of memory");
    }
    size_t i = 0;
    for (const cJSON *m = it->child; m != NULL; m = m->next, i++) {
        char sub[96];
        snprintf(sub, sizeof sub, "%s.metrics[%zu]", place, i);
        b->nmetrics = i + 1;
        if (results_read_metric(r, m, sub, &b->metrics[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(b->metrics[j].name, b->metrics[i].name) == 0)
                return results_fail(r, "%s: duplicate metric name '%s'", place,
                                    b->metrics[i].name);
    }
    return 0;
}

/* FNV-1a */
static uint64_t results_hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* Fails on the first benchmark name seen twice (open-addressing set). */
static int results_check_unique(results_reader *r, const results_run *run)
{
    size_t cap = 16;
    while (cap < run->nbenches * 2)
        cap *= 2;
    const char **set = calloc(cap, sizeof *set);
    if (set == NULL)
        return results_fail(r, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < run->nbenches && rc == 0; i++) {
        const char *name = run->benches[i].name;
        size_t h = (size_t)results_hash(name) & (cap - 1);
        while (set[h] != NULL) {
            if (strcmp(set[h], name) == 0) {
                rc = results_fail(r, "duplicate benchmark name '%s'", name);
                break;
            }
            h = (h + 1) & (cap - 1);
        }
        set[h] = name;
    }
    free(set);
    return rc;
}

static int results_read_run(results_reader *r, const cJSON *root, results_run *run)
{
    if (!cJSON_IsObject(root))
        return results_fail(r, "not a perfcmp-results file (the top level is not an object)");
    const cJSON *schema = results_get(root, "schema");
    if (schema == NULL)
        return results_fail(r, "not a perfcmp-results file (missing \"schema\")");
    if (!cJSON_IsString(schema))
        return results_fail(r, "not a perfcmp-results file (\"schema\" is not a string)");
    if (strcmp(schema->valuestring, PERFCMP_RESULTS_SCHEMA) != 0) {
        int ctrl;
        if (utf8_check(schema->valuestring, &ctrl) != 0 || ctrl ||
            strlen(schema->valuestring) > 64)
            return results_fail(r, "not a perfcmp-results file (unknown schema)");
        return results_fail(r, "not a perfcmp-results file (schema '%s')",
                            schema->valuestring);
    }
    const cJSON *version = results_get(root, "version");
    if (version == NULL)
        return results_fail(r, "missing \"version\"");
    if (!cJSON_IsNumber(version) || !isfinite(version->valuedouble) ||
        version->valuedouble != floor(version->valuedouble))
        return results_fail(r, "version: expected an integer");
    if (version->valuedouble < 1 || version->valuedouble > PERFCMP_RESULTS_VERSION)
        return results_fail(r, "unsupported schema version %.17g (this perfcmp reads versions 1 to %d)",
                            version->valuedouble, PERFCMP_RESULTS_VERSION);
    r->version = (int)version->valuedouble;
    run->version = r->version;

    if (results_read_context(r, results_get(root, "context"), &run->context) != 0)
        return -1;
    if (run->context.source_format == NULL &&
        results_set_str(&run->context.source_format, PERFCMP_RESULTS_SCHEMA) != 0)
        return results_fail(r, "out of memory");

    /* "baseline" and unknown keys are not ours to read here. */
    const cJSON *benches = results_get(root, "benchmarks");
    if (benches == NULL)
        return results_fail(r, "missing \"benchmarks\"");
    if (!cJSON_IsArray(benches))
        return results_fail(r, "benchmarks: expected an array");
    size_t n = results_array_len(benches, RESULTS_MAX_BENCHES);
    if (n > RESULTS_MAX_BENCHES)
        return results_fail(r, "benchmarks: more than %zu benchmarks", RESULTS_MAX_BENCHES);
    if (n > 0) {
        run->benches = calloc(n, sizeof *run->benches);
        if (run->benches == NULL)
            return results_fail(r, "out of memory");
    }
    size_t i = 0;
    for (const cJSON *b = benches->child; b != NULL; b = b->next, i++) {
        run->nbenches = i + 1;
        if (results_read_bench(r, b, i, &run->benches[i]) != 0)
            return -1;
    }
    return results_check_unique(r, run);
}

/*
 * cJSON copies raw control characters inside strings (JSON forbids them)
 * and decodes \u0000 into a NUL that would silently cut a name short;
 * both are refused here, before parsing.  Returns 0, or -1 with *POS at the
 * offending byte and *WHAT saying what it is.
 */
static int results_prescan(const char *text, size_t len, size_t *pos, const char **what)
{
    int in_str = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 && (in_str || (c != ' ' && c != '\t' && c != '\n' && c != '\r'))) {
            *pos = i;
            *what = in_str ? "control character in a string" : "control character";
            return -1;
        }
        if (!in_str) {
            if (c == '"')
                in_str = 1;
        } else if (c == '\\') {
            if (i + 5 < len && text[i + 1] == 'u' && memcmp(text + i + 2, "0000", 4) == 0) {
                *pos = i;
                *what = "\\u0000 in a string";
                return -1;
            }
            i++;
        } else if (c == '"') {
            in_str = 0;
        }
    }
    return 0;
}

/* "invalid JSON near byte POS (line L, column C)", then ": WHAT" if given;
 * bytes count from 0, lines and columns (in bytes) from 1. */
static void results_json_error(results_reader *r, const char *text, size_t pos,
                               const char *what)
{
    size_t line, col;
    textpos_line_col(text, pos, &line, &col);
    results_fail(r, "invalid JSON near byte %zu (line %zu, column %zu)%s%s", pos, line, col,
                 what ? ": " : "", what ? what : "");
}

int results_parse(const char *text, size_t len, results_run *run, char *err, size_t errlen)
{
    results_reader r = { err, errlen, "", PERFCMP_RESULTS_VERSION };
    cJSON *root = NULL;
    int rc = -1;

    if (err != NULL && errlen > 0)
        err[0] = '\0';
    size_t start = 0;
    while (start < len && (text[start] == ' ' || text[start] == '\t' ||
                           text[start] == '\n' || text[start] == '\r'))
        start++;
    if (start == len) {
        results_fail(&r, "empty file");
        goto out;
    }
    if (len >= 2 && (((unsigned char)text[0] == 0xff && (unsigned char)text[1] == 0xfe) ||
                     ((unsigned char)text[0] == 0xfe && (unsigned char)text[1] == 0xff))) {
        results_fail(&r, "not UTF-8 (the file is UTF-16)");
        goto out;
    }
    size_t bad;
    const char *what;
    if (results_prescan(text, len, &bad, &what) != 0) {
        results_json_error(&r, text, bad, what);
        goto out;
    }
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL) {
        size_t pos = end != NULL && end >= text ? (size_t)(end - text) : 0;
        results_json_error(&r, text, pos, NULL);
        goto out;
    }
    /* cJSON stops after the first value: anything but blanks after it is an error */
    size_t pos = end != NULL ? (size_t)(end - text) : len;
    while (pos < len && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' ||
                         text[pos] == '\r'))
        pos++;
    if (pos < len) {
        results_json_error(&r, text, pos, "data after the end");
        goto out;
    }
    if (results_read_run(&r, root, run) != 0)
        goto out;
    rc = 0;
out:
    cJSON_Delete(root);
    if (rc != 0)
        results_run_release(run);
    return rc;
}

/* One name checked as results_read_string checks RESULTS_NAME strings. */
static const char *results_name_problem(const char *s, int nonempty)
{
    int ctrl;
    if (s == NULL || (nonempty && s[0] == '\0'))
        return nonempty ? "expected a non-empty string" : NULL;
    if (utf8_check(s, &ctrl) != 0)
        return "not valid UTF-8";
    if (ctrl)
        return "contains a control character";
    if (strlen(s) > RESULTS_MAX_NAME)
        return "longer than 1024 bytes";
    return NULL;
}

static int results_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int results_validate(const results_run *run, char *err, size_t errlen)
{
    const char *why;
    char **names = NULL;
    int rc = -1;

    for (size_t i = 0; i < run->nbenches; i++) {
        const results_bench *b = &run->benches[i];
        if ((why = results_name_problem(b->name, 1)) != NULL) {
            snprintf(err, errlen, "benchmarks[%zu].name: %s", i, why);
            goto out;
        }
        if ((why = results_name_problem(b->family, 1)) != NULL) {
            snprintf(err, errlen, "benchmarks[%zu].family: %s", i, why);
            goto out;
        }
        for (size_t t = 0; t < b->ntags; t++) {
            if ((why = results_name_problem(b->tags[t], 1)) != NULL) {
                snprintf(err, errlen, "benchmarks[%zu].tags[%zu]: %s", i, t, why);
                goto out;
            }
        }
        for (size_t m = 0; m < b->nmetrics; m++) {
            const results_metric *me = &b->metrics[m];
            if ((why = results_name_problem(me->name, 1)) != NULL) {
                snprintf(err, errlen, "benchmark '%s': metric %zu name: %s", b->name, m, why);
                goto out;
            }
            if ((why = results_name_problem(me->unit, 0)) != NULL) {
                snprintf(err, errlen, "benchmark '%s': metric '%s' unit: %s", b->name,
                         me->name, why);
                goto out;
            }
            for (size_t k = 0; k < m; k++) {
                if (!strcmp(b->metrics[k].name, me->name)) {
                    snprintf(err, errlen, "benchmark '%s': duplicate metric name '%s'",
                             b->name, me->name);
                    goto out;
                }
            }
        }
    }
    if (run->nbenches > 1) {
        names = malloc(run->nbenches * sizeof *names);
        if (names == NULL) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < run->nbenches; i++)
            names[i] = run->benches[i].name;
        qsort(names, run->nbenches, sizeof *names, results_cmp_str);
        for (size_t i = 1; i < run->nbenches; i++) {
            if (!strcmp(names[i - 1], names[i])) {
                snprintf(err, errlen, "duplicate benchmark name '%s'", names[i]);
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(names);
    return rc;
}
