/*
 * cmd_baseline.c - perfcmp baseline save|list|show|delete|import.
 *
 * A baseline is a name pointing at a stored run (the baselines table) and,
 * for `save`, also a file DIR/NAME.json carrying the whole run, so another
 * machine with an empty database can compare against it (`compare`
 * resolves a name in the database first, then the file).
 *
 * save writes the file to a temporary beside its target before committing
 * the database change, and renames it into place after the commit: a
 * failure to write the file rolls the database change back; a failure of
 * the final rename (rare: the directory vanished or became read-only)
 * restores the previous baseline row in a second transaction and is
 * reported, so the database and the file never disagree silently.
 */
#include "commands.h"
#include "baseline_check.h"
#include "baseline_file.h"
#include "import.h"
#include "report.h"
#include "../core/suspect.h"

#include <math.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void baseline_usage(FILE *f)
{
    fprintf(f,
            "usage: perfcmp baseline save [NAME] [--run=ID | --last=N [--branch=NAME] [--machine=TEXT]]\n"
            "                             [--dir=DIR]\n"
            "       perfcmp baseline list [--dir=DIR] [--format=text|json]\n"
            "       perfcmp baseline show NAME [--dir=DIR] [--format=text|json]\n"
            "       perfcmp baseline delete NAME [--file] [--dir=DIR]\n"
            "       perfcmp baseline import FILE [--name=NAME]\n"
            "\n"
            "  save     point baseline NAME (default 'default') at a run (default: the\n"
            "           latest) and write DIR/NAME.json (DIR default 'baselines');\n"
            "           --last=N merges the newest N runs of branch NAME (default: the\n"
            "           newest run's branch; with --machine=TEXT, only runs whose machine\n"
            "           fingerprint contains TEXT) into one stored run, each run's\n"
            "           processes kept as processes, and warns where the runs disagree\n"
            "           beyond their own spread (--runs=N is the same: its older\n"
            "           spelling); save warns when the baseline is suspect: its\n"
            "           processes disagree beyond their own spread by more than 20%%, or\n"
            "           its median lies outside the benchmark's last 20 runs of its\n"
            "           branch (docs/cli.md, 'A suspect baseline')\n"
            "  list     baselines in the database, and files in DIR not in it\n"
            "  show     a baseline's run, as 'perfcmp show' does (database first,\n"
            "           then DIR/NAME.json)\n"
            "  delete   remove the name from the database (the run stays until pruned);\n"
            "           --file also deletes DIR/NAME.json\n"
            "  import   store a baseline file as a run and point NAME at it (NAME from\n"
            "           --name, else the file's baseline block, else the file name);\n"
            "           importing the same content again reuses the stored run\n"
            "\n"
            "NAME is a plain word: letters, digits, '.', '_', '-' (not starting with '.').\n");
}

/* NAME with control characters written as \n, \t, \xNN, cut at 80 bytes,
 * so that a refused name still gives a one-line message. */
static void baseline_printable(const char *name, char *out, size_t len)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 5 < len; p++) {
        if (o >= 80) {
            snprintf(out + o, len - o, "...");
            return;
        }
        if (*p == '\n')
            o += (size_t)snprintf(out + o, len - o, "\\n");
        else if (*p == '\t')
            o += (size_t)snprintf(out + o, len - o, "\\t");
        else if (*p < 0x20 || *p == 0x7f)
            o += (size_t)snprintf(out + o, len - o, "\\x%02x", *p);
        else
            out[o++] = (char)*p;
    }
    out[o] = '\0';
}

static int baseline_check_name(const char *name)
{
    char shown[128];
    if (store_valid_baseline_name(name))
        return 0;
    baseline_printable(name, shown, sizeof shown);
    cli_error("invalid baseline name '%s': use letters, digits, '.', '_' and '-' "
              "(not starting with '.', at most 64)", shown);
    return EXIT_USAGE;
}

/* Parsed options shared by the subcommands. */
typedef struct baseline_args {
    const char *pos[2];     /* positional arguments */
    int npos;
    const char *run, *dir, *format, *name, *runs, *branch, *machine;
    const char *runs_opt;   /* how --last was spelled: "--last" or "--runs" (its alias) */
    int file;
} baseline_args;

