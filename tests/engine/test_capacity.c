/* test_capacity.c — the breaking-point executor against perfgate serve,
 * in-process on port 0, with a judge that breaks every step at or above a
 * known rate: each staircase climbs to the step below it and stops at it,
 * each trial holds the measurements of its capacity step, the steps are on
 * one clock in order, and a shard is refused. Counts, not timings, are
 * asserted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "serve_fixture.h"

static pg_budget *staircase(const serve_fixture *f)
{
    char text[1024];
    pg_budget *b = NULL;
    pg_err err;

    snprintf(text, sizeof text,
             "{\"name\":\"c\",\"target\":\"%s\",\"load\":{\"executor\":\"breaking-point\","
             "\"start\":50,\"step\":50,\"max\":400,\"step_duration\":\"400ms\","
             "\"warmup\":\"100ms\",\"max_connections\":8},\"trials\":2,\"regression\":false,"
             "\"scenarios\":[{\"name\":\"s\",\"requests\":[{\"path\":\"/\"}]}]}",
             f->target);
    if (pg_budget_parse(&b, "c.json", text, strlen(text), &err) != 0)
        fail_msg("budget: %s", err.msg);
    return b;
}

/* Breaks every step of 200/s and more, as a threshold would. */
static int break_at_200(void *arg, const pg_budget *step, const pg_budget_run *run, int held,
                        char *why, size_t size)
{
    serve_fixture *f = arg;
    f->judged++;
    assert_int_equal(step->load.executor, PG_EXEC_CONSTANT_ARRIVAL_RATE);
    assert_int_equal(step->trials, 1);
    assert_int_equal(run->n_trials, 1);
    if (held && step->load.rate >= 200) {
        snprintf(why, size, "rate %g is too much", step->load.rate);
        return 0;
    }
    return held;
}

static void climbs_to_the_step_below_the_break(void **state)
{
    serve_fixture *f = *state;
    pg_budget *b = staircase(f);
    pg_run_opts o = {.threads = 1, .seed = 1, .judge = break_at_200, .judge_arg = f};
    pg_budget_run r;
    pg_err err;

    f->judged = 0;
    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    /* 50, 100, 150 held, 200 broke: four steps a staircase, two staircases */
    assert_int_equal(f->judged, 8);
    assert_int_equal(r.n_steps, 8);
    assert_int_equal(r.n_trials, 2);
    for (size_t i = 0; i < r.n_steps; i++) {
        const pg_capacity_step *s = &r.steps[i];
        assert_int_equal(s->trial, i / 4);
        assert_true(s->rate == 50.0 * (double)(i % 4 + 1));
        assert_int_equal(s->held, i % 4 != 3);
        if (i)
            assert_true(s->t_s > r.steps[i - 1].t_s); /* one clock, in order */
        assert_true(s->requests > 0);
    }
    assert_string_equal(r.steps[3].why, "rate 200 is too much");
    for (size_t t = 0; t < 2; t++) {
        /* the trial is the 150/s step: 400 ms of it is about 60 requests */
        assert_true(r.trials[t].capacity_rps == 150);
        assert_false(r.trials[t].capacity_at_max);
        assert_in_range(r.trials[t].requests + r.trials[t].dropped, 55, 61);
    }
    assert_true(r.n_timeline > 0);
    assert_non_null(r.names);
    assert_false(r.interrupted);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
}

static void holding_to_the_top_is_a_lower_bound(void **state)
{
    serve_fixture *f = *state;
    pg_budget *b = staircase(f);
    pg_run_opts o = {.threads = 1, .seed = 1};
    pg_budget_run r;
    pg_err err;

    b->load.bp_max = 100; /* 50, 100: both hold against a target with no delay */
    b->load.duration_us = 2 * b->load.step_us;
    b->trials = 1;
    assert_int_equal(pg_engine_run(&r, b, &o, &err), 0);
    assert_int_equal(r.n_steps, 2);
    assert_true(r.trials[0].capacity_rps == 100);
    assert_true(r.trials[0].capacity_at_max);
    pg_budget_run_clear(&r);
    pg_budget_free(b);
}

static void refuses_a_shard(void **state)
{
    serve_fixture *f = *state;
    pg_budget *b = staircase(f);
    pg_run_opts o = {.threads = 1, .seed = 1, .shard_index = 1, .shard_count = 2};
    pg_budget_run r;
    pg_err err;

    assert_int_equal(pg_engine_run(&r, b, &o, &err), PG_EUSAGE);
    assert_non_null(strstr(err.msg, "cannot be sharded"));
    pg_budget_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(climbs_to_the_step_below_the_break),
        cmocka_unit_test(holding_to_the_top_is_a_lower_bound),
        cmocka_unit_test(refuses_a_shard),
    };
    return cmocka_run_group_tests(tests, serve_setup, serve_teardown);
}
