/* redact.c — URL passwords replaced by "***" (see redact.h). */
#define _GNU_SOURCE /* memrchr */
#include "common/redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* By hand rather than with libcurl's URL API, which would normalise the URL
 * (add a "/", lower-case the scheme): what the user wrote is what they see,
 * minus the secret. The user-info ends at the last '@' before the path. */
char *pg_redact_url(const char *url)
{
    const char *start = strstr(url, "://"), *at, *colon, *end;
    char *out;
    size_t n;

    if (!start)
        return strdup(url);
    start += 3;
    end = start + strcspn(start, "/?#");
    at = memrchr(start, '@', (size_t)(end - start));
    if (!at)
        return strdup(url);
    colon = memchr(start, ':', (size_t)(at - start));
    if (!colon) /* a user name alone is no secret */
        return strdup(url);
    n = strlen(url) - (size_t)(at - colon - 1) + sizeof PG_REDACTED;
    if (!(out = malloc(n)))
        return NULL;
    snprintf(out, n, "%.*s%s%s", (int)(colon + 1 - url), url, PG_REDACTED, at);
    return out;
}
