/* worker.c — one load-generating thread (see worker.h and engine.h).
 *
 * The loop: start what the schedule says is due, let libcurl move bytes,
 * record what completed, and wait for the next socket event or the next due
 * start (a timerfd armed in absolute CLOCK_MONOTONIC time, so starts are not
 * rounded to milliseconds). Two drivers: curl_multi_poll (default, measured
 * faster) and curl_multi_socket_action on epoll.
 *
 * A slot is an easy handle plus the iteration it is running. Closed model:
 * one slot per virtual user, which loops through scenarios with think time.
 * Open model: iterations start at their scheduled (intended) time on any free
 * slot; latency counts from the intended time (coordinated omission
 * corrected, as wrk2 does); an iteration that cannot start before it would
 * have timed out is dropped and counted in dropped_iterations. */
#define _GNU_SOURCE /* memmem */
#include "engine/worker.h"
#include "common/clock.h"
#include "common/rng.h"
#include "engine/flow.h"
#include "engine/sse.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NEVER UINT64_MAX
#define RAMP_TICK_NS 10000000ull /* closed ramps re-check the VU count every 10 ms */
#define STOP_CHECK_NS 100000000ull
#define BEHIND_NS 2000000ull
#define SSE_TEXT_MAX 8192 /* event text kept for counting tokens; longer events count none */

typedef enum { SLOT_IDLE, SLOT_BUSY, SLOT_THINKING } slot_state;

typedef struct pg_slot {
    CURL *easy;        /* plain or jar: the one this iteration's scenario wants */
    CURL *plain, *jar; /* jar: the cookie engine on (NULL unless a scenario has "cookies") */
    struct pg_worker *w;
    slot_state state;
    size_t vu; /* closed: local VU number k (global index gindex + k*gstride) */
    size_t scenario, step;
    int trial; /* -1: warm-up, not recorded */
    uint64_t iter_intended_ns, intended_ns, sent_ns;
    const pg_prepared_request *configured; /* request the easy handle is set up for */
    char *body;
    size_t body_len, body_cap;
    char errbuf[CURL_ERROR_SIZE]; /* libcurl's words for the last failure */
    /* the answer read as Server-Sent Events */
    pg_sse sse;
    int sse_checked, sse_on;         /* the answer's type looked at; it is a stream */
    uint64_t sse_chunk_ns;           /* when the body piece being parsed arrived */
    uint64_t sse_last_ns;            /* when the previous event arrived */
    uint64_t sse_events, sse_tokens; /* of this stream */
    pg_flow flow;                    /* rendered requests, extracted values, data record */
    size_t sent_body;                /* bytes of the body sent */
} pg_slot;

struct pg_worker {
    pg_worker_cfg cfg;
    CURLM *multi;
    int epfd, tfd;
    uint64_t armed_ns, curl_deadline_ns;
    pg_slot *slots;
    size_t n_slots, busy;
    size_t *free_slots, n_free; /* open model: stack of idle slots */
    pg_heap thinkers;           /* closed model: slots in think time */
    size_t active_vus;          /* closed model: local VUs that should run */
    size_t prev_active;         /* closed model: active_vus at the last schedule */
    pg_trial *trials;
    pg_live live;
    uint64_t rng;
    /* open model */
    pg_arrivals warm, main;
    int in_warm, have_arrival;
    int starved; /* the last due start found no free slot: lateness is the target's */
    uint64_t arrival_ns, drop_after_ns;
    int stopping, interrupted, ended;
    uint64_t started, behind;
    char stop_reason[256]; /* why this worker stopped the run ("" when it did not) */
    char example[PG_FAIL_KINDS][PG_FAIL_EXAMPLE]; /* first failure of each kind, in words */
};

static double uniform01(pg_worker *w)
{
    return pg_rng_uniform(&w->rng);
}

/* --- libcurl callbacks ---------------------------------------------------- */

