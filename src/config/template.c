/* template.c — templates parsed once and rendered per request (see template.h). */
#include "config/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/grow.h"
#include "common/rng.h"
#include "config/env.h"

typedef struct parser {
    pg_template *t;
    pg_buf text;
    size_t cap;
    int in_json_string, escaped; /* body: where the literal text has got to */
} parser;

static int add_part(parser *p, const pg_tpl_part *part)
{
    if (pg_grow(&p->t->parts, &p->cap, p->t->n_parts, sizeof *p->t->parts, 4) != 0)
        return PG_ENOMEM;
    p->t->parts[p->t->n_parts++] = *part;
    if (part->kind != PG_TPL_TEXT && part->kind != PG_TPL_ENV)
        p->t->dynamic = 1; /* the environment is read once, at load */
    return PG_OK;
}

static int add_text(parser *p, pg_tpl_kind kind, const char *s, size_t n)
{
    pg_tpl_part *last = p->t->n_parts ? &p->t->parts[p->t->n_parts - 1] : NULL;
    size_t off = p->text.len;

    pg_buf_append(&p->text, s, n);
    if (pg_buf_failed(&p->text))
        return PG_ENOMEM;
    if (kind == PG_TPL_TEXT && last && last->kind == PG_TPL_TEXT) {
        last->len += n;
        return PG_OK;
    }
    return add_part(
        p, &(pg_tpl_part){.kind = kind, .off = off, .len = n, .escape_json = p->in_json_string});
}

/* Literal body text moves in and out of JSON strings at unescaped quotes. */
static void follow_json(parser *p, char c)
{
    if (p->t->place != PG_TPL_IN_BODY)
        return;
    if (p->escaped)
        p->escaped = 0;
    else if (c == '\\' && p->in_json_string)
        p->escaped = 1;
    else if (c == '"')
        p->in_json_string = !p->in_json_string;
}

static int builtin(const char *inner, size_t n, pg_tpl_part *part, char *why, size_t why_size)
{
    char word[64], extra[2];
    long lo, hi;

    if (n >= sizeof word) {
        snprintf(why, why_size,
                 "uses an unknown built-in; valid are {{$uuid}}, {{$iteration}} and "
                 "{{$random LO HI}}");
        return -1;
    }
    memcpy(word, inner, n);
    word[n] = '\0';
    if (strcmp(word, "$uuid") == 0) {
        part->kind = PG_TPL_UUID;
        return 0;
    }
    if (strcmp(word, "$iteration") == 0) {
        part->kind = PG_TPL_ITERATION;
        return 0;
    }
    if (strncmp(word, "$random", 7) == 0 && (word[7] == ' ' || !word[7])) {
        if (sscanf(word + 7, "%ld %ld %1s", &lo, &hi, extra) != 2 || lo > hi ||
            lo < -1000000000000000L || hi > 1000000000000000L) {
            snprintf(why, why_size,
                     "uses {{$random LO HI}} without two whole numbers, LO <= HI, within +-10^15, "
                     "e.g. "
                     "{{$random 1 100}}");
            return -1;
        }
        part->kind = PG_TPL_RANDOM;
        part->lo = lo;
        part->hi = hi;
        return 0;
    }
    snprintf(why, why_size,
             "uses an unknown built-in {{%s}}; valid are {{$uuid}}, {{$iteration}} and "
             "{{$random LO HI}}",
             word);
    return -1;
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/* {{ ... }} starting at s[*i]; *i moves past it. */
static int placeholder(parser *p, const char *s, size_t len, size_t *i, pg_tpl_resolve_fn resolve,
                       void *ctx, size_t *at, char *why, size_t why_size)
{
    const char *open = s + *i, *close = NULL, *a, *b;
    pg_tpl_part part = {.escape_json = p->in_json_string};

    for (size_t k = *i + 2; k + 1 < len; k++)
        if (s[k] == '}' && s[k + 1] == '}') {
            close = s + k;
            break;
        }
    *at = *i;
    if (!close) {
        snprintf(why, why_size, "has a \"{{\" without \"}}\" (a literal {{ is written {{{{)");
        return PG_EINVALID;
    }
    for (a = open + 2; a < close && *a == ' '; a++)
        ;
    for (b = close; b > a && b[-1] == ' '; b--)
        ;
    if (a == b) {
        snprintf(why, why_size,
                 "has \"{{}}\", which names nothing; write {{set.field}}, {{name}} of "
                 "an extracted value, or a built-in such as {{$uuid}}");
        return PG_EINVALID;
    }
    *at = (size_t)(a - s);
    if (*a == '$') {
        if (builtin(a, (size_t)(b - a), &part, why, why_size) != 0)
            return PG_EINVALID;
    } else {
        for (const char *c = a; c < b; c++)
            if (!name_char(*c)) {
                *at = (size_t)(c - s);
                snprintf(why, why_size,
                         "has a {{name}} with a character names do not have (letters, "
                         "digits, _, - and one dot: set.field)");
                return PG_EINVALID;
            }
        if (resolve(ctx, a, (size_t)(b - a), &part, why, why_size) != 0)
            return PG_EINVALID;
    }
    *i = (size_t)(close - s) + 2;
    return add_part(p, &part);
}

static int environment(parser *p, const char *s, size_t *i, size_t *at, char *why, size_t why_size)
{
    const char *value;
    char what[64];
    size_t n, start = *i;

    switch (pg_env_at(s + *i, &n, &value, what, sizeof what)) {
    case PG_ENV_OK:
        break;
    case PG_ENV_UNSET:
        *at = *i;
        snprintf(why, why_size,
                 "uses ${%s}, which is not set in the environment (export it; in GitHub "
                 "Actions, from a secret: env: %s: ${{ secrets.%s }})",
                 what, what, what);
        return PG_EINVALID;
    case PG_ENV_MALFORMED:
        *at = *i;
        snprintf(why, why_size,
                 "uses \"%s\", which is not a variable; write ${NAME} (letters, digits, _), or "
                 "$${ for a literal ${",
                 what);
        return PG_EINVALID;
    default:
        return PG_ENOMEM;
    }
    *i += n;
    if (s[start + 1] == '{')
        return add_text(p, PG_TPL_ENV, value, strlen(value)); /* ${NAME} */
    for (const char *c = value; *c; c++)
        follow_json(p, *c);
    return add_text(p, PG_TPL_TEXT, value, strlen(value)); /* "$" or "${" as written */
}

int pg_template_parse(pg_template *t, const char *s, size_t len, pg_tpl_place place,
                      pg_tpl_resolve_fn resolve, void *ctx, size_t *at, char *why, size_t why_size)
{
    parser p = {.t = t};
    size_t i = 0;
    int rc = PG_OK;

    memset(t, 0, sizeof *t);
    t->place = place;
    while (i < len && rc == PG_OK) {
        if (s[i] == '{' && i + 1 < len && s[i + 1] == '{') {
            if (i + 3 < len && s[i + 2] == '{' && s[i + 3] == '{') {
                rc = add_text(&p, PG_TPL_TEXT, "{{", 2);
                i += 4;
            } else {
                rc = placeholder(&p, s, len, &i, resolve, ctx, at, why, why_size);
            }
        } else if (s[i] == '$') {
            rc = environment(&p, s, &i, at, why, why_size);
        } else {
            size_t n = strcspn(s + i, "{$");
            if (n > len - i)
                n = len - i;
            if (!n)
                n = 1; /* a lone '{' */
            for (size_t k = 0; k < n; k++)
                follow_json(&p, s[i + k]);
            rc = add_text(&p, PG_TPL_TEXT, s + i, n);
            i += n;
        }
    }
    if (rc == PG_OK && !(t->text = p.text.data ? p.text.data : calloc(1, 1)))
        rc = PG_ENOMEM;
    if (rc != PG_OK) {
        if (t->text != p.text.data)
            pg_buf_free(&p.text);
        pg_template_clear(t);
        if (rc == PG_ENOMEM)
            snprintf(why, why_size, "out of memory");
    }
    return rc;
}

void pg_template_clear(pg_template *t)
{
    free(t->text);
    free(t->parts);
    memset(t, 0, sizeof *t);
}

/* --- rendering ---------------------------------------------------------------- */

static void put_encoded(const pg_template *t, const pg_tpl_part *part, const char *s, size_t n,
                        pg_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (t->place == PG_TPL_IN_PATH) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~') {
                pg_buf_append(out, (const char *)&c, 1);
            } else {
                char e[3] = {'%', hex[c >> 4], hex[c & 15]};
                pg_buf_append(out, e, 3);
            }
        } else if (t->place == PG_TPL_IN_HEADER) {
            if (c != '\r' && c != '\n')
                pg_buf_append(out, (const char *)&c, 1);
        } else if (part->escape_json && (c == '"' || c == '\\')) {
            char e[2] = {'\\', (char)c};
            pg_buf_append(out, e, 2);
        } else if (part->escape_json && c < 0x20) {
            char e[7];
            snprintf(e, sizeof e, "\\u%04x", c);
            pg_buf_append(out, e, 6);
        } else {
            pg_buf_append(out, (const char *)&c, 1);
        }
    }
}

