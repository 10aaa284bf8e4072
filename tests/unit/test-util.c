/* Unit tests of util.c's checked parsers: util_parse_uint(),
 * util_parse_seconds() and util_parse_size(). One row per case. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "tap.h"
#include "util.h"

/* Shorthands: the parsed value, or a sentinel that no case expects. */
#define BAD UINT64_C(0xdeadbeefdeadbeef)

static uint64_t puint(const char *s, uint64_t min, uint64_t max)
{
  uint64_t v = 0;

  return util_parse_uint(s, min, max, &v) == 0 ? v : BAD;
}

static uint64_t psecs(const char *s)
{
  uint64_t v = 0;

  return util_parse_seconds(s, &v) == 0 ? v : BAD;
}

static uint64_t psize(const char *s)
{
  uint64_t v = 0;

  return util_parse_size(s, &v) == 0 ? v : BAD;
}

static int uint_plain(char *why)
{
  CHECK_UINT(puint("0", 0, 10), 0);
  CHECK_UINT(puint("42", 0, 100), 42);
  CHECK_UINT(puint("007", 0, 100), 7);
  CHECK_UINT(puint("18446744073709551615", 0, UINT64_MAX), UINT64_MAX);
  return 0;
}

static int uint_range(char *why)
{
  CHECK_UINT(puint("5", 5, 10), 5);
  CHECK_UINT(puint("10", 5, 10), 10);
  CHECK_UINT(puint("4", 5, 10), BAD);
  CHECK_UINT(puint("11", 5, 10), BAD);
  CHECK_UINT(puint("0", 1, 100000), BAD);
  CHECK_UINT(puint("100001", 1, 100000), BAD);
  return 0;
}

static int uint_junk(char *why)
{
  uint64_t v = 0;

  CHECK_UINT(puint("", 0, 100), BAD);
  CHECK_UINT(puint("abc", 0, 100), BAD);
  CHECK_UINT(puint("12abc", 0, 100), BAD);
  CHECK_UINT(puint("1.5", 0, 100), BAD);
  CHECK_UINT(puint(" 1", 0, 100), BAD);
  CHECK_UINT(puint("1 ", 0, 100), BAD);
  CHECK_UINT(puint("0x10", 0, 100), BAD);
  CHECK_UINT(puint("1e2", 0, 1000), BAD);
  CHECK_INT(util_parse_uint(NULL, 0, 100, &v), -1);
  return 0;
}

static int uint_sign(char *why)
{
  CHECK_UINT(puint("-1", 0, UINT64_MAX), BAD);
  CHECK_UINT(puint("-0", 0, 100), BAD);
  CHECK_UINT(puint("+1", 0, 100), BAD);
  return 0;
}

static int uint_overflow(char *why)
{
  CHECK_UINT(puint("18446744073709551616", 0, UINT64_MAX), BAD);
  CHECK_UINT(puint("99999999999999999999999", 0, UINT64_MAX), BAD);
  CHECK_UINT(puint("4294967296", 0, UINT32_MAX), BAD);
  return 0;
}

static int seconds_whole(char *why)
{
  CHECK_UINT(psecs("0"), 0);
  CHECK_UINT(psecs("1"), 1000);
  CHECK_UINT(psecs("30"), 30000);
  CHECK_UINT(psecs("1.0"), 1000);
  return 0;
}

static int seconds_fraction(char *why)
{
  CHECK_UINT(psecs("0.25"), 250);
  CHECK_UINT(psecs("0.5"), 500);
  CHECK_UINT(psecs("1.5"), 1500);
  CHECK_UINT(psecs(".5"), 500);
  CHECK_UINT(psecs("0.001"), 1);
  return 0;
}

static int seconds_exponent(char *why)
{
  CHECK_UINT(psecs("1e1"), 10000);
  CHECK_UINT(psecs("2.5e-1"), 250);
  CHECK_UINT(psecs("1E3"), 1000000);
  return 0;
}

