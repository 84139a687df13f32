/* assemble.c — one run made of several (see assemble.h). */
#include "engine/assemble.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pg_assemble_timeline(pg_budget_run *out, const pg_budget_run *r, double t_s)
{
    pg_timeline_point *g;

    if (!r->n_timeline)
        return 0;
    if (!(g = realloc(out->timeline, (out->n_timeline + r->n_timeline) * sizeof *g)))
        return -1;
    out->timeline = g;
    for (size_t i = 0; i < r->n_timeline; i++) {
        g[out->n_timeline] = r->timeline[i];
        g[out->n_timeline++].t_s += t_s;
    }
    return 0;
}

void pg_assemble_facts(pg_budget_run *out, pg_budget_run *r)
{
    out->threads = r->threads;
    if (r->cpu_percent > out->cpu_percent)
        out->cpu_percent = r->cpu_percent;
    if (r->max_rss_kib > out->max_rss_kib)
        out->max_rss_kib = r->max_rss_kib;
    out->starts += r->starts;
    out->late_starts += r->late_starts;
    for (int k = 0; k < PG_FAIL_KINDS; k++)
        if (!out->fail_example[k][0])
            memcpy(out->fail_example[k], r->fail_example[k], sizeof out->fail_example[k]);
    if (!out->names) {
        out->names = r->names;
        out->n_names = r->n_names;
        out->scenario_names = r->scenario_names;
        out->n_scenarios = r->n_scenarios;
        out->filters = r->filters;
        out->n_filters = r->n_filters;
        r->names = r->scenario_names = r->filters = NULL;
        r->n_names = r->n_scenarios = r->n_filters = 0;
    }
}

void pg_assemble_late_starts(pg_budget_run *out, const char *over)
{
    if (out->saturated || out->late_starts < 10 || out->late_starts * 100 <= out->starts)
        return;
    out->saturated = 1;
    snprintf(out->saturation, sizeof out->saturation,
             "%llu of %llu iterations over %s started over 2 ms behind schedule with connections "
             "free: the generator fell behind",
             (unsigned long long)out->late_starts, (unsigned long long)out->starts, over);
}
