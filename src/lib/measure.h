/*
 * measure.h - what measuring one benchmark instance produced: a status,
 * an error message, the iterations per sample and a list of metrics with
 * raw values; and its encoding as a message sent from a forked child to
 * the parent over a pipe.
 *
 * Ownership: a measure owns its strings and arrays.  measure_init() sets
 * up an empty one without allocating, measure_release() frees the
 * contents (accepts NULL).
 */
#ifndef PERFCMP_LIB_MEASURE_H
#define PERFCMP_LIB_MEASURE_H

#include <stddef.h>
#include <stdint.h>

/* Status values are those of results_status (results.h). */
enum {
    MEASURE_OK = 0,
    MEASURE_FAILED = 1,
    MEASURE_CRASHED = 2,
    MEASURE_TIMEOUT = 3
};

/* Longest metric name and unit accepted (bytes, without the NUL). */
#define MEASURE_NAME_MAX 63
#define MEASURE_UNIT_MAX 31

typedef struct measure_metric {
    char *name;
    char *unit;
    int direction;      /* 0 lower is better, 1 higher */
    double *values;
    size_t n, cap;
} measure_metric;

typedef struct measure {
    int status;
    char *error;        /* NULL when status is MEASURE_OK */
    uint64_t iterations;
    measure_metric *metrics;
    size_t nmetrics, cap;
} measure;

void measure_init(measure *m);
void measure_release(measure *m);

/*
 * Returns the metric NAME, adding it (empty, with UNIT and DIRECTION; both
 * strings copied) when absent.  Returns NULL on ENOMEM.  The pointer is
 * valid until the next call that adds a metric.
 */
measure_metric *measure_metric_get(measure *m, const char *name, const char *unit,
                                   int direction);

/* The metric NAME or NULL. */
measure_metric *measure_find(const measure *m, const char *name);

/* Appends V to MM.  Returns 0, or -1 on ENOMEM. */
int measure_push(measure_metric *mm, double v);

/*
 * Sets the status and error message (copied; truncated to 511 bytes).  A
 * later call does not override an earlier non-ok status.  Returns 0, or -1
 * on ENOMEM (the status is set anyway).
 */
int measure_set_status(measure *m, int status, const char *error);

/*
 * Encodes M as a self-delimiting message: a 16-byte header (magic,
 * version, payload length) and the payload.  Returns a malloc'd buffer the
 * caller frees and sets *LEN, or NULL on ENOMEM.
 */
unsigned char *measure_encode(const measure *m, size_t *len);

/*
 * Length of the whole message whose first bytes are BUF[0..LEN-1]: 0 when
 * fewer than 16 bytes are there yet, SIZE_MAX when the header is not ours.
 */
size_t measure_message_size(const unsigned char *buf, size_t len);

/*
 * Decodes a message of exactly LEN bytes into M (initialised, empty).
 * Every length is checked against the buffer.  Returns 0, or -1 when the
 * message is malformed or memory runs out (M is then released).
 */
int measure_decode(const unsigned char *buf, size_t len, measure *m);

#endif
