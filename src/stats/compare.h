/* compare.h — did a metric get worse? docs/design.md, "Statistics".
 *
 * The unit is the trial: each side is a handful of per-trial values (p95 of
 * trial 1, of trial 2, ...). Per metric: a one-sided Mann-Whitney U test in
 * the direction that is worse, and the change as the ratio of medians
 * (current / baseline) with a bootstrap 95% confidence interval (10,000
 * resamples, fixed seed: the same inputs always give the same verdict).
 * Error rate is compared as a difference in percentage points instead,
 * because a ratio of near-zero rates means nothing.
 *
 *   FAIL          p (after Benjamini-Hochberg across all metrics and
 *                 budgets of a run) < alpha, and the whole interval is worse
 *                 than min_effect. Comparisons whose values are all equal
 *                 (rps fixed by an open-model schedule, no errors on either
 *                 side) cannot reach any p below 1 and are left out of the
 *                 adjustment, after Tarone (Biometrics 46, 1990) for
 *                 discrete tests: they add no chance of a false alarm.
 *   PASS          the whole interval is better than min_effect
 *   INCONCLUSIVE  anything else (reported, fails only with --strict) */
#ifndef PG_STATS_COMPARE_H
#define PG_STATS_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "config/metric_catalog.h"
#include "metrics/results.h"

#define PG_BOOTSTRAP_RESAMPLES 10000
#define PG_BOOTSTRAP_SEED 0x9e3779b97f4a7c15ull

typedef struct pg_comparison {
    char metric[200]; /* "p95", or a threshold's "<metric> <aggregation>" */
    pg_direction direction;
    int absolute; /* change is a difference (error rate), not a ratio */
    double base_median, cur_median;
    double change;       /* ratio cur/base, or difference cur-base */
    double ci_lo, ci_hi; /* 95% bootstrap interval of change */
    double min_effect;   /* fraction (ratio) or absolute difference */
    double p, p_adjusted;
    int constant; /* every trial of both sides has the same value: p = 1 by construction */
    double alpha;
    pg_verdict verdict;
    size_t n_base, n_cur;
    char why[384]; /* for inconclusive/skipped: the reason */
} pg_comparison;

/* Median of v (n >= 1); v is not modified. */
double pg_median(const double *v, size_t n);

/* Percentile bootstrap of the change of medians (m, n <= 256).
 * Deterministic for a seed. PG_ENOMEM when memory runs out: an interval of
 * [-inf, inf] would read as "too wide to tell", a verdict, not a failure. */
int pg_bootstrap_change(const double *base, size_t m, const double *cur, size_t n, int absolute,
                        uint64_t seed, int resamples, double *lo, double *hi);

/* Percentile bootstrap 95% interval of the median of one sample (1 <= n
 * <= 256). Deterministic for a seed. PG_ENOMEM as pg_bootstrap_change. */
int pg_bootstrap_median(const double *v, size_t n, uint64_t seed, int resamples, double *lo,
                        double *hi);

/* c for metric, not compared yet (p = 1, verdict undecided). */
void pg_comparison_init(pg_comparison *c, const char *metric, double min_effect, double alpha);

/* Fills c (except p_adjusted and verdict) from the two sides' per-trial values. */
int pg_compare_metric(pg_comparison *c, const char *metric, const double *base, size_t m,
                      const double *cur, size_t n, double min_effect, double alpha);

/* Benjamini-Hochberg adjusted p-values of n comparisons, then verdicts.
 * PG_ENOMEM when memory runs out: the verdicts are then left undecided. */
int pg_compare_decide(pg_comparison *c, size_t n);

/* Which way is worse for a compared name (the metric catalog's), and
 * whether its change is a difference (a share such as the error rate) or a
 * ratio. */
void pg_metric_direction(const char *metric, pg_direction *dir, int *absolute);

#endif
