/* test_h1.c — the plain HTTP/1.1 path reads every way an answer can be
 * framed, and both paths count the same: each case runs the engine against
 * a scripted target on 127.0.0.1 once on the plain path and once with
 * PERFGATE_HTTP_CLIENT=libcurl, and checks the counts of each and that the
 * bytes received per request agree. Cases: chunked bodies (an expected text
 * split across chunks), an interim 100 answer, HEAD with a length and no
 * body, a body read until the connection ends, a fixed-length body, and a
 * target that never answers (timeouts). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "engine/prepared.h"

/* --- the scripted target: one thread per connection, answers by path -------- */

static const struct {
    const char *path, *answer;
    int close_after;
} script[] = {
    {"/chunked",
     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
     "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
     0},
    {"/continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0},
    {"/head", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", 0},
    {"/eof", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", 1},
    {"/fixed", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Pad: abc\r\n\r\nok", 0},
    {"/silent", NULL, 0},
};

static void *serve_conn(void *arg)
{
    int c = (int)(intptr_t)arg;
    char req[4096];
    size_t len = 0;
    ssize_t n;

    while ((n = recv(c, req + len, sizeof req - 1 - len, 0)) > 0) {
        char *end;
        len += (size_t)n;
        req[len] = '\0';
        while ((end = strstr(req, "\r\n\r\n"))) {
            size_t used = (size_t)(end + 4 - req);
            const char *answer = NULL;
            int close_after = 0;
            for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
                const char *p = strchr(req, ' ');
                size_t k = strlen(script[i].path);
                if (p && strncmp(p + 1, script[i].path, k) == 0 && p[1 + k] == ' ') {
                    answer = script[i].answer;
                    close_after = script[i].close_after;
                }
            }
            memmove(req, req + used, len - used + 1);
            len -= used;
            if (answer && send(c, answer, strlen(answer), MSG_NOSIGNAL) < 0)
                close_after = 1;
            if (close_after)
                goto out;
        }
        if (len == sizeof req - 1)
            break;
    }
out:
    close(c);
    return NULL;
}

static void *accept_loop(void *arg)
{
    int fd = (int)(intptr_t)arg, c;

    while ((c = accept(fd, NULL, NULL)) >= 0) {
        pthread_t t;
        pthread_create(&t, NULL, serve_conn, (void *)(intptr_t)c);
        pthread_detach(t);
    }
    return NULL;
}

static char target[64];

static int start_target(void **state)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    pthread_t t;
    (void)state;

    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    snprintf(target, sizeof target, "http://127.0.0.1:%u", ntohs(a.sin_port));
    pthread_create(&t, NULL, accept_loop, (void *)(intptr_t)fd);
    pthread_detach(t);
    return 0;
}

/* --- runs ------------------------------------------------------------------- */

typedef struct counts {
    uint64_t requests, failed, timeouts, status200, bytes_in;
    int plain; /* the run went by the plain path */
} counts;

/* A 2-VU closed run of 600 ms on request (JSON), on the path client names. */
static counts run_on(const char *client, const char *request, const char *timeout)
{
    char text[2048];
    pg_budget *b = NULL;
    pg_budget_run r;
    pg_run_opts o = {.threads = 1, .seed = 1};
    pg_prepared p;
    pg_trial all;
    pg_err err;
    counts c;

    snprintf(text, sizeof text,
             "{\"name\":\"h\",\"target\":\"%s\",\"load\":{\"executor\":\"constant-vus\",\"vus\":2,"
             "\"duration\":\"600ms\",\"warmup\":\"100ms\",\"timeout\":\"%s\"},\"trials\":1,"
             "\"regression\":false,\"scenarios\":[{\"name\":\"s\",\"requests\":[%s]}]}",
             target, timeout, request);
    setenv(PG_HTTP_CLIENT_ENV, client, 1);
    if (pg_budget_parse(&b, "test.json", text, strlen(text), &err) != 0)
        fail_msg("budget: %d:%d: %s", err.line, err.col, err.msg);
    assert_int_equal(pg_prepared_build(&p, b, &err), 0);
    c.plain = p.plain;
    pg_prepared_free(&p);
    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    assert_int_equal(pg_budget_run_merged(&all, &r, &err), 0);
    c.requests = all.requests;
    c.failed = all.failed;
    c.timeouts = all.fails[PG_FAIL_TIMEOUT];
    c.status200 = all.status[200];
    c.bytes_in = all.bytes_in;
    pg_trial_clear(&all);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
    unsetenv(PG_HTTP_CLIENT_ENV);
    return c;
}

/* Both paths answer every request of request well, with the same bytes each. */
static void both_paths_read(const char *request)
{
    counts plain = run_on("auto", request, "2s");
    counts curl = run_on("libcurl", request, "2s");

    assert_true(plain.plain);
    assert_false(curl.plain);
    assert_true(plain.requests >= 10);
    assert_true(curl.requests >= 10);
    assert_int_equal(plain.failed, 0);
    assert_int_equal(curl.failed, 0);
    assert_int_equal(plain.status200, plain.requests);
    assert_int_equal(plain.bytes_in * curl.requests, curl.bytes_in * plain.requests);
}

static void chunked_body_split_expectation(void **state)
{
    (void)state;
    both_paths_read("{\"path\":\"/chunked\",\"expect\":{\"body_contains\":\"lo wo\"}}");
}

static void interim_answer_then_the_answer(void **state)
{
    (void)state;
    both_paths_read("{\"path\":\"/continue\",\"expect\":{\"body_contains\":\"ok\"}}");
}

static void head_has_no_body(void **state)
{
    (void)state;
    both_paths_read("{\"method\":\"HEAD\",\"path\":\"/head\"}");
}

static void body_until_the_connection_ends(void **state)
{
    (void)state;
    both_paths_read("{\"path\":\"/eof\",\"expect\":{\"body_contains\":\"the end\"}}");
}

static void fixed_length_body(void **state)
{
    (void)state;
    both_paths_read("{\"path\":\"/fixed\",\"expect\":{\"body_contains\":\"ok\"}}");
}

static void silence_is_a_timeout(void **state)
{
    static const char *const clients[] = {"auto", "libcurl"};
    (void)state;

    for (size_t i = 0; i < 2; i++) {
        counts c = run_on(clients[i], "{\"path\":\"/silent\"}", "200ms");
        /* 2 VUs, 600 ms, 200 ms each: 4-6 timeouts, whatever the path */
        assert_int_equal(c.plain, i == 0);
        assert_true(c.requests >= 2 && c.requests <= 8);
        assert_int_equal(c.timeouts, c.requests);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chunked_body_split_expectation),
        cmocka_unit_test(interim_answer_then_the_answer),
        cmocka_unit_test(head_has_no_body),
        cmocka_unit_test(body_until_the_connection_ends),
        cmocka_unit_test(fixed_length_body),
        cmocka_unit_test(silence_is_a_timeout),
    };
    return cmocka_run_group_tests(tests, start_target, NULL);
}
