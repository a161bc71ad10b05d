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
} child_opts;

/*
 * Runs ARGV (ARGV[0] searched in PATH, ARGV NULL-terminated) in its own
 * process group as O says and waits for it.  The child is started with
 * posix_spawnp (a vfork-like clone: cheap, whatever our size), so a
 * script must start with #! (there is no fallback to sh for ENOEXEC).  Returns 0 with *STATUS set
 * (a wait status) and, when RU is not NULL, *RU the child's resource use
 * (wait4); -1 when it cannot start (errno set: ENOENT for a missing
 * program, EACCES, ...); -2 when an interrupt came (child_signal() says
 * which; the child was killed); -3 when O->timeout seconds passed (the
 * child got SIGTERM, then SIGKILL two seconds later).
 */
int child_spawn_wait(char *const *argv, const child_opts *o, int *status, struct rusage *ru);

#endif
