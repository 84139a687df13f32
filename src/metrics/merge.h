/* merge.h — the results of the shards of one load (perfgate run --shard I/N
 * on N machines) made into the result of the whole load.
 *
 * Counters add; histograms add bucket by bucket, so a merged percentile is
 * the percentile of one histogram fed every sample of every shard. Trials
 * merge index by index (the shards ran their trials at the same times). The
 * per-second timeline adds its counts; its p50/p99 per second cannot be
 * merged from summaries and take the worst shard's. Sampled resources and
 * gauges keep every shard's samples (a max is the busiest shard's). */
#ifndef PG_METRICS_MERGE_H
#define PG_METRICS_MERGE_H

#include "metrics/results.h"

/* Merges shards[0..n) (each read with pg_results_from_doc; paths name them
 * in messages) into out. Refuses (PG_EINVALID, err naming the file) shards
 * that are not all of one --shard I/N split, that measured different
 * commits, budgets, trials, scenarios, requests, thresholds or regression
 * settings. The threshold checks are copied unjudged (verdict skipped) for
 * the caller to evaluate on the merged data. Caller pg_results_clear()s out. */
int pg_results_merge(pg_results *out, const pg_results *shards, const char *const *paths, size_t n,
                     pg_err *err);

#endif
