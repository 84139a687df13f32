/* json_syntax.h — strict JSON syntax check that says where and why (internal).
 *
 * cJSON builds the tree, but on bad input its error offset is often a few
 * characters off and its messages are none, and it tolerates forms RFC 8259
 * forbids (leading zeros). This scanner checks the RFC grammar first and
 * names the first error exactly: the byte offset and a sentence a person can
 * act on ("missing comma", "trailing comma", "unterminated string"). */
#ifndef PG_CONFIG_JSON_SYNTAX_H
#define PG_CONFIG_JSON_SYNTAX_H

#include <stddef.h>

/* 0 when text is one valid JSON value; otherwise -1 with *off and why set. */
int pg_json_syntax_check(const char *text, size_t len, size_t *off, char *why, size_t why_size);

#endif
