/*
 * store.c - the store's public functions (dispatching through the backend's
 * store_ops) and what every backend shares: connection strings and their
 * passwords, the content hash, the machine fingerprint, the JSON and text
 * forms of a run's parts, and freeing what the store hands out.
 *
 * Backends: store_sqlite.c (a file path, the default) and store_pg.c (a
 * postgres:// or postgresql:// URL, or a libpq keyword string).
 */
#include "store_impl.h"

#include <perfcmp.h>

#include <cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STORE_DEFAULT_PATH ".perfcmp/perfcmp.db"

/* ---- errors and small helpers ------------------------------------------- */

void store_seterr(store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
}

char *store_strdup(const char *str)
{
    if (!str)
        return NULL;
    size_t n = strlen(str) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, str, n);
    return d;
}

/* Doubles <-> little-endian bytes, whatever the host's order. */
void store_pack_doubles(const double *x, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, &x[i], 8);
        for (int b = 0; b < 8; b++)
            out[i * 8 + (size_t)b] = (unsigned char)(u >> (8 * b));
    }
}

void store_unpack_doubles(const unsigned char *in, size_t n, double *x)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t u = 0;
        for (int b = 0; b < 8; b++)
            u |= (uint64_t)in[i * 8 + (size_t)b] << (8 * b);
        memcpy(&x[i], &u, 8);
    }
}

/* ---- content hash (FNV-1a, 64 bit) -------------------------------------- */

typedef struct store_fnv { uint64_t h; } store_fnv;

static void store_fnv_bytes(store_fnv *f, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        f->h ^= c[i];
        f->h *= 1099511628211ULL;
    }
}

static void store_fnv_str(store_fnv *f, const char *s)
{
    /* NULL and "" differ: a marker byte before each string */
    unsigned char tag = s ? 1 : 0;
    store_fnv_bytes(f, &tag, 1);
    if (s)
        store_fnv_bytes(f, s, strlen(s) + 1);
}

static void store_fnv_u64(store_fnv *f, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    store_fnv_bytes(f, b, 8);
}

void store_run_hash(const results_run *run, char out[17])
{
    store_fnv f = { 14695981039346656037ULL };
    const results_context *c = &run->context;
    const char *strs[] = { c->timestamp, c->host, c->cpu_model, c->os, c->kernel, c->arch,
                           c->compiler, c->cflags, c->library_version, c->command,
                           c->git_commit, c->git_branch };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        store_fnv_str(&f, strs[i]);
    store_fnv_u64(&f, (uint64_t)(int64_t)c->cpu_count);
    store_fnv_u64(&f, (uint64_t)(int64_t)c->git_dirty);
    store_fnv_u64(&f, run->nbenches);
    for (size_t i = 0; i < run->nbenches; i++) {
        const results_bench *b = &run->benches[i];
        store_fnv_str(&f, b->name);
        store_fnv_str(&f, b->family);
        store_fnv_u64(&f, b->nargs);
        for (size_t a = 0; a < b->nargs; a++)
            store_fnv_u64(&f, (uint64_t)b->args[a]);
        store_fnv_u64(&f, b->ntags);
        for (size_t t = 0; t < b->ntags; t++)
            store_fnv_str(&f, b->tags[t]);
        store_fnv_u64(&f, (uint64_t)b->status);
        store_fnv_str(&f, b->error);
        store_fnv_u64(&f, b->iterations);
        store_fnv_u64(&f, b->nmetrics);
        for (size_t m = 0; m < b->nmetrics; m++) {
            const results_metric *mt = &b->metrics[m];
            store_fnv_str(&f, mt->name);
            store_fnv_str(&f, mt->unit);
            store_fnv_u64(&f, (uint64_t)mt->direction);
            store_fnv_u64(&f, mt->nsamples);
            for (size_t k = 0; k < mt->nsamples; k++) {
                uint64_t u;
                memcpy(&u, &mt->samples[k], 8);
                store_fnv_u64(&f, u);
            }
            /* only when known, so that the runs stored before version 2
             * keep their hashes */
            for (size_t k = 0; k < mt->nprocesses; k++)
                store_fnv_u64(&f, mt->processes[k]);
        }
    }
    snprintf(out, 17, "%016llx", (unsigned long long)f.h);
}

