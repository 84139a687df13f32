/* engine.h — the load engine: runs one budget and returns what it measured.
 *
 * Worker threads each drive their own libcurl multi handle with
 * curl_multi_poll, with a timerfd in the wait set for iteration starts, so an
 * open-model start is on time to the microsecond and no lock is taken on the
 * request path (curl_multi_socket_action on epoll measured slower: 0.59x wrk
 * against 0.72x at 50 connections, 23k against 27k req/s at 1000; libcurl
 * re-adds each socket around every transfer). Each worker fills its
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

/* breaking-point: judges one step, a one-trial constant-arrival-rate run
 * (step) of the budget at the step's rate, after the engine has: held is 0
 * when the step already broke (load.error_limit, a saturated generator, an
 * interruption) and why says how. Returns 1 when the step holds, 0 when it
 * breaks, with why saying what broke. Called for every step, so the caller
 * can report each. */
typedef int (*pg_step_judge_fn)(void *arg, const pg_budget *step, const pg_budget_run *run,
                                int held, char *why, size_t why_size);

/* Watches a run as it goes (thresholds with abort_on_fail): called after
 * each measured second with what the whole measurement holds so far, its
 * latency histogram (duration), requests, failures, dropped iterations and
 * expectation checks,
 * duration_s the seconds measured. Returns 1 to stop the run now, with why
 * saying what broke; 0 to go on. */
typedef int (*pg_watch_fn)(void *arg, const pg_budget *b, const pg_trial *so_far, char *why,
                           size_t why_size);

typedef struct pg_run_opts {
    unsigned threads;                  /* 0: number of cores */
    uint64_t seed;                     /* scenario choice and think times */
    unsigned shard_index, shard_count; /* 1-based I of N; 0/0: not sharded */
    volatile sig_atomic_t *stop;       /* set (by a signal handler) to stop early */
    pg_progress_fn progress;
    void *progress_arg;
    pg_step_judge_fn judge; /* breaking-point thresholds per step; NULL: the error limit only */
    void *judge_arg;
    uint64_t start_ns; /* CLOCK_MONOTONIC instant the schedule starts at; 0: 50 ms from now */
    pg_watch_fn watch; /* NULL: the run goes to its end */
    void *watch_arg;
    /* data records handed out so far, for runs that make up one (a ramp's
     * trials, a staircase's steps); NULL: the run starts its own */
    struct pg_feed *feed;
} pg_run_opts;

/* Raises the open-file limit for engines runs of b at once in this process
 * (a duet runs two), each with threads workers and 1/shards of the
 * connections. PG_ERUN, saying how to raise it, when the hard limit is in
 * the way. pg_engine_run reserves for itself alone. */
int pg_engine_room(const pg_budget *b, unsigned threads, unsigned shards, unsigned engines,
                   pg_err *err);

/* Runs b. On success out holds the measurements (clear with pg_budget_run_clear).
 * A ramping budget of several trials runs its whole profile once per trial
 * (engine/repeat.c), so its trials are alike.
 * A breaking-point budget runs trials staircases (engine/capacity.c): each
 * step a run of its own at a constant rate, the staircase stopping at the
 * first step that breaks; each trial holds the measurements of its highest
 * step that held, out->steps every step.
 * Errors: PG_ERUN when the run could not start (no threads, no sockets).
 * An unreachable target is not an error: its requests fail and are counted. */
int pg_engine_run(pg_budget_run *out, const pg_budget *b, const pg_run_opts *opts, pg_err *err);

#endif
