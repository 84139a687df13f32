/* h1.c — the plain HTTP/1.1 path (see h1.h for why and what it measures).
 *
 * Each connection is in the epoll set for reading from the moment it
 * exists (level-triggered), so a reused connection costs no epoll_ctl per
 * request: writing is tried at once and asks for EPOLLOUT only when the
 * socket is full. The parser pauses on a complete answer, so bytes past
 * it (there should be none: requests are not pipelined) are never taken
 * for the next answer. Failures are named in libcurl's words where there
 * are some, so an example reads the same from either path. */
#include "engine/h1.h"
#include "common/clock.h"
#include "engine/answer.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* --- the answer, as http-parser reads it ----------------------------------- */

static pg_slot *slot_of(http_parser *p)
{
    return p->data;
}

/* Where the byte after at[n-1] lies in the attempt's answer: the parser
 * reads from the worker's buffer, which holds bytes from h->fed on. */
static void mark_end(http_parser *p, const char *at, size_t n)
{
    pg_slot *s = slot_of(p);

    s->h1.mark = s->h1.fed + (uint64_t)(at + n - s->w->h1->in);
}

static int on_status(http_parser *p, const char *at, size_t n)
{
    mark_end(p, at, n);
    return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t n)
{
    pg_h1 *h = &slot_of(p)->h1;

    if (h->in_value) {
        h->in_value = 0;
        h->field_len = 0;
    }
    for (size_t i = 0; i < n && h->field_len < sizeof h->field; i++)
        h->field[h->field_len++] = at[i];
    return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t n)
{
    pg_h1 *h = &slot_of(p)->h1;

    mark_end(p, at, n);
    if (!h->in_value) {
        h->in_value = 1;
        h->ctype_field = h->field_len == 12 && strncasecmp(h->field, "content-type", 12) == 0;
        if (h->ctype_field)
            h->ctype_len = 0;
    }
    for (size_t i = 0; h->ctype_field && i < n && h->ctype_len < sizeof h->ctype; i++)
        h->ctype[h->ctype_len++] = at[i];
    return 0;
}

static int on_headers_complete(http_parser *p)
{
    pg_slot *s = slot_of(p);
    pg_h1 *h = &s->h1;

    /* the head ends with the line ending after the last value, then an empty line */
    h->header_bytes += h->mark + 4 - h->head_start;
    h->head_start = h->mark + 4; /* an interim answer: the next head starts there */
    h->in_value = 0;
    h->field_len = 0;
    if (p->status_code / 100 == 1)
        return 0; /* an interim answer: the real one follows */
    pg_answer_typed(s, h->ctype, h->ctype_len);
    return s->configured->is_head ? 1 : 0; /* 1: no body follows */
}

static int on_body(http_parser *p, const char *at, size_t n)
{
    pg_slot *s = slot_of(p);

    s->h1.body_bytes += n;
    pg_answer_on_body((char *)at, 1, n, s);
    return 0;
}

static int on_message_complete(http_parser *p)
{
    pg_h1 *h = &slot_of(p)->h1;

    if (p->status_code / 100 == 1 && p->status_code != 101) {
        h->ctype_len = 0;
        return 0;
    }
    h->complete = 1;
    http_parser_pause(p, 1);
    return 0;
}

static const http_parser_settings parse = {
    .on_status = on_status,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* --- connections and the in-flight list ------------------------------------- */

static void unlink_attempt(pg_h1_loop *l, pg_slot *s)
{
    pg_h1 *h = &s->h1;

    if (h->older)
        h->older->h1.newer = h->newer;
    else if (l->oldest == s)
        l->oldest = h->newer;
    if (h->newer)
        h->newer->h1.older = h->older;
    else if (l->newest == s)
        l->newest = h->older;
    h->older = h->newer = NULL;
}

static void close_conn(pg_h1 *h)
{
    if (h->fd >= 0)
        close(h->fd); /* also leaves the epoll set */
    h->fd = -1;
    h->connecting = h->want_out = 0;
}

/* The attempt is over (fail: PG_FAIL_KINDS when an answer came): the
 * connection stays only when both sides keep it alive. */
static void finish(pg_h1_loop *l, pg_slot *s, pg_fail_kind fail)
{
    pg_h1 *h = &s->h1;

    h->fail = fail;
    h->busy = 0;
    h->done_ns = pg_now_ns();
    unlink_attempt(l, s);
    if (fail != PG_FAIL_KINDS || !http_should_keep_alive(&h->parser))
        close_conn(h);
    l->done[l->n_done++] = s;
}

/* Ends the attempt with a failure, in words: "what: detail" or "what". */
static void fail_with(pg_h1_loop *l, pg_slot *s, pg_fail_kind fail, const char *what,
                      const char *detail)
{
    snprintf(s->errbuf, sizeof s->errbuf, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
    finish(l, s, fail);
}

static void want_out(pg_h1_loop *l, pg_h1 *h, int on)
{
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0u)};

    if (h->want_out == on)
        return;
    ev.data.ptr = h->parser.data;
    epoll_ctl(l->epfd, EPOLL_CTL_MOD, h->fd, &ev);
    h->want_out = on;
}

