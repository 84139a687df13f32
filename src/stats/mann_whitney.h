/* mann_whitney.h — one-sided Mann-Whitney U test on the trials of two runs.
 *
 * perfgate compares trials (a budget takes up to 100 a side), so the null
 * distribution is counted whenever that is cheap: without ties and up to
 * 50 a side by the classic recurrence over the largest pooled value; with
 * ties (or more) by counting, over the pooled midranks doubled (whole
 * numbers), how many ways the smaller side can reach each rank sum: exact
 * (given the ties) up to about 65 + 65. Past that, a permutation test of
 * 200,000 random splits with a fixed seed, whose p is within about 0.0005 of
 * the exact one at p = 0.01 (Mann & Whitney 1947; Lehmann, Nonparametrics,
 * 1975, ch. 1). */
#ifndef PG_STATS_MANN_WHITNEY_H
#define PG_STATS_MANN_WHITNEY_H

#include <stddef.h>

typedef enum { PG_MW_EXACT, PG_MW_EXACT_TIES, PG_MW_PERMUTATION } pg_mw_method;

typedef struct pg_mw_result {
    double u; /* U of y: pairs with y > x, ties counting one half */
    double p; /* P(U >= u) when x and y come from one distribution */
    pg_mw_method method;
} pg_mw_result;

/* Tests "y tends to be larger than x" (one-sided). m, n >= 1; PG_ENOMEM when
 * memory runs out (never a p-value then). */
int pg_mann_whitney_greater(const double *x, size_t m, const double *y, size_t n,
                            pg_mw_result *out);

#endif
