/* serve.c — endpoints and shaping of perfgate serve (see serve.h).
 *
 * Each request keeps a small state in MHD's per-request pointer: its due time
 * and, for /echo, the body received so far. A request that must wait is
 * suspended and handed to the timer; when resumed, MHD calls the handler
 * again and the answer is queued. The fixed answers ("/", 404) are built
 * once and shared, so "/" costs one MHD_queue_response. */
#include "serve/serve.h"

#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fdlimit.h"
#include "common/rng.h"
#include "serve/timer.h"

#define ROOT_BODY "perfgate serve: ok\n"
#define NOT_FOUND_BODY                                                                             \
    "not found; endpoints: /, /delay/<ms>, /status/<code>, /bytes/<n>, "                           \
    "/stream?events=N&interval=MS, /echo, /metrics, /metrics.json\n"
#define MAX_ECHO (64u << 20)
#define MAX_BYTES (1ull << 30)
#define MAX_CONNECTIONS 20000u
#define FD_RESERVE 64u /* listening socket, epoll, timer, stdio, ... */

struct pg_server {
    struct MHD_Daemon *daemon;
    pg_timer *timer;
    pg_serve_opts opts;
    uint64_t start_ns;
    struct MHD_Response *root, *not_found;
    unsigned port;
    unsigned connection_limit;
    /* for /metrics: relaxed counters, one add per request */
    atomic_ullong answered;
    atomic_long waiting; /* requests held for their delay right now */
};

typedef enum { KIND_PLAIN, KIND_ECHO, KIND_STREAM } req_kind;

typedef struct req_state {
    req_kind kind;
    uint64_t due_ns;
    int waited, held;
    char *body; /* echo */
    size_t len, cap;
    int too_large;
    /* stream */
    struct pg_server *srv;
    struct MHD_Connection *conn;
    unsigned events, sent;
    uint64_t interval_ns, next_ns;
} req_state;

/* Marks fast-path requests in MHD's per-request pointer. */
static char fast_path;

void pg_serve_opts_default(pg_serve_opts *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->host, sizeof o->host, "127.0.0.1");
    o->port = 8080;
}

/* Per-thread state for jitter: no locks on the request path. */
static double uniform01(void)
{
    static _Thread_local uint64_t x;

    if (!x)
        x = pg_now_ns() | 1;
    return pg_rng_uniform(&x);
}

/* When an answer that needs service_ms from now may go out, stalls included. */
static uint64_t due_time(const struct pg_server *s, double service_ms)
{
    const pg_serve_opts *o = &s->opts;
    double ms = service_ms + o->delay_ms;
    uint64_t now = pg_now_ns(), due;

    if (o->jitter_ms > 0.0)
        ms += (uniform01() * 2.0 - 1.0) * o->jitter_ms;
    if (ms < 0.0)
        ms = 0.0;
    due = now + (uint64_t)(ms * 1e6);
    if (o->stall_every_s > 0.0 && o->stall_for_ms > 0.0) {
        uint64_t every = (uint64_t)(o->stall_every_s * 1e9), rel = due - s->start_ns;
        uint64_t in = rel % every, stall = (uint64_t)(o->stall_for_ms * 1e6);
        /* Windows start at every, 2*every, ...: the first seconds are clean. */
        if (rel >= every && in < stall)
            due += stall - in;
    }
    return due;
}

static enum MHD_Result queue_text(struct MHD_Connection *c, unsigned code, const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result rc;

    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain");
    rc = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return rc;
}

static const char pattern[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\n";

static ssize_t bytes_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    for (size_t i = 0; i < max; i++)
        buf[i] = pattern[(pos + i) % (sizeof pattern - 1)];
    return (ssize_t)max;
}

static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    req_state *st = cls;
    uint64_t now = pg_now_ns();
    int n;

    (void)pos;
    if (st->sent == st->events)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (now < st->next_ns) {
        /* Not due yet: park the connection instead of busy-looping the daemon. */
        MHD_suspend_connection(st->conn);
        if (pg_timer_add(st->srv->timer, st->next_ns, st->conn) != 0)
            MHD_resume_connection(st->conn);
        return 0;
    }
    n = snprintf(buf, max, "id: %u\nevent: message\ndata: {\"seq\":%u,\"text\":\"token%u\"}\n\n",
                 st->sent, st->sent, st->sent);
    if (n < 0 || (size_t)n >= max)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    st->sent++;
    st->next_ns += st->interval_ns;
    return n;
}

static unsigned query_uint(struct MHD_Connection *c, const char *key, unsigned def, unsigned max)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    char *end;
    unsigned long x;

    if (!v)
        return def;
    x = strtoul(v, &end, 10);
    if (*end || end == v)
        return def;
    return x > max ? max : (unsigned)x;
}

/* The server's own gauges, for a monitor to scrape: Prometheus text
 * exposition, or the same as a flat JSON object. */
