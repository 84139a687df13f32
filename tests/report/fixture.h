/* fixture.h — verdict documents for the report tests (docs/README.md). */
#ifndef PG_TEST_REPORT_FIXTURE_H
#define PG_TEST_REPORT_FIXTURE_H

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"

static inline cJSON *fixture_doc(const char *name)
{
    char path[1024], *text = NULL;
    pg_err err;
    cJSON *doc;

    snprintf(path, sizeof path, "%s/report/docs/%s", PG_TEST_DIR, name);
    if (pg_file_read(&text, NULL, path, 1u << 24, &err) != 0)
        return NULL;
    doc = cJSON_Parse(text);
    free(text);
    return doc;
}

static inline void fixture_set(cJSON *obj, const char *key, const char *value)
{
    cJSON_ReplaceItemInObjectCaseSensitive(obj, key, cJSON_CreateString(value));
}

/* Names that try everything: table pipes, code, HTML, the end of the hidden
 * marker, newlines, workflow commands, escapes, a mention, invalid UTF-8
 * and control characters. */
#define HOSTILE "a|b`c` <script>alert(1)</script> --> \n::error::x %0A @team \xff\xfe \x01\x1b[31m"

/* regression.json with hostile budget, scenario, metric and detail text. */
static inline cJSON *fixture_hostile(void)
{
    cJSON *doc = fixture_doc("regression.json"), *b, *ch, *sc;

    if (!doc)
        return NULL;
    b = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "budgets"), 0);
    fixture_set(b, "name", HOSTILE);
    fixture_set(b, "target", "http://x/" HOSTILE);
    fixture_set(cJSON_GetObjectItem(doc, "baseline"), "base_ref", HOSTILE);
    fixture_set(cJSON_GetObjectItem(doc, "baseline"), "commit", "`<img src=x onerror=alert(1)>`");
    cJSON_ArrayForEach(ch, cJSON_GetObjectItem(b, "checks"))
    {
        fixture_set(ch, "detail", HOSTILE);
        fixture_set(ch, "metric", "http_req_duration{scenario:" HOSTILE "}");
    }
    sc = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "summary"), "scenarios");
    cJSON_AddItemToObject(sc, HOSTILE, cJSON_Duplicate(cJSON_GetArrayItem(sc, 0), 1));
    return doc;
}

/* A copy of doc whose budgets array is its first budget n times. */
static inline cJSON *fixture_many(const char *name, int n)
{
    cJSON *doc = fixture_doc(name), *budgets, *first;

    if (!doc)
        return NULL;
    budgets = cJSON_GetObjectItem(doc, "budgets");
    first = cJSON_GetArrayItem(budgets, 0);
    for (int i = 1; i < n; i++)
        cJSON_AddItemToArray(budgets, cJSON_Duplicate(first, 1));
    return doc;
}

#endif
