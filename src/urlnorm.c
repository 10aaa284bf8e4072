/* URL resolution and normalisation on libcurl's URL API (CURLU). Owns
 * nothing past a call: each call makes and frees its own handle, so calls
 * may run on any thread. Decides only which URLs come out; fetching them
 * is someone else's job. Pure. */
#include "config.h"

#include "urlnorm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "utf8.h"
#include "util.h"

/* A base URL taken apart once for many references: offsets into "url"
 * mark where each kind of reference replaces the rest. */
struct urlnorm_base {
  char *url;       /* absolute, as libcurl writes it, no fragment */
  size_t scheme;   /* bytes of "scheme:" */
  size_t origin;   /* bytes of "scheme://authority" */
  size_t dir;      /* bytes up to the path's last '/', included */
  size_t path_end; /* bytes before the query */
};

static bool is_alpha(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_scheme_char(int c)
{
  return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
         c == '.';
}

static char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The length of the scheme of the "len" bytes at "s", ':' included, or
 * 0 when they start with none (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" /
 * "-" / "." ) ":"). */
static size_t scheme_len(const char *s, size_t len)
{
  size_t i = 1;

  if (len == 0 || !is_alpha((unsigned char)s[0]))
    return 0;
  while (i < len && is_scheme_char((unsigned char)s[i]))
    i++;
  return i < len && s[i] == ':' ? i + 1 : 0;
}

/* Where the host and port of the authority ("user@host:port") of the
 * "len" bytes at "s" lie, as [*lo, *hi); both 0 when there is none ("/x",
 * "x", "?q"). Read as libcurl 7.88 reads it, since libcurl decides what
 * the host is: the authority ends at '/' or '?' (a backslash is part of
 * it) and the user information at its first '@'. */
static void authority_span(const char *s, size_t len, size_t *lo, size_t *hi)
{
  size_t i = scheme_len(s, len);
  bool user = false;

  *lo = *hi = 0;
  if (i + 1 >= len || s[i] != '/' || s[i + 1] != '/')
    return;
  *lo = i + 2;
  *hi = *lo;
  while (*hi < len && s[*hi] != '/' && s[*hi] != '?') {
    if (s[*hi] == '@' && !user) {
      *lo = *hi + 1;
      user = true;
    }
    (*hi)++;
  }
}

/* A copy of "s" as a browser reads an href: leading and trailing blanks
 * and control characters trimmed, tabs and newlines removed anywhere, the
 * fragment cut, and spaces, controls and non-ASCII bytes percent-encoded
 * except in the host (in the user information too: left raw, bytes that
 * are not UTF-8 there came out as they were). libcurl 7.88 refuses raw spaces
 * in an absolute URL but encodes them in a relative one, and CURLU_URLENCODE
 * writes a space in the query as '+': encoding first gives one answer for
 * both. The host stays raw so that an internationalised name still reaches
 * libcurl's IDN code. The caller frees the copy. */
static char *clean(const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t len = strlen(s), i, lo, hi;
  const char *hash;
  char *out, *o;

  while (len > 0 && (unsigned char)s[0] <= 0x20) {
    s++;
    len--;
  }
  while (len > 0 && (unsigned char)s[len - 1] <= 0x20)
    len--;
  hash = memchr(s, '#', len);
  if (hash)
    len = (size_t)(hash - s);
  authority_span(s, len, &lo, &hi);
  out = xmalloc(len * 3 + 1);
  o = out;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];

    if (c == '\t' || c == '\n' || c == '\r')
      continue;
    if ((c <= 0x20 || c >= 0x7f) && (i < lo || i >= hi)) {
      *o++ = '%';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    } else {
      *o++ = (char)c;
    }
  }
  *o = '\0';
  return out;
}

/* Whether the handle holds an http or https URL (libcurl lower-cases the
 * scheme it stores). */
static bool is_http(CURLU *u)
{
  char *scheme = NULL;
  bool ok;

  if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
    return false;
  ok = strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
  curl_free(scheme);
  return ok;
}

/* The handle's URL with no fragment, into a malloc'd "*out"; "flags" go
 * to curl_url_get(). Returns 0, or -1 (also for a URL longer than
 * VL_URL_MAX, which could not be fetched). */
