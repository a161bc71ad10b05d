/*
 * import.c - result files of every supported format into the results
 * model (see import.h and docs/cli.md "perfcmp record").
 *
 *   perfcmp-results    our own format, parsed by results_parse()
 *   google-benchmark   --benchmark_out_format=json: "iteration" rows of one
 *                      run_name (its repetitions) become the samples of one
 *                      benchmark; aggregate rows (mean, median, stddev, cv,
 *                      BigO, RMS) are not benchmarks, except that a
 *                      benchmark with only aggregates takes its median (else
 *                      mean) as a single value.  Its bare NaN, -NaN,
 *                      Infinity and -Infinity are read (gb_lenient_init):
 *                      such a counter value is left out with a warning,
 *                      such a time is refused
 *   hyperfine          --export-json: each command is a benchmark whose
 *                      per-run times become wall_time samples
 */
#include "import.h"
#include "../core/textpos.h"

#include <perfcmp.h>

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void import_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void import_seterr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- JSON --------------------------------------------------------------- */

/* 1 if TEXT ends inside a string or with brackets left open: the file was
 * cut short (then "truncated" says more than a line and column). */
static int import_unbalanced(const char *text, size_t len)
{
    long depth = 0;
    int in_str = 0, esc = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return in_str || depth > 0;
}

/*
 * Google Benchmark writes a non-finite double as a bare NaN, -NaN,
 * Infinity or -Infinity (json_reporter.cc, FormatKV): a user counter of
 * 0/0, the cv aggregate of a zero mean.  JSON has no such tokens and cJSON
 * refuses them, so for Google Benchmark files only (import_tree) the text
 * is read again with each of them, outside strings, written as "null":
 * cJSON accepts it, and unlike a huge number (1e999 is a valid JSON number
 * that overflows to infinity, and says nothing of NaN) or a magic string
 * (which a file may hold) it cannot be mistaken for a value of the file,
 * because the pre-pass also notes every null the file itself holds: the
 * k-th null node of the tree in document order is the k-th null of the
 * text, and NULLS says which of them stood for which token.  Those nodes
 * are then turned into numbers holding NaN or an infinity, and the
 * importer's checks of finite values apply to them as to 1e999.
 *
 * "null" is one byte longer than NaN and shorter than the others, so the
 * text moves; REWRITES maps a position in it back to the file's, for the
 * line and column of an error.
 */
enum { GB_NULL, GB_NAN, GB_INF, GB_NEG_INF };

typedef struct gb_rewrite {
    size_t from, len;           /* the token in the file */
    size_t to;                  /* its "null" in the rewritten text */
} gb_rewrite;

typedef struct gb_lenient {
    char *text;                 /* the rewritten text, NUL-terminated */
    size_t len;
    unsigned char *nulls;       /* every null of TEXT in order: GB_NULL or the token it stands for */
    size_t nnulls, nulls_cap;
    gb_rewrite *rewrites;
    size_t nrewrites, rewrites_cap;
} gb_lenient;

static void gb_lenient_release(gb_lenient *l)
{
    free(l->text);
    free(l->nulls);
    free(l->rewrites);
    memset(l, 0, sizeof *l);
}

/* The length of the non-finite token at TEXT[I] and its kind in *KIND, or
 * 0 when there is none (a token must end there: "NaNx" is not one). */
static size_t gb_nonfinite_token(const char *text, size_t len, size_t i, unsigned char *kind)
{
    static const struct { const char *s; unsigned char kind; } toks[] = {
        { "NaN", GB_NAN }, { "-NaN", GB_NAN }, { "Infinity", GB_INF },
        { "-Infinity", GB_NEG_INF },
    };
    for (size_t k = 0; k < sizeof toks / sizeof toks[0]; k++) {
        size_t n = strlen(toks[k].s);
        if (len - i >= n && !memcmp(text + i, toks[k].s, n)
            && (i + n == len || !(isalnum((unsigned char)text[i + n]) || text[i + n] == '_'))) {
            *kind = toks[k].kind;
            return n;
        }
    }
    return 0;
}

static int gb_lenient_note(gb_lenient *l, unsigned char kind)
{
    if (l->nnulls == l->nulls_cap) {
        size_t nc = l->nulls_cap ? l->nulls_cap * 2 : 16;
        unsigned char *nn = realloc(l->nulls, nc);
        if (!nn)
            return -1;
        l->nulls = nn;
        l->nulls_cap = nc;
    }
    l->nulls[l->nnulls++] = kind;
    return 0;
}

/* Fills L from TEXT[LEN] (see above).  Returns the number of tokens
 * rewritten (0: nothing to do, L empty), or -1 on ENOMEM. */
static long gb_lenient_init(gb_lenient *l, const char *text, size_t len)
{
    int in_str = 0, esc = 0;
    size_t o = 0;

    memset(l, 0, sizeof *l);
    /* each 3-byte NaN becomes 4 bytes; every other token shrinks or stays */
    if (len > (SIZE_MAX - 1) / 4 * 3 || !(l->text = malloc(len + len / 3 + 1)))
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        unsigned char kind;
        size_t n;
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == 'n' && len - i >= 4 && !memcmp(text + i, "null", 4)) {
            if (gb_lenient_note(l, GB_NULL) != 0)
                goto nomem;
        } else if ((c == 'N' || c == 'I' || c == '-')
                   && (n = gb_nonfinite_token(text, len, i, &kind)) > 0) {
            if (gb_lenient_note(l, kind) != 0)
                goto nomem;
            if (l->nrewrites == l->rewrites_cap) {
                size_t nc = l->rewrites_cap ? l->rewrites_cap * 2 : 8;
                gb_rewrite *nr = realloc(l->rewrites, nc * sizeof *nr);
                if (!nr)
                    goto nomem;
                l->rewrites = nr;
                l->rewrites_cap = nc;
            }
            l->rewrites[l->nrewrites++] = (gb_rewrite){ .from = i, .len = n, .to = o };
            memcpy(l->text + o, "null", 4);
            o += 4;
            i += n - 1;
            continue;
        }
        l->text[o++] = c;
    }
    l->text[o] = '\0';
    l->len = o;
    if (l->nrewrites == 0)
        gb_lenient_release(l);
    return (long)l->nrewrites;
nomem:
    gb_lenient_release(l);
    return -1;
}

/* The position in the file of position OFF of the rewritten text. */
static size_t gb_lenient_origin(const gb_lenient *l, size_t off)
{
    size_t k = l->nrewrites;
    while (k > 0 && l->rewrites[k - 1].to > off)
        k--;
    if (k == 0)
        return off;
    const gb_rewrite *r = &l->rewrites[k - 1];
    if (off < r->to + 4)
        return r->from;
    return r->from + r->len + (off - r->to - 4);
}

/* Turns the null nodes of NODE and its siblings, and all below them, that
 * stand for a non-finite token into numbers; *NEXT counts the nulls seen. */
static void gb_lenient_fix(cJSON *node, const gb_lenient *l, size_t *next)
{
    for (; node; node = node->next) {
        if (cJSON_IsNull(node)) {
            unsigned char kind = *next < l->nnulls ? l->nulls[*next] : GB_NULL;
            (*next)++;
            if (kind == GB_NULL)
                continue;
            /* a parsed null owns nothing: it can become a number in place */
            node->type = cJSON_Number;
            node->valuedouble = kind == GB_NAN ? NAN : kind == GB_INF ? INFINITY : -INFINITY;
            node->valueint = 0;
        } else if (node->child) {
            gb_lenient_fix(node->child, l, next);
        }
    }
}

/* Parses TEXT[LEN] as one JSON value with nothing but white space after
 * it, or, when L is not NULL, L's rewrite of TEXT (gb_lenient_init; the
 * line and column of an error are still TEXT's).  Returns the tree (caller
 * deletes) or NULL with a reason in ERR. */
