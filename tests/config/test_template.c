/* test_template.c — templates: parsed once with positioned errors, rendered
 * with each value encoded for where it lands. Percent-encoding is compared
 * with Python's urllib.parse.quote(value, safe="") (the expected strings
 * below are its output); a value inside a JSON string of a body must come
 * back unchanged when the body is parsed as JSON (cJSON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "config/template.h"

/* Names: "u.name", "u.n" (fields 0 and 1), "token" (variable 0). */
static int resolve(void *ctx, const char *name, size_t len, pg_tpl_part *part, char *why,
                   size_t why_size)
{
    (void)ctx;
    if (len == 6 && memcmp(name, "u.name", 6) == 0) {
        part->kind = PG_TPL_FIELD;
        part->index = 0;
        return 0;
    }
    if (len == 3 && memcmp(name, "u.n", 3) == 0) {
        part->kind = PG_TPL_FIELD;
        part->index = 1;
        return 0;
    }
    if (len == 5 && memcmp(name, "token", 5) == 0) {
        part->kind = PG_TPL_VAR;
        part->index = 0;
        return 0;
    }
    snprintf(why, why_size, "unknown %.*s", (int)len, name);
    return -1;
}

static pg_dataset data;
static uint64_t rng = 42;

static int setup(void **state)
{
    static const char csv[] = "name,n\n"
                              "\"a b/c?d=\xc3\xa9&~x\",7\n"
                              "\"say \"\"hi\"\"\\ \n\t\",8\n";
    pg_err err;
    (void)state;
    return pg_dataset_parse_csv(&data, "u.csv", csv, sizeof csv - 1, &err);
}

static int teardown(void **state)
{
    (void)state;
    pg_dataset_clear(&data);
    return 0;
}

/* Renders s at place with record `record` and token value `token`. */
static char *render(const char *s, pg_tpl_place place, size_t record, const char *token)
{
    pg_template t;
    pg_buf out = {0};
    char why[256], *vars[1] = {(char *)token};
    size_t at = 0;
    pg_tpl_values v = {&data, record, vars, 17, &rng};

    assert_int_equal(
        pg_template_parse(&t, s, strlen(s), place, resolve, NULL, &at, why, sizeof why), 0);
    pg_template_render(&t, &v, &out);
    pg_template_clear(&t);
    assert_false(pg_buf_failed(&out));
    return out.data ? out.data : calloc(1, 1);
}

static void expect_render(const char *s, pg_tpl_place place, size_t record, const char *want)
{
    char *got = render(s, place, record, "tok");
    assert_string_equal(got, want);
    free(got);
}

static void literal_text_stays(void **state)
{
    pg_template t;
    char why[256];
    size_t at;

    (void)state;
    expect_render("/plain/path", PG_TPL_IN_PATH, 0, "/plain/path");
    expect_render("a {{{{ b", PG_TPL_IN_BODY, 0, "a {{ b");
    expect_render("cost $5 and $${HOME}", PG_TPL_IN_BODY, 0, "cost $5 and ${HOME}");
    expect_render("{ \"a\": 1 }", PG_TPL_IN_BODY, 0, "{ \"a\": 1 }");
    assert_int_equal(
        pg_template_parse(&t, "/x{{{{y", 7, PG_TPL_IN_PATH, resolve, NULL, &at, why, sizeof why),
        0);
    assert_false(t.dynamic);
    pg_template_clear(&t);
}

static void values_are_encoded_for_their_place(void **state)
{
    (void)state;
    /* urllib.parse.quote("a b/c?d=é&~x", safe="") */
    expect_render("/items/{{u.name}}?n={{u.n}}", PG_TPL_IN_PATH, 0,
                  "/items/a%20b%2Fc%3Fd%3D%C3%A9%26~x?n=7");
    expect_render("Bearer {{token}}", PG_TPL_IN_HEADER, 1, "Bearer tok");
    /* a line break cannot start a header of its own */
    expect_render("x {{u.name}}", PG_TPL_IN_HEADER, 1, "x say \"hi\"\\ \t");
    /* outside a JSON string, a body takes the value as it is */
    expect_render("n={{u.n}}&raw={{u.name}}", PG_TPL_IN_BODY, 0, "n=7&raw=a b/c?d=\xc3\xa9&~x");
}

