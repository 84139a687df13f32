/* template.h — {{...}} and ${NAME} in a request's path, header values and body.
 *
 * A template is parsed once, when the budget is loaded, into parts: literal
 * text, a value from the environment (${NAME}, read at load), a field of the
 * scenario's data record ({{users.name}}), a value extracted from an earlier
 * answer ({{token}}), or a built-in ({{$uuid}}, {{$random 1 100}},
 * {{$iteration}}). Rendering walks the parts and appends to a buffer: no
 * parsing and, once the buffer has grown to fit, no allocation per request.
 *
 * What a part puts in is encoded for where it lands: percent-encoded in a
 * path or query (RFC 3986 unreserved characters stay as they are),
 * JSON-escaped inside a JSON string of a body (between quotes of the body's
 * text), as it is elsewhere in a body, and without line breaks in a header
 * value (a value cannot add a header). Literal text is never changed.
 * "{{{{" writes a literal "{{"; "$${" a literal "${". */
#ifndef PG_CONFIG_TEMPLATE_H
#define PG_CONFIG_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "config/dataset.h"

typedef enum { PG_TPL_IN_PATH, PG_TPL_IN_HEADER, PG_TPL_IN_BODY } pg_tpl_place;

typedef enum {
    PG_TPL_TEXT,      /* literal, as written */
    PG_TPL_ENV,       /* ${NAME}: the environment's value, encoded */
    PG_TPL_FIELD,     /* {{set.field}}: index = the field */
    PG_TPL_VAR,       /* {{name}}: index = the extracted variable */
    PG_TPL_UUID,      /* {{$uuid}}: a random version 4 UUID */
    PG_TPL_RANDOM,    /* {{$random lo hi}}: an integer in [lo, hi] */
    PG_TPL_ITERATION, /* {{$iteration}}: the iteration's number, unique in the run */
} pg_tpl_kind;

typedef struct pg_tpl_part {
    pg_tpl_kind kind;
    size_t off, len; /* TEXT, ENV: bytes of the template's text */
    size_t index;    /* FIELD, VAR */
    long lo, hi;     /* RANDOM */
    int escape_json; /* in a body, between the quotes of a JSON string */
} pg_tpl_part;

typedef struct pg_template {
    pg_tpl_place place;
    char *text; /* literal and environment text the parts point into */
    pg_tpl_part *parts;
    size_t n_parts;
    int dynamic; /* some part changes between requests */
} pg_template;

/* Names a {{name}} in a template: sets part->kind (PG_TPL_FIELD or
 * PG_TPL_VAR) and part->index, or returns -1 with why saying what names
 * would be valid. */
typedef int (*pg_tpl_resolve_fn)(void *ctx, const char *name, size_t len, pg_tpl_part *part,
                                 char *why, size_t why_size);

/* Parses s (len bytes). On a mistake returns PG_EINVALID with *at the byte
 * of s it is at and why what is wrong; PG_ENOMEM. */
int pg_template_parse(pg_template *out, const char *s, size_t len, pg_tpl_place place,
                      pg_tpl_resolve_fn resolve, void *ctx, size_t *at, char *why, size_t why_size);

void pg_template_clear(pg_template *t); /* leaves t zeroed */

/* What a request's parts are filled with. */
typedef struct pg_tpl_values {
    const pg_dataset *data; /* the scenario's data set, or NULL */
    size_t record;
    char *const *vars; /* extracted values by index; NULL when not (yet) extracted */
    uint64_t iteration;
    uint64_t *rng; /* $uuid and $random */
} pg_tpl_values;

/* Appends t filled with v to out (pg_buf remembers a failed allocation).
 * v->rng must be set when t has $uuid or $random (t->dynamic); a template
 * that is not dynamic renders with all of v zero. */
void pg_template_render(const pg_template *t, const pg_tpl_values *v, pg_buf *out);

#endif
