/* checks.c — the "thresholds" and "regression" sections (see budget.h).
 *
 * Thresholds are absolute limits checked on every run, as in k6. Regression
 * settings say which per-trial values are compared against the baseline and
 * how large a change must be to matter. A regression check that can never
 * fail is refused: with n trials a side the smallest one-sided Mann-Whitney
 * p-value is 1 / C(2n, n), so n = 4 can never get under alpha = 0.01. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/metric_catalog.h"
#include "config/sections.h"

static int oom(pg_fields *f)
{
    return pg_err_set(f->err, PG_ENOMEM, "out of memory");
}

static const char *const *metric_names(void)
{
    static const char *names[48];

    if (!names[0])
        for (size_t i = 0; pg_metric_defs[i].name && i < 47; i++)
            names[i] = pg_metric_defs[i].name;
    return names;
}

/* The closest of the gauges b scrapes (at most 64 looked at), or NULL. */
static const char *suggest_gauge(const char *word, const pg_budget *b)
{
    const char *names[65];
    size_t n = 0;

    for (size_t i = 0; i < b->monitor.n_scrapes; i++)
        for (size_t j = 0; j < b->monitor.scrapes[i].n_gauges && n < 64; j++)
            names[n++] = b->monitor.scrapes[i].gauges[j].name;
    names[n] = NULL;
    return pg_suggest(word, names);
}

/* A metric the budget cannot measure is an error, not a threshold skipped
 * for want of data on every run. */
static int check_measurable(pg_fields *f, const cJSON *m, const char *base, const pg_budget *b)
{
    int id = pg_value_index(base);

    if (id >= 0 && pg_value_defs[id].use == PG_COMPARE_STAIRCASE &&
        b->load.executor != PG_EXEC_BREAKING_POINT)
        return pg_json_doc_error(f->err, f->doc, m, 1,
                                 "%s is measured by the breaking-point executor only; "
                                 "this budget runs %s",
                                 base, pg_executor_name(b->load.executor));
    if (strncmp(base, "target_", 7) == 0 && !b->monitor.pid && !b->monitor.pid_file &&
        !b->monitor.command)
        return pg_json_doc_error(f->err, f->doc, m, 1,
                                 "%s needs a target process to watch: add \"monitor\": "
                                 "{\"command\": \"NAME\"} (or \"pid\", or \"pid_file\")",
                                 base);
    return PG_OK;
}

/* A filter's scenario and name (request name) are the budget's. */
static int check_tag(pg_fields *f, const cJSON *m, const pg_threshold *t, const pg_budget *b)
{
    for (int scenario = 0; scenario < 2; scenario++) {
        const char *want = t->filter.value[scenario ? PG_TAG_SCENARIO : PG_TAG_NAME];
        const char *names[64];
        size_t n = 0;
        int found = 0;

        if (!want)
            continue;
        for (size_t i = 0; i < b->n_scenarios && !found; i++) {
            const pg_scenario *s = &b->scenarios[i];
            for (size_t r = 0; r < (scenario ? 1 : s->n_requests) && !found; r++) {
                const char *name = scenario ? s->name : s->requests[r].name;
                found = strcmp(name, want) == 0;
                if (n < 63)
                    names[n++] = name;
            }
        }
        names[n] = NULL;
        if (!found) {
            const char *hint = pg_suggest(want, names);
            const char *what = scenario ? "scenario" : "request";
            char list[512];
            pg_join(names, list, sizeof list);
            if (hint)
                return pg_json_doc_error(f->err, f->doc, m, 1,
                                         "\"%s\" names no %s of this budget; did you mean \"%s\"?",
                                         m->string, what, hint);
            return pg_json_doc_error(f->err, f->doc, m, 1,
                                     "\"%s\" names no %s of this budget; %ss are %s", m->string,
                                     what, what, list);
        }
    }
    return PG_OK;
}

/* k6's camelCase spelling of a key, or ours, in *key: one of them, never both. */
static int either(pg_fields *f, const cJSON *e, const char *ours, const char *k6, const char **key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, ours),
                *b = cJSON_GetObjectItemCaseSensitive(e, k6);

    *key = a || !b ? ours : k6;
    if (a && b)
        return pg_json_doc_error(f->err, f->doc, b, 1, "\"%s\" is \"%s\" again; give one of them",
                                 k6, ours);
    return PG_OK;
}

