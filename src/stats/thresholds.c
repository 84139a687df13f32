/* thresholds.c — k6-style thresholds on a finished run (see thresholds.h). */
#include "stats/thresholds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The histogram of a trend in the whole run; NULL for other kinds and for a
 * filter that names no scenario or request of the run. */
static const pg_hist *trend_of(const pg_threshold *t, const pg_trial *all, const pg_budget_run *run)
{
    switch (t->def->id) {
    case PG_METRIC_HTTP_REQ_DURATION:
        if (!t->filter.n)
            return &all->duration;
        switch (pg_tag_filter_simple(&t->filter)) {
        case PG_TAG_SCENARIO:
            for (size_t i = 0; i < run->n_scenarios; i++)
                if (strcmp(run->scenario_names[i], t->filter.value[PG_TAG_SCENARIO]) == 0)
                    return &all->by_scenario[i];
            return NULL;
        case PG_TAG_NAME:
            for (size_t i = 0; i < run->n_names; i++)
                if (strcmp(run->names[i], t->filter.value[PG_TAG_NAME]) == 0)
                    return &all->by_name[i];
            return NULL;
        default: /* measured for this threshold's key */
            for (size_t i = 0; i < run->n_filters && i < all->n_filters; i++)
                if (strcmp(run->filters[i], t->metric) == 0)
                    return &all->by_filter[i];
            return NULL;
        }
    case PG_METRIC_HTTP_REQ_WAITING:
        return &all->waiting;
    case PG_METRIC_HTTP_REQ_CONNECTING:
        return &all->connecting;
    case PG_METRIC_HTTP_REQ_TLS_HANDSHAKING:
        return &all->tls;
    case PG_METRIC_ITERATION_DURATION:
        return &all->iteration;
    case PG_METRIC_SSE_TIME_TO_FIRST_EVENT:
        return &all->sse_ttfe;
    case PG_METRIC_SSE_INTER_EVENT:
        return &all->sse_gap;
    case PG_METRIC_SSE_STREAM_DURATION:
        return &all->sse_stream;
    case PG_METRIC_SSE_EVENTS_PER_SECOND:
        return &all->sse_eps;
    case PG_METRIC_SSE_TOKENS_PER_SECOND:
        return &all->sse_tps;
    default: /* not a trend */
        return NULL;
    }
}

static double counter_of(const pg_threshold *t, const pg_trial *all)
{
    switch (t->def->id) {
    case PG_METRIC_HTTP_REQS: /* answered ones: a dead target cannot pass rate>N on attempts */
        return (double)pg_trial_answered(all);
    case PG_METRIC_ITERATIONS:
        return (double)all->iterations;
    case PG_METRIC_DROPPED_ITERATIONS:
        return (double)all->dropped;
    case PG_METRIC_DATA_RECEIVED:
        return (double)all->bytes_in;
    case PG_METRIC_DATA_SENT:
        return (double)all->bytes_out;
    case PG_METRIC_SSE_EVENTS:
        return (double)all->sse_events;
    case PG_METRIC_SSE_TOKENS:
        return (double)all->sse_tokens;
    default: /* not a counter */
        return NAN;
    }
}

/* A gauge's samples: each trial's capacity, or a sampled series. */
static double gauge_of(const pg_threshold *t, const pg_budget_run *run)
{
    static const char *const aggs[] = {"p", "avg", "med", "min", "max"};
    const char *agg = t->agg <= PG_AGG_MAX ? aggs[t->agg] : "max";
    const pg_gauge_series *g;

    if (t->def->id == PG_METRIC_CAPACITY_RPS)
        return pg_budget_run_capacity(run, agg, t->percentile);
    if (!(g = pg_budget_run_gauge(run, t->base)))
        return NAN;
    return pg_gauge_aggregate(g->v, g->n, agg, t->percentile);
}

double pg_threshold_observe(const pg_threshold *t, const pg_trial *all, const pg_budget_run *run,
                            double duration_s)
{
    const pg_hist *h;
    double unit = t->def->unit == PG_UNIT_PER_SECOND ? PG_PER_SECOND_SCALE : 1.0;

    switch (t->def->kind) {
    case PG_METRIC_GAUGE:
        return gauge_of(t, run);
    case PG_METRIC_TREND:
        if (!(h = trend_of(t, all, run)) || !h->total)
            return NAN;
        switch (t->agg) {
        case PG_AGG_PERCENTILE:
            return (double)pg_hist_percentile(h, t->percentile) / unit;
        case PG_AGG_AVG:
            return pg_hist_mean(h) / unit;
        case PG_AGG_MED:
            return (double)pg_hist_percentile(h, 50.0) / unit;
        case PG_AGG_MIN:
            return (double)h->min / unit;
        default:
            return (double)h->max / unit;
        }
    case PG_METRIC_RATE:
        if (t->def->id == PG_METRIC_HTTP_REQ_FAILED)
            return all->requests ? (double)all->failed / (double)all->requests : NAN;
        return all->checks ? (double)(all->checks - all->checks_failed) / (double)all->checks : NAN;
    default:
        if (t->agg == PG_AGG_COUNT)
            return counter_of(t, all);
        return duration_s > 0.0 ? counter_of(t, all) / duration_s : NAN;
    }
}

