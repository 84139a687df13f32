/* gate.c — thresholds, regressions and history bands into one verdict (see gate.h). */
#include "stats/gate.h"

#include <cjson/cJSON.h>

#include "config/fingerprint.h"
#include "metrics/hist.h"
#include "stats/paired.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The per-trial values of a comparison's metric in budget b: a regression
 * metric by index, or a threshold series by key (NULL when b lacks it). */
static const double *series_of(const pg_budget_values *b, int idx, const char *key, size_t *n)
{
    const pg_series *s;

    if (idx >= 0) {
        /* a trial without it (service_cpu of a target not found): not measured */
        for (size_t t = 0; t < b->n_trials; t++)
            if (!isfinite(b->v[idx][t]))
                return NULL;
        *n = b->n_trials;
        return b->v[idx];
    }
    if (!(s = pg_values_series(b, key)))
        return NULL;
    *n = s->n;
    return s->v;
}

static void history_band(pg_band *band, const char *budget, int idx, const pg_comparison *c,
                         const pg_results_values *history, size_t n_history)
{
    double med[64], dev[64];
    size_t n = 0;

    memset(band, 0, sizeof *band);
    for (size_t h = 0; h < n_history && n < 64; h++) {
        const pg_budget_values *b = pg_values_budget(&history[h], budget);
        size_t k = 0;
        const double *v = b ? series_of(b, idx, c->metric, &k) : NULL;
        if (v && k)
            med[n++] = pg_median(v, k);
    }
    if (n < 3)
        return;
    band->have = 1;
    band->n = n;
    band->median = pg_median(med, n);
    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(med[i] - band->median);
    {
        double half = pg_median(dev, n) * 1.4826 * 3.5,
               floor = fabs(band->median) * (PG_HIST_RESOLUTION + PG_BAND_FLOOR);
        if (c->absolute) /* error rate: a difference, so the floor is absolute */
            floor = c->min_effect;
        if (half < floor)
            half = floor;
        band->lo = band->median - half;
        band->hi = band->median + half;
    }
    band->outside =
        c->direction == PG_WORSE_WHEN_HIGHER ? c->cur_median > band->hi : c->cur_median < band->lo;
}

/* Not comparable: both runs describe their work and the descriptions differ. */
static void comparability(pg_budget_verdict *v, const pg_budget_values *b,
                          const pg_budget_values *old)
{
    cJSON *wb, *wo;
    char diff[256];

    if (!b->fingerprint[0] || !old->fingerprint[0] || strcmp(b->fingerprint, old->fingerprint) == 0)
        return;
    wb = b->work ? cJSON_Parse(b->work) : NULL;
    wo = old->work ? cJSON_Parse(old->work) : NULL;
    pg_work_diff(wo, wb, diff, sizeof diff);
    snprintf(v->veto, sizeof v->veto,
             "not comparable: this run did not measure the same work as the baseline (%.200s)",
             diff[0] ? diff : "its fingerprint differs");
    cJSON_Delete(wb);
    cJSON_Delete(wo);
}

/* Noisy: the interference rule of gate.h on the current trials. */
static void interference(pg_budget_verdict *v, const pg_budget_values *b,
                         const pg_budget_values *old, long cores)
{
    double base_max = 0.0, worst = 0.0, limit = PG_NOISY_SHARE * (double)cores * 100.0;
    size_t marked = 0, stolen = 0;

    if (cores < 1)
        return;
    for (size_t t = 0; t < old->n_trials; t++)
        if (isfinite(old->other_cpu[t]) && old->other_cpu[t] > base_max)
            base_max = old->other_cpu[t];
    if (base_max + PG_NOISY_MARGIN * (double)cores * 100.0 > limit)
        limit = base_max + PG_NOISY_MARGIN * (double)cores * 100.0;
    for (size_t t = 0; t < b->n_trials; t++) {
        int steal = isfinite(b->steal[t]) && b->steal[t] >= PG_NOISY_STEAL;
        int other = isfinite(b->other_cpu[t]) && b->other_cpu[t] >= limit;
        marked += steal || other;
        stolen += steal;
        if (other && b->other_cpu[t] > worst)
            worst = b->other_cpu[t];
    }
    if (marked && worst > 0.0)
        snprintf(v->veto, sizeof v->veto,
                 "noisy machine: other processes used up to %.1f of %ld cores during %zu of %zu "
                 "trials (the limit: %.1f cores; the baseline's trials saw at most %.1f)",
                 worst / 100.0, cores, marked, b->n_trials, limit / 100.0, base_max / 100.0);
    else if (marked)
        snprintf(v->veto, sizeof v->veto,
                 "noisy machine: the hypervisor took %.0f%% or more of the CPU during %zu of %zu "
                 "trials",
                 PG_NOISY_STEAL, stolen, b->n_trials);
    else if (b->cpu_bound && !old->cpu_bound && !b->staircase)
        /* late starts alone are not it: on a shared machine they come from
         * other processes, which other_cpu measures; a staircase finds its
         * generator's limit step by step */
        snprintf(v->veto, sizeof v->veto,
                 "noisy measurement: perfgate used all the CPU of its threads (the generator, "
                 "not the target, was the limit), which the baseline's run did not");
    v->noisy = v->veto[0] != '\0'; /* every veto written here is the noisy kind */
}

