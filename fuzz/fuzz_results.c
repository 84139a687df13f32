/* fuzz_results.c — libFuzzer: any bytes as a results or baseline file, read
 * the way compare reads them (parsed JSON into per-trial values) and the way
 * merge reads them (back into whole results, histograms decoded), then
 * merged with itself as if it were both halves of a two-shard run and
 * written out again. */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/merge.h"
#include "metrics/results_read.h"
#include "metrics/values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    pg_results_values v;
    pg_results shards[2], merged;
    const char *paths[2] = {"a.json", "b.json"};
    pg_err err;

    if (!doc)
        return 0;
    if (pg_values_parse(&v, doc, "fuzz.json", &err) == 0)
        pg_values_clear(&v);
    memset(shards, 0, sizeof shards);
    memset(&merged, 0, sizeof merged);
    if (pg_results_from_doc(&shards[0], doc, "a.json", &err) == 0 &&
        pg_results_from_doc(&shards[1], doc, "b.json", &err) == 0) {
        strcpy(shards[0].shard, "1/2");
        strcpy(shards[1].shard, "2/2");
        if (pg_results_merge(&merged, shards, paths, 2, &err) == 0) {
            char *text = pg_results_to_json(&merged);
            free(text);
        }
    }
    pg_results_clear(&merged);
    pg_results_clear(&shards[0]);
    pg_results_clear(&shards[1]);
    cJSON_Delete(doc);
    return 0;
}
