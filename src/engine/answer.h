/* answer.h — one slot's answer read and recorded (internal to engine/).
 *
 * What a worker and its slots are (pg_slot, struct pg_worker: internal to
 * worker.c and answer.c), and the part of the worker that reads an answer
 * as it arrives (the body callback: Server-Sent Events, the bytes kept for
 * expectations and extraction) and records a finished request into its
 * trial and the live counters: status and body checks, extraction, failure
 * kinds and their first example, latency, TTFB, connect and TLS times,
 * streams and the sub-metric filters. */
#ifndef PG_ENGINE_ANSWER_H
#define PG_ENGINE_ANSWER_H

#include <curl/curl.h>

#include "common/heap.h"
#include "engine/flow.h"
#include "engine/h1.h"
#include "engine/sse.h"
#include "engine/worker.h"

#define PG_SSE_TEXT_MAX 8192 /* event text kept for counting tokens; longer events count none */

typedef enum { PG_SLOT_IDLE, PG_SLOT_BUSY, PG_SLOT_THINKING } pg_slot_state;

typedef struct pg_slot {
    CURL *easy;        /* plain or jar: the one this iteration's scenario wants */
    CURL *plain, *jar; /* jar: the cookie engine on (NULL unless a scenario has "cookies") */
    struct pg_worker *w;
    pg_slot_state state;
    size_t vu; /* closed: local VU number k (global index gindex + k*gstride) */
    size_t scenario, step;
    int trial; /* -1: warm-up, not recorded */
    uint64_t iter_intended_ns, intended_ns, sent_ns;
    const pg_prepared_request *configured; /* request the easy handle is set up for */
    char *body;
    size_t body_len, body_cap;
    char errbuf[CURL_ERROR_SIZE]; /* libcurl's words for the last failure */
    /* the answer read as Server-Sent Events */
    pg_sse sse;
    int sse_checked, sse_on;         /* the answer's type looked at; it is a stream */
    uint64_t sse_chunk_ns;           /* when the body piece being parsed arrived */
    uint64_t sse_last_ns;            /* when the previous event arrived */
    uint64_t sse_events, sse_tokens; /* of this stream */
    pg_flow flow;                    /* rendered requests, extracted values, data record */
    int retried;                     /* this request is a second try, on a new connection */
    uint64_t retry_ns;               /* when the second try was sent */
    size_t sent_body;                /* bytes of the body sent */
    pg_h1 h1;                        /* the plain path's connection (unused on libcurl's) */
} pg_slot;

struct pg_worker {
    pg_worker_cfg cfg;
    CURLM *multi;   /* libcurl's path */
    pg_h1_loop *h1; /* the plain path (h1.h), NULL on libcurl's */
    int tfd;
    uint64_t armed_ns;
    pg_slot *slots;
    size_t n_slots, busy;
    size_t *free_slots, n_free; /* open model: stack of idle slots */
    pg_heap thinkers;           /* closed model: slots in think time */
    size_t active_vus;          /* closed model: local VUs that should run */
    size_t prev_active;         /* closed model: active_vus at the last schedule */
    pg_trial *trials;
    pg_live live;
    uint64_t rng;
    /* open model */
    pg_arrivals warm, main;
    int in_warm, have_arrival;
    int starved; /* the last due start found no free slot: lateness is the target's */
    uint64_t arrival_ns, drop_after_ns;
    int stopping, interrupted, ended;
    uint64_t started, behind;
    char stop_reason[256]; /* why this worker stopped the run ("" when it did not) */
    char example[PG_FAIL_KINDS][PG_FAIL_EXAMPLE]; /* first failure of each kind, in words */
};

/* What came of one attempt, from either path, in libcurl's terms. */
typedef struct pg_outcome {
    pg_fail_kind fail; /* PG_FAIL_KINDS: an answer came (its status may still fail it) */
    long status;
    uint64_t total_us, ttfb_us; /* from the attempt's start */
    int new_connection;
    uint64_t connect_us, tls_us; /* from the start, on a new connection: TCP up, TLS up (0: none) */
    uint64_t header_bytes, body_bytes, request_bytes;
    const char *error; /* the failure in words */
} pg_outcome;

/* The answer's Content-Type (type_len bytes; NULL: none) is known: decides
 * whether its body is read as Server-Sent Events ("stream": "sse", or the
 * type text/event-stream). Each path calls it once per answer, before
 * its body. */
void pg_answer_typed(pg_slot *s, const char *type, size_t type_len);

/* libcurl's write callback (CURLOPT_WRITEDATA: the slot). */
size_t pg_answer_on_body(char *data, size_t size, size_t n, void *slot);

/* The failure kind of a transfer that ended with code (not CURLE_OK). */
pg_fail_kind pg_answer_kind(CURLcode code);

/* The outcome of the slot's libcurl transfer that ended with code. */
void pg_answer_outcome_curl(pg_slot *s, CURLcode code, pg_outcome *o);

/* The outcome of the slot's attempt on the plain path. */
void pg_answer_outcome_h1(pg_slot *s, pg_outcome *o);

/* Records the slot's finished request. 0 when the iteration goes on; -1
 * when a value it extracts was not in the answer (the requests after it
 * would go out without it). */
int pg_answer_record(pg_worker *w, pg_slot *s, const pg_outcome *o);

#endif
