/* scenarios.c — the "scenarios" section: weighted request sequences (see budget.h).
 *
 * A scenario is what one iteration of a virtual user does: its requests in
 * order, with think time between iterations. Bodies may come from a file
 * ("@payload.json", relative to the budget file; "@@" escapes a literal @),
 * read here so that a missing file is a budget error, not a run-time one. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "config/env.h"
#include "config/sections.h"

static const char *const scenario_keys[] = {"name", "weight", "think_time", "requests", NULL};
static const char *const request_keys[] = {"name",   "method", "path",         "headers", "body",
                                           "expect", "stream", "tokens_field", NULL};
static const char *const expect_keys[] = {"status", "body_contains", NULL};
static const char *const methods[] = {"GET",   "HEAD",   "POST",    "PUT",
                                      "PATCH", "DELETE", "OPTIONS", NULL};

static int oom(pg_fields *f)
{
    return pg_err_set(f->err, PG_ENOMEM, "out of memory");
}

/* A header value with ${NAME} in it is filled from the environment, so
 * tokens stay out of the budget file. The value is never printed. */
static int expand_value(pg_fields *f, const cJSON *m, char **out)
{
    char what[64];

    switch (pg_env_expand(m->valuestring, out, what, sizeof what)) {
    case PG_ENV_OK:
        break;
    case PG_ENV_UNSET:
        return pg_json_doc_error(
            f->err, f->doc, m, 0,
            "header \"%s\" uses ${%s}, which is not set in the environment (export it; in GitHub "
            "Actions, from a secret: env: %s: ${{ secrets.%s }})",
            m->string, what, what, what);
    case PG_ENV_MALFORMED:
        return pg_json_doc_error(f->err, f->doc, m, 0,
                                 "header \"%s\": \"%s\" is not a variable; write ${NAME} (letters, "
                                 "digits, _), or $${ for a literal ${",
                                 m->string, what);
    default:
        return oom(f);
    }
    if (strpbrk(*out, "\r\n"))
        return pg_json_doc_error(f->err, f->doc, m, 0,
                                 "header \"%s\": a variable it uses holds a line break", m->string);
    return PG_OK;
}

static int parse_headers(pg_fields *f, const cJSON *h, const char *where, pg_request *r)
{
    size_t n = 0, i = 0;
    int rc;

    if (!h)
        return PG_OK;
    if (!cJSON_IsObject(h))
        return pg_json_doc_error(f->err, f->doc, h, 0,
                                 "\"%s.headers\" must be an object of strings, e.g. "
                                 "{\"Accept\": \"application/json\"}",
                                 where);
    n = (size_t)cJSON_GetArraySize(h);
    if (n && !(r->headers = calloc(n, sizeof *r->headers)))
        return oom(f);
    for (const cJSON *m = h->child; m; m = m->next, i++) {
        if (!m->string[0] || strpbrk(m->string, " :\r\n\t"))
            return pg_json_doc_error(
                f->err, f->doc, m, 1,
                "header name \"%s\" is not valid (no spaces, colons or line breaks)", m->string);
        if (!cJSON_IsString(m))
            return pg_json_doc_error(f->err, f->doc, m, 0, "header \"%s\" must have a string value",
                                     m->string);
        if (strpbrk(m->valuestring, "\r\n"))
            return pg_json_doc_error(f->err, f->doc, m, 0,
                                     "header \"%s\" must not contain line breaks", m->string);
        if (!(r->headers[i].name = pg_strdup(m->string)))
            return oom(f);
        r->n_headers = i + 1;
        if (!(r->headers[i].template = pg_strdup(m->valuestring)))
            return oom(f);
        if ((rc = expand_value(f, m, &r->headers[i].value)) != 0)
            return rc;
    }
    return PG_OK;
}

/* "stream": "sse" reads the answer as Server-Sent Events even when its
 * Content-Type does not say text/event-stream; "tokens_field" names where
 * in each event's JSON data the tokens are ("choices.0.delta.content"). */
static int parse_stream(pg_fields *f, const cJSON *q, const char *where, pg_request *r)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(q, "stream");
    const char *tokens = NULL;
    int rc;

    if (st && (!cJSON_IsString(st) || strcmp(st->valuestring, "sse") != 0))
        return pg_json_doc_error(f->err, f->doc, st, 0,
                                 "\"%s.stream\" must be \"sse\" (answers of type "
                                 "text/event-stream are read as events without it)",
                                 where);
    r->sse = st != NULL;
    if ((rc = pg_fields_string(f, q, "tokens_field", where, 0, &tokens)) != 0 || !tokens)
        return rc;
    if (!tokens[0] || tokens[0] == '.' || tokens[strlen(tokens) - 1] == '.' ||
        strstr(tokens, "..") || strpbrk(tokens, " \t"))
        return pg_json_doc_error(
            f->err, f->doc, cJSON_GetObjectItemCaseSensitive(q, "tokens_field"), 0,
            "\"%s.tokens_field\" is a path of keys and array indexes joined by dots, e.g. "
            "\"choices.0.delta.content\"",
            where);
    if (!(r->tokens_field = pg_strdup(tokens)))
        return oom(f);
    return PG_OK;
}