/* M's grouping of samples by process as text, "5,5,5": malloc'd, or NULL
 * on ENOMEM. */
char *store_format_processes(const results_metric *m)
{
    size_t cap = m->nprocesses * 21 + 1, len = 0;
    char *text = malloc(cap);
    if (!text)
        return NULL;
    text[0] = '\0';
    for (size_t i = 0; i < m->nprocesses; i++)
        len += (size_t)snprintf(text + len, cap - len, "%s%zu", i ? "," : "", m->processes[i]);
    return text;
}

/* Reads TEXT as store_format_processes wrote it into M's grouping.
 * Returns 0, or -1 with errno EINVAL (not a grouping of M's samples) or
 * ENOMEM. */
int store_parse_processes(const char *text, results_metric *m)
{
    size_t n = 1, k = 0;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    size_t *counts = malloc(n * sizeof *counts);
    if (!counts)
        return -1;
    const char *p = text;
    while (k < n) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || errno || (*end != ',' && *end != '\0'))
            break;
        counts[k++] = (size_t)v;
        p = *end ? end + 1 : end;
    }
    int rc = -1;
    if (k == n)
        rc = results_metric_set_processes(m, counts, n);
    else
        errno = EINVAL;
    int e = errno;
    free(counts);
    errno = e;
    return rc;
}

/* 0 if this perfcmp can use a database at schema version V, else -1 with
 * the reason in ERR[ERRLEN]. */
int store_check_version(int v, char *err, size_t errlen)
{
    if (v <= STORE_SCHEMA_VERSION)
        return 0;
    snprintf(err, errlen, "database schema version %d is newer than this perfcmp supports (%d)",
             v, STORE_SCHEMA_VERSION);
    return -1;
}

cJSON *store_context_json(const results_context *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    struct { const char *k; const char *v; } strs[] = {
        { "timestamp", c->timestamp }, { "host", c->host }, { "cpu_model", c->cpu_model },
        { "os", c->os }, { "kernel", c->kernel }, { "arch", c->arch },
        { "compiler", c->compiler }, { "cflags", c->cflags },
        { "library_version", c->library_version }, { "command", c->command },
        { "source_format", c->source_format }, { "binary_id", c->binary_id },
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        if (strs[i].v && !cJSON_AddStringToObject(o, strs[i].k, strs[i].v))
            goto fail;
    }
    if (!cJSON_AddNumberToObject(o, "cpu_count", c->cpu_count))
        goto fail;
    if (c->git_commit || c->git_branch || c->git_dirty >= 0) {
        cJSON *g = cJSON_AddObjectToObject(o, "git");
        if (!g)
            goto fail;
        if (c->git_commit && !cJSON_AddStringToObject(g, "commit", c->git_commit))
            goto fail;
        if (c->git_branch && !cJSON_AddStringToObject(g, "branch", c->git_branch))
            goto fail;
        if (!cJSON_AddNumberToObject(g, "dirty", c->git_dirty))
            goto fail;
    }
    if (results_context_extras_to_json(c, o) != 0)
        goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

int store_context_from_json(const char *text, results_context *c)
{
    cJSON *o = text ? cJSON_Parse(text) : NULL;
    int rc = 0;
    if (!o)
        return 0;   /* tolerate: columns still give the essentials */
    struct { const char *k; char **dst; } strs[] = {
        { "timestamp", &c->timestamp }, { "host", &c->host }, { "cpu_model", &c->cpu_model },
        { "os", &c->os }, { "kernel", &c->kernel }, { "arch", &c->arch },
        { "compiler", &c->compiler }, { "cflags", &c->cflags },
        { "library_version", &c->library_version }, { "command", &c->command },
        { "source_format", &c->source_format }, { "binary_id", &c->binary_id },
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, strs[i].k);
        if (cJSON_IsString(it) && results_set_str(strs[i].dst, it->valuestring) != 0)
            rc = -1;
    }
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "cpu_count");
    if (cJSON_IsNumber(n))
        c->cpu_count = (int)n->valuedouble;
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(o, "git");
    if (cJSON_IsObject(g)) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(g, "commit");
        if (cJSON_IsString(it) && results_set_str(&c->git_commit, it->valuestring) != 0)
            rc = -1;
        it = cJSON_GetObjectItemCaseSensitive(g, "branch");
        if (cJSON_IsString(it) && results_set_str(&c->git_branch, it->valuestring) != 0)
            rc = -1;
        it = cJSON_GetObjectItemCaseSensitive(g, "dirty");
        if (cJSON_IsNumber(it))
            c->git_dirty = (int)it->valuedouble;
    }
    if (results_context_extras_from_json(o, c) != 0)
        rc = -1;
    cJSON_Delete(o);
    return rc;
}

