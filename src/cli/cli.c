/*
 * cli.c - helpers shared by the perfcmp subcommands (see cli.h).
 */
#include "cli.h"
#include "import.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Prints PREFIX and the formatted message as exactly one line: control
 * characters that came in with user text (a newline in a file name, an
 * escape sequence in a benchmark name) are shown as '?'.
 */
__attribute__((format(printf, 2, 0)))
static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
    char small[1024];
    char *buf = small;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= (int)sizeof small) {
        buf = malloc((size_t)n + 1);
        if (buf)
            vsnprintf(buf, (size_t)n + 1, fmt, ap2);
        else
            buf = small;        /* truncated, but still one line */
    }
    va_end(ap2);
    for (unsigned char *p = (unsigned char *)buf; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
    }
    fputs(prefix, stderr);
    fputs(buf, stderr);
    fputc('\n', stderr);
    if (buf != small)
        free(buf);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("error: ", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("warning: ", fmt, ap);
    va_end(ap);
}

/* The store named by CTX, opened with OPEN (store_open or store_open_existing). */
static int cli_open_with(const cli_ctx *ctx, store **out,
                         int (*open)(const char *, store **, char *, size_t))
{
    char err[512];
    const char *path = store_default_path(ctx ? ctx->db : NULL);
    if (open(path, out, err, sizeof err) != 0) {
        cli_error("cannot open database '%s': %s", path, err);
        return EXIT_USAGE;
    }
    return 0;
}

int cli_open_store(const cli_ctx *ctx, store **out)
{
    return cli_open_with(ctx, out, store_open);
}

int cli_open_store_existing(const cli_ctx *ctx, store **out)
{
    return cli_open_with(ctx, out, store_open_existing);
}

int cli_parse_run_id(store *s, const char *text, int64_t *id)
{
    if (!strcmp(text, "latest") || !strcmp(text, "HEAD")) {
        int rc = store_latest_run(s, id);
        if (rc == STORE_NOTFOUND) {
            cli_error("no runs recorded yet");
            return EXIT_USAGE;
        }
        if (rc != 0) {
            cli_error("%s", store_errmsg(s));
            return EXIT_USAGE;
        }
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || errno || v <= 0 || text[0] == '+' || text[0] == ' ') {
        cli_error("invalid run id '%s': expected a positive number or 'latest'", text);
        return EXIT_USAGE;
    }
    *id = v;
    return 0;
}

int cli_error_run(store *s, int64_t id, int rc)
{
    if (rc == STORE_NOTFOUND)
        cli_error("no run %lld in '%s'", (long long)id, store_path(s));
    else
        cli_error("cannot read run %lld from '%s': %s", (long long)id, store_path(s),
                  store_errmsg(s));
    return EXIT_USAGE;
}

char *cli_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "is a directory");
        goto fail;
    }
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > ((size_t)1 << 30) + 1) {
                snprintf(err, errlen, "file is larger than 1 GiB");
                goto fail;
            }
            char *nb = realloc(buf, ncap);
            if (!nb) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                snprintf(err, errlen, "%s", strerror(errno ? errno : EIO));
                goto fail;
            }
            break;
        }
    }
    buf[n] = '\0';
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
fail:
    free(buf);
    if (f != stdin)
        fclose(f);
    return NULL;
}

/*
 * A view of the regular file PATH, NUL-terminated, without copying it:
 * an anonymous zeroed mapping one byte longer than the file (rounded up to
 * pages), with the file mapped privately over its start; the byte after
 * the file is a zero of the last file page (the kernel zero-fills past
 * the end) or of the anonymous page behind it.  Reading 50 MB this way
 * spares copying it from the page cache into a buffer grown by doubling.
 * Returns the view (cli_unmap_file it with *MAPLEN), NULL with *MAPLEN 0
 * when PATH is not a regular file that can be mapped (the caller reads it
 * the usual way then), or NULL with a reason in ERR for a file larger
 * than 1 GiB (*MAPLEN 1).
 */
