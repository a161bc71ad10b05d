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

#endif
