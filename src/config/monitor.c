/* monitor.c — the "monitor" section: what is sampled besides the load (see
 * budget.h, pg_monitor_cfg).
 *
 *   "monitor": { "command": "nginx",            or "pid": 1234, or "pid_file": "/run/x.pid"
 *                "interval": "1s",
 *                "scrape": [ { "url": "http://127.0.0.1:9113/metrics", "every": "5s",
 *                              "format": "prometheus",
 *                              "gauges": { "nginx_active": "nginx_connections_active" } } ] }
 *
 * The gauge names become metrics of the budget (thresholds, reports), so
 * they must not shadow one perfgate measures itself, and must be unique. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "config/sections.h"
#include "config/selector.h"

static int oom(pg_fields *f)
{
    return pg_err_set(f->err, PG_ENOMEM, "out of memory");
}

/* An absolute http(s) URL, or a path ("/metrics") on the budget's target. */
static int check_url(pg_fields *f, const cJSON *m, const char *s)
{
    CURLU *u;
    char *scheme = NULL;
    int ok;

    if (s[0] == '/') {
        for (const char *p = s; *p; p++)
            if (*p == ' ' || (unsigned char)*p < 0x20)
                return pg_json_doc_error(f->err, f->doc, m, 0,
                                         "\"%s\": a path on the target has no spaces or control "
                                         "characters",
                                         s);
        return PG_OK;
    }
    if (!(u = curl_url()))
        return oom(f);
    ok = curl_url_set(u, CURLUPART_URL, s, 0) == CURLUE_OK &&
         curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
         (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
    curl_free(scheme);
    curl_url_cleanup(u);
    if (ok)
        return PG_OK;
    return pg_json_doc_error(f->err, f->doc, m, 0,
                             "\"%s\" is not an http:// or https:// URL; write e.g. "
                             "\"http://127.0.0.1:9100/metrics\", or a path on the target such as "
                             "\"/metrics\"",
                             s);
}

/* A gauge name: lower case letters, digits and '_', starting with a letter. */
static int plain_name(const char *s)
{
    size_t n = strlen(s);

    if (!n || n > 63 || !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int parse_gauges(pg_fields *f, const cJSON *g, pg_monitor_cfg *mc, pg_scrape *s,
                        const char *where)
{
    char why[512];
    size_t n;

    if (!cJSON_IsObject(g) || !(n = (size_t)cJSON_GetArraySize(g)))
        return pg_json_doc_error(f->err, f->doc, g, 0,
                                 "\"%s.gauges\" must be an object naming each gauge kept, e.g. "
                                 "{\"inflight\": \"http_requests_in_flight\"}",
                                 where);
    if (!(s->gauges = calloc(n, sizeof *s->gauges)))
        return oom(f);
    for (const cJSON *m = g->child; m; m = m->next) {
        pg_scrape_gauge *e = &s->gauges[s->n_gauges];
        pg_selector sel;
        if (!plain_name(m->string))
            return pg_json_doc_error(f->err, f->doc, m, 1,
                                     "gauge name \"%s\": use lower case letters, digits and '_', "
                                     "starting with a letter (at most 63)",
                                     m->string);
        if (pg_metric_lookup(m->string))
            return pg_json_doc_error(f->err, f->doc, m, 1,
                                     "gauge name \"%s\" is a metric perfgate measures itself; "
                                     "choose another name",
                                     m->string);
        for (size_t i = 0; i < mc->n_scrapes; i++)
            for (size_t j = 0; j < mc->scrapes[i].n_gauges; j++)
                if (mc->scrapes[i].gauges[j].name &&
                    strcmp(mc->scrapes[i].gauges[j].name, m->string) == 0)
                    return pg_json_doc_error(f->err, f->doc, m, 1,
                                             "gauge name \"%s\" is used twice", m->string);
        if (!cJSON_IsString(m) || !m->valuestring[0])
            return pg_json_doc_error(f->err, f->doc, m, 0,
                                     "gauge \"%s\" must name what it reads: %s", m->string,
                                     s->json ? "a dotted path into the JSON, e.g. \"pool.active\""
                                             : "a Prometheus sample, e.g. \"process_open_fds\"");
        if (!s->json && pg_selector_parse(&sel, m->valuestring, why, sizeof why) != 0)
            return pg_json_doc_error(f->err, f->doc, m, 0, "gauge \"%s\": %s", m->string, why);
        if (!(e->name = pg_strdup(m->string)) || !(e->selector = pg_strdup(m->valuestring)))
            return oom(f);
        s->n_gauges++;
    }
    return PG_OK;
}

static int parse_scrape(pg_fields *f, const cJSON *list, pg_monitor_cfg *mc)
{
    static const char *const keys[] = {"url", "every", "format", "gauges", NULL};
    size_t n;
    char where[64];
    int rc;

    if (!cJSON_IsArray(list) || !(n = (size_t)cJSON_GetArraySize(list)))
        return pg_json_doc_error(f->err, f->doc, list, 0,
                                 "\"monitor.scrape\" must be a non-empty list of {\"url\", "
                                 "\"gauges\"} objects");
    if (n > 16)
        return pg_json_doc_error(f->err, f->doc, list, 0, "at most 16 scrape endpoints");
    if (!(mc->scrapes = calloc(n, sizeof *mc->scrapes)))
        return oom(f);
    for (const cJSON *e = list->child; e; e = e->next) {
        pg_scrape *s = &mc->scrapes[mc->n_scrapes];
        const char *url = NULL, *format = NULL;
        snprintf(where, sizeof where, "monitor.scrape[%zu]", mc->n_scrapes);
        mc->n_scrapes++;
        s->every_us = mc->interval_us;
        if ((rc = pg_fields_want_object(f, e, where)) != 0 ||
            (rc = pg_fields_check_keys(f, e, where, keys)) != 0 ||
            (rc = pg_fields_string(f, e, "url", where, 1, &url)) != 0 ||
            (rc = check_url(f, cJSON_GetObjectItemCaseSensitive(e, "url"), url)) != 0 ||
            (rc = pg_fields_duration(f, e, "every", where, 0, &s->every_us)) != 0 ||
            (rc = pg_fields_string(f, e, "format", where, 0, &format)) != 0)
            return rc;
        if (s->every_us < 100000)
            return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(e, "every"),
                                     0, "\"%s.every\" must be at least 100ms", where);
        if (format && strcmp(format, "json") != 0 && strcmp(format, "prometheus") != 0)
            return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(e, "format"),
                                     0,
                                     "\"%s.format\" must be \"prometheus\" (text exposition) "
                                     "or \"json\"",
                                     where);
        s->json = format && strcmp(format, "json") == 0;
        if (!(s->url = pg_strdup(url)))
            return oom(f);
        if (!cJSON_GetObjectItemCaseSensitive(e, "gauges"))
            return pg_json_doc_error(f->err, f->doc, e, 0, "missing required key \"gauges\" in %s",
                                     where);
        if ((rc = parse_gauges(f, cJSON_GetObjectItemCaseSensitive(e, "gauges"), mc, s, where)) !=
            0)
            return rc;
    }
    return PG_OK;
}

int pg_section_monitor(pg_fields *f, const cJSON *obj, pg_monitor_cfg *mc)
{
    static const char *const keys[] = {"pid", "pid_file", "command", "interval", "scrape", NULL};
    const char *s = NULL;
    int targets = 0, rc;

    mc->interval_us = 1000000;
    if (!obj)
        return PG_OK;
    if ((rc = pg_fields_want_object(f, obj, "monitor")) != 0 ||
        (rc = pg_fields_check_keys(f, obj, "monitor", keys)) != 0 ||
        (rc = pg_fields_int(f, obj, "pid", "monitor", 0, 1, 0x7fffffffL, &mc->pid)) != 0 ||
        (rc = pg_fields_duration(f, obj, "interval", "monitor", 0, &mc->interval_us)) != 0)
        return rc;
    if (mc->interval_us < 100000 || mc->interval_us > 60000000)
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(obj, "interval"),
                                 0, "\"monitor.interval\" must be from 100ms to 60s");
    if ((rc = pg_fields_name(f, obj, "pid_file", "monitor", 0, &s)) != 0)
        return rc;
    if (s && !(mc->pid_file = pg_strdup(s)))
        return oom(f);
    s = NULL;
    if ((rc = pg_fields_name(f, obj, "command", "monitor", 0, &s)) != 0)
        return rc;
    if (s && (!s[0] || strlen(s) > 15 || strchr(s, '/')))
        return pg_json_doc_error(f->err, f->doc, cJSON_GetObjectItemCaseSensitive(obj, "command"),
                                 0,
                                 "\"monitor.command\" is a process name as ps and top show it "
                                 "(at most 15 characters, no '/'), e.g. \"nginx\"");
    if (s && !(mc->command = pg_strdup(s)))
        return oom(f);
    targets = (mc->pid != 0) + (mc->pid_file != NULL) + (mc->command != NULL);
    if (targets > 1)
        return pg_json_doc_error(f->err, f->doc, obj, 0,
                                 "\"monitor\" names its target process once: one of \"pid\", "
                                 "\"pid_file\" or \"command\"");
    if (cJSON_GetObjectItemCaseSensitive(obj, "scrape"))
        return parse_scrape(f, cJSON_GetObjectItemCaseSensitive(obj, "scrape"), mc);
    return PG_OK;
}

const pg_scrape_gauge *pg_budget_gauge(const pg_budget *b, const char *name)
{
    for (size_t i = 0; i < b->monitor.n_scrapes; i++)
        for (size_t j = 0; j < b->monitor.scrapes[i].n_gauges; j++)
            if (strcmp(b->monitor.scrapes[i].gauges[j].name, name) == 0)
                return &b->monitor.scrapes[i].gauges[j];
    return NULL;
}

void pg_monitor_cfg_clear(pg_monitor_cfg *mc)
{
    for (size_t i = 0; i < mc->n_scrapes; i++) {
        for (size_t j = 0; j < mc->scrapes[i].n_gauges; j++) {
            free(mc->scrapes[i].gauges[j].name);
            free(mc->scrapes[i].gauges[j].selector);
        }
        free(mc->scrapes[i].gauges);
        free(mc->scrapes[i].url);
    }
    free(mc->scrapes);
    free(mc->pid_file);
    free(mc->command);
    memset(mc, 0, sizeof *mc);
}
