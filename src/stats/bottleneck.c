/* bottleneck.c — hints on what limited a run (see bottleneck.h). */
#include "stats/bottleneck.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/units.h"

static void hint(pg_budget_run *r, const char *fmt, ...)
{
    va_list ap;

    if (r->n_hints == PG_MAX_HINTS)
        return;
    va_start(ap, fmt);
    vsnprintf(r->hints[r->n_hints++], sizeof r->hints[0], fmt, ap);
    va_end(ap);
}

static double agg(const pg_budget_run *r, const char *name, const char *how, double p)
{
    const pg_gauge_series *g = pg_budget_run_gauge(r, name);
    return g ? pg_gauge_aggregate(g->v, g->n, how, p) : NAN;
}

static void resources(pg_budget_run *r, long cores)
{
    double t90 = agg(r, "target_cpu", "p", 90), threads = agg(r, "target_threads", "max", 0);
    double h90 = agg(r, "host_cpu", "p", 90), self95 = agg(r, "perfgate_cpu", "p", 95);
    double usable = fmin((double)cores, isnan(threads) ? (double)cores : threads);

    if (r->saturated)
        hint(r,
             "the generator was the limit: %s. Give perfgate more cores (--threads) or its own "
             "machine",
             r->saturation);
    else if (!isnan(self95) && r->threads && self95 >= 90.0 * r->threads)
        hint(r,
             "perfgate's CPU reached %.0f%% (p95) of its %u threads: the generator is near its "
             "limit",
             self95, r->threads);
    if (!isnan(t90) && usable >= 1 && t90 >= 85.0 * usable)
        hint(r,
             "the target looks CPU-bound: its CPU was at or above %.0f%% of one core in 10%% of "
             "the samples, %.0f%% of the %.0f core%s it can use",
             t90, t90 / usable, usable, usable == 1 ? "" : "s");
    else if (!isnan(t90) && usable >= 2 && t90 >= 85.0 && t90 <= 115.0)
        hint(r,
             "the target kept about one core busy (%.0f%%, p90) while it could use %.0f: one "
             "thread (an event loop, a lock) may be its bottleneck",
             t90, usable);
    if (!isnan(h90) && h90 >= 90.0)
        hint(r,
             "the machine's CPU was %.0f%% busy (p90): perfgate and the target compete for "
             "cores, so latency includes waiting for a CPU",
             h90);
}

typedef struct point {
    double load, thr, err, p99;
} point;

static int by_load(const void *a, const void *b)
{
    double x = ((const point *)a)->load, y = ((const point *)b)->load;
    return (x > y) - (x < y);
}

/* Means of the lowest and highest thirds of pts (sorted by load). */
static void thirds(const point *pts, size_t n, point *low, point *high)
{
    size_t k = n / 3 ? n / 3 : 1;
    double errs_lo = 0, reqs_lo = 0, errs_hi = 0, reqs_hi = 0;

    memset(low, 0, sizeof *low);
    memset(high, 0, sizeof *high);
    for (size_t i = 0; i < k; i++) {
        low->load += pts[i].load / (double)k;
        low->thr += pts[i].thr / (double)k;
        low->p99 += pts[i].p99 / (double)k;
        errs_lo += pts[i].err;
        reqs_lo += pts[i].thr;
        high->load += pts[n - 1 - i].load / (double)k;
        high->thr += pts[n - 1 - i].thr / (double)k;
        high->p99 += pts[n - 1 - i].p99 / (double)k;
        errs_hi += pts[n - 1 - i].err;
        reqs_hi += pts[n - 1 - i].thr;
    }
    low->err = reqs_lo > 0 ? errs_lo / reqs_lo : 0;
    high->err = reqs_hi > 0 ? errs_hi / reqs_hi : 0;
}

/* Load against throughput, errors and p99: per step of a staircase, else
 * per second of the timeline. */
static size_t points(const pg_budget_run *r, point **out)
{
    size_t n = r->n_steps ? r->n_steps : r->n_timeline, k = 0;
    point *p = n ? calloc(n, sizeof *p) : NULL;

    *out = p;
    if (!p)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (r->n_steps) {
            const pg_capacity_step *s = &r->steps[i];
            p[k++] =
                (point){s->rate, s->rps, s->duration_s > 0 ? (double)s->failed / s->duration_s : 0,
                        (double)s->p99_us};
        } else {
            const pg_timeline_point *t = &r->timeline[i];
            if (!t->requests && !t->dropped)
                continue;
            p[k++] = (point){(double)(t->requests + t->dropped), (double)t->requests,
                             (double)t->failed, (double)t->p99_us};
        }
    }
    qsort(p, k, sizeof *p, by_load);
    return k;
}

static void load_shape(pg_budget_run *r)
{
    point *pts, lo, hi;
    size_t n = points(r, &pts);
    char p_lo[16], p_hi[16];

    if (n >= 6 || (r->n_steps && n >= 3)) {
        thirds(pts, n, &lo, &hi);
        if (lo.load > 0 && hi.load >= 1.5 * lo.load) {
            if (hi.err > 0.01 && hi.err >= 2 * lo.err)
                hint(r,
                     "errors rose with load: %.3g%% of requests failed at the busiest third "
                     "(about %.0f/s offered) against %.3g%% at the quietest (about %.0f/s)",
                     hi.err * 100, hi.load, lo.err * 100, lo.load);
            if (lo.thr > 0 && lo.p99 > 0 && hi.thr / lo.thr < 0.8 * (hi.load / lo.load) &&
                hi.p99 >= 2 * lo.p99) {
                pg_format_duration((uint64_t)lo.p99, p_lo, sizeof p_lo);
                pg_format_duration((uint64_t)hi.p99, p_hi, sizeof p_hi);
                hint(r,
                     "latency rose before throughput levelled off: offered load went from "
                     "about %.0f/s to %.0f/s, throughput only from %.0f/s to %.0f/s, and p99 "
                     "from %s to %s: the target saturates near %.0f requests/s",
                     lo.load, hi.load, lo.thr, hi.thr, p_lo, p_hi, hi.thr);
            }
        }
    }
    free(pts);
}

void pg_bottleneck_hints(pg_budget_run *r, long cores)
{
    r->n_hints = 0;
    resources(r, cores > 0 ? cores : 1);
    load_shape(r);
}
