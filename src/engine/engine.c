/* engine.c — runs a budget on worker threads and gathers what they measured
 * (see engine.h). The calling thread samples once a second: the timeline and
 * the progress line come from per-worker atomic counters, never from locks. */
#include "engine/engine.h"
#include "common/clock.h"
#include "common/fdlimit.h"
#include "common/grow.h"
#include "engine/flow.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine/capacity.h"
#include "engine/prepared.h"
#include "engine/repeat.h"
#include "engine/worker.h"
#include "monitor/service_cpu.h"

static double cpu_seconds(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long max_rss_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* Linux: KiB */
}

/* Each connection is a file descriptor; each worker holds a few more
 * (timerfd, libcurl's wake-up pair), and stdio, the budget and
 * results files a few. */
int pg_engine_room(const pg_budget *b, unsigned threads, unsigned shards, unsigned engines,
                   pg_err *err)
{
    unsigned long conns = ((unsigned long)b->load.max_connections + shards - 1) / shards * engines;
    unsigned long need = conns + 16ul * threads * engines + 64ul, soft, hard;

    if (pg_fdlimit_ensure(need, &soft, &hard) == 0)
        return PG_OK;
    return pg_err_at(err, PG_ERUN, b->path, 0, 0,
                     "this budget may open %lu connections, which needs about %lu open files, but "
                     "the open-file limit is %lu (hard limit %lu) and cannot be raised that far: "
                     "raise it (ulimit -n %lu; LimitNOFILE= under systemd; --ulimit nofile= for "
                     "docker) or lower \"load.max_connections\"%s",
                     conns, need, soft, hard, need,
                     b->load.executor == PG_EXEC_CONSTANT_VUS ||
                             b->load.executor == PG_EXEC_RAMPING_VUS
                         ? " or the virtual users"
                         : "");
}

static void sleep_until(uint64_t t)
{
    struct timespec ts = {(time_t)(t / 1000000000ull), (long)(t % 1000000000ull)};

    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
        ;
}

static long peak_vus(const pg_load *l)
{
    double peak = l->executor == PG_EXEC_CONSTANT_VUS ? (double)l->vus : l->start;

    for (size_t i = 0; i < l->n_stages; i++)
        if (l->stages[i].target > peak)
            peak = l->stages[i].target;
    return (long)peak;
}

/* Reads and clears second `sec`'s slot of every worker into a timeline point;
 * a measured second is added to so_far too (when not NULL). */
static void sample_second(pg_worker **w, unsigned n, uint64_t sec, double warm_s,
                          pg_timeline_point *p, pg_trial *so_far)
{
    static _Thread_local pg_hist h;
    unsigned slot = (unsigned)(sec & 1);
    uint64_t checks = 0, checks_failed = 0, unanswered = 0;

    pg_hist_reset(&h);
    memset(p, 0, sizeof *p);
    p->t_s = (double)sec - warm_s;
    for (unsigned i = 0; i < n; i++) {
        pg_live_second *s = &pg_worker_live(w[i])->second[slot];
        p->requests += atomic_exchange_explicit(&s->requests, 0, memory_order_relaxed);
        p->failed += atomic_exchange_explicit(&s->failed, 0, memory_order_relaxed);
        p->dropped += atomic_exchange_explicit(&s->dropped, 0, memory_order_relaxed);
        checks += atomic_exchange_explicit(&s->checks, 0, memory_order_relaxed);
        checks_failed += atomic_exchange_explicit(&s->checks_failed, 0, memory_order_relaxed);
        unanswered += atomic_exchange_explicit(&s->unanswered, 0, memory_order_relaxed);
        /* read first, and written only where something was counted: the
         * pages of buckets no answer fell in stay untouched (a count added
         * after its read is read with this slot two seconds later) */
        for (size_t b = 0; b < PG_HIST_BUCKETS; b++) {
            uint32_t c = atomic_load_explicit(&s->counts[b], memory_order_relaxed);
            if (c && (c = atomic_exchange_explicit(&s->counts[b], 0, memory_order_relaxed)))
                pg_hist_record_n(&h, pg_hist_bucket_low(b), c);
        }
    }
    p->p50_us = pg_hist_percentile(&h, 50.0);
    p->p99_us = pg_hist_percentile(&h, 99.0);
    if (so_far && p->t_s >= 0.0) {
        pg_hist_merge(&so_far->duration, &h);
        so_far->requests += p->requests;
        so_far->failed += p->failed;
        so_far->dropped += p->dropped;
        so_far->checks += checks;
        so_far->checks_failed += checks_failed;
        /* live counters do not say which kind: what matters is that no answer came */
        so_far->fails[PG_FAIL_OTHER] += unanswered;
        so_far->duration_s = p->t_s + 1.0;
    }
}

