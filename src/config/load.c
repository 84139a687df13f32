/* load.c — the "load" section: executor, schedule, connections (see budget.h).
 *
 * Executors and their keys follow k6
 * (https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/):
 * closed models (constant-vus, ramping-vus) loop virtual users; open models
 * (constant-arrival-rate, ramping-arrival-rate) start iterations on a clock.
 * A key that belongs to another executor is an error that says which one it
 * belongs to, because a silently ignored "rate" on constant-vus is a test
 * that measures something other than what its author believes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/sections.h"

static const struct {
    const char *name;
    pg_executor exec;
} executors[] = {
    {"constant-vus", PG_EXEC_CONSTANT_VUS},
    {"ramping-vus", PG_EXEC_RAMPING_VUS},
    {"constant-arrival-rate", PG_EXEC_CONSTANT_ARRIVAL_RATE},
    {"ramping-arrival-rate", PG_EXEC_RAMPING_ARRIVAL_RATE},
    {"breaking-point", PG_EXEC_BREAKING_POINT},
};

static const char *const executor_names[] = {"constant-vus",          "ramping-vus",
                                             "constant-arrival-rate", "ramping-arrival-rate",
                                             "breaking-point",        NULL};

static const char *const load_keys[] = {
    "executor", "vus",    "rate",   "duration", "stages",        "start_vus",       "start_rate",
    "preset",   "target", "warmup", "timeout",  "http",          "max_connections", "insecure",
    "max_body", "start",  "step",   "max",      "step_duration", "error_limit",     NULL};

const char *pg_executor_name(pg_executor e)
{
    return executor_names[e];
}

/* Keys that only some executors take: which executor owns each. */
static int key_fits(const char *key, pg_executor e)
{
    int ramping = e == PG_EXEC_RAMPING_VUS || e == PG_EXEC_RAMPING_ARRIVAL_RATE;

    if (strcmp(key, "vus") == 0)
        return e == PG_EXEC_CONSTANT_VUS;
    if (strcmp(key, "rate") == 0)
        return e == PG_EXEC_CONSTANT_ARRIVAL_RATE;
    if (strcmp(key, "start_vus") == 0)
        return e == PG_EXEC_RAMPING_VUS;
    if (strcmp(key, "start_rate") == 0)
        return e == PG_EXEC_RAMPING_ARRIVAL_RATE;
    if (strcmp(key, "stages") == 0 || strcmp(key, "preset") == 0 || strcmp(key, "target") == 0)
        return ramping;
    if (strcmp(key, "start") == 0 || strcmp(key, "step") == 0 || strcmp(key, "max") == 0 ||
        strcmp(key, "step_duration") == 0 || strcmp(key, "error_limit") == 0)
        return e == PG_EXEC_BREAKING_POINT;
    if (strcmp(key, "duration") == 0)
        return e != PG_EXEC_BREAKING_POINT;
    return 1;
}

static const char *key_owner(const char *key)
{
    if (strcmp(key, "vus") == 0)
        return "constant-vus";
    if (strcmp(key, "rate") == 0)
        return "constant-arrival-rate";
    if (strcmp(key, "start_vus") == 0)
        return "ramping-vus";
    if (strcmp(key, "start_rate") == 0)
        return "ramping-arrival-rate";
    if (strcmp(key, "duration") == 0)
        return "the other executors; a breaking-point run lasts as long as its steps hold "
               "(\"step_duration\" each)";
    if (strcmp(key, "stages") == 0 || strcmp(key, "preset") == 0 || strcmp(key, "target") == 0)
        return "ramping-vus and ramping-arrival-rate";
    return "breaking-point"; /* start, step, max, step_duration, error_limit */
}

/* breaking-point: the staircase start, start + step, ... <= max, each step
 * held for step_duration. Its length is the longest it can run (every step
 * held), so trials and the plan can be sized before it runs. */
