/* flow.c — rendering, extraction and data records per slot (see flow.h). */
#include "engine/flow.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_path.h"
#include "common/rng.h"

int pg_flow_init(pg_flow *f, const pg_prepared *plan)
{
    const pg_budget *b = plan->budget;

    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < b->n_scenarios; i++)
        for (size_t j = 0; j < b->scenarios[i].n_requests; j++)
            if (b->scenarios[i].requests[j].n_headers > f->max_headers)
                f->max_headers = b->scenarios[i].requests[j].n_headers;
    f->n_vars = b->n_vars;
    f->var_names = b->vars;
    if ((f->n_vars && (!(f->values = calloc(f->n_vars, sizeof *f->values)) ||
                       !(f->vars = calloc(f->n_vars, sizeof *f->vars)))) ||
        (f->max_headers &&
         (!(f->header_text = calloc(f->max_headers, sizeof *f->header_text)) ||
          !(f->header_nodes = calloc(f->max_headers, sizeof *f->header_nodes))))) {
        pg_flow_free(f);
        return -1;
    }
    return 0;
}

void pg_flow_free(pg_flow *f)
{
    for (size_t i = 0; f->values && i < f->n_vars; i++)
        pg_buf_free(&f->values[i]);
    for (size_t i = 0; f->header_text && i < f->max_headers; i++)
        pg_buf_free(&f->header_text[i]);
    free(f->values);
    free(f->vars);
    free(f->header_text);
    free(f->header_nodes);
    pg_buf_free(&f->url);
    pg_buf_free(&f->body);
    memset(f, 0, sizeof *f);
}

void pg_flow_begin(pg_flow *f, const pg_prepared *plan, const pg_scenario *sc, uint64_t iteration)
{
    const pg_budget *b = plan->budget;

    f->iteration = iteration;
    f->data = sc->data >= 0 ? &b->datasets[sc->data] : NULL;
    /* values of this iteration only: those a "vu" extraction keeps stay */
    for (size_t i = 0; i < sc->n_requests; i++)
        for (size_t k = 0; k < sc->requests[i].n_extracts; k++)
            if (!sc->requests[i].extracts[k].scope_vu)
                f->vars[sc->requests[i].extracts[k].var] = NULL;
}

int pg_flow_render(pg_flow *f, const pg_prepared *plan, const pg_prepared_request *pr,
                   uint64_t *rng)
{
    const pg_request *r = pr->req;
    pg_tpl_values v = {f->data, f->record, f->vars, f->iteration, rng};
    int failed;

    pg_buf_truncate(&f->url, 0);
    pg_buf_puts(&f->url, plan->budget->target);
    pg_template_render(&r->path_tpl, &v, &f->url);
    failed = pg_buf_failed(&f->url);
    for (size_t i = 0; i < r->n_headers; i++) {
        pg_buf *h = &f->header_text[i];
        pg_buf_truncate(h, 0);
        pg_buf_puts(h, r->headers[i].name);
        pg_buf_puts(h, ": ");
        pg_template_render(&r->headers[i].tpl, &v, h);
        failed |= pg_buf_failed(h);
        f->header_nodes[i].data = h->data;
        f->header_nodes[i].next = i + 1 < r->n_headers ? &f->header_nodes[i + 1] : NULL;
    }
    if (r->body_tpl.dynamic) {
        pg_buf_truncate(&f->body, 0);
        pg_template_render(&r->body_tpl, &v, &f->body);
        pg_buf_append(&f->body, "", 0); /* a body may be empty: data stays a pointer */
        failed |= pg_buf_failed(&f->body);
    }
    return failed ? -1 : 0;
}

int pg_flow_skip(const pg_flow *f, const pg_prepared_scenario *ps, size_t step)
{
    const pg_request *r = ps->requests[step].req;

    if (!r->once_per_vu || step + 1 == ps->n_requests)
        return 0;
    for (size_t k = 0; k < r->n_extracts; k++)
        if (!f->vars[r->extracts[k].var])
            return 0;
    return 1;
}

