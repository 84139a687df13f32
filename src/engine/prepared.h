/* prepared.h — a budget turned into what workers send (internal to engine/).
 * Built once before the run and only read by workers: full URLs, header
 * lists for libcurl, scenario weights as a cumulative table, and whether
 * the plain HTTP/1.1 path (h1.h) carries the run, with the bytes of each
 * static request for it. */
#ifndef PG_ENGINE_PREPARED_H
#define PG_ENGINE_PREPARED_H

#include <curl/curl.h>
#include <stddef.h>

#include "config/budget.h"
#include "engine/h1_request.h"

typedef struct pg_prepared_request {
    const pg_request *req;
    char *url;
    struct curl_slist *headers;
    size_t name_index;
    int is_head;
    int keep_body;  /* body needed for body_contains or extraction */
    pg_buf h1_head; /* the plain path: the request's head (static requests) */
} pg_prepared_request;

typedef struct pg_prepared_scenario {
    const pg_scenario *sc;
    pg_prepared_request *requests;
    size_t n_requests;
    double cumulative_weight; /* up to and including this one, normalised to 1 */
} pg_prepared_scenario;

/* A sub-metric a threshold names beyond one scenario or request name
 * (http_req_duration{status:200,method:GET}): which answers it takes. */
typedef struct pg_prepared_filter {
    const char *key;     /* the threshold's metric as written (the budget's) */
    long scenario, name; /* indexes; -1: any */
    const char *method;  /* NULL: any */
    long status;         /* 0: any */
    int expected;        /* expected_response: -1 any, 0 false, 1 true */
} pg_prepared_filter;

typedef struct pg_prepared {
    const pg_budget *budget;
    pg_prepared_scenario *scenarios;
    size_t n_scenarios;
    char **names; /* distinct request names */
    size_t n_names;
    int any_keep_body;
    int any_tokens;              /* some request counts SSE tokens: slots keep event text */
    int any_cookies;             /* some scenario keeps cookies: slots have a handle with a jar */
    int plain;                   /* the plain HTTP/1.1 path carries the run (h1.h) */
    pg_h1_origin origin;         /* where it connects */
    pg_prepared_filter *filters; /* index of pg_trial.by_filter */
    size_t n_filters;
} pg_prepared;

/* PERFGATE_HTTP_CLIENT=libcurl keeps every run on libcurl's path (to
 * compare the two); unset or "auto", the plain path is taken when the plan
 * qualifies. */
#define PG_HTTP_CLIENT_ENV "PERFGATE_HTTP_CLIENT"

int pg_prepared_build(pg_prepared *p, const pg_budget *b, pg_err *err);
void pg_prepared_free(pg_prepared *p);

/* 1 when an answer (status, expected or not) to request pr of scenario sc
 * belongs to filter f. */
int pg_prepared_filter_takes(const pg_prepared_filter *f, size_t sc, const pg_prepared_request *pr,
                             long status, int expected);

/* Picks a scenario for a uniform draw u in [0, 1). */
size_t pg_prepared_pick(const pg_prepared *p, double u);

#endif
