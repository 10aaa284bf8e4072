/* Unit tests of robots.c: which groups of a robots.txt apply to volley,
 * and the RFC 9309 matcher (longest match, Allow on ties, '*', '$',
 * percent-encoding). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "robots.h"
#include "tap.h"
#include "util.h"

#define AGENT "volley/0.1.0"

static struct robots *parse(const char *text)
{
  return robots_parse(text, strlen(text), AGENT);
}

/* Check that "text" parsed for "agent" gives "want" for "path". */
static int allows(char *why, const char *text, const char *agent,
                  const char *path, bool want)
{
  struct robots *r = robots_parse(text, strlen(text), agent);
  bool got = robots_allowed(r, path);

  robots_free(r);
  if (got != want)
    return tap_fail(why, __FILE__, __LINE__, "%s: %s, want %s", path,
                    got ? "allowed" : "disallowed",
                    want ? "allowed" : "disallowed");
  return 0;
}

static int empty_allows_all(char *why)
{
  struct robots *r = robots_parse("", 0, AGENT);

  CHECK(robots_allowed(r, "/"));
  CHECK(robots_allowed(r, "/any/thing?x=1"));
  CHECK(robots_crawl_delay(r) == 0);
  robots_free(r);
  return 0;
}

static int null_text_allows_all(char *why)
{
  struct robots *r = robots_parse(NULL, 0, AGENT);

  CHECK(robots_allowed(r, "/x"));
  robots_free(r);
  return 0;
}

static int null_robots_allows(char *why)
{
  CHECK(robots_allowed(NULL, "/x"));
  CHECK(robots_crawl_delay(NULL) == 0);
  robots_free(NULL);
  return 0;
}

static int star_disallow_all(char *why)
{
  const char *t = "User-agent: *\nDisallow: /\n";

  if (allows(why, t, AGENT, "/", false) ||
      allows(why, t, AGENT, "/a/b", false))
    return -1;
  return 0;
}

static int empty_disallow_allows(char *why)
{
  return allows(why, "User-agent: *\nDisallow:\n", AGENT, "/a", true);
}

static int own_group_beats_star(char *why)
{
  const char *t = "User-agent: *\nDisallow: /\n\n"
                  "User-agent: volley\nDisallow: /private\n";

  if (allows(why, t, AGENT, "/public", true) ||
      allows(why, t, AGENT, "/private/x", false))
    return -1;
  return allows(why, t, "otherbot/2", "/public", false);
}

static int own_empty_group_allows_all(char *why)
{
  const char *t = "User-agent: *\nDisallow: /\n\nUser-agent: volley\n";

  /* A group naming volley with no rules still is volley's group. */
  return allows(why, t, AGENT, "/x", true);
}

static int blank_line_keeps_group(char *why)
{
  const char *t = "User-agent: volley\n\nUser-agent: *\nDisallow: /\n";

  /* RFC 9309 gives blank lines no meaning: both names share the rules. */
  return allows(why, t, AGENT, "/x", false);
}

static int agent_case_insensitive(char *why)
{
  const char *t = "User-agent: VOLLEY\nDisallow: /x\n";

  return allows(why, t, "Volley/9", "/x", false);
}

static int agent_line_with_version(char *why)
{
  const char *t = "User-agent: volley/1.0 (+https://example.com)\n"
                  "Disallow: /x\n";

  return allows(why, t, AGENT, "/x", false);
}

static int agent_prefix_not_a_match(char *why)
{
  const char *t = "User-agent: vol\nDisallow: /\n";

  return allows(why, t, AGENT, "/x", true);
}

static int agent_longer_not_a_match(char *why)
{
  const char *t = "User-agent: volleyball\nDisallow: /\n";

  return allows(why, t, AGENT, "/x", true);
}

static int most_specific_agent(char *why)
{
  const char *t = "User-agent: volley\nDisallow: /a\n\n"
                  "User-agent: volley-news\nDisallow: /b\n";

  if (allows(why, t, "volley-news/1", "/a", true) ||
      allows(why, t, "volley-news/1", "/b", false))
    return -1;
  if (allows(why, t, AGENT, "/a", false) || allows(why, t, AGENT, "/b", true))
    return -1;
  return 0;
}

