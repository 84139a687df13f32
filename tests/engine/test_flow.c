/* test_flow.c — what a slot carries between requests: records handed out in
 * turn, at random or once each across workers and shards; requests rendered
 * from a parsed budget; values extracted from answers; "vu" values that let
 * a login be skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/flow.h"

static pg_dataset ten(pg_data_order order)
{
    pg_dataset d = {0};
    pg_err err;
    static const char csv[] = "n\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n";

    assert_int_equal(pg_dataset_parse_csv(&d, "ten.csv", csv, sizeof csv - 1, &err), 0);
    d.order = order;
    return d;
}

static void unique_records_split_between_shards(void **state)
{
    pg_budget b = {0};
    pg_dataset d = ten(PG_DATA_UNIQUE);
    pg_feed shard[3];
    int seen[10] = {0};
    uint64_t rng = 1;
    size_t r, total = 0;

    (void)state;
    b.datasets = &d;
    b.n_datasets = 1;
    for (unsigned s = 0; s < 3; s++) {
        assert_int_equal(pg_feed_init(&shard[s], &b, s, 3), 0);
        while (pg_feed_next(&shard[s], &d, 0, &rng, &r) == 0) {
            assert_int_equal(r % 3, s); /* shard I of N takes I, I+N, ... */
            seen[r]++;
            total++;
        }
        assert_int_equal(pg_feed_next(&shard[s], &d, 0, &rng, &r), -1); /* stays run out */
        pg_feed_free(&shard[s]);
    }
    assert_int_equal(total, 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(seen[i], 1);
    pg_dataset_clear(&d);
}

static void sequential_wraps_and_random_stays_in_range(void **state)
{
    pg_budget b = {0};
    pg_dataset seq = ten(PG_DATA_SEQUENTIAL), rnd = ten(PG_DATA_RANDOM);
    pg_feed feed;
    uint64_t rng = 7;
    size_t r;
    int seen[10] = {0};

    (void)state;
    b.datasets = &seq;
    b.n_datasets = 1;
    assert_int_equal(pg_feed_init(&feed, &b, 0, 1), 0);
    for (size_t i = 0; i < 25; i++) {
        assert_int_equal(pg_feed_next(&feed, &seq, 0, &rng, &r), 0);
        assert_int_equal(r, i % 10);
    }
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(pg_feed_next(&feed, &rnd, 0, &rng, &r), 0);
        assert_true(r < 10);
        seen[r]++;
    }
    for (int i = 0; i < 10; i++)
        assert_true(seen[i] > 50); /* 100 expected each */
    pg_feed_free(&feed);
    pg_dataset_clear(&seq);
    pg_dataset_clear(&rnd);
}

static const char budget_text[] =
    "{ \"name\": \"f\", \"target\": \"http://127.0.0.1:9\",\n"
    "  \"load\": { \"executor\": \"constant-vus\", \"vus\": 1, \"duration\": \"1s\" },\n"
    "  \"scenarios\": [ { \"name\": \"s\", \"requests\": [\n"
    "    { \"method\": \"POST\", \"path\": \"/login\", \"body\": \"x\",\n"
    "      \"extract\": { \"token\": { \"json\": \"auth.token\", \"scope\": \"vu\" } } },\n"
    "    { \"path\": \"/items/{{token}}\", \"extract\": { \"id\": { \"regex\": \"id=([0-9]+)\" },\n"
    "      \"whole\": { \"regex\": \"[a-z]+\" } } },\n"
    "    { \"path\": \"/i/{{id}}/{{whole}}\", \"headers\": { \"A\": \"Bearer {{token}}\", \"B\": "
    "\"b\" },\n"
    "      \"method\": \"PUT\", \"body\": \"{\\\"t\\\": \\\"{{token}}\\\"}\" },\n"
    /* built-ins in a path: prepared before any slot has a generator */
    "    { \"path\": \"/u/{{$uuid}}/{{$random 1 9}}\" } ] } ] }\n";

static void render_extract_and_skip(void **state)
{
    pg_budget *b;
    pg_prepared plan;
    pg_flow f;
    pg_err err;
    char why[256], body[] = "{\"auth\": {\"token\": \"t\\\"1\"}}", page[] = "see id=42 here";
    const pg_prepared_scenario *ps;
    uint64_t rng = 3;

    (void)state;
    assert_int_equal(pg_budget_parse(&b, "f.json", budget_text, strlen(budget_text), &err), 0);
    assert_int_equal(pg_prepared_build(&plan, b, &err), 0);
    assert_int_equal(pg_flow_init(&f, &plan), 0);
    ps = &plan.scenarios[0];
    pg_flow_begin(&f, &plan, ps->sc, 0);
    assert_false(pg_flow_skip(&f, ps, 0)); /* no token yet: log in */
    assert_int_equal(
        pg_flow_extract(&f, ps->requests[0].req, NULL, body, strlen(body), why, sizeof why), 0);
    assert_string_equal(f.vars[0], "t\"1");
    assert_int_equal(
        pg_flow_extract(&f, ps->requests[1].req, NULL, page, strlen(page), why, sizeof why), 0);
    assert_string_equal(f.vars[1], "42");  /* the group */
    assert_string_equal(f.vars[2], "see"); /* the whole match */
    assert_int_equal(pg_flow_render(&f, &plan, &ps->requests[2], &rng), 0);
    assert_string_equal(pg_buf_str(&f.url), "http://127.0.0.1:9/i/42/see");
    assert_string_equal(f.header_nodes[0].data, "A: Bearer t\"1");
    assert_ptr_equal(f.header_nodes[0].next, &f.header_nodes[1]);
    assert_string_equal(f.header_nodes[1].data, "B: b");
    assert_null(f.header_nodes[1].next);
    assert_string_equal(pg_buf_str(&f.body), "{\"t\": \"t\\\"1\"}"); /* escaped in a string */
    assert_int_equal(pg_flow_render(&f, &plan, &ps->requests[3], &rng), 0);
    assert_int_equal(strlen(pg_buf_str(&f.url)), strlen("http://127.0.0.1:9/u/") + 36 + 2);
    /* the next iteration keeps the "vu" token, forgets the rest, skips the login */
    pg_flow_begin(&f, &plan, ps->sc, 1);
    assert_non_null(f.vars[0]);
    assert_null(f.vars[1]);
    assert_true(pg_flow_skip(&f, ps, 0));
    /* a value not in the answer: an error that says which and where */
    assert_int_equal(
        pg_flow_extract(&f, ps->requests[1].req, NULL, body, strlen(body), why, sizeof why), -1);
    assert_non_null(strstr(why, "no value for {{id}}: the answer has no regex \"id=([0-9]+)\""));
    assert_int_equal(
        pg_flow_extract(&f, ps->requests[0].req, NULL, page, strlen(page), why, sizeof why), -1);
    assert_non_null(strstr(why, "no json \"auth.token\""));
    pg_flow_free(&f);
    pg_prepared_free(&plan);
    pg_budget_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unique_records_split_between_shards),
        cmocka_unit_test(sequential_wraps_and_random_stays_in_range),
        cmocka_unit_test(render_extract_and_skip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
