/* procfs.h — the few facts perfgate reads from Linux's /proc (proc(5)):
 * the machine's CPU time and memory, and a process's CPU time, memory,
 * threads and parent. Parsers take the file's text, so tests feed them
 * fixtures; readers take the root ("/proc", or a fake tree in tests). */
#ifndef PG_MONITOR_PROCFS_H
#define PG_MONITOR_PROCFS_H

#include <stddef.h>
#include <stdint.h>

/* The first line of /proc/stat: ticks of all CPUs since boot. */
typedef struct pg_cpu_ticks {
    uint64_t busy;      /* user + nice + system + irq + softirq + steal */
    uint64_t total;     /* busy + idle + iowait (guest time is already inside user) */
    uint64_t processes; /* user + nice + system: what processes used, not interrupts */
    uint64_t steal;     /* given by the hypervisor to another guest */
} pg_cpu_ticks;

/* 0, or -1 when malformed. */
int pg_procfs_parse_cpu(const char *stat_text, pg_cpu_ticks *out);

/* /proc/meminfo: MemTotal and MemAvailable in KiB. 0, or -1 when either is missing. */
int pg_procfs_parse_meminfo(const char *text, uint64_t *total_kib, uint64_t *available_kib);

typedef struct pg_proc_stat {
    long pid, ppid;
    char comm[32];       /* the process name, at most 15 characters */
    uint64_t cpu_ticks;  /* utime + stime, in clock ticks */
    long threads;        /* num_threads */
    uint64_t start_tick; /* starttime: clock ticks after boot */
    uint64_t rss_pages;
} pg_proc_stat;

/* /proc/PID/stat. The name is in parentheses and may itself hold spaces and
 * parentheses, so the fields are counted from the last ')'. */
int pg_procfs_parse_pid_stat(const char *text, pg_proc_stat *out);

/* Reads root/<rel> (at most size - 1 bytes, NUL-terminated); 0 or -1. */
int pg_procfs_read(const char *root, const char *rel, char *buf, size_t size);

/* The inode of a socket listening on TCP port per the text of /proc/net/tcp
 * or /proc/net/tcp6 (any local address); 0 when none is. */
uint64_t pg_procfs_parse_listener(const char *tcp_text, unsigned port);

/* A process that listens on TCP port on this machine (root/net/tcp and
 * tcp6, then the process whose fd links to that socket); 0 when none is
 * found (none listens, or it belongs to another user and we are not root). */
long pg_procfs_port_listener(const char *root, unsigned port);

/* Open file descriptors of pid (entries of root/PID/fd), or -1 when they
 * cannot be read (another user's process without privileges). */
long pg_procfs_count_fds(const char *root, long pid);

/* Nanoseconds the threads of pid have waited runnable for a CPU (the
 * run-queue wait: the second field of root/PID/task/TID/schedstat, summed
 * over its threads), or -1 when a thread's cannot be read (a kernel
 * without schedstats, a process that ended). A thread that ended took its
 * wait with it. */
int64_t pg_procfs_run_delay(const char *root, long pid);

#endif
