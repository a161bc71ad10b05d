/*
 * store_impl.h - what the store's backends share (private to store*.c).
 *
 * A backend embeds `store` as the first member of its own state (as git's
 * ref backends embed struct ref_store) and supplies a store_ops table;
 * store.c holds the public functions, which dispatch through that table,
 * and the backend-neutral parts: the content hash, the machine
 * fingerprint, the JSON forms of a run's context and a benchmark's
 * arguments and tags, and the text form of a metric's process grouping.
 */
#ifndef PERFCMP_STORE_IMPL_H
#define PERFCMP_STORE_IMPL_H

#include "store.h"

#include <cJSON.h>

struct store {
    const store_ops *ops;
    char err[512];
    char *path;             /* as shown to the user: never a password */
    int txn_depth;          /* nesting of store_begin / internal transactions */
    int txn_failed;         /* an inner step failed: the outer commit must not */
    int reading;            /* a read transaction of store_read_begin is open */
};

/* Sets S's error message (printf format). */
void store_seterr(store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Ends a backend's internal transaction: commits when RC is 0, else rolls
 * back keeping S's error message.  Returns RC, or -1 if the commit
 * failed (its error in S). */
int store_finish_txn(store *s, int rc);

/* A malloc'd copy of STR, or NULL when STR is NULL or out of memory. */
char *store_strdup(const char *str);

/* The backends' openers: as store_open; CREATE 0 is store_open_existing. */
int store_open_sqlite(const char *path, int create, store **out, char *err, size_t errlen);
int store_open_pg(const char *conninfo, const char *shown, store **out, char *err,
                  size_t errlen);

/* 0 if this perfcmp can use a database at schema version V, else -1 with
 * the reason in ERR[ERRLEN]. */
int store_check_version(int v, char *err, size_t errlen);

/* A run's context as a JSON object (caller deletes), NULL on ENOMEM. */
cJSON *store_context_json(const results_context *c);
/* Fills C from TEXT (as store_context_json wrote it; NULL or bad JSON is
 * ignored).  0, or -1 out of memory. */
int store_context_from_json(const char *text, results_context *c);
/* A benchmark's arguments "[1,2]" and tags '["a"]' as JSON text
 * (malloc'd / cJSON_free'd by the caller resp.), NULL on ENOMEM. */
char *store_args_json(const results_bench *b);
char *store_tags_json(const results_bench *b);
/* Reads them back into B; 0, or -1 out of memory. */
int store_parse_args(const char *text, results_bench *b);
int store_parse_tags(const char *text, results_bench *b);
/* M's grouping of samples by process as text "5,5,5" (malloc'd, NULL on
 * ENOMEM), and back: 0, or -1 with errno EINVAL or ENOMEM. */
char *store_format_processes(const results_metric *m);
int store_parse_processes(const char *text, results_metric *m);
/* Doubles <-> little-endian bytes (8 per double), whatever the host's order. */
void store_pack_doubles(const double *x, size_t n, unsigned char *out);
void store_unpack_doubles(const unsigned char *in, size_t n, double *x);

/* Frees what ELEM holds, not ELEM itself. */
typedef void store_release_fn(void *elem);
/* Releases the N elements of SIZE bytes at V, then V; accepts NULL. */
void store_free_array(void *v, size_t n, size_t size, store_release_fn *release);

/* Releases the elements of arrays the store hands out (not the element). */
void store_info_release(void *elem);
void store_point_release(void *elem);
void store_baseline_release(void *elem);
void store_name_release(void *elem);

/*
 * Connection strings.  store_is_pg: 1 if TEXT names a PostgreSQL database
 * (a postgres:// or postgresql:// URL, or a libpq keyword string such as
 * "host=db dbname=perf" made only of known keywords), else 0.
 * store_mask_password: TEXT with every password (the URL's user:PASSWORD@,
 * password=... in a query or a keyword string) replaced by "***", into
 * OUT[OUTLEN] (truncated if need be).
 */
int store_is_pg(const char *text);
void store_mask_password(const char *text, char *out, size_t outlen);

#endif