/* Parses ARGV[2..] for subcommand SUB allowing the options in ALLOWED
 * ("run,dir,format,name,file").  Returns 0 to go on, BASELINE_HELP after
 * printing the usage, or EXIT_USAGE after printing an error. */
#define BASELINE_HELP (-1)

static int baseline_parse(int argc, char **argv, const char *sub, const char *allowed,
                          int maxpos, baseline_args *o)
{
    memset(o, 0, sizeof *o);
    o->format = "text";
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int m;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            baseline_usage(stdout);
            return BASELINE_HELP;
        }
        if (strstr(allowed, "file") && !strcmp(a, "--file")) {
            o->file = 1;
            continue;
        }
        /* --runs is the older spelling of --last (one vocabulary: docs/cli.md) */
        static const char *const names[] = { "run", "dir", "format", "name", "last", "runs",
                                             "branch", "machine" };
        const char **dst[] = { &o->run, &o->dir, &o->format, &o->name, &o->runs, &o->runs,
                               &o->branch, &o->machine };
        int matched = 0;
        for (size_t k = 0; k < sizeof names / sizeof names[0] && !matched; k++) {
            char opt[16];
            if (!strstr(allowed, names[k]))
                continue;
            snprintf(opt, sizeof opt, "--%s", names[k]);
            m = cli_opt_value(argc, argv, &i, opt, &v);
            if (m < 0)
                return EXIT_USAGE;
            if (m > 0) {
                *dst[k] = v;
                matched = 1;
                if (dst[k] == &o->runs)
                    o->runs_opt = names[k][0] == 'l' ? "--last" : "--runs";
            }
        }
        if (matched)
            continue;
        if (a[0] == '-' && a[1] != '\0') {
            cli_error("unknown option '%s' for 'baseline %s' (see 'perfcmp baseline --help')", a,
                      sub);
            return EXIT_USAGE;
        }
        if (o->npos >= maxpos) {
            cli_error("unexpected argument '%s' for 'baseline %s'", a, sub);
            return EXIT_USAGE;
        }
        o->pos[o->npos++] = a;
    }
    if (cli_choice("format", o->format, (const char *const[]){ "text", "json", NULL }) < 0) {
        return EXIT_USAGE;
    }
    if (o->dir && !*o->dir) {
        cli_error("option '--dir' needs a directory");
        return EXIT_USAGE;
    }
    return 0;
}

/* Baseline NAME's run in S: 0 with *ID set, STORE_NOTFOUND, or -1 after
 * printing the store's error. */
static int baseline_get(store *s, const char *name, int64_t *id)
{
    int r = store_baseline_get(s, name, id);
    if (r != 0 && r != STORE_NOTFOUND) {
        cli_error("%s", store_errmsg(s));
        return -1;
    }
    return r;
}

/* For show and delete: *PATH gets DIR/NAME.json of baseline NAME (O's
 * first argument), *S the store, and NAME is looked up in it.  Returns 0
 * with *ID set, STORE_NOTFOUND, or -1 after printing why; the caller
 * frees *PATH and closes *S in every case. */
static int baseline_locate(const baseline_args *o, cli_ctx *ctx, store **s, char **path,
                           int64_t *id)
{
    if (!(*path = baseline_file_path(o->dir, o->pos[0]))) {
        cli_error("out of memory");
        return -1;
    }
    if (cli_open_store_existing(ctx, s) != 0)
        return -1;
    return baseline_get(*s, o->pos[0], id);
}

/* ---- save ---------------------------------------------------------------- */

