/* reports.c — all report files of one verdict document (see reports.h). */
#include "report/reports.h"

#include "report/html.h"
#include "report/junit.h"
#include "report/markdown.h"
#include "report/verdict.h"

int pg_reports_write(const cJSON *doc, const pg_report_paths *p, pg_err *err)
{
    int rc = PG_OK;

    if (p->json && (rc = pg_doc_write(p->json, doc, err)) != 0)
        return rc;
    if (p->junit && (rc = pg_junit_write(p->junit, doc, err)) != 0)
        return rc;
    if (p->markdown && (rc = pg_markdown_write(p->markdown, doc, err)) != 0)
        return rc;
    if (p->html && (rc = pg_html_write(p->html, doc, err)) != 0)
        return rc;
    return rc;
}
