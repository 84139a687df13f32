/* budget.h — a budget file (budgets/NAME.json), parsed and validated.
 *
 * The whole surface of the config part: load a file into a pg_budget (plain
 * data, owned by the budget and freed with pg_budget_free), or get an error
 * naming file:line:col and what would be valid. Everything the rest of
 * perfgate reads from a budget is already checked here, so the engine never
 * meets an impossible plan. Format: README.md, "A budget"; docs/design.md. */
#ifndef PG_CONFIG_BUDGET_H
#define PG_CONFIG_BUDGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "config/dataset.h"
#include "config/template.h"
#include "config/threshold.h"
#include "config/units.h"

typedef enum {
    PG_EXEC_CONSTANT_VUS,
    PG_EXEC_RAMPING_VUS,
    PG_EXEC_CONSTANT_ARRIVAL_RATE,
    PG_EXEC_RAMPING_ARRIVAL_RATE,
    PG_EXEC_BREAKING_POINT, /* a staircase of constant arrival rates until a step breaks */
} pg_executor;

typedef struct pg_stage {
    uint64_t duration_us;
    double target; /* VUs (closed) or iterations per second (open) */
} pg_stage;

typedef struct pg_header {
    char *name;
    char *value;    /* static: with ${NAME} filled in from the environment, never printed;
                       NULL when the value changes per request (tpl.dynamic) */
    char *template; /* as written in the budget, ${NAME} unexpanded (fingerprints) */
    pg_template tpl;
} pg_header;

/* Where "extract" takes a value from an answer: one row per kind (its key). */
#define PG_EXTRACT_KINDS(X)                                                                        \
    X(PG_EXTRACT_JSON, "json") /* a dotted path into a JSON body: "auth.token", "items.0.id" */    \
    X(PG_EXTRACT_HEADER, "header") /* a response header's value, by name */                        \
    X(PG_EXTRACT_REGEX, "regex")   /* POSIX ERE on the body: group 1, or the whole match */

typedef enum {
#define PG_EXTRACT_ENUM(id, key) id,
    PG_EXTRACT_KINDS(PG_EXTRACT_ENUM)
#undef PG_EXTRACT_ENUM
        PG_EXTRACT_KIND_COUNT
} pg_extract_kind;

extern const char *const pg_extract_kind_keys[PG_EXTRACT_KIND_COUNT + 1]; /* NULL-terminated */

typedef struct pg_extract {
    size_t var; /* index into the budget's vars */
    pg_extract_kind kind;
    char *expr;   /* the path, header name or pattern as written */
    void *regex;  /* REGEX: the compiled regex_t (read-only, shared by workers) */
    int scope_vu; /* kept for the virtual user's later iterations */
} pg_extract;

/* The HTTP methods a request may use, and whether a second try of one is
 * safe (idempotent, RFC 9110 9.2.2): one row each. */
#define PG_HTTP_METHODS(X)                                                                         \
    X("GET", 1) X("HEAD", 1) X("POST", 0) X("PUT", 1) X("PATCH", 0) X("DELETE", 1) X("OPTIONS", 1)

extern const char *const pg_http_methods[]; /* NULL-terminated */

/* 1 when method (upper case) is one of pg_http_methods that is idempotent. */
int pg_http_method_idempotent(const char *method);

typedef struct pg_request {
    char *name;   /* as written, or "METHOD path" */
    char *method; /* upper case */
    char *path;   /* starts with '/' */
    pg_header *headers;
    size_t n_headers;
    char *body; /* NULL when none; from "@file" already read */
    size_t body_len;
    int *expect_status; /* accepted codes; none given: any 2xx/3xx */
    size_t n_expect_status;
    char *expect_body_contains; /* NULL when not checked */
    int sse;                    /* "stream": "sse": read as Server-Sent Events whatever the type */
    char *tokens_field;         /* NULL, or the JSON path of the tokens in each event's data */
    pg_template path_tpl;       /* the path as a template (path keeps it as written) */
    pg_template body_tpl;       /* the body as a template (an @file body only with "template") */
    char *body_as_written;      /* NULL, or the body before ${NAME} was filled in (fingerprints) */
    size_t body_as_written_len;
    int dynamic; /* path, a header or the body changes per request */
    pg_extract *extracts;
    size_t n_extracts;
    int once_per_vu; /* every extraction has scope "vu": sent until it has given its values */
} pg_request;

typedef struct pg_scenario {
    char *name;
    double weight;
    uint64_t think_min_us, think_max_us;
    pg_request *requests;
    size_t n_requests;
    long data;   /* index into the budget's data sets: a record per iteration; -1: none */
    int cookies; /* a cookie jar per virtual user (closed model) or iteration (open) */
} pg_scenario;

typedef struct pg_load {
    pg_executor executor;
    int open_model; /* arrival-rate executors */
    long vus;       /* constant-vus */
    double rate;    /* constant-arrival-rate, per second */
    double start;   /* ramping: start_vus or start_rate */
    pg_stage *stages;
    size_t n_stages;
    char *preset;         /* "spike", "stress" or NULL */
    uint64_t duration_us; /* measured time (for ramping: the sum of stages) */
    uint64_t warmup_us;
    uint64_t timeout_us;
    long max_connections;
    int http2;
    int insecure;
    uint64_t max_body; /* bytes of each response kept for body_contains */
    /* breaking-point: rates start, start + step, ... up to max, each held for
     * step_us; a step breaks when a threshold does, or when more than
     * error_limit of its iterations failed or were dropped. duration_us is
     * then the longest a staircase can take (every step). */
    double bp_start, bp_step, bp_max;
    uint64_t step_us;
    double error_limit;
} pg_load;