int baseline_save_run(store *s, const char *name, const char *dir, int64_t id, FILE *out)
{
    results_run run;
    char *path = NULL, *tmp = NULL, err[512], now[32];
    int64_t old_id = 0;
    int rc = EXIT_USAGE;
    baseline_info info = { 0 };

    results_run_init(&run);
    int r = store_load_run(s, id, &run);
    if (r != 0) {
        cli_error_run(s, id, r);
        goto out;
    }
    results_utc_now(now, sizeof now);
    info.name = (char *)name;
    info.run_id = id;
    info.saved_at = now;
    info.machine = store_machine_fingerprint(&run.context);
    if (!(path = baseline_file_path(dir, name)) || !info.machine) {
        cli_error("out of memory");
        goto out;
    }

    r = baseline_get(s, name, &old_id);
    if (r < 0)
        goto out;
    int had_old = r == 0;
    /* The row changes in a transaction, the file is written aside meanwhile
     * and renamed into place once the row is committed. */
    if (store_begin(s) != 0 || store_baseline_set(s, name, id) != 0) {
        cli_error("cannot save baseline '%s' in '%s': %s", name, store_path(s), store_errmsg(s));
        store_rollback(s);
        goto out;
    }
    if (baseline_file_prepare(path, &run, &info, &tmp, err, sizeof err) != 0) {
        store_rollback(s);
        cli_error("%s; baseline '%s' not saved", err, name);
        goto out;
    }
    if (store_commit(s) != 0) {
        baseline_file_abort(tmp);
        cli_error("cannot save baseline '%s' in '%s': %s", name, store_path(s), store_errmsg(s));
        goto out;
    }
    if (baseline_file_commit(tmp, path, err, sizeof err) != 0) {
        /* undo the committed row so the database and the file agree */
        int undo = had_old ? store_baseline_set(s, name, old_id) : store_baseline_delete(s, name);
        cli_error("%s; baseline '%s' %s", err, name,
                  undo == 0 ? "not saved (database restored)"
                            : "saved in the database only (restoring it failed)");
        goto out;
    }
    fprintf(out, "saved baseline '%s' (run %lld) to '%s'\n", name, (long long)id, path);
    fflush(out);    /* before the warnings on stderr */
    /* Is it one moment of the machine?  At the default threshold, since
     * the one of a later compare is not known yet. */
    verdict_options vo;
    char label[128];
    verdict_options_init(&vo);
    snprintf(label, sizeof label, "baseline '%s' (run %lld)", name, (long long)id);
    baseline_check(s, &run, id, label, name, &vo, 0);
    verdict_options_release(&vo);
    rc = EXIT_OK;
out:
    free(info.machine);
    free(path);
    results_run_release(&run);
    return rc;
}

/* Prints a warning for each benchmark of MERGED whose runs disagree
 * (suspect_disagree: the fastest and the slowest run's spreads do not
 * overlap and their medians differ by more than 5%).  VIEWS[b * NRUNS +
 * r] is run IDS[r]'s view of benchmark b (suspect_metric_view; median NAN
 * when the run lacks it).  Returns the count. */
static size_t merge_warn(const results_run *merged, const suspect_view *views,
                         const int64_t *ids, size_t nruns)
{
    size_t nwarn = 0;
    for (size_t b = 0; b < merged->nbenches; b++) {
        const suspect_view *v = views + b * nruns;
        size_t lo, hi;
        if (!suspect_disagree(v, nruns, SUSPECT_MERGE_MIN_CHANGE, &lo, &hi))
            continue;
        const results_metric *m = &merged->benches[b].metrics[0];
        char a[48], z[48];
        cli_warn("runs %lld and %lld disagree on %s beyond their own spread: %s and %s (%+.1f%%)",
                 (long long)ids[lo], (long long)ids[hi], merged->benches[b].name,
                 report_format_value(v[lo].median, m->unit, a, sizeof a),
                 report_format_value(v[hi].median, m->unit, z, sizeof z),
                 100.0 * (v[hi].median / v[lo].median - 1.0));
        nwarn++;
    }
    return nwarn;
}

/* save --last=N: merges the newest N runs of the branch (earlier merges
 * left out) into one run recorded as source format "perfcmp-merged", and
 * points NAME at it, all in one transaction. */
