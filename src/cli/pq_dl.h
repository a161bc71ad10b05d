/*
 * pq_dl.h - libpq, loaded when a PostgreSQL store is first opened.
 *
 * perfcmp is not linked with libpq: libpq brings 20-odd shared libraries
 * (TLS, Kerberos, LDAP, ...), and loading them cost every perfcmp process
 * about 12 ms at start (20 ms against 8 ms for `perfcmp --version`) and
 * 0.14 s under valgrind, though most commands never open a PostgreSQL
 * store.  pq_dl_load() dlopen()s libpq the first time it is needed and
 * fills pq_dl_fns; the macros below make store_pg.c's PQxxx(...) calls go
 * through it, so that file reads as plain libpq.  Only store_pg.c includes
 * this header (instead of <libpq-fe.h>).
 */
#ifndef PERFCMP_PQ_DL_H
#define PERFCMP_PQ_DL_H

#include <stddef.h>
#include <libpq-fe.h>

/* The libpq shared library loaded when PERFCMP_LIBPQ is unset or empty
 * (Debian's libpq5). */
#define PQ_DL_DEFAULT "libpq.so.5"

typedef struct pq_dl_table {
    __typeof__(PQconnectdb) *PQconnectdb;
    __typeof__(PQstatus) *PQstatus;
    __typeof__(PQerrorMessage) *PQerrorMessage;
    __typeof__(PQsetNoticeProcessor) *PQsetNoticeProcessor;
    __typeof__(PQfinish) *PQfinish;
    __typeof__(PQexec) *PQexec;
    __typeof__(PQexecParams) *PQexecParams;
    __typeof__(PQprepare) *PQprepare;
    __typeof__(PQexecPrepared) *PQexecPrepared;
    __typeof__(PQgetResult) *PQgetResult;
    __typeof__(PQresultStatus) *PQresultStatus;
    __typeof__(PQresultErrorField) *PQresultErrorField;
    __typeof__(PQntuples) *PQntuples;
    __typeof__(PQgetvalue) *PQgetvalue;
    __typeof__(PQgetisnull) *PQgetisnull;
    __typeof__(PQcmdStatus) *PQcmdStatus;
    __typeof__(PQcmdTuples) *PQcmdTuples;
    __typeof__(PQputCopyData) *PQputCopyData;
    __typeof__(PQputCopyEnd) *PQputCopyEnd;
    __typeof__(PQclear) *PQclear;
} pq_dl_table;

/* The loaded functions; every pointer is NULL until pq_dl_load() succeeds. */
extern pq_dl_table pq_dl_fns;

/*
 * Loads libpq (the file PERFCMP_LIBPQ names, else PQ_DL_DEFAULT, found the
 * way dlopen finds libraries) and every function above, once per process;
 * later calls return at once.  Returns 0, or -1 with a one-line reason
 * naming the library and what to install in ERR[ERRLEN]; nothing is then
 * loaded and the next call tries again.  The library stays loaded until
 * the process exits.
 */
int pq_dl_load(char *err, size_t errlen);

#ifndef PQ_DL_NO_MACROS   /* pq_dl.c names the functions themselves */
#define PQconnectdb pq_dl_fns.PQconnectdb
#define PQstatus pq_dl_fns.PQstatus
#define PQerrorMessage pq_dl_fns.PQerrorMessage
#define PQsetNoticeProcessor pq_dl_fns.PQsetNoticeProcessor
#define PQfinish pq_dl_fns.PQfinish
#define PQexec pq_dl_fns.PQexec
#define PQexecParams pq_dl_fns.PQexecParams
#define PQprepare pq_dl_fns.PQprepare
#define PQexecPrepared pq_dl_fns.PQexecPrepared
#define PQgetResult pq_dl_fns.PQgetResult
#define PQresultStatus pq_dl_fns.PQresultStatus
#define PQresultErrorField pq_dl_fns.PQresultErrorField
#define PQntuples pq_dl_fns.PQntuples
#define PQgetvalue pq_dl_fns.PQgetvalue
#define PQgetisnull pq_dl_fns.PQgetisnull
#define PQcmdStatus pq_dl_fns.PQcmdStatus
#define PQcmdTuples pq_dl_fns.PQcmdTuples
#define PQputCopyData pq_dl_fns.PQputCopyData
#define PQputCopyEnd pq_dl_fns.PQputCopyEnd
#define PQclear pq_dl_fns.PQclear
#endif

#endif
