/* test_junit.c — JUnit XML valid against both schemas in tests/report/schemas in every
 * case, and carrying the right failures, skips, errors and messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <string.h>

#include "report/junit.h"
#include "tests/report/fixture.h"

static int validate(const char *xml, const char *schema)
{
    char path[1024];
    xmlSchemaParserCtxtPtr pc;
    xmlSchemaPtr s;
    xmlSchemaValidCtxtPtr vc;
    xmlDocPtr doc;
    int rc;

    snprintf(path, sizeof path, "%s/report/schemas/%s", PG_TEST_DIR, schema);
    pc = xmlSchemaNewParserCtxt(path);
    s = xmlSchemaParse(pc);
    assert_non_null(s);
    vc = xmlSchemaNewValidCtxt(s);
    doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, 0);
    assert_non_null(doc);
    rc = xmlSchemaValidateDoc(vc, doc);
    xmlFreeDoc(doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(s);
    xmlSchemaFreeParserCtxt(pc);
    return rc;
}

static char *render(cJSON *doc)
{
    char *xml = NULL;
    pg_err err;

    assert_non_null(doc);
    assert_int_equal(pg_junit_render(&xml, doc, &err), 0);
    assert_int_equal(validate(xml, "junit-ant.xsd"), 0);
    assert_int_equal(validate(xml, "junit-jenkins-10.xsd"), 0);
    cJSON_Delete(doc);
    return xml;
}

/* Every time="..." has exactly three decimals (Jenkins' SUREFIRE_TIME). */
static void assert_times(const char *xml)
{
    for (const char *p = strstr(xml, "time=\""); p; p = strstr(p + 1, "time=\"")) {
        const char *v = p + 6, *dot = strchr(v, '.'), *q = strchr(v, '"');
        assert_non_null(dot);
        assert_true(dot < q);
        assert_int_equal(q - dot, 4);
    }
}

static void streams_are_testcases_too(void **state)
{
    /* thresholds and comparisons of SSE metrics; render() validates the schemas */
    char *xml = render(fixture_doc("stream.json"));
    (void)state;
    assert_non_null(strstr(xml, "name=\"sse_time_to_first_event p(95)&lt;50ms\""));
    assert_non_null(strstr(xml, "sse_events_per_second p50"));
    free(xml);
}

static void capacity_and_resources_are_properties(void **state)
{
    /* render() validates both schemas */
    char *xml = render(fixture_doc("capacity.json"));
    (void)state;
    assert_non_null(strstr(xml, "<property name=\"capacity_rps\" value=\"500\"/>"));
    assert_non_null(strstr(xml, "<property name=\"target_cpu_max\" value=\"5.999958036\"/>"));
    assert_non_null(strstr(xml, "<property name=\"target_rss_max\" value=\"23293952\"/>"));
    assert_non_null(strstr(xml, "<failure type=\"PerformanceRegression\" message=\"capacity_rps "
                                "-37.5%"));
    assert_non_null(strstr(xml, "hint: latency rose before throughput levelled off"));
    assert_non_null(strstr(xml, "monitor: 2 of 14 scrapes"));
    free(xml);
}

static void regression_fails_with_the_change_and_interval(void **state)
{
    char *xml = render(fixture_doc("regression.json"));
    (void)state;
    assert_non_null(strstr(xml, "tests=\"11\" failures=\"2\" errors=\"0\" skipped=\"2\""));
    assert_non_null(strstr(xml, "<failure type=\"PerformanceRegression\" message=\"p50 +36.3% "
                                "[CI +31.1%, +44.0%] p=0.0027 vs 4904a1b\""));
    assert_non_null(strstr(xml, "<property name=\"baseline_commit\" "
                                "value=\"4904a1bb0b623e6447869509ff3429a47b97ed17\"/>"));
    assert_non_null(strstr(xml, "<property name=\"baseline_distance\" value=\"0\"/>"));
    assert_non_null(strstr(xml, "<property name=\"trials\" value=\"6\"/>"));
    assert_non_null(strstr(xml, "<property name=\"alpha\" value=\"0.01\"/>"));
    assert_non_null(strstr(xml, "timestamp=\"2026-11-25T08:36:14\""));
    assert_times(xml);
    free(xml);
}

static void passing_run_has_no_failure(void **state)
{
    char *xml = render(fixture_doc("pass.json"));
    (void)state;
    assert_null(strstr(xml, "<failure"));
    assert_null(strstr(xml, "<error"));
    assert_non_null(strstr(xml, "failures=\"0\" errors=\"0\" skipped=\"0\""));
    free(xml);
}

static void broken_threshold_is_budget_exceeded(void **state)
{
    char *xml = render(fixture_doc("budget.json"));
    (void)state;
    assert_non_null(strstr(xml, "<failure type=\"BudgetExceeded\" message=\"http_req_duration "
                                "p(95) 212ms breaks p(95)&lt;100ms\""));
    free(xml);
}

static void no_baseline_skips_regressions(void **state)
{
    char *xml = render(fixture_doc("nobaseline.json"));
    (void)state;
    assert_non_null(strstr(xml, "<skipped message=\"p50: no baseline in baselines"));
    assert_non_null(strstr(xml, "failures=\"0\" errors=\"0\" skipped=\"6\""));
    assert_non_null(strstr(xml, "<property name=\"baseline_commit\" value=\"\"/>"));
    free(xml);
}

static void unmeasured_run_is_an_error(void **state)
{
    char *xml = render(fixture_doc("unmeasured.json"));
    (void)state;
    assert_non_null(strstr(xml, "<error type=\"Interrupted\""));
    assert_non_null(strstr(xml, "errors=\"1\""));
    assert_non_null(strstr(xml, "time=\"0.000\""));
    free(xml);
}

static void hostile_names_stay_valid(void **state)
{
    cJSON *doc = fixture_hostile(), *b;
    char *xml;
    (void)state;
    /* a second budget whose name is only whitespace */
    b = cJSON_Duplicate(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "budgets"), 0), 1);
    fixture_set(b, "name", " \t\n ");
    cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "budgets"), b);
    xml = render(doc);
    assert_null(strstr(xml, "<script"));
    assert_non_null(strstr(xml, "&lt;script&gt;"));
    assert_null(strstr(xml, "\x01"));
    assert_null(strstr(xml, "\xff"));
    assert_non_null(strstr(xml, "\xEF\xBF\xBD")); /* U+FFFD in their place */
    assert_non_null(strstr(xml, "name=\"(unnamed)\""));
    free(xml);
}

static void many_budgets_keep_ids_unique(void **state)
{
    char *xml = render(fixture_many("regression.json", 3));
    (void)state;
    assert_non_null(strstr(xml, "id=\"0\""));
    assert_non_null(strstr(xml, "id=\"2\""));
    free(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regression_fails_with_the_change_and_interval),
        cmocka_unit_test(streams_are_testcases_too),
        cmocka_unit_test(capacity_and_resources_are_properties),
        cmocka_unit_test(passing_run_has_no_failure),
        cmocka_unit_test(broken_threshold_is_budget_exceeded),
        cmocka_unit_test(no_baseline_skips_regressions),
        cmocka_unit_test(unmeasured_run_is_an_error),
        cmocka_unit_test(hostile_names_stay_valid),
        cmocka_unit_test(many_budgets_keep_ids_unique),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
