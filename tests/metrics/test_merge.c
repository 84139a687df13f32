/* test_merge.c — shards merged through their results files give exactly
 * what one run fed every sample would: counters add, and every percentile
 * of a merged histogram equals that of one histogram of all the samples.
 * Shards that do not go together are refused with a reason. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics/merge.h"
#include "metrics/results_read.h"

#define SHARDS 3
#define TRIALS 2

static uint64_t rng = 42;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static char *dup(const char *s)
{
    char *p = strdup(s);
    assert_non_null(p);
    return p;
}

/* One shard's results: samples drawn from a long-tailed distribution, also
 * fed into everything[trial] (the one histogram the merge must equal). */
static void make_shard(pg_results *r, int index, pg_hist everything[TRIALS])
{
    pg_budget_result *b;
    pg_err err;

    memset(r, 0, sizeof *r);
    snprintf(r->commit, sizeof r->commit, "0123456789abcdef0123456789abcdef01234567");
    snprintf(r->shard, sizeof r->shard, "%d/%d", index + 1, SHARDS);
    pg_results_stamp(r);
    r->budgets = calloc(1, sizeof *r->budgets);
    r->n_budgets = 1;
    b = &r->budgets[0];
    b->name = dup("catalog");
    b->path = dup("budgets/catalog.json");
    b->target = dup("http://127.0.0.1:8080");
    b->run.n_scenarios = 1;
    b->run.scenario_names = calloc(1, sizeof(char *));
    b->run.scenario_names[0] = dup("browse");
    b->run.n_names = 1;
    b->run.names = calloc(1, sizeof(char *));
    b->run.names[0] = dup("GET /");
    b->run.n_trials = TRIALS;
    b->run.trials = calloc(TRIALS, sizeof *b->run.trials);
    b->run.threads = 2;
    b->n_checks = 1;
    b->checks = calloc(1, sizeof *b->checks);
    snprintf(b->checks[0].kind, sizeof b->checks[0].kind, "threshold");
    snprintf(b->checks[0].metric, sizeof b->checks[0].metric, "http_req_duration");
    snprintf(b->checks[0].expr, sizeof b->checks[0].expr, "p(95)<200ms");
    for (int t = 0; t < TRIALS; t++) {
        pg_trial *tr = &b->run.trials[t];
        assert_int_equal(pg_trial_init(tr, 1, 1, &err), 0);
        tr->duration_s = 1.0 + 0.01 * index;
        for (int i = 0; i < 3000 + 500 * index; i++) {
            uint64_t v = 200 + next() % 5000 + (next() % 100 == 0 ? next() % 2000000 : 0);
            pg_hist_record(&tr->duration, v);
            pg_hist_record(&tr->duration_raw, v / 2);
            pg_hist_record(&tr->waiting, v / 3);
            pg_hist_record(&tr->by_scenario[0], v);
            pg_hist_record(&tr->by_name[0], v);
            pg_hist_record(&tr->sse_ttfe, v / 4);
            pg_hist_record(&everything[t], v);
            tr->requests++;
            tr->status[v % 7 ? 200 : 503]++;
            if (!(v % 7)) {
                tr->failed++;
                tr->fails[PG_FAIL_STATUS]++;
            }
        }
        tr->sse_streams = tr->sse_events = tr->requests;
    }
    /* each shard's machine, sampled every second; shard 3 is the busiest */
    {
        pg_gauge_series *g = pg_budget_run_gauge_add(&b->run, "host_cpu", "%");
        assert_non_null(g);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pg_gauge_append(g, 0.5 + i, 10.0 * (index + 1) + i), 0);
        snprintf(b->run.monitor_target, sizeof b->run.monitor_target, "command nginx");
    }
}

/* Through JSON text and back, as perfgate merge reads the files. */
static void round_trip(pg_results *out, const pg_results *in)
{
    char *text = pg_results_to_json(in);
    cJSON *doc = cJSON_Parse(text);
    pg_err err;

    assert_non_null(doc);
    if (pg_results_from_doc(out, doc, "shard.json", &err) != 0)
        fail_msg("reading back: %s", err.msg);
    cJSON_Delete(doc);
    free(text);
}

