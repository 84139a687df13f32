/* reports.c — all report files of one verdict document (see reports.h). */
#include "report/reports.h"

#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/markdown.h"
#include "report/verdict.h"

typedef int (*render_fn)(char **out, const cJSON *doc, pg_err *err);

static int render_comment(char **out, const cJSON *doc, pg_err *err)
{
    return pg_markdown_render(out, doc, PG_MARKDOWN_MAX, err);
}

static int write_rendered(const char *path, render_fn render, const cJSON *doc, pg_err *err)
{
    char *text = NULL;
    int rc;

    if (!path)
        return PG_OK;
    if ((rc = render(&text, doc, err)) == PG_OK)
        rc = pg_file_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

int pg_reports_write(const cJSON *doc, const pg_report_paths *p, pg_err *err)
{
    int rc = PG_OK;

    if (p->json)
        rc = pg_doc_write(p->json, doc, err);
    if (rc == PG_OK)
        rc = write_rendered(p->junit, pg_junit_render, doc, err);
    if (rc == PG_OK)
        rc = write_rendered(p->markdown, render_comment, doc, err);
    if (rc == PG_OK)
        rc = write_rendered(p->html, pg_html_render, doc, err);
    return rc;
}
