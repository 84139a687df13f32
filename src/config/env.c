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

pg_env_status pg_env_expand(const char *in, char **out, char *what, size_t what_size)
{
    pg_buf b = {0};
    const char *p = in;

    *out = NULL;
    while (*p) {
        const char *dollar = strchr(p, '$'), *name, *end;
        char var[256];
        const char *value;

        if (!dollar) {
            pg_buf_puts(&b, p);
            break;
        }
        pg_buf_append(&b, p, (size_t)(dollar - p));
        if (dollar[1] == '$' && dollar[2] == '{') { /* $${ is a literal ${ */
            pg_buf_puts(&b, "${");
            p = dollar + 3;
            continue;
        }
        if (dollar[1] != '{') {
            pg_buf_puts(&b, "$");
            p = dollar + 1;
            continue;
        }
        name = dollar + 2;
        for (end = name; name_char(*end); end++)
            ;
        if (!name_start(*name) || *end != '}' || (size_t)(end - name) >= sizeof var) {
            snprintf(what, what_size, "%.*s", (int)strnlen(dollar, 24), dollar);
            pg_buf_free(&b);
            return PG_ENV_MALFORMED;
        }
        snprintf(var, sizeof var, "%.*s", (int)(end - name), name);
        if (!(value = getenv(var))) {
            snprintf(what, what_size, "%s", var);
            pg_buf_free(&b);
            return PG_ENV_UNSET;
        }
        pg_buf_puts(&b, value);
        p = end + 1;
    }
    if (pg_buf_failed(&b)) {
        pg_buf_free(&b);
        return PG_ENV_NOMEM;
    }
    *out = strdup(pg_buf_str(&b));
    pg_buf_free(&b);
    return *out ? PG_ENV_OK : PG_ENV_NOMEM;
}
