/* monitor.c — the sampling and scraping threads (see monitor.h). */
#include "monitor/monitor.h"

#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/curl_init.h"
#include "common/redact.h"
#include "config/selector.h"
#include "config/threshold.h"
#include "monitor/procfs.h"
#include "monitor/scrape.h"
#include "monitor/service_cpu.h"
#include "monitor/target.h"

#define SCRAPE_MAX_BODY (8u << 20)

typedef struct scrape_state {
    const pg_scrape *cfg;
    char *url; /* cfg->url, or the target's base with cfg->url as its path */
    CURL *curl;
    uint64_t next_ns;
    unsigned long tries, failures;
    char first_error[160];
    char *body;
    size_t len;
    int too_big;
    int *missing;         /* per gauge: answers that lacked it */
    pg_selector *sel;     /* per gauge (Prometheus), parsed once */
    atomic_int *stopping; /* the monitor's: a scrape in flight ends with it */
} scrape_state;

struct pg_monitor {
    const pg_monitor_cfg *cfg;
    const char *root;
    pthread_t sampler, scraper;
    int have_sampler, have_scraper;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_int stopping;
    /* written by the sampler thread only, read after it is joined */
    pg_budget_run sampled;
    pg_target target;
    /* no target named: the process listening on the target's local port, so
     * that the service's own CPU is not counted as other processes' */
    pg_target listener;
    unsigned listen_port; /* 0: the target is not on this machine */
    unsigned long samples, target_absent;
    int fds_unreadable;
    size_t max_processes;
    size_t max_trees; /* most unrelated trees of the command's name one sample found */
    /* written by the scraper thread only */
    pg_budget_run scraped;
    scrape_state *scrapes;
};

/* Waits until the monotonic time at, or until stopped: 1 when stopped. */
static int wait_until(pg_monitor *m, uint64_t at)
{
    struct timespec ts = {(time_t)(at / 1000000000ull), (long)(at % 1000000000ull)};
    int stopped;

    pthread_mutex_lock(&m->mu);
    while (!m->stopping && pg_now_ns() < at)
        pthread_cond_timedwait(&m->cv, &m->mu, &ts);
    stopped = m->stopping;
    pthread_mutex_unlock(&m->mu);
    return stopped;
}

static void add(pg_budget_run *r, const char *name, const char *unit, double t_s, double v)
{
    pg_gauge_series *g = pg_budget_run_gauge_add(r, name, unit);

    if (g && isfinite(v))
        pg_gauge_append(g, t_s, v); /* out of memory: the sample is lost, not the run */
}

/* One of the series perfgate samples itself, in its metric's unit. */
static void sample(pg_monitor *m, const char *name, double t_s, double v)
{
    add(&m->sampled, name, pg_unit_label(pg_metric_lookup(name)->unit), t_s, v);
}

typedef struct resource_prev {
    int have;
    uint64_t t_ns, host_busy, host_total, host_processes, host_steal, self_ticks, boot_tick;
} resource_prev;

static int targeted(const pg_monitor_cfg *c)
{
    return c->pid || c->pid_file || c->command;
}

/* CPU ticks the service used since the previous sample: the named target's
 * (delta), or else the tree of the process listening on the target's port,
 * looked up again while none is found (the service may start late). */
static uint64_t service_ticks(pg_monitor *m, uint64_t since_tick, uint64_t target_delta)
{
    pg_target_sample ts;
    uint64_t delta = 0;

    if (targeted(m->cfg))
        return target_delta;
    if (!m->listen_port)
        return 0;
    if (!m->listener.pid && !(m->listener.pid = pg_procfs_port_listener(m->root, m->listen_port)))
        return 0;
    pg_target_sample_now(&m->listener, since_tick, &ts, &delta);
    if (!ts.processes)
        m->listener.pid = 0; /* gone: look again next time */
    return delta;
}

