/* answer.c — reading an answer and recording a finished request (see answer.h). */
#define _GNU_SOURCE /* memmem */
#include "engine/answer.h"
#include "common/clock.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static pg_trial *trial_of_slot(pg_slot *s)
{
    return s->trial >= 0 ? &s->w->trials[s->trial] : NULL;
}

/* One event of a stream: all events parsed from one body piece share its
 * arrival time, which is when libcurl handed it over. */
static void on_event(void *arg, const pg_sse_event *ev)
{
    pg_slot *s = arg;
    pg_trial *t = trial_of_slot(s);
    const pg_request *r = s->configured->req;

    if (ev->empty)
        return; /* "data:" alone: no content, not an event the metrics count */
    if (t && !s->sse_events)
        pg_hist_record(&t->sse_ttfe, (s->sse_chunk_ns - s->sent_ns) / 1000u);
    else if (t)
        pg_hist_record(&t->sse_gap, (s->sse_chunk_ns - s->sse_last_ns) / 1000u);
    s->sse_events++;
    s->sse_last_ns = s->sse_chunk_ns;
    if (r->tokens_field && !ev->truncated)
        s->sse_tokens += pg_sse_tokens(ev->data, ev->len, r->tokens_field);
}

void pg_answer_typed(pg_slot *s, const char *type, size_t type_len)
{
    static const char stream[] = "text/event-stream";

    s->sse_checked = 1;
    s->sse_on = s->configured->req->sse || (type && type_len >= sizeof stream - 1 &&
                                            strncasecmp(type, stream, sizeof stream - 1) == 0);
}

size_t pg_answer_on_body(char *data, size_t size, size_t n, void *arg)
{
    pg_slot *s = arg;
    size_t len = size * n;

    if (!s->sse_checked) { /* libcurl's path: its first body piece, the type known */
        const char *type = NULL;
        curl_easy_getinfo(s->easy, CURLINFO_CONTENT_TYPE, &type);
        pg_answer_typed(s, type, type ? strlen(type) : 0);
    }
    if (s->sse_on) {
        s->sse_chunk_ns = pg_now_ns();
        pg_sse_feed(&s->sse, data, len, on_event, s);
    }

    if (s->body && s->body_len < s->body_cap) {
        size_t take = len < s->body_cap - s->body_len ? len : s->body_cap - s->body_len;
        memcpy(s->body + s->body_len, data, take);
        s->body_len += take;
    }
    return len;
}

pg_fail_kind pg_answer_kind(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_CONNECT:
        return PG_FAIL_REFUSED;
    case CURLE_OPERATION_TIMEDOUT:
        return PG_FAIL_TIMEOUT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return PG_FAIL_DNS;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        return PG_FAIL_TLS;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return PG_FAIL_RESET;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL: /* "Received HTTP/0.9 when not allowed" */
    case CURLE_BAD_CONTENT_ENCODING:
        return PG_FAIL_PROTOCOL;
    default:
        return PG_FAIL_OTHER;
    }
}

static int status_expected(const pg_request *r, long status)
{
    if (!r->n_expect_status)
        return status >= 200 && status < 400; /* k6's default expected statuses */
    for (size_t i = 0; i < r->n_expect_status; i++)
        if (r->expect_status[i] == status)
            return 1;
    return 0;
}

static uint64_t info_us(CURL *e, CURLINFO what)
{
    curl_off_t v = 0;

    curl_easy_getinfo(e, what, &v);
    return v > 0 ? (uint64_t)v : 0;
}