static int more_general_agent_group(char *why)
{
  const char *t = "User-agent: *\nDisallow: /\n\n"
                  "User-agent: volley\nDisallow: /a\n";

  /* volley-news has no group of its own: volley's applies, not "*". */
  if (allows(why, t, "volley-news/1", "/a", false) ||
      allows(why, t, "volley-news/1", "/b", true))
    return -1;
  return 0;
}

static int no_agent_token_uses_star(char *why)
{
  const char *t = "User-agent: volley\nDisallow: /a\n\n"
                  "User-agent: *\nDisallow: /b\n";

  if (allows(why, t, "", "/a", true) || allows(why, t, NULL, "/b", false))
    return -1;
  return 0;
}

static int agent_lines_share_group(char *why)
{
  const char *t = "User-agent: a\nUser-agent: volley\nUser-agent: b\n"
                  "Disallow: /x\n";

  return allows(why, t, AGENT, "/x", false);
}

static int agent_after_rules_new_group(char *why)
{
  const char *t = "User-agent: volley\nDisallow: /x\n"
                  "User-agent: other\nDisallow: /y\n";

  if (allows(why, t, AGENT, "/x", false) || allows(why, t, AGENT, "/y", true))
    return -1;
  return 0;
}

static int groups_merged(char *why)
{
  const char *t = "User-agent: volley\nDisallow: /x\n\n"
                  "User-agent: other\nDisallow: /y\n\n"
                  "User-agent: volley\nDisallow: /z\n";

  if (allows(why, t, AGENT, "/x", false) ||
      allows(why, t, AGENT, "/z", false) || allows(why, t, AGENT, "/y", true))
    return -1;
  return 0;
}

static int star_groups_merged(char *why)
{
  const char *t = "User-agent: *\nDisallow: /x\n\n"
                  "User-agent: *\nDisallow: /y\n";

  if (allows(why, t, AGENT, "/x", false) || allows(why, t, AGENT, "/y", false))
    return -1;
  return 0;
}

static int rules_before_agent_ignored(char *why)
{
  return allows(why, "Disallow: /\nUser-agent: *\nDisallow: /x\n", AGENT, "/y",
                true);
}

static int sitemap_keeps_group(char *why)
{
  const char *t = "User-agent: volley\nSitemap: http://x/s.xml\n"
                  "User-agent: other\nDisallow: /x\n";

  return allows(why, t, AGENT, "/x", false);
}

static int prefix_match(char *why)
{
  const char *t = "User-agent: *\nDisallow: /fish\n";

  if (allows(why, t, AGENT, "/fish", false) ||
      allows(why, t, AGENT, "/fish.html", false) ||
      allows(why, t, AGENT, "/fishheads/x", false) ||
      allows(why, t, AGENT, "/Fish", true) ||
      allows(why, t, AGENT, "/catfish", true))
    return -1;
  return 0;
}

static int longest_match_wins(char *why)
{
  const char *t = "User-agent: *\nDisallow: /a\nAllow: /a/b\n";

  if (allows(why, t, AGENT, "/a/b/c", true) ||
      allows(why, t, AGENT, "/a/c", false))
    return -1;
  return 0;
}

static int longest_disallow_wins(char *why)
{
  const char *t = "User-agent: *\nAllow: /a\nDisallow: /a/secret\n";

  if (allows(why, t, AGENT, "/a/secret/1", false) ||
      allows(why, t, AGENT, "/a/open", true))
    return -1;
  return 0;
}

static int allow_wins_tie(char *why)
{
  const char *t = "User-agent: *\nDisallow: /p\nAllow: /p\n";

  if (allows(why, t, AGENT, "/page", true))
    return -1;
  t = "User-agent: *\nAllow: /p\nDisallow: /p\n";
  return allows(why, t, AGENT, "/page", true);
}

static int wildcard_suffix(char *why)
{
  const char *t = "User-agent: *\nDisallow: /*.php\n";

  if (allows(why, t, AGENT, "/index.php", false) ||
      allows(why, t, AGENT, "/a/b.php?x=1", false) ||
      allows(why, t, AGENT, "/a.html", true))
    return -1;
  return 0;
}

static int wildcard_middle(char *why)
{
  const char *t = "User-agent: *\nDisallow: /a*b*c\n";

  if (allows(why, t, AGENT, "/aXXbYYc", false) ||
      allows(why, t, AGENT, "/abc", false) ||
      allows(why, t, AGENT, "/acb", true))
    return -1;
  return 0;
}

