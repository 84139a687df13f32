/* threshold.h — k6-style metric names and threshold expressions.
 *
 * A threshold is "<aggregation> <op> <value>" on a metric, e.g.
 * "p(95)<200ms" on http_req_duration or "rate<0.01" on http_req_failed
 * (https://grafana.com/docs/k6/latest/using-k6/thresholds/). Metric names may
 * carry one tag filter, k6's sub-metric syntax: http_req_duration{scenario:browse}. */
#ifndef PG_CONFIG_THRESHOLD_H
#define PG_CONFIG_THRESHOLD_H

#include <stddef.h>

#include "config/metric_catalog.h"

/* A gauge is a series of samples of a level (a CPU share, a memory size, a
 * scraped value, each trial's capacity): thresholds aggregate the samples
 * as they do a trend's. */
typedef enum { PG_METRIC_TREND, PG_METRIC_RATE, PG_METRIC_COUNTER, PG_METRIC_GAUGE } pg_metric_kind;

/* The metrics thresholds may name, as k6 names them:
 * X(id, name, kind, unit, worse, what). */
#define PG_THRESHOLD_METRICS(X)                                                                    \
    X(HTTP_REQ_DURATION, "http_req_duration", TREND, DURATION, HIGHER, "total time of a request")  \
    X(HTTP_REQ_WAITING, "http_req_waiting", TREND, DURATION, HIGHER, "time to first byte")         \
    X(HTTP_REQ_CONNECTING, "http_req_connecting", TREND, DURATION, HIGHER, "TCP connect time")     \
    X(HTTP_REQ_TLS_HANDSHAKING, "http_req_tls_handshaking", TREND, DURATION, HIGHER,               \
      "TLS handshake time")                                                                        \
    X(ITERATION_DURATION, "iteration_duration", TREND, DURATION, HIGHER,                           \
      "time of one scenario iteration")                                                            \
    X(HTTP_REQ_FAILED, "http_req_failed", RATE, SHARE, HIGHER, "share of failed requests")         \
    X(CHECKS, "checks", RATE, SHARE, LOWER, "share of passed expect checks")                       \
    X(HTTP_REQS, "http_reqs", COUNTER, COUNT, LOWER, "requests that got an answer")                \
    X(ITERATIONS, "iterations", COUNTER, COUNT, LOWER, "scenario iterations")                      \
    X(DROPPED_ITERATIONS, "dropped_iterations", COUNTER, COUNT, HIGHER,                            \
      "iterations not started for lack of a connection")                                           \
    X(DATA_RECEIVED, "data_received", COUNTER, COUNT, LOWER, "bytes received")                     \
    X(DATA_SENT, "data_sent", COUNTER, COUNT, LOWER, "bytes sent")                                 \
    X(SSE_TIME_TO_FIRST_EVENT, "sse_time_to_first_event", TREND, DURATION, HIGHER,                 \
      "send to a stream's first event")                                                            \
    X(SSE_INTER_EVENT, "sse_inter_event", TREND, DURATION, HIGHER,                                 \
      "time between two events of a stream")                                                       \
    X(SSE_STREAM_DURATION, "sse_stream_duration", TREND, DURATION, HIGHER,                         \
      "send to the end of a stream")                                                               \
    X(SSE_EVENTS_PER_SECOND, "sse_events_per_second", TREND, PER_SECOND, LOWER,                    \
      "events per second of each stream")                                                          \
    X(SSE_TOKENS_PER_SECOND, "sse_tokens_per_second", TREND, PER_SECOND, LOWER,                    \
      "tokens per second of each stream")                                                          \
    X(SSE_EVENTS, "sse_events", COUNTER, COUNT, LOWER, "stream events with data")                  \
    X(SSE_TOKENS, "sse_tokens", COUNTER, COUNT, LOWER, "tokens counted by tokens_field")           \
    X(CAPACITY_RPS, "capacity_rps", GAUGE, PER_SECOND, LOWER,                                      \
      "breaking-point: each trial's highest rate that held")                                       \
    X(HOST_CPU, "host_cpu", GAUGE, PERCENT, HIGHER, "CPU busy on the machine, % of all cores")     \
    X(HOST_MEM, "host_mem", GAUGE, PERCENT, HIGHER, "memory in use on the machine, %")             \
    X(PERFGATE_CPU, "perfgate_cpu", GAUGE, PERCENT, HIGHER, "perfgate's own CPU, % of one core")   \
    X(OTHER_CPU, "other_cpu", GAUGE, PERCENT, HIGHER,                                              \
      "CPU of processes other than perfgate and the target, % of one core")                        \
    X(CPU_STEAL, "cpu_steal", GAUGE, PERCENT, HIGHER,                                              \
      "CPU time the hypervisor gave to other guests, % of all cores")                              \
    X(TARGET_CPU, "target_cpu", GAUGE, PERCENT, HIGHER, "the target's CPU, % of one core")         \
    X(TARGET_RSS, "target_rss", GAUGE, BYTES, HIGHER, "the target's resident memory")              \
    X(TARGET_THREADS, "target_threads", GAUGE, COUNT, HIGHER, "the target's threads")              \
    X(TARGET_FDS, "target_fds", GAUGE, COUNT, HIGHER, "the target's open file descriptors")

