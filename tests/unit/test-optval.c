/* Unit tests of optval.c: status lists, rates, shards, --resolve entries
 * and VOLLEY_OPTS words, each valid and invalid. One row per case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "optval.h"
#include "tap.h"

static int codes(char *why)
{
  static const char *const bad[] = { "",    ",",   "500,",     ",500",   "99",
                                     "600", "5x0", "500,,502", "1234567" };
  bool set[600] = { false };
  size_t i;

  set[404] = true;
  CHECK_INT(optval_parse_codes(set, "500,502"), 0);
  CHECK(set[500] && set[502] && !set[404] && !set[501]);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    if (optval_parse_codes(set, bad[i]) == 0)
      return tap_fail(why, __FILE__, __LINE__, "'%s' accepted", bad[i]);
    CHECK(set[500] && set[502] && !set[404]); /* unchanged */
  }
  return 0;
}

static int rate(char *why)
{
  static const char *const bad[] = { "",    "0",    "-1",   " 5",   "+5",
                                     "inf", "nan",  "5/h",  "5/",   "/s",
                                     "2e9", "5/ss", "0x10", "0x1p4" };
  double r = 7;
  size_t i;

  CHECK_INT(optval_parse_rate("10", &r), 0);
  CHECK(r == 10);
  CHECK_INT(optval_parse_rate("10/s", &r), 0);
  CHECK(r == 10);
  CHECK_INT(optval_parse_rate("600/m", &r), 0);
  CHECK(r == 10);
  CHECK_INT(optval_parse_rate(".5", &r), 0);
  CHECK(r == 0.5);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    if (optval_parse_rate(bad[i], &r) == 0)
      return tap_fail(why, __FILE__, __LINE__, "'%s' accepted", bad[i]);
    CHECK(r == 0.5);
  }
  return 0;
}

static int shard(char *why)
{
  static const char *const bad[] = {
    "", "1", "/2", "1/", "2/2", "3/2", "0/0", "-1/2", "a/b", "0/1000001"
  };
  unsigned k = 9, n = 9;
  size_t i;

  CHECK_INT(optval_parse_shard("0/1", &k, &n), 0);
  CHECK(k == 0 && n == 1);
  CHECK_INT(optval_parse_shard("3/4", &k, &n), 0);
  CHECK(k == 3 && n == 4);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    if (optval_parse_shard(bad[i], &k, &n) == 0)
      return tap_fail(why, __FILE__, __LINE__, "'%s' accepted", bad[i]);
    CHECK(k == 3 && n == 4);
  }
  return 0;
}

static int resolve(char *why)
{
  static const char *const good[] = { "a.example:80:127.0.0.1", "+a:443:::1",
                                      "a:443:[::1]", "a:1:10.0.0.1,10.0.0.2",
                                      "a:65535:[::1],127.0.0.1" };
  static const char *const bad[] = { "",
                                     "a",
                                     "a:80",
                                     ":80:127.0.0.1",
                                     "a:0:127.0.0.1",
                                     "a:65536:127.0.0.1",
                                     "a:80:",
                                     "a:80:localhost",
                                     "a:80:127.0.0.1,",
                                     "a:80:[127.0.0.1" };
  size_t i;

  for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
    if (optval_check_resolve(good[i]) != 0)
      return tap_fail(why, __FILE__, __LINE__, "'%s' refused", good[i]);
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if (optval_check_resolve(bad[i]) == 0)
      return tap_fail(why, __FILE__, __LINE__, "'%s' accepted", bad[i]);
  return 0;
}

static int split_words(char *why)
{
  char **w;

  CHECK_INT(optval_split_words("", &w), 0);
  CHECK(w && !w[0]);
  optval_free_words(w);
  CHECK_INT(optval_split_words(" -c 5\t-H 'A: b c' \"x\\\"y\" a\\ b\n", &w),
            6);
  CHECK_STREQ(w[0], "-c");
  CHECK_STREQ(w[1], "5");
  CHECK_STREQ(w[2], "-H");
  CHECK_STREQ(w[3], "A: b c");
  CHECK_STREQ(w[4], "x\"y");
  CHECK_STREQ(w[5], "a b");
  CHECK(!w[6]);
  optval_free_words(w);
  /* '$' and '*' stay as they are: no expansions. */
  CHECK_INT(optval_split_words("'$HOME' *", &w), 2);
  CHECK_STREQ(w[0], "$HOME");
  CHECK_STREQ(w[1], "*");
  optval_free_words(w);
  CHECK_INT(optval_split_words("-A 'unclosed", &w), -1);
  CHECK(w != NULL);
  optval_free_words(w);
  optval_free_words(NULL);
  return 0;
}

static const struct tap_case cases[] = {
  { "status lists: 100-599, commas, all or nothing", codes },
  { "rates: R, R/s, R/m; nothing strtod alone would take", rate },
  { "shards: K/N with K < N", shard },
  { "--resolve: HOST:PORT:ADDR[,ADDR]", resolve },
  { "VOLLEY_OPTS words: quotes, backslashes, no expansions", split_words },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
