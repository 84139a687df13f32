/* merge.c — shards into one result (see merge.h). */
#include "metrics/merge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int refuse(pg_err *err, const char *path, const char *what)
{
    return pg_err_at(err, PG_EINVALID, path, 0, 0, "cannot be merged with the first shard: %s",
                     what);
}

/* Every shard is one of the same I/N split, each I once, all N present. */
static int check_split(const pg_results *s, const char *const *paths, size_t n, pg_err *err)
{
    char seen[1024] = {0};
    long total = 0;

    for (size_t k = 0; k < n; k++) {
        long i, m;
        char extra;
        if (sscanf(s[k].shard, "%ld/%ld%c", &i, &m, &extra) != 2 || i < 1 || i > m)
            return pg_err_at(err, PG_EINVALID, paths[k], 0, 0,
                             "is not the result of a shard (run it with --shard I/N)");
        if (!total)
            total = m;
        if (m != total || m > (long)sizeof seen)
            return pg_err_at(err, PG_EINVALID, paths[k], 0, 0,
                             "is shard %s, but the first file is one of %ld shards", s[k].shard,
                             total);
        if (seen[i - 1])
            return pg_err_at(err, PG_EINVALID, paths[k], 0, 0, "shard %s is given twice",
                             s[k].shard);
        seen[i - 1] = 1;
    }
    if ((long)n != total) {
        char missing[256] = "";
        size_t used = 0;
        for (long i = 0; i < total && used < sizeof missing - 16; i++)
            if (!seen[i])
                used += (size_t)snprintf(missing + used, sizeof missing - used, "%s%ld/%ld",
                                         used ? ", " : "", i + 1, total);
        return pg_err_set(err, PG_EINVALID, "%zu of %ld shards given; missing %s", n, total,
                          missing);
    }
    return PG_OK;
}

static int same_names(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

/* A threshold the budget states (not the implied one, which a shard whose
 * target answered nothing has and the others do not). */
static int stated(const pg_check *c)
{
    return strcmp(c->kind, "threshold") == 0 && strcmp(c->expr, PG_IMPLIED_EXPR) != 0;
}

static int same_thresholds(const pg_budget_result *a, const pg_budget_result *b)
{
    size_t i = 0, j = 0;

    for (;;) {
        while (i < a->n_checks && !stated(&a->checks[i]))
            i++;
        while (j < b->n_checks && !stated(&b->checks[j]))
            j++;
        if (i == a->n_checks || j == b->n_checks)
            return i == a->n_checks && j == b->n_checks;
        if (strcmp(a->checks[i].metric, b->checks[j].metric) != 0 ||
            strcmp(a->checks[i].expr, b->checks[j].expr) != 0)
            return 0;
        i++, j++;
    }
}

static int same_regression(const pg_regression_setting *a, const pg_regression_setting *b)
{
    if (a->enabled != b->enabled || a->alpha != b->alpha || a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->metric[i].name, b->metric[i].name) != 0 ||
            a->metric[i].min_effect != b->metric[i].min_effect)
            return 0;
    return 1;
}

/* What makes shard s unlike the first; NULL when alike. */
static const char *unlike(const pg_results *first, const pg_results *s)
{
    if (strcmp(first->commit, s->commit) != 0)
        return "it measured another commit";
    if (first->n_budgets != s->n_budgets)
        return "it ran another number of budgets";
    for (size_t b = 0; b < s->n_budgets; b++) {
        const pg_budget_result *x = &first->budgets[b], *y = &s->budgets[b];
        /* by name: shards may be started from other directories */
        if (strcmp(x->name, y->name) != 0)
            return "its budgets are other budgets, or in another order";
        if (x->run.n_trials != y->run.n_trials)
            return "a budget ran another number of trials (interrupted?)";
        if (!same_names(x->run.scenario_names, x->run.n_scenarios, y->run.scenario_names,
                        y->run.n_scenarios) ||
            !same_names(x->run.names, x->run.n_names, y->run.names, y->run.n_names) ||
            !same_names(x->run.filters, x->run.n_filters, y->run.filters, y->run.n_filters))
            return "a budget has other scenarios or requests (an edited budget?)";
        if (!same_thresholds(x, y))
            return "a budget has other thresholds (an edited budget?)";
        if (!same_regression(&x->regression, &y->regression))
            return "a budget has other regression settings (an edited budget?)";
    }
    return NULL;
}

