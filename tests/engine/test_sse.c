/* test_sse.c — text/event-stream parsing as the WHATWG standard defines it,
 * whatever the pieces the body arrives in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/sse.h"

typedef struct seen {
    int n;
    char text[8][64];
    int empty[8], truncated[8];
} seen;

static void on_event(void *arg, const pg_sse_event *ev)
{
    seen *s = arg;

    assert_int_equal(strlen(ev->data), ev->len);
    if (s->n < 8) {
        snprintf(s->text[s->n], sizeof s->text[0], "%s", ev->data);
        s->empty[s->n] = ev->empty;
        s->truncated[s->n] = ev->truncated;
    }
    s->n++;
}

static void on_length(void *arg, const pg_sse_event *ev)
{
    assert_int_equal(ev->data[ev->len], '\0');
    *(size_t *)arg = ev->len;
}

/* Parses text whole, then one byte at a time, then in pieces of 3: the
 * events must be the same every way. */
static seen parse(const char *text, size_t cap)
{
    seen whole = {0};
    size_t len = strlen(text);
    pg_sse p;

    assert_int_equal(pg_sse_init(&p, cap), 0);
    pg_sse_feed(&p, text, len, on_event, &whole);
    for (size_t step = 1; step <= 3; step += 2) {
        seen pieces = {0};
        pg_sse_reset(&p);
        for (size_t i = 0; i < len; i += step)
            pg_sse_feed(&p, text + i, len - i < step ? len - i : step, on_event, &pieces);
        assert_int_equal(pieces.n, whole.n);
        assert_memory_equal(&pieces, &whole, sizeof whole);
    }
    pg_sse_free(&p);
    return whole;
}

static void one_event_per_blank_line(void **state)
{
    seen s;

    (void)state;
    s = parse("data: hello\n\ndata: world\n\n", 64);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.text[0], "hello");
    assert_string_equal(s.text[1], "world");
    assert_false(s.empty[0]);
    /* as perfgate serve sends them */
    s = parse("id: 0\nevent: message\ndata: {\"seq\":0,\"text\":\"token0\"}\n\n", 64);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.text[0], "{\"seq\":0,\"text\":\"token0\"}");
}

static void data_lines_join_with_line_feeds(void **state)
{
    seen s;

    (void)state;
    s = parse("data: a\ndata: b\ndata:c\n\n", 64);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.text[0], "a\nb\nc");
    s = parse("data:  two spaces\n\n", 64); /* only the first space goes */
    assert_string_equal(s.text[0], " two spaces");
    s = parse("data: x:y: z\n\n", 64); /* only the first colon splits */
    assert_string_equal(s.text[0], "x:y: z");
}

static void every_line_ending(void **state)
{
    seen s;

    (void)state;
    s = parse("data: crlf\r\n\r\ndata: cr\r\rdata: lf\n\n", 64);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.text[0], "crlf");
    assert_string_equal(s.text[1], "cr");
    assert_string_equal(s.text[2], "lf");
}

static void comments_and_other_fields_make_no_event(void **state)
{
    seen s;

    (void)state;
    s = parse(": keep-alive\n\nevent: ping\nid: 7\nretry: 100\n\n\n\n", 64);
    assert_int_equal(s.n, 0);
    s = parse(": comment\ndata: x\n: another\n\n", 64);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.text[0], "x");
    s = parse("dataset: no\ndat: no\ndatadatadatadata: no\n\n", 64);
    assert_int_equal(s.n, 0);
}

static void empty_data_is_an_event_marked_empty(void **state)
{
    seen s;

    (void)state;
    s = parse("data\n\ndata:\n\ndata: \n\n", 64);
    assert_int_equal(s.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_true(s.empty[i]);
        assert_string_equal(s.text[i], "");
    }
    s = parse("data\ndata: x\n\n", 64);
    assert_false(s.empty[0]);
    assert_string_equal(s.text[0], "\nx");
}

static void an_unfinished_event_is_dropped(void **state)
{
    seen s;

    (void)state;
    s = parse("data: done\n\ndata: cut off", 64);
    assert_int_equal(s.n, 1);
    s = parse("data: cut off\n", 64);
    assert_int_equal(s.n, 0);
}

static void byte_order_mark(void **state)
{
    seen s;

    (void)state;
    s = parse("\xEF\xBB\xBF"
              "data: after a BOM\n\n",
              64);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.text[0], "after a BOM");
    /* the start of one that is not: its bytes are text (a field name here) */
    s = parse("\xEF\xBB"
              "data: x\n\ndata: y\n\n",
              64);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.text[0], "y");
}

static void text_is_capped_and_counting_needs_none(void **state)
{
    seen s;

    (void)state;
    s = parse("data: abcdefgh\n\ndata: ab\n\n", 4);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.text[0], "abcd");
    assert_true(s.truncated[0]);
    assert_string_equal(s.text[1], "ab");
    assert_false(s.truncated[1]);
    s = parse("data: kept nowhere\n\ndata:\n\n", 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.text[0], "");
    assert_false(s.empty[0]);
    assert_true(s.empty[1]);
}

/* Found by fuzz_sse: a NUL byte inside data is text, not the end of it. */
static void nul_bytes_are_text(void **state)
{
    static const char body[] = "data: a\0b\n\n";
    pg_sse p;
    size_t len = 0;

    (void)state;
    assert_int_equal(pg_sse_init(&p, 64), 0);
    pg_sse_feed(&p, body, sizeof body - 1, on_length, &len);
    assert_int_equal(len, 3);
    pg_sse_free(&p);
}

static uint64_t tokens(const char *data, const char *path)
{
    return pg_sse_tokens(data, strlen(data), path);
}

static void tokens_by_path(void **state)
{
    const char *openai = "{\"choices\":[{\"delta\":{\"content\":\"H\xc3\xa9llo\"}}]}";

    (void)state;
    assert_int_equal(tokens(openai, "choices.0.delta.content"), 5);
    assert_int_equal(tokens(openai, "choices.1.delta.content"), 0);
    assert_int_equal(tokens(openai, "choices.x"), 0);
    assert_int_equal(tokens(openai, "choices"), 1); /* an array: items */
    assert_int_equal(tokens("{\"usage\":{\"n\":12}}", "usage.n"), 12);
    assert_int_equal(tokens("{\"seq\":0,\"text\":\"token0\"}", "text"), 6);
    assert_int_equal(tokens("[DONE]", "text"), 0); /* not JSON */
    assert_int_equal(tokens("{\"a\":-3}", "a"), 0);
    assert_int_equal(tokens("", "a"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_event_per_blank_line),
        cmocka_unit_test(data_lines_join_with_line_feeds),
        cmocka_unit_test(every_line_ending),
        cmocka_unit_test(comments_and_other_fields_make_no_event),
        cmocka_unit_test(empty_data_is_an_event_marked_empty),
        cmocka_unit_test(an_unfinished_event_is_dropped),
        cmocka_unit_test(byte_order_mark),
        cmocka_unit_test(text_is_capped_and_counting_needs_none),
        cmocka_unit_test(tokens_by_path),
        cmocka_unit_test(nul_bytes_are_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
