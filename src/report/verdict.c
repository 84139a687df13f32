/* verdict.c — the gate's verdict on the console and in JSON (see verdict.h). */
#include "report/verdict.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_alloc.h"
#include "config/threshold.h"
#include "config/units.h"

void pg_format_metric(const char *metric, double v, char *buf, size_t size)
{
    pg_format_in_unit(pg_metric_unit(metric), v, buf, size);
}

void pg_format_change(const pg_comparison *c, double change, char *buf, size_t size)
{
    if (c->absolute)
        snprintf(buf, size, "%+.2fpp", change * 100.0);
    else if (isfinite(change))
        snprintf(buf, size, "%+.1f%%", (change - 1.0) * 100.0);
    else
        snprintf(buf, size, "n/a");
}

static const char *mark(pg_verdict v)
{
    static const char *const m[PG_VERDICT_COUNT] = {[PG_VERDICT_UNDECIDED] = "UNDECIDED",
                                                    [PG_VERDICT_PASS] = "PASS",
                                                    [PG_VERDICT_FAIL] = "FAIL",
                                                    [PG_VERDICT_INCONCLUSIVE] = "INCONCLUSIVE",
                                                    [PG_VERDICT_SKIPPED] = "SKIPPED"};
    return m[v];
}

static void print_gate(FILE *fp, const pg_gate *g, const char *col_base, const char *col_cur,
                       int colour);

void pg_verdict_console(FILE *fp, const pg_gate *g, const pg_baseline_found *base, int colour)
{
    if (base && base->found)
        fprintf(fp, "\nbaseline: %.12s, %d commit%s before the merge-base of HEAD and %s (%s)\n",
                base->commit, base->distance, base->distance == 1 ? "" : "s", base->base_ref,
                base->path);
    else
        fprintf(fp, "\nbaseline: none found%s%s\n",
                base && base->base_ref[0] ? " on the ancestry of " : "",
                base && base->base_ref[0] ? base->base_ref : "");
    if (base && base->notes[0])
        fprintf(fp, "%s", base->notes);
    print_gate(fp, g, "baseline", "current", colour);
}

void pg_verdict_console_labelled(FILE *fp, const pg_gate *g, const char *baseline_label,
                                 const char *name_a, const char *name_b, int colour)
{
    fprintf(fp, "\nbaseline: %s\n", baseline_label);
    print_gate(fp, g, name_a, name_b, colour);
}

