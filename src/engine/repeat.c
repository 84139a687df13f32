/* repeat.c — a ramp's trials, each the whole profile (see repeat.h). */
#include "engine/repeat.h"

#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "engine/assemble.h"
#include "engine/flow.h"

/* The progress of one trial's run told as the whole run's: its trial
 * number, time and counts since the first trial began. */
typedef struct whole_run {
    const pg_run_opts *outer;
    const pg_budget *b;
    int trial;
    double before_s, total_s;
    uint64_t requests, failed, dropped; /* of the trials before */
} whole_run;

static void progress_of_whole(void *arg, const pg_budget *one, int trial, double elapsed_s,
                              double total_s, const pg_timeline_point *last, uint64_t requests,
                              uint64_t failed, uint64_t dropped)
{
    whole_run *w = arg;

    (void)one, (void)total_s;
    w->outer->progress(w->outer->progress_arg, w->b, trial < 0 ? -1 : w->trial,
                       w->before_s + elapsed_s, w->total_s, last, w->requests + requests,
                       w->failed + failed, w->dropped + dropped);
}

int pg_repeat_run(pg_budget_run *out, const pg_budget *b, const pg_run_opts *o, pg_err *err)
{
    size_t trials = (size_t)b->trials;
    uint64_t profile_ns = b->load.duration_us * 1000u, warm_ns = b->load.warmup_us * 1000u;
    uint64_t start = o->start_ns ? o->start_ns : pg_now_ns() + 50000000ull;
    pg_budget one = *b; /* read-only for the engine: shares b's arrays */
    pg_run_opts each = *o;
    whole_run whole = {.outer = o, .b = b, .total_s = (double)trials * (double)profile_ns / 1e9};
    pg_feed feed = {0}; /* "unique" data: once in all trials */
    int rc = PG_OK;

    memset(out, 0, sizeof *out);
    if (!(out->trials = calloc(trials, sizeof *out->trials)) ||
        (!o->feed &&
         pg_feed_init(&feed, b, o->shard_count ? o->shard_index - 1 : 0, o->shard_count) != 0)) {
        free(out->trials);
        out->trials = NULL;
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    }
    if (!o->feed)
        each.feed = &feed;
    one.trials = 1;
    for (size_t t = 0; t < trials && !(o->stop && *o->stop); t++) {
        pg_budget_run r;
        uint64_t at = t == 0 ? start : start + warm_ns + t * (profile_ns + PG_REPEAT_GAP_NS);
        /* a trial that would start in the past would send the iterations it
         * missed at once: start it late instead (the sides of a duet then
         * drift apart by as much) */
        if (at < pg_now_ns() + 10000000ull)
            at = pg_now_ns() + 50000000ull;
        one.load.warmup_us = t == 0 ? b->load.warmup_us : 0;
        each.start_ns = at;
        if (o->progress) {
            whole.trial = (int)t;
            whole.before_s = (double)t * (double)profile_ns / 1e9;
            each.progress = progress_of_whole;
            each.progress_arg = &whole;
        }
        if ((rc = pg_engine_run(&r, &one, &each, err)) != 0)
            break;
        if (!out->measure_start_ns)
            out->measure_start_ns = r.measure_start_ns;
        pg_assemble_facts(out, &r);
        if (pg_assemble_timeline(
                out, &r, ((double)r.measure_start_ns - (double)out->measure_start_ns) / 1e9) != 0) {
            pg_budget_run_clear(&r);
            rc = pg_err_set(err, PG_ENOMEM, "out of memory");
            break;
        }
        if (r.n_trials) {
            whole.requests += r.trials[0].requests;
            whole.failed += r.trials[0].failed;
            whole.dropped += r.trials[0].dropped;
            out->trials[out->n_trials++] = r.trials[0];
            memset(&r.trials[0], 0, sizeof r.trials[0]);
        }
        out->interrupted |= r.interrupted;
        if (r.aborted[0] && !out->aborted[0])
            memcpy(out->aborted, r.aborted, sizeof out->aborted);
        if (r.saturated && !out->saturated) {
            out->saturated = 1;
            memcpy(out->saturation, r.saturation, sizeof out->saturation);
        }
        pg_budget_run_clear(&r);
        if (out->interrupted)
            break;
    }
    pg_feed_free(&feed);
    if (rc != PG_OK) {
        pg_budget_run_clear(out);
        return rc;
    }
    out->interrupted |= o->stop && *o->stop && out->n_trials < trials;
    pg_assemble_late_starts(out, "all trials");
    return PG_OK;
}
