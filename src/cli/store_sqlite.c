/*
 * store_sqlite.c - the embedded SQLite store behind store.h.
 *
 * Schema (version STORE_SCHEMA_VERSION, kept in PRAGMA user_version and
 * brought forward by the steps in `migrations[]`):
 *
 *   machines   (id, fingerprint UNIQUE, cpu_model, cpu_count, os, arch)
 *   runs       (id, timestamp, recorded_at, git_commit, branch, dirty,
 *               machine_id, source_format, command, note, host, nbenches,
 *               content_hash, context JSON)
 *   benchmarks (id, name, family, args JSON, tags JSON) unique together
 *   results    (id, run_id -> runs ON DELETE CASCADE, bench_id, metric,
 *               unit, direction, status, error, iterations, n, min, max,
 *               mean, stddev, median, mad, p90, p99, ci_low, ci_high);
 *              a benchmark without metrics (a crash) has one row with
 *              metric NULL; rows are in the run's order (by id)
 *   samples    (result_id -> results ON DELETE CASCADE, data BLOB of
 *               little-endian IEEE doubles, processes: the samples of each
 *               process as text "5,5,5,5,5,5", NULL when not known; since
 *               version 2)
 *   baselines  (name PRIMARY KEY, run_id -> runs ON DELETE RESTRICT, saved_at)
 *   indexes    runs(branch), runs(content_hash), results(run_id),
 *              results(bench_id, metric), results(bench_id, run_id) (since
 *              version 3), baselines(run_id)
 *
 * Concurrency: WAL mode, a 10 s busy timeout, and every write transaction
 * starts with BEGIN IMMEDIATE, retried with backoff for about a minute
 * while another writer holds the lock, so concurrent CI jobs queue up
 * instead of failing with "database is locked".
 *
 * The public store_* functions (store.c) dispatch through a store_ops
 * table; this file supplies the SQLite one.
 */
#include "store_impl.h"

#include "../core/natsort.h"

#include <perfcmp.h>

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STORE_BUSY_TIMEOUT_MS 10000
#define STORE_BUSY_RETRY_MS 60000

/* The SQLite store: the common part first (store_impl.h). */
typedef struct sqlite_store {
    store base;
    sqlite3 *db;
    /* sqlite_history's statements, prepared at their first use and kept
     * (reset after each) until sqlite_close: a compare asks for the
     * history of every benchmark of a baseline, and preparing is most of
     * the cost of one such question */
    sqlite3_stmt *hist_id, *hist_one, *hist_many;
} sqlite_store;

#define SQ(s) ((sqlite_store *)(s))

/* ---- errors ------------------------------------------------------------- */

static int store_dberr(store *s, const char *what)
{
    store_seterr(s, "%s: %s", what, sqlite3_errmsg(SQ(s)->db));
    return -1;
}

/* ---- small helpers ------------------------------------------------------ */

static char *store_col_str(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? store_strdup((const char *)t) : NULL;
}

static void store_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int store_bind_text(sqlite3_stmt *st, int i, const char *t)
{
    return t ? sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

/* Binds F's branch, machine and last (NULL, NULL, -1 for "any") to the
 * parameters FIRST, FIRST + 1 and FIRST + 2 of ST. */
static void store_bind_filter(sqlite3_stmt *st, int first, const store_filter *f)
{
    store_bind_text(st, first, f ? f->branch : NULL);
    store_bind_text(st, first + 1, f && f->machine && *f->machine ? f->machine : NULL);
    sqlite3_bind_int64(st, first + 2, f && f->last ? (sqlite3_int64)f->last : -1);
}

/* Prepares SQL into *ST.  0, or -1 with "WHAT: <sqlite message>". */
static int store_prepare(store *s, sqlite3_stmt **st, const char *sql, const char *what)
{
    if (sqlite3_prepare_v2(SQ(s)->db, sql, -1, st, NULL) != SQLITE_OK)
        return store_dberr(s, what);
    return 0;
}

/* Runs SQL, retrying with backoff (5 ms doubling up to 500 ms, for about
 * STORE_BUSY_RETRY_MS in all) while the database is busy, or also while
 * it is locked when RETRY_LOCKED.  Returns the last SQLite result code. */
static int store_exec_retry(sqlite3 *db, const char *sql, int retry_locked)
{
    long waited = 0, delay = 5;
    for (;;) {
        int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return rc;
        if ((rc != SQLITE_BUSY && !(retry_locked && rc == SQLITE_LOCKED))
            || waited >= STORE_BUSY_RETRY_MS)
            return rc;
        store_sleep_ms(delay);
        waited += delay;
        delay = delay * 2 > 500 ? 500 : delay * 2;
    }
}

/* Creates every missing directory of PATH's parent.  0 or -1 (errno). */
static int store_mkdirs_for(const char *path)
{
    char *d = store_strdup(path);
    int rc = 0;
    if (!d)
        return -1;
    char *slash = strrchr(d, '/');
    if (!slash || slash == d)
        goto out;
    *slash = '\0';
    for (char *p = d + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(d, 0777) != 0 && errno != EEXIST) {
                rc = -1;
                goto out;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
out:
    free(d);
    return rc;
}

/* ---- schema and migrations ---------------------------------------------- */

/* migrations[i] takes a database from user_version i to i + 1.  Append a
 * step (never edit an old one) and bump STORE_SCHEMA_VERSION. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE machines ("
    "  id INTEGER PRIMARY KEY,"
    "  fingerprint TEXT NOT NULL UNIQUE,"
    "  cpu_model TEXT, cpu_count INTEGER, os TEXT, arch TEXT);"
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  timestamp TEXT,"
    "  recorded_at TEXT NOT NULL,"
    "  git_commit TEXT,"
    "  branch TEXT,"
    "  dirty INTEGER NOT NULL DEFAULT -1,"
    "  machine_id INTEGER REFERENCES machines(id),"
    "  source_format TEXT,"
    "  command TEXT,"
    "  note TEXT,"
    "  host TEXT,"
    "  nbenches INTEGER NOT NULL DEFAULT 0,"
    "  content_hash TEXT,"
    "  context TEXT);"
    "CREATE INDEX runs_branch ON runs(branch);"
    "CREATE INDEX runs_hash ON runs(content_hash);"
    "CREATE TABLE benchmarks ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  family TEXT NOT NULL,"
    "  args TEXT NOT NULL,"
    "  tags TEXT NOT NULL,"
    "  UNIQUE (name, family, args, tags));"
    "CREATE TABLE results ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  bench_id INTEGER NOT NULL REFERENCES benchmarks(id),"
    "  metric TEXT,"
    "  unit TEXT,"
    "  direction INTEGER NOT NULL DEFAULT 0,"
    "  status INTEGER NOT NULL DEFAULT 0,"
    "  error TEXT,"
    "  iterations INTEGER NOT NULL DEFAULT 0,"
    "  n INTEGER, min REAL, max REAL, mean REAL, stddev REAL, median REAL,"
    "  mad REAL, p90 REAL, p99 REAL, ci_low REAL, ci_high REAL);"
    "CREATE INDEX results_run ON results(run_id);"
    "CREATE INDEX results_bench ON results(bench_id, metric);"
    "CREATE TABLE samples ("
    "  result_id INTEGER PRIMARY KEY REFERENCES results(id) ON DELETE CASCADE,"
    "  data BLOB NOT NULL);"
    "CREATE TABLE baselines ("
    "  name TEXT PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE RESTRICT,"
    "  saved_at TEXT NOT NULL);"
    "CREATE INDEX baselines_run ON baselines(run_id);",
    /* 1 -> 2: the samples' grouping by process (results-format version 2) */
    "ALTER TABLE samples ADD COLUMN processes TEXT;",
    /* 2 -> 3: a benchmark's results newest first without sorting them
     * (sqlite_history: 100,000 runs read in milliseconds, not seconds) */
    "CREATE INDEX results_bench_run ON results(bench_id, run_id);",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "one migration step per schema version");

static int store_user_version(store *s, int *v)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(SQ(s)->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rc = sqlite3_errcode(SQ(s)->db);
        sqlite3_finalize(st);
        return rc == SQLITE_OK ? SQLITE_ERROR : rc;
    }
    *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return SQLITE_OK;
}

