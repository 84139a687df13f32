/* run.c — freeing a run's measurements (see run.h). */
#include "metrics/run.h"

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
    for (size_t i = 0; i < r->n_scenarios; i++)
        free(r->scenario_names[i]);
    free(r->scenario_names);
    memset(r, 0, sizeof *r);
}

int pg_budget_run_merged(pg_trial *all, const pg_budget_run *r, pg_err *err)
{
    double duration = 0.0;
    int rc;

    if ((rc = pg_trial_init(all, r->n_scenarios, r->n_names, err)) != 0)
        return rc;
    for (size_t i = 0; i < r->n_trials; i++) {
        pg_trial_merge(all, &r->trials[i]);
        duration += r->trials[i].duration_s;
    }
    all->duration_s = duration;
    return PG_OK;
}
