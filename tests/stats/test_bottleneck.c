/* test_bottleneck.c — each hint fires on the data it names and stays quiet
 * without it: a CPU-bound target, one busy core of several, a busy
 * machine, a saturated generator, errors rising with load, and latency
 * rising while throughput levels off (a ramp, and a staircase). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stats/bottleneck.h"

static int teardown(void **state)
{
    pg_budget_run *r = *state;
    pg_budget_run_clear(r);
    free(r);
    return 0;
}

static int setup(void **state)
{
    *state = calloc(1, sizeof(pg_budget_run));
    return *state ? 0 : -1;
}

static void series(pg_budget_run *r, const char *name, const char *unit, double v, size_t n)
{
    pg_gauge_series *g = pg_budget_run_gauge_add(r, name, unit);
    assert_non_null(g);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pg_gauge_append(g, (double)i, v), 0);
}

static int has(const pg_budget_run *r, const char *words)
{
    for (size_t i = 0; i < r->n_hints; i++)
        if (strstr(r->hints[i], words))
            return 1;
    return 0;
}

static void cpu_bound_target(void **state)
{
    pg_budget_run *r = *state;
    series(r, "target_cpu", "%", 190, 20);
    series(r, "target_threads", "", 4, 20);
    pg_bottleneck_hints(r, 2);
    assert_true(has(r, "the target looks CPU-bound"));
    assert_true(has(r, "95% of the 2 cores it can use"));
    assert_int_equal(r->n_hints, 1);
}

static void one_core_of_several(void **state)
{
    pg_budget_run *r = *state;
    series(r, "target_cpu", "%", 99, 20);
    series(r, "target_threads", "", 8, 20);
    pg_bottleneck_hints(r, 4);
    assert_true(has(r, "about one core busy"));
    assert_false(has(r, "CPU-bound"));
}

static void an_idle_target_says_nothing(void **state)
{
    pg_budget_run *r = *state;
    series(r, "target_cpu", "%", 50, 20);
    series(r, "target_threads", "", 1, 20);
    series(r, "host_cpu", "%", 60, 20);
    pg_bottleneck_hints(r, 2);
    assert_int_equal(r->n_hints, 0);
    /* a single-threaded target at 90% of its one core is CPU-bound */
    pg_budget_run_clear(r);
    series(r, "target_cpu", "%", 90, 20);
    series(r, "target_threads", "", 1, 20);
    pg_bottleneck_hints(r, 8);
    assert_true(has(r, "CPU-bound"));
}

static void busy_machine_and_saturated_generator(void **state)
{
    pg_budget_run *r = *state;
    series(r, "host_cpu", "%", 97, 20);
    r->saturated = 1;
    snprintf(r->saturation, sizeof r->saturation, "perfgate used 195%% CPU of 2 threads");
    pg_bottleneck_hints(r, 2);
    assert_true(has(r, "the generator was the limit: perfgate used 195% CPU"));
    assert_true(has(r, "machine's CPU was 97% busy"));
}

/* A ramp from 100/s to 1000/s on the timeline: the target keeps up to
 * 400/s, then drops what it cannot start, fails some, and waits longer. */
static void ramp(pg_budget_run *r, int with_errors)
{
    r->n_timeline = 10;
    r->timeline = calloc(10, sizeof *r->timeline);
    assert_non_null(r->timeline);
    for (int i = 0; i < 10; i++) {
        pg_timeline_point *p = &r->timeline[i];
        uint64_t offered = (uint64_t)(100 * (i + 1));
        p->t_s = i;
        p->requests = offered < 400 ? offered : 400;
        p->dropped = offered - p->requests;
        p->failed = with_errors && offered > 600 ? p->requests / 10 : 0;
        p->p99_us = offered < 400 ? 5000 : 200000;
    }
}

static void errors_and_latency_with_load(void **state)
{
    pg_budget_run *r = *state;
    ramp(r, 1);
    pg_bottleneck_hints(r, 2);
    assert_true(has(r, "errors rose with load: 10% of requests failed at the busiest third"));
    assert_true(has(r, "latency rose before throughput levelled off"));
    assert_true(has(r, "the target saturates near 400 requests/s"));
}

static void a_steady_load_has_no_shape(void **state)
{
    pg_budget_run *r = *state;
    ramp(r, 0);
    for (size_t i = 0; i < r->n_timeline; i++) { /* the same load every second, some noise */
        r->timeline[i].requests = 500 + (i % 3) * 10;
        r->timeline[i].dropped = 0;
        r->timeline[i].failed = i == 4 ? 50 : 0;
    }
    pg_bottleneck_hints(r, 2);
    assert_int_equal(r->n_hints, 0);
}

static void a_staircase_levels_off(void **state)
{
    pg_budget_run *r = *state;
    r->n_steps = 6;
    r->steps = calloc(6, sizeof *r->steps);
    assert_non_null(r->steps);
    for (int i = 0; i < 6; i++) {
        pg_capacity_step *s = &r->steps[i];
        s->rate = 100 * (i + 1);
        s->rps = s->rate < 400 ? s->rate : 400;
        s->duration_s = 1;
        s->p99_us = s->rate < 400 ? 3000 : 90000;
        s->held = s->rate < 400;
    }
    pg_bottleneck_hints(r, 2);
    assert_true(has(r, "the target saturates near 400 requests/s"));
    assert_false(has(r, "errors rose"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cpu_bound_target, setup, teardown),
        cmocka_unit_test_setup_teardown(one_core_of_several, setup, teardown),
        cmocka_unit_test_setup_teardown(an_idle_target_says_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(busy_machine_and_saturated_generator, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_and_latency_with_load, setup, teardown),
        cmocka_unit_test_setup_teardown(a_steady_load_has_no_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(a_staircase_levels_off, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
