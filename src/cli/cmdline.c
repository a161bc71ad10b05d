/*
 * cmdline.c - splitting, joining and parameter substitution of command
 * lines (see cmdline.h).
 */
#include "cmdline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cmdline_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void cmdline_seterr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void cmdline_words_free(char **words)
{
    if (!words)
        return;
    for (char **w = words; *w; w++)
        free(*w);
    free(words);
}

/* A growing array of words, NULL-terminated once done. */
typedef struct wordvec {
    char **v;
    size_t n, cap;
} wordvec;

static int wordvec_push(wordvec *wv, char *w)
{
    if (wv->n + 2 > wv->cap) {
        size_t cap = wv->cap ? wv->cap * 2 : 8;
        char **v = realloc(wv->v, cap * sizeof *v);
        if (!v)
            return -1;
        wv->v = v;
        wv->cap = cap;
    }
    wv->v[wv->n++] = w;
    wv->v[wv->n] = NULL;
    return 0;
}

static void wordvec_release(wordvec *wv)
{
    for (size_t i = 0; i < wv->n; i++)
        free(wv->v[i]);
    free(wv->v);
    wv->v = NULL;
    wv->n = wv->cap = 0;
}

int cmdline_split(const char *line, char ***words, size_t *n, char *err, size_t errlen)
{
    wordvec wv = { NULL, 0, 0 };
    size_t len = strlen(line);
    char *buf = malloc(len + 1);  /* a word is never longer than the line */
    int rc = -2;

    *words = NULL;
    *n = 0;
    if (!buf)
        return -2;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        size_t k = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
            if (*p == '\'') {
                const char *q = strchr(p + 1, '\'');
                if (!q) {
                    cmdline_seterr(err, errlen, "unterminated single quote");
                    rc = -1;
                    goto out;
                }
                memcpy(buf + k, p + 1, (size_t)(q - p - 1));
                k += (size_t)(q - p - 1);
                p = q + 1;
            } else if (*p == '"') {
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
                        if (p[1] != '\n')
                            buf[k++] = p[1];
                        p += 2;
                    } else {
                        buf[k++] = *p++;
                    }
                }
                if (!*p) {
                    cmdline_seterr(err, errlen, "unterminated double quote");
                    rc = -1;
                    goto out;
                }
                p++;
            } else if (*p == '\\') {
                if (!p[1]) {
                    cmdline_seterr(err, errlen, "a backslash at the end");
                    rc = -1;
                    goto out;
                }
                if (p[1] != '\n')
                    buf[k++] = p[1];
                p += 2;
            } else {
                buf[k++] = *p++;
            }
        }
        char *w = malloc(k + 1);
        if (!w)
            goto out;
        memcpy(w, buf, k);
        w[k] = '\0';
        if (wordvec_push(&wv, w) != 0) {
            free(w);
            goto out;
        }
    }
    if (!wv.v) {
        wv.v = calloc(1, sizeof *wv.v);
        if (!wv.v)
            goto out;
    }
    *words = wv.v;
    *n = wv.n;
    wv.v = NULL;
    rc = 0;
out:
    if (rc != 0)
        wordvec_release(&wv);
    free(buf);
    return rc;
}

/* Does WORD need quoting for a POSIX shell? */
static int cmdline_needs_quotes(const char *word)
{
    if (!*word)
        return 1;
    for (const char *p = word; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "_-./=:,+@%{}", *p))
            return 1;
    return 0;
}

char *cmdline_join(char *const *words, size_t n)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += strlen(words[i]) * 4 + 3;
    char *s = malloc(cap), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            *p++ = ' ';
        if (!cmdline_needs_quotes(words[i])) {
            size_t l = strlen(words[i]);
            memcpy(p, words[i], l);
            p += l;
            continue;
        }
        *p++ = '\'';
        for (const char *q = words[i]; *q; q++) {
            if (*q == '\'') {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *q;
            }
        }
        *p++ = '\'';
    }
    *p = '\0';
    return s;
}

char **cmdline_words_dup(char *const *words, size_t n)
{
    char **out = calloc(n + 1, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        out[i] = strdup(words[i]);
        if (!out[i]) {
            cmdline_words_free(out);
            return NULL;
        }
    }
    return out;
}

void cmdline_param_release(cmdline_param *p)
{
    if (!p)
        return;
    free(p->name);
    for (size_t i = 0; i < p->nvalues; i++)
        free(p->values[i]);
    free(p->values);
    memset(p, 0, sizeof *p);
}

static int cmdline_name_char(char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

int cmdline_param_parse(const char *text, cmdline_param *p, char *err, size_t errlen)
{
    cmdline_param q = { NULL, NULL, 0 };
    const char *eq = strchr(text, '=');
    if (!eq || eq == text) {
        cmdline_seterr(err, errlen, "expected NAME=VALUE,VALUE,...");
        return -1;
    }
    for (const char *c = text; c < eq; c++) {
        if (!cmdline_name_char(*c, c == text)) {
            cmdline_seterr(err, errlen, "a name is a letter or '_', then letters, digits and '_'");
            return -1;
        }
    }
    const char *v = eq + 1;
    for (const char *c = v; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            cmdline_seterr(err, errlen, "a value holds a control character");
            return -1;
        }
    }
    size_t nv = 1;
    for (const char *c = v; *c; c++)
        nv += *c == ',';
    q.name = strndup(text, (size_t)(eq - text));
    q.values = calloc(nv, sizeof *q.values);
    if (!q.name || !q.values)
        goto nomem;
    for (const char *c = v;;) {
        size_t l = strcspn(c, ",");
        if (l == 0) {
            cmdline_seterr(err, errlen, "empty value %zu", q.nvalues + 1);
            cmdline_param_release(&q);
            return -1;
        }
        char *val = strndup(c, l);
        if (!val)
            goto nomem;
        for (size_t i = 0; i < q.nvalues; i++) {
            if (!strcmp(q.values[i], val)) {
                cmdline_seterr(err, errlen, "value '%s' appears twice", val);
                free(val);
                cmdline_param_release(&q);
                return -1;
            }
        }
        q.values[q.nvalues++] = val;
        if (!c[l])
            break;
        c += l + 1;
    }
    cmdline_param_release(p);
    *p = q;
    return 0;
nomem:
    cmdline_param_release(&q);
    return -2;
}

/* The parameter whose "{NAME}" starts at P, or -1. */
static long cmdline_match(const char *p, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(names[i]);
        if (p[0] == '{' && !strncmp(p + 1, names[i], l) && p[l + 1] == '}')
            return (long)i;
    }
    return -1;
}

char *cmdline_subst(const char *text, const char *const *names, const char *const *values,
                    size_t n)
{
    size_t len = 0;
    for (const char *p = text; *p;) {
        long m = cmdline_match(p, names, n);
        if (m >= 0) {
            len += strlen(values[m]);
            p += strlen(names[m]) + 2;
        } else {
            len++;
            p++;
        }
    }
    char *out = malloc(len + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text; *p;) {
        long m = cmdline_match(p, names, n);
        if (m >= 0) {
            size_t l = strlen(values[m]);
            memcpy(o, values[m], l);
            o += l;
            p += strlen(names[m]) + 2;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

int cmdline_uses(const char *text, const char *name)
{
    const char *names[1] = { name };
    for (const char *p = text; *p; p++)
        if (cmdline_match(p, names, 1) == 0)
            return 1;
    return 0;
}
