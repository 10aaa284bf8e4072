/* Fuzzes utf8.c (and record.c's UTF-8 test, which rests on it) against the
 * decoder in fuzz.h, written apart from it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "record.h"
#include "utf8.h"

/* Input: any bytes.
 *
 * Oracle: utf8_seq() gives the length of the valid sequence at each position,
 * or 0, as a decoder checking code point ranges does; utf8_repair() returns
 * NULL exactly for valid input (which so comes back unchanged), and otherwise
 * valid UTF-8 in which each byte that starts no valid sequence became one
 * U+FFFD and everything else was kept in order; record_is_utf8() says valid
 * and free of NUL. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *s = (const char *)data;
  bool valid = fuzz_utf8_valid(data, size);
  size_t i, n, outlen = 0, o = 0;
  char *out, *want;

  for (i = 0; i < size; i++)
    FUZZ_CHECK(
        utf8_seq(data + i, size - i) == fuzz_utf8_len(data + i, size - i),
        "utf8_seq() at byte %zu says %zu, the decoder %zu", i,
        utf8_seq(data + i, size - i), fuzz_utf8_len(data + i, size - i));
  FUZZ_CHECK(record_is_utf8(s, size) == (valid && !memchr(s, 0, size)),
             "record_is_utf8() is wrong");

  out = utf8_repair(s, size, &outlen);
  if (valid) {
    FUZZ_CHECK(!out, "valid input was changed");
    return 0;
  }
  FUZZ_CHECK(out, "invalid input came back as it was");
  FUZZ_CHECK(fuzz_utf8_valid(out, outlen), "the repair is not valid UTF-8");
  /* What a decoder that reads one bad byte at a time makes of it. */
  want = malloc(size * 3 + 1);
  if (!want)
    abort();
  for (i = 0; i < size; i += n ? n : 1) {
    n = fuzz_utf8_len(data + i, size - i);
    if (n) {
      memcpy(want + o, data + i, n);
      o += n;
    } else {
      memcpy(want + o, "\xEF\xBF\xBD", 3);
      o += 3;
    }
  }
  FUZZ_CHECK(outlen == o && memcmp(out, want, o) == 0,
             "the repair is not one U+FFFD per bad byte, the rest kept");
  free(want);
  free(out);
  return 0;
}
