/* test_thresholds.c — thresholds judged on the whole run as k6 does, plus the
 * one every budget implies: some request got an answer. A dead target must
 * fail the gate even when the budget only has latency thresholds (which have
 * no data then and are skipped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/budget.h"
#include "stats/thresholds.h"

static const char budget_text[] =
    "{ \"name\": \"b\", \"target\": \"http://127.0.0.1:9\",\n"
    "  \"load\": { \"executor\": \"constant-vus\", \"vus\": 1, \"duration\": \"1s\" },\n"
    "  \"thresholds\": { \"http_req_duration\": [\"p(95)<200ms\"] },\n"
    "  \"scenarios\": [ { \"name\": \"s\", \"requests\": [ { \"path\": \"/\" } ] } ] }\n";

typedef struct fixture {
    pg_budget *budget;
    pg_budget_result result;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    pg_err err;
    pg_trial *t;

    assert_non_null(f);
    assert_int_equal(pg_budget_parse(&f->budget, "b.json", budget_text, strlen(budget_text), &err),
                     0);
    f->result.run.n_trials = 1;
    f->result.run.trials = calloc(1, sizeof *f->result.run.trials);
    t = &f->result.run.trials[0];
    assert_int_equal(pg_trial_init(t, 1, 1, &err), 0);
    t->duration_s = 1.0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    pg_budget_free(f->budget);
    pg_trial_clear(&f->result.run.trials[0]);
    free(f->result.run.trials);
    free(f->result.checks);
    for (size_t i = 0; i < f->result.run.n_gauges; i++)
        pg_gauge_clear(&f->result.run.gauges[i]);
    free(f->result.run.gauges);
    free(f);
    return 0;
}

static pg_trial *trial(void **state)
{
    return &((fixture *)*state)->result.run.trials[0];
}

static void evaluate(void **state)
{
    fixture *f = *state;
    pg_err err;

    assert_int_equal(pg_thresholds_evaluate(&f->result, f->budget, &err), 0);
}

static void refused_everywhere_fails_although_latency_has_no_data(void **state)
{
    fixture *f = *state;
    pg_trial *t = trial(state);

    t->requests = t->failed = 120;
    t->fails[PG_FAIL_REFUSED] = 100;
    t->fails[PG_FAIL_TIMEOUT] = 20;
    evaluate(state);
    assert_int_equal(f->result.n_checks, 2);
    assert_string_equal(f->result.checks[0].metric, "http_reqs");
    assert_string_equal(f->result.checks[0].expr, "answered>0");
    assert_int_equal(f->result.checks[0].verdict, PG_VERDICT_FAIL);
    assert_string_equal(f->result.checks[0].detail,
                        "no request got an answer: 120 of 120 failed (refused 100, timeout 20)");
    assert_int_equal(f->result.checks[1].verdict, PG_VERDICT_SKIPPED);
}

static void one_answer_is_enough_and_adds_no_row(void **state)
{
    fixture *f = *state;
    pg_trial *t = trial(state);

    t->requests = 120;
    t->failed = 119;
    t->fails[PG_FAIL_RESET] = 119;
    pg_hist_record(&t->duration, 1500);
    evaluate(state);
    assert_int_equal(f->result.n_checks, 1);
    assert_string_equal(f->result.checks[0].metric, "http_req_duration");
    assert_int_equal(f->result.checks[0].verdict, PG_VERDICT_PASS);
}

static void error_statuses_are_answers(void **state)
{
    fixture *f = *state;
    pg_trial *t = trial(state);

    /* a 503 is an answer: the error-rate threshold, not this one, judges it */
    t->requests = t->failed = 50;
    t->fails[PG_FAIL_STATUS] = 40;
    t->fails[PG_FAIL_EXPECT] = 10;
    for (int i = 0; i < 50; i++)
        pg_hist_record(&t->duration, 900);
    assert_int_equal(pg_trial_answered(t), 50);
    evaluate(state);
    assert_int_equal(f->result.n_checks, 1);
}