/* 1 if the database has tables but none of ours, 0 if it is empty or
 * ours, -1 on error. */
static int store_is_foreign(store *s)
{
    sqlite3_stmt *st = NULL;
    int others = 0, ours = 0, rc;
    if (sqlite3_prepare_v2(SQ(s)->db,
                           "SELECT name FROM sqlite_master WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(st, 0);
        if (n && (!strcmp(n, "runs") || !strcmp(n, "results") || !strcmp(n, "baselines")))
            ours++;
        else
            others++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    return (others > 0 || ours > 0) ? 1 : 0;
}

/* ---- transactions ------------------------------------------------------- */

static int sqlite_begin(store *s)
{
    if (s->txn_depth > 0) {
        s->txn_depth++;
        return 0;
    }
    if (store_exec_retry(SQ(s)->db, "BEGIN IMMEDIATE", 1) != SQLITE_OK)
        return store_dberr(s, "cannot start a transaction");
    s->txn_depth = 1;
    s->txn_failed = 0;
    return 0;
}

static void sqlite_rollback(store *s)
{
    if (s->txn_depth == 0)
        return;
    if (--s->txn_depth > 0) {
        s->txn_failed = 1;
        return;
    }
    sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
    s->txn_failed = 0;
}

static int sqlite_commit(store *s)
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
        sqlite_rollback(s);
        store_seterr(s, "a step of the transaction failed; rolled back");
        return -1;
    }
    if (store_exec_retry(SQ(s)->db, "COMMIT", 0) != SQLITE_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(SQ(s)->db));
        sqlite_rollback(s);
        store_seterr(s, "cannot commit: %s", msg);
        return -1;
    }
    s->txn_depth = 0;
    return 0;
}

/* Deferred: the first read takes the read lock (in WAL mode, a snapshot)
 * and keeps it until the COMMIT; a writer is not kept waiting. */
static int sqlite_read_begin(store *s)
{
    if (sqlite3_exec(SQ(s)->db, "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
        return store_dberr(s, "cannot start a read transaction");
    return 0;
}

static void sqlite_read_end(store *s)
{
    if (!sqlite3_get_autocommit(SQ(s)->db))
        sqlite3_exec(SQ(s)->db, "COMMIT", NULL, NULL, NULL);
}

/* ---- open / close ------------------------------------------------------- */

static int store_migrate(store *s, char *err, size_t errlen)
{
    int v = 0, rc = -1;
    if (sqlite_begin(s) != 0) {
        snprintf(err, errlen, "%s", s->err);
        return -1;
    }
    /* another process may have migrated while we waited for the lock */
    if (store_user_version(s, &v) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(SQ(s)->db));
        goto out;
    }
    if (store_check_version(v, err, errlen) != 0)
        goto out;
    if (v == 0 && store_is_foreign(s) != 0) {
        snprintf(err, errlen, "not a perfcmp database");
        goto out;
    }
    for (; v < STORE_SCHEMA_VERSION; v++) {
        char *msg = NULL;
        if (sqlite3_exec(SQ(s)->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, errlen, "migrating the schema to version %d: %s", v + 1,
                     msg ? msg : "error");
            sqlite3_free(msg);
            goto out;
        }
    }
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
    if (sqlite3_exec(SQ(s)->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(SQ(s)->db));
        goto out;
    }
    rc = 0;
out:
    if (rc == 0) {
        if (sqlite_commit(s) != 0) {
            snprintf(err, errlen, "%s", s->err);
            rc = -1;
        }
    } else {
        sqlite_rollback(s);
    }
    return rc;
}

/* 1 if PATH exists, is non-empty and does not start with SQLite's magic. */
static int store_not_sqlite(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n > 0 && (n < sizeof head || memcmp(head, magic, sizeof magic) != 0);
}

static const store_ops sqlite_ops;

/* Opens the SQLite store at PATH; when CREATE is 0 and nothing exists at
 * PATH, an empty one in memory instead (store_open_existing). */
int store_open_sqlite(const char *path, int create, store **out, char *err, size_t errlen)
{
    sqlite_store *q = calloc(1, sizeof *q);
    store *s = q ? &q->base : NULL;
    int v = 0, rc;
    struct stat st;
    if (!s || !(s->path = store_strdup(path))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    s->ops = &sqlite_ops;
    int exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "is a directory");
        goto fail;
    }
    const char *file = path;
    if (!exists && !create && errno == ENOENT) {
        file = ":memory:";
    } else {
        if (store_mkdirs_for(path) != 0) {
            snprintf(err, errlen, "cannot create its directory: %s", strerror(errno));
            goto fail;
        }
        if (store_not_sqlite(path)) {
            snprintf(err, errlen, "not a perfcmp database");
            goto fail;
        }
    }
    rc = sqlite3_open_v2(file, &SQ(s)->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s", SQ(s)->db ? sqlite3_errmsg(SQ(s)->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(SQ(s)->db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(SQ(s)->db, 0);
    rc = store_user_version(s, &v);
    if (rc == SQLITE_NOTADB) {
        snprintf(err, errlen, "not a perfcmp database");
        goto fail;
    }
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(SQ(s)->db));
        goto fail;
    }
    if (store_check_version(v, err, errlen) != 0)
        goto fail;
    /* whether a version-0 file is someone else's database is decided in
     * store_migrate, under the write lock: another perfcmp may be creating
     * the tables right now */
    if (v < STORE_SCHEMA_VERSION && store_migrate(s, err, errlen) != 0)
        goto fail;
    /* WAL lets readers run beside a writer; switching needs a moment
     * without other connections, so retry while busy. */
    if (store_exec_retry(SQ(s)->db, "PRAGMA journal_mode = WAL", 0) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(SQ(s)->db));
        goto fail;
    }
    if (sqlite3_exec(SQ(s)->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL",
                     NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(SQ(s)->db));
        goto fail;
    }
    *out = s;
    return 0;
