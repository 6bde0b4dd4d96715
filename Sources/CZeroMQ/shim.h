#ifndef SENIOR_BACKEND_CZEROMQ_SHIM_H
#define SENIOR_BACKEND_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
