/* escape.h — text from budgets, targets and responses made safe for each
 * report format. The text is outside input: a budget named
 * "a|b<script>" or a body with invalid UTF-8 must neither break a table nor
 * inject markup nor make the XML ill-formed.
 *
 *   clean     valid UTF-8 only, and only characters XML 1.0 allows: every
 *             invalid byte sequence, C0 control (except tab, LF, CR), DEL,
 *             surrogate and U+FFFE/U+FFFF becomes U+FFFD. Used by the others.
 *   markdown  one line (CR, LF, tab become spaces); ASCII punctuation that
 *             GitHub markdown acts on is backslash-escaped (| ends a table
 *             cell, ` opens code, * _ ~ emphasis, [ ] ( ) ! links, # \ ),
 *             < > & become entities (no HTML, no end of a "<!-- -->"), and
 *             @ gets a zero-width space after it so no one is mentioned.
 *   html      & < > " ' become entities.
 *   html_line html on one line (CR, LF, tab become spaces) and @ as in
 *             markdown: for HTML inside a GitHub comment, where a new line
 *             could start a markdown block and mentions are linked.
 *
 * max_chars > 0 cuts the text at that many characters, adding "…". */
#ifndef PG_REPORT_ESCAPE_H
#define PG_REPORT_ESCAPE_H

#include <stddef.h>

#include "common/buf.h"

void pg_escape_clean(pg_buf *out, const char *s, size_t max_chars);
void pg_escape_markdown(pg_buf *out, const char *s, size_t max_chars);
void pg_escape_html(pg_buf *out, const char *s, size_t max_chars);
void pg_escape_html_line(pg_buf *out, const char *s, size_t max_chars);

#endif
