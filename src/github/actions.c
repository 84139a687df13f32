/* actions.c — step summary, annotations and outputs (see actions.h). */
#include "github/actions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/grow.h"
#include "report/doc.h"
#include "report/escape.h"
#include "report/markdown.h"

static void escape(pg_buf *out, const char *s, int property)
{
    pg_buf clean = {0};

    pg_escape_clean(&clean, s, 2000);
    for (const char *p = pg_buf_str(&clean); *p; p++) {
        switch (*p) {
        case '%':
            pg_buf_puts(out, "%25");
            break;
        case '\r':
            pg_buf_puts(out, "%0D");
            break;
        case '\n':
            pg_buf_puts(out, "%0A");
            break;
        case ':':
            pg_buf_puts(out, property ? "%3A" : ":");
            break;
        case ',':
            pg_buf_puts(out, property ? "%2C" : ",");
            break;
        default:
            pg_buf_append(out, p, 1);
        }
    }
    pg_buf_free(&clean);
}

void pg_github_escape_data(pg_buf *out, const char *s)
{
    escape(out, s, 0);
}

void pg_github_escape_property(pg_buf *out, const char *s)
{
    escape(out, s, 1);
}

typedef struct failure {
    const cJSON *budget, *check;
    double severity; /* larger is worse: regressions by their interval's near end */
} failure;

static int by_severity(const void *a, const void *b)
{
    double x = ((const failure *)a)->severity, y = ((const failure *)b)->severity;
    return (x < y) - (x > y);
}

/* How much worse at least, from the comparison of the check's metric. */
static double severity(const cJSON *budget, const cJSON *check)
{
    const cJSON *m;

    if (strcmp(pg_doc_str(check, "kind", ""), "threshold") == 0)
        return 1e9; /* a broken budget is stated by its owner: always shown */
    cJSON_ArrayForEach(m, pg_doc_get(pg_doc_get(budget, "comparison"), "metrics"))
    {
        if (strcmp(pg_doc_str(m, "metric", ""), pg_doc_str(check, "metric", "")) == 0) {
            double lo = pg_doc_num(m, "ci_low", 0), hi = pg_doc_num(m, "ci_high", 0);
            return strcmp(pg_doc_str(m, "direction", ""), "higher_is_better") == 0 ? 1 - hi
                                                                                   : lo - 1;
        }
    }
    return 0;
}

static void annotate(FILE *fp, const failure *f)
{
    const char *file = pg_doc_str(f->budget, "budget", ""),
               *kind = pg_doc_str(f->check, "kind", "");
    pg_buf line = {0}, title = {0};
    int threshold = strcmp(kind, "threshold") == 0;

    pg_buf_puts(&line, "::error ");
    if (*file) {
        pg_buf_puts(&line, "file=");
        pg_github_escape_property(&line, file);
        if (threshold && pg_doc_num(f->check, "line", 0) > 0)
            pg_buf_printf(&line, ",line=%.0f,col=%.0f", pg_doc_num(f->check, "line", 0),
                          pg_doc_num(f->check, "col", 0));
        pg_buf_puts(&line, ",");
    }
    pg_buf_printf(&title, "perfgate %s: %s", pg_doc_str(f->budget, "name", ""),
                  threshold ? "budget exceeded" : "performance regression");
    pg_buf_puts(&line, "title=");
    pg_github_escape_property(&line, pg_buf_str(&title));
    pg_buf_puts(&line, "::");
    pg_github_escape_data(&line, pg_doc_str(f->check, "detail", ""));
    fprintf(fp, "%s\n", pg_buf_str(&line));
    pg_buf_free(&line);
    pg_buf_free(&title);
}

