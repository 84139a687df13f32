/* values.c — reading per-trial values back from a results file (see values.h). */
#include "metrics/values.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/json_alloc.h"
#include "common/text.h"

/* A metric's value in a trial measured here. */
static double trial_value(const pg_trial *t, pg_value_id id)
{
    switch (id) {
    case PG_VALUE_P50:
        return (double)pg_hist_percentile(&t->duration, 50);
    case PG_VALUE_P90:
        return (double)pg_hist_percentile(&t->duration, 90);
    case PG_VALUE_P95:
        return (double)pg_hist_percentile(&t->duration, 95);
    case PG_VALUE_P99:
        return (double)pg_hist_percentile(&t->duration, 99);
    case PG_VALUE_P999:
        return (double)pg_hist_percentile(&t->duration, 99.9);
    case PG_VALUE_MEAN:
        return pg_hist_mean(&t->duration);
    case PG_VALUE_RPS:
        return pg_trial_rps(t);
    case PG_VALUE_ERROR_RATE:
        return pg_trial_error_rate(t);
    case PG_VALUE_TTFB_P50:
        return (double)pg_hist_percentile(&t->waiting, 50);
    case PG_VALUE_TTFB_P95:
        return (double)pg_hist_percentile(&t->waiting, 95);
    case PG_VALUE_TTFB_P99:
        return (double)pg_hist_percentile(&t->waiting, 99);
    case PG_VALUE_CAPACITY_RPS:
        return t->capacity_rps;
    case PG_VALUE_SERVICE_CPU:
        return pg_trial_service_cpu_us(t);
    case PG_N_VALUES:
        break;
    }
    return NAN;
}

/* Where a metric's value is in a trial of a results file: a member of the
 * trial or of one of its summaries; optional when only some trials have it. */
typedef struct json_place {
    const char *summary; /* NULL: the trial itself */
    const char *key;
    int optional;
    double missing; /* an optional one's value in a trial without it */
} json_place;

static json_place json_place_of(pg_value_id id)
{
    switch (id) {
    case PG_VALUE_P50:
        return (json_place){"latency_us", "p50", 0, 0.0};
    case PG_VALUE_P90:
        return (json_place){"latency_us", "p90", 0, 0.0};
    case PG_VALUE_P95:
        return (json_place){"latency_us", "p95", 0, 0.0};
    case PG_VALUE_P99:
        return (json_place){"latency_us", "p99", 0, 0.0};
    case PG_VALUE_P999:
        return (json_place){"latency_us", "p999", 0, 0.0};
    case PG_VALUE_MEAN:
        return (json_place){"latency_us", "mean", 0, 0.0};
    case PG_VALUE_RPS:
        return (json_place){NULL, "rps", 0, 0.0};
    case PG_VALUE_ERROR_RATE:
        return (json_place){NULL, "error_rate", 0, 0.0};
    case PG_VALUE_TTFB_P50:
        return (json_place){"ttfb_us", "p50", 0, 0.0};
    case PG_VALUE_TTFB_P95:
        return (json_place){"ttfb_us", "p95", 0, 0.0};
    case PG_VALUE_TTFB_P99:
        return (json_place){"ttfb_us", "p99", 0, 0.0};
    case PG_VALUE_CAPACITY_RPS: /* breaking-point trials only; never compared elsewhere */
        return (json_place){NULL, "capacity_rps", 1, 0.0};
    case PG_VALUE_SERVICE_CPU: /* only when the service's processes were found here */
        return (json_place){NULL, "service_cpu_us", 1, NAN}; /* not measured, not 0 */
    case PG_N_VALUES:
        break;
    }
    return (json_place){NULL, "", 1, 0.0};
}

void pg_values_add_trial(pg_budget_values *b, const pg_trial *t)
{
    size_t i = b->n_trials;

    if (i == PG_MAX_TRIALS)
        return;
    for (int k = 0; k < PG_N_VALUES; k++)
        b->v[k][i] = trial_value(t, (pg_value_id)k);
    b->other_cpu[i] = b->steal[i] = NAN; /* a trial measured here: the monitor reads it later */
    b->service_wait[i] = pg_trial_service_wait_us(t);
    b->n_trials++;
}

/* The string member key of o, or "" when absent. */
static const char *str(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
    return s ? s : "";
}

