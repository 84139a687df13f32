/* procfs.c — parsing /proc text (see procfs.h; fields as proc(5) lists them). */
#include "monitor/procfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int pg_procfs_parse_cpu(const char *text, pg_cpu_ticks *out)
{
    unsigned long long v[8] = {0};
    int n;

    if (strncmp(text, "cpu ", 4) != 0)
        return -1;
    n = sscanf(text + 4, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
               &v[4], &v[5], &v[6], &v[7]);
    if (n < 4) /* user nice system idle, at the least */
        return -1;
    out->processes = v[0] + v[1] + v[2];
    out->steal = v[7];
    out->busy = out->processes + v[5] + v[6] + v[7];
    out->total = out->busy + v[3] + v[4];
    return 0;
}

static int meminfo_field(const char *text, const char *key, uint64_t *kib)
{
    size_t n = strlen(key);
    unsigned long long v;

    for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
        if (strncmp(line, key, n) == 0 && line[n] == ':' && sscanf(line + n + 1, "%llu", &v) == 1) {
            *kib = v;
            return 0;
        }
    }
    return -1;
}

int pg_procfs_parse_meminfo(const char *text, uint64_t *total_kib, uint64_t *available_kib)
{
    if (meminfo_field(text, "MemTotal", total_kib) != 0 ||
        meminfo_field(text, "MemAvailable", available_kib) != 0 || *total_kib == 0)
        return -1;
    return 0;
}

int pg_procfs_parse_pid_stat(const char *text, pg_proc_stat *out)
{
    const char *open = strchr(text, '('), *close = strrchr(text, ')');
    unsigned long long utime, stime, start, rss;
    long ppid, threads;
    size_t n;
    char state;

    memset(out, 0, sizeof *out);
    if (!open || !close || close < open || sscanf(text, "%ld", &out->pid) != 1)
        return -1;
    n = (size_t)(close - open - 1);
    if (n >= sizeof out->comm)
        n = sizeof out->comm - 1;
    memcpy(out->comm, open + 1, n);
    out->comm[n] = '\0';
    /* after ")": state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt
     * cmajflt utime(14) stime(15) cutime cstime priority nice num_threads(20)
     * itrealvalue starttime(22) vsize rss(24) */
    if (sscanf(close + 1,
               " %c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %ld %*d "
               "%llu %*u %llu",
               &state, &ppid, &utime, &stime, &threads, &start, &rss) != 7)
        return -1;
    out->ppid = ppid;
    out->cpu_ticks = utime + stime;
    out->threads = threads;
    out->start_tick = start;
    out->rss_pages = rss;
    return 0;
}

int pg_procfs_read(const char *root, const char *rel, char *buf, size_t size)
{
    char path[512];
    ssize_t got;
    size_t used = 0;
    int fd;

    snprintf(path, sizeof path, "%s/%s", root, rel);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    while (used + 1 < size && (got = read(fd, buf + used, size - 1 - used)) > 0)
        used += (size_t)got;
    close(fd);
    buf[used] = '\0';
    return used ? 0 : -1;
}

long pg_procfs_count_fds(const char *root, long pid)
{
    char path[512];
    DIR *d;
    struct dirent *e;
    long n = 0;

    snprintf(path, sizeof path, "%s/%ld/fd", root, pid);
    if (!(d = opendir(path)))
        return -1;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

int64_t pg_procfs_run_delay(const char *root, long pid)
{
    char path[512], text[128];
    DIR *d;
    struct dirent *e;
    int64_t sum = 0;

    snprintf(path, sizeof path, "%s/%ld/task", root, pid);
    if (!(d = opendir(path)))
        return -1;
    while ((e = readdir(d)) && sum >= 0) {
        unsigned long long run, wait;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%ld/task/%s/schedstat", pid, e->d_name);
        if (pg_procfs_read(root, path, text, sizeof text) != 0 ||
            sscanf(text, "%llu %llu", &run, &wait) != 2)
            sum = -1;
        else
            sum += (int64_t)wait;
    }
    closedir(d);
    return sum;
}

uint64_t pg_procfs_parse_listener(const char *text, unsigned port)
{
    const char *line = strchr(text, '\n'); /* the first line names the columns */

    for (; line && *++line; line = strchr(line, '\n')) {
        char local[80], remote[80];
        unsigned st, p;
        unsigned long long inode;
        const char *colon;
        /* "  0: 0100007F:1F90 00000000:0000 0A tx:rx tr:when retr uid timeout inode" */
        if (sscanf(line, " %*s %79s %79s %x %*s %*s %*s %*s %*s %llu", local, remote, &st,
                   &inode) != 4)
            continue;
        if (st != 0x0A || !(colon = strrchr(local, ':')) || sscanf(colon + 1, "%x", &p) != 1)
            continue; /* 0A: LISTEN */
        if (p == port && inode)
            return inode;
    }
    return 0;
}

long pg_procfs_port_listener(const char *root, unsigned port)
{
    static const char *const tables[] = {"net/tcp", "net/tcp6"};
    char *text = malloc(1u << 20), want[64], path[512], link[64];
    uint64_t inode = 0;
    long pid = 0;
    DIR *d;
    struct dirent *e;

    if (!text)
        return 0;
    for (size_t i = 0; i < 2 && !inode; i++)
        if (pg_procfs_read(root, tables[i], text, 1u << 20) == 0)
            inode = pg_procfs_parse_listener(text, port);
    free(text);
    if (!inode || !(d = opendir(root)))
        return 0;
    snprintf(want, sizeof want, "socket:[%llu]", (unsigned long long)inode);
    while (!pid && (e = readdir(d))) {
        char *end;
        long p = strtol(e->d_name, &end, 10);
        DIR *fds;
        struct dirent *f;
        if (*end || p <= 0)
            continue;
        snprintf(path, sizeof path, "%s/%ld/fd", root, p);
        if (!(fds = opendir(path)))
            continue;
        while (!pid && (f = readdir(fds))) {
            ssize_t n;
            if (f->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%ld/fd/%s", root, p, f->d_name);
            if ((n = readlink(path, link, sizeof link - 1)) > 0) {
                link[n] = '\0';
                if (strcmp(link, want) == 0)
                    pid = p;
            }
        }
        closedir(fds);
    }
    closedir(d);
    return pid;
}
