/*
 * pq_dl.c - libpq loaded with dlopen when a PostgreSQL store is opened
 * (pq_dl.h says why).
 */
#define PQ_DL_NO_MACROS
#include "pq_dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pq_dl_table pq_dl_fns;

/* Each entry of pq_dl_table: the symbol's name and the field's offset, in
 * the table's order. */
#define PQ_DL_FN(name) { #name, offsetof(pq_dl_table, name) }
static const struct {
    const char *name;
    size_t offset;
} pq_dl_syms[] = {
    PQ_DL_FN(PQconnectdb), PQ_DL_FN(PQstatus), PQ_DL_FN(PQerrorMessage),
    PQ_DL_FN(PQsetNoticeProcessor), PQ_DL_FN(PQfinish), PQ_DL_FN(PQexec),
    PQ_DL_FN(PQexecParams), PQ_DL_FN(PQprepare), PQ_DL_FN(PQexecPrepared),
    PQ_DL_FN(PQgetResult), PQ_DL_FN(PQresultStatus), PQ_DL_FN(PQresultErrorField),
    PQ_DL_FN(PQntuples), PQ_DL_FN(PQgetvalue), PQ_DL_FN(PQgetisnull),
    PQ_DL_FN(PQcmdStatus), PQ_DL_FN(PQcmdTuples), PQ_DL_FN(PQputCopyData),
    PQ_DL_FN(PQputCopyEnd), PQ_DL_FN(PQclear),
};
#undef PQ_DL_FN

int pq_dl_load(char *err, size_t errlen)
{
    static void *handle;
    if (handle)
        return 0;
    const char *lib = getenv("PERFCMP_LIBPQ");
    if (!lib || !*lib)
        lib = PQ_DL_DEFAULT;
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(err, errlen, "the PostgreSQL client library cannot be loaded "
                 "(apt-get install libpq5): %s", why ? why : lib);
        return -1;
    }
    pq_dl_table t;
    for (size_t i = 0; i < sizeof pq_dl_syms / sizeof pq_dl_syms[0]; i++) {
        void *fn = dlsym(h, pq_dl_syms[i].name);
        if (!fn) {
            snprintf(err, errlen, "the PostgreSQL client library '%s' has no %s: "
                     "not libpq, or one older than PostgreSQL 10", lib, pq_dl_syms[i].name);
            dlclose(h);
            return -1;
        }
        /* POSIX: a function pointer converts to and from void * */
        memcpy((char *)&t + pq_dl_syms[i].offset, &fn, sizeof fn);
    }
    pq_dl_fns = t;
    handle = h;
    return 0;
}