static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
    pg_worker *w = userp;
    struct epoll_event ev;

    (void)e;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(w->epfd, EPOLL_CTL_DEL, s, NULL);
        return 0;
    }
    memset(&ev, 0, sizeof ev);
    ev.data.fd = s;
    ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
    if (!socketp) {
        curl_multi_assign(w->multi, s, w);
        if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, s, &ev) == 0 || errno != EEXIST)
            return 0;
    }
    epoll_ctl(w->epfd, EPOLL_CTL_MOD, s, &ev);
    return 0;
}

static int on_timer(CURLM *m, long timeout_ms, void *userp)
{
    pg_worker *w = userp;

    (void)m;
    w->curl_deadline_ns = timeout_ms < 0 ? NEVER : pg_now_ns() + (uint64_t)timeout_ms * 1000000ull;
    return 0;
}

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

static int is_event_stream(CURL *e)
{
    const char *type = NULL;

    curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &type);
    return type && strncasecmp(type, "text/event-stream", 17) == 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    pg_slot *s = arg;
    size_t len = size * n;

    if (!s->sse_checked) {
        s->sse_checked = 1;
        s->sse_on = s->configured->req->sse || is_event_stream(s->easy);
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

/* --- requests --------------------------------------------------------------- */

/* Sets the easy handle up for pr; a dynamic request is rendered anew each
 * time (after the method, which would reset its body). -1 when rendering
 * ran out of memory. */
static int configure(pg_worker *w, pg_slot *s, const pg_prepared_request *pr)
{
    const pg_request *r = pr->req;
    CURL *e = s->easy;

    s->sent_body = r->body_len;
    if (s->configured != pr) {
        curl_easy_setopt(e, CURLOPT_URL, pr->url);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, pr->headers);
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, NULL);
        curl_easy_setopt(e, CURLOPT_NOBODY, 0L);
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        if (r->body) {
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
            if (strcmp(r->method, "POST") != 0)
                curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
        } else if (pr->is_head) {
            curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        } else if (strcmp(r->method, "GET") != 0) {
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
        }
        s->configured = pr;
    }
    if (!r->dynamic)
        return 0;
    if (pg_flow_render(&s->flow, w->cfg.plan, pr, &w->rng) != 0)
        return -1;
    curl_easy_setopt(e, CURLOPT_URL, pg_buf_str(&s->flow.url));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->n_headers ? s->flow.header_nodes : NULL);
    if (r->body_tpl.dynamic) {
        s->sent_body = s->flow.body.len;
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)s->flow.body.len);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->flow.body.data);
    }
    return 0;
}

static int trial_of(const pg_worker *w, uint64_t intended)
{
    uint64_t k;

    if (intended < w->cfg.measure_ns)
        return -1;
    k = (intended - w->cfg.measure_ns) / w->cfg.trial_ns;
    return k < w->cfg.n_trials ? (int)k : (int)w->cfg.n_trials - 1;
}

/* Ends the run from inside a worker (a data set ran out, memory did): the
 * others see the flag as they see an interruption; the reason makes the
 * run aborted, so it cannot pass. */
static void stop_run(pg_worker *w, const char *why)
{
    if (!w->stop_reason[0])
        snprintf(w->stop_reason, sizeof w->stop_reason, "%s", why);
    *w->cfg.stop = 1;
}

/* Steps past requests that have given their "scope": "vu" values already. */
static void skip_done_steps(pg_worker *w, pg_slot *s)
{
    const pg_prepared_scenario *ps = &w->cfg.plan->scenarios[s->scenario];

    while (s->step < ps->n_requests && pg_flow_skip(&s->flow, ps, s->step))
        s->step++;
}

