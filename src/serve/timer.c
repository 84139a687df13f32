/* timer.c — resumes suspended MHD connections at their due time (see timer.h). */
#include "serve/timer.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "common/clock.h"
#include "common/heap.h"

struct pg_timer {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    pg_heap heap; /* of suspended connections by due time */
    int stopping;
};

static void *run(void *arg)
{
    pg_timer *t = arg;

    pthread_mutex_lock(&t->mu);
    while (!t->stopping) {
        uint64_t now = pg_now_ns();
        if (t->heap.n == 0) {
            pthread_cond_wait(&t->cv, &t->mu);
            continue;
        }
        if (pg_heap_top(&t->heap)->due > now) {
            struct timespec ts;
            uint64_t due = pg_heap_top(&t->heap)->due;
            /* The condvar uses CLOCK_MONOTONIC (set in pg_timer_start). */
            ts.tv_sec = (time_t)(due / 1000000000ull);
            ts.tv_nsec = (long)(due % 1000000000ull);
            pthread_cond_timedwait(&t->cv, &t->mu, &ts);
            continue;
        }
        while (t->heap.n && pg_heap_top(&t->heap)->due <= now)
            MHD_resume_connection(pg_heap_pop(&t->heap).item);
    }
    while (t->heap.n)
        MHD_resume_connection(pg_heap_pop(&t->heap).item);
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

int pg_timer_start(pg_timer **out)
{
    pthread_condattr_t attr;
    pg_timer *t = calloc(1, sizeof *t);

    *out = NULL;
    if (!t)
        return -1;
    if (pg_heap_init(&t->heap, 256) != 0) {
        free(t);
        return -1;
    }
    pthread_mutex_init(&t->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cv, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&t->thread, NULL, run, t) != 0) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        pg_heap_free(&t->heap);
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int pg_timer_add(pg_timer *t, uint64_t due, struct MHD_Connection *c)
{
    int rc = 0;

    pthread_mutex_lock(&t->mu);
    if (t->stopping) {
        rc = -1;
        goto out;
    }
    if (pg_heap_push(&t->heap, due, c) != 0) {
        rc = -1;
        goto out;
    }
    if (pg_heap_top(&t->heap)->item == c)
        pthread_cond_signal(&t->cv);
out:
    pthread_mutex_unlock(&t->mu);
    return rc;
}

void pg_timer_stop(pg_timer *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    t->stopping = 1;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    pg_heap_free(&t->heap);
    free(t);
}
