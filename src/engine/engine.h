/* engine.h — the load engine: runs one budget and returns what it measured.
 *
 * Worker threads each drive their own libcurl multi handle with
 * curl_multi_poll, with a timerfd in the wait set for iteration starts, so an
 * open-model start is on time to the microsecond and no lock is taken on the
 * request path. curl_multi_socket_action on epoll is the alternative driver;
 * it measured slower here (bench/throughput.sh: 0.59x wrk against 0.72x at 50
 * connections, 23k against 27k req/s at 1000), because libcurl removes and
 * re-adds each socket around every transfer, an epoll_ctl pair per request. Each worker fills its
 * own per-trial metrics; the engine merges them when the run ends. While it runs, a once-a-second
 * sampler reads per-worker atomic counters for the progress line and the
 * timeline. */
#ifndef PG_ENGINE_ENGINE_H
#define PG_ENGINE_ENGINE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "config/budget.h"
#include "metrics/run.h"

/* Called once a second from the engine's own thread (progress display). */
typedef void (*pg_progress_fn)(void *arg, const pg_budget *b, int trial, double elapsed_s,
                               double total_s, const pg_timeline_point *last, uint64_t requests,
                               uint64_t failed, uint64_t dropped);

typedef struct pg_run_opts {
    unsigned threads;                  /* 0: number of cores */
    uint64_t seed;                     /* scenario choice and think times */
    unsigned shard_index, shard_count; /* 1-based I of N; 0/0: not sharded */
    volatile sig_atomic_t *stop;       /* set (by a signal handler) to stop early */
    pg_progress_fn progress;
    void *progress_arg;
    int socket_loop; /* drive libcurl with socket_action + epoll (for comparison) */
} pg_run_opts;

/* Runs b. On success out holds the measurements (clear with pg_budget_run_clear).
 * Errors: PG_ERUN when the run could not start (no threads, no sockets).
 * An unreachable target is not an error: its requests fail and are counted. */
int pg_engine_run(pg_budget_run *out, const pg_budget *b, const pg_run_opts *opts, pg_err *err);

#endif
