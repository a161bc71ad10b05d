/*
 * gnuplot.c - building gnuplot scripts safely and running gnuplot
 * (see gnuplot.h for why the escaping is what it is).
 */
#include "gnuplot.h"
#include "../core/fdio.h"
#include "../core/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int gnuplot_format_from_path(const char *path, gnuplot_format *fmt)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return -1;
    if (!strcasecmp(dot, ".png"))
        *fmt = GNUPLOT_PNG;
    else if (!strcasecmp(dot, ".svg"))
        *fmt = GNUPLOT_SVG;
    else if (!strcasecmp(dot, ".pdf"))
        *fmt = GNUPLOT_PDF;
    else
        return -1;
    return 0;
}

const char *gnuplot_program(void)
{
    const char *p = getenv("PERFCMP_GNUPLOT");
    return p && *p ? p : "gnuplot";
}

/* ---- the script ------------------------------------------------------ */

void gnuplot_script_init(gnuplot_script *s)
{
    s->buf = NULL;
    s->len = s->cap = 0;
    s->oom = 0;
}

void gnuplot_script_release(gnuplot_script *s)
{
    if (!s)
        return;
    free(s->buf);
    gnuplot_script_init(s);
}

static int reserve(gnuplot_script *s, size_t more)
{
    if (s->oom)
        return -1;
    if (s->len + more + 1 <= s->cap)
        return 0;
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + more + 1)
        cap *= 2;
    char *nb = realloc(s->buf, cap);
    if (!nb) {
        s->oom = 1;
        return -1;
    }
    s->buf = nb;
    s->cap = cap;
    return 0;
}

