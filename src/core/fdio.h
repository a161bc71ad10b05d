/*
 * fdio.h - writing to a file descriptor without losing part of the data
 * to a short write or a signal.
 */
#ifndef PERFCMP_FDIO_H
#define PERFCMP_FDIO_H

#include <stddef.h>

/*
 * Writes all N bytes at BUF to FD, retrying after short writes and
 * EINTR.  Returns 0, or -1 with errno set (EIO if write() wrote nothing
 * without an error).  Some bytes may have been written on failure.
 */
int fdio_write_all(int fd, const void *buf, size_t n);

/*
 * 1 when PATH exists and is not a regular file: a device such as
 * /dev/null, a FIFO, a socket, or a symbolic link (/dev/stdout, or one
 * the user made).  Such an output is written in place, through the
 * link: the usual temporary file renamed over PATH would put a regular
 * file where the device or the link was (and, run as root, replace
 * /dev/null itself).  0 when PATH does not exist, is a regular file, or
 * cannot be examined (the atomic write then reports the error).
 */
int fdio_in_place(const char *path);

/*
 * Opens PATH to write it in place: O_WRONLY | O_TRUNC | O_CLOEXEC,
 * never created (see fdio_in_place).  Returns the descriptor (the
 * caller closes it), or -1 with errno set.
 */
int fdio_open_in_place(const char *path);

/*
 * Writes N bytes at BUF to PATH in place (fdio_open_in_place, then
 * whole, then closed).  Returns 0, or -1 with errno set.
 */
int fdio_write_in_place(const char *path, const void *buf, size_t n);

#endif
