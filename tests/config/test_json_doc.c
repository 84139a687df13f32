/* test_json_doc.c — positions of JSON nodes and of syntax errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/json_doc.h"

static void positions_of_keys_and_values(void **state)
{
    const char *text =
        "{\n  \"a\": 1,\n  \"b\": [true, {\"c\": \"x\"}],\n  \"é\": \"ü\", \"d\": null\n}\n";
    pg_json_doc doc;
    pg_err err;
    const cJSON *b, *c, *d;
    int line, col;
    (void)state;

    assert_int_equal(pg_json_doc_parse(&doc, "t.json", text, strlen(text), &err), 0);
    pg_json_doc_where(&doc, cJSON_GetObjectItem(doc.root, "a"), 1, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    pg_json_doc_where(&doc, cJSON_GetObjectItem(doc.root, "a"), 0, &line, &col);
    assert_int_equal(col, 8);
    b = cJSON_GetObjectItem(doc.root, "b");
    c = cJSON_GetObjectItem(cJSON_GetArrayItem(b, 1), "c");
    pg_json_doc_where(&doc, c, 0, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 21);
    /* columns count characters, not bytes: "é" is two bytes, one column */
    d = cJSON_GetObjectItem(doc.root, "d");
    pg_json_doc_where(&doc, d, 1, &line, &col);
    assert_int_equal(line, 4);
    assert_int_equal(col, 13);
    pg_json_doc_free(&doc);
}

static void syntax_error_at(const char *text, int line, int col, const char *why_part)
{
    pg_json_doc doc;
    pg_err err;

    assert_int_equal(pg_json_doc_parse(&doc, "s.json", text, strlen(text), &err), PG_EINVALID);
    if (err.line != line || err.col != col || !strstr(err.msg, why_part))
        fail_msg("%s: expected %d:%d \"%s\", got %d:%d \"%s\"", text, line, col, why_part, err.line,
                 err.col, err.msg);
}

static void syntax_errors(void **state)
{
    (void)state;
    syntax_error_at("{\"a\": 1,}", 1, 8, "trailing comma");
    syntax_error_at("[1,\n 2,\n]", 2, 3, "trailing comma");
    syntax_error_at("{\"a\" 1}", 1, 6, "expected ':'");
    syntax_error_at("{\"a\": 1 \"b\": 2}", 1, 9, "missing comma");
    syntax_error_at("{'a': 1}", 1, 2, "single quote");
    syntax_error_at("{\"a\": [1, 2}", 1, 12, "expected ',' or ']'");
    syntax_error_at("{\"a\": tru}", 1, 7, "unquoted word");
    syntax_error_at("{\"a\": 1} x", 1, 10, "after the end");
    syntax_error_at("{\"a\": \"abc", 1, 7, "unterminated string");
    syntax_error_at("{a: 1}", 1, 2, "key in double quotes");
    syntax_error_at("{\"a\": 01}", 1, 7, "start with 0");
    syntax_error_at("// note\n{}", 1, 1, "no comments");
    syntax_error_at("", 1, 1, "end of file");
    syntax_error_at("{\"a\": 1.}", 1, 9, "decimal point");
    syntax_error_at("{\"a\": \"x\ny\"}", 1, 9, "line break");
    syntax_error_at("{\"a\": \"\\q\"}", 1, 8, "invalid escape");
    syntax_error_at("{\"a\": \"\\u12\"}", 1, 8, "four hex");
    syntax_error_at("{\"a\": {\"b\": 1}", 1, 15, "end of file");
    syntax_error_at("{\"a\": 1e}", 1, 9, "exponent");
}

static void text_is_utf8(void **state)
{
    pg_json_doc doc;
    pg_err err;
    const char *good = "{\"a\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"}";

    (void)state;
    assert_int_equal(pg_json_doc_parse(&doc, "s.json", good, strlen(good), &err), PG_OK);
    pg_json_doc_free(&doc);
    syntax_error_at("{\"a\": \"x\xff\"}", 1, 9, "invalid UTF-8 (byte 0xFF)");
    syntax_error_at("{\"a\": \"\xc3\xa9\xc0\xaf\"}", 1, 9, "byte 0xC0"); /* overlong '/' */
    syntax_error_at("{\"a\": \"\xed\xa0\x80\"}", 1, 8, "byte 0xED");     /* a surrogate */
    syntax_error_at("{\"a\": \"\xf4\x90\x80\x80\"}", 1, 8, "byte 0xF4"); /* past U+10FFFF */
    syntax_error_at("{\"a\": \"\xe2\x82\"}", 1, 8, "byte 0xE2");         /* cut short */
    syntax_error_at("{\"a\": \"\x80\"}", 1, 8, "byte 0x80");             /* a lone continuation */
}

static void nesting_limit(void **state)
{
    char deep[1000];
    (void)state;
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    deep[600] = '\0';
    syntax_error_at(deep, 1, 202, "nested");
}

static void byte_order_mark_and_nul(void **state)
{
    pg_json_doc doc;
    pg_err err;
    (void)state;
    assert_int_equal(pg_json_doc_parse(&doc, "bom.json", "\xEF\xBB\xBF{\"a\": 1}", 11, &err), 0);
    pg_json_doc_free(&doc);
    assert_int_equal(pg_json_doc_parse(&doc, "nul.json", "{\"a\":\0 1}", 9, &err), PG_EINVALID);
    assert_non_null(strstr(err.msg, "NUL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(positions_of_keys_and_values),
        cmocka_unit_test(syntax_errors),
        cmocka_unit_test(text_is_utf8),
        cmocka_unit_test(nesting_limit),
        cmocka_unit_test(byte_order_mark_and_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
