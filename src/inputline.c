/* One input line to one request item. Plain lines are URLs; a line that
 * starts with '{' is a JSON request object. A bad line becomes an item of
 * kind error, never a stop: the run goes on. Pure. */
#include "config.h"

#include "inputline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>

static bool is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

/* RFC 9110 token characters, for methods and header names. */
static bool is_token(const char *s)
{
  if (!*s)
    return false;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;

    if (c <= 32 || c >= 127 || strchr("\"(),/:;<=>?@[\\]{}", c))
      return false;
  }
  return true;
}

/* Only the body may hold NUL bytes (JSON_ALLOW_NUL lets them in). */
static bool has_nul(const json_t *v)
{
  return strlen(json_string_value(v)) != json_string_length(v);
}

static bool has_crlf(const char *s)
{
  return strpbrk(s, "\r\n") != NULL;
}

static bool is_alnum(unsigned char c)
{
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

bool inputline_url_plain(const char *url)
{
  const unsigned char *p;
  const unsigned char *host;

  if (strncasecmp(url, "http://", 7) == 0)
    p = (const unsigned char *)url + 7;
  else if (strncasecmp(url, "https://", 8) == 0)
    p = (const unsigned char *)url + 8;
  else
    return false;
  host = p;
  if (!is_alnum(*p))
    return false;
  while (is_alnum(*p) || *p == '-' || *p == '.')
    p++;
  if (p - host > 253)
    return false;
  if (*p == ':') {
    unsigned long port = 0;
    int n = 0;

    if (*++p == '0')
      return false;
    while (*p >= '0' && *p <= '9' && n < 5) {
      port = port * 10 + (unsigned long)(*p++ - '0');
      n++;
    }
    if (n == 0 || port > 65535)
      return false;
  }
  if (*p && *p != '/' && *p != '?' && *p != '#')
    return false;
  for (; *p; p++) /* printable ASCII but space and backslash */
    if (*p <= 0x20 || *p >= 0x7f || *p == '\\')
      return false;
  return true;
}

int inputline_check_url(const char *url, char err[VL_ERRLEN])
{
  CURLU *u = NULL;
  char *scheme = NULL;
  CURLUcode uc;
  int rc = -1;

  if (!*url) {
    snprintf(err, VL_ERRLEN, "empty URL");
    return -1;
  }
  if (strlen(url) > VL_URL_MAX) {
    /* libcurl would fail it later as "Out of memory" or worse. */
    snprintf(err, VL_ERRLEN, "URL longer than %d bytes: '%.60s...'",
             VL_URL_MAX, url);
    return -1;
  }
  if (inputline_url_plain(url))
    return 0; /* libcurl's parser is the costlier half of a line */
  if (!strstr(url, "://")) {
    snprintf(err, VL_ERRLEN, "'%.100s' is not an http or https URL", url);
    return -1;
  }
  u = curl_url();
  if (!u) {
    snprintf(err, VL_ERRLEN, "out of memory parsing the URL");
    return -1;
  }
  uc = curl_url_set(u, CURLUPART_URL, url, 0);
  if (uc != CURLUE_OK) {
    snprintf(err, VL_ERRLEN, "'%.100s' is not a valid URL: %s", url,
             curl_url_strerror(uc));
    goto done;
  }
  uc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
  if (uc != CURLUE_OK || !scheme ||
      (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)) {
    snprintf(err, VL_ERRLEN,
             "unsupported scheme in '%.100s': only http and https", url);
    goto done;
  }
  rc = 0;
done:
  curl_free(scheme);
  curl_url_cleanup(u);
  return rc;
}

static void fail(struct inputline *it, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(struct inputline *it, const char *fmt, ...)
{
  va_list ap;

  it->kind = INPUTLINE_ERROR;
  va_start(ap, fmt);
  vsnprintf(it->err, VL_ERRLEN, fmt, ap);
  va_end(ap);
}

static void add_header(struct inputline *it, const char *name,
                       const char *value)
{
  size_t n = strlen(name) + strlen(value) + 3;
  char *h = xmalloc(n);

  snprintf(h, n, "%s: %s", name, value);
  it->headers = xrealloc(it->headers, (it->nheaders + 1) * sizeof(char *));
  it->headers[it->nheaders++] = h;
}

/* A URL with no scheme takes "scheme": "//h/x" becomes "scheme://h/x" and
 * "h/x" or "h:8080/x" "scheme://h/x". A URL has a scheme when it starts
 * with one (RFC 3986: a letter, then letters, digits, '+', '-' or '.')
 * and a ':' that does not start a port (digits up to the path, query,
 * fragment or end): "mailto:x" keeps its scheme, and is refused later. */
static void add_scheme(char **url, const char *scheme)
{
  const char *u = *url, *p = u;
  size_t n;
  char *out;

  if (u[0] == '/' && u[1] == '/') {
    n = strlen(scheme) + 1 + strlen(u) + 1;
    out = xmalloc(n);
    snprintf(out, n, "%s:%s", scheme, u);
    free(*url);
    *url = out;
    return;
  }
  if (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')) {
    while (is_alnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
      p++;
    if (*p == ':') {
      const char *port = p + 1;

      while (*port >= '0' && *port <= '9')
        port++;
      if (port == p + 1 ||
          !(*port == '\0' || *port == '/' || *port == '?' || *port == '#'))
        return; /* a scheme, "//" or not */
    }
  }
  n = strlen(scheme) + 3 + strlen(u) + 1;
  out = xmalloc(n);
  snprintf(out, n, "%s://%s", scheme, u);
  free(*url);
  *url = out;
}

static void parse_json(struct inputline *it, const char *line, size_t len,
                       const char *scheme)
{
  json_error_t jerr;
  json_t *root, *v;

  root = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
  if (!root) {
    fail(it, "invalid JSON request: %s", jerr.text);
    return;
  }
  if (!json_is_object(root)) {
    fail(it, "%s", "a JSON request must be an object");
    goto done;
  }

  /* The id comes first so that even a bad request keeps its own id. */
  v = json_object_get(root, "id");
  if (v && !json_is_null(v))
    it->id_json = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

  v = json_object_get(root, "url");
  if (!json_is_string(v) || has_nul(v)) {
    fail(it, "%s", "a JSON request needs \"url\" as a string");
    goto done;
  }
  it->url = xstrdup(json_string_value(v));
  if (*it->url)
    add_scheme(&it->url, scheme);

  v = json_object_get(root, "method");
  if (v) {
    if (!json_is_string(v) || has_nul(v) || !is_token(json_string_value(v))) {
      fail(it, "%s", "\"method\" must be a string of token characters");
      goto done;
    }
    it->method = xstrdup(json_string_value(v));
  }

  v = json_object_get(root, "headers");
  if (v && !json_is_null(v)) {
    const char *name;
    json_t *hv;

    if (!json_is_object(v)) {
      fail(it, "%s", "\"headers\" must be an object of strings");
      goto done;
    }
    json_object_foreach(v, name, hv)
    {
      if (!json_is_string(hv) || has_nul(hv) || !is_token(name) ||
          has_crlf(json_string_value(hv))) {
        fail(it, "bad header '%.80s': a token name and a one-line string",
             name);
        goto done;
      }
      add_header(it, name, json_string_value(hv));
    }
  }

  v = json_object_get(root, "body");
  if (json_is_string(v)) {
    it->body_len = json_string_length(v);
    it->body = xmalloc(it->body_len + 1);
    memcpy(it->body, json_string_value(v), it->body_len + 1);
  } else if (v && !json_is_null(v)) {
    /* An object or array body is sent as its JSON text. */
    it->body = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!it->body)
      abort();
    it->body_len = strlen(it->body);
  }

  if (inputline_check_url(it->url, it->err) < 0)
    it->kind = INPUTLINE_ERROR;
  else
    it->kind = INPUTLINE_REQUEST;
done:
  json_decref(root);
}

void inputline_parse(struct inputline *it, const char *line, size_t len)
{
  inputline_parse_as(it, line, len, INPUTLINE_AUTO);
}

uint64_t inputline_shard_hash(const char *method, const char *url)
{
  /* FNV-1a: fixed by its definition, so shards agree across builds. */
  uint64_t h = 0xcbf29ce484222325ULL;
  const char *parts[3] = { method, " ", url };
  size_t i;

  for (i = 0; i < 3; i++) {
    const unsigned char *p = (const unsigned char *)parts[i];

    for (; *p; p++) {
      h ^= *p;
      h *= 0x100000001b3ULL;
    }
  }
  return h;
}

void inputline_parse_as(struct inputline *it, const char *line, size_t len,
                        enum inputline_format format)
{
  inputline_parse_with(it, line, len, format, "http");
}

void inputline_parse_with(struct inputline *it, const char *line, size_t len,
                          enum inputline_format format, const char *scheme)
{
  inputline_init(it);
  /* A byte order mark, as Windows editors start a file with. */
  if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
    line += 3;
    len -= 3;
  }
  while (len && is_blank(line[0])) {
    line++;
    len--;
  }
  while (len && is_blank(line[len - 1]))
    len--;
  if (len == 0 || line[0] == '#') {
    it->kind = INPUTLINE_SKIP;
    return;
  }
  if (format == INPUTLINE_JSONL ||
      (format == INPUTLINE_AUTO && line[0] == '{')) {
    parse_json(it, line, len, scheme);
    return;
  }
  it->url = xstrndup(line, len);
  if (memchr(line, '\0', len)) {
    fail(it, "%s", "the line holds a NUL byte");
    return;
  }
  add_scheme(&it->url, scheme);
  if (inputline_check_url(it->url, it->err) < 0)
    it->kind = INPUTLINE_ERROR;
  else
    it->kind = INPUTLINE_REQUEST;
}

char *inputline_id_prefix(const char *prefix)
{
  json_t *v = json_string(prefix);
  char *text;

  if (!v)
    return NULL;
  text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  json_decref(v);
  if (!text)
    abort();                     /* Fails only without memory. */
  text[strlen(text) - 1] = '\0'; /* the closing quote */
  return text;
}

void inputline_number(struct inputline *it, const char *prefix_json,
                      uint64_t line)
{
  size_t n;

  if (it->id_json)
    return;
  /* Digits need no escaping: the text is what jansson would write. */
  n = strlen(prefix_json) + 24;
  it->id_json = xmalloc(n);
  snprintf(it->id_json, n, "%s%llu\"", prefix_json, (unsigned long long)line);
}

void inputline_clear(struct inputline *it)
{
  size_t i;

  free(it->url);
  free(it->method);
  for (i = 0; i < it->nheaders; i++)
    free(it->headers[i]);
  free(it->headers);
  free(it->body);
  free(it->id_json);
  inputline_init(it);
}

/* Whatever comes before "err" is zeroed with its first byte: "err" must
 * stay the last member, the one left out. */
_Static_assert(offsetof(struct inputline, err) + VL_ERRLEN ==
                   sizeof(struct inputline),
               "err is the last member of struct inputline");

void inputline_init(struct inputline *it)
{
  memset(it, 0, offsetof(struct inputline, err) + 1);
}
