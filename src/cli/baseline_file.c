/*
 * baseline_file.c - baselines/NAME.json files (see baseline_file.h).
 *
 * The file is results_to_json()'s document with a "baseline" block added
 * (and context.source_format when the run has one), written to a temporary
 * file beside the target and renamed over it, so a reader never sees half
 * a file and a failed write leaves the old file in place.
 */
#include "baseline_file.h"
#include "cli.h"
#include "../core/fdio.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void baseline_info_release(baseline_info *info)
{
    if (!info)
        return;
    free(info->name);
    free(info->saved_at);
    free(info->machine);
    memset(info, 0, sizeof *info);
}

char *baseline_file_path(const char *dir, const char *name)
{
    const char *d = dir && *dir ? dir : BASELINE_DEFAULT_DIR;
    size_t dl = strlen(d);
    while (dl > 1 && d[dl - 1] == '/')
        dl--;
    size_t n = dl + 1 + strlen(name) + sizeof ".json";
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%.*s/%s.json", (int)dl, d, name);
    return p;
}

/*
 * The document text for RUN + INFO (malloc'd, caller frees) or NULL.
 * results_to_json's text is kept byte for byte (its numbers read back
 * exactly; a cJSON re-print would round some to 15 digits), and the
 * "baseline" block is spliced in before its closing brace.
 */
static char *baseline_render(const results_run *run, const baseline_info *info, char *err,
                             size_t errlen)
{
    char *json = results_to_json(run), *block = NULL, *out = NULL;
    cJSON *b = cJSON_CreateObject();
    if (!json || !b)
        goto nomem;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)(info ? info->run_id : 0));
    if (!cJSON_AddStringToObject(b, "name", info && info->name ? info->name : "")
        || !cJSON_AddRawToObject(b, "run_id", id)
        || !cJSON_AddStringToObject(b, "saved_at", info && info->saved_at ? info->saved_at : "")
        || !cJSON_AddStringToObject(b, "machine", info && info->machine ? info->machine : ""))
        goto nomem;
    if (!(block = cJSON_PrintUnformatted(b)))
        goto nomem;
    char *close = strrchr(json, '}');
    if (!close) {
        snprintf(err, errlen, "cannot serialise the run");
        goto out;
    }
    size_t head = (size_t)(close - json);
    while (head > 0 && (json[head - 1] == '\n' || json[head - 1] == ' ' || json[head - 1] == '\t'))
        head--;
    size_t n = head + strlen(",\n\t\"baseline\":\t") + strlen(block) + 3;
    if (!(out = malloc(n)))
        goto nomem;
    snprintf(out, n, "%.*s,\n\t\"baseline\":\t%s\n}", (int)head, json, block);
    goto out;
nomem:
    snprintf(err, errlen, "out of memory");
out:
    cJSON_Delete(b);
    cJSON_free(block);
    free(json);
    return out;
}

