/* Unit tests of sha256.c: FIPS 180-4's examples, and the streaming
 * interface giving the one-shot digest however the bytes are cut. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "tap.h"

static int empty_string(char *why)
{
  char hex[65];

  sha256_hex("", 0, hex);
  CHECK_STREQ(
      hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  return 0;
}

static int abc(char *why)
{
  char hex[65];

  sha256_hex("abc", 3, hex);
  CHECK_STREQ(
      hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  return 0;
}

static int two_blocks(char *why)
{
  const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  char hex[65];

  /* 56 bytes: the padding needs a second block. */
  sha256_hex(m, strlen(m), hex);
  CHECK_STREQ(
      hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  return 0;
}

static int million_a_streamed(char *why)
{
  struct sha256_ctx c;
  char chunk[1000], hex[65];
  int i;

  memset(chunk, 'a', sizeof(chunk));
  sha256_init(&c);
  for (i = 0; i < 1000; i++)
    sha256_update(&c, chunk, sizeof(chunk));
  sha256_final_hex(&c, hex);
  CHECK_STREQ(
      hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  return 0;
}

static int any_cut_same_digest(char *why)
{
  static const size_t cuts[] = { 1, 3, 63, 64, 65, 127, 1000 };
  unsigned char data[5000];
  char whole[65], part[65];
  size_t i, j;

  for (i = 0; i < sizeof(data); i++)
    data[i] = (unsigned char)(i * 131 + 7);
  sha256_hex(data, sizeof(data), whole);
  for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
    struct sha256_ctx c;

    sha256_init(&c);
    sha256_update(&c, NULL, 0);
    for (j = 0; j < sizeof(data); j += cuts[i])
      sha256_update(&c, data + j,
                    sizeof(data) - j < cuts[i] ? sizeof(data) - j : cuts[i]);
    sha256_final_hex(&c, part);
    CHECK_STREQ(part, whole);
  }
  return 0;
}

static const struct tap_case cases[] = {
  { "the empty string", empty_string },
  { "abc (one block)", abc },
  { "56 bytes: the padding takes a second block", two_blocks },
  { "a million a, streamed in 1000-byte parts", million_a_streamed },
  { "cut in 1, 3, 63, 64, 65, 127 or 1000 bytes: the one-shot digest",
    any_cut_same_digest },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
