/*
 * test_fdio.c - fdio_write_all delivers every byte through a pipe larger
 * than the pipe's buffer, and reports a bad descriptor with errno; an
 * output that is a device, a FIFO or a symbolic link is written in
 * place, never replaced by a regular file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* A fresh directory under TMPDIR (or /tmp) in DIR; the test removes it. */
static void make_dir(char *dir, size_t n)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, n, "%s/perfcmp-fdio-XXXXXX", t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(dir));
}

static void only_what_is_not_a_regular_file_is_written_in_place(void **state)
{
    (void)state;
    char dir[4096], file[4200], link[4200], fifo[4200], none[4200];
    make_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(none, sizeof none, "%s/none", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(symlink(file, link), 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);

    assert_int_equal(fdio_in_place(none), 0);   /* created by a rename */
    assert_int_equal(fdio_in_place(file), 0);   /* replaced by a rename */
    assert_int_equal(fdio_in_place(link), 1);
    assert_int_equal(fdio_in_place(fifo), 1);
    assert_int_equal(fdio_in_place("/dev/null"), 1);

    unlink(file);
    unlink(link);
    unlink(fifo);
    rmdir(dir);
}

static void a_symlink_keeps_pointing_at_the_file_it_wrote(void **state)
{
    (void)state;
    char dir[4096], file[4200], link[4200], got[64] = "";
    make_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("an older and longer content", f);
    fclose(f);
    assert_int_equal(symlink("file", link), 0);

    assert_int_equal(fdio_write_in_place(link, "new", 3), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    f = fopen(file, "r");
    assert_non_null(f);
    assert_non_null(fgets(got, sizeof got, f));
    fclose(f);
    assert_string_equal(got, "new");   /* truncated, then written */

    unlink(link);
    unlink(file);
    rmdir(dir);
}

static void a_fifo_gets_the_bytes_and_stays_a_fifo(void **state)
{
    (void)state;
    char dir[4096], fifo[4200], got[16] = "";
    make_dir(dir, sizeof dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int rfd = open(fifo, O_RDONLY | O_NONBLOCK);   /* a reader, so the open does not wait */
    assert_true(rfd >= 0);

    assert_int_equal(fdio_write_in_place(fifo, "bytes", 5), 0);
    assert_int_equal(read(rfd, got, sizeof got - 1), 5);
    assert_string_equal(got, "bytes");
    struct stat st;
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));

    close(rfd);
    unlink(fifo);
    rmdir(dir);
}

static void a_missing_path_is_not_created_in_place(void **state)
{
    (void)state;
    char dir[4096], none[4200];
    make_dir(dir, sizeof dir);
    snprintf(none, sizeof none, "%s/none", dir);
    errno = 0;
    assert_int_equal(fdio_write_in_place(none, "x", 1), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(access(none, F_OK), -1);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_byte_arrives_through_a_pipe_smaller_than_the_data),
        cmocka_unit_test(nothing_to_write_succeeds_without_writing),
        cmocka_unit_test(a_bad_descriptor_fails_with_its_errno),
        cmocka_unit_test(only_what_is_not_a_regular_file_is_written_in_place),
        cmocka_unit_test(a_symlink_keeps_pointing_at_the_file_it_wrote),
        cmocka_unit_test(a_fifo_gets_the_bytes_and_stays_a_fifo),
        cmocka_unit_test(a_missing_path_is_not_created_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
