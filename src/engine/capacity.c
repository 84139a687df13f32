/* capacity.c — the breaking-point executor: how much load holds?
 *
 * A staircase of constant arrival rates, start, start + step, ... up to
 * max, each held for step_duration. Each step is a run of its own (one
 * trial, the budget's warm-up only before a staircase's first step), so a
 * step is measured exactly as any constant-arrival-rate run is, and the
 * budget's thresholds are judged on it as on any run. The staircase stops
 * at the first step that breaks:
 *   - over load.error_limit of its iterations failed or were dropped (the
 *     open model drops starts that find no connection free: the target no
 *     longer keeps up with the rate);
 *   - the generator ran out of CPU (what breaks then is perfgate, not the
 *     target);
 *   - a threshold broke (the judge, given by the caller, which also hears
 *     of every step the engine broke, to report it).
 * The trial's capacity_rps is the rate of the last step that held. As in
 * wrk2 and k6's arrival-rate executors, the rate is offered whatever the
 * answers, so a saturated target shows as latency and drops rather than as
 * a generator slowing down with it. The price of a run per step: every step
 * opens its connections anew (on loopback, tens of microseconds on the first
 * request of each connection). Trials repeat the whole staircase so the
 * capacity, like any metric, is compared with the baseline on several
 * independent values. */
#include "engine/capacity.h"
#include "common/grow.h"
#include "engine/assemble.h"
#include "engine/flow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Over the error limit: failed or dropped iterations of the step. */
static int over_limit(const pg_trial *t, double limit, char *why, size_t size)
{
    double scheduled = (double)(t->iterations + t->dropped);
    double failed = t->requests ? (double)t->failed / (double)t->requests : 0.0;
    double dropped = scheduled > 0 ? (double)t->dropped / scheduled : 0.0;

    if (failed > limit) {
        snprintf(why, size, "%.3g%% of requests failed (error_limit %.3g%%)", failed * 100.0,
                 limit * 100.0);
        return 1;
    }
    if (dropped > limit) {
        snprintf(why, size,
                 "%.3g%% of iterations were dropped for want of a free connection (error_limit "
                 "%.3g%%): the target no longer keeps up",
                 dropped * 100.0, limit * 100.0);
        return 1;
    }
    if (!t->requests) {
        snprintf(why, size, "no request was made");
        return 1;
    }
    return 0;
}

static int add_step(pg_budget_run *out, size_t *cap, const pg_capacity_step *s)
{
    if (pg_grow(&out->steps, cap, out->n_steps, sizeof *out->steps, 32) != 0)
        return -1;
    out->steps[out->n_steps++] = *s;
    return 0;
}

/* Out of CPU: the one saturation a single step can prove. */
static int out_of_cpu(const pg_budget_run *r)
{
    return r->saturated && r->cpu_percent > 90.0 * r->threads;
}

/* What every step shares with the whole run; a step out of CPU saturates it. */
static void take_run_facts(pg_budget_run *out, pg_budget_run *r, double rate)
{
    pg_assemble_facts(out, r);
    if (out_of_cpu(r) && !out->saturated) {
        out->saturated = 1;
        snprintf(out->saturation, sizeof out->saturation, "at %g/s: %.480s", rate, r->saturation);
    }
}

static void describe(pg_capacity_step *s, size_t trial, double rate, const pg_budget_run *r,
                     double t0_s)
{
    const pg_trial *t = &r->trials[0];

    memset(s, 0, sizeof *s);
    s->trial = trial;
    s->rate = rate;
    s->t_s = t0_s;
    s->duration_s = t->duration_s;
    s->rps = pg_trial_rps(t);
    s->requests = t->requests;
    s->failed = t->failed;
    s->dropped = t->dropped;
    s->p50_us = pg_hist_percentile(&t->duration, 50);
    s->p95_us = pg_hist_percentile(&t->duration, 95);
    s->p99_us = pg_hist_percentile(&t->duration, 99);
}

