/* flow.h — what one slot carries from request to request (internal to engine/).
 *
 * A slot (a virtual user, or an open model's connection slot) renders the
 * requests whose path, headers or body change per request, and keeps the
 * values it extracts from answers for the later requests of the iteration
 * (or, "scope": "vu", of its later iterations). Every buffer is the slot's
 * own and grows only until it fits, so a long run allocates nothing per
 * request but what reading a JSON answer takes (cJSON).
 *
 * Records of a data set are handed out (pg_feed) in turn, at random, or
 * once each until the set runs out, as Gatling's feeders do. */
#ifndef PG_ENGINE_FLOW_H
#define PG_ENGINE_FLOW_H

#include <curl/curl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "engine/prepared.h"

typedef struct pg_flow {
    size_t n_vars;
    char *const *var_names; /* the budget's */
    pg_buf *values;         /* n_vars extracted values */
    char **vars;            /* n_vars: values[i].data once extracted, else NULL */
    pg_buf url, body;       /* the rendered request */
    pg_buf *header_text;
    struct curl_slist *header_nodes; /* a list over header_text, for CURLOPT_HTTPHEADER */
    size_t max_headers;
    const pg_dataset *data; /* this iteration's data set and record */
    size_t record;
    uint64_t iteration;
} pg_flow;

int pg_flow_init(pg_flow *f, const pg_prepared *plan);
void pg_flow_free(pg_flow *f);

/* A new iteration of scenario sc: values of scope "iteration" forgotten. */
void pg_flow_begin(pg_flow *f, const pg_prepared *plan, const pg_scenario *sc, uint64_t iteration);

/* Renders a dynamic request into f->url, f->header_nodes and f->body.
 * -1 when memory ran out. */
int pg_flow_render(pg_flow *f, const pg_prepared *plan, const pg_prepared_request *pr,
                   uint64_t *rng);

/* A request sent only until it has given its "scope": "vu" values, and not
 * the scenario's last (an iteration always sends something). */
int pg_flow_skip(const pg_flow *f, const pg_prepared_scenario *ps, size_t step);

/* Takes the request's values from its answer (body: body_len bytes kept,
 * with a NUL after them). 0, or -1 with why saying which value was not
 * found and where it was looked for. */
int pg_flow_extract(pg_flow *f, const pg_request *r, CURL *easy, char *body, size_t body_len,
                    char *why, size_t why_size);

/* Records of the data sets handed out so far: shared by every worker of a
 * run (one atomic add per iteration), and by the runs of one budget (a
 * ramp's trials, a staircase's steps), so that "unique" means once in the
 * whole run. Shard I of N takes records I, I + N, I + 2N, ... */
typedef struct pg_feed {
    _Atomic uint64_t *taken; /* per data set */
    size_t n;
    unsigned shard_index, shard_count;
} pg_feed;

int pg_feed_init(pg_feed *feed, const pg_budget *b, unsigned shard_index, unsigned shard_count);
void pg_feed_free(pg_feed *feed);
/* The next record of data set k (d); -1 when a "unique" set has run out. */
int pg_feed_next(pg_feed *feed, const pg_dataset *d, size_t k, uint64_t *rng, size_t *record);

#endif
