/* test_escape.c — outside text per format: valid UTF-8 of XML characters,
 * markdown that cannot break a table or inject HTML, HTML entities. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <string.h>

#include "report/escape.h"

typedef void (*escape_fn)(pg_buf *, const char *, size_t);

static void expect(escape_fn f, const char *in, size_t max, const char *want)
{
    pg_buf b = {0};
    f(&b, in, max);
    assert_string_equal(pg_buf_str(&b), want);
    pg_buf_free(&b);
}

#define FFFD "\xEF\xBF\xBD"

static void clean_replaces_what_xml_cannot_hold(void **state)
{
    (void)state;
    expect(pg_escape_clean, "plain \xC3\xA9t\xC3\xA9 \xF0\x9F\x9A\x80", 0,
           "plain \xC3\xA9t\xC3\xA9 \xF0\x9F\x9A\x80");
    expect(pg_escape_clean, "tab\tLF\nCR\r", 0, "tab\tLF\nCR\r");
    expect(pg_escape_clean,
           "a\x01"
           "b\x1b"
           "c\x7f",
           0, "a" FFFD "b" FFFD "c" FFFD);
    expect(pg_escape_clean, "\xff\xfe", 0, FFFD FFFD);
    expect(pg_escape_clean, "\xC0\xAF", 0, FFFD FFFD);          /* overlong '/' */
    expect(pg_escape_clean, "\xED\xA0\x80", 0, FFFD FFFD FFFD); /* a surrogate */
    expect(pg_escape_clean, "\xEF\xBF\xBE", 0, FFFD);           /* U+FFFE */
    expect(pg_escape_clean, "cut\xE2\x82", 0, "cut" FFFD FFFD); /* truncated sequence */
    expect(pg_escape_clean, NULL, 0, "");
}

static void clean_cuts_at_characters(void **state)
{
    (void)state;
    expect(pg_escape_clean, "\xC3\xA9\xC3\xA9\xC3\xA9", 2, "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
    expect(pg_escape_clean, "abc", 3, "abc");
}

static void markdown_cannot_break_a_table_or_inject(void **state)
{
    (void)state;
    expect(pg_escape_markdown, "a|b", 0, "a\\|b");
    expect(pg_escape_markdown, "`code`", 0, "\\`code\\`");
    expect(pg_escape_markdown, "<script>x</script>", 0, "&lt;script&gt;x&lt;/script&gt;");
    expect(pg_escape_markdown, "-->", 0, "--&gt;");
    expect(pg_escape_markdown, "one\ntwo\r\tthree", 0, "one two  three");
    expect(pg_escape_markdown, "**b** _i_ [l](u) ![i](u) # ~s~ \\", 0,
           "\\*\\*b\\*\\* \\_i\\_ \\[l\\]\\(u\\) \\!\\[i\\]\\(u\\) \\# \\~s\\~ \\\\");
    expect(pg_escape_markdown, "@team", 0, "@\xE2\x80\x8Bteam");
    expect(pg_escape_markdown, "&amp;", 0, "&amp;amp;");
    expect(pg_escape_markdown, "100%0A::error::", 0, "100%0A::error::");
}

static void html_entities(void **state)
{
    (void)state;
    expect(pg_escape_html, "<a href=\"x\" title='y'>&</a>", 0,
           "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    expect(pg_escape_html, "\xff", 0, FFFD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_replaces_what_xml_cannot_hold),
        cmocka_unit_test(clean_cuts_at_characters),
        cmocka_unit_test(markdown_cannot_break_a_table_or_inject),
        cmocka_unit_test(html_entities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