char *store_args_json(const results_bench *b)
{
    size_t cap = 2 + b->nargs * 22, n = 0;
    char *t = malloc(cap + 1);
    if (!t)
        return NULL;
    t[n++] = '[';
    for (size_t i = 0; i < b->nargs; i++)
        n += (size_t)snprintf(t + n, cap + 1 - n, "%s%lld", i ? "," : "", b->args[i]);
    t[n++] = ']';
    t[n] = '\0';
    return t;
}

char *store_tags_json(const results_bench *b)
{
    cJSON *a = cJSON_CreateArray();
    char *t = NULL;
    if (!a)
        return NULL;
    for (size_t i = 0; i < b->ntags; i++) {
        cJSON *it = cJSON_CreateString(b->tags[i] ? b->tags[i] : "");
        if (!it || !cJSON_AddItemToArray(a, it)) {
            cJSON_Delete(it);
            goto out;
        }
    }
    t = cJSON_PrintUnformatted(a);
out:
    cJSON_Delete(a);
    return t;
}

/* TEXT (may be NULL) parsed as a JSON array with *N > 0 elements (the
 * caller deletes it), or NULL when it is anything else or empty. */
static cJSON *store_parse_array(const char *text, size_t *n)
{
    cJSON *a = text ? cJSON_Parse(text) : NULL;
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) == 0) {
        cJSON_Delete(a);
        return NULL;
    }
    *n = (size_t)cJSON_GetArraySize(a);
    return a;
}

int store_parse_args(const char *text, results_bench *b)
{
    size_t n = 0, i = 0;
    cJSON *a = store_parse_array(text, &n);
    const cJSON *it;
    if (!a)
        return 0;
    b->args = calloc(n, sizeof *b->args);
    if (b->args) {
        cJSON_ArrayForEach(it, a) b->args[i++] = (long long)it->valuedouble;
        b->nargs = n;
    }
    cJSON_Delete(a);
    return b->args ? 0 : -1;
}

int store_parse_tags(const char *text, results_bench *b)
{
    size_t n = 0;
    cJSON *a = store_parse_array(text, &n);
    const cJSON *it;
    int rc = 0;
    if (!a)
        return 0;
    b->tags = calloc(n, sizeof *b->tags);
    if (!b->tags)
        rc = -1;
    else
        cJSON_ArrayForEach(it, a) {
            char *t = store_strdup(cJSON_IsString(it) ? it->valuestring : "");
            if (!t) {
                rc = -1;
                break;
            }
            b->tags[b->ntags++] = t;
        }
    cJSON_Delete(a);
    return rc;
}

void store_info_release(void *elem)
{
    store_run_info_release(elem);
}

void store_free_array(void *v, size_t n, size_t size, store_release_fn *release)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        release((char *)v + i * size);
    free(v);
}

void store_baseline_release(void *elem)
{
    store_baseline *b = elem;
    free(b->name);
    free(b->saved_at);
}

void store_point_release(void *elem)
{
    store_point *p = elem;
    free(p->timestamp);
    free(p->commit);
    free(p->branch);
    free(p->machine);
    free(p->unit);
    free(p->build);
}

void store_name_release(void *elem)
{
    free(*(char **)elem);
}


/* ---- connection strings and passwords ---------------------------------- */

/* libpq's connection keywords (PQconndefaults of libpq 15). */
static const char *const pg_keywords[] = {
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding",
    "connect_timeout", "client_encoding", "options", "application_name",
    "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode",
    "requiressl", "sslcompression", "sslcert", "sslkey", "sslpassword", "sslrootcert",
    "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version",
    "ssl_max_protocol_version", "krbsrvname", "gsslib", "service", "target_session_attrs",
};

