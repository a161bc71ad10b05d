/*
 * child.c - one child process with interrupts forwarded (see child.h).
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

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

/*
 * Starts ARGV as O says with posix_spawnp, which glibc implements with a
 * vfork-like clone: no copy of our page tables, and an exec failure comes
 * back as the return value, so the start costs little and what we time
 * of a short command is mostly the command.  Returns the pid, or -1 with
 * errno set.
 */
static pid_t child_start(char *const *argv, const child_opts *o)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t def;
    pid_t pid = -1;
    int e;

    if ((e = posix_spawn_file_actions_init(&fa)) != 0) {
        errno = e;
        return -1;
    }
    if ((e = posix_spawnattr_init(&at)) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        errno = e;
        return -1;
    }
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    sigaddset(&def, SIGHUP);
    e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
    if (!e)
        e = posix_spawnattr_setpgroup(&at, 0);
    if (!e)
        e = posix_spawnattr_setsigdefault(&at, &def);
    if (!e && o->in_devnull)
        e = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (!e && o->out == CHILD_OUT_DEVNULL)
        e = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    else if (!e && o->out == CHILD_OUT_STDERR)
        e = posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
    if (!e && o->err_devnull)
        e = posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    if (!e) {
        fflush(stdout);
        fflush(stderr);
        e = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
    }
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    if (e) {
        errno = e;
        return -1;
    }
    return pid;
}

int child_spawn_wait(char *const *argv, const child_opts *o, int *status, struct rusage *ru)
{
    pid_t pid = child_start(argv, o);
    if (pid < 0)
        return -1;
    child_pgid = pid;
    if (child_sig)      /* came before we knew whom to pass it on to */
        kill(-pid, child_sig);

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
    *status = st;
    if (ru)
        *ru = use;
    return rc;
}
