#ifndef KLAXON_CSQLITE_SHIM_H
#define KLAXON_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
