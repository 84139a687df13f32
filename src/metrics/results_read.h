/* results_read.h — a results file read back into the structures a run
 * fills (pg_results), histograms decoded, so runs can be combined: the
 * shards of one load merge into one result by adding counts, exactly. */
#ifndef PG_METRICS_RESULTS_READ_H
#define PG_METRICS_RESULTS_READ_H

#include <cjson/cJSON.h>

#include "metrics/results.h"

/* Fills out (caller pg_results_clear()s it, also on failure) from a parsed
 * perfgate-results/1 document. A file without a histogram the merge needs
 * (written before perfgate kept them all) is refused, naming what is
 * missing; err names path. */
int pg_results_from_doc(pg_results *out, const cJSON *doc, const char *path, pg_err *err);

#endif
