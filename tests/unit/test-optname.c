/* Unit tests of optname.c: the edit distance, the names a mistyped option
 * may have meant, and curl's and wget's names with volley's way. One row
 * per case. */
#include "config.h"

#include <string.h>

#include "optname.h"
#include "tap.h"

static const char *const names[] = {
  "input",   "concurrency", "connect-timeout", "timeout", "retries",
  "retry",   "retry-on",    "retry-delay",     "user",    "user-agent",
  "headers", "header",      "fail-fast",       "http1.1", "http2",
};

#define NNAMES (sizeof(names) / sizeof(names[0]))

static int distance(char *why)
{
  CHECK_UINT(optname_distance("", 0, ""), 0);
  CHECK_UINT(optname_distance("abc", 3, "abc"), 0);
  CHECK_UINT(optname_distance("abc", 3, ""), 3);
  CHECK_UINT(optname_distance("", 0, "abc"), 3);
  CHECK_UINT(optname_distance("kitten", 6, "sitting"), 3);
  CHECK_UINT(optname_distance("concurency", 10, "concurrency"), 1);
  CHECK_UINT(optname_distance("tmeout", 6, "timeout"), 1);
  /* Only "la" bytes of the first count. */
  CHECK_UINT(optname_distance("timeoutXYZ", 7, "timeout"), 0);
  return 0;
}

/* Names longer than NAME_CMP_MAX are cut, not overflowed. */
static int distance_long(char *why)
{
  char a[300], b[300];

  memset(a, 'a', sizeof(a) - 1);
  a[sizeof(a) - 1] = '\0';
  memset(b, 'b', sizeof(b) - 1);
  b[sizeof(b) - 1] = '\0';
  CHECK_UINT(optname_distance(a, strlen(a), b), NAME_CMP_MAX);
  CHECK_UINT(optname_distance(a, strlen(a), a), 0);
  return 0;
}

/* "name" suggests "want" ("" for none). */
static int suggests(const char *name, const char *want, char *why)
{
  char out[160];

  optname_suggest(name, strlen(name), names, NNAMES, out, sizeof(out));
  CHECK_STREQ(out, want);
  return 0;
}

static int suggest_prefixes(char *why)
{
  CHECK_OK(suggests("conc", "--concurrency", why));
  CHECK_OK(suggests("user-ag", "--user-agent", why));
  CHECK_OK(suggests("us", "--user or --user-agent", why));
  CHECK_OK(suggests("http", "--http1.1 or --http2", why));
  CHECK_OK(suggests("re", "--retries, --retry, --retry-on, ...", why));
  CHECK_OK(suggests("fail", "--fail-fast", why));
  return 0;
}

static int suggest_nearest(char *why)
{
  CHECK_OK(suggests("concurency", "--concurrency", why));
  CHECK_OK(suggests("tmeout", "--timeout", why));
  CHECK_OK(suggests("heder", "--header", why));
  /* Too far from anything: no guess. */
  CHECK_OK(suggests("xyzzy-plugh", "", why));
  CHECK_OK(suggests("", "", why));
  return 0;
}

/* A short buffer truncates, terminated. */
static int suggest_short_buffer(char *why)
{
  char out[8];

  optname_suggest("re", 2, names, NNAMES, out, sizeof(out));
  CHECK_UINT(strlen(out), sizeof(out) - 1);
  CHECK(strncmp(out, "--retri", 7) == 0);
  return 0;
}

static int foreign_names(char *why)
{
  const char *h;

  h = optname_foreign("--fail", 6);
  CHECK(h != NULL);
  CHECK_HAS(h, "--fail-fast stops the run at the first failure");
  h = optname_foreign("-np", 3);
  CHECK(h != NULL);
  CHECK_HAS(h, "--include");
  CHECK(optname_foreign("-O", 2) != NULL);
  CHECK(optname_foreign("--output-dir", 12) != NULL);
  CHECK(optname_foreign("--tries", 7) != NULL);
  CHECK(optname_foreign("-l", 2) != NULL);
  /* Whole words only: neither a prefix nor a longer word. */
  CHECK(optname_foreign("--fai", 5) == NULL);
  CHECK(optname_foreign("--failure", 9) == NULL);
  CHECK(optname_foreign("-n", 2) == NULL);
  CHECK(optname_foreign("", 0) == NULL);
  /* volley's own names are not foreign. */
  CHECK(optname_foreign("--fail-fast", 11) == NULL);
  CHECK(optname_foreign("--retry", 7) == NULL);
  return 0;
}

static const struct tap_case cases[] = {
  { "distance: Levenshtein on the first la bytes", distance },
  { "distance: long names cut at NAME_CMP_MAX", distance_long },
  { "suggest: the names a prefix begins", suggest_prefixes },
  { "suggest: the nearest by edit distance, or none", suggest_nearest },
  { "suggest: a short buffer stays terminated", suggest_short_buffer },
  { "foreign: curl's and wget's names, whole words", foreign_names },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
