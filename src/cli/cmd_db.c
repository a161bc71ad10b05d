/*
 * cmd_db.c - perfcmp db copy: copy every run and baseline from one store to
 * another (SQLite to PostgreSQL and back), skipping runs already there.
 */
#include "commands.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void db_usage(FILE *f)
{
    fprintf(f,
            "usage: perfcmp db copy SRC DST\n"
            "\n"
            "Copies every run of the store SRC (with its benchmarks, statistics, raw\n"
            "samples and note) and every baseline into the store DST, oldest run first.\n"
            "SRC and DST are SQLite files or PostgreSQL URLs (postgresql://...) or\n"
            "libpq keyword strings, as --db takes them. A run whose content DST holds\n"
            "already (same content hash) is not copied again, so copying twice, or\n"
            "after DST has recorded on its own, adds only what is missing; content\n"
            "recorded twice in SRC is copied twice. A baseline is copied when DST has\n"
            "none of that name. The copy is one transaction on DST: all of it or\n"
            "nothing. Copied runs get new ids and today's recording time. SRC is only\n"
            "read; a missing SQLite SRC is an error.\n"
            "\n"
            "  --help, -h   this help\n");
}

/* Opens the store named by ARG (a password in it masked in every message). */
static int db_open(const char *arg, int existing, store **s)
{
    char err[512];
    const char *path = store_default_path(arg);
    int rc = existing ? store_open_existing(path, s, err, sizeof err)
                      : store_open(path, s, err, sizeof err);
    if (rc != 0) {
        cli_error("cannot open database '%s': %s", path, err);
        return -1;
    }
    return 0;
}

/* How many runs of each content hash the copy has met so far: open
 * addressing over the hash's 64 bits, CAP a power of two above the number
 * of runs. */
typedef struct db_seen {
    uint64_t *key;
    int64_t *count;
    size_t cap;
} db_seen;

/* How many runs with HASH (16 hex digits) the copy met before this one;
 * counts this one. */
static int64_t db_seen_bump(db_seen *t, const char *hash)
{
    uint64_t k = strtoull(hash, NULL, 16) | 1;  /* 0 marks a free slot */
    size_t i = (size_t)(k * 0x9E3779B97F4A7C15ull) & (t->cap - 1);
    while (t->key[i] && t->key[i] != k)
        i = (i + 1) & (t->cap - 1);
    t->key[i] = k;
    return t->count[i]++;
}

/* Copies SRC into DST (inside DST's transaction).  Counts into *COPIED,
 * *KEPT (already there) and *BASELINES.  0, or -1 after an error line. */
