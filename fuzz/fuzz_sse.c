/* fuzz_sse.c — libFuzzer: any bytes as a text/event-stream body (the target
 * sends it; perfgate parses it as it arrives). The first input byte chooses
 * the piece size; the events must be the same when the body arrives whole,
 * in those pieces, and byte by byte, and no event's text exceeds the cap. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sse.h"

#define CAP 64

typedef struct tally {
    size_t events, empty, bytes;
    uint64_t hash;
} tally;

static void on_event(void *arg, const pg_sse_event *ev)
{
    tally *t = arg;

    /* the text may hold NUL bytes (U+0000 is text too), so its length is
     * ev->len, and a terminator follows it */
    if (ev->len > CAP || ev->data[ev->len] != '\0')
        abort();
    t->events++;
    t->empty += (size_t)ev->empty;
    t->bytes += ev->len;
    for (size_t i = 0; i < ev->len; i++)
        t->hash = t->hash * 1099511628211ull ^ (unsigned char)ev->data[i];
}

static tally run(const char *body, size_t len, size_t step)
{
    tally t = {0, 0, 0, 14695981039346656037ull};
    pg_sse p;

    if (pg_sse_init(&p, CAP) != 0)
        abort();
    for (size_t i = 0; i < len; i += step)
        pg_sse_feed(&p, body + i, len - i < step ? len - i : step, on_event, &t);
    pg_sse_free(&p);
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tally whole, pieces, bytes;
    size_t step;

    if (size < 1)
        return 0;
    step = (size_t)data[0] % 16 + 1;
    whole = run((const char *)data + 1, size - 1, size);
    pieces = run((const char *)data + 1, size - 1, step);
    bytes = run((const char *)data + 1, size - 1, 1);
    if (memcmp(&whole, &pieces, sizeof whole) != 0 || memcmp(&whole, &bytes, sizeof whole) != 0)
        abort(); /* how the body is cut must not change what is parsed */
    return 0;
}
