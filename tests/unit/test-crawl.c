/* Unit tests of crawl.c (the frontier and its scope), savename.c (file
 * names for --save) and sha256.c. One row per case. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "crawl.h"
#include "savename.h"
#include "sha256.h"
#include "tap.h"

static int sha256_vectors(char *why)
{
  char out[65];
  char big[1000];

  sha256_hex("", 0, out);
  CHECK_STREQ(
      out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sha256_hex("abc", 3, out);
  CHECK_STREQ(
      out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  /* 56 bytes: the padding spills into a second block. */
  sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
             out);
  CHECK_STREQ(
      out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  memset(big, 'a', sizeof(big));
  sha256_hex(big, sizeof(big), out);
  CHECK_STREQ(
      out, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  return 0;
}

static int savename_plain(char *why)
{
  struct savename_facts f = { "12", "example.com", "http://example.com/",
                              "text/html; charset=utf-8" };
  char out[256];

  savename_expand("{id}{ext}", &f, out, sizeof(out));
  CHECK_STREQ(out, "12.html");
  savename_expand("{host}-{id}{ext}", &f, out, sizeof(out));
  CHECK_STREQ(out, "example.com-12.html");
  return 0;
}

static int savename_sanitised(char *why)
{
  struct savename_facts f = { "../../etc/passwd", "a/b", "u", NULL };
  char out[256];

  savename_expand("../{id}/{host}{ext}", &f, out, sizeof(out));
  CHECK(strchr(out, '/') == NULL);
  CHECK(out[0] != '.');
  CHECK_STREQ(out, "_._.._.._etc_passwd_a_b.bin");
  f.id = "..";
  savename_expand("{id}", &f, out, sizeof(out));
  CHECK_STREQ(out, "_.");
  f.id = "";
  savename_expand("{id}", &f, out, sizeof(out));
  CHECK_STREQ(out, "_");
  return 0;
}

static int savename_sha256(char *why)
{
  struct savename_facts f = { "1", "h", "abc", NULL };
  char out[256];

  savename_expand("{sha256}", &f, out, sizeof(out));
  CHECK_STREQ(
      out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  return 0;
}

static int savename_long_capped(char *why)
{
  char id[600], out[512];
  struct savename_facts f = { id, "h", "u", NULL };

  memset(id, 'x', sizeof(id) - 1);
  id[sizeof(id) - 1] = '\0';
  savename_expand("{id}{ext}", &f, out, sizeof(out));
  CHECK(strlen(out) <= 200);
  return 0;
}

static int savename_checks(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(savename_check("{id}{ext}", err), 0);
  CHECK_INT(savename_check("{sha256}", err), 0);
  CHECK_INT(savename_check("{nope}", err), -1);
  CHECK(strstr(err, "{nope}") != NULL);
  CHECK_INT(savename_check("fixed{ext}", err), -1);
  return 0;
}

static int ext_map(char *why)
{
  CHECK_STREQ(savename_ext("application/json"), ".json");
  CHECK_STREQ(savename_ext("TEXT/HTML;charset=x"), ".html");
  CHECK_STREQ(savename_ext("application/x-weird"), ".bin");
  CHECK_STREQ(savename_ext(NULL), ".bin");
  return 0;
}

static const char *const site[] = {
  "http://h.test/a",     "http://h.test/b", "http://H.TEST:80/a#frag",
  "http://other.test/x", "http://h.test/c",
};

static int crawl_dedupes_and_scopes(char *why)
{
  struct crawl c;
  struct crawl_item it;
  char err[VL_ERRLEN];

  CHECK_INT(crawl_init(&c, 2, 0, false, NULL, NULL, err), 0);
  crawl_seed(&c, "http://h.test/");
  /* a, b, c once; the case/port/fragment variant of a is a; other host
   * is out of scope. */
  CHECK_UINT(crawl_offer(&c, site, 5, 0, "1", "h.test"), 3);
  CHECK_UINT(crawl_offer(&c, site, 5, 0, "1", "h.test"), 0);
  CHECK(crawl_next(&c, &it));
  CHECK_STREQ(it.url, "http://h.test/a");
  CHECK_STREQ(it.parent_json, "1");
  CHECK_UINT(it.depth, 1);
  crawl_item_clear(&it);
  CHECK_UINT(crawl_queued(&c), 2);
  crawl_free(&c);
  return 0;
}

static int crawl_depth_limit(char *why)
{
  struct crawl c;
  char err[VL_ERRLEN];

  CHECK_INT(crawl_init(&c, 1, 0, false, NULL, NULL, err), 0);
  /* Links on a depth-1 page would be depth 2: past the limit. */
  CHECK_UINT(crawl_offer(&c, site, 5, 1, "2", "h.test"), 0);
  CHECK_UINT(crawl_offer(&c, site, 5, 0, "1", "h.test"), 3);
  crawl_free(&c);
  return 0;
}

static int crawl_any_host_and_filters(char *why)
{
  struct crawl c;
  char err[VL_ERRLEN];

  CHECK_INT(crawl_init(&c, 3, 0, true, "/[ax]$", NULL, err), 0);
  CHECK_UINT(crawl_offer(&c, site, 5, 0, "1", "h.test"), 2);
  crawl_free(&c);
  CHECK_INT(crawl_init(&c, 3, 0, false, NULL, "/b$", err), 0);
  CHECK_UINT(crawl_offer(&c, site, 5, 0, "1", "h.test"), 2);
  crawl_free(&c);
  CHECK_INT(crawl_init(&c, 3, 0, false, "(", NULL, err), -1);
  CHECK(strstr(err, "--include") != NULL);
  return 0;
}

/* A match that fails must keep the link out: --exclude with a pattern
 * that hits the match limit, and bytes that are not UTF-8. */
static int crawl_match_error_excludes(char *why)
{
  static const char *const evil[] = {
    "http://h.test/evil\xff", "http://h.test/ok",
    "http://h.test/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"
  };
  struct crawl c;
  char err[VL_ERRLEN];

  /* Not UTF-8: the pattern still sees "evil". */
  CHECK_INT(crawl_init(&c, 3, 0, false, NULL, "evil", err), 0);
  CHECK_UINT(crawl_offer(&c, evil, 2, 0, "1", "h.test"), 1);
  crawl_free(&c);
  /* Catastrophic backtracking: the match limit is an error, not "no". */
  CHECK_INT(crawl_init(&c, 3, 0, false, NULL, "/(a+)+$", err), 0);
  CHECK_UINT(crawl_offer(&c, evil + 2, 1, 0, "1", "h.test"), 0);
  crawl_free(&c);
  CHECK_INT(crawl_init(&c, 3, 0, false, "/(a+)+$", NULL, err), 0);
  CHECK_UINT(crawl_offer(&c, evil + 2, 1, 0, "1", "h.test"), 0);
  crawl_free(&c);
  return 0;
}

/* A crawl of 100,000 pages in the shape of tests/server.py's /site/:
 * seven links a page, URLs of 40-odd bytes. The frontier hands them back
 * in order with their parent, host and depth, and what the crawl holds
 * stays small: the visited set's 16-byte keys, and queued URLs packed at
 * their length plus a few bytes. */
static int crawl_memory_per_url(char *why)
{
  enum { PAGES = 100000, PER_PAGE = 7 };
  struct crawl c;
  struct stats_crawl m;
  struct crawl_item it;
  char err[VL_ERRLEN], urls[PER_PAGE][64], parent[32];
  const char *links[PER_PAGE];
  size_t page, j, got = 0;
  int bad = 0;

  CHECK_INT(crawl_init(&c, 100, 0, false, NULL, NULL, err), 0);
  crawl_seed(&c, "http://127.0.0.1:8765/site/1/100000/0");
  for (page = 0; page < PAGES / PER_PAGE + 1; page++) {
    for (j = 0; j < PER_PAGE; j++) {
      snprintf(urls[j], sizeof(urls[j]),
               "http://127.0.0.1:8765/site/1/100000/%zu",
               page * PER_PAGE + j + 1);
      links[j] = urls[j];
    }
    snprintf(parent, sizeof(parent), "%zu", page + 1);
    got += crawl_offer(&c, links, PER_PAGE, 3, parent, "127.0.0.1");
  }
  CHECK_UINT(got, (PAGES / PER_PAGE + 1) * PER_PAGE);
  crawl_memory(&c, &m);
  CHECK_UINT(m.seen, got + 1);
  CHECK_UINT(m.frontier_peak, got);
  /* 16-byte keys at most three quarters full, and two per URL on top
   * of its bytes in the frontier. */
  CHECK(m.seen_bytes / got <= 16 * 4 / 3 * 2);
  /* The URLs are 37 to 42 bytes long. */
  CHECK(m.frontier_peak_bytes / got < 42 + 8);
  for (j = 0; crawl_next(&c, &it); j++) {
    char want[64], want_parent[32];

    snprintf(want, sizeof(want), "http://127.0.0.1:8765/site/1/100000/%zu",
             j + 1);
    snprintf(want_parent, sizeof(want_parent), "%zu", j / PER_PAGE + 1);
    bad += strcmp(it.url, want) != 0 || strcmp(it.parent_json, want_parent) ||
           strcmp(it.seed_host, "127.0.0.1") != 0 || it.depth != 4;
    crawl_item_clear(&it);
  }
  CHECK_INT(bad, 0);
  CHECK_UINT(j, got);
  /* Drained: at most the last block is left. */
  CHECK(c.qbytes <= 65536 + 64);
  crawl_free(&c);
  return 0;
}

static int crawl_max_urls_and_mark(char *why)
{
  struct crawl c;
  char err[VL_ERRLEN];

  CHECK_INT(crawl_init(&c, 3, 3, false, NULL, NULL, err), 0);
  crawl_seed(&c, "http://h.test/");
  crawl_mark(&c, "http://h.test/b");
  /* Two of three used: one more fits, and b is known already. */
  CHECK_UINT(crawl_offer(&c, site, 5, 0, "1", "h.test"), 1);
  crawl_free(&c);
  return 0;
}

static const struct tap_case cases[] = {
  { "sha256: FIPS vectors, one and two padding blocks, long input",
    sha256_vectors },
  { "savename: {id}{ext} and {host}", savename_plain },
  { "savename: no '/', no leading dot, never empty", savename_sanitised },
  { "savename: {sha256} of the URL", savename_sha256 },
  { "savename: at most 200 bytes", savename_long_capped },
  { "savename_check: unknown variables and fixed names refused",
    savename_checks },
  { "savename_ext: content types to extensions", ext_map },
  { "crawl: each normalised URL once, other hosts out of scope",
    crawl_dedupes_and_scopes },
  { "crawl: no link past the depth limit", crawl_depth_limit },
  { "crawl: --any-host, --include, --exclude", crawl_any_host_and_filters },
  { "crawl: a failed --include or --exclude match keeps the link out",
    crawl_match_error_excludes },
  { "crawl: 100,000 URLs queued in order, in under 50 bytes each",
    crawl_memory_per_url },
  { "crawl: --max-urls counts seeds and marked URLs",
    crawl_max_urls_and_mark },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
