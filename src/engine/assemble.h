/* assemble.h — one run made of several runs of the engine: the trials of a
 * ramp (each the whole profile) and the steps of a staircase (internal to
 * engine/). */
#ifndef PG_ENGINE_ASSEMBLE_H
#define PG_ENGINE_ASSEMBLE_H

#include "metrics/run.h"

/* Appends r's per-second points to out's, moved to t_s on out's clock
 * (seconds since out's measurement began). -1 when out of memory. */
int pg_assemble_timeline(pg_budget_run *out, const pg_budget_run *r, double t_s);

/* What every part shares with the whole: threads, the most CPU and memory
 * the generator used, starts and late starts added up, the first example of
 * each failure, and the names (moved from r the first time). */
void pg_assemble_facts(pg_budget_run *out, pg_budget_run *r);

/* The generator fell behind over all the parts together: late starts are
 * judged once at the end, since on a busy machine any short part has a few. */
void pg_assemble_late_starts(pg_budget_run *out, const char *over);

#endif
