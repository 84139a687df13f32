/* extract.c — a request's "extract": values taken from its answer (see budget.h).
 *
 * "extract": {"token": {"json": "auth.token"}, "id": {"header": "Location"},
 * "n": {"regex": "id=([0-9]+)"}} fills {{token}}, {{id}} and {{n}} for the
 * later requests of the same iteration; "scope": "vu" keeps a value for the
 * virtual user's later iterations, and a request whose every value is kept
 * so is sent until it has given them (log in once per user, as k6 users do
 * in setup()). Patterns are compiled here, once, so a bad one is a load
 * error; glibc's regexec may be called on one regex_t from many threads. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/sections.h"

const char *const pg_extract_kind_keys[PG_EXTRACT_KIND_COUNT + 1] = {
#define PG_EXTRACT_KEY(id, key) key,
    PG_EXTRACT_KINDS(PG_EXTRACT_KEY)
#undef PG_EXTRACT_KEY
        NULL};

static const char *const extract_keys[] = {"json", "header", "regex", "scope", NULL};

static int oom(pg_fields *f)
{
    return pg_err_set(f->err, PG_ENOMEM, "out of memory");
}

static int var_index(pg_fields *f, pg_budget *b, const char *name, size_t *out)
{
    char **vars;

    for (size_t i = 0; i < b->n_vars; i++)
        if (strcmp(b->vars[i], name) == 0) {
            *out = i;
            return PG_OK;
        }
    if (!(vars = realloc(b->vars, (b->n_vars + 1) * sizeof *vars)))
        return oom(f);
    b->vars = vars;
    if (!(vars[b->n_vars] = pg_strdup(name)))
        return oom(f);
    *out = b->n_vars++;
    return PG_OK;
}

/* The expression of one kind, checked as that kind reads it. */
static int check_expr(pg_fields *f, const cJSON *e, const char *where, pg_extract *x)
{
    const char *s = e->valuestring;

    switch (x->kind) {
    case PG_EXTRACT_JSON:
        if (!s[0] || s[0] == '.' || s[strlen(s) - 1] == '.' || strstr(s, "..") || strpbrk(s, " \t"))
            return pg_json_doc_error(f->err, f->doc, e, 0,
                                     "\"%s.json\" is a path of keys and array indexes joined by "
                                     "dots, e.g. \"auth.token\" or \"items.0.id\"",
                                     where);
        return PG_OK;
    case PG_EXTRACT_HEADER:
        if (!s[0] || strpbrk(s, " :\r\n\t"))
            return pg_json_doc_error(f->err, f->doc, e, 0,
                                     "\"%s.header\" is a header name, e.g. \"Location\"", where);
        return PG_OK;
    case PG_EXTRACT_REGEX: {
        char why[256];
        int code;
        if (!(x->regex = calloc(1, sizeof(regex_t))))
            return oom(f);
        if ((code = regcomp(x->regex, s, REG_EXTENDED)) != 0) {
            regerror(code, x->regex, why, sizeof why);
            free(x->regex);
            x->regex = NULL;
            return pg_json_doc_error(f->err, f->doc, e, 0,
                                     "\"%s.regex\" is not a POSIX extended regular expression: %s",
                                     where, why);
        }
        return PG_OK;
    }
    default:
        return PG_OK;
    }
}

static int parse_one(pg_fields *f, const cJSON *m, const char *rwhere, pg_budget *b, pg_extract *x)
{
    char where[256];
    const cJSON *e = NULL;
    const char *scope = NULL;
    int rc, kinds = 0;

    snprintf(where, sizeof where, "%s.extract.%s", rwhere, m->string);
    if (!pg_name_ok(m->string, 0, 0))
        return pg_json_doc_error(f->err, f->doc, m, 1,
                                 "\"%s\" cannot name a value: a letter or _, then letters, digits "
                                 "or _ (it is written {{%s}} in a template)",
                                 m->string, m->string);
    if ((rc = pg_fields_want_object(f, m, where)) != 0 ||
        (rc = pg_fields_check_keys(f, m, where, extract_keys)) != 0 ||
        (rc = pg_fields_string(f, m, "scope", where, 0, &scope)) != 0)
        return rc;
    for (int k = 0; k < PG_EXTRACT_KIND_COUNT; k++) {
        const cJSON *one = cJSON_GetObjectItemCaseSensitive(m, pg_extract_kind_keys[k]);
        if (!one)
            continue;
        kinds++;
        e = one;
        x->kind = (pg_extract_kind)k;
    }
    if (kinds != 1)
        return pg_json_doc_error(
            f->err, f->doc, m, 0,
            "\"%s\" takes the value from one place: {\"json\": \"auth.token\"}, "
            "{\"header\": \"Location\"} or {\"regex\": \"id=([0-9]+)\"}",
            where);
    if (!cJSON_IsString(e))
        return pg_json_doc_error(f->err, f->doc, e, 0, "\"%s.%s\" must be a string", where,
                                 pg_extract_kind_keys[x->kind]);
    if (scope && strcmp(scope, "vu") != 0 && strcmp(scope, "iteration") != 0)
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(m, "scope"), 0,
                                 "\"%s.scope\" is \"iteration\" (the default) or \"vu\" (kept "
                                 "for the virtual user's later iterations)",
                                 where);
    x->scope_vu = scope && strcmp(scope, "vu") == 0;
    if (x->scope_vu && b->load.open_model)
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(m, "scope"), 0,
                                 "\"%s.scope\": \"vu\" needs virtual users (load.vus or stages of "
                                 "VUs); an arrival-rate load's iterations belong to no user",
                                 where);
    if (!(x->expr = pg_strdup(e->valuestring)))
        return oom(f);
    if ((rc = check_expr(f, e, where, x)) != 0)
        return rc;
    return var_index(f, b, m->string, &x->var);
}

int pg_section_extract(pg_fields *f, const cJSON *m, const char *where, pg_budget *b, pg_request *r)
{
    size_t n, i = 0;
    int rc;

    if (!m)
        return PG_OK;
    if (!cJSON_IsObject(m) || !(n = (size_t)cJSON_GetArraySize(m)))
        return pg_json_doc_error(f->err, f->doc, m, 0,
                                 "\"%s.extract\" names values to take from the answer: "
                                 "{\"token\": {\"json\": \"auth.token\"}}",
                                 where);
    if (!(r->extracts = calloc(n, sizeof *r->extracts)))
        return oom(f);
    r->once_per_vu = 1;
    for (const cJSON *e = m->child; e; e = e->next) {
        if (strcmp(e->string, "description") == 0 && cJSON_IsString(e))
            continue; /* a comment, as in every object */
        r->n_extracts = ++i;
        if ((rc = parse_one(f, e, where, b, &r->extracts[i - 1])) != 0)
            return rc;
        r->once_per_vu &= r->extracts[i - 1].scope_vu;
    }
    r->once_per_vu &= r->n_extracts > 0;
    return PG_OK;
}

void pg_extract_clear(pg_extract *x)
{
    if (x->regex) {
        regfree(x->regex);
        free(x->regex);
    }
    free(x->expr);
    memset(x, 0, sizeof *x);
}
