/* scrape.h — reading one gauge out of a metrics endpoint's answer.
 *
 * Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): lines of
 *   metric_name{label="value",...} value [timestamp]
 * with # comments; a selector (config/selector.h) picks samples by name and
 * label equality, and the gauge is the sum of every sample it picks, as
 * PromQL's sum() would give. JSON: a dotted path ("pool.active",
 * "workers.0.busy") to a number (true/false read as 1/0). Both parsers take
 * untrusted bytes (fuzz/fuzz_scrape.c) and never read past len. */
#ifndef PG_MONITOR_SCRAPE_H
#define PG_MONITOR_SCRAPE_H

#include <stddef.h>

#include "config/selector.h"

/* 0 with *out the sum of the matching samples, or -1 when none matches. */
int pg_scrape_prometheus(const char *text, size_t len, const pg_selector *sel, double *out);

/* 0 with *out the number at path, or -1 (not JSON, no such path, not a number). */
int pg_scrape_json(const char *text, size_t len, const char *path, double *out);

#endif
