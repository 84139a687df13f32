/* fields.h — typed reads of JSON members with positioned errors (internal to config/).
 *
 * Each getter reads one member of a JSON object, checks its type and range and,
 * on failure, fills err with file:line:col of the value and a message naming
 * the key's dotted path ("load.vus") and what would be valid. A missing
 * optional member leaves *out untouched and returns 0 with *present = 0. */
#ifndef PG_CONFIG_FIELDS_H
#define PG_CONFIG_FIELDS_H

#include <stdint.h>

#include "config/json_doc.h"

typedef struct pg_fields {
    const pg_json_doc *doc;
    pg_err *err;
    int compared; /* the budget's trials will be compared (check, compare, ab) */
} pg_fields;

/* Every member of obj must be one of allowed (NULL-terminated), once; otherwise
 * an error at the key, with a "did you mean" hint when one is close. A
 * string "description" is allowed in every object: a comment. */
int pg_fields_check_keys(pg_fields *f, const cJSON *obj, const char *where,
                         const char *const *allowed);

/* obj itself must be an object. */
int pg_fields_want_object(pg_fields *f, const cJSON *obj, const char *where);

int pg_fields_string(pg_fields *f, const cJSON *obj, const char *key, const char *where,
                     int required, const char **out);
/* A string used as a name: as pg_fields_string, and free of control
 * characters (a line break in a name would forge lines in logs). */
int pg_fields_name(pg_fields *f, const cJSON *obj, const char *key, const char *where, int required,
                   const char **out);

int pg_fields_int(pg_fields *f, const cJSON *obj, const char *key, const char *where, int required,
                  long lo, long hi, long *out);
int pg_fields_number(pg_fields *f, const cJSON *obj, const char *key, const char *where,
                     int required, double lo, double hi, double *out);
int pg_fields_bool(pg_fields *f, const cJSON *obj, const char *key, const char *where, int *out);
int pg_fields_duration(pg_fields *f, const cJSON *obj, const char *key, const char *where,
                       int required, uint64_t *out);

/* A rate: a JSON number (per second) or a string like "200/s". */
int pg_fields_rate(pg_fields *f, const cJSON *obj, const char *key, const char *where, int required,
                   double *out);

/* The closest of candidates to word (edit distance <= 2, or <= a third of its
 * length), or NULL. */
const char *pg_suggest(const char *word, const char *const *candidates);

/* 1 when s is a name templates can write ({{set.field}}, {{value}}):
 * letters, digits, _ (and - when dash); a digit first only when digit_first. */
int pg_name_ok(const char *s, int dash, int digit_first);

/* "a, b, c" of a NULL-terminated list into buf. */
void pg_join(const char *const *list, char *buf, size_t size);

#endif
