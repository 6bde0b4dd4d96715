// libzmq is opened when a Locust worker starts, not linked: linked, it and its libraries (libsodium,
// OpenPGM, NORM, libstdc++) were loaded and relocated at every start, before an MCP server's first reply.
// The zmq_* functions below have libzmq's own signatures and forward to the loaded library.
#include "CZeroMQ.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define ZMQ_FUNCTIONS(X) \
    X(zmq_ctx_new) X(zmq_ctx_term) X(zmq_socket) X(zmq_close) X(zmq_setsockopt) X(zmq_connect) \
    X(zmq_send) X(zmq_poll) X(zmq_msg_init) X(zmq_msg_close) X(zmq_msg_recv) X(zmq_msg_size) \
    X(zmq_msg_data) X(zmq_msg_more) X(zmq_errno) X(zmq_strerror)

#define FIELD(name) __typeof__(&name) name;
static struct { ZMQ_FUNCTIONS(FIELD) } zmq;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];
static int loaded;

static void load(void) {
    void *library = dlopen("libzmq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "cannot load libzmq (install libzmq5): %s", dlerror());
        return;
    }
#define RESOLVE(name) \
    if (!(zmq.name = (__typeof__(&name))dlsym(library, #name))) { \
        snprintf(failure, sizeof failure, "libzmq lacks %s: %s", #name, dlerror()); \
        return; \
    }
    ZMQ_FUNCTIONS(RESOLVE)
    loaded = 1;
}

const char *czeromq_load(void) {
    pthread_once(&once, load);
    return loaded ? NULL : failure;
}

static void require(void) {
    if (czeromq_load()) {
        fprintf(stderr, "senior-backend: %s\n", failure);
        abort();
    }
}

void *zmq_ctx_new(void) { require(); return zmq.zmq_ctx_new(); }
int zmq_ctx_term(void *context) { require(); return zmq.zmq_ctx_term(context); }
void *zmq_socket(void *context, int type) { require(); return zmq.zmq_socket(context, type); }
int zmq_close(void *socket) { require(); return zmq.zmq_close(socket); }
int zmq_setsockopt(void *socket, int option, const void *value, size_t length) {
    require();
    return zmq.zmq_setsockopt(socket, option, value, length);
}
int zmq_connect(void *socket, const char *address) { require(); return zmq.zmq_connect(socket, address); }
int zmq_send(void *socket, const void *buffer, size_t length, int flags) {
    require();
    return zmq.zmq_send(socket, buffer, length, flags);
}
int zmq_poll(zmq_pollitem_t *items, int count, long timeout) {
    require();
    return zmq.zmq_poll(items, count, timeout);
}
int zmq_msg_init(zmq_msg_t *message) { require(); return zmq.zmq_msg_init(message); }
int zmq_msg_close(zmq_msg_t *message) { require(); return zmq.zmq_msg_close(message); }
int zmq_msg_recv(zmq_msg_t *message, void *socket, int flags) {
    require();
    return zmq.zmq_msg_recv(message, socket, flags);
}
size_t zmq_msg_size(const zmq_msg_t *message) { require(); return zmq.zmq_msg_size(message); }
void *zmq_msg_data(zmq_msg_t *message) { require(); return zmq.zmq_msg_data(message); }
int zmq_msg_more(const zmq_msg_t *message) { require(); return zmq.zmq_msg_more(message); }
int zmq_errno(void) { require(); return zmq.zmq_errno(); }
const char *zmq_strerror(int errnum) { require(); return zmq.zmq_strerror(errnum); }
