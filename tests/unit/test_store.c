/*
 * test_store.c - the SQLite store: opening and migrating, refusing
 * databases it must not touch, storing and loading runs exactly,
 * baselines, pruning, history, transactions and concurrent writers.
 *
 * Every test works in its own temporary directory.
 *
 * Built a second time as test_store_pg (STORE_TEST_PG): the tests that do
 * not look at files run against the PostgreSQL database named by
 * $PERFCMP_TEST_PG_URL (emptied before each test), plus PostgreSQL's own
 * (schema version table, refusals, passwords); without the variable that
 * binary says it skipped and passes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/store.h"
#include "cli/store_impl.h"

#ifdef STORE_TEST_PG
#include <libpq-fe.h>
/* the tests of files are built but not run */
#pragma GCC diagnostic ignored "-Wunused-function"
#define SQL_USER_VERSION "SELECT max(version) FROM perfcmp_schema"
#define SQL_SAMPLE_IS_ONE "SELECT (encode(data, 'hex') = '000000000000f03f')::int FROM samples"
#else
#define SQL_USER_VERSION "PRAGMA user_version"
#define SQL_SAMPLE_IS_ONE "SELECT hex(data) = '000000000000F03F' FROM samples"
#endif

typedef struct fixture {
    char dir[64];
    char db[512];
} fixture;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/test_store.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/perfcmp.db", f->dir);
#ifdef STORE_TEST_PG
    snprintf(f->db, sizeof f->db, "%s", getenv("PERFCMP_TEST_PG_URL"));
    PGconn *c = PQconnectdb(f->db);
    PGresult *r = PQexec(c, "SET client_min_messages = warning; "
                                 "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "resetting the test database: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    if (!ok)
        return -1;
#endif
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

#ifdef STORE_TEST_PG
/* Runs SQL on the database directly (not through the store). */
static void raw_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

static long long raw_int(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    long long v = -1;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    PQfinish(c);
    return v;
}
#else
/* Runs SQL on the database file directly (not through the store). */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static long long raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}
#endif

static store *open_ok(const char *path)
{
    store *s = NULL;
    char err[256] = "";
    if (store_open(path, &s, err, sizeof err) != 0)
        fail_msg("store_open(%s): %s", path, err);
    return s;
}

/* A run with two benchmarks: "sort/1024" (args, tags, two metrics with
 * awkward doubles) and "crash" (crashed, no metrics). */
static void make_run(results_run *run, const char *commit, const char *branch, double scale)
{
    results_run_init(run);
    results_context *c = &run->context;
    assert_int_equal(results_set_str(&c->timestamp, "2026-11-23T11:20:00Z"), 0);
    assert_int_equal(results_set_str(&c->host, "ci-runner-3"), 0);
    assert_int_equal(results_set_str(&c->cpu_model, "Test CPU @ 2.20GHz"), 0);
    c->cpu_count = 2;
    assert_int_equal(results_set_str(&c->os, "Linux"), 0);
    assert_int_equal(results_set_str(&c->kernel, "6.1.0"), 0);
    assert_int_equal(results_set_str(&c->arch, "x86_64"), 0);
    assert_int_equal(results_set_str(&c->compiler, "gcc 12.2.0"), 0);
    assert_int_equal(results_set_str(&c->cflags, "-O2 -g"), 0);
    assert_int_equal(results_set_str(&c->library_version, "0.1.0"), 0);
    assert_int_equal(results_set_str(&c->command, "./bench --out=r.json"), 0);
    assert_int_equal(results_set_str(&c->git_commit, commit), 0);
    assert_int_equal(results_set_str(&c->git_branch, branch), 0);
    c->git_dirty = 1;
    assert_int_equal(results_set_str(&c->source_format, "perfcmp-results"), 0);
    assert_int_equal(results_context_add_extra(c, "heap"), 0);
    assert_int_equal(results_context_add_extra(c, "counters:instructions,page_faults"), 0);

    results_bench *b = results_add_bench(run, "sort/1024", "sort");
    assert_non_null(b);
    b->args = malloc(sizeof *b->args);
    assert_non_null(b->args);
    b->args[0] = 1024;
    b->nargs = 1;
    b->tags = calloc(2, sizeof *b->tags);
    assert_non_null(b->tags);
    assert_int_equal(results_set_str(&b->tags[0], "cpu"), 0);
    assert_int_equal(results_set_str(&b->tags[1], "sort \"quoted\""), 0);
    b->ntags = 2;
    b->iterations = 2048;
    double wall[] = { 10234.5 * scale, 0.1 * scale, 1e-300, 123456789.123456789 * scale,
                      10199.8 * scale };
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, wall, 5));
    double bps[] = { 7.0e10, 6.9e10, 7.1e10 };
    assert_non_null(results_add_metric(b, "bytes_per_second", "B/s", RESULTS_HIGHER_IS_BETTER,
                                       bps, 3));
    b = results_add_bench(run, "crash", NULL);
    assert_non_null(b);
    b->status = RESULTS_CRASHED;
    assert_int_equal(results_set_str(&b->error, "signal 11 (Segmentation fault)"), 0);
    assert_int_equal(results_finish(run), 0);
}

