/* worker.c — one load-generating thread (see worker.h and engine.h).
 *
 * The loop: start what the schedule says is due, let libcurl move bytes,
 * record what completed, and wait for the next socket event or the next due
 * start (a timerfd armed in absolute CLOCK_MONOTONIC time, so starts are not
 * rounded to milliseconds), with curl_multi_poll. (curl_multi_socket_action
 * on epoll measured slower here, 0.59x wrk against 0.72x at 50 connections:
 * libcurl removes and re-adds each socket around every transfer, an
 * epoll_ctl pair per request; it was removed.)
 *
 * A slot is an easy handle plus the iteration it is running. Closed model:
 * one slot per virtual user, which loops through scenarios with think time.
 * Open model: iterations start at their scheduled (intended) time on any free
 * slot; latency counts from the intended time (coordinated omission
 * corrected, as wrk2 does); an iteration that cannot start before it would
 * have timed out is dropped and counted in dropped_iterations. */
#include "engine/worker.h"
#include "common/clock.h"
#include "common/curl_init.h"
#include "common/rng.h"
#include "engine/answer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NEVER UINT64_MAX
#define RAMP_TICK_NS 10000000ull /* closed ramps re-check the VU count every 10 ms */
#define STOP_CHECK_NS 100000000ull
#define BEHIND_NS 2000000ull

static double uniform01(pg_worker *w)
{
    return pg_rng_uniform(&w->rng);
}

/* --- requests --------------------------------------------------------------- */

/* The plain path: the bytes to send for pr, its static head or one
 * rendered now. -1 when rendering ran out of memory; a URL the path cannot
 * send ends the attempt as libcurl's would (an example in words). */
static int configure_plain(pg_worker *w, pg_slot *s, const pg_prepared_request *pr)
{
    const pg_request *r = pr->req;
    pg_h1 *h = &s->h1;

    s->configured = pr;
    h->body = r->body;
    h->body_len = r->body ? r->body_len : 0;
    if (!r->dynamic) {
        h->head = pr->h1_head.data;
        h->head_len = pr->h1_head.len;
        return 0;
    }
    if (pg_flow_render(&s->flow, w->cfg.plan, pr, &w->rng) != 0)
        return -1;
    if (r->body_tpl.dynamic) {
        s->sent_body = h->body_len = s->flow.body.len;
        h->body = s->flow.body.data;
    }
    pg_buf_truncate(&h->render, 0);
    if (pg_h1_request_head(&h->render, &w->cfg.plan->origin, r->method, pg_buf_str(&s->flow.url),
                           r->n_headers ? s->flow.header_nodes : NULL, r->body != NULL, h->body_len,
                           s->errbuf, sizeof s->errbuf) != 0) {
        h->head = NULL; /* send_attempt ends it as a failure */
        return 0;
    }
    if (pg_buf_failed(&h->render))
        return -1;
    h->head = h->render.data;
    h->head_len = h->render.len;
    return 0;
}

/* Sets the easy handle up for pr; a dynamic request is rendered anew each
 * time (after the method, which would reset its body). -1 when rendering
 * ran out of memory. */
