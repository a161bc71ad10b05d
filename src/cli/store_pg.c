/*
 * store_pg.c - the PostgreSQL store behind store.h (libpq, which pq_dl.c
 * loads when the first PostgreSQL store is opened).
 *
 * The same tables as store_sqlite.c, in PostgreSQL's types (bigserial ids,
 * double precision, bytea for the samples), brought forward by the same
 * numbered steps (pg_migrations[] has one step per schema version, like
 * the SQLite migrations[]).  The version lives in the one-row table
 * perfcmp_schema (PostgreSQL has no user_version); a migration runs in one
 * transaction while holding an advisory lock, so two perfcmp processes migrating at
 * once serialize: the second waits, then finds the work done (or refuses a
 * schema newer than it knows).
 *
 * Every query is parameterized (PQexecParams, COPY data escaped); every
 * write is one transaction, joined to the caller's when store_begin opened
 * one.  A run is written in a handful of round trips whatever its size:
 * its benchmarks, results and samples go through COPY into a temporary
 * table, and three INSERT ... SELECT move them into place.
 *
 * Errors are one line ("what: server's primary message"); the connection
 * string shown (store_path) never holds a password.
 */
#include "store_impl.h"
#include "pq_dl.h"

#include "../core/natsort.h"

#include <perfcmp.h>

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pg_advisory_xact_lock key of migrations: "perfcmp" in ASCII */
#define PG_MIGRATE_LOCK "31649946520890736"
/* a transaction that lost a deadlock or a serialization race is retried */
#define PG_RETRIES 5

typedef struct pg_store {
    store base;
    PGconn *conn;
    char sqlstate[6];       /* of the last failed statement, "" if none */
    int hist_prepared;      /* the history statement is prepared */
} pg_store;

#define PG(s) ((pg_store *)(s))

/* ---- errors ------------------------------------------------------------- */

/* TEXT made one line in place: runs of white space become one space, and
 * leading and trailing space go. */
static void pg_oneline(char *text)
{
    char *w = text;
    int space = 0;
    for (const char *r = text; *r; r++) {
        if (*r == '\n' || *r == '\r' || *r == '\t' || *r == ' ') {
            space = w != text;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    *w = '\0';
}

/* Sets "WHAT: message" from RES (may be NULL: the connection's message);
 * returns -1. */
static int pg_err(store *s, const char *what, const PGresult *res)
{
    char msg[400];
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(PG(s)->sqlstate, sizeof PG(s)->sqlstate, "%s", state ? state : "");
    if (!m || !*m)
        m = PQerrorMessage(PG(s)->conn);
    snprintf(msg, sizeof msg, "%s", m && *m ? m : "unknown error");
    pg_oneline(msg);
    if (PQstatus(PG(s)->conn) == CONNECTION_BAD)
        store_seterr(s, "%s: lost the connection to the server: %s", what, msg);
    else
        store_seterr(s, "%s: %s", what, msg);
    return -1;
}

/* Runs SQL with N text parameters (NULL: SQL NULL; N 0: SQL may be several
 * statements).  Returns the result
 * (the caller PQclears it), or NULL with "WHAT: message" set when the
 * statement failed. */
static PGresult *pg_query(store *s, const char *what, const char *sql, int n,
                          const char *const *params)
{
    /* without parameters, the simple protocol: SQL may hold several
     * statements (constant text, never user input) */
    PGresult *res = n ? PQexecParams(PG(s)->conn, sql, n, NULL, params, NULL, NULL, 0)
                      : PQexec(PG(s)->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_err(s, what, res);
        PQclear(res);
        return NULL;
    }
    return res;
}

/* pg_query for statements without rows: 0 or -1. */
static int pg_cmd(store *s, const char *what, const char *sql, int n, const char *const *params)
{
    PGresult *res = pg_query(s, what, sql, n, params);
    PQclear(res);
    return res ? 0 : -1;
}

/* ---- reading values ----------------------------------------------------- */

static int pg_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col);
}

