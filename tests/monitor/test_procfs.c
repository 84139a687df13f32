/* test_procfs.c — the /proc text perfgate reads (proc(5)), and the watched
 * process tree summed over a fake /proc built by the test: roots by pid,
 * pid file or name, children of children, perfgate itself never counted,
 * CPU ticks since the previous sample including processes born since. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "monitor/procfs.h"
#include "monitor/target.h"

static void cpu_line(void **state)
{
    pg_cpu_ticks c;
    (void)state;
    assert_int_equal(pg_procfs_parse_cpu("cpu  100 5 50 1000 20 3 2 1 7 0\ncpu0 1 2 3 4\n", &c), 0);
    assert_int_equal(c.busy, 100 + 5 + 50 + 3 + 2 + 1); /* guest (7) is inside user already */
    assert_int_equal(c.total, c.busy + 1000 + 20);
    assert_int_equal(c.processes, 100 + 5 + 50); /* not interrupts, not steal */
    assert_int_equal(c.steal, 1);
    assert_int_equal(pg_procfs_parse_cpu("cpu  1 2 3 4\n", &c), 0); /* old kernels */
    assert_int_equal(c.total, 10);
    assert_int_equal(c.steal, 0);
    assert_int_equal(pg_procfs_parse_cpu("cpu0 1 2 3 4\n", &c), -1);
    assert_int_equal(pg_procfs_parse_cpu("cpu  1 2\n", &c), -1);
}

/* /proc/net/tcp as Linux writes it (proc(5)): 0x1F90 = 8080 listening (0A)
 * on 127.0.0.1 with inode 4242, and an established connection from it. */
static void listener_in_net_tcp(void **state)
{
    const char *tcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
        "0 4242 1 0000000000000000 100 0 0 10 0\n"
        "   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        "
        "0 5151 1 0000000000000000 20 4 30 10 -1\n";
    const char *tcp6 =
        "  sl  local_address                         remote_address                        st "
        "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A "
        "00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 "
        "0\n";
    (void)state;
    assert_int_equal(pg_procfs_parse_listener(tcp, 8080), 4242);
    assert_int_equal(pg_procfs_parse_listener(tcp, 53999), 0); /* only connected, not listening */
    assert_int_equal(pg_procfs_parse_listener(tcp, 80), 0);
    assert_int_equal(pg_procfs_parse_listener(tcp6, 80), 777);
    assert_int_equal(pg_procfs_parse_listener("", 80), 0);
}

/* The real /proc: this process listens on a port of its own. */
static void this_process_is_the_listener(void **state)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    (void)state;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    assert_int_equal(pg_procfs_port_listener("/proc", ntohs(a.sin_port)), (long)getpid());
    close(fd);
    assert_int_equal(pg_procfs_port_listener("/proc", ntohs(a.sin_port)), 0);
}

static void meminfo(void **state)
{
    uint64_t total, avail;
    (void)state;
    assert_int_equal(pg_procfs_parse_meminfo("MemTotal:       16000 kB\nMemFree:  100 kB\n"
                                             "MemAvailable:    4000 kB\nBuffers: 1 kB\n",
                                             &total, &avail),
                     0);
    assert_int_equal(total, 16000);
    assert_int_equal(avail, 4000);
    assert_int_equal(pg_procfs_parse_meminfo("MemTotal: 16000 kB\nMemFree: 1 kB\n", &total, &avail),
                     -1);
    assert_int_equal(
        pg_procfs_parse_meminfo("MemTotalX: 1 kB\nMemAvailable: 1 kB\n", &total, &avail), -1);
}

/* A stat line as the kernel writes it; comm may hold spaces and parentheses. */
static void stat_text(char *buf, size_t size, long pid, const char *comm, long ppid,
                      unsigned long utime, unsigned long stime, long threads, unsigned long start,
                      unsigned long rss)
{
    snprintf(buf, size,
             "%ld (%s) S %ld %ld %ld 0 -1 4194560 1000 0 0 0 %lu %lu 0 0 20 0 %ld 0 %lu 123456789 "
             "%lu 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n",
             pid, comm, ppid, pid, pid, utime, stime, threads, start, rss);
}

