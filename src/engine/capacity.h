/* capacity.h — the breaking-point executor (internal to engine/). */
#ifndef PG_ENGINE_CAPACITY_H
#define PG_ENGINE_CAPACITY_H

#include "engine/engine.h"

/* Runs b's staircases (see engine.h, pg_engine_run). */
int pg_capacity_run(pg_budget_run *out, const pg_budget *b, const pg_run_opts *o, pg_err *err);

#endif