static int parse_breaking_point(pg_fields *f, const cJSON *load, pg_load *l)
{
    const cJSON *lim = cJSON_GetObjectItemCaseSensitive(load, "error_limit");
    double steps;
    char why[256];
    int rc;

    if ((rc = pg_fields_rate(f, load, "start", "load", 1, &l->bp_start)) != 0 ||
        (rc = pg_fields_rate(f, load, "step", "load", 1, &l->bp_step)) != 0 ||
        (rc = pg_fields_rate(f, load, "max", "load", 1, &l->bp_max)) != 0 ||
        (rc = pg_fields_duration(f, load, "step_duration", "load", 1, &l->step_us)) != 0)
        return rc;
    if (l->bp_max < l->bp_start)
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(load, "max"), 0,
                                 "\"load.max\" (%g/s) is below \"load.start\" (%g/s): the "
                                 "staircase climbs from start to max",
                                 l->bp_max, l->bp_start);
    steps = floor((l->bp_max - l->bp_start) / l->bp_step + 1e-9) + 1.0;
    if (steps > 1000)
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(load, "step"), 0,
                                 "from %g/s to %g/s by %g/s is %.0f steps; at most 1000 (take a "
                                 "larger \"load.step\")",
                                 l->bp_start, l->bp_max, l->bp_step, steps);
    if (l->step_us < 100000)
        return pg_json_doc_error(f->err, f->doc,
                                 cJSON_GetObjectItemCaseSensitive(load, "step_duration"), 0,
                                 "\"load.step_duration\" must be at least 100ms");
    l->duration_us = (uint64_t)steps * l->step_us;
    l->rate = l->bp_start;
    l->error_limit = 0.01;
    if (lim && (!cJSON_IsString(lim) ||
                pg_parse_percent(lim->valuestring, &l->error_limit, why, sizeof why) != 0))
        return pg_json_doc_error(f->err, f->doc, lim, 0, "\"load.error_limit\": %s",
                                 cJSON_IsString(lim) ? why : "must be a percentage such as \"1%\"");
    return PG_OK;
}

/* A stage target: VUs (whole number) for closed models, a rate for open ones. */
static int stage_target(pg_fields *f, const cJSON *stage, const char *where, int open_model,
                        double *out)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(stage, "target");
    long vus = 0;
    int rc;

    if (open_model) {
        if (t && cJSON_IsNumber(t) && t->valuedouble == 0.0) {
            *out = 0.0;
            return PG_OK;
        }
        return pg_fields_rate(f, stage, "target", where, 1, out);
    }
    if ((rc = pg_fields_int(f, stage, "target", where, 1, 0, 100000, &vus)) != 0)
        return rc;
    *out = (double)vus;
    return PG_OK;
}

static int parse_stages(pg_fields *f, const cJSON *list, pg_load *l)
{
    static const char *const stage_keys[] = {"duration", "target", NULL};
    char where[64];
    size_t n = 0, i = 0;
    int rc;

    if (!cJSON_IsArray(list) || !(n = (size_t)cJSON_GetArraySize(list)))
        return pg_json_doc_error(f->err, f->doc, list, 0,
                                 "\"load.stages\" must be a non-empty list of "
                                 "{\"duration\": \"30s\", \"target\": N}");
    if (n > 1000)
        return pg_json_doc_error(f->err, f->doc, list, 0,
                                 "\"load.stages\" has %zu stages; at most 1000", n);
    if (!(l->stages = calloc(n, sizeof *l->stages)))
        return pg_err_set(f->err, PG_ENOMEM, "out of memory");
    l->n_stages = n;
    l->duration_us = 0;
    for (const cJSON *s = list->child; s; s = s->next, i++) {
        snprintf(where, sizeof where, "load.stages[%zu]", i);
        if ((rc = pg_fields_want_object(f, s, where)) != 0 ||
            (rc = pg_fields_check_keys(f, s, where, stage_keys)) != 0 ||
            (rc = pg_fields_duration(f, s, "duration", where, 1, &l->stages[i].duration_us)) != 0 ||
            (rc = stage_target(f, s, where, l->open_model, &l->stages[i].target)) != 0)
            return rc;
        l->duration_us += l->stages[i].duration_us;
    }
    if (l->duration_us == 0)
        return pg_json_doc_error(f->err, f->doc, list, 0,
                                 "\"load.stages\" add up to no time at all");
    return PG_OK;
}

