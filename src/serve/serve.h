/* serve.h — perfgate serve, the built-in HTTP target (libmicrohttpd).
 *
 * The target for the demo, the tests and anyone trying perfgate out. It must
 * stay out of the way of measurements, so responses that can be prepared
 * once are, and service time (--delay, /delay/<ms>) never blocks a server
 * thread: the connection is suspended and a timer thread resumes it when due.
 * A stall (--stall-every/--stall-for) holds every answer due inside the
 * window until its end, like a server frozen by a GC pause, which is what
 * exposes coordinated omission in closed-model load tools. --cpu burns CPU
 * time on the server thread for every request instead: a CPU-bound service,
 * whose slowdown, unlike a delay, also takes cores from everything beside it. */
#ifndef PG_SERVE_SERVE_H
#define PG_SERVE_SERVE_H

#include "common/err.h"

typedef struct pg_serve_opts {
    char host[64];        /* IPv4 literal, default 127.0.0.1 */
    unsigned port;        /* 0 picks a free port */
    unsigned threads;     /* 0: number of cores */
    double delay_ms;      /* added to every response */
    double jitter_ms;     /* uniform +- around delay_ms */
    double stall_every_s; /* 0: never */
    double stall_for_ms;
    double cpu_ms; /* CPU time burnt on the server thread per request (a CPU-bound service) */
} pg_serve_opts;

typedef struct pg_server pg_server;

void pg_serve_opts_default(pg_serve_opts *o);

/* Starts serving in background threads. */
int pg_serve_start(pg_server **out, const pg_serve_opts *opts, pg_err *err);

/* The port actually bound (useful with port 0). */
unsigned pg_serve_port(const pg_server *s);
/* How many connections it accepts at once: 20,000, or less when the
 * open-file limit cannot be raised that far. */
unsigned pg_serve_connection_limit(const pg_server *s);

/* Stops and frees; NULL is fine. */
void pg_serve_stop(pg_server *s);

#endif
