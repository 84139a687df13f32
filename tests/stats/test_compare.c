/* test_compare.c — the verdict rule on synthetic trial sets, the bootstrap
 * interval, and Benjamini-Hochberg.
 *
 * BH reference: p = (0.01, 0.04, 0.03, 0.005) -> sorted 0.005, 0.01, 0.03,
 * 0.04; p_(i) * 4 / i = 0.02, 0.02, 0.04, 0.04, already monotone: adjusted
 * (0.02, 0.04, 0.04, 0.02), as R's p.adjust(method = "BH") gives. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stats/compare.h"

static uint64_t rng = 7;

static double gauss(void)
{
    double u1, u2;
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    u1 = ((double)(rng >> 11) + 1.0) / 9007199254740993.0;
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    u2 = (double)(rng >> 11) / 9007199254740992.0;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979 * u2);
}

/* n trial values around `level` with relative noise `noise` (sd). */
static void trials(double *v, size_t n, double level, double noise)
{
    for (size_t i = 0; i < n; i++)
        v[i] = level * (1.0 + noise * gauss());
}

static pg_verdict decide(const char *metric, const double *base, const double *cur, size_t n,
                         double min_effect)
{
    pg_comparison c;
    assert_int_equal(pg_compare_metric(&c, metric, base, n, cur, n, min_effect, 0.01), 0);
    pg_compare_decide(&c, 1);
    return c.verdict;
}

static void clear_regression_fails(void **state)
{
    double base[6] = {10.0, 10.1, 9.9, 10.05, 9.95, 10.0}, cur[6];
    pg_comparison c;
    (void)state;
    for (int i = 0; i < 6; i++)
        cur[i] = base[i] * 1.20;
    assert_int_equal(pg_compare_metric(&c, "p95", base, 6, cur, 6, 0.10, 0.01), 0);
    pg_compare_decide(&c, 1);
    assert_int_equal(c.verdict, PG_VERDICT_FAIL);
    assert_true(fabs(c.change - 1.2) < 1e-9);
    assert_true(c.ci_lo > 1.10 && c.ci_hi < 1.30);
    assert_true(fabs(c.p - 1.0 / 924) < 1e-12);
}

static void ten_percent_slowdown_is_found(void **state)
{
    /* 6 trials a side, 2% trial-to-trial noise, 10% slower, min_effect 5% */
    int fails = 0;
    (void)state;
    for (int k = 0; k < 100; k++) {
        double base[6], cur[6];
        trials(base, 6, 5000, 0.02);
        trials(cur, 6, 5500, 0.02);
        fails += decide("p50", base, cur, 6, 0.05) == PG_VERDICT_FAIL;
    }
    assert_true(fails >= 90);
}

static void identical_distributions_never_fail(void **state)
{
    int pass = 0;
    (void)state;
    for (int k = 0; k < 500; k++) {
        double base[6], cur[6];
        pg_verdict v;
        trials(base, 6, 5000, 0.03);
        trials(cur, 6, 5000, 0.03);
        v = decide("p95", base, cur, 6, 0.10);
        assert_int_not_equal(v, PG_VERDICT_FAIL);
        pass += v == PG_VERDICT_PASS;
        trials(base, 6, 900, 0.03);
        trials(cur, 6, 900, 0.03);
        assert_int_not_equal(decide("rps", base, cur, 6, 0.05), PG_VERDICT_FAIL);
    }
    assert_true(pass > 400); /* with 3% noise and a 10% margin, nearly always a clear pass */
}

static void improvements_never_fail(void **state)
{
    (void)state;
    for (int k = 0; k < 200; k++) {
        double base[6], cur[6];
        trials(base, 6, 5000, 0.02);
        trials(cur, 6, 4000, 0.02); /* 20% faster */
        assert_int_equal(decide("p50", base, cur, 6, 0.05), PG_VERDICT_PASS);
        trials(base, 6, 1000, 0.02);
        trials(cur, 6, 1300, 0.02); /* 30% more throughput */
        assert_int_equal(decide("rps", base, cur, 6, 0.05), PG_VERDICT_PASS);
    }
}

static void throughput_drop_fails(void **state)
{
    double base[6] = {1000, 1010, 990, 1005, 995, 1000}, cur[6];
    (void)state;
    for (int i = 0; i < 6; i++)
        cur[i] = base[i] * 0.8;
    assert_int_equal(decide("rps", base, cur, 6, 0.05), PG_VERDICT_FAIL);
}

static void error_rate_is_absolute(void **state)
{
    double base[6] = {0, 0, 0, 0, 0, 0}, cur[6] = {0.02, 0.021, 0.019, 0.02, 0.022, 0.018};
    pg_comparison c;
    (void)state;
    assert_int_equal(pg_compare_metric(&c, "error_rate", base, 6, cur, 6, 0.001, 0.01), 0);
    pg_compare_decide(&c, 1);
    assert_true(c.absolute);
    assert_true(fabs(c.change - 0.02) < 1e-12);
    assert_int_equal(c.verdict, PG_VERDICT_FAIL);
    /* zero errors on both sides: a pass, not a division by zero */
    assert_int_equal(decide("error_rate", base, base, 6, 0.001), PG_VERDICT_PASS);
}

static void too_few_trials_is_inconclusive(void **state)
{
    double base[3] = {10, 10.2, 9.8}, cur[3] = {12, 12.2, 11.8};
    pg_comparison c;
    (void)state;
    /* 3 trials: p can never get under 0.05 (1/20) */
    assert_int_equal(pg_compare_metric(&c, "p50", base, 3, cur, 3, 0.05, 0.01), 0);
    pg_compare_decide(&c, 1);
    assert_int_equal(c.verdict, PG_VERDICT_INCONCLUSIVE);
    assert_non_null(strstr(c.why, "min_effect") ? c.why : strstr(c.why, "interval"));
}

