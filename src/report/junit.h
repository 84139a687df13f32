/* junit.h — the verdict as JUnit XML, for CI systems' test views.
 *
 * One testsuite per budget, one testcase per threshold and per regression
 * metric: <failure type="BudgetExceeded"> for a broken threshold,
 * <failure type="PerformanceRegression"> for a regression, <skipped> for
 * an inconclusive comparison or one without a baseline, and a testcase
 * "run" with <error> when the budget could not measure (interrupted, or no
 * request answered). Properties carry commit, baseline commit and distance,
 * trials, alpha. Written with libxml2's xmlTextWriter and valid against
 * both schemas in tests/report/schemas (Ant's strict JUnit.xsd and Jenkins' junit-10):
 * times with 3 decimals, timestamps without zone, every name made valid
 * UTF-8 of XML characters and never empty. */
#ifndef PG_REPORT_JUNIT_H
#define PG_REPORT_JUNIT_H

#include <cjson/cJSON.h>

#include "common/err.h"

/* The XML of doc into *out (caller frees with free()). */
int pg_junit_render(char **out, const cJSON *doc, pg_err *err);

#endif