fail:
    if (s) {
        sqlite3_close(SQ(s)->db);
        free(s->path);
        free(s);
    }
    *out = NULL;
    return -1;
}

static void sqlite_close(store *s)
{
    if (s->txn_depth > 0) {
        s->txn_depth = 1;
        sqlite_rollback(s);
    }
    sqlite3_finalize(SQ(s)->hist_id);
    sqlite3_finalize(SQ(s)->hist_many);
    sqlite3_finalize(SQ(s)->hist_one);
    sqlite3_close(SQ(s)->db);
    free(s->path);
    free(s);
}

/* ---- add a run ---------------------------------------------------------- */

/* id of the machine row for C, inserted when new. */
static int store_machine_id(store *s, const results_context *c, int64_t *id)
{
    char *fp = store_machine_fingerprint(c);
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (!fp) {
        store_seterr(s, "out of memory");
        return -1;
    }
    if (sqlite3_prepare_v2(SQ(s)->db,
                           "INSERT INTO machines(fingerprint, cpu_model, cpu_count, os, arch) "
                           "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(fingerprint) DO NOTHING",
                           -1, &st, NULL) != SQLITE_OK)
        goto dberr;
    store_bind_text(st, 1, fp);
    store_bind_text(st, 2, c->cpu_model);
    sqlite3_bind_int(st, 3, c->cpu_count);
    store_bind_text(st, 4, c->os);
    store_bind_text(st, 5, c->arch);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto dberr;
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(SQ(s)->db, "SELECT id FROM machines WHERE fingerprint = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        goto dberr;
    store_bind_text(st, 1, fp);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto dberr;
    *id = sqlite3_column_int64(st, 0);
    rc = 0;
    goto out;
dberr:
    store_dberr(s, "storing the machine");
out:
    sqlite3_finalize(st);
    free(fp);
    return rc;
}

typedef struct store_add_stmts {
    sqlite3_stmt *bench_find, *bench_ins, *result, *sample;
} store_add_stmts;

/* Resets ST and binds a benchmark's identity to its parameters 1 to 4. */
static void store_bind_bench(sqlite3_stmt *st, const char *name, const char *family,
                             const char *args, const char *tags)
{
    sqlite3_reset(st);
    store_bind_text(st, 1, name);
    store_bind_text(st, 2, family);
    store_bind_text(st, 3, args);
    store_bind_text(st, 4, tags);
}

static int store_bench_id(store *s, store_add_stmts *q, const results_bench *b, int64_t *id)
{
    char *args = store_args_json(b), *tags = store_tags_json(b);
    const char *family = b->family ? b->family : b->name;
    int rc = -1;
    if (!args || !tags) {
        store_seterr(s, "out of memory");
        goto out;
    }
    store_bind_bench(q->bench_find, b->name, family, args, tags);
    int r = sqlite3_step(q->bench_find);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(q->bench_find, 0);
        rc = 0;
        goto out;
    }
    if (r != SQLITE_DONE) {
        store_dberr(s, "storing a benchmark");
        goto out;
    }
    store_bind_bench(q->bench_ins, b->name, family, args, tags);
    if (sqlite3_step(q->bench_ins) != SQLITE_DONE) {
        store_dberr(s, "storing a benchmark");
        goto out;
    }
    *id = sqlite3_last_insert_rowid(SQ(s)->db);
    rc = 0;
out:
    free(args);
    free(tags);
    return rc;
}