/* Another machine: said, not vetoed (hosted runners mix CPU models). */
static void testbed_note(pg_budget_verdict *v, const pg_results_values *cur,
                         const pg_results_values *base)
{
    if (strcmp(cur->cpu, base->cpu) == 0 && cur->cores == base->cores &&
        strcmp(cur->testbed, base->testbed) == 0)
        return;
    snprintf(v->note, sizeof v->note,
             "the baseline was measured on another testbed: %.40s%s%.80s x%ld, this run "
             "%.40s%s%.80s x%ld",
             base->testbed, *base->testbed ? ", " : "", base->cpu, base->cores, cur->testbed,
             *cur->testbed ? ", " : "", cur->cpu, cur->cores);
}

static double series_min_effect(const char *field)
{
    int id = pg_value_index(field); /* p50 ... p999 and mean are the latency rows' */

    if (id >= 0)
        return pg_value_defs[id].min_effect;
    return strcmp(field, "max") == 0 ? pg_value_defs[PG_VALUE_P999].min_effect
                                     : pg_value_defs[PG_VALUE_P50].min_effect;
}

/* A service that spends under this share of its median latency on CPU on
 * both sides mostly waits (on a timer, a database): its few microseconds of
 * CPU per request move with the kernel's wake-ups more than with its code.
 * Measured (bench/noise.sh, duet): `perfgate serve --delay 5` spends about
 * 1% of its latency on CPU, and two identical such services differed by up
 * to 32% in a comparison; a CPU-bound one (95%) by at most 2.5%. */
#define PG_SERVICE_CPU_MIN_SHARE 0.10

/* service_cpu is not decided for a service that mostly waits: skipped,
 * saying why (1), else 0. */
static int mostly_waits(pg_comparison *c, const pg_budget_values *b, const pg_budget_values *old)
{
    const pg_budget_values *side[2] = {old, b};
    double share[2];

    for (int s = 0; s < 2; s++) {
        double cpu = pg_median(side[s]->v[PG_VALUE_SERVICE_CPU], side[s]->n_trials),
               p50 = pg_median(side[s]->v[PG_VALUE_P50], side[s]->n_trials);
        share[s] = p50 > 0 ? cpu / p50 : 1.0;
        if (share[s] >= PG_SERVICE_CPU_MIN_SHARE)
            return 0;
    }
    c->verdict = PG_VERDICT_SKIPPED;
    snprintf(c->why, sizeof c->why,
             "the service mostly waits: its CPU time per request is %.1f%% (A) and %.1f%% (B) "
             "of its median latency, under the %.0f%% at which CPU time tells the code's cost "
             "from the kernel's wake-ups",
             100.0 * share[0], 100.0 * share[1], 100.0 * PG_SERVICE_CPU_MIN_SHARE);
    return 1;
}

/* The share of a side's median latency its service spent waiting for a
 * CPU (run queue), NAN when not measured. */
static double queued_share(const pg_budget_values *b)
{
    double wait[PG_MAX_TRIALS], p50 = pg_median(b->v[PG_VALUE_P50], b->n_trials);
    size_t n = 0;

    for (size_t t = 0; t < b->n_trials; t++)
        if (isfinite(b->service_wait[t]))
            wait[n++] = b->service_wait[t];
    return n && p50 > 0 ? pg_median(wait, n) / p50 : NAN;
}

/* The median share of one core that processes other than perfgate and the
 * two services used during a side's trials, NAN when none was measured. */
static double others_median(const pg_budget_values *b)
{
    double v[PG_MAX_TRIALS];
    size_t n = 0;

    for (size_t t = 0; t < b->n_trials; t++)
        if (isfinite(b->other_cpu[t]))
            v[n++] = b->other_cpu[t];
    return n ? pg_median(v, n) : NAN;
}

