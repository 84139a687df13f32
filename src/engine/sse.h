/* sse.h — a streaming parser for text/event-stream (Server-Sent Events), as
 * the WHATWG HTML standard defines it, fed the body in whatever pieces
 * libcurl hands over.
 *
 * It keeps no line buffer: field names are matched as they arrive and only
 * the values of "data" fields are kept, and only when the caller wants the
 * event's text (up to a cap). So a hostile stream of endless lines costs
 * nothing but time. Lines end with CRLF, LF or CR; a line starting with ':'
 * is a comment; a blank line dispatches the event, if it had a data field.
 * An event still open when the stream ends is discarded, as the standard
 * says. */
#ifndef PG_ENGINE_SSE_H
#define PG_ENGINE_SSE_H

#include <stddef.h>
#include <stdint.h>

/* One dispatched event. data is the joined data lines, len bytes (which may
 * include NUL bytes) followed by a NUL, truncated to the parser's cap
 * (truncated set then); empty is 1 when every
 * data line was empty (a "data:" alone), which the metrics do not count. */
typedef struct pg_sse_event {
    const char *data;
    size_t len;
    int truncated, empty;
} pg_sse_event;

typedef void (*pg_sse_event_fn)(void *arg, const pg_sse_event *ev);

typedef struct pg_sse {
    int state;       /* where in a line we are */
    int after_cr;    /* the last byte was CR: a following LF is the same line end */
    int at_start;    /* nothing read yet: a byte order mark is skipped */
    size_t bom_seen; /* bytes of a byte order mark matched so far */
    char name[8];    /* the field name so far (only "data" matters) */
    size_t name_len;
    int name_long;  /* longer than any field we know */
    int field;      /* which field the current line holds */
    int has_data;   /* the event has a data field */
    int data_bytes; /* the event's data has a non-empty line */
    char *data;     /* NULL: the caller does not want the text */
    size_t data_len, data_cap;
    int data_truncated;
} pg_sse;

/* data_cap 0: events are counted, their text not kept (no allocation). */
int pg_sse_init(pg_sse *p, size_t data_cap);
void pg_sse_reset(pg_sse *p); /* for the next stream; keeps the buffer */
void pg_sse_free(pg_sse *p);
/* Parses len bytes, calling on_event for every complete event. */
void pg_sse_feed(pg_sse *p, const char *buf, size_t len, pg_sse_event_fn on_event, void *arg);

/* The tokens an event carries, by path ("choices.0.delta.content": keys
 * and array indexes joined by dots) into its JSON data: a string counts its
 * characters, a number is the count itself, an array counts its items.
 * 0 when the data is not JSON (e.g. "[DONE]") or the path leads nowhere. */
uint64_t pg_sse_tokens(const char *data, size_t len, const char *path);

#endif