/* abort_on_fail (abortOnFail) and delay_abort_eval (delayAbortEval). */
static int abort_keys(pg_fields *f, const cJSON *e, pg_threshold *t)
{
    const char *abort_key, *delay_key;
    int rc;

    if ((rc = either(f, e, "abort_on_fail", "abortOnFail", &abort_key)) != 0 ||
        (rc = either(f, e, "delay_abort_eval", "delayAbortEval", &delay_key)) != 0 ||
        (rc = pg_fields_bool(f, e, abort_key, "a threshold", &t->abort_on_fail)) != 0 ||
        (rc = pg_fields_duration(f, e, delay_key, "a threshold", 0, &t->delay_abort_us)) != 0)
        return rc;
    if (t->delay_abort_us && !t->abort_on_fail)
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(e, delay_key), 1,
                                 "\"%s\" delays abort_on_fail, which this threshold does not set",
                                 delay_key);
    return PG_OK;
}

/* abort_on_fail acts while the run goes on: on what the engine sees then. */
static int check_abort(pg_fields *f, const cJSON *e, const pg_threshold *t, const pg_budget *b)
{
    if (!t->abort_on_fail)
        return PG_OK;
    if (b->load.executor == PG_EXEC_BREAKING_POINT)
        return pg_json_doc_error(f->err, f->doc, e, 0,
                                 "abort_on_fail does not apply to a breaking-point budget: its "
                                 "staircase already stops at the first step that breaks a "
                                 "threshold");
    if (!pg_threshold_watchable(t))
        return pg_json_doc_error(f->err, f->doc, e, 0,
                                 "abort_on_fail watches http_req_duration (without a tag), "
                                 "http_req_failed, checks, http_reqs and dropped_iterations while "
                                 "the run goes on; %s is known only at its end",
                                 t->metric);
    return PG_OK;
}

/* One entry: a string "p(95)<200ms" or {"threshold": "...", "abort_on_fail": true}. */
static int parse_one(pg_fields *f, const cJSON *m, const cJSON *e, pg_threshold *t)
{
    static const char *const obj_keys[] = {"threshold",        "abort_on_fail",  "abortOnFail",
                                           "delay_abort_eval", "delayAbortEval", NULL};
    const cJSON *expr = e;
    char why[512];
    int rc;

    if (cJSON_IsObject(e)) {
        if ((rc = pg_fields_check_keys(f, e, "a threshold", obj_keys)) != 0 ||
            (rc = abort_keys(f, e, t)) != 0)
            return rc;
        if (!(expr = cJSON_GetObjectItemCaseSensitive(e, "threshold")))
            return pg_json_doc_error(f->err, f->doc, e, 0,
                                     "missing required key \"threshold\" in a threshold");
    }
    if (!cJSON_IsString(expr))
        return pg_json_doc_error(f->err, f->doc, expr, 0,
                                 "a threshold is a string such as \"p(95)<200ms\" or "
                                 "{\"threshold\": \"...\", \"abort_on_fail\": true}");
    if (pg_threshold_parse_expr(expr->valuestring, t->def, t, why, sizeof why) != 0)
        return pg_json_doc_error(f->err, f->doc, expr, 0, "threshold on %s: %s", m->string, why);
    pg_json_doc_where(f->doc, expr, 0, &t->line, &t->col);
    if (!(t->source = pg_strdup(expr->valuestring)))
        return oom(f);
    return PG_OK;
}

