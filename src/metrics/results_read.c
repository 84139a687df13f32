/* results_read.c — perfgate-results/1 back into pg_results (see results_read.h). */
#include "metrics/results_read.h"

#include "common/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *path;
    pg_err *err;
} reader;

static const cJSON *get(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = get(o, key);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : 0.0;
}

/* Counts in a results file are non-negative whole numbers; anything else
 * (a hand edit, a fuzzer) reads as 0 rather than wrapping around. */
static uint64_t count(const cJSON *o, const char *key)
{
    double v = num(o, key);
    return v > 0.0 && v < 1.8e19 ? (uint64_t)v : 0;
}

/* A string member, "" when absent. Untrusted: kept only through
 * keep() or pg_text_dup_clean(), which replace control characters
 * (common/text.h). */
static const char *text(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(get(o, key));
    return s ? s : "";
}

#define keep(dst, src) pg_text_copy_clean((dst), sizeof(dst), (src))

/* Decodes o[key] into h; missing is an error (what the merge cannot do without). */
static int hist(reader *r, pg_hist *h, const cJSON *o, const char *key, size_t trial)
{
    const char *enc = cJSON_GetStringValue(get(o, key));
    pg_err e;

    if (!enc)
        return pg_err_at(r->err, PG_EINVALID, r->path, 0, 0,
                         "trial %zu has no \"%s\": written by a perfgate that did not keep every "
                         "histogram; run it again to merge it",
                         trial + 1, key);
    if (pg_hist_decode(h, enc, &e) != 0)
        return pg_err_at(r->err, PG_EINVALID, r->path, 0, 0,
                         "trial %zu: \"%s\" is not a histogram encoding (%s)", trial + 1, key,
                         e.msg);
    return PG_OK;
}

static int names_of(reader *r, char ***out, size_t *n, const cJSON *obj)
{
    const cJSON *e;
    size_t k = (size_t)cJSON_GetArraySize(obj);

    *n = 0;
    if (!(*out = calloc(k ? k : 1, sizeof **out)))
        return pg_err_set(r->err, PG_ENOMEM, "out of memory");
    cJSON_ArrayForEach(e, obj)
    {
        if (!((*out)[*n] = pg_text_dup_clean(e->string ? e->string : "")))
            return pg_err_set(r->err, PG_ENOMEM, "out of memory");
        (*n)++;
    }
    return PG_OK;
}

static int read_sse(reader *r, pg_trial *t, const cJSON *sse, size_t i)
{
    int rc;

    if (!sse)
        return PG_OK;
    t->sse_streams = count(sse, "streams");
    t->sse_events = count(sse, "events");
    t->sse_tokens = count(sse, "tokens");
    if ((rc = hist(r, &t->sse_ttfe, sse, "time_to_first_event_histogram", i)) != 0 ||
        (rc = hist(r, &t->sse_gap, sse, "inter_event_histogram", i)) != 0 ||
        (rc = hist(r, &t->sse_stream, sse, "stream_duration_histogram", i)) != 0 ||
        (rc = hist(r, &t->sse_eps, sse, "events_per_second_histogram", i)) != 0 ||
        (rc = hist(r, &t->sse_tps, sse, "tokens_per_second_histogram", i)) != 0)
        return rc;
    return PG_OK;
}

