/* test_actions.c — job summary, annotations and step outputs: escaped as
 * the actions toolkit does, at most 10, and written only when GitHub's
 * variables are set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "github/actions.h"
#include "tests/report/fixture.h"

static void toolkit_escapes(void **state)
{
    pg_buf d = {0}, p = {0};
    (void)state;
    pg_github_escape_data(&d, "100% a:b,c\r\n::error::x");
    assert_string_equal(pg_buf_str(&d), "100%25 a:b,c%0D%0A::error::x");
    pg_github_escape_property(&p, "budgets/a:b,c%.json\n");
    assert_string_equal(pg_buf_str(&p), "budgets/a%3Ab%2Cc%25.json%0A");
    pg_buf_free(&d);
    pg_buf_free(&p);
}

static char *annotations_of(cJSON *doc)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);

    pg_github_annotations(fp, doc);
    fclose(fp);
    cJSON_Delete(doc);
    return text;
}

static int lines(const char *s, const char *prefix)
{
    int n = 0;
    for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += strncmp(p, prefix, strlen(prefix)) == 0;
    return n;
}

static void worst_failures_first_at_most_ten(void **state)
{
    char *a = annotations_of(fixture_doc("regression.json"));
    (void)state;
    assert_int_equal(lines(a, "::error "), 2);
    assert_non_null(strstr(a, "::error file=smoke.json,title=perfgate smoke%3A performance "
                              "regression::p50 +36.3%25 [CI +31.1%25, +44.0%25] p=0.0027 vs "
                              "4904a1b\n"));
    free(a);
    a = annotations_of(fixture_doc("budget.json"));
    assert_non_null(strstr(a, "::error file=smoke.json,line="));
    assert_non_null(strstr(a, "title=perfgate smoke%3A budget exceeded::"));
    free(a);
    a = annotations_of(fixture_many("regression.json", 8)); /* 16 failures */
    assert_int_equal(lines(a, "::error "), 10);
    assert_non_null(strstr(a, "::warning title=perfgate::6 more failures"));
    free(a);
    a = annotations_of(fixture_doc("pass.json"));
    assert_string_equal(a, "");
    free(a);
}

static void hostile_text_cannot_start_a_command(void **state)
{
    char *a = annotations_of(fixture_hostile());
    (void)state;
    /* every line is one of ours: hostile newlines were escaped */
    for (const char *p = a; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        assert_true(strncmp(p, "::error ", 8) == 0 || strncmp(p, "::warning ", 10) == 0);
    assert_non_null(strstr(a, "%0A::error::x %250A"));
    free(a);
}

static long file_size(const char *path)
{
    FILE *fp = fopen(path, "rb");
    long n;
    if (!fp)
        return -1;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fclose(fp);
    return n;
}

static void files_only_when_variables_are_set(void **state)
{
    char dir[] = "/tmp/perfgate-gh-XXXXXX", summary[256], output[256], *text = NULL;
    pg_report_paths paths = {"v.json", "j.xml", "m.md", "r.html"};
    cJSON *doc = fixture_doc("regression.json");
    pg_err err;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(summary, sizeof summary, "%s/summary.md", dir);
    snprintf(output, sizeof output, "%s/output.txt", dir);
    unsetenv("GITHUB_STEP_SUMMARY");
    unsetenv("GITHUB_OUTPUT");
    unsetenv("GITHUB_ACTIONS");
    pg_github_publish(doc, &paths);
    assert_int_equal(file_size(summary), -1);
    assert_int_equal(file_size(output), -1);

    setenv("GITHUB_STEP_SUMMARY", summary, 1);
    setenv("GITHUB_OUTPUT", output, 1);
    pg_github_publish(doc, &paths);
    pg_github_publish(doc, &paths); /* appends, as GitHub expects */
    assert_int_equal(pg_file_read(&text, NULL, summary, 1u << 22, &err), 0);
    assert_non_null(strstr(text, "### \xE2\x9D\x8C perfgate: regression"));
    assert_non_null(strstr(strstr(text, "<!-- perfgate -->") + 1, "<!-- perfgate -->"));
    free(text);
    assert_int_equal(pg_file_read(&text, NULL, output, 1u << 20, &err), 0);
    assert_non_null(strstr(text, "verdict<<ghadelimiter_"));
    assert_non_null(strstr(text, "\nfail\nghadelimiter_"));
    assert_non_null(strstr(text, "junit<<"));
    assert_non_null(strstr(text, "\nr.html\n"));
    free(text);
    unsetenv("GITHUB_STEP_SUMMARY");
    unsetenv("GITHUB_OUTPUT");
    unlink(summary);
    unlink(output);
    rmdir(dir);
    cJSON_Delete(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(toolkit_escapes),
        cmocka_unit_test(worst_failures_first_at_most_ten),
        cmocka_unit_test(hostile_text_cannot_start_a_command),
        cmocka_unit_test(files_only_when_variables_are_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
