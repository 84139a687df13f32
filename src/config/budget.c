/* budget.c — the budget file's top level: name, target, trials, and the
 * order in which sections are checked (see budget.h).
 *
 * Sections are validated in the order a reader fixes them: structure first,
 * then load, scenarios, thresholds (which may name scenarios) and regression
 * (which needs trials). The first error wins; fixing errors one at a time
 * with exact positions is what compilers taught everyone to expect. */
#include "config/budget.h"

#include <curl/curl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "config/json_doc.h"
#include "config/sections.h"

char *pg_strdup(const char *s)
{
    char *p;
    size_t n;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    if ((p = malloc(n)))
        memcpy(p, s, n);
    return p;
}

const char *const pg_http_methods[] = {
#define PG_HTTP_METHOD_NAME(name, idempotent) name,
    PG_HTTP_METHODS(PG_HTTP_METHOD_NAME)
#undef PG_HTTP_METHOD_NAME
        NULL};

int pg_http_method_idempotent(const char *method)
{
#define PG_HTTP_METHOD_IDEMPOTENT(name, idempotent)                                                \
    if (strcmp(method, name) == 0)                                                                 \
        return idempotent;
    PG_HTTP_METHODS(PG_HTTP_METHOD_IDEMPOTENT)
#undef PG_HTTP_METHOD_IDEMPOTENT
    return 0;
}

static const char *const top_keys[] = {"name",       "description", "target",  "load",
                                       "trials",     "scenarios",   "monitor", "thresholds",
                                       "regression", "data",        "cookies", NULL};

/* The target must be an absolute http(s) URL; libcurl's URL parser decides. */
static int check_target(pg_fields *f, const cJSON *root, pg_budget *b)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "target");
    const char *s = NULL;
    CURLU *u = NULL;
    char *scheme = NULL, *host = NULL, *query = NULL;
    int rc;
    size_t n;

    if (!m) /* --target would have been put in its place */
        return pg_json_doc_error(f->err, f->doc, root, 0,
                                 "missing required key \"target\" in the budget; give the URL "
                                 "there or on the command line with --target URL");
    if ((rc = pg_fields_string(f, root, "target", "the budget", 1, &s)) != 0)
        return rc;
    rc = PG_EINVALID;
    if (!(u = curl_url()))
        return pg_err_set(f->err, PG_ENOMEM, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, s, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        pg_json_doc_error(f->err, f->doc, m, 0,
                          "\"target\" \"%s\" is not a URL; write e.g. \"http://127.0.0.1:8080\"",
                          s);
        goto out;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        pg_json_doc_error(f->err, f->doc, m, 0, "\"target\" must be http:// or https://, not %s://",
                          scheme);
        goto out;
    }
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK) {
        pg_json_doc_error(f->err, f->doc, m, 0,
                          "\"target\" must not have a query; put it in each request's path");
        goto out;
    }
    if (!(b->target = pg_strdup(s))) {
        rc = pg_err_set(f->err, PG_ENOMEM, "out of memory");
        goto out;
    }
    n = strlen(b->target);
    while (n > 0 && b->target[n - 1] == '/')
        b->target[--n] = '\0';
    rc = PG_OK;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(query);
    curl_url_cleanup(u);
    return rc;
}

int pg_load_h2c_broken(const pg_load *l, const char *target, char *why, size_t why_size)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);

    if (!l->http2 || strncmp(target, "http://", 7) != 0 || v->version_num >= 0x080000)
        return 0;
    snprintf(why, why_size,
             "\"http\": \"2\" on an http:// target (HTTP/2 without TLS) fails on every reused "
             "connection with this libcurl (%s; curl issue 10634, fixed in 8.0.0); use an https:// "
             "target, or \"http\": \"1.1\"",
             v->version);
    return 1;
}

static int check_h2c(pg_fields *f, const cJSON *load, const pg_budget *b)
{
    char why[512];

    if (!pg_load_h2c_broken(&b->load, b->target, why, sizeof why))
        return PG_OK;
    return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(load, "http"), 0,
                             "%s", why);
}

/* --duration: the measured time; a ramp's stages and a staircase's steps in
 * proportion (a breaking-point budget: its longest staircase takes it). */
