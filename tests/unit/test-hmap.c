/* Unit tests of hmap.c: the set of 128-bit keys behind --resume, and of
 * resume_key(), which names a request the way its record names it. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hmap.h"
#include "resume.h"
#include "tap.h"

static void key(struct hmap_key *k, const char *a, const char *b)
{
  hmap_key_of(k, a, strlen(a), b, strlen(b));
}

static int add_then_has(char *why)
{
  struct hmap h = { NULL, 0, 0, NULL };
  struct hmap_key k, other;

  key(&k, "1", "http://a/");
  key(&other, "2", "http://a/");
  CHECK(!hmap_has(&h, &k));
  CHECK(hmap_add(&h, &k));
  CHECK(hmap_has(&h, &k));
  CHECK(!hmap_has(&h, &other));
  CHECK(!hmap_add(&h, &k));
  CHECK_UINT(h.len, 1);
  hmap_free(&h);
  CHECK(!hmap_has(&h, &k));
  return 0;
}

static int pair_boundary_matters(char *why)
{
  struct hmap_key a, b;

  /* ("ab", "c") and ("a", "bc") are different requests. */
  key(&a, "ab", "c");
  key(&b, "a", "bc");
  CHECK(a.a != b.a || a.b != b.b);
  return 0;
}

static int never_empty_marker(char *why)
{
  struct hmap_key k;

  key(&k, "", "");
  CHECK(k.b != 0);
  return 0;
}

static int many_keys_grow(char *why)
{
  struct hmap h = { NULL, 0, 0, NULL };
  struct hmap_key k;
  char id[32];
  int i;

  for (i = 0; i < 100000; i++) {
    snprintf(id, sizeof(id), "%d", i);
    key(&k, id, "http://example.com/");
    CHECK(hmap_add(&h, &k));
  }
  CHECK_UINT(h.len, 100000);
  CHECK(h.cap >= 200000);
  for (i = 0; i < 100000; i += 997) {
    snprintf(id, sizeof(id), "%d", i);
    key(&k, id, "http://example.com/");
    CHECK(hmap_has(&h, &k));
  }
  key(&k, "100000", "http://example.com/");
  CHECK(!hmap_has(&h, &k));
  hmap_free(&h);
  return 0;
}

/* The largest distance of a key of "h" from its home slot: the longest
 * probe any lookup of it makes. */
static size_t longest_probe(const struct hmap *h)
{
  size_t i, worst = 0, mask = h->cap - 1;

  for (i = 0; i < h->cap; i++)
    if (h->slots[i].b != 0) {
      size_t d = (i - ((size_t)h->slots[i].a & mask)) & mask;

      worst = d > worst ? d : worst;
    }
  return worst;
}

/* Keys of URLs that pages name go in the crawl's seen set. With a known
 * hash, strings whose keys share their low bits are found by trying
 * (here 200 of them, one in 4,096 strings): they fill one run of slots,
 * and every insertion probes the whole run. Seeded, the same strings
 * scatter. */
static int seed_scatters_chosen_keys(char *why)
{
  struct hmap h = { NULL, 0, 0, NULL };
  struct hmap_key k;
  static char chosen[200][24];
  size_t n = 0, worst;
  unsigned long i;

  hmap_seed(0, 0);
  for (i = 0; n < 200 && i < 100000000; i++) {
    snprintf(chosen[n], sizeof(chosen[n]), "http://e/%lu", i);
    key(&k, chosen[n], "");
    if ((k.a & 0xfff) == 0)
      n++;
  }
  CHECK_UINT(n, 200);
  for (i = 0; i < n; i++) {
    key(&k, chosen[i], "");
    CHECK(hmap_add(&h, &k));
  }
  worst = longest_probe(&h);
  CHECK(worst >= 199); /* one run: the attack works unseeded */
  hmap_free(&h);

  hmap_seed(0x0123456789abcdefULL, 0xfedcba9876543210ULL);
  for (i = 0; i < n; i++) {
    key(&k, chosen[i], "");
    CHECK(hmap_add(&h, &k));
  }
  worst = longest_probe(&h);
  hmap_free(&h);
  hmap_seed(0, 0);
  if (worst >= 20) {
    snprintf(why, TAP_WHYLEN, "seeded, a probe still takes %zu slots", worst);
    return -1;
  }
  return 0;
}

/* hmap_seed(0, 0) gives back the fixed hash; another seed, other keys. */
static int seed_changes_keys(char *why)
{
  struct hmap_key fixed, seeded, again;

  hmap_seed(0, 0);
  key(&fixed, "1", "http://x/");
  hmap_seed(1, 2);
  key(&seeded, "1", "http://x/");
  hmap_seed(0, 0);
  key(&again, "1", "http://x/");
  CHECK(fixed.a != seeded.a && fixed.b != seeded.b);
  CHECK(fixed.a == again.a && fixed.b == again.b);
  return 0;
}

static int map_put_get_replace(char *why)
{
  struct hmap h = { NULL, 0, 0, NULL };
  struct hmap_key k;
  char id[32];
  uint32_t v = 0;
  int i;

  key(&k, "1", "http://a/");
  CHECK(!hmap_get(&h, &k, &v));
  CHECK(hmap_put(&h, &k, 7));
  CHECK(hmap_get(&h, &k, &v) && v == 7);
  /* A second put replaces the value: the later record wins. */
  CHECK(!hmap_put(&h, &k, 9));
  CHECK(hmap_get(&h, &k, &v) && v == 9);
  CHECK_UINT(h.len, 1);
  /* Values move with their keys as the table doubles. */
  for (i = 0; i < 50000; i++) {
    snprintf(id, sizeof(id), "%d", i);
    key(&k, id, "http://b/");
    CHECK(hmap_put(&h, &k, (uint32_t)i * 3));
  }
  for (i = 0; i < 50000; i += 101) {
    snprintf(id, sizeof(id), "%d", i);
    key(&k, id, "http://b/");
    CHECK(hmap_get(&h, &k, &v) && v == (uint32_t)i * 3);
    CHECK(hmap_has(&h, &k));
  }
  key(&k, "1", "http://a/");
  CHECK(hmap_get(&h, &k, &v) && v == 9);
  hmap_free(&h);
  CHECK(!hmap_get(&h, &k, &v));
  return 0;
}

static int resume_key_line_number(char *why)
{
  struct hmap_key a, b;

  /* A plain line's id is its number, as the record writes it. */
  resume_key(&a, NULL, 12, "http://a/");
  key(&b, "12", "http://a/");
  CHECK(a.a == b.a && a.b == b.b);
  return 0;
}

static int resume_key_null_url(char *why)
{
  struct hmap_key a, b;

  resume_key(&a, "\"x\"", 0, NULL);
  key(&b, "\"x\"", "");
  CHECK(a.a == b.a && a.b == b.b);
  return 0;
}

static const struct tap_case cases[] = {
  { "hmap_add, then hmap_has; a second add is refused", add_then_has },
  { "the boundary between the two strings is part of the key",
    pair_boundary_matters },
  { "a key never looks like an empty slot", never_empty_marker },
  { "100,000 keys: the table grows and finds them all", many_keys_grow },
  { "seeded: keys chosen to collide under the fixed hash scatter",
    seed_scatters_chosen_keys },
  { "hmap_seed: other keys; (0, 0) is the fixed hash", seed_changes_keys },
  { "hmap_put and hmap_get: values, replaced, kept as the table grows",
    map_put_get_replace },
  { "resume_key: no id means the line number in decimal",
    resume_key_line_number },
  { "resume_key: a null URL hashes as the empty string", resume_key_null_url },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
