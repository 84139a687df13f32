/* fuzz_results.c — libFuzzer: any bytes as a results or baseline file, read
 * the way compare reads them (parsed JSON into per-trial values). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics/values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    pg_results_values v;
    pg_err err;

    if (doc && pg_values_parse(&v, doc, "fuzz.json", &err) == 0)
        pg_values_clear(&v);
    cJSON_Delete(doc);
    return 0;
}
