/*
 * registry.c - benchmark definitions registered by PERFCMP_BENCH, and
 * their expansion into instances.
 */
#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static perfcmp_bench_def *registry_head;

/* Definitions order: file, then line, then name. */
static int registry_before(const perfcmp_bench_def *a, const perfcmp_bench_def *b)
{
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c == 0)
        c = (a->line > b->line) - (a->line < b->line);
    if (c == 0)
        c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    return c < 0;
}

PERFCMP_API void perfcmp_register(perfcmp_bench_def *def)
{
    perfcmp_bench_def **pp = &registry_head;

    if (!def)
        return;
    for (perfcmp_bench_def *d = registry_head; d; d = d->next_)
        if (d == def)
            return;
    while (*pp && !registry_before(def, *pp))
        pp = &(*pp)->next_;
    def->next_ = *pp;
    *pp = def;
}

const perfcmp_bench_def *registry_first(void)
{
    return registry_head;
}

void registry_clear(void)
{
    registry_head = NULL;
}

void registry_free_tags(char **tags, size_t n)
{
    if (!tags)
        return;
    for (size_t i = 0; i < n; i++)
        free(tags[i]);
    free(tags);
}

int registry_split_tags(const char *tags, char ***out, size_t *n)
{
    const char *sep = " ,\t\n";
    size_t count = 0, k = 0;
    const char *p;
    char **v = NULL;

    *out = NULL;
    *n = 0;
    if (!tags)
        return 0;
    for (p = tags; *p;) {
        p += strspn(p, sep);
        if (!*p)
            break;
        count++;
        p += strcspn(p, sep);
    }
    if (count == 0)
        return 0;
    v = calloc(count, sizeof *v);
    if (!v)
        return -1;
    for (p = tags; *p && k < count;) {
        p += strspn(p, sep);
        size_t len = strcspn(p, sep);
        v[k] = malloc(len + 1);
        if (!v[k]) {
            registry_free_tags(v, k);
            return -1;
        }
        memcpy(v[k], p, len);
        v[k][len] = '\0';
        k++;
        p += len;
    }
    *out = v;
    *n = count;
    return 0;
}

static int registry_spec_empty(const perfcmp_arg_spec *s)
{
    return !s->list && s->nlist == 0 && s->lo == 0 && s->hi == 0 && s->mult == 0;
}

long long registry_dimension(const perfcmp_arg_spec *spec, long long *vals, size_t max,
                             char *err, size_t errlen)
{
    size_t n = 0;

    if (registry_spec_empty(spec))
        return 0;
    if (spec->list || spec->nlist) {
        if (!spec->list || spec->nlist == 0) {
            snprintf(err, errlen, "empty PERFCMP_LIST");
            return -1;
        }
        if (spec->nlist > max) {
            snprintf(err, errlen, "PERFCMP_LIST has more than %zu values", max);
            return -1;
        }
        memcpy(vals, spec->list, spec->nlist * sizeof *vals);
        return (long long)spec->nlist;
    }
    if (spec->lo < 1 || spec->hi < spec->lo || spec->mult < 2) {
        snprintf(err, errlen,
                 "invalid PERFCMP_RANGE(%lld, %lld, %lld): needs 1 <= lo <= hi and mult >= 2",
                 spec->lo, spec->hi, spec->mult);
        return -1;
    }
    for (long long v = spec->lo;;) {
        if (n == max) {
            snprintf(err, errlen, "PERFCMP_RANGE has more than %zu values", max);
            return -1;
        }
        vals[n++] = v;
        if (v == spec->hi)
            break;
        /* next value, or hi when the next would pass it (or overflow) */
        if (v > spec->hi / spec->mult)
            v = spec->hi;
        else
            v = v * spec->mult < spec->hi ? v * spec->mult : spec->hi;
    }
    return (long long)n;
}

static registry_instance *registry_push(registry_list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        registry_instance *p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return NULL;
        l->v = p;
        l->cap = cap;
    }
    registry_instance *in = &l->v[l->n++];
    memset(in, 0, sizeof *in);
    return in;
}

