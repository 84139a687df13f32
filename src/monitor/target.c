/* target.c — finding and summing the watched process tree (see target.h).
 *
 * One pass over /proc reads every process's stat line (pid, parent, name,
 * CPU ticks); the roots are the named pid (or the pid in the pid file, or
 * the root of one tree of processes of the command's name) and the set
 * grows by parent links until it stops growing, so children of children
 * count too. */
#include "monitor/target.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/procfs.h"

typedef struct pg_proc_list {
    pg_proc_stat p[PG_TARGET_MAX_PROCS * 8];
    char chosen[PG_TARGET_MAX_PROCS * 8];
    size_t n;
} proc_list;

static void read_all(const char *root, proc_list *l)
{
    DIR *d = opendir(root);
    struct dirent *e;
    char rel[64], text[1024];

    l->n = 0;
    if (!d)
        return;
    while ((e = readdir(d)) && l->n < sizeof l->p / sizeof *l->p) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        snprintf(rel, sizeof rel, "%.32s/stat", e->d_name);
        if (pg_procfs_read(root, rel, text, sizeof text) == 0 &&
            pg_procfs_parse_pid_stat(text, &l->p[l->n]) == 0)
            l->n++;
    }
    closedir(d);
}

static long pid_from_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    long pid = 0;

    if (fp) {
        if (fscanf(fp, "%ld", &pid) != 1)
            pid = 0;
        fclose(fp);
    }
    return pid > 0 ? pid : 0;
}

static size_t index_of(const proc_list *l, long pid)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i].pid == pid)
            return i;
    return l->n;
}

/* The topmost matched ancestor of process i (itself when none above it
 * matched); l->n when i is outside every matched tree. Parent chains are
 * at most l->n long, which also ends a (corrupt) cycle. */
static size_t tree_root(const proc_list *l, const char *matched, size_t i)
{
    size_t top = l->n;

    for (size_t steps = 0; i < l->n && steps <= l->n; steps++) {
        if (matched[i])
            top = i;
        if (l->p[i].ppid <= 0 || l->p[i].ppid == l->p[i].pid)
            break;
        i = index_of(l, l->p[i].ppid);
    }
    return top;
}

/* Of several unrelated trees of the command's name, keeps only one root
 * marked in chosen[]: the tree holding prefer_pid, else the oldest root. */
static void one_tree(pg_target *t, const proc_list *l, char *chosen)
{
    size_t best = l->n, listener = t->prefer_pid ? index_of(l, t->prefer_pid) : l->n;

    t->trees = 0;
    t->chosen_by_listener = 0;
    for (size_t i = 0; i < l->n; i++)
        if (chosen[i] && tree_root(l, chosen, i) == i) {
            t->trees++;
            if (best == l->n || l->p[i].start_tick < l->p[best].start_tick)
                best = i;
        }
    if (listener < l->n) {
        size_t r = tree_root(l, chosen, listener);
        if (r < l->n) {
            best = r;
            t->chosen_by_listener = 1;
        }
    }
    t->chosen_root = best < l->n ? l->p[best].pid : 0;
    if (t->trees > 1)
        for (size_t i = 0; i < l->n; i++)
            chosen[i] = (char)(i == best);
}

/* Marks the roots and their descendants in chosen[]. */
static size_t choose(pg_target *t, const proc_list *l, char *chosen)
{
    long root = t->pid ? t->pid : t->pid_file ? pid_from_file(t->pid_file) : 0;
    size_t n = 0;
    int grew = 1;

    for (size_t i = 0; i < l->n; i++) {
        int is =
            root ? l->p[i].pid == root
                 : t->command && strcmp(l->p[i].comm, t->command) == 0 && l->p[i].pid != t->self;
        chosen[i] = (char)is;
    }
    if (!root)
        one_tree(t, l, chosen);
    for (size_t i = 0; i < l->n; i++)
        n += (size_t)chosen[i];
    while (grew && n) {
        grew = 0;
        for (size_t i = 0; i < l->n; i++) {
            if (chosen[i] || l->p[i].pid == t->self)
                continue;
            for (size_t k = 0; k < l->n; k++)
                if (chosen[k] && l->p[k].pid == l->p[i].ppid) {
                    chosen[i] = 1;
                    n++;
                    grew = 1;
                    break;
                }
        }
    }
    return n;
}

static const pg_target_proc *find_prev(const pg_target *t, long pid)
{
    for (size_t i = 0; i < t->n_prev; i++)
        if (t->prev[i].pid == pid)
            return &t->prev[i];
    return NULL;
}

void pg_target_sample_now(pg_target *t, uint64_t since_tick, pg_target_sample *out,
                          uint64_t *cpu_delta)
{
    pg_target_proc now[PG_TARGET_MAX_PROCS];
    size_t n_now = 0;
    proc_list *l;

    memset(out, 0, sizeof *out);
    *cpu_delta = 0;
    if (!t->scratch && !(t->scratch = calloc(1, sizeof *t->scratch)))
        return;
    l = t->scratch;
    read_all(t->root, l);
    choose(t, l, l->chosen);
    for (size_t i = 0; i < l->n; i++) {
        const pg_proc_stat *p = &l->p[i];
        const pg_target_proc *was;
        long fds;
        if (!l->chosen[i] || n_now == PG_TARGET_MAX_PROCS)
            continue;
        out->processes++;
        out->cpu_ticks += p->cpu_ticks;
        out->rss_pages += p->rss_pages;
        out->threads += p->threads;
        fds = pg_procfs_count_fds(t->root, p->pid);
        out->fds = out->fds < 0 || fds < 0 ? -1 : out->fds + fds;
        was = find_prev(t, p->pid);
        if (was && was->start_tick == p->start_tick && p->cpu_ticks >= was->cpu_ticks)
            *cpu_delta += p->cpu_ticks - was->cpu_ticks;
        else if (t->have_prev && p->start_tick >= since_tick)
            *cpu_delta += p->cpu_ticks; /* born since the last sample */
        now[n_now].pid = p->pid;
        now[n_now].start_tick = p->start_tick;
        now[n_now++].cpu_ticks = p->cpu_ticks;
    }
    memcpy(t->prev, now, n_now * sizeof *now);
    t->n_prev = n_now;
    t->have_prev = 1;
}

size_t pg_target_pids(pg_target *t, long *pids, size_t max)
{
    size_t n = 0;

    if (!t->scratch && !(t->scratch = calloc(1, sizeof *t->scratch)))
        return 0;
    read_all(t->root, t->scratch);
    choose(t, t->scratch, t->scratch->chosen);
    for (size_t i = 0; i < t->scratch->n && n < max; i++)
        if (t->scratch->chosen[i])
            pids[n++] = t->scratch->p[i].pid;
    return n;
}

void pg_target_clear(pg_target *t)
{
    free(t->scratch);
    t->scratch = NULL;
}
