/* test_engine.c — the engine against perfgate serve, in-process on port 0:
 * measured latency matches a known service time, request counts match the
 * schedule, expectation failures and unreachable targets are counted, and
 * a stop request ends the run early with what was measured. */
#include <curl/curl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "serve_fixture.h"

static pg_budget *budget(const char *fmt, const char *target)
{
    char text[4096];
    pg_budget *b = NULL;
    pg_err err;

    snprintf(text, sizeof text, fmt, target);
    if (pg_budget_parse(&b, "test.json", text, strlen(text), &err) != 0)
        fail_msg("budget: %d:%d: %s", err.line, err.col, err.msg);
    return b;
}

static pg_trial merged(const pg_budget_run *r)
{
    pg_trial all;
    pg_err err;
    assert_int_equal(pg_budget_run_merged(&all, r, &err), 0);
    return all;
}

static void open_model_measures_known_delay(void **state)
{
    serve_fixture *f = *state;
    pg_budget *b = budget(
        "{\"name\":\"d\",\"target\":\"%s\",\"load\":{\"executor\":\"constant-arrival-rate\","
        "\"rate\":100,\"duration\":\"2s\",\"warmup\":\"200ms\",\"max_connections\":8},\"trials\":2,"
        "\"regression\":false,\"scenarios\":[{\"name\":\"s\",\"requests\":[{\"path\":\"/delay/"
        "5\"}]}]}",
        f->target);
    pg_run_opts o = {.threads = 2, .seed = 1};
    pg_budget_run r;
    pg_err err;
    pg_trial all;
    uint64_t p50;

    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    assert_int_equal(r.n_trials, 2);
    all = merged(&r);
    /* 100/s for 2 s: exactly 200 iterations scheduled, each one sent or, when
     * a machine this busy kept every connection waiting or the worker woke
     * after the schedule's end, counted as dropped; never lost */
    assert_in_range(all.requests + all.dropped, 199, 200);
    assert_true(all.requests >= 180);
    assert_int_equal(all.failed, 0);
    assert_int_equal(all.status[200], all.requests);
    p50 = pg_hist_percentile(&all.duration, 50);
    assert_in_range(p50, 5000, 7000);
    assert_in_range(pg_hist_percentile(&all.duration_raw, 50), 5000, 7000);
    assert_true(pg_hist_percentile(&all.waiting, 50) >= 5000);
    /* every measured start has its lateness: one per request sent (an answer
     * still in flight at the end was sent, not recorded) */
    assert_true(all.send_late.total >= all.requests && all.send_late.total <= 200);
    /* intended start to send is what separates the two latencies */
    assert_true(pg_hist_percentile(&all.duration, 50) >= pg_hist_percentile(&all.duration_raw, 50));
    assert_true(r.trials[0].duration_s > 0.99 && r.trials[0].duration_s < 1.01);
    assert_false(r.interrupted);
    assert_true(r.n_timeline >= 1);
    pg_trial_clear(&all);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
}

static void every_scheduled_iteration_is_counted(void **state)
{
    /* 50 starts a second on one connection to a 200 ms service time: about
     * 5 run, the rest wait and are dropped when the schedule ends. Requests
     * sent + dropped must equal what was scheduled. */
    serve_fixture *f = *state;
    pg_budget *b =
        budget("{\"name\":\"q\",\"target\":\"%s\",\"load\":{\"executor\":\"constant-arrival-rate\","
               "\"rate\":50,\"duration\":\"1s\",\"max_connections\":1,\"timeout\":\"5s\"},"
               "\"trials\":1,\"regression\":false,\"scenarios\":[{\"name\":\"s\",\"requests\":"
               "[{\"path\":\"/delay/200\"}]}]}",
               f->target);
    pg_run_opts o = {.threads = 1, .seed = 1};
    pg_budget_run r;
    pg_err err;
    pg_trial all;

    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    all = merged(&r);
    assert_in_range(all.requests, 4, 7);
    assert_int_equal(all.failed, 0);
    assert_int_equal(all.requests + all.dropped, 50);
    /* the later starts waited for the connection: latency from the intended start shows it */
    assert_true(all.duration.max >= 600000);
    assert_true(all.duration_raw.max < 400000);
    pg_trial_clear(&all);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
}

static void closed_model_loops_vus(void **state)
{
    serve_fixture *f = *state;
    pg_budget *b = budget(
        "{\"name\":\"c\",\"target\":\"%s\",\"load\":{\"executor\":\"constant-vus\",\"vus\":2,"
        "\"duration\":\"1s\"},\"trials\":1,\"regression\":false,\"scenarios\":[{\"name\":\"s\","
        "\"think_time\":\"10ms\",\"requests\":[{\"path\":\"/\"},{\"path\":\"/delay/1\"}]}]}",
        f->target);
    pg_run_opts o = {.threads = 1, .seed = 1};
    pg_budget_run r;
    pg_err err;
    pg_trial all;

    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    all = merged(&r);
    /* 2 VUs, each iteration ~1.2 ms of requests + 10 ms think: about 2 * 1 s / 11.2 ms */
    assert_in_range(all.iterations, 120, 190);
    assert_in_range(all.requests, 2 * all.iterations, 2 * all.iterations + 4);
    assert_int_equal(all.failed, 0);
    assert_int_equal(r.n_names, 2);
    assert_true(all.by_name[1].total > 0 && pg_hist_percentile(&all.by_name[1], 50) >= 1000);
    pg_trial_clear(&all);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
}

