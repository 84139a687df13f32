/* live.h — per-worker counters the sampler reads while the run goes on
 * (internal to engine/). Workers add with relaxed atomics to their own
 * counters (uncontended, no locks); the sampler reads the histogram of the
 * second that just ended from a two-slot ring and clears it, one second
 * before the worker writes that slot again. */
#ifndef PG_ENGINE_LIVE_H
#define PG_ENGINE_LIVE_H

#include <stdatomic.h>
#include <stdint.h>

#include "metrics/hist.h"

typedef struct pg_live_second {
    _Atomic uint64_t requests, failed, dropped;
    _Atomic uint64_t checks, checks_failed; /* expectations evaluated, and broken */
    _Atomic uint64_t unanswered;            /* failed without an answer (refused, timeout, ...) */
    _Atomic uint32_t counts[PG_HIST_BUCKETS];
} pg_live_second;

typedef struct pg_live {
    _Atomic uint64_t requests, failed, dropped; /* whole run, warm-up included */
    pg_live_second second[2];                   /* by second index % 2 */
    _Atomic int done;
} pg_live;

static inline void pg_live_add(_Atomic uint64_t *c, uint64_t n)
{
    atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static inline uint64_t pg_live_get(_Atomic uint64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

#endif
