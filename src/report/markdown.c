/* markdown.c — the PR comment and job summary (see markdown.h).
 *
 * The text is assembled as a list of sections, each with a priority, so the
 * length cap can drop whole sections instead of cutting a table in half. */
#include "report/markdown.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/grow.h"
#include "report/doc.h"
#include "report/details.h"
#include "report/escape.h"
#include "report/markdown_monitor.h"

#define NAME_CHARS 120 /* longest budget, scenario or metric name shown */

enum { KEEP, TABLE, CHART, DETAILS }; /* cut last-first: details, charts, tables */

typedef struct section {
    pg_buf text;
    int prio;
    int cut;
} section;

typedef struct sections {
    section *s;
    size_t n, cap;
    int failed;
} sections;

static pg_buf *add(sections *ss, int prio)
{
    if (pg_grow(&ss->s, &ss->cap, ss->n, sizeof *ss->s, 16) != 0) {
        ss->failed = 1;
        return NULL;
    }
    memset(&ss->s[ss->n], 0, sizeof ss->s[ss->n]);
    ss->s[ss->n].prio = prio;
    return &ss->s[ss->n++].text;
}

static void md(pg_buf *b, const char *s)
{
    pg_escape_markdown(b, s, NAME_CHARS);
}

static void value(pg_buf *b, const char *metric, const cJSON *o, const char *key)
{
    char s[40];
    pg_doc_format_value(metric, pg_doc_num(o, key, NAN), s, sizeof s);
    pg_buf_puts(b, s);
}

static void headline(pg_buf *b, const cJSON *doc)
{
    pg_doc_counts c;

    pg_doc_counts_of(doc, &c);
    pg_buf_printf(
        b, "### %s perfgate: %s",
        pg_verdict_mark(strcmp(pg_doc_headline(&c), "nothing measured") == 0 ? PG_VERDICT_SKIPPED : c.overall),
        pg_doc_headline(&c));
    pg_buf_printf(b, " \xE2\x80\x94 %d of %d threshold%s broken, %d regression%s, %d inconclusive",
                  c.thresholds_failed, c.thresholds, c.thresholds == 1 ? "" : "s", c.regressions,
                  c.regressions == 1 ? "" : "s", c.inconclusive);
    if (c.compared == 0 && c.skipped)
        pg_buf_puts(b, ", no baseline");
    pg_buf_puts(b, "\n\n");
    if (c.interrupted)
        pg_buf_puts(b, "> [!WARNING]\n> The run was interrupted: these results are partial.\n\n");
}

/* A commit as `1a2b3c4`; anything that is not hex (a hand-edited document)
 * is shown escaped instead, never inside a code span. */
static void short_sha(pg_buf *b, const char *sha)
{
    if (strlen(sha) >= 7 && strspn(sha, "0123456789abcdef") >= 7)
        pg_buf_printf(b, "`%.7s`", sha);
    else
        md(b, *sha ? sha : "?");
}

static void baseline_line(pg_buf *b, const cJSON *doc)
{
    const cJSON *base = pg_doc_get(doc, "baseline");
    const char *commit = pg_doc_str(doc, "commit", "");
    const char *label = pg_doc_str(base, "label", NULL);

    if (label) {
        pg_buf_puts(b, "Baseline: ");
        md(b, label);
    } else if (pg_doc_bool(base, "found")) {
        int d = (int)pg_doc_num(base, "distance", 0);
        pg_buf_puts(b, "Baseline: ");
        short_sha(b, pg_doc_str(base, "commit", ""));
        pg_buf_printf(b, ", %d commit%s before the merge-base with ", d, d == 1 ? "" : "s");
        md(b, pg_doc_str(base, "base_ref", "?"));
    } else {
        pg_buf_puts(b, "Baseline: none found");
        if (*pg_doc_str(base, "base_ref", ""))
            pg_buf_puts(b, " on the ancestry of "), md(b, pg_doc_str(base, "base_ref", ""));
        pg_buf_puts(b, " \xE2\x80\x94 thresholds gate, regression checks are skipped");
    }
    if (*commit) {
        pg_buf_puts(b, " \xC2\xB7 this run: ");
        short_sha(b, commit);
    }
    pg_buf_puts(b, "\n\n");
}

