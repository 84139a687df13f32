/* env.h — ${NAME} in budget header values, taken from the environment.
 *
 * Secrets (API tokens for an Authorization header) belong in the CI's secret
 * store, not in a budget file under version control: "Bearer ${API_TOKEN}"
 * is filled in when the budget is loaded. "$${" stands for a literal "${";
 * a "$" not followed by "{" is kept as it is. */
#ifndef PG_CONFIG_ENV_H
#define PG_CONFIG_ENV_H

#include <stddef.h>

typedef enum {
    PG_ENV_OK = 0,
    PG_ENV_UNSET,     /* a variable is not set: *what names it */
    PG_ENV_MALFORMED, /* "${" without a valid NAME and "}": *what shows where */
    PG_ENV_NOMEM
} pg_env_status;

/* Expands in into a new string *out (caller frees). On failure *out is NULL
 * and what (what_size bytes) names the variable or quotes the bad part. */
pg_env_status pg_env_expand(const char *in, char **out, char *what, size_t what_size);

#endif