static char *cli_map_file(const char *path, size_t *len, size_t *maplen, char *err,
                          size_t errlen)
{
    struct stat st;
    char *view = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    *maplen = 0;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
        goto out;
    if ((uint64_t)st.st_size > ((uint64_t)1 << 30)) {
        snprintf(err, errlen, "file is larger than 1 GiB");
        *maplen = 1;
        goto out;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t n = (size_t)st.st_size, total = (n + 1 + page - 1) / page * page;
    void *anon = mmap(NULL, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (anon == MAP_FAILED)
        goto out;
    if (mmap(anon, n, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) == MAP_FAILED) {
        munmap(anon, total);
        goto out;
    }
    view = anon;
    *len = n;
    *maplen = total;
out:
    close(fd);
    return view;
}

/* What cli_load_results_file prints, kept for later: RC 0 or EXIT_USAGE;
 * UNREADABLE when the file could not be read, ERR then the reason, or the
 * parser's; WARN what import_parse_warn left out (may be empty). */
typedef struct cli_loaded {
    int rc;
    int unreadable;
    char err[512];
    char warn[512];
} cli_loaded;

static void cli_results_read(const char *path, const char *format, results_run *run,
                             cli_loaded *l)
{
    size_t len, maplen = 0;
    l->rc = l->unreadable = 0;
    l->err[0] = l->warn[0] = '\0';
    char *text = strcmp(path, "-") ? cli_map_file(path, &len, &maplen, l->err, sizeof l->err)
                                   : NULL;
    if (!text && maplen == 0)
        text = cli_read_file(path, &len, l->err, sizeof l->err);
    if (!text) {
        l->unreadable = 1;
        l->rc = EXIT_USAGE;
        return;
    }
    if (import_parse_warn(text, len, format, run, l->warn, sizeof l->warn, l->err,
                          sizeof l->err) != 0)
        l->rc = EXIT_USAGE;
    if (maplen)
        munmap(text, maplen);
    else
        free(text);
}

/* Prints what L kept of reading PATH, as cli_load_results_file does;
 * returns its status. */
static int cli_loaded_report(const cli_loaded *l, const char *path)
{
    if (l->unreadable) {
        cli_error("cannot read '%s': %s", path, l->err);
        return l->rc;
    }
    if (l->rc != 0) {
        cli_error("'%s': %s", path, l->err);
        return l->rc;
    }
    if (l->warn[0])
        cli_warn("'%s': %s", path, l->warn);
    return 0;
}

int cli_load_results_file(const char *path, const char *format, results_run *run)
{
    cli_loaded l;
    cli_results_read(path, format, run, &l);
    return cli_loaded_report(&l, path);
}

struct cli_results_prefetch {
    pthread_t tid;
    char *path;
    char *format;
    results_run run;
    cli_loaded loaded;
};

static void *cli_prefetch_main(void *arg)
{
    cli_results_prefetch *p = arg;
    cli_results_read(p->path, p->format, &p->run, &p->loaded);
    return NULL;
}

cli_results_prefetch *cli_results_prefetch_start(const char *path, const char *format)
{
    if (!strcmp(path, "-"))
        return NULL;
    cli_results_prefetch *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path)) || (format && !(p->format = strdup(format))) ||
        pthread_create(&p->tid, NULL, cli_prefetch_main, p) != 0) {
        if (p) {
            free(p->path);
            free(p->format);
        }
        free(p);
        return NULL;
    }
    return p;
}

static void cli_prefetch_free(cli_results_prefetch *p)
{
    results_run_release(&p->run);
    free(p->path);
    free(p->format);
    free(p);
}

int cli_results_prefetch_finish(cli_results_prefetch *p, results_run *run)
{
    pthread_join(p->tid, NULL);
    int rc = cli_loaded_report(&p->loaded, p->path);
    if (rc == 0) {
        *run = p->run;
        memset(&p->run, 0, sizeof p->run);
    }
    cli_prefetch_free(p);
    return rc;
}

void cli_results_prefetch_cancel(cli_results_prefetch *p)
{
    if (!p)
        return;
    pthread_join(p->tid, NULL);
    cli_prefetch_free(p);
}

const char *cli_display(const char *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s", s ? s : "-");
    for (unsigned char *p = (unsigned char *)buf; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
    }
    return buf;
}

cJSON *cli_json_number(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

cJSON *cli_json_string(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static volatile sig_atomic_t cli_signal;

static void cli_note_signal(int sig)
{
    cli_signal = sig;
}

void cli_defer_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cli_note_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int cli_deferred_signal(void)
{
    return cli_signal;
}

int cli_use_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    return isatty(fileno(f));
}

int cli_choice(const char *what, const char *value, const char *const *choices)
{
    size_t n = 0, len = 0;
    for (; choices[n]; n++) {
        if (!strcmp(value, choices[n]))
            return (int)n;
        len += strlen(choices[n]) + 4;
    }
    char *list = malloc(len + 1);
    if (!list) {
        cli_error("unknown %s '%s'", what, value);
        return -1;
    }
    size_t at = 0;
    list[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        const char *sep = k == 0 ? "" : k + 1 == n ? " or " : ", ";
        at += (size_t)snprintf(list + at, len + 1 - at, "%s%s", sep, choices[k]);
    }
    cli_error("unknown %s '%s': expected %s", what, value, list);
    free(list);
    return -1;
}

int cli_parse_size(const char *text, size_t *out)
{
    if (!text || *text < '0' || *text > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (*end || errno || v == 0)
        return -1;
    *out = (size_t)v;
    return 0;
}

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n))
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_error("option '%s' needs a value", name);
        return -1;
    }
    *val = argv[++*i];
    return 1;
}

int cli_opt_value_short(int argc, char **argv, int *i, const char *name, const char *shortname,
                        const char **val)
{
    if (shortname) {
        size_t n = strlen(shortname);
        const char *a = argv[*i];
        if (!strncmp(a, shortname, n) && a[n] != '\0') {
            *val = a + n;           /* -oVALUE */
            return 1;
        }
    }
    int m = cli_opt_value(argc, argv, i, name, val);
    if (m == 0 && shortname)
        m = cli_opt_value(argc, argv, i, shortname, val);
    return m;
}

int cli_mkdirs(const char *dir)
{
    if (!*dir) {
        errno = ENOENT;
        return -1;
    }
    char *d = strdup(dir);
    int rc = 0;
    if (!d)
        return -1;
    for (char *p = d + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(d, 0777) != 0 && errno != EEXIST) {
                rc = -1;
                break;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    int saved = errno;
    free(d);
    errno = saved;
    return rc;
}

int cli_mkdirs_for(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return 0;
    char *d = strndup(path, (size_t)(slash - path));
    if (!d)
        return -1;
    int rc = cli_mkdirs(d);
    int saved = errno;
    free(d);
    errno = saved;
    return rc;
}