static void pid_stat(void **state)
{
    char text[512];
    pg_proc_stat p;
    (void)state;
    stat_text(text, sizeof text, 4242, "ng x) S 1 (w", 4200, 150, 50, 3, 99999, 2560);
    assert_int_equal(pg_procfs_parse_pid_stat(text, &p), 0);
    assert_int_equal(p.pid, 4242);
    assert_string_equal(p.comm, "ng x) S 1 (w");
    assert_int_equal(p.ppid, 4200);
    assert_int_equal(p.cpu_ticks, 200);
    assert_int_equal(p.threads, 3);
    assert_int_equal(p.start_tick, 99999);
    assert_int_equal(p.rss_pages, 2560);
    assert_int_equal(pg_procfs_parse_pid_stat("4242 (nginx S 1 2", &p), -1);
    assert_int_equal(pg_procfs_parse_pid_stat("4242 (nginx) S 1 2 3\n", &p), -1);
}

/* ---- a fake /proc ---- */

typedef struct fake {
    char root[64];
} fake;

static void put(const fake *f, const char *rel, const char *text)
{
    char path[256];
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", f->root, rel);
    assert_non_null(fp = fopen(path, "w"));
    fputs(text, fp);
    fclose(fp);
}

static void proc(const fake *f, long pid, const char *comm, long ppid, unsigned long ticks,
                 long threads, unsigned long start, unsigned long rss, int fds)
{
    char dir[256], text[512], rel[64];
    snprintf(dir, sizeof dir, "%s/%ld", f->root, pid);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/%ld/fd", f->root, pid);
    mkdir(dir, 0755);
    for (int i = 0; i < fds; i++) {
        snprintf(rel, sizeof rel, "%ld/fd/%d", pid, i);
        put(f, rel, "");
    }
    stat_text(text, sizeof text, pid, comm, ppid, ticks, 0, threads, start, rss);
    snprintf(rel, sizeof rel, "%ld/stat", pid);
    put(f, rel, text);
}

static int setup(void **state)
{
    fake *f = calloc(1, sizeof *f);
    snprintf(f->root, sizeof f->root, "/tmp/pg-fakeproc-XXXXXX");
    assert_non_null(mkdtemp(f->root));
    /* nginx: a master (100) with two workers, one of which has a child;
     * an unrelated process; and "perfgate" itself (300), also named nginx here */
    proc(f, 1, "init", 0, 5, 1, 0, 10, 1);
    proc(f, 100, "nginx", 1, 10, 1, 1000, 100, 4);
    proc(f, 101, "nginx", 100, 200, 1, 1010, 200, 6);
    proc(f, 102, "nginx", 100, 300, 2, 1010, 200, 6);
    proc(f, 103, "php-fpm", 102, 50, 4, 1020, 400, 2);
    proc(f, 200, "postgres", 1, 999, 8, 500, 5000, 9);
    proc(f, 300, "nginx", 1, 77, 3, 1030, 50, 3);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fake *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->root);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static pg_target target(const fake *f)
{
    pg_target t;
    memset(&t, 0, sizeof t);
    t.root = f->root;
    t.self = 300;
    return t;
}

static void tree_by_command(void **state)
{
    fake *f = *state;
    pg_target t = target(f);
    pg_target_sample s;
    uint64_t delta;

    t.command = "nginx";
    pg_target_sample_now(&t, 0, &s, &delta);
    /* 100, 101, 102 by name, 103 as a child of 102; not 300 (perfgate) nor 200 */
    assert_int_equal(s.processes, 4);
    assert_int_equal(s.cpu_ticks, 10 + 200 + 300 + 50);
    assert_int_equal(s.rss_pages, 100 + 200 + 200 + 400);
    assert_int_equal(s.threads, 1 + 1 + 2 + 4);
    assert_int_equal(s.fds, 4 + 6 + 6 + 2);
    assert_int_equal(delta, 0); /* a first sample has nothing to compare with */
    assert_int_equal(t.trees, 1);

    /* a second sample: 101 used 30 ticks more, 103 was replaced by a new
     * child (104, born after the first sample) that used 8 */
    proc(f, 101, "nginx", 100, 230, 1, 1010, 200, 6);
    {
        char dir[256];
        snprintf(dir, sizeof dir, "rm -rf '%s/103'", f->root);
        assert_int_equal(system(dir), 0);
    }
    proc(f, 104, "php-fpm", 102, 8, 4, 2000, 400, 2);
    pg_target_sample_now(&t, 1500, &s, &delta);
    assert_int_equal(s.processes, 4);
    assert_int_equal(delta, 30 + 8);
    pg_target_clear(&t);
}

