/* test_gate.c — the verdict of a run against its baseline (stats/gate.c):
 * the history band's floor and its part in a FAIL, the vetoes that leave a
 * budget undecided (not comparable, noisy) and what they leave decided, and
 * that a same-runner (paired) comparison is never vetoed as noisy.
 *
 * Band by hand: 21 baselines whose median is 20.9 ms each have MAD 0; the
 * floor makes the half-width 20.9 * (1/256 + 0.02) = 0.4996 ms, so the band
 * is [20.400, 21.400] ms. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stats/gate.h"

#define P50 0 /* pg_value_names index */
#define ERR 7

/* One budget "api" of n trials at p50 level (us) with a small spread. */
static void budget(pg_budget_values *b, size_t n, double level, double other_cpu)
{
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "api");
    b->n_trials = n;
    b->regression.enabled = 1;
    b->regression.alpha = 0.01;
    b->regression.n = 2;
    snprintf(b->regression.metric[0].name, sizeof b->regression.metric[0].name, "p50");
    b->regression.metric[0].min_effect = 0.05;
    snprintf(b->regression.metric[1].name, sizeof b->regression.metric[1].name, "error_rate");
    b->regression.metric[1].min_effect = 0.001;
    for (size_t t = 0; t < n; t++) {
        b->v[P50][t] = level * (1.0 + 0.001 * (double)t);
        b->v[ERR][t] = 0.0;
        b->other_cpu[t] = other_cpu;
        b->steal[t] = 0.0;
    }
}

static pg_results_values results(pg_budget_values *b)
{
    pg_results_values r;
    memset(&r, 0, sizeof r);
    r.budgets = b;
    r.n_budgets = 1;
    r.cores = 2;
    snprintf(r.cpu, sizeof r.cpu, "test cpu");
    return r;
}

static const pg_comparison *metric(const pg_gate *g, const char *name)
{
    for (size_t i = 0; i < g->budgets[0].n_cmp; i++)
        if (strcmp(g->budgets[0].cmp[i].metric, name) == 0)
            return &g->budgets[0].cmp[i];
    fail_msg("no comparison of %s", name);
    return NULL;
}

static void band_has_a_floor(void **state)
{
    pg_budget_values cur, base, hist[21];
    pg_results_values rc, rb, rh[21];
    pg_gate g;
    pg_err err;
    (void)state;
    budget(&cur, 6, 21000.0, 0); /* inside [20400, 21400] */
    budget(&base, 6, 20900.0, 0);
    rc = results(&cur), rb = results(&base);
    for (int i = 0; i < 21; i++) {
        budget(&hist[i], 1, 20900.0, 0);
        rh[i] = results(&hist[i]);
    }
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, rh, 21, NULL, 0, &err), 0);
    assert_true(g.budgets[0].band[0].have);
    assert_true(fabs(g.budgets[0].band[0].lo - 20400.4) < 0.5);
    assert_true(fabs(g.budgets[0].band[0].hi - 21399.6) < 0.5);
    assert_false(g.budgets[0].band[0].outside);
    pg_gate_clear(&g);
}

/* +10% against the nearest baseline, significant: a FAIL alone; with five
 * baselines whose medians spread from 20 to 24 ms, within their band. */
static void history_is_the_noise_model(void **state)
{
    pg_budget_values cur, base, hist[5];
    pg_results_values rc, rb, rh[5];
    const double levels[5] = {20000, 24000, 21000, 23500, 20500};
    pg_gate g;
    pg_err err;
    (void)state;
    budget(&cur, 6, 22000.0, 0);
    budget(&base, 6, 20000.0, 0);
    rc = results(&cur), rb = results(&base);
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    for (int i = 0; i < 5; i++) {
        budget(&hist[i], 6, levels[i], 0);
        rh[i] = results(&hist[i]);
    }
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, rh, 5, NULL, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_INCONCLUSIVE);
    assert_non_null(strstr(metric(&g, "p50")->why, "run-to-run spread of the last 5 baselines"));
    pg_gate_clear(&g);
    /* four baselines are not enough to overrule the comparison */
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, rh, 4, NULL, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
}

