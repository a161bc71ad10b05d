/*
 * child.h - running one child process for `perfcmp run` and `perfcmp
 * exec`, with an interrupt of perfcmp forwarded to it.
 *
 * While the handlers are installed (child_handlers_install), SIGINT,
 * SIGTERM and SIGHUP are noted (child_signal) and passed on to the
 * running child's process group; child_spawn_wait then kills the child
 * if it has not stopped two seconds later and returns -2, so the caller
 * can clean up and exit 128+signal without recording anything.
 *
 * Nothing here allocates; nothing is printed.
 */
#ifndef PERFCMP_CHILD_H
#define PERFCMP_CHILD_H

#include <signal.h>
#include <sys/resource.h>

/* The handlers that were in place before child_handlers_install. */
typedef struct child_handlers {
    struct sigaction intr, term, hup;
} child_handlers;

/* The signal that interrupted us since the handlers were installed (the
 * last one), or 0. */
int child_signal(void);

/*
 * Installs the forwarding handler for SIGINT, SIGTERM and SIGHUP, saving
 * the old handlers into OLD when it is not NULL.  Without RESTART an
 * interrupt breaks our waits so that we can stop the child; with it, the
 * system calls it lands in resume: for the time a run is stored and the
 * report written, so that a late interrupt can cut neither short.
 */
void child_handlers_install(child_handlers *old, int restart);

/* Puts back the handlers OLD saved. */
void child_handlers_restore(const child_handlers *old);

/* Where the child's standard output goes. */
typedef enum child_out {
    CHILD_OUT_INHERIT = 0,  /* ours */
    CHILD_OUT_DEVNULL,      /* /dev/null */
    CHILD_OUT_STDERR        /* our standard error */
} child_out;

typedef struct child_opts {
    child_out out;          /* standard output */
    int err_devnull;        /* 1: standard error to /dev/null too */
    int in_devnull;         /* 1: standard input from /dev/null */
    double timeout;         /* seconds; 0: no limit */
    char **capture;         /* not NULL: standard output is read into a
                               malloc'd, NUL-terminated *capture (the
                               caller frees it) and OUT is ignored;
                               child_spawn_wait only */
} child_opts;

/*
 * The file PROG names, searched in PATH as execvp does when it has no
 * '/'.  Returns it malloc'd (the caller frees it), or NULL with errno
 * ENOENT (nowhere), EACCES (found but not a regular executable file) or
 * ENOMEM.
 */
char *child_find_program(const char *prog);

/*
 * Runs ARGV (ARGV[0] searched in PATH, ARGV NULL-terminated) in its own
 * process group as O says and waits for it.  The child is started with
 * posix_spawnp (a vfork-like clone: cheap, whatever our size), so a
 * script must start with #! (there is no fallback to sh for ENOEXEC).  Returns 0 with *STATUS set
 * (a wait status) and, when RU is not NULL, *RU the child's resource use
 * (wait4); -1 when it cannot start (errno set: ENOENT for a missing
 * program, EACCES, ...); -2 when an interrupt came (child_signal() says
 * which; the child was killed); -3 when O->timeout seconds passed (the
 * child got SIGTERM, then SIGKILL two seconds later).  With O->capture,
 * *O->capture is set only when 0 is returned (-1 with ENOMEM when the
 * output could not be held).
 */
int child_spawn_wait(char *const *argv, const child_opts *o, int *status, struct rusage *ru);

/*
 * A launcher: a small copy of this process, forked early, that starts
 * children for us.  A child's peak RSS (ru_maxrss) counts the memory of
 * the process it was started from, since the kernel takes the peak of
 * the old address space at exec; started from the launcher, made before
 * a baseline or the database is loaded, that floor is small and the same
 * from run to run, whatever perfcmp holds by then.  The launcher also
 * takes the wall time, around its own spawn and wait4, so the messages
 * between us are not timed.  It ignores SIGINT, SIGTERM and SIGHUP and
 * dies with us (PR_SET_PDEATHSIG).
 */
typedef struct child_launcher {
    int pid;                /* -1 when not running */
    int req_fd, resp_fd;
} child_launcher;

/* Forks the launcher into L.  Returns 0, or -1 with errno set. */
int child_launcher_start(child_launcher *l);

/*
 * child_spawn_wait through launcher L, also giving the wall time in
 * nanoseconds (*WALL_NS, may be NULL).  ARGV and the strings it points
 * to must have existed, unchanged, when L was started: the launcher
 * reads them in its copy of our memory.  O->timeout is not supported
 * (ignored).  Returns 0, -1 (errno set; EPIPE when the launcher is gone)
 * or -2 as child_spawn_wait does.
 */
int child_launcher_run(child_launcher *l, char *const *argv, const child_opts *o, int *status,
                       struct rusage *ru, double *wall_ns);

/* Stops L and waits for it; accepts NULL and a launcher never started. */
void child_launcher_stop(child_launcher *l);

#endif