int pg_section_thresholds(pg_fields *f, const cJSON *obj, pg_budget *b)
{
    size_t total = 0, k = 0;
    int rc;

    if ((rc = pg_fields_want_object(f, obj, "thresholds")) != 0)
        return rc;
    for (const cJSON *m = obj->child; m; m = m->next)
        total += cJSON_IsArray(m) ? (size_t)cJSON_GetArraySize(m) : 1;
    if (total && !(b->thresholds = calloc(total, sizeof *b->thresholds)))
        return oom(f);
    for (const cJSON *m = obj->child; m; m = m->next) {
        char *base = NULL, why[512];
        pg_tag_filter tags = {0};
        const pg_metric_def *def;
        const cJSON *e;

        for (const cJSON *p = obj->child; p != m; p = p->next)
            if (strcmp(p->string, m->string) == 0)
                return pg_json_doc_error(
                    f->err, f->doc, m, 1,
                    "duplicate metric \"%s\" in thresholds; list all its thresholds in one array",
                    m->string);
        rc = pg_metric_key_split(m->string, &base, &tags, why, sizeof why);
        if (rc == PG_EINVALID)
            return pg_json_doc_error(f->err, f->doc, m, 1, "%s", why);
        def = rc == 0 ? pg_metric_lookup(base) : NULL;
        if (rc == 0 && !def && !tags.n && pg_budget_gauge(b, base))
            def = &pg_metric_scraped;
        if (rc != 0 || !def) {
            const char *hint = rc == 0 ? pg_suggest(base, metric_names()) : NULL;
            if (rc == 0 && !hint)
                hint = suggest_gauge(base, b);
            char list[1024];
            pg_join(metric_names(), list, sizeof list);
            if (rc == 0 && hint)
                pg_json_doc_error(f->err, f->doc, m, 1,
                                  "unknown metric \"%s\"; did you mean \"%s\"?", base, hint);
            else if (rc == 0)
                pg_json_doc_error(f->err, f->doc, m, 1,
                                  "unknown metric \"%s\"; valid metrics are %s, and the gauges "
                                  "named in monitor.scrape",
                                  base, list);
            else
                oom(f);
            free(base), pg_tag_filter_clear(&tags);
            return rc == 0 ? PG_EINVALID : rc;
        }
        if ((rc = check_measurable(f, m, base, b)) != 0) {
            free(base), pg_tag_filter_clear(&tags);
            return rc;
        }
        if (tags.n && strcmp(base, "http_req_duration") != 0) {
            free(base), pg_tag_filter_clear(&tags);
            return pg_json_doc_error(
                f->err, f->doc, m, 1,
                "sub-metrics ({scenario:...}, {status:...}, ...) are measured for "
                "http_req_duration only");
        }
        if (cJSON_IsArray(m) && !cJSON_GetArraySize(m)) {
            free(base), pg_tag_filter_clear(&tags);
            return pg_json_doc_error(f->err, f->doc, m, 0, "thresholds of \"%s\" is an empty list",
                                     m->string);
        }
        for (e = cJSON_IsArray(m) ? m->child : m; e; e = cJSON_IsArray(m) ? e->next : NULL) {
            pg_threshold *t = &b->thresholds[k++];
            b->n_thresholds = k;
            t->def = def;
            int copied = 1;
            for (int key = 0; key < PG_TAG_KEY_COUNT; key++)
                if (tags.value[key] && !(t->filter.value[key] = pg_strdup(tags.value[key])))
                    copied = 0;
            t->filter.n = tags.n;
            if (!copied || !(t->metric = pg_strdup(m->string)) || !(t->base = pg_strdup(base))) {
                free(base), pg_tag_filter_clear(&tags);
                return oom(f);
            }
            if ((rc = parse_one(f, m, e, t)) != 0 || (rc = check_tag(f, m, t, b)) != 0 ||
                (rc = check_abort(f, e, t, b)) != 0) {
                free(base), pg_tag_filter_clear(&tags);
                return rc;
            }
        }
        free(base), pg_tag_filter_clear(&tags);
    }
    return PG_OK;
}

static int add_metric(pg_fields *f, pg_budget *b, pg_value_id id)
{
    pg_regression *r = &b->regression;
    pg_regression_metric *m = realloc(r->metrics, (r->n_metrics + 1) * sizeof *m);

    if (!m)
        return oom(f);
    r->metrics = m;
    m[r->n_metrics].min_effect = pg_value_defs[id].min_effect;
    if (!(m[r->n_metrics].name = pg_strdup(pg_value_defs[id].name)))
        return oom(f);
    r->n_metrics++;
    return PG_OK;
}