/* Latency of two sides measured at once is not decided when a service
 * waited for a CPU, on either side, for a share of its median latency of at
 * least this many times the smallest change asked for, while other
 * processes held the cores (interference's PG_NOISY_SHARE of them, in the
 * median trial, on either side): which side the scheduler placed beside the
 * busy processes moves latency by up to about half that wait, for the whole
 * comparison, so its trials agree with each other and the paired test
 * calls it significant. Measured (bench/noise.sh, duet, busy loops on both
 * cores): two identical CPU-bound services waited 45-75% of their latency,
 * and B's p50 was 0.73 to 1.19 times A's; services that wait on a timer
 * waited 2-6%. Without the other processes the wait is the two sides' and
 * perfgate's own, the same for both: two python3 -m http.server on a quiet
 * machine waited 23-34% of their latency, and A/A comparisons of CPU-bound
 * services there made no false alarm without this rule. */
#define PG_QUEUED_EFFECTS 2.0

/* A share of latency for a reason: "12.3%", or "not measured". */
static const char *share_text(char *buf, size_t size, double share)
{
    if (isfinite(share))
        snprintf(buf, size, "%.1f%%", 100.0 * share);
    else
        snprintf(buf, size, "not measured");
    return buf;
}

/* The comparison is made, shown and held INCONCLUSIVE then; a CPU-bound
 * change is still found by service_cpu. 1 when it is held (the reason in
 * its why). When other processes' CPU was not measured, the machine is
 * taken as busy: a false alarm is the worse error of the two there. */
static int mostly_queued(pg_comparison *c, const pg_budget_values *b, const pg_budget_values *old,
                         long cores)
{
    double share[2] = {queued_share(old), queued_share(b)},
           from = PG_QUEUED_EFFECTS * c->min_effect,
           others = fmax(others_median(old), others_median(b)), /* NAN only when both are */
        limit = PG_NOISY_SHARE * (double)(cores > 0 ? cores : 1) * 100.0;
    char a_text[16], b_text[16], others_text[64];

    if (c->verdict == PG_VERDICT_SKIPPED || pg_metric_unit(c->metric) != PG_UNIT_DURATION ||
        strcmp(c->metric, pg_value_defs[PG_VALUE_SERVICE_CPU].name) == 0 ||
        !(share[0] >= from || share[1] >= from) || others < limit)
        return 0;
    if (isfinite(others))
        snprintf(others_text, sizeof others_text, "other processes used %.1f of %ld cores",
                 others / 100.0, cores);
    else
        snprintf(others_text, sizeof others_text, "other processes' CPU was not measured");
    snprintf(c->why, sizeof c->why,
             "the service waited for a CPU %s (A) and %s (B) of its median latency, at least "
             "twice the %.0f%% asked for, and %s: where the scheduler put each side can move "
             "latency that much by itself (service_cpu still tells a CPU-bound change)",
             share_text(a_text, sizeof a_text, share[0]),
             share_text(b_text, sizeof b_text, share[1]), 100.0 * c->min_effect, others_text);
    return 1;
}

/* One comparison slot: skipped with a reason, or compared. */
static int compare_one(pg_budget_verdict *v, const pg_budget_values *b, const pg_budget_values *old,
                       int idx, const char *name, double min_effect,
                       const pg_results_values *history, size_t n_history, int paired, long cores,
                       pg_err *err)
{
    pg_comparison *c = &v->cmp[v->n_cmp];
    const double *cur, *base;
    size_t nc = 0, nb = 0;
    int rc;

    if (v->n_cmp == PG_MAX_COMPARISONS)
        return PG_OK;
    v->n_cmp++;
    pg_comparison_init(c, name, min_effect, b->regression.alpha);
    cur = series_of(b, idx, name, &nc);
    base = old ? series_of(old, idx, name, &nb) : NULL;
    if (v->skipped[0] || !cur || !base) {
        c->verdict = PG_VERDICT_SKIPPED;
        if (v->skipped[0])
            snprintf(c->why, sizeof c->why, "%s", v->skipped);
        else if (idx == PG_VALUE_SERVICE_CPU)
            snprintf(c->why, sizeof c->why,
                     "the service's processes were not found on this machine for %s (its CPU "
                     "time is read for a target on 127.0.0.1, ::1 or localhost whose listening "
                     "process perfgate may read)",
                     !cur && !base ? "either side"
                     : !base       ? "the baseline side"
                                   : "this side");
        else
            snprintf(c->why, sizeof c->why, "the baseline did not measure it");
        return PG_OK;
    }
    if (idx == PG_VALUE_SERVICE_CPU && mostly_waits(c, b, old))
        return PG_OK;
    if (paired)
        rc = pg_compare_paired(c, name, base, cur, nb < nc ? nb : nc, min_effect,
                               b->regression.alpha);
    else
        rc = pg_compare_metric(c, name, base, nb, cur, nc, min_effect, b->regression.alpha);
    if (rc != 0)
        return pg_err_set(err, rc, "comparing %s of %s failed", name, b->name);
    if (paired)
        v->held[v->n_cmp - 1] = (unsigned char)mostly_queued(c, b, old, cores);
    history_band(&v->band[v->n_cmp - 1], b->name, idx, c, history, n_history);
    return PG_OK;
}

