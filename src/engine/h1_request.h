/* h1_request.h — the target's origin, and request heads in bytes, for the
 * plain HTTP/1.1 path (internal to engine/; see h1.h for why it exists).
 *
 * The bytes are those libcurl sends for the same options, so a service sees
 * the same request from either path: the request line, then Host,
 * User-Agent and Accept, then the budget's headers (one of the same name
 * replaces the default; one with an empty value removes it), then, with a
 * body, Content-Length and, unless the budget names one, libcurl's default
 * Content-Type for a posted body. */
#ifndef PG_ENGINE_H1_REQUEST_H
#define PG_ENGINE_H1_REQUEST_H

#include <curl/curl.h>
#include <stddef.h>
#include <sys/socket.h>

#include "common/buf.h"

#define PG_H1_ADDRS 4

/* Where the plain path connects: an http:// target whose host is an IP
 * literal or "localhost" (no resolver on the hot path: a name is resolved
 * by libcurl's path, which has a threaded resolver and a cache). */
typedef struct pg_h1_origin {
    char host[256]; /* as in the URL, brackets around IPv6 kept */
    long port;
    char host_header[280];
    struct sockaddr_storage addr[PG_H1_ADDRS]; /* tried in order on a refusal */
    socklen_t addr_len[PG_H1_ADDRS];
    size_t n_addr;
} pg_h1_origin;

/* 0 and o filled when target qualifies for the plain path; -1 when it does
 * not (https, a host name to resolve, a URL libcurl would not take). */
int pg_h1_origin_parse(pg_h1_origin *o, const char *target);

/* Appends the head of a request for url (the budget's target followed by
 * the path) to out. headers: "Name: value" lines, or NULL; body_len counts
 * only when has_body. 0, or -1 when url is not on the origin's host and
 * port or is malformed (why says which); out-of-memory shows in out. */
int pg_h1_request_head(pg_buf *out, const pg_h1_origin *o, const char *method, const char *url,
                       const struct curl_slist *headers, int has_body, size_t body_len, char *why,
                       size_t why_len);

#endif