static void sample_resources(pg_monitor *m, resource_prev *prev, double ticks_per_s,
                             double page_size)
{
    char text[4096];
    uint64_t now = pg_now_ns(), mem_total, mem_avail, boot_tick = 0, target_delta = 0, service;
    double t = (double)now / 1e9, mid = prev->have ? ((double)prev->t_ns / 1e9 + t) / 2 : t;
    double dt = prev->have ? (double)(now - prev->t_ns) / 1e9 : 0.0, up;
    pg_cpu_ticks cpu = {0};
    pg_proc_stat self;
    int have_cpu = pg_procfs_read(m->root, "stat", text, sizeof text) == 0 &&
                   pg_procfs_parse_cpu(text, &cpu) == 0,
        have_self = pg_procfs_read(m->root, "self/stat", text, sizeof text) == 0 &&
                    pg_procfs_parse_pid_stat(text, &self) == 0;
    int have_delta = have_cpu && have_self && prev->have && cpu.total > prev->host_total &&
                     cpu.processes >= prev->host_processes && cpu.steal >= prev->host_steal &&
                     self.cpu_ticks >= prev->self_ticks && dt > 0;

    m->samples++;
    if (pg_procfs_read(m->root, "uptime", text, sizeof text) == 0 && sscanf(text, "%lf", &up) == 1)
        boot_tick = (uint64_t)(up * ticks_per_s);
    if (have_delta) {
        double all = (double)(cpu.total - prev->host_total);
        sample(m, "host_cpu", mid, 100.0 * (double)(cpu.busy - prev->host_busy) / all);
        sample(m, "cpu_steal", mid, 100.0 * (double)(cpu.steal - prev->host_steal) / all);
    }
    if (pg_procfs_read(m->root, "meminfo", text, sizeof text) == 0 &&
        pg_procfs_parse_meminfo(text, &mem_total, &mem_avail) == 0)
        sample(m, "host_mem", t,
               100.0 * (double)(mem_total - (mem_avail < mem_total ? mem_avail : mem_total)) /
                   (double)mem_total);
    if (have_self && prev->have && dt > 0 && self.cpu_ticks >= prev->self_ticks)
        sample(m, "perfgate_cpu", mid,
               100.0 * (double)(self.cpu_ticks - prev->self_ticks) / ticks_per_s / dt);
    if (targeted(m->cfg)) {
        pg_target_sample ts;
        uint64_t delta;
        /* of several trees of the command's name, the one serving the target */
        if (m->cfg->command && m->listen_port && !m->target.prefer_pid)
            m->target.prefer_pid = pg_procfs_port_listener(m->root, m->listen_port);
        pg_target_sample_now(&m->target, prev->boot_tick, &ts, &delta);
        if (m->target.trees > m->max_trees)
            m->max_trees = m->target.trees;
        target_delta = ts.processes ? delta : 0;
        if (!ts.processes) {
            m->target_absent++;
        } else {
            if (ts.processes > m->max_processes)
                m->max_processes = ts.processes;
            if (prev->have && dt > 0)
                sample(m, "target_cpu", mid, 100.0 * (double)delta / ticks_per_s / dt);
            sample(m, "target_rss", t, (double)ts.rss_pages * page_size);
            sample(m, "target_threads", t, (double)ts.threads);
            if (ts.fds >= 0)
                sample(m, "target_fds", t, (double)ts.fds);
            else
                m->fds_unreadable = 1;
        }
    }
    /* what disturbs the measurement: CPU used by processes other than
     * perfgate and the service (interrupts and steal are not processes') */
    service = service_ticks(m, prev->boot_tick, target_delta);
    if (have_delta) {
        double used = (double)(cpu.processes - prev->host_processes) -
                      (double)(self.cpu_ticks - prev->self_ticks) - (double)service;
        sample(m, "other_cpu", mid, used > 0 ? 100.0 * used / ticks_per_s / dt : 0.0);
    }
    prev->have = have_cpu && have_self;
    prev->t_ns = now;
    prev->host_busy = cpu.busy;
    prev->host_total = cpu.total;
    prev->host_processes = cpu.processes;
    prev->host_steal = cpu.steal;
    prev->self_ticks = have_self ? self.cpu_ticks : 0;
    prev->boot_tick = boot_tick;
}

