/* paired.c — paired comparison of B against A (see paired.h). */
#include "stats/paired.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

double pg_paired_t_greater(const double *d, size_t n, int *constant)
{
    double mean = 0.0, ss = 0.0, se, t;

    *constant = 1;
    for (size_t i = 0; i < n; i++) {
        mean += d[i];
        *constant &= d[i] == d[0];
    }
    mean /= (double)n;
    if (*constant || n < 2)
        return mean > 0.0 ? 0.0 : 1.0;
    for (size_t i = 0; i < n; i++)
        ss += (d[i] - mean) * (d[i] - mean);
    se = sqrt(ss / (double)(n - 1) / (double)n);
    t = mean / se;
    if (!isfinite(t)) /* a spread below double's resolution: as good as none */
        return mean > 0.0 ? 0.0 : 1.0;
    return gsl_cdf_tdist_Q(t, (double)(n - 1));
}

int pg_compare_paired(pg_comparison *c, const char *metric, const double *a, const double *b,
                      size_t n, double min_effect, double alpha)
{
    double r[PG_MAX_PAIRS], d[PG_MAX_PAIRS], av[PG_MAX_PAIRS], bv[PG_MAX_PAIRS];
    size_t k = 0;
    int rc;

    pg_comparison_init(c, metric, min_effect, alpha);
    if (n > PG_MAX_PAIRS)
        n = PG_MAX_PAIRS;
    for (size_t t = 0; t < n; t++) {
        if (!c->absolute && !(a[t] > 0.0 && b[t] > 0.0))
            continue;
        av[k] = a[t];
        bv[k] = b[t];
        r[k] = c->absolute ? b[t] - a[t] : b[t] / a[t];
        /* the test runs on log ratios, so x1.1 and /1.1 weigh alike */
        d[k] = c->absolute ? r[k] : log(r[k]);
        if (c->direction == PG_WORSE_WHEN_LOWER)
            d[k] = -d[k];
        k++;
    }
    c->n_base = c->n_cur = k;
    if (k < PG_PAIRED_MIN_TRIALS) {
        c->verdict = PG_VERDICT_SKIPPED;
        snprintf(c->why, sizeof c->why,
                 "%zu of %zu pairs of trials have a value on both sides; the paired test needs %d",
                 k, n, PG_PAIRED_MIN_TRIALS);
        return PG_OK;
    }
    c->base_median = pg_median(av, k);
    c->cur_median = pg_median(bv, k);
    c->change = pg_median(r, k);
    if ((rc = pg_bootstrap_median(r, k, PG_BOOTSTRAP_SEED, PG_BOOTSTRAP_RESAMPLES, &c->ci_lo,
                                  &c->ci_hi)) != PG_OK)
        return rc;
    c->p = c->p_adjusted = pg_paired_t_greater(d, k, &c->constant);
    /* all pairs alike and no change (rps fixed by an open-model schedule):
     * p = 1 by construction, left out of the multiple-test adjustment */
    c->constant = c->constant && d[0] == 0.0;
    return PG_OK;
}