void pg_template_render(const pg_template *t, const pg_tpl_values *v, pg_buf *out)
{
    char num[48];

    for (size_t i = 0; i < t->n_parts; i++) {
        const pg_tpl_part *part = &t->parts[i];
        const char *s = num;
        size_t n;
        switch (part->kind) {
        case PG_TPL_TEXT:
            pg_buf_append(out, t->text + part->off, part->len);
            continue;
        case PG_TPL_ENV:
            put_encoded(t, part, t->text + part->off, part->len, out);
            continue;
        case PG_TPL_FIELD:
            s = v->data ? pg_dataset_cell(v->data, v->record, part->index) : "";
            break;
        case PG_TPL_VAR:
            s = v->vars && v->vars[part->index] ? v->vars[part->index] : "";
            break;
        case PG_TPL_UUID: {
            uint64_t hi = pg_rng_next(v->rng), lo = pg_rng_next(v->rng);
            hi = (hi & ~0xF000ull) | 0x4000ull;       /* version 4 */
            lo = (lo & ~(3ull << 62)) | (2ull << 62); /* RFC 4122 variant */
            snprintf(num, sizeof num, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(hi >> 32),
                     (unsigned)(hi >> 16) & 0xFFFFu, (unsigned)hi & 0xFFFFu, (unsigned)(lo >> 48),
                     (unsigned long long)(lo & 0xFFFFFFFFFFFFull));
            break;
        }
        case PG_TPL_RANDOM:
            snprintf(num, sizeof num, "%lld",
                     (long long)part->lo +
                         (long long)pg_rng_below(
                             v->rng, (uint64_t)((long long)part->hi - (long long)part->lo) + 1));
            break;
        case PG_TPL_ITERATION:
            snprintf(num, sizeof num, "%llu", (unsigned long long)v->iteration);
            break;
        }
        n = strlen(s);
        put_encoded(t, part, s, n, out);
    }
}
