/* html.h — the verdict as one self-contained HTML file: inline CSS and SVG
 * charts, no script, no external reference, readable offline and without
 * JavaScript. The place to dig in after the PR comment says where. */
#ifndef PG_REPORT_HTML_H
#define PG_REPORT_HTML_H

#include <cjson/cJSON.h>

#include "common/err.h"

int pg_html_render(char **out, const cJSON *doc, pg_err *err); /* *out: caller frees */

#endif