static int db_copy_all(store *src, store *dst, size_t *copied, size_t *kept, size_t *baselines)
{
    store_run_info *runs = NULL;
    store_baseline *bl = NULL;
    size_t nruns = 0, nbl = 0;
    int64_t *map = NULL;      /* DST id of SRC's runs[i] */
    db_seen seen = { NULL, NULL, 16 };
    int rc = -1;

    if (store_list_runs(src, NULL, &runs, &nruns) != 0) {
        cli_error("cannot list runs in '%s': %s", store_path(src), store_errmsg(src));
        return -1;
    }
    while (seen.cap < 2 * nruns)
        seen.cap *= 2;
    map = calloc(nruns ? nruns : 1, sizeof *map);
    seen.key = calloc(seen.cap, sizeof *seen.key);
    seen.count = calloc(seen.cap, sizeof *seen.count);
    if (!map || !seen.key || !seen.count) {
        cli_error("out of memory");
        goto out;
    }
    for (size_t k = nruns; k-- > 0;) {      /* oldest first */
        results_run run;
        char hash[17];
        int64_t id = 0;
        results_run_init(&run);
        int r = store_load_run(src, runs[k].id, &run);
        if (r != 0) {
            cli_error("cannot read run %lld from '%s': %s", (long long)runs[k].id,
                      store_path(src), store_errmsg(src));
            results_run_release(&run);
            goto out;
        }
        /* the same content twice in SRC is two runs: the Nth of them is
         * there already when DST holds N runs of that content */
        store_run_hash(&run, hash);
        r = store_find_run_by_hash(dst, hash, db_seen_bump(&seen, hash), &id);
        if (r == 0) {
            (*kept)++;
        } else if (r == STORE_NOTFOUND) {
            r = store_add_run(dst, &run, runs[k].note, &id);
            if (r == 0)
                (*copied)++;
        }
        results_run_release(&run);
        if (r != 0) {
            cli_error("cannot copy run %lld into '%s': %s", (long long)runs[k].id,
                      store_path(dst), store_errmsg(dst));
            goto out;
        }
        map[k] = id;
    }
    if (store_baseline_list_full(src, &bl, &nbl) != 0) {
        cli_error("cannot list baselines in '%s': %s", store_path(src), store_errmsg(src));
        goto out;
    }
    for (size_t b = 0; b < nbl; b++) {
        int64_t to = 0, have = 0;
        for (size_t k = 0; k < nruns; k++) {
            if (runs[k].id == bl[b].run_id)
                to = map[k];
        }
        int r = store_baseline_get(dst, bl[b].name, &have);
        if (r == 0) {
            if (have != to)
                cli_warn("baseline '%s' left as it is in '%s' (run %lld)", bl[b].name,
                         store_path(dst), (long long)have);
            continue;
        }
        if (r != STORE_NOTFOUND || to == 0 || store_baseline_set(dst, bl[b].name, to) != 0) {
            cli_error("cannot copy baseline '%s' into '%s': %s", bl[b].name, store_path(dst),
                      to == 0 ? "its run is missing" : store_errmsg(dst));
            goto out;
        }
        (*baselines)++;
    }
    rc = 0;
out:
    free(map);
    free(seen.key);
    free(seen.count);
    store_baselines_free(bl, nbl);
    store_run_infos_free(runs, nruns);
    return rc;
}

static int db_copy(int argc, char **argv)
{
    store *src = NULL, *dst = NULL;
    size_t copied = 0, kept = 0, baselines = 0;
    int rc = EXIT_USAGE;
    if (argc != 3) {
        cli_error("give SRC and DST (see 'perfcmp db --help')");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], argv[2])) {
        cli_error("SRC and DST are the same store '%s'", store_default_path(argv[1]));
        return EXIT_USAGE;
    }
    if (!store_is_server(argv[1])) {
        FILE *f = fopen(argv[1], "rb");
        if (!f) {
            cli_error("cannot open database '%s': no such file", argv[1]);
            return EXIT_USAGE;
        }
        fclose(f);
    }
    if (db_open(argv[1], 1, &src) != 0 || db_open(argv[2], 0, &dst) != 0)
        goto out;
    if (store_begin(dst) != 0) {
        cli_error("cannot copy into '%s': %s", store_path(dst), store_errmsg(dst));
        goto out;
    }
    if (db_copy_all(src, dst, &copied, &kept, &baselines) != 0) {
        store_rollback(dst);
        goto out;
    }
    if (store_commit(dst) != 0) {
        cli_error("cannot copy into '%s': %s", store_path(dst), store_errmsg(dst));
        goto out;
    }
    printf("copied %zu run%s (%zu already there) and %zu baseline%s from '%s' to '%s'\n",
           copied, copied == 1 ? "" : "s", kept, baselines, baselines == 1 ? "" : "s",
           store_path(src), store_path(dst));
    rc = EXIT_OK;
out:
    store_close(src);
    store_close(dst);
    return rc;
}

int cmd_db(int argc, char **argv, cli_ctx *ctx)
{
    (void)ctx;
    if (argc < 2) {
        cli_error("no db command given: expected copy (see 'perfcmp db --help')");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        db_usage(stdout);
        return EXIT_OK;
    }
    if (argv[1][0] == '-') {
        cli_error("unknown option '%s' (see 'perfcmp db --help')", argv[1]);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "copy")) {
        for (int i = 2; i < argc; i++) {
            if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                db_usage(stdout);
                return EXIT_OK;
            }
            if (argv[i][0] == '-') {
                cli_error("unknown option '%s' (see 'perfcmp db --help')", argv[i]);
                return EXIT_USAGE;
            }
        }
        return db_copy(argc - 1, argv + 1);
    }
    cli_error("unknown db command '%s' (see 'perfcmp db --help')", argv[1]);
    return EXIT_USAGE;
}
