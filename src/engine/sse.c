/* sse.c — the text/event-stream parser (see sse.h). */
#include "engine/sse.h"
#include "common/json_path.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { S_NAME, S_VALUE_FIRST, S_VALUE };
enum { F_OTHER, F_DATA };

static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

int pg_sse_init(pg_sse *p, size_t data_cap)
{
    memset(p, 0, sizeof *p);
    if (data_cap) {
        if (!(p->data = malloc(data_cap + 1)))
            return -1;
        p->data[0] = '\0';
        p->data_cap = data_cap;
    }
    p->at_start = 1;
    return 0;
}

void pg_sse_reset(pg_sse *p)
{
    char *data = p->data;
    size_t cap = p->data_cap;

    memset(p, 0, sizeof *p);
    p->data = data;
    p->data_cap = cap;
    if (data)
        data[0] = '\0';
    p->at_start = 1;
}

void pg_sse_free(pg_sse *p)
{
    free(p->data);
    memset(p, 0, sizeof *p);
}

static void append(pg_sse *p, char c)
{
    if (!p->data)
        return;
    if (p->data_len >= p->data_cap) {
        p->data_truncated = 1;
        return;
    }
    p->data[p->data_len++] = c;
    p->data[p->data_len] = '\0';
}

/* Each data line after the first is joined to the others with a line feed. */
static void start_data_line(pg_sse *p)
{
    if (p->has_data)
        append(p, '\n');
    p->has_data = 1;
}

static void dispatch(pg_sse *p, pg_sse_event_fn on_event, void *arg)
{
    if (p->has_data) {
        pg_sse_event ev = {p->data ? p->data : "", p->data_len, p->data_truncated, !p->data_bytes};
        on_event(arg, &ev);
    }
    p->has_data = p->data_bytes = p->data_truncated = 0;
    p->data_len = 0;
    if (p->data)
        p->data[0] = '\0';
}

static int is_data_name(const pg_sse *p)
{
    return !p->name_long && p->name_len == 4 && memcmp(p->name, "data", 4) == 0;
}

static void end_line(pg_sse *p, pg_sse_event_fn on_event, void *arg)
{
    if (p->state == S_NAME && p->name_len == 0 && !p->name_long)
        dispatch(p, on_event, arg); /* a blank line */
    else if (p->state == S_NAME && is_data_name(p))
        start_data_line(p); /* "data" without a colon: an empty data line */
    p->state = S_NAME;
    p->name_len = 0;
    p->name_long = 0;
    p->field = F_OTHER;
}

static void byte(pg_sse *p, char c, pg_sse_event_fn on_event, void *arg)
{
    if (p->after_cr) {
        p->after_cr = 0;
        if (c == '\n')
            return; /* CRLF is one line end */
    }
    if (c == '\r' || c == '\n') {
        end_line(p, on_event, arg);
        p->after_cr = c == '\r';
        return;
    }
    switch (p->state) {
    case S_NAME:
        if (c == ':') {
            /* a comment (no name) and unknown fields are read past */
            p->field = is_data_name(p) ? F_DATA : F_OTHER;
            if (p->field == F_DATA)
                start_data_line(p);
            p->state = S_VALUE_FIRST;
        } else if (p->name_len < sizeof p->name) {
            p->name[p->name_len++] = c;
        } else {
            p->name_long = 1;
        }
        return;
    case S_VALUE_FIRST:
        p->state = S_VALUE;
        if (c == ' ')
            return; /* one space after the colon is not part of the value */
        /* fall through */
    default:
        if (p->field == F_DATA) {
            p->data_bytes = 1;
            append(p, c);
        }
    }
}

void pg_sse_feed(pg_sse *p, const char *buf, size_t len, pg_sse_event_fn on_event, void *arg)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (p->at_start) {
            if (c == bom[p->bom_seen]) {
                if (++p->bom_seen == sizeof bom)
                    p->at_start = 0;
                continue;
            }
            /* not a byte order mark after all: what matched is text */
            p->at_start = 0;
            for (size_t k = 0; k < p->bom_seen; k++)
                byte(p, (char)bom[k], on_event, arg);
        }
        byte(p, (char)c, on_event, arg);
    }
}

uint64_t pg_sse_tokens(const char *data, size_t len, const char *path)
{
    cJSON *doc = cJSON_ParseWithLength(data, len);
    const cJSON *at = doc ? pg_json_path(doc, path) : NULL;
    uint64_t n = 0;

    if (cJSON_IsString(at)) {
        for (const unsigned char *c = (const unsigned char *)at->valuestring; *c; c++)
            n += (*c & 0xC0) != 0x80; /* characters, not bytes */
    } else if (cJSON_IsNumber(at) && at->valuedouble > 0 && at->valuedouble < 1e12) {
        n = (uint64_t)llround(at->valuedouble);
    } else if (cJSON_IsArray(at)) {
        n = (uint64_t)cJSON_GetArraySize(at);
    }
    cJSON_Delete(doc);
    return n;
}
