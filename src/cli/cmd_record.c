/*
 * cmd_record.c - perfcmp record: store result files (perfcmp, Google
 * Benchmark, hyperfine JSON) as runs.
 *
 * Every file is read and validated before anything is written; then all
 * of them are stored in one transaction, so a bad file (or a failure while
 * writing) leaves the database as it was.  An interrupt while the files
 * are read kills the process (nothing stored); one during the transaction
 * rolls it back (exit 128+N, nothing stored); one after the commit lets
 * the command finish (exit 0): 128+N always means nothing was recorded.
 */
#include "commands.h"
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record_usage(FILE *f)
{
    fprintf(f,
            "usage: perfcmp record [OPTIONS] FILE...\n"
            "\n"
            "Stores each result file as a new run and prints its id. FILE may be '-'\n"
            "(standard input). Every file is validated before anything is stored;\n"
            "if one is bad, nothing is recorded (exit 2).  Interrupted (Ctrl-C) before\n"
            "its commit, it records nothing and exits 130; after it, it finishes.\n"
            "\n"
            "  --format=FMT     auto (default), perfcmp, google-benchmark, hyperfine\n"
            "  --commit=SHA     git commit of the measured code (overrides the file's)\n"
            "  --branch=NAME    git branch (overrides the file's)\n"
            "  --note=TEXT      a note shown by 'perfcmp runs'\n"
            "  --quiet, -q      print only the run ids, one per line\n"
            "  --help, -h       this help\n");
}

int cmd_record(int argc, char **argv, cli_ctx *ctx)
{
    const char *format = NULL, *commit = NULL, *branch = NULL, *note = NULL;
    int quiet = 0, rc = EXIT_USAGE, only_files = 0;
    size_t nfiles = 0;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    results_run *runs = NULL;
    int64_t *ids = NULL;
    store *s = NULL;

    if (!files) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int m;
        if (only_files || a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_files = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            record_usage(stdout);
            rc = EXIT_OK;
            goto out;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = 1;
        } else if ((m = cli_opt_value(argc, argv, &i, "--format", &format)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--commit", &commit)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--branch", &branch)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--note", &note)) != 0) {
            if (m < 0)
                goto out;
        } else {
            cli_error("unknown option '%s' (see 'perfcmp record --help')", a);
            goto out;
        }
    }
    if (format && cli_choice("format", format,
                             (const char *const[]){ "auto", IMPORT_FORMAT_PERFCMP, IMPORT_FORMAT_GBENCH,
                                                    IMPORT_FORMAT_HYPERFINE, NULL }) < 0)
        goto out;
    if (commit && !*commit) {
        cli_error("option '--commit' needs a value");
        goto out;
    }
    if (branch && !*branch) {
        cli_error("option '--branch' needs a value");
        goto out;
    }
    if (nfiles == 0) {
        cli_error("no result files given (see 'perfcmp record --help')");
        goto out;
    }
    size_t nstdin = 0;
    for (size_t f = 0; f < nfiles; f++)
        nstdin += !strcmp(files[f], "-") ? 1 : 0;
    if (nstdin > 1) {
        cli_error("standard input ('-') given more than once");
        goto out;
    }

    runs = calloc(nfiles, sizeof *runs);
    ids = calloc(nfiles, sizeof *ids);
    if (!runs || !ids) {
        cli_error("out of memory");
        goto out;
    }
    for (size_t f = 0; f < nfiles; f++)
        results_run_init(&runs[f]);

    /* 1. read and validate everything */
    for (size_t f = 0; f < nfiles; f++) {
        if (cli_load_results_file(files[f], format, &runs[f]) != 0)
            goto out;
        results_context *c = &runs[f].context;
        if ((commit && results_set_str(&c->git_commit, commit) != 0)
            || (branch && results_set_str(&c->git_branch, branch) != 0)) {
            cli_error("out of memory");
            goto out;
        }
    }

    /* 2. store them all in one transaction; while it waits for another
     * writer, Ctrl-C still ends the command at once */
    if (cli_open_store(ctx, &s) != 0)
        goto out;
    if (store_begin(s) != 0) {
        cli_error("cannot record into '%s': %s", store_path(s), store_errmsg(s));
        goto out;
    }
    cli_defer_signals();
    for (size_t f = 0; f < nfiles; f++) {
        if (store_add_run(s, &runs[f], note, &ids[f]) != 0) {
            cli_error("cannot record '%s' into '%s': %s", files[f], store_path(s),
                      store_errmsg(s));
            store_rollback(s);
            goto out;
        }
    }
    if (cli_deferred_signal()) {        /* the last moment to store nothing */
        store_rollback(s);
        rc = 128 + cli_deferred_signal();
        goto out;
    }
    if (store_commit(s) != 0) {
        cli_error("cannot record into '%s': %s", store_path(s), store_errmsg(s));
        goto out;
    }
    for (size_t f = 0; f < nfiles; f++) {
        if (quiet)
            printf("%lld\n", (long long)ids[f]);
        else if (!strcmp(files[f], "-"))
            printf("recorded run %lld from standard input (%zu benchmark%s)\n",
                   (long long)ids[f], runs[f].nbenches, runs[f].nbenches == 1 ? "" : "s");
        else
            printf("recorded run %lld from '%s' (%zu benchmark%s)\n", (long long)ids[f],
                   files[f], runs[f].nbenches, runs[f].nbenches == 1 ? "" : "s");
    }
    rc = EXIT_OK;
out:
    if (runs)
        for (size_t f = 0; f < nfiles; f++)
            results_run_release(&runs[f]);
    free(runs);
    free(ids);
    free(files);
    store_close(s);
    return rc;
}