/* Writes what is left of the request. */
static void write_request(pg_h1_loop *l, pg_slot *s)
{
    pg_h1 *h = &s->h1;
    struct iovec iov[2];
    struct msghdr m = {.msg_iov = iov};
    ssize_t n;

    if (h->sent < h->head_len) {
        iov[m.msg_iovlen].iov_base = (char *)h->head + h->sent;
        iov[m.msg_iovlen++].iov_len = h->head_len - h->sent;
    }
    if (h->body_len) {
        size_t off = h->sent > h->head_len ? h->sent - h->head_len : 0;
        iov[m.msg_iovlen].iov_base = (char *)h->body + off;
        iov[m.msg_iovlen++].iov_len = h->body_len - off;
    }
    n = sendmsg(h->fd, &m, MSG_NOSIGNAL); /* MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE */
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
        fail_with(l, s, PG_FAIL_RESET, "Send failure", strerror(errno));
        return;
    }
    if (n > 0)
        h->sent += (size_t)n;
    want_out(l, h, h->sent < h->head_len + h->body_len);
}

static void open_conn(pg_h1_loop *l, pg_slot *s);

/* A connection could not be made (errno e): on a refusal the next of the
 * origin's addresses is tried (localhost: ::1, then 127.0.0.1), as
 * libcurl tries each address of a name. */
static void connect_failed(pg_h1_loop *l, pg_slot *s, int e)
{
    pg_h1 *h = &s->h1;

    close_conn(h);
    if (e == ECONNREFUSED && h->addr + 1 < l->origin.n_addr) {
        h->addr++;
        open_conn(l, s);
        return;
    }
    h->addr = 0;
    snprintf(s->errbuf, sizeof s->errbuf, "Failed to connect to %.64s port %ld: %s", l->origin.host,
             l->origin.port, strerror(e));
    finish(l, s, e == ECONNREFUSED ? PG_FAIL_REFUSED : PG_FAIL_OTHER);
}

/* Opens a connection to the origin's address h->addr. */
static void open_conn(pg_h1_loop *l, pg_slot *s)
{
    pg_h1 *h = &s->h1;
    const struct sockaddr_storage *a = &l->origin.addr[h->addr];
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = s};
    int one = 1;

    h->fd = socket(a->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (h->fd < 0) {
        fail_with(l, s, PG_FAIL_OTHER, "Could not open a socket", strerror(errno));
        return;
    }
    setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* libcurl's default too */
    if (connect(h->fd, (const struct sockaddr *)a, l->origin.addr_len[h->addr]) != 0 &&
        errno != EINPROGRESS) {
        connect_failed(l, s, errno);
        return;
    }
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, h->fd, &ev) != 0) {
        close_conn(h);
        fail_with(l, s, PG_FAIL_OTHER, "epoll_ctl", strerror(errno));
        return;
    }
    h->connecting = h->want_out = 1;
}

/* The handshake of a new connection ended. */
static void on_connected(pg_h1_loop *l, pg_slot *s)
{
    pg_h1 *h = &s->h1;
    int e = 0;
    socklen_t n = sizeof e;

    getsockopt(h->fd, SOL_SOCKET, SO_ERROR, &e, &n);
    if (e) {
        connect_failed(l, s, e);
        return;
    }
    h->connecting = 0;
    h->connected_ns = pg_now_ns();
    write_request(l, s);
}

/* Reads what came; ends the attempt on a complete answer, an error or the
 * end of the connection. */
