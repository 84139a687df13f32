/* service_cpu.h — the CPU time the service under test spends, and how long
 * its threads waited for a CPU, read at the engine's trial boundaries, so
 * each trial knows what its answers cost the service (pg_trial.service_cpu_s;
 * the compared value is per answered request, metric_catalog.h's
 * service_cpu) and how much of their latency was the scheduler's
 * (pg_trial.service_wait_s, which decides whether a same-time comparison
 * may judge latency: stats/gate.c).
 *
 * Why: on a machine of few cores, a version of a service that burns 10%
 * more CPU per request also slows the other version running beside it,
 * so their latencies move together and the ratio hides most of the change.
 * The CPU time a process is charged is far less sensitive to what else
 * runs: it counts only the time its own threads were on a core.
 *
 * Which processes: the one listening on the target's port (a target on
 * 127.0.0.1, ::1 or localhost only: elsewhere the port on this machine may
 * be another program) and its descendants (nginx's workers), found when the
 * run starts; perfgate itself never. Each process's CPU clock
 * (clock_getcpuclockid: the scheduler's nanosecond runtime, not the 10 ms
 * ticks of /proc/PID/stat) is read at each boundary; a process that ends
 * during the run leaves the trials from then on unmeasured. */
#ifndef PG_MONITOR_SERVICE_CPU_H
#define PG_MONITOR_SERVICE_CPU_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics/trial.h"

/* The port of a target on this machine (a loopback host), else 0. */
unsigned pg_local_port(const char *url);

typedef struct pg_service_cpu pg_service_cpu;

/* The service behind url, or NULL when it is not on this machine, none
 * listens, it is perfgate itself, or its clocks cannot be read. root is
 * "/proc" (tests give a fake tree; clocks are still the kernel's). */
pg_service_cpu *pg_service_cpu_find(const char *url, const char *root);

/* Reads the clocks at first_ns, first_ns + step_ns, ... (n + 1 instants
 * of CLOCK_MONOTONIC: the edges of n trials) on a thread of its own, until
 * the last instant or until *stop is set. -1 when no thread starts (the
 * trials then stay unmeasured). */
int pg_service_cpu_start(pg_service_cpu *s, uint64_t first_ns, uint64_t step_ns, size_t n,
                         volatile sig_atomic_t *stop);

/* Waits for the thread, sets trials[t].service_cpu_s, service_wait_s and
 * others_cpu_s for every trial whose two edges were read, and frees s.
 * NULL s is fine. */
void pg_service_cpu_finish(pg_service_cpu *s, pg_trial *trials, size_t n);

/* Stops reading, waits for the thread and frees s (a run that failed).
 * NULL s is fine. */
void pg_service_cpu_cancel(pg_service_cpu *s);

/* The processes' CPU time now, in nanoseconds; -1 when one has ended. */
int64_t pg_service_cpu_now(const pg_service_cpu *s);

/* The CPU time, in nanoseconds, of every process on the machine but
 * perfgate and the service (root/stat's user + nice + system, less
 * perfgate's and the service's clocks): what else competed for the cores.
 * Meaningful only as the difference of two readings of one s (set as
 * pg_trial.others_cpu_s per trial); PG_OTHERS_UNREAD when it cannot be
 * read. The machine's time comes in clock ticks (10 ms of one core), so a
 * difference is as coarse. */
#define PG_OTHERS_UNREAD INT64_MIN
int64_t pg_others_cpu_now(const pg_service_cpu *s);

/* The nanoseconds the processes' threads have waited runnable for a CPU
 * (procfs.h's pg_procfs_run_delay, summed); -1 when one cannot be read. */
int64_t pg_service_wait_now(const pg_service_cpu *s);

#endif
