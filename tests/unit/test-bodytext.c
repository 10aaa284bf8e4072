/* Unit tests of bodytext.c: Content-Type parsing, HTML sniffing, a body's
 * text as UTF-8. One row per case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bodytext.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1

/* Parse "ct" and check the type and charset. */
static int ct_is(char *why, const char *ct, const char *type,
                 const char *charset)
{
  char t[64], cs[32];

  bodytext_content_type(ct, t, sizeof(t), cs, sizeof(cs));
  CHECK_STREQ(t, type);
  CHECK_STREQ(cs, charset);
  return 0;
}

static int content_types(char *why)
{
  if (ct_is(why, NULL, "", "") < 0 || ct_is(why, "", "", "") < 0 ||
      ct_is(why, "Text/HTML", "text/html", "") < 0 ||
      ct_is(why, " text/html; charset=ISO-8859-1", "text/html", "ISO-8859-1") <
          0 ||
      ct_is(why, "text/html;charset=\"windows-1252\"", "text/html",
            "windows-1252") < 0 ||
      ct_is(why, "text/plain; format=flowed; CHARSET='utf-8'; x=y",
            "text/plain", "utf-8") < 0)
    return -1;
  return 0;
}

static int html_by_type_or_sniff(char *why)
{
  CHECK(bodytext_is_html("text/html", S("plain words")));
  CHECK(bodytext_is_html("application/xhtml+xml", S("x")));
  /* A server that says text/plain gets text, whatever the body. */
  CHECK(!bodytext_is_html("text/plain", S("<html><body>")));
  /* Missing or unknown types are sniffed. */
  CHECK(bodytext_is_html("", S("\xEF\xBB\xBF  <!DOCTYPE html><html>")));
  CHECK(bodytext_is_html("application/unknown", S("<p>hi")));
  CHECK(bodytext_is_html("", S("<!--x-->")));
  CHECK(!bodytext_is_html("", S("<pre>x")));
  CHECK(!bodytext_is_html("", S("<html"))); /* nothing after the tag */
  CHECK(!bodytext_is_html("", S("hello <b> world")));
  return 0;
}

/* The text of "body" with "charset" is "want" (NUL-free). */
static int text_is(char *why, const char *body, size_t len,
                   const char *charset, const char *want, int copied)
{
  static char unset[] = "unset";
  char *owned = unset; /* must be overwritten */
  size_t n = 0;
  const char *s = bodytext_utf8(body, len, charset, &owned, &n);

  CHECK_UINT(n, strlen(want));
  CHECK(memcmp(s, want, n) == 0);
  CHECK(copied ? owned == s : owned == NULL);
  CHECK(copied || s == body);
  free(owned);
  return 0;
}

static int texts(char *why)
{
  if (text_is(why, S("caf\xC3\xA9"), "", "caf\xC3\xA9", 0) < 0 ||
      text_is(why, S("caf\xC3\xA9"), "UTF-8", "caf\xC3\xA9", 0) < 0 ||
      text_is(why, S("caf\xE9"), "iso-8859-1", "caf\xC3\xA9", 1) < 0 ||
      text_is(why, S("caf\xE9"), "", "caf\xEF\xBF\xBD", 1) < 0 ||
      /* an unknown charset: the bytes as they are, repaired */
      text_is(why, S("caf\xE9"), "x-no-such", "caf\xEF\xBF\xBD", 1) < 0 ||
      /* a byte order mark wins over the header's charset */
      text_is(why, S("\xFF\xFEh\0i\0"), "iso-8859-1", "\xEF\xBB\xBFhi", 1) <
          0 ||
      text_is(why, S("\xFE\xFF\0h\0i"), "", "\xEF\xBB\xBFhi", 1) < 0)
    return -1;
  return 0;
}

static const struct tap_case cases[] = {
  { "Content-Type: type lower-cased, charset quoted or not", content_types },
  { "HTML by type, or sniffed when the type says nothing",
    html_by_type_or_sniff },
  { "text: UTF-8 as is, decoded from a charset or a BOM, repaired", texts },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