static void print_gate(FILE *fp, const pg_gate *g, const char *col_base, const char *col_cur,
                       int colour)
{
    const char *red = colour ? "\033[31m" : "", *green = colour ? "\033[32m" : "",
               *yellow = colour ? "\033[33m" : "", *off = colour ? "\033[0m" : "";

    for (size_t i = 0; i < g->n; i++) {
        const pg_budget_verdict *v = &g->budgets[i];
        fprintf(fp, "\n%s\n", v->name);
        for (size_t t = 0; t < v->cur->n_checks; t++) {
            const pg_check *c = &v->cur->checks[t];
            const char *col = c->verdict == PG_VERDICT_PASS   ? green
                              : c->verdict == PG_VERDICT_FAIL ? red
                                                              : yellow;
            fprintf(fp, "  %s%-12s%s threshold %s\n", col, mark(c->verdict), off, c->detail);
        }
        if (v->skipped[0]) {
            fprintf(fp, "  %sSKIPPED%s      regression checks: %s\n", yellow, off, v->skipped);
            continue;
        }
        if (v->note[0])
            fprintf(fp, "  %-12s %s\n", "NOTE", v->note);
        if (v->veto[0])
            fprintf(fp, "  %sNOT DECIDED%s  %s\n", yellow, off, v->veto);
        fprintf(fp, "  %-12s %-11s %10.10s %10.10s %9s  %-19s %8s\n", "verdict", "metric", col_base,
                col_cur, "change", "95% interval", "p");
        for (size_t m = 0; m < v->n_cmp; m++) {
            const pg_comparison *c = &v->cmp[m];
            char b[24], cu[24], ch[24], lo[24], hi[24], iv[64];
            const char *col = c->verdict == PG_VERDICT_PASS   ? green
                              : c->verdict == PG_VERDICT_FAIL ? red
                                                              : yellow;
            pg_format_metric(c->metric, c->base_median, b, sizeof b);
            pg_format_metric(c->metric, c->cur_median, cu, sizeof cu);
            pg_format_change(c, c->change, ch, sizeof ch);
            pg_format_change(c, c->ci_lo, lo, sizeof lo);
            pg_format_change(c, c->ci_hi, hi, sizeof hi);
            snprintf(iv, sizeof iv, "[%s, %s]", lo, hi);
            if (strlen(c->metric) > 11) /* a threshold's metric: its name on a line of its own */
                fprintf(fp, "  %-12s %s\n", "", c->metric);
            fprintf(fp, "  %s%-12s%s %-11s %10s %10s %9s  %-19s %8.4f\n", col, mark(c->verdict),
                    off, strlen(c->metric) > 11 ? "" : c->metric, b, cu, ch, iv, c->p_adjusted);
            /* an inconclusive row says why, unless the budget's veto said it once */
            if (c->verdict == PG_VERDICT_INCONCLUSIVE && c->why[0] && strcmp(c->why, v->veto) != 0)
                fprintf(fp, "  %-12s why: %s\n", "", c->why);
            if (v->band[m].outside) {
                char blo[24], bhi[24];
                pg_format_metric(c->metric, v->band[m].lo, blo, sizeof blo);
                pg_format_metric(c->metric, v->band[m].hi, bhi, sizeof bhi);
                fprintf(fp,
                        "  %sWARNING%s      %s is outside its history band [%s, %s] of the last "
                        "%zu baselines\n",
                        yellow, off, c->metric, blo, bhi, v->band[m].n);
            }
        }
    }
    fprintf(fp, "\n%s%s%s%s: %d threshold%s broken, %d regression%s, %d inconclusive%s%s\n",
            g->overall == PG_VERDICT_FAIL   ? red
            : g->overall == PG_VERDICT_PASS ? green
                                            : yellow,
            g->overall == PG_VERDICT_FAIL   ? "FAILED"
            : g->overall == PG_VERDICT_PASS ? "PASSED"
                                            : "INCONCLUSIVE",
            g->vetoed ? " (the gate could not decide: see NOT DECIDED above)" : "", off,
            g->thresholds_failed, g->thresholds_failed == 1 ? "" : "s", g->regressions,
            g->regressions == 1 ? "" : "s", g->inconclusive,
            g->inconclusive && !g->strict ? " (not failing; --strict would)" : "",
            g->warnings ? ", history warnings above" : "");
}

static cJSON *comparison_json(const pg_comparison *c, const pg_band *band)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "metric", c->metric);
    cJSON_AddStringToObject(o, "verdict", pg_verdict_names[c->verdict]);
    cJSON_AddStringToObject(o, "direction",
                            c->direction == PG_WORSE_WHEN_HIGHER ? "lower_is_better"
                                                                 : "higher_is_better");
    cJSON_AddStringToObject(o, "change_kind", c->absolute ? "difference" : "ratio");
    if (c->verdict != PG_VERDICT_SKIPPED) {
        cJSON_AddNumberToObject(o, "baseline", c->base_median);
        cJSON_AddNumberToObject(o, "current", c->cur_median);
        if (isfinite(c->change))
            cJSON_AddNumberToObject(o, "change", c->change);
        if (isfinite(c->ci_lo) && isfinite(c->ci_hi)) {
            cJSON_AddNumberToObject(o, "ci_low", c->ci_lo);
            cJSON_AddNumberToObject(o, "ci_high", c->ci_hi);
        }
        cJSON_AddNumberToObject(o, "p", c->p);
        cJSON_AddNumberToObject(o, "p_adjusted", c->p_adjusted);
        cJSON_AddNumberToObject(o, "alpha", c->alpha);
        cJSON_AddNumberToObject(o, "trials_baseline", (double)c->n_base);
        cJSON_AddNumberToObject(o, "trials_current", (double)c->n_cur);
    }
    cJSON_AddNumberToObject(o, "min_effect", c->min_effect);
    if (c->why[0])
        cJSON_AddStringToObject(o, "why", c->why);
    if (band->have) {
        cJSON *b = cJSON_AddObjectToObject(o, "history_band");
        cJSON_AddNumberToObject(b, "baselines", (double)band->n);
        cJSON_AddNumberToObject(b, "median", band->median);
        cJSON_AddNumberToObject(b, "low", band->lo);
        cJSON_AddNumberToObject(b, "high", band->hi);
        cJSON_AddBoolToObject(b, "outside", band->outside);
    }
    return o;
}

