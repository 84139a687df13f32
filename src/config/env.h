/* env.h — ${NAME} in a budget's paths, header values and bodies, from the environment.
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

/* The one ${...}, $${ or lone $ at p (*p == '$'): *value is what it stands
 * for (the environment's string, "${" or "$"), *len how many bytes of p it
 * took. */
pg_env_status pg_env_at(const char *p, size_t *len, const char **value, char *what,
                        size_t what_size);

/* Expands in into a new string *out (caller frees). On failure *out is NULL
 * and what (what_size bytes) names the variable or quotes the bad part. */
pg_env_status pg_env_expand(const char *in, char **out, char *what, size_t what_size);

#endif
