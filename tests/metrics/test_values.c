/* test_values.c — reading a results file for comparison (metrics/values.c):
 * every threshold check it carries is kept, with its verdict, and a check
 * whose verdict is none perfgate writes is a bad input naming the file, so
 * no check can drop out of the gate on the way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "metrics/values.h"

#define TRIAL                                                                                      \
    "{\"latency_us\":{\"p50\":1,\"p90\":2,\"p95\":3,\"p99\":4,\"p999\":5,\"mean\":2},"             \
    "\"ttfb_us\":{\"p50\":1,\"p95\":2,\"p99\":3},\"rps\":100,\"error_rate\":0}"

static int parse(pg_results_values *v, const char *verdict, pg_err *err)
{
    char text[1024];
    void *doc = NULL;
    int rc;

    snprintf(text, sizeof text,
             "{\"format\":\"perfgate-results/1\",\"budgets\":[{\"name\":\"api\",\"trials\":[" TRIAL
             "," TRIAL "],\"checks\":[{\"kind\":\"threshold\",\"metric\":\"http_req_duration\","
             "\"expr\":\"p(95)<1ms\",\"verdict\":\"%s\"}]}]}",
             verdict);
    assert_int_equal(pg_results_parse(&doc, text, "r.json", err), 0);
    rc = pg_values_parse(v, doc, "r.json", err);
    cJSON_Delete(doc);
    return rc;
}

static void checks_keep_their_verdicts(void **state)
{
    static const struct {
        const char *text;
        pg_verdict verdict;
    } known[] = {{"pass", PG_VERDICT_PASS},
                 {"fail", PG_VERDICT_FAIL},
                 {"inconclusive", PG_VERDICT_INCONCLUSIVE},
                 {"skipped", PG_VERDICT_SKIPPED}};
    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        pg_results_values v;
        pg_err err;
        assert_int_equal(parse(&v, known[i].text, &err), 0);
        assert_int_equal(v.n_budgets, 1);
        assert_int_equal(v.budgets[0].n_trials, 2);
        assert_int_equal(v.budgets[0].n_checks, 1);
        assert_int_equal(v.budgets[0].checks[0].verdict, known[i].verdict);
        pg_values_clear(&v);
    }
}

static void an_unknown_verdict_is_bad_input(void **state)
{
    static const char *const unknown[] = {"undecided", "PASS", "", "maybe"};
    (void)state;
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        pg_results_values v;
        pg_err err;
        assert_int_equal(parse(&v, unknown[i], &err), PG_EINVALID);
        assert_string_equal(err.file, "r.json");
        assert_non_null(strstr(err.msg, "\"verdict\" is not one of pass, fail"));
        assert_int_equal(v.n_budgets, 0); /* nothing half-read is left */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checks_keep_their_verdicts),
        cmocka_unit_test(an_unknown_verdict_is_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