/* Presets are shapes on stages, scaled to "target" (the peak) over "duration".
 * spike: quiet at 10% of the peak, a sudden jump, a short hold, a sudden drop
 * and a recovery period. stress: a staircase of 25/50/75/100% holds with short
 * ramps between them, then a ramp down, to see where latency bends. */
static int apply_preset(pg_fields *f, const cJSON *load, const char *preset, pg_load *l)
{
    static const double spike[][2] = {{0.10, 0.10}, {0.15, 0.10}, {0.05, 1.00},
                                      {0.20, 1.00}, {0.05, 0.10}, {0.45, 0.10}};
    static const double stress[][2] = {{0.05, 0.25}, {0.15, 0.25}, {0.05, 0.50},
                                       {0.15, 0.50}, {0.05, 0.75}, {0.15, 0.75},
                                       {0.05, 1.00}, {0.25, 1.00}, {0.10, 0.00}};
    static const char *const presets[] = {"spike", "stress", NULL};
    const cJSON *pm = cJSON_GetObjectItemCaseSensitive(load, "preset");
    const double(*shape)[2];
    size_t n;
    double peak = 0.0;
    int rc;

    if (strcmp(preset, "spike") == 0) {
        shape = spike;
        n = sizeof spike / sizeof *spike;
    } else if (strcmp(preset, "stress") == 0) {
        shape = stress;
        n = sizeof stress / sizeof *stress;
    } else {
        const char *hint = pg_suggest(preset, presets);
        return pg_json_doc_error(
            f->err, f->doc, pm, 0, "unknown preset \"%s\"%s%s%s; valid are spike, stress", preset,
            hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
    }
    if (cJSON_GetObjectItemCaseSensitive(load, "stages"))
        return pg_json_doc_error(
            f->err, f->doc, cJSON_GetObjectItemCaseSensitive(load, "stages"), 1,
            "\"load.stages\" and \"load.preset\" exclude each other: the preset makes the stages");
    if ((rc = pg_fields_duration(f, load, "duration", "load", 1, &l->duration_us)) != 0)
        return rc;
    if (l->open_model) {
        if ((rc = pg_fields_rate(f, load, "target", "load", 1, &peak)) != 0)
            return rc;
    } else {
        long vus = 0;
        if ((rc = pg_fields_int(f, load, "target", "load", 1, 1, 100000, &vus)) != 0)
            return rc;
        peak = (double)vus;
    }
    if (!(l->stages = calloc(n, sizeof *l->stages)) || !(l->preset = pg_strdup(preset)))
        return pg_err_set(f->err, PG_ENOMEM, "out of memory");
    l->n_stages = n;
    for (size_t i = 0; i < n; i++) {
        l->stages[i].duration_us = (uint64_t)llround(shape[i][0] * (double)l->duration_us);
        l->stages[i].target = l->open_model ? shape[i][1] * peak : round(shape[i][1] * peak);
    }
    return PG_OK;
}

static int parse_http(pg_fields *f, const cJSON *load, pg_load *l)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(load, "http");

    if (!m)
        return PG_OK;
    if (cJSON_IsString(m) &&
        (strcmp(m->valuestring, "1.1") == 0 || strcmp(m->valuestring, "2") == 0)) {
        l->http2 = strcmp(m->valuestring, "2") == 0;
        return PG_OK;
    }
    return pg_json_doc_error(f->err, f->doc, m, 0, "\"load.http\" must be \"1.1\" or \"2\"");
}

