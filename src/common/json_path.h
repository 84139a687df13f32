/* json_path.h — a dotted path into a parsed JSON value ("choices.0.delta",
 * "auth.token"): keys, and array indexes where the value is an array. The
 * one reader of such paths (SSE token fields, scraped JSON gauges, values
 * extracted from answers). */
#ifndef PG_COMMON_JSON_PATH_H
#define PG_COMMON_JSON_PATH_H

#include <cjson/cJSON.h>

/* The value at path under root, or NULL when the path leads nowhere. An
 * empty path is root itself. */
const cJSON *pg_json_path(const cJSON *root, const char *path);

#endif