static cJSON *import_json(const char *text, size_t len, const gb_lenient *l, char *err,
                          size_t errlen)
{
    const char *end = NULL;
    size_t i = 0;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (i == len) {
        import_seterr(err, errlen, "empty file");
        return NULL;
    }
    if (len >= 2 && (((unsigned char)text[0] == 0xff && (unsigned char)text[1] == 0xfe)
                     || ((unsigned char)text[0] == 0xfe && (unsigned char)text[1] == 0xff))) {
        import_seterr(err, errlen, "the file is UTF-16; expected UTF-8 JSON");
        return NULL;
    }
    const char *src = l ? l->text : text;
    size_t slen = l ? l->len : len;
    cJSON *root = cJSON_ParseWithLengthOpts(src, slen, &end, 0);
    if (!root) {
        size_t off = end && end >= src && end <= src + slen ? (size_t)(end - src) : slen;
        int json_like = (text[i] == '{' || text[i] == '[') && !memchr(text, '\0', len);
        if (json_like && (off >= slen || import_unbalanced(src, slen))) {
            import_seterr(err, errlen, "invalid JSON: unexpected end of file (truncated?)");
            return NULL;
        }
        size_t line, col;
        textpos_line_col(text, l ? gb_lenient_origin(l, off) : off, &line, &col);
        import_seterr(err, errlen, "invalid JSON at line %zu, column %zu", line, col);
        return NULL;
    }
    size_t off = end ? (size_t)(end - src) : slen;
    while (off < slen && (isspace((unsigned char)src[off]) || src[off] == '\0'))
        off++;
    if (off < slen) {
        import_seterr(err, errlen, "invalid JSON: unexpected data after the end of the document");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* 1 if ROW looks like a row of Google Benchmark's "benchmarks". */
static int import_gbench_row(const cJSON *row)
{
    static const char *const keys[] = { "run_name", "run_type", "real_time", "cpu_time",
                                        "time_unit", "error_occurred", "aggregate_name" };
    if (!cJSON_IsObject(row) || cJSON_GetObjectItemCaseSensitive(row, "metrics"))
        return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (cJSON_GetObjectItemCaseSensitive(row, keys[i]))
            return 1;
    return 0;
}

static const char *import_detect_tree(const cJSON *root)
{
    if (!cJSON_IsObject(root))
        return NULL;
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (schema)
        return cJSON_IsString(schema) && !strcmp(schema->valuestring, "perfcmp-results")
                   ? IMPORT_FORMAT_PERFCMP : NULL;
    const cJSON *benches = cJSON_GetObjectItemCaseSensitive(root, "benchmarks");
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(root, "context");
    if (cJSON_IsArray(benches) && !cJSON_GetObjectItemCaseSensitive(root, "version")) {
        const cJSON *first = cJSON_GetArrayItem(benches, 0);
        if (first ? import_gbench_row(first)
                  : cJSON_IsObject(ctx) && (cJSON_GetObjectItemCaseSensitive(ctx, "date")
                                            || cJSON_GetObjectItemCaseSensitive(ctx, "num_cpus")))
            return IMPORT_FORMAT_GBENCH;
        return NULL;
    }
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "results");
    if (cJSON_IsArray(results)) {
        const cJSON *first = cJSON_GetArrayItem(results, 0);
        if (!first || cJSON_GetObjectItemCaseSensitive(first, "command")
            || cJSON_GetObjectItemCaseSensitive(first, "times")
            || cJSON_GetObjectItemCaseSensitive(first, "exit_codes"))
            return IMPORT_FORMAT_HYPERFINE;
    }
    return NULL;
}

/*
 * The tree of TEXT[LEN] to be read as FMT (NULL: detect), or NULL with a
 * reason in ERR.  The file is read as strict JSON.  Only when that fails
 * and FMT allows Google Benchmark, it is read again with Google
 * Benchmark's non-finite tokens (gb_lenient_init), and that tree is taken
 * when it is a Google Benchmark file (or FMT says it is one): perfcmp and
 * hyperfine files stay strict JSON and keep the strict parser's reason.
 * When the text is no JSON even with those tokens, the reason is the
 * lenient reading's: its position is one that no format allows (for a
 * Google Benchmark file, the strict position would be a NaN it may hold).
 */
static cJSON *import_tree(const char *text, size_t len, const char *fmt, char *err,
                          size_t errlen)
{
    gb_lenient l;
    cJSON *root = import_json(text, len, NULL, err, errlen);
    if (root || (fmt && strcmp(fmt, IMPORT_FORMAT_GBENCH)))
        return root;
    long n = gb_lenient_init(&l, text, len);
    if (n <= 0) {
        if (n < 0)
            import_seterr(err, errlen, "out of memory");
        return NULL;
    }
    char lerr[128];
    root = import_json(text, len, &l, lerr, sizeof lerr);
    const char *detected = root ? import_detect_tree(root) : NULL;
    if (!root) {
        import_seterr(err, errlen, "%s", lerr);
    } else if (fmt || (detected && !strcmp(detected, IMPORT_FORMAT_GBENCH))) {
        size_t next = 0;
        gb_lenient_fix(root, &l, &next);
        if (next != l.nnulls) {
            /* cannot happen: a text that parses has a null node for each
             * null outside its strings; keep the strict reason */
            cJSON_Delete(root);
            root = NULL;
        }
    } else {
        cJSON_Delete(root);
        root = NULL;
    }
    gb_lenient_release(&l);
    return root;
}

const char *import_detect(const char *text, size_t len)
{
    char err[8];
    cJSON *root = text ? import_tree(text, len, NULL, err, sizeof err) : NULL;
    const char *f = import_detect_tree(root);
    cJSON_Delete(root);
    return f;
}

/* ---- helpers ------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static long long import_days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/*
 * Google Benchmark's "date" ("2026-11-23T11:30:58+00:00", older versions
 * "2019-03-27 13:49:26" in local time) as UTC "YYYY-MM-DDTHH:MM:SSZ" in
 * OUT.  A date without an offset is taken as UTC.  Returns 0, or -1 when
 * it does not look like a date (OUT untouched).
 */
static int import_date_utc(const char *in, char *out, size_t outlen)
{
    int y, mo, d, h, mi, s, n = 0;
    if (sscanf(in, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6)
        return -1;
    const char *p = in + n;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    long off = 0;
    if (*p == '+' || *p == '-') {
        int oh, om = 0, k = 0;
        if (sscanf(p + 1, "%2d%n", &oh, &k) != 1)
            return -1;
        const char *q = p + 1 + k;
        if (*q == ':')
            q++;
        if (isdigit((unsigned char)*q))
            sscanf(q, "%2d", &om);
        off = (oh * 60L + om) * 60L * (*p == '-' ? -1 : 1);
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    long long t = import_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL + h * 3600LL
                  + mi * 60LL + s - off;
    return results_format_time((time_t)t, out, outlen);
}

/* Arguments of an instance name: every "/N" part that is an integer, and
 * "/name:N" parts except Google Benchmark's own options. */
static int import_name_args(const char *name, results_bench *b)
{
    static const char *const options[] = { "threads", "repeats", "iterations", "min_time",
                                           "min_warmup_time", "real_time", "manual_time",
                                           "process_time" };
    const char *p = strchr(name, '/');
    while (p) {
        const char *part = p + 1;
        const char *e = strchr(part, '/');
        size_t plen = e ? (size_t)(e - part) : strlen(part);
        const char *num = part;
        const char *colon = memchr(part, ':', plen);
        int is_option = 0;
        if (colon) {
            for (size_t k = 0; k < sizeof options / sizeof options[0]; k++) {
                if ((size_t)(colon - part) == strlen(options[k])
                    && !strncmp(part, options[k], (size_t)(colon - part)))
                    is_option = 1;
            }
            num = colon + 1;
        }
        size_t nlen = plen - (size_t)(num - part);
        if (!is_option && nlen > 0 && nlen < 24) {
            char buf[24];
            memcpy(buf, num, nlen);
            buf[nlen] = '\0';
            char *end;
            errno = 0;
            long long v = strtoll(buf, &end, 10);
            if (*end == '\0' && errno == 0 && (isdigit((unsigned char)buf[0]) || buf[0] == '-')) {
                long long *na = realloc(b->args, (b->nargs + 1) * sizeof *na);
                if (!na)
                    return -1;
                b->args = na;
                b->args[b->nargs++] = v;
            }
        }
        p = e;
    }
    return 0;
}

/* A growable array of doubles. */
typedef struct import_vec {
    double *v;
    size_t n, cap;
} import_vec;

static int import_vec_push(import_vec *x, double d)
{
    if (x->n == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 8;
        double *nv = realloc(x->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        x->v = nv;
        x->cap = nc;
    }
    x->v[x->n++] = d;
    return 0;
}

/* ---- Google Benchmark --------------------------------------------------- */

/* Keys of a benchmark row that are not user counters. */
static int gb_known_key(const char *k)
{
    static const char *const keys[] = {
        "name", "family_index", "per_family_instance_index", "run_name", "run_type",
        "repetitions", "repetition_index", "threads", "iterations", "real_time", "cpu_time",
        "time_unit", "error_occurred", "error_message", "skipped", "skip_message",
        "aggregate_name", "aggregate_unit", "label", "big_o", "cpu_coefficient",
        "real_coefficient", "rms", "complexity_n",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(k, keys[i]))
            return 1;
    return 0;
}

static int gb_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* Unit and direction of a counter.  Rates are better higher. */
static void gb_counter_kind(const char *name, const char **unit, results_direction *dir)
{
    if (!strcmp(name, "bytes_per_second")) {
        *unit = "B/s";
        *dir = RESULTS_HIGHER_IS_BETTER;
    } else if (!strcmp(name, "items_per_second")) {
        *unit = "items/s";
        *dir = RESULTS_HIGHER_IS_BETTER;
    } else {
        *unit = "";
        *dir = gb_ends_with(name, "_per_second") || gb_ends_with(name, "_per_sec")
                       || gb_ends_with(name, "/s") || gb_ends_with(name, "_rate")
                       || gb_ends_with(name, "_throughput")
                   ? RESULTS_HIGHER_IS_BETTER : RESULTS_LOWER_IS_BETTER;
    }
}

static int gb_time_scale(const cJSON *row, double *scale)
{
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(row, "time_unit");
    if (!u) {
        *scale = 1.0;
        return 0;
    }
    if (!cJSON_IsString(u))
        return -1;
    if (!strcmp(u->valuestring, "ns"))
        *scale = 1.0;
    else if (!strcmp(u->valuestring, "us"))
        *scale = 1e3;
    else if (!strcmp(u->valuestring, "ms"))
        *scale = 1e6;
    else if (!strcmp(u->valuestring, "s"))
        *scale = 1e9;
    else
        return -1;
    return 0;
}

/* One benchmark instance: its rows in the file. */
typedef struct gb_group {
    const char *key;            /* run_name, else name */
    char *owned;                /* KEY when it had to be made (old files), else NULL */
    const cJSON **rows;         /* iteration rows */
    size_t nrows, cap;
    const cJSON *median, *mean; /* aggregate rows, used when there are no iteration rows */
} gb_group;

typedef struct gb_index {
    gb_group *groups;
    size_t n, cap;
    size_t *slots;              /* open addressing: group index + 1, 0 empty */
    size_t nslots;
} gb_index;

static uint64_t gb_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int gb_rehash(gb_index *ix, size_t nslots)
{
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t g = 0; g < ix->n; g++) {
        size_t i = (size_t)(gb_hash(ix->groups[g].key) & (nslots - 1));
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = g + 1;
    }
    free(ix->slots);
    ix->slots = slots;
    ix->nslots = nslots;
    return 0;
}

/* The group of KEY, created when CREATE and missing; NULL if missing (or
 * on ENOMEM, with *NOMEM set). */
static gb_group *gb_group_get(gb_index *ix, const char *key, int create, int *nomem)
{
    if (ix->nslots == 0 && gb_rehash(ix, 64) != 0)
        goto nomem;
    size_t i = (size_t)(gb_hash(key) & (ix->nslots - 1));
    while (ix->slots[i]) {
        gb_group *g = &ix->groups[ix->slots[i] - 1];
        if (!strcmp(g->key, key))
            return g;
        i = (i + 1) & (ix->nslots - 1);
    }
    if (!create)
        return NULL;
    if (ix->n == ix->cap) {
        size_t nc = ix->cap ? ix->cap * 2 : 16;
        gb_group *ng = realloc(ix->groups, nc * sizeof *ng);
        if (!ng)
            goto nomem;
        ix->groups = ng;
        ix->cap = nc;
    }
    gb_group *g = &ix->groups[ix->n++];
    memset(g, 0, sizeof *g);
    g->key = key;
    ix->slots[i] = ix->n;
    if (ix->n * 2 > ix->nslots && gb_rehash(ix, ix->nslots * 2) != 0)
        goto nomem;
    return &ix->groups[ix->n - 1];
nomem:
    *nomem = 1;
    return NULL;
}

static int gb_group_add_row(gb_group *g, const cJSON *row)
{
    if (g->nrows == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 8;
        const cJSON **nr = realloc(g->rows, nc * sizeof *nr);
        if (!nr)
            return -1;
        g->rows = nr;
        g->cap = nc;
    }
    g->rows[g->nrows++] = row;
    return 0;
}

static void gb_index_release(gb_index *ix)
{
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->groups[i].rows);
        free(ix->groups[i].owned);
    }
    free(ix->groups);
    free(ix->slots);
}

/* How Google Benchmark writes the non-finite V. */
static const char *gb_nonfinite_name(double v)
{
    return isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}

/* The counter values of a file left out because they are not finite: the
 * first is named in WARN (the file's one warning line), the others
 * counted in N. */
typedef struct gb_left_out {
    char *warn;
    size_t warnlen;
    size_t n;
} gb_left_out;

/* Checks the number NAME of ROW: absent is fine (*V untouched, returns 0),
 * not a number or not finite or (if NONNEG) negative gives -1 and ERR. */
static int gb_number(const cJSON *row, const char *bname, const char *key, int nonneg,
                     double *v, int *present, char *err, size_t errlen)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(row, key);
    *present = 0;
    if (!it)
        return 0;
    if (!cJSON_IsNumber(it)) {
        import_seterr(err, errlen, "benchmark '%s': '%s' is not a number", bname, key);
        return -1;
    }
    if (!isfinite(it->valuedouble)) {
        import_seterr(err, errlen, "benchmark '%s': '%s' is not a finite number (%s)", bname,
                      key, gb_nonfinite_name(it->valuedouble));
        return -1;
    }
    if (nonneg && it->valuedouble < 0) {
        import_seterr(err, errlen, "benchmark '%s': '%s' is negative (%g)", bname, key,
                      it->valuedouble);
        return -1;
    }
    *v = it->valuedouble;
    *present = 1;
    return 0;
}