static int all_done(pg_worker **w, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (!atomic_load(&pg_worker_live(w[i])->done))
            return 0;
    return 1;
}

static int append_point(pg_budget_run *out, const pg_timeline_point *p, size_t *cap)
{
    if (pg_grow(&out->timeline, cap, out->n_timeline, sizeof *out->timeline, 64) != 0)
        return -1;
    out->timeline[out->n_timeline++] = *p;
    return 0;
}

/* Samples once a second until every worker has finished (so_far: what the
 * watcher is shown, NULL when nobody watches). Seconds count from
 * second0, a whole number of seconds before measurement starts, so timeline
 * points line up with trial boundaries (t = 0, 1, 2 ... of measurement).
 * -1 when a point could not be kept (out of memory): the run goes on to its
 * end, so the workers finish, and then fails. */
static int supervise(pg_budget_run *out, const pg_budget *b, const pg_run_opts *o, pg_worker **w,
                     unsigned n, volatile sig_atomic_t *stop, uint64_t second0, uint64_t measure,
                     uint64_t end, pg_trial *so_far)
{
    double lead_s = (double)(measure - second0) / 1e9, total_s = (double)b->load.duration_us / 1e6;
    double trial_s = total_s / (double)b->trials;
    uint64_t sec = 0, last_sec = (end - second0 - 1) / 1000000000ull;
    size_t cap = 0;
    int lost = 0;

    for (;;) {
        /* a quarter second into the next second: the workers have moved on */
        uint64_t at = second0 + (sec + 1) * 1000000000ull + 250000000ull;
        pg_timeline_point p;
        uint64_t req = 0, failed = 0, dropped = 0;
        int done;

        while (!(done = all_done(w, n)) && pg_now_ns() < at) {
            if (o->stop && *o->stop)
                *stop = 1;
            sleep_until(pg_now_ns() + 20000000ull < at ? pg_now_ns() + 20000000ull : at);
        }
        if (done) {
            /* workers finished: the two slots hold the last seconds, unread */
            for (uint64_t s = sec; s <= sec + 1 && s <= last_sec; s++) {
                sample_second(w, n, s, lead_s, &p, NULL);
                if (p.t_s >= 0.0 && (p.requests || p.failed || p.dropped))
                    lost |= append_point(out, &p, &cap);
            }
            return lost;
        }
        sample_second(w, n, sec, lead_s, &p, so_far);
        if (p.t_s >= 0.0 && sec <= last_sec)
            lost |= append_point(out, &p, &cap);
        if (so_far && p.t_s >= 0.0 && !out->aborted[0] &&
            o->watch(o->watch_arg, b, so_far, out->aborted, sizeof out->aborted))
            *stop = 1; /* the workers end the run as if interrupted */
        for (unsigned i = 0; i < n; i++) {
            pg_live *l = pg_worker_live(w[i]);
            req += pg_live_get(&l->requests);
            failed += pg_live_get(&l->failed);
            dropped += pg_live_get(&l->dropped);
        }
        if (o->progress) {
            int trial = p.t_s < 0 ? -1 : (int)(p.t_s / trial_s);
            if (trial >= (int)b->trials)
                trial = (int)b->trials - 1;
            o->progress(o->progress_arg, b, trial, p.t_s + 1.0, total_s, &p, req, failed, dropped);
        }
        sec++;
    }
}

