/*
 * isolate.c - fork, pipe, timeout and crash capture.
 *
 * The child writes one self-delimiting message (measure_encode) to the
 * pipe and _exit(0)s; it never returns into the caller's code.  The
 * parent reads until the message is complete or the pipe closes, then
 * reaps the child; at the deadline it kills it.  Stdio buffers are
 * flushed before fork() so that a child that calls exit() does not print
 * the parent's pending output a second time.
 */
#include "isolate.h"
#include "../core/fdio.h"
#include "clocks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit status of a child that ran out of memory before it could report. */
#define ISOLATE_EXIT_NOMEM 70

#ifdef PERFCMP_COVERAGE
/* libgcov (make coverage): writes this process's counts, which _exit()
 * would otherwise drop. */
void __gcov_dump(void);
#endif

static void isolate_child(int fd, perfcmp_fn fn, const long long *args, size_t nargs,
                          const sample_opts *o)
{
    measure m;
    unsigned char *buf = NULL;
    size_t len = 0;
    int code = ISOLATE_EXIT_NOMEM;

    measure_init(&m);
    if (sample_run(fn, args, nargs, o, &m) == 0 && (buf = measure_encode(&m, &len)))
        code = fdio_write_all(fd, buf, len) == 0 ? 0 : 71;
    free(buf);
    measure_release(&m);
    close(fd);
    fflush(NULL); /* what the benchmark printed: _exit() does not flush */
#ifdef PERFCMP_COVERAGE
    __gcov_dump();
#endif
    _exit(code);
}

static int isolate_fail(measure *m, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int isolate_fail(measure *m, int status, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    measure_release(m);
    return measure_set_status(m, status, msg);
}

/* Appends up to what is readable from FD to *BUF.  Returns bytes read,
 * 0 at end of file, -1 on a read error, -2 on ENOMEM. */
static ssize_t isolate_read(int fd, unsigned char **buf, size_t *len, size_t *cap)
{
    if (*cap - *len < 4096) {
        size_t ncap = *cap ? *cap * 2 : 16384;
        unsigned char *p = realloc(*buf, ncap);
        if (!p)
            return -2;
        *buf = p;
        *cap = ncap;
    }
    for (;;) {
        ssize_t r = read(fd, *buf + *len, *cap - *len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r > 0)
            *len += (size_t)r;
        return r;
    }
}

int isolate_run(perfcmp_fn fn, const long long *args, size_t nargs, const sample_opts *o,
                double timeout, isolate_tick_fn tick, void *ctx, measure *m)
{
    int fds[2] = { -1, -1 };
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0, want = 0;
    int status = 0, timed_out = 0, rc = 0, eof = 0;
    uint64_t start, deadline;
    pid_t pid;

    if (pipe2(fds, O_CLOEXEC) != 0)
        return isolate_fail(m, MEASURE_FAILED, "cannot create a pipe: %s", strerror(errno));
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return isolate_fail(m, MEASURE_FAILED, "cannot fork: %s", strerror(e));
    }
    if (pid == 0) {
        close(fds[0]);
        isolate_child(fds[1], fn, args, nargs, o);
    }
    close(fds[1]);

    start = clocks_wall_ns();
    deadline = start + (uint64_t)(timeout * 1e9);

    /* read the message */
    while (!eof && (want == 0 || len < want)) {
        uint64_t now = clocks_wall_ns();
        if (now >= deadline) {
            timed_out = 1;
            break;
        }
        uint64_t left_ms = (deadline - now + 999999) / 1000000;
        struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
        int pr = poll(&pfd, 1, left_ms < 100 ? (int)left_ms : 100);
        if (tick)
            tick(ctx, (double)(clocks_wall_ns() - start) * 1e-9);
        if (pr < 0 && errno != EINTR)
            break;
        if (pr <= 0)
            continue;
        ssize_t r = isolate_read(fds[0], &buf, &len, &cap);
        if (r == -2) {
            rc = -1;
            timed_out = 1; /* kill it: we cannot take its answer */
            break;
        }
        if (r <= 0)
            eof = 1;
        if (want == 0)
            want = measure_message_size(buf, len);
        if (want == SIZE_MAX)
            eof = 1;
    }
    close(fds[0]);

    /* reap the child: it exits right after writing */
    while (!timed_out) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            status = 0;
            break;
        }
        if (clocks_wall_ns() >= deadline) {
            timed_out = 1;
            break;
        }
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
        if (tick)
            tick(ctx, (double)(clocks_wall_ns() - start) * 1e-9);
    }
    if (timed_out) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }

    if (rc != 0) {
        /* out of memory in the parent */
    } else if (timed_out) {
        rc = isolate_fail(m, MEASURE_TIMEOUT, "timeout after %.1f s", timeout);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *what = strsignal(sig);
        rc = isolate_fail(m, MEASURE_CRASHED, "signal %d (%s)", sig, what ? what : "unknown");
    } else if (WIFEXITED(status) && (WEXITSTATUS(status) != 0 || want == 0)) {
        rc = isolate_fail(m, MEASURE_CRASHED, "exited with status %d", WEXITSTATUS(status));
    } else if (want == SIZE_MAX || len != want || measure_decode(buf, len, m) != 0) {
        rc = isolate_fail(m, MEASURE_FAILED, "malformed result from the benchmark process");
    }
    free(buf);
    return rc;
}
