/*
 * test_instr.c - event counters (perf_event_open) and callgrind
 * instruction counts.  The callgrind tests re-execute this test binary
 * under `valgrind --tool=callgrind` with --callgrind-child N, which runs a
 * workload of N steps between instr_callgrind_begin and _end.  Skipped,
 * with the reason, where valgrind is missing or cannot run this build, and
 * where the kernel does not offer an event.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/instr.h"

static char self_path[PATH_MAX];
static char tmpdir[64];

static volatile uint64_t sink;

/* A workload of N steps, a few instructions each. */
static void __attribute__((noinline)) workload(uint64_t n)
{
    uint64_t s = 1;

    for (uint64_t i = 0; i < n; i++)
        s = s * 6364136223846793005ull + i;
    sink = s;
}

/* N counted steps; with PAUSED, as many again while paused. */
static int child_main(const char *arg, int paused)
{
    uint64_t n = strtoull(arg, NULL, 10);

    instr_callgrind_begin();
    workload(n);
    if (paused) {
        instr_callgrind_pause();
        workload(n);
        instr_callgrind_resume();
    }
    instr_callgrind_end("workload");
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static void path_in_tmp(char *buf, size_t len, const char *name)
{
    int n = snprintf(buf, len, "%s/%s", tmpdir, name);
    assert_true(n > 0 && (size_t)n < len);
}

/* Removes OUT, OUT.1, OUT.2, ... */
static void remove_outputs(const char *out)
{
    char part[PATH_MAX + 16];

    unlink(out);
    for (unsigned i = 1; i < 100; i++) {
        snprintf(part, sizeof part, "%s.%u", out, i);
        if (unlink(part) != 0)
            break;
    }
}

/* ------------------------------------------------------------------ */
/* names and lists                                                      */
/* ------------------------------------------------------------------ */

static void event_names_parse_both_spellings(void **unused)
{
    assert_string_equal(instr_event_name(INSTR_INSTRUCTIONS), "instructions");
    assert_string_equal(instr_event_name(INSTR_BRANCH_MISSES), "branch_misses");
    assert_null(instr_event_name(INSTR_NEVENTS));
    assert_string_equal(instr_event_unit(INSTR_TASK_CLOCK), "ns");
    assert_string_equal(instr_event_unit(INSTR_CYCLES), "count");
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        const char *n = instr_event_name((instr_event)e);
        assert_int_equal(instr_event_parse(n, strlen(n)), e);
    }
    assert_int_equal(instr_event_parse("branch-misses", 13), INSTR_BRANCH_MISSES);
    assert_int_equal(instr_event_parse("cache-misses", 12), INSTR_CACHE_MISSES);
    assert_int_equal(instr_event_parse("instructionsX", 13), -1);
    assert_int_equal(instr_event_parse("instr", 5), -1);
}

static void counter_lists_parse_into_masks(void **unused)
{
    unsigned mask = 0;
    char bad[8];

    assert_int_equal(instr_parse_list("instructions,cycles", &mask, bad, sizeof bad), 0);
    assert_int_equal(mask, INSTR_MASK(INSTR_INSTRUCTIONS) | INSTR_MASK(INSTR_CYCLES));
    assert_int_equal(instr_parse_list("page-faults", &mask, NULL, 0), 0);
    assert_int_equal(mask, INSTR_MASK(INSTR_PAGE_FAULTS));
    assert_int_equal(
        instr_parse_list("instructions,cycles,branches,branch-misses,cache-misses", &mask, NULL, 0),
        0);
    assert_int_equal(mask, INSTR_MASK_HARDWARE);

    mask = 77;
    assert_int_equal(instr_parse_list("cycles,flops", &mask, bad, sizeof bad), -1);
    assert_string_equal(bad, "flops");
    assert_int_equal(mask, 77);                        /* untouched on error */
    assert_int_equal(instr_parse_list("cycles,mispredictions", &mask, bad, sizeof bad), -1);
    assert_string_equal(bad, "mispred");               /* truncated to fit */
    assert_int_equal(instr_parse_list("cycles,,branches", &mask, bad, sizeof bad), -1);
    assert_string_equal(bad, "");
    assert_int_equal(instr_parse_list("", &mask, bad, sizeof bad), -1);
    assert_int_equal(instr_parse_list(NULL, &mask, NULL, 0), -1);
}

