/* prepared.c — budgets turned into ready-to-send requests (see prepared.h). */
#include "engine/prepared.h"
#include "common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_index(pg_prepared *p, const char *name, size_t *out)
{
    char **names;

    for (size_t i = 0; i < p->n_names; i++) {
        if (strcmp(p->names[i], name) == 0) {
            *out = i;
            return 0;
        }
    }
    if (!(names = realloc(p->names, (p->n_names + 1) * sizeof *names)))
        return -1;
    p->names = names;
    if (!(names[p->n_names] = strdup(name)))
        return -1;
    *out = p->n_names++;
    return 0;
}

/* The sub-metrics the thresholds name, each once (several thresholds may
 * share one), that one scenario's or request's histogram does not serve. */
static int build_filters(pg_prepared *p, const pg_budget *b)
{
    if (!b->n_thresholds)
        return 0;
    if (!(p->filters = calloc(b->n_thresholds, sizeof *p->filters)))
        return -1;
    for (size_t i = 0; i < b->n_thresholds; i++) {
        const pg_threshold *t = &b->thresholds[i];
        const pg_tag_filter *tf = &t->filter;
        pg_prepared_filter *f = &p->filters[p->n_filters];
        size_t k;
        if (!tf->n || pg_tag_filter_simple(tf) != PG_TAG_KEY_COUNT)
            continue;
        for (k = 0; k < p->n_filters && strcmp(p->filters[k].key, t->metric) != 0; k++)
            ;
        if (k < p->n_filters)
            continue;
        f->key = t->metric;
        f->scenario = f->name = -1;
        f->expected = -1;
        for (size_t s = 0; tf->value[PG_TAG_SCENARIO] && s < b->n_scenarios; s++)
            if (strcmp(b->scenarios[s].name, tf->value[PG_TAG_SCENARIO]) == 0)
                f->scenario = (long)s;
        for (size_t n = 0; tf->value[PG_TAG_NAME] && n < p->n_names; n++)
            if (strcmp(p->names[n], tf->value[PG_TAG_NAME]) == 0)
                f->name = (long)n;
        f->method = tf->value[PG_TAG_METHOD];
        f->status = tf->value[PG_TAG_STATUS] ? strtol(tf->value[PG_TAG_STATUS], NULL, 10) : 0;
        if (tf->value[PG_TAG_EXPECTED_RESPONSE])
            f->expected = strcmp(tf->value[PG_TAG_EXPECTED_RESPONSE], "true") == 0;
        p->n_filters++;
    }
    return 0;
}

int pg_prepared_filter_takes(const pg_prepared_filter *f, size_t sc, const pg_prepared_request *pr,
                             long status, int expected)
{
    return (f->scenario < 0 || (size_t)f->scenario == sc) &&
           (f->name < 0 || (size_t)f->name == pr->name_index) &&
           (!f->method || strcmp(f->method, pr->req->method) == 0) &&
           (!f->status || f->status == status) && (f->expected < 0 || f->expected == expected);
}

/* Whether the plain path can carry the run: it speaks HTTP/1.1 over
 * plain TCP to the target's own address, and has no cookie engine and no
 * response headers kept; everything else is libcurl's. 0 yes, -1 no, 1
 * out of memory. */
static int choose_plain(pg_prepared *p, const pg_budget *b)
{
    const char *want = getenv(PG_HTTP_CLIENT_ENV);
    char why[256];

    if ((want && strcmp(want, "libcurl") == 0) || b->load.http2 || p->any_cookies ||
        pg_h1_origin_parse(&p->origin, b->target) != 0)
        return -1;
    for (size_t i = 0; i < p->n_scenarios; i++) {
        for (size_t j = 0; j < p->scenarios[i].n_requests; j++) {
            pg_prepared_request *pr = &p->scenarios[i].requests[j];
            const pg_request *r = pr->req;
            for (size_t k = 0; k < r->n_extracts; k++)
                if (r->extracts[k].kind == PG_EXTRACT_HEADER)
                    return -1;
            if (r->dynamic)
                continue;
            if (pg_h1_request_head(&pr->h1_head, &p->origin, r->method, pr->url, pr->headers,
                                   r->body != NULL, r->body_len, why, sizeof why) != 0)
                return -1; /* libcurl's path says what is wrong with the URL, per request */
            if (pg_buf_failed(&pr->h1_head))
                return 1;
        }
    }
    return 0;
}