static int scale_duration(pg_fields *f, pg_budget *b, uint64_t to_us)
{
    pg_load *l = &b->load;

    if (l->executor == PG_EXEC_BREAKING_POINT) {
        uint64_t steps = l->duration_us / l->step_us;
        if (to_us / steps < 100000)
            return pg_err_at(f->err, PG_EINVALID, f->doc->path, 0, 0,
                             "--duration (from the command line): over %llu steps it leaves "
                             "under 100ms a step",
                             (unsigned long long)steps);
        l->step_us = to_us / steps;
        l->duration_us = steps * l->step_us;
        return PG_OK;
    }
    for (size_t i = 0; i < l->n_stages; i++)
        l->stages[i].duration_us =
            (uint64_t)((double)l->stages[i].duration_us * (double)to_us / (double)l->duration_us);
    l->duration_us = to_us;
    return PG_OK;
}

/* The command line's --target and --trials take the place of the file's
 * values before validation, so they are checked as the file's are. */
static int put_overrides(pg_json_doc *doc, const pg_budget_overrides *ov, pg_err *err)
{
    if (!cJSON_IsObject(doc->root))
        return PG_OK; /* the parser says what is wrong with it */
    if (ov->target &&
        pg_json_doc_override(doc, "target", cJSON_CreateString(ov->target), "--target") != 0)
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    if (ov->trials && pg_json_doc_override(doc, "trials", cJSON_CreateNumber((double)ov->trials),
                                           "--trials") != 0)
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    return PG_OK;
}

static int parse_root(pg_fields *f, const cJSON *root, pg_budget *b, uint64_t duration_us)
{
    const cJSON *section;
    const char *s = NULL;
    int rc, cookies = 0;

    if (!cJSON_IsObject(root))
        return pg_json_doc_error(
            f->err, f->doc, root, 0,
            "a budget file is one JSON object ({ \"name\": ..., \"target\": ..., "
            "\"load\": ..., \"scenarios\": [...] })");
    if ((rc = pg_fields_check_keys(f, root, "the budget", top_keys)) != 0)
        return rc;
    if ((rc = pg_fields_name(f, root, "name", "the budget", 1, &s)) != 0)
        return rc;
    if (!(b->name = pg_strdup(s)))
        return pg_err_set(f->err, PG_ENOMEM, "out of memory");
    s = NULL;
    if ((rc = pg_fields_string(f, root, "description", "the budget", 0, &s)) != 0)
        return rc;
    if (s && !(b->description = pg_strdup(s)))
        return pg_err_set(f->err, PG_ENOMEM, "out of memory");
    if ((rc = check_target(f, root, b)) != 0)
        return rc;
    if (!(section = cJSON_GetObjectItemCaseSensitive(root, "load")))
        return pg_json_doc_error(f->err, f->doc, root, 0,
                                 "missing required key \"load\" in the budget");
    if ((rc = pg_section_load(f, section, &b->load)) != 0 || (rc = check_h2c(f, section, b)) != 0)
        return rc;
    if (duration_us && (rc = scale_duration(f, b, duration_us)) != 0)
        return rc;
    b->trials = 6;
    if ((rc = pg_fields_int(f, root, "trials", "the budget", 0, 1, 100, &b->trials)) != 0)
        return rc;
    /* a breaking-point trial is a whole staircase (its steps are checked in
     * load), a ramp's the whole profile */
    if (!pg_load_repeats(b) && pg_load_trial_us(b) < 100000) {
        section = cJSON_GetObjectItemCaseSensitive(root, "trials");
        return pg_json_doc_error(f->err, f->doc, section ? section : root, 0,
                                 "%ld trials of a %.3gs run leave under 100ms each; lengthen "
                                 "load.duration%s or lower trials",
                                 b->trials, (double)b->load.duration_us / 1e6,
                                 duration_us ? " (--duration)" : "");
    }
    if (!(section = cJSON_GetObjectItemCaseSensitive(root, "scenarios")))
        return pg_json_doc_error(f->err, f->doc, root, 0,
                                 "missing required key \"scenarios\" in the budget");
    if ((rc = pg_fields_bool(f, root, "cookies", "the budget", &cookies)) != 0 ||
        (rc = pg_section_data(f, cJSON_GetObjectItemCaseSensitive(root, "data"), b)) != 0 ||
        (rc = pg_section_scenarios(f, section, b, cookies)) != 0)
        return rc;
    /* before thresholds: they may name the gauges it scrapes */
    if ((rc = pg_section_monitor(f, cJSON_GetObjectItemCaseSensitive(root, "monitor"),
                                 &b->monitor)) != 0)
        return rc;
    if ((section = cJSON_GetObjectItemCaseSensitive(root, "thresholds")) &&
        (rc = pg_section_thresholds(f, section, b)) != 0)
        return rc;
    return pg_section_regression(f, cJSON_GetObjectItemCaseSensitive(root, "regression"), b);
}

