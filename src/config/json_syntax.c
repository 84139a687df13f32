/* json_syntax.c — strict RFC 8259 syntax check with exact error positions. */
#include "config/json_syntax.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 200

typedef struct scan {
    const char *s;
    size_t len, at;
    size_t err_at;
    char *why;
    size_t why_size;
} scan;

static int fail(scan *c, size_t at, const char *msg)
{
    c->err_at = at;
    snprintf(c->why, c->why_size, "%s", msg);
    return -1;
}

static int peek(const scan *c)
{
    return c->at < c->len ? (unsigned char)c->s[c->at] : -1;
}

static void ws(scan *c)
{
    while (c->at < c->len && strchr(" \t\r\n", c->s[c->at]) && c->s[c->at])
        c->at++;
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_hex(int ch)
{
    return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Length of the well-formed UTF-8 sequence at c->at (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_length(const scan *c)
{
    const unsigned char *p = (const unsigned char *)c->s + c->at;
    size_t left = c->len - c->at, n;
    unsigned lo = 0x80, hi = 0xBF;

    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3, lo = p[0] == 0xE0 ? 0xA0 : 0x80, hi = p[0] == 0xED ? 0x9F : 0xBF;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4, lo = p[0] == 0xF0 ? 0x90 : 0x80, hi = p[0] == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (left < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

static int string(scan *c)
{
    size_t start = c->at++;

    for (;;) {
        int ch = peek(c);
        if (ch < 0)
            return fail(c, start, "unterminated string: the closing \" is missing");
        if (ch == '"') {
            c->at++;
            return 0;
        }
        if (ch < 0x20)
            return fail(c, c->at,
                        ch == '\n' ? "line break inside a string: write \\n, or close the string"
                                   : "control character inside a string: escape it (\\t, \\u0001)");
        if (ch >= 0x80) {
            size_t n = utf8_length(c);
            if (!n) {
                char msg[96];
                snprintf(msg, sizeof msg,
                         "invalid UTF-8 (byte 0x%02X): a budget file must be UTF-8 text", ch);
                return fail(c, c->at, msg);
            }
            c->at += n;
            continue;
        }
        if (ch == '\\') {
            c->at++;
            ch = peek(c);
            if (ch == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (c->at + (size_t)i >= c->len ||
                        !is_hex((unsigned char)c->s[c->at + (size_t)i]))
                        return fail(c, c->at - 1, "\\u must be followed by four hex digits");
                c->at += 5;
                continue;
            }
            if (ch < 0 || !strchr("\"\\/bfnrt", ch))
                return fail(c, c->at - 1,
                            "invalid escape: valid are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
        }
        c->at++;
    }
}

static int number(scan *c)
{
    size_t start = c->at;

    if (peek(c) == '-')
        c->at++;
    if (peek(c) == '0') {
        c->at++;
        if (is_digit(peek(c)))
            return fail(c, start, "numbers must not start with 0 (write 1, not 01)");
    } else if (is_digit(peek(c))) {
        while (is_digit(peek(c)))
            c->at++;
    } else {
        return fail(c, start, "'-' must be followed by a digit");
    }
    if (peek(c) == '.') {
        c->at++;
        if (!is_digit(peek(c)))
            return fail(c, c->at, "a digit must follow the decimal point (write 1.0, not 1.)");
        while (is_digit(peek(c)))
            c->at++;
    }
    if (peek(c) == 'e' || peek(c) == 'E') {
        c->at++;
        if (peek(c) == '+' || peek(c) == '-')
            c->at++;
        if (!is_digit(peek(c)))
            return fail(c, c->at, "the exponent needs digits (write 1e3)");
        while (is_digit(peek(c)))
            c->at++;
    }
    return 0;
}

static int value(scan *c, int depth);

static int bad_value(scan *c)
{
    int ch = peek(c);

    if (ch < 0)
        return fail(
            c, c->at,
            "unexpected end of file: a value is missing, or an object or array is not closed");
    if (ch == '\'')
        return fail(c, c->at, "single quote: JSON strings use double quotes (\")");
    if (ch == '/')
        return fail(c, c->at, "comment: JSON has no comments; put notes in a \"description\" key");
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_')
        return fail(c, c->at,
                    "unquoted word: strings need double quotes; literals are true, false, null");
    return fail(c, c->at, "expected a value (string, number, object, array, true, false or null)");
}

static int literal(scan *c)
{
    static const char *const words[] = {"true", "false", "null"};

    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if (c->len - c->at >= n && memcmp(c->s + c->at, words[i], n) == 0) {
            int next = c->at + n < c->len ? (unsigned char)c->s[c->at + n] : -1;
            if (!((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || is_digit(next))) {
                c->at += n;
                return 0;
            }
        }
    }
    return bad_value(c);
}

/* Object or array: open, items separated by commas, close. */
static int container(scan *c, int depth, int object)
{
    char close = object ? '}' : ']';
    char expect[64];
    size_t comma = 0;

    if (depth > MAX_DEPTH)
        return fail(c, c->at, "nested more than 200 levels deep");
    c->at++;
    ws(c);
    if (peek(c) == close) {
        c->at++;
        return 0;
    }
    for (;;) {
        ws(c);
        if (comma && peek(c) == close)
            return fail(c, comma,
                        object ? "trailing comma: JSON allows no comma after the last member"
                               : "trailing comma: JSON allows no comma after the last item");
        if (object) {
            if (peek(c) != '"') {
                int ch = peek(c);
                if (ch == '\'')
                    return fail(c, c->at, "single quote: keys use double quotes (\")");
                if (ch == '/')
                    return fail(
                        c, c->at,
                        "comment: JSON has no comments; put notes in a \"description\" key");
                if (ch < 0)
                    return fail(c, c->at,
                                "unexpected end of file: the object is not closed with }");
                return fail(c, c->at, "expected a key in double quotes");
            }
            if (string(c) != 0)
                return -1;
            ws(c);
            if (peek(c) != ':')
                return fail(c, c->at, "expected ':' after the key");
            c->at++;
        }
        if (value(c, depth + 1) != 0)
            return -1;
        ws(c);
        if (peek(c) == ',') {
            comma = c->at++;
            continue;
        }
        if (peek(c) == close) {
            c->at++;
            return 0;
        }
        if (peek(c) == '"' || peek(c) == '{' || peek(c) == '[' || is_digit(peek(c)))
            return fail(c, c->at, "missing comma before this");
        if (peek(c) < 0)
            snprintf(expect, sizeof expect, "unexpected end of file: expected ',' or '%c'", close);
        else
            snprintf(expect, sizeof expect, "expected ',' or '%c'", close);
        return fail(c, c->at, expect);
    }
}

static int value(scan *c, int depth)
{
    int ch;

    ws(c);
    ch = peek(c);
    if (ch == '{' || ch == '[')
        return container(c, depth, ch == '{');
    if (ch == '"')
        return string(c);
    if (ch == '-' || is_digit(ch))
        return number(c);
    return literal(c);
}

int pg_json_syntax_check(const char *text, size_t len, size_t *off, char *why, size_t why_size)
{
    scan c = {text, len, 0, 0, why, why_size};

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c.at = 3;
    if (value(&c, 0) != 0) {
        *off = c.err_at;
        return -1;
    }
    ws(&c);
    if (c.at < len) {
        *off = c.at;
        snprintf(why, why_size, "unexpected text after the end of the JSON value");
        return -1;
    }
    return 0;
}
