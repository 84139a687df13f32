/* duet.h — both sides of an A/B comparison under the same load at the same
 * time (duet benchmarking: Bulej et al., "Duet Benchmarking: Improving
 * Measurement Accuracy in the Cloud", ICPE 2020).
 *
 * Two engines run at once, one per side, each with its own workers and
 * connections, started on the same CLOCK_MONOTONIC instant with the same
 * seed. The open model's schedule is a pure function of that instant
 * (engine/schedule.h), so the k-th iteration of A and of B have the same
 * intended start, and latency counts from it on both sides. The closed
 * model runs two equal pools of virtual users, one per side, so a slower B
 * shows as lower throughput instead of being paced by A. Trials are cut at
 * the same instants on both sides, so trial t of A and trial t of B saw the
 * same moment of the machine: a burst of noise falls on both. */
#ifndef PG_ENGINE_DUET_H
#define PG_ENGINE_DUET_H

#include "common/err.h"
#include "config/budget.h"
#include "engine/engine.h"
#include "metrics/run.h"

/* How far ahead of now both sides are told to start: time for two sets of
 * threads and the first connections to come up. */
#define PG_DUET_LEAD_NS 100000000ull

/* Runs b against url_a and url_b at once. threads in o is per side (0: one
 * per core, as a run of one side would have); o->start_ns is ignored (both
 * get one instant).
 * On success *a and *b hold each side's measurements; on failure neither. */
int pg_duet_run(pg_budget_run *a, pg_budget_run *b, const pg_budget *budget, const char *url_a,
                const char *url_b, const pg_run_opts *o, pg_err *err);

/* Worker threads per side for a duet on this machine when none are asked for. */
unsigned pg_duet_threads(unsigned asked);

#endif