static int store_add_result(store *s, store_add_stmts *q, int64_t run_id, int64_t bench_id,
                            const results_bench *b, const results_metric *m)
{
    sqlite3_stmt *st = q->result;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int64(st, 2, bench_id);
    sqlite3_bind_int(st, 5, 0);
    sqlite3_bind_int(st, 6, (int)b->status);
    store_bind_text(st, 7, b->error);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)b->iterations);
    if (m) {
        const stats_summary *u = &m->summary;
        const double vals[] = { u->min, u->max, u->mean, u->stddev, u->median, u->mad,
                                u->p90, u->p99, u->ci_low, u->ci_high };
        store_bind_text(st, 3, m->name);
        store_bind_text(st, 4, m->unit ? m->unit : "");
        sqlite3_bind_int(st, 5, (int)m->direction);
        sqlite3_bind_int64(st, 9, (sqlite3_int64)u->n);
        for (int i = 0; i < 10; i++) {
            if (isnan(vals[i]))
                sqlite3_bind_null(st, 10 + i);
            else
                sqlite3_bind_double(st, 10 + i, vals[i]);
        }
    }
    if (sqlite3_step(st) != SQLITE_DONE)
        return store_dberr(s, "storing a result");
    if (!m)
        return 0;
    int64_t rid = sqlite3_last_insert_rowid(SQ(s)->db);
    size_t bytes = m->nsamples * 8;
    unsigned char *blob = malloc(bytes ? bytes : 1);
    if (!blob) {
        store_seterr(s, "out of memory");
        return -1;
    }
    store_pack_doubles(m->samples, m->nsamples, blob);
    sqlite3_reset(q->sample);
    sqlite3_bind_int64(q->sample, 1, rid);
    sqlite3_bind_blob64(q->sample, 2, blob, bytes, free);
    if (m->nprocesses > 0) {
        char *text = store_format_processes(m);
        if (!text) {
            store_seterr(s, "out of memory");
            return -1;
        }
        sqlite3_bind_text(q->sample, 3, text, -1, free);
    } else {
        sqlite3_bind_null(q->sample, 3);
    }
    if (sqlite3_step(q->sample) != SQLITE_DONE)
        return store_dberr(s, "storing samples");
    return 0;
}

