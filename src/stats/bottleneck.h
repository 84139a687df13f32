/* bottleneck.h — plain-words hints on what limited a run, drawn from its
 * own data: the sampled resources (monitor/), the per-second timeline, the
 * staircase of a breaking-point run, and the generator's saturation check.
 * Each rule says what it saw in numbers, so a reader can check it:
 *   generator saturated    perfgate's CPU, or its late starts (engine)
 *   target CPU-bound       target_cpu p90 >= 85% of min(cores, its threads)
 *                          cores; or about one core busy of several (one
 *                          thread may be the bottleneck)
 *   machine CPU-bound      host_cpu p90 >= 90%
 *   errors rising with load  the error share of the busiest third of the
 *                          seconds (or steps) at least twice that of the
 *                          quietest and over 1%, with the load spread >= 1.5x
 *   latency before throughput  offered load up >= 1.5x, throughput up by
 *                          under 80% of that, p99 at least doubled
 * A hint is a reading, not a verdict: none of them fails the gate. */
#ifndef PG_STATS_BOTTLENECK_H
#define PG_STATS_BOTTLENECK_H

#include "metrics/run.h"

/* Replaces r->hints with what r's data shows; cores: the machine's. */
void pg_bottleneck_hints(pg_budget_run *r, long cores);

#endif
