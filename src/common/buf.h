/* buf.h — a growing text buffer for the reports (markdown, HTML, SVG).
 *
 * Appends never fail loudly: on out-of-memory the buffer remembers it and
 * later appends do nothing, so a renderer writes straight-line code and
 * checks pg_buf_failed() once at the end (the pattern of redis' sds and
 * curl's dynbuf, without their generality). */
#ifndef PG_COMMON_BUF_H
#define PG_COMMON_BUF_H

#include <stddef.h>

typedef struct pg_buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len, cap;
    int failed;
} pg_buf;

void pg_buf_append(pg_buf *b, const char *s, size_t n);
void pg_buf_puts(pg_buf *b, const char *s);
void pg_buf_printf(pg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pg_buf_truncate(pg_buf *b, size_t len); /* len <= b->len */
int pg_buf_failed(const pg_buf *b);
/* Marks b failed: a renderer lost something it was to write (its own
 * allocation failed), so the whole text must not be used. */
void pg_buf_fail(pg_buf *b);
const char *pg_buf_str(const pg_buf *b); /* "" when empty */
void pg_buf_free(pg_buf *b);

#endif
