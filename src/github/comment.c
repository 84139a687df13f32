/* comment.c — create or update the sticky PR comment (see comment.h). */
#include "github/comment.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/buf.h"
#include "common/curl_init.h"
#include "report/markdown.h"

#define PER_PAGE 100
#define MAX_PAGES 100 /* 10,000 comments: far beyond any real PR */

typedef struct api {
    CURL *curl;
    struct curl_slist *headers;
    const pg_comment_opts *o;
    char base[1024]; /* api_url without trailing slash */
} api;

typedef struct response {
    long status;
    pg_buf body;
    int has_next;         /* Link: <...>; rel="next" */
    long rate_remaining;  /* x-ratelimit-remaining, -1 if absent */
    long long rate_reset; /* x-ratelimit-reset, epoch seconds */
    long retry_after;     /* Retry-After seconds, -1 if absent */
} response;

/* The token must not survive into any message, whatever GitHub echoes. */
static void redact(char *msg, const char *token)
{
    size_t tl = token ? strlen(token) : 0;
    char *p;

    if (tl < 4)
        return;
    while ((p = strstr(msg, token))) {
        memcpy(p, "***", 3);
        memmove(p + 3, p + tl, strlen(p + tl) + 1);
    }
}

static int fail(pg_err *err, const api *a, const char *fmt, const char *what, const char *detail)
{
    pg_err_set(err, PG_ERUN, fmt, what, detail);
    redact(err->msg, a->o->token);
    return PG_ERUN;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    response *r = arg;
    pg_buf_append(&r->body, p, size * n);
    return pg_buf_failed(&r->body) ? 0 : size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    response *r = arg;
    size_t len = size * n;
    char line[2048];

    if (len >= sizeof line)
        return len; /* no header we read is that long */
    memcpy(line, p, len);
    line[len] = '\0';
    if (strncasecmp(line, "HTTP/", 5) == 0) { /* a new response (redirect): forget the last */
        r->has_next = 0;
        r->rate_remaining = r->retry_after = -1;
    } else if (strncasecmp(line, "link:", 5) == 0) {
        r->has_next = strstr(line, "rel=\"next\"") != NULL;
    } else if (strncasecmp(line, "x-ratelimit-remaining:", 22) == 0) {
        r->rate_remaining = strtol(line + 22, NULL, 10);
    } else if (strncasecmp(line, "x-ratelimit-reset:", 18) == 0) {
        r->rate_reset = strtoll(line + 18, NULL, 10);
    } else if (strncasecmp(line, "retry-after:", 12) == 0) {
        r->retry_after = strtol(line + 12, NULL, 10);
    }
    return len;
}

/* GitHub's own words about a failure: the JSON "message", made one line. */
static void api_message(const response *r, char *buf, size_t size)
{
    cJSON *j = cJSON_Parse(pg_buf_str(&r->body));
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(j, "errors");

    snprintf(buf, size, "%s", cJSON_IsString(m) ? m->valuestring : "(no message)");
    if (cJSON_IsArray(errs) && cJSON_GetArraySize(errs) > 0) {
        const cJSON *e = cJSON_GetArrayItem(errs, 0), *em;
        em = cJSON_GetObjectItemCaseSensitive(e, "message");
        if (cJSON_IsString(em))
            snprintf(buf + strlen(buf), size - strlen(buf), ": %s", em->valuestring);
    }
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r' || (unsigned char)*p < 0x20)
            *p = ' ';
    cJSON_Delete(j);
}

/* Turns a non-2xx answer into the message a person can act on. */
static int status_error(const api *a, const response *r, const char *what, pg_err *err)
{
    char msg[512], detail[768];

    api_message(r, msg, sizeof msg);
    if (r->status == 401) {
        snprintf(detail, sizeof detail, "401: the token was refused (%s); check $GITHUB_TOKEN",
                 msg);
    } else if ((r->status == 403 || r->status == 429) &&
               (r->rate_remaining == 0 || r->retry_after >= 0)) {
        char when[64] = "later";
        if (r->retry_after >= 0) {
            snprintf(when, sizeof when, "in %ld s", r->retry_after);
        } else if (r->rate_reset > 0) {
            time_t t = (time_t)r->rate_reset;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "after %Y-%m-%dT%H:%M:%SZ", &tm);
        }
        snprintf(detail, sizeof detail, "%ld: GitHub's rate limit was hit (%s); try again %s",
                 r->status, msg, when);
    } else if (r->status == 403) {
        snprintf(detail, sizeof detail,
                 "403: forbidden (%s); the token needs the permission pull-requests: write "
                 "(a pull_request job from a fork has a read-only token: post from a "
                 "workflow_run job, see perf-comment.yml)",
                 msg);
    } else if (r->status == 404) {
        snprintf(detail, sizeof detail,
                 "404: not found (%s); check $GITHUB_REPOSITORY and the pull request number", msg);
    } else if (r->status == 422) {
        snprintf(detail, sizeof detail, "422: GitHub refused the request (%s)", msg);
    } else {
        snprintf(detail, sizeof detail, "%ld: %s", r->status, msg);
    }
    return fail(err, a, "GitHub API, %s: %s", what, detail);
}

