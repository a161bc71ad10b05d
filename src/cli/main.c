/*
 * main.c - perfcmp's entry point: global options and the command table.
 */
#include "commands.h"

#include <perfcmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_command commands[] = {
    { "record",   cmd_record,   "store result files (perfcmp, Google Benchmark, hyperfine JSON)" },
    { "run",      cmd_run,      "run a benchmark binary, record it and compare with the baseline" },
    { "exec",     cmd_exec,     "time whole commands, record them and compare with the baseline" },
    { "compare",  cmd_compare,  "compare a run with a baseline; exit 1 on regression" },
    { "ab",       cmd_ab,       "run two builds interleaved and compare them; exit 1 on regression" },
    { "baseline", cmd_baseline, "save, list, show, delete or import baselines" },
    { "runs",     cmd_runs,     "list stored runs, newest first" },
    { "show",     cmd_show,     "show one run's benchmarks and statistics" },
    { "prune",    cmd_prune,    "delete old runs (never a baseline's)" },
    { "history",  cmd_history,  "one benchmark's values over runs" },
    { "trend",    cmd_trend,    "find change points in benchmark histories" },
    { "plot",     cmd_plot,     "draw trend, comparison and distribution charts with gnuplot" },
    { "report",   cmd_report,   "write a static HTML report" },
    { "db",       cmd_db,       "copy runs and baselines between stores (SQLite, PostgreSQL)" },
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: perfcmp [--db PATH] COMMAND [ARGS...]\n"
            "       perfcmp --save-baseline [NAME] [--run ID] [--dir DIR]\n"
            "       perfcmp --help | --version\n"
            "\n"
            "Tracks benchmark results and fails CI when code gets slower.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\n"
            "Global options:\n"
            "  --db PATH        database file or postgresql:// URL (default: $PERFCMP_DB,\n"
            "                   else .perfcmp/perfcmp.db)\n"
            "  --save-baseline  same as 'baseline save'\n"
            "  --help, -h       this help; 'perfcmp COMMAND --help' for a command's\n"
            "  --version        print the version\n"
            "\n"
            "Exit status: 0 success / no regression, 1 regression or failed benchmark,\n"
            "2 bad usage or bad input (nothing is changed).\n"
            "See docs/cli.md for every command and option.\n");
}

/* Output lost to a full disk (show --format=json > file) is an error, not
 * a success: the command's status unless standard output failed and the
 * command has not said so already (EXIT_USAGE). */
static int main_close_stdout(int rc)
{
    int e = fflush(stdout) != 0 ? errno : 0;
    if (rc != EXIT_USAGE && (e || ferror(stdout))) {
        cli_error("cannot write to standard output: %s", e ? strerror(e) : "write error");
        return EXIT_USAGE;
    }
    return rc;
}

int main(int argc, char **argv)
{
    cli_ctx ctx = { .db = NULL, .color = cli_use_color(stdout) };
    int i = 1;

    while (i < argc && argv[i][0] == '-') {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf("perfcmp %s\n", perfcmp_version());
            return EXIT_OK;
        } else if (!strcmp(a, "--db")) {
            if (i + 1 >= argc) {
                cli_error("option '--db' needs a path");
                return EXIT_USAGE;
            }
            ctx.db = argv[i + 1];
            i += 2;
        } else if (!strncmp(a, "--db=", 5)) {
            ctx.db = a + 5;
            i++;
        } else if (!strcmp(a, "--save-baseline") || !strncmp(a, "--save-baseline=", 16)) {
            /* pytest-benchmark's form: rewrite as "baseline save [NAME] ..." */
            /* "baseline", "save", NAME from "=NAME", the rest, NULL */
            int n = 3 + (argc - i - 1) + 1;
            char **args = calloc((size_t)n, sizeof *args);
            if (!args) {
                cli_error("out of memory");
                return EXIT_USAGE;
            }
            int k = 0;
            args[k++] = "baseline";
            args[k++] = "save";
            if (a[15] == '=')
                args[k++] = (char *)a + 16;
            for (int j = i + 1; j < argc; j++)
                args[k++] = argv[j];
            args[k] = NULL;
            int rc = cmd_baseline(k, args, &ctx);
            free(args);
            return main_close_stdout(rc);
        } else {
            cli_error("unknown option '%s' (see 'perfcmp --help')", a);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        /* a missing argument is one line, as in every command */
        cli_error("no command given (see 'perfcmp --help')");
        return EXIT_USAGE;
    }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        if (!strcmp(argv[i], commands[c].name))
            return main_close_stdout(commands[c].fn(argc - i, argv + i, &ctx));
    }
    cli_error("unknown command '%s' (see 'perfcmp --help')", argv[i]);
    return EXIT_USAGE;
}
