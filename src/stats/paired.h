/* paired.h — B against A when each trial of B has a partner trial of A
 * measured at the same time (duet) or right beside it (alternate): the
 * comparison of `perfgate ab` and `check --base-target`.
 *
 * The unit is the pair of trials t: its ratio r_t = B_t / A_t (a difference
 * B_t - A_t for error rate). Machine noise that lands on both sides of a
 * pair cancels in r_t; what remains is judged by
 *   - the change: the median of the r_t, with a percentile bootstrap 95%
 *     interval over resampled pairs (10,000 resamples, fixed seed);
 *   - p: a one-sided paired t-test on ln r_t (on the differences for error
 *     rate), in the direction that is worse. Unlike an exact signed-rank or
 *     sign test, whose smallest p with 6 pairs is 1/64, it can reach alpha
 *     0.01 with the default 6 trials when the pairs agree.
 * The FAIL / PASS / INCONCLUSIVE rule and min_effect are compare.h's.
 * Pairs with a value <= 0 on either side have no ratio and are left out. */
#ifndef PG_STATS_PAIRED_H
#define PG_STATS_PAIRED_H

#include <stddef.h>

#include "stats/compare.h"

/* Most pairs compared (the bootstrap's limit; budgets take 100 trials). */
#define PG_MAX_PAIRS 256

/* Fewest pairs the paired test takes (a t statistic needs a spread). */
#define PG_PAIRED_MIN_TRIALS 3

/* One-sided p of a paired t-test that the mean of d is greater than 0
 * (n >= 2); sets *constant when every d is the same (p is then 0 or 1). */
double pg_paired_t_greater(const double *d, size_t n, int *constant);

/* Fills c (except p_adjusted and verdict) from n pairs: a[t] is side A's
 * (the baseline's) value of trial t, b[t] side B's. */
int pg_compare_paired(pg_comparison *c, const char *metric, const double *a, const double *b,
                      size_t n, double min_effect, double alpha);

#endif
