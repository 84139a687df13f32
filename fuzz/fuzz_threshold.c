/* fuzz_threshold.c — libFuzzer: a metric key and an expression (split at
 * the first newline), as a budget's "thresholds" would give them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/threshold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *expr, *base = NULL, why[256];
    const pg_metric_def *def;
    pg_tag_filter tags = {0};
    pg_threshold t;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    expr = strchr(text, '\n');
    if (expr)
        *expr++ = '\0';
    if (pg_metric_key_split(text, &base, &tags, why, sizeof why) == 0 &&
        (def = pg_metric_lookup(base)) && expr) {
        memset(&t, 0, sizeof t);
        if (pg_threshold_parse_expr(expr, def, &t, why, sizeof why) == 0)
            (void)pg_threshold_holds(&t, 1.0);
        pg_threshold_clear(&t);
    }
    free(base);
    pg_tag_filter_clear(&tags);
    free(text);
    return 0;
}
