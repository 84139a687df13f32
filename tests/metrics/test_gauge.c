/* test_gauge.c — sampled levels: appended without limit, summarised over a
 * window by the nearest-rank rule (the rule the histograms use), and
 * aggregated as thresholds ask (avg, med, min, max, p(N)). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "metrics/gauge.h"

static void summary_of_a_window(void **state)
{
    pg_gauge_series s;
    pg_gauge_summary g;
    (void)state;
    memset(&s, 0, sizeof s);
    /* 1..100 at t = 0.5, 1.5, ... 99.5; then 1000 at t = 100.5 */
    for (int i = 1; i <= 100; i++)
        assert_int_equal(pg_gauge_append(&s, i - 0.5, i), 0);
    assert_int_equal(pg_gauge_append(&s, 100.5, 1000), 0);
    pg_gauge_summarise(&s, 0, 100, &g);
    assert_int_equal(g.count, 100);
    assert_true(g.min == 1 && g.max == 100);
    assert_true(g.mean == 50.5);
    assert_true(g.p50 == 50 && g.p90 == 90 && g.p95 == 95 && g.p99 == 99);
    /* [from, to): the sample at 10.5 is in [10, 11), not in [11, 20) */
    pg_gauge_summarise(&s, 10, 11, &g);
    assert_int_equal(g.count, 1);
    assert_true(g.max == 11);
    pg_gauge_summarise(&s, 200, 300, &g);
    assert_int_equal(g.count, 0);
    pg_gauge_clear(&s);
    assert_int_equal(s.n, 0);
}

static void aggregations(void **state)
{
    const double v[] = {7, 1, 3, 9, 5};
    (void)state;
    assert_true(pg_gauge_aggregate(v, 5, "avg", 0) == 5);
    assert_true(pg_gauge_aggregate(v, 5, "med", 0) == 5);
    assert_true(pg_gauge_aggregate(v, 5, "min", 0) == 1);
    assert_true(pg_gauge_aggregate(v, 5, "max", 0) == 9);
    assert_true(pg_gauge_aggregate(v, 5, "p", 90) == 9);
    assert_true(pg_gauge_aggregate(v, 5, "p", 20) == 1);
    assert_true(pg_gauge_aggregate(v, 5, "p", 21) == 3);
    assert_true(v[0] == 7); /* the input is not sorted in place */
    assert_true(isnan(pg_gauge_aggregate(v, 0, "max", 0)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summary_of_a_window),
        cmocka_unit_test(aggregations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
