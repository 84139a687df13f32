/* procfs.h — the few facts perfgate reads from Linux's /proc (proc(5)):
 * the machine's CPU time and memory, and a process's CPU time, memory,
 * threads and parent. Parsers take the file's text, so tests feed them
 * fixtures; readers take the root ("/proc", or a fake tree in tests). */
#ifndef PG_MONITOR_PROCFS_H
#define PG_MONITOR_PROCFS_H

#include <stddef.h>
#include <stdint.h>

/* The first line of /proc/stat: busy and total ticks of all CPUs since boot.
 * Busy is user + nice + system + irq + softirq + steal; total adds idle and
 * iowait (guest time is already inside user). 0, or -1 when malformed. */
int pg_procfs_parse_cpu(const char *stat_text, uint64_t *busy, uint64_t *total);

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

/* Open file descriptors of pid (entries of root/PID/fd), or -1 when they
 * cannot be read (another user's process without privileges). */
long pg_procfs_count_fds(const char *root, long pid);

#endif
