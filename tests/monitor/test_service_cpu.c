/* test_service_cpu.c — finding the service behind a loopback URL and reading
 * its processes' CPU time and run-queue wait (monitor/service_cpu.h).
 *
 * The service is two real processes made here: a listener and a child of
 * it, each of which burns a known amount of its own CPU time when told to.
 * CPU time is what the kernel charges a process, not wall time, so the
 * figures hold however busy the machine is; so does a lower bound on the
 * run-queue wait of two burners made to share one CPU. */
#define _GNU_SOURCE /* sched_setaffinity */
#include <arpa/inet.h>
#include <dirent.h>
#include <math.h>
#include <netinet/in.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/clock.h"
#include "monitor/service_cpu.h"

#define BURN_NS 60000000ll /* 60 ms of CPU per process */

static void local_ports(void **state)
{
    (void)state;
    assert_int_equal(pg_local_port("http://127.0.0.1:8080"), 8080);
    assert_int_equal(pg_local_port("http://127.1.2.3:81/x"), 81);
    assert_int_equal(pg_local_port("http://localhost"), 80);
    assert_int_equal(pg_local_port("https://localhost"), 443);
    assert_int_equal(pg_local_port("http://[::1]:9000"), 9000);
    /* elsewhere the same port on this machine may be another program */
    assert_int_equal(pg_local_port("http://10.0.0.1:8080"), 0);
    assert_int_equal(pg_local_port("http://example.com:8080"), 0);
    assert_int_equal(pg_local_port("not a url"), 0);
    assert_int_equal(pg_local_port(NULL), 0);
}

static int64_t own_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Waits for a byte on go, burns BURN_NS of this process's CPU, says so on
 * done, then sleeps until killed. */
static void burner(int go, int done)
{
    char c;
    int64_t start;

    if (read(go, &c, 1) != 1)
        _exit(1);
    start = own_cpu_ns();
    while (own_cpu_ns() - start < BURN_NS)
        ;
    if (write(done, "d", 1) != 1)
        _exit(1);
    for (;;)
        pause();
}

/* A socket listening on 127.0.0.1 at a port the kernel picks; its port in *port. */
static int listen_loopback(unsigned *port)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

typedef struct service {
    pid_t listener;
    unsigned port;
    int go, done; /* the parent's ends */
} service;

/* Keeps this process (and what it forks) on the first CPU it may use. */
static void one_cpu(void)
{
    cpu_set_t all, one;

    if (sched_getaffinity(0, sizeof all, &all) != 0)
        _exit(1);
    CPU_ZERO(&one);
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &all)) {
            CPU_SET(c, &one);
            break;
        }
    if (sched_setaffinity(0, sizeof one, &one) != 0)
        _exit(1);
}

/* The listener (it writes its port, then forks the child) and its child;
 * shared_cpu: both on one CPU, so each waits while the other burns. */
static void start_service(service *s, int shared_cpu)
{
    int go[2], done[2], port[2];

    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(done), 0);
    assert_int_equal(pipe(port), 0);
    s->listener = fork();
    assert_true(s->listener >= 0);
    if (s->listener == 0) {
        unsigned p;
        setpgid(0, 0); /* a group of its own, so both go at once */
        if (shared_cpu)
            one_cpu();
        if (listen_loopback(&p) < 0)
            _exit(1);
        if (fork() == 0) /* a worker, as nginx's are: a descendant of the listener */
            burner(go[0], done[1]);
        if (write(port[1], &p, sizeof p) != sizeof p)
            _exit(1);
        burner(go[0], done[1]);
    }
    close(go[0]);
    close(done[1]);
    close(port[1]);
    assert_int_equal(read(port[0], &s->port, sizeof s->port), (ssize_t)sizeof s->port);
    close(port[0]);
    s->go = go[1];
    s->done = done[0];
}

static void stop_service(service *s)
{
    kill(-s->listener, SIGKILL); /* the listener's group: it and its child */
    waitpid(s->listener, NULL, 0);
    close(s->go);
    close(s->done);
}

/* Starts svc, finds it as a service, has both its processes burn at once
 * and returns how far now() moved meanwhile; *s is the service found. */
