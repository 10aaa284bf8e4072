/* Fuzzes inputline.c with one input line in each of the three input formats,
 * and its plain-URL fast path against libcurl's parser. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "fuzz.h"
#include "inputline.h"

/* Whether libcurl parses "url" as an http or https URL. */
static bool curl_takes(const char *url)
{
  CURLU *u = curl_url();
  char *scheme = NULL;
  bool ok;

  if (!u)
    abort();
  ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
       curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
       (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
  curl_free(scheme);
  curl_url_cleanup(u);
  return ok;
}

/* libcurl 7.88's CURL_MAX_INPUT_LENGTH: it refuses longer strings. */
#define LIBCURL_MAX_INPUT 8000000

static void check_plain(const char *prefix, const char *rest)
{
  size_t n = strlen(prefix) + strlen(rest) + 1;
  char err[VL_ERRLEN];
  char *url = malloc(n);

  if (!url)
    abort();
  snprintf(url, n, "%s%s", prefix, rest);
  if (n < 65536 && inputline_url_plain(url))
    FUZZ_CHECK(curl_takes(url),
               "the fast path takes '%.200s', which libcurl refuses", url);
  if (inputline_check_url(url, err) == 0)
    FUZZ_CHECK(curl_takes(url),
               "'%.200s' (%zu bytes) passes the check, libcurl refuses it",
               url, n - 1);
  free(url);
}

static bool is_token(const char *s)
{
  if (!*s)
    return false;
  for (; *s; s++)
    if ((unsigned char)*s <= 32 || (unsigned char)*s >= 127 ||
        strchr("\"(),/:;<=>?@[\\]{}", *s))
      return false;
  return true;
}

static void check_item(const struct inputline *it)
{
  char err[VL_ERRLEN];
  size_t i;

  switch (it->kind) {
  case INPUTLINE_SKIP:
    FUZZ_CHECK(!it->url && !it->id_json, "a skipped line holds data");
    return;
  case INPUTLINE_ERROR:
    FUZZ_CHECK(it->err[0] != '\0', "an error item has no message");
    break;
  case INPUTLINE_REQUEST:
    FUZZ_CHECK(it->url && inputline_check_url(it->url, err) == 0,
               "a request's URL fails the check");
    FUZZ_CHECK(!it->method || is_token(it->method),
               "the method '%s' is not a token", it->method);
    for (i = 0; i < it->nheaders; i++) {
      const char *h = it->headers[i], *colon = strchr(h, ':');

      FUZZ_CHECK(colon && colon > h && colon[1] == ' ',
                 "header '%s' is not 'Name: value'", h);
      FUZZ_CHECK(!strpbrk(h, "\r\n"), "header '%s' spans lines", h);
    }
    FUZZ_CHECK(it->body || it->body_len == 0, "a body length with no body");
    break;
  default:
    fuzz_fail(__FILE__, __LINE__, "unknown kind %d", (int)it->kind);
  }
  if (it->id_json) {
    json_t *v =
        json_loads(it->id_json, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

    FUZZ_CHECK(v, "the id '%s' is not JSON", it->id_json);
    json_decref(v);
  }
}

/* Input: one input line, the bytes before the first newline (as input.c cuts
 * them), parsed in each of the three input formats.
 *
 * Oracle: the plain-URL fast path (inputline_url_plain()) accepts only URLs
 * that libcurl's parser accepts as http or https, tried on the line as it is
 * and behind "http://" and "https://"; whatever the line, the parse ends with
 * an item of a known kind; a bad line has a message; a request has a URL that
 * inputline_check_url() passes, a token method, headers "Name: value" on one
 * line each, and an id that is JSON text. A line ending in byte 0x01 stands
 * for itself with 8 MB of 'a' in place of that byte, past libcurl's longest
 * URL: inputline_check_url() must refuse what libcurl will refuse. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const enum inputline_format formats[] = { INPUTLINE_AUTO,
                                                   INPUTLINE_LINES,
                                                   INPUTLINE_JSONL };
  const uint8_t *nl = memchr(data, '\n', size);
  size_t len = nl ? (size_t)(nl - data) : size, i;
  struct inputline it;
  char *line;

  if (len > 0 && data[len - 1] == 0x01) {
    line = malloc(len + LIBCURL_MAX_INPUT + 1);
    if (!line)
      abort();
    memcpy(line, data, len - 1);
    memset(line + len - 1, 'a', LIBCURL_MAX_INPUT);
    len += LIBCURL_MAX_INPUT - 1;
  } else {
    line = malloc(len + 1);
    if (!line)
      abort();
    memcpy(line, data, len);
  }
  line[len] = '\0';

  for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
    inputline_parse_as(&it, line, len, formats[i]);
    check_item(&it);
    inputline_clear(&it);
  }
  check_plain("", line);
  check_plain("http://", line);
  check_plain("https://", line);
  free(line);
  return 0;
}
