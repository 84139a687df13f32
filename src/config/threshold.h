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

/* A time trend takes "200ms" in thresholds, a byte gauge "512MiB". The
 * direction decides which way a comparison of the metric's trial values is
 * worse (a counter's is what its rate would say). */
typedef struct pg_metric_def {
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

typedef struct pg_threshold {
    char *metric;    /* full key as written, e.g. "http_req_duration{scenario:browse}" */
    char *base;      /* metric name without the tag filter */
    char *tag_key;   /* NULL when no filter */
    char *tag_value; /* NULL when no filter */
    char *source;    /* the expression as written, e.g. "p(95)<200ms" */
    const pg_metric_def *def;
    pg_agg agg;
    double percentile; /* for PG_AGG_PERCENTILE: 0 < p < 100 */
    pg_op op;
    double value; /* microseconds for time trends; otherwise the plain number */
    int abort_on_fail;
    int line, col; /* where the expression is in the budget file */
} pg_threshold;

/* The metrics thresholds may name; NULL-terminated by name. */
extern const pg_metric_def pg_metric_defs[];

const pg_metric_def *pg_metric_lookup(const char *name);

/* 1 when name is a series perfgate's monitor samples itself (host_cpu,
 * other_cpu, target_rss, ...), not a scraped gauge or capacity_rps. */
int pg_metric_sampled(const char *name);

/* What a gauge scraped from a metrics endpoint is (its name is the budget's). */
extern const pg_metric_def pg_metric_scraped;

/* Splits "name{key:value}" into its parts (each malloc'd; tag parts NULL when
 * absent). Valid tag keys: scenario, name (request name). */
int pg_metric_key_split(const char *key, char **base, char **tag_key, char **tag_value, char *why,
                        size_t why_size);

/* Parses an expression for metric def into t's agg/percentile/op/value. */
int pg_threshold_parse_expr(const char *expr, const pg_metric_def *def, pg_threshold *t, char *why,
                            size_t why_size);

/* Evaluates "observed <op> value": 1 when the threshold holds. */
int pg_threshold_holds(const pg_threshold *t, double observed);

const char *pg_op_name(pg_op op);

/* "p(95)", "avg", ... into buf. */
void pg_agg_format(pg_agg agg, double percentile, char *buf, size_t size);

void pg_threshold_clear(pg_threshold *t);

#endif