static void malformed_answers_are_not_answers(void **state)
{
    pg_trial *t = trial(state);

    t->requests = t->failed = 30;
    t->fails[PG_FAIL_PROTOCOL] = 10;
    t->fails[PG_FAIL_TLS] = 10;
    t->fails[PG_FAIL_OTHER] = 5;
    t->fails[PG_FAIL_DNS] = 5;
    assert_int_equal(pg_trial_answered(t), 0);
    t->requests = 31;
    assert_int_equal(pg_trial_answered(t), 1);
}

/* http_reqs counts answers: attempts against a dead target pass no rate>N */
static void http_reqs_are_answered_requests(void **state)
{
    fixture *f = *state;
    pg_trial *t = trial(state);
    pg_threshold th;
    char why[256];

    memset(&th, 0, sizeof th);
    th.def = pg_metric_lookup("http_reqs");
    assert_int_equal(pg_threshold_parse_expr("rate>100", th.def, &th, why, sizeof why), 0);
    t->requests = t->failed = 1000;
    t->fails[PG_FAIL_REFUSED] = 1000;
    assert_true(pg_threshold_observe(&th, t, &f->result.run, 1.0) == 0.0);
    assert_false(pg_threshold_holds(&th, pg_threshold_observe(&th, t, &f->result.run, 1.0)));
    t->fails[PG_FAIL_REFUSED] = 850;
    t->fails[PG_FAIL_STATUS] = 150; /* a 503 is an answer */
    assert_true(pg_threshold_observe(&th, t, &f->result.run, 1.0) == 150.0);
    assert_true(pg_threshold_holds(&th, pg_threshold_observe(&th, t, &f->result.run, 1.0)));
}

static void nothing_measured_is_not_a_dead_target(void **state)
{
    fixture *f = *state;

    /* interrupted during warm-up: no request at all, nothing to judge */
    evaluate(state);
    assert_int_equal(f->result.n_checks, 1);
    assert_int_equal(f->result.checks[0].verdict, PG_VERDICT_SKIPPED);
}

/* Thresholds on sampled levels aggregate the samples of the run. */
static void gauges_aggregate_their_samples(void **state)
{
    static const char text[] =
        "{ \"name\": \"b\", \"target\": \"http://127.0.0.1:9\",\n"
        "  \"load\": { \"executor\": \"constant-vus\", \"vus\": 1, \"duration\": \"1s\" },\n"
        "  \"monitor\": { \"pid\": 1, \"scrape\": [ { \"url\": \"http://127.0.0.1:9/m\",\n"
        "                \"gauges\": { \"queue\": \"q\" } } ] },\n"
        "  \"thresholds\": { \"target_cpu\": [\"max<70\", \"avg<50\"], \"target_rss\": "
        "[\"max<1MiB\"],\n"
        "                  \"queue\": [\"p(50)<=2\"], \"host_cpu\": [\"max<90\"] },\n"
        "  \"scenarios\": [ { \"name\": \"s\", \"requests\": [ { \"path\": \"/\" } ] } ] }\n";
    fixture *f = *state;
    pg_budget *b = NULL;
    pg_gauge_series *cpu, *rss, *q;
    pg_err err;

    assert_int_equal(pg_budget_parse(&b, "g.json", text, strlen(text), &err), 0);
    /* adding a series may move the others: take the pointers afterwards */
    assert_non_null(pg_budget_run_gauge_add(&f->result.run, "target_cpu", "%"));
    assert_non_null(pg_budget_run_gauge_add(&f->result.run, "target_rss", "bytes"));
    assert_non_null(pg_budget_run_gauge_add(&f->result.run, "queue", ""));
    cpu = &f->result.run.gauges[0];
    rss = &f->result.run.gauges[1];
    q = &f->result.run.gauges[2];
    for (int i = 0; i < 10; i++) {
        pg_gauge_append(cpu, i, i < 9 ? 40 : 80); /* avg 44, max 80 */
        pg_gauge_append(rss, i, 512.0 * 1024);
        pg_gauge_append(q, i, i % 4); /* 0 1 2 3 0 1 2 3 0 1: median 1 */
    }
    assert_int_equal(pg_thresholds_evaluate(&f->result, b, &err), 0);
    assert_int_equal(f->result.n_checks, 5);
    assert_int_equal(f->result.checks[0].verdict, PG_VERDICT_FAIL);
    assert_string_equal(f->result.checks[0].detail, "target_cpu max 80% breaks max<70");
    assert_int_equal(f->result.checks[1].verdict, PG_VERDICT_PASS);
    assert_string_equal(f->result.checks[1].detail, "target_cpu avg 44% < 50%");
    assert_string_equal(f->result.checks[2].detail, "target_rss max 512KiB < 1.00MiB");
    assert_int_equal(f->result.checks[3].verdict, PG_VERDICT_PASS);
    assert_true(f->result.checks[3].observed == 1);
    /* not sampled (no /proc here): skipped, as k6 skips a metric without data */
    assert_int_equal(f->result.checks[4].verdict, PG_VERDICT_SKIPPED);
    pg_budget_free(b);
}

