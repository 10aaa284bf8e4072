/* Fuzzes extract.c with hostile bodies (deep nesting, 1 MiB attributes, NULs,
 * DEL and %XX in hosts) and hostile PCRE2 patterns. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "extract.h"
#include "fuzz.h"
#include "record.h"
#include "urlnorm.h"

#define MAX_BODY (2 * 1024 * 1024)

/* -x and a fixed -e, parsed once; the fuzzed -e gets its own spec. */
static struct extract_spec fixed;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  static const char *const xpaths[] = {
    "links=//a/@href",
    "n=count(//*)",
    "text=string(//body)",
    "meta=//meta[@name='description']/@content",
  };
  char err[VL_ERRLEN];
  size_t i;

  (void)argc;
  (void)argv;
  /* libxml2 grows its buffers by a few bytes at a time (the EXACT scheme)
   * and counts on realloc() growing in place, as glibc's does for big
   * blocks; ASan's realloc() always copies, which made a 2 MiB body take
   * 89 s in xmlNodeGetContent() against 0.1 s in a normal build. Doubling
   * keeps the harness's time that of the code under test. */
  xmlSetBufferAllocationScheme(XML_BUFFER_ALLOC_DOUBLEIT);
  extract_spec_init(&fixed);
  fixed.title = true;
  fixed.links = true;
  for (i = 0; i < sizeof(xpaths) / sizeof(xpaths[0]); i++)
    if (extract_spec_add_xpath(&fixed, xpaths[i], err) < 0)
      abort();
  if (extract_spec_add_regex(&fixed, "words=\\b(\\w+)\\b", err) < 0)
    abort();
  return 0;
}

/* Expand the 0x01 K L repeats of "n" bytes at "p" into "out", or only
 * count when "out" is NULL; returns the length. */
static size_t expand_into(const uint8_t *p, size_t n, char *out)
{
  size_t i, o = 0;

  for (i = 0; i < n && o < MAX_BODY; i++) {
    if (p[i] == 0x01 && i + 2 < n) {
      size_t times = (size_t)1 << (p[i + 1] % 16);
      size_t span = (size_t)(p[i + 2] % 64) + 1, k;

      i += 2;
      if (span > o)
        span = o;
      for (k = 0; k < times * span && o < MAX_BODY; k++, o++)
        if (out)
          out[o] = out[o - span];
      continue;
    }
    if (out)
      out[o] = (char)p[i];
    o++;
  }
  return o;
}

/* The body with its repeats expanded, malloc'd; its length in "*len". */
static char *expand(const uint8_t *p, size_t n, size_t *len)
{
  char *out;

  *len = expand_into(p, n, NULL);
  out = malloc(*len + 1);
  if (!out)
    abort();
  expand_into(p, n, out);
  return out;
}

static void check_result(const struct extract_result *res,
                         const struct extract_spec *spec)
{
  struct record_buf b = { NULL, 0, 0 };
  struct result r;
  json_error_t jerr;
  json_t *j;
  size_t i, k;

  /* The fields as a record writes them (record.c, since the record
   * table took over extract_result_json()). */
  memset(&r, 0, sizeof(r));
  r.extract = res;
  r.extract_spec = spec;
  record_build(&b, &r);
  FUZZ_CHECK(fuzz_utf8_valid(b.p, b.len), "the record is not UTF-8");
  j = json_loadb(b.p, b.len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
  FUZZ_CHECK(j, "the record is not JSON (%s): %.300s", jerr.text, b.p);
  json_decref(j);
  record_buf_free(&b);

  for (i = 0; i < res->nlinks; i++) {
    const char *l = res->links[i];
    const unsigned char *c;
    char *norm = NULL;

    FUZZ_CHECK(strncmp(l, "http://", 7) == 0 || strncmp(l, "https://", 8) == 0,
               "link '%s' is not http(s)", l);
    FUZZ_CHECK(!strchr(l, '#'), "link '%s' has a fragment", l);
    for (c = (const unsigned char *)l; *c; c++)
      FUZZ_CHECK(*c > 0x20 && *c != 0x7f, "link '%s' holds byte 0x%02x", l,
                 *c);
    FUZZ_CHECK(urlnorm_normalize(l, &norm) == 0,
               "link '%s' does not "
               "normalise",
               l);
    free(norm);
    for (k = 0; k < i; k++)
      FUZZ_CHECK(strcmp(res->links[k], l) != 0, "link '%s' twice", l);
  }
  if (res->title) {
    const char *t = res->title;
    size_t n = strlen(t);

    FUZZ_CHECK(n == 0 || (t[0] != ' ' && t[n - 1] != ' '),
               "title '%s' is not trimmed", t);
    FUZZ_CHECK(!strstr(t, "  ") && !strpbrk(t, "\t\n\r\f"),
               "title '%s' is not collapsed", t);
  }
}

/* Input: a flag byte, then NUL-separated fields: a PCRE2 pattern, a
 * Content-Type, the page's URL and the body. In the body, byte 0x01 followed
 * by bytes K and L repeats the L % 64 + 1 bytes before it 2^(K % 16) times, up
 * to 2 MiB in all: "<div>" nested 30,000 deep, a 1 MiB attribute or a long run
 * for the regex come from a few bytes, while most inputs stay small. NULs,
 * DEL, invalid UTF-8 and %XX in hosts come as they are.
 *
 * Oracle: extract_run() ends in CPU time within 3 s plus 10 us a byte of body
 * for each spec (PCRE2's match limit is meant to bound it; each start position
 * may spend the whole limit, so the harness finds bodies where that adds up;
 * the 10 us leave room for ASan, whose malloc is slow); its record fragment is
 * valid UTF-8 and, in braces,
 * valid JSON; each link is an absolute http(s) URL without a fragment, with no
 * space, control byte or DEL, that normalises; links are unique; the title has
 * no leading, trailing or doubled whitespace. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  uint8_t flags = fuzz_byte(&in);
  char *pattern = fuzz_str(&in), *ctype = fuzz_str(&in), *url = fuzz_str(&in);
  struct extract_spec mine;
  struct extract_result res;
  char err[VL_ERRLEN], *arg, *body;
  size_t len, n;
  uint64_t t0, used, budget;

  body = expand(in.p, in.n, &len);
  extract_spec_init(&mine);
  n = strlen(pattern) + 3;
  arg = malloc(n);
  if (!arg)
    abort();
  snprintf(arg, n, "r=%s", pattern);
  if (extract_spec_add_regex(&mine, arg, err) < 0)
    FUZZ_CHECK(err[0] && mine.nitems == 0, "a failed -e left no message");

  t0 = fuzz_cpu_ns();
  if (flags & 1) {
    extract_run(&fixed, body, len, flags & 2 ? NULL : ctype,
                flags & 4 ? NULL : url, &res);
    check_result(&res, &fixed);
    extract_result_free(&res);
  }
  if (mine.nitems) {
    extract_run(&mine, body, len, flags & 2 ? NULL : ctype, url, &res);
    check_result(&res, &mine);
    extract_result_free(&res);
  }
  used = fuzz_cpu_ns() - t0;
  budget = 3000000000u + 10000u * (uint64_t)len * (1 + (flags & 1));
  FUZZ_CHECK(used <= budget,
             "extraction took %.3f s, over %.3f s, for %zu bytes with -e "
             "'%s'",
             (double)used / 1e9, (double)budget / 1e9, len, pattern);

  extract_spec_free(&mine);
  free(arg);
  free(body);
  free(pattern);
  free(ctype);
  free(url);
  return 0;
}
