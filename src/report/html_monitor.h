/* html_monitor.h — the HTML report's sections on what was sampled besides
 * the load (resources, scraped gauges, hints) and on breaking-point
 * staircases (internal to report/, used by html.c). */
#ifndef PG_REPORT_HTML_MONITOR_H
#define PG_REPORT_HTML_MONITOR_H

#include <cjson/cJSON.h>

#include "common/buf.h"

/* Charts over time (CPU, target memory, each scraped gauge), the summary
 * table, the monitor's notes and the hints of one budget. */
void pg_html_resources(pg_buf *b, const cJSON *bud);

/* The capacity found, latency and throughput against the offered rate, and
 * every step of every staircase. Nothing for other executors. */
void pg_html_capacity(pg_buf *b, const cJSON *bud);

#endif