int pg_prepared_build(pg_prepared *p, const pg_budget *b, pg_err *err)
{
    int plain;

    double total = 0.0, cum = 0.0;

    memset(p, 0, sizeof *p);
    p->budget = b;
    if (!(p->scenarios = calloc(b->n_scenarios, sizeof *p->scenarios)))
        goto oom;
    p->n_scenarios = b->n_scenarios;
    for (size_t i = 0; i < b->n_scenarios; i++)
        total += b->scenarios[i].weight;
    for (size_t i = 0; i < b->n_scenarios; i++) {
        const pg_scenario *sc = &b->scenarios[i];
        pg_prepared_scenario *ps = &p->scenarios[i];
        ps->sc = sc;
        cum += sc->weight;
        ps->cumulative_weight = i + 1 == b->n_scenarios ? 1.0 : cum / total;
        p->any_cookies |= sc->cookies;
        if (!(ps->requests = calloc(sc->n_requests, sizeof *ps->requests)))
            goto oom;
        ps->n_requests = sc->n_requests;
        for (size_t j = 0; j < sc->n_requests; j++) {
            const pg_request *r = &sc->requests[j];
            pg_prepared_request *pr = &ps->requests[j];
            pg_buf url = {0};
            pr->req = r;
            /* the path rendered: ${NAME} filled in, {{{{ as {{; a dynamic
             * request renders its own each time (with its record and values) */
            pg_buf_puts(&url, b->target);
            if (r->dynamic)
                pg_buf_puts(&url, r->path);
            else
                pg_template_render(&r->path_tpl, &(pg_tpl_values){0}, &url);
            if (pg_buf_failed(&url)) {
                pg_buf_free(&url);
                goto oom;
            }
            pr->url = url.data;
            for (size_t k = 0; k < r->n_headers && !r->dynamic; k++) {
                char line[4096];
                struct curl_slist *l;
                snprintf(line, sizeof line, "%s: %s", r->headers[k].name, r->headers[k].value);
                if (!(l = curl_slist_append(pr->headers, line)))
                    goto oom;
                pr->headers = l;
            }
            pr->is_head = strcmp(r->method, "HEAD") == 0;
            pr->keep_body = r->expect_body_contains != NULL;
            for (size_t k = 0; k < r->n_extracts; k++)
                pr->keep_body |= r->extracts[k].kind != PG_EXTRACT_HEADER;
            p->any_keep_body |= pr->keep_body;
            p->any_tokens |= r->tokens_field != NULL;
            if (name_index(p, r->name, &pr->name_index) != 0)
                goto oom;
        }
    }
    if (build_filters(p, b) != 0)
        goto oom;
    if ((plain = choose_plain(p, b)) > 0)
        goto oom;
    p->plain = plain == 0;
    return PG_OK;
oom:
    pg_prepared_free(p);
    return pg_err_set(err, PG_ENOMEM, "out of memory preparing requests");
}

void pg_prepared_free(pg_prepared *p)
{
    for (size_t i = 0; i < p->n_scenarios; i++) {
        for (size_t j = 0; j < p->scenarios[i].n_requests; j++) {
            free(p->scenarios[i].requests[j].url);
            curl_slist_free_all(p->scenarios[i].requests[j].headers);
            pg_buf_free(&p->scenarios[i].requests[j].h1_head);
        }
        free(p->scenarios[i].requests);
    }
    free(p->scenarios);
    for (size_t i = 0; i < p->n_names; i++)
        free(p->names[i]);
    free(p->names);
    free(p->filters);
    memset(p, 0, sizeof *p);
}

size_t pg_prepared_pick(const pg_prepared *p, double u)
{
    for (size_t i = 0; i + 1 < p->n_scenarios; i++)
        if (u < p->scenarios[i].cumulative_weight)
            return i;
    return p->n_scenarios - 1;
}