/* versus: what B was compared with, "1a2b3c4" or "base"; "" when nothing */
static cJSON *regression_check(const pg_comparison *c, const char *versus)
{
    cJSON *o = cJSON_CreateObject();
    char detail[900], ch[24], lo[24], hi[24];
    int n;

    pg_format_change(c, c->change, ch, sizeof ch);
    pg_format_change(c, c->ci_lo, lo, sizeof lo);
    pg_format_change(c, c->ci_hi, hi, sizeof hi);
    if (c->verdict == PG_VERDICT_SKIPPED) {
        snprintf(detail, sizeof detail, "%s: %s", c->metric, c->why);
    } else {
        n = snprintf(detail, sizeof detail, "%s %s [CI %s, %s] p=%.4f%s%s", c->metric, ch, lo, hi,
                     c->p_adjusted, *versus ? " vs " : "", versus);
        /* an inconclusive row says why on its own line of every report */
        if (c->verdict == PG_VERDICT_INCONCLUSIVE && c->why[0] && n > 0 &&
            (size_t)n < sizeof detail)
            snprintf(detail + n, sizeof detail - (size_t)n, " (inconclusive: %s)", c->why);
    }
    cJSON_AddStringToObject(o, "kind", "regression");
    cJSON_AddStringToObject(o, "metric", c->metric);
    cJSON_AddStringToObject(o, "verdict", pg_verdict_names[c->verdict]);
    cJSON_AddStringToObject(o, "detail", detail);
    return o;
}

/* Medians of an earlier baseline's per-trial values, oldest first: the
 * history charts of the reports. */
static cJSON *history_json(const char *budget, const pg_results_values *history, size_t n)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t h = n; h-- > 0;) {
        const pg_budget_values *b = pg_values_budget(&history[h], budget);
        cJSON *o;
        if (!b || !b->n_trials || b->interrupted)
            continue;
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "commit", history[h].commit);
        cJSON_AddStringToObject(o, "created", history[h].created);
        for (int k = 0; k < PG_N_VALUES; k++)
            cJSON_AddNumberToObject(o, pg_value_names[k], pg_median(b->v[k], b->n_trials));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* A document rebuilt from an earlier verdict document gets its regression
 * checks anew. */
static void drop_regression_checks(cJSON *checks)
{
    cJSON *c = checks->child, *next;

    for (; c; c = next) {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(c, "kind");
        next = c->next;
        if (cJSON_IsString(kind) && strcmp(kind->valuestring, "regression") == 0)
            cJSON_Delete(cJSON_DetachItemViaPointer(checks, c));
    }
}

static void add_baseline(cJSON *doc, const pg_baseline_found *base)
{
    cJSON *bl = cJSON_AddObjectToObject(doc, "baseline");

    cJSON_AddBoolToObject(bl, "found", base && base->found);
    if (!base)
        return;
    if (base->found) {
        cJSON_AddStringToObject(bl, "commit", base->commit);
        cJSON_AddNumberToObject(bl, "distance", base->distance);
        cJSON_AddStringToObject(bl, "path", base->path);
    }
    cJSON_AddStringToObject(bl, "base_ref", base->base_ref);
    cJSON_AddStringToObject(bl, "merge_base", base->merge_base);
    cJSON_AddBoolToObject(bl, "shallow_stop", base->shallow_stop);
    if (base->notes[0])
        cJSON_AddStringToObject(bl, "notes", base->notes);
}

