/* metric_catalog.h — what each metric a regression compares is, written once.
 *
 * One row per per-trial value a baseline comparison may judge: its name in
 * budgets and results, which way is worse, its unit, the smallest change that
 * matters by default and whether a budget compares it without being asked.
 * The rows expand (libuv's UV_ERRNO_MAP habit) into the value ids, the name
 * list and the definitions below; metrics/values.c keeps one extractor per
 * row. Adding a metric is a row here and its extractors there: the compiler
 * names a switch that misses it, and tests/config/test_metric_catalog checks
 * that every row survives a trial, a results file, a comparison and every
 * report.
 *
 * The metrics thresholds name (http_req_duration, sse_events_per_second,
 * host_cpu, ...) are the other table, pg_metric_defs in threshold.h; both
 * say direction and unit the same way, and pg_metric_worse and
 * pg_metric_unit answer for any name a comparison carries. */
#ifndef PG_CONFIG_METRIC_CATALOG_H
#define PG_CONFIG_METRIC_CATALOG_H

#include "config/units.h"

typedef enum {
    PG_WORSE_WHEN_HIGHER, /* latency, errors */
    PG_WORSE_WHEN_LOWER,  /* throughput, capacity */
} pg_direction;

/* Which budgets compare a metric when "regression.metrics" does not list any. */
typedef enum {
    PG_COMPARE_WHEN_LISTED, /* only when listed */
    PG_COMPARE_BY_DEFAULT,  /* by every budget but a staircase */
    PG_COMPARE_STAIRCASE,   /* breaking-point budgets only, and by default there */
    PG_COMPARE_SAME_TIME,   /* by default as BY_DEFAULT, but only between two sides measured
                               at the same time (ab, check --base-target): never against a
                               stored baseline, whose machine and moment differ */
} pg_compare_use;

/* X(id, name, worse, unit, default min_effect, use)
 * The default min_effect is a ratio (0.05: 5% worse), or for a share a
 * difference (0.001: 0.1 percentage point). Tail percentiles wander more
 * from trial to trial than the median, so they need larger effects to be
 * told from noise; a staircase's steps quantise capacity. service_cpu is
 * the CPU time the service's processes spent per answered request
 * (monitor/service_cpu.h): on a shared machine a CPU-bound slowdown of one
 * side also slows the other, so latency alone cannot show it there. */
#define PG_VALUE_CATALOG(X)                                                                        \
    X(P50, "p50", HIGHER, DURATION, 0.05, BY_DEFAULT)                                              \
    X(P90, "p90", HIGHER, DURATION, 0.10, WHEN_LISTED)                                             \
    X(P95, "p95", HIGHER, DURATION, 0.10, BY_DEFAULT)                                              \
    X(P99, "p99", HIGHER, DURATION, 0.15, BY_DEFAULT)                                              \
    X(P999, "p999", HIGHER, DURATION, 0.25, WHEN_LISTED)                                           \
    X(MEAN, "mean", HIGHER, DURATION, 0.05, WHEN_LISTED)                                           \
    X(RPS, "rps", LOWER, PER_SECOND, 0.05, BY_DEFAULT)                                             \
    X(ERROR_RATE, "error_rate", HIGHER, SHARE, 0.001, BY_DEFAULT)                                  \
    X(TTFB_P50, "ttfb_p50", HIGHER, DURATION, 0.05, WHEN_LISTED)                                   \
    X(TTFB_P95, "ttfb_p95", HIGHER, DURATION, 0.10, WHEN_LISTED)                                   \
    X(TTFB_P99, "ttfb_p99", HIGHER, DURATION, 0.15, WHEN_LISTED)                                   \
    X(CAPACITY_RPS, "capacity_rps", LOWER, PER_SECOND, 0.10, STAIRCASE)                            \
    X(SERVICE_CPU, "service_cpu", HIGHER, DURATION, 0.05, SAME_TIME)

typedef enum {
#define PG_VALUE_ID(id, name, worse, unit, effect, use) PG_VALUE_##id,
    PG_VALUE_CATALOG(PG_VALUE_ID)
#undef PG_VALUE_ID
        PG_N_VALUES
} pg_value_id;

typedef struct pg_value_def {
    const char *name;
    pg_direction worse;
    pg_unit unit;
    double min_effect;
    pg_compare_use use;
} pg_value_def;

/* By pg_value_id. */
extern const pg_value_def pg_value_defs[PG_N_VALUES];

/* The names by pg_value_id, NULL-terminated (for suggestions and lists). */
extern const char *const pg_value_names[PG_N_VALUES + 1];

/* The id of a metric name, or -1. */
int pg_value_index(const char *name);

/* Which way is worse for any name a comparison carries: a row above, or a
 * threshold's "<metric> <aggregation>" key (the metric's definition; a
 * scraped gauge, which has none, is worse when higher). */
pg_direction pg_metric_worse(const char *key);

/* The unit of the same names (a scraped gauge: a plain number). */
pg_unit pg_metric_unit(const char *key);

#endif
