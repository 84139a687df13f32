/* test_results_json.c — the results file has every field docs/design.md lists
 * (perfgate-results/1), is written atomically, and its histograms decode
 * back to the measured distribution. */
#include <cjson/cJSON.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/file.h"
#include "metrics/results.h"
#include "metrics/results_read.h"
#include "metrics/values.h"

static char *strdup_or_die(const char *s)
{
    char *p = malloc(strlen(s) + 1);
    assert_non_null(p);
    strcpy(p, s);
    return p;
}

static void fill(pg_results *r)
{
    pg_budget_result *b;
    pg_err err;

    memset(r, 0, sizeof *r);
    snprintf(r->commit, sizeof r->commit, "0123456789abcdef0123456789abcdef01234567");
    snprintf(r->ref, sizeof r->ref, "main");
    pg_env_detect(&r->env);
    pg_results_stamp(r);
    r->budgets = calloc(1, sizeof *r->budgets);
    r->n_budgets = 1;
    b = &r->budgets[0];
    b->name = strdup_or_die("catalog");
    b->path = strdup_or_die("budgets/catalog.json");
    b->target = strdup_or_die("http://127.0.0.1:8080");
    b->run.n_trials = 2;
    b->run.trials = calloc(2, sizeof *b->run.trials);
    b->run.n_scenarios = 1;
    b->run.scenario_names = calloc(1, sizeof(char *));
    b->run.scenario_names[0] = strdup_or_die("browse");
    b->run.n_names = 1;
    b->run.names = calloc(1, sizeof(char *));
    b->run.names[0] = strdup_or_die("GET /");
    for (int t = 0; t < 2; t++) {
        pg_trial *tr = &b->run.trials[t];
        assert_int_equal(pg_trial_init(tr, 1, 1, &err), 0);
        tr->duration_s = 1.0;
        for (uint64_t v = 1000; v < 3000; v++) {
            pg_hist_record(&tr->duration, v + (uint64_t)t * 100);
            pg_hist_record(&tr->duration_raw, v);
            pg_hist_record(&tr->waiting, v / 2);
            pg_hist_record(&tr->by_scenario[0], v);
            pg_hist_record(&tr->by_name[0], v);
        }
        tr->requests = 2000;
        tr->status[200] = 1990;
        tr->status[503] = 10;
        tr->failed = 10;
        tr->fails[PG_FAIL_STATUS] = 10;
    }
    b->run.n_timeline = 2;
    b->run.timeline = calloc(2, sizeof *b->run.timeline);
    b->run.timeline[0] = (pg_timeline_point){0.0, 2000, 10, 0, 1990, 2950};
    b->run.timeline[1] = (pg_timeline_point){1.0, 2000, 10, 0, 2090, 3050};
    b->n_checks = 1;
    b->checks = calloc(1, sizeof *b->checks);
    snprintf(b->checks[0].kind, sizeof b->checks[0].kind, "threshold");
    snprintf(b->checks[0].metric, sizeof b->checks[0].metric, "http_req_duration");
    snprintf(b->checks[0].expr, sizeof b->checks[0].expr, "p(95)<200ms");
    b->checks[0].verdict = PG_VERDICT_PASS;
    b->checks[0].observed = 2950;
}

static const cJSON *must(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        fail_msg("missing \"%s\"", key);
    return v;
}