static int gb_context(const cJSON *ctx, results_run *run, char *err, size_t errlen)
{
    results_context *c = &run->context;
    char when[64];
    const cJSON *it;
    int nomem = 0;

    c->git_dirty = -1;
    if (ctx && !cJSON_IsObject(ctx)) {
        import_seterr(err, errlen, "'context' is not an object");
        return -1;
    }
    it = cJSON_GetObjectItemCaseSensitive(ctx, "date");
    if (cJSON_IsString(it) && import_date_utc(it->valuestring, when, sizeof when) == 0)
        nomem |= results_set_str(&c->timestamp, when);
    else if (cJSON_IsString(it))
        nomem |= results_set_str(&c->timestamp, it->valuestring);
    if (!c->timestamp) {
        results_utc_now(when, sizeof when);
        nomem |= results_set_str(&c->timestamp, when);
    }
    it = cJSON_GetObjectItemCaseSensitive(ctx, "host_name");
    if (cJSON_IsString(it))
        nomem |= results_set_str(&c->host, it->valuestring);
    it = cJSON_GetObjectItemCaseSensitive(ctx, "executable");
    if (cJSON_IsString(it))
        nomem |= results_set_str(&c->command, it->valuestring);
    it = cJSON_GetObjectItemCaseSensitive(ctx, "num_cpus");
    if (cJSON_IsNumber(it) && it->valuedouble >= 0 && it->valuedouble < 1e6)
        c->cpu_count = (int)it->valuedouble;
    it = cJSON_GetObjectItemCaseSensitive(ctx, "library_version");
    if (cJSON_IsString(it)) {
        char v[128];
        snprintf(v, sizeof v, "google-benchmark %s", it->valuestring);
        nomem |= results_set_str(&c->library_version, v);
    }
    it = cJSON_GetObjectItemCaseSensitive(ctx, "library_build_type");
    if (cJSON_IsString(it)) {
        char v[128];
        snprintf(v, sizeof v, "google-benchmark library built as %s", it->valuestring);
        nomem |= results_set_str(&c->cflags, v);
    }
    if (nomem) {
        import_seterr(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* The metrics of one benchmark instance, gathered row by row (gb_acc_row)
 * and then added to its benchmark (gb_acc_finish).  Owns its arrays and
 * the counter names (copies). */
typedef struct gb_acc {
    import_vec wall, cpu;
    import_vec *cvals;
    char **cnames;
    size_t ncount;
} gb_acc;

static void gb_acc_release(gb_acc *a)
{
    free(a->wall.v);
    free(a->cpu.v);
    for (size_t k = 0; k < a->ncount; k++) {
        free(a->cvals[k].v);
        free(a->cnames[k]);
    }
    free(a->cvals);
    free(a->cnames);
    memset(a, 0, sizeof *a);
}

/* Adds the values of ROW (an iteration row, or one aggregate row standing
 * for a single value) of benchmark BNAME to A.  A row with an error
 * adds nothing.  A counter value that is not finite is left out and noted
 * in LO.  Returns 0, or -1 with ERR. */
static int gb_acc_row(gb_acc *a, const cJSON *row, const char *bname, gb_left_out *lo,
                      char *err, size_t errlen)
{
    int present;
    double v;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(row, "error_occurred");
    if (cJSON_IsTrue(e))
        return 0;
    double scale;
    if (gb_time_scale(row, &scale) != 0) {
        import_seterr(err, errlen, "benchmark '%s': unknown time_unit (expected ns, us, ms or s)",
                      bname);
        return -1;
    }
    if (gb_number(row, bname, "real_time", 1, &v, &present, err, errlen) != 0)
        return -1;
    if (!present) {
        import_seterr(err, errlen, "benchmark '%s': 'real_time' is missing", bname);
        return -1;
    }
    if (!isfinite(v * scale)) {
        import_seterr(err, errlen, "benchmark '%s': 'real_time' is too large", bname);
        return -1;
    }
    if (import_vec_push(&a->wall, v * scale) != 0)
        goto nomem;
    if (gb_number(row, bname, "cpu_time", 1, &v, &present, err, errlen) != 0)
        return -1;
    if (present && !isfinite(v * scale)) {
        import_seterr(err, errlen, "benchmark '%s': 'cpu_time' is too large", bname);
        return -1;
    }
    if (present && import_vec_push(&a->cpu, v * scale) != 0)
        goto nomem;
    const cJSON *it;
    cJSON_ArrayForEach(it, row) {
        if (!it->string || gb_known_key(it->string) || cJSON_IsString(it)
            || cJSON_IsBool(it) || cJSON_IsNull(it) || cJSON_IsObject(it)
            || cJSON_IsArray(it))
            continue;
        /* 0/0 in a counter is a fact of the run, not a broken file: the
         * times still hold, only this value is no measurement */
        if (cJSON_IsNumber(it) && !isfinite(it->valuedouble)) {
            if (lo->n++ == 0)
                import_seterr(lo->warn, lo->warnlen, "benchmark '%s': counter '%s' is not "
                              "finite (%s); left out", bname, it->string,
                              gb_nonfinite_name(it->valuedouble));
            continue;
        }
        const char *unit;
        results_direction dir;
        gb_counter_kind(it->string, &unit, &dir);
        if (gb_number(row, bname, it->string, dir == RESULTS_HIGHER_IS_BETTER && *unit,
                      &v, &present, err, errlen) != 0)
            return -1;
        size_t k = 0;
        while (k < a->ncount && strcmp(a->cnames[k], it->string))
            k++;
        if (k == a->ncount) {
            char **nn = realloc(a->cnames, (a->ncount + 1) * sizeof *nn);
            if (!nn)
                goto nomem;
            a->cnames = nn;
            import_vec *nv = realloc(a->cvals, (a->ncount + 1) * sizeof *nv);
            if (!nv)
                goto nomem;
            a->cvals = nv;
            if (!(a->cnames[a->ncount] = strdup(it->string)))
                goto nomem;
            memset(&a->cvals[a->ncount], 0, sizeof a->cvals[a->ncount]);
            a->ncount++;
        }
        if (import_vec_push(&a->cvals[k], v) != 0)
            goto nomem;
    }
    return 0;
nomem:
    import_seterr(err, errlen, "out of memory");
    return -1;
}

/* Adds A's metrics to B: wall_time, cpu_time, then the counters in the
 * order they first appeared; a counter left with no value is no metric.
 * Returns 0, or -1 with ERR (out of memory). */
static int gb_acc_finish(const gb_acc *a, results_bench *b, char *err, size_t errlen)
{
    if (a->wall.n && !results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER,
                                         a->wall.v, a->wall.n))
        goto nomem;
    if (a->cpu.n && !results_add_metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER,
                                        a->cpu.v, a->cpu.n))
        goto nomem;
    for (size_t k = 0; k < a->ncount; k++) {
        const char *unit;
        results_direction dir;
        gb_counter_kind(a->cnames[k], &unit, &dir);
        if (!results_add_metric(b, a->cnames[k], unit, dir, a->cvals[k].v, a->cvals[k].n))
            goto nomem;
    }
    return 0;
nomem:
    import_seterr(err, errlen, "out of memory");
    return -1;
}

/* Adds the metrics of a group from ROWS[0..N-1] (all iteration rows, or
 * one aggregate row standing for a single value).  A counter value that is
 * not finite is left out and noted in LO; a counter left with no value is
 * no metric. */
static int gb_metrics(results_bench *b, const cJSON *const *rows, size_t n, gb_left_out *lo,
                      char *err, size_t errlen)
{
    gb_acc a = { 0 };
    int rc = -1;
    for (size_t r = 0; r < n; r++)
        if (gb_acc_row(&a, rows[r], b->name, lo, err, errlen) != 0)
            goto out;
    rc = gb_acc_finish(&a, b, err, errlen);
out:
    gb_acc_release(&a);
    return rc;
}

static int import_gbench(const cJSON *root, results_run *run, gb_left_out *lo, char *err,
                         size_t errlen)
{
    gb_index ix = { 0 };
    int rc = -1, nomem = 0;
    const cJSON *benches = cJSON_GetObjectItemCaseSensitive(root, "benchmarks");
    const cJSON *row;
    size_t idx = 0;

    if (!cJSON_IsArray(benches)) {
        import_seterr(err, errlen, "'benchmarks' is not an array");
        goto out;
    }
    if (gb_context(cJSON_GetObjectItemCaseSensitive(root, "context"), run, err, errlen) != 0)
        goto out;

    /* pass 1: group the rows by instance, in order of first appearance */
    cJSON_ArrayForEach(row, benches) {
        if (!cJSON_IsObject(row)) {
            import_seterr(err, errlen, "benchmarks[%zu] is not an object", idx);
            goto out;
        }
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(row, "name");
        const cJSON *run_name = cJSON_GetObjectItemCaseSensitive(row, "run_name");
        const cJSON *run_type = cJSON_GetObjectItemCaseSensitive(row, "run_type");
        const cJSON *agg = cJSON_GetObjectItemCaseSensitive(row, "aggregate_name");
        if (!cJSON_IsString(name) || !*name->valuestring) {
            import_seterr(err, errlen, "benchmarks[%zu]: 'name' is missing or not a string", idx);
            goto out;
        }
        if (run_name && (!cJSON_IsString(run_name) || !*run_name->valuestring)) {
            import_seterr(err, errlen, "benchmark '%s': 'run_name' is not a string",
                          name->valuestring);
            goto out;
        }
        if (run_type && !cJSON_IsString(run_type)) {
            import_seterr(err, errlen, "benchmark '%s': 'run_type' is not a string",
                          name->valuestring);
            goto out;
        }
        if (agg && !cJSON_IsString(agg)) {
            import_seterr(err, errlen, "benchmark '%s': 'aggregate_name' is not a string",
                          name->valuestring);
            goto out;
        }
        int is_agg;
        if (run_type && !strcmp(run_type->valuestring, "aggregate"))
            is_agg = 1;
        else if (run_type && !strcmp(run_type->valuestring, "iteration"))
            is_agg = 0;
        else if (run_type) {
            import_seterr(err, errlen, "benchmark '%s': unknown run_type '%s'",
                          name->valuestring, run_type->valuestring);
            goto out;
        } else {
            is_agg = agg != NULL;
        }
        const char *key = run_name ? run_name->valuestring : name->valuestring;
        if (!is_agg) {
            const cJSON *sk = cJSON_GetObjectItemCaseSensitive(row, "skipped");
            const cJSON *eo = cJSON_GetObjectItemCaseSensitive(row, "error_occurred");
            if (eo && !cJSON_IsBool(eo)) {
                import_seterr(err, errlen, "benchmark '%s': 'error_occurred' is not a boolean",
                              name->valuestring);
                goto out;
            }
            if (cJSON_IsTrue(sk) && !cJSON_IsTrue(eo))
                goto next;  /* SkipWithMessage: deliberately not run */
            gb_group *g = gb_group_get(&ix, key, 1, &nomem);
            if (!g || gb_group_add_row(g, row) != 0)
                goto nomem;
        } else if (agg && (!strcmp(agg->valuestring, "median")
                           || !strcmp(agg->valuestring, "mean"))) {
            /* files without run_name name aggregates "NAME_mean" */
            char *made = NULL;
            size_t kl = strlen(key), al = strlen(agg->valuestring);
            if (!run_name && kl > al + 1 && key[kl - al - 1] == '_'
                && !strcmp(key + kl - al, agg->valuestring)) {
                if (!(made = malloc(kl - al)))
                    goto nomem;
                memcpy(made, key, kl - al - 1);
                made[kl - al - 1] = '\0';
                key = made;
            }
            size_t before = ix.n;
            gb_group *g = gb_group_get(&ix, key, 1, &nomem);
            if (!g) {
                free(made);
                goto nomem;
            }
            if (ix.n > before)
                g->owned = made;    /* the new group keeps the key it points at */
            else
                free(made);
            if (!strcmp(agg->valuestring, "median"))
                g->median = row;
            else
                g->mean = row;
        }
        /* other aggregates (stddev, cv, BigO, RMS, user statistics) are
         * summaries of the rows above, not benchmarks */
    next:
        idx++;
    }

    /* pass 2: one benchmark per group */
    for (size_t i = 0; i < ix.n; i++) {
        gb_group *g = &ix.groups[i];
        const char *slash = strchr(g->key, '/');
        size_t flen = slash ? (size_t)(slash - g->key) : strlen(g->key);
        char *family = malloc(flen + 1);
        if (!family)
            goto nomem;
        memcpy(family, g->key, flen);
        family[flen] = '\0';
        results_bench *b = results_add_bench(run, g->key, family);
        free(family);
        if (!b || import_name_args(g->key, b) != 0)
            goto nomem;
        if (g->nrows) {
            for (size_t r = 0; r < g->nrows; r++) {
                const cJSON *it = cJSON_GetObjectItemCaseSensitive(g->rows[r], "iterations");
                const cJSON *eo = cJSON_GetObjectItemCaseSensitive(g->rows[r], "error_occurred");
                if (it && (!cJSON_IsNumber(it) || !isfinite(it->valuedouble)
                           || it->valuedouble < 0)) {
                    import_seterr(err, errlen, "benchmark '%s': 'iterations' is not a count",
                                  g->key);
                    goto out;
                }
                /* 2^63: above it the conversion to an integer is undefined */
                if (it && it->valuedouble >= 9223372036854775808.0) {
                    import_seterr(err, errlen, "benchmark '%s': 'iterations' is out of range (%g)",
                                  g->key, it->valuedouble);
                    goto out;
                }
                /* a run of no iteration timed nothing: its times are 0 or
                 * garbage, not a measurement (a failed run may stop at 0) */
                if (it && it->valuedouble == 0 && !cJSON_IsTrue(eo)) {
                    import_seterr(err, errlen, "benchmark '%s': 'iterations' is 0, so the row "
                                  "measured nothing", g->key);
                    goto out;
                }
                if (it && r == 0)
                    b->iterations = (uint64_t)it->valuedouble;
            }
            for (size_t r = 0; r < g->nrows; r++) {
                const cJSON *eo = cJSON_GetObjectItemCaseSensitive(g->rows[r], "error_occurred");
                if (cJSON_IsTrue(eo)) {
                    const cJSON *m = cJSON_GetObjectItemCaseSensitive(g->rows[r], "error_message");
                    b->status = RESULTS_FAILED;
                    if (!b->error
                        && results_set_str(&b->error, cJSON_IsString(m) && *m->valuestring
                                                          ? m->valuestring : "error occurred") != 0)
                        goto nomem;
                }
            }
            if (gb_metrics(b, g->rows, g->nrows, lo, err, errlen) != 0)
                goto out;
        } else {
            const cJSON *one = g->median ? g->median : g->mean;
            if (gb_metrics(b, &one, 1, lo, err, errlen) != 0)
                goto out;
        }
    }
    if (lo->n > 1 && lo->warn) {
        size_t used = strlen(lo->warn);
        import_seterr(lo->warn + used, lo->warnlen - used,
                      " (and %zu more non-finite counter value%s)", lo->n - 1,
                      lo->n > 2 ? "s" : "");
    }
    rc = 0;
    goto out;
nomem:
    import_seterr(err, errlen, "out of memory");
out:
    gb_index_release(&ix);
    return rc;
}

/* ---- Google Benchmark, streamed --------------------------------------- */

/*
 * A big Google Benchmark file (10,000 benchmarks x 10 repetitions is 50 MB
 * of JSON) as one cJSON tree takes about three times the file's size, and
 * import_gbench keeps it whole until every group is built.  gb_stream
 * reads such a file row by row instead: each row of "benchmarks" is
 * parsed alone (cJSON, on its own span of the text), its values go
 * straight into its group (gb_acc), and the row's tree is deleted; the
 * other top-level values are parsed into a small skeleton tree whose
 * "benchmarks" holds the first row only, which is all that
 * import_detect_tree and gb_context read.
 *
 * It is a fast path, not a second reader: it takes only what it can read
 * exactly as import_tree + import_gbench would, and gives up (returns 1)
 * on anything else: text that is not plain valid JSON as far as it can
 * tell (NaN tokens, an escaped top-level key, a repeated top-level key,
 * nesting deeper than GB_STREAM_DEPTH), a file of another format, a row
 * with an error, a non-finite counter, or any value the importer would
 * refuse.  The caller then reads the text the old way, which gives the
 * same error or warning as before.  So its results are import_gbench's
 * by construction, and every error message still comes from one place.
 */
#define GB_STREAM_DEPTH 200

/* JSON white space as cJSON skips it: every byte up to ' '.  Eight bytes
 * at a time: adding 0x5f to a byte up to 0x20 neither sets its high bit
 * nor carries, so the lowest high bit of (w + 0x5f..) | w is the first
 * byte above ' ' (a byte of 0x80 or more has it already). */
static inline size_t gbs_ws(const char *t, size_t len, size_t i)
{
    if (i < len && (unsigned char)t[i] > 32)     /* mostly: none at all */
        return i;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t high = UINT64_C(0x8080808080808080);
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, t + i, 8);
        uint64_t m = ((w + UINT64_C(0x5f5f5f5f5f5f5f5f)) | w) & high;
        if (m)
            return i + (size_t)__builtin_ctzll(m) / 8;
        i += 8;
    }