static int64_t add_ok(store *s, const results_run *run, const char *note)
{
    int64_t id = 0;
    if (store_add_run(s, run, note, &id) != 0)
        fail_msg("store_add_run: %s", store_errmsg(s));
    assert_true(id > 0);
    return id;
}

static void add_simple(store *s, const char *branch, int64_t *id)
{
    results_run run;
    make_run(&run, "abc1234", branch, 1.0);
    *id = add_ok(s, &run, NULL);
    results_run_release(&run);
}

/* ---- open / migrate ----------------------------------------------------- */

static void open_should_create_the_database_and_its_directory(void **state)
{
    fixture *f = *state;
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/perfcmp.db", f->dir);
    store *s = open_ok(path);
    store_close(s);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(raw_int(path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'runs'"), 1);
    /* WAL persists in the file */
    sqlite3 *db;
    sqlite3_stmt *stm;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stm, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stm), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(stm, 0), "wal");
    sqlite3_finalize(stm);
    sqlite3_close(db);
}

static void open_should_reopen_without_migrating_again(void **state)
{
    fixture *f = *state;
    int64_t id;
    store *s = open_ok(f->db);
    add_simple(s, "main", &id);
    store_close(s);
    s = open_ok(f->db);
    int64_t latest = 0;
    assert_int_equal(store_latest_run(s, &latest), 0);
    assert_int_equal(latest, id);
    store_close(s);
}

static void open_existing_should_read_a_missing_database_as_empty_and_create_nothing(void **state)
{
    fixture *f = *state;
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/nodir/perfcmp.db", f->dir);
    store *s = NULL;
    assert_int_equal(store_open_existing(path, &s, err, sizeof err), 0);
    assert_string_equal(store_path(s), path);
    int64_t id = 0;
    assert_int_equal(store_latest_run(s, &id), STORE_NOTFOUND);
    store_close(s);
    struct stat st;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/nodir", f->dir);
    assert_int_equal(stat(dir, &st), -1);   /* neither the file nor its directory */

    /* an existing database is read as it is */
    s = open_ok(f->db);
    add_simple(s, "main", &id);
    store_close(s);
    assert_int_equal(store_open_existing(f->db, &s, err, sizeof err), 0);
    int64_t latest = 0;
    assert_int_equal(store_latest_run(s, &latest), 0);
    assert_int_equal(latest, id);
    store_close(s);
    /* and what store_open refuses, it refuses too */
    assert_int_equal(store_open_existing(f->dir, &s, err, sizeof err), -1);
    assert_string_equal(err, "is a directory");
    assert_int_equal(store_open_existing("", &s, err, sizeof err), -1);
}

static void open_should_refuse_a_newer_schema(void **state)
{
    fixture *f = *state;
    store_close(open_ok(f->db));
    raw_exec(f->db, "PRAGMA user_version = 9");
    store *s = (store *)1;
    char err[256] = "";
    assert_int_equal(store_open(f->db, &s, err, sizeof err), -1);
    assert_null(s);
    assert_string_equal(err, "database schema version 9 is newer than this perfcmp supports (3)");
    assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 9);
}

static void open_should_refuse_a_foreign_database_and_leave_it_alone(void **state)
{
    fixture *f = *state;
    raw_exec(f->db, "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);"
                    "INSERT INTO users(name) VALUES('ann')");
    store *s = NULL;
    char err[256] = "";
    assert_int_equal(store_open(f->db, &s, err, sizeof err), -1);
    assert_string_equal(err, "not a perfcmp database");
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM sqlite_master"), 1);
    assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 0);
}

static void open_should_refuse_a_file_that_is_not_sqlite(void **state)
{
    fixture *f = *state;
    FILE *fp = fopen(f->db, "w");
    assert_non_null(fp);
    fputs("{\"schema\": \"perfcmp-results\"}\n", fp);
    fclose(fp);
    store *s = NULL;
    char err[256] = "";
    assert_int_equal(store_open(f->db, &s, err, sizeof err), -1);
    assert_string_equal(err, "not a perfcmp database");
    struct stat st;
    assert_int_equal(stat(f->db, &st), 0);
    assert_int_equal(st.st_size, 30);
}

static void open_should_refuse_a_directory(void **state)
{
    fixture *f = *state;
    store *s = NULL;
    char err[256] = "";
    assert_int_equal(store_open(f->dir, &s, err, sizeof err), -1);
    assert_string_equal(err, "is a directory");
}

static void default_path_should_prefer_the_argument_then_the_environment(void **state)
{
    (void)state;
    setenv("PERFCMP_DB", "/x/env.db", 1);
    assert_string_equal(store_default_path("arg.db"), "arg.db");
    assert_string_equal(store_default_path(NULL), "/x/env.db");
    unsetenv("PERFCMP_DB");
    assert_string_equal(store_default_path(NULL), ".perfcmp/perfcmp.db");
}

