/*
 * test_fdio.c - fdio_write_all delivers every byte through a pipe larger
 * than the pipe's buffer, and reports a bad descriptor with errno.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fdio.h"

#define BIG (1u << 20)      /* 16 times Linux's default 64 KiB pipe buffer */

typedef struct reader {
    int fd;
    unsigned char *buf;
    size_t got;
} reader;

static void *read_all(void *arg)
{
    reader *r = arg;
    for (;;) {
        ssize_t n = read(r->fd, r->buf + r->got, BIG + 1 - r->got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        r->got += (size_t)n;
    }
    return NULL;
}

static void every_byte_arrives_through_a_pipe_smaller_than_the_data(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    unsigned char *data = malloc(BIG);
    reader r = { fds[0], malloc(BIG + 1), 0 };
    assert_non_null(data);
    assert_non_null(r.buf);
    for (size_t i = 0; i < BIG; i++)
        data[i] = (unsigned char)(i * 7 + i / 251);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, read_all, &r), 0);
    assert_int_equal(fdio_write_all(fds[1], data, BIG), 0);
    close(fds[1]);
    pthread_join(t, NULL);
    close(fds[0]);
    assert_int_equal(r.got, BIG);
    assert_memory_equal(r.buf, data, BIG);
    free(data);
    free(r.buf);
}

static void nothing_to_write_succeeds_without_writing(void **state)
{
    (void)state;
    assert_int_equal(fdio_write_all(-1, "", 0), 0);
}

static void a_bad_descriptor_fails_with_its_errno(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    close(fds[1]);
    errno = 0;
    assert_int_equal(fdio_write_all(fds[1], "x", 1), -1);
    assert_int_equal(errno, EBADF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_byte_arrives_through_a_pipe_smaller_than_the_data),
        cmocka_unit_test(nothing_to_write_succeeds_without_writing),
        cmocka_unit_test(a_bad_descriptor_fails_with_its_errno),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