static int64_t both_burn(service *svc, int shared_cpu, pg_service_cpu **s,
                         int64_t (*now)(const pg_service_cpu *))
{
    char url[64], c;
    int64_t before;

    start_service(svc, shared_cpu);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", svc->port);
    assert_non_null(*s = pg_service_cpu_find(url, "/proc"));
    before = now(*s);
    assert_true(before >= 0);
    assert_int_equal(write(svc->go, "gg", 2), 2);
    assert_int_equal(read(svc->done, &c, 1), 1);
    assert_int_equal(read(svc->done, &c, 1), 1);
    return now(*s) - before;
}

static void reads_the_listener_and_its_children(void **state)
{
    service svc;
    pg_service_cpu *s;
    int64_t used = both_burn(&svc, 0, &s, pg_service_cpu_now);
    (void)state;

    /* both processes' 60 ms, and little else: they were asleep otherwise */
    if (used < 2 * BURN_NS || used > 2 * BURN_NS + 30000000)
        fail_msg("the service used %.1f ms of CPU; its two processes burned %.1f ms",
                 (double)used / 1e6, 2.0 * (double)BURN_NS / 1e6);
    /* a process that ended takes its time with it: nothing is read then */
    stop_service(&svc);
    assert_int_equal(pg_service_cpu_now(s), -1);
    pg_service_cpu_cancel(s);
}

/* Two processes that each burn 60 ms on one CPU: while one runs the other
 * waits, so together they wait at least about the 60 ms of the one that
 * finishes first (more on a busy machine, never less). */
static void reads_the_run_queue_wait(void **state)
{
    service svc;
    pg_service_cpu *s;
    int64_t waited = both_burn(&svc, 1, &s, pg_service_wait_now);
    (void)state;

    if (waited < 2 * BURN_NS / 3)
        fail_msg("two processes burning %.0f ms each on one CPU waited %.1f ms in all",
                 (double)BURN_NS / 1e6, (double)waited / 1e6);
    stop_service(&svc);
    assert_int_equal(pg_service_wait_now(s), -1); /* ended: nothing to read */
    pg_service_cpu_cancel(s);
}

/* A /proc of the test's making: every entry the real one's (a link to it),
 * but stat, the machine's CPU time, a file the test writes. */
static void fake_proc(char *dir)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    char from[300], to[600];

    assert_non_null(mkdtemp(dir));
    assert_non_null(d);
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && strcmp(e->d_name, "stat") != 0) {
            snprintf(from, sizeof from, "/proc/%s", e->d_name);
            snprintf(to, sizeof to, "%s/%s", dir, e->d_name);
            assert_int_equal(symlink(from, to), 0);
        }
    closedir(d);
}

/* The machine's processes have used ticks of user + nice + system time. */
static void write_stat(const char *dir, unsigned long long ticks)
{
    char path[300];
    FILE *f;

    snprintf(path, sizeof path, "%s/stat", dir);
    assert_non_null(f = fopen(path, "w"));
    fprintf(f, "cpu  %llu 0 0 123456 7 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\n", ticks);
    fclose(f);
}

/* What else competed for the cores: the machine's processes' time less
 * perfgate's and the service's. The machine's is written here (1 s more
 * between two readings), the other two are the real clocks, which the test
 * reads around each reading; the service burns 120 ms between them. */