typedef enum {
#define PG_METRIC_ID(id, name, kind, unit, worse, what) PG_METRIC_##id,
    PG_THRESHOLD_METRICS(PG_METRIC_ID)
#undef PG_METRIC_ID
        PG_N_METRICS,
    PG_METRIC_SCRAPED = PG_N_METRICS, /* a gauge scraped from a metrics endpoint */
} pg_metric_id;

/* A time trend takes "200ms" in thresholds, a byte gauge "512MiB". The
 * direction decides which way a comparison of the metric's trial values is
 * worse (a counter's is what its rate would say). */
typedef struct pg_metric_def {
    pg_metric_id id;
    const char *name;
    pg_metric_kind kind;
    pg_unit unit;
    pg_direction worse;
    const char *what;
} pg_metric_def;

typedef enum {
    PG_AGG_PERCENTILE,
    PG_AGG_AVG,
    PG_AGG_MED,
    PG_AGG_MIN,
    PG_AGG_MAX,
    PG_AGG_RATE,
    PG_AGG_COUNT,
} pg_agg;

typedef enum { PG_OP_LT, PG_OP_LE, PG_OP_GT, PG_OP_GE, PG_OP_EQ, PG_OP_NE } pg_op;

/* The tags a sub-metric filters on, as k6 writes them: one row each. */
#define PG_TAG_KEYS(X)                                                                             \
    X(PG_TAG_SCENARIO, "scenario")                                                                 \
    X(PG_TAG_NAME, "name")     /* the request's name */                                            \
    X(PG_TAG_STATUS, "status") /* the answer's status code */                                      \
    X(PG_TAG_METHOD, "method")                                                                     \
    X(PG_TAG_EXPECTED_RESPONSE, "expected_response") /* true: the status was one expected */

typedef enum {
#define PG_TAG_ENUM(id, name) id,
    PG_TAG_KEYS(PG_TAG_ENUM)
#undef PG_TAG_ENUM
        PG_TAG_KEY_COUNT
} pg_tag_key;

extern const char *const pg_tag_key_names[PG_TAG_KEY_COUNT + 1]; /* NULL-terminated */

/* http_req_duration{scenario:browse,status:200}: a value per tag (NULL: any). */
typedef struct pg_tag_filter {
    char *value[PG_TAG_KEY_COUNT];
    size_t n; /* tags given */
} pg_tag_filter;

/* The one tag of a filter of scenario or name alone, measured for every run
 * (pg_trial.by_scenario, by_name); PG_TAG_KEY_COUNT for any other filter,
 * which is measured when a threshold asks for it (pg_trial.by_filter). */
pg_tag_key pg_tag_filter_simple(const pg_tag_filter *f);

void pg_tag_filter_clear(pg_tag_filter *f);

typedef struct pg_threshold {
    char *metric;         /* full key as written, e.g. "http_req_duration{scenario:browse}" */
    char *base;           /* metric name without the tag filter */
    pg_tag_filter filter; /* n == 0: no filter */
    char *source;         /* the expression as written, e.g. "p(95)<200ms" */
    const pg_metric_def *def;
    pg_agg agg;
    double percentile; /* for PG_AGG_PERCENTILE: 0 < p < 100 */
    pg_op op;
    double value;            /* microseconds for time trends; otherwise the plain number */
    int abort_on_fail;       /* stop the run as soon as it breaks (k6's abortOnFail) */
    uint64_t delay_abort_us; /* not before this much was measured (k6's delayAbortEval) */
    int line, col;           /* where the expression is in the budget file */
} pg_threshold;

/* By pg_metric_id, then one whose name is NULL. */
extern const pg_metric_def pg_metric_defs[PG_N_METRICS + 1];

const pg_metric_def *pg_metric_lookup(const char *name);

/* 1 when name is a series perfgate's monitor samples itself (host_cpu,
 * other_cpu, target_rss, ...), not a scraped gauge or capacity_rps. */
int pg_metric_sampled(const char *name);

/* What a gauge scraped from a metrics endpoint is (its name is the budget's). */
extern const pg_metric_def pg_metric_scraped;

/* Splits "name{key:value,key:value}" into its base name (malloc'd) and tag
 * filter (values malloc'd; clear with pg_tag_filter_clear). The filter ends
 * at the last "}" and a value at the next ",KEY:" of a known key, as k6
 * reads them; status is a code from 100 to 599, method an HTTP method,
 * expected_response true or false. */
int pg_metric_key_split(const char *key, char **base, pg_tag_filter *filter, char *why,
                        size_t why_size);

/* Parses an expression for metric def into t's agg/percentile/op/value. */
int pg_threshold_parse_expr(const char *expr, const pg_metric_def *def, pg_threshold *t, char *why,
                            size_t why_size);

/* 1 when t's metric can be watched while the run goes on (the engine's
 * per-second data: latency of all requests, requests, failures, dropped
 * iterations, expectation checks), so abort_on_fail can act on it. */
int pg_threshold_watchable(const pg_threshold *t);

/* Evaluates "observed <op> value": 1 when the threshold holds. */
int pg_threshold_holds(const pg_threshold *t, double observed);

const char *pg_op_name(pg_op op);

/* "p(95)", "avg", ... into buf. */
void pg_agg_format(pg_agg agg, double percentile, char *buf, size_t size);

void pg_threshold_clear(pg_threshold *t);

#endif
