/* details.h — the detail tables of a budget, the same in every report: what
 * each trial measured, latency per scenario and per request, streams,
 * status codes and errors, the sampled resources and the staircase. Each
 * report chooses which to show and where; their columns are written here
 * once (report/table.h). */
#ifndef PG_REPORT_DETAILS_H
#define PG_REPORT_DETAILS_H

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "report/table.h"

/* bud: a budget of a verdict document (doc). */
void pg_details_comparison(pg_buf *b, pg_table_format f, const cJSON *doc, const cJSON *bud);
void pg_details_thresholds(pg_buf *b, pg_table_format f, const cJSON *bud);
void pg_details_trials(pg_buf *b, pg_table_format f, const cJSON *bud);
void pg_details_latency(pg_buf *b, pg_table_format f, const cJSON *bud);
void pg_details_streams(pg_buf *b, pg_table_format f, const cJSON *bud);
void pg_details_counts(pg_buf *b, pg_table_format f, const cJSON *bud);

/* Every sampled series of the run (title NULL: none). */
void pg_details_resources(pg_buf *b, pg_table_format f, const cJSON *bud, const char *title);

/* The staircase steps of the first max_trials trials (title NULL: none). */
void pg_details_staircase(pg_buf *b, pg_table_format f, const cJSON *bud, int max_trials,
                          const char *title);

#endif
