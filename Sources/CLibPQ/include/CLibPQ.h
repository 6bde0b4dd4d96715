#ifndef SENIOR_BACKEND_CLIBPQ_H
#define SENIOR_BACKEND_CLIBPQ_H
#include <postgresql/libpq-fe.h>

/// Loads libpq (once, thread-safe). NULL when its functions are usable, else why it could not be loaded.
/// Every PQ* function this module declares calls into the loaded library; call this before the first.
const char *clibpq_load(void);
#endif
