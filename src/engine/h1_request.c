/* h1_request.c — origins and request heads for the plain HTTP/1.1 path
 * (see h1_request.h). URLs are taken apart by libcurl's URL API, so both
 * paths accept and refuse the same URLs. */
#include "engine/h1_request.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The parts of url: host (brackets kept), port (80 when none), and the
 * request target (path, then "?query"). -1 when libcurl refuses the URL or
 * its scheme is not http. */
static int url_parts(const char *url, char *host, size_t host_len, long *port, pg_buf *target)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *h = NULL, *p = NULL, *path = NULL, *query = NULL;
    int rc = -1;

    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK || strcmp(scheme, "http") != 0 ||
        curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK || strlen(h) >= host_len ||
        curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
        goto out;
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) != CURLUE_OK)
        query = NULL;
    snprintf(host, host_len, "%s", h);
    *port = strtol(p, NULL, 10);
    if (target) {
        pg_buf_puts(target, path);
        if (query) {
            pg_buf_puts(target, "?");
            pg_buf_puts(target, query);
        }
    }
    rc = 0;
out:
    curl_free(scheme);
    curl_free(h);
    curl_free(p);
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
    return rc;
}

int pg_h1_origin_parse(pg_h1_origin *o, const char *target)
{
    struct addrinfo hints, *res = NULL;
    char bare[256], port[16];
    size_t n;
    int localhost;

    memset(o, 0, sizeof *o);
    if (url_parts(target, o->host, sizeof o->host, &o->port, NULL) != 0)
        return -1;
    n = strlen(o->host);
    if (o->host[0] == '[' && n > 2)
        snprintf(bare, sizeof bare, "%.*s", (int)(n - 2), o->host + 1);
    else
        snprintf(bare, sizeof bare, "%s", o->host);
    localhost = strcasecmp(bare, "localhost") == 0;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (localhost ? 0 : AI_NUMERICHOST);
    snprintf(port, sizeof port, "%ld", o->port);
    if (getaddrinfo(bare, port, &hints, &res) != 0)
        return -1;
    for (struct addrinfo *a = res; a && o->n_addr < PG_H1_ADDRS; a = a->ai_next) {
        if (a->ai_addrlen > sizeof o->addr[0])
            continue;
        memcpy(&o->addr[o->n_addr], a->ai_addr, a->ai_addrlen);
        o->addr_len[o->n_addr++] = a->ai_addrlen;
    }
    freeaddrinfo(res);
    if (o->port == 80)
        snprintf(o->host_header, sizeof o->host_header, "%s", o->host);
    else
        snprintf(o->host_header, sizeof o->host_header, "%s:%ld", o->host, o->port);
    return o->n_addr ? 0 : -1;
}

/* The budget's header named name (n bytes), or NULL. */
static const struct curl_slist *find_header(const struct curl_slist *h, const char *name, size_t n)
{
    for (; h; h = h->next)
        if (strncasecmp(h->data, name, n) == 0 && h->data[n] == ':')
            return h;
    return NULL;
}

/* A budget's "Name: value" line; "Name:" with nothing after it removes the
 * header, as in libcurl. */
static void put_header_line(pg_buf *out, const char *line)
{
    const char *v = strchr(line, ':');

    if (!v)
        return;
    for (v++; *v == ' ' || *v == '\t'; v++)
        ;
    if (*v) {
        pg_buf_puts(out, line);
        pg_buf_puts(out, "\r\n");
    }
}

/* A default header, unless the budget gives one of that name. */
static void default_header(pg_buf *out, const struct curl_slist *headers, const char *name,
                           const char *value)
{
    if (find_header(headers, name, strlen(name)))
        return;
    pg_buf_puts(out, name);
    pg_buf_puts(out, ": ");
    pg_buf_puts(out, value);
    pg_buf_puts(out, "\r\n");
}

int pg_h1_request_head(pg_buf *out, const pg_h1_origin *o, const char *method, const char *url,
                       const struct curl_slist *headers, int has_body, size_t body_len, char *why,
                       size_t why_len)
{
    const struct curl_slist *host_line;
    char host[256];
    long port;
    size_t line = out->len;

    pg_buf_puts(out, method);
    pg_buf_puts(out, " ");
    if (url_parts(url, host, sizeof host, &port, out) != 0) {
        pg_buf_truncate(out, line);
        snprintf(why, why_len, "the URL %s is malformed", url);
        return -1;
    }
    if (strcasecmp(host, o->host) != 0 || port != o->port) {
        pg_buf_truncate(out, line);
        snprintf(why, why_len, "the URL %s is not on the target's host and port", url);
        return -1;
    }
    pg_buf_puts(out, " HTTP/1.1\r\n");
    /* libcurl writes Host first, the budget's value in place of its own */
    if ((host_line = find_header(headers, "Host", 4)))
        put_header_line(out, host_line->data);
    else
        default_header(out, headers, "Host", o->host_header);
    default_header(out, headers, "User-Agent", "perfgate/" PERFGATE_VERSION);
    default_header(out, headers, "Accept", "*/*");
    for (const struct curl_slist *h = headers; h; h = h->next)
        if (h != host_line)
            put_header_line(out, h->data);
    if (has_body) {
        char len[32];
        snprintf(len, sizeof len, "%zu", body_len);
        default_header(out, headers, "Content-Length", len);
        default_header(out, headers, "Content-Type", "application/x-www-form-urlencoded");
    }
    pg_buf_puts(out, "\r\n");
    return 0;
}