int baseline_file_prepare(const char *path, const results_run *run, const baseline_info *info,
                          char **tmp_path, char *err, size_t errlen)
{
    char *text = NULL, *tmp = NULL;
    int fd = -1, rc = -1;
    *tmp_path = NULL;

    if (!(text = baseline_render(run, info, err, errlen)))
        goto out;
    if (cli_mkdirs_for(path) != 0) {
        snprintf(err, errlen, "cannot create the directory of '%s': %s", path, strerror(errno));
        goto out;
    }
    size_t tl = strlen(path) + sizeof ".tmp.XXXXXX";
    if (!(tmp = malloc(tl))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    snprintf(tmp, tl, "%s.tmp.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    if (fdio_write_all(fd, text, strlen(text)) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (write(fd, "\n", 1) != 1 || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    int cr = close(fd);
    fd = -1;
    if (cr != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    *tmp_path = tmp;
    tmp = NULL;
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(text);
    return rc;
}

int baseline_file_commit(char *tmp_path, const char *path, char *err, size_t errlen)
{
    int rc = 0;
    if (rename(tmp_path, path) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        unlink(tmp_path);
        rc = -1;
    }
    free(tmp_path);
    return rc;
}

void baseline_file_abort(char *tmp_path)
{
    if (!tmp_path)
        return;
    unlink(tmp_path);
    free(tmp_path);
}

int baseline_file_write(const char *path, const results_run *run, const baseline_info *info,
                        char *err, size_t errlen)
{
    char *tmp;
    if (baseline_file_prepare(path, run, info, &tmp, err, errlen) != 0)
        return -1;
    return baseline_file_commit(tmp, path, err, errlen);
}

int baseline_file_parse(const char *text, size_t len, results_run *run, baseline_info *info,
                        char *err, size_t errlen)
{
    cJSON *root = NULL;
    int rc = -1;
    if (info)
        memset(info, 0, sizeof *info);
    if (results_parse(text, len, run, err, errlen) != 0)
        return -1;
    if (results_finish(run) != 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (!info) {
        rc = 0;
        goto out;
    }
    root = cJSON_ParseWithLength(text, len);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(root, "baseline");
    if (b && !cJSON_IsObject(b)) {
        snprintf(err, errlen, "'baseline' is not an object");
        goto out;
    }
    if (b) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(b, "name");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(b, "run_id");
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(b, "saved_at");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(b, "machine");
        if ((n && !cJSON_IsString(n)) || (id && !cJSON_IsNumber(id))
            || (at && !cJSON_IsString(at)) || (m && !cJSON_IsString(m))) {
            snprintf(err, errlen, "'baseline' has a field of the wrong type");
            goto out;
        }
        if ((n && *n->valuestring && results_set_str(&info->name, n->valuestring) != 0)
            || (at && *at->valuestring && results_set_str(&info->saved_at, at->valuestring) != 0)
            || (m && *m->valuestring && results_set_str(&info->machine, m->valuestring) != 0)) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        if (id && id->valuedouble >= 1 && id->valuedouble < 9e15)
            info->run_id = (int64_t)id->valuedouble;
    }
    rc = 0;
out:
    cJSON_Delete(root);
    if (rc != 0) {
        results_run_release(run);
        baseline_info_release(info);
    }
    return rc;
}

int baseline_file_load(const char *path, results_run *run, char *err, size_t errlen)
{
    size_t len;
    char *text = cli_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = baseline_file_parse(text, len, run, NULL, err, errlen);
    free(text);
    return rc;
}

int baseline_resolve(store *s, const char *name_or_file, const char *dir, results_run *out,
                     int64_t *run_id_or_0, char *err, size_t errlen)
{
    if (run_id_or_0)
        *run_id_or_0 = 0;
    if (!name_or_file || !*name_or_file) {
        snprintf(err, errlen, "empty baseline name");
        return -1;
    }
    if (!store_valid_baseline_name(name_or_file)) {
        /* a path */
        struct stat st;
        if (stat(name_or_file, &st) != 0 && errno == ENOENT) {
            snprintf(err, errlen, "no baseline file '%s'", name_or_file);
            return STORE_NOTFOUND;
        }
        return baseline_file_load(name_or_file, out, err, errlen) == 0 ? 0 : -1;
    }
    if (s) {
        int64_t id;
        int rc = store_baseline_get(s, name_or_file, &id);
        if (rc == 0) {
            rc = store_load_run(s, id, out);
            if (rc != 0) {
                snprintf(err, errlen, "%s", store_errmsg(s));
                return -1;
            }
            if (run_id_or_0)
                *run_id_or_0 = id;
            return 0;
        }
        if (rc != STORE_NOTFOUND) {
            snprintf(err, errlen, "%s", store_errmsg(s));
            return -1;
        }
    }
    char *path = baseline_file_path(dir, name_or_file);
    int rc = -1;
    if (!path) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) {
        snprintf(err, errlen, "no baseline '%s' in the database nor '%s'", name_or_file, path);
        rc = STORE_NOTFOUND;
    } else {
        char e2[384];
        rc = baseline_file_load(path, out, e2, sizeof e2) == 0 ? 0 : -1;
        if (rc != 0)
            snprintf(err, errlen, "'%s': %s", path, e2);
    }
    free(path);
    return rc;
}