static void bootstrap_is_reproducible(void **state)
{
    double base[6], cur[6], lo1, hi1, lo2, hi2;
    (void)state;
    trials(base, 6, 100, 0.05);
    trials(cur, 6, 110, 0.05);
    assert_int_equal(pg_bootstrap_change(base, 6, cur, 6, 0, PG_BOOTSTRAP_SEED,
                                         PG_BOOTSTRAP_RESAMPLES, &lo1, &hi1),
                     0);
    assert_int_equal(pg_bootstrap_change(base, 6, cur, 6, 0, PG_BOOTSTRAP_SEED,
                                         PG_BOOTSTRAP_RESAMPLES, &lo2, &hi2),
                     0);
    assert_true(lo1 == lo2 && hi1 == hi2);
    assert_true(lo1 < pg_median(cur, 6) / pg_median(base, 6));
    assert_true(hi1 > pg_median(cur, 6) / pg_median(base, 6));
    assert_true(lo1 > 0.9 && hi1 < 1.35);
}

static void benjamini_hochberg(void **state)
{
    pg_comparison c[4];
    const double p[4] = {0.01, 0.04, 0.03, 0.005}, want[4] = {0.02, 0.04, 0.04, 0.02};
    (void)state;
    memset(c, 0, sizeof c);
    for (int i = 0; i < 4; i++) {
        c[i].p = p[i];
        c[i].alpha = 0.05;
        c[i].ci_lo = c[i].ci_hi = 1.5; /* all clearly worse: the verdict rests on p */
        c[i].min_effect = 0.05;
    }
    pg_compare_decide(c, 4);
    for (int i = 0; i < 4; i++) {
        assert_true(fabs(c[i].p_adjusted - want[i]) < 1e-12);
        assert_int_equal(c[i].verdict, PG_VERDICT_FAIL);
    }
    for (int i = 0; i < 4; i++)
        c[i].alpha = 0.03, c[i].verdict = PG_VERDICT_PASS;
    pg_compare_decide(c, 4);
    assert_int_equal(c[1].verdict, PG_VERDICT_INCONCLUSIVE); /* 0.04 adjusted is over 0.03 */
    assert_int_equal(c[3].verdict, PG_VERDICT_FAIL);
}

static void constant_comparisons_leave_the_family(void **state)
{
    /* p50 with p = 3/924 next to rps and error_rate that are equal everywhere:
     * the family is p50 alone, so p50 keeps its p (not x3) */
    double base[6] = {10.0, 10.1, 9.9, 10.05, 9.95, 10.3},
           cur[6] = {11.0, 11.2, 10.9, 11.1, 10.2, 11.05};
    double flat[6] = {200, 200, 200, 200, 200, 200}, zero[6] = {0, 0, 0, 0, 0, 0};
    pg_comparison c[3];
    (void)state;
    assert_int_equal(pg_compare_metric(&c[0], "p50", base, 6, cur, 6, 0.05, 0.01), 0);
    assert_int_equal(pg_compare_metric(&c[1], "rps", flat, 6, flat, 6, 0.05, 0.01), 0);
    assert_int_equal(pg_compare_metric(&c[2], "error_rate", zero, 6, zero, 6, 0.001, 0.01), 0);
    assert_false(c[0].constant);
    assert_true(c[1].constant && c[2].constant);
    pg_compare_decide(c, 3);
    assert_true(c[0].p_adjusted == c[0].p);
    assert_int_equal(c[1].verdict, PG_VERDICT_PASS);
    assert_int_equal(c[2].verdict, PG_VERDICT_PASS);
}

/* Budgets take up to 100 trials a side; 33 + 33 and more used to be refused
 * after the whole load ran. rps rounded to whole requests per second ties. */
static void budgets_largest_trial_counts_are_decided(void **state)
{
    static const size_t sides[] = {33, 65, 100};
    (void)state;
    for (size_t s = 0; s < sizeof sides / sizeof sides[0]; s++) {
        double base[100], cur[100];
        pg_comparison c;
        trials(base, sides[s], 1000, 0.02);
        trials(cur, sides[s], 800, 0.02);
        for (size_t i = 0; i < sides[s]; i++) {
            base[i] = round(base[i] / 10) * 10;
            cur[i] = round(cur[i] / 10) * 10;
        }
        assert_int_equal(pg_compare_metric(&c, "rps", base, sides[s], cur, sides[s], 0.05, 0.01),
                         0);
        pg_compare_decide(&c, 1);
        assert_int_equal(c.verdict, PG_VERDICT_FAIL);
        assert_true(c.p < 1e-4); /* a permutation test of 200,000 splits: >= 5e-6 */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clear_regression_fails),
        cmocka_unit_test(ten_percent_slowdown_is_found),
        cmocka_unit_test(identical_distributions_never_fail),
        cmocka_unit_test(improvements_never_fail),
        cmocka_unit_test(throughput_drop_fails),
        cmocka_unit_test(error_rate_is_absolute),
        cmocka_unit_test(too_few_trials_is_inconclusive),
        cmocka_unit_test(bootstrap_is_reproducible),
        cmocka_unit_test(benjamini_hochberg),
        cmocka_unit_test(constant_comparisons_leave_the_family),
        cmocka_unit_test(budgets_largest_trial_counts_are_decided),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