#endif
    while (i < len && (unsigned char)t[i] <= 32)
        i++;
    return i;
}

/* The end of the string whose opening quote is T[I], past its closing
 * quote, or 0 when it does not end.  *ESC is set when it has a backslash. */
static size_t gbs_string_end(const char *t, size_t len, size_t i, int *esc)
{
    for (i++; i < len; i++) {
        if (t[i] == '\\') {
            *esc = 1;
            i++;
        } else if (t[i] == '"') {
            return i + 1;
        }
    }
    return 0;
}

/* The end of the value that starts at T[I] (not white space), or 0 when
 * it cannot be found or nests deeper than GB_STREAM_DEPTH.  Containers
 * and strings end at their closing bracket or quote; scalars at the next
 * ',', '}', ']' or white space.  Whether it is valid is cJSON's to say. */
static size_t gbs_value_end(const char *t, size_t len, size_t i)
{
    int esc = 0;
    if (i >= len)
        return 0;
    if (t[i] == '"')
        return gbs_string_end(t, len, i, &esc);
    if (t[i] != '{' && t[i] != '[') {
        while (i < len && (unsigned char)t[i] > 32 && t[i] != ',' && t[i] != '}' && t[i] != ']')
            i++;
        return i;
    }
    size_t depth = 0;
    for (; i < len; i++) {
        char c = t[i];
        if (c == '"') {
            size_t e = gbs_string_end(t, len, i, &esc);
            if (!e)
                return 0;
            i = e - 1;
        } else if (c == '{' || c == '[') {
            if (++depth > GB_STREAM_DEPTH)
                return 0;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return 0;
}

/* The value T[I..END) parsed alone, or NULL when cJSON refuses it or
 * does not end exactly at END. */
static cJSON *gbs_parse(const char *t, size_t i, size_t end)
{
    const char *stop = NULL;
    /* cJSON skips a byte order mark at the start of what it parses; in
     * the middle of a document it is no JSON */
    if ((unsigned char)t[i] == 0xef)
        return NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(t + i, end - i, &stop, 0);
    if (v && stop != t + end) {
        cJSON_Delete(v);
        v = NULL;
    }
    return v;
}

/* The depth of NODE's containers (1 for a flat object). */
static size_t gbs_depth(const cJSON *node)
{
    size_t d = 0;
    for (const cJSON *c = node->child; c; c = c->next) {
        size_t k = gbs_depth(c);
        if (k > d)
            d = k;
    }
    return node->child ? d + 1 : 0;
}

/* The value at T[I] parsed by cJSON, which stops at its end: *END.  NULL
 * when cJSON refuses it or it nests deeper than GB_STREAM_DEPTH. */
static cJSON *gbs_parse_at(const char *t, size_t len, size_t i, size_t *end)
{
    const char *stop = NULL;
    if (i >= len || (unsigned char)t[i] == 0xef)    /* see gbs_parse */
        return NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(t + i, len - i, &stop, 0);
    if (v && (!stop || stop <= t + i || stop > t + len || gbs_depth(v) > GB_STREAM_DEPTH)) {
        cJSON_Delete(v);
        v = NULL;
    }
    if (v)
        *end = (size_t)(stop - t);
    return v;
}

/* One group of gb_stream: a gb_group (its key owned) with the values of
 * its iteration rows, and the spans of its last median and mean rows. */
typedef struct gbs_group {
    gb_acc acc;
    size_t nrows;
    int have_iterations;        /* the first iteration row had "iterations" */
    uint64_t iterations;
    size_t median_at, median_end, mean_at, mean_end;    /* 0, 0: none */
} gbs_group;

typedef struct gbs_state {
    gb_index ix;                /* keys owned (gb_group.owned) */
    gbs_group *g;               /* parallel to ix.groups */
    size_t gcap;
    size_t last;                /* 1 + the group found last (a benchmark's
                                   rows come one after another), or 0 */
} gbs_state;

static void gbs_release(gbs_state *st)
{
    for (size_t i = 0; i < st->ix.n; i++)
        gb_acc_release(&st->g[i].acc);
    free(st->g);
    gb_index_release(&st->ix);
}

/* The group of KEY (created with a copy of KEY when new), or NULL on
 * ENOMEM. */
static gbs_group *gbs_group_get(gbs_state *st, const char *key, gb_group **gg)
{
    int nomem = 0;
    size_t before = st->ix.n;
    if (st->last && !strcmp(st->ix.groups[st->last - 1].key, key)) {
        *gg = &st->ix.groups[st->last - 1];
        return &st->g[st->last - 1];
    }
    gb_group *g = gb_group_get(&st->ix, key, 0, &nomem);
    if (!g) {
        if (nomem)
            return NULL;
        char *own = strdup(key);
        if (!own || !(g = gb_group_get(&st->ix, own, 1, &nomem))) {
            free(own);
            return NULL;
        }
        g->owned = own;
    }
    if (st->ix.n > before) {
        if (st->ix.n > st->gcap) {
            size_t nc = st->gcap ? st->gcap * 2 : 64;
            gbs_group *ng = realloc(st->g, nc * sizeof *ng);
            if (!ng)
                return NULL;
            st->g = ng;
            st->gcap = nc;
        }
        memset(&st->g[st->ix.n - 1], 0, sizeof st->g[0]);
    }
    *gg = g;
    st->last = (size_t)(g - st->ix.groups) + 1;
    return &st->g[g - st->ix.groups];
}

/* Pass 1 of import_gbench for one row parsed alone, at T[AT..END); and,
 * for an iteration row, pass 2's checks and values.  0 when taken, 1 to
 * give up (see above), -1 on ENOMEM. */
static int gbs_row(gbs_state *st, const cJSON *row, size_t at, size_t end)
{
    char err[8];
    gb_left_out lo = { NULL, 0, 0 };
    gb_group *gg;
    if (!cJSON_IsObject(row))
        return 1;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(row, "name");
    const cJSON *run_name = cJSON_GetObjectItemCaseSensitive(row, "run_name");
    const cJSON *run_type = cJSON_GetObjectItemCaseSensitive(row, "run_type");
    const cJSON *agg = cJSON_GetObjectItemCaseSensitive(row, "aggregate_name");
    if (!cJSON_IsString(name) || !*name->valuestring)
        return 1;
    if (run_name && (!cJSON_IsString(run_name) || !*run_name->valuestring))
        return 1;
    if ((run_type && !cJSON_IsString(run_type)) || (agg && !cJSON_IsString(agg)))
        return 1;
    int is_agg;
    if (run_type && !strcmp(run_type->valuestring, "aggregate"))
        is_agg = 1;
    else if (run_type && !strcmp(run_type->valuestring, "iteration"))
        is_agg = 0;
    else if (run_type)
        return 1;
    else
        is_agg = agg != NULL;
    const char *key = run_name ? run_name->valuestring : name->valuestring;
    if (!is_agg) {
        const cJSON *sk = cJSON_GetObjectItemCaseSensitive(row, "skipped");
        const cJSON *eo = cJSON_GetObjectItemCaseSensitive(row, "error_occurred");
        if (eo && !cJSON_IsBool(eo))
            return 1;
        if (cJSON_IsTrue(sk) && !cJSON_IsTrue(eo))
            return 0;   /* SkipWithMessage: deliberately not run */
        if (cJSON_IsTrue(eo))
            return 1;   /* a failed run: the old way */
        gbs_group *g = gbs_group_get(st, key, &gg);
        if (!g)
            return -1;
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(row, "iterations");
        if (it && (!cJSON_IsNumber(it) || !isfinite(it->valuedouble) || it->valuedouble < 0
                   || it->valuedouble >= 9223372036854775808.0 || it->valuedouble == 0))
            return 1;
        if (g->nrows == 0 && it) {
            g->have_iterations = 1;
            g->iterations = (uint64_t)it->valuedouble;
        }
        g->nrows++;
        if (gb_acc_row(&g->acc, row, key, &lo, err, sizeof err) != 0 || lo.n)
            return 1;
    } else if (agg && (!strcmp(agg->valuestring, "median")
                       || !strcmp(agg->valuestring, "mean"))) {
        if (!run_name)
            return 1;   /* "NAME_mean" of old files: the old way */
        gbs_group *g = gbs_group_get(st, key, &gg);
        if (!g)
            return -1;
        if (!strcmp(agg->valuestring, "median")) {
            g->median_at = at;
            g->median_end = end;
        } else {
            g->mean_at = at;
            g->mean_end = end;
        }
    }
    return 0;
}

/* Pass 2: one benchmark per group into RUN.  0, 1 to give up, -1 on
 * ENOMEM. */
static int gbs_finish(gbs_state *st, const char *t, results_run *run)
{
    char err[8];
    gb_left_out lo = { NULL, 0, 0 };
    for (size_t i = 0; i < st->ix.n; i++) {
        const char *key = st->ix.groups[i].key;
        gbs_group *g = &st->g[i];
        const char *slash = strchr(key, '/');
        size_t flen = slash ? (size_t)(slash - key) : strlen(key);
        char *family = malloc(flen + 1);
        if (!family)
            return -1;
        memcpy(family, key, flen);
        family[flen] = '\0';
        results_bench *b = results_add_bench(run, key, family);
        free(family);
        if (!b || import_name_args(key, b) != 0)
            return -1;
        if (g->nrows) {
            if (g->have_iterations)
                b->iterations = g->iterations;
            if (gb_acc_finish(&g->acc, b, err, sizeof err) != 0)
                return -1;
            continue;
        }
        size_t at = g->median_end ? g->median_at : g->mean_at;
        size_t end = g->median_end ? g->median_end : g->mean_end;
        cJSON *one = gbs_parse(t, at, end);
        int r = !one ? -1 : gb_metrics(b, (const cJSON *const *)&one, 1, &lo, err, sizeof err);
        cJSON_Delete(one);
        if (r != 0 || lo.n)
            return 1;
    }
    return 0;
}

/* ---- Google Benchmark rows without cJSON -------------------------------- */

/*
 * Most of the time of gb_stream went into cJSON: a node, a key and a value
 * allocated for each of the dozen fields of each of the 140,000 rows of a
 * file of 10,000 benchmarks, and the key looked up by strcmp.  gbf_parse
 * reads one row the way GB writes it, a flat object of strings, numbers,
 * true, false and null, into a gbf_row without allocating; gbf_take does
 * with it what gbs_row + gb_acc_row do with the row's tree.
 *
 * Again a fast path only, in front of the cJSON one: it takes a row only
 * when it can tell that cJSON would read it to the same values, and
 * leaves everything else to gbs_row (returns GBF_SLOW): a string with a
 * backslash or a control character, a nested value, a token cJSON does
 * not take (NaN, Infinity) or one it would read differently, a row of
 * more than GBF_MAX fields, a repeated counter, and every row gbs_row does
 * more with than take its values (errors, skipped runs, a value out of
 * range, a non-finite counter).  gbf_take checks the whole row before it
 * changes anything, so a row handed over is read by gbs_row from scratch.
 */
#define GBF_MAX 64
#define GBF_SLOW 2

enum { GBF_STRING, GBF_NUMBER, GBF_TRUE, GBF_FALSE, GBF_NULL };

/* The keys gb_known_key knows, each read once per field by gbf_key_id;
 * GBK_COUNTER is every other key (a user counter when it is a number). */
enum {
    GBK_COUNTER, GBK_NAME, GBK_FAMILY_INDEX, GBK_PER_FAMILY_INSTANCE_INDEX, GBK_RUN_NAME,
    GBK_RUN_TYPE, GBK_REPETITIONS, GBK_REPETITION_INDEX, GBK_THREADS, GBK_ITERATIONS,
    GBK_REAL_TIME, GBK_CPU_TIME, GBK_TIME_UNIT, GBK_ERROR_OCCURRED, GBK_ERROR_MESSAGE,
    GBK_SKIPPED, GBK_SKIP_MESSAGE, GBK_AGGREGATE_NAME, GBK_AGGREGATE_UNIT, GBK_LABEL,
    GBK_BIG_O, GBK_CPU_COEFFICIENT, GBK_REAL_COEFFICIENT, GBK_RMS, GBK_COMPLEXITY_N,
    GBK_N
};

typedef struct gbf_field {
    size_t key, klen;       /* offsets in gbf_row.buf, NUL-terminated */
    size_t str;             /* GBF_STRING: offset in buf, NUL-terminated */
    int kind;
    int id;                 /* GBK_* */
    double num;             /* GBF_NUMBER */
} gbf_field;

typedef struct gbf_row {
    gbf_field f[GBF_MAX];
    unsigned char first[GBK_N]; /* 1 + the index of the first field of each
                                   known key, 0 when it has none */
    size_t n;
    char *buf;              /* the row's keys and strings, copied */
    size_t used, cap;
    char point;             /* the locale's decimal point, as cJSON puts it */
} gbf_row;

static void gbf_release(gbf_row *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = r->used = 0;
}

/* The GBK_* of the key K (KLEN bytes), GBK_COUNTER for any key that
 * gb_known_key does not know.  The keys sorted by length; the ones of
 * length L are KEYS[BYLEN[L]] up to KEYS[BYLEN[L + 1]]. */
static int gbf_key_id(const char *k, size_t klen)
{
#define GBF_K(s, id) { s, id }
    static const struct { const char *s; int id; } keys[] = {
        GBF_K("rms", GBK_RMS),
        GBF_K("name", GBK_NAME),
        GBF_K("big_o", GBK_BIG_O),
        GBF_K("label", GBK_LABEL),
        GBF_K("skipped", GBK_SKIPPED),
        GBF_K("threads", GBK_THREADS),
        GBF_K("cpu_time", GBK_CPU_TIME),
        GBF_K("run_name", GBK_RUN_NAME),
        GBF_K("run_type", GBK_RUN_TYPE),
        GBF_K("real_time", GBK_REAL_TIME),
        GBF_K("time_unit", GBK_TIME_UNIT),
        GBF_K("iterations", GBK_ITERATIONS),
        GBF_K("repetitions", GBK_REPETITIONS),
        GBF_K("complexity_n", GBK_COMPLEXITY_N),
        GBF_K("family_index", GBK_FAMILY_INDEX),
        GBF_K("skip_message", GBK_SKIP_MESSAGE),
        GBF_K("error_message", GBK_ERROR_MESSAGE),
        GBF_K("aggregate_name", GBK_AGGREGATE_NAME),
        GBF_K("aggregate_unit", GBK_AGGREGATE_UNIT),
        GBF_K("error_occurred", GBK_ERROR_OCCURRED),
        GBF_K("cpu_coefficient", GBK_CPU_COEFFICIENT),
        GBF_K("real_coefficient", GBK_REAL_COEFFICIENT),
        GBF_K("repetition_index", GBK_REPETITION_INDEX),
        GBF_K("per_family_instance_index", GBK_PER_FAMILY_INSTANCE_INDEX),
    };
#undef GBF_K
    static const unsigned char bylen[27] = { 0, 0, 0, 0, 1, 2, 4, 4, 6, 9, 11, 12, 13, 16,
                                             17, 20, 21, 23, 23, 23, 23, 23, 23, 23, 23, 23, 24 };
    if (klen >= 26)
        return GBK_COUNTER;
    for (size_t i = bylen[klen]; i < bylen[klen + 1]; i++)
        if (keys[i].s[0] == k[0] && !memcmp(k, keys[i].s, klen))
            return keys[i].id;
    return GBK_COUNTER;
}

/* Copies the string T[I+1..) whose opening quote is T[I] into R->buf at
 * *OFF; returns the index past its closing quote, 0 when it does not end
 * or has a backslash or a control character, (size_t)-1 on ENOMEM. */
static size_t gbf_string(gbf_row *r, const char *t, size_t len, size_t i, size_t *off)
{
    size_t j = i + 1;
    /* eight bytes at a time while none is a quote, a backslash or below
     * 0x20 (the bytes a plain string ends at or that send it to cJSON) */
    const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
    while (j + 8 <= len) {
        uint64_t w;
        memcpy(&w, t + j, 8);
        uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
        uint64_t hit = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w);
        if (hit & high)
            break;
        j += 8;
    }
    while (j < len && t[j] != '"') {
        if (t[j] == '\\' || (unsigned char)t[j] < 0x20)
            return 0;
        j++;
    }
    if (j >= len)
        return 0;
    size_t n = j - i - 1;
    if (r->used + n + 1 > r->cap) {
        size_t nc = r->cap ? r->cap : 1024;
        while (nc < r->used + n + 1)
            nc *= 2;
        char *nb = realloc(r->buf, nc);
        if (!nb)
            return (size_t)-1;
        r->buf = nb;
        r->cap = nc;
    }
    memcpy(r->buf + r->used, t + i + 1, n);
    r->buf[r->used + n] = '\0';
    *off = r->used;
    r->used += n + 1;
    return j + 1;
}

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 gbf_u128;

/* Q * 2^E2 rounded to the nearest double, ties to even; STICKY when
 * something below Q's last bit was not zero (Q > 0). */
static double gbf_round(gbf_u128 q, int e2, int sticky)
{
    int bits = 128 - (q >> 64 ? __builtin_clzll((uint64_t)(q >> 64))
                              : 64 + __builtin_clzll((uint64_t)q));
    if (bits > 54) {
        int drop = bits - 54;
        if (q & ((((gbf_u128)1) << drop) - 1))
            sticky = 1;
        q >>= drop;
        e2 += drop;
    }
    uint64_t m = (uint64_t)q;   /* at most 54 bits: 53 and the guard bit */
    if (bits >= 54) {
        int guard = (int)(m & 1);
        m >>= 1;
        e2++;
        if (guard && (sticky || (m & 1)))
            m++;
    }
    return ldexp((double)m, e2);   /* m <= 2^53: exact */
}

/* The decimal T[0..K) written as -?D+(.D+)?([eE][+-]?D+)? read exactly as
 * strtod reads it (correctly rounded), with integer arithmetic: 1 when
 * read into *V, 0 when it is not of that form or not within what this
 * reads (19 significant digits, a power of ten up to 10^19): strtod then.
 * A Google Benchmark time (17 digits, 1e-3 to 1e19) is read here. */
static int gbf_decimal(const char *t, size_t k, double *v)
{
    size_t j = 0;
    int neg = 0, nd = 0, dexp = 0, any = 0;
    uint64_t m = 0;
    if (j < k && t[j] == '-') {
        neg = 1;
        j++;
    }
    for (int frac = 0;; j++) {
        if (j < k && t[j] >= '0' && t[j] <= '9') {
            any = 1;
            if (m == 0 && t[j] == '0') {        /* a leading zero */
                dexp -= frac;
                continue;
            }
            if (++nd > 19)
                return 0;
            m = m * 10 + (uint64_t)(t[j] - '0');
            dexp -= frac;
        } else if (j < k && t[j] == '.' && !frac && any && j + 1 < k &&
                   t[j + 1] >= '0' && t[j + 1] <= '9') {
            frac = 1;
        } else {
            break;
        }
    }
    if (!any)
        return 0;
    if (j < k && (t[j] == 'e' || t[j] == 'E')) {
        int eneg = 0, e = 0, ed = 0;
        j++;
        if (j < k && (t[j] == '+' || t[j] == '-'))
            eneg = t[j++] == '-';
        while (j < k && t[j] >= '0' && t[j] <= '9' && ed < 5) {
            e = e * 10 + (t[j++] - '0');
            ed++;
        }
        if (ed == 0 || ed == 5)
            return 0;
        dexp += eneg ? -e : e;
    }
    if (j != k)
        return 0;
    if (m == 0) {
        *v = neg ? -0.0 : 0.0;
        return 1;
    }
    static const uint64_t pow10[20] = {
        1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u,
        1000000000u, 10000000000u, 100000000000u, 1000000000000u, 10000000000000u,
        100000000000000u, 1000000000000000u, 10000000000000000u, 100000000000000000u,
        1000000000000000000u, 10000000000000000000u,
    };
    double d;
    if (dexp >= 0) {
        if (dexp > 19)
            return 0;
        d = gbf_round((gbf_u128)m * pow10[dexp], 0, 0);   /* < 2^128: exact */
    } else {
        if (-dexp > 19)
            return 0;
        /* M * 2^64 / 10^-dexp with the remainder as the sticky bit: with M
         * shifted up to 64 bits the quotient has 64 or more bits */
        int lz = __builtin_clzll(m);
        gbf_u128 num = (gbf_u128)(m << lz) << 64;
        uint64_t den = pow10[-dexp];
        gbf_u128 q = num / den;
        d = gbf_round(q, -64 - lz, num - q * den != 0);
    }
    *v = neg ? -d : d;
    return 1;
}
#endif

/* The number at T[I] as cJSON 1.7 parse_number reads it: the longest run
 * of [0-9+-eE.] (under 64 bytes, '.' as the locale's decimal point) given
 * to strtod.  Returns the index past it, or 0 when strtod would not take
 * all of it (cJSON would then fail on what is left, or read it the same
 * way only by luck: the slow path decides). */
static size_t gbf_number(const gbf_row *r, const char *t, size_t len, size_t i, double *v)
{
    char num[64];
    size_t k = 0;
    while (i + k < len && k < sizeof num - 1) {
        char c = t[i + k];
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E')
            num[k] = c;
        else if (c == '.')
            num[k] = r->point;
        else
            break;
        k++;
    }
    if (k == 0 || k == sizeof num - 1)
        return 0;
#ifdef __SIZEOF_INT128__
    /* nearly every number of a GB file, to the bit as strtod reads it
     * (whatever the locale's decimal point: the value is the same) */
    if (gbf_decimal(t + i, k, v))
        return i + k;
#endif
    num[k] = '\0';
    char *stop;
    *v = strtod(num, &stop);
    return (size_t)(stop - num) == k ? i + k : 0;
}

/* Reads the row whose '{' is T[I] into R, its end (past the '}') into
 * *END.  1 when read, GBF_SLOW when it is not one that gbf_parse reads
 * (see above), -1 on ENOMEM. */
static int gbf_parse(gbf_row *r, const char *t, size_t len, size_t i, size_t *end)
{
    r->n = 0;
    r->used = 0;
    memset(r->first, 0, sizeof r->first);
    i = gbs_ws(t, len, i + 1);
    if (i >= len || t[i] == '}')
        return GBF_SLOW;
    for (;;) {
        gbf_field *f = &r->f[r->n];
        size_t e;
        if (r->n == GBF_MAX || i >= len || t[i] != '"')
            return GBF_SLOW;
        e = gbf_string(r, t, len, i, &f->key);
        if (e == (size_t)-1)
            return -1;
        if (!e)
            return GBF_SLOW;
        f->klen = e - i - 2;
        f->id = gbf_key_id(r->buf + f->key, f->klen);
        if (f->id != GBK_COUNTER && !r->first[f->id])
            r->first[f->id] = (unsigned char)(r->n + 1);
        i = gbs_ws(t, len, e);
        if (i >= len || t[i] != ':')
            return GBF_SLOW;
        i = gbs_ws(t, len, i + 1);
        if (i >= len)
            return GBF_SLOW;
        char c = t[i];
        if (c == '"') {
            f->kind = GBF_STRING;
            e = gbf_string(r, t, len, i, &f->str);
            if (e == (size_t)-1)
                return -1;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            f->kind = GBF_NUMBER;
            e = gbf_number(r, t, len, i, &f->num);
        } else if (len - i >= 4 && !memcmp(t + i, "true", 4)) {
            f->kind = GBF_TRUE;
            e = i + 4;
        } else if (len - i >= 5 && !memcmp(t + i, "false", 5)) {
            f->kind = GBF_FALSE;
            e = i + 5;
        } else if (len - i >= 4 && !memcmp(t + i, "null", 4)) {
            f->kind = GBF_NULL;
            e = i + 4;
        } else {
            return GBF_SLOW;
        }
        if (!e)
            return GBF_SLOW;
        r->n++;
        i = gbs_ws(t, len, e);
        if (i < len && t[i] == ',') {
            i = gbs_ws(t, len, i + 1);
            continue;
        }
        if (i < len && t[i] == '}') {
            *end = i + 1;
            return 1;
        }
        return GBF_SLOW;
    }
}

static const char *gbf_key(const gbf_row *r, const gbf_field *f)
{
    return r->buf + f->key;
}

static const char *gbf_str(const gbf_row *r, const gbf_field *f)
{
    return r->buf + f->str;
}

/* The first field KEY (KLEN bytes) of R, as cJSON_GetObjectItemCaseSensitive
 * finds it, or NULL. */
static const gbf_field *gbf_get_n(const gbf_row *r, const char *key, size_t klen)
{
    for (size_t k = 0; k < r->n; k++)
        if (r->f[k].klen == klen && !memcmp(gbf_key(r, &r->f[k]), key, klen))
            return &r->f[k];
    return NULL;
}

/* The first field of the known key ID, or NULL: gbf_get_n by the table. */
static const gbf_field *gbf_get(const gbf_row *r, int id)
{
    return r->first[id] ? &r->f[r->first[id] - 1] : NULL;
}

/* A time of the row: absent (0, *V untouched) or a finite non-negative
 * number whose product with SCALE is finite (1); else -1. */
static int gbf_time(const gbf_field *f, double scale, double *v)
{
    if (!f)
        return 0;
    if (f->kind != GBF_NUMBER || !isfinite(f->num) || f->num < 0 || !isfinite(f->num * scale))
        return -1;
    *v = f->num * scale;
    return 1;
}

/* What gbs_row and gb_acc_row do with the row R at T[AT..END), for the
 * rows they only take values from.  0 when taken, GBF_SLOW when gbs_row
 * is to read it (nothing changed), -1 on ENOMEM. */
static int gbf_take(gbs_state *st, const gbf_row *r, size_t at, size_t end)
{
    gb_group *gg;
    const gbf_field *name = gbf_get(r, GBK_NAME), *run_name = gbf_get(r, GBK_RUN_NAME);
    const gbf_field *run_type = gbf_get(r, GBK_RUN_TYPE), *agg = gbf_get(r, GBK_AGGREGATE_NAME);
    if (!name || name->kind != GBF_STRING || !*gbf_str(r, name))
        return GBF_SLOW;
    if (run_name && (run_name->kind != GBF_STRING || !*gbf_str(r, run_name)))
        return GBF_SLOW;
    if ((run_type && run_type->kind != GBF_STRING) || (agg && agg->kind != GBF_STRING))
        return GBF_SLOW;
    int is_agg;
    if (run_type && !strcmp(gbf_str(r, run_type), "aggregate"))
        is_agg = 1;
    else if (run_type && !strcmp(gbf_str(r, run_type), "iteration"))
        is_agg = 0;
    else if (run_type)
        return GBF_SLOW;
    else
        is_agg = agg != NULL;
    const char *key = gbf_str(r, run_name ? run_name : name);
    if (is_agg) {
        if (!agg || (strcmp(gbf_str(r, agg), "median") && strcmp(gbf_str(r, agg), "mean")))
            return 0;
        if (!run_name)
            return GBF_SLOW;
        gbs_group *g = gbs_group_get(st, key, &gg);
        if (!g)
            return -1;
        if (!strcmp(gbf_str(r, agg), "median")) {
            g->median_at = at;
            g->median_end = end;
        } else {
            g->mean_at = at;
            g->mean_end = end;
        }
        return 0;
    }

    /* an iteration row: all its checks first */
    const gbf_field *eo = gbf_get(r, GBK_ERROR_OCCURRED), *it = gbf_get(r, GBK_ITERATIONS);
    if (gbf_get(r, GBK_SKIPPED) || (eo && eo->kind != GBF_FALSE))
        return GBF_SLOW;
    if (it && (it->kind != GBF_NUMBER || !isfinite(it->num) || it->num < 0
               || it->num >= 9223372036854775808.0 || it->num == 0))
        return GBF_SLOW;
    const gbf_field *u = gbf_get(r, GBK_TIME_UNIT);
    double scale = 1.0, wall = 0, cpu = 0;
    if (u) {
        const char *us = u->kind == GBF_STRING ? gbf_str(r, u) : "";
        if (!strcmp(us, "ns"))
            scale = 1.0;
        else if (!strcmp(us, "us"))
            scale = 1e3;
        else if (!strcmp(us, "ms"))
            scale = 1e6;
        else if (!strcmp(us, "s"))
            scale = 1e9;
        else
            return GBF_SLOW;
    }
    int have_wall = gbf_time(gbf_get(r, GBK_REAL_TIME), scale, &wall);
    int have_cpu = gbf_time(gbf_get(r, GBK_CPU_TIME), scale, &cpu);
    if (have_wall != 1 || have_cpu < 0)
        return GBF_SLOW;
    for (size_t k = 0; k < r->n; k++) {
        const gbf_field *f = &r->f[k];
        if (f->kind != GBF_NUMBER || f->id != GBK_COUNTER)
            continue;
        const char *unit;
        results_direction dir;
        gb_counter_kind(gbf_key(r, f), &unit, &dir);
        if (!isfinite(f->num) || (dir == RESULTS_HIGHER_IS_BETTER && *unit && f->num < 0)
            || gbf_get_n(r, gbf_key(r, f), f->klen) != f)
            return GBF_SLOW;
    }

    /* then its values */
    gbs_group *g = gbs_group_get(st, key, &gg);
    if (!g)
        return -1;
    if (g->nrows == 0 && it) {
        g->have_iterations = 1;
        g->iterations = (uint64_t)it->num;
    }
    g->nrows++;
    gb_acc *a = &g->acc;
    if (import_vec_push(&a->wall, wall) != 0 || (have_cpu && import_vec_push(&a->cpu, cpu) != 0))
        return -1;
    for (size_t k = 0; k < r->n; k++) {
        const gbf_field *f = &r->f[k];
        if (f->kind != GBF_NUMBER || f->id != GBK_COUNTER)
            continue;
        const char *cname = gbf_key(r, f);
        size_t c = 0;
        while (c < a->ncount && strcmp(a->cnames[c], cname))
            c++;
        if (c == a->ncount) {
            char **nn = realloc(a->cnames, (a->ncount + 1) * sizeof *nn);
            if (!nn)
                return -1;
            a->cnames = nn;
            import_vec *nv = realloc(a->cvals, (a->ncount + 1) * sizeof *nv);
            if (!nv)
                return -1;
            a->cvals = nv;
            if (!(a->cnames[a->ncount] = strdup(cname)))
                return -1;
            memset(&a->cvals[a->ncount], 0, sizeof a->cvals[a->ncount]);
            a->ncount++;
        }
        if (import_vec_push(&a->cvals[c], f->num) != 0)
            return -1;
    }
    return 0;
}

/*
 * Reads TEXT[LEN] (no byte order mark) as a Google Benchmark file the
 * streamed way into RUN (initialised, empty), as import_tree and
 * import_gbench would with format FMT (NULL or IMPORT_FORMAT_GBENCH).
 * Returns 0 when read, 1 when the caller is to read it the old way (RUN
 * then empty), -1 on ENOMEM (RUN empty).
 */
static int gb_stream(const char *t, size_t len, const char *fmt, results_run *run)
{
    gbs_state st;
    gbf_row fr;
    cJSON *skel = cJSON_CreateObject();
    cJSON *first = NULL;
    int rc = -1, seen_benches = 0;
    size_t i;
    char err[8];

    memset(&st, 0, sizeof st);
    fr.buf = NULL;
    fr.used = fr.cap = 0;
    fr.point = localeconv()->decimal_point[0];
    if (!skel)
        goto out;
    rc = 1;
    i = gbs_ws(t, len, 0);
    if (i >= len || t[i] != '{')
        goto out;
    i = gbs_ws(t, len, i + 1);
    if (i < len && t[i] == '}')
        goto out;
    for (;;) {
        /* "key" : value */
        int esc = 0;
        if (i >= len || t[i] != '"')
            goto out;
        size_t kend = gbs_string_end(t, len, i, &esc);
        if (!kend || esc || kend - i - 2 >= 64)
            goto out;
        char key[64];
        memcpy(key, t + i + 1, kend - i - 2);
        key[kend - i - 2] = '\0';
        if (memchr(key, '\0', kend - i - 2) || cJSON_GetObjectItemCaseSensitive(skel, key)
            || (!strcmp(key, "benchmarks") && seen_benches))
            goto out;
        i = gbs_ws(t, len, kend);
        if (i >= len || t[i] != ':')
            goto out;
        i = gbs_ws(t, len, i + 1);
        if (!strcmp(key, "benchmarks") && i < len && t[i] == '[') {
            /* the rows, one at a time */
            seen_benches = 1;
            i = gbs_ws(t, len, i + 1);
            if (i < len && t[i] == ']')
                goto out;   /* no rows: the old way says so */
            for (;;) {
                if (i >= len || t[i] != '{')
                    goto out;
                size_t end;
                int r = GBF_SLOW;
                if (first) {    /* the first row is cJSON's: see below */
                    r = gbf_parse(&fr, t, len, i, &end);
                    if (r == 1)
                        r = gbf_take(&st, &fr, i, end);
                }
                if (r == GBF_SLOW) {
                    /* cJSON finds the row's end itself */
                    cJSON *row = gbs_parse_at(t, len, i, &end);
                    if (!row)
                        goto out;
                    r = gbs_row(&st, row, i, end);
                    if (r == 0 && !first)
                        first = row;    /* kept for the skeleton */
                    else
                        cJSON_Delete(row);
                }
                if (r != 0) {
                    rc = r;
                    goto out;
                }
                i = gbs_ws(t, len, end);
                if (i < len && t[i] == ',') {
                    i = gbs_ws(t, len, i + 1);
                    continue;
                }
                if (i < len && t[i] == ']')
                    break;
                goto out;
            }
            i++;
        } else {
            if (!strcmp(key, "benchmarks"))
                goto out;
            size_t end = gbs_value_end(t, len, i);
            cJSON *v = end ? gbs_parse(t, i, end) : NULL;
            if (!v)
                goto out;
            if (!cJSON_AddItemToObject(skel, key, v)) {
                cJSON_Delete(v);
                rc = -1;
                goto out;
            }
            i = end;
        }
        i = gbs_ws(t, len, i);
        if (i < len && t[i] == ',') {
            i = gbs_ws(t, len, i + 1);
            continue;
        }
        if (i < len && t[i] == '}')
            break;
        goto out;
    }
    /* after the document: what import_json allows */
    for (i++; i < len; i++)
        if (!isspace((unsigned char)t[i]) && t[i] != '\0')
            goto out;
    if (!seen_benches || !first)
        goto out;
    cJSON *arr = cJSON_CreateArray();
    if (!arr || !cJSON_AddItemToObject(skel, "benchmarks", arr)) {
        cJSON_Delete(arr);
        rc = -1;
        goto out;
    }
    cJSON_AddItemToArray(arr, first);
    first = NULL;
    const char *detected = import_detect_tree(skel);
    if (!detected || strcmp(detected, IMPORT_FORMAT_GBENCH) || (fmt && strcmp(fmt, detected)))
        goto out;
    run->version = PERFCMP_RESULTS_VERSION;
    if (gb_context(cJSON_GetObjectItemCaseSensitive(skel, "context"), run, err, sizeof err) != 0)
        goto out;
    rc = gbs_finish(&st, t, run);
out:
    if (rc != 0)
        results_run_release(run);
    cJSON_Delete(first);
    cJSON_Delete(skel);
    gbs_release(&st);
    gbf_release(&fr);
    return rc;
}

/* ---- hyperfine ---------------------------------------------------------- */

/* Pushes SEC, finite non-negative seconds, onto V as nanoseconds; KEY's
 * single value, or one of its array when IN_ARRAY (which words the
 * error).  Returns 0, or -1 with ERR. */
static int hf_push_seconds(double sec, const char *bname, const char *key, int in_array,
                           import_vec *v, char *err, size_t errlen)
{
    if (!isfinite(sec) || sec < 0) {
        import_seterr(err, errlen, "command '%s': '%s' %s", bname, key,
                      isfinite(sec) ? (in_array ? "holds a negative value" : "is negative")
                                    : (in_array ? "holds a non-finite value"
                                                : "is not a finite number"));
        return -1;
    }
    if (!isfinite(sec * 1e9)) {
        import_seterr(err, errlen, "command '%s': '%s' %s", bname, key,
                      in_array ? "holds a value too large" : "is too large");
        return -1;
    }
    if (import_vec_push(v, sec * 1e9) != 0) {
        import_seterr(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* An array of finite non-negative seconds, or a single such number, into
 * nanoseconds in V.  Returns 0, or -1 with ERR. */
static int hf_seconds(const cJSON *it, const char *bname, const char *key, import_vec *v,
                      char *err, size_t errlen)
{
    const cJSON *x;
    if (cJSON_IsNumber(it))
        return hf_push_seconds(it->valuedouble, bname, key, 0, v, err, errlen);
    if (!cJSON_IsArray(it)) {
        import_seterr(err, errlen, "command '%s': '%s' is not a number or an array of numbers",
                      bname, key);
        return -1;
    }
    cJSON_ArrayForEach(x, it) {
        if (!cJSON_IsNumber(x)) {
            import_seterr(err, errlen, "command '%s': '%s' holds a value that is not a number",
                          bname, key);
            return -1;
        }
        if (hf_push_seconds(x->valuedouble, bname, key, 1, v, err, errlen) != 0)
            return -1;
    }
    return 0;
}

static int import_hyperfine(const cJSON *root, results_run *run, char *err, size_t errlen)
{
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "results");
    const cJSON *r;
    import_vec wall = { 0 }, user = { 0 }, sys = { 0 };
    char now[32];
    size_t idx = 0;
    int rc = -1;

    if (!cJSON_IsArray(results)) {
        import_seterr(err, errlen, "'results' is not an array");
        return -1;
    }
    run->context.git_dirty = -1;
    results_utc_now(now, sizeof now);
    if (results_set_str(&run->context.timestamp, now) != 0)
        goto nomem;
    cJSON_ArrayForEach(r, results) {
        wall.n = user.n = sys.n = 0;
        if (!cJSON_IsObject(r)) {
            import_seterr(err, errlen, "results[%zu] is not an object", idx);
            goto out;
        }
        const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(r, "command");
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(r, "name");
        if (!cJSON_IsString(cmd) || !*cmd->valuestring) {
            import_seterr(err, errlen, "results[%zu]: 'command' is missing or not a string", idx);
            goto out;
        }
        const char *name = cJSON_IsString(nm) && *nm->valuestring ? nm->valuestring
                                                                    : cmd->valuestring;
        if (results_find_bench(run, name)) {
            import_seterr(err, errlen, "command '%s' appears twice", name);
            goto out;
        }
        results_bench *b = results_add_bench(run, name, name);
        if (!b)
            goto nomem;
        const cJSON *times = cJSON_GetObjectItemCaseSensitive(r, "times");
        const cJSON *mean = cJSON_GetObjectItemCaseSensitive(r, "mean");
        if (times) {
            if (!cJSON_IsArray(times)) {
                import_seterr(err, errlen, "command '%s': 'times' is not an array", name);
                goto out;
            }
            if (hf_seconds(times, name, "times", &wall, err, errlen) != 0)
                goto out;
        } else if (mean) {
            if (hf_seconds(mean, name, "mean", &wall, err, errlen) != 0)
                goto out;
        } else {
            import_seterr(err, errlen, "command '%s' has neither 'times' nor 'mean'", name);
            goto out;
        }
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(r, "user");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(r, "system");
        if (u && hf_seconds(u, name, "user", &user, err, errlen) != 0)
            goto out;
        if (s && hf_seconds(s, name, "system", &sys, err, errlen) != 0)
            goto out;
        if (wall.n && !results_add_metric(b, "wall_time", "ns", RESULTS_LOWER_IS_BETTER, wall.v,
                                          wall.n))
            goto nomem;
        /* cpu_time = user + system: per run when both are arrays of equal
         * length, else their means as one value */
        if (user.n && (sys.n == user.n || sys.n == 0)) {
            for (size_t k = 0; k < user.n && sys.n; k++)
                user.v[k] += sys.v[k];
            if (!results_add_metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, user.v, user.n))
                goto nomem;
        } else if (user.n && sys.n) {
            double su = 0, ss = 0;
            for (size_t k = 0; k < user.n; k++)
                su += user.v[k];
            for (size_t k = 0; k < sys.n; k++)
                ss += sys.v[k];
            double one = su / (double)user.n + ss / (double)sys.n;
            if (!results_add_metric(b, "cpu_time", "ns", RESULTS_LOWER_IS_BETTER, &one, 1))
                goto nomem;
        }
        const cJSON *codes = cJSON_GetObjectItemCaseSensitive(r, "exit_codes");
        if (codes && !cJSON_IsArray(codes)) {
            import_seterr(err, errlen, "command '%s': 'exit_codes' is not an array", name);
            goto out;
        }
        size_t nfail = 0, nruns = 0;
        int first_code = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, codes) {
            nruns++;
            if (!cJSON_IsNumber(c) && !cJSON_IsNull(c)) {
                import_seterr(err, errlen, "command '%s': 'exit_codes' holds a value that is "
                              "not a number", name);
                goto out;
            }
            if (cJSON_IsNumber(c) && (c->valuedouble != floor(c->valuedouble)
                                      || c->valuedouble < -2147483648.0
                                      || c->valuedouble > 2147483647.0)) {
                import_seterr(err, errlen, "command '%s': exit code %g is not a valid exit status",
                              name, c->valuedouble);
                goto out;
            }
            if (cJSON_IsNumber(c) && c->valuedouble != 0) {
                if (!nfail)
                    first_code = (int)c->valuedouble;
                nfail++;
            }
            /* null: killed by a signal */
            if (cJSON_IsNull(c)) {
                if (!nfail)
                    first_code = -1;
                nfail++;
            }
        }
        if (nfail) {
            char msg[128];
            if (first_code == -1)
                snprintf(msg, sizeof msg, "killed by a signal in %zu of %zu runs", nfail, nruns);
            else
                snprintf(msg, sizeof msg, "exited with status %d in %zu of %zu runs", first_code,
                         nfail, nruns);
            b->status = RESULTS_FAILED;
            if (results_set_str(&b->error, msg) != 0)
                goto nomem;
        }
        const cJSON *params = cJSON_GetObjectItemCaseSensitive(r, "parameters");
        const cJSON *plist = cJSON_IsObject(params) ? params : NULL;
        const cJSON *p;
        cJSON_ArrayForEach(p, plist) {
            const char *pv = cJSON_IsString(p) ? p->valuestring : NULL;
            char *end;
            long long v;
            if (pv && *pv) {
                errno = 0;
                v = strtoll(pv, &end, 10);
                if (*end || errno)
                    continue;
            } else if (cJSON_IsNumber(p) && p->valuedouble == floor(p->valuedouble)
                       && fabs(p->valuedouble) < 9e18) {
                v = (long long)p->valuedouble;
            } else {
                continue;
            }
            long long *na = realloc(b->args, (b->nargs + 1) * sizeof *na);
            if (!na)
                goto nomem;
            b->args = na;
            b->args[b->nargs++] = v;
        }
        idx++;
    }
    rc = 0;
    goto out;
nomem:
    import_seterr(err, errlen, "out of memory");
out:
    free(wall.v);
    free(user.v);
    free(sys.v);
    return rc;
}

/* ---- entry point -------------------------------------------------------- */

/* Finite samples can still overflow the statistics (1e308 + 1e308): such
 * values are no measurement, and inf would poison every comparison. */
static int import_check_summaries(const results_run *run, char *err, size_t errlen)
{
    for (size_t i = 0; i < run->nbenches; i++) {
        const results_bench *b = &run->benches[i];
        for (size_t m = 0; m < b->nmetrics; m++) {
            const stats_summary *u = &b->metrics[m].summary;
            const double v[] = { u->min, u->max, u->mean, u->stddev, u->median, u->mad,
                                 u->p90, u->p99, u->ci_low, u->ci_high };
            for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
                if (!isfinite(v[k])) {
                    import_seterr(err, errlen, "benchmark '%s': metric '%s': values too large "
                                  "for the statistics (they overflow)", b->name,
                                  b->metrics[m].name);
                    return -1;
                }
            }
        }
    }
    return 0;
}

