/* test_comment.c — the sticky comment against a fake GitHub API
 * (libmicrohttpd on 127.0.0.1, started here) that checks every request:
 * create, update found on a later page, someone else's marker left alone,
 * the Actions bot fallback, 401/403/422/rate limit with clear messages,
 * and the token in none of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cjson/cJSON.h>
#include <cmocka.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "github/comment.h"

#define TOKEN "ghp_s3cr3t-t0ken-value"

enum mode { NORMAL, NO_USER, FAIL_401, FAIL_403, RATE_LIMIT, FAIL_422 };

typedef struct fake {
    struct MHD_Daemon *d;
    int port;
    enum mode mode;
    int existing_page; /* page of the marker comment (0: none) */
    const char *owner; /* login that wrote it */
    int pages;         /* comment pages served */
    char method[16], last_path[512];
    pg_buf last_body;
    int bad_auth, bad_agent; /* requests that lacked what GitHub requires */
    pthread_mutex_t lock;
} fake;

static fake F;

typedef struct upload {
    pg_buf body;
} upload;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *body,
                             int next_link)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ret;

    MHD_add_response_header(r, "Content-Type", "application/json");
    if (next_link)
        MHD_add_response_header(r, "Link", "<http://127.0.0.1/next>; rel=\"next\"");
    if (F.mode == RATE_LIMIT) {
        MHD_add_response_header(r, "x-ratelimit-remaining", "0");
        MHD_add_response_header(r, "x-ratelimit-reset", "1764000000");
    }
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static char *comments_page(int page)
{
    cJSON *a = cJSON_CreateArray();
    char *s;
    int n = page == 1 ? 100 : 3;

    for (int i = 0; i < n; i++) {
        cJSON *c = cJSON_CreateObject(), *u = cJSON_CreateObject();
        int marker = page == F.existing_page && i == 1;
        cJSON_AddNumberToObject(c, "id", page * 1000 + i);
        cJSON_AddStringToObject(c, "body", marker ? "old report\n<!-- perfgate -->\n" : "LGTM");
        cJSON_AddStringToObject(u, "login", marker ? F.owner : "reviewer");
        cJSON_AddItemToObject(c, "user", u);
        cJSON_AddItemToArray(a, c);
    }
    s = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    return s;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **state)
{
    upload *u = *state;
    const char *auth, *agent, *page;
    (void)cls, (void)version;

    if (!u) {
        *state = calloc(1, sizeof *u);
        return MHD_YES;
    }
    if (*size) {
        pg_buf_append(&u->body, data, *size);
        *size = 0;
        return MHD_YES;
    }
    auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
    pthread_mutex_lock(&F.lock);
    F.bad_auth += !auth || strcmp(auth, "Bearer " TOKEN) != 0;
    F.bad_agent += !agent || strncmp(agent, "perfgate/", 9) != 0;
    snprintf(F.method, sizeof F.method, "%s", method);
    snprintf(F.last_path, sizeof F.last_path, "%s", url);
    pg_buf_free(&F.last_body);
    pg_buf_puts(&F.last_body, pg_buf_str(&u->body));
    pthread_mutex_unlock(&F.lock);

    if (F.mode == FAIL_401)
        return reply(c, 401, "{\"message\":\"Bad credentials " TOKEN "\"}", 0);
    if (F.mode == RATE_LIMIT)
        return reply(c, 403, "{\"message\":\"API rate limit exceeded\"}", 0);
    if (strcmp(url, "/user") == 0) {
        if (F.mode == NO_USER)
            return reply(c, 403, "{\"message\":\"Resource not accessible by integration\"}", 0);
        return reply(c, 200, "{\"login\":\"perfgate-bot\"}", 0);
    }
    if (strcmp(method, "GET") == 0 && strcmp(url, "/repos/o/r/issues/7/comments") == 0) {
        int p;
        char *body;
        enum MHD_Result ret;
        page = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "page");
        p = page ? atoi(page) : 1;
        F.pages++;
        body = comments_page(p);
        ret = reply(c, 200, body, p == 1);
        free(body);
        return ret;
    }
    if (F.mode == FAIL_403)
        return reply(c, 403, "{\"message\":\"Resource not accessible by integration\"}", 0);
    if (F.mode == FAIL_422)
        return reply(c, 422,
                     "{\"message\":\"Validation Failed\",\"errors\":[{\"message\":\"body is too "
                     "long (maximum is 65536 characters)\"}]}",
                     0);
    if (strcmp(method, "POST") == 0 && strcmp(url, "/repos/o/r/issues/7/comments") == 0)
        return reply(c, 201, "{\"id\":9001,\"html_url\":\"http://gh/o/r/pull/7#c9001\"}", 0);
    if (strcmp(method, "PATCH") == 0 && strncmp(url, "/repos/o/r/issues/comments/", 27) == 0)
        return reply(c, 200, "{\"id\":2001,\"html_url\":\"http://gh/o/r/pull/7#c2001\"}", 0);
    return reply(c, 404, "{\"message\":\"Not Found\"}", 0);
}

static void completed(void *cls, struct MHD_Connection *c, void **state,
                      enum MHD_RequestTerminationCode why)
{
    upload *u = *state;
    (void)cls, (void)c, (void)why;
    if (u) {
        pg_buf_free(&u->body);
        free(u);
    }
}

