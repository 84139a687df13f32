/* worker.h — one load-generating thread (internal to engine/). */
#ifndef PG_ENGINE_WORKER_H
#define PG_ENGINE_WORKER_H

#include <curl/curl.h>
#include <signal.h>
#include <stdint.h>

#include "common/heap.h"
#include "engine/live.h"
#include "engine/prepared.h"
#include "engine/schedule.h"
#include "metrics/trial.h"

typedef struct pg_worker_cfg {
    const pg_prepared *plan;
    const pg_load *load;
    unsigned gindex, gstride; /* this worker's place among all workers of all shards */
    uint64_t seed;
    uint64_t t0_ns, measure_ns, end_ns, trial_ns; /* CLOCK_MONOTONIC */
    uint64_t second0_ns; /* whole seconds before measure_ns: live seconds count from here */
    size_t n_trials;
    long peak_vus; /* closed model: VUs at the schedule's peak (all workers) */
    volatile sig_atomic_t *stop;
    struct pg_feed *feed; /* data records, shared by the workers */
} pg_worker_cfg;

typedef struct pg_worker pg_worker;

int pg_worker_new(pg_worker **out, const pg_worker_cfg *cfg, pg_err *err);
void *pg_worker_main(void *worker); /* pthread entry */
void pg_worker_free(pg_worker *w);

pg_live *pg_worker_live(pg_worker *w);
pg_trial *pg_worker_trials(pg_worker *w);
int pg_worker_interrupted(const pg_worker *w);
/* Iterations that started over 2 ms late though a connection was free:
 * the generator itself fell behind. */
uint64_t pg_worker_behind(const pg_worker *w);
uint64_t pg_worker_started(const pg_worker *w);
/* Why the worker stopped the run itself (a "unique" data set ran out), or "". */
const char *pg_worker_stop_reason(const pg_worker *w);
/* The first failure of a pg_fail_kind in words ("" when none). */
const char *pg_worker_fail_example(const pg_worker *w, int kind);

#endif
