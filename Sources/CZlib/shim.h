#ifndef KLAXON_CZLIB_SHIM_H
#define KLAXON_CZLIB_SHIM_H
#include <zlib.h>
#endif
