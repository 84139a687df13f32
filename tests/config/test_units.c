/* test_units.c — durations, rates, sizes, percentages and ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/units.h"

static uint64_t dur(const char *s)
{
    uint64_t us = 0;
    char why[256];
    assert_int_equal(pg_parse_duration(s, &us, why, sizeof why), 0);
    return us;
}

static void dur_bad(const char *s, const char *why_part)
{
    uint64_t us = 0;
    char why[256] = "";
    assert_int_not_equal(pg_parse_duration(s, &us, why, sizeof why), 0);
    if (!strstr(why, why_part))
        fail_msg("\"%s\": expected reason containing \"%s\", got \"%s\"", s, why_part, why);
}

static void durations(void **state)
{
    (void)state;
    assert_int_equal(dur("500us"), 500);
    assert_int_equal(dur("20ms"), 20000);
    assert_int_equal(dur("1.5s"), 1500000);
    assert_int_equal(dur("2m"), 120000000);
    assert_int_equal(dur("1h"), 3600000000ull);
    assert_int_equal(dur("1m30s"), 90000000);
    assert_int_equal(dur("0s"), 0);
    assert_int_equal(dur("0.5ms"), 500);
    assert_int_equal(dur("24h"), 86400000000ull);
}

static void durations_invalid(void **state)
{
    (void)state;
    dur_bad("", "empty");
    dur_bad("10", "no unit");
    dur_bad("-5s", "negative");
    dur_bad("5x", "unknown unit");
    dur_bad("5 s", "unknown unit");
    dur_bad("1e3s", "unknown unit");
    dur_bad("s", "not a duration");
    assert_int_equal(dur(".5s"), 500000); /* as k6 (Go time.ParseDuration) reads it */
    dur_bad("5.s", "not a duration");
    dur_bad("25h", "too long");
    dur_bad("99999999999999999999999h", "too long");
}

static void rates(void **state)
{
    double r = 0;
    char why[256];
    (void)state;
    assert_int_equal(pg_parse_rate("200", &r, why, sizeof why), 0);
    assert_true(r == 200.0);
    assert_int_equal(pg_parse_rate("200/s", &r, why, sizeof why), 0);
    assert_true(r == 200.0);
    assert_int_equal(pg_parse_rate("12000/m", &r, why, sizeof why), 0);
    assert_true(r == 200.0);
    assert_int_equal(pg_parse_rate("7200/h", &r, why, sizeof why), 0);
    assert_true(r == 2.0);
    assert_int_equal(pg_parse_rate("0.5", &r, why, sizeof why), 0);
    assert_true(r == 0.5);
    assert_int_not_equal(pg_parse_rate("0", &r, why, sizeof why), 0);
    assert_non_null(strstr(why, "greater than 0"));
    assert_int_not_equal(pg_parse_rate("-1/s", &r, why, sizeof why), 0);
    assert_non_null(strstr(why, "negative"));
    assert_int_not_equal(pg_parse_rate("10/d", &r, why, sizeof why), 0);
    assert_non_null(strstr(why, "unknown unit"));
    assert_int_not_equal(pg_parse_rate("", &r, why, sizeof why), 0);
    assert_int_not_equal(pg_parse_rate("fast", &r, why, sizeof why), 0);
    assert_int_not_equal(pg_parse_rate("20000000", &r, why, sizeof why), 0);
    assert_non_null(strstr(why, "over"));
}

static void sizes(void **state)
{
    uint64_t b = 0;
    char why[256];
    (void)state;
    assert_int_equal(pg_parse_size("512", &b, why, sizeof why), 0);
    assert_int_equal(b, 512);
    assert_int_equal(pg_parse_size("64KiB", &b, why, sizeof why), 0);
    assert_int_equal(b, 65536);
    assert_int_equal(pg_parse_size("64KB", &b, why, sizeof why), 0);
    assert_int_equal(b, 64000);
    assert_int_equal(pg_parse_size("1.5MiB", &b, why, sizeof why), 0);
    assert_int_equal(b, 1572864);
    assert_int_equal(pg_parse_size("2GB", &b, why, sizeof why), 0);
    assert_int_equal(b, 2000000000ull);
    assert_int_not_equal(pg_parse_size("2TB", &b, why, sizeof why), 0);
    assert_non_null(strstr(why, "unknown unit"));
    assert_int_not_equal(pg_parse_size("-1", &b, why, sizeof why), 0);
    assert_int_not_equal(pg_parse_size("", &b, why, sizeof why), 0);
    assert_int_not_equal(pg_parse_size("9999999999GiB", &b, why, sizeof why), 0);
    assert_non_null(strstr(why, "too large"));
}