static int dollar_anchor(char *why)
{
  const char *t = "User-agent: *\nDisallow: /*.php$\n";

  if (allows(why, t, AGENT, "/a.php", false) ||
      allows(why, t, AGENT, "/a.php?x=1", true) ||
      allows(why, t, AGENT, "/a.php5", true))
    return -1;
  return 0;
}

static int dollar_root_only(char *why)
{
  const char *t = "User-agent: *\nDisallow: /$\n";

  if (allows(why, t, AGENT, "/", false) || allows(why, t, AGENT, "/a", true))
    return -1;
  return 0;
}

static int dollar_longer_than_plain(char *why)
{
  const char *t = "User-agent: *\nAllow: /$\nDisallow: /\n";

  if (allows(why, t, AGENT, "/", true) || allows(why, t, AGENT, "/a", false))
    return -1;
  return 0;
}

static int query_matched(char *why)
{
  const char *t = "User-agent: *\nDisallow: /search?q=\n";

  if (allows(why, t, AGENT, "/search?q=cats", false) ||
      allows(why, t, AGENT, "/search", true) ||
      allows(why, t, AGENT, "/search?page=2", true))
    return -1;
  return 0;
}

static int percent_unreserved_equal(char *why)
{
  if (allows(why, "User-agent: *\nDisallow: /%7Efoo\n", AGENT, "/~foo",
             false) ||
      allows(why, "User-agent: *\nDisallow: /~foo\n", AGENT, "/%7efoo", false))
    return -1;
  return 0;
}

static int percent_case_insensitive(char *why)
{
  return allows(why, "User-agent: *\nDisallow: /a%3cb\n", AGENT, "/a%3Cb",
                false);
}

static int percent_reserved_distinct(char *why)
{
  const char *t = "User-agent: *\nDisallow: /a%2Fb\n";

  if (allows(why, t, AGENT, "/a/b", true) ||
      allows(why, t, AGENT, "/a%2fb", false))
    return -1;
  return 0;
}

static int percent_non_ascii(char *why)
{
  const char *t = "User-agent: *\nDisallow: /caf\xc3\xa9\n";

  if (allows(why, t, AGENT, "/caf%C3%A9", false) ||
      allows(why, t, AGENT, "/caf%c3%a9/x", false) ||
      allows(why, t, AGENT, "/cafe", true))
    return -1;
  return 0;
}

static int robots_txt_always_allowed(char *why)
{
  const char *t = "User-agent: *\nDisallow: /\n";

  if (allows(why, t, AGENT, "/robots.txt", true) ||
      allows(why, t, AGENT, "/robots.txt?x", true) ||
      allows(why, t, AGENT, "/robots.txt2", false))
    return -1;
  return 0;
}

static int empty_path_is_root(char *why)
{
  const char *t = "User-agent: *\nDisallow: /$\n";

  if (allows(why, t, AGENT, "", false) || allows(why, t, AGENT, NULL, false))
    return -1;
  return 0;
}

static int missing_slash_read_as_path(char *why)
{
  return allows(why, "User-agent: *\nDisallow: private/\n", AGENT,
                "/private/x", false);
}

static int crawl_delay_own_group(char *why)
{
  struct robots *r = parse("User-agent: *\nCrawl-delay: 9\n\n"
                           "User-agent: volley\nCrawl-delay: 2.5\n");
  double d = robots_crawl_delay(r);

  robots_free(r);
  CHECK(d == 2.5);
  return 0;
}

static int crawl_delay_star(char *why)
{
  struct robots *r = parse("User-agent: *\nCrawl-delay: 3\nDisallow: /x\n");
  double d = robots_crawl_delay(r);

  robots_free(r);
  CHECK(d == 3);
  return 0;
}

static int crawl_delay_first_valid(char *why)
{
  struct robots *r = parse("User-agent: *\nCrawl-delay: soon\n"
                           "Crawl-delay: -1\nCrawl-delay: .5\n"
                           "Crawl-delay: 7\n");
  double d = robots_crawl_delay(r);

  robots_free(r);
  CHECK(d == 0.5);
  return 0;
}

/* Any number of digits: clamped to VL_DURATION_MAX_MS, so that the
 * crawl's scheduler never converts an out-of-range double. */