static int read_trial(reader *r, pg_budget_run *run, size_t i, const cJSON *o)
{
    pg_trial *t = &run->trials[i];
    const cJSON *e, *sh = get(o, "scenario_histograms"), *rh = get(o, "request_histograms"),
                    *fh = get(o, "filter_histograms");
    int rc;

    if ((rc = pg_trial_init(t, run->n_scenarios, run->n_names, r->err)) != 0 ||
        (rc = pg_trial_add_filters(t, run->n_filters, r->err)) != 0)
        return rc;
    t->duration_s = num(o, "duration_s");
    t->requests = count(o, "requests");
    t->failed = count(o, "errors");
    t->dropped = count(o, "dropped");
    t->retried = count(o, "retried");
    t->iterations = count(o, "iterations");
    t->bytes_in = count(o, "bytes_in");
    t->bytes_out = count(o, "bytes_out");
    t->checks_failed = count(get(o, "checks"), "failed");
    t->checks = count(get(o, "checks"), "passed") + t->checks_failed;
    cJSON_ArrayForEach(e, get(o, "status"))
    {
        long code = strcmp(e->string, "none") == 0 ? 0 : strtol(e->string, NULL, 10);
        if (code >= 0 && code < PG_STATUS_CODES && cJSON_IsNumber(e) && e->valuedouble > 0)
            t->status[code] += (uint64_t)e->valuedouble;
    }
    cJSON_ArrayForEach(e, get(o, "errors_by_kind"))
    {
        for (int k = 0; k < PG_FAIL_KINDS; k++)
            if (strcmp(e->string, pg_fail_kind_names[k]) == 0 && cJSON_IsNumber(e) &&
                e->valuedouble > 0)
                t->fails[k] += (uint64_t)e->valuedouble;
    }
    if ((rc = hist(r, &t->duration, o, "histogram", i)) != 0 ||
        (rc = hist(r, &t->duration_raw, o, "histogram_uncorrected", i)) != 0 ||
        (rc = hist(r, &t->waiting, o, "ttfb_histogram", i)) != 0 ||
        (rc = hist(r, &t->connecting, o, "connect_histogram", i)) != 0 ||
        (rc = hist(r, &t->tls, o, "tls_histogram", i)) != 0 ||
        (rc = hist(r, &t->iteration, o, "iteration_histogram", i)) != 0 ||
        (get(o, "send_lateness_histogram") && /* open model only, since stop 21 */
         (rc = hist(r, &t->send_late, o, "send_lateness_histogram", i)) != 0) ||
        (rc = read_sse(r, t, get(o, "sse"), i)) != 0)
        return rc;
    for (size_t k = 0; k < run->n_scenarios; k++)
        if ((rc = hist(r, &t->by_scenario[k], sh, run->scenario_names[k], i)) != 0)
            return rc;
    for (size_t k = 0; k < run->n_names; k++)
        if ((rc = hist(r, &t->by_name[k], rh, run->names[k], i)) != 0)
            return rc;
    for (size_t k = 0; k < run->n_filters; k++)
        if ((rc = hist(r, &t->by_filter[k], fh, run->filters[k], i)) != 0)
            return rc;
    return PG_OK;
}

static int read_timeline(reader *r, pg_budget_run *run, const cJSON *trials)
{
    const cJSON *t, *p;
    size_t n = 0;

    cJSON_ArrayForEach(t, trials) n += (size_t)cJSON_GetArraySize(get(t, "timeline"));
    if (!n)
        return PG_OK;
    if (!(run->timeline = calloc(n, sizeof *run->timeline)))
        return pg_err_set(r->err, PG_ENOMEM, "out of memory");
    cJSON_ArrayForEach(t, trials) cJSON_ArrayForEach(p, get(t, "timeline"))
    {
        pg_timeline_point *q = &run->timeline[run->n_timeline++];
        q->t_s = num(p, "t");
        q->requests = count(p, "requests");
        q->failed = count(p, "errors");
        q->dropped = count(p, "dropped");
        q->p50_us = count(p, "p50_us");
        q->p99_us = count(p, "p99_us");
    }
    return PG_OK;
}

/* "monitor": the sampled series, each [[t, v], ...]. */
static int read_monitor(reader *r, pg_budget_run *run, const cJSON *mon)
{
    const cJSON *s, *p;

    if (!mon)
        return PG_OK;
    keep(run->monitor_target, text(mon, "target"));
    keep(run->monitor_note, text(mon, "note"));
    cJSON_ArrayForEach(s, get(mon, "series"))
    {
        pg_gauge_series *g;
        char name[sizeof g->name], unit[sizeof g->unit];
        if (!s->string || !s->string[0])
            continue;
        keep(name, s->string);
        keep(unit, text(s, "unit"));
        if (!(g = pg_budget_run_gauge_add(run, name, unit)))
            return pg_err_set(r->err, PG_ENOMEM, "out of memory");
        cJSON_ArrayForEach(p, get(s, "samples"))
        {
            const cJSON *t = cJSON_GetArrayItem(p, 0), *v = cJSON_GetArrayItem(p, 1);
            if (!cJSON_IsNumber(t) || !cJSON_IsNumber(v) || !isfinite(t->valuedouble) ||
                !isfinite(v->valuedouble))
                continue;
            if (pg_gauge_append(g, t->valuedouble, v->valuedouble) != 0)
                return pg_err_set(r->err, PG_ENOMEM, "out of memory");
        }
    }
    return PG_OK;
}