/* ---- add / load --------------------------------------------------------- */

static void assert_same_str(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void load_should_give_back_every_field_and_sample_exactly(void **state)
{
    fixture *f = *state;
    results_run in, out;
    make_run(&in, "3f2a9c0d", "main", 1.0);
    store *s = open_ok(f->db);
    int64_t id = add_ok(s, &in, "first");
    results_run_init(&out);
    assert_int_equal(store_load_run(s, id, &out), 0);

    const results_context *a = &in.context, *b = &out.context;
    assert_same_str(a->timestamp, b->timestamp);
    assert_same_str(a->host, b->host);
    assert_same_str(a->cpu_model, b->cpu_model);
    assert_int_equal(a->cpu_count, b->cpu_count);
    assert_same_str(a->os, b->os);
    assert_same_str(a->kernel, b->kernel);
    assert_same_str(a->arch, b->arch);
    assert_same_str(a->compiler, b->compiler);
    assert_same_str(a->cflags, b->cflags);
    assert_same_str(a->library_version, b->library_version);
    assert_same_str(a->command, b->command);
    assert_same_str(a->git_commit, b->git_commit);
    assert_same_str(a->git_branch, b->git_branch);
    assert_int_equal(a->git_dirty, b->git_dirty);
    assert_same_str(a->source_format, b->source_format);
    assert_int_equal(b->extras_known, 1);
    assert_int_equal(b->nextras, 2);
    assert_string_equal(b->extras[0], "heap");
    assert_string_equal(b->extras[1], "counters:instructions,page_faults");

    assert_int_equal(out.nbenches, 2);
    for (size_t i = 0; i < 2; i++) {
        const results_bench *x = &in.benches[i], *y = &out.benches[i];
        assert_string_equal(x->name, y->name);
        assert_same_str(x->family, y->family);
        assert_int_equal(x->nargs, y->nargs);
        for (size_t k = 0; k < x->nargs; k++)
            assert_int_equal(x->args[k], y->args[k]);
        assert_int_equal(x->ntags, y->ntags);
        for (size_t k = 0; k < x->ntags; k++)
            assert_string_equal(x->tags[k], y->tags[k]);
        assert_int_equal(x->status, y->status);
        assert_same_str(x->error, y->error);
        assert_int_equal(x->iterations, y->iterations);
        assert_int_equal(x->nmetrics, y->nmetrics);
        for (size_t m = 0; m < x->nmetrics; m++) {
            const results_metric *p = &x->metrics[m], *q = &y->metrics[m];
            assert_string_equal(p->name, q->name);
            assert_string_equal(p->unit, q->unit);
            assert_int_equal(p->direction, q->direction);
            assert_int_equal(p->nsamples, q->nsamples);
            /* bit for bit, not approximately */
            assert_memory_equal(p->samples, q->samples, p->nsamples * sizeof(double));
            assert_memory_equal(&p->summary, &q->summary, sizeof p->summary);
        }
    }
    /* the content hash of the loaded run is that of the stored one */
    char h1[17], h2[17];
    store_run_hash(&in, h1);
    store_run_hash(&out, h2);
    assert_string_equal(h1, h2);
    results_run_release(&out);
    results_run_release(&in);
    store_close(s);
}

/* Drops the extras make_run gave RUN; KNOWN: whether "none ran" is known. */
static void clear_extras(results_run *run, int known)
{
    for (size_t i = 0; i < run->context.nextras; i++)
        free(run->context.extras[i]);
    run->context.nextras = 0;
    run->context.extras_known = known;
}

/* "none ran" ([]) and "not recorded" (an imported file) stay distinct. */
static void load_should_keep_empty_and_unknown_extras_apart(void **state)
{
    fixture *f = *state;
    results_run none, unknown, out;
    make_run(&none, "aaaa", "main", 1.0);
    clear_extras(&none, 1);
    make_run(&unknown, "bbbb", "main", 1.0);
    clear_extras(&unknown, 0);
    store *s = open_ok(f->db);
    int64_t id1 = add_ok(s, &none, NULL), id2 = add_ok(s, &unknown, NULL);

    results_run_init(&out);
    assert_int_equal(store_load_run(s, id1, &out), 0);
    assert_int_equal(out.context.extras_known, 1);
    assert_int_equal(out.context.nextras, 0);
    results_run_release(&out);
    results_run_init(&out);
    assert_int_equal(store_load_run(s, id2, &out), 0);
    assert_int_equal(out.context.extras_known, 0);
    assert_int_equal(out.context.nextras, 0);
    results_run_release(&out);
    results_run_release(&none);
    results_run_release(&unknown);
    store_close(s);
}

static void samples_should_be_stored_as_little_endian_doubles(void **state)
{
    fixture *f = *state;
    results_run run;
    results_run_init(&run);
    results_bench *b = results_add_bench(&run, "one", NULL);
    assert_non_null(b);
    double v = 1.0;  /* IEEE 754: 0x3FF0000000000000 */
    assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, &v, 1));
    assert_int_equal(results_finish(&run), 0);
    store *s = open_ok(f->db);
    add_ok(s, &run, NULL);
    store_close(s);
    results_run_release(&run);
    assert_int_equal(raw_int(f->db, "SELECT length(data) FROM samples"), 8);
    /* little-endian: the exponent byte 0x3F comes last */
    assert_int_equal(raw_int(f->db, SQL_SAMPLE_IS_ONE), 1);
}

