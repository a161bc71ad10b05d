/*
 * instr.c - perf_event_open counters and callgrind plumbing (see instr.h).
 */
#include "instr.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define INSTR_HAVE_VALGRIND_H 1
#endif
#endif
#ifndef INSTR_HAVE_VALGRIND_H
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_DUMP_STATS_AT(label) ((void)(label))
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define INSTR_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define INSTR_SANITIZER 1
#endif

/* ------------------------------------------------------------------ */
/* perf_event_open                                                     */
/* ------------------------------------------------------------------ */

static const struct {
    const char *name;
    uint32_t type;
    uint64_t config;
} instr_events[INSTR_NEVENTS] = {
    [INSTR_INSTRUCTIONS] = { "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
    [INSTR_CYCLES] = { "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
    [INSTR_BRANCHES] = { "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
    [INSTR_BRANCH_MISSES] = { "branch_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
    [INSTR_CACHE_MISSES] = { "cache_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
    [INSTR_TASK_CLOCK] = { "task_clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
    [INSTR_PAGE_FAULTS] = { "page_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
    [INSTR_CONTEXT_SWITCHES] = { "context_switches", PERF_TYPE_SOFTWARE,
                                 PERF_COUNT_SW_CONTEXT_SWITCHES },
};

const char *instr_event_name(instr_event e)
{
    if ((int)e < 0 || e >= INSTR_NEVENTS)
        return NULL;
    return instr_events[e].name;
}

const char *instr_event_unit(instr_event e)
{
    if ((int)e < 0 || e >= INSTR_NEVENTS)
        return NULL;
    return e == INSTR_TASK_CLOCK ? "ns" : "count";
}

int instr_event_parse(const char *name, size_t len)
{
    if (name == NULL)
        return -1;
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        const char *n = instr_events[e].name;
        size_t i;
        if (strlen(n) != len)
            continue;
        for (i = 0; i < len; i++) {
            char c = name[i] == '-' ? '_' : name[i];
            if (c != n[i])
                break;
        }
        if (i == len)
            return e;
    }
    return -1;
}

int instr_parse_list(const char *list, unsigned *mask, char *bad, size_t badlen)
{
    const char *p = list;
    unsigned m = 0;

    if (bad != NULL && badlen > 0)
        bad[0] = '\0';
    if (list == NULL || *list == '\0')
        return -1;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        int e = instr_event_parse(p, len);
        if (e < 0) {
            if (bad != NULL && badlen > 0) {
                size_t n = len < badlen - 1 ? len : badlen - 1;
                memcpy(bad, p, n);
                bad[n] = '\0';
            }
            return -1;
        }
        m |= INSTR_MASK(e);
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    *mask = m;
    return 0;
}

void instr_counters_init(instr_counters *c)
{
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        c->fd[e] = -1;
        c->err[e] = 0;
        memset(c->base[e], 0, sizeof c->base[e]);
    }
    c->requested = 0;
    c->open = 0;
}

static int instr_perf_open(instr_event e)
{
    struct perf_event_attr attr;

    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = instr_events[e].type;
    attr.config = instr_events[e].config;
    attr.disabled = 1;
    attr.inherit = 1;            /* threads created later count too */
    attr.exclude_kernel = 1;     /* all that perf_event_paranoid = 2 allows */
    attr.exclude_hv = 1;
    attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

int instr_counters_open(instr_counters *c, unsigned mask)
{
    int n = 0;

    instr_counters_init(c);
    c->requested = mask & ((1u << INSTR_NEVENTS) - 1);
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        if (!(c->requested & INSTR_MASK(e)))
            continue;
        c->fd[e] = instr_perf_open((instr_event)e);
        if (c->fd[e] < 0) {
            c->err[e] = errno;
            c->fd[e] = -1;
            continue;
        }
        c->open |= INSTR_MASK(e);
        n++;
    }
    return n;
}

static int instr_counters_ioctl(instr_counters *c, unsigned long request)
{
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        if (c->fd[e] < 0)
            continue;
        if (ioctl(c->fd[e], request, 0) != 0)
            return -1;
    }
    return 0;
}

int instr_counters_start(instr_counters *c)
{
    if (instr_counters_ioctl(c, PERF_EVENT_IOC_RESET) != 0)
        return -1;
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        memset(c->base[e], 0, sizeof c->base[e]);
        if (c->fd[e] >= 0 && read(c->fd[e], c->base[e], sizeof c->base[e]) !=
                                 (ssize_t)sizeof c->base[e]) {
            memset(c->base[e], 0, sizeof c->base[e]);
            return -1;
        }
    }
    return instr_counters_ioctl(c, PERF_EVENT_IOC_ENABLE);
}

int instr_counters_pause(instr_counters *c)
{
    return instr_counters_ioctl(c, PERF_EVENT_IOC_DISABLE);
}

int instr_counters_resume(instr_counters *c)
{
    return instr_counters_ioctl(c, PERF_EVENT_IOC_ENABLE);
}

int instr_counters_stop(instr_counters *c, instr_values *out)
{
    int rc = 0, saved = 0;

    memset(out, 0, sizeof *out);
    for (int e = 0; e < INSTR_NEVENTS; e++)
        if (c->fd[e] >= 0 && ioctl(c->fd[e], PERF_EVENT_IOC_DISABLE, 0) != 0 && rc == 0) {
            rc = -1;
            saved = errno;
        }
    for (int e = 0; rc == 0 && e < INSTR_NEVENTS; e++) {
        uint64_t buf[3];           /* value, time enabled, time running */
        ssize_t got;
        if (c->fd[e] < 0)
            continue;
        got = read(c->fd[e], buf, sizeof buf);
        if (got != (ssize_t)sizeof buf) {
            rc = -1;
            saved = got < 0 ? errno : EIO;
            break;
        }
        for (int k = 0; k < 3; k++)
            buf[k] = buf[k] >= c->base[e][k] ? buf[k] - c->base[e][k] : 0;
        if (buf[2] == 0)           /* never scheduled on the PMU: no value */
            continue;
        if (buf[2] < buf[1]) {
            out->value[e] = (uint64_t)((double)buf[0] * (double)buf[1] / (double)buf[2]);
            out->scaled |= INSTR_MASK(e);
        } else {
            out->value[e] = buf[0];
        }
        out->valid |= INSTR_MASK(e);
    }
    if (rc != 0) {
        memset(out, 0, sizeof *out);
        errno = saved;
    }
    return rc;
}

void instr_counters_release(instr_counters *c)
{
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        if (c->fd[e] >= 0)
            close(c->fd[e]);
        c->fd[e] = -1;
    }
    c->open = 0;
}

const char *instr_strerror(int err)
{
    switch (err) {
    case 0: return "available";
    case ENOENT:
    case EOPNOTSUPP:
    case EINVAL: return "not supported by this CPU or virtual machine";
    case EACCES:
    case EPERM: return "not permitted (see /proc/sys/kernel/perf_event_paranoid)";
    case ENOSYS: return "perf_event_open is not available on this system";
    case EMFILE:
    case ENFILE: return "too many open files";
    case EBUSY: return "the counter is in use by another process";
    }
    return "cannot be opened";
}

int instr_perf_paranoid(void)
{
    char buf[32];
    int fd = open("/proc/sys/kernel/perf_event_paranoid", O_RDONLY | O_CLOEXEC);
    ssize_t n;
    int level = -100;

    if (fd < 0)
        return -100;
    n = read(fd, buf, sizeof buf - 1);
    if (n > 0) {
        char *end;
        long v;
        buf[n] = '\0';
        v = strtol(buf, &end, 10);
        if (end != buf && v > INT_MIN && v < INT_MAX)
            level = (int)v;
    }
    close(fd);
    return level;
}

/* ------------------------------------------------------------------ */
/* callgrind                                                           */
/* ------------------------------------------------------------------ */

int instr_under_valgrind(void)
{
    return RUNNING_ON_VALGRIND ? 1 : 0;
}

void instr_callgrind_begin(void)
{
    CALLGRIND_ZERO_STATS;
    CALLGRIND_START_INSTRUMENTATION;
}

void instr_callgrind_pause(void)
{
    CALLGRIND_STOP_INSTRUMENTATION;
}

void instr_callgrind_resume(void)
{
    CALLGRIND_START_INSTRUMENTATION;
}

void instr_callgrind_end(const char *label)
{
    CALLGRIND_STOP_INSTRUMENTATION;
    CALLGRIND_DUMP_STATS_AT(label != NULL ? label : "perfcmp");
}

#ifndef INSTR_SANITIZER
/* 1 when an executable NAME is on PATH. */
static int instr_on_path(const char *name)
{
    const char *path = getenv("PATH");
    const char *p;
    char full[PATH_MAX];

    if (path == NULL || *path == '\0')
        path = "/usr/local/bin:/usr/bin:/bin";
    for (p = path;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon != NULL ? (size_t)(colon - p) : strlen(p);
        int n = snprintf(full, sizeof full, "%.*s%s%s", (int)len, p, len ? "/" : "", name);
        if (n > 0 && (size_t)n < sizeof full && access(full, X_OK) == 0)
            return 1;
        if (colon == NULL)
            return 0;
        p = colon + 1;
    }
}
#endif

const char *instr_callgrind_unavailable(void)
{
#ifdef INSTR_SANITIZER
    return "valgrind cannot run sanitizer builds";
#else
    if (!instr_on_path("valgrind"))
        return "valgrind is not installed (not found on PATH)";
    return NULL;
#endif
}

/* Parses decimal field IDX (0-based) of the space-separated numbers in S. */
static int instr_nth_number(const char *s, int idx, uint64_t *out)
{
    for (int i = 0;; i++) {
        char *end;
        unsigned long long v;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s < '0' || *s > '9')
            return -1;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno != 0 || end == s)
            return -1;
        if (i == idx) {
            *out = v;
            return 0;
        }
        s = end;
    }
}

