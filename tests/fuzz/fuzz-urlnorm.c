/* Fuzzes urlnorm.c with base URLs and references as pages give them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "urlnorm.h"

static void check_normal_form(const char *from, const char *norm)
{
  const unsigned char *p;
  char *again = NULL;
  char h1[256], h2[256];
  int r1, r2;

  for (p = (const unsigned char *)norm; *p; p++)
    FUZZ_CHECK(*p > 0x20 && *p != 0x7f,
               "normal form '%s' of '%s' holds byte 0x%02x", norm, from, *p);
  FUZZ_CHECK(fuzz_utf8_valid(norm, strlen(norm)),
             "normal form '%s' of '%s' is not UTF-8", norm, from);
  FUZZ_CHECK(urlnorm_normalize(norm, &again) == 0,
             "normal form '%s' of '%s' does not normalise", norm, from);
  FUZZ_CHECK(strcmp(again, norm) == 0, "not idempotent: '%s' -> '%s' -> '%s'",
             from, norm, again);
  free(again);
  r1 = urlnorm_host(from, h1, sizeof(h1));
  r2 = urlnorm_host(norm, h2, sizeof(h2));
  FUZZ_CHECK(r1 == r2 && (r1 < 0 || strcmp(h1, h2) == 0),
             "host of '%s' is '%s', of its normal form '%s' '%s'", from,
             r1 == 0 ? h1 : "(none)", norm, r2 == 0 ? h2 : "(none)");
}

static void check_normalize(const char *url)
{
  char *norm = NULL;

  if (urlnorm_normalize(url, &norm) < 0)
    return;
  check_normal_form(url, norm);
  free(norm);
}

static void check_resolved(const char *base, const char *ref, const char *abs)
{
  char *norm = NULL;

  FUZZ_CHECK(strncmp(abs, "http://", 7) == 0 ||
                 strncmp(abs, "https://", 8) == 0,
             "'%s' against '%s' gave '%s'", ref, base, abs);
  FUZZ_CHECK(!strchr(abs, '#'), "'%s' against '%s' kept a fragment: '%s'", ref,
             base, abs);
  FUZZ_CHECK(urlnorm_normalize(abs, &norm) == 0,
             "'%s' against '%s' gave '%s', which does not normalise", ref,
             base, abs);
  check_normal_form(abs, norm);
  free(norm);
}

/* Input: a base URL, a NUL and a reference.
 *
 * Oracle: resolution never crashes and gives an http or https URL without a
 * fragment, which normalises; normalising twice gives what normalising once
 * gave; a normal form holds no space, control byte or DEL (a host that libcurl
 * decoded from %XX must not smuggle one in) and is valid UTF-8; a URL and its
 * normal form have the same host. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  char *base = fuzz_str(&in), *ref = fuzz_str(&in), *abs = NULL, *abs2 = NULL;
  struct urlnorm_base *b;
  int rc;

  check_normalize(base);
  check_normalize(ref);

  rc = urlnorm_resolve(base, ref, &abs);
  if (rc == 0)
    check_resolved(base, ref, abs);
  /* The parsed base gives the same answers. */
  b = urlnorm_base_new(base);
  FUZZ_CHECK(urlnorm_resolve_with(b, ref, &abs2) == rc || !b,
             "resolve_with() and resolve() disagree on '%s' against '%s'", ref,
             base);
  if (rc == 0 && b)
    FUZZ_CHECK(strcmp(abs, abs2) == 0, "'%s' or '%s' for '%s' against '%s'",
               abs, abs2, ref, base);
  urlnorm_base_free(b);
  free(abs);
  free(abs2);
  abs = NULL;
  if (urlnorm_resolve(NULL, ref, &abs) == 0)
    check_resolved("(none)", ref, abs);
  free(abs);
  free(base);
  free(ref);
  return 0;
}