static int parse_schedule(pg_fields *f, const cJSON *load, pg_load *l)
{
    const cJSON *stages = cJSON_GetObjectItemCaseSensitive(load, "stages");
    const char *preset = NULL;
    int rc;

    switch (l->executor) {
    case PG_EXEC_CONSTANT_VUS:
        if ((rc = pg_fields_int(f, load, "vus", "load", 1, 1, 100000, &l->vus)) != 0)
            return rc;
        return pg_fields_duration(f, load, "duration", "load", 1, &l->duration_us);
    case PG_EXEC_CONSTANT_ARRIVAL_RATE:
        if ((rc = pg_fields_rate(f, load, "rate", "load", 1, &l->rate)) != 0)
            return rc;
        return pg_fields_duration(f, load, "duration", "load", 1, &l->duration_us);
    case PG_EXEC_BREAKING_POINT:
        return parse_breaking_point(f, load, l);
    default:
        break;
    }
    if (l->executor == PG_EXEC_RAMPING_VUS) {
        long start = 0;
        if ((rc = pg_fields_int(f, load, "start_vus", "load", 0, 0, 100000, &start)) != 0)
            return rc;
        l->start = (double)start;
    } else {
        const cJSON *sr = cJSON_GetObjectItemCaseSensitive(load, "start_rate");
        if (sr && !(cJSON_IsNumber(sr) && sr->valuedouble == 0.0) &&
            (rc = pg_fields_rate(f, load, "start_rate", "load", 0, &l->start)) != 0)
            return rc;
    }
    if ((rc = pg_fields_string(f, load, "preset", "load", 0, &preset)) != 0)
        return rc;
    if (preset)
        return apply_preset(f, load, preset, l);
    if (cJSON_GetObjectItemCaseSensitive(load, "target"))
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(load, "target"),
                                 1,
                                 "\"load.target\" goes with \"load.preset\"; with stages, each "
                                 "stage has its own target");
    if (!stages)
        return pg_json_doc_error(
            f->err, f->doc, load, 0,
            "%s needs \"stages\" (a list of {\"duration\", \"target\"}) or a \"preset\" "
            "(spike, stress) with \"target\" and \"duration\"",
            pg_executor_name(l->executor));
    if (cJSON_GetObjectItemCaseSensitive(load, "duration"))
        return pg_json_doc_error(
            f->err, f->doc, cJSON_GetObjectItemCaseSensitive(load, "duration"), 1,
            "\"load.duration\" conflicts with \"load.stages\": the stages add up to the duration");
    return parse_stages(f, stages, l);
}