static void percents(void **state)
{
    double f = 0;
    char why[256];
    (void)state;
    assert_int_equal(pg_parse_percent("5%", &f, why, sizeof why), 0);
    assert_true(f > 0.0499999 && f < 0.0500001);
    assert_int_equal(pg_parse_percent("0.5%", &f, why, sizeof why), 0);
    assert_true(f > 0.0049999 && f < 0.0050001);
    assert_int_not_equal(pg_parse_percent("5", &f, why, sizeof why), 0);
    assert_int_not_equal(pg_parse_percent("0%", &f, why, sizeof why), 0);
    assert_int_not_equal(pg_parse_percent("-5%", &f, why, sizeof why), 0);
    assert_int_not_equal(pg_parse_percent("%", &f, why, sizeof why), 0);
}

static void ranges(void **state)
{
    uint64_t lo = 0, hi = 0;
    char why[256];
    (void)state;
    assert_int_equal(pg_parse_duration_range("50ms..150ms", &lo, &hi, why, sizeof why), 0);
    assert_int_equal(lo, 50000);
    assert_int_equal(hi, 150000);
    assert_int_equal(pg_parse_duration_range("100ms", &lo, &hi, why, sizeof why), 0);
    assert_int_equal(lo, 100000);
    assert_int_equal(hi, 100000);
    assert_int_not_equal(pg_parse_duration_range("150ms..50ms", &lo, &hi, why, sizeof why), 0);
    assert_non_null(strstr(why, "backwards"));
    assert_int_not_equal(pg_parse_duration_range("50ms..", &lo, &hi, why, sizeof why), 0);
    assert_int_not_equal(pg_parse_duration_range("..5s", &lo, &hi, why, sizeof why), 0);
}

static void formatting(void **state)
{
    char buf[32];
    (void)state;
    pg_format_duration(850, buf, sizeof buf);
    assert_string_equal(buf, "850us");
    pg_format_duration(12500, buf, sizeof buf);
    assert_string_equal(buf, "12.5ms");
    pg_format_duration(1500000, buf, sizeof buf);
    assert_string_equal(buf, "1.50s");
    pg_format_duration(150000000, buf, sizeof buf);
    assert_string_equal(buf, "2m30s");
}

/* Each unit one way, whatever shows it: console, reports, threshold details. */
static void formatting_by_unit(void **state)
{
    static const struct {
        pg_unit unit;
        double v;
        const char *want;
    } cases[] = {
        {PG_UNIT_DURATION, 12500, "12.5ms"},
        {PG_UNIT_DURATION, -850, "-850us"},
        {PG_UNIT_PER_SECOND, 812.34, "812.3/s"},
        {PG_UNIT_PER_SECOND, 45.678, "45.68/s"},
        {PG_UNIT_SHARE, 0.0012, "0.12%"},
        {PG_UNIT_SHARE, 0.0, "0.00%"},
        {PG_UNIT_SHARE, 0.0000123, "0.0012%"},
        {PG_UNIT_PERCENT, 37.54, "37.5%"},
        {PG_UNIT_BYTES, 12.3 * 1048576, "12.3MiB"},
        {PG_UNIT_COUNT, 1200, "1200"},
        {PG_UNIT_COUNT, 30.44, "30.44"},
        {PG_UNIT_NUMBER, 0.25, "0.25"},
    };
    char buf[32];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pg_format_in_unit(cases[i].unit, cases[i].v, buf, sizeof buf);
        assert_string_equal(buf, cases[i].want);
    }
    assert_string_equal(pg_unit_label(PG_UNIT_PERCENT), "%");
    assert_string_equal(pg_unit_label(PG_UNIT_BYTES), "bytes");
    assert_string_equal(pg_unit_label(PG_UNIT_COUNT), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations),  cmocka_unit_test(durations_invalid),
        cmocka_unit_test(rates),      cmocka_unit_test(sizes),
        cmocka_unit_test(percents),   cmocka_unit_test(ranges),
        cmocka_unit_test(formatting), cmocka_unit_test(formatting_by_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
