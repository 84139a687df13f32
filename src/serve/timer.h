/* timer.h — a min-heap of suspended connections and the thread that resumes
 * them when they are due (internal to serve/). */
#ifndef PG_SERVE_TIMER_H
#define PG_SERVE_TIMER_H

#include <microhttpd.h>
#include <stdint.h>

#include "common/clock.h"

typedef struct pg_timer pg_timer;

int pg_timer_start(pg_timer **out);

/* Resumes c at due_ns (CLOCK_MONOTONIC). Call after MHD_suspend_connection.
 * Returns -1 when stopping or out of memory: the caller resumes c itself. */
int pg_timer_add(pg_timer *t, uint64_t due_ns, struct MHD_Connection *c);

/* Resumes everything still waiting, then stops the thread and frees. */
void pg_timer_stop(pg_timer *t);

#endif
