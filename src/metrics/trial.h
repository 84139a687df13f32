/* trial.h — what one trial measured: histograms and counters.
 *
 * The unit of comparison is the trial (docs/design.md, "Statistics"), so each trial
 * keeps its own histograms. Workers each fill their own pg_trial and the
 * engine merges them at the end (adding counts is exact), so nothing is
 * shared on the hot path. Memory is fixed once the budget is known. */
#ifndef PG_METRICS_TRIAL_H
#define PG_METRICS_TRIAL_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/hist.h"

/* Why a request counted as failed. */
typedef enum {
    PG_FAIL_REFUSED,  /* connection refused */
    PG_FAIL_RESET,    /* connection reset / closed mid-response */
    PG_FAIL_TIMEOUT,  /* request timeout */
    PG_FAIL_DNS,      /* name did not resolve */
    PG_FAIL_TLS,      /* TLS handshake or certificate */
    PG_FAIL_STATUS,   /* status not expected */
    PG_FAIL_EXPECT,   /* body_contains not found */
    PG_FAIL_PROTOCOL, /* the answer was not valid HTTP */
    PG_FAIL_OTHER,
    PG_FAIL_KINDS
} pg_fail_kind;

extern const char *const pg_fail_kind_names[PG_FAIL_KINDS];
/* What a failure of each kind usually means, in one line for a person. */
extern const char *const pg_fail_kind_hints[PG_FAIL_KINDS];

#define PG_FAIL_EXAMPLE 256 /* bytes kept of a failure's description */

#define PG_STATUS_CODES 600

/* Histograms hold whole numbers: rates per second are kept in thousandths. */
#define PG_PER_SECOND_SCALE 1000.0

typedef struct pg_trial {
    double duration_s; /* wall time of the trial */
    uint64_t requests; /* completed (answered or failed) */
    uint64_t failed;   /* http_req_failed numerator */
    uint64_t iterations;
    uint64_t dropped; /* open model: starts skipped for lack of a connection */
    uint64_t checks, checks_failed;
    uint64_t bytes_in, bytes_out;
    uint64_t status[PG_STATUS_CODES]; /* by HTTP status; 0 = no response */
    uint64_t fails[PG_FAIL_KINDS];
    pg_hist duration;     /* http_req_duration; open model: from the intended start */
    pg_hist duration_raw; /* from the actual send (equal to duration in the closed model) */
    pg_hist waiting;      /* http_req_waiting: time to first byte */
    pg_hist connecting;   /* only requests that opened a connection */
    pg_hist tls;          /* only requests that did a TLS handshake */
    pg_hist iteration;    /* iteration_duration */
    /* Answers read as Server-Sent Events (text/event-stream, or "stream": "sse") */
    uint64_t sse_streams; /* streams that ended well */
    uint64_t sse_events;  /* events with data, over every stream */
    uint64_t sse_tokens;  /* by "tokens_field" */
    pg_hist sse_ttfe;     /* sse_time_to_first_event: from the send to the first event */
    pg_hist sse_gap;      /* sse_inter_event: between two events of one stream */
    pg_hist sse_stream;   /* sse_stream_duration: from the send to the end */
    pg_hist sse_eps;      /* sse_events_per_second of each stream, x PG_PER_SECOND_SCALE */
    pg_hist sse_tps;      /* sse_tokens_per_second of each stream, x PG_PER_SECOND_SCALE */
    /* breaking-point: the highest rate of this trial's staircase that held
     * (0 when even the first step broke); the trial's measurements are those
     * of that step. at_max: it held up to load.max, so the capacity is at
     * least this. Not added by pg_trial_merge. */
    double capacity_rps;
    int capacity_at_max;
    size_t n_scenarios, n_names;
    pg_hist *by_scenario; /* http_req_duration{scenario:...} */
    pg_hist *by_name;     /* http_req_duration{name:...} */
} pg_trial;

int pg_trial_init(pg_trial *t, size_t n_scenarios, size_t n_names, pg_err *err);
void pg_trial_clear(pg_trial *t);                          /* frees the sub-metric arrays */
void pg_trial_merge(pg_trial *into, const pg_trial *from); /* same shapes */
double pg_trial_rps(const pg_trial *t);
double pg_trial_error_rate(const pg_trial *t);
/* Requests that got an HTTP answer (whatever its status). */
uint64_t pg_trial_answered(const pg_trial *t);

#endif