static void add_gate(cJSON *doc, const pg_gate *g)
{
    cJSON *o = cJSON_AddObjectToObject(doc, "gate");

    cJSON_AddStringToObject(o, "verdict", pg_verdict_names[g->overall]);
    cJSON_AddNumberToObject(o, "thresholds_failed", g->thresholds_failed);
    cJSON_AddNumberToObject(o, "regressions", g->regressions);
    cJSON_AddNumberToObject(o, "inconclusive", g->inconclusive);
    cJSON_AddNumberToObject(o, "warnings", g->warnings);
    cJSON_AddBoolToObject(o, "strict", g->strict);
}

static void build_doc(cJSON *doc, const pg_gate *g, const pg_baseline_found *base,
                      const pg_results_values *history, size_t n_history, const char *versus)
{
    cJSON *b;
    size_t i = 0;

    cJSON_DeleteItemFromObjectCaseSensitive(doc, "verdict");
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "gate");
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "baseline");
    cJSON_AddStringToObject(doc, "verdict", pg_verdict_names[g->overall]);
    add_gate(doc, g);
    add_baseline(doc, base);
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(doc, "budgets"))
    {
        const pg_budget_verdict *v;
        cJSON *cmp, *metrics, *checks = cJSON_GetObjectItemCaseSensitive(b, "checks");
        if (i >= g->n)
            break;
        v = &g->budgets[i++];
        cJSON_DeleteItemFromObjectCaseSensitive(b, "comparison");
        cmp = cJSON_AddObjectToObject(b, "comparison");
        if (v->skipped[0])
            cJSON_AddStringToObject(cmp, "skipped", v->skipped);
        if (v->veto[0])
            cJSON_AddStringToObject(cmp, "veto", v->veto);
        if (v->note[0])
            cJSON_AddStringToObject(cmp, "note", v->note);
        metrics = cJSON_AddArrayToObject(cmp, "metrics");
        cJSON_AddItemToObject(cmp, "history", history_json(v->name, history, n_history));
        if (!checks)
            checks = cJSON_AddArrayToObject(b, "checks");
        drop_regression_checks(checks);
        for (size_t m = 0; m < v->n_cmp; m++) {
            cJSON_AddItemToArray(metrics, comparison_json(&v->cmp[m], &v->band[m]));
            cJSON_AddItemToArray(checks, regression_check(&v->cmp[m], versus));
        }
    }
}

int pg_verdict_doc(cJSON *doc, const pg_gate *g, const pg_baseline_found *base,
                   const pg_results_values *history, size_t n_history)
{
    unsigned long failed = pg_json_alloc_failures();
    char sha[8] = "";

    if (base && base->found)
        snprintf(sha, sizeof sha, "%.7s", base->commit);
    build_doc(doc, g, base, history, n_history, sha);
    return pg_json_alloc_failures() == failed ? PG_OK : PG_ENOMEM;
}

int pg_verdict_doc_ab(cJSON *doc, const pg_gate *g, const pg_ab_sides *sides)
{
    unsigned long failed = pg_json_alloc_failures();
    cJSON *bl;

    build_doc(doc, g, NULL, NULL, 0, sides->name_a);
    bl = cJSON_GetObjectItemCaseSensitive(doc, "baseline");
    if (!bl || !cJSON_AddStringToObject(bl, "label", sides->label) ||
        !cJSON_AddStringToObject(bl, "schedule", sides->schedule) ||
        !cJSON_AddStringToObject(bl, "a_name", sides->name_a) ||
        !cJSON_AddStringToObject(bl, "b_name", sides->name_b) || pg_json_alloc_failures() != failed)
        return PG_ENOMEM;
    return PG_OK;
}
