/* clock.h — the one clock perfgate measures with: CLOCK_MONOTONIC in
 * nanoseconds (immune to wall-clock steps; cheap through the vDSO). */
#ifndef PG_COMMON_CLOCK_H
#define PG_COMMON_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t pg_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
