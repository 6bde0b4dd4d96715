#ifndef SENIOR_BACKEND_CLIBPQ_SHIM_H
#define SENIOR_BACKEND_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
