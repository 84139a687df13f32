/* reports.h — every report file of a verdict document in one call, so
 * `check`, `compare`, `ab` and `report` write the same things the same way. */
#ifndef PG_REPORT_REPORTS_H
#define PG_REPORT_REPORTS_H

#include <cjson/cJSON.h>

#include "common/err.h"

typedef struct pg_report_paths {
    const char *json, *junit, *markdown, *html; /* NULL: not wanted */
} pg_report_paths;

/* Writes each report whose path is set, each atomically. One that cannot be
 * written does not stop the others; the first failure is returned and its
 * error names the file. */
int pg_reports_write(const cJSON *doc, const pg_report_paths *p, pg_err *err);

/* Before a run: every wanted report can be written where it is asked for
 * (directories created, writable). */
int pg_reports_prepare(const pg_report_paths *p, pg_err *err);

#endif