static char *registry_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Appends one instance of DEF with ARGS (NARGS) or, when ERROR is set, a
 * failed one.  Returns 0 or -1 on ENOMEM. */
static int registry_add(registry_list *l, const perfcmp_bench_def *def, const long long *args,
                        size_t nargs, const char *error)
{
    char name[1024];
    size_t len = (size_t)snprintf(name, sizeof name, "%s", def->name);
    registry_instance *in = registry_push(l);

    if (!in)
        return -1;
    in->def = def;
    for (size_t i = 0; i < nargs && len < sizeof name; i++) {
        in->args[i] = args[i];
        len += (size_t)snprintf(name + len, sizeof name - len, "/%lld", args[i]);
    }
    in->nargs = nargs;
    in->name = registry_strdup(name);
    if (!in->name)
        return -1;
    if (error && !(in->error = registry_strdup(error)))
        return -1;
    return registry_split_tags(def->tags, &in->tags, &in->ntags);
}

/* Expands DEF into L. */
static int registry_expand_def(registry_list *l, const perfcmp_bench_def *def)
{
    long long vals[PERFCMP_MAX_ARGS][256];
    long long count[PERFCMP_MAX_ARGS] = { 0 };
    size_t ndims = 0, idx[PERFCMP_MAX_ARGS] = { 0 };
    long long args[PERFCMP_MAX_ARGS];
    char err[256] = "";
    char msg[300];
    double total = 1;

    if (def->threads < 0 || def->threads > PERFCMP_MAX_THREADS) {
        snprintf(msg, sizeof msg, "bad options: invalid .threads = %d: expected 1 to %d",
                 def->threads, PERFCMP_MAX_THREADS);
        return registry_add(l, def, NULL, 0, msg);
    }
    for (size_t d = 0; d < PERFCMP_MAX_ARGS; d++) {
        count[d] = registry_dimension(&def->args[d], vals[d], 256, err, sizeof err);
        if (count[d] < 0)
            goto bad;
        if (count[d] > 0) {
            if (ndims != d) {
                snprintf(err, sizeof err, "argument %zu is set but argument %zu is not",
                         d + 1, ndims + 1);
                goto bad;
            }
            ndims = d + 1;
            total *= (double)count[d];
        }
    }
    if (total > REGISTRY_MAX_INSTANCES) {
        snprintf(err, sizeof err, "more than %d argument combinations",
                 REGISTRY_MAX_INSTANCES);
        goto bad;
    }
    for (;;) {
        for (size_t d = 0; d < ndims; d++)
            args[d] = vals[d][idx[d]];
        if (registry_add(l, def, args, ndims, NULL) != 0)
            return -1;
        /* odometer: the last dimension varies fastest */
        size_t d = ndims;
        while (d > 0) {
            d--;
            if (++idx[d] < (size_t)count[d])
                break;
            idx[d] = 0;
            if (d == 0)
                return 0;
        }
        if (ndims == 0)
            return 0;
    }

bad:
    snprintf(msg, sizeof msg, "bad arguments: %s", err);
    return registry_add(l, def, NULL, 0, msg);
}

void registry_list_release(registry_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].error);
        registry_free_tags(l->v[i].tags, l->v[i].ntags);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

int registry_expand(registry_list *out, char *err, size_t errlen)
{
    for (const perfcmp_bench_def *a = registry_head; a; a = a->next_)
        for (const perfcmp_bench_def *b = a->next_; b; b = b->next_)
            if (strcmp(a->name, b->name) == 0) {
                snprintf(err, errlen, "benchmark '%s' is defined twice (%s:%d and %s:%d)",
                         a->name, a->file ? a->file : "?", a->line,
                         b->file ? b->file : "?", b->line);
                return -2;
            }
    for (const perfcmp_bench_def *d = registry_head; d; d = d->next_) {
        if (registry_expand_def(out, d) != 0) {
            registry_list_release(out);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}