static const char *pg_val(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static int64_t pg_i64(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static double pg_double(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NAN : strtod(PQgetvalue(r, row, col), NULL);
}

/* A malloc'd copy of the value, NULL for SQL NULL.  Sets *NOMEM when the
 * copy failed. */
static char *pg_str(const PGresult *r, int row, int col, int *nomem)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    char *t = store_strdup(PQgetvalue(r, row, col));
    if (!t)
        *nomem = 1;
    return t;
}

static results_status pg_status(const PGresult *r, int row, int col)
{
    int64_t v = pg_i64(r, row, col);
    return v >= RESULTS_OK && v <= RESULTS_TIMEOUT ? (results_status)v : RESULTS_FAILED;
}

static results_direction pg_direction(const PGresult *r, int row, int col)
{
    return pg_i64(r, row, col) ? RESULTS_HIGHER_IS_BETTER : RESULTS_LOWER_IS_BETTER;
}

/* n at COL and the ten statistics after it, as store_sqlite.c stores them. */
static void pg_summary(const PGresult *r, int row, int col, stats_summary *u)
{
    double *vals[] = { &u->min, &u->max, &u->mean, &u->stddev, &u->median, &u->mad,
                       &u->p90, &u->p99, &u->ci_low, &u->ci_high };
    u->n = (size_t)pg_i64(r, row, col);
    for (int i = 0; i < 10; i++)
        *vals[i] = pg_double(r, row, col + 1 + i);
}

static int pg_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A bytea in hex output ("\x0a1b...") into malloc'd *OUT (*N bytes).
 * 0, -1 with errno ENOMEM or EINVAL. */
static int pg_unhex(const char *text, unsigned char **out, size_t *n)
{
    size_t len = strlen(text);
    *out = NULL;
    *n = 0;
    if (len < 2 || text[0] != '\\' || text[1] != 'x' || len % 2) {
        errno = EINVAL;
        return -1;
    }
    size_t bytes = (len - 2) / 2;
    unsigned char *b = malloc(bytes ? bytes : 1);
    if (!b) {
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < bytes; i++) {
        int hi = pg_hexval(text[2 + 2 * i]), lo = pg_hexval(text[3 + 2 * i]);
        if (hi < 0 || lo < 0) {
            free(b);
            errno = EINVAL;
            return -1;
        }
        b[i] = (unsigned char)(hi * 16 + lo);
    }
    *out = b;
    *n = bytes;
    return 0;
}

/* ---- schema and migrations ---------------------------------------------- */

/* pg_migrations[i] takes a database from version i to i + 1, the same
 * steps as store_sqlite.c's migrations[] in PostgreSQL's words.  Append a
 * step to both (never edit an old one) and bump STORE_SCHEMA_VERSION. */
static const char *const pg_migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE machines ("
    "  id bigserial PRIMARY KEY,"
    "  fingerprint text NOT NULL UNIQUE,"
    "  cpu_model text, cpu_count integer, os text, arch text);"
    "CREATE TABLE runs ("
    "  id bigserial PRIMARY KEY,"
    "  timestamp text,"
    "  recorded_at text NOT NULL,"
    "  git_commit text,"
    "  branch text,"
    "  dirty integer NOT NULL DEFAULT -1,"
    "  machine_id bigint REFERENCES machines(id),"
    "  source_format text,"
    "  command text,"
    "  note text,"
    "  host text,"
    "  nbenches bigint NOT NULL DEFAULT 0,"
    "  content_hash text,"
    "  context text);"
    "CREATE INDEX runs_branch ON runs(branch);"
    "CREATE INDEX runs_hash ON runs(content_hash);"
    "CREATE TABLE benchmarks ("
    "  id bigserial PRIMARY KEY,"
    "  name text NOT NULL,"
    "  family text NOT NULL,"
    "  args text NOT NULL,"
    "  tags text NOT NULL,"
    "  UNIQUE (name, family, args, tags));"
    "CREATE TABLE results ("
    "  id bigserial PRIMARY KEY,"
    "  run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  bench_id bigint NOT NULL REFERENCES benchmarks(id),"
    "  metric text,"
    "  unit text,"
    "  direction integer NOT NULL DEFAULT 0,"
    "  status integer NOT NULL DEFAULT 0,"
    "  error text,"
    "  iterations bigint NOT NULL DEFAULT 0,"
    "  n bigint, min double precision, max double precision, mean double precision,"
    "  stddev double precision, median double precision, mad double precision,"
    "  p90 double precision, p99 double precision, ci_low double precision,"
    "  ci_high double precision);"
    "CREATE INDEX results_run ON results(run_id);"
    "CREATE INDEX results_bench ON results(bench_id, metric);"
    "CREATE TABLE samples ("
    "  result_id bigint PRIMARY KEY REFERENCES results(id) ON DELETE CASCADE,"
    "  data bytea NOT NULL);"
    "CREATE TABLE baselines ("
    "  name text PRIMARY KEY,"
    "  run_id bigint NOT NULL REFERENCES runs(id) ON DELETE RESTRICT,"
    "  saved_at text NOT NULL);"
    "CREATE INDEX baselines_run ON baselines(run_id);",
    /* 1 -> 2 */
    "ALTER TABLE samples ADD COLUMN processes text;",
    /* 2 -> 3 */
    "CREATE INDEX results_bench_run ON results(bench_id, run_id);",
};

_Static_assert(sizeof pg_migrations / sizeof pg_migrations[0] == STORE_SCHEMA_VERSION,
               "one migration step per schema version");

/* The schema version into *V: 0 when there is no perfcmp_schema table.
 * 0 or -1. */
static int pg_version(store *s, int *v)
{
    PGresult *r = pg_query(s, "reading the schema version",
                           "SELECT to_regclass('perfcmp_schema') IS NOT NULL", 0, NULL);
    if (!r)
        return -1;
    int has = !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    *v = 0;
    if (!has)
        return 0;
    r = pg_query(s, "reading the schema version", "SELECT max(version) FROM perfcmp_schema", 0,
                 NULL);
    if (!r)
        return -1;
    *v = (int)pg_i64(r, 0, 0);
    PQclear(r);
    return 0;
}

/* ---- transactions ------------------------------------------------------- */

static int pg_begin(store *s)
{
    if (s->txn_depth > 0) {
        s->txn_depth++;
        return 0;
    }
    if (pg_cmd(s, "cannot start a transaction", "BEGIN", 0, NULL) != 0)
        return -1;
    s->txn_depth = 1;
    s->txn_failed = 0;
    return 0;
}

static void pg_rollback(store *s)
{
    if (s->txn_depth == 0)
        return;
    if (--s->txn_depth > 0) {
        s->txn_failed = 1;
        return;
    }
    PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
    s->txn_failed = 0;
}

static int pg_commit(store *s)
{
    if (s->txn_depth == 0) {
        store_seterr(s, "no transaction to commit");
        return -1;
    }
    if (s->txn_depth > 1) {
        s->txn_depth--;
        return 0;
    }
    if (s->txn_failed) {
        pg_rollback(s);
        store_seterr(s, "a step of the transaction failed; rolled back");
        return -1;
    }
    PGresult *r = PQexec(PG(s)->conn, "COMMIT");
    /* COMMIT of a failed transaction "succeeds" as ROLLBACK */
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK && !strcmp(PQcmdStatus(r), "COMMIT");
    if (!ok) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            store_seterr(s, "cannot commit: the transaction was rolled back");
        else
            pg_err(s, "cannot commit", r);
        PQclear(r);
        s->txn_depth = 1;
        char keep[sizeof s->err];
        memcpy(keep, s->err, sizeof keep);
        pg_rollback(s);
        memcpy(s->err, keep, sizeof keep);
        return -1;
    }
    PQclear(r);
    s->txn_depth = 0;
    return 0;
}

/* One snapshot for many reads (REPEATABLE READ); READ ONLY, so that a
 * write in between fails rather than lands outside store_begin. */