/* breaking-point: a trial's capacity and its staircase. */
static int read_steps(reader *r, pg_budget_run *run, size_t trial, const cJSON *o)
{
    const cJSON *e, *steps = get(o, "steps");
    size_t n = (size_t)cJSON_GetArraySize(steps);
    pg_capacity_step *g;

    run->trials[trial].capacity_rps = num(o, "capacity_rps");
    run->trials[trial].capacity_at_max = cJSON_IsTrue(get(o, "capacity_at_max"));
    if (!n)
        return PG_OK;
    if (!(g = realloc(run->steps, (run->n_steps + n) * sizeof *g)))
        return pg_err_set(r->err, PG_ENOMEM, "out of memory");
    run->steps = g;
    cJSON_ArrayForEach(e, steps)
    {
        pg_capacity_step *s = &run->steps[run->n_steps++];
        memset(s, 0, sizeof *s);
        s->trial = trial;
        s->rate = num(e, "rate");
        s->t_s = num(e, "t");
        s->duration_s = num(e, "duration_s");
        s->rps = num(e, "rps");
        s->requests = count(e, "requests");
        s->failed = count(e, "errors");
        s->dropped = count(e, "dropped");
        s->p50_us = count(e, "p50_us");
        s->p95_us = count(e, "p95_us");
        s->p99_us = count(e, "p99_us");
        s->held = cJSON_IsTrue(get(e, "held"));
        keep(s->why, text(e, "broke"));
    }
    return PG_OK;
}

static int read_checks(reader *r, pg_budget_result *b, const cJSON *checks)
{
    const cJSON *c;
    size_t n = (size_t)cJSON_GetArraySize(checks);

    if (!n)
        return PG_OK;
    if (!(b->checks = calloc(n, sizeof *b->checks)))
        return pg_err_set(r->err, PG_ENOMEM, "out of memory");
    cJSON_ArrayForEach(c, checks)
    {
        pg_check *k = &b->checks[b->n_checks++];
        keep(k->kind, text(c, "kind"));
        keep(k->metric, text(c, "metric"));
        keep(k->expr, text(c, "expr"));
        keep(k->detail, text(c, "detail"));
        k->verdict = pg_verdict_named(text(c, "verdict"));
        k->observed = cJSON_IsNumber(get(c, "observed")) ? num(c, "observed") : NAN;
        k->line = (int)num(c, "line");
        k->col = (int)num(c, "col");
    }
    return PG_OK;
}

static void read_regression(pg_regression_setting *s, const cJSON *reg)
{
    const cJSON *m;

    memset(s, 0, sizeof *s);
    s->enabled = cJSON_IsTrue(get(reg, "enabled"));
    s->alpha = num(reg, "alpha");
    cJSON_ArrayForEach(m, get(reg, "metrics"))
    {
        if (s->n == PG_MAX_REGRESSION_METRICS)
            break;
        keep(s->metric[s->n].name, text(m, "name"));
        s->metric[s->n++].min_effect = num(m, "min_effect");
    }
}

