/* test_html.c — the HTML report: every chart present, nothing external,
 * outside text escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "report/html.h"
#include "tests/report/fixture.h"

static char *render(cJSON *doc)
{
    char *html = NULL;
    pg_err err;

    assert_non_null(doc);
    assert_int_equal(pg_html_render(&html, doc, &err), 0);
    cJSON_Delete(doc);
    return html;
}

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void assert_self_contained(const char *html)
{
    /* markup, not text: escaped text has no '<' and no '"' (hostile names
     * hold "src=x", which is harmless as text) */
    static const char *const external[] = {"<script", "src=\"", "href=\"", "url(", "@import",
                                           "<link",   "xmlns",  "<iframe", "<img"};
    for (size_t i = 0; i < sizeof external / sizeof *external; i++)
        assert_int_equal(count(html, external[i]), 0);
}

static void every_chart_is_drawn(void **state)
{
    char *html = render(fixture_doc("regression.json"));
    (void)state;
    assert_non_null(strstr(html, "<title>Change per metric"));
    assert_non_null(strstr(html, "<title>Latency over time"));
    assert_non_null(strstr(html, "<title>Throughput and errors over time"));
    assert_non_null(strstr(html, "<title>Latency distribution (percentile spectrum"));
    assert_non_null(strstr(html, "<title>History across commits"));
    assert_int_equal(count(html, "<svg"), 5);
    assert_int_equal(count(html, "<svg"), count(html, "</svg>"));
    assert_non_null(strstr(html, "<h1 class=\"fail\">perfgate: regression</h1>"));
    assert_non_null(strstr(html, ">4904a1b<")); /* history's x labels are commits */
    assert_self_contained(html);
    free(html);
}

static void streams_have_their_table(void **state)
{
    char *html = render(fixture_doc("stream.json"));
    (void)state;
    assert_non_null(strstr(html, "<h3>Streams (Server-Sent Events)</h3>"));
    assert_non_null(strstr(html, "/s</td>")); /* events per second as a rate, not a duration */
    assert_self_contained(html);
    free(html);
}

/* A staircase with resources: its capacity, the staircase charts and
 * table, the resources over time with their table, the note and hints. */
static void capacity_and_resources(void **state)
{
    char *html = render(fixture_doc("capacity.json"));
    (void)state;
    assert_non_null(strstr(html, "<h3>Capacity</h3><p><b>500 requests/s</b>"));
    assert_non_null(strstr(html, "Latency against offered load"));
    assert_non_null(strstr(html, "Achieved against offered throughput"));
    assert_non_null(strstr(html, "CPU over time"));
    assert_non_null(strstr(html, "Target memory over time"));
    assert_non_null(strstr(html, "Scraped gauge serve_conns"));
    assert_non_null(strstr(html, "<td>target_rss</td>"));
    assert_non_null(strstr(html, "MiB</td>")); /* memory as a size, not a duration */
    assert_non_null(strstr(html, "Monitor: 2 of 14 scrapes"));
    assert_non_null(strstr(html, "<li>latency rose before throughput levelled off"));
    assert_non_null(strstr(html, "12% of iterations were dropped"));
    assert_int_equal(count(html, "<svg"), count(html, "</svg>"));
    assert_self_contained(html);
    free(html);
}

static void no_baseline_and_no_data_render(void **state)
{
    char *html = render(fixture_doc("nobaseline.json"));
    (void)state;
    assert_non_null(strstr(html, "Regression checks skipped: no baseline"));
    assert_null(strstr(html, "<title>History across commits"));
    assert_self_contained(html);
    free(html);
    html = render(fixture_doc("unmeasured.json"));
    assert_non_null(strstr(html, "interrupted"));
    assert_non_null(strstr(html, "no data"));
    assert_self_contained(html);
    free(html);
}

static void hostile_text_is_escaped(void **state)
{
    char *html = render(fixture_hostile());
    (void)state;
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(html, "\xff"));
    assert_null(strstr(html, "\x01"));
    assert_self_contained(html);
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_chart_is_drawn),
        cmocka_unit_test(no_baseline_and_no_data_render),
        cmocka_unit_test(streams_have_their_table),
        cmocka_unit_test(capacity_and_resources),
        cmocka_unit_test(hostile_text_is_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
