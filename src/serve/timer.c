/* timer.c — resumes suspended MHD connections at their due time (see timer.h). */
#include "serve/timer.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef struct entry {
    uint64_t due;
    struct MHD_Connection *c;
} entry;

struct pg_timer {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    entry *heap;
    size_t n, cap;
    int stopping;
};

uint64_t pg_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sift_up(entry *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        entry tmp;
        if (h[p].due <= h[i].due)
            break;
        tmp = h[p], h[p] = h[i], h[i] = tmp;
        i = p;
    }
}

static entry pop_min(entry *h, size_t *n)
{
    entry top = h[0];
    size_t i = 0;

    h[0] = h[--*n];
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        entry tmp;
        if (l < *n && h[l].due < h[m].due)
            m = l;
        if (r < *n && h[r].due < h[m].due)
            m = r;
        if (m == i)
            break;
        tmp = h[m], h[m] = h[i], h[i] = tmp;
        i = m;
    }
    return top;
}

static void *run(void *arg)
{
    pg_timer *t = arg;

    pthread_mutex_lock(&t->mu);
    while (!t->stopping) {
        uint64_t now = pg_now_ns();
        if (t->n == 0) {
            pthread_cond_wait(&t->cv, &t->mu);
            continue;
        }
        if (t->heap[0].due > now) {
            struct timespec ts;
            uint64_t due = t->heap[0].due;
            /* The condvar uses CLOCK_MONOTONIC (set in pg_timer_start). */
            ts.tv_sec = (time_t)(due / 1000000000ull);
            ts.tv_nsec = (long)(due % 1000000000ull);
            pthread_cond_timedwait(&t->cv, &t->mu, &ts);
            continue;
        }
        while (t->n && t->heap[0].due <= now)
            MHD_resume_connection(pop_min(t->heap, &t->n).c);
    }
    while (t->n)
        MHD_resume_connection(pop_min(t->heap, &t->n).c);
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
    pthread_mutex_init(&t->mu, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cv, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&t->thread, NULL, run, t) != 0) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
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
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        entry *h = realloc(t->heap, cap * sizeof *h);
        if (!h) {
            rc = -1;
            goto out;
        }
        t->heap = h;
        t->cap = cap;
    }
    t->heap[t->n] = (entry){due, c};
    sift_up(t->heap, t->n++);
    if (t->heap[0].c == c)
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
    free(t->heap);
    free(t);
}
