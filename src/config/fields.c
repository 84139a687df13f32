/* fields.c — typed reads of JSON members with positioned errors (see fields.h). */
#include "config/fields.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config/units.h"

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[64];

    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *pg_suggest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    size_t best_d = 99, limit = strlen(word) / 3;

    if (limit < 2)
        limit = 2;
    for (const char *const *c = candidates; *c; c++) {
        size_t d = edit_distance(word, *c);
        if (d < best_d) {
            best_d = d;
            best = *c;
        }
    }
    return best_d <= limit ? best : NULL;
}

void pg_join(const char *const *list, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (const char *const *c = list; *c && used < size; c++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", c == list ? "" : ", ", *c);
}

int pg_fields_want_object(pg_fields *f, const cJSON *obj, const char *where)
{
    if (cJSON_IsObject(obj))
        return PG_OK;
    return pg_json_doc_error(f->err, f->doc, obj, 0, "\"%s\" must be an object ({ ... })", where);
}

int pg_fields_check_keys(pg_fields *f, const cJSON *obj, const char *where,
                         const char *const *allowed)
{
    char list[512];

    for (const cJSON *m = obj->child; m; m = m->next) {
        const char *const *a;
        for (a = allowed; *a; a++)
            if (strcmp(*a, m->string) == 0)
                break;
        /* JSON has no comments: "description" is one, in every section */
        if (!*a && strcmp(m->string, "description") == 0 && !cJSON_IsString(m))
            return pg_json_doc_error(f->err, f->doc, m, 1,
                                     "\"description\" in %s is a comment and must be a string",
                                     where);
        if (!*a && strcmp(m->string, "description") != 0) {
            const char *hint = pg_suggest(m->string, allowed);
            pg_join(allowed, list, sizeof list);
            if (hint)
                return pg_json_doc_error(f->err, f->doc, m, 1,
                                         "unknown key \"%s\" in %s; did you mean \"%s\"?",
                                         m->string, where, hint);
            return pg_json_doc_error(f->err, f->doc, m, 1,
                                     "unknown key \"%s\" in %s; valid keys are %s", m->string,
                                     where, list);
        }
        for (const cJSON *p = obj->child; p != m; p = p->next)
            if (strcmp(p->string, m->string) == 0)
                return pg_json_doc_error(f->err, f->doc, m, 1,
                                         "duplicate key \"%s\" in %s; each key may appear once",
                                         m->string, where);
    }
    return PG_OK;
}

/* "load.vus" for nested keys, "trials" for top-level ones (where == "the budget"). */
static const char *key_path(char *buf, size_t size, const char *where, const char *key)
{
    if (strcmp(where, "the budget") == 0)
        snprintf(buf, size, "%s", key);
    else
        snprintf(buf, size, "%s.%s", where, key);
    return buf;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int missing(pg_fields *f, const cJSON *obj, const char *where, const char *key)
{
    return pg_json_doc_error(f->err, f->doc, obj, 0, "missing required key \"%s\" in %s", key,
                             where);
}

int pg_fields_string(pg_fields *f, const cJSON *obj, const char *key, const char *where,
                     int required, const char **out)
{
    char kp[160];
    const cJSON *m = member(obj, key);

    if (!m)
        return required ? missing(f, obj, where, key) : PG_OK;
    if (!cJSON_IsString(m))
        return pg_json_doc_error(f->err, f->doc, m, 0, "\"%s\" must be a string",
                                 key_path(kp, sizeof kp, where, key));
    if (required && !m->valuestring[0])
        return pg_json_doc_error(f->err, f->doc, m, 0, "\"%s\" must not be empty",
                                 key_path(kp, sizeof kp, where, key));
    *out = m->valuestring;
    return PG_OK;
}

int pg_fields_name(pg_fields *f, const cJSON *obj, const char *key, const char *where, int required,
                   const char **out)
{
    char kp[160];
    const char *s = NULL;
    int rc;

    if ((rc = pg_fields_string(f, obj, key, where, required, &s)) != 0 || !s)
        return rc;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return pg_json_doc_error(f->err, f->doc, member(obj, key), 0,
                                     "\"%s\" must not contain control characters (line breaks, "
                                     "tabs, escapes): names are shown in reports and logs",
                                     key_path(kp, sizeof kp, where, key));
    *out = s;
    return PG_OK;
}

int pg_fields_int(pg_fields *f, const cJSON *obj, const char *key, const char *where, int required,
                  long lo, long hi, long *out)
{
    char kp[160];
    const cJSON *m = member(obj, key);

    if (!m)
        return required ? missing(f, obj, where, key) : PG_OK;
    if (!cJSON_IsNumber(m) || m->valuedouble != floor(m->valuedouble) ||
        m->valuedouble < (double)lo || m->valuedouble > (double)hi)
        return pg_json_doc_error(f->err, f->doc, m, 0,
                                 "\"%s\" must be a whole number from %ld to %ld",
                                 key_path(kp, sizeof kp, where, key), lo, hi);
    *out = (long)m->valuedouble;
    return PG_OK;
}

int pg_fields_number(pg_fields *f, const cJSON *obj, const char *key, const char *where,
                     int required, double lo, double hi, double *out)
{
    char kp[160];
    const cJSON *m = member(obj, key);

    if (!m)
        return required ? missing(f, obj, where, key) : PG_OK;
    if (!cJSON_IsNumber(m) || !(m->valuedouble >= lo && m->valuedouble <= hi)) {
        if (lo > 0.0 && lo < 1e-5) /* "above 0" reads better than a tiny bound */
            return pg_json_doc_error(f->err, f->doc, m, 0,
                                     "\"%s\" must be a number above 0 and at most %g",
                                     key_path(kp, sizeof kp, where, key), hi);
        return pg_json_doc_error(f->err, f->doc, m, 0, "\"%s\" must be a number from %g to %g",
                                 key_path(kp, sizeof kp, where, key), lo, hi);
    }
    *out = m->valuedouble;
    return PG_OK;
}

int pg_fields_bool(pg_fields *f, const cJSON *obj, const char *key, const char *where, int *out)
{
    char kp[160];
    const cJSON *m = member(obj, key);

    if (!m)
        return PG_OK;
    if (!cJSON_IsBool(m))
        return pg_json_doc_error(f->err, f->doc, m, 0, "\"%s\" must be true or false",
                                 key_path(kp, sizeof kp, where, key));
    *out = cJSON_IsTrue(m);
    return PG_OK;
}

int pg_fields_duration(pg_fields *f, const cJSON *obj, const char *key, const char *where,
                       int required, uint64_t *out)
{
    char kp[160];
    const cJSON *m = member(obj, key);
    char why[256];

    if (!m)
        return required ? missing(f, obj, where, key) : PG_OK;
    if (!cJSON_IsString(m))
        return pg_json_doc_error(f->err, f->doc, m, 0,
                                 "\"%s\" must be a duration string such as \"10s\" or \"500ms\"",
                                 key_path(kp, sizeof kp, where, key));
    if (pg_parse_duration(m->valuestring, out, why, sizeof why) != 0)
        return pg_json_doc_error(f->err, f->doc, m, 0, "\"%s\": %s",
                                 key_path(kp, sizeof kp, where, key), why);
    return PG_OK;
}

int pg_fields_rate(pg_fields *f, const cJSON *obj, const char *key, const char *where, int required,
                   double *out)
{
    char kp[160];
    const cJSON *m = member(obj, key);
    char why[256];

    if (!m)
        return required ? missing(f, obj, where, key) : PG_OK;
    if (cJSON_IsNumber(m)) {
        if (!(m->valuedouble > 0.0 && m->valuedouble <= 10e6))
            return pg_json_doc_error(f->err, f->doc, m, 0,
                                     "\"%s\" must be above 0 and at most 10000000 per second",
                                     key_path(kp, sizeof kp, where, key));
        *out = m->valuedouble;
        return PG_OK;
    }
    if (!cJSON_IsString(m))
        return pg_json_doc_error(f->err, f->doc, m, 0,
                                 "\"%s\" must be a rate: a number or a string like \"200/s\"",
                                 key_path(kp, sizeof kp, where, key));
    if (pg_parse_rate(m->valuestring, out, why, sizeof why) != 0)
        return pg_json_doc_error(f->err, f->doc, m, 0, "\"%s\": %s",
                                 key_path(kp, sizeof kp, where, key), why);
    return PG_OK;
}

int pg_name_ok(const char *s, int dash, int digit_first)
{
    if (!*s || (!digit_first && *s >= '0' && *s <= '9'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || (dash && *s == '-')))
            return 0;
    return 1;
}