static int pg_read_begin(store *s)
{
    return pg_cmd(s, "cannot start a read transaction",
                  "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL);
}

static void pg_read_end(store *s)
{
    PQclear(PQexec(PG(s)->conn, "COMMIT"));
}

/* ---- open / close ------------------------------------------------------- */

static int pg_migrate(store *s, char *err, size_t errlen)
{
    int v = 0, rc = -1;
    char ver[16];
    /* another perfcmp may be migrating: wait for it, then look again in
     * a transaction begun after it ended (one begun before the wait
     * could still see the catalog as it was) */
    if (pg_cmd(s, "migrating", "SELECT pg_advisory_lock(" PG_MIGRATE_LOCK ")", 0, NULL) != 0) {
        snprintf(err, errlen, "%s", s->err);
        return -1;
    }
    if (pg_begin(s) != 0 || pg_version(s, &v) != 0)
        goto out;
    if (store_check_version(v, err, errlen) != 0) {
        rc = -2;
        goto out;
    }
    if (v == 0) {
        PGresult *r = pg_query(s, "migrating",
                               "SELECT to_regclass('runs') IS NOT NULL "
                               "OR to_regclass('results') IS NOT NULL "
                               "OR to_regclass('baselines') IS NOT NULL", 0, NULL);
        if (!r)
            goto out;
        int foreign = !strcmp(PQgetvalue(r, 0, 0), "t");
        PQclear(r);
        if (foreign) {
            snprintf(err, errlen, "not a perfcmp database (it has tables named runs, results "
                     "or baselines, but no perfcmp_schema)");
            rc = -2;
            goto out;
        }
        if (pg_cmd(s, "migrating",
                   "CREATE TABLE perfcmp_schema (version integer NOT NULL);"
                   "INSERT INTO perfcmp_schema VALUES (0)", 0, NULL) != 0)
            goto out;
    }
    for (; v < STORE_SCHEMA_VERSION; v++) {
        char what[64];
        snprintf(what, sizeof what, "migrating the schema to version %d", v + 1);
        /* several statements: the simple query protocol */
        PGresult *r = PQexec(PG(s)->conn, pg_migrations[v]);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            pg_err(s, what, r);
            PQclear(r);
            goto out;
        }
        PQclear(r);
    }
    snprintf(ver, sizeof ver, "%d", STORE_SCHEMA_VERSION);
    const char *p[] = { ver };
    if (pg_cmd(s, "migrating", "UPDATE perfcmp_schema SET version = $1::integer", 1, p) != 0)
        goto out;
    rc = 0;
out:
    if (rc == -1)
        snprintf(err, errlen, "%s", s->err);
    if (s->txn_depth > 0) {
        if (rc == 0 && pg_commit(s) != 0) {
            snprintf(err, errlen, "%s", s->err);
            rc = -1;
        } else if (rc != 0) {
            pg_rollback(s);
        }
    }
    PQclear(PQexec(PG(s)->conn, "SELECT pg_advisory_unlock(" PG_MIGRATE_LOCK ")"));
    return rc == 0 ? 0 : -1;
}

/* libpq's notices ("table ... does not exist, skipping") are not ours to
 * print. */
static void pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static const store_ops pg_ops;

int store_open_pg(const char *conninfo, const char *shown, store **out, char *err, size_t errlen)
{
    *out = NULL;
    if (pq_dl_load(err, errlen) != 0)
        return -1;
    pg_store *q = calloc(1, sizeof *q);
    store *s = q ? &q->base : NULL;
    int v = 0;
    if (!s || !(s->path = store_strdup(shown))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    s->ops = &pg_ops;
    /* an unreachable host fails in seconds, not at the TCP timeout; the
     * URL's connect_timeout or PGCONNECT_TIMEOUT say otherwise */
    if (!getenv("PGCONNECT_TIMEOUT"))
        setenv("PGCONNECT_TIMEOUT", "10", 0);
    q->conn = PQconnectdb(conninfo);
    if (!q->conn) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (PQstatus(q->conn) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(q->conn));
        pg_oneline(msg);
        store_mask_password(msg, err, errlen);
        goto fail;
    }
    PQsetNoticeProcessor(q->conn, pg_quiet, NULL);
    if (pg_cmd(s, "setting up the session",
               "SET bytea_output = 'hex'; SET extra_float_digits = 3; "
               "SET client_encoding = 'UTF8'", 0, NULL) != 0
        || pg_version(s, &v) != 0) {
        snprintf(err, errlen, "%s", s->err);
        goto fail;
    }
    if (store_check_version(v, err, errlen) != 0)
        goto fail;
    if (v < STORE_SCHEMA_VERSION && pg_migrate(s, err, errlen) != 0)
        goto fail;
    *out = s;
    return 0;
fail:
    if (q) {
        PQfinish(q->conn);
        free(s->path);
        free(q);
    }
    return -1;
}

static void pg_close(store *s)
{
    if (s->txn_depth > 0) {
        s->txn_depth = 1;
        pg_rollback(s);
    }
    PQfinish(PG(s)->conn);
    free(s->path);
    free(PG(s));
}

/* ---- add a run ---------------------------------------------------------- */

/* COPY data being built and sent in pieces. */
typedef struct pg_copy {
    store *s;
    char *buf;
    size_t len, cap;
    int failed;             /* out of memory or the send failed */
} pg_copy;

static void pg_copy_raw(pg_copy *c, const char *t, size_t n)
{
    if (c->failed)
        return;
    if (c->len + n > c->cap) {
        size_t nc = c->cap ? c->cap : 1 << 16;
        while (nc < c->len + n)
            nc *= 2;
        char *nb = realloc(c->buf, nc);
        if (!nb) {
            c->failed = 1;
            store_seterr(c->s, "out of memory");
            return;
        }
        c->buf = nb;
        c->cap = nc;
    }
    memcpy(c->buf + c->len, t, n);
    c->len += n;
}

/* Sends what is buffered once it is large (or when FORCE). */
static void pg_copy_flush(pg_copy *c, int force)
{
    if (c->failed || c->len == 0 || (!force && c->len < (1 << 16)))
        return;
    if (PQputCopyData(PG(c->s)->conn, c->buf, (int)c->len) != 1) {
        c->failed = 1;
        pg_err(c->s, "storing the run", NULL);
    }
    c->len = 0;
}

/* A field: tab before it unless FIRST; TEXT escaped for COPY's text
 * format, NULL as \N. */
