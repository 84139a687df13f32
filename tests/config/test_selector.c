/* test_selector.c — Prometheus instant selectors with equality matchers:
 * what the budget accepts for a scraped gauge, and what it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/selector.h"

static void name_only(void **state)
{
    pg_selector s;
    char why[256];
    (void)state;
    assert_int_equal(pg_selector_parse(&s, "process_open_fds", why, sizeof why), 0);
    assert_string_equal(s.name, "process_open_fds");
    assert_int_equal(s.n_labels, 0);
    assert_int_equal(pg_selector_parse(&s, "nginx:connections_active", why, sizeof why), 0);
    assert_int_equal(pg_selector_parse(&s, "up{}", why, sizeof why), 0);
    assert_int_equal(s.n_labels, 0);
}

static void labels_and_escapes(void **state)
{
    pg_selector s;
    char why[256];
    (void)state;
    assert_int_equal(pg_selector_parse(&s, "http_in_flight{handler=\"/api\", code=\"2\\\"0\\\\0\"}",
                                       why, sizeof why),
                     0);
    assert_string_equal(s.name, "http_in_flight");
    assert_int_equal(s.n_labels, 2);
    assert_string_equal(s.label[0].name, "handler");
    assert_string_equal(s.label[0].value, "/api");
    assert_string_equal(s.label[1].name, "code");
    assert_string_equal(s.label[1].value, "2\"0\\0");
    assert_int_equal(pg_selector_parse(&s, "m{a=\"x\\ny\",}", why, sizeof why), 0);
    assert_string_equal(s.label[0].value, "x\ny");
}

static void refused(void **state)
{
    static const char *const bad[] = {"",
                                      "9lives",
                                      "m{a=b}",
                                      "m{a=\"b\"",
                                      "m{a!=\"b\"}",
                                      "m{a=~\"b\"}",
                                      "m{a=\"b\"} 1",
                                      "m {a=\"b\"}",
                                      "m{1a=\"b\"}",
                                      "m{a:b=\"c\"}",
                                      "m{a=\"\\t\"}",
                                      "m{a=\"b\" c=\"d\"}",
                                      "m[5m]",
                                      NULL};
    pg_selector s;
    char why[256];
    (void)state;
    for (const char *const *b = bad; *b; b++) {
        why[0] = '\0';
        if (pg_selector_parse(&s, *b, why, sizeof why) == 0)
            fail_msg("accepted \"%s\"", *b);
        assert_true(strlen(why) > 10); /* it says what is wrong */
    }
}

static void limits(void **state)
{
    char text[512] = "m{";
    pg_selector s;
    char why[256];
    (void)state;
    for (int i = 0; i < PG_SELECTOR_LABELS + 1; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "l%d=\"v\",", i);
    strcat(text, "}");
    assert_int_equal(pg_selector_parse(&s, text, why, sizeof why), -1);
    assert_non_null(strstr(why, "at most"));
    memset(text, 'a', 200);
    text[200] = '\0';
    assert_int_equal(pg_selector_parse(&s, text, why, sizeof why), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(name_only),
        cmocka_unit_test(labels_and_escapes),
        cmocka_unit_test(refused),
        cmocka_unit_test(limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
