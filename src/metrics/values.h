/* values.h — the per-trial numbers of a results file that comparisons need,
 * read back from perfgate-results/1 JSON: for each budget, each regression
 * metric's value in every trial, the regression settings, and the checks
 * the run already decided (thresholds). */
#ifndef PG_METRICS_VALUES_H
#define PG_METRICS_VALUES_H

#include <stddef.h>

#include "common/err.h"
#include "config/metric_catalog.h"
#include "metrics/results.h"

#define PG_MAX_TRIALS 100

#define PG_MAX_SERIES 32

/* Per-trial values of a metric a threshold names, e.g.
 * "http_req_duration{scenario:browse} p(95)", read from the trial's latency
 * summaries (overall, "scenarios", "requests_by_name", "ttfb_us"). */
typedef struct pg_series {
    char key[200]; /* "<metric> <aggregation>" */
    char field[8]; /* p50 p90 p95 p99 p999 mean min max */
    size_t n;
    double v[PG_MAX_TRIALS];
} pg_series;

typedef struct pg_budget_values {
    char name[256];
    char target[512];
    size_t n_trials;
    double v[PG_N_VALUES][PG_MAX_TRIALS]; /* by pg_value_id, then trial */
    pg_regression_setting regression;
    pg_check *checks; /* thresholds as the run decided them */
    size_t n_checks;
    pg_series series[PG_MAX_SERIES]; /* one per distinct threshold metric+aggregation */
    size_t n_series;
    int interrupted;
    int staircase;        /* breaking-point: each trial is the capacity step of a staircase */
    char fingerprint[65]; /* of the work measured; "" when the results have none */
    char *work;           /* the work measured (JSON text, owned); NULL when none */
    /* what disturbed each trial (the monitor's per-trial means); NAN when
     * the trial has no sample */
    double other_cpu[PG_MAX_TRIALS]; /* % of one core used by other processes */
    double steal[PG_MAX_TRIALS];     /* % of all cores */
    /* us per answered request the service's threads waited for a CPU
     * (pg_trial_service_wait_us); NAN when not measured */
    double service_wait[PG_MAX_TRIALS];
    int cpu_bound; /* perfgate used over 90% of its threads' CPU: the generator was the limit */
} pg_budget_values;

typedef struct pg_results_values {
    char path[1024];
    char commit[41];
    char created[40];
    /* the testbed the results were measured on */
    char cpu[256], kernel[256], testbed[128], version[32];
    long cores;
    int interrupted;
    pg_budget_values *budgets;
    size_t n_budgets;
} pg_results_values;

/* Reads and parses path and checks it is perfgate-results/1. *doc is the
 * caller's to cJSON_Delete (typed as void * so this header needs no cJSON). */
int pg_results_open(void **doc, const char *path, pg_err *err);

/* The same from text already read; name names it in errors. */
int pg_results_parse(void **doc, const char *text, const char *name, pg_err *err);

/* Reads path; errors name the file and what is wrong. */
int pg_values_load(pg_results_values *out, const char *path, pg_err *err);

/* The same from a document pg_results_open gave (not consumed); path only
 * names it in errors. */
int pg_values_parse(pg_results_values *out, const void *doc, const char *path, pg_err *err);
void pg_values_clear(pg_results_values *v);

/* Appends one trial's values (as the reader would compute them) to b. */
void pg_values_add_trial(pg_budget_values *b, const pg_trial *t);

/* The series of b with this key, or NULL. */
const pg_series *pg_values_series(const pg_budget_values *b, const char *key);

const pg_budget_values *pg_values_budget(const pg_results_values *v, const char *name);

#endif
