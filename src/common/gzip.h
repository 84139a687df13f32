/* gzip.h — gzip a buffer and read one back (zlib), for the baselines a
 * branch stores: a results file of one budget is ~50 KB of JSON, ~10 KB
 * gzipped, and a branch keeps every version of it forever. */
#ifndef PG_COMMON_GZIP_H
#define PG_COMMON_GZIP_H

#include <stddef.h>

#include "common/err.h"

/* 1 when data starts with gzip's magic bytes. */
int pg_gzip_is(const void *data, size_t len);

/* Compresses data into *out (caller frees), gzip format, best compression. */
int pg_gzip(char **out, size_t *out_len, const char *data, size_t len, pg_err *err);

/* Inflates gzip (or zlib) data into *out, NUL-terminated (caller frees);
 * refuses more than max bytes of output. name names the data in errors. */
int pg_gunzip(char **out, size_t *out_len, const void *data, size_t len, size_t max,
              const char *name, pg_err *err);

#endif