static pg_verdict budget_verdict(const cJSON *b, const char **why)
{
    const cJSON *ch;
    int fail_t = 0, fail_r = 0, inc = 0;

    cJSON_ArrayForEach(ch, pg_doc_get(b, "checks"))
    {
        pg_verdict v = pg_doc_verdict(ch, "verdict");
        int threshold = strcmp(pg_doc_str(ch, "kind", ""), "threshold") == 0;
        fail_t += threshold && v == PG_VERDICT_FAIL;
        fail_r += !threshold && v == PG_VERDICT_FAIL;
        inc += !threshold && v == PG_VERDICT_INCONCLUSIVE;
    }
    *why = fail_r && fail_t ? "regression, budget exceeded"
           : fail_r         ? "regression"
           : fail_t         ? "budget exceeded"
           : inc && pg_doc_str(pg_doc_get(b, "comparison"), "veto", NULL) ? "could not decide"
           : inc                                                          ? "inconclusive"
                                                                          : "pass";
    return fail_r || fail_t ? PG_VERDICT_FAIL : inc ? PG_VERDICT_INCONCLUSIVE : PG_VERDICT_PASS;
}

static void comparison_table(pg_buf *b, const cJSON *doc, const cJSON *bud)
{
    const cJSON *cmp = pg_doc_get(bud, "comparison"), *m;
    const char *skipped = pg_doc_str(cmp, "skipped", NULL), *veto = pg_doc_str(cmp, "veto", "");
    int inconclusive = 0;

    if (pg_doc_str(cmp, "note", NULL)) {
        pg_buf_puts(b, "> [!NOTE]\n> ");
        md(b, pg_doc_str(cmp, "note", ""));
        pg_buf_puts(b, "\n\n");
    }
    if (*veto) {
        pg_buf_puts(b, "> [!WARNING]\n> **The gate could not decide:** ");
        md(b, veto);
        pg_buf_puts(b, ". The rows below are shown, not judged.\n\n");
    }

    if (skipped || !cJSON_GetArraySize(pg_doc_get(cmp, "metrics"))) {
        pg_buf_puts(b, "Regression checks skipped: ");
        md(b, skipped ? skipped : "no metrics compared");
        pg_buf_puts(b, "\n\n");
        return;
    }
    pg_details_comparison(b, PG_TABLE_MARKDOWN, doc, bud);
    cJSON_ArrayForEach(m, pg_doc_get(cmp, "metrics"))
        inconclusive += pg_doc_verdict(m, "verdict") == PG_VERDICT_INCONCLUSIVE;
    if (inconclusive)
        pg_buf_puts(b, "\xE2\x9A\xA0\xEF\xB8\x8F inconclusive: neither a regression nor within "
                       "min_effect, for the reason given; it does not fail the gate unless "
                       "`--strict`.\n\n");
}

/* Mermaid strings cannot escape a quote: keep the characters that are safe
 * in a quoted label and in a code fence, and replace the rest. */
static void mermaid_label(pg_buf *b, const char *s, size_t max)
{
    size_t n = 0;

    for (; *s && n < max; s++, n++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr(" _.-:/+", c))
            pg_buf_append(b, s, 1);
        else if (c < 0x80 || (c & 0xC0) == 0xC0)
            pg_buf_puts(b, "_");
    }
}

/* The median of each trial's capacity_rps (breaking-point), NAN without. */
static double capacity_median(const cJSON *bud)
{
    const cJSON *sum = pg_doc_get(bud, "summary");
    return cJSON_IsNumber(pg_doc_get(sum, "capacity_rps")) ? pg_doc_num(sum, "capacity_rps", NAN)
                                                           : NAN;
}

