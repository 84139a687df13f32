/* hist.h — log-linear latency histogram (HDR style), fixed memory.
 *
 * Values are microseconds from 0 to 1 hour. Below 256 every value has its own
 * bucket; above, each power of two is split into 128 equal buckets, so a
 * bucket is at most 1/128 of its values wide and the midpoint reported for it
 * is within 0.4% of any value in it (the contract asks for <= 1%). 3,287
 * counters, 26 KiB, whatever the length of the run. Histograms merge by
 * adding counts, which is exact: the merge of two equals one fed both.
 * Larger values are clamped to 1 h and counted in `clamped`.
 * Idea and layout after Gil Tene's HdrHistogram. */
#ifndef PG_METRICS_HIST_H
#define PG_METRICS_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define PG_HIST_MAX_US 3600000000ull
#define PG_HIST_RESOLUTION (1.0 / 256.0) /* the most a reported value is off, relatively */
#define PG_HIST_BUCKETS 3287             /* pg_hist_bucket_of(PG_HIST_MAX_US) + 1 */

typedef struct pg_hist {
    /* first, so a histogram that counted nothing yet has touched one page */
    uint64_t total;
    uint64_t min, max;  /* exact, of recorded (clamped) values; 0 when empty */
    double sum, sum_sq; /* exact mean and stdev */
    uint64_t clamped;
    uint64_t counts[PG_HIST_BUCKETS];
} pg_hist;

/* Plain data, so it can live inside per-worker arrays. All zero bytes are an
 * empty histogram, so calloc'd ones need nothing more, and the pages of
 * buckets that never count anything are never touched (a run's resident
 * memory grows with the latencies it saw, not with 26 KiB per histogram). */
void pg_hist_reset(pg_hist *h);              /* empties h, whatever it held before */
int pg_hist_new(pg_hist **out, pg_err *err); /* heap one, empty */
void pg_hist_free(pg_hist *h);               /* NULL is fine */

void pg_hist_record(pg_hist *h, uint64_t us);
void pg_hist_record_n(pg_hist *h, uint64_t us, uint64_t n);
void pg_hist_merge(pg_hist *into, const pg_hist *from);

/* The value at or below which q percent of recorded values lie (q in [0,100]),
 * as the midpoint of its bucket clamped to [min, max]; 0 when empty. */
uint64_t pg_hist_percentile(const pg_hist *h, double q);
double pg_hist_mean(const pg_hist *h);
double pg_hist_stdev(const pg_hist *h);

size_t pg_hist_bucket_of(uint64_t us);
uint64_t pg_hist_bucket_low(size_t bucket);  /* smallest value in bucket */
uint64_t pg_hist_bucket_high(size_t bucket); /* largest value in bucket */

/* Compact text: "hdr1:" + base64 of varints (min, max, then for each non-empty
 * bucket the gap from the previous one and its count). Caller frees. Decoding
 * restores counts, total, min and max; sum and sum_sq are taken from bucket
 * midpoints (mean within 0.4%). */
char *pg_hist_encode(const pg_hist *h);
int pg_hist_decode(pg_hist *h, const char *text, pg_err *err);

#endif