int pg_section_load(pg_fields *f, const cJSON *load, pg_load *l)
{
    const char *exec = NULL;
    const cJSON *em;
    size_t i;
    int rc;

    if ((rc = pg_fields_want_object(f, load, "load")) != 0 ||
        (rc = pg_fields_check_keys(f, load, "load", load_keys)) != 0 ||
        (rc = pg_fields_string(f, load, "executor", "load", 1, &exec)) != 0)
        return rc;
    em = cJSON_GetObjectItemCaseSensitive(load, "executor");
    for (i = 0; i < sizeof executors / sizeof *executors; i++)
        if (strcmp(executors[i].name, exec) == 0)
            break;
    if (i == sizeof executors / sizeof *executors) {
        const char *hint = pg_suggest(exec, executor_names);
        if (hint)
            return pg_json_doc_error(f->err, f->doc, em, 0,
                                     "unknown executor \"%s\"; did you mean \"%s\"?", exec, hint);
        return pg_json_doc_error(f->err, f->doc, em, 0,
                                 "unknown executor \"%s\"; valid are constant-vus, ramping-vus, "
                                 "constant-arrival-rate, ramping-arrival-rate, breaking-point",
                                 exec);
    }
    l->executor = executors[i].exec;
    l->open_model = l->executor == PG_EXEC_CONSTANT_ARRIVAL_RATE ||
                    l->executor == PG_EXEC_RAMPING_ARRIVAL_RATE ||
                    l->executor == PG_EXEC_BREAKING_POINT;
    for (const cJSON *m = load->child; m; m = m->next)
        if (!key_fits(m->string, l->executor))
            return pg_json_doc_error(f->err, f->doc, m, 1,
                                     "\"load.%s\" does not apply to %s; it belongs to %s",
                                     m->string, exec, key_owner(m->string));
    if ((rc = parse_schedule(f, load, l)) != 0)
        return rc;
    if (l->duration_us < 100000)
        return pg_json_doc_error(f->err, f->doc, load, 0,
                                 "the load lasts under 100ms; measure for at least 1s");
    l->timeout_us = 10000000;
    l->max_body = 64 * 1024;
    if ((rc = pg_fields_duration(f, load, "warmup", "load", 0, &l->warmup_us)) != 0 ||
        (rc = pg_fields_duration(f, load, "timeout", "load", 0, &l->timeout_us)) != 0 ||
        (rc = parse_http(f, load, l)) != 0 ||
        (rc = pg_fields_bool(f, load, "insecure", "load", &l->insecure)) != 0)
        return rc;
    if (l->timeout_us < 1000)
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(load, "timeout"),
                                 0, "\"load.timeout\" must be at least 1ms");
    {
        const cJSON *mb = cJSON_GetObjectItemCaseSensitive(load, "max_body");
        char why[256];
        if (mb) {
            if (!cJSON_IsString(mb) ||
                pg_parse_size(mb->valuestring, &l->max_body, why, sizeof why) != 0)
                return pg_json_doc_error(f->err, f->doc, mb, 0, "\"load.max_body\": %s",
                                         cJSON_IsString(mb) ? why
                                                            : "must be a size such as \"64KiB\"");
        }
    }
    l->max_connections = l->executor == PG_EXEC_CONSTANT_VUS ? l->vus : 100;
    if (l->executor == PG_EXEC_RAMPING_VUS) {
        double peak = l->start;
        for (i = 0; i < l->n_stages; i++)
            peak = fmax(peak, l->stages[i].target);
        l->max_connections = (long)fmax(1.0, peak);
    }
    return pg_fields_int(f, load, "max_connections", "load", 0, 1, 100000, &l->max_connections);
}

int pg_load_repeats(const pg_budget *b)
{
    return b->load.executor == PG_EXEC_RAMPING_VUS ||
           b->load.executor == PG_EXEC_RAMPING_ARRIVAL_RATE ||
           b->load.executor == PG_EXEC_BREAKING_POINT;
}

uint64_t pg_load_trial_us(const pg_budget *b)
{
    return pg_load_repeats(b) ? b->load.duration_us : b->load.duration_us / (uint64_t)b->trials;
}

uint64_t pg_load_total_us(const pg_budget *b)
{
    return pg_load_repeats(b) ? b->load.duration_us * (uint64_t)b->trials : b->load.duration_us;
}

double pg_load_target_at(const pg_load *l, uint64_t t_us)
{
    double from = l->start;
    uint64_t at = 0;

    if (l->executor == PG_EXEC_CONSTANT_VUS)
        return (double)l->vus;
    if (l->executor == PG_EXEC_CONSTANT_ARRIVAL_RATE)
        return l->rate;
    if (l->executor == PG_EXEC_BREAKING_POINT) {
        double r = l->bp_start + l->bp_step * floor((double)t_us / (double)l->step_us);
        return r < l->bp_max ? r : l->bp_max;
    }
    for (size_t i = 0; i < l->n_stages; i++) {
        const pg_stage *s = &l->stages[i];
        if (t_us < at + s->duration_us) {
            double frac = (double)(t_us - at) / (double)s->duration_us;
            return from + (s->target - from) * frac;
        }
        at += s->duration_us;
        from = s->target;
    }
    return from;
}