static void *sampler_main(void *arg)
{
    pg_monitor *m = arg;
    long tck = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    uint64_t start = pg_now_ns(), every = m->cfg->interval_us * 1000u;
    resource_prev prev = {0};
    static const char *const order[] = {"host_cpu",   "host_mem",       "perfgate_cpu",
                                        "other_cpu",  "cpu_steal",      "target_cpu",
                                        "target_rss", "target_threads", "target_fds"};

    /* in this order in results and reports, whichever is sampled first */
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (i < 5 || targeted(m->cfg))
            pg_budget_run_gauge_add(&m->sampled, order[i],
                                    pg_unit_label(pg_metric_lookup(order[i])->unit));

    for (uint64_t k = 0;; k++) {
        sample_resources(m, &prev, tck > 0 ? (double)tck : 100.0, page > 0 ? (double)page : 4096.0);
        if (wait_until(m, start + (k + 1) * every))
            break;
    }
    return NULL;
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    scrape_state *s = arg;
    size_t add_len = size * n;
    char *grown;

    if (s->len + add_len > SCRAPE_MAX_BODY) {
        s->too_big = 1;
        return 0; /* aborts the transfer */
    }
    if (!(grown = realloc(s->body, s->len + add_len + 1)))
        return 0;
    s->body = grown;
    memcpy(s->body + s->len, data, add_len);
    s->len += add_len;
    s->body[s->len] = '\0';
    return add_len;
}

static void fail(scrape_state *s, const char *what)
{
    s->failures++;
    if (!s->first_error[0])
        snprintf(s->first_error, sizeof s->first_error, "%s", what);
}

static void scrape_once(pg_monitor *m, scrape_state *s)
{
    long status = 0;
    CURLcode rc;
    double t;

    s->tries++;
    s->len = 0;
    s->too_big = 0;
    rc = curl_easy_perform(s->curl);
    t = (double)pg_now_ns() / 1e9;
    curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
        fail(s, s->too_big ? "the answer is over 8 MiB" : curl_easy_strerror(rc));
        return;
    }
    if (status != 200) {
        char what[32];
        snprintf(what, sizeof what, "HTTP status %ld", status);
        fail(s, what);
        return;
    }
    for (size_t i = 0; i < s->cfg->n_gauges; i++) {
        const pg_scrape_gauge *g = &s->cfg->gauges[i];
        const char *body = s->body ? s->body : "";
        double v;
        int got = s->cfg->json ? pg_scrape_json(body, s->len, g->selector, &v)
                               : pg_scrape_prometheus(body, s->len, &s->sel[i], &v);
        if (got == 0)
            add(&m->scraped, g->name, "", t, v);
        else
            s->missing[i]++;
    }
}

/* Ends a scrape in flight when the monitor stops, not at its timeout. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    scrape_state *s = arg;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return atomic_load(s->stopping) != 0;
}

static void *scraper_main(void *arg)
{
    pg_monitor *m = arg;
    size_t n = m->cfg->n_scrapes;

    for (size_t i = 0; i < n; i++)
        m->scrapes[i].next_ns = pg_now_ns();
    for (;;) {
        scrape_state *due = &m->scrapes[0];
        for (size_t i = 1; i < n; i++)
            if (m->scrapes[i].next_ns < due->next_ns)
                due = &m->scrapes[i];
        if (wait_until(m, due->next_ns))
            break;
        scrape_once(m, due);
        due->next_ns += due->cfg->every_us * 1000u;
        if (due->next_ns < pg_now_ns()) /* a slow endpoint: no burst to catch up */
            due->next_ns = pg_now_ns() + due->cfg->every_us * 1000u;
    }
    return NULL;
}

