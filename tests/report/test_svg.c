/* test_svg.c — chart ticks and the SVG of a line chart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "report/svg.h"

static void nice_steps(void **state)
{
    (void)state;
    assert_true(fabs(pg_svg_nice_step(10, 5) - 2) < 1e-12);
    assert_true(fabs(pg_svg_nice_step(7, 5) - 1) < 1e-12);
    assert_true(fabs(pg_svg_nice_step(0.37, 5) - 0.05) < 1e-12);
    assert_true(fabs(pg_svg_nice_step(4000, 5) - 1000) < 1e-9);
    assert_true(fabs(pg_svg_nice_step(0, 5) - 1) < 1e-12); /* no span: any step */
}

static void line_chart_draws_series_and_escapes_names(void **state)
{
    double x[] = {0, 1, 2}, y[] = {1.5, NAN, 3};
    pg_svg_series s = {"<p99>", "#c62828", x, y, 3, 0};
    pg_svg_chart c = {"a & b", "x", "ms", &s, 1, NULL, 0, NULL, NULL, 0, 1};
    pg_buf b = {0};
    (void)state;
    pg_svg_line_chart(&b, &c);
    assert_non_null(strstr(pg_buf_str(&b), "<title>a &amp; b</title>"));
    assert_non_null(strstr(pg_buf_str(&b), "&lt;p99&gt;"));
    /* the gap (NAN) lifts the pen: two separate moves */
    assert_non_null(strstr(pg_buf_str(&b), "d=\"M"));
    assert_non_null(strstr(strstr(pg_buf_str(&b), "d=\"M") + 3, "M"));
    assert_null(strstr(pg_buf_str(&b), "nan"));
    pg_buf_free(&b);
}

static void empty_chart_says_no_data(void **state)
{
    pg_svg_chart c = {"empty", "x", "y", NULL, 0, NULL, 0, NULL, NULL, 0, 0};
    pg_buf b = {0};
    (void)state;
    pg_svg_line_chart(&b, &c);
    assert_non_null(strstr(pg_buf_str(&b), "no data"));
    pg_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nice_steps),
        cmocka_unit_test(line_chart_draws_series_and_escapes_names),
        cmocka_unit_test(empty_chart_says_no_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