/* p95 (or a staircase's capacity) across the history and this run. */
static void history_chart(pg_buf *b, const cJSON *bud)
{
    const cJSON *history = pg_doc_get(pg_doc_get(bud, "comparison"), "history"), *h;
    int capacity = isfinite(capacity_median(bud)), first = 1;
    const char *key = capacity ? "capacity_rps" : "p95";
    double now = capacity ? capacity_median(bud) : pg_doc_trials_median(bud, "p95"),
           scale = capacity ? 1.0 : 1000.0;

    if (cJSON_GetArraySize(history) < 1 || !isfinite(now))
        return;
    pg_buf_puts(b, "```mermaid\nxychart-beta\n    title \"");
    mermaid_label(b, pg_doc_str(bud, "name", ""), 60);
    pg_buf_printf(b, ": %s across the last baselines and this run\"\n    x-axis [",
                  capacity ? "capacity" : "p95");
    cJSON_ArrayForEach(h, history)
    {
        pg_buf_puts(b, first ? "\"" : ", \"");
        mermaid_label(b, pg_doc_str(h, "commit", "?"), 7);
        pg_buf_puts(b, "\"");
        first = 0;
    }
    pg_buf_printf(b, ", \"this run\"]\n    y-axis \"%s\"\n    line [",
                  capacity ? "capacity (requests/s)" : "p95 (ms)");
    first = 1;
    cJSON_ArrayForEach(h, history)
    {
        pg_buf_printf(b, "%s%.3f", first ? "" : ", ", pg_doc_num(h, key, 0) / scale);
        first = 0;
    }
    pg_buf_printf(b, ", %.3f]\n```\n\n", now / scale);
}

static void details(pg_buf *b, const cJSON *doc, const cJSON *bud)
{
    const cJSON *m, *env = pg_doc_get(doc, "env");

    pg_buf_puts(b, "<details><summary>Details: ");
    pg_escape_html_line(b, pg_doc_str(bud, "name", ""), NAME_CHARS);
    pg_buf_puts(b, "</summary>\n\n");
    pg_details_trials(b, PG_TABLE_MARKDOWN, bud);
    pg_details_latency(b, PG_TABLE_MARKDOWN, bud);
    pg_details_streams(b, PG_TABLE_MARKDOWN, bud);
    pg_md_resources_details(b, bud);
    pg_details_counts(b, PG_TABLE_MARKDOWN, bud);

    pg_buf_puts(b, "**Statistics** (one-sided Mann\xE2\x80\x93Whitney U on per-trial values, "
                   "Benjamini\xE2\x80\x93Hochberg adjusted; history band: median \xC2\xB1 3.5 "
                   "robust sigma of the last baselines)\n\n"
                   "| metric | p | p adjusted | alpha | min effect | history band | |\n"
                   "| --- | ---: | ---: | ---: | ---: | --- | --- |\n");
    cJSON_ArrayForEach(m, pg_doc_get(pg_doc_get(bud, "comparison"), "metrics"))
    {
        const cJSON *band = pg_doc_get(m, "history_band");
        const char *metric = pg_doc_str(m, "metric", "");
        pg_buf_puts(b, "| ");
        md(b, metric);
        pg_buf_printf(b, " | %.4g | %.4g | %.4g | %.4g | ", pg_doc_num(m, "p", NAN),
                      pg_doc_num(m, "p_adjusted", NAN), pg_doc_num(m, "alpha", NAN),
                      pg_doc_num(m, "min_effect", NAN));
        if (band) {
            value(b, metric, band, "low");
            pg_buf_puts(b, " \xE2\x80\xA6 ");
            value(b, metric, band, "high");
            pg_buf_printf(b, " (%.0f baselines) | %s |\n", pg_doc_num(band, "baselines", 0),
                          pg_doc_bool(band, "outside") ? "outside" : "");
        } else {
            pg_buf_puts(b, "fewer than 3 baselines | |\n");
        }
    }
    pg_buf_puts(b, "\nTarget: ");
    md(b, pg_doc_str(bud, "target", ""));
    pg_buf_puts(b, " \xC2\xB7 budget file: ");
    md(b, pg_doc_str(bud, "budget", ""));
    pg_buf_printf(b, " \xC2\xB7 generator: %.0f threads, %.0f%% CPU\n\nMachine: ",
                  pg_doc_num(bud, "threads", 0), pg_doc_num(bud, "generator_cpu_percent", 0));
    md(b, pg_doc_str(env, "host", ""));
    pg_buf_printf(b, ", %.0f cores, ", pg_doc_num(env, "cores", 0));
    md(b, pg_doc_str(env, "cpu", ""));
    pg_buf_puts(b, ", ");
    md(b, pg_doc_str(env, "kernel", ""));
    pg_buf_puts(b, ", perfgate ");
    md(b, pg_doc_str(env, "perfgate", ""));
    pg_buf_puts(b, "\n\n</details>\n\n");
}

