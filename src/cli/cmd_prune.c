/*
 * cmd_prune.c - perfcmp prune: delete old runs, never one a baseline uses.
 */
#include "commands.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void prune_usage(FILE *f)
{
    fprintf(f,
            "usage: perfcmp prune (--keep-last=N | --older-than=DAYS)... [--dry-run]\n"
            "\n"
            "Deletes stored runs with their results and samples. A run is deleted when\n"
            "it matches every limit given: not among the newest N runs, and recorded\n"
            "more than DAYS days ago. A run that a baseline uses is never deleted.\n"
            "Prints each run it deletes.\n"
            "\n"
            "  --keep-last=N      keep the newest N runs\n"
            "  --older-than=DAYS  delete only runs recorded more than DAYS days ago\n"
            "                     (a fraction is allowed: 0.5 is twelve hours)\n"
            "  --dry-run, -n      print what would be deleted, delete nothing\n"
            "  --help, -h         this help\n");
}

int cmd_prune(int argc, char **argv, cli_ctx *ctx)
{
    const char *keep = NULL, *older = NULL;
    size_t keep_last = 0, n = 0;
    double days = 0;
    int dry = 0, m, rc = EXIT_USAGE;
    store_run_info *v = NULL;
    store *s = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            prune_usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--dry-run") || !strcmp(a, "-n")) {
            dry = 1;
        } else if ((m = cli_opt_value(argc, argv, &i, "--keep-last", &keep)) != 0
                   || (m = cli_opt_value(argc, argv, &i, "--older-than", &older)) != 0) {
            if (m < 0)
                return EXIT_USAGE;
        } else if (a[0] == '-') {
            cli_error("unknown option '%s' (see 'perfcmp prune --help')", a);
            return EXIT_USAGE;
        } else {
            cli_error("unexpected argument '%s' (see 'perfcmp prune --help')", a);
            return EXIT_USAGE;
        }
    }
    if (!keep && !older) {
        cli_error("give --keep-last=N or --older-than=DAYS (see 'perfcmp prune --help')");
        return EXIT_USAGE;
    }
    if (keep && cli_parse_size(keep, &keep_last) != 0) {
        cli_error("invalid value '%s' for '--keep-last': expected a positive whole number", keep);
        return EXIT_USAGE;
    }
    if (older) {
        char *end;
        errno = 0;
        days = strtod(older, &end);
        if (!*older || *end || errno || !isfinite(days) || days <= 0 || *older == ' ') {
            cli_error("invalid value '%s' for '--older-than': expected a positive number of days",
                      older);
            return EXIT_USAGE;
        }
    }
    if (cli_open_store_existing(ctx, &s) != 0)
        return EXIT_USAGE;
    if (store_prune_runs(s, keep_last, days, dry, &v, &n) != 0) {
        cli_error("cannot prune '%s': %s", store_path(s), store_errmsg(s));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const store_run_info *r = &v[i];
        printf("%s run %lld (%s, commit %.12s%s, %zu benchmark%s)\n",
               dry ? "would remove" : "removed", (long long)r->id,
               r->timestamp ? r->timestamp : r->recorded_at ? r->recorded_at : "-",
               r->commit ? r->commit : "-", r->dirty == 1 ? "*" : "", r->nbenches,
               r->nbenches == 1 ? "" : "s");
    }
    printf("%s %zu run%s\n", dry ? "would remove" : "removed", n, n == 1 ? "" : "s");
    rc = EXIT_OK;
out:
    store_run_infos_free(v, n);
    store_close(s);
    return rc;
}
