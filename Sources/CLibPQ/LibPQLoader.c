// libpq is opened when the first connection is made, not linked: linked, it and its ~20 libraries
// (Kerberos, LDAP, OpenSSL) were loaded and relocated at every start, before an MCP server's first reply.
// The PQ* functions below have libpq's own signatures and forward to the loaded library.
#include "CLibPQ.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define LIBPQ_FUNCTIONS(X) \
    X(PQconnectdbParams) X(PQstatus) X(PQerrorMessage) X(PQfinish) X(PQgetCancel) X(PQfreeCancel) \
    X(PQcancel) X(PQsetNoticeReceiver) X(PQserverVersion) X(PQconninfo) X(PQconninfoParse) \
    X(PQconninfoFree) X(PQfreemem) X(PQexec) X(PQexecParams) X(PQclear) X(PQresultStatus) \
    X(PQresultErrorMessage) X(PQresultErrorField) X(PQntuples) X(PQnfields) X(PQfname) X(PQgetvalue) \
    X(PQgetisnull) X(PQcmdTuples)

#define FIELD(name) __typeof__(&name) name;
static struct { LIBPQ_FUNCTIONS(FIELD) } pq;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];
static int loaded;

static void load(void) {
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "cannot load libpq (install libpq5): %s", dlerror());
        return;
    }
#define RESOLVE(name) \
    if (!(pq.name = (__typeof__(&name))dlsym(library, #name))) { \
        snprintf(failure, sizeof failure, "libpq lacks %s: %s", #name, dlerror()); \
        return; \
    }
    LIBPQ_FUNCTIONS(RESOLVE)
    loaded = 1;
}

const char *clibpq_load(void) {
    pthread_once(&once, load);
    return loaded ? NULL : failure;
}

static void require(void) {
    if (clibpq_load()) {
        fprintf(stderr, "senior-backend: %s\n", failure);
        abort();
    }
}

PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) {
    require();
    return pq.PQconnectdbParams(keywords, values, expand_dbname);
}
ConnStatusType PQstatus(const PGconn *conn) { require(); return pq.PQstatus(conn); }
char *PQerrorMessage(const PGconn *conn) { require(); return pq.PQerrorMessage(conn); }
void PQfinish(PGconn *conn) { require(); pq.PQfinish(conn); }
PGcancel *PQgetCancel(PGconn *conn) { require(); return pq.PQgetCancel(conn); }
void PQfreeCancel(PGcancel *cancel) { require(); pq.PQfreeCancel(cancel); }
int PQcancel(PGcancel *cancel, char *errbuf, int errbufsize) {
    require();
    return pq.PQcancel(cancel, errbuf, errbufsize);
}
PQnoticeReceiver PQsetNoticeReceiver(PGconn *conn, PQnoticeReceiver proc, void *arg) {
    require();
    return pq.PQsetNoticeReceiver(conn, proc, arg);
}
int PQserverVersion(const PGconn *conn) { require(); return pq.PQserverVersion(conn); }
PQconninfoOption *PQconninfo(PGconn *conn) { require(); return pq.PQconninfo(conn); }
PQconninfoOption *PQconninfoParse(const char *conninfo, char **errmsg) {
    require();
    return pq.PQconninfoParse(conninfo, errmsg);
}
void PQconninfoFree(PQconninfoOption *options) { require(); pq.PQconninfoFree(options); }
void PQfreemem(void *ptr) { require(); pq.PQfreemem(ptr); }
PGresult *PQexec(PGconn *conn, const char *query) { require(); return pq.PQexec(conn, query); }
PGresult *PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                       const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                       int resultFormat) {
    require();
    return pq.PQexecParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats,
                           resultFormat);
}
void PQclear(PGresult *res) { require(); pq.PQclear(res); }
ExecStatusType PQresultStatus(const PGresult *res) { require(); return pq.PQresultStatus(res); }
char *PQresultErrorMessage(const PGresult *res) { require(); return pq.PQresultErrorMessage(res); }
char *PQresultErrorField(const PGresult *res, int fieldcode) {
    require();
    return pq.PQresultErrorField(res, fieldcode);
}
int PQntuples(const PGresult *res) { require(); return pq.PQntuples(res); }
int PQnfields(const PGresult *res) { require(); return pq.PQnfields(res); }
char *PQfname(const PGresult *res, int field_num) { require(); return pq.PQfname(res, field_num); }
char *PQgetvalue(const PGresult *res, int tup_num, int field_num) {
    require();
    return pq.PQgetvalue(res, tup_num, field_num);
}
int PQgetisnull(const PGresult *res, int tup_num, int field_num) {
    require();
    return pq.PQgetisnull(res, tup_num, field_num);
}
char *PQcmdTuples(PGresult *res) { require(); return pq.PQcmdTuples(res); }