static void pg_copy_text(pg_copy *c, const char *text, int first)
{
    if (!first)
        pg_copy_raw(c, "\t", 1);
    if (!text) {
        pg_copy_raw(c, "\\N", 2);
        return;
    }
    const char *run = text;
    for (const char *p = text; ; p++) {
        const char *esc = NULL;
        switch (*p) {
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        if (!*p || esc) {
            pg_copy_raw(c, run, (size_t)(p - run));
            if (!*p)
                break;
            pg_copy_raw(c, esc, 2);
            run = p + 1;
        }
    }
}

static void pg_copy_i64(pg_copy *c, long long v)
{
    char t[32];
    int n = snprintf(t, sizeof t, "\t%lld", v);
    pg_copy_raw(c, t, (size_t)n);
}

static void pg_copy_double(pg_copy *c, double v)
{
    char t[40];
    int n;
    if (isnan(v))
        n = snprintf(t, sizeof t, "\t\\N");
    else if (isinf(v))
        n = snprintf(t, sizeof t, "\t%sInfinity", v < 0 ? "-" : "");
    else
        n = snprintf(t, sizeof t, "\t%.17g", v);
    pg_copy_raw(c, t, (size_t)n);
}

/* The samples as a bytea literal in COPY text: \\x and hex digits. */
static void pg_copy_samples(pg_copy *c, const results_metric *m)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[8];
    char t[16];
    pg_copy_raw(c, "\t\\\\x", 4);
    for (size_t i = 0; i < m->nsamples; i++) {
        store_pack_doubles(&m->samples[i], 1, b);
        for (int k = 0; k < 8; k++) {
            t[2 * k] = hex[b[k] >> 4];
            t[2 * k + 1] = hex[b[k] & 15];
        }
        pg_copy_raw(c, t, 16);
    }
}

/* One row of the staging table: a result of benchmark B (M NULL: the one
 * row of a benchmark without metrics). */
static void pg_copy_result(pg_copy *c, const results_bench *b, const char *args,
                           const char *tags, const results_metric *m)
{
    pg_copy_text(c, b->name, 1);
    pg_copy_text(c, b->family ? b->family : b->name, 0);
    pg_copy_text(c, args, 0);
    pg_copy_text(c, tags, 0);
    pg_copy_text(c, m ? m->name : NULL, 0);
    pg_copy_text(c, m ? (m->unit ? m->unit : "") : NULL, 0);
    pg_copy_i64(c, m ? (long long)m->direction : 0);
    pg_copy_i64(c, (long long)b->status);
    pg_copy_text(c, b->error, 0);
    pg_copy_i64(c, (long long)b->iterations);
    if (m) {
        const stats_summary *u = &m->summary;
        const double vals[] = { u->min, u->max, u->mean, u->stddev, u->median, u->mad,
                                u->p90, u->p99, u->ci_low, u->ci_high };
        pg_copy_i64(c, (long long)u->n);
        for (int i = 0; i < 10; i++)
            pg_copy_double(c, vals[i]);
        pg_copy_samples(c, m);
        char *procs = m->nprocesses ? store_format_processes(m) : NULL;
        if (m->nprocesses && !procs) {
            c->failed = 1;
            store_seterr(c->s, "out of memory");
        }
        pg_copy_text(c, procs, 0);
        free(procs);
    } else {
        pg_copy_raw(c, "\t\\N", 3);
        for (int i = 0; i < 10; i++)
            pg_copy_raw(c, "\t\\N", 3);
        pg_copy_raw(c, "\t\\N\t\\N", 6);
    }
    pg_copy_raw(c, "\n", 1);
    pg_copy_flush(c, 0);
}

#define PG_STAGE_COLS "name, family, args, tags, metric, unit, direction, status, error, " \
    "iterations, n, min, max, mean, stddev, median, mad, p90, p99, ci_low, ci_high, data, " \
    "processes"

