/* run.c — freeing a run's measurements (see run.h). */
#include "metrics/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pg_budget_run_clear(pg_budget_run *r)
{
    for (size_t i = 0; i < r->n_trials; i++)
        pg_trial_clear(&r->trials[i]);
    free(r->trials);
    free(r->timeline);
    for (size_t i = 0; i < r->n_names; i++)
        free(r->names[i]);
    free(r->names);
    for (size_t i = 0; i < r->n_filters; i++)
        free(r->filters[i]);
    free(r->filters);
    for (size_t i = 0; i < r->n_scenarios; i++)
        free(r->scenario_names[i]);
    free(r->scenario_names);
    for (size_t i = 0; i < r->n_gauges; i++)
        pg_gauge_clear(&r->gauges[i]);
    free(r->gauges);
    free(r->steps);
    memset(r, 0, sizeof *r);
}

const pg_gauge_series *pg_budget_run_gauge(const pg_budget_run *r, const char *name)
{
    for (size_t i = 0; i < r->n_gauges; i++)
        if (strcmp(r->gauges[i].name, name) == 0)
            return &r->gauges[i];
    return NULL;
}

pg_gauge_series *pg_budget_run_gauge_add(pg_budget_run *r, const char *name, const char *unit)
{
    pg_gauge_series *g = (pg_gauge_series *)pg_budget_run_gauge(r, name);

    if (g)
        return g;
    if (!(g = realloc(r->gauges, (r->n_gauges + 1) * sizeof *g)))
        return NULL;
    r->gauges = g;
    g = &r->gauges[r->n_gauges++];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    snprintf(g->unit, sizeof g->unit, "%s", unit);
    return g;
}

double pg_budget_run_seconds(const pg_budget_run *r)
{
    double s = 0.0;

    for (size_t i = 0; i < r->n_trials; i++)
        s += r->trials[i].duration_s;
    return s;
}

int pg_budget_run_merged(pg_trial *all, const pg_budget_run *r, pg_err *err)
{
    double duration = 0.0;
    int rc;

    if ((rc = pg_trial_init(all, r->n_scenarios, r->n_names, err)) != 0)
        return rc;
    if ((rc = pg_trial_add_filters(all, r->n_filters, err)) != 0) {
        pg_trial_clear(all);
        return rc;
    }
    for (size_t i = 0; i < r->n_trials; i++) {
        pg_trial_merge(all, &r->trials[i]);
        duration += r->trials[i].duration_s;
    }
    all->duration_s = duration;
    return PG_OK;
}

double pg_budget_run_capacity(const pg_budget_run *r, const char *agg, double percentile)
{
    double v[PG_CAPACITY_TRIALS_MAX];
    size_t n = 0;

    if (!r->n_steps)
        return NAN;
    for (size_t i = 0; i < r->n_trials && n < PG_CAPACITY_TRIALS_MAX; i++)
        v[n++] = r->trials[i].capacity_rps;
    return pg_gauge_aggregate(v, n, agg, percentile);
}

void pg_budget_run_trial_window(const pg_budget_run *r, size_t i, double *from_s, double *to_s)
{
    int seen = 0;

    *from_s = *to_s = 0.0;
    if (r->n_steps) {
        for (size_t k = 0; k < r->n_steps; k++) {
            const pg_capacity_step *s = &r->steps[k];
            if (s->trial != i)
                continue;
            if (!seen || s->t_s < *from_s)
                *from_s = s->t_s;
            if (!seen || s->t_s + s->duration_s > *to_s)
                *to_s = s->t_s + s->duration_s;
            seen = 1;
        }
        return;
    }
    for (size_t k = 0; k < i && k < r->n_trials; k++)
        *from_s += r->trials[k].duration_s;
    *to_s = *from_s + (i < r->n_trials ? r->trials[i].duration_s : 0.0);
}