/* One request; 2xx answers fill r, anything else is an error. */
static int request(api *a, const char *method, const char *path, const char *body, response *r,
                   const char *what, pg_err *err)
{
    char url[2048], cerr[CURL_ERROR_SIZE] = "";
    CURLcode cc;

    memset(r, 0, sizeof *r);
    r->rate_remaining = r->retry_after = -1;
    snprintf(url, sizeof url, "%s%s", a->base, path);
    curl_easy_reset(a->curl);
    curl_easy_setopt(a->curl, CURLOPT_URL, url);
    curl_easy_setopt(a->curl, CURLOPT_HTTPHEADER, a->headers);
    curl_easy_setopt(a->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(a->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(a->curl, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(a->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(a->curl, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(a->curl, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(a->curl, CURLOPT_TIMEOUT, a->o->timeout_s > 0 ? a->o->timeout_s : 30L);
    curl_easy_setopt(a->curl, CURLOPT_NOSIGNAL, 1L);
    /* no redirects: the Authorization header must not travel to another host */
    curl_easy_setopt(a->curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(a->curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (body)
        curl_easy_setopt(a->curl, CURLOPT_POSTFIELDS, body);
    if ((cc = curl_easy_perform(a->curl)) != CURLE_OK) {
        int rc = fail(err, a, "GitHub API, %s: %s (is $GITHUB_API_URL right and reachable?)", what,
                      cerr[0] ? cerr : curl_easy_strerror(cc));
        pg_buf_free(&r->body);
        return rc;
    }
    curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &r->status);
    if (r->status < 200 || r->status > 299) {
        int rc = status_error(a, r, what, err);
        pg_buf_free(&r->body);
        return rc;
    }
    return PG_OK;
}

/* The token's account, or the Actions bot when the token may not ask. */
static int own_login(api *a, char *login, size_t size, pg_err *err)
{
    response r;
    cJSON *j;
    const cJSON *l;
    pg_err ignored;

    if (request(a, "GET", "/user", NULL, &r, "reading the token's account", &ignored) != 0) {
        /* GITHUB_TOKEN answers 403 on /user: it writes as the Actions bot */
        snprintf(login, size, "%s", PG_GITHUB_BOT_LOGIN);
        return PG_OK;
    }
    j = cJSON_Parse(pg_buf_str(&r.body));
    l = cJSON_GetObjectItemCaseSensitive(j, "login");
    if (!cJSON_IsString(l)) {
        cJSON_Delete(j);
        pg_buf_free(&r.body);
        return fail(err, a, "GitHub API, %s: %s", "reading the token's account",
                    "the answer of /user has no login");
    }
    snprintf(login, size, "%s", l->valuestring);
    cJSON_Delete(j);
    pg_buf_free(&r.body);
    return PG_OK;
}

/* Newest comment with the marker by login, over every page; 0 if none. */
static int find_comment(api *a, const char *repo, long pr, const char *login, long long *id,
                        int *pages, pg_err *err)
{
    char path[1024];
    int rc;

    *id = 0;
    for (int page = 1; page <= MAX_PAGES; page++) {
        response r;
        cJSON *list, *c;
        int n;
        snprintf(path, sizeof path, "/repos/%s/issues/%ld/comments?per_page=%d&page=%d", repo, pr,
                 PER_PAGE, page);
        if ((rc = request(a, "GET", path, NULL, &r, "listing the pull request's comments", err)) !=
            0)
            return rc;
        *pages = page;
        list = cJSON_Parse(pg_buf_str(&r.body));
        pg_buf_free(&r.body);
        if (!cJSON_IsArray(list)) {
            cJSON_Delete(list);
            return fail(err, a, "GitHub API, %s: %s", "listing the pull request's comments",
                        "the answer is not a JSON array");
        }
        cJSON_ArrayForEach(c, list)
        {
            const cJSON *body = cJSON_GetObjectItemCaseSensitive(c, "body"),
                        *user = cJSON_GetObjectItemCaseSensitive(c, "user"),
                        *who = cJSON_GetObjectItemCaseSensitive(user, "login"),
                        *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
            if (cJSON_IsString(body) && strstr(body->valuestring, PG_MARKDOWN_MARKER) &&
                cJSON_IsString(who) && strcmp(who->valuestring, login) == 0 && cJSON_IsNumber(cid))
                *id = (long long)cid->valuedouble; /* pages are oldest first: keep the last */
        }
        n = cJSON_GetArraySize(list);
        cJSON_Delete(list);
        if (!r.has_next || n < PER_PAGE)
            break;
    }
    return PG_OK;
}

static int valid_repo(const char *s)
{
    const char *slash = strchr(s, '/');

    if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("-_./", *s)))
            return 0;
    return 1;
}

int pg_github_comment(const pg_comment_opts *o, pg_comment_result *res, pg_err *err)
{
    api a;
    char auth[1200], login[256], path[1024];
    cJSON *payload = NULL, *answer = NULL;
    char *json = NULL;
    pg_buf body = {0};
    response r;
    int rc;

    memset(res, 0, sizeof *res);
    memset(&a, 0, sizeof a);
    a.o = o;
    if (!o->token || !*o->token)
        return pg_err_set(err, PG_EUSAGE, "$GITHUB_TOKEN is not set");
    if (strlen(o->token) > 1000 || strpbrk(o->token, "\r\n"))
        return pg_err_set(err, PG_EUSAGE, "$GITHUB_TOKEN is not a token (too long or multi-line)");
    if (!o->repository || !valid_repo(o->repository))
        return pg_err_set(err, PG_EUSAGE,
                          "the repository must be OWNER/NAME (set $GITHUB_REPOSITORY or "
                          "--repo-slug), not '%s'",
                          o->repository ? o->repository : "");
    if (o->pr <= 0)
        return pg_err_set(err, PG_EUSAGE, "--pr must be a pull request number");
    snprintf(a.base, sizeof a.base, "%s",
             o->api_url && *o->api_url ? o->api_url : "https://api.github.com");
    while (strlen(a.base) && a.base[strlen(a.base) - 1] == '/')
        a.base[strlen(a.base) - 1] = '\0';
    pg_buf_puts(&body, o->body ? o->body : "");
    if (!strstr(pg_buf_str(&body), PG_MARKDOWN_MARKER))
        pg_buf_puts(&body, "\n" PG_MARKDOWN_MARKER "\n");
    if (body.len > PG_MARKDOWN_MAX) {
        pg_buf_free(&body);
        return pg_err_set(err, PG_EUSAGE,
                          "the comment body is %zu bytes; GitHub takes at most %d characters "
                          "(perfgate's markdown report stays within it)",
                          body.len, PG_MARKDOWN_MAX);
    }
    if (pg_curl_init(err) != PG_OK) {
        pg_buf_free(&body);
        return PG_ERUN;
    }
    if (!(a.curl = curl_easy_init())) {
        pg_buf_free(&body);
        return pg_err_set(err, PG_ENOMEM, "libcurl could not start");
    }
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", o->token);
    a.headers = curl_slist_append(NULL, auth);
    a.headers = curl_slist_append(a.headers, "Accept: application/vnd.github+json");
    a.headers = curl_slist_append(a.headers, "X-GitHub-Api-Version: 2022-11-28");
    a.headers = curl_slist_append(a.headers, "Content-Type: application/json");
    a.headers = curl_slist_append(a.headers, "User-Agent: perfgate/" PERFGATE_VERSION);
    memset(auth, 0, sizeof auth);

    if ((rc = own_login(&a, login, sizeof login, err)) != 0 ||
        (rc = find_comment(&a, o->repository, o->pr, login, &res->id, &res->pages, err)) != 0)
        goto out;
    payload = cJSON_CreateObject();
    cJSON_AddStringToObject(payload, "body", pg_buf_str(&body));
    if (!(json = cJSON_PrintUnformatted(payload))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    if (res->id) {
        snprintf(path, sizeof path, "/repos/%s/issues/comments/%lld", o->repository, res->id);
        rc = request(&a, "PATCH", path, json, &r, "updating the perfgate comment", err);
        res->updated = 1;
    } else {
        snprintf(path, sizeof path, "/repos/%s/issues/%ld/comments", o->repository, o->pr);
        rc = request(&a, "POST", path, json, &r, "creating the perfgate comment", err);
    }
    if (rc != 0)
        goto out;
    answer = cJSON_Parse(pg_buf_str(&r.body));
    pg_buf_free(&r.body);
    {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(answer, "html_url"),
                    *id = cJSON_GetObjectItemCaseSensitive(answer, "id");
        if (cJSON_IsString(u))
            snprintf(res->url, sizeof res->url, "%s", u->valuestring);
        if (cJSON_IsNumber(id))
            res->id = (long long)id->valuedouble;
    }
out:
    cJSON_Delete(answer);
    free(json);
    cJSON_Delete(payload);
    pg_buf_free(&body);
    curl_slist_free_all(a.headers); /* holds a copy of the token header */
    curl_easy_cleanup(a.curl);
    return rc;
}
