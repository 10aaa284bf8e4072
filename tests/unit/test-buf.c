/* Unit tests of buf.c: appends keep every byte in order across growth,
 * reset keeps the memory, the C string views and printf. One row per
 * case. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

static int empty_is_zero(char *why)
{
  struct buf b = { NULL, 0, 0 };

  buf_put(&b, NULL, 0);
  CHECK(!b.p);
  CHECK_INT(b.len, 0);
  buf_free(&b);
  buf_free(&b);
  CHECK(!b.p);
  return 0;
}

static int put_grows_in_order(char *why)
{
  struct buf b = { NULL, 0, 0 };
  size_t i;

  for (i = 0; i < 100000; i++)
    buf_putc(&b, (char)('a' + i % 26));
  CHECK_INT(b.len, 100000);
  CHECK(b.cap >= b.len);
  for (i = 0; i < 100000; i++)
    if (b.p[i] != (char)('a' + i % 26))
      break;
  CHECK_INT(i, 100000);
  buf_put(&b, "xyz", 3);
  CHECK_INT(b.len, 100003);
  CHECK(memcmp(b.p + 100000, "xyz", 3) == 0);
  buf_free(&b);
  return 0;
}

static int reserve_doubles(char *why)
{
  struct buf b = { NULL, 0, 0 };

  buf_reserve(&b, 1);
  CHECK_INT(b.cap, 64);
  b.len = 60;
  buf_reserve(&b, 10);
  CHECK_INT(b.cap, 128);
  buf_reserve(&b, 1000);
  CHECK_INT(b.cap, 2048);
  b.len = 0;
  buf_reserve(&b, 2048);
  CHECK_INT(b.cap, 2048); /* room enough: no growth */
  buf_free(&b);
  return 0;
}

static int reset_keeps_memory(char *why)
{
  struct buf b = { NULL, 0, 0 };
  char *p;
  size_t cap;

  buf_put(&b, "hello", 5);
  p = b.p;
  cap = b.cap;
  buf_reset(&b);
  CHECK_INT(b.len, 0);
  buf_put(&b, "bye", 3);
  CHECK(b.p == p);
  CHECK_INT(b.cap, cap);
  CHECK(memcmp(b.p, "bye", 3) == 0);
  buf_free(&b);
  return 0;
}

static int putf_long_and_short(char *why)
{
  struct buf b = { NULL, 0, 0 };
  char big[300];

  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  buf_putf(&b, "%d-%s", 42, "a");
  CHECK_INT(b.len, 4);
  CHECK_STREQ(b.p, "42-a"); /* a NUL follows, not counted */
  buf_putf(&b, "[%s]", big);
  CHECK_INT(b.len, 4 + 2 + 299);
  CHECK(b.p[4] == '[' && b.p[b.len - 1] == ']');
  CHECK(b.p[b.len] == '\0');
  buf_free(&b);
  return 0;
}

static int cstr_not_counted(char *why)
{
  struct buf b = { NULL, 0, 0 };

  CHECK_STREQ(buf_cstr(&b), "");
  CHECK_INT(b.len, 0);
  buf_put(&b, "ab", 2);
  CHECK_STREQ(buf_cstr(&b), "ab");
  CHECK_INT(b.len, 2);
  buf_putc(&b, 'c');
  CHECK_STREQ(buf_cstr(&b), "abc");
  /* Embedded NULs stay bytes; the view ends at the first. */
  buf_putc(&b, '\0');
  buf_put(&b, "d", 1);
  CHECK_INT(b.len, 5);
  CHECK_STREQ(buf_cstr(&b) + 4, "d");
  buf_free(&b);
  return 0;
}

static int detach_hands_over(char *why)
{
  struct buf b = { NULL, 0, 0 };
  char *s;

  s = buf_detach(&b);
  CHECK_STREQ(s, "");
  free(s);
  buf_put(&b, "title", 5);
  s = buf_detach(&b);
  CHECK_STREQ(s, "title");
  CHECK(!b.p);
  CHECK_INT(b.len, 0);
  CHECK_INT(b.cap, 0);
  free(s);
  return 0;
}

static const struct tap_case cases[] = {
  { "an empty buffer holds no memory; free twice is fine", empty_is_zero },
  { "appends keep every byte in order across growth", put_grows_in_order },
  { "reserve doubles from 64 bytes, not past what fits", reserve_doubles },
  { "reset keeps the memory for reuse", reset_keeps_memory },
  { "putf: short and longer than the room, NUL after", putf_long_and_short },
  { "cstr: a NUL after the bytes, not counted", cstr_not_counted },
  { "detach: the caller owns the string, the buffer empty",
    detach_hands_over },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
