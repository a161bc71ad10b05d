/*
 * tagexpr.c - recursive-descent parser and evaluator of tag expressions.
 */
#include "tagexpr.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tagexpr_kind { TAGEXPR_WORD, TAGEXPR_NOT, TAGEXPR_AND, TAGEXPR_OR };

struct tagexpr {
    enum tagexpr_kind kind;
    char *word;                  /* TAGEXPR_WORD */
    int pattern;                 /* word has glob characters */
    struct tagexpr *a, *b;       /* operands (b unused for NOT) */
};

enum tagexpr_tok { TOK_END, TOK_WORD, TOK_LPAREN, TOK_RPAREN, TOK_AND, TOK_OR, TOK_NOT,
                   TOK_BAD };

typedef struct tagexpr_parser {
    const char *text;
    size_t pos;                  /* start of the current token */
    size_t len;                  /* its length */
    enum tagexpr_tok tok;
    char *err;
    size_t errlen;
    int failed;
    int depth;
} tagexpr_parser;

#define TAGEXPR_MAX_DEPTH 200

static int tagexpr_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("_-.:/*?[]", c) != NULL);
}

/* Moves to the token after the current one. */
static void tagexpr_next(tagexpr_parser *p)
{
    const char *s = p->text;
    size_t i = p->pos + p->len;

    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
        i++;
    p->pos = i;
    p->len = 1;
    if (s[i] == '\0') {
        p->tok = TOK_END;
        p->len = 0;
    } else if (s[i] == '(') {
        p->tok = TOK_LPAREN;
    } else if (s[i] == ')') {
        p->tok = TOK_RPAREN;
    } else if (tagexpr_word_char(s[i])) {
        size_t n = 0;
        while (tagexpr_word_char(s[i + n]))
            n++;
        p->len = n;
        if (n == 3 && memcmp(s + i, "and", 3) == 0)
            p->tok = TOK_AND;
        else if (n == 2 && memcmp(s + i, "or", 2) == 0)
            p->tok = TOK_OR;
        else if (n == 3 && memcmp(s + i, "not", 3) == 0)
            p->tok = TOK_NOT;
        else
            p->tok = TOK_WORD;
    } else {
        p->tok = TOK_BAD;
    }
}