static int start_request(pg_worker *w, pg_slot *s, uint64_t intended)
{
    const pg_prepared_request *pr = &w->cfg.plan->scenarios[s->scenario].requests[s->step];

    if (configure(w, s, pr) != 0) {
        stop_run(w, "out of memory rendering a request");
        return -1;
    }
    s->body_len = 0;
    s->errbuf[0] = '\0';
    s->sse_checked = s->sse_on = 0;
    s->sse_events = s->sse_tokens = 0;
    pg_sse_reset(&s->sse);
    s->intended_ns = intended;
    s->sent_ns = pg_now_ns();
    s->state = SLOT_BUSY;
    w->busy++;
    curl_multi_add_handle(w->multi, s->easy);
    return 0;
}

/* The iteration's cookie jar: the virtual user's own (closed model), or a
 * new one for each iteration (open model: iterations belong to no user). */
static void choose_handle(pg_worker *w, pg_slot *s, const pg_scenario *sc)
{
    CURL *want = sc->cookies ? s->jar : s->plain;

    if (want != s->easy) {
        s->easy = want;
        s->configured = NULL;
    }
    if (sc->cookies && w->cfg.load->open_model)
        curl_easy_setopt(s->easy, CURLOPT_COOKIELIST, "ALL");
}

/* 0 when the iteration started; -1 when it could not (the slot stays idle). */
static int start_iteration(pg_worker *w, pg_slot *s, uint64_t intended)
{
    const pg_prepared_scenario *ps;
    const pg_scenario *sc;

    s->scenario = pg_prepared_pick(w->cfg.plan, uniform01(w));
    ps = &w->cfg.plan->scenarios[s->scenario];
    sc = ps->sc;
    pg_flow_begin(&s->flow, w->cfg.plan, sc, w->cfg.gindex + w->started * w->cfg.gstride);
    if (sc->data >= 0 &&
        pg_feed_next(w->cfg.feed, s->flow.data, (size_t)sc->data, &w->rng, &s->flow.record) != 0) {
        char why[256];
        snprintf(why, sizeof why,
                 "data set \"%s\" ran out: each of its %zu records was used once (\"order\": "
                 "\"unique\"); add records or shorten the run",
                 s->flow.data->name, s->flow.data->n_records);
        stop_run(w, why);
        return -1;
    }
    choose_handle(w, s, sc);
    s->step = 0;
    skip_done_steps(w, s);
    s->iter_intended_ns = intended;
    s->trial = trial_of(w, intended);
    w->started++;
    return start_request(w, s, intended);
}

static pg_fail_kind classify(CURLcode c)
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
static void keep_example(pg_worker *w, const pg_slot *s, const pg_request *r, pg_fail_kind fail,
                         CURLcode code, long status)
{
    char *ex = w->example[fail];

    if (fail == PG_FAIL_STATUS)
        snprintf(ex, PG_FAIL_EXAMPLE, "%s %s answered %ld", r->method, r->path, status);
    else if (fail == PG_FAIL_EXPECT)
        snprintf(ex, PG_FAIL_EXAMPLE, "%s %s: the body did not contain the expected text",
                 r->method, r->path);
    else
        snprintf(ex, PG_FAIL_EXAMPLE, "%s", s->errbuf[0] ? s->errbuf : curl_easy_strerror(code));
}

/* Records one finished request into its trial and the live counters.
 * 0 when the iteration goes on; -1 when a value it extracts was not in the
 * answer (the requests after it would go out without it). */