static int keep(pg_flow *f, size_t var, const char *s, size_t n)
{
    pg_buf *v = &f->values[var];

    pg_buf_truncate(v, 0);
    pg_buf_append(v, s, n);
    pg_buf_append(v, "", 0);
    if (pg_buf_failed(v))
        return -1;
    f->vars[var] = v->data;
    return 0;
}

static int from_json(pg_flow *f, const pg_extract *x, const char *body, size_t len)
{
    cJSON *doc = cJSON_ParseWithLength(body, len);
    const cJSON *at = doc ? pg_json_path(doc, x->expr) : NULL;
    int rc = -1;

    if (cJSON_IsString(at)) {
        rc = keep(f, x->var, at->valuestring, strlen(at->valuestring));
    } else if (at && !cJSON_IsNull(at)) {
        char *s = cJSON_PrintUnformatted(at);
        rc = s ? keep(f, x->var, s, strlen(s)) : -1;
        cJSON_free(s);
    }
    cJSON_Delete(doc);
    return rc;
}

static int from_header(pg_flow *f, const pg_extract *x, CURL *easy)
{
    struct curl_header *h = NULL;

    if (curl_easy_header(easy, x->expr, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h)
        return -1;
    return keep(f, x->var, h->value, strlen(h->value));
}

static int from_regex(pg_flow *f, const pg_extract *x, const char *body)
{
    regmatch_t m[2];
    const regex_t *re = x->regex;
    size_t g = re->re_nsub >= 1 ? 1 : 0;

    if (regexec(re, body, 2, m, 0) != 0 || m[g].rm_so < 0)
        return -1;
    return keep(f, x->var, body + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
}

int pg_flow_extract(pg_flow *f, const pg_request *r, CURL *easy, char *body, size_t body_len,
                    char *why, size_t why_size)
{
    for (size_t k = 0; k < r->n_extracts; k++) {
        const pg_extract *x = &r->extracts[k];
        int rc = -1;
        switch (x->kind) {
        case PG_EXTRACT_JSON:
            rc = from_json(f, x, body ? body : "", body ? body_len : 0);
            break;
        case PG_EXTRACT_HEADER:
            rc = from_header(f, x, easy);
            break;
        case PG_EXTRACT_REGEX:
            rc = from_regex(f, x, body ? body : "");
            break;
        default:
            break;
        }
        if (rc != 0) {
            snprintf(why, why_size, "%s %s: no value for {{%s}}: the answer has no %s \"%s\"",
                     r->method, r->path, f->var_names[x->var], pg_extract_kind_keys[x->kind],
                     x->expr);
            return -1;
        }
    }
    return 0;
}

/* --- records --------------------------------------------------------------------- */

int pg_feed_init(pg_feed *feed, const pg_budget *b, unsigned shard_index, unsigned shard_count)
{
    memset(feed, 0, sizeof *feed);
    feed->shard_index = shard_index;
    feed->shard_count = shard_count ? shard_count : 1;
    if (!b->n_datasets)
        return 0;
    if (!(feed->taken = calloc(b->n_datasets, sizeof *feed->taken)))
        return -1;
    feed->n = b->n_datasets;
    for (size_t k = 0; k < feed->n; k++)
        atomic_init(&feed->taken[k], 0);
    return 0;
}

void pg_feed_free(pg_feed *feed)
{
    free((void *)feed->taken);
    memset(feed, 0, sizeof *feed);
}

int pg_feed_next(pg_feed *feed, const pg_dataset *d, size_t k, uint64_t *rng, size_t *record)
{
    uint64_t i;

    if (d->order == PG_DATA_RANDOM) {
        *record = (size_t)pg_rng_below(rng, d->n_records);
        return 0;
    }
    i = feed->shard_index + (uint64_t)feed->shard_count *
                                atomic_fetch_add_explicit(&feed->taken[k], 1, memory_order_relaxed);
    if (d->order == PG_DATA_UNIQUE && i >= d->n_records)
        return -1;
    *record = (size_t)(i % d->n_records);
    return 0;
}
