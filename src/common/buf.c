/* buf.c — growing text buffer (see buf.h). */
#include "common/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(pg_buf *b, size_t more)
{
    size_t need, cap;
    char *p;

    if (b->failed)
        return -1;
    need = b->len + more + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    if (!(p = realloc(b->data, cap))) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void pg_buf_append(pg_buf *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pg_buf_puts(pg_buf *b, const char *s)
{
    pg_buf_append(b, s, strlen(s));
}

void pg_buf_printf(pg_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void pg_buf_truncate(pg_buf *b, size_t len)
{
    if (b->data && len <= b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

void pg_buf_fail(pg_buf *b)
{
    b->failed = 1;
}

int pg_buf_failed(const pg_buf *b)
{
    return b->failed;
}

const char *pg_buf_str(const pg_buf *b)
{
    return b->data ? b->data : "";
}

void pg_buf_free(pg_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}