/* The history as the noise model: with enough baselines, a change that
 * stays inside their run-to-run spread is not called a regression. */
static void within_history(pg_comparison *c, const pg_band *band)
{
    if (c->verdict != PG_VERDICT_FAIL || !band->have || band->n < PG_BAND_DECIDES || band->outside)
        return;
    c->verdict = PG_VERDICT_INCONCLUSIVE;
    snprintf(c->why, sizeof c->why,
             "the change is significant against the nearest baseline but within the run-to-run "
             "spread of the last %zu baselines (their history band)",
             band->n);
}

/* Is this comparison made but not decided? A noisy machine does not fail
 * requests, so error rate is still decided then. */
static int vetoed(const pg_budget_verdict *v, const pg_comparison *c)
{
    if (!v->veto[0] || c->verdict == PG_VERDICT_SKIPPED)
        return 0;
    return !v->noisy || !c->absolute;
}

/* Does comparison m of v take part in the decision? */
static int decides(const pg_budget_verdict *v, size_t m)
{
    return !vetoed(v, &v->cmp[m]) && !v->held[m];
}

/* A check or comparison whose verdict was never set (the zero value) is a
 * bug or a failure some path swallowed: the gate does not finish then. */
static int undecided(const pg_gate *g, pg_err *err)
{
    for (size_t i = 0; i < g->n; i++) {
        const pg_budget_verdict *v = &g->budgets[i];
        for (size_t t = 0; t < v->cur->n_checks; t++)
            if (v->cur->checks[t].verdict == PG_VERDICT_UNDECIDED)
                return pg_err_set(err, PG_ERUN, "budget %s: threshold %s %s has no verdict",
                                  v->name, v->cur->checks[t].metric, v->cur->checks[t].expr);
        for (size_t m = 0; m < v->n_cmp; m++)
            if (v->cmp[m].verdict == PG_VERDICT_UNDECIDED)
                return pg_err_set(err, PG_ERUN, "budget %s: %s was compared but not decided",
                                  v->name, v->cmp[m].metric);
    }
    return PG_OK;
}

