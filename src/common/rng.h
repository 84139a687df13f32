/* rng.h — perfgate's one pseudo-random generator: xorshift64* (Vigna, "An
 * experimental exploration of Marsaglia's xorshift generators, scrambled",
 * 2016). Fast, seedable and the same everywhere, so a fixed seed gives the
 * same bootstrap interval, permutation p-value and scenario order on every
 * machine. Not for secrets. The state must never be 0 (0 stays 0). */
#ifndef PG_COMMON_RNG_H
#define PG_COMMON_RNG_H

#include <stdint.h>

static inline uint64_t pg_rng_next(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717ull;
}

/* Uniform in [0, 1), 53 bits. */
static inline double pg_rng_uniform(uint64_t *state)
{
    return (double)(pg_rng_next(state) >> 11) / 9007199254740992.0;
}

/* Uniform in [0, n), n >= 1 (the modulo bias is below n / 2^64). */
static inline uint64_t pg_rng_below(uint64_t *state, uint64_t n)
{
    return pg_rng_next(state) % n;
}

#endif