/* 1 if TEXT[0..LEN) is one of pg_keywords. */
static int store_pg_keyword(const char *text, size_t len)
{
    for (size_t i = 0; i < sizeof pg_keywords / sizeof pg_keywords[0]; i++) {
        if (strlen(pg_keywords[i]) == len && !memcmp(pg_keywords[i], text, len))
            return 1;
    }
    return 0;
}

/* Skips one keyword-string value at P (plain or 'quoted' with \\ escapes);
 * returns the first character after it. */
static const char *store_skip_value(const char *p)
{
    if (*p != '\'') {
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        return p;
    }
    for (p++; *p && *p != '\''; p++) {
        if (*p == '\\' && p[1])
            p++;
    }
    return *p ? p + 1 : p;
}

int store_is_server(const char *path)
{
    return store_is_pg(path);
}

int store_is_pg(const char *text)
{
    if (!text)
        return 0;
    if (!strncmp(text, "postgres://", 11) || !strncmp(text, "postgresql://", 13))
        return 1;
    /* a keyword string: every word KEY=VALUE with KEY one of libpq's; a
     * file of that name in the working directory stays a file */
    struct stat st;
    const char *p = text;
    int words = 0;
    if (!strchr(text, '=') || stat(text, &st) == 0)
        return 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        const char *k = p;
        while (*p && *p != '=' && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        size_t klen = (size_t)(p - k);
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=' || !store_pg_keyword(k, klen))
            return 0;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        p = store_skip_value(p);
        words++;
    }
    return words > 0;
}

/* Appends TEXT[0..LEN) to OUT[OUTLEN] at *POS, truncating. */
static void store_put(char *out, size_t outlen, size_t *pos, const char *text, size_t len)
{
    if (*pos + 1 >= outlen)
        return;
    if (len > outlen - 1 - *pos)
        len = outlen - 1 - *pos;
    memcpy(out + *pos, text, len);
    *pos += len;
    out[*pos] = '\0';
}

void store_mask_password(const char *text, char *out, size_t outlen)
{
    size_t pos = 0;
    const char *p = text;
    if (!outlen)
        return;
    out[0] = '\0';
    if (!text)
        return;
    const char *scheme = strstr(text, "://");
    if (scheme && store_is_pg(text)) {
        /* scheme://[user[:password]@]host...[?password=...&...] */
        const char *auth = scheme + 3;
        const char *end = auth + strcspn(auth, "/?#");
        const char *at = NULL;
        for (const char *q = auth; q < end; q++) {
            if (*q == '@')
                at = q;
        }
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            store_put(out, outlen, &pos, text, (size_t)(colon + 1 - text));
            store_put(out, outlen, &pos, "***", 3);
            p = at;
        }
        /* query parameters: password=... up to the next & */
        while (*p) {
            const char *hit = strstr(p, "password=");
            if (!hit || !strchr(text, '?') || hit < strchr(text, '?')) {
                store_put(out, outlen, &pos, p, strlen(p));
                break;
            }
            int starts = hit[-1] == '?' || hit[-1] == '&';
            store_put(out, outlen, &pos, p, (size_t)(hit + 9 - p));
            p = hit + 9;
            if (starts) {
                store_put(out, outlen, &pos, "***", 3);
                p += strcspn(p, "&#");
            }
        }
        return;
    }
    /* keyword strings, and anything else: password = value */
    while (*p) {
        const char *hit = strstr(p, "password");
        if (!hit) {
            store_put(out, outlen, &pos, p, strlen(p));
            break;
        }
        const char *q = hit + 8;
        while (*q == ' ' || *q == '\t')
            q++;
        int word = (hit == text || hit[-1] == ' ' || hit[-1] == '\t' || hit[-1] == '\n');
        if (*q != '=' || !word) {
            store_put(out, outlen, &pos, p, (size_t)(hit + 8 - p));
            p = hit + 8;
            continue;
        }
        q++;
        while (*q == ' ' || *q == '\t')
            q++;
        store_put(out, outlen, &pos, p, (size_t)(q - p));
        store_put(out, outlen, &pos, "***", 3);
        p = store_skip_value(q);
    }
}

/* store_default_path's answers with a password in them (a few: `db copy`
 * opens two stores): the real strings are kept here and the masked ones
 * are what the commands see, print and hand to store_open, which swaps
 * the real one back in. */
