/* What a response body is and what text it holds: the media type and
 * charset of its Content-Type, whether it is HTML (sniffed as browsers do
 * when the type says nothing), and its text as UTF-8 (a byte order mark,
 * else the charset, decoded by libxml2's encoding handlers; invalid bytes
 * repaired). Pure: any thread may call it. */
#include "config.h"

#include "bodytext.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/encoding.h>
#include <libxml/tree.h>

#include "utf8.h"
#include "util.h"

bool bodytext_space(int c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static char lower(char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

void bodytext_content_type(const char *ct, char *type, size_t typelen,
                           char *charset, size_t cslen)
{
  size_t n = 0;
  const char *p;

  type[0] = charset[0] = '\0';
  if (!ct)
    return;
  while (bodytext_space((unsigned char)*ct))
    ct++;
  for (p = ct; *p && *p != ';' && !bodytext_space((unsigned char)*p); p++)
    if (n + 1 < typelen)
      type[n++] = lower(*p);
  type[n] = '\0';
  for (p = strchr(p, ';'); p; p = strchr(p, ';')) {
    p++;
    while (bodytext_space((unsigned char)*p))
      p++;
    if (strncasecmp(p, "charset=", 8) == 0) {
      char quote = 0;

      p += 8;
      if (*p == '"' || *p == '\'')
        quote = *p++;
      for (n = 0; *p && *p != ';' && *p != quote &&
                  !bodytext_space((unsigned char)*p);
           p++)
        if (n + 1 < cslen)
          charset[n++] = *p;
      charset[n] = '\0';
      return;
    }
  }
}

/* Whether the body starts like HTML: the WHATWG MIME sniffing patterns
 * for HTML (after blanks), each followed by a blank or '>'. */
static bool sniff_html(const char *body, size_t len)
{
  static const char tags[][16] = {
    "<!doctype html",
    "<html",
    "<head",
    "<script",
    "<iframe",
    "<h1",
    "<div",
    "<font",
    "<table",
    "<a",
    "<style",
    "<title",
    "<b",
    "<body",
    "<br",
    "<p",
    "<!--",
  };
  size_t i = 0, t;

  if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && bodytext_space((unsigned char)body[i]))
    i++;
  for (t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
    size_t n = strlen(tags[t]);

    if (len - i > n && strncasecmp(body + i, tags[t], n) == 0 &&
        (body[i + n] == ' ' || body[i + n] == '>' || body[i + n] == '\t' ||
         body[i + n] == '\n' || body[i + n] == '\r' || body[i + n] == '\f' ||
         strcmp(tags[t], "<!--") == 0))
      return true;
  }
  return false;
}

bool bodytext_is_html(const char *type, const char *body, size_t len)
{
  if (strcmp(type, "text/html") == 0 ||
      strcmp(type, "application/xhtml+xml") == 0)
    return true;
  /* As browsers do, only a missing or unknown type is sniffed: a server
   * that says text/plain gets text. */
  if (!type[0] || strcmp(type, "unknown/unknown") == 0 ||
      strcmp(type, "application/unknown") == 0 || strcmp(type, "*/*") == 0)
    return sniff_html(body, len);
  return false;
}

static bool is_utf8_name(const char *cs)
{
  return !cs[0] || strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0 ||
         strcmp(cs, "us-ascii") == 0 || strcmp(cs, "ascii") == 0;
}

/* "len" bytes of "body" in charset "cs" as UTF-8, malloc'd into "*out"
 * ("*outlen" bytes). Returns false when no conversion is needed or
 * possible (UTF-8 or an unknown charset: the body is used as it is).
 * Bytes the charset cannot decode become U+FFFD. */
static bool decode(const char *body, size_t len, const char *cs, char **out,
                   size_t *outlen)
{
  char name[64];
  xmlCharEncodingHandler *h;
  xmlBuffer *in, *buf;
  size_t i;

  for (i = 0; cs[i] && i + 1 < sizeof(name); i++)
    name[i] = lower(cs[i]);
  name[i] = '\0';
  if (is_utf8_name(name) || len > INT_MAX / 4)
    return false;
  h = xmlFindCharEncodingHandler(name);
  if (!h)
    return false;
  if (h->name &&
      xmlStrcasecmp((const xmlChar *)h->name, (const xmlChar *)"UTF-8") == 0) {
    xmlCharEncCloseFunc(h);
    return false;
  }
  in = xmlBufferCreateSize(len + 1);
  buf = xmlBufferCreateSize(len * 2 + 16);
  if (!in || !buf || xmlBufferAdd(in, (const xmlChar *)body, (int)len) != 0) {
    xmlBufferFree(in);
    xmlBufferFree(buf);
    xmlCharEncCloseFunc(h);
    return false;
  }
  while (xmlBufferLength(in) > 0) {
    int before = xmlBufferLength(in);
    int rc = xmlCharEncInFunc(h, buf, in);

    if (rc == -2) {
      /* Undecodable input: a replacement character, then go on. */
      xmlBufferShrink(in, 1);
      xmlBufferAdd(buf, (const xmlChar *)"\xEF\xBF\xBD", 3);
    } else if (rc < 0 && rc != -3) {
      break;
    } else if (xmlBufferLength(in) == before) {
      break; /* No progress: a truncated final sequence. */
    }
  }
  *outlen = (size_t)xmlBufferLength(buf);
  *out = xstrndup((const char *)xmlBufferContent(buf), *outlen);
  xmlBufferFree(in);
  xmlBufferFree(buf);
  xmlCharEncCloseFunc(h);
  return true;
}

/* The charset a byte order mark names, or NULL. As in the WHATWG decode
 * algorithm a BOM wins over the Content-Type charset. */
static const char *bom_charset(const char *body, size_t len)
{
  if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
    return "utf-8";
  if (len >= 2 && memcmp(body, "\xFF\xFE", 2) == 0)
    return "utf-16le";
  if (len >= 2 && memcmp(body, "\xFE\xFF", 2) == 0)
    return "utf-16be";
  return NULL;
}

const char *bodytext_utf8(const char *body, size_t len, const char *charset,
                          char **owned, size_t *outlen)
{
  const char *s = body, *bom = bom_charset(body, len);
  char *text = NULL, *fixed;
  size_t n = len;

  if (decode(body, len, bom ? bom : charset, &text, &n))
    s = text;
  fixed = utf8_repair(s, n, &n);
  if (fixed) {
    free(text);
    s = text = fixed;
  }
  *owned = text;
  *outlen = n;
  return s;
}
