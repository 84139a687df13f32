/* gzip.c — zlib's deflate and inflate over whole buffers (see gzip.h). */
#include "common/gzip.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int pg_gzip_is(const void *data, size_t len)
{
    const unsigned char *b = data;
    return len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

int pg_gzip(char **out, size_t *out_len, const char *data, size_t len, pg_err *err)
{
    z_stream z;
    uLong cap;
    int rc;

    *out = NULL;
    *out_len = 0;
    if (len > UINT_MAX)
        return pg_err_set(err, PG_EINVALID, "%zu bytes are too many to compress at once", len);
    memset(&z, 0, sizeof z);
    /* 15 + 16: a gzip header and trailer instead of zlib's, so `zcat` reads it */
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return pg_err_set(err, PG_ENOMEM, "out of memory starting zlib");
    cap = deflateBound(&z, (uLong)len);
    if (!(*out = malloc(cap))) {
        deflateEnd(&z);
        return pg_err_set(err, PG_ENOMEM, "out of memory compressing %zu bytes", len);
    }
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)*out;
    z.avail_out = (uInt)cap;
    rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(*out);
        *out = NULL;
        return pg_err_set(err, PG_ERUN, "zlib could not compress (%d)", rc);
    }
    return PG_OK;
}

int pg_gunzip(char **out, size_t *out_len, const void *data, size_t len, size_t max,
              const char *name, pg_err *err)
{
    z_stream z;
    size_t cap = 0;
    char *buf = NULL;
    int rc, too_big = 0;

    *out = NULL;
    *out_len = 0;
    if (len > UINT_MAX)
        return pg_err_at(err, PG_EINVALID, name, 0, 0, "too large to decompress");
    memset(&z, 0, sizeof z);
    /* 15 + 32: gzip or zlib, whichever header it has */
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return pg_err_set(err, PG_ENOMEM, "out of memory starting zlib");
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    for (;;) {
        size_t used = z.total_out;
        if (used + 1 >= cap) { /* full: grow, up to max bytes and the NUL */
            size_t want = cap ? cap * 2 : len * 4 + 1024;
            char *b;
            if (want > max + 1)
                want = max + 1;
            if (want <= used + 1 || want - 1 - used > UINT_MAX) {
                too_big = want <= used + 1;
                rc = Z_BUF_ERROR;
                break;
            }
            if (!(b = realloc(buf, want))) {
                free(buf);
                inflateEnd(&z);
                return pg_err_set(err, PG_ENOMEM, "out of memory decompressing %s", name);
            }
            buf = b;
            cap = want;
        }
        z.next_out = (Bytef *)buf + used;
        z.avail_out = (uInt)(cap - 1 - used);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END)
            break;
        if (rc == Z_OK && z.avail_out == 0)
            continue; /* more output than room: grow */
        if (rc == Z_BUF_ERROR && z.avail_out == 0)
            continue;
        if (rc == Z_OK || rc == Z_BUF_ERROR)
            rc = Z_DATA_ERROR; /* the input ended inside the stream */
        break;
    }
    *out_len = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        *out_len = 0;
        return too_big ? pg_err_at(err, PG_EINVALID, name, 0, 0,
                                   "decompresses to more than %zu bytes", max)
                       : pg_err_at(err, PG_EINVALID, name, 0, 0,
                                   "is not valid gzip data (truncated or corrupt)");
    }
    buf[*out_len] = '\0';
    *out = buf;
    return PG_OK;
}
