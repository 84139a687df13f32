/* hist.c — log-linear histogram (see hist.h). */
#include "metrics/hist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LINEAR 256u /* values below this have a bucket each */
#define SUB_BITS 7u /* 128 buckets per power of two above */
#define SUB (1u << SUB_BITS)

void pg_hist_reset(pg_hist *h)
{
    memset(h, 0, sizeof *h);
}

int pg_hist_new(pg_hist **out, pg_err *err)
{
    if (!(*out = calloc(1, sizeof **out)))
        return pg_err_set(err, PG_ENOMEM, "out of memory for a histogram");
    return PG_OK;
}

void pg_hist_free(pg_hist *h)
{
    free(h);
}

static unsigned log2_floor(uint64_t v)
{
    return 63u - (unsigned)__builtin_clzll(v);
}

size_t pg_hist_bucket_of(uint64_t v)
{
    unsigned e, shift;

    if (v > PG_HIST_MAX_US)
        v = PG_HIST_MAX_US;
    if (v < LINEAR)
        return (size_t)v;
    e = log2_floor(v); /* >= 8 */
    shift = e - SUB_BITS;
    return LINEAR + (size_t)(e - 8) * SUB + (size_t)((v >> shift) - SUB);
}

uint64_t pg_hist_bucket_low(size_t b)
{
    size_t e, k;

    if (b < LINEAR)
        return b;
    e = 8 + (b - LINEAR) / SUB;
    k = (b - LINEAR) % SUB;
    return (uint64_t)(SUB + k) << (e - SUB_BITS);
}

uint64_t pg_hist_bucket_high(size_t b)
{
    size_t e;

    if (b < LINEAR)
        return b;
    e = 8 + (b - LINEAR) / SUB;
    return pg_hist_bucket_low(b) + (1ull << (e - SUB_BITS)) - 1;
}

static uint64_t bucket_mid(size_t b)
{
    return pg_hist_bucket_low(b) + (pg_hist_bucket_high(b) - pg_hist_bucket_low(b)) / 2;
}

void pg_hist_record_n(pg_hist *h, uint64_t v, uint64_t n)
{
    if (!n)
        return;
    if (v > PG_HIST_MAX_US) {
        v = PG_HIST_MAX_US;
        h->clamped += n;
    }
    h->counts[pg_hist_bucket_of(v)] += n;
    if (!h->total || v < h->min)
        h->min = v;
    h->total += n;
    if (v > h->max)
        h->max = v;
    h->sum += (double)v * (double)n;
    h->sum_sq += (double)v * (double)v * (double)n;
}

void pg_hist_record(pg_hist *h, uint64_t v)
{
    pg_hist_record_n(h, v, 1);
}

void pg_hist_merge(pg_hist *into, const pg_hist *from)
{
    if (!from->total)
        return;
    /* only from's buckets between its min and max can hold counts, and only
     * those that do are written: into's other pages stay untouched */
    for (size_t i = pg_hist_bucket_of(from->min), last = pg_hist_bucket_of(from->max); i <= last;
         i++)
        if (from->counts[i])
            into->counts[i] += from->counts[i];
    if (!into->total || from->min < into->min)
        into->min = from->min;
    into->total += from->total;
    into->clamped += from->clamped;
    into->sum += from->sum;
    into->sum_sq += from->sum_sq;
    if (from->max > into->max)
        into->max = from->max;
}

uint64_t pg_hist_percentile(const pg_hist *h, double q)
{
    uint64_t rank, seen = 0, v;

    if (!h->total)
        return 0;
    if (q <= 0.0)
        return h->min;
    if (q >= 100.0)
        return h->max;
    /* The smallest value with at least q% of the values at or below it. */
    rank = (uint64_t)ceil(q / 100.0 * (double)h->total);
    if (rank < 1)
        rank = 1;
    for (size_t i = pg_hist_bucket_of(h->min); i < PG_HIST_BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= rank) {
            v = bucket_mid(i);
            if (v < h->min)
                v = h->min;
            if (v > h->max)
                v = h->max;
            return v;
        }
    }
    return h->max;
}

double pg_hist_mean(const pg_hist *h)
{
    return h->total ? h->sum / (double)h->total : 0.0;
}

double pg_hist_stdev(const pg_hist *h)
{
    double mean, var;

    if (h->total < 2)
        return 0.0;
    mean = pg_hist_mean(h);
    var = (h->sum_sq - (double)h->total * mean * mean) / (double)(h->total - 1);
    return var > 0.0 ? sqrt(var) : 0.0;
}