static int seconds_negative(char *why)
{
  CHECK_UINT(psecs("-1"), BAD);
  CHECK_UINT(psecs("-0.5"), BAD);
  CHECK_UINT(psecs("-0"), BAD);
  CHECK_UINT(psecs("-1e-9"), BAD);
  return 0;
}

static int seconds_junk(char *why)
{
  uint64_t v = 0;

  CHECK_UINT(psecs(""), BAD);
  CHECK_UINT(psecs("abc"), BAD);
  CHECK_UINT(psecs("1s"), BAD);
  CHECK_UINT(psecs(" 1"), BAD);
  CHECK_UINT(psecs("1 "), BAD);
  CHECK_UINT(psecs("1..2"), BAD);
  CHECK_UINT(psecs("nan"), BAD);
  CHECK_UINT(psecs("inf"), BAD);
  CHECK_UINT(psecs("infinity"), BAD);
  CHECK_INT(util_parse_seconds(NULL, &v), -1);
  return 0;
}

/* strtod() reads hexadecimal floats: "--timeout 0x10" must be refused. */
static int seconds_hex_refused(char *why)
{
  CHECK_UINT(psecs("0x10"), BAD);
  CHECK_UINT(psecs("0x1p3"), BAD);
  return 0;
}

static int seconds_tiny_round_up(char *why)
{
  CHECK_UINT(psecs("0.0001"), 1);
  CHECK_UINT(psecs("1e-9"), 1);
  CHECK_UINT(psecs("0.0011"), 2);
  CHECK_UINT(psecs("0.0005"), 1);
  return 0;
}

/* Rounding up must not add the binary error of a decimal: "4.03" is
 * 4030 ms, "2.007" is 2007 ms. */
static int seconds_exact_millis(char *why)
{
  char s[32];
  int i;

  CHECK_UINT(psecs("4.03"), 4030);
  CHECK_UINT(psecs("2.007"), 2007);
  CHECK_UINT(psecs("16.01"), 16010);
  for (i = 0; i < 100000; i++) {
    snprintf(s, sizeof(s), "%d.%03d", i / 1000, i % 1000);
    if (psecs(s) != (uint64_t)i)
      return tap_fail(why, __FILE__, __LINE__, "'%s' gave %llu ms", s,
                      (unsigned long long)psecs(s));
  }
  return 0;
}

static int seconds_year(char *why)
{
  CHECK_UINT(psecs("31536000"), UINT64_C(31536000000)); /* 365 days */
  CHECK_UINT(psecs("34560000"), BAD);                   /* 400 days */
  CHECK_UINT(psecs("1e10"), BAD);
  CHECK_UINT(psecs("1e400"), BAD);
  return 0;
}

static int size_plain(char *why)
{
  CHECK_UINT(psize("0"), 0);
  CHECK_UINT(psize("1234"), 1234);
  CHECK_UINT(psize("100B"), 100);
  CHECK_UINT(psize("100b"), 100);
  return 0;
}

static int size_suffixes(char *why)
{
  CHECK_UINT(psize("1K"), 1024);
  CHECK_UINT(psize("1k"), 1024);
  CHECK_UINT(psize("10M"), 10485760);
  CHECK_UINT(psize("1m"), 1048576);
  CHECK_UINT(psize("2G"), UINT64_C(2147483648));
  CHECK_UINT(psize("1g"), UINT64_C(1073741824));
  CHECK_UINT(psize("16G"), UINT64_C(17179869184));
  return 0;
}

static int size_kib_kb(char *why)
{
  CHECK_UINT(psize("1KiB"), 1024);
  CHECK_UINT(psize("1kib"), 1024);
  CHECK_UINT(psize("3MiB"), 3145728);
  CHECK_UINT(psize("1GiB"), UINT64_C(1073741824));
  CHECK_UINT(psize("1kb"), 1024);
  CHECK_UINT(psize("1KB"), 1024);
  CHECK_UINT(psize("5MB"), 5242880);
  return 0;
}

