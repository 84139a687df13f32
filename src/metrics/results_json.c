/* results_json.c — results as perfgate-results/1 JSON (see results.h).
 *
 * Each trial carries its summary numbers for people and tools, and its
 * histograms in the compact encoding so statistics and merges can work on
 * the exact distribution later. Numbers are written in their docs/design.md
 * units: microseconds for latency, seconds for durations, requests/s. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/json_alloc.h"
#include "common/json_print.h"
#include "metrics/results.h"

static cJSON *latency_json(const pg_hist *h)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "count", (double)h->total);
    cJSON_AddNumberToObject(o, "min", h->total ? (double)h->min : 0.0);
    cJSON_AddNumberToObject(o, "p50", (double)pg_hist_percentile(h, 50.0));
    cJSON_AddNumberToObject(o, "p90", (double)pg_hist_percentile(h, 90.0));
    cJSON_AddNumberToObject(o, "p95", (double)pg_hist_percentile(h, 95.0));
    cJSON_AddNumberToObject(o, "p99", (double)pg_hist_percentile(h, 99.0));
    cJSON_AddNumberToObject(o, "p999", (double)pg_hist_percentile(h, 99.9));
    cJSON_AddNumberToObject(o, "max", (double)h->max);
    cJSON_AddNumberToObject(o, "mean", round(pg_hist_mean(h) * 10.0) / 10.0);
    cJSON_AddNumberToObject(o, "stdev", round(pg_hist_stdev(h) * 10.0) / 10.0);
    return o;
}

static void add_hist(cJSON *o, const char *key, const pg_hist *h)
{
    char *enc = pg_hist_encode(h);

    if (enc)
        cJSON_AddStringToObject(o, key, enc);
    free(enc);
}

/* A histogram of rates per second (kept x PG_PER_SECOND_SCALE) as plain numbers. */
static cJSON *per_second_json(const pg_hist *h)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "count", (double)h->total);
    cJSON_AddNumberToObject(o, "min", h->total ? (double)h->min / PG_PER_SECOND_SCALE : 0.0);
    cJSON_AddNumberToObject(o, "p5", (double)pg_hist_percentile(h, 5.0) / PG_PER_SECOND_SCALE);
    cJSON_AddNumberToObject(o, "p50", (double)pg_hist_percentile(h, 50.0) / PG_PER_SECOND_SCALE);
    cJSON_AddNumberToObject(o, "p95", (double)pg_hist_percentile(h, 95.0) / PG_PER_SECOND_SCALE);
    cJSON_AddNumberToObject(o, "max", (double)h->max / PG_PER_SECOND_SCALE);
    cJSON_AddNumberToObject(o, "mean", round(pg_hist_mean(h)) / PG_PER_SECOND_SCALE);
    return o;
}

/* Server-Sent Events: only for trials that read streams. */
static void add_sse(cJSON *o, const pg_trial *t, int with_histograms)
{
    cJSON *sse;

    if (!t->sse_streams && !t->sse_events)
        return;
    sse = cJSON_AddObjectToObject(o, "sse");
    cJSON_AddNumberToObject(sse, "streams", (double)t->sse_streams);
    cJSON_AddNumberToObject(sse, "events", (double)t->sse_events);
    cJSON_AddNumberToObject(sse, "tokens", (double)t->sse_tokens);
    cJSON_AddItemToObject(sse, "time_to_first_event_us", latency_json(&t->sse_ttfe));
    cJSON_AddItemToObject(sse, "inter_event_us", latency_json(&t->sse_gap));
    cJSON_AddItemToObject(sse, "stream_duration_us", latency_json(&t->sse_stream));
    cJSON_AddItemToObject(sse, "events_per_second", per_second_json(&t->sse_eps));
    if (t->sse_tps.total)
        cJSON_AddItemToObject(sse, "tokens_per_second", per_second_json(&t->sse_tps));
    if (with_histograms) {
        add_hist(sse, "time_to_first_event_histogram", &t->sse_ttfe);
        add_hist(sse, "inter_event_histogram", &t->sse_gap);
        add_hist(sse, "stream_duration_histogram", &t->sse_stream);
        add_hist(sse, "events_per_second_histogram", &t->sse_eps);
        add_hist(sse, "tokens_per_second_histogram", &t->sse_tps);
    }
}