/* What the observed value is in: a counter's count or rate, a rate's share,
 * else its metric's own unit. */
static pg_unit value_unit(const pg_threshold *t)
{
    if (t->def->kind == PG_METRIC_COUNTER)
        return t->agg == PG_AGG_RATE ? PG_UNIT_PER_SECOND : PG_UNIT_COUNT;
    return t->def->unit;
}

/* A run a threshold aborted failed that threshold, even when the trials it
 * kept (cut where the workers stopped) hold a little more than what the
 * watcher saw and no longer break it: a results file never passes a run
 * that was stopped for failing. */
static void stopped_by(pg_budget_result *r)
{
    pg_check *first = NULL;

    if (!r->run.aborted[0])
        return;
    for (size_t i = 0; i < r->n_checks; i++) {
        if (!r->checks[i].abort_on_fail)
            continue;
        if (r->checks[i].verdict == PG_VERDICT_FAIL)
            return;
        if (!first)
            first = &r->checks[i];
    }
    if (first) {
        first->verdict = PG_VERDICT_FAIL;
        snprintf(first->detail, sizeof first->detail, "%s", r->run.aborted);
    }
}

/* Every budget implies one more threshold, added only when it breaks: some
 * request got an answer. A
 * target that refused, timed out or spoke no HTTP to every request leaves
 * latency thresholds without data (skipped, as k6 does), and without this a
 * budget with no error threshold would pass on a dead target. */
static void add_answered_check(pg_budget_result *r, const pg_trial *all)
{
    pg_check *c = &r->checks[r->n_checks++];
    size_t used;

    memset(c, 0, sizeof *c);
    snprintf(c->kind, sizeof c->kind, "threshold");
    snprintf(c->metric, sizeof c->metric, PG_IMPLIED_METRIC);
    snprintf(c->expr, sizeof c->expr, PG_IMPLIED_EXPR);
    c->observed = 0;
    c->verdict = PG_VERDICT_FAIL;
    used = (size_t)snprintf(c->detail, sizeof c->detail,
                            "no request got an answer: %llu of %llu failed (",
                            (unsigned long long)all->failed, (unsigned long long)all->requests);
    for (int i = 0, first = 1; i < PG_FAIL_KINDS && used < sizeof c->detail; i++) {
        if (!all->fails[i])
            continue;
        used += (size_t)snprintf(c->detail + used, sizeof c->detail - used, "%s%s %llu",
                                 first ? "" : ", ", pg_fail_kind_names[i],
                                 (unsigned long long)all->fails[i]);
        first = 0;
    }
    if (used < sizeof c->detail)
        snprintf(c->detail + used, sizeof c->detail - used, ")");
}

/* A breaking-point run whose every staircase broke at its first step found
 * no capacity at all: that fails, whatever thresholds the budget states. */
static int no_capacity(const pg_budget_run *run)
{
    return pg_budget_run_capacity(run, "max", 0) <= 0; /* NAN (no staircase) is not <= 0 */
}

static void add_capacity_check(pg_budget_result *r)
{
    const pg_capacity_step *first = &r->run.steps[0];
    pg_check *c = &r->checks[r->n_checks++];

    memset(c, 0, sizeof *c);
    snprintf(c->kind, sizeof c->kind, "threshold");
    snprintf(c->metric, sizeof c->metric, "capacity_rps");
    snprintf(c->expr, sizeof c->expr, PG_IMPLIED_CAPACITY_EXPR);
    c->verdict = PG_VERDICT_FAIL;
    snprintf(c->detail, sizeof c->detail, "no step held: the first, %g/s, broke (%.400s)",
             first->rate, first->why);
}

