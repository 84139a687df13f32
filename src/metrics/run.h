/* run.h — everything one budget's run measured: merged per-trial metrics, the
 * per-second timeline, and notes on how trustworthy the numbers are. Filled
 * by the engine, read by statistics and reports. */
#ifndef PG_METRICS_RUN_H
#define PG_METRICS_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/trial.h"

typedef struct pg_timeline_point {
    double t_s; /* seconds since measurement began (negative: warm-up) */
    uint64_t requests, failed, dropped;
    uint64_t p50_us, p99_us; /* of requests completed in that second */
} pg_timeline_point;

typedef struct pg_budget_run {
    size_t n_trials;
    pg_trial *trials; /* merged over workers */
    size_t n_timeline;
    pg_timeline_point *timeline;
    size_t n_names;
    char **names; /* request names, index of pg_trial.by_name */
    size_t n_scenarios;
    char **scenario_names; /* index of pg_trial.by_scenario */
    int interrupted;       /* stopped before the schedule ended */
    int saturated;         /* the generator, not the target, limited the run */
    char saturation[512];  /* why, when saturated */
    double cpu_percent;    /* perfgate's CPU over the run, % of one core */
    long max_rss_kib;      /* perfgate's peak resident memory so far */
    unsigned threads;
    /* the first failure of each kind in words ("" when none) */
    char fail_example[PG_FAIL_KINDS][PG_FAIL_EXAMPLE];
} pg_budget_run;

void pg_budget_run_clear(pg_budget_run *r);

/* The whole run as one trial: all trials merged (exact, by adding counts),
 * duration_s the sum of the trials' durations. Caller pg_trial_clear()s it. */
int pg_budget_run_merged(pg_trial *all, const pg_budget_run *r, pg_err *err);

#endif
