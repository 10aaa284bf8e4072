/* Fuzzes bodytext.c: Content-Type parsing, HTML sniffing and decoding to
 * UTF-8, with any header, any body and a choice of charsets. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bodytext.h"
#include "fuzz.h"

static const char *const charsets[] = {
  NULL, /* the Content-Type's */
  "",         "utf-8",       "iso-8859-1", "windows-1252",
  "utf-16le", "utf-16be",    "utf-16",     "shift_jis",
  "euc-jp",   "iso-2022-jp", "gb18030",    "big5",
  "koi8-r",   "utf-7",       "ucs-4",      "no-such-charset",
};

static void check_type(const char *ct, size_t typelen, size_t cslen)
{
  char type[128], charset[64];
  const char *c;

  bodytext_content_type(ct, type, typelen, charset, cslen);
  FUZZ_CHECK(strlen(type) < typelen && strlen(charset) < cslen,
             "type or charset past its buffer");
  for (c = type; *c; c++)
    FUZZ_CHECK(!(*c >= 'A' && *c <= 'Z') && !bodytext_space(*c) && *c != ';',
               "type '%s' of '%s'", type, ct);
  for (c = charset; *c; c++)
    FUZZ_CHECK(!bodytext_space(*c) && *c != ';', "charset '%s' of '%s'",
               charset, ct);
}

/* Input: a byte that picks the charset to decode with (the header's own among
 * them), then the Content-Type, a NUL and the body.
 *
 * Oracle: the media type comes out in lower case without blanks or ';', the
 * charset without blanks or ';', both cut to their buffers (tiny ones too);
 * the text is valid UTF-8 whatever the bytes and the charset; a body that is
 * valid UTF-8 without a byte order mark, read as UTF-8 (no charset, "utf-8" or
 * a name no decoder knows), comes back unchanged and uncopied; text/html is
 * always HTML. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  const char *pick =
      charsets[fuzz_byte(&in) % (sizeof(charsets) / sizeof(charsets[0]))];
  char *ct = fuzz_str(&in), *owned = NULL;
  const char *body = (const char *)in.p, *cs, *text;
  char type[128], charset[64];
  size_t len = in.n, outlen = 0;
  bool bom;

  check_type(ct, sizeof(type), sizeof(charset));
  check_type(ct, 2, 3);
  check_type(ct, 1, 1);
  bodytext_content_type(ct, type, sizeof(type), charset, sizeof(charset));
  (void)bodytext_is_html(type, body, len);
  FUZZ_CHECK(bodytext_is_html("text/html", body, len), "text/html not HTML");

  cs = pick ? pick : charset;
  text = bodytext_utf8(body, len, cs, &owned, &outlen);
  FUZZ_CHECK(fuzz_utf8_valid(text, outlen), "text in '%s' is not UTF-8", cs);
  FUZZ_CHECK(owned ? text == owned : text == body,
             "the text is neither the body nor the copy");
  bom = len >= 2 && (memcmp(body, "\xFF\xFE", 2) == 0 ||
                     memcmp(body, "\xFE\xFF", 2) == 0 ||
                     (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0));
  if (!bom && fuzz_utf8_valid(body, len) &&
      (!strcmp(cs, "") || !strcmp(cs, "utf-8") ||
       !strcmp(cs, "no-such-charset")))
    FUZZ_CHECK(!owned && outlen == len, "valid UTF-8 was changed");
  free(owned);
  free(ct);
  return 0;
}
