/* results.h — a results file (docs/design.md, "Files", perfgate-results/1):
 * the environment, and per budget its run and the verdict of each check.
 * Plain data; pg_results_clear frees what it owns. */
#ifndef PG_METRICS_RESULTS_H
#define PG_METRICS_RESULTS_H

#include <stddef.h>

#include "common/err.h"
#include "config/budget.h"
#include "metrics/run.h"

#define PG_RESULTS_FORMAT "perfgate-results/1"

/* The zero value is "undecided", never "pass": a verdict some path forgot
 * to set (or gave up on when memory ran out) cannot pass a gate; the gate
 * refuses to finish with one, and the command exits 3. */
typedef enum {
    PG_VERDICT_UNDECIDED,
    PG_VERDICT_PASS,
    PG_VERDICT_FAIL,
    PG_VERDICT_INCONCLUSIVE,
    PG_VERDICT_SKIPPED,
    PG_VERDICT_COUNT
} pg_verdict;

/* "undecided", "pass", "fail", "inconclusive", "skipped" */
extern const char *const pg_verdict_names[PG_VERDICT_COUNT];

/* The verdict a results or verdict file names; PG_VERDICT_UNDECIDED for any
 * other text (files never carry "undecided": such a run exits first). */
pg_verdict pg_verdict_named(const char *name);

typedef struct pg_check {
    char kind[16];    /* "threshold" or "regression" */
    char metric[160]; /* e.g. "http_req_duration{scenario:browse}" */
    char expr[96];    /* e.g. "p(95)<200ms" */
    pg_verdict verdict;
    double observed; /* in the threshold's own unit (us for time) */
    int abort_on_fail;
    char detail[512]; /* "p(95) 212ms > 200ms" */
    int line, col;    /* of the threshold in the budget file */
} pg_check;

/* The threshold every budget implies and that is shown only when it breaks:
 * some request got an answer (stats/thresholds.c). */
#define PG_IMPLIED_METRIC "http_reqs"
#define PG_IMPLIED_EXPR "answered>0"
/* ... and a breaking-point budget this one: some step held. */
#define PG_IMPLIED_CAPACITY_EXPR "held>0"

#define PG_MAX_REGRESSION_METRICS 16

/* The budget's regression settings, kept in the results so a later compare
 * needs no budget file. */
typedef struct pg_regression_setting {
    int enabled;
    double alpha;
    double min_effect; /* the budget's one min_effect for all, 0 when none */
    size_t n;
    struct {
        char name[16];
        double min_effect;
    } metric[PG_MAX_REGRESSION_METRICS];
} pg_regression_setting;

/* Copies a budget's regression settings (config) into the results' form. */
void pg_regression_setting_from(pg_regression_setting *out, const pg_regression *r);

typedef struct pg_budget_result {
    char *name;
    char *path; /* the budget file */
    char *target;
    char fingerprint[65]; /* SHA-256 of work (config/fingerprint.h); "" when unknown */
    char *work;           /* the work measured, JSON text; NULL when unknown */
    pg_regression_setting regression;
    pg_budget_run run;
    pg_check *checks;
    size_t n_checks;
} pg_budget_result;

typedef struct pg_env {
    char host[256];
    char cpu[256];
    char kernel[256];
    long cores;
    char testbed[128]; /* --testbed NAME, or "" */
} pg_env;

typedef struct pg_results {
    char commit[41]; /* empty outside a repository */
    char ref[256];
    char created[40]; /* RFC 3339, UTC */
    pg_env env;
    int interrupted;
    char shard[32];    /* "I/N" or empty */
    int merged_shards; /* perfgate merge: how many shards this result adds up */
    pg_budget_result *budgets;
    size_t n_budgets;
} pg_results;

/* Fills host, CPU model, core count and kernel from the running machine. */
void pg_env_detect(pg_env *env);

/* Names br after budget b (name, file, target with any password hidden,
 * regression settings) and describes the work it measures (fingerprint,
 * work). target is the URL measured (NULL: b's). PG_ENOMEM. */
int pg_budget_result_init(pg_budget_result *br, const pg_budget *b, const char *target,
                          pg_err *err);

/* Sets created to now, in RFC 3339 UTC. */
void pg_results_stamp(pg_results *r);

/* Serialises to JSON text (caller frees), or NULL when out of memory. */
char *pg_results_to_json(const pg_results *r);

/* Writes the JSON to path atomically (temp file + rename). */
int pg_results_write(const pg_results *r, const char *path, pg_err *err);

void pg_results_clear(pg_results *r);

#endif
