/* test_redact.c — a URL's password never shows; the rest stays as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "common/redact.h"

static void check(const char *url, const char *want)
{
    char *got = pg_redact_url(url);

    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void password_is_replaced(void **state)
{
    (void)state;
    check("http://user:s3cret@127.0.0.1:8080", "http://user:***@127.0.0.1:8080");
    check("https://u:p@host/api/v1?x=1", "https://u:***@host/api/v1?x=1");
    check("http://:onlypass@host", "http://:***@host");
    /* an '@' in the password: the user-info ends at the last '@' */
    check("http://user:p@ss@host:1/", "http://user:***@host:1/");
}

static void nothing_secret_is_left_alone(void **state)
{
    (void)state;
    check("http://127.0.0.1:8080", "http://127.0.0.1:8080");
    check("http://user@host", "http://user@host"); /* a user name alone */
    check("HTTP://Host:80", "HTTP://Host:80");     /* not normalised */
    check("http://host/path@x:y", "http://host/path@x:y");
    check("not a url", "not a url");
    check("", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(password_is_replaced),
        cmocka_unit_test(nothing_secret_is_left_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
