/* reports.c — all report files of one verdict document (see reports.h). */
#include "report/reports.h"

#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/json_print.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/markdown.h"
#include "report/verdict.h"

typedef int (*render_fn)(char **out, const cJSON *doc, pg_err *err);

static int render_json(char **out, const cJSON *doc, pg_err *err)
{
    if (!(*out = pg_json_print(doc, 1))) /* numbers read back exactly */
        return pg_err_set(err, PG_ENOMEM, "out of memory");
    return PG_OK;
}

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

/* One report that cannot be written (a read-only directory for one, a full
 * disk) does not stop the others: they are still worth having. */
int pg_reports_write(const cJSON *doc, const pg_report_paths *p, pg_err *err)
{
    const struct {
        const char *path;
        render_fn render;
    } reports[] = {{p->json, render_json},
                   {p->junit, pg_junit_render},
                   {p->markdown, render_comment},
                   {p->html, pg_html_render}};
    int rc = PG_OK;

    for (size_t i = 0; i < sizeof reports / sizeof *reports; i++) {
        pg_err e;
        int r = write_rendered(reports[i].path, reports[i].render, doc, &e);
        if (r != PG_OK && rc == PG_OK)
            rc = r, *err = e;
    }
    return rc;
}

int pg_reports_prepare(const pg_report_paths *p, pg_err *err)
{
    const char *paths[] = {p->json, p->junit, p->markdown, p->html};
    int rc;

    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        if (paths[i] && (rc = pg_file_prepare(paths[i], err)) != 0)
            return rc;
    return PG_OK;
}