static void load_of_an_unknown_run_should_say_not_found(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    results_run out;
    results_run_init(&out);
    assert_int_equal(store_load_run(s, 42, &out), STORE_NOTFOUND);
    assert_int_equal(out.nbenches, 0);
    int64_t id;
    assert_int_equal(store_latest_run(s, &id), STORE_NOTFOUND);
    store_run_info info;
    assert_int_equal(store_run_info_get(s, 42, &info), STORE_NOTFOUND);
    store_close(s);
}

static void run_info_should_describe_the_run(void **state)
{
    fixture *f = *state;
    results_run run;
    make_run(&run, "3f2a9c0d", "feature", 1.0);
    store *s = open_ok(f->db);
    int64_t id = add_ok(s, &run, "a note");
    store_run_info info;
    assert_int_equal(store_run_info_get(s, id, &info), 0);
    assert_int_equal(info.id, id);
    assert_string_equal(info.timestamp, "2026-11-23T11:20:00Z");
    assert_non_null(info.recorded_at);
    assert_int_equal(strlen(info.recorded_at), 20);
    assert_string_equal(info.commit, "3f2a9c0d");
    assert_string_equal(info.branch, "feature");
    assert_int_equal(info.dirty, 1);
    assert_string_equal(info.note, "a note");
    assert_string_equal(info.source_format, "perfcmp-results");
    assert_string_equal(info.host, "ci-runner-3");
    assert_string_equal(info.machine, "Test CPU @ 2.20GHz | 2 cores | Linux x86_64");
    assert_int_equal(info.nbenches, 2);
    assert_int_equal(info.nbaselines, 0);
    store_run_info_release(&info);
    results_run_release(&run);
    store_close(s);
}

