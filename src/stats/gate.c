/* gate.c — thresholds, regressions and history bands into one verdict (see gate.h). */
#include "stats/gate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void history_band(pg_band *band, const char *budget, int metric, const pg_comparison *c,
                         const pg_results_values *history, size_t n_history)
{
    double med[64], dev[64];
    size_t n = 0;

    memset(band, 0, sizeof *band);
    for (size_t h = 0; h < n_history && n < 64; h++) {
        const pg_budget_values *b = pg_values_budget(&history[h], budget);
        if (b && b->n_trials)
            med[n++] = pg_median(b->v[metric], b->n_trials);
    }
    if (n < 3)
        return;
    band->have = 1;
    band->n = n;
    band->median = pg_median(med, n);
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(med[i] - band->median);
    qsort(dev, n, sizeof *dev, cmp_double);
    {
        double mad = pg_median(dev, n) * 1.4826 * 3.5;
        band->lo = band->median - mad;
        band->hi = band->median + mad;
    }
    band->outside =
        c->direction == PG_WORSE_WHEN_HIGHER ? c->cur_median > band->hi : c->cur_median < band->lo;
}

int pg_gate_evaluate(pg_gate *g, const pg_results_values *cur, const pg_results_values *base,
                     const pg_results_values *history, size_t n_history, const char *no_base_reason,
                     int strict, pg_err *err)
{
    pg_comparison *all = NULL;
    size_t total = 0, k = 0;
    int rc = PG_OK;

    memset(g, 0, sizeof *g);
    g->strict = strict;
    if (cur->n_budgets && !(g->budgets = calloc(cur->n_budgets, sizeof *g->budgets)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    g->n = cur->n_budgets;
    for (size_t i = 0; i < cur->n_budgets; i++) {
        const pg_budget_values *b = &cur->budgets[i],
                               *old = base ? pg_values_budget(base, b->name) : NULL;
        pg_budget_verdict *v = &g->budgets[i];
        snprintf(v->name, sizeof v->name, "%s", b->name);
        v->cur = b;
        for (size_t t = 0; t < b->n_checks; t++)
            g->thresholds_failed += b->checks[t].verdict == PG_VERDICT_FAIL;
        if (!b->regression.enabled) {
            snprintf(v->skipped, sizeof v->skipped, "regression checks are off for this budget");
            continue;
        }
        if (!base || !old) {
            snprintf(
                v->skipped, sizeof v->skipped, "%s",
                !base ? (no_base_reason && *no_base_reason ? no_base_reason : "no baseline found")
                      : "the baseline has no budget of this name");
        } else if (b->interrupted || old->interrupted) {
            snprintf(v->skipped, sizeof v->skipped, "the %s run was interrupted",
                     b->interrupted ? "current" : "baseline");
        }
        for (size_t m = 0; m < b->regression.n; m++) {
            int idx = pg_value_index(b->regression.metric[m].name);
            pg_comparison *c = &v->cmp[v->n_cmp++];
            if (idx < 0)
                continue;
            if (v->skipped[0]) {
                memset(c, 0, sizeof *c);
                snprintf(c->metric, sizeof c->metric, "%s", b->regression.metric[m].name);
                pg_metric_direction(c->metric, &c->direction, &c->absolute);
                c->min_effect = b->regression.metric[m].min_effect;
                c->verdict = PG_VERDICT_SKIPPED;
                snprintf(c->why, sizeof c->why, "%s", v->skipped);
                continue;
            }
            if ((rc = pg_compare_metric(c, b->regression.metric[m].name, old->v[idx], old->n_trials,
                                        b->v[idx], b->n_trials, b->regression.metric[m].min_effect,
                                        b->regression.alpha)) != 0)
                return pg_err_set(err, rc, "comparing %s of %s failed", c->metric, b->name);
            history_band(&v->band[m], b->name, idx, c, history, n_history);
        }
        total += v->n_cmp;
    }
    /* Benjamini-Hochberg over every comparison of every budget at once */
    if (total && !(all = calloc(total, sizeof *all)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t i = 0; i < g->n; i++)
        for (size_t m = 0; m < g->budgets[i].n_cmp; m++)
            all[k++] = g->budgets[i].cmp[m];
    pg_compare_decide(all, k);
    k = 0;
    for (size_t i = 0; i < g->n; i++) {
        for (size_t m = 0; m < g->budgets[i].n_cmp; m++) {
            pg_comparison *c = &g->budgets[i].cmp[m];
            *c = all[k++];
            g->regressions += c->verdict == PG_VERDICT_FAIL;
            g->inconclusive += c->verdict == PG_VERDICT_INCONCLUSIVE;
            g->warnings += g->budgets[i].band[m].outside;
        }
    }
    free(all);
    if (g->thresholds_failed || g->regressions || (strict && g->inconclusive))
        g->overall = PG_VERDICT_FAIL;
    else if (g->inconclusive)
        g->overall = PG_VERDICT_INCONCLUSIVE;
    else
        g->overall = PG_VERDICT_PASS;
    return PG_OK;
}

void pg_gate_clear(pg_gate *g)
{
    free(g->budgets);
    memset(g, 0, sizeof *g);
}
