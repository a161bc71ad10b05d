/*
 * store.h - where perfcmp keeps runs and baselines.
 *
 * The commands talk only to this interface.  Behind it sits a backend
 * (store_sqlite.c, the embedded default; store_pg.c, a PostgreSQL server)
 * reached through a table of operations (store_impl.h), so that adding a
 * backend touches no command.
 *
 * Conventions: functions return 0 on success, STORE_NOTFOUND (1) when the
 * thing asked for does not exist, and -1 on error; after -1,
 * store_errmsg() gives a one-line reason (no file name prefix, no newline)
 * that stays valid until the next call on the same store.  Every function
 * that writes does so in one transaction: on error nothing is changed.
 * Arrays and structs returned through OUT parameters belong to the caller
 * and are freed with the matching *_free function (which accepts NULL).
 */
#ifndef PERFCMP_STORE_H
#define PERFCMP_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/results.h"

#define STORE_NOTFOUND 1

typedef struct store store;

/* Metadata of one stored run, as listed by `perfcmp runs`. */
typedef struct store_run_info {
    int64_t id;
    char *timestamp;        /* the run's own UTC timestamp (from its context) */
    char *recorded_at;      /* when it was stored, UTC ISO 8601 */
    char *commit;           /* may be NULL */
    char *branch;           /* may be NULL */
    int dirty;              /* -1 unknown, 0, 1 */
    char *note;             /* may be NULL */
    char *source_format;
    char *host;
    char *machine;          /* fingerprint: "CPU model | N cores | OS arch" */
    size_t nbenches;
    char **baselines;       /* names of baselines pointing at this run */
    size_t nbaselines;
} store_run_info;

void store_run_info_release(store_run_info *info);
/* Releases N infos and the array itself. */
void store_run_infos_free(store_run_info *infos, size_t n);

/* One point of a benchmark's history: one run's summary of one metric. */
typedef struct store_point {
    int64_t run_id;
    char *timestamp;
    char *commit;
    char *branch;
    char *machine;
    results_status status;
    char *unit;
    results_direction direction;
    stats_summary summary;
    char *build;                /* what identifies the code that ran: the bench binary's
                                   context.binary_id, else "commit:SHA" for a clean
                                   commit; NULL when unknown */
} store_point;
void store_points_free(store_point *pts, size_t n);

/* Filters for store_list_runs and store_history; zero / NULL means any. */
typedef struct store_filter {
    size_t last;            /* only the newest LAST runs (0: all) */
    const char *branch;
    const char *machine;    /* substring of the fingerprint */
} store_filter;

/*
 * Opens (creating the file and its directory if needed) the store at PATH
 * and brings its schema up to date.  Refuses a file that is not a perfcmp
 * database or that has a newer schema.  Returns 0 and sets *OUT, or -1
 * with a reason in ERR[ERRLEN] (*OUT is then NULL).
 */
int store_open(const char *path, store **out, char *err, size_t errlen);

/*
 * store_open for commands that only read (runs, show, history, ...): when
 * nothing exists at PATH, opens an empty store in memory in its place and
 * creates no file or directory, so a mistyped --db or a project without
 * runs yet is read as empty and left as it was.  store_path() still gives
 * PATH.  Writes to such a store are lost when it is closed.  Returns as
 * store_open.
 */
int store_open_existing(const char *path, store **out, char *err, size_t errlen);

/* 1 if PATH names a database on a PostgreSQL server (a postgres:// or
 * postgresql:// URL, or a libpq keyword string such as "host=db dbname=x"
 * made only of libpq's keywords, when no file of that name exists), 0 if
 * it is a SQLite file. */
int store_is_server(const char *path);

/* Closes the store; accepts NULL. */
void store_close(store *s);

/* Reason for the last failure on S. */
const char *store_errmsg(const store *s);

