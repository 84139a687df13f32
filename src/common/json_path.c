/* json_path.c — dotted paths into JSON values (see json_path.h). */
#include "common/json_path.h"

#include <stdlib.h>
#include <string.h>

static const cJSON *step(const cJSON *at, const char *key, size_t n)
{
    char name[256];
    char *end;
    unsigned long index;

    if (!n || n >= sizeof name)
        return NULL;
    memcpy(name, key, n);
    name[n] = '\0';
    if (cJSON_IsArray(at)) {
        index = strtoul(name, &end, 10);
        if (*end || name[0] == '-' || name[0] == '+' || index > 1u << 20)
            return NULL;
        return cJSON_GetArrayItem(at, (int)index);
    }
    return cJSON_IsObject(at) ? cJSON_GetObjectItemCaseSensitive(at, name) : NULL;
}

const cJSON *pg_json_path(const cJSON *root, const char *path)
{
    const cJSON *at = root;

    for (const char *p = path; at && *p;) {
        size_t seg = strcspn(p, ".");
        at = step(at, p, seg);
        p += seg + (p[seg] == '.');
    }
    return at;
}
