/*
 * commands.h - the subcommands of perfcmp, one cmd_<name>.c each.
 *
 * Adding a command takes: a cmd_<name>.c defining cmd_<name>() (which
 * handles its own --help), its prototype here, a row in the table in
 * main.c, a section in docs/cli.md, and a tests/cli/<name>.bats file.
 */
#ifndef PERFCMP_COMMANDS_H
#define PERFCMP_COMMANDS_H

#include "cli.h"

int cmd_record(int argc, char **argv, cli_ctx *ctx);
int cmd_run(int argc, char **argv, cli_ctx *ctx);
int cmd_exec(int argc, char **argv, cli_ctx *ctx);
int cmd_compare(int argc, char **argv, cli_ctx *ctx);
int cmd_ab(int argc, char **argv, cli_ctx *ctx);
int cmd_runs(int argc, char **argv, cli_ctx *ctx);
int cmd_show(int argc, char **argv, cli_ctx *ctx);
int cmd_prune(int argc, char **argv, cli_ctx *ctx);
int cmd_baseline(int argc, char **argv, cli_ctx *ctx);
int cmd_history(int argc, char **argv, cli_ctx *ctx);
int cmd_trend(int argc, char **argv, cli_ctx *ctx);
int cmd_plot(int argc, char **argv, cli_ctx *ctx);
int cmd_report(int argc, char **argv, cli_ctx *ctx);
int cmd_db(int argc, char **argv, cli_ctx *ctx);

/*
 * Makes run ID of S the baseline NAME (a valid name: the caller checked
 * it) and writes DIR/NAME.json (DIR NULL: baselines/), for `baseline save`
 * and `run --save-baseline`.  The row changes in one transaction while the
 * file is written aside; the file is renamed into place after the commit,
 * and if that fails the previous row is put back, so that the database
 * and the file agree.  Prints "saved baseline 'NAME' (run ID) to 'PATH'"
 * on OUT and returns EXIT_OK, or prints one error line and returns
 * EXIT_USAGE.  Defined in cmd_baseline.c.
 */
int baseline_save_run(store *s, const char *name, const char *dir, int64_t id, FILE *out);

#endif
