/* doc.c — typed reads of the verdict document (see doc.h). */
#include "report/doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics/values.h"
#include "report/verdict.h"
#include "stats/compare.h"

const cJSON *pg_doc_get(const cJSON *o, const char *key)
{
    return o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

const char *pg_doc_str(const cJSON *o, const char *key, const char *dflt)
{
    const cJSON *v = pg_doc_get(o, key);
    return cJSON_IsString(v) ? v->valuestring : dflt;
}

double pg_doc_num(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = pg_doc_get(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

int pg_doc_bool(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(pg_doc_get(o, key));
}

pg_verdict pg_doc_verdict(const cJSON *o, const char *key)
{
    pg_verdict v = pg_verdict_named(pg_doc_str(o, key, ""));
    return v == PG_VERDICT_UNDECIDED ? PG_VERDICT_SKIPPED : v;
}

void pg_doc_counts_of(const cJSON *doc, pg_doc_counts *c)
{
    const cJSON *b, *ch, *gate = pg_doc_get(doc, "gate");

    memset(c, 0, sizeof *c);
    c->interrupted = pg_doc_bool(doc, "interrupted");
    cJSON_ArrayForEach(b, pg_doc_get(doc, "budgets"))
    {
        c->budgets++;
        c->vetoed += pg_doc_str(pg_doc_get(b, "comparison"), "veto", NULL) != NULL;
        cJSON_ArrayForEach(ch, pg_doc_get(b, "checks"))
        {
            pg_verdict v = pg_doc_verdict(ch, "verdict");
            if (strcmp(pg_doc_str(ch, "kind", ""), "threshold") == 0) {
                c->thresholds++;
                c->thresholds_failed += v == PG_VERDICT_FAIL;
                c->thresholds_skipped += v == PG_VERDICT_SKIPPED;
                continue;
            }
            c->compared += v != PG_VERDICT_SKIPPED;
            c->regressions += v == PG_VERDICT_FAIL;
            c->inconclusive += v == PG_VERDICT_INCONCLUSIVE;
            c->skipped += v == PG_VERDICT_SKIPPED;
        }
    }
    c->strict = pg_doc_bool(gate, "strict");
    c->warnings = (int)pg_doc_num(gate, "warnings", 0);
    if (pg_doc_get(doc, "verdict"))
        c->overall = pg_doc_verdict(doc, "verdict");
    else /* plain results: the thresholds decide */
        c->overall = c->thresholds_failed ? PG_VERDICT_FAIL : PG_VERDICT_PASS;
}

const char *pg_doc_headline(const pg_doc_counts *c)
{
    if (c->regressions && c->thresholds_failed)
        return "regression and budget exceeded";
    if (c->regressions)
        return "regression";
    if (c->thresholds_failed)
        return "budget exceeded";
    if (c->overall == PG_VERDICT_FAIL) /* --strict made inconclusive fail */
        return c->vetoed ? "could not decide (failing: --strict)"
                         : "inconclusive (failing: --strict)";
    if (c->overall == PG_VERDICT_INCONCLUSIVE)
        return c->vetoed ? "could not decide" : "inconclusive";
    if (c->compared == 0 && c->thresholds == c->thresholds_skipped)
        return "nothing measured";
    return "pass";
}

void pg_doc_format_value(const char *metric, double v, char *buf, size_t size)
{
    if (!isfinite(v))
        snprintf(buf, size, "n/a");
    else
        pg_format_metric(metric, v, buf, size);
}

void pg_doc_format_change(const cJSON *cmp, const char *key, char *buf, size_t size)
{
    const cJSON *v = pg_doc_get(cmp, key);
    pg_comparison c;

    if (!cJSON_IsNumber(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    memset(&c, 0, sizeof c);
    c.absolute = strcmp(pg_doc_str(cmp, "change_kind", "ratio"), "difference") == 0;
    pg_format_change(&c, v->valuedouble, buf, size);
}

double pg_doc_trials_median(const cJSON *budget, const char *field)
{
    double v[PG_MAX_TRIALS];
    size_t n = 0;
    const cJSON *t;

    cJSON_ArrayForEach(t, pg_doc_get(budget, "trials"))
    {
        double x = pg_doc_num(pg_doc_get(t, "latency_us"), field, NAN);
        if (n < PG_MAX_TRIALS && isfinite(x))
            v[n++] = x;
    }
    return n ? pg_median(v, n) : NAN;
}
