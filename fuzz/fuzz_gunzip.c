/* fuzz_gunzip.c — libFuzzer: any bytes as a baseline blob of a branch store
 * (anyone who can push to the baselines branch writes these): inflated with
 * a 1 MiB limit the way the shelf reads them, then read as a results file
 * the way compare reads a baseline. Also: whatever inflates must gzip and
 * inflate back to itself. */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/gzip.h"
#include "metrics/values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = NULL, *gz = NULL, *back = NULL;
    size_t len = 0, gz_len = 0, back_len = 0;
    void *doc = NULL;
    pg_results_values v;
    pg_err err;

    if (pg_gunzip(&text, &len, data, size, 1u << 20, "fuzz.json.gz", &err) != 0)
        return 0;
    if (pg_results_parse(&doc, text, "fuzz.json.gz", &err) == 0) {
        if (pg_values_parse(&v, doc, "fuzz.json.gz", &err) == 0)
            pg_values_clear(&v);
        cJSON_Delete(doc);
    }
    if (pg_gzip(&gz, &gz_len, text, len, &err) != 0 ||
        pg_gunzip(&back, &back_len, gz, gz_len, len, "again", &err) != 0 || back_len != len ||
        memcmp(back, text, len) != 0)
        abort(); /* a round trip must give back what went in */
    free(back);
    free(gz);
    free(text);
    return 0;
}
