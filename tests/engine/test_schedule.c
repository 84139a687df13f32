/* test_schedule.c — open-model start times and closed-model VU counts,
 * checked against exact values (a fake clock: pure functions of time). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/schedule.h"

static pg_load constant_rate(double rate, uint64_t dur_us)
{
    pg_load l;
    memset(&l, 0, sizeof l);
    l.executor = PG_EXEC_CONSTANT_ARRIVAL_RATE;
    l.open_model = 1;
    l.rate = rate;
    l.duration_us = dur_us;
    return l;
}

static void constant_rate_is_evenly_spaced(void **state)
{
    pg_load l = constant_rate(100.0, 1000000);
    pg_arrivals a;
    uint64_t t;
    int n = 0;
    (void)state;
    pg_arrivals_init(&a, &l, 0, 1, l.duration_us);
    while (pg_arrivals_next(&a, &t) == 0) {
        assert_int_equal(t, (uint64_t)n * 10000);
        n++;
    }
    assert_int_equal(n, 100);
}

static void workers_interleave_and_sum_to_the_rate(void **state)
{
    pg_load l = constant_rate(300.0, 2000000);
    uint64_t t, last[3] = {0};
    int count[3] = {0};
    (void)state;
    for (unsigned w = 0; w < 3; w++) {
        pg_arrivals a;
        pg_arrivals_init(&a, &l, w, 3, l.duration_us);
        while (pg_arrivals_next(&a, &t) == 0) {
            /* worker w takes iterations w, w+3, ...: k/300 s */
            assert_int_equal(t,
                             (uint64_t)llround((double)(w + 3 * (unsigned)count[w]) / 300.0 * 1e6));
            last[w] = t;
            count[w]++;
        }
    }
    assert_int_equal(count[0] + count[1] + count[2], 600);
    assert_true(last[2] < 2000000);
}

static void ramp_follows_the_integral(void **state)
{
    /* 0 -> 100/s over 10 s: A(t) = 5 t^2, so iteration k starts at sqrt(k/5) s */
    pg_stage st[2] = {{10000000, 100.0}, {5000000, 100.0}};
    pg_load l;
    pg_arrivals a;
    uint64_t t;
    int k = 0;
    (void)state;
    memset(&l, 0, sizeof l);
    l.executor = PG_EXEC_RAMPING_ARRIVAL_RATE;
    l.open_model = 1;
    l.stages = st;
    l.n_stages = 2;
    l.duration_us = 15000000;
    pg_arrivals_init(&a, &l, 0, 1, l.duration_us);
    while (pg_arrivals_next(&a, &t) == 0) {
        double want = k < 500 ? sqrt(k / 5.0) * 1e6 : 10e6 + (k - 500) / 100.0 * 1e6;
        if (fabs((double)t - want) > 1.0)
            fail_msg("iteration %d at %llu us, want %.0f", k, (unsigned long long)t, want);
        k++;
    }
    assert_int_equal(k, 1000); /* 500 in the ramp, 500 in the 5 s hold */
}

static void ramp_down_and_zero_rate(void **state)
{
    /* 50/s for 2 s, then 50 -> 0 over 2 s (50 more), then 0 for 2 s (none) */
    pg_stage st[3] = {{2000000, 50.0}, {2000000, 0.0}, {2000000, 0.0}};
    pg_load l;
    pg_arrivals a;
    uint64_t t, last = 0;
    int k = 0;
    (void)state;
    memset(&l, 0, sizeof l);
    l.executor = PG_EXEC_RAMPING_ARRIVAL_RATE;
    l.open_model = 1;
    l.start = 50.0;
    l.stages = st;
    l.n_stages = 3;
    l.duration_us = 6000000;
    pg_arrivals_init(&a, &l, 0, 1, l.duration_us);
    while (pg_arrivals_next(&a, &t) == 0) {
        assert_true(t >= last);
        last = t;
        k++;
    }
    assert_int_equal(k, 150);
    assert_true(last < 4000000);
}

static void flat_warmup(void **state)
{
    pg_arrivals a;
    uint64_t t;
    int k = 0;
    (void)state;
    pg_arrivals_init_flat(&a, 20.0, 0, 1, 1000000);
    while (pg_arrivals_next(&a, &t) == 0)
        k++;
    assert_int_equal(k, 20);
}

static void vus_follow_stages(void **state)
{
    pg_stage st[3] = {{10000000, 20.0}, {10000000, 20.0}, {5000000, 0.0}};
    pg_load l;
    (void)state;
    memset(&l, 0, sizeof l);
    l.executor = PG_EXEC_RAMPING_VUS;
    l.start = 0;
    l.stages = st;
    l.n_stages = 3;
    assert_int_equal(pg_schedule_vus_at(&l, 0), 0);
    assert_int_equal(pg_schedule_vus_at(&l, 5000000), 10);
    assert_int_equal(pg_schedule_vus_at(&l, 15000000), 20);
    assert_int_equal(pg_schedule_vus_at(&l, 22500000), 10);
    assert_int_equal(pg_schedule_vus_at(&l, 30000000), 0);
    assert_true(pg_schedule_warmup_level(&l) == 20.0);
    l.executor = PG_EXEC_CONSTANT_VUS;
    l.vus = 7;
    assert_int_equal(pg_schedule_vus_at(&l, 123), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constant_rate_is_evenly_spaced),
        cmocka_unit_test(workers_interleave_and_sum_to_the_rate),
        cmocka_unit_test(ramp_follows_the_integral),
        cmocka_unit_test(ramp_down_and_zero_rate),
        cmocka_unit_test(flat_warmup),
        cmocka_unit_test(vus_follow_stages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
