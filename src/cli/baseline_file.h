/*
 * baseline_file.h - baselines/NAME.json files, and finding a baseline by
 * name in the store or on disk.
 *
 * A baseline file is a perfcmp-results file (docs/results-format.md) with
 * one more top-level key, "baseline": { "name", "run_id", "saved_at",
 * "machine" }.  It carries the whole stored run (context and raw samples),
 * so a machine with an empty database can compare against it.
 *
 * Ownership: results_run OUT parameters must be initialised and empty; on
 * success they belong to the caller (results_run_release); on failure they
 * are left empty.  baseline_info strings are heap copies released with
 * baseline_info_release (accepts NULL).
 */
#ifndef PERFCMP_BASELINE_FILE_H
#define PERFCMP_BASELINE_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/results.h"
#include "store.h"

/* Directory of baseline files when no --dir is given (relative to cwd). */
#define BASELINE_DEFAULT_DIR "baselines"
/* Name used when `baseline save` gets none. */
#define BASELINE_DEFAULT_NAME "default"

/* The "baseline" block of a baseline file. */
typedef struct baseline_info {
    char *name;
    int64_t run_id;         /* id in the database it was saved from (0: unknown) */
    char *saved_at;         /* UTC ISO 8601 */
    char *machine;          /* fingerprint, store_machine_fingerprint() */
} baseline_info;

void baseline_info_release(baseline_info *info);

/*
 * DIR/NAME.json (DIR NULL: BASELINE_DEFAULT_DIR).  Returns a malloc'd
 * string the caller frees, or NULL on ENOMEM.  Does not validate NAME.
 */
char *baseline_file_path(const char *dir, const char *name);

/*
 * Writes RUN with the "baseline" block INFO to PATH atomically (a
 * temporary file in the same directory, then rename), creating PATH's
 * directory if it is missing.  Returns 0, or -1 with a one-line reason in
 * ERR[ERRLEN] (the old file, if any, is then untouched).
 */
int baseline_file_write(const char *path, const results_run *run, const baseline_info *info,
                        char *err, size_t errlen);

/*
 * baseline_file_write in two steps, so a caller can commit a database
 * transaction in between: prepare writes the whole file to a temporary
 * beside PATH and sets *TMP_PATH (malloc'd); commit renames it over PATH
 * and frees TMP_PATH (on failure the temporary is removed); abort removes
 * it and frees TMP_PATH (accepts NULL).  Return 0, or -1 with ERR.
 */
int baseline_file_prepare(const char *path, const results_run *run, const baseline_info *info,
                          char **tmp_path, char *err, size_t errlen);
int baseline_file_commit(char *tmp_path, const char *path, char *err, size_t errlen);
void baseline_file_abort(char *tmp_path);

/*
 * Reads the baseline file (or plain perfcmp-results file) PATH into RUN.
 * Returns 0, or -1 with a one-line reason in ERR[ERRLEN] (no file name
 * prefix): cannot read, not valid JSON, wrong schema, ...
 */
int baseline_file_load(const char *path, results_run *run, char *err, size_t errlen);

/*
 * Like baseline_file_load, from TEXT[LEN] already in memory, and also fills
 * INFO (may be NULL) from the "baseline" block; a file without the block
 * gives INFO zeroed (all NULL, run_id 0).  INFO is the caller's to release.
 */
int baseline_file_parse(const char *text, size_t len, results_run *run, baseline_info *info,
                        char *err, size_t errlen);

/*
 * Finds a baseline and loads its run into OUT:
 *   - NAME_OR_FILE a valid baseline name (store_valid_baseline_name): the
 *     store's baseline of that name first (S may be NULL: skipped), then
 *     the file DIR/NAME.json (DIR NULL: BASELINE_DEFAULT_DIR);
 *   - otherwise (contains '/', ends in ".json", ...) it is read as a file
 *     path.
 * Sets *RUN_ID_OR_0 (may be NULL) to the store's run id when it came from
 * the store, else 0.
 * Returns 0; STORE_NOTFOUND (1) when there is no such baseline in the
 * store nor on disk (ERR then says so: "no baseline 'x' in the database
 * nor 'baselines/x.json'"); -1 on any other error (ERR says why).
 */
int baseline_resolve(store *s, const char *name_or_file, const char *dir, results_run *out,
                     int64_t *run_id_or_0, char *err, size_t errlen);

#endif