static int parse_body(pg_fields *f, const cJSON *m, const char *where, pg_request *r)
{
    char dir[512], path[1024];
    pg_err ferr;

    if (!m)
        return PG_OK;
    if (!cJSON_IsString(m))
        return pg_json_doc_error(
            f->err, f->doc, m, 0,
            "\"%s.body\" must be a string (JSON bodies are written as a string, "
            "or \"@file\" to read one)",
            where);
    if (m->valuestring[0] == '@' && m->valuestring[1] != '@') {
        pg_file_dirname(f->doc->path, dir, sizeof dir);
        snprintf(path, sizeof path, "%s/%s", dir, m->valuestring + 1);
        if (m->valuestring[1] == '/')
            snprintf(path, sizeof path, "%s", m->valuestring + 1);
        if (pg_file_read(&r->body, &r->body_len, path, 64u << 20, &ferr) != 0)
            return pg_json_doc_error(f->err, f->doc, m, 0, "\"%s.body\": cannot read %s: %s", where,
                                     path, ferr.msg);
        return PG_OK;
    }
    if (!(r->body = pg_strdup(m->valuestring + (m->valuestring[0] == '@'))))
        return oom(f);
    r->body_len = strlen(r->body);
    return PG_OK;
}

static int parse_expect(pg_fields *f, const cJSON *e, const char *where, pg_request *r)
{
    char ewhere[160];
    const cJSON *st;
    const char *contains = NULL;
    int rc;

    if (!e)
        return PG_OK;
    snprintf(ewhere, sizeof ewhere, "%s.expect", where);
    if ((rc = pg_fields_want_object(f, e, ewhere)) != 0 ||
        (rc = pg_fields_check_keys(f, e, ewhere, expect_keys)) != 0)
        return rc;
    if ((st = cJSON_GetObjectItemCaseSensitive(e, "status"))) {
        const cJSON *one = st;
        size_t n = cJSON_IsArray(st) ? (size_t)cJSON_GetArraySize(st) : 1, i = 0;
        if (cJSON_IsArray(st) && !n)
            return pg_json_doc_error(f->err, f->doc, st, 0,
                                     "\"%s.status\" must list at least one code", ewhere);
        if (!(r->expect_status = calloc(n, sizeof *r->expect_status)))
            return oom(f);
        r->n_expect_status = n;
        for (one = cJSON_IsArray(st) ? st->child : st; one && i < n; one = one->next, i++) {
            if (!cJSON_IsNumber(one) || one->valuedouble < 100 || one->valuedouble > 599 ||
                one->valuedouble != (double)(int)one->valuedouble)
                return pg_json_doc_error(
                    f->err, f->doc, one, 0,
                    "\"%s.status\" must be an HTTP status code from 100 to 599, or a list of them",
                    ewhere);
            r->expect_status[i] = (int)one->valuedouble;
            if (!cJSON_IsArray(st))
                break;
        }
    }
    if ((rc = pg_fields_string(f, e, "body_contains", ewhere, 0, &contains)) != 0)
        return rc;
    if (contains && !(r->expect_body_contains = pg_strdup(contains)))
        return oom(f);
    return PG_OK;
}