/* Sends RUN's benchmarks into the temporary table perfcmp_stage. */
static int pg_stage(store *s, const results_run *run)
{
    pg_copy c = { .s = s };
    int rc = -1;
    if (pg_cmd(s, "storing the run",
               "CREATE TEMP TABLE perfcmp_stage ("
               " rid bigint NOT NULL DEFAULT nextval('results_id_seq'),"
               " name text, family text, args text, tags text, metric text, unit text,"
               " direction integer, status integer, error text, iterations bigint, n bigint,"
               " min float8, max float8, mean float8, stddev float8, median float8, mad float8,"
               " p90 float8, p99 float8, ci_low float8, ci_high float8, data bytea,"
               " processes text) ON COMMIT DROP", 0, NULL) != 0)
        return -1;
    PGresult *r = PQexec(PG(s)->conn, "COPY perfcmp_stage(" PG_STAGE_COLS ") FROM STDIN");
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        pg_err(s, "storing the run", r);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    for (size_t i = 0; i < run->nbenches && !c.failed; i++) {
        const results_bench *b = &run->benches[i];
        char *args = store_args_json(b), *tags = store_tags_json(b);
        if (!args || !tags) {
            c.failed = 1;
            store_seterr(s, "out of memory");
        } else if (b->nmetrics == 0) {
            pg_copy_result(&c, b, args, tags, NULL);
        }
        for (size_t m = 0; m < b->nmetrics && !c.failed; m++)
            pg_copy_result(&c, b, args, tags, &b->metrics[m]);
        free(args);
        cJSON_free(tags);
    }
    pg_copy_flush(&c, 1);
    free(c.buf);
    if (PQputCopyEnd(PG(s)->conn, c.failed ? "perfcmp gave up" : NULL) != 1 && !c.failed) {
        pg_err(s, "storing the run", NULL);
        c.failed = 1;
    }
    while ((r = PQgetResult(PG(s)->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !c.failed) {
            pg_err(s, "storing the run", r);
            c.failed = 1;
        }
        PQclear(r);
    }
    if (!c.failed)
        rc = 0;
    return rc;
}

static int pg_add_run_once(store *s, const results_run *run, const char *note, int64_t *id)
{
    const results_context *c = &run->context;
    cJSON *ctxj = NULL;
    char *ctxt = NULL, *fp = NULL, now[32], hash[17], cpus[16], dirty[8], nb[24], mid[24];
    char rid[24];
    int64_t run_id = 0;
    int rc = -1;
    PGresult *r = NULL;

    if (pg_begin(s) != 0)
        return -1;
    results_utc_now(now, sizeof now);
    store_run_hash(run, hash);
    ctxj = store_context_json(c);
    ctxt = ctxj ? cJSON_PrintUnformatted(ctxj) : NULL;
    fp = store_machine_fingerprint(c);
    if (!ctxt || !fp) {
        store_seterr(s, "out of memory");
        goto out;
    }
    snprintf(cpus, sizeof cpus, "%d", c->cpu_count);
    const char *mp[] = { fp, c->cpu_model, cpus, c->os, c->arch };
    if (pg_cmd(s, "storing the machine",
               "INSERT INTO machines(fingerprint, cpu_model, cpu_count, os, arch) "
               "VALUES($1, $2, $3::integer, $4, $5) ON CONFLICT (fingerprint) DO NOTHING",
               5, mp) != 0
        || !(r = pg_query(s, "storing the machine",
                          "SELECT id FROM machines WHERE fingerprint = $1", 1, mp)))
        goto out;
    if (PQntuples(r) != 1) {
        store_seterr(s, "storing the machine: it vanished");
        goto out;
    }
    snprintf(mid, sizeof mid, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    r = NULL;
    snprintf(dirty, sizeof dirty, "%d", c->git_dirty < 0 ? -1 : c->git_dirty ? 1 : 0);
    snprintf(nb, sizeof nb, "%zu", run->nbenches);
    const char *rp[] = { c->timestamp, now, c->git_commit, c->git_branch, dirty, mid,
                         c->source_format, c->command, note && *note ? note : NULL, c->host,
                         nb, hash, ctxt };
    if (!(r = pg_query(s, "storing the run",
                       "INSERT INTO runs(timestamp, recorded_at, git_commit, branch, dirty, "
                       "machine_id, source_format, command, note, host, nbenches, "
                       "content_hash, context) VALUES($1, $2, $3, $4, $5::integer, "
                       "$6::bigint, $7, $8, $9, $10, $11::bigint, $12, $13) RETURNING id",
                       13, rp)))
        goto out;
    run_id = pg_i64(r, 0, 0);
    snprintf(rid, sizeof rid, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    r = NULL;
    if (pg_stage(s, run) != 0)
        goto out;
    const char *ip[] = { rid };
    /* new benchmarks in one order, so that concurrent writers queue on
     * the unique index instead of deadlocking */
    if (pg_cmd(s, "storing the run",
               "INSERT INTO benchmarks(name, family, args, tags) "
               "SELECT DISTINCT name, family, args, tags FROM perfcmp_stage "
               "ORDER BY 1, 2, 3, 4 ON CONFLICT DO NOTHING", 0, NULL) != 0
        || pg_cmd(s, "storing the run",
                  "INSERT INTO results(id, run_id, bench_id, metric, unit, direction, status, "
                  "error, iterations, n, min, max, mean, stddev, median, mad, p90, p99, "
                  "ci_low, ci_high) SELECT x.rid, $1::bigint, b.id, x.metric, x.unit, "
                  "x.direction, x.status, x.error, x.iterations, x.n, x.min, x.max, x.mean, "
                  "x.stddev, x.median, x.mad, x.p90, x.p99, x.ci_low, x.ci_high "
                  "FROM perfcmp_stage x JOIN benchmarks b ON b.name = x.name "
                  "AND b.family = x.family AND b.args = x.args AND b.tags = x.tags "
                  "ORDER BY x.rid", 1, ip) != 0
        || pg_cmd(s, "storing the run",
                  "INSERT INTO samples(result_id, data, processes) "
                  "SELECT rid, data, processes FROM perfcmp_stage WHERE metric IS NOT NULL "
                  "ORDER BY rid", 0, NULL) != 0
        || pg_cmd(s, "storing the run", "DROP TABLE perfcmp_stage", 0, NULL) != 0)
        goto out;
    rc = 0;
out:
    PQclear(r);
    cJSON_Delete(ctxj);
    cJSON_free(ctxt);
    free(fp);
    rc = store_finish_txn(s, rc);
    if (rc == 0 && id)
        *id = run_id;
    return rc;
}

/* pg_add_run_once, again when a transaction of its own lost a deadlock or
 * serialization race with another writer. */
static int pg_add_run(store *s, const results_run *run, const char *note, int64_t *id)
{
    for (int i = 0; ; i++) {
        PG(s)->sqlstate[0] = '\0';
        int rc = pg_add_run_once(s, run, note, id);
        if (rc == 0 || s->txn_depth > 0 || i + 1 >= PG_RETRIES
            || (strcmp(PG(s)->sqlstate, "40P01") && strcmp(PG(s)->sqlstate, "40001")))
            return rc;
    }
}

/* ---- load a run --------------------------------------------------------- */

static int pg_load_run(store *s, int64_t id, results_run *out)
{
    char ids[24];
    const char *p[] = { ids };
    int rc = -1, nomem = 0;
    results_bench *b = NULL;
    int64_t cur_bench = -1;
    double *samples = NULL;
    unsigned char *bytes = NULL;
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    PGresult *r = pg_query(s, "loading the run",
                           "SELECT timestamp, git_commit, branch, dirty, source_format, "
                           "command, host, context FROM runs WHERE id = $1::bigint", 1, p);
    if (!r)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        store_seterr(s, "no run %lld", (long long)id);
        return STORE_NOTFOUND;
    }
    out->version = PERFCMP_RESULTS_VERSION;
    results_context *c = &out->context;
    c->git_dirty = -1;
    if (store_context_from_json(pg_val(r, 0, 7), c) != 0)
        goto nomem;
    char **dsts[] = { &c->timestamp, &c->git_commit, &c->git_branch, NULL, &c->source_format,
                      &c->command, &c->host };
    for (int i = 0; i < 7; i++) {
        if (dsts[i] && !pg_null(r, 0, i) && results_set_str(dsts[i], pg_val(r, 0, i)) != 0)
            goto nomem;
    }
    c->git_dirty = (int)pg_i64(r, 0, 3);
    PQclear(r);
    r = pg_query(s, "loading the run",
                 "SELECT r.bench_id, b.name, b.family, b.args, b.tags, r.metric, r.unit, "
                 "r.direction, r.status, r.error, r.iterations, r.n, r.min, r.max, "
                 "r.mean, r.stddev, r.median, r.mad, r.p90, r.p99, r.ci_low, r.ci_high, "
                 "s.data, s.processes FROM results r JOIN benchmarks b ON b.id = r.bench_id "
                 "LEFT JOIN samples s ON s.result_id = r.id "
                 "WHERE r.run_id = $1::bigint ORDER BY r.id", 1, p);
    if (!r)
        goto out;
    int rows = PQntuples(r);
    for (int i = 0; i < rows; i++) {
        int64_t bid = pg_i64(r, i, 0);
        if (bid != cur_bench || !b) {
            b = results_add_bench(out, pg_val(r, i, 1), pg_val(r, i, 2));
            if (!b)
                goto nomem;
            cur_bench = bid;
            if (store_parse_args(pg_val(r, i, 3), b) != 0
                || store_parse_tags(pg_val(r, i, 4), b) != 0)
                goto nomem;
            b->status = pg_status(r, i, 8);
            if (!pg_null(r, i, 9) && results_set_str(&b->error, pg_val(r, i, 9)) != 0)
                goto nomem;
            b->iterations = (uint64_t)pg_i64(r, i, 10);
        }
        if (pg_null(r, i, 5))
            continue;
        size_t nbytes = 0, n = 0;
        free(bytes);
        bytes = NULL;
        if (!pg_null(r, i, 22) && pg_unhex(pg_val(r, i, 22), &bytes, &nbytes) != 0) {
            if (errno == ENOMEM)
                goto nomem;
            store_seterr(s, "corrupt samples in run %lld", (long long)id);
            goto out;
        }
        n = nbytes / 8;
        free(samples);
        samples = malloc(n ? n * sizeof *samples : 1);
        if (!samples)
            goto nomem;
        if (bytes)
            store_unpack_doubles(bytes, n, samples);
        results_metric *m = results_add_metric(b, pg_val(r, i, 5), pg_val(r, i, 6),
                                                pg_direction(r, i, 7), samples, n);
        if (!m)
            goto nomem;
        pg_summary(r, i, 11, &m->summary);
        if (!pg_null(r, i, 23) && store_parse_processes(pg_val(r, i, 23), m) != 0) {
            if (errno == ENOMEM)
                goto nomem;
            store_seterr(s, "corrupt sample grouping of run %lld", (long long)id);
            goto out;
        }
    }
    (void)nomem;
    rc = 0;
    goto out;
nomem:
    store_seterr(s, "out of memory");
out:
    PQclear(r);
    free(samples);
    free(bytes);
    if (rc != 0)
        results_run_release(out);
    return rc;
}

/* ---- queries on runs ---------------------------------------------------- */

/* Runs SQL, an aggregate giving one row with an id or NULL, with KEY as
 * $1 if NPARAMS is 1.  0 with *ID, STORE_NOTFOUND on NULL, -1. */
/* The id in the one row of SQL run with the NPARAMS parameters P (via
 * pg_query): 0 with *ID set, STORE_NOTFOUND when there is no row or it
 * is NULL, -1 on error. */
static int pg_query_id_params(store *s, const char *sql, int nparams, const char *const *p,
                              const char *what, int64_t *id)
{
    PGresult *r = pg_query(s, what, sql, nparams, p);
    if (!r)
        return -1;
    int rc = STORE_NOTFOUND;
    if (PQntuples(r) == 1 && !pg_null(r, 0, 0)) {
        *id = pg_i64(r, 0, 0);
        rc = 0;
    }
    PQclear(r);
    return rc;
}

static int pg_query_id(store *s, const char *sql, const char *key, int nparams, const char *what,
                       int64_t *id)
{
    const char *p[] = { key };
    return pg_query_id_params(s, sql, nparams, p, what, id);
}

static int pg_latest_run(store *s, int64_t *id)
{
    int rc = pg_query_id(s, "SELECT max(id) FROM runs", NULL, 0, "finding the latest run", id);
    if (rc == STORE_NOTFOUND)
        store_seterr(s, "no runs recorded yet");
    return rc;
}

#define PG_INFO_SELECT \
    "SELECT r.id, r.timestamp, r.recorded_at, r.git_commit, r.branch, r.dirty, r.note, " \
    "r.source_format, r.host, m.fingerprint, r.nbenches, " \
    "(SELECT string_agg(name, chr(10) ORDER BY name COLLATE \"C\") FROM baselines " \
    " WHERE run_id = r.id) " \
    "FROM runs r LEFT JOIN machines m ON m.id = r.machine_id "

/* Row ROW of a PG_INFO_SELECT result into the zeroed O.  0, or -1 out of
 * memory. */
static int pg_info_row(const PGresult *r, int row, store_run_info *o)
{
    int nomem = 0;
    o->id = pg_i64(r, row, 0);
    o->dirty = (int)pg_i64(r, row, 5);
    o->nbenches = (size_t)pg_i64(r, row, 10);
    char **dst[] = { NULL, &o->timestamp, &o->recorded_at, &o->commit, &o->branch, NULL,
                     &o->note, &o->source_format, &o->host, &o->machine };
    for (int i = 0; i < 10; i++) {
        if (dst[i])
            *dst[i] = pg_str(r, row, i, &nomem);
    }
    if (nomem)
        return -1;
    const char *bl = pg_val(r, row, 11);
    if (bl && *bl) {
        size_t n = 1;
        for (const char *p = bl; *p; p++)
            n += *p == '\n';
        o->baselines = calloc(n, sizeof *o->baselines);
        if (!o->baselines)
            return -1;
        const char *p = bl;
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char *nm = malloc(len + 1);
            if (!nm)
                return -1;
            memcpy(nm, p, len);
            nm[len] = '\0';
            o->baselines[o->nbaselines++] = nm;
            p += len + (e ? 1 : 0);
        }
    }
    return 0;
}

/* The rows of the info query R (taken: cleared here) as a fresh array. */
static int pg_collect_infos(store *s, PGresult *r, store_run_info **out, size_t *n)
{
    int rows = PQntuples(r);
    store_run_info *v = rows ? calloc((size_t)rows, sizeof *v) : NULL;
    *out = NULL;
    *n = 0;
    if (rows && !v)
        goto nomem;
    for (int i = 0; i < rows; i++) {
        if (pg_info_row(r, i, &v[i]) != 0) {
            store_run_infos_free(v, (size_t)i + 1);
            goto nomem;
        }
    }
    PQclear(r);
    *out = v;
    *n = (size_t)rows;
    return 0;
nomem:
    PQclear(r);
    store_seterr(s, "out of memory");
    return -1;
}

static int pg_run_info_get(store *s, int64_t id, store_run_info *out)
{
    char ids[24];
    const char *p[] = { ids };
    memset(out, 0, sizeof *out);
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    PGresult *r = pg_query(s, "reading the run", PG_INFO_SELECT "WHERE r.id = $1::bigint", 1, p);
    if (!r)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        store_seterr(s, "no run %lld", (long long)id);
        return STORE_NOTFOUND;
    }
    int rc = 0;
    if (pg_info_row(r, 0, out) != 0) {
        store_run_info_release(out);
        store_seterr(s, "out of memory");
        rc = -1;
    }
    PQclear(r);
    return rc;
}

