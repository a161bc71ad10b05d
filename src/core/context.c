/*
 * context.c - the run's context: machine, build and git state (in the
 * core: bench binaries and `perfcmp exec` both fill one).
 */
#include "context.h"

#include <errno.h>
#include <fcntl.h>
#include <perfcmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

void context_cpu_model(char *buf, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];

    snprintf(buf, len, "unknown");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *v = colon + 1;
        v += strspn(v, " \t");
        size_t n = strcspn(v, "\n");
        while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
            n--;
        if (n > 0) {
            snprintf(buf, len, "%.*s", (int)n, v);
            break;
        }
    }
    fclose(f);
}

/* Does WORD need quoting for a POSIX shell? */
static int context_needs_quotes(const char *word)
{
    if (!*word)
        return 1;
    for (const char *p = word; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "_-./=:,+@%", *p))
            return 1;
    return 0;
}

char *context_command_line(int argc, char **argv)
{
    size_t cap = 1;
    char *s, *p;

    for (int i = 0; i < argc; i++)
        cap += strlen(argv[i]) * 4 + 3;
    s = malloc(cap);
    if (!s)
        return NULL;
    p = s;
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            *p++ = ' ';
        if (!context_needs_quotes(argv[i])) {
            size_t n = strlen(argv[i]);
            memcpy(p, argv[i], n);
            p += n;
            continue;
        }
        *p++ = '\'';
        for (const char *q = argv[i]; *q; q++) {
            if (*q == '\'') {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *q;
            }
        }
        *p++ = '\'';
    }
    *p = '\0';
    return s;
}

/*
 * Runs COMMAND (a fixed string: no user input reaches the shell) and
 * stores its first output line in BUF[LEN].  Returns 1 when it exited 0,
 * else 0.  *NONEMPTY (may be NULL) says whether it printed anything.
 */
static int context_run(const char *command, char *buf, size_t len, int *nonempty)
{
    FILE *f = popen(command, "r");
    char line[512];
    int any = 0;

    buf[0] = '\0';
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        if (!any) {
            size_t n = strcspn(line, "\n");
            if (n >= len)
                n = len - 1;
            memcpy(buf, line, n);
            buf[n] = '\0';
        }
        any = 1;
    }
    int st = pclose(f);
    if (nonempty)
        *nonempty = any;
    return st == 0;
}

static int context_git(results_context *ctx)
{
    char commit[128], branch[256], dummy[8];
    int dirty = 0;

    ctx->git_dirty = -1;
    if (!context_run("git rev-parse --verify -q HEAD 2>/dev/null", commit, sizeof commit,
                     NULL) || !commit[0])
        return 0;
    if (results_set_str(&ctx->git_commit, commit) != 0)
        return -1;
    if (context_run("git symbolic-ref --short -q HEAD 2>/dev/null", branch, sizeof branch,
                    NULL) && branch[0] &&
        results_set_str(&ctx->git_branch, branch) != 0)
        return -1;
    if (context_run("git status --porcelain --untracked-files=no 2>/dev/null", dummy,
                    sizeof dummy, &dirty))
        ctx->git_dirty = dirty ? 1 : 0;
    return 0;
}

int context_file_id(const char *path, char *buf, size_t len)
{
    unsigned char block[65536];
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (len)
        buf[0] = '\0';
    if (fd < 0)
        return -1;
    while ((n = read(fd, block, sizeof block)) > 0 || (n < 0 && errno == EINTR))
        for (ssize_t i = 0; i < n; i++) {
            h ^= block[i];
            h *= UINT64_C(0x100000001b3);
        }
    close(fd);
    if (n < 0)
        return -1;
    snprintf(buf, len, "fnv1a64:%016llx", (unsigned long long)h);
    return 0;
}

int context_fill(results_context *ctx, int argc, char **argv, const char *compiler,
                 const char *cflags)
{
    char buf[512];
    struct utsname u;
    time_t now = time(NULL);
    char *cmd = NULL;
    int rc = -1;

    if (results_format_time(now, buf, sizeof buf) == 0) {
        if (results_set_str(&ctx->timestamp, buf) != 0)
            goto out;
    }
    if (gethostname(buf, sizeof buf) != 0)
        snprintf(buf, sizeof buf, "unknown");
    buf[sizeof buf - 1] = '\0';
    if (results_set_str(&ctx->host, buf) != 0)
        goto out;
    context_cpu_model(buf, sizeof buf);
    if (results_set_str(&ctx->cpu_model, buf) != 0)
        goto out;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    ctx->cpu_count = ncpu > 0 ? (int)ncpu : 1;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    if (results_set_str(&ctx->os, u.sysname[0] ? u.sysname : "unknown") != 0 ||
        results_set_str(&ctx->kernel, u.release[0] ? u.release : "unknown") != 0 ||
        results_set_str(&ctx->arch, u.machine[0] ? u.machine : "unknown") != 0 ||
        results_set_str(&ctx->compiler, compiler && *compiler ? compiler : "unknown") != 0 ||
        results_set_str(&ctx->cflags, cflags ? cflags : "") != 0 ||
        results_set_str(&ctx->library_version, perfcmp_version()) != 0)
        goto out;
    cmd = context_command_line(argc, argv);
    if (!cmd || results_set_str(&ctx->command, cmd) != 0)
        goto out;
    if (context_git(ctx) != 0)
        goto out;
    if (context_file_id("/proc/self/exe", buf, sizeof buf) == 0 && results_set_str(&ctx->binary_id, buf) != 0)
        goto out;
    rc = 0;
out:
    free(cmd);
    return rc;
}