void pg_github_annotations(FILE *fp, const cJSON *doc)
{
    const cJSON *b, *ch;
    failure *all = NULL;
    size_t n = 0, cap = 0;

    cJSON_ArrayForEach(b, pg_doc_get(doc, "budgets"))
        cJSON_ArrayForEach(ch, pg_doc_get(b, "checks"))
    {
        if (pg_doc_verdict(ch, "verdict") != PG_VERDICT_FAIL)
            continue;
        if (pg_grow(&all, &cap, n, sizeof *all, 16) != 0)
            break;
        all[n].budget = b;
        all[n].check = ch;
        all[n].severity = severity(b, ch);
        n++;
    }
    if (n)
        qsort(all, n, sizeof *all, by_severity);
    for (size_t i = 0; i < n && i < PG_GITHUB_MAX_ANNOTATIONS; i++)
        annotate(fp, &all[i]);
    if (n > PG_GITHUB_MAX_ANNOTATIONS)
        fprintf(fp, "::warning title=perfgate::%zu more failures are in the job summary\n",
                n - PG_GITHUB_MAX_ANNOTATIONS);
    if (pg_doc_bool(doc, "interrupted"))
        fprintf(fp, "::warning title=perfgate::the run was interrupted; results are partial\n");
    /* a comparison that could not be trusted says so where the PR shows it */
    cJSON_ArrayForEach(b, pg_doc_get(doc, "budgets"))
    {
        const char *veto = pg_doc_str(pg_doc_get(b, "comparison"), "veto", NULL);
        pg_buf line = {0}, title = {0};
        if (!veto)
            continue;
        pg_buf_printf(&title, "perfgate %s: the gate could not decide", pg_doc_str(b, "name", ""));
        pg_buf_puts(&line, "::warning title=");
        pg_github_escape_property(&line, pg_buf_str(&title));
        pg_buf_puts(&line, "::");
        pg_github_escape_data(&line, veto);
        fprintf(fp, "%s\n", pg_buf_str(&line));
        pg_buf_free(&line);
        pg_buf_free(&title);
    }
    free(all);
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static void summary(const cJSON *doc, const char *path)
{
    char *md = NULL;
    FILE *fp;
    pg_err err;

    if (pg_markdown_render(&md, doc, PG_GITHUB_SUMMARY_MAX, &err) != 0) {
        fprintf(stderr, "perfgate: job summary not written: %s\n", err.msg);
        return;
    }
    if (!(fp = fopen(path, "a")) || fputs(md, fp) < 0 || fclose(fp) != 0) {
        fprintf(stderr, "perfgate: cannot append the job summary to %s ($GITHUB_STEP_SUMMARY)\n",
                path);
        if (fp)
            fclose(fp);
    }
    free(md);
}

/* name<<DELIM / value / DELIM: safe whatever the value holds. */
static void output(FILE *fp, const char *name, const char *value, const char *delim)
{
    if (value)
        fprintf(fp, "%s<<%s\n%s\n%s\n", name, delim, value, delim);
}

/* A delimiter no value will contain by chance (the toolkit uses a UUID). */
static void random_delimiter(char *buf, size_t size)
{
    unsigned char r[12] = {0};
    FILE *fp = fopen("/dev/urandom", "rb");
    size_t got = fp ? fread(r, 1, sizeof r, fp) : 0;

    if (fp)
        fclose(fp);
    if (got != sizeof r) { /* no urandom: time and pid still differ per run */
        unsigned long t = (unsigned long)time(NULL), pid = (unsigned long)getpid();
        memcpy(r, &t, sizeof t < 8 ? sizeof t : 8);
        memcpy(r + 8, &pid, 4);
    }
    snprintf(buf, size, "ghadelimiter_");
    for (size_t i = 0; i < sizeof r && strlen(buf) + 3 <= size; i++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%02x", r[i]);
}

static void outputs(const cJSON *doc, const pg_report_paths *p, const char *path)
{
    pg_doc_counts c;
    char delim[64];
    FILE *fp;

    pg_doc_counts_of(doc, &c);
    random_delimiter(delim, sizeof delim);
    if (!(fp = fopen(path, "a"))) {
        fprintf(stderr, "perfgate: cannot append the step outputs to %s ($GITHUB_OUTPUT)\n", path);
        return;
    }
    output(fp, "verdict", pg_verdict_names[c.overall], delim);
    output(fp, "json", p->json, delim);
    output(fp, "junit", p->junit, delim);
    output(fp, "markdown", p->markdown, delim);
    output(fp, "html", p->html, delim);
    if (fclose(fp) != 0)
        fprintf(stderr, "perfgate: cannot append the step outputs to %s ($GITHUB_OUTPUT)\n", path);
}

void pg_github_publish(const cJSON *doc, const pg_report_paths *paths)
{
    const char *actions = env("GITHUB_ACTIONS");

    if (env("GITHUB_STEP_SUMMARY"))
        summary(doc, env("GITHUB_STEP_SUMMARY"));
    if (actions && strcmp(actions, "true") == 0) {
        fflush(stdout);
        pg_github_annotations(stdout, doc);
        fflush(stdout);
    }
    if (env("GITHUB_OUTPUT"))
        outputs(doc, paths, env("GITHUB_OUTPUT"));
}
