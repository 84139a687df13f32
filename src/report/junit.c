/* junit.c — JUnit XML through libxml2's text writer (see junit.h). */
#include "report/junit.h"

#include <ctype.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>
#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "report/doc.h"
#include "report/escape.h"

typedef struct writer {
    xmlTextWriterPtr w;
    int rc; /* first libxml2 failure */
} writer;

/* libxml2's writer does not always say when it failed: WriteString returns
 * success after xmlEncodeSpecialChars ran out of memory and wrote nothing.
 * It does raise the error, so any error raised while rendering fails it. */
#if LIBXML_VERSION >= 21200
static void on_xml_error(void *failed, const xmlError *e)
#else
static void on_xml_error(void *failed, xmlErrorPtr e)
#endif
{
    (void)e;
    *(int *)failed = 1;
}

/* A buffer's text, or "" with the writer failed when the buffer ran out of
 * memory (an attribute must not go out empty as if that were its value). */
static const char *checked(writer *x, const pg_buf *b)
{
    if (pg_buf_failed(b))
        x->rc = -1;
    return pg_buf_str(b);
}

/* Outside text as an attribute: valid XML characters only, and not blank
 * (the Ant schema's xs:token names need at least one character). */
static void attr(writer *x, const char *name, const char *value)
{
    pg_buf b = {0};
    const char *v;

    pg_escape_clean(&b, value, 1000);
    v = checked(x, &b);
    if (strcmp(name, "name") == 0 && strspn(v, " \t\r\n") == strlen(v))
        v = "(unnamed)";
    if (xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST v) < 0)
        x->rc = -1;
    pg_buf_free(&b);
}

static void attrf(writer *x, const char *name, const char *fmt, double v)
{
    char s[64];
    snprintf(s, sizeof s, fmt, v);
    attr(x, name, s);
}

static void start(writer *x, const char *element)
{
    if (xmlTextWriterStartElement(x->w, BAD_CAST element) < 0)
        x->rc = -1;
}

static void end(writer *x)
{
    if (xmlTextWriterEndElement(x->w) < 0)
        x->rc = -1;
}

static void text(writer *x, const char *s)
{
    pg_buf b = {0};
    pg_escape_clean(&b, s, 0);
    if (xmlTextWriterWriteString(x->w, BAD_CAST checked(x, &b)) < 0)
        x->rc = -1;
    pg_buf_free(&b);
}

static void property(writer *x, const char *name, const char *value)
{
    start(x, "property");
    attr(x, "name", name);
    attr(x, "value", value);
    end(x);
}

/* "2026-11-25T10:00:00Z" -> "2026-11-25T10:00:00": the Ant schema takes no zone. */
static void timestamp(const char *created, char *out, size_t size)
{
    static const char pattern[] = "dddd-dd-ddTdd:dd:dd";
    size_t i;

    for (i = 0; i < 19; i++) {
        char p = pattern[i], c = created[i];
        if (!c || (p == 'd' ? !isdigit((unsigned char)c) : c != p))
            break;
    }
    snprintf(out, size, "%.19s", i == 19 ? created : "1970-01-01T00:00:00");
}

typedef struct suite_counts {
    int tests, failures, errors, skipped;
} suite_counts;

static const char *measurement_problem(const cJSON *b)
{
    const cJSON *sum = pg_doc_get(b, "summary");
    double requests = pg_doc_num(sum, "requests", 0), errors = pg_doc_num(sum, "errors", 0);

    if (pg_doc_bool(b, "interrupted"))
        return "Interrupted";
    if (requests <= 0 || errors >= requests)
        return "NotMeasured";
    return NULL;
}

static void count(const cJSON *b, suite_counts *n)
{
    const cJSON *ch;

    memset(n, 0, sizeof *n);
    if (measurement_problem(b))
        n->tests++, n->errors++;
    cJSON_ArrayForEach(ch, pg_doc_get(b, "checks"))
    {
        pg_verdict v = pg_doc_verdict(ch, "verdict");
        n->tests++;
        n->failures += v == PG_VERDICT_FAIL;
        n->skipped += v == PG_VERDICT_INCONCLUSIVE || v == PG_VERDICT_SKIPPED;
    }
}

static void run_case(writer *x, const cJSON *b, const char *classname)
{
    const char *problem = measurement_problem(b);
    const cJSON *sum = pg_doc_get(b, "summary");
    char msg[512];

    if (!problem)
        return;
    if (strcmp(problem, "Interrupted") == 0)
        snprintf(msg, sizeof msg, "the run was interrupted: the results are partial");
    else
        snprintf(msg, sizeof msg,
                 "no request got an answer (%.0f sent, %.0f errors): the target could not be "
                 "reached or failed every request",
                 pg_doc_num(sum, "requests", 0), pg_doc_num(sum, "errors", 0));
    start(x, "testcase");
    attr(x, "name", "run");
    attr(x, "classname", classname);
    attr(x, "time", "0.000");
    start(x, "error");
    attr(x, "type", problem);
    attr(x, "message", msg);
    end(x);
    end(x);
}