int instr_callgrind_parse_totals(const char *path, uint64_t *ir)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    int ir_idx = -1, rc = -1, err = EINVAL;
    int have_totals = 0, have_summary = 0;
    uint64_t totals = 0, summary = 0;
    char summary_line[4096] = "", totals_line[4096] = "";

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "events:", 7) == 0) {
            /* "events: Ir Dr Dw ..." : the index of Ir */
            const char *p = line + 7;
            int idx = 0;
            ir_idx = -1;
            for (;;) {
                size_t n;
                while (*p == ' ' || *p == '\t')
                    p++;
                n = strcspn(p, " \t\r\n");
                if (n == 0)
                    break;
                if (n == 2 && p[0] == 'I' && p[1] == 'r') {
                    ir_idx = idx;
                    break;
                }
                p += n;
                idx++;
            }
        } else if (strncmp(line, "totals:", 7) == 0) {
            snprintf(totals_line, sizeof totals_line, "%s", line + 7);
            have_totals = 1;
        } else if (strncmp(line, "summary:", 8) == 0) {
            snprintf(summary_line, sizeof summary_line, "%s", line + 8);
            have_summary = 1;
        }
    }
    if (ferror(f)) {
        err = errno != 0 ? errno : EIO;
        goto out;
    }
    if (ir_idx < 0)
        goto out;
    if (have_totals && instr_nth_number(totals_line, ir_idx, &totals) == 0) {
        *ir = totals;
        rc = 0;
    } else if (have_summary && instr_nth_number(summary_line, ir_idx, &summary) == 0) {
        *ir = summary;
        rc = 0;
    }