int pg_budget_parse(pg_budget **out, const char *path, const char *text, size_t len, pg_err *err)
{
    return pg_budget_parse_with(out, path, text, len, NULL, err);
}

int pg_budget_parse_with(pg_budget **out, const char *path, const char *text, size_t len,
                         const pg_budget_overrides *ov, pg_err *err)
{
    /* no overrides: the file alone, judged as a budget to be compared */
    static const pg_budget_overrides none = {NULL, 0, 0, 1};
    pg_json_doc doc;
    pg_budget *b = NULL;
    pg_fields f;
    int rc;

    *out = NULL;
    if (!ov)
        ov = &none;
    if ((rc = pg_json_doc_parse(&doc, path, text, len, err)) != 0)
        return rc;
    f.doc = &doc;
    f.err = err;
    f.compared = ov->compared;
    if ((rc = put_overrides(&doc, ov, err)) != 0)
        goto out;
    if (!(b = calloc(1, sizeof *b)) || !(b->path = pg_strdup(path))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = parse_root(&f, doc.root, b, ov->duration_us)) != 0)
        goto out;
    *out = b;
    b = NULL;
out:
    pg_budget_free(b);
    pg_json_doc_free(&doc);
    return rc;
}

int pg_budget_load(pg_budget **out, const char *path, pg_err *err)
{
    return pg_budget_load_with(out, path, NULL, err);
}

int pg_budget_load_with(pg_budget **out, const char *path, const pg_budget_overrides *ov,
                        pg_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    if ((rc = pg_file_read(&text, &len, path, 16u << 20, err)) != 0)
        return rc;
    rc = pg_budget_parse_with(out, path, text, len, ov, err);
    free(text);
    return rc;
}

static void free_request(pg_request *r)
{
    free(r->name);
    free(r->method);
    free(r->path);
    pg_template_clear(&r->path_tpl);
    pg_template_clear(&r->body_tpl);
    free(r->body_as_written);
    for (size_t i = 0; i < r->n_extracts; i++)
        pg_extract_clear(&r->extracts[i]);
    free(r->extracts);
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
        free(r->headers[i].template);
        pg_template_clear(&r->headers[i].tpl);
    }
    free(r->headers);
    free(r->body);
    free(r->expect_status);
    free(r->expect_body_contains);
    free(r->tokens_field);
}

void pg_budget_free(pg_budget *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_scenarios; i++) {
        for (size_t j = 0; j < b->scenarios[i].n_requests; j++)
            free_request(&b->scenarios[i].requests[j]);
        free(b->scenarios[i].requests);
        free(b->scenarios[i].name);
    }
    free(b->scenarios);
    for (size_t i = 0; i < b->n_datasets; i++)
        pg_dataset_clear(&b->datasets[i]);
    free(b->datasets);
    for (size_t i = 0; i < b->n_vars; i++)
        free(b->vars[i]);
    free(b->vars);
    for (size_t i = 0; i < b->n_thresholds; i++)
        pg_threshold_clear(&b->thresholds[i]);
    free(b->thresholds);
    for (size_t i = 0; i < b->regression.n_metrics; i++)
        free(b->regression.metrics[i].name);
    free(b->regression.metrics);
    pg_monitor_cfg_clear(&b->monitor);
    free(b->load.stages);
    free(b->load.preset);
    free(b->path);
    free(b->name);
    free(b->description);
    free(b->target);
    free(b);
}