static int crawl_delay_clamped(char *why)
{
  static const char head[] = "User-agent: *\nCrawl-delay: ";
  static char big[sizeof(head) + 502];
  struct robots *r = parse("User-agent: *\n"
                           "Crawl-delay: 99999999999999999999999\n");
  double d = robots_crawl_delay(r);

  robots_free(r);
  CHECK(d == (double)(VL_DURATION_MAX_MS / 1000));
  /* 500 digits: past what a double holds, infinity once read. */
  memcpy(big, head, sizeof(head) - 1);
  memset(big + sizeof(head) - 1, '9', 500);
  memcpy(big + sizeof(head) - 1 + 500, "\n", 2);
  r = parse(big);
  d = robots_crawl_delay(r);
  robots_free(r);
  CHECK(d == (double)(VL_DURATION_MAX_MS / 1000));
  r = parse("User-agent: *\nCrawl-delay: 31622399.5\n");
  d = robots_crawl_delay(r);
  robots_free(r);
  CHECK(d == 31622399.5);
  return 0;
}

static int crawl_delay_none(char *why)
{
  struct robots *r = parse("User-agent: *\nDisallow: /x\n");
  double d = robots_crawl_delay(r);

  robots_free(r);
  CHECK(d == 0);
  return 0;
}

static int crawl_delay_other_agent_ignored(char *why)
{
  struct robots *r = parse("User-agent: other\nCrawl-delay: 5\n");
  double d = robots_crawl_delay(r);

  robots_free(r);
  CHECK(d == 0);
  return 0;
}

static int crlf_comments_bom(char *why)
{
  const char *t = "\xEF\xBB\xBFUser-agent: * # everyone\r\n"
                  "# a comment line\r\n"
                  "Disallow: /x # not /y\r\n";

  if (allows(why, t, AGENT, "/x", false) || allows(why, t, AGENT, "/y", true))
    return -1;
  return 0;
}

static int cr_only_lines(char *why)
{
  return allows(why, "User-agent: *\rDisallow: /x\r", AGENT, "/x", false);
}

static int junk_lines_skipped(char *why)
{
  const char *t = "<html><body>Not Found</body></html>\n"
                  "User-agent: *\n"
                  "this line has no colon\n"
                  "Unknown-field: value\n"
                  ": empty key\n"
                  "Disallow: /x\n";

  if (allows(why, t, AGENT, "/x", false) || allows(why, t, AGENT, "/y", true))
    return -1;
  return 0;
}

static int html_page_allows_all(char *why)
{
  return allows(why, "<!doctype html><title>404</title>", AGENT, "/x", true);
}

static int keys_case_and_blanks(char *why)
{
  const char *t = "  USER-AGENT  :  *  \n\tDISALLOW\t:\t/x\t\n";

  return allows(why, t, AGENT, "/x", false);
}

static int misspelt_disallow(char *why)
{
  return allows(why, "User-agent: *\nDissallow: /x\n", AGENT, "/x", false);
}

static int nul_in_text(char *why)
{
  static const char t[] = "User-agent: *\nDisallow: /x\0junk\nDisallow: /y\n";
  struct robots *r = robots_parse(t, sizeof(t) - 1, AGENT);

  CHECK(!robots_allowed(r, "/y"));
  robots_free(r);
  return 0;
}

static int many_stars_stay_fast(char *why)
{
  static char path[20001];
  struct robots *r = parse("User-agent: *\n"
                           "Disallow: /*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b$\n");
  clock_t t0 = clock();
  bool ok;

  path[0] = '/';
  memset(path + 1, 'a', sizeof(path) - 2);
  ok = robots_allowed(r, path);
  robots_free(r);
  CHECK(ok);
  CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
  return 0;
}

/* A path of "len" bytes: '/', then 'a's ("len" - 2 of them), then the
 * final byte "last"; malloc'd. */
static char *long_path(size_t len, char last)
{
  char *p = malloc(len + 1);

  if (!p)
    return NULL;
  p[0] = '/';
  memset(p + 1, 'a', len - 2);
  p[len - 1] = last;
  p[len] = '\0';
  return p;
}

/* "n" rules of 40 stars each, as a hostile robots.txt has them. */
static char *star_rules(size_t n)
{
  static const char head[] = "User-agent: *\n";
  const char *rule = "Disallow: /*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a"
                     "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n";
  size_t rl = strlen(rule), i;
  char *t = malloc(sizeof(head) + n * rl);

  if (!t)
    return NULL;
  memcpy(t, head, sizeof(head) - 1);
  for (i = 0; i < n; i++)
    memcpy(t + sizeof(head) - 1 + i * rl, rule, rl);
  t[sizeof(head) - 1 + n * rl] = '\0';
  return t;
}

