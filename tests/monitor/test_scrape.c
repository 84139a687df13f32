/* test_scrape.c — one gauge out of a metrics endpoint's answer: Prometheus
 * text exposition (names, labels, escapes, comments, special values; the
 * sum of every sample a selector picks) and a dotted path into JSON. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "monitor/scrape.h"

static const char exposition[] =
    "# HELP http_requests_in_flight Requests being served.\n"
    "# TYPE http_requests_in_flight gauge\n"
    "http_requests_in_flight{handler=\"/api\",code=\"200\"} 3\n"
    "http_requests_in_flight{handler=\"/api\",code=\"500\"} 2 1700000000000\n"
    "http_requests_in_flight{handler=\"/\"} 7\n"
    "  process_open_fds   42\n"
    "process_open_fds_limit 1024\n"
    "weird{path=\"a\\\"b\\\\c\\nd\",x=\"}\"} 5.5e1\n"
    "broken{a=\"x} 9\n"
    "go_gc_duration_seconds{quantile=\"1\"} +Inf\n"
    "temperature{room=\"cold\"} -3.25\n"
    "nothing_yet NaN\n";

static double prom(const char *selector)
{
    pg_selector s;
    char why[256];
    double v = -1;
    assert_int_equal(pg_selector_parse(&s, selector, why, sizeof why), 0);
    if (pg_scrape_prometheus(exposition, strlen(exposition), &s, &v) != 0)
        return -999;
    return v;
}

static void prometheus_samples(void **state)
{
    (void)state;
    assert_true(prom("process_open_fds") == 42); /* not process_open_fds_limit */
    assert_true(prom("http_requests_in_flight{handler=\"/api\",code=\"500\"}") == 2);
    /* several samples: their sum, as PromQL's sum() */
    assert_true(prom("http_requests_in_flight{handler=\"/api\"}") == 5);
    assert_true(prom("http_requests_in_flight") == 12);
    assert_true(prom("weird{path=\"a\\\"b\\\\c\\nd\"}") == 55);
    assert_true(prom("weird{x=\"}\"}") == 55);
    assert_true(prom("temperature") == -3.25);
    assert_true(isinf(prom("go_gc_duration_seconds")));
    assert_true(isnan(prom("nothing_yet")));
    /* absent: no name, a label that does not match, a malformed line */
    assert_true(prom("http_requests_total") == -999);
    assert_true(prom("http_requests_in_flight{handler=\"/admin\"}") == -999);
    assert_true(prom("broken") == -999);
    assert_true(prom("HELP") == -999); /* comments are not samples */
}

static void prometheus_bounds(void **state)
{
    /* the answer ends mid-sample, with no newline: never read past len */
    static const char text[] = "a 1\nb{x=\"y\"} 2\nc 33333";
    pg_selector s;
    char why[256];
    double v;
    (void)state;
    assert_int_equal(pg_selector_parse(&s, "c", why, sizeof why), 0);
    assert_int_equal(pg_scrape_prometheus(text, strlen(text) - 2, &s, &v), 0);
    assert_true(v == 333);
    assert_int_equal(pg_selector_parse(&s, "b{x=\"y\"}", why, sizeof why), 0);
    assert_int_equal(pg_scrape_prometheus(text, 10, &s, &v), -1); /* cut inside the labels */
    assert_int_equal(pg_scrape_prometheus("", 0, &s, &v), -1);
}

static void json_paths(void **state)
{
    static const char doc[] =
        "{\"pool\": {\"busy\": 3, \"idle\": 5.5}, \"up\": true,"
        " \"workers\": [{\"load\": 0.25}, {\"load\": 0.75}], \"name\": \"x\"}";
    double v;
    (void)state;
    assert_int_equal(pg_scrape_json(doc, strlen(doc), "pool.busy", &v), 0);
    assert_true(v == 3);
    assert_int_equal(pg_scrape_json(doc, strlen(doc), "pool.idle", &v), 0);
    assert_true(v == 5.5);
    assert_int_equal(pg_scrape_json(doc, strlen(doc), "workers.1.load", &v), 0);
    assert_true(v == 0.75);
    assert_int_equal(pg_scrape_json(doc, strlen(doc), "up", &v), 0);
    assert_true(v == 1);
    assert_int_equal(pg_scrape_json(doc, strlen(doc), "name", &v), -1); /* not a number */
    assert_int_equal(pg_scrape_json(doc, strlen(doc), "pool.gone", &v), -1);
    assert_int_equal(pg_scrape_json(doc, strlen(doc), "workers.7.load", &v), -1);
    assert_int_equal(pg_scrape_json(doc, strlen(doc), "pool..busy", &v), -1);
    assert_int_equal(pg_scrape_json("not json", 8, "a", &v), -1);
    assert_int_equal(pg_scrape_json(doc, 10, "pool.busy", &v), -1); /* cut short */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prometheus_samples),
        cmocka_unit_test(prometheus_bounds),
        cmocka_unit_test(json_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
