/* progress.c — live progress line (see progress.h). */
#include "cli/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "config/units.h"

void pg_progress_init(pg_progress *p, int quiet)
{
    p->tty = isatty(STDERR_FILENO);
    p->quiet = quiet;
    p->last_line_s = -1e9;
}

void pg_progress_update(void *arg, const pg_budget *b, int trial, double elapsed_s, double total_s,
                        const pg_timeline_point *last, uint64_t requests, uint64_t failed,
                        uint64_t dropped)
{
    pg_progress *p = arg;
    char p50[16], p99[16], phase[32];

    if (p->quiet)
        return;
    if (!p->tty && elapsed_s - p->last_line_s < 5.0 && elapsed_s < total_s)
        return;
    p->last_line_s = elapsed_s;
    pg_format_duration(last->p50_us, p50, sizeof p50);
    pg_format_duration(last->p99_us, p99, sizeof p99);
    if (trial < 0)
        snprintf(phase, sizeof phase, "warm-up");
    else
        snprintf(phase, sizeof phase, "trial %d/%ld", trial + 1, b->trials);
    fprintf(stderr,
            "%s%s %5.0fs/%.0fs %-11s %7llu req/s  p50 %-8s p99 %-8s errors %llu  dropped %llu  "
            "(total %llu)%s",
            p->tty ? "\r\033[K" : "", b->name, elapsed_s < 0 ? 0.0 : elapsed_s, total_s, phase,
            (unsigned long long)last->requests, p50, p99, (unsigned long long)failed,
            (unsigned long long)dropped, (unsigned long long)requests, p->tty ? "" : "\n");
    fflush(stderr);
}

void pg_progress_done(pg_progress *p)
{
    if (!p->quiet && p->tty)
        fprintf(stderr, "\r\033[K");
}
