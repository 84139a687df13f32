/* escape.c — outside text made safe per format (see escape.h). */
#include "report/escape.h"

#include <stdint.h>
#include <string.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Decodes one UTF-8 character at s (RFC 3629: shortest form only, no
 * surrogates, at most U+10FFFF). Returns its length, or 0 if invalid. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    size_t n, i;
    uint32_t c = s[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, c &= 0x07;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

static int xml_allowed(uint32_t c)
{
    if (c < 0x20)
        return c == '\t' || c == '\n' || c == '\r';
    return c != 0x7F && c != 0xFFFE && c != 0xFFFF;
}

typedef void (*emit_fn)(pg_buf *out, uint32_t cp, const char *raw, size_t n);

static void walk(pg_buf *out, const char *s, size_t max_chars, emit_fn emit)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t chars = 0;
    uint32_t cp;

    while (*p) {
        size_t n = decode(p, &cp);
        if (max_chars && chars == max_chars) {
            pg_buf_puts(out, "\xE2\x80\xA6"); /* … */
            return;
        }
        chars++;
        if (n == 0 || !xml_allowed(cp)) {
            emit(out, 0xFFFD, REPLACEMENT, 3);
            p += n ? n : 1;
            continue;
        }
        emit(out, cp, (const char *)p, n);
        p += n;
    }
}

static void emit_clean(pg_buf *out, uint32_t cp, const char *raw, size_t n)
{
    (void)cp;
    pg_buf_append(out, raw, n);
}

/* The entity of a character HTML gives meaning to, or NULL. Markdown
 * passes entities through, so both formats use these. */
static const char *entity(uint32_t cp)
{
    switch (cp) {
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '&':
        return "&amp;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

#define NO_MENTION "@\xE2\x80\x8B" /* @ + zero-width space: GitHub links no one */

static void emit_markdown(pg_buf *out, uint32_t cp, const char *raw, size_t n)
{
    if (cp == '\n' || cp == '\r' || cp == '\t')
        pg_buf_puts(out, " ");
    else if (cp == '@')
        pg_buf_puts(out, NO_MENTION);
    else if (cp == '<' || cp == '>' || cp == '&') /* quotes are plain text in markdown */
        pg_buf_puts(out, entity(cp));
    else {
        if (cp < 0x80 && strchr("|`*_~[]()!#\\", (int)cp))
            pg_buf_puts(out, "\\");
        pg_buf_append(out, raw, n);
    }
}

static void emit_html(pg_buf *out, uint32_t cp, const char *raw, size_t n)
{
    const char *e = entity(cp);

    if (e)
        pg_buf_puts(out, e);
    else
        pg_buf_append(out, raw, n);
}

static void emit_html_line(pg_buf *out, uint32_t cp, const char *raw, size_t n)
{
    if (cp == '\n' || cp == '\r' || cp == '\t')
        pg_buf_puts(out, " ");
    else if (cp == '@') /* GitHub links mentions in HTML too */
        pg_buf_puts(out, NO_MENTION);
    else
        emit_html(out, cp, raw, n);
}

void pg_escape_html_line(pg_buf *out, const char *s, size_t max_chars)
{
    walk(out, s, max_chars, emit_html_line);
}

void pg_escape_clean(pg_buf *out, const char *s, size_t max_chars)
{
    walk(out, s, max_chars, emit_clean);
}

void pg_escape_markdown(pg_buf *out, const char *s, size_t max_chars)
{
    walk(out, s, max_chars, emit_markdown);
}

void pg_escape_html(pg_buf *out, const char *s, size_t max_chars)
{
    walk(out, s, max_chars, emit_html);
}
