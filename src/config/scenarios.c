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
#include "config/sections.h"

static const char *const scenario_keys[] = {"name", "weight",  "think_time", "requests",
                                            "data", "cookies", NULL};
static const char *const request_keys[] = {"name",    "method",   "path",   "headers",
                                           "body",    "expect",   "stream", "tokens_field",
                                           "extract", "template", NULL};
static const char *const expect_keys[] = {"status", "body_contains", NULL};

static int oom(pg_fields *f)
{
    return pg_err_set(f->err, PG_ENOMEM, "out of memory");
}

/* A string value as a template: a mistake names its line and column, and
 * what it is in ("header \"Authorization\"", "the path"). */
static int parse_template(pg_fields *f, const cJSON *m, pg_tpl_place place, const char *what,
                          const pg_resolve_ctx *ctx, pg_template *out)
{
    char why[700];
    size_t at = 0;
    int rc = pg_template_parse(out, m->valuestring, strlen(m->valuestring), place, pg_resolve_name,
                               (void *)ctx, &at, why, sizeof why);

    if (rc == PG_ENOMEM)
        return oom(f);
    if (rc != PG_OK)
        return pg_json_doc_error_inside(f->err, f->doc, m, at, "%s %s", what, why);
    return PG_OK;
}

/* The value a template always renders to (no part changes per request). */
static char *render_static(const pg_template *t)
{
    pg_buf b = {0};
    char *s;

    pg_template_render(t, &(pg_tpl_values){0}, &b);
    if (pg_buf_failed(&b)) {
        pg_buf_free(&b);
        return NULL;
    }
    s = pg_strdup(pg_buf_str(&b));
    pg_buf_free(&b);
    return s;
}

/* A header value with ${NAME} in it is filled from the environment, so
 * tokens stay out of the budget file; {{...}} per request. Never printed. */
static int header_value(pg_fields *f, const cJSON *m, const pg_resolve_ctx *ctx, pg_header *h)
{
    int rc;

    char what[300];

    snprintf(what, sizeof what, "header \"%s\"", m->string);
    if ((rc = parse_template(f, m, PG_TPL_IN_HEADER, what, ctx, &h->tpl)) != 0)
        return rc;
    for (size_t i = 0; i < h->tpl.n_parts; i++)
        if (h->tpl.parts[i].kind == PG_TPL_ENV &&
            (memchr(h->tpl.text + h->tpl.parts[i].off, '\n', h->tpl.parts[i].len) ||
             memchr(h->tpl.text + h->tpl.parts[i].off, '\r', h->tpl.parts[i].len)))
            return pg_json_doc_error(f->err, f->doc, m, 0,
                                     "header \"%s\": a variable it uses holds a line break",
                                     m->string);
    if (!h->tpl.dynamic && !(h->value = render_static(&h->tpl)))
        return oom(f);
    return PG_OK;
}

static int parse_headers(pg_fields *f, const cJSON *h, const char *where, const pg_resolve_ctx *ctx,
                         pg_request *r)
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
        if ((rc = header_value(f, m, ctx, &r->headers[i])) != 0)
            return rc;
        r->dynamic |= r->headers[i].tpl.dynamic;
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

/* The body as a template: an inline body always (unless "template": false),
 * a body read from a file only with "template": true (files are sent as
 * they are: a JSON payload may well contain "{{"). A static one is rendered
 * here, once (${NAME} filled in). */
static int body_template(pg_fields *f, const cJSON *m, const char *file, size_t skip,
                         const pg_resolve_ctx *ctx, pg_request *r)
{
    char why[700];
    size_t at = 0;
    pg_buf out = {0};
    int rc = pg_template_parse(&r->body_tpl, r->body, r->body_len, PG_TPL_IN_BODY, pg_resolve_name,
                               (void *)ctx, &at, why, sizeof why);

    if (rc == PG_ENOMEM)
        return oom(f);
    if (rc != PG_OK && !file)
        return pg_json_doc_error_inside(f->err, f->doc, m, at + skip, "the body %s", why);
    if (rc != PG_OK) {
        int line, col;
        pg_text_line_col(r->body, r->body_len, at, &line, &col);
        return pg_err_at(f->err, PG_EINVALID, file, line, col, "the body %s", why);
    }
    r->dynamic |= r->body_tpl.dynamic;
    if (r->body_tpl.dynamic)
        return PG_OK; /* r->body stays as written */
    pg_template_render(&r->body_tpl, &(pg_tpl_values){0}, &out);
    if (pg_buf_failed(&out)) {
        pg_buf_free(&out);
        return oom(f);
    }
    if (out.len != r->body_len || memcmp(pg_buf_str(&out), r->body, out.len) != 0) {
        /* ${NAME} filled in: the work is the body as written, not a secret's value */
        r->body_as_written = r->body;
        r->body_as_written_len = r->body_len;
        r->body = NULL;
    }
    free(r->body);
    r->body = out.data ? out.data : pg_strdup("");
    r->body_len = out.len;
    return r->body ? PG_OK : oom(f);
}