/* Counters, latencies and histograms of one trial (or of the merged summary). */
static cJSON *trial_json(const pg_trial *t, const pg_budget_result *b, int with_histograms)
{
    cJSON *o = cJSON_CreateObject(), *st, *er, *sc, *nm, *ck;
    char code[8];
    double service_cpu_us = pg_trial_service_cpu_us(t),
           service_wait_us = pg_trial_service_wait_us(t);

    cJSON_AddNumberToObject(o, "requests", (double)t->requests);
    cJSON_AddNumberToObject(o, "errors", (double)t->failed);
    cJSON_AddNumberToObject(o, "error_rate", pg_trial_error_rate(t));
    cJSON_AddNumberToObject(o, "dropped", (double)t->dropped);
    if (t->retried) /* only when some were: older readers and goldens stay as they are */
        cJSON_AddNumberToObject(o, "retried", (double)t->retried);
    cJSON_AddNumberToObject(o, "iterations", (double)t->iterations);
    cJSON_AddNumberToObject(o, "duration_s", round(t->duration_s * 1000.0) / PG_PER_SECOND_SCALE);
    cJSON_AddNumberToObject(o, "rps", round(pg_trial_rps(t) * 100.0) / 100.0);
    if (isfinite(service_cpu_us)) /* the service was found on this machine */
        cJSON_AddNumberToObject(o, "service_cpu_us", round(service_cpu_us * 100.0) / 100.0);
    if (isfinite(service_wait_us))
        cJSON_AddNumberToObject(o, "service_wait_us", round(service_wait_us * 100.0) / 100.0);
    cJSON_AddNumberToObject(o, "bytes_in", (double)t->bytes_in);
    cJSON_AddNumberToObject(o, "bytes_out", (double)t->bytes_out);
    cJSON_AddItemToObject(o, "latency_us", latency_json(&t->duration));
    cJSON_AddItemToObject(o, "latency_uncorrected_us", latency_json(&t->duration_raw));
    cJSON_AddItemToObject(o, "ttfb_us", latency_json(&t->waiting));
    cJSON_AddItemToObject(o, "connect_us", latency_json(&t->connecting));
    cJSON_AddItemToObject(o, "tls_us", latency_json(&t->tls));
    cJSON_AddItemToObject(o, "iteration_us", latency_json(&t->iteration));
    if (t->send_late.total) /* the open model's: how late the generator sent */
        cJSON_AddItemToObject(o, "send_lateness_us", latency_json(&t->send_late));
    st = cJSON_AddObjectToObject(o, "status");
    for (int i = 0; i < PG_STATUS_CODES; i++) {
        if (!t->status[i])
            continue;
        snprintf(code, sizeof code, "%d", i);
        cJSON_AddNumberToObject(st, i ? code : "none", (double)t->status[i]);
    }
    er = cJSON_AddObjectToObject(o, "errors_by_kind");
    for (int i = 0; i < PG_FAIL_KINDS; i++)
        if (t->fails[i])
            cJSON_AddNumberToObject(er, pg_fail_kind_names[i], (double)t->fails[i]);
    ck = cJSON_AddObjectToObject(o, "checks");
    cJSON_AddNumberToObject(ck, "passed", (double)(t->checks - t->checks_failed));
    cJSON_AddNumberToObject(ck, "failed", (double)t->checks_failed);
    sc = cJSON_AddObjectToObject(o, "scenarios");
    for (size_t i = 0; i < t->n_scenarios && b->run.scenario_names; i++)
        cJSON_AddItemToObject(sc, b->run.scenario_names[i], latency_json(&t->by_scenario[i]));
    nm = cJSON_AddObjectToObject(o, "requests_by_name");
    for (size_t i = 0; i < t->n_names && i < b->run.n_names; i++)
        cJSON_AddItemToObject(nm, b->run.names[i], latency_json(&t->by_name[i]));
    if (with_histograms) { /* every distribution, so shards merge exactly (perfgate merge) */
        cJSON *sh = cJSON_AddObjectToObject(o, "scenario_histograms"),
              *rh = cJSON_AddObjectToObject(o, "request_histograms");
        add_hist(o, "histogram", &t->duration);
        add_hist(o, "histogram_uncorrected", &t->duration_raw);
        add_hist(o, "ttfb_histogram", &t->waiting);
        add_hist(o, "connect_histogram", &t->connecting);
        add_hist(o, "tls_histogram", &t->tls);
        add_hist(o, "iteration_histogram", &t->iteration);
        if (t->send_late.total)
            add_hist(o, "send_lateness_histogram", &t->send_late);
        for (size_t i = 0; i < t->n_scenarios && b->run.scenario_names; i++)
            add_hist(sh, b->run.scenario_names[i], &t->by_scenario[i]);
        for (size_t i = 0; i < t->n_names && i < b->run.n_names; i++)
            add_hist(rh, b->run.names[i], &t->by_name[i]);
        if (t->n_filters) { /* only when a threshold names such a sub-metric */
            cJSON *fh = cJSON_AddObjectToObject(o, "filter_histograms");
            for (size_t i = 0; i < t->n_filters && i < b->run.n_filters; i++)
                add_hist(fh, b->run.filters[i], &t->by_filter[i]);
        }
    }
    add_sse(o, t, with_histograms);
    return o;
}