static int baseline_save_merged(const baseline_args *o, store *s, const char *name)
{
    size_t want = 0, ninfo = 0, nruns = 0;
    store_run_info *infos = NULL, latest = { 0 };
    int64_t *ids = NULL, newest = 0, id = 0;
    suspect_view *views = NULL;
    results_run merged, other;
    char *branch = NULL, *note = NULL, *list = NULL;
    int rc = EXIT_USAGE, r;

    results_run_init(&merged);
    results_run_init(&other);
    if (cli_parse_size(o->runs, &want) != 0 || want > 1000) {
        cli_error("invalid value '%s' for '%s': expected a positive whole number%s", o->runs,
                  o->runs_opt, cli_parse_size(o->runs, &want) == 0 ? ", at most 1000" : "");
        return EXIT_USAGE;
    }
    if (o->run) {
        cli_error("options '--run' and '%s' cannot be used together: --run saves one run, "
                  "%s merges the newest N", o->runs_opt, o->runs_opt);
        return EXIT_USAGE;
    }
    if (o->branch) {
        branch = strdup(o->branch);
    } else {
        r = store_latest_run(s, &newest);
        if (r == STORE_NOTFOUND) {
            cli_error("no runs recorded yet in '%s': nothing to save as baseline '%s'",
                      store_path(s), name);
            return EXIT_USAGE;
        }
        if (r != 0 || store_run_info_get(s, newest, &latest) != 0) {
            cli_error("%s", store_errmsg(s));
            return EXIT_USAGE;
        }
        branch = latest.branch ? strdup(latest.branch) : NULL;
        if (latest.branch && !branch)
            goto oom;
    }
    store_filter f = { .last = want + 100, .branch = branch, .machine = o->machine };
    if (store_list_runs(s, &f, &infos, &ninfo) != 0) {
        cli_error("%s", store_errmsg(s));
        goto out;
    }
    if (!(ids = malloc((ninfo ? ninfo : 1) * sizeof *ids)))
        goto oom;
    for (size_t i = 0; i < ninfo && nruns < want; i++) {
        if (infos[i].source_format && !strcmp(infos[i].source_format, "perfcmp-merged"))
            continue;
        ids[nruns++] = infos[i].id;
    }
    if (nruns == 0) {
        cli_error("no runs on branch '%s'%s%s%s in '%s': nothing to save as baseline '%s'",
                  branch ? branch : "(none)", o->machine ? " on a machine matching '" : "",
                  o->machine ? o->machine : "", o->machine ? "'" : "", store_path(s), name);
        goto out;
    }
    if (nruns < want)
        cli_warn("only %zu run%s on branch '%s'%s%s%s to merge, of the %zu asked", nruns,
                 nruns == 1 ? "" : "s", branch ? branch : "(none)",
                 o->machine ? " on a machine matching '" : "", o->machine ? o->machine : "",
                 o->machine ? "'" : "", want);

    /* newest first: the merged run keeps the newest run's context */
    r = store_load_run(s, ids[0], &merged);
    if (r != 0) {
        cli_error_run(s, ids[0], r);
        goto out;
    }
    if (!(views = malloc((merged.nbenches ? merged.nbenches : 1) * nruns * sizeof *views)))
        goto oom;
    for (size_t k = 0; k < nruns; k++) {
        const results_run *src = &merged;
        if (k > 0) {
            results_run_release(&other);
            results_run_init(&other);
            r = store_load_run(s, ids[k], &other);
            if (r != 0) {
                cli_error_run(s, ids[k], r);
                goto out;
            }
            src = &other;
        }
        for (size_t b = 0; b < merged.nbenches; b++) {
            const results_bench *sb = results_find_bench(src, merged.benches[b].name);
            suspect_view *v = &views[b * nruns + k];
            v->median = NAN;
            if (merged.benches[b].nmetrics == 0 || !sb || sb->status != RESULTS_OK)
                continue;
            const results_metric *m = results_find_metric(sb, merged.benches[b].metrics[0].name);
            if (m && m->nsamples && suspect_metric_view(m, v) != 0)
                goto oom;
        }
        if (k > 0 && results_merge_run(&merged, &other) < 0)
            goto oom;
    }
    merge_warn(&merged, views, ids, nruns);

    size_t cap = 24 * nruns + 1, len = 0;
    size_t note_cap = cap + 96 + strlen(name);
    if (!(list = malloc(cap)) || !(note = malloc(note_cap)) ||
        results_set_str(&merged.context.source_format, "perfcmp-merged") != 0)
        goto oom;
    for (size_t k = 0; k < nruns; k++)
        len += (size_t)snprintf(list + len, cap - len, "%s%lld", k ? ", " : "",
                                (long long)ids[k]);
    snprintf(note, note_cap, "baseline '%s' merged from run%s %s", name, nruns == 1 ? "" : "s", list);

    /* the merged run and the baseline row: one transaction */
    if (store_begin(s) != 0) {
        cli_error("cannot save baseline '%s' in '%s': %s", name, store_path(s), store_errmsg(s));
        goto out;
    }
    if (store_add_run(s, &merged, note, &id) != 0) {
        cli_error("cannot save baseline '%s' in '%s': %s", name, store_path(s), store_errmsg(s));
        store_rollback(s);
        goto out;
    }
    if (baseline_save_run(s, name, o->dir, id, stdout) != EXIT_OK) {
        store_rollback(s);
        goto out;
    }
    if (store_commit(s) != 0) {
        cli_error("cannot save baseline '%s' in '%s': %s", name, store_path(s), store_errmsg(s));
        goto out;
    }
    printf("run %lld merges %zu run%s of branch '%s': %s\n", (long long)id, nruns,
           nruns == 1 ? "" : "s", branch ? branch : "(none)", list);
    rc = EXIT_OK;
    goto out;
oom:
    cli_error("out of memory");
out:
    free(note);
    free(list);
    free(views);
    free(ids);
    free(branch);
    store_run_infos_free(infos, ninfo);
    store_run_info_release(&latest);
    results_run_release(&merged);
    results_run_release(&other);
    return rc;
}

