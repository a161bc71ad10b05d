/*
 * child.c - one child process with interrupts forwarded (see child.h).
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t child_sig;       /* the signal that interrupted us */
static volatile sig_atomic_t child_pgid;      /* the running child's process group */

static void on_signal(int sig)
{
    child_sig = sig;
    if (child_pgid > 0)
        kill(-(pid_t)child_pgid, sig);
}

int child_signal(void)
{
    return child_sig;
}

void child_handlers_install(child_handlers *old, int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old ? &old->intr : NULL);
    sigaction(SIGTERM, &sa, old ? &old->term : NULL);
    sigaction(SIGHUP, &sa, old ? &old->hup : NULL);
}

void child_handlers_restore(const child_handlers *old)
{
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGTERM, &old->term, NULL);
    sigaction(SIGHUP, &old->hup, NULL);
}

/* In the child: FD (0, 1 or 2) from /dev/null. */
static void devnull(int fd)
{
    int n = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);
    if (n >= 0 && n != fd) {
        dup2(n, fd);
        close(n);
    }
}

int child_spawn_wait(char *const *argv, const child_opts *o, int *status, struct rusage *ru)
{
    int pfd[2];
    pid_t pid;
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        setpgid(0, 0);
        if (o->in_devnull)
            devnull(STDIN_FILENO);
        if (o->out == CHILD_OUT_DEVNULL)
            devnull(STDOUT_FILENO);
        else if (o->out == CHILD_OUT_STDERR)
            dup2(STDERR_FILENO, STDOUT_FILENO);
        if (o->err_devnull)
            devnull(STDERR_FILENO);
        execvp(argv[0], argv);
        int e = errno;
        ssize_t w = write(pfd[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    /* Both sides set the group, so it exists before we may signal it. */
    setpgid(pid, pid);
    child_pgid = pid;
    close(pfd[1]);
    int child_errno = 0;
    ssize_t got;
    do {
        got = read(pfd[0], &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    close(pfd[0]);

    int rc = 0, st = 0;
    struct timespec tick = { 0, 10 * 1000 * 1000 };
    int waited_ms = 0, timed_out = 0;
    struct timespec t0;
    struct rusage use;
    memset(&use, 0, sizeof use);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        pid_t w = wait4(pid, &st, child_sig || o->timeout > 0 ? WNOHANG : 0, &use);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            rc = -1;
            break;
        }
        if (o->timeout > 0 && !timed_out && !child_sig) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double el = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
            if (el >= o->timeout) {
                timed_out = 1;
                kill(-pid, SIGTERM);
            } else {
                nanosleep(&tick, NULL);
                continue;
            }
        }
        if (child_sig || timed_out) {
            /* Forwarded already; give it two seconds, then kill it. */
            if (waited_ms >= 2000) {
                kill(-pid, SIGKILL);
                waited_ms = -1000000;
            }
            nanosleep(&tick, NULL);
            waited_ms += 10;
        }
    }
    child_pgid = 0;
    if (child_sig) {
        kill(-pid, SIGKILL); /* whatever the child left behind */
        return -2;
    }
    if (timed_out) {
        kill(-pid, SIGKILL);
        return -3;
    }
    if (got == (ssize_t)sizeof child_errno) {
        errno = child_errno;
        return -1;
    }
    *status = st;
    if (ru)
        *ru = use;
    return rc;
}