/* F's branch, machine and last as parameters (NULL: any) into P[0..2];
 * LAST is the buffer for the number. */
static void pg_filter_params(const store_filter *f, const char **p, char last[24])
{
    p[0] = f ? f->branch : NULL;
    p[1] = f && f->machine && *f->machine ? f->machine : NULL;
    p[2] = NULL;
    if (f && f->last) {
        snprintf(last, 24, "%zu", f->last);
        p[2] = last;
    }
}

static int pg_list_runs(store *s, const store_filter *f, store_run_info **out, size_t *n)
{
    const char *p[3];
    char last[24];
    *out = NULL;
    *n = 0;
    pg_filter_params(f, p, last);
    PGresult *r = pg_query(s, "listing runs",
                           PG_INFO_SELECT
                           "WHERE ($1::text IS NULL OR r.branch = $1) "
                           "AND ($2::text IS NULL OR strpos(m.fingerprint, $2) > 0) "
                           "ORDER BY r.id DESC LIMIT $3::bigint", 3, p);
    if (!r)
        return -1;
    return pg_collect_infos(s, r, out, n);
}

static int pg_prune_runs(store *s, size_t keep_last, double older_than_days, int dry_run,
                         store_run_info **removed, size_t *n)
{
    store_run_info *v = NULL;
    size_t cnt = 0;
    int rc = -1;
    char keep[24], days[40];
    const char *p[] = { keep, days };
    *removed = NULL;
    *n = 0;
    snprintf(keep, sizeof keep, "%zu", keep_last);
    snprintf(days, sizeof days, "%.17g", older_than_days > 0 ? older_than_days : 0.0);
    if (pg_begin(s) != 0)
        return -1;
    /* the set is computed once, with new runs and baselines held off
     * until the end of the transaction */
    if (pg_cmd(s, "pruning", "LOCK TABLE runs, baselines IN SHARE ROW EXCLUSIVE MODE", 0, NULL)
        || pg_cmd(s, "pruning", "DROP TABLE IF EXISTS pg_temp.perfcmp_prune; "
                  "CREATE TEMP TABLE perfcmp_prune (id bigint PRIMARY KEY) ON COMMIT DROP",
                  0, NULL)
        || pg_cmd(s, "pruning",
                  "INSERT INTO perfcmp_prune SELECT r.id FROM runs r "
                  "WHERE r.id NOT IN (SELECT run_id FROM baselines) "
                  "AND ($1::bigint <= 0 OR r.id NOT IN "
                  "     (SELECT id FROM runs ORDER BY id DESC LIMIT $1::bigint)) "
                  "AND ($2::float8 <= 0 OR "
                  "     extract(epoch FROM now() - r.recorded_at::timestamptz) / 86400 "
                  "     > $2::float8)", 2, p))
        goto out;
    PGresult *r = pg_query(s, "pruning",
                           PG_INFO_SELECT "WHERE r.id IN (SELECT id FROM perfcmp_prune) "
                           "ORDER BY r.id DESC", 0, NULL);
    if (!r || pg_collect_infos(s, r, &v, &cnt) != 0)
        goto out;
    if (!dry_run && pg_cmd(s, "pruning",
                           "DELETE FROM runs WHERE id IN (SELECT id FROM perfcmp_prune);"
                           "DELETE FROM benchmarks b WHERE NOT EXISTS "
                           "  (SELECT 1 FROM results x WHERE x.bench_id = b.id);"
                           "DELETE FROM machines m WHERE NOT EXISTS "
                           "  (SELECT 1 FROM runs r WHERE r.machine_id = m.id)", 0, NULL) != 0)
        goto out;
    if (pg_cmd(s, "pruning", "DROP TABLE perfcmp_prune", 0, NULL) != 0)
        goto out;
    rc = 0;
out:
    rc = store_finish_txn(s, rc);
    if (rc == 0) {
        *removed = v;
        *n = cnt;
    } else {
        store_run_infos_free(v, cnt);
    }
    return rc;
}