static int baseline_save(const baseline_args *o, cli_ctx *ctx)
{
    store *s = NULL;
    int64_t id = 0;
    int rc = EXIT_USAGE;
    const char *name = o->npos ? o->pos[0] : BASELINE_DEFAULT_NAME;
    if (baseline_check_name(name) != 0)
        return EXIT_USAGE;
    if ((o->branch || o->machine) && !o->runs) {
        cli_error("'%s' chooses the runs of --last; give --last=N with it",
                  o->branch ? "--branch" : "--machine");
        return EXIT_USAGE;
    }
    if (cli_open_store_existing(ctx, &s) != 0)
        goto out;
    if (o->runs) {
        rc = baseline_save_merged(o, s, name);
        goto out;
    }
    if (o->run) {
        if (cli_parse_run_id(s, o->run, &id) != 0)
            goto out;
    } else {
        int r = store_latest_run(s, &id);
        if (r == STORE_NOTFOUND) {
            cli_error("no runs recorded yet in '%s': nothing to save as baseline '%s'",
                      store_path(s), name);
            goto out;
        }
        if (r != 0) {
            cli_error("%s", store_errmsg(s));
            goto out;
        }
    }
    rc = baseline_save_run(s, name, o->dir, id, stdout);
out:
    store_close(s);
    return rc;
}

/* ---- list ---------------------------------------------------------------- */

/* Names of DIR's *.json files that are valid baseline names, sorted. */
static int baseline_dir_names(const char *dir, char ***out, size_t *n)
{
    DIR *d = opendir(dir && *dir ? dir : BASELINE_DEFAULT_DIR);
    char **v = NULL;
    size_t cnt = 0;
    struct dirent *e;
    *out = NULL;
    *n = 0;
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || strcmp(e->d_name + l - 5, ".json"))
            continue;
        char *nm = malloc(l - 4);
        if (!nm)
            goto nomem;
        memcpy(nm, e->d_name, l - 5);
        nm[l - 5] = '\0';
        if (!store_valid_baseline_name(nm)) {
            free(nm);
            continue;
        }
        char **nv = realloc(v, (cnt + 1) * sizeof *nv);
        if (!nv) {
            free(nm);
            goto nomem;
        }
        v = nv;
        v[cnt++] = nm;
    }
    closedir(d);
    for (size_t i = 1; i < cnt; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    *out = v;
    *n = cnt;
    return 0;
nomem:
    closedir(d);
    store_names_free(v, cnt);
    return -1;
}