static int read_budget(reader *r, pg_budget_result *b, const cJSON *o)
{
    pg_budget_run *run = &b->run;
    const cJSON *trials = get(o, "trials"), *first = cJSON_GetArrayItem(trials, 0), *t, *e;
    size_t n = (size_t)cJSON_GetArraySize(trials), i = 0;
    int rc;

    if (!(b->name = pg_text_dup_clean(text(o, "name"))) ||
        !(b->path = pg_text_dup_clean(text(o, "budget"))) ||
        !(b->target = pg_text_dup_clean(text(o, "target"))))
        return pg_err_set(r->err, PG_ENOMEM, "out of memory");
    if (cJSON_IsObject(get(o, "work")) && strlen(text(o, "fingerprint")) == 64) {
        keep(b->fingerprint, text(o, "fingerprint"));
        if (!(b->work = cJSON_PrintUnformatted(get(o, "work"))))
            return pg_err_set(r->err, PG_ENOMEM, "out of memory");
    }
    run->interrupted = cJSON_IsTrue(get(o, "interrupted"));
    keep(run->aborted, text(o, "aborted"));
    run->saturated = cJSON_IsTrue(get(o, "generator_saturated"));
    keep(run->saturation, text(o, "saturation"));
    run->threads = (unsigned)count(o, "threads");
    run->cpu_percent = num(o, "generator_cpu_percent");
    run->max_rss_kib = (long)count(o, "generator_max_rss_kib");
    cJSON_ArrayForEach(e, get(o, "hints"))
    {
        if (cJSON_IsString(e) && run->n_hints < PG_MAX_HINTS)
            keep(run->hints[run->n_hints++], e->valuestring);
    }
    cJSON_ArrayForEach(e, get(o, "error_examples"))
    {
        for (int k = 0; k < PG_FAIL_KINDS; k++)
            if (strcmp(e->string, pg_fail_kind_names[k]) == 0 && cJSON_IsString(e))
                keep(run->fail_example[k], e->valuestring);
    }
    read_regression(&b->regression, get(o, "regression"));
    /* scenario and request names: the keys of the first trial's histograms */
    if ((rc = names_of(r, &run->scenario_names, &run->n_scenarios,
                       get(first, "scenario_histograms"))) != 0 ||
        (rc = names_of(r, &run->names, &run->n_names, get(first, "request_histograms"))) != 0 ||
        (rc = names_of(r, &run->filters, &run->n_filters, get(first, "filter_histograms"))) != 0)
        return rc;
    if (n && !(run->trials = calloc(n, sizeof *run->trials)))
        return pg_err_set(r->err, PG_ENOMEM, "out of memory");
    cJSON_ArrayForEach(t, trials)
    {
        run->n_trials = i + 1;
        if ((rc = read_trial(r, run, i, t)) != 0 || (rc = read_steps(r, run, i, t)) != 0)
            return rc;
        i++;
    }
    if ((rc = read_timeline(r, run, trials)) != 0 ||
        (rc = read_monitor(r, run, get(o, "monitor"))) != 0)
        return rc;
    return read_checks(r, b, get(o, "checks"));
}

int pg_results_from_doc(pg_results *out, const cJSON *doc, const char *path, pg_err *err)
{
    reader r = {path, err};
    const cJSON *env = get(doc, "env"), *budgets = get(doc, "budgets"), *b;
    size_t n = (size_t)cJSON_GetArraySize(budgets);
    int rc;

    memset(out, 0, sizeof *out);
    if (strcmp(text(doc, "format"), PG_RESULTS_FORMAT) != 0)
        return pg_err_at(err, PG_EINVALID, path, 0, 0, "not a %s file", PG_RESULTS_FORMAT);
    keep(out->commit, text(doc, "commit"));
    keep(out->ref, text(doc, "ref"));
    keep(out->created, text(doc, "created"));
    keep(out->shard, text(doc, "shard"));
    out->interrupted = cJSON_IsTrue(get(doc, "interrupted"));
    out->merged_shards = (int)count(doc, "merged_shards");
    keep(out->env.host, text(env, "host"));
    keep(out->env.cpu, text(env, "cpu"));
    keep(out->env.kernel, text(env, "kernel"));
    out->env.cores = (long)count(env, "cores");
    keep(out->env.testbed, text(env, "testbed"));
    if (n && !(out->budgets = calloc(n, sizeof *out->budgets)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    cJSON_ArrayForEach(b, budgets)
    {
        out->n_budgets++;
        if ((rc = read_budget(&r, &out->budgets[out->n_budgets - 1], b)) != 0)
            return rc;
    }
    return PG_OK;
}