typedef struct fixture {
    pg_results written[SHARDS], read[SHARDS];
    pg_hist everything[TRIALS];
    const char *paths[SHARDS];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    for (int t = 0; t < TRIALS; t++)
        pg_hist_reset(&f->everything[t]);
    for (int k = 0; k < SHARDS; k++) {
        make_shard(&f->written[k], k, f->everything);
        round_trip(&f->read[k], &f->written[k]);
        f->paths[k] = k == 0 ? "s1.json" : k == 1 ? "s2.json" : "s3.json";
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    for (int k = 0; k < SHARDS; k++) {
        pg_results_clear(&f->written[k]);
        pg_results_clear(&f->read[k]);
    }
    free(f);
    return 0;
}

/* Removes, in place, every line of s that contains what. */
static void drop_lines(char *s, const char *what)
{
    char *out = s;

    for (char *line = s; *line;) {
        char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
        char keep = line[n];
        line[n] = '\0';
        if (!strstr(line, what)) {
            memmove(out, line, n);
            out += n;
        }
        line[n] = keep;
        line += n;
    }
    *out = '\0';
}

static void reading_back_loses_nothing(void **state)
{
    fixture *f = *state;
    char *a = pg_results_to_json(&f->written[1]), *b = pg_results_to_json(&f->read[1]);

    /* written, read, written again: the same text, but for the means and
     * standard deviations, which a decoded histogram has from its bucket
     * midpoints (within the 0.4% bucket width), not from the exact sums */
    drop_lines(a, "\"mean\":");
    drop_lines(b, "\"mean\":");
    drop_lines(a, "\"stdev\":");
    drop_lines(b, "\"stdev\":");
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void merged_percentiles_are_those_of_all_samples(void **state)
{
    fixture *f = *state;
    pg_results m;
    pg_err err;
    static const double qs[] = {1, 10, 50, 75, 90, 95, 99, 99.9, 99.99};

    if (pg_results_merge(&m, f->read, f->paths, SHARDS, &err) != 0)
        fail_msg("merge: %s", err.msg);
    assert_int_equal(m.merged_shards, SHARDS);
    for (int t = 0; t < TRIALS; t++) {
        const pg_trial *mt = &m.budgets[0].run.trials[t];
        uint64_t requests = 0, failed = 0, s503 = 0;
        for (int k = 0; k < SHARDS; k++) {
            const pg_trial *st = &f->written[k].budgets[0].run.trials[t];
            requests += st->requests;
            failed += st->failed;
            s503 += st->status[503];
        }
        assert_int_equal(mt->requests, requests);
        assert_int_equal(mt->failed, failed);
        assert_int_equal(mt->fails[PG_FAIL_STATUS], failed);
        assert_int_equal(mt->status[503], s503);
        assert_int_equal(mt->sse_events, requests);
        assert_int_equal(mt->duration.total, f->everything[t].total);
        assert_memory_equal(mt->duration.counts, f->everything[t].counts,
                            sizeof mt->duration.counts);
        for (size_t q = 0; q < sizeof qs / sizeof *qs; q++)
            assert_int_equal(pg_hist_percentile(&mt->duration, qs[q]),
                             pg_hist_percentile(&f->everything[t], qs[q]));
        assert_int_equal(mt->duration.min, f->everything[t].min);
        assert_int_equal(mt->duration.max, f->everything[t].max);
        assert_memory_equal(mt->by_scenario[0].counts, f->everything[t].counts,
                            sizeof mt->by_scenario[0].counts);
        assert_true(mt->duration_s >= 1.02); /* the longest shard's trial */
    }
    assert_int_equal(m.budgets[0].run.threads, 2 * SHARDS);
    assert_int_equal(m.budgets[0].n_checks, 1);
    assert_int_equal(m.budgets[0].checks[0].verdict, PG_VERDICT_SKIPPED); /* judged by the caller */
    pg_results_clear(&m);
}

static void expect_refusal(fixture *f, size_t n, const char *what)
{
    pg_results m;
    pg_err err;

    assert_int_equal(pg_results_merge(&m, f->read, f->paths, n, &err), PG_EINVALID);
    if (!strstr(err.msg, what))
        fail_msg("want \"%s\" in \"%s\"", what, err.msg);
    pg_results_clear(&m);
}

/* Sampled series keep every shard's samples: a max is the busiest shard's. */
static void merged_samples_are_every_shards(void **state)
{
    fixture *f = *state;
    pg_results out;
    const pg_gauge_series *g;
    pg_gauge_summary s;
    pg_err err;

    assert_int_equal(pg_results_merge(&out, f->read, f->paths, SHARDS, &err), 0);
    assert_non_null(g = pg_budget_run_gauge(&out.budgets[0].run, "host_cpu"));
    assert_int_equal(g->n, 2 * SHARDS);
    for (size_t i = 1; i < g->n; i++)
        assert_true(g->t_s[i - 1] <= g->t_s[i]); /* in time order */
    pg_gauge_summarise(g, 0, 10, &s);
    assert_true(s.max == 31 && s.min == 10);
    assert_string_equal(out.budgets[0].run.monitor_target, "command nginx");
    pg_results_clear(&out);
}

/* A shard is someone else's file: what it says reaches the console and CI
 * logs, so its control characters are gone once read (no forged
 * "::error::" line, no cursor moves). */
static void text_read_back_has_no_control_characters(void **state)
{
    fixture *f = *state;
    char *text = pg_results_to_json(&f->written[0]), *at;
    pg_results back;
    cJSON *doc;
    pg_err err;

    /* "catalog" and "command nginx" as a forger would write them, same length */
    assert_non_null(at = strstr(text, "\"catalog\""));
    memcpy(at + 1, "\\n::err", 7);
    assert_non_null(at = strstr(text, "\"command nginx\""));
    memcpy(at + 1, "\\u001b[31m", 10);
    assert_non_null(doc = cJSON_Parse(text));
    assert_int_equal(pg_results_from_doc(&back, doc, "forged.json", &err), 0);
    assert_string_equal(back.budgets[0].name, "?::err");
    assert_string_equal(back.budgets[0].run.monitor_target, "?[31minx");
    cJSON_Delete(doc);
    free(text);
    pg_results_clear(&back);
}

static void shards_that_do_not_go_together_are_refused(void **state)
{
    fixture *f = *state;
    char *saved;

    expect_refusal(f, 2, "2 of 3 shards given; missing 3/3");
    snprintf(f->read[2].shard, sizeof f->read[2].shard, "2/3");
    expect_refusal(f, SHARDS, "shard 2/3 is given twice");
    snprintf(f->read[2].shard, sizeof f->read[2].shard, "3/4");
    expect_refusal(f, SHARDS, "is shard 3/4, but the first file is one of 3 shards");
    f->read[2].shard[0] = '\0';
    expect_refusal(f, SHARDS, "is not the result of a shard");
    snprintf(f->read[2].shard, sizeof f->read[2].shard, "3/3");
    f->read[2].commit[0] = 'f';
    expect_refusal(f, SHARDS, "another commit");
    f->read[2].commit[0] = '0';
    saved = f->read[2].budgets[0].name;
    f->read[2].budgets[0].name = "other";
    expect_refusal(f, SHARDS, "other budgets");
    f->read[2].budgets[0].name = saved;
    snprintf(f->read[2].budgets[0].checks[0].expr, sizeof f->read[2].budgets[0].checks[0].expr,
             "p(95)<300ms");
    expect_refusal(f, SHARDS, "other thresholds");
    f->read[2].budgets[0].run.n_trials = 1;
    expect_refusal(f, SHARDS, "another number of trials");
    f->read[2].budgets[0].run.n_trials = TRIALS;
}

static void an_old_file_without_every_histogram_is_refused(void **state)
{
    fixture *f = *state;
    char *text = pg_results_to_json(&f->written[0]);
    cJSON *doc = cJSON_Parse(text);
    cJSON *trial = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "budgets"), 0), "trials"),
        1);
    pg_results r;
    pg_err err;

    cJSON_DeleteItemFromObject(trial, "connect_histogram");
    assert_int_equal(pg_results_from_doc(&r, doc, "old.json", &err), PG_EINVALID);
    assert_string_equal(err.file, "old.json");
    assert_non_null(strstr(err.msg, "trial 2 has no \"connect_histogram\""));
    pg_results_clear(&r);
    cJSON_Delete(doc);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reading_back_loses_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(merged_percentiles_are_those_of_all_samples, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(merged_samples_are_every_shards, setup, teardown),
        cmocka_unit_test_setup_teardown(text_read_back_has_no_control_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(shards_that_do_not_go_together_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_old_file_without_every_histogram_is_refused, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
