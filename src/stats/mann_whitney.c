/* mann_whitney.c — one-sided Mann-Whitney U (see mann_whitney.h). */
#include "stats/mann_whitney.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define EXACT_MAX_N 50          /* recurrence table up to m, n = 50 */
#define ENUMERATE_MAX 3000000.0 /* splits enumerated when there are ties */

typedef struct ranked {
    double v;
    int from_y;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    double x = ((const ranked *)a)->v, y = ((const ranked *)b)->v;
    return x < y ? -1 : x > y;
}

/* Midranks of the pooled sample (1-based), sum of tie-group (t^3 - t). */
static void midranks(ranked *pool, size_t total, double *rank, double *tie_term, int *has_ties)
{
    *tie_term = 0.0;
    *has_ties = 0;
    for (size_t i = 0; i < total;) {
        size_t j = i;
        while (j + 1 < total && pool[j + 1].v == pool[i].v)
            j++;
        for (size_t k = i; k <= j; k++)
            rank[k] = (double)(i + j) / 2.0 + 1.0;
        if (j > i) {
            double t = (double)(j - i + 1);
            *tie_term += t * t * t - t;
            *has_ties = 1;
        }
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

/* P(rank sum of y >= observed) over every way of choosing which n of the
 * pooled midranks belong to y. */
static double enumerate_p(const double *rank, size_t total, size_t n, double r_obs)
{
    size_t idx[64];
    double count = 0.0, hits = 0.0;

    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (;;) {
        double r = 0.0;
        size_t i;
        for (i = 0; i < n; i++)
            r += rank[idx[i]];
        count += 1.0;
        if (r >= r_obs - 1e-9)
            hits += 1.0;
        /* next combination in lexicographic order */
        for (i = n; i-- > 0;)
            if (idx[i] != i + total - n)
                break;
        if (i == (size_t)-1)
            break;
        idx[i]++;
        for (size_t j = i + 1; j < n; j++)
            idx[j] = idx[j - 1] + 1;
    }
    return hits / count;
}

int pg_mann_whitney_greater(const double *x, size_t m, const double *y, size_t n, pg_mw_result *out)
{
    size_t total = m + n;
    ranked *pool;
    double *rank, r_y = 0.0, tie_term;
    int ties;

    memset(out, 0, sizeof *out);
    if (!m || !n || total > 64)
        return PG_EINVALID;
    pool = malloc(total * sizeof *pool);
    rank = malloc(total * sizeof *rank);
    if (!pool || !rank) {
        free(pool);
        free(rank);
        return PG_ENOMEM;
    }
    for (size_t i = 0; i < m; i++)
        pool[i] = (ranked){x[i], 0};
    for (size_t j = 0; j < n; j++)
        pool[m + j] = (ranked){y[j], 1};
    qsort(pool, total, sizeof *pool, cmp_ranked);
    midranks(pool, total, rank, &tie_term, &ties);
    for (size_t k = 0; k < total; k++)
        if (pool[k].from_y)
            r_y += rank[k];
    out->u = r_y - (double)n * (double)(n + 1) / 2.0;
    if (!ties && m <= EXACT_MAX_N && n <= EXACT_MAX_N) {
        out->method = PG_MW_EXACT;
        out->p = exact_p(m, n, out->u);
    } else if (ties && choose(total, n) <= ENUMERATE_MAX) {
        out->method = PG_MW_EXACT_TIES;
        out->p = enumerate_p(rank, total, n, r_y);
    } else {
        double N = (double)total, mean = (double)m * (double)n / 2.0;
        double var = (double)m * (double)n / 12.0 * ((N + 1.0) - tie_term / (N * (N - 1.0)));
        out->method = PG_MW_NORMAL;
        if (var <= 0.0) {
            out->p = 1.0; /* every value tied: no evidence either way */
        } else {
            double z = (out->u - mean - 0.5) / sqrt(var);
            out->p = 0.5 * erfc(z / sqrt(2.0));
        }
    }
    if (out->p > 1.0)
        out->p = 1.0;
    free(pool);
    free(rank);
    return PG_OK;
}
