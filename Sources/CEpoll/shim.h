#ifndef KLAXON_CEPOLL_SHIM_H
#define KLAXON_CEPOLL_SHIM_H
// Glibc's Swift module map leaves out <sys/epoll.h>; this shim brings it in.
#include <sys/epoll.h>
#endif
