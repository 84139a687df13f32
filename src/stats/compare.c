/* compare.c — per-metric comparison and verdict (see compare.h). */
#include "stats/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/rng.h"
#include "stats/mann_whitney.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_sorted(const double *v, size_t n)
{
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double pg_median(const double *v, size_t n)
{
    double tmp[256];

    if (n > 256)
        n = 256;
    memcpy(tmp, v, n * sizeof *v);
    qsort(tmp, n, sizeof *tmp, cmp_double);
    return median_sorted(tmp, n);
}

static double resample_median(const double *v, size_t n, uint64_t *s, double *buf)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = v[pg_rng_below(s, n)];
    qsort(buf, n, sizeof *buf, cmp_double);
    return median_sorted(buf, n);
}

static double change_of(double base, double cur, int absolute)
{
    if (absolute)
        return cur - base;
    return base > 0.0 ? cur / base : (cur > 0.0 ? INFINITY : 1.0);
}

int pg_bootstrap_change(const double *base, size_t m, const double *cur, size_t n, int absolute,
                        uint64_t seed, int resamples, double *lo, double *hi)
{
    double *changes, buf[256];
    uint64_t s = seed ? seed : 1;

    *lo = -INFINITY;
    *hi = INFINITY;
    if (!m || !n || m > 256 || n > 256)
        return PG_EINVALID;
    if (!(changes = malloc((size_t)resamples * sizeof *changes)))
        return PG_ENOMEM;
    for (int r = 0; r < resamples; r++) {
        double b = resample_median(base, m, &s, buf);
        double c = resample_median(cur, n, &s, buf);
        changes[r] = change_of(b, c, absolute);
    }
    qsort(changes, (size_t)resamples, sizeof *changes, cmp_double);
    /* percentile interval: the 2.5th and 97.5th of the resampled changes */
    *lo = changes[(size_t)floor(0.025 * (resamples - 1))];
    *hi = changes[(size_t)ceil(0.975 * (resamples - 1))];
    free(changes);
    return PG_OK;
}

int pg_bootstrap_median(const double *v, size_t n, uint64_t seed, int resamples, double *lo,
                        double *hi)
{
    double *medians, buf[256];
    uint64_t s = seed ? seed : 1;

    *lo = -INFINITY;
    *hi = INFINITY;
    if (!n || n > 256)
        return PG_EINVALID;
    if (!(medians = malloc((size_t)resamples * sizeof *medians)))
        return PG_ENOMEM;
    for (int r = 0; r < resamples; r++)
        medians[r] = resample_median(v, n, &s, buf);
    qsort(medians, (size_t)resamples, sizeof *medians, cmp_double);
    *lo = medians[(size_t)floor(0.025 * (resamples - 1))];
    *hi = medians[(size_t)ceil(0.975 * (resamples - 1))];
    free(medians);
    return PG_OK;
}

void pg_metric_direction(const char *metric, pg_direction *dir, int *absolute)
{
    *dir = pg_metric_worse(metric);
    *absolute = pg_metric_unit(metric) == PG_UNIT_SHARE;
}

void pg_comparison_init(pg_comparison *c, const char *metric, double min_effect, double alpha)
{
    memset(c, 0, sizeof *c);
    snprintf(c->metric, sizeof c->metric, "%s", metric);
    pg_metric_direction(metric, &c->direction, &c->absolute);
    c->min_effect = min_effect;
    c->alpha = alpha;
    c->p = c->p_adjusted = 1.0;
}

int pg_compare_metric(pg_comparison *c, const char *metric, const double *base, size_t m,
                      const double *cur, size_t n, double min_effect, double alpha)
{
    pg_mw_result mw;
    int rc;

    pg_comparison_init(c, metric, min_effect, alpha);
    c->n_base = m;
    c->n_cur = n;
    if (!m || !n) {
        c->verdict = PG_VERDICT_SKIPPED;
        snprintf(c->why, sizeof c->why, "no trials on the %s side", m ? "current" : "baseline");
        return PG_OK;
    }
    c->base_median = pg_median(base, m);
    c->cur_median = pg_median(cur, n);
    c->change = change_of(c->base_median, c->cur_median, c->absolute);
    if ((rc = pg_bootstrap_change(base, m, cur, n, c->absolute, PG_BOOTSTRAP_SEED,
                                  PG_BOOTSTRAP_RESAMPLES, &c->ci_lo, &c->ci_hi)) != PG_OK)
        return rc;
    /* one-sided, in the direction that is worse */
    if (c->direction == PG_WORSE_WHEN_HIGHER)
        rc = pg_mann_whitney_greater(base, m, cur, n, &mw);
    else
        rc = pg_mann_whitney_greater(cur, n, base, m, &mw);
    if (rc != PG_OK)
        return rc;
    c->p = c->p_adjusted = mw.p;
    c->constant = 1;
    for (size_t i = 0; i < m && c->constant; i++)
        c->constant = base[i] == base[0];
    for (size_t j = 0; j < n && c->constant; j++)
        c->constant = cur[j] == base[0];
    return PG_OK;
}

typedef struct order {
    double p;
    size_t i;
} order;

static int cmp_order(const void *a, const void *b)
{
    double x = ((const order *)a)->p, y = ((const order *)b)->p;
    return x < y ? -1 : x > y;
}

/* Is the whole interval worse than min_effect / better than it? */
static int ci_worse(const pg_comparison *c)
{
    if (c->absolute)
        return c->ci_lo > c->min_effect;
    if (c->direction == PG_WORSE_WHEN_HIGHER)
        return c->ci_lo > 1.0 + c->min_effect;
    return c->ci_hi < 1.0 - c->min_effect;
}

static int ci_within(const pg_comparison *c)
{
    if (c->absolute)
        return c->ci_hi < c->min_effect;
    if (c->direction == PG_WORSE_WHEN_HIGHER)
        return c->ci_hi < 1.0 + c->min_effect;
    return c->ci_lo > 1.0 - c->min_effect;
}

int pg_compare_decide(pg_comparison *c, size_t n)
{
    order *o = malloc((n ? n : 1) * sizeof *o);
    size_t k = 0;
    double running = 1.0;

    if (!o)
        return PG_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (c[i].verdict != PG_VERDICT_SKIPPED && !c[i].constant)
            o[k++] = (order){c[i].p, i};
    qsort(o, k, sizeof *o, cmp_order);
    /* Benjamini-Hochberg step-up: p_(i) * k / i, made monotone from the top */
    for (size_t r = k; r-- > 0;) {
        double adj = o[r].p * (double)k / (double)(r + 1);
        if (adj < running)
            running = adj;
        c[o[r].i].p_adjusted = running > 1.0 ? 1.0 : running;
    }
    for (size_t i = 0; i < n; i++) {
        if (c[i].verdict == PG_VERDICT_SKIPPED)
            continue;
        if (c[i].p_adjusted < c[i].alpha && ci_worse(&c[i])) {
            c[i].verdict = PG_VERDICT_FAIL;
        } else if (ci_within(&c[i])) {
            c[i].verdict = PG_VERDICT_PASS;
        } else {
            c[i].verdict = PG_VERDICT_INCONCLUSIVE;
            snprintf(c[i].why, sizeof c[i].why, "%s",
                     c[i].p_adjusted < c[i].alpha
                         ? "the change is real but its interval reaches below min_effect"
                         : "the interval is too wide to tell; more trials would narrow it");
        }
    }
    free(o);
    return PG_OK;
}
