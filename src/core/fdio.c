/*
 * fdio.c - whole writes to a file descriptor (see fdio.h).
 */
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int fdio_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int fdio_in_place(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    return !S_ISREG(st.st_mode);
}

int fdio_open_in_place(const char *path)
{
    int fd;
    do {
        fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);   /* a FIFO waits for its reader */
    return fd;
}

int fdio_write_in_place(const char *path, const void *buf, size_t n)
{
    int fd = fdio_open_in_place(path);
    if (fd < 0)
        return -1;
    if (fdio_write_all(fd, buf, n) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}
