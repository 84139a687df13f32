/* fuzz_reports.c — libFuzzer: any JSON as a verdict document (report reads
 * it from disk), rendered as JUnit, markdown, HTML and annotations. No
 * crash, markdown within its cap, and XML that libxml2 reads back. */
#include <libxml/parser.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "github/actions.h"
#include "report/html.h"
#include "report/junit.h"
#include "report/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    char *out = NULL;
    pg_err err;
    FILE *null;

    if (!doc)
        return 0;
    if (pg_junit_render(&out, doc, &err) == 0) {
        xmlDocPtr x = xmlReadMemory(out, (int)strlen(out), "f.xml", NULL, XML_PARSE_NONET);
        if (!x)
            abort(); /* the writer produced XML that does not parse */
        xmlFreeDoc(x);
    }
    free(out);
    out = NULL;
    if (pg_markdown_render(&out, doc, 4096, &err) == 0 && strlen(out) > 4096)
        abort();
    free(out);
    out = NULL;
    if (pg_html_render(&out, doc, &err) == 0)
        free(out);
    if ((null = fopen("/dev/null", "w"))) {
        pg_github_annotations(null, doc);
        fclose(null);
    }
    cJSON_Delete(doc);
    return 0;
}
