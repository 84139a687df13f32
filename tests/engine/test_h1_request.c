#define _GNU_SOURCE /* strcasestr */
/* test_h1_request.c — the plain path's request heads are byte for byte what
 * libcurl sends for the same request: each case is sent by libcurl (set up
 * as worker.c sets its handles) to a listener on 127.0.0.1 that keeps the
 * bytes, and compared with pg_h1_request_head's. Also: which targets the
 * plain path takes, and URLs it refuses. */
#include <arpa/inet.h>
#include <curl/curl.h>
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

#include "engine/h1_request.h"

typedef struct listener {
    int fd;
    unsigned port;
    char got[8192];
    size_t got_len;
} listener;

/* Takes one connection, keeps the request head (and a body of up to the
 * size its Content-Length says), answers 204. */
static void *take_one(void *arg)
{
    listener *l = arg;
    int c = accept(l->fd, NULL, NULL);
    const char *end = NULL;
    ssize_t n;

    l->got_len = 0;
    while (c >= 0 && (n = recv(c, l->got + l->got_len, sizeof l->got - 1 - l->got_len, 0)) > 0) {
        const char *cl;
        size_t want;
        l->got_len += (size_t)n;
        l->got[l->got_len] = '\0';
        if (!(end = strstr(l->got, "\r\n\r\n")))
            continue;
        cl = strcasestr(l->got, "\r\nContent-Length: ");
        want = (size_t)(end + 4 - l->got) + (cl && cl < end ? strtoul(cl + 18, NULL, 10) : 0);
        if (l->got_len >= want)
            break;
    }
    if (c >= 0) {
        const char *answer = "HTTP/1.1 204 No Content\r\n\r\n";
        (void)!send(c, answer, strlen(answer), MSG_NOSIGNAL);
        close(c);
    }
    return NULL;
}

static void listen_on_loopback(listener *l)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;

    l->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(l->fd >= 0);
    assert_int_equal(bind(l->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l->fd, 4), 0);
    assert_int_equal(getsockname(l->fd, (struct sockaddr *)&a, &len), 0);
    l->port = ntohs(a.sin_port);
}

typedef struct request_case {
    const char *method, *path;
    const char *headers[4];
    const char *body;
} request_case;

/* What libcurl sends for c: the options worker.c's configure() sets. */
static void libcurl_sends(listener *l, const char *url, const request_case *c,
                          struct curl_slist *headers)
{
    CURL *e = curl_easy_init();
    pthread_t t;

    assert_non_null(e);
    pthread_create(&t, NULL, take_one, l);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "perfgate/" PERFGATE_VERSION);
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    if (c->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(c->body));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->body);
        if (strcmp(c->method, "POST") != 0)
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, c->method);
    } else if (strcmp(c->method, "HEAD") == 0) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (strcmp(c->method, "GET") != 0) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, c->method);
    }
    assert_int_equal(curl_easy_perform(e), CURLE_OK);
    pthread_join(t, NULL);
    curl_easy_cleanup(e);
}

static void heads_match_libcurl(void **state)
{
    static const request_case cases[] = {
        {"GET", "/", {NULL}, NULL},
        {"GET", "/items?id=7&x=%20y", {"X-Trace: abc", NULL}, NULL},
        {"HEAD", "/health", {NULL}, NULL},
        {"DELETE", "/items/7", {"Accept: application/json", NULL}, NULL},
        {"POST", "/login", {NULL}, "user=a&pass=b"},
        {"POST",
         "/api",
         {"Content-Type: application/json", "Authorization: Bearer t", NULL},
         "{\"a\":1}"},
        {"PUT", "/doc", {"Host: example.test", "User-Agent: k6", NULL}, "x"},
        {"GET", "/nohdr", {"Accept:", "X-Empty: ", NULL}, NULL},
        {"GET", "/frag#part", {NULL}, NULL},
        {"POST", "/empty", {NULL}, NULL},
    };
    listener l;
    pg_h1_origin o;
    char target[64], url[256], why[256];
    (void)state;

    listen_on_loopback(&l);
    snprintf(target, sizeof target, "http://127.0.0.1:%u", l.port);
    assert_int_equal(pg_h1_origin_parse(&o, target), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const request_case *c = &cases[i];
        struct curl_slist *headers = NULL;
        pg_buf head = {0};
        size_t body_len = c->body ? strlen(c->body) : 0;

        for (size_t k = 0; c->headers[k]; k++)
            headers = curl_slist_append(headers, c->headers[k]);
        snprintf(url, sizeof url, "%s%s", target, c->path);
        libcurl_sends(&l, url, c, headers);
        assert_int_equal(pg_h1_request_head(&head, &o, c->method, url, headers, c->body != NULL,
                                            body_len, why, sizeof why),
                         0);
        pg_buf_append(&head, c->body ? c->body : "", body_len);
        assert_false(pg_buf_failed(&head));
        if (head.len != l.got_len || memcmp(head.data, l.got, l.got_len) != 0)
            fail_msg("case %zu: libcurl sent\n%.*s\nthe plain path would send\n%s", i,
                     (int)l.got_len, l.got, head.data);
        pg_buf_free(&head);
        curl_slist_free_all(headers);
    }
    close(l.fd);
}

static void origins_the_plain_path_takes(void **state)
{
    pg_h1_origin o;
    (void)state;

    assert_int_equal(pg_h1_origin_parse(&o, "http://127.0.0.1:8080"), 0);
    assert_string_equal(o.host_header, "127.0.0.1:8080");
    assert_int_equal(pg_h1_origin_parse(&o, "http://127.0.0.1/base"), 0);
    assert_string_equal(o.host_header, "127.0.0.1");
    assert_int_equal(o.port, 80);
    assert_int_equal(pg_h1_origin_parse(&o, "http://[::1]:9000"), 0);
    assert_string_equal(o.host_header, "[::1]:9000");
    assert_int_equal(pg_h1_origin_parse(&o, "http://localhost:9000"), 0);
    assert_true(o.n_addr >= 1);
    /* TLS, and names a resolver must look up, stay on libcurl's path */
    assert_int_equal(pg_h1_origin_parse(&o, "https://127.0.0.1:8443"), -1);
    assert_int_equal(pg_h1_origin_parse(&o, "http://service.internal:8080"), -1);
    assert_int_equal(pg_h1_origin_parse(&o, "ftp://127.0.0.1"), -1);
}

static void urls_off_the_origin_are_refused(void **state)
{
    pg_h1_origin o;
    pg_buf head = {0};
    char why[256];
    (void)state;

    assert_int_equal(pg_h1_origin_parse(&o, "http://127.0.0.1:8080"), 0);
    assert_int_equal(pg_h1_request_head(&head, &o, "GET", "http://127.0.0.1:9090/x", NULL, 0, 0,
                                        why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "not on the target's host and port"));
    assert_int_equal(pg_h1_request_head(&head, &o, "GET", "http://127.0.0.1:8080/a b", NULL, 0, 0,
                                        why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "malformed"));
    assert_int_equal(head.len, 0);
    /* the base path of the target is part of every request's */
    assert_int_equal(pg_h1_request_head(&head, &o, "GET", "http://127.0.0.1:8080/base/x?y=1", NULL,
                                        0, 0, why, sizeof why),
                     0);
    assert_int_equal(strncmp(head.data, "GET /base/x?y=1 HTTP/1.1\r\n", 26), 0);
    pg_buf_free(&head);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(heads_match_libcurl),
        cmocka_unit_test(origins_the_plain_path_takes),
        cmocka_unit_test(urls_off_the_origin_are_refused),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