static int parse_metrics(pg_fields *f, const cJSON *list, pg_budget *b)
{
    int rc;

    if (!list) {
        /* A staircase's latency is measured at whatever step it reached, so
         * only the capacity itself compares like with like. */
        pg_compare_use use = b->load.executor == PG_EXEC_BREAKING_POINT ? PG_COMPARE_STAIRCASE
                                                                        : PG_COMPARE_BY_DEFAULT;
        for (int id = 0; id < PG_N_VALUES; id++) {
            pg_compare_use u = pg_value_defs[id].use;
            if (u == PG_COMPARE_SAME_TIME && use == PG_COMPARE_BY_DEFAULT)
                u = use; /* the gate compares it only between sides measured at once */
            if (u == use && (rc = add_metric(f, b, (pg_value_id)id)) != 0)
                return rc;
        }
        return PG_OK;
    }
    if (!cJSON_IsArray(list) || !cJSON_GetArraySize(list))
        return pg_json_doc_error(
            f->err, f->doc, list, 0,
            "\"regression.metrics\" must be a non-empty list such as [\"p50\", \"p95\", \"rps\"]");
    for (const cJSON *e = list->child; e; e = e->next) {
        int id;
        if (!cJSON_IsString(e))
            return pg_json_doc_error(f->err, f->doc, e, 0,
                                     "\"regression.metrics\" lists names as strings");
        if ((id = pg_value_index(e->valuestring)) < 0) {
            const char *hint = pg_suggest(e->valuestring, pg_value_names);
            char all[256];
            pg_join(pg_value_names, all, sizeof all);
            if (hint)
                return pg_json_doc_error(f->err, f->doc, e, 0,
                                         "unknown regression metric \"%s\"; did you mean \"%s\"?",
                                         e->valuestring, hint);
            return pg_json_doc_error(f->err, f->doc, e, 0,
                                     "unknown regression metric \"%s\"; valid are %s",
                                     e->valuestring, all);
        }
        if (pg_value_defs[id].use == PG_COMPARE_STAIRCASE &&
            b->load.executor != PG_EXEC_BREAKING_POINT)
            return pg_json_doc_error(f->err, f->doc, e, 0,
                                     "%s is measured by the breaking-point executor "
                                     "only; this budget runs %s",
                                     e->valuestring, pg_executor_name(b->load.executor));
        for (size_t i = 0; i < b->regression.n_metrics; i++)
            if (strcmp(b->regression.metrics[i].name, e->valuestring) == 0)
                return pg_json_doc_error(f->err, f->doc, e, 0,
                                         "\"%s\" is listed twice in regression.metrics",
                                         e->valuestring);
        if ((rc = add_metric(f, b, (pg_value_id)id)) != 0)
            return rc;
    }
    return PG_OK;
}

/* A share (the error rate) changes by a difference, the rest by a ratio. */
static int is_share(const char *metric)
{
    int id = pg_value_index(metric);
    return id >= 0 && pg_value_defs[id].unit == PG_UNIT_SHARE;
}

/* One min_effect value: "5%" for ratio metrics, "0.1pp" (percentage points) for a share. */
static int effect_value(pg_fields *f, const cJSON *v, const char *metric, double *out)
{
    char why[256];
    int pp = is_share(metric);

    if (!cJSON_IsString(v))
        return pg_json_doc_error(f->err, f->doc, v, 0,
                                 "min_effect of %s must be a string such as \"%s\"", metric,
                                 pp ? "0.1pp" : "5%");
    if (pp) {
        size_t n = strlen(v->valuestring);
        char num[64], *end;
        double x;
        if (n < 3 || n >= sizeof num || strcmp(v->valuestring + n - 2, "pp") != 0)
            return pg_json_doc_error(f->err, f->doc, v, 0,
                                     "min_effect of %s is in percentage points, e.g. \"0.1pp\"",
                                     metric);
        memcpy(num, v->valuestring, n - 2);
        num[n - 2] = '\0';
        x = strtod(num, &end);
        if (*end || end == num || !(x > 0.0 && x <= 100.0))
            return pg_json_doc_error(f->err, f->doc, v, 0,
                                     "min_effect of %s must be above 0pp and at most 100pp",
                                     metric);
        *out = x / 100.0;
        return PG_OK;
    }
    if (pg_parse_percent(v->valuestring, out, why, sizeof why) != 0)
        return pg_json_doc_error(f->err, f->doc, v, 0, "min_effect of %s: %s", metric, why);
    return PG_OK;
}