static void has_documented_fields(void **state)
{
    pg_results r;
    pg_err err;
    char path[] = "/tmp/pg_results_XXXXXX", *text = NULL;
    const cJSON *b, *t, *lat;
    cJSON *doc;
    pg_hist back;
    int fd = mkstemp(path);
    (void)state;

    close(fd);
    fill(&r);
    /* the service's run-queue wait, measured in the second trial only:
     * 0.5 s over 2,000 answered requests */
    r.budgets[0].run.trials[1].service_wait_s = 0.5;
    assert_int_equal(pg_results_write(&r, path, &err), 0);
    assert_int_equal(pg_file_read(&text, NULL, path, 0, &err), 0);
    assert_non_null(doc = cJSON_Parse(text));
    assert_string_equal(must(doc, "format")->valuestring, "perfgate-results/1");
    assert_int_equal(strlen(must(doc, "commit")->valuestring), 40);
    must(doc, "ref");
    assert_true(strlen(must(doc, "created")->valuestring) == 20); /* 2026-11-25T06:00:00Z */
    assert_true(cJSON_IsFalse(must(doc, "interrupted")));
    must(must(doc, "env"), "host");
    must(must(doc, "env"), "cpu");
    assert_true(must(must(doc, "env"), "cores")->valuedouble >= 1);
    must(must(doc, "env"), "kernel");
    must(must(doc, "env"), "perfgate");
    b = cJSON_GetArrayItem(must(doc, "budgets"), 0);
    assert_string_equal(must(b, "name")->valuestring, "catalog");
    assert_int_equal(cJSON_GetArraySize(must(b, "trials")), 2);
    t = cJSON_GetArrayItem(must(b, "trials"), 1);
    assert_true(must(t, "requests")->valuedouble == 2000);
    assert_true(must(t, "errors")->valuedouble == 10);
    assert_true(must(t, "dropped")->valuedouble == 0);
    assert_true(must(t, "duration_s")->valuedouble == 1.0);
    assert_true(must(t, "rps")->valuedouble == 2000.0);
    assert_true(must(t, "service_wait_us")->valuedouble == 250.0);
    assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(must(b, "trials"), 0),
                                                 "service_wait_us")); /* not measured: absent */
    lat = must(t, "latency_us");
    for (const char *const *k = (const char *const[]){"min", "p50", "p90", "p95", "p99", "p999",
                                                      "max", "mean", "stdev", NULL};
         *k; k++)
        must(lat, *k);
    assert_true(must(lat, "min")->valuedouble == 1100);
    must(t, "ttfb_us");
    assert_true(must(must(t, "status"), "503")->valuedouble == 10);
    assert_true(must(must(t, "errors_by_kind"), "status")->valuedouble == 10);
    must(must(t, "scenarios"), "browse");
    must(must(t, "requests_by_name"), "GET /");
    /* each trial gets the timeline seconds that fall inside it */
    assert_int_equal(cJSON_GetArraySize(must(t, "timeline")), 1);
    assert_true(must(cJSON_GetArrayItem(must(t, "timeline"), 0), "t")->valuedouble == 1.0);
    assert_int_equal(pg_hist_decode(&back, must(t, "histogram")->valuestring, &err), 0);
    assert_memory_equal(back.counts, r.budgets[0].run.trials[1].duration.counts,
                        sizeof back.counts);
    assert_true(must(must(b, "summary"), "requests")->valuedouble == 4000);
    assert_string_equal(must(cJSON_GetArrayItem(must(b, "checks"), 0), "verdict")->valuestring,
                        "pass");
    cJSON_Delete(doc);
    free(text);
    {
        pg_results_values v; /* read back for a comparison: absent is NAN, not 0 */
        assert_int_equal(pg_values_load(&v, path, &err), 0);
        assert_true(isnan(v.budgets[0].service_wait[0]));
        assert_true(v.budgets[0].service_wait[1] == 250.0);
        pg_values_clear(&v);
    }
    unlink(path);
    pg_results_clear(&r);
}

/* breaking-point: each trial is its capacity step; the staircase and the
 * resources sampled over it are in the file, per trial where they belong,
 * and read back (perfgate merge, report) to the same text. */
