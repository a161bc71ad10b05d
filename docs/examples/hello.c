/* hello.c - the smallest benchmark: cc hello.c $(pkg-config --cflags --libs perfcmp) */
#include <perfcmp.h>
#include <string.h>

PERFCMP_BENCH(strlen, .tags = "cpu", .args = { PERFCMP_LIST(8, 64, 512) })
{
    char s[513];
    memset(s, 'x', sizeof s);
    s[perfcmp_arg(state, 0)] = '\0';
    char *p = s;
    while (perfcmp_loop(state)) {
        perfcmp_do_not_optimize(p);   /* the string may have changed */
        size_t n = strlen(p);
        perfcmp_do_not_optimize(n);
    }
}

PERFCMP_MAIN()