static void json_strings_round_trip(void **state)
{
    char *body;
    cJSON *doc;

    (void)state;
    for (size_t record = 0; record < 2; record++) {
        body = render("{\"name\": \"<{{u.name}}>\", \"n\": {{u.n}}, \"q\": \"\\\"{{token}}\"}",
                      PG_TPL_IN_BODY, record, "t\"k");
        assert_non_null(doc = cJSON_Parse(body));
        {
            char want[64];
            snprintf(want, sizeof want, "<%s>", pg_dataset_cell(&data, record, 0));
            assert_string_equal(cJSON_GetObjectItem(doc, "name")->valuestring, want);
        }
        assert_int_equal(cJSON_GetObjectItem(doc, "n")->valueint, 7 + (int)record);
        assert_string_equal(cJSON_GetObjectItem(doc, "q")->valuestring, "\"t\"k");
        cJSON_Delete(doc);
        free(body);
    }
}

static void environment_values(void **state)
{
    (void)state;
    setenv("PG_TPL_TEST", "a/b c", 1);
    expect_render("/x/${PG_TPL_TEST}", PG_TPL_IN_PATH, 0, "/x/a%2Fb%20c");
    expect_render("${PG_TPL_TEST}", PG_TPL_IN_HEADER, 0, "a/b c");
    expect_render("{\"e\": \"${PG_TPL_TEST}\"}", PG_TPL_IN_BODY, 0, "{\"e\": \"a/b c\"}");
}

static void builtins(void **state)
{
    int seen[4] = {0};

    (void)state;
    expect_render("/i/{{$iteration}}", PG_TPL_IN_PATH, 0, "/i/17");
    expect_render("{{token}}", PG_TPL_IN_BODY, 0, "tok");
    for (int i = 0; i < 200; i++) {
        char *u = render("{{$uuid}}", PG_TPL_IN_BODY, 0, NULL), *r;
        assert_int_equal(strlen(u), 36);
        for (int k = 0; k < 36; k++)
            if (k == 8 || k == 13 || k == 18 || k == 23)
                assert_int_equal(u[k], '-');
            else
                assert_non_null(strchr("0123456789abcdef", u[k]));
        assert_int_equal(u[14], '4');           /* version 4 */
        assert_non_null(strchr("89ab", u[19])); /* RFC 4122 variant */
        free(u);
        r = render("{{ $random 1 3 }}", PG_TPL_IN_BODY, 0, NULL);
        assert_true(atoi(r) >= 1 && atoi(r) <= 3);
        seen[atoi(r)]++;
        free(r);
    }
    assert_true(seen[1] && seen[2] && seen[3]);
    /* a value not extracted (yet) renders as nothing */
    {
        char *s = render("[{{token}}]", PG_TPL_IN_BODY, 0, NULL);
        assert_string_equal(s, "[]");
        free(s);
    }
}

static void refused_at(const char *s, size_t want_at, const char *words)
{
    pg_template t;
    char why[512] = "";
    size_t at = 999;

    assert_int_equal(
        pg_template_parse(&t, s, strlen(s), PG_TPL_IN_PATH, resolve, NULL, &at, why, sizeof why),
        PG_EINVALID);
    if (at != want_at || !strstr(why, words))
        print_error("%s -> at %zu: %s\n", s, at, why);
    assert_int_equal(at, want_at);
    assert_non_null(strstr(why, words));
    assert_null(t.parts);
}

static void mistakes_say_where(void **state)
{
    (void)state;
    unsetenv("PG_TPL_UNSET");
    refused_at("/a/{{u.name", 3, "without \"}}\"");
    refused_at("/a/{{ nope }}", 6, "unknown nope");
    refused_at("/a/{{$uid}}", 5, "unknown built-in {{$uid}}");
    refused_at("/a/{{$random 5 1}}", 5, "LO <= HI");
    refused_at("/a/{{$random x}}", 5, "two whole numbers");
    refused_at("/a/{{}}", 3, "names nothing");
    refused_at("/a/{{a b}}", 6, "letters, digits");
    refused_at("/a/${PG_TPL_UNSET}", 3, "uses ${PG_TPL_UNSET}, which is not set");
    refused_at("/a/${1x}", 3, "is not a variable");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literal_text_stays),
        cmocka_unit_test(values_are_encoded_for_their_place),
        cmocka_unit_test(json_strings_round_trip),
        cmocka_unit_test(environment_values),
        cmocka_unit_test(builtins),
        cmocka_unit_test(mistakes_say_where),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