/* Each rule is matched in time linear in the path: a few rules of many
 * stars against 20,000-byte paths give the right answers. */
static int star_rules_matched(char *why)
{
  char *t = star_rules(8), *no_b = long_path(20000, 'a'),
       *with_b = long_path(20000, 'b');
  struct robots *r = t ? parse(t) : NULL;

  CHECK(r && no_b && with_b);
  CHECK(robots_allowed(r, no_b));
  CHECK(!robots_allowed(r, with_b));
  robots_free(r);
  free(t);
  free(no_b);
  free(with_b);
  return 0;
}

/* 500 KiB of such rules against a 20,000-byte path would be a billion
 * comparisons: past ROBOTS_MAX_STEPS the answer is "disallowed". */
static int star_flood_disallowed(char *why)
{
  char *t = star_rules(ROBOTS_MAX_BYTES / 100), *path = long_path(20000, 'a');
  struct robots *r = t ? parse(t) : NULL;

  CHECK(r && path);
  CHECK(!robots_allowed(r, path));
  /* A short path stays cheap enough to be answered. */
  CHECK(robots_allowed(r, "/aaaa"));
  robots_free(r);
  free(t);
  free(path);
  return 0;
}

/* Stars, '$' and runs between them, against the linear matcher. */
static int star_segments(char *why)
{
  static const struct {
    const char *rule, *path;
    bool allowed;
  } rows[] = {
    { "/a*b*c", "/axbyc", false },    { "/a*b*c", "/axbyd", true },
    { "/a*b*c$", "/abcbc", false },   { "/a*b*c$", "/abcbcx", true },
    { "/*aab", "/aaab", false },      { "/*abab$", "/ababab", false },
    { "/*ab*ab$", "/abab", false },   { "/*ab*ab$", "/aba", true },
    { "/x**y", "/xy", false },        { "/*", "/", false },
    { "/a*$", "/a", false },          { "/*.pdf$", "/x.pdf?", true },
    { "/*.pdf$", "/x/y.pdf", false }, { "/a*aa*aaa$", "/aaaaaa", false },
    { "/a*aa*aaa$", "/aaaaa", true },
  };
  size_t i;

  for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    char text[128];

    snprintf(text, sizeof(text), "User-agent: *\nDisallow: %s\n",
             rows[i].rule);
    if (allows(why, text, AGENT, rows[i].path, rows[i].allowed) < 0)
      return -1;
  }
  return 0;
}

/* Only the first ROBOTS_MAX_BYTES are read, to the last line end. */
static int bytes_capped(char *why)
{
  size_t pad = ROBOTS_MAX_BYTES - 10, len;
  char *t = malloc(pad + 200);
  struct robots *r;

  CHECK(t != NULL);
  memcpy(t, "User-agent: *\nDisallow: /early\n#", 32);
  memset(t + 32, 'x', pad - 32);
  t[pad - 1] = '\n';
  /* This line straddles the cap: dropped whole, not cut to "/st". */
  len = pad + (size_t)sprintf(t + pad, "Disallow: /straddling-the-cap\n"
                                       "Disallow: /late\n");
  r = robots_parse(t, len, AGENT);
  CHECK(!robots_allowed(r, "/early"));
  CHECK(robots_allowed(r, "/st"));
  CHECK(robots_allowed(r, "/straddling-the-cap"));
  CHECK(robots_allowed(r, "/late"));
  robots_free(r);
  free(t);
  return 0;
}

/* robots_size: grows with the rules kept, covers at least their bytes,
 * and is about 5 MB at most for 500 KiB of the shortest rules. */
static int size_counts_rules(char *why)
{
  size_t cap = ROBOTS_MAX_BYTES, len = 0, small, big;
  char *t = malloc(cap + 64);
  struct robots *r;

  CHECK(t != NULL);
  CHECK(robots_size(NULL) == 0);
  r = robots_parse("User-agent: *\nDisallow: /a\n", 26, AGENT);
  small = robots_size(r);
  robots_free(r);
  CHECK(small > 0 && small < 1024);
  len = (size_t)sprintf(t, "User-agent: *\n");
  while (len + 8 < cap)
    len += (size_t)sprintf(t + len, "Allow:/\n");
  r = robots_parse(t, len, AGENT);
  big = robots_size(r);
  robots_free(r);
  free(t);
  /* 64,000 rules: their vector and their strings, 2 bytes each. */
  CHECK(big > 64000 * (2 + sizeof(void *)));
  CHECK(big < 6 * 1024 * 1024);
  return 0;
}