static void others_are_the_machine_less_perfgate_and_the_service(void **state)
{
    char dir[] = "/tmp/pg-proc-XXXXXX", url[64], c, cmd[64];
    service svc;
    pg_service_cpu *s;
    long tck = sysconf(_SC_CLK_TCK);
    int64_t self[4], svc_cpu[2], first, second, least, most, burn_until;
    (void)state;

    start_service(&svc, 0);
    fake_proc(dir);
    write_stat(dir, 50000);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", svc.port);
    assert_non_null(s = pg_service_cpu_find(url, dir));
    svc_cpu[0] = pg_service_cpu_now(s);
    self[0] = own_cpu_ns();
    first = pg_others_cpu_now(s);
    self[1] = own_cpu_ns();
    assert_true(first != PG_OTHERS_UNREAD);
    assert_int_equal(write(svc.go, "gg", 2), 2);
    assert_int_equal(read(svc.done, &c, 1), 1);
    assert_int_equal(read(svc.done, &c, 1), 1);
    for (burn_until = own_cpu_ns() + 20000000; own_cpu_ns() < burn_until;)
        ; /* perfgate's own work is not another process's */
    write_stat(dir, 50000 + (unsigned long long)tck);
    self[2] = own_cpu_ns();
    second = pg_others_cpu_now(s);
    self[3] = own_cpu_ns();
    svc_cpu[1] = pg_service_cpu_now(s);
    /* the listener's 60 ms at least (the fake tree's process entries are
     * links, so whether its child is found is the walk's business) */
    assert_true(svc_cpu[1] - svc_cpu[0] >= BURN_NS);
    /* 1 s less perfgate's time between the two readings, less the service's */
    least = 1000000000 - (self[3] - self[0]) - (svc_cpu[1] - svc_cpu[0]);
    most = 1000000000 - (self[2] - self[1]) - (svc_cpu[1] - svc_cpu[0]) + 1000000;
    if (second - first < least || second - first > most)
        fail_msg("others grew by %.3f ms, not within [%.3f, %.3f] ms",
                 (double)(second - first) / 1e6, (double)least / 1e6, (double)most / 1e6);
    /* no stat to read: nothing is made up */
    snprintf(cmd, sizeof cmd, "%s/stat", dir);
    assert_int_equal(unlink(cmd), 0);
    assert_true(pg_others_cpu_now(s) == PG_OTHERS_UNREAD);
    pg_service_cpu_cancel(s);
    stop_service(&svc);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void trial_edges(void **state)
{
    service svc;
    pg_service_cpu *s;
    pg_trial t[3];
    char url[64];
    pg_err err;
    volatile sig_atomic_t stop = 0;
    uint64_t start;
    (void)state;

    start_service(&svc, 0);
    snprintf(url, sizeof url, "http://localhost:%u", svc.port);
    assert_non_null(s = pg_service_cpu_find(url, "/proc"));
    for (int i = 0; i < 3; i++)
        assert_int_equal(pg_trial_init(&t[i], 0, 0, &err), 0);
    /* two trials of 20 ms from now: read both, the third never started */
    assert_int_equal(pg_service_cpu_start(s, pg_now_ns(), 20000000ull, 2, &stop), 0);
    pg_service_cpu_finish(s, t, 3);
    assert_true(isfinite(t[0].service_cpu_s) && t[0].service_cpu_s >= 0.0);
    assert_true(isfinite(t[1].service_cpu_s) && t[1].service_cpu_s >= 0.0);
    assert_true(isnan(t[2].service_cpu_s));
    assert_true(isfinite(t[0].service_wait_s) && t[0].service_wait_s >= 0.0);
    assert_true(isfinite(t[1].service_wait_s) && t[1].service_wait_s >= 0.0);
    assert_true(isnan(t[2].service_wait_s));
    assert_true(isfinite(t[0].others_cpu_s) && t[0].others_cpu_s >= 0.0);
    assert_true(isfinite(t[1].others_cpu_s) && t[1].others_cpu_s >= 0.0);
    assert_true(isnan(t[2].others_cpu_s));
    /* a run stopped before its trials: none measured, and no wait for them */
    assert_non_null(s = pg_service_cpu_find(url, "/proc"));
    start = pg_now_ns();
    stop = 1;
    assert_int_equal(pg_service_cpu_start(s, start + 3600000000000ull, 1000000000ull, 1, &stop), 0);
    t[2].service_cpu_s = NAN;
    pg_service_cpu_finish(s, &t[2], 1);
    assert_true(isnan(t[2].service_cpu_s));
    assert_true(pg_now_ns() - start < 10000000000ull);
    /* a failed run cancels: no wait either */
    stop = 0;
    assert_non_null(s = pg_service_cpu_find(url, "/proc"));
    assert_int_equal(pg_service_cpu_start(s, start + 3600000000000ull, 1000000000ull, 1, &stop), 0);
    pg_service_cpu_cancel(s);
    assert_true(pg_now_ns() - start < 10000000000ull);
    for (int i = 0; i < 3; i++)
        pg_trial_clear(&t[i]);
    stop_service(&svc);
}

static void not_found(void **state)
{
    unsigned port;
    int fd;
    char url[64];
    (void)state;

    assert_null(pg_service_cpu_find("http://example.com:80", "/proc"));
    /* perfgate's own listener: its CPU is the load generator's */
    assert_true((fd = listen_loopback(&port)) >= 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
    assert_null(pg_service_cpu_find(url, "/proc"));
    close(fd);
    /* nobody listens there now */
    assert_null(pg_service_cpu_find(url, "/proc"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(local_ports),
        cmocka_unit_test(reads_the_listener_and_its_children),
        cmocka_unit_test(reads_the_run_queue_wait),
        cmocka_unit_test(others_are_the_machine_less_perfgate_and_the_service),
        cmocka_unit_test(trial_edges),
        cmocka_unit_test(not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
