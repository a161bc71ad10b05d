/*
 * child.c - one child process with interrupts forwarded (see child.h).
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
static pid_t child_start(char *const *argv, const child_opts *o, int out_fd)
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
    if (!e && out_fd >= 0)
        e = posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    else if (!e && o->out == CHILD_OUT_DEVNULL)
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

/*
 * Reads FD to its end into a malloc'd string (*OUT, NUL-terminated).
 * Stops early when an interrupt came.  Returns 0, or -1 (ENOMEM, or the
 * read's errno); *OUT is NULL then.
 */
static int read_to_end(int fd, char **out)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    *out = NULL;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + len, cap - len - 1);
        if (got < 0 && errno == EINTR && !child_sig)
            continue;
        if (got < 0 && !child_sig) {
            int e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

char *child_find_program(const char *prog)
{
    struct stat st;
    if (strchr(prog, '/')) {
        if (stat(prog, &st) != 0)
            return NULL;
        if (!S_ISREG(st.st_mode) || access(prog, X_OK) != 0) {
            errno = EACCES;
            return NULL;
        }
        return strdup(prog);
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/bin:/usr/bin";
    int denied = 0;
    size_t plen = strlen(prog);
    for (const char *p = path;;) {
        size_t l = strcspn(p, ":");
        char *cand = malloc(l + plen + 3);
        if (!cand)
            return NULL;
        if (l == 0)
            snprintf(cand, l + plen + 3, "./%s", prog);
        else
            snprintf(cand, l + plen + 3, "%.*s/%s", (int)l, p, prog);
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(cand, X_OK) == 0)
                return cand;
            denied = 1;
        }
        free(cand);
        if (!p[l])
            break;
        p += l + 1;
    }
    errno = denied ? EACCES : ENOENT;
    return NULL;
}