static int parse_min_effect(pg_fields *f, const cJSON *me, pg_budget *b)
{
    pg_regression *r = &b->regression;
    int rc;

    if (!me)
        return PG_OK;
    if (cJSON_IsString(me)) {
        /* One figure for all relative metrics (and the threshold series
         * compared with the baseline); a share keeps its own unit. */
        if ((rc = effect_value(f, me, "p50", &r->min_effect)) != 0)
            return rc;
        for (size_t i = 0; i < r->n_metrics; i++)
            if (!is_share(r->metrics[i].name) &&
                (rc = effect_value(f, me, r->metrics[i].name, &r->metrics[i].min_effect)) != 0)
                return rc;
        return PG_OK;
    }
    if (!cJSON_IsObject(me))
        return pg_json_doc_error(
            f->err, f->doc, me, 0,
            "\"regression.min_effect\" must be a percentage such as \"5%%\" or an object "
            "per metric, e.g. {\"p95\": \"10%%\", \"error_rate\": \"0.1pp\"}");
    for (const cJSON *m = me->child; m; m = m->next) {
        size_t i;
        for (i = 0; i < r->n_metrics; i++)
            if (strcmp(r->metrics[i].name, m->string) == 0)
                break;
        if (i == r->n_metrics)
            return pg_json_doc_error(f->err, f->doc, m, 1,
                                     "min_effect names \"%s\", which is not in regression.metrics",
                                     m->string);
        if ((rc = effect_value(f, m, m->string, &r->metrics[i].min_effect)) != 0)
            return rc;
    }
    return PG_OK;
}

/* 1 / C(2n, n): the chance of the one most extreme rank arrangement. */
static double min_p_value(long n)
{
    return exp(2.0 * lgamma((double)(n + 1)) - lgamma((double)(2 * n + 1)));
}

int pg_section_regression(pg_fields *f, const cJSON *obj, pg_budget *b)
{
    static const char *const keys[] = {"enabled", "metrics", "min_effect", "alpha", NULL};
    pg_regression *r = &b->regression;
    double pmin;
    int rc;

    r->enabled = 1;
    r->alpha = 0.01;
    if (obj && cJSON_IsFalse(obj)) {
        r->enabled = 0;
        return PG_OK;
    }
    if (obj) {
        if ((rc = pg_fields_want_object(f, obj, "regression")) != 0 ||
            (rc = pg_fields_check_keys(f, obj, "regression", keys)) != 0 ||
            (rc = pg_fields_bool(f, obj, "enabled", "regression", &r->enabled)) != 0 ||
            (rc = pg_fields_number(f, obj, "alpha", "regression", 0, 1e-6, 0.5, &r->alpha)) != 0)
            return rc;
    }
    if ((rc = parse_metrics(f, obj ? cJSON_GetObjectItemCaseSensitive(obj, "metrics") : NULL, b)) !=
            0 ||
        (rc = parse_min_effect(f, obj ? cJSON_GetObjectItemCaseSensitive(obj, "min_effect") : NULL,
                               b)) != 0)
        return rc;
    pmin = min_p_value(b->trials);
    if (r->enabled && pmin >= r->alpha) {
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(f->doc->root, "trials");
        long need = b->trials;
        pg_err weak;
        while (min_p_value(need) >= r->alpha)
            need++;
        if (!at)
            at = obj && cJSON_GetObjectItemCaseSensitive(obj, "alpha")
                     ? cJSON_GetObjectItemCaseSensitive(obj, "alpha")
                 : obj ? obj
                       : f->doc->root;
        pg_json_doc_error(&weak, f->doc, at, 0,
                          "%ld trials per side can never show a regression at alpha %g (the "
                          "smallest possible p-value is %.4f); use \"trials\": %ld or more, a "
                          "larger alpha, or \"regression\": false",
                          b->trials, r->alpha, pmin, need);
        /* a run compares nothing: it is told, not refused */
        if (f->compared) {
            *f->err = weak;
            return PG_EINVALID;
        }
        pg_err_format(&weak, b->warning, sizeof b->warning);
    }
    return PG_OK;
}