static void append(gnuplot_script *s, const char *p, size_t n)
{
    if (reserve(s, n) != 0)
        return;
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

void gnuplot_script_printf(gnuplot_script *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(s, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    s->len += (size_t)n;
}

/*
 * Appends TEXT as a gnuplot string expression; sets oom on failure.  Runs
 * of characters other than ' become single-quoted strings, each ' the
 * double-quoted octal escape "\047", joined with the concatenation
 * operator: it's -> 'it'."\047".'s'.  Why not the documented '' inside
 * single quotes: gnuplot 5.4's scanner takes a string that starts with ''
 * for an empty string and a stray token.  Why not "'": the @macro
 * expander's quote tracking then goes out of step and expands @names in
 * the user's text.  The empty text is ''.
 */
static void append_quoted(gnuplot_script *s, const char *text)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    int open = 0, pieces = 0;
    while (*p) {
        if (*p == '\'') {
            if (open)
                append(s, "'", 1);
            append(s, pieces ? ".\"\\047\"" : "\"\\047\"", pieces ? 7 : 6);
            open = 0;
            pieces++;
            p++;
            continue;
        }
        if (!open) {
            append(s, pieces ? ".'" : "'", pieces ? 2 : 1);
            open = 1;
            pieces++;
        }
        size_t n = utf8_seq_len(p);
        if (n == 0) {
            append(s, "\xef\xbf\xbd", 3);       /* U+FFFD for a byte that is not UTF-8 */
            p++;
        } else if (n == 1 && (*p < 0x20 || *p == 0x7f)) {
            append(s, " ", 1);                  /* a newline would end the command */
            p++;
        } else {
            append(s, (const char *)p, n);
            p += n;
        }
    }
    if (open)
        append(s, "'", 1);
    else if (pieces == 0)
        append(s, "''", 2);
}

void gnuplot_script_string(gnuplot_script *s, const char *text)
{
    append_quoted(s, text);
}

void gnuplot_script_array(gnuplot_script *s, const char *name, const char *const *texts,
                          size_t n)
{
    if (n == 0)
        return;
    gnuplot_script_printf(s, "array %s[%zu]\n", name, n);
    for (size_t i = 0; i < n; i++) {
        gnuplot_script_printf(s, "%s[%zu] = ", name, i + 1);
        append_quoted(s, texts[i]);
        append(s, "\n", 1);
    }
}

char *gnuplot_quote(const char *text)
{
    gnuplot_script s;
    gnuplot_script_init(&s);
    append_quoted(&s, text);
    if (s.oom) {
        gnuplot_script_release(&s);
        return NULL;
    }
    return s.buf;
}

void gnuplot_script_number(gnuplot_script *s, double v)
{
    if (!isfinite(v))
        append(s, "NaN", 3);
    else
        gnuplot_script_printf(s, "%.17g", v);
}

void gnuplot_script_terminal(gnuplot_script *s, gnuplot_format fmt, const char *term,
                             unsigned width, unsigned height)
{
    if (fmt == GNUPLOT_PDF)
        gnuplot_script_printf(s, "set terminal %s noenhanced size %.2fin,%.2fin font 'Sans,9'\n",
                              term, width / 96.0, height / 96.0);
    else if (fmt == GNUPLOT_SVG)
        gnuplot_script_printf(s, "set terminal svg noenhanced size %u,%u fixed "
                              "font 'Sans,11' background '#ffffff'\n", width, height);
    else if (!strcmp(term, "pngcairo"))
        gnuplot_script_printf(s, "set terminal pngcairo noenhanced size %u,%u "
                              "font 'Sans,9' background '#ffffff'\n", width, height);
    else
        gnuplot_script_printf(s, "set terminal png noenhanced size %u,%u "
                              "background '#ffffff'\n", width, height);
}

/* ---- running gnuplot ------------------------------------------------- */

/*
 * Runs gnuplot with ARGV (argv[0] is replaced by the program) in directory
 * DIR (NULL: here), stdout to OUTFD (-1: /dev/null), stderr collected into
 * *ERRTEXT (malloc'd, caller frees).  Sets *STATUS as waitpid does.
 * Returns 0, or -1 when it could not be started (reason in ERR).
 */
static int spawn(char **argv, const char *dir, int outfd, int *status, char **errtext,
                 char *err, size_t errlen)
{
    int rc = -1, pipefd[2] = { -1, -1 };
    FILE *errf = tmpfile();
    int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
    const char *prog = gnuplot_program();

    *errtext = NULL;
    if (!errf || nullfd < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot run '%s': %s", prog, strerror(errno));
        goto out;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot run '%s': %s", prog, strerror(errno));
        goto out;
    }
    if (pid == 0) {
        int e;
        signal(SIGPIPE, SIG_DFL);
        if (dup2(nullfd, 0) < 0 || dup2(outfd >= 0 ? outfd : nullfd, 1) < 0 ||
            dup2(fileno(errf), 2) < 0 || (dir && chdir(dir) != 0)) {
            e = errno;
        } else {
            argv[0] = (char *)prog;
            execvp(prog, argv);
            e = errno;
        }
        ssize_t w = write(pipefd[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    close(pipefd[1]);
    pipefd[1] = -1;
    int child_errno = 0;
    ssize_t got;
    do {
        got = read(pipefd[0], &child_errno, sizeof child_errno);
    } while (got < 0 && errno == EINTR);
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "cannot wait for '%s': %s", prog, strerror(errno));
            goto out;
        }
    }
    if (got == (ssize_t)sizeof child_errno) {
        snprintf(err, errlen, "cannot run '%s': %s%s", prog, strerror(child_errno),
                 child_errno == ENOENT ? " (install gnuplot, e.g. the gnuplot-nox package)" : "");
        goto out;
    }
    /* collect what it said on stderr (at most 64 KiB) */
    long size = ftell(errf);
    if (size < 0)
        size = 0;
    if (size > 65536)
        size = 65536;
    char *text = malloc((size_t)size + 1);
    if (!text) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    rewind(errf);
    size_t n = fread(text, 1, (size_t)size, errf);
    text[n] = '\0';
    *errtext = text;
    rc = 0;
out:
    if (errf)
        fclose(errf);
    if (nullfd >= 0)
        close(nullfd);
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    return rc;
}

/*
 * The line of gnuplot's stderr TEXT that says what went wrong, trimmed,
 * into OUT[OUTLEN]: its '"plot.gp" line N: message' line when there is
 * one (gnuplot may first echo the command and a caret line), else the
 * first line that is not blank or a caret line.
 */
static void first_line(const char *text, char *out, size_t outlen)
{
    const char *p = text ? text : "", *found = NULL;
    const char *tag = strstr(p, "\"plot.gp\" line ");
    if (tag) {
        found = tag + strlen("\"plot.gp\" ");
    } else {
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (strspn(p, " \t\r^") < n) {
                found = p;
                break;
            }
            p = e ? e + 1 : p + n;
        }
    }
    out[0] = '\0';
    if (!found)
        return;
    found += strspn(found, " \t");
    size_t n = strcspn(found, "\n");
    while (n > 0 && (found[n - 1] == ' ' || found[n - 1] == '\r'))
        n--;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, found, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] < 0x20)
            out[i] = ' ';
}

