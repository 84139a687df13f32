/* test_hist.c — histogram accuracy against exact percentiles, merging,
 * clamping, and the compact encoding. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics/hist.h"

static int setup(void **state)
{
    pg_hist *h = NULL;
    pg_err err;
    if (pg_hist_new(&h, &err) != 0)
        return -1;
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    pg_hist_free(*state);
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Exact percentile by the same definition: smallest value with >= q% at or below. */
static uint64_t exact(const uint64_t *sorted, size_t n, double q)
{
    size_t rank = (size_t)ceil(q / 100.0 * (double)n);
    return sorted[rank ? rank - 1 : 0];
}

static void within_one_percent(uint64_t got, uint64_t want)
{
    double rel = fabs((double)got - (double)want) / (double)want;
    if (rel > 0.01)
        fail_msg("got %llu, want %llu (%.3f%% off)", (unsigned long long)got,
                 (unsigned long long)want, rel * 100);
}

static void p99_of_known_samples(void **state)
{
    pg_hist *h = *state;
    for (uint64_t us = 1; us <= 10000; us++)
        pg_hist_record(h, us);
    assert_in_range(pg_hist_percentile(h, 99.0), 9850, 9950);
    within_one_percent(pg_hist_percentile(h, 50.0), 5000);
    within_one_percent(pg_hist_percentile(h, 99.9), 9990);
    assert_int_equal(pg_hist_percentile(h, 0.0), 1);
    assert_int_equal(pg_hist_percentile(h, 100.0), 10000);
    assert_true(fabs(pg_hist_mean(h) - 5000.5) < 1e-9); /* mean is exact */
    assert_true(fabs(pg_hist_stdev(h) - 2886.896) < 0.01);
}

static void small_values_are_exact(void **state)
{
    pg_hist *h = *state;
    for (uint64_t us = 0; us < 256; us++)
        pg_hist_record(h, us);
    for (int q = 1; q < 100; q++)
        assert_int_equal(pg_hist_percentile(h, q), (uint64_t)ceil(q / 100.0 * 256) - 1);
}

static void random_lognormal_within_one_percent(void **state)
{
    pg_hist *h = *state;
    enum { N = 200000 };
    uint64_t *v = malloc(N * sizeof *v);
    static const double qs[] = {1, 10, 50, 75, 90, 95, 99, 99.9, 99.99};
    uint64_t x = 88172645463325252ull;

    for (size_t i = 0; i < N; i++) {
        double u1, u2;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        u1 = ((double)(x >> 11) + 1.0) / 9007199254740993.0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        u2 = (double)(x >> 11) / 9007199254740992.0;
        /* lognormal around 5 ms with a long tail, 1 us .. ~10 s */
        v[i] = (uint64_t)(5000.0 *
                          exp(1.2 * sqrt(-2 * log(u1)) * cos(2 * 3.14159265358979323846 * u2))) +
               1;
        pg_hist_record(h, v[i]);
    }
    qsort(v, N, sizeof *v, cmp_u64);
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++)
        within_one_percent(pg_hist_percentile(h, qs[i]), exact(v, N, qs[i]));
    assert_int_equal(pg_hist_percentile(h, 100), v[N - 1]);
    assert_int_equal(pg_hist_percentile(h, 0), v[0]);
    free(v);
}

static void every_bucket_is_narrow(void **state)
{
    (void)state;
    for (size_t b = 256; b < PG_HIST_BUCKETS; b++) {
        uint64_t lo = pg_hist_bucket_low(b), hi = pg_hist_bucket_high(b);
        assert_int_equal(pg_hist_bucket_of(lo), b);
        assert_int_equal(pg_hist_bucket_of(hi), b);
        if (b + 1 < PG_HIST_BUCKETS) /* buckets tile the range with no gap */
            assert_int_equal(pg_hist_bucket_low(b + 1), hi + 1);
        assert_true((double)(hi - lo + 1) / (double)lo <= 1.0 / 128.0 + 1e-12);
    }
    assert_true(pg_hist_bucket_high(PG_HIST_BUCKETS - 1) >= PG_HIST_MAX_US);
}