/* "monitor": what is sampled besides the load. Host and perfgate itself are
 * always sampled; a target process is named by at most one of pid, pid_file
 * or command; scrapes poll metrics endpoints. */
typedef struct pg_scrape_gauge {
    char *name;     /* the metric name in perfgate (thresholds, reports) */
    char *selector; /* Prometheus: name{label="v",...}; JSON: a dotted path */
} pg_scrape_gauge;

typedef struct pg_scrape {
    char *url; /* absolute, or a path ("/metrics") on the budget's target */
    uint64_t every_us;
    int json; /* the endpoint answers a JSON object, not Prometheus text */
    pg_scrape_gauge *gauges;
    size_t n_gauges;
} pg_scrape;

typedef struct pg_monitor_cfg {
    long pid;       /* 0: none */
    char *pid_file; /* NULL: none; read at every sample (the target may restart) */
    char *command;  /* NULL: none; every process whose name is this */
    uint64_t interval_us;
    pg_scrape *scrapes;
    size_t n_scrapes;
} pg_monitor_cfg;

/* Regression metrics: the per-trial values compared against the baseline. */
typedef struct pg_regression_metric {
    char *name; /* p50, p90, p95, p99, p999, mean, rps, error_rate, ttfb_p50, ttfb_p95, ttfb_p99 */
    double min_effect; /* relative (0.05 = 5%), or absolute fraction for error_rate */
} pg_regression_metric;

typedef struct pg_regression {
    int enabled;
    pg_regression_metric *metrics;
    size_t n_metrics;
    double alpha;
    double min_effect; /* one "min_effect" for all (threshold series too); 0: none given */
} pg_regression;

typedef struct pg_budget {
    char *path;
    char *name;
    char *description;
    char *target; /* base URL, no trailing slash */
    pg_load load;
    long trials;
    pg_scenario *scenarios;
    size_t n_scenarios;
    pg_threshold *thresholds;
    size_t n_thresholds;
    pg_regression regression;
    pg_monitor_cfg monitor;
    pg_dataset *datasets; /* "data" */
    size_t n_datasets;
    char **vars; /* names of the values requests extract, in order of first extraction */
    size_t n_vars;
    char warning[1100]; /* valid but weak (too few trials to compare), said by run; or "" */
} pg_budget;

/* What the command line changes in a budget. They go through the same
 * validation as the file's own values; an error at one names the flag. */
typedef struct pg_budget_overrides {
    const char *target;   /* --target URL, or NULL */
    long trials;          /* --trials N, or 0 */
    uint64_t duration_us; /* --duration D, or 0: the measured time, ramps and steps scaled */
    int compared;         /* its trials will be compared (check, ab): too few to reach alpha is an
                             error; else a warning in b->warning */
} pg_budget_overrides;

/* Reads and validates path. On failure *out is NULL and err says where and why. */
int pg_budget_load(pg_budget **out, const char *path, pg_err *err);

/* The same with the command line's overrides (NULL: none). */
int pg_budget_load_with(pg_budget **out, const char *path, const pg_budget_overrides *ov,
                        pg_err *err);

/* Validates text as if it were the file path (used by tests and fuzzers). */
int pg_budget_parse(pg_budget **out, const char *path, const char *text, size_t len, pg_err *err);
int pg_budget_parse_with(pg_budget **out, const char *path, const char *text, size_t len,
                         const pg_budget_overrides *ov, pg_err *err);

void pg_budget_free(pg_budget *b); /* NULL is fine */

const char *pg_executor_name(pg_executor e);

/* The VUs or rate the schedule asks for at t microseconds after the start of
 * measurement (linear between stages; constant executors are flat). */
double pg_load_target_at(const pg_load *load, uint64_t t_us);

/* How duration and trials combine. A constant executor's duration is split
 * evenly into its trials. A ramp's trial repeats the whole profile (its
 * stages), and a breaking-point trial is a whole staircase, so that the
 * trials are alike and can be compared: such a run takes trials x duration. */
int pg_load_repeats(const pg_budget *b);       /* a trial is the whole profile */
uint64_t pg_load_trial_us(const pg_budget *b); /* the measured time of one trial */
uint64_t pg_load_total_us(const pg_budget *b); /* of all trials (warm-up not counted) */

/* 1, with why, when l's HTTP/2 cannot be used on target: HTTP/2 without TLS
 * (prior knowledge, h2c) with libcurl before 8.0.0 fails every request on a
 * reused connection (curl issue 10634, fixed in 8.0.0 by curl PR 10643;
 * Debian 12 ships 7.88.1), which would count a working service as all
 * errors. Checked when a budget is loaded and for each side of an A/B. */
int pg_load_h2c_broken(const pg_load *l, const char *target, char *why, size_t why_size);

/* Writes the human-readable plan (what load, for how long, what is checked). */
void pg_budget_print_plan(const pg_budget *b, FILE *fp);

/* The name a scraped gauge goes by, or NULL when b scrapes none of that name. */
const pg_scrape_gauge *pg_budget_gauge(const pg_budget *b, const char *name);

#endif