static int evaluate(pg_gate *g, const pg_results_values *cur, const pg_results_values *base,
                    const pg_results_values *history, size_t n_history, const char *no_base_reason,
                    int strict, int paired, pg_err *err)
{
    pg_comparison *all = NULL;
    size_t total = 0, k = 0;
    int rc = PG_OK;

    memset(g, 0, sizeof *g);
    g->strict = strict;
    if (cur->n_budgets && !(g->budgets = calloc(cur->n_budgets, sizeof *g->budgets)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    g->n = cur->n_budgets;
    for (size_t i = 0; i < cur->n_budgets; i++) {
        const pg_budget_values *b = &cur->budgets[i],
                               *old = base ? pg_values_budget(base, b->name) : NULL;
        pg_budget_verdict *v = &g->budgets[i];
        snprintf(v->name, sizeof v->name, "%s", b->name);
        v->cur = b;
        for (size_t t = 0; t < b->n_checks; t++)
            g->thresholds_failed += b->checks[t].verdict == PG_VERDICT_FAIL;
        if (!b->regression.enabled) {
            snprintf(v->skipped, sizeof v->skipped, "regression checks are off for this budget");
            continue;
        }
        if (!base || !old) {
            snprintf(
                v->skipped, sizeof v->skipped, "%s",
                !base ? (no_base_reason && *no_base_reason ? no_base_reason : "no baseline found")
                      : "the baseline has no budget of this name");
        } else if (b->interrupted || old->interrupted) {
            snprintf(v->skipped, sizeof v->skipped, "the %s run was interrupted",
                     b->interrupted ? "current" : "baseline");
        } else if (!paired) {
            comparability(v, b, old);
            if (!v->veto[0])
                interference(v, b, old, cur->cores);
            testbed_note(v, cur, base);
        }
        for (size_t m = 0; m < b->regression.n; m++) {
            int idx = pg_value_index(b->regression.metric[m].name);
            /* a stored baseline's machine and moment differ: only the two
             * sides of one comparison run share them */
            if (idx >= 0 && pg_value_defs[idx].use == PG_COMPARE_SAME_TIME && !paired)
                continue;
            if (idx >= 0 && (rc = compare_one(v, b, old, idx, b->regression.metric[m].name,
                                              b->regression.metric[m].min_effect, history,
                                              n_history, paired, cur->cores, err)) != 0)
                return rc;
        }
        /* A staircase's trials are measured at whatever rate each reached:
         * their latencies and resources compare unlike with unlike. Only
         * the regression metrics (capacity_rps by default) are compared. */
        for (size_t s = 0; s < b->n_series && !b->staircase; s++) {
            const pg_series *se = &b->series[s];
            int repeats = 0;
            /* "http_req_duration p95" is the regression metric p95 again */
            for (size_t m = 0; m < b->regression.n; m++)
                if (strncmp(se->key, "http_req_duration ", 18) == 0 &&
                    strcmp(se->key + 18, b->regression.metric[m].name) == 0)
                    repeats = 1;
            /* the budget's one min_effect when it set one, else by aggregation */
            double effect = b->regression.min_effect > 0 ? b->regression.min_effect
                                                         : series_min_effect(se->field);
            if (!repeats && (rc = compare_one(v, b, old, -1, se->key, effect, history, n_history,
                                              paired, cur->cores, err)) != 0)
                return rc;
        }
        total += v->n_cmp;
    }
    /* Benjamini-Hochberg over every comparison that decides, of every
     * budget at once; a vetoed one decides nothing and is left out */
    if (total && !(all = calloc(total, sizeof *all)))
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    for (size_t i = 0; i < g->n; i++)
        for (size_t m = 0; m < g->budgets[i].n_cmp; m++)
            if (decides(&g->budgets[i], m))
                all[k++] = g->budgets[i].cmp[m];
    if (pg_compare_decide(all, k) != PG_OK) {
        free(all);
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    }
    k = 0;
    for (size_t i = 0; i < g->n; i++) {
        g->vetoed += g->budgets[i].veto[0] != '\0';
        for (size_t m = 0; m < g->budgets[i].n_cmp; m++) {
            pg_comparison *c = &g->budgets[i].cmp[m];
            if (decides(&g->budgets[i], m)) {
                *c = all[k++];
                within_history(c, &g->budgets[i].band[m]);
            } else if (g->budgets[i].held[m] && !vetoed(&g->budgets[i], c)) {
                c->verdict = PG_VERDICT_INCONCLUSIVE; /* its why says why */
            } else {
                c->verdict = PG_VERDICT_INCONCLUSIVE;
                snprintf(c->why, sizeof c->why, "%s", g->budgets[i].veto);
            }
            g->regressions += c->verdict == PG_VERDICT_FAIL;
            g->inconclusive += c->verdict == PG_VERDICT_INCONCLUSIVE;
            g->warnings += g->budgets[i].band[m].outside;
        }
    }
    free(all);
    if ((rc = undecided(g, err)) != PG_OK)
        return rc;
    if (g->thresholds_failed || g->regressions || (strict && g->inconclusive))
        g->overall = PG_VERDICT_FAIL;
    else if (g->inconclusive)
        g->overall = PG_VERDICT_INCONCLUSIVE;
    else
        g->overall = PG_VERDICT_PASS;
    return PG_OK;
}

int pg_gate_evaluate(pg_gate *g, const pg_results_values *cur, const pg_results_values *base,
                     const pg_results_values *history, size_t n_history, const char *no_base_reason,
                     int strict, pg_err *err)
{
    return evaluate(g, cur, base, history, n_history, no_base_reason, strict, 0, err);
}

int pg_gate_evaluate_paired(pg_gate *g, const pg_results_values *b, const pg_results_values *a,
                            int strict, pg_err *err)
{
    return evaluate(g, b, a, NULL, 0, NULL, strict, 1, err);
}

void pg_gate_clear(pg_gate *g)
{
    free(g->budgets);
    memset(g, 0, sizeof *g);
}