#define STORE_CONNINFO_SLOTS 4
static char store_real_conninfo[STORE_CONNINFO_SLOTS][4096];
static char store_shown_conninfo[STORE_CONNINFO_SLOTS][4096];

/* The string to connect with for PATH as the commands know it. */
static const char *store_conninfo(const char *path)
{
    for (int i = 0; i < STORE_CONNINFO_SLOTS; i++) {
        if (store_real_conninfo[i][0] && !strcmp(path, store_shown_conninfo[i]))
            return store_real_conninfo[i];
    }
    return path;
}

/* ---- the public interface (dispatch) ------------------------------------- */

int store_open(const char *path, store **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!path || !*path) {
        snprintf(err, errlen, "empty database path");
        return -1;
    }
    if (store_is_pg(path)) {
        char shown[sizeof store_shown_conninfo[0]];
        store_mask_password(path, shown, sizeof shown);
        return store_open_pg(store_conninfo(path), shown, out, err, errlen);
    }
    return store_open_sqlite(path, 1, out, err, errlen);
}

/* A PostgreSQL store is always a server's database: opening it to read is
 * opening it (the schema is created if missing, as store_open does). */
int store_open_existing(const char *path, store **out, char *err, size_t errlen)
{
    if (!path || !*path || store_is_pg(path))
        return store_open(path, out, err, errlen);
    *out = NULL;
    return store_open_sqlite(path, 0, out, err, errlen);
}

void store_close(store *s)
{
    if (s)
        s->ops->close(s);
}

const char *store_errmsg(const store *s)
{
    return s ? s->err : "no store";
}

const char *store_path(const store *s)
{
    return s ? s->path : "";
}

const char *store_default_path(const char *arg)
{
    const char *path = arg;
    if (!path) {
        const char *env = getenv("PERFCMP_DB");
        path = env && *env ? env : STORE_DEFAULT_PATH;
    }
    if (!store_is_pg(path) || strlen(path) >= sizeof store_real_conninfo[0])
        return path;
    char shown[sizeof store_shown_conninfo[0]];
    store_mask_password(path, shown, sizeof shown);
    if (!strcmp(shown, path))
        return path;
    int slot = 0;
    for (int i = 0; i < STORE_CONNINFO_SLOTS; i++) {
        if (!strcmp(store_real_conninfo[i], path) || !store_real_conninfo[i][0]) {
            slot = i;
            break;
        }
        slot = STORE_CONNINFO_SLOTS - 1;    /* full: the last one is reused */
    }
    memcpy(store_real_conninfo[slot], path, strlen(path) + 1);
    memcpy(store_shown_conninfo[slot], shown, strlen(shown) + 1);
    return store_shown_conninfo[slot];
}

int store_begin(store *s) { return s->ops->begin(s); }
int store_commit(store *s) { return s->ops->commit(s); }
void store_rollback(store *s) { if (s) s->ops->rollback(s); }

int store_read_begin(store *s)
{
    if (s->txn_depth > 0 || s->reading)
        return 0;
    if (s->ops->read_begin(s) != 0)
        return -1;
    s->reading = 1;
    return 0;
}

void store_read_end(store *s)
{
    if (!s || !s->reading)
        return;
    s->ops->read_end(s);
    s->reading = 0;
}

int store_finish_txn(store *s, int rc)
{
    if (rc == 0)
        return s->ops->commit(s) == 0 ? 0 : -1;
    char keep[sizeof s->err];
    memcpy(keep, s->err, sizeof keep);
    s->ops->rollback(s);
    memcpy(s->err, keep, sizeof keep);
    return rc;
}

int store_add_run(store *s, const results_run *run, const char *note, int64_t *id)
{
    return s->ops->add_run(s, run, note, id);
}

int store_load_run(store *s, int64_t id, results_run *out)
{
    return s->ops->load_run(s, id, out);
}

int store_latest_run(store *s, int64_t *id)
{
    return s->ops->latest_run(s, id);
}

int store_run_info_get(store *s, int64_t id, store_run_info *out)
{
    return s->ops->run_info_get(s, id, out);
}

int store_list_runs(store *s, const store_filter *f, store_run_info **out, size_t *n)
{
    return s->ops->list_runs(s, f, out, n);
}

