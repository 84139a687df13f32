/* gauge.c — sampled levels and their summaries (see gauge.h). */
#include "metrics/gauge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/grow.h"

int pg_gauge_append(pg_gauge_series *s, double t_s, double v)
{
    size_t cap_t = s->cap; /* the two arrays share s->cap: grown in step */

    if (pg_grow(&s->t_s, &cap_t, s->n, sizeof *s->t_s, 64) != 0 ||
        pg_grow(&s->v, &s->cap, s->n, sizeof *s->v, 64) != 0)
        return -1;
    s->t_s[s->n] = t_s;
    s->v[s->n++] = v;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest rank of sorted v[0..n): the smallest value with at least p% at or below it. */
static double rank(const double *v, size_t n, double p)
{
    size_t k = (size_t)ceil(p / 100.0 * (double)n);
    return v[k ? k - 1 : 0];
}

double pg_gauge_aggregate(const double *v, size_t n, const char *agg, double percentile)
{
    double *sorted, out, sum = 0.0;

    if (!n)
        return NAN;
    if (strcmp(agg, "avg") == 0) {
        for (size_t i = 0; i < n; i++)
            sum += v[i];
        return sum / (double)n;
    }
    if (!(sorted = malloc(n * sizeof *sorted)))
        return NAN;
    memcpy(sorted, v, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    if (strcmp(agg, "min") == 0)
        out = sorted[0];
    else if (strcmp(agg, "max") == 0)
        out = sorted[n - 1];
    else if (strcmp(agg, "med") == 0)
        out = rank(sorted, n, 50.0);
    else
        out = rank(sorted, n, percentile);
    free(sorted);
    return out;
}

void pg_gauge_summarise(const pg_gauge_series *s, double from_s, double to_s, pg_gauge_summary *out)
{
    size_t lo = 0, hi, n;
    double *v, sum = 0.0;

    memset(out, 0, sizeof *out);
    while (lo < s->n && s->t_s[lo] < from_s)
        lo++;
    for (hi = lo; hi < s->n && s->t_s[hi] < to_s;)
        hi++;
    n = hi - lo;
    if (!n || !(v = malloc(n * sizeof *v)))
        return;
    memcpy(v, s->v + lo, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    out->count = n;
    out->min = v[0];
    out->max = v[n - 1];
    out->mean = sum / (double)n;
    out->p50 = rank(v, n, 50);
    out->p90 = rank(v, n, 90);
    out->p95 = rank(v, n, 95);
    out->p99 = rank(v, n, 99);
    free(v);
}

void pg_gauge_clear(pg_gauge_series *s)
{
    free(s->t_s);
    free(s->v);
    memset(s, 0, sizeof *s);
}
