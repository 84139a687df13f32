/* gauge.h — levels sampled over a run: the host's and the target's CPU and
 * memory, perfgate's own CPU, gauges scraped from a metrics endpoint, one
 * sample per interval. Unlike latencies these are few (one a second), so
 * each series keeps its samples as they are, and summaries (per trial, per
 * run) are computed from them exactly when asked. */
#ifndef PG_METRICS_GAUGE_H
#define PG_METRICS_GAUGE_H

#include <stddef.h>

#include "common/err.h"

typedef struct pg_gauge_series {
    char name[64]; /* the metric name: host_cpu, target_rss, a scraped gauge's name */
    char unit[8];  /* "%", "bytes" or "" */
    size_t n, cap;
    double *t_s; /* seconds since measurement began, ascending */
    double *v;
} pg_gauge_series;

typedef struct pg_gauge_summary {
    size_t count;
    double min, mean, p50, p90, p95, p99, max;
} pg_gauge_summary;

/* Appends a sample; -1 when out of memory. */
int pg_gauge_append(pg_gauge_series *s, double t_s, double v);

/* Summary of the samples with from_s <= t < to_s (count 0 when none).
 * Percentiles by the nearest-rank rule, as the histograms report them. */
void pg_gauge_summarise(const pg_gauge_series *s, double from_s, double to_s,
                        pg_gauge_summary *out);

/* The value of an aggregation ("avg", "med", "min", "max", or a percentile
 * 0 < p < 100 when agg is "p") of v[0..n) (NAN when n is 0). */
double pg_gauge_aggregate(const double *v, size_t n, const char *agg, double percentile);

void pg_gauge_clear(pg_gauge_series *s);

#endif
