/* test_duet.c — both sides at once (engine/duet.c) against two perfgate
 * serve instances in-process, A answering after 2 ms and B after 8 ms.
 *
 * What holds however busy the machine is: both sides start on the same
 * instant and cut their trials at the same instants; in the open model every
 * trial of A and of B was given the same scheduled iterations (the schedule
 * is a function of the start instant alone, so an iteration sent to A at
 * its intended time was sent to B at that same intended time); B's
 * latencies, which count from those intended times, are the higher. In the
 * closed model each side has its own pool of virtual users, so B's slower
 * answers show as fewer requests instead of being paced by A. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/duet.h"
#include "serve/serve.h"

typedef struct servers {
    pg_server *a, *b;
    char url_a[64], url_b[64];
} servers;

static int start(pg_server **srv, char *url, double delay_ms)
{
    pg_serve_opts o;
    pg_err err;

    pg_serve_opts_default(&o);
    o.port = 0;
    o.threads = 1;
    o.delay_ms = delay_ms;
    if (pg_serve_start(srv, &o, &err) != 0)
        return -1;
    snprintf(url, 64, "http://127.0.0.1:%u", pg_serve_port(*srv));
    return 0;
}

static int setup(void **state)
{
    static servers s;

    if (start(&s.a, s.url_a, 2.0) != 0 || start(&s.b, s.url_b, 8.0) != 0)
        return -1;
    *state = &s;
    return 0;
}

static int teardown(void **state)
{
    servers *s = *state;
    pg_serve_stop(s->a);
    pg_serve_stop(s->b);
    return 0;
}

static pg_budget *budget(const char *load)
{
    char text[2048];
    pg_budget *b = NULL;
    pg_err err;

    snprintf(text, sizeof text,
             "{\"name\":\"duet\",\"target\":\"http://127.0.0.1:1\",\"load\":%s,\"trials\":4,"
             "\"regression\":false,\"scenarios\":[{\"name\":\"s\",\"requests\":[{\"path\":\"/\"}]"
             "}]}",
             load);
    if (pg_budget_parse(&b, "duet.json", text, strlen(text), &err) != 0)
        fail_msg("budget: %d:%d: %s", err.line, err.col, err.msg);
    return b;
}

static uint64_t p50(const pg_trial *t)
{
    return pg_hist_percentile(&t->duration, 50.0);
}

static void open_model_sends_the_same_schedule_to_both(void **state)
{
    servers *s = *state;
    pg_budget *b = budget("{\"executor\":\"constant-arrival-rate\",\"rate\":100,\"duration\":\"2s\","
                          "\"warmup\":\"200ms\",\"max_connections\":16}");
    pg_run_opts o = {.threads = 1, .seed = 3};
    pg_budget_run ra, rb;
    pg_err err;
    uint64_t sched_a = 0;

    assert_int_equal(pg_duet_run(&ra, &rb, b, s->url_a, s->url_b, &o, &err), 0);
    assert_int_equal(ra.n_trials, 4);
    assert_int_equal(rb.n_trials, 4);
    /* one start instant, so one measuring instant and the same trial cuts */
    assert_true(ra.measure_start_ns == rb.measure_start_ns);
    for (size_t t = 0; t < 4; t++) {
        const pg_trial *a = &ra.trials[t], *bt = &rb.trials[t];
        /* the same iterations were due on each side in each trial */
        assert_int_equal(a->requests + a->dropped, bt->requests + bt->dropped);
        sched_a += a->requests + a->dropped;
        assert_int_equal(a->failed, 0);
        assert_int_equal(bt->failed, 0);
        /* 2 ms against 8 ms of service time, from the same intended starts */
        assert_true(p50(a) >= 2000);
        assert_true(p50(bt) >= 8000);
        assert_true(p50(bt) > p50(a) + 3000);
    }
    /* 100/s for 2 s */
    assert_in_range(sched_a, 199, 200);
    pg_budget_run_clear(&ra);
    pg_budget_run_clear(&rb);
    pg_budget_free(b);
}

static void closed_model_runs_a_pool_per_side(void **state)
{
    servers *s = *state;
    pg_budget *b = budget("{\"executor\":\"constant-vus\",\"vus\":2,\"duration\":\"2s\"}");
    pg_run_opts o = {.threads = 1, .seed = 3};
    pg_budget_run ra, rb;
    pg_err err;
    uint64_t na = 0, nb = 0;

    assert_int_equal(pg_duet_run(&ra, &rb, b, s->url_a, s->url_b, &o, &err), 0);
    assert_true(ra.measure_start_ns == rb.measure_start_ns);
    for (size_t t = 0; t < ra.n_trials; t++)
        na += ra.trials[t].requests;
    for (size_t t = 0; t < rb.n_trials; t++)
        nb += rb.trials[t].requests;
    /* B's users wait 8 ms an answer, A's 2 ms: B gets fewer done; a user
     * that alternated sides would have made the counts equal */
    assert_true(nb > 0);
    assert_true(na > nb * 3 / 2);
    pg_budget_run_clear(&ra);
    pg_budget_run_clear(&rb);
    pg_budget_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_model_sends_the_same_schedule_to_both),
        cmocka_unit_test(closed_model_runs_a_pool_per_side),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