static const struct tap_case cases[] = {
  { "empty text allows everything, no crawl-delay", empty_allows_all },
  { "no file (NULL) allows everything", null_text_allows_all },
  { "a NULL robots allows; robots_free(NULL) is fine", null_robots_allows },
  { "User-agent: * / Disallow: / blocks everything", star_disallow_all },
  { "an empty Disallow allows everything", empty_disallow_allows },
  { "volley's own group beats *", own_group_beats_star },
  { "volley's group with no rules allows all despite *",
    own_empty_group_allows_all },
  { "a blank line does not end the user-agent lines", blank_line_keeps_group },
  { "user-agent names match case-insensitively", agent_case_insensitive },
  { "a user-agent line with a version and comment matches",
    agent_line_with_version },
  { "a shorter name that is not a token prefix does not match",
    agent_prefix_not_a_match },
  { "a longer name does not match", agent_longer_not_a_match },
  { "the most specific agent name wins", most_specific_agent },
  { "volley-news falls back to volley's group before *",
    more_general_agent_group },
  { "an agent with no token obeys *", no_agent_token_uses_star },
  { "consecutive user-agent lines share a group", agent_lines_share_group },
  { "a user-agent line after rules starts a new group",
    agent_after_rules_new_group },
  { "groups for the same agent are merged", groups_merged },
  { "several * groups are merged", star_groups_merged },
  { "rules before any user-agent line are ignored",
    rules_before_agent_ignored },
  { "a Sitemap line does not end the user-agent lines", sitemap_keeps_group },
  { "a rule matches path prefixes, case-sensitively", prefix_match },
  { "the longest match wins: Allow /a/b over Disallow /a",
    longest_match_wins },
  { "the longest match wins: Disallow /a/secret over Allow /a",
    longest_disallow_wins },
  { "Allow wins a tie, whatever the order", allow_wins_tie },
  { "* matches any run: /*.php", wildcard_suffix },
  { "several * in one rule", wildcard_middle },
  { "$ anchors the end: /*.php$", dollar_anchor },
  { "Disallow: /$ blocks the root only", dollar_root_only },
  { "Allow: /$ outweighs Disallow: / at the root", dollar_longer_than_plain },
  { "the query is part of the matched path", query_matched },
  { "%7E and ~ are the same", percent_unreserved_equal },
  { "percent-encoding hex is compared case-insensitively",
    percent_case_insensitive },
  { "%2F is not a /", percent_reserved_distinct },
  { "raw UTF-8 in a rule matches its %XX form", percent_non_ascii },
  { "/robots.txt is always allowed", robots_txt_always_allowed },
  { "an empty or NULL path is /", empty_path_is_root },
  { "Disallow: private/ is read as /private/", missing_slash_read_as_path },
  { "Crawl-delay of volley's group, with a fraction", crawl_delay_own_group },
  { "Crawl-delay of the * group", crawl_delay_star },
  { "junk Crawl-delay values are skipped, the first valid one kept",
    crawl_delay_first_valid },
  { "no Crawl-delay gives 0", crawl_delay_none },
  { "a huge Crawl-delay is clamped to 366 days", crawl_delay_clamped },
  { "another agent's Crawl-delay is not ours",
    crawl_delay_other_agent_ignored },
  { "CRLF, comments and a UTF-8 BOM", crlf_comments_bom },
  { "CR-only line ends", cr_only_lines },
  { "junk lines are skipped", junk_lines_skipped },
  { "an HTML error page served as robots.txt allows all",
    html_page_allows_all },
  { "keys in any case, blanks around key and value", keys_case_and_blanks },
  { "the Dissallow misspelling is understood", misspelt_disallow },
  { "a NUL byte in the file does not end it", nul_in_text },
  { "15 stars against a 20,000-byte path stay fast", many_stars_stay_fast },
  { "rules of 40 stars against 20,000-byte paths: right answers",
    star_rules_matched },
  { "500 KiB of star rules: a long path is disallowed, a short one not",
    star_flood_disallowed },
  { "stars and '$': runs matched where they first occur", star_segments },
  { "only the first 500 KiB are read, to a line end", bytes_capped },
  { "robots_size: counts the rules kept, about 5 MB at most",
    size_counts_rules },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