int import_parse(const char *text, size_t len, const char *format, results_run *run,
                 char *err, size_t errlen)
{
    return import_parse_warn(text, len, format, run, NULL, 0, err, errlen);
}

int import_parse_warn(const char *text, size_t len, const char *format, results_run *run,
                      char *warn, size_t warnlen, char *err, size_t errlen)
{
    gb_left_out lo = { .warn = warn, .warnlen = warnlen, .n = 0 };
    cJSON *root = NULL;
    const char *fmt = format && strcmp(format, "auto") ? format : NULL;
    const char *source = NULL;
    int rc = -1;

    if (warn && warnlen)
        warn[0] = '\0';
    if (fmt && strcmp(fmt, IMPORT_FORMAT_PERFCMP) && strcmp(fmt, IMPORT_FORMAT_GBENCH)
        && strcmp(fmt, IMPORT_FORMAT_HYPERFINE)) {
        import_seterr(err, errlen, "unknown format '%s' (expected auto, perfcmp, "
                      "google-benchmark or hyperfine)", fmt);
        return -1;
    }
    /* a UTF-8 byte order mark is allowed and skipped */
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
        text += 3;
        len -= 3;
    }
    if (!fmt || !strcmp(fmt, IMPORT_FORMAT_GBENCH)) {
        int r = gb_stream(text, len, fmt, run);
        if (r < 0) {
            import_seterr(err, errlen, "out of memory");
            goto out;
        }
        if (r == 0) {
            source = IMPORT_FORMAT_GBENCH;
            goto judged;
        }
    }
    root = import_tree(text, len, fmt, err, errlen);
    if (!root)
        goto out;
    const char *detected = import_detect_tree(root);
    if (!fmt) {
        fmt = detected;
        if (!fmt) {
            const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
            if (cJSON_IsString(schema))
                import_seterr(err, errlen, "unknown schema '%s' (expected perfcmp-results)",
                              schema->valuestring);
            else if (schema)
                import_seterr(err, errlen, "'schema' is not a string");
            else if (cJSON_GetObjectItemCaseSensitive(root, "version")
                     && cJSON_GetObjectItemCaseSensitive(root, "benchmarks"))
                import_seterr(err, errlen, "'schema' is missing (expected \"perfcmp-results\")");
            else
                import_seterr(err, errlen, "not a perfcmp, Google Benchmark or hyperfine "
                              "results file");
            goto out;
        }
    } else if (!cJSON_IsObject(root)) {
        import_seterr(err, errlen, "the top level is not a JSON object");
        goto out;
    }
    if (!strcmp(fmt, IMPORT_FORMAT_PERFCMP)) {
        cJSON_Delete(root);
        root = NULL;
        if (results_parse(text, len, run, err, errlen) != 0)
            goto out;
        source = run->context.source_format ? NULL : "perfcmp-results";
    } else if (!strcmp(fmt, IMPORT_FORMAT_GBENCH)) {
        run->version = PERFCMP_RESULTS_VERSION;
        if (import_gbench(root, run, &lo, err, errlen) != 0)
            goto out;
        source = IMPORT_FORMAT_GBENCH;
    } else {
        run->version = PERFCMP_RESULTS_VERSION;
        if (import_hyperfine(root, run, err, errlen) != 0)
            goto out;
        source = IMPORT_FORMAT_HYPERFINE;
    }
judged:
    if (run->nbenches == 0) {
        import_seterr(err, errlen, "no benchmarks in the file");
        goto out;
    }
    /* foreign formats are held to our own file's rules, so that whatever
     * is stored can be written to a baseline file and read back */
    if (source && strcmp(source, "perfcmp-results") && results_validate(run, err, errlen) != 0)
        goto out;
    if (source && results_set_str(&run->context.source_format, source) != 0) {
        import_seterr(err, errlen, "out of memory");
        goto out;
    }
    if (results_finish(run) != 0) {
        import_seterr(err, errlen, "out of memory");
        goto out;
    }
    if (import_check_summaries(run, err, errlen) != 0)
        goto out;
    rc = 0;
out:
    cJSON_Delete(root);
    if (rc != 0) {
        results_run_release(run);
        if (warn && warnlen)
            warn[0] = '\0';    /* the error is the one line to print */
    }
    return rc;
}
