/* repeat.h — the trials of a ramp: each trial runs the whole profile (its
 * stages from the first to the last), one after the other, so the trials
 * are alike and can be compared; a slice of one ramp would compare low load
 * with high load. The warm-up runs once, before the first. Internal to
 * engine/. */
#ifndef PG_ENGINE_REPEAT_H
#define PG_ENGINE_REPEAT_H

#include "engine/engine.h"

/* The pause between two trials: in-flight answers of one drain before the
 * next starts. */
#define PG_REPEAT_GAP_NS 250000000ull

/* Runs b's trials as whole profiles (see engine.h, pg_engine_run). With
 * o->start_ns, trial k starts at a fixed instant after it (the first after
 * the warm-up, each next one a profile and a gap later), so two engines
 * given the same start (a duet) run each trial at the same time. */
int pg_repeat_run(pg_budget_run *out, const pg_budget *b, const pg_run_opts *o, pg_err *err);

#endif
