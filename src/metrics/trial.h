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

/* Why a request counted as failed: id, name (results, reports), whether the
 * target answered (a 503 is an answer; a refused connection is not), and
 * what a failure of the kind usually means, in one line for a person. */
#define PG_FAIL_KIND_TABLE(X)                                                                      \
    X(PG_FAIL_REFUSED, "refused", 0,                                                               \
      "nothing accepted the connection: is the target running, on that host and port?")            \
    X(PG_FAIL_RESET, "reset", 0,                                                                   \
      "the target closed or reset the connection before the answer was complete")                  \
    X(PG_FAIL_TIMEOUT, "timeout", 0,                                                               \
      "no complete answer within the request timeout (load.timeout)")                              \
    X(PG_FAIL_DNS, "dns", 0, "the host name did not resolve")                                      \
    X(PG_FAIL_TLS, "tls", 0,                                                                       \
      "the TLS handshake failed: http:// vs https://, a certificate not trusted (\"insecure\": "   \
      "true skips the check), or not a TLS server")                                                \
    X(PG_FAIL_STATUS, "status", 1,                                                                 \
      "the status was not one the request expects (2xx/3xx unless expect.status says)")            \
    X(PG_FAIL_EXPECT, "expectation", 1, "the body did not contain expect.body_contains")           \
    X(PG_FAIL_PROTOCOL, "protocol", 0,                                                             \
      "the answer was not valid HTTP: is an HTTP server listening on that port?")                  \
    X(PG_FAIL_OTHER, "other", 0, "libcurl failed in another way (see the example)")                \
    X(PG_FAIL_EXTRACT, "extract", 1,                                                               \
      "a value the request extracts was not in the answer (its iteration stopped there)")

typedef enum {
#define PG_FAIL_ENUM(id, name, answered, hint) id,
    PG_FAIL_KIND_TABLE(PG_FAIL_ENUM)
#undef PG_FAIL_ENUM
        PG_FAIL_KINDS
} pg_fail_kind;

extern const char *const pg_fail_kind_names[PG_FAIL_KINDS];
extern const char *const pg_fail_kind_hints[PG_FAIL_KINDS];
extern const int pg_fail_kind_answered[PG_FAIL_KINDS];

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
    uint64_t retried; /* failed on a reused connection before any answer, sent again on a new
                         one (counted once, in requests, by the attempt that ended) */
    uint64_t bytes_in, bytes_out;
    uint64_t status[PG_STATUS_CODES]; /* by HTTP status; 0 = no response */
    uint64_t fails[PG_FAIL_KINDS];
    pg_hist duration;     /* http_req_duration; open model: from the intended start */
    pg_hist duration_raw; /* from the actual send (equal to duration in the closed model) */
    pg_hist waiting;      /* http_req_waiting: time to first byte */
    pg_hist connecting;   /* only requests that opened a connection */
    pg_hist tls;          /* only requests that did a TLS handshake */
    pg_hist iteration;    /* iteration_duration */
    pg_hist send_late;    /* open model: an iteration's intended start to its first send */
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
    /* CPU seconds the service's processes used during the trial (monitor/
     * service_cpu.h); NAN when not measured (a remote target, a process that
     * ended). Set by the engine after the merge; not added by pg_trial_merge. */
    double service_cpu_s;
    /* seconds the service's threads waited runnable for a CPU during the
     * trial (the run queue); NAN when not measured. Set like service_cpu_s. */
    double service_wait_s;
    /* CPU seconds every other process on the machine (not perfgate, not
     * this service) used during the trial; NAN when not measured. Set like
     * service_cpu_s. */
    double others_cpu_s;
    size_t n_scenarios, n_names;
    pg_hist *by_scenario; /* http_req_duration{scenario:...} */
    pg_hist *by_name;     /* http_req_duration{name:...} */
    size_t n_filters;
    pg_hist *by_filter; /* http_req_duration{status:...}, {scenario:...,method:...}: one per
                           sub-metric a threshold names (pg_budget_run.filters) */
} pg_trial;

int pg_trial_init(pg_trial *t, size_t n_scenarios, size_t n_names, pg_err *err);
/* The same for a trial whose bytes are all zero already (calloc'd), which
 * it does not write again: a trial is a dozen 26 KiB histograms, and only
 * the pages of buckets that count something then become resident (hist.h).
 * Reading a page never written makes it resident too, so nothing here
 * checks that they are zero. */
int pg_trial_init_zeroed(pg_trial *t, size_t n_scenarios, size_t n_names, pg_err *err);
/* Room for n filtered histograms (by_filter), after pg_trial_init. */
int pg_trial_add_filters(pg_trial *t, size_t n, pg_err *err);
void pg_trial_clear(pg_trial *t);                          /* frees the sub-metric arrays */
void pg_trial_merge(pg_trial *into, const pg_trial *from); /* same shapes */
double pg_trial_rps(const pg_trial *t);
double pg_trial_error_rate(const pg_trial *t);
/* Requests that got an HTTP answer (whatever its status). */
uint64_t pg_trial_answered(const pg_trial *t);
/* The service's CPU time per answered request in microseconds, NAN when
 * not measured or nothing was answered. */
double pg_trial_service_cpu_us(const pg_trial *t);
/* The service's run-queue wait per answered request in microseconds, NAN
 * when not measured or nothing was answered. */
double pg_trial_service_wait_us(const pg_trial *t);

#endif
