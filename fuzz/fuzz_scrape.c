/* fuzz_scrape.c — libFuzzer: a metrics endpoint's answer, read the way the
 * monitor reads it. The first line is a selector (or a JSON path), the
 * rest the answer: Prometheus text and JSON are both tried on it, without
 * a NUL at the end, so a read past the answer shows as an ASan report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/selector.h"
#include "monitor/scrape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : size, len = nl ? size - head - 1 : 0;
    char *selector = malloc(head + 1), *body = malloc(len ? len : 1), why[256];
    pg_selector sel;
    double v;

    if (!selector || !body)
        goto out;
    memcpy(selector, data, head);
    selector[head] = '\0';
    if (len)
        memcpy(body, nl + 1, len);
    if (pg_selector_parse(&sel, selector, why, sizeof why) == 0)
        (void)pg_scrape_prometheus(body, len, &sel, &v);
    (void)pg_scrape_json(body, len, selector, &v);
out:
    free(selector);
    free(body);
    return 0;
}
