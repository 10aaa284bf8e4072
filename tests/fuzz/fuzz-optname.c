/* Fuzzes the option-name helpers (optname.c) behind the message for an
 * unknown option, with any typed word and any list of names. The
 * promises: the edit distance is a metric on names cut at NAME_CMP_MAX
 * bytes (zero only for equal names, symmetric, the triangle inequality,
 * between the difference of the lengths and the longer length); a
 * suggestion names only options of the list, those the word begins when
 * there are any, else those nearest to it and near enough, at most three
 * and ", ..." when there are more, and fits the buffer; a foreign name's
 * hint is one line. cli.c's harness reaches the same code through
 * cli_parse(); this one checks what it says. Input: the typed word, then
 * up to 12 names, NUL-separated (names longer than NAME_CMP_MAX or of
 * other bytes than [a-z0-9-] are left out, as option names are). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "optname.h"

#define MAX_NAMES 12

static size_t cut(size_t n)
{
  return n > NAME_CMP_MAX ? NAME_CMP_MAX : n;
}

/* Whether "s" may be an option name: 1 to NAME_CMP_MAX of [a-z0-9-]
 * (so that three suggestions always fit the 256 bytes given). */
static bool name_chars(const char *s)
{
  size_t n = strlen(s);

  return n && n <= NAME_CMP_MAX &&
         strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* The distance of two names, a check of its bounds and symmetry. */
static size_t dist(const char *a, const char *b)
{
  size_t la = cut(strlen(a)), lb = cut(strlen(b));
  size_t d = optname_distance(a, strlen(a), b);

  FUZZ_CHECK(d == optname_distance(b, strlen(b), a),
             "distance('%s', '%s') is not symmetric", a, b);
  FUZZ_CHECK(d <= (la > lb ? la : lb) && d >= (la > lb ? la - lb : lb - la),
             "distance('%s', '%s') = %zu out of its bounds", a, b, d);
  FUZZ_CHECK((d == 0) == (la == lb && memcmp(a, b, la) == 0),
             "distance('%s', '%s') = %zu", a, b, d);
  return d;
}

/* Whether the "len" bytes of "word" begin "name". */
static bool begins(const char *name, const char *word, size_t len)
{
  return len && strlen(name) >= len && memcmp(name, word, len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader r = { data, size };
  char *word = fuzz_str(&r), *names[MAX_NAMES], out[256], small[24];
  const char *list[MAX_NAMES], *hint, *p;
  size_t n = 0, i, j, k, len = strlen(word), best = (size_t)-1, nbegin = 0;
  size_t near = len / 3 > 2 ? len / 3 : 2, nwant, nout = 0;
  size_t d[MAX_NAMES + 1][MAX_NAMES + 1];

  while (r.n && n < MAX_NAMES) {
    names[n] = fuzz_str(&r);
    if (name_chars(names[n])) {
      list[n] = names[n];
      n++;
    } else {
      free(names[n]);
    }
  }

  /* The metric, on the word and the names: d[n] is the word. */
  for (i = 0; i < n; i++) {
    for (j = 0; j <= i; j++)
      d[i][j] = d[j][i] = dist(list[i], list[j]);
    d[i][n] = d[n][i] = dist(word, list[i]);
    if (begins(list[i], word, len))
      nbegin++;
    if (d[i][n] < best)
      best = d[i][n];
  }
  for (i = 0; i < n; i++)
    for (j = 0; j <= n; j++)
      for (k = 0; k <= n; k++)
        FUZZ_CHECK(d[i][k] <= d[i][j] + d[j][k],
                   "the triangle inequality fails for names %zu, %zu, %zu", i,
                   j, k);

  /* The suggestion: which names it may hold, parsed back. */
  optname_suggest(word, len, list, n, out, sizeof(out));
  FUZZ_CHECK(memchr(out, '\0', sizeof(out)), "no NUL in the buffer");
  nwant = 0;
  for (i = 0; i < n; i++)
    if (nbegin ? begins(list[i], word, len) : best <= near && d[i][n] == best)
      nwant++;
  p = out;
  while (*p) {
    size_t w;

    if (nout) {
      if (strcmp(p, ", ...") == 0) {
        p += strlen(p);
        break;
      }
      FUZZ_CHECK(strncmp(p, ", ", 2) == 0 || strncmp(p, " or ", 4) == 0,
                 "no separator at '%s' in '%s'", p, out);
      p += *p == ',' ? 2 : 4;
    }
    FUZZ_CHECK(strncmp(p, "--", 2) == 0, "no -- at '%s' in '%s'", p, out);
    p += 2;
    w = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
    for (i = 0; i < n; i++)
      if (strlen(list[i]) == w && memcmp(list[i], p, w) == 0)
        break;
    FUZZ_CHECK(i < n, "'%.*s' is not in the list: '%s'", (int)w, p, out);
    FUZZ_CHECK(nbegin ? begins(list[i], word, len)
                      : best <= near && d[i][n] == best,
               "'--%s' should not be suggested for '%s'", list[i], word);
    nout++;
    p += w;
  }
  FUZZ_CHECK(nout == (nwant < 3 ? nwant : 3), "%zu names suggested, not %zu",
             nout, nwant < 3 ? nwant : 3);
  FUZZ_CHECK((strstr(out, ", ...") != NULL) == (nwant > 3),
             "', ...' with %zu names to suggest: '%s'", nwant, out);

  /* A small buffer is never overrun (ASan watches), and holds a prefix. */
  optname_suggest(word, len, list, n, small, sizeof(small));
  FUZZ_CHECK(strlen(small) < sizeof(small) &&
                 strncmp(small, out, strlen(small)) == 0,
             "the small buffer holds '%s', not a prefix of '%s'", small, out);

  hint = optname_foreign(word, len);
  FUZZ_CHECK(!hint || (*hint && !strchr(hint, '\n')),
             "a foreign name's hint is not one line");

  for (i = 0; i < n; i++)
    free(names[i]);
  free(word);
  return 0;
}
