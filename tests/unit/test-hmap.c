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
