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