static int parse_body(pg_fields *f, const cJSON *q, const char *where, const pg_resolve_ctx *ctx,
                      pg_request *r)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(q, "body");
    char dir[512], path[1024];
    int from_file, templated = -1, rc;
    pg_err ferr;

    if ((rc = pg_fields_bool(f, q, "template", where, &templated)) != 0)
        return rc;
    if (!m) {
        if (templated != -1)
            return pg_json_doc_error(f->err, f->doc,
                                     cJSON_GetObjectItemCaseSensitive(q, "template"), 1,
                                     "\"%s.template\" is about the body, and there is none", where);
        return PG_OK;
    }
    if (!cJSON_IsString(m))
        return pg_json_doc_error(
            f->err, f->doc, m, 0,
            "\"%s.body\" must be a string (JSON bodies are written as a string, "
            "or \"@file\" to read one)",
            where);
    from_file = m->valuestring[0] == '@' && m->valuestring[1] != '@';
    if (templated == -1)
        templated = !from_file;
    if (from_file) {
        pg_file_dirname(f->doc->path, dir, sizeof dir);
        snprintf(path, sizeof path, "%s/%s", dir, m->valuestring + 1);
        if (m->valuestring[1] == '/')
            snprintf(path, sizeof path, "%s", m->valuestring + 1);
        if (pg_file_read(&r->body, &r->body_len, path, 64u << 20, &ferr) != 0)
            return pg_json_doc_error(f->err, f->doc, m, 0, "\"%s.body\": cannot read %s: %s", where,
                                     path, ferr.msg);
    } else {
        if (!(r->body = pg_strdup(m->valuestring + (m->valuestring[0] == '@'))))
            return oom(f);
        r->body_len = strlen(r->body);
    }
    if (!templated)
        return PG_OK;
    return body_template(f, m, from_file ? path : NULL, m->valuestring[0] == '@', ctx, r);
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

/* Spaces and line breaks are not allowed in a path's literal text; a
 * placeholder's ({{$random 1 9}}) and its value (percent-encoded) are fine. */
static int literal_blank(const pg_template *t)
{
    for (size_t i = 0; i < t->n_parts; i++)
        if (t->parts[i].kind == PG_TPL_TEXT)
            for (size_t k = 0; k < t->parts[i].len; k++)
                if (strchr(" \r\n\t", t->text[t->parts[i].off + k]))
                    return 1;
    return 0;
}

static int parse_request(pg_fields *f, const cJSON *q, const char *where, const pg_resolve_ctx *ctx,
                         pg_request *r)
{
    const char *method = "GET", *path = NULL, *name = NULL;
    const cJSON *pm = cJSON_GetObjectItemCaseSensitive(q, "path");
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
    for (i = 0; pg_http_methods[i]; i++)
        if (strcmp(pg_http_methods[i], upper) == 0)
            break;
    if (!pg_http_methods[i]) {
        char list[128];
        pg_join(pg_http_methods, list, sizeof list);
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(q, "method"), 0,
                                 "unknown HTTP method \"%s\"; valid are %s", method, list);
    }
    if ((rc = parse_template(f, pm, PG_TPL_IN_PATH, "the path", ctx, &r->path_tpl)) != 0)
        return rc;
    if (path[0] != '/' || literal_blank(&r->path_tpl))
        return pg_json_doc_error(f->err, f->doc, pm, 0,
                                 "\"%s.path\" must start with '/' and contain no spaces or line "
                                 "breaks, e.g. \"/products/42\" or \"/users/{{users.id}}\"",
                                 where);
    r->dynamic |= r->path_tpl.dynamic;
    snprintf(defname, sizeof defname, "%s %s", upper, path);
    if (!(r->method = pg_strdup(upper)) || !(r->path = pg_strdup(path)) ||
        !(r->name = pg_strdup(name ? name : defname)))
        return oom(f);
    if ((rc = parse_headers(f, cJSON_GetObjectItemCaseSensitive(q, "headers"), where, ctx, r)) !=
            0 ||
        (rc = parse_body(f, q, where, ctx, r)) != 0)
        return rc;
    if (r->body && (strcmp(upper, "GET") == 0 || strcmp(upper, "HEAD") == 0))
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(q, "body"), 1,
                                 "a %s request has no body; use POST, PUT or PATCH", upper);
    if ((rc = parse_stream(f, q, where, r)) != 0 ||
        (rc = pg_section_extract(f, cJSON_GetObjectItemCaseSensitive(q, "extract"), where,
                                 (pg_budget *)ctx->b, r)) != 0)
        return rc;
    return parse_expect(f, cJSON_GetObjectItemCaseSensitive(q, "expect"), where, r);
}

static int parse_scenario(pg_fields *f, const cJSON *s, const char *where, pg_budget *b,
                          int cookies, pg_scenario *sc)
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
    sc->cookies = cookies;
    if ((rc = pg_fields_bool(f, s, "cookies", where, &sc->cookies)) != 0 ||
        (rc = pg_scenario_data(f, cJSON_GetObjectItemCaseSensitive(s, "data"), where, b,
                               &sc->data)) != 0)
        return rc;
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
        pg_resolve_ctx ctx = {b, sc, i};
        if ((rc = parse_request(f, q, rwhere, &ctx, &sc->requests[i])) != 0)
            return rc;
    }
    return PG_OK;
}

int pg_section_scenarios(pg_fields *f, const cJSON *list, pg_budget *b, int cookies)
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
        if ((rc = parse_scenario(f, s, where, b, cookies, &b->scenarios[i])) != 0)
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