static void tree_by_pid_and_file(void **state)
{
    fake *f = *state;
    pg_target t = target(f);
    pg_target_sample s;
    uint64_t delta;
    char pidfile[128];

    t.pid = 102;
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(s.processes, 2); /* 102 and its child 103 */
    assert_int_equal(s.cpu_ticks, 350);
    pg_target_clear(&t);

    t = target(f);
    snprintf(pidfile, sizeof pidfile, "%s/nginx.pid", f->root);
    put(f, "nginx.pid", "100\n");
    t.pid_file = pidfile;
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(s.processes, 4);
    /* the target restarted under another pid: the file is read again */
    put(f, "nginx.pid", "200\n");
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(s.processes, 1);
    assert_int_equal(s.threads, 8);
    put(f, "nginx.pid", "garbage\n");
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(s.processes, 0);
    pg_target_clear(&t);
}

/* Two unrelated trees named nginx (this one's and another's, started
 * earlier): the one listening on the target's port is watched, else the
 * oldest; never both added up. */
static void namesakes(void **state)
{
    fake *f = *state;
    pg_target t = target(f);
    pg_target_sample s;
    uint64_t delta;

    proc(f, 400, "nginx", 1, 1000, 1, 900, 3000, 1);
    proc(f, 401, "nginx", 400, 1000, 1, 901, 3000, 1);
    t.command = "nginx";
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(t.trees, 2);
    assert_int_equal(t.chosen_root, 400); /* started first */
    assert_false(t.chosen_by_listener);
    assert_int_equal(s.processes, 2);
    assert_int_equal(s.cpu_ticks, 2000);
    /* the listener is a worker of the other tree: that tree */
    t.prefer_pid = 101;
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(t.chosen_root, 100);
    assert_true(t.chosen_by_listener);
    assert_int_equal(s.processes, 4);
    assert_int_equal(s.cpu_ticks, 10 + 200 + 300 + 50);
    /* a child of another name in that tree listens: still that tree */
    t.prefer_pid = 103;
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(t.chosen_root, 100);
    assert_int_equal(s.processes, 4);
    /* the listener is in neither (postgres): the oldest */
    t.prefer_pid = 200;
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(t.chosen_root, 400);
    assert_false(t.chosen_by_listener);
    pg_target_clear(&t);
}

static void absent(void **state)
{
    fake *f = *state;
    pg_target t = target(f);
    pg_target_sample s;
    uint64_t delta;

    t.command = "redis-server";
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(s.processes, 0);
    t.command = NULL;
    t.pid = 99999;
    pg_target_sample_now(&t, 0, &s, &delta);
    assert_int_equal(s.processes, 0);
    assert_int_equal(pg_procfs_count_fds(f->root, 99999), -1);
    pg_target_clear(&t);
}

/* The run-queue wait of a process: the second field of each of its
 * threads' schedstat (ns runnable but not running), summed. */
static void run_queue_wait(void **state)
{
    fake *f = *state;
    char dir[256];

    /* php-fpm (103) has two threads */
    snprintf(dir, sizeof dir, "%s/103/task", f->root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/103/task/103", f->root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/103/task/104", f->root);
    mkdir(dir, 0755);
    put(f, "103/task/103/schedstat", "5000000 1500000 40\n");
    put(f, "103/task/104/schedstat", "7000000 2500000000 12\n");
    assert_int_equal(pg_procfs_run_delay(f->root, 103), 2501500000ll);
    /* a thread without the file (a kernel without schedstats): not measured */
    snprintf(dir, sizeof dir, "%s/103/task/105", f->root);
    mkdir(dir, 0755);
    assert_int_equal(pg_procfs_run_delay(f->root, 103), -1);
    put(f, "103/task/105/schedstat", "garbage\n");
    assert_int_equal(pg_procfs_run_delay(f->root, 103), -1);
    put(f, "103/task/105/schedstat", "1 2 3\n");
    assert_int_equal(pg_procfs_run_delay(f->root, 103), 2501500002ll);
    /* no such process, or no task directory */
    assert_int_equal(pg_procfs_run_delay(f->root, 99999), -1);
    assert_int_equal(pg_procfs_run_delay(f->root, 100), -1);
    /* this very process, from the real /proc: a number, never negative */
    assert_true(pg_procfs_run_delay("/proc", (long)getpid()) >= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cpu_line),
        cmocka_unit_test(listener_in_net_tcp),
        cmocka_unit_test(this_process_is_the_listener),
        cmocka_unit_test(meminfo),
        cmocka_unit_test(pid_stat),
        cmocka_unit_test_setup_teardown(tree_by_command, setup, teardown),
        cmocka_unit_test_setup_teardown(tree_by_pid_and_file, setup, teardown),
        cmocka_unit_test_setup_teardown(namesakes, setup, teardown),
        cmocka_unit_test_setup_teardown(absent, setup, teardown),
        cmocka_unit_test_setup_teardown(run_queue_wait, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
