/* URL resolution and normalisation on libcurl's URL API (CURLU). Owns
 * nothing past a call: each call makes and frees its own handle, so calls
 * may run on any thread. Decides only which URLs come out; fetching them
 * is someone else's job. Pure. */
#include "config.h"

#include "urlnorm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "util.h"

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

/* Where the authority ("user@host:port") of the "len" bytes at "s" lies,
 * as [*lo, *hi); both 0 when there is none ("/x", "x", "?q"). */
static void authority_span(const char *s, size_t len, size_t *lo, size_t *hi)
{
  size_t i = 0;

  *lo = *hi = 0;
  if (len > 0 && is_alpha((unsigned char)s[0])) {
    i = 1;
    while (i < len && is_scheme_char((unsigned char)s[i]))
      i++;
    i = i < len && s[i] == ':' ? i + 1 : 0;
  }
  if (i + 1 >= len || s[i] != '/' || s[i + 1] != '/')
    return;
  *lo = i + 2;
  *hi = *lo;
  while (*hi < len && s[*hi] != '/' && s[*hi] != '?' && s[*hi] != '\\')
    (*hi)++;
}

/* A copy of "s" as a browser reads an href: leading and trailing blanks
 * and control characters trimmed, tabs and newlines removed anywhere, the
 * fragment cut, and spaces, controls and non-ASCII bytes percent-encoded
 * except in the host. libcurl 7.88 refuses raw spaces in an absolute URL
 * but encodes them in a relative one, and CURLU_URLENCODE writes a space
 * in the query as '+': encoding first gives one answer for both. The host
 * stays raw so that an internationalised name still reaches libcurl's IDN
 * code. The caller frees the copy. */
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
 * to curl_url_get(). Returns 0 or -1. */
static int take_url(CURLU *u, unsigned flags, char **out)
{
  char *s = NULL;

  if (!is_http(u) ||
      curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_URL, &s, flags) != CURLUE_OK)
    return -1;
  *out = xstrdup(s);
  curl_free(s);
  return 0;
}

/* Parse the absolute "url" into a new handle; NULL when it does not
 * parse or is not http or https. The caller cleans the handle up. */
static CURLU *parse_http(const char *url)
{
  CURLU *u = curl_url();
  char *c = clean(url);

  if (u &&
      (curl_url_set(u, CURLUPART_URL, c, 0) != CURLUE_OK || !is_http(u))) {
    curl_url_cleanup(u);
    u = NULL;
  }
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

int urlnorm_resolve(const char *base, const char *ref, char **out)
{
  CURLU *u = curl_url();
  char *b = NULL, *r = clean(ref);
  int rc = -1;

  if (!u)
    goto done;
  if (base) {
    b = clean(base);
    if (curl_url_set(u, CURLUPART_URL, b, 0) != CURLUE_OK)
      goto done;
  }
  /* An empty reference ("" or "#frag" once the fragment is cut) is the
   * base itself; libcurl 7.88 would resolve it as the base's directory. */
  if ((*r || !base) && curl_url_set(u, CURLUPART_URL, r, 0) != CURLUE_OK)
    goto done;
  rc = take_url(u, 0, out);
done:
  curl_url_cleanup(u);
  free(b);
  free(r);
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

int urlnorm_host(const char *url, char *out, size_t outlen)
{
  CURLU *u = parse_http(url);
  char *host = NULL;
  int rc = -1;

  if (!u)
    return -1;
  host = lower_host(u);
  if (host && strlen(host) < outlen) {
    memcpy(out, host, strlen(host) + 1);
    rc = 0;
  }
  curl_free(host);
  curl_url_cleanup(u);
  return rc;
}
