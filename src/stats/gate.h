/* gate.h — the verdict of a run against its baseline: thresholds as the run
 * decided them, a regression comparison per metric (compare.h), a history
 * band per metric, and the overall pass / fail.
 *
 * History band: from the baselines of up to 20 first-parent ancestors, the
 * median of each one's per-trial median, and median +- 3.5 * 1.4826 * MAD
 * around it (a robust 3.5-sigma band), never narrower than +-
 * (PG_HIST_RESOLUTION + PG_BAND_FLOOR) of the median: medians read from
 * histograms are rounded to a bucket, and 21 baselines of the same 20.9 ms
 * would make a band of no width. With 3 or more baselines, a current median
 * outside it is a warning (slow drift no single comparison calls
 * significant). With PG_BAND_DECIDES or more it is the noise model of the
 * stored-baseline gate: a FAIL also needs the current median outside the
 * band (beyond the worse end); inside it, the change is within the run-to-run
 * spread of the history and the row is INCONCLUSIVE saying so.
 *
 * Besides the budget's regression metrics, every metric and aggregation a
 * threshold names (e.g. "http_req_duration{scenario:browse} p95") is
 * compared too, with the budget's min_effect when it gives one for all,
 * else by aggregation (5% p50/avg/min, 10% p90/p95, 15% p99, 25%
 * p99.9/max); one that repeats a regression metric is left out.
 * A breaking-point budget compares its regression metrics only (its trials
 * are measured at the rate each staircase reached).
 *
 * When the comparison cannot be trusted it is made, shown, and not decided:
 * every comparison of the budget is INCONCLUSIVE with the reason (a veto;
 * --strict fails it; thresholds still gate):
 *   not comparable  the two runs' fingerprints differ: they did not measure
 *                   the same work (config/fingerprint.h says what changed);
 *   noisy           a current trial was disturbed: other processes used at
 *                   least PG_NOISY_SHARE of the machine's cores during it and
 *                   PG_NOISY_MARGIN of them more than during the baseline's
 *                   busiest trial, or the hypervisor stole PG_NOISY_STEAL% of
 *                   the cores, or perfgate used all the CPU of its threads
 *                   when the baseline's run did not (not a staircase: it
 *                   finds that limit step by step). Error rate is still
 *                   decided (a busy machine does not fail requests).
 * A different testbed (CPU model, cores, --testbed) is a note, not a veto.
 * Same-runner comparisons (pg_gate_evaluate_paired) are never vetoed as
 * noisy: the noise falls on both sides. */
#ifndef PG_STATS_GATE_H
#define PG_STATS_GATE_H

#include <stddef.h>

#include "metrics/values.h"
#include "stats/compare.h"

#define PG_BAND_FLOOR 0.02 /* the band's least half-width, relative, beside the resolution */
#define PG_BAND_DECIDES 5  /* baselines from which the band takes part in a FAIL */

typedef struct pg_band {
    int have; /* at least 3 baselines */
    size_t n;
    double median, lo, hi;
    int outside; /* current median outside [lo, hi] in the worse direction */
} pg_band;

/* The budget's regression metrics, then one per threshold metric+aggregation. */
#define PG_MAX_COMPARISONS (PG_MAX_REGRESSION_METRICS + PG_MAX_SERIES)

typedef struct pg_budget_verdict {
    char name[256];
    const pg_budget_values *cur; /* thresholds and trials of the current run */
    pg_comparison cmp[PG_MAX_COMPARISONS];
    pg_band band[PG_MAX_COMPARISONS];
    /* made but held undecided for a reason of the comparison's own (its
     * why): latency of a service that mostly queued for a CPU, same time */
    unsigned char held[PG_MAX_COMPARISONS];
    size_t n_cmp;
    char skipped[256]; /* why regressions were not compared, or "" */
    char veto[320];    /* why the comparisons were made but not decided, or "" */
    int noisy;         /* the veto is the noisy one (error rate is still decided) */
    char note[320];    /* what to know about the baseline (another testbed), or "" */
} pg_budget_verdict;

#define PG_NOISY_SHARE 0.20  /* of all cores used by other processes ... */
#define PG_NOISY_MARGIN 0.10 /* ... and this much of them more than the baseline saw */
#define PG_NOISY_STEAL 10.0  /* % of all cores stolen by the hypervisor */

typedef struct pg_gate {
    pg_budget_verdict *budgets;
    size_t n;
    int thresholds_failed, regressions, inconclusive, warnings;
    int vetoed; /* budgets whose comparisons were not decided (not comparable, noisy) */
    int strict;
    pg_verdict overall;
} pg_gate;

/* base may be NULL (no baseline: regressions skipped, thresholds still gate).
 * history holds n_history earlier baselines, nearest first. */
int pg_gate_evaluate(pg_gate *g, const pg_results_values *cur, const pg_results_values *base,
                     const pg_results_values *history, size_t n_history, const char *no_base_reason,
                     int strict, pg_err *err);

/* The same for side B (b) against side A (a) of an A/B run, whose trial t
 * on each side was measured at the same time or right beside each other:
 * every comparison is paired by trial (stats/paired.h); no history band. */
int pg_gate_evaluate_paired(pg_gate *g, const pg_results_values *b, const pg_results_values *a,
                            int strict, pg_err *err);

void pg_gate_clear(pg_gate *g);

#endif
