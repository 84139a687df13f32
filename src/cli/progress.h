/* progress.h — the live progress display of run/check (internal to cli/).
 * On a terminal one line rewritten in place; otherwise (CI logs) a plain
 * line every 5 seconds. */
#ifndef PG_CLI_PROGRESS_H
#define PG_CLI_PROGRESS_H

#include "engine/engine.h"

typedef struct pg_progress {
    int tty;
    int quiet;
    double last_line_s;
} pg_progress;

void pg_progress_init(pg_progress *p, int quiet);
void pg_progress_update(void *arg, const pg_budget *b, int trial, double elapsed_s, double total_s,
                        const pg_timeline_point *last, uint64_t requests, uint64_t failed,
                        uint64_t dropped);
void pg_progress_done(pg_progress *p); /* ends the live line */

#endif