int child_spawn_wait(char *const *argv, const child_opts *o, int *status, struct rusage *ru)
{
    /* posix_spawnp reports a failed exec through memory it shares with
     * the child; where that is not shared (under valgrind, which runs a
     * vfork as a fork) the failure looks like a child that exited 127.
     * Finding the program first gives the same error everywhere. */
    char *prog = child_find_program(argv[0]);
    if (!prog)
        return -1;
    free(prog);
    int pfd[2] = { -1, -1 };
    if (o->capture && pipe2(pfd, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = child_start(argv, o, pfd[1]);
    if (pfd[1] >= 0)
        close(pfd[1]);
    if (pid < 0) {
        int e = errno;
        if (pfd[0] >= 0)
            close(pfd[0]);
        errno = e;
        return -1;
    }
    child_pgid = pid;
    if (child_sig)      /* came before we knew whom to pass it on to */
        kill(-pid, child_sig);

    char *text = NULL;
    int read_errno = 0;
    if (pfd[0] >= 0) {
        /* to the end before waiting: a child that fills the pipe would
         * otherwise never end */
        if (read_to_end(pfd[0], &text) != 0)
            read_errno = errno;
        close(pfd[0]);
    }

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
        free(text);
        return -2;
    }
    if (timed_out) {
        kill(-pid, SIGKILL);
        free(text);
        return -3;
    }
    if (rc == 0 && o->capture && !text) {
        errno = read_errno ? read_errno : ENOMEM;
        rc = -1;
    }
    if (rc != 0) {
        free(text);
        return rc;
    }
    if (o->capture)
        *o->capture = text;
    *status = st;
    if (ru)
        *ru = use;
    return rc;
}

/* --- the launcher ---------------------------------------------------------- */

/* A request to the launcher: what to run (pointers valid in its copy of
 * our memory) and how. */
typedef struct launch_req {
    char *const *argv;
    child_opts opts;
} launch_req;

/* Its answers: first the pid (0 when the start failed), then the end. */
typedef struct launch_start {
    pid_t pid;
    int err;                /* errno of a failed start */
} launch_start;

typedef struct launch_end {
    int status;
    double wall_ns;
    struct rusage ru;
} launch_end;

/* Reads exactly LEN bytes; EINTR is retried unless STOP_ON_SIGNAL and an
 * interrupt came.  Returns 0, or -1 (EOF, error, or interrupted). */
static int read_full(int fd, void *buf, size_t len, int stop_on_signal)
{
    char *p = buf;
    while (len) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR && !(stop_on_signal && child_sig))
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* The launcher's loop: serves requests until its input closes. */
static void launcher_serve(int in, int out)
{
    launch_req rq;
    while (read_full(in, &rq, sizeof rq, 0) == 0) {
        launch_start ls = { 0, 0 };
        launch_end le;
        memset(&le, 0, sizeof le);
        double t0 = now_ns();
        pid_t pid = child_start(rq.argv, &rq.opts, -1);
        if (pid < 0) {
            ls.err = errno;
            if (write_full(out, &ls, sizeof ls) != 0)
                return;
            continue;
        }
        ls.pid = pid;
        if (write_full(out, &ls, sizeof ls) != 0)
            return;
        while (wait4(pid, &le.status, 0, &le.ru) < 0 && errno == EINTR)
            ;
        le.wall_ns = now_ns() - t0;
        if (write_full(out, &le, sizeof le) != 0)
            return;
    }
}

int child_launcher_start(child_launcher *l)
{
    int req[2], resp[2];
    l->pid = -1;
    l->req_fd = l->resp_fd = -1;
    if (pipe2(req, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(resp, O_CLOEXEC) != 0) {
        int e = errno;
        close(req[0]);
        close(req[1]);
        errno = e;
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(req[0]);
        close(req[1]);
        close(resp[0]);
        close(resp[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        /* Interrupts are ours to pass on, not its to die of; it dies
         * with us. */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(req[1]);
        close(resp[0]);
        launcher_serve(req[0], resp[1]);
        _exit(0);
    }
    close(req[0]);
    close(resp[1]);
    l->pid = pid;
    l->req_fd = req[1];
    l->resp_fd = resp[0];
    return 0;
}

void child_launcher_stop(child_launcher *l)
{
    if (!l || l->pid <= 0)
        return;
    close(l->req_fd);
    close(l->resp_fd);
    while (waitpid(l->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    l->pid = -1;
    l->req_fd = l->resp_fd = -1;
}

int child_launcher_run(child_launcher *l, char *const *argv, const child_opts *o, int *status,
                       struct rusage *ru, double *wall_ns)
{
    launch_req rq;
    launch_start ls;
    launch_end le;
    memset(&rq, 0, sizeof rq);
    rq.argv = argv;
    rq.opts = *o;
    rq.opts.timeout = 0;
    if (write_full(l->req_fd, &rq, sizeof rq) != 0 || read_full(l->resp_fd, &ls, sizeof ls, 0) != 0) {
        errno = EPIPE;
        return -1;
    }
    if (!ls.pid) {
        errno = ls.err;
        return -1;
    }
    child_pgid = ls.pid;
    if (child_sig)      /* came before we knew whom to pass it on to */
        kill(-ls.pid, child_sig);
    int waited_ms = 0;
    for (;;) {
        if (!child_sig) {
            if (read_full(l->resp_fd, &le, sizeof le, 1) == 0)
                break;
            if (!child_sig) {
                child_pgid = 0;
                errno = EPIPE;
                return -1;
            }
            continue;
        }
        /* Forwarded already; give it two seconds, then kill it. */
        struct pollfd p = { l->resp_fd, POLLIN, 0 };
        int r = poll(&p, 1, 10);
        if (r > 0) {
            if (read_full(l->resp_fd, &le, sizeof le, 0) != 0)
                le.status = 0;
            break;
        }
        waited_ms += 10;
        if (waited_ms >= 2000) {
            kill(-ls.pid, SIGKILL);
            waited_ms = -1000000;
        }
    }
    child_pgid = 0;
    if (child_sig) {
        kill(-ls.pid, SIGKILL);
        return -2;
    }
    *status = le.status;
    if (ru)
        *ru = le.ru;
    if (wall_ns)
        *wall_ns = le.wall_ns;
    return 0;
}
