/* test_metric_catalog.c — every row of the metric catalog (config/metric_catalog.h)
 * goes the whole way: measured in a trial, written to a results file, read
 * back as per-trial values, compared in the direction the row says, and shown
 * in its unit by the console, markdown, HTML and JUnit reports. A row whose
 * extractor, direction or unit is missing anywhere fails here by name.
 *
 * The current side is worse than the baseline in every metric at once, by
 * far more than any default min_effect (latency and time to first byte
 * x1.5, requests per second x0.75, error rate +4 percentage points,
 * capacity x0.625, the service's CPU per answer x1.5), so every row must
 * FAIL. A row compared only between sides measured at the same time
 * (PG_COMPARE_SAME_TIME) is left out against a stored baseline and FAILs
 * in the paired comparison of `ab`, which every report is rendered from. */
#include <cjson/cJSON.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "config/metric_catalog.h"
#include "metrics/results.h"
#include "metrics/values.h"
#include "report/escape.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/markdown.h"
#include "report/verdict.h"
#include "stats/gate.h"

#define TRIALS 6

static char *copy(const char *s)
{
    char *p = malloc(strlen(s) + 1);
    assert_non_null(p);
    return strcpy(p, s);
}

/* A breaking-point-like run of TRIALS trials; worse: the current side. */
static void fill(pg_results *r, int worse)
{
    double slow = worse ? 1.5 : 1.0;
    pg_budget_result *b;
    pg_err err;

    memset(r, 0, sizeof *r);
    snprintf(r->commit, sizeof r->commit, "%s",
             worse ? "1111111111111111111111111111111111111111"
                   : "0000000000000000000000000000000000000000");
    pg_results_stamp(r);
    assert_non_null(r->budgets = calloc(1, sizeof *r->budgets));
    r->n_budgets = 1;
    b = &r->budgets[0];
    b->name = copy("catalog");
    b->path = copy("catalog.json");
    b->target = copy("http://127.0.0.1:9");
    b->regression.enabled = 1;
    b->regression.alpha = 0.01;
    for (int id = 0; id < PG_N_VALUES; id++) {
        snprintf(b->regression.metric[id].name, sizeof b->regression.metric[id].name, "%s",
                 pg_value_defs[id].name);
        b->regression.metric[id].min_effect = pg_value_defs[id].min_effect;
    }
    b->regression.n = PG_N_VALUES;
    b->run.n_trials = TRIALS;
    assert_non_null(b->run.trials = calloc(TRIALS, sizeof *b->run.trials));
    b->run.n_steps = TRIALS; /* one step each, so each trial carries its capacity */
    assert_non_null(b->run.steps = calloc(TRIALS, sizeof *b->run.steps));
    for (size_t t = 0; t < TRIALS; t++) {
        pg_trial *tr = &b->run.trials[t];
        assert_int_equal(pg_trial_init(tr, 0, 0, &err), 0);
        tr->duration_s = 1.0;
        for (uint64_t v = 1000; v < 3000; v += 2) {
            uint64_t us = (uint64_t)((double)(v + 10 * t) * slow);
            pg_hist_record(&tr->duration, us);
            pg_hist_record(&tr->duration_raw, us);
            pg_hist_record(&tr->waiting, us / 2);
        }
        tr->requests = (worse ? 1500 : 2000) + t;
        tr->failed = worse ? 60 + t : 0;
        tr->fails[PG_FAIL_STATUS] = tr->failed;
        tr->status[200] = tr->requests - tr->failed;
        tr->status[503] = tr->failed;
        tr->capacity_rps = (worse ? 500.0 : 800.0) + (double)t;
        /* 400 us of the service's CPU per answer, 600 us on the worse side */
        tr->service_cpu_s = (worse ? 600e-6 : 400e-6) * (double)pg_trial_answered(tr);
        b->run.steps[t].trial = t;
        b->run.steps[t].rate = tr->capacity_rps;
    }
}

/* The results file's values, read back the way compare reads them. */
static void through_json(const pg_results *r, pg_results_values *v, cJSON **doc)
{
    char *text = pg_results_to_json(r);
    void *parsed = NULL;
    pg_err err;

    assert_non_null(text);
    assert_int_equal(pg_results_parse(&parsed, text, "r.json", &err), 0);
    free(text);
    assert_int_equal(pg_values_parse(v, parsed, "r.json", &err), 0);
    *doc = parsed;
}

static void rows_are_whole(void **state)
{
    (void)state;
    assert_true(PG_N_VALUES <= PG_MAX_REGRESSION_METRICS);
    for (int id = 0; id < PG_N_VALUES; id++) {
        const pg_value_def *d = &pg_value_defs[id];
        assert_non_null(d->name);
        assert_string_equal(pg_value_names[id], d->name);
        assert_int_equal(pg_value_index(d->name), id); /* so names are unique */
        assert_true(strlen(d->name) < 16);             /* pg_regression_setting's names */
        assert_true(d->min_effect > 0.0 && d->min_effect < 1.0);
        assert_int_equal(pg_metric_worse(d->name), d->worse);
        assert_int_equal(pg_metric_unit(d->name), d->unit);
    }
    assert_null(pg_value_names[PG_N_VALUES]);
    assert_int_equal(pg_value_index("p42"), -1);
}

/* Threshold series keys answer from the threshold metrics' table, not from
 * their spelling; a scraped gauge is worse when higher, a plain number. */
