/* markdown_monitor.h — the markdown report's parts on breaking-point
 * staircases, sampled resources and bottleneck hints (internal to report/,
 * used by markdown.c). Text from budgets and targets is escaped. */
#ifndef PG_REPORT_MARKDOWN_MONITOR_H
#define PG_REPORT_MARKDOWN_MONITOR_H

#include <cjson/cJSON.h>

#include "common/buf.h"

/* "**Capacity: N requests/s** (median of ...)" and what broke first; nothing
 * for other executors. */
void pg_md_capacity(pg_buf *b, const cJSON *bud);

/* One line of the machine's and the target's resources, the monitor's note
 * and the hints, for the budget's main section. */
void pg_md_resources(pg_buf *b, const cJSON *bud);

/* For the details: every sampled series, and the first staircase step by step. */
void pg_md_resources_details(pg_buf *b, const cJSON *bud);

#endif