/* ---- baselines ---------------------------------------------------------- */

static int pg_baseline_set(store *s, const char *name, int64_t run_id)
{
    char ids[24], now[32];
    int rc = -1;
    snprintf(ids, sizeof ids, "%lld", (long long)run_id);
    results_utc_now(now, sizeof now);
    const char *p[] = { name, ids, now };
    if (pg_begin(s) != 0)
        return -1;
    PGresult *r = pg_query(s, "finding the run", "SELECT 1 FROM runs WHERE id = $1::bigint "
                           "FOR KEY SHARE", 1, p + 1);
    if (!r)
        goto out;
    int found = PQntuples(r) > 0;
    PQclear(r);
    if (!found) {
        store_seterr(s, "no run %lld", (long long)run_id);
        rc = STORE_NOTFOUND;
        goto out;
    }
    if (pg_cmd(s, "saving the baseline",
               "INSERT INTO baselines(name, run_id, saved_at) VALUES($1, $2::bigint, $3) "
               "ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, "
               "saved_at = excluded.saved_at", 3, p) != 0)
        goto out;
    rc = 0;
out:
    return store_finish_txn(s, rc);
}

static int pg_baseline_get(store *s, const char *name, int64_t *run_id)
{
    int rc = pg_query_id(s, "SELECT max(run_id) FROM baselines WHERE name = $1", name, 1,
                         "reading the baseline", run_id);
    if (rc == STORE_NOTFOUND)
        store_seterr(s, "no baseline '%s'", name);
    return rc;
}

static int pg_baseline_delete(store *s, const char *name)
{
    const char *p[] = { name };
    int rc = -1;
    if (pg_begin(s) != 0)
        return -1;
    PGresult *r = pg_query(s, "deleting the baseline", "DELETE FROM baselines WHERE name = $1",
                           1, p);
    if (!r)
        goto out;
    int none = !strcmp(PQcmdTuples(r), "0");
    PQclear(r);
    if (none) {
        store_seterr(s, "no baseline '%s'", name);
        rc = STORE_NOTFOUND;
        goto out;
    }
    rc = 0;
out:
    return store_finish_txn(s, rc);
}