/* --- compact encoding ---------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t put_varint(unsigned char *p, uint64_t v)
{
    size_t n = 0;

    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

char *pg_hist_encode(const pg_hist *h)
{
    /* worst case: 2 varints of 10 bytes per bucket, plus min and max */
    size_t cap = (PG_HIST_BUCKETS * 2 + 2) * 10, n = 0, prev = 0, out_len;
    unsigned char *raw = malloc(cap);
    char *out;

    if (!raw)
        return NULL;
    n += put_varint(raw + n, h->min);
    n += put_varint(raw + n, h->max);
    for (size_t i = pg_hist_bucket_of(h->min); h->total && i <= pg_hist_bucket_of(h->max); i++) {
        if (!h->counts[i])
            continue;
        n += put_varint(raw + n, i - prev);
        n += put_varint(raw + n, h->counts[i]);
        prev = i;
    }
    out_len = 5 + (n + 2) / 3 * 4 + 1;
    if (!(out = malloc(out_len))) {
        free(raw);
        return NULL;
    }
    memcpy(out, "hdr1:", 5);
    {
        char *o = out + 5;
        for (size_t i = 0; i < n; i += 3) {
            uint32_t x = (uint32_t)raw[i] << 16;
            if (i + 1 < n)
                x |= (uint32_t)raw[i + 1] << 8;
            if (i + 2 < n)
                x |= raw[i + 2];
            *o++ = b64[(x >> 18) & 63];
            *o++ = b64[(x >> 12) & 63];
            *o++ = i + 1 < n ? b64[(x >> 6) & 63] : '=';
            *o++ = i + 2 < n ? b64[x & 63] : '=';
        }
        *o = '\0';
    }
    free(raw);
    return out;
}

static int b64_value(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

static int get_varint(const unsigned char *p, size_t n, size_t *at, uint64_t *v)
{
    uint64_t x = 0;

    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*at >= n)
            return -1;
        x |= (uint64_t)(p[*at] & 0x7f) << shift;
        if (!(p[(*at)++] & 0x80)) {
            *v = x;
            return 0;
        }
    }
    return -1;
}

int pg_hist_decode(pg_hist *h, const char *text, pg_err *err)
{
    size_t len, n = 0, at = 0, bucket = 0, first_bucket = 0;
    unsigned char *raw;
    uint64_t min, max;
    int first = 1, rc = PG_EINVALID;

    pg_hist_reset(h);
    if (strncmp(text, "hdr1:", 5) != 0)
        return pg_err_set(err, PG_EINVALID, "histogram does not start with \"hdr1:\"");
    text += 5;
    len = strlen(text);
    if (len % 4)
        return pg_err_set(err, PG_EINVALID, "histogram: base64 length %zu is not a multiple of 4",
                          len);
    if (!(raw = malloc(len / 4 * 3 + 1)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t i = 0; i < len; i += 4) {
        int pad2 = text[i + 2] == '=', pad3 = text[i + 3] == '=';
        int a = b64_value(text[i]), b = b64_value(text[i + 1]);
        int c = pad2 ? 0 : b64_value(text[i + 2]);
        int d = pad3 ? 0 : b64_value(text[i + 3]);
        uint32_t x;
        /* padding only at the very end, and "x=" never before "=" */
        if (a < 0 || b < 0 || c < 0 || d < 0 || (pad2 && !pad3) ||
            ((pad2 || pad3) && i + 4 != len)) {
            pg_err_set(err, PG_EINVALID, "histogram: invalid base64 at character %zu", i + 5);
            goto out;
        }
        x = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
        raw[n++] = (unsigned char)(x >> 16);
        if (!pad2)
            raw[n++] = (unsigned char)(x >> 8);
        if (!pad3)
            raw[n++] = (unsigned char)x;
    }
    if (get_varint(raw, n, &at, &min) || get_varint(raw, n, &at, &max) || min > max ||
        max > PG_HIST_MAX_US) {
        pg_err_set(err, PG_EINVALID, "histogram: bad header");
        goto out;
    }
    while (at < n) {
        uint64_t gap, count;
        if (get_varint(raw, n, &at, &gap) || get_varint(raw, n, &at, &count) ||
            (!first && gap == 0) || gap >= PG_HIST_BUCKETS || bucket + gap >= PG_HIST_BUCKETS ||
            count == 0 || h->total + count < h->total) {
            pg_err_set(err, PG_EINVALID, "histogram: corrupt bucket list");
            goto out;
        }
        bucket += gap;
        if (first)
            first_bucket = bucket;
        first = 0;
        h->counts[bucket] = count;
        h->total += count;
        h->sum += (double)bucket_mid(bucket) * (double)count;
        h->sum_sq += (double)bucket_mid(bucket) * (double)bucket_mid(bucket) * (double)count;
    }
    /* min and max are values counted: their buckets are the first and the
     * last that count anything (merging and percentiles read only those
     * between) */
    if (h->total && (first_bucket != pg_hist_bucket_of(min) || bucket != pg_hist_bucket_of(max))) {
        pg_err_set(err, PG_EINVALID,
                   "histogram: min and max are not in its first and last buckets");
        goto out;
    }
    h->min = h->total ? min : 0;
    h->max = h->total ? max : 0;
    rc = PG_OK;
out:
    free(raw);
    if (rc != PG_OK)
        pg_hist_reset(h);
    return rc;
}