/* ------------------------------------------------------------------ */
/* perf_event_open                                                      */
/* ------------------------------------------------------------------ */

/* Every requested event either opens or says why; nothing aborts. */
static void every_event_opens_or_reports_why(void **unused)
{
    instr_counters c;
    instr_values v;
    unsigned all = (1u << INSTR_NEVENTS) - 1;
    int n = instr_counters_open(&c, all);

    assert_true(n >= 0 && n <= INSTR_NEVENTS);
    assert_int_equal(c.requested, all);
    for (int e = 0; e < INSTR_NEVENTS; e++) {
        if (c.open & INSTR_MASK(e)) {
            assert_true(c.fd[e] >= 0);
            assert_int_equal(c.err[e], 0);
        } else {
            assert_int_equal(c.fd[e], -1);
            assert_true(c.err[e] != 0);
            assert_true(strlen(instr_strerror(c.err[e])) > 0);
            print_message("note: %s %s (errno %d, perf_event_paranoid %d)\n",
                          instr_event_name((instr_event)e), instr_strerror(c.err[e]), c.err[e],
                          instr_perf_paranoid());
        }
    }
    assert_int_equal(instr_counters_start(&c), 0);
    workload(100000);
    assert_int_equal(instr_counters_stop(&c, &v), 0);
    assert_int_equal(v.valid & ~c.open, 0);            /* values only for open events */
    instr_counters_release(&c);
    assert_int_equal(c.open, 0);
    instr_counters_release(&c);                        /* twice is harmless */
}

/* Page faults are exact: writing to P fresh anonymous pages (no huge
 * pages) faults once per page.  Sanitizer builds also fault on shadow
 * memory, hence the slack above P. */
static uint64_t faults_touching(instr_counters *c, size_t pages)
{
    long pagesize = sysconf(_SC_PAGESIZE);
    size_t len = pages * (size_t)pagesize;
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    instr_values v;

    assert_true(m != MAP_FAILED);
    madvise(m, len, MADV_NOHUGEPAGE);
    assert_int_equal(instr_counters_start(c), 0);
    for (size_t i = 0; i < pages; i++)
        m[i * (size_t)pagesize] = 1;
    assert_int_equal(instr_counters_stop(c, &v), 0);
    munmap(m, len);
    assert_true(v.valid & INSTR_MASK(INSTR_PAGE_FAULTS));
    return v.value[INSTR_PAGE_FAULTS];
}

static void page_faults_count_touched_pages(void **unused)
{
    instr_counters c;
    uint64_t f100, f400;

    if (instr_counters_open(&c, INSTR_MASK(INSTR_PAGE_FAULTS)) != 1) {
        print_message("skip: page_faults counter %s\n", instr_strerror(c.err[INSTR_PAGE_FAULTS]));
        instr_counters_release(&c);
        skip();
        return;
    }
    f100 = faults_touching(&c, 100);
    f400 = faults_touching(&c, 400);
    instr_counters_release(&c);
    if (f100 < 100 || f100 > 100 + 100 / 4 + 32 || f400 < 400 || f400 > 400 + 400 / 4 + 32)
        fail_msg("page faults: %llu for 100 pages, %llu for 400 pages",
                 (unsigned long long)f100, (unsigned long long)f400);
}

static void paused_page_faults_are_not_counted(void **unused)
{
    long pagesize = sysconf(_SC_PAGESIZE);
    size_t len = 300 * (size_t)pagesize;
    instr_counters c;
    instr_values v;
    char *m;
    uint64_t f;

    if (instr_counters_open(&c, INSTR_MASK(INSTR_PAGE_FAULTS)) != 1) {
        print_message("skip: page_faults counter %s\n", instr_strerror(c.err[INSTR_PAGE_FAULTS]));
        instr_counters_release(&c);
        skip();
        return;
    }
    m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    madvise(m, len, MADV_NOHUGEPAGE);
    assert_int_equal(instr_counters_start(&c), 0);
    for (size_t i = 0; i < 100; i++)                 /* counted */
        m[i * (size_t)pagesize] = 1;
    assert_int_equal(instr_counters_pause(&c), 0);
    for (size_t i = 100; i < 300; i++)               /* not counted */
        m[i * (size_t)pagesize] = 1;
    assert_int_equal(instr_counters_resume(&c), 0);
    assert_int_equal(instr_counters_stop(&c, &v), 0);
    munmap(m, len);
    instr_counters_release(&c);
    f = v.value[INSTR_PAGE_FAULTS];
    if (f < 100 || f > 100 + 100 / 4 + 32)
        fail_msg("page faults: %llu for 100 counted and 200 paused pages", (unsigned long long)f);
}

