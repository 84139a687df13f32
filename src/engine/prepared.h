/* prepared.h — a budget turned into what workers send (internal to engine/).
 * Built once before the run and only read by workers: full URLs, header
 * lists for libcurl, scenario weights as a cumulative table. */
#ifndef PG_ENGINE_PREPARED_H
#define PG_ENGINE_PREPARED_H

#include <curl/curl.h>
#include <stddef.h>

#include "config/budget.h"

typedef struct pg_prepared_request {
    const pg_request *req;
    char *url;
    struct curl_slist *headers;
    size_t name_index;
    int is_head;
    int keep_body; /* body needed for body_contains */
} pg_prepared_request;

typedef struct pg_prepared_scenario {
    const pg_scenario *sc;
    pg_prepared_request *requests;
    size_t n_requests;
    double cumulative_weight; /* up to and including this one, normalised to 1 */
} pg_prepared_scenario;

typedef struct pg_prepared {
    const pg_budget *budget;
    pg_prepared_scenario *scenarios;
    size_t n_scenarios;
    char **names; /* distinct request names */
    size_t n_names;
    int any_keep_body;
    int any_tokens; /* some request counts SSE tokens: slots keep event text */
} pg_prepared;

int pg_prepared_build(pg_prepared *p, const pg_budget *b, pg_err *err);
void pg_prepared_free(pg_prepared *p);

/* Picks a scenario for a uniform draw u in [0, 1). */
size_t pg_prepared_pick(const pg_prepared *p, double u);

#endif