static int pg_baseline_list_full(store *s, store_baseline **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    PGresult *r = pg_query(s, "listing baselines",
                           "SELECT name, run_id, saved_at FROM baselines "
                           "ORDER BY name COLLATE \"C\"", 0, NULL);
    if (!r)
        return -1;
    int rows = PQntuples(r), nomem = 0;
    store_baseline *v = rows ? calloc((size_t)rows, sizeof *v) : NULL;
    if (rows && !v)
        nomem = 1;
    for (int i = 0; i < rows && !nomem; i++) {
        v[i].name = pg_str(r, i, 0, &nomem);
        v[i].run_id = pg_i64(r, i, 1);
        v[i].saved_at = pg_str(r, i, 2, &nomem);
    }
    PQclear(r);
    if (nomem) {
        store_baselines_free(v, (size_t)rows);
        store_seterr(s, "out of memory");
        return -1;
    }
    *out = v;
    *n = (size_t)rows;
    return 0;
}

static int pg_find_run_by_hash(store *s, const char *hash, int64_t nth, int64_t *id)
{
    char off[24];
    snprintf(off, sizeof off, "%lld", (long long)nth);
    const char *p[] = { hash, off };
    return pg_query_id_params(s, "SELECT id FROM runs WHERE content_hash = $1 "
                              "ORDER BY id LIMIT 1 OFFSET $2::bigint", 2, p,
                              "finding the run", id);
}

/* ---- history ------------------------------------------------------------ */

/* Newest first with LIMIT (reversed afterwards); the build is the bench
 * binary's id from the context, else "commit:SHA" of a clean commit. */
#define PG_HISTORY_SQL                                                                  \
    "SELECT r.id, r.timestamp, r.git_commit, r.branch, m.fingerprint, "                \
    "x.status, x.unit, x.direction, x.n, x.min, x.max, x.mean, x.stddev, "             \
    "x.median, x.mad, x.p90, x.p99, x.ci_low, x.ci_high, "                              \
    "COALESCE(r.context::json ->> 'binary_id', "                                        \
    "CASE WHEN r.dirty = 0 AND r.git_commit IS NOT NULL "                               \
    "THEN 'commit:' || r.git_commit END) "                                              \
    "FROM results x JOIN benchmarks b ON b.id = x.bench_id "                            \
    "JOIN runs r ON r.id = x.run_id LEFT JOIN machines m ON m.id = r.machine_id "       \
    "WHERE b.name = $1 AND (x.metric = $2 OR x.metric IS NULL) "                        \
    "AND r.source_format IS DISTINCT FROM 'perfcmp-merged' "                            \
    "AND ($3::text IS NULL OR r.branch = $3) "                                          \
    "AND ($4::text IS NULL OR strpos(m.fingerprint, $4) > 0) "                          \
    "ORDER BY r.id DESC, x.id DESC LIMIT $5::bigint"

static int pg_history(store *s, const char *bench, const char *metric, const store_filter *f,
                      store_point **out, size_t *n)
{
    const char *p[5];
    char last[24];
    *out = NULL;
    *n = 0;
    if (!PG(s)->hist_prepared) {
        /* prepared once per connection: compare asks for many histories */
        PGresult *r = PQprepare(PG(s)->conn, "perfcmp_history", PG_HISTORY_SQL, 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            pg_err(s, "reading history", r);
            PQclear(r);
            return -1;
        }
        PQclear(r);
        PG(s)->hist_prepared = 1;
    }
    p[0] = bench;
    p[1] = metric;
    pg_filter_params(f, p + 2, last);
    PGresult *r = PQexecPrepared(PG(s)->conn, "perfcmp_history", 5, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        pg_err(s, "reading history", r);
        PQclear(r);
        return -1;
    }
    int rows = PQntuples(r), nomem = 0;
    store_point *v = rows ? calloc((size_t)rows, sizeof *v) : NULL;
    if (rows && !v)
        nomem = 1;
    for (int i = 0; i < rows && !nomem; i++) {
        store_point *pt = &v[rows - 1 - i];     /* oldest first */
        pt->run_id = pg_i64(r, i, 0);
        pt->timestamp = pg_str(r, i, 1, &nomem);
        pt->commit = pg_str(r, i, 2, &nomem);
        pt->branch = pg_str(r, i, 3, &nomem);
        pt->machine = pg_str(r, i, 4, &nomem);
        pt->status = pg_status(r, i, 5);
        pt->unit = pg_str(r, i, 6, &nomem);
        pt->direction = pg_direction(r, i, 7);
        pg_summary(r, i, 8, &pt->summary);
        pt->build = pg_str(r, i, 19, &nomem);
    }
    PQclear(r);
    if (nomem) {
        store_points_free(v, (size_t)rows);
        store_seterr(s, "out of memory");
        return -1;
    }
    *out = v;
    *n = (size_t)rows;
    return 0;
}

static int pg_bench_names(store *s, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    PGresult *r = pg_query(s, "listing benchmarks", "SELECT DISTINCT name FROM benchmarks", 0,
                           NULL);
    if (!r)
        return -1;
    int rows = PQntuples(r), nomem = 0;
    char **v = rows ? calloc((size_t)rows, sizeof *v) : NULL;
    if (rows && !v)
        nomem = 1;
    for (int i = 0; i < rows && !nomem; i++)
        v[i] = pg_str(r, i, 0, &nomem);
    PQclear(r);
    if (nomem) {
        store_names_free(v, (size_t)rows);
        store_seterr(s, "out of memory");
        return -1;
    }
    natsort_strings(v, (size_t)rows);
    *names = v;
    *n = (size_t)rows;
    return 0;
}

static const store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .add_run = pg_add_run,
    .load_run = pg_load_run,
    .latest_run = pg_latest_run,
    .run_info_get = pg_run_info_get,
    .list_runs = pg_list_runs,
    .prune_runs = pg_prune_runs,
    .baseline_set = pg_baseline_set,
    .baseline_get = pg_baseline_get,
    .baseline_delete = pg_baseline_delete,
    .baseline_list_full = pg_baseline_list_full,
    .history = pg_history,
    .bench_names = pg_bench_names,
    .find_run_by_hash = pg_find_run_by_hash,
};