static int sqlite_add_run_hashed(store *s, const results_run *run, const char *note, int64_t *id)
{
    store_add_stmts q = { 0 };
    sqlite3_stmt *st = NULL;
    cJSON *ctxj = NULL;
    char *ctxt = NULL, now[32], hash[17];
    int64_t machine = 0, run_id = 0;
    int rc = -1;
    const results_context *c = &run->context;

    if (sqlite_begin(s) != 0)
        return -1;
    results_utc_now(now, sizeof now);
    store_run_hash(run, hash);
    ctxj = store_context_json(c);
    ctxt = ctxj ? cJSON_PrintUnformatted(ctxj) : NULL;
    if (!ctxt) {
        store_seterr(s, "out of memory");
        goto out;
    }
    if (store_machine_id(s, c, &machine) != 0)
        goto out;
    if (store_prepare(s, &st,
                      "INSERT INTO runs(timestamp, recorded_at, git_commit, branch, dirty, "
                      "machine_id, source_format, command, note, host, nbenches, "
                      "content_hash, context) "
                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                      "storing the run") != 0)
        goto out;
    store_bind_text(st, 1, c->timestamp);
    store_bind_text(st, 2, now);
    store_bind_text(st, 3, c->git_commit);
    store_bind_text(st, 4, c->git_branch);
    sqlite3_bind_int(st, 5, c->git_dirty < 0 ? -1 : c->git_dirty ? 1 : 0);
    sqlite3_bind_int64(st, 6, machine);
    store_bind_text(st, 7, c->source_format);
    store_bind_text(st, 8, c->command);
    store_bind_text(st, 9, note && *note ? note : NULL);
    store_bind_text(st, 10, c->host);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)run->nbenches);
    store_bind_text(st, 12, hash);
    store_bind_text(st, 13, ctxt);
    if (sqlite3_step(st) != SQLITE_DONE) {
        store_dberr(s, "storing the run");
        goto out;
    }
    run_id = sqlite3_last_insert_rowid(SQ(s)->db);

    if (store_prepare(s, &q.bench_find,
                      "SELECT id FROM benchmarks WHERE name = ?1 AND family = ?2 "
                      "AND args = ?3 AND tags = ?4", "storing the run") != 0
        || store_prepare(s, &q.bench_ins,
                         "INSERT INTO benchmarks(name, family, args, tags) "
                         "VALUES(?1, ?2, ?3, ?4)", "storing the run") != 0
        || store_prepare(s, &q.result,
                         "INSERT INTO results(run_id, bench_id, metric, unit, direction, "
                         "status, error, iterations, n, min, max, mean, stddev, median, "
                         "mad, p90, p99, ci_low, ci_high) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                         "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                         "storing the run") != 0
        || store_prepare(s, &q.sample, "INSERT INTO samples(result_id, data, processes) VALUES(?1, ?2, ?3)",
                         "storing the run") != 0)
        goto out;
    for (size_t i = 0; i < run->nbenches; i++) {
        const results_bench *b = &run->benches[i];
        int64_t bid;
        if (store_bench_id(s, &q, b, &bid) != 0)
            goto out;
        if (b->nmetrics == 0 && store_add_result(s, &q, run_id, bid, b, NULL) != 0)
            goto out;
        for (size_t m = 0; m < b->nmetrics; m++) {
            if (store_add_result(s, &q, run_id, bid, b, &b->metrics[m]) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    sqlite3_finalize(q.bench_find);
    sqlite3_finalize(q.bench_ins);
    sqlite3_finalize(q.result);
    sqlite3_finalize(q.sample);
    cJSON_Delete(ctxj);
    cJSON_free(ctxt);
    rc = store_finish_txn(s, rc);
    if (rc == 0 && id)
        *id = run_id;
    return rc;
}

/* ---- reading rows ------------------------------------------------------- */

static double store_col_double(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

/* A stored status; one this perfcmp does not know reads as failed. */
static results_status store_col_status(sqlite3_stmt *st, int col)
{
    int status = sqlite3_column_int(st, col);
    return status >= RESULTS_OK && status <= RESULTS_TIMEOUT ? (results_status)status
                                                             : RESULTS_FAILED;
}

static results_direction store_col_direction(sqlite3_stmt *st, int col)
{
    return sqlite3_column_int(st, col) ? RESULTS_HIGHER_IS_BETTER : RESULTS_LOWER_IS_BETTER;
}

/* Reads results.n at column COL and min, max, mean, stddev, median, mad,
 * p90, p99, ci_low, ci_high (NULL: NaN) in the ten columns after it. */
static void store_col_summary(sqlite3_stmt *st, int col, stats_summary *u)
{
    double *vals[] = { &u->min, &u->max, &u->mean, &u->stddev, &u->median, &u->mad,
                       &u->p90, &u->p99, &u->ci_low, &u->ci_high };
    u->n = (size_t)sqlite3_column_int64(st, col);
    for (int i = 0; i < 10; i++)
        *vals[i] = store_col_double(st, col + 1 + i);
}

/* Fills the zeroed ELEM from the current row of a statement.  0, or -1 when
 * out of memory (ELEM may then hold part of the row). */
typedef int store_row_fn(sqlite3_stmt *st, void *elem);

/*
 * Steps ST (prepared and bound) to its end, reading each row with ROW into
 * a new element of SIZE bytes.  Returns 0 with the array in *OUT (NULL when
 * there are no rows; the caller frees it) and its length in *N, or -1 with
 * *OUT NULL, *N 0, everything released with RELEASE, and the error
 * "out of memory" or "WHAT: <sqlite message>".
 */
static int store_collect(store *s, sqlite3_stmt *st, const char *what, size_t size,
                         store_row_fn *row, store_release_fn *release, void **out, size_t *n)
{
    char *v = NULL;
    size_t cnt = 0, cap = 0;
    int r;
    *out = NULL;
    *n = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char *nv = realloc(v, nc * size);
            if (!nv)
                goto nomem;
            v = nv;
            cap = nc;
        }
        void *e = v + cnt * size;
        memset(e, 0, size);
        cnt++;
        if (row(st, e) != 0)
            goto nomem;
    }
    if (r != SQLITE_DONE) {
        store_dberr(s, what);
        goto fail;
    }
    *out = v;
    *n = cnt;
    return 0;
nomem:
    store_seterr(s, "out of memory");
fail:
    store_free_array(v, cnt, size, release);
    return -1;
}

/* store_collect on SQL, a query without parameters. */
static int store_collect_sql(store *s, const char *sql, const char *what, size_t size,
                             store_row_fn *row, store_release_fn *release, void **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    if (store_prepare(s, &st, sql, what) != 0)
        return -1;
    int rc = store_collect(s, st, what, size, row, release, out, n);
    sqlite3_finalize(st);
    return rc;
}

/* Binds ID to parameter 1 of ST, a query on one run, and steps to its row.
 * 0 on the row, STORE_NOTFOUND ("no run ID") when there is none, or -1
 * with "WHAT: <sqlite message>". */
static int store_step_run(store *s, sqlite3_stmt *st, int64_t id, const char *what)
{
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        return 0;
    if (r == SQLITE_DONE) {
        store_seterr(s, "no run %lld", (long long)id);
        return STORE_NOTFOUND;
    }
    return store_dberr(s, what);
}

/* Runs SQL, an aggregate that gives one row with a run id or NULL, with
 * KEY bound to parameter 1 if SQL has one.  0 with *ID set, STORE_NOTFOUND
 * on NULL (the error message is left alone), or -1 with "WHAT: <sqlite
 * message>". */
static int store_query_id(store *s, const char *sql, const char *key, const char *what,
                          int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (store_prepare(s, &st, sql, what) != 0)
        goto out;
    if (sqlite3_bind_parameter_count(st) > 0)
        store_bind_text(st, 1, key);
    if (sqlite3_step(st) != SQLITE_ROW) {
        store_dberr(s, what);
        goto out;
    }
    if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
        rc = STORE_NOTFOUND;
        goto out;
    }
    *id = sqlite3_column_int64(st, 0);
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

/* ---- load a run --------------------------------------------------------- */

static int sqlite_load_run(store *s, int64_t id, results_run *out)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, r;
    results_bench *b = NULL;
    int64_t cur_bench = -1;
    double *samples = NULL;

    if (store_prepare(s, &st,
                      "SELECT timestamp, git_commit, branch, dirty, source_format, command, "
                      "host, context FROM runs WHERE id = ?1", "loading the run") != 0)
        goto out;
    r = store_step_run(s, st, id, "loading the run");
    if (r != 0) {
        rc = r;
        goto out;
    }
    out->version = PERFCMP_RESULTS_VERSION;
    results_context *c = &out->context;
    c->git_dirty = -1;
    if (store_context_from_json((const char *)sqlite3_column_text(st, 7), c) != 0)
        goto nomem;
    const char *cols[] = { "timestamp", "git_commit", "branch", NULL, "source_format", "command",
                           "host" };
    char **dsts[] = { &c->timestamp, &c->git_commit, &c->git_branch, NULL, &c->source_format,
                      &c->command, &c->host };
    for (int i = 0; i < 7; i++) {
        if (!cols[i] || sqlite3_column_type(st, i) == SQLITE_NULL)
            continue;
        if (results_set_str(dsts[i], (const char *)sqlite3_column_text(st, i)) != 0)
            goto nomem;
    }
    c->git_dirty = sqlite3_column_int(st, 3);
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(SQ(s)->db,
                           "SELECT r.bench_id, b.name, b.family, b.args, b.tags, r.metric, r.unit, "
                           "r.direction, r.status, r.error, r.iterations, r.n, r.min, r.max, "
                           "r.mean, r.stddev, r.median, r.mad, r.p90, r.p99, r.ci_low, r.ci_high, "
                           "s.data, s.processes FROM results r JOIN benchmarks b ON b.id = r.bench_id "
                           "LEFT JOIN samples s ON s.result_id = r.id "
                           "WHERE r.run_id = ?1 ORDER BY r.id", -1, &st, NULL) != SQLITE_OK)
        goto dberr;
    sqlite3_bind_int64(st, 1, id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t bid = sqlite3_column_int64(st, 0);
        if (bid != cur_bench || !b) {
            b = results_add_bench(out, (const char *)sqlite3_column_text(st, 1),
                                  (const char *)sqlite3_column_text(st, 2));
            if (!b)
                goto nomem;
            cur_bench = bid;
            if (store_parse_args((const char *)sqlite3_column_text(st, 3), b) != 0
                || store_parse_tags((const char *)sqlite3_column_text(st, 4), b) != 0)
                goto nomem;
            b->status = store_col_status(st, 8);
            if (sqlite3_column_type(st, 9) != SQLITE_NULL
                && results_set_str(&b->error, (const char *)sqlite3_column_text(st, 9)) != 0)
                goto nomem;
            b->iterations = (uint64_t)sqlite3_column_int64(st, 10);
        }
        if (sqlite3_column_type(st, 5) == SQLITE_NULL)
            continue;
        size_t bytes = (size_t)sqlite3_column_bytes(st, 22);
        size_t n = bytes / 8;
        const unsigned char *blob = sqlite3_column_blob(st, 22);
        free(samples);
        samples = malloc(n ? n * sizeof *samples : 1);
        if (!samples)
            goto nomem;
        if (blob)
            store_unpack_doubles(blob, n, samples);
        else
            n = 0;
        results_metric *m = results_add_metric(b, (const char *)sqlite3_column_text(st, 5),
                                                (const char *)sqlite3_column_text(st, 6),
                                                store_col_direction(st, 7), samples, n);
        if (!m)
            goto nomem;
        store_col_summary(st, 11, &m->summary);
        if (sqlite3_column_type(st, 23) != SQLITE_NULL &&
            store_parse_processes((const char *)sqlite3_column_text(st, 23), m) != 0) {
            if (errno == ENOMEM)
                goto nomem;
            store_seterr(s, "corrupt sample grouping of run %lld", (long long)id);
            goto out;
        }
    }
    if (r != SQLITE_DONE)
        goto dberr;
    rc = 0;
    goto out;