/* Reads every metric of one trial; 0 when one that every trial has is missing. */
static int read_trial(pg_budget_values *b, size_t t, const cJSON *trial)
{
    for (int k = 0; k < PG_N_VALUES; k++) {
        json_place at = json_place_of((pg_value_id)k);
        const cJSON *in = at.summary ? cJSON_GetObjectItemCaseSensitive(trial, at.summary) : trial;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, at.key);
        if (!cJSON_IsNumber(v) && !at.optional)
            return 0;
        b->v[k][t] = cJSON_IsNumber(v) ? v->valuedouble : at.missing;
    }
    return 1;
}

/* A number member of o, NAN when absent. */
static double number_or_nan(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The monitor's mean of series name during a trial, NAN when it has none. */
static double trial_mean(const cJSON *trial, const char *name)
{
    const cJSON *monitor = cJSON_GetObjectItemCaseSensitive(trial, "monitor");
    return number_or_nan(cJSON_GetObjectItemCaseSensitive(monitor, name), "mean");
}

static void read_regression(pg_budget_values *b, const cJSON *reg)
{
    const cJSON *m;

    b->regression.enabled =
        reg ? cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reg, "enabled")) : 0;
    b->regression.alpha = 0.01;
    if (!reg)
        return;
    if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(reg, "alpha")))
        b->regression.alpha = cJSON_GetObjectItemCaseSensitive(reg, "alpha")->valuedouble;
    if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(reg, "min_effect")) &&
        cJSON_GetObjectItemCaseSensitive(reg, "min_effect")->valuedouble > 0)
        b->regression.min_effect = cJSON_GetObjectItemCaseSensitive(reg, "min_effect")->valuedouble;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(reg, "metrics"))
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
        const cJSON *eff = cJSON_GetObjectItemCaseSensitive(m, "min_effect");
        if (!cJSON_IsString(name) || !cJSON_IsNumber(eff) ||
            pg_value_index(name->valuestring) < 0 || b->regression.n >= PG_MAX_REGRESSION_METRICS)
            continue;
        snprintf(b->regression.metric[b->regression.n].name, sizeof b->regression.metric[0].name,
                 "%s", name->valuestring);
        b->regression.metric[b->regression.n++].min_effect = eff->valuedouble;
    }
}

/* "p(95)<200ms" -> "p95"; NULL when the aggregation has no per-trial field. */
static const char *field_of(const char *expr)
{
    static const struct {
        const char *prefix, *field;
    } map[] = {{"p(50)", "p50"},    {"p(90)", "p90"}, {"p(95)", "p95"},
               {"p(99.9)", "p999"}, {"p(99)", "p99"}, {"avg", "mean"},
               {"med", "p50"},      {"min", "min"},   {"max", "max"}};

    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        size_t n = strlen(map[i].prefix);
        if (strncmp(expr, map[i].prefix, n) == 0 && strchr("<>=! ", expr[n]))
            return map[i].field;
    }
    return NULL;
}

/* The latency summary object of a trial that a threshold metric names. */
static const cJSON *summary_of(const cJSON *trial, const char *metric)
{
    const char *brace = strchr(metric, '{');
    char tag[64], value[160];

    static const struct {
        const char *metric, *key;
    } sse[] = {{"sse_time_to_first_event", "time_to_first_event_us"},
               {"sse_inter_event", "inter_event_us"},
               {"sse_stream_duration", "stream_duration_us"},
               {"sse_events_per_second", "events_per_second"},
               {"sse_tokens_per_second", "tokens_per_second"}};

    if (strncmp(metric, "http_req_waiting", 16) == 0 && !brace)
        return cJSON_GetObjectItemCaseSensitive(trial, "ttfb_us");
    if (!brace && cJSON_GetObjectItemCaseSensitive(
                      cJSON_GetObjectItemCaseSensitive(trial, "monitor"), metric))
        return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(trial, "monitor"),
                                                metric);
    for (size_t i = 0; i < sizeof sse / sizeof *sse; i++)
        if (strcmp(metric, sse[i].metric) == 0)
            return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(trial, "sse"),
                                                    sse[i].key);
    if (strncmp(metric, "http_req_duration", 17) != 0)
        return NULL;
    if (!brace)
        return cJSON_GetObjectItemCaseSensitive(trial, "latency_us");
    if (sscanf(brace, "{%63[^:]:%159[^}]}", tag, value) != 2)
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(trial, strcmp(tag, "scenario") == 0 ? "scenarios"
                                                                             : "requests_by_name"),
        value);
}

/* One series per distinct threshold metric and aggregation that the trials
 * carry, so regressions can be judged on what the budget cares about. */
