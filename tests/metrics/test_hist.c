#define _DEFAULT_SOURCE /* mincore, MAP_ANONYMOUS */
/* test_hist.c — histogram accuracy against exact percentiles, merging,
 * clamping, and the compact encoding. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* All zero bytes are an empty histogram: the first value sets min, and
 * merging into an empty one takes the other's min. */
static void zero_bytes_are_empty(void **state)
{
    pg_hist a, b;
    (void)state;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    assert_int_equal(pg_hist_percentile(&a, 50), 0);
    pg_hist_record(&a, 700);
    pg_hist_record(&a, 900);
    assert_int_equal(a.min, 700);
    assert_int_equal(pg_hist_percentile(&a, 0), 700);
    pg_hist_merge(&b, &a);
    assert_int_equal(b.min, 700);
    assert_int_equal(b.max, 900);
    assert_int_equal(b.total, 2);
    pg_hist_record(&b, 0); /* 0 is a value, not "empty" */
    assert_int_equal(b.min, 0);
    assert_int_equal(pg_hist_percentile(&b, 1), 0);
}

/* Pages of a histogram (in their own mapping) that mincore(2) finds
 * resident; the bytes before it in its first page are another object's. */
static size_t resident_pages(const void *h)
{
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)h & ~(uintptr_t)(page - 1);
    size_t n = ((uintptr_t)h + sizeof(pg_hist) - from + (size_t)page - 1) / (size_t)page, k = 0;
    unsigned char vec[16];

    assert_true(n <= sizeof vec);
    assert_int_equal(mincore((void *)from, n * (size_t)page, vec), 0);
    for (size_t i = 0; i < n; i++)
        k += vec[i] & 1;
    return k;
}

/* A histogram that counted 1-2 ms touches its first page and those of the
 * buckets between 1 and 2 ms, not the 26 KiB of all: recording, merging,
 * percentiles and encoding leave the other pages unmapped (a run's memory
 * grows with the latencies it saw). */
static void untouched_buckets_stay_unmapped(void **state)
{
    size_t size = 2 * sizeof(pg_hist);
    pg_hist *two = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *enc;
    (void)state;

    assert_true(two != MAP_FAILED);
    for (uint64_t us = 1000; us <= 2000; us++)
        pg_hist_record(&two[0], us);
    pg_hist_merge(&two[1], &two[0]);
    assert_int_equal(pg_hist_percentile(&two[1], 99.0) / 10, 1980 / 10);
    assert_non_null(enc = pg_hist_encode(&two[1]));
    free(enc);
    /* each of the 7 pages of a 26 KiB histogram: the header's, and at most
     * two for 1-2 ms's 129 buckets (1 KiB) */
    assert_in_range(resident_pages(&two[0]), 1, 3);
    assert_in_range(resident_pages(&two[1]), 1, 4); /* it shares a page with two[0]'s end */
    munmap(two, size);
}

static void decode_wants_min_and_max_in_the_end_buckets(void **state)
{
    pg_hist *h = *state, back;
    pg_err err;
    char *enc;

    pg_hist_record(h, 100);
    pg_hist_record(h, 5000);
    h->min = 150; /* counts below min: not a histogram this encoder writes */
    assert_non_null(enc = pg_hist_encode(h));
    assert_int_equal(pg_hist_decode(&back, enc, &err), PG_EINVALID);
    assert_non_null(strstr(err.msg, "first and last buckets"));
    free(enc);
    h->min = 100, h->max = 4000; /* counts above max */
    assert_non_null(enc = pg_hist_encode(h));
    assert_int_equal(pg_hist_decode(&back, enc, &err), PG_EINVALID);
    free(enc);
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
        cmocka_unit_test(zero_bytes_are_empty),
        cmocka_unit_test(untouched_buckets_stay_unmapped),
        cmocka_unit_test_setup_teardown(decode_wants_min_and_max_in_the_end_buckets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(clamps_above_one_hour, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_histogram, setup, teardown),
        cmocka_unit_test_setup_teardown(encode_decode_round_trip, setup, teardown),
        cmocka_unit_test(decode_rejects_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