nomem:
    store_seterr(s, "out of memory");
    goto out;
dberr:
    store_dberr(s, "loading the run");
out:
    free(samples);
    sqlite3_finalize(st);
    if (rc != 0)
        results_run_release(out);
    return rc;
}

/* ---- queries on runs ---------------------------------------------------- */

static int sqlite_latest_run(store *s, int64_t *id)
{
    int rc = store_query_id(s, "SELECT max(id) FROM runs", NULL, "finding the latest run", id);
    if (rc == STORE_NOTFOUND)
        store_seterr(s, "no runs recorded yet");
    return rc;
}

/* The columns store_info_row reads, from runs r and machines m; append a
 * WHERE clause. */
#define STORE_INFO_SELECT \
    "SELECT r.id, r.timestamp, r.recorded_at, r.git_commit, r.branch, r.dirty, r.note, " \
    "r.source_format, r.host, m.fingerprint, r.nbenches, " \
    "(SELECT group_concat(name, char(10)) FROM " \
    "  (SELECT name FROM baselines WHERE run_id = r.id ORDER BY name)) " \
    "FROM runs r LEFT JOIN machines m ON m.id = r.machine_id "

/* A store_row_fn: a row of STORE_INFO_SELECT into the store_run_info ELEM. */
static int store_info_row(sqlite3_stmt *st, void *elem)
{
    store_run_info *o = elem;
    o->id = sqlite3_column_int64(st, 0);
    o->dirty = sqlite3_column_int(st, 5);
    o->nbenches = (size_t)sqlite3_column_int64(st, 10);
    char **dst[] = { NULL, &o->timestamp, &o->recorded_at, &o->commit, &o->branch, NULL,
                     &o->note, &o->source_format, &o->host, &o->machine };
    for (int i = 0; i < 10; i++) {
        if (!dst[i] || sqlite3_column_type(st, i) == SQLITE_NULL)
            continue;
        if (!(*dst[i] = store_col_str(st, i)))
            return -1;
    }
    const char *bl = (const char *)sqlite3_column_text(st, 11);
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

static int sqlite_run_info_get(store *s, int64_t id, store_run_info *out)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (store_prepare(s, &st, STORE_INFO_SELECT "WHERE r.id = ?1", "reading the run") != 0)
        goto out;
    rc = store_step_run(s, st, id, "reading the run");
    if (rc == 0 && store_info_row(st, out) != 0) {
        store_run_info_release(out);
        store_seterr(s, "out of memory");
        rc = -1;
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/* Runs the info query ST (already bound) into a fresh array. */
static int store_collect_infos(store *s, sqlite3_stmt *st, store_run_info **out, size_t *n)
{
    void *v;
    int rc = store_collect(s, st, "listing runs", sizeof **out, store_info_row,
                           store_info_release, &v, n);
    *out = v;
    return rc;
}

static int sqlite_list_runs(store *s, const store_filter *f, store_run_info **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    *out = NULL;
    *n = 0;
    if (store_prepare(s, &st,
                      STORE_INFO_SELECT
                      "WHERE (?1 IS NULL OR r.branch = ?1) "
                      "AND (?2 IS NULL OR instr(m.fingerprint, ?2) > 0) "
                      "ORDER BY r.id DESC LIMIT ?3", "listing runs") != 0)
        goto out;
    store_bind_filter(st, 1, f);
    rc = store_collect_infos(s, st, out, n);
out:
    sqlite3_finalize(st);
    return rc;
}

static int sqlite_prune_runs(store *s, size_t keep_last, double older_than_days, int dry_run,
                             store_run_info **removed, size_t *n)
{
    sqlite3_stmt *st = NULL;
    store_run_info *v = NULL;
    size_t cnt = 0;
    int rc = -1;
    *removed = NULL;
    *n = 0;
    if (sqlite_begin(s) != 0)
        return -1;
    /* the set is computed once, inside the write transaction, so a run
     * recorded meanwhile cannot slip in */
    if (sqlite3_exec(SQ(s)->db, "DROP TABLE IF EXISTS temp.prune_ids; "
                            "CREATE TEMP TABLE prune_ids(id INTEGER PRIMARY KEY)",
                     NULL, NULL, NULL) != SQLITE_OK) {
        store_dberr(s, "pruning");
        goto out;
    }
    if (store_prepare(s, &st,
                      "INSERT INTO temp.prune_ids SELECT r.id FROM runs r "
                      "WHERE r.id NOT IN (SELECT run_id FROM baselines) "
                      "AND (?1 <= 0 OR r.id NOT IN "
                      "     (SELECT id FROM runs ORDER BY id DESC LIMIT ?1)) "
                      "AND (?2 <= 0 OR julianday('now') - julianday(r.recorded_at) > ?2)",
                      "pruning") != 0)
        goto out;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)keep_last);
    sqlite3_bind_double(st, 2, older_than_days);
    if (sqlite3_step(st) != SQLITE_DONE) {
        store_dberr(s, "pruning");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (store_prepare(s, &st,
                      STORE_INFO_SELECT
                      "WHERE r.id IN (SELECT id FROM temp.prune_ids) ORDER BY r.id DESC",
                      "pruning") != 0)
        goto out;
    if (store_collect_infos(s, st, &v, &cnt) != 0)
        goto out;
    if (!dry_run) {
        char *msg = NULL;
        if (sqlite3_exec(SQ(s)->db,
                         "DELETE FROM runs WHERE id IN (SELECT id FROM temp.prune_ids);"
                         "DELETE FROM benchmarks WHERE id NOT IN (SELECT bench_id FROM results);"
                         "DELETE FROM machines WHERE id NOT IN "
                         "  (SELECT machine_id FROM runs WHERE machine_id IS NOT NULL);",
                         NULL, NULL, &msg) != SQLITE_OK) {
            store_seterr(s, "pruning: %s", msg ? msg : "error");
            sqlite3_free(msg);
            goto out;
        }
    }
    sqlite3_exec(SQ(s)->db, "DROP TABLE temp.prune_ids", NULL, NULL, NULL);
    rc = 0;
out:
    sqlite3_finalize(st);
    if (dry_run && rc == 0) {
        /* nothing written but the temp table: let it go */
        rc = store_finish_txn(s, 0);
    } else {
        rc = store_finish_txn(s, rc);
    }
    if (rc == 0) {
        *removed = v;
        *n = cnt;
    } else {
        store_run_infos_free(v, cnt);
    }
    return rc;
}

/* ---- baselines ---------------------------------------------------------- */

static int store_run_exists(store *s, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int r = -1;
    if (sqlite3_prepare_v2(SQ(s)->db, "SELECT 1 FROM runs WHERE id = ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        int x = sqlite3_step(st);
        r = x == SQLITE_ROW ? 1 : x == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    if (r < 0)
        store_dberr(s, "finding the run");
    return r;
}

static int sqlite_baseline_set(store *s, const char *name, int64_t run_id)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    int rc = -1;
    if (sqlite_begin(s) != 0)
        return -1;
    int ex = store_run_exists(s, run_id);
    if (ex < 0)
        goto out;
    if (ex == 0) {
        store_seterr(s, "no run %lld", (long long)run_id);
        rc = STORE_NOTFOUND;
        goto out;
    }
    results_utc_now(now, sizeof now);
    if (store_prepare(s, &st,
                      "INSERT INTO baselines(name, run_id, saved_at) VALUES(?1, ?2, ?3) "
                      "ON CONFLICT(name) DO UPDATE SET run_id = excluded.run_id, "
                      "saved_at = excluded.saved_at", "saving the baseline") != 0)
        goto out;
    store_bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, run_id);
    store_bind_text(st, 3, now);
    if (sqlite3_step(st) != SQLITE_DONE) {
        store_dberr(s, "saving the baseline");
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return store_finish_txn(s, rc);
}

static int sqlite_baseline_get(store *s, const char *name, int64_t *run_id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (store_prepare(s, &st, "SELECT run_id FROM baselines WHERE name = ?1",
                      "reading the baseline") != 0)
        goto out;
    store_bind_text(st, 1, name);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *run_id = sqlite3_column_int64(st, 0);
        rc = 0;
    } else if (r == SQLITE_DONE) {
        store_seterr(s, "no baseline '%s'", name);
        rc = STORE_NOTFOUND;
    } else {
        store_dberr(s, "reading the baseline");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

static int sqlite_baseline_delete(store *s, const char *name)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite_begin(s) != 0)
        return -1;
    if (store_prepare(s, &st, "DELETE FROM baselines WHERE name = ?1",
                      "deleting the baseline") != 0)
        goto out;
    store_bind_text(st, 1, name);
    if (sqlite3_step(st) != SQLITE_DONE) {
        store_dberr(s, "deleting the baseline");
        goto out;
    }
    if (sqlite3_changes(SQ(s)->db) == 0) {
        store_seterr(s, "no baseline '%s'", name);
        rc = STORE_NOTFOUND;
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return store_finish_txn(s, rc);
}

/* A store_row_fn: name, run_id, saved_at into the store_baseline ELEM. */
static int store_baseline_row(sqlite3_stmt *st, void *elem)
{
    store_baseline *b = elem;
    b->name = store_col_str(st, 0);
    b->run_id = sqlite3_column_int64(st, 1);
    b->saved_at = store_col_str(st, 2);
    return b->name && b->saved_at ? 0 : -1;
}

static int sqlite_baseline_list_full(store *s, store_baseline **out, size_t *n)
{
    void *v;
    int rc = store_collect_sql(s, "SELECT name, run_id, saved_at FROM baselines ORDER BY name",
                               "listing baselines", sizeof **out, store_baseline_row,
                               store_baseline_release, &v, n);
    *out = v;
    return rc;
}

static int sqlite_find_run_by_hash(store *s, const char *hash, int64_t nth, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (store_prepare(s, &st, "SELECT id FROM runs WHERE content_hash = ?1 ORDER BY id "
                              "LIMIT 1 OFFSET ?2", "finding the run") != 0)
        return -1;
    store_bind_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, nth);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        rc = 0;
    } else if (r == SQLITE_DONE) {
        rc = STORE_NOTFOUND;
    } else {
        store_dberr(s, "finding the run");
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- history ------------------------------------------------------------ */

/* A store_row_fn: a row of the history query into the store_point ELEM. */
static int store_point_row(sqlite3_stmt *st, void *elem)
{
    store_point *p = elem;
    p->run_id = sqlite3_column_int64(st, 0);
    char **dst[] = { NULL, &p->timestamp, &p->commit, &p->branch, &p->machine };
    for (int i = 1; i < 5; i++) {
        if (sqlite3_column_type(st, i) != SQLITE_NULL && !(*dst[i] = store_col_str(st, i)))
            return -1;
    }
    p->status = store_col_status(st, 5);
    if (sqlite3_column_type(st, 6) != SQLITE_NULL && !(p->unit = store_col_str(st, 6)))
        return -1;
    p->direction = store_col_direction(st, 7);
    store_col_summary(st, 8, &p->summary);
    if (sqlite3_column_type(st, 19) != SQLITE_NULL && !(p->build = store_col_str(st, 19)))
        return -1;
    return 0;
}

/* The columns and joins of sqlite_history's two queries. */
#define HISTORY_COLUMNS                                                                 \
    "SELECT r.id, r.timestamp, r.git_commit, r.branch, m.fingerprint, "                \
    "x.status, x.unit, x.direction, x.n, x.min, x.max, x.mean, x.stddev, "             \
    "x.median, x.mad, x.p90, x.p99, x.ci_low, x.ci_high, "                              \
    "COALESCE(CASE WHEN json_valid(r.context) "                                         \
    "THEN json_extract(r.context, '$.binary_id') END, "                                 \
    "CASE WHEN r.dirty = 0 AND r.git_commit IS NOT NULL "                               \
    "THEN 'commit:' || r.git_commit END) "
#define HISTORY_FILTER                                                                  \
    "AND (x.metric = ?2 OR x.metric IS NULL) "                                          \
    "AND r.source_format IS NOT 'perfcmp-merged' "                                      \
    "AND (?3 IS NULL OR r.branch = ?3) "                                                \
    "AND (?4 IS NULL OR instr(m.fingerprint, ?4) > 0) "

/* The id of the one benchmark named BENCH into *ID: 1, or 0 when there is
 * none or more than one (same name, other arguments or tags), -1 on an
 * error of the database. */
static int history_bench_id(store *s, const char *bench, sqlite3_int64 *id)
{
    int found = 0, rc;
    if (!SQ(s)->hist_id && store_prepare(s, &SQ(s)->hist_id,
                                     "SELECT id FROM benchmarks WHERE name = ?1 LIMIT 2",
                                     "reading history") != 0)
        return -1;
    sqlite3_stmt *st = SQ(s)->hist_id;
    store_bind_text(st, 1, bench);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        found++;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return store_dberr(s, "reading history");
    return found == 1;
}

static int sqlite_history(store *s, const char *bench, const char *metric, const store_filter *f,
                          store_point **out, size_t *n)
{
    sqlite3_int64 bench_id = 0;
    void *pv;
    *out = NULL;
    *n = 0;
    /* newest first with LIMIT, then reversed to oldest first; a benchmark
     * that failed without metrics shows as a point with its status.  A
     * name of one benchmark (the usual case) walks the index
     * results(bench_id, run_id) backwards and stops at the limit; a name
     * shared by several benchmarks needs their results merged, sorted. */
    int one = history_bench_id(s, bench, &bench_id);
    if (one < 0)
        return -1;
    sqlite3_stmt **slot = one ? &SQ(s)->hist_one : &SQ(s)->hist_many;
    if (!*slot && store_prepare(s, slot,
                                one ? HISTORY_COLUMNS
                                      "FROM results x JOIN runs r ON r.id = x.run_id "
                                      "LEFT JOIN machines m ON m.id = r.machine_id "
                                      "WHERE x.bench_id = ?6 " HISTORY_FILTER
                                      "ORDER BY x.run_id DESC LIMIT ?5"
                                    : HISTORY_COLUMNS
                                      "FROM results x JOIN benchmarks b ON b.id = x.bench_id "
                                      "JOIN runs r ON r.id = x.run_id "
                                      "LEFT JOIN machines m ON m.id = r.machine_id "
                                      "WHERE b.name = ?1 " HISTORY_FILTER
                                      "ORDER BY r.id DESC LIMIT ?5",
                                "reading history") != 0)
        return -1;
    sqlite3_stmt *st = *slot;
    if (!one)
        store_bind_text(st, 1, bench);
    store_bind_text(st, 2, metric);
    store_bind_filter(st, 3, f);
    if (one)
        sqlite3_bind_int64(st, 6, bench_id);
    int rc = store_collect(s, st, "reading history", sizeof **out, store_point_row,
                           store_point_release, &pv, n);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    store_point *v = pv;
    for (size_t i = 0; i < *n / 2; i++) {
        store_point t = v[i];
        v[i] = v[*n - 1 - i];
        v[*n - 1 - i] = t;
    }
    *out = v;
    return rc;
}

/* A store_row_fn: column 0 into the char * ELEM. */
static int store_name_row(sqlite3_stmt *st, void *elem)
{
    char **name = elem;
    *name = store_col_str(st, 0);
    return *name ? 0 : -1;
}

static int sqlite_bench_names(store *s, char ***names, size_t *n)
{
    void *v;
    int rc = store_collect_sql(s, "SELECT DISTINCT name FROM benchmarks ORDER BY name",
                               "listing benchmarks", sizeof **names, store_name_row,
                               store_name_release, &v, n);
    *names = v;
    if (rc == 0)
        natsort_strings(*names, *n);   /* qsort/16 before qsort/1024 */
    return rc;
}

static const store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .read_begin = sqlite_read_begin,
    .read_end = sqlite_read_end,
    .add_run = sqlite_add_run_hashed,
    .load_run = sqlite_load_run,
    .latest_run = sqlite_latest_run,
    .run_info_get = sqlite_run_info_get,
    .list_runs = sqlite_list_runs,
    .prune_runs = sqlite_prune_runs,
    .baseline_set = sqlite_baseline_set,
    .baseline_get = sqlite_baseline_get,
    .baseline_delete = sqlite_baseline_delete,
    .baseline_list_full = sqlite_baseline_list_full,
    .history = sqlite_history,
    .bench_names = sqlite_bench_names,
    .find_run_by_hash = sqlite_find_run_by_hash,
};