static uint64_t instructions_of(instr_counters *c, uint64_t steps)
{
    instr_values v;

    assert_int_equal(instr_counters_start(c), 0);
    workload(steps);
    assert_int_equal(instr_counters_stop(c, &v), 0);
    assert_true(v.valid & INSTR_MASK(INSTR_INSTRUCTIONS));
    return v.value[INSTR_INSTRUCTIONS];
}

static void hardware_instruction_counts_are_stable_and_proportional(void **unused)
{
    instr_counters c;
    uint64_t a, b, d;

    if (instr_counters_open(&c, INSTR_MASK(INSTR_INSTRUCTIONS)) != 1) {
        print_message("skip: instructions counter %s (errno %d, perf_event_paranoid %d)\n",
                      instr_strerror(c.err[INSTR_INSTRUCTIONS]), c.err[INSTR_INSTRUCTIONS],
                      instr_perf_paranoid());
        instr_counters_release(&c);
        skip();
        return;
    }
    a = instructions_of(&c, 1000000);
    b = instructions_of(&c, 1000000);
    d = instructions_of(&c, 2000000);
    instr_counters_release(&c);
    if ((double)(a > b ? a - b : b - a) > 0.01 * (double)a ||
        (double)d < 1.95 * (double)a || (double)d > 2.05 * (double)a)
        fail_msg("instructions: %llu, %llu for 1e6 steps, %llu for 2e6",
                 (unsigned long long)a, (unsigned long long)b, (unsigned long long)d);
}

static void stop_without_open_counters_reads_nothing(void **unused)
{
    instr_counters c;
    instr_values v;

    instr_counters_init(&c);
    assert_int_equal(instr_counters_start(&c), 0);
    assert_int_equal(instr_counters_stop(&c, &v), 0);
    assert_int_equal(v.valid, 0);
    instr_counters_release(&c);
    assert_int_equal(instr_counters_open(&c, 0), 0);
    instr_counters_release(&c);
}

/* ------------------------------------------------------------------ */
/* callgrind output files                                               */
/* ------------------------------------------------------------------ */

/* The header and totals of a real callgrind 3.19 part file (the body of
 * cost lines is irrelevant to the parser). */
static const char part_file[] =
    "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 6719\n"
    "cmd:  ./cg 100000\npart: 1\n\n\ndesc: I1 cache: \ndesc: D1 cache: \n"
    "desc: LL cache: \n\ndesc: Timerange: Basic block 0 - 100002\n"
    "desc: Trigger: Client Request: x\n\npositions: line\nevents: Ir\nsummary: 0\n\n\n"
    "ob=(1) /tmp/cg\nfl=(1) /tmp/cg.c\nfn=(1) main\n5 600005\n\ntotals: 600005\n";

static void parse_totals_reads_the_ir_column(void **unused)
{
    char path[PATH_MAX];
    uint64_t ir = 0;

    path_in_tmp(path, sizeof path, "parse.out");
    write_file(path, part_file);
    assert_int_equal(instr_callgrind_parse_totals(path, &ir), 0);
    assert_int_equal(ir, 600005);

    /* several events: Ir is found by name, not position */
    write_file(path, "events: Dr Ir Dw\ntotals: 5 7 9\n");
    assert_int_equal(instr_callgrind_parse_totals(path, &ir), 0);
    assert_int_equal(ir, 7);

    /* no totals line: the summary line */
    write_file(path, "events: Ir Dr\nsummary: 1234 99\n");
    assert_int_equal(instr_callgrind_parse_totals(path, &ir), 0);
    assert_int_equal(ir, 1234);
    unlink(path);
}