const char *gnuplot_terminal(gnuplot_format fmt, int check, char *err, size_t errlen)
{
    static char terminals[8192];     /* cached GPVAL_TERMINALS as " a b c " ... */
    static char terminals_of[1024];  /* ... of this program */
    static const char *want[3][2] = {
        [GNUPLOT_PNG] = { "pngcairo", "png" },
        [GNUPLOT_SVG] = { "svg", NULL },
        [GNUPLOT_PDF] = { "pdfcairo", NULL },
    };
    static const char *ext[3] = { "png", "svg", "pdf" };

    if (!check)
        return want[fmt][0];
    if (!terminals[0] || strcmp(terminals_of, gnuplot_program()) != 0) {
        char *argv[] = { "gnuplot", "-d", "-e", "print GPVAL_TERMINALS", NULL };
        int status;
        char *text = NULL;
        terminals[0] = '\0';
        if (spawn(argv, NULL, -1, &status, &text, err, errlen) != 0)
            return NULL;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            char line[256];
            first_line(text, line, sizeof line);
            snprintf(err, errlen, "'%s' cannot list its terminals: %s", gnuplot_program(),
                     *line ? line : "no reason given");
            free(text);
            return NULL;
        }
        size_t n = 0;
        terminals[n++] = ' ';
        for (size_t i = 0; text[i] && n + 2 < sizeof terminals; i++)
            terminals[n++] = (text[i] == '\n' || text[i] == '\t' || text[i] == '\r') ? ' ' : text[i];
        terminals[n++] = ' ';
        terminals[n] = '\0';
        free(text);
        snprintf(terminals_of, sizeof terminals_of, "%s", gnuplot_program());
    }
    for (int i = 0; i < 2 && want[fmt][i]; i++) {
        char word[32];
        snprintf(word, sizeof word, " %s ", want[fmt][i]);
        if (strstr(terminals, word))
            return want[fmt][i];
    }
    if (fmt == GNUPLOT_PNG)
        snprintf(err, errlen, "'%s' has neither the 'pngcairo' nor the 'png' terminal needed "
                 "for .png output (install gnuplot-nox, or write .svg)", gnuplot_program());
    else
        snprintf(err, errlen, "'%s' has no '%s' terminal needed for .%s output "
                 "(install gnuplot-nox%s)", gnuplot_program(), want[fmt][0], ext[fmt],
                 fmt == GNUPLOT_PDF ? ", or write .svg" : "");
    return NULL;
}

