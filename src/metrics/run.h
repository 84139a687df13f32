/* run.h — everything one budget's run measured: merged per-trial metrics, the
 * per-second timeline, and notes on how trustworthy the numbers are. Filled
 * by the engine, read by statistics and reports. */
#ifndef PG_METRICS_RUN_H
#define PG_METRICS_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/gauge.h"
#include "metrics/trial.h"

typedef struct pg_timeline_point {
    double t_s; /* seconds since measurement began (negative: warm-up) */
    uint64_t requests, failed, dropped;
    uint64_t p50_us, p99_us; /* of requests completed in that second */
} pg_timeline_point;

/* One step of a breaking-point staircase: the rate offered, what came of it. */
typedef struct pg_capacity_step {
    size_t trial;           /* the staircase (0-based) */
    double rate;            /* offered, iterations/s */
    double t_s, duration_s; /* when it was measured, on the run's clock */
    double rps;             /* achieved requests/s */
    uint64_t requests, failed, dropped;
    uint64_t p50_us, p95_us, p99_us;
    int held;
    char why[256]; /* what broke it; "" when it held */
} pg_capacity_step;

#define PG_MAX_HINTS 8
#define PG_CAPACITY_TRIALS_MAX 100 /* the most trials a budget may have */

typedef struct pg_budget_run {
    size_t n_trials;
    pg_trial *trials; /* merged over workers */
    size_t n_timeline;
    pg_timeline_point *timeline;
    size_t n_names;
    char **names; /* request names, index of pg_trial.by_name */
    size_t n_filters;
    char **filters; /* sub-metrics as thresholds write them, index of pg_trial.by_filter */
    size_t n_scenarios;
    char **scenario_names;        /* index of pg_trial.by_scenario */
    int interrupted;              /* stopped before the schedule ended */
    char aborted[256];            /* why a threshold stopped it early (abort_on_fail), or "" */
    int saturated;                /* the generator, not the target, limited the run */
    char saturation[512];         /* why, when saturated */
    double cpu_percent;           /* perfgate's CPU over the run, % of one core */
    uint64_t starts, late_starts; /* open model: iterations started, and over 2 ms late */
    long max_rss_kib;             /* perfgate's peak resident memory so far */
    unsigned threads;
    /* the first failure of each kind in words ("" when none) */
    char fail_example[PG_FAIL_KINDS][PG_FAIL_EXAMPLE];
    uint64_t measure_start_ns; /* monotonic clock when measurement began (0: unknown) */
    /* resources and scraped gauges sampled during the run (monitor/) */
    size_t n_gauges;
    pg_gauge_series *gauges;
    char monitor_target[160]; /* the watched process, e.g. "command nginx", or "" */
    char monitor_note[256];   /* what could not be sampled and why, or "" */
    /* breaking-point: every step of every staircase; each trial's
     * capacity_rps is the highest rate that held in its staircase */
    size_t n_steps;
    pg_capacity_step *steps;
    /* plain-words reading of the data (stats/bottleneck.c) */
    size_t n_hints;
    char hints[PG_MAX_HINTS][320];
} pg_budget_run;

void pg_budget_run_clear(pg_budget_run *r);

/* The series of this name, or NULL. */
const pg_gauge_series *pg_budget_run_gauge(const pg_budget_run *r, const char *name);

/* The series of this name, added (empty, with unit) when missing; NULL when
 * out of memory. Adding one may move the others: pointers to series taken
 * before are stale after an add. */
pg_gauge_series *pg_budget_run_gauge_add(pg_budget_run *r, const char *name, const char *unit);

/* Seconds of measurement: the sum of the trials' durations. */
double pg_budget_run_seconds(const pg_budget_run *r);

/* breaking-point: an aggregation (pg_gauge_aggregate's "avg", "med", "min",
 * "max", or "p" with percentile) of the trials' capacity_rps; NAN for a run
 * without staircases. */
double pg_budget_run_capacity(const pg_budget_run *r, const char *agg, double percentile);

/* Where trial i lies on the run's clock (seconds since measurement began):
 * one after the other for a plain run; a breaking-point trial spans its
 * whole staircase. */
void pg_budget_run_trial_window(const pg_budget_run *r, size_t i, double *from_s, double *to_s);

/* The whole run as one trial: all trials merged (exact, by adding counts),
 * duration_s the sum of the trials' durations. Caller pg_trial_clear()s it. */
int pg_budget_run_merged(pg_trial *all, const pg_budget_run *r, pg_err *err);

#endif