static void tagexpr_error(tagexpr_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void tagexpr_error(tagexpr_parser *p, const char *fmt, ...)
{
    va_list ap;
    if (p->failed)
        return;
    p->failed = 1;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
}

/* Describes the current token for an error message into BUF. */
static const char *tagexpr_describe(const tagexpr_parser *p, char *buf, size_t len)
{
    if (p->tok == TOK_END)
        return "end of expression";
    snprintf(buf, len, "'%.*s'", (int)(p->len > 40 ? 40 : p->len), p->text + p->pos);
    return buf;
}

static tagexpr *tagexpr_node(tagexpr_parser *p, enum tagexpr_kind kind, tagexpr *a,
                             tagexpr *b)
{
    tagexpr *e = calloc(1, sizeof *e);
    if (!e) {
        tagexpr_error(p, "out of memory");
        tagexpr_free(a);
        tagexpr_free(b);
        return NULL;
    }
    e->kind = kind;
    e->a = a;
    e->b = b;
    return e;
}

static tagexpr *tagexpr_or(tagexpr_parser *p);

static tagexpr *tagexpr_unary(tagexpr_parser *p)
{
    char what[64];
    tagexpr *e;

    if (++p->depth > TAGEXPR_MAX_DEPTH) {
        tagexpr_error(p, "expression nested too deeply at column %zu", p->pos + 1);
        return NULL;
    }
    switch (p->tok) {
    case TOK_NOT:
        tagexpr_next(p);
        if (p->tok == TOK_END || p->tok == TOK_RPAREN || p->tok == TOK_AND ||
            p->tok == TOK_OR) {
            tagexpr_error(p, "expected a tag after 'not' at column %zu, got %s", p->pos + 1,
                          tagexpr_describe(p, what, sizeof what));
            return NULL;
        }
        e = tagexpr_unary(p);
        e = e ? tagexpr_node(p, TAGEXPR_NOT, e, NULL) : NULL;
        break;
    case TOK_LPAREN: {
        size_t open = p->pos;
        tagexpr_next(p);
        e = tagexpr_or(p);
        if (!e)
            break;
        if (p->tok != TOK_RPAREN) {
            if (p->tok == TOK_END)
                tagexpr_error(p, "unmatched '(' at column %zu", open + 1);
            else
                tagexpr_error(p, "expected ')' at column %zu, got %s", p->pos + 1,
                              tagexpr_describe(p, what, sizeof what));
            tagexpr_free(e);
            e = NULL;
            break;
        }
        tagexpr_next(p);
        break;
    }
    case TOK_WORD:
        e = tagexpr_node(p, TAGEXPR_WORD, NULL, NULL);
        if (!e)
            break;
        e->word = malloc(p->len + 1);
        if (!e->word) {
            tagexpr_error(p, "out of memory");
            tagexpr_free(e);
            e = NULL;
            break;
        }
        memcpy(e->word, p->text + p->pos, p->len);
        e->word[p->len] = '\0';
        e->pattern = strpbrk(e->word, "*?[") != NULL;
        tagexpr_next(p);
        break;
    case TOK_BAD:
        tagexpr_error(p, "unexpected character '%c' at column %zu", p->text[p->pos],
                      p->pos + 1);
        e = NULL;
        break;
    case TOK_RPAREN:
        tagexpr_error(p, "unmatched ')' at column %zu", p->pos + 1);
        e = NULL;
        break;
    default:
        tagexpr_error(p, "expected a tag at column %zu, got %s", p->pos + 1,
                      tagexpr_describe(p, what, sizeof what));
        e = NULL;
        break;
    }
    p->depth--;
    return e;
}

static tagexpr *tagexpr_and(tagexpr_parser *p)
{
    tagexpr *e = tagexpr_unary(p);
    while (e && p->tok == TOK_AND) {
        tagexpr_next(p);
        tagexpr *r = tagexpr_unary(p);
        if (!r) {
            tagexpr_free(e);
            return NULL;
        }
        e = tagexpr_node(p, TAGEXPR_AND, e, r);
    }
    return e;
}

static tagexpr *tagexpr_or(tagexpr_parser *p)
{
    tagexpr *e = tagexpr_and(p);
    while (e && p->tok == TOK_OR) {
        tagexpr_next(p);
        tagexpr *r = tagexpr_and(p);
        if (!r) {
            tagexpr_free(e);
            return NULL;
        }
        e = tagexpr_node(p, TAGEXPR_OR, e, r);
    }
    return e;
}

int tagexpr_parse(const char *text, tagexpr **out, char *err, size_t errlen)
{
    tagexpr_parser p = { .text = text ? text : "", .err = err, .errlen = errlen };
    char what[64];
    tagexpr *e;

    *out = NULL;
    if (errlen)
        err[0] = '\0';
    tagexpr_next(&p);
    if (p.tok == TOK_END) {
        tagexpr_error(&p, "empty tag expression");
        return -1;
    }
    e = tagexpr_or(&p);
    if (e && p.tok != TOK_END) {
        if (p.tok == TOK_RPAREN)
            tagexpr_error(&p, "unmatched ')' at column %zu", p.pos + 1);
        else if (p.tok == TOK_BAD)
            tagexpr_error(&p, "unexpected character '%c' at column %zu", p.text[p.pos],
                          p.pos + 1);
        else
            tagexpr_error(&p, "expected 'and', 'or' or the end at column %zu, got %s",
                          p.pos + 1, tagexpr_describe(&p, what, sizeof what));
        tagexpr_free(e);
        e = NULL;
    }
    if (!e)
        return -1;
    *out = e;
    return 0;
}

int tagexpr_match(const tagexpr *e, char *const *tags, size_t ntags)
{
    switch (e->kind) {
    case TAGEXPR_WORD:
        for (size_t i = 0; i < ntags; i++) {
            if (e->pattern ? fnmatch(e->word, tags[i], 0) == 0 : strcmp(e->word, tags[i]) == 0)
                return 1;
        }
        return 0;
    case TAGEXPR_NOT:
        return !tagexpr_match(e->a, tags, ntags);
    case TAGEXPR_AND:
        return tagexpr_match(e->a, tags, ntags) && tagexpr_match(e->b, tags, ntags);
    case TAGEXPR_OR:
        return tagexpr_match(e->a, tags, ntags) || tagexpr_match(e->b, tags, ntags);
    }
    return 0;
}

size_t tagexpr_format(const tagexpr *e, char *buf, size_t len)
{
    size_t n = 0;
    int r;

#define TAGEXPR_PUT(...)                                                   \
    do {                                                                   \
        r = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, __VA_ARGS__); \
        n += r > 0 ? (size_t)r : 0;                                        \
    } while (0)
#define TAGEXPR_SUB(x)                                                     \
    n += tagexpr_format((x), n < len ? buf + n : NULL, n < len ? len - n : 0)

    switch (e->kind) {
    case TAGEXPR_WORD:
        TAGEXPR_PUT("%s", e->word);
        break;
    case TAGEXPR_NOT:
        TAGEXPR_PUT("(not ");
        TAGEXPR_SUB(e->a);
        TAGEXPR_PUT(")");
        break;
    case TAGEXPR_AND:
    case TAGEXPR_OR:
        TAGEXPR_PUT("(");
        TAGEXPR_SUB(e->a);
        TAGEXPR_PUT("%s", e->kind == TAGEXPR_AND ? " and " : " or ");
        TAGEXPR_SUB(e->b);
        TAGEXPR_PUT(")");
        break;
    }
#undef TAGEXPR_PUT
#undef TAGEXPR_SUB
    return n;
}

void tagexpr_free(tagexpr *e)
{
    if (!e)
        return;
    tagexpr_free(e->a);
    tagexpr_free(e->b);
    free(e->word);
    free(e);
}
