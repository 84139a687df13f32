/* test_env.c — ${NAME} in header values comes from the environment; an
 * unset variable or a malformed reference is an error naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/budget.h"
#include "config/env.h"

static void expect(const char *in, const char *want)
{
    char *out, what[64];

    assert_int_equal(pg_env_expand(in, &out, what, sizeof what), PG_ENV_OK);
    assert_string_equal(out, want);
    free(out);
}

static void expect_error(const char *in, pg_env_status status, const char *want_what)
{
    char *out = (char *)1, what[64];

    assert_int_equal(pg_env_expand(in, &out, what, sizeof what), status);
    assert_null(out);
    assert_string_equal(what, want_what);
}

static void variables_are_filled_in(void **state)
{
    (void)state;
    setenv("PG_TEST_TOKEN", "abc123", 1);
    setenv("PG_EMPTY", "", 1);
    expect("Bearer ${PG_TEST_TOKEN}", "Bearer abc123");
    expect("${PG_TEST_TOKEN}${PG_TEST_TOKEN}", "abc123abc123");
    expect("x${PG_EMPTY}y", "xy");
    expect("no variables", "no variables");
    expect("", "");
}

static void dollars_that_are_not_variables_stay(void **state)
{
    (void)state;
    expect("costs $5", "costs $5");
    expect("end$", "end$");
    expect("$${PG_TEST_TOKEN}", "${PG_TEST_TOKEN}");
    expect("$$", "$$");
}

static void unset_and_malformed_are_errors(void **state)
{
    (void)state;
    unsetenv("PG_NOT_SET");
    expect_error("Bearer ${PG_NOT_SET}", PG_ENV_UNSET, "PG_NOT_SET");
    expect_error("${1ABC}", PG_ENV_MALFORMED, "${1ABC}");
    expect_error("a ${OPEN", PG_ENV_MALFORMED, "${OPEN");
    expect_error("${}", PG_ENV_MALFORMED, "${}");
    expect_error("${A-B}", PG_ENV_MALFORMED, "${A-B}");
}

static const char *budget_with(const char *header_value)
{
    static char text[1024];

    snprintf(text, sizeof text,
             "{ \"name\": \"b\", \"target\": \"http://127.0.0.1:9\",\n"
             "  \"load\": { \"executor\": \"constant-vus\", \"vus\": 1, \"duration\": \"1s\" },\n"
             "  \"scenarios\": [ { \"name\": \"s\", \"requests\": [ { \"path\": \"/\",\n"
             "    \"headers\": { \"Authorization\": \"%s\" } } ] } ] }\n",
             header_value);
    return text;
}

static void budget_headers_expand_and_errors_point_at_the_value(void **state)
{
    pg_budget *b;
    pg_err err;
    const char *t;

    (void)state;
    setenv("PG_TEST_TOKEN", "abc123", 1);
    t = budget_with("Bearer ${PG_TEST_TOKEN}");
    assert_int_equal(pg_budget_parse(&b, "b.json", t, strlen(t), &err), 0);
    assert_string_equal(b->scenarios[0].requests[0].headers[0].value, "Bearer abc123");
    pg_budget_free(b);

    unsetenv("PG_NOT_SET");
    t = budget_with("Bearer ${PG_NOT_SET}");
    assert_int_not_equal(pg_budget_parse(&b, "b.json", t, strlen(t), &err), 0);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 43); /* the ${ in the value of "Authorization" */
    assert_non_null(strstr(err.msg, "header \"Authorization\" uses ${PG_NOT_SET}, which is not set "
                                    "in the environment"));
    assert_non_null(strstr(err.msg, "${{ secrets.PG_NOT_SET }}"));

    setenv("PG_TEST_TOKEN", "two\r\nX-Injected: 1", 1);
    t = budget_with("${PG_TEST_TOKEN}");
    assert_int_not_equal(pg_budget_parse(&b, "b.json", t, strlen(t), &err), 0);
    assert_non_null(strstr(err.msg, "holds a line break"));
    assert_null(strstr(err.msg, "Injected")); /* the value itself is not shown */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(variables_are_filled_in),
        cmocka_unit_test(dollars_that_are_not_variables_stay),
        cmocka_unit_test(unset_and_malformed_are_errors),
        cmocka_unit_test(budget_headers_expand_and_errors_point_at_the_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
