/* fuzz_hist.c — libFuzzer: any text as an "hdr1:" histogram encoding (it
 * comes from results and baseline files, which anyone can commit). A
 * decoded histogram must stay consistent: re-encoding and decoding gives
 * the same counts. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/hist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *again = NULL;
    pg_hist *h = NULL, *h2 = NULL;
    pg_err err;

    if (!text || pg_hist_new(&h, &err) != 0 || pg_hist_new(&h2, &err) != 0)
        goto out;
    memcpy(text, data, size);
    text[size] = '\0';
    if (pg_hist_decode(h, text, &err) == 0) {
        (void)pg_hist_percentile(h, 99.9);
        if (!(again = pg_hist_encode(h)) || pg_hist_decode(h2, again, &err) != 0 ||
            memcmp(h->counts, h2->counts, sizeof h->counts) != 0 || h->total != h2->total)
            abort(); /* what decodes must survive a round trip */
    }
out:
    free(again);
    pg_hist_free(h);
    pg_hist_free(h2);
    free(text);
    return 0;
}