static int record(pg_worker *w, pg_slot *s, CURLcode code)
{
    const pg_prepared_request *pr = &w->cfg.plan->scenarios[s->scenario].requests[s->step];
    const pg_request *r = pr->req;
    pg_trial *t = s->trial >= 0 ? &w->trials[s->trial] : NULL;
    long status = 0, connects = 0, hsize = 0, rsize = 0;
    uint64_t raw_us = 0, corrected_us = 0, now = pg_now_ns();
    pg_fail_kind fail = PG_FAIL_KINDS;
    pg_live_second *sec = &w->live.second[((now - w->cfg.second0_ns) / 1000000000ull) & 1];
    int checks = 0, checks_failed = 0, go_on = 0;
    char why[PG_FAIL_EXAMPLE] = "";

    if (code == CURLE_OK) {
        curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
        raw_us = info_us(s->easy, CURLINFO_TOTAL_TIME_T);
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
    } else {
        fail = classify(code);
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
        keep_example(w, s, r, fail, code, status);
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
    if (code == CURLE_OK)
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
    curl_easy_getinfo(s->easy, CURLINFO_HEADER_SIZE, &hsize);
    curl_easy_getinfo(s->easy, CURLINFO_REQUEST_SIZE, &rsize);
    t->bytes_in += (uint64_t)hsize + info_us(s->easy, CURLINFO_SIZE_DOWNLOAD_T);
    t->bytes_out += (uint64_t)rsize + (r->body ? s->sent_body : 0);
    t->sse_events += s->sse_events;
    if (code != CURLE_OK)
        return go_on; /* no response: no latency to record (counted as a failure above) */
    if (s->sse_on)
        record_stream(t, s, r, raw_us);
    pg_hist_record(&t->duration, corrected_us);
    pg_hist_record(&t->duration_raw, raw_us);
    pg_hist_record(&t->waiting, info_us(s->easy, CURLINFO_STARTTRANSFER_TIME_T));
    pg_hist_record(&t->by_scenario[s->scenario], corrected_us);
    pg_hist_record(&t->by_name[pr->name_index], corrected_us);
    for (size_t f = 0; f < w->cfg.plan->n_filters; f++)
        if (pg_prepared_filter_takes(&w->cfg.plan->filters[f], s->scenario, pr, status,
                                     status_expected(r, status)))
            pg_hist_record(&t->by_filter[f], corrected_us);
    curl_easy_getinfo(s->easy, CURLINFO_NUM_CONNECTS, &connects);
    if (connects > 0) {
        uint64_t connect = info_us(s->easy, CURLINFO_CONNECT_TIME_T);
        uint64_t app = info_us(s->easy, CURLINFO_APPCONNECT_TIME_T);
        pg_hist_record(&t->connecting, connect);
        if (app > connect)
            pg_hist_record(&t->tls, app - connect);
    }
    return go_on;
}

static void park_or_continue(pg_worker *w, pg_slot *s, uint64_t now);

static void on_done(pg_worker *w, pg_slot *s, CURLcode code)
{
    const pg_prepared_scenario *sc = &w->cfg.plan->scenarios[s->scenario];
    uint64_t now;

    int go_on;

    curl_multi_remove_handle(w->multi, s->easy);
    w->busy--;
    go_on = record(w, s, code) == 0;
    now = pg_now_ns();
    if (go_on) {
        s->step++;
        skip_done_steps(w, s);
    }
    if (go_on && s->step < sc->n_requests && !w->stopping && now < w->cfg.end_ns &&
        start_request(w, s, now) == 0)
        return;
    if (s->step == sc->n_requests && s->trial >= 0) {
        w->trials[s->trial].iterations++;
        pg_hist_record(&w->trials[s->trial].iteration, (now - s->iter_intended_ns) / 1000u);
    }
    s->state = SLOT_IDLE;
    if (w->cfg.load->open_model)
        w->free_slots[w->n_free++] = (size_t)(s - w->slots);
    else
        park_or_continue(w, s, now);
}

static void drain(pg_worker *w)
{
    CURLMsg *m;
    int left;

    while ((m = curl_multi_info_read(w->multi, &left))) {
        pg_slot *s = NULL;
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
        on_done(w, s, m->data.result);
    }
}

/* --- schedules ---------------------------------------------------------------- */

static void park_or_continue(pg_worker *w, pg_slot *s, uint64_t now)
{
    const pg_scenario *sc = w->cfg.plan->scenarios[s->scenario].sc;
    uint64_t think;

    if (w->stopping || now >= w->cfg.end_ns || s->vu >= w->active_vus)
        return; /* stays idle: ramped down, or the run is over */
    think = sc->think_min_us;
    if (sc->think_max_us > sc->think_min_us)
        think += (uint64_t)(uniform01(w) * (double)(sc->think_max_us - sc->think_min_us));
    if (!think) {
        start_iteration(w, s, now);
        return;
    }
    s->state = SLOT_THINKING;
    pg_heap_push(&w->thinkers, now + think * 1000u, s);
}

/* Local VUs of this worker among the first `total` global ones. */
static size_t local_share(const pg_worker *w, long total)
{
    if (total <= (long)w->cfg.gindex)
        return 0;
    return ((size_t)total - w->cfg.gindex + w->cfg.gstride - 1) / w->cfg.gstride;
}

static uint64_t schedule_closed(pg_worker *w, uint64_t now)
{
    const pg_load *l = w->cfg.load;
    long total = now < w->cfg.measure_ns ? (long)pg_schedule_warmup_level(l)
                                         : pg_schedule_vus_at(l, (now - w->cfg.measure_ns) / 1000u);
    size_t want = local_share(w, total);

    if (want > w->n_slots)
        want = w->n_slots;
    w->active_vus = want;
    /* Active VUs restart themselves when an iteration ends; only VUs that
     * became active since the last look need a start here. */
    for (size_t k = w->prev_active; k < want; k++)
        if (w->slots[k].state == SLOT_IDLE)
            start_iteration(w, &w->slots[k], now);
    w->prev_active = want;
    while (w->thinkers.n && pg_heap_top(&w->thinkers)->due <= now) {
        pg_slot *s = pg_heap_pop(&w->thinkers).item;
        s->state = SLOT_IDLE;
        if (s->vu < w->active_vus)
            start_iteration(w, s, now);
    }
    {
        uint64_t next = w->thinkers.n ? pg_heap_top(&w->thinkers)->due : NEVER;
        if (l->executor == PG_EXEC_RAMPING_VUS && now + RAMP_TICK_NS < next)
            next = now + RAMP_TICK_NS;
        if (now < w->cfg.measure_ns && w->cfg.measure_ns < next)
            next = w->cfg.measure_ns;
        return next;
    }
}

static void advance_arrival(pg_worker *w)
{
    uint64_t t;

    if (w->in_warm) {
        if (pg_arrivals_next(&w->warm, &t) == 0) {
            w->arrival_ns = w->cfg.t0_ns + t * 1000u;
            return;
        }
        w->in_warm = 0;
    }
    if (pg_arrivals_next(&w->main, &t) == 0) {
        w->arrival_ns = w->cfg.measure_ns + t * 1000u;
        return;
    }
    w->have_arrival = 0;
}

/* The iteration due at arrival_ns will not run. */
static void count_dropped(pg_worker *w, uint64_t now)
{
    int trial = trial_of(w, w->arrival_ns);

    pg_live_add(&w->live.dropped, 1);
    pg_live_add(&w->live.second[((now - w->cfg.second0_ns) / 1000000000ull) & 1].dropped, 1);
    if (trial >= 0)
        w->trials[trial].dropped++;
}

static uint64_t schedule_open(pg_worker *w, uint64_t now)
{
    while (w->have_arrival && w->arrival_ns <= now) {
        if (w->n_free) {
            pg_slot *s = &w->slots[w->free_slots[--w->n_free]];
            if (!w->starved && now - w->arrival_ns > BEHIND_NS)
                w->behind++;
            if (start_iteration(w, s, w->arrival_ns) != 0)
                w->free_slots[w->n_free++] = (size_t)(s - w->slots);
        } else if (now - w->arrival_ns > w->drop_after_ns) {
            count_dropped(w, now);
        } else {
            w->starved = 1;
            return NEVER; /* wait for a slot; a completion wakes us */
        }
        advance_arrival(w);
    }
    if (w->n_free)
        w->starved = 0;
    return w->have_arrival ? w->arrival_ns : NEVER;
}

/* --- the loop ------------------------------------------------------------------- */

static void arm(pg_worker *w, uint64_t at)
{
    struct itimerspec its;

    if (at == w->armed_ns)
        return;
    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = (time_t)(at / 1000000000ull);
    its.it_value.tv_nsec = (long)(at % 1000000000ull);
    timerfd_settime(w->tfd, TFD_TIMER_ABSTIME, &its, NULL);
    w->armed_ns = at;
}

static void abort_in_flight(pg_worker *w)
{
    for (size_t i = 0; i < w->n_slots; i++) {
        if (w->slots[i].state == SLOT_BUSY) {
            curl_multi_remove_handle(w->multi, w->slots[i].easy);
            w->slots[i].state = SLOT_IDLE;
        }
    }
    w->busy = 0;
}

/* One pass of the schedule: starts what is due; returns when to look again,
 * or 0 when the run is over and nothing is in flight. */
static uint64_t schedule(pg_worker *w, uint64_t now)
{
    uint64_t grace_ns = w->cfg.load->timeout_us * 1000u, next;

    if (*w->cfg.stop && !w->stopping) {
        w->stopping = 1;
        w->interrupted = now < w->cfg.end_ns;
        abort_in_flight(w); /* stop at once: an interrupted run must not wait for slow answers */
    }
    if (!w->stopping && now >= w->cfg.end_ns && !w->ended) {
        w->ended = 1;
        /* Starts that were due but still waiting for a connection when the
         * schedule ended never ran: count them as dropped, not as nothing. */
        while (w->cfg.load->open_model && w->have_arrival) {
            count_dropped(w, now);
            advance_arrival(w);
        }
    }
    if (w->stopping || now >= w->cfg.end_ns) {
        if (!w->busy || now >= w->cfg.end_ns + grace_ns) {
            abort_in_flight(w);
            return 0;
        }
        next = w->cfg.end_ns + grace_ns;
    } else if (now < w->cfg.t0_ns) {
        next = w->cfg.t0_ns;
    } else {
        next = w->cfg.load->open_model ? schedule_open(w, now) : schedule_closed(w, now);
        if (w->cfg.end_ns < next)
            next = w->cfg.end_ns;
    }
    if (now + STOP_CHECK_NS < next)
        next = now + STOP_CHECK_NS;
    return next;
}

/* Event loop on curl_multi_socket_action: epoll tells which sockets are ready. */
static void run_socket_loop(pg_worker *w)
{
    struct epoll_event ev[64];
    int running = 0;

    for (;;) {
        uint64_t now = pg_now_ns(), next = schedule(w, now);
        int n;

        if (!next)
            return;
        if (w->curl_deadline_ns <= now) {
            w->curl_deadline_ns = NEVER;
            curl_multi_socket_action(w->multi, CURL_SOCKET_TIMEOUT, 0, &running);
            drain(w);
            continue;
        }
        if (w->curl_deadline_ns < next)
            next = w->curl_deadline_ns;
        arm(w, next);
        n = epoll_wait(w->epfd, ev, 64, -1);
        for (int i = 0; i < n; i++) {
            int fd = ev[i].data.fd, flags = 0;
            if (fd == w->tfd) {
                uint64_t expirations;
                if (read(w->tfd, &expirations, sizeof expirations) < 0)
                    (void)0; /* nothing to do: the timer only wakes us */
                w->armed_ns = 0;
                continue;
            }
            if (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                flags |= CURL_CSELECT_IN;
            if (ev[i].events & EPOLLOUT)
                flags |= CURL_CSELECT_OUT;
            if (ev[i].events & EPOLLERR)
                flags |= CURL_CSELECT_ERR;
            curl_multi_socket_action(w->multi, fd, flags, &running);
        }
        drain(w);
    }
}

/* Event loop on curl_multi_perform + curl_multi_poll, with the timerfd as an
 * extra descriptor so scheduled starts still wake it to the microsecond. */
static void run_poll_loop(pg_worker *w)
{
    struct curl_waitfd timer = {w->tfd, CURL_WAIT_POLLIN, 0};
    int running = 0;

    for (;;) {
        uint64_t now, next, expirations, started = w->started;

        curl_multi_perform(w->multi, &running);
        drain(w); /* may start next steps, or put VUs into think time */
        now = pg_now_ns();
        /* schedule after draining, so a VU that just began thinking is waited for */
        if (!(next = schedule(w, now)))
            return;
        if (w->started != started || next <= now)
            continue; /* new transfers: let curl send them now */
        arm(w, next);
        curl_multi_poll(w->multi, &timer, 1, (int)((next - now) / 1000000u) + 1, NULL);
        if (read(w->tfd, &expirations, sizeof expirations) > 0)
            w->armed_ns = 0;
    }
}

void *pg_worker_main(void *arg)
{
    pg_worker *w = arg;

    if (w->cfg.socket_loop)
        run_socket_loop(w);
    else
        run_poll_loop(w);
    atomic_store(&w->live.done, 1);
    return NULL;
}

/* --- set-up ------------------------------------------------------------------------ */

static CURL *new_easy(pg_worker *w, pg_slot *s)
{
    const pg_load *l = w->cfg.load;
    CURL *e = curl_easy_init();

    if (!e)
        return NULL;
    curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)s);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(l->timeout_us / 1000u));
    curl_easy_setopt(e, CURLOPT_USERAGENT, "perfgate/" PERFGATE_VERSION);
    /* The target is given explicitly: do not consult *_proxy variables on every request. */
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    if (l->http2)
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                         strncmp(w->cfg.plan->budget->target, "https", 5) == 0
                             ? (long)CURL_HTTP_VERSION_2TLS
                             : (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    else
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    if (l->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return e;
}

static int setup_slot(pg_worker *w, pg_slot *s, size_t max_body)
{
    s->w = w;
    if (!(s->plain = s->easy = new_easy(w, s)))
        return -1;
    /* the cookie engine on, with no file to read: a jar in memory */
    if (w->cfg.plan->any_cookies && (!(s->jar = new_easy(w, s)) ||
                                     curl_easy_setopt(s->jar, CURLOPT_COOKIEFILE, "") != CURLE_OK))
        return -1;
    if (w->cfg.plan->any_keep_body && !(s->body = malloc(max_body + 1)))
        return -1;
    s->body_cap = s->body ? max_body : 0;
    if (pg_flow_init(&s->flow, w->cfg.plan) != 0)
        return -1;
    return pg_sse_init(&s->sse, w->cfg.plan->any_tokens ? SSE_TEXT_MAX : 0);
}

int pg_worker_new(pg_worker **out, const pg_worker_cfg *cfg, pg_err *err)
{
    const pg_load *l = cfg->load;
    pg_worker *w = calloc(1, sizeof *w);
    size_t conns;
    struct epoll_event ev;

    *out = NULL;
    if (!w)
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    w->cfg = *cfg;
    w->epfd = w->tfd = -1;
    w->curl_deadline_ns = NEVER;
    w->rng = (cfg->seed + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t)cfg->gindex << 32);
    if (!w->rng)
        w->rng = 1;
    conns = ((size_t)l->max_connections + cfg->gstride - 1) / cfg->gstride;
    if (!conns)
        conns = 1;
    w->n_slots = l->open_model ? conns : local_share(w, cfg->peak_vus);
    if (!w->n_slots)
        w->n_slots = 1;
    if (!(w->slots = calloc(w->n_slots, sizeof *w->slots)) ||
        !(w->free_slots = calloc(w->n_slots, sizeof *w->free_slots)) ||
        !(w->trials = calloc(cfg->n_trials, sizeof *w->trials)) ||
        pg_heap_init(&w->thinkers, w->n_slots) != 0)
        goto oom;
    for (size_t i = 0; i < cfg->n_trials; i++) {
        if (pg_trial_init(&w->trials[i], cfg->plan->n_scenarios, cfg->plan->n_names, err) != 0 ||
            pg_trial_add_filters(&w->trials[i], cfg->plan->n_filters, err) != 0)
            goto fail;
        w->trials[i].duration_s = (double)cfg->trial_ns / 1e9;
    }
    if ((w->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
        (w->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) < 0) {
        pg_err_set(err, PG_ERUN, "cannot create epoll/timerfd: %s", strerror(errno));
        goto fail;
    }
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.fd = w->tfd;
    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->tfd, &ev);
    if (!(w->multi = curl_multi_init()))
        goto oom;
    if (cfg->socket_loop) {
        curl_multi_setopt(w->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
        curl_multi_setopt(w->multi, CURLMOPT_SOCKETDATA, w);
        curl_multi_setopt(w->multi, CURLMOPT_TIMERFUNCTION, on_timer);
        curl_multi_setopt(w->multi, CURLMOPT_TIMERDATA, w);
    }
    curl_multi_setopt(w->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)conns);
    curl_multi_setopt(w->multi, CURLMOPT_MAXCONNECTS, (long)conns);
    for (size_t i = 0; i < w->n_slots; i++) {
        w->slots[i].vu = i;
        if (setup_slot(w, &w->slots[i], l->max_body) != 0)
            goto oom;
        w->free_slots[w->n_free++] = w->n_slots - 1 - i;
    }
    if (l->open_model) {
        double warm_rate = pg_schedule_warmup_level(l);
        uint64_t warm_us = (cfg->measure_ns - cfg->t0_ns) / 1000u;
        pg_arrivals_init_flat(&w->warm, warm_rate, cfg->gindex, cfg->gstride, warm_us);
        pg_arrivals_init(&w->main, l, cfg->gindex, cfg->gstride,
                         (cfg->end_ns - cfg->measure_ns) / 1000u);
        w->in_warm = warm_us > 0;
        w->have_arrival = 1;
        w->drop_after_ns = l->timeout_us * 1000u;
        advance_arrival(w);
    }
    *out = w;
    return PG_OK;
oom:
    pg_err_set(err, PG_ENOMEM, "out of memory setting up a worker");
fail:
    pg_worker_free(w);
    return err->code ? err->code : PG_ENOMEM;
}

