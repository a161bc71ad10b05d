/*
 * measure.c - the measurement of one instance and its pipe encoding.
 *
 * The encoding is native-endian (both ends are the same binary):
 *   header:  u32 magic "PCMS", u32 version 1, u64 payload length
 *   payload: i32 status, u64 iterations, str error (u32 length, bytes;
 *            length 0xffffffff for none), u32 nmetrics, then per metric:
 *            str name, str unit, i32 direction, u64 n, n doubles.
 */
#include "measure.h"

#include <stdlib.h>
#include <string.h>

#define MEASURE_MAGIC 0x534d4350u   /* "PCMS" little-endian */
#define MEASURE_VERSION 1u
#define MEASURE_HEADER 16u
#define MEASURE_NO_STRING 0xffffffffu
#define MEASURE_ERROR_MAX 511

void measure_init(measure *m)
{
    memset(m, 0, sizeof *m);
}

void measure_release(measure *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nmetrics; i++) {
        free(m->metrics[i].name);
        free(m->metrics[i].unit);
        free(m->metrics[i].values);
    }
    free(m->metrics);
    free(m->error);
    measure_init(m);
}

static char *measure_strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

measure_metric *measure_find(const measure *m, const char *name)
{
    for (size_t i = 0; i < m->nmetrics; i++)
        if (strcmp(m->metrics[i].name, name) == 0)
            return &m->metrics[i];
    return NULL;
}

measure_metric *measure_metric_get(measure *m, const char *name, const char *unit,
                                   int direction)
{
    measure_metric *mm = measure_find(m, name);
    if (mm)
        return mm;
    if (m->nmetrics == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        measure_metric *p = realloc(m->metrics, cap * sizeof *p);
        if (!p)
            return NULL;
        m->metrics = p;
        m->cap = cap;
    }
    mm = &m->metrics[m->nmetrics];
    memset(mm, 0, sizeof *mm);
    mm->name = measure_strndup(name, MEASURE_NAME_MAX);
    mm->unit = measure_strndup(unit ? unit : "", MEASURE_UNIT_MAX);
    mm->direction = direction ? 1 : 0;
    if (!mm->name || !mm->unit) {
        free(mm->name);
        free(mm->unit);
        return NULL;
    }
    m->nmetrics++;
    return mm;
}

int measure_push(measure_metric *mm, double v)
{
    if (mm->n == mm->cap) {
        size_t cap = mm->cap ? mm->cap * 2 : 32;
        double *p = realloc(mm->values, cap * sizeof *p);
        if (!p)
            return -1;
        mm->values = p;
        mm->cap = cap;
    }
    mm->values[mm->n++] = v;
    return 0;
}

int measure_set_status(measure *m, int status, const char *error)
{
    if (m->status != MEASURE_OK)
        return 0;
    m->status = status;
    free(m->error);
    m->error = NULL;
    if (status == MEASURE_OK)
        return 0;
    m->error = measure_strndup(error ? error : "", MEASURE_ERROR_MAX);
    return m->error ? 0 : -1;
}

/* --- encoding --------------------------------------------------------- */

typedef struct measure_buf {
    unsigned char *p;
    size_t len, cap;
    int oom;
} measure_buf;

static void measure_put(measure_buf *b, const void *data, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}

static void measure_put_u32(measure_buf *b, uint32_t v) { measure_put(b, &v, sizeof v); }
static void measure_put_u64(measure_buf *b, uint64_t v) { measure_put(b, &v, sizeof v); }
static void measure_put_i32(measure_buf *b, int32_t v) { measure_put(b, &v, sizeof v); }

static void measure_put_str(measure_buf *b, const char *s)
{
    if (!s) {
        measure_put_u32(b, MEASURE_NO_STRING);
        return;
    }
    size_t n = strlen(s);
    measure_put_u32(b, (uint32_t)n);
    measure_put(b, s, n);
}

