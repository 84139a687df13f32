/* env.c — ${NAME} expansion (see env.h). */
#include "config/env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

static int name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9');
}

pg_env_status pg_env_at(const char *p, size_t *len, const char **value, char *what,
                        size_t what_size)
{
    const char *name = p + 2, *end;
    char var[256];

    *value = NULL;
    if (p[1] == '$' && p[2] == '{') { /* $${ is a literal ${ */
        *value = "${";
        *len = 3;
        return PG_ENV_OK;
    }
    if (p[1] != '{') {
        *value = "$";
        *len = 1;
        return PG_ENV_OK;
    }
    for (end = name; name_char(*end); end++)
        ;
    if (!name_start(*name) || *end != '}' || (size_t)(end - name) >= sizeof var) {
        snprintf(what, what_size, "%.*s", (int)strnlen(p, 24), p);
        return PG_ENV_MALFORMED;
    }
    snprintf(var, sizeof var, "%.*s", (int)(end - name), name);
    if (!(*value = getenv(var))) {
        snprintf(what, what_size, "%s", var);
        return PG_ENV_UNSET;
    }
    *len = (size_t)(end - p) + 1;
    return PG_ENV_OK;
}

pg_env_status pg_env_expand(const char *in, char **out, char *what, size_t what_size)
{
    pg_buf b = {0};
    const char *p = in;

    *out = NULL;
    while (*p) {
        const char *dollar = strchr(p, '$'), *value;
        size_t len;
        pg_env_status st;

        if (!dollar) {
            pg_buf_puts(&b, p);
            break;
        }
        pg_buf_append(&b, p, (size_t)(dollar - p));
        if ((st = pg_env_at(dollar, &len, &value, what, what_size)) != PG_ENV_OK) {
            pg_buf_free(&b);
            return st;
        }
        pg_buf_puts(&b, value);
        p = dollar + len;
    }
    if (pg_buf_failed(&b)) {
        pg_buf_free(&b);
        return PG_ENV_NOMEM;
    }
    *out = strdup(pg_buf_str(&b));
    pg_buf_free(&b);
    return *out ? PG_ENV_OK : PG_ENV_NOMEM;
}
