/* schedule.c — open-model arrivals and closed-model VU counts (see schedule.h). */
#include "engine/schedule.h"

#include <math.h>

static double stage_rate_from(const pg_load *l, size_t stage)
{
    return stage == 0 ? l->start : l->stages[stage - 1].target;
}

void pg_arrivals_init(pg_arrivals *a, const pg_load *load, unsigned index, unsigned stride,
                      uint64_t horizon_us)
{
    a->load = load;
    a->horizon_us = horizon_us;
    a->next_k = index;
    a->stride = stride ? stride : 1;
    a->stage = 0;
    a->stage_start_us = 0.0;
    a->stage_start_count = 0.0;
    a->stage_from = load ? stage_rate_from(load, 0) : 0.0;
    a->warmup = 0;
    a->warmup_rate = 0.0;
}

void pg_arrivals_init_flat(pg_arrivals *a, double rate, unsigned index, unsigned stride,
                           uint64_t horizon_us)
{
    pg_arrivals_init(a, NULL, index, stride, horizon_us);
    a->warmup = 1;
    a->warmup_rate = rate;
}

/* Time within a stage of length d (us) when the count since its start reaches
 * c, for a rate going linearly from r0 to r1 (per second): solve
 * r0*s + (r1-r0)*s^2/(2d) = c for s (seconds). */
static double solve_in_stage(double r0, double r1, double d_s, double c)
{
    double k = (r1 - r0) / d_s; /* rate slope, per s^2 */

    if (c <= 0.0)
        return 0.0; /* also avoids 0/0 when a ramp starts from zero */
    if (fabs(k) < 1e-12)
        return r0 > 0.0 ? c / r0 : INFINITY;
    /* k/2 s^2 + r0 s - c = 0 -> s = (-r0 + sqrt(r0^2 + 2kc)) / k */
    {
        double disc = r0 * r0 + 2.0 * k * c;
        if (disc < 0.0)
            return INFINITY;
        /* numerically stable form of the root */
        return 2.0 * c / (r0 + sqrt(disc));
    }
}

int pg_arrivals_next(pg_arrivals *a, uint64_t *t_us)
{
    double k = (double)a->next_k, t;
    const pg_load *l = a->load;

    if (a->warmup || l->executor == PG_EXEC_CONSTANT_ARRIVAL_RATE) {
        double rate = a->warmup ? a->warmup_rate : l->rate;
        if (rate <= 0.0)
            return -1;
        t = k / rate * 1e6;
    } else {
        for (;;) {
            const pg_stage *s;
            double d_s, r0, r1, count_in_stage;
            if (a->stage >= l->n_stages)
                return -1;
            s = &l->stages[a->stage];
            d_s = (double)s->duration_us / 1e6;
            r0 = a->stage_from;
            r1 = s->target;
            count_in_stage = (r0 + r1) / 2.0 * d_s;
            if (k < a->stage_start_count + count_in_stage) {
                double sec = solve_in_stage(r0, r1, d_s, k - a->stage_start_count);
                t = a->stage_start_us + sec * 1e6;
                break;
            }
            a->stage_start_count += count_in_stage;
            a->stage_start_us += (double)s->duration_us;
            a->stage_from = r1;
            a->stage++;
        }
    }
    if (!(t < (double)a->horizon_us))
        return -1;
    *t_us = (uint64_t)llround(t);
    a->next_k += a->stride;
    return 0;
}

long pg_schedule_vus_at(const pg_load *l, uint64_t t_us)
{
    return (long)llround(pg_load_target_at(l, t_us));
}

double pg_schedule_warmup_level(const pg_load *l)
{
    switch (l->executor) {
    case PG_EXEC_CONSTANT_VUS:
        return (double)l->vus;
    case PG_EXEC_CONSTANT_ARRIVAL_RATE:
        return l->rate;
    default:
        if (l->start > 0.0)
            return l->start;
        for (size_t i = 0; i < l->n_stages; i++)
            if (l->stages[i].target > 0.0)
                return l->stages[i].target;
        return 0.0;
    }
}