int pg_thresholds_evaluate(pg_budget_result *r, const pg_budget *b, pg_err *err)
{
    const pg_budget_run *run = &r->run;
    pg_trial all;
    pg_check *checks;
    int rc, implied, capacity;

    if ((rc = pg_budget_run_merged(&all, run, err)) != 0)
        return rc;
    implied = all.requests && !pg_trial_answered(&all);
    capacity = no_capacity(run);
    if (!b->n_thresholds && !implied && !capacity) {
        pg_trial_clear(&all);
        return PG_OK;
    }
    if (!(checks = realloc(r->checks,
                           (r->n_checks + b->n_thresholds + (size_t)implied + (size_t)capacity) *
                               sizeof *checks))) {
        pg_trial_clear(&all);
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    }
    r->checks = checks;
    if (implied)
        add_answered_check(r, &all);
    if (capacity)
        add_capacity_check(r);
    for (size_t i = 0; i < b->n_thresholds; i++) {
        const pg_threshold *t = &b->thresholds[i];
        pg_check *c = &r->checks[r->n_checks++];
        char agg[32], seen[32], limit[32];
        double v = pg_threshold_observe(t, &all, run, all.duration_s);
        memset(c, 0, sizeof *c);
        snprintf(c->kind, sizeof c->kind, "threshold");
        snprintf(c->metric, sizeof c->metric, "%s", t->metric);
        snprintf(c->expr, sizeof c->expr, "%s", t->source);
        c->observed = v;
        c->abort_on_fail = t->abort_on_fail;
        c->line = t->line;
        c->col = t->col;
        pg_agg_format(t->agg, t->percentile, agg, sizeof agg);
        pg_format_in_unit(value_unit(t), t->value, limit, sizeof limit);
        if (isnan(v)) {
            c->verdict = PG_VERDICT_SKIPPED;
            snprintf(c->detail, sizeof c->detail,
                     "%s %s: no data (nothing was measured for this metric)", t->metric, agg);
            continue;
        }
        pg_format_in_unit(value_unit(t), v, seen, sizeof seen);
        c->verdict = pg_threshold_holds(t, v) ? PG_VERDICT_PASS : PG_VERDICT_FAIL;
        snprintf(c->detail, sizeof c->detail, "%s %s %s %s %s", t->metric, agg, seen,
                 c->verdict == PG_VERDICT_PASS ? pg_op_name(t->op) : "breaks",
                 c->verdict == PG_VERDICT_PASS ? limit : t->source);
    }
    pg_trial_clear(&all);
    stopped_by(r);
    return PG_OK;
}

/* A threshold's metric as the budget had it: a scraped gauge is known by
 * the series the run kept of it. */
static const pg_metric_def *metric_def(const char *base, const pg_budget_result *r)
{
    const pg_metric_def *d = pg_metric_lookup(base);

    if (!d && pg_budget_run_gauge(&r->run, base))
        d = &pg_metric_scraped;
    return d;
}

int pg_thresholds_reevaluate(pg_budget_result *r, pg_err *err)
{
    pg_budget stub;
    pg_threshold *ts = calloc(r->n_checks ? r->n_checks : 1, sizeof *ts);
    pg_check *old = r->checks;
    size_t n_old = r->n_checks, n = 0;
    int rc = PG_OK;

    if (!ts)
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t i = 0; i < n_old && rc == PG_OK; i++) {
        const pg_check *c = &old[i];
        pg_threshold *t = &ts[n];
        char why[256];
        if (strcmp(c->kind, "threshold") != 0 || strcmp(c->expr, PG_IMPLIED_EXPR) == 0 ||
            strcmp(c->expr, PG_IMPLIED_CAPACITY_EXPR) == 0)
            continue; /* the implied ones come back by themselves if they still break */
        n++;
        t->line = c->line;
        t->col = c->col;
        if (!(t->metric = strdup(c->metric)) || !(t->source = strdup(c->expr)))
            rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        else if (pg_metric_key_split(c->metric, &t->base, &t->filter, why, sizeof why) != 0 ||
                 !(t->def = metric_def(t->base, r)) ||
                 pg_threshold_parse_expr(c->expr, t->def, t, why, sizeof why) != 0)
            rc = pg_err_set(err, PG_EINVALID, "threshold \"%s\" on %s cannot be judged again",
                            c->expr, c->metric);
    }
    if (rc == PG_OK) {
        memset(&stub, 0, sizeof stub);
        stub.thresholds = ts;
        stub.n_thresholds = n;
        r->checks = NULL;
        r->n_checks = 0;
        rc = pg_thresholds_evaluate(r, &stub, err);
        free(old);
    }
    for (size_t i = 0; i < n; i++)
        pg_threshold_clear(&ts[i]);
    free(ts);
    return rc;
}

int pg_thresholds_abort(const pg_budget *b)
{
    for (size_t i = 0; i < b->n_thresholds; i++)
        if (b->thresholds[i].abort_on_fail)
            return 1;
    return 0;
}

int pg_thresholds_broken_early(void *arg, const pg_budget *b, const pg_trial *so_far, char *why,
                               size_t why_size)
{
    (void)arg;
    for (size_t i = 0; i < b->n_thresholds; i++) {
        const pg_threshold *t = &b->thresholds[i];
        double v;
        char agg[32], seen[32];
        /* watchable thresholds (config/checks.c) need no run: no tags, no gauges */
        if (!t->abort_on_fail || so_far->duration_s * 1e6 < (double)t->delay_abort_us)
            continue;
        v = pg_threshold_observe(t, so_far, NULL, so_far->duration_s);
        if (isnan(v) || pg_threshold_holds(t, v))
            continue;
        pg_agg_format(t->agg, t->percentile, agg, sizeof agg);
        pg_format_in_unit(value_unit(t), v, seen, sizeof seen);
        snprintf(why, why_size, "threshold %s %s broke after %.0f s of measurement (%s %s)",
                 t->metric, t->source, so_far->duration_s, agg, seen);
        return 1;
    }
    return 0;
}
