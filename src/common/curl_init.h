/* curl_init.h — libcurl's global set-up, done once, by the parts that make
 * libcurl transfers and only when they do. */
#ifndef PG_COMMON_CURL_INIT_H
#define PG_COMMON_CURL_INIT_H

#include "common/err.h"

/* curl_global_init once per process (any thread may call it first); PG_OK
 * when libcurl is ready, else PG_ERUN in err (every later call fails too).
 * Not called at start-up: it initialises OpenSSL (about 2 MiB of pages
 * that stay resident), which a run on the plain HTTP/1.1 path never uses. */
int pg_curl_init(pg_err *err);

#endif