static void baseline_json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

typedef struct baseline_entry {
    const char *name;
    const store_baseline *row;      /* NULL: a file only */
} baseline_entry;

static int baseline_entry_cmp(const void *a, const void *b)
{
    return strcmp(((const baseline_entry *)a)->name, ((const baseline_entry *)b)->name);
}

static int baseline_list(const baseline_args *o, cli_ctx *ctx)
{
    store *s = NULL;
    store_baseline *bl = NULL;
    size_t nbl = 0, nfiles = 0;
    char **files = NULL;
    int rc = EXIT_USAGE;

    if (cli_open_store_existing(ctx, &s) != 0)
        goto out;
    if (store_baseline_list_full(s, &bl, &nbl) != 0) {
        cli_error("cannot list baselines in '%s': %s", store_path(s), store_errmsg(s));
        goto out;
    }
    if (baseline_dir_names(o->dir, &files, &nfiles) != 0) {
        cli_error("out of memory");
        goto out;
    }
    /* database baselines and files in no row, together in name order */
    size_t nall = 0;
    baseline_entry *all = calloc(nbl + nfiles + 1, sizeof *all);
    if (!all) {
        cli_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < nbl; i++)
        all[nall++] = (baseline_entry){ bl[i].name, &bl[i] };
    for (size_t i = 0; i < nfiles; i++) {
        int in_db = 0;
        for (size_t k = 0; k < nbl; k++)
            in_db |= !strcmp(bl[k].name, files[i]);
        if (!in_db)
            all[nall++] = (baseline_entry){ files[i], NULL };
    }
    qsort(all, nall, sizeof *all, baseline_entry_cmp);
    int json = !strcmp(o->format, "json"), first = 1;
    if (json)
        printf("[");
    else if (nall == 0)
        printf("no baselines in '%s' nor in '%s/'\n", store_path(s),
               o->dir ? o->dir : BASELINE_DEFAULT_DIR);
    else
        printf("%-20s  %5s  %-8s  %-20s  %s\n", "NAME", "RUN", "COMMIT", "SAVED AT", "FILE");
    for (size_t i = 0; i < nall; i++) {
        const char *name = all[i].name, *commit = NULL, *saved = NULL;
        const store_baseline *row = all[i].row;
        int64_t run_id = 0;
        store_run_info info = { 0 };
        results_run frun;
        baseline_info finfo = { 0 };
        results_run_init(&frun);
        char *path;
        if (row) {
            run_id = row->run_id;
            saved = row->saved_at;
            if (store_run_info_get(s, run_id, &info) == 0)
                commit = info.commit;
        }
        path = baseline_file_path(o->dir, name);
        struct stat st;
        int has_file = path && stat(path, &st) == 0;
        if (!row && path) {
            size_t len;
            char err[256];
            char *text = cli_read_file(path, &len, err, sizeof err);
            if (text && baseline_file_parse(text, len, &frun, &finfo, err, sizeof err) == 0) {
                commit = frun.context.git_commit;
                saved = finfo.saved_at;
            }
            free(text);
        }
        if (json) {
            printf("%s\n  {\"name\": ", first ? "" : ",");
            baseline_json_str(name);
            if (run_id)
                printf(", \"run_id\": %lld", (long long)run_id);
            else
                printf(", \"run_id\": null");
            printf(", \"commit\": ");
            if (commit)
                baseline_json_str(commit);
            else
                printf("null");
            printf(", \"saved_at\": ");
            if (saved)
                baseline_json_str(saved);
            else
                printf("null");
            printf(", \"file\": ");
            if (has_file)
                baseline_json_str(path);
            else
                printf("null");
            printf(", \"in_database\": %s}", row ? "true" : "false");
        } else {
            char rid[24], fcol[512];
            snprintf(rid, sizeof rid, run_id ? "%lld" : "-", (long long)run_id);
            snprintf(fcol, sizeof fcol, "%s%s", has_file ? path : "-", row ? "" : " (file only)");
            printf("%-20s  %5s  %-8.7s  %-20s  %s\n", name, rid, commit ? commit : "-",
                   saved ? saved : "-", fcol);
        }
        first = 0;
        free(path);
        store_run_info_release(&info);
        results_run_release(&frun);
        baseline_info_release(&finfo);
    }
    free(all);
    if (json)
        printf("%s]\n", first ? "" : "\n");
    rc = EXIT_OK;
out:
    store_baselines_free(bl, nbl);
    store_names_free(files, nfiles);
    store_close(s);
    return rc;
}

