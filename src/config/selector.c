/* selector.c — Prometheus instant selectors with equality matchers (see selector.h). */
#include "config/selector.h"

#include <stdio.h>
#include <string.h>

int pg_selector_name_char(int c, int first, int label)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c == ':' && !label))
        return 1;
    return !first && c >= '0' && c <= '9';
}

/* Reads a name at *p into buf; returns its length (0: none there). */
static size_t read_name(const char **p, char *buf, size_t size, int label)
{
    size_t n = 0;

    while (pg_selector_name_char((unsigned char)(*p)[n], n == 0, label)) {
        if (n + 1 >= size)
            return 0;
        buf[n] = (*p)[n];
        n++;
    }
    buf[n] = '\0';
    *p += n;
    return n;
}

/* Reads "..." at *p with \\ \" \n escapes into buf. */
static int read_quoted(const char **p, char *buf, size_t size)
{
    const char *s = *p;
    size_t n = 0;

    if (*s++ != '"')
        return -1;
    for (; *s && *s != '"'; s++) {
        char c = *s;
        if (c == '\\') {
            c = *++s;
            if (c == 'n')
                c = '\n';
            else if (c != '\\' && c != '"')
                return -1;
        }
        if (n + 1 >= size)
            return -1;
        buf[n++] = c;
    }
    if (*s != '"')
        return -1;
    buf[n] = '\0';
    *p = s + 1;
    return 0;
}

int pg_selector_parse(pg_selector *out, const char *text, char *why, size_t why_size)
{
    const char *p = text;

    memset(out, 0, sizeof *out);
    if (!read_name(&p, out->name, sizeof out->name, 0)) {
        snprintf(why, why_size,
                 "\"%s\" does not start with a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*, "
                 "at most 127 characters); write e.g. \"http_requests_in_flight\" or "
                 "\"process_open_fds{job=\\\"api\\\"}\"",
                 text);
        return -1;
    }
    if (*p == '\0')
        return 0;
    if (*p != '{') {
        snprintf(why, why_size,
                 "\"%s\": after the metric name only {label=\"value\",...} may follow", text);
        return -1;
    }
    p++;
    while (*p == ' ')
        p++;
    while (*p != '}') {
        if (out->n_labels == PG_SELECTOR_LABELS) {
            snprintf(why, why_size, "\"%s\": at most %d label matchers", text, PG_SELECTOR_LABELS);
            return -1;
        }
        if (!read_name(&p, out->label[out->n_labels].name, sizeof out->label[0].name, 1) ||
            *p++ != '=' ||
            read_quoted(&p, out->label[out->n_labels].value, sizeof out->label[0].value) != 0) {
            snprintf(why, why_size,
                     "\"%s\": a label matcher is label=\"value\" (equality only; values take "
                     "\\\\, \\\" and \\n escapes)",
                     text);
            return -1;
        }
        out->n_labels++;
        while (*p == ' ')
            p++;
        if (*p == ',')
            for (p++; *p == ' ';)
                p++;
        else if (*p != '}') {
            snprintf(why, why_size, "\"%s\": label matchers are separated by ',' and end with '}'",
                     text);
            return -1;
        }
    }
    if (p[1] != '\0') {
        snprintf(why, why_size, "\"%s\": nothing may follow the closing '}'", text);
        return -1;
    }
    return 0;
}