static void budget(sections *ss, const cJSON *doc, const cJSON *bud)
{
    pg_buf *b = add(ss, TABLE);
    const char *why;
    pg_verdict v = budget_verdict(bud, &why);

    if (!b)
        return;
    pg_buf_printf(b, "#### %s ", pg_verdict_mark(v));
    md(b, pg_doc_str(bud, "name", ""));
    pg_buf_printf(b, " \xE2\x80\x94 %s\n\n", why);
    if (pg_doc_bool(bud, "generator_saturated")) {
        pg_buf_puts(b, "> [!WARNING]\n> The load generator was saturated: ");
        md(b, pg_doc_str(bud, "saturation", ""));
        pg_buf_puts(b, "\n\n");
    }
    pg_md_capacity(b, bud);
    comparison_table(b, doc, bud);
    pg_details_thresholds(b, PG_TABLE_MARKDOWN, bud);
    pg_md_resources(b, bud);
    if ((b = add(ss, CHART)))
        history_chart(b, bud);
    if ((b = add(ss, DETAILS)))
        details(b, doc, bud);
}

/* Drops sections, least needed first and from the last budget back, until
 * the text fits; returns how many were cut. */
static int fit(sections *ss, size_t max_bytes, size_t reserve)
{
    size_t total = 0;
    int cut = 0;

    for (size_t i = 0; i < ss->n; i++)
        total += ss->s[i].text.len;
    for (int prio = DETAILS; prio > KEEP && total + reserve > max_bytes; prio--) {
        for (size_t i = ss->n; i-- > 0 && total + reserve > max_bytes;) {
            if (ss->s[i].prio != prio || ss->s[i].cut || !ss->s[i].text.len)
                continue;
            ss->s[i].cut = 1;
            total -= ss->s[i].text.len;
            cut++;
        }
    }
    return cut;
}

int pg_markdown_render(char **out, const cJSON *doc, size_t max_bytes, pg_err *err)
{
    sections ss = {0};
    pg_buf all = {0}, *b;
    const cJSON *bud;
    char note[256];
    int cut, rc = PG_OK;

    *out = NULL;
    if ((b = add(&ss, KEEP))) {
        headline(b, doc);
        baseline_line(b, doc);
    }
    cJSON_ArrayForEach(bud, pg_doc_get(doc, "budgets")) budget(&ss, doc, bud);
    /* the footer (marker, and the note when sections are cut) always stays */
    cut = fit(&ss, max_bytes, 400);
    for (size_t i = 0; i < ss.n; i++) {
        ss.failed |= pg_buf_failed(&ss.s[i].text); /* a section lost is not a section cut */
        if (!ss.s[i].cut)
            pg_buf_append(&all, pg_buf_str(&ss.s[i].text), ss.s[i].text.len);
    }
    if (cut) {
        snprintf(note, sizeof note,
                 "> [!NOTE]\n> %d section%s cut to stay within GitHub's %zu-character limit; "
                 "the HTML report has everything.\n\n",
                 cut, cut == 1 ? " was" : "s were", max_bytes);
        pg_buf_puts(&all, note);
    }
    if (all.len + sizeof PG_MARKDOWN_MARKER + 1 > max_bytes) { /* headline alone too long */
        size_t keep = max_bytes > sizeof PG_MARKDOWN_MARKER + 1
                          ? max_bytes - sizeof PG_MARKDOWN_MARKER - 1
                          : 0;
        while (keep > 0 && keep < all.len && (all.data[keep] & 0xC0) == 0x80)
            keep--; /* not inside a UTF-8 character */
        pg_buf_truncate(&all, keep);
    }
    pg_buf_puts(&all, PG_MARKDOWN_MARKER "\n");
    if (ss.failed || pg_buf_failed(&all)) {
        rc = pg_err_set(err, PG_ENOMEM, "out of memory while writing markdown");
        pg_buf_free(&all);
    } else {
        *out = all.data;
    }
    for (size_t i = 0; i < ss.n; i++)
        pg_buf_free(&ss.s[i].text);
    free(ss.s);
    return rc;
}