/* ---- show ---------------------------------------------------------------- */

static int baseline_show(const baseline_args *o, cli_ctx *ctx)
{
    store *s = NULL;
    char *path = NULL, idbuf[32], fmtbuf[32];
    int rc = EXIT_USAGE;
    int64_t id;
    const char *name = o->pos[0];

    int r = baseline_locate(o, ctx, &s, &path, &id);
    if (r < 0)
        goto out;
    snprintf(fmtbuf, sizeof fmtbuf, "--format=%s", o->format);
    if (r == 0) {
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
        char *args[] = { "show", idbuf, fmtbuf, NULL };
        store_close(s);
        s = NULL;
        rc = cmd_show(3, args, ctx);
        goto out;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        cli_error("no baseline '%s' in '%s' nor '%s'", name, store_path(s), path);
        goto out;
    }
    char *args[] = { "show", "--file", path, fmtbuf, NULL };
    rc = cmd_show(4, args, ctx);
out:
    free(path);
    store_close(s);
    return rc;
}

/* ---- delete -------------------------------------------------------------- */

static int baseline_delete(const baseline_args *o, cli_ctx *ctx)
{
    store *s = NULL;
    char *path = NULL;
    int rc = EXIT_USAGE;
    const char *name = o->pos[0];

    int64_t id = 0;
    int r = baseline_locate(o, ctx, &s, &path, &id);
    if (r < 0)
        goto out;
    struct stat st;
    int has_file = stat(path, &st) == 0;
    if (r == STORE_NOTFOUND && !(o->file && has_file)) {
        cli_error("no baseline '%s' in '%s'%s", name, store_path(s),
                  has_file ? " (its file stays; add --file to delete it)" : "");
        goto out;
    }
    if (r == 0 && store_baseline_delete(s, name) != 0) {
        cli_error("cannot delete baseline '%s' in '%s': %s", name, store_path(s), store_errmsg(s));
        goto out;
    }
    if (r == 0)
        printf("deleted baseline '%s' (run %lld stays until pruned)\n", name, (long long)id);
    if (o->file && has_file) {
        if (unlink(path) != 0) {
            cli_error("cannot delete '%s': %s", path, strerror(errno));
            goto out;
        }
        printf("deleted '%s'\n", path);
    }
    rc = EXIT_OK;
out:
    free(path);
    store_close(s);
    return rc;
}

/* ---- import -------------------------------------------------------------- */

