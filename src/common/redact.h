/* redact.h — keeping credentials out of what perfgate prints and writes.
 *
 * A target may carry a password (http://user:secret@host): libcurl needs it
 * to send the request, but the console, the results and every report show
 * http://user:***@host instead. */
#ifndef PG_COMMON_REDACT_H
#define PG_COMMON_REDACT_H

#define PG_REDACTED "***"

/* A copy of url with the password of its user-info (scheme://user:password@
 * host) replaced by "***". NULL when out of memory. Caller frees. */
char *pg_redact_url(const char *url);

#endif