out:
    fclose(f);
    if (rc != 0)
        errno = err;
    return rc;
}

int instr_callgrind_collect(const char *out_file, uint64_t *ir, unsigned *nfiles)
{
    char part[PATH_MAX];
    uint64_t sum = 0, v;
    unsigned n = 0;

    for (unsigned i = 1;; i++) {
        int len = snprintf(part, sizeof part, "%s.%u", out_file, i);
        if (len < 0 || (size_t)len >= sizeof part) {
            errno = ENAMETOOLONG;
            return -1;
        }
        if (access(part, F_OK) != 0)
            break;
        if (instr_callgrind_parse_totals(part, &v) != 0)
            return -1;
        sum += v;
        n++;
    }
    if (access(out_file, F_OK) == 0) {
        if (instr_callgrind_parse_totals(out_file, &v) != 0)
            return -1;
        sum += v;
        n++;
    }
    if (n == 0) {
        errno = ENOENT;
        return -1;
    }
    *ir = sum;
    if (nfiles != NULL)
        *nfiles = n;
    return 0;
}

#define INSTR_MAX_ARGS 256

int instr_callgrind_run(char *const argv[], const char *out_file, const char *log_file,
                        int *status)
{
    return instr_callgrind_run_timed(argv, out_file, log_file, 0, status);
}

