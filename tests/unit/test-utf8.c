/* Unit tests of utf8.c: the sequence lengths RFC 3629 allows and repair
 * of what it does not. One row per case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

#define U(s) (const unsigned char *)(s)

static int valid_lengths(char *why)
{
  CHECK_UINT(utf8_seq(U("a"), 1), 1);
  CHECK_UINT(utf8_seq(U("\xC2\x80"), 2), 2);         /* U+0080 */
  CHECK_UINT(utf8_seq(U("\xDF\xBF"), 2), 2);         /* U+07FF */
  CHECK_UINT(utf8_seq(U("\xE0\xA0\x80"), 3), 3);     /* U+0800 */
  CHECK_UINT(utf8_seq(U("\xED\x9F\xBF"), 3), 3);     /* U+D7FF */
  CHECK_UINT(utf8_seq(U("\xEF\xBF\xBD"), 3), 3);     /* U+FFFD */
  CHECK_UINT(utf8_seq(U("\xF0\x90\x80\x80"), 4), 4); /* U+10000 */
  CHECK_UINT(utf8_seq(U("\xF4\x8F\xBF\xBF"), 4), 4); /* U+10FFFF */
  return 0;
}

static int invalid_starts(char *why)
{
  CHECK_UINT(utf8_seq(U("\x80"), 1), 0);             /* continuation */
  CHECK_UINT(utf8_seq(U("\xC0\xAF"), 2), 0);         /* overlong */
  CHECK_UINT(utf8_seq(U("\xC1\xBF"), 2), 0);         /* overlong */
  CHECK_UINT(utf8_seq(U("\xE0\x9F\xBF"), 3), 0);     /* overlong */
  CHECK_UINT(utf8_seq(U("\xED\xA0\x80"), 3), 0);     /* surrogate */
  CHECK_UINT(utf8_seq(U("\xF0\x8F\xBF\xBF"), 4), 0); /* overlong */
  CHECK_UINT(utf8_seq(U("\xF4\x90\x80\x80"), 4), 0); /* past U+10FFFF */
  CHECK_UINT(utf8_seq(U("\xF5\x80\x80\x80"), 4), 0);
  CHECK_UINT(utf8_seq(U("\xFF"), 1), 0);
  CHECK_UINT(utf8_seq(U("\xC3\x28"), 2), 0); /* bad continuation */
  return 0;
}

static int truncated(char *why)
{
  /* A sequence cut by the end of the buffer is invalid where it stands. */
  CHECK_UINT(utf8_seq(U("\xC3\xA9"), 1), 0);
  CHECK_UINT(utf8_seq(U("\xE2\x82\xAC"), 2), 0);
  CHECK_UINT(utf8_seq(U("\xF0\x9F\x98\x80"), 3), 0);
  return 0;
}

static int repair_valid_is_null(char *why)
{
  size_t n = 12345;

  CHECK(utf8_repair("caf\xC3\xA9 \xE2\x82\xAC", 9, &n) == NULL);
  CHECK_UINT(n, 12345);
  CHECK(utf8_repair("", 0, &n) == NULL);
  return 0;
}

static int repair_replaces_each_bad_byte(char *why)
{
  static const char in[] = "a\xFF"
                           "b\xC3\x28"
                           "c\xE2\x82";
  static const char want[] = "a\xEF\xBF\xBD"
                             "b\xEF\xBF\xBD("
                             "c\xEF\xBF\xBD"
                             "\xEF\xBF\xBD";
  size_t n = 0;
  char *out = utf8_repair(in, sizeof(in) - 1, &n);

  CHECK(out != NULL);
  CHECK_UINT(n, sizeof(want) - 1);
  CHECK(memcmp(out, want, n) == 0);
  free(out);
  return 0;
}

/* utf8_encode(): every length, each a valid sequence of that length. */
static int encode_lengths(char *why)
{
  static const uint32_t cps[] = { 0x0,   0x7F,   0x80,    0x7FF,
                                  0x800, 0xFFFF, 0x10000, 0x10FFFF };
  static const size_t lens[] = { 1, 1, 2, 2, 3, 3, 4, 4 };
  unsigned char o[4];
  size_t i;

  for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
    CHECK_UINT(utf8_encode(cps[i], o), lens[i]);
    if (cps[i])
      CHECK_UINT(utf8_seq(o, lens[i]), lens[i]);
  }
  CHECK_UINT(utf8_encode(0xE9, o), 2);
  CHECK(o[0] == 0xC3 && o[1] == 0xA9);
  return 0;
}

static const struct tap_case cases[] = {
  { "utf8_encode: 1 to 4 bytes, each valid", encode_lengths },
  { "valid sequences of 1 to 4 bytes, at the edges", valid_lengths },
  { "overlong forms, surrogates, past U+10FFFF, stray bytes", invalid_starts },
  { "a sequence cut by the end of the buffer", truncated },
  { "repairing valid text makes no copy", repair_valid_is_null },
  { "repair: one U+FFFD per byte that starts nothing",
    repair_replaces_each_bad_byte },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
