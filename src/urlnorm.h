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
 * dropped. "base" must be an absolute http or https URL, or NULL when
 * "ref" is absolute. On success sets
 * "*out" to a malloc'd absolute http or https URL that the caller frees,
 * and returns 0. Returns -1, "*out" untouched, when either does not parse
 * or the result has another scheme (mailto:, javascript:, data:, ftp:). */
int urlnorm_resolve(const char *base, const char *ref, char **out);

/* A base URL parsed once, for resolving many references against it (the
 * links of one page). */
struct urlnorm_base;

/* Parse the absolute http or https "base" for urlnorm_resolve_with().
 * Returns a new object the caller releases with urlnorm_base_free(), or
 * NULL when "base" is NULL, does not parse or has another scheme. */
struct urlnorm_base *urlnorm_base_new(const char *base);

/* urlnorm_resolve() against a parsed base: same rules, same results, a
 * third of the time. "b" may be NULL: only absolute references resolve. */
int urlnorm_resolve_with(const struct urlnorm_base *b, const char *ref,
                         char **out);

/* Release "b"; NULL is allowed. */
void urlnorm_base_free(struct urlnorm_base *b);

/* The canonical form of the absolute "url" for the crawl's visited set:
 * scheme and host in lower case, the default port (80 for http, 443 for
 * https) removed, the fragment dropped, an empty path made "/", dot
 * segments resolved; percent-encoding left as it is. Sets "*out" to a
 * malloc'd string the caller frees and returns 0; returns -1, "*out"
 * untouched, when "url" does not parse or is not http or https. */
int urlnorm_normalize(const char *url, char **out);

/* The origin of a URL, the one answer to "which host is this": sched's
 * per-host limits, the crawl's scope and the robots.txt gate all read it
 * from urlnorm_origin(). */
#define URLNORM_HOST_MAX 256 /* bytes of a host, its '\0' included */
struct urlnorm_origin {
  /* "scheme://host" or "scheme://host:port": scheme and host in lower
   * case, no user information, the port without leading zeros and left
   * out when it is the scheme's default (80 for http, 443 for https). */
  char key[URLNORM_HOST_MAX + 32];
  char host[URLNORM_HOST_MAX]; /* the host alone, lower case, an IPv6
                                  address in its brackets */
  const char *path; /* into the URL: its path and query, "/" if none;
                       all of the URL when it has no authority */
};

/* Take the origin of the absolute "url" apart into "*o", reading the
 * authority as libcurl 7.88 does (it ends at '/', '?' or '#'; user
 * information ends at its first '@'), in one pass and without libcurl:
 * "url" is not checked. Returns 0, or -1 when "url" has no "scheme://"
 * authority (then "key" and "host" are empty) or a part did not fit
 * (then they hold what did). */
int urlnorm_origin(const char *url, struct urlnorm_origin *o);

/* The "host" of urlnorm_origin("url") alone, the same bytes, into "out"
 * ("outlen" bytes, at least 1), for less: no key. Returns 0, or -1 when
 * "url" has no authority (then "out" is empty) or the host did not fit
 * (then it holds what did). */
int urlnorm_origin_host(const char *url, char *out, size_t outlen);

/* Copy the host of the absolute http or https "url", in lower case, into
 * "out" ("outlen" bytes; an IPv6 address keeps its brackets): libcurl
 * checks and normalises "url", urlnorm_origin() reads the host. Returns 0,
 * or -1 when "url" does not parse, has another scheme, or the host does
 * not fit. */
int urlnorm_host(const char *url, char *out, size_t outlen);

#endif