int pg_capacity_run(pg_budget_run *out, const pg_budget *b, const pg_run_opts *o, pg_err *err)
{
    const pg_load *l = &b->load;
    size_t n_rates = (size_t)floor((l->bp_max - l->bp_start) / l->bp_step + 1e-9) + 1;
    size_t cap = 0, trials = (size_t)b->trials;
    pg_budget step = *b;
    pg_run_opts each = *o;
    pg_feed feed = {0}; /* "unique" data: once in the whole staircase */
    int rc = PG_OK, stopped = 0;

    memset(out, 0, sizeof *out);
    each.watch = NULL; /* a staircase already stops at the first step that breaks */
    if (o->shard_count > 1)
        return pg_err_at(err, PG_EUSAGE, b->path, 0, 0,
                         "a breaking-point budget cannot be sharded: each step's verdict needs "
                         "the measurements of every shard at once");
    if (!(out->trials = calloc(trials, sizeof *out->trials)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    if (!o->feed) {
        if (pg_feed_init(&feed, b, 0, 1) != 0) {
            rc = pg_err_set(err, PG_ENOMEM, "out of memory");
            goto out;
        }
        each.feed = &feed;
    }
    step.trials = 1;
    step.load.executor = PG_EXEC_CONSTANT_ARRIVAL_RATE;
    step.load.duration_us = l->step_us;
    for (size_t t = 0; t < trials && !stopped; t++) {
        pg_budget_run best;
        double capacity = 0.0;
        int have = 0, at_max = 1;

        memset(&best, 0, sizeof best);
        for (size_t k = 0; k < n_rates; k++) {
            pg_budget_run r;
            pg_capacity_step s;
            double rate = l->bp_start + (double)k * l->bp_step, t0;
            int held;

            step.load.rate = rate;
            step.load.warmup_us = k == 0 ? l->warmup_us : 0;
            if ((rc = pg_engine_run(&r, &step, &each, err)) != 0) {
                pg_budget_run_clear(&best);
                goto out;
            }
            if (!out->measure_start_ns)
                out->measure_start_ns = r.measure_start_ns;
            t0 = ((double)r.measure_start_ns - (double)out->measure_start_ns) / 1e9;
            take_run_facts(out, &r, rate);
            if (!r.n_trials) { /* stopped in the warm-up */
                stopped = 1;
                pg_budget_run_clear(&r);
                break;
            }
            describe(&s, t, rate, &r, t0);
            if (r.interrupted) {
                /* a worker's own reason (a "unique" data set ran out) stops the staircase */
                snprintf(s.why, sizeof s.why, "%s", r.aborted[0] ? r.aborted : "interrupted");
                if (r.aborted[0] && !out->aborted[0])
                    memcpy(out->aborted, r.aborted, sizeof out->aborted);
                held = 0;
                stopped = 1;
            } else if (over_limit(&r.trials[0], l->error_limit, s.why, sizeof s.why)) {
                held = 0;
            } else if (out_of_cpu(&r)) {
                snprintf(s.why, sizeof s.why,
                         "the generator saturated (%.150s): beyond here the limit measured would "
                         "be perfgate's, not the target's",
                         r.saturation);
                held = 0;
            } else {
                held = 1;
            }
            if (o->judge)
                held = o->judge(o->judge_arg, &step, &r, held, s.why, sizeof s.why);
            s.held = held;
            if (add_step(out, &cap, &s) != 0 || pg_assemble_timeline(out, &r, t0) != 0) {
                pg_budget_run_clear(&r);
                pg_budget_run_clear(&best);
                rc = pg_err_set(err, PG_ENOMEM, "out of memory");
                goto out;
            }
            if (held || !have) {
                /* the trial is the highest step that held; until one has,
                 * the first step, so a staircase that never held shows why */
                pg_budget_run_clear(&best);
                best = r;
                have = 1;
                if (held)
                    capacity = rate;
            } else {
                pg_budget_run_clear(&r);
            }
            if (!held) {
                at_max = 0;
                break;
            }
        }
        if (have) {
            out->trials[t] = best.trials[0];
            memset(&best.trials[0], 0, sizeof best.trials[0]);
            out->trials[t].capacity_rps = capacity;
            out->trials[t].capacity_at_max = at_max && !stopped;
            out->n_trials = t + 1;
        }
        pg_budget_run_clear(&best);
    }
    out->interrupted = stopped;
    pg_assemble_late_starts(out, "all steps");
out:
    pg_feed_free(&feed);
    if (rc != PG_OK)
        pg_budget_run_clear(out);
    return rc;
}