static int setup_scrapes(pg_monitor *m, const char *target, pg_err *err)
{
    size_t n = m->cfg->n_scrapes;

    if (pg_curl_init(err) != PG_OK)
        return PG_ERUN;
    if (!(m->scrapes = calloc(n, sizeof *m->scrapes)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        scrape_state *s = &m->scrapes[i];
        long timeout_ms = (long)(s->cfg = &m->cfg->scrapes[i])->every_us / 1000;
        const char *base = s->cfg->url[0] == '/' ? target : "";
        char why[256];
        if (!(s->missing = calloc(s->cfg->n_gauges, sizeof *s->missing)) ||
            !(s->sel = calloc(s->cfg->n_gauges, sizeof *s->sel)) ||
            !(s->url = malloc(strlen(base) + strlen(s->cfg->url) + 1)) ||
            !(s->curl = curl_easy_init()))
            return pg_err_set(err, PG_ENOMEM, "out of memory");
        for (size_t g = 0; g < s->cfg->n_gauges && !s->cfg->json; g++)
            if (pg_selector_parse(&s->sel[g], s->cfg->gauges[g].selector, why, sizeof why) != 0)
                return pg_err_set(err, PG_EINVALID, "gauge %s: %s", s->cfg->gauges[g].name, why);
        s->stopping = &m->stopping;
        strcpy(s->url, base);
        strcat(s->url, s->cfg->url);
        curl_easy_setopt(s->curl, CURLOPT_URL, s->url);
        curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(s->curl, CURLOPT_TIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
        curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, s);
        curl_easy_setopt(s->curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(s->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(s->curl, CURLOPT_XFERINFODATA, s);
        curl_easy_setopt(s->curl, CURLOPT_USERAGENT, "perfgate/" PERFGATE_VERSION " (monitor)");
        curl_easy_setopt(s->curl, CURLOPT_ACCEPT_ENCODING, "");
    }
    return PG_OK;
}

static void free_monitor(pg_monitor *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->scrapes && i < m->cfg->n_scrapes; i++) {
        curl_easy_cleanup(m->scrapes[i].curl);
        free(m->scrapes[i].body);
        free(m->scrapes[i].missing);
        free(m->scrapes[i].sel);
        free(m->scrapes[i].url);
    }
    free(m->scrapes);
    pg_target_clear(&m->target);
    pg_target_clear(&m->listener);
    pg_budget_run_clear(&m->sampled);
    pg_budget_run_clear(&m->scraped);
    pthread_cond_destroy(&m->cv);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

static void stop_threads(pg_monitor *m)
{
    pthread_mutex_lock(&m->mu);
    m->stopping = 1;
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
    if (m->have_sampler)
        pthread_join(m->sampler, NULL);
    if (m->have_scraper)
        pthread_join(m->scraper, NULL);
    m->have_sampler = m->have_scraper = 0;
}

int pg_monitor_start(pg_monitor **out, const pg_monitor_cfg *cfg, const char *target,
                     const char *root, pg_err *err)
{
    pg_monitor *m = calloc(1, sizeof *m);
    pthread_condattr_t ca;
    int rc;

    *out = NULL;
    if (!m)
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    m->cfg = cfg;
    m->root = root;
    m->target.root = root;
    m->target.pid = cfg->pid;
    m->target.pid_file = cfg->pid_file;
    m->target.command = cfg->command;
    m->target.self = (long)getpid();
    m->listener.root = root;
    m->listener.self = m->target.self;
    m->listen_port = pg_local_port(target);
    pthread_mutex_init(&m->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (cfg->n_scrapes && (rc = setup_scrapes(m, target, err)) != 0)
        goto fail;
    if (pthread_create(&m->sampler, NULL, sampler_main, m) != 0) {
        rc = pg_err_set(err, PG_ERUN, "cannot start the monitor's thread");
        goto fail;
    }
    m->have_sampler = 1;
    if (cfg->n_scrapes) {
        if (pthread_create(&m->scraper, NULL, scraper_main, m) != 0) {
            rc = pg_err_set(err, PG_ERUN, "cannot start the monitor's scrape thread");
            goto fail;
        }
        m->have_scraper = 1;
    }
    *out = m;
    return PG_OK;
fail:
    stop_threads(m);
    free_monitor(m);
    return rc;
}

/* Moves the samples of [0, end_s] on r's clock from one thread's series into r. */
static void keep_measured(pg_budget_run *r, const pg_budget_run *from, double end_s)
{
    double zero = (double)r->measure_start_ns / 1e9;

    for (size_t i = 0; i < from->n_gauges; i++) {
        const pg_gauge_series *g = &from->gauges[i];
        pg_gauge_series *to = NULL;
        for (size_t k = 0; k < g->n; k++) {
            double t = g->t_s[k] - zero;
            if (t < 0 || t > end_s)
                continue;
            if (!to && !(to = pg_budget_run_gauge_add(r, g->name, g->unit)))
                return;
            pg_gauge_append(to, t, g->v[k]);
        }
    }
}

static void describe(pg_monitor *m, pg_budget_run *r)
{
    const pg_monitor_cfg *c = m->cfg;
    size_t used = 0;

    if (c->pid)
        snprintf(r->monitor_target, sizeof r->monitor_target, "pid %ld", c->pid);
    else if (c->pid_file)
        snprintf(r->monitor_target, sizeof r->monitor_target, "pid file %.120s", c->pid_file);
    else if (c->command)
        snprintf(r->monitor_target, sizeof r->monitor_target, "command %s", c->command);
    if (r->monitor_target[0] && m->max_processes > 1)
        snprintf(r->monitor_target + strlen(r->monitor_target),
                 sizeof r->monitor_target - strlen(r->monitor_target), " (%zu processes)",
                 m->max_processes);
#define NOTE(...)                                                                                  \
    do {                                                                                           \
        if (used < sizeof r->monitor_note)                                                         \
            used += (size_t)snprintf(r->monitor_note + used, sizeof r->monitor_note - used,        \
                                     __VA_ARGS__);                                                 \
    } while (0)
    if (r->monitor_target[0] && m->target_absent)
        NOTE("%sthe target (%s) was not running at %lu of %lu samples", used ? "; " : "",
             r->monitor_target, m->target_absent, m->samples);
    if (m->max_trees > 1)
        NOTE("%s%zu unrelated process trees are named %s; watched the one %s (pid %ld)",
             used ? "; " : "", m->max_trees, c->command,
             m->target.chosen_by_listener ? "listening on the target's port" : "started first",
             m->target.chosen_root);
    if (m->fds_unreadable)
        NOTE("%sthe target's open files could not be read (run perfgate as its user or root)",
             used ? "; " : "");
    for (size_t i = 0; i < c->n_scrapes; i++) {
        const scrape_state *s = &m->scrapes[i];
        if (s->failures) {
            char *shown = pg_redact_url(s->url); /* a password in it shows as *** */
            NOTE("%s%lu of %lu scrapes of %.80s failed (first: %s)", used ? "; " : "", s->failures,
                 s->tries, shown ? shown : "the endpoint", s->first_error);
            free(shown);
        }
        for (size_t g = 0; g < s->cfg->n_gauges; g++)
            if (s->missing[g])
                NOTE("%s%s (%.60s) was missing from %d answers", used ? "; " : "",
                     s->cfg->gauges[g].name, s->cfg->gauges[g].selector, s->missing[g]);
    }
#undef NOTE
}

void pg_monitor_finish(pg_monitor *m, pg_budget_run *r)
{
    double end_s = 0.0;

    if (!m)
        return;
    stop_threads(m);
    for (size_t i = 0; i < r->n_trials; i++) {
        double from, to;
        pg_budget_run_trial_window(r, i, &from, &to);
        if (to > end_s)
            end_s = to;
    }
    if (r->measure_start_ns && r->n_trials) {
        keep_measured(r, &m->sampled, end_s);
        keep_measured(r, &m->scraped, end_s);
    }
    describe(m, r);
    free_monitor(m);
}
