/* mann_whitney.c — one-sided Mann-Whitney U (see mann_whitney.h). */
#include "stats/mann_whitney.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/rng.h"

#define EXACT_MAX_N 50 /* recurrence table up to m, n = 50 */
/* The counting recursion over doubled midranks costs (m+n) x min(m,n) x
 * (largest doubled rank sum) additions: 1.1e8 at 65 + 65, about 0.1 s. Up
 * to there the p-value is exact; past it, a permutation test. */
#define COUNT_MAX_STEPS 1.2e8
#define PERMUTATIONS 200000
#define PERMUTATION_SEED 0x9e3779b97f4a7c15ull

typedef struct ranked {
    double v;
    int from_y;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    double x = ((const ranked *)a)->v, y = ((const ranked *)b)->v;
    return x < y ? -1 : x > y;
}

/* Midranks of the pooled sample (1-based); whether any value repeats. */
static void midranks(ranked *pool, size_t total, double *rank, int *has_ties)
{
    *has_ties = 0;
    for (size_t i = 0; i < total;) {
        size_t j = i;
        while (j + 1 < total && pool[j + 1].v == pool[i].v)
            j++;
        for (size_t k = i; k <= j; k++)
            rank[k] = (double)(i + j) / 2.0 + 1.0;
        if (j > i)
            *has_ties = 1;
        i = j + 1;
    }
}

static double choose(size_t n, size_t k)
{
    return round(exp(lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1)));
}

/* P(U >= u) without ties: f(m, n, u) = f(m, n-1, u-m) + f(m-1, n, u), where
 * the largest pooled value is a y (beating all m x's) or an x. */
static double exact_p(size_t m, size_t n, double u_obs)
{
    size_t umax = m * n;
    /* rows over m' for the current n', each of umax+1 counts */
    double *prev = calloc((m + 1) * (umax + 1), sizeof *prev);
    double *cur = calloc((m + 1) * (umax + 1), sizeof *cur);
    double tail = 0.0, total;
    size_t need = (size_t)ceil(u_obs - 1e-9);

    if (!prev || !cur) {
        free(prev);
        free(cur);
        return NAN;
    }
    /* n' = 0: only U = 0 */
    for (size_t mm = 0; mm <= m; mm++)
        prev[mm * (umax + 1)] = 1.0;
    for (size_t nn = 1; nn <= n; nn++) {
        memset(cur, 0, (m + 1) * (umax + 1) * sizeof *cur);
        cur[0] = 1.0; /* m' = 0 */
        for (size_t mm = 1; mm <= m; mm++) {
            for (size_t u = 0; u <= mm * nn; u++) {
                double a = u >= mm ? prev[mm * (umax + 1) + u - mm] : 0.0; /* largest is a y */
                double b = cur[(mm - 1) * (umax + 1) + u];                 /* largest is an x */
                cur[mm * (umax + 1) + u] = a + b;
            }
        }
        memcpy(prev, cur, (m + 1) * (umax + 1) * sizeof *cur);
    }
    for (size_t u = need; u <= umax; u++)
        tail += prev[m * (umax + 1) + u];
    total = choose(m + n, n);
    free(prev);
    free(cur);
    return tail / total;
}

/* Steps the counting recursion takes (see COUNT_MAX_STEPS). */
static double count_steps(const long *rank2, size_t total, size_t k)
{
    double top = 0.0;
    for (size_t i = total - k; i < total; i++)
        top += (double)rank2[i]; /* rank2 ascending: the k largest */
    return (double)total * (double)k * top;
}

/* P(doubled rank sum of the k chosen >= r2_obs) over every way of choosing k
 * of the pooled items, counted: c[j][s] is how many ways j of the items seen
 * so far have doubled midrank sum s (midranks doubled are whole numbers).
 * NAN when out of memory. */
static double counted_p(const long *rank2, size_t total, size_t k, long r2_obs)
{
    size_t top = 0;
    double *c, hits = 0.0, all = 0.0;

    for (size_t i = total - k; i < total; i++)
        top += (size_t)rank2[i];
    if (!(c = calloc((k + 1) * (top + 1), sizeof *c)))
        return NAN;
    c[0] = 1.0;
    for (size_t i = 0; i < total; i++) {
        size_t r = (size_t)rank2[i];
        for (size_t j = i + 1 < k ? i + 1 : k; j >= 1; j--) {
            double *to = c + j * (top + 1), *from = c + (j - 1) * (top + 1);
            for (size_t s = top; s >= r; s--)
                to[s] += from[s - r];
        }
    }
    for (size_t s = 0; s <= top; s++) {
        all += c[k * (top + 1) + s];
        if ((long)s >= r2_obs)
            hits += c[k * (top + 1) + s];
    }
    free(c);
    return hits / all;
}