static void read_answer(pg_h1_loop *l, pg_slot *s)
{
    pg_h1 *h = &s->h1;
    ssize_t n;

    do {
        n = recv(h->fd, l->in, sizeof l->in, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            if (!h->busy) {
                close_conn(h);
                return;
            }
            fail_with(l, s, PG_FAIL_RESET, "Recv failure", strerror(errno));
            return;
        }
        if (!h->busy) { /* an idle connection: the server closed it, or spoke out of turn */
            close_conn(h);
            return;
        }
        if (n > 0 && !h->first_byte_ns)
            h->first_byte_ns = pg_now_ns();
        http_parser_execute(&h->parser, &parse, l->in, (size_t)n); /* n == 0: the end */
        h->fed += (uint64_t)n;
        if (h->complete) {
            finish(l, s, PG_FAIL_KINDS);
            return;
        }
        /* the connection ended before the answer did: whatever the parser says, that is a reset */
        if (n == 0) {
            if (h->first_byte_ns)
                fail_with(l, s, PG_FAIL_RESET,
                          "Transfer closed with outstanding read data remaining", NULL);
            else
                fail_with(l, s, PG_FAIL_RESET, "Empty reply from server", NULL);
            return;
        }
        if (HTTP_PARSER_ERRNO(&h->parser) != HPE_OK) {
            fail_with(l, s, PG_FAIL_PROTOCOL, "Invalid HTTP answer",
                      http_errno_description(HTTP_PARSER_ERRNO(&h->parser)));
            return;
        }
    } while ((size_t)n == sizeof l->in);
}

/* --- the surface ------------------------------------------------------------ */

int pg_h1_loop_init(pg_h1_loop *l, const pg_h1_origin *o, uint64_t timeout_ns, size_t n_slots)
{
    memset(l, 0, sizeof *l);
    l->origin = *o;
    l->timeout_ns = timeout_ns;
    if ((l->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
        return -1;
    if (!(l->done = calloc(n_slots, sizeof *l->done))) {
        close(l->epfd);
        l->epfd = -1;
        return -1;
    }
    return 0;
}

void pg_h1_loop_clear(pg_h1_loop *l)
{
    if (l->epfd >= 0)
        close(l->epfd);
    l->epfd = -1;
    free(l->done);
    l->done = NULL;
}

void pg_h1_init(pg_h1 *h)
{
    memset(h, 0, sizeof *h);
    h->fd = -1;
    h->fail = PG_FAIL_KINDS;
}

void pg_h1_free(pg_h1 *h)
{
    close_conn(h);
    pg_buf_free(&h->render);
}

void pg_h1_send(pg_h1_loop *l, pg_slot *s, int fresh)
{
    pg_h1 *h = &s->h1;

    h->sent = 0;
    h->start_ns = pg_now_ns();
    h->connected_ns = h->first_byte_ns = 0;
    h->header_bytes = h->body_bytes = 0;
    h->fed = h->mark = h->head_start = 0;
    h->ctype_len = h->field_len = 0;
    h->in_value = h->complete = 0;
    h->fail = PG_FAIL_KINDS;
    h->busy = 1;
    http_parser_init(&h->parser, HTTP_RESPONSE);
    h->parser.data = s;
    h->older = l->newest;
    h->newer = NULL;
    if (l->newest)
        l->newest->h1.newer = s;
    else
        l->oldest = s;
    l->newest = s;
    if (fresh)
        close_conn(h);
    h->reused = h->fd >= 0;
    if (h->reused)
        write_request(l, s);
    else
        open_conn(l, s);
}

void pg_h1_on_event(pg_h1_loop *l, pg_slot *s, uint32_t events)
{
    pg_h1 *h = &s->h1;

    if (h->fd < 0)
        return;
    if (h->connecting) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            on_connected(l, s);
        return;
    }
    if ((events & EPOLLOUT) && h->busy && h->want_out)
        write_request(l, s);
    if (h->fd >= 0 && (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
        read_answer(l, s);
}

uint64_t pg_h1_next_deadline(const pg_h1_loop *l)
{
    return l->oldest ? l->oldest->h1.start_ns + l->timeout_ns : UINT64_MAX;
}

void pg_h1_expire(pg_h1_loop *l, uint64_t now)
{
    while (pg_h1_next_deadline(l) <= now) {
        pg_slot *s = l->oldest;
        snprintf(s->errbuf, sizeof s->errbuf,
                 "Operation timed out after %llu milliseconds with %llu bytes received",
                 (unsigned long long)((now - s->h1.start_ns) / 1000000u),
                 (unsigned long long)(s->h1.header_bytes + s->h1.body_bytes));
        finish(l, s, PG_FAIL_TIMEOUT);
    }
}

void pg_h1_abort(pg_h1_loop *l, pg_slot *s)
{
    unlink_attempt(l, s);
    s->h1.busy = 0;
    close_conn(&s->h1);
}
