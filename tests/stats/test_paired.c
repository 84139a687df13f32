/* test_paired.c — the paired comparison of ab (stats/paired.c).
 *
 * Worked by hand: d = (1, 2, 3) has mean 2, standard error 1/sqrt(3), t =
 * 2 sqrt(3) on 2 degrees of freedom, whose upper tail has the closed form
 * 1/2 - t / (2 sqrt(t^2 + 2)) = 1/2 - sqrt(3/14).
 * The other p-values come from scipy.stats.ttest_1samp(..., alternative=
 * "greater") on the same log ratios: tests/stats/paired_reference.py. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stats/paired.h"

static const double lat_a[6] = {5.10, 5.32, 5.05, 5.21, 5.18, 5.40};
static const double lat_b10[6] = {5.63, 5.80, 5.52, 5.79, 5.70, 5.95};
static const double lat_aa[6] = {5.12, 5.29, 5.09, 5.18, 5.22, 5.37};
static const double rps_a[6] = {1000.0, 990.0, 1012.0, 1005.0, 998.0, 1003.0};
static const double rps_b[6] = {951.0, 948.0, 960.0, 957.0, 940.0, 955.0};
static const double noisy_a[12] = {3.1, 2.9, 3.4, 3.0, 3.3, 2.8, 3.6, 3.2, 3.1, 2.95, 3.05, 3.5};
static const double noisy_b[12] = {3.3, 3.0, 3.3, 3.4, 3.5, 2.9, 3.7, 3.1, 3.4, 3.2, 3.1, 3.6};

static void close_to(double got, double want)
{
    if (fabs(got - want) > 1e-12 * fabs(want) + 1e-300)
        fail_msg("got %.17g, want %.17g", got, want);
}

static pg_comparison decided(const char *metric, const double *a, const double *b, size_t n,
                             double min_effect)
{
    pg_comparison c;
    assert_int_equal(pg_compare_paired(&c, metric, a, b, n, min_effect, 0.01), 0);
    pg_compare_decide(&c, 1);
    return c;
}

static void t_test_by_hand(void **state)
{
    double d[3] = {1.0, 2.0, 3.0}, same[4] = {0.5, 0.5, 0.5, 0.5}, zero[3] = {0, 0, 0};
    int constant;
    (void)state;
    close_to(pg_paired_t_greater(d, 3, &constant), 0.5 - sqrt(3.0 / 14.0));
    assert_false(constant);
    /* every pair the same shift: no spread, the shift decides */
    assert_true(pg_paired_t_greater(same, 4, &constant) == 0.0);
    assert_true(constant);
    assert_true(pg_paired_t_greater(zero, 3, &constant) == 1.0);
}

static void t_test_matches_scipy(void **state)
{
    pg_comparison c;
    (void)state;
    assert_int_equal(pg_compare_paired(&c, "p50", lat_a, lat_b10, 6, 0.05, 0.01), 0);
    close_to(c.p, 2.1544891132895478e-07);
    assert_int_equal(pg_compare_paired(&c, "p50", lat_a, lat_aa, 6, 0.05, 0.01), 0);
    close_to(c.p, 0.44349813511174513);
    assert_int_equal(pg_compare_paired(&c, "rps", rps_a, rps_b, 6, 0.05, 0.01), 0);
    close_to(c.p, 1.5115731556274549e-06);
    assert_int_equal(pg_compare_paired(&c, "p95", noisy_a, noisy_b, 12, 0.05, 0.01), 0);
    close_to(c.p, 0.004872153000295592);
}

/* The default 6 trials can reach alpha 0.01, which an exact signed-rank or
 * sign test over 6 pairs cannot (its smallest p is 1/64). */
static void six_trials_reach_alpha(void **state)
{
    pg_comparison c = decided("p50", lat_a, lat_b10, 6, 0.05);
    (void)state;
    assert_true(c.p < 0.01);
    assert_int_equal(c.verdict, PG_VERDICT_FAIL);
    /* change: the median of the six ratios */
    assert_true(c.change > 1.09 && c.change < 1.11);
    assert_true(c.ci_lo > 1.05 && c.ci_lo <= c.change && c.ci_hi >= c.change);
    assert_int_equal(c.n_base, 6);
}

static void same_service_passes(void **state)
{
    pg_comparison c = decided("p50", lat_a, lat_aa, 6, 0.05);
    (void)state;
    assert_int_equal(c.verdict, PG_VERDICT_PASS);
}

static void lower_throughput_fails(void **state)
{
    pg_comparison c = decided("rps", rps_a, rps_b, 6, 0.03);
    (void)state;
    assert_int_equal(c.direction, PG_WORSE_WHEN_LOWER);
    assert_int_equal(c.verdict, PG_VERDICT_FAIL);
    /* and the same drop read as a latency would be an improvement */
    c = decided("p50", rps_a, rps_b, 6, 0.03);
    assert_int_equal(c.verdict, PG_VERDICT_PASS);
}

static void equal_pairs_are_constant(void **state)
{
    double rate[6] = {200, 200, 200, 200, 200, 200};
    pg_comparison c = decided("rps", rate, rate, 6, 0.05);
    (void)state;
    assert_true(c.constant);
    assert_true(c.p == 1.0);
    assert_int_equal(c.verdict, PG_VERDICT_PASS);
}

static void error_rate_is_a_difference(void **state)
{
    double a[6] = {0, 0, 0, 0, 0, 0}, b[6] = {2.0, 2.5, 1.8, 2.2, 2.1, 2.4};
    pg_comparison c = decided("error_rate", a, b, 6, 1.0);
    (void)state;
    assert_true(c.absolute);
    assert_true(c.change > 2.0 && c.change < 2.2);
    assert_int_equal(c.verdict, PG_VERDICT_FAIL);
}

static void pairs_without_values_are_left_out(void **state)
{
    double a[4] = {0.0, 5.0, 0.0, 5.1}, b[4] = {5.0, 0.0, 5.2, 5.3};
    pg_comparison c;
    (void)state;
    assert_int_equal(pg_compare_paired(&c, "p50", a, b, 4, 0.05, 0.01), 0);
    assert_int_equal(c.verdict, PG_VERDICT_SKIPPED);
    assert_non_null(strstr(c.why, "1 of 4 pairs"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_test_by_hand),
        cmocka_unit_test(t_test_matches_scipy),
        cmocka_unit_test(six_trials_reach_alpha),
        cmocka_unit_test(same_service_passes),
        cmocka_unit_test(lower_throughput_fails),
        cmocka_unit_test(equal_pairs_are_constant),
        cmocka_unit_test(error_rate_is_a_difference),
        cmocka_unit_test(pairs_without_values_are_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