/* Monotonic time in seconds. */
static double instr_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int instr_callgrind_run_timed(char *const argv[], const char *out_file, const char *log_file,
                              double timeout, int *status)
{
    char outarg[PATH_MAX + 32];
    char *args[INSTR_MAX_ARGS + 5];
    int pfd[2], n = 0, len, child_errno = 0, wstatus = 0, logfd;
    pid_t pid;
    ssize_t got;

    if (argv == NULL || argv[0] == NULL || out_file == NULL || status == NULL) {
        errno = EINVAL;
        return -1;
    }
    len = snprintf(outarg, sizeof outarg, "--callgrind-out-file=%s", out_file);
    if (len < 0 || (size_t)len >= sizeof outarg) {
        errno = ENAMETOOLONG;
        return -1;
    }
    args[n++] = (char *)"valgrind";
    args[n++] = (char *)"--tool=callgrind";
    args[n++] = (char *)"--instr-atstart=no";
    args[n++] = outarg;
    for (int i = 0; argv[i] != NULL; i++) {
        if (i >= INSTR_MAX_ARGS) {
            errno = E2BIG;
            return -1;
        }
        args[n++] = argv[i];
    }
    args[n] = NULL;

    logfd = log_file != NULL
                ? open(log_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)
                : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (logfd < 0)
        return -1;
    /* a close-on-exec pipe tells the parent whether execvp failed */
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        int e = errno;
        close(logfd);
        errno = e;
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        close(logfd);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        int e;
        close(pfd[0]);
        /* dup2 clears close-on-exec on the copies */
        dup2(logfd, STDOUT_FILENO);
        dup2(logfd, STDERR_FILENO);
        execvp(args[0], args);
        e = errno;
        if (write(pfd[1], &e, sizeof e) < 0) {
            /* nothing more can be reported */
        }
        _exit(127);
    }
    close(pfd[1]);
    close(logfd);
    do {
        got = read(pfd[0], &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    close(pfd[0]);
    if (timeout > 0) {
        double deadline = instr_now() + timeout;
        for (;;) {
            pid_t w = waitpid(pid, &wstatus, WNOHANG);
            if (w == pid)
                break;
            if (w < 0 && errno != EINTR)
                return -1;
            if (instr_now() >= deadline) {
                kill(pid, SIGKILL);
                while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
                    ;
                errno = ETIMEDOUT;
                return -1;
            }
            struct timespec ts = { 0, 10000000 };
            nanosleep(&ts, NULL);
        }
    } else {
        while (waitpid(pid, &wstatus, 0) < 0) {
            if (errno != EINTR)
                return -1;
        }
    }
    if (got == (ssize_t)sizeof child_errno) {
        errno = child_errno;
        return -1;
    }
    *status = wstatus;
    return 0;
}
