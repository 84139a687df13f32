/* test_results_json.c — the results file has every field DESIGN.md lists
 * (perfgate-results/1), is written atomically, and its histograms decode
 * back to the measured distribution. */
#include <cjson/cJSON.h>
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
    unlink(path);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