static void noisy_trials_leave_it_undecided(void **state)
{
    pg_budget_values cur, base;
    pg_results_values rc, rb;
    pg_gate g;
    pg_err err;
    (void)state;
    budget(&cur, 6, 30000.0, 170.0); /* 50% slower, 1.7 of 2 cores used by others */
    budget(&base, 6, 20000.0, 10.0);
    cur.v[ERR][0] = 0.5; /* and errors: still decided on a noisy machine */
    cur.v[ERR][1] = cur.v[ERR][2] = cur.v[ERR][3] = cur.v[ERR][4] = cur.v[ERR][5] = 0.5;
    rc = results(&cur), rb = results(&base);
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    assert_non_null(strstr(g.budgets[0].veto, "noisy machine: other processes used up to 1.7 of 2 "
                                              "cores during 6 of 6 trials"));
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_INCONCLUSIVE);
    assert_int_equal(metric(&g, "error_rate")->verdict, PG_VERDICT_FAIL);
    assert_int_equal(g.vetoed, 1);
    assert_int_equal(g.overall, PG_VERDICT_FAIL); /* by the error rate */
    pg_gate_clear(&g);
    /* a baseline that saw as much keeps the comparison decided */
    budget(&base, 6, 20000.0, 160.0);
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    assert_string_equal(g.budgets[0].veto, "");
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* and a paired (same-runner) comparison is never vetoed as noisy */
    budget(&base, 6, 20000.0, 10.0);
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_string_equal(g.budgets[0].veto, "");
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
}

static void other_work_is_not_comparable(void **state)
{
    pg_budget_values cur, base;
    pg_results_values rc, rb;
    pg_gate g;
    pg_err err;
    char wc[] = "{\"load\":{\"rate\":40,\"trials\":6}}",
         wb[] = "{\"load\":{\"rate\":50,\"trials\":6}}";
    (void)state;
    budget(&cur, 6, 30000.0, 0);
    budget(&base, 6, 20000.0, 0);
    snprintf(cur.fingerprint, sizeof cur.fingerprint, "%064d", 1);
    snprintf(base.fingerprint, sizeof base.fingerprint, "%064d", 2);
    cur.work = wc;
    base.work = wb;
    rc = results(&cur), rb = results(&base);
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    assert_non_null(strstr(g.budgets[0].veto, "not comparable"));
    assert_non_null(strstr(g.budgets[0].veto, "load.rate 50 -> 40"));
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_INCONCLUSIVE);
    assert_int_equal(metric(&g, "error_rate")->verdict, PG_VERDICT_INCONCLUSIVE);
    assert_int_equal(g.overall, PG_VERDICT_INCONCLUSIVE);
    pg_gate_clear(&g);
    /* --strict fails what could not be decided */
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 1, &err), 0);
    assert_int_equal(g.overall, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* a baseline without a fingerprint (an older perfgate) is compared */
    base.fingerprint[0] = '\0';
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    assert_string_equal(g.budgets[0].veto, "");
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
}

/* A threshold's series compared with the baseline takes the budget's one
 * min_effect when it gives one, else the aggregation's default (p99: 15%). */
