/* test_threshold.c — k6 threshold expressions and metric keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/err.h"
#include "config/threshold.h"

static pg_threshold parse_ok(const char *metric, const char *expr)
{
    pg_threshold t;
    char why[512] = "";
    memset(&t, 0, sizeof t);
    if (pg_threshold_parse_expr(expr, pg_metric_lookup(metric), &t, why, sizeof why) != 0)
        fail_msg("%s %s: unexpected error: %s", metric, expr, why);
    return t;
}

static void parse_bad(const char *metric, const char *expr, const char *why_part)
{
    pg_threshold t;
    char why[512] = "";
    memset(&t, 0, sizeof t);
    if (pg_threshold_parse_expr(expr, pg_metric_lookup(metric), &t, why, sizeof why) == 0)
        fail_msg("%s %s: accepted, expected an error", metric, expr);
    if (!strstr(why, why_part))
        fail_msg("%s %s: expected reason with \"%s\", got \"%s\"", metric, expr, why_part, why);
}

static void trend_expressions(void **state)
{
    pg_threshold t;
    (void)state;
    t = parse_ok("http_req_duration", "p(95)<200ms");
    assert_int_equal(t.agg, PG_AGG_PERCENTILE);
    assert_true(t.percentile == 95.0);
    assert_int_equal(t.op, PG_OP_LT);
    assert_true(t.value == 200000.0);
    t = parse_ok("http_req_duration", "p(99.9)<=1s");
    assert_true(t.percentile == 99.9);
    assert_int_equal(t.op, PG_OP_LE);
    assert_true(t.value == 1e6);
    t = parse_ok("http_req_duration", "avg<50ms");
    assert_int_equal(t.agg, PG_AGG_AVG);
    t = parse_ok("http_req_duration", "med < 20ms");
    assert_int_equal(t.agg, PG_AGG_MED);
    assert_true(t.value == 20000.0);
    t = parse_ok("http_req_duration", "max<2s");
    assert_int_equal(t.agg, PG_AGG_MAX);
    t = parse_ok("http_req_waiting", "min>=500us");
    assert_int_equal(t.op, PG_OP_GE);
    assert_true(t.value == 500.0);
    /* k6 reads a bare number on a time metric as milliseconds */
    t = parse_ok("http_req_duration", "p(90)<300");
    assert_true(t.value == 300000.0);
}

static void rate_and_counter_expressions(void **state)
{
    pg_threshold t;
    (void)state;
    t = parse_ok("http_req_failed", "rate<0.01");
    assert_int_equal(t.agg, PG_AGG_RATE);
    assert_true(t.value == 0.01);
    t = parse_ok("http_reqs", "rate>150");
    assert_int_equal(t.op, PG_OP_GT);
    assert_true(t.value == 150.0);
    t = parse_ok("dropped_iterations", "count<10");
    assert_int_equal(t.agg, PG_AGG_COUNT);
    t = parse_ok("checks", "rate>=0.99");
    assert_int_equal(t.op, PG_OP_GE);
    /* rate<1%: a perfgate extension of k6's rate<0.01 */
    t = parse_ok("http_req_failed", "rate<1%");
    assert_true(t.value == 0.01);
    t = parse_ok("checks", "rate>=99.5 %");
    assert_true(t.value == 0.995);
    t = parse_ok("http_reqs", "count<1e3"); /* a JavaScript number, as k6 reads it */
    assert_true(t.value == 1000.0);
    t = parse_ok("iterations", "count!=0");
    assert_int_equal(t.op, PG_OP_NE);
    assert_true(pg_threshold_holds(&t, 5));
    assert_false(pg_threshold_holds(&t, 0));
}