static void read_series(pg_budget_values *b, const cJSON *trials)
{
    for (size_t i = 0; i < b->n_checks && b->n_series < PG_MAX_SERIES; i++) {
        const pg_check *c = &b->checks[i];
        const char *field = field_of(c->expr);
        pg_series *s = &b->series[b->n_series];
        const cJSON *t;
        char key[200];
        if (!field)
            continue;
        snprintf(key, sizeof key, "%s %s", c->metric, field);
        if (pg_values_series(b, key))
            continue;
        memset(s, 0, sizeof *s);
        snprintf(s->key, sizeof s->key, "%s", key);
        snprintf(s->field, sizeof s->field, "%s", field);
        cJSON_ArrayForEach(t, trials)
        {
            /* a trial has one capacity, whatever the aggregation over trials */
            const cJSON *v =
                strcmp(c->metric, "capacity_rps") == 0
                    ? cJSON_GetObjectItemCaseSensitive(t, "capacity_rps")
                    : cJSON_GetObjectItemCaseSensitive(summary_of(t, c->metric), field);
            if (!cJSON_IsNumber(v) || s->n == PG_MAX_TRIALS)
                break;
            s->v[s->n++] = v->valuedouble;
        }
        if (s->n == b->n_trials && s->n)
            b->n_series++;
    }
}

const pg_series *pg_values_series(const pg_budget_values *b, const char *key)
{
    for (size_t i = 0; i < b->n_series; i++)
        if (strcmp(b->series[i].key, key) == 0)
            return &b->series[i];
    return NULL;
}

/* The threshold checks of a budget. Each one gates, so none may be lost:
 * out of memory is an error, and so is a check without a verdict a results
 * file can carry (a dropped failing check would pass the gate). */
static int read_checks(pg_budget_values *b, const cJSON *checks, const char *path, pg_err *err)
{
    const cJSON *c;
    size_t n = (size_t)cJSON_GetArraySize(checks);

    if (!n)
        return PG_OK;
    if (!(b->checks = calloc(n, sizeof *b->checks)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    cJSON_ArrayForEach(c, checks)
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(c, "kind");
        pg_check *k = &b->checks[b->n_checks];
        if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "threshold") != 0)
            continue;
        snprintf(k->kind, sizeof k->kind, "threshold");
        pg_text_copy_clean(k->metric, sizeof k->metric, str(c, "metric"));
        pg_text_copy_clean(k->expr, sizeof k->expr, str(c, "expr"));
        pg_text_copy_clean(k->detail, sizeof k->detail, str(c, "detail"));
        k->verdict = pg_verdict_named(str(c, "verdict"));
        if (k->verdict == PG_VERDICT_UNDECIDED)
            return pg_err_at(err, PG_EINVALID, path, 0, 0,
                             "budget \"%s\", threshold %s %s: \"verdict\" is not one of pass, "
                             "fail, inconclusive, skipped",
                             b->name, k->metric, k->expr);
        b->n_checks++;
    }
    return PG_OK;
}

int pg_results_parse(void **out, const char *text, const char *name, pg_err *err)
{
    unsigned long failed = pg_json_alloc_failures();
    cJSON *doc = cJSON_Parse(text);
    const cJSON *fmt;

    *out = NULL;
    if (!doc && pg_json_alloc_failures() != failed) /* not the file's fault */
        return pg_err_set(err, PG_ENOMEM, "out of memory reading %s", name);
    if (!doc)
        return pg_err_at(err, PG_EINVALID, name, 0, 0, "not valid JSON");
    fmt = cJSON_GetObjectItemCaseSensitive(doc, "format");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, PG_RESULTS_FORMAT) != 0) {
        cJSON_Delete(doc);
        return pg_err_at(err, PG_EINVALID, name, 0, 0,
                         "not a perfgate results file (\"format\" is not \"%s\")",
                         PG_RESULTS_FORMAT);
    }
    *out = doc;
    return PG_OK;
}

int pg_results_open(void **out, const char *path, pg_err *err)
{
    char *text = NULL;
    int rc;

    *out = NULL;
    if ((rc = pg_file_read(&text, NULL, path, 256u << 20, err)) != 0)
        return rc;
    rc = pg_results_parse(out, text, path, err);
    free(text);
    return rc;
}

int pg_values_load(pg_results_values *out, const char *path, pg_err *err)
{
    void *doc = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pg_results_open(&doc, path, err)) != 0)
        return rc;
    rc = pg_values_parse(out, doc, path, err);
    cJSON_Delete(doc);
    return rc;
}