static cJSON *gauge_summary_json(const pg_gauge_summary *g)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "count", (double)g->count);
    cJSON_AddNumberToObject(o, "min", g->min);
    cJSON_AddNumberToObject(o, "mean", round(g->mean * 100.0) / 100.0);
    cJSON_AddNumberToObject(o, "p50", g->p50);
    cJSON_AddNumberToObject(o, "p90", g->p90);
    cJSON_AddNumberToObject(o, "p95", g->p95);
    cJSON_AddNumberToObject(o, "p99", g->p99);
    cJSON_AddNumberToObject(o, "max", g->max);
    return o;
}

/* Each sampled series summarised over [from_s, to_s): per trial, or the run. */
static void add_gauge_summaries(cJSON *o, const pg_budget_run *r, double from_s, double to_s)
{
    cJSON *m;

    if (!r->n_gauges)
        return;
    m = cJSON_AddObjectToObject(o, "monitor");
    for (size_t i = 0; i < r->n_gauges; i++) {
        pg_gauge_summary g;
        pg_gauge_summarise(&r->gauges[i], from_s, to_s, &g);
        if (g.count)
            cJSON_AddItemToObject(m, r->gauges[i].name, gauge_summary_json(&g));
    }
}

static cJSON *step_json(const pg_capacity_step *s)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "rate", s->rate);
    cJSON_AddNumberToObject(o, "t", round(s->t_s * 1000.0) / 1000.0);
    cJSON_AddNumberToObject(o, "duration_s", round(s->duration_s * 1000.0) / 1000.0);
    cJSON_AddNumberToObject(o, "rps", round(s->rps * 100.0) / 100.0);
    cJSON_AddNumberToObject(o, "requests", (double)s->requests);
    cJSON_AddNumberToObject(o, "errors", (double)s->failed);
    cJSON_AddNumberToObject(o, "dropped", (double)s->dropped);
    cJSON_AddNumberToObject(o, "p50_us", (double)s->p50_us);
    cJSON_AddNumberToObject(o, "p95_us", (double)s->p95_us);
    cJSON_AddNumberToObject(o, "p99_us", (double)s->p99_us);
    cJSON_AddBoolToObject(o, "held", s->held);
    if (!s->held)
        cJSON_AddStringToObject(o, "broke", s->why);
    return o;
}

/* breaking-point: the trial's capacity and every step of its staircase. */
static void add_capacity(cJSON *o, const pg_budget_run *r, size_t trial)
{
    cJSON *steps;

    if (!r->n_steps)
        return;
    cJSON_AddNumberToObject(o, "capacity_rps", r->trials[trial].capacity_rps);
    cJSON_AddBoolToObject(o, "capacity_at_max", r->trials[trial].capacity_at_max);
    steps = cJSON_AddArrayToObject(o, "steps");
    for (size_t k = 0; k < r->n_steps; k++)
        if (r->steps[k].trial == trial)
            cJSON_AddItemToArray(steps, step_json(&r->steps[k]));
}