static void invalid_expressions(void **state)
{
    (void)state;
    parse_bad("http_req_duration", "p(100)<1s", "use max");
    parse_bad("http_req_duration", "p(0)<1s", "use min");
    parse_bad("http_req_duration", "p(-1)<1s", "p(N)");
    parse_bad("http_req_duration", "p()<1s", "p(N)");
    parse_bad("http_req_duration", "p(95<1s", "p(N)");
    parse_bad("http_req_duration", "rate<0.1", "does not apply");
    parse_bad("http_req_failed", "p(95)<0.1", "does not apply");
    parse_bad("http_req_failed", "rate<2", "fraction");
    parse_bad("http_reqs", "avg<3", "does not apply");
    parse_bad("http_req_duration", "", "empty");
    parse_bad("http_req_duration", "p(95)", "comparison");
    parse_bad("http_req_duration", "p(95)=<1s", "comparison");
    parse_bad("http_req_duration", "p(95)<", "value");
    parse_bad("http_req_duration", "p(95)<-1ms", "negative");
    parse_bad("http_req_duration", "p(95)<200xs", "unknown unit");
    parse_bad("http_req_duration", "mean<5ms", "aggregation");
    parse_bad("http_reqs", "count<ten", "not a number");
    /* decimal only: strtod's hexadecimal, inf and nan are not numbers here */
    parse_bad("http_reqs", "count<0x10", "not a number");
    parse_bad("http_reqs", "count<inf", "not a number");
    parse_bad("http_req_failed", "rate<0x1", "not a number");
    parse_bad("http_req_duration", "p(0x5f)<1s", "p(N)");
    parse_bad("http_req_duration", "p(95)<0x10", "unknown unit");
    parse_bad("http_req_failed", "rate<150%", "percentage up to 100%");
    parse_bad("http_req_failed", "rate<%", "not a number");
}

static void key_refused(const char *key, const char *words)
{
    char *base = NULL, why[512] = "";
    pg_tag_filter f;

    assert_int_equal(pg_metric_key_split(key, &base, &f, why, sizeof why), PG_EINVALID);
    if (!strstr(why, words))
        print_error("%s: %s\n", key, why);
    assert_non_null(strstr(why, words));
    assert_null(base);
    assert_int_equal(f.n, 0);
}

/* k6's sub-metric grammar: name{tag:value,tag:value}; the filter ends at the
 * last "}", a value at the next ",KNOWN_TAG:". */
static void metric_keys(void **state)
{
    char *base, why[256];
    pg_tag_filter f;

    (void)state;
    assert_int_equal(
        pg_metric_key_split("http_req_duration{scenario:browse}", &base, &f, why, sizeof why), 0);
    assert_string_equal(base, "http_req_duration");
    assert_int_equal(f.n, 1);
    assert_string_equal(f.value[PG_TAG_SCENARIO], "browse");
    assert_int_equal(pg_tag_filter_simple(&f), PG_TAG_SCENARIO);
    free(base), pg_tag_filter_clear(&f);
    assert_int_equal(pg_metric_key_split("http_reqs", &base, &f, why, sizeof why), 0);
    assert_string_equal(base, "http_reqs");
    assert_int_equal(f.n, 0);
    free(base);
    assert_int_equal(pg_metric_key_split("http_req_duration{scenario:s,name:home,status:200,"
                                         "method:GET,expected_response:true}",
                                         &base, &f, why, sizeof why),
                     0);
    assert_int_equal(f.n, 5);
    assert_string_equal(f.value[PG_TAG_NAME], "home");
    assert_string_equal(f.value[PG_TAG_STATUS], "200");
    assert_string_equal(f.value[PG_TAG_METHOD], "GET");
    assert_string_equal(f.value[PG_TAG_EXPECTED_RESPONSE], "true");
    assert_int_equal(pg_tag_filter_simple(&f), PG_TAG_KEY_COUNT);
    free(base), pg_tag_filter_clear(&f);
    /* a value may hold "}" and a comma not followed by a tag */
    assert_int_equal(
        pg_metric_key_split("http_req_duration{name:a}b,c,status:404}", &base, &f, why, sizeof why),
        0);
    assert_string_equal(f.value[PG_TAG_NAME], "a}b,c");
    assert_string_equal(f.value[PG_TAG_STATUS], "404");
    free(base), pg_tag_filter_clear(&f);
    key_refused("http_reqs{scenario}", "not a valid sub-metric");
    key_refused("http_reqs{color:red}", "unknown tag; valid tags are scenario, name, status, "
                                        "method, expected_response");
    key_refused("http_reqs{scenario:a}x", "not a valid sub-metric");
    key_refused("http_req_duration{name:}", "empty value");
    key_refused("http_req_duration{name:a,status:}", "empty value");
    key_refused("http_req_duration{status:200,status:201}", "status twice");
    key_refused("http_req_duration{status:2xx}", "status code from 100 to 599");
    key_refused("http_req_duration{status:600}", "status code from 100 to 599");
    key_refused("http_req_duration{method:get}", "method is one of GET");
    key_refused("http_req_duration{expected_response:yes}", "true or false");
    assert_non_null(pg_metric_lookup("http_req_waiting"));
    assert_null(pg_metric_lookup("http_req_duraton"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trend_expressions),
        cmocka_unit_test(rate_and_counter_expressions),
        cmocka_unit_test(invalid_expressions),
        cmocka_unit_test(metric_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