static int baseline_import(const baseline_args *o, cli_ctx *ctx)
{
    store *s = NULL;
    results_run run;
    baseline_info info = { 0 };
    char err[512], warn[512] = "", hash[17], *text = NULL, *fname = NULL, note[512];
    size_t len;
    int rc = EXIT_USAGE, created = 0;
    int64_t id = 0;

    results_run_init(&run);
    if (o->npos == 0) {
        cli_error("no file given (see 'perfcmp baseline --help')");
        return EXIT_USAGE;
    }
    const char *file = o->pos[0];
    if (o->name && baseline_check_name(o->name) != 0)
        return EXIT_USAGE;
    if (!(text = cli_read_file(file, &len, err, sizeof err))) {
        cli_error("cannot read '%s': %s", file, err);
        goto out;
    }
    const char *fmt = import_detect(text, len);
    int prc = fmt && !strcmp(fmt, IMPORT_FORMAT_PERFCMP)
                  ? baseline_file_parse(text, len, &run, &info, err, sizeof err)
                  : import_parse_warn(text, len, NULL, &run, warn, sizeof warn, err, sizeof err);
    if (prc != 0) {
        cli_error("'%s': %s", file, err);
        goto out;
    }
    if (warn[0])
        cli_warn("'%s': %s", file, warn);
    /* the name: --name, else the file's baseline block, else the file name */
    const char *name = o->name ? o->name : info.name;
    if (!name) {
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        size_t bl = strlen(base);
        if (bl > 5 && !strcmp(base + bl - 5, ".json"))
            bl -= 5;
        if ((fname = malloc(bl + 1))) {
            memcpy(fname, base, bl);
            fname[bl] = '\0';
        }
        name = fname && store_valid_baseline_name(fname) ? fname : NULL;
        if (!name) {
            cli_error("'%s' names no baseline: give one with --name", file);
            goto out;
        }
    } else if (baseline_check_name(name) != 0) {
        goto out;
    }
    if (cli_open_store(ctx, &s) != 0)
        goto out;
    store_run_hash(&run, hash);
    if (store_begin(s) != 0)
        goto dberr;
    int r = store_find_run_by_hash(s, hash, 0, &id);
    if (r == STORE_NOTFOUND) {
        snprintf(note, sizeof note, "baseline '%s' imported from '%s'", name, file);
        if (store_add_run(s, &run, note, &id) != 0)
            goto dberr;
        created = 1;
    } else if (r != 0) {
        goto dberr;
    }
    if (store_baseline_set(s, name, id) != 0 || store_commit(s) != 0)
        goto dberr;
    if (created)
        printf("imported baseline '%s' from '%s' as run %lld (%zu benchmark%s)\n", name, file,
               (long long)id, run.nbenches, run.nbenches == 1 ? "" : "s");
    else
        printf("baseline '%s' now points at run %lld (the same content was already stored)\n",
               name, (long long)id);
    rc = EXIT_OK;
    goto out;
dberr:
    cli_error("cannot import '%s' into '%s': %s", file, store_path(s), store_errmsg(s));
    store_rollback(s);
out:
    free(text);
    free(fname);
    baseline_info_release(&info);
    results_run_release(&run);
    store_close(s);
    return rc;
}

/* The subcommands: the options each allows (see baseline_parse), how
 * many positional arguments, and whether the first must be a NAME. */
static const struct baseline_command {
    const char *name;
    int (*fn)(const baseline_args *o, cli_ctx *ctx);
    const char *allowed;
    int maxpos;
    int named;
} baseline_commands[] = {
    { "save", baseline_save, "run,dir,last,runs,branch,machine", 1, 0 },
    { "list", baseline_list, "dir,format", 0, 0 },
    { "show", baseline_show, "dir,format", 1, 1 },
    { "delete", baseline_delete, "dir,file", 1, 1 },
    { "import", baseline_import, "name", 1, 0 },
};

int cmd_baseline(int argc, char **argv, cli_ctx *ctx)
{
    if (argc < 2) {
        cli_error("no baseline command given: expected save, list, show, delete or import "
                  "(see 'perfcmp baseline --help')");
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        baseline_usage(stdout);
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof baseline_commands / sizeof baseline_commands[0]; k++) {
        const struct baseline_command *c = &baseline_commands[k];
        baseline_args o;
        if (strcmp(sub, c->name) != 0)
            continue;
        int rc = baseline_parse(argc, argv, c->name, c->allowed, c->maxpos, &o);
        if (rc != 0)
            return rc == BASELINE_HELP ? EXIT_OK : EXIT_USAGE;
        if (c->named) {
            if (o.npos == 0) {
                cli_error("no baseline name given (see 'perfcmp baseline --help')");
                return EXIT_USAGE;
            }
            if (baseline_check_name(o.pos[0]) != 0)
                return EXIT_USAGE;
        }
        return c->fn(&o, ctx);
    }
    cli_error("unknown baseline command '%s': expected save, list, show, delete or import "
              "(see 'perfcmp baseline --help')", sub);
    return EXIT_USAGE;
}
