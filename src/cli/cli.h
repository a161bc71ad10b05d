/*
 * cli.h - what every perfcmp subcommand shares: the command table entry,
 * global options, messages in git's style, exit codes.
 *
 * Messages: cli_error() prints "error: <message>" on stderr, lowercase,
 * no full stop, the subject quoted: error: cannot open 'x.json': No such file.
 */
#ifndef PERFCMP_CLI_H
#define PERFCMP_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "store.h"

struct cJSON;

/* Exit statuses of every command. */
#define EXIT_OK 0           /* success, no regression */
#define EXIT_REGRESSION 1   /* a regression (or failed benchmark) was found */
#define EXIT_USAGE 2        /* bad usage or bad input; nothing was changed */

/* Options given before the command name (perfcmp --db X record ...). */
typedef struct cli_ctx {
    const char *db;         /* --db PATH, or NULL: store_default_path() decides */
    int color;              /* 1 when stdout is a terminal and NO_COLOR is unset */
} cli_ctx;

typedef int (*cli_cmd_fn)(int argc, char **argv, cli_ctx *ctx);

/* One row of the command table in main.c. */
typedef struct cli_command {
    const char *name;
    cli_cmd_fn fn;
    const char *summary;    /* one line for `perfcmp --help` */
} cli_command;

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens the store named by CTX (--db, $PERFCMP_DB, default).  On failure
 * prints one error line and returns EXIT_USAGE; else 0 and sets *OUT. */
int cli_open_store(const cli_ctx *ctx, store **out);

/* cli_open_store for the commands that only read: a database that does not
 * exist is read as empty and not created (store_open_existing). */
int cli_open_store_existing(const cli_ctx *ctx, store **out);

/* Parses a run id ("12", or "latest"/"HEAD" meaning the newest run via S).
 * Returns 0, or prints an error naming TEXT and returns EXIT_USAGE. */
int cli_parse_run_id(store *s, const char *text, int64_t *id);

/* Prints why run ID could not be read from S, RC being what the store
 * returned (non-zero): "no run ID in 'DB'" for STORE_NOTFOUND, else the
 * store's message.  Returns EXIT_USAGE. */
int cli_error_run(store *s, int64_t id, int rc);

/*
 * Reads the whole file PATH ("-" is stdin) into a malloc'd NUL-terminated
 * buffer (caller frees) and sets *LEN.  Returns NULL with a reason in
 * ERR[ERRLEN] ("No such file or directory", "is a directory", ...).
 * Refuses files larger than 1 GiB.
 */
char *cli_read_file(const char *path, size_t *len, char *err, size_t errlen);

/*
 * Loads a result file in any supported format (see import.h) into RUN.
 * FORMAT is NULL/"auto" to detect from content.  On failure prints one
 * line "error: 'PATH': reason" and returns EXIT_USAGE; RUN is then empty.
 * When something of a file that was read is left out (import_parse_warn),
 * prints one line "warning: 'PATH': what" and returns 0.
 */
int cli_load_results_file(const char *path, const char *format, results_run *run);

/*
 * cli_load_results_file in a thread of its own, while the caller does
 * something else (compare reads the current run while the baseline file
 * is parsed: the two largest serial steps of comparing big files).
 * cli_results_prefetch_start returns a handle, or NULL when PATH is "-"
 * or no thread can be started: the caller then loads as usual.  Nothing
 * is printed until cli_results_prefetch_finish, which waits and then
 * behaves exactly as cli_load_results_file(PATH, FORMAT, RUN) would have
 * (the same lines, the same return values) and frees the handle.
 * cli_results_prefetch_cancel waits, throws the result away silently and
 * frees the handle; it accepts NULL.
 */
typedef struct cli_results_prefetch cli_results_prefetch;
cli_results_prefetch *cli_results_prefetch_start(const char *path, const char *format);
int cli_results_prefetch_finish(cli_results_prefetch *p, results_run *run);
void cli_results_prefetch_cancel(cli_results_prefetch *p);

/*
 * Copies S into BUF[LEN] for display in a text table: control characters
 * (a newline or an escape sequence in a note or branch) become '?' so a
 * row stays one row and the terminal runs nothing; longer text is cut.
 * Returns BUF; S NULL gives "-".  The stored value is not changed: the
 * JSON formats print it exactly.
 */
const char *cli_display(const char *s, char *buf, size_t len);

/*
 * JSON values for the machine-readable outputs (cJSON): cli_json_number
 * gives V, or null when V is not finite (JSON has no NaN); cli_json_string
 * a copy of S, or null when S is NULL.  NULL when out of memory.  Adding
 * the item to an object or array hands it over; else cJSON_Delete it.
 */
struct cJSON *cli_json_number(double v);
struct cJSON *cli_json_string(const char *s);

/* 1 if colour should be used on F (a terminal and NO_COLOR unset). */
int cli_use_color(FILE *f);

/*
 * From now until the process exits, SIGINT, SIGTERM and SIGHUP only take
 * note (with SA_RESTART, so no system call fails with EINTR):
 * cli_deferred_signal() returns the last one, 0 while none came.  For a
 * command that must finish or roll back its store transaction as a whole
 * and then exit 128+N only if nothing was stored (perfcmp record).
 */
void cli_defer_signals(void);
int cli_deferred_signal(void);

/* Parses a strictly positive decimal integer (no sign, no junk).  0 or -1. */
int cli_parse_size(const char *text, size_t *out);

/*
 * Looks VALUE up in CHOICES (NULL-terminated).  Returns its index, or -1
 * after printing "error: unknown WHAT 'VALUE': expected A, B or C": the
 * one wording for every option that takes one of a few words (--format).
 */
int cli_choice(const char *what, const char *value, const char *const *choices);

/*
 * Matches the option NAME ("--format") taking a value, written
 * "--format=VALUE" or "--format VALUE", at ARGV[*I].  Returns 1 and points
 * *VAL into ARGV (nothing to free), advancing *I past a separate value so
 * that the caller's loop moves on with i++; 0 if ARGV[*I] is another
 * option (*I and *VAL untouched); -1 after printing "error: option 'NAME'
 * needs a value" when a separate value is missing.
 */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val);

/*
 * cli_opt_value for an option that also has a short form SHORTNAME ("-o"),
 * written "-o VALUE" or "-oVALUE" (everything after SHORTNAME is the
 * value).  The error for a missing value names the form used.  SHORTNAME
 * NULL: the same as cli_opt_value.
 */
int cli_opt_value_short(int argc, char **argv, int *i, const char *name, const char *shortname,
                        const char **val);

/*
 * Creates DIR and each missing directory above it, as mkdir -p does
 * (mode 0777 less the umask); one that exists already is fine.  Returns
 * 0, or -1 with errno set ("" is ENOENT).  An existing DIR that is not a
 * directory is not an error here: check it if it matters.
 */
int cli_mkdirs(const char *dir);

/* cli_mkdirs of the directory part of PATH (nothing to do when PATH has
 * no '/' or only a leading one).  Returns 0, or -1 with errno set. */
int cli_mkdirs_for(const char *path);

#endif