/* breaking-point: capacity_rps thresholds judge the trials' capacities,
 * and a run whose every staircase broke at its first step fails. */
static void capacity_of_the_trials(void **state)
{
    static const char text[] =
        "{ \"name\": \"b\", \"target\": \"http://127.0.0.1:9\",\n"
        "  \"load\": { \"executor\": \"breaking-point\", \"start\": 100, \"step\": 100,\n"
        "            \"max\": 900, \"step_duration\": \"1s\" },\n"
        "  \"trials\": 1, \"regression\": false,\n"
        "  \"thresholds\": { \"capacity_rps\": [\"med>=500\"] },\n"
        "  \"scenarios\": [ { \"name\": \"s\", \"requests\": [ { \"path\": \"/\" } ] } ] }\n";
    fixture *f = *state;
    pg_capacity_step step = {0};
    pg_budget *b = NULL;
    pg_err err;

    assert_int_equal(pg_budget_parse(&b, "c.json", text, strlen(text), &err), 0);
    step.rate = 100;
    snprintf(step.why, sizeof step.why, "http_req_duration p(95) 80ms breaks p(95)<50ms");
    f->result.run.steps = &step;
    f->result.run.n_steps = 1;
    trial(state)->requests = 100;
    pg_hist_record(&trial(state)->duration, 80000);
    trial(state)->capacity_rps = 0;
    assert_int_equal(pg_thresholds_evaluate(&f->result, b, &err), 0);
    assert_int_equal(f->result.n_checks, 2);
    assert_string_equal(f->result.checks[0].expr, "held>0");
    assert_string_equal(f->result.checks[0].detail,
                        "no step held: the first, 100/s, broke (http_req_duration p(95) 80ms "
                        "breaks p(95)<50ms)");
    assert_string_equal(f->result.checks[1].detail, "capacity_rps med 0/s breaks med>=500");

    free(f->result.checks);
    f->result.checks = NULL;
    f->result.n_checks = 0;
    trial(state)->capacity_rps = 600;
    assert_int_equal(pg_thresholds_evaluate(&f->result, b, &err), 0);
    assert_int_equal(f->result.n_checks, 1);
    assert_string_equal(f->result.checks[0].detail, "capacity_rps med 600.0/s >= 500.0/s");
    f->result.run.steps = NULL;
    f->result.run.n_steps = 0;
    pg_budget_free(b);
}

static void every_kind_has_a_name_and_a_hint(void **state)
{
    (void)state;
    for (int i = 0; i < PG_FAIL_KINDS; i++) {
        assert_non_null(pg_fail_kind_names[i]);
        assert_true(strlen(pg_fail_kind_hints[i]) > 10);
    }
    assert_string_equal(pg_fail_kind_names[PG_FAIL_PROTOCOL], "protocol");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(refused_everywhere_fails_although_latency_has_no_data,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(one_answer_is_enough_and_adds_no_row, setup, teardown),
        cmocka_unit_test_setup_teardown(error_statuses_are_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_answers_are_not_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(http_reqs_are_answered_requests, setup, teardown),
        cmocka_unit_test_setup_teardown(nothing_measured_is_not_a_dead_target, setup, teardown),
        cmocka_unit_test_setup_teardown(gauges_aggregate_their_samples, setup, teardown),
        cmocka_unit_test_setup_teardown(capacity_of_the_trials, setup, teardown),
        cmocka_unit_test(every_kind_has_a_name_and_a_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