static int size_junk(char *why)
{
  uint64_t v = 0;

  CHECK_UINT(psize(""), BAD);
  CHECK_UINT(psize("K"), BAD);
  CHECK_UINT(psize("abc"), BAD);
  CHECK_UINT(psize("1X"), BAD);
  CHECK_UINT(psize("1T"), BAD);
  CHECK_UINT(psize("1.5M"), BAD);
  CHECK_UINT(psize("1 M"), BAD);
  CHECK_UINT(psize(" 1"), BAD);
  CHECK_UINT(psize("1K "), BAD);
  CHECK_UINT(psize("1KK"), BAD);
  CHECK_UINT(psize("1MBB"), BAD);
  CHECK_UINT(psize("1iB"), BAD);
  CHECK_UINT(psize("-1"), BAD);
  CHECK_UINT(psize("+1"), BAD);
  CHECK_INT(util_parse_size(NULL, &v), -1);
  return 0;
}

static int size_overflow(char *why)
{
  CHECK_UINT(psize("18446744073709551615"), UINT64_MAX);
  CHECK_UINT(psize("18446744073709551616"), BAD);
  CHECK_UINT(psize("17179869183G"), UINT64_C(17179869183) << 30);
  CHECK_UINT(psize("17179869184G"), BAD); /* 2^64 */
  CHECK_UINT(psize("17592186044416M"), BAD);
  CHECK_UINT(psize("18014398509481984K"), BAD);
  return 0;
}

static int clamp_ms(char *why)
{
  CHECK(util_clamp_ms(0) == 0);
  CHECK(util_clamp_ms(-5) == 0);
  CHECK(util_clamp_ms(NAN) == 0);
  CHECK(util_clamp_ms(-INFINITY) == 0);
  CHECK(util_clamp_ms(1.5) == 1.5);
  CHECK(util_clamp_ms(1e300) == (double)VL_DURATION_MAX_MS);
  CHECK(util_clamp_ms(INFINITY) == (double)VL_DURATION_MAX_MS);
  CHECK(util_clamp_ms((double)VL_DURATION_MAX_MS) ==
        (double)VL_DURATION_MAX_MS);
  CHECK(util_clamp_ms((double)VL_DURATION_MAX_MS - 1) ==
        (double)VL_DURATION_MAX_MS - 1);
  return 0;
}

static const struct tap_case cases[] = {
  { "util_parse_uint: plain values", uint_plain },
  { "util_parse_uint: min and max are inclusive", uint_range },
  { "util_parse_uint: junk refused", uint_junk },
  { "util_parse_uint: signs refused", uint_sign },
  { "util_parse_uint: overflow refused", uint_overflow },
  { "util_parse_seconds: whole seconds", seconds_whole },
  { "util_parse_seconds: fractions", seconds_fraction },
  { "util_parse_seconds: exponents", seconds_exponent },
  { "util_parse_seconds: negative refused", seconds_negative },
  { "util_parse_seconds: junk refused", seconds_junk },
  { "util_parse_seconds: hexadecimal refused", seconds_hex_refused },
  { "util_parse_seconds: tiny values round up to 1 ms",
    seconds_tiny_round_up },
  { "util_parse_seconds: exact milliseconds stay exact",
    seconds_exact_millis },
  { "util_parse_seconds: over a year refused", seconds_year },
  { "util_parse_size: plain bytes", size_plain },
  { "util_parse_size: K, M, G suffixes", size_suffixes },
  { "util_parse_size: KiB and kb forms", size_kib_kb },
  { "util_parse_size: junk refused", size_junk },
  { "util_parse_size: overflow refused", size_overflow },
  { "util_clamp_ms: NaN and negatives 0, huge values 366 days", clamp_ms },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