static void expectation_failures_are_counted(void **state)
{
    serve_fixture *f = *state;
    pg_budget *b =
        budget("{\"name\":\"e\",\"target\":\"%s\",\"load\":{\"executor\":\"constant-arrival-rate\","
               "\"rate\":50,\"duration\":\"1s\"},\"trials\":1,\"regression\":false,\"scenarios\":["
               "{\"name\":\"s\",\"requests\":[{\"path\":\"/\",\"expect\":{\"status\":201}},"
               "{\"path\":\"/\",\"expect\":{\"body_contains\":\"nope\"}},"
               "{\"path\":\"/status/503\"},"
               "{\"path\":\"/\",\"expect\":{\"status\":200,\"body_contains\":\"serve: ok\"}}]}]}",
               f->target);
    pg_run_opts o = {.threads = 1, .seed = 1};
    pg_budget_run r;
    pg_err err;
    pg_trial all;

    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    all = merged(&r);
    /* 50 scheduled: started, or dropped on a machine too busy to start them in time */
    assert_in_range(all.iterations + all.dropped, 49, 50);
    assert_true(all.iterations >= 40);
    assert_int_equal(all.requests, 4 * all.iterations);
    assert_int_equal(all.fails[PG_FAIL_STATUS],
                     2 * all.iterations); /* 201 expected, and 503 by default */
    assert_int_equal(all.fails[PG_FAIL_EXPECT], all.iterations);
    assert_int_equal(all.failed, 3 * all.iterations);
    assert_int_equal(all.checks, 4 * all.iterations);
    assert_int_equal(all.checks_failed, 2 * all.iterations);
    assert_int_equal(all.status[503], all.iterations);
    pg_trial_clear(&all);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
}

static void unreachable_target_counts_errors(void **state)
{
    pg_budget *b =
        budget("{\"name\":\"u\",\"target\":\"%s\",\"load\":{\"executor\":\"constant-arrival-rate\","
               "\"rate\":20,\"duration\":\"1s\"},\"trials\":1,\"regression\":false,"
               "\"scenarios\":[{\"name\":\"s\",\"requests\":[{\"path\":\"/\"}]}]}",
               "http://127.0.0.1:1");
    pg_run_opts o = {.threads = 1, .seed = 1};
    pg_budget_run r;
    pg_err err;
    pg_trial all;
    (void)state;

    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    all = merged(&r);
    assert_in_range(all.requests + all.dropped, 19, 20);
    assert_true(all.requests >= 15);
    assert_int_equal(all.failed, all.requests);
    assert_int_equal(all.fails[PG_FAIL_REFUSED], all.requests);
    assert_int_equal(all.duration.total, 0);
    pg_trial_clear(&all);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
}

static volatile sig_atomic_t stop_flag;

static void *stop_later(void *arg)
{
    struct timespec ts = {0, 700000000};
    (void)arg;
    nanosleep(&ts, NULL);
    stop_flag = 1;
    return NULL;
}

static void stop_keeps_what_was_measured(void **state)
{
    serve_fixture *f = *state;
    pg_budget *b =
        budget("{\"name\":\"i\",\"target\":\"%s\",\"load\":{\"executor\":\"constant-arrival-rate\","
               "\"rate\":100,\"duration\":\"10s\"},\"trials\":5,\"regression\":false,"
               "\"scenarios\":[{\"name\":\"s\",\"requests\":[{\"path\":\"/\"}]}]}",
               f->target);
    pg_run_opts o = {.threads = 1, .seed = 1, .stop = &stop_flag};
    pg_budget_run r;
    pg_err err;
    pthread_t t;
    struct timespec t0, t1;

    stop_flag = 0;
    pthread_create(&t, NULL, stop_later, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(t, NULL);
    assert_true(r.interrupted);
    assert_int_equal(r.n_trials, 1); /* only the first 2 s trial had begun */
    assert_in_range(r.trials[0].requests, 40, 75);
    assert_true(r.trials[0].duration_s > 0.4 && r.trials[0].duration_s < 1.0);
    assert_true((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9 < 2.0);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_model_measures_known_delay),
        cmocka_unit_test(every_scheduled_iteration_is_counted),
        cmocka_unit_test(closed_model_loops_vus),
        cmocka_unit_test(expectation_failures_are_counted),
        cmocka_unit_test(unreachable_target_counts_errors),
        cmocka_unit_test(stop_keeps_what_was_measured),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, serve_setup, serve_teardown);
    curl_global_cleanup();
    return rc;
}