/* The samples themselves, [[t, v], ...], so merges and charts have them all. */
static cJSON *monitor_json(const pg_budget_run *r)
{
    cJSON *o = cJSON_CreateObject(), *series = cJSON_AddObjectToObject(o, "series");

    if (r->monitor_target[0])
        cJSON_AddStringToObject(o, "target", r->monitor_target);
    if (r->monitor_note[0])
        cJSON_AddStringToObject(o, "note", r->monitor_note);
    for (size_t i = 0; i < r->n_gauges; i++) {
        const pg_gauge_series *g = &r->gauges[i];
        cJSON *s = cJSON_AddObjectToObject(series, g->name), *a;
        cJSON_AddStringToObject(s, "unit", g->unit);
        a = cJSON_AddArrayToObject(s, "samples");
        for (size_t k = 0; k < g->n; k++) {
            cJSON *p = cJSON_CreateArray();
            cJSON_AddItemToArray(p, cJSON_CreateNumber(round(g->t_s[k] * 1000.0) / 1000.0));
            cJSON_AddItemToArray(p, cJSON_CreateNumber(round(g->v[k] * 1000.0) / 1000.0));
            cJSON_AddItemToArray(a, p);
        }
    }
    return o;
}

static cJSON *timeline_json(const pg_budget_run *r, double from_s, double to_s)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; i < r->n_timeline; i++) {
        const pg_timeline_point *p = &r->timeline[i];
        cJSON *o;
        if (p->t_s < from_s || p->t_s >= to_s)
            continue;
        o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "t", p->t_s);
        cJSON_AddNumberToObject(o, "requests", (double)p->requests);
        cJSON_AddNumberToObject(o, "errors", (double)p->failed);
        cJSON_AddNumberToObject(o, "dropped", (double)p->dropped);
        cJSON_AddNumberToObject(o, "p50_us", (double)p->p50_us);
        cJSON_AddNumberToObject(o, "p99_us", (double)p->p99_us);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *checks_json(const pg_budget_result *b)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; i < b->n_checks; i++) {
        const pg_check *c = &b->checks[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", c->kind);
        cJSON_AddStringToObject(o, "metric", c->metric);
        cJSON_AddStringToObject(o, "expr", c->expr);
        cJSON_AddStringToObject(o, "verdict", pg_verdict_names[c->verdict]);
        if (isfinite(c->observed))
            cJSON_AddNumberToObject(o, "observed", c->observed);
        cJSON_AddStringToObject(o, "detail", c->detail);
        if (c->line > 0) { /* where the threshold is: GitHub annotations point there */
            cJSON_AddNumberToObject(o, "line", c->line);
            cJSON_AddNumberToObject(o, "col", c->col);
        }
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *budget_json(const pg_budget_result *b)
{
    cJSON *o = cJSON_CreateObject(), *trials = cJSON_CreateArray(), *sum;
    const pg_budget_run *r = &b->run;
    pg_trial all;
    pg_err err;
    cJSON *ex;

    cJSON_AddStringToObject(o, "name", b->name);
    cJSON_AddStringToObject(o, "budget", b->path);
    cJSON_AddStringToObject(o, "target", b->target);
    if (b->fingerprint[0] && b->work) {
        cJSON_AddStringToObject(o, "fingerprint", b->fingerprint);
        cJSON_AddRawToObject(o, "work", b->work);
    }
    cJSON_AddBoolToObject(o, "interrupted", r->interrupted);
    if (r->aborted[0])
        cJSON_AddStringToObject(o, "aborted", r->aborted);
    cJSON_AddBoolToObject(o, "generator_saturated", r->saturated);
    if (r->saturated)
        cJSON_AddStringToObject(o, "saturation", r->saturation);
    cJSON_AddNumberToObject(o, "threads", r->threads);
    cJSON_AddNumberToObject(o, "generator_cpu_percent", round(r->cpu_percent));
    if (r->max_rss_kib > 0)
        cJSON_AddNumberToObject(o, "generator_max_rss_kib", (double)r->max_rss_kib);
    ex = cJSON_AddObjectToObject(o, "error_examples");
    for (int i = 0; i < PG_FAIL_KINDS; i++)
        if (r->fail_example[i][0])
            cJSON_AddStringToObject(ex, pg_fail_kind_names[i], r->fail_example[i]);
    if (r->n_gauges || r->monitor_note[0])
        cJSON_AddItemToObject(o, "monitor", monitor_json(r));
    if (r->n_hints) {
        cJSON *h = cJSON_AddArrayToObject(o, "hints");
        for (size_t i = 0; i < r->n_hints; i++)
            cJSON_AddItemToArray(h, cJSON_CreateString(r->hints[i]));
    }
    for (size_t i = 0; i < r->n_trials; i++) {
        cJSON *t = trial_json(&r->trials[i], b, 1);
        double from, to;
        pg_budget_run_trial_window(r, i, &from, &to);
        cJSON_AddNumberToObject(t, "started_s", round(from * 1000.0) / 1000.0);
        cJSON_AddItemToObject(t, "timeline", timeline_json(r, from, to));
        add_gauge_summaries(t, r, from, to);
        add_capacity(t, r, i);
        cJSON_AddItemToArray(trials, t);
    }
    cJSON_AddItemToObject(o, "trials", trials);
    if (r->n_trials && pg_budget_run_merged(&all, r, &err) == 0) {
        sum = trial_json(&all, b, 0);
        add_gauge_summaries(sum, r, -1e300, 1e300);
        if (r->n_steps)
            cJSON_AddNumberToObject(sum, "capacity_rps", pg_budget_run_capacity(r, "med", 0));
        cJSON_AddItemToObject(o, "summary", sum);
        pg_trial_clear(&all);
    } else {
        cJSON_AddObjectToObject(o, "summary");
    }
    {
        cJSON *reg = cJSON_AddObjectToObject(o, "regression"), *ms;
        cJSON_AddBoolToObject(reg, "enabled", b->regression.enabled);
        cJSON_AddNumberToObject(reg, "alpha", b->regression.alpha);
        if (b->regression.min_effect > 0)
            cJSON_AddNumberToObject(reg, "min_effect", b->regression.min_effect);
        ms = cJSON_AddArrayToObject(reg, "metrics");
        for (size_t i = 0; i < b->regression.n; i++) {
            cJSON *m = cJSON_CreateObject();
            cJSON_AddStringToObject(m, "name", b->regression.metric[i].name);
            cJSON_AddNumberToObject(m, "min_effect", b->regression.metric[i].min_effect);
            cJSON_AddItemToArray(ms, m);
        }
    }
    cJSON_AddItemToObject(o, "checks", checks_json(b));
    return o;
}

char *pg_results_to_json(const pg_results *r)
{
    unsigned long failed = pg_json_alloc_failures();
    cJSON *root = cJSON_CreateObject(), *env, *budgets;
    char *text;

    cJSON_AddStringToObject(root, "format", PG_RESULTS_FORMAT);
    if (r->commit[0])
        cJSON_AddStringToObject(root, "commit", r->commit);
    else
        cJSON_AddNullToObject(root, "commit");
    cJSON_AddStringToObject(root, "ref", r->ref);
    cJSON_AddStringToObject(root, "created", r->created);
    cJSON_AddBoolToObject(root, "interrupted", r->interrupted);
    if (r->shard[0])
        cJSON_AddStringToObject(root, "shard", r->shard);
    if (r->merged_shards)
        cJSON_AddNumberToObject(root, "merged_shards", r->merged_shards);
    env = cJSON_AddObjectToObject(root, "env");
    cJSON_AddStringToObject(env, "host", r->env.host);
    cJSON_AddStringToObject(env, "cpu", r->env.cpu);
    cJSON_AddNumberToObject(env, "cores", (double)r->env.cores);
    cJSON_AddStringToObject(env, "kernel", r->env.kernel);
    cJSON_AddStringToObject(env, "perfgate", PERFGATE_VERSION);
    if (r->env.testbed[0])
        cJSON_AddStringToObject(env, "testbed", r->env.testbed);
    budgets = cJSON_AddArrayToObject(root, "budgets");
    for (size_t i = 0; i < r->n_budgets; i++)
        cJSON_AddItemToArray(budgets, budget_json(&r->budgets[i]));
    /* a document cJSON could not complete is never written as if it were */
    text = pg_json_alloc_failures() == failed ? pg_json_print(root, 1) : NULL;
    cJSON_Delete(root);
    return text;
}

int pg_results_write(const pg_results *r, const char *path, pg_err *err)
{
    char *text = pg_results_to_json(r);
    int rc;

    if (!text)
        return pg_err_set(err, PG_ENOMEM, "out of memory writing results");
    rc = pg_file_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}