static void series_keys_use_their_metric(void **state)
{
    static const struct {
        const char *key;
        pg_direction worse;
        pg_unit unit;
    } cases[] = {
        {"http_req_duration{scenario:browse} p95", PG_WORSE_WHEN_HIGHER, PG_UNIT_DURATION},
        {"sse_tokens_per_second p50", PG_WORSE_WHEN_LOWER, PG_UNIT_PER_SECOND},
        {"capacity_rps p50", PG_WORSE_WHEN_LOWER, PG_UNIT_PER_SECOND},
        {"target_rss max", PG_WORSE_WHEN_HIGHER, PG_UNIT_BYTES},
        {"host_cpu mean", PG_WORSE_WHEN_HIGHER, PG_UNIT_PERCENT},
        {"queue_depth_per_second max", PG_WORSE_WHEN_HIGHER, PG_UNIT_NUMBER},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(pg_metric_worse(cases[i].key), cases[i].worse);
        assert_int_equal(pg_metric_unit(cases[i].key), cases[i].unit);
    }
}

static char *console_of(const pg_gate *g)
{
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);

    assert_non_null(fp);
    pg_verdict_console(fp, g, NULL, 0);
    fclose(fp);
    return text;
}

static void contains(const char *report, const char *what, const char *text, const char *metric)
{
    if (!strstr(report, text))
        fail_msg("%s of metric %s lacks \"%s\"", what, metric, text);
}

static void every_row_goes_the_whole_way(void **state)
{
    pg_results base, cur;
    pg_results_values vb, vc;
    cJSON *doc_b, *doc_c;
    pg_gate g;
    pg_err err;
    char *console, *md = NULL, *html = NULL, *junit = NULL;
    (void)state;

    fill(&base, 0);
    fill(&cur, 1);
    through_json(&base, &vb, &doc_b);
    through_json(&cur, &vc, &doc_c);

    /* trial -> results file -> values: what the extractors give in memory */
    for (size_t t = 0; t < TRIALS; t++) {
        pg_budget_values mem;
        memset(&mem, 0, sizeof mem);
        pg_values_add_trial(&mem, &cur.budgets[0].run.trials[t]);
        for (int id = 0; id < PG_N_VALUES; id++)
            if (fabs(vc.budgets[0].v[id][t] - mem.v[id][0]) > 0.005)
                fail_msg("%s of trial %zu: %g in the file, %g measured", pg_value_names[id], t + 1,
                         vc.budgets[0].v[id][t], mem.v[id][0]);
    }

    /* values -> verdict: compared in the row's direction and unit, and worse;
     * against a stored baseline without the same-time rows */
    assert_int_equal(pg_gate_evaluate(&g, &vc, &vb, NULL, 0, NULL, 0, &err), 0);
    {
        size_t k = 0;
        for (int id = 0; id < PG_N_VALUES; id++) {
            const pg_comparison *c = &g.budgets[0].cmp[k];
            if (pg_value_defs[id].use == PG_COMPARE_SAME_TIME)
                continue;
            assert_true(k < g.budgets[0].n_cmp);
            assert_string_equal(c->metric, pg_value_names[id]);
            if (c->verdict != PG_VERDICT_FAIL)
                fail_msg("%s: %s, not fail (%s)", c->metric, pg_verdict_names[c->verdict], c->why);
            k++;
        }
        assert_int_equal(g.budgets[0].n_cmp, k);
        assert_true(k < PG_N_VALUES);
    }
    pg_gate_clear(&g);
    assert_int_equal(pg_gate_evaluate_paired(&g, &vc, &vb, 0, &err), 0);
    assert_int_equal(g.budgets[0].n_cmp, PG_N_VALUES);
    for (int id = 0; id < PG_N_VALUES; id++) {
        const pg_comparison *c = &g.budgets[0].cmp[id];
        assert_string_equal(c->metric, pg_value_names[id]);
        assert_int_equal(c->direction, pg_value_defs[id].worse);
        assert_int_equal(c->absolute, pg_value_defs[id].unit == PG_UNIT_SHARE);
        assert_true(c->min_effect == pg_value_defs[id].min_effect);
        if (c->verdict != PG_VERDICT_FAIL)
            fail_msg("%s: %s, not fail (%s)", c->metric, pg_verdict_names[c->verdict], c->why);
    }

    /* verdict -> every report: each row by name, with its current value in its unit */
    assert_int_equal(pg_verdict_doc(doc_c, &g, NULL, NULL, 0), 0);
    console = console_of(&g);
    assert_int_equal(pg_markdown_render(&md, doc_c, 1u << 20, &err), 0);
    assert_int_equal(pg_html_render(&html, doc_c, &err), 0);
    assert_int_equal(pg_junit_render(&junit, doc_c, &err), 0);
    for (int id = 0; id < PG_N_VALUES; id++) {
        const pg_comparison *c = &g.budgets[0].cmp[id];
        char value[32];
        pg_buf md_name = {0}, html_value = {0};
        pg_format_metric(c->metric, c->cur_median, value, sizeof value);
        pg_escape_markdown(&md_name, c->metric, 200);
        pg_escape_html(&html_value, value, 200);
        contains(console, "the console", c->metric, c->metric);
        contains(console, "the console", value, c->metric);
        contains(md, "the markdown", md_name.data, c->metric);
        contains(md, "the markdown", value, c->metric);
        contains(html, "the HTML", c->metric, c->metric);
        contains(html, "the HTML", html_value.data, c->metric);
        contains(junit, "the JUnit", c->metric, c->metric);
        pg_buf_free(&md_name);
        pg_buf_free(&html_value);
    }
    free(console);
    free(md);
    free(html);
    free(junit);
    pg_gate_clear(&g);
    cJSON_Delete(doc_b);
    cJSON_Delete(doc_c);
    pg_values_clear(&vb);
    pg_values_clear(&vc);
    pg_results_clear(&base);
    pg_results_clear(&cur);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_whole),
        cmocka_unit_test(series_keys_use_their_metric),
        cmocka_unit_test(every_row_goes_the_whole_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