static void parse_totals_refuses_files_without_counts(void **unused)
{
    char path[PATH_MAX];
    uint64_t ir = 42;

    path_in_tmp(path, sizeof path, "bad.out");
    write_file(path, "events: Dr Dw\ntotals: 5 7\n");        /* no Ir */
    errno = 0;
    assert_int_equal(instr_callgrind_parse_totals(path, &ir), -1);
    assert_int_equal(errno, EINVAL);
    write_file(path, "events: Ir\nfn=(1) main\n5 600005\n"); /* no totals */
    assert_int_equal(instr_callgrind_parse_totals(path, &ir), -1);
    assert_int_equal(errno, EINVAL);
    write_file(path, "events: Ir\ntotals: lots\n");
    assert_int_equal(instr_callgrind_parse_totals(path, &ir), -1);
    assert_int_equal(errno, EINVAL);
    write_file(path, "");
    assert_int_equal(instr_callgrind_parse_totals(path, &ir), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(ir, 42);
    unlink(path);
    assert_int_equal(instr_callgrind_parse_totals(path, &ir), -1);
    assert_int_equal(errno, ENOENT);
}

static void collect_sums_every_part(void **unused)
{
    char out[PATH_MAX], part[PATH_MAX + 8];
    uint64_t ir = 0;
    unsigned n = 0;

    path_in_tmp(out, sizeof out, "collect.out");
    errno = 0;
    assert_int_equal(instr_callgrind_collect(out, &ir, &n), -1);
    assert_int_equal(errno, ENOENT);
    snprintf(part, sizeof part, "%s.1", out);
    write_file(part, "events: Ir\ntotals: 100\n");
    snprintf(part, sizeof part, "%s.2", out);
    write_file(part, "events: Ir\ntotals: 250\n");
    write_file(out, "events: Ir\nsummary: 0\ntotals: 0\n");
    assert_int_equal(instr_callgrind_collect(out, &ir, &n), 0);
    assert_int_equal(ir, 350);
    assert_int_equal(n, 3);
    remove_outputs(out);
}

/* ------------------------------------------------------------------ */
/* callgrind runs                                                       */
/* ------------------------------------------------------------------ */

static int skip_without_callgrind(void)
{
    const char *why = instr_callgrind_unavailable();

    if (why != NULL) {
        print_message("skip: callgrind: %s\n", why);
        return 1;
    }
    return 0;
}

static void run_reports_a_missing_valgrind(void **unused)
{
    char *argv[] = { (char *)"true", NULL };
    char out[PATH_MAX], *old = getenv("PATH"), saved[4096];
    int status = 0, rc, err;

    assert_non_null(old);
    assert_true(strlen(old) < sizeof saved);
    snprintf(saved, sizeof saved, "%s", old);
    path_in_tmp(out, sizeof out, "none.out");
    setenv("PATH", tmpdir, 1);                 /* no valgrind there */
    assert_non_null(instr_callgrind_unavailable());
    errno = 0;
    rc = instr_callgrind_run(argv, out, NULL, &status);
    err = errno;
    setenv("PATH", saved, 1);
    assert_int_equal(rc, -1);
    assert_int_equal(err, ENOENT);
    errno = 0;
    assert_int_equal(instr_callgrind_run(NULL, out, NULL, &status), -1);
    assert_int_equal(errno, EINVAL);
}

/* Runs this binary under callgrind for STEPS steps (and as many paused
 * when PAUSED) into *IR.  Returns 0, or 1 when valgrind cannot read this
 * binary at all (valgrind 3.19 and the DWARF 5 that clang 14 writes by
 * default), having said so: the caller skips. */
static int callgrind_count(uint64_t steps, int paused, uint64_t *ir)
{
    char out[PATH_MAX], log[PATH_MAX], nbuf[32], line[512];
    char *argv[] = { self_path, (char *)"--callgrind-child", nbuf,
                     paused ? (char *)"paused" : NULL, NULL };
    unsigned nfiles = 0;
    int status = -1, unreadable = 0;
    FILE *f;

    snprintf(nbuf, sizeof nbuf, "%llu", (unsigned long long)steps);
    path_in_tmp(out, sizeof out, "self.out");
    path_in_tmp(log, sizeof log, "self.log");
    remove_outputs(out);
    if (instr_callgrind_run(argv, out, log, &status) != 0)
        fail_msg("cannot run valgrind: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        f = fopen(log, "r");
        while (f != NULL && fgets(line, sizeof line, f) != NULL)
            if (strstr(line, "debuginfo") != NULL || strstr(line, "dwarf") != NULL)
                unreadable = 1;
        if (f != NULL)
            fclose(f);
        unlink(log);
        remove_outputs(out);
        if (unreadable) {
            print_message("skip: callgrind: this valgrind cannot read this binary's debug "
                          "information (clang 14 writes DWARF 5; build with -gdwarf-4)\n");
            return 1;
        }
        fail_msg("the callgrind child failed: status 0x%x", status);
    }
    unlink(log);
    if (instr_callgrind_collect(out, ir, &nfiles) != 0)
        fail_msg("cannot read callgrind's output %s: %s", out, strerror(errno));
    assert_int_equal(nfiles, 2);               /* the dump at _end, and the one at exit */
    remove_outputs(out);
    return 0;
}

static void callgrind_counts_are_repeatable_and_proportional(void **unused)
{
    uint64_t a, b, d;

    if (skip_without_callgrind()) {
        skip();
        return;
    }
    if (callgrind_count(200000, 0, &a) != 0) {
        skip();
        return;
    }
    callgrind_count(200000, 0, &b);
    callgrind_count(400000, 0, &d);
    print_message("callgrind: %llu, %llu Ir for 200000 steps, %llu for 400000\n",
                  (unsigned long long)a, (unsigned long long)b, (unsigned long long)d);
    /* the workload is a few instructions per step */
    if (a < 200000 * 2 || a > 200000 * 20)
        fail_msg("implausible count %llu for 200000 steps", (unsigned long long)a);
    if (a != b)
        fail_msg("the same workload counted %llu then %llu", (unsigned long long)a,
                 (unsigned long long)b);
    if ((double)d < 1.95 * (double)a || (double)d > 2.05 * (double)a)
        fail_msg("twice the work counted %llu vs %llu", (unsigned long long)d,
                 (unsigned long long)a);
}

/* The paused half of the work is not counted: only the few instructions
 * of the two client requests are added. */
static void callgrind_pause_excludes_work(void **unused)
{
    uint64_t a, p;

    if (skip_without_callgrind()) {
        skip();
        return;
    }
    if (callgrind_count(200000, 0, &a) != 0) {
        skip();
        return;
    }
    callgrind_count(200000, 1, &p);
    print_message("callgrind: %llu Ir, %llu with as much work again paused\n",
                  (unsigned long long)a, (unsigned long long)p);
    if (p < a || p > a + 100)
        fail_msg("paused work counted: %llu vs %llu", (unsigned long long)p,
                 (unsigned long long)a);
}

/* Outside callgrind the client requests do nothing. */
static void callgrind_requests_are_harmless_natively(void **unused)
{
    instr_callgrind_begin();
    workload(10);
    instr_callgrind_pause();
    instr_callgrind_resume();
    instr_callgrind_end(NULL);
    instr_callgrind_end("twice");
    assert_true(instr_under_valgrind() == 0 || instr_under_valgrind() == 1);
}

static int setup_tmpdir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/perfcmp-instr-XXXXXX");
    return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

/* Removes whatever a failed test may have left, then the directory. */
static int remove_tmpdir(void **state)
{
    static const char *const names[] = { "self.out", "self.log", "collect.out", "parse.out",
                                         "bad.out", "none.out" };
    char path[PATH_MAX];

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        path_in_tmp(path, sizeof path, names[i]);
        remove_outputs(path);
    }
    return rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_names_parse_both_spellings),
        cmocka_unit_test(counter_lists_parse_into_masks),
        cmocka_unit_test(every_event_opens_or_reports_why),
        cmocka_unit_test(page_faults_count_touched_pages),
        cmocka_unit_test(paused_page_faults_are_not_counted),
        cmocka_unit_test(hardware_instruction_counts_are_stable_and_proportional),
        cmocka_unit_test(stop_without_open_counters_reads_nothing),
        cmocka_unit_test(parse_totals_reads_the_ir_column),
        cmocka_unit_test(parse_totals_refuses_files_without_counts),
        cmocka_unit_test(collect_sums_every_part),
        cmocka_unit_test(run_reports_a_missing_valgrind),
        cmocka_unit_test(callgrind_counts_are_repeatable_and_proportional),
        cmocka_unit_test(callgrind_pause_excludes_work),
        cmocka_unit_test(callgrind_requests_are_harmless_natively),
    };
    ssize_t n;

    if (argc >= 3 && strcmp(argv[1], "--callgrind-child") == 0)
        return child_main(argv[2], argc > 3);
    n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (n <= 0) {
        snprintf(self_path, sizeof self_path, "%s", argv[0]);
    } else {
        self_path[n] = '\0';
    }
    return cmocka_run_group_tests(tests, setup_tmpdir, remove_tmpdir);
}