static int take_url(CURLU *u, unsigned flags, char **out)
{
  char *s = NULL;

  if (!is_http(u) ||
      curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_URL, &s, flags) != CURLUE_OK)
    return -1;
  if (strlen(s) > VL_URL_MAX) {
    curl_free(s);
    return -1;
  }
  *out = xstrdup(s);
  curl_free(s);
  return 0;
}

/* Whether "c" may stand in a host name label: an ASCII letter or digit,
 * '-' or '_' (seen in real names). */
static bool is_label_char(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Whether the host stored in "u" is one volley passes on: an IPv6
 * address in brackets (libcurl parsed it) with a zone id, if any, of
 * label characters; or labels of label characters and valid UTF-8 beyond
 * ASCII (an internationalised name, for libcurl's IDN code) joined by
 * dots. libcurl 7.88 decodes %XX in a host after its own check, so
 * "x%7F" brings a raw DEL, "evil%FF" an invalid byte, "a%25b" a '%'. */
static bool host_ok(CURLU *u)
{
  char *host = NULL, *zone = NULL;
  const unsigned char *p;
  size_t left;
  bool ok = true;

  if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
    return false;
  p = (const unsigned char *)host;
  if (*p == '[') {
    if (curl_url_get(u, CURLUPART_ZONEID, &zone, 0) == CURLUE_OK)
      for (p = (const unsigned char *)zone; *p && ok; p++)
        ok = is_label_char(*p) || *p == '.';
    curl_free(zone);
    curl_free(host);
    return ok;
  }
  if (!*p)
    ok = false;
  /* The bytes left are counted down, not measured at each character:
   * strlen() there made a host of 400,000 characters cost 5.6 s. */
  left = strlen(host);
  while (left && ok) {
    size_t n = *p < 0x80 ? 1 : utf8_seq(p, left);

    ok = n > 1 || (n == 1 && (is_label_char(*p) || *p == '.'));
    p += n;
    left -= n;
  }
  curl_free(host);
  return ok;
}

/* Whether the authority of the absolute "url" (after "scheme:" and any
 * slashes, as libcurl reads "http:/x" too) holds a '%': then libcurl
 * stores its host decoded, and another parse may read it anew ("5%2e2"
 * is stored as "5.2", which a parse makes 5.0.0.2). */
static bool authority_has_pct(const char *url)
{
  const char *p = url + scheme_len(url, strlen(url));

  while (*p == '/' || *p == '\\')
    p++;
  for (; *p && !strchr("/?#\\", *p); p++)
    if (*p == '%')
      return true;
  return false;
}

/* Parse the absolute "abs" into a new handle: NULL when it does not parse,
 * is not http or https, or its host is not one host_ok() passes. A host
 * that came percent-encoded is parsed once more from libcurl's own
 * writing, so that what comes out parses to itself. The caller cleans the
 * handle up. */
static CURLU *parse_abs(const char *abs)
{
  CURLU *u = curl_url();
  char *again = NULL;

  if (!u || curl_url_set(u, CURLUPART_URL, abs, 0) != CURLUE_OK ||
      !is_http(u) || !host_ok(u))
    goto fail;
  if (authority_has_pct(abs)) {
    if (curl_url_get(u, CURLUPART_URL, &again, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_URL, again, 0) != CURLUE_OK || !is_http(u) ||
        !host_ok(u))
      goto fail;
    curl_free(again);
  }
  return u;
fail:
  curl_free(again);
  curl_url_cleanup(u);
  return NULL;
}

/* Parse the absolute "url", cleaned as an href, with parse_abs(). */
static CURLU *parse_http(const char *url)
{
  char *c = clean(url);
  CURLU *u = parse_abs(c);

  free(c);
  return u;
}

/* Lower-case the host stored in "u" and return it malloc'd (curl_free),
 * or NULL when it has none. */
static char *lower_host(CURLU *u)
{
  char *host = NULL;
  size_t i;

  if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
    return NULL;
  for (i = 0; host[i]; i++)
    host[i] = lower(host[i]);
  return host;
}

struct urlnorm_base *urlnorm_base_new(const char *base)
{
  CURLU *u = base ? parse_http(base) : NULL;
  struct urlnorm_base *b = NULL;
  const char *origin, *p;
  char *url = NULL;

  if (!u)
    return NULL;
  if (take_url(u, 0, &url) == 0) {
    /* libcurl wrote it, so it reads "scheme://authority/path?query": the
     * authority holds no '/' (not even an IPv6 address) and the path is
     * at least "/". */
    b = xmalloc(sizeof(*b));
    b->url = url;
    b->scheme = (size_t)(strchr(url, ':') - url) + 1;
    origin = strchr(url + b->scheme + 2, '/');
    b->origin = origin ? (size_t)(origin - url) : strlen(url);
    b->path_end = b->origin + strcspn(url + b->origin, "?");
    b->dir = b->origin;
    for (p = url + b->origin; p < url + b->path_end; p++)
      if (*p == '/')
        b->dir = (size_t)(p - url) + 1;
  }
  curl_url_cleanup(u);
  return b;
}

void urlnorm_base_free(struct urlnorm_base *b)
{
  if (!b)
    return;
  free(b->url);
  free(b);
}

/* "n" bytes of "a" then all of "b", malloc'd. */
static char *join(const char *a, size_t n, const char *b)
{
  size_t m = strlen(b);
  char *s = xmalloc(n + m + 1);

  memcpy(s, a, n);
  memcpy(s + n, b, m + 1);
  return s;
}

int urlnorm_resolve_with(const struct urlnorm_base *b, const char *ref,
                         char **out)
{
  char *r = clean(ref), *abs;
  CURLU *u;
  int rc;

  /* RFC 3986 section 5.2 on strings; libcurl then parses the absolute
   * result, which removes dot segments. Handing libcurl the relative
   * reference instead costs three times as much (7.88 rebuilds and
   * re-parses the base for each) and gets "#frag" and "" wrong. */
  if (scheme_len(r, strlen(r)) > 0) {
    abs = r;
    r = NULL;
  } else if (!b) {
    free(r);
    return -1;
  } else if (r[0] == '/' && r[1] == '/') {
    abs = join(b->url, b->scheme, r);
  } else if (r[0] == '/') {
    abs = join(b->url, b->origin, r);
  } else if (r[0] == '?') {
    abs = join(b->url, b->path_end, r);
  } else if (r[0] == '\0') {
    abs = xstrdup(b->url); /* "" and "#frag": the page itself */
  } else {
    abs = join(b->url, b->dir, r);
  }
  free(r);
  u = parse_abs(abs);
  rc = u ? take_url(u, 0, out) : -1;
  curl_url_cleanup(u);
  free(abs);
  return rc;
}

int urlnorm_resolve(const char *base, const char *ref, char **out)
{
  struct urlnorm_base *b = NULL;
  int rc;

  if (base) {
    b = urlnorm_base_new(base);
    if (!b)
      return -1;
  }
  rc = urlnorm_resolve_with(b, ref, out);
  urlnorm_base_free(b);
  return rc;
}

int urlnorm_normalize(const char *url, char **out)
{
  CURLU *u = parse_http(url);
  char *host = NULL;
  int rc = -1;

  if (!u)
    return -1;
  host = lower_host(u);
  if (host && curl_url_set(u, CURLUPART_HOST, host, 0) == CURLUE_OK)
    rc = take_url(u, CURLU_NO_DEFAULT_PORT, out);
  curl_free(host);
  curl_url_cleanup(u);
  return rc;
}

/* Copy the "n" bytes at "s" in lower case to "*o", whose "end" it must
 * not reach; returns whether all fitted. */
static bool put_lower(char **o, const char *end, const char *s, size_t n)
{
  bool fits = (size_t)(end - *o) > n;

  if (!fits)
    n = (size_t)(end - *o) - 1;
  for (size_t i = 0; i < n; i++)
    *(*o)++ = lower(s[i]);
  **o = '\0';
  return fits;
}

/* Where the host of the authority ["lo", "hi") of "url" ends ("*host_end",
 * past an IPv6 address's ']') and how many of its bytes are the host
 * ("*nhost"); "*zone" is whether an IPv6 zone id ("[fe80::1%25eth0]")
 * was left out: it is no part of the host, and the normal form drops it
 * too. */
static void host_span(const char *url, size_t lo, size_t hi, size_t *host_end,
                      size_t *nhost, bool *zone)
{
  const char *z;

  *host_end = lo;
  if (url[lo] == '[') {
    while (*host_end < hi && url[*host_end] != ']')
      (*host_end)++;
    if (*host_end < hi)
      (*host_end)++;
  } else {
    while (*host_end < hi && url[*host_end] != ':')
      (*host_end)++;
  }
  z = url[lo] == '[' ? memchr(url + lo, '%', *host_end - lo) : NULL;
  *zone = z != NULL;
  *nhost = z ? (size_t)(z - (url + lo)) : *host_end - lo;
}

/* The "nhost" bytes of the host at "h" in lower case into "*o", whose
 * "end" it must not reach, with the ']' a zone id took; returns whether
 * all fitted. */
static bool put_host(char **o, const char *end, const char *h, size_t nhost,
                     bool zone)
{
  bool fits = put_lower(o, end, h, nhost);

  if (zone)
    fits = put_lower(o, end, "]", 1) && fits;
  return fits;
}

/* The length of "url" without its fragment. */
static size_t unfragmented_len(const char *url)
{
  const char *hash = strchr(url, '#');

  return hash ? (size_t)(hash - url) : strlen(url);
}

int urlnorm_origin(const char *url, struct urlnorm_origin *o)
{
  size_t len = unfragmented_len(url);
  size_t lo, hi, host_end, port, nport = 0, scheme, nhost;
  char *k = o->key, *h = o->host;
  const char *kend = o->key + sizeof(o->key);
  bool fits, zone;

  o->key[0] = o->host[0] = '\0';
  authority_span(url, len, &lo, &hi);
  o->path = hi < len ? url + hi : "/";
  if (hi == 0)
    return -1;
  scheme = scheme_len(url, len) - 1;
  host_span(url, lo, hi, &host_end, &nhost, &zone);
  /* The port, less its leading zeros: "http://h:080" is "http://h". */
  port = host_end < hi && url[host_end] == ':' ? host_end + 1 : hi;
  while (port < hi && url[port] == '0' && port + 1 < hi)
    port++;
  nport = hi - port;
  if ((nport == 2 && scheme == 4 && memcmp(url + port, "80", 2) == 0 &&
       strncasecmp(url, "http", 4) == 0) ||
      (nport == 3 && scheme == 5 && memcmp(url + port, "443", 3) == 0 &&
       strncasecmp(url, "https", 5) == 0))
    nport = 0;
  fits = put_host(&h, o->host + sizeof(o->host), url + lo, nhost, zone);
  fits = put_lower(&k, kend, url, scheme) && fits;
  fits = put_lower(&k, kend, "://", 3) && fits;
  fits = put_host(&k, kend, url + lo, nhost, zone) && fits;
  if (nport) {
    fits = put_lower(&k, kend, ":", 1) && fits;
    fits = put_lower(&k, kend, url + port, nport) && fits;
  }
  return fits ? 0 : -1;
}

int urlnorm_origin_host(const char *url, char *out, size_t outlen)
{
  size_t len = unfragmented_len(url), lo, hi, host_end, nhost;
  bool zone;

  out[0] = '\0';
  authority_span(url, len, &lo, &hi);
  if (hi == 0)
    return -1;
  host_span(url, lo, hi, &host_end, &nhost, &zone);
  return put_host(&out, out + outlen, url + lo, nhost, zone) ? 0 : -1;
}

int urlnorm_host(const char *url, char *out, size_t outlen)
{
  CURLU *u = parse_http(url);
  struct urlnorm_origin o;
  char *s = NULL;
  int rc = -1;

  /* libcurl checks the URL and writes it out plainly (the host decoded,
   * blanks gone), urlnorm_origin() reads the host from that. */
  if (u && is_http(u) && curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK &&
      urlnorm_origin(s, &o) == 0 && o.host[0] && strlen(o.host) < outlen) {
    memcpy(out, o.host, strlen(o.host) + 1);
    rc = 0;
  }
  curl_free(s);
  curl_url_cleanup(u);
  return rc;
}