int gnuplot_render(const char *script, size_t len, const char *outpath, char *err,
                   size_t errlen)
{
    char dir[] = "/tmp/perfcmp-gnuplot-XXXXXX";
    char *scriptpath = NULL, *tmpout = NULL, *errtext = NULL;
    int in_place = 0;
    int dir_made = 0, sfd = -1, ofd = -1, rc = -1;
    const char *tmpdir = getenv("TMPDIR");
    char dirbuf[4096];

    if (tmpdir && *tmpdir && tmpdir[0] == '/' &&
        (size_t)snprintf(dirbuf, sizeof dirbuf, "%s/perfcmp-gnuplot-XXXXXX", tmpdir) < sizeof dirbuf) {
        if (mkdtemp(dirbuf))
            dir_made = 2;
    }
    if (!dir_made) {
        if (!mkdtemp(dir)) {
            snprintf(err, errlen, "cannot create a temporary directory: %s", strerror(errno));
            goto out;
        }
        dir_made = 1;
    }
    const char *d = dir_made == 2 ? dirbuf : dir;
    size_t dl = strlen(d);
    scriptpath = malloc(dl + sizeof "/plot.gp");
    size_t ol = strlen(outpath);
    tmpout = malloc(ol + sizeof ".tmp-XXXXXX");
    if (!scriptpath || !tmpout) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    memcpy(scriptpath, d, dl);
    memcpy(scriptpath + dl, "/plot.gp", sizeof "/plot.gp");
    memcpy(tmpout, outpath, ol);
    memcpy(tmpout + ol, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");

    sfd = open(scriptpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (sfd < 0 || fdio_write_all(sfd, script, len) != 0 || close(sfd) != 0) {
        sfd = -1;
        snprintf(err, errlen, "cannot write the gnuplot script: %s", strerror(errno));
        goto out;
    }
    sfd = -1;
    /* -o /dev/null, a FIFO or a symlink: gnuplot writes there directly */
    in_place = fdio_in_place(outpath);
    if (in_place) {
        free(tmpout);
        tmpout = NULL;
        ofd = fdio_open_in_place(outpath);
    } else {
        ofd = mkostemp(tmpout, O_CLOEXEC);
    }
    if (ofd < 0) {
        free(tmpout);
        tmpout = NULL;
        snprintf(err, errlen, "cannot create '%s': %s", outpath, strerror(errno));
        goto out;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (!in_place && fchmod(ofd, 0666 & ~mask) != 0) {
        snprintf(err, errlen, "cannot create '%s': %s", outpath, strerror(errno));
        goto out;
    }

    char *argv[] = { "gnuplot", "-d", "plot.gp", NULL };
    int status;
    if (spawn(argv, d, ofd, &status, &errtext, err, errlen) != 0)
        goto out;
    char line[512];
    first_line(errtext, line, sizeof line);
    if (WIFSIGNALED(status)) {
        snprintf(err, errlen, "gnuplot was killed by signal %d%s%s", WTERMSIG(status),
                 *line ? ": " : "", line);
        goto out;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "gnuplot failed (exit status %d): %s",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, *line ? line : "no message");
        goto out;
    }
    struct stat st;
    if (fstat(ofd, &st) != 0 || (S_ISREG(st.st_mode) && st.st_size == 0)) {
        snprintf(err, errlen, "gnuplot wrote nothing%s%s", *line ? ": " : "", line);
        goto out;
    }
    if (fsync(ofd) != 0 && errno != EINVAL && errno != EROFS) {
        snprintf(err, errlen, "cannot write '%s': %s", outpath, strerror(errno));
        goto out;
    }
    if (close(ofd) != 0) {
        ofd = -1;
        snprintf(err, errlen, "cannot write '%s': %s", outpath, strerror(errno));
        goto out;
    }
    ofd = -1;
    if (!in_place && rename(tmpout, outpath) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", outpath, strerror(errno));
        goto out;
    }
    free(tmpout);
    tmpout = NULL;
    rc = 0;
out:
    if (sfd >= 0)
        close(sfd);
    if (ofd >= 0)
        close(ofd);
    if (tmpout)
        unlink(tmpout);
    if (scriptpath)
        unlink(scriptpath);
    if (dir_made)
        rmdir(dir_made == 2 ? dirbuf : dir);
    free(scriptpath);
    free(tmpout);
    free(errtext);
    return rc;
}