static void series_take_the_budgets_min_effect(void **state)
{
    pg_budget_values cur, base;
    pg_results_values rc, rb;
    pg_gate g;
    pg_err err;
    (void)state;
    budget(&cur, 6, 20000.0, 0);
    budget(&base, 6, 20000.0, 0);
    for (pg_budget_values *b = &cur; b; b = b == &cur ? &base : NULL) {
        b->n_series = 1;
        snprintf(b->series[0].key, sizeof b->series[0].key, "http_req_duration p99");
        snprintf(b->series[0].field, sizeof b->series[0].field, "p99");
        b->series[0].n = 6;
        for (int t = 0; t < 6; t++) /* +12% in the current run */
            b->series[0].v[t] = (b == &cur ? 33600.0 : 30000.0) * (1.0 + 0.001 * t);
    }
    rc = results(&cur), rb = results(&base);
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    /* +12% is within p99's 15% */
    assert_int_equal(metric(&g, "http_req_duration p99")->verdict, PG_VERDICT_PASS);
    assert_true(metric(&g, "http_req_duration p99")->min_effect == 0.15);
    pg_gate_clear(&g);
    cur.regression.min_effect = 0.05;
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    assert_int_equal(metric(&g, "http_req_duration p99")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
}

/* The zero value of a verdict is "undecided", and the gate does not finish
 * with one: a check some path forgot to decide is an error, not a pass. */
static void an_undecided_check_stops_the_gate(void **state)
{
    pg_budget_values cur;
    pg_results_values rc;
    pg_check check;
    pg_gate g;
    pg_err err;
    (void)state;
    budget(&cur, 6, 20000.0, 0);
    memset(&check, 0, sizeof check);
    snprintf(check.kind, sizeof check.kind, "threshold");
    snprintf(check.metric, sizeof check.metric, "http_req_duration");
    snprintf(check.expr, sizeof check.expr, "p(95)<1s");
    cur.checks = &check;
    cur.n_checks = 1;
    rc = results(&cur);
    assert_int_equal(check.verdict, PG_VERDICT_UNDECIDED);
    assert_int_equal(pg_gate_evaluate(&g, &rc, NULL, NULL, 0, NULL, 0, &err), PG_ERUN);
    assert_non_null(strstr(err.msg, "has no verdict"));
    pg_gate_clear(&g);
    check.verdict = PG_VERDICT_PASS;
    assert_int_equal(pg_gate_evaluate(&g, &rc, NULL, NULL, 0, NULL, 0, &err), 0);
    assert_int_equal(g.overall, PG_VERDICT_PASS);
    pg_gate_clear(&g);
}

/* The service's CPU time: compared only between sides measured at once;
 * a side whose service was not found skips it, saying which. */
static void service_cpu_only_at_the_same_time(void **state)
{
    pg_budget_values cur, base;
    pg_results_values rc, rb;
    pg_gate g;
    pg_err err;
    (void)state;
    budget(&cur, 6, 20000.0, 0);
    budget(&base, 6, 20000.0, 0);
    cur.regression.n = base.regression.n = 3;
    for (pg_budget_values *b = &cur; b; b = b == &cur ? &base : NULL) {
        snprintf(b->regression.metric[2].name, sizeof b->regression.metric[2].name, "service_cpu");
        b->regression.metric[2].min_effect = 0.05;
        for (size_t t = 0; t < 6; t++)
            b->v[PG_VALUE_SERVICE_CPU][t] = (b == &cur ? 12000.0 : 10000.0) + (double)t;
    }
    rc = results(&cur), rb = results(&base);
    /* +20% at the same time: FAIL */
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "service_cpu")->verdict, PG_VERDICT_FAIL);
    assert_int_equal(g.overall, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* against a stored baseline: not compared at all */
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    assert_int_equal(g.budgets[0].n_cmp, 2);
    assert_int_equal(g.overall, PG_VERDICT_PASS);
    pg_gate_clear(&g);
    /* a service that mostly waits (CPU 0.5% of its latency): not decided */
    for (size_t t = 0; t < 6; t++) {
        base.v[PG_VALUE_SERVICE_CPU][t] /= 100.0;
        cur.v[PG_VALUE_SERVICE_CPU][t] /= 100.0;
    }
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "service_cpu")->verdict, PG_VERDICT_SKIPPED);
    assert_non_null(strstr(metric(&g, "service_cpu")->why,
                           "the service mostly waits: its CPU time per request is 0.5% (A) and "
                           "0.6% (B) of its median latency, under the 10%"));
    assert_int_equal(g.overall, PG_VERDICT_PASS);
    pg_gate_clear(&g);
    /* B's CPU grew to a tenth of its latency: decided again */
    for (size_t t = 0; t < 6; t++)
        cur.v[PG_VALUE_SERVICE_CPU][t] = 3000.0 + (double)t;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "service_cpu")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    for (size_t t = 0; t < 6; t++)
        base.v[PG_VALUE_SERVICE_CPU][t] = 10000.0 + (double)t;
    /* one trial of A without it (its service had ended): skipped, saying whose */
    base.v[PG_VALUE_SERVICE_CPU][3] = NAN;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "service_cpu")->verdict, PG_VERDICT_SKIPPED);
    assert_non_null(
        strstr(metric(&g, "service_cpu")->why, "not found on this machine for the baseline side"));
    assert_int_equal(g.overall, PG_VERDICT_PASS);
    pg_gate_clear(&g);
}