/* The database path: --db value, else $PERFCMP_DB, else .perfcmp/perfcmp.db.
 * Returns a pointer to ARG or to static/env storage: do not free.  A
 * PostgreSQL connection string with a password comes back with the
 * password masked ("postgresql://u:***@host/db"), safe to print; store_open
 * given that string connects with the real one (kept in static storage). */
const char *store_default_path(const char *arg);

/* Stores RUN whole (one transaction) with an optional NOTE; sets *ID. */
int store_add_run(store *s, const results_run *run, const char *note, int64_t *id);

/* Loads run ID (all benchmarks, metrics and raw samples) into OUT, which
 * must be initialised and empty.  STORE_NOTFOUND if there is no such run. */
int store_load_run(store *s, int64_t id, results_run *out);

/* Newest run id (by id).  STORE_NOTFOUND when the store is empty. */
int store_latest_run(store *s, int64_t *id);

/* Metadata of run ID.  STORE_NOTFOUND if there is none. */
int store_run_info_get(store *s, int64_t id, store_run_info *out);

/* Runs, newest first, matching F (may be NULL). */
int store_list_runs(store *s, const store_filter *f, store_run_info **out, size_t *n);

/* Deletes runs: all but the newest KEEP_LAST (0: no limit) and/or those
 * recorded more than OLDER_THAN_DAYS ago (0: no limit), never a run a
 * baseline uses.  Sets *REMOVED. */
int store_prune(store *s, size_t keep_last, double older_than_days, size_t *removed);

/* Baselines: NAME -> run.  Names are validated by the caller
 * (store_valid_baseline_name). */
int store_baseline_set(store *s, const char *name, int64_t run_id);
int store_baseline_get(store *s, const char *name, int64_t *run_id);
int store_baseline_delete(store *s, const char *name);
/* Baseline names (sorted) and their run ids; free with store_names_free. */
int store_baseline_list(store *s, char ***names, int64_t **run_ids, size_t *n);
void store_names_free(char **names, size_t n);

/* 1 if NAME is a plain word (letters, digits, '.', '_', '-'; not "." or
 * "..", not starting with '.', at most 64 bytes), else 0. */
int store_valid_baseline_name(const char *name);

/* History of BENCH's METRIC, oldest first, within F.  Runs merged by
 * `baseline save --runs` (source format "perfcmp-merged") are left out:
 * their samples are already in the runs they were merged from. */
int store_history(store *s, const char *bench, const char *metric,
                  const store_filter *f, store_point **out, size_t *n);

/* Names of all benchmarks ever stored, in natural order (natsort.h: qsort/16
   before qsort/1024); free with store_names_free. */
int store_bench_names(store *s, char ***names, size_t *n);

/* Machine fingerprint of a run's context: "CPU model | N cores | OS arch".
 * Returns a malloc'd string (caller frees) or NULL on ENOMEM. */
char *store_machine_fingerprint(const results_context *ctx);

/* ---- additions (store engineer) ---------------------------------------- */

/* Notes on the functions above, as the SQLite store implements them:
 *  - store_history: a benchmark that failed without any metric shows as a
 *    point with its status, summary.n == 0 and NaN statistics;
 *  - store_prune: see store_prune_runs for how the two limits combine;
 *  - store_open creates a missing database (and its directory), migrates an
 *    older schema, and refuses a newer one ("database schema version 9 is
 *    newer than this perfcmp supports (1)") or a file that is not a perfcmp
 *    database ("not a perfcmp database"), leaving such files untouched. */

/* Current schema version (PRAGMA user_version of a SQLite store, the table
 * perfcmp_schema of a PostgreSQL one). */
#define STORE_SCHEMA_VERSION 3

/*
 * Explicit transactions spanning several calls (baseline save and import).
 * store_begin takes the write lock (SQLite: BEGIN IMMEDIATE, retried with
 * backoff while another writer holds it); every writing function called
 * inside joins the open transaction instead of starting its own.
 * store_commit returns 0 or -1 (the transaction is then rolled back);
 * store_rollback undoes everything since store_begin and accepts a store
 * with no open transaction.
 */