/* The failure's body: what a person needs to judge it without the HTML. */
static void regression_body(writer *x, const cJSON *b, const char *metric)
{
    const cJSON *m;

    cJSON_ArrayForEach(m, pg_doc_get(pg_doc_get(b, "comparison"), "metrics"))
    {
        char base[32], cur[32], lo[32], hi[32], ch[32], body[512];
        if (strcmp(pg_doc_str(m, "metric", ""), metric) != 0)
            continue;
        pg_doc_format_value(metric, pg_doc_num(m, "baseline", NAN), base, sizeof base);
        pg_doc_format_value(metric, pg_doc_num(m, "current", NAN), cur, sizeof cur);
        pg_doc_format_change(m, "change", ch, sizeof ch);
        pg_doc_format_change(m, "ci_low", lo, sizeof lo);
        pg_doc_format_change(m, "ci_high", hi, sizeof hi);
        snprintf(body, sizeof body,
                 "median of %.0f baseline trials %s, of %.0f current trials %s: %s, 95%% "
                 "interval [%s, %s], p=%.4g (adjusted %.4g), alpha %.4g, min effect %.4g\n",
                 pg_doc_num(m, "trials_baseline", 0), base, pg_doc_num(m, "trials_current", 0), cur,
                 ch, lo, hi, pg_doc_num(m, "p", NAN), pg_doc_num(m, "p_adjusted", NAN),
                 pg_doc_num(m, "alpha", NAN), pg_doc_num(m, "min_effect", NAN));
        text(x, body);
        return;
    }
}

static void check_case(writer *x, const cJSON *b, const cJSON *ch, const char *budget)
{
    int threshold = strcmp(pg_doc_str(ch, "kind", ""), "threshold") == 0;
    const char *metric = pg_doc_str(ch, "metric", ""), *detail = pg_doc_str(ch, "detail", "");
    pg_verdict v = pg_doc_verdict(ch, "verdict");
    pg_buf name = {0}, cls = {0};

    pg_buf_printf(&cls, "perfgate.%s.%s", budget, threshold ? "thresholds" : "regressions");
    if (threshold)
        pg_buf_printf(&name, "%s %s", metric, pg_doc_str(ch, "expr", ""));
    else
        pg_buf_puts(&name, metric);
    start(x, "testcase");
    attr(x, "name", checked(x, &name));
    attr(x, "classname", checked(x, &cls));
    attr(x, "time", "0.000");
    if (v == PG_VERDICT_FAIL) {
        start(x, "failure");
        attr(x, "type", threshold ? "BudgetExceeded" : "PerformanceRegression");
        attr(x, "message", detail);
        if (!threshold)
            regression_body(x, b, metric);
        end(x);
    } else if (v != PG_VERDICT_PASS) {
        start(x, "skipped");
        attr(x, "message", detail);
        end(x);
    }
    end(x);
    pg_buf_free(&name);
    pg_buf_free(&cls);
}

/* What weakens the verdict: skipped comparisons, a saturated generator,
 * metrics outside their history band. */
static void warnings(writer *x, const cJSON *b)
{
    const cJSON *cmp = pg_doc_get(b, "comparison"), *m;
    pg_buf w = {0};

    if (pg_doc_str(cmp, "skipped", NULL))
        pg_buf_printf(&w, "regression checks skipped: %s\n", pg_doc_str(cmp, "skipped", ""));
    if (pg_doc_bool(b, "generator_saturated"))
        pg_buf_printf(&w, "load generator saturated: %s\n", pg_doc_str(b, "saturation", ""));
    cJSON_ArrayForEach(m, pg_doc_get(cmp, "metrics"))
    {
        if (pg_doc_bool(pg_doc_get(m, "history_band"), "outside"))
            pg_buf_printf(&w, "%s is outside its history band\n", pg_doc_str(m, "metric", ""));
    }
    if (pg_doc_str(pg_doc_get(b, "monitor"), "note", NULL))
        pg_buf_printf(&w, "monitor: %s\n", pg_doc_str(pg_doc_get(b, "monitor"), "note", ""));
    cJSON_ArrayForEach(m, pg_doc_get(b, "hints"))
    {
        if (cJSON_IsString(m))
            pg_buf_printf(&w, "hint: %s\n", m->valuestring);
    }
    text(x, checked(x, &w));
    pg_buf_free(&w);
}

