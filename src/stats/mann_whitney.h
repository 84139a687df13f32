/* mann_whitney.h — one-sided Mann-Whitney U test on two small samples.
 *
 * perfgate compares trials, so samples have 5 to 20 values: the exact null
 * distribution is cheap and is used whenever it can be. Without ties it is
 * counted by the classic recurrence over the largest pooled value; with ties
 * every split of the pooled midranks is enumerated (up to 3 million splits);
 * above that the normal approximation with tie and continuity corrections
 * is used (Mann & Whitney 1947; Lehmann, Nonparametrics, 1975, ch. 1). */
#ifndef PG_STATS_MANN_WHITNEY_H
#define PG_STATS_MANN_WHITNEY_H

#include <stddef.h>

typedef enum { PG_MW_EXACT, PG_MW_EXACT_TIES, PG_MW_NORMAL } pg_mw_method;

typedef struct pg_mw_result {
    double u; /* U of y: pairs with y > x, ties counting one half */
    double p; /* P(U >= u) when x and y come from one distribution */
    pg_mw_method method;
} pg_mw_result;

/* Tests "y tends to be larger than x" (one-sided). m, n >= 1. */
int pg_mann_whitney_greater(const double *x, size_t m, const double *y, size_t n,
                            pg_mw_result *out);

#endif