void pg_worker_free(pg_worker *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_slots; i++) {
        pg_slot *s = &w->slots[i];
        if (s->easy && w->multi && s->state == SLOT_BUSY)
            curl_multi_remove_handle(w->multi, s->easy);
        if (s->plain)
            curl_easy_cleanup(s->plain);
        if (s->jar)
            curl_easy_cleanup(s->jar);
        free(s->body);
        pg_sse_free(&s->sse);
        pg_flow_free(&s->flow);
    }
    if (w->multi)
        curl_multi_cleanup(w->multi);
    if (w->trials)
        for (size_t i = 0; i < w->cfg.n_trials; i++)
            pg_trial_clear(&w->trials[i]);
    free(w->trials);
    free(w->slots);
    free(w->free_slots);
    pg_heap_free(&w->thinkers);
    if (w->epfd >= 0)
        close(w->epfd);
    if (w->tfd >= 0)
        close(w->tfd);
    free(w);
}

pg_live *pg_worker_live(pg_worker *w)
{
    return &w->live;
}

pg_trial *pg_worker_trials(pg_worker *w)
{
    return w->trials;
}

int pg_worker_interrupted(const pg_worker *w)
{
    return w->interrupted;
}

uint64_t pg_worker_behind(const pg_worker *w)
{
    return w->behind;
}

uint64_t pg_worker_started(const pg_worker *w)
{
    return w->started;
}

const char *pg_worker_stop_reason(const pg_worker *w)
{
    return w->stop_reason;
}

const char *pg_worker_fail_example(const pg_worker *w, int kind)
{
    return w->example[kind];
}
