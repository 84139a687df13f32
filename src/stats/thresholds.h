/* thresholds.h — k6-style thresholds evaluated on a finished run.
 *
 * As in k6, a threshold is judged on the whole measured run (all trials
 * merged); the statistics of regressions, which compare trials, are
 * elsewhere. A metric with no samples (no checks made, no TLS handshakes)
 * is reported as skipped rather than passed or failed. */
#ifndef PG_STATS_THRESHOLDS_H
#define PG_STATS_THRESHOLDS_H

#include "config/budget.h"
#include "metrics/results.h"

/* Appends one pg_check per threshold of b to r->checks. */
int pg_thresholds_evaluate(pg_budget_result *r, const pg_budget *b, pg_err *err);

/* Judges r's threshold checks again on r's run (after a merge): each check's
 * metric and expression are parsed as the budget had them. */
int pg_thresholds_reevaluate(pg_budget_result *r, pg_err *err);

/* The observed value a threshold looks at, in its unit (NAN when no data). */
double pg_threshold_observe(const pg_threshold *t, const pg_trial *all, const pg_budget_run *run,
                            double duration_s);

/* 1 when b has a threshold with abort_on_fail: the run is to be watched. */
int pg_thresholds_abort(const pg_budget *b);

/* Watches a run (the engine's pg_watch_fn; arg unused): 1, with why, when a
 * threshold with abort_on_fail breaks on what was measured so far, once its
 * delay_abort_eval has passed; else 0. */
int pg_thresholds_broken_early(void *arg, const pg_budget *b, const pg_trial *so_far, char *why,
                               size_t why_size);

#endif