static int setup(void **state)
{
    const union MHD_DaemonInfo *info;
    (void)state;
    memset(&F, 0, sizeof F);
    pthread_mutex_init(&F.lock, NULL);
    F.owner = "perfgate-bot";
    F.d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle,
                         NULL, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
    if (!F.d)
        return -1;
    info = MHD_get_daemon_info(F.d, MHD_DAEMON_INFO_BIND_PORT);
    F.port = info->port;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    MHD_stop_daemon(F.d);
    pg_buf_free(&F.last_body);
    pthread_mutex_destroy(&F.lock);
    return 0;
}

static int run(pg_comment_result *res, pg_err *err, const char *body)
{
    char api[64];
    pg_comment_opts o = {0};

    snprintf(api, sizeof api, "http://127.0.0.1:%d/", F.port);
    o.api_url = api;
    o.repository = "o/r";
    o.token = TOKEN;
    o.pr = 7;
    o.body = body;
    o.timeout_s = 10;
    F.pages = 0;
    return pg_github_comment(&o, res, err);
}

static void creates_when_none_exists(void **state)
{
    pg_comment_result res;
    pg_err err;
    cJSON *sent;
    (void)state;
    F.mode = NORMAL, F.existing_page = 0;
    assert_int_equal(run(&res, &err, "### report\n<!-- perfgate -->\n"), 0);
    assert_int_equal(res.updated, 0);
    assert_int_equal(res.id, 9001);
    assert_string_equal(res.url, "http://gh/o/r/pull/7#c9001");
    assert_string_equal(F.method, "POST");
    assert_string_equal(F.last_path, "/repos/o/r/issues/7/comments");
    assert_int_equal(F.pages, 2); /* page 1 was full and said next */
    sent = cJSON_Parse(pg_buf_str(&F.last_body));
    assert_string_equal(cJSON_GetObjectItem(sent, "body")->valuestring,
                        "### report\n<!-- perfgate -->\n");
    cJSON_Delete(sent);
    assert_int_equal(F.bad_auth, 0);
    assert_int_equal(F.bad_agent, 0);
}

static void updates_the_one_found_on_page_two(void **state)
{
    pg_comment_result res;
    pg_err err;
    (void)state;
    F.mode = NORMAL, F.existing_page = 2;
    assert_int_equal(run(&res, &err, "new report"), 0);
    assert_int_equal(res.updated, 1);
    assert_string_equal(F.method, "PATCH");
    assert_string_equal(F.last_path, "/repos/o/r/issues/comments/2001");
    /* the marker is added to a body that lacks it */
    assert_non_null(strstr(pg_buf_str(&F.last_body), "new report\\n<!-- perfgate -->"));
}

static void leaves_someone_elses_marker_alone(void **state)
{
    pg_comment_result res;
    pg_err err;
    (void)state;
    F.mode = NORMAL, F.existing_page = 1, F.owner = "someone-else";
    assert_int_equal(run(&res, &err, "x"), 0);
    assert_int_equal(res.updated, 0);
    assert_string_equal(F.method, "POST");
    F.owner = "perfgate-bot";
}

static void actions_token_is_the_bot(void **state)
{
    pg_comment_result res;
    pg_err err;
    (void)state;
    F.mode = NO_USER, F.existing_page = 1, F.owner = PG_GITHUB_BOT_LOGIN;
    assert_int_equal(run(&res, &err, "x"), 0);
    assert_int_equal(res.updated, 1);
    assert_string_equal(F.last_path, "/repos/o/r/issues/comments/1001");
    F.owner = "perfgate-bot";
}

static void refusals_are_explained_without_the_token(void **state)
{
    static const struct {
        enum mode mode;
        const char *says;
    } cases[] = {
        {FAIL_401, "401: the token was refused (Bad credentials ***)"},
        {FAIL_403, "403: forbidden (Resource not accessible by integration); the token needs "
                   "the permission pull-requests: write"},
        {RATE_LIMIT, "rate limit was hit (API rate limit exceeded); try again after "
                     "2025-11-24T16:00:00Z"},
        {FAIL_422, "422: GitHub refused the request (Validation Failed: body is too long"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pg_comment_result res;
        pg_err err;
        F.mode = cases[i].mode, F.existing_page = 0;
        assert_int_equal(run(&res, &err, "x"), PG_ERUN);
        if (!strstr(err.msg, cases[i].says))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].says);
        assert_null(strstr(err.msg, TOKEN));
        assert_null(strstr(err.msg, "s3cr3t"));
    }
}

static void bad_options_and_unreachable_api(void **state)
{
    pg_comment_opts o = {0};
    pg_comment_result res;
    pg_err err;
    (void)state;
    o.repository = "o/r", o.pr = 7, o.body = "x";
    assert_int_equal(pg_github_comment(&o, &res, &err), PG_EUSAGE); /* no token */
    o.token = TOKEN, o.repository = "not-a-slug";
    assert_int_equal(pg_github_comment(&o, &res, &err), PG_EUSAGE);
    assert_null(strstr(err.msg, TOKEN));
    o.repository = "o/r", o.api_url = "http://127.0.0.1:1", o.timeout_s = 5;
    assert_int_equal(pg_github_comment(&o, &res, &err), PG_ERUN);
    assert_non_null(strstr(err.msg, "GITHUB_API_URL"));
    assert_null(strstr(err.msg, TOKEN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(creates_when_none_exists),
        cmocka_unit_test(updates_the_one_found_on_page_two),
        cmocka_unit_test(leaves_someone_elses_marker_alone),
        cmocka_unit_test(actions_token_is_the_bot),
        cmocka_unit_test(refusals_are_explained_without_the_token),
        cmocka_unit_test(bad_options_and_unreachable_api),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