int store_prune_runs(store *s, size_t keep_last, double older_than_days, int dry_run,
                     store_run_info **removed, size_t *n)
{
    return s->ops->prune_runs(s, keep_last, older_than_days, dry_run, removed, n);
}

int store_prune(store *s, size_t keep_last, double older_than_days, size_t *removed)
{
    store_run_info *v = NULL;
    size_t n = 0;
    int rc = s->ops->prune_runs(s, keep_last, older_than_days, 0, &v, &n);
    store_run_infos_free(v, n);
    if (rc == 0 && removed)
        *removed = n;
    return rc;
}

int store_baseline_set(store *s, const char *name, int64_t run_id)
{
    return s->ops->baseline_set(s, name, run_id);
}

int store_baseline_get(store *s, const char *name, int64_t *run_id)
{
    return s->ops->baseline_get(s, name, run_id);
}

int store_baseline_delete(store *s, const char *name)
{
    return s->ops->baseline_delete(s, name);
}

int store_baseline_list_full(store *s, store_baseline **out, size_t *n)
{
    return s->ops->baseline_list_full(s, out, n);
}

int store_baseline_list(store *s, char ***names, int64_t **run_ids, size_t *n)
{
    store_baseline *v = NULL;
    size_t cnt = 0;
    int rc = s->ops->baseline_list_full(s, &v, &cnt);
    *names = NULL;
    *run_ids = NULL;
    *n = 0;
    if (rc != 0)
        return rc;
    char **nm = calloc(cnt ? cnt : 1, sizeof *nm);
    int64_t *ids = calloc(cnt ? cnt : 1, sizeof *ids);
    if (!nm || !ids) {
        free(nm);
        free(ids);
        store_baselines_free(v, cnt);
        store_seterr(s, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < cnt; i++) {
        nm[i] = v[i].name;      /* moved */
        v[i].name = NULL;
        ids[i] = v[i].run_id;
    }
    store_baselines_free(v, cnt);
    *names = nm;
    *run_ids = ids;
    *n = cnt;
    return 0;
}

int store_history(store *s, const char *bench, const char *metric, const store_filter *f,
                  store_point **out, size_t *n)
{
    return s->ops->history(s, bench, metric, f, out, n);
}

int store_bench_names(store *s, char ***names, size_t *n)
{
    return s->ops->bench_names(s, names, n);
}

int store_find_run_by_hash(store *s, const char *hash, int64_t nth, int64_t *id)
{
    return s->ops->find_run_by_hash(s, hash, nth, id);
}

/* ---- plain helpers ------------------------------------------------------ */

void store_run_info_release(store_run_info *info)
{
    if (!info)
        return;
    free(info->timestamp);
    free(info->recorded_at);
    free(info->commit);
    free(info->branch);
    free(info->note);
    free(info->source_format);
    free(info->host);
    free(info->machine);
    for (size_t i = 0; i < info->nbaselines; i++)
        free(info->baselines[i]);
    free(info->baselines);
    memset(info, 0, sizeof *info);
}

void store_run_infos_free(store_run_info *infos, size_t n)
{
    store_free_array(infos, n, sizeof *infos, store_info_release);
}

void store_points_free(store_point *pts, size_t n)
{
    store_free_array(pts, n, sizeof *pts, store_point_release);
}

void store_baselines_free(store_baseline *b, size_t n)
{
    store_free_array(b, n, sizeof *b, store_baseline_release);
}

void store_names_free(char **names, size_t n)
{
    store_free_array(names, n, sizeof *names, store_name_release);
}

int store_valid_baseline_name(const char *name)
{
    if (!name || !*name || name[0] == '.')
        return 0;
    size_t len = strlen(name);
    if (len > 64)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

char *store_machine_fingerprint(const results_context *ctx)
{
    const char *cpu = ctx->cpu_model && *ctx->cpu_model ? ctx->cpu_model : "unknown";
    const char *os = ctx->os && *ctx->os ? ctx->os : "unknown";
    const char *arch = ctx->arch && *ctx->arch ? ctx->arch : "unknown";
    int n = snprintf(NULL, 0, "%s | %d cores | %s %s", cpu, ctx->cpu_count, os, arch);
    char *fp = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (fp)
        snprintf(fp, (size_t)n + 1, "%s | %d cores | %s %s", cpu, ctx->cpu_count, os, arch);
    return fp;
}
