/* prepared.c — budgets turned into ready-to-send requests (see prepared.h). */
#include "engine/prepared.h"

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

int pg_prepared_build(pg_prepared *p, const pg_budget *b, pg_err *err)
{
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
        if (!(ps->requests = calloc(sc->n_requests, sizeof *ps->requests)))
            goto oom;
        ps->n_requests = sc->n_requests;
        for (size_t j = 0; j < sc->n_requests; j++) {
            const pg_request *r = &sc->requests[j];
            pg_prepared_request *pr = &ps->requests[j];
            size_t n = strlen(b->target) + strlen(r->path) + 1;
            pr->req = r;
            if (!(pr->url = malloc(n)))
                goto oom;
            snprintf(pr->url, n, "%s%s", b->target, r->path);
            for (size_t k = 0; k < r->n_headers; k++) {
                char line[4096];
                struct curl_slist *l;
                snprintf(line, sizeof line, "%s: %s", r->headers[k].name, r->headers[k].value);
                if (!(l = curl_slist_append(pr->headers, line)))
                    goto oom;
                pr->headers = l;
            }
            pr->is_head = strcmp(r->method, "HEAD") == 0;
            pr->keep_body = r->expect_body_contains != NULL;
            p->any_keep_body |= pr->keep_body;
            p->any_tokens |= r->tokens_field != NULL;
            if (name_index(p, r->name, &pr->name_index) != 0)
                goto oom;
        }
    }
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
        }
        free(p->scenarios[i].requests);
    }
    free(p->scenarios);
    for (size_t i = 0; i < p->n_names; i++)
        free(p->names[i]);
    free(p->names);
    memset(p, 0, sizeof *p);
}

size_t pg_prepared_pick(const pg_prepared *p, double u)
{
    for (size_t i = 0; i + 1 < p->n_scenarios; i++)
        if (u < p->scenarios[i].cumulative_weight)
            return i;
    return p->n_scenarios - 1;
}