static char **copy_names(char *const *names, size_t n)
{
    char **out = calloc(n ? n : 1, sizeof *out);

    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = strdup(names[i]))) {
            for (size_t k = 0; k < i; k++)
                free(out[k]);
            free(out);
            return NULL;
        }
    return out;
}

/* Points of the same second (t to the nearest 1/10 s) add their counts. */
static int merge_timeline(pg_budget_run *into, const pg_budget_run *from)
{
    for (size_t i = 0; i < from->n_timeline; i++) {
        const pg_timeline_point *p = &from->timeline[i];
        pg_timeline_point *q = NULL, *grown;
        for (size_t k = 0; k < into->n_timeline && !q; k++)
            if (fabs(into->timeline[k].t_s - p->t_s) < 0.05)
                q = &into->timeline[k];
        if (!q) {
            if (!(grown = realloc(into->timeline, (into->n_timeline + 1) * sizeof *grown)))
                return -1;
            into->timeline = grown;
            q = &into->timeline[into->n_timeline++];
            memset(q, 0, sizeof *q);
            q->t_s = p->t_s;
        }
        q->requests += p->requests;
        q->failed += p->failed;
        q->dropped += p->dropped;
        q->p50_us = p->p50_us > q->p50_us ? p->p50_us : q->p50_us;
        q->p99_us = p->p99_us > q->p99_us ? p->p99_us : q->p99_us;
    }
    return 0;
}

static int cmp_sample(const void *a, const void *b)
{
    double x = ((const double *)a)[0], y = ((const double *)b)[0];
    return (x > y) - (x < y);
}

/* Sampled series keep every shard's samples, in time order: a summary's
 * max is then the busiest shard's, its mean the shards' average. */
static int merge_gauges(pg_budget_run *into, const pg_budget_run *from)
{
    for (size_t i = 0; i < from->n_gauges; i++) {
        const pg_gauge_series *g = &from->gauges[i];
        pg_gauge_series *to = pg_budget_run_gauge_add(into, g->name, g->unit);
        double *pairs;
        if (!to)
            return -1;
        for (size_t k = 0; k < g->n; k++)
            if (pg_gauge_append(to, g->t_s[k], g->v[k]) != 0)
                return -1;
        if (!(pairs = malloc(to->n * 2 * sizeof *pairs)))
            return -1;
        for (size_t k = 0; k < to->n; k++) {
            pairs[2 * k] = to->t_s[k];
            pairs[2 * k + 1] = to->v[k];
        }
        qsort(pairs, to->n, 2 * sizeof *pairs, cmp_sample);
        for (size_t k = 0; k < to->n; k++) {
            to->t_s[k] = pairs[2 * k];
            to->v[k] = pairs[2 * k + 1];
        }
        free(pairs);
    }
    if (!into->monitor_target[0])
        memcpy(into->monitor_target, from->monitor_target, sizeof into->monitor_target);
    if (!into->monitor_note[0])
        memcpy(into->monitor_note, from->monitor_note, sizeof into->monitor_note);
    return 0;
}