static void suite(writer *x, const cJSON *doc, const cJSON *b, int id)
{
    const char *name = pg_doc_str(b, "name", ""), *host;
    const cJSON *base = pg_doc_get(doc, "baseline"), *reg = pg_doc_get(b, "regression"), *t, *ch;
    char ts[32], num[64], cls[300];
    double seconds = 0;
    suite_counts n;
    pg_buf out = {0};

    count(b, &n);
    cJSON_ArrayForEach(t, pg_doc_get(b, "trials")) seconds += pg_doc_num(t, "duration_s", 0);
    timestamp(pg_doc_str(doc, "created", ""), ts, sizeof ts);
    host = pg_doc_str(pg_doc_get(doc, "env"), "host", "");
    start(x, "testsuite");
    attr(x, "name", name);
    attr(x, "package", "perfgate");
    attrf(x, "id", "%.0f", id);
    attr(x, "timestamp", ts);
    attr(x, "hostname", *host ? host : "localhost");
    attrf(x, "tests", "%.0f", n.tests);
    attrf(x, "failures", "%.0f", n.failures);
    attrf(x, "errors", "%.0f", n.errors);
    attrf(x, "skipped", "%.0f", n.skipped);
    attrf(x, "time", "%.3f", seconds);

    start(x, "properties");
    property(x, "commit", pg_doc_str(doc, "commit", ""));
    property(x, "ref", pg_doc_str(doc, "ref", ""));
    property(x, "budget_file", pg_doc_str(b, "budget", ""));
    property(x, "target", pg_doc_str(b, "target", ""));
    property(x, "baseline_commit", pg_doc_str(base, "commit", ""));
    snprintf(num, sizeof num, "%.0f", pg_doc_num(base, "distance", -1));
    property(x, "baseline_distance", pg_doc_bool(base, "found") ? num : "");
    property(x, "base_ref", pg_doc_str(base, "base_ref", ""));
    snprintf(num, sizeof num, "%d", cJSON_GetArraySize(pg_doc_get(b, "trials")));
    property(x, "trials", num);
    snprintf(num, sizeof num, "%g", pg_doc_num(reg, "alpha", 0.05));
    property(x, "alpha", num);
    property(x, "interrupted", pg_doc_bool(b, "interrupted") ? "true" : "false");
    if (cJSON_IsNumber(pg_doc_get(pg_doc_get(b, "summary"), "capacity_rps"))) {
        snprintf(num, sizeof num, "%g", pg_doc_num(pg_doc_get(b, "summary"), "capacity_rps", 0));
        property(x, "capacity_rps", num);
    }
    /* the sampled resources, e.g. target_cpu_max, target_rss_avg (bytes) */
    cJSON_ArrayForEach(t, pg_doc_get(pg_doc_get(b, "summary"), "monitor"))
    {
        char key[96];
        if (!t->string)
            continue;
        snprintf(key, sizeof key, "%.64s_avg", t->string);
        snprintf(num, sizeof num, "%.10g", pg_doc_num(t, "mean", 0));
        property(x, key, num);
        snprintf(key, sizeof key, "%.64s_max", t->string);
        snprintf(num, sizeof num, "%.10g", pg_doc_num(t, "max", 0));
        property(x, key, num);
    }
    end(x);

    snprintf(cls, sizeof cls, "perfgate.%s", name);
    run_case(x, b, cls);
    cJSON_ArrayForEach(ch, pg_doc_get(b, "checks")) check_case(x, b, ch, name);

    /* the one-line verdicts again, so a log view shows them together */
    cJSON_ArrayForEach(ch, pg_doc_get(b, "checks")) pg_buf_printf(
        &out, "%-12s %s\n", pg_doc_str(ch, "verdict", ""), pg_doc_str(ch, "detail", ""));
    start(x, "system-out");
    text(x, checked(x, &out));
    end(x);
    start(x, "system-err");
    warnings(x, b);
    end(x);
    end(x);
    pg_buf_free(&out);
}

int pg_junit_render(char **out, const cJSON *doc, pg_err *err)
{
    xmlBufferPtr xb = xmlBufferCreate();
    writer x = {NULL, 0};
    const cJSON *b;
    int id = 0, rc = PG_OK, xml_failed = 0;

    *out = NULL;
    xmlSetStructuredErrorFunc(&xml_failed, on_xml_error); /* this thread's, until out */
    if (!xb || !(x.w = xmlNewTextWriterMemory(xb, 0))) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
        goto out;
    }
    if (xmlTextWriterSetIndent(x.w, 1) < 0 ||
        xmlTextWriterSetIndentString(x.w, BAD_CAST "  ") < 0 ||
        xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL) < 0)
        x.rc = -1;
    start(&x, "testsuites");
    cJSON_ArrayForEach(b, pg_doc_get(doc, "budgets")) suite(&x, doc, b, id++);
    end(&x);
    if (xmlTextWriterEndDocument(x.w) < 0)
        x.rc = -1;
    if (xmlTextWriterFlush(x.w) < 0)
        x.rc = -1;
    xmlFreeTextWriter(x.w);
    x.w = NULL;
    if (x.rc != 0 || xml_failed) {
        rc = pg_err_set(err, PG_ENOMEM, "writing JUnit XML failed");
        goto out;
    }
    if (!(*out = strdup((const char *)xmlBufferContent(xb))))
        rc = pg_err_set(err, PG_ENOMEM, "out of memory");
out:
    if (x.w)
        xmlFreeTextWriter(x.w);
    if (xb)
        xmlBufferFree(xb);
    xmlSetStructuredErrorFunc(NULL, NULL);
    return rc;
}