void pg_answer_outcome_curl(pg_slot *s, CURLcode code, pg_outcome *o)
{
    long connects = 0, hsize = 0, rsize = 0;

    memset(o, 0, sizeof *o);
    o->fail = code == CURLE_OK ? PG_FAIL_KINDS : pg_answer_kind(code);
    if (code == CURLE_OK)
        curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &o->status);
    o->total_us = info_us(s->easy, CURLINFO_TOTAL_TIME_T);
    o->ttfb_us = info_us(s->easy, CURLINFO_STARTTRANSFER_TIME_T);
    curl_easy_getinfo(s->easy, CURLINFO_NUM_CONNECTS, &connects);
    o->new_connection = connects > 0;
    if (o->new_connection) {
        o->connect_us = info_us(s->easy, CURLINFO_CONNECT_TIME_T);
        o->tls_us = info_us(s->easy, CURLINFO_APPCONNECT_TIME_T);
    }
    curl_easy_getinfo(s->easy, CURLINFO_HEADER_SIZE, &hsize);
    curl_easy_getinfo(s->easy, CURLINFO_REQUEST_SIZE, &rsize);
    o->header_bytes = hsize > 0 ? (uint64_t)hsize : 0;
    o->request_bytes = rsize > 0 ? (uint64_t)rsize : 0;
    o->body_bytes = info_us(s->easy, CURLINFO_SIZE_DOWNLOAD_T);
    o->error = s->errbuf[0] ? s->errbuf : curl_easy_strerror(code);
}

void pg_answer_outcome_h1(pg_slot *s, pg_outcome *o)
{
    const pg_h1 *h = &s->h1;
    uint64_t end = h->done_ns > h->start_ns ? h->done_ns : h->start_ns;

    memset(o, 0, sizeof *o);
    o->fail = h->fail;
    o->status = h->fail == PG_FAIL_KINDS ? (long)h->parser.status_code : 0;
    o->total_us = (end - h->start_ns) / 1000u;
    o->ttfb_us = h->first_byte_ns ? (h->first_byte_ns - h->start_ns) / 1000u : 0;
    o->new_connection = !h->reused;
    if (o->new_connection && h->connected_ns)
        o->connect_us = (h->connected_ns - h->start_ns) / 1000u;
    o->header_bytes = h->header_bytes;
    o->body_bytes = h->body_bytes;
    o->request_bytes = h->head_len;
    o->error = s->errbuf;
}

/* A stream that ended well: its length, and its events and tokens per second. */
static void record_stream(pg_trial *t, const pg_slot *s, const pg_request *r, uint64_t raw_us)
{
    double secs = (double)raw_us / 1e6;

    t->sse_streams++;
    t->sse_tokens += s->sse_tokens;
    pg_hist_record(&t->sse_stream, raw_us);
    if (secs <= 0.0)
        return;
    pg_hist_record(&t->sse_eps,
                   (uint64_t)llround(PG_PER_SECOND_SCALE * (double)s->sse_events / secs));
    if (r->tokens_field)
        pg_hist_record(&t->sse_tps,
                       (uint64_t)llround(PG_PER_SECOND_SCALE * (double)s->sse_tokens / secs));
}

/* Keeps the first failure of each kind in words, for the console and the
 * results: "Failed to connect to 127.0.0.1 port 9: Connection refused" says
 * more than a count. */
static void keep_example(pg_worker *w, const pg_request *r, pg_fail_kind fail, const pg_outcome *o)
{
    char *ex = w->example[fail];

    if (fail == PG_FAIL_STATUS)
        snprintf(ex, PG_FAIL_EXAMPLE, "%s %s answered %ld", r->method, r->path, o->status);
    else if (fail == PG_FAIL_EXPECT)
        snprintf(ex, PG_FAIL_EXAMPLE, "%s %s: the body did not contain the expected text",
                 r->method, r->path);
    else
        snprintf(ex, PG_FAIL_EXAMPLE, "%s", o->error);
}

