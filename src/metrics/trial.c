/* trial.c — per-trial metrics (see trial.h). */
#include "metrics/trial.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const pg_fail_kind_names[PG_FAIL_KINDS] = {
#define PG_FAIL_NAME(id, name, answered, hint) name,
    PG_FAIL_KIND_TABLE(PG_FAIL_NAME)
#undef PG_FAIL_NAME
};

const char *const pg_fail_kind_hints[PG_FAIL_KINDS] = {
#define PG_FAIL_HINT(id, name, answered, hint) hint,
    PG_FAIL_KIND_TABLE(PG_FAIL_HINT)
#undef PG_FAIL_HINT
};

const int pg_fail_kind_answered[PG_FAIL_KINDS] = {
#define PG_FAIL_ANSWERED(id, name, answered, hint) answered,
    PG_FAIL_KIND_TABLE(PG_FAIL_ANSWERED)
#undef PG_FAIL_ANSWERED
};

int pg_trial_init(pg_trial *t, size_t n_scenarios, size_t n_names, pg_err *err)
{
    memset(t, 0, sizeof *t);
    return pg_trial_init_zeroed(t, n_scenarios, n_names, err);
}

int pg_trial_init_zeroed(pg_trial *t, size_t n_scenarios, size_t n_names, pg_err *err)
{
    t->service_cpu_s = t->service_wait_s = t->others_cpu_s = NAN;
    t->by_scenario = calloc(n_scenarios ? n_scenarios : 1, sizeof *t->by_scenario);
    t->by_name = calloc(n_names ? n_names : 1, sizeof *t->by_name);
    if (!t->by_scenario || !t->by_name) {
        pg_trial_clear(t);
        return pg_err_set(err, PG_ENOMEM, "out of memory for trial metrics");
    }
    t->n_scenarios = n_scenarios;
    t->n_names = n_names;
    return PG_OK;
}

int pg_trial_add_filters(pg_trial *t, size_t n, pg_err *err)
{
    if (!n)
        return PG_OK;
    if (!(t->by_filter = calloc(n, sizeof *t->by_filter)))
        return pg_err_set(err, PG_ENOMEM, "out of memory for trial metrics");
    t->n_filters = n;
    return PG_OK;
}

void pg_trial_clear(pg_trial *t)
{
    free(t->by_scenario);
    free(t->by_name);
    free(t->by_filter);
    t->by_scenario = t->by_name = t->by_filter = NULL;
    t->n_scenarios = t->n_names = t->n_filters = 0;
}

void pg_trial_merge(pg_trial *into, const pg_trial *from)
{
    if (from->duration_s > into->duration_s)
        into->duration_s = from->duration_s;
    into->requests += from->requests;
    into->failed += from->failed;
    into->iterations += from->iterations;
    into->dropped += from->dropped;
    into->checks += from->checks;
    into->checks_failed += from->checks_failed;
    into->retried += from->retried;
    into->bytes_in += from->bytes_in;
    into->bytes_out += from->bytes_out;
    for (size_t i = 0; i < PG_STATUS_CODES; i++)
        into->status[i] += from->status[i];
    for (size_t i = 0; i < PG_FAIL_KINDS; i++)
        into->fails[i] += from->fails[i];
    pg_hist_merge(&into->duration, &from->duration);
    pg_hist_merge(&into->duration_raw, &from->duration_raw);
    pg_hist_merge(&into->waiting, &from->waiting);
    pg_hist_merge(&into->connecting, &from->connecting);
    pg_hist_merge(&into->tls, &from->tls);
    pg_hist_merge(&into->iteration, &from->iteration);
    pg_hist_merge(&into->send_late, &from->send_late);
    into->sse_streams += from->sse_streams;
    into->sse_events += from->sse_events;
    into->sse_tokens += from->sse_tokens;
    pg_hist_merge(&into->sse_ttfe, &from->sse_ttfe);
    pg_hist_merge(&into->sse_gap, &from->sse_gap);
    pg_hist_merge(&into->sse_stream, &from->sse_stream);
    pg_hist_merge(&into->sse_eps, &from->sse_eps);
    pg_hist_merge(&into->sse_tps, &from->sse_tps);
    for (size_t i = 0; i < into->n_scenarios && i < from->n_scenarios; i++)
        pg_hist_merge(&into->by_scenario[i], &from->by_scenario[i]);
    for (size_t i = 0; i < into->n_names && i < from->n_names; i++)
        pg_hist_merge(&into->by_name[i], &from->by_name[i]);
    for (size_t i = 0; i < into->n_filters && i < from->n_filters; i++)
        pg_hist_merge(&into->by_filter[i], &from->by_filter[i]);
}

double pg_trial_rps(const pg_trial *t)
{
    return t->duration_s > 0.0 ? (double)t->requests / t->duration_s : 0.0;
}

double pg_trial_error_rate(const pg_trial *t)
{
    return t->requests ? (double)t->failed / (double)t->requests : 0.0;
}

uint64_t pg_trial_answered(const pg_trial *t)
{
    uint64_t unanswered = 0;

    for (int i = 0; i < PG_FAIL_KINDS; i++)
        if (!pg_fail_kind_answered[i])
            unanswered += t->fails[i];
    return unanswered < t->requests ? t->requests - unanswered : 0;
}

/* Seconds the service spent during trial t, per answered request in
 * microseconds; NAN when not measured or nothing was answered. 0 is a trial
 * made without pg_trial_init: no service spends no CPU, and one that never
 * queued at all in a whole trial is judged the same way. */
static double per_answer_us(const pg_trial *t, double seconds)
{
    uint64_t answered = pg_trial_answered(t);

    if (!isfinite(seconds) || seconds <= 0.0 || !answered)
        return NAN;
    return seconds * 1e6 / (double)answered;
}

double pg_trial_service_cpu_us(const pg_trial *t)
{
    return per_answer_us(t, t->service_cpu_s);
}

double pg_trial_service_wait_us(const pg_trial *t)
{
    return per_answer_us(t, t->service_wait_s);
}