static void merge_equals_one_histogram_fed_both(void **state)
{
    pg_hist *all = *state, a, b;
    pg_hist_reset(&a);
    pg_hist_reset(&b);
    for (uint64_t i = 1; i < 50000; i++) {
        uint64_t v = (i * 7919) % 300000 + 1;
        pg_hist_record(all, v);
        pg_hist_record(i % 3 ? &a : &b, v);
    }
    pg_hist_merge(&a, &b);
    assert_memory_equal(a.counts, all->counts, sizeof a.counts);
    assert_int_equal(a.total, all->total);
    assert_int_equal(a.min, all->min);
    assert_int_equal(a.max, all->max);
    for (double q = 0; q <= 100; q += 0.5)
        assert_int_equal(pg_hist_percentile(&a, q), pg_hist_percentile(all, q));
}

static void clamps_above_one_hour(void **state)
{
    pg_hist *h = *state;
    pg_hist_record(h, 5);
    pg_hist_record(h, PG_HIST_MAX_US * 10);
    assert_int_equal(h->clamped, 1);
    assert_int_equal(h->max, PG_HIST_MAX_US);
    assert_int_equal(pg_hist_percentile(h, 100), PG_HIST_MAX_US);
}

static void empty_histogram(void **state)
{
    pg_hist *h = *state;
    char *enc;
    pg_hist back;
    pg_err err;
    assert_int_equal(pg_hist_percentile(h, 50), 0);
    assert_true(pg_hist_mean(h) == 0.0);
    assert_non_null(enc = pg_hist_encode(h));
    assert_int_equal(pg_hist_decode(&back, enc, &err), 0);
    assert_int_equal(back.total, 0);
    free(enc);
}

static void encode_decode_round_trip(void **state)
{
    pg_hist *h = *state, back;
    pg_err err;
    char *enc;
    for (uint64_t i = 0; i < 100000; i++)
        pg_hist_record(h, (i * i) % 2000000);
    assert_non_null(enc = pg_hist_encode(h));
    assert_memory_equal(enc, "hdr1:", 5);
    assert_true(strlen(enc) < 16000); /* compact: far below 26 KiB of counters */
    assert_int_equal(pg_hist_decode(&back, enc, &err), 0);
    assert_memory_equal(back.counts, h->counts, sizeof h->counts);
    assert_int_equal(back.total, h->total);
    assert_int_equal(back.min, h->min);
    assert_int_equal(back.max, h->max);
    assert_true(fabs(pg_hist_mean(&back) - pg_hist_mean(h)) / pg_hist_mean(h) < 0.004);
    free(enc);
}

static void decode_rejects_garbage(void **state)
{
    pg_hist h;
    pg_err err;
    (void)state;
    assert_int_equal(pg_hist_decode(&h, "hdr2:AAAA", &err), PG_EINVALID);
    assert_int_equal(pg_hist_decode(&h, "hdr1:AAA", &err), PG_EINVALID);
    assert_int_equal(pg_hist_decode(&h, "hdr1:A=AA", &err), PG_EINVALID);
    assert_int_equal(pg_hist_decode(&h, "hdr1:!!!!", &err), PG_EINVALID);
    /* min 0, max 0, then gap 127 beyond the end 0xff 0xff 0x03 */
    assert_int_equal(pg_hist_decode(&h, "hdr1:AAD///8D", &err), PG_EINVALID);
    assert_int_equal(h.total, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(p99_of_known_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(small_values_are_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(random_lognormal_within_one_percent, setup, teardown),
        cmocka_unit_test(every_bucket_is_narrow),
        cmocka_unit_test_setup_teardown(merge_equals_one_histogram_fed_both, setup, teardown),
        cmocka_unit_test_setup_teardown(clamps_above_one_hour, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_histogram, setup, teardown),
        cmocka_unit_test_setup_teardown(encode_decode_round_trip, setup, teardown),
        cmocka_unit_test(decode_rejects_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
