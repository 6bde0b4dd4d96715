#ifndef SENIOR_BACKEND_CZEROMQ_H
#define SENIOR_BACKEND_CZEROMQ_H
#include <zmq.h>

/// Loads libzmq (once, thread-safe). NULL when its functions are usable, else why it could not be loaded.
/// Every zmq_* function this module uses calls into the loaded library; call this before the first.
const char *czeromq_load(void);
#endif
