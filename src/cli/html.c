/*
 * html.c - escaping user text for HTML (see html.h).
 */
#include "html.h"
#include "../core/utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Calls EMIT(ctx, piece, len) for the escaped form of TEXT. */
static void escape(const char *text, void (*emit)(void *, const char *, size_t), void *ctx)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    while (*p) {
        size_t n = utf8_seq_len(p);
        const char *rep = NULL;
        if (n == 0) {
            rep = "\xef\xbf\xbd";
            n = 1;
        } else if (n == 1) {
            switch (*p) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            default:
                if (*p < 0x20 || *p == 0x7f)
                    rep = " ";
            }
        }
        if (rep)
            emit(ctx, rep, strlen(rep));
        else
            emit(ctx, (const char *)p, n);
        p += n;
    }
}

static void emit_file(void *ctx, const char *s, size_t n)
{
    fwrite(s, 1, n, (FILE *)ctx);
}

void html_text(FILE *f, const char *text)
{
    escape(text, emit_file, f);
}

void html_textf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    html_text(f, buf);
    free(buf);
}

typedef struct buf {
    char *p;
    size_t len, cap;
    int oom;
} buf;

static void emit_buf(void *ctx, const char *s, size_t n)
{
    buf *b = ctx;
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

char *html_escape(const char *text)
{
    buf b = { NULL, 0, 0, 0 };
    emit_buf(&b, "", 0);
    escape(text, emit_buf, &b);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