static int configure(pg_worker *w, pg_slot *s, const pg_prepared_request *pr)
{
    const pg_request *r = pr->req;
    CURL *e = s->easy;

    s->sent_body = r->body_len;
    if (w->h1)
        return configure_plain(w, s, pr);
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

/* Hands the slot's transfer to its path, with nothing kept of an earlier one. */
static void send_attempt(pg_worker *w, pg_slot *s)
{
    s->body_len = 0;
    s->sse_checked = s->sse_on = 0;
    s->sse_events = s->sse_tokens = 0;
    pg_sse_reset(&s->sse);
    s->state = PG_SLOT_BUSY;
    w->busy++;
    if (!w->h1) {
        s->errbuf[0] = '\0';
        curl_multi_add_handle(w->multi, s->easy);
    } else if (s->h1.head) {
        s->errbuf[0] = '\0';
        pg_h1_send(w->h1, s, s->retried);
    } else { /* its URL could not be sent: the words are in errbuf already */
        s->h1.fail = PG_FAIL_OTHER;
        w->h1->done[w->h1->n_done++] = s;
    }
}

static int start_request(pg_worker *w, pg_slot *s, uint64_t intended)
{
    const pg_prepared_request *pr = &w->cfg.plan->scenarios[s->scenario].requests[s->step];

    if (configure(w, s, pr) != 0) {
        stop_run(w, "out of memory rendering a request");
        return -1;
    }
    s->intended_ns = intended;
    s->sent_ns = pg_now_ns();
    send_attempt(w, s);
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
    if (start_request(w, s, intended) != 0)
        return -1;
    if (w->cfg.load->open_model && s->trial >= 0)
        pg_hist_record(&w->trials[s->trial].send_late, (s->sent_ns - intended) / 1000u);
    return 0;
}

static void park_or_continue(pg_worker *w, pg_slot *s, uint64_t now);

/* A request that failed on a reused connection before a byte of its answer
 * came (the server closed the connection as the request went out: nginx at
 * keepalive_requests, an idle timeout, an HTTP/2 GOAWAY) most likely never
 * reached the application. An idempotent one is sent once more, on a new
 * connection, as browsers and Go's client do (libcurl's own retries may pick
 * another pooled connection that is closing too). Its latency counts from
 * the first send. */
static int retry_on_new_connection(pg_worker *w, pg_slot *s, const pg_outcome *o)
{
    const pg_request *r = w->cfg.plan->scenarios[s->scenario].requests[s->step].req;

    if (s->retried || w->stopping || o->fail != PG_FAIL_RESET ||
        !pg_http_method_idempotent(r->method) || o->new_connection || o->header_bytes > 0 ||
        o->body_bytes > 0)
        return 0;
    s->retried = 1;
    s->retry_ns = pg_now_ns();
    if (s->trial >= 0)
        w->trials[s->trial].retried++;
    if (!w->h1)
        curl_easy_setopt(s->easy, CURLOPT_FRESH_CONNECT, 1L);
    send_attempt(w, s);
    return 1;
}

static void on_done(pg_worker *w, pg_slot *s, const pg_outcome *o)
{
    const pg_prepared_scenario *sc = &w->cfg.plan->scenarios[s->scenario];
    uint64_t now;

    int go_on;

    w->busy--;
    if (retry_on_new_connection(w, s, o))
        return;
    go_on = pg_answer_record(w, s, o) == 0;
    if (s->retried) {
        s->retried = 0;
        if (!w->h1)
            curl_easy_setopt(s->easy, CURLOPT_FRESH_CONNECT, 0L);
    }
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
    s->state = PG_SLOT_IDLE;
    if (w->cfg.load->open_model)
        w->free_slots[w->n_free++] = (size_t)(s - w->slots);
    else
        park_or_continue(w, s, now);
}

static void drain(pg_worker *w)
{
    CURLMsg *m;
    int left;
    pg_outcome o;

    while ((m = curl_multi_info_read(w->multi, &left))) {
        pg_slot *s = NULL;
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
        pg_answer_outcome_curl(s, m->data.result, &o);
        curl_multi_remove_handle(w->multi, s->easy);
        on_done(w, s, &o);
    }
}

/* The plain path's ended attempts; recording one may start and end more. */
static void drain_plain(pg_worker *w)
{
    pg_outcome o;

    while (w->h1->n_done) {
        pg_slot *s = w->h1->done[--w->h1->n_done];
        pg_answer_outcome_h1(s, &o);
        on_done(w, s, &o);
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
    s->state = PG_SLOT_THINKING;
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
        if (w->slots[k].state == PG_SLOT_IDLE)
            start_iteration(w, &w->slots[k], now);
    w->prev_active = want;
    while (w->thinkers.n && pg_heap_top(&w->thinkers)->due <= now) {
        pg_slot *s = pg_heap_pop(&w->thinkers).item;
        s->state = PG_SLOT_IDLE;
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

/* Arms the timer for at. One armed earlier and not yet fired stays: it
 * wakes the loop a little early, which costs less than a timerfd_settime
 * on every pass. */
static void arm(pg_worker *w, uint64_t at, uint64_t now)
{
    struct itimerspec its;

    if (w->armed_ns > now && w->armed_ns <= at)
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
        if (w->slots[i].state == PG_SLOT_BUSY) {
            if (w->h1)
                pg_h1_abort(w->h1, &w->slots[i]);
            else
                curl_multi_remove_handle(w->multi, w->slots[i].easy);
            w->slots[i].state = PG_SLOT_IDLE;
        }
    }
    if (w->h1)
        w->h1->n_done = 0;
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
        arm(w, next, now);
        curl_multi_poll(w->multi, &timer, 1, (int)((next - now) / 1000000u) + 1, NULL);
        if (read(w->tfd, &expirations, sizeof expirations) > 0)
            w->armed_ns = 0;
    }
}

/* The plain path's loop: epoll over the connections and the timerfd (its
 * event carries no slot), timeouts from the in-flight list. */
static void run_epoll_loop(pg_worker *w)
{
    struct epoll_event ev[256];

    for (;;) {
        uint64_t now = pg_now_ns(), next, expirations;
        int n;

        pg_h1_expire(w->h1, now);
        drain_plain(w);
        if (!(next = schedule(w, now)))
            return;
        if (w->h1->n_done)
            continue; /* attempts that failed as they started */
        if (pg_h1_next_deadline(w->h1) < next)
            next = pg_h1_next_deadline(w->h1);
        now = pg_now_ns();
        if (next <= now)
            continue;
        arm(w, next, now);
        n = epoll_wait(w->h1->epfd, ev, (int)(sizeof ev / sizeof ev[0]),
                       (int)((next - now) / 1000000u) + 1);
        for (int i = 0; i < n; i++) {
            if (ev[i].data.ptr) {
                pg_h1_on_event(w->h1, ev[i].data.ptr, ev[i].events);
            } else if (read(w->tfd, &expirations, sizeof expirations) > 0) {
                w->armed_ns = 0;
            }
        }
        drain_plain(w);
    }
}

void *pg_worker_main(void *arg)
{
    pg_worker *w = arg;

    if (w->h1)
        run_epoll_loop(w);
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
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, pg_answer_on_body);
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
    if (!w->h1 && !(s->plain = s->easy = new_easy(w, s)))
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
    return pg_sse_init(&s->sse, w->cfg.plan->any_tokens ? PG_SSE_TEXT_MAX : 0);
}

int pg_worker_new(pg_worker **out, const pg_worker_cfg *cfg, pg_err *err)
{
    const pg_load *l = cfg->load;
    pg_worker *w = calloc(1, sizeof *w);
    size_t conns;

    *out = NULL;
    if (!w)
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    w->cfg = *cfg;
    w->tfd = -1;
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
    for (size_t i = 0; i < w->n_slots; i++)
        pg_h1_init(&w->slots[i].h1); /* no connection: fd -1, before anything can fail */
    for (size_t i = 0; i < cfg->n_trials; i++) {
        if (pg_trial_init_zeroed(&w->trials[i], cfg->plan->n_scenarios, cfg->plan->n_names, err) !=
                0 ||
            pg_trial_add_filters(&w->trials[i], cfg->plan->n_filters, err) != 0)
            goto fail;
        w->trials[i].duration_s = (double)cfg->trial_ns / 1e9;
    }
    if ((w->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) < 0) {
        pg_err_set(err, PG_ERUN, "cannot create a timerfd: %s", strerror(errno));
        goto fail;
    }
    if (cfg->plan->plain) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
        if (!(w->h1 = malloc(sizeof *w->h1)))
            goto oom;
        if (pg_h1_loop_init(w->h1, &cfg->plan->origin, l->timeout_us * 1000u, w->n_slots) != 0 ||
            epoll_ctl(w->h1->epfd, EPOLL_CTL_ADD, w->tfd, &ev) != 0) {
            pg_err_set(err, PG_ERUN, "cannot set up epoll: %s", strerror(errno));
            goto fail;
        }
    } else if (pg_curl_init(err) != PG_OK) {
        goto fail;
    } else if (!(w->multi = curl_multi_init())) {
        goto oom;
    } else {
        curl_multi_setopt(w->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)conns);
        curl_multi_setopt(w->multi, CURLMOPT_MAXCONNECTS, (long)conns);
    }
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
        if (s->easy && w->multi && s->state == PG_SLOT_BUSY)
            curl_multi_remove_handle(w->multi, s->easy);
        if (s->plain)
            curl_easy_cleanup(s->plain);
        if (s->jar)
            curl_easy_cleanup(s->jar);
        pg_h1_free(&s->h1); /* every slot's is set up, connected or not */
        free(s->body);
        pg_sse_free(&s->sse);
        pg_flow_free(&s->flow);
    }
    if (w->multi)
        curl_multi_cleanup(w->multi);
    if (w->h1)
        pg_h1_loop_clear(w->h1);
    free(w->h1);
    if (w->trials)
        for (size_t i = 0; i < w->cfg.n_trials; i++)
            pg_trial_clear(&w->trials[i]);
    free(w->trials);
    free(w->slots);
    free(w->free_slots);
    pg_heap_free(&w->thinkers);
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