unsigned char *measure_encode(const measure *m, size_t *len)
{
    measure_buf b = { 0 };

    measure_put_u32(&b, MEASURE_MAGIC);
    measure_put_u32(&b, MEASURE_VERSION);
    measure_put_u64(&b, 0); /* payload length, filled below */
    measure_put_i32(&b, m->status);
    measure_put_u64(&b, m->iterations);
    measure_put_str(&b, m->error);
    measure_put_u32(&b, (uint32_t)m->nmetrics);
    for (size_t i = 0; i < m->nmetrics; i++) {
        const measure_metric *mm = &m->metrics[i];
        measure_put_str(&b, mm->name);
        measure_put_str(&b, mm->unit);
        measure_put_i32(&b, mm->direction);
        measure_put_u64(&b, mm->n);
        if (mm->n)
            measure_put(&b, mm->values, mm->n * sizeof *mm->values);
    }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    uint64_t payload = b.len - MEASURE_HEADER;
    memcpy(b.p + 8, &payload, sizeof payload);
    *len = b.len;
    return b.p;
}

size_t measure_message_size(const unsigned char *buf, size_t len)
{
    uint32_t magic, version;
    uint64_t payload;

    if (len < MEASURE_HEADER)
        return 0;
    memcpy(&magic, buf, 4);
    memcpy(&version, buf + 4, 4);
    memcpy(&payload, buf + 8, 8);
    if (magic != MEASURE_MAGIC || version != MEASURE_VERSION ||
        payload > (uint64_t)1 << 40)
        return SIZE_MAX;
    return MEASURE_HEADER + (size_t)payload;
}

/* --- decoding --------------------------------------------------------- */

typedef struct measure_reader {
    const unsigned char *p;
    size_t len, pos;
    int bad;
} measure_reader;

static void measure_get(measure_reader *r, void *out, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = 1;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
}

/* Reads a string into a malloc'd copy (*OUT NULL for "none").  Returns 0,
 * or -1 when malformed (more than MAX bytes) or out of memory. */
static int measure_get_str(measure_reader *r, size_t max, int allow_none, char **out)
{
    uint32_t n;
    *out = NULL;
    measure_get(r, &n, sizeof n);
    if (r->bad)
        return -1;
    if (n == MEASURE_NO_STRING)
        return allow_none ? 0 : -1;
    if (n > max || r->len - r->pos < n) {
        r->bad = 1;
        return -1;
    }
    char *s = malloc((size_t)n + 1);
    if (!s)
        return -1;
    memcpy(s, r->p + r->pos, n);
    s[n] = '\0';
    r->pos += n;
    if (strlen(s) != n) { /* embedded NUL */
        free(s);
        r->bad = 1;
        return -1;
    }
    *out = s;
    return 0;
}

int measure_decode(const unsigned char *buf, size_t len, measure *m)
{
    measure_reader r = { buf, len, 0, 0 };
    char *name = NULL, *unit = NULL;
    int32_t status, direction;
    uint32_t nmetrics;
    uint64_t n;

    if (measure_message_size(buf, len) != len)
        return -1;
    r.pos = MEASURE_HEADER;
    measure_get(&r, &status, sizeof status);
    measure_get(&r, &m->iterations, sizeof m->iterations);
    if (r.bad || status < MEASURE_OK || status > MEASURE_TIMEOUT)
        goto fail;
    m->status = status;
    if (measure_get_str(&r, MEASURE_ERROR_MAX, 1, &m->error) != 0)
        goto fail;
    if ((m->status == MEASURE_OK) != (m->error == NULL))
        goto fail;
    measure_get(&r, &nmetrics, sizeof nmetrics);
    if (r.bad)
        goto fail;
    for (uint32_t i = 0; i < nmetrics; i++) {
        if (measure_get_str(&r, MEASURE_NAME_MAX, 0, &name) != 0 ||
            measure_get_str(&r, MEASURE_UNIT_MAX, 0, &unit) != 0)
            goto fail;
        measure_get(&r, &direction, sizeof direction);
        measure_get(&r, &n, sizeof n);
        if (r.bad || (direction != 0 && direction != 1) ||
            n > (r.len - r.pos) / sizeof(double) || measure_find(m, name))
            goto fail;
        measure_metric *mm = measure_metric_get(m, name, unit, direction);
        if (!mm)
            goto fail;
        for (uint64_t k = 0; k < n; k++) {
            double v;
            measure_get(&r, &v, sizeof v);
            if (measure_push(mm, v) != 0)
                goto fail;
        }
        free(name);
        free(unit);
        name = unit = NULL;
    }
    if (r.bad || r.pos != r.len)
        goto fail;
    return 0;

fail:
    free(name);
    free(unit);
    measure_release(m);
    return -1;
}
