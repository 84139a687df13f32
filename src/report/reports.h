/* reports.h — every report file of a verdict document in one call, so
 * `check`, `compare`, `ab` and `report` write the same things the same way. */
#ifndef PG_REPORT_REPORTS_H
#define PG_REPORT_REPORTS_H

#include <cjson/cJSON.h>

#include "common/err.h"

typedef struct pg_report_paths {
    const char *json, *junit, *markdown, *html; /* NULL: not wanted */
} pg_report_paths;

/* Writes each report whose path is set, each atomically. Stops at the first
 * failure; the error names the file. */
int pg_reports_write(const cJSON *doc, const pg_report_paths *p, pg_err *err);

#endif
