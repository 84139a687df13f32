/* service_cpu.c — the service's CPU time at trial boundaries (see service_cpu.h). */
#include "monitor/service_cpu.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "monitor/procfs.h"
#include "monitor/target.h"

struct pg_service_cpu {
    char root[256];
    size_t n_clocks;
    clockid_t clocks[PG_TARGET_MAX_PROCS];
    long pids[PG_TARGET_MAX_PROCS]; /* the process of each clock */
    /* the boundaries: edge[k] is the CPU time read at first_ns + k * step_ns,
     * wait_edge[k] the run-queue wait; -1 when it was not read (stopped
     * before, or a process had ended); others_edge[k] the other processes'
     * CPU time, PG_OTHERS_UNREAD when not read (it may be below 0) */
    uint64_t first_ns, step_ns;
    size_t n_edges;
    int64_t *edge, *wait_edge, *others_edge;
    volatile sig_atomic_t *stop;
    volatile sig_atomic_t cancelled; /* the run failed: read nothing more */
    pthread_t thread;
    int have_thread;
};

unsigned pg_local_port(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;
    unsigned p = 0;

    if (u && url && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
        (strncmp(host, "127.", 4) == 0 || strcmp(host, "localhost") == 0 ||
         strcmp(host, "[::1]") == 0))
        p = (unsigned)strtoul(port, NULL, 10);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return p < 65536 ? p : 0;
}

int64_t pg_service_cpu_now(const pg_service_cpu *s)
{
    int64_t sum = 0;

    for (size_t i = 0; i < s->n_clocks; i++) {
        struct timespec ts;
        if (clock_gettime(s->clocks[i], &ts) != 0)
            return -1; /* the process ended: its time so far is gone with it */
        sum += (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    }
    return sum;
}

int64_t pg_service_wait_now(const pg_service_cpu *s)
{
    int64_t sum = 0;

    for (size_t i = 0; i < s->n_clocks; i++) {
        int64_t w = pg_procfs_run_delay(s->root, s->pids[i]);
        if (w < 0)
            return -1;
        sum += w;
    }
    return sum;
}

int64_t pg_others_cpu_now(const pg_service_cpu *s)
{
    char text[4096];
    pg_cpu_ticks cpu;
    struct timespec self;
    long tck = sysconf(_SC_CLK_TCK);
    int64_t service = pg_service_cpu_now(s);

    if (service < 0 || tck <= 0 || clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &self) != 0 ||
        pg_procfs_read(s->root, "stat", text, sizeof text) != 0 ||
        pg_procfs_parse_cpu(text, &cpu) != 0)
        return PG_OTHERS_UNREAD;
    return (int64_t)(cpu.processes * (1000000000ull / (uint64_t)tck)) -
           ((int64_t)self.tv_sec * 1000000000 + self.tv_nsec) - service;
}

pg_service_cpu *pg_service_cpu_find(const char *url, const char *root)
{
    unsigned port = pg_local_port(url);
    long listener, pids[PG_TARGET_MAX_PROCS], self = (long)getpid();
    pg_target tree;
    pg_service_cpu *s;
    size_t n;

    /* perfgate's own listener (a test serving in-process) would charge the
     * load generator's work to the service */
    if (!port || (listener = pg_procfs_port_listener(root, port)) <= 0 || listener == self)
        return NULL;
    if (!(s = calloc(1, sizeof *s)))
        return NULL;
    snprintf(s->root, sizeof s->root, "%s", root);
    memset(&tree, 0, sizeof tree);
    tree.root = root;
    tree.pid = listener;
    tree.self = self;
    n = pg_target_pids(&tree, pids, PG_TARGET_MAX_PROCS);
    pg_target_clear(&tree);
    for (size_t i = 0; i < n; i++)
        if (clock_getcpuclockid((pid_t)pids[i], &s->clocks[s->n_clocks]) == 0)
            s->pids[s->n_clocks++] = pids[i];
    if (!s->n_clocks || pg_service_cpu_now(s) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

/* Sleeps until at (CLOCK_MONOTONIC), a tenth of a second at a time so a
 * stop is seen; 0 when at came, -1 when stopped first. */
static int wait_until(const pg_service_cpu *s, uint64_t at)
{
    for (;;) {
        uint64_t now = pg_now_ns(), until;
        struct timespec ts;
        if ((s->stop && *s->stop) || s->cancelled)
            return -1;
        if (now >= at)
            return 0;
        until = at - now > 100000000ull ? now + 100000000ull : at;
        ts.tv_sec = (time_t)(until / 1000000000ull);
        ts.tv_nsec = (long)(until % 1000000000ull);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
            ;
    }
}

static void *sample(void *arg)
{
    pg_service_cpu *s = arg;

    for (size_t k = 0; k < s->n_edges; k++) {
        if (wait_until(s, s->first_ns + k * s->step_ns) != 0)
            break;
        s->edge[k] = pg_service_cpu_now(s);
        s->wait_edge[k] = pg_service_wait_now(s);
        s->others_edge[k] = pg_others_cpu_now(s);
    }
    return NULL;
}

int pg_service_cpu_start(pg_service_cpu *s, uint64_t first_ns, uint64_t step_ns, size_t n,
                         volatile sig_atomic_t *stop)
{
    if (!(s->edge = malloc(3 * (n + 1) * sizeof *s->edge)))
        return -1;
    s->wait_edge = s->edge + n + 1;
    s->others_edge = s->wait_edge + n + 1;
    for (size_t k = 0; k < 2 * (n + 1); k++)
        s->edge[k] = -1;
    for (size_t k = 0; k <= n; k++)
        s->others_edge[k] = PG_OTHERS_UNREAD;
    s->first_ns = first_ns;
    s->step_ns = step_ns;
    s->n_edges = n + 1;
    s->stop = stop;
    if (pthread_create(&s->thread, NULL, sample, s) != 0)
        return -1;
    s->have_thread = 1;
    return 0;
}

void pg_service_cpu_cancel(pg_service_cpu *s)
{
    if (!s)
        return;
    s->cancelled = 1;
    pg_service_cpu_finish(s, NULL, 0);
}

/* Sets *seconds to what edge[] grew by over trial t, when both edges were
 * read and it did not go down (the wait goes down when a thread ended and
 * took its share with it); else leaves it unmeasured. */
static void between_edges(const int64_t *edge, size_t t, double *seconds)
{
    if (edge[t] >= 0 && edge[t + 1] >= edge[t])
        *seconds = (double)(edge[t + 1] - edge[t]) / 1e9;
}

void pg_service_cpu_finish(pg_service_cpu *s, pg_trial *trials, size_t n)
{
    if (!s)
        return;
    if (s->have_thread)
        pthread_join(s->thread, NULL);
    for (size_t t = 0; s->have_thread && t < n && t + 1 < s->n_edges; t++) {
        between_edges(s->edge, t, &trials[t].service_cpu_s);
        between_edges(s->wait_edge, t, &trials[t].service_wait_s);
        /* the machine's ticks are coarser than the clocks subtracted from
         * them: a quiet trial may come out a little below nothing */
        if (s->others_edge[t] != PG_OTHERS_UNREAD && s->others_edge[t + 1] != PG_OTHERS_UNREAD)
            trials[t].others_cpu_s =
                fmax(0.0, (double)(s->others_edge[t + 1] - s->others_edge[t]) / 1e9);
    }
    free(s->edge);
    free(s);
}
