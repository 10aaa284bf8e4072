/* Fuzzes robots.c's parser and matcher, with an oracle on the CPU time they
 * take against what a linear parser and matcher need. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "robots.h"

#define MAX_TEXT (256 * 1024)
#define MAX_PATH (64 * 1024)

/* "head", "mid" repeated 2^"e" times, then "tail", cut to "max" bytes,
 * malloc'd and terminated; its length in "*len". */
static char *repeat(const char *head, const char *mid, unsigned e,
                    const char *tail, size_t max, size_t *len)
{
  size_t nh = strlen(head), nm = strlen(mid), nt = strlen(tail);
  size_t times = (size_t)1 << e, i, o = 0;
  char *out = malloc(max + 1);

  if (!out)
    abort();
  for (i = 0; i < nh && o < max; i++)
    out[o++] = head[i];
  for (i = 0; nm && i < nm * times && o < max; i++)
    out[o++] = mid[i % nm];
  for (i = 0; i < nt && o < max; i++)
    out[o++] = tail[i];
  out[o] = '\0';
  *len = o;
  return out;
}

/* The lines of "s" ("n" bytes) in "*lines", and in "*rules" those that
 * may hold a rule: those with "low" in any case. */
static void count_lines(const char *s, size_t n, size_t *lines, size_t *rules)
{
  size_t i;
  bool seen = false;

  *lines = 1;
  *rules = 0;
  for (i = 0; i < n; i++) {
    if (s[i] == '\n' || s[i] == '\r') {
      *rules += seen;
      *lines += 1;
      seen = false;
    } else if (i + 3 <= n && strncasecmp(s + i, "low", 3) == 0) {
      seen = true;
    }
  }
  *rules += seen;
}

/* CPU ns to parse "text" and match "path" once. */
static uint64_t parse_and_match(const char *text, size_t tlen,
                                const char *path, const char *agent)
{
  uint64_t t0 = fuzz_cpu_ns();
  struct robots *r = robots_parse(text, tlen, agent);

  (void)robots_allowed(r, path);
  robots_free(r);
  return fuzz_cpu_ns() - t0;
}

/* Input: two bytes E1 and E2, then NUL-separated fields: the file is HEAD
 * MID^(2^(E1 % 11)) TAIL, the path PHEAD PMID^(2^(E2 % 11)), the crawler's
 * name last; file and path are cut to 256 KiB and 64 KiB, so that small inputs
 * reach the sizes where a super-linear step shows (a rule of 4,000 stars,
 * 10,000 rules).
 *
 * Oracle: parsing and matching end in CPU time within what a linear parser and
 * matcher need, generously: 20 ms, plus 200 ns a byte of the file and 10 us a
 * line (allocations under ASan are slow), plus 100 ns a byte of the path for
 * each rule line (a line holding "low", as every spelling of Allow and
 * Disallow does). A matcher that is quadratic in a rule ('*' runs tried at
 * every position) misses it by far: 2 KiB of stars against an 8 KiB path take
 * 0.26 s against 22 ms. Also: "/robots.txt" is always allowed, an empty file
 * allows everything, and the Crawl-delay is a number of seconds that converts
 * to integer milliseconds without overflow. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  unsigned et = fuzz_byte(&in) % 11, ep = fuzz_byte(&in) % 11;
  char *f[6], *text, *path;
  const char *agent;
  size_t tlen, plen;
  uint64_t used, budget;
  struct robots *r, *empty;
  double delay;
  size_t i, lines, rules;

  for (i = 0; i < 6; i++)
    f[i] = fuzz_str(&in);
  text = repeat(f[0], f[1], et, f[2], MAX_TEXT, &tlen);
  path = repeat(f[3], f[4], ep, "", MAX_PATH, &plen);
  agent = f[5];

  if (!agent[0])
    agent = "volley/0.1.0";
  count_lines(text, tlen, &lines, &rules);
  budget = 20000000u + 200u * (uint64_t)tlen + 10000u * (uint64_t)lines +
           100u * (uint64_t)plen * (rules + 1);
  used = parse_and_match(text, tlen, path, agent);
  /* Over budget once may be the first touch of fresh memory (page faults
   * count as the thread's time) or a cold cache: a second run decides. */
  if (used > budget)
    used = parse_and_match(text, tlen, path, agent);
  FUZZ_CHECK(used <= budget,
             "parse and match took %.3f s, over %.3f s for %zu bytes of "
             "robots.txt (%zu lines, %zu rules) and a %zu-byte path",
             (double)used / 1e9, (double)budget / 1e9, tlen, lines, rules,
             plen);

  r = robots_parse(text, tlen, agent);
  FUZZ_CHECK(robots_allowed(r, "/robots.txt"), "/robots.txt disallowed");
  delay = robots_crawl_delay(r);
  /* The scheduler turns it into integer milliseconds. */
  FUZZ_CHECK(isfinite(delay) && delay >= 0 && delay * 1000.0 < 9.2e18,
             "Crawl-delay %g s does not fit in milliseconds", delay);
  /* The gate's budget trusts this: at least the bytes of the rules
   * kept, which are at most three times the file's, and far less than
   * what the whole file could be as one-byte rules. */
  FUZZ_CHECK(robots_size(r) > 0 && robots_size(r) < 64 * tlen + 4096,
             "robots_size %zu for a %zu-byte file", robots_size(r), tlen);
  empty = robots_parse("", 0, agent);
  FUZZ_CHECK(robots_allowed(empty, path), "an empty file disallows");
  robots_free(empty);
  robots_free(r);
  free(text);
  free(path);
  for (i = 0; i < 6; i++)
    free(f[i]);
  return 0;
}
