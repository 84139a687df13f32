/* duet.c — both sides at once (see duet.h). */
#include "engine/duet.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"

typedef struct side_job {
    pg_budget budget; /* a shallow copy with this side's target */
    pg_run_opts opts;
    pg_budget_run *out;
    pg_err err;
    int rc;
} side_job;

static void *run_side(void *arg)
{
    side_job *j = arg;

    j->rc = pg_engine_run(j->out, &j->budget, &j->opts, &j->err);
    return NULL;
}

unsigned pg_duet_threads(unsigned asked)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    /* As many as a run of one side would have. With fewer, each side's
     * requests go through one thread that the kernel may keep beside a busy
     * process for a whole comparison: measured under busy loops on 2 cores,
     * one thread a side made 1 false alarm in 10 A/A comparisons (+29%),
     * two a side none. */
    if (asked)
        return asked;
    return cores >= 1 ? (unsigned)cores : 1u;
}

int pg_duet_run(pg_budget_run *a, pg_budget_run *b, const pg_budget *budget, const char *url_a,
                const char *url_b, const pg_run_opts *o, pg_err *err)
{
    side_job job[2];
    pthread_t tid;
    uint64_t start = pg_now_ns() + PG_DUET_LEAD_NS;
    int rc;

    /* both sides' connections are this process's open files: each engine
     * alone would raise the limit for its own */
    if ((rc = pg_engine_room(budget, pg_duet_threads(o->threads), 1, 2, err)) != PG_OK)
        return rc;
    memset(job, 0, sizeof job);
    for (int s = 0; s < 2; s++) {
        job[s].budget = *budget; /* read-only for the engine: the copy shares its arrays */
        job[s].budget.target = (char *)(s ? url_b : url_a);
        job[s].opts = *o;
        job[s].opts.threads = pg_duet_threads(o->threads);
        job[s].opts.start_ns = start;
        job[s].opts.progress = NULL; /* two engines would print over each other */
        job[s].out = s ? b : a;
    }
    if (pthread_create(&tid, NULL, run_side, &job[1]) != 0)
        return pg_err_set(err, PG_ERUN, "cannot start the thread for side B");
    run_side(&job[0]);
    pthread_join(tid, NULL);
    for (int s = 0; s < 2; s++) {
        if (job[s].rc != PG_OK) {
            *err = job[s].err;
            if (job[1 - s].rc == PG_OK)
                pg_budget_run_clear(job[1 - s].out);
            return job[s].rc;
        }
    }
    return PG_OK;
}
