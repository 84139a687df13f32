/* comment.h — the sticky pull-request comment through GitHub's REST API.
 *
 * One comment per pull request, updated in place on every push: list the
 * PR's comments (every page, 100 at a time), take the newest that holds
 * the marker <!-- perfgate --> and was written by the token's own account,
 * PATCH it; if there is none, POST a new one. The account is GET /user's
 * login; the GITHUB_TOKEN of Actions may not read /user, and then it is
 * "github-actions[bot]", the account that token writes as.
 *
 * Errors say what GitHub said (401 token refused, 403 permissions or rate
 * limit with the reset time, 404, 422 with the API's message, 5xx) and
 * never contain the token: every message is passed through a redaction
 * that replaces it with "***". libcurl's easy interface: one request at a
 * time is all this needs. Reference: docs.github.com REST API, "Issue
 * comments" and "Rate limits". */
#ifndef PG_GITHUB_COMMENT_H
#define PG_GITHUB_COMMENT_H

#include "common/err.h"

#define PG_GITHUB_BOT_LOGIN "github-actions[bot]"

typedef struct pg_comment_opts {
    const char *api_url;    /* e.g. https://api.github.com (no trailing slash needed) */
    const char *repository; /* OWNER/NAME */
    const char *token;
    long pr;
    const char *body; /* the marker is appended when missing */
    long timeout_s;   /* per request; 0: 30 s */
} pg_comment_opts;

typedef struct pg_comment_result {
    int updated; /* 1 PATCHed an existing comment, 0 created one */
    long long id;
    char url[512]; /* html_url of the comment */
    int pages;     /* comment pages read */
} pg_comment_result;

/* PG_EUSAGE for bad options, PG_ERUN when GitHub refused or could not be
 * reached; err->msg says why, without the token. */
int pg_github_comment(const pg_comment_opts *o, pg_comment_result *res, pg_err *err);

#endif
