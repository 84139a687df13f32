/* schedule.h — when iterations start and how many virtual users run, as pure
 * functions of the budget's load and a time offset, so the schedule can be
 * tested against a fake clock without any network.
 *
 * Open model: the arrival rate r(t) is piecewise linear (stages), so the
 * number of iterations due by t, A(t) = integral of r, is piecewise quadratic
 * and the k-th iteration's start is found exactly by solving A(t) = k within
 * its stage. Worker w of n takes iterations w, w+n, w+2n, ..., which spreads
 * each worker's share evenly and keeps the sum exactly the budget's rate. */
#ifndef PG_ENGINE_SCHEDULE_H
#define PG_ENGINE_SCHEDULE_H

#include <stdint.h>

#include "config/budget.h"

typedef struct pg_arrivals {
    const pg_load *load;
    uint64_t horizon_us; /* no iteration starts at or after this */
    uint64_t next_k;     /* next global iteration index */
    unsigned stride;     /* number of workers */
    /* cursor over stages, so each call is O(1) amortised */
    size_t stage;
    double stage_start_us, stage_start_count, stage_from;
    int warmup; /* flat at warmup_rate for the whole horizon */
    double warmup_rate;
} pg_arrivals;

/* Iterations of worker `index` of `stride`, from t = 0 to horizon_us. */
void pg_arrivals_init(pg_arrivals *a, const pg_load *load, unsigned index, unsigned stride,
                      uint64_t horizon_us);

/* The same at a constant rate (per second, whole run), for warm-up. */
void pg_arrivals_init_flat(pg_arrivals *a, double rate, unsigned index, unsigned stride,
                           uint64_t horizon_us);

/* Start time (us from t = 0) of this worker's next iteration; -1 when none is left. */
int pg_arrivals_next(pg_arrivals *a, uint64_t *t_us);

/* Virtual users that should be running at t for the closed model (whole run). */
long pg_schedule_vus_at(const pg_load *load, uint64_t t_us);

/* The load level warm-up runs at: the schedule's first non-zero level. */
double pg_schedule_warmup_level(const pg_load *load);

#endif
