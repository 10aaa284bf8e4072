/* Fuzzes the stylesheet scan (cssscan.c) with any bytes. The promises:
 * it never crashes and hands out only non-empty URLs, no longer than the
 * input; the same bytes give the same URLs; bytes wrapped in a comment
 * give none; a URL made of plain characters comes back exactly, from
 * url(...) and from @import "..." alike; and the work is linear in the
 * input (a CPU-time budget per byte, on inputs repeated to 32 KiB). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cssscan.h"
#include "fuzz.h"

/* The URLs of one scan, joined with '\n' (no URL holds one unescaped;
 * the comparison of two scans only needs to be exact). */
struct found {
  char *text;
  size_t len, cap;
  size_t n;
  size_t in_len; /* the input's length */
};

static void found_cb(const char *url, size_t len, void *ud)
{
  struct found *f = ud;

  FUZZ_CHECK(len > 0, "an empty URL");
  FUZZ_CHECK(url, "a NULL URL");
  /* Escapes decode to at most 4 bytes from at least 2: never longer. */
  FUZZ_CHECK(len <= f->in_len, "a URL of %zu bytes from %zu", len, f->in_len);
  if (f->cap - f->len < len + 1) {
    f->cap = (f->len + len + 1) * 2;
    f->text = realloc(f->text, f->cap);
    FUZZ_CHECK(f->text, "out of memory");
  }
  memcpy(f->text + f->len, url, len);
  f->len += len;
  f->text[f->len++] = '\n';
  f->n++;
}

static struct found scan(const char *css, size_t len)
{
  struct found f = { NULL, 0, 0, 0, len };

  cssscan_urls(css, len, found_cb, &f);
  return f;
}

/* Whether "c" may stand in an unquoted url() and a quoted string as is:
 * no blank, quote, parenthesis, backslash, comment start, or byte past
 * ASCII (kept simple: the reference is written apart from cssscan.c). */
static bool plain(unsigned char c)
{
  return c > 0x20 && c < 0x7f && !strchr("\"'()\\/*;{}@", c);
}

static void expect_one(const char *css, size_t len, const char *url,
                       size_t ulen)
{
  struct found f = scan(css, len);

  FUZZ_CHECK(f.n == 1 && f.len == ulen + 1 && memcmp(f.text, url, ulen) == 0,
             "'%.*s' gives %zu URLs, not '%.*s'", (int)len, css, f.n,
             (int)ulen, url);
  free(f.text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *css = (const char *)data;
  struct found a, b;
  char *buf;
  size_t i, n, cap = 65536;
  uint64_t t0, spent;

  a = scan(css, size);
  b = scan(css, size);
  FUZZ_CHECK(a.n == b.n && a.len == b.len &&
                 (a.len == 0 || memcmp(a.text, b.text, a.len) == 0),
             "two scans of the same bytes differ");
  free(b.text);

  buf = malloc(cap + 64);
  FUZZ_CHECK(buf, "out of memory");

  /* In a comment: nothing, when the bytes cannot end it. */
  for (i = 0; i + 1 < size && !(css[i] == '*' && css[i + 1] == '/'); i++)
    ;
  if (size <= cap && i + 1 >= size) {
    memcpy(buf, "/*", 2);
    memcpy(buf + 2, css, size);
    memcpy(buf + 2 + size, "*/", 2);
    b = scan(buf, size + 4);
    FUZZ_CHECK(b.n == 0, "%zu URLs from inside a comment", b.n);
    free(b.text);
  }

  /* The plain characters of the input, as a URL: found exactly. */
  for (i = n = 0; i < size && n < 200; i++)
    if (plain(data[i]))
      buf[20 + n++] = (char)data[i];
  if (n) {
    char url[201], css2[260];
    int len;

    memcpy(url, buf + 20, n);
    len = snprintf(css2, sizeof(css2), "p{background:url(%.*s)}", (int)n, url);
    expect_one(css2, (size_t)len, url, n);
    len = snprintf(css2, sizeof(css2), "@import \"%.*s\";", (int)n, url);
    expect_one(css2, (size_t)len, url, n);
    len = snprintf(css2, sizeof(css2), "a{b:url( '%.*s' )}", (int)n, url);
    expect_one(css2, (size_t)len, url, n);
  }

  /* Linear: the input repeated to 32 KiB within a budget of CPU time:
   * 50 ms and 5 us a byte, generous (ASan and UBSan are on, and a
   * loaded machine makes every step slower; 86 ms were seen for 16 KiB
   * that took 4 ms when replayed), where a quadratic scan of 32 KiB
   * makes half a billion steps. */
  if (size && size <= 32768) {
    for (n = 0; n + size <= 32768; n += size)
      memcpy(buf + n, css, size);
    t0 = fuzz_cpu_ns();
    b = scan(buf, n);
    spent = fuzz_cpu_ns() - t0;
    FUZZ_CHECK(spent < 50000000u + (uint64_t)n * 5000u,
               "%llu ns for %zu bytes", (unsigned long long)spent, n);
    free(b.text);
  }

  free(buf);
  free(a.text);
  return 0;
}
