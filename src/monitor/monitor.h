/* monitor.h — what else happens while perfgate loads a target: every
 * interval (1 s by default) the machine's CPU and memory, perfgate's own
 * CPU, and the target process's CPU, resident memory, threads and open files
 * (when the budget names it); and the gauges of the budget's scrape
 * endpoints, each on its own period.
 *
 * Sampling runs on its own thread (scrapes on another, so a slow endpoint
 * cannot delay the resource samples) and touches nothing the load engine
 * uses: the request path stays as it was. Samples carry the monotonic time
 * they were taken; pg_monitor_finish puts them on the run's clock (seconds
 * since measurement began) and keeps those of the measured time, so they
 * line up with the timeline and the trials. A CPU share is the average
 * over the interval before its sample, and is placed at the middle of it.
 *
 * Series (pg_gauge_series names): host_cpu (% of all cores busy),
 * host_mem (% of memory in use: MemTotal - MemAvailable), perfgate_cpu (%
 * of one core, as top shows it), target_cpu (% of one core), target_rss
 * (bytes), target_threads, target_fds, and each scraped gauge by its name. */
#ifndef PG_MONITOR_MONITOR_H
#define PG_MONITOR_MONITOR_H

#include "common/err.h"
#include "config/budget.h"
#include "metrics/run.h"

typedef struct pg_monitor pg_monitor;

/* Starts sampling. cfg must outlive the monitor; a scrape URL that is a
 * path is taken on target (the budget's, after --target); root is "/proc"
 * (tests give a fake tree). Errors: PG_ENOMEM, PG_ERUN (no thread). */
int pg_monitor_start(pg_monitor **out, const pg_monitor_cfg *cfg, const char *target,
                     const char *root, pg_err *err);

/* Stops sampling, moves the samples taken during r's measurement into r
 * (r->gauges, monitor_target, monitor_note) and frees m. NULL m is fine. */
void pg_monitor_finish(pg_monitor *m, pg_budget_run *r);

#endif