static int parse_request(pg_fields *f, const cJSON *q, const char *where, pg_request *r)
{
    const char *method = "GET", *path = NULL, *name = NULL;
    char upper[16], defname[1100];
    size_t i;
    int rc;

    if ((rc = pg_fields_want_object(f, q, where)) != 0 ||
        (rc = pg_fields_check_keys(f, q, where, request_keys)) != 0 ||
        (rc = pg_fields_string(f, q, "method", where, 0, &method)) != 0 ||
        (rc = pg_fields_string(f, q, "path", where, 1, &path)) != 0 ||
        (rc = pg_fields_name(f, q, "name", where, 0, &name)) != 0)
        return rc;
    for (i = 0; method[i] && i < sizeof upper - 1; i++)
        upper[i] = (char)toupper((unsigned char)method[i]);
    upper[i] = '\0';
    for (i = 0; methods[i]; i++)
        if (strcmp(methods[i], upper) == 0)
            break;
    if (!methods[i]) {
        char list[128];
        pg_join(methods, list, sizeof list);
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(q, "method"), 0,
                                 "unknown HTTP method \"%s\"; valid are %s", method, list);
    }
    if (path[0] != '/' || strpbrk(path, " \r\n\t"))
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(q, "path"), 0,
                                 "\"%s.path\" must start with '/' and contain no spaces or line "
                                 "breaks, e.g. \"/products/42\"",
                                 where);
    snprintf(defname, sizeof defname, "%s %s", upper, path);
    if (!(r->method = pg_strdup(upper)) || !(r->path = pg_strdup(path)) ||
        !(r->name = pg_strdup(name ? name : defname)))
        return oom(f);
    if ((rc = parse_headers(f, cJSON_GetObjectItemCaseSensitive(q, "headers"), where, r)) != 0 ||
        (rc = parse_body(f, cJSON_GetObjectItemCaseSensitive(q, "body"), where, r)) != 0)
        return rc;
    if (r->body && (strcmp(upper, "GET") == 0 || strcmp(upper, "HEAD") == 0))
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(q, "body"), 1,
                                 "a %s request has no body; use POST, PUT or PATCH", upper);
    if ((rc = parse_stream(f, q, where, r)) != 0)
        return rc;
    return parse_expect(f, cJSON_GetObjectItemCaseSensitive(q, "expect"), where, r);
}

static int parse_scenario(pg_fields *f, const cJSON *s, const char *where, pg_scenario *sc)
{
    const cJSON *reqs, *tt;
    const char *name = NULL;
    char rwhere[96], why[256];
    size_t n, i = 0;
    int rc;

    if ((rc = pg_fields_want_object(f, s, where)) != 0 ||
        (rc = pg_fields_check_keys(f, s, where, scenario_keys)) != 0 ||
        (rc = pg_fields_name(f, s, "name", where, 1, &name)) != 0)
        return rc;
    if (!(sc->name = pg_strdup(name)))
        return oom(f);
    sc->weight = 1.0;
    if ((rc = pg_fields_number(f, s, "weight", where, 0, 1e-9, 1e9, &sc->weight)) != 0)
        return rc;
    if ((tt = cJSON_GetObjectItemCaseSensitive(s, "think_time"))) {
        if (!cJSON_IsString(tt) || pg_parse_duration_range(tt->valuestring, &sc->think_min_us,
                                                           &sc->think_max_us, why, sizeof why) != 0)
            return pg_json_doc_error(
                f->err, f->doc, tt, 0, "\"%s.think_time\": %s", where,
                cJSON_IsString(tt) ? why : "must be a duration or a range such as \"50ms..150ms\"");
    }
    reqs = cJSON_GetObjectItemCaseSensitive(s, "requests");
    if (!reqs)
        return pg_json_doc_error(f->err, f->doc, s, 0, "missing required key \"requests\" in %s",
                                 where);
    if (!cJSON_IsArray(reqs) || !(n = (size_t)cJSON_GetArraySize(reqs)))
        return pg_json_doc_error(
            f->err, f->doc, reqs, 0,
            "\"%s.requests\" must be a non-empty list of {\"method\", \"path\", ...}", where);
    if (!(sc->requests = calloc(n, sizeof *sc->requests)))
        return oom(f);
    for (const cJSON *q = reqs->child; q; q = q->next, i++) {
        sc->n_requests = i + 1;
        snprintf(rwhere, sizeof rwhere, "%s.requests[%zu]", where, i);
        if ((rc = parse_request(f, q, rwhere, &sc->requests[i])) != 0)
            return rc;
    }
    return PG_OK;
}

int pg_section_scenarios(pg_fields *f, const cJSON *list, pg_budget *b)
{
    char where[64];
    size_t n, i = 0;
    int rc;

    if (!cJSON_IsArray(list) || !(n = (size_t)cJSON_GetArraySize(list)))
        return pg_json_doc_error(
            f->err, f->doc, list, 0,
            "\"scenarios\" must be a non-empty list of {\"name\", \"requests\": [...]}");
    if (!(b->scenarios = calloc(n, sizeof *b->scenarios)))
        return oom(f);
    for (const cJSON *s = list->child; s; s = s->next, i++) {
        b->n_scenarios = i + 1;
        snprintf(where, sizeof where, "scenarios[%zu]", i);
        if ((rc = parse_scenario(f, s, where, &b->scenarios[i])) != 0)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(b->scenarios[j].name, b->scenarios[i].name) == 0)
                return pg_json_doc_error(f->err, f->doc,
                                         cJSON_GetObjectItemCaseSensitive(s, "name"), 0,
                                         "scenario name \"%s\" is used twice; names must be unique",
                                         b->scenarios[i].name);
    }
    return PG_OK;
}