static int merge_budget(pg_budget_result *out, const pg_results *shards, size_t n, size_t b,
                        pg_err *err)
{
    const pg_budget_result *first = &shards[0].budgets[b];
    pg_budget_run *run = &out->run;
    int rc;

    if (!(out->name = strdup(first->name)) || !(out->path = strdup(first->path)) ||
        !(out->target = strdup(first->target)) ||
        !(run->scenario_names = copy_names(first->run.scenario_names, first->run.n_scenarios)) ||
        !(run->names = copy_names(first->run.names, first->run.n_names)) ||
        !(run->filters = copy_names(first->run.filters, first->run.n_filters)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    run->n_scenarios = first->run.n_scenarios;
    run->n_names = first->run.n_names;
    run->n_filters = first->run.n_filters;
    out->regression = first->regression;
    /* every shard ran the same budget: the work of the whole is the first's */
    memcpy(out->fingerprint, first->fingerprint, sizeof out->fingerprint);
    if (first->work && !(out->work = strdup(first->work)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    if (first->run.n_trials && !(run->trials = calloc(first->run.n_trials, sizeof *run->trials)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t t = 0; t < first->run.n_trials; t++) {
        if ((rc = pg_trial_init(&run->trials[t], run->n_scenarios, run->n_names, err)) != 0)
            return rc;
        run->n_trials = t + 1;
        if ((rc = pg_trial_add_filters(&run->trials[t], run->n_filters, err)) != 0)
            return rc;
        for (size_t k = 0; k < n; k++)
            pg_trial_merge(&run->trials[t], &shards[k].budgets[b].run.trials[t]);
    }
    for (size_t k = 0; k < n; k++) {
        const pg_budget_run *r = &shards[k].budgets[b].run;
        if (merge_timeline(run, r) != 0 || merge_gauges(run, r) != 0)
            return pg_err_set(err, PG_ENOMEM, "out of memory");
        run->interrupted |= r->interrupted;
        if (r->saturated && !run->saturated)
            snprintf(run->saturation, sizeof run->saturation, "shard %zu: %.480s", k + 1,
                     r->saturation);
        run->saturated |= r->saturated;
        run->threads += r->threads;
        run->cpu_percent += r->cpu_percent;
        if (r->max_rss_kib > run->max_rss_kib)
            run->max_rss_kib = r->max_rss_kib;
        for (int f = 0; f < PG_FAIL_KINDS; f++)
            if (!run->fail_example[f][0])
                memcpy(run->fail_example[f], r->fail_example[f], sizeof run->fail_example[f]);
    }
    /* the thresholds, to be judged again on the merged data */
    if (first->n_checks && !(out->checks = calloc(first->n_checks, sizeof *out->checks)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t i = 0; i < first->n_checks; i++) {
        if (!stated(&first->checks[i]))
            continue;
        out->checks[out->n_checks] = first->checks[i];
        out->checks[out->n_checks].verdict = PG_VERDICT_SKIPPED;
        out->checks[out->n_checks].observed = NAN;
        out->n_checks++;
    }
    return PG_OK;
}

int pg_results_merge(pg_results *out, const pg_results *shards, const char *const *paths, size_t n,
                     pg_err *err)
{
    int rc;

    memset(out, 0, sizeof *out);
    if (!n)
        return pg_err_set(err, PG_EUSAGE, "no results to merge");
    if ((rc = check_split(shards, paths, n, err)) != 0)
        return rc;
    for (size_t k = 1; k < n; k++) {
        const char *why = unlike(&shards[0], &shards[k]);
        if (why)
            return refuse(err, paths[k], why);
    }
    memcpy(out->commit, shards[0].commit, sizeof out->commit);
    memcpy(out->ref, shards[0].ref, sizeof out->ref);
    out->env = shards[0].env;
    out->merged_shards = (int)n;
    pg_results_stamp(out);
    for (size_t k = 0; k < n; k++)
        out->interrupted |= shards[k].interrupted;
    if (shards[0].n_budgets && !(out->budgets = calloc(shards[0].n_budgets, sizeof *out->budgets)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t b = 0; b < shards[0].n_budgets; b++) {
        out->n_budgets = b + 1;
        if ((rc = merge_budget(&out->budgets[b], shards, n, b, err)) != 0)
            return rc;
    }
    return PG_OK;
}
