/* test_serve.c — perfgate serve answers every endpoint correctly.
 * The server runs in-process on port 0; libcurl talks to it over loopback. */
#include <curl/curl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "serve/serve.h"

typedef struct reply {
    long status;
    char *body;
    size_t len;
    char type[128];
    double seconds;
} reply;

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    reply *r = arg;
    char *p = realloc(r->body, r->len + size * n + 1);
    if (!p)
        return 0;
    memcpy(p + r->len, data, size * n);
    r->body = p;
    r->len += size * n;
    r->body[r->len] = '\0';
    return size * n;
}

static reply fetch(pg_server *s, const char *method, const char *path, const char *post)
{
    reply r = {0};
    char url[256];
    char *type = NULL;
    CURL *c = curl_easy_init();

    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", pg_serve_port(s), path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (post)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &r.seconds);
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
        snprintf(r.type, sizeof r.type, "%s", type);
    curl_easy_cleanup(c);
    return r;
}

static int start(void **state, double delay_ms)
{
    pg_serve_opts o;
    pg_server *s = NULL;
    pg_err err;

    pg_serve_opts_default(&o);
    o.port = 0;
    o.threads = 2;
    o.delay_ms = delay_ms;
    if (pg_serve_start(&s, &o, &err) != 0)
        return -1;
    *state = s;
    return 0;
}

static int setup(void **state)
{
    return start(state, 0.0);
}

static int setup_delayed(void **state)
{
    return start(state, 30.0);
}

static int teardown(void **state)
{
    pg_serve_stop(*state);
    return 0;
}

static void root_and_port(void **state)
{
    pg_server *s = *state;
    reply r = fetch(s, "GET", "/", NULL);
    assert_true(pg_serve_port(s) > 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "perfgate serve: ok\n");
    assert_string_equal(r.type, "text/plain");
    free(r.body);
}

static void status_codes(void **state)
{
    reply r = fetch(*state, "GET", "/status/503", NULL);
    assert_int_equal(r.status, 503);
    assert_string_equal(r.body, "status 503\n");
    free(r.body);
    r = fetch(*state, "GET", "/status/204", NULL);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);
    free(r.body);
    r = fetch(*state, "GET", "/status/abc", NULL);
    assert_int_equal(r.status, 400);
    free(r.body);
}

static void byte_counts(void **state)
{
    reply r = fetch(*state, "GET", "/bytes/100000", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, 100000);
    assert_memory_equal(r.body, "0123456789", 10);
    free(r.body);
    r = fetch(*state, "GET", "/bytes/0", NULL);
    assert_int_equal(r.len, 0);
    free(r.body);
    r = fetch(*state, "GET", "/bytes/99999999999", NULL);
    assert_int_equal(r.status, 400);
    free(r.body);
}

static void delay_waits_without_blocking(void **state)
{
    reply r = fetch(*state, "GET", "/delay/120", NULL);
    assert_int_equal(r.status, 200);
    assert_true(r.seconds >= 0.119);
    assert_true(r.seconds < 2.0);
    free(r.body);
    r = fetch(*state, "GET", "/delay/2.5", NULL);
    assert_true(r.seconds >= 0.0024);
    free(r.body);
}

static void event_stream(void **state)
{
    reply r = fetch(*state, "GET", "/stream?events=4&interval=50", NULL);
    int events = 0;
    assert_int_equal(r.status, 200);
    assert_string_equal(r.type, "text/event-stream");
    for (const char *p = r.body; (p = strstr(p, "data: ")); p++)
        events++;
    assert_int_equal(events, 4);
    assert_non_null(strstr(r.body, "data: {\"seq\":3,\"text\":\"token3\"}\n\n"));
    assert_true(r.seconds >= 0.19); /* four events 50 ms apart */
    free(r.body);
}

static void echo_body(void **state)
{
    reply r = fetch(*state, "POST", "/echo", "{\"id\":42}");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"id\":42}");
    free(r.body);
}

static void not_found_lists_endpoints(void **state)
{
    reply r = fetch(*state, "GET", "/nope", NULL);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "/delay/<ms>"));
    free(r.body);
}

static void global_delay(void **state)
{
    reply r = fetch(*state, "GET", "/", NULL);
    assert_int_equal(r.status, 200);
    assert_true(r.seconds >= 0.029);
    free(r.body);
    r = fetch(*state, "POST", "/echo", "abc");
    assert_string_equal(r.body, "abc");
    assert_true(r.seconds >= 0.029);
    free(r.body);
}

static void port_taken_is_an_error(void **state)
{
    pg_serve_opts o;
    pg_server *again = NULL;
    pg_err err;

    pg_serve_opts_default(&o);
    o.port = pg_serve_port(*state);
    assert_int_equal(pg_serve_start(&again, &o, &err), PG_ERUN);
    assert_null(again);
    assert_non_null(strstr(err.msg, "cannot listen"));
    snprintf(o.host, sizeof o.host, "localhost");
    assert_int_equal(pg_serve_start(&again, &o, &err), PG_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(root_and_port, setup, teardown),
        cmocka_unit_test_setup_teardown(status_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(byte_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(delay_waits_without_blocking, setup, teardown),
        cmocka_unit_test_setup_teardown(event_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(echo_body, setup, teardown),
        cmocka_unit_test_setup_teardown(not_found_lists_endpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(global_delay, setup_delayed, teardown),
        cmocka_unit_test_setup_teardown(port_taken_is_an_error, setup, teardown),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