int store_begin(store *s);
int store_commit(store *s);
void store_rollback(store *s);

/*
 * A read transaction around many reads (the history of every benchmark of
 * a baseline): they see one snapshot of the store, and SQLite takes and
 * drops its read lock once instead of once per query.  store_read_begin
 * returns 0, or -1 with the reason in store_errmsg (the reads then work
 * as before, one transaction each); inside a transaction of store_begin
 * it does nothing.  store_read_end ends what store_read_begin started and
 * accepts a NULL store or one with no read transaction.  Nothing may be
 * written in between.
 */
int store_read_begin(store *s);
void store_read_end(store *s);

/* A hash of RUN's content (context without source format, benchmarks,
 * metrics and raw samples; not the note), as 16 hex digits in OUT[17].
 * Every stored run records it, so importing the same content twice can
 * find the first copy. */
void store_run_hash(const results_run *run, char out[17]);

/* The oldest run whose content hash is HASH, or with NTH > 0 the one
 * after NTH older runs of that content (the same file recorded twice is
 * two runs: `db copy` counts them).  STORE_NOTFOUND if none. */
int store_find_run_by_hash(store *s, const char *hash, int64_t nth, int64_t *id);

/* One baseline with its run and when it was saved. */
typedef struct store_baseline {
    char *name;
    int64_t run_id;
    char *saved_at;         /* UTC ISO 8601 */
} store_baseline;
/* All baselines sorted by name; free with store_baselines_free. */
int store_baseline_list_full(store *s, store_baseline **out, size_t *n);
void store_baselines_free(store_baseline *b, size_t n);

/*
 * store_prune, and reports the runs it removed (or with DRY_RUN, would
 * remove) as infos taken before deleting, newest first; free with
 * store_run_infos_free.  A run is removed when it is outside the newest
 * KEEP_LAST (if KEEP_LAST > 0) AND older than OLDER_THAN_DAYS (if > 0),
 * and no baseline uses it.
 */
int store_prune_runs(store *s, size_t keep_last, double older_than_days, int dry_run,
                     store_run_info **removed, size_t *n);

/* The path the store was opened with, a password masked (do not free). */
const char *store_path(const store *s);

/*
 * Backend interface.  A store is { ops, error buffer, backend state }; the
 * public functions above dispatch through OPS, so a new backend (e.g.
 * PostgreSQL) supplies one more table and store_open picks it from the
 * path ("postgres://..."), touching no command.  Each operation has the
 * contract of the public function of the same name.
 */
typedef struct store_ops {
    const char *name;
    void (*close)(store *s);
    int (*begin)(store *s);
    int (*commit)(store *s);
    void (*rollback)(store *s);
    int (*read_begin)(store *s);
    void (*read_end)(store *s);
    int (*add_run)(store *s, const results_run *run, const char *note, int64_t *id);
    int (*load_run)(store *s, int64_t id, results_run *out);
    int (*latest_run)(store *s, int64_t *id);
    int (*run_info_get)(store *s, int64_t id, store_run_info *out);
    int (*list_runs)(store *s, const store_filter *f, store_run_info **out, size_t *n);
    int (*prune_runs)(store *s, size_t keep_last, double older_than_days, int dry_run,
                      store_run_info **removed, size_t *n);
    int (*baseline_set)(store *s, const char *name, int64_t run_id);
    int (*baseline_get)(store *s, const char *name, int64_t *run_id);
    int (*baseline_delete)(store *s, const char *name);
    int (*baseline_list_full)(store *s, store_baseline **out, size_t *n);
    int (*history)(store *s, const char *bench, const char *metric, const store_filter *f,
                   store_point **out, size_t *n);
    int (*bench_names)(store *s, char ***names, size_t *n);
    int (*find_run_by_hash)(store *s, const char *hash, int64_t nth, int64_t *id);
} store_ops;

#endif