int pg_values_parse(pg_results_values *out, const void *opened, const char *path, pg_err *err)
{
    const cJSON *doc = opened, *budgets, *b;
    int rc = PG_EINVALID;
    size_t i = 0;

    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    pg_text_copy_clean(out->commit, sizeof out->commit, str(doc, "commit"));
    pg_text_copy_clean(out->created, sizeof out->created, str(doc, "created"));
    out->interrupted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "interrupted"));
    {
        const cJSON *env = cJSON_GetObjectItemCaseSensitive(doc, "env");
        const cJSON *cores = cJSON_GetObjectItemCaseSensitive(env, "cores");
        pg_text_copy_clean(out->cpu, sizeof out->cpu, str(env, "cpu"));
        pg_text_copy_clean(out->kernel, sizeof out->kernel, str(env, "kernel"));
        pg_text_copy_clean(out->testbed, sizeof out->testbed, str(env, "testbed"));
        pg_text_copy_clean(out->version, sizeof out->version, str(env, "perfgate"));
        out->cores = cJSON_IsNumber(cores) ? (long)cores->valuedouble : 0;
    }
    budgets = cJSON_GetObjectItemCaseSensitive(doc, "budgets");
    if (!cJSON_IsArray(budgets)) {
        pg_err_at(err, PG_EINVALID, path, 0, 0, "no \"budgets\" list");
        goto out;
    }
    out->n_budgets = (size_t)cJSON_GetArraySize(budgets);
    if (out->n_budgets && !(out->budgets = calloc(out->n_budgets, sizeof *out->budgets))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(b, budgets)
    {
        pg_budget_values *bv = &out->budgets[i++];
        const cJSON *trials = cJSON_GetObjectItemCaseSensitive(b, "trials"), *t;
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "name"));
        if (!name) {
            pg_err_at(err, PG_EINVALID, path, 0, 0, "budget %zu has no name", i);
            goto out;
        }
        pg_text_copy_clean(bv->name, sizeof bv->name, name);
        pg_text_copy_clean(bv->target, sizeof bv->target, str(b, "target"));
        bv->interrupted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "interrupted"));
        {
            const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(b, "generator_cpu_percent"),
                        *threads = cJSON_GetObjectItemCaseSensitive(b, "threads");
            bv->cpu_bound =
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "generator_saturated")) &&
                cJSON_IsNumber(cpu) && cJSON_IsNumber(threads) &&
                cpu->valuedouble > 90.0 * threads->valuedouble;
        }
        if (strlen(str(b, "fingerprint")) == 64 &&
            cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(b, "work"))) {
            pg_text_copy_clean(bv->fingerprint, sizeof bv->fingerprint, str(b, "fingerprint"));
            if (!(bv->work = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(b, "work")))) {
                rc = pg_err_set(err, PG_ENOMEM, "out of memory");
                goto out;
            }
        }
        bv->staircase =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(trials, 0), "steps") != NULL;
        cJSON_ArrayForEach(t, trials)
        {
            if (bv->n_trials == PG_MAX_TRIALS)
                break;
            if (!read_trial(bv, bv->n_trials, t)) {
                pg_err_at(err, PG_EINVALID, path, 0, 0,
                          "budget \"%s\", trial %zu: missing latency or rps numbers", bv->name,
                          bv->n_trials + 1);
                goto out;
            }
            bv->other_cpu[bv->n_trials] = trial_mean(t, "other_cpu");
            bv->steal[bv->n_trials] = trial_mean(t, "cpu_steal");
            bv->service_wait[bv->n_trials] = number_or_nan(t, "service_wait_us");
            bv->n_trials++;
        }
        read_regression(bv, cJSON_GetObjectItemCaseSensitive(b, "regression"));
        {
            int checks_rc =
                read_checks(bv, cJSON_GetObjectItemCaseSensitive(b, "checks"), path, err);
            if (checks_rc != PG_OK) {
                rc = checks_rc;
                goto out;
            }
        }
        read_series(bv, trials);
    }
    rc = PG_OK;
out:
    if (rc != PG_OK)
        pg_values_clear(out);
    return rc;
}

void pg_values_clear(pg_results_values *v)
{
    for (size_t i = 0; i < v->n_budgets; i++) {
        free(v->budgets[i].checks);
        free(v->budgets[i].work);
    }
    free(v->budgets);
    v->budgets = NULL;
    v->n_budgets = 0;
}

const pg_budget_values *pg_values_budget(const pg_results_values *v, const char *name)
{
    for (size_t i = 0; i < v->n_budgets; i++)
        if (strcmp(v->budgets[i].name, name) == 0)
            return &v->budgets[i];
    return NULL;
}