/* The same tail estimated from PERMUTATIONS random choices of k items (a
 * partial Fisher-Yates shuffle each), (hits + 1) / (draws + 1) so that it is
 * never 0. NAN when out of memory. */
static double permuted_p(const long *rank2, size_t total, size_t k, long r2_obs)
{
    long *pool = malloc(total * sizeof *pool);
    uint64_t seed = PERMUTATION_SEED;
    double hits = 0.0;

    if (!pool)
        return NAN;
    memcpy(pool, rank2, total * sizeof *pool);
    for (int b = 0; b < PERMUTATIONS; b++) {
        long sum = 0;
        for (size_t i = 0; i < k; i++) {
            size_t j = i + (size_t)pg_rng_below(&seed, total - i); /* fixed seed: same p */
            long t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
            sum += pool[i];
        }
        hits += sum >= r2_obs;
    }
    free(pool);
    return (hits + 1.0) / (PERMUTATIONS + 1.0);
}

int pg_mann_whitney_greater(const double *x, size_t m, const double *y, size_t n, pg_mw_result *out)
{
    size_t total = m + n, k;
    ranked *pool;
    double *rank, r_y = 0.0;
    long *rank2, r2_obs = 0;
    int ties, rc = PG_OK;

    memset(out, 0, sizeof *out);
    if (!m || !n)
        return PG_EINVALID;
    pool = malloc(total * sizeof *pool);
    rank = malloc(total * sizeof *rank);
    rank2 = malloc(total * sizeof *rank2);
    if (!pool || !rank || !rank2) {
        rc = PG_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < m; i++)
        pool[i] = (ranked){x[i], 0};
    for (size_t j = 0; j < n; j++)
        pool[m + j] = (ranked){y[j], 1};
    qsort(pool, total, sizeof *pool, cmp_ranked);
    midranks(pool, total, rank, &ties);
    for (size_t i = 0; i < total; i++)
        rank2[i] = lround(2.0 * rank[i]);
    /* The counting is over the smaller side's choices (k of them). For y,
     * the tail is P(y's doubled rank sum >= y's observed). When x is the
     * smaller side, the same event is x's sum <= x's observed (the two sums
     * add up to a constant); ranks mirrored, r -> 2(m+n) + 2 - r (and the
     * array reversed to stay ascending), turn that into x's mirrored sum >=
     * k (2(m+n) + 2) - x's observed. */
    k = n <= m ? n : m;
    for (size_t i = 0; i < total; i++)
        if (pool[i].from_y == (n <= m))
            r2_obs += rank2[i];
    if (n > m) {
        long mirror = 2 * (long)total + 2;
        for (size_t i = 0; i < total / 2; i++) {
            long t = rank2[i];
            rank2[i] = mirror - rank2[total - 1 - i];
            rank2[total - 1 - i] = mirror - t;
        }
        if (total % 2)
            rank2[total / 2] = mirror - rank2[total / 2];
        r2_obs = (long)k * mirror - r2_obs;
    }
    for (size_t i = 0; i < total; i++)
        if (pool[i].from_y)
            r_y += rank[i];
    out->u = r_y - (double)n * (double)(n + 1) / 2.0;
    if (!ties && m <= EXACT_MAX_N && n <= EXACT_MAX_N) {
        out->method = PG_MW_EXACT;
        out->p = exact_p(m, n, out->u);
    } else if (count_steps(rank2, total, k) <= COUNT_MAX_STEPS) {
        out->method = ties ? PG_MW_EXACT_TIES : PG_MW_EXACT;
        out->p = counted_p(rank2, total, k, r2_obs);
    } else {
        out->method = PG_MW_PERMUTATION;
        out->p = permuted_p(rank2, total, k, r2_obs);
    }
    if (isnan(out->p))
        rc = PG_ENOMEM;
    else if (out->p > 1.0)
        out->p = 1.0;
out:
    free(pool);
    free(rank);
    free(rank2);
    return rc;
}