static void staircase_and_resources(void **state)
{
    pg_results r, back;
    pg_budget_run *run;
    pg_gauge_series *g;
    cJSON *doc, *doc2, *t0, *t1;
    char *text, *again;
    pg_err err;
    (void)state;

    fill(&r);
    run = &r.budgets[0].run;
    run->trials[0].capacity_rps = 300;
    run->trials[1].capacity_rps = 400;
    run->trials[1].capacity_at_max = 1;
    run->n_steps = 5;
    run->steps = calloc(5, sizeof *run->steps);
    for (size_t i = 0; i < 5; i++) {
        pg_capacity_step *s = &run->steps[i];
        s->trial = i < 3 ? 0 : 1;
        s->rate = i < 3 ? 100.0 * (double)(i + 2) : 100.0 * (double)(i);
        s->t_s = (double)i * 2.5;
        s->duration_s = 2.0;
        s->rps = s->rate;
        s->requests = (uint64_t)s->rate * 2;
        s->p99_us = 1000 * (i + 1);
        s->held = i != 2;
        if (!s->held)
            snprintf(s->why, sizeof s->why, "http_req_duration p(95) 9ms breaks p(95)<5ms");
    }
    assert_non_null(g = pg_budget_run_gauge_add(run, "target_cpu", "%"));
    for (int i = 0; i < 12; i++)
        pg_gauge_append(g, i + 0.5, i < 7 ? 20 : 80);
    /* doubles read back exactly: cJSON alone would print 1.1 and 0.666666666666667 */
    run->steps[0].rate = 1.0999999999999999;
    run->steps[1].rate = 2.0 / 3.0;
    snprintf(run->monitor_target, sizeof run->monitor_target, "command nginx (3 processes)");
    snprintf(run->monitor_note, sizeof run->monitor_note, "the target was not running at 1 of 13");
    run->n_hints = 1;
    snprintf(run->hints[0], sizeof run->hints[0], "the target looks CPU-bound");

    text = pg_results_to_json(&r);
    assert_non_null(doc = cJSON_Parse(text));
    t0 = cJSON_GetArrayItem(must(cJSON_GetArrayItem(must(doc, "budgets"), 0), "trials"), 0);
    t1 = cJSON_GetArrayItem(must(cJSON_GetArrayItem(must(doc, "budgets"), 0), "trials"), 1);
    assert_true(must(t0, "capacity_rps")->valuedouble == 300);
    assert_int_equal(cJSON_GetArraySize(must(t0, "steps")), 3);
    assert_true(must(cJSON_GetArrayItem(must(t0, "steps"), 0), "rate")->valuedouble ==
                1.0999999999999999);
    assert_true(must(cJSON_GetArrayItem(must(t0, "steps"), 1), "rate")->valuedouble == 2.0 / 3.0);
    assert_int_equal(cJSON_GetArraySize(must(t1, "steps")), 2);
    assert_true(cJSON_IsTrue(must(t1, "capacity_at_max")));
    assert_string_equal(must(cJSON_GetArrayItem(must(t0, "steps"), 2), "broke")->valuestring,
                        "http_req_duration p(95) 9ms breaks p(95)<5ms");
    /* trial 1 spans its staircase, 0 to 7 s: seven samples, all at 20% */
    assert_true(must(t0, "started_s")->valuedouble == 0);
    assert_true(must(must(must(t0, "monitor"), "target_cpu"), "max")->valuedouble == 20);
    assert_true(must(must(must(t1, "monitor"), "target_cpu"), "max")->valuedouble == 80);
    assert_true(must(must(cJSON_GetArrayItem(must(doc, "budgets"), 0), "summary"), "capacity_rps")
                    ->valuedouble == 300); /* the lower middle of two, nearest rank */
    assert_int_equal(pg_results_from_doc(&back, doc, "r.json", &err), 0);
    again = pg_results_to_json(&back);
    assert_non_null(doc2 = cJSON_Parse(again));
    /* what this adds comes back as it was written (means of decoded
     * histograms differ within a bucket; the merge test covers those) */
    {
        const cJSON *b1 = cJSON_GetArrayItem(must(doc, "budgets"), 0),
                    *b2 = cJSON_GetArrayItem(must(doc2, "budgets"), 0);
        assert_true(cJSON_Compare(must(b1, "monitor"), must(b2, "monitor"), 1));
        assert_true(cJSON_Compare(must(b1, "hints"), must(b2, "hints"), 1));
        for (int i = 0; i < 2; i++) {
            const cJSON *x = cJSON_GetArrayItem(must(b1, "trials"), i),
                        *y = cJSON_GetArrayItem(must(b2, "trials"), i);
            assert_true(cJSON_Compare(must(x, "steps"), must(y, "steps"), 1));
            assert_true(cJSON_Compare(must(x, "monitor"), must(y, "monitor"), 1));
            assert_true(cJSON_Compare(must(x, "capacity_rps"), must(y, "capacity_rps"), 1));
            assert_true(cJSON_Compare(must(x, "timeline"), must(y, "timeline"), 1));
        }
    }
    cJSON_Delete(doc2);
    free(again);
    free(text);
    cJSON_Delete(doc);
    pg_results_clear(&back);
    pg_results_clear(&r);
}

static void unwritable_path_is_an_io_error(void **state)
{
    pg_results r;
    pg_err err;
    (void)state;
    fill(&r);
    /* nothing can be written under a file, even as root */
    assert_int_equal(pg_results_write(&r, "/dev/null/r.json", &err), PG_EIO);
    assert_string_equal(err.file, "/dev/null/r.json");
    assert_non_null(strstr(err.msg, "Not a directory"));
    pg_results_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(has_documented_fields),
        cmocka_unit_test(unwritable_path_is_an_io_error),
        cmocka_unit_test(staircase_and_resources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
