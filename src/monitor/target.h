/* target.h — the process a budget watches (monitor.pid, pid_file or
 * command) and its descendants: CPU, resident memory, threads and open
 * files, summed over all of them (nginx's master and workers, a pre-forking
 * server's children). The set is found again at every sample, so workers
 * that come and go, or a target restarted under the same pid file, are
 * followed. A command names processes, not a tree: of several unrelated
 * trees of that name, one is watched (see prefer_pid). Internal to
 * monitor/. */
#ifndef PG_MONITOR_TARGET_H
#define PG_MONITOR_TARGET_H

#include <stddef.h>
#include <stdint.h>

#define PG_TARGET_MAX_PROCS 512

typedef struct pg_target_sample {
    size_t processes; /* 0: the target was not running */
    uint64_t cpu_ticks;
    uint64_t rss_pages;
    long threads;
    long fds; /* -1 when they could not be read */
} pg_target_sample;

typedef struct pg_target_proc {
    long pid;
    uint64_t start_tick, cpu_ticks;
} pg_target_proc;

typedef struct pg_target {
    const char *root; /* "/proc", or a fake tree in tests */
    long pid;
    const char *pid_file;
    const char *command;
    long self; /* perfgate's own pid: never counted as the target */
    /* When several unrelated trees have the command's name (another copy
     * of the service, another user's), one is watched: the tree holding
     * prefer_pid (the process listening on the target's port; 0: unknown),
     * else the one whose root started first. What the last sample found: */
    long prefer_pid;
    size_t trees;           /* unrelated trees of that name */
    long chosen_root;       /* the root of the tree watched */
    int chosen_by_listener; /* 1: it holds prefer_pid; 0: it started first */
    /* the processes of the previous sample, for CPU deltas */
    pg_target_proc prev[PG_TARGET_MAX_PROCS];
    size_t n_prev;
    int have_prev;
    struct pg_proc_list *scratch; /* every process of the last pass (heap) */
} pg_target;

/* Finds the target's processes now and sums them. cpu_delta gets the ticks
 * used since the previous call by processes seen both times, plus the
 * whole time of processes that started since (started after since_tick,
 * the boot-relative tick of the previous sample). */
void pg_target_sample_now(pg_target *t, uint64_t since_tick, pg_target_sample *out,
                          uint64_t *cpu_delta);

/* The pids of the target's processes now (at most max of them); 0 when
 * none is running or /proc cannot be read. */
size_t pg_target_pids(pg_target *t, long *pids, size_t max);

void pg_target_clear(pg_target *t); /* frees the scratch space */

#endif