static void list_runs_should_be_newest_first_and_filtered(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    int64_t ids[4];
    add_simple(s, "main", &ids[0]);
    add_simple(s, "dev", &ids[1]);
    add_simple(s, "main", &ids[2]);
    add_simple(s, "main", &ids[3]);
    store_run_info *v = NULL;
    size_t n = 0;
    assert_int_equal(store_list_runs(s, NULL, &v, &n), 0);
    assert_int_equal(n, 4);
    assert_int_equal(v[0].id, ids[3]);
    assert_int_equal(v[3].id, ids[0]);
    store_run_infos_free(v, n);

    store_filter flt = { .last = 2, .branch = "main" };
    assert_int_equal(store_list_runs(s, &flt, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, ids[3]);
    assert_int_equal(v[1].id, ids[2]);
    store_run_infos_free(v, n);

    store_filter dev = { .branch = "dev" };
    assert_int_equal(store_list_runs(s, &dev, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, ids[1]);
    store_run_infos_free(v, n);

    store_filter mach = { .machine = "no such cpu" };
    assert_int_equal(store_list_runs(s, &mach, &v, &n), 0);
    assert_int_equal(n, 0);
    store_run_infos_free(v, n);
    store_close(s);
}

/* ---- transactions ------------------------------------------------------- */

static void rollback_should_undo_runs_added_inside_a_transaction(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    int64_t id;
    assert_int_equal(store_begin(s), 0);
    add_simple(s, "main", &id);
    add_simple(s, "main", &id);
    store_rollback(s);
    assert_int_equal(store_latest_run(s, &id), STORE_NOTFOUND);
    assert_int_equal(store_begin(s), 0);
    add_simple(s, "main", &id);
    assert_int_equal(store_commit(s), 0);
    int64_t latest;
    assert_int_equal(store_latest_run(s, &latest), 0);
    assert_int_equal(latest, id);
    store_close(s);
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM runs"), 1);
}

static void a_failed_step_should_fail_the_outer_commit(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    int64_t id;
    assert_int_equal(store_begin(s), 0);
    add_simple(s, "main", &id);
    /* a baseline on a run that does not exist fails inside the transaction */
    assert_int_equal(store_baseline_set(s, "default", 999), STORE_NOTFOUND);
    assert_int_equal(store_commit(s), -1);
    store_close(s);
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM runs"), 0);
}

/* ---- baselines ---------------------------------------------------------- */

static void baselines_should_be_set_listed_moved_and_deleted(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    int64_t a, b, got;
    add_simple(s, "main", &a);
    add_simple(s, "main", &b);
    assert_int_equal(store_baseline_get(s, "default", &got), STORE_NOTFOUND);
    assert_int_equal(store_baseline_set(s, "default", a), 0);
    assert_int_equal(store_baseline_set(s, "nightly", a), 0);
    assert_int_equal(store_baseline_get(s, "default", &got), 0);
    assert_int_equal(got, a);
    assert_int_equal(store_baseline_set(s, "default", b), 0);
    assert_int_equal(store_baseline_get(s, "default", &got), 0);
    assert_int_equal(got, b);

    char **names;
    int64_t *ids;
    size_t n;
    assert_int_equal(store_baseline_list(s, &names, &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "default");
    assert_int_equal(ids[0], b);
    assert_string_equal(names[1], "nightly");
    assert_int_equal(ids[1], a);
    store_names_free(names, n);
    free(ids);

    store_run_info info;
    assert_int_equal(store_run_info_get(s, a, &info), 0);
    assert_int_equal(info.nbaselines, 1);
    assert_string_equal(info.baselines[0], "nightly");
    store_run_info_release(&info);

    assert_int_equal(store_baseline_set(s, "x", 12345), STORE_NOTFOUND);
    assert_int_equal(store_baseline_delete(s, "nightly"), 0);
    assert_int_equal(store_baseline_delete(s, "nightly"), STORE_NOTFOUND);
    store_baseline *bl;
    assert_int_equal(store_baseline_list_full(s, &bl, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(bl[0].name, "default");
    assert_int_equal(strlen(bl[0].saved_at), 20);
    store_baselines_free(bl, n);
    store_close(s);
}

static void baseline_names_should_be_plain_words(void **state)
{
    (void)state;
    assert_true(store_valid_baseline_name("default"));
    assert_true(store_valid_baseline_name("v1.2_rc-3"));
    assert_false(store_valid_baseline_name(""));
    assert_false(store_valid_baseline_name(NULL));
    assert_false(store_valid_baseline_name("../x"));
    assert_false(store_valid_baseline_name("a/b"));
    assert_false(store_valid_baseline_name("/abs"));
    assert_false(store_valid_baseline_name("."));
    assert_false(store_valid_baseline_name(".."));
    assert_false(store_valid_baseline_name(".hidden"));
    assert_false(store_valid_baseline_name("with space"));
    assert_false(store_valid_baseline_name("caf\xc3\xa9"));
    char long_name[66];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    assert_false(store_valid_baseline_name(long_name));
    long_name[64] = '\0';
    assert_true(store_valid_baseline_name(long_name));
}

/* ---- prune -------------------------------------------------------------- */

static void prune_should_never_remove_a_baseline_run(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    int64_t ids[5];
    for (int i = 0; i < 5; i++)
        add_simple(s, "main", &ids[i]);
    assert_int_equal(store_baseline_set(s, "default", ids[0]), 0);

    store_run_info *v;
    size_t n;
    assert_int_equal(store_prune_runs(s, 2, 0, 1, &v, &n), 0);   /* dry run */
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, ids[2]);
    assert_int_equal(v[1].id, ids[1]);
    store_run_infos_free(v, n);
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM runs"), 5);

    size_t removed = 0;
    assert_int_equal(store_prune(s, 2, 0, &removed), 0);
    assert_int_equal(removed, 2);
    results_run out;
    results_run_init(&out);
    assert_int_equal(store_load_run(s, ids[1], &out), STORE_NOTFOUND);
    assert_int_equal(store_load_run(s, ids[0], &out), 0);   /* the baseline's */
    results_run_release(&out);
    store_close(s);
    /* results and samples went with their runs (ON DELETE CASCADE) */
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM runs"), 3);
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM results"), 3 * 3);
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM samples"), 3 * 2);
}

static void prune_older_than_should_use_the_recording_time(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    int64_t ids[3];
    for (int i = 0; i < 3; i++)
        add_simple(s, "main", &ids[i]);
    store_close(s);
    raw_exec(f->db, "UPDATE runs SET recorded_at = '2020-01-01T00:00:00Z' WHERE id <= 2");
    s = open_ok(f->db);
    assert_int_equal(store_baseline_set(s, "old", ids[0]), 0);
    size_t removed = 0;
    assert_int_equal(store_prune(s, 0, 30, &removed), 0);
    assert_int_equal(removed, 1);      /* run 2; run 1 is a baseline, run 3 is new */
    /* both limits: only runs outside the newest 1 AND older than 30 days */
    assert_int_equal(store_prune(s, 1, 30, &removed), 0);
    assert_int_equal(removed, 0);
    store_close(s);
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM runs"), 2);
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM runs WHERE id = 2"), 0);
}

/* ---- history, names, hash ----------------------------------------------- */

static void history_should_list_one_metric_oldest_first(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        results_run run;
        make_run(&run, "c0ffee", i == 1 ? "dev" : "main", 1.0 + i);
        ids[i] = add_ok(s, &run, NULL);
        results_run_release(&run);
    }
    store_point *p;
    size_t n;
    assert_int_equal(store_history(s, "sort/1024", "wall_time", NULL, &p, &n), 0);
    assert_int_equal(n, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(p[i].run_id, ids[i]);
    /* the median of {10234.5k, 0.1k, 1e-300, 123456789.12k, 10199.8k} is 10199.8k */
    assert_true(p[0].summary.median == 10199.8);
    assert_true(p[2].summary.median == 10199.8 * 3.0);
    assert_string_equal(p[0].unit, "ns");
    assert_int_equal(p[0].status, RESULTS_OK);
    store_points_free(p, n);

    store_filter last2 = { .last = 2 };
    assert_int_equal(store_history(s, "sort/1024", "wall_time", &last2, &p, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].run_id, ids[1]);
    assert_int_equal(p[1].run_id, ids[2]);
    store_points_free(p, n);

    store_filter dev = { .branch = "dev" };
    assert_int_equal(store_history(s, "sort/1024", "wall_time", &dev, &p, &n), 0);
    assert_int_equal(n, 1);
    store_points_free(p, n);

    /* a crashed benchmark shows with its status */
    assert_int_equal(store_history(s, "crash", "wall_time", NULL, &p, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].status, RESULTS_CRASHED);
    store_points_free(p, n);

    char **names;
    assert_int_equal(store_bench_names(s, &names, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "crash");
    assert_string_equal(names[1], "sort/1024");
    store_names_free(names, n);
    store_close(s);
}

/* The number of points in the history of sort/1024, as S reads it now. */
static size_t history_len(store *s)
{
    store_point *p;
    size_t n;
    if (store_history(s, "sort/1024", "wall_time", NULL, &p, &n) != 0)
        fail_msg("store_history: %s", store_errmsg(s));
    store_points_free(p, n);
    return n;
}

static void a_read_transaction_should_read_one_snapshot_and_let_writers_in(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db), *w = open_ok(f->db);
    int64_t id;
    add_simple(s, "main", &id);

    assert_int_equal(store_read_begin(s), 0);
    assert_int_equal(history_len(s), 1);
    /* another connection writes meanwhile, without waiting for the reader */
    add_simple(w, "main", &id);
    assert_int_equal(history_len(w), 2);
    /* the reader still sees the store as it was when it began reading */
    assert_int_equal(history_len(s), 1);
    store_read_end(s);
    assert_int_equal(history_len(s), 2);
    store_read_end(s);      /* none open: nothing happens */
    store_read_end(NULL);

    /* inside a write transaction it joins it: the reads see its writes,
     * its end leaves the write transaction open for the commit */
    assert_int_equal(store_begin(s), 0);
    add_simple(s, "main", &id);
    assert_int_equal(store_read_begin(s), 0);
    assert_int_equal(history_len(s), 3);
    store_read_end(s);
    add_simple(s, "main", &id);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(history_len(w), 4);
    store_close(w);
    store_close(s);
}

static void find_by_hash_should_find_the_same_content_only(void **state)
{
    fixture *f = *state;
    store *s = open_ok(f->db);
    results_run a, b;
    make_run(&a, "abc", "main", 1.0);
    make_run(&b, "abc", "main", 2.0);
    char ha[17], hb[17];
    store_run_hash(&a, ha);
    store_run_hash(&b, hb);
    assert_string_not_equal(ha, hb);
    int64_t id = add_ok(s, &a, "note does not count");
    int64_t found = 0;
    assert_int_equal(store_find_run_by_hash(s, ha, 0, &found), 0);
    assert_int_equal(found, id);
    assert_int_equal(store_find_run_by_hash(s, hb, 0, &found), STORE_NOTFOUND);
    /* the same content stored again, after another run: the Nth of them */
    int64_t other = add_ok(s, &b, NULL);
    int64_t again = add_ok(s, &a, "second");
    assert_true(again > other && other > id);
    assert_int_equal(store_find_run_by_hash(s, ha, 1, &found), 0);
    assert_int_equal(found, again);
    assert_int_equal(store_find_run_by_hash(s, ha, 2, &found), STORE_NOTFOUND);
    assert_int_equal(store_find_run_by_hash(s, hb, 0, &found), 0);
    assert_int_equal(found, other);
    results_run_release(&a);
    results_run_release(&b);
    store_close(s);
}

static void fingerprint_should_name_cpu_cores_os_and_arch(void **state)
{
    (void)state;
    results_context c = { 0 };
    char *fp = store_machine_fingerprint(&c);
    assert_string_equal(fp, "unknown | 0 cores | unknown unknown");
    free(fp);
    c.cpu_model = "Intel(R) Xeon(R) CPU @ 2.20GHz";
    c.cpu_count = 2;
    c.os = "Linux";
    c.arch = "x86_64";
    fp = store_machine_fingerprint(&c);
    assert_string_equal(fp, "Intel(R) Xeon(R) CPU @ 2.20GHz | 2 cores | Linux x86_64");
    free(fp);
}

/* ---- concurrency -------------------------------------------------------- */

static void concurrent_writers_should_all_succeed(void **state)
{
    fixture *f = *state;
    enum { WRITERS = 4, EACH = 15 };
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            store *s = NULL;
            char err[256];
            if (store_open(f->db, &s, err, sizeof err) != 0) {
                fprintf(stderr, "writer %d: %s\n", w, err);
                _exit(1);
            }
            results_run run;
            make_run(&run, "abc", "main", 1.0 + w);
            for (int i = 0; i < EACH; i++) {
                int64_t id;
                if (store_add_run(s, &run, NULL, &id) != 0) {
                    fprintf(stderr, "writer %d: %s\n", w, store_errmsg(s));
                    _exit(1);
                }
            }
            results_run_release(&run);
            store_close(s);
            _exit(0);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int status = 0;
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM runs"), WRITERS * EACH);
    assert_int_equal(raw_int(f->db, SQL_USER_VERSION), STORE_SCHEMA_VERSION);
}

#ifdef STORE_TEST_PG
/* ---- PostgreSQL only ---------------------------------------------------- */

static void pg_open_should_keep_the_version_in_a_table(void **state)
{
    fixture *f = *state;
    store_close(open_ok(f->db));
    store_close(open_ok(f->db));
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM perfcmp_schema"), 1);
    assert_int_equal(raw_int(f->db, SQL_USER_VERSION), STORE_SCHEMA_VERSION);
}

static void pg_open_should_refuse_a_newer_schema(void **state)
{
    fixture *f = *state;
    store_close(open_ok(f->db));
    raw_exec(f->db, "UPDATE perfcmp_schema SET version = 9");
    store *s = (store *)1;
    char err[256] = "";
    assert_int_equal(store_open(f->db, &s, err, sizeof err), -1);
    assert_null(s);
    assert_string_equal(err, "database schema version 9 is newer than this perfcmp supports (3)");
}

static void pg_open_should_refuse_tables_of_another_program(void **state)
{
    fixture *f = *state;
    raw_exec(f->db, "CREATE TABLE runs(x integer)");
    store *s = NULL;
    char err[256] = "";
    assert_int_equal(store_open(f->db, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a perfcmp database"));
    assert_int_equal(raw_int(f->db, "SELECT count(*) FROM pg_tables WHERE tablename = "
                                    "'perfcmp_schema'"), 0);
}

static void pg_open_with_a_wrong_password_should_say_so_without_it(void **state)
{
    fixture *f = *state;
    char url[600], err[512] = "";
    const char *colon = strchr(f->db + 13, ':'), *at = strchr(f->db, '@');
    assert_non_null(colon);
    assert_non_null(at);
    snprintf(url, sizeof url, "%.*s:s3cret-wrong%s", (int)(colon - f->db), f->db, at);
    store *s = NULL;
    assert_int_equal(store_open(url, &s, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "password authentication failed"));
    assert_null(strstr(err, "s3cret-wrong"));
    assert_null(strchr(err, '\n'));
}

static void pg_open_of_an_unreachable_server_should_fail_in_one_line(void **state)
{
    (void)state;
    char err[512] = "";
    store *s = NULL;
    assert_int_equal(store_open("postgresql://u:pw@127.0.0.1:1/db", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "Connection refused"));
    assert_null(strchr(err, '\n'));
}

static void pg_store_path_should_hide_the_password(void **state)
{
    fixture *f = *state;
    setenv("PERFCMP_DB", f->db, 1);
    const char *shown = store_default_path(NULL);
    unsetenv("PERFCMP_DB");
    assert_null(strstr(shown, "perfcmp-test-pw"));
    assert_non_null(strstr(shown, ":***@"));
    store *s = open_ok(shown);      /* connects with the real one */
    assert_string_equal(store_path(s), shown);
    store_close(s);
}

static void pg_connection_strings_should_be_told_from_files(void **state)
{
    (void)state;
    assert_true(store_is_server("postgresql://h/db"));
    assert_true(store_is_server("postgres://u@h:5432/db?sslmode=require"));
    assert_true(store_is_server("host=db.example port=5432 dbname=perf"));
    assert_true(store_is_server("dbname = 'perf x' user=ci"));
    assert_false(store_is_server("results.db"));
    assert_false(store_is_server("a=b.db"));
    assert_false(store_is_server("host=db notakeyword=1"));
    assert_false(store_is_server("sqlite:///x.db"));
}

static void pg_passwords_should_be_masked_in_every_form(void **state)
{
    (void)state;
    char out[256];
    store_mask_password("postgresql://ann:hunter2@db:5432/perf", out, sizeof out);
    assert_string_equal(out, "postgresql://ann:***@db:5432/perf");
    store_mask_password("postgres://ann@db/perf?password=hunter2&sslmode=require", out, sizeof out);
    assert_string_equal(out, "postgres://ann@db/perf?password=***&sslmode=require");
    store_mask_password("host=db password='hun ter2' dbname=perf", out, sizeof out);
    assert_string_equal(out, "host=db password=*** dbname=perf");
    store_mask_password("host=db password = hunter2", out, sizeof out);
    assert_string_equal(out, "host=db password = ***");
    store_mask_password("postgresql://db/perf", out, sizeof out);
    assert_string_equal(out, "postgresql://db/perf");
}

static void pg_a_big_run_should_round_trip(void **state)
{
    fixture *f = *state;
    results_run run, back;
    results_run_init(&run);
    results_run_init(&back);
    char name[64];
    double x[30];
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "bench\t%d/\\n", i);
        results_bench *b = results_add_bench(&run, name, NULL);
        assert_non_null(b);
        for (int k = 0; k < 30; k++)
            x[k] = 1.0 / (i + k + 1) + k;
        assert_non_null(results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, x, 30));
    }
    assert_int_equal(results_finish(&run), 0);
    store *s = open_ok(f->db);
    int64_t id = add_ok(s, &run, "note\nwith a newline");
    assert_int_equal(store_load_run(s, id, &back), 0);
    assert_int_equal(back.nbenches, 500);
    for (size_t i = 0; i < 500; i++) {
        assert_string_equal(back.benches[i].name, run.benches[i].name);
        assert_int_equal(back.benches[i].metrics[0].nsamples, 30);
        assert_memory_equal(back.benches[i].metrics[0].samples, run.benches[i].metrics[0].samples,
                            30 * sizeof(double));
    }
    store_close(s);
    results_run_release(&run);
    results_run_release(&back);
}
#endif

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#ifdef STORE_TEST_PG
    if (!getenv("PERFCMP_TEST_PG_URL") || !*getenv("PERFCMP_TEST_PG_URL")) {
        printf("test_store_pg: skipped (PERFCMP_TEST_PG_URL is not set; "
               "scripts/run-tests.sh sets it)\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        T(pg_open_should_keep_the_version_in_a_table),
        T(pg_open_should_refuse_a_newer_schema),
        T(pg_open_should_refuse_tables_of_another_program),
        T(pg_open_with_a_wrong_password_should_say_so_without_it),
        T(pg_open_of_an_unreachable_server_should_fail_in_one_line),
        T(pg_store_path_should_hide_the_password),
        cmocka_unit_test(pg_connection_strings_should_be_told_from_files),
        cmocka_unit_test(pg_passwords_should_be_masked_in_every_form),
        T(pg_a_big_run_should_round_trip),
        T(open_should_reopen_without_migrating_again),
        T(load_should_give_back_every_field_and_sample_exactly),
        T(load_should_keep_empty_and_unknown_extras_apart),
        T(samples_should_be_stored_as_little_endian_doubles),
        T(load_of_an_unknown_run_should_say_not_found),
        T(run_info_should_describe_the_run),
        T(list_runs_should_be_newest_first_and_filtered),
        T(rollback_should_undo_runs_added_inside_a_transaction),
        T(a_failed_step_should_fail_the_outer_commit),
        T(baselines_should_be_set_listed_moved_and_deleted),
        T(prune_should_never_remove_a_baseline_run),
        T(prune_older_than_should_use_the_recording_time),
        T(history_should_list_one_metric_oldest_first),
        T(a_read_transaction_should_read_one_snapshot_and_let_writers_in),
        T(find_by_hash_should_find_the_same_content_only),
        T(concurrent_writers_should_all_succeed),
    };
    return cmocka_run_group_tests_name("store (PostgreSQL)", tests, NULL, NULL);
#else
    const struct CMUnitTest tests[] = {
        T(open_should_create_the_database_and_its_directory),
        T(open_should_reopen_without_migrating_again),
        T(open_existing_should_read_a_missing_database_as_empty_and_create_nothing),
        T(open_should_refuse_a_newer_schema),
        T(open_should_refuse_a_foreign_database_and_leave_it_alone),
        T(open_should_refuse_a_file_that_is_not_sqlite),
        T(open_should_refuse_a_directory),
        cmocka_unit_test(default_path_should_prefer_the_argument_then_the_environment),
        T(load_should_give_back_every_field_and_sample_exactly),
        T(load_should_keep_empty_and_unknown_extras_apart),
        T(samples_should_be_stored_as_little_endian_doubles),
        T(load_of_an_unknown_run_should_say_not_found),
        T(run_info_should_describe_the_run),
        T(list_runs_should_be_newest_first_and_filtered),
        T(rollback_should_undo_runs_added_inside_a_transaction),
        T(a_failed_step_should_fail_the_outer_commit),
        T(baselines_should_be_set_listed_moved_and_deleted),
        cmocka_unit_test(baseline_names_should_be_plain_words),
        T(prune_should_never_remove_a_baseline_run),
        T(prune_older_than_should_use_the_recording_time),
        T(history_should_list_one_metric_oldest_first),
        T(a_read_transaction_should_read_one_snapshot_and_let_writers_in),
        T(find_by_hash_should_find_the_same_content_only),
        cmocka_unit_test(fingerprint_should_name_cpu_cores_os_and_arch),
        T(concurrent_writers_should_all_succeed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
#endif
}