int pg_answer_record(pg_worker *w, pg_slot *s, const pg_outcome *o)
{
    const pg_prepared_request *pr = &w->cfg.plan->scenarios[s->scenario].requests[s->step];
    const pg_request *r = pr->req;
    pg_trial *t = s->trial >= 0 ? &w->trials[s->trial] : NULL;
    long status = o->status;
    uint64_t raw_us = 0, corrected_us = 0, first_try_us = 0, now = pg_now_ns();
    pg_fail_kind fail = o->fail;
    int answered = o->fail == PG_FAIL_KINDS;
    pg_live_second *sec = &w->live.second[((now - w->cfg.second0_ns) / 1000000000ull) & 1];
    int checks = 0, checks_failed = 0, go_on = 0;
    char why[PG_FAIL_EXAMPLE] = "";

    if (answered) {
        /* a second try: from the first send */
        first_try_us = s->retried ? (s->retry_ns - s->sent_ns) / 1000u : 0;
        raw_us = o->total_us + first_try_us;
        corrected_us = raw_us + (s->sent_ns - s->intended_ns) / 1000u;
        if (r->n_expect_status)
            checks++;
        if (!status_expected(r, status)) {
            fail = PG_FAIL_STATUS;
            checks_failed += r->n_expect_status ? 1 : 0;
        }
        if (r->expect_body_contains) {
            checks++;
            if (!memmem(s->body ? s->body : "", s->body_len, r->expect_body_contains,
                        strlen(r->expect_body_contains))) {
                checks_failed++;
                if (fail == PG_FAIL_KINDS)
                    fail = PG_FAIL_EXPECT;
            }
        }
    }
    if (r->n_extracts && fail == PG_FAIL_KINDS) {
        if (s->body)
            s->body[s->body_len] = '\0'; /* the buffer has room for it */
        if (pg_flow_extract(&s->flow, r, s->easy, s->body, s->body_len, why, sizeof why) != 0)
            fail = PG_FAIL_EXTRACT;
    }
    if (r->n_extracts && fail != PG_FAIL_KINDS)
        go_on = -1;
    if (fail == PG_FAIL_EXTRACT && !w->example[fail][0])
        snprintf(w->example[fail], PG_FAIL_EXAMPLE, "%s", why);
    else if (fail != PG_FAIL_KINDS && !w->example[fail][0])
        keep_example(w, r, fail, o);
    pg_live_add(&w->live.requests, 1);
    pg_live_add(&sec->requests, 1);
    if (checks) {
        pg_live_add(&sec->checks, (uint64_t)checks);
        pg_live_add(&sec->checks_failed, (uint64_t)checks_failed);
    }
    if (fail != PG_FAIL_KINDS) {
        pg_live_add(&w->live.failed, 1);
        pg_live_add(&sec->failed, 1);
        if (!pg_fail_kind_answered[fail])
            pg_live_add(&sec->unanswered, 1);
    }
    if (answered)
        atomic_fetch_add_explicit(&sec->counts[pg_hist_bucket_of(corrected_us)], 1,
                                  memory_order_relaxed);
    if (!t)
        return go_on;
    t->requests++;
    t->checks += (uint64_t)checks;
    t->checks_failed += (uint64_t)checks_failed;
    if (fail != PG_FAIL_KINDS) {
        t->failed++;
        t->fails[fail]++;
    }
    t->status[status > 0 && status < PG_STATUS_CODES ? status : 0]++;
    t->bytes_in += o->header_bytes + o->body_bytes;
    t->bytes_out += o->request_bytes + (r->body ? s->sent_body : 0);
    t->sse_events += s->sse_events;
    if (!answered)
        return go_on; /* no response: no latency to record (counted as a failure above) */
    if (s->sse_on)
        record_stream(t, s, r, raw_us);
    pg_hist_record(&t->duration, corrected_us);
    pg_hist_record(&t->duration_raw, raw_us);
    pg_hist_record(&t->waiting, o->ttfb_us + first_try_us);
    pg_hist_record(&t->by_scenario[s->scenario], corrected_us);
    pg_hist_record(&t->by_name[pr->name_index], corrected_us);
    for (size_t f = 0; f < w->cfg.plan->n_filters; f++)
        if (pg_prepared_filter_takes(&w->cfg.plan->filters[f], s->scenario, pr, status,
                                     status_expected(r, status)))
            pg_hist_record(&t->by_filter[f], corrected_us);
    if (o->new_connection) {
        pg_hist_record(&t->connecting, o->connect_us);
        if (o->tls_us > o->connect_us)
            pg_hist_record(&t->tls, o->tls_us - o->connect_us);
    }
    return go_on;
}
