/* console.h — plain-text reports on a terminal or in a CI log: the measured
 * table after a run and the verdict of each check. Colour only on a terminal. */
#ifndef PG_REPORT_CONSOLE_H
#define PG_REPORT_CONSOLE_H

#include <stdio.h>

#include "metrics/results.h"

/* Per trial and overall: requests, rps, errors, latency percentiles; then the checks. */
void pg_console_budget(FILE *fp, const pg_budget_result *b, int colour);

#endif
