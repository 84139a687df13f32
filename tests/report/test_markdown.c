/* test_markdown.c — the PR comment: golden files, the verdict first, the
 * marker, the 65,536-character cap, and outside text that cannot break a
 * table, inject HTML, mention anyone or leave invalid UTF-8.
 *
 * Golden files: tests/report/golden/<doc>.md (markdown_gfm.sh renders them
 * with cmark-gfm, GitHub's parser, and checks the tables). After a deliberate change of
 * the format, rerun with PG_UPDATE_GOLDEN=1 and review the diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "report/escape.h"
#include "report/markdown.h"
#include "tests/report/fixture.h"

static char *render(cJSON *doc, size_t max)
{
    char *md = NULL;
    pg_err err;

    assert_non_null(doc);
    assert_int_equal(pg_markdown_render(&md, doc, max, &err), 0);
    cJSON_Delete(doc);
    assert_true(strlen(md) <= max);
    return md;
}

static void golden_of(cJSON *doc, const char *golden_name)
{
    char path[1024], *want = NULL, *got = render(doc, PG_MARKDOWN_MAX);
    pg_err err;

    snprintf(path, sizeof path, "%s/report/golden/%s", PG_TEST_DIR, golden_name);
    if (getenv("PG_UPDATE_GOLDEN"))
        assert_int_equal(pg_file_write_atomic(path, got, strlen(got), &err), 0);
    assert_int_equal(pg_file_read(&want, NULL, path, 1u << 20, &err), 0);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

static void goldens(void **state)
{
    (void)state;
    golden_of(fixture_doc("regression.json"), "regression.md");
    golden_of(fixture_doc("pass.json"), "pass.md");
    golden_of(fixture_doc("budget.json"), "budget.md");
    golden_of(fixture_doc("nobaseline.json"), "nobaseline.md");
    golden_of(fixture_doc("unmeasured.json"), "unmeasured.md");
    golden_of(fixture_doc("stream.json"), "stream.md");
    golden_of(fixture_doc("capacity.json"), "capacity.md");
    /* rendered by a GFM parser in tests/report/markdown_gfm.sh */
    golden_of(fixture_hostile(), "hostile.md");
}

static void verdict_first_marker_last(void **state)
{
    char *md = render(fixture_doc("regression.json"), PG_MARKDOWN_MAX);
    (void)state;
    assert_memory_equal(md,
                        "### \xE2\x9D\x8C perfgate: regression \xE2\x80\x94 0 of 5 "
                        "thresholds broken, 2 regressions, 2 inconclusive\n",
                        strlen("### \xE2\x9D\x8C perfgate: regression \xE2\x80\x94 0 of 5 "
                               "thresholds broken, 2 regressions, 2 inconclusive\n"));
    assert_string_equal(md + strlen(md) - strlen(PG_MARKDOWN_MARKER "\n"), PG_MARKDOWN_MARKER "\n");
    assert_non_null(strstr(md, "xychart-beta"));
    assert_non_null(strstr(md, "x-axis [\"a47eecc\", \"324fbb5\", \"4904a1b\", \"this run\"]"));
    assert_non_null(strstr(md, "<details><summary>Details: smoke</summary>"));
    free(md);
}

static int contains(const char *md, const char *s)
{
    return strstr(md, s) != NULL;
}

static int occurrences(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void long_reports_cut_whole_sections(void **state)
{
    char *md = render(fixture_many("regression.json", 200), PG_MARKDOWN_MAX);
    size_t max;
    (void)state;
    /* 200 budgets cannot fit: details go first, then charts, then tables */
    assert_true(contains(md, "cut to stay within GitHub's 65536-character limit"));
    assert_true(strncmp(md, "### ", 4) == 0);
    assert_true(contains(md, PG_MARKDOWN_MARKER));
    assert_false(contains(md, "<details>"));
    /* what remains ends on a whole section: the last table row is complete */
    assert_true(contains(md, "| :---: |\n"));
    free(md);

    /* one byte short of three whole budgets: the last budget's details go,
     * the other details, every chart and every table stay */
    md = render(fixture_many("regression.json", 3), PG_MARKDOWN_MAX);
    max = strlen(md) - 1;
    free(md);
    md = render(fixture_many("regression.json", 3), max);
    assert_int_equal(occurrences(md, "<details>"), 2);
    assert_int_equal(occurrences(md, "xychart-beta"), 3);
    assert_int_equal(occurrences(md, "| metric | baseline |"), 3);
    assert_true(contains(md, "1 section was cut"));
    free(md);
}

/* Each row of a table has exactly as many pipes as its header row (escaped
 * \| do not count): no hostile text adds or hides a column. */
static void assert_rows_intact(const char *md)
{
    int header = 0; /* the pipes of the table's header row; 0 outside a table */

    for (const char *line = md; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *end = strchr(line, '\n');
        int pipes = 0;
        if (*line != '|') {
            header = 0;
            continue;
        }
        for (const char *p = line; p < (end ? end : line + strlen(line)); p++)
            pipes += *p == '|' && (p == line || p[-1] != '\\');
        if (!header)
            header = pipes;
        assert_int_equal(pipes, header);
    }
}

static void hostile_text_is_inert(void **state)
{
    char *md = render(fixture_hostile(), PG_MARKDOWN_MAX);
    pg_buf clean = {0};
    const char *marker;
    (void)state;
    assert_null(strstr(md, "<script"));
    assert_null(strstr(md, "@team"));
    assert_null(strstr(md, "\n::error::"));
    assert_non_null(strstr(md, "<summary>Details: a|b`c` &lt;script&gt;alert(1)&lt;/script&gt; "
                               "--&gt;  ::error::x"));
    /* the only "-->" is the marker's own */
    marker = strstr(md, "-->");
    assert_non_null(marker);
    assert_ptr_equal(marker, md + strlen(md) - 4);
    /* already valid UTF-8 without control characters: cleaning changes nothing */
    pg_escape_clean(&clean, md, 0);
    assert_string_equal(pg_buf_str(&clean), md);
    assert_null(strchr(md, '\x1b'));
    assert_rows_intact(md);
    pg_buf_free(&clean);
    free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(goldens),
        cmocka_unit_test(verdict_first_marker_last),
        cmocka_unit_test(long_reports_cut_whole_sections),
        cmocka_unit_test(hostile_text_is_inert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
