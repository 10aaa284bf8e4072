/* URL resolution and normalisation through libcurl's URL API: links found
 * in a page made absolute, and the canonical form of a URL that the crawl's
 * visited set compares. Only http and https come out. Pure. */
#ifndef VOLLEY_URLNORM_H
#define VOLLEY_URLNORM_H

#include <stddef.h>

/* Resolve "ref" (absolute, relative, scheme-relative "//host/x", "?query"
 * or "#frag") against "base", as a browser resolves an href: tabs and
 * newlines are removed, leading and trailing blanks trimmed, spaces and
 * non-ASCII bytes outside the host percent-encoded, and the fragment
 * dropped. "base" may be NULL when "ref" is absolute. On success sets
 * "*out" to a malloc'd absolute http or https URL that the caller frees,
 * and returns 0. Returns -1, "*out" untouched, when either does not parse
 * or the result has another scheme (mailto:, javascript:, data:, ftp:). */
int urlnorm_resolve(const char *base, const char *ref, char **out);

/* The canonical form of the absolute "url" for the crawl's visited set:
 * scheme and host in lower case, the default port (80 for http, 443 for
 * https) removed, the fragment dropped, an empty path made "/", dot
 * segments resolved; percent-encoding left as it is. Sets "*out" to a
 * malloc'd string the caller frees and returns 0; returns -1, "*out"
 * untouched, when "url" does not parse or is not http or https. */
int urlnorm_normalize(const char *url, char **out);

/* Copy the host of the absolute http or https "url", in lower case, into
 * "out" ("outlen" bytes; an IPv6 address keeps its brackets). Returns 0,
 * or -1 when "url" does not parse, has another scheme, or the host does
 * not fit. */
int urlnorm_host(const char *url, char *out, size_t outlen);

#endif