/* Latency at the same time is not decided when the service spent a large
 * share of it waiting for a CPU: how the scheduler placed each side moves it
 * that much by itself (measured: two identical CPU-bound services under busy
 * loops, waiting about half their latency: B's p50 0.73 to 1.19 times A's). */
static void latency_mostly_queued_is_not_decided(void **state)
{
    pg_budget_values cur, base;
    pg_results_values rc, rb;
    pg_gate g;
    pg_err err;
    (void)state;
    budget(&cur, 6, 24000.0, 150.0); /* B +20% at p50; busy loops took 1.5 of 2 cores */
    budget(&base, 6, 20000.0, 150.0);
    cur.regression.n = base.regression.n = 3;
    for (pg_budget_values *b = &cur; b; b = b == &cur ? &base : NULL) {
        snprintf(b->regression.metric[2].name, sizeof b->regression.metric[2].name, "service_cpu");
        b->regression.metric[2].min_effect = 0.05;
        for (size_t t = 0; t < 6; t++) {
            b->v[PG_VALUE_SERVICE_CPU][t] = 10000.0 + (double)t;
            b->service_wait[t] = 1900.0; /* 9.5% of A's 20 ms, 7.9% of B's 24 ms */
        }
    }
    /* a threshold's latency series is latency too */
    for (pg_budget_values *b = &cur; b; b = b == &cur ? &base : NULL) {
        b->regression.min_effect = 0.05;
        b->n_series = 1;
        snprintf(b->series[0].key, sizeof b->series[0].key, "http_req_duration{scenario:s} p90");
        snprintf(b->series[0].field, sizeof b->series[0].field, "p90");
        b->series[0].n = 6;
        for (size_t t = 0; t < 6; t++)
            b->series[0].v[t] = b->v[P50][t] * 1.5;
    }
    rc = results(&cur), rb = results(&base);
    /* under twice p50's 5% on both sides: decided */
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* A waited 10.5% of its latency: p50 not decided, naming both shares;
     * error rate and the service's CPU time still are */
    for (size_t t = 0; t < 6; t++)
        base.service_wait[t] = 2100.0;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_INCONCLUSIVE);
    assert_non_null(strstr(metric(&g, "p50")->why,
                           "the service waited for a CPU 10.5% (A) and 7.9% (B) of its median "
                           "latency, at least twice the 5% asked for, and other processes used "
                           "1.5 of 2 cores:"));
    assert_int_equal(metric(&g, "http_req_duration{scenario:s} p90")->verdict,
                     PG_VERDICT_INCONCLUSIVE);
    assert_int_equal(metric(&g, "error_rate")->verdict, PG_VERDICT_PASS);
    assert_int_equal(metric(&g, "service_cpu")->verdict, PG_VERDICT_PASS);
    assert_int_equal(g.overall, PG_VERDICT_INCONCLUSIVE);
    pg_gate_clear(&g);
    /* a PASS is no more to be trusted than a FAIL then */
    for (size_t t = 0; t < 6; t++)
        cur.v[P50][t] = base.v[P50][t];
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_INCONCLUSIVE);
    pg_gate_clear(&g);
    /* a CPU-bound change is still found by the CPU time it costs */
    for (size_t t = 0; t < 6; t++)
        cur.v[PG_VALUE_SERVICE_CPU][t] = 11500.0 + (double)t;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "service_cpu")->verdict, PG_VERDICT_FAIL);
    assert_int_equal(g.overall, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* the wait not measured on A (a service of another machine): B's alone
     * decides, and B's 7.9% is under 10% */
    for (size_t t = 0; t < 6; t++) {
        cur.v[P50][t] = 24000.0 * (1.0 + 0.001 * (double)t);
        base.service_wait[t] = NAN;
    }
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* B grown to 12.5%: held, A's share said to be unknown */
    for (size_t t = 0; t < 6; t++)
        cur.service_wait[t] = 3000.0;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_INCONCLUSIVE);
    assert_non_null(strstr(metric(&g, "p50")->why, "not measured (A) and 12.5% (B)"));
    pg_gate_clear(&g);
    /* against a stored baseline the rule does not apply (the noisy veto
     * and the history band speak there) */
    for (size_t t = 0; t < 6; t++)
        base.service_wait[t] = cur.service_wait[t] = 12000.0;
    assert_int_equal(pg_gate_evaluate(&g, &rc, &rb, NULL, 0, NULL, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
}

/* Without other processes on the cores, a service's wait is its own, its
 * twin's and perfgate's, the same on both sides: latency is decided then
 * however much of it was queued (measured: two python3 -m http.server on a
 * quiet machine waited 23-34% of their latency). Other processes count
 * from interference's PG_NOISY_SHARE of the cores (0.4 of 2) in a side's
 * median trial; not measured counts as busy. */
static void queued_latency_on_a_quiet_machine_is_decided(void **state)
{
    pg_budget_values cur, base;
    pg_results_values rc, rb;
    pg_gate g;
    pg_err err;
    (void)state;
    budget(&cur, 6, 24000.0, 0.0); /* B +20% at p50 */
    budget(&base, 6, 20000.0, 0.0);
    for (size_t t = 0; t < 6; t++)
        cur.service_wait[t] = base.service_wait[t] = 6000.0; /* 30% of A's, 25% of B's */
    rc = results(&cur), rb = results(&base);
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* just under the limit on both sides; one busy trial is not the median */
    for (size_t t = 0; t < 6; t++)
        cur.other_cpu[t] = base.other_cpu[t] = 39.9;
    base.other_cpu[2] = 190.0;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* at the limit on one side: held, saying how busy */
    for (size_t t = 0; t < 6; t++)
        cur.other_cpu[t] = 40.0;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_INCONCLUSIVE);
    assert_non_null(strstr(metric(&g, "p50")->why, "other processes used 0.4 of 2 cores"));
    pg_gate_clear(&g);
    /* measured on one side only, quiet there: decided */
    for (size_t t = 0; t < 6; t++)
        cur.other_cpu[t] = 10.0, base.other_cpu[t] = NAN;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
    /* measured on neither: held, saying so */
    for (size_t t = 0; t < 6; t++)
        cur.other_cpu[t] = NAN;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_INCONCLUSIVE);
    assert_non_null(strstr(metric(&g, "p50")->why, "other processes' CPU was not measured"));
    pg_gate_clear(&g);
    /* the limit is a share of this machine's cores: 0.5 of 4 is quiet */
    for (size_t t = 0; t < 6; t++)
        cur.other_cpu[t] = base.other_cpu[t] = 50.0;
    rc.cores = rb.cores = 4;
    assert_int_equal(pg_gate_evaluate_paired(&g, &rc, &rb, 0, &err), 0);
    assert_int_equal(metric(&g, "p50")->verdict, PG_VERDICT_FAIL);
    pg_gate_clear(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(band_has_a_floor),
        cmocka_unit_test(history_is_the_noise_model),
        cmocka_unit_test(noisy_trials_leave_it_undecided),
        cmocka_unit_test(other_work_is_not_comparable),
        cmocka_unit_test(series_take_the_budgets_min_effect),
        cmocka_unit_test(an_undecided_check_stops_the_gate),
        cmocka_unit_test(service_cpu_only_at_the_same_time),
        cmocka_unit_test(latency_mostly_queued_is_not_decided),
        cmocka_unit_test(queued_latency_on_a_quiet_machine_is_decided),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