int pg_engine_run(pg_budget_run *out, const pg_budget *b, const pg_run_opts *o, pg_err *err)
{
    pg_prepared plan;
    pg_worker **w = NULL;
    pthread_t *tid = NULL;
    pg_worker_cfg cfg;
    unsigned n = o->threads, started = 0, shard_i = 0, shard_n = 1;
    uint64_t t0, behind = 0, iters = 0, answered = 0;
    double cpu0, wall0;
    /* Workers watch this flag; the supervisor copies the caller's into it. */
    volatile sig_atomic_t stop = 0;
    pg_trial *so_far = NULL; /* what the watcher sees */
    pg_feed own_feed = {0};
    pg_service_cpu *service = NULL; /* the target's CPU time, when it runs here */
    int rc;

    if (b->load.executor == PG_EXEC_BREAKING_POINT)
        return pg_capacity_run(out, b, o, err);
    if (pg_load_repeats(b) && b->trials > 1)
        return pg_repeat_run(out, b, o, err);
    memset(out, 0, sizeof *out);
    if (!n) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (unsigned)c : 1;
    }
    if (o->shard_count) {
        shard_i = o->shard_index - 1;
        shard_n = o->shard_count;
    }
    if ((rc = pg_engine_room(b, n, shard_n, 1, err)) != 0 ||
        (rc = pg_prepared_build(&plan, b, err)) != 0)
        return rc;
    if (!o->feed && pg_feed_init(&own_feed, b, shard_i, shard_n) != 0) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    if (!(w = calloc(n, sizeof *w)) || !(tid = calloc(n, sizeof *tid))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    /* before the start instant is chosen: finding it walks /proc. A shard's
     * service also answers the other shards, so its CPU is not this run's. */
    if (shard_n == 1)
        service = pg_service_cpu_find(b->target, "/proc");
    /* Start 50 ms from now so every thread is ready when the schedule begins,
     * or at the caller's instant (a duet starts both sides at the same one). */
    t0 = o->start_ns ? o->start_ns : pg_now_ns() + 50000000ull;
    memset(&cfg, 0, sizeof cfg);
    cfg.plan = &plan;
    cfg.load = &b->load;
    cfg.gstride = n * shard_n;
    cfg.seed = o->seed;
    cfg.t0_ns = t0;
    cfg.measure_ns = t0 + b->load.warmup_us * 1000u;
    cfg.end_ns = cfg.measure_ns + b->load.duration_us * 1000u;
    cfg.second0_ns = cfg.measure_ns - (b->load.warmup_us + 999999u) / 1000000u * 1000000000ull;
    cfg.n_trials = (size_t)b->trials;
    cfg.trial_ns = b->load.duration_us * 1000u / (uint64_t)b->trials;
    cfg.peak_vus = peak_vus(&b->load);
    cfg.stop = &stop;
    cfg.feed = o->feed ? o->feed : &own_feed;
    for (unsigned i = 0; i < n; i++) {
        cfg.gindex = shard_i * n + i;
        if ((rc = pg_worker_new(&w[i], &cfg, err)) != 0)
            goto out;
    }
    if (service &&
        pg_service_cpu_start(service, cfg.measure_ns, cfg.trial_ns, cfg.n_trials, &stop) != 0) {
        pg_service_cpu_cancel(service); /* its trials stay unmeasured */
        service = NULL;
    }
    cpu0 = cpu_seconds();
    wall0 = (double)pg_now_ns() / 1e9;
    for (; started < n; started++) {
        if (pthread_create(&tid[started], NULL, pg_worker_main, w[started]) != 0) {
            rc = pg_err_set(err, PG_ERUN, "cannot start worker thread %u", started);
            stop = 1; /* the started ones see it within 100 ms */
            goto join;
        }
    }
    if (o->watch &&
        (!(so_far = calloc(1, sizeof *so_far)) || pg_trial_init_zeroed(so_far, 0, 0, err) != 0)) {
        /* an unwatched run would not abort when it should: not a pass */
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        stop = 1;
        supervise(out, b, o, w, n, &stop, cfg.second0_ns, cfg.measure_ns, cfg.end_ns, NULL);
    } else if (supervise(out, b, o, w, n, &stop, cfg.second0_ns, cfg.measure_ns, cfg.end_ns,
                         so_far) != 0)
        rc = pg_err_set(err, PG_ENOMEM, "out of memory keeping the per-second timeline");
join:
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    if (rc != 0)
        goto out;
    out->threads = n;
    out->measure_start_ns = cfg.measure_ns;
    out->cpu_percent = 100.0 * (cpu_seconds() - cpu0) / ((double)pg_now_ns() / 1e9 - wall0);
    if (!(out->trials = calloc(cfg.n_trials, sizeof *out->trials))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    out->n_trials = cfg.n_trials;
    for (size_t t = 0; t < cfg.n_trials; t++) {
        if ((rc = pg_trial_init_zeroed(&out->trials[t], plan.n_scenarios, plan.n_names, err)) !=
                0 ||
            (rc = pg_trial_add_filters(&out->trials[t], plan.n_filters, err)) != 0)
            goto out;
        for (unsigned i = 0; i < n; i++)
            pg_trial_merge(&out->trials[t], &pg_worker_trials(w[i])[t]);
    }
    pg_service_cpu_finish(service, out->trials, out->n_trials);
    service = NULL;
    for (unsigned i = 0; i < n; i++) {
        out->interrupted |= pg_worker_interrupted(w[i]);
        if (!out->aborted[0] && pg_worker_stop_reason(w[i])[0])
            snprintf(out->aborted, sizeof out->aborted, "%s", pg_worker_stop_reason(w[i]));
        behind += pg_worker_behind(w[i]);
        iters += pg_worker_started(w[i]);
        for (int k = 0; k < PG_FAIL_KINDS; k++)
            if (!out->fail_example[k][0])
                snprintf(out->fail_example[k], sizeof out->fail_example[k], "%s",
                         pg_worker_fail_example(w[i], k));
    }
    out->max_rss_kib = max_rss_kib();
    out->starts = iters;
    out->late_starts = behind;
    if (out->interrupted) {
        /* keep the trials that had begun; the last one ran short. Signed:
         * stopped in the warm-up, now is before measure_ns. */
        double ran = ((double)pg_now_ns() - (double)cfg.measure_ns) / 1e9,
               each = (double)cfg.trial_ns / 1e9;
        size_t keep = ran <= 0 ? 0 : (size_t)(ran / each) + 1;
        if (keep > out->n_trials)
            keep = out->n_trials;
        for (size_t t = keep; t < out->n_trials; t++)
            pg_trial_clear(&out->trials[t]);
        out->n_trials = keep;
        if (keep)
            out->trials[keep - 1].duration_s = ran - each * (double)(keep - 1);
    }
    for (size_t t = 0; t < out->n_trials; t++)
        answered += pg_trial_answered(&out->trials[t]);
    /* A target that answers nothing makes every VU spin at full speed on
     * instant failures: that is not the generator limiting a measurement. */
    if (answered && out->cpu_percent > 90.0 * n) {
        out->saturated = 1;
        snprintf(out->saturation, sizeof out->saturation,
                 "perfgate used %.0f%% CPU of %u threads: the generator, not the target, may be "
                 "the limit",
                 out->cpu_percent, n);
    } else if (answered && iters && behind * 100 > iters && behind >= 10) {
        /* at least ten: a short run (a breaking-point step) has a few late
         * starts while its threads and first connections come up */
        out->saturated = 1;
        snprintf(out->saturation, sizeof out->saturation,
                 "%llu of %llu iterations started over 2 ms behind schedule with connections free: "
                 "the generator fell behind",
                 (unsigned long long)behind, (unsigned long long)iters);
    }
    if (!(out->scenario_names = calloc(b->n_scenarios, sizeof *out->scenario_names))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < b->n_scenarios; i++)
        if (!(out->scenario_names[out->n_scenarios++] = strdup(b->scenarios[i].name))) {
            rc = pg_err_set(err, PG_ENOMEM, "out of memory");
            goto out;
        }
    if (plan.n_filters && !(out->filters = calloc(plan.n_filters, sizeof *out->filters))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < plan.n_filters; i++)
        if (!(out->filters[out->n_filters++] = strdup(plan.filters[i].key))) {
            rc = pg_err_set(err, PG_ENOMEM, "out of memory");
            goto out;
        }
    out->names = plan.names;
    out->n_names = plan.n_names;
    plan.names = NULL;
    plan.n_names = 0;
    rc = PG_OK;
out:
    pg_service_cpu_cancel(service);
    if (so_far) {
        pg_trial_clear(so_far);
        free(so_far);
    }
    for (unsigned i = 0; w && i < n; i++)
        pg_worker_free(w[i]);
    free(w);
    free(tid);
    pg_prepared_free(&plan);
    pg_feed_free(&own_feed);
    if (rc != PG_OK)
        pg_budget_run_clear(out);
    return rc;
}
