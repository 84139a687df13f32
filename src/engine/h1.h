/* h1.h — the plain HTTP/1.1 path: requests over non-blocking sockets and
 * epoll, answers parsed by http-parser (internal to engine/).
 *
 * Why it exists: libcurl spends more per request than a load generator can
 * afford on a small runner. Measured beside wrk on nginx `return 200`
 * (issue #16): perfgate over libcurl used 33 us of CPU per request where
 * wrk used 12.4 us; the kernel's share alone (two poll() calls per
 * request, one over every connection) kept it under 0.7x of wrk's rate
 * even before libcurl's own work. Here a request costs one write and one
 * read, with epoll reporting only the connections that are ready, as in
 * wrk. The worker chooses this path by itself when the plan needs nothing
 * of libcurl's (prepared.h: plain http:// to an IP literal or localhost,
 * HTTP/1.1, no cookies, no header extraction); everything else, and every
 * run with PERFGATE_HTTP_CLIENT=libcurl, goes through libcurl.
 *
 * The phases mean what libcurl's do, so results from both paths compare:
 * total and TTFB count from the moment the attempt starts (connection set-up
 * included), connect time is measured only on a new connection, header and
 * body bytes are those received. A slot owns its connection (one per
 * virtual user, as k6 keeps them); a connection the server closed while idle
 * is noticed by epoll and dropped before it is used again. */
#ifndef PG_ENGINE_H1_H
#define PG_ENGINE_H1_H

#include <http_parser.h>
#include <stdint.h>

#include "common/buf.h"
#include "engine/h1_request.h"
#include "metrics/trial.h"

struct pg_slot;

/* One slot's connection and the attempt it carries. */
typedef struct pg_h1 {
    int fd;          /* -1: no connection */
    size_t addr;     /* which of the origin's addresses it is connecting to */
    int connecting;  /* the TCP handshake is under way */
    int busy;        /* an attempt is in flight */
    int reused;      /* the attempt went out on a connection that had answered before */
    int want_out;    /* part of the request waits for room in the socket */
    int ctype_field; /* the header being read is Content-Type */
    int in_value;    /* the parser is inside a header value */
    http_parser parser;
    const char *head, *body; /* what to send */
    size_t head_len, body_len, sent;
    uint64_t start_ns, connected_ns, first_byte_ns, done_ns;
    uint64_t header_bytes, body_bytes;
    uint64_t fed, mark, head_start; /* bytes of the answer parsed; end of the last status or value;
                                       where the head began */
    char field[16], ctype[24];      /* enough of a header's name and type to know a stream */
    size_t field_len, ctype_len;
    pg_fail_kind fail; /* PG_FAIL_KINDS while it goes well */
    int complete;
    struct pg_slot *older, *newer; /* attempts in flight, oldest first: deadline order */
    pg_buf render;                 /* a dynamic request's head */
} pg_h1;

/* A worker's share of the path: its epoll set, the in-flight list and the
 * slots whose attempts ended, for the worker to record. */
typedef struct pg_h1_loop {
    int epfd;
    pg_h1_origin origin;
    uint64_t timeout_ns;
    struct pg_slot *oldest, *newest;
    struct pg_slot **done;
    size_t n_done;
    char in[65536]; /* one read's bytes, parsed before the next read */
} pg_h1_loop;

/* A loop for n_slots slots; 0, or -1 when memory or epoll_create fail. */
int pg_h1_loop_init(pg_h1_loop *l, const pg_h1_origin *o, uint64_t timeout_ns, size_t n_slots);
void pg_h1_loop_clear(pg_h1_loop *l);

void pg_h1_init(pg_h1 *h);
void pg_h1_free(pg_h1 *h); /* closes the connection */

/* Starts an attempt of slot s: sends s->h1.head, then s->h1.body (both
 * kept by the caller until it ends). fresh: on a new connection. An
 * attempt that fails at once ends like any other: in l->done. */
void pg_h1_send(pg_h1_loop *l, struct pg_slot *s, int fresh);

/* What epoll reported for slot s's connection. */
void pg_h1_on_event(pg_h1_loop *l, struct pg_slot *s, uint32_t events);

/* When the oldest attempt in flight times out (every attempt has the same
 * timeout, so it is the first to), or UINT64_MAX. */
uint64_t pg_h1_next_deadline(const pg_h1_loop *l);

/* Ends the attempts whose deadline has passed (a timeout). */
void pg_h1_expire(pg_h1_loop *l, uint64_t now);

/* Drops slot s's attempt and its connection (the run is stopping). */
void pg_h1_abort(pg_h1_loop *l, struct pg_slot *s);

#endif