static enum MHD_Result metrics(struct pg_server *s, struct MHD_Connection *c, int json)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    unsigned long long answered = atomic_load_explicit(&s->answered, memory_order_relaxed);
    long waiting = atomic_load_explicit(&s->waiting, memory_order_relaxed);
    unsigned conns = info ? info->num_connections : 0;
    struct MHD_Response *r;
    enum MHD_Result rc;
    char text[1024];
    int n;

    if (json)
        n = snprintf(text, sizeof text,
                     "{\"requests\": %llu, \"connections\": %u, \"waiting\": %ld}\n", answered,
                     conns, waiting);
    else
        n = snprintf(text, sizeof text,
                     "# HELP perfgate_serve_requests_total Requests answered since the start.\n"
                     "# TYPE perfgate_serve_requests_total counter\n"
                     "perfgate_serve_requests_total %llu\n"
                     "# HELP perfgate_serve_connections Open client connections.\n"
                     "# TYPE perfgate_serve_connections gauge\n"
                     "perfgate_serve_connections %u\n"
                     "# HELP perfgate_serve_waiting Requests held for their delay right now.\n"
                     "# TYPE perfgate_serve_waiting gauge\n"
                     "perfgate_serve_waiting %ld\n",
                     answered, conns, waiting);
    if (!(r = MHD_create_response_from_buffer((size_t)n, text, MHD_RESPMEM_MUST_COPY)))
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type",
                            json ? "application/json" : "text/plain; version=0.0.4");
    rc = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result answer(struct pg_server *s, struct MHD_Connection *c, const char *url,
                              req_state *st)
{
    struct MHD_Response *r;
    enum MHD_Result rc;
    char *end;

    if (st->held) {
        st->held = 0;
        atomic_fetch_sub_explicit(&s->waiting, 1, memory_order_relaxed);
    }
    if (strcmp(url, "/metrics") == 0 || strcmp(url, "/metrics.json") == 0)
        return metrics(s, c, url[8] == '.');
    atomic_fetch_add_explicit(&s->answered, 1, memory_order_relaxed);
    if (strcmp(url, "/") == 0)
        return MHD_queue_response(c, MHD_HTTP_OK, s->root);
    if (strncmp(url, "/delay/", 7) == 0)
        return queue_text(c, MHD_HTTP_OK, "delayed\n");
    if (strncmp(url, "/status/", 8) == 0) {
        long code = strtol(url + 8, &end, 10);
        char text[32];
        if (*end || code < 200 || code > 599)
            return queue_text(c, MHD_HTTP_BAD_REQUEST, "status must be 200..599\n");
        if (code == 204 || code == 304)
            text[0] = '\0';
        else
            snprintf(text, sizeof text, "status %ld\n", code);
        return queue_text(c, (unsigned)code, text);
    }
    if (strncmp(url, "/bytes/", 7) == 0) {
        unsigned long long n = strtoull(url + 7, &end, 10);
        if (*end || url[7] == '\0' || n > MAX_BYTES)
            return queue_text(c, MHD_HTTP_BAD_REQUEST, "bytes must be 0..1073741824\n");
        if (!(r = MHD_create_response_from_callback(n, 64 * 1024, bytes_reader, NULL, NULL)))
            return MHD_NO;
        MHD_add_response_header(r, "Content-Type", "application/octet-stream");
        rc = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (strcmp(url, "/stream") == 0) {
        st->kind = KIND_STREAM;
        st->srv = s;
        st->conn = c;
        st->events = query_uint(c, "events", 10, 100000);
        st->interval_ns = (uint64_t)query_uint(c, "interval", 100, 60000) * 1000000ull;
        st->next_ns = pg_now_ns() + st->interval_ns;
        if (!(r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_reader, st,
                                                    NULL)))
            return MHD_NO;
        MHD_add_response_header(r, "Content-Type", "text/event-stream");
        MHD_add_response_header(r, "Cache-Control", "no-cache");
        rc = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (strcmp(url, "/echo") == 0) {
        if (st->too_large)
            return queue_text(c, 413, "body over 64 MiB\n");
        r = MHD_create_response_from_buffer(st->len, st->body ? st->body : (void *)"",
                                            MHD_RESPMEM_MUST_COPY);
        if (!r)
            return MHD_NO;
        MHD_add_response_header(r, "Content-Type", "application/octet-stream");
        rc = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return rc;
    }
    return MHD_queue_response(c, MHD_HTTP_NOT_FOUND, s->not_found);
}

static double path_delay_ms(const char *url)
{
    char *end;
    double ms;

    if (strncmp(url, "/delay/", 7) != 0)
        return 0.0;
    ms = strtod(url + 7, &end);
    return (*end || !(ms >= 0.0) || ms > 3600e3) ? 0.0 : ms;
}

/* Spins until this thread has used ms of CPU time. */
static void burn_cpu(double ms)
{
    struct timespec ts;
    uint64_t start, now;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    start = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    do {
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    } while ((double)(now - start) < ms * 1e6);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
    struct pg_server *s = cls;
    req_state *st = *req_cls;
    int shaped = s->opts.delay_ms > 0.0 || s->opts.jitter_ms > 0.0 || s->opts.stall_every_s > 0.0;
    int has_body =
        strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0;

    (void)version;
    if (!st && s->opts.cpu_ms > 0.0 && strncmp(url, "/metrics", 8) != 0)
        burn_cpu(s->opts.cpu_ms); /* once per request, on its first call */
    /* Fast path: nothing to wait for and no body. MHD keeps the connection
     * alive only if the answer is queued after the first call (which carries
     * just the headers), so the first call marks the request with a static
     * sentinel instead of allocating state. */
    if (!st &&
        ((!shaped && !has_body && strncmp(url, "/delay/", 7) != 0 && strcmp(url, "/stream") != 0) ||
         strncmp(url, "/metrics", 8) == 0)) { /* a monitor's scrape is never delayed */
        *req_cls = &fast_path;
        return MHD_YES;
    }
    if (st == (req_state *)&fast_path) {
        req_state tmp = {0};
        return answer(s, c, url, &tmp);
    }
    if (!st) {
        if (!(st = calloc(1, sizeof *st)))
            return MHD_NO;
        *req_cls = st;
        if (has_body && strcmp(url, "/echo") == 0)
            st->kind = KIND_ECHO;
        return MHD_YES;
    }
    if (*upload_size) {
        if (st->kind == KIND_ECHO && !st->too_large) {
            if (st->len + *upload_size > MAX_ECHO) {
                st->too_large = 1;
            } else {
                if (st->len + *upload_size > st->cap) {
                    size_t cap = (st->len + *upload_size) * 2;
                    char *p = realloc(st->body, cap);
                    if (!p)
                        return MHD_NO;
                    st->body = p;
                    st->cap = cap;
                }
                memcpy(st->body + st->len, upload, *upload_size);
                st->len += *upload_size;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (!st->waited) {
        st->waited = 1;
        st->due_ns = due_time(s, path_delay_ms(url));
        if (st->due_ns > pg_now_ns()) {
            st->held = 1;
            atomic_fetch_add_explicit(&s->waiting, 1, memory_order_relaxed);
            MHD_suspend_connection(c);
            if (pg_timer_add(s->timer, st->due_ns, c) != 0)
                MHD_resume_connection(c);
            return MHD_YES;
        }
    }
    return answer(s, c, url, st);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    req_state *st = *req_cls;

    (void)cls, (void)c, (void)toe;
    if (st && st != (req_state *)&fast_path) {
        free(st->body);
        free(st);
        *req_cls = NULL;
    }
}

int pg_serve_start(pg_server **out, const pg_serve_opts *opts, pg_err *err)
{
    struct pg_server *s = NULL;
    struct sockaddr_in addr;
    const union MHD_DaemonInfo *info;
    unsigned threads = opts->threads;
    unsigned long soft, hard;
    int rc = PG_ERUN;

    *out = NULL;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)opts->port);
    if (inet_pton(AF_INET, opts->host, &addr.sin_addr) != 1)
        return pg_err_set(err, PG_EUSAGE,
                          "--listen: \"%s\" is not an IPv4 address such as 127.0.0.1", opts->host);
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    if (!(s = calloc(1, sizeof *s)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    s->opts = *opts;
    s->start_ns = pg_now_ns();
    s->root = MHD_create_response_from_buffer(sizeof ROOT_BODY - 1, (void *)ROOT_BODY,
                                              MHD_RESPMEM_PERSISTENT);
    s->not_found = MHD_create_response_from_buffer(sizeof NOT_FOUND_BODY - 1,
                                                   (void *)NOT_FOUND_BODY, MHD_RESPMEM_PERSISTENT);
    if (!s->root || !s->not_found || pg_timer_start(&s->timer) != 0) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto fail;
    }
    MHD_add_response_header(s->root, "Content-Type", "text/plain");
    MHD_add_response_header(s->not_found, "Content-Type", "text/plain");
    /* as many connections as the open-file limit leaves room for, up to 20,000 */
    pg_fdlimit_ensure(MAX_CONNECTIONS + FD_RESERVE, &soft, &hard);
    s->connection_limit = soft >= MAX_CONNECTIONS + FD_RESERVE ? MAX_CONNECTIONS
                          : soft > 2 * FD_RESERVE              ? (unsigned)(soft - FD_RESERVE)
                                                               : FD_RESERVE;
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, s->connection_limit,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096u, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->daemon) {
        rc = pg_err_set(err, PG_ERUN, "cannot listen on %s:%u (port taken, or no permission)",
                        opts->host, opts->port);
        goto fail;
    }
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : opts->port;
    *out = s;
    return PG_OK;
fail:
    pg_serve_stop(s);
    return rc;
}

unsigned pg_serve_connection_limit(const pg_server *s)
{
    return s->connection_limit;
}

unsigned pg_serve_port(const pg_server *s)
{
    return s->port;
}

void pg_serve_stop(pg_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_quiesce_daemon(s->daemon);
    pg_timer_stop(s->timer); /* resumes every parked connection */
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    if (s->root)
        MHD_destroy_response(s->root);
    if (s->not_found)
        MHD_destroy_response(s->not_found);
    free(s);
}
