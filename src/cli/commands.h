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
int cmd_compare(int argc, char **argv, cli_ctx *ctx);
int cmd_runs(int argc, char **argv, cli_ctx *ctx);
int cmd_show(int argc, char **argv, cli_ctx *ctx);
int cmd_prune(int argc, char **argv, cli_ctx *ctx);
int cmd_baseline(int argc, char **argv, cli_ctx *ctx);
int cmd_history(int argc, char **argv, cli_ctx *ctx);
int cmd_trend(int argc, char **argv, cli_ctx *ctx);
int cmd_plot(int argc, char **argv, cli_ctx *ctx);
int cmd_report(int argc, char **argv, cli_ctx *ctx);

#endif
