/* json_doc.h — a parsed JSON file that remembers where each value came from.
 *
 * cJSON parses but keeps no positions. After cJSON has accepted the text, we
 * walk the text once more in step with the tree (cJSON keeps members and items
 * in document order) and record the byte offset of every key and value. Any
 * later validation error can then name file:line:col of the offending key or
 * value. Columns count characters (UTF-8 code points), as editors do. */
#ifndef PG_CONFIG_JSON_DOC_H
#define PG_CONFIG_JSON_DOC_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/err.h"

typedef struct pg_json_pos {
    const cJSON *node;
    size_t key_off; /* offset of the member's key (its opening quote); = val_off for items */
    size_t val_off; /* offset of the value's first character */
} pg_json_pos;

typedef struct pg_json_doc {
    char path[512];
    char *text;
    size_t len;
    cJSON *root;
    pg_json_pos *pos; /* sorted by node pointer */
    size_t npos;
    /* values the command line put in place of the file's (--target, --trials):
     * an error at one names the flag instead of a line and column */
    const cJSON *cli_node[4];
    const char *cli_flag[4];
    size_t n_cli;
} pg_json_doc;

/* Parses text (copied) as if read from path. */
int pg_json_doc_parse(pg_json_doc *doc, const char *path, const char *text, size_t len,
                      pg_err *err);

void pg_json_doc_free(pg_json_doc *doc); /* NULL-safe, leaves doc zeroed */

/* 1-based line and column of node's key (at_key) or value. */
void pg_json_doc_where(const pg_json_doc *doc, const cJSON *node, int at_key, int *line, int *col);

/* Puts value in place of root's member key (added when missing), as the
 * command line's flag says; PG_ENOMEM. */
int pg_json_doc_override(pg_json_doc *doc, const char *key, cJSON *value, const char *flag);

/* Fills err with "path:line:col: <message>" at node, or "path: --flag: <message>"
 * at a value the command line gave; returns PG_EINVALID. */
int pg_json_doc_error(pg_err *err, const pg_json_doc *doc, const cJSON *node, int at_key,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The byte offset in doc->text of node's value (doc->len when unknown). */
size_t pg_json_doc_offset(const pg_json_doc *doc, const cJSON *node);

/* As pg_json_doc_error, at byte `at` of a string value (as decoded): the
 * column of a mistake inside a string, such as an unclosed {{ in a path. */
int pg_json_doc_error_inside(pg_err *err, const pg_json_doc *doc, const cJSON *node, size_t at,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* 1-based line and column of a byte offset in text. */
void pg_text_line_col(const char *text, size_t len, size_t off, int *line, int *col);

#endif
